/*
 * The console's occurrence pages: today and the next 6 days per location
 * with their sign-up counts, an occurrence's sign-up list, its print view
 * (one A4 page) and its CSV (hub-api-v1.md "The staff console").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "hub/hub_admin_page.h"
#include "hub/hub_signup.h"
#include "model/feed.h"
#include "model/rrule.h"

/* The occurrences the week page lists at most: far beyond any real
 * week (the benchmark's 10,000 activities make about 8,000), there only so
 * that a broken rule cannot exhaust memory. */
#define WEEK_MAX 200000
#define DAYS 7

/* A localized text at PATH of an item's body, in the page's language
 * (?1), else English, else Dutch. */
#define LOCALIZED(body, path) HUB_SQL_LOCALIZED(body, path, "?1", "'en'")

/* The week page's scan of every activity the user may see: all of them
 * for a coordinator, those of the session's JSON list of locations (?4)
 * for staff, through the index on location. Schema 8 keeps in the
 * activity's row what the page needs (its location, its title in both
 * console languages: ?1 picks one), so that the scan reads one table and
 * no JSON; the location's name comes from the page's own list
 * (location_names), read once. Taking texts out of JSON bodies at every
 * view was most of the page's time (bench/bench_console.sh, 10,000
 * activities: one location's staff p50 84 -> 3 ms; a coordinator's
 * page of 8,513 occurrences 99 -> ? ms of CPU). */
#define SQL_WEEK_COLUMNS                                                                          \
    "SELECT id, location_id, CASE ?1 WHEN 'en' THEN title_en ELSE title_nl END, NULL,"           \
    " starts_at, rrule, exdates, capacity, has_signup FROM activities"
static const char SQL_WEEK_ALL[] = SQL_WEEK_COLUMNS;
static const char SQL_WEEK_SOME[] =
    SQL_WEEK_COLUMNS " WHERE location_id IN (SELECT value FROM json_each(?4))";

static const char SQL_ACTIVITY[] =
    "SELECT i.id, i.location_id, " LOCALIZED("i.body", "'$.title'") ", "
    LOCALIZED("l.body", "'$.name'") ", a.starts_at, a.rrule, a.exdates, a.capacity,"
    " a.has_signup FROM items i JOIN activities a ON a.id = i.id"
    " LEFT JOIN items l ON l.kind = ?2 AND l.id = i.location_id"
    " WHERE i.kind = ?3 AND i.id = ?4";

enum { COL_ID, COL_LOCATION, COL_TITLE, COL_LOCATION_NAME, COL_STARTS_AT, COL_RRULE,
       COL_EXDATES, COL_CAPACITY, COL_HAS_SIGNUP };

static void bind_activity_query(sqlite3_stmt *st, enum hub_lang lang)
{
    hub_db_bind_text(st, 1, hub_html_lang_code(lang));
    sqlite3_bind_int(st, 2, FEED_LOCATION);
    sqlite3_bind_int(st, 3, FEED_ACTIVITY);
}

/* The starts of the current row's activity in [from, to), at most max.
 * cache (may be NULL) keeps the local days' UTC offsets across the rows
 * of one page (timeutil.h): a coordinator's week page expands 10,000
 * rules over the same 7 days. */
static size_t expand_row(sqlite3_stmt *st, int64_t from, int64_t to, int64_t *out, size_t max,
                         struct tz_day_cache *cache)
{
    struct rrule rule;
    const struct rrule *r = NULL;
    const char *text = hub_db_column_text(st, COL_RRULE);
    char why[96];
    if (text) {
        if (!rrule_parse(text, &rule, why, sizeof why))
            return 0;
        r = &rule;
    }
    int64_t exdates[64];
    size_t n_ex = 0;
    const char *ex_text = hub_db_column_text(st, COL_EXDATES);
    json_t *ex = ex_text ? json_loads(ex_text, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(ex, i, v) {
        if (n_ex < sizeof exdates / sizeof *exdates)
            exdates[n_ex++] = json_integer_value(v);
    }
    json_decref(ex);
    return rrule_expand_cached(r, sqlite3_column_int64(st, COL_STARTS_AT), exdates, n_ex, from,
                               to, out, max, cache);
}

struct counts {
    int64_t confirmed, waiting, to_call;
};

/* The counts of one occurrence, kept by schema 8's triggers. */
static bool occurrence_counts(struct hub_db *db, const char *activity, int64_t at,
                              struct counts *out)
{
    static const char sql[] = "SELECT confirmed, waiting, to_call FROM occurrence_counts"
                              " WHERE occurrence = ?1 AND activity_id = ?2";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, at);
    hub_db_bind_text(st, 2, activity);
    int rc = hub_db_step(db, st);
    *out = (struct counts){0, 0, 0};
    if (rc == SQLITE_ROW) {
        out->confirmed = sqlite3_column_int64(st, 0);
        out->waiting = sqlite3_column_int64(st, 1);
        out->to_call = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* The counts of one occurrence, for the week page. */
struct occ_counts {
    char id[FEED_ID_MAX + 1];
    int64_t at;
    struct counts k;
};

/* By start, then by activity id: the week page's order, and the order
 * of occurrence_counts' key (SQLite compares text bytewise, as strcmp). */
static int occ_key_cmp(int64_t at, const char *id, int64_t other_at, const char *other_id)
{
    if (at != other_at)
        return at < other_at ? -1 : 1;
    return strcmp(id, other_id);
}

static int occ_counts_cmp(const void *a, const void *b)
{
    const struct occ_counts *x = a, *y = b;
    return occ_key_cmp(x->at, x->id, y->at, y->id);
}

static bool occ_counts_sorted(const struct occ_counts *all, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (occ_counts_cmp(&all[i - 1], &all[i]) > 0)
            return false;
    return true;
}

/* The counts of every occurrence starting in [from, to) that has had
 * sign-ups, in (start, activity id) order for occ_counts_next: the rows
 * of occurrence_counts in its key's order. *out is malloc'd. */
static bool week_counts(struct hub_db *db, int64_t from, int64_t to, struct occ_counts **out,
                        size_t *n)
{
    static const char sql[] =
        "SELECT activity_id, occurrence, confirmed, waiting, to_call FROM occurrence_counts"
        " WHERE occurrence >= ?1 AND occurrence < ?2 ORDER BY occurrence, activity_id";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    size_t cap = 0;
    int rc;
    bool ok = true;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            struct occ_counts *more = realloc(*out, cap * sizeof *more);
            if (!more) {
                ok = false;
                break;
            }
            *out = more;
        }
        struct occ_counts *c = &(*out)[(*n)++];
        snprintf(c->id, sizeof c->id, "%s", hub_db_column_text(st, 0));
        c->at = sqlite3_column_int64(st, 1);
        c->k.confirmed = sqlite3_column_int64(st, 2);
        c->k.waiting = sqlite3_column_int64(st, 3);
        c->k.to_call = sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
    ok = ok && rc == SQLITE_DONE;
    /* The ORDER BY is the table's key, so SQLite sorts nothing; C's and
     * SQLite's order of ids agree (bytewise), and the check costs one pass. */
    if (ok && !occ_counts_sorted(*out, *n))
        qsort(*out, *n, sizeof **out, occ_counts_cmp);
    return ok;
}

/* The counts of occurrence (at, id), zeros when it has no sign-ups, for
 * occurrences asked in (at, id) order: *cursor walks all[] once. */
static struct counts occ_counts_next(const struct occ_counts *all, size_t n, size_t *cursor,
                                     int64_t at, const char *id)
{
    while (*cursor < n && occ_key_cmp(all[*cursor].at, all[*cursor].id, at, id) < 0)
        ++*cursor;
    if (*cursor < n && occ_key_cmp(all[*cursor].at, all[*cursor].id, at, id) == 0)
        return all[*cursor].k;
    return (struct counts){0, 0, 0};
}

/* A location's name in the page's language. */
struct location_name {
    char id[FEED_ID_MAX + 1];
    char *name;
};

static int location_name_cmp(const void *a, const void *b)
{
    return strcmp(((const struct location_name *)a)->id, ((const struct location_name *)b)->id);
}

static void location_names_free(struct location_name *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i].name);
    free(names);
}

/* Every location's name, sorted by id for location_name_find. */
static bool location_names(struct hub_db *db, enum hub_lang lang, struct location_name **out,
                           size_t *n)
{
    static const char sql[] =
        "SELECT id, " LOCALIZED("body", "'$.name'") " FROM items WHERE kind = ?2 ORDER BY id";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    bind_activity_query(st, lang);
    size_t cap = 0;
    int rc;
    bool ok = true;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            struct location_name *more = realloc(*out, cap * sizeof *more);
            if (!more) {
                ok = false;
                break;
            }
            *out = more;
        }
        struct location_name *l = &(*out)[*n];
        snprintf(l->id, sizeof l->id, "%s", hub_db_column_text(st, 0));
        const char *name = hub_db_column_text(st, 1);
        l->name = name ? strdup(name) : NULL;
        ok = !name || l->name;
        (*n)++;
    }
    sqlite3_reset(st);
    ok = ok && rc == SQLITE_DONE;
    if (ok && *n > 1)
        qsort(*out, *n, sizeof **out, location_name_cmp);
    return ok;
}

static const char *location_name_find(const struct location_name *names, size_t n,
                                      const char *id)
{
    if (!id || !n)
        return NULL;
    struct location_name key;
    snprintf(key.id, sizeof key.id, "%s", id);
    const struct location_name *hit = bsearch(&key, names, n, sizeof *names, location_name_cmp);
    return hit ? hit->name : NULL;
}

/* The week page's activities (those that occur in the week) and their
 * occurrences: each occurrence names its activity by index, so a title
 * is copied once per activity, not once per date. */
struct week_activity {
    char id[FEED_ID_MAX + 1];
    char *title;
    const char *location;           /* the page's location_names, or NULL */
    int64_t capacity;               /* -1 = unlimited */
};

/* While the scan runs, an occurrence is its start and its activity's
 * index; week_sort turns each into one sortable number, its start from
 * the week's first second in the high half and its activity's rank by
 * id in the low half, so that sorting compares integers: qsort of
 * structs with a strcmp per comparison was a fifth of a coordinator's
 * page. */
struct week_occ {
    int64_t at;
    size_t activity;
};

struct week {
    struct week_activity *activities;
    size_t n_activities, cap_activities;
    struct week_occ *occs;
    size_t n, cap;
    int64_t from;                           /* the week's first second */
    uint64_t *keys;                         /* week_sort: the occurrences in order */
    const struct week_activity **by_id;     /* week_sort: the activities by id */
};

static void week_free(struct week *w)
{
    for (size_t i = 0; i < w->n_activities; i++)
        free(w->activities[i].title);
    free(w->activities);
    free(w->occs);
    free(w->keys);
    free(w->by_id);
}

/* *array (of *cap elements of size bytes) with room for need of them,
 * doubling from first. */
static bool reserve(void **array, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return true;
    size_t more = *cap ? *cap * 2 : first;
    while (more < need)
        more *= 2;
    void *grown = realloc(*array, more * size);
    if (!grown)
        return false;
    *array = grown;
    *cap = more;
    return true;
}

/* Room for one more activity and k more occurrences. */
static bool week_reserve(struct week *w, size_t k)
{
    void *activities = w->activities, *occs = w->occs;
    bool ok = reserve(&activities, &w->cap_activities, w->n_activities + 1,
                      sizeof *w->activities, 256) &&
              reserve(&occs, &w->cap, w->n + k, sizeof *w->occs, 512);
    w->activities = activities;
    w->occs = occs;
    return ok;
}

static int activity_ref_cmp(const void *a, const void *b)
{
    const struct week_activity *const *x = a, *const *y = b;
    return strcmp((*x)->id, (*y)->id);
}

static int key_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The occurrences in (start, activity id) order as keys (struct
 * week_occ). Every start lies in [from, from + 8 days), far inside the
 * high half; WEEK_MAX keeps the ranks inside the low one. */
static bool week_sort(struct week *w)
{
    w->by_id = malloc((w->n_activities ? w->n_activities : 1) * sizeof *w->by_id);
    size_t *rank = malloc((w->n_activities ? w->n_activities : 1) * sizeof *rank);
    w->keys = malloc((w->n ? w->n : 1) * sizeof *w->keys);
    bool ok = w->by_id && rank && w->keys;
    if (ok) {
        for (size_t i = 0; i < w->n_activities; i++)
            w->by_id[i] = &w->activities[i];
        qsort(w->by_id, w->n_activities, sizeof *w->by_id, activity_ref_cmp);
        for (size_t i = 0; i < w->n_activities; i++)
            rank[w->by_id[i] - w->activities] = i;
        for (size_t j = 0; j < w->n; j++)
            w->keys[j] = (uint64_t)(w->occs[j].at - w->from) << 32 | rank[w->occs[j].activity];
        qsort(w->keys, w->n, sizeof *w->keys, key_cmp);
    }
    free(rank);
    return ok;
}

static int64_t key_start(const struct week *w, uint64_t key)
{
    return w->from + (int64_t)(key >> 32);
}

static const struct week_activity *key_activity(const struct week *w, uint64_t key)
{
    return w->by_id[key & UINT32_MAX];
}

static void hhmm(int64_t t, char out[8])
{
    struct local_time lt;
    tz_to_local(t, &lt);
    snprintf(out, 8, "%02d:%02d", lt.hour, lt.minute);
}

/* HH:MM of t, a time of the local day that starts at day_start. On a day
 * without a change of UTC offset (steady) that is plain arithmetic; the
 * zone is asked only on the two days a year that have one: a page of
 * thousands of rows spent a tenth of its time in localtime_r. */
static void hhmm_in_day(int64_t t, int64_t day_start, bool steady, char out[8])
{
    int64_t minutes = (t - day_start) / 60;
    if (!steady || minutes < 0 || minutes >= 24 * 60) {
        hhmm(t, out);
        return;
    }
    int h = (int)(minutes / 60), m = (int)(minutes % 60);
    out[0] = (char)('0' + h / 10);
    out[1] = (char)('0' + h % 10);
    out[2] = ':';
    out[3] = (char)('0' + m / 10);
    out[4] = (char)('0' + m % 10);
    out[5] = '\0';
}

static void day_heading(FILE *f, enum hub_lang lang, int64_t t)
{
    static const char *const days[2][7] = {
        {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}};
    static const char *const months[2][12] = {
        {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
         "september", "oktober", "november", "december"},
        {"January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"}};
    struct local_time lt;
    tz_to_local(t, &lt);
    int wd = civil_weekday(lt.year, lt.month, lt.day);
    if (lang == HUB_LANG_EN)
        fprintf(f, "%s %d %s %d", days[1][wd], lt.day, months[1][lt.month - 1], lt.year);
    else
        fprintf(f, "%s %d %s %d", days[0][wd], lt.day, months[0][lt.month - 1], lt.year);
}

static void put_i64(FILE *f, int64_t v)
{
    char digits[24];
    size_t n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        digits[sizeof digits - 1 - n++] = '-';
    fwrite(digits + sizeof digits - n, 1, n, f);
}

/* One occurrence's row of the week page. Written with fputs and put_i64
 * rather than fprintf: a coordinator's page has thousands of rows, and
 * format parsing was a tenth of its time. */
static void week_row(FILE *f, const char *time, const struct week_activity *act, int64_t at,
                     const struct counts *k, const char *lang_param)
{
    fputs("<tr><td>", f);
    fputs(time, f);
    fputs("</td><td><a href=\"/admin/list?activity=", f);
    fputs(act->id, f);      /* a feed id: ASCII letters, digits, - and _ only */
    fputs("&amp;at=", f);
    put_i64(f, at);
    fputs(lang_param, f);
    fputs("\">", f);
    hub_html_text(f, act->title);
    fputs("</a></td><td>", f);
    hub_html_text(f, act->location);
    fputs("</td><td>", f);
    put_i64(f, k->confirmed);
    if (act->capacity >= 0) {
        fputs(" / ", f);
        put_i64(f, act->capacity);
    }
    fputs("</td><td>", f);
    put_i64(f, k->waiting);
    fputs("</td><td>", f);
    put_i64(f, k->to_call);
    fputs("</td></tr>", f);
}

enum MHD_Result admin_week_page(const struct admin_ctx *cx)
{
    struct MHD_Connection *c = cx->c;
    const struct hub_admin_options *opts = cx->opts;
    struct admin_out o;
    if (!admin_out_open(&o, c))
        return MHD_NO;
    int64_t now = clock_now_s(opts->clock);
    int64_t day[DAYS + 1];
    day[0] = tz_start_of_day(now);
    /* 36 h past a day's start is always inside the next day, whatever
     * daylight saving does to its length. */
    for (int d = 1; d <= DAYS; d++)
        day[d] = tz_start_of_day(day[d - 1] + 36 * 3600);

    struct week w = {.from = day[0]};
    /* 3 KiB, so not on the stack; NULL (out of memory) only costs time. */
    struct tz_day_cache *tz_cache = calloc(1, sizeof *tz_cache);
    struct occ_counts *counts = NULL;
    size_t n_counts = 0;
    struct location_name *names = NULL;
    size_t n_names = 0;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    bool ok = db && hub_db_begin_read(db) && location_names(db, o.lang, &names, &n_names);
    const char *locations = cx->session->locations;
    sqlite3_stmt *st = ok ? hub_db_prepare(db, locations ? SQL_WEEK_SOME : SQL_WEEK_ALL) : NULL;
    if (st) {
        hub_db_bind_text(st, 1, hub_html_lang_code(o.lang));
        if (locations)
            hub_db_bind_text(st, 4, locations);
        int rc = SQLITE_DONE;
        while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW && w.n < WEEK_MAX) {
            const char *location = hub_db_column_text(st, COL_LOCATION);
            if (!hub_session_may_see(cx->session->locations, location))
                continue;
            int64_t starts[64];
            size_t k = expand_row(st, day[0], day[DAYS], starts, 64, tz_cache);
            if (k == 0)
                continue;
            ok = week_reserve(&w, k);
            if (!ok)
                break;
            const char *id = hub_db_column_text(st, COL_ID);
            const char *title = hub_db_column_text(st, COL_TITLE);
            struct week_activity *act = &w.activities[w.n_activities];
            snprintf(act->id, sizeof act->id, "%s", id);
            act->title = strdup(title ? title : id);
            act->location = location_name_find(names, n_names, location);
            act->capacity = sqlite3_column_int64(st, COL_CAPACITY);
            ok = act->title != NULL;
            for (size_t j = 0; ok && j < k; j++)
                w.occs[w.n++] = (struct week_occ){.at = starts[j], .activity = w.n_activities};
            w.n_activities += ok;
        }
        ok = ok && (rc == SQLITE_ROW || rc == SQLITE_DONE);
        sqlite3_reset(st);
    } else {
        ok = false;
    }
    ok = ok && week_sort(&w);
    ok = ok && week_counts(db, day[0], day[DAYS], &counts, &n_counts);

    admin_page_begin(&o, cx, admin_msg(&o, MSG_WEEK_TITLE));
    fputs("<h1>", o.f);
    hub_html_text(o.f, admin_msg(&o, MSG_WEEK_TITLE));
    fprintf(o.f, "</h1><p><a href=\"/admin/activities/new%s\">%s</a></p>", o.lang_query,
            admin_msg(&o, MSG_ADD_ACTIVITY));
    size_t next = 0, counts_cursor = 0;
    for (int d = 0; ok && d < DAYS; d++) {
        fputs("<h2>", o.f);
        day_heading(o.f, o.lang, day[d]);
        fputs("</h2>", o.f);
        size_t first = next;
        while (next < w.n && key_start(&w, w.keys[next]) < day[d + 1])
            next++;
        bool steady = tz_offset_at(day[d]) == tz_offset_at(day[d + 1]);
        if (first == next) {
            fprintf(o.f, "<p>%s</p>", admin_msg(&o, MSG_NOTHING_THIS_DAY));
            continue;
        }
        fprintf(o.f, "<table class=\"week\"><thead><tr><th scope=\"col\">%s</th>"
                     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                     "<th scope=\"col\">%s</th></tr></thead><tbody>",
                admin_msg(&o, MSG_TIME), admin_msg(&o, MSG_ACTIVITY), admin_msg(&o, MSG_LOCATION),
                admin_msg(&o, MSG_CONFIRMED), admin_msg(&o, MSG_WAITING), admin_msg(&o, MSG_TO_CALL));
        for (size_t j = first; j < next && ok; j++) {
            int64_t at = key_start(&w, w.keys[j]);
            const struct week_activity *act = key_activity(&w, w.keys[j]);
            struct counts k = occ_counts_next(counts, n_counts, &counts_cursor, at, act->id);
            char t[8];
            hhmm_in_day(at, day[d], steady, t);
            week_row(o.f, t, act, at, &k, o.lang_param);
        }
        fputs("</tbody></table>", o.f);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(opts->pool, db);
    week_free(&w);
    free(tz_cache);
    free(counts);
    location_names_free(names, n_names);
    hub_html_end(o.f);
    if (!ok) {
        admin_out_discard(&o);
        return admin_simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return admin_out_send(&o, c, MHD_HTTP_OK, true, NULL, NULL);
}

/* ---- an occurrence's list ----------------------------------------------------------- */

/* A field of a POST's form, else an argument of the URL. */
static const char *occ_arg(const struct admin_ctx *cx, const char *name)
{
    return cx->form ? admin_form_get(cx->form, name) : admin_arg(cx, name);
}

int admin_occ_find(struct hub_db *db, const struct admin_ctx *cx, enum hub_lang lang,
                   struct admin_occ *out)
{
    memset(out, 0, sizeof *out);
    const struct hub_session *session = cx->session;
    const char *id = occ_arg(cx, "activity");
    const char *at = occ_arg(cx, "at");
    if (!id || !feed_id_valid(id) || !at || !*at)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(at, &end, 10);
    if (errno || *end || v < 0)
        return 0;
    sqlite3_stmt *st = hub_db_prepare(db, SQL_ACTIVITY);
    if (!st)
        return -1;
    bind_activity_query(st, lang);
    hub_db_bind_text(st, 4, id);
    int rc = hub_db_step(db, st);
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (found == 1 && !hub_session_may_see(session->locations,
                                           hub_db_column_text(st, COL_LOCATION)))
        found = 0;
    int64_t start;
    if (found == 1 && expand_row(st, (int64_t)v, (int64_t)v + 1, &start, 1, NULL) != 1)
        found = 0;
    if (found == 1) {
        out->at = (int64_t)v;
        snprintf(out->id, sizeof out->id, "%s", id);
        const char *title = hub_db_column_text(st, COL_TITLE);
        const char *loc = hub_db_column_text(st, COL_LOCATION_NAME);
        out->title = strdup(title ? title : id);
        out->location = loc ? strdup(loc) : NULL;
        out->capacity = sqlite3_column_int64(st, COL_CAPACITY);
        out->has_signup = sqlite3_column_int(st, COL_HAS_SIGNUP) != 0;
        if (!out->title)
            found = -1;
    }
    sqlite3_reset(st);
    return found;
}

void admin_occ_clear(struct admin_occ *x)
{
    free(x->title);
    free(x->location);
    memset(x, 0, sizeof *x);
}

enum list_part { PART_CONFIRMED, PART_WAITING, PART_CALLS };

/* "Aanwezig": the header of the attendance column, and what a marked row
 * says in it (on screen and on paper). */
static const char *const attended_header[HUB_LANG_COUNT] = {"Aanwezig", "Present"};
static const char *const attended_mark[HUB_LANG_COUNT] = {"aanwezig", "present"};
static const char *const actions_header[HUB_LANG_COUNT] = {"Acties", "Actions"};

/* One table of the list: confirmed, waiting (by position) or the refused
 * ones to call back; on screen with each row's actions, on paper with
 * attendance only. Returns false on a database error. */
static bool list_part(struct hub_db *db, struct admin_out *o, const struct admin_ctx *cx,
                      const struct admin_occ *x, enum list_part part, bool print)
{
    static const char sql[] =
        "SELECT status, position, party_size, name, phone, remark, to_call, signup_id,"
        " attended_at IS NOT NULL FROM signups"
        " WHERE activity_id = ?1 AND occurrence = ?2 AND ("
        "  (?3 = 0 AND status = 'confirmed') OR (?3 = 1 AND status = 'waitlisted') OR"
        "  (?3 = 2 AND status IN ('full', 'closed')))"
        " ORDER BY CASE WHEN ?3 = 1 THEN position ELSE 0 END, received_at, rowid";
    static const enum hub_msg captions[] = {MSG_CONFIRMED, MSG_WAITING, MSG_CALL};
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, x->id);
    sqlite3_bind_int64(st, 2, x->at);
    sqlite3_bind_int(st, 3, (int)part);
    FILE *f = o->f;
    /* Attendance is for confirmed rows; actions for rows that hold a
     * place or a spot (the refused ones have nothing to cancel). */
    bool attendance = part == PART_CONFIRMED;
    bool actions = !print && part != PART_CALLS;
    fprintf(f, "<h2>%s</h2>", admin_msg(o, captions[part]));
    int rc, rows = 0;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (rows++ == 0) {
            fputs("<table><thead><tr>", f);
            if (part == PART_WAITING)
                fprintf(f, "<th scope=\"col\">%s</th>", admin_msg(o, MSG_POSITION));
            fprintf(f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                       "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                       "<th scope=\"col\">%s</th>",
                    admin_msg(o, MSG_NAME), admin_msg(o, MSG_PHONE), admin_msg(o, MSG_PARTY), admin_msg(o, MSG_REMARK),
                    admin_msg(o, MSG_CALL));
            if (attendance && print)
                fprintf(f, "<th scope=\"col\">%s</th>", attended_header[o->lang]);
            if (actions)
                fprintf(f, "<th scope=\"col\">%s</th>", actions_header[o->lang]);
            fputs("</tr></thead><tbody>", f);
        }
        fputs("<tr>", f);
        if (part == PART_WAITING)
            fprintf(f, "<td>%d</td>", sqlite3_column_int(st, 1));
        fputs("<td>", f);
        hub_html_text(f, hub_db_column_text(st, 3));
        fputs("</td><td>", f);
        hub_html_text(f, hub_db_column_text(st, 4));
        fprintf(f, "</td><td>%d</td><td>", sqlite3_column_int(st, 2));
        hub_html_text(f, hub_db_column_text(st, 5));
        fputs("</td><td>", f);
        const char *status = hub_db_column_text(st, 0);
        if (part == PART_CALLS || sqlite3_column_int(st, 6) != 0) {
            fprintf(f, "<span class=\"call\">%s</span> (", admin_msg(o, MSG_CALL_MARK));
            hub_html_text(f, part != PART_CALLS ? admin_msg(o, MSG_MOVED_UP)
                             : strcmp(status, "full") == 0 ? admin_msg(o, MSG_FULL)
                                                            : admin_msg(o, MSG_CLOSED));
            fputs(")", f);
        }
        fputs("</td>", f);
        bool attended = sqlite3_column_int(st, 8) != 0;
        if (attendance && print)
            fprintf(f, "<td>%s</td>", attended ? attended_mark[o->lang] : "");
        if (actions) {
            fputs("<td class=\"actions\">", f);
            admin_list_row_actions(o, cx, x, hub_db_column_text(st, 7), attendance, attended);
            fputs("</td>", f);
        }
        fputs("</tr>", f);
    }
    sqlite3_reset(st);
    if (rows)
        fputs("</tbody></table>", f);
    else
        fprintf(f, "<p>%s</p>", admin_msg(o, MSG_NO_SIGNUPS));
    return rc == SQLITE_DONE;
}

static enum MHD_Result list_page(const struct admin_ctx *cx, bool print, unsigned status,
                                 const struct admin_list_add *add)
{
    struct MHD_Connection *c = cx->c;
    const struct hub_admin_options *opts = cx->opts;
    struct admin_out o;
    if (!admin_out_open(&o, c))
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    struct admin_occ x;
    int found = db && hub_db_begin_read(db) ? admin_occ_find(db, cx, o.lang, &x) : -1;
    bool ok = found == 1;
    if (ok) {
        char when[8];
        hhmm(x.at, when);
        if (print)
            hub_html_begin(o.f, o.lang, x.title, true, cx->session->username,
                           cx->session->csrf, o.lang_query);
        else
            admin_page_begin(&o, cx, x.title);
        fputs("<h1>", o.f);
        hub_html_text(o.f, x.title);
        fputs("</h1><p>", o.f);
        day_heading(o.f, o.lang, x.at);
        fprintf(o.f, ", %s", when);
        if (x.location) {
            fputs(" – ", o.f);
            hub_html_text(o.f, x.location);
        }
        struct counts k = {0, 0, 0};
        ok = occurrence_counts(db, x.id, x.at, &k);
        fprintf(o.f, ". %s: %" PRId64, admin_msg(&o, MSG_CONFIRMED), k.confirmed);
        if (x.capacity >= 0)
            fprintf(o.f, " / %" PRId64 " %s", x.capacity, admin_msg(&o, MSG_PLACES));
        fputs(".</p>", o.f);
        if (!print) {
            admin_list_notice(&o, cx);
            fprintf(o.f, "<nav><ul><li><a href=\"/admin/print?activity=%s&amp;at=%" PRId64
                         "%s\">%s</a></li><li><a href=\"/admin/list.csv?activity=%s&amp;at=%"
                         PRId64 "\">%s</a></li><li><a href=\"/admin/%s\">%s</a></li></ul></nav>",
                    x.id, x.at, o.lang_param, admin_msg(&o, MSG_PRINT), x.id, x.at,
                    admin_msg(&o, MSG_CSV), o.lang_query, admin_msg(&o, MSG_BACK));
        }
        ok = ok && list_part(db, &o, cx, &x, PART_CONFIRMED, print) &&
             list_part(db, &o, cx, &x, PART_WAITING, print) &&
             list_part(db, &o, cx, &x, PART_CALLS, print);
        if (ok && !print)
            admin_list_add_form(&o, cx, &x, add);
        hub_html_end(o.f);
        admin_occ_clear(&x);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(opts->pool, db);
    if (!ok) {
        admin_out_discard(&o);
        return found == 0 ? admin_simple_page(c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL)
                          : admin_simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return admin_out_send(&o, c, status, true, NULL, NULL);
}

enum MHD_Result admin_list_render(const struct admin_ctx *cx, unsigned status,
                                  const struct admin_list_add *add)
{
    return list_page(cx, false, status, add);
}

enum MHD_Result admin_csv_page(const struct admin_ctx *cx)
{
    struct MHD_Connection *c = cx->c;
    const struct hub_admin_options *opts = cx->opts;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    struct admin_occ x;
    int found = db && hub_db_begin_read(db) ? admin_occ_find(db, cx, HUB_LANG_NL, &x)
                                            : -1;
    bool ok = found == 1 && hub_signup_list_occurrence(db, x.id, x.at, f);
    char disposition[FEED_ID_MAX + 80] = "";
    if (found == 1) {
        snprintf(disposition, sizeof disposition,
                 "attachment; filename=\"%s-%" PRId64 ".csv\"", x.id, x.at);
        admin_occ_clear(&x);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(opts->pool, db);
    bool closed = fclose(f) == 0;
    if (!ok || !closed) {
        free(buf);
        return found == 0 ? admin_simple_page(c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL)
                          : admin_simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return admin_send_body(c, MHD_HTTP_OK, buf, len, "text/csv; charset=utf-8", true,
                     "Content-Disposition", disposition, NULL, NULL);
}

enum MHD_Result admin_list_page(const struct admin_ctx *cx)
{
    return list_page(cx, false, MHD_HTTP_OK, NULL);
}

enum MHD_Result admin_print_page(const struct admin_ctx *cx)
{
    return list_page(cx, true, MHD_HTTP_OK, NULL);
}
