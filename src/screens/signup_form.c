/*
 * Signing up by touch: whether an occurrence takes sign-ups, the form's
 * fields and their checks, and storing the sign-up in the outbox before
 * the resident is told "aangemeld". Everything typed is personal data: it
 * is never logged and is wiped on every way out of the form.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "model/outbox.h"
#include "model/validate.h"
#include "screens/screens.h"

#define TAG "signup"

/* The done screen goes back to attract by itself after this long. */
#define DONE_SCREEN_MS 20000
/* How long the done screen waits for the hub's answer (hub-api-v1 "Telling
 * the resident the truth"). */
#define DONE_CHECK_MS 3000
#define PARTY_SIZE_MAX 10

/* The form's fields, once: widget id, label, error text, the feed's
 * signup_field bit, and how much each takes. */
static const struct field_def {
    const char *id;
    const char *label_key;
    const char *error_key;             /* "" when it cannot be wrong */
    unsigned bit;
    size_t limit;
} fields[FIELD_COUNT] = {
    [FIELD_NAME] = {"field.name", "signup.field.name", "signup.error.name", SIGNUP_NAME,
                    NAME_MAX_CHARS},
    [FIELD_PHONE] = {"field.phone", "signup.field.phone", "signup.error.phone", SIGNUP_PHONE,
                     PHONE_MAX_BYTES},
    [FIELD_EMAIL] = {"field.email", "signup.field.email", "signup.error.email", SIGNUP_EMAIL,
                     EMAIL_MAX_BYTES},
    [FIELD_PARTY_SIZE] = {"field.party_size", "signup.field.party_size", "", SIGNUP_PARTY_SIZE,
                          0},
    [FIELD_REMARK] = {"field.remark", "signup.field.remark", "signup.error.remark", SIGNUP_REMARK,
                      REMARK_MAX_CHARS},
};

const char *signup_field_id(enum form_field f)
{
    return fields[f].id;
}

const char *signup_field_label(enum form_field f)
{
    return fields[f].label_key;
}

const char *signup_field_error(enum form_field f)
{
    return fields[f].error_key;
}

unsigned signup_field_bit(enum form_field f)
{
    return fields[f].bit;
}

size_t signup_field_limit(enum form_field f)
{
    return fields[f].limit;
}

void signup_state_of(const struct ui *ui, const struct activity_detail *a,
                     struct signup_state *out)
{
    memset(out, 0, sizeof *out);
    if (!a || !a->has_signup)
        return;
    out->offered = true;
    out->closed = ui_now_s(ui) >= a->occurrence - a->closes_before_min * 60;
    out->unlimited = a->capacity < 0;
    if (!out->unlimited) {
        out->places_left =
            content_places_left(&ui->content, a->id, a->occurrence, a->capacity, a->taken);
        out->waitlist = out->places_left <= 0 && a->waitlist;
    }
    out->open = ui->env.has_hub && !out->closed &&
                (out->unlimited || out->places_left > 0 || out->waitlist);
    /* Beyond its lease the kiosk offers sign-up only when it can ask the
     * hub; the lease is looked up only then (offline), not every frame. */
    if (out->open && ui->hub_unreachable) {
        int64_t lease = 0;
        out->open = !out->unlimited && out->places_left > 0 &&
                    outbox_lease_left(ui->env.store, a->id, a->occurrence, &lease) && lease > 0;
        out->lease_only = true;
        if (out->open)
            out->waitlist = false;
    }
}

/* The fields that take typing, in the form's order. */
static const enum form_field text_fields[] = {FIELD_NAME, FIELD_PHONE, FIELD_EMAIL, FIELD_REMARK};
#define TEXT_FIELDS (sizeof text_fields / sizeof *text_fields)

/* The first field that takes typing: the keyboard opens on it. */
static int first_text_field(unsigned bits)
{
    for (size_t i = 0; i < TEXT_FIELDS; i++)
        if (bits & fields[text_fields[i]].bit)
            return text_fields[i];
    return -1;
}

/* The form's text field after the focused one; -1 after the last. */
static int next_text_field(const struct ui *ui)
{
    const struct signup_form *form = &ui->form;
    bool after = form->focus < 0;
    for (size_t i = 0; i < TEXT_FIELDS; i++) {
        if (after && (form->fields & fields[text_fields[i]].bit))
            return (int)text_fields[i];
        if ((int)text_fields[i] == form->focus)
            after = true;
    }
    return -1;
}

void signup_focus_next(struct ui *ui)
{
    struct signup_form *form = &ui->form;
    form->focus = next_text_field(ui);
    form->shift = false;
    if (form->focus >= 0)
        form->reveal_focus = true;
    else
        /* Past the last field the keyboard goes away and the form shows
         * its end: the consent and the submit button. */
        form->reveal_end = true;
}

void signup_wipe(struct ui *ui)
{
    /* The compiler may not drop this: the form held personal data. */
    sodium_memzero(&ui->form, sizeof ui->form);
    ui->form.focus = -1;
}

void signup_open(struct ui *ui)
{
    const struct activity_detail *a = ui->content.activity;
    struct signup_state st;
    signup_state_of(ui, a, &st);
    if (!st.open)
        return;
    signup_wipe(ui);
    struct signup_form *form = &ui->form;
    snprintf(form->title, sizeof form->title, "%s", a->title ? a->title : "");
    snprintf(form->activity_id, sizeof form->activity_id, "%s", a->id);
    form->occurrence = a->occurrence;
    form->fields = a->signup_fields;
    form->waitlist = st.waitlist;
    form->party_size = 1;
    form->focus = first_text_field(a->signup_fields);
    form->reveal_focus = true;
    ui_go(ui, SCREEN_SIGNUP, true);
}

bool signup_field_ok(const struct ui *ui, enum form_field f)
{
    const char *v = ui->form.value[f];
    switch (f) {
    case FIELD_NAME: return validate_name(v);
    case FIELD_PHONE: return validate_phone(v, NULL, 0);
    case FIELD_EMAIL: return validate_email(v);
    case FIELD_REMARK: return validate_remark(v);
    case FIELD_PARTY_SIZE: return ui->form.party_size >= 1 && ui->form.party_size <= PARTY_SIZE_MAX;
    case FIELD_COUNT: break;
    }
    return false;
}

bool signup_ready(const struct ui *ui)
{
    if (!ui->form.consent)
        return false;
    for (enum form_field f = 0; f < FIELD_COUNT; f++)
        if ((ui->form.fields & fields[f].bit) && !signup_field_ok(ui, f))
            return false;
    return true;
}

bool signup_party_step(struct ui *ui, int step)
{
    int next = ui->form.party_size + step;
    if (next < 1 || next > PARTY_SIZE_MAX)
        return false;
    ui->form.party_size = next;
    return true;
}

static void first_name_of(const char *name, char *out, size_t len)
{
    while (*name == ' ')
        name++;
    size_t n = strcspn(name, " ");
    snprintf(out, len, "%.*s", (int)n, name);
}

/* What the done screen repeats of the activity: title, when, where. */
static void keep_done_facts(struct ui *ui, int64_t occurrence)
{
    struct signup_form *form = &ui->form;
    const struct activity_detail *a = ui->content.activity;
    if (a) {
        snprintf(form->done_title, sizeof form->done_title, "%s", a->title ? a->title : "");
        const struct location_item *loc = content_location(&ui->content, a->location_id);
        if (loc)
            snprintf(form->done_where, sizeof form->done_where, "%s%s%s", loc->name,
                     loc->address ? ", " : "", loc->address ? loc->address : "");
    }
    ui_format_when(ui, occurrence, occurrence, form->done_when, sizeof form->done_when);
}

void signup_submit(struct ui *ui)
{
    struct signup_form *form = &ui->form;
    if (!signup_ready(ui))
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
    /* Within what is left of this kiosk's lease the kiosk confirms on its
     * own, at once; else it asks the hub (the lease is never used for the
     * waiting list: there are no places left as the kiosk sees them). */
    int64_t lease = 0;
    if (!form->waitlist && !outbox_lease_left(ui->env.store, req.activity_id, req.occurrence, &lease))
        lease = 0;
    req.within_lease = lease >= req.party_size;
    char id[OUTBOX_ID_LEN + 1];
    bool stored = outbox_add(ui->env.store, &req, ui_now_s(ui), id);
    sodium_memzero(phone, sizeof phone);
    if (!stored) {
        /* Nothing was promised yet: say so on the form and keep what was
         * typed, so that a second try (or the desk) can take it. */
        log_error(TAG, "could not store a sign-up");
        form->not_stored = true;
        /* The message stands above the buttons: put the keyboard away and
         * show the end of the form, where the resident is looking. */
        form->focus = -1;
        form->reveal_end = true;
        ui->dirty = true;
        return;
    }
    /* What the done screen repeats; the rest of the form goes now, but
     * for what was typed, kept in memory while the hub may still say
     * full or closed (the resident can take another occurrence). */
    char first[FORM_VALUE_MAX];
    first_name_of(form->value[FIELD_NAME], first, sizeof first);
    bool waitlisted = form->waitlist;
    int64_t occurrence = form->occurrence;
    char activity_id[UI_ID_MAX];
    snprintf(activity_id, sizeof activity_id, "%s", form->activity_id);
    bool kept = !req.within_lease;
    if (kept) {
        memcpy(form->kept_value, form->value, sizeof form->kept_value);
        form->kept_party_size = form->party_size;
        form->kept_fields = form->fields;
    }
    struct signup_form keep = *form;
    signup_wipe(ui);
    if (kept) {
        memcpy(form->kept_value, keep.kept_value, sizeof form->kept_value);
        form->kept_party_size = keep.kept_party_size;
        form->kept_fields = keep.kept_fields;
        form->kept = true;
    }
    sodium_memzero(&keep, sizeof keep);
    snprintf(form->done_first_name, sizeof form->done_first_name, "%s", first);
    sodium_memzero(first, sizeof first);
    form->done_waitlisted = waitlisted;
    keep_done_facts(ui, occurrence);
    int64_t now_ms = clock_now_ms(ui->env.clock);
    form->done_until_ms = now_ms + DONE_SCREEN_MS;
    snprintf(form->done_id, sizeof form->done_id, "%s", id);
    snprintf(form->done_activity_id, sizeof form->done_activity_id, "%s", activity_id);
    form->done_occurrence = occurrence;
    form->done_state = req.within_lease ? DONE_CONFIRMED : DONE_CHECKING;
    form->done_check_until_ms = now_ms + DONE_CHECK_MS;
    form->done_check_started_real_ms = clock_monotonic_ms();
    /* The places this sign-up holds count at once, everywhere. */
    ui_load(ui, CONTENT_PENDING);
    ui_go(ui, SCREEN_SIGNUP_DONE, false);
    if (ui->env.signup_stored)
        ui->env.signup_stored(ui->env.signup_ctx);
}

/* The hub's word for the done screen; "rejected" and "expired" are no
 * place and no refusal the resident can act on: they hear "received"
 * and staff see the rest. */
static enum done_state done_state_of(const struct outbox_answer *ans)
{
    if (strcmp(ans->status, "confirmed") == 0)
        return DONE_CONFIRMED;
    if (strcmp(ans->status, "waitlisted") == 0)
        return DONE_WAITLISTED;
    if (strcmp(ans->status, "full") == 0)
        return DONE_FULL;
    if (strcmp(ans->status, "closed") == 0)
        return DONE_CLOSED;
    return DONE_PENDING;
}

static void forget_kept(struct signup_form *form)
{
    sodium_memzero(form->kept_value, sizeof form->kept_value);
    form->kept = false;
    form->kept_party_size = 0;
    form->kept_fields = 0;
}

bool signup_done_poll(struct ui *ui, int64_t now_ms)
{
    struct signup_form *form = &ui->form;
    if (form->done_state != DONE_CHECKING)
        return false;
    struct outbox_answer ans;
    bool answered = outbox_answer(ui->env.store, form->done_id, &ans) == STORE_FOUND &&
                    strcmp(ans.status, "pending") != 0;
    if (!answered && now_ms < form->done_check_until_ms)
        return false;
    form->done_state = answered ? done_state_of(&ans) : DONE_PENDING;
    form->done_position = answered ? ans.position : 0;
    form->done_waitlisted = form->done_state == DONE_WAITLISTED;
    if (form->done_state != DONE_FULL && form->done_state != DONE_CLOSED)
        forget_kept(form);
    /* The places and whether the hub can be asked, as they are now. */
    struct store_sync_state st;
    if (store_sync_state(ui->env.store, &st))
        ui->hub_unreachable = st.hub_unreachable;
    ui_load(ui, CONTENT_PENDING);
    ui->dirty = true;
    return true;
}

void signup_again(struct ui *ui, int64_t occurrence)
{
    struct signup_form *form = &ui->form;
    if (!form->kept)
        return;
    /* Leaving the done screen wipes the form: what was typed moves aside
     * for the moment the new form takes it, then is wiped there. */
    struct signup_form *keep = malloc(sizeof *keep);
    if (!keep)
        return;
    memcpy(keep, form, sizeof *keep);
    struct place to = {.screen = SCREEN_ACTIVITY, .occurrence = occurrence};
    snprintf(to.activity_id, sizeof to.activity_id, "%s", keep->done_activity_id);
    ui_go_place(ui, &to, false);
    signup_open(ui);
    if (ui->screen == SCREEN_SIGNUP && form->fields == keep->kept_fields) {
        memcpy(form->value, keep->kept_value, sizeof form->value);
        form->party_size = keep->kept_party_size;
        /* Everything is there: the resident gives consent and confirms. */
        form->focus = -1;
        form->reveal_end = true;
    }
    sodium_memzero(keep, sizeof *keep);
    free(keep);
    ui->dirty = true;
}
