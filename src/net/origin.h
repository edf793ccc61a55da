/*
 * Where the hub's token and the residents' data may go, judged on URLs as
 * libcurl itself reads them (its URL API), so that what is checked is
 * what is connected to: an origin is a URL's scheme, host and port
 * (RFC 6454), and plain http is safe only on loopback.
 */
#ifndef BK_ORIGIN_H
#define BK_ORIGIN_H

#include <stdbool.h>
#include <stddef.h>

/* True when a and b are http(s) URLs of the same scheme, host and port
 * (a missing port is the scheme's default). Anything libcurl cannot
 * parse, file:// and userinfo tricks never match. */
bool origin_same(const char *a, const char *b);

/* True when the URL's host is loopback: 127.0.0.0/8, ::1 or localhost. */
bool origin_is_loopback(const char *url);

/* The rule for kiosk.hub (hub-api-v1, config-v1): https anywhere, plain
 * http only on loopback. On false, why says so (for a config error). The
 * signature is config_hub_check_fn's (model/config.h). */
bool origin_hub_allowed(const char *url, char *why, size_t why_len);

#endif
