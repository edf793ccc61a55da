#include "net/fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/http.h"
#include "net/origin.h"

#define CONNECT_TIMEOUT_S 30L
#define TOTAL_TIMEOUT_S 120L
#define MAX_REDIRECTS 5L

bool fetch_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void fetch_global_cleanup(void)
{
    curl_global_cleanup();
}

bool fetch_is_file_url(const char *url)
{
    return url && strncasecmp(url, "file://", 7) == 0;
}

/* Keeps a header value verbatim (ETag quotes and W/ included). */
static void keep_header(char **slot, const char *value, size_t len)
{
    free(*slot);
    *slot = strndup(value, len);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct fetch_response *resp = userdata;
    size_t n = size * nmemb;
    static const struct {
        const char *name;
        size_t offset;
    } wanted[] = {
        {"etag:", offsetof(struct fetch_response, etag)},
        {"last-modified:", offsetof(struct fetch_response, last_modified)},
        {"buurtkiosk-signature:", offsetof(struct fetch_response, signature)},
        {"buurtkiosk-seal-key:", offsetof(struct fetch_response, seal_key)},
        /* A 429 or 503 says when to come back (hub-api-v1 "Limits"). */
        {"retry-after:", offsetof(struct fetch_response, retry_after)},
    };
    /* A new status line starts a new response (after a redirect): drop
     * what the previous one said. */
    if (http_is_status_line(data, n)) {
        free(resp->etag);
        free(resp->last_modified);
        free(resp->signature);
        free(resp->seal_key);
        free(resp->retry_after);
        resp->etag = resp->last_modified = resp->signature = resp->seal_key = NULL;
        resp->retry_after = NULL;
    }
    for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
        size_t len;
        const char *value = http_header_value(data, n, wanted[i].name, &len);
        if (value)
            keep_header((char **)((char *)resp + wanted[i].offset), value, len);
    }
    return n;
}

void fetch_get(const struct fetch_request *req, struct fetch_response *resp)
{
    memset(resp, 0, sizeof *resp);
    resp->result = FETCH_FAILED;
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(resp->error, sizeof resp->error, "cannot start libcurl");
        return;
    }
    struct http_body body = {.max = req->max_body};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    char line[600];
    bool headers_ok = true;
    if (req->etag && *req->etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", req->etag);
        headers_ok = http_add_header(&headers, line);
    }
    if (headers_ok && req->last_modified && *req->last_modified) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", req->last_modified);
        headers_ok = http_add_header(&headers, line);
    }
    /* The hub's token goes to the hub's own origin only (hub-api-v1): a
     * kiosk.feed on a CDN or another server must not learn it. libcurl
     * keeps it from a redirect to another host, port or scheme. */
    if (req->bearer_token && origin_same(req->bearer_origin, req->url))
        headers_ok = headers_ok && http_add_bearer(&headers, req->bearer_token);
    if (!headers_ok) {
        snprintf(resp->error, sizeof resp->error, "out of memory");
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        return;
    }

    bool is_file = fetch_is_file_url(req->url);
    bool is_https = strncasecmp(req->url, "https://", 8) == 0;
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, is_file ? "file" : "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, is_https ? "https" : "http,https");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    http_set_common(curl, req->ca_file,
                    req->connect_timeout_s ? req->connect_timeout_s : CONNECT_TIMEOUT_S,
                    req->total_timeout_s ? req->total_timeout_s : TOTAL_TIMEOUT_S, &body,
                    req->cancel, errbuf);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, resp);

    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->http_status);
    /* The seal key is believed only from the hub itself: what any other
     * server (a CDN, a redirect's target) says could be a key whose secret
     * half a thief holds. */
    const char *answered_by = NULL;
    curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &answered_by);
    if (resp->seal_key && !(answered_by && origin_same(req->bearer_origin, answered_by))) {
        free(resp->seal_key);
        resp->seal_key = NULL;
    }

    if (body.too_large) {
        resp->result = FETCH_TOO_LARGE;
        snprintf(resp->error, sizeof resp->error, "the body is over %zu MiB",
                 req->max_body / (1024 * 1024));
    } else if (rc != CURLE_OK) {
        snprintf(resp->error, sizeof resp->error, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
    } else if (!is_file && resp->http_status == 304) {
        resp->result = FETCH_NOT_MODIFIED;
    } else if (!is_file && (resp->http_status < 200 || resp->http_status > 299)) {
        snprintf(resp->error, sizeof resp->error, "HTTP status %ld", resp->http_status);
    } else if (!body.data && !(body.data = calloc(1, 1))) {
        /* An empty body is still a body: the feed's parser says what is wrong with it. */
        snprintf(resp->error, sizeof resp->error, "out of memory");
    } else {
        resp->result = FETCH_OK;
        resp->body = body.data;
        resp->body_len = body.len;
        body.data = NULL;
    }
    http_body_reset(&body);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

void fetch_response_clear(struct fetch_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    free(resp->etag);
    free(resp->last_modified);
    free(resp->signature);
    free(resp->seal_key);
    free(resp->retry_after);
    memset(resp, 0, sizeof *resp);
}
