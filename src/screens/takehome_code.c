/*
 * The take-home code: its text from the content, and its place among the
 * details (takehome_code.h).
 */
#include "screens/takehome_code.h"

#include <stdio.h>
#include <string.h>

#include "model/qr.h"
#include "model/takehome.h"

/* The smallest module drawn, in px: below it a phone's camera at arm's
 * length no longer tells the squares apart. */
#define MIN_MODULE_PX 2

static const char *location_text(const struct ui *ui, const char *location_id, char *buf,
                                 size_t cap)
{
    const struct location_item *loc = content_location(&ui->content, location_id);
    if (!loc)
        return NULL;
    snprintf(buf, cap, "%s%s%s", loc->name ? loc->name : "", loc->address ? ", " : "",
             loc->address ? loc->address : "");
    return buf;
}

static bool event_of(const struct ui *ui, const struct activity_detail *a, bool tentative,
                     char *out, size_t cap)
{
    char where[1024];
    const char *zone = ui->env.config->kiosk_timezone;
    struct takehome_event e = {
        .id = a->id,
        .title = a->title,
        .tzid = zone && *zone ? zone : "Europe/Amsterdam",
        .start = a->occurrence,
        .end = a->occurrence + a->duration,
        .stamp = ui_now_s(ui),
        .location = location_text(ui, a->location_id, where, sizeof where),
        /* the short description: the summary is written for that */
        .description = a->summary ? a->summary : a->description,
        .url = a->url,
        .tentative = tentative,
    };
    return takehome_vevent(&e, out, cap) > 0;
}

bool takehome_for_activity(const struct ui *ui, const struct activity_detail *a, char *out,
                           size_t cap)
{
    if (takehome_url_ok(a->url) && strlen(a->url) < cap) {
        snprintf(out, cap, "%s", a->url);
        return true;
    }
    return event_of(ui, a, false, out, cap);
}

bool takehome_for_signup(const struct ui *ui, const struct activity_detail *a, bool waitlisted,
                         char *out, size_t cap)
{
    return event_of(ui, a, waitlisted, out, cap);
}

bool takehome_for_service(const struct ui *ui, const struct service_detail *s, char *out,
                          size_t cap)
{
    const char *url = s->contact[CONTACT_URL];
    if (takehome_url_ok(url) && strlen(url) < cap) {
        snprintf(out, cap, "%s", url);
        return true;
    }
    const struct location_item *loc = content_location(&ui->content, s->location_id);
    struct takehome_card card = {
        .name = s->name,
        .organization = s->organization,
        .phone = s->contact[CONTACT_PHONE],
        .email = s->contact[CONTACT_EMAIL],
        .place = loc ? loc->name : NULL,
        .address = loc ? loc->address : NULL,
        .url = url,
    };
    return takehome_vcard(&card, out, cap) > 0;
}

bool takehome_beside(const struct build *b)
{
    return b->c.f->width > b->c.f->height;
}

/* The code at x, y in at most size px, then its caption: below it within
 * the code's width, or beside it within caption_w. Returns the height. */
/* The code for text, encoded once while the same text is shown. */
static const struct qr_code *encoded(struct ui *ui, const char *text)
{
    if (!text)
        return NULL;
    struct qr_memo *m = &ui->qr;
    if (strcmp(m->text, text) != 0) {
        snprintf(m->text, sizeof m->text, "%s", text);
        m->ok = strlen(text) < sizeof m->text && qr_encode(text, &m->code);
    }
    return m->ok ? &m->code : NULL;
}

static int draw(struct build *b, const char *id, const char *caption, const struct qr_code *code,
                int x, int y, int size, bool below, int caption_w, int list, struct rect clip)
{
    const struct theme *t = b->c.t;
    int px = canvas_qr(&b->c, id, caption, code->dark, code->side, x, y, size, MIN_MODULE_PX, list,
                       clip);
    if (px == 0)
        return 0;
    struct widget *w = &b->c.f->widgets[b->c.f->n_widgets - 1];
    struct rect area = below ? (struct rect){x, y + px + t->unit, px, 0}
                             : (struct rect){x + px + t->gap, y + t->unit, caption_w - px - t->gap, 0};
    bool cut = false;
    int h = area.w > 0 ? canvas_text_lines(&b->c, caption, area, t->font_body, FONT_BOLD, t->ink,
                                           TEXT_MAX_LINES, clip, &cut)
                       : 0;
    /* The caption is the picture's label: read once, matched by scripts. */
    w->clipped = cut || area.w <= 0;
    w->size = t->font_body;
    return below ? px + t->unit + h : (px > h + t->unit ? px : h + t->unit);
}

void takehome_side_begin(struct build *b, struct details *d, struct takehome_side *side,
                         const char *id, const char *caption, const char *text)
{
    const struct theme *t = b->c.t;
    side->on = false;
    side->full_w = d->viewport.w;
    side->bottom = d->y;
    /* a third of the width at most, and room for the caption below it on
     * the first screen */
    int size = d->viewport.w * 3 / 10;
    int fit = d->viewport.h - 2 * t->line_body - 2 * t->unit;
    if (size > fit)
        size = fit;
    int right = d->viewport.x + d->viewport.w; /* details keep clear of the scrollbar */
    const struct qr_code *code = encoded(b->ui, text);
    if (!code)
        return;
    int px = canvas_qr_px(code->side, size, MIN_MODULE_PX);
    if (px == 0)
        return;
    int h = draw(b, id, caption, code, right - px, d->y, px, true, px, d->list, d->viewport);
    if (h == 0)
        return;
    side->on = true;
    side->bottom = d->y + h + t->gap;
    d->viewport.w = right - px - 2 * t->gap - d->viewport.x;
}

void takehome_side_end(struct details *d, const struct takehome_side *side)
{
    if (!side->on)
        return;
    d->viewport.w = side->full_w;
    if (d->y < side->bottom)
        d->y = side->bottom;
}

void takehome_details_block(struct build *b, struct details *d, const char *id,
                            const char *caption, const char *text)
{
    const struct theme *t = b->c.t;
    const struct qr_code *code = encoded(b->ui, text);
    if (!code)
        return;
    int size = d->viewport.w * 2 / 5;
    int h = draw(b, id, caption, code, d->viewport.x, d->y, size, false, d->viewport.w,
                 d->list, d->viewport);
    if (h)
        d->y += h + t->gap;
}

int takehome_block_at(struct build *b, const char *id, const char *caption, const char *text,
                      int x, int y, int w, int size, bool below)
{
    const struct qr_code *code = encoded(b->ui, text);
    if (!code)
        return 0;
    return draw(b, id, caption, code, x, y, size, below, w, -1, canvas_screen(&b->c));
}
