/*
 * Tests of the interface's catalogs: the .mo reader (model/mo.c) over
 * table rows of well-formed and damaged files, and the loader
 * (model/i18n.c) over catalogs compiled here from .po files the way the
 * build compiles assets/po/ (msgfmt --check --use-fuzzy), which shows that
 * adding a language is adding one .po file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/i18n.h"
#include "model/mo.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the .mo reader ------------------------------------------------------ */

enum damage {
    INTACT,
    SWAPPED,    /* written in the other byte order: still valid */
    BAD_MAGIC,
    REVISION_2,
    TOO_MANY,      /* a count beyond MO_MAX_STRINGS */
    PAST_END,      /* a string's offset beyond the file */
    NO_NUL,        /* a string not followed by its NUL */
    UNSORTED,      /* originals out of order */
    TABLE_PAST_END /* the table of originals beyond the file */
};

struct pair {
    const char *id, *text;
};

static void put_u32(unsigned char *p, uint32_t v, bool big)
{
    for (int i = 0; i < 4; i++)
        p[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Writes a .mo of the pairs (the header entry first, as msgfmt does) into
 * buf and returns its length; damage spoils one thing. */
static size_t build_mo(unsigned char *buf, size_t cap, const struct pair *pairs, size_t n,
                       enum damage damage)
{
    bool big = damage == SWAPPED;
    size_t count = n + 1;
    size_t ids_off = 28, texts_off = ids_off + 8 * count, strings = texts_off + 8 * count;
    memset(buf, 0, cap);
    put_u32(buf, damage == BAD_MAGIC ? 0x12345678u : 0x950412deu, big);
    put_u32(buf + 4, damage == REVISION_2 ? 2u << 16 : 0, big);
    put_u32(buf + 8, damage == TOO_MANY ? MO_MAX_STRINGS + 1 : (uint32_t)count, big);
    put_u32(buf + 12, damage == TABLE_PAST_END ? 0xfffffff0u : (uint32_t)ids_off, big);
    put_u32(buf + 16, (uint32_t)texts_off, big);
    size_t at = strings;
    for (size_t i = 0; i < count; i++) {
        const char *id = i == 0 ? "" : pairs[i - 1].id;
        const char *text = i == 0 ? "Content-Type: text/plain; charset=UTF-8\n" : pairs[i - 1].text;
        if (damage == UNSORTED && i == 1)
            id = "zzz";
        const char *s[2] = {id, text};
        size_t table[2] = {ids_off, texts_off};
        for (int k = 0; k < 2; k++) {
            size_t len = strlen(s[k]);
            assert_true(at + len + 1 <= cap);
            put_u32(buf + table[k] + 8 * i, (uint32_t)len, big);
            put_u32(buf + table[k] + 8 * i + 4,
                    damage == PAST_END && i == count - 1 ? (uint32_t)cap : (uint32_t)at, big);
            memcpy(buf + at, s[k], len);
            at += len + 1;
            if (damage == NO_NUL && i == count - 1 && k == 1)
                buf[at - 1] = 'x';
        }
    }
    return at;
}

static const struct pair pairs[] = {
    {"home.title", "Wat zoekt u?"},
    {"nav.back", "Terug"},
    {"places.left", "nog {n} plaatsen"},
};

static void test_mo_rows(void **state)
{
    (void)state;
    static const struct {
        enum damage damage;
        bool ok;
    } rows[] = {
        {INTACT, true},       {SWAPPED, true}, {BAD_MAGIC, false},
        {REVISION_2, false},  {TOO_MANY, false},  {PAST_END, false},
        {NO_NUL, false},      {UNSORTED, false},  {TABLE_PAST_END, false},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        unsigned char buf[1024];
        size_t len = build_mo(buf, sizeof buf, pairs, 3, rows[r].damage);
        char err[128] = "";
        struct mo *m = mo_parse(buf, len, err, sizeof err);
        if (!rows[r].ok) {
            if (m)
                fail_msg("row %zu: a damaged catalog was accepted", r);
            assert_true(strlen(err) > 0);
            continue;
        }
        if (!m)
            fail_msg("row %zu: %s", r, err);
        assert_int_equal(mo_count(m), 3);
        assert_string_equal(mo_key(m, 0), "home.title");
        assert_null(mo_key(m, 3));
        assert_string_equal(mo_lookup(m, "nav.back"), "Terug");
        assert_string_equal(mo_lookup(m, "places.left"), "nog {n} plaatsen");
        assert_string_equal(mo_lookup(m, "home.title"), "Wat zoekt u?");
        assert_null(mo_lookup(m, "nav.home"));
        assert_null(mo_lookup(m, ""));
        mo_free(m);
    }
}

/* Every cut of a good file short of its end is refused, never read past. */
static void test_mo_truncated(void **state)
{
    (void)state;
    unsigned char buf[1024];
    size_t len = build_mo(buf, sizeof buf, pairs, 3, INTACT);
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, buf, cut);
        char err[128];
        struct mo *m = mo_parse(copy, cut, err, sizeof err);
        free(copy);
        if (m)
            fail_msg("a catalog cut to %zu of %zu bytes was accepted", cut, len);
    }
    /* A file over the limit is refused whatever it holds. */
    unsigned char *big = calloc(1, MO_MAX_BYTES + 1);
    assert_non_null(big);
    memcpy(big, buf, len);
    char err[128];
    assert_null(mo_parse(big, MO_MAX_BYTES + 1, err, sizeof err));
    free(big);
}

/* ---- catalogs compiled from .po files ------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Compiles dir/LANG.po into dir/LANG.mo as src/CMakeLists.txt does. */
static void compile(const char *dir, const char *lang)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' --check --use-fuzzy -o '%s/%s.mo' '%s/%s.po'", BK_MSGFMT,
             dir, lang, dir, lang);
    assert_int_equal(system(cmd), 0);
}

#define PO_HEADER                                                                  \
    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n" \
    "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n"

/* A language the build does not know, added as one .po file beside a
 * Dutch one: its strings load, a fuzzy draft included, and a key it lacks
 * is shown in Dutch. */
static void test_added_language(void **state)
{
    (void)state;
    char dir[] = "/tmp/bk-i18n-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/nl.po", dir);
    write_file(path, PO_HEADER "#. Home screen title.\nmsgid \"home.title\"\nmsgstr \"Wat zoekt u?\"\n\n"
                               "msgid \"nav.back\"\nmsgstr \"Terug\"\n");
    snprintf(path, sizeof path, "%s/eo.po", dir);
    write_file(path, PO_HEADER "#. Home screen title.\n#, fuzzy\nmsgid \"home.title\"\n"
                               "msgstr \"Kion vi serĉas?\"\n");
    compile(dir, "nl");
    compile(dir, "eo");

    const char *langs[] = {"eo"};
    char err[256];
    struct catalogs *c = catalogs_load(dir, langs, 1, err, sizeof err);
    if (!c)
        fail_msg("%s", err);
    assert_true(catalogs_has(c, "eo"));
    assert_true(catalogs_has(c, "nl")); /* the fallback, loaded though not offered */
    assert_false(catalogs_has(c, "en"));
    assert_string_equal(tr(c, "eo", "home.title"), "Kion vi serĉas?");
    assert_string_equal(tr(c, "eo", "nav.back"), "Terug");
    assert_string_equal(tr(c, "eo", "no.such.key"), "no.such.key");
    assert_string_equal(tr(c, "xx", "nav.back"), "Terug");
    const char *missing[4];
    assert_int_equal(catalogs_missing(c, "eo", missing, 4), 1);
    assert_string_equal(missing[0], "nav.back");
    catalogs_free(c);

    /* A language without its file is refused, naming the file. */
    const char *absent[] = {"ar"};
    assert_null(catalogs_load(dir, absent, 1, err, sizeof err));
    assert_non_null(strstr(err, "ar.mo"));
    /* So is a file that is not a catalog. */
    snprintf(path, sizeof path, "%s/tr.mo", dir);
    write_file(path, "{\"home.title\": \"Ne arıyorsunuz?\"}");
    const char *broken[] = {"tr"};
    assert_null(catalogs_load(dir, broken, 1, err, sizeof err));
    assert_non_null(strstr(err, "not a compiled catalog"));

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The build's own list: what a config may offer. */
static void test_known_languages(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        bool known;
    } rows[] = {{"nl", true}, {"en", true}, {"tr", true},  {"ar", true}, {"pl", true},
                {"uk", true}, {"xx", false}, {"n", false}, {"nld", false}, {"", false}};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        if (catalog_language_known(rows[r].code, strlen(rows[r].code)) != rows[r].known)
            fail_msg("%s: expected %s", rows[r].code, rows[r].known ? "known" : "unknown");
    /* Only the first len bytes count. */
    assert_true(catalog_language_known("nl,en", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mo_rows),
        cmocka_unit_test(test_mo_truncated),
        cmocka_unit_test(test_added_language),
        cmocka_unit_test(test_known_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
