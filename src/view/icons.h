/*
 * The pictograms the kiosk shows, from Google's Material Icons font
 * (Debian's fonts-material-design-icons-iconfont, Apache-2.0): each by its
 * Material name (what `dump` reports as `icon`) and the font's code point
 * for it, and which widget shows which. Residents who read little find
 * their way by these, so every main choice has one (DESIGN.md).
 *
 * The table is compiled in; tests/unit/test_icons.c checks every row
 * against the installed font, so a wrong code point fails the build's
 * tests instead of drawing the wrong picture.
 */
#ifndef BK_ICONS_H
#define BK_ICONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view/theme.h"

/* A pictogram is never drawn smaller than this (issue 11): 48 px is the
 * size Material's guidance gives for a touch target's icon. */
#define ICON_MIN_PX 48

struct icon {
    const char *name;       /* Material name, e.g. "arrow_back" */
    uint32_t cp;            /* its code point in the font's Private Use Area */
    /* It points somewhere (an arrow): in a right-to-left interface it is
     * drawn mirrored, as Material's bidirectionality guidance asks. */
    bool directional;
};

/* Every pictogram the kiosk uses, for tests and docs. */
const struct icon *icon_table(size_t *n);

/* The pictogram of this Material name, or NULL. */
const struct icon *icon_named(const char *name);

/* The pictogram a widget shows, by its id ("nav.back", "topic.wonen",
 * "filter.theme.leefbaarheid", ...), or NULL when it shows none. */
const struct icon *icon_for_id(const char *id);

/* The size of a pictogram beside a label of body text: half as large
 * again as the text, never below ICON_MIN_PX; grows with large text. */
int icon_px(const struct theme *t);

#endif
