/*
 * announcements: every announcement shown at this kiosk now, urgent ones
 * first and on an accent plate.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"

static void show_announcement(struct build *b, struct details *d, const struct announcement_item *a)
{
    const struct theme *t = b->c.t;
    struct rect inner = {d->viewport.x + 2 * t->unit, d->y + 2 * t->unit,
                         d->viewport.w - 4 * t->unit, 0};
    enum font_weight weight = a->urgent ? FONT_BOLD : FONT_REGULAR;
    struct text_block block;
    const char *text = chrome_with_note(b, a->text, a->text_lang);
    text_layout(b->c.f, &b->ui->measurer, text, t->font_body, weight, inner.w, TEXT_MAX_LINES,
                &block);
    int h = (int)block.n_lines * t->line_body + 4 * t->unit;
    canvas_fill(&b->c, (struct rect){d->viewport.x, d->y, d->viewport.w, h},
                a->urgent ? t->accent_bg : t->surface, t->radius, d->viewport);
    char id[UI_ID_MAX + 16];
    ui_announcement_id(a->id, id, sizeof id);
    size_t first_widget = b->c.f->n_widgets;
    canvas_text(&b->c, frame_strdup(b->c.f, id, SIZE_MAX), text, inner,
                t->font_body, weight, a->urgent ? t->accent_ink : t->ink, d->list, d->viewport);
    chrome_mark_lang(b, first_widget, NULL, a->text_lang);
    d->y += h + t->gap;
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct content *c = &ui->content;
    chrome_frame(b, ui_tr(ui, "announcements.title"), true);
    struct details d;
    details_begin(&d, &b->c, "announcements.list", b->content);
    for (size_t i = 0; i < c->n_announcements; i++)
        show_announcement(b, &d, &c->announcements[i]);
    if (!c->n_announcements)
        chrome_details_empty(b, &d, CONTENT_NOW, "announcements.empty");
    details_end(&d);
}

const struct screen_def screen_announcements = {
    .name = "announcements",
    .content = CONTENT_BASE | CONTENT_NOW,
    .idle = IDLE_RESIDENT,
    .build = build,
};
