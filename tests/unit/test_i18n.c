/*
 * Tests of the interface's catalogs: the .mo reader (model/mo.c) over
 * table rows of well-formed and damaged files, plural entries and their
 * Plural-Forms headers included, and the loader (model/i18n.c) over
 * catalogs compiled here from .po files the way the build compiles
 * assets/po/ (msgfmt --check --use-fuzzy), which shows that adding a
 * language is adding one .po file; and the plural forms of the catalogs
 * the build compiled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/i18n.h"
#include "model/mo.h"
#include "model/plural.h"

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

#define CONTENT_TYPE "Content-Type: text/plain; charset=UTF-8\n"
/* In the pairs and the header given to build_mo, '~' stands for the NUL
 * that separates msgid from msgid_plural and one plural form from the
 * next. */
#define SEP '~'

/* Writes a .mo of the pairs (the header entry first, as msgfmt does, its
 * text header or CONTENT_TYPE) into buf and returns its length; damage
 * spoils one thing. */
static size_t build_mo_with(unsigned char *buf, size_t cap, const char *header,
                            const struct pair *pairs, size_t n, enum damage damage)
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
        const char *text = i == 0 ? header : pairs[i - 1].text;
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
            for (size_t c = 0; c < len; c++)
                buf[at + c] = s[k][c] == SEP ? '\0' : (unsigned char)s[k][c];
            at += len + 1;
            if (damage == NO_NUL && i == count - 1 && k == 1)
                buf[at - 1] = 'x';
        }
    }
    return at;
}

static size_t build_mo(unsigned char *buf, size_t cap, const struct pair *pairs, size_t n,
                       enum damage damage)
{
    return build_mo_with(buf, cap, CONTENT_TYPE, pairs, n, damage);
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

#define PL_RULE                                                                       \
    "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 " \
    "|| n%100>=20) ? 1 : 2);\n"

/* Plural entries ("msgid~msgid_plural", forms joined by '~') read by the
 * header's rule; a header or an entry that disagrees is refused. */
static void test_mo_plural_rows(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        struct pair entry;
        bool ok;
        unsigned nplurals;
        const char *why;
    } rows[] = {
        {CONTENT_TYPE PL_RULE, {"places.left~places.left", "a {n}~b {n}~c {n}"}, true, 3, NULL},
        {PL_RULE CONTENT_TYPE, {"places.left~places.left", "a {n}~b {n}~c {n}"}, true, 3, NULL},
        /* No Plural-Forms: gettext's default, two forms. */
        {CONTENT_TYPE, {"places.left~places.left", "a {n}~b {n}"}, true, 2, NULL},
        {CONTENT_TYPE PL_RULE, {"places.left~places.left", "a {n}~b {n}"}, false, 0,
         "\"places.left\" has 2 plural forms, Plural-Forms says 3"},
        {CONTENT_TYPE PL_RULE, {"places.left~places.left", "a~b~c~d"}, false, 0, "4 plural forms"},
        {CONTENT_TYPE, {"places.left~places.left", "a {n}"}, false, 0, "1 plural forms"},
        {CONTENT_TYPE "Plural-Forms: nplurals=2; plural=(n != 1;\n",
         {"places.left~places.left", "a~b"}, false, 0, "Plural-Forms: ')' expected"},
        {CONTENT_TYPE "Plural-Forms: nplurals=7; plural=n%7;\n", {"nav.back", "Terug"}, false, 0,
         "Plural-Forms: nplurals=7"},
        {CONTENT_TYPE "Plural-Forms: nplurals=2; plural=n;\n", {"nav.back", "Terug"}, false, 0,
         "Plural-Forms: plural gives form 2"},
        {CONTENT_TYPE "Plural-Forms: garbage\n", {"nav.back", "Terug"}, false, 0,
         "Plural-Forms:"},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        unsigned char buf[1024];
        size_t len = build_mo_with(buf, sizeof buf, rows[r].header, &rows[r].entry, 1, INTACT);
        char err[160] = "";
        struct mo *m = mo_parse(buf, len, err, sizeof err);
        if (!rows[r].ok) {
            if (m)
                fail_msg("row %zu: accepted", r);
            if (!strstr(err, rows[r].why))
                fail_msg("row %zu: \"%s\", expected \"%s\"", r, err, rows[r].why);
            continue;
        }
        if (!m)
            fail_msg("row %zu: %s", r, err);
        assert_int_equal(mo_plural_rule(m)->nplurals, rows[r].nplurals);
        assert_true(mo_is_plural(m, "places.left"));
        assert_string_equal(mo_key(m, 0), "places.left");
        assert_string_equal(mo_lookup(m, "places.left"), "a {n}");
        assert_string_equal(mo_lookup_form(m, "places.left", 0), "a {n}");
        assert_string_equal(mo_lookup_form(m, "places.left", 1), "b {n}");
        if (rows[r].nplurals == 3)
            assert_string_equal(mo_lookup_form(m, "places.left", 2), "c {n}");
        assert_null(mo_lookup_form(m, "places.left", rows[r].nplurals));
        assert_null(mo_lookup_form(m, "places", 0));
        assert_int_equal(plural_form(mo_plural_rule(m), 22), 1);
        assert_int_equal(plural_form(mo_plural_rule(m), 25), rows[r].nplurals == 3 ? 2 : 1);
        mo_free(m);
    }
    /* A plain entry is one form, whatever its text holds. */
    unsigned char buf[1024];
    static const struct pair plain = {"nav.back", "Terug~Back"};
    size_t len = build_mo_with(buf, sizeof buf, CONTENT_TYPE PL_RULE, &plain, 1, INTACT);
    char err[160];
    struct mo *m = mo_parse(buf, len, err, sizeof err);
    assert_non_null(m);
    assert_false(mo_is_plural(m, "nav.back"));
    assert_string_equal(mo_lookup_form(m, "nav.back", 0), "Terug");
    assert_null(mo_lookup_form(m, "nav.back", 1));
    mo_free(m);
}

static void remove_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void write_po(const char *dir, const char *lang, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.po", dir, lang);
    write_file(path, text);
    compile(dir, lang);
}

#define PO_HEAD(rule)                                                              \
    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n" \
    "\"Plural-Forms: " rule "\\n\"\n\n"

/* Each language's form picked by its own rule; Dutch's, by Dutch's rule,
 * for an entry a language lacks or has without plural forms. */
static void test_plural_catalogs(void **state)
{
    (void)state;
    char dir[] = "/tmp/bk-plural-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_po(dir, "nl",
             PO_HEAD("nplurals=2; plural=(n != 1);")
             "msgid \"places.left\"\nmsgid_plural \"places.left\"\n"
             "msgstr[0] \"nog {n} plaats\"\nmsgstr[1] \"nog {n} plaatsen\"\n\n"
             "msgid \"things\"\nmsgid_plural \"things\"\n"
             "msgstr[0] \"{n} ding\"\nmsgstr[1] \"{n} dingen\"\n\n"
             "msgid \"plain.count\"\nmsgid_plural \"plain.count\"\n"
             "msgstr[0] \"{n} keer\"\nmsgstr[1] \"{n} keren\"\n\n"
             "msgid \"nav.back\"\nmsgstr \"Terug\"\n");
    write_po(dir, "ar",
             PO_HEAD("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
                     "n%100<=10 ? 3 : n%100>=11 ? 4 : 5);")
             "msgid \"places.left\"\nmsgid_plural \"places.left\"\n"
             "msgstr[0] \"zero\"\nmsgstr[1] \"one\"\nmsgstr[2] \"two\"\nmsgstr[3] \"few\"\n"
             "msgstr[4] \"many\"\nmsgstr[5] \"other\"\n\n"
             "msgid \"things\"\nmsgid_plural \"things\"\n"
             "msgstr[0] \"t0\"\nmsgstr[1] \"t1\"\nmsgstr[2] \"t2\"\nmsgstr[3] \"t3\"\n"
             "msgstr[4] \"t4\"\nmsgstr[5] \"t5\"\n\n"
             "msgid \"plain.count\"\nmsgid_plural \"plain.count\"\n"
             "msgstr[0] \"p0\"\nmsgstr[1] \"p1\"\nmsgstr[2] \"p2\"\nmsgstr[3] \"p3\"\n"
             "msgstr[4] \"p4\"\nmsgstr[5] \"p5\"\n\n"
             "msgid \"nav.back\"\nmsgstr \"رجوع\"\n");
    /* Polish lacks "things" and has "plain.count" without its forms. */
    write_po(dir, "pl",
             PO_HEAD("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                     "n%100>=20) ? 1 : 2);")
             "msgid \"places.left\"\nmsgid_plural \"places.left\"\n"
             "msgstr[0] \"one\"\nmsgstr[1] \"few\"\nmsgstr[2] \"many\"\n\n"
             "msgid \"plain.count\"\nmsgstr \"razy: {n}\"\n\n"
             "msgid \"nav.back\"\nmsgstr \"Wstecz\"\n");
    write_po(dir, "uk",
             PO_HEAD("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                     "(n%100<10 || n%100>=20) ? 1 : 2);")
             "msgid \"places.left\"\nmsgid_plural \"places.left\"\n"
             "msgstr[0] \"one\"\nmsgstr[1] \"few\"\nmsgstr[2] \"many\"\n\n"
             "msgid \"things\"\nmsgid_plural \"things\"\n"
             "msgstr[0] \"t0\"\nmsgstr[1] \"t1\"\nmsgstr[2] \"t2\"\n\n"
             "msgid \"plain.count\"\nmsgid_plural \"plain.count\"\n"
             "msgstr[0] \"p0\"\nmsgstr[1] \"p1\"\nmsgstr[2] \"p2\"\n\n"
             "msgid \"nav.back\"\nmsgstr \"Назад\"\n");

    const char *langs[] = {"ar", "pl", "uk"};
    char err[256];
    struct catalogs *c = catalogs_load(dir, langs, 3, err, sizeof err);
    if (!c)
        fail_msg("%s", err);
    static const struct {
        const char *lang, *key;
        int64_t n;
        const char *text;
    } rows[] = {
        {"ar", "places.left", 0, "zero"},   {"ar", "places.left", 1, "one"},
        {"ar", "places.left", 2, "two"},    {"ar", "places.left", 3, "few"},
        {"ar", "places.left", 10, "few"},   {"ar", "places.left", 11, "many"},
        {"ar", "places.left", 99, "many"},  {"ar", "places.left", 100, "other"},
        {"ar", "places.left", 101, "other"}, {"ar", "places.left", 103, "few"},
        {"pl", "places.left", 1, "one"},    {"pl", "places.left", 2, "few"},
        {"pl", "places.left", 5, "many"},   {"pl", "places.left", 22, "few"},
        {"pl", "places.left", 25, "many"},  {"pl", "places.left", 12, "many"},
        {"uk", "places.left", 1, "one"},    {"uk", "places.left", 2, "few"},
        {"uk", "places.left", 5, "many"},   {"uk", "places.left", 11, "many"},
        {"uk", "places.left", 21, "one"},   {"uk", "places.left", 24, "few"},
        {"nl", "places.left", 0, "nog {n} plaatsen"}, {"nl", "places.left", 1, "nog {n} plaats"},
        {"nl", "places.left", 5, "nog {n} plaatsen"},
        /* Polish lacks "things": Dutch's form by Dutch's rule (Polish's
         * rule would ask for a third form Dutch does not have). */
        {"pl", "things", 1, "{n} ding"},    {"pl", "things", 5, "{n} dingen"},
        {"pl", "things", 22, "{n} dingen"},
        /* A plain text cannot be right for every count: Dutch's forms. */
        {"pl", "plain.count", 1, "{n} keer"}, {"pl", "plain.count", 3, "{n} keren"},
        {"uk", "things", 5, "t2"},          {"ar", "things", 2, "t2"},
        /* A language not loaded is shown in Dutch. */
        {"en", "places.left", 1, "nog {n} plaats"}, {NULL, "things", 2, "{n} dingen"},
        /* A negative count is its magnitude; INT64_MIN has one too. */
        {"ar", "places.left", -2, "two"},   {"pl", "places.left", -1, "one"},
        {"pl", "places.left", INT64_MIN, "many"}, {"pl", "places.left", INT64_MAX, "many"},
        /* A key nobody has is shown as itself, so that a test finds it. */
        {"ar", "no.such.key", 3, "no.such.key"},
        /* A plain entry serves every count. */
        {"ar", "nav.back", 3, "رجوع"},     {"pl", "nav.back", 5, "Wstecz"},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        const char *got = tr_plural(c, rows[r].lang, rows[r].key, rows[r].n);
        if (strcmp(got, rows[r].text) != 0)
            fail_msg("row %zu: %s %s %lld: \"%s\", expected \"%s\"", r,
                     rows[r].lang ? rows[r].lang : "(none)", rows[r].key, (long long)rows[r].n,
                     got, rows[r].text);
    }
    /* tr() of a plural entry is its first form. */
    assert_string_equal(tr(c, "ar", "places.left"), "zero");
    /* What Polish lacks, for the completeness test: the missing key and the
     * one without its forms. */
    const char *missing[4];
    assert_int_equal(catalogs_missing(c, "pl", missing, 4), 2);
    assert_string_equal(missing[0], "plain.count");
    assert_string_equal(missing[1], "things");
    assert_int_equal(catalogs_missing(c, "uk", missing, 4), 0);
    catalogs_free(c);

    /* A catalog whose Plural-Forms cannot be parsed is refused, naming
     * the file. msgfmt --check would refuse to write it, so it is written
     * here the way a damaged or hand-made file would be. */
    unsigned char buf[1024];
    static const struct pair entry = {"nav.back", "Back"};
    size_t len = build_mo_with(buf, sizeof buf,
                               CONTENT_TYPE "Plural-Forms: nplurals=2; plural=((n != 1);\n",
                               &entry, 1, INTACT);
    char path[512];
    snprintf(path, sizeof path, "%s/en.mo", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    const char *broken[] = {"en"};
    assert_null(catalogs_load(dir, broken, 1, err, sizeof err));
    assert_non_null(strstr(err, "/en.mo: Plural-Forms: ')' expected"));
    remove_dir(dir);
}

/* The catalogs the build compiled: the counts the kiosk shows, in every
 * language, and each form that stands for more than one number keeps its
 * {n} (a form for one number only may say it in words: Arabic "مكانان",
 * two places). */
static void test_shipped_plurals(void **state)
{
    (void)state;
    const char *langs[I18N_MAX_LANGUAGES];
    size_t n_langs = catalog_languages(langs, I18N_MAX_LANGUAGES - 1);
    char err[256];
    struct catalogs *c = catalogs_load(BK_CATALOG_DIR, langs, n_langs, err, sizeof err);
    if (!c)
        fail_msg("%s", err);
    static const struct {
        const char *lang, *key;
        int64_t n;
        const char *text; /* what the text starts with */
    } rows[] = {
        /* Dutch and English exactly as before plural entries. */
        {"nl", "places.left", 1, "nog {n} plaats"},
        {"nl", "places.left", 5, "nog {n} plaatsen"},
        {"en", "places.left", 1, "{n} place left"},
        {"en", "places.left", 5, "{n} places left"},
        {"nl", "idle.countdown", 30, "Over {n} seconden gaat het scherm terug naar het begin. Wat "
                                     "u heeft gekozen of getypt, wordt dan gewist."},
        {"en", "idle.countdown", 30, "In {n} seconds the screen goes back to the start. What you "
                                     "chose or typed will then be erased."},
        {"nl", "idle.countdown", 1, "Over {n} seconde gaat"},
        {"en", "idle.countdown", 1, "In {n} second the"},
        {"tr", "places.left", 1, "{n} yer kaldı"},
        {"tr", "places.left", 7, "{n} yer kaldı"},
        {"ar", "places.left", 1, "بقي مكان واحد"},
        {"ar", "places.left", 2, "بقي مكانان"},
        {"ar", "places.left", 3, "بقيت {n} أماكن"},
        {"ar", "places.left", 11, "بقي {n} مكانًا"},
        {"ar", "places.left", 100, "بقي {n} مكان"},
        {"ar", "idle.countdown", 3, "ستعود الشاشة إلى البداية بعد {n} ثوانٍ"},
        {"ar", "idle.countdown", 30, "ستعود الشاشة إلى البداية بعد {n} ثانية"},
        {"ar", "idle.countdown", 2, "ستعود الشاشة إلى البداية بعد ثانيتين"},
        {"pl", "places.left", 1, "Zostało {n} miejsce"},
        {"pl", "places.left", 2, "Zostały {n} miejsca"},
        {"pl", "places.left", 5, "Zostało {n} miejsc"},
        {"pl", "places.left", 22, "Zostały {n} miejsca"},
        {"pl", "places.left", 25, "Zostało {n} miejsc"},
        {"pl", "idle.countdown", 22, "Za {n} sekundy"},
        {"pl", "idle.countdown", 30, "Za {n} sekund "},
        {"uk", "places.left", 21, "Залишилося {n} місце"},
        {"uk", "places.left", 2, "Залишилося {n} місця"},
        {"uk", "places.left", 11, "Залишилося {n} місць"},
        {"uk", "idle.countdown", 21, "Через {n} секунду"},
        {"uk", "idle.countdown", 30, "Через {n} секунд "},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        const char *got = tr_plural(c, rows[r].lang, rows[r].key, rows[r].n);
        if (strncmp(got, rows[r].text, strlen(rows[r].text)) != 0)
            fail_msg("row %zu: %s %s %lld: \"%s\"", r, rows[r].lang, rows[r].key,
                     (long long)rows[r].n, got);
    }
    static const struct {
        const char *lang;
        size_t forms;
    } forms[] = {{"nl", 2}, {"en", 2}, {"tr", 2}, {"ar", 6}, {"pl", 3}, {"uk", 3}};
    static const char *const keys[] = {"places.left", "idle.countdown"};
    for (size_t l = 0; l < sizeof forms / sizeof forms[0]; l++)
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            /* The forms, told apart by where they are stored, and how many
             * numbers from 0 to 1000 each stands for. */
            const char *seen[PLURAL_MAX_FORMS + 1];
            size_t count[PLURAL_MAX_FORMS + 1] = {0}, n_seen = 0;
            for (int64_t n = 0; n <= 1000; n++) {
                const char *text = tr_plural(c, forms[l].lang, keys[k], n);
                size_t i = 0;
                while (i < n_seen && seen[i] != text)
                    i++;
                if (i == n_seen) {
                    assert_true(n_seen <= PLURAL_MAX_FORMS);
                    seen[n_seen++] = text;
                }
                count[i]++;
            }
            /* Turkish's two forms read alike but are stored apart. */
            if (n_seen != forms[l].forms)
                fail_msg("%s %s: %zu forms, expected %zu", forms[l].lang, keys[k], n_seen,
                         forms[l].forms);
            for (size_t i = 0; i < n_seen; i++)
                if (count[i] > 1 && !strstr(seen[i], "{n}"))
                    fail_msg("%s %s: \"%s\" stands for %zu numbers but lacks {n}",
                             forms[l].lang, keys[k], seen[i], count[i]);
        }
    catalogs_free(c);
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
        cmocka_unit_test(test_mo_plural_rows),
        cmocka_unit_test(test_added_language),
        cmocka_unit_test(test_plural_catalogs),
        cmocka_unit_test(test_shipped_plurals),
        cmocka_unit_test(test_known_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
