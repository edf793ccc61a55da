/*
 * The content forms' values -> feed-v1 items (hub_content.h): the
 * builders and the form's own rules, without the database, so that the
 * unit tests and the fuzz target run them alone.
 */
#include "hub/hub_content.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "hub/hub_session.h"

const char *const hub_content_langs[HUB_CONTENT_LANGS] = {"en", "tr", "ar", "pl", "uk", "ti"};

/* The weekdays as RFC 5545 writes them (BYDAY) and feed-v1's walk_in
 * does, Monday first as civil_weekday() counts. */
static const char *const byday[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const walk_days[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};

/* How far ahead a repeating activity's first day is looked for. */
#define FIRST_DAY_SEARCH 400

/* ---- errors ------------------------------------------------------------------------------ */

void hub_content_add_error(struct hub_content_errors *errs, const char *field,
                      enum hub_content_problem problem, const char *detail)
{
    if (errs->n >= HUB_CONTENT_MAX_ERRORS)
        return;
    struct hub_content_error *e = &errs->e[errs->n++];
    snprintf(e->field, sizeof e->field, "%s", field);
    e->problem = problem;
    snprintf(e->detail, sizeof e->detail, "%.127s", detail ? detail : "");
}

const struct hub_content_error *hub_content_error_of(const struct hub_content_errors *errs,
                                                     const char *field)
{
    for (size_t i = 0; i < errs->n; i++)
        if (strcmp(errs->e[i].field, field) == 0)
            return &errs->e[i];
    return NULL;
}

/* ---- reading the form ------------------------------------------------------------------ */

static const char *nth(const struct hub_content_form *f, const char *name, size_t i)
{
    return f->nth(f->ctx, name, i);
}

static const char *first(const struct hub_content_form *f, const char *name)
{
    return nth(f, name, 0);
}

/* value without the white space around it, as [*start, *start + *len). */
static void trimmed(const char *value, const char **start, size_t *len)
{
    const char *s = value ? value : "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    *start = s;
    *len = n;
}

static bool blank(const char *value)
{
    const char *s;
    size_t n;
    trimmed(value, &s, &n);
    return n == 0;
}

/* Sets key to the trimmed value, or deletes it when the value is blank;
 * false (with an error on field) when the value is not UTF-8. */
static bool set_trimmed(json_t *o, const char *key, const char *value, const char *field,
                        struct hub_content_errors *errs)
{
    const char *s;
    size_t n;
    trimmed(value, &s, &n);
    if (!n) {
        json_object_del(o, key);
        return true;
    }
    json_t *v = json_stringn(s, n);
    if (!v) {
        hub_content_add_error(errs, field, HC_INVALID, "not UTF-8");
        return false;
    }
    json_object_set_new(o, key, v);
    return true;
}

/* A plain string field: absent from the form keeps the item's value. */
static void plain_field(json_t *item, const struct hub_content_form *f, const char *name,
                        struct hub_content_errors *errs)
{
    const char *v = first(f, name);
    if (v)
        set_trimmed(item, name, v, name, errs);
}

/* A localized text from NAME (Dutch) and NAME_LANG. A field absent from
 * the form keeps that language of the stored text; an empty one removes
 * it. Languages the form does not offer are kept. */
static void text_field(json_t *item, const char *key, const struct hub_content_form *f,
                       bool required, struct hub_content_errors *errs)
{
    json_t *old = json_object_get(item, key);
    json_t *o = json_is_object(old) ? json_deep_copy(old) : json_object();
    if (!o)
        return;
    if (json_is_string(old))
        json_object_set(o, "nl", old);      /* feed-v1: a plain string is Dutch */
    const char *nl = first(f, key);
    if (nl)
        set_trimmed(o, "nl", nl, key, errs);
    for (size_t i = 0; i < HUB_CONTENT_LANGS; i++) {
        char name[HUB_CONTENT_FIELD_MAX];
        snprintf(name, sizeof name, "%s_%s", key, hub_content_langs[i]);
        const char *v = first(f, name);
        if (v)
            set_trimmed(o, hub_content_langs[i], v, name, errs);
    }
    if (required && !json_object_get(o, "nl") && !hub_content_error_of(errs, key))
        hub_content_add_error(errs, key, HC_MISSING, NULL);
    if (json_object_size(o))
        json_object_set_new(item, key, o);
    else {
        json_object_del(item, key);
        json_decref(o);
    }
}

static bool digits_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* YYYY-MM-DD (what <input type=date> sends), a day that exists. */
static bool parse_date(const char *s, struct local_time *lt)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits_at(s, 4) ||
        !digits_at(s + 5, 2) || !digits_at(s + 8, 2))
        return false;
    memset(lt, 0, sizeof *lt);
    lt->year = atoi(s);
    lt->month = atoi(s + 5);
    lt->day = atoi(s + 8);
    return lt->year >= 2000 && lt->year <= 2200 && lt->month >= 1 && lt->month <= 12 &&
           lt->day >= 1 && lt->day <= civil_days_in_month(lt->year, lt->month);
}

/* HH:MM (what <input type=time> sends), 00:00..23:59, as minutes. */
static bool parse_time(const char *s, int *minutes)
{
    return strlen(s) == 5 && s[2] == ':' && digits_at(s, 2) && digits_at(s + 3, 2) &&
           hhmm_parse(s, minutes) && *minutes < 24 * 60;
}

/* A required date field; false (with an error) when missing or bad. */
static bool date_field(const struct hub_content_form *f, const char *name, struct local_time *lt,
                       struct hub_content_errors *errs)
{
    const char *v = first(f, name);
    if (blank(v)) {
        hub_content_add_error(errs, name, HC_MISSING, NULL);
        return false;
    }
    const char *s;
    size_t n;
    trimmed(v, &s, &n);
    char text[16];
    if (n >= sizeof text || (memcpy(text, s, n), text[n] = '\0', !parse_date(text, lt))) {
        hub_content_add_error(errs, name, HC_BAD_DATE, NULL);
        return false;
    }
    return true;
}

/* A time field: 1 parsed, 0 blank, -1 bad (error added). */
static int time_field(const struct hub_content_form *f, const char *name, int *minutes,
                      struct hub_content_errors *errs)
{
    const char *v = first(f, name);
    if (blank(v))
        return 0;
    const char *s;
    size_t n;
    trimmed(v, &s, &n);
    char text[8];
    if (n >= sizeof text || (memcpy(text, s, n), text[n] = '\0', !parse_time(text, minutes))) {
        hub_content_add_error(errs, name, HC_BAD_TIME, NULL);
        return -1;
    }
    return 1;
}

static void put_local(json_t *item, const char *key, struct local_time lt, int minutes)
{
    lt.hour = minutes / 60;
    lt.minute = minutes % 60;
    lt.second = 0;
    char text[RFC3339_LEN];
    rfc3339_format_local(tz_from_local(&lt), text);
    json_object_set_new(item, key, json_string(text));
}

/* The location an activity or service is at: required, and the user's. */
static void location_field(json_t *item, const struct hub_content_form *f, const char *locations,
                           struct hub_content_errors *errs)
{
    const char *v = first(f, "location_id");
    if (blank(v)) {
        hub_content_add_error(errs, "location_id", HC_MISSING, NULL);
        return;
    }
    if (!hub_session_may_see(locations, v)) {
        hub_content_add_error(errs, "location_id", HC_NOT_YOURS, NULL);
        return;
    }
    /* Whether it exists is the validator's to say (a dangling id). */
    set_trimmed(item, "location_id", v, "location_id", errs);
}

/* A whole number in [min, max]; false when it is not. */
static bool parse_int(const char *v, long min, long max, long *out)
{
    const char *s;
    size_t n;
    trimmed(v, &s, &n);
    if (!n || n > 10)
        return false;
    char text[16];
    memcpy(text, s, n);
    text[n] = '\0';
    char *end;
    errno = 0;
    long x = strtol(text, &end, 10);
    if (errno || *end || x < min || x > max)
        return false;
    *out = x;
    return true;
}

static json_t *begin_item(const json_t *base, const char *id)
{
    json_t *item = base ? json_deep_copy(base) : json_object();
    if (item)
        json_object_set_new(item, "id", json_string(id));
    return item;
}

static json_t *finish_item(json_t *item, struct hub_content_errors *errs)
{
    if (errs->n) {
        json_decref(item);
        return NULL;
    }
    return item;
}

/* ---- activities ------------------------------------------------------------------------ */

enum repeat { REPEAT_NONE, REPEAT_WEEKLY, REPEAT_MONTHLY };

struct rule {
    enum repeat repeat;
    unsigned days;                  /* weekly: bit 0 = Monday */
    int nth;                        /* monthly: 1..4 or -1 */
    int weekday;                    /* monthly: 0 = Monday */
};

/* The n-th (or last, -1) weekday of its month that day is. */
static bool is_nth(const struct local_time *d, int weekday, int nth)
{
    if (civil_weekday(d->year, d->month, d->day) != weekday)
        return false;
    if (nth == -1)
        return d->day + 7 > civil_days_in_month(d->year, d->month);
    return (d->day - 1) / 7 + 1 == nth;
}

static bool rule_matches(const struct rule *r, const struct local_time *d)
{
    switch (r->repeat) {
    case REPEAT_WEEKLY: return (r->days >> civil_weekday(d->year, d->month, d->day)) & 1u;
    case REPEAT_MONTHLY: return is_nth(d, r->weekday, r->nth);
    case REPEAT_NONE: break;
    }
    return true;
}

/* repeat, weekday, monthly_nth; false with errors when wrong. */
static bool rule_fields(const struct hub_content_form *f, const struct local_time *date,
                        struct rule *r, struct hub_content_errors *errs)
{
    memset(r, 0, sizeof *r);
    const char *repeat = first(f, "repeat");
    if (blank(repeat) || strcmp(repeat, "none") == 0)
        r->repeat = REPEAT_NONE;
    else if (strcmp(repeat, "weekly") == 0)
        r->repeat = REPEAT_WEEKLY;
    else if (strcmp(repeat, "monthly") == 0)
        r->repeat = REPEAT_MONTHLY;
    else {
        hub_content_add_error(errs, "repeat", HC_BAD_CHOICE, NULL);
        return false;
    }
    int wd = civil_weekday(date->year, date->month, date->day);
    if (r->repeat == REPEAT_WEEKLY) {
        /* No weekday at all (a form that does not show the days, or none
         * ticked): the date's, as the contract's fields alone imply. A
         * weekday field sent with nothing valid in it is a mistake. */
        size_t given = 0;
        const char *v;
        for (size_t i = 0; (v = nth(f, "weekday", i)) != NULL; i++) {
            given++;
            if (blank(v))
                continue;
            int k = 0;
            while (k < 7 && strcmp(v, byday[k]) != 0)
                k++;
            if (k == 7) {
                hub_content_add_error(errs, "weekday", HC_BAD_CHOICE, NULL);
                return false;
            }
            r->days |= 1u << k;
        }
        if (given && !r->days) {
            hub_content_add_error(errs, "weekday", HC_NO_WEEKDAY, NULL);
            return false;
        }
        if (!given)
            r->days = 1u << wd;
    }
    if (r->repeat == REPEAT_MONTHLY) {
        r->weekday = wd;
        const char *v = first(f, "monthly_nth");
        long n;
        if (blank(v)) {
            r->nth = (date->day - 1) / 7 + 1;
            if (r->nth == 5)
                r->nth = -1;
        } else if (parse_int(v, -1, 4, &n) && n != 0) {
            r->nth = (int)n;
        } else {
            hub_content_add_error(errs, "monthly_nth", HC_BAD_CHOICE, NULL);
            return false;
        }
    }
    return true;
}

static void put_rrule(json_t *item, const struct rule *r, const struct local_time *until)
{
    char text[96] = "";
    size_t n = 0;
    if (r->repeat == REPEAT_NONE) {
        json_object_del(item, "rrule");
        return;
    }
    if (r->repeat == REPEAT_WEEKLY) {
        n = (size_t)snprintf(text, sizeof text, "FREQ=WEEKLY;BYDAY=");
        for (int k = 0; k < 7; k++)
            if ((r->days >> k) & 1u)
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%s",
                                      text[n - 1] == '=' ? "" : ",", byday[k]);
    } else {
        n = (size_t)snprintf(text, sizeof text, "FREQ=MONTHLY;BYDAY=%d%s", r->nth,
                             byday[r->weekday]);
    }
    if (until)
        snprintf(text + n, sizeof text - n, ";UNTIL=%04d%02d%02d", until->year, until->month,
                 until->day);
    json_object_set_new(item, "rrule", json_string(text));
}

/* signup ("yes"/"no"; absent keeps the item's), capacity, waitlist. */
static void signup_fields(json_t *item, const struct hub_content_form *f,
                          struct hub_content_errors *errs)
{
    const char *want = first(f, "signup");
    if (!want)
        return;
    if (strcmp(want, "no") == 0 || blank(want)) {
        json_object_del(item, "signup");
        return;
    }
    if (strcmp(want, "yes") != 0) {
        hub_content_add_error(errs, "signup", HC_BAD_CHOICE, NULL);
        return;
    }
    json_t *old = json_object_get(item, "signup");
    json_t *s = json_is_object(old) ? json_deep_copy(old) : json_object();
    if (!s)
        return;
    const char *cap = first(f, "capacity");
    long n;
    if (blank(cap))
        json_object_del(s, "capacity");
    else if (parse_int(cap, 0, 100000, &n))
        json_object_set_new(s, "capacity", json_integer(n));
    else
        hub_content_add_error(errs, "capacity", HC_BAD_NUMBER, NULL);
    const char *wait = first(f, "waitlist");
    json_object_set_new(s, "waitlist", json_boolean(wait && strcmp(wait, "1") == 0));
    json_object_set_new(item, "signup", s);
}

json_t *hub_content_activity(const struct hub_content_form *form, const json_t *base,
                             const char *id, const char *locations,
                             struct hub_content_errors *errs)
{
    errs->n = 0;
    json_t *item = begin_item(base, id);
    if (!item)
        return NULL;
    text_field(item, "title", form, true, errs);
    location_field(item, form, locations, errs);
    struct local_time date, until;
    bool have_date = date_field(form, "date", &date, errs);
    int start = 0, end = 0;
    int has_start = time_field(form, "start", &start, errs);
    if (has_start == 0)
        hub_content_add_error(errs, "start", HC_MISSING, NULL);
    int has_end = time_field(form, "end", &end, errs);
    struct rule r = {REPEAT_NONE, 0, 0, 0};
    bool have_rule = have_date && rule_fields(form, &date, &r, errs);
    bool have_until = false;
    if (have_rule && r.repeat != REPEAT_NONE && !blank(first(form, "until"))) {
        have_until = date_field(form, "until", &until, errs);
        if (have_until && (until.year * 10000 + until.month * 100 + until.day <
                           date.year * 10000 + date.month * 100 + date.day))
            hub_content_add_error(errs, "until", HC_BEFORE, NULL);
    }
    text_field(item, "description", form, false, errs);
    signup_fields(item, form, errs);
    if (errs->n)
        return finish_item(item, errs);

    /* feed-v1 counts starts_at as an occurrence whatever the rule says, so
     * a repeating activity starts on the first day its rule names. */
    struct local_time day = date;
    int tries = 0;
    while (!rule_matches(&r, &day) && tries++ < FIRST_DAY_SEARCH)
        civil_add_days(&day, 1);
    put_local(item, "starts_at", day, start);
    if (has_end == 1)
        put_local(item, "ends_at", day, end);
    else
        json_object_del(item, "ends_at");
    put_rrule(item, &r, have_until ? &until : NULL);
    return finish_item(item, errs);
}

/* ---- services ------------------------------------------------------------------------------ */

/* One walk-in row; NULL when it is empty or wrong (errors added). */
static json_t *walk_in_row(const struct hub_content_form *f, int row,
                           struct hub_content_errors *errs)
{
    char days_name[HUB_CONTENT_FIELD_MAX], opens_name[HUB_CONTENT_FIELD_MAX],
        closes_name[HUB_CONTENT_FIELD_MAX];
    snprintf(days_name, sizeof days_name, "walk_in_days_%d", row);
    snprintf(opens_name, sizeof opens_name, "walk_in_opens_%d", row);
    snprintf(closes_name, sizeof closes_name, "walk_in_closes_%d", row);
    json_t *days = json_array();
    const char *v;
    for (size_t i = 0; days && (v = nth(f, days_name, i)) != NULL; i++) {
        if (blank(v))
            continue;
        int k = 0;
        while (k < 7 && strcmp(v, walk_days[k]) != 0)
            k++;
        if (k == 7) {
            hub_content_add_error(errs, days_name, HC_BAD_CHOICE, NULL);
            json_decref(days);
            return NULL;
        }
        json_array_append_new(days, json_string(walk_days[k]));
    }
    int opens = 0, closes = 0;
    int has_opens = time_field(f, opens_name, &opens, errs);
    int has_closes = time_field(f, closes_name, &closes, errs);
    if (!json_array_size(days) && has_opens == 0 && has_closes == 0) {
        json_decref(days);
        return NULL;                /* an unused row */
    }
    if (!json_array_size(days))
        hub_content_add_error(errs, days_name, HC_NO_WEEKDAY, NULL);
    if (has_opens == 0)
        hub_content_add_error(errs, opens_name, HC_MISSING, NULL);
    if (has_closes == 0)
        hub_content_add_error(errs, closes_name, HC_MISSING, NULL);
    if (has_opens == 1 && has_closes == 1 && closes <= opens)
        hub_content_add_error(errs, closes_name, HC_BEFORE, NULL);
    if (!json_array_size(days) || has_opens != 1 || has_closes != 1 || closes <= opens) {
        json_decref(days);
        return NULL;
    }
    char o[16], c[16];
    snprintf(o, sizeof o, "%02d:%02d", opens / 60 % 24, opens % 60);
    snprintf(c, sizeof c, "%02d:%02d", closes / 60 % 24, closes % 60);
    return json_pack("{sososs}", "days", days, "opens", json_string(o), "closes", c);
}

json_t *hub_content_service(const struct hub_content_form *form, const json_t *base,
                            const char *id, const char *locations,
                            struct hub_content_errors *errs)
{
    errs->n = 0;
    json_t *item = begin_item(base, id);
    if (!item)
        return NULL;
    text_field(item, "name", form, true, errs);
    location_field(item, form, locations, errs);
    plain_field(item, form, "organization", errs);
    text_field(item, "description", form, false, errs);
    /* The walk-in hours as a whole: a form that sends none of their fields
     * keeps the stored ones. */
    bool shown = false;
    json_t *walk_in = json_array();
    for (int row = 1; walk_in && row <= HUB_CONTENT_WALK_IN_ROWS; row++) {
        char name[HUB_CONTENT_FIELD_MAX];
        static const char *const parts[] = {"days", "opens", "closes"};
        for (size_t p = 0; p < 3; p++) {
            snprintf(name, sizeof name, "walk_in_%s_%d", parts[p], row);
            shown = shown || first(form, name) != NULL;
        }
        json_t *slot = walk_in_row(form, row, errs);
        if (slot)
            json_array_append_new(walk_in, slot);
    }
    if (shown && json_array_size(walk_in))
        json_object_set(item, "walk_in", walk_in);
    else if (shown)
        json_object_del(item, "walk_in");
    json_decref(walk_in);
    plain_field(item, form, "phone", errs);
    plain_field(item, form, "email", errs);
    plain_field(item, form, "url", errs);
    text_field(item, "how_to", form, false, errs);
    return finish_item(item, errs);
}

/* ---- announcements ---------------------------------------------------------------------- */

/* YYYY-MM-DDTHH:MM (what <input type=datetime-local> sends; also with a
 * space), local time; blank deletes key. */
static void moment_field(json_t *item, const struct hub_content_form *f, const char *name,
                         struct hub_content_errors *errs)
{
    const char *v = first(f, name);
    if (!v)
        return;
    if (blank(v)) {
        json_object_del(item, name);
        return;
    }
    const char *s;
    size_t n;
    trimmed(v, &s, &n);
    char date[11], clock[6];
    struct local_time lt;
    int minutes;
    if (n != 16 || (s[10] != 'T' && s[10] != ' ')) {
        hub_content_add_error(errs, name, HC_BAD_DATE, NULL);
        return;
    }
    memcpy(date, s, 10);
    date[10] = '\0';
    memcpy(clock, s + 11, 5);
    clock[5] = '\0';
    if (!parse_date(date, &lt) || !parse_time(clock, &minutes)) {
        hub_content_add_error(errs, name, HC_BAD_DATE, NULL);
        return;
    }
    put_local(item, name, lt, minutes);
}

json_t *hub_content_announcement(const struct hub_content_form *form, const json_t *base,
                                 const char *id, const char *locations,
                                 struct hub_content_errors *errs)
{
    errs->n = 0;
    json_t *item = begin_item(base, id);
    if (!item)
        return NULL;
    text_field(item, "text", form, true, errs);
    json_t *ids = json_array();
    const char *v;
    for (size_t i = 0; ids && (v = nth(form, "location_ids", i)) != NULL; i++) {
        if (blank(v))
            continue;
        if (!hub_session_may_see(locations, v)) {
            hub_content_add_error(errs, "location_ids", HC_NOT_YOURS, NULL);
            break;
        }
        const char *loc;
        size_t n;
        trimmed(v, &loc, &n);
        json_array_append_new(ids, json_stringn(loc, n));
    }
    if (ids && !json_array_size(ids) && locations)
        hub_content_add_error(errs, "location_ids", HC_EVERYWHERE, NULL);
    if (ids && json_array_size(ids))
        json_object_set(item, "location_ids", ids);
    else
        json_object_del(item, "location_ids");
    json_decref(ids);
    moment_field(item, form, "from", errs);
    moment_field(item, form, "until", errs);
    const char *priority = first(form, "priority");
    if (priority && strcmp(priority, "normal") != 0 && strcmp(priority, "urgent") != 0)
        hub_content_add_error(errs, "priority", HC_BAD_CHOICE, NULL);
    else if (priority)
        json_object_set_new(item, "priority", json_string(priority));
    return finish_item(item, errs);
}

/* ---- ids and who may touch what ---------------------------------------------------------- */

void hub_content_new_id(enum feed_kind kind, char out[FEED_ID_MAX + 1])
{
    static const char *const prefix[FEED_KIND_COUNT] = {"loc", "act", "svc", "ann"};
    unsigned char bytes[8];
    char hex[2 * sizeof bytes + 1];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    snprintf(out, FEED_ID_MAX + 1, "%s-%s", prefix[kind < FEED_KIND_COUNT ? kind : 0], hex);
}

bool hub_content_may_touch(enum feed_kind kind, const json_t *item, const char *locations)
{
    if (!locations)
        return true;
    if (kind != FEED_ANNOUNCEMENT)
        return hub_session_may_see(locations,
                                   json_string_value(json_object_get(item, "location_id")));
    json_t *ids = json_object_get(item, "location_ids");
    if (!json_array_size(ids))
        return false;               /* everywhere: a coordinator's */
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        if (!hub_session_may_see(locations, json_string_value(v)))
            return false;
    }
    return true;
}

