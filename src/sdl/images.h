/*
 * Pictures the kiosk shows (the organisation's logo): decoded once from a
 * PNG or JPEG file with SDL_image, kept as a surface, and turned into a
 * texture of exactly the size a frame asks for.
 *
 * Scaling happens here, once per size, and not in SDL_RenderCopy: a large
 * logo shrunk to a header by the renderer's sampler would alias, and the
 * result would differ between renderers. Each halving averages 2 x 2
 * pixels (SDL_SoftStretchLinear sampling between them), the last step is
 * linear, so the same file gives the same pixels on every back end.
 */
#ifndef BK_UI_IMAGES_H
#define BK_UI_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "model/config.h"
#include "model/image_cache.h"

/* Larger pictures are refused: a logo never needs more, and decoding one
 * costs width * height * 4 bytes. */
#define IMAGES_MAX_SIDE CONFIG_IMAGE_MAX_SIDE
/* Pictures are kept at most this large (halved on loading until they
 * fit): the widest place a logo gets is a third of a 1920 px screen. */
#define IMAGES_KEEP_SIDE 1024

struct image_set;

struct image_set *image_set_new(void);
/* Frees every surface and texture. Accepts NULL. */
void image_set_free(struct image_set *set);

/* Decodes path (PNG or JPEG) unless it is already in the set, and gives
 * its size in pixels as kept. False with a reason in err when the file
 * cannot be read or decoded or is too large. */
bool image_set_load(struct image_set *set, const char *path, int *w, int *h, char *err,
                    size_t err_len);

/* The kept size of a loaded picture; false when path was never loaded
 * (or failed to load): nothing is decoded here. */
bool image_set_size(const struct image_set *set, const char *path, int *w, int *h);

/* A texture of path's picture at exactly w x h, with alpha blending,
 * made on first use and kept until another size is asked for. NULL when
 * path was never loaded or SDL is out of memory. */
SDL_Texture *image_set_texture(struct image_set *set, SDL_Renderer *r, const char *path, int w,
                               int h);

/* Like image_set_load, for the feed's images (model/image_cache.h): loaded
 * on first use while a frame is drawn, and a file that fails is
 * remembered, logged once and not tried again until the file changes
 * (its mtime: a sync wrote it anew), so that it draws nothing without
 * slowing every frame. Pictures loaded this way are forgotten, least
 * recently used first, beyond IMAGES_FEED_KEPT of them (a list scrolled
 * through 200 thumbnails must not keep 200 surfaces); failed files beyond
 * IMAGES_FAILED_KEPT (years of feeds must not grow the list without end;
 * one forgotten is tried, and logged, once more if it comes back). */
#define IMAGES_FEED_KEPT 24
#define IMAGES_FAILED_KEPT 64
bool image_set_ensure(struct image_set *set, const char *path, int *w, int *h);

/* How many entries the set holds, failed ones included (for tests). */
size_t image_set_entries(const struct image_set *set);

/* The image_keep_fn of model/image_cache.h, with SDL_image: checks the
 * header's pixel size (at most IMAGE_CACHE_MAX_SIDE a side), decodes,
 * flattens onto white, brings the picture down to IMAGE_CACHE_KEEP_SIDE
 * and IMAGE_CACHE_THUMB_SIDE by the halvings this module draws with, and
 * writes both PNGs atomically. Safe on the network thread (only surfaces
 * of its own). ctx is unused. */
bool images_keep_feed_image(void *ctx, const void *body, size_t len, const char *path,
                            const char *thumb_path, struct image_kept *out, char *err,
                            size_t err_len);

/* Destroys the textures (kept surfaces remain): after a render device
 * reset, and before the SDL_Renderer goes. */
void image_set_drop_textures(struct image_set *set);

#endif
