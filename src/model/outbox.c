#include "model/outbox.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/disk.h"
#include "base/log.h"
#include "model/seal.h"
#include "model/store_private.h"

#define TAG "outbox"

/* Stored error texts are cut to this many characters (code points). */
#define ERROR_MAX_CHARS 200
/* A checkpoint blocked by a reader is tried this often, this far apart. */
#define CHECKPOINT_TRIES 20
#define CHECKPOINT_BUSY_MS 100
#define CHECKPOINT_PAUSE_MS 50
/* Set in the erasing transaction itself and cleared once the WAL has been
 * truncated: while it is set, personal data erased from rows may still sit
 * in the WAL (a reader blocked the checkpoint, or the process died between
 * COMMIT and checkpoint), and the next expiry pass (after every push)
 * checkpoints again. */
#define META_CHECKPOINT_OWED "outbox_checkpoint_owed"

void outbox_new_id(char out[OUTBOX_ID_LEN + 1])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10xx (RFC 4122) */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < sizeof b; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0f];
    }
    out[o] = '\0';
}

/* ---- SQLite helpers ---- */

static bool exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error(TAG, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Binds text cut to ERROR_MAX_CHARS code points, never inside a UTF-8
 * sequence; NULL and "" stay NULL. */
static void bind_error(sqlite3_stmt *st, int i, const char *text)
{
    if (!text || !*text) {
        sqlite3_bind_null(st, i);
        return;
    }
    size_t len = 0, chars = 0;
    while (text[len] && chars < ERROR_MAX_CHARS) {
        len++;
        while (((unsigned char)text[len] & 0xc0) == 0x80)
            len++;
        chars++;
    }
    sqlite3_bind_text(st, i, text, (int)len, SQLITE_TRANSIENT);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

/* Every write to the outbox runs with secure_delete on: not only the
 * erasure itself but also an insert or an attempt count can move a
 * row's cell inside its page (or split the page), and without
 * secure_delete the old copy with the personal fields would stay behind
 * in the page's free space, where no later UPDATE reaches it. The
 * setting belongs to the connection and stays on. */
static bool secure_delete_on(sqlite3 *db)
{
    return exec(db, "PRAGMA secure_delete=ON");
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int busy_timeout_of(sqlite3 *db)
{
    sqlite3_stmt *st = prepare(db, "PRAGMA busy_timeout");
    int ms = 5000;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        ms = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ms;
}

/* Rewrites the outbox table into fresh pages and drops the old ones.
 * secure_delete zeroes freed cells and freed pages, but not everything:
 * when a page is rebalanced (rows inserted at random UUID positions split
 * and merge pages), SQLite rebuilds it without clearing the gap between
 * its cell pointers and its cells, so an old copy of a row, personal
 * fields and all, can live on there out of reach of any UPDATE. Copying
 * the rows into a new table and dropping the old one (whose pages
 * secure_delete then zeroes whole) leaves only the current rows' bytes.
 * The table's own CREATE statements are reused, so a later migration of
 * the table needs no change here. The outbox is small (a row per sign-up,
 * personal fields gone once answered), so this costs little. */
static bool rebuild_outbox_table(sqlite3 *db)
{
    sqlite3_stmt *st = prepare(db, "SELECT type, sql FROM sqlite_schema WHERE tbl_name = 'outbox'"
                                   " AND sql IS NOT NULL ORDER BY type = 'index'");
    if (!st)
        return false;
    char *table_sql = NULL, *index_sql = NULL;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *sql = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(type, "table") == 0 && !table_sql) {
            /* "CREATE TABLE outbox(...", or after a rename
             * 'CREATE TABLE "outbox"(...': keep the column list on. */
            const char *columns = strchr(sql, '(');
            if (columns)
                table_sql = sqlite3_mprintf("CREATE TABLE outbox_rebuilt%s", columns);
        } else if (strcmp(type, "index") == 0) {
            char *joined = sqlite3_mprintf("%z%s;", index_sql, sql);
            index_sql = joined;
        }
    }
    sqlite3_finalize(st);
    bool ok = table_sql != NULL;
    if (!ok)
        log_error(TAG, "cannot rebuild the outbox: its schema is not as expected");
    ok = ok && exec(db, table_sql) &&
         exec(db, "INSERT INTO outbox_rebuilt SELECT * FROM outbox; DROP TABLE outbox;"
                  " ALTER TABLE outbox_rebuilt RENAME TO outbox") &&
         (!index_sql || exec(db, index_sql));
    sqlite3_free(table_sql);
    sqlite3_free(index_sql);
    return ok;
}

/* Makes sure the erased personal fields are gone from both files as far
 * as SQLite can see: rebuilds the outbox table (above), then copies the
 * WAL into the database file and truncates it to zero bytes. A reader on
 * another connection (the screen's) blocks the truncation: try a few
 * times briefly rather than waiting out the connection's busy timeout.
 * The owed flag stays set until both steps worked. */
static bool scrub_erased(struct store *store)
{
    sqlite3 *db = store_db(store);
    if (!secure_delete_on(db) || !exec(db, "BEGIN IMMEDIATE"))
        return false;
    if (!rebuild_outbox_table(db) || !exec(db, "COMMIT")) {
        exec(db, "ROLLBACK");
        log_warn(TAG, "could not rebuild the outbox after erasing personal data; will retry");
        return false;
    }
    int saved_timeout = busy_timeout_of(db);
    sqlite3_busy_timeout(db, CHECKPOINT_BUSY_MS);
    int rc = SQLITE_OK;
    for (int i = 0; i < CHECKPOINT_TRIES; i++) {
        if (i)
            sleep_ms(CHECKPOINT_PAUSE_MS);
        rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
    }
    sqlite3_busy_timeout(db, saved_timeout);
    if (rc == SQLITE_OK) {
        /* This puts the meta page (no personal data) in the fresh WAL. */
        exec(db, "DELETE FROM meta WHERE key = '" META_CHECKPOINT_OWED "'");
        return true;
    }
    log_warn(TAG, "could not truncate the WAL after erasing personal data (%s); will retry",
             sqlite3_errstr(rc));
    return false;
}

/* ---- adding ---- */

/* The personal fields sealed to the hub's key when the kiosk knows it
 * (*sealed malloc'd), else *sealed NULL and they are stored in clear as
 * before. False when the key is known but sealing failed: storing them in
 * clear instead would break the promise a stolen card relies on. */
static bool seal_personal(struct store *store, const struct signup_request *req, char **sealed)
{
    *sealed = NULL;
    char text[SEAL_KEY_TEXT_LEN + 16];
    unsigned char key[SEAL_PUBLIC_KEY_BYTES];
    if (!store_get_meta(store, STORE_META_HUB_SEAL_KEY, text, sizeof text))
        return true;
    if (!seal_key_parse(text, key)) {
        log_error(TAG, "the stored hub seal key is not a key; sign-ups are refused");
        return false;
    }
    struct seal_fields f = {req->name, req->phone, req->email, req->remark};
    *sealed = seal_fields(key, &f);
    if (!*sealed)
        log_error(TAG, "cannot seal a sign-up's personal fields");
    return *sealed != NULL;
}

bool outbox_add(struct store *store, const struct signup_request *req, int64_t now,
                char id_out[OUTBOX_ID_LEN + 1])
{
    if (!req->activity_id[0] || req->party_size < 1) {
        log_error(TAG, "refusing a sign-up: %s", req->activity_id[0] ? "party size below 1"
                                                                    : "no activity");
        return false;
    }
    sqlite3 *db = store_db(store);
    char id[OUTBOX_ID_LEN + 1];
    outbox_new_id(id);
    char *sealed = NULL;
    if (!seal_personal(store, req, &sealed))
        return false;
    if (!secure_delete_on(db) || !exec(db, "BEGIN IMMEDIATE")) {
        free(sealed);
        return false;
    }
    int64_t seq = 0;
    sqlite3_stmt *st = store_next_seq(store, &seq)
                           ? prepare(db, "INSERT INTO outbox(signup_id, activity_id, occurrence,"
                                         " name, phone, email, remark, party_size, waitlist_ok,"
                                         " language, created_at, within_lease, added_seq, sealed)"
                                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                                         " ?12, ?13, ?14)")
                           : NULL;
    bool ok = st != NULL;
    if (ok) {
        bind_text(st, 1, id);
        bind_text(st, 2, req->activity_id);
        sqlite3_bind_int64(st, 3, req->occurrence);
        /* Sealed: the clear fields never reach the file. */
        bind_text(st, 4, sealed ? NULL : req->name);
        bind_text(st, 5, sealed ? NULL : req->phone);
        bind_text(st, 6, sealed ? NULL : req->email);
        bind_text(st, 7, sealed ? NULL : req->remark);
        sqlite3_bind_int(st, 8, req->party_size);
        sqlite3_bind_int(st, 9, req->waitlist_ok ? 1 : 0);
        bind_text(st, 10, req->language[0] ? req->language : NULL);
        sqlite3_bind_int64(st, 11, now);
        sqlite3_bind_int(st, 12, req->within_lease ? 1 : 0);
        sqlite3_bind_int64(st, 13, seq);
        bind_text(st, 14, sealed);
        ok = sqlite3_step(st) == SQLITE_DONE;
        if (!ok)
            log_error(TAG, "cannot store a sign-up: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    free(sealed);
    /* synchronous=FULL: COMMIT returns once the WAL is on disk. */
    if (ok && exec(db, "COMMIT")) {
        memcpy(id_out, id, sizeof id);
        return true;
    }
    exec(db, "ROLLBACK");
    return false;
}

/* ---- reading ---- */

static char *dup_column(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    const char *text = (const char *)sqlite3_column_text(st, i);
    return text ? strdup(text) : NULL;
}

static void free_secret(char **s)
{
    if (*s) {
        sodium_memzero(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

void outbox_row_clear(struct outbox_row *row)
{
    if (!row)
        return;
    free_secret(&row->name);
    free_secret(&row->phone);
    free_secret(&row->email);
    free_secret(&row->remark);
    free(row->sealed);
    memset(row, 0, sizeof *row);
}

static void copy_column(sqlite3_stmt *st, int i, char *buf, size_t len)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    snprintf(buf, len, "%s", text ? text : "");
}

size_t outbox_pending(struct store *store, struct outbox_row *rows, size_t max)
{
    for (size_t i = 0; i < max; i++)
        memset(&rows[i], 0, sizeof rows[i]);
    if (max == 0)
        return 0;
    sqlite3 *db = store_db(store);
    sqlite3_stmt *st = prepare(db, "SELECT signup_id, activity_id, occurrence, name, phone, email,"
                                   " remark, party_size, waitlist_ok, language, created_at,"
                                   " attempts, sealed FROM outbox WHERE status = 'pending'"
                                   " ORDER BY added_seq IS NOT NULL, added_seq, created_at,"
                                   " signup_id LIMIT ?1");
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    size_t n = 0;
    int rc;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct outbox_row *r = &rows[n];
        copy_column(st, 0, r->id, sizeof r->id);
        copy_column(st, 1, r->activity_id, sizeof r->activity_id);
        r->occurrence = sqlite3_column_int64(st, 2);
        r->name = dup_column(st, 3);
        r->phone = dup_column(st, 4);
        r->email = dup_column(st, 5);
        r->remark = dup_column(st, 6);
        r->sealed = dup_column(st, 12);
        if ((sqlite3_column_type(st, 12) != SQLITE_NULL && !r->sealed) ||
            (sqlite3_column_type(st, 3) != SQLITE_NULL && !r->name) ||
            (sqlite3_column_type(st, 4) != SQLITE_NULL && !r->phone) ||
            (sqlite3_column_type(st, 5) != SQLITE_NULL && !r->email) ||
            (sqlite3_column_type(st, 6) != SQLITE_NULL && !r->remark)) {
            /* Out of memory: a row with a field missing must not be sent. */
            outbox_row_clear(r);
            break;
        }
        r->party_size = sqlite3_column_int(st, 7);
        r->waitlist_ok = sqlite3_column_int(st, 8) != 0;
        copy_column(st, 9, r->language, sizeof r->language);
        r->created_at = sqlite3_column_int64(st, 10);
        r->attempts = sqlite3_column_int(st, 11);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* ---- answers ---- */

static bool valid_final_status(const char *status)
{
    static const char *const known[] = {"confirmed", "waitlisted", "full", "closed", "rejected"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(status, known[i]) == 0)
            return true;
    return false;
}

bool outbox_record_final(struct store *store, const char *id, const char *status, int position,
                         const char *error, int64_t now)
{
    if (!valid_final_status(status)) {
        log_error(TAG, "unknown final status '%s'", status);
        return false;
    }
    sqlite3 *db = store_db(store);
    if (!secure_delete_on(db) || !exec(db, "BEGIN IMMEDIATE"))
        return false;
    /* Only a pending row takes an answer: a repeat (two senders racing,
     * or a row that expired meanwhile) keeps the first outcome. */
    /* The answer's place among feed requests (store_next_seq): a feed
     * requested after it counts this sign-up in its taken and lease. */
    int64_t seq = 0;
    bool ok = store_next_seq(store, &seq);
    sqlite3_stmt *st = ok ? prepare(db, "UPDATE outbox SET status = ?2, position = ?3,"
                                        " answered_at = ?4, error = ?5, name = NULL, phone = NULL,"
                                        " email = NULL, remark = NULL, sealed = NULL,"
                                        " acked_seq = ?6"
                                        " WHERE signup_id = ?1 AND status = 'pending'")
                          : NULL;
    ok = st != NULL;
    int changed = 0;
    if (ok) {
        bind_text(st, 1, id);
        bind_text(st, 2, status);
        if (position > 0)
            sqlite3_bind_int(st, 3, position);
        else
            sqlite3_bind_null(st, 3);
        sqlite3_bind_int64(st, 4, now);
        bind_error(st, 5, error);
        sqlite3_bind_int64(st, 6, seq);
        ok = sqlite3_step(st) == SQLITE_DONE;
        if (!ok)
            log_error(TAG, "cannot record the answer for %s: %s", id, sqlite3_errmsg(db));
        changed = sqlite3_changes(db);
        sqlite3_finalize(st);
    }
    if (ok && changed > 0)
        ok = store_set_meta(store, META_CHECKPOINT_OWED, "1");
    bool exists = changed > 0;
    if (ok && !exists) {
        sqlite3_stmt *q = prepare(db, "SELECT 1 FROM outbox WHERE signup_id = ?1");
        if (q) {
            bind_text(q, 1, id);
            exists = sqlite3_step(q) == SQLITE_ROW;
            sqlite3_finalize(q);
        }
        if (!exists)
            log_error(TAG, "no sign-up %s in the outbox", id);
    }
    if (!ok || !exec(db, "COMMIT")) {
        exec(db, "ROLLBACK");
        return false;
    }
    if (changed > 0)
        scrub_erased(store);
    return exists;
}

bool outbox_record_attempt(struct store *store, const char *id, const char *error)
{
    sqlite3 *db = store_db(store);
    if (!secure_delete_on(db))
        return false;
    sqlite3_stmt *st = prepare(db, "UPDATE outbox SET attempts = attempts + 1, error = ?2"
                                   " WHERE signup_id = ?1 AND status = 'pending'");
    if (!st)
        return false;
    bind_text(st, 1, id);
    bind_error(st, 2, error);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    if (!ok)
        log_error(TAG, "cannot count an attempt for %s: %s", id, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return ok;
}

/* No clock reading before this release can be right (a board without a
 * real-time clock, before NTP): such a "now" expires nothing, and a sign-up
 * stamped with such a clock counts its age from the first plausible pass
 * rather than looking decades old and losing a resident's place. */
#ifdef BK_RELEASE_EPOCH
#define PLAUSIBLE_EPOCH ((int64_t)BK_RELEASE_EPOCH)
#else
#define PLAUSIBLE_EPOCH ((int64_t)0)
#endif

static bool run_update(sqlite3 *db, const char *sql, int64_t a, int64_t b, int *changes)
{
    sqlite3_stmt *st = prepare(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    if (!ok)
        log_error(TAG, "cannot expire unsent sign-ups: %s", sqlite3_errmsg(db));
    *changes = sqlite3_changes(db);
    sqlite3_finalize(st);
    return ok;
}

int outbox_expire(struct store *store, int64_t now, int retention_days)
{
    sqlite3 *db = store_db(store);
    /* Before the rewrite below, so that it copies fewer rows. */
    outbox_prune_answered(store, now);
    char owed[8];
    bool checkpoint_owed = store_get_meta(store, META_CHECKPOINT_OWED, owed, sizeof owed);
    int n = 0;
    if (retention_days >= 1 && now >= PLAUSIBLE_EPOCH) {
        if (!secure_delete_on(db) || !exec(db, "BEGIN IMMEDIATE"))
            return 0;
        int restamped = 0;
        bool ok = run_update(db, "UPDATE outbox SET created_at = ?1"
                                 " WHERE status = 'pending' AND created_at < ?2",
                             now, PLAUSIBLE_EPOCH, &restamped);
        ok = ok && run_update(db, "UPDATE outbox SET status = 'expired', answered_at = ?1,"
                                  " name = NULL, phone = NULL, email = NULL, remark = NULL,"
                                  " sealed = NULL WHERE status = 'pending' AND created_at < ?2",
                              now, now - (int64_t)retention_days * 86400, &n);
        if (ok && n > 0)
            ok = store_set_meta(store, META_CHECKPOINT_OWED, "1");
        if (!ok || !exec(db, "COMMIT")) {
            exec(db, "ROLLBACK");
            return 0;
        }
        if (restamped > 0)
            log_warn(TAG, "%d unsent sign-ups were stamped by a clock that was not set; their"
                          " retention counts from now", restamped);
        if (n > 0)
            log_info(TAG, "erased personal data of %d unsent sign-ups", n);
    }
    if (n > 0 || checkpoint_owed)
        scrub_erased(store);
    return n;
}

/* The feed now held was requested after every answer up to this
 * sequence number (STORE_META_FEED_REQUEST_SEQ; 0 before any). */
#define FEED_SEQ                                                                                  \
    "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '"                            \
    STORE_META_FEED_REQUEST_SEQ "'), 0)"
/* Sign-ups the served taken does not count yet: unsent ones (the hub may
 * still confirm them), and those the hub confirmed after the request for
 * the feed now held. */
#define NOT_COUNTED                                                                               \
    "(status = 'pending' OR (status = 'confirmed' AND acked_seq > " FEED_SEQ "))"

int outbox_prune_answered(struct store *store, int64_t now)
{
    if (now < PLAUSIBLE_EPOCH)
        return 0;
    sqlite3 *db = store_db(store);
    /* secure_delete: a pruned row has no personal fields left, but its
     * page neighbours may still be rewritten, as everywhere here. */
    if (!secure_delete_on(db))
        return -1;
    sqlite3_stmt *st = prepare(db, "DELETE FROM outbox WHERE status <> 'pending'"
                                   " AND answered_at < ?1"
                                   " AND (acked_seq IS NULL OR acked_seq <= " FEED_SEQ ")");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now - (int64_t)OUTBOX_ANSWERED_RETENTION_DAYS * 86400);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    int n = ok ? sqlite3_changes(db) : -1;
    if (!ok)
        log_error(TAG, "cannot prune answered sign-ups: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (n > 0)
        log_info(TAG, "pruned %d sign-ups answered more than %d days ago", n,
                 OUTBOX_ANSWERED_RETENTION_DAYS);
    return n;
}

int64_t outbox_pending_places(struct store *store, const char *activity_id, int64_t occurrence)
{
    sqlite3_stmt *st = prepare(store_db(store),
                               "SELECT coalesce(sum(party_size), 0) FROM outbox"
                               " WHERE " NOT_COUNTED " AND activity_id = ?1 AND occurrence = ?2");
    if (!st)
        return 0;
    bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return n;
}

bool outbox_query_pending_places(struct store *store, pending_places_fn fn, void *ctx)
{
    sqlite3_stmt *st = prepare(store_db(store),
                               "SELECT activity_id, occurrence, sum(party_size) FROM outbox"
                               " WHERE " NOT_COUNTED " GROUP BY activity_id, occurrence");
    if (!st)
        return false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *activity_id = (const char *)sqlite3_column_text(st, 0);
        if (activity_id &&
            !fn(ctx, activity_id, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

int64_t outbox_count(struct store *store, const char *status)
{
    sqlite3_stmt *st = prepare(store_db(store), "SELECT count(*) FROM outbox WHERE status = ?1");
    if (!st)
        return -1;
    bind_text(st, 1, status);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

bool outbox_disk_free_mb(struct store *store, int64_t *mb_out)
{
    const char *file = sqlite3_db_filename(store_db(store), "main");
    uint64_t bytes;
    if (!file || !disk_free_bytes(file, &bytes))
        return false;
    *mb_out = (int64_t)(bytes / (1024u * 1024u));
    return true;
}

bool outbox_lease_left(struct store *store, const char *activity_id, int64_t occurrence,
                       int64_t *left)
{
    *left = 0;
    int64_t lease = 0;
    enum store_lookup found = store_occurrence_lease(store, activity_id, occurrence, &lease);
    if (found == STORE_ERROR)
        return false;
    if (found == STORE_NOT_FOUND || lease <= 0)
        return true;
    /* used: own sign-ups confirmed within the lease that the hub had not
     * answered before the feed was requested (spec-notes "four things",
     * 1); answered: any answer for the occurrence since, after which the
     * kiosk asks the hub until a fresh feed says what is left (4). */
    sqlite3_stmt *st = prepare(store_db(store),
                               "SELECT coalesce(sum(CASE WHEN within_lease = 1 AND"
                               " (acked_seq IS NULL OR acked_seq > " FEED_SEQ ")"
                               " THEN party_size ELSE 0 END), 0),"
                               " coalesce(max(acked_seq > " FEED_SEQ "), 0)"
                               " FROM outbox WHERE activity_id = ?1 AND occurrence = ?2");
    if (!st)
        return false;
    bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok && sqlite3_column_int64(st, 1) == 0) {
        int64_t n = lease - sqlite3_column_int64(st, 0);
        *left = n > 0 ? n : 0;
    }
    if (!ok)
        log_error(TAG, "%s", sqlite3_errmsg(store_db(store)));
    sqlite3_finalize(st);
    return ok;
}

enum store_lookup outbox_answer(struct store *store, const char *id, struct outbox_answer *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prepare(store_db(store),
                               "SELECT status, coalesce(position, 0), within_lease FROM outbox"
                               " WHERE signup_id = ?1");
    if (!st)
        return STORE_ERROR;
    bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    enum store_lookup result = rc == SQLITE_ROW    ? STORE_FOUND
                               : rc == SQLITE_DONE ? STORE_NOT_FOUND
                                                   : STORE_ERROR;
    if (rc == SQLITE_ROW) {
        copy_column(st, 0, out->status, sizeof out->status);
        out->position = sqlite3_column_int(st, 1);
        out->within_lease = sqlite3_column_int(st, 2) != 0;
    }
    sqlite3_finalize(st);
    return result;
}
