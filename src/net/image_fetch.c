#include "net/image_fetch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/disk.h"
#include "base/log.h"
#include "net/fetch.h"

#define TAG "images"
/* Shorter than the feed's: an image is worth less than the next one. */
#define IMAGE_CONNECT_TIMEOUT_S 10L
#define IMAGE_TOTAL_TIMEOUT_S 30L

struct run {
    struct store *store;
    const char *dir;
    bool file_feed;
    const char *ca_file;
    image_keep_fn keep;
    void *keep_ctx;
    int64_t now;
    const atomic_bool *cancel;
    struct image_fetch_result *out;
};

static void failed(struct run *run, const struct image_due *due, const char *reason)
{
    /* the item's id and the tool's words: an image carries no personal data */
    log_warn(TAG, "image %s: %s", due->item_id, reason);
    run->out->failed++;
    if (!image_cache_record_error(run->store, due->url, reason, run->now))
        log_warn(TAG, "cannot record the image of %s", due->item_id);
}

static bool scheme_allowed(const struct run *run, const char *url)
{
    if (fetch_is_file_url(url))
        return run->file_feed;
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

static bool fetch_one(void *ctx, const struct image_due *due)
{
    struct run *run = ctx;
    if (run->cancel && atomic_load(run->cancel))
        return false;
    if (!scheme_allowed(run, due->url)) {
        failed(run, due, "not an http(s) URL");
        return true;
    }
    struct fetch_request req = {
        .url = due->url,
        .etag = due->etag,
        .last_modified = due->last_modified,
        .ca_file = run->ca_file,
        .max_body = IMAGE_CACHE_MAX_BYTES,
        .connect_timeout_s = IMAGE_CONNECT_TIMEOUT_S,
        .total_timeout_s = IMAGE_TOTAL_TIMEOUT_S,
        .cancel = run->cancel,
    };
    struct fetch_response resp;
    fetch_get(&req, &resp);
    char err[256];
    switch (resp.result) {
    case FETCH_NOT_MODIFIED:
        if (due->has_copy) {
            run->out->unchanged++;
            image_cache_record_unchanged(run->store, due->url, run->now);
        } else {
            failed(run, due, "304 without a kept copy");
        }
        break;
    case FETCH_TOO_LARGE:
        snprintf(err, sizeof err, "over %u MiB", IMAGE_CACHE_MAX_BYTES / (1024u * 1024u));
        failed(run, due, err);
        break;
    case FETCH_FAILED:
        failed(run, due, resp.error);
        break;
    case FETCH_OK: {
        char file[IMAGE_CACHE_NAME_MAX], thumb[IMAGE_CACHE_NAME_MAX];
        image_cache_names(due->url, file, thumb);
        char path[4200], thumb_path[4200];
        snprintf(path, sizeof path, "%s/%s", run->dir, file);
        snprintf(thumb_path, sizeof thumb_path, "%s/%s", run->dir, thumb);
        struct image_kept kept;
        err[0] = '\0';
        if (!run->keep(run->keep_ctx, resp.body, resp.body_len, path, thumb_path, &kept, err,
                       sizeof err)) {
            failed(run, due, err[0] ? err : "cannot decode");
        } else if (!image_cache_record_kept(run->store, due->url, kept.w, kept.h, kept.thumb_w,
                                            kept.thumb_h, resp.etag, resp.last_modified,
                                            run->now)) {
            /* the files stay unnamed: the next clean-up removes them */
            log_warn(TAG, "cannot record the image of %s", due->item_id);
            run->out->failed++;
        } else {
            run->out->kept++;
        }
        break;
    }
    }
    fetch_response_clear(&resp);
    return true;
}

void image_fetch_all(struct store *store, const char *feed_url, const char *ca_file,
                     image_keep_fn keep,
                     void *keep_ctx, int64_t now, const atomic_bool *cancel,
                     struct image_fetch_result *out)
{
    memset(out, 0, sizeof *out);
    char dir[4096];
    if (!keep || store_is_read_only(store) || !image_cache_dir(store, dir, sizeof dir)) {
        out->skipped = true;
        return;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        log_warn(TAG, "cannot make %s: %s; no images", dir, strerror(errno));
        out->skipped = true;
        return;
    }
    /* The last megabytes are the feed's and the sign-ups': images wait
     * for room. Copies no longer named are still removed. */
    uint64_t free_bytes;
    if (disk_free_bytes(dir, &free_bytes) && free_bytes < IMAGE_CACHE_MIN_FREE_BYTES) {
        log_warn(TAG, "less than %u MiB free: images are not fetched",
                 IMAGE_CACHE_MIN_FREE_BYTES / (1024u * 1024u));
        out->skipped = true;
    } else {
        struct run run = {
            .store = store,
            .dir = dir,
            .file_feed = fetch_is_file_url(feed_url),
            .ca_file = ca_file,
            .keep = keep,
            .keep_ctx = keep_ctx,
            .now = now,
            .cancel = cancel,
            .out = out,
        };
        if (!image_cache_due(store, now, fetch_one, &run))
            log_warn(TAG, "cannot read which images are due");
    }
    if (!image_cache_collect(store, dir, &out->removed))
        log_warn(TAG, "cannot clean up the images");
}
