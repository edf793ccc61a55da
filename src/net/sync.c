#include "net/sync.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "net/fetch.h"

#define TAG "sync"
#define BACKOFF_START_MS 30000

static const char *const result_names[] = {"applied", "unchanged", "rejected", "unreachable"};

const char *sync_feed_result_name(enum sync_feed_result r)
{
    return result_names[r];
}

void sync_outcome_line(const struct sync_outcome *out, char *buf, size_t len)
{
    snprintf(buf, len, "feed: %s (%s) skipped=%zu signups: sent=%lld pending=%lld",
             result_names[out->feed], out->reason, out->skipped, (long long)out->signups_sent,
             (long long)out->signups_pending);
}

bool sync_signature_url(const char *feed_url, char *out, size_t out_len)
{
    const char *query = strchr(feed_url, '?');
    size_t path_len = query ? (size_t)(query - feed_url) : strlen(feed_url);
    int n = snprintf(out, out_len, "%.*s.sig%s", (int)path_len, feed_url, query ? query : "");
    return n > 0 && (size_t)n < out_len;
}

bool sync_signature_valid(const unsigned char public_key[32], const char *body, size_t len,
                          const char *signature_text)
{
    if (!signature_text)
        return false;
    while (isspace((unsigned char)*signature_text))
        signature_text++;
    if (strncmp(signature_text, "ed25519=", 8) == 0)
        signature_text += 8;
    size_t n = strlen(signature_text);
    while (n && isspace((unsigned char)signature_text[n - 1]))
        n--;
    unsigned char sig[crypto_sign_BYTES];
    size_t sig_len = 0;
    if (sodium_base642bin(sig, sizeof sig, signature_text, n, NULL, &sig_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        sig_len != sizeof sig)
        return false;
    return crypto_sign_verify_detached(sig, (const unsigned char *)body, len, public_key) == 0;
}

int64_t sync_next_delay_ms(int interval_s, int failures)
{
    int64_t interval_ms = (int64_t)interval_s * 1000;
    int64_t delay = interval_ms;
    if (failures > 0) {
        delay = BACKOFF_START_MS;
        for (int i = 1; i < failures && delay < interval_ms; i++)
            delay *= 2;
        if (delay > interval_ms)
            delay = interval_ms;
    }
    /* +-20 %: kiosks that lost the network together must not come back
     * to the hub in the same second. */
    int64_t spread = delay / 5;
    if (spread > 0)
        delay += (int64_t)randombytes_uniform((uint32_t)(2 * spread + 1)) - spread;
    return delay;
}

static void sha256_hex(const char *body, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)body, len);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
}

static void set_reason(struct sync_outcome *out, const char *reason)
{
    snprintf(out->reason, sizeof out->reason, "%s", reason ? reason : "");
}

/* Fetches the detached signature for feeds whose transport has no header. */
static char *fetch_detached_signature(const struct sync_settings *st)
{
    char url[2100];
    if (!sync_signature_url(st->feed_url, url, sizeof url))
        return NULL;
    struct fetch_request req = {
        .url = url,
        .bearer_token = st->token[0] ? st->token : NULL,
        .max_body = 4096,
    };
    struct fetch_response resp;
    fetch_get(&req, &resp);
    char *sig = NULL;
    if (resp.result == FETCH_OK)
        sig = strdup(resp.body);
    fetch_response_clear(&resp);
    return sig;
}

static void pull_feed(struct store *store, const struct sync_settings *st, int64_t now,
                      const atomic_bool *cancel, struct sync_outcome *out)
{
    char etag[256] = "", last_modified[128] = "", last_sha[65] = "";
    bool is_file = fetch_is_file_url(st->feed_url);
    /* Conditional headers only while there is content they describe. */
    store_get_meta(store, "feed_etag", etag, sizeof etag);
    store_get_meta(store, "feed_last_modified", last_modified, sizeof last_modified);
    store_get_meta(store, "feed_sha256", last_sha, sizeof last_sha);

    struct fetch_request req = {
        .url = st->feed_url,
        .etag = etag[0] ? etag : NULL,
        .last_modified = last_modified[0] ? last_modified : NULL,
        .bearer_token = st->token[0] ? st->token : NULL,
        .max_body = FEED_MAX_BODY,
        .cancel = cancel,
    };
    struct fetch_response resp;
    fetch_get(&req, &resp);

    switch (resp.result) {
    case FETCH_NOT_MODIFIED:
        out->feed = SYNC_UNCHANGED;
        break;
    case FETCH_FAILED:
        out->feed = SYNC_UNREACHABLE;
        set_reason(out, resp.error);
        break;
    case FETCH_TOO_LARGE:
        out->feed = SYNC_REJECTED;
        set_reason(out, resp.error);
        break;
    case FETCH_OK: {
        char sha[65];
        sha256_hex(resp.body, resp.body_len, sha);
        if (is_file && strcmp(sha, last_sha) == 0) {
            out->feed = SYNC_UNCHANGED;
            break;
        }
        if (st->has_public_key) {
            char *detached = resp.signature ? NULL : fetch_detached_signature(st);
            const char *sig = resp.signature ? resp.signature : detached;
            bool valid = sync_signature_valid(st->public_key, resp.body, resp.body_len, sig);
            free(detached);
            if (!valid) {
                out->feed = SYNC_REJECTED;
                set_reason(out, sig ? "the feed's signature does not match sync.public_key"
                                    : "the feed is not signed and sync.public_key is set");
                break;
            }
        }
        struct feed_origin origin = {
            .etag = resp.etag,
            .last_modified = resp.last_modified,
            .sha256_hex = sha,
        };
        enum feed_result r =
            store_apply_feed(store, resp.body, resp.body_len, &origin, now, &out->report);
        out->skipped = out->report.skipped;
        out->feed = r == FEED_ACCEPTED ? SYNC_APPLIED : SYNC_REJECTED;
        set_reason(out, out->report.reason);
        break;
    }
    }
    fetch_response_clear(&resp);
    if (!store_log_sync(store, now, result_names[out->feed], out->reason, out->skipped,
                        &out->report))
        log_warn(TAG, "could not record the sync in the log");
}

static void sync_pass_cancellable(struct store *store, const struct sync_settings *st,
                                  int64_t now, const atomic_bool *cancel,
                                  struct sync_outcome *out)
{
    memset(out, 0, sizeof *out);
    pull_feed(store, st, now, cancel, out);
    if (out->feed == SYNC_APPLIED && !store_refresh_occurrences(store, now, false))
        log_warn(TAG, "could not refresh the occurrence window");
    struct store_status status;
    if (store_status(store, &status))
        out->signups_pending = status.outbox_pending;
}

void sync_pass(struct store *store, const struct sync_settings *settings, int64_t now,
               struct sync_outcome *out)
{
    sync_pass_cancellable(store, settings, now, NULL, out);
}

/* ---- the network thread ---- */

struct sync_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool requested;
    atomic_bool stopping;
    struct sync_settings settings;
    struct clock clock;
    char *db_path;
    void (*on_change)(void *ctx);
    void *ctx;
};

static void deadline_after(struct timespec *ts, int64_t ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000;
    if (ts->tv_nsec >= 1000000000) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000;
    }
}

static void *worker_main(void *arg)
{
    struct sync_worker *w = arg;
    char err[256] = "";
    struct store *store = store_open(w->db_path, err, sizeof err);
    if (!store) {
        log_error(TAG, "network thread cannot open the database: %s", err);
        return NULL;
    }
    int failures = 0;
    while (!atomic_load(&w->stopping)) {
        struct sync_outcome out;
        sync_pass_cancellable(store, &w->settings, clock_now_s(&w->clock), &w->stopping, &out);
        char line[512];
        sync_outcome_line(&out, line, sizeof line);
        log_info(TAG, "%s", line);
        feed_report_clear(&out.report);
        failures = (out.feed == SYNC_APPLIED || out.feed == SYNC_UNCHANGED) ? 0 : failures + 1;
        /* Every pass changes what the screen says about syncing, even one
         * that brought no new content. */
        if (w->on_change)
            w->on_change(w->ctx);

        struct timespec until;
        deadline_after(&until, sync_next_delay_ms(w->settings.interval_s, failures));
        pthread_mutex_lock(&w->lock);
        while (!w->requested && !atomic_load(&w->stopping)) {
            if (pthread_cond_timedwait(&w->wake, &w->lock, &until) != 0)
                break;
        }
        w->requested = false;
        pthread_mutex_unlock(&w->lock);
    }
    store_close(store);
    return NULL;
}

struct sync_worker *sync_worker_start(const char *db_path, const struct sync_settings *settings,
                                      const struct clock *clock,
                                      void (*on_change)(void *ctx), void *ctx)
{
    struct sync_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->settings = *settings;
    w->clock = *clock;
    w->clock.manual = false;
    w->on_change = on_change;
    w->ctx = ctx;
    w->db_path = strdup(db_path);
    atomic_init(&w->stopping, false);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&w->lock, NULL);
    if (!w->db_path || pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w->db_path);
        free(w);
        return NULL;
    }
    return w;
}

void sync_worker_request(struct sync_worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->requested = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void sync_worker_stop(struct sync_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    atomic_store(&w->stopping, true);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w->db_path);
    free(w);
}
