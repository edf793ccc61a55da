/*
 * The feed's images on the network thread (and in the `sync` command):
 * after a feed was applied or found unchanged, each image URL the content
 * names that is not kept yet, failed long enough ago, or was kept a day
 * ago, is fetched under IMAGE_CACHE_MAX_BYTES with short timeouts, handed
 * to the keeper to decode and write, and recorded; then copies nothing
 * names any more are removed. An image never fails a sync: a failure is a
 * log line "image ID: reason" and a row, and any older copy stays.
 */
#ifndef BK_IMAGE_FETCH_H
#define BK_IMAGE_FETCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "model/image_cache.h"
#include "model/store.h"

struct image_fetch_result {
    size_t kept;                  /* new or changed copies written */
    size_t unchanged;             /* kept copies the server confirmed */
    size_t failed;
    size_t removed;               /* files nothing names any more */
    bool skipped;                 /* not tried: the disk is nearly full, or no directory */
};

/* feed_url decides which schemes an image may use: file:// images only
 * for a file:// feed (a remote feed must not make the kiosk read its own
 * files), http(s) for every feed. ca_file: as the feed's (sync.ca_file,
 * NULL or "" = the system's CAs). cancel (may be NULL) stops between and
 * during transfers. */
void image_fetch_all(struct store *store, const char *feed_url, const char *ca_file,
                     image_keep_fn keep,
                     void *keep_ctx, int64_t now, const atomic_bool *cancel,
                     struct image_fetch_result *out);

#endif
