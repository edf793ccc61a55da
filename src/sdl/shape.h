/*
 * One line of text as it is drawn: split into runs by direction (view/bidi.h)
 * and into pieces by font (sdl/fonts.h), each piece shaped by HarfBuzz
 * inside SDL_ttf with its direction and script, the pieces placed left to
 * right in visual order on a shared baseline: the baseline of DejaVu Sans
 * at that size, so that a line in any script sits where a Latin line does.
 *
 * Measuring and drawing go through the same pieces, so a line the layout
 * measured to fit is drawn exactly that wide.
 */
#ifndef BK_SHAPE_H
#define BK_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "sdl/fonts.h"
#include "view/frame.h"

/* Width in px of len bytes of UTF-8 at px; rtl: the interface reads right
 * to left (text without a strong letter reads that way). */
int shape_measure(struct font_set *fs, const char *text, size_t len, int px,
                  enum font_weight weight, bool rtl);

/* The line drawn in colour fg on a transparent surface; *top is where the
 * surface's top row goes relative to the line's top (negative when a
 * fallback face reaches higher than DejaVu). NULL on failure. */
SDL_Surface *shape_render(struct font_set *fs, const char *text, size_t len, int px,
                          enum font_weight weight, bool rtl, SDL_Color fg, int *top);

/* The first character of text that no installed font draws (0: none):
 * what a resident would see as a box. Formatting characters draw nothing
 * and are not counted. */
unsigned shape_missing_glyph(struct font_set *fs, const char *text, size_t len,
                             enum font_weight weight);

#endif
