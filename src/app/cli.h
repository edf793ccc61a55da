/*
 * buurtkiosk's command line (shared/spec/automation-v1.md): parsing the
 * arguments, and turning them plus the config file into the settings the
 * commands need. Command-line values win over the config file, which wins
 * over the built-in defaults.
 */
#ifndef BK_CLI_H
#define BK_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/config.h"
#include "net/sync.h"

enum command {
    CMD_RUN,
    CMD_SYNC,
    CMD_STATUS,
    CMD_VALIDATE_FEED,
    CMD_CONFIG_CHECK,
    CMD_CONFIG_REFERENCE,
    CMD_HASH_PIN,
    CMD_VERSION,
    CMD_HELP,
};

#define CLI_MAX_SETS 64

struct cli {
    enum command command;
    const char *config_path;      /* NULL = the default, if it exists */
    const char *db_path;
    const char *feed_url;
    const char *hub_url;
    const char *kiosk_id;
    const char *token_file;
    const char *sets[CLI_MAX_SETS];
    size_t n_sets;
    int width, height;            /* --size, 0 = the default */
    bool windowed;
    bool headless;
    bool has_now;
    int64_t now;
    const char *script;
    const char *lang;
    const char *speech_log;       /* --speech-log: each utterance, LANG<TAB>TEXT */
    const char *file_arg;         /* validate-feed FILE, config --check FILE */
};

#define CLI_DEFAULT_CONFIG "/etc/buurtkiosk/kiosk.ini"

/* Parses argv. Returns false with a message in err for bad usage. */
bool cli_parse(int argc, char **argv, struct cli *out, char *err, size_t err_len);

/* Builds the config: defaults, then the config file, then --set, then the
 * dedicated options. Problems go to diag as "FILE:LINE: reason"; returns
 * NULL when there was any error. */
struct config *cli_load_config(const struct cli *cli, FILE *diag);

/* The database path: --db, else {kiosk.data_dir}/kiosk.db. */
void cli_db_path(const struct cli *cli, const struct config *cfg, char *out, size_t out_len);

/* The bundled assets directory (sample feed). */
const char *cli_asset_dir(void);

/* The compiled catalogs (LANG.mo): BUURTKIOSK_CATALOGS, else the assets
 * directory's i18n/ when it has one (an installed kiosk), else the build
 * tree's. Writes the path to out. */
void cli_catalog_dir(char *out, size_t out_len);

/* Everything the network side needs, from the config: the feed URL (as
 * automation-v1 derives it), the token read from kiosk.token_file, the
 * decoded public key. Returns false with a reason in err. */
bool cli_sync_settings(const struct config *cfg, struct sync_settings *out, char *err,
                       size_t err_len);

void cli_print_help(FILE *out);

#endif
