/*
 * signup-done: what the resident signed up for (or the waiting list), with
 * a goodbye by first name and a code that puts the activity in a phone's
 * calendar; back to attract by itself, wiping the name.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "screens/takehome_code.h"

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct signup_form *form = &ui->form;
    chrome_header(b, ui_tr(ui, form->done_waitlisted ? "signup.done.title.waitlist" : "signup.done.title"),
           false, false);
    int x = t->margin, y = t->header_h + 2 * t->gap, w = b->c.f->width - 2 * t->margin;
    /* The sign-up as an event: the activity still shown (the form has
     * gone), never the resident's name. On a wide frame it stands at the
     * right of the texts; on a tall one below the button. */
    char code[TAKEHOME_TEXT_MAX];
    const struct activity_detail *a = ui->content.activity;
    bool has_code = a && takehome_for_signup(ui, a, form->done_waitlisted, code, sizeof code);
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
    const char *lead = ui_tr(ui, form->done_waitlisted ? "signup.done.waitlisted" : "signup.done.text");
    y += canvas_text(&b->c, "signup.done.lead", lead, (struct rect){x, y, w, 0}, t->font_heading,
                     FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.activity", form->done_title, (struct rect){x, y, w, 0},
                     t->font_title, FONT_BOLD, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.when", form->done_when, (struct rect){x, y, w, 0},
                     t->font_heading, FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.where", form->done_where, (struct rect){x, y, w, 0},
                     t->font_body, FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->gap;
    if (form->done_first_name[0]) {
        char bye[FORM_VALUE_MAX + 256];
        ui_fill(ui_tr(ui, "signup.done.bye"), "{name}", form->done_first_name, bye, sizeof bye);
        y += canvas_text(&b->c, "signup.done.bye", frame_strdup(b->c.f, bye, SIZE_MAX), (struct rect){x, y, w, 0}, t->font_heading,
                         FONT_BOLD, t->ink, -1, canvas_screen(&b->c)) + t->gap;
    }
    const char *done = ui_tr(ui, "signup.done");
    int bw = canvas_button_width(&b->c, done) + 8 * t->unit;
    canvas_button(&b->c, "signup.done", ROLE_BUTTON, done, (struct rect){x, y, bw, t->button_h * 3 / 2},
           STYLE_PRIMARY, CHECKED_NULL);
    y += t->button_h * 3 / 2 + 2 * t->gap;
    if (has_code) {
        int size = w * 2 / 5;
        if (size > b->c.f->height - y - t->margin)
            size = b->c.f->height - y - t->margin;
        takehome_block_at(b, "signup.qr", caption, code, x, y, w, size, false);
    }
}

static bool activate(struct ui *ui, const struct widget *w)
{
    if (strcmp(w->id, "signup.done") != 0)
        return false;
    ui_reset_to_attract(ui);
    return true;
}

static int64_t deadline(const struct ui *ui, int64_t now_ms)
{
    (void)now_ms;
    return ui->form.done_until_ms;
}

static void tick(struct ui *ui, int64_t now_ms)
{
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
