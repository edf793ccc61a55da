#include "base/timeutil.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define SECS_PER_DAY 86400

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar without going through the C library, whose time_t and TZ
 * handling we do not want in pure date arithmetic. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y_out, int *m_out, int *d_out)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y_out = yoe + era * 400 + (m <= 2);
    *m_out = m;
    *d_out = d;
}

/* Splits t into days and seconds of the day without the overflow that
 * floor_div(t, 86400) * 86400 would hit near INT64_MIN. */
static void split_day(int64_t t, int64_t *days, int *secs)
{
    int64_t d = t / SECS_PER_DAY;
    int64_t r = t % SECS_PER_DAY;
    if (r < 0) {
        r += SECS_PER_DAY;
        d--;
    }
    *days = d;
    *secs = (int)r;
}

static int weekday_of_days(int64_t days)
{
    /* 1970-01-01 was a Thursday, ISO index 3. */
    return (int)(days + 3 - floor_div(days + 3, 7) * 7);
}

static int clamp_int(int64_t v)
{
    if (v > INT_MAX)
        return INT_MAX;
    if (v < INT_MIN)
        return INT_MIN;
    return (int)v;
}

/* Month may be out of 1-12 in callers' arithmetic; fold it into the year
 * so days_from_civil sees a real month. */
static int64_t days_of(const struct local_time *lt)
{
    int64_t m0 = (int64_t)lt->month - 1;
    int64_t y = (int64_t)lt->year + floor_div(m0, 12);
    int m = (int)(m0 - floor_div(m0, 12) * 12) + 1;
    return days_from_civil(y, m, lt->day);
}

static void set_date(struct local_time *lt, int64_t days)
{
    int64_t y;
    civil_from_days(days, &y, &lt->month, &lt->day);
    lt->year = clamp_int(y);
    lt->wday = weekday_of_days(days);
}

static bool zone_name_is_safe(const char *name)
{
    /* TZ is later opened relative to the zoneinfo directory; a path that
     * escapes it must never get that far. */
    return name != NULL && name[0] != '\0' && name[0] != '/' &&
           strstr(name, "..") == NULL && strlen(name) < 256;
}

static bool is_tzif_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    /* zoneinfo also holds tables such as zone.tab; glibc would quietly
     * treat those as UTC, so insist on the TZif magic. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char magic[4];
    ssize_t n = read(fd, magic, sizeof magic);
    close(fd);
    return n == (ssize_t)sizeof magic && memcmp(magic, "TZif", 4) == 0;
}

bool tz_use_zone(const char *iana_name)
{
    if (!zone_name_is_safe(iana_name))
        return false;
    char path[sizeof ZONEINFO_DIR + 256];
    int len = snprintf(path, sizeof path, "%s/%s", ZONEINFO_DIR, iana_name);
    if (len < 0 || (size_t)len >= sizeof path || !is_tzif_file(path))
        return false;
    if (setenv("TZ", iana_name, 1) != 0)
        return false;
    tzset();
    return true;
}

static bool local_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    if ((int64_t)tt != t)
        return false;
    return localtime_r(&tt, tm) != NULL;
}

int tz_offset_at(int64_t t)
{
    struct tm tm;
    if (!local_tm(t, &tm))
        return 0;
    return (int)tm.tm_gmtoff;
}

void tz_to_local(int64_t t, struct local_time *out)
{
    struct tm tm;
    if (!local_tm(t, &tm)) {
        /* Only instants far outside any calendar we show get here; UTC
         * keeps the output defined rather than garbage. */
        int64_t days;
        int secs;
        split_day(t, &days, &secs);
        set_date(out, days);
        out->hour = secs / 3600;
        out->minute = secs / 60 % 60;
        out->second = secs % 60;
        return;
    }
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->minute = tm.tm_min;
    /* A "right/" zone can report a leap second; callers expect 0-59. */
    out->second = tm.tm_sec > 59 ? 59 : tm.tm_sec;
    out->wday = (tm.tm_wday + 6) % 7;
}

int64_t tz_from_local(const struct local_time *lt)
{
    /* mktime guesses with tm_isdst and differs between libcs in the gap
     * and overlap, so solve for the instant directly: the offset that
     * applies must be one of those in force a day either side. */
    int64_t u0 = days_of(lt) * SECS_PER_DAY + (int64_t)lt->hour * 3600 +
                 (int64_t)lt->minute * 60 + lt->second;
    int before = tz_offset_at(u0 - SECS_PER_DAY);
    int after = tz_offset_at(u0 + SECS_PER_DAY);
    /* No change of offset within a day either side (all but two days a
     * year): the one offset is the answer, no need to check it. */
    if (before == after)
        return u0 - before;
    int64_t best = 0;
    bool found = false;
    const int candidates[2] = {before, after};
    for (int i = 0; i < 2; i++) {
        int64_t u = u0 - candidates[i];
        if (tz_offset_at(u) == candidates[i] && (!found || u < best)) {
            best = u;
            found = true;
        }
    }
    if (found)
        return best;
    /* In the gap: reading the wall clock with the old offset lands as far
     * past the transition as the time was past its start, i.e. the time
     * moves forward by the length of the gap. */
    return u0 - before;
}

int64_t tz_from_local_cached(const struct local_time *lt, struct tz_day_cache *cache)
{
    if (!cache)
        return tz_from_local(lt);
    int64_t day = days_of(lt);
    size_t i = (size_t)((uint64_t)day % TZ_DAY_CACHE_SLOTS);
    if (cache->slot[i].state == 0 || cache->slot[i].day != day) {
        /* The offsets a day before the day's first second and a day after
         * its last: tz_from_local's two probes for any time of the day lie
         * between them. Equal, the offset holds through all of them (no
         * zone changes its offset and back within three days, which
         * tz_from_local assumes for two), and so tz_from_local would
         * answer u0 - offset for every time of this day. */
        int64_t first = day * SECS_PER_DAY;
        int before = tz_offset_at(first - SECS_PER_DAY);
        int after = tz_offset_at(first + 2 * SECS_PER_DAY);
        cache->slot[i].day = day;
        cache->slot[i].offset = before;
        cache->slot[i].state = before == after ? 1 : 2;
    }
    if (cache->slot[i].state != 1)
        return tz_from_local(lt);
    return day * SECS_PER_DAY + (int64_t)lt->hour * 3600 + (int64_t)lt->minute * 60 + lt->second -
           cache->slot[i].offset;
}

int64_t tz_start_of_day(int64_t t)
{
    struct local_time lt;
    tz_to_local(t, &lt);
    lt.hour = 0;
    lt.minute = 0;
    lt.second = 0;
    return tz_from_local(&lt);
}

void civil_add_days(struct local_time *lt, int days)
{
    set_date(lt, days_of(lt) + days);
}

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

int civil_weekday(int year, int month, int day)
{
    struct local_time lt = {.year = year, .month = month, .day = day};
    return weekday_of_days(days_of(&lt));
}

/* Reads exactly n decimal digits; stops at the first non-digit, so a
 * short string never gets read past its terminator. */
static bool read_digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

bool rfc3339_parse(const char *text, int64_t *instant_out)
{
    if (text == NULL)
        return false;
    const char *p = text;
    int year, month, day, hour, minute, second;
    if (!read_digits(p, 4, &year) || p[4] != '-' ||
        !read_digits(p + 5, 2, &month) || p[7] != '-' ||
        !read_digits(p + 8, 2, &day) || (p[10] != 'T' && p[10] != 't') ||
        !read_digits(p + 11, 2, &hour) || p[13] != ':' ||
        !read_digits(p + 14, 2, &minute) || p[16] != ':' ||
        !read_digits(p + 17, 2, &second))
        return false;
    p += 19;
    if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 ||
        day > civil_days_in_month(year, month) || hour > 23 || minute > 59 ||
        second > 60)
        return false;
    /* We do not track leap seconds; 60 is the last second of the minute. */
    if (second == 60)
        second = 59;

    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }

    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!read_digits(p + 1, 2, &oh) || p[3] != ':' ||
            !read_digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0')
        return false;

    *instant_out = days_from_civil(year, month, day) * SECS_PER_DAY +
                   hour * 3600 + minute * 60 + second - offset;
    return true;
}

void rfc3339_format_local(int64_t t, char buf[RFC3339_LEN])
{
    struct local_time lt;
    tz_to_local(t, &lt);
    int off = tz_offset_at(t);
    char sign = off < 0 ? '-' : '+';
    int aoff = off < 0 ? -off : off;
    /* Historic local mean time offsets carry seconds; RFC 3339 cannot
     * express them, so they are truncated to the minute. */
    /* Formatted with room to spare, because the compiler cannot see that
     * every field has its two (or four) digits. */
    char wide[96];
    snprintf(wide, sizeof wide, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", lt.year, lt.month,
             lt.day, lt.hour, lt.minute, lt.second, sign, aoff / 3600, aoff / 60 % 60);
    size_t n = strlen(wide);
    if (n >= RFC3339_LEN)
        n = RFC3339_LEN - 1;
    memcpy(buf, wide, n);
    buf[n] = '\0';
}

void rfc3339_format_utc(int64_t t, char buf[RFC3339_LEN])
{
    int64_t days, y;
    int secs, m, d;
    split_day(t, &days, &secs);
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, RFC3339_LEN, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
             (long long)y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
}

bool hhmm_parse(const char *text, int *minutes_out)
{
    int h, m;
    if (text == NULL || !read_digits(text, 2, &h) || text[2] != ':' ||
        !read_digits(text + 3, 2, &m) || text[5] != '\0')
        return false;
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return false;
    *minutes_out = h * 60 + m;
    return true;
}
