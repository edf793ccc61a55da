/*
 * The feed a kiosk pulls (feed-v1.md), built from the hub's content and
 * its sign-up counts.
 *
 * A kiosk added with --locations gets only those locations, the
 * activities and services at them or at no location, and the
 * announcements whose location_ids meet them or are absent; any other
 * kiosk gets everything. signup.taken is the imported count plus the
 * party sizes of the hub's confirmed sign-ups plus the other kiosks'
 * unused leases; signup.lease is this kiosk's own (hub_lease.h).
 *
 * The body is a pure function of the database's state, never of the
 * clock: generated_at is the time the content was imported or a count in
 * this kiosk's feed last changed, so that the body and its strong ETag
 * stay byte-identical until something in them changes. The cache keeps
 * the body and its gzip per kiosk and rebuilds only when the database's
 * state version moved (an import, a confirmed or cancelled sign-up, a
 * lease that moved) or a lease in it ends with the closing of sign-ups.
 */
#ifndef BK_HUB_FEED_H
#define BK_HUB_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/hub_db.h"

#define HUB_ETAG_LEN 34                 /* a quoted 32-digit hex hash */

/* How far past the content's time an integer signup.taken is spelled out
 * per occurrence once the hub has sign-ups for one of them. */
#define HUB_FEED_TAKEN_DAYS 400
#define HUB_FEED_TAKEN_MAX 1000

struct hub_feed_body {
    char *body;                         /* owned, not NUL-terminated */
    size_t len;
    unsigned char *gz;                  /* owned gzip of body */
    size_t gz_len;
    char etag[HUB_ETAG_LEN + 1];
    int64_t generated_at;
    int64_t state_version;              /* of the database it was built from */
    int64_t valid_until;                /* rebuild at or after this instant (a lease ends) */
};

/* Whose feed, and when: a kiosk's gets its leases (refreshed and stored
 * on the way, with the ETag). kiosk_id NULL: no leases, every kiosk's
 * unused lease counted in taken (a view for tests and tools). */
struct hub_feed_for {
    const char *kiosk_id;
    const char *locations;              /* JSON array text, NULL = all */
    int64_t now;
    int lease_max;
};

/* Builds the feed for who, in one transaction (a write one for a kiosk:
 * its leases are refreshed and the ETag stored). Returns false on a
 * database or memory error (logged); out is then empty. */
bool hub_feed_build_for(struct hub_db *db, const struct hub_feed_for *who,
                        struct hub_feed_body *out);

/* The feed with no kiosk's leases for the locations in locations_json
 * (NULL = all), in one read transaction. */
bool hub_feed_build(struct hub_db *db, const char *locations_json, struct hub_feed_body *out);

void hub_feed_body_clear(struct hub_feed_body *body);

/* Per-kiosk cache of built feeds. Thread-safe. */
struct hub_feed_cache;

/* lease_max: the most places a kiosk's lease holds (0 = no leases). */
struct hub_feed_cache *hub_feed_cache_create(int lease_max);
void hub_feed_cache_destroy(struct hub_feed_cache *cache);

/* What to send for one GET: 304 (not_modified, no data) or the body,
 * gzipped when asked. data is a malloc'd copy the caller frees. */
struct hub_feed_reply {
    bool not_modified;
    bool gzip;
    char etag[HUB_ETAG_LEN + 1];
    void *data;
    size_t len;
};

bool hub_feed_cache_reply(struct hub_feed_cache *cache, struct hub_db *db,
                          const struct hub_kiosk *kiosk, int64_t now, bool want_gzip,
                          const char *if_none_match, struct hub_feed_reply *out);

/* True when an If-None-Match header value (a list, W/ prefixes and "*"
 * allowed; weak comparison, as RFC 9110 asks for this header) names etag. */
bool hub_etag_matches(const char *if_none_match, const char *etag);

/* True when an Accept-Encoding header value accepts gzip (q > 0). */
bool hub_accepts_gzip(const char *accept_encoding);

#endif
