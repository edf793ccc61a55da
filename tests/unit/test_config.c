/*
 * Tests of the configuration module (shared/spec/config-v1.md): every key
 * with good and bad values, through the INI reader and through --set; the
 * INI syntax; schedules; defaults; the generated reference; the shipped
 * example configs.
 *
 * Files are written under a mkdtemp() directory that the group teardown
 * removes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/config.h"
#include "base/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* A valid crypto_pwhash_str of a throwaway PIN, with the interactive
 * limits `buurtkiosk hash-pin` uses, and one with the minimum limits. */
#define PIN_HASH                                                                             \
    "$argon2id$v=19$m=65536,t=2,p=1$z1/TcrdCkKe+sti444SBvg$XM/hNubANmUr8Z+fS6mZ2Q6rwKj+nTm" \
    "eLjJPQ0CcAMw"
#define PIN_HASH_MIN \
    "$argon2id$v=19$m=8,t=1,p=1$13nMBgSEk0LJVMapVuu5Ow$Zr9CHxkPicuxTf7/2vjk8ExViSLnt/rNsZ0sZ9lF7mQ"
/* Base64 of a 32-byte Ed25519 public key, and of 31 and 33 bytes. */
#define KEY_32 "Zb/I4Mf+eBNG21g6HIFYjvKqzgCYvX9AOyNHolnmaG0="
#define KEY_31 "BSLgTQtGFGMWgMTqSt+nLFE6q9lmU43UW0147luvXA=="
#define KEY_33 "OAvHT1hGQPcw+25rwRsWRd4zyYRZMMfHu0fffwXrEHfj"

/* Every key the module must know: config-v1.md's and the project's. */
static const char *const all_keys[] = {
    "kiosk.id", "kiosk.hub", "kiosk.feed", "kiosk.token_file", "kiosk.locations",
    "kiosk.timezone", "kiosk.data_dir", "sync.interval_s", "sync.heartbeat_s",
    "sync.public_key", "sync.hub_seal_key", "sync.ca_file", "ui.languages", "ui.rotation", "ui.idle_warn_s", "ui.idle_countdown_s",
    "ui.large_text", "ui.high_contrast", "privacy.consent_text",
    "privacy.unsent_retention_days", "staff.language", "staff.pin_hash", "display.schedule",
    "display.off_command", "display.on_command", "log.level", "branding.colour",
    "branding.logo",
};
#define N_KEYS (sizeof all_keys / sizeof all_keys[0])

struct fixture {
    char dir[64];
    char path[128];
};

static int group_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(fx->dir, sizeof fx->dir, "%s/test_config.XXXXXX",
             tmp && tmp[0] == '/' && strlen(tmp) < 32 ? tmp : "/tmp");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->path, sizeof fx->path, "%s/kiosk.ini", fx->dir);
    *state = fx;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *fx = *state;
    unlink(fx->path);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static void write_file(const char *path, const char *content, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Loads path into a fresh config; returns the error count, the config in
 * *out and everything written to diag in *diag (both to be freed). */
static int load_path(const char *path, struct config **out, char **diag)
{
    size_t len = 0;
    FILE *d = open_memstream(diag, &len);
    assert_non_null(d);
    struct config *cfg = config_new();
    assert_non_null(cfg);
    int errors = config_load_file(cfg, path, d);
    assert_int_equal(fclose(d), 0);
    *out = cfg;
    return errors;
}

static int load_bytes(const struct fixture *fx, const char *content, size_t len,
                      struct config **out, char **diag)
{
    write_file(fx->path, content, len);
    return load_path(fx->path, out, diag);
}

static int load_text(const struct fixture *fx, const char *content, struct config **out,
                     char **diag)
{
    return load_bytes(fx, content, strlen(content), out, diag);
}

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool lists_eq(const struct string_list *a, const struct string_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!str_eq(a->items[i], b->items[i]))
            return false;
    return true;
}

static bool schedules_eq(const struct schedule *a, const struct schedule *b)
{
    if (a->always != b->always || a->n_spans != b->n_spans)
        return false;
    for (size_t i = 0; i < a->n_spans; i++)
        if (a->spans[i].weekday != b->spans[i].weekday ||
            a->spans[i].start_min != b->spans[i].start_min ||
            a->spans[i].end_min != b->spans[i].end_min)
            return false;
    return true;
}

static void assert_configs_equal(const struct config *a, const struct config *b)
{
    assert_true(str_eq(a->kiosk_id, b->kiosk_id));
    assert_true(str_eq(a->kiosk_hub, b->kiosk_hub));
    assert_true(str_eq(a->kiosk_feed, b->kiosk_feed));
    assert_true(str_eq(a->kiosk_token_file, b->kiosk_token_file));
    assert_true(lists_eq(&a->kiosk_locations, &b->kiosk_locations));
    assert_true(str_eq(a->kiosk_timezone, b->kiosk_timezone));
    assert_true(str_eq(a->kiosk_data_dir, b->kiosk_data_dir));
    assert_int_equal(a->sync_interval_s, b->sync_interval_s);
    assert_int_equal(a->sync_heartbeat_s, b->sync_heartbeat_s);
    assert_true(str_eq(a->sync_public_key, b->sync_public_key));
    assert_true(str_eq(a->sync_hub_seal_key, b->sync_hub_seal_key));
    assert_true(str_eq(a->sync_ca_file, b->sync_ca_file));
    assert_true(lists_eq(&a->ui_languages, &b->ui_languages));
    assert_int_equal(a->ui_rotation, b->ui_rotation);
    assert_int_equal(a->ui_idle_warn_s, b->ui_idle_warn_s);
    assert_int_equal(a->ui_idle_countdown_s, b->ui_idle_countdown_s);
    assert_int_equal(a->ui_large_text, b->ui_large_text);
    assert_int_equal(a->ui_high_contrast, b->ui_high_contrast);
    assert_true(str_eq(a->privacy_consent_text, b->privacy_consent_text));
    assert_int_equal(a->privacy_unsent_retention_days, b->privacy_unsent_retention_days);
    assert_true(str_eq(a->staff_language, b->staff_language));
    assert_true(str_eq(a->staff_pin_hash, b->staff_pin_hash));
    assert_true(schedules_eq(&a->display_schedule, &b->display_schedule));
    assert_true(str_eq(a->display_off_command, b->display_off_command));
    assert_true(str_eq(a->display_on_command, b->display_on_command));
    assert_int_equal(a->log_level, b->log_level);
}

/* ---- defaults ------------------------------------------------------------ */

static void test_defaults(void **state)
{
    (void)state;
    struct config *c = config_new();
    assert_non_null(c);
    assert_string_equal(c->kiosk_id, "demo");
    assert_null(c->kiosk_hub);
    assert_null(c->kiosk_feed);
    assert_null(c->kiosk_token_file);
    assert_int_equal(c->kiosk_locations.n, 0);
    assert_string_equal(c->kiosk_timezone, "Europe/Amsterdam");
    assert_non_null(c->kiosk_data_dir);
    assert_int_equal(c->kiosk_data_dir[0], '/');
    assert_int_equal(c->sync_interval_s, 300);
    assert_int_equal(c->sync_heartbeat_s, 300);
    assert_null(c->sync_public_key);
    assert_int_equal(c->ui_languages.n, 2);
    assert_string_equal(c->ui_languages.items[0], "nl");
    assert_string_equal(c->ui_languages.items[1], "en");
    assert_int_equal(c->ui_rotation, 0);
    assert_int_equal(c->ui_idle_warn_s, 90);
    assert_int_equal(c->ui_idle_countdown_s, 30);
    assert_false(c->ui_large_text);
    assert_false(c->ui_high_contrast);
    /* Unset: the sign-up form shows the catalogs' text in the resident's
     * language (test_ui checks what it says). */
    assert_null(c->privacy_consent_text);
    assert_int_equal(c->privacy_unsent_retention_days, 14);
    assert_string_equal(c->staff_language, "nl");
    assert_null(c->staff_pin_hash);
    assert_true(c->display_schedule.always);
    assert_true(schedule_is_open(&c->display_schedule, 6, 3 * 60));
    assert_null(c->display_off_command);
    assert_null(c->display_on_command);
    assert_int_equal(c->log_level, 2);
    config_free(c);
    config_free(NULL); /* accepted */
}

/* Checks the data_dir rules for a non-root user; returns what went wrong
 * or NULL. Runs in a child process when the tests run as root. */
static const char *data_dir_rules_as_user(void)
{
    static const struct {
        const char *xdg, *home, *want;
    } rows[] = {
        {"/x/data", "/home/a", "/x/data/buurtkiosk"},
        {"/x/data/", "/home/a", "/x/data/buurtkiosk"},
        {"relative/data", "/home/a", "/home/a/.local/share/buurtkiosk"},
        {"", "/home/a", "/home/a/.local/share/buurtkiosk"},
        {NULL, "/home/b", "/home/b/.local/share/buurtkiosk"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (rows[i].xdg)
            setenv("XDG_DATA_HOME", rows[i].xdg, 1);
        else
            unsetenv("XDG_DATA_HOME");
        setenv("HOME", rows[i].home, 1);
        struct config *c = config_new();
        if (!c)
            return "config_new failed";
        bool ok = strcmp(c->kiosk_data_dir, rows[i].want) == 0;
        config_free(c);
        if (!ok)
            return rows[i].want;
    }
    return NULL;
}

static void test_default_data_dir(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        char *xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
        char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
        const char *bad = data_dir_rules_as_user();
        if (xdg)
            setenv("XDG_DATA_HOME", xdg, 1);
        else
            unsetenv("XDG_DATA_HOME");
        if (home)
            setenv("HOME", home, 1);
        else
            unsetenv("HOME");
        free(xdg);
        free(home);
        if (bad)
            fail_msg("data_dir rule failed: want %s", bad);
        return;
    }
    /* Root: the system place, whatever the environment says. */
    setenv("XDG_DATA_HOME", "/x/data", 1);
    struct config *c = config_new();
    assert_non_null(c);
    assert_string_equal(c->kiosk_data_dir, "/var/lib/buurtkiosk");
    config_free(c);
    unsetenv("XDG_DATA_HOME");
    /* And the user rules in a child that gives up root. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(3);
        _exit(data_dir_rules_as_user() ? 1 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_empty_file_equals_defaults(void **state)
{
    const struct fixture *fx = *state;
    static const char *const files[] = {
        "",
        "\n\n   \n",
        "# only comments\n; and these\n   # indented\n\t; tabbed\n",
        "[kiosk]\n[sync]\n[ui]\n",
        "\xef\xbb\xbf# a BOM, then comments\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct config *c, *d = config_new();
        char *diag;
        assert_int_equal(load_text(fx, files[i], &c, &diag), 0);
        assert_string_equal(diag, "");
        assert_configs_equal(c, d);
        config_free(c);
        config_free(d);
        free(diag);
    }
}

/* ---- every key, good and bad ---------------------------------------------- */

static void check_locations(const struct config *c)
{
    assert_int_equal(c->kiosk_locations.n, 3);
    assert_string_equal(c->kiosk_locations.items[0], "loc-a");
    assert_string_equal(c->kiosk_locations.items[1], "loc_b");
    assert_string_equal(c->kiosk_locations.items[2], "LocC9");
}

static void check_no_locations(const struct config *c)
{
    assert_int_equal(c->kiosk_locations.n, 0);
}

static void check_hub_none(const struct config *c)
{
    assert_null(c->kiosk_hub);
}

static void check_hub(const struct config *c)
{
    assert_string_equal(c->kiosk_hub, "https://hub.example.org");
}

static void check_languages(const struct config *c)
{
    assert_int_equal(c->ui_languages.n, 4);
    assert_string_equal(c->ui_languages.items[0], "tr");
    assert_string_equal(c->ui_languages.items[1], "nl");
    assert_string_equal(c->ui_languages.items[2], "ar");
    assert_string_equal(c->ui_languages.items[3], "uk");
}

static void check_staff_language(const struct config *c)
{
    assert_string_equal(c->staff_language, "pl");
}

static void check_rotation_270(const struct config *c)
{
    assert_int_equal(c->ui_rotation, 270);
}

static void check_interval_30(const struct config *c)
{
    assert_int_equal(c->sync_interval_s, 30);
}

static void check_consent(const struct config *c)
{
    assert_string_equal(c->privacy_consent_text, "Wij bewaren # niets; echt");
}

static void check_logo(const struct config *c)
{
    assert_non_null(c->branding_logo);
    const char *tail = "/data/logo.png";
    size_t n = strlen(c->branding_logo);
    assert_true(n > strlen(tail));
    assert_string_equal(c->branding_logo + n - strlen(tail), tail);
}

static void check_log_warning(const struct config *c)
{
    assert_int_equal(c->log_level, 1);
}

static void check_large_text(const struct config *c)
{
    assert_true(c->ui_large_text);
}

static void check_command(const struct config *c)
{
    assert_string_equal(c->display_off_command, "echo 'a;b' # c");
}

static void check_seal_pin(const struct config *c)
{
    assert_string_equal(c->sync_hub_seal_key, KEY_32);
}

static void check_key(const struct config *c)
{
    assert_string_equal(c->sync_public_key, KEY_32);
}

static void check_pin(const struct config *c)
{
    assert_string_equal(c->staff_pin_hash, PIN_HASH);
}

static void check_no_ca_file(const struct config *c)
{
    assert_null(c->sync_ca_file);
}

struct key_row {
    const char *key;
    const char *value;
    bool ok;
    const char *err_has; /* for bad rows: a part of the reason */
    void (*check)(const struct config *);
};

static const struct key_row key_rows[] = {
    {"kiosk.id", "kiosk-nieuwe-sleutel-1", true, NULL, NULL},
    {"kiosk.id", "A_b-9", true, NULL, NULL},
    {"kiosk.id", "a b", false, "must be 1 to 128 characters of A-Z a-z 0-9 - _, not 'a b'", NULL},
    {"kiosk.id", "", false, "not ''", NULL},
    {"kiosk.id", "kiosk/1", false, "'kiosk/1'", NULL},
    {"kiosk.id", "caf\xc3\xa9", false, "'caf\xc3\xa9'", NULL},

    {"kiosk.hub", "https://hub.example.org", true, NULL, check_hub},
    {"kiosk.hub", "http://localhost:8080/base", true, NULL, NULL},
    {"kiosk.hub", "", true, NULL, check_hub_none},
    {"kiosk.hub", "hub.example.org", false,
     "must be a URL starting with http://, https:// or file://, not 'hub.example.org'", NULL},
    {"kiosk.hub", "ftp://hub.example.org", false, "'ftp://hub.example.org'", NULL},
    {"kiosk.hub", "https://hub example.org", false, "spaces or control characters", NULL},
    {"kiosk.hub", "https://", false, "has no host", NULL},
    {"kiosk.hub", "https:///kiosk", false, "has no host", NULL},

    {"kiosk.feed", "file:///usr/share/buurtkiosk/sample-feed.json", true, NULL, NULL},
    {"kiosk.feed", "https://hub.example.org/kiosk/v1/feed?kiosk=a#x;y", true, NULL, NULL},
    {"kiosk.feed", "file://", false, "has no path", NULL},
    {"kiosk.feed", "/tmp/feed.json", false, "not '/tmp/feed.json'", NULL},
    {"kiosk.feed", "https://hub.example.org/\x01", false, "control characters", NULL},

    {"kiosk.token_file", "/etc/buurtkiosk/token", true, NULL, NULL},
    {"kiosk.token_file", "token.txt", true, NULL, NULL},
    {"kiosk.token_file", "", true, NULL, NULL},
    {"kiosk.token_file", "/etc/tok\x01" "en", false, "'/etc/tok\\x01en'", NULL},

    {"kiosk.locations", "loc-a, loc_b ,LocC9", true, NULL, check_locations},
    {"kiosk.locations", "", true, NULL, check_no_locations},
    {"kiosk.locations", "loc a", false, "'loc a' is not an id", NULL},
    {"kiosk.locations", "a,,b", false, "empty item in list 'a,,b'", NULL},
    {"kiosk.locations", "a,", false, "empty item", NULL},
    {"kiosk.locations", "a, b, a", false, "'a' is listed twice", NULL},

    {"kiosk.timezone", "Europe/Amsterdam", true, NULL, NULL},
    {"kiosk.timezone", "UTC", true, NULL, NULL},
    {"kiosk.timezone", "America/Argentina/Buenos_Aires", true, NULL, NULL},
    {"kiosk.timezone", "Etc/GMT+1", true, NULL, NULL},
    {"kiosk.timezone", "Mars/Olympus_Mons", false,
     "'Mars/Olympus_Mons' is not a time zone in /usr/share/zoneinfo", NULL},
    {"kiosk.timezone", "../../etc/passwd", false, "must be a zone name like Europe/Amsterdam",
     NULL},
    {"kiosk.timezone", "/etc/localtime", false, "must be a zone name", NULL},
    {"kiosk.timezone", "Europe", false, "is not a time zone", NULL},
    {"kiosk.timezone", "zone.tab", false, "is not a time zone", NULL},
    {"kiosk.timezone", "", false, "must be a zone name", NULL},

    {"kiosk.data_dir", "/srv/buurtkiosk", true, NULL, NULL},
    {"kiosk.data_dir", "/srv/met spatie", true, NULL, NULL},
    {"kiosk.data_dir", "", false, "must not be empty", NULL},
    {"kiosk.data_dir", "/srv/a\x02" "b", false, "control characters", NULL},

    {"sync.interval_s", "30", true, NULL, check_interval_30},
    {"sync.interval_s", "86400", true, NULL, NULL},
    {"sync.interval_s", "+600", true, NULL, NULL},
    {"sync.interval_s", "10", false, "must be an integer from 30 to 86400, not '10'", NULL},
    {"sync.interval_s", "86401", false, "not '86401'", NULL},
    {"sync.interval_s", "5m", false, "not '5m'", NULL},
    {"sync.interval_s", "0x40", false, "not '0x40'", NULL},
    {"sync.interval_s", "-300", false, "not '-300'", NULL},
    {"sync.interval_s", "99999999999999999999", false, "from 30 to 86400", NULL},
    {"sync.interval_s", "", false, "not ''", NULL},

    {"sync.heartbeat_s", "3600", true, NULL, NULL},
    {"sync.heartbeat_s", "29", false, "must be an integer from 30 to 86400, not '29'", NULL},
    {"sync.heartbeat_s", "1 000", false, "not '1 000'", NULL},

    {"sync.public_key", KEY_32, true, NULL, check_key},
    /* What `buurthub seal-key` prints: 44 characters of standard base64. */
    {"sync.hub_seal_key", KEY_32, true, NULL, check_seal_pin},
    {"sync.hub_seal_key", "", true, NULL, NULL},
    {"sync.hub_seal_key", KEY_31, false,
     "must be the hub's seal key as `buurthub seal-key` prints it (32 bytes", NULL},
    {"sync.hub_seal_key", KEY_33, false, "(32 bytes, standard base64)", NULL},
    {"sync.hub_seal_key", "Zb/I4Mf+eBNG21g6HIFYjvKqzgCYvX9AOyNHolnmaG0", false, "(32 bytes",
     NULL},
    {"sync.hub_seal_key", "Zb_I4Mf-eBNG21g6HIFYjvKqzgCYvX9AOyNHolnmaG0=", false, "(32 bytes",
     NULL},
    {"sync.hub_seal_key",
     "65bfc8e0c7fe781346db583a1c81588ef2aace00"
     "98bd7f403b2347a259e6686d", false, "(32 bytes", NULL},
    {"sync.hub_seal_key", "not base64!", false, "not 'not base64!'", NULL},
    {"sync.public_key", "", true, NULL, NULL},
    {"sync.public_key", KEY_31, false, "must be a base64 Ed25519 public key (32 bytes)", NULL},
    {"sync.public_key", KEY_33, false, "(32 bytes)", NULL},
    {"sync.public_key", "Zb/I4Mf+eBNG21g6HIFYjvKqzgCYvX9AOyNHolnmaG0", false, "(32 bytes)",
     NULL},
    {"sync.public_key", "not base64!", false, "not 'not base64!'", NULL},

    {"ui.languages", "nl", true, NULL, NULL},
    {"ui.languages", " tr , nl,ar ,  uk ", true, NULL, check_languages},
    {"ui.languages", "nl,en,tr,ar,pl,uk", true, NULL, NULL},
    {"ui.languages", "en", true, NULL, NULL},
    /* Well-formed codes without a catalog: the kiosk could not show them. */
    {"ui.languages", "nl,pap", false, "'pap' has no catalog (there are: ar, en, nl, ", NULL},
    {"ui.languages", "xx", false, "'xx' has no catalog", NULL},
    {"ui.languages", "fr,nl", false, "'fr' has no catalog", NULL},
    {"ui.languages", "", false, "must list at least one language code", NULL},
    {"ui.languages", "NL", false, "'NL' is not a language code (2 or 3 letters a-z)", NULL},
    {"ui.languages", "nl-BE", false, "'nl-BE' is not a language code", NULL},
    {"ui.languages", "nl,,en", false, "empty item", NULL},
    {"ui.languages", "n", false, "'n' is not a language code", NULL},
    {"ui.languages", "nl,en,nl", false, "'nl' is listed twice", NULL},

    {"staff.language", "nl", true, NULL, NULL},
    {"staff.language", "pl", true, NULL, check_staff_language},
    {"staff.language", "ar", true, NULL, NULL},
    {"staff.language", "fr", false, "'fr' has no catalog", NULL},
    {"staff.language", "", false, "'' is not a language code", NULL},
    {"staff.language", "NL", false, "'NL' is not a language code (2 or 3 letters a-z)", NULL},
    {"staff.language", "nl,en", false, "'nl,en' is not a language code", NULL},

    {"ui.rotation", "0", true, NULL, NULL},
    {"ui.rotation", "270", true, NULL, check_rotation_270},
    {"ui.rotation", "45", false, "must be 0, 90, 180 or 270, not '45'", NULL},
    {"ui.rotation", "-90", false, "not '-90'", NULL},
    {"ui.rotation", "", false, "not ''", NULL},

    {"ui.idle_warn_s", "15", true, NULL, NULL},
    {"ui.idle_warn_s", "3600", true, NULL, NULL},
    {"ui.idle_warn_s", "14", false, "must be an integer from 15 to 3600, not '14'", NULL},
    {"ui.idle_warn_s", "3601", false, "not '3601'", NULL},

    {"ui.idle_countdown_s", "20", true, NULL, NULL},
    {"ui.idle_countdown_s", "600", true, NULL, NULL},
    {"ui.idle_countdown_s", "19", false, "must be an integer from 20 to 600, not '19'", NULL},
    {"ui.idle_countdown_s", "601", false, "not '601'", NULL},

    {"ui.large_text", "yes", true, NULL, check_large_text},
    {"ui.large_text", "maybe", false, "must be true/false, yes/no, on/off or 1/0, not 'maybe'",
     NULL},

    {"ui.high_contrast", "On", true, NULL, NULL},
    {"ui.high_contrast", "2", false, "not '2'", NULL},

    {"privacy.consent_text", "Wij bewaren # niets; echt", true, NULL, check_consent},
    {"privacy.consent_text", "", false, "must not be empty", NULL},
    {"privacy.consent_text", "bel\x07", false, "control character", NULL},

    {"privacy.unsent_retention_days", "1", true, NULL, NULL},
    {"privacy.unsent_retention_days", "60", true, NULL, NULL},
    {"privacy.unsent_retention_days", "0", false, "must be an integer from 1 to 60, not '0'",
     NULL},
    {"privacy.unsent_retention_days", "61", false, "not '61'", NULL},

    {"staff.pin_hash", PIN_HASH, true, NULL, check_pin},
    {"staff.pin_hash", PIN_HASH_MIN, true, NULL, NULL},
    {"staff.pin_hash", "", true, NULL, NULL},
    {"staff.pin_hash", "1234", false, "is not a hash from 'buurtkiosk hash-pin'", NULL},
    {"staff.pin_hash", "$argon2id$v=19$garbage", false, "hash-pin", NULL},
    {"staff.pin_hash", "$2b$10$abcdefghijklmnopqrstuuVb1ZbqWBd9w5LqNyh6fDvpxv36KfaT2", false,
     "hash-pin", NULL},

    {"display.schedule", "always", true, NULL, NULL},
    {"display.schedule", "mo-fr 08:30-22:00, sa 10:00-17:00", true, NULL, NULL},
    {"display.schedule", "fr-mo 08:00-12:00", false, "day range 'fr-mo' runs backwards", NULL},
    {"display.schedule", "mo 08:00", false, "'08:00' is not a time span HH:MM-HH:MM", NULL},

    {"display.off_command", "wlr-randr --output HDMI-A-1 --off", true, NULL, NULL},
    {"display.off_command", "echo 'a;b' # c", true, NULL, check_command},
    {"display.off_command", "", true, NULL, NULL},
    {"display.off_command", "printf '\x1b[2J'", false, "'printf '\\x1b[2J''", NULL},

    {"display.on_command", "vcgencmd display_power 1", true, NULL, NULL},
    {"display.on_command", "x\x7f", false, "control characters", NULL},
    {"branding.colour", "#14506e", true, NULL, NULL},
    {"branding.colour", "#ffcc00", false, "too light", NULL},
    {"branding.colour", "blue", false, "#RRGGBB", NULL},

    /* DATA/ stands for the test data directory ($BK_TEST_DATA). */
    {"branding.logo", "DATA/logo.png", true, NULL, check_logo},
    {"branding.logo", "", true, NULL, NULL},
    {"branding.logo", "DATA/no-such-logo.png", false,
     "no-such-logo.png': No such file or directory", NULL},
    {"branding.logo", "DATA", false, "data' is not a regular file", NULL},
    {"branding.logo", "DATA/../CMakeLists.txt", false, "is neither a PNG nor a JPEG file", NULL},
    {"branding.logo", "DATA/logo\x01.png", false, "control characters", NULL},

    /* The file's content is tried in test_ca_files; these are the names. */
    {"sync.ca_file", "", true, NULL, check_no_ca_file},
    {"sync.ca_file", "DATA/no-such-ca.pem", false,
     "no-such-ca.pem': No such file or directory", NULL},
    {"sync.ca_file", "DATA", false, "data' is not a regular file", NULL},
    {"sync.ca_file", "DATA/../CMakeLists.txt", false, "holds no PEM certificate", NULL},
    {"sync.ca_file", "DATA/ca\x01.pem", false, "control characters", NULL},

    {"log.level", "debug", true, NULL, NULL},
    {"log.level", "WARNING", true, NULL, check_log_warning},
    {"log.level", "error", true, NULL, NULL},
    {"log.level", "verbose", false, "must be error, warning, info or debug, not 'verbose'",
     NULL},
    {"log.level", "3", false, "not '3'", NULL},
};
#define N_KEY_ROWS (sizeof key_rows / sizeof key_rows[0])

/* Writes head into fx->dir/name, made size bytes long (a sparse tail),
 * and sets branding.logo to it: the verdict of config_set_key. */
static bool logo_file_ok(const struct fixture *fx, const char *name, const void *head,
                         size_t head_len, off_t size, char *err, size_t err_len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(head, 1, head_len, f), head_len);
    assert_int_equal(fflush(f), 0);
    assert_int_equal(ftruncate(fileno(f), size), 0);
    assert_int_equal(fclose(f), 0);
    struct config *c = config_new();
    assert_non_null(c);
    bool ok = config_set_key(c, "branding.logo", path, err, err_len);
    if (ok)
        assert_string_equal(c->branding_logo, path);
    config_free(c);
    unlink(path);
    return ok;
}

/* The logo's file: the size limit and the signatures, read from the
 * file itself whatever its name says. */
static void test_logo_files(void **state)
{
    const struct fixture *fx = *state;
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const unsigned char jpeg[3] = {0xff, 0xd8, 0xff};
    const off_t limit = 4L * 1024 * 1024;
    char err[512] = "";
    assert_true(logo_file_ok(fx, "a.png", png, sizeof png, limit, err, sizeof err));
    assert_false(logo_file_ok(fx, "b.png", png, sizeof png, limit + 1, err, sizeof err));
    assert_non_null(strstr(err, "is larger than 4 MiB"));
    assert_true(logo_file_ok(fx, "c.png", jpeg, sizeof jpeg, 4096, err, sizeof err));
    assert_false(logo_file_ok(fx, "d.png", png, 5, 5, err, sizeof err));
    assert_non_null(strstr(err, "neither a PNG nor a JPEG"));
    assert_false(logo_file_ok(fx, "e.jpg", "GIF89a", 6, 64, err, sizeof err));
    assert_non_null(strstr(err, "neither a PNG nor a JPEG"));
}

/* sync.ca_file's content: what a file must hold to be taken. The check
 * only looks for a PEM certificate's first line (libcurl reads the rest),
 * so the rows need no real certificate. */
struct ca_row {
    const char *name;
    const char *content;          /* NULL: a directory of that name */
    size_t len;                   /* 0: strlen(content) */
    off_t size;                   /* 0: len; more: a sparse tail */
    mode_t mode;
    bool ok;
    const char *err_has;
};

#define PEM_CERT "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

static const struct ca_row ca_rows[] = {
    {"one.pem", PEM_CERT, 0, 0, 0644, true, NULL},
    {"two.pem", "# the municipality's CA\n" PEM_CERT PEM_CERT, 0, 0, 0600, true, NULL},
    {"limit.pem", PEM_CERT, 0, 4L * 1024 * 1024, 0644, true, NULL},
    {"big.pem", PEM_CERT, 0, 4L * 1024 * 1024 + 1, 0644, false, "is larger than 4 MiB"},
    {"empty.pem", "", 0, 0, 0644, false, "holds no PEM certificate"},
    {"key.pem", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n", 0, 0, 0600,
     false, "holds no PEM certificate"},
    {"der.crt", "\x30\x82\x01\x0a\x00-----BEGIN CERTIFICATE-----", 32, 0, 0644, false,
     "holds no PEM certificate"},
    {"dir.pem", NULL, 0, 0, 0755, false, "is not a regular file"},
    {"locked.pem", PEM_CERT, 0, 0, 0000, false, "Permission denied"},
};
#define N_CA_ROWS (sizeof ca_rows / sizeof ca_rows[0])

static void test_ca_files(void **state)
{
    const struct fixture *fx = *state;
    for (size_t i = 0; i < N_CA_ROWS; i++) {
        const struct ca_row *r = &ca_rows[i];
        /* root reads a file whatever its mode */
        if (r->mode == 0000 && geteuid() == 0)
            continue;
        char path[256];
        snprintf(path, sizeof path, "%s/%s", fx->dir, r->name);
        if (r->content) {
            size_t len = r->len ? r->len : strlen(r->content);
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            assert_int_equal(fwrite(r->content, 1, len, f), len);
            assert_int_equal(fflush(f), 0);
            if (r->size)
                assert_int_equal(ftruncate(fileno(f), r->size), 0);
            assert_int_equal(fclose(f), 0);
            assert_int_equal(chmod(path, r->mode), 0);
        } else {
            assert_int_equal(mkdir(path, r->mode), 0);
        }
        struct config *c = config_new();
        assert_non_null(c);
        char err[512] = "";
        bool ok = config_set_key(c, "sync.ca_file", path, err, sizeof err);
        if (ok != r->ok || (!ok && !strstr(err, r->err_has)) ||
            (ok && !str_eq(c->sync_ca_file, path)))
            fail_msg("ca row %zu %s: gave %d: %s", i, r->name, ok, err);
        config_free(c);
        if (r->content)
            unlink(path);
        else
            rmdir(path);
    }
}

/* A row's value with a leading "DATA" replaced by $BK_TEST_DATA. */
static const char *row_value(const char *value, char *buf, size_t n)
{
    if (strncmp(value, "DATA", 4) != 0)
        return value;
    const char *data = getenv("BK_TEST_DATA");
    if (!data)
        fail_msg("BK_TEST_DATA is not set (run through ctest)");
    snprintf(buf, n, "%s%s", data, value + 4);
    return buf;
}

/* Each row through the INI reader, config_set and config_set_key: the same
 * verdict, and a bad value names PATH:LINE and the key. */
static void test_key_rows(void **state)
{
    const struct fixture *fx = *state;
    for (size_t i = 0; i < N_KEY_ROWS; i++) {
        struct key_row row = key_rows[i];
        char value[512];
        row.value = row_value(row.value, value, sizeof value);
        const struct key_row *r = &row;
        const char *dot = strchr(r->key, '.');
        char ini[1024];
        snprintf(ini, sizeof ini, "[%.*s]\n# row %zu\n%s = %s\n", (int)(dot - r->key), r->key, i,
                 dot + 1, r->value);
        struct config *c;
        char *diag;
        int errors = load_text(fx, ini, &c, &diag);
        if (r->ok) {
            if (errors != 0 || diag[0] != '\0')
                fail_msg("row %zu %s = '%s': unexpected: %s", i, r->key, r->value, diag);
            if (r->check)
                r->check(c);
        } else {
            char want[256];
            snprintf(want, sizeof want, "%s:3: %s: ", fx->path, r->key);
            if (errors != 1 || strncmp(diag, want, strlen(want)) != 0 ||
                !strstr(diag, r->err_has) || strchr(diag, '\n') != diag + strlen(diag) - 1)
                fail_msg("row %zu %s = '%s': got %d errors: %s", i, r->key, r->value, errors,
                         diag);
        }
        config_free(c);
        free(diag);

        /* --set and the dedicated options. */
        char err[512] = "", assignment[1024];
        snprintf(assignment, sizeof assignment, "%s=%s", r->key, r->value);
        for (int via = 0; via < 2; via++) {
            c = config_new();
            assert_non_null(c);
            bool ok = via ? config_set_key(c, r->key, r->value, err, sizeof err)
                          : config_set(c, assignment, err, sizeof err);
            if (ok != r->ok)
                fail_msg("row %zu via %s: %s=%s gave %d: %s", i, via ? "set_key" : "set", r->key,
                         r->value, ok, err);
            if (ok && r->check)
                r->check(c);
            if (!ok && (strncmp(err, r->key, strlen(r->key)) != 0 || !strstr(err, r->err_has)))
                fail_msg("row %zu: bad message: %s", i, err);
            config_free(c);
        }
    }
}

static bool rows_have(const char *key, bool ok)
{
    for (size_t i = 0; i < N_KEY_ROWS; i++)
        if (strcmp(key_rows[i].key, key) == 0 && key_rows[i].ok == ok)
            return true;
    return false;
}

/* The reference lists the module's keys: each must be one we know, and
 * have a good and a bad row above. */
static void test_rows_cover_every_key(void **state)
{
    (void)state;
    char *ref = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&ref, &len);
    assert_non_null(f);
    config_write_reference(f);
    assert_int_equal(fclose(f), 0);
    size_t seen = 0;
    for (const char *p = ref; (p = strstr(p, "\n| `")); p++) {
        const char *b = p + 4, *e = strchr(b, '`');
        assert_non_null(e);
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(e - b), b);
        bool known = false;
        for (size_t k = 0; k < N_KEYS; k++)
            known |= strcmp(all_keys[k], key) == 0;
        if (!known)
            fail_msg("key %s is not in this test's list", key);
        if (!rows_have(key, true) || !rows_have(key, false))
            fail_msg("key %s needs a good and a bad row", key);
        seen++;
    }
    assert_int_equal(seen, N_KEYS);
    free(ref);
}

static void test_reference(void **state)
{
    (void)state;
    char *ref = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&ref, &len);
    assert_non_null(f);
    config_write_reference(f);
    assert_int_equal(fclose(f), 0);
    assert_true(strncmp(ref, "| key | type | range | default | meaning |\n|---|", 48) == 0);
    for (size_t k = 0; k < N_KEYS; k++) {
        char cell[80];
        snprintf(cell, sizeof cell, "| `%s` |", all_keys[k]);
        if (!strstr(ref, cell))
            fail_msg("reference lacks %s", all_keys[k]);
    }
    assert_non_null(strstr(ref, "| 30-86400 |"));
    assert_non_null(strstr(ref, "`0`, `90`, `180`, `270`"));
    assert_non_null(strstr(ref, "$XDG_DATA_HOME"));
    /* Every line is a table row with 5 cells. */
    for (char *line = strtok(ref, "\n"); line; line = strtok(NULL, "\n")) {
        int bars = 0;
        for (const char *p = line; *p; p++)
            bars += *p == '|' && (p == line || p[-1] != '\\');
        assert_int_equal(bars, 6);
    }
    free(ref);
}

/* Each default shown in backticks in the reference parses back to the
 * same config value, so the reference cannot drift from the table. */
static void test_reference_defaults_parse(void **state)
{
    (void)state;
    char *ref = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&ref, &len);
    assert_non_null(f);
    config_write_reference(f);
    assert_int_equal(fclose(f), 0);
    struct config *base = config_new(), *c = config_new();
    assert_non_null(base);
    assert_non_null(c);
    int defaults = 0;
    for (char *line = strtok(ref, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "| `", 3) != 0)
            continue;
        char *key = line + 3, *ke = strchr(key, '`');
        *ke = '\0';
        /* Fourth cell: default; only a single `value` is one to parse
         * (kiosk.data_dir's default is words, "none" is no value). */
        char *cell = ke + 1; /* at the separator after the key */
        for (int i = 0; i < 2; i++)
            cell = strstr(cell + 1, " | ");
        assert_non_null(cell);
        cell += 3;
        char *end = strstr(cell, " | ");
        assert_non_null(end);
        *end = '\0';
        size_t n = strlen(cell);
        if (n < 2 || cell[0] != '`' || cell[n - 1] != '`' || memchr(cell + 1, '`', n - 2))
            continue;
        cell[n - 1] = '\0';
        char err[256];
        if (!config_set_key(c, key, cell + 1, err, sizeof err))
            fail_msg("default of %s does not parse: %s", key, err);
        defaults++;
    }
    assert_true(defaults >= 12);
    assert_configs_equal(base, c);
    config_free(base);
    config_free(c);
    free(ref);
}

/* ---- values ------------------------------------------------------------- */

static void test_bool_spellings(void **state)
{
    (void)state;
    static const struct {
        const char *v;
        int want; /* -1: rejected */
    } rows[] = {
        {"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0}, {"on", 1}, {"off", 0},
        {"1", 1}, {"0", 0}, {"TRUE", 1}, {"False", 0}, {"YeS", 1}, {"NO", 0},
        {"On", 1}, {"OFF", 0}, {" yes ", 1},
        {"", -1}, {"y", -1}, {"n", -1}, {"2", -1}, {"-1", -1}, {"enabled", -1},
        {"truee", -1}, {"t", -1}, {"01", -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int start = 0; start < 2; start++) {
            struct config *c = config_new();
            assert_non_null(c);
            c->ui_high_contrast = start;
            char err[256];
            bool ok = config_set_key(c, "ui.high_contrast", rows[i].v, err, sizeof err);
            if (ok != (rows[i].want >= 0))
                fail_msg("'%s': ok=%d", rows[i].v, ok);
            if (ok)
                assert_int_equal(c->ui_high_contrast, rows[i].want);
            else
                assert_int_equal(c->ui_high_contrast, start); /* untouched */
            config_free(c);
        }
    }
}

static void test_lists(void **state)
{
    (void)state;
    struct config *c = config_new();
    assert_non_null(c);
    char err[256];
    assert_true(config_set(c, "kiosk.locations =  a ,\tb,c  ", err, sizeof err));
    assert_int_equal(c->kiosk_locations.n, 3);
    assert_string_equal(c->kiosk_locations.items[0], "a");
    assert_string_equal(c->kiosk_locations.items[1], "b");
    assert_string_equal(c->kiosk_locations.items[2], "c");
    /* Replacing a list frees the old one (the sanitizer build checks). */
    assert_true(config_set(c, "kiosk.locations=d", err, sizeof err));
    assert_int_equal(c->kiosk_locations.n, 1);
    assert_string_equal(c->kiosk_locations.items[0], "d");

    /* CONFIG_MAX_LIST items fit, one more does not. */
    char big[CONFIG_MAX_LIST * 8 + 16] = "";
    for (int i = 0; i < CONFIG_MAX_LIST; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "%sl%d", i ? ", " : "", i);
    assert_true(config_set_key(c, "kiosk.locations", big, err, sizeof err));
    assert_int_equal(c->kiosk_locations.n, CONFIG_MAX_LIST);
    strcat(big, ", extra");
    assert_false(config_set_key(c, "kiosk.locations", big, err, sizeof err));
    assert_non_null(strstr(err, "at most 32"));
    assert_int_equal(c->kiosk_locations.n, CONFIG_MAX_LIST); /* untouched */

    /* Ids of 128 characters are fine, 129 are not. */
    char id[131];
    memset(id, 'x', 128);
    id[128] = '\0';
    assert_true(config_set_key(c, "kiosk.id", id, err, sizeof err));
    assert_true(config_set_key(c, "kiosk.locations", id, err, sizeof err));
    strcat(id, "y");
    assert_false(config_set_key(c, "kiosk.id", id, err, sizeof err));
    assert_false(config_set_key(c, "kiosk.locations", id, err, sizeof err));
    config_free(c);
}

static void test_text_newline(void **state)
{
    const struct fixture *fx = *state;
    struct config *c;
    char *diag;
    assert_int_equal(load_text(fx, "[privacy]\nconsent_text = Regel een.\\nRegel twee.\\n\\nEnd\n",
                               &c, &diag),
                     0);
    assert_string_equal(diag, "");
    assert_string_equal(c->privacy_consent_text, "Regel een.\nRegel twee.\n\nEnd");
    /* Only in text: a command keeps its backslash-n for the shell. */
    char err[256];
    assert_true(config_set(c, "display.on_command=printf 'on\\n'", err, sizeof err));
    assert_string_equal(c->display_on_command, "printf 'on\\n'");
    config_free(c);
    free(diag);
}

static void test_hash_in_value(void **state)
{
    const struct fixture *fx = *state;
    struct config *c;
    char *diag;
    assert_int_equal(load_text(fx,
                               "[display]\n"
                               "  # an indented comment\n"
                               "on_command = echo on # not a comment ; nor this\n"
                               "[kiosk]\n"
                               "feed = https://hub.example.org/feed#top\n",
                               &c, &diag),
                     0);
    assert_string_equal(diag, "");
    assert_string_equal(c->display_on_command, "echo on # not a comment ; nor this");
    assert_string_equal(c->kiosk_feed, "https://hub.example.org/feed#top");
    config_free(c);
    free(diag);
}

struct sched_probe {
    int weekday, minute;
    bool open;
};

struct sched_row {
    const char *value;
    bool ok;
    int n_spans; /* -1: always */
    const char *err_has;
    struct sched_probe probes[8];
    size_t n_probes;
};

static const struct sched_row sched_rows[] = {
    {"always", true, -1, NULL, {{0, 0, true}, {6, 1439, true}}, 2},
    {"ALWAYS", true, -1, NULL, {{3, 720, true}}, 1},
    {"mo-fr 08:30-22:00, sa 10:00-17:00", true, 6, NULL,
     {{0, 510, true}, {0, 509, false}, {4, 1319, true}, {4, 1320, false}, {5, 600, true},
      {5, 1020, false}, {6, 720, false}, {2, 0, false}},
     8},
    {"mo-fr 08:30-12:00, mo-fr 13:00-22:00, sa 10:00-17:00", true, 11, NULL,
     {{1, 719, true}, {1, 720, false}, {1, 780, true}, {6, 780, false}},
     4},
    {"su 00:00-24:00", true, 1, NULL, {{6, 0, true}, {6, 1439, true}, {0, 0, false}}, 3},
    {"mo 08:00-12:00, mo 10:00-14:00", true, 2, NULL,
     {{0, 600, true}, {0, 13 * 60, true}, {0, 14 * 60, false}},
     3},
    {"Mo-Fr 08:00-09:00", true, 5, NULL, {{4, 480, true}, {5, 480, false}}, 2},
    {"  we   08:00 - 09:00  ,th\t10:00-11:00", true, 2, NULL,
     {{2, 480, true}, {3, 600, true}, {3, 480, false}},
     3},
    {"mo-su 00:00-00:01", true, 7, NULL, {{6, 0, true}, {6, 1, false}}, 2},
    {"sa-sa 09:00-10:00", true, 1, NULL, {{5, 540, true}}, 1},

    {"fr-mo 08:00-12:00", false, 0, "day range 'fr-mo' runs backwards", {{0}}, 0},
    {"su-mo 08:00-12:00", false, 0, "runs backwards", {{0}}, 0},
    {"mo 24:00-24:00", false, 0, "cannot start at 24:00", {{0}}, 0},
    {"mo 12:00-08:00", false, 0, "'12:00-08:00' must end after it starts", {{0}}, 0},
    {"mo 08:00-08:00", false, 0, "must end after it starts", {{0}}, 0},
    {"mo 22:00-02:00", false, 0, "must end after it starts", {{0}}, 0},
    {"mo", false, 0, "'mo' has no time span", {{0}}, 0},
    {"mo-fr", false, 0, "'mo-fr' has no time span", {{0}}, 0},
    {"mo 08:00", false, 0, "is not a time span", {{0}}, 0},
    {"mo 08:00-", false, 0, "is not a time span", {{0}}, 0},
    {"xx 08:00-10:00", false, 0, "'xx' is not a day or day range", {{0}}, 0},
    {"monday 08:00-10:00", false, 0, "'monday' is not a day", {{0}}, 0},
    {"mo-fr-sa 08:00-10:00", false, 0, "is not a day", {{0}}, 0},
    {"mo- 08:00-10:00", false, 0, "is not a day", {{0}}, 0},
    {"mo 8:00-10:00", false, 0, "is not a time span", {{0}}, 0},
    {"mo 08:60-10:00", false, 0, "is not a time span", {{0}}, 0},
    {"mo 08:00-24:01", false, 0, "is not a time span", {{0}}, 0},
    {"mo 25:00-26:00", false, 0, "is not a time span", {{0}}, 0},
    {"mo 08:00-10:00 extra", false, 0, "is not a time span", {{0}}, 0},
    {"mo 08:00-12:00,", false, 0, "empty entry", {{0}}, 0},
    {", mo 08:00-12:00", false, 0, "empty entry", {{0}}, 0},
    {"", false, 0, "must be 'always' or entries like", {{0}}, 0},
    {"always, mo 08:00-10:00", false, 0, "'always' has no time span", {{0}}, 0},
    {"never", false, 0, "has no time span", {{0}}, 0},
};

static void test_schedules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sched_rows / sizeof sched_rows[0]; i++) {
        const struct sched_row *r = &sched_rows[i];
        struct config *c = config_new();
        assert_non_null(c);
        char err[512] = "";
        bool ok = config_set_key(c, "display.schedule", r->value, err, sizeof err);
        if (ok != r->ok)
            fail_msg("schedule '%s': ok=%d %s", r->value, ok, err);
        if (!ok) {
            if (strncmp(err, "display.schedule: ", 18) != 0 || !strstr(err, r->err_has))
                fail_msg("schedule '%s': message %s", r->value, err);
            assert_true(c->display_schedule.always); /* untouched */
        } else if (r->n_spans < 0) {
            assert_true(c->display_schedule.always);
        } else {
            assert_false(c->display_schedule.always);
            assert_int_equal(c->display_schedule.n_spans, r->n_spans);
        }
        for (size_t k = 0; k < r->n_probes; k++) {
            const struct sched_probe *p = &r->probes[k];
            if (schedule_is_open(&c->display_schedule, p->weekday, p->minute) != p->open)
                fail_msg("schedule '%s' at day %d minute %d: want %d", r->value, p->weekday,
                         p->minute, p->open);
        }
        config_free(c);
    }
}

static void test_schedule_span_limit(void **state)
{
    (void)state;
    /* 12 x mo-fr + 4 single days = 64 spans fit; one more entry does not. */
    char s[2048] = "";
    for (int i = 0; i < 12; i++)
        snprintf(s + strlen(s), sizeof s - strlen(s), "%smo-fr %02d:00-%02d:30", i ? ", " : "", i,
                 i);
    strcat(s, ", sa 20:00-21:00, sa 21:00-22:00, su 20:00-21:00, su 21:00-22:00");
    struct config *c = config_new();
    assert_non_null(c);
    char err[512];
    assert_true(config_set_key(c, "display.schedule", s, err, sizeof err));
    assert_int_equal(c->display_schedule.n_spans, CONFIG_MAX_SPANS);
    assert_true(schedule_is_open(&c->display_schedule, 4, 11 * 60 + 29));
    assert_false(schedule_is_open(&c->display_schedule, 4, 11 * 60 + 30));
    strcat(s, ", we 23:00-24:00");
    assert_false(config_set_key(c, "display.schedule", s, err, sizeof err));
    assert_non_null(strstr(err, "more than 64 spans"));
    assert_int_equal(c->display_schedule.n_spans, CONFIG_MAX_SPANS); /* untouched */
    config_free(c);
}

/* ---- INI syntax ----------------------------------------------------------- */

struct syntax_row {
    const char *content;
    size_t len;          /* 0: strlen */
    int errors;
    const char *diag_has[3]; /* each after "PATH:" */
};

static const struct syntax_row syntax_rows[] = {
    {"[kiosk]\nthis is garbage\n", 0, 1, {"2: expected 'key = value', a [section] or a comment"}},
    {"id = demo\n[kiosk]\n", 0, 1, {"1: key 'id' before any [section]"}},
    {"# header first\nid = demo\n", 0, 1, {"2: key 'id' before any [section]"}},
    {"[kiosk\nid = x\n", 0, 1, {"1: unterminated section header"}},
    {"[kiosk] # no comments here\n", 0, 1, {"1: text after ']'"}},
    {"[]\n", 0, 1, {"1: bad section name ''"}},
    {"[a b]\n", 0, 1, {"1: bad section name 'a b'"}},
    {"[kiosk]\n= demo\n", 0, 1, {"2: bad key name ''"}},
    {"[kiosk]\nmy id = demo\n", 0, 1, {"2: bad key name 'my id'"}},
    {"[kiosk]\nid = caf\xc3\n", 0, 1, {"2: invalid UTF-8"}},
    {"[kiosk]\n# caf\xff\n", 0, 1, {"2: invalid UTF-8"}},
    {"[kiosk]\nid = \xc0\xaf\n", 0, 1, {"2: invalid UTF-8"}},      /* overlong */
    {"[kiosk]\nid = \xed\xa0\x80\n", 0, 1, {"2: invalid UTF-8"}},  /* surrogate */
    {"[kiosk]\nid = \xf4\x90\x80\x80\n", 0, 1, {"2: invalid UTF-8"}}, /* > U+10FFFF */
    {"[kiosk]\nid = a\0b\n", sizeof "[kiosk]\nid = a\0b\n" - 1, 1, {"2: line contains a NUL byte"}},
    {"[kiosk]\nid = a b\nhub = ftp://x\n[ui]\nrotation = 1\n", 0, 3,
     {"2: kiosk.id:", "3: kiosk.hub:", "5: ui.rotation:"}},
    {"\xef\xbb\xbf[kiosk]\r\nid = bom-crlf\r\n", 0, 0, {NULL}},
    {"[ kiosk ]\n\tid\t=\tspaced \n\n  ; note\n", 0, 0, {NULL}},
    {"[kiosk]\nid = x\n[kiosk]\nid = y\n", 0, 0, {NULL}},
    {"[kiosk]\nid = no-final-newline", 0, 0, {NULL}},
    {"[kiosk]\r\n\r\nid = x\r\n\xef\xbb\xbf\r\n", 0, 1, {"4: expected 'key = value'"}},
};

static void test_syntax_rows(void **state)
{
    const struct fixture *fx = *state;
    for (size_t i = 0; i < sizeof syntax_rows / sizeof syntax_rows[0]; i++) {
        const struct syntax_row *r = &syntax_rows[i];
        struct config *c;
        char *diag;
        int errors = load_bytes(fx, r->content, r->len ? r->len : strlen(r->content), &c, &diag);
        if (errors != r->errors)
            fail_msg("syntax row %zu: %d errors: %s", i, errors, diag);
        if (r->errors == 0)
            assert_string_equal(diag, "");
        for (size_t k = 0; k < 3 && r->diag_has[k]; k++) {
            char want[256];
            snprintf(want, sizeof want, "%s:%s", fx->path, r->diag_has[k]);
            if (!strstr(diag, want))
                fail_msg("syntax row %zu: want '%s' in: %s", i, want, diag);
        }
        /* One line per error, each naming the file. */
        int lines = 0;
        for (const char *p = diag; (p = strstr(p, fx->path)); p++)
            lines++;
        assert_int_equal(lines, r->errors);
        config_free(c);
        free(diag);
    }
}

static void test_line_length(void **state)
{
    const struct fixture *fx = *state;
    /* A line of exactly 8192 bytes is fine; 8193 is an error, and the
     * lines after it still count. */
    for (int extra = 0; extra < 2; extra++) {
        size_t n = 8192 + (size_t)extra;
        char *s = malloc(n + 64);
        assert_non_null(s);
        strcpy(s, "[kiosk]\n#");
        size_t off = strlen(s);
        memset(s + off, 'x', n - 1);
        strcpy(s + off + n - 1, "\r\nid = x y\n");
        struct config *c;
        char *diag;
        int errors = load_text(fx, s, &c, &diag);
        assert_int_equal(errors, 1 + extra);
        if (extra)
            assert_non_null(strstr(diag, ":2: line is longer than 8192 bytes"));
        assert_non_null(strstr(diag, ":3: kiosk.id:"));
        config_free(c);
        free(diag);
        free(s);
    }
}

static void test_unknown_keys_warn(void **state)
{
    const struct fixture *fx = *state;
    struct config *c;
    char *diag;
    int errors = load_text(fx,
                           "[kiosk]\n"
                           "colour = blue\n"
                           "[future]\n"
                           "a = 1\n"
                           "b = this is ignored, even with = and bad values\n"
                           "[ui]\n"
                           "rotation = 90\n",
                           &c, &diag);
    assert_int_equal(errors, 0);
    char want[512];
    snprintf(want, sizeof want,
             "%s:2: warning: unknown key 'kiosk.colour'\n"
             "%s:3: warning: unknown section 'future'\n",
             fx->path, fx->path);
    assert_string_equal(diag, want);
    assert_int_equal(c->ui_rotation, 90);
    config_free(c);
    free(diag);
}

static void test_later_key_wins(void **state)
{
    const struct fixture *fx = *state;
    struct config *c;
    char *diag;
    assert_int_equal(load_text(fx,
                               "[ui]\nrotation = 90\nrotation = 180\n"
                               "[kiosk]\nhub = https://a.example.org\n"
                               "[ui]\nrotation = 270\n"
                               "[kiosk]\nhub = https://b.example.org\nhub = \n",
                               &c, &diag),
                     0);
    assert_string_equal(diag, "");
    assert_int_equal(c->ui_rotation, 270);
    assert_null(c->kiosk_hub); /* an empty value is none, and it came last */
    config_free(c);
    free(diag);
}

static void test_missing_file(void **state)
{
    const struct fixture *fx = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/does-not-exist.ini", fx->dir);
    struct config *c;
    char *diag;
    assert_int_equal(load_path(path, &c, &diag), 1);
    char want[200];
    snprintf(want, sizeof want, "%s:0: cannot read: ", path);
    assert_true(strncmp(diag, want, strlen(want)) == 0);
    config_free(c);
    free(diag);
    /* A directory is no config either. */
    assert_int_equal(load_path(fx->dir, &c, &diag), 1);
    assert_non_null(strstr(diag, "cannot read"));
    config_free(c);
    free(diag);
}

/* ---- config_set ------------------------------------------------------------ */

static void test_config_set(void **state)
{
    (void)state;
    struct config *c = config_new();
    assert_non_null(c);
    char err[512];
    assert_true(config_set(c, "ui.rotation=90", err, sizeof err));
    assert_int_equal(c->ui_rotation, 90);
    assert_true(config_set(c, " ui.rotation = 180 ", err, sizeof err));
    assert_int_equal(c->ui_rotation, 180);
    /* Split at the first '=': the value may hold more. */
    assert_true(config_set(c, "kiosk.feed=https://hub.example.org/feed?kiosk=a&x=y", err,
                           sizeof err));
    assert_string_equal(c->kiosk_feed, "https://hub.example.org/feed?kiosk=a&x=y");
    /* Replacing a string frees the old one; an empty value is none. */
    assert_true(config_set(c, "kiosk.hub=https://a.example.org", err, sizeof err));
    assert_true(config_set(c, "kiosk.hub=https://b.example.org", err, sizeof err));
    assert_string_equal(c->kiosk_hub, "https://b.example.org");
    assert_true(config_set_key(c, "kiosk.hub", "", err, sizeof err));
    assert_null(c->kiosk_hub);
    assert_true(config_set_key(c, " kiosk.id ", "  kiosk-2  ", err, sizeof err));
    assert_string_equal(c->kiosk_id, "kiosk-2");

    /* Exact messages. */
    assert_false(config_set(c, "ui.rotation=45", err, sizeof err));
    assert_string_equal(err, "ui.rotation: must be 0, 90, 180 or 270, not '45'");
    assert_int_equal(c->ui_rotation, 180); /* untouched */
    assert_false(config_set(c, "sync.interval_s=10", err, sizeof err));
    assert_string_equal(err, "sync.interval_s: must be an integer from 30 to 86400, not '10'");
    assert_false(config_set(c, "ui.rotation", err, sizeof err));
    assert_string_equal(err, "expected SECTION.KEY=VALUE, not 'ui.rotation'");
    assert_false(config_set(c, "ui.colour=blue", err, sizeof err));
    assert_string_equal(err, "unknown key 'ui.colour'");
    assert_false(config_set(c, "=5", err, sizeof err));
    assert_string_equal(err, "unknown key ''");
    assert_false(config_set(c, "rotation=90", err, sizeof err));
    assert_string_equal(err, "unknown key 'rotation'");
    assert_false(config_set_key(c, "kiosk.id", "caf\xc3", err, sizeof err));
    assert_string_equal(err, "kiosk.id: value is not valid UTF-8");
    /* A small buffer still gets a terminated message. */
    char tiny[8];
    assert_false(config_set(c, "ui.rotation=45", tiny, sizeof tiny));
    assert_int_equal(strlen(tiny), 7);
    assert_false(config_set(c, "ui.rotation=45", NULL, 0));
    config_free(c);
}

/* A PIN written where its hash belongs is never echoed; long or binary
 * values are cut and escaped so a message stays one short line. */
static void test_messages_are_safe(void **state)
{
    (void)state;
    struct config *c = config_new();
    assert_non_null(c);
    char err[1024];
    assert_false(config_set(c, "staff.pin_hash=482135", err, sizeof err));
    assert_null(strstr(err, "482135"));
    char longv[400];
    memset(longv, 'a', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    longv[3] = '\x1b';
    assert_false(config_set_key(c, "ui.rotation", longv, err, sizeof err));
    assert_non_null(strstr(err, "not 'aaa\\x1baaa"));
    assert_non_null(strstr(err, "...'"));
    assert_true(strlen(err) < 150);
    assert_null(strchr(err, '\x1b'));
    /* A cut never splits a UTF-8 character. */
    char utf[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(utf, "\xc3\xa9");
    assert_false(config_set_key(c, "kiosk.id", utf, err, sizeof err));
    char *q = strstr(err, "not '");
    assert_non_null(q);
    q += 5;
    size_t n = (size_t)(strstr(q, "...'") - q);
    assert_int_equal(n % 2, 0);
    config_free(c);
}

/* Text that is not UTF-8 quoted back in a message: a --set without '=',
 * an unknown key (values are refused as "not valid UTF-8" before any
 * quoting). Bytes that are no character are escaped as \xNN, the quote
 * stays short however long the text, and a cut never splits a character.
 * A long run of continuation bytes (\x80) once overflowed the quoting
 * buffer on the stack. Every row is refused. */
struct quote_row {
    const char *value; /* NULL: built by repeating fill */
    const char *fill;
    int repeat;
    const char *err_has;
};

static const struct quote_row quote_rows[] = {
    {NULL, "\x80", 500, "'\\x80\\x80\\x80"},
    {NULL, "\xff", 500, "'\\xff\\xff"},
    {NULL, "\xbf\x80", 300, "\\xbf\\x80\\xbf\\x80"},
    {NULL, "\xc3\xa9\x80", 200, "\xc3\xa9\\x80\xc3\xa9"},
    {NULL, "\xf0\x9f\x98\x80", 100, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80"},
    {NULL, "\xe2\x80\xae", 100, "\xe2\x80\xae"},
    {"\xc3", NULL, 0, "'\\xc3'"},
    {"caf\xc3\xa9", NULL, 0, "'caf\xc3\xa9'"},
    {"\xc0\xaf", NULL, 0, "'\\xc0\\xaf'"},
    {"\xed\xa0\x80", NULL, 0, "'\\xed\\xa0\\x80'"},
    {"\xf4\x90\x80\x80", NULL, 0, "'\\xf4\\x90\\x80\\x80'"},
    {"a\xc2\x85" "b", NULL, 0, "'a\\xc2\\x85b'"},
    {"a\x1b[2J", NULL, 0, "'a\\x1b[2J'"},
};

/* True when s is well-formed UTF-8 without C0 controls. */
static bool clean_utf8(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if ((cp == UTF8_REPLACEMENT && len == 1) || cp < 0x20)
            return false;
        i += len;
    }
    return true;
}

static void test_quote_rows(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof quote_rows / sizeof quote_rows[0]; r++) {
        const struct quote_row *row = &quote_rows[r];
        char text[2048] = "";
        if (row->value) {
            snprintf(text, sizeof text, "%s", row->value);
        } else {
            for (int k = 0; k < row->repeat; k++)
                strcat(text, row->fill);
        }
        char assignment[2100];
        snprintf(assignment, sizeof assignment, "%s=1", text);
        struct config *c = config_new();
        assert_non_null(c);
        for (int way = 0; way < 3; way++) {
            char err[1024] = "";
            bool ok = way == 0   ? config_set(c, text, err, sizeof err)
                      : way == 1 ? config_set(c, assignment, err, sizeof err)
                                 : config_set_key(c, text, "1", err, sizeof err);
            if (ok || !strstr(err, row->err_has) || strlen(err) > 400 || !clean_utf8(err))
                fail_msg("quote row %zu, way %d: %s", r, way, err);
        }
        config_free(c);
    }
}

/* ---- shipped configs -------------------------------------------------------- */

static const char *source_dir(void)
{
    const char *s = getenv("BK_SOURCE_DIR");
    if (s && *s)
        return s;
#ifdef BK_SOURCE_DIR
    return BK_SOURCE_DIR; /* the CMake build defines it */
#else
    return NULL;
#endif
}

static void test_example_ini(void **state)
{
    (void)state;
    const char *src = source_dir();
    if (!src)
        skip();
    char path[1024];
    snprintf(path, sizeof path, "%s/kiosk-config/example.ini", src);
    struct config *c;
    char *diag;
    int errors = load_path(path, &c, &diag);
    if (errors != 0 || diag[0] != '\0')
        fail_msg("%s: %d errors: %s", path, errors, diag);
    assert_string_equal(c->kiosk_id, "kiosk-nieuwe-sleutel-1");
    assert_string_equal(c->kiosk_hub, "https://hub.example.org");
    assert_string_equal(c->kiosk_timezone, "Europe/Amsterdam");
    assert_false(c->display_schedule.always);
    assert_true(schedule_is_open(&c->display_schedule, 0, 9 * 60));
    assert_true(schedule_is_open(&c->display_schedule, 5, 10 * 60));
    assert_false(schedule_is_open(&c->display_schedule, 5, 17 * 60));
    assert_false(schedule_is_open(&c->display_schedule, 6, 12 * 60));
    assert_true(c->kiosk_locations.n >= 1);
    config_free(c);
    free(diag);
}

static void test_minimal_ini(void **state)
{
    (void)state;
    const char *src = source_dir();
    if (!src)
        skip();
    char path[1024];
    snprintf(path, sizeof path, "%s/kiosk-config/minimal.ini", src);
    struct config *c, *d = config_new();
    char *diag;
    assert_int_equal(load_path(path, &c, &diag), 0);
    assert_string_equal(diag, "");
    assert_configs_equal(c, d);
    config_free(c);
    config_free(d);
    free(diag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_default_data_dir),
        cmocka_unit_test(test_empty_file_equals_defaults),
        cmocka_unit_test(test_key_rows),
        cmocka_unit_test(test_rows_cover_every_key),
        cmocka_unit_test(test_logo_files),
        cmocka_unit_test(test_ca_files),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_reference_defaults_parse),
        cmocka_unit_test(test_bool_spellings),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_text_newline),
        cmocka_unit_test(test_hash_in_value),
        cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_schedule_span_limit),
        cmocka_unit_test(test_syntax_rows),
        cmocka_unit_test(test_line_length),
        cmocka_unit_test(test_unknown_keys_warn),
        cmocka_unit_test(test_later_key_wins),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_config_set),
        cmocka_unit_test(test_messages_are_safe),
        cmocka_unit_test(test_quote_rows),
        cmocka_unit_test(test_example_ini),
        cmocka_unit_test(test_minimal_ini),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
