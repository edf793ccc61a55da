/*
 * Checking what a resident types on the sign-up form: names, Dutch phone
 * numbers, e-mail addresses. Friendly by design: spaces, dashes and
 * brackets in a phone number are fine, and so are +31 and 0031.
 */
#ifndef BK_VALIDATE_H
#define BK_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define NAME_MAX_CHARS 80
#define PHONE_MAX_BYTES 24
#define EMAIL_MAX_BYTES 254
#define REMARK_MAX_CHARS 500

/* 1-80 characters after trimming, at least one letter (Unicode L*), no
 * digits, and nothing unprintable (Unicode Cc, Cf, Zl, Zp: controls, bidi
 * overrides, zero-width characters); letters and marks of any script,
 * spaces, - ' . allowed. */
bool validate_name(const char *name);

/* At most 500 characters, line breaks allowed, nothing else unprintable. */
bool validate_remark(const char *remark);

/* A Dutch mobile (06...) or landline number, written nationally
 * (0xx...), or internationally (+31 / 0031, with or without "(0)").
 * On success writes the national form ("0612345678") to out (>= 11 bytes)
 * when out is not NULL. 0800/090x service numbers are refused. */
bool validate_phone(const char *phone, char *out, size_t out_len);

/* The shape of an e-mail address: one @, a local part of 1-64 ordinary
 * characters, a domain of dot-separated labels ending in a TLD of at
 * least two letters; at most 254 bytes. */
bool validate_email(const char *email);

/* Number of UTF-8 code points in s. */
size_t utf8_chars(const char *s);

#endif
