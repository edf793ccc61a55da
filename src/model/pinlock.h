/*
 * The staff PIN pad's lock-out, kept in the kiosk's database (meta keys
 * pin_failures and pin_locked_until) so that a restart or a power cut
 * does not reset it: the count of wrong PINs since the last right one,
 * and until when the pad is locked. The fifth wrong PIN in a row locks
 * it for 5 minutes, each further one for twice as long as the one before,
 * at most an hour. A right PIN clears both.
 */
#ifndef BK_PINLOCK_H
#define BK_PINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct store;

#define PINLOCK_FREE_TRIES 4          /* wrong PINs without any lock */
#define PINLOCK_FIRST_S 300          /* automation-v1: five wrong PINs lock it for 5 minutes */
#define PINLOCK_MAX_S 3600
#define PIN_MIN_DIGITS 6
#define PIN_MAX_DIGITS 12

/* How long the failures-th wrong PIN in a row locks the pad: 0 for the
 * first four, then 300 s, 600 s, 1200 s, ... up to PINLOCK_MAX_S. */
int64_t pinlock_backoff_s(int failures);

struct pinlock {
    int failures;                  /* wrong PINs since the last right one */
    int64_t locked_until_s;        /* unix seconds; 0 when not locked */
};

/* Reads the state at now_s. A lock that ends further ahead than the
 * longest back-off (the clock was set back after a restart: no RTC, NTP
 * not yet there) ends PINLOCK_MAX_S from now instead, so that a wrong
 * clock cannot lock staff out for years. Unreadable counts as locked for
 * the longest back-off: the pad fails closed. */
void pinlock_read(struct store *store, int64_t now_s, struct pinlock *out);

/* Records a wrong PIN at now_s and writes it before returning; out gets
 * the new state. False when it could not be written (out still holds
 * the lock, which the caller keeps in memory). */
bool pinlock_fail(struct store *store, int64_t now_s, struct pinlock *out);

/* A right PIN: the count and the lock are cleared. */
bool pinlock_clear(struct store *store);

#endif
