/*
 * The take-home code on the detail screens and after a sign-up: which
 * text it carries (model/takehome.h: the item's url, else an event or a
 * contact card) and where it goes among the details: beside the title on
 * a wide frame, after the essentials on a tall one, so that it never
 * pushes when and where off the first screen.
 */
#ifndef BK_TAKEHOME_CODE_H
#define BK_TAKEHOME_CODE_H

#include <stdbool.h>
#include <stddef.h>

#include "screens/screens.h"

/* Room for a code's text: version 20 holds 666 bytes at level M. */
#define TAKEHOME_TEXT_MAX 1024

/* An activity's code: its url when it has one that scans as a link, else
 * an event of the occurrence shown. False when none can be made. */
bool takehome_for_activity(const struct ui *ui, const struct activity_detail *a, char *out,
                           size_t cap);
/* After a sign-up: the event of the occurrence signed up for (the
 * activity only, never the resident), tentative on the waiting list. */
bool takehome_for_signup(const struct ui *ui, const struct activity_detail *a, bool waitlisted,
                         char *out, size_t cap);
/* A service's code: its url, else its contact card. */
bool takehome_for_service(const struct ui *ui, const struct service_detail *s, char *out,
                          size_t cap);

/* Whether the frame is wide enough for the code beside the details. */
bool takehome_beside(const struct build *b);

/* A code beside the first blocks of details (wide frames): begin draws it
 * at the right of the details and narrows them; end gives them their
 * width back below whichever is lower, the blocks or the code. */
struct takehome_side {
    bool on;
    int full_w;
    int bottom;                  /* below the code and its caption, scrolled */
};
void takehome_side_begin(struct build *b, struct details *d, struct takehome_side *side,
                         const char *id, const char *caption, const char *text);
void takehome_side_end(struct details *d, const struct takehome_side *side);

/* A code in the flow of the details (tall frames), its caption beside it. */
void takehome_details_block(struct build *b, struct details *d, const char *id,
                            const char *caption, const char *text);

/* A code at x, y, at most size px, outside a scrolling area, its caption
 * below it or beside it within width w; returns the height used (0: no
 * code). */
int takehome_block_at(struct build *b, const char *id, const char *caption, const char *text,
                      int x, int y, int w, int size, bool below);

#endif
