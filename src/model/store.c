#include "model/store.h"
#include "model/store_private.h"

#include <inttypes.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/utf8.h"
#include "model/rrule.h"
#include "model/search.h"
#include "model/store_recover.h"
#include "base/timeutil.h"
#include "model/vocab.h"

#define TAG "store"
/* The page cache of a connection in use (a swap raises it for its own
 * transaction and puts this back). */
#define STORE_CACHE_PRAGMA "PRAGMA cache_size=-1024"
/* 16 KiB pages: a swap of 10,000 activities writes a quarter of the
 * pages, and so a quarter of the WAL frames, checkpoint writes and reads
 * back, that 4 KiB pages (SQLite's default) would; the kernel's share of
 * the swap halves (bench/README.md, "16 KiB pages"). A page size holds
 * from a file's first write: new files get it in open_writable, older
 * caches are converted once at a start (convert_page_size). */
#define STORE_PAGE_SIZE 16384
#define STR_(x) #x
#define STR(x) STR_(x)

/* The search index (store_search): one row per activity and service with
 * its texts in every language the feed gives, each column all languages
 * one after another. Places are the location's name, address and
 * neighbourhood; topics are the feed's theme and topic codes (Dutch
 * words: "opgroeien-opvoeden" indexes as "opgroeien" and "opvoeden").
 * Rebuilt whole by every swap, as the tables it reads are. */
#define SEARCH_ALL(json) "SELECT value FROM json_each(" json ")"
#define SEARCH_JOINED(selects, sep) "(SELECT group_concat(value, " sep ") FROM (" selects "))"
#define SEARCH_PLACE                                                                              \
    SEARCH_JOINED(SEARCH_ALL("l.name") " UNION ALL SELECT l.address UNION ALL"                    \
                  " SELECT l.neighbourhood", "char(10)")
#define SEARCH_FILL                                                                               \
    "DELETE FROM search_index;"                                                                   \
    "INSERT INTO search_index(kind, item_id, title, body, place, topics)"                         \
    " SELECT 'activity', a.id, " SEARCH_JOINED(SEARCH_ALL("a.title"), "char(10)") ","             \
    "  " SEARCH_JOINED(SEARCH_ALL("a.summary") " UNION ALL " SEARCH_ALL("a.description"),         \
                       "char(10)") ","                                                            \
    "  " SEARCH_PLACE ", " SEARCH_JOINED(SEARCH_ALL("a.themes"), "' '")                           \
    " FROM activity a LEFT JOIN location l ON l.id = a.location_id ORDER BY a.seq;"               \
    "INSERT INTO search_index(kind, item_id, title, body, place, topics)"                         \
    " SELECT 'service', v.id, " SEARCH_JOINED(SEARCH_ALL("v.name") " UNION ALL"                   \
                                              " SELECT v.organization", "char(10)") ","           \
    "  " SEARCH_JOINED(SEARCH_ALL("v.description") " UNION ALL " SEARCH_ALL("v.how_to"),          \
                       "char(10)") ","                                                            \
    "  " SEARCH_PLACE ", " SEARCH_JOINED(SEARCH_ALL("v.topics"), "' '")                           \
    " FROM service v LEFT JOIN location l ON l.id = v.location_id ORDER BY v.seq;"             \
    "DELETE FROM search_term; INSERT INTO search_term SELECT term FROM search_terms;"

/* A swap writes each activity's and service's row of the search index as
 * the parser hands it over (search_row), with the texts the parser has
 * already taken apart: the same columns SEARCH_FILL made from json_each,
 * for a third of its cost. The index keeps no copy of them (schema 8,
 * contentless): a hit is known by its rowid, the activity's own rowid, or
 * SEARCH_ROWID_SERVICE plus the service's, so activities come before
 * services and each kind in feed order, as before. An item whose
 * location comes later in the document is filled at the end, from the
 * tables, the way SEARCH_FILL does it. */
#define SEARCH_ROWID_SERVICE ((int64_t)1 << 40)
#define SEARCH_COLUMNS_ACTIVITY                                                                   \
    SEARCH_JOINED(SEARCH_ALL("a.title"), "char(10)") ","                                          \
    "  " SEARCH_JOINED(SEARCH_ALL("a.summary") " UNION ALL " SEARCH_ALL("a.description"),         \
                       "char(10)") ","                                                            \
    "  " SEARCH_PLACE ", " SEARCH_JOINED(SEARCH_ALL("a.themes"), "' '")                           \
    " FROM activity a LEFT JOIN location l ON l.id = a.location_id"
#define SEARCH_COLUMNS_SERVICE                                                                    \
    SEARCH_JOINED(SEARCH_ALL("v.name") " UNION ALL SELECT v.organization", "char(10)") ","        \
    "  " SEARCH_JOINED(SEARCH_ALL("v.description") " UNION ALL " SEARCH_ALL("v.how_to"),          \
                       "char(10)") ","                                                            \
    "  " SEARCH_PLACE ", " SEARCH_JOINED(SEARCH_ALL("v.topics"), "' '")                           \
    " FROM service v LEFT JOIN location l ON l.id = v.location_id"
#define SEARCH_INSERT "INSERT INTO search_index(rowid, title, body, place, topics) "
#define SEARCH_LATE_ACTIVITY SEARCH_INSERT "SELECT a.rowid, " SEARCH_COLUMNS_ACTIVITY " WHERE a.rowid = ?1"
#define SEARCH_LATE_SERVICE                                                                       \
    SEARCH_INSERT "SELECT (1 << 40) + v.rowid, " SEARCH_COLUMNS_SERVICE " WHERE v.rowid = ?1"
#define SEARCH_CLEAR "INSERT INTO search_index(search_index) VALUES('delete-all');"
#define SEARCH_TERMS_FILL "DELETE FROM search_term; INSERT INTO search_term SELECT term FROM search_terms;"

/* Schema migrations: entry i takes the database from user_version i to
 * i + 1. Never edit a released entry; append a new one. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE location("
    "  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, address TEXT,"
    "  neighbourhood TEXT, lat REAL, lon REAL, accessibility TEXT);"
    "CREATE TABLE activity("
    "  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, title TEXT NOT NULL, summary TEXT,"
    "  description TEXT, cost TEXT, themes TEXT, functions TEXT, audience TEXT,"
    "  location_id TEXT, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, rrule TEXT,"
    "  exdates TEXT, url TEXT, image TEXT, contact TEXT, updated_at INTEGER,"
    "  has_signup INTEGER NOT NULL DEFAULT 0, capacity INTEGER, taken INTEGER,"
    "  taken_by_occurrence TEXT, waitlist INTEGER, closes_before_min INTEGER,"
    "  signup_fields INTEGER);"
    "CREATE TABLE activity_theme(theme TEXT NOT NULL, activity_id TEXT NOT NULL,"
    "  PRIMARY KEY(theme, activity_id)) WITHOUT ROWID;"
    /* A plain rowid table: a swap appends tens of thousands of rows and
     * builds the indexes once at the end (SWAP_INDEXES_CREATE). */
    "CREATE TABLE occurrence("
    "  activity_id TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL,"
    "  location_id TEXT, taken INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX occurrence_key ON occurrence(activity_id, starts_at);"
    "CREATE INDEX occurrence_by_start ON occurrence(starts_at);"
    "CREATE INDEX occurrence_by_location ON occurrence(location_id, starts_at);"
    "CREATE TABLE service("
    "  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, organization TEXT,"
    "  description TEXT, how_to TEXT, themes TEXT, functions TEXT, topics TEXT,"
    "  location_id TEXT, walk_in TEXT, phone TEXT, email TEXT, url TEXT, updated_at INTEGER);"
    "CREATE TABLE service_topic(topic TEXT NOT NULL, service_id TEXT NOT NULL,"
    "  PRIMARY KEY(topic, service_id)) WITHOUT ROWID;"
    "CREATE TABLE announcement("
    "  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, text TEXT NOT NULL, from_at INTEGER,"
    "  until_at INTEGER, location_ids TEXT, priority INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE sync_log("
    "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, result TEXT NOT NULL, reason TEXT,"
    "  skipped INTEGER NOT NULL DEFAULT 0, details TEXT);"
    /* Sign-ups waiting for, or answered by, the hub. Personal fields are
     * NULL once the hub has answered finally or the retention ran out. */
    "CREATE TABLE outbox("
    "  signup_id TEXT PRIMARY KEY, activity_id TEXT NOT NULL, occurrence INTEGER NOT NULL,"
    "  name TEXT, phone TEXT, email TEXT, remark TEXT, party_size INTEGER NOT NULL DEFAULT 1,"
    "  waitlist_ok INTEGER NOT NULL DEFAULT 0, language TEXT, created_at INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'pending', position INTEGER, attempts INTEGER NOT NULL DEFAULT 0,"
    "  answered_at INTEGER, error TEXT) WITHOUT ROWID;"
    "CREATE INDEX outbox_by_status ON outbox(status, created_at);",
    /* 1 -> 2: what staff chose on this kiosk, kept across feed swaps. */
    "CREATE TABLE local_override("
    "  kind TEXT NOT NULL, item_id TEXT NOT NULL, hidden INTEGER NOT NULL DEFAULT 0,"
    "  featured INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(kind, item_id)) WITHOUT ROWID;"
    "CREATE TABLE local_announcement("
    "  id INTEGER PRIMARY KEY, text TEXT NOT NULL, from_at INTEGER NOT NULL,"
    "  until_at INTEGER NOT NULL);",
    /* 2 -> 3: indexes that answer the activity list alone. The list reads
     * every occurrence of the 90 days with its activity's title; through
     * the tables that touched pages all over the 8 MB activity table for
     * 10,000 activities and missed the page cache on most rows. */
    "DROP INDEX occurrence_by_start; DROP INDEX occurrence_by_location;"
    "CREATE INDEX occurrence_by_start ON occurrence(starts_at, activity_id, ends_at, location_id,"
    "  taken);"
    "CREATE INDEX activity_card ON activity(id, title, has_signup, capacity);",
    /* 3 -> 4: the search index. unicode61 with remove_diacritics 2 folds
     * case and accents in every script it knows ("cafe" finds
     * "Digicafé"). No prefix indexes: store_search stops at its limit, so
     * a prefix of one letter costs no more than a word, while the indexes
     * made every swap of 10,000 activities 300 ms (CPU) slower still.
     * search_terms lists the indexed terms; they are copied into
     * search_term after every fill, where typo alternatives are looked up
     * in a plain B-tree (fts5vocab counts every term's documents as it
     * goes: 10 ms for the terms of one letter). The cache already holding
     * a feed is indexed at once. */
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(kind UNINDEXED, item_id UNINDEXED, title,"
    "  body, place, topics, tokenize = 'unicode61 remove_diacritics 2');"
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_terms USING fts5vocab(search_index, 'row');"
    "CREATE TABLE IF NOT EXISTS search_term(term TEXT PRIMARY KEY) WITHOUT ROWID;" SEARCH_FILL,
    /* 4 -> 5: the feed's images (model/image_cache.h). Services name one
     * too (automation-v1's service.image). One row per URL, whatever
     * refers to it: file and thumb are names in the images directory,
     * NULL until a copy was kept; a failed fetch sets error and keeps the
     * last good copy. */
    "ALTER TABLE service ADD COLUMN image TEXT;"
    "CREATE TABLE image("
    "  url TEXT PRIMARY KEY, file TEXT, width INTEGER, height INTEGER, thumb TEXT,"
    "  thumb_width INTEGER, thumb_height INTEGER, etag TEXT, last_modified TEXT,"
    "  fetched_at INTEGER, checked_at INTEGER, error TEXT, error_at INTEGER) WITHOUT ROWID;",
    /* 5 -> 6: leases (hub-api-v1 "Telling the resident the truth"). The
     * activity keeps signup.lease as the feed gave it, each occurrence
     * its own lease. An outbox row says whether it was confirmed within
     * the lease, and acked_seq orders the hub's final answer against feed
     * requests (store_next_seq): a clock second is too coarse to say
     * which came first. */
    "ALTER TABLE activity ADD COLUMN lease INTEGER;"
    "ALTER TABLE activity ADD COLUMN lease_by_occurrence TEXT;"
    "ALTER TABLE occurrence ADD COLUMN lease INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN within_lease INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN acked_seq INTEGER;"
    /* The order sign-ups were stored in, from the same counter: created_at
     * is the kiosk's clock, which may step back (NTP, a script's --now),
     * and a sign-up confirmed within the lease must reach the hub before
     * a later one that asked beyond it. NULL (stored before) goes first. */
    "ALTER TABLE outbox ADD COLUMN added_seq INTEGER;",
    /* 6 -> 7: the personal fields sealed to the hub's key (model/seal.h),
     * stored instead of name, phone, email and remark once the kiosk
     * knows the key (STORE_META_HUB_SEAL_KEY). */
    "ALTER TABLE outbox ADD COLUMN sealed TEXT;",
    /* 7 -> 8: the search index keeps no copy of the texts it indexes
     * (contentless): a swap wrote them twice, 7.8 MB for 10,000
     * activities, and a hit needs only its rowid (SEARCH_ROWID_SERVICE).
     * Emptying it is then one 'delete-all', not a delete per row.
     * detail=column: the index records in which column a term occurs, not
     * where in it; store_search asks for terms and prefixes by column and
     * never for a phrase (each quoted string is one folded word), and the
     * fill costs a tenth less. */
    "DROP TABLE search_terms; DROP TABLE search_index;"
    "CREATE VIRTUAL TABLE search_index USING fts5(title, body, place, topics, content='', detail=column,"
    "  tokenize = 'unicode61 remove_diacritics 2');"
    "CREATE VIRTUAL TABLE search_terms USING fts5vocab(search_index, 'row');"
    SEARCH_INSERT "SELECT a.rowid, " SEARCH_COLUMNS_ACTIVITY " ORDER BY a.rowid;"
    SEARCH_INSERT "SELECT (1 << 40) + v.rowid, " SEARCH_COLUMNS_SERVICE " ORDER BY v.rowid;"
    SEARCH_TERMS_FILL,
    /* 8 -> 9: occurrence keyed by (activity_id, starts_at) WITHOUT ROWID.
     * The key is the lookup every single-activity query makes (a lease,
     * search's next occurrence, a retraction), and it was an index of its
     * own that each swap sorted and wrote again: 44,304 entries for
     * 10,000 activities. The key is unique: rrule_expand lists an item's
     * starts strictly ascending, so an activity never has one instant
     * twice; a copy of one that a zone's odd day might have produced is
     * the same occurrence and is kept once (OR IGNORE here and in
     * ST_INSERT_OCCURRENCE). */
    "CREATE TABLE occurrence_keyed("
    "  activity_id TEXT NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL,"
    "  location_id TEXT, taken INTEGER NOT NULL DEFAULT 0, lease INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(activity_id, starts_at)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO occurrence_keyed(activity_id, starts_at, ends_at, location_id, taken,"
    "  lease) SELECT activity_id, starts_at, ends_at, location_id, taken, lease FROM occurrence"
    "  ORDER BY activity_id, starts_at;"
    "DROP TABLE occurrence; ALTER TABLE occurrence_keyed RENAME TO occurrence;"
    "CREATE INDEX occurrence_by_start ON occurrence(starts_at, activity_id, ends_at, location_id,"
    "  taken);",
};

#define N_MIGRATIONS (sizeof migrations / sizeof *migrations)

/* Dropped and rebuilt by every swap (store_apply_feed); must match the
 * indexes the migrations create. Building an index once from the sorted
 * rows is cheaper than keeping it up to date row by row. */
#define SWAP_INDEXES_DROP                                                                         \
    "DROP INDEX IF EXISTS occurrence_by_start; DROP INDEX IF EXISTS activity_card;"
#define SWAP_INDEXES_CREATE                                                                       \
    "CREATE INDEX IF NOT EXISTS occurrence_by_start ON occurrence(starts_at, activity_id,"        \
    "  ends_at, location_id, taken);"                                                             \
    "CREATE INDEX IF NOT EXISTS activity_card ON activity(id, title, has_signup, capacity);"

enum statement {
    ST_INSERT_LOCATION,
    ST_INSERT_ACTIVITY,
    ST_INSERT_THEME,
    ST_INSERT_OCCURRENCE,
    ST_INSERT_SERVICE,
    ST_INSERT_TOPIC,
    ST_INSERT_ANNOUNCEMENT,
    ST_INSERT_SEARCH,
    ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
    [ST_INSERT_LOCATION] = "INSERT INTO location(id, seq, name, address, neighbourhood, lat, lon,"
                           " accessibility) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_INSERT_ACTIVITY] =
        "INSERT INTO activity(id, seq, title, summary, description, cost, themes, functions,"
        " audience, location_id, starts_at, ends_at, rrule, exdates, url, image, contact,"
        " updated_at, has_signup, capacity, taken, taken_by_occurrence, waitlist,"
        " closes_before_min, signup_fields, lease, lease_by_occurrence) VALUES(?1, ?2, ?3, ?4, ?5,"
        " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"
        " ?24, ?25, ?26, ?27)",
    [ST_INSERT_THEME] = "INSERT OR IGNORE INTO activity_theme(theme, activity_id) VALUES(?1, ?2)",
    [ST_INSERT_OCCURRENCE] = "INSERT OR IGNORE INTO occurrence(activity_id, starts_at, ends_at,"
                             " location_id, taken, lease) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_INSERT_SERVICE] = "INSERT INTO service(id, seq, name, organization, description, how_to,"
                          " themes, functions, topics, location_id, walk_in, phone, email, url,"
                          " updated_at, image) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                          " ?12, ?13, ?14, ?15, ?16)",
    [ST_INSERT_TOPIC] = "INSERT OR IGNORE INTO service_topic(topic, service_id) VALUES(?1, ?2)",
    [ST_INSERT_ANNOUNCEMENT] = "INSERT INTO announcement(id, seq, text, from_at, until_at,"
                               " location_ids, priority) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_INSERT_SEARCH] = SEARCH_INSERT "VALUES(?1, ?2, ?3, ?4, ?5)",
};

enum search_statement { SEARCH_TERMS, SEARCH_MATCH, SEARCH_ACTIVITY, SEARCH_SERVICE, SEARCH_STATEMENTS };

/* The index's tokenizer, from FTS5's C API: the typed words are folded by
 * the very code that folded the indexed ones. */
struct search_tokenizer {
    fts5_tokenizer api;
    Fts5Tokenizer *t;
};

/* One prepared statement per shape of occurrence query (location or not,
 * theme none / a code / other, one activity or all): the screens ask the
 * same few questions over and over. */
#define OCCURRENCE_VARIANTS 12

struct store {
    sqlite3 *db;
    bool read_only;              /* opened by the disk-trouble fallback */
    sqlite3_stmt *stmt[ST_COUNT];
    sqlite3_stmt *occurrence_stmt[OCCURRENCE_VARIANTS];
    /* store_search's statements and the index's tokenizer, made on first use */
    sqlite3_stmt *search_stmt[SEARCH_STATEMENTS];
    struct search_tokenizer tokenizer;
    /* during store_apply_feed only */
    int64_t window_start, window_end;
    struct tz_day_cache days;    /* the window's days' UTC offsets */
    int64_t seq;
    json_t *places;              /* location id -> its search "place" text */
    struct late {
        int64_t *rowid;          /* search rows left to search_late_fill */
        size_t n, cap;
    } late;
    struct joined {
        char *text;
        size_t len, cap;
        bool any;
    } columns[4];                /* search_row's title, body, place, topics */
};

static bool exec(struct store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error(TAG, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

/* The database's user_version, which counts the migrations applied; -1
 * when it cannot be read. */
static int schema_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return version;
}

static bool migrate(struct store *s, char *err, size_t err_len)
{
    int version = schema_version(s->db);
    if (version < 0)
        version = 0;
    if (version > (int)N_MIGRATIONS) {
        snprintf(err, err_len, "database schema %d is newer than this kiosk (%zu)", version,
                 N_MIGRATIONS);
        return false;
    }
    for (size_t i = (size_t)version; i < N_MIGRATIONS; i++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version=%zu;", i + 1);
        if (!exec(s, "BEGIN IMMEDIATE") || !exec(s, migrations[i]) || !exec(s, bump) ||
            !exec(s, "COMMIT")) {
            exec(s, "ROLLBACK");
            snprintf(err, err_len, "schema migration %zu failed: %s", i + 1, sqlite3_errmsg(s->db));
            return false;
        }
    }
    return true;
}

static bool prepare_statements(struct store *s, char *err, size_t err_len)
{
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &s->stmt[i], NULL) != SQLITE_OK) {
            snprintf(err, err_len, "cannot prepare statements: %s", sqlite3_errmsg(s->db));
            return false;
        }
    }
    return true;
}

/* The normal way: read-write, WAL, schema brought up to date. On failure
 * *code is SQLite's extended error code. */
static struct store *open_writable(const char *path, int *code, char *err, size_t err_len)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s) {
        *code = SQLITE_NOMEM;
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        *code = s->db ? sqlite3_extended_errcode(s->db) : rc;
        snprintf(err, err_len, "cannot open %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    /* 1 MiB of page cache per connection (SQLite's default is 2): the
     * screens read through indexes a page or two at a time, and the
     * scroll benchmark is the same with it; the kiosk keeps 0.8 MB less.
     * WAL: readers and the network thread's writer do not block each
     * other, and a pulled plug leaves the last committed state. FULL:
     * a commit is on disk before we tell anyone (a resident) it is. */
    if (!exec(s, "PRAGMA page_size=" STR(STORE_PAGE_SIZE)) || !exec(s, STORE_CACHE_PRAGMA) ||
        !exec(s, "PRAGMA journal_mode=WAL") ||
        !exec(s, "PRAGMA synchronous=FULL") || !exec(s, "PRAGMA foreign_keys=OFF") ||
        !migrate(s, err, err_len) ||
        !prepare_statements(s, err, err_len)) {
        *code = sqlite3_extended_errcode(s->db);
        if (!*err)
            snprintf(err, err_len, "cannot set up %s: %s", path, sqlite3_errmsg(s->db));
        store_close(s);
        return NULL;
    }
    return s;
}

/* path as a file: URI with the query given, every byte that could be
 * read as URI syntax percent-encoded. NULL when out of memory. */
static char *file_uri(const char *path, const char *query)
{
    size_t len = strlen(path);
    char *uri = malloc(8 + 3 * len + strlen(query) + 2);
    if (!uri)
        return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    sprintf(o, "?%s", query);
    return uri;
}

/* The fallback when the disk is full or read-only: the cache as it is,
 * for reading. mode=ro sees a WAL left by a crash; when even the WAL's
 * index cannot be created, immutable=1 reads the database file alone
 * (nobody writes while the store is read-only, so that is safe). */
struct store *store_open_read_only(const char *path)
{
    static const char *const queries[] = {"mode=ro", "immutable=1"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        struct store *s = calloc(1, sizeof *s);
        char *uri = file_uri(path, queries[q]);
        if (!s || !uri) {
            free(s);
            free(uri);
            return NULL;
        }
        int rc = sqlite3_open_v2(uri, &s->db,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                 NULL);
        free(uri);
        char ignored[256];
        /* Only a cache of this very schema can be read without migrating. */
        if (rc == SQLITE_OK && schema_version(s->db) == (int)N_MIGRATIONS &&
            prepare_statements(s, ignored, sizeof ignored)) {
            sqlite3_busy_timeout(s->db, 5000);
            s->read_only = true;
            return s;
        }
        store_close(s);
    }
    return NULL;
}

static bool is_disk_trouble(int code)
{
    int primary = code & 0xff;
    return primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_READONLY ||
           primary == SQLITE_CANTOPEN;
}

struct store *store_open(const char *path, char *err, size_t err_len)
{
    int code = SQLITE_OK;
    if (err_len)
        err[0] = '\0';
    struct store *s = open_writable(path, &code, err, err_len);
    if (s || !is_disk_trouble(code) || access(path, F_OK) != 0)
        return s;
    /* A full disk (or a card the kernel remounted read-only) must not
     * blank the screen: show the cache as it is. Sync and sign-ups then
     * fail cleanly until there is room again. */
    s = store_open_read_only(path);
    if (s)
        log_warn(TAG, "%s; showing the cache read-only (disk full or read-only?)", err);
    return s;
}

/* Replaces the damaged file at path with a fresh cache holding the unsent
 * sign-ups the old file still gives. why is SQLite's word for the damage
 * (no personal data: a page number at most). A power cut at any point
 * loses nothing: the fresh cache is built and filled beside the old file
 * ({path}-rebuild) while that stays in place, and only a closed, whole
 * rebuild is renamed in once the old file has gone aside;
 * store_recover_finish completes or discards an interrupted one at the
 * next start. */
static struct store *replace_corrupt(const char *path, const char *why, char *err, size_t err_len)
{
    log_error(TAG, "%s is corrupt (%s): replacing it with a fresh cache that the next sync"
                   " fills", path, why);
    char rebuild[4200];
    snprintf(rebuild, sizeof rebuild, "%s" STORE_RECOVER_REBUILD, path);
    store_recover_discard(rebuild);
    int code = SQLITE_OK;
    err[0] = '\0';
    struct store *fresh = open_writable(rebuild, &code, err, err_len);
    if (!fresh)
        return NULL;
    bool unreadable = false;
    store_recover_outbox(fresh->db, path, &unreadable);
    store_close(fresh); /* the last connection: its WAL goes into the file */
    char aside[4200];
    if (!store_recover_swap(path, rebuild, (int64_t)time(NULL), aside, sizeof aside)) {
        snprintf(err, err_len, "%s is corrupt (%s) and cannot be replaced", path, why);
        return NULL;
    }
    log_error(TAG, "%s moved to %s", path, aside);
    return open_writable(path, &code, err, err_len);
}

static int64_t pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t value = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return value;
}

/* True when the one-row answer of sql is the text want. */
static bool pragma_is(sqlite3 *db, const char *sql, const char *want)
{
    sqlite3_stmt *st = NULL;
    bool is = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
              strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
    sqlite3_finalize(st);
    return is;
}

/* A cache made before STORE_PAGE_SIZE keeps its page size until rebuilt:
 * WAL mode fixes it. At a start, while this is the only connection, it
 * leaves WAL, rewrites the file with VACUUM (the rollback journal keeps
 * that atomic across a pulled plug) and goes back. Any failure (another
 * process has the file open, no room for the copy) leaves the file as it
 * was: a cache with smaller pages works, only a swap costs more. */
static void convert_page_size(struct store *s, const char *path)
{
    int64_t page_size = pragma_int(s->db, "PRAGMA page_size");
    if (page_size == STORE_PAGE_SIZE || page_size <= 0)
        return;
    int64_t started = clock_monotonic_ms();
    sqlite3_busy_timeout(s->db, 0); /* someone else has it open: not now */
    int64_t pages = pragma_int(s->db, "PRAGMA page_count");
    /* The pragma answers with the mode it is in: "wal" when it could not
     * leave it (another connection). */
    bool ok = pragma_is(s->db, "PRAGMA journal_mode=DELETE", "delete") &&
              sqlite3_exec(s->db, "PRAGMA page_size=" STR(STORE_PAGE_SIZE) "; VACUUM", NULL,
                           NULL, NULL) == SQLITE_OK;
    char reason[160] = "";
    if (!ok)
        snprintf(reason, sizeof reason, "%s",
                 sqlite3_errcode(s->db) != SQLITE_OK ? sqlite3_errmsg(s->db)
                                                     : "another process has it open");
    /* Back to WAL whatever happened; failing that, store_open's own
     * answer on the next open. */
    sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    sqlite3_busy_timeout(s->db, 5000);
    if (ok && pragma_int(s->db, "PRAGMA page_size") == STORE_PAGE_SIZE)
        log_info(TAG, "%s: %" PRId64 " pages of %" PRId64 " bytes rewritten as pages of %d "
                      "bytes in %" PRId64 " ms",
                 path, pages, page_size, STORE_PAGE_SIZE, clock_monotonic_ms() - started);
    else
        log_warn(TAG, "%s keeps its pages of %" PRId64 " bytes for now: %s", path, page_size,
                 reason[0] ? reason : "the page size did not change");
}

struct store *store_open_checked(const char *path, char *err, size_t err_len)
{
    int code = SQLITE_OK;
    if (err_len)
        err[0] = '\0';
    store_recover_finish(path);
    struct store *s = open_writable(path, &code, err, err_len);
    char why[256] = "";
    if (s) {
        if (store_recover_quick_check(s->db, why, sizeof why)) {
            convert_page_size(s, path);
            return s;
        }
        /* Leave the WAL as found, to go aside with the file: a checkpoint
         * on close would write it into the damaged pages. */
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        store_close(s);
    } else if (store_recover_is_corrupt_code(code)) {
        snprintf(why, sizeof why, "%s", sqlite3_errstr(code));
    } else {
        /* Not damage: store_open's own answer (its read-only fallback on
         * a full or read-only disk, else the error). */
        return store_open(path, err, err_len);
    }
    return replace_corrupt(path, why, err, err_len);
}

bool store_is_read_only(const struct store *s)
{
    return s->read_only;
}

sqlite3 *store_db(struct store *s)
{
    return s->db;
}

size_t store_release_memory(struct store *s)
{
    if (!s)
        return 0;
    int before = 0, after = 0, highest;
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_USED, &before, &highest, 0);
    sqlite3_db_release_memory(s->db);
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_USED, &after, &highest, 0);
    return before > after ? (size_t)(before - after) : 0;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    for (int i = 0; i < OCCURRENCE_VARIANTS; i++)
        sqlite3_finalize(s->occurrence_stmt[i]);
    for (int i = 0; i < SEARCH_STATEMENTS; i++)
        sqlite3_finalize(s->search_stmt[i]);
    if (s->tokenizer.t)
        s->tokenizer.api.xDelete(s->tokenizer.t);
    for (size_t i = 0; i < sizeof s->columns / sizeof *s->columns; i++)
        free(s->columns[i].text);
    json_decref(s->places);
    free(s->late.rowid);
    sqlite3_close(s->db);
    free(s);
}

/* ---- binding helpers ---- */

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Binds text without copying it, for the feed sink's inserts: a swap binds
 * hundreds of thousands of values. Only for a statement that step_done
 * runs before text goes away, because step_done clears the bindings. */
static void bind_borrowed(sqlite3_stmt *st, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Binds a JSON value as compact text; NULL stays NULL. Small values are
 * encoded on the stack: a swap binds tens of thousands of them. */
static void bind_json(sqlite3_stmt *st, int i, const json_t *value)
{
    if (!value) {
        sqlite3_bind_null(st, i);
        return;
    }
    char small[2048];
    size_t n = json_dumpb(value, small, sizeof small, JSON_COMPACT | JSON_ENCODE_ANY);
    if (n > 0 && n <= sizeof small) {
        sqlite3_bind_text(st, i, small, (int)n, SQLITE_TRANSIENT);
        return;
    }
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text)
        sqlite3_bind_text(st, i, text, -1, free);
    else
        sqlite3_bind_null(st, i);
}

static void bind_optional_int(sqlite3_stmt *st, int i, bool present, int64_t value)
{
    if (present)
        sqlite3_bind_int64(st, i, value);
    else
        sqlite3_bind_null(st, i);
}

static bool step_done(struct store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return false;
    }
    return true;
}

/* ---- occurrences ---- */

static int64_t taken_for(int64_t occurrence, int64_t fallback, const struct feed_taken *by_occ,
                         size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (by_occ[i].occurrence == occurrence)
            return by_occ[i].taken;
    return fallback;
}

struct expansion {
    const char *activity_id;
    const char *location_id;
    int64_t starts_at, duration;
    const struct rrule *rule;
    const int64_t *exdates;
    size_t n_exdates;
    int64_t taken;
    const struct feed_taken *taken_by_occurrence;
    size_t n_taken;
    int64_t lease;
    const struct feed_taken *lease_by_occurrence;
    size_t n_lease;
};

static bool insert_occurrences(struct store *s, const struct expansion *e)
{
    int64_t starts[STORE_MAX_OCCURRENCES];
    size_t n = rrule_expand_cached(e->rule, e->starts_at, e->exdates, e->n_exdates,
                                   s->window_start, s->window_end, starts, STORE_MAX_OCCURRENCES,
                                   &s->days);
    sqlite3_stmt *st = s->stmt[ST_INSERT_OCCURRENCE];
    for (size_t i = 0; i < n; i++) {
        bind_borrowed(st, 1, e->activity_id);
        sqlite3_bind_int64(st, 2, starts[i]);
        sqlite3_bind_int64(st, 3, starts[i] + e->duration);
        bind_borrowed(st, 4, e->location_id);
        sqlite3_bind_int64(st, 5, taken_for(starts[i], e->taken, e->taken_by_occurrence, e->n_taken));
        sqlite3_bind_int64(st, 6, taken_for(starts[i], e->lease, e->lease_by_occurrence, e->n_lease));
        if (!step_done(s, st))
            return false;
    }
    return true;
}

static void set_window(struct store *s, int64_t now)
{
    s->window_start = tz_start_of_day(now);
    /* Filled anew for each window: the zone may have changed since. */
    memset(&s->days, 0, sizeof s->days);
    struct local_time lt;
    tz_to_local(s->window_start, &lt);
    civil_add_days(&lt, STORE_WINDOW_DAYS);
    lt.hour = lt.minute = lt.second = 0;
    s->window_end = tz_from_local(&lt);
}

/* ---- the feed sink ---- */

static json_t *exdates_json(const int64_t *exdates, size_t n)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < n; i++)
        json_array_append_new(array, json_integer(exdates[i]));
    return array;
}

static json_t *taken_json(const struct feed_taken *taken, size_t n)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < n; i++)
        json_array_append_new(array, json_pack("[II]", (json_int_t)taken[i].occurrence,
                                               (json_int_t)taken[i].taken));
    return array;
}

static bool insert_codes(struct store *s, enum statement which, const struct feed_strings *codes,
                         const char *owner_id)
{
    for (size_t i = 0; i < codes->count; i++) {
        bind_borrowed(s->stmt[which], 1, codes->items[i]);
        bind_borrowed(s->stmt[which], 2, owner_id);
        if (!step_done(s, s->stmt[which]))
            return false;
    }
    return true;
}

/* ---- the search index's rows ---- */

/* Appends text to j after sep (when j already holds something), as
 * group_concat does; a NULL text is left out. False when out of memory. */
static bool join_add(struct joined *j, const char *text, char sep)
{
    if (!text)
        return true;
    size_t n = strlen(text), need = j->len + n + 2;
    if (need > j->cap) {
        size_t cap = need > 2 * j->cap ? need : 2 * j->cap;
        char *more = realloc(j->text, cap);
        if (!more)
            return false;
        j->text = more;
        j->cap = cap;
    }
    if (j->any)
        j->text[j->len++] = sep;
    memcpy(j->text + j->len, text, n + 1);
    j->len += n;
    j->any = true;
    return true;
}

static bool join_codes(struct joined *j, const struct feed_strings *codes, char sep)
{
    bool ok = true;
    for (size_t i = 0; ok && i < codes->count; i++)
        ok = join_add(j, codes->items[i], sep);
    return ok;
}

static void bind_joined(sqlite3_stmt *st, int i, const struct joined *j)
{
    bind_borrowed(st, i, j->any ? j->text : NULL);
}

/* The location's "place" (SEARCH_PLACE), or NULL when it has none; *late
 * is set when the location has not come yet. */
static const char *place_of(struct store *s, const char *location_id, bool *late)
{
    if (!location_id)
        return NULL;
    json_t *place = json_object_get(s->places, location_id);
    if (!place)
        *late = true;
    return json_string_value(place);
}

static bool add_place(struct store *s, const struct feed_location *l)
{
    struct joined *j = &s->columns[0];
    j->len = 0;
    j->any = false;
    if (!join_add(j, l->name_values, '\n') || !join_add(j, l->address, '\n') ||
        !join_add(j, l->neighbourhood, '\n'))
        return false;
    if (!s->places && !(s->places = json_object()))
        return false;
    return json_object_set_new(s->places, l->id, j->any ? json_string(j->text) : json_null()) == 0;
}

/* One row of the search index, its columns already in s->columns[0..3]. */
static bool search_row(struct store *s, int64_t rowid)
{
    sqlite3_stmt *st = s->stmt[ST_INSERT_SEARCH];
    sqlite3_bind_int64(st, 1, rowid);
    for (int i = 0; i < 4; i++)
        bind_joined(st, 2 + i, &s->columns[i]);
    return step_done(s, st);
}

static bool search_later(struct store *s, int64_t rowid)
{
    struct late *l = &s->late;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        int64_t *more = realloc(l->rowid, cap * sizeof *more);
        if (!more)
            return false;
        l->rowid = more;
        l->cap = cap;
    }
    l->rowid[l->n++] = rowid;
    return true;
}

/* The rows search_activity and search_service left for the end. An item
 * retracted meanwhile (its location never came) has no row in its table
 * any more and gets none here. */
static bool search_late_fill(struct store *s)
{
    sqlite3_stmt *act = NULL, *svc = NULL;
    bool ok = sqlite3_prepare_v2(s->db, SEARCH_LATE_ACTIVITY, -1, &act, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(s->db, SEARCH_LATE_SERVICE, -1, &svc, NULL) == SQLITE_OK;
    for (size_t i = 0; ok && i < s->late.n; i++) {
        int64_t rowid = s->late.rowid[i];
        sqlite3_stmt *st = rowid >= SEARCH_ROWID_SERVICE ? svc : act;
        sqlite3_bind_int64(st, 1, rowid >= SEARCH_ROWID_SERVICE ? rowid - SEARCH_ROWID_SERVICE
                                                                 : rowid);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_reset(st);
    }
    if (!ok)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(act);
    sqlite3_finalize(svc);
    return ok;
}

static void columns_clear(struct store *s)
{
    for (int i = 0; i < 4; i++) {
        s->columns[i].len = 0;
        s->columns[i].any = false;
    }
}

static bool search_activity(struct store *s, int64_t rowid, const struct feed_activity *a)
{
    bool late = false;
    const char *place = place_of(s, a->location_id, &late);
    if (late)
        return search_later(s, rowid);
    columns_clear(s);
    struct joined *c = s->columns;
    if (!join_add(&c[0], a->title_values, '\n') || !join_add(&c[1], a->summary_values, '\n') ||
        !join_add(&c[1], a->description_values, '\n') || !join_add(&c[2], place, '\n') ||
        !join_codes(&c[3], &a->themes, ' '))
        return false;
    return search_row(s, rowid);
}

static bool search_service(struct store *s, int64_t rowid, const struct feed_service *v)
{
    bool late = false;
    const char *place = place_of(s, v->location_id, &late);
    if (late)
        return search_later(s, rowid);
    columns_clear(s);
    struct joined *c = s->columns;
    if (!join_add(&c[0], v->name_values, '\n') || !join_add(&c[0], v->organization, '\n') ||
        !join_add(&c[1], v->description_values, '\n') ||
        !join_add(&c[1], v->how_to_values, '\n') || !join_add(&c[2], place, '\n') ||
        !join_codes(&c[3], &v->topics, ' '))
        return false;
    return search_row(s, rowid);
}

static bool add_location(struct store *s, const struct feed_location *l)
{
    sqlite3_stmt *st = s->stmt[ST_INSERT_LOCATION];
    bind_borrowed(st, 1, l->id);
    sqlite3_bind_int64(st, 2, s->seq++);
    bind_borrowed(st, 3, l->name_json);
    bind_borrowed(st, 4, l->address);
    bind_borrowed(st, 5, l->neighbourhood);
    if (l->has_coordinates) {
        sqlite3_bind_double(st, 6, l->lat);
        sqlite3_bind_double(st, 7, l->lon);
    }
    bind_borrowed(st, 8, l->accessibility_json);
    return step_done(s, st) && add_place(s, l);
}

static bool add_activity(struct store *s, const struct feed_activity *a)
{
    sqlite3_stmt *st = s->stmt[ST_INSERT_ACTIVITY];
    const struct feed_signup *su = &a->signup;
    bind_borrowed(st, 1, a->id);
    sqlite3_bind_int64(st, 2, s->seq++);
    bind_borrowed(st, 3, a->title_json);
    bind_borrowed(st, 4, a->summary_json);
    bind_borrowed(st, 5, a->description_json);
    bind_borrowed(st, 6, a->cost_json);
    bind_borrowed(st, 7, a->themes.json);
    bind_borrowed(st, 8, a->functions.json);
    bind_borrowed(st, 9, a->audience.json);
    bind_borrowed(st, 10, a->location_id);
    sqlite3_bind_int64(st, 11, a->starts_at);
    sqlite3_bind_int64(st, 12, a->ends_at);
    bind_borrowed(st, 13, a->rrule_text);
    json_t *ex = a->n_exdates ? exdates_json(a->exdates, a->n_exdates) : NULL;
    bind_json(st, 14, ex);
    json_decref(ex);
    bind_borrowed(st, 15, a->url);
    bind_borrowed(st, 16, a->image);
    bind_borrowed(st, 17, a->contact.json);
    bind_optional_int(st, 18, a->updated_at != 0, a->updated_at);
    sqlite3_bind_int(st, 19, su->present);
    bind_optional_int(st, 20, su->present, su->capacity);
    bind_optional_int(st, 21, su->present, su->taken);
    json_t *tk = su->n_taken_by_occurrence ? taken_json(su->taken_by_occurrence,
                                                        su->n_taken_by_occurrence)
                                           : NULL;
    bind_json(st, 22, tk);
    json_decref(tk);
    bind_optional_int(st, 23, su->present, su->waitlist);
    bind_optional_int(st, 24, su->present, su->closes_before_min);
    bind_optional_int(st, 25, su->present, su->fields);
    bind_optional_int(st, 26, su->present, su->lease);
    json_t *ls = su->n_lease_by_occurrence ? taken_json(su->lease_by_occurrence,
                                                        su->n_lease_by_occurrence)
                                           : NULL;
    bind_json(st, 27, ls);
    json_decref(ls);
    if (!step_done(s, st))
        return false;
    int64_t rowid = sqlite3_last_insert_rowid(s->db);
    if (!insert_codes(s, ST_INSERT_THEME, &a->themes, a->id) || !search_activity(s, rowid, a))
        return false;

    struct expansion e = {
        .activity_id = a->id,
        .location_id = a->location_id,
        .starts_at = a->starts_at,
        .duration = a->ends_at - a->starts_at,
        .rule = a->rule,
        .exdates = a->exdates,
        .n_exdates = a->n_exdates,
        .taken = su->taken,
        .taken_by_occurrence = su->taken_by_occurrence,
        .n_taken = su->n_taken_by_occurrence,
        .lease = su->lease,
        .lease_by_occurrence = su->lease_by_occurrence,
        .n_lease = su->n_lease_by_occurrence,
    };
    return insert_occurrences(s, &e);
}

static bool add_service(struct store *s, const struct feed_service *v)
{
    sqlite3_stmt *st = s->stmt[ST_INSERT_SERVICE];
    bind_borrowed(st, 1, v->id);
    sqlite3_bind_int64(st, 2, s->seq++);
    bind_borrowed(st, 3, v->name_json);
    bind_borrowed(st, 4, v->organization);
    bind_borrowed(st, 5, v->description_json);
    bind_borrowed(st, 6, v->how_to_json);
    bind_borrowed(st, 7, v->themes.json);
    bind_borrowed(st, 8, v->functions.json);
    bind_borrowed(st, 9, v->topics.json);
    bind_borrowed(st, 10, v->location_id);
    bind_borrowed(st, 11, v->walk_in_json);
    bind_borrowed(st, 12, v->phone);
    bind_borrowed(st, 13, v->email);
    bind_borrowed(st, 14, v->url);
    bind_optional_int(st, 15, v->updated_at != 0, v->updated_at);
    bind_borrowed(st, 16, v->image);
    if (!step_done(s, st))
        return false;
    int64_t rowid = SEARCH_ROWID_SERVICE + sqlite3_last_insert_rowid(s->db);
    return insert_codes(s, ST_INSERT_TOPIC, &v->topics, v->id) && search_service(s, rowid, v);
}

static bool add_announcement(struct store *s, const struct feed_announcement *an)
{
    sqlite3_stmt *st = s->stmt[ST_INSERT_ANNOUNCEMENT];
    bind_borrowed(st, 1, an->id);
    sqlite3_bind_int64(st, 2, s->seq++);
    bind_borrowed(st, 3, an->text_json);
    bind_optional_int(st, 4, an->from != 0, an->from);
    bind_optional_int(st, 5, an->until != 0, an->until);
    bind_borrowed(st, 6, an->location_ids.json);
    sqlite3_bind_int(st, 7, an->priority);
    return step_done(s, st);
}

static bool sink_add(void *ctx, const struct feed_item *item)
{
    struct store *s = ctx;
    switch (item->kind) {
    case FEED_LOCATION: return add_location(s, &item->u.location);
    case FEED_ACTIVITY: return add_activity(s, &item->u.activity);
    case FEED_SERVICE: return add_service(s, &item->u.service);
    case FEED_ANNOUNCEMENT: return add_announcement(s, &item->u.announcement);
    case FEED_KIND_COUNT: break;
    }
    return false;
}

static bool delete_by_id(struct store *s, const char *sql, const char *id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return false;
    }
    bind_text(st, 1, id);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

/* Only an item whose location never came is retracted, and such an item
 * has no row in the search index yet (search_activity leaves it to
 * search_late_fill, which runs after the retraction). */
static bool sink_retract(void *ctx, enum feed_kind kind, const char *id)
{
    struct store *s = ctx;
    if (kind == FEED_ACTIVITY)
        return delete_by_id(s, "DELETE FROM activity WHERE id = ?1", id) &&
               delete_by_id(s, "DELETE FROM activity_theme WHERE activity_id = ?1", id) &&
               delete_by_id(s, "DELETE FROM occurrence WHERE activity_id = ?1", id);
    if (kind == FEED_SERVICE)
        return delete_by_id(s, "DELETE FROM service WHERE id = ?1", id) &&
               delete_by_id(s, "DELETE FROM service_topic WHERE service_id = ?1", id);
    return false;
}

static bool set_meta_int(struct store *s, const char *key, int64_t value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, value);
    return store_set_meta(s, key, buf);
}

enum feed_result store_apply_feed(struct store *s, const char *body, size_t len,
                                  const struct feed_origin *origin, int64_t now,
                                  struct feed_report *report)
{
    if (s->read_only) {
        memset(report, 0, sizeof *report);
        report->result = FEED_SINK_FAILED;
        snprintf(report->reason, sizeof report->reason, "%s", STORE_READ_ONLY_REASON);
        return report->result;
    }
    if (!exec(s, "BEGIN IMMEDIATE")) {
        memset(report, 0, sizeof *report);
        report->result = FEED_SINK_FAILED;
        snprintf(report->reason, sizeof report->reason, "database busy: %s", sqlite3_errmsg(s->db));
        return report->result;
    }
    set_window(s, now);
    s->seq = 0;
    json_decref(s->places);
    s->places = NULL;
    s->late.n = 0;
    /* Threaded: the parser validates the next item while this connection
     * stores the last one (feed.h); nothing else uses the connection
     * until feed_parse returns. */
    struct feed_sink sink = {.ctx = s, .add = sink_add, .retract = sink_retract, .threaded = true};
    /* The swap's indexes are rebuilt once at the end rather than kept up
     * to date row by row; readers still see the old snapshot meanwhile.
     * A larger page cache keeps the swap's pages out of the WAL until commit. */
    bool ok = exec(s, "PRAGMA cache_size=-8192") && exec(s, SWAP_INDEXES_DROP) &&
              exec(s, "DELETE FROM location; DELETE FROM activity; DELETE FROM activity_theme;"
                      "DELETE FROM occurrence; DELETE FROM service; DELETE FROM service_topic;"
                      "DELETE FROM announcement;" SEARCH_CLEAR);
    enum feed_result result = ok ? feed_parse(body, len, &sink, report) : FEED_SINK_FAILED;
    if (!ok) {
        memset(report, 0, sizeof *report);
        report->result = result;
        snprintf(report->reason, sizeof report->reason, "could not clear the old content");
    }
    if (result == FEED_ACCEPTED) {
        ok = exec(s, SWAP_INDEXES_CREATE) && search_late_fill(s) &&
             exec(s, SEARCH_TERMS_FILL) &&
             store_set_meta(s, "feed_url", origin ? origin->url : NULL) &&
             store_set_meta(s, "feed_etag", origin ? origin->etag : NULL) &&
             store_set_meta(s, "feed_last_modified", origin ? origin->last_modified : NULL) &&
             store_set_meta(s, "feed_sha256", origin ? origin->sha256_hex : NULL) &&
             set_meta_int(s, "feed_generated_at", report->generated_at) &&
             set_meta_int(s, "feed_applied_at", now) &&
             set_meta_int(s, "occurrence_window_start", s->window_start) &&
             exec(s, "COMMIT");
        if (!ok) {
            exec(s, "ROLLBACK");
            report->result = FEED_SINK_FAILED;
            snprintf(report->reason, sizeof report->reason, "could not commit the new content");
        }
    } else {
        exec(s, "ROLLBACK");
    }
    exec(s, STORE_CACHE_PRAGMA);
    json_decref(s->places);
    s->places = NULL;
    return report->result;
}

/* ---- re-expansion when the day moves on ---- */

/* The stored [[occurrence, count], ...] of taken_json, into out. */
static size_t parse_pairs(const char *json_text, struct feed_taken *out, size_t max)
{
    json_t *pairs = json_text ? json_loads(json_text, 0, NULL) : NULL;
    size_t i, n = 0;
    json_t *pair;
    json_array_foreach(pairs, i, pair) {
        if (n < max) {
            out[n].occurrence = json_integer_value(json_array_get(pair, 0));
            out[n++].taken = json_integer_value(json_array_get(pair, 1));
        }
    }
    json_decref(pairs);
    return n;
}

static size_t parse_int_array(const char *json_text, int64_t *out, size_t max)
{
    json_t *array = json_text ? json_loads(json_text, 0, NULL) : NULL;
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(array, i, v) {
        if (n < max)
            out[n++] = json_integer_value(v);
    }
    json_decref(array);
    return n;
}

bool store_refresh_occurrences(struct store *s, int64_t now, bool force)
{
    char buf[32];
    int64_t stored = store_get_meta(s, "occurrence_window_start", buf, sizeof buf)
                         ? strtoll(buf, NULL, 10)
                         : 0;
    if (!force && stored == tz_start_of_day(now))
        return true;
    if (!exec(s, "BEGIN IMMEDIATE"))
        return false;
    set_window(s, now);
    sqlite3_stmt *st = NULL;
    bool ok = exec(s, "DELETE FROM occurrence") &&
              sqlite3_prepare_v2(s->db,
                                 "SELECT id, location_id, starts_at, ends_at, rrule, exdates,"
                                 " COALESCE(taken, 0), taken_by_occurrence, COALESCE(lease, 0),"
                                 " lease_by_occurrence FROM activity",
                                 -1, &st, NULL) == SQLITE_OK;
    enum { MAX_EX = 1000 };
    int64_t *exdates = malloc(MAX_EX * sizeof *exdates);
    struct feed_taken *taken = malloc(MAX_EX * sizeof *taken);
    struct feed_taken *lease = malloc(MAX_EX * sizeof *lease);
    ok = ok && exdates && taken && lease;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct rrule rule;
        char why[96];
        const char *rrule_text = (const char *)sqlite3_column_text(st, 4);
        struct expansion e = {
            .activity_id = (const char *)sqlite3_column_text(st, 0),
            .location_id = (const char *)sqlite3_column_text(st, 1),
            .starts_at = sqlite3_column_int64(st, 2),
            .duration = sqlite3_column_int64(st, 3) - sqlite3_column_int64(st, 2),
            .rule = rrule_text && rrule_parse(rrule_text, &rule, why, sizeof why) ? &rule : NULL,
            .exdates = exdates,
            .n_exdates = parse_int_array((const char *)sqlite3_column_text(st, 5), exdates, MAX_EX),
            .taken = sqlite3_column_int64(st, 6),
            .taken_by_occurrence = taken,
            .lease = sqlite3_column_int64(st, 8),
            .lease_by_occurrence = lease,
        };
        e.n_taken = parse_pairs((const char *)sqlite3_column_text(st, 7), taken, MAX_EX);
        e.n_lease = parse_pairs((const char *)sqlite3_column_text(st, 9), lease, MAX_EX);
        ok = insert_occurrences(s, &e);
    }
    /* A read that failed half way must not commit half a window. */
    if (ok && rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        ok = false;
    }
    sqlite3_finalize(st);
    free(exdates);
    free(taken);
    free(lease);
    ok = ok && set_meta_int(s, "occurrence_window_start", s->window_start) && exec(s, "COMMIT");
    if (!ok)
        exec(s, "ROLLBACK");
    return ok;
}

/* ---- meta, log, status ---- */

enum store_lookup store_lookup_meta(struct store *s, const char *key, char *buf, size_t buf_len)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) !=
        SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return STORE_ERROR;
    }
    bind_text(st, 1, key);
    enum store_lookup result = STORE_NOT_FOUND;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        snprintf(buf, buf_len, "%s", (const char *)sqlite3_column_text(st, 0));
        result = STORE_FOUND;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        result = STORE_ERROR;
    }
    sqlite3_finalize(st);
    return result;
}

bool store_get_meta(struct store *s, const char *key, char *buf, size_t buf_len)
{
    return store_lookup_meta(s, key, buf, buf_len) == STORE_FOUND;
}

bool store_set_meta(struct store *s, const char *key, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", -1,
                           &st, NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return false;
    }
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    if (!ok)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return ok;
}

static json_t *skips_json(const struct feed_report *report)
{
    json_t *array = json_array();
    for (size_t i = 0; array && report && i < report->n_skips; i++) {
        const struct feed_skip *k = &report->skips[i];
        json_array_append_new(array, json_pack("{sssssIss}", "kind", feed_kind_name(k->kind),
                                               "id", k->id, "index", (json_int_t)k->index,
                                               "reason", k->reason));
    }
    return array;
}

bool store_log_sync(struct store *s, int64_t at, const char *result, const char *reason,
                    size_t skipped, const struct feed_report *report)
{
    bool success = strcmp(result, "applied") == 0 || strcmp(result, "unchanged") == 0;
    sqlite3_stmt *st;
    if (!exec(s, "BEGIN IMMEDIATE"))
        return false;
    bool ok = sqlite3_prepare_v2(s->db,
                                 "INSERT INTO sync_log(at, result, reason, skipped, details)"
                                 " VALUES(?1, ?2, ?3, ?4, ?5)",
                                 -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_int64(st, 1, at);
        bind_text(st, 2, result);
        bind_text(st, 3, reason && *reason ? reason : NULL);
        sqlite3_bind_int64(st, 4, (int64_t)skipped);
        json_t *details = report && report->n_skips ? skips_json(report) : NULL;
        bind_json(st, 5, details);
        json_decref(details);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    ok = ok && exec(s, "DELETE FROM sync_log WHERE id <= (SELECT max(id) - 500 FROM sync_log)");
    ok = ok && set_meta_int(s, "last_sync_at", at);
    if (success)
        ok = ok && set_meta_int(s, "last_sync_ok_at", at) && store_set_meta(s, "last_sync_error", NULL);
    else {
        char message[300];
        snprintf(message, sizeof message, "%s%s%s", result, reason && *reason ? ": " : "",
                 reason ? reason : "");
        ok = ok && store_set_meta(s, "last_sync_error", message);
    }
    ok = ok && exec(s, "COMMIT");
    if (!ok)
        exec(s, "ROLLBACK");
    return ok;
}

/* The one number sql answers; false (ok cleared) on a storage error, so
 * that a status never passes an unreadable table off as an empty one. */
static int64_t count_of(struct store *s, const char *sql, bool *ok)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        *ok = false;
    }
    sqlite3_finalize(st);
    return n;
}

/* A meta value as an integer, 0 when absent; ok cleared on an error. */
static int64_t meta_int(struct store *s, const char *key, bool *ok)
{
    char buf[32];
    enum store_lookup r = store_lookup_meta(s, key, buf, sizeof buf);
    if (r == STORE_ERROR)
        *ok = false;
    return r == STORE_FOUND ? strtoll(buf, NULL, 10) : 0;
}

/* A meta text; false when absent, ok cleared on an error. */
static bool meta_text(struct store *s, const char *key, char *buf, size_t buf_len, bool *ok)
{
    enum store_lookup r = store_lookup_meta(s, key, buf, buf_len);
    if (r == STORE_ERROR)
        *ok = false;
    return r == STORE_FOUND;
}

bool store_status(struct store *s, struct store_status *out)
{
    memset(out, 0, sizeof *out);
    if (!exec(s, "BEGIN"))
        return false;
    bool ok = true;
    out->locations = count_of(s, "SELECT count(*) FROM location", &ok);
    out->activities = count_of(s, "SELECT count(*) FROM activity", &ok);
    out->services = count_of(s, "SELECT count(*) FROM service", &ok);
    out->announcements = count_of(s, "SELECT count(*) FROM announcement", &ok);
    out->occurrences = count_of(s, "SELECT count(*) FROM occurrence", &ok);
    out->has_feed_etag = meta_text(s, "feed_etag", out->feed_etag, sizeof out->feed_etag, &ok);
    out->last_sync_at = meta_int(s, "last_sync_at", &ok);
    out->feed_generated_at = meta_int(s, "feed_generated_at", &ok);
    struct store_sync_state sync;
    ok = store_sync_state(s, &sync) && ok;
    out->last_sync_ok_at = sync.last_sync_ok_at;
    out->feed_applied_at = sync.feed_applied_at;
    out->staff_actions = meta_int(s, "staff_actions", &ok);
    out->has_last_sync_error = meta_text(s, "last_sync_error", out->last_sync_error,
                                         sizeof out->last_sync_error, &ok);
    out->last_sync_failed = sync.last_sync_failed;
    out->outbox_pending = count_of(s, "SELECT count(*) FROM outbox WHERE status = 'pending'", &ok);
    out->outbox_confirmed =
        count_of(s, "SELECT count(*) FROM outbox WHERE status = 'confirmed'", &ok);
    out->outbox_waitlisted =
        count_of(s, "SELECT count(*) FROM outbox WHERE status = 'waitlisted'", &ok);
    out->outbox_rejected = count_of(s, "SELECT count(*) FROM outbox WHERE status IN"
                                       " ('rejected', 'full', 'closed')", &ok);
    out->outbox_expired = count_of(s, "SELECT count(*) FROM outbox WHERE status = 'expired'", &ok);
    /* Only a read: ending it cannot lose anything. */
    exec(s, "COMMIT");
    return ok;
}

bool store_sync_state(struct store *s, struct store_sync_state *out)
{
    memset(out, 0, sizeof *out);
    bool ok = true;
    out->last_sync_ok_at = meta_int(s, "last_sync_ok_at", &ok);
    out->feed_applied_at = meta_int(s, "feed_applied_at", &ok);
    char error[8];
    out->last_sync_failed = meta_text(s, "last_sync_error", error, sizeof error, &ok);
    char contact[8];
    out->hub_unreachable = meta_text(s, STORE_META_HUB_CONTACT, contact, sizeof contact, &ok) &&
                           strcmp(contact, "failed") == 0;
    return ok;
}

bool store_next_seq(struct store *s, int64_t *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO meta(key, value) VALUES('net_seq', '1')"
                           " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                           " RETURNING CAST(value AS INTEGER)",
                           -1, &st, NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return false;
    }
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *out = sqlite3_column_int64(st, 0);
    else
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return ok;
}

bool store_set_hub_contact(struct store *s, bool ok)
{
    char now[8];
    const char *value = ok ? "ok" : "failed";
    /* Most passes change nothing: no write for that. */
    if (store_get_meta(s, STORE_META_HUB_CONTACT, now, sizeof now) && strcmp(now, value) == 0)
        return true;
    return store_set_meta(s, STORE_META_HUB_CONTACT, value);
}

enum store_lookup store_occurrence_lease(struct store *s, const char *activity_id,
                                         int64_t occurrence, int64_t *lease)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT lease FROM occurrence WHERE activity_id = ?1"
                                  " AND starts_at = ?2", -1, &st, NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return STORE_ERROR;
    }
    bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    int rc = sqlite3_step(st);
    enum store_lookup result = rc == SQLITE_ROW    ? STORE_FOUND
                               : rc == SQLITE_DONE ? STORE_NOT_FOUND
                                                   : STORE_ERROR;
    *lease = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (result == STORE_ERROR)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return result;
}

bool store_is_empty(struct store *s, bool *empty)
{
    bool ok = true;
    /* EXISTS stops at the first row: no table is counted through. */
    *empty = count_of(s, "SELECT NOT EXISTS (SELECT 1 FROM activity)"
                         " AND NOT EXISTS (SELECT 1 FROM service)"
                         " AND NOT EXISTS (SELECT 1 FROM announcement)", &ok) == 1;
    return ok;
}

/* ---- screen queries ---- */

/* A vocabulary (vocab.h) as SQL's "('a', 'b', ...)": the filters "other"
 * and "overig" take exactly the codes the screens do not list. False when
 * it does not fit in buf (a vocabulary grew past the buffers below). */
static bool sql_code_list(char *buf, size_t len, size_t count, const char *(*code)(size_t))
{
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        const char *c = code(i);
        if (used + strlen(c) * 2 + 6 >= len) {
            log_error(TAG, "a vocabulary does not fit its SQL buffer");
            return false;
        }
        used += (size_t)snprintf(buf + used, len - used, "%s'", i ? ", " : "(");
        for (; *c; c++) {
            if (*c == '\'')
                buf[used++] = '\'';
            buf[used++] = *c;
        }
        buf[used++] = '\'';
    }
    if (used + 2 > len)
        return false;
    snprintf(buf + used, len - used, ")");
    return true;
}

bool store_query_occurrences(struct store *s, const struct occurrence_query *q, occurrence_fn fn,
                             void *ctx)
{
    bool other = q->theme && strcmp(q->theme, STORE_THEME_OTHER) == 0;
    int theme_kind = !q->theme ? 0 : other ? 2 : 1;
    int variant = (q->location_id ? 1 : 0) + 2 * theme_kind + 6 * (q->activity_id ? 1 : 0);
    sqlite3_stmt *st = s->occurrence_stmt[variant];
    if (!st) {
        char sql[1024], known[256], theme_clause[384] = "";
        if (theme_kind == 2) {
            if (!sql_code_list(known, sizeof known, vocab_theme_count(), vocab_theme))
                return false;
            snprintf(theme_clause, sizeof theme_clause,
                     " AND o.activity_id IN (SELECT activity_id FROM activity_theme"
                     " WHERE theme NOT IN %s)", known);
        } else if (theme_kind == 1) {
            snprintf(theme_clause, sizeof theme_clause,
                     " AND o.activity_id IN (SELECT activity_id FROM activity_theme"
                     " WHERE theme = ?4)");
        }
        snprintf(sql, sizeof sql,
                 "SELECT o.activity_id, o.starts_at, o.ends_at, o.location_id, a.title,"
                 " a.has_signup, COALESCE(a.capacity, -1), o.taken"
                 /* Without ANALYZE the planner would take the unique
                  * index on id and then the wide row; the narrow one
                  * answers from its own pages. */
                 " FROM occurrence o JOIN activity a INDEXED BY activity_card"
                 " ON a.id = o.activity_id"
                 " WHERE o.starts_at >= ?1 AND o.starts_at < ?2 %s %s %s"
                 " AND o.activity_id NOT IN (SELECT item_id FROM local_override"
                 "   WHERE kind = 'activity' AND hidden)"
                 " ORDER BY o.starts_at, o.activity_id LIMIT ?5",
                 q->location_id ? "AND o.location_id = ?3" : "", theme_clause,
                 q->activity_id ? "AND o.activity_id = ?6" : "");
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
            log_error(TAG, "%s", sqlite3_errmsg(s->db));
            return false;
        }
        s->occurrence_stmt[variant] = st;
    }
    sqlite3_bind_int64(st, 1, q->from);
    sqlite3_bind_int64(st, 2, q->until);
    if (q->location_id)
        bind_text(st, 3, q->location_id);
    if (q->theme && strcmp(q->theme, STORE_THEME_OTHER) != 0)
        bind_text(st, 4, q->theme);
    sqlite3_bind_int64(st, 5, q->limit ? (int64_t)q->limit : -1);
    if (q->activity_id)
        bind_text(st, 6, q->activity_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct occurrence_row row = {
            .activity_id = (const char *)sqlite3_column_text(st, 0),
            .starts_at = sqlite3_column_int64(st, 1),
            .ends_at = sqlite3_column_int64(st, 2),
            .location_id = (const char *)sqlite3_column_text(st, 3),
            .title_json = (const char *)sqlite3_column_text(st, 4),
            .has_signup = sqlite3_column_int(st, 5) != 0,
            .capacity = sqlite3_column_int64(st, 6),
            .taken = sqlite3_column_int64(st, 7),
        };
        if (!fn(ctx, &row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE;
}

#define SERVICE_COLUMNS                                                                           \
    "SELECT id, name, organization, location_id, description, how_to, walk_in, phone, email,"     \
    " url FROM service WHERE id NOT IN (SELECT item_id FROM local_override"                       \
    " WHERE kind = 'service' AND hidden)"
/* Services staff featured on this kiosk come first. */
#define SERVICE_ORDER                                                                             \
    " ORDER BY (SELECT featured FROM local_override WHERE kind = 'service'"                       \
    " AND item_id = service.id) DESC, seq"

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Runs a prepared query, handing each row to row_fn until it says stop. */
static bool for_each_row(struct store *s, sqlite3_stmt *st, bool (*row_fn)(sqlite3_stmt *, void *),
                         void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!row_fn(st, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

static sqlite3_stmt *prepare(struct store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return NULL;
    }
    return st;
}

struct service_call {
    service_fn fn;
    void *ctx;
    bool found;
};

/* A service row from the columns every service query selects, in order:
 * id, name, organization, location, description, how to, walk-in, phone,
 * e-mail, url. */
static struct service_row service_row_from(sqlite3_stmt *st)
{
    return (struct service_row){
        .id = col_text(st, 0),
        .name_json = col_text(st, 1),
        .organization = col_text(st, 2),
        .location_id = col_text(st, 3),
        .description_json = col_text(st, 4),
        .how_to_json = col_text(st, 5),
        .walk_in_json = col_text(st, 6),
        .phone = col_text(st, 7),
        .email = col_text(st, 8),
        .url = col_text(st, 9),
    };
}

static bool service_row_of(sqlite3_stmt *st, void *ctx)
{
    struct service_call *call = ctx;
    struct service_row row = service_row_from(st);
    call->found = true;
    return call->fn(call->ctx, &row);
}

bool store_query_services(struct store *s, const char *topic, service_fn fn, void *ctx)
{
    char sql[1024], known[512];
    if (!topic) {
        snprintf(sql, sizeof sql, "%s", SERVICE_COLUMNS SERVICE_ORDER);
    } else if (strcmp(topic, "overig") == 0) {
        if (!sql_code_list(known, sizeof known, vocab_topic_count(), vocab_topic))
            return false;
        snprintf(sql, sizeof sql,
                 SERVICE_COLUMNS " AND id IN (SELECT service_id FROM service_topic WHERE"
                                 " topic = 'overig' OR topic NOT IN %s)" SERVICE_ORDER,
                 known);
    } else {
        snprintf(sql, sizeof sql, "%s",
                 SERVICE_COLUMNS " AND id IN (SELECT service_id FROM service_topic WHERE"
                                 " topic = ?1)" SERVICE_ORDER);
    }
    sqlite3_stmt *st = prepare(s, sql);
    if (!st)
        return false;
    if (topic && strcmp(topic, "overig") != 0)
        bind_text(st, 1, topic);
    struct service_call call = {fn, ctx, false};
    return for_each_row(s, st, service_row_of, &call);
}

/* What a look-up by key came to, from whether it ran and found a row. */
static enum store_lookup lookup_result(bool ran, bool found)
{
    return !ran ? STORE_ERROR : found ? STORE_FOUND : STORE_NOT_FOUND;
}

enum store_lookup store_lookup_service(struct store *s, const char *id, service_fn fn, void *ctx)
{
    /* A hidden service can still be shown by id (staff, an open detail screen). */
    sqlite3_stmt *st = prepare(s, "SELECT id, name, organization, location_id, description,"
                                  " how_to, walk_in, phone, email, url FROM service WHERE id = ?1");
    if (!st)
        return STORE_ERROR;
    bind_text(st, 1, id);
    struct service_call call = {fn, ctx, false};
    bool ran = for_each_row(s, st, service_row_of, &call);
    return lookup_result(ran, call.found);
}

bool store_get_service(struct store *s, const char *id, service_fn fn, void *ctx)
{
    return store_lookup_service(s, id, fn, ctx) == STORE_FOUND;
}

struct activity_call {
    activity_fn fn;
    void *ctx;
    bool found;
};

static bool activity_row_of(sqlite3_stmt *st, void *ctx)
{
    struct activity_call *call = ctx;
    struct activity_row row = {
        .id = col_text(st, 0),
        .title_json = col_text(st, 1),
        .summary_json = col_text(st, 2),
        .description_json = col_text(st, 3),
        .cost_json = col_text(st, 4),
        .location_id = col_text(st, 5),
        .starts_at = sqlite3_column_int64(st, 6),
        .ends_at = sqlite3_column_int64(st, 7),
        .rrule = col_text(st, 8),
        .url = col_text(st, 9),
        .contact_json = col_text(st, 10),
        .has_signup = sqlite3_column_int(st, 11) != 0,
        .capacity = sqlite3_column_int64(st, 12),
        .waitlist = sqlite3_column_int(st, 13) != 0,
        .closes_before_min = sqlite3_column_int64(st, 14),
        .signup_fields = (unsigned)sqlite3_column_int(st, 15),
        .themes_json = col_text(st, 16),
    };
    call->found = true;
    return call->fn(call->ctx, &row);
}

enum store_lookup store_lookup_activity(struct store *s, const char *id, activity_fn fn,
                                        void *ctx)
{
    sqlite3_stmt *st = prepare(s, "SELECT id, title, summary, description, cost, location_id,"
                                  " starts_at, ends_at, rrule, url, contact, has_signup,"
                                  " COALESCE(capacity, -1), COALESCE(waitlist, 0),"
                                  " COALESCE(closes_before_min, 0), COALESCE(signup_fields, 3),"
                                  " themes FROM activity WHERE id = ?1");
    if (!st)
        return STORE_ERROR;
    bind_text(st, 1, id);
    struct activity_call call = {fn, ctx, false};
    bool ran = for_each_row(s, st, activity_row_of, &call);
    return lookup_result(ran, call.found);
}

bool store_get_activity(struct store *s, const char *id, activity_fn fn, void *ctx)
{
    return store_lookup_activity(s, id, fn, ctx) == STORE_FOUND;
}

struct location_call {
    location_fn fn;
    void *ctx;
};

static bool location_row_of(sqlite3_stmt *st, void *ctx)
{
    struct location_call *call = ctx;
    struct location_row row = {
        .id = col_text(st, 0),
        .name_json = col_text(st, 1),
        .address = col_text(st, 2),
        .neighbourhood = col_text(st, 3),
        .accessibility_json = col_text(st, 4),
    };
    return call->fn(call->ctx, &row);
}

bool store_query_locations(struct store *s, location_fn fn, void *ctx)
{
    sqlite3_stmt *st = prepare(s, "SELECT id, name, address, neighbourhood, accessibility"
                                  " FROM location ORDER BY seq");
    struct location_call call = {fn, ctx};
    return st && for_each_row(s, st, location_row_of, &call);
}

struct announcement_call {
    announcement_fn fn;
    void *ctx;
};

static bool announcement_row_of(sqlite3_stmt *st, void *ctx)
{
    struct announcement_call *call = ctx;
    struct announcement_row row = {
        .id = col_text(st, 0),
        .text_json = col_text(st, 1),
        .from = sqlite3_column_int64(st, 2),
        .until = sqlite3_column_int64(st, 3),
        .location_ids_json = col_text(st, 4),
        .urgent = sqlite3_column_int(st, 5) != 0,
    };
    return call->fn(call->ctx, &row);
}

bool store_query_announcements(struct store *s, int64_t now, announcement_fn fn, void *ctx)
{
    /* Staff's own announcements on this kiosk count as urgent: staff put
     * them there to be seen. */
    sqlite3_stmt *st = prepare(s, "SELECT id, text, from_at, until_at, location_ids, priority FROM ("
                                  " SELECT id, text, COALESCE(from_at, 0) AS from_at,"
                                  " COALESCE(until_at, 0) AS until_at, location_ids, priority,"
                                  " 1 AS src, seq FROM announcement"
                                  " WHERE (from_at IS NULL OR from_at <= ?1)"
                                  " AND (until_at IS NULL OR until_at > ?1)"
                                  " UNION ALL SELECT 'local-' || id, json_object('nl', text), from_at,"
                                  " until_at, NULL, 1, 0, id FROM local_announcement"
                                  " WHERE from_at <= ?1 AND until_at > ?1)"
                                  " ORDER BY priority DESC, src, seq");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, now);
    struct announcement_call call = {fn, ctx};
    return for_each_row(s, st, announcement_row_of, &call);
}

struct code_call {
    code_fn fn;
    void *ctx;
};

static bool code_row_of(sqlite3_stmt *st, void *ctx)
{
    struct code_call *call = ctx;
    return call->fn(call->ctx, col_text(st, 0));
}

bool store_query_themes(struct store *s, code_fn fn, void *ctx)
{
    sqlite3_stmt *st = prepare(s, "SELECT DISTINCT theme FROM activity_theme ORDER BY theme");
    struct code_call call = {fn, ctx};
    return st && for_each_row(s, st, code_row_of, &call);
}

bool store_query_topics(struct store *s, code_fn fn, void *ctx)
{
    sqlite3_stmt *st = prepare(s, "SELECT DISTINCT topic FROM service_topic ORDER BY topic");
    struct code_call call = {fn, ctx};
    return st && for_each_row(s, st, code_row_of, &call);
}

/* ---- what staff chose on this kiosk ---- */

bool store_set_override(struct store *s, const char *kind, const char *id, bool hidden,
                        bool featured)
{
    sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO local_override(kind, item_id, hidden,"
                                  " featured) VALUES(?1, ?2, ?3, ?4)");
    if (!st)
        return false;
    bind_text(st, 1, kind);
    bind_text(st, 2, id);
    sqlite3_bind_int(st, 3, hidden);
    sqlite3_bind_int(st, 4, featured);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    if (!ok)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return ok;
}

struct item_call {
    item_fn fn;
    void *ctx;
};

static bool item_row_of(sqlite3_stmt *st, void *ctx)
{
    struct item_call *call = ctx;
    struct item_row row = {
        .kind = col_text(st, 0),
        .id = col_text(st, 1),
        .name_json = col_text(st, 2),
        .hidden = sqlite3_column_int(st, 3) != 0,
        .featured = sqlite3_column_int(st, 4) != 0,
    };
    return call->fn(call->ctx, &row);
}

bool store_query_items(struct store *s, item_fn fn, void *ctx)
{
    sqlite3_stmt *st = prepare(
        s, "SELECT 'activity', a.id, a.title, COALESCE(o.hidden, 0), COALESCE(o.featured, 0)"
           " FROM activity a LEFT JOIN local_override o ON o.kind = 'activity' AND o.item_id = a.id"
           " UNION ALL"
           " SELECT 'service', v.id, v.name, COALESCE(o.hidden, 0), COALESCE(o.featured, 0)"
           " FROM service v LEFT JOIN local_override o ON o.kind = 'service' AND o.item_id = v.id"
           " ORDER BY 1, 2");
    struct item_call call = {fn, ctx};
    return st && for_each_row(s, st, item_row_of, &call);
}

bool store_add_local_announcement(struct store *s, const char *text, int64_t now, int64_t from,
                                  int64_t until)
{
    sqlite3_stmt *st = prepare(s, "INSERT INTO local_announcement(text, from_at, until_at)"
                                  " VALUES(?1, ?2, ?3)");
    if (!st)
        return false;
    bind_text(st, 1, text);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, until);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    if (!ok)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    /* Ended ones are of no use to anyone. */
    sqlite3_stmt *old = prepare(s, "DELETE FROM local_announcement WHERE until_at < ?1");
    if (old) {
        sqlite3_bind_int64(old, 1, now - 86400);
        if (sqlite3_step(old) != SQLITE_DONE)
            log_error(TAG, "%s", sqlite3_errmsg(s->db));
        sqlite3_finalize(old);
    }
    return ok;
}

bool store_count_staff_action(struct store *s)
{
    return exec(s, "INSERT INTO meta(key, value) VALUES('staff_actions', 1)"
                   " ON CONFLICT(key) DO UPDATE SET value = value + 1");
}

/* ---- search ---- */

static const char *const search_sql[SEARCH_STATEMENTS] = {
    [SEARCH_TERMS] = "SELECT term FROM search_term WHERE term >= ?1 AND term < ?2",
    /* In feed order, without ranking: FTS5 then stops at the limit
     * instead of scoring every row (the first letter typed matches nearly
     * all of 10,000 activities). store_search asks for title hits first. */
    [SEARCH_MATCH] = "SELECT CASE WHEN rowid < (1 << 40) THEN 'activity' ELSE 'service' END,"
                     " CASE WHEN rowid < (1 << 40) THEN (SELECT id FROM activity WHERE rowid ="
                     " m.rowid) ELSE (SELECT id FROM service WHERE rowid = m.rowid - (1 << 40))"
                     " END FROM search_index m WHERE search_index MATCH ?1 LIMIT ?2",
    [SEARCH_ACTIVITY] = "SELECT o.activity_id, o.starts_at, o.ends_at, o.location_id, a.title,"
                        " a.has_signup, COALESCE(a.capacity, -1), o.taken"
                        " FROM occurrence o JOIN activity a ON a.id = o.activity_id"
                        " WHERE o.activity_id = ?1 AND o.ends_at > ?2"
                        " AND NOT EXISTS (SELECT 1 FROM local_override WHERE kind = 'activity'"
                        "   AND item_id = ?1 AND hidden)"
                        " ORDER BY o.starts_at LIMIT 1",
    [SEARCH_SERVICE] = SERVICE_COLUMNS " AND id = ?1",
};

static sqlite3_stmt *search_statement(struct store *s, enum search_statement which)
{
    if (!s->search_stmt[which] &&
        sqlite3_prepare_v3(s->db, search_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->search_stmt[which], NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        return NULL;
    }
    return s->search_stmt[which];
}

/* FTS5's C API, as its documentation fetches it. */
static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api;
}

static bool search_tokenizer_ready(struct store *s)
{
    if (s->tokenizer.t)
        return true;
    fts5_api *api = fts5_api_of(s->db);
    void *user = NULL;
    const char *args[] = {"remove_diacritics", "2"};
    if (!api || api->xFindTokenizer(api, "unicode61", &user, &s->tokenizer.api) != SQLITE_OK ||
        s->tokenizer.api.xCreate(user, args, 2, &s->tokenizer.t) != SQLITE_OK) {
        log_error(TAG, "no FTS5 unicode61 tokenizer");
        s->tokenizer.t = NULL;
        return false;
    }
    return true;
}

struct fold {
    struct search_query *out;
};

static int fold_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)start, (void)end;
    struct search_query *q = ((struct fold *)ctx)->out;
    /* Words past the limit, or longer than a word may be, are let go:
     * the rest still searches. */
    if ((flags & FTS5_TOKEN_COLOCATED) || n <= 0 || n > SEARCH_WORD_MAX ||
        q->n_words == SEARCH_WORDS_MAX)
        return SQLITE_OK;
    memcpy(q->words[q->n_words].text, token, (size_t)n);
    q->words[q->n_words].text[n] = '\0';
    q->n_words++;
    return SQLITE_OK;
}

/* The typed words as the index holds its terms: split and folded by its
 * tokenizer (a typed "Digi-café" is "digi" and "cafe"). */
static bool fold_words(struct store *s, const struct search_query *typed, struct search_query *out)
{
    memset(out, 0, sizeof *out);
    if (!search_tokenizer_ready(s))
        return false;
    struct fold f = {out};
    for (size_t i = 0; i < typed->n_words; i++) {
        const char *w = typed->words[i].text;
        if (s->tokenizer.api.xTokenize(s->tokenizer.t, &f, FTS5_TOKENIZE_QUERY, w, (int)strlen(w),
                                       fold_token) != SQLITE_OK)
            return false;
    }
    return true;
}

/* Indexed terms that begin one typo away from w become its alternatives.
 * The first letter is taken as typed, so only the terms that begin with it
 * are read (search_prefix_distance). */
static bool add_typo_alternatives(struct store *s, struct search_word *w)
{
    size_t chars = 0;
    for (const char *p = w->text; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (chars < SEARCH_TYPO_MIN_CHARS)
        return true;
    sqlite3_stmt *st = search_statement(s, SEARCH_TERMS);
    if (!st)
        return false;
    unsigned cp;
    size_t first = utf8_decode(w->text, strlen(w->text), &cp);
    /* [first letter, first letter with its last byte one higher) */
    char from[8], until[8];
    memcpy(from, w->text, first);
    from[first] = '\0';
    memcpy(until, from, first + 1);
    until[first - 1] = (char)((unsigned char)until[first - 1] + 1);
    sqlite3_bind_text(st, 1, from, (int)first, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, until, (int)first, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && w->n_alt < SEARCH_ALTS_MAX) {
        const char *term = (const char *)sqlite3_column_text(st, 0);
        size_t prefix;
        if (term && search_prefix_distance(w->text, term, 1, &prefix) == 1)
            search_add_alternative(w, term, prefix);
    }
    bool ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
    if (!ok)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

/* The whole query: parsed, folded, with typo alternatives, built. *none is
 * true when the text searches for nothing. */
static bool build_search(struct store *s, const char *text, char *buf, size_t len, bool *none)
{
    struct search_query typed, q;
    *none = false;
    buf[0] = '\0';
    if (search_parse(text, strlen(text), &typed) != SEARCH_OK) {
        *none = true;
        return true;
    }
    if (!fold_words(s, &typed, &q))
        return false;
    if (q.n_words == 0) {
        *none = true;
        return true;
    }
    for (size_t i = 0; i < q.n_words; i++)
        if (!add_typo_alternatives(s, &q.words[i]))
            return false;
    return search_build_match(&q, buf, len);
}

bool store_search_match(struct store *s, const char *text, char *buf, size_t len)
{
    char match[SEARCH_MATCH_MAX];
    bool none;
    if (len == 0 || !build_search(s, text, match, sizeof match, &none))
        return false;
    if (strlen(match) >= len)
        return false;
    memcpy(buf, match, strlen(match) + 1);
    return true;
}

/* Hands the hit of one matched row to fn; *delivered counts them. */
static bool search_hit_of(struct store *s, const char *kind, const char *id, int64_t now,
                          search_fn fn, void *ctx, size_t *delivered, bool *more)
{
    bool activity = strcmp(kind, "activity") == 0;
    sqlite3_stmt *st = search_statement(s, activity ? SEARCH_ACTIVITY : SEARCH_SERVICE);
    if (!st)
        return false;
    bind_text(st, 1, id);
    if (activity)
        sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        struct search_hit hit = {0};
        struct occurrence_row occ;
        struct service_row svc;
        if (activity) {
            occ = (struct occurrence_row){
                .activity_id = col_text(st, 0),
                .starts_at = sqlite3_column_int64(st, 1),
                .ends_at = sqlite3_column_int64(st, 2),
                .location_id = col_text(st, 3),
                .title_json = col_text(st, 4),
                .has_signup = sqlite3_column_int(st, 5) != 0,
                .capacity = sqlite3_column_int64(st, 6),
                .taken = sqlite3_column_int64(st, 7),
            };
            hit.occurrence = &occ;
        } else {
            svc = service_row_from(st);
            hit.service = &svc;
        }
        (*delivered)++;
        *more = fn(ctx, &hit);
        rc = SQLITE_DONE;
    }
    if (rc != SQLITE_DONE)
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE;
}

/* Runs one MATCH, handing on its hits until limit are delivered. */
static bool search_pass(struct store *s, const char *match, int64_t now, size_t limit,
                        search_fn fn, void *ctx, size_t *delivered, bool *more)
{
    sqlite3_stmt *st = search_statement(s, SEARCH_MATCH);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    /* Some hits drop out (hidden, nothing still to come): read a few more. */
    sqlite3_bind_int64(st, 2, (int64_t)(limit - *delivered) * 2 + 8);
    bool ok = true;
    int rc = SQLITE_DONE;
    while (*more && *delivered < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = col_text(st, 0), *id = col_text(st, 1);
        if (kind && id && !search_hit_of(s, kind, id, now, fn, ctx, delivered, more)) {
            ok = false;
            break;
        }
    }
    if (ok && *more && *delivered < limit && rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(s->db));
        ok = false;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

bool store_search(struct store *s, const char *text, int64_t now, size_t limit, search_fn fn,
                  void *ctx)
{
    char match[SEARCH_MATCH_MAX];
    bool none;
    if (!build_search(s, text, match, sizeof match, &none))
        return false;
    if (none || limit == 0)
        return true;
    /* What the title holds first, then what only the rest does. */
    static const size_t room = 2 * SEARCH_MATCH_MAX + 32;
    char *pass = malloc(room);
    if (!pass)
        return false;
    size_t delivered = 0;
    bool more = true;
    snprintf(pass, room, "{title} : (%s)", match);
    bool ok = search_pass(s, pass, now, limit, fn, ctx, &delivered, &more);
    snprintf(pass, room, "(%s) NOT {title} : (%s)", match, match);
    if (ok && more && delivered < limit)
        ok = search_pass(s, pass, now, limit, fn, ctx, &delivered, &more);
    free(pass);
    return ok;
}
