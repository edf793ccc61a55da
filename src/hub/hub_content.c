#include "hub/hub_content.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "hub/hub_import.h"
#include "hub/hub_json.h"
#include "hub/hub_session.h"
#include "model/rrule.h"

const char *const hub_content_langs[HUB_CONTENT_LANGS] = {"en", "tr", "ar", "pl", "uk", "ti"};

/* The weekdays as RFC 5545 writes them (BYDAY) and feed-v1's walk_in
 * does, Monday first as civil_weekday() counts. */
static const char *const byday[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const walk_days[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};

/* How far ahead a repeating activity's first day is looked for. */
#define FIRST_DAY_SEARCH 400

/* ---- errors ------------------------------------------------------------------------------ */

static void add_error(struct hub_content_errors *errs, const char *field,
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
        add_error(errs, field, HC_INVALID, "not UTF-8");
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
        add_error(errs, key, HC_MISSING, NULL);
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
        add_error(errs, name, HC_MISSING, NULL);
        return false;
    }
    const char *s;
    size_t n;
    trimmed(v, &s, &n);
    char text[16];
    if (n >= sizeof text || (memcpy(text, s, n), text[n] = '\0', !parse_date(text, lt))) {
        add_error(errs, name, HC_BAD_DATE, NULL);
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
        add_error(errs, name, HC_BAD_TIME, NULL);
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
        add_error(errs, "location_id", HC_MISSING, NULL);
        return;
    }
    if (!hub_session_may_see(locations, v)) {
        add_error(errs, "location_id", HC_NOT_YOURS, NULL);
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
        add_error(errs, "repeat", HC_BAD_CHOICE, NULL);
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
                add_error(errs, "weekday", HC_BAD_CHOICE, NULL);
                return false;
            }
            r->days |= 1u << k;
        }
        if (given && !r->days) {
            add_error(errs, "weekday", HC_NO_WEEKDAY, NULL);
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
            add_error(errs, "monthly_nth", HC_BAD_CHOICE, NULL);
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
        add_error(errs, "signup", HC_BAD_CHOICE, NULL);
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
        add_error(errs, "capacity", HC_BAD_NUMBER, NULL);
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
        add_error(errs, "start", HC_MISSING, NULL);
    int has_end = time_field(form, "end", &end, errs);
    struct rule r = {REPEAT_NONE, 0, 0, 0};
    bool have_rule = have_date && rule_fields(form, &date, &r, errs);
    bool have_until = false;
    if (have_rule && r.repeat != REPEAT_NONE && !blank(first(form, "until"))) {
        have_until = date_field(form, "until", &until, errs);
        if (have_until && (until.year * 10000 + until.month * 100 + until.day <
                           date.year * 10000 + date.month * 100 + date.day))
            add_error(errs, "until", HC_BEFORE, NULL);
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
            add_error(errs, days_name, HC_BAD_CHOICE, NULL);
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
        add_error(errs, days_name, HC_NO_WEEKDAY, NULL);
    if (has_opens == 0)
        add_error(errs, opens_name, HC_MISSING, NULL);
    if (has_closes == 0)
        add_error(errs, closes_name, HC_MISSING, NULL);
    if (has_opens == 1 && has_closes == 1 && closes <= opens)
        add_error(errs, closes_name, HC_BEFORE, NULL);
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
        add_error(errs, name, HC_BAD_DATE, NULL);
        return;
    }
    memcpy(date, s, 10);
    date[10] = '\0';
    memcpy(clock, s + 11, 5);
    clock[5] = '\0';
    if (!parse_date(date, &lt) || !parse_time(clock, &minutes)) {
        add_error(errs, name, HC_BAD_DATE, NULL);
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
            add_error(errs, "location_ids", HC_NOT_YOURS, NULL);
            break;
        }
        const char *loc;
        size_t n;
        trimmed(v, &loc, &n);
        json_array_append_new(ids, json_stringn(loc, n));
    }
    if (ids && !json_array_size(ids) && locations)
        add_error(errs, "location_ids", HC_EVERYWHERE, NULL);
    if (ids && json_array_size(ids))
        json_object_set(item, "location_ids", ids);
    else
        json_object_del(item, "location_ids");
    json_decref(ids);
    moment_field(item, form, "from", errs);
    moment_field(item, form, "until", errs);
    const char *priority = first(form, "priority");
    if (priority && strcmp(priority, "normal") != 0 && strcmp(priority, "urgent") != 0)
        add_error(errs, "priority", HC_BAD_CHOICE, NULL);
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

/* ---- validating and storing ----------------------------------------------------------- */

/* The form field a validator's reason is about: the reason starts with
 * the feed field's name ("ends_at is before starts_at", "title: text over
 * 8 KiB", "signup.capacity ..."). "" when no field shows it. */
static const char *field_of_reason(enum feed_kind kind, const char *reason)
{
    static const struct {
        enum feed_kind kind;
        const char *key, *field;
    } map[] = {
        {FEED_ACTIVITY, "title", "title"},         {FEED_ACTIVITY, "description", "description"},
        {FEED_ACTIVITY, "location_id", "location_id"}, {FEED_ACTIVITY, "starts_at", "date"},
        {FEED_ACTIVITY, "ends_at", "end"},         {FEED_ACTIVITY, "rrule", "repeat"},
        {FEED_ACTIVITY, "exdates", "repeat"},      {FEED_ACTIVITY, "signup", "capacity"},
        {FEED_SERVICE, "name", "name"},            {FEED_SERVICE, "description", "description"},
        {FEED_SERVICE, "how_to", "how_to"},        {FEED_SERVICE, "location_id", "location_id"},
        {FEED_SERVICE, "organization", "organization"}, {FEED_SERVICE, "phone", "phone"},
        {FEED_SERVICE, "email", "email"},          {FEED_SERVICE, "url", "url"},
        {FEED_SERVICE, "walk_in", "walk_in_days_1"}, {FEED_ANNOUNCEMENT, "text", "text"},
        {FEED_ANNOUNCEMENT, "from", "from"},       {FEED_ANNOUNCEMENT, "until", "until"},
        {FEED_ANNOUNCEMENT, "location_ids", "location_ids"},
        {FEED_ANNOUNCEMENT, "priority", "priority"},
    };
    size_t n = strspn(reason, "abcdefghijklmnopqrstuvwxyz_");
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i].kind == kind && strlen(map[i].key) == n && strncmp(reason, map[i].key, n) == 0)
            return map[i].field;
    return "";
}

/* Takes the one item of kind that the validator passes and stores it. */
struct one_sink {
    struct hub_db *db;
    enum feed_kind kind;
    int64_t seq;
    bool stored;
};

static bool one_add(void *ctx, const struct feed_item *item)
{
    struct one_sink *s = ctx;
    if (item->kind != s->kind)
        return true;                /* the hub's locations, there to be referred to */
    s->stored = hub_import_store_item(s->db, item, s->seq);
    return s->stored;
}

static bool one_retract(void *ctx, enum feed_kind kind, const char *id)
{
    struct one_sink *s = ctx;
    if (kind != s->kind)
        return true;
    s->stored = false;
    return hub_import_remove_item(s->db, kind, id);
}

static const char *const array_of[FEED_KIND_COUNT] = {"locations", "activities", "services",
                                                      "announcements"};

/* A feed-v1 document of the hub's locations and item; NULL on error. */
static char *one_item_document(struct hub_db *db, enum feed_kind kind, const json_t *item,
                               int64_t now)
{
    static const char sql[] = "SELECT body FROM items WHERE kind = ?1 ORDER BY seq";
    char generated[RFC3339_LEN];
    rfc3339_format_local(now, generated);
    json_t *locations = json_array();
    json_t *doc = json_pack("{sssiss}", "format", "buurtkiosk-feed", "version", 1,
                            "generated_at", generated);
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = locations && doc && st;
    int rc = SQLITE_DONE;
    if (st) {
        sqlite3_bind_int(st, 1, FEED_LOCATION);
        while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW)
            ok = json_array_append_new(locations,
                                       json_loads(hub_db_column_text(st, 0), 0, NULL)) == 0;
        sqlite3_reset(st);
    }
    ok = ok && rc == SQLITE_DONE;
    if (ok) {
        json_object_set(doc, "locations", locations);
        json_object_set_new(doc, array_of[kind], json_pack("[O]", item));
    }
    char *text = ok ? json_dumps(doc, HUB_JSON_FLAGS) : NULL;
    json_decref(locations);
    json_decref(doc);
    return text;
}

/* hub_content_save inside an open write transaction. */
static enum hub_content_result save_locked(struct hub_db *db, enum feed_kind kind,
                                           const json_t *item, bool replace, int64_t now,
                                           const char *who, enum hub_audit_action action,
                                           struct hub_content_errors *errs)
{
    static const char sql_seq[] = "SELECT seq FROM items WHERE kind = ?1 AND id = ?2";
    static const char sql_next[] = "SELECT COALESCE(MAX(seq) + 1, 0) FROM items";
    const char *id = json_string_value(json_object_get(item, "id"));
    if (!id || !feed_id_valid(id) || kind == FEED_LOCATION || kind >= FEED_KIND_COUNT)
        return HUB_CONTENT_NOT_FOUND;
    sqlite3_stmt *st = hub_db_prepare(db, sql_seq);
    if (!st)
        return HUB_CONTENT_FAILED;
    sqlite3_bind_int(st, 1, (int)kind);
    hub_db_bind_text(st, 2, id);
    int rc = hub_db_step(db, st);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return HUB_CONTENT_FAILED;
    if ((rc == SQLITE_ROW) != replace)
        return replace ? HUB_CONTENT_NOT_FOUND : HUB_CONTENT_FAILED;  /* an id drawn twice */
    if (replace && !hub_import_remove_item(db, kind, id))
        return HUB_CONTENT_FAILED;
    if (!replace) {
        st = hub_db_prepare(db, sql_next);
        if (!st || hub_db_step(db, st) != SQLITE_ROW) {
            if (st)
                sqlite3_reset(st);
            return HUB_CONTENT_FAILED;
        }
        seq = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    char *doc = one_item_document(db, kind, item, now);
    if (!doc)
        return HUB_CONTENT_FAILED;
    struct one_sink one = {db, kind, seq, false};
    struct feed_sink sink = {.ctx = &one, .add = one_add, .retract = one_retract};
    struct feed_report rep;
    enum feed_result result = feed_parse(doc, strlen(doc), &sink, &rep);
    free(doc);
    enum hub_content_result answer = HUB_CONTENT_SAVED;
    if (result == FEED_SINK_FAILED) {
        answer = HUB_CONTENT_FAILED;
    } else if (result != FEED_ACCEPTED || !one.stored) {
        answer = HUB_CONTENT_REFUSED;
        bool named = false;
        for (size_t i = 0; i < rep.n_skips; i++)
            if (rep.skips[i].kind == kind) {
                add_error(errs, field_of_reason(kind, rep.skips[i].reason), HC_INVALID,
                          rep.skips[i].reason);
                named = true;
            }
        if (!named)
            add_error(errs, "", HC_INVALID, rep.reason[0] ? rep.reason : "invalid");
    }
    feed_report_clear(&rep);
    if (answer == HUB_CONTENT_SAVED &&
        (!hub_audit_record(db, now, who, action, id) || !hub_import_content_changed(db, now)))
        answer = HUB_CONTENT_FAILED;
    return answer;
}

static enum hub_content_result finish(struct hub_db *db, enum hub_content_result r)
{
    if (r == HUB_CONTENT_SAVED && hub_db_commit(db))
        return r;
    hub_db_rollback(db);
    return r == HUB_CONTENT_SAVED ? HUB_CONTENT_FAILED : r;
}

enum hub_content_result hub_content_save(struct hub_db *db, enum feed_kind kind,
                                         const json_t *item, bool replace, int64_t now,
                                         const char *who, enum hub_audit_action action,
                                         struct hub_content_errors *errs)
{
    errs->n = 0;
    if (!hub_db_begin_write(db))
        return HUB_CONTENT_FAILED;
    return finish(db, save_locked(db, kind, item, replace, now, who, action, errs));
}

json_t *hub_content_load(struct hub_db *db, enum feed_kind kind, const char *id,
                         const char *locations, bool *failed)
{
    static const char sql[] = "SELECT body FROM items WHERE kind = ?1 AND id = ?2";
    *failed = false;
    if (!id || !feed_id_valid(id))
        return NULL;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st) {
        *failed = true;
        return NULL;
    }
    sqlite3_bind_int(st, 1, (int)kind);
    hub_db_bind_text(st, 2, id);
    int rc = hub_db_step(db, st);
    json_t *item = rc == SQLITE_ROW ? json_loads(hub_db_column_text(st, 0), 0, NULL) : NULL;
    sqlite3_reset(st);
    *failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    if (item && !hub_content_may_touch(kind, item, locations)) {
        json_decref(item);
        item = NULL;
    }
    return item;
}

enum hub_content_result hub_content_remove(struct hub_db *db, enum feed_kind kind,
                                           const char *id, const char *locations, int64_t now,
                                           const char *who, enum hub_audit_action action)
{
    if (!hub_db_begin_write(db))
        return HUB_CONTENT_FAILED;
    bool failed;
    json_t *item = hub_content_load(db, kind, id, locations, &failed);
    enum hub_content_result r = failed ? HUB_CONTENT_FAILED
                                : !item ? HUB_CONTENT_NOT_FOUND
                                        : HUB_CONTENT_SAVED;
    json_decref(item);
    if (r == HUB_CONTENT_SAVED &&
        (!hub_import_remove_item(db, kind, id) || !hub_audit_record(db, now, who, action, id) ||
         !hub_import_content_changed(db, now)))
        r = HUB_CONTENT_FAILED;
    return finish(db, r);
}

enum hub_content_result hub_content_cancel_date(struct hub_db *db, const char *id, int64_t at,
                                                const char *locations, int64_t now,
                                                const char *who)
{
    if (!hub_db_begin_write(db))
        return HUB_CONTENT_FAILED;
    bool failed;
    json_t *item = hub_content_load(db, FEED_ACTIVITY, id, locations, &failed);
    int64_t start;
    enum hub_content_result r = failed ? HUB_CONTENT_FAILED : HUB_CONTENT_NOT_FOUND;
    if (item && hub_content_occurrences(item, at, at + 1, &start, 1) == 1) {
        json_t *ex = json_object_get(item, "exdates");
        if (!json_is_array(ex)) {
            ex = json_array();
            json_object_set_new(item, "exdates", ex);
        }
        char text[RFC3339_LEN];
        rfc3339_format_local(at, text);
        json_array_append_new(ex, json_string(text));
        struct hub_content_errors errs = {0};
        r = save_locked(db, FEED_ACTIVITY, item, true, now, who, HUB_AUDIT_ACTIVITY_CANCEL_DATE,
                        &errs);
        if (r == HUB_CONTENT_REFUSED)
            r = HUB_CONTENT_FAILED;     /* a stored item with one more exdate stays valid */
    }
    json_decref(item);
    return finish(db, r);
}

bool hub_content_each(struct hub_db *db, enum feed_kind kind, const char *locations,
                      void (*fn)(void *ctx, const json_t *item), void *ctx)
{
    static const char sql[] = "SELECT body FROM items WHERE kind = ?1 ORDER BY seq";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int(st, 1, (int)kind);
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        json_t *item = json_loads(hub_db_column_text(st, 0), 0, NULL);
        if (item && hub_content_may_touch(kind, item, locations))
            fn(ctx, item);
        json_decref(item);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

size_t hub_content_occurrences(const json_t *activity, int64_t from, int64_t to, int64_t *out,
                               size_t max)
{
    int64_t start;
    if (!rfc3339_parse(json_string_value(json_object_get(activity, "starts_at")), &start))
        return 0;
    struct rrule rule;
    const char *text = json_string_value(json_object_get(activity, "rrule"));
    char why[96];
    if (text && !rrule_parse(text, &rule, why, sizeof why))
        return 0;
    json_t *ex = json_object_get(activity, "exdates");
    size_t n_ex = json_array_size(ex);
    int64_t *exdates = n_ex ? calloc(n_ex, sizeof *exdates) : NULL;
    if (n_ex && !exdates)
        return 0;
    for (size_t i = 0; i < n_ex; i++)
        if (!rfc3339_parse(json_string_value(json_array_get(ex, i)), &exdates[i]))
            exdates[i] = INT64_MIN;
    size_t n = rrule_expand(text ? &rule : NULL, start, exdates, n_ex, from, to, out, max);
    free(exdates);
    return n;
}

const char *hub_content_text(const json_t *item, const char *key, const char *lang)
{
    json_t *v = json_object_get(item, key);
    if (json_is_string(v))
        return json_string_value(v);
    const char *s = json_string_value(json_object_get(v, lang));
    if (!s)
        s = json_string_value(json_object_get(v, "nl"));
    if (!s && json_object_size(v)) {
        void *it = json_object_iter(v);
        s = json_string_value(json_object_iter_value(it));
    }
    return s;
}
