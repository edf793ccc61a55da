/*
 * Syncing with the outside world: one pass (pull the feed, and later push
 * sign-ups and send a heartbeat), and the network thread that runs passes
 * every sync.interval_s with backoff on failure.
 *
 * The network thread has its own SQLite connection and never touches the
 * screen: it tells the main loop that content changed through a callback
 * (the app turns that into an SDL user event).
 */
#ifndef BK_SYNC_H
#define BK_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "model/image_cache.h"
#include "model/store.h"
#include "net/image_fetch.h"

struct sync_settings {
    char feed_url[2048];
    char hub_url[1024];           /* "" = no hub */
    char kiosk_id[129];
    char token[512];              /* "" = none */
    bool has_public_key;
    unsigned char public_key[32];
    /* sync.hub_seal_key: sign-ups are sealed to this key and no other
     * (sync_pin_seal_key); a different key from the hub is refused. */
    bool has_seal_pin;
    unsigned char seal_pin[32];
    /* sync.ca_file: the PEM CAs every https conversation (feed, images,
     * sign-ups, heartbeat) trusts instead of the system's; "" = system. */
    char ca_file[4096];
    int interval_s;
    int heartbeat_s;
    int unsent_retention_days;    /* privacy.unsent_retention_days; < 1 = never expire */
    bool read_only;               /* the screen's cache is read-only (disk full): */
                                  /* the worker must not write either */
    image_keep_fn keep_image;     /* decodes and writes a feed image (src/sdl); */
    void *keep_image_ctx;         /* NULL = images are not fetched */
};

enum sync_feed_result { SYNC_APPLIED, SYNC_UNCHANGED, SYNC_REJECTED, SYNC_UNREACHABLE };

/* What the heartbeat reports as "screen" (hub-api-v1). */
enum sync_screen {
    SYNC_SCREEN_ON,
    SYNC_SCREEN_OFF,              /* dark outside opening hours, on purpose */
    SYNC_SCREEN_FAULT,
};

enum sync_seal_verdict { SYNC_SEAL_UNKNOWN, SYNC_SEAL_AGREES, SYNC_SEAL_REFUSED };

struct sync_outcome {
    enum sync_feed_result feed;
    char reason[256];
    int64_t retry_after_ms;       /* a failed pull's Retry-After (capped), 0 = none */
    int64_t heartbeat_retry_after_ms; /* the same for the heartbeat */
    /* The hub's answer offered a seal key other than sync.hub_seal_key
     * (refused; sign-ups held), named the pinned one (SYNC_SEAL_AGREES),
     * or said nothing that counts (no pin, no key, not the hub). */
    enum sync_seal_verdict seal;
    bool signups_held;            /* the pass did not send sign-ups for it */
    size_t skipped;
    struct feed_report report;    /* details of an applied or rejected feed */
    int64_t signups_sent;
    int64_t signups_pending;
    struct image_fetch_result images; /* after an applied or unchanged feed */
};

/* One pass: pull and apply the feed, fetch its images (when the feed was
 * applied or unchanged and settings->keep_image is set), then (with a hub) push pending
 * sign-ups and send a heartbeat (uptime 0, screen on: the command
 * line's and the script's pass). Logs the attempt in the store. Free
 * out->report with feed_report_clear. */
void sync_pass(struct store *store, const struct sync_settings *settings, int64_t now,
               struct sync_outcome *out);

/* The image part of a pass, after out->feed is known: fetches and keeps
 * the feed's images when the feed was applied or unchanged and
 * settings->keep_image is set (else out->images.skipped). True when a
 * file was written or removed (what the screen shows changed). */
bool sync_images(struct store *store, const struct sync_settings *settings, int64_t now,
                 const atomic_bool *cancel, struct sync_outcome *out);

/* "applied", "unchanged", "rejected" or "unreachable": the word of the
 * sync log, the command line and the status. */
const char *sync_feed_result_name(enum sync_feed_result r);

/* "on", "off" or "fault": the heartbeat's word. */
const char *sync_screen_name(enum sync_screen screen);

/* The one-line summary of automation-v1:
 * "feed: applied (REASON) skipped=N signups: sent=N pending=N". */
/* The `feed:` line of automation-v1 from its parts; validate-feed prints
 * the same line for a document it only reads. */
void sync_report_line(const char *result, const char *reason, size_t skipped, long long sent,
                      long long pending, char *buf, size_t len);
void sync_outcome_line(const struct sync_outcome *out, char *buf, size_t len);

/* Checks a feed body against an Ed25519 signature given as "BASE64" or
 * "ed25519=BASE64" (white space around it ignored). */
bool sync_signature_valid(const unsigned char public_key[32], const char *body, size_t len,
                          const char *signature_text);

/* The URL of a feed's detached signature: ".sig" appended to the path,
 * the query kept. Returns false when it does not fit. */
bool sync_signature_url(const char *feed_url, char *out, size_t out_len);

/* The delay before the next pass after `failures` failures in a row
 * (0 = the last pass worked): the interval, or a backoff from 30 s that
 * doubles per failure up to the interval, with +-20 % jitter. */
int64_t sync_next_delay_ms(int interval_s, int failures);

struct sync_worker;

/* Starts the network thread on its own connection to db_path; NULL when
 * the thread cannot be started. on_change is called from that thread
 * after every pass (the store tells whether content changed) and when its
 * problem (sync_worker_problem) comes or goes. The clock is copied: the
 * worker reads real time with the same offset. */
struct sync_worker *sync_worker_start(const char *db_path, const struct sync_settings *settings,
                                      const struct clock *clock,
                                      void (*on_change)(void *ctx), void *ctx);
/* Asks for a pass now (staff "sync now", or the first one at start); a
 * thread without its database tries to open it at once. */
void sync_worker_request(struct sync_worker *w);
/* Asks for a push of the outbox now, without a feed pull, whatever the
 * outbox backoff says: call it right after a sign-up was stored. */
void sync_worker_wake_outbox(struct sync_worker *w);
/* What the heartbeat reports as "screen" (SYNC_SCREEN_ON until this is
 * called). Callable from any thread. */
void sync_worker_set_screen(struct sync_worker *w, enum sync_screen screen);
/* Why the network thread cannot do its work, for the staff status,
 * copied into buf (len >= 1); false and "" while it works. Today that is
 * a database it cannot open: the thread then keeps running, tells the hub
 * in its heartbeats (last_sync_error) and tries again with the feed's
 * backoff, or at once on sync_worker_request. Callable from any thread. */
bool sync_worker_problem(struct sync_worker *w, char *buf, size_t len);
/* Stops the thread (a transfer in flight ends at its timeout at worst)
 * and frees it. Accepts NULL. */
void sync_worker_stop(struct sync_worker *w);

/* With sync.hub_seal_key set (settings->has_seal_pin), makes the store's
 * hub seal key (STORE_META_HUB_SEAL_KEY, what outbox_add seals to) the
 * pinned one, whatever was kept before: call it right after opening a
 * store that takes sign-ups. Does nothing without a pin or on a
 * read-only store. False when the key could not be written. */
bool sync_pin_seal_key(struct store *store, const struct sync_settings *settings);

/* What the staff status and the heartbeat say while sign-ups are held
 * because the hub offers a seal key other than the pinned one. */
#define SYNC_SEAL_REFUSED_PROBLEM \
    "sign-ups held: the hub's seal key is not sync.hub_seal_key"

/* True when the feed comes from the hub (its URL starts with kiosk.hub):
 * then a feed request that fails is a hub the kiosk cannot ask. */
bool sync_feed_from_hub(const struct sync_settings *st);

#endif
