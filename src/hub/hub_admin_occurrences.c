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
/* From this many occurrences on, the week page counts sign-ups in one
 * query (week_counts) rather than one per occurrence. */
#define COUNTS_BATCH_FROM 1000
#define DAYS 7

/* A localized text of an item's body, in the page's language, else Dutch,
 * else English, else a plain string. ?1 is the language code. */
#define LOCALIZED(field)                                                                          \
    "CASE json_type(" field ") WHEN 'text' THEN json_extract(" field ")"                       \
    " ELSE COALESCE(json_extract(" field " || '.' || ?1),"                                   \
    " json_extract(" field " || '.nl'), json_extract(" field " || '.en')) END"

/* The week page's scan of every activity the user may see (?4: the
 * session's JSON list of locations, NULL = all). It leaves the title and
 * the location's name NULL: the page reads them with SQL_ACTIVITY only
 * for the activities that occur in the week, because taking them out of
 * every body, and every location's rows, were half the page's time (one
 * location's staff, 10,000 activities: p50 84 -> 41 ms; with schema 5's
 * index 17 ms; bench/bench_console.sh). */
static const char SQL_ACTIVITIES[] =
    "SELECT i.id, i.location_id, NULL, NULL, a.starts_at, a.rrule, a.exdates, a.capacity,"
    " a.has_signup FROM items i JOIN activities a ON a.id = i.id"
    " WHERE i.kind = ?3 AND (?4 IS NULL OR i.location_id IN (SELECT value FROM json_each(?4)))"
    " ORDER BY i.seq";

static const char SQL_ACTIVITY[] =
    "SELECT i.id, i.location_id, " LOCALIZED("i.body, '$.title'") ", "
    LOCALIZED("l.body, '$.name'") ", a.starts_at, a.rrule, a.exdates, a.capacity,"
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

/* The starts of the current row's activity in [from, to), at most max. */
static size_t expand_row(sqlite3_stmt *st, int64_t from, int64_t to, int64_t *out, size_t max)
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
    return rrule_expand(r, sqlite3_column_int64(st, COL_STARTS_AT), exdates, n_ex, from, to, out,
                        max);
}

struct counts {
    int64_t confirmed, waiting, to_call;
};

static bool occurrence_counts(struct hub_db *db, const char *activity, int64_t at,
                              struct counts *out)
{
    static const char sql[] =
        "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN party_size END), 0),"
        " COALESCE(SUM(status = 'waitlisted'), 0),"
        " COALESCE(SUM(status != 'cancelled' AND (to_call != 0 OR status IN ('full','closed'))),"
        " 0) FROM signups WHERE activity_id = ?1 AND occurrence = ?2";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, activity);
    sqlite3_bind_int64(st, 2, at);
    bool ok = hub_db_step(db, st) == SQLITE_ROW;
    if (ok) {
        out->confirmed = sqlite3_column_int64(st, 0);
        out->waiting = sqlite3_column_int64(st, 1);
        out->to_call = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return ok;
}

/* The counts of one occurrence, for the week page. */
struct occ_counts {
    char id[FEED_ID_MAX + 1];
    int64_t at;
    struct counts k;
};

static int occ_counts_cmp(const void *a, const void *b)
{
    const struct occ_counts *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c != 0)
        return c;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The counts of every occurrence starting in [from, to) that has
 * sign-ups, sorted for occ_counts_find (one query for the whole week:
 * a query per occurrence cost most of the page's time). *out is malloc'd. */
static bool week_counts(struct hub_db *db, int64_t from, int64_t to, struct occ_counts **out,
                        size_t *n)
{
    static const char sql[] =
        "SELECT activity_id, occurrence,"
        " COALESCE(SUM(CASE WHEN status = 'confirmed' THEN party_size END), 0),"
        " COALESCE(SUM(status = 'waitlisted'), 0),"
        " COALESCE(SUM(status != 'cancelled' AND (to_call != 0 OR status IN ('full','closed'))),"
        " 0) FROM signups WHERE occurrence >= ?1 AND occurrence < ?2"
        " GROUP BY activity_id, occurrence";
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
    if (ok && *n > 1)
        qsort(*out, *n, sizeof **out, occ_counts_cmp);
    return ok;
}

/* The counts of occurrence (id, at); zeros when it has no sign-ups. */
static struct counts occ_counts_find(const struct occ_counts *all, size_t n, const char *id,
                                     int64_t at)
{
    struct occ_counts key = {.at = at};
    snprintf(key.id, sizeof key.id, "%s", id);
    const struct occ_counts *hit = n ? bsearch(&key, all, n, sizeof *all, occ_counts_cmp) : NULL;
    return hit ? hit->k : (struct counts){0, 0, 0};
}

/* An activity's title in the page's language (?1), without its location:
 * the week page takes location names from its own list (location_names),
 * read once, rather than from each location's body once per activity. */
static const char SQL_TITLE[] =
    "SELECT " LOCALIZED("body, '$.title'") " FROM items WHERE kind = ?3 AND id = ?4";

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
        "SELECT id, " LOCALIZED("body, '$.name'") " FROM items WHERE kind = ?2 ORDER BY id";
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

/* The title of the activity id (else its id) and its location's name,
 * into x. false on a database error. */
static bool activity_texts(struct hub_db *db, enum hub_lang lang, const char *id,
                           const char *location, const struct location_name *names,
                           size_t n_names, struct admin_occ *x)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_TITLE);
    if (!st)
        return false;
    bind_activity_query(st, lang);
    hub_db_bind_text(st, 4, id);
    int rc = hub_db_step(db, st);
    if (rc == SQLITE_ROW) {
        const char *title = hub_db_column_text(st, 0);
        const char *loc = location_name_find(names, n_names, location);
        x->title = strdup(title ? title : id);
        x->location = loc ? strdup(loc) : NULL;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW && x->title;
}

static int occ_cmp(const void *a, const void *b)
{
    const struct admin_occ *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void hhmm(int64_t t, char out[8])
{
    struct local_time lt;
    tz_to_local(t, &lt);
    snprintf(out, 8, "%02d:%02d", lt.hour, lt.minute);
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

    struct admin_occ *occs = NULL;
    size_t n = 0, cap = 0;
    struct occ_counts *counts = NULL;
    size_t n_counts = 0;
    bool ok = true;
    struct location_name *names = NULL;
    size_t n_names = 0;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    ok = db && hub_db_begin_read(db) && location_names(db, o.lang, &names, &n_names);
    sqlite3_stmt *st = ok ? hub_db_prepare(db, SQL_ACTIVITIES) : NULL;
    if (st) {
        bind_activity_query(st, o.lang);
        hub_db_bind_text(st, 4, cx->session->locations);
        int rc;
        while ((rc = hub_db_step(db, st)) == SQLITE_ROW && n < WEEK_MAX && ok) {
            if (!hub_session_may_see(cx->session->locations, hub_db_column_text(st, COL_LOCATION)))
                continue;
            int64_t starts[64];
            size_t k = expand_row(st, day[0], day[DAYS], starts, 64);
            struct admin_occ texts = {0};
            if (k > 0)
                ok = activity_texts(db, o.lang, hub_db_column_text(st, COL_ID),
                                    hub_db_column_text(st, COL_LOCATION), names, n_names, &texts);
            if (ok && n + k > cap && n + k <= WEEK_MAX) {
                size_t more = cap ? cap * 2 : 512;
                while (more < n + k)
                    more *= 2;
                struct admin_occ *grown = realloc(occs, more * sizeof *grown);
                ok = grown != NULL;
                if (grown) {
                    occs = grown;
                    cap = more;
                }
            }
            for (size_t j = 0; ok && j < k && n < cap; j++) {
                struct admin_occ *x = &occs[n++];
                x->at = starts[j];
                snprintf(x->id, sizeof x->id, "%s", hub_db_column_text(st, COL_ID));
                x->title = strdup(texts.title);
                x->location = texts.location ? strdup(texts.location) : NULL;
                x->capacity = sqlite3_column_int64(st, COL_CAPACITY);
                x->has_signup = sqlite3_column_int(st, COL_HAS_SIGNUP) != 0;
            }
            free(texts.title);
            free(texts.location);
        }
        ok = ok && (rc == SQLITE_ROW || rc == SQLITE_DONE);
        sqlite3_reset(st);
    } else {
        ok = false;
    }
    if (ok && n > 1)
        qsort(occs, n, sizeof *occs, occ_cmp);
    /* A query per occurrence costs about 10 us through the index; the
     * week's counts in one query cost a scan of all the week's sign-ups,
     * which pays off only for a page of many occurrences (a coordinator's
     * with every location: bench/bench_console.sh). */
    bool batch = n > COUNTS_BATCH_FROM;
    ok = ok && (!batch || week_counts(db, day[0], day[DAYS], &counts, &n_counts));

    admin_page_begin(&o, cx, admin_msg(&o, MSG_WEEK_TITLE));
    fputs("<h1>", o.f);
    hub_html_text(o.f, admin_msg(&o, MSG_WEEK_TITLE));
    fprintf(o.f, "</h1><p><a href=\"/admin/activities/new%s\">%s</a></p>", o.lang_query,
            admin_msg(&o, MSG_ADD_ACTIVITY));
    size_t next = 0;
    for (int d = 0; ok && d < DAYS; d++) {
        fputs("<h2>", o.f);
        day_heading(o.f, o.lang, day[d]);
        fputs("</h2>", o.f);
        size_t first = next;
        while (next < n && occs[next].at < day[d + 1])
            next++;
        if (first == next) {
            fprintf(o.f, "<p>%s</p>", admin_msg(&o, MSG_NOTHING_THIS_DAY));
            continue;
        }
        fprintf(o.f, "<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
                     "</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                admin_msg(&o, MSG_TIME), admin_msg(&o, MSG_ACTIVITY), admin_msg(&o, MSG_LOCATION),
                admin_msg(&o, MSG_CONFIRMED), admin_msg(&o, MSG_WAITING), admin_msg(&o, MSG_TO_CALL));
        for (size_t j = first; j < next && ok; j++) {
            struct admin_occ *x = &occs[j];
            struct counts k = {0, 0, 0};
            if (batch)
                k = occ_counts_find(counts, n_counts, x->id, x->at);
            else
                ok = occurrence_counts(db, x->id, x->at, &k);
            char t[8];
            hhmm(x->at, t);
            fprintf(o.f, "<tr><td>%s</td><td><a href=\"/admin/list?activity=%s&amp;at=%" PRId64
                         "%s\">", t, x->id, x->at, o.lang_param);
            hub_html_text(o.f, x->title);
            fputs("</a></td><td>", o.f);
            hub_html_text(o.f, x->location);
            fprintf(o.f, "</td><td>%" PRId64, k.confirmed);
            if (x->capacity >= 0)
                fprintf(o.f, " / %" PRId64, x->capacity);
            fprintf(o.f, "</td><td>%" PRId64 "</td><td>%" PRId64 "</td></tr>", k.waiting,
                    k.to_call);
        }
        fputs("</tbody></table>", o.f);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(opts->pool, db);
    for (size_t j = 0; j < n; j++) {
        free(occs[j].title);
        free(occs[j].location);
    }
    free(occs);
    free(counts);
    location_names_free(names, n_names);
    hub_html_end(o.f);
    if (!ok) {
        fclose(o.f);
        free(o.buf);
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
    if (found == 1 && expand_row(st, (int64_t)v, (int64_t)v + 1, &start, 1) != 1)
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
        fclose(o.f);
        free(o.buf);
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
