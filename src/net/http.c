#include "net/http.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Most answers are small (a hub's JSON, a signature); a feed grows the
 * buffer by doubling. */
#define BODY_FIRST_CAP 4096

void http_body_reset(struct http_body *body)
{
    free(body->data);
    body->data = NULL;
    body->len = body->cap = 0;
    body->too_large = false;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct http_body *b = userdata;
    size_t n = size * nmemb;
    if (n > b->max - b->len) {
        b->too_large = true;
        return 0; /* aborts the transfer */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : BODY_FIRST_CAP;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap > b->max + 1)
            cap = b->max + 1;
        char *grown = realloc(b->data, cap);
        if (!grown)
            return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    const atomic_bool *cancel = userdata;
    return atomic_load(cancel) ? 1 : 0;
}

void http_set_common(CURL *curl, const char *ca_file, long connect_timeout_s,
                     long total_timeout_s, struct http_body *body, const atomic_bool *cancel,
                     char *errbuf)
{
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    /* A private CA (a municipality's own) is trusted instead of the system's
     * bundle, not beside it: the operator who names one decides the whole
     * list (and appends the system's bundle to the file to keep both).
     * Verification itself stays on either way. */
    if (ca_file && *ca_file) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
        /* A CA directory built into libcurl would otherwise still be
         * searched beside the file. */
        curl_easy_setopt(curl, CURLOPT_CAPATH, NULL);
    }
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, connect_timeout_s);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, total_timeout_s);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, HTTP_LOW_SPEED_BYTES);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, HTTP_LOW_SPEED_TIME_S);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "buurtkiosk/" BK_VERSION);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    if (cancel) {
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
        /* libcurl hands the pointer back untouched; on_progress only reads. */
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)cancel);
    }
}

bool http_add_header(struct curl_slist **headers, const char *line)
{
    struct curl_slist *grown = curl_slist_append(*headers, line);
    if (!grown)
        return false;
    *headers = grown;
    return true;
}

bool http_add_bearer(struct curl_slist **headers, const char *token)
{
    if (!token || !*token)
        return true;
    char line[600];
    int n = snprintf(line, sizeof line, "Authorization: Bearer %s", token);
    bool added = n > 0 && (size_t)n < sizeof line && http_add_header(headers, line);
    sodium_memzero(line, sizeof line);
    return added;
}

bool http_is_status_line(const char *line, size_t n)
{
    return n > 5 && strncmp(line, "HTTP/", 5) == 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *http_header_value(const char *line, size_t n, const char *name, size_t *value_len)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) != 0)
        return NULL;
    const char *value = line + k;
    size_t len = n - k;
    while (len && is_blank(*value)) {
        value++;
        len--;
    }
    while (len && is_blank(value[len - 1]))
        len--;
    *value_len = len;
    return value;
}
