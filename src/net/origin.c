#include "net/origin.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct origin {
    char *scheme, *host, *port;
};

static void origin_clear(struct origin *o)
{
    curl_free(o->scheme);
    curl_free(o->host);
    curl_free(o->port);
    memset(o, 0, sizeof *o);
}

/* Scheme, host and port as libcurl will use them (it lowercases the
 * scheme and normalises numeric IPv4 hosts such as 127.1), http(s) only. */
static bool origin_parse(const char *url, struct origin *o)
{
    memset(o, 0, sizeof *o);
    CURLU *u = url ? curl_url() : NULL;
    if (!u)
        return false;
    bool ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, &o->host, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
              (strcasecmp(o->scheme, "http") == 0 || strcasecmp(o->scheme, "https") == 0) &&
              o->host[0];
    curl_url_cleanup(u);
    if (!ok)
        origin_clear(o);
    return ok;
}

bool origin_same(const char *a, const char *b)
{
    struct origin x, y;
    if (!origin_parse(a, &x))
        return false;
    bool same = false;
    if (origin_parse(b, &y)) {
        same = strcasecmp(x.scheme, y.scheme) == 0 && strcasecmp(x.host, y.host) == 0 &&
               strcmp(x.port, y.port) == 0;
        origin_clear(&y);
    }
    origin_clear(&x);
    return same;
}

static bool host_is_loopback(const char *host)
{
    if (strcasecmp(host, "localhost") == 0)
        return true;
    unsigned char addr[16];
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127;
    /* libcurl gives an IPv6 host in brackets, maybe with a zone id. */
    size_t n = strlen(host);
    if (n < 3 || host[0] != '[' || host[n - 1] != ']' || n - 2 >= 64)
        return false;
    char bare[64];
    memcpy(bare, host + 1, n - 2);
    bare[n - 2] = '\0';
    static const unsigned char loop6[16] = {[15] = 1};
    return inet_pton(AF_INET6, bare, addr) == 1 && memcmp(addr, loop6, 16) == 0;
}

bool origin_is_loopback(const char *url)
{
    struct origin o;
    if (!origin_parse(url, &o))
        return false;
    bool loop = host_is_loopback(o.host);
    origin_clear(&o);
    return loop;
}

bool origin_hub_allowed(const char *url, char *why, size_t why_len)
{
    struct origin o;
    if (!origin_parse(url, &o)) {
        snprintf(why, why_len, "is not an http:// or https:// URL libcurl can read");
        return false;
    }
    bool ok = strcasecmp(o.scheme, "https") == 0 || host_is_loopback(o.host);
    if (!ok)
        snprintf(why, why_len,
                 "plain http:// is allowed only on loopback (127.0.0.0/8, ::1, localhost), "
                 "not to %.100s: names, phone numbers and the token would cross the network "
                 "in clear text; use https://", o.host);
    origin_clear(&o);
    return ok;
}
