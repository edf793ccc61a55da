/*
 * sync.hub_seal_key (sync_pin_seal_key): with a pin the store's hub seal
 * key becomes the pinned one, whatever was kept before, and a sign-up
 * stored afterwards opens with the pinned key's secret half and not with
 * the key that was kept before; without a pin, or on a read-only store,
 * nothing changes. A real SQLite file, real sealing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "model/outbox.h"
#include "model/seal.h"
#include "model/store.h"
#include "net/sync.h"
#include "temp_store.h"

struct pair {
    unsigned char pk[SEAL_PUBLIC_KEY_BYTES], sk[SEAL_SECRET_KEY_BYTES];
    char text[SEAL_KEY_TEXT_LEN];
};

static void make_pair(struct pair *p)
{
    crypto_box_keypair(p->pk, p->sk);
    seal_key_format(p->pk, p->text);
}

static void kept_key(struct store *store, char *buf, size_t len)
{
    buf[0] = '\0';
    store_get_meta(store, STORE_META_HUB_SEAL_KEY, buf, len);
}

/* Stores one sign-up and returns its sealed text (the caller frees). */
static char *add_and_read_sealed(struct store *store)
{
    struct signup_request req = {
        .activity_id = "act-pin",
        .occurrence = 1767261600,
        .name = "Jan Pinnen",
        .phone = "0612345678",
        .party_size = 1,
        .language = "nl",
    };
    char id[OUTBOX_ID_LEN + 1];
    assert_true(outbox_add(store, &req, 1767200000, id));
    struct outbox_row row;
    memset(&row, 0, sizeof row);
    assert_int_equal(outbox_pending(store, &row, 1), 1);
    assert_non_null(row.sealed);
    assert_null(row.name);
    char *sealed = strdup(row.sealed);
    outbox_row_clear(&row);
    return sealed;
}

static void test_pin_replaces_the_kept_key(void **state)
{
    (void)state;
    char dir[TEMP_STORE_DIR_LEN], path[TEMP_STORE_PATH_LEN], kept[128];
    struct store *store = temp_store_open("sealpin", dir, path);
    assert_non_null(store);
    struct pair pinned, offered;
    make_pair(&pinned);
    make_pair(&offered);

    /* A key kept before the pin was set (learnt from a feed answer). */
    assert_true(store_set_meta(store, STORE_META_HUB_SEAL_KEY, offered.text));
    struct sync_settings st;
    memset(&st, 0, sizeof st);

    /* No pin: the kept key stays. */
    assert_true(sync_pin_seal_key(store, &st));
    kept_key(store, kept, sizeof kept);
    assert_string_equal(kept, offered.text);

    /* The pin: the kept key is replaced, and again is a no-op. */
    st.has_seal_pin = true;
    memcpy(st.seal_pin, pinned.pk, sizeof st.seal_pin);
    assert_true(sync_pin_seal_key(store, &st));
    kept_key(store, kept, sizeof kept);
    assert_string_equal(kept, pinned.text);
    assert_true(sync_pin_seal_key(store, &st));
    kept_key(store, kept, sizeof kept);
    assert_string_equal(kept, pinned.text);

    /* A sign-up is sealed to the pinned key, never to the other. */
    char *sealed = add_and_read_sealed(store);
    char err[128] = "";
    json_t *o = seal_open(sealed, offered.pk, offered.sk, err, sizeof err);
    assert_null(o);
    assert_string_equal(err, "sealed cannot be opened with this hub's key");
    o = seal_open(sealed, pinned.pk, pinned.sk, err, sizeof err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "Jan Pinnen");
    json_decref(o);
    free(sealed);
    assert_true(temp_store_remove(store, dir));
}

static void test_pin_on_a_fresh_store(void **state)
{
    (void)state;
    char dir[TEMP_STORE_DIR_LEN], path[TEMP_STORE_PATH_LEN], kept[128];
    struct store *store = temp_store_open("sealpin", dir, path);
    assert_non_null(store);
    struct pair pinned;
    make_pair(&pinned);
    struct sync_settings st;
    memset(&st, 0, sizeof st);
    /* No pin, no key learnt: nothing kept (sign-ups stay clear). */
    assert_true(sync_pin_seal_key(store, &st));
    kept_key(store, kept, sizeof kept);
    assert_string_equal(kept, "");
    /* With a pin a kiosk seals from its first sign-up, before any hub
     * contact. */
    st.has_seal_pin = true;
    memcpy(st.seal_pin, pinned.pk, sizeof st.seal_pin);
    assert_true(sync_pin_seal_key(store, &st));
    kept_key(store, kept, sizeof kept);
    assert_string_equal(kept, pinned.text);
    store_close(store);

    /* A read-only store (disk full) is never written. */
    struct pair other;
    make_pair(&other);
    store = store_open_read_only(path);
    assert_non_null(store);
    memcpy(st.seal_pin, other.pk, sizeof st.seal_pin);
    assert_true(sync_pin_seal_key(store, &st));
    kept_key(store, kept, sizeof kept);
    assert_string_equal(kept, pinned.text);
    assert_true(temp_store_remove(store, dir));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pin_replaces_the_kept_key),
        cmocka_unit_test(test_pin_on_a_fresh_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
