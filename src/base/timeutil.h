/*
 * Instants, RFC 3339 timestamps and the kiosk's local time zone.
 *
 * An instant is seconds since the Unix epoch (UTC) as int64_t. Local time
 * is always that of the process's TZ, which tz_use_zone() sets once at
 * start-up, before any thread exists. Nothing here allocates.
 */
#ifndef BK_TIMEUTIL_H
#define BK_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A wall-clock reading in the kiosk's zone. month 1-12, day 1-31,
 * wday 0 = Monday ... 6 = Sunday (ISO order, as RRULE BYDAY counts). */
struct local_time {
    int year, month, day;
    int hour, minute, second;
    int wday;
};

/* Selects the IANA zone (e.g. "Europe/Amsterdam") for all local-time
 * functions by setting TZ. Returns false, and changes nothing, when the
 * system's zone database has no such zone. Call before starting threads. */
bool tz_use_zone(const char *iana_name);

/* The UTC offset in seconds east of Greenwich at instant t. */
int tz_offset_at(int64_t t);

/* Breaks an instant into local time (wday filled in). */
void tz_to_local(int64_t t, struct local_time *out);

/* The instant of a local wall-clock time, by RFC 5545's rules: a time in
 * the spring gap moves forward by the length of the gap; an ambiguous time
 * in the autumn overlap is the first of the two. wday is ignored. */
int64_t tz_from_local(const struct local_time *lt);

/* tz_from_local for many wall-clock times on the same few days (a swap
 * converts some 50,000 occurrence starts on the 90 days of its window):
 * each local day's offset is looked up once. A day with a change of
 * offset within a day of it still goes through tz_from_local, so the
 * answers are the same (tests/unit/test_timeutil.c). Zero the cache
 * before use; it holds for the zone in use while it is filled. */
#define TZ_DAY_CACHE_SLOTS 128
struct tz_day_cache {
    struct {
        int64_t day;
        int offset;
        unsigned char state;        /* 0 empty, 1 offset holds all day, 2 ask tz_from_local */
    } slot[TZ_DAY_CACHE_SLOTS];
};
int64_t tz_from_local_cached(const struct local_time *lt, struct tz_day_cache *cache);

/* 00:00 local of the day that holds t. */
int64_t tz_start_of_day(int64_t t);

/* Adds days to a civil date (normalising month and year), sets wday;
 * time-of-day fields are kept. */
void civil_add_days(struct local_time *lt, int days);

/* Days in a month of a (proleptic Gregorian) year. */
int civil_days_in_month(int year, int month);

/* ISO weekday (0 = Monday) of a civil date. */
int civil_weekday(int year, int month, int day);

/* Parses an RFC 3339 timestamp that carries an offset or Z
 * ("2026-11-26T10:00:00+01:00", fractional seconds allowed and dropped,
 * 't'/'z' in lower case accepted). Years 1900-2200 only. Returns false for
 * anything else, including a timestamp without an offset. */
bool rfc3339_parse(const char *text, int64_t *instant_out);

/* Formats t as RFC 3339 in local time with its offset:
 * "2026-11-26T10:00:00+01:00". buf needs RFC3339_LEN bytes. */
#define RFC3339_LEN 32
void rfc3339_format_local(int64_t t, char buf[RFC3339_LEN]);

/* Formats t as RFC 3339 in UTC: "2026-11-26T09:00:00Z". */
void rfc3339_format_utc(int64_t t, char buf[RFC3339_LEN]);

/* Parses "HH:MM" (00:00-24:00) into minutes since midnight. */
bool hhmm_parse(const char *text, int *minutes_out);

#endif
