#include "view/theme.h"

#include "view/icons.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int at_least(int v, int min)
{
    return v < min ? min : v;
}

void theme_for(struct theme *t, int width, int height, bool large_text, bool high_contrast)
{
    int shorter = width < height ? width : height;
    t->unit = at_least(shorter / 100, 4);
    int u = t->unit;
    if (high_contrast) {
        t->background = (struct rgba){0x00, 0x00, 0x00, 0xff};
        t->surface = (struct rgba){0x12, 0x12, 0x12, 0xff};
        t->ink = (struct rgba){0xff, 0xff, 0xff, 0xff};
        t->ink_soft = (struct rgba){0xf0, 0xf0, 0xf0, 0xff};
        t->primary = (struct rgba){0xff, 0xe0, 0x00, 0xff};
        t->on_primary = (struct rgba){0x00, 0x00, 0x00, 0xff};
        t->accent_bg = (struct rgba){0xff, 0xe0, 0x00, 0xff};
        t->accent_ink = (struct rgba){0x00, 0x00, 0x00, 0xff};
        t->alert = (struct rgba){0xff, 0x9e, 0x9e, 0xff};
        t->line = (struct rgba){0xff, 0xff, 0xff, 0xff};
    } else {
        t->background = (struct rgba){0xf7, 0xf5, 0xf0, 0xff};
        t->surface = (struct rgba){0xff, 0xff, 0xff, 0xff};
        t->ink = (struct rgba){0x1a, 0x1a, 0x1a, 0xff};
        t->ink_soft = (struct rgba){0x4a, 0x4a, 0x4a, 0xff};
        t->primary = (struct rgba){0x14, 0x50, 0x6e, 0xff};
        t->on_primary = (struct rgba){0xff, 0xff, 0xff, 0xff};
        t->accent_bg = (struct rgba){0xff, 0xe5, 0x8f, 0xff};
        t->accent_ink = (struct rgba){0x1a, 0x1a, 0x1a, 0xff};
        t->alert = (struct rgba){0xa4, 0x16, 0x1a, 0xff};
        t->line = (struct rgba){0x8a, 0x8a, 0x8a, 0xff};
    }
    t->overlay = (struct rgba){0x00, 0x00, 0x00, 0xb0};
    t->margin = 3 * u;
    t->gap = 2 * u;
    t->radius = u;
    /* Large text is 1.6 times the normal size at every panel size: the
     * normal sizes have floors on small panels, so the scale applies after
     * them, or "large" on 800x480 would be hardly larger. The screens make
     * the room (docs/spec-notes.md "Large text"). */
    double scale = large_text ? 1.6 : 1.0;
    t->font_title = (int)lround(at_least((int)lround(6.0 * u), 24) * scale);
    t->font_heading = (int)lround(at_least((int)lround(4.2 * u), 20) * scale);
    t->font_body = (int)lround(at_least((int)lround(3.2 * u), 16) * scale);
    t->font_small = (int)lround(at_least((int)lround(2.6 * u), 14) * scale);
    t->line_title = t->font_title * 6 / 5;
    t->line_heading = t->font_heading * 6 / 5;
    t->line_body = t->font_body * 6 / 5;
    t->line_small = t->font_small * 6 / 5;
    /* Tall enough for a title of two lines at the body size (three at the
     * small size in large text), which a long title takes beside back and
     * home on a narrow panel. */
    t->header_h = at_least(at_least(12 * u, THEME_MIN_TARGET + 2 * u), 2 * t->line_body + 2 * u);
    if (large_text)
        t->header_h = at_least(t->header_h, 3 * t->line_small + 2 * u);
    /* A button holds its pictogram (view/icons.h, at least 48 px), and
     * the footer a row of such buttons. */
    t->footer_h = at_least(at_least(8 * u, THEME_MIN_TARGET + u), icon_px(t) + u);
    t->button_h = at_least(at_least(t->line_body + 4 * u, THEME_MIN_TARGET), icon_px(t));
    t->item_h = at_least(t->line_body + t->line_small + 3 * u, THEME_MIN_TARGET);
    t->key_h = at_least(9 * u, THEME_MIN_TARGET);
}

static double channel(uint8_t c)
{
    double s = c / 255.0;
    return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

static double luminance(struct rgba c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double theme_contrast(struct rgba a, struct rgba b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

void theme_apply_branding(struct theme *t, const char *hex, bool high_contrast)
{
    unsigned r, g, b;
    if (high_contrast || !hex || strlen(hex) != 7 || sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3)
        return;
    t->primary = (struct rgba){(uint8_t)r, (uint8_t)g, (uint8_t)b, 0xff};
}
