/*
 * What a resident can take home from a detail screen with a phone's
 * camera: the item's own web address, an iCalendar event (RFC 5545) of an
 * activity's occurrence, or a contact card (vCard 3.0, RFC 2426 / 6350)
 * of a service. Only texts the feed published go in: never a resident's
 * name, phone or e-mail, not even after a sign-up (the event then holds
 * the activity only).
 *
 * The builders write into the caller's buffer (no allocation), as CRLF
 * lines folded at 75 octets, with TEXT values escaped. They return the
 * length written (without the NUL), or -1 when a required field is
 * missing or empty, a value cannot be written safely, or out is too small;
 * out is then "" (when cap > 0).
 */
#ifndef BK_TAKEHOME_H
#define BK_TAKEHOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A description longer than this (in bytes) is cut at a character with
 * "…": the code must stay small enough to scan from a kiosk screen. */
#define TAKEHOME_DESCRIPTION_MAX 160

/* One occurrence of an activity. Times are instants; they are written as
 * the local time of the process's zone (tz_use_zone), which must be the
 * zone named by tzid. */
struct takehome_event {
    const char *id;           /* required: the activity's id (feed-v1 ids are [A-Za-z0-9_-]) */
    const char *title;        /* required: SUMMARY */
    const char *tzid;         /* required: the kiosk's IANA zone, e.g. "Europe/Amsterdam" */
    int64_t start;            /* required, > 0 */
    int64_t end;              /* <= start: no DTEND */
    int64_t stamp;            /* DTSTAMP: when the code was made, > 0 */
    const char *location;     /* NULL or "": none; the place's name and address */
    const char *description;  /* NULL or "": none; shortened to TAKEHOME_DESCRIPTION_MAX */
    const char *url;          /* NULL or "": none; left out unless takehome_url_ok */
    bool tentative;           /* on a waiting list: STATUS:TENTATIVE, else CONFIRMED */
};

int takehome_vevent(const struct takehome_event *e, char *out, size_t cap);

/* A service as a contact. At least one way to reach it (phone, e-mail or
 * address) is required: a card with a name only is nothing to take home. */
struct takehome_card {
    const char *name;         /* required: the service's name (FN, and N's family part) */
    const char *organization; /* NULL or "": none */
    const char *phone;        /* NULL or "": none */
    const char *email;        /* NULL or "": none */
    const char *place;        /* NULL or "": none; the location's name (ADR extended address) */
    const char *address;      /* NULL or "": none; one line (ADR street address) */
    const char *url;          /* NULL or "": none; left out unless takehome_url_ok */
};

int takehome_vcard(const struct takehome_card *c, char *out, size_t cap);

/* Whether url can be the code by itself: http:// or https://, a host,
 * no spaces or control characters, at most 512 bytes. */
bool takehome_url_ok(const char *url);

#endif
