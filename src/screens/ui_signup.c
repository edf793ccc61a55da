/*
 * Signing up by touch: whether an occurrence takes sign-ups, the form's
 * state, the on-screen keyboard, and storing the sign-up in the outbox
 * before the resident is told "aangemeld". Everything typed is personal
 * data: it is never logged and is wiped on every way out of the form.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/feed.h"
#include "model/localized.h"
#include "base/log.h"
#include "model/outbox.h"
#include "base/timeutil.h"
#include "screens/ui_internal.h"
#include "model/validate.h"

#define TAG "signup"

/* The done screen goes back to attract by itself after this long. */
#define DONE_SCREEN_MS 20000
#define PARTY_SIZE_MAX 10

/* ---- the keyboard ---- */

#define LETTER(c) {"key." c, c, NULL, NULL, 10}
#define ACCENT(lower_c, upper_c) {"key." lower_c, lower_c, upper_c, NULL, 10}

static const struct key_def row_digits[] = {
    LETTER("1"), LETTER("2"), LETTER("3"), LETTER("4"), LETTER("5"),
    LETTER("6"), LETTER("7"), LETTER("8"), LETTER("9"), LETTER("0"),
};
static const struct key_def row_q[] = {
    LETTER("q"), LETTER("w"), LETTER("e"), LETTER("r"), LETTER("t"),
    LETTER("y"), LETTER("u"), LETTER("i"), LETTER("o"), LETTER("p"),
};
static const struct key_def row_a[] = {
    LETTER("a"), LETTER("s"), LETTER("d"), LETTER("f"), LETTER("g"),
    LETTER("h"), LETTER("j"), LETTER("k"), LETTER("l"), {"key.apostrophe", "'", NULL, NULL, 10},
};
static const struct key_def row_z[] = {
    {"key.shift", NULL, NULL, "key.shift", 15}, LETTER("z"), LETTER("x"), LETTER("c"),
    LETTER("v"), LETTER("b"), LETTER("n"), LETTER("m"), {"key.backspace", NULL, NULL, "key.backspace", 15},
};
/* The accents Dutch names need, on keys of their own: no hidden long-press. */
static const struct key_def row_accents[] = {
    ACCENT("é", "É"), ACCENT("è", "È"), ACCENT("ë", "Ë"), ACCENT("ê", "Ê"), ACCENT("ï", "Ï"),
    ACCENT("ö", "Ö"), ACCENT("ü", "Ü"), ACCENT("ç", "Ç"), ACCENT("à", "À"), ACCENT("ñ", "Ñ"),
};
static const struct key_def row_bottom[] = {
    {"key.minus", "-", NULL, NULL, 10},  {"key.period", ".", NULL, NULL, 10},
    {"key.comma", ",", NULL, NULL, 10},  {"key.space", " ", NULL, "key.space", 40},
    {"key.at", "@", NULL, NULL, 10},     {"key.plus", "+", NULL, NULL, 10},
};
static const struct key_def pad_1[] = {LETTER("1"), LETTER("2"), LETTER("3")};
static const struct key_def pad_2[] = {LETTER("4"), LETTER("5"), LETTER("6")};
static const struct key_def pad_3[] = {LETTER("7"), LETTER("8"), LETTER("9")};
static const struct key_def pad_4[] = {
    {"key.plus", "+", NULL, NULL, 10}, LETTER("0"),
    {"key.backspace", NULL, NULL, "key.backspace", 10},
};

struct key_row {
    const struct key_def *keys;
    size_t n;
};

#define ROW(r) {r, sizeof r / sizeof *r}
static const struct key_row text_rows[] = {ROW(row_digits), ROW(row_q), ROW(row_a),
                                           ROW(row_z), ROW(row_accents), ROW(row_bottom)};
static const struct key_row pad_rows[] = {ROW(pad_1), ROW(pad_2), ROW(pad_3), ROW(pad_4)};

size_t ui_keyboard_rows(bool phone_pad)
{
    return phone_pad ? sizeof pad_rows / sizeof *pad_rows : sizeof text_rows / sizeof *text_rows;
}

size_t ui_keyboard_row(bool phone_pad, size_t row, const struct key_def **keys)
{
    const struct key_row *rows = phone_pad ? pad_rows : text_rows;
    if (row >= ui_keyboard_rows(phone_pad))
        return 0;
    *keys = rows[row].keys;
    return rows[row].n;
}

static const struct key_def *find_key(const char *id)
{
    for (int pad = 0; pad < 2; pad++)
        for (size_t r = 0; r < ui_keyboard_rows(pad); r++) {
            const struct key_def *keys;
            size_t n = ui_keyboard_row(pad, r, &keys);
            for (size_t i = 0; i < n; i++)
                if (strcmp(keys[i].id, id) == 0)
                    return &keys[i];
        }
    return NULL;
}

/* ---- whether an occurrence takes sign-ups ---- */

struct activity_facts {
    bool found;
    bool has_signup;
    int64_t capacity;
    bool waitlist;
    int64_t closes_before_min;
    unsigned fields;
    char title[512];
    const char *lang;
};

static bool keep_facts(void *ctx, const struct activity_row *a)
{
    struct activity_facts *f = ctx;
    f->found = true;
    f->has_signup = a->has_signup;
    f->capacity = a->capacity;
    f->waitlist = a->waitlist;
    f->closes_before_min = a->closes_before_min;
    f->fields = a->signup_fields;
    if (f->lang) {
        json_t *title = json_loads(a->title_json, 0, NULL);
        const char *text = localized_pick(title, f->lang);
        snprintf(f->title, sizeof f->title, "%s", text ? text : "");
        json_decref(title);
    }
    return false;
}

static bool keep_taken(void *ctx, const struct occurrence_row *row)
{
    *(int64_t *)ctx = row->taken;
    return false;
}

void ui_signup_state(struct ui *ui, const char *activity_id, int64_t occurrence,
                     struct signup_state *out)
{
    memset(out, 0, sizeof *out);
    struct activity_facts f = {0};
    store_get_activity(ui->env.store, activity_id, keep_facts, &f);
    if (!f.found || !f.has_signup)
        return;
    out->offered = true;
    out->closed = ui_now_s(ui) >= occurrence - f.closes_before_min * 60;
    out->unlimited = f.capacity < 0;
    if (!out->unlimited) {
        int64_t taken = 0;
        struct occurrence_query q = {.from = occurrence, .until = occurrence + 1,
                                     .activity_id = activity_id};
        store_query_occurrences(ui->env.store, &q, keep_taken, &taken);
        out->places_left = f.capacity - taken -
                           outbox_pending_places(ui->env.store, activity_id, occurrence);
        out->waitlist = out->places_left <= 0 && f.waitlist;
    }
    out->open = ui->env.has_hub && !out->closed &&
                (out->unlimited || out->places_left > 0 || out->waitlist);
}

/* ---- the form ---- */

static int first_text_field(unsigned fields)
{
    static const struct {
        enum form_field field;
        unsigned bit;
    } order[] = {{FIELD_NAME, SIGNUP_NAME}, {FIELD_PHONE, SIGNUP_PHONE},
                 {FIELD_EMAIL, SIGNUP_EMAIL}, {FIELD_REMARK, SIGNUP_REMARK}};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (fields & order[i].bit)
            return order[i].field;
    return -1;
}

void ui_signup_wipe(struct ui *ui)
{
    /* The compiler may not drop this: the form held personal data. */
    sodium_memzero(&ui->form, sizeof ui->form);
    ui->form.focus = -1;
}

void ui_signup_open(struct ui *ui, const char *activity_id, int64_t occurrence)
{
    struct signup_state st;
    ui_signup_state(ui, activity_id, occurrence, &st);
    if (!st.open)
        return;
    struct activity_facts f = {.lang = ui->lang};
    store_get_activity(ui->env.store, activity_id, keep_facts, &f);
    ui_signup_wipe(ui);
    snprintf(ui->form.title, sizeof ui->form.title, "%s", f.title);
    snprintf(ui->form.activity_id, sizeof ui->form.activity_id, "%s", activity_id);
    ui->form.occurrence = occurrence;
    ui->form.fields = f.fields;
    ui->form.waitlist = st.waitlist;
    ui->form.party_size = 1;
    ui->form.focus = first_text_field(f.fields);
    ui->form.reveal_focus = true;
    ui_go_screen(ui, SCREEN_SIGNUP, true);
}

static unsigned bit_of(enum form_field f)
{
    switch (f) {
    case FIELD_NAME: return SIGNUP_NAME;
    case FIELD_PHONE: return SIGNUP_PHONE;
    case FIELD_EMAIL: return SIGNUP_EMAIL;
    case FIELD_PARTY_SIZE: return SIGNUP_PARTY_SIZE;
    case FIELD_REMARK: return SIGNUP_REMARK;
    case FIELD_COUNT: break;
    }
    return 0;
}

bool ui_signup_field_ok(const struct ui *ui, enum form_field f)
{
    const char *v = ui->form.value[f];
    switch (f) {
    case FIELD_NAME: return validate_name(v);
    case FIELD_PHONE: return validate_phone(v, NULL, 0);
    case FIELD_EMAIL: return validate_email(v);
    case FIELD_REMARK: return utf8_chars(v) <= REMARK_MAX_CHARS;
    case FIELD_PARTY_SIZE: return ui->form.party_size >= 1 && ui->form.party_size <= PARTY_SIZE_MAX;
    case FIELD_COUNT: break;
    }
    return false;
}

bool ui_signup_ready(const struct ui *ui)
{
    if (!ui->form.consent)
        return false;
    for (int f = 0; f < FIELD_COUNT; f++)
        if ((ui->form.fields & bit_of((enum form_field)f)) && !ui_signup_field_ok(ui, (enum form_field)f))
            return false;
    return true;
}

static size_t field_limit(enum form_field f)
{
    switch (f) {
    case FIELD_NAME: return NAME_MAX_CHARS;
    case FIELD_PHONE: return PHONE_MAX_BYTES;
    case FIELD_EMAIL: return EMAIL_MAX_BYTES;
    case FIELD_REMARK: return REMARK_MAX_CHARS;
    default: return 0;
    }
}

static void type_key(struct ui *ui, const struct key_def *k)
{
    struct signup_form *form = &ui->form;
    if (form->focus < 0)
        return;
    char *v = form->value[form->focus];
    size_t len = strlen(v);
    if (strcmp(k->id, "key.shift") == 0) {
        form->shift = !form->shift;
    } else if (strcmp(k->id, "key.backspace") == 0) {
        while (len && ((unsigned char)v[len - 1] & 0xC0) == 0x80)
            v[--len] = '\0';
        if (len)
            v[--len] = '\0';
    } else if (k->lower) {
        const char *add = k->lower;
        if (form->shift) {
            add = k->upper ? k->upper : add;
            static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
            char upper[2] = {0, 0};
            if (strlen(add) == 1 && strchr(letters, add[0])) {
                upper[0] = (char)(add[0] - 'a' + 'A');
                add = upper;
            }
            size_t n = strlen(add);
            if (utf8_chars(v) < field_limit((enum form_field)form->focus) &&
                len + n < FORM_VALUE_MAX)
                memcpy(v + len, add, n + 1);
            /* Shift holds for one letter, as on a phone. */
            form->shift = false;
        } else {
            size_t n = strlen(add);
            if (utf8_chars(v) < field_limit((enum form_field)form->focus) &&
                len + n < FORM_VALUE_MAX)
                memcpy(v + len, add, n + 1);
        }
    }
    ui->dirty = true;
}

static void first_name_of(const char *name, char *out, size_t len)
{
    while (*name == ' ')
        name++;
    size_t n = strcspn(name, " ");
    snprintf(out, len, "%.*s", (int)n, name);
}

struct done_facts {
    struct ui *ui;
};

static bool keep_done_facts(void *ctx, const struct activity_row *a)
{
    struct ui *ui = ctx;
    json_t *title = json_loads(a->title_json, 0, NULL);
    const char *t = localized_pick(title, ui->lang);
    snprintf(ui->form.done_title, sizeof ui->form.done_title, "%s", t ? t : "");
    json_decref(title);
    const char *where = ui_location_name(ui, a->location_id);
    const struct location_item *loc = ui_location(ui, a->location_id);
    if (where)
        snprintf(ui->form.done_where, sizeof ui->form.done_where, "%s%s%s", where,
                 loc && loc->address ? ", " : "", loc && loc->address ? loc->address : "");
    return false;
}

static void submit(struct ui *ui)
{
    struct signup_form *form = &ui->form;
    if (!ui_signup_ready(ui))
        return;
    form->not_stored = false;
    struct signup_request req = {0};
    snprintf(req.activity_id, sizeof req.activity_id, "%.128s", form->activity_id);
    req.occurrence = form->occurrence;
    char phone[16] = "";
    if (form->fields & SIGNUP_NAME)
        req.name = form->value[FIELD_NAME];
    if (form->fields & SIGNUP_PHONE) {
        validate_phone(form->value[FIELD_PHONE], phone, sizeof phone);
        req.phone = phone;
    }
    if (form->fields & SIGNUP_EMAIL)
        req.email = form->value[FIELD_EMAIL];
    if ((form->fields & SIGNUP_REMARK) && form->value[FIELD_REMARK][0])
        req.remark = form->value[FIELD_REMARK];
    req.party_size = (form->fields & SIGNUP_PARTY_SIZE) ? form->party_size : 1;
    req.waitlist_ok = form->waitlist;
    snprintf(req.language, sizeof req.language, "%s", ui->lang);
    char id[OUTBOX_ID_LEN + 1];
    if (!outbox_add(ui->env.store, &req, ui_now_s(ui), id)) {
        /* Nothing was promised yet: say so on the form and keep what was
         * typed, so that a second try (or the desk) can take it. */
        log_error(TAG, "could not store a sign-up");
        sodium_memzero(phone, sizeof phone);
        form->not_stored = true;
        /* The message stands above the buttons: put the keyboard away and
         * show the end of the form, where the resident is looking. */
        form->focus = -1;
        form->reveal_end = true;
        ui->dirty = true;
        return;
    }
    sodium_memzero(phone, sizeof phone);
    /* What the done screen repeats; the rest of the form goes now. */
    char first[FORM_VALUE_MAX];
    first_name_of(form->value[FIELD_NAME], first, sizeof first);
    bool waitlisted = form->waitlist;
    int64_t occurrence = form->occurrence;
    char activity_id[UI_ID_MAX];
    snprintf(activity_id, sizeof activity_id, "%s", form->activity_id);
    ui_signup_wipe(ui);
    snprintf(form->done_first_name, sizeof form->done_first_name, "%s", first);
    sodium_memzero(first, sizeof first);
    form->done_waitlisted = waitlisted;
    store_get_activity(ui->env.store, activity_id, keep_done_facts, ui);
    char day[64], hhmm[8];
    ui_format_day_long(ui, occurrence, day, sizeof day);
    ui_format_time(occurrence, hhmm, sizeof hhmm);
    snprintf(form->done_when, sizeof form->done_when, "%s, %s", day, hhmm);
    form->done_until_ms = clock_now_ms(ui->env.clock) + DONE_SCREEN_MS;
    ui->n_back = 0;
    ui_go_screen(ui, SCREEN_SIGNUP_DONE, false);
    if (ui->env.signup_stored)
        ui->env.signup_stored(ui->env.signup_ctx);
}

void ui_signup_type(struct ui *ui, const char *key_id)
{
    const struct key_def *k = find_key(key_id);
    if (k)
        type_key(ui, k);
}

bool ui_signup_activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    struct signup_form *form = &ui->form;
    if (strcmp(id, "activity.signup") == 0) {
        ui_signup_open(ui, ui->here.activity_id, ui->here.occurrence);
        return true;
    }
    if (ui->screen == SCREEN_SIGNUP_DONE && strcmp(id, "signup.done") == 0) {
        ui_reset_to_attract(ui);
        return true;
    }
    if (ui->screen != SCREEN_SIGNUP)
        return false;
    if (strncmp(id, "key.", 4) == 0) {
        const struct key_def *k = find_key(id);
        if (k)
            type_key(ui, k);
        return true;
    }
    static const char *const field_ids[FIELD_COUNT] = {"field.name", "field.phone", "field.email",
                                                       "field.party_size", "field.remark"};
    for (int f = 0; f < FIELD_COUNT; f++) {
        if (strcmp(id, field_ids[f]) == 0) {
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
        int step = id[6] == 'p' ? 1 : -1;
        int next = form->party_size + step;
        if (next >= 1 && next <= PARTY_SIZE_MAX)
            form->party_size = next;
        ui->dirty = true;
        return true;
    }
    if (strcmp(id, "signup.consent") == 0) {
        form->consent = !form->consent;
        ui->dirty = true;
        return true;
    }
    if (strcmp(id, "signup.cancel") == 0) {
        ui_signup_wipe(ui);
        ui->screen = SCREEN_ACTIVITY; /* back where the resident came from */
        if (ui->n_back)
            ui->here = ui->back[--ui->n_back];
        ui->screen = ui->here.screen;
        memset(&ui->list, 0, sizeof ui->list);
        ui->dirty = true;
        return true;
    }
    if (strcmp(id, "signup.submit") == 0) {
        submit(ui);
        return true;
    }
    return false;
}
