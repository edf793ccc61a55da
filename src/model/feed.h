/*
 * The kiosk feed, version 1 (shared/spec/feed-v1.md): parsing and
 * validation.
 *
 * The document is read as a stream (yajl) and each item is built,
 * checked and handed to a sink one at a time, so that memory stays a
 * small multiple of the body even at 20,000 items; a whole-document tree
 * would take about eight times the body. A feed can only be judged whole
 * at its end (`version` may come after the arrays), so the sink must be
 * transactional: the caller commits what the sink received only when
 * feed_parse() returns FEED_ACCEPTED.
 */
#ifndef BK_FEED_H
#define BK_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/rrule.h"

#define FEED_MAX_BODY (16u * 1024u * 1024u)
#define FEED_MAX_ITEMS 20000
#define FEED_ID_MAX 128

enum feed_kind { FEED_LOCATION, FEED_ACTIVITY, FEED_SERVICE, FEED_ANNOUNCEMENT, FEED_KIND_COUNT };

/* Sign-up fields an activity may ask for (feed-v1 signup.fields). */
enum signup_field {
    SIGNUP_NAME = 1 << 0,
    SIGNUP_PHONE = 1 << 1,
    SIGNUP_EMAIL = 1 << 2,
    SIGNUP_PARTY_SIZE = 1 << 3,
    SIGNUP_REMARK = 1 << 4,
};

/* Places for one occurrence, from signup.taken or signup.lease as an
 * object ("taken" is the count either way). */
struct feed_taken {
    int64_t occurrence;
    int64_t taken;
};

/* Items as the sink sees them: validated, and plain C data, so that a
 * sink needs no JSON library. Everything is borrowed for the duration of
 * the callback only.
 *
 * A localized text (feed-v1 "Text", localized.h) is its canonical JSON
 * text: a compact object of language code to string, {"nl":"..."} for a
 * plain string, or NULL when absent. That is the form the store keeps and
 * the screens read (stored_text). */

/* A list of short strings (codes, tags, ids), in feed order, duplicates
 * kept. Absent and empty lists are the same: count 0, json NULL. */
struct feed_strings {
    size_t count;
    const char *const *items;
    const char *json;               /* the list as a compact JSON array */
};

/* An activity's contact: phone, email and url are its strings (each may be
 * NULL); json is the object as the feed wrote it, compact, or NULL when
 * the activity has no contact. */
struct feed_contact {
    const char *json;
    const char *phone, *email, *url;
};

/* A text's *_values: its strings in its order, joined by newlines (what
 * the search index reads); NULL when the text is absent. */

struct feed_location {
    const char *id;
    const char *name_json, *name_values;
    const char *address;
    const char *neighbourhood;
    bool has_coordinates;
    double lat, lon;
    const char *accessibility_json;
};

struct feed_signup {
    bool present;
    int64_t capacity;               /* -1 = unlimited */
    int64_t taken;                  /* the single integer form, else 0 */
    size_t n_taken_by_occurrence;
    const struct feed_taken *taken_by_occurrence;
    /* signup.lease (hub-api-v1 "Telling the resident the truth"): the
     * places this kiosk may confirm on its own; absent = 0. */
    int64_t lease;                  /* the single integer form, else 0 */
    size_t n_lease_by_occurrence;
    const struct feed_taken *lease_by_occurrence;
    bool waitlist;
    int64_t closes_before_min;
    unsigned fields;                /* enum signup_field bits */
};

struct feed_activity {
    const char *id;
    const char *title_json, *summary_json, *description_json, *cost_json;
    const char *title_values, *summary_values, *description_values;
    struct feed_strings themes, functions, audience;
    const char *location_id;        /* NULL = none */
    int64_t starts_at;
    int64_t ends_at;                /* == starts_at when absent */
    const char *rrule_text;         /* NULL = one-off */
    const struct rrule *rule;       /* parsed rrule_text, or NULL */
    size_t n_exdates;
    const int64_t *exdates;
    struct feed_signup signup;
    struct feed_contact contact;
    const char *url;
    const char *image;
    int64_t updated_at;             /* 0 = absent */
};

struct feed_service {
    const char *id;
    const char *name_json, *description_json, *how_to_json;
    const char *name_values, *description_values, *how_to_values;
    const char *organization;
    struct feed_strings themes, functions, topics;
    const char *location_id;
    /* The validated array of {days, opens, closes} as compact JSON text
     * (each slot as the feed wrote it), or NULL. */
    const char *walk_in_json;
    const char *phone, *email, *url;
    /* Not in feed-v1's table of services (docs/spec-notes.md): a string
     * is taken, anything else ignored like any unknown field. */
    const char *image;
    int64_t updated_at;
};

enum announcement_priority { PRIORITY_NORMAL = 0, PRIORITY_URGENT = 1 };

struct feed_announcement {
    const char *id;
    const char *text_json;
    int64_t from;                   /* 0 = no start */
    int64_t until;                  /* 0 = no end */
    struct feed_strings location_ids; /* count 0 = everywhere */
    enum announcement_priority priority;
};

struct feed_item {
    enum feed_kind kind;
    union {
        struct feed_location location;
        struct feed_activity activity;
        struct feed_service service;
        struct feed_announcement announcement;
    } u;
};

/* Where validated items go. Any callback may be NULL. add() returning false
 * aborts the parse (FEED_SINK_FAILED). retract() takes back an item that
 * add() accepted earlier, when a later part of the document shows it
 * broke a rule (a location_id whose location never came). */
struct feed_sink {
    void *ctx;
    bool (*add)(void *ctx, const struct feed_item *item);
    bool (*retract)(void *ctx, enum feed_kind kind, const char *id);
    /* True: add() may run on a second thread, one item after another in
     * document order, while the parser reads on (never two add() calls at
     * once, and every add() has returned before retract() or feed_parse's
     * return). The store's swap, where storing costs more than parsing,
     * takes that; a sink that shares state with the caller leaves it
     * false. */
    bool threaded;
};

/* One skipped item, for the sync report and `validate-feed`. */
struct feed_skip {
    enum feed_kind kind;
    char id[FEED_ID_MAX + 1];       /* as written, cut and cleaned; "" when none */
    size_t index;                   /* position in its array, from 0 */
    char reason[120];
};

/* One invalid optional field that was dropped while its item was kept
 * (feed-v1 "Validation"): the same kind, id and position as a skip. */
struct feed_warning {
    enum feed_kind kind;
    char id[FEED_ID_MAX + 1];
    size_t index;
    char message[120];
};

enum feed_result {
    FEED_ACCEPTED,                  /* apply: every item the sink kept */
    FEED_REJECTED,                  /* reject whole; reason says why */
    FEED_SINK_FAILED,               /* the sink refused (a storage error) */
};

#define FEED_MAX_SKIP_DETAILS 1000

struct feed_report {
    enum feed_result result;
    char reason[256];               /* why rejected, or "" */
    size_t kept[FEED_KIND_COUNT];
    size_t skipped;                 /* all skipped items */
    size_t n_skips;                 /* details kept: at most FEED_MAX_SKIP_DETAILS */
    struct feed_skip *skips;        /* owned; free with feed_report_clear */
    size_t warned;                  /* all dropped optional fields */
    size_t n_warnings;              /* details kept: at most FEED_MAX_SKIP_DETAILS */
    struct feed_warning *warnings;  /* owned; free with feed_report_clear */
    int64_t generated_at;           /* 0 when absent */
    char publisher_name[128];
};

/* Parses and validates a feed body (not necessarily NUL-terminated),
 * passing each valid item to sink (which may be NULL to only validate).
 * Fills report; returns report->result. */
enum feed_result feed_parse(const char *body, size_t len, const struct feed_sink *sink,
                            struct feed_report *report);

void feed_report_clear(struct feed_report *report);

/* The line automation-v1 fixes for one skipped item, without a line end:
 * "skipped KIND ID (#N): REASON", N the 0-based position in its array and
 * ID "(no id)" when the item has no valid one. `buurtkiosk validate-feed`,
 * `buurtkiosk sync` and `buurthub import` all print it from here, so that
 * the same document gives the same lines everywhere. */
void feed_skip_line(const struct feed_skip *skip, char *buf, size_t len);

/* The same for a dropped optional field: "warning KIND ID (#N): MESSAGE". */
void feed_warning_line(const struct feed_warning *warning, char *buf, size_t len);

/* Every skip line (and a "... and N more skipped" line past the details
 * kept) to skips, every warning line to warnings; either may be NULL. */
void feed_report_print(const struct feed_report *report, FILE *skips, FILE *warnings);

/* True for a URL a kiosk can follow or fetch: http:// or https:// (any
 * case) and a host, or with allow_file also file:// and an absolute path;
 * at most FEED_URL_MAX bytes, no white space or control characters. What
 * feed-v1's `url` (allow_file false) and `image` (true) must be; the hub's
 * console can check its forms with it. */
#define FEED_URL_MAX 2048
bool feed_url_valid(const char *url, bool allow_file);

/* True for WGS84 coordinates feed-v1 accepts: lat in [-90, 90] and lon in
 * [-180, 180], both finite. */
bool feed_coordinates_valid(double lat, double lon);

/* "location", "activity", ... for messages. */
const char *feed_kind_name(enum feed_kind kind);

/* True for a valid feed id: [A-Za-z0-9_-]{1,128}. */
bool feed_id_valid(const char *id);

#endif
