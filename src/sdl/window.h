/*
 * The SDL side of the screen: a window on the panel (or, headless, an
 * off-screen software surface), turned by ui.rotation, and a renderer that
 * draws core frames into it. Nothing outside src/sdl and src/app includes
 * SDL.
 *
 * Two sizes matter. The panel is the display as it reports itself (and as
 * it reports touches); the frame is what the resident sees, the panel
 * turned by the rotation: with 90 or 270 it is the panel's height by its
 * width. The core, scripts, dumps and screenshots all work in the frame.
 * With a display the frame is drawn into a texture and copied onto the
 * panel turned; headless there is no panel to turn onto, so the surface
 * simply is the frame.
 */
#ifndef BK_UI_WINDOW_H
#define BK_UI_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view/frame.h"

struct ui_window;
struct renderer;

struct ui_window_options {
    int width, height;       /* the panel; 0 = the display's size, or 1280x800 headless */
    bool fullscreen;
    bool headless;           /* no display at all: render into memory */
    int rotation;            /* ui.rotation: 0, 90, 180 or 270 (clockwise) */
};

/* Opens the window (and SDL's video and event subsystems). Without a
 * usable display (SDL would fall back to its invisible offscreen or dummy
 * driver) and without headless, it fails with a reason that points to
 * --headless. NULL with a reason in err on failure. */
struct ui_window *ui_window_open(const struct ui_window_options *opt, char *err, size_t err_len);

/* Closes the window and shuts SDL down. Accepts NULL. */
void ui_window_close(struct ui_window *w);

/* The SDL video driver in use ("x11", "wayland", "KMSDRM", "dummy"). */
const char *ui_window_driver(const struct ui_window *w);

/* The resident's frame size: build frames of exactly this size. */
void ui_window_frame_size(const struct ui_window *w, int *frame_w, int *frame_h);

/* The renderer, owned by the window; its renderer_measure() is the
 * core's text_measure_fn (ctx = this pointer). */
struct renderer *ui_window_renderer(struct ui_window *w);

/* Draws the frame and shows it. Counts one frame. */
void ui_window_present(struct ui_window *w, const struct frame *f);

/* Shows the last presented frame again without drawing it, e.g. after
 * SDL_WINDOWEVENT_EXPOSED. Does not count a frame; a no-op headless. */
void ui_window_redisplay(struct ui_window *w);

/* A touch or mouse position in window coordinates (as SDL's mouse events
 * give them) to the resident's frame: scaled to the panel if the window's
 * size differs from it, then turned back by the rotation. The result is
 * clamped to the frame. */
void ui_window_touch_to_frame(const struct ui_window *w, int x, int y, int *frame_x,
                              int *frame_y);

/* The same for SDL's finger events, whose positions are 0..1 across the
 * window. */
void ui_window_finger_to_frame(const struct ui_window *w, float nx, float ny, int *frame_x,
                               int *frame_y);

/* Writes the last presented frame, in the resident's frame (not turned),
 * as PNG: to PATH.tmp first, then renamed, so that a reader never sees half
 * a file. false (with the reason logged) on failure. */
bool ui_window_save_png(struct ui_window *w, const char *path);

/* Frames drawn so far: a kiosk at rest draws none. */
uint64_t ui_window_frames(const struct ui_window *w);

#endif
