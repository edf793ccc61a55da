/*
 * Mirroring a built frame for a right-to-left interface language. Screens
 * are laid out once, left to right; for Arabic the whole frame is then
 * flipped about its vertical middle: back and home move to the right, text
 * that started at the left edge of its area ends at the right edge, lists
 * keep their bars on the side text starts from. Keyboards opt out
 * (frame_keep_ltr_since), because their rows are the same in every
 * language.
 */
#ifndef BK_MIRROR_H
#define BK_MIRROR_H

#include "view/frame.h"
#include "view/textlayout.h"

/* The rectangle flipped about the vertical middle of a frame width wide. */
struct rect rect_mirror(struct rect r, int width);

/* Flips every widget and draw command not kept left to right. A line of
 * text keeps its width, measured with m, so that text placed at the left
 * of an area ends at the right of the flipped area. */
void frame_mirror(struct frame *f, const struct text_measurer *m);

#endif
