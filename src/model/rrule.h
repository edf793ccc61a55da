/*
 * The RFC 5545 RRULE subset of feed-v1 and its expansion into occurrences.
 *
 * Supported: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY (with an ordinal
 * such as 2TU or -1FR for MONTHLY only), COUNT, UNTIL (a date such as
 * 20261231, the whole local day included, or a UTC date-time ...T...Z).
 * Any other part, or a malformed one, makes rrule_parse() fail, and feed
 * validation then skips the item.
 *
 * Expansion happens in the local zone (see timeutil.h) and keeps the local
 * time of day of the first occurrence across DST changes.
 */
#ifndef BK_RRULE_H
#define BK_RRULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rrule_freq { RRULE_DAILY, RRULE_WEEKLY, RRULE_MONTHLY };

/* One BYDAY entry: weekday 0 = MO ... 6 = SU; ordinal 0 = every such
 * weekday in the period, 1..5 = the nth, -1..-5 = the nth from the end. */
struct rrule_byday {
    int8_t weekday;
    int8_t ordinal;
};

#define RRULE_MAX_BYDAY 35

struct rrule {
    enum rrule_freq freq;
    int interval;                 /* >= 1 */
    int count;                    /* 0 = no COUNT */
    bool has_until;
    bool until_is_date;           /* UNTIL=YYYYMMDD: up to the end of that local day */
    int64_t until;                /* date: 00:00 local of the day after; else the UTC instant */
    size_t n_byday;
    struct rrule_byday byday[RRULE_MAX_BYDAY];
};

/* Parses an RRULE value such as "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231".
 * A leading "RRULE:" is accepted. On failure returns false and writes a
 * short English reason ("unsupported rrule part BYMONTHDAY") to err. */
bool rrule_parse(const char *text, struct rrule *out, char *err, size_t err_len);

/* Lists the occurrence starts of an item, ascending.
 *
 * rule may be NULL (a one-off item: just dtstart). dtstart is always the
 * first occurrence and counts toward COUNT; COUNT is applied before the
 * exdates (instants, any order) remove occurrences. Only starts in
 * [window_start, window_end) are written to out, at most max_out of them.
 * Returns the number written. Expansion work is bounded even for rules
 * that start long before the window; a rule that would need more than
 * RRULE_MAX_STEPS periods to reach the window yields nothing. */
#define RRULE_MAX_STEPS 200000
size_t rrule_expand(const struct rrule *rule, int64_t dtstart,
                    const int64_t *exdates, size_t n_exdates,
                    int64_t window_start, int64_t window_end,
                    int64_t *out, size_t max_out);

/* rrule_expand with the local days' offsets kept in cache across calls
 * (timeutil.h): the same answers, for a caller expanding many rules over
 * one window. cache may be NULL. */
struct tz_day_cache;
size_t rrule_expand_cached(const struct rrule *rule, int64_t dtstart,
                           const int64_t *exdates, size_t n_exdates,
                           int64_t window_start, int64_t window_end,
                           int64_t *out, size_t max_out, struct tz_day_cache *cache);

#endif
