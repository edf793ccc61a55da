/*
 * service: one service in full: who, what, how to get help, walk-in hours,
 * where, how to reach them, and the take-home code of all that.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "screens/takehome_code.h"

static void show_service(struct build *b, struct details *d, const struct service_detail *s)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct frame *f = b->c.f;
    /* The take-home code: beside the name and what it offers on a wide
     * frame; on a tall one after the ways to reach them, which it holds. */
    char code[TAKEHOME_TEXT_MAX];
    bool has_code = takehome_for_service(ui, s, code, sizeof code);
    const char *caption = ui_tr(ui, "takehome.caption");
    struct takehome_side side = {0};
    if (has_code && takehome_beside(b))
        takehome_side_begin(b, d, &side, "service.qr", caption, code);
    chrome_feed_text(b, d, "service.title", s->name, s->name_lang, t->font_title, FONT_BOLD, t->ink);
    chrome_detail_image(b, d, "service.image", &s->image, s->name);
    details_text(d, "service.organization", s->organization, t->font_heading, FONT_REGULAR,
                 t->ink_soft);
    details_gap(d);
    chrome_feed_text(b, d, "service.description", s->description, s->description_lang, t->font_body,
                     FONT_REGULAR, t->ink);
    chrome_feed_text(b, d, "service.how_to", s->how_to, s->how_to_lang, t->font_body, FONT_BOLD, t->ink);
    takehome_side_end(d, &side);
    struct local_time lt;
    tz_to_local(ui_now_s(ui), &lt);
    if (content_open_now(s->walk_in, s->n_walk_in, &lt))
        details_text(d, "service.open_now", ui_tr(ui, "service.open_now"), t->font_body,
                     FONT_BOLD, t->ink);
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
    if (has_code && !side.on) {
        details_gap(d);
        takehome_details_block(b, d, "service.qr", caption, code);
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
