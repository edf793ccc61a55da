/*
 * The widgets screens are made of (widgets.h). Sizes come from the theme,
 * so the same code serves 800x480 and 1920x1080, large text included.
 */
#include "view/widgets.h"

#include "view/icons.h"
#include "view/mirror.h"

#include <stdint.h>

void scroller_clamp(struct scroller *s)
{
    int max = s->content_h - s->viewport.h;
    if (s->offset > max)
        s->offset = max;
    if (s->offset < 0)
        s->offset = 0;
}

struct rect canvas_screen(const struct canvas *c)
{
    return (struct rect){0, 0, c->f->width, c->f->height};
}

void canvas_fill(struct canvas *c, struct rect r, struct rgba colour, int radius, struct rect clip)
{
    struct draw_cmd *d = frame_add_cmd(c->f, DRAW_RECT, r);
    if (d) {
        d->colour = colour;
        d->radius = radius;
        d->clip = clip;
    }
}

void canvas_outline(struct canvas *c, struct rect r, struct rgba colour, int thickness,
                    struct rect clip)
{
    struct draw_cmd *d = frame_add_cmd(c->f, DRAW_FRAME, r);
    if (d) {
        d->colour = colour;
        d->thickness = thickness;
        d->clip = clip;
    }
}

void canvas_text_line(struct canvas *c, const char *text, int x, int y, int px,
                      enum font_weight weight, struct rgba colour, struct rect clip)
{
    int line_h = px * 6 / 5;
    struct draw_cmd *d = frame_add_cmd(c->f, DRAW_TEXT, (struct rect){x, y, 0, line_h});
    if (d) {
        d->text = text;
        d->font_px = px;
        d->weight = weight;
        d->colour = colour;
        d->clip = clip;
    }
}

int canvas_text_lines(struct canvas *c, const char *text, struct rect area, int px,
                      enum font_weight weight, struct rgba colour, size_t max_lines,
                      struct rect clip, bool *cut)
{
    struct text_block block;
    text_layout(c->f, c->m, text, px, weight, area.w, max_lines, &block);
    int line_h = px * 6 / 5;
    for (size_t i = 0; i < block.n_lines; i++)
        canvas_text_line(c, block.lines[i], area.x, area.y + (int)i * line_h, px, weight, colour,
                         clip);
    if (cut)
        *cut = block.cut;
    return (int)block.n_lines * line_h;
}

int canvas_text(struct canvas *c, const char *id, const char *text, struct rect area, int px,
                enum font_weight weight, struct rgba colour, int list, struct rect clip)
{
    if (!text || !*text)
        return 0;
    bool cut = false;
    int h = canvas_text_lines(c, text, area, px, weight, colour, TEXT_MAX_LINES, clip, &cut);
    struct widget *w =
        frame_add_widget(c->f, id, ROLE_TEXT, text, (struct rect){area.x, area.y, area.w, h});
    if (w) {
        w->list = list;
        w->clip = rect_intersect(w->rect, clip);
        w->visible = !rect_empty(w->clip);
        w->text_overflows = cut;
        w->clipped = cut;
        w->size = px;
    }
    return h;
}

/* An outline as thin as a line on this screen. */
static int hairline(const struct theme *t)
{
    return t->unit > 4 ? t->unit / 3 : 1;
}

void canvas_icon(struct canvas *c, const struct icon *icon, int x, int y, int px,
                 struct rgba colour, struct rect clip)
{
    if (!icon || px <= 0)
        return;
    struct draw_cmd *d = frame_add_cmd(c->f, DRAW_ICON, (struct rect){x, y, px, px});
    if (d) {
        d->icon_cp = icon->cp;
        d->icon_directional = icon->directional;
        d->font_px = px;
        d->colour = colour;
        d->clip = clip;
    }
}

void canvas_mark_icon(struct widget *w, const struct icon *icon, int x, int y, int px)
{
    if (!w || !icon)
        return;
    w->icon = icon->name;
    w->icon_rect = (struct rect){x, y, px, px};
}

static struct widget *button(struct canvas *c, const char *id, enum widget_role role,
                             const char *label, struct rect r, enum button_style style,
                             enum checked_state checked, bool show_label);

struct widget *canvas_button(struct canvas *c, const char *id, enum widget_role role,
                             const char *label, struct rect r, enum button_style style,
                             enum checked_state checked)
{
    return button(c, id, role, label, r, style, checked, true);
}

struct widget *canvas_icon_button(struct canvas *c, const char *id, const char *label,
                                  struct rect r, enum button_style style)
{
    return button(c, id, ROLE_BUTTON, label, r, style, CHECKED_NULL, false);
}

int canvas_icon_button_width(const struct canvas *c)
{
    int w = icon_px(c->t) + 2 * c->t->unit;
    return w < THEME_MIN_TARGET ? THEME_MIN_TARGET : w;
}

static struct widget *button(struct canvas *c, const char *id, enum widget_role role,
                             const char *label, struct rect r, enum button_style style,
                             enum checked_state checked, bool show_label)
{
    const struct theme *t = c->t;
    struct rgba bg, ink;
    bool on = checked == CHECKED_TRUE;
    if (style == STYLE_ON_PRIMARY && checked != CHECKED_NULL) {
        /* A choice on the header: the chosen one stands out in white, the
         * others are outlined in the header's own colour. */
        bg = on ? t->on_primary : t->primary;
        ink = on ? t->primary : t->on_primary;
    } else if (style == STYLE_PRIMARY || on) {
        bg = t->primary;
        ink = t->on_primary;
    } else if (style == STYLE_ON_PRIMARY) {
        bg = t->on_primary;
        ink = t->primary;
    } else {
        bg = t->surface;
        ink = t->primary;
    }
    struct rect clip = c->clip;
    canvas_fill(c, r, bg, t->radius, clip);
    if (style == STYLE_ON_PRIMARY && checked == CHECKED_FALSE)
        canvas_outline(c, r, t->on_primary, hairline(t), clip);
    else if (style == STYLE_PLAIN || (on && style != STYLE_ON_PRIMARY))
        canvas_outline(c, r, t->primary, hairline(t), clip);
    /* The pictogram leads the label (the start side; mirroring moves it
     * to the right in a right-to-left frame), in the label's colour so
     * that high contrast applies to it too. It never grows past the
     * button's height. */
    const struct icon *icon = icon_for_id(id);
    int ipx = icon ? icon_px(t) : 0;
    if (ipx > r.h)
        ipx = r.h;
    int iw = icon ? ipx + (show_label ? t->unit : 0) : 0;
    int pad = show_label ? 2 * t->unit : 0;
    int px = t->font_body;
    int tw = show_label ? text_width(c->m, label, px, FONT_BOLD) : 0;
    if (show_label && tw > r.w - pad - iw) {
        /* A label wider than the button can be (a long theme in large text
         * on a narrow panel) takes the small size before it is cut. */
        px = t->font_small;
        tw = text_width(c->m, label, px, FONT_BOLD);
    }
    bool overflows = tw > r.w - pad - iw;
    int x = r.x + (r.w - tw - iw) / 2;
    if (icon) {
        canvas_icon(c, icon, x, r.y + (r.h - ipx) / 2, ipx, ink, rect_intersect(r, clip));
        x += iw;
    }
    if (show_label && label && *label)
        canvas_text_line(c, label, x, r.y + (r.h - px * 6 / 5) / 2, px, FONT_BOLD, ink,
                         rect_intersect(r, clip));
    struct widget *w = frame_add_widget(c->f, id, role, label, r);
    if (w) {
        w->checked = checked;
        w->text_overflows = overflows;
        w->clipped = overflows;
        w->size = px;
        canvas_mark_icon(w, icon, x - iw, r.y + (r.h - ipx) / 2, ipx);
    }
    return w;
}

int canvas_button_width(const struct canvas *c, const char *label)
{
    int w = text_width(c->m, label, c->t->font_body, FONT_BOLD) + 4 * c->t->unit;
    return w < c->t->button_h ? c->t->button_h : w;
}

int canvas_button_width_for(const struct canvas *c, const char *id, const char *label)
{
    int w = canvas_button_width(c, label);
    if (icon_for_id(id))
        w += icon_px(c->t) + c->t->unit;
    return w;
}

/* Lays the chips out in area, left to right, wrapping; draws them when
 * draw is set. Returns the height used. */
static int chips_layout(struct canvas *c, const struct chip *chips, size_t n, struct rect area,
                        bool draw)
{
    const struct theme *t = c->t;
    int x = area.x, y = area.y;
    for (size_t i = 0; i < n; i++) {
        int bw = canvas_button_width_for(c, chips[i].id, chips[i].label);
        if (bw > area.w)
            bw = area.w;
        if (x > area.x && x + bw > area.x + area.w) {
            x = area.x;
            y += t->button_h + t->gap;
        }
        if (draw)
            canvas_button(c, chips[i].id, ROLE_TOGGLE, chips[i].label,
                          (struct rect){x, y, bw, t->button_h}, STYLE_PLAIN,
                          chips[i].checked ? CHECKED_TRUE : CHECKED_FALSE);
        x += bw + t->gap;
    }
    return n ? y - area.y + t->button_h : 0;
}

int canvas_chips(struct canvas *c, const struct chip *chips, size_t n, struct rect area)
{
    return chips_layout(c, chips, n, area, true);
}

int canvas_chips_height(struct canvas *c, const struct chip *chips, size_t n, int width)
{
    return chips_layout(c, chips, n, (struct rect){0, 0, width, 0}, false);
}

int canvas_chips_and_list(struct canvas *c, const struct chip *chips, size_t n, struct rect area,
                          const char *list_id, size_t n_rows, int row_h, struct rect *viewport)
{
    const struct theme *t = c->t;
    int chips_h = canvas_chips_height(c, chips, n, area.w) + t->gap;
    struct scroller *s = c->list;
    if (area.h - chips_h >= 3 * row_h) {
        canvas_chips(c, chips, n, area);
        *viewport = (struct rect){area.x, area.y + chips_h, area.w, area.h - chips_h};
        return canvas_list_begin(c, list_id, *viewport, (int)n_rows * row_h);
    }
    *viewport = area;
    int list = canvas_list_begin(c, list_id, area, chips_h + (int)n_rows * row_h);
    s->lead_h = chips_h;
    /* Drawn where the scroll puts them, under the list's clip. */
    struct rect saved = c->clip;
    c->clip = rect_intersect(saved, area);
    size_t first = c->f->n_widgets;
    canvas_chips(c, chips, n, (struct rect){area.x, area.y - s->offset, area.w, 0});
    for (size_t i = first; i < c->f->n_widgets; i++)
        canvas_in_list(c, &c->f->widgets[i], list);
    c->clip = saved;
    return list;
}

int canvas_list_begin(struct canvas *c, const char *id, struct rect area, int content_h)
{
    struct scroller *s = c->list;
    s->viewport = area;
    s->content_h = content_h;
    s->lead_h = 0;
    int max = content_h - area.h;
    if (s->offset > max)
        s->offset = max > 0 ? max : 0;
    struct widget *w = frame_add_widget(c->f, id, ROLE_LIST, "", area);
    return w ? (int)(c->f->n_widgets - 1) : -1;
}

struct rect scroller_row(const struct scroller *s, size_t i, int row_h)
{
    return (struct rect){s->viewport.x, s->viewport.y + s->lead_h + (int)i * row_h - s->offset,
                         s->viewport.w, row_h};
}

size_t scroller_first_row(const struct scroller *s, int row_h)
{
    int into_rows = s->offset - s->lead_h;
    return into_rows > 0 && row_h > 0 ? (size_t)(into_rows / row_h) : 0;
}

static int scrollbar_width(const struct theme *t)
{
    return t->unit > 4 ? t->unit : 4;
}

void canvas_scrollbar(struct canvas *c)
{
    const struct scroller *s = c->list;
    if (s->content_h <= s->viewport.h || s->viewport.h <= 0)
        return;
    const struct theme *t = c->t;
    int w = scrollbar_width(t);
    struct rect track = {s->viewport.x + s->viewport.w - w, s->viewport.y, w, s->viewport.h};
    int thumb_h = (int)((int64_t)s->viewport.h * s->viewport.h / s->content_h);
    if (thumb_h < 2 * w)
        thumb_h = 2 * w;
    int range = s->content_h - s->viewport.h;
    int thumb_y = track.y + (int)((int64_t)(track.h - thumb_h) * s->offset / (range ? range : 1));
    canvas_fill(c, track, t->background, w / 2, s->viewport);
    canvas_fill(c, (struct rect){track.x, thumb_y, w, thumb_h}, t->line, w / 2, s->viewport);
}

void canvas_list_item(struct canvas *c, int list, const char *id, const char *title,
                      const char *line, struct rect r, struct rgba line_colour)
{
    const struct theme *t = c->t;
    struct rect viewport = c->list->viewport;
    struct rect clip = rect_intersect(r, viewport);
    struct rect card = {r.x, r.y, r.w, r.h - t->unit};
    canvas_fill(c, card, t->surface, t->radius, viewport);
    canvas_outline(c, card, t->line, 1, viewport);
    int pad = 2 * t->unit;
    int inner = card.w - 2 * pad;
    struct text_block tb;
    text_layout(c->f, c->m, title, t->font_body, FONT_BOLD, inner, 1, &tb);
    if (tb.n_lines)
        canvas_text_line(c, tb.lines[0], card.x + pad, card.y + t->unit, t->font_body, FONT_BOLD,
                         t->ink, clip);
    struct text_block lb;
    text_layout(c->f, c->m, line ? line : "", t->font_small, FONT_REGULAR, inner, 1, &lb);
    if (lb.n_lines)
        canvas_text_line(c, lb.lines[0], card.x + pad, card.y + t->unit + t->line_body,
                         t->font_small, FONT_REGULAR, line_colour, clip);
    struct widget *w = frame_add_widget(c->f, id, ROLE_ITEM, title, r);
    if (w) {
        w->text = line ? frame_strdup_plain(c->f, line) : NULL;
        w->list = list;
        w->clip = clip;
        w->visible = !rect_empty(clip);
        w->clipped = tb.cut || lb.cut;
        w->size = t->font_body;
    }
}

void canvas_in_list(struct canvas *c, struct widget *w, int list)
{
    if (!w)
        return;
    w->list = list;
    w->clip = rect_intersect(w->rect, c->list->viewport);
    w->visible = !rect_empty(w->clip);
}

struct rect canvas_image(struct canvas *c, const char *image, int img_w, int img_h,
                         struct rect room, bool at_right, const char *id, const char *label)
{
    const struct theme *t = c->t;
    struct rect none = {room.x, room.y, 0, 0};
    int pad = t->unit;
    int max_w = room.w - 2 * pad, max_h = room.h - 2 * pad;
    if (!image || img_w <= 0 || img_h <= 0 || max_w <= 0 || max_h <= 0)
        return none;
    long long w = img_w, h = img_h;
    if (w > max_w) {
        h = h * max_w / w;
        w = max_w;
    }
    if (h > max_h) {
        w = w * max_h / h;
        h = max_h;
    }
    if (w <= 0 || h <= 0)
        return none;
    struct rect plate = {at_right ? room.x + room.w - (int)w - 2 * pad : room.x, room.y,
                         (int)w + 2 * pad, (int)h + 2 * pad};
    canvas_fill(c, plate, (struct rgba){255, 255, 255, 255}, t->radius, canvas_screen(c));
    struct draw_cmd *d =
        frame_add_cmd(c->f, DRAW_IMAGE, (struct rect){plate.x + pad, plate.y + pad, (int)w, (int)h});
    if (d) {
        d->image = image;
        d->clip = canvas_screen(c);
    }
    frame_add_widget(c->f, id, ROLE_IMAGE, label, plate);
    return plate;
}

int canvas_qr_px(int side, int size, int min_module)
{
    int modules = side + 2 * QR_QUIET_MODULES;
    if (side <= 0 || modules <= 0 || size <= 0)
        return 0;
    int module = size / modules;
    if (module < min_module || module < 1)
        return 0;
    return module * modules;
}

int canvas_qr(struct canvas *c, const char *id, const char *label, const unsigned char *dark,
              int side, int x, int y, int size, int min_module, int list, struct rect clip)
{
    int px = canvas_qr_px(side, size, min_module);
    if (!dark || px == 0)
        return 0;
    int module = px / (side + 2 * QR_QUIET_MODULES);
    struct rect plate = {x, y, px, px};
    struct frame *f = c->f;
    /* In a right-to-left frame the plate goes where mirroring would put it
     * and its squares stay in reading order: draw them at the mirrored
     * place, kept out of the mirroring. */
    struct rect at = f->rtl ? rect_mirror(plate, f->width) : plate;
    struct rect at_clip = f->rtl ? rect_mirror(clip, f->width) : clip;
    size_t first_cmd = f->n_cmds;
    canvas_fill(c, at, (struct rgba){255, 255, 255, 255}, 0, at_clip);
    int x0 = at.x + QR_QUIET_MODULES * module, y0 = at.y + QR_QUIET_MODULES * module;
    for (int row = 0; row < side; row++) {
        int ry = y0 + row * module;
        if (ry + module <= at_clip.y || ry >= at_clip.y + at_clip.h)
            continue; /* scrolled out of sight */
        /* one rectangle per run of dark modules: a version 13 code is
         * some 600 runs instead of 2,400 squares */
        for (int col = 0; col < side;) {
            if (!dark[row * side + col]) {
                col++;
                continue;
            }
            int run = col;
            while (run < side && dark[row * side + run])
                run++;
            canvas_fill(c, (struct rect){x0 + col * module, ry, (run - col) * module, module},
                        (struct rgba){0, 0, 0, 255}, 0, at_clip);
            col = run;
        }
    }
    for (size_t i = first_cmd; i < f->n_cmds; i++)
        f->cmds[i].keep_ltr = true;
    struct widget *w = frame_add_widget(f, id, ROLE_IMAGE, label, plate);
    if (w) {
        w->list = list;
        w->clip = rect_intersect(plate, clip);
        w->visible = !rect_empty(w->clip);
    }
    return px;
}

void details_begin(struct details *d, struct canvas *c, const char *id, struct rect viewport)
{
    d->c = c;
    /* Content height is known only after layout; the scroller keeps last
     * frame's value, which is right for every frame but the first. */
    d->list = canvas_list_begin(c, id, viewport, c->list->content_h);
    /* When the bar shows (last layout's content overflowed), the blocks
     * keep clear of it at the trailing edge, so that no line runs under
     * it; the scroller's own viewport still takes drags there. This
     * settles: narrower blocks only grow taller, so content that needed
     * the bar still does, and content that fits with it fits without. */
    d->viewport = viewport;
    if (c->list->content_h > viewport.h)
        d->viewport.w -= scrollbar_width(c->t) + c->t->unit;
    d->top = d->viewport.y;
    d->y = d->viewport.y - c->list->offset;
}

void details_end(struct details *d)
{
    struct scroller *s = d->c->list;
    int content = d->y + s->offset - d->top;
    if (content != s->content_h) {
        /* The first layout of a screen learns its height now; lay out
         * once more so the scroll limits and the bar are right. */
        s->content_h = content;
        d->c->relayout = true;
    }
    canvas_scrollbar(d->c);
}

void details_text(struct details *d, const char *id, const char *text, int px,
                  enum font_weight weight, struct rgba colour)
{
    if (!text || !*text)
        return;
    struct canvas *c = d->c;
    d->y += canvas_text(c, id, text, (struct rect){d->viewport.x, d->y, d->viewport.w, 0}, px,
                        weight, colour, d->list, d->viewport);
    d->y += c->t->unit;
}

void details_gap(struct details *d)
{
    d->y += d->c->t->gap;
}
