/*
 * The kiosk's SQLite cache: the feed's content, its occurrences expanded
 * for the coming 90 days, sync bookkeeping, and (schema from version 1
 * on) the sign-up outbox.
 *
 * One struct store per connection, and one connection per thread: the
 * main loop and the network thread each open their own (WAL mode lets
 * them read and write side by side). Every function returns false or a
 * NULL pointer on a storage error and logs the SQLite message; none of
 * them ever logs personal data.
 *
 * Queries never pass an error off as "nothing": a store_query_* that
 * finds no rows calls its callback never and returns true; one that
 * cannot read returns false, whatever it had handed over before. A look-up
 * of one row by key says which of the three it was (enum store_lookup).
 * Rows handed to a callback, and every string in them, are borrowed for
 * the duration of that call only.
 */
#ifndef BK_STORE_H
#define BK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/feed.h"

#define STORE_SCHEMA_VERSION 9
/* Occurrences are listed from the start of the current local day ... */
#define STORE_WINDOW_DAYS 90
/* ... and at most this many per activity (feed-v1 expansion bounds). */
#define STORE_MAX_OCCURRENCES 1000

struct store;

/* Opens (creating if needed) the database at path and brings its schema
 * up to date. The directory must exist. When that fails on a full or
 * read-only disk and the database exists with the current schema, it is
 * opened read-only instead (store_is_read_only; a warning is logged):
 * the screens keep their content, writes fail cleanly. Otherwise returns
 * NULL and writes the reason to err. */
struct store *store_open(const char *path, char *err, size_t err_len);

/* store_open at the start of a process (automation-v1.md, `--db`): the
 * database is checked first (PRAGMA quick_check), and one SQLite reports
 * corrupt, at the check or while opening, is moved aside as
 * {path}.corrupt-{UTC timestamp} with a log line and replaced by a fresh
 * one, which the next sync fills; its unsent sign-ups are copied over
 * where they still read (model/store_recover.h). The check reads every
 * page, so only a start pays it, not each sync pass. */
struct store *store_open_checked(const char *path, char *err, size_t err_len);

/* The fallback itself: the existing database at path, of the current
 * schema, for reading only. NULL when it cannot be read. */
struct store *store_open_read_only(const char *path);

/* Why nothing can be written to a read-only store: the reason a sync and
 * the heartbeat give. */
#define STORE_READ_ONLY_REASON "cannot write the cache: the disk is full or read-only"

/* True when store_open fell back to reading only. */
bool store_is_read_only(const struct store *store);
void store_close(struct store *store);

/* Frees the pages this connection's cache holds (up to 1 MiB; more right
 * after an apply) and returns how many bytes of it that gave back. Called by
 * the thread that owns the connection, when it goes idle: how full the
 * cache happens to be is otherwise a matter of which passes ran last
 * (bench/README.md, "The full count"). The next read takes its pages
 * from the OS's page cache again. */
size_t store_release_memory(struct store *store);

/* What the transport said about a feed body, kept for the next
 * conditional request. Any field may be NULL. url is where the body came
 * from: the validators are used again only for that same URL (feed-v1
 * "Transport"). */
struct feed_origin {
    const char *url;
    const char *etag;
    const char *last_modified;
    const char *sha256_hex;
};

/* Validates body and, when the feed is accepted, replaces the whole
 * content with it in one transaction, together with origin and the
 * occurrence window starting on now's local day. A rejected feed changes
 * nothing. Either way report is filled (free with feed_report_clear) and
 * nothing is logged: the caller records the sync (store_log_sync). */
enum feed_result store_apply_feed(struct store *store, const char *body, size_t len,
                                  const struct feed_origin *origin, int64_t now,
                                  struct feed_report *report);

/* Re-expands every activity's occurrences when now falls on another local
 * day than the stored window starts on (or force is true). Cheap when
 * nothing is due. */
bool store_refresh_occurrences(struct store *store, int64_t now, bool force);

/* One sync attempt for the log and the status: result is "applied",
 * "unchanged", "rejected" or "unreachable"; reason may be NULL. The
 * applied and unchanged results count as success. Keeps the last 500. */
bool store_log_sync(struct store *store, int64_t at, const char *result, const char *reason,
                    size_t skipped, const struct feed_report *report);

/* What a look-up of one row by its key came to. */
enum store_lookup {
    STORE_FOUND,                     /* the callback saw the row / buf holds the value */
    STORE_NOT_FOUND,                 /* there is no such row; nothing was called or written */
    STORE_ERROR,                     /* it could not be read (logged) */
};

/* Meta values (feed_etag, feed_last_modified, feed_sha256, ...), copied
 * into buf and cut to fit; a NULL value counts as absent. */
enum store_lookup store_lookup_meta(struct store *store, const char *key, char *buf,
                                    size_t buf_len);
/* The same, true only for STORE_FOUND: for callers to whom an unreadable
 * value and an absent one mean the same (an ETag not sent). */
bool store_get_meta(struct store *store, const char *key, char *buf, size_t buf_len);
/* Sets key to value; NULL stores NULL (absent). False on a storage error. */
bool store_set_meta(struct store *store, const char *key, const char *value);

struct store_status {
    int64_t locations, activities, services, announcements;
    int64_t occurrences;
    char feed_etag[256];
    bool has_feed_etag;
    int64_t last_sync_ok_at;          /* 0 = never */
    int64_t last_sync_at;             /* 0 = never */
    char last_sync_error[256];
    bool has_last_sync_error;
    int64_t feed_generated_at;        /* 0 = unknown */
    int64_t feed_applied_at;          /* when the content last changed; 0 = never */
    bool last_sync_failed;            /* the last attempt did not apply or confirm a feed */
    /* Outbox rows by status: pending = not yet answered finally, however
     * old; the others count rows still kept, i.e. answered (or expired)
     * within the last OUTBOX_ANSWERED_RETENTION_DAYS (model/outbox.h). */
    int64_t outbox_pending, outbox_confirmed, outbox_waitlisted, outbox_rejected, outbox_expired;
    int64_t staff_actions;            /* every staff action on this kiosk, ever */
};

/* What the main loop reads after every sync pass: the meta values alone,
 * nothing counted, so that it costs the UI thread next to nothing. False
 * when they cannot be read. */
struct store_sync_state {
    int64_t last_sync_ok_at;          /* 0 = never */
    int64_t feed_applied_at;          /* when the content last changed; 0 = never */
    bool last_sync_failed;            /* the last attempt did not apply or confirm a feed */
    /* The last contact with the hub failed (STORE_META_HUB_CONTACT): the
     * kiosk cannot ask it now, so it offers sign-up only within its lease. */
    bool hub_unreachable;
};
bool store_sync_state(struct store *store, struct store_sync_state *out);

/* ---- the hub's answers and leases (hub-api-v1 "Telling the resident the truth") ---- */

/* "ok" or "failed": how the last contact with the hub went (a feed
 * request, a sign-up sent, a heartbeat). Never tried counts as ok: the
 * kiosk may ask, and it waits at most 3 s for the answer anyway. */
#define STORE_META_HUB_CONTACT "hub_contact"
/* The sequence number (store_next_seq) taken when the request for the
 * feed now held started; absent = 0, before every answer. */
#define STORE_META_FEED_REQUEST_SEQ "feed_request_seq"
/* The hub's public key for sealing personal fields (model/seal.h), base64,
 * as the hub's own feed answer last gave it (Buurtkiosk-Seal-Key);
 * absent = sign-ups are stored and sent in clear, as hub-api-v1 has them. */
#define STORE_META_HUB_SEAL_KEY "hub_seal_key"

/* The next number of the store's one counter, shared by every connection:
 * it orders "the hub answered a sign-up" against "a feed request started". */
bool store_next_seq(struct store *store, int64_t *out);

/* Records how the latest contact with the hub went (no write when it is
 * what the store already says). */
bool store_set_hub_contact(struct store *store, bool ok);

/* The lease the feed gave this kiosk for one occurrence (0 when none). */
enum store_lookup store_occurrence_lease(struct store *store, const char *activity_id,
                                         int64_t occurrence, int64_t *lease);

/* True in *empty when the cache holds no activity, service or feed
 * announcement (nothing yet to show). False when it cannot be read. */
bool store_is_empty(struct store *store, bool *empty);

/* Counts one staff action (for the heartbeat). */
bool store_count_staff_action(struct store *store);

/* Fills out (zeroed first) in one read transaction. False when any part of
 * it could not be read: then out is incomplete, and no count in it may be
 * taken for "none". */
bool store_status(struct store *store, struct store_status *out);

/* ---- queries for the screens ---- */

/* One listed occurrence. Texts are the stored JSON objects (localized.h);
 * all pointers are valid only during the callback. */
struct occurrence_row {
    const char *activity_id;
    int64_t starts_at, ends_at;
    const char *location_id;         /* NULL = none */
    const char *title_json;
    bool has_signup;
    int64_t capacity;                /* -1 = unlimited */
    int64_t taken;
};

#define STORE_ANY_THEME NULL
#define STORE_THEME_OTHER "other"

struct occurrence_query {
    int64_t from, until;             /* starts in [from, until) */
    const char *location_id;         /* NULL = anywhere */
    const char *theme;               /* NULL = any; "other" = a code not in feed-v1 */
    const char *activity_id;         /* NULL = every activity */
    size_t limit;                    /* 0 = no limit */
};

typedef bool (*occurrence_fn)(void *ctx, const struct occurrence_row *row);

/* Calls fn for each matching occurrence, by start then activity id, until
 * fn returns false. Returns true when the query ran (also with no rows, or
 * stopped by fn), false on a storage error. */
bool store_query_occurrences(struct store *store, const struct occurrence_query *q,
                             occurrence_fn fn, void *ctx);

struct service_row {
    const char *id;
    const char *name_json;
    const char *organization;
    const char *location_id;
    const char *description_json;    /* NULL = none, and so on below */
    const char *how_to_json;
    const char *walk_in_json;
    const char *phone, *email, *url;
};

typedef bool (*service_fn)(void *ctx, const struct service_row *row);

/* Services with topic (NULL = all; "overig" also holds codes not in
 * feed-v1), featured first, then in feed order. False on a storage error
 * only. Hidden services are left out. */
bool store_query_services(struct store *store, const char *topic, service_fn fn, void *ctx);

/* One service by id, hidden or not: fn is called once when it exists. */
enum store_lookup store_lookup_service(struct store *store, const char *id, service_fn fn,
                                       void *ctx);
/* The same, true only for STORE_FOUND: "none" and "error" look alike here;
 * use store_lookup_service to tell them apart. */
bool store_get_service(struct store *store, const char *id, service_fn fn, void *ctx);

/* Everything about one activity the detail screen shows. */
struct activity_row {
    const char *id;
    const char *title_json, *summary_json, *description_json, *cost_json;
    const char *location_id;
    int64_t starts_at, ends_at;
    const char *rrule;
    const char *url, *contact_json;
    bool has_signup;
    int64_t capacity;                /* -1 = unlimited */
    bool waitlist;
    int64_t closes_before_min;
    unsigned signup_fields;
    const char *themes_json;
};

typedef bool (*activity_fn)(void *ctx, const struct activity_row *row);

/* One activity by id, hidden or not: fn is called once when it exists. */
enum store_lookup store_lookup_activity(struct store *store, const char *id, activity_fn fn,
                                        void *ctx);
/* The same, true only for STORE_FOUND: "none" and "error" look alike here;
 * use store_lookup_activity to tell them apart. */
bool store_get_activity(struct store *store, const char *id, activity_fn fn, void *ctx);

struct location_row {
    const char *id;
    const char *name_json;
    const char *address, *neighbourhood;
    const char *accessibility_json;
};

typedef bool (*location_fn)(void *ctx, const struct location_row *row);

/* All locations, in feed order. False on a storage error only. */
bool store_query_locations(struct store *store, location_fn fn, void *ctx);

struct announcement_row {
    const char *id;
    const char *text_json;
    int64_t from, until;             /* 0 = open */
    const char *location_ids_json;   /* NULL = everywhere */
    bool urgent;
};

typedef bool (*announcement_fn)(void *ctx, const struct announcement_row *row);

/* Announcements shown at now (inside their from/until window), urgent
 * first, then in feed order. Location filtering is the caller's. False on
 * a storage error only. */
bool store_query_announcements(struct store *store, int64_t now, announcement_fn fn, void *ctx);

typedef bool (*code_fn)(void *ctx, const char *code);

/* The distinct theme codes of activities (store_query_themes) and topic
 * codes of services (store_query_topics), sorted by code, unknown codes
 * included. False on a storage error only. */
bool store_query_themes(struct store *store, code_fn fn, void *ctx);
bool store_query_topics(struct store *store, code_fn fn, void *ctx);

/* Staff choices on this kiosk, kept across feed swaps: a hidden activity or
 * service is left out of every resident list; featured services come first
 * in theirs. kind is "activity" or "service". */
bool store_set_override(struct store *store, const char *kind, const char *id, bool hidden,
                        bool featured);

struct item_row {
    const char *kind;                /* "activity" or "service" */
    const char *id;
    const char *name_json;
    bool hidden, featured;
};

typedef bool (*item_fn)(void *ctx, const struct item_row *row);

/* A staff announcement on this kiosk only, shown from `from` until
 * `until` (as urgent: on the attract screen too). Announcements that ended
 * more than a day before `now` (the kiosk's clock, never the system's, so
 * that --now holds) are dropped at the same time. */
bool store_add_local_announcement(struct store *store, const char *text, int64_t now,
                                  int64_t from, int64_t until);

/* Every activity and service with its staff choices, for staff mode.
 * False on a storage error only. */
bool store_query_items(struct store *store, item_fn fn, void *ctx);

/* ---- search ---- */

/* One search hit: an activity's next occurrence that has not ended, or a
 * service; exactly one of the two is set. */
struct search_hit {
    const struct occurrence_row *occurrence;
    const struct service_row *service;
};

typedef bool (*search_fn)(void *ctx, const struct search_hit *hit);

/* Finds activities and services whose titles, descriptions, places or
 * topics, in any language of the feed, hold every word typed in text as
 * the start of a word, accents and case aside, forgiving one typo per word
 * of SEARCH_TYPO_MIN_CHARS or more (model/search.h). Calls fn for the best
 * matches first, at most limit of them, until fn returns false; hidden
 * items and activities without an occurrence still to come are left out.
 * Text without a word, or that search_parse refuses, finds nothing. False
 * on a storage error only. */
bool store_search(struct store *store, const char *text, int64_t now, size_t limit,
                  search_fn fn, void *ctx);

/* The FTS5 expression store_search would run for text, into buf ("" when
 * it finds nothing); for tests and benchmarks. False on a storage error or
 * when buf is too small. */
bool store_search_match(struct store *store, const char *text, char *buf, size_t len);

#endif
