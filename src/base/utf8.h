/*
 * Reading UTF-8 one character at a time, for the code that must know
 * characters rather than bytes (line breaking, bidi, font fallback).
 */
#ifndef BK_UTF8_H
#define BK_UTF8_H

#include <stddef.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes the character at s[0..n) (n > 0) into *cp and returns its length
 * in bytes. A malformed, overlong, surrogate or truncated sequence decodes
 * as U+FFFD and is one byte long, so that a caller always moves on. */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);

#endif
