#include "view/mirror.h"

struct rect rect_mirror(struct rect r, int width)
{
    r.x = width - r.x - r.w;
    return r;
}

void frame_mirror(struct frame *f, const struct text_measurer *m)
{
    int width = f->width;
    for (size_t i = 0; i < f->n_widgets; i++) {
        struct widget *w = &f->widgets[i];
        if (w->keep_ltr)
            continue;
        w->rect = rect_mirror(w->rect, width);
        w->clip = rect_mirror(w->clip, width);
        /* The pictogram leads its label on the start side: the right in a
         * right-to-left frame. */
        if (w->icon)
            w->icon_rect = rect_mirror(w->icon_rect, width);
    }
    for (size_t i = 0; i < f->n_cmds; i++) {
        struct draw_cmd *d = &f->cmds[i];
        if (d->keep_ltr)
            continue;
        if (d->op == DRAW_TEXT && d->rect.w == 0 && d->text)
            d->rect.w = text_width(m, d->text, d->font_px, d->weight);
        d->rect = rect_mirror(d->rect, width);
        d->clip = rect_mirror(d->clip, width);
    }
}
