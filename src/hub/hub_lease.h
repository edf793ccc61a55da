/*
 * Leases (hub-api-v1.md "Telling the resident the truth"): the places a
 * kiosk may confirm on its own, offline, for an occurrence, and how the
 * hub keeps them inside capacity.
 *
 * Per (kiosk, activity, occurrence) the hub keeps two numbers:
 *
 *   offered  what remains of the lease in the latest feed served to the
 *            kiosk (lowered by the sign-ups the hub receives from it);
 *   held     the largest lease the kiosk may still hold from an earlier
 *            feed it has not been seen to drop.
 *
 * The kiosk's commitment is max(offered, held). The invariant, for every
 * occurrence, whatever the order of feeds, sign-ups and heartbeats:
 *
 *   confirmed places + sum of commitments <= capacity - imported taken
 *
 * The arithmetic is in pure functions (tested row by row); the rest runs
 * inside the caller's write transaction. docs/design.md "Leases" has the
 * reasoning.
 */
#ifndef BK_HUB_LEASE_H
#define BK_HUB_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/hub_db.h"

#define HUB_LEASE_DEFAULT_MAX 2
#define HUB_LEASE_MAX_MAX 20

/* How far ahead leases are offered: the kiosk lists 90 days from the start
 * of its day; one more day covers a kiosk whose day began earlier. */
#define HUB_LEASE_WINDOW_DAYS 91
#define HUB_LEASE_MAX_OCCURRENCES 1000

/* A lease ends for serving when sign-ups close, but a sign-up made before
 * closing may still arrive (judged by its created_at up to 24 h late, plus
 * clock skew): until then its kiosk's commitment keeps being counted when
 * sign-ups are judged. After that the row is deleted. */
#define HUB_LEASE_KEEP_AFTER_CLOSE_S (24 * 3600 + 5 * 60)

struct hub_lease_state {
    int64_t offered;
    int64_t held;
};

/* min(lease_max, floor(free / kiosks)), never below 0; 0 when leases are
 * off (lease_max 0) or no kiosk serves the place. */
int64_t hub_lease_target(int64_t free_places, int64_t kiosks, int lease_max);

/* max(offered, held): what the kiosk may still confirm on its own. */
int64_t hub_lease_commitment(struct hub_lease_state s);

/* A new feed for the kiosk: offered becomes max(0, min(target, room))
 * (room = places not confirmed and not committed to other kiosks); when
 * that is less than before, held keeps the old offer until a heartbeat
 * shows the kiosk has the new feed. */
struct hub_lease_state hub_lease_offer(struct hub_lease_state old, int64_t target, int64_t room);

/* How a sign-up of party p from a kiosk fits. room: places neither
 * confirmed nor committed to other kiosks (so room >= the kiosk's own
 * commitment while the invariant holds). */
enum hub_lease_fit {
    HUB_LEASE_WITHIN,               /* inside a lease the kiosk may hold: confirm, *after set */
    HUB_LEASE_FITS,                 /* beyond it, in places nobody holds: confirm, lease as it was */
    HUB_LEASE_NO_ROOM,              /* neither: waiting list or full */
};

/* Judges p against the kiosk's state (see docs/design.md "Leases"):
 *   p <= offered: within the latest offer (or an older, larger one):
 *       both numbers go down by p;
 *   p <= held: within an older offer only. The kiosk may instead hold the
 *       newer, smaller one and have asked the hub for this one beyond it;
 *       held goes down by p, and the offer is kept, cut only as far as it
 *       must be for the invariant to hold;
 *   else p <= room - commitment: FITS, nothing changes (the kiosk asked
 *       for it and still counts its whole lease). */
enum hub_lease_fit hub_lease_judge(struct hub_lease_state own, int64_t room, int64_t p,
                                   struct hub_lease_state *after);

/* A heartbeat naming the latest feed: the kiosk holds its offer, so the
 * older, larger one is given back. */
struct hub_lease_state hub_lease_give_back(struct hub_lease_state s);

/* One lease in a kiosk's feed. */
struct hub_lease_entry {
    char *activity_id;
    int64_t occurrence;
    int64_t lease;                  /* offered, > 0 */
    bool uniform;                   /* the same lease for every open occurrence of the activity */
};

struct hub_lease_list {
    struct hub_lease_entry *e;      /* sorted by activity, then occurrence */
    size_t n, cap;
    int64_t valid_until;            /* the feed must be refreshed at or after this instant */
    int64_t changed_at;             /* the latest change of this kiosk's leases, 0 = none */
};

void hub_lease_list_clear(struct hub_lease_list *l);

/* The leases of one activity in the list: [*first, *first + n). */
size_t hub_lease_list_of(const struct hub_lease_list *l, const char *activity_id, size_t *first);

/* Recomputes kiosk_id's leases for every open occurrence (up to
 * HUB_LEASE_WINDOW_DAYS ahead) of the activities with sign-up and a
 * capacity at the locations it serves, stores them, and lists the ones
 * above 0. *changed tells whether any stored number moved (the caller
 * then bumps the state, since other kiosks' taken moved). Must run inside
 * a write transaction. */
bool hub_lease_refresh(struct hub_db *db, const char *kiosk_id, int64_t now, int lease_max,
                       struct hub_lease_list *out, bool *changed);

/* Remembers the ETag of the feed just served to the kiosk (its offers). */
bool hub_lease_feed_served(struct hub_db *db, const char *kiosk_id, const char *etag);

/* The commitments for one occurrence: all kiosks' sum, and kiosk_id's own
 * state (zeros when it has none). Counts rows of closed occurrences too
 * (see HUB_LEASE_KEEP_AFTER_CLOSE_S). */
bool hub_lease_load(struct hub_db *db, const char *activity_id, int64_t occurrence,
                    const char *kiosk_id, int64_t *all, struct hub_lease_state *own);

/* Stores kiosk_id's new state for one occurrence (the row must exist). */
bool hub_lease_store(struct hub_db *db, const char *activity_id, int64_t occurrence,
                     const char *kiosk_id, struct hub_lease_state s, int64_t now);

/* A heartbeat: when etag is the latest feed served to the kiosk and the
 * kiosk has nothing left to send (outbox_pending 0, or not reported),
 * held becomes offered on its rows. *changed when a commitment fell (the
 * caller then bumps the state). Inside the caller's write transaction. */
bool hub_lease_heartbeat(struct hub_db *db, const char *kiosk_id, const char *etag,
                         int64_t outbox_pending, int64_t now, bool *changed);

/* Deletes the leases of occurrences that closed more than
 * HUB_LEASE_KEEP_AFTER_CLOSE_S ago, and those of kiosks that are gone.
 * Returns how many, or -1 on error. */
int hub_lease_expire(struct hub_db *db, int64_t now);

#endif
