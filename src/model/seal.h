/*
 * A sign-up's personal fields sealed to the hub (docs/spec-notes.md,
 * "Sealed personal fields"): name, phone, email and remark as one small
 * JSON object, padded to a multiple of SEAL_PAD_BLOCK bytes so that the
 * blob's length says little about the name's, then sealed with
 * libsodium's crypto_box_seal to the hub's X25519 public key and written
 * as standard base64. The kiosk can seal but never open: a stolen SD card
 * holds only blobs that the hub's secret key opens.
 *
 * Shared by the kiosk (sealing, model/outbox.c) and the hub (opening,
 * hub/hub_signup.c). Nothing here logs, and error texts never carry a
 * field's value.
 */
#ifndef BK_SEAL_H
#define BK_SEAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SEAL_PUBLIC_KEY_BYTES 32
#define SEAL_SECRET_KEY_BYTES 32
/* A 32-byte key in standard base64 with padding, and the NUL. */
#define SEAL_KEY_TEXT_LEN 45
/* The padded JSON's length is a multiple of this. */
#define SEAL_PAD_BLOCK 128
/* Larger sealed texts are refused unopened: four fields at their limits
 * (hub_signup.h), escaped, stay far below. */
#define SEAL_TEXT_MAX (16u * 1024u)

/* The fields sealed; NULL for one the activity did not ask for. */
struct seal_fields {
    const char *name, *phone, *email, *remark;
};

/* Reads a base64 public key (32 bytes; surrounding spaces ignored).
 * False for anything else. */
bool seal_key_parse(const char *text, unsigned char key[SEAL_PUBLIC_KEY_BYTES]);

/* Writes key as base64 (SEAL_KEY_TEXT_LEN bytes with the NUL). */
void seal_key_format(const unsigned char key[SEAL_PUBLIC_KEY_BYTES],
                     char out[SEAL_KEY_TEXT_LEN]);

/* Seals the fields to public_key: the base64 text (malloc'd, the caller
 * frees), or NULL when out of memory or a field is not UTF-8 (the form
 * has validated them). The clear JSON is wiped before returning. */
char *seal_fields(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                  const struct seal_fields *fields);

/* Opens a sealed text with the hub's key pair: a JSON object (the caller
 * decrefs) whose members name, phone, email and remark are each absent,
 * null or a string; other members are ignored. NULL with a short reason
 * in err (not base64, too long, not sealed to this key or damaged, not a
 * JSON object, a field of the wrong type). */
json_t *seal_open(const char *text, const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                  const unsigned char secret_key[SEAL_SECRET_KEY_BYTES], char *err,
                  size_t err_len);

#endif
