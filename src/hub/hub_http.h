/*
 * The hub's HTTP side (hub-api-v1.md, feed-v1.md "Transport") on
 * libmicrohttpd: routing, bearer-token authentication, body limits, and
 * the three endpoints
 *
 *   GET  /kiosk/v1/feed?kiosk=ID     the kiosk's feed (ETag, 304, gzip)
 *   POST /kiosk/v1/signups           a sign-up (hub_signup.h)
 *   POST /kiosk/v1/heartbeat         a kiosk's health, 204
 *   /admin/...                       the staff console (hub_admin.h)
 *
 * MHD runs a small pool of threads; each request borrows a SQLite
 * connection from a hub_pool for the time it needs one. Every error is a
 * JSON {"error": "..."}; an unknown path is 404, a known path with the
 * wrong method 405, a body over 64 KiB 413, headers over 8 KiB 431, a
 * client over its rate 429 with Retry-After. A missing or wrong token is
 * 401 with one body whatever the reason, so nothing tells whether a
 * kiosk id exists; a valid token naming another kiosk is 403.
 */
#ifndef BK_HUB_HTTP_H
#define BK_HUB_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "hub/hub_db.h"

#define HUB_MAX_BODY (64u * 1024u)
/* Request headers over this get 431 (hub-api-v1.md "Limits the hub keeps"). */
#define HUB_MAX_HEADERS (8u * 1024u)
/* A client that sends nothing for this long is dropped. */
#define HUB_IDLE_TIMEOUT_S 10
#define HUB_HTTP_THREADS 4

struct hub_server_options {
    const char *db_path;
    const char *listen;             /* HOST:PORT or [V6]:PORT; port 0 = any free port;
                                     * NULL = no socket, only hub_server_add_connection */
    struct clock clock;             /* the time sign-ups are judged at */
    int lease_max;                  /* places a kiosk may confirm offline (hub_lease.h); 0 = none */
    bool secure_cookies;            /* the console's cookie always Secure ([hub] secure_cookies) */
    int session_idle_min;           /* console sessions end unused this long; 0 = the default */
    int rate_per_token;             /* requests a minute per kiosk; 0 = no limit */
    int rate_per_address;           /* requests a minute per client address; 0 = no limit */
    int connections_per_address;    /* open connections per peer address; 0 = no limit */
};

struct hub_server;

/* Opens the database (creating or migrating it), binds and starts
 * serving. NULL with a reason in err on failure. */
struct hub_server *hub_server_start(const struct hub_server_options *opts, char *err,
                                    size_t err_len);

/* Serves a connection accepted elsewhere (a fuzzer's socketpair, say):
 * fd is the server's end, addr the peer's address as the request
 * handlers should see it. fd belongs to the server from here on, also
 * when false (refused) is returned. */
bool hub_server_add_connection(struct hub_server *server, int fd, const struct sockaddr *addr,
                               socklen_t addr_len);

/* "http://HOST:PORT" with the port really bound. Owned by the server. */
const char *hub_server_url(const struct hub_server *server);

/* The server's connection pool, for jobs on other threads (retention). */
struct hub_pool *hub_server_pool(struct hub_server *server);

/* Stops accepting, lets requests in flight finish (a little while at
 * most), stops the threads and frees everything. Every sign-up that was
 * answered was committed before its answer. NULL is fine. */
void hub_server_stop(struct hub_server *server);

/* A heartbeat body, parsed and type-checked. Strings point into root. */
struct hub_heartbeat_request {
    json_t *root;
    const char *kiosk_id;           /* NULL when absent */
    struct hub_heartbeat hb;
};

/* false with a reason in err for a 400 answer. */
bool hub_heartbeat_parse(const char *body, size_t len, struct hub_heartbeat_request *req,
                         char *err, size_t err_len);
void hub_heartbeat_request_clear(struct hub_heartbeat_request *req);

#endif
