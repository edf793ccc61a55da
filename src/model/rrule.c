#include "model/rrule.h"

#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"

#define SECS_PER_DAY 86400

/* ---------------------------------------------------------------- parse */

struct span {
    const char *s;
    size_t len;
};

static bool span_is(struct span sp, const char *word)
{
    size_t n = strlen(word);
    return sp.len == n && memcmp(sp.s, word, n) == 0;
}

static bool fail(char *err, size_t err_len, const char *msg, struct span detail)
{
    if (err != NULL && err_len > 0) {
        /* The detail comes from the feed; keep the reason short. */
        int dlen = detail.len > 40 ? 40 : (int)detail.len;
        snprintf(err, err_len, "%s%.*s", msg, dlen, detail.s ? detail.s : "");
    }
    return false;
}

static const struct span NO_DETAIL = {"", 0};

/* Parses a decimal in [min, max]; more than 9 digits cannot be in range
 * and would overflow. */
static bool parse_uint(struct span v, int min, int max, int *out)
{
    if (v.len == 0 || v.len > 9)
        return false;
    int n = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.s[i] < '0' || v.s[i] > '9')
            return false;
        n = n * 10 + (v.s[i] - '0');
    }
    if (n < min || n > max)
        return false;
    *out = n;
    return true;
}

static int weekday_code(const char *s)
{
    static const char codes[7][3] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    for (int i = 0; i < 7; i++)
        if (s[0] == codes[i][0] && s[1] == codes[i][1])
            return i;
    return -1;
}

static bool parse_byday(struct span v, struct rrule *r, char *err, size_t err_len)
{
    size_t i = 0;
    for (;;) {
        size_t start = i;
        while (i < v.len && v.s[i] != ',')
            i++;
        struct span item = {v.s + start, i - start};
        size_t k = 0;
        int sign = 1;
        bool has_sign = false;
        if (k < item.len && (item.s[k] == '+' || item.s[k] == '-')) {
            sign = item.s[k] == '-' ? -1 : 1;
            has_sign = true;
            k++;
        }
        int ordinal = 0;
        size_t digits = 0;
        while (k < item.len && item.s[k] >= '0' && item.s[k] <= '9' &&
               digits < 3) {
            ordinal = ordinal * 10 + (item.s[k] - '0');
            k++;
            digits++;
        }
        if ((has_sign && digits == 0) || (digits > 0 && (ordinal < 1 || ordinal > 5)))
            return fail(err, err_len, "bad BYDAY ordinal ", item);
        if (item.len - k != 2)
            return fail(err, err_len, "bad BYDAY value ", item);
        int wd = weekday_code(item.s + k);
        if (wd < 0)
            return fail(err, err_len, "bad BYDAY weekday ", item);

        struct rrule_byday bd = {(int8_t)wd, (int8_t)(sign * ordinal)};
        bool dup = false;
        for (size_t j = 0; j < r->n_byday; j++)
            if (r->byday[j].weekday == bd.weekday && r->byday[j].ordinal == bd.ordinal)
                dup = true;
        if (!dup) {
            if (r->n_byday == RRULE_MAX_BYDAY)
                return fail(err, err_len, "too many BYDAY entries", NO_DETAIL);
            r->byday[r->n_byday++] = bd;
        }
        if (i == v.len)
            return true;
        i++; /* the comma; a trailing one yields an empty item, refused above */
    }
}

static bool valid_date(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
           d <= civil_days_in_month(y, m);
}

static bool digits_at(struct span v, size_t at, size_t n, int *out)
{
    struct span sub = {v.s + at, n};
    return at + n <= v.len && parse_uint(sub, 0, 999999999, out);
}

static bool parse_until(struct span v, struct rrule *r, char *err, size_t err_len)
{
    int y, m, d;
    if (!digits_at(v, 0, 4, &y) || !digits_at(v, 4, 2, &m) ||
        !digits_at(v, 6, 2, &d) || !valid_date(y, m, d))
        return fail(err, err_len, "bad UNTIL value ", v);
    if (v.len == 8) {
        /* The whole local day is included: store the exclusive end. */
        struct local_time lt = {.year = y, .month = m, .day = d};
        civil_add_days(&lt, 1);
        r->has_until = true;
        r->until_is_date = true;
        r->until = tz_from_local(&lt);
        return true;
    }
    int hh, mm, ss;
    if (v.len < 15 || v.s[8] != 'T' || !digits_at(v, 9, 2, &hh) ||
        !digits_at(v, 11, 2, &mm) || !digits_at(v, 13, 2, &ss) || hh > 23 ||
        mm > 59 || ss > 60)
        return fail(err, err_len, "bad UNTIL value ", v);
    if (v.len == 15)
        return fail(err, err_len, "unsupported UNTIL local date-time ", v);
    if (v.len != 16 || v.s[15] != 'Z')
        return fail(err, err_len, "bad UNTIL value ", v);
    /* Build it as an RFC 3339 string so one parser owns UTC arithmetic. */
    char buf[80];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh,
             mm, ss);
    int64_t t;
    if (!rfc3339_parse(buf, &t))
        return fail(err, err_len, "bad UNTIL value ", v);
    r->has_until = true;
    r->until_is_date = false;
    r->until = t;
    return true;
}

static bool parse_freq(struct span v, struct rrule *r, char *err, size_t err_len)
{
    static const char *const unsupported[] = {"YEARLY", "HOURLY", "MINUTELY",
                                              "SECONDLY"};
    if (span_is(v, "DAILY")) {
        r->freq = RRULE_DAILY;
        return true;
    }
    if (span_is(v, "WEEKLY")) {
        r->freq = RRULE_WEEKLY;
        return true;
    }
    if (span_is(v, "MONTHLY")) {
        r->freq = RRULE_MONTHLY;
        return true;
    }
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
        if (span_is(v, unsupported[i]))
            return fail(err, err_len, "unsupported FREQ ", v);
    return fail(err, err_len, "bad FREQ ", v);
}

enum part { P_FREQ, P_INTERVAL, P_BYDAY, P_COUNT, P_UNTIL, P_COUNT_OF };

bool rrule_parse(const char *text, struct rrule *out, char *err, size_t err_len)
{
    static const char *const names[P_COUNT_OF] = {"FREQ", "INTERVAL", "BYDAY",
                                                  "COUNT", "UNTIL"};
    if (err != NULL && err_len > 0)
        err[0] = '\0';
    if (text == NULL)
        return fail(err, err_len, "empty rrule", NO_DETAIL);
    if (strncmp(text, "RRULE:", 6) == 0)
        text += 6;
    if (*text == '\0')
        return fail(err, err_len, "empty rrule", NO_DETAIL);

    /* Work on a copy so a failed parse leaves *out untouched. */
    struct rrule r;
    memset(&r, 0, sizeof r);
    r.interval = 1;
    bool seen[P_COUNT_OF] = {false};

    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        struct span part = {p, len};
        const char *eq = memchr(p, '=', len);
        if (len == 0)
            return fail(err, err_len, "empty rrule part", NO_DETAIL);
        if (eq == NULL)
            return fail(err, err_len, "malformed rrule part ", part);
        struct span key = {p, (size_t)(eq - p)};
        struct span val = {eq + 1, len - key.len - 1};

        int which = -1;
        for (int i = 0; i < P_COUNT_OF; i++)
            if (span_is(key, names[i]))
                which = i;
        if (which < 0)
            return fail(err, err_len, "unsupported rrule part ", key);
        if (seen[which])
            return fail(err, err_len, "duplicate rrule part ", key);
        seen[which] = true;
        if (val.len == 0)
            return fail(err, err_len, "empty value for ", key);

        bool ok = true;
        switch (which) {
        case P_FREQ:
            ok = parse_freq(val, &r, err, err_len);
            break;
        case P_INTERVAL:
            if (!parse_uint(val, 1, 1000, &r.interval))
                return fail(err, err_len, "bad INTERVAL ", val);
            break;
        case P_COUNT:
            if (!parse_uint(val, 1, 100000, &r.count))
                return fail(err, err_len, "bad COUNT ", val);
            break;
        case P_BYDAY:
            ok = parse_byday(val, &r, err, err_len);
            break;
        case P_UNTIL:
            ok = parse_until(val, &r, err, err_len);
            break;
        default:
            break;
        }
        if (!ok)
            return false;
        if (end == NULL)
            break;
        p = end + 1;
    }

    if (!seen[P_FREQ])
        return fail(err, err_len, "missing FREQ", NO_DETAIL);
    if (seen[P_COUNT] && seen[P_UNTIL])
        return fail(err, err_len, "COUNT and UNTIL together", NO_DETAIL);
    if (r.freq != RRULE_MONTHLY)
        for (size_t i = 0; i < r.n_byday; i++)
            if (r.byday[i].ordinal != 0)
                return fail(err, err_len,
                            "BYDAY ordinal needs FREQ=MONTHLY", NO_DETAIL);
    *out = r;
    return true;
}

/* --------------------------------------------------------------- expand */

struct sink {
    const int64_t *exdates;
    size_t n_exdates;
    int64_t window_start, window_end;
    int64_t *out;
    size_t max_out, n;
};

/* Returns true once out is full, so the caller can stop. */
static bool emit(struct sink *s, int64_t t)
{
    if (t < s->window_start || t >= s->window_end)
        return false;
    for (size_t i = 0; i < s->n_exdates; i++)
        if (s->exdates[i] == t)
            return false;
    s->out[s->n++] = t;
    return s->n == s->max_out;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Callers may pass INT64_MIN/MAX as "unbounded"; billions of years are
 * as good for date arithmetic and leave room to add offsets. */
static int64_t clamp_instant(int64_t t)
{
    const int64_t lim = (int64_t)1 << 56;
    return t > lim ? lim : t < -lim ? -lim : t;
}

/* Days since the epoch of the local date holding t. */
static int64_t local_day(int64_t t)
{
    t = clamp_instant(t);
    return floor_div(t + tz_offset_at(t), SECS_PER_DAY);
}

static bool byday_matches_month(const struct rrule *r, int wd, int day, int dim)
{
    int nth = (day - 1) / 7 + 1;
    int nth_from_end = (dim - day) / 7 + 1;
    for (size_t i = 0; i < r->n_byday; i++) {
        const struct rrule_byday *b = &r->byday[i];
        if (b->weekday != wd)
            continue;
        if (b->ordinal == 0 || b->ordinal == nth || b->ordinal == -nth_from_end)
            return true;
    }
    return false;
}

/* The candidate dates of period p (ascending) and the period's first day.
 * All offsets stay far inside int: p is bounded by the caller. */
static int period_dates(const struct rrule *r, const struct local_time *start,
                        unsigned weekday_mask, int64_t p,
                        struct local_time *first, struct local_time dates[31])
{
    int n = 0;
    *first = *start;
    switch (r->freq) {
    case RRULE_DAILY:
        civil_add_days(first, (int)(p * r->interval));
        if (weekday_mask & (1u << first->wday))
            dates[n++] = *first;
        break;
    case RRULE_WEEKLY:
        civil_add_days(first, (int)(p * r->interval * 7) - start->wday);
        for (int wd = 0; wd < 7; wd++) {
            if (weekday_mask & (1u << wd)) {
                dates[n] = *first;
                civil_add_days(&dates[n], wd);
                n++;
            }
        }
        break;
    case RRULE_MONTHLY: {
        int64_t m0 = (int64_t)start->year * 12 + (start->month - 1) + p * r->interval;
        first->year = (int)floor_div(m0, 12);
        first->month = (int)(m0 - floor_div(m0, 12) * 12) + 1;
        first->day = 1;
        first->wday = civil_weekday(first->year, first->month, 1);
        int dim = civil_days_in_month(first->year, first->month);
        if (r->n_byday == 0) {
            if (start->day <= dim) {
                dates[n] = *first;
                dates[n].day = start->day;
                n++;
            }
            break;
        }
        for (int d = 1; d <= dim; d++) {
            int wd = (first->wday + d - 1) % 7;
            if (byday_matches_month(r, wd, d, dim)) {
                dates[n] = *first;
                dates[n].day = d;
                dates[n].wday = wd;
                n++;
            }
        }
        break;
    }
    }
    return n;
}

/* Orders civil dates; only comparisons are made with it. */
static int64_t date_key(const struct local_time *lt)
{
    return (int64_t)lt->year * 10000 + lt->month * 100 + lt->day;
}

/* The key of the local date of t, moved by days. */
static int64_t date_key_of(int64_t t, int days)
{
    struct local_time lt;
    tz_to_local(clamp_instant(t), &lt);
    civil_add_days(&lt, days);
    return date_key(&lt);
}

/* How many whole periods lie between dtstart's and the window's, less one
 * for slack: candidates of earlier periods all fall before the window. */
static int64_t periods_to_skip(const struct rrule *r, const struct local_time *start,
                               int64_t dtstart, int64_t window_start)
{
    if (window_start <= dtstart)
        return 0;
    struct local_time w;
    tz_to_local(window_start, &w);
    int64_t k;
    switch (r->freq) {
    case RRULE_DAILY:
        k = (local_day(window_start) - local_day(dtstart)) / r->interval;
        break;
    case RRULE_WEEKLY:
        k = ((local_day(window_start) - w.wday) - (local_day(dtstart) - start->wday)) /
            7 / r->interval;
        break;
    default:
        k = (((int64_t)w.year * 12 + w.month) - ((int64_t)start->year * 12 + start->month)) /
            r->interval;
        break;
    }
    return k > 1 ? k - 1 : 0;
}

/* A window some 550 years past dtstart gets nothing beyond dtstart: it
 * keeps every day offset inside int, and feed dates (1900-2200) never get
 * that far apart. */
#define MAX_SKIP_DAYS 200000

size_t rrule_expand(const struct rrule *rule, int64_t dtstart,
                    const int64_t *exdates, size_t n_exdates,
                    int64_t window_start, int64_t window_end,
                    int64_t *out, size_t max_out)
{
    return rrule_expand_cached(rule, dtstart, exdates, n_exdates, window_start, window_end, out,
                               max_out, NULL);
}

size_t rrule_expand_cached(const struct rrule *rule, int64_t dtstart,
                           const int64_t *exdates, size_t n_exdates,
                           int64_t window_start, int64_t window_end,
                           int64_t *out, size_t max_out, struct tz_day_cache *cache)
{
    struct sink sink = {exdates, n_exdates, window_start, window_end, out, max_out, 0};
    if (out == NULL || max_out == 0 || window_end <= window_start)
        return 0;
    if (emit(&sink, dtstart) || rule == NULL || dtstart >= window_end)
        return sink.n;
    if (rule->count == 1)
        return sink.n;

    int64_t until_excl = INT64_MAX;
    if (rule->has_until)
        until_excl = rule->until_is_date ? rule->until
                     : (rule->until < INT64_MAX ? rule->until + 1 : INT64_MAX);

    struct local_time start;
    tz_to_local(dtstart, &start);

    unsigned weekday_mask = 0;
    for (size_t i = 0; i < rule->n_byday; i++)
        weekday_mask |= 1u << rule->byday[i].weekday;
    if (rule->n_byday == 0)
        weekday_mask = rule->freq == RRULE_DAILY ? 0x7fu : 1u << start.wday;

    /* Without COUNT nothing before the window matters, so start a period
     * or so short of it; with COUNT every earlier occurrence must be
     * counted, which RRULE_MAX_STEPS bounds. */
    int64_t p = 0;
    if (rule->count == 0) {
        if (window_start > dtstart &&
            local_day(window_start) - local_day(dtstart) > MAX_SKIP_DAYS)
            return sink.n;
        p = periods_to_skip(rule, &start, dtstart, window_start);
    }

    /* Instants cost several localtime calls; a COUNT rule may have to
     * count a century of occurrences, so candidates on dates clearly
     * between dtstart and the window are counted by date alone. The
     * two-day margins absorb any DST shift of the wall clock. */
    int64_t safe_after = date_key_of(dtstart, 2);
    int64_t safe_before = date_key_of(window_start, -2);
    int64_t stop_after = date_key_of(window_end < until_excl ? window_end : until_excl, 2);

    int produced = 1; /* dtstart */
    for (long steps = 0; steps < RRULE_MAX_STEPS; steps++, p++) {
        struct local_time first, dates[31];
        int n = period_dates(rule, &start, weekday_mask, p, &first, dates);
        if (date_key(&first) > stop_after)
            break;
        for (int i = 0; i < n; i++) {
            int64_t key = date_key(&dates[i]);
            if (key >= safe_after && key <= safe_before) {
                produced++;
                if (rule->count != 0 && produced >= rule->count)
                    return sink.n;
                continue;
            }
            dates[i].hour = start.hour;
            dates[i].minute = start.minute;
            dates[i].second = start.second;
            int64_t t = tz_from_local_cached(&dates[i], cache);
            if (t <= dtstart)
                continue; /* before dtstart, or dtstart itself: already counted */
            if (t >= until_excl || t >= window_end)
                return sink.n;
            produced++;
            if (emit(&sink, t))
                return sink.n;
            if (rule->count != 0 && produced >= rule->count)
                return sink.n;
        }
    }
    return sink.n;
}
