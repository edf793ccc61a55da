/*
 * The hub's SQLite database: schema, migrations (PRAGMA user_version),
 * kiosks and their tokens, heartbeats, and a pool of connections for the
 * HTTP threads.
 *
 * One struct hub_db is one connection and may be used by one thread at a
 * time (SQLite's multi-thread mode): the server hands connections out from
 * a hub_pool, the CLI opens one. Every connection runs in WAL mode with
 * synchronous=FULL (a sign-up that was answered is on disk), busy_timeout
 * (the CLI works while `serve` runs) and secure_delete (erased personal
 * data does not linger in free pages).
 *
 * Functions that return bool log nothing personal; on a database error
 * they log SQLite's message with the "hub-db" tag and return false.
 */
#ifndef BK_HUB_DB_H
#define BK_HUB_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/feed.h"
#include "model/seal.h"

/* How long a writer waits for another (ms): longer than any import takes
 * to swap content, short enough that a kiosk's request does not hang. */
#define HUB_DB_BUSY_TIMEOUT_MS 10000

/* A bearer token: 32 random bytes as unpadded base64url (43 characters). */
/* SQL: the text of a feed-v1 localized value (a JSON string, or an object
 * of language codes) at PATH of the JSON text DOC, in language FIRST, else
 * SECOND, else Dutch; NULL when none of them is there. PATH, FIRST and
 * SECOND are SQL expressions: '$.title', 'nl', a parameter. */
#define HUB_SQL_LOCALIZED(doc, path, first, second)                                               \
    "CASE json_type(" doc ", " path ") WHEN 'text' THEN json_extract(" doc ", " path ")"          \
    " ELSE COALESCE(json_extract(" doc ", " path " || '.' || " first "),"                        \
    " json_extract(" doc ", " path " || '.' || " second "),"                                     \
    " json_extract(" doc ", " path " || '.nl')) END"

#define HUB_TOKEN_BYTES 32
#define HUB_TOKEN_LEN 43
#define HUB_TOKEN_HASH_BYTES 32

struct hub_db;

enum hub_db_open_mode {
    HUB_DB_CREATE,      /* create the file and schema when missing */
    HUB_DB_EXISTING,    /* refuse a file that does not exist */
};

/* Opens (and when needed creates or migrates) the database at path.
 * Returns NULL with a one-line reason in err on failure, including a
 * database written by a newer buurthub. The caller owns the result. */
struct hub_db *hub_db_open(const char *path, enum hub_db_open_mode mode, char *err,
                           size_t err_len);

/* Closes the connection; NULL is fine. */
void hub_db_close(struct hub_db *db);

/* The raw connection, for modules that run their own statements. */
sqlite3 *hub_db_handle(struct hub_db *db);

/* A prepared statement for sql, cached on this connection by the address
 * of sql (so pass a static string) and reset with its bindings cleared.
 * The caller must sqlite3_reset() it when done, so that no read
 * transaction stays open. NULL on error (logged). */
sqlite3_stmt *hub_db_prepare(struct hub_db *db, const char *sql);

/* Runs SQL without results. false on error (logged). */
bool hub_db_exec(struct hub_db *db, const char *sql);

/* Transactions. hub_db_begin_write takes the write lock at once (BEGIN
 * IMMEDIATE) so that a read-then-write decision cannot race another
 * writer; when the lock cannot be had within the busy timeout it fails
 * with HUB_DB_FAILED_BUSY. */
bool hub_db_begin_read(struct hub_db *db);
bool hub_db_begin_write(struct hub_db *db);
bool hub_db_commit(struct hub_db *db);
void hub_db_rollback(struct hub_db *db);

/* Why the work on this connection failed, for what a kiosk or a person is
 * told (500 or 503, and how long to wait). It is kept from the statement
 * that failed, because the ROLLBACK that follows, and any later call,
 * replace SQLite's own error code. Inside a transaction the first failure
 * counts (what fails after it is its consequence); beginning a transaction
 * forgets it. Meaningful only after a hub_db call, or hub_db_step, failed;
 * a failure that was not SQLite's (memory, a stored value that no longer
 * parses) reads as HUB_DB_FAILED_INTERNALLY. */
enum hub_db_failure {
    HUB_DB_FAILED_INTERNALLY,       /* a bug, corruption or memory: a retry does not mend it */
    HUB_DB_FAILED_BUSY,             /* another writer kept the lock past the busy timeout */
    HUB_DB_FAILED_STORAGE,          /* the disk is full or failing (SQLITE_FULL, SQLITE_IOERR) */
};

enum hub_db_failure hub_db_failure(const struct hub_db *db);

/* SQLite's words for the kept failure ("database or disk is full"), or
 * NULL when the failure was not SQLite's. */
const char *hub_db_failure_text(const struct hub_db *db);

/* Binding helpers: NULL binds SQL NULL. */
void hub_db_bind_text(sqlite3_stmt *st, int index, const char *text);

/* sqlite3_step that keeps a failure for hub_db_failure(): for statements
 * whose rows the caller reads. Returns SQLite's result code. */
int hub_db_step(struct hub_db *db, sqlite3_stmt *st);

/* Runs a statement that returns no row; resets it. */
bool hub_db_step_done(struct hub_db *db, sqlite3_stmt *st);

/* A text column of the current row, NULL for SQL NULL. */
const char *hub_db_column_text(sqlite3_stmt *st, int col);

/* Small settings in table meta. Their keys in the database are hub_db.c's
 * to spell: a caller names a setting by this enum, so that a misspelt key
 * cannot read as an absent one. */
enum hub_meta {
    HUB_META_STATE_VERSION,         /* int: see hub_db_bump_state */
    HUB_META_CONTENT_CHANGED_AT,    /* int: when the imported content last changed */
    HUB_META_CONTENT_HASH,          /* text: what the imported content hashes to */
    HUB_META_PUBLISHER,             /* text: the feed's publisher, JSON */
    HUB_META_LANGUAGES,             /* text: the feed's languages, JSON */
    HUB_META_COUNT
};

/* get returns false (NULL) when the setting is absent or on error; text
 * results are malloc'd, the caller frees. */
bool hub_db_meta_get_int(struct hub_db *db, enum hub_meta key, int64_t *out);
bool hub_db_meta_set_int(struct hub_db *db, enum hub_meta key, int64_t value);
char *hub_db_meta_get_text(struct hub_db *db, enum hub_meta key);
bool hub_db_meta_set_text(struct hub_db *db, enum hub_meta key, const char *value);

/* The content-and-counts version: bumped in the transaction that changes
 * what any feed could contain (an import, a confirmed sign-up), so that
 * the feed cache knows when to rebuild. */
bool hub_db_bump_state(struct hub_db *db);

/* The key pair kiosks seal a sign-up's personal fields to (model/seal.h,
 * docs/spec-notes.md "Sealed personal fields"), made on first use and kept
 * in meta (the secret half). False on a storage error (logged). */
bool hub_db_seal_keys(struct hub_db *db, unsigned char pk[SEAL_PUBLIC_KEY_BYTES],
                      unsigned char sk[SEAL_SECRET_KEY_BYTES]);

/* ---- kiosks ---------------------------------------------------------- */

enum hub_kiosk_result { HUB_KIOSK_OK, HUB_KIOSK_EXISTS, HUB_KIOSK_UNKNOWN, HUB_KIOSK_ERROR };

/* Adds a kiosk with a new token, written to token_out. locations is NULL
 * (the kiosk gets everything) or a comma-separated list of location ids,
 * already checked with hub_locations_valid(). Only the token's keyed
 * BLAKE2b hash is stored. */
enum hub_kiosk_result hub_db_kiosk_add(struct hub_db *db, const char *id, const char *locations,
                                       int64_t now, char token_out[HUB_TOKEN_LEN + 1]);

/* Gives a kiosk a new token (the old one stops working at once). */
enum hub_kiosk_result hub_db_kiosk_new_token(struct hub_db *db, const char *id, int64_t now,
                                             char token_out[HUB_TOKEN_LEN + 1]);

/* Removes a kiosk and its heartbeat; its sign-ups stay. */
enum hub_kiosk_result hub_db_kiosk_remove(struct hub_db *db, const char *id);

/* A kiosk as a request's token identified it. locations is a JSON array
 * of ids (malloc'd) or NULL for "all locations". */
struct hub_kiosk {
    char id[FEED_ID_MAX + 1];
    char *locations;
};

void hub_kiosk_clear(struct hub_kiosk *k);

enum hub_auth_result { HUB_AUTH_OK, HUB_AUTH_DENIED, HUB_AUTH_ERROR };

/* Finds the kiosk whose token this is. Every stored hash is compared
 * with sodium_memcmp and the loop never stops early, so neither the
 * answer's timing nor its content tells anything about which kiosk ids
 * exist. */
enum hub_auth_result hub_db_authenticate(struct hub_db *db, const char *token, size_t token_len,
                                         struct hub_kiosk *out);

/* True for a list "A,B" of valid feed ids (spaces around ids allowed). */
bool hub_locations_valid(const char *list);

/* A list that passed hub_locations_valid(), "A, B", as the JSON array
 * ["A","B"] (malloc'd; NULL when out of memory). */
char *hub_locations_json(const char *list);

/* The last heartbeat a kiosk sent. Strings may be NULL. */
struct hub_heartbeat {
    const char *version;
    int64_t uptime_s;               /* -1 = not sent */
    const char *feed_etag;
    const char *last_sync_ok_at;
    const char *last_sync_error;
    int64_t outbox_pending;         /* -1 = not sent */
    int64_t outbox_rejected;        /* -1 = not sent */
    const char *screen;
    int64_t free_disk_mb;           /* -1 = not sent */
};

bool hub_db_heartbeat_store(struct hub_db *db, const char *kiosk_id,
                            const struct hub_heartbeat *hb, int64_t received_at);

/* Writes one line per kiosk: id, locations, last heartbeat time, version,
 * outbox counts, screen, free disk and last error. */
bool hub_db_kiosks_print(struct hub_db *db, FILE *out);

/* ---- the pool -------------------------------------------------------- */

/* Connections for the server's threads: a thread takes one for a request
 * and gives it back, so no two threads ever share a connection and each
 * keeps its prepared statements. Thread-safe. */
struct hub_pool;

struct hub_pool *hub_pool_create(const char *path, char *err, size_t err_len);
void hub_pool_destroy(struct hub_pool *pool);

/* A connection for this thread's exclusive use, or NULL (logged). */
struct hub_db *hub_pool_acquire(struct hub_pool *pool);
void hub_pool_release(struct hub_pool *pool, struct hub_db *db);

#endif
