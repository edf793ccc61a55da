#include "model/pinlock.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/store.h"

#define META_FAILURES "pin_failures"
#define META_LOCKED_UNTIL "pin_locked_until"

int64_t pinlock_backoff_s(int failures)
{
    if (failures <= PINLOCK_FREE_TRIES)
        return 0;
    int64_t s = PINLOCK_FIRST_S;
    for (int i = PINLOCK_FREE_TRIES + 1; i < failures && s < PINLOCK_MAX_S; i++)
        s *= 2;
    return s < PINLOCK_MAX_S ? s : PINLOCK_MAX_S;
}

/* A meta value as a non-negative integer: 0 when absent, -1 when it
 * cannot be read or is not a number. */
static int64_t read_int(struct store *store, const char *key)
{
    char buf[32];
    switch (store_lookup_meta(store, key, buf, sizeof buf)) {
    case STORE_NOT_FOUND:
        return 0;
    case STORE_ERROR:
        return -1;
    case STORE_FOUND:
        break;
    }
    char *end;
    long long v = strtoll(buf, &end, 10);
    return end != buf && !*end && v >= 0 ? (int64_t)v : -1;
}

void pinlock_read(struct store *store, int64_t now_s, struct pinlock *out)
{
    int64_t failures = read_int(store, META_FAILURES);
    int64_t until = read_int(store, META_LOCKED_UNTIL);
    if (failures < 0 || until < 0) {
        out->failures = PINLOCK_FREE_TRIES + 1;
        out->locked_until_s = now_s + PINLOCK_MAX_S;
        return;
    }
    out->failures = failures > 1000 ? 1000 : (int)failures;
    out->locked_until_s = until > now_s + PINLOCK_MAX_S ? now_s + PINLOCK_MAX_S : until;
}

bool pinlock_fail(struct store *store, int64_t now_s, struct pinlock *out)
{
    pinlock_read(store, now_s, out);
    if (out->failures < 1000)
        out->failures++;
    int64_t lock = pinlock_backoff_s(out->failures);
    if (lock)
        out->locked_until_s = now_s + lock;
    char n[24], until[24];
    snprintf(n, sizeof n, "%d", out->failures);
    snprintf(until, sizeof until, "%" PRId64, out->locked_until_s);
    /* The lock first: a power cut between the two writes leaves the pad
     * locked with the count one short, never counted but unlocked. */
    return store_set_meta(store, META_LOCKED_UNTIL, until) &&
           store_set_meta(store, META_FAILURES, n);
}

bool pinlock_clear(struct store *store)
{
    return store_set_meta(store, META_FAILURES, NULL) &&
           store_set_meta(store, META_LOCKED_UNTIL, NULL);
}
