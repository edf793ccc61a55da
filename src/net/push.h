/*
 * Delivering the sign-up outbox to the hub, and the heartbeat
 * (hub-api-v1.md "Sign-ups", "Heartbeat"). Runs on the network thread
 * with that thread's store, or in `buurtkiosk sync`.
 *
 * Each sign-up is a POST of its JSON to {hub}/kiosk/v1/signups through
 * libcurl: http and https only, redirects never followed, TLS
 * verification always on, 30 s to connect, 60 s in all, abandoned below
 * 1 KiB/s for 30 s, answers over 64 KiB treated as a temporary failure.
 * Nothing here logs personal data; the hub's error texts are logged at
 * debug level only.
 */
#ifndef BK_PUSH_H
#define BK_PUSH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/store.h"
#include "net/sync.h"

/* Sign-ups sent in one pass at most; the rest wait for the next. */
#define PUSH_MAX_PER_PASS 50
/* Retry-After and the outbox backoff are capped at this. */
#define PUSH_MAX_BACKOFF_MS (15 * 60 * 1000)
/* The largest answer the kiosk reads. */
#define PUSH_MAX_BODY (64 * 1024)

struct push_result {
    int sent;                 /* sign-ups the hub answered finally this pass */
    int pending;              /* still pending after the pass */
    int64_t retry_after_ms;   /* the hub's Retry-After (capped), 0 = none */
    bool temporary_failure;   /* the pass stopped at a temporary failure */
};

/* Sends pending sign-ups, oldest first, at most PUSH_MAX_PER_PASS. A
 * final answer is recorded (and the personal data erased) at once; the
 * first temporary failure ends the pass (one backoff for the whole
 * outbox, the caller's). Then expires unsent sign-ups older than
 * st->unsent_retention_days. Stops early, without a failure, when
 * cancel (may be NULL) becomes true. Always fills out. */
void push_pending(struct store *store, const struct sync_settings *st, int64_t now,
                  const atomic_bool *cancel, struct push_result *out);

/* What a heartbeat says that the store does not know. */
struct push_heartbeat_state {
    int64_t uptime_s;
    enum sync_screen screen;
    const char *problem;      /* why the network thread cannot work (sent as
                                 last_sync_error), or NULL */
};

/* Sends one heartbeat; true when the hub answered 204. store may be NULL
 * (the network thread could not open it): what only the store knows is
 * then sent as null. Failures are logged (warning) and otherwise
 * ignored: the next heartbeat comes at its time, or later when a 429 or
 * 503 asked for that with Retry-After: *retry_after_ms (may be NULL) is
 * that wait (push_retry_after_ms), else 0. */
bool push_heartbeat(struct store *store, const struct sync_settings *st,
                    const struct push_heartbeat_state *state, const atomic_bool *cancel,
                    int64_t *retry_after_ms);

/* ---- pieces, public for the tests ---- */

enum push_answer {
    PUSH_FINAL,               /* record it: status/position/error filled */
    PUSH_TEMPORARY,           /* keep it, stop the pass, back off */
};

/* A sign-up's final status: the hub's answer, or rejected when the hub
 * refused the sign-up with an error. */
enum push_status {
    PUSH_STATUS_CONFIRMED,
    PUSH_STATUS_WAITLISTED,
    PUSH_STATUS_FULL,
    PUSH_STATUS_CLOSED,
    PUSH_STATUS_REJECTED,
};

/* "confirmed", "waitlisted", "full", "closed" or "rejected": the hub's
 * word and, the same, what the outbox stores. */
const char *push_status_name(enum push_status status);

struct push_final {
    enum push_status status;
    int position;             /* waitlisted only, else 0 */
    char error[1024];         /* rejected: the hub's error text (may be empty) */
};

/* Judges one answer to a sign-up POST by hub-api-v1: 200/201 with exactly
 * {"status":"confirmed"} or {"status":"waitlisted","position":N}, 409 with
 * exactly {"status":"full"} or {"status":"closed"}, and 400/404/422 with
 * a JSON object carrying a string "error" are final; everything else is
 * temporary. (A 400/404/422 without the hub's JSON error object is a
 * proxy or a wrong URL talking, not the hub: temporary, so that a
 * misconfigured hub URL never rejects and erases sign-ups.) body may be
 * NULL when len is 0. */
enum push_answer push_classify(long http_status, const char *body, size_t len,
                               struct push_final *final);

/* Parses a Retry-After value: delay-seconds or an HTTP date (against
 * now_s, the real wall clock). Fills *ms (0 for a date in the past),
 * capped at PUSH_MAX_BACKOFF_MS. False when it is neither. */
bool push_parse_retry_after(const char *value, int64_t now_s, int64_t *ms);

/* The wait a hub or feed server asks for: value (a Retry-After header,
 * may be NULL) read by push_parse_retry_after when http_status is 429 (too
 * many requests) or 503 (unavailable), the two answers that mean "come
 * back later"; 0 for any other answer or a value that is no Retry-After.
 * The feed pull and the heartbeat both go by it. */
int64_t push_retry_after_ms(long http_status, const char *value, int64_t now_s);

/* The wait after `failures` temporary failures in a row (>= 1): 30 s,
 * doubling, capped at 15 min, +-20 % jitter; or retry_after_ms when that
 * is longer (capped at 15 min). */
int64_t push_backoff_ms(int failures, int64_t retry_after_ms);

#endif
