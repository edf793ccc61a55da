/*
 * What the screens show, loaded from the store into plain C data: the
 * content layer. Screen builders only lay this out; they never query the
 * store or parse JSON, so nothing on the frame path touches SQLite.
 *
 * A content is loaded in parts (enum content_part), each for what the
 * current place needs (struct content_request): the parts that depend on
 * the feed and the language (locations, vocabularies, this kiosk's pending
 * sign-ups), the announcements and today's activities shown now, the
 * activity list of a filter, the service list of a topic, and one
 * activity's or service's details. A load on the UI thread replaces the
 * parts a navigation needs; after a sync a content_loader loads every part
 * on its own thread and its own connection, and the screens swap the new
 * content in whole.
 */
#ifndef BK_CONTENT_H
#define BK_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/timeutil.h"

#include "base/strset.h"
#include "model/config.h"
#include "model/i18n.h"
#include "model/search.h"
#include "model/store.h"
#include "model/stored.h"

#define CONTENT_ID_MAX 160
#define CONTENT_MAX_CODES 32
#define CONTENT_CODE_MAX 64
/* A feed text's language code (feed-v1: up to 16 characters). */
#define CONTENT_LANG_MAX 17
/* The detail screen lists at most this many next dates. */
#define CONTENT_NEXT_MAX 5
/* Attract shows today's first few: read at most this many. */
#define CONTENT_TODAY_MAX 50
/* Search shows at most this many hits, best first. */
#define CONTENT_SEARCH_MAX 50

enum content_part {
    CONTENT_BASE = 1u << 0,          /* locations, themes, topics, empty cache, pending places */
    CONTENT_NOW = 1u << 1,           /* announcements shown here now; today's occurrences */
    CONTENT_OCCURRENCES = 1u << 2,   /* the activity list of the request's filter */
    CONTENT_SERVICES = 1u << 3,      /* the service list of the request's topic */
    CONTENT_ACTIVITY = 1u << 4,      /* one activity's details */
    CONTENT_SERVICE = 1u << 5,       /* one service's details */
    CONTENT_PENDING = 1u << 6,       /* only the pending places (after a sign-up) */
    CONTENT_SEARCH = 1u << 7,        /* the hits of the request's search text */
};

/* What to load: the place the screens are at. */
struct content_request {
    char lang[16];
    int64_t now;                     /* seconds, the one clock */
    int64_t list_from, list_until;   /* the activity list's window */
    char theme[CONTENT_CODE_MAX];    /* "" = any; "other" = a code not in feed-v1 */
    char topic[CONTENT_CODE_MAX];    /* "" = all */
    char activity_id[CONTENT_ID_MAX];
    int64_t occurrence;              /* the activity's occurrence shown; 0 = its first */
    char service_id[CONTENT_ID_MAX];
    char search[SEARCH_INPUT_MAX + 1]; /* what was typed on the search screen */
    unsigned parts;                  /* enum content_part bits */
};

/* One listed occurrence. */
struct occurrence_item {
    const char *activity_id;         /* owned by the content's labels */
    const char *title;               /* in the request's language; the labels */
    const char *title_lang;          /* "" or the language the title fell back to; lives with title */
    char *location_id;               /* NULL = none */
    int64_t starts_at, ends_at;
    bool has_signup;
    int64_t capacity, taken;
};

/* When a service takes walk-ins, for "now open": days as a bit per
 * weekday (Monday = bit 0), the hours in minutes of the local day. */
#define CONTENT_WALK_IN_MAX 8
struct walk_in_hours {
    unsigned days;
    int opens, closes;
};

struct service_item {
    char *id;
    char *name;
    char *organization;              /* NULL = none */
    char *walk_in_summary;           /* "ma, wo 09:00–12:00", or NULL */
    struct walk_in_hours walk_in[CONTENT_WALK_IN_MAX];
    size_t n_walk_in;
    char name_lang[CONTENT_LANG_MAX]; /* "" or the language the name fell back to */
};

struct location_item {
    char *id;
    char *name;
    char *address;                   /* NULL = none */
    char *accessibility;             /* NULL = none */
    char accessibility_lang[CONTENT_LANG_MAX]; /* "" or the language it fell back to */
};

struct announcement_item {
    char *id;
    char *text;                      /* in the request's language */
    char text_lang[CONTENT_LANG_MAX]; /* "" or the language the text fell back to */
    bool urgent;
};

/* A kept feed image (model/image_cache.h) as a screen draws it: path is
 * NULL when the item has none (not named, not fetched, or failed). */
struct content_image {
    char *item_id;
    char *path;
    int w, h;
};

/* The image of id among items (sorted by item id), or NULL. */
const struct content_image *content_image_of(const struct content_image *items, size_t n,
                                             const char *id);

/* Everything the activity screen and its sign-up show of one activity. */
struct activity_detail {
    char *id;
    char *title, *summary, *description, *cost;   /* NULL = none */
    char *url;                       /* feed-v1's "more information"; NULL = none */
    char *location_id;
    int64_t first_start, duration;   /* the first occurrence and how long each lasts */
    int64_t occurrence;              /* the occurrence shown */
    int64_t taken;                   /* places taken at that occurrence, as the feed said */
    bool has_signup;
    int64_t capacity;                /* -1 = unlimited */
    bool waitlist;
    int64_t closes_before_min;
    unsigned signup_fields;          /* enum signup_field bits */
    char *contact[CONTACT_KINDS];
    int64_t next[CONTENT_NEXT_MAX];  /* the next occurrences but the one shown */
    int64_t next_taken[CONTENT_NEXT_MAX]; /* the feed's taken of each */
    size_t n_next;
    /* "" or the language each text fell back to (feed-v1 "Text"): the
     * screen says so after it, in the resident's language. */
    char title_lang[CONTENT_LANG_MAX], summary_lang[CONTENT_LANG_MAX];
    char description_lang[CONTENT_LANG_MAX], cost_lang[CONTENT_LANG_MAX];
    struct content_image image;      /* the kept copy, for the detail screen */
};

struct service_detail {
    char *id;
    char *name, *organization, *description, *how_to, *walk_in_summary;
    struct walk_in_hours walk_in[CONTENT_WALK_IN_MAX];
    size_t n_walk_in;
    char *location_id;
    char *contact[CONTACT_KINDS];    /* phone, email, url */
    char name_lang[CONTENT_LANG_MAX], description_lang[CONTENT_LANG_MAX];
    char how_to_lang[CONTENT_LANG_MAX];
    struct content_image image;      /* the kept copy, for the detail screen */
};

/* Places this kiosk holds in sign-ups not yet answered. */
struct pending_place {
    char *activity_id;
    int64_t occurrence;
    int64_t places;
};

struct content {
    struct content_request req;      /* what it was loaded for */
    unsigned loaded;                 /* enum content_part bits that hold data */
    unsigned failed;                 /* parts whose query failed: the screen says so */

    bool cache_empty;
    struct location_item *locations;
    size_t n_locations;
    char themes[CONTENT_MAX_CODES][CONTENT_CODE_MAX];
    size_t n_themes;
    bool has_other_theme;
    char topics[CONTENT_MAX_CODES][CONTENT_CODE_MAX];
    size_t n_topics;
    struct pending_place *pending;
    size_t n_pending;

    struct announcement_item *announcements;     /* shown at this kiosk now, urgent first */
    size_t n_announcements;
    struct occurrence_item *today;               /* today's, ended ones included */
    size_t n_today;

    struct occurrence_item *occurrences;         /* by start, then title */
    size_t n_occurrences;
    /* activity id -> its title in the list's language, picked once per
     * activity and shared by all its occurrences (10,000 activities can
     * repeat in 44,000 occurrences over 90 days) */
    struct strset labels;

    struct service_item *services;
    size_t n_services;
    /* the thumbnails of the lists' items that have one, by item id:
     * loaded with the activity list and the service list */
    struct content_image *activity_thumbs;
    size_t n_activity_thumbs;
    struct content_image *service_thumbs;
    size_t n_service_thumbs;

    /* the search's hits, best first: activities (each its next
     * occurrence), then services */
    struct occurrence_item *found;
    size_t n_found;
    struct service_item *found_services;
    size_t n_found_services;

    struct activity_detail *activity;            /* NULL: none asked, or gone */
    struct service_detail *service;
};

/* Where the loader reads, and what it needs to put texts together. */
struct content_env {
    const struct catalogs *catalogs;  /* day names of walk-in hours */
    const struct config *config;      /* this kiosk's locations */
};

/* An empty content (nothing loaded). */
void content_init(struct content *c);
/* Frees what it holds; accepts a zeroed or initialized content. */
void content_clear(struct content *c);

/* Frees the data of parts (enum content_part bits): a long list holds
 * megabytes, and is kept only while the screens can come back to it. */
void content_drop(struct content *c, unsigned parts);

/* (Re)loads the parts req->parts names from store into c, replacing what
 * c held of them; the other parts stay. Returns false when a query failed
 * (c->failed says which part; that part is empty). */
bool content_load(struct content *c, struct store *store, const struct content_env *env,
                  const struct content_request *req);

/* The location with this id, or NULL. */
const struct location_item *content_location(const struct content *c, const char *id);

/* Places this kiosk holds at an occurrence in unanswered sign-ups. */
int64_t content_pending_places(const struct content *c, const char *activity_id,
                               int64_t occurrence);

/* Places left at an occurrence of capacity with taken of them gone, as
 * the feed counted, less this kiosk's own sign-ups not yet answered. */
int64_t content_places_left(const struct content *c, const char *activity_id,
                            int64_t occurrence, int64_t capacity, int64_t taken);

/* Loads contents on a thread of its own, with its own read-only
 * connection, so that the UI thread never waits for a large reload. */
struct content_loader;

/* Starts the thread; done(ctx) is called on it whenever a load finished
 * (wake the UI thread there). NULL when the thread cannot start. */
struct content_loader *content_loader_start(const char *db_path, const struct content_env *env,
                                            void (*done)(void *ctx), void *ctx);
/* Stops and joins the thread, freeing any unclaimed content. Accepts NULL. */
void content_loader_stop(struct content_loader *l);
/* Asks for a load of req (replacing a request not yet started). */
void content_loader_request(struct content_loader *l, const struct content_request *req);
/* The newest finished content, or NULL. The caller owns it (content_clear
 * and free, or hand it to content_loader_retire). */
struct content *content_loader_take(struct content_loader *l);
/* Frees an old content on the loader's thread, off the UI thread. */
void content_loader_retire(struct content_loader *l, struct content *old);

/* Whether walk-in hours are open at the local time lt ("nu open"). */
bool content_open_now(const struct walk_in_hours *hours, size_t n, const struct local_time *lt);

#endif
