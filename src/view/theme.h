/*
 * Colours and sizes of the resident screens, derived from the frame size
 * and the accessibility modes. Sizes scale with the shorter side of the
 * frame, so that 800x480 and 1920x1080 look alike; touch targets never
 * drop below 44 px (WCAG 2.5.5).
 */
#ifndef BK_THEME_H
#define BK_THEME_H

#include <stdbool.h>

#include "view/frame.h"

#define THEME_MIN_TARGET 44

struct theme {
    /* colours: every text colour has >= 4.5:1 (>= 7:1 in high contrast)
     * against the background it is drawn on; tests/unit/test_ui.c checks */
    struct rgba background, surface, ink, ink_soft, primary, on_primary, accent_bg, accent_ink,
        alert, line, overlay;
    /* sizes in px */
    int unit;           /* 1 % of the shorter side, at least 4 */
    int margin, gap, radius;
    int header_h, footer_h, button_h, item_h, key_h;
    int font_title, font_heading, font_body, font_small;
    int line_title, line_heading, line_body, line_small;
};

void theme_for(struct theme *t, int width, int height, bool large_text, bool high_contrast);

/* Takes the organisation's colour ("#RRGGBB", config branding.colour) for
 * headers, tiles and buttons. Ignored in high-contrast mode and when NULL;
 * the config parser has already checked its contrast with white. */
void theme_apply_branding(struct theme *t, const char *hex, bool high_contrast);

/* WCAG relative-luminance contrast ratio of two opaque colours. */
double theme_contrast(struct rgba a, struct rgba b);

#endif
