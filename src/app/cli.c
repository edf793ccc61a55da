#include "app/cli.h"

#include <ctype.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "model/seal.h"
#include "sdl/images.h"
#include "net/origin.h"

#define TAG "cli"

void cli_print_help(FILE *out)
{
    fputs("usage:\n"
          "  buurtkiosk [run] [COMMON] [--size WxH] [--windowed] [--headless]\n"
          "             [--now RFC3339] [--script FILE] [--lang CODE] [--speech-log FILE]\n"
          "  buurtkiosk sync   [COMMON]      one pull of the feed (and sign-ups, heartbeat)\n"
          "  buurtkiosk status [COMMON]      the database's state as JSON\n"
          "  buurtkiosk validate-feed FILE   what a feed would apply and skip\n"
          "  buurtkiosk config --check FILE  check a config file\n"
          "  buurtkiosk config --reference   print every config key as Markdown\n"
          "  buurtkiosk hash-pin             read a PIN on stdin, print staff.pin_hash\n"
          "  buurtkiosk --version | --help\n"
          "\n"
          "COMMON: [--config FILE] [--db FILE] [--feed URL] [--hub URL]\n"
          "        [--kiosk-id ID] [--token-file FILE] [--set SECTION.KEY=VALUE ...]\n"
          "\n"
          "With no arguments the kiosk runs full screen on the bundled sample feed.\n",
          out);
}

static bool parse_size(const char *text, int *w, int *h)
{
    char *end;
    long width = strtol(text, &end, 10);
    if (*end != 'x' && *end != 'X')
        return false;
    long height = strtol(end + 1, &end, 10);
    if (*end || width < 320 || height < 240 || width > 7680 || height > 7680)
        return false;
    *w = (int)width;
    *h = (int)height;
    return true;
}

bool cli_parse(int argc, char **argv, struct cli *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->command = CMD_RUN;
    int i = 1;
    static const struct {
        const char *word;
        enum command command;
    } commands[] = {
        {"run", CMD_RUN},           {"sync", CMD_SYNC},     {"status", CMD_STATUS},
        {"validate-feed", CMD_VALIDATE_FEED}, {"config", CMD_CONFIG_CHECK},
        {"hash-pin", CMD_HASH_PIN},
    };
    if (i < argc && argv[i][0] != '-') {
        bool known = false;
        for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
            if (strcmp(argv[i], commands[k].word) == 0) {
                out->command = commands[k].command;
                known = true;
            }
        if (!known) {
            snprintf(err, err_len, "unknown command '%s'", argv[i]);
            return false;
        }
        i++;
    }
    bool check_seen = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            out->command = CMD_HELP;
            return true;
        } else if (strcmp(a, "--version") == 0) {
            out->command = CMD_VERSION;
            return true;
        } else if (strcmp(a, "--windowed") == 0) {
            out->windowed = true;
            continue;
        } else if (strcmp(a, "--headless") == 0) {
            out->headless = true;
            continue;
        } else if (strcmp(a, "--check") == 0 && out->command == CMD_CONFIG_CHECK) {
            check_seen = true;
            continue;
        } else if (strcmp(a, "--reference") == 0 && out->command == CMD_CONFIG_CHECK) {
            out->command = CMD_CONFIG_REFERENCE;
            return true;
        } else if (a[0] != '-') {
            if ((out->command == CMD_VALIDATE_FEED || out->command == CMD_CONFIG_CHECK) &&
                !out->file_arg) {
                out->file_arg = a;
                continue;
            }
            snprintf(err, err_len, "unexpected argument '%s'", a);
            return false;
        }

        if (strcmp(a, "--config") == 0) slot = &out->config_path;
        else if (strcmp(a, "--db") == 0) slot = &out->db_path;
        else if (strcmp(a, "--feed") == 0) slot = &out->feed_url;
        else if (strcmp(a, "--hub") == 0) slot = &out->hub_url;
        else if (strcmp(a, "--kiosk-id") == 0) slot = &out->kiosk_id;
        else if (strcmp(a, "--token-file") == 0) slot = &out->token_file;
        else if (strcmp(a, "--script") == 0) slot = &out->script;
        else if (strcmp(a, "--lang") == 0) slot = &out->lang;
        else if (strcmp(a, "--speech-log") == 0) slot = &out->speech_log;
        else if (strcmp(a, "--set") == 0 || strcmp(a, "--size") == 0 || strcmp(a, "--now") == 0)
            ;
        else {
            snprintf(err, err_len, "unknown option '%s'", a);
            return false;
        }
        if (!value) {
            snprintf(err, err_len, "%s needs a value", a);
            return false;
        }
        i++;
        if (slot) {
            *slot = value;
        } else if (strcmp(a, "--set") == 0) {
            if (out->n_sets == CLI_MAX_SETS) {
                snprintf(err, err_len, "too many --set options");
                return false;
            }
            out->sets[out->n_sets++] = value;
        } else if (strcmp(a, "--size") == 0) {
            if (!parse_size(value, &out->width, &out->height)) {
                snprintf(err, err_len, "--size wants WIDTHxHEIGHT (320x240 to 7680x7680), not '%s'",
                         value);
                return false;
            }
        } else if (!rfc3339_parse(value, &out->now)) {
            snprintf(err, err_len, "--now wants an RFC 3339 timestamp with an offset, not '%s'",
                     value);
            return false;
        } else {
            out->has_now = true;
        }
    }
    if (out->command == CMD_CONFIG_CHECK && (!check_seen || !out->file_arg)) {
        snprintf(err, err_len, "usage: buurtkiosk config --check FILE");
        return false;
    }
    if (out->command == CMD_VALIDATE_FEED && !out->file_arg) {
        snprintf(err, err_len, "usage: buurtkiosk validate-feed FILE");
        return false;
    }
    return true;
}

struct config *cli_load_config(const struct cli *cli, FILE *diag)
{
    struct config *cfg = config_new();
    if (!cfg) {
        fprintf(diag, "buurtkiosk: out of memory\n");
        return NULL;
    }
    cfg->hub_check = origin_hub_allowed;
    int errors = 0;
    const char *path = cli->config_path;
    if (!path && access(CLI_DEFAULT_CONFIG, F_OK) == 0)
        path = CLI_DEFAULT_CONFIG;
    if (path)
        errors += config_load_file(cfg, path, diag);

    char err[512];
    for (size_t i = 0; i < cli->n_sets; i++) {
        if (!config_set(cfg, cli->sets[i], err, sizeof err)) {
            fprintf(diag, "--set %s: %s\n", cli->sets[i], err);
            errors++;
        }
    }
    const struct {
        const char *key;
        const char *value;
        const char *option;
    } direct[] = {
        {"kiosk.feed", cli->feed_url, "--feed"},
        {"kiosk.hub", cli->hub_url, "--hub"},
        {"kiosk.id", cli->kiosk_id, "--kiosk-id"},
        {"kiosk.token_file", cli->token_file, "--token-file"},
    };
    for (size_t i = 0; i < sizeof direct / sizeof *direct; i++) {
        if (direct[i].value && !config_set_key(cfg, direct[i].key, direct[i].value, err, sizeof err)) {
            fprintf(diag, "%s %s: %s\n", direct[i].option, direct[i].value, err);
            errors++;
        }
    }
    if (errors) {
        config_free(cfg);
        return NULL;
    }
    return cfg;
}

void cli_db_path(const struct cli *cli, const struct config *cfg, char *out, size_t out_len)
{
    if (cli->db_path)
        snprintf(out, out_len, "%s", cli->db_path);
    else
        snprintf(out, out_len, "%s/kiosk.db", cfg->kiosk_data_dir);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_asset_dir(void)
{
    const char *env = getenv("BUURTKIOSK_ASSETS");
    if (is_dir(env))
        return env;
#ifdef BK_ASSET_DIR
    if (is_dir(BK_ASSET_DIR))
        return BK_ASSET_DIR;
#endif
    return "/usr/share/buurtkiosk";
}

void cli_catalog_dir(char *out, size_t out_len)
{
    const char *env = getenv("BUURTKIOSK_CATALOGS");
    if (is_dir(env)) {
        snprintf(out, out_len, "%s", env);
        return;
    }
    snprintf(out, out_len, "%s/i18n", cli_asset_dir());
#ifdef BK_CATALOG_DIR
    /* A source tree's assets/ holds the .po sources only: the kiosk run
     * from its build tree reads what that build compiled. */
    if (!is_dir(out) && is_dir(BK_CATALOG_DIR))
        snprintf(out, out_len, "%s", BK_CATALOG_DIR);
#endif
}

/* The first line of the token file, trimmed. A token is a secret: it is
 * never logged, and a missing file only means "no token". */
static void read_token(const char *path, char *out, size_t out_len)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) {
        log_warn(TAG, "cannot read kiosk.token_file %s; going on without a token", path);
        return;
    }
    if (fgets(out, (int)out_len, f)) {
        size_t n = strlen(out);
        while (n && isspace((unsigned char)out[n - 1]))
            out[--n] = '\0';
    }
    fclose(f);
}

bool cli_sync_settings(const struct config *cfg, struct sync_settings *out, char *err,
                       size_t err_len)
{
    memset(out, 0, sizeof *out);
    int n;
    if (cfg->kiosk_feed)
        n = snprintf(out->feed_url, sizeof out->feed_url, "%s", cfg->kiosk_feed);
    else if (cfg->kiosk_hub) {
        size_t len = strlen(cfg->kiosk_hub);
        bool slash = len && cfg->kiosk_hub[len - 1] == '/';
        n = snprintf(out->feed_url, sizeof out->feed_url, "%.*s/kiosk/v1/feed?kiosk=%s",
                     (int)(slash ? len - 1 : len), cfg->kiosk_hub, cfg->kiosk_id);
    } else {
        char real[PATH_MAX];
        char sample[PATH_MAX];
        snprintf(sample, sizeof sample, "%s/sample-feed.json", cli_asset_dir());
        n = snprintf(out->feed_url, sizeof out->feed_url, "file://%s",
                     realpath(sample, real) ? real : sample);
    }
    if (n < 0 || (size_t)n >= sizeof out->feed_url) {
        snprintf(err, err_len, "the feed URL is too long");
        return false;
    }
    if (cfg->kiosk_hub)
        snprintf(out->hub_url, sizeof out->hub_url, "%s", cfg->kiosk_hub);
    snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", cfg->kiosk_id);
    if (cfg->kiosk_token_file)
        read_token(cfg->kiosk_token_file, out->token, sizeof out->token);
    if (cfg->sync_public_key) {
        size_t key_len = 0;
        if (sodium_base642bin(out->public_key, sizeof out->public_key, cfg->sync_public_key,
                              strlen(cfg->sync_public_key), NULL, &key_len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            key_len != sizeof out->public_key) {
            snprintf(err, err_len, "sync.public_key is not a base64 Ed25519 key");
            return false;
        }
        out->has_public_key = true;
    }
    if (cfg->sync_hub_seal_key) {
        if (!seal_key_parse(cfg->sync_hub_seal_key, out->seal_pin)) {
            snprintf(err, err_len, "sync.hub_seal_key is not a seal key");
            return false;
        }
        out->has_seal_pin = true;
    }
    if (cfg->sync_ca_file &&
        snprintf(out->ca_file, sizeof out->ca_file, "%s", cfg->sync_ca_file) >=
            (int)sizeof out->ca_file) {
        snprintf(err, err_len, "sync.ca_file is too long");
        return false;
    }
    out->interval_s = cfg->sync_interval_s;
    out->heartbeat_s = cfg->sync_heartbeat_s;
    out->unsent_retention_days = cfg->privacy_unsent_retention_days;
    /* The feed's images are decoded with SDL_image; the network code
     * only calls this back (it must not depend on SDL). */
    out->keep_image = images_keep_feed_image;
    return true;
}
