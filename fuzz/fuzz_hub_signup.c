/* Fuzz target: the hub's sign-up body parser and validator (what any
 * holder of a kiosk token can send), and the heartbeat body beside it.
 * A body's "sealed" is opened with a fixed key pair (the seeds
 * sealed-*.json are sealed to it), and the input itself is also sealed to
 * that key and opened, so that what a sealed blob may hold (padding, JSON,
 * field types) is fuzzed past the authentication no mutation gets
 * through. */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/rrule.h"
#include "base/timeutil.h"
#include "fuzz/fuzz.h"
#include "hub/hub_http.h"
#include "hub/hub_signup.h"
#include "model/seal.h"

/* The key pair of the seeds: crypto_box_seed_keypair of this seed. */
static void fuzz_keys(unsigned char pk[SEAL_PUBLIC_KEY_BYTES],
                      unsigned char sk[SEAL_SECRET_KEY_BYTES])
{
    static const unsigned char seed[crypto_box_SEEDBYTES] = "buurtkiosk fuzz seal key seed..";
    crypto_box_seed_keypair(pk, sk, seed);
}

/* Seals data as it is (padded like seal_fields) and opens it. */
static void open_as_content(const uint8_t *data, size_t size, const unsigned char *pk,
                            const unsigned char *sk)
{
    if (size > SEAL_TEXT_MAX)
        return;
    size_t cap = size + SEAL_PAD_BLOCK, padded_len = 0;
    unsigned char *padded = malloc(cap), *sealed = malloc(cap + crypto_box_SEALBYTES);
    char *text = malloc(sodium_base64_ENCODED_LEN(cap + crypto_box_SEALBYTES,
                                                  sodium_base64_VARIANT_ORIGINAL));
    if (padded && sealed && text) {
        memcpy(padded, data, size);
        if (sodium_pad(&padded_len, padded, size, SEAL_PAD_BLOCK, cap) == 0 &&
            crypto_box_seal(sealed, padded, padded_len, pk) == 0) {
            sodium_bin2base64(text,
                              sodium_base64_ENCODED_LEN(cap + crypto_box_SEALBYTES,
                                                        sodium_base64_VARIANT_ORIGINAL),
                              sealed, padded_len + crypto_box_SEALBYTES,
                              sodium_base64_VARIANT_ORIGINAL);
            char err[120];
            json_decref(seal_open(text, pk, sk, err, sizeof err));
        }
    }
    free(padded);
    free(sealed);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tz_use_zone("Europe/Amsterdam");
    if (sodium_init() < 0)
        return 0;
    unsigned char pk[SEAL_PUBLIC_KEY_BYTES], sk[SEAL_SECRET_KEY_BYTES];
    fuzz_keys(pk, sk);
    open_as_content(data, size, pk, sk);
    char err[160];
    struct hub_signup_request req;
    bool parsed = hub_signup_parse((const char *)data, size, &req, err, sizeof err);
    if (parsed && hub_signup_unseal(&req, pk, sk, err, sizeof err)) {
        /* A weekly activity asking for everything, as in the sample feed. */
        struct rrule rule;
        rrule_parse("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=50", &rule, err, sizeof err);
        int64_t exdates[1] = {1795683600}; /* the 26th */
        struct hub_activity_rules a = {
            .has_signup = true,
            .starts_at = 1795510800, /* 2026-11-24T10:00:00+01:00 */
            .rule = &rule,
            .exdates = exdates,
            .n_exdates = 1,
            .capacity = 10,
            .waitlist = true,
            .closes_before_min = 60,
            .fields = SIGNUP_NAME | SIGNUP_PHONE | SIGNUP_EMAIL | SIGNUP_PARTY_SIZE | SIGNUP_REMARK,
        };
        hub_signup_check(&req, &a, err, sizeof err);
        a.fields = SIGNUP_NAME;
        a.rule = NULL;
        hub_signup_check(&req, &a, err, sizeof err);
        hub_signup_judged_at(req.created_at, 1795510800);
    }
    if (parsed)
        hub_signup_request_clear(&req);
    struct hub_heartbeat_request hb;
    if (hub_heartbeat_parse((const char *)data, size, &hb, err, sizeof err))
        hub_heartbeat_request_clear(&hb);
    return 0;
}
