/*
 * The kiosk's configuration (shared/spec/config-v1.md): one INI file,
 * overridden by --set and the command line, over built-in defaults.
 *
 * One table in config.c lists every key with its type, range, default and
 * help text; it drives the file parser, --set, `config --check` and the
 * generated reference in docs/config-reference.md. Adding a key means one
 * row there and one field here.
 */
#ifndef BK_CONFIG_H
#define BK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CONFIG_MAX_LIST 32
#define CONFIG_MAX_SPANS 64
/* branding.logo: larger pictures are refused when the screen decodes them
 * (the file's header is all the parser reads). */
#define CONFIG_IMAGE_MAX_SIDE 4096

/* One opening span of display.schedule: on weekday (0 = Monday) from
 * start_min to end_min minutes after local midnight (end_min <= 1440). */
struct schedule_span {
    int weekday;
    int start_min;
    int end_min;
};

struct schedule {
    bool always;                  /* "always" (the default): never dark */
    size_t n_spans;
    struct schedule_span spans[CONFIG_MAX_SPANS];
};

struct string_list {
    size_t n;
    char *items[CONFIG_MAX_LIST]; /* owned */
};

/* Every string is owned by the config and may be NULL for "none". */
/* A check of kiosk.hub beyond its form: plain http:// only on loopback
 * (config-v1). It needs a URL parser that agrees with the one that
 * connects, which lives above this layer (net/origin.c,
 * origin_hub_allowed); the program sets it before loading. On false, why
 * says what is wrong. */
typedef bool (*config_hub_check_fn)(const char *url, char *why, size_t why_len);

struct config {
    /* Set by the program before loading; NULL checks only the form. */
    config_hub_check_fn hub_check;
    /* [kiosk] */
    char *kiosk_id;
    char *kiosk_hub;
    char *kiosk_feed;
    char *kiosk_token_file;
    struct string_list kiosk_locations;
    char *kiosk_timezone;
    char *kiosk_data_dir;
    /* [sync] */
    int sync_interval_s;
    int sync_heartbeat_s;
    char *sync_public_key;        /* base64 as written; checked to decode to 32 bytes */
    char *sync_hub_seal_key;      /* base64 as written; checked by seal_key_parse */
    char *sync_ca_file;           /* PEM CAs trusted instead of the system's; NULL = system */
    /* [ui] */
    struct string_list ui_languages;
    int ui_rotation;
    int ui_idle_warn_s;
    int ui_idle_countdown_s;
    bool ui_large_text;
    bool ui_high_contrast;        /* project key: start in high-contrast mode */
    /* [privacy] */
    char *privacy_consent_text;
    int privacy_unsent_retention_days;
    /* [staff] */
    char *staff_language;         /* a code with a catalog; "nl" by default */
    char *staff_pin_hash;
    /* [display] */
    struct schedule display_schedule;
    char *display_off_command;
    char *display_on_command;
    /* [log] */
    int log_level;
    /* [branding] */
    char *branding_colour;        /* "#RRGGBB" or NULL: headers, tiles, buttons */
    char *branding_logo;          /* a PNG or JPEG file, or NULL: attract and home */
};

/* A config holding every built-in default. kiosk.data_dir's default is
 * /var/lib/buurtkiosk for root, else $XDG_DATA_HOME/buurtkiosk, else
 * ~/.local/share/buurtkiosk. Returns NULL only when out of memory. */
struct config *config_new(void);
void config_free(struct config *cfg);

/* Reads an INI file into cfg. Every problem is written to diag as
 * "PATH:LINE: reason" (warnings as "PATH:LINE: warning: reason"), one per
 * line. Returns the number of errors (bad values, bad syntax, unreadable
 * file); unknown sections and keys are warnings only and do not count.
 * Keys in the file are applied in order; on errors cfg may hold some of
 * them, so callers must not start with a config that had errors. */
int config_load_file(struct config *cfg, const char *path, FILE *diag);

/* The same for an open stream; path only names it in messages. The
 * stream stays open. */
int config_load_stream(struct config *cfg, FILE *f, const char *path, FILE *diag);

/* Applies one "section.key=value" override (--set). Returns false and
 * writes a reason to err for an unknown key or a bad value. */
bool config_set(struct config *cfg, const char *assignment, char *err, size_t err_len);

/* Applies one value to a key given separately ("kiosk.hub", "http://.."),
 * as the dedicated command-line options do. Same errors as config_set. */
bool config_set_key(struct config *cfg, const char *key, const char *value,
                    char *err, size_t err_len);

/* Writes the Markdown reference of every key (type, range, default,
 * meaning) as a table: the source of docs/config-reference.md. */
void config_write_reference(FILE *out);

/* True when the schedule has the screen on at this local weekday and
 * minute of the day. */
bool schedule_is_open(const struct schedule *s, int weekday, int minute_of_day);

#endif
