/*
 * activity: one occurrence of an activity in full: when, where, places
 * left and the sign-up button, the take-home code, cost, what it is,
 * contact, and the next dates.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "screens/takehome_code.h"

/* The sign-up button, or why there is none. */
static void signup_block(struct build *b, struct details *d, const struct activity_detail *a)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct signup_state su;
    signup_state_of(ui, a, &su);
    if (!su.offered || !ui->env.has_hub)
        return;
    if (!su.open && su.lease_only && !su.closed && (su.unlimited || su.places_left > 0 || su.waitlist)) {
        /* Places there are, but this kiosk cannot reach the hub and holds
         * none of them: saying "vol" would be false, and a promise too. */
        details_text(d, "activity.signup-offline", ui_tr(ui, "activity.signup-offline"),
                     t->font_body, FONT_BOLD, t->alert);
        return;
    }
    if (!su.open) {
        details_text(d, "activity.signup-closed",
                     ui_tr(ui, su.closed ? "activity.closed" : "places.full"), t->font_body,
                     FONT_BOLD, t->alert);
        return;
    }
    const char *label = ui_tr(ui, su.waitlist ? "activity.signup.waitlist" : "activity.signup");
    int bw = canvas_button_width_for(&b->c, "activity.signup", label) + 4 * t->unit;
    if (bw > d->viewport.w)
        bw = d->viewport.w;
    struct rect r = {d->viewport.x, d->y, bw, t->button_h * 3 / 2};
    b->c.clip = d->viewport;
    struct widget *w =
        canvas_button(&b->c, "activity.signup", ROLE_BUTTON, label, r, STYLE_PRIMARY, CHECKED_NULL);
    b->c.clip = canvas_screen(&b->c);
    canvas_in_list(&b->c, w, d->list);
    d->y += r.h + t->gap;
}

static void show_activity(struct build *b, struct details *d, const struct activity_detail *a)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct frame *f = b->c.f;
    int64_t start = a->occurrence;
    /* The take-home code: beside the essentials on a wide frame, after
     * them on a tall one. */
    char code[TAKEHOME_TEXT_MAX];
    bool has_code = takehome_for_activity(ui, a, code, sizeof code);
    const char *caption = ui_tr(ui, "takehome.caption");
    struct takehome_side side = {0};
    if (has_code && takehome_beside(b))
        takehome_side_begin(b, d, &side, "activity.qr", caption, code);
    chrome_feed_text(b, d, "activity.title", a->title, a->title_lang, t->font_title, FONT_BOLD, t->ink);
    chrome_detail_image(b, d, "activity.image", &a->image, a->title);
    char when[160];
    ui_format_when(ui, start, start + a->duration, when, sizeof when);
    details_text(d, "activity.when", frame_strdup(f, when, SIZE_MAX), t->font_heading,
                 FONT_REGULAR, t->ink);
    const struct location_item *loc = content_location(&ui->content, a->location_id);
    if (loc) {
        details_text(d, "activity.where", ui_location_line(ui, f, a->location_id), t->font_body,
                     FONT_REGULAR, t->ink);
        chrome_feed_text(b, d, "activity.access", loc->accessibility, loc->accessibility_lang,
                         t->font_small, FONT_REGULAR, t->ink_soft);
    }
    if (a->has_signup && a->capacity >= 0) {
        /* Places for this occurrence, as the feed counted them. */
        int64_t left = content_places_left(&ui->content, a->id, start, a->capacity, a->taken);
        char places[160];
        ui_format_places(ui, left, a->waitlist ? "places.full.waitlist" : "places.full", places,
                         sizeof places);
        details_text(d, "activity.places", frame_strdup(f, places, SIZE_MAX), t->font_body,
                     FONT_BOLD, left <= 0 ? t->alert : t->ink);
    }
    signup_block(b, d, a);
    if (side.on)
        takehome_side_end(d, &side);
    else if (has_code)
        takehome_details_block(b, d, "activity.qr", caption, code);
    if (a->cost)
        chrome_feed_text(b, d, "activity.cost", frame_printf(f, "%s: %s", ui_tr(ui, "activity.cost"), a->cost),
                         a->cost_lang, t->font_body, FONT_REGULAR, t->ink);
    details_gap(d);
    chrome_feed_text(b, d, "activity.summary", a->summary, a->summary_lang, t->font_body, FONT_BOLD, t->ink);
    chrome_feed_text(b, d, "activity.description", a->description, a->description_lang, t->font_body,
                     FONT_REGULAR, t->ink);
    for (int k = 0; k < CONTACT_KINDS; k++) {
        if (!a->contact[k])
            continue;
        const char *key = contact_key(k);
        details_text(d, frame_printf(f, "activity.contact.%s", key),
                     frame_printf(f, "%s: %s", ui_tr(ui, frame_printf(f, "contact.%s", key)),
                                  a->contact[k]),
                     t->font_body, FONT_REGULAR, t->ink);
    }
    if (a->n_next) {
        char text[1024] = "";
        size_t used = 0;
        for (size_t i = 0; i < a->n_next && used < sizeof text; i++) {
            char next_when[128];
            ui_format_when(ui, a->next[i], a->next[i], next_when, sizeof next_when);
            used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? "\n" : "", next_when);
        }
        details_gap(d);
        details_text(d, "", ui_tr(ui, "activity.next"), t->font_heading, FONT_BOLD, t->ink);
        details_text(d, "activity.next", frame_strdup(f, text, SIZE_MAX), t->font_body,
                     FONT_REGULAR, t->ink);
    }
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    chrome_frame(b, ui_tr(ui, "activity.heading"), true);
    struct details d;
    details_begin(&d, &b->c, "activity.details", b->content);
    if (ui->content.activity)
        show_activity(b, &d, ui->content.activity);
    else
        chrome_details_empty(b, &d, CONTENT_ACTIVITY, "activity.gone");
    details_end(&d);
}

static bool activate(struct ui *ui, const struct widget *w)
{
    if (strcmp(w->id, "activity.signup") != 0)
        return false;
    signup_open(ui);
    return true;
}

const struct screen_def screen_activity = {
    .name = "activity",
    .content = CONTENT_BASE | CONTENT_ACTIVITY,
    .idle = IDLE_RESIDENT,
    .keeps_activity_list = true,
    .build = build,
    .activate = activate,
};
