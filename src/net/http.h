/*
 * What every libcurl transfer of the kiosk shares, the feed's GET
 * (fetch.c) and the POSTs to the hub (push.c) alike: the answer's body
 * collected in memory under a size cap, a stop when the network thread
 * is asked to end, TLS verification always on, the slow-link limits, and
 * the header lines both send.
 */
#ifndef BK_HTTP_H
#define BK_HTTP_H

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* Abandoned below this many bytes a second for HTTP_LOW_SPEED_TIME_S. */
#define HTTP_LOW_SPEED_BYTES 1024L
#define HTTP_LOW_SPEED_TIME_S 30L

/* An answer's body as it arrives. More than max bytes abort the transfer
 * (too_large says so): a hub or feed server gone wrong must not fill the
 * kiosk's memory. */
struct http_body {
    char *data;                   /* owned, NUL-terminated; NULL until a byte came */
    size_t len;
    size_t cap;
    size_t max;
    bool too_large;
};

/* Frees what came and starts over; max is kept. */
void http_body_reset(struct http_body *body);

/* Settings every transfer has: TLS verification on against ca_file (a
 * PEM bundle that replaces the system's, sync.ca_file; NULL or "" = the
 * system's), the timeouts (s),
 * the slow-link limits, no signals (the network thread is not the main
 * loop), the user agent, the body into *body, libcurl's error text into
 * errbuf (CURL_ERROR_SIZE bytes), and a stop as soon as *cancel (may be
 * NULL) becomes true. The caller sets the URL, the protocols and what
 * to do with redirects. */
void http_set_common(CURL *curl, const char *ca_file, long connect_timeout_s,
                     long total_timeout_s, struct http_body *body, const atomic_bool *cancel,
                     char *errbuf);

/* Appends one header line to *headers; on failure (out of memory) the
 * list stays as it was and false is returned. */
bool http_add_header(struct curl_slist **headers, const char *line);

/* Appends "Authorization: Bearer TOKEN" (nothing for NULL or ""); the
 * line's copy on the stack is wiped, libcurl keeps its own. */
bool http_add_bearer(struct curl_slist **headers, const char *token);

/* For header callbacks: true when line (n bytes, as libcurl hands it
 * over) is a status line. Headers before it belonged to an earlier
 * response (a redirect, a 100 Continue) and no longer count. */
bool http_is_status_line(const char *line, size_t n);

/* For header callbacks: when line is the header `name` (lower case, with
 * its colon, e.g. "etag:"), its value without the white space and line
 * end around it, and *value_len its length; else NULL. */
const char *http_header_value(const char *line, size_t n, const char *name, size_t *value_len);

#endif
