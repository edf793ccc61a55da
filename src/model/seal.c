#include "model/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B64 sodium_base64_VARIANT_ORIGINAL

bool seal_key_parse(const char *text, unsigned char key[SEAL_PUBLIC_KEY_BYTES])
{
    if (!text)
        return false;
    size_t len = 0;
    const char *end = NULL;
    /* " \t\r\n" are skipped anywhere, which also trims a value read from
     * a header or a file; anything else that is not base64 fails. */
    if (sodium_base642bin(key, SEAL_PUBLIC_KEY_BYTES, text, strlen(text), " \t\r\n", &len, &end,
                          B64) != 0 ||
        len != SEAL_PUBLIC_KEY_BYTES || *end != '\0') {
        sodium_memzero(key, SEAL_PUBLIC_KEY_BYTES);
        return false;
    }
    return true;
}

void seal_key_format(const unsigned char key[SEAL_PUBLIC_KEY_BYTES], char out[SEAL_KEY_TEXT_LEN])
{
    sodium_bin2base64(out, SEAL_KEY_TEXT_LEN, key, SEAL_PUBLIC_KEY_BYTES, B64);
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

char *seal_fields(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                  const struct seal_fields *f)
{
    json_t *name = text_or_null(f->name), *phone = text_or_null(f->phone),
           *email = text_or_null(f->email), *remark = text_or_null(f->remark);
    json_t *o = NULL;
    if (name && phone && email && remark)
        o = json_pack("{s:O,s:O,s:O,s:O}", "name", name, "phone", phone, "email", email,
                      "remark", remark);
    json_decref(name);
    json_decref(phone);
    json_decref(email);
    json_decref(remark);
    char *clear = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!clear)
        return NULL;
    size_t clear_len = strlen(clear);
    size_t cap = clear_len + SEAL_PAD_BLOCK;
    unsigned char *padded = malloc(cap);
    unsigned char *sealed = malloc(cap + crypto_box_SEALBYTES);
    size_t padded_len = 0;
    char *text = NULL;
    if (padded && sealed) {
        memcpy(padded, clear, clear_len);
        if (sodium_pad(&padded_len, padded, clear_len, SEAL_PAD_BLOCK, cap) == 0 &&
            crypto_box_seal(sealed, padded, padded_len, public_key) == 0) {
            size_t sealed_len = padded_len + crypto_box_SEALBYTES;
            size_t text_len = sodium_base64_ENCODED_LEN(sealed_len, B64);
            text = malloc(text_len);
            if (text)
                sodium_bin2base64(text, text_len, sealed, sealed_len, B64);
        }
    }
    /* The clear copies must not linger in freed memory. */
    sodium_memzero(clear, clear_len);
    free(clear);
    if (padded)
        sodium_memzero(padded, cap);
    free(padded);
    free(sealed);
    return text;
}

static bool field_ok(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return !v || json_is_null(v) || json_is_string(v);
}

json_t *seal_open(const char *text, const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                  const unsigned char secret_key[SEAL_SECRET_KEY_BYTES], char *err,
                  size_t err_len)
{
    size_t text_len = text ? strlen(text) : 0;
    if (text_len > sodium_base64_ENCODED_LEN(SEAL_TEXT_MAX, B64)) {
        snprintf(err, err_len, "sealed is too long");
        return NULL;
    }
    size_t cap = text_len / 4 * 3 + 3;
    unsigned char *sealed = malloc(cap);
    unsigned char *clear = malloc(cap);
    json_t *o = NULL;
    size_t sealed_len = 0;
    const char *end = NULL;
    if (!sealed || !clear) {
        snprintf(err, err_len, "out of memory");
    } else if (text_len == 0 ||
               sodium_base642bin(sealed, cap, text, text_len, NULL, &sealed_len, &end, B64) != 0 ||
               *end != '\0') {
        snprintf(err, err_len, "sealed is not base64");
    } else if (sealed_len <= crypto_box_SEALBYTES ||
               crypto_box_seal_open(clear, sealed, sealed_len, public_key, secret_key) != 0) {
        snprintf(err, err_len, "sealed cannot be opened with this hub's key");
    } else {
        size_t clear_len = sealed_len - crypto_box_SEALBYTES, unpadded = 0;
        json_error_t jerr;
        if (sodium_unpad(&unpadded, clear, clear_len, SEAL_PAD_BLOCK) != 0)
            snprintf(err, err_len, "sealed holds no padded content");
        else if (!(o = json_loadb((const char *)clear, unpadded, JSON_REJECT_DUPLICATES, &jerr)) ||
                 !json_is_object(o))
            snprintf(err, err_len, "sealed does not hold a JSON object");
        else if (!field_ok(o, "name") || !field_ok(o, "phone") || !field_ok(o, "email") ||
                 !field_ok(o, "remark"))
            snprintf(err, err_len, "sealed holds a field that is not a string");
        else {
            sodium_memzero(clear, cap);
            free(clear);
            free(sealed);
            return o;
        }
        json_decref(o);
        o = NULL;
    }
    if (clear)
        sodium_memzero(clear, cap);
    free(clear);
    free(sealed);
    return NULL;
}
