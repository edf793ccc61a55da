/*
 * The order in which a line of text is drawn: the Unicode bidirectional
 * algorithm (UAX #9, by FriBidi) splits a line into runs, each drawn in one
 * direction, and gives the runs in visual order, left to right. The shaper
 * (sdl/render.c) draws each run with HarfBuzz in its direction; the layout
 * (view/textlayout.c) and the mirrored screens (view/mirror.c) ask which
 * way a text reads.
 *
 * Beyond UAX #9, one higher-level rule (HL2): a phone number ("033 123 45
 * 67", "+31 6 1234 5678") is kept whole, left to right, inside a
 * right-to-left line, instead of each group of digits being placed as a
 * separate number.
 *
 * Directional formatting characters (LRI, RLI, FSI, PDI, LRM, RLM, ALM, and
 * the older embeddings) steer the order and draw nothing: a run may hold
 * them, and a run of nothing else is left out.
 */
#ifndef BK_BIDI_H
#define BK_BIDI_H

#include <stdbool.h>
#include <stddef.h>

enum text_direction { TEXT_DIR_NEUTRAL, TEXT_DIR_LTR, TEXT_DIR_RTL };

/* One run: bytes [start, start + len) of the line, in logical order,
 * drawn right to left when rtl. */
struct bidi_run {
    size_t start, len;
    bool rtl;
};

/* The direction of the first strong letter (UAX #9 rules P2, P3), or
 * TEXT_DIR_NEUTRAL when there is none (digits and punctuation only). */
enum text_direction bidi_first_strong(const char *text, size_t len);

/* Splits len bytes of UTF-8 (one line) into runs in visual order. The
 * paragraph takes the direction of its first strong letter, or rtl_default
 * when it has none. Returns the number of runs, which may exceed max_runs
 * (then only the first max_runs are written and the caller should not use
 * them); 0 for empty text. Malformed UTF-8 counts as U+FFFD, one byte each.
 * On out of memory, one left-to-right run of the whole line. */
size_t bidi_visual_runs(const char *text, size_t len, bool rtl_default, struct bidi_run *runs,
                        size_t max_runs);

/* True for a character that only steers direction and draws nothing. */
bool bidi_is_control(unsigned cp);

#endif
