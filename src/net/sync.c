#include "net/sync.h"

#include <ctype.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "model/seal.h"
#include "net/fetch.h"
#include "net/push.h"

#define TAG "sync"
#define BACKOFF_START_MS 30000
/* After a full batch went through and more wait: the next push soon. */
#define OUTBOX_AGAIN_MS 1000
#define MIN_HEARTBEAT_MS 30000

static const char *const result_names[] = {
    [SYNC_APPLIED] = "applied",
    [SYNC_UNCHANGED] = "unchanged",
    [SYNC_REJECTED] = "rejected",
    [SYNC_UNREACHABLE] = "unreachable",
};

const char *sync_feed_result_name(enum sync_feed_result r)
{
    return result_names[r];
}

static const char *const screen_names[] = {
    [SYNC_SCREEN_ON] = "on",
    [SYNC_SCREEN_OFF] = "off",
    [SYNC_SCREEN_FAULT] = "fault",
};

const char *sync_screen_name(enum sync_screen screen)
{
    return screen_names[screen];
}

void sync_report_line(const char *result, const char *reason, size_t skipped, long long sent,
                      long long pending, char *buf, size_t len)
{
    /* automation-v1: the parenthesised reason is left out when there is none. */
    bool has_reason = reason && reason[0];
    snprintf(buf, len, "feed: %s%s%s%s skipped=%zu signups: sent=%lld pending=%lld", result,
             has_reason ? " (" : "", has_reason ? reason : "", has_reason ? ")" : "", skipped,
             sent, pending);
}

void sync_outcome_line(const struct sync_outcome *out, char *buf, size_t len)
{
    sync_report_line(sync_feed_result_name(out->feed), out->reason, out->skipped,
                     (long long)out->signups_sent, (long long)out->signups_pending, buf, len);
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
        .bearer_origin = st->hub_url,
        .ca_file = st->ca_file,
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

bool sync_feed_from_hub(const struct sync_settings *st)
{
    size_t n = strlen(st->hub_url);
    while (n && st->hub_url[n - 1] == '/')
        n--;
    return n && strncmp(st->feed_url, st->hub_url, n) == 0 &&
           (st->feed_url[n] == '/' || st->feed_url[n] == '\0');
}

bool sync_pin_seal_key(struct store *store, const struct sync_settings *st)
{
    if (!st->has_seal_pin || !store || store_is_read_only(store))
        return true;
    char pinned[SEAL_KEY_TEXT_LEN], known[SEAL_KEY_TEXT_LEN + 16] = "";
    seal_key_format(st->seal_pin, pinned);
    store_get_meta(store, STORE_META_HUB_SEAL_KEY, known, sizeof known);
    if (strcmp(pinned, known) == 0)
        return true;
    if (!store_set_meta(store, STORE_META_HUB_SEAL_KEY, pinned)) {
        log_warn(TAG, "could not keep the pinned sync.hub_seal_key");
        return false;
    }
    /* A key kept before the pin was set may be one a hijacked network
     * path handed over: from now on nothing is sealed to it. */
    if (known[0])
        log_warn(TAG, "the kept hub seal key %s is not sync.hub_seal_key; sign-ups are sealed "
                      "to the pinned key from now on", known);
    else
        log_info(TAG, "sign-ups are stored sealed to the pinned sync.hub_seal_key");
    return true;
}

/* Keeps the hub's seal key (STORE_META_HUB_SEAL_KEY) as its own answer
 * gave it, with a 304 too: from then on sign-ups are stored sealed. A
 * changed key replaces the old one (a hub rebuilt from scratch), unless
 * sync.hub_seal_key is set: then the pinned key is the only one ever
 * kept, and the hub's is only compared with it. */
static enum sync_seal_verdict remember_seal_key(struct store *store, const struct sync_settings *st,
                                                const struct fetch_response *resp)
{
    unsigned char key[SEAL_PUBLIC_KEY_BYTES];
    char text[SEAL_KEY_TEXT_LEN], known[SEAL_KEY_TEXT_LEN + 16] = "";
    if (!resp->seal_key || (resp->result != FETCH_OK && resp->result != FETCH_NOT_MODIFIED))
        return SYNC_SEAL_UNKNOWN;
    if (!seal_key_parse(resp->seal_key, key)) {
        log_warn(TAG, "the hub's Buurtkiosk-Seal-Key is not a key; ignored");
        return SYNC_SEAL_UNKNOWN;
    }
    seal_key_format(key, text);
    if (st->has_seal_pin) {
        if (sodium_memcmp(key, st->seal_pin, SEAL_PUBLIC_KEY_BYTES) != 0) {
            /* A hijacked path or a swapped hub: sealing to this key could
             * hand the sign-ups to whoever holds its secret half. */
            log_warn(TAG, "refused the hub's seal key %s: it is not sync.hub_seal_key; sign-ups "
                          "stay sealed to the pinned key and wait in the outbox", text);
            return SYNC_SEAL_REFUSED;
        }
        sync_pin_seal_key(store, st);
        return SYNC_SEAL_AGREES;
    }
    if (store_is_read_only(store))
        return SYNC_SEAL_UNKNOWN;
    store_get_meta(store, STORE_META_HUB_SEAL_KEY, known, sizeof known);
    if (strcmp(text, known) == 0)
        return SYNC_SEAL_UNKNOWN;
    if (store_set_meta(store, STORE_META_HUB_SEAL_KEY, text))
        log_info(TAG, "%s the hub's key: sign-ups are stored sealed to it",
                 known[0] ? "changed to" : "learnt");
    else
        log_warn(TAG, "could not keep the hub's seal key");
    return SYNC_SEAL_UNKNOWN;
}

/* Dropped optional fields leave the item on screen, so they are only
 * logged; ids and field names, never content. */
static void log_feed_warnings(const struct feed_report *report)
{
    char line[FEED_ID_MAX + 256];
    for (size_t i = 0; i < report->n_warnings && i < 20; i++) {
        feed_warning_line(&report->warnings[i], line, sizeof line);
        log_warn(TAG, "%s", line);
    }
    if (report->warned > 20)
        log_warn(TAG, "... %zu optional fields dropped in all", report->warned);
}

static void pull_feed(struct store *store, const struct sync_settings *st, int64_t now,
                      const atomic_bool *cancel, struct sync_outcome *out)
{
    char etag[256] = "", last_modified[128] = "", last_sha[65] = "";
    char validated_url[sizeof st->feed_url] = "";
    bool is_file = fetch_is_file_url(st->feed_url);
    /* Conditional headers only while there is content they describe, and
     * only for the URL that gave them: another server's 304 to a date
     * from elsewhere would keep a feed the kiosk never saw "unchanged". */
    store_get_meta(store, "feed_url", validated_url, sizeof validated_url);
    if (strcmp(validated_url, st->feed_url) == 0) {
        store_get_meta(store, "feed_etag", etag, sizeof etag);
        store_get_meta(store, "feed_last_modified", last_modified, sizeof last_modified);
        store_get_meta(store, "feed_sha256", last_sha, sizeof last_sha);
    }

    struct fetch_request req = {
        .url = st->feed_url,
        .etag = etag[0] ? etag : NULL,
        .last_modified = last_modified[0] ? last_modified : NULL,
        .bearer_token = st->token[0] ? st->token : NULL,
        .bearer_origin = st->hub_url,
        .ca_file = st->ca_file,
        .max_body = FEED_MAX_BODY,
        .cancel = cancel,
    };
    /* Taken before the request goes out: every sign-up the hub answered
     * before this number is in the feed's taken and lease (outbox.h). */
    int64_t request_seq = 0;
    bool have_seq = store_next_seq(store, &request_seq);
    struct fetch_response resp;
    fetch_get(&req, &resp);

    out->seal = remember_seal_key(store, st, &resp);
    switch (resp.result) {
    case FETCH_NOT_MODIFIED:
        /* 304 answers a conditional request. To one that carried no
         * validator it is a server gone wrong: saying "unchanged" would
         * tell staff the kiosk is up to date with content it never got. */
        if (!req.etag && !req.last_modified) {
            out->feed = SYNC_UNREACHABLE;
            set_reason(out, "HTTP 304 to a request without validators");
            break;
        }
        out->feed = SYNC_UNCHANGED;
        break;
    case FETCH_FAILED:
        out->feed = SYNC_UNREACHABLE;
        set_reason(out, resp.error);
        /* A hub over its rate (429) or down for a while (503) says when
         * to come back; pulling sooner only keeps it busy. */
        out->retry_after_ms = push_retry_after_ms(resp.http_status, resp.retry_after, time(NULL));
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
            .url = st->feed_url,
            .etag = resp.etag,
            .last_modified = resp.last_modified,
            .sha256_hex = sha,
        };
        enum feed_result r =
            store_apply_feed(store, resp.body, resp.body_len, &origin, now, &out->report);
        out->skipped = out->report.skipped;
        out->feed = r == FEED_ACCEPTED ? SYNC_APPLIED : SYNC_REJECTED;
        set_reason(out, out->report.reason);
        log_feed_warnings(&out->report);
        break;
    }
    }
    fetch_response_clear(&resp);
    if (have_seq && (out->feed == SYNC_APPLIED || out->feed == SYNC_UNCHANGED)) {
        char seq[32];
        snprintf(seq, sizeof seq, "%lld", (long long)request_seq);
        if (!store_set_meta(store, STORE_META_FEED_REQUEST_SEQ, seq))
            log_warn(TAG, "could not record the feed request's place among the hub's answers");
    }
    if (sync_feed_from_hub(st) && out->feed != SYNC_REJECTED)
        store_set_hub_contact(store, out->feed != SYNC_UNREACHABLE);
    if (!store_log_sync(store, now, sync_feed_result_name(out->feed), out->reason, out->skipped,
                        &out->report))
        log_warn(TAG, "could not record the sync in the log");
}

/* Which parts a pass runs: the command line runs them all, the worker
 * each when it is due. */
struct pass_parts {
    bool feed, push, heartbeat;
    struct push_heartbeat_state beat;
    bool seal_refused;            /* the last verdict on the hub's seal key was a refusal */
};

static void sync_pass_parts(struct store *store, const struct sync_settings *st, int64_t now,
                            const atomic_bool *cancel, const struct pass_parts *parts,
                            struct sync_outcome *out, struct push_result *push)
{
    memset(out, 0, sizeof *out);
    memset(push, 0, sizeof *push);
    if (parts->feed) {
        pull_feed(store, st, now, cancel, out);
        if (out->feed == SYNC_APPLIED && !store_refresh_occurrences(store, now, false))
            log_warn(TAG, "could not refresh the occurrence window");
    }
    bool hub = st->hub_url[0] != '\0';
    if (parts->push) {
        /* Without a hub this only expires unsent sign-ups (a hub that was
         * configured once may be gone): their personal data must go. */
        bool refused = out->seal == SYNC_SEAL_REFUSED ||
                       (out->seal == SYNC_SEAL_UNKNOWN && parts->seal_refused);
        out->signups_held = st->has_seal_pin && refused && hub;
        if (out->signups_held) {
            /* Whoever answers with another key than the pinned one is not
             * (or no longer) the hub the sign-ups are sealed to: they are
             * not handed over, where they could be dropped with a false
             * "confirmed", nor to a hub that cannot open them and would
             * reject them for good. Without a hub push_pending only
             * expires old ones, which must go on. */
            struct sync_settings held = *st;
            held.hub_url[0] = '\0';
            push_pending(store, &held, now, cancel, push);
            log_warn(TAG, "sign-ups held: the hub's seal key is not sync.hub_seal_key "
                          "(pending=%d)", push->pending);
        } else {
            push_pending(store, st, now, cancel, push);
        }
        out->signups_sent = push->sent;
        out->signups_pending = push->pending;
    } else {
        struct store_status status;
        if (store_status(store, &status))
            out->signups_pending = status.outbox_pending;
    }
    if (hub && parts->heartbeat && !(cancel && atomic_load(cancel)))
        push_heartbeat(store, st, &parts->beat, cancel, &out->heartbeat_retry_after_ms);
}

void sync_pass(struct store *store, const struct sync_settings *settings, int64_t now,
               struct sync_outcome *out)
{
    const struct pass_parts all = {.feed = true, .push = true, .heartbeat = true,
                                   .beat = {.screen = SYNC_SCREEN_ON}};
    struct push_result push;
    sync_pin_seal_key(store, settings);
    sync_pass_parts(store, settings, now, NULL, &all, out, &push);
    sync_images(store, settings, now, NULL, out);
}

bool sync_images(struct store *store, const struct sync_settings *settings, int64_t now,
                 const atomic_bool *cancel, struct sync_outcome *out)
{
    memset(&out->images, 0, sizeof out->images);
    if (!settings->keep_image || settings->read_only ||
        (out->feed != SYNC_APPLIED && out->feed != SYNC_UNCHANGED)) {
        out->images.skipped = true;
        return false;
    }
    image_fetch_all(store, settings->feed_url, settings->ca_file, settings->keep_image,
                    settings->keep_image_ctx, now, cancel, &out->images);
    return out->images.kept > 0 || out->images.removed > 0;
}

/* ---- the network thread ---- */

#define PROBLEM_LEN 320

struct sync_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool requested;
    bool outbox_requested;
    char problem[PROBLEM_LEN];    /* under lock: why the thread cannot work, "" = none */
    atomic_bool stopping;
    atomic_int screen;            /* an enum sync_screen */
    int64_t started_ms;           /* monotonic, for the heartbeat's uptime */
    struct sync_settings settings;
    struct clock clock;
    char *db_path;
    void (*on_change)(void *ctx);
    void *ctx;
};

/* The network thread's schedule, its own (monotonic ms). The feed keeps
 * its interval and backoff; the outbox has its own backoff after a
 * temporary failure and otherwise rides along with the feed; opening the
 * database again after it failed backs off like the feed. */
struct worker_plan {
    struct store *store;          /* NULL while the database does not open */
    char problem[PROBLEM_LEN];    /* the thread's copy of sync_worker.problem */
    int feed_failures, push_failures, open_failures;
    int64_t feed_due, outbox_due, open_due;
    int64_t next_heartbeat;       /* when the next one is due; INT64_MIN = now */
    /* No heartbeat before this: the hub's Retry-After (a 429 or 503), which
     * even a heartbeat that has news (the database opens again) keeps to.
     * INT64_MIN = none. */
    int64_t heartbeat_hold;
    int64_t heartbeat_ms;
    bool hub;
    bool seal_refused;            /* sign-ups held: the hub's seal key is not the pinned one */
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

/* Publishes the thread's problem ("" = none) for sync_worker_problem and
 * tells the app when it changed. */
static void set_problem(struct sync_worker *w, struct worker_plan *plan, const char *problem)
{
    if (strcmp(plan->problem, problem) == 0)
        return;
    snprintf(plan->problem, sizeof plan->problem, "%s", problem);
    pthread_mutex_lock(&w->lock);
    snprintf(w->problem, sizeof w->problem, "%s", problem);
    pthread_mutex_unlock(&w->lock);
    if (w->on_change)
        w->on_change(w->ctx);
}

/* Opens the thread's own connection. When it does not open, the thread
 * does not end: "sync now" would then do nothing and nobody would know.
 * It says why (the staff status, and the hub in its heartbeats) and tries
 * again with backoff, or at once when asked to sync. */
static void worker_open(struct sync_worker *w, struct worker_plan *plan)
{
    char err[256] = "";
    /* A screen reading an immutable snapshot must never see a write. */
    plan->store = w->settings.read_only ? store_open_read_only(w->db_path)
                                        : store_open(w->db_path, err, sizeof err);
    if (plan->store) {
        if (plan->open_failures)
            log_info(TAG, "the network thread opened the database; syncing again");
        sync_pin_seal_key(plan->store, &w->settings);
        plan->open_failures = 0;
        /* The hub hears at once that the trouble is over. */
        if (plan->problem[0])
            plan->next_heartbeat = plan->heartbeat_hold;
        set_problem(w, plan, "");
        return;
    }
    if (!err[0])
        snprintf(err, sizeof err, "cannot open %s read-only", w->db_path);
    char problem[PROBLEM_LEN];
    snprintf(problem, sizeof problem, "no sync: %s", err);
    if (strcmp(problem, plan->problem) != 0)
        log_error(TAG, "the network thread cannot open the database: %s; trying again", err);
    plan->open_failures++;
    plan->open_due =
        clock_monotonic_ms() + sync_next_delay_ms(w->settings.interval_s, plan->open_failures);
    set_problem(w, plan, problem);
}

static bool heartbeat_due(const struct worker_plan *plan, int64_t mono)
{
    return plan->hub &&
           (plan->next_heartbeat == INT64_MIN || mono >= plan->next_heartbeat);
}

static struct push_heartbeat_state heartbeat_state(const struct sync_worker *w,
                                                   const struct worker_plan *plan, int64_t mono)
{
    return (struct push_heartbeat_state){
        .uptime_s = (mono - w->started_ms) / 1000,
        .screen = (enum sync_screen)atomic_load(&w->screen),
        .problem = plan->problem[0] ? plan->problem : NULL,
    };
}

/* Schedules the next heartbeat after one went out at `at`: the interval
 * later, or the hub's Retry-After (capped by push_retry_after_ms) when
 * that is longer. */
static void heartbeat_sent(struct worker_plan *plan, int64_t at, int64_t retry_after_ms)
{
    int64_t wait = plan->heartbeat_ms > retry_after_ms ? plan->heartbeat_ms : retry_after_ms;
    plan->next_heartbeat = at + wait;
    plan->heartbeat_hold = retry_after_ms > 0 ? at + retry_after_ms : INT64_MIN;
}

/* Without a database only the heartbeat can go out: it carries the problem. */
static void worker_heartbeat_only(struct sync_worker *w, struct worker_plan *plan)
{
    int64_t mono = clock_monotonic_ms();
    if (!heartbeat_due(plan, mono))
        return;
    struct push_heartbeat_state beat = heartbeat_state(w, plan, mono);
    int64_t retry_after_ms = 0;
    push_heartbeat(NULL, &w->settings, &beat, &w->stopping, &retry_after_ms);
    heartbeat_sent(plan, mono, retry_after_ms);
}

/* One pass of what is due or asked for, then the next deadlines. */
static void worker_pass(struct sync_worker *w, struct worker_plan *plan, bool feed_asked,
                        bool push_asked)
{
    int64_t mono = clock_monotonic_ms();
    struct pass_parts parts = {
        .feed = feed_asked || mono >= plan->feed_due,
        .push = feed_asked || push_asked || mono >= plan->outbox_due,
        .heartbeat = heartbeat_due(plan, mono),
        .beat = heartbeat_state(w, plan, mono),
        .seal_refused = plan->seal_refused,
    };
    struct sync_outcome out;
    struct push_result push;
    sync_pass_parts(plan->store, &w->settings, clock_now_s(&w->clock), &w->stopping, &parts,
                    &out, &push);
    char line[512];
    if (parts.feed) {
        sync_outcome_line(&out, line, sizeof line);
        log_info(TAG, "%s", line);
    } else if (push.sent > 0) {
        log_info(TAG, "signups: sent=%d pending=%d", push.sent, push.pending);
    }
    feed_report_clear(&out.report);
    /* The screen hears of the new content first; the images follow (each
     * may take its timeout), and the screen hears again if one came. */
    if (parts.feed) {
        if (w->on_change)
            w->on_change(w->ctx);
        if (sync_images(plan->store, &w->settings, clock_now_s(&w->clock), &w->stopping, &out)) {
            log_info(TAG, "images: kept=%zu unchanged=%zu failed=%zu removed=%zu", out.images.kept,
                     out.images.unchanged, out.images.failed, out.images.removed);
        }
    }

    if (out.seal != SYNC_SEAL_UNKNOWN) {
        plan->seal_refused = out.seal == SYNC_SEAL_REFUSED;
        /* Staff see it in the status, the hub in the heartbeats. */
        set_problem(w, plan, plan->seal_refused ? SYNC_SEAL_REFUSED_PROBLEM : "");
    }

    /* A feed pass leaves megabytes of free heap behind: the apply's 8 MiB
     * page cache (store_apply_feed), the parsed feed, the screen's reload.
     * glibc keeps those pages as long as one small block above them lives,
     * so they stayed in RSS for good (the soak: +4.3 MiB after the first
     * syncs, bench/README.md). Free pages go back here, in this thread and
     * once a pass: 1 ms for a small trim, 59 ms measured for a 4 MiB one,
     * during which the screen's allocations wait. It lowers RSS by about
     * 5 MiB but does not stop the growth: the content reload that follows
     * leaves its own (bench/README.md, "The soak"). */
    store_release_memory(plan->store);  /* idle until the next pass */
    if (parts.feed)
        malloc_trim(0);

    int64_t after = clock_monotonic_ms();
    if (parts.heartbeat)
        heartbeat_sent(plan, mono, out.heartbeat_retry_after_ms);
    if (parts.feed) {
        bool worked = out.feed == SYNC_APPLIED || out.feed == SYNC_UNCHANGED;
        plan->feed_failures = worked ? 0 : plan->feed_failures + 1;
        int64_t delay = sync_next_delay_ms(w->settings.interval_s, plan->feed_failures);
        if (out.retry_after_ms > delay) {
            log_info(TAG, "the feed server asks to come back in %lld s",
                     (long long)(out.retry_after_ms / 1000));
            delay = out.retry_after_ms;
        }
        plan->feed_due = after + delay;
    }
    if (parts.push && !atomic_load(&w->stopping)) {
        if (push.temporary_failure) {
            plan->push_failures++;
            plan->outbox_due = after + push_backoff_ms(plan->push_failures, push.retry_after_ms);
        } else {
            plan->push_failures = 0;
            plan->outbox_due =
                push.sent > 0 && push.pending > 0 ? after + OUTBOX_AGAIN_MS : plan->feed_due;
        }
    }
    /* Every pass changes what the screen says about syncing, even one
     * that brought no new content; a push changes places and counts. */
    if (w->on_change && (parts.feed || parts.push))
        w->on_change(w->ctx);
}

static int64_t next_deadline(const struct worker_plan *plan)
{
    int64_t next = !plan->store                        ? plan->open_due
                   : plan->feed_due < plan->outbox_due ? plan->feed_due
                                                       : plan->outbox_due;
    if (plan->hub && plan->next_heartbeat < next)
        next = plan->next_heartbeat;
    return next;
}

/* Sleeps until `next` (monotonic ms), a request or the stop; tells which
 * requests came. */
static void worker_wait(struct sync_worker *w, int64_t next, bool *feed_asked, bool *push_asked)
{
    int64_t wait_ms = next - clock_monotonic_ms();
    struct timespec until;
    deadline_after(&until, wait_ms > 0 ? wait_ms : 0);
    pthread_mutex_lock(&w->lock);
    while (!w->requested && !w->outbox_requested && !atomic_load(&w->stopping)) {
        if (pthread_cond_timedwait(&w->wake, &w->lock, &until) != 0)
            break;
    }
    *feed_asked = w->requested;
    *push_asked = w->outbox_requested;
    w->requested = false;
    w->outbox_requested = false;
    pthread_mutex_unlock(&w->lock);
}

static void *worker_main(void *arg)
{
    struct sync_worker *w = arg;
    struct worker_plan plan = {
        .next_heartbeat = INT64_MIN,
        .heartbeat_hold = INT64_MIN,
        .heartbeat_ms = (int64_t)w->settings.heartbeat_s * 1000,
        .hub = w->settings.hub_url[0] != '\0',
    };
    if (plan.heartbeat_ms < MIN_HEARTBEAT_MS)
        plan.heartbeat_ms = MIN_HEARTBEAT_MS;
    bool feed_asked = true, push_asked = true; /* the first pass, at start */
    while (!atomic_load(&w->stopping)) {
        bool asked = feed_asked || push_asked;
        if (!plan.store && (asked || clock_monotonic_ms() >= plan.open_due)) {
            worker_open(w, &plan);
            /* Once open, the first pass is a whole one, as at start. */
            feed_asked = push_asked = plan.store != NULL;
        }
        if (plan.store)
            worker_pass(w, &plan, feed_asked, push_asked);
        else
            worker_heartbeat_only(w, &plan);
        worker_wait(w, next_deadline(&plan), &feed_asked, &push_asked);
    }
    store_close(plan.store);
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
    atomic_init(&w->screen, SYNC_SCREEN_ON);
    w->started_ms = clock_monotonic_ms();
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&w->lock, NULL);
    /* Signals (SIGTERM from systemd) belong to the main loop: the network
     * thread, and the resolver threads libcurl starts from it, block them,
     * so that the main loop's wait is the one they interrupt. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int started = w->db_path ? pthread_create(&w->thread, NULL, worker_main, w) : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started != 0) {
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

void sync_worker_wake_outbox(struct sync_worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->outbox_requested = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void sync_worker_set_screen(struct sync_worker *w, enum sync_screen screen)
{
    atomic_store(&w->screen, (int)screen);
}

bool sync_worker_problem(struct sync_worker *w, char *buf, size_t len)
{
    pthread_mutex_lock(&w->lock);
    snprintf(buf, len, "%s", w->problem);
    pthread_mutex_unlock(&w->lock);
    return buf[0] != '\0';
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
