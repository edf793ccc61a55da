/*
 * One HTTP(S) or file:// GET of the feed through libcurl, with the limits
 * of feed-v1: protocols restricted, redirects (GET only) at most 5 and
 * never from https to http, TLS verification always on, 16 MiB decoded
 * body, 30 s to connect, 120 s in all, abandoned below 1 KiB/s for 30 s.
 */
#ifndef BK_FETCH_H
#define BK_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

enum fetch_result {
    FETCH_OK,               /* a 2xx body */
    FETCH_NOT_MODIFIED,     /* 304 */
    FETCH_TOO_LARGE,        /* the body went over the limit: reject the feed */
    FETCH_FAILED,           /* no usable answer (network, TLS, HTTP error) */
};

struct fetch_request {
    const char *url;
    const char *etag;             /* sent verbatim as If-None-Match, or NULL */
    const char *last_modified;    /* sent as If-Modified-Since, or NULL */
    const char *bearer_token;     /* or NULL */
    /* The token is sent only when url has this URL's scheme, host and port
     * (the hub's base URL): a feed on another server never receives it.
     * NULL: never sent. */
    const char *bearer_origin;
    const char *ca_file;          /* PEM CAs trusted instead of the system's; NULL/"" = system */
    size_t max_body;              /* decoded bytes */
    long connect_timeout_s;       /* 0 = the feed-v1 default */
    long total_timeout_s;         /* 0 = the feed-v1 default */
    const atomic_bool *cancel;    /* when set to true, the transfer stops; may be NULL */
};

struct fetch_response {
    enum fetch_result result;
    long http_status;             /* 0 for file:// */
    char *body;                   /* owned, NUL-terminated; NULL unless FETCH_OK */
    size_t body_len;
    char *etag;                   /* owned, verbatim, or NULL */
    char *last_modified;          /* owned, or NULL */
    char *signature;              /* Buurtkiosk-Signature header value, or NULL */
    /* Buurtkiosk-Seal-Key header value (the hub's key for sealing personal
     * fields), kept only when the answer came from bearer_origin's scheme,
     * host and port; else NULL. */
    char *seal_key;
    char *retry_after;            /* Retry-After header value, or NULL */
    char error[256];              /* why, for FETCH_FAILED and FETCH_TOO_LARGE */
};

/* Performs the GET. Always fills resp (free with fetch_response_clear).
 * Call fetch_global_init once before any thread uses this. */
void fetch_get(const struct fetch_request *req, struct fetch_response *resp);
void fetch_response_clear(struct fetch_response *resp);

bool fetch_global_init(void);
void fetch_global_cleanup(void);

/* True when url is a file:// URL. */
bool fetch_is_file_url(const char *url);

#endif
