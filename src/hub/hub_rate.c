#include "hub/hub_rate.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One request's worth of credit. A bucket gains per_minute credit a
 * millisecond, so a minute refills per_minute requests exactly: integers,
 * so that no rounding loses a request. */
#define ONE 60000

/* Longer keys are cut: a kiosk id and an IPv6 address both fit. */
#define KEY_MAX 80

struct bucket {
    char key[KEY_MAX];              /* "" = free */
    int64_t credit;                 /* requests left x ONE, up to per_minute x ONE */
    int64_t at_ms;                  /* when credit was computed */
};

struct hub_rate {
    pthread_mutex_t lock;
    int per_minute;
    size_t slots;
    struct bucket *buckets;
};

struct hub_rate *hub_rate_create(int per_minute, size_t slots)
{
    struct hub_rate *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->per_minute = per_minute > 0 ? per_minute : 0;
    r->slots = slots ? slots : 1;
    r->buckets = calloc(r->slots, sizeof *r->buckets);
    if (!r->buckets || pthread_mutex_init(&r->lock, NULL) != 0) {
        free(r->buckets);
        free(r);
        return NULL;
    }
    return r;
}

void hub_rate_destroy(struct hub_rate *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->lock);
    free(r->buckets);
    free(r);
}

/* FNV-1a: spreads keys over the table; the table is probed linearly. */
static size_t hash(const char *key)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return (size_t)h;
}

/* The bucket's credit at now, refilled since it was last looked at. */
static int64_t refilled(const struct hub_rate *r, const struct bucket *b, int64_t now_ms)
{
    int64_t full = (int64_t)r->per_minute * ONE;
    int64_t elapsed = now_ms > b->at_ms ? now_ms - b->at_ms : 0;
    /* A day's refill fills any bucket: no overflow for long idle keys. */
    if (elapsed > 86400000)
        return full;
    int64_t c = b->credit + elapsed * r->per_minute;
    return c > full ? full : c;
}

/* The slot of key: its own, else a free or forgettable one (a full
 * bucket), else the one idle longest. Probes a bounded stretch so that a
 * full table costs the same as an empty one. */
static struct bucket *slot_of(struct hub_rate *r, const char *key, int64_t now_ms)
{
    enum { PROBES = 16 };
    size_t start = hash(key) % r->slots;
    struct bucket *reuse = NULL, *oldest = NULL;
    for (size_t i = 0; i < PROBES && i < r->slots; i++) {
        struct bucket *b = &r->buckets[(start + i) % r->slots];
        if (strcmp(b->key, key) == 0)
            return b;
        bool forgettable =
            b->key[0] == '\0' || refilled(r, b, now_ms) >= (int64_t)r->per_minute * ONE;
        if (forgettable && !reuse)
            reuse = b;
        if (!oldest || b->at_ms < oldest->at_ms)
            oldest = b;
    }
    struct bucket *b = reuse ? reuse : oldest ? oldest : &r->buckets[start];
    snprintf(b->key, sizeof b->key, "%s", key);
    b->credit = (int64_t)r->per_minute * ONE;
    b->at_ms = now_ms;
    return b;
}

int64_t hub_rate_take(struct hub_rate *r, const char *key, int64_t now_ms)
{
    if (!r || r->per_minute == 0 || !key || !*key)
        return 0;
    char cut[KEY_MAX];
    snprintf(cut, sizeof cut, "%s", key);
    pthread_mutex_lock(&r->lock);
    struct bucket *b = slot_of(r, cut, now_ms);
    b->credit = refilled(r, b, now_ms);
    b->at_ms = now_ms;
    int64_t wait = 0;
    if (b->credit >= ONE) {
        b->credit -= ONE;
    } else {
        int64_t ms = (ONE - b->credit + r->per_minute - 1) / r->per_minute;
        wait = (ms + 999) / 1000;
        if (wait < 1)
            wait = 1;
    }
    pthread_mutex_unlock(&r->lock);
    return wait;
}
