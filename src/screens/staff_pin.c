/*
 * staff-pin: the PIN pad behind the hidden gesture. A PIN is checked
 * against its Argon2 hash and never kept; a PIN of fewer than 6 digits is
 * never tried. Wrong ones are counted in the kiosk's database
 * (model/pinlock.h): the fifth in a row locks the pad for a minute, each
 * further one twice as long, and neither a restart nor a power cut resets
 * that. Digits show as dots.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "model/pinlock.h"
#include "screens/screens.h"

#define TAG "staff"

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    chrome_header(b, ui_tr(ui, "staff.title"), false, false);
    int64_t now = clock_now_ms(ui->env.clock);
    bool locked = now < ui->staff.locked_until_ms;
    int x = t->margin, y = t->header_h + t->gap, w = b->c.f->width - 2 * t->margin;
    const char *prompt = ui_tr(ui, "staff.pin.prompt");
    char message[256] = "";
    if (locked) {
        char hhmm[8];
        ui_format_time(ui->staff.locked_until_ms / 1000 + 59, hhmm, sizeof hhmm);
        ui_fill(ui_tr(ui, "staff.pin.locked"), "{time}", hhmm, message, sizeof message);
    } else if (ui->staff.just_failed) {
        snprintf(message, sizeof message, "%s", ui_tr(ui, "staff.pin.wrong"));
    }
    y += canvas_text(&b->c, "staff.pin.prompt", prompt, (struct rect){x, y, w, 0}, t->font_heading,
                     FONT_BOLD, t->ink, -1, canvas_screen(&b->c));
    char dots[64] = "";
    for (size_t i = 0; i < ui->staff.n_digits && i < 16; i++)
        strcat(dots, "\xE2\x97\x8F "); /* a dot per digit, never the digit */
    struct rect field = {x, y + t->unit, w, t->button_h};
    canvas_fill(&b->c, field, t->surface, t->radius, canvas_screen(&b->c));
    canvas_outline(&b->c, field, t->line, 1, canvas_screen(&b->c));
    canvas_text_line(&b->c, frame_strdup(b->c.f, dots, SIZE_MAX), field.x + 2 * t->unit,
                 field.y + (field.h - t->line_body) / 2, t->font_body, FONT_BOLD, t->ink, field);
    struct widget *fw = frame_add_widget(b->c.f, "pin.field", ROLE_INPUT, prompt, field);
    if (fw)
        fw->text = frame_strdup(b->c.f, dots, SIZE_MAX);
    y = field.y + field.h + t->unit;
    if (message[0])
        y += canvas_text(&b->c, "staff.pin.message", frame_strdup(b->c.f, message, SIZE_MAX),
                         (struct rect){x, y, w, 0}, t->font_body, FONT_BOLD, t->alert, -1,
                         canvas_screen(&b->c));
    y += t->gap;
    static const char *const pad[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"},
                                          {"back", "0", "ok"}};
    int bottom = b->c.f->height - t->margin - t->button_h - t->gap;
    int key_h = (bottom - y - 3 * t->gap) / 4;
    if (key_h > 3 * t->button_h / 2)
        key_h = 3 * t->button_h / 2;
    if (key_h < THEME_MIN_TARGET)
        key_h = THEME_MIN_TARGET;
    int key_w = key_h * 2;
    if (3 * key_w + 2 * t->gap > w)
        key_w = (w - 2 * t->gap) / 3;
    int left = (b->c.f->width - (3 * key_w + 2 * t->gap)) / 2;
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 3; c++) {
            const char *k = pad[r][c];
            const char *label = strcmp(k, "back") == 0 ? ui_tr(ui, "key.backspace")
                                : strcmp(k, "ok") == 0 ? ui_tr(ui, "pin.ok")
                                                       : k;
            struct widget *kw = canvas_button(&b->c, frame_printf(b->c.f, "pin.%s", k), ROLE_KEY, label,
                                       (struct rect){left + c * (key_w + t->gap),
                                                     y + r * (key_h + t->gap), key_w, key_h},
                                       strcmp(k, "ok") == 0 ? STYLE_PRIMARY : STYLE_PLAIN,
                                       CHECKED_NULL);
            if (kw)
                kw->enabled = !locked;
        }
    }
    const char *cancel = ui_tr(ui, "pin.cancel");
    canvas_button(&b->c, "pin.cancel", ROLE_BUTTON, cancel,
           (struct rect){x, b->c.f->height - t->margin - t->button_h, canvas_button_width(&b->c, cancel),
                         t->button_h},
           STYLE_PLAIN, CHECKED_NULL);
}

/* The lock as the database has it, into the pad's state. */
void staff_pin_load_lock(struct ui *ui)
{
    struct pinlock lk;
    pinlock_read(ui->env.store, clock_now_s(ui->env.clock), &lk);
    ui->staff.wrong = lk.failures;
    ui->staff.locked_until_ms = lk.locked_until_s * 1000;
}

static void check_pin(struct ui *ui)
{
    struct staff_state *s = &ui->staff;
    const char *hash = ui->env.config->staff_pin_hash;
    bool ok = hash && s->n_digits >= PIN_MIN_DIGITS && s->n_digits <= PIN_MAX_DIGITS &&
              crypto_pwhash_str_verify(hash, s->pin, s->n_digits) == 0;
    sodium_memzero(s->pin, sizeof s->pin);
    s->n_digits = 0;
    if (ok) {
        if (!pinlock_clear(ui->env.store))
            log_warn(TAG, "could not clear the PIN lock-out count");
        s->wrong = 0;
        s->locked_until_ms = 0;
        s->just_failed = false;
        s->touch_test = false;
        log_info(TAG, "staff logged in");
        ui_go(ui, SCREEN_STAFF, false);
        return;
    }
    s->just_failed = true;
    int64_t now_s = clock_now_s(ui->env.clock);
    struct pinlock lk;
    if (!pinlock_fail(ui->env.store, now_s, &lk))
        log_warn(TAG, "could not store the wrong PIN count; the lock holds until a restart");
    s->wrong = lk.failures;
    s->locked_until_ms = lk.locked_until_s * 1000;
    log_warn(TAG, "wrong staff PIN (%d in a row)", lk.failures);
    if (lk.locked_until_s > now_s)
        log_warn(TAG, "PIN pad locked for %" PRId64 " s after %d wrong PINs",
                 lk.locked_until_s - now_s, lk.failures);
}

static bool activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    struct staff_state *s = &ui->staff;
    bool locked = clock_now_ms(ui->env.clock) < s->locked_until_ms;
    if (strcmp(id, "pin.cancel") == 0) {
        sodium_memzero(s->pin, sizeof s->pin);
        s->n_digits = 0;
        ui_reset_to_attract(ui);
    } else if (locked) {
        return strncmp(id, "pin.", 4) == 0;
    } else if (strcmp(id, "pin.back") == 0) {
        if (s->n_digits)
            s->pin[--s->n_digits] = '\0';
    } else if (strcmp(id, "pin.ok") == 0) {
        check_pin(ui);
    } else if (strncmp(id, "pin.", 4) == 0 && id[4] >= '0' && id[4] <= '9' && !id[5]) {
        if (s->n_digits + 1 < sizeof s->pin)
            s->pin[s->n_digits++] = id[4];
        s->just_failed = false;
    } else {
        return false;
    }
    ui->dirty = true;
    return true;
}

/* The lock ends by itself: the pad comes back then. */
static int64_t deadline(const struct ui *ui, int64_t now_ms)
{
    return ui->staff.locked_until_ms > now_ms ? ui->staff.locked_until_ms : INT64_MAX;
}

static void tick(struct ui *ui, int64_t now_ms)
{
    if (ui->staff.locked_until_ms && now_ms >= ui->staff.locked_until_ms) {
        ui->staff.locked_until_ms = 0;
        ui->dirty = true;
    }
}

const struct screen_def screen_staff_pin = {
    .name = "staff-pin",
    .content = CONTENT_BASE,
    .idle = IDLE_STAFF,
    .no_staff_gesture = true,
    .build = build,
    .activate = activate,
    .deadline = deadline,
    .tick = tick,
};
