/*
 * signup-done: what the resident signed up for (or the waiting list), with
 * a goodbye by first name and a code that puts the activity in a phone's
 * calendar; back to attract by itself, wiping the name.
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
    char bye[FORM_VALUE_MAX + 256];
    bye[0] = '\0';
    if (form->done_first_name[0])
        ui_fill(ui_tr(ui, "signup.done.bye"), "{name}", form->done_first_name, bye, sizeof bye);
    struct done_sizes z = done_sizes(b, lead, bye[0] ? bye : NULL, w, b->c.f->height - y - t->margin);
    y += canvas_text(&b->c, "signup.done.lead", lead, (struct rect){x, y, w, 0}, z.lead,
                     FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.activity", form->done_title, (struct rect){x, y, w, 0},
                     z.title, FONT_BOLD, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.when", form->done_when, (struct rect){x, y, w, 0},
                     z.when, FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->unit;
    y += canvas_text(&b->c, "signup.done.where", form->done_where, (struct rect){x, y, w, 0},
                     z.where, FONT_REGULAR, t->ink, -1, canvas_screen(&b->c)) + t->gap;
    if (bye[0])
        y += canvas_text(&b->c, "signup.done.bye", frame_strdup(b->c.f, bye, SIZE_MAX),
                         (struct rect){x, y, w, 0}, z.bye, FONT_BOLD, t->ink, -1,
                         canvas_screen(&b->c)) + t->gap;
    const char *done = ui_tr(ui, "signup.done");
    int bw = canvas_button_width(&b->c, done) + 8 * t->unit;
    if (bw > w)
        bw = w;
    canvas_button(&b->c, "signup.done", ROLE_BUTTON, done, (struct rect){x, y, bw, z.button_h},
                  STYLE_PRIMARY, CHECKED_NULL);
    y += z.button_h + 2 * t->gap;
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
