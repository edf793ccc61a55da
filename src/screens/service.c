/*
 * service: one service in full: who, what, how to get help, walk-in hours,
 * where, and how to reach them.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"

static void show_service(struct build *b, struct details *d, const struct service_detail *s)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct frame *f = b->c.f;
    chrome_feed_text(b, d, "service.title", s->name, s->name_lang, t->font_title, FONT_BOLD, t->ink);
    details_text(d, "service.organization", s->organization, t->font_heading, FONT_REGULAR,
                 t->ink_soft);
    details_gap(d);
    chrome_feed_text(b, d, "service.description", s->description, s->description_lang, t->font_body,
                     FONT_REGULAR, t->ink);
    chrome_feed_text(b, d, "service.how_to", s->how_to, s->how_to_lang, t->font_body, FONT_BOLD, t->ink);
    if (s->walk_in_summary)
        details_text(d, "service.walk_in",
                     frame_printf(f, "%s: %s", ui_tr(ui, "service.walk_in"), s->walk_in_summary),
                     t->font_body, FONT_REGULAR, t->ink);
    details_text(d, "service.where", ui_location_line(ui, f, s->location_id), t->font_body,
                 FONT_REGULAR, t->ink);
    details_gap(d);
    for (int k = 0; k < CONTACT_KINDS; k++) {
        if (!s->contact[k])
            continue;
        const char *key = contact_key(k);
        details_text(d, frame_printf(f, "service.contact.%s", key),
                     frame_printf(f, "%s: %s", ui_tr(ui, frame_printf(f, "contact.%s", key)),
                                  s->contact[k]),
                     t->font_body, FONT_REGULAR, t->ink);
    }
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    chrome_frame(b, ui_tr(ui, "service.heading"), true);
    struct details d;
    details_begin(&d, &b->c, "service.details", b->content);
    if (ui->content.service)
        show_service(b, &d, ui->content.service);
    else
        chrome_details_empty(b, &d, CONTENT_SERVICE, "service.gone");
    details_end(&d);
}

const struct screen_def screen_service = {
    .name = "service",
    .content = CONTENT_BASE | CONTENT_SERVICE,
    .idle = IDLE_RESIDENT,
    .build = build,
};
