/*
 * The sign-up outbox: sign-ups a resident confirmed on this kiosk, kept
 * durably until the hub has answered finally, then stripped of personal
 * data (hub-api-v1.md "Sign-ups").
 *
 * Lives in the kiosk's database (table outbox, schema in store.c). Each
 * function takes the store of the calling thread (one connection per
 * thread). Nothing here ever logs a name, phone number, e-mail or remark.
 */
#ifndef BK_OUTBOX_H
#define BK_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/store.h"

#define OUTBOX_ID_LEN 36   /* UUID text, without the NUL */

/* What a resident typed, as the form validated it. Strings may be NULL
 * when the activity does not ask for them. */
struct signup_request {
    char activity_id[129];
    int64_t occurrence;
    const char *name, *phone, *email, *remark;
    int party_size;
    bool waitlist_ok;
    char language[16];
    /* Confirmed by the kiosk on its own, within its lease: the resident
     * was told "aangemeld" before the hub answered. */
    bool within_lease;
};

/* Makes a random UUID v4 (getrandom through libsodium) in out (37 bytes). */
void outbox_new_id(char out[OUTBOX_ID_LEN + 1]);

/* Stores a sign-up durably (synchronous=FULL, committed) before the
 * resident is told "aangemeld". Fills id_out with its new UUID. When the
 * kiosk knows the hub's seal key (STORE_META_HUB_SEAL_KEY), name, phone,
 * email and remark are stored only sealed to it (outbox_row.sealed). */
bool outbox_add(struct store *store, const struct signup_request *req, int64_t now,
                char id_out[OUTBOX_ID_LEN + 1]);

/* One pending sign-up, for the network thread to send. Strings are owned
 * by the row and valid until outbox_row_clear. */
struct outbox_row {
    char id[OUTBOX_ID_LEN + 1];
    char activity_id[129];
    int64_t occurrence;
    char *name, *phone, *email, *remark;
    /* The four above sealed to the hub's key (model/seal.h), then they
     * are NULL; NULL for a sign-up stored in clear. */
    char *sealed;
    int party_size;
    bool waitlist_ok;
    char language[16];
    int64_t created_at;
    int attempts;
};

void outbox_row_clear(struct outbox_row *row);

/* The oldest pending sign-ups, up to max, into rows (cleared first): in
 * the order they were stored, whatever the clock said (hub-api-v1: oldest
 * first; a sign-up confirmed within the lease before a later one). */
size_t outbox_pending(struct store *store, struct outbox_row *rows, size_t max);

/* Final answers. Each records the status and, in the same transaction,
 * erases name, phone, email and remark with secure_delete on, then
 * rewrites the outbox table into fresh pages (a rebalanced page can keep
 * an old copy of a row where secure_delete does not reach) and runs
 * wal_checkpoint(TRUNCATE) so the bytes leave the WAL too. status is
 * "confirmed", "waitlisted", "full", "closed" or "rejected"; position
 * (> 0) only for "waitlisted"; error (may be NULL) is kept cut to 200
 * characters. A row no longer pending keeps its first answer (true is
 * returned); false on a storage error or an unknown id. A rewrite or
 * checkpoint that fails (a reader blocks the checkpoint) is retried
 * briefly, then owed (outbox_expire). */
bool outbox_record_final(struct store *store, const char *id, const char *status, int position,
                         const char *error, int64_t now);

/* A temporary failure: counts the attempt, keeps the item pending.
 * error (a transport reason, no personal data) is cut like above. */
bool outbox_record_attempt(struct store *store, const char *id, const char *error);

/* Rows the hub answered finally (confirmed, waitlisted, full, closed,
 * rejected) and rows expired unsent are kept this long after their answer
 * or expiry, for staff to see in `status` and for the lease accounting,
 * then deleted: every final answer rewrites the whole outbox table
 * (outbox_record_final), and that rewrite must stay small on a kiosk
 * that has taken sign-ups for years. Pending rows are never pruned. */
#define OUTBOX_ANSWERED_RETENTION_DAYS 30

/* Deletes the rows above older than OUTBOX_ANSWERED_RETENTION_DAYS at now,
 * except those whose answer a feed held now does not count yet (its
 * request started before the answer: the lease accounting still needs
 * them). A now before the release date (clock not set) prunes nothing.
 * Returns how many; -1 on a storage error. outbox_expire calls it. */
int outbox_prune_answered(struct store *store, int64_t now);

/* Erases personal data of sign-ups still unsent after retention_days,
 * marking them "expired" (never sent later). Returns how many. A
 * retention below 1 day, or a now before the release date (clock not set
 * yet), expires nothing; a pending row stamped before the release date
 * gets now as its created_at (its age counts from the first plausible
 * clock). Also finishes a rewrite or WAL truncation an earlier erasure could not
 * (a reader held it, or the process died before the checkpoint), and
 * prunes old answered rows first (outbox_prune_answered). */
int outbox_expire(struct store *store, int64_t now, int retention_days);

/* Places this kiosk holds for an occurrence that the taken of the feed it
 * holds does not count yet: party sizes of unsent sign-ups, and of those
 * the hub confirmed after that feed was requested. The screen subtracts
 * them from capacity - taken. */
int64_t outbox_pending_places(struct store *store, const char *activity_id, int64_t occurrence);

/* Every occurrence this kiosk holds places for that the feed does not
 * count yet (as outbox_pending_places), with the places, once: the
 * screens load them with their content. fn returns false to stop; false
 * on a storage error. activity_id is valid only during the call. */
typedef bool (*pending_places_fn)(void *ctx, const char *activity_id, int64_t occurrence,
                                  int64_t places);
bool outbox_query_pending_places(struct store *store, pending_places_fn fn, void *ctx);

/* What is left of this kiosk's lease for an occurrence (hub-api-v1
 * "Telling the resident the truth"): the feed's lease minus the party
 * sizes of sign-ups confirmed within the lease that the hub had not
 * answered before that feed was requested; 0 once the hub answered any
 * sign-up for the occurrence after that request, until the next feed.
 * False on a storage error (then *left is 0). */
bool outbox_lease_left(struct store *store, const char *activity_id, int64_t occurrence,
                       int64_t *left);

/* One sign-up's state, for the done screen that waits for the hub. */
struct outbox_answer {
    char status[16];          /* "pending", "confirmed", "waitlisted", "full", ... */
    int position;             /* waitlisted only */
    bool within_lease;
};
enum store_lookup outbox_answer(struct store *store, const char *id, struct outbox_answer *out);

/* How many rows have status ("pending", "confirmed", ...); -1 on a
 * storage error. */
int64_t outbox_count(struct store *store, const char *status);

/* Megabytes free for this process on the file system that holds the
 * database (disk_free_bytes of its directory), for the heartbeat: a full disk is
 * a kiosk that can no longer take sign-ups. False when unknown. */
bool outbox_disk_free_mb(struct store *store, int64_t *mb_out);

#endif
