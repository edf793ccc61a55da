/*
 * Breaking text into lines that fit a width, with the measure callback
 * the SDL layer provides (tests use a fixed advance). Lines break where
 * Unicode's line-breaking rules allow (UAX #14, by libunibreak): after a
 * space, after a hyphen, between ideographs, never before a closing mark.
 * Lines are copied into the frame's arena; a block that had to be cut ends
 * in an ellipsis.
 */
#ifndef BK_TEXTLAYOUT_H
#define BK_TEXTLAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "view/frame.h"

#define TEXT_MAX_LINES 64

/* Width in pixels of text at a font size; the SDL layer measures with
 * SDL_ttf, tests with a fixed-advance stand-in. rtl: the interface reads
 * right to left (text without a strong letter is ordered that way, which
 * can change which font draws a space). */
typedef int (*text_measure_fn)(void *ctx, const char *text, size_t len, int font_px,
                               enum font_weight weight, bool rtl);

struct text_measurer {
    text_measure_fn fn;
    void *ctx;
    bool rtl;
};

struct text_block {
    size_t n_lines;
    const char *lines[TEXT_MAX_LINES];
    int widest;
    bool cut;               /* more text than max_lines: the last line ends in "…" */
};

/* Prepares the line-breaking tables once, before the first layout (an
 * optimisation libunibreak offers; layout is right without it). */
void text_layout_init(void);

/* Lays text out in lines of at most max_width px, at most max_lines
 * (<= TEXT_MAX_LINES). Breaks at '\n' and where UAX #14 allows; a word
 * wider than the line is broken between characters. */
void text_layout(struct frame *f, const struct text_measurer *m, const char *text, int font_px,
                 enum font_weight weight, int max_width, size_t max_lines,
                 struct text_block *out);

/* Width of a single line of text. */
int text_width(const struct text_measurer *m, const char *text, int font_px,
               enum font_weight weight);

#endif
