/*
 * What the core hands the screen each time something changed: the widget
 * tree (for hit testing, scripts, `dump` and read-aloud) and the draw list
 * (for the renderer). Both are in the resident's frame: x to the right, y
 * down, after rotation. Neither depends on SDL.
 *
 * All strings live in the frame's arena and are valid until the next
 * frame_reset() or frame_free().
 */
#ifndef BK_FRAME_H
#define BK_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rect {
    int x, y, w, h;
};

enum widget_role {
    ROLE_SCREEN, ROLE_BUTTON, ROLE_TOGGLE, ROLE_TEXT, ROLE_LIST, ROLE_ITEM,
    ROLE_INPUT, ROLE_KEY, ROLE_IMAGE, ROLE_OVERLAY,
};

enum checked_state { CHECKED_NULL = -1, CHECKED_FALSE = 0, CHECKED_TRUE = 1 };

struct widget {
    const char *id;             /* "" when it has none */
    enum widget_role role;
    const char *label;          /* "" when it has none */
    const char *text;           /* NULL when it has none */
    struct rect rect;           /* where it is now (list items: after scrolling) */
    struct rect clip;           /* the part that can be seen: inside its list's viewport */
    bool enabled;
    bool visible;               /* on screen, inside its viewport, not under an overlay */
    enum checked_state checked;
    int list;                   /* index of the list widget that holds it, or -1 */
    bool keep_ltr;              /* stays where it is when the frame is mirrored (keyboards) */
    bool text_overflows;        /* layout had to cut its text: a layout bug to test for */
    bool focused;               /* the input field that typed keys go to */
    /* What `dump` reports of how the label or text is drawn: */
    bool clipped;               /* drawn cut short (an ellipsis, a shortened title) */
    const char *lang;           /* a feed text shown in this fallback language, or NULL */
    int size;                   /* the label's font size in px; 0 when it draws none */
    const char *icon;           /* the pictogram's Material name (view/icons.h), or NULL */
    struct rect icon_rect;      /* where the pictogram is drawn (its em square) */
};

struct rgba {
    uint8_t r, g, b, a;
};

enum draw_op {
    DRAW_RECT,                  /* filled rectangle, corners rounded by radius */
    DRAW_FRAME,                 /* rectangle outline, `thickness` px wide */
    DRAW_TEXT,                  /* one line of text, top-left at rect.x, rect.y */
    DRAW_IMAGE,                 /* a picture the renderer has loaded, scaled into rect */
    DRAW_ICON,                  /* a pictogram of the icon font, its em square = rect */
};

enum font_weight { FONT_REGULAR = 0, FONT_BOLD = 1 };

struct draw_cmd {
    enum draw_op op;
    struct rect rect;
    struct rect clip;           /* draw only inside this */
    struct rgba colour;
    int radius;                 /* DRAW_RECT */
    int thickness;              /* DRAW_FRAME */
    const char *text;           /* DRAW_TEXT: UTF-8, one line */
    int font_px;                /* DRAW_TEXT */
    enum font_weight weight;    /* DRAW_TEXT */
    const char *image;          /* DRAW_IMAGE: the file name it was loaded from */
    bool keep_ltr;              /* stays where it is when the frame is mirrored */
    uint32_t icon_cp;           /* DRAW_ICON: the glyph's code point in the icon font */
    bool icon_directional;      /* DRAW_ICON: drawn mirrored in a right-to-left frame */
};

struct frame_chunk;

struct frame {
    int width, height;
    struct rgba background;
    struct widget *widgets;
    size_t n_widgets, cap_widgets;
    struct draw_cmd *cmds;
    size_t n_cmds, cap_cmds;
    struct frame_chunk *chunks;   /* strings of this frame; chunks never move */
    struct frame_chunk *current;
    uint64_t serial;            /* bumped by every rebuild */
    /* A right-to-left interface language: text without a strong letter
     * reads right to left, rows are read right to left, and the frame is
     * mirrored (view/mirror.h) once built. */
    bool rtl;
};

void frame_init(struct frame *f);
void frame_free(struct frame *f);
/* Empties the frame for a rebuild, keeping its memory. */
void frame_reset(struct frame *f, int width, int height);

/* Copies s (n bytes, or up to its NUL when n is SIZE_MAX) into the arena.
 * Returns "" when out of memory, never NULL. */
const char *frame_strdup(struct frame *f, const char *s, size_t n);
/* Copies s without its directional formatting characters (isolates, marks):
 * they order what is drawn, and a label is what is read and matched. */
const char *frame_strdup_plain(struct frame *f, const char *s);
const char *frame_printf(struct frame *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends and returns a zeroed widget (list = -1, checked = NULL,
 * enabled, visible, clip = rect) or NULL when out of memory. */
struct widget *frame_add_widget(struct frame *f, const char *id, enum widget_role role,
                                const char *label, struct rect rect);
struct draw_cmd *frame_add_cmd(struct frame *f, enum draw_op op, struct rect rect);

/* Puts the widgets in reading order: rows top to bottom (widgets whose
 * vertical middles fall in each other's height share a row), left to
 * right within a row (right to left when f->rtl); containers before what
 * they hold. List indexes are kept pointing at their lists. */
void frame_sort_reading_order(struct frame *f);

/* Marks every widget and draw command added since the frame held
 * n_widgets and n_cmds as staying in place when the frame is mirrored:
 * a keyboard keeps its rows left to right in every language. */
void frame_keep_ltr_since(struct frame *f, size_t n_widgets, size_t n_cmds);

/* The widget with this id, or NULL. */
const struct widget *frame_find_id(const struct frame *f, const char *id);

/* The topmost visible, enabled widget a tap at (x, y) reaches: a button,
 * toggle, item, key, input or screen. NULL when none. */
const struct widget *frame_hit(const struct frame *f, int x, int y);

bool rect_contains(struct rect r, int x, int y);
struct rect rect_intersect(struct rect a, struct rect b);
bool rect_empty(struct rect r);

/* Writes the widget tree as automation-v1's JSON array: only widgets at
 * least partly on screen, in reading order. Returns a malloc'd string. */
char *frame_dump_json(const struct frame *f);

#endif
