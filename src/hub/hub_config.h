/*
 * buurthub's configuration file (optional; format in docs/hub.md): INI,
 * one [hub] section (keys before any section count as [hub]), `key =
 * value`, comments on lines of their own starting with # or ;.
 *
 * A bad value names file:line and the hub does not start; an unknown key
 * or section is a warning, so that a newer config still starts an older
 * hub.
 */
#ifndef BK_HUB_CONFIG_H
#define BK_HUB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define HUB_DEFAULT_LISTEN "127.0.0.1:8080"
#define HUB_DEFAULT_TIMEZONE "Europe/Amsterdam"
#define HUB_DEFAULT_RETENTION_DAYS 30
#define HUB_DEFAULT_SESSION_IDLE_MIN 30
/* hub-api-v1.md "Limits the hub keeps": room for a kiosk draining a
 * backlog of 100 sign-ups in a minute. */
#define HUB_DEFAULT_RATE_PER_TOKEN 120
#define HUB_DEFAULT_RATE_PER_ADDRESS 600
/* Open connections one address may hold: several kiosks and staff
 * browsers behind one buurthuis's router, not a slow-client flood. */
#define HUB_DEFAULT_CONNECTIONS_PER_ADDRESS 32

struct hub_config {
    char listen[128];               /* HOST:PORT or [IPv6]:PORT */
    char timezone[64];              /* IANA zone */
    int retention_days;             /* 1..3650 */
    char log_level[16];             /* "" = leave BUURTKIOSK_LOG as it is */
    int lease_max;                  /* 0..20 places a kiosk may confirm offline; 0 = no leases */
    bool secure_cookies;            /* the console's session cookie always carries Secure */
    int session_idle_min;           /* 1..1440: a console session ends this long unused */
    int rate_per_token;             /* requests a minute per kiosk token; 0 = no limit */
    int rate_per_address;           /* requests a minute per client address; 0 = no limit */
    int connections_per_address;    /* open connections per address; 0 = no limit */
};

/* The built-in defaults. */
void hub_config_defaults(struct hub_config *cfg);

/* Reads path over the values already in cfg. false with "path:line:
 * reason" in err on a bad value or an unreadable file; warnings go to
 * the log. */
bool hub_config_load(struct hub_config *cfg, const char *path, char *err, size_t err_len);

/* Splits "HOST:PORT" or "[V6]:PORT" into host (brackets dropped) and
 * port. false when it is not of that shape or the port is not 0-65535. */
bool hub_listen_parse(const char *text, char *host, size_t host_len, unsigned *port);

#endif
