/*
 * signup: the form for one occurrence, scrolling above the on-screen
 * keyboard so that the field being typed in is never under it.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"

/* What this form asks for, in the resident's words: "uw naam en
 * telefoonnummer", "اسمك ورقم هاتفك". */
static void consent_fields(const struct ui *ui, const char *lang, unsigned asked, char *buf,
                           size_t len)
{
    static const struct {
        enum form_field field;
        const char *key;
    } items[] = {
        {FIELD_NAME, "signup.consent.field.name"},
        {FIELD_PHONE, "signup.consent.field.phone"},
        {FIELD_EMAIL, "signup.consent.field.email"},
        {FIELD_PARTY_SIZE, "signup.consent.field.party_size"},
        {FIELD_REMARK, "signup.consent.field.remark"},
    };
    const char *chosen[sizeof items / sizeof *items];
    size_t n = 0;
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        if (asked & signup_field_bit(items[i].field))
            chosen[n++] = tr(ui->env.catalogs, lang, items[i].key);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char joined[512], step[512];
        if (i == 0) {
            snprintf(buf, len, "%s", chosen[0]);
            continue;
        }
        const char *pattern = tr(ui->env.catalogs, lang,
                                 i + 1 == n ? "signup.consent.list.last" : "signup.consent.list.more");
        ui_fill(pattern, "{first}", buf, step, sizeof step);
        ui_fill(step, i + 1 == n ? "{last}" : "{next}", chosen[i], joined, sizeof joined);
        snprintf(buf, len, "%s", joined);
    }
}

/* The privacy text: the organisation's own (privacy.consent_text, written
 * in Dutch; *lang says so when the resident reads another language), or
 * the catalogs' in the resident's language. {fields} is filled in the
 * text's own language either way. */
static const char *consent_text(struct build *b, unsigned asked, const char **lang)
{
    struct ui *ui = b->ui;
    const char *configured = ui->env.config->privacy_consent_text;
    const char *text = configured ? configured : ui_tr(ui, "signup.consent.text");
    *lang = configured && strcmp(ui->lang, "nl") != 0 ? "nl" : NULL;
    char fields[512], filled[2048];
    consent_fields(ui, configured ? "nl" : ui->lang, asked, fields, sizeof fields);
    ui_fill(text, "{fields}", fields, filled, sizeof filled);
    return frame_strdup(b->c.f, filled, SIZE_MAX);
}

/* The party size: minus, the number, plus. Returns the height used. */
static int party_size_field(struct build *b, int list, int y)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    const struct signup_form *form = &ui->form;
    struct rect area = ui->list.viewport, clip = area;
    int bh = t->button_h;
    struct widget *w = canvas_button(&b->c, "party.minus", ROLE_BUTTON, "\xE2\x88\x92",
                                     (struct rect){area.x, y, bh, bh}, STYLE_PLAIN, CHECKED_NULL);
    canvas_in_list(&b->c, w, list);
    char count[16];
    snprintf(count, sizeof count, "%d", form->party_size);
    struct rect box = {area.x + bh + t->gap, y, 2 * bh, bh};
    canvas_fill(&b->c, box, t->surface, t->radius, clip);
    int tw = text_width(&ui->measurer, count, t->font_body, FONT_BOLD);
    canvas_text_line(&b->c, frame_strdup(b->c.f, count, SIZE_MAX), box.x + (box.w - tw) / 2,
                     box.y + (bh - t->line_body) / 2, t->font_body, FONT_BOLD, t->ink, clip);
    w = frame_add_widget(b->c.f, "field.party_size", ROLE_INPUT,
                         ui_tr(ui, signup_field_label(FIELD_PARTY_SIZE)), box);
    if (w)
        w->text = frame_strdup(b->c.f, count, SIZE_MAX);
    canvas_in_list(&b->c, w, list);
    w = canvas_button(&b->c, "party.plus", ROLE_BUTTON, "+",
                      (struct rect){box.x + box.w + t->gap, y, bh, bh}, STYLE_PLAIN, CHECKED_NULL);
    canvas_in_list(&b->c, w, list);
    return bh + t->gap;
}

/* A text field with its value (the end of it, where typing happens), the
 * caret when focused, and its error. Returns the height used. */
static int text_field(struct build *b, enum form_field f, int list, int y)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    const struct signup_form *form = &ui->form;
    struct rect area = ui->list.viewport, clip = area;
    int top = y;
    bool focused = form->focus == (int)f;
    const char *value = form->value[f];
    struct rect box = {area.x, y, area.w, t->button_h};
    canvas_fill(&b->c, box, t->surface, t->radius, clip);
    canvas_outline(&b->c, box, focused ? t->primary : t->line, focused ? 3 : 1, clip);
    struct text_block tb;
    /* Show the end of a long value: that is where typing happens. */
    const char *shown = value;
    while (*shown && text_width(&ui->measurer, shown, t->font_body, FONT_REGULAR) >
                         box.w - 4 * t->unit) {
        shown++;
        while (((unsigned char)*shown & 0xC0) == 0x80)
            shown++;
    }
    text_layout(b->c.f, &ui->measurer, shown, t->font_body, FONT_REGULAR, box.w - 3 * t->unit, 1, &tb);
    int text_x = box.x + 2 * t->unit;
    int text_y = box.y + (box.h - t->line_body) / 2;
    if (tb.n_lines)
        canvas_text_line(&b->c, tb.lines[0], text_x, text_y, t->font_body, FONT_REGULAR, t->ink,
                     rect_intersect(box, clip));
    if (focused) {
        int cx = text_x + (tb.n_lines ? tb.widest : 0) + 2;
        canvas_fill(&b->c, (struct rect){cx, text_y, 3, t->line_body}, t->primary, 0, rect_intersect(box, clip));
    }
    struct widget *w = frame_add_widget(b->c.f, signup_field_id(f), ROLE_INPUT, ui_tr(ui, signup_field_label(f)), box);
    if (w) {
        w->text = frame_strdup(b->c.f, value, SIZE_MAX);
        w->focused = focused;
    }
    canvas_in_list(&b->c, w, list);
    y += box.h + t->unit;
    if (value[0] && !signup_field_ok(ui, f) && signup_field_error(f)[0])
        y += canvas_text(&b->c, frame_printf(b->c.f, "%s.error", signup_field_id(f)), ui_tr(ui, signup_field_error(f)),
                         (struct rect){area.x, y, area.w, 0}, t->font_small, FONT_BOLD, t->alert,
                         list, clip) + t->unit;
    y += t->unit;
    return y - top;
}

/* Cancel on the left, submit on the right, at y: in the form's list, or
 * in the bar above the keyboard (list -1). */
static void action_buttons(struct build *b, int list, int y)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    const struct signup_form *form = &ui->form;
    struct rect area = ui->list.viewport;
    const char *cancel = ui_tr(ui, "signup.cancel");
    const char *send = ui_tr(ui, form->waitlist ? "signup.submit.waitlist" : "signup.submit");
    int cw = canvas_button_width(&b->c, cancel), sw = canvas_button_width(&b->c, send) + 4 * t->unit;
    struct widget *w = canvas_button(&b->c, "signup.cancel", ROLE_BUTTON, cancel,
                                     (struct rect){area.x, y, cw, t->button_h}, STYLE_PLAIN, CHECKED_NULL);
    if (list >= 0)
        canvas_in_list(&b->c, w, list);
    bool ready = signup_ready(ui);
    w = canvas_button(&b->c, "signup.submit", ROLE_BUTTON, send,
                      (struct rect){area.x + area.w - sw, y, sw, t->button_h},
                      ready ? STYLE_PRIMARY : STYLE_PLAIN, CHECKED_NULL);
    if (w)
        w->enabled = ready;
    if (list >= 0)
        canvas_in_list(&b->c, w, list);
}

static void build_form(struct build *b)
{
    struct ui *ui = b->ui;
    struct signup_form *form = &ui->form;
    bool phone_pad = form->focus == FIELD_PHONE;
    bool typing = form->focus >= 0;
    const struct theme *t = b->c.t;
    chrome_header(b, ui_tr(ui, form->waitlist ? "signup.title.waitlist" : "signup.title"), true, false);
    int kb_top = typing ? keyboard_build(b, phone_pad, KEYBOARD_END_NEXT) : b->c.f->height;
    /* While typing, cancel and submit stand in a bar right above the
     * keyboard, and the form scrolls in the space above that bar: on a
     * low landscape screen the focused field and the submit button are
     * then both in sight. Tighter spacing there buys a field's height. */
    int space = typing ? t->unit : t->gap;
    int bar_y = kb_top - space - t->button_h;
    int form_bottom = typing ? bar_y - space : kb_top - t->gap;
    struct rect area = {t->margin, t->header_h + space, b->c.f->width - 2 * t->margin,
                        form_bottom - t->header_h - space};
    struct scroller *sc = &ui->list;
    if (form->reveal_end)
        sc->offset = INT_MAX / 2; /* list_begin clamps it to the end */
    int list = canvas_list_begin(&b->c, "signup.form", area, sc->content_h);
    if (form->reveal_focus && form->focus >= 0 && form->field_bottom[form->focus] > 0) {
        int top = form->field_top[form->focus], bottom = form->field_bottom[form->focus];
        if (top - sc->offset < 0)
            sc->offset = top;
        else if (bottom - sc->offset > area.h)
            sc->offset = bottom - area.h;
        form->reveal_focus = false;
    }
    /* On the first layout the fields' places are not known yet. */
    bool reveal_pending = form->reveal_focus && form->focus >= 0;
    int y0 = area.y - sc->offset;
    int y = y0;
    struct rect clip = area;
    b->c.clip = area;
    y += canvas_text(&b->c, "signup.activity", form->title, (struct rect){area.x, y, area.w, 0},
                     t->font_heading, FONT_BOLD, t->ink, list, clip);
    char summary[800];
    ui_format_when(ui, form->occurrence, form->occurrence, summary, sizeof summary);
    y += canvas_text(&b->c, "signup.when", frame_strdup(b->c.f, summary, SIZE_MAX),
                     (struct rect){area.x, y, area.w, 0}, t->font_body, FONT_BOLD, t->ink, list, clip);
    y += t->unit;
    if (form->waitlist)
        y += canvas_text(&b->c, "signup.waitlist", ui_tr(ui, "signup.waitlist_note"),
                         (struct rect){area.x, y, area.w, 0}, t->font_body, FONT_REGULAR, t->alert,
                         list, clip) + t->unit;
    for (enum form_field f = 0; f < FIELD_COUNT; f++) {
        if (!(form->fields & signup_field_bit(f)))
            continue;
        form->field_top[f] = y - y0;
        y += canvas_text(&b->c, "", ui_tr(ui, signup_field_label(f)), (struct rect){area.x, y, area.w, 0},
                         t->font_small, FONT_BOLD, t->ink, list, clip);
        if (f == FIELD_PARTY_SIZE)
            y += party_size_field(b, list, y);
        else
            y += text_field(b, f, list, y);
        form->field_bottom[f] = y - y0;
    }
    const char *consent_lang = NULL;
    const char *consent = consent_text(b, form->fields, &consent_lang);
    size_t consent_widget = b->c.f->n_widgets;
    y += canvas_text(&b->c, "signup.consent-text", chrome_with_note(b, consent, consent_lang),
                     (struct rect){area.x, y, area.w, 0}, t->font_small, FONT_REGULAR, t->ink_soft, list,
                     clip);
    chrome_mark_lang(b, consent_widget, NULL, consent_lang);
    y += t->unit;
    const char *agree = ui_tr(ui, "signup.consent");
    struct widget *w = canvas_button(&b->c, "signup.consent", ROLE_TOGGLE,
                              frame_printf(b->c.f, "%s %s", form->consent ? "\xE2\x98\x91" : "\xE2\x98\x90", agree),
                              (struct rect){area.x, y, canvas_button_width(&b->c, agree) + 6 * t->unit, t->button_h},
                              STYLE_PLAIN, form->consent ? CHECKED_TRUE : CHECKED_FALSE);
    canvas_in_list(&b->c, w, list);
    y += t->button_h + t->gap;
    if (form->not_stored)
        y += canvas_text(&b->c, "signup.error.store", ui_tr(ui, "signup.error.store"),
                         (struct rect){area.x, y, area.w, 0}, t->font_body, FONT_BOLD, t->alert,
                         list, clip) + t->gap;
    if (!typing) {
        action_buttons(b, list, y);
        y += t->button_h + t->gap;
    }
    b->c.clip = canvas_screen(&b->c);
    if (typing)
        action_buttons(b, -1, bar_y);
    int content = y - y0;
    if (content != sc->content_h) {
        sc->content_h = content;
        /* The end moved while building: once more, to land on it. */
        if (form->reveal_end)
            b->c.relayout = true;
    } else {
        form->reveal_end = false;
    }
    if (reveal_pending && form->field_bottom[form->focus] > 0)
        b->c.relayout = true;
}

static bool activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    struct signup_form *form = &ui->form;
    if (keyboard_type(ui, id))
        return true;
    for (enum form_field f = 0; f < FIELD_COUNT; f++) {
        if (strcmp(id, signup_field_id(f)) == 0) {
            if (f != FIELD_PARTY_SIZE) {
                form->focus = f;
                form->shift = false;
                form->reveal_focus = true;
            }
            ui->dirty = true;
            return true;
        }
    }
    if (strcmp(id, "party.minus") == 0 || strcmp(id, "party.plus") == 0) {
        signup_party_step(ui, strcmp(id, "party.plus") == 0 ? 1 : -1);
        ui->dirty = true;
    } else if (strcmp(id, "signup.consent") == 0) {
        form->consent = !form->consent;
        ui->dirty = true;
    } else if (strcmp(id, "signup.cancel") == 0) {
        /* Back where the resident came from; leaving wipes the form. */
        ui_go_back(ui);
    } else if (strcmp(id, "signup.submit") == 0) {
        signup_submit(ui);
    } else {
        return false;
    }
    return true;
}

/* Leaving the form any way but submitting drops what was typed. */
static void leave(struct ui *ui, enum screen to)
{
    if (to != SCREEN_SIGNUP_DONE)
        signup_wipe(ui);
}

/* Large text on a low panel leaves the field no room between header,
 * keyboard and the bar above it: while typing there, the header is one
 * button high (back, home and the title still in it). */
static void build(struct build *b)
{
    const struct theme *full = b->c.t;
    struct theme compact;
    if (b->ui->form.focus >= 0 && b->c.f->height < 3 * full->header_h + 6 * THEME_MIN_TARGET) {
        compact = *full;
        int one_row = compact.button_h + 2 * compact.unit;
        if (one_row < compact.header_h)
            compact.header_h = one_row;
        b->c.t = &compact;
    }
    build_form(b);
    b->c.t = full;
}

const struct screen_def screen_signup = {
    .name = "signup",
    .content = CONTENT_BASE | CONTENT_ACTIVITY,
    .idle = IDLE_RESIDENT,
    .keeps_activity_list = true,
    .no_staff_gesture = true,
    .leave = leave,
    .build = build,
    .activate = activate,
};
