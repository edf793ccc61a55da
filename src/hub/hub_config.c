#include "hub/hub_config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "hub/hub_lease.h"

#define TAG "hub-config"

void hub_config_defaults(struct hub_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "%s", HUB_DEFAULT_LISTEN);
    snprintf(cfg->timezone, sizeof cfg->timezone, "%s", HUB_DEFAULT_TIMEZONE);
    cfg->retention_days = HUB_DEFAULT_RETENTION_DAYS;
    cfg->lease_max = HUB_LEASE_DEFAULT_MAX;
    cfg->session_idle_min = HUB_DEFAULT_SESSION_IDLE_MIN;
    cfg->rate_per_token = HUB_DEFAULT_RATE_PER_TOKEN;
    cfg->rate_per_address = HUB_DEFAULT_RATE_PER_ADDRESS;
    cfg->connections_per_address = HUB_DEFAULT_CONNECTIONS_PER_ADDRESS;
}

bool hub_listen_parse(const char *text, char *host, size_t host_len, unsigned *port)
{
    const char *colon;
    const char *h = text;
    size_t n;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            return false;
        h = text + 1;
        n = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon || memchr(text, ':', (size_t)(colon - text)))
            return false; /* a bare IPv6 address needs brackets */
        n = (size_t)(colon - text);
    }
    if (n == 0 || n >= host_len)
        return false;
    char *end;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || p > 65535 || colon[1] == '-' || colon[1] == '+')
        return false;
    memcpy(host, h, n);
    host[n] = '\0';
    *port = (unsigned)p;
    return true;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* The integer keys: where each is kept and the range it must be in. */
struct int_key {
    const char *name;
    size_t offset;                  /* of the int in struct hub_config */
    long lo, hi;
};

static const struct int_key int_keys[] = {
    {"retention_days", offsetof(struct hub_config, retention_days), 1, 3650},
    {"lease_max", offsetof(struct hub_config, lease_max), 0, HUB_LEASE_MAX_MAX},
    {"session_idle_min", offsetof(struct hub_config, session_idle_min), 1, 1440},
    {"rate_per_token", offsetof(struct hub_config, rate_per_token), 0, 1000000},
    {"rate_per_address", offsetof(struct hub_config, rate_per_address), 0, 1000000},
    {"connections_per_address", offsetof(struct hub_config, connections_per_address), 0, 1024},
};

/* true when key is an integer key (then *handled); false on a bad value. */
static bool set_int(struct hub_config *cfg, const char *key, const char *value,
                    const char *where, char *err, size_t err_len, bool *handled)
{
    *handled = false;
    for (size_t i = 0; i < sizeof int_keys / sizeof *int_keys; i++) {
        const struct int_key *k = &int_keys[i];
        if (strcmp(key, k->name) != 0)
            continue;
        *handled = true;
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < k->lo || v > k->hi) {
            snprintf(err, err_len, "%s: %s is not an integer %ld-%ld", where, k->name, k->lo,
                     k->hi);
            return false;
        }
        *(int *)((char *)cfg + k->offset) = (int)v;
    }
    return true;
}

static bool set_value(struct hub_config *cfg, const char *key, const char *value,
                      const char *where, char *err, size_t err_len)
{
    bool handled;
    if (!set_int(cfg, key, value, where, err, err_len, &handled))
        return false;
    if (handled)
        return true;
    if (strcmp(key, "listen") == 0) {
        char host[128];
        unsigned port;
        if (!hub_listen_parse(value, host, sizeof host, &port) ||
            strlen(value) >= sizeof cfg->listen) {
            snprintf(err, err_len, "%s: listen is not HOST:PORT", where);
            return false;
        }
        snprintf(cfg->listen, sizeof cfg->listen, "%s", value);
    } else if (strcmp(key, "timezone") == 0) {
        if (!*value || strlen(value) >= sizeof cfg->timezone) {
            snprintf(err, err_len, "%s: timezone is not an IANA zone name", where);
            return false;
        }
        snprintf(cfg->timezone, sizeof cfg->timezone, "%s", value);
    } else if (strcmp(key, "secure_cookies") == 0) {
        if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
            snprintf(err, err_len, "%s: secure_cookies is not true or false", where);
            return false;
        }
        cfg->secure_cookies = strcmp(value, "true") == 0;
    } else if (strcmp(key, "log_level") == 0) {
        static const char *const levels[] = {"error", "warning", "info", "debug"};
        bool known = false;
        for (size_t i = 0; i < 4; i++)
            known = known || strcmp(value, levels[i]) == 0;
        if (!known) {
            snprintf(err, err_len, "%s: log_level is not error, warning, info or debug", where);
            return false;
        }
        snprintf(cfg->log_level, sizeof cfg->log_level, "%s", value);
    } else {
        log_warn(TAG, "%s: unknown key hub.%s ignored", where, key);
    }
    return true;
}

bool hub_config_load(struct hub_config *cfg, const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return false;
    }
    char line[1024];
    size_t lineno = 0;
    bool in_hub = true;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        lineno++;
        char where[300];
        snprintf(where, sizeof where, "%s:%zu", path, lineno);
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, err_len, "%s: line too long", where);
            ok = false;
            break;
        }
        char *s = trim(line);
        if (lineno == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1]) {
                snprintf(err, err_len, "%s: a section header is [name]", where);
                ok = false;
                break;
            }
            *close = '\0';
            in_hub = strcmp(trim(s + 1), "hub") == 0;
            if (!in_hub)
                log_warn(TAG, "%s: unknown section [%s] ignored", where, trim(s + 1));
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, err_len, "%s: expected key = value", where);
            ok = false;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (in_hub)
            ok = set_value(cfg, key, value, where, err, err_len);
    }
    fclose(f);
    return ok;
}
