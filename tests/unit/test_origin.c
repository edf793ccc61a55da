/*
 * Where the token and the residents' data may go (net/origin.c): which
 * kiosk.hub URLs are allowed (https anywhere, plain http on loopback only),
 * the same through the config with the check set as the program sets it,
 * and which feed URLs share the hub's origin (scheme, host and port), so
 * get its token. URLs that try to look like loopback or like the hub are
 * must-fail rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "model/config.h"
#include "net/origin.h"

static const struct {
    const char *url;
    bool allowed;
} hub_rows[] = {
    {"https://hub.example.org", true},
    {"https://hub.example.org:8443/base/", true},
    {"HTTPS://hub.example.org", true},
    {"https://192.0.2.7", true},
    {"http://127.0.0.1:8080", true},
    {"http://127.0.0.1", true},
    {"http://127.1.2.3:9/x", true},
    {"http://127.255.255.254", true},
    {"http://localhost:8080/base", true},
    {"http://LOCALHOST", true},
    {"HTTP://localhost", true},
    {"http://[::1]:8080", true},
    {"http://[0:0:0:0:0:0:0:1]/", true},
    /* must fail: plain http off loopback, or only looking like loopback */
    {"http://hub.example.org", false},
    {"http://hub.example.org:8080/base", false},
    {"http://192.0.2.7:8080", false},
    {"http://10.0.0.1", false},
    {"http://128.0.0.1", false},
    {"http://0.0.0.0:8080", false},
    {"http://[::]:8080", false},
    {"http://[::ffff:127.0.0.1]", false},
    {"http://[::2]", false},
    {"http://127.0.0.1.example.org", false},
    {"http://localhost.example.org", false},
    {"http://127.0.0.1@evil.example.org", false},
    {"http://localhost:x@evil.example.org/", false},
    {"http://evil.example.org#@127.0.0.1", false},
    {"http://evil.example.org?@localhost", false},
    {"http://evil.example.org/127.0.0.1", false},
    {"http://mylocalhost", false},
    {"ftp://127.0.0.1", false},
    {"file:///etc/passwd", false},
    {"127.0.0.1", false},
    {"", false},
};

static void test_hub_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hub_rows / sizeof *hub_rows; i++) {
        char why[300] = "";
        bool ok = origin_hub_allowed(hub_rows[i].url, why, sizeof why);
        if (ok != hub_rows[i].allowed)
            fail_msg("hub '%s': got %d (%s)", hub_rows[i].url, ok, why);
        if (!ok && !*why)
            fail_msg("hub '%s': refused without a reason", hub_rows[i].url);
    }
}

/* Through the config, as the program loads it: a refused hub is a bad
 * value naming the key and saying why; with the check unset (a library
 * user that did not ask) only the form is checked. */
static void test_config_hub(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hub_rows / sizeof *hub_rows; i++) {
        const char *url = hub_rows[i].url;
        if (!*url || strncmp(url, "ftp", 3) == 0 || strncmp(url, "file", 4) == 0 ||
            !strstr(url, "://"))
            continue; /* refused by the form already */
        struct config *c = config_new();
        assert_non_null(c);
        c->hub_check = origin_hub_allowed;
        char err[512] = "";
        bool ok = config_set_key(c, "kiosk.hub", url, err, sizeof err);
        if (ok != hub_rows[i].allowed)
            fail_msg("config kiosk.hub '%s': got %d (%s)", url, ok, err);
        if (!ok && (!strstr(err, "kiosk.hub") || !strstr(err, "only on loopback")))
            fail_msg("config kiosk.hub '%s': unclear error: %s", url, err);
        if (ok)
            assert_string_equal(c->kiosk_hub, url);
        else
            assert_null(c->kiosk_hub);
        config_free(c);
    }
    /* kiosk.feed may be plain http anywhere: it carries no token (below). */
    struct config *c = config_new();
    c->hub_check = origin_hub_allowed;
    char err[512];
    assert_true(config_set_key(c, "kiosk.feed", "http://cdn.example.org/feed.json", err,
                               sizeof err));
    config_free(c);
}

static const struct {
    const char *hub, *url;
    bool same;
} same_rows[] = {
    {"https://hub.example.org", "https://hub.example.org/kiosk/v1/feed?kiosk=a", true},
    {"https://hub.example.org/base", "https://hub.example.org:443/other", true},
    {"https://Hub.Example.org", "https://hub.example.org/x", true},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8080/kiosk/v1/feed", true},
    {"http://localhost", "http://localhost:80/f.json", true},
    /* must fail */
    {"https://hub.example.org", "http://hub.example.org/feed", false},
    {"https://hub.example.org", "https://hub.example.org:8443/feed", false},
    {"https://hub.example.org", "https://cdn.example.org/feed.json", false},
    {"https://hub.example.org", "https://hub.example.org.evil.example/feed", false},
    {"https://hub.example.org", "https://hub.example.org@evil.example/feed", false},
    {"https://hub.example.org", "https://evil.example/hub.example.org", false},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8081/feed", false},
    {"http://127.0.0.1:8080", "http://localhost:8080/feed", false},
    {"https://hub.example.org", "file:///tmp/feed.json", false},
    {"https://hub.example.org", "", false},
    {"", "https://hub.example.org/feed", false},
    {NULL, "https://hub.example.org/feed", false},
};

static void test_same_origin(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof same_rows / sizeof *same_rows; i++)
        if (origin_same(same_rows[i].hub, same_rows[i].url) != same_rows[i].same)
            fail_msg("same origin '%s' / '%s': want %d", same_rows[i].hub ? same_rows[i].hub : "(null)",
                     same_rows[i].url, same_rows[i].same);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hub_rows),
        cmocka_unit_test(test_config_hub),
        cmocka_unit_test(test_same_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
