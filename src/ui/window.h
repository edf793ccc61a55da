/*
 * The SDL side: a full-screen window (or, headless, an off-screen
 * software surface of the same size), fonts found through fontconfig, and
 * drawing. Nothing outside src/ui and src/app includes SDL.
 */
#ifndef BK_UI_WINDOW_H
#define BK_UI_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui_window;

struct ui_window_options {
    int width, height;       /* 0 = the display's size (full screen) or 1280x800 */
    bool fullscreen;
    bool headless;           /* no display at all: render into memory */
};

/* Opens the window. Without a usable display (SDL would fall back to its
 * invisible offscreen or dummy driver) and without headless, it fails with
 * a reason that points to --headless. */
struct ui_window *ui_window_open(const struct ui_window_options *opt, char *err, size_t err_len);
void ui_window_close(struct ui_window *w);

/* The SDL video driver in use ("x11", "wayland", "KMSDRM", "dummy"). */
const char *ui_window_driver(const struct ui_window *w);

/* What the foundation's screen shows until the real screens exist. */
struct ui_summary {
    long long locations, activities, services, announcements;
    char updated_at[16];       /* "HH:MM", or "" when never synced */
    char problem[256];         /* the last sync error, or "" */
};

void ui_window_show_summary(struct ui_window *w, const struct ui_summary *s);

/* Writes the last frame as PNG. */
bool ui_window_save_png(struct ui_window *w, const char *path);

/* Frames drawn so far: a kiosk at rest draws none. */
uint64_t ui_window_frames(const struct ui_window *w);

#endif
