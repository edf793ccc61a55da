/*
 * The widgets every screen is made of, drawn into a frame: filled and
 * outlined boxes, lines and blocks of text, buttons, wrapping rows of
 * toggles, a virtual scrolling list with its bar, a block of details that
 * scrolls, and a picture on a plate. Each adds its draw commands and, where
 * it can be tapped or read, a widget; nothing here knows a screen, the
 * store or the resident's state.
 */
#ifndef BK_WIDGETS_H
#define BK_WIDGETS_H

#include <stdbool.h>
#include <stdint.h>

#include "view/frame.h"
#include "view/textlayout.h"
#include "view/theme.h"

/* A scrollable area. The screen owns the offset; the frame shows a window. */
struct scroller {
    int offset;                  /* px scrolled from the top, >= 0 */
    int content_h;               /* last laid-out content height */
    int lead_h;                  /* content above the first row (filters that scroll with it) */
    struct rect viewport;        /* last laid-out viewport */
    double velocity;             /* px per ms, for a fling */
    int64_t last_step_ms;
};

/* Keeps the offset inside the content (0 when it all fits). */
void scroller_clamp(struct scroller *s);

/* Where a screen is being drawn, and with what. */
struct canvas {
    struct frame *f;
    const struct theme *t;
    const struct text_measurer *m;
    struct scroller *list;       /* the screen's one scrolling area */
    struct rect clip;            /* where buttons may draw: the screen, or a scrolling area */
    bool relayout;               /* a height was learnt while drawing: draw once more */
};

enum button_style { STYLE_PRIMARY, STYLE_PLAIN, STYLE_ON_PRIMARY };

/* The whole frame. */
struct rect canvas_screen(const struct canvas *c);

void canvas_fill(struct canvas *c, struct rect r, struct rgba colour, int radius, struct rect clip);
void canvas_outline(struct canvas *c, struct rect r, struct rgba colour, int thickness,
                    struct rect clip);
/* One line of text (already laid out), top-left at x, y. */
void canvas_text_line(struct canvas *c, const char *text, int x, int y, int px,
                      enum font_weight weight, struct rgba colour, struct rect clip);

/* Lays out and draws a block of text of at most max_lines; returns its
 * height. *cut (may be NULL) says whether it had to be shortened. */
int canvas_text_lines(struct canvas *c, const char *text, struct rect area, int px,
                      enum font_weight weight, struct rgba colour, size_t max_lines,
                      struct rect clip, bool *cut);

/* A text widget with its drawn lines, in list (a widget index, or -1);
 * returns the height used, 0 for NULL or empty text. */
int canvas_text(struct canvas *c, const char *id, const char *text, struct rect area, int px,
                enum font_weight weight, struct rgba colour, int list, struct rect clip);

/* A button (or toggle, key) with its label centred, clipped to c->clip;
 * led by a pictogram when view/icons.h gives its id one. */
struct widget *canvas_button(struct canvas *c, const char *id, enum widget_role role,
                             const char *label, struct rect r, enum button_style style,
                             enum checked_state checked);

/* The width a button needs for its label (at least a square). */
int canvas_button_width(const struct canvas *c, const char *label);
/* The same for the button with this id: room for its pictogram too, when
 * view/icons.h gives it one (canvas_button draws it). */
int canvas_button_width_for(const struct canvas *c, const char *id, const char *label);
/* A button that shows its pictogram only (id must have one): the label is
 * what the dump and read-aloud say. For back and home in a header whose
 * title needs the room. */
struct widget *canvas_icon_button(struct canvas *c, const char *id, const char *label,
                                  struct rect r, enum button_style style);
int canvas_icon_button_width(const struct canvas *c);

struct icon;
/* A pictogram (view/icons.h), its em square px wide at x, y, in colour
 * (a label's colour: high contrast follows). A pointing one is drawn
 * mirrored in a right-to-left frame. Nothing for NULL. */
void canvas_icon(struct canvas *c, const struct icon *icon, int x, int y, int px,
                 struct rgba colour, struct rect clip);
/* Records on w that it shows icon at x, y, px square (for `dump`). */
void canvas_mark_icon(struct widget *w, const struct icon *icon, int x, int y, int px);

/* One toggle of a row of them. */
struct chip {
    const char *id;
    const char *label;
    bool checked;
};

/* A row (or rows) of toggles that wraps; returns the height used. */
int canvas_chips(struct canvas *c, const struct chip *chips, size_t n, struct rect area);
/* The height canvas_chips would use in a width, without drawing. */
int canvas_chips_height(struct canvas *c, const struct chip *chips, size_t n, int width);

/* Filters (chips) and the list of rows they filter, in area. The chips
 * stand above the list while three rows still show below them; else
 * (large text on a small panel) they lead the list and scroll away with
 * it, so that the rows keep the screen. Starts the list (content:
 * the chips when they lead it, then n_rows rows of row_h) and returns the
 * list widget's index; *viewport is the list's. */
int canvas_chips_and_list(struct canvas *c, const struct chip *chips, size_t n, struct rect area,
                          const char *list_id, size_t n_rows, int row_h, struct rect *viewport);

/* Starts the scrolling list in area with content_h px of content; clamps
 * the scroller to it and returns the list widget's index. */
int canvas_list_begin(struct canvas *c, const char *id, struct rect area, int content_h);

/* Where row i of a list of rows row_h px high is, at the scroller's
 * offset (possibly outside its viewport), below what leads the list. */
struct rect scroller_row(const struct scroller *s, size_t i, int row_h);
/* The first row at least partly in view. */
size_t scroller_first_row(const struct scroller *s, int row_h);

/* A thin bar on the right of a list that holds more than it shows, so
 * that a resident sees there is more. */
void canvas_scrollbar(struct canvas *c);

/* One list row: title (bold) and a line of text, clipped to the list. */
void canvas_list_item(struct canvas *c, int list, const char *id, const char *title,
                      const char *line, struct rect r, struct rgba line_colour);

/* Puts a widget made inside the scrolling area under the area's clip. */
void canvas_in_list(struct canvas *c, struct widget *w, int list);

/* A picture (loaded by the renderer under the name image, img_w x img_h)
 * on a white plate, so that a logo made for paper reads on any colour: as
 * large as fits in room less a padding, never larger than the picture, at
 * room's left or right edge and top. Returns the plate, of width 0 when
 * there is no picture or no room. */
struct rect canvas_image(struct canvas *c, const char *image, int img_w, int img_h,
                         struct rect room, bool at_right, const char *id, const char *label);

/* The quiet zone around a QR code, in modules (ISO/IEC 18004: 4). */
#define QR_QUIET_MODULES 4

/* The side in px of a QR code of side modules drawn in at most size px:
 * each module a whole number of px (sharp edges scan best), quiet zone
 * included. 0 when a module would be smaller than min_module px. */
int canvas_qr_px(int side, int size, int min_module);

/* A QR code (side x side modules, row by row, nonzero = dark) as dark
 * squares on a white plate that holds the quiet zone, canvas_qr_px(side,
 * size, min_module) px square, top-left at x, y. The modules are never
 * mirrored in a right-to-left frame (a mirrored code does not scan); the
 * plate moves with the layout. Its widget (role image, label) is in list
 * (a widget index, or -1) and drawn inside clip. Returns the plate's
 * side, 0 when it does not fit (nothing is drawn then). */
int canvas_qr(struct canvas *c, const char *id, const char *label, const unsigned char *dark,
              int side, int x, int y, int size, int min_module, int list, struct rect clip);

/* Blocks of details laid out top to bottom inside a scrolling area. */
struct details {
    struct canvas *c;
    int list;
    struct rect viewport;        /* where blocks go: the scroller's, less the bar's strip */
    int y;                       /* next block's top, already scrolled */
    int top;                     /* content top before scrolling */
};

void details_begin(struct details *d, struct canvas *c, const char *id, struct rect viewport);
/* A block of text and a small gap; nothing for NULL or empty text. */
void details_text(struct details *d, const char *id, const char *text, int px,
                  enum font_weight weight, struct rgba colour);
void details_gap(struct details *d);
/* Ends the area: its content height is known now (c->relayout when it
 * changed), and the scrollbar is drawn. */
void details_end(struct details *d);

#endif
