/*
 * The feed's images as the kiosk keeps them: which URLs the content names,
 * what became of each (a kept copy with its size, or why not), the file
 * names, and the clean-up of copies nothing names any more.
 *
 * The files live in the images directory beside the database, "{db}-images"
 * (automation-v1 allows companion files named with the database's name as
 * prefix, and no others). Each URL gives two PNGs named by its hash: the
 * picture brought down to IMAGE_CACHE_KEEP_SIDE for the detail screens and
 * a thumbnail of IMAGE_CACHE_THUMB_SIDE for the lists, so that a list never
 * decodes a large picture to draw a small one. Decoding and writing them
 * is the caller's (SDL_image, in src/sdl): this module is plain SQLite.
 */
#ifndef BK_IMAGE_CACHE_H
#define BK_IMAGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/store.h"

/* A body over this many bytes is abandoned mid-transfer. */
#define IMAGE_CACHE_MAX_BYTES (4u * 1024u * 1024u)
/* A picture wider or taller than this is refused before it is decoded
 * whole: width * height * 4 bytes would be its memory. */
#define IMAGE_CACHE_MAX_SIDE 6000
/* The kept copy's longer side, at most; the thumbnail's. */
#define IMAGE_CACHE_KEEP_SIDE 800
#define IMAGE_CACHE_THUMB_SIDE 160
/* A kept copy is asked for again (conditionally) after a day; a failed
 * fetch is tried again after an hour, not on every pass. */
#define IMAGE_CACHE_RECHECK_S (24 * 3600)
#define IMAGE_CACHE_RETRY_S 3600
/* Images are skipped while the data directory has less room than this:
 * the room is the feed's and the sign-ups'. */
#define IMAGE_CACHE_MIN_FREE_BYTES (16u * 1024u * 1024u)

/* "0123...ef" (32 hex digits of BLAKE2b-128 of the URL) ".png" or
 * "-thumb.png", and the NUL. */
#define IMAGE_CACHE_NAME_MAX 48

/* The files' names for url: hash.png and hash-thumb.png. */
void image_cache_names(const char *url, char file[IMAGE_CACHE_NAME_MAX],
                       char thumb[IMAGE_CACHE_NAME_MAX]);

/* The images directory of the store's database ("{db}-images"), into buf;
 * false when it does not fit or the store has no file name. */
bool image_cache_dir(struct store *store, char *buf, size_t len);

/* One URL the content names that is due for a fetch: never tried, failed
 * more than IMAGE_CACHE_RETRY_S ago, or kept more than
 * IMAGE_CACHE_RECHECK_S ago (then etag/last_modified, from the kept
 * copy's answer, make the request conditional; NULL otherwise). */
struct image_due {
    const char *url;
    const char *item_id;          /* an activity or service naming it, for the log */
    const char *etag, *last_modified;
    bool has_copy;
};
typedef bool (*image_due_fn)(void *ctx, const struct image_due *due);

/* Calls fn for each URL due at now, in URL order, until fn returns
 * false. The rows are read first, so fn may record outcomes. False on a
 * storage error only. */
bool image_cache_due(struct store *store, int64_t now, image_due_fn fn, void *ctx);

/* A copy was kept: files named by image_cache_names, of w x h and tw x th
 * px; the error is cleared. etag and last_modified may be NULL. */
bool image_cache_record_kept(struct store *store, const char *url, int w, int h, int tw, int th,
                             const char *etag, const char *last_modified, int64_t now);
/* The server said the kept copy is still current (304). */
bool image_cache_record_unchanged(struct store *store, const char *url, int64_t now);
/* The fetch or the decoding failed: any kept copy stays. */
bool image_cache_record_error(struct store *store, const char *url, const char *error,
                              int64_t now);

/* Forgets the rows of URLs no activity or service names any more and
 * removes from dir every file that no remaining row keeps (a half-written
 * temporary included). *removed counts the files (may be NULL). False on
 * a storage error; a file that cannot be removed is only logged. */
bool image_cache_collect(struct store *store, const char *dir, size_t *removed);

/* The pixel size a PNG (IHDR) or baseline/progressive JPEG (SOFn) says it
 * has, read from its header without decoding: a picture over the limits
 * is refused before SDL_image allocates for it. False for anything else
 * (another format, a cut or malformed header). */
bool image_cache_header_size(const unsigned char *body, size_t len, int *w, int *h);

/* What decoding a fetched body came to: the kept copy's and the
 * thumbnail's size in px. */
struct image_kept {
    int w, h, thumb_w, thumb_h;
};

/* Decodes body (len bytes) and writes the kept copy to path and the
 * thumbnail to thumb_path, each atomically (a temporary in the same
 * directory, then a rename): a reader sees the old file or the new one.
 * False with a reason in err when it is not a picture, is too large, or
 * cannot be written; nothing is left behind then. The network thread
 * calls this (the app hands over the SDL_image one, src/sdl/images.h), so
 * it must be safe on a thread other than the main loop's. */
typedef bool (*image_keep_fn)(void *ctx, const void *body, size_t len, const char *path,
                              const char *thumb_path, struct image_kept *out, char *err,
                              size_t err_len);

/* An item's kept image as the screens draw it: full paths. */
struct image_row {
    const char *item_id;
    const char *path, *thumb_path;
    int w, h, thumb_w, thumb_h;
};
typedef bool (*image_row_fn)(void *ctx, const struct image_row *row);

/* The kept images of kind ("activity" or "service"), of the one item id
 * (or all of them when id is NULL), by item id. Items without a kept copy
 * are left out. False on a storage error only. */
bool image_cache_items(struct store *store, const char *kind, const char *id, image_row_fn fn,
                       void *ctx);

#endif
