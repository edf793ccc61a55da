#include "hub/hub_http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "hub/hub_admin.h"
#include "hub/hub_config.h"
#include "hub/hub_feed.h"
#include "hub/hub_json.h"
#include "hub/hub_lease.h"
#include "hub/hub_peer.h"
#include "hub/hub_rate.h"
#include "hub/hub_signup.h"

#define TAG "hub-http"

/* Past this much of an over-long chunked body the connection is simply
 * dropped: reading on only to say 413 would let one client cost bandwidth
 * without end. */
#define DISCARD_MAX (1024u * 1024u)

/* Open connections in all. A slow client holds one until it has sent
 * nothing for HUB_IDLE_TIMEOUT_S; that it trickles a byte now and then
 * is why one address may hold only connections_per_address of them. */
#define CONNECTIONS_MAX 512

/* Keys whose rates are tracked at once (each about 100 bytes). */
#define RATE_SLOTS 8192

/* How long a stop waits for requests in flight before closing them. */
#define DRAIN_MS 2000

struct hub_server {
    struct MHD_Daemon *daemon;
    struct hub_pool *pool;
    struct hub_feed_cache *feeds;
    struct clock clock;
    struct hub_admin_options admin;  /* the staff console (hub_admin.h) */
    struct hub_rate *token_rate;     /* per kiosk, after authentication */
    struct hub_rate *address_rate;   /* per client address, every request */
    /* The key pair kiosks seal personal fields to (hub_db_seal_keys): the
     * public half goes out with every feed answer, as text. */
    unsigned char seal_pk[SEAL_PUBLIC_KEY_BYTES], seal_sk[SEAL_SECRET_KEY_BYTES];
    char seal_key_text[SEAL_KEY_TEXT_LEN];
    char url[200];
};

enum route { ROUTE_NONE, ROUTE_FEED, ROUTE_SIGNUPS, ROUTE_HEARTBEAT, ROUTE_ADMIN };

/* One request's state, from its headers to its completion. */
struct request {
    enum route route;
    bool refused;                   /* answered from the headers alone */
    struct hub_kiosk kiosk;         /* whom the token named */
    char *body;
    size_t len;
    bool too_large;
    size_t discarded;
    struct hub_admin_request *admin; /* with ROUTE_ADMIN: the console's own state */
};

/* ---- responses ----------------------------------------------------------------- */

/* Queues an answer; header and value (may be NULL) add one more header,
 * e.g. Retry-After. */
static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, const char *body,
                             size_t len, enum MHD_ResponseMemoryMode mode, bool json,
                             const char *header, const char *value)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, mode);
    if (!r) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free((void *)body);
        return MHD_NO;
    }
    if (json)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (header)
        MHD_add_response_header(r, header, value);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result queue_json(struct MHD_Connection *c, unsigned status, const char *body)
{
    return queue(c, status, body, strlen(body), MHD_RESPMEM_MUST_COPY, true, NULL, NULL);
}

/* {"error": message}, with one more header when header is not NULL. */
static enum MHD_Result queue_with_header(struct MHD_Connection *c, unsigned status,
                                         const char *message, const char *header,
                                         const char *value)
{
    char *text = hub_json_error(message);
    if (!text)
        return MHD_NO;
    return queue(c, status, text, strlen(text), MHD_RESPMEM_MUST_FREE, true, header, value);
}

static enum MHD_Result queue_error(struct MHD_Connection *c, unsigned status,
                                   const char *message)
{
    return queue_with_header(c, status, message, NULL, NULL);
}

/* The one answer to every missing, malformed or wrong token. */
static enum MHD_Result queue_unauthorized(struct MHD_Connection *c)
{
    return queue_with_header(c, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                             MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
}

static enum MHD_Result queue_forbidden(struct MHD_Connection *c)
{
    return queue_error(c, MHD_HTTP_FORBIDDEN, "forbidden");
}

static enum MHD_Result too_many_requests(struct MHD_Connection *c, int64_t wait_s)
{
    char seconds[24];
    snprintf(seconds, sizeof seconds, "%" PRId64, wait_s);
    return queue_with_header(c, MHD_HTTP_TOO_MANY_REQUESTS, "too many requests",
                             MHD_HTTP_HEADER_RETRY_AFTER, seconds);
}

/* ---- authentication -------------------------------------------------------------- */

/* The client's address for a log line ("-" when MHD cannot say). Behind
 * the TLS proxy this is the proxy's; X-Forwarded-For is not trusted. */
static void client_address(struct MHD_Connection *c, char out[INET6_ADDRSTRLEN])
{
    snprintf(out, INET6_ADDRSTRLEN, "-");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  INET6_ADDRSTRLEN);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  INET6_ADDRSTRLEN);
}

/* A failed kiosk authentication, for whoever watches the journal: the
 * address, the kiosk id the request claims (the feed's ?kiosk=; a POST's
 * body is never read for a refused token) when it looks like an id, and
 * why. Never the token, nor any part of it. */
static const char *route_name(enum route route)
{
    switch (route) {
    case ROUTE_FEED: return "feed";
    case ROUTE_SIGNUPS: return "signups";
    case ROUTE_HEARTBEAT: return "heartbeat";
    case ROUTE_ADMIN: return "admin";
    case ROUTE_NONE: break;
    }
    return "-";
}

static void log_denied(struct MHD_Connection *c, enum route route, const char *why)
{
    char address[INET6_ADDRSTRLEN];
    client_address(c, address);
    const char *claimed = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "kiosk");
    bool id_ok = claimed && *claimed && strlen(claimed) <= 128;
    for (const char *p = claimed; id_ok && *p; p++)
        id_ok = isalnum((unsigned char)*p) || *p == '-' || *p == '_';
    log_warn(TAG, "refused a kiosk token: %s (address=%s kiosk=%s request=%s)", why, address,
             id_ok ? claimed : claimed ? "(not an id)" : "-", route_name(route));
}

static enum hub_auth_result authenticate(struct hub_server *s, struct MHD_Connection *c,
                                         enum route route, struct hub_kiosk *out)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h) {
        log_denied(c, route, "no Authorization header");
        return HUB_AUTH_DENIED;
    }
    while (*h == ' ')
        h++;
    if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t')) {
        log_denied(c, route, "not a Bearer token");
        return HUB_AUTH_DENIED;
    }
    const char *token = h + 6;
    while (*token == ' ' || *token == '\t')
        token++;
    size_t len = strlen(token);
    while (len && (token[len - 1] == ' ' || token[len - 1] == '\t'))
        len--;
    if (len == 0 || len > 512) {
        log_denied(c, route, len ? "a token over 512 bytes" : "an empty token");
        return HUB_AUTH_DENIED;
    }
    struct hub_db *db = hub_pool_acquire(s->pool);
    if (!db)
        return HUB_AUTH_ERROR;
    enum hub_auth_result r = hub_db_authenticate(db, token, len, out);
    hub_pool_release(s->pool, db);
    if (r == HUB_AUTH_DENIED)
        log_denied(c, route, "no kiosk has this token");
    return r;
}

/* ---- the feed ------------------------------------------------------------------------ */

static enum MHD_Result serve_feed(struct hub_server *s, struct MHD_Connection *c,
                                  struct request *rq)
{
    const char *kiosk = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "kiosk");
    if (!kiosk || !*kiosk)
        return queue_error(c, MHD_HTTP_BAD_REQUEST, "the kiosk parameter is missing");
    if (strcmp(kiosk, rq->kiosk.id) != 0)
        return queue_forbidden(c);
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool gzip = hub_accepts_gzip(
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
    struct hub_db *db = hub_pool_acquire(s->pool);
    struct hub_feed_reply reply;
    bool ok = db && hub_feed_cache_reply(s->feeds, db, &rq->kiosk, clock_now_s(&s->clock), gzip,
                                         inm, &reply);
    hub_pool_release(s->pool, db);
    if (!ok)
        return queue_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");

    struct MHD_Response *r =
        reply.not_modified
            ? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
            : MHD_create_response_from_buffer(reply.len, reply.data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(reply.data);
        return MHD_NO;
    }
    if (reply.not_modified)
        free(reply.data);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, reply.etag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding, Authorization");
    /* Revalidate every time: the ETag makes that cheap. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-cache");
    /* With a 304 too: a kiosk learns the key without a new feed. A header
     * rather than a member of the feed, so that the body (and its ETag)
     * stays the content's alone (docs/spec-notes.md). */
    MHD_add_response_header(r, "Buurtkiosk-Seal-Key", s->seal_key_text);
    if (!reply.not_modified) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
        if (reply.gzip)
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    }
    enum MHD_Result rc =
        MHD_queue_response(c, reply.not_modified ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

/* ---- sign-ups ------------------------------------------------------------------------ */

static enum MHD_Result serve_signup(struct hub_server *s, struct MHD_Connection *c,
                                    struct request *rq)
{
    struct hub_signup_request req;
    char err[160];
    if (!hub_signup_parse(rq->body ? rq->body : "", rq->len, &req, err, sizeof err))
        return queue_error(c, MHD_HTTP_BAD_REQUEST, err);
    if (strcmp(req.kiosk_id, rq->kiosk.id) != 0) {
        hub_signup_request_clear(&req);
        return queue_forbidden(c);
    }
    if (!hub_signup_unseal(&req, s->seal_pk, s->seal_sk, err, sizeof err)) {
        hub_signup_request_clear(&req);
        return queue_error(c, 422, err);
    }
    struct hub_db *db = hub_pool_acquire(s->pool);
    struct hub_signup_answer answer;
    if (!db) {
        hub_signup_answer_busy(&answer);
    } else {
        hub_signup_submit(db, &req, clock_now_s(&s->clock), &answer);
    }
    hub_pool_release(s->pool, db);
    hub_signup_request_clear(&req);
    if (answer.status == MHD_HTTP_SERVICE_UNAVAILABLE && answer.retry_after_s > 0) {
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%u", answer.retry_after_s);
        return queue(c, answer.status, answer.body, strlen(answer.body), MHD_RESPMEM_MUST_COPY,
                     true, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    return queue_json(c, answer.status, answer.body);
}

/* ---- heartbeats ---------------------------------------------------------------------- */

static bool hb_count(json_t *root, const char *key, int64_t *out, char *err, size_t err_len)
{
    json_t *v = json_object_get(root, key);
    *out = -1;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        snprintf(err, err_len, "%s is not an integer >= 0 or null", key);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

bool hub_heartbeat_parse(const char *body, size_t len, struct hub_heartbeat_request *req,
                         char *err, size_t err_len)
{
    memset(req, 0, sizeof *req);
    req->root = hub_json_load_object(body, len, err, err_len);
    if (!req->root)
        return false;
    json_t *root = req->root;
    struct hub_heartbeat *hb = &req->hb;
    bool ok = hub_json_optional_string(root, "kiosk_id", &req->kiosk_id, err, err_len) &&
              hub_json_optional_string(root, "version", &hb->version, err, err_len) &&
              hb_count(root, "uptime_s", &hb->uptime_s, err, err_len) &&
              hub_json_optional_string(root, "feed_etag", &hb->feed_etag, err, err_len) &&
              hub_json_optional_string(root, "last_sync_ok_at", &hb->last_sync_ok_at, err,
                                       err_len) &&
              hub_json_optional_string(root, "last_sync_error", &hb->last_sync_error, err,
                                       err_len) &&
              hb_count(root, "outbox_pending", &hb->outbox_pending, err, err_len) &&
              hb_count(root, "outbox_rejected", &hb->outbox_rejected, err, err_len) &&
              hub_json_optional_string(root, "screen", &hb->screen, err, err_len) &&
              hb_count(root, "free_disk_mb", &hb->free_disk_mb, err, err_len);
    if (!ok)
        hub_heartbeat_request_clear(req);
    return ok;
}

void hub_heartbeat_request_clear(struct hub_heartbeat_request *req)
{
    if (!req)
        return;
    json_decref(req->root);
    memset(req, 0, sizeof *req);
}

static enum MHD_Result serve_heartbeat(struct hub_server *s, struct MHD_Connection *c,
                                       struct request *rq)
{
    struct hub_heartbeat_request req;
    char err[160];
    if (!hub_heartbeat_parse(rq->body ? rq->body : "", rq->len, &req, err, sizeof err))
        return queue_error(c, MHD_HTTP_BAD_REQUEST, err);
    if (req.kiosk_id && strcmp(req.kiosk_id, rq->kiosk.id) != 0) {
        hub_heartbeat_request_clear(&req);
        return queue_forbidden(c);
    }
    struct hub_db *db = hub_pool_acquire(s->pool);
    int64_t now = clock_now_s(&s->clock);
    bool gave_back = false;
    /* One transaction: the heartbeat and the lease it gives back. */
    bool ok = db && hub_db_begin_write(db) &&
              hub_db_heartbeat_store(db, rq->kiosk.id, &req.hb, now) &&
              hub_lease_heartbeat(db, rq->kiosk.id, req.hb.feed_etag, req.hb.outbox_pending, now,
                                  &gave_back) &&
              (!gave_back || hub_db_bump_state(db)) && hub_db_commit(db);
    hub_pool_release(s->pool, db);
    hub_heartbeat_request_clear(&req);
    if (!ok)
        return queue_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");
    log_debug(TAG, "heartbeat from %s", rq->kiosk.id);
    return queue(c, MHD_HTTP_NO_CONTENT, NULL, 0, MHD_RESPMEM_PERSISTENT, false, NULL, NULL);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static enum route route_of(const char *url)
{
    if (strcmp(url, "/kiosk/v1/feed") == 0)
        return ROUTE_FEED;
    if (strcmp(url, "/kiosk/v1/signups") == 0)
        return ROUTE_SIGNUPS;
    if (strcmp(url, "/kiosk/v1/heartbeat") == 0)
        return ROUTE_HEARTBEAT;
    return ROUTE_NONE;
}

static bool method_allowed(enum route route, const char *method, const char **allow)
{
    if (route == ROUTE_FEED) {
        *allow = "GET, HEAD";
        return strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    }
    *allow = "POST";
    return strcmp(method, MHD_HTTP_METHOD_POST) == 0;
}

/* The first call, with the headers only: every refusal that can be given
 * before the body is, so that a refused request never uploads. */
static enum MHD_Result on_headers(struct hub_server *s, struct MHD_Connection *c,
                                  struct request *rq, const char *url, const char *method)
{
    /* Every answer given here is final for the request: its body, if
     * one follows, is never looked at. */
    rq->refused = true;
    rq->route = route_of(url);
    if (rq->route == ROUTE_NONE)
        return queue_error(c, MHD_HTTP_NOT_FOUND, "not found");
    const char *allow;
    if (!method_allowed(rq->route, method, &allow))
        return queue_with_header(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed",
                                 MHD_HTTP_HEADER_ALLOW, allow);
    switch (authenticate(s, c, rq->route, &rq->kiosk)) {
    case HUB_AUTH_OK: break;
    case HUB_AUTH_DENIED: return queue_unauthorized(c);
    case HUB_AUTH_ERROR: return queue_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");
    }
    /* A leaked token may not fill every activity: its kiosk's rate. */
    int64_t wait = hub_rate_take(s->token_rate, rq->kiosk.id, clock_monotonic_ms());
    if (wait > 0) {
        log_info(TAG, "kiosk %s over its request rate: 429 for %" PRId64 " s", rq->kiosk.id,
                 wait);
        return too_many_requests(c, wait);
    }
    const char *length =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (rq->route != ROUTE_FEED && length && strtoull(length, NULL, 10) > HUB_MAX_BODY)
        return queue_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body too large");
    /* The rest is answered on a later call, also the feed: MHD closes a
     * connection whose answer was queued before the request was complete,
     * and a kiosk's pull should keep its connection alive. */
    rq->refused = false;
    return MHD_YES;
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    (void)kind;
    size_t *total = cls;
    /* "Key: value" and its line end. */
    *total += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* The limits every request meets before anything else, the console's
 * included: the size of its headers and its address's rate. false when
 * the request was answered (and refused) here. */
static bool within_limits(struct hub_server *s, struct MHD_Connection *c, struct request *rq)
{
    size_t headers = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_size, &headers);
    if (headers > HUB_MAX_HEADERS) {
        rq->refused = true;
        queue_error(c, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "headers too large");
        return false;
    }
    char address[HUB_ADDRESS_MAX];
    hub_peer_address(c, address);
    int64_t wait = hub_rate_take(s->address_rate, address, clock_monotonic_ms());
    if (wait > 0) {
        rq->refused = true;
        log_info(TAG, "%s over its request rate: 429 for %" PRId64 " s", address, wait);
        too_many_requests(c, wait);
        return false;
    }
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct hub_server *s = cls;
    struct request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        if (!within_limits(s, c, rq))
            return MHD_YES;
        if (hub_admin_owns(url))
            rq->route = ROUTE_ADMIN;
        else
            return on_headers(s, c, rq, url, method);
    }
    /* The console reads its forms and answers on its own. */
    if (rq->route == ROUTE_ADMIN)
        return hub_admin_handle(&s->admin, c, url, method, upload_data, upload_data_size,
                                &rq->admin);
    if (rq->refused) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->too_large || rq->len + n > HUB_MAX_BODY) {
            rq->too_large = true;
            rq->discarded += n;
            return rq->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
        }
        char *more = realloc(rq->body, rq->len + n + 1);
        if (!more)
            return MHD_NO;
        rq->body = more;
        memcpy(rq->body + rq->len, upload_data, n);
        rq->len += n;
        rq->body[rq->len] = '\0';
        return MHD_YES;
    }
    /* The whole body is here. */
    if (rq->too_large)
        return queue_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body too large");
    if (rq->route == ROUTE_FEED)
        return serve_feed(s, c, rq);
    if (rq->route == ROUTE_SIGNUPS)
        return serve_signup(s, c, rq);
    if (rq->route == ROUTE_HEARTBEAT)
        return serve_heartbeat(s, c, rq);
    return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct request *rq = *con_cls;
    if (!rq)
        return;
    hub_kiosk_clear(&rq->kiosk);
    hub_admin_request_free(rq->admin);
    free(rq->body);
    free(rq);
    *con_cls = NULL;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[300];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_warn(TAG, "%s", line);
}
#pragma GCC diagnostic pop

/* ---- start and stop ------------------------------------------------------------------------ */

struct hub_server *hub_server_start(const struct hub_server_options *opts, char *err,
                                    size_t err_len)
{
    char host[128] = "";
    unsigned port = 0;
    struct addrinfo *addr = NULL;
    /* Without a listen address the server takes only the connections
     * handed to it (hub_server_add_connection). */
    if (opts->listen) {
        if (!hub_listen_parse(opts->listen, host, sizeof host, &port)) {
            snprintf(err, err_len, "--listen %s is not HOST:PORT", opts->listen);
            return NULL;
        }
        char service[8];
        snprintf(service, sizeof service, "%u", port);
        struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                                 .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
        int gai = getaddrinfo(host, service, &hints, &addr);
        if (gai != 0 || !addr) {
            snprintf(err, err_len, "cannot resolve %s: %s", host, gai_strerror(gai));
            return NULL;
        }
    }
    struct hub_server *s = calloc(1, sizeof *s);
    if (!s) {
        if (addr)
            freeaddrinfo(addr);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    s->clock = opts->clock;
    s->feeds = hub_feed_cache_create(opts->lease_max);
    s->token_rate = hub_rate_create(opts->rate_per_token, RATE_SLOTS);
    s->address_rate = hub_rate_create(opts->rate_per_address, RATE_SLOTS);
    bool made = s->feeds && s->token_rate && s->address_rate;
    s->pool = made ? hub_pool_create(opts->db_path, err, err_len) : NULL;
    s->admin = (struct hub_admin_options){.pool = s->pool,
                                          .clock = &s->clock,
                                          .secure_cookies = opts->secure_cookies,
                                          .session_idle_min = opts->session_idle_min > 0
                                                                  ? opts->session_idle_min
                                                                  : HUB_DEFAULT_SESSION_IDLE_MIN};
    if (!s->pool) {
        if (!made)
            snprintf(err, err_len, "out of memory");
        if (addr)
            freeaddrinfo(addr);
        hub_server_stop(s);
        return NULL;
    }
    struct hub_db *db = hub_pool_acquire(s->pool);
    bool keyed = db && hub_db_seal_keys(db, s->seal_pk, s->seal_sk);
    hub_pool_release(s->pool, db);
    if (!keyed) {
        snprintf(err, err_len, "cannot read or make the seal key in the database");
        if (addr)
            freeaddrinfo(addr);
        hub_server_stop(s);
        return NULL;
    }
    seal_key_format(s->seal_pk, s->seal_key_text);
    /* Handed-over connections (no listen socket: a fuzzer's socketpairs)
     * are polled with poll(): MHD 0.9.75's epoll loop notices a client's
     * half-close with a body still due only at the idle timeout. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     (!addr                         ? MHD_USE_NO_LISTEN_SOCKET | MHD_USE_POLL
                      : addr->ai_family == AF_INET6 ? MHD_USE_AUTO | MHD_USE_IPv6
                                                    : MHD_USE_AUTO);
    /* The logger comes first so that MHD's own start-up messages use it. */
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
        s, MHD_OPTION_SOCK_ADDR, addr ? addr->ai_addr : NULL, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)HUB_HTTP_THREADS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HUB_IDLE_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)opts->connections_per_address, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (addr)
        freeaddrinfo(addr);
    if (!s->daemon) {
        snprintf(err, err_len, "cannot listen on %s", opts->listen ? opts->listen : "(none)");
        hub_server_stop(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : port;
    bool v6 = strchr(host, ':') != NULL;
    snprintf(s->url, sizeof s->url, "http://%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", bound);
    return s;
}

bool hub_server_add_connection(struct hub_server *server, int fd, const struct sockaddr *addr,
                               socklen_t addr_len)
{
    /* MHD closes fd also when it refuses it. */
    return MHD_add_connection(server->daemon, fd, addr, addr_len) == MHD_YES;
}

const char *hub_server_url(const struct hub_server *server)
{
    return server->url;
}

struct hub_pool *hub_server_pool(struct hub_server *server)
{
    return server->pool;
}

void hub_server_stop(struct hub_server *s)
{
    if (!s)
        return;
    if (s->daemon) {
        MHD_socket listener = MHD_quiesce_daemon(s->daemon);
        if (listener != MHD_INVALID_SOCKET)
            close(listener);
        for (int waited = 0; waited < DRAIN_MS; waited += 50) {
            const union MHD_DaemonInfo *info =
                MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
            if (!info || info->num_connections == 0)
                break;
            nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
        }
        MHD_stop_daemon(s->daemon);
    }
    hub_feed_cache_destroy(s->feeds);
    hub_pool_destroy(s->pool);
    hub_rate_destroy(s->token_rate);
    hub_rate_destroy(s->address_rate);
    sodium_memzero(s->seal_sk, sizeof s->seal_sk);
    free(s);
}
