/*
 * What a resident typed, judged by Unicode property: characters that are
 * not shown as themselves (controls, format characters such as bidi
 * overrides and zero-width spaces, line and paragraph separators), white
 * space, letters, and printing such text where staff read it with the
 * unprintable written out. The properties come from HarfBuzz's Unicode
 * data (already linked for shaping), never from tables of our own.
 */
#ifndef BK_UNITEXT_H
#define BK_UNITEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* General category Cc (C0, DEL, C1), Cf (bidi controls U+202A-U+202E and
 * U+2066-U+2069, zero-width U+200B-U+200F, U+FEFF, soft hyphen, tags...),
 * Cs, Zl or Zp: a character that is no visible part of a name. */
bool unitext_unprintable(unsigned cp);

/* General category L* (a letter of any script). */
bool unitext_letter(unsigned cp);

/* General category Zs, or an ASCII tab or line break. */
bool unitext_space(unsigned cp);

/* True when s is well-formed UTF-8 with nothing unprintable in it; with
 * breaks_ok, LF and tab are allowed (a remark may have lines). */
bool unitext_clean(const char *s, bool breaks_ok);

/* True when s holds nothing but white space (or nothing at all). */
bool unitext_blank(const char *s);

/* Writes at most max_bytes of s (cut at a character boundary) to out,
 * with every unprintable character as \u{XXXX}, a byte that is not UTF-8
 * as \x{NN} and a backslash as \\, so that a terminal shows what is
 * stored and is never steered by it. NULL writes nothing. */
void unitext_print_escaped(FILE *out, const char *s, size_t max_bytes);

#endif
