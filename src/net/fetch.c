#include "net/fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CONNECT_TIMEOUT_S 30L
#define TOTAL_TIMEOUT_S 120L
#define LOW_SPEED_BYTES 1024L
#define LOW_SPEED_TIME_S 30L
#define MAX_REDIRECTS 5L

struct transfer {
    struct fetch_response *resp;
    const atomic_bool *cancel;
    size_t max_body;
    size_t cap;
    bool too_large;
};

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

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct transfer *t = userdata;
    struct fetch_response *r = t->resp;
    size_t n = size * nmemb;
    if (r->body_len + n > t->max_body) {
        t->too_large = true;
        return 0; /* aborts the transfer */
    }
    if (r->body_len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 64 * 1024;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        if (cap > t->max_body + 1)
            cap = t->max_body + 1;
        char *body = realloc(r->body, cap);
        if (!body)
            return 0;
        r->body = body;
        t->cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    const struct transfer *t = userdata;
    return t->cancel && atomic_load(t->cancel) ? 1 : 0;
}

/* Keeps a header value verbatim (ETag quotes and W/ included), trimmed. */
static void keep_header(char **slot, const char *value, size_t len)
{
    while (len && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    while (len && (value[len - 1] == '\r' || value[len - 1] == '\n' || value[len - 1] == ' '))
        len--;
    free(*slot);
    *slot = strndup(value, len);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct transfer *t = userdata;
    size_t n = size * nmemb;
    static const struct {
        const char *name;
        size_t offset;
    } wanted[] = {
        {"etag:", offsetof(struct fetch_response, etag)},
        {"last-modified:", offsetof(struct fetch_response, last_modified)},
        {"buurtkiosk-signature:", offsetof(struct fetch_response, signature)},
    };
    /* A new status line starts a new response (after a redirect): drop
     * what the previous one said. */
    if (n > 5 && strncmp(data, "HTTP/", 5) == 0) {
        free(t->resp->etag);
        free(t->resp->last_modified);
        free(t->resp->signature);
        t->resp->etag = t->resp->last_modified = t->resp->signature = NULL;
    }
    for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
        size_t k = strlen(wanted[i].name);
        if (n > k && strncasecmp(data, wanted[i].name, k) == 0)
            keep_header((char **)((char *)t->resp + wanted[i].offset), data + k, n - k);
    }
    return n;
}

void fetch_get(const struct fetch_request *req, struct fetch_response *resp)
{
    memset(resp, 0, sizeof *resp);
    resp->result = FETCH_FAILED;
    struct transfer t = {.resp = resp, .cancel = req->cancel, .max_body = req->max_body};
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(resp->error, sizeof resp->error, "cannot start libcurl");
        return;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    char line[600];
    if (req->etag && *req->etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", req->etag);
        headers = curl_slist_append(headers, line);
    }
    if (req->last_modified && *req->last_modified) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", req->last_modified);
        headers = curl_slist_append(headers, line);
    }
    if (req->bearer_token && *req->bearer_token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", req->bearer_token);
        headers = curl_slist_append(headers, line);
    }

    bool is_file = fetch_is_file_url(req->url);
    bool is_https = strncasecmp(req->url, "https://", 8) == 0;
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, is_file ? "file" : "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, is_https ? "https" : "http,https");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                     req->connect_timeout_s ? req->connect_timeout_s : CONNECT_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT,
                     req->total_timeout_s ? req->total_timeout_s : TOTAL_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, LOW_SPEED_TIME_S);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "buurtkiosk/" BK_VERSION);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);

    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->http_status);

    if (t.too_large) {
        resp->result = FETCH_TOO_LARGE;
        snprintf(resp->error, sizeof resp->error, "the body is over %zu MiB",
                 req->max_body / (1024 * 1024));
    } else if (rc != CURLE_OK) {
        snprintf(resp->error, sizeof resp->error, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
    } else if (!is_file && resp->http_status == 304) {
        resp->result = FETCH_NOT_MODIFIED;
    } else if (!is_file && (resp->http_status < 200 || resp->http_status > 299)) {
        snprintf(resp->error, sizeof resp->error, "HTTP status %ld", resp->http_status);
    } else {
        resp->result = FETCH_OK;
        if (!resp->body) {
            resp->body = calloc(1, 1);
            if (!resp->body) {
                resp->result = FETCH_FAILED;
                snprintf(resp->error, sizeof resp->error, "out of memory");
            }
        }
    }
    if (resp->result != FETCH_OK) {
        free(resp->body);
        resp->body = NULL;
        resp->body_len = 0;
    }
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
    memset(resp, 0, sizeof *resp);
}
