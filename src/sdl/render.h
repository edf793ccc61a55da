/*
 * Drawing a core frame (core/frame.h) with an SDL_Renderer: filled and
 * rounded rectangles, outlines and single lines of text, each inside its
 * clip. Lines of text are ordered, split by font and shaped by sdl/shape.c
 * with the fonts of sdl/fonts.c (DejaVu Sans first, Noto for the rest).
 *
 * Text is rendered once into a texture and kept in a cache bounded by
 * bytes, its pixels and each entry's own (least recently used out first),
 * so that scrolling a list only copies textures. Everything here runs on
 * the thread that owns SDL.
 *
 * With SDL's software renderer on a surface the output is a pure function
 * of the frame (and of the font and SDL versions): golden images rely on it.
 */
#ifndef BK_UI_RENDER_H
#define BK_UI_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "view/frame.h"

/* Font sizes outside this range are clamped to it. */
#define RENDER_FONT_PX_MIN 8
#define RENDER_FONT_PX_MAX 200

/* Default bound of the text cache: 24 MiB of textures (about six screens
 * of 1920x1080 ARGB text, far more than one screen holds). */
#define RENDER_CACHE_BYTES_DEFAULT ((size_t)24 * 1024 * 1024)

struct renderer;

struct render_cache_stats {
    uint64_t hits, misses, evictions;
    size_t entries;
    size_t bytes;           /* held: w * h * 4 per entry, and each entry's own
                               (its texture's and its text's, about 700) */
    size_t budget;
};

/* A renderer drawing with r, which the caller keeps and must destroy only
 * after renderer_free(). Starts SDL_ttf (reference counted) and looks the
 * fonts up; on failure returns NULL with a reason in err. */
struct renderer *renderer_new(SDL_Renderer *r, char *err, size_t err_len);

/* Frees cached textures and fonts. Accepts NULL. */
void renderer_free(struct renderer *rd);

/* Changes the text cache's bound, evicting at once if it is now over. */
void renderer_set_cache_budget(struct renderer *rd, size_t bytes);

/* A text_measure_fn (view/textlayout.h): the width in px of len bytes of UTF-8 at
 * font_px, as renderer_draw() will draw them in a frame whose rtl is rtl.
 * ctx is the struct renderer. 0 for empty text or when no font opens. */
int renderer_measure(void *ctx, const char *text, size_t len, int font_px,
                     enum font_weight weight, bool rtl);

/* The first character of text that no installed font draws (0: none):
 * it would show as a box. */
unsigned renderer_missing_glyph(struct renderer *rd, const char *text, enum font_weight weight);

/* How many font faces have been looked up, both weights together: two
 * (DejaVu regular and bold) until text needs another script. */
size_t renderer_fonts_open(const struct renderer *rd);

/* Height in px of the texture a line of text at font_px gets (the font's
 * ascent + descent); the core assumes font_px * 6 / 5. */
int renderer_text_height(struct renderer *rd, int font_px, enum font_weight weight);

/* Decodes a PNG or JPEG file for DRAW_IMAGE commands that name it, and
 * gives its size in px. Pictures are shown on white: they are flattened
 * onto white here. False with a reason in err when it cannot be used;
 * such a command then draws nothing. */
bool renderer_load_image(struct renderer *rd, const char *path, int *w, int *h, char *err,
                         size_t err_len);

/* Draws f's background and then its draw list, in order, into the
 * renderer's current target, which must be at least f->width x f->height.
 * Leaves the clip rect unset and the draw blend mode as it found it. Commands
 * that fail (out of memory, a font that will not open) are skipped. */
void renderer_draw(struct renderer *rd, const struct frame *f);

void renderer_cache_stats(const struct renderer *rd, struct render_cache_stats *out);

/* Drops every cached text texture (e.g. after SDL_RENDER_TARGETS_RESET or
 * SDL_RENDER_DEVICE_RESET, when textures may have lost their contents). */
void renderer_cache_clear(struct renderer *rd);

#endif
