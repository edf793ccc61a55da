#include "hub/hub_db.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "model/unitext.h"

#define TAG "hub-db"

/* ---- schema ---------------------------------------------------------------
 *
 * Migrations run in order; migration i brings user_version from i to i+1.
 * Never edit a released one: append a new one instead. */

static const char SCHEMA_V1[] =
    /* Settings: the token key, the content's version and time, publisher. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE kiosks("
    "  id TEXT PRIMARY KEY,"
    "  token_hash BLOB NOT NULL,"
    "  locations TEXT,"                  /* JSON array of ids, NULL = all */
    "  created_at INTEGER NOT NULL,"
    "  token_changed_at INTEGER NOT NULL);"
    "CREATE TABLE heartbeats("
    "  kiosk_id TEXT PRIMARY KEY REFERENCES kiosks(id) ON DELETE CASCADE,"
    "  received_at INTEGER NOT NULL, version TEXT, uptime_s INTEGER, feed_etag TEXT,"
    "  last_sync_ok_at TEXT, last_sync_error TEXT, outbox_pending INTEGER,"
    "  outbox_rejected INTEGER, screen TEXT, free_disk_mb INTEGER);"
    /* The content, one row per item as the feed carries it (canonical
     * JSON, validated by feed_parse on import). kind is enum feed_kind;
     * seq keeps the document's order so that the feed is stable. */
    "CREATE TABLE items("
    "  kind INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  location_id TEXT,"                /* activities, services */
    "  location_ids TEXT,"               /* announcements: JSON array or NULL */
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY(kind, id));"
    /* What a sign-up is judged against, per activity. */
    "CREATE TABLE activities("
    "  id TEXT PRIMARY KEY,"
    "  starts_at INTEGER NOT NULL, rrule TEXT, exdates TEXT,"   /* exdates: JSON array of instants */
    "  has_signup INTEGER NOT NULL, capacity INTEGER NOT NULL,"  /* -1 = unlimited */
    "  taken INTEGER NOT NULL,"
    "  taken_by_occurrence TEXT,"        /* JSON [[instant, n], ...] or NULL */
    "  waitlist INTEGER NOT NULL, closes_before_min INTEGER NOT NULL,"
    "  fields INTEGER NOT NULL);"
    /* Every sign-up ever answered finally, refusals included, so that a
     * repeat gets the first answer. Personal columns are NULL for refusals
     * and after the retention period (erased_at set). status holds the
     * names of enum hub_signup_status (hub_signup.c). */
    "CREATE TABLE signups("
    "  signup_id TEXT PRIMARY KEY,"
    "  kiosk_id TEXT NOT NULL,"
    "  activity_id TEXT NOT NULL,"
    "  occurrence INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK(status IN ('confirmed','waitlisted','full','closed')),"
    "  position INTEGER,"
    "  party_size INTEGER NOT NULL,"
    "  name TEXT, phone TEXT, email TEXT, remark TEXT,"
    "  waitlist_ok INTEGER NOT NULL,"
    "  language TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  erased_at INTEGER,"
    "  response TEXT NOT NULL);"
    "CREATE INDEX signups_by_occurrence ON signups(activity_id, occurrence, status);"
    "CREATE INDEX signups_unerased ON signups(occurrence) WHERE erased_at IS NULL;";

/* 1 -> 2: places taken by confirmed sign-ups per occurrence, kept up to
 * date in the sign-up's own transaction, so that the places check is one
 * row and not a sum over every sign-up of the occurrence. */
#define SCHEMA_V2                                                                                 \
    "CREATE TABLE confirmed_places(activity_id TEXT NOT NULL, occurrence INTEGER NOT NULL,"       \
    "  places INTEGER NOT NULL, PRIMARY KEY(activity_id, occurrence)) WITHOUT ROWID;"             \
    "INSERT INTO confirmed_places SELECT activity_id, occurrence, SUM(party_size) FROM signups"  \
    "  WHERE status = 'confirmed' GROUP BY activity_id, occurrence;"

/* 2 -> 3 (issue 12): sign-ups may be cancelled (the status CHECK gains
 * 'cancelled', which SQLite can only change by rebuilding the table),
 * to_call marks one staff should phone (moved up from the waiting list),
 * and contact details are kept for every status (the comment on the v1
 * table no longer holds: erased_at alone says they are gone). The rows
 * keep their rowids, so the listing's order stays. Leases: per kiosk and
 * occurrence the places it may confirm on its own (hub_lease.h), and the
 * ETag of the latest feed served to each kiosk. */
#define SCHEMA_V3                                                                                 \
    "CREATE TABLE signups_v3("                                                                    \
    "  signup_id TEXT PRIMARY KEY,"                                                               \
    "  kiosk_id TEXT NOT NULL,"                                                                   \
    "  activity_id TEXT NOT NULL,"                                                                \
    "  occurrence INTEGER NOT NULL,"                                                              \
    "  status TEXT NOT NULL"                                                                      \
    "    CHECK(status IN ('confirmed','waitlisted','full','closed','cancelled')),"                \
    "  position INTEGER,"                                                                         \
    "  party_size INTEGER NOT NULL,"                                                              \
    "  name TEXT, phone TEXT, email TEXT, remark TEXT,"                                           \
    "  waitlist_ok INTEGER NOT NULL,"                                                             \
    "  language TEXT,"                                                                            \
    "  created_at INTEGER NOT NULL,"                                                              \
    "  received_at INTEGER NOT NULL,"                                                             \
    "  erased_at INTEGER,"                                                                        \
    "  response TEXT NOT NULL,"                                                                   \
    "  to_call INTEGER NOT NULL DEFAULT 0);"                                                      \
    "INSERT INTO signups_v3(rowid, signup_id, kiosk_id, activity_id, occurrence, status,"         \
    "  position, party_size, name, phone, email, remark, waitlist_ok, language, created_at,"     \
    "  received_at, erased_at, response)"                                                         \
    "  SELECT rowid, signup_id, kiosk_id, activity_id, occurrence, status, position, party_size," \
    "  name, phone, email, remark, waitlist_ok, language, created_at, received_at, erased_at,"   \
    "  response FROM signups ORDER BY rowid;"                                                     \
    "DROP TABLE signups;"                                                                         \
    "ALTER TABLE signups_v3 RENAME TO signups;"                                                   \
    "CREATE INDEX signups_by_occurrence ON signups(activity_id, occurrence, status);"             \
    "CREATE INDEX signups_unerased ON signups(occurrence) WHERE erased_at IS NULL;"               \
    "CREATE TABLE leases("                                                                        \
    "  activity_id TEXT NOT NULL, occurrence INTEGER NOT NULL, kiosk_id TEXT NOT NULL,"           \
    "  offered INTEGER NOT NULL, held INTEGER NOT NULL,"                                          \
    "  closes_at INTEGER NOT NULL, changed_at INTEGER NOT NULL,"                                  \
    "  PRIMARY KEY(activity_id, occurrence, kiosk_id)) WITHOUT ROWID;"                           \
    "CREATE INDEX leases_by_kiosk ON leases(kiosk_id);"                                           \
    "CREATE TABLE lease_feeds(kiosk_id TEXT PRIMARY KEY, etag TEXT NOT NULL) WITHOUT ROWID;"

/* 3 -> 4 (issue 13, the staff console): staff accounts (an Argon2id
 * hash from crypto_pwhash_str, never the password), their sessions (only a
 * hash of the cookie's token), failed logins for the rate limit, and the
 * audit log. The audit log names who did what to which item id, never a
 * resident's name or phone number. */
#define SCHEMA_V4                                                                                 \
    "CREATE TABLE staff("                                                                         \
    "  username TEXT PRIMARY KEY,"                                                                \
    "  password_hash TEXT NOT NULL,"                                                              \
    "  locations TEXT,"                  /* JSON array of ids, NULL = all (a coordinator) */      \
    "  created_at INTEGER NOT NULL, changed_at INTEGER NOT NULL) WITHOUT ROWID;"                  \
    "CREATE TABLE staff_sessions("                                                                \
    "  token_hash BLOB PRIMARY KEY,"                                                              \
    "  username TEXT NOT NULL REFERENCES staff(username) ON DELETE CASCADE,"                      \
    "  created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL) WITHOUT ROWID;"                   \
    "CREATE INDEX staff_sessions_by_user ON staff_sessions(username);"                            \
    "CREATE TABLE staff_login_failures(username TEXT NOT NULL, address TEXT NOT NULL,"            \
    "  at INTEGER NOT NULL);"                                                                     \
    "CREATE INDEX staff_login_failures_by_user ON staff_login_failures(username, at);"            \
    "CREATE INDEX staff_login_failures_by_address ON staff_login_failures(address, at);"          \
    "CREATE TABLE audit(at INTEGER NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,"            \
    "  item TEXT);"

/* 4 -> 5 (issue 13, the occurrence's list): when staff marked a confirmed
 * sign-up as present (NULL = not marked). A column of the sign-up itself,
 * not a table of its own: it lives and is listed with the row, and
 * nothing personal is in it. */
#define SCHEMA_V5 "ALTER TABLE signups ADD COLUMN attended_at INTEGER;"

/* 5 -> 6: the console's week page walks every activity in feed order for
 * its id and location (hub_admin_occurrences.c, SQL_ACTIVITIES). Without this index
 * that walk reads every item's body pages: with 10,000 activities about
 * 10 MB per page view, most of its time (bench/bench_console.sh). The
 * index holds all the walk needs, the filter on location included, so
 * the bodies are read only for the activities the page shows. (Since
 * schema 8 the week page reads the activities table alone.) */
#define SCHEMA_V6 "CREATE INDEX items_by_kind_seq ON items(kind, seq, id, location_id);"

/* 6 -> 7: the week page counts a week's sign-ups in one query by their
 * occurrence's start (hub_admin_occurrences.c, week_counts) instead of
 * one query per occurrence. (Schema 8 keeps the counts themselves.) */
#define SCHEMA_V7 "CREATE INDEX signups_by_start ON signups(occurrence);"

/* A sign-up's share of its occurrence's counts on the console: places
 * confirmed, a place on the waiting list, a request to call back (full
 * or closed, or marked so). R is NEW or OLD in a trigger. */
#define COUNT_CONFIRMED(r) "CASE WHEN " r ".status = 'confirmed' THEN " r ".party_size ELSE 0 END"
#define COUNT_WAITING(r) "(" r ".status = 'waitlisted')"
#define COUNT_TO_CALL(r)                                                                          \
    "(" r ".status != 'cancelled' AND (" r ".to_call != 0 OR " r ".status IN ('full','closed')))"
#define COUNT_ADD(r)                                                                              \
    "INSERT INTO occurrence_counts VALUES(" r ".occurrence, " r ".activity_id, "                  \
    COUNT_CONFIRMED(r) ", " COUNT_WAITING(r) ", " COUNT_TO_CALL(r) ")"                             \
    " ON CONFLICT DO UPDATE SET confirmed = confirmed + excluded.confirmed,"                     \
    " waiting = waiting + excluded.waiting, to_call = to_call + excluded.to_call;"
#define COUNT_SUBTRACT(r)                                                                         \
    "UPDATE occurrence_counts SET confirmed = confirmed - " COUNT_CONFIRMED(r) ","               \
    " waiting = waiting - " COUNT_WAITING(r) ", to_call = to_call - " COUNT_TO_CALL(r)           \
    " WHERE occurrence = " r ".occurrence AND activity_id = " r ".activity_id;"

/* 7 -> 8: the week page of a coordinator lists every activity of every
 * location (bench/bench_console.sh: 10,000 activities, 50,000 sign-ups).
 * Three things it did at every view now happen once, when the data is
 * written:
 * - an activity's title, taken out of its item's JSON body, is kept in
 *   its row in both console languages, with its location beside it, so
 *   that the page reads one table and no JSON (hub_import.c writes them);
 * - each occurrence's counts (confirmed places, waiting, to call back)
 *   are kept in occurrence_counts by triggers on every change of a
 *   sign-up, whichever code makes it, instead of summing the week's
 *   sign-ups (a third of the page's time even through schema 7's index,
 *   which goes).
 * The triggers fire only on the columns the counts read, so erasing a
 * sign-up's personal data does not touch them. */
#define SCHEMA_V8                                                                                 \
    "ALTER TABLE activities ADD COLUMN title_nl TEXT;"                                            \
    "ALTER TABLE activities ADD COLUMN title_en TEXT;"                                            \
    "ALTER TABLE activities ADD COLUMN location_id TEXT;"                                         \
    "CREATE INDEX activities_by_location ON activities(location_id);"                             \
    "UPDATE activities SET"                                                                       \
    "  location_id = (SELECT i.location_id FROM items i"                                          \
    "    WHERE i.kind = 1 AND i.id = activities.id),"                                             \
    "  title_nl = (SELECT " HUB_SQL_LOCALIZED("i.body", "'$.title'", "'nl'", "'en'")              \
    "    FROM items i WHERE i.kind = 1 AND i.id = activities.id),"                                \
    "  title_en = (SELECT " HUB_SQL_LOCALIZED("i.body", "'$.title'", "'en'", "'nl'")              \
    "    FROM items i WHERE i.kind = 1 AND i.id = activities.id);"                                \
    "DROP INDEX signups_by_start;"                                                                \
    "CREATE TABLE occurrence_counts(occurrence INTEGER NOT NULL, activity_id TEXT NOT NULL,"     \
    "  confirmed INTEGER NOT NULL, waiting INTEGER NOT NULL, to_call INTEGER NOT NULL,"          \
    "  PRIMARY KEY(occurrence, activity_id)) WITHOUT ROWID;"                                     \
    "INSERT INTO occurrence_counts SELECT s.occurrence, s.activity_id,"                          \
    "  SUM(" COUNT_CONFIRMED("s") "), SUM(" COUNT_WAITING("s") "), SUM(" COUNT_TO_CALL("s") ")"  \
    "  FROM signups s GROUP BY s.occurrence, s.activity_id;"                                      \
    "CREATE TRIGGER signups_count_insert AFTER INSERT ON signups BEGIN "                         \
    COUNT_ADD("NEW") " END;"                                                                      \
    "CREATE TRIGGER signups_count_delete AFTER DELETE ON signups BEGIN "                         \
    COUNT_SUBTRACT("OLD") " END;"                                                                 \
    "CREATE TRIGGER signups_count_update"                                                         \
    "  AFTER UPDATE OF activity_id, occurrence, status, party_size, to_call ON signups BEGIN "   \
    COUNT_SUBTRACT("OLD") COUNT_ADD("NEW") " END;"

/* SCHEMA_V8's "i.kind = 1" */
_Static_assert(FEED_ACTIVITY == 1, "SCHEMA_V8 names the activities' kind by number");

static const char *const migrations[] = {SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5,
                                             SCHEMA_V6, SCHEMA_V7, SCHEMA_V8};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

/* The keys of table meta as stored. */
static const char *const meta_keys[HUB_META_COUNT] = {
    [HUB_META_STATE_VERSION] = "state_version",
    [HUB_META_CONTENT_CHANGED_AT] = "content_changed_at",
    [HUB_META_CONTENT_HASH] = "content_hash",
    [HUB_META_PUBLISHER] = "publisher",
    [HUB_META_LANGUAGES] = "languages",
};

/* The key of the token hashes (a blob, for this file alone: see token_key). */
static const char META_TOKEN_KEY[] = "token_key";

static const char SQL_META_GET[] = "SELECT value FROM meta WHERE key = ?1";
static const char SQL_META_SET[] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)";

/* ---- the connection ------------------------------------------------------ */

#define MAX_STMTS 64

struct stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
};

struct hub_db {
    sqlite3 *h;
    struct stmt_slot stmts[MAX_STMTS];
    size_t n_stmts;
    bool in_transaction;            /* begun here, not yet committed or rolled back */
    int failed_rc;                  /* extended code of the failure that counts; SQLITE_OK = none */
};

sqlite3 *hub_db_handle(struct hub_db *db)
{
    return db->h;
}

static void keep_failure(struct hub_db *db, int rc)
{
    if (!db->in_transaction || db->failed_rc == SQLITE_OK)
        db->failed_rc = rc;
}

enum hub_db_failure hub_db_failure(const struct hub_db *db)
{
    switch (db->failed_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return HUB_DB_FAILED_BUSY;
    case SQLITE_FULL:
    case SQLITE_IOERR:
        return HUB_DB_FAILED_STORAGE;
    default:
        return HUB_DB_FAILED_INTERNALLY;
    }
}

const char *hub_db_failure_text(const struct hub_db *db)
{
    return db->failed_rc == SQLITE_OK ? NULL : sqlite3_errstr(db->failed_rc);
}

/* The kept failure for a message that needs some text. */
static const char *failure_reason(const struct hub_db *db)
{
    const char *why = hub_db_failure_text(db);
    return why ? why : "out of memory";
}

bool hub_db_exec(struct hub_db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        keep_failure(db, rc);
        log_error(TAG, "%s", msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

sqlite3_stmt *hub_db_prepare(struct hub_db *db, const char *sql)
{
    for (size_t i = 0; i < db->n_stmts; i++)
        if (db->stmts[i].sql == sql) {
            sqlite3_reset(db->stmts[i].st);
            sqlite3_clear_bindings(db->stmts[i].st);
            return db->stmts[i].st;
        }
    if (db->n_stmts == MAX_STMTS) {
        log_error(TAG, "statement cache full");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        keep_failure(db, rc);
        log_error(TAG, "prepare: %s", sqlite3_errmsg(db->h));
        return NULL;
    }
    db->stmts[db->n_stmts].sql = sql;
    db->stmts[db->n_stmts++].st = st;
    return st;
}

void hub_db_bind_text(sqlite3_stmt *st, int index, const char *text)
{
    if (text)
        sqlite3_bind_text(st, index, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, index);
}

const char *hub_db_column_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

int hub_db_step(struct hub_db *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        keep_failure(db, rc);
    return rc;
}

bool hub_db_step_done(struct hub_db *db, sqlite3_stmt *st)
{
    int rc = hub_db_step(db, st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        log_error(TAG, "%s", sqlite3_errmsg(db->h));
        return false;
    }
    return true;
}

static bool begin(struct hub_db *db, const char *sql)
{
    db->failed_rc = SQLITE_OK;
    db->in_transaction = false;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        keep_failure(db, rc);
        log_error(TAG, "%s: %s", sql, sqlite3_errmsg(db->h));
        return false;
    }
    db->in_transaction = true;
    return true;
}

bool hub_db_begin_read(struct hub_db *db)
{
    return begin(db, "BEGIN");
}

bool hub_db_begin_write(struct hub_db *db)
{
    return begin(db, "BEGIN IMMEDIATE");
}

bool hub_db_commit(struct hub_db *db)
{
    int rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        db->in_transaction = false;
        return true;
    }
    keep_failure(db, rc);
    log_error(TAG, "COMMIT: %s", sqlite3_errmsg(db->h));
    hub_db_rollback(db);
    return false;
}

void hub_db_rollback(struct hub_db *db)
{
    /* SQLite may have rolled back already (a full or failing disk ends the
     * whole transaction); the kept failure stays either way. */
    if (!sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    db->in_transaction = false;
}

static bool pragma_int(struct hub_db *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        keep_failure(db, rc);
    bool ok = rc == SQLITE_OK && hub_db_step(db, st) == SQLITE_ROW;
    if (ok)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ok;
}

static bool migrate(struct hub_db *db, int64_t now, char *err, size_t err_len)
{
    int version = 0;
    if (!pragma_int(db, "PRAGMA user_version", &version)) {
        snprintf(err, err_len, "cannot read the schema version: %s", failure_reason(db));
        return false;
    }
    if (version == N_MIGRATIONS)
        return true;
    if (version > N_MIGRATIONS) {
        snprintf(err, err_len, "the database has schema %d, newer than this buurthub's %d",
                 version, N_MIGRATIONS);
        return false;
    }
    if (!hub_db_begin_write(db)) {
        snprintf(err, err_len, "cannot lock the database to set it up: %s",
                 failure_reason(db));
        return false;
    }
    /* Another process may have migrated while this one waited for the lock. */
    if (!pragma_int(db, "PRAGMA user_version", &version))
        version = -1;
    bool ok = version >= 0;
    bool fresh = version == 0;
    for (int v = version; ok && v < N_MIGRATIONS; v++)
        ok = hub_db_exec(db, migrations[v]);
    if (ok && fresh) {
        /* The key that makes stored token hashes useless on any other hub. */
        unsigned char key[crypto_generichash_KEYBYTES];
        randombytes_buf(key, sizeof key);
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db->h, "INSERT INTO meta(key, value) VALUES(?1, ?2)", -1,
                                    &st, NULL);
        if (rc != SQLITE_OK)
            keep_failure(db, rc);
        ok = rc == SQLITE_OK;
        if (ok) {
            hub_db_bind_text(st, 1, META_TOKEN_KEY);
            sqlite3_bind_blob(st, 2, key, sizeof key, SQLITE_TRANSIENT);
            ok = hub_db_step(db, st) == SQLITE_DONE;
        }
        sqlite3_finalize(st);
        sodium_memzero(key, sizeof key);
        ok = ok && hub_db_meta_set_int(db, HUB_META_STATE_VERSION, 1) &&
             hub_db_meta_set_int(db, HUB_META_CONTENT_CHANGED_AT, now);
    }
    if (ok) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", N_MIGRATIONS);
        ok = hub_db_exec(db, sql);
    }
    if (ok && hub_db_commit(db))
        return true;
    hub_db_rollback(db);
    snprintf(err, err_len, "cannot set up the schema: %s", failure_reason(db));
    return false;
}

struct hub_db *hub_db_open(const char *path, enum hub_db_open_mode mode, char *err,
                           size_t err_len)
{
    struct stat sb;
    if (mode == HUB_DB_EXISTING && stat(path, &sb) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct hub_db *db = calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    /* Multi-thread mode: the pool guarantees one thread per connection. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (mode == HUB_DB_CREATE ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: %s", path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
        hub_db_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, HUB_DB_BUSY_TIMEOUT_MS);
    char *msg = NULL;
    if (sqlite3_exec(db->h,
                     "PRAGMA journal_mode=WAL;"
                     "PRAGMA synchronous=FULL;"
                     "PRAGMA foreign_keys=ON;"
                     "PRAGMA secure_delete=ON;"
                     /* The console's pages read every activity: keep
                      * them in memory between requests (16 MiB per
                      * connection, a few connections) and map the file
                      * rather than copy each page out of it. */
                     "PRAGMA cache_size=-16384;"
                     "PRAGMA mmap_size=268435456;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_len, "%s: %s", path, msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        hub_db_close(db);
        return NULL;
    }
    if (!migrate(db, (int64_t)time(NULL), err, err_len)) {
        hub_db_close(db);
        return NULL;
    }
    return db;
}

void hub_db_close(struct hub_db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->n_stmts; i++)
        sqlite3_finalize(db->stmts[i].st);
    sqlite3_close(db->h);
    free(db);
}

/* ---- meta ---------------------------------------------------------------- */

bool hub_db_meta_get_int(struct hub_db *db, enum hub_meta key, int64_t *out)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_META_GET);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, meta_keys[key]);
    bool found = hub_db_step(db, st) == SQLITE_ROW;
    if (found)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return found;
}

char *hub_db_meta_get_text(struct hub_db *db, enum hub_meta key)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_META_GET);
    if (!st)
        return NULL;
    hub_db_bind_text(st, 1, meta_keys[key]);
    char *value = NULL;
    if (hub_db_step(db, st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        value = strdup(hub_db_column_text(st, 0));
    sqlite3_reset(st);
    return value;
}

bool hub_db_meta_set_int(struct hub_db *db, enum hub_meta key, int64_t value)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_META_SET);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, meta_keys[key]);
    sqlite3_bind_int64(st, 2, value);
    return hub_db_step_done(db, st);
}

bool hub_db_meta_set_text(struct hub_db *db, enum hub_meta key, const char *value)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_META_SET);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, meta_keys[key]);
    hub_db_bind_text(st, 2, value);
    return hub_db_step_done(db, st);
}

bool hub_db_bump_state(struct hub_db *db)
{
    static const char sql[] = "UPDATE meta SET value = value + 1 WHERE key = ?1";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, meta_keys[HUB_META_STATE_VERSION]);
    return hub_db_step_done(db, st);
}

/* ---- tokens ---------------------------------------------------------------
 *
 * Tokens are 256 random bits, so a fast keyed hash is as strong as a slow
 * password hash here (there is no dictionary to try), and it lets every
 * request be checked in microseconds: crypto_pwhash on each feed pull
 * would cost tens of milliseconds and megabytes per request, an easy way
 * to take the hub down. The per-database key means a stolen hash list is
 * useless against any other hub's tokens. */

static bool token_key(struct hub_db *db, unsigned char key[crypto_generichash_KEYBYTES])
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_META_GET);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, META_TOKEN_KEY);
    bool ok = hub_db_step(db, st) == SQLITE_ROW &&
              sqlite3_column_bytes(st, 0) == crypto_generichash_KEYBYTES;
    if (ok)
        memcpy(key, sqlite3_column_blob(st, 0), crypto_generichash_KEYBYTES);
    sqlite3_reset(st);
    if (!ok)
        log_error(TAG, "the token key is missing from the database");
    return ok;
}

static bool token_hash(struct hub_db *db, const char *token, size_t len,
                       unsigned char out[HUB_TOKEN_HASH_BYTES])
{
    unsigned char key[crypto_generichash_KEYBYTES];
    if (!token_key(db, key))
        return false;
    crypto_generichash(out, HUB_TOKEN_HASH_BYTES, (const unsigned char *)token, len, key,
                       sizeof key);
    sodium_memzero(key, sizeof key);
    return true;
}

static bool token_make(struct hub_db *db, char token[HUB_TOKEN_LEN + 1],
                       unsigned char hash[HUB_TOKEN_HASH_BYTES])
{
    unsigned char raw[HUB_TOKEN_BYTES];
    /* A token that starts with '-' reads as an option to the commands a
     * technician pastes it into (grep, echo, ...): draw again, which costs
     * less than a bit of the 256. */
    do {
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(token, HUB_TOKEN_LEN + 1, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    } while (token[0] == '-');
    sodium_memzero(raw, sizeof raw);
    return token_hash(db, token, strlen(token), hash);
}

/* ---- the seal key ---------------------------------------------------------
 *
 * The X25519 key pair kiosks seal personal fields to (model/seal.h). Only
 * the secret half is kept, as a blob in meta: the public half follows from
 * it. Made once, in a write transaction so that two commands starting at
 * once on a new database cannot make two. */

static const char META_SEAL_KEY[] = "seal_secret_key";

static int seal_secret_read(struct hub_db *db, unsigned char sk[SEAL_SECRET_KEY_BYTES])
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_META_GET);
    if (!st)
        return -1;
    hub_db_bind_text(st, 1, META_SEAL_KEY);
    int rc = hub_db_step(db, st);
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (found == 1 && sqlite3_column_bytes(st, 0) == SEAL_SECRET_KEY_BYTES)
        memcpy(sk, sqlite3_column_blob(st, 0), SEAL_SECRET_KEY_BYTES);
    else if (found == 1)
        found = -1;
    sqlite3_reset(st);
    return found;
}

bool hub_db_seal_keys(struct hub_db *db, unsigned char pk[SEAL_PUBLIC_KEY_BYTES],
                      unsigned char sk[SEAL_SECRET_KEY_BYTES])
{
    if (!hub_db_begin_write(db))
        return false;
    int found = seal_secret_read(db, sk);
    bool ok = found >= 0;
    if (found == 0) {
        crypto_box_keypair(pk, sk);
        sqlite3_stmt *st = hub_db_prepare(db, SQL_META_SET);
        ok = st != NULL;
        if (ok) {
            hub_db_bind_text(st, 1, META_SEAL_KEY);
            sqlite3_bind_blob(st, 2, sk, SEAL_SECRET_KEY_BYTES, SQLITE_TRANSIENT);
            ok = hub_db_step_done(db, st);
        }
    }
    if (!ok || !hub_db_commit(db)) {
        hub_db_rollback(db);
        sodium_memzero(sk, SEAL_SECRET_KEY_BYTES);
        log_error(TAG, "cannot %s the seal key", found < 0 ? "read" : "store");
        return false;
    }
    if (found == 0)
        log_info(TAG, "made the key pair kiosks seal personal data to");
    crypto_scalarmult_base(pk, sk);
    return true;
}

/* ---- kiosks -------------------------------------------------------------- */

bool hub_locations_valid(const char *list)
{
    if (!list || !*list)
        return false;
    const char *p = list;
    for (;;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, ",");
        size_t end = n;
        while (end && p[end - 1] == ' ')
            end--;
        char id[FEED_ID_MAX + 2];
        if (end == 0 || end > FEED_ID_MAX)
            return false;
        memcpy(id, p, end);
        id[end] = '\0';
        if (!feed_id_valid(id))
            return false;
        if (!p[n])
            return true;
        p += n + 1;
    }
}

char *hub_locations_json(const char *list)
{
    json_t *array = json_array();
    const char *p = list;
    while (array && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t end = n;
        while (end && p[end - 1] == ' ')
            end--;
        if (end)
            json_array_append_new(array, json_stringn(p, end));
        p += n;
    }
    char *text = array ? json_dumps(array, JSON_COMPACT) : NULL;
    json_decref(array);
    return text;
}

static const char SQL_KIOSK_EXISTS[] = "SELECT 1 FROM kiosks WHERE id = ?1";

static int kiosk_exists(struct hub_db *db, const char *id)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_KIOSK_EXISTS);
    if (!st)
        return -1;
    hub_db_bind_text(st, 1, id);
    int rc = hub_db_step(db, st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

enum hub_kiosk_result hub_db_kiosk_add(struct hub_db *db, const char *id, const char *locations,
                                       int64_t now, char token_out[HUB_TOKEN_LEN + 1])
{
    static const char sql[] = "INSERT INTO kiosks(id, token_hash, locations, created_at,"
                              " token_changed_at) VALUES(?1, ?2, ?3, ?4, ?4)";
    if (!hub_db_begin_write(db))
        return HUB_KIOSK_ERROR;
    int exists = kiosk_exists(db, id);
    if (exists != 0) {
        hub_db_rollback(db);
        return exists > 0 ? HUB_KIOSK_EXISTS : HUB_KIOSK_ERROR;
    }
    unsigned char hash[HUB_TOKEN_HASH_BYTES];
    char *locs = locations ? hub_locations_json(locations) : NULL;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = st && (!locations || locs) && token_make(db, token_out, hash);
    if (ok) {
        hub_db_bind_text(st, 1, id);
        sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_TRANSIENT);
        hub_db_bind_text(st, 3, locs);
        sqlite3_bind_int64(st, 4, now);
        ok = hub_db_step_done(db, st);
    }
    free(locs);
    if (ok && hub_db_commit(db))
        return HUB_KIOSK_OK;
    hub_db_rollback(db);
    sodium_memzero(token_out, HUB_TOKEN_LEN + 1);
    return HUB_KIOSK_ERROR;
}

enum hub_kiosk_result hub_db_kiosk_new_token(struct hub_db *db, const char *id, int64_t now,
                                             char token_out[HUB_TOKEN_LEN + 1])
{
    static const char sql[] =
        "UPDATE kiosks SET token_hash = ?2, token_changed_at = ?3 WHERE id = ?1";
    if (!hub_db_begin_write(db))
        return HUB_KIOSK_ERROR;
    unsigned char hash[HUB_TOKEN_HASH_BYTES];
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = st && token_make(db, token_out, hash);
    if (ok) {
        hub_db_bind_text(st, 1, id);
        sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, now);
        ok = hub_db_step_done(db, st);
    }
    bool found = ok && sqlite3_changes(db->h) == 1;
    if (found && hub_db_commit(db))
        return HUB_KIOSK_OK;
    hub_db_rollback(db);
    sodium_memzero(token_out, HUB_TOKEN_LEN + 1);
    return ok && !found ? HUB_KIOSK_UNKNOWN : HUB_KIOSK_ERROR;
}

enum hub_kiosk_result hub_db_kiosk_remove(struct hub_db *db, const char *id)
{
    static const char sql[] = "DELETE FROM kiosks WHERE id = ?1";
    /* A removed kiosk's token opens nothing, so no sign-up of it can come
     * in any more: its leases go with it and their places are free. */
    static const char leases[] = "DELETE FROM leases WHERE kiosk_id = ?1";
    static const char feeds[] = "DELETE FROM lease_feeds WHERE kiosk_id = ?1";
    if (!hub_db_begin_write(db))
        return HUB_KIOSK_ERROR;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = st != NULL;
    if (ok) {
        hub_db_bind_text(st, 1, id);
        ok = hub_db_step_done(db, st);
    }
    bool found = ok && sqlite3_changes(db->h) == 1;
    const char *const more[] = {leases, feeds};
    for (size_t i = 0; found && ok && i < 2; i++) {
        sqlite3_stmt *m = hub_db_prepare(db, more[i]);
        ok = m != NULL;
        if (ok) {
            hub_db_bind_text(m, 1, id);
            ok = hub_db_step_done(db, m);
        }
    }
    ok = ok && (!found || hub_db_bump_state(db));
    if (!ok || !hub_db_commit(db)) {
        hub_db_rollback(db);
        return HUB_KIOSK_ERROR;
    }
    return found ? HUB_KIOSK_OK : HUB_KIOSK_UNKNOWN;
}

void hub_kiosk_clear(struct hub_kiosk *k)
{
    if (!k)
        return;
    free(k->locations);
    k->locations = NULL;
    k->id[0] = '\0';
}

enum hub_auth_result hub_db_authenticate(struct hub_db *db, const char *token, size_t token_len,
                                         struct hub_kiosk *out)
{
    static const char sql[] = "SELECT id, token_hash, locations FROM kiosks";
    memset(out, 0, sizeof *out);
    unsigned char hash[HUB_TOKEN_HASH_BYTES];
    if (!token_hash(db, token, token_len, hash))
        return HUB_AUTH_ERROR;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return HUB_AUTH_ERROR;
    bool found = false;
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        const void *stored = sqlite3_column_blob(st, 1);
        if (sqlite3_column_bytes(st, 1) != HUB_TOKEN_HASH_BYTES || !stored)
            continue;
        /* No early exit: every row costs the same whether it matches. */
        if (sodium_memcmp(stored, hash, HUB_TOKEN_HASH_BYTES) == 0 && !found) {
            found = true;
            snprintf(out->id, sizeof out->id, "%s", hub_db_column_text(st, 0));
            if (sqlite3_column_type(st, 2) != SQLITE_NULL)
                out->locations = strdup(hub_db_column_text(st, 2));
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error(TAG, "authenticate: %s", sqlite3_errmsg(db->h));
        hub_kiosk_clear(out);
        return HUB_AUTH_ERROR;
    }
    return found ? HUB_AUTH_OK : HUB_AUTH_DENIED;
}

/* ---- heartbeats ------------------------------------------------------------ */

static void bind_count(sqlite3_stmt *st, int index, int64_t value)
{
    if (value < 0)
        sqlite3_bind_null(st, index);
    else
        sqlite3_bind_int64(st, index, value);
}

bool hub_db_heartbeat_store(struct hub_db *db, const char *kiosk_id,
                            const struct hub_heartbeat *hb, int64_t received_at)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO heartbeats(kiosk_id, received_at, version, uptime_s, feed_etag,"
        " last_sync_ok_at, last_sync_error, outbox_pending, outbox_rejected, screen,"
        " free_disk_mb) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, kiosk_id);
    sqlite3_bind_int64(st, 2, received_at);
    hub_db_bind_text(st, 3, hb->version);
    bind_count(st, 4, hb->uptime_s);
    hub_db_bind_text(st, 5, hb->feed_etag);
    hub_db_bind_text(st, 6, hb->last_sync_ok_at);
    hub_db_bind_text(st, 7, hb->last_sync_error);
    bind_count(st, 8, hb->outbox_pending);
    bind_count(st, 9, hb->outbox_rejected);
    hub_db_bind_text(st, 10, hb->screen);
    bind_count(st, 11, hb->free_disk_mb);
    return hub_db_step_done(db, st);
}

/* A text for one line of `kiosks`: control characters become spaces. */
/* What a kiosk reported, as it is stored: anything unprintable written
 * out (\u{202E}), so that a heartbeat cannot steer the terminal. */
static void print_clean(FILE *out, const unsigned char *text, size_t max)
{
    unitext_print_escaped(out, (const char *)text, max);
}

static void print_column(FILE *out, sqlite3_stmt *st, int col, const char *label)
{
    fprintf(out, " %s=", label);
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        fputc('-', out);
    else
        print_clean(out, sqlite3_column_text(st, col), 200);
}

bool hub_db_kiosks_print(struct hub_db *db, FILE *out)
{
    static const char sql[] =
        "SELECT k.id, k.locations, h.received_at, h.version, h.outbox_pending,"
        " h.outbox_rejected, h.screen, h.free_disk_mb, h.last_sync_error, h.uptime_s"
        " FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk_id = k.id ORDER BY k.id";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        print_clean(out, sqlite3_column_text(st, 0), FEED_ID_MAX);
        fputs(" locations=", out);
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            fputs("all", out);
        } else {
            json_t *locs = json_loads(hub_db_column_text(st, 1), 0, NULL);
            size_t i;
            json_t *loc;
            json_array_foreach(locs, i, loc) {
                if (i)
                    fputc(',', out);
                print_clean(out, (const unsigned char *)json_string_value(loc), FEED_ID_MAX);
            }
            json_decref(locs);
        }
        fputs(" heartbeat=", out);
        if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
            fputs("never", out);
        } else {
            char when[RFC3339_LEN];
            rfc3339_format_local(sqlite3_column_int64(st, 2), when);
            fputs(when, out);
        }
        print_column(out, st, 3, "version");
        print_column(out, st, 9, "uptime_s");
        print_column(out, st, 4, "pending");
        print_column(out, st, 5, "rejected");
        print_column(out, st, 6, "screen");
        print_column(out, st, 7, "free_disk_mb");
        print_column(out, st, 8, "last_error");
        fputc('\n', out);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(db->h));
        return false;
    }
    return true;
}

/* ---- the pool -------------------------------------------------------------- */

#define POOL_MAX_IDLE 16

struct hub_pool {
    pthread_mutex_t lock;
    char *path;
    struct hub_db *idle[POOL_MAX_IDLE];
    size_t n_idle;
};

struct hub_pool *hub_pool_create(const char *path, char *err, size_t err_len)
{
    struct hub_pool *pool = calloc(1, sizeof *pool);
    if (!pool || !(pool->path = strdup(path))) {
        free(pool);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&pool->lock, NULL);
    /* Open one now, so that a bad path or schema fails at start-up and
     * not on the first request. */
    struct hub_db *db = hub_db_open(path, HUB_DB_CREATE, err, err_len);
    if (!db) {
        hub_pool_destroy(pool);
        return NULL;
    }
    hub_pool_release(pool, db);
    return pool;
}

void hub_pool_destroy(struct hub_pool *pool)
{
    if (!pool)
        return;
    for (size_t i = 0; i < pool->n_idle; i++)
        hub_db_close(pool->idle[i]);
    pthread_mutex_destroy(&pool->lock);
    free(pool->path);
    free(pool);
}

struct hub_db *hub_pool_acquire(struct hub_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    struct hub_db *db = pool->n_idle ? pool->idle[--pool->n_idle] : NULL;
    pthread_mutex_unlock(&pool->lock);
    if (db)
        return db;
    char err[256];
    db = hub_db_open(pool->path, HUB_DB_CREATE, err, sizeof err);
    if (!db)
        log_error(TAG, "%s", err);
    return db;
}

void hub_pool_release(struct hub_pool *pool, struct hub_db *db)
{
    if (!db)
        return;
    /* A connection never goes back with a transaction open. */
    hub_db_rollback(db);
    pthread_mutex_lock(&pool->lock);
    if (pool->n_idle < POOL_MAX_IDLE) {
        pool->idle[pool->n_idle++] = db;
        db = NULL;
    }
    pthread_mutex_unlock(&pool->lock);
    hub_db_close(db);
}
