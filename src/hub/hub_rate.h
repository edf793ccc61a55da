/*
 * Request rates the hub allows (hub-api-v1.md "Limits the hub keeps"):
 * a token bucket per key (a kiosk id, or a client address) that holds a
 * minute's worth of requests and refills evenly, so that a kiosk draining
 * a backlog may burst up to its whole minute and then goes at the rate.
 *
 * The buckets live in memory in a table of fixed size, shared by the
 * server's threads behind one mutex; a key idle long enough to have a full
 * bucket again is forgotten when its slot is needed, which changes
 * nothing it would be allowed. When every slot holds a busy key, the one
 * idle longest is forgotten: an attacker with more addresses than slots
 * can then reset their buckets, but no one else's limit gets stricter.
 */
#ifndef BK_HUB_RATE_H
#define BK_HUB_RATE_H

#include <stddef.h>
#include <stdint.h>

struct hub_rate;

/* per_minute requests a minute per key; 0 = no limit (take always
 * allows). slots is how many keys are tracked at once. NULL when out of
 * memory. */
struct hub_rate *hub_rate_create(int per_minute, size_t slots);
void hub_rate_destroy(struct hub_rate *rate);

/* Counts one request of key at now_ms (a monotonic clock): 0 when allowed,
 * else the whole seconds until one would be (for Retry-After; at least
 * 1), and the request is not counted. A NULL or empty key is allowed. */
int64_t hub_rate_take(struct hub_rate *rate, const char *key, int64_t now_ms);

#endif
