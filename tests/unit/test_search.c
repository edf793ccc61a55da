/*
 * Search: the query parser and builder (model/search.c), table-driven with
 * must-fail rows, and store_search on a real SQLite file holding the
 * sample feed plus an activity titled in Turkish, Arabic, Ukrainian and
 * Polish: expected hits for missing accents, typos, prefixes, other
 * languages' titles, places, topics and services, queries with no hits,
 * and FTS5 syntax typed in as text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/timeutil.h"
#include "model/search.h"
#include "model/store.h"
#include "temp_store.h"

/* ---- the parser ---- */

struct parse_row {
    const char *input;
    size_t len;                 /* 0: strlen(input) */
    enum search_parse result;
    const char *words;          /* the words joined with '|', for SEARCH_OK */
};

static void test_parse_table(void **state)
{
    (void)state;
    static char long_word[SEARCH_WORD_MAX + 2], max_word[SEARCH_WORD_MAX + 1];
    static char too_long[SEARCH_INPUT_MAX + 2];
    memset(long_word, 'a', SEARCH_WORD_MAX + 1);
    memset(max_word, 'b', SEARCH_WORD_MAX);
    memset(too_long, ' ', SEARCH_INPUT_MAX + 1);
    const struct parse_row rows[] = {
        {"koffie", 0, SEARCH_OK, "koffie"},
        {"  Koffie   ochtend ", 0, SEARCH_OK, "Koffie|ochtend"},
        {"Digicafé", 0, SEARCH_OK, "Digicafé"},
        {"café,thee.koek", 0, SEARCH_OK, "café|thee|koek"},
        /* FTS5 syntax is punctuation: it separates, it never reaches MATCH raw */
        {"\"koffie\" OR title:x*", 0, SEARCH_OK, "koffie|OR|title|x"},
        {"NEAR(a b) ^c -d +e {f}", 0, SEARCH_OK, "NEAR|a|b|c|d|e|f"},
        {"65+", 0, SEARCH_OK, "65"},
        {"صباح القهوة", 0, SEARCH_OK, "صباح|القهوة"},
        {"Ранкова кава", 0, SEARCH_OK, "Ранкова|кава"},
        {"a b c d e f g h", 0, SEARCH_OK, "a|b|c|d|e|f|g|h"},
        {max_word, 0, SEARCH_OK, max_word},
        /* U+FFFD typed as itself is a character like any other */
        {"\xEF\xBF\xBD", 0, SEARCH_OK, "\xEF\xBF\xBD"},
        /* must fail */
        {"", 0, SEARCH_EMPTY, NULL},
        {"   ", 0, SEARCH_EMPTY, NULL},
        {"\"*():^", 0, SEARCH_EMPTY, NULL},
        {"caf\xE9", 0, SEARCH_BAD_UTF8, NULL},            /* Latin-1 */
        {"\xC3", 0, SEARCH_BAD_UTF8, NULL},                /* cut short */
        {"\xED\xA0\x80", 0, SEARCH_BAD_UTF8, NULL},        /* a surrogate */
        {"ab\0cd", 5, SEARCH_BAD_UTF8, NULL},              /* NUL inside */
        {"a b c d e f g h i", 0, SEARCH_TOO_MANY_WORDS, NULL},
        {long_word, 0, SEARCH_WORD_TOO_LONG, NULL},
        {too_long, 0, SEARCH_TOO_LONG, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct parse_row *r = &rows[i];
        struct search_query q;
        size_t len = r->len ? r->len : strlen(r->input);
        enum search_parse got = search_parse(r->input, len, &q);
        if (got != r->result)
            fail_msg("row %zu: %s, want %s", i, search_parse_name(got), search_parse_name(r->result));
        if (got != SEARCH_OK) {
            assert_int_equal(q.n_words, 0);
            continue;
        }
        char joined[1024] = "";
        for (size_t w = 0; w < q.n_words; w++) {
            if (w)
                strcat(joined, "|");
            strcat(joined, q.words[w].text);
        }
        if (strcmp(joined, r->words) != 0)
            fail_msg("row %zu: words %s, want %s", i, joined, r->words);
    }
}

/* ---- the builder ---- */

struct build_row {
    const char *words[3];
    const char *alts[3];        /* '|'-separated alternatives per word, or NULL */
    size_t buf_len;             /* 0: SEARCH_MATCH_MAX */
    bool ok;
    const char *match;
};

static void test_build_table(void **state)
{
    (void)state;
    const struct build_row rows[] = {
        {{"koffie"}, {NULL}, 0, true, "(\"koffie\"*)"},
        {{"koffie", "kruiskamp"}, {NULL}, 0, true, "(\"koffie\"*) AND (\"kruiskamp\"*)"},
        {{"kofie"}, {"koffie|kofje"}, 0, true, "(\"kofie\"* OR \"koffie\"* OR \"kofje\"*)"},
        /* a quote is doubled inside the string: never an operator */
        {{"a\"b"}, {NULL}, 0, true, "(\"a\"\"b\"*)"},
        {{"\""}, {NULL}, 0, true, "(\"\"\"\"*)"},
        {{"OR"}, {NULL}, 0, true, "(\"OR\"*)"},
        {{"x"}, {NULL}, 7, true, "(\"x\"*)"},
        /* must fail */
        {{NULL}, {NULL}, 0, false, ""},                      /* no word */
        {{""}, {NULL}, 0, false, ""},                        /* an empty word */
        {{"x"}, {NULL}, 6, false, ""},                       /* one byte short */
        {{"koffie", "kruiskamp"}, {NULL}, 20, false, ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct build_row *r = &rows[i];
        struct search_query q;
        memset(&q, 0, sizeof q);
        for (size_t w = 0; w < 3 && r->words[w]; w++) {
            snprintf(q.words[w].text, sizeof q.words[w].text, "%s", r->words[w]);
            for (const char *a = r->alts[w]; a && *a;) {
                size_t n = strcspn(a, "|");
                assert_true(search_add_alternative(&q.words[w], a, n));
                a += n + (a[n] == '|');
            }
            q.n_words++;
        }
        char buf[SEARCH_MATCH_MAX];
        size_t len = r->buf_len ? r->buf_len : sizeof buf;
        bool ok = search_build_match(&q, buf, len);
        if (ok != r->ok || strcmp(buf, r->match) != 0)
            fail_msg("row %zu: %d \"%s\", want %d \"%s\"", i, ok, buf, r->ok, r->match);
    }
}

static void test_alternatives(void **state)
{
    (void)state;
    struct search_word w;
    memset(&w, 0, sizeof w);
    snprintf(w.text, sizeof w.text, "kofie");
    assert_false(search_add_alternative(&w, "kofie", 5));      /* the word itself */
    assert_false(search_add_alternative(&w, "", 0));
    assert_false(search_add_alternative(&w, "a\0b", 3));
    assert_true(search_add_alternative(&w, "koffie", 6));
    assert_false(search_add_alternative(&w, "koffie", 6));     /* twice */
    for (int i = 1; i < SEARCH_ALTS_MAX; i++) {
        char alt[8];
        snprintf(alt, sizeof alt, "k%02d", i);
        assert_true(search_add_alternative(&w, alt, strlen(alt)));
    }
    assert_false(search_add_alternative(&w, "kofje", 5));      /* full */
    assert_int_equal(w.n_alt, SEARCH_ALTS_MAX);
}

/* ---- the distance ---- */

struct distance_row {
    const char *word, *term;
    int max;
    int distance;               /* -1: not within max */
    const char *prefix;         /* the prefix that is that close */
};

static void test_distance_table(void **state)
{
    (void)state;
    const struct distance_row rows[] = {
        {"koffie", "koffieochtend", 1, 0, "koffie"},
        {"kofie", "koffieochtend", 1, 1, "koffie"},           /* a letter missing */
        {"koffei", "koffieochtend", 1, 1, "koffi"},           /* one too many: the shortest */
        {"kofife", "koffieochtend", 1, 1, "koffie"},          /* two swapped */
        {"koffix", "koffieochtend", 1, 1, "koffi"},           /* one wrong */
        {"kofffie", "koffieochtend", 1, 1, "koffie"},         /* one too many */
        {"cafe", "cafe", 1, 0, "cafe"},
        {"kofi", "koffieochtend", 1, 1, "koff"},              /* never shorter than 4 */
        {"kof", "koffieochtend", 1, 0, "kof"},
        {"kafee", "kaffee", 1, 1, "kaffe"},
        {"ранкова", "ранковa", 1, 1, "ранков"},              /* Latin a for Cyrillic а */
        {"kahve", "kahvesi", 1, 0, "kahve"},
        /* must fail */
        {"hoffie", "koffieochtend", 1, -1, NULL},             /* the first letter is taken as typed */
        {"kfoeie", "koffieochtend", 1, -1, NULL},              /* two typos */
        {"koffie", "kop", 1, -1, NULL},
        {"", "koffie", 1, -1, NULL},
        {"koffie", "", 1, -1, NULL},
        {"koffie", "koffie", 3, -1, NULL},                    /* max out of range */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct distance_row *r = &rows[i];
        size_t prefix = 0;
        int d = search_prefix_distance(r->word, r->term, r->max, &prefix);
        if (d != r->distance)
            fail_msg("row %zu: %s ~ %s = %d, want %d", i, r->word, r->term, d, r->distance);
        if (d >= 0 && (prefix != strlen(r->prefix) || strncmp(r->term, r->prefix, prefix) != 0))
            fail_msg("row %zu: prefix %.*s, want %s", i, (int)prefix, r->term, r->prefix);
    }
}

/* ---- the store ---- */

struct fixture {
    char dir[TEMP_STORE_DIR_LEN];
    char path[TEMP_STORE_PATH_LEN];
    struct store *store;
    int64_t now;
};

/* The sample feed, and one activity more titled in four other languages. */
static char *test_feed(const char *assets)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sample-feed.json", assets);
    json_t *feed = json_load_file(path, 0, NULL);
    if (!feed)
        return NULL;
    json_t *acts = json_object_get(feed, "activities");
    json_t *extra = json_deep_copy(json_array_get(acts, 0));
    json_object_set_new(extra, "id", json_string("act-kahve"));
    json_object_set_new(extra, "title",
                        json_pack("{s:s, s:s, s:s, s:s}", "tr", "Kahve sabahı", "ar",
                                  "صباح القهوة", "uk", "Ранкова кава", "pl", "Poranna kawa"));
    json_object_del(extra, "summary");
    json_object_del(extra, "description");
    json_array_append_new(acts, extra);
    char *body = json_dumps(feed, JSON_COMPACT);
    json_decref(feed);
    return body;
}

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx || !rfc3339_parse("2026-11-25T10:00:00+01:00", &fx->now))
        return -1;
    fx->store = temp_store_open("search", fx->dir, fx->path);
    const char *assets = getenv("BK_ASSETS");
    char *body = assets ? test_feed(assets) : NULL;
    if (!fx->store || !body)
        return -1;
    struct feed_report report;
    enum feed_result r = store_apply_feed(fx->store, body, strlen(body), NULL, fx->now, &report);
    feed_report_clear(&report);
    free(body);
    *state = fx;
    return r == FEED_ACCEPTED ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    temp_store_remove(fx->store, fx->dir);
    free(fx);
    return 0;
}

struct hits {
    char ids[64][128];
    size_t n;
    int64_t starts[64];
};

static bool collect(void *ctx, const struct search_hit *hit)
{
    struct hits *h = ctx;
    if (h->n == 64)
        return false;
    if (hit->occurrence) {
        snprintf(h->ids[h->n], sizeof h->ids[0], "%s", hit->occurrence->activity_id);
        h->starts[h->n] = hit->occurrence->starts_at;
    } else {
        snprintf(h->ids[h->n], sizeof h->ids[0], "%s", hit->service->id);
    }
    h->n++;
    return true;
}

static bool has(const struct hits *h, const char *id)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->ids[i], id) == 0)
            return true;
    return false;
}

struct query_row {
    const char *query;
    const char *want[3];        /* ids that must be among the hits */
    const char *not_want;       /* an id that must not */
    bool no_hits;
};

static void test_queries(void **state)
{
    struct fixture *fx = *state;
    const struct query_row rows[] = {
        /* accents ignored, both ways */
        {"cafe", {"act-digicafe", "act-taalcafe-bieb", "act-repaircafe"}, NULL, false},
        {"Digicafé", {"act-digicafe"}, "act-taalcafe-bieb", false},
        {"digicafe", {"act-digicafe"}, NULL, false},
        {"DIGICAFÉ", {"act-digicafe"}, NULL, false},
        {"Taalcafè", {"act-taalcafe-bieb"}, NULL, false},
        /* prefixes while typing */
        {"k", {"act-koffieochtend-sleutel"}, NULL, false},
        {"koff", {"act-koffieochtend-sleutel"}, NULL, false},
        {"koffieocht", {"act-koffieochtend-sleutel"}, "act-digicafe", false},
        /* one typo per word */
        {"kofie", {"act-koffieochtend-sleutel"}, NULL, false},
        {"koffieohctend", {"act-koffieochtend-sleutel"}, NULL, false},
        {"kofieochtend", {"act-koffieochtend-sleutel"}, NULL, false},
        {"digicfae", {"act-digicafe"}, NULL, false},
        {"kofie kruiskmap", {"act-koffieochtend-sleutel"}, NULL, false},
        /* every word must match */
        {"koffie sinterklaas", {NULL}, NULL, true},
        /* other languages' titles */
        {"coffee morning", {"act-koffieochtend-sleutel"}, NULL, false},
        {"kahve", {"act-kahve"}, "act-koffieochtend-sleutel", false},
        {"sabahi", {"act-kahve"}, NULL, false},                 /* ı without its dot */
        {"القهوة", {"act-kahve"}, NULL, false},
        {"кава", {"act-kahve"}, NULL, false},
        {"РАНКОВА", {"act-kahve"}, NULL, false},
        {"poranna", {"act-kahve"}, NULL, false},
        /* places, addresses, neighbourhoods, topics, descriptions */
        {"Kruiskamp", {"act-koffieochtend-sleutel"}, NULL, false},
        {"klaverhof", {"act-koffieochtend-sleutel"}, NULL, false},
        {"leefbaarheid", {"act-koffieochtend-sleutel"}, NULL, false},
        {"praatje", {"act-koffieochtend-sleutel"}, NULL, false},
        /* services: name, organization, topic */
        {"wijkteam", {"svc-wijkteam"}, NULL, false},
        {"neighbourhood team", {"svc-wijkteam"}, NULL, false},
        {"schuldhulpmaatjes", {"svc-schuldhulpmaatjes"}, NULL, false},
        /* no hits */
        {"xyzzyq", {NULL}, NULL, true},
        {"hoffieochtend", {NULL}, NULL, true},                  /* the first letter counts */
        {"kfoieochtend", {NULL}, NULL, true},                   /* two typos */
        {"kofi", {"act-koffieochtend-sleutel"}, NULL, false},   /* on the way to "kofie" */
        {"kfo", {NULL}, NULL, true},                            /* no typo in three letters */
        {"", {NULL}, NULL, true},
        {"  ...  ", {NULL}, NULL, true},
        {"caf\xE9", {NULL}, NULL, true},                        /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct query_row *r = &rows[i];
        struct hits h = {.n = 0};
        if (!store_search(fx->store, r->query, fx->now, 50, collect, &h))
            fail_msg("row %zu (%s): storage error", i, r->query);
        if (r->no_hits && h.n != 0)
            fail_msg("row %zu (%s): %zu hits, the first %s, want none", i, r->query, h.n, h.ids[0]);
        if (!r->no_hits && h.n == 0)
            fail_msg("row %zu (%s): no hits", i, r->query);
        for (size_t w = 0; w < 3 && r->want[w]; w++)
            if (!has(&h, r->want[w]))
                fail_msg("row %zu (%s): %s not found", i, r->query, r->want[w]);
        if (r->not_want && has(&h, r->not_want))
            fail_msg("row %zu (%s): %s found", i, r->query, r->not_want);
    }
}

/* What is typed is text: FTS5 syntax in it neither fails nor acts. */
static void test_syntax_typed_in(void **state)
{
    struct fixture *fx = *state;
    static const char *const typed[] = {
        "\"", "\"\"", "*", "koffie\"", "\"koffie", "koffie OR", "OR", "AND", "NOT koffie",
        "NEAR(koffie thee)", "title:koffie", "kind:service", "{title body}:koffie", "^koffie",
        "koffie*", "(", ")", "-koffie", "+", "koffie:", "\\", "'", "';DROP TABLE activity;--",
        "é\"ö", "koffie \" OR \" thee",
    };
    for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
        struct hits h = {.n = 0};
        if (!store_search(fx->store, typed[i], fx->now, 50, collect, &h))
            fail_msg("%s: the search failed", typed[i]);
        char match[SEARCH_MATCH_MAX];
        assert_true(store_search_match(fx->store, typed[i], match, sizeof match));
    }
    /* "title:" is no column filter: the word "title" is looked for */
    struct hits h = {.n = 0};
    assert_true(store_search(fx->store, "kind:service", fx->now, 50, collect, &h));
    assert_int_equal(h.n, 0);
}

static void test_match_expression(void **state)
{
    struct fixture *fx = *state;
    char match[SEARCH_MATCH_MAX];
    assert_true(store_search_match(fx->store, "Digicafé", match, sizeof match));
    assert_string_equal(match, "(\"digicafe\"*)");
    /* a typo finds the prefixes of the indexed words one edit away */
    assert_true(store_search_match(fx->store, "kofie", match, sizeof match));
    assert_non_null(strstr(match, "\"koffie\"*"));
    /* four letters: a typo, but never a shorter word than typed */
    assert_true(store_search_match(fx->store, "kofi", match, sizeof match));
    assert_non_null(strstr(match, "\"koff\"*"));
    assert_null(strstr(match, "\"kof\"*"));
    /* no typo in shorter words */
    assert_true(store_search_match(fx->store, "kof", match, sizeof match));
    assert_string_equal(match, "(\"kof\"*)");
    assert_true(store_search_match(fx->store, "...", match, sizeof match));
    assert_string_equal(match, "");
    assert_false(store_search_match(fx->store, "koffie", match, 5));
}

/* The next occurrence still to come; hidden ones are left out; the limit holds. */
static void test_next_hidden_limit(void **state)
{
    struct fixture *fx = *state;
    struct hits h = {.n = 0};
    assert_true(store_search(fx->store, "koffieochtend", fx->now, 50, collect, &h));
    assert_true(has(&h, "act-koffieochtend-sleutel"));
    for (size_t i = 0; i < h.n; i++)
        if (strcmp(h.ids[i], "act-koffieochtend-sleutel") == 0)
            assert_true(h.starts[i] + 7 * 86400 > fx->now);
    /* later: a later next occurrence, and never one that has ended */
    struct hits later = {.n = 0};
    assert_true(store_search(fx->store, "koffieochtend", fx->now + 8 * 86400, 50, collect, &later));
    for (size_t i = 0; i < later.n; i++)
        if (strcmp(later.ids[i], "act-koffieochtend-sleutel") == 0)
            assert_true(later.starts[i] > fx->now + 7 * 86400 - 3 * 3600);

    assert_true(store_set_override(fx->store, "activity", "act-digicafe", true, false));
    struct hits hidden = {.n = 0};
    assert_true(store_search(fx->store, "digicafe", fx->now, 50, collect, &hidden));
    assert_false(has(&hidden, "act-digicafe"));
    assert_true(store_set_override(fx->store, "activity", "act-digicafe", false, false));

    struct hits few = {.n = 0};
    assert_true(store_search(fx->store, "e", fx->now, 3, collect, &few));
    assert_int_equal(few.n, 3);
}

/* ---- the index written as the feed streams in ---- */

/* A swap writes each item's row of the index as the parser hands it over,
 * and leaves an item whose location comes later in the document to a fill
 * at the end. Either way the place must be searchable, an item retracted
 * for a location that never came must not be, and activities come before
 * services. */
struct order_row {
    const char *name;
    bool locations_last;
};

static const char *const order_feed_head =
    "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
    "\"generated_at\":\"2026-11-25T08:00:00+01:00\",";
static const char *const order_locations =
    "\"locations\":[{\"id\":\"loc-z\",\"name\":{\"nl\":\"Zonnehof\",\"en\":\"Sun court\"},"
    "\"address\":\"Lindelaan 3\",\"neighbourhood\":\"Vogelwijk\"}]";
static const char *const order_items =
    "\"services\":[{\"id\":\"svc-fiets\",\"name\":\"Fietsmaker\",\"organization\":\"Repair Zuid\","
    "\"location_id\":\"loc-z\"}],"
    "\"activities\":[{\"id\":\"act-brei\",\"title\":\"Breiclub\",\"location_id\":\"loc-z\","
    "\"starts_at\":\"2026-11-26T10:00:00+01:00\",\"themes\":[\"ontmoeten\"]},"
    "{\"id\":\"act-weg\",\"title\":\"Breiclub weg\",\"location_id\":\"loc-nergens\","
    "\"starts_at\":\"2026-11-26T10:00:00+01:00\"}]";

struct order_query {
    const char *query;
    const char *want[2];        /* the hits, in this order */
};

static void test_index_order(void **state)
{
    (void)state;
    static const struct order_row rows[] = {
        {"locations first", false},
        {"locations last", true},
    };
    static const struct order_query queries[] = {
        {"zonnehof", {"act-brei", "svc-fiets"}},    /* activities before services */
        {"lindelaan", {"act-brei", "svc-fiets"}},   /* the place's address */
        {"vogelwijk", {"act-brei", "svc-fiets"}},   /* and its neighbourhood */
        {"sun court", {"act-brei", "svc-fiets"}},   /* every language of its name */
        {"breiclub", {"act-brei", NULL}},           /* must fail: act-weg was retracted */
        {"ontmoeten", {"act-brei", NULL}},          /* the themes */
        {"weg", {NULL, NULL}},                      /* must fail: only act-weg says it */
    };
    int64_t now;
    assert_true(rfc3339_parse("2026-11-25T10:00:00+01:00", &now));
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char dir[TEMP_STORE_DIR_LEN], path[TEMP_STORE_PATH_LEN], body[2048];
        struct store *s = temp_store_open("search-order", dir, path);
        assert_non_null(s);
        if (rows[i].locations_last)
            snprintf(body, sizeof body, "%s%s,%s}", order_feed_head, order_items, order_locations);
        else
            snprintf(body, sizeof body, "%s%s,%s}", order_feed_head, order_locations, order_items);
        struct feed_report report;
        assert_int_equal(store_apply_feed(s, body, strlen(body), NULL, now, &report), FEED_ACCEPTED);
        assert_int_equal(report.skipped, 1);
        feed_report_clear(&report);
        for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
            struct hits h = {.n = 0};
            assert_true(store_search(s, queries[q].query, now, 10, collect, &h));
            size_t want = 0;
            while (want < 2 && queries[q].want[want])
                want++;
            if (h.n != want)
                fail_msg("%s, \"%s\": %zu hits, want %zu", rows[i].name, queries[q].query, h.n,
                         want);
            for (size_t k = 0; k < want; k++)
                if (strcmp(h.ids[k], queries[q].want[k]) != 0)
                    fail_msg("%s, \"%s\": hit %zu is %s, want %s", rows[i].name,
                             queries[q].query, k, h.ids[k], queries[q].want[k]);
        }
        temp_store_remove(s, dir);
    }
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_build_table),
        cmocka_unit_test(test_alternatives),
        cmocka_unit_test(test_distance_table),
        cmocka_unit_test(test_index_order),
    };
    const struct CMUnitTest stored[] = {
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_syntax_typed_in),
        cmocka_unit_test(test_match_expression),
        cmocka_unit_test(test_next_hidden_limit),
    };
    int failed = cmocka_run_group_tests_name("search", pure, NULL, NULL);
    return failed + cmocka_run_group_tests_name("search_store", stored, setup, teardown);
}
