/*
 * Sealed personal fields (model/seal.h, docs/spec-notes.md "Sealed
 * personal fields"): the kiosk seals, only the hub opens.
 *
 * - seal/open round trips, and the padding that keeps a name's length
 *   out of the blob's;
 * - must-fail rows for seal_open: wrong key, truncated, bad base64, empty,
 *   content that is not padded, not JSON, not an object, a field of the
 *   wrong type;
 * - the hub's sign-up body with "sealed", table-driven like
 *   test_hub_signup: accepted, 400 (sealed not a string, sealed beside a
 *   clear field) or 422 (cannot be opened, or the opened fields break the
 *   rules clear ones must keep);
 * - the hub's key pair on a real database file: made once, the same after
 *   reopening.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/timeutil.h"
#include "hub/hub_db.h"
#include "hub/hub_signup.h"
#include "model/seal.h"

/* Two hubs' key pairs, made fresh for every run. */
struct keys {
    unsigned char pk[SEAL_PUBLIC_KEY_BYTES], sk[SEAL_SECRET_KEY_BYTES];
    unsigned char other_pk[SEAL_PUBLIC_KEY_BYTES], other_sk[SEAL_SECRET_KEY_BYTES];
};

static int setup(void **state)
{
    static struct keys k;
    if (sodium_init() < 0)
        return -1;
    crypto_box_keypair(k.pk, k.sk);
    crypto_box_keypair(k.other_pk, k.other_sk);
    *state = &k;
    tz_use_zone("Europe/Amsterdam");
    return 0;
}

/* Seals raw bytes (padded when pad) as base64, the way seal_fields does
 * with its JSON: for content seal_fields would never make. */
static char *seal_raw(const unsigned char *pk, const char *clear, bool pad)
{
    size_t len = strlen(clear), cap = len + SEAL_PAD_BLOCK, padded_len = len;
    unsigned char *buf = malloc(cap);
    unsigned char *sealed = malloc(cap + crypto_box_SEALBYTES);
    assert_non_null(buf);
    assert_non_null(sealed);
    memcpy(buf, clear, len);
    if (pad)
        assert_int_equal(sodium_pad(&padded_len, buf, len, SEAL_PAD_BLOCK, cap), 0);
    assert_int_equal(crypto_box_seal(sealed, buf, padded_len, pk), 0);
    size_t n = padded_len + crypto_box_SEALBYTES;
    size_t text_len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *text = malloc(text_len);
    assert_non_null(text);
    sodium_bin2base64(text, text_len, sealed, n, sodium_base64_VARIANT_ORIGINAL);
    free(buf);
    free(sealed);
    return text;
}

static void test_round_trip(void **state)
{
    const struct keys *k = *state;
    static const struct seal_fields cases[] = {
        {"Jan Jansen", "0612345678", "jan@example.nl", "Ik kom met de rollator"},
        {"Ayşe Yılmaz", "0612345678", NULL, NULL},
        {"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \"quoted\" \\ back", NULL, NULL, "line\nbreak"},
        {NULL, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = seal_fields(k->pk, &cases[i]);
        assert_non_null(text);
        if (cases[i].name)
            assert_null(strstr(text, cases[i].name));
        char err[120] = "";
        json_t *o = seal_open(text, k->pk, k->sk, err, sizeof err);
        assert_non_null(o);
        const char *want[4] = {cases[i].name, cases[i].phone, cases[i].email, cases[i].remark};
        const char *keys[4] = {"name", "phone", "email", "remark"};
        for (int f = 0; f < 4; f++) {
            json_t *v = json_object_get(o, keys[f]);
            if (want[f])
                assert_string_equal(json_string_value(v), want[f]);
            else
                assert_true(json_is_null(v));
        }
        json_decref(o);
        free(text);
    }
}

/* A sealed blob's length says which block of SEAL_PAD_BLOCK bytes the
 * fields fill, not how long the name is. */
static void test_padding(void **state)
{
    const struct keys *k = *state;
    struct seal_fields shortname = {"Jo", "0612345678", NULL, NULL};
    struct seal_fields longname = {"Johanna Wilhelmina van den Bergh-Oosterhout", "0612345678",
                                   NULL, NULL};
    char *a = seal_fields(k->pk, &shortname), *b = seal_fields(k->pk, &longname);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(strlen(a), strlen(b));
    /* Randomised: the same fields never seal to the same text. */
    char *again = seal_fields(k->pk, &shortname);
    assert_string_not_equal(a, again);
    free(a);
    free(b);
    free(again);
}

static void test_keys(void **state)
{
    const struct keys *k = *state;
    char text[SEAL_KEY_TEXT_LEN];
    seal_key_format(k->pk, text);
    unsigned char back[SEAL_PUBLIC_KEY_BYTES];
    assert_true(seal_key_parse(text, back));
    assert_memory_equal(back, k->pk, sizeof back);
    char spaced[SEAL_KEY_TEXT_LEN + 4];
    snprintf(spaced, sizeof spaced, " %s\r\n", text);
    assert_true(seal_key_parse(spaced, back));
    /* Must fail: not 32 bytes, not base64, URL-safe alphabet, empty. */
    static const char *const bad[] = {
        "", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=AAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "_-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(seal_key_parse(bad[i], back));
    assert_false(seal_key_parse(NULL, back));
}

/* What seal_open must refuse, and a word of its reason. */
enum blob { WRONG_KEY, TRUNCATED, BAD_BASE64, EMPTY, TOO_SHORT, UNPADDED, NOT_JSON, NOT_OBJECT,
            NAME_NUMBER, PHONE_OBJECT, DUPLICATE_KEY, TRAILING_GARBAGE, TOO_LONG };

static const struct {
    enum blob blob;
    const char *reason;
} must_fail[] = {
    {WRONG_KEY, "cannot be opened"},  {TRUNCATED, "cannot be opened"},
    {BAD_BASE64, "base64"},           {EMPTY, "base64"},
    {TOO_SHORT, "cannot be opened"},  {UNPADDED, "padded"},
    {NOT_JSON, "JSON object"},        {NOT_OBJECT, "JSON object"},
    {NAME_NUMBER, "not a string"},    {PHONE_OBJECT, "not a string"},
    {DUPLICATE_KEY, "JSON object"},   {TRAILING_GARBAGE, "base64"},
    {TOO_LONG, "too long"},
};

static char *make_blob(const struct keys *k, enum blob blob)
{
    struct seal_fields f = {"Jan Jansen", "0612345678", NULL, NULL};
    char *text = NULL;
    switch (blob) {
    case WRONG_KEY: return seal_fields(k->other_pk, &f);
    case TRUNCATED:
        text = seal_fields(k->pk, &f);
        text[strlen(text) - 8] = '\0';      /* still base64: 4-character groups */
        return text;
    case BAD_BASE64:
        text = seal_fields(k->pk, &f);
        text[10] = '*';
        return text;
    case EMPTY: return strdup("");
    case TOO_SHORT: return strdup("AAAAAAAA");
    case UNPADDED: return seal_raw(k->pk, "{\"name\":\"Jan Jansen\"}", false);
    case NOT_JSON: return seal_raw(k->pk, "{\"name\":\"Jan Jansen\"", true);
    case NOT_OBJECT: return seal_raw(k->pk, "[\"Jan Jansen\"]", true);
    case NAME_NUMBER: return seal_raw(k->pk, "{\"name\":12}", true);
    case PHONE_OBJECT: return seal_raw(k->pk, "{\"name\":\"Jan\",\"phone\":{}}", true);
    case DUPLICATE_KEY: return seal_raw(k->pk, "{\"name\":\"Jan\",\"name\":\"Piet\"}", true);
    case TRAILING_GARBAGE: {
        char *sealed = seal_fields(k->pk, &f);
        size_t n = strlen(sealed) + 8;
        text = malloc(n);
        snprintf(text, n, "%s!!", sealed);
        free(sealed);
        return text;
    }
    case TOO_LONG: {
        size_t n = 2 * SEAL_TEXT_MAX;
        text = malloc(n + 1);
        memset(text, 'A', n);
        text[n] = '\0';
        return text;
    }
    }
    return NULL;
}

static void test_open_must_fail(void **state)
{
    const struct keys *k = *state;
    int failures = 0;
    for (size_t i = 0; i < sizeof must_fail / sizeof *must_fail; i++) {
        char *text = make_blob(k, must_fail[i].blob);
        assert_non_null(text);
        char err[120] = "";
        json_t *o = seal_open(text, k->pk, k->sk, err, sizeof err);
        if (o || !strstr(err, must_fail[i].reason)) {
            printf("must-fail row %zu: opened=%d, reason \"%s\" (want \"%s\")\n", i, o != NULL,
                   err, must_fail[i].reason);
            failures++;
        }
        assert_null(strstr(err, "Jansen"));
        json_decref(o);
        free(text);
    }
    assert_int_equal(failures, 0);
}

/* ---- the hub's sign-up body --------------------------------------------- */

#define HEAD                                                                                    \
    "{\"signup_id\":\"1b4e28ba-2fa1-41d2-883f-0016d3cca427\",\"kiosk_id\":\"k1\","              \
    "\"activity_id\":\"act-1\",\"occurrence\":\"2026-12-08T10:00:00+01:00\",\"party_size\":1,"   \
    "\"waitlist_ok\":false,\"language\":\"nl\",\"created_at\":\"2026-11-25T09:14:03+01:00\""

enum expect { ACCEPT, BAD_400, BAD_422 };

struct body_row {
    const char *what;
    struct seal_fields fields;      /* sealed to the hub's key, unless raw */
    const char *raw;                /* the "sealed" member's JSON as is, or NULL */
    bool other_key;                 /* sealed to another hub's key */
    const char *extra;              /* more members, e.g. ",\"name\":null" */
    enum expect expect;
    const char *reason;
};

static const struct body_row body_rows[] = {
    {"sealed name and phone", {"Jan Jansen", "0612345678", NULL, NULL}, NULL, false, "", ACCEPT,
     NULL},
    {"sealed null: clear fields", {0}, "null", false, ",\"name\":\"Jan Jansen\","
     "\"phone\":\"0612345678\"", ACCEPT, NULL},
    {"sealed a number", {0}, "12", false, "", BAD_400, "sealed"},
    {"sealed an object", {0}, "{}", false, "", BAD_400, "sealed"},
    {"sealed beside a clear name", {"Jan Jansen", "0612345678", NULL, NULL}, NULL, false,
     ",\"name\":\"Jan Jansen\"", BAD_400, "sealed"},
    {"sealed beside a null remark", {"Jan Jansen", "0612345678", NULL, NULL}, NULL, false,
     ",\"remark\":null", BAD_400, "sealed"},
    {"sealed to another hub", {"Jan Jansen", "0612345678", NULL, NULL}, NULL, true, "", BAD_422,
     "cannot be opened"},
    {"sealed not base64", {0}, "\"not base64!\"", false, "", BAD_422, "base64"},
    {"sealed empty", {0}, "\"\"", false, "", BAD_422, "base64"},
    {"sealed name missing", {NULL, "0612345678", NULL, NULL}, NULL, false, "", BAD_422, "name"},
    {"sealed name blank", {"   ", "0612345678", NULL, NULL}, NULL, false, "", BAD_422, "name"},
    {"sealed name with a bidi override", {"Jan \xe2\x80\xae" "nesnaJ", "0612345678", NULL, NULL},
     NULL, false, "", BAD_422, "name"},
    {"sealed phone not a number", {"Jan Jansen", "bel me", NULL, NULL}, NULL, false, "", BAD_422,
     "phone"},
    {"sealed phone missing", {"Jan Jansen", NULL, NULL, NULL}, NULL, false, "", BAD_422, "phone"},
};

static void test_hub_bodies(void **state)
{
    const struct keys *k = *state;
    int failures = 0;
    for (size_t i = 0; i < sizeof body_rows / sizeof *body_rows; i++) {
        const struct body_row *r = &body_rows[i];
        char *sealed = NULL;
        if (!r->raw)
            sealed = seal_fields(r->other_key ? k->other_pk : k->pk, &r->fields);
        char body[4096];
        if (r->raw)
            snprintf(body, sizeof body, HEAD ",\"sealed\":%s%s}", r->raw, r->extra);
        else
            snprintf(body, sizeof body, HEAD ",\"sealed\":\"%s\"%s}", sealed, r->extra);
        free(sealed);
        struct hub_signup_request req;
        char err[160] = "";
        enum expect got = ACCEPT;
        if (!hub_signup_parse(body, strlen(body), &req, err, sizeof err)) {
            got = BAD_400;
        } else {
            struct rrule rule;
            char why[96];
            assert_true(rrule_parse("FREQ=WEEKLY;BYDAY=TU;COUNT=10", &rule, why, sizeof why));
            struct hub_activity_rules a = {.has_signup = true, .rule = &rule, .capacity = 10,
                                           .closes_before_min = 60,
                                           .fields = SIGNUP_NAME | SIGNUP_PHONE};
            assert_true(rfc3339_parse("2026-11-24T10:00:00+01:00", &a.starts_at));
            if (!hub_signup_unseal(&req, k->pk, k->sk, err, sizeof err) ||
                !hub_signup_check(&req, &a, err, sizeof err))
                got = BAD_422;
            else if (r->fields.name)
                assert_string_equal(req.name, r->fields.name);
            hub_signup_request_clear(&req);
        }
        if (got != r->expect || (r->reason && !strstr(err, r->reason))) {
            printf("row %zu \"%s\": expected %d (%s), got %d: %s\n", i, r->what, r->expect,
                   r->reason ? r->reason : "-", got, err);
            failures++;
        }
        assert_null(strstr(err, "Jansen"));
        assert_null(strstr(err, "0612345678"));
    }
    assert_int_equal(failures, 0);
}

/* ---- the hub's key pair ------------------------------------------------- */

static void test_hub_key_pair(void **state)
{
    (void)state;
    char path[] = "/tmp/test_seal_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    char err[200];
    struct hub_db *db = hub_db_open(path, HUB_DB_CREATE, err, sizeof err);
    assert_non_null(db);
    unsigned char pk[SEAL_PUBLIC_KEY_BYTES], sk[SEAL_SECRET_KEY_BYTES];
    unsigned char pk2[SEAL_PUBLIC_KEY_BYTES], sk2[SEAL_SECRET_KEY_BYTES];
    assert_true(hub_db_seal_keys(db, pk, sk));
    assert_true(hub_db_seal_keys(db, pk2, sk2));
    assert_memory_equal(pk, pk2, sizeof pk);
    hub_db_close(db);
    db = hub_db_open(path, HUB_DB_EXISTING, err, sizeof err);
    assert_non_null(db);
    assert_true(hub_db_seal_keys(db, pk2, sk2));
    hub_db_close(db);
    assert_memory_equal(pk, pk2, sizeof pk);
    assert_memory_equal(sk, sk2, sizeof sk);
    /* The pair belongs together: what is sealed to pk opens with sk. */
    struct seal_fields f = {"Jan", NULL, NULL, NULL};
    char *text = seal_fields(pk, &f);
    json_t *o = seal_open(text, pk2, sk2, err, sizeof err);
    assert_non_null(o);
    json_decref(o);
    free(text);
    char side[300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_padding),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_open_must_fail),
        cmocka_unit_test(test_hub_bodies),
        cmocka_unit_test(test_hub_key_pair),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
