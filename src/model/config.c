/*
 * The kiosk's configuration (shared/spec/config-v1.md).
 *
 * Everything is driven by one table, `options` below: the INI reader,
 * --set, the dedicated command-line options, the defaults (each default is
 * the string a person would write in the file, run through the same
 * parser) and the generated Markdown reference. So a key cannot be known
 * to one of them and missing from another.
 *
 * A value is parsed completely into a temporary before it replaces the
 * old one, so a rejected --set leaves the config as it was.
 */
#include "model/config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "model/i18n.h"
#include "model/seal.h"
#include "model/vocab.h"
#include "base/utf8.h"

/* Longest line the INI reader accepts, without its line end. A config
 * line is a few hundred bytes at most; anything longer is a broken or
 * hostile file, and refusing it keeps every message short. */
#define MAX_LINE 8192
/* Longest value quoted back in a message, so one bad line cannot flood
 * the terminal or the journal. */
#define QUOTE_MAX 60
#define ID_MAX 128
#define ZONEINFO_DIR "/usr/share/zoneinfo"
/* A logo is a few kB to a few hundred; more is a photo or a mistake, and
 * the kiosk decodes it at every start. */
#define IMAGE_MAX_BYTES (4L * 1024 * 1024)
/* The system's whole bundle is about 200 kB; a private CA's file is a
 * few kB. More is not a CA list. */
#define CA_FILE_MAX_BYTES (4L * 1024 * 1024)
#define PEM_CERT_MARK "-----BEGIN CERTIFICATE-----"

enum opt_type {
    T_ID,        /* [A-Za-z0-9_-]{1,128} */
    T_URL,       /* http://, https:// or file://, no spaces or control chars */
    T_PATH,      /* a file or directory name */
    T_ID_LIST,   /* comma-separated ids */
    T_ZONE,      /* IANA zone name present in ZONEINFO_DIR */
    T_INT,       /* decimal integer from min to max */
    T_KEY,       /* base64 (original alphabet) of a 32-byte Ed25519 key */
    T_SEAL_KEY,  /* the hub's X25519 seal key as `buurthub seal-key` prints it */
    T_LANG_LIST, /* comma-separated [a-z]{2,3} with a catalog, at least one */
    T_LANG,      /* one [a-z]{2,3} with a catalog */
    T_ENUM,      /* one of `choices`, stored as its value */
    T_BOOL,
    T_TEXT,      /* free text; a literal backslash-n becomes a line break */
    T_PIN_HASH,  /* crypto_pwhash_str output, from `buurtkiosk hash-pin` */
    T_SCHEDULE,
    T_COMMAND,   /* a line for /bin/sh -c */
    T_COLOUR,    /* #RRGGBB, dark enough for white text on it */
    T_IMAGE,     /* a readable PNG or JPEG file of at most IMAGE_MAX_BYTES */
    T_CA_FILE,   /* a readable file with at least one PEM certificate */
};

/* An empty value means "none": the field becomes NULL or an empty list.
 * Keys without it reject an empty value. */
#define F_NONE_OK 1u
/* The default depends on who runs the kiosk (default_data_dir). */
#define F_DATA_DIR_DEFAULT 2u

/* parse_value's flags. */
/* Parsing a built-in default: skip the check that the zone file exists,
 * so that config_new never fails on a machine without tzdata (the time
 * module reports that when it loads the zone). The name's shape is still
 * checked. */
#define P_FROM_DEFAULT 1u

struct choice {
    const char *name;
    int value;
};

struct cfg_option {
    const char *name;             /* "section.key" */
    enum opt_type type;
    size_t offset;                /* of the field in struct config */
    int min, max;                 /* T_INT only */
    const char *def;              /* as written in the file; NULL = none */
    const char *def_doc;          /* the reference's words for a default computed at run time */
    const struct choice *choices; /* T_ENUM only, ended by a NULL name */
    unsigned flags;
    const char *help;
};

static const struct choice rotations[] = {
    {"0", 0}, {"90", 90}, {"180", 180}, {"270", 270}, {NULL, 0},
};

/* The same numbers as enum log_level in core/log.h. */
static const struct choice log_levels[] = {
    {"error", 0}, {"warning", 1}, {"info", 2}, {"debug", 3}, {NULL, 0},
};

#define OFF(field) offsetof(struct config, field)

static const struct cfg_option options[] = {
    {"kiosk.id", T_ID, OFF(kiosk_id), 0, 0, "demo", NULL, NULL, 0,
     "this kiosk's id at the hub"},
    {"kiosk.hub", T_URL, OFF(kiosk_hub), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "hub base URL: `https://`, or `http://` on loopback only (127.0.0.0/8, ::1, "
     "localhost; any other plain `http://` hub is refused at start); the token goes only "
     "to this URL's scheme, host and port; none = no sign-up delivery, no heartbeat"},
    {"kiosk.feed", T_URL, OFF(kiosk_feed), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "the feed URL; none = `{kiosk.hub}/kiosk/v1/feed?kiosk={kiosk.id}`, "
     "or the bundled sample feed when there is no hub either"},
    {"kiosk.token_file", T_PATH, OFF(kiosk_token_file), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "file holding the bearer token for the hub"},
    {"kiosk.locations", T_ID_LIST, OFF(kiosk_locations), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "where this kiosk stands: its activities and services are featured first, "
     "and announcements with `location_ids` are shown only when one is listed here"},
    {"kiosk.timezone", T_ZONE, OFF(kiosk_timezone), 0, 0, "Europe/Amsterdam", NULL, NULL, 0,
     "the kiosk's local time: opening hours, activity times, the clock"},
    {"kiosk.data_dir", T_PATH, OFF(kiosk_data_dir), 0, 0, NULL,
     "`/var/lib/buurtkiosk` as root, else `$XDG_DATA_HOME/buurtkiosk` "
     "(`~/.local/share/buurtkiosk`)",
     NULL, F_DATA_DIR_DEFAULT, "where the kiosk keeps its database, `kiosk.db`"},
    {"sync.interval_s", T_INT, OFF(sync_interval_s), 30, 86400, "300", NULL, NULL, 0,
     "feed pull interval, in seconds"},
    {"sync.heartbeat_s", T_INT, OFF(sync_heartbeat_s), 30, 86400, "300", NULL, NULL, 0,
     "heartbeat interval to the hub, in seconds"},
    {"sync.public_key", T_KEY, OFF(sync_public_key), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "when set, only feeds with a valid signature by this key apply"},
    {"sync.hub_seal_key", T_SEAL_KEY, OFF(sync_hub_seal_key), 0, 0, NULL, NULL, NULL,
     F_NONE_OK,
     "pins the key sign-ups are sealed to: they are sealed to this key from the start, a "
     "different `Buurtkiosk-Seal-Key` from the hub is refused and, while the hub names "
     "another, sign-ups wait in the outbox; none = the key the hub's feed answer gives"},
    {"sync.ca_file", T_CA_FILE, OFF(sync_ca_file), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "a PEM file of CA certificates that every https conversation (feed and its images, "
     "sign-ups, heartbeat) trusts *instead of* the system's: for a hub or feed behind a "
     "private CA (append the system's bundle to the file to trust both); certificates are "
     "always verified, host name included; must be readable by the kiosk's user; "
     "none = the system's CAs"},
    {"ui.languages", T_LANG_LIST, OFF(ui_languages), 0, 0, "nl,en", NULL, NULL, 0,
     "offered languages, first is the default"},
    {"ui.rotation", T_ENUM, OFF(ui_rotation), 0, 0, "0", NULL, rotations, 0,
     "panel rotation in degrees; with 90 or 270 the resident's frame is the "
     "panel's height by its width"},
    {"ui.idle_warn_s", T_INT, OFF(ui_idle_warn_s), 15, 3600, "90", NULL, NULL, 0,
     "idle time before the warning, in seconds"},
    {"ui.idle_countdown_s", T_INT, OFF(ui_idle_countdown_s), 20, 600, "30", NULL, NULL, 0,
     "the warning's countdown, in seconds"},
    {"ui.large_text", T_BOOL, OFF(ui_large_text), 0, 0, "false", NULL, NULL, 0,
     "start in large-text mode"},
    {"ui.high_contrast", T_BOOL, OFF(ui_high_contrast), 0, 0, "false", NULL, NULL, 0,
     "start in high-contrast mode"},
    {"privacy.consent_text", T_TEXT, OFF(privacy_consent_text), 0, 0, NULL,
     "the catalogs' text in the resident's language (`signup.consent.text`; in Dutch: "
     "\"Wij bewaren {fields} om u aan te melden en om u te bereiken bij wijzigingen, tot "
     "30 dagen na de activiteit. Deze kiosk wist uw gegevens zelf zodra ze veilig bij ons "
     "zijn aangekomen.\")",
     NULL, 0,
     "shown on the sign-up form, in Dutch, with `{fields}` replaced by what the form asks "
     "for; `\\n` is a line break"},
    {"privacy.unsent_retention_days", T_INT, OFF(privacy_unsent_retention_days), 1, 60, "14",
     NULL, NULL, 0, "personal data of unsent sign-ups is erased after this many days"},
    {"staff.language", T_LANG, OFF(staff_language), 0, 0, "nl", NULL, NULL, 0,
     "the language staff mode opens in, whatever the last resident chose"},
    {"staff.pin_hash", T_PIN_HASH, OFF(staff_pin_hash), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "the output of `buurtkiosk hash-pin` (libsodium `crypto_pwhash_str`, Argon2id) for a "
     "PIN of 6 to 12 digits (hash-pin refuses a shorter one, the PIN pad never tries it); "
     "5 wrong PINs in a row lock the pad for 5 minutes (automation-v1), each further one "
     "twice as long (at most an hour), counted in the kiosk's database across restarts; "
     "none = staff mode disabled"},
    {"display.schedule", T_SCHEDULE, OFF(display_schedule), 0, 0, "always", NULL, NULL, 0,
     "opening hours, e.g. `mo-fr 08:30-22:00, sa 10:00-17:00`; the screen is dark "
     "outside them; a day in no entry is closed all day"},
    {"display.off_command", T_COMMAND, OFF(display_off_command), 0, 0, NULL, NULL, NULL,
     F_NONE_OK,
     "run with `/bin/sh -c` when the screen goes dark (10 s timeout, never under `--headless`)"},
    {"display.on_command", T_COMMAND, OFF(display_on_command), 0, 0, NULL, NULL, NULL,
     F_NONE_OK,
     "run with `/bin/sh -c` when the screen wakes (10 s timeout, never under `--headless`)"},
    {"log.level", T_ENUM, OFF(log_level), 0, 0, "info", NULL, log_levels, 0,
     "the least severe messages written to the log"},
    {"branding.colour", T_COLOUR, OFF(branding_colour), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "the organisation's colour for headers, tiles and buttons; none = the kiosk's dark blue"},
    {"branding.logo", T_IMAGE, OFF(branding_logo), 0, 0, NULL, NULL, NULL, F_NONE_OK,
     "the organisation's logo, shown on a white plate on the attract screen and the home "
     "screen's header; must be readable by the kiosk's user (`/etc/buurtkiosk/logo.png`)"},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

enum storage { S_STR, S_LIST, S_INT, S_BOOL, S_SCHEDULE };

static enum storage storage_of(enum opt_type t)
{
    switch (t) {
    case T_ID_LIST:
    case T_LANG_LIST:
        return S_LIST;
    case T_INT:
    case T_ENUM:
        return S_INT;
    case T_BOOL:
        return S_BOOL;
    case T_SCHEDULE:
        return S_SCHEDULE;
    case T_ID:
    case T_LANG:
    case T_URL:
    case T_PATH:
    case T_ZONE:
    case T_KEY:
    case T_SEAL_KEY:
    case T_TEXT:
    case T_PIN_HASH:
    case T_COMMAND:
    case T_COLOUR:
    case T_IMAGE:
    case T_CA_FILE:
        break;
    }
    return S_STR;
}

/* A parsed value on its way into a field. */
union value {
    char *str;
    struct string_list list;
    int i;
    bool b;
    struct schedule sched;
};

enum parse_rc { PARSE_OK, PARSE_BAD, PARSE_NOMEM };

/* ---- small helpers ---------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Trims blanks at both ends of [*b, *e). */
static void trim_range(const char **b, const char **e)
{
    while (*b < *e && is_blank(**b))
        (*b)++;
    while (*e > *b && is_blank((*e)[-1]))
        (*e)--;
}

static bool has_ctl(const char *s, bool allow_tab)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && !(allow_tab && *p == '\t')) || *p == 0x7f)
            return true;
    return false;
}

static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp, min_cp;
        /* 0xc0, 0xc1 and 0xf5.. can only start overlong or out-of-range forms. */
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1, cp = c & 0x1f, min_cp = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2, cp = c & 0x0f, min_cp = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3, cp = c & 0x07, min_cp = 0x10000;
        } else {
            return false;
        }
        if (n - i - 1 < need)
            return false;
        for (size_t k = 1; k <= need; k++) {
            unsigned cc = s[i + k];
            if ((cc & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min_cp || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += need + 1;
    }
    return true;
}

/* Copies a value for quoting in a message: control bytes and bytes that
 * are not well-formed UTF-8 as \xNN (a message is one line, and a stray
 * byte would garble the terminal or the journal), cut after QUOTE_MAX
 * bytes of the value at a character boundary with "...". The loop steps
 * by decoded character, so that a run of bytes that never starts a
 * character (\x80...) cannot keep it from reaching the cut, and no byte
 * becomes more than 4. C1 controls (U+0080-U+009F) are escaped too: some
 * terminals act on them. */
#define QBUF (4 * (QUOTE_MAX + 4) + 4)
static const char *quote(char buf[QBUF], const char *v, size_t n)
{
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        if (i >= QUOTE_MAX) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        unsigned cp;
        size_t len = utf8_decode(v + i, n - i, &cp);
        bool bad = cp == UTF8_REPLACEMENT && len == 1;
        if (bad || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
            for (size_t k = 0; k < len; k++) {
                snprintf(buf + o, 5, "\\x%02x", (unsigned char)v[i + k]);
                o += 4;
            }
        } else {
            memcpy(buf + o, v + i, len);
            o += len;
        }
        i += len;
    }
    buf[o] = '\0';
    return buf;
}

static void fail(char *err, size_t errlen, const struct cfg_option *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "section.key: reason" to err. */
static void fail(char *err, size_t errlen, const struct cfg_option *o, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    int n = snprintf(err, errlen, "%s: ", o->name);
    if (n < 0 || (size_t)n >= errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

static bool is_id(const char *s, size_t n)
{
    if (n < 1 || n > ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_id_char(s[i]))
            return false;
    return true;
}

static bool is_lang(const char *s, size_t n)
{
    if (n < 2 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return false;
    return true;
}

/* A language may be offered only when the build compiled its catalog
 * (model/i18n.h): otherwise the kiosk could not show it, and a config the
 * checker accepted would leave the screen dark. */
static bool check_lang(const struct cfg_option *o, const char *s, size_t n, char *err,
                       size_t errlen)
{
    char q[QBUF];
    if (!is_lang(s, n)) {
        fail(err, errlen, o, "'%s' is not a language code (2 or 3 letters a-z)", quote(q, s, n));
        return false;
    }
    if (!catalog_language_known(s, n)) {
        const char *codes[I18N_MAX_LANGUAGES];
        size_t k = catalog_languages(codes, I18N_MAX_LANGUAGES);
        char have[I18N_MAX_LANGUAGES * 5] = "";
        for (size_t i = 0; i < k && i < I18N_MAX_LANGUAGES; i++)
            snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", i ? ", " : "",
                     codes[i]);
        fail(err, errlen, o, "'%s' has no catalog (there are: %s)", quote(q, s, n), have);
        return false;
    }
    return true;
}

static void free_list(struct string_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    l->n = 0;
}

/* ---- one parser per type ---------------------------------------------- */

static enum parse_rc dup_into(union value *v, const char *s)
{
    v->str = strdup(s);
    return v->str ? PARSE_OK : PARSE_NOMEM;
}

static enum parse_rc parse_lang(const struct cfg_option *o, const char *s, union value *v,
                                char *err, size_t errlen)
{
    if (!check_lang(o, s, strlen(s), err, errlen))
        return PARSE_BAD;
    return dup_into(v, s);
}

static enum parse_rc parse_id(const struct cfg_option *o, const char *s, union value *v,
                              char *err, size_t errlen)
{
    char q[QBUF];
    if (!is_id(s, strlen(s))) {
        fail(err, errlen, o, "must be 1 to %d characters of A-Z a-z 0-9 - _, not '%s'", ID_MAX,
             quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

static enum parse_rc parse_url(const struct cfg_option *o, const char *s, union value *v,
                               char *err, size_t errlen)
{
    static const char *const schemes[] = {"http://", "https://", "file://"};
    char q[QBUF];
    const char *rest = NULL;
    bool is_file = false;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncasecmp(s, schemes[i], n) == 0) {
            rest = s + n;
            is_file = i == 2;
            break;
        }
    }
    if (!rest) {
        fail(err, errlen, o, "must be a URL starting with http://, https:// or file://, not '%s'",
             quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f) {
            fail(err, errlen, o, "a URL cannot contain spaces or control characters: '%s'",
                 quote(q, s, strlen(s)));
            return PARSE_BAD;
        }
    }
    /* http(s) needs a host; file:// needs at least a path. */
    if (*rest == '\0' || (!is_file && *rest == '/')) {
        fail(err, errlen, o, "URL '%s' has no %s", quote(q, s, strlen(s)),
             is_file ? "path" : "host");
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

static enum parse_rc parse_path(const struct cfg_option *o, const char *s, union value *v,
                                char *err, size_t errlen)
{
    char q[QBUF];
    if (*s == '\0') {
        fail(err, errlen, o, "must not be empty");
        return PARSE_BAD;
    }
    if (has_ctl(s, false)) {
        fail(err, errlen, o, "a path cannot contain control characters: '%s'",
             quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    if (strlen(s) >= PATH_MAX) {
        fail(err, errlen, o, "path is longer than %d bytes", PATH_MAX - 1);
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

static enum parse_rc parse_list(const struct cfg_option *o, const char *s, union value *v,
                                char *err, size_t errlen)
{
    bool langs = o->type == T_LANG_LIST;
    char q[QBUF];
    struct string_list *l = &v->list;
    l->n = 0;
    if (*s == '\0') {
        fail(err, errlen, o, "must list at least one %s", langs ? "language code" : "id");
        return PARSE_BAD;
    }
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *b = p, *e = comma ? comma : p + strlen(p);
        trim_range(&b, &e);
        size_t n = (size_t)(e - b);
        if (n == 0) {
            fail(err, errlen, o, "empty item in list '%s'", quote(q, s, strlen(s)));
            goto bad;
        }
        if (langs && !check_lang(o, b, n, err, errlen))
            goto bad;
        if (!langs && !is_id(b, n)) {
            fail(err, errlen, o, "'%s' is not an id (1 to 128 characters of A-Z a-z 0-9 - _)",
                 quote(q, b, n));
            goto bad;
        }
        for (size_t i = 0; i < l->n; i++) {
            if (strlen(l->items[i]) == n && memcmp(l->items[i], b, n) == 0) {
                fail(err, errlen, o, "'%s' is listed twice", quote(q, b, n));
                goto bad;
            }
        }
        if (l->n == CONFIG_MAX_LIST) {
            fail(err, errlen, o, "lists at most %d items", CONFIG_MAX_LIST);
            goto bad;
        }
        if (!(l->items[l->n] = strndup(b, n))) {
            free_list(l);
            return PARSE_NOMEM;
        }
        l->n++;
        if (!comma)
            return PARSE_OK;
        p = comma + 1;
    }
bad:
    free_list(l);
    return PARSE_BAD;
}

static bool zone_name_shape_ok(const char *s)
{
    size_t n = strlen(s);
    /* Keeps the name inside ZONEINFO_DIR: relative, no "..", no empty
     * component. */
    if (n == 0 || n > 255 || s[0] == '/' || s[n - 1] == '/' || strstr(s, "..") ||
        strstr(s, "//"))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!is_id_char(c) && c != '/' && c != '+' && c != '.')
            return false;
    }
    return true;
}

/* A zone is a regular file in ZONEINFO_DIR that starts with the TZif
 * magic: that also refuses the directory's index files (zone.tab,
 * tzdata.zi, ...), which are regular files but not zones. */
static bool zone_file_ok(const char *name)
{
    char path[sizeof ZONEINFO_DIR + 1 + 256];
    snprintf(path, sizeof path, "%s/%s", ZONEINFO_DIR, name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[4];
    bool ok = fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "TZif", 4) == 0;
    fclose(f);
    return ok;
}

static enum parse_rc parse_zone(const struct cfg_option *o, const char *s, unsigned pflags,
                                union value *v, char *err, size_t errlen)
{
    char q[QBUF];
    if (!zone_name_shape_ok(s)) {
        fail(err, errlen, o, "must be a zone name like Europe/Amsterdam, not '%s'",
             quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    if (!(pflags & P_FROM_DEFAULT) && !zone_file_ok(s)) {
        fail(err, errlen, o, "'%s' is not a time zone in %s", quote(q, s, strlen(s)),
             ZONEINFO_DIR);
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

static enum parse_rc parse_int(const struct cfg_option *o, const char *s, union value *v,
                               char *err, size_t errlen)
{
    char q[QBUF];
    const char *digits = s + (*s == '+' || *s == '-');
    bool ok = *digits != '\0' && strspn(digits, "0123456789") == strlen(digits);
    long x = 0;
    if (ok) {
        errno = 0;
        x = strtol(s, NULL, 10);
        ok = errno == 0 && x >= o->min && x <= o->max;
    }
    if (!ok) {
        fail(err, errlen, o, "must be an integer from %d to %d, not '%s'", o->min, o->max,
             quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    v->i = (int)x;
    return PARSE_OK;
}

static enum parse_rc parse_enum(const struct cfg_option *o, const char *s, union value *v,
                                char *err, size_t errlen)
{
    size_t n = 0;
    for (; o->choices[n].name; n++) {
        if (strcasecmp(s, o->choices[n].name) == 0) {
            v->i = o->choices[n].value;
            return PARSE_OK;
        }
    }
    /* "must be A, B, C or D, not 'x'", listed from the table. */
    char list[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && len < sizeof list; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(list + len, sizeof list - len, "%s%s", sep, o->choices[i].name);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    char q[QBUF];
    fail(err, errlen, o, "must be %s, not '%s'", list, quote(q, s, strlen(s)));
    return PARSE_BAD;
}

static enum parse_rc parse_bool(const struct cfg_option *o, const char *s, union value *v,
                                char *err, size_t errlen)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            v->b = true;
            return PARSE_OK;
        }
        if (strcasecmp(s, no[i]) == 0) {
            v->b = false;
            return PARSE_OK;
        }
    }
    char q[QBUF];
    fail(err, errlen, o, "must be true/false, yes/no, on/off or 1/0, not '%s'",
         quote(q, s, strlen(s)));
    return PARSE_BAD;
}

static enum parse_rc parse_key(const struct cfg_option *o, const char *s, union value *v,
                               char *err, size_t errlen)
{
    unsigned char bin[crypto_sign_PUBLICKEYBYTES];
    size_t bin_len = 0;
    /* Without b64_end, trailing garbage fails; a longer key fails because
     * it does not fit in bin. */
    if (sodium_init() < 0 ||
        sodium_base642bin(bin, sizeof bin, s, strlen(s), NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        bin_len != sizeof bin) {
        char q[QBUF];
        fail(err, errlen, o, "must be a base64 Ed25519 public key (32 bytes), not '%s'",
             quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

/* The hub's seal key, read exactly as the kiosk reads the hub's header
 * (seal_key_parse), so that what `buurthub seal-key` prints is accepted
 * and compared key to key, not text to text. */
static enum parse_rc parse_seal_key(const struct cfg_option *o, const char *s, union value *v,
                                    char *err, size_t errlen)
{
    unsigned char key[SEAL_PUBLIC_KEY_BYTES];
    if (!seal_key_parse(s, key)) {
        char q[QBUF];
        fail(err, errlen, o, "must be the hub's seal key as `buurthub seal-key` prints it "
                             "(32 bytes, standard base64), not '%s'", quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

static enum parse_rc parse_text(const struct cfg_option *o, const char *s, union value *v,
                                char *err, size_t errlen)
{
    if (*s == '\0') {
        fail(err, errlen, o, "must not be empty");
        return PARSE_BAD;
    }
    if (has_ctl(s, true)) {
        fail(err, errlen, o, "contains a control character (write a line break as \\n)");
        return PARSE_BAD;
    }
    char *t = malloc(strlen(s) + 1);
    if (!t)
        return PARSE_NOMEM;
    size_t w = 0;
    for (const char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') {
            t[w++] = '\n';
            p++;
        } else {
            t[w++] = *p;
        }
    }
    t[w] = '\0';
    v->str = t;
    return PARSE_OK;
}

static enum parse_rc parse_pin_hash(const struct cfg_option *o, const char *s, union value *v,
                                    char *err, size_t errlen)
{
    /* needs_rehash returns -1 exactly when the string is not a valid
     * crypto_pwhash_str result (any Argon2 variant it knows); the limits
     * passed only decide between 0 and 1. The value is never quoted: the
     * likely mistake is writing the PIN itself here. */
    if (sodium_init() < 0 || has_ctl(s, false) ||
        crypto_pwhash_str_needs_rehash(s, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) == -1) {
        fail(err, errlen, o,
             "is not a hash from 'buurtkiosk hash-pin' (write its output here, never the PIN)");
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

static enum parse_rc parse_command(const struct cfg_option *o, const char *s, union value *v,
                                   char *err, size_t errlen)
{
    char q[QBUF];
    if (has_ctl(s, true)) {
        fail(err, errlen, o, "a command cannot contain control characters: '%s'",
             quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

static double colour_channel(int c)
{
    double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* The organisation's colour carries white text (headers, buttons): it must
 * be dark enough for WCAG's 4.5:1, or residents cannot read it. */
static enum parse_rc parse_colour(const struct cfg_option *o, const char *s, union value *v,
                                  char *err, size_t errlen)
{
    char q[QBUF];
    unsigned r, g, b;
    char end;
    if (strlen(s) != 7 || s[0] != '#' || strspn(s + 1, "0123456789abcdefABCDEF") != 6 ||
        sscanf(s + 1, "%2x%2x%2x%c", &r, &g, &b, &end) != 3) {
        fail(err, errlen, o, "must be a colour as #RRGGBB, not '%s'", quote(q, s, strlen(s)));
        return PARSE_BAD;
    }
    double lum = 0.2126 * colour_channel((int)r) + 0.7152 * colour_channel((int)g) +
                 0.0722 * colour_channel((int)b);
    double contrast = 1.05 / (lum + 0.05);
    if (contrast < 4.5) {
        fail(err, errlen, o, "'%s' is too light for white text (%.1f:1, needs 4.5:1)", s, contrast);
        return PARSE_BAD;
    }
    return dup_into(v, s);
}

/* The end of a check of the file named s (parse_image, parse_ca_file):
 * PARSE_OK when neither an errno nor a problem was met, else the error
 * naming the file and why, with the value cleared. */
static enum parse_rc file_checked(const struct cfg_option *o, const char *s, union value *v,
                                  char *err, size_t errlen, int saved_errno,
                                  const char *problem)
{
    char q[QBUF];
    if (!saved_errno && !problem)
        return PARSE_OK;
    if (saved_errno)
        fail(err, errlen, o, "cannot read '%s': %s", quote(q, s, strlen(s)),
             strerror(saved_errno));
    else
        fail(err, errlen, o, "'%s' %s", quote(q, s, strlen(s)), problem);
    free(v->str);
    v->str = NULL;
    return PARSE_BAD;
}

/* path opened for reading when it is a regular file of at most max bytes
 * (4 MiB for both callers); else NULL, with errno's reason in
 * *saved_errno or file_checked's wording in *problem. */
static FILE *open_small_file(const char *path, long max, struct stat *st, int *saved_errno,
                             const char **problem)
{
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), st) != 0)
        *saved_errno = errno;
    else if (!S_ISREG(st->st_mode))
        *problem = "is not a regular file";
    else if (st->st_size > max)
        *problem = "is larger than 4 MiB";
    else
        return f;
    if (f)
        fclose(f);
    return NULL;
}

/* The logo is checked here, with the file's line, so that a wrong name is
 * found by `config --check` and stops the start; only decoding is left to
 * the screen (ui/images.c), which shows no logo when that fails, since a
 * picture is never worth a blank kiosk. */
static enum parse_rc parse_image(const struct cfg_option *o, const char *s, union value *v,
                                 char *err, size_t errlen)
{
    enum parse_rc rc = parse_path(o, s, v, err, errlen);
    if (rc != PARSE_OK)
        return rc;
    struct stat st;
    unsigned char head[8] = {0};
    const char *problem = NULL;
    int saved_errno = 0;
    FILE *f = open_small_file(s, IMAGE_MAX_BYTES, &st, &saved_errno, &problem);
    if (f && (fread(head, 1, sizeof head, f) != sizeof head ||
              (memcmp(head, "\x89PNG\r\n\x1a\n", 8) != 0 && memcmp(head, "\xff\xd8\xff", 3) != 0)))
        problem = "is neither a PNG nor a JPEG file";
    if (f)
        fclose(f);
    return file_checked(o, s, v, err, errlen, saved_errno, problem);
}

/* Checked here and not only by libcurl at the first sync: a CA file that
 * is missing or unreadable would otherwise turn every sync into a TLS
 * error while the kiosk looks configured. libcurl reads the certificates
 * themselves; this only looks for one PEM certificate's opening line. */
static enum parse_rc parse_ca_file(const struct cfg_option *o, const char *s, union value *v,
                                   char *err, size_t errlen)
{
    enum parse_rc rc = parse_path(o, s, v, err, errlen);
    if (rc != PARSE_OK)
        return rc;
    struct stat st;
    char *text = NULL;
    const char *problem = NULL;
    int saved_errno = 0;
    FILE *f = open_small_file(s, CA_FILE_MAX_BYTES, &st, &saved_errno, &problem);
    if (!f) {
        /* open_small_file said why */
    } else if (!(text = malloc((size_t)st.st_size + 1))) {
        saved_errno = ENOMEM;
    } else {
        size_t n = fread(text, 1, (size_t)st.st_size, f);
        if (ferror(f))
            saved_errno = errno ? errno : EIO;
        text[n] = '\0';
        /* a NUL inside ends the search early: such a file is no PEM text */
        if (!saved_errno && !strstr(text, PEM_CERT_MARK))
            problem = "holds no PEM certificate (" PEM_CERT_MARK ")";
    }
    free(text);
    if (f)
        fclose(f);
    return file_checked(o, s, v, err, errlen, saved_errno, problem);
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The day code at s (n bytes), in any case: "Mo" and "MO" are Monday too. */
static int day_index(const char *s, size_t n)
{
    if (n != 2)
        return -1;
    char code[3] = {ascii_lower(s[0]), ascii_lower(s[1]), '\0'};
    return vocab_day_index(code);
}

/* "HH:MM" at *p, 00:00 to 24:00; advances *p. */
static bool parse_hhmm(const char **p, int *minutes)
{
    const char *s = *p;
    for (int i = 0; i < 5; i++) {
        if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
            return false;
    }
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return false;
    *minutes = h * 60 + m;
    *p = s + 5;
    return true;
}

static enum parse_rc parse_schedule(const struct cfg_option *o, const char *s, union value *v,
                                    char *err, size_t errlen)
{
    struct schedule *sc = &v->sched;
    char q[QBUF], q2[QBUF];
    memset(sc, 0, sizeof *sc);
    if (strcasecmp(s, "always") == 0) {
        sc->always = true;
        return PARSE_OK;
    }
    if (*s == '\0') {
        fail(err, errlen, o, "must be 'always' or entries like 'mo-fr 08:30-22:00'");
        return PARSE_BAD;
    }
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *b = p, *e = comma ? comma : p + strlen(p);
        trim_range(&b, &e);
        size_t n = (size_t)(e - b);
        if (n == 0) {
            fail(err, errlen, o, "empty entry in '%s'", quote(q, s, strlen(s)));
            return PARSE_BAD;
        }
        /* DAYS: up to the first blank. */
        const char *de = b;
        while (de < e && !is_blank(*de))
            de++;
        if (de == e) {
            fail(err, errlen, o, "'%s' has no time span, write e.g. 'mo-fr 08:30-22:00'",
                 quote(q, b, n));
            return PARSE_BAD;
        }
        const char *dash = memchr(b, '-', (size_t)(de - b));
        int d1 = day_index(b, (size_t)((dash ? dash : de) - b));
        int d2 = dash ? day_index(dash + 1, (size_t)(de - dash - 1)) : d1;
        if (d1 < 0 || d2 < 0) {
            fail(err, errlen, o,
                 "'%s' is not a day or day range (mo tu we th fr sa su, e.g. mo-fr)",
                 quote(q, b, (size_t)(de - b)));
            return PARSE_BAD;
        }
        if (d2 < d1) {
            fail(err, errlen, o,
                 "day range '%s' runs backwards; write it as two entries (e.g. 'fr-su' and 'mo')",
                 quote(q, b, (size_t)(de - b)));
            return PARSE_BAD;
        }
        /* HH:MM-HH:MM, blanks tolerated around the dash. */
        const char *t = de;
        while (t < e && is_blank(*t))
            t++;
        const char *ts = t;
        int start = 0, end = 0;
        bool ok = parse_hhmm(&t, &start);
        while (ok && t < e && is_blank(*t))
            t++;
        ok = ok && t < e && *t == '-';
        if (ok) {
            t++;
            while (t < e && is_blank(*t))
                t++;
        }
        ok = ok && parse_hhmm(&t, &end) && t == e;
        if (!ok) {
            fail(err, errlen, o, "'%s' is not a time span HH:MM-HH:MM from 00:00 to 24:00",
                 quote(q, ts, (size_t)(e - ts)));
            return PARSE_BAD;
        }
        if (start == 24 * 60) {
            fail(err, errlen, o, "'%s': a span cannot start at 24:00",
                 quote(q, ts, (size_t)(e - ts)));
            return PARSE_BAD;
        }
        if (end <= start) {
            fail(err, errlen, o,
                 "'%s' must end after it starts (spans end by 24:00, not past midnight)",
                 quote(q, ts, (size_t)(e - ts)));
            return PARSE_BAD;
        }
        for (int d = d1; d <= d2; d++) {
            if (sc->n_spans == CONFIG_MAX_SPANS) {
                fail(err, errlen, o, "more than %d spans after '%s' (a range like mo-fr counts "
                     "one per day) in '%s'", CONFIG_MAX_SPANS, quote(q, b, n),
                     quote(q2, s, strlen(s)));
                return PARSE_BAD;
            }
            sc->spans[sc->n_spans++] = (struct schedule_span){d, start, end};
        }
        if (!comma)
            return PARSE_OK;
        p = comma + 1;
    }
}

/* Parses s (already trimmed) as o's type into v, which the caller owns
 * on PARSE_OK. An empty s means none for F_NONE_OK keys. */
static enum parse_rc parse_value(const struct cfg_option *o, const char *s, unsigned pflags,
                                 union value *v, char *err, size_t errlen)
{
    memset(v, 0, sizeof *v);
    if (!utf8_valid((const unsigned char *)s, strlen(s))) {
        fail(err, errlen, o, "value is not valid UTF-8");
        return PARSE_BAD;
    }
    if (*s == '\0' && (o->flags & F_NONE_OK))
        return PARSE_OK;
    switch (o->type) {
    case T_ID:
        return parse_id(o, s, v, err, errlen);
    case T_LANG:
        return parse_lang(o, s, v, err, errlen);
    case T_URL:
        return parse_url(o, s, v, err, errlen);
    case T_PATH:
        return parse_path(o, s, v, err, errlen);
    case T_ID_LIST:
    case T_LANG_LIST:
        return parse_list(o, s, v, err, errlen);
    case T_ZONE:
        return parse_zone(o, s, pflags, v, err, errlen);
    case T_INT:
        return parse_int(o, s, v, err, errlen);
    case T_KEY:
        return parse_key(o, s, v, err, errlen);
    case T_SEAL_KEY:
        return parse_seal_key(o, s, v, err, errlen);
    case T_ENUM:
        return parse_enum(o, s, v, err, errlen);
    case T_BOOL:
        return parse_bool(o, s, v, err, errlen);
    case T_TEXT:
        return parse_text(o, s, v, err, errlen);
    case T_PIN_HASH:
        return parse_pin_hash(o, s, v, err, errlen);
    case T_SCHEDULE:
        return parse_schedule(o, s, v, err, errlen);
    case T_COMMAND:
        return parse_command(o, s, v, err, errlen);
    case T_COLOUR:
        return parse_colour(o, s, v, err, errlen);
    case T_IMAGE:
        return parse_image(o, s, v, err, errlen);
    case T_CA_FILE:
        return parse_ca_file(o, s, v, err, errlen);
    }
    fail(err, errlen, o, "has an unknown type");
    return PARSE_BAD;
}

/* ---- fields ------------------------------------------------------------- */

static void *field_of(struct config *cfg, const struct cfg_option *o)
{
    return (char *)cfg + o->offset;
}

static void free_field(struct config *cfg, const struct cfg_option *o)
{
    void *f = field_of(cfg, o);
    switch (storage_of(o->type)) {
    case S_STR: {
        char **sp = f;
        free(*sp);
        *sp = NULL;
        break;
    }
    case S_LIST:
        free_list(f);
        break;
    case S_INT:
    case S_BOOL:
    case S_SCHEDULE:
        break;
    }
}

/* Moves v into o's field, freeing what was there. */
static void store(struct config *cfg, const struct cfg_option *o, union value *v)
{
    void *f = field_of(cfg, o);
    free_field(cfg, o);
    switch (storage_of(o->type)) {
    case S_STR:
        *(char **)f = v->str;
        break;
    case S_LIST:
        *(struct string_list *)f = v->list;
        break;
    case S_INT:
        *(int *)f = v->i;
        break;
    case S_BOOL:
        *(bool *)f = v->b;
        break;
    case S_SCHEDULE:
        *(struct schedule *)f = v->sched;
        break;
    }
}

static enum parse_rc apply(struct config *cfg, const struct cfg_option *o, const char *s,
                           unsigned pflags, char *err, size_t errlen)
{
    union value v;
    enum parse_rc rc = parse_value(o, s, pflags, &v, err, errlen);
    char why[300];
    if (rc == PARSE_OK && o->type == T_URL && o->offset == OFF(kiosk_hub) && v.str &&
        cfg->hub_check && !cfg->hub_check(v.str, why, sizeof why)) {
        char q[QBUF];
        fail(err, errlen, o, "'%s' %s", quote(q, v.str, strlen(v.str)), why);
        free(v.str);
        return PARSE_BAD;
    }
    if (rc == PARSE_OK)
        store(cfg, o, &v);
    else if (rc == PARSE_NOMEM)
        fail(err, errlen, o, "out of memory");
    return rc;
}

static const struct cfg_option *find_option(const char *name, size_t n)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(options[i].name) == n && memcmp(options[i].name, name, n) == 0)
            return &options[i];
    return NULL;
}

/* The option "section.key", with section and key given apart. */
static const struct cfg_option *find_in_section(const char *section, const char *key, size_t klen)
{
    size_t slen = strlen(section);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *name = options[i].name;
        if (strncmp(name, section, slen) == 0 && name[slen] == '.' &&
            strlen(name + slen + 1) == klen && memcmp(name + slen + 1, key, klen) == 0)
            return &options[i];
    }
    return NULL;
}

static bool section_known(const char *s, size_t n)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strncmp(options[i].name, s, n) == 0 && options[i].name[n] == '.')
            return true;
    return false;
}

/* ---- public API --------------------------------------------------------- */

static char *path_join(const char *dir, const char *leaf)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 1 && dir[0] == '/')
        n = 0;
    char *s = malloc(n + strlen(leaf) + 1);
    if (s) {
        memcpy(s, dir, n);
        strcpy(s + n, leaf);
    }
    return s;
}

/* kiosk.data_dir's default, as config.h describes it. Only absolute
 * XDG_DATA_HOME and HOME count: the XDG spec says to ignore a relative
 * one, and a relative data dir would depend on the working directory. */
static char *default_data_dir(void)
{
    static const char system_dir[] = "/var/lib/buurtkiosk";
    if (geteuid() == 0)
        return strdup(system_dir);
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/')
        return path_join(xdg, "/buurtkiosk");
    const char *home = getenv("HOME");
    if (home && home[0] == '/')
        return path_join(home, "/.local/share/buurtkiosk");
    struct passwd pw, *found = NULL;
    char buf[4096];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) == 0 && found && pw.pw_dir &&
        pw.pw_dir[0] == '/')
        return path_join(pw.pw_dir, "/.local/share/buurtkiosk");
    /* No home at all (a bare service account): the system place; opening
     * the database there then fails with a clear message if not writable. */
    return strdup(system_dir);
}

struct config *config_new(void)
{
    struct config *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return NULL;
    char err[256];
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct cfg_option *o = &options[i];
        enum parse_rc rc = PARSE_OK;
        if (o->flags & F_DATA_DIR_DEFAULT) {
            char *dir = default_data_dir();
            if (!dir) {
                rc = PARSE_NOMEM;
            } else {
                rc = apply(cfg, o, dir, P_FROM_DEFAULT, err, sizeof err);
                /* A home with a control character in it: fall back rather
                 * than fail, config_new fails only for memory. */
                if (rc == PARSE_BAD)
                    rc = apply(cfg, o, "/var/lib/buurtkiosk", P_FROM_DEFAULT, err, sizeof err);
                free(dir);
            }
        } else if (o->def) {
            /* Every table default parses: test_config checks it. */
            rc = apply(cfg, o, o->def, P_FROM_DEFAULT, err, sizeof err);
        }
        if (rc != PARSE_OK) {
            config_free(cfg);
            return NULL;
        }
    }
    return cfg;
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < N_OPTIONS; i++)
        free_field(cfg, &options[i]);
    free(cfg);
}

static void diag_line(FILE *diag, const char *path, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void diag_line(FILE *diag, const char *path, unsigned long line, const char *fmt, ...)
{
    if (!diag)
        return;
    fprintf(diag, "%s:%lu: ", path, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(diag, fmt, ap);
    va_end(ap);
    fputc('\n', diag);
}

static bool is_name(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_id_char(s[i]) && s[i] != '.')
            return false;
    return true;
}

/* Reads the file line by line; see config-v1.md and config.h for the
 * syntax. It goes on after an error so that one run of `config --check`
 * names every problem. */
int config_load_file(struct config *cfg, const char *path, FILE *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_line(diag, path, 0, "cannot read: %s", strerror(errno));
        return 1;
    }
    int errors = config_load_stream(cfg, f, path, diag);
    fclose(f);
    return errors;
}

int config_load_stream(struct config *cfg, FILE *f, const char *path, FILE *diag)
{
    int errors = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned long lineno = 0;
    bool in_section = false;   /* a header has been seen */
    bool known = false;        /* ... and it names a known section */
    char section[64] = "";     /* every known section name fits */
    char err[512], q[QBUF];

    errno = 0;
    while ((got = getline(&line, &cap, f)) != -1) {
        lineno++;
        size_t n = (size_t)got;
        if (n > 0 && line[n - 1] == '\n')
            n--;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        line[n] = '\0';
        if (n > MAX_LINE) {
            diag_line(diag, path, lineno, "line is longer than %d bytes", MAX_LINE);
            errors++;
            continue;
        }
        if (memchr(line, '\0', n)) {
            diag_line(diag, path, lineno, "line contains a NUL byte");
            errors++;
            continue;
        }
        const char *b = line, *e = line + n;
        if (lineno == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
            b += 3;
        if (!utf8_valid((const unsigned char *)b, (size_t)(e - b))) {
            diag_line(diag, path, lineno, "invalid UTF-8");
            errors++;
            continue;
        }
        trim_range(&b, &e);
        if (b == e || *b == '#' || *b == ';')
            continue;

        if (*b == '[') {
            if (e[-1] != ']') {
                const char *close = memchr(b, ']', (size_t)(e - b));
                diag_line(diag, path, lineno, close ? "text after ']' in section header"
                                                    : "unterminated section header, no ']'");
                errors++;
                in_section = true, known = false; /* its keys would only add noise */
                continue;
            }
            const char *nb = b + 1, *ne = e - 1;
            trim_range(&nb, &ne);
            size_t sn = (size_t)(ne - nb);
            if (!is_name(nb, sn)) {
                diag_line(diag, path, lineno, "bad section name '%s'", quote(q, nb, sn));
                errors++;
                in_section = true, known = false;
                continue;
            }
            in_section = true;
            known = sn < sizeof section && section_known(nb, sn);
            if (known) {
                memcpy(section, nb, sn);
                section[sn] = '\0';
            } else {
                diag_line(diag, path, lineno, "warning: unknown section '%s'", quote(q, nb, sn));
            }
            continue;
        }

        const char *eq = memchr(b, '=', (size_t)(e - b));
        if (!eq) {
            diag_line(diag, path, lineno,
                      "expected 'key = value', a [section] or a comment, not '%s'",
                      quote(q, b, (size_t)(e - b)));
            errors++;
            continue;
        }
        const char *kb = b, *ke = eq;
        trim_range(&kb, &ke);
        size_t kn = (size_t)(ke - kb);
        if (!is_name(kb, kn)) {
            diag_line(diag, path, lineno, "bad key name '%s'", quote(q, kb, kn));
            errors++;
            continue;
        }
        if (!in_section) {
            diag_line(diag, path, lineno, "key '%s' before any [section]", quote(q, kb, kn));
            errors++;
            continue;
        }
        if (!known)
            continue; /* warned once at the header */
        const struct cfg_option *o = find_in_section(section, kb, kn);
        if (!o) {
            char full[sizeof section + 1 + QUOTE_MAX];
            snprintf(full, sizeof full, "%s.%.*s", section, (int)kn, kb);
            diag_line(diag, path, lineno, "warning: unknown key '%s'",
                      quote(q, full, strlen(full)));
            continue;
        }
        const char *vb = eq + 1, *ve = e;
        trim_range(&vb, &ve);
        /* The value ends the line, so it can be cut in place. */
        *(char *)ve = '\0';
        if (apply(cfg, o, vb, 0, err, sizeof err) != PARSE_OK) {
            diag_line(diag, path, lineno, "%s", err);
            errors++;
        }
    }
    if (ferror(f)) {
        diag_line(diag, path, lineno + 1, "cannot read: %s", strerror(errno ? errno : EIO));
        errors++;
    }
    free(line);
    return errors;
}

bool config_set_key(struct config *cfg, const char *key, const char *value, char *err,
                    size_t err_len)
{
    char q[QBUF];
    const char *kb = key, *ke = key + strlen(key);
    trim_range(&kb, &ke);
    const struct cfg_option *o = find_option(kb, (size_t)(ke - kb));
    if (!o) {
        if (err && err_len)
            snprintf(err, err_len, "unknown key '%s'", quote(q, kb, (size_t)(ke - kb)));
        return false;
    }
    const char *vb = value, *ve = value + strlen(value);
    trim_range(&vb, &ve);
    char *v = strndup(vb, (size_t)(ve - vb));
    if (!v) {
        fail(err, err_len, o, "out of memory");
        return false;
    }
    enum parse_rc rc = apply(cfg, o, v, 0, err, err_len);
    free(v);
    return rc == PARSE_OK;
}

bool config_set(struct config *cfg, const char *assignment, char *err, size_t err_len)
{
    const char *eq = strchr(assignment, '=');
    if (!eq) {
        char q[QBUF];
        if (err && err_len)
            snprintf(err, err_len, "expected SECTION.KEY=VALUE, not '%s'",
                     quote(q, assignment, strlen(assignment)));
        return false;
    }
    char *key = strndup(assignment, (size_t)(eq - assignment));
    if (!key) {
        if (err && err_len)
            snprintf(err, err_len, "out of memory");
        return false;
    }
    bool ok = config_set_key(cfg, key, eq + 1, err, err_len);
    free(key);
    return ok;
}

static const char *type_name(const struct cfg_option *o)
{
    switch (o->type) {
    case T_ID: return "id";
    case T_URL: return "URL";
    case T_PATH: return "path";
    case T_ID_LIST: return "list of ids";
    case T_ZONE: return "IANA zone";
    case T_INT: return "integer";
    case T_KEY: return "base64 Ed25519 key";
    case T_SEAL_KEY: return "base64 X25519 key";
    case T_LANG_LIST: return "list of language codes";
    case T_LANG: return "language code";
    case T_ENUM: return "one of";
    case T_BOOL: return "bool";
    case T_TEXT: return "text";
    case T_PIN_HASH: return "PIN hash";
    case T_SCHEDULE: return "schedule";
    case T_COMMAND: return "command line";
    case T_COLOUR: return "colour";
    case T_IMAGE: return "image file";
    case T_CA_FILE: return "PEM file";
    }
    return "?";
}

/* A Markdown table cell: a '|' would end the cell. */
static void md_cell(FILE *out, const char *s)
{
    fputs(" ", out);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else
            fputc(*s, out);
    }
    fputs(" |", out);
}

void config_write_reference(FILE *out)
{
    fputs("| key | type | range | default | meaning |\n", out);
    fputs("|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct cfg_option *o = &options[i];
        char range[256] = "", cell[1024];
        switch (o->type) {
        case T_INT:
            snprintf(range, sizeof range, "%d-%d", o->min, o->max);
            break;
        case T_ENUM: {
            size_t len = 0;
            for (size_t k = 0; o->choices[k].name && len < sizeof range; k++) {
                int w = snprintf(range + len, sizeof range - len, "%s`%s`", k ? ", " : "",
                                 o->choices[k].name);
                if (w < 0)
                    break;
                len += (size_t)w;
            }
            break;
        }
        case T_ID:
            snprintf(range, sizeof range, "1-%d of `A-Z a-z 0-9 - _`", ID_MAX);
            break;
        case T_ID_LIST:
            snprintf(range, sizeof range, "comma-separated, up to %d ids", CONFIG_MAX_LIST);
            break;
        case T_LANG_LIST:
            snprintf(range, sizeof range,
                     "comma-separated, 1-%d codes of 2-3 letters `a-z`, each with a catalog "
                     "(`assets/po/CODE.po`)",
                     CONFIG_MAX_LIST);
            break;
        case T_LANG:
            snprintf(range, sizeof range,
                     "2-3 letters `a-z`, with a catalog (`assets/po/CODE.po`)");
            break;
        case T_URL:
            snprintf(range, sizeof range, "`http://`, `https://` or `file://`");
            break;
        case T_ZONE:
            snprintf(range, sizeof range, "a zone in `%s`", ZONEINFO_DIR);
            break;
        case T_KEY:
            snprintf(range, sizeof range, "32 bytes, standard base64 with padding");
            break;
        case T_SEAL_KEY:
            snprintf(range, sizeof range, "what `buurthub seal-key` prints: 32 bytes, "
                                          "standard base64 with padding");
            break;
        case T_BOOL:
            snprintf(range, sizeof range, "`true/false`, `yes/no`, `on/off`, `1/0`");
            break;
        case T_SCHEDULE:
            snprintf(range, sizeof range,
                     "`always`, or `DAYS HH:MM-HH:MM, ...` with DAYS `mo`..`su` or a range "
                     "`mo-fr`; up to %d spans", CONFIG_MAX_SPANS);
            break;
        case T_PIN_HASH:
            snprintf(range, sizeof range, "output of `buurtkiosk hash-pin`");
            break;
        case T_TEXT:
            snprintf(range, sizeof range, "not empty");
            break;
        case T_COLOUR:
            snprintf(range, sizeof range, "`#RRGGBB` with at least 4.5:1 contrast to white text");
            break;
        case T_IMAGE:
            snprintf(range, sizeof range, "a PNG or JPEG file of at most %ld MiB, up to %d px a side",
                     IMAGE_MAX_BYTES / (1024 * 1024), CONFIG_IMAGE_MAX_SIDE);
            break;
        case T_CA_FILE:
            snprintf(range, sizeof range,
                     "a readable file of at most %ld MiB with PEM certificates",
                     CA_FILE_MAX_BYTES / (1024 * 1024));
            break;
        case T_PATH:
        case T_COMMAND:
            break;
        }
        if ((o->flags & F_NONE_OK) && o->type != T_PIN_HASH)
            snprintf(range + strlen(range), sizeof range - strlen(range), "%sempty = none",
                     range[0] ? "; " : "");
        fprintf(out, "| `%s` |", o->name);
        md_cell(out, type_name(o));
        md_cell(out, range);
        if (o->def_doc)
            snprintf(cell, sizeof cell, "%s", o->def_doc);
        else if (o->def)
            snprintf(cell, sizeof cell, "`%s`", o->def);
        else
            snprintf(cell, sizeof cell, "none");
        md_cell(out, cell);
        md_cell(out, o->help);
        fputc('\n', out);
    }
}

bool schedule_is_open(const struct schedule *s, int weekday, int minute_of_day)
{
    if (!s || s->always)
        return true;
    for (size_t i = 0; i < s->n_spans; i++) {
        const struct schedule_span *sp = &s->spans[i];
        if (sp->weekday == weekday && sp->start_min <= minute_of_day &&
            minute_of_day < sp->end_min)
            return true;
    }
    return false;
}
