/*
 * signup-done: what the hub said of the sign-up (automation-v1
 * `signup-done`): "even controleren…" while it asks (at most 3 s, the
 * screen keeps drawing), then confirmed, waitlisted with the position,
 * full, closed, or "received, you will hear from us" when no answer came
 * in time. Confirmed within the kiosk's lease it says so at once. Full or
 * closed, it offers the next occurrences with room, one tap from the form
 * with what was typed. A goodbye by first name and a code that puts the
 * activity in a phone's calendar once there is a place or a position;
 * back to attract by itself, wiping the name.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "screens/takehome_code.h"

/* The sizes of the done screen's texts and its button. */
struct done_sizes {
    int lead, title, when, where, bye, button_h;
};

static int text_h(struct build *b, const char *text, int px, enum font_weight weight, int w)
{
    if (!text || !*text)
        return 0;
    struct text_block tb;
    text_layout(b->c.f, &b->ui->measurer, text, px, weight, w, 64, &tb);
    return (int)tb.n_lines * (px * 6 / 5);
}

/* The done screen says it all without scrolling: the large sizes when
 * they fit, else each text a step smaller (large text on a low panel). */
static struct done_sizes done_sizes(struct build *b, const char *lead, const char *bye, int w,
                                    int room)
{
    const struct theme *t = b->c.t;
    const struct signup_form *form = &b->ui->form;
    const struct done_sizes steps[] = {
        {t->font_heading, t->font_title, t->font_heading, t->font_body, t->font_heading,
         t->button_h * 3 / 2},
        {t->font_body, t->font_heading, t->font_body, t->font_body, t->font_body, t->button_h},
        {t->font_small, t->font_body, t->font_small, t->font_small, t->font_small, t->button_h},
    };
    size_t n = sizeof steps / sizeof *steps;
    for (size_t i = 0; i < n; i++) {
        const struct done_sizes *z = &steps[i];
        int h = text_h(b, lead, z->lead, FONT_REGULAR, w) + t->unit +
                text_h(b, form->done_title, z->title, FONT_BOLD, w) + t->unit +
                text_h(b, form->done_when, z->when, FONT_REGULAR, w) + t->unit +
                text_h(b, form->done_where, z->where, FONT_REGULAR, w) + t->gap +
                (bye ? text_h(b, bye, z->bye, FONT_BOLD, w) + t->gap : 0) + z->button_h;
        if (h <= room)
            return *z;
    }
    return steps[n - 1];
}

/* Per state: the widget id that says what the resident was told, the
 * header's title and the lead text's catalog keys. */
static const struct {
    const char *id, *title_key, *lead_key;
} states[] = {
    [DONE_CHECKING] = {"done.checking", "signup.done.title.checking", "signup.done.checking"},
    [DONE_CONFIRMED] = {"done.confirmed", "signup.done.title", "signup.done.text"},
    [DONE_WAITLISTED] = {"done.waitlisted", "signup.done.title.waitlist", "signup.done.waitlisted"},
    [DONE_FULL] = {"done.full", "signup.done.title.full", "signup.done.full"},
    [DONE_CLOSED] = {"done.closed", "signup.done.title.closed", "signup.done.closed"},
    [DONE_PENDING] = {"done.pending", "signup.done.title.pending", "signup.done.pending"},
};

/* Full or closed: the next occurrences of the same activity that still
 * have room as the kiosk sees them and take sign-ups now. */
#define AGAIN_MAX 3
static size_t again_offers(const struct ui *ui, int64_t out[AGAIN_MAX])
{
    const struct signup_form *form = &ui->form;
    const struct activity_detail *a = ui->content.activity;
    if ((form->done_state != DONE_FULL && form->done_state != DONE_CLOSED) || !form->kept || !a ||
        strcmp(a->id, form->done_activity_id) != 0 || !ui->env.has_hub)
        return 0;
    int64_t now = ui_now_s(ui);
    size_t n = 0;
    for (size_t i = 0; i < a->n_next && n < AGAIN_MAX; i++) {
        int64_t occ = a->next[i];
        if (occ == form->done_occurrence || now >= occ - a->closes_before_min * 60)
            continue;
        if (a->capacity >= 0 && content_places_left(&ui->content, a->id, occ, a->capacity,
                                                    a->next_taken[i]) < form->kept_party_size)
            continue;
        /* Beyond a lease the kiosk offers only what it can ask the hub for. */
        if (ui->hub_unreachable)
            continue;
        out[n++] = occ;
    }
    return n;
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct signup_form *form = &ui->form;
    enum done_state state = form->done_state;
    bool holds = state == DONE_CONFIRMED || state == DONE_WAITLISTED;
    chrome_header(b, ui_tr(ui, states[state].title_key), false, false);
    int x = t->margin, y = t->header_h + 2 * t->gap, w = b->c.f->width - 2 * t->margin;
    /* The sign-up as an event: the activity still shown (the form has
     * gone), never the resident's name. On a wide frame it stands at the
     * right of the texts; on a tall one below the button. */
    char code[TAKEHOME_TEXT_MAX];
    const struct activity_detail *a = ui->content.activity;
    bool has_code = holds && a &&
                    takehome_for_signup(ui, a, form->done_waitlisted, code, sizeof code);
    const char *caption = ui_tr(ui, "takehome.caption.signup");
    if (has_code && takehome_beside(b)) {
        int size = w * 3 / 10;
        if (size > b->c.f->height - y - t->margin - 3 * t->line_body)
            size = b->c.f->height - y - t->margin - 3 * t->line_body;
        int h = takehome_block_at(b, "signup.qr", caption, code, x + w - size, y, size, size, true);
        if (h)
            w -= size + 2 * t->gap;
        has_code = false;
    }
    const char *lead = ui_tr(ui, states[state].lead_key);
    /* The goodbye ("Tot dan") only with a place or a position to come to;
     * the position goes where the goodbye would stand. */
    char bye[FORM_VALUE_MAX + 256];
    bye[0] = '\0';
    if (state == DONE_WAITLISTED && form->done_position > 0) {
        char pos[16];
        snprintf(pos, sizeof pos, "%d", form->done_position);
        ui_fill(ui_tr(ui, "signup.done.position"), "{position}", pos, bye, sizeof bye);
    } else if (holds && form->done_first_name[0]) {
        ui_fill(ui_tr(ui, "signup.done.bye"), "{name}", form->done_first_name, bye, sizeof bye);
    }
    /* Full or closed: the next occurrences with room. On a wide frame in a
     * column at the right (where the code stands for a place), on a tall
     * one below the button; as many as fit. */
    int64_t again[AGAIN_MAX];
    size_t n_again = again_offers(ui, again);
    bool again_beside = n_again && b->c.f->width > b->c.f->height;
    int again_x = x, again_y = 0, again_w = w;
    if (again_beside) {
        again_w = w * 2 / 5;
        again_x = x + w - again_w;
        again_y = y;
        w -= again_w + 2 * t->gap;
    }
    int again_h = n_again && !again_beside
                      ? t->line_body + (int)n_again * (t->button_h + t->unit) + t->gap
                      : 0;
    struct done_sizes z = done_sizes(b, lead, bye[0] ? bye : NULL, w,
                                     b->c.f->height - y - t->margin - again_h);
    y += canvas_text(&b->c, states[state].id, lead, (struct rect){x, y, w, 0}, z.lead,
                     FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.activity", form->done_title, (struct rect){x, y, w, 0},
                     z.title, FONT_BOLD, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.when", form->done_when, (struct rect){x, y, w, 0},
                     z.when, FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.where", form->done_where, (struct rect){x, y, w, 0},
                     z.where, FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->gap;
    if (bye[0])
        y += canvas_text(&b->c, state == DONE_WAITLISTED && form->done_position > 0
                                    ? "signup.done.position"
                                    : "signup.done.bye", frame_strdup(b->c.f, bye, SIZE_MAX),
                         (struct rect){x, y, w, 0}, z.bye, FONT_BOLD, t->ink, -1,
                         canvas_screen(&b->c)) + t->gap;
    const char *done = ui_tr(ui, "signup.done");
    int bw = canvas_button_width(&b->c, done) + 8 * t->unit;
    if (bw > w)
        bw = w;
    canvas_button(&b->c, "signup.done", ROLE_BUTTON, done, (struct rect){x, y, bw, z.button_h},
                  STYLE_PRIMARY, CHECKED_NULL);
    y += z.button_h + 2 * t->gap;
    if (n_again) {
        int ay = again_beside ? again_y : y;
        ay += canvas_text(&b->c, "signup.again", ui_tr(ui, "signup.again"),
                          (struct rect){again_x, ay, again_w, 0}, t->font_body, FONT_REGULAR,
                          t->ink, -1, canvas_screen(&b->c)) + t->unit;
        for (size_t i = 0; i < n_again && ay + t->button_h <= b->c.f->height - t->margin; i++) {
            char when[160], id[UI_ID_MAX + 48], occ_id[UI_ID_MAX + 32];
            /* "ma 30 nov 15:30": short, the column may be narrow */
            char day[96], time_of_day[16];
            ui_format_day_short(ui, again[i], day, sizeof day);
            ui_format_time(again[i], time_of_day, sizeof time_of_day);
            snprintf(when, sizeof when, "%s %s", day, time_of_day);
            /* signup.again.YYYYMMDDTHHMM: the start as in activity ids */
            ui_occurrence_id(form->done_activity_id, again[i], occ_id, sizeof occ_id);
            snprintf(id, sizeof id, "signup.again.%s", strrchr(occ_id, '.') + 1);
            int aw = canvas_button_width(&b->c, when) + 4 * t->unit;
            if (aw > again_w)
                aw = again_w;
            canvas_button(&b->c, frame_strdup(b->c.f, id, SIZE_MAX), ROLE_BUTTON,
                          frame_strdup(b->c.f, when, SIZE_MAX),
                          (struct rect){again_x, ay, aw, t->button_h}, STYLE_PLAIN, CHECKED_NULL);
            ay += t->button_h + t->unit;
        }
        if (!again_beside)
            y = ay + t->gap;
    }
    if (has_code) {
        int size = w * 2 / 5;
        if (size > b->c.f->height - y - t->margin)
            size = b->c.f->height - y - t->margin;
        takehome_block_at(b, "signup.qr", caption, code, x, y, w, size, false);
    }
}

static bool activate(struct ui *ui, const struct widget *w)
{
    if (strncmp(w->id, "signup.again.", 13) == 0) {
        int64_t again[AGAIN_MAX];
        size_t n = again_offers(ui, again);
        for (size_t i = 0; i < n; i++) {
            char occ_id[UI_ID_MAX + 32];
            ui_occurrence_id(ui->form.done_activity_id, again[i], occ_id, sizeof occ_id);
            if (strcmp(strrchr(occ_id, '.') + 1, w->id + 13) == 0) {
                signup_again(ui, again[i]);
                return true;
            }
        }
        return false;
    }
    if (strcmp(w->id, "signup.done") != 0)
        return false;
    ui_reset_to_attract(ui);
    return true;
}

static int64_t deadline(const struct ui *ui, int64_t now_ms)
{
    (void)now_ms;
    /* While it asks, the screen looks at the outbox when the asker wakes
     * the loop, and at the latest when its 3 s are up. */
    if (ui->form.done_state == DONE_CHECKING && ui->form.done_check_until_ms < ui->form.done_until_ms)
        return ui->form.done_check_until_ms;
    return ui->form.done_until_ms;
}

static void tick(struct ui *ui, int64_t now_ms)
{
    if (signup_done_poll(ui, now_ms))
        ui_speech_screen(ui);
    if (now_ms >= ui->form.done_until_ms) {
        ui_reset_to_attract(ui);
        ui->last_input_ms = now_ms;
    }
}

/* The first name goes with the screen. */
static void leave(struct ui *ui, enum screen to)
{
    (void)to;
    signup_wipe(ui);
}

const struct screen_def screen_signup_done = {
    .name = "signup-done",
    .content = CONTENT_BASE,
    .idle = IDLE_RESIDENT,
    .leave = leave,
    .build = build,
    .activate = activate,
    .deadline = deadline,
    .tick = tick,
};
