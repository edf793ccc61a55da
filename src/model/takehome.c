/*
 * Take-home texts: an iCalendar event or a vCard, written line by line
 * with RFC 5545 / RFC 6350 content-line rules.
 */
#include "model/takehome.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/timeutil.h"
#include "base/utf8.h"

/* RFC 5545 3.1 and RFC 6350 3.2: lines SHOULD NOT be longer than 75
 * octets, excluding the line break; a longer one continues on the next
 * line after one space. */
#define LINE_OCTETS 75
#define URL_MAX 512

struct writer {
    char *out;
    size_t cap, len;
    size_t line;                 /* octets on the current line */
    bool bad;                    /* out of room: the result is refused */
};

static void append(struct writer *w, const char *s, size_t n)
{
    if (w->bad || w->len + n + 1 > w->cap) {
        w->bad = true;
        return;
    }
    memcpy(w->out + w->len, s, n);
    w->len += n;
    w->out[w->len] = '\0';
}

/* One piece that a fold must not split: a UTF-8 character (scanners that
 * do not unfold before decoding would break it) or an escape. */
static void unit(struct writer *w, const char *s, size_t n)
{
    if (w->line + n > LINE_OCTETS) {
        append(w, "\r\n ", 3);
        w->line = 1;
    }
    append(w, s, n);
    w->line += n;
}

static void raw(struct writer *w, const char *s)
{
    for (; *s; s++)
        unit(w, s, 1);
}

static void end_line(struct writer *w)
{
    append(w, "\r\n", 2);
    w->line = 0;
}

/* A TEXT value (RFC 5545 3.3.11; vCard the same): backslash, semicolon,
 * comma and line breaks escaped; other control characters, which a TEXT
 * may not hold, left out; malformed UTF-8 as U+FFFD. At most max bytes of
 * s are taken, cut at a character, with "…" after a cut. */
static void text(struct writer *w, const char *s, size_t max)
{
    size_t total = strlen(s), n = total;
    bool cut = n > max;
    if (cut)
        n = max;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = utf8_decode(s + i, total - i, &cp);
        if (cut && i + k > n)
            break;
        unsigned char ch = (unsigned char)s[i];
        if (cp == '\\')
            unit(w, "\\\\", 2);
        else if (cp == ';')
            unit(w, "\\;", 2);
        else if (cp == ',')
            unit(w, "\\,", 2);
        else if (cp == '\n')
            unit(w, "\\n", 2);
        else if (cp == '\t')
            unit(w, " ", 1);
        else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            ; /* CR (of CRLF) and the other controls */
        else if (cp == UTF8_REPLACEMENT && !(k == 3 && ch == 0xEF))
            unit(w, "\xEF\xBF\xBD", 3);
        else
            unit(w, s + i, k);
        i += k;
    }
    if (cut)
        unit(w, "\xE2\x80\xA6", 3);
}

static void property(struct writer *w, const char *name, const char *value, size_t max)
{
    raw(w, name);
    unit(w, ":", 1);
    text(w, value, max);
    end_line(w);
}

static bool empty(const char *s)
{
    return !s || !*s;
}

/* feed-v1's ids: [A-Za-z0-9_-]{1,128}. */
static bool id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 128)
        return false;
    return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* A TZID parameter value written unquoted: an IANA name's characters. */
static bool tzid_ok(const char *tz)
{
    size_t n = strlen(tz);
    return n > 0 && n <= 64 &&
           strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/+-") == n;
}

bool takehome_url_ok(const char *url)
{
    if (empty(url) || strlen(url) > URL_MAX)
        return false;
    size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
    if (!scheme || url[scheme] == '\0' || url[scheme] == '/')
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return false;
    return true;
}

#define STAMP_LEN 24

/* YYYYMMDDTHHMMSS (the fields are in range; the casts and % only tell the
 * compiler how wide they print) */
static void stamp_of(char out[STAMP_LEN], int year, int month, int day, int hour, int minute,
                     int second, const char *suffix)
{
    snprintf(out, STAMP_LEN, "%04u%02u%02uT%02u%02u%02u%s", (unsigned)year % 10000u,
             (unsigned)month % 100u, (unsigned)day % 100u, (unsigned)hour % 100u,
             (unsigned)minute % 100u, (unsigned)second % 100u, suffix);
}

static void local_stamp(int64_t t, char out[STAMP_LEN])
{
    struct local_time lt;
    tz_to_local(t, &lt);
    stamp_of(out, lt.year, lt.month, lt.day, lt.hour, lt.minute, lt.second, "");
}

static void utc_stamp(int64_t t, char out[STAMP_LEN])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    stamp_of(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             "Z");
}

static int finish(struct writer *w)
{
    if (w->bad) {
        if (w->cap)
            w->out[0] = '\0';
        return -1;
    }
    return (int)w->len;
}

static int refuse(char *out, size_t cap)
{
    if (out && cap)
        out[0] = '\0';
    return -1;
}

int takehome_vevent(const struct takehome_event *e, char *out, size_t cap)
{
    if (!out || cap == 0 || !e || empty(e->id) || !id_ok(e->id) || empty(e->title) ||
        empty(e->tzid) || !tzid_ok(e->tzid) || e->start <= 0 || e->stamp <= 0)
        return refuse(out, cap);
    struct writer w = {.out = out, .cap = cap};
    out[0] = '\0';
    char start_local[STAMP_LEN], end_local[STAMP_LEN], start_utc[STAMP_LEN], stamp[STAMP_LEN];
    local_stamp(e->start, start_local);
    utc_stamp(e->start, start_utc);
    utc_stamp(e->stamp, stamp);

    raw(&w, "BEGIN:VCALENDAR"); end_line(&w);
    raw(&w, "VERSION:2.0"); end_line(&w);
    raw(&w, "PRODID:-//buurtkiosk//take-home//NL"); end_line(&w);
    raw(&w, "BEGIN:VEVENT"); end_line(&w);
    /* The same occurrence gives the same UID on every kiosk, so a phone
     * that scans it twice updates one event instead of adding another. */
    raw(&w, "UID:"); raw(&w, e->id); raw(&w, "-"); raw(&w, start_utc); raw(&w, "@buurtkiosk");
    end_line(&w);
    raw(&w, "DTSTAMP:"); raw(&w, stamp); end_line(&w);
    raw(&w, "DTSTART;TZID="); raw(&w, e->tzid); raw(&w, ":"); raw(&w, start_local); end_line(&w);
    if (e->end > e->start) {
        local_stamp(e->end, end_local);
        raw(&w, "DTEND;TZID="); raw(&w, e->tzid); raw(&w, ":"); raw(&w, end_local); end_line(&w);
    }
    property(&w, "SUMMARY", e->title, SIZE_MAX);
    if (!empty(e->location))
        property(&w, "LOCATION", e->location, SIZE_MAX);
    if (!empty(e->description))
        property(&w, "DESCRIPTION", e->description, TAKEHOME_DESCRIPTION_MAX);
    if (takehome_url_ok(e->url)) {
        raw(&w, "URL:"); raw(&w, e->url); end_line(&w);
    }
    raw(&w, e->tentative ? "STATUS:TENTATIVE" : "STATUS:CONFIRMED"); end_line(&w);
    raw(&w, "END:VEVENT"); end_line(&w);
    raw(&w, "END:VCALENDAR"); end_line(&w);
    return finish(&w);
}

int takehome_vcard(const struct takehome_card *c, char *out, size_t cap)
{
    if (!out || cap == 0 || !c || empty(c->name) ||
        (empty(c->phone) && empty(c->email) && empty(c->address)))
        return refuse(out, cap);
    struct writer w = {.out = out, .cap = cap};
    out[0] = '\0';
    /* 3.0 rather than 4.0: the phones' cameras and contact apps read it
     * everywhere; N is required there, and a service is named by it. */
    raw(&w, "BEGIN:VCARD"); end_line(&w);
    raw(&w, "VERSION:3.0"); end_line(&w);
    raw(&w, "N:"); text(&w, c->name, SIZE_MAX); raw(&w, ";;;;"); end_line(&w);
    property(&w, "FN", c->name, SIZE_MAX);
    if (!empty(c->organization))
        property(&w, "ORG", c->organization, SIZE_MAX);
    if (!empty(c->phone))
        property(&w, "TEL;TYPE=WORK,VOICE", c->phone, SIZE_MAX);
    if (!empty(c->email))
        property(&w, "EMAIL;TYPE=INTERNET", c->email, SIZE_MAX);
    if (!empty(c->address) || !empty(c->place)) {
        /* post office box; extended address; street; locality; region;
         * postal code; country. feed-v1 has the address as one line. */
        raw(&w, "ADR;TYPE=WORK:;");
        text(&w, empty(c->place) ? "" : c->place, SIZE_MAX);
        raw(&w, ";");
        text(&w, empty(c->address) ? "" : c->address, SIZE_MAX);
        raw(&w, ";;;;");
        end_line(&w);
    }
    if (takehome_url_ok(c->url)) {
        raw(&w, "URL:"); raw(&w, c->url); end_line(&w);
    }
    raw(&w, "END:VCARD"); end_line(&w);
    return finish(&w);
}
