#include "net/push.h"

#include <curl/curl.h>
#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/localized.h"
#include "base/log.h"
#include "model/outbox.h"
#include "base/timeutil.h"
#include "net/http.h"

#define TAG "push"

#define CONNECT_TIMEOUT_S 30L
#define TOTAL_TIMEOUT_S 60L
#define BACKOFF_START_MS 30000

/* ---- answers ---- */

static bool is_object_of_size(const json_t *v, size_t n)
{
    return json_is_object(v) && json_object_size(v) == n;
}

/* hub-api-v1's words, which the outbox's status column keeps as they are. */
static const char *const status_names[] = {
    [PUSH_STATUS_CONFIRMED] = "confirmed",
    [PUSH_STATUS_WAITLISTED] = "waitlisted",
    [PUSH_STATUS_FULL] = "full",
    [PUSH_STATUS_CLOSED] = "closed",
    [PUSH_STATUS_REJECTED] = "rejected",
};

const char *push_status_name(enum push_status status)
{
    return status_names[status];
}

/* The answer's "status" member; false when it is missing or no status word. */
static bool status_of(const json_t *v, enum push_status *status)
{
    const char *text = json_string_value(json_object_get(v, "status"));
    for (size_t i = 0; text && i < sizeof status_names / sizeof *status_names; i++) {
        if (strcmp(text, status_names[i]) == 0) {
            *status = (enum push_status)i;
            return true;
        }
    }
    return false;
}

/* A waitlisted answer's position: an integer from 1. */
static bool position_of(const json_t *v, int *position)
{
    const json_t *pos = json_object_get(v, "position");
    if (!json_is_integer(pos) || json_integer_value(pos) < 1 || json_integer_value(pos) > INT_MAX)
        return false;
    *position = (int)json_integer_value(pos);
    return true;
}

/* Copies at most cap - 1 bytes of text, never cutting a UTF-8 sequence. */
static void copy_utf8(char *out, size_t cap, const char *text)
{
    size_t len = strlen(text);
    if (len >= cap) {
        len = cap - 1;
        while (len && ((unsigned char)text[len] & 0xc0) == 0x80)
            len--;
    }
    memcpy(out, text, len);
    out[len] = '\0';
}

enum push_answer push_classify(long http_status, const char *body, size_t len,
                               struct push_final *final)
{
    memset(final, 0, sizeof *final);
    bool ok_2xx = http_status == 200 || http_status == 201;
    bool refused = http_status == 409;
    bool rejected = http_status == 400 || http_status == 404 || http_status == 422;
    if ((!ok_2xx && !refused && !rejected) || !body || len == 0)
        return PUSH_TEMPORARY;
    json_error_t err;
    json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (!v)
        return PUSH_TEMPORARY;
    bool is_final = false;
    if (rejected) {
        const json_t *error = json_object_get(v, "error");
        is_final = json_is_object(v) && json_is_string(error);
        if (is_final) {
            final->status = PUSH_STATUS_REJECTED;
            copy_utf8(final->error, sizeof final->error, json_string_value(error));
        }
    } else if (status_of(v, &final->status)) {
        switch (final->status) {
        case PUSH_STATUS_CONFIRMED:
            is_final = ok_2xx && is_object_of_size(v, 1);
            break;
        case PUSH_STATUS_WAITLISTED:
            is_final = ok_2xx && is_object_of_size(v, 2) && position_of(v, &final->position);
            break;
        case PUSH_STATUS_FULL:
        case PUSH_STATUS_CLOSED:
            is_final = refused && is_object_of_size(v, 1);
            break;
        case PUSH_STATUS_REJECTED:
            break; /* the outbox's word, never the hub's */
        }
    }
    json_decref(v);
    if (!is_final)
        memset(final, 0, sizeof *final);
    return is_final ? PUSH_FINAL : PUSH_TEMPORARY;
}

bool push_parse_retry_after(const char *value, int64_t now_s, int64_t *ms)
{
    while (isspace((unsigned char)*value))
        value++;
    size_t len = strlen(value);
    while (len && isspace((unsigned char)value[len - 1]))
        len--;
    if (len == 0)
        return false;
    bool digits = true;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)value[i]))
            digits = false;
    int64_t delay_ms;
    if (digits) {
        /* More than 9 digits is more than the cap anyway. */
        if (len > 9)
            delay_ms = PUSH_MAX_BACKOFF_MS;
        else
            delay_ms = strtoll(value, NULL, 10) * 1000;
    } else {
        char date[128];
        if (len >= sizeof date)
            return false;
        memcpy(date, value, len);
        date[len] = '\0';
        time_t at = curl_getdate(date, NULL);
        if (at == (time_t)-1)
            return false;
        delay_ms = at > now_s ? ((int64_t)at - now_s) * 1000 : 0;
    }
    *ms = delay_ms > PUSH_MAX_BACKOFF_MS ? PUSH_MAX_BACKOFF_MS : delay_ms;
    return true;
}

int64_t push_retry_after_ms(long http_status, const char *value, int64_t now_s)
{
    int64_t ms = 0;
    if (!value || (http_status != 429 && http_status != 503) ||
        !push_parse_retry_after(value, now_s, &ms))
        return 0;
    return ms;
}

int64_t push_backoff_ms(int failures, int64_t retry_after_ms)
{
    int64_t delay = BACKOFF_START_MS;
    for (int i = 1; i < failures && delay < PUSH_MAX_BACKOFF_MS; i++)
        delay *= 2;
    if (delay > PUSH_MAX_BACKOFF_MS)
        delay = PUSH_MAX_BACKOFF_MS;
    /* +-20 %: kiosks that lost the network together must not all come
     * back to the hub in the same second. */
    int64_t spread = delay / 5;
    delay += (int64_t)randombytes_uniform((uint32_t)(2 * spread + 1)) - spread;
    if (retry_after_ms > PUSH_MAX_BACKOFF_MS)
        retry_after_ms = PUSH_MAX_BACKOFF_MS;
    return retry_after_ms > delay ? retry_after_ms : delay;
}

/* ---- HTTP ---- */

/* {hub}{path}, without doubling a trailing slash. */
static bool hub_endpoint(const struct sync_settings *st, const char *path, char *out, size_t len)
{
    size_t hub_len = strlen(st->hub_url);
    while (hub_len && st->hub_url[hub_len - 1] == '/')
        hub_len--;
    int n = snprintf(out, len, "%.*s%s", (int)hub_len, st->hub_url, path);
    return n > 0 && (size_t)n < len;
}

static bool cancelled(const atomic_bool *cancel)
{
    return cancel && atomic_load(cancel);
}

/* One handle for a pass: the connection is kept between sign-ups. */
struct poster {
    CURL *curl;
    struct curl_slist *headers;
    struct http_body reply;
    char retry_after[128];        /* the last answer's Retry-After, "" = none */
    char errbuf[CURL_ERROR_SIZE];
};

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct poster *p = userdata;
    size_t n = size * nmemb;
    size_t len;
    const char *value;
    if (http_is_status_line(data, n))
        p->retry_after[0] = '\0';
    else if ((value = http_header_value(data, n, "retry-after:", &len)))
        snprintf(p->retry_after, sizeof p->retry_after, "%.*s", (int)len, value);
    return n;
}

static void poster_close(struct poster *p)
{
    if (p->curl)
        curl_easy_cleanup(p->curl);
    curl_slist_free_all(p->headers);
    http_body_reset(&p->reply);
    memset(p, 0, sizeof *p);
}

static bool poster_open(struct poster *p, const struct sync_settings *st, const char *url,
                        const atomic_bool *cancel)
{
    memset(p, 0, sizeof *p);
    p->reply.max = PUSH_MAX_BODY;
    p->curl = curl_easy_init();
    if (!p->curl)
        return false;
    if (!http_add_header(&p->headers, "Content-Type: application/json") ||
        !http_add_header(&p->headers, "Accept: application/json") ||
        /* no 100-continue round trip for larger bodies */
        !http_add_header(&p->headers, "Expect:") || !http_add_bearer(&p->headers, st->token)) {
        poster_close(p);
        return false;
    }
    CURL *c = p->curl;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    /* Never follow a redirect of a POST: curl would turn it into a GET,
     * and a sign-up must not go anywhere but the configured hub. */
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    http_set_common(c, st->ca_file, CONNECT_TIMEOUT_S, TOTAL_TIMEOUT_S, &p->reply, cancel,
                    p->errbuf);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, p->headers);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, p);
    return true;
}

/* POSTs body; the answer lands in p->reply. */
static CURLcode poster_send(struct poster *p, const char *body, size_t len, long *http_status)
{
    http_body_reset(&p->reply);
    p->retry_after[0] = '\0';
    p->errbuf[0] = '\0';
    *http_status = 0;
    curl_easy_setopt(p->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, body);
    CURLcode rc = curl_easy_perform(p->curl);
    curl_easy_getinfo(p->curl, CURLINFO_RESPONSE_CODE, http_status);
    /* The body buffer is about to be wiped: libcurl must not keep it. */
    curl_easy_setopt(p->curl, CURLOPT_POSTFIELDS, NULL);
    return rc;
}

/* Why a transfer did not give a judgeable answer, for the log and the
 * row's error column (no personal data: libcurl's text names the host). */
static void transfer_error(const struct poster *p, CURLcode rc, char *why, size_t len)
{
    if (p->reply.too_large)
        snprintf(why, len, "answer over %d KiB", PUSH_MAX_BODY / 1024);
    else
        snprintf(why, len, "%s", p->errbuf[0] ? p->errbuf : curl_easy_strerror(rc));
}

/* ---- bodies ---- */

/* Strict UTF-8 copy with U+FFFD for every malformed sequence. */
static char *utf8_sanitized(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p) {
        size_t n = 0;
        unsigned char c = p[0];
        if (c < 0x80)
            n = 1;
        else if (c >= 0xc2 && c <= 0xdf && (p[1] & 0xc0) == 0x80)
            n = 2;
        else if (c >= 0xe0 && c <= 0xef && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
                 !(c == 0xe0 && p[1] < 0xa0) && !(c == 0xed && p[1] > 0x9f))
            n = 3;
        else if (c >= 0xf0 && c <= 0xf4 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
                 (p[3] & 0xc0) == 0x80 && !(c == 0xf0 && p[1] < 0x90) &&
                 !(c == 0xf4 && p[1] > 0x8f))
            n = 4;
        if (n) {
            memcpy(out + o, p, n);
            o += n;
            p += n;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        }
    }
    out[o] = '\0';
    return out;
}

/* A JSON string of s, or null for NULL. Text the form let through that
 * is not UTF-8 is repaired rather than kept from the hub forever. */
static json_t *text_or_null(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (v)
        return v;
    char *fixed = utf8_sanitized(s);
    v = fixed ? json_string(fixed) : NULL;
    if (fixed) {
        sodium_memzero(fixed, strlen(fixed));
        free(fixed);
    }
    return v;
}

static bool set(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0;
}

/* The personal fields: for a row stored sealed, the one "sealed" member
 * the hub opens in their place (docs/spec-notes.md "Sealed personal
 * fields"); else name, phone, email, party_size and remark in clear, in
 * the order they always had, exactly as hub-api-v1 shows them. */
static bool set_personal(json_t *o, const struct outbox_row *r)
{
    if (r->sealed)
        return set(o, "sealed", json_string(r->sealed)) &&
               set(o, "party_size", json_integer(r->party_size));
    return set(o, "name", text_or_null(r->name)) && set(o, "phone", text_or_null(r->phone)) &&
           set(o, "email", text_or_null(r->email)) &&
           set(o, "party_size", json_integer(r->party_size)) &&
           set(o, "remark", text_or_null(r->remark));
}

/* The sign-up's JSON (hub-api-v1), or NULL when out of memory. The
 * caller wipes and frees it. */
static char *signup_body(const struct sync_settings *st, const struct outbox_row *r,
                         size_t *len)
{
    char occurrence[RFC3339_LEN], created[RFC3339_LEN];
    rfc3339_format_local(r->occurrence, occurrence);
    rfc3339_format_local(r->created_at, created);
    json_t *o = json_object();
    bool ok = o && set(o, "signup_id", json_string(r->id)) &&
              set(o, "kiosk_id", text_or_null(st->kiosk_id)) &&
              set(o, "activity_id", text_or_null(r->activity_id)) &&
              set(o, "occurrence", json_string(occurrence)) &&
              set_personal(o, r) &&
              set(o, "waitlist_ok", json_boolean(r->waitlist_ok)) &&
              set(o, "language", text_or_null(r->language[0] ? r->language : NULL)) &&
              set(o, "created_at", json_string(created));
    char *body = ok ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (body)
        *len = strlen(body);
    return body;
}

/* ---- the outbox pass ---- */

void push_pending(struct store *store, const struct sync_settings *st, int64_t now,
                  const atomic_bool *cancel, struct push_result *out)
{
    memset(out, 0, sizeof *out);
    char url[1200];
    struct outbox_row *rows = NULL;
    size_t n = 0;
    struct poster p = {0};
    bool have_poster = false;
    if (!st->hub_url[0]) {
        /* No hub: nothing to send to; expiry still runs. */
    } else if (!hub_endpoint(st, "/kiosk/v1/signups", url, sizeof url)) {
        log_error(TAG, "kiosk.hub is too long");
    } else if (!(rows = calloc(PUSH_MAX_PER_PASS, sizeof *rows))) {
        log_error(TAG, "out of memory");
    } else {
        n = outbox_pending(store, rows, PUSH_MAX_PER_PASS);
        if (n && !(have_poster = poster_open(&p, st, url, cancel))) {
            log_error(TAG, "cannot start libcurl");
            out->temporary_failure = true;
        }
    }

    for (size_t i = 0; have_poster && i < n && !cancelled(cancel); i++) {
        const struct outbox_row *r = &rows[i];
        size_t len = 0;
        char *body = signup_body(st, r, &len);
        if (!body) {
            log_error(TAG, "out of memory building sign-up %s", r->id);
            out->temporary_failure = true;
            break;
        }
        long http_status = 0;
        CURLcode rc = poster_send(&p, body, len, &http_status);
        sodium_memzero(body, len);
        free(body);
        if (rc == CURLE_ABORTED_BY_CALLBACK && cancelled(cancel))
            break; /* stopping: the row stays pending, the hub's repeat is harmless */

        struct push_final fin;
        enum push_answer answer = PUSH_TEMPORARY;
        char why[CURL_ERROR_SIZE + 64];
        if (rc != CURLE_OK) {
            transfer_error(&p, rc, why, sizeof why);
        } else {
            answer = push_classify(http_status, p.reply.data, p.reply.len, &fin);
            if (answer == PUSH_TEMPORARY)
                snprintf(why, sizeof why, "HTTP %ld%s", http_status,
                         http_status >= 200 && http_status < 300 ? " with an unexpected body" : "");
        }

        if (answer == PUSH_FINAL) {
            char fallback[32];
            const char *error = fin.error[0] ? fin.error : NULL;
            if (!error && fin.status == PUSH_STATUS_REJECTED) {
                snprintf(fallback, sizeof fallback, "HTTP %ld", http_status);
                error = fallback;
            }
            const char *status = push_status_name(fin.status);
            store_set_hub_contact(store, true);
            if (outbox_record_final(store, r->id, status, fin.position, error, now)) {
                out->sent++;
                /* Refusals are for staff to see; acceptances are routine. */
                if (fin.status == PUSH_STATUS_CONFIRMED)
                    log_debug(TAG, "sign-up %s: %s (HTTP %ld)", r->id, status, http_status);
                else
                    log_info(TAG, "sign-up %s: %s (HTTP %ld)", r->id, status, http_status);
                if (fin.error[0])
                    log_debug(TAG, "sign-up %s: the hub says: %s", r->id, fin.error);
            } else {
                /* Still pending: sent again later, the hub answers the same. */
                log_error(TAG, "sign-up %s: could not record the hub's answer", r->id);
            }
            continue;
        }

        /* Temporary: the network or the hub is unwell; one backoff for the
         * whole outbox, so stop here. */
        out->temporary_failure = true;
        store_set_hub_contact(store, false);
        int64_t ms = 0;
        if (p.retry_after[0] && push_parse_retry_after(p.retry_after, time(NULL), &ms))
            out->retry_after_ms = ms;
        if (http_status == 401 || http_status == 403)
            log_warn(TAG, "the hub refused this kiosk's token (HTTP %ld); sign-ups wait",
                     http_status);
        else
            log_warn(TAG, "sign-up %s not delivered, will retry: %s", r->id, why);
        outbox_record_attempt(store, r->id, why);
        break;
    }

    if (have_poster)
        poster_close(&p);
    for (size_t i = 0; rows && i < n; i++)
        outbox_row_clear(&rows[i]);
    free(rows);

    outbox_expire(store, now, st->unsent_retention_days);
    int64_t pending = outbox_count(store, "pending");
    out->pending = pending < 0 ? 0 : pending > INT_MAX ? INT_MAX : (int)pending;
}

/* ---- heartbeat ---- */

static json_t *count_or_null(bool known, int64_t n)
{
    return known ? json_integer(n) : json_null();
}

bool push_heartbeat(struct store *store, const struct sync_settings *st,
                    const struct push_heartbeat_state *state, const atomic_bool *cancel,
                    int64_t *retry_after_ms)
{
    if (retry_after_ms)
        *retry_after_ms = 0;
    char url[1200];
    if (!st->hub_url[0] || !hub_endpoint(st, "/kiosk/v1/heartbeat", url, sizeof url))
        return false;
    struct store_status s;
    if (!store || !store_status(store, &s))
        memset(&s, 0, sizeof s);
    int64_t free_mb = 0;
    bool has_free = store && outbox_disk_free_mb(store, &free_mb);
    /* The network thread's own trouble first: without it nothing else is
     * new. A read-only cache cannot log its syncs: say why instead of
     * repeating the last error it could still write down. */
    const char *sync_error = s.has_last_sync_error ? s.last_sync_error : NULL;
    if (state->problem && state->problem[0])
        sync_error = state->problem;
    else if (store && store_is_read_only(store))
        sync_error = STORE_READ_ONLY_REASON;

    /* Without the store its counts are unknown, not zero: null, as
     * hub-api-v1 lets every field be. */
    bool known = store != NULL;
    json_t *o = json_object();
    bool ok = o && set(o, "kiosk_id", text_or_null(st->kiosk_id)) &&
              set(o, "version", json_string(BK_VERSION)) &&
              set(o, "uptime_s", json_integer(state->uptime_s < 0 ? 0 : state->uptime_s)) &&
              set(o, "feed_etag", text_or_null(s.has_feed_etag ? s.feed_etag : NULL)) &&
              set(o, "last_sync_ok_at", rfc3339_json_or_null(s.last_sync_ok_at)) &&
              set(o, "last_sync_error", text_or_null(sync_error)) &&
              set(o, "outbox_pending", count_or_null(known, s.outbox_pending)) &&
              set(o, "outbox_rejected", count_or_null(known, s.outbox_rejected)) &&
              set(o, "screen", json_string(sync_screen_name(state->screen))) &&
              set(o, "free_disk_mb", count_or_null(has_free, free_mb)) &&
              /* A project field (unknown fields are ignored by the hub): how
               * often staff acted on this kiosk, so that the hub sees it. */
              set(o, "staff_actions", count_or_null(known, s.staff_actions));
    char *body = ok ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!body) {
        log_error(TAG, "out of memory building the heartbeat");
        return false;
    }

    struct poster p;
    bool sent = false;
    if (!poster_open(&p, st, url, cancel)) {
        log_error(TAG, "cannot start libcurl");
    } else {
        long http_status = 0;
        CURLcode rc = poster_send(&p, body, strlen(body), &http_status);
        if (store && !store_is_read_only(store))
            store_set_hub_contact(store, rc == CURLE_OK && http_status == 204);
        if (rc == CURLE_OK && http_status == 204) {
            sent = true;
        } else if (!cancelled(cancel)) {
            char why[CURL_ERROR_SIZE + 64];
            /* A hub over its rate or down for a while says when to come
             * back; beating sooner only keeps it busy. */
            int64_t wait_ms = rc == CURLE_OK ? push_retry_after_ms(http_status, p.retry_after,
                                                                   time(NULL))
                                             : 0;
            if (rc != CURLE_OK)
                transfer_error(&p, rc, why, sizeof why);
            else
                snprintf(why, sizeof why, "HTTP %ld", http_status);
            if (wait_ms > 0)
                log_warn(TAG, "heartbeat not accepted: %s; the hub asks to come back in %lld s",
                         why, (long long)(wait_ms / 1000));
            else
                log_warn(TAG, "heartbeat not accepted: %s", why);
            if (retry_after_ms)
                *retry_after_ms = wait_ms;
        }
        poster_close(&p);
    }
    free(body);
    return sent;
}
