/*
 * Take-home texts (model/takehome.c) and their QR matrix (model/qr.c):
 * table-driven, with must-fail rows. Every text built is also checked for
 * the content-line rules: CRLF endings, no physical line over 75 octets,
 * no fold inside a UTF-8 character or an escape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/timeutil.h"
#include "model/qr.h"
#include "model/takehome.h"

#define MAX_WANT 8

static int64_t at(const char *rfc3339)
{
    int64_t t = 0;
    if (!rfc3339_parse(rfc3339, &t))
        fail_msg("bad test time %s", rfc3339);
    return t;
}

/* The physical rules of RFC 5545 3.1 / RFC 6350 3.2; returns the text
 * unfolded (CRLF + space removed), malloc'd. */
static char *check_lines(const char *name, const char *s, int len)
{
    if ((int)strlen(s) != len)
        fail_msg("%s: returned %d, wrote %zu", name, len, strlen(s));
    size_t n = strlen(s);
    if (n < 2 || s[n - 2] != '\r' || s[n - 1] != '\n')
        fail_msg("%s: does not end with CRLF", name);
    char *out = malloc(n + 1);
    size_t o = 0, line = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            fail_msg("%s: bare LF at %zu", name, i);
        if (s[i] == '\r') {
            if (s[i + 1] != '\n')
                fail_msg("%s: bare CR at %zu", name, i);
            if (line > 75)
                fail_msg("%s: a line of %zu octets", name, line);
            line = 0;
            if (s[i + 2] == ' ') {
                unsigned char next = (unsigned char)s[i + 3];
                if ((next & 0xC0) == 0x80)
                    fail_msg("%s: folded inside a UTF-8 character", name);
                if (o > 0 && out[o - 1] == '\\') {
                    /* an escape's backslash alone at a line's end */
                    size_t bs = 0;
                    while (bs < o && out[o - 1 - bs] == '\\')
                        bs++;
                    if (bs % 2)
                        fail_msg("%s: folded inside an escape", name);
                }
                i += 2; /* CR LF SP: the logical line goes on */
                line = 1;
                continue;
            }
            out[o++] = '\r';
            out[o++] = '\n';
            i++;
            continue;
        }
        out[o++] = s[i];
        line++;
    }
    out[o] = '\0';
    return out;
}

struct event_row {
    const char *name;
    struct takehome_event e;
    const char *start, *end, *stamp;
    size_t cap;                      /* 0: a large buffer */
    const char *want[MAX_WANT];      /* logical lines (with CRLF) that must appear; NULL: must fail */
    const char *not_want;            /* a text that must not appear */
};

static const struct event_row events[] = {
    {"plain", {.id = "act-koffie", .title = "Koffieochtend", .tzid = "Europe/Amsterdam",
               .location = "De Nieuwe Sleutel, Dorpsstraat 1, Amersfoort",
               .description = "Elke woensdag koffie."},
     "2026-11-25T10:00:00+01:00", "2026-11-25T11:30:00+01:00", "2026-11-25T09:00:00Z", 0,
     {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "BEGIN:VEVENT\r\n",
      "\r\nUID:act-koffie-20261125T090000Z@buurtkiosk\r\nDTSTAMP:20261125T090000Z\r\n",
      "\r\nDTSTART;TZID=Europe/Amsterdam:20261125T100000\r\n"
      "DTEND;TZID=Europe/Amsterdam:20261125T113000\r\n",
      "\r\nSUMMARY:Koffieochtend\r\n",
      "\r\nLOCATION:De Nieuwe Sleutel\\, Dorpsstraat 1\\, Amersfoort\r\n",
      "\r\nDESCRIPTION:Elke woensdag koffie.\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
      NULL},
     "URL:"},
    {"summer time, no end, no place", {.id = "a", .title = "Fietsles", .tzid = "Europe/Amsterdam"},
     "2026-07-01T14:00:00+02:00", NULL, "2026-06-30T08:00:00Z", 0,
     {"\r\nUID:a-20260701T120000Z@buurtkiosk\r\n",
      "\r\nDTSTART;TZID=Europe/Amsterdam:20260701T140000\r\nSUMMARY:Fietsles\r\n", NULL},
     "DTEND"},
    {"escaping", {.id = "x", .title = "Koffie; thee, en \\ koek\r\nTweede regel\tmet tab",
                  .tzid = "Europe/Amsterdam", .description = "bel\x01 aan\x7f"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0,
     {"\r\nSUMMARY:Koffie\\; thee\\, en \\\\ koek\\nTweede regel met tab\r\n",
      "\r\nDESCRIPTION:bel aan\r\n", NULL},
     "\x01"},
    {"url and waiting list", {.id = "x", .title = "Taalcafé", .tzid = "Europe/Amsterdam",
                              .url = "https://example.org/taal?a=1,2", .tentative = true},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0,
     {"\r\nSUMMARY:Taalcafé\r\n", "\r\nURL:https://example.org/taal?a=1,2\r\nSTATUS:TENTATIVE\r\n",
      NULL},
     NULL},
    {"a bad url is left out", {.id = "x", .title = "T", .tzid = "Europe/Amsterdam",
                               .url = "javascript:alert(1)"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0, {"SUMMARY:T\r\n", NULL},
     "URL"},
    {"folding of long Arabic and Latin text",
     {.id = "x", .tzid = "Europe/Amsterdam",
      .title = "مقهى اللغة للجميع: تعلم الهولندية مع الجيران كل أسبوع في المركز",
      .location = "Buurthuis De Nieuwe Sleutel, Dorpsstraat 1, 3811 AB Amersfoort, begane grond"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0,
     {"\r\nSUMMARY:مقهى اللغة للجميع: تعلم الهولندية مع الجيران كل أسبوع في المركز\r\n",
      "\r\nLOCATION:Buurthuis De Nieuwe Sleutel\\, Dorpsstraat 1\\, 3811 AB Amersfoort\\, "
      "begane grond\r\n", NULL},
     NULL},
    {"fold never splits an escape",
     {.id = "x", .tzid = "Europe/Amsterdam",
      .title = ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0,
     {"\r\nSUMMARY:\\,\\,\\,", NULL}, NULL},
    {"long description cut with an ellipsis",
     {.id = "x", .title = "T", .tzid = "Europe/Amsterdam",
      .description = "Een lange beschrijving die maar doorgaat en doorgaat, over koffie en thee "
                     "en de buren en het weer en de markt en de bibliotheek en nog veel meer dat "
                     "niet op een klein codeje past éééééé"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0,
     {"\r\nDESCRIPTION:Een lange beschrijving die maar doorgaat en doorgaat\\, over", "…\r\n",
      NULL},
     "past"},
    {"malformed UTF-8 becomes U+FFFD", {.id = "x", .title = "Caf\xe9 \xff", .tzid = "Europe/Amsterdam"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0,
     {"\r\nSUMMARY:Caf\xEF\xBF\xBD \xEF\xBF\xBD\r\n", "DTSTART;TZID=Europe/Amsterdam:20261125T100000\r\n", NULL}, NULL},
    /* must fail */
    {"no id", {.title = "T", .tzid = "Europe/Amsterdam"}, "2026-11-25T10:00:00+01:00", NULL,
     "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"empty id", {.id = "", .title = "T", .tzid = "Europe/Amsterdam"}, "2026-11-25T10:00:00+01:00",
     NULL, "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"id outside feed-v1", {.id = "a@b", .title = "T", .tzid = "Europe/Amsterdam"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"no title", {.id = "x", .tzid = "Europe/Amsterdam"}, "2026-11-25T10:00:00+01:00", NULL,
     "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"empty title", {.id = "x", .title = "", .tzid = "Europe/Amsterdam"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"no zone", {.id = "x", .title = "T"}, "2026-11-25T10:00:00+01:00", NULL,
     "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"zone that needs quoting", {.id = "x", .title = "T", .tzid = "Europe/Amsterdam;X=1"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"no start", {.id = "x", .title = "T", .tzid = "Europe/Amsterdam"}, NULL, NULL,
     "2026-11-25T09:00:00Z", 0, {NULL}, NULL},
    {"no stamp", {.id = "x", .title = "T", .tzid = "Europe/Amsterdam"},
     "2026-11-25T10:00:00+01:00", NULL, NULL, 0, {NULL}, NULL},
    {"buffer too small", {.id = "x", .title = "T", .tzid = "Europe/Amsterdam"},
     "2026-11-25T10:00:00+01:00", NULL, "2026-11-25T09:00:00Z", 100, {NULL}, NULL},
};

static void test_events(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof events / sizeof *events; i++) {
        const struct event_row *r = &events[i];
        struct takehome_event e = r->e;
        e.start = r->start ? at(r->start) : 0;
        e.end = r->end ? at(r->end) : 0;
        e.stamp = r->stamp ? at(r->stamp) : 0;
        char buf[4096];
        size_t cap = r->cap ? r->cap : sizeof buf;
        memset(buf, 'Z', sizeof buf);
        int len = takehome_vevent(&e, buf, cap);
        if (!r->want[0]) {
            if (len != -1 || buf[0] != '\0')
                fail_msg("%s: must fail, gave %d", r->name, len);
            continue;
        }
        if (len < 0)
            fail_msg("%s: refused", r->name);
        char *logical = check_lines(r->name, buf, len);
        for (size_t k = 0; k < MAX_WANT && r->want[k]; k++)
            if (!strstr(logical, r->want[k]))
                fail_msg("%s: no \"%s\" in\n%s", r->name, r->want[k], logical);
        if (r->not_want && strstr(logical, r->not_want))
            fail_msg("%s: has \"%s\"", r->name, r->not_want);
        free(logical);
    }
    assert_int_equal(takehome_vevent(NULL, (char[8]){0}, 8), -1);
}

struct card_row {
    const char *name;
    struct takehome_card c;
    size_t cap;
    const char *want;                /* the whole logical text; NULL: must fail */
};

static const struct card_row cards[] = {
    {"full", {.name = "Hulp bij geldzaken", .organization = "Schuldhulpmaatjes",
              .phone = "033-1234567", .email = "geld@example.org", .place = "De Nieuwe Sleutel",
              .address = "Dorpsstraat 1, 3811 AB Amersfoort"}, 0,
     "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hulp bij geldzaken;;;;\r\nFN:Hulp bij geldzaken\r\n"
     "ORG:Schuldhulpmaatjes\r\nTEL;TYPE=WORK,VOICE:033-1234567\r\n"
     "EMAIL;TYPE=INTERNET:geld@example.org\r\n"
     "ADR;TYPE=WORK:;De Nieuwe Sleutel;Dorpsstraat 1\\, 3811 AB Amersfoort;;;;\r\nEND:VCARD\r\n"},
    {"phone only", {.name = "Buurtteam", .phone = "+31 33 123 4567"}, 0,
     "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Buurtteam;;;;\r\nFN:Buurtteam\r\n"
     "TEL;TYPE=WORK,VOICE:+31 33 123 4567\r\nEND:VCARD\r\n"},
    {"escaping in N, ORG and ADR", {.name = "Hulp; advies, en meer", .organization = "A\\B",
                                     .address = "Straat 1;\nAmersfoort", .url = "https://example.org"},
     0,
     "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hulp\\; advies\\, en meer;;;;\r\nFN:Hulp\\; advies\\, en meer\r\n"
     "ORG:A\\\\B\r\nADR;TYPE=WORK:;;Straat 1\\;\\nAmersfoort;;;;\r\nURL:https://example.org\r\n"
     "END:VCARD\r\n"},
    {"Arabic name folded", {.name = "مساعدة في الشؤون المالية والديون والرسائل من البلدية للجميع",
                            .email = "a@example.org"}, 0,
     "BEGIN:VCARD\r\nVERSION:3.0\r\nN:مساعدة في الشؤون المالية والديون والرسائل من البلدية للجميع;;;;\r\n"
     "FN:مساعدة في الشؤون المالية والديون والرسائل من البلدية للجميع\r\n"
     "EMAIL;TYPE=INTERNET:a@example.org\r\nEND:VCARD\r\n"},
    /* must fail */
    {"no name", {.phone = "033-1234567"}, 0, NULL},
    {"empty name", {.name = "", .phone = "033-1234567"}, 0, NULL},
    {"no way to reach it", {.name = "Hulp", .organization = "Org", .url = "https://example.org"}, 0,
     NULL},
    {"empty ways to reach it", {.name = "Hulp", .phone = "", .email = "", .address = ""}, 0, NULL},
    {"buffer too small", {.name = "Hulp", .phone = "033-1234567"}, 40, NULL},
};

static void test_cards(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cards / sizeof *cards; i++) {
        const struct card_row *r = &cards[i];
        char buf[4096];
        size_t cap = r->cap ? r->cap : sizeof buf;
        memset(buf, 'Z', sizeof buf);
        int len = takehome_vcard(&r->c, buf, cap);
        if (!r->want) {
            if (len != -1 || buf[0] != '\0')
                fail_msg("%s: must fail, gave %d", r->name, len);
            continue;
        }
        if (len < 0)
            fail_msg("%s: refused", r->name);
        char *logical = check_lines(r->name, buf, len);
        if (strcmp(logical, r->want) != 0)
            fail_msg("%s: got\n%s\nwant\n%s", r->name, logical, r->want);
        free(logical);
    }
    assert_int_equal(takehome_vcard(NULL, (char[8]){0}, 8), -1);
}

struct url_row {
    const char *url;
    bool ok;
};

static const struct url_row urls[] = {
    {"https://example.org", true},
    {"http://example.org/a?b=c,d;e", true},
    {"https://indebuurt033.nl/activiteit/koffie#top", true},
    /* must fail */
    {NULL, false},
    {"", false},
    {"example.org", false},
    {"ftp://example.org", false},
    {"javascript:alert(1)", false},
    {"https://", false},
    {"https:///path", false},
    {"https://exa mple.org", false},
    {"https://example.org/\nBEGIN:VEVENT", false},
    {"https://example.org/\x7f", false},
};

static void test_urls(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++)
        if (takehome_url_ok(urls[i].url) != urls[i].ok)
            fail_msg("url '%s': want %d", urls[i].url ? urls[i].url : "(null)", urls[i].ok);
    char big[600];
    memcpy(big, "https://", 8);
    memset(big + 8, 'a', sizeof big - 9);
    big[sizeof big - 1] = '\0';
    assert_false(takehome_url_ok(big));
}

struct qr_row {
    const char *name;
    size_t repeat;                   /* text is repeated this often (long texts) */
    const char *text;
    int side;                        /* 0: must fail */
};

static const struct qr_row qrs[] = {
    {"short url", 1, "https://example.org", 25},   /* version 2 at level M */
    {"one byte", 1, "x", 21},                       /* version 1 */
    {"UTF-8", 1, "Taalcafé مقهى", 25},
    {"a vevent's size", 300, "a", 69},              /* version 13: 288..331 bytes at M */
    {"the largest", 666, "a", 97},                  /* version 20 at M: 666 bytes */
    /* must fail */
    {"NULL", 1, NULL, 0},
    {"empty", 1, "", 0},
    {"too long for a kiosk code", 667, "a", 0},
};

static void test_qr(void **state)
{
    (void)state;
    static struct qr_code code;
    for (size_t i = 0; i < sizeof qrs / sizeof *qrs; i++) {
        const struct qr_row *r = &qrs[i];
        char *text = NULL;
        if (r->text) {
            size_t n = strlen(r->text);
            text = malloc(n * r->repeat + 1);
            for (size_t k = 0; k < r->repeat; k++)
                memcpy(text + k * n, r->text, n);
            text[n * r->repeat] = '\0';
        }
        bool ok = qr_encode(text, &code);
        free(text);
        if (ok != (r->side > 0) || code.side != r->side)
            fail_msg("%s: side %d (ok %d), want %d", r->name, code.side, ok, r->side);
        if (!ok)
            continue;
        /* The three finder patterns: a dark 7x7 ring with a dark centre. */
        int n = code.side;
        const int corners[3][2] = {{0, 0}, {0, n - 7}, {n - 7, 0}};
        for (int c = 0; c < 3; c++) {
            int y0 = corners[c][0], x0 = corners[c][1];
            for (int k = 0; k < 7; k++) {
                assert_int_equal(code.dark[y0 * n + x0 + k], 1);
                assert_int_equal(code.dark[(y0 + 6) * n + x0 + k], 1);
                assert_int_equal(code.dark[(y0 + k) * n + x0], 1);
            }
            assert_int_equal(code.dark[(y0 + 1) * n + x0 + 1], 0);
            assert_int_equal(code.dark[(y0 + 3) * n + x0 + 3], 1);
        }
    }
}

int main(void)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_cards),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_qr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
