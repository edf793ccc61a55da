/*
 * buurtkiosk: the kiosk program. Parses the command line, loads the
 * config, and runs one command (see `buurtkiosk --help`).
 */
#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/run.h"
#include "model/feed.h"
#include "model/localized.h"
#include "model/pinlock.h"
#include "base/log.h"
#include "model/outbox.h"
#include "model/store.h"
#include "base/timeutil.h"
#include "net/fetch.h"
#include "net/origin.h"
#include "net/sync.h"

enum exit_code { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* mkdir -p for the data directory. */
static bool make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0750) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(buf, 0750) == 0 || errno == EEXIST;
}

static bool ensure_db_dir(const char *db_path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", db_path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return true;
    if (slash == dir)
        return true;
    *slash = '\0';
    return make_dirs(dir);
}

static struct store *open_store(const char *db_path)
{
    if (!ensure_db_dir(db_path)) {
        fprintf(stderr, "buurtkiosk: cannot create the directory of %s: %s\n", db_path,
                strerror(errno));
        return NULL;
    }
    char err[512] = "";
    struct store *store = store_open_checked(db_path, err, sizeof err);
    if (!store)
        fprintf(stderr, "buurtkiosk: %s\n", err);
    return store;
}

static int command_sync(const struct cli *cli, const struct config *cfg, int64_t now)
{
    struct sync_settings settings;
    char err[256];
    if (!cli_sync_settings(cfg, &settings, err, sizeof err)) {
        fprintf(stderr, "buurtkiosk: %s\n", err);
        return EXIT_USAGE;
    }
    char db_path[4096];
    cli_db_path(cli, cfg, db_path, sizeof db_path);
    struct store *store = open_store(db_path);
    if (!store)
        return EXIT_FAILED;
    struct sync_outcome out;
    sync_pass(store, &settings, now, &out);
    char line[512];
    sync_outcome_line(&out, line, sizeof line);
    feed_report_print(&out.report, stderr, stderr);
    printf("%s\n", line);
    feed_report_clear(&out.report);
    store_close(store);
    return out.feed == SYNC_APPLIED || out.feed == SYNC_UNCHANGED ? EXIT_OK : EXIT_FAILED;
}

static int command_status(const struct cli *cli, const struct config *cfg)
{
    char db_path[4096];
    cli_db_path(cli, cfg, db_path, sizeof db_path);
    struct store_status st;
    memset(&st, 0, sizeof st);
    bool read_only = false;
    /* The hub's key sign-ups are sealed to, to compare with buurthub
     * seal-key; "" = none yet, sign-ups stored in clear. */
    char seal_key[64] = "";
    /* status never writes: a database that does not exist yet is fresh. */
    if (access(db_path, F_OK) == 0) {
        struct store *store = open_store(db_path);
        if (!store)
            return EXIT_FAILED;
        read_only = store_is_read_only(store);
        bool ok = store_status(store, &st);
        store_get_meta(store, STORE_META_HUB_SEAL_KEY, seal_key, sizeof seal_key);
        store_close(store);
        if (!ok) {
            fprintf(stderr, "buurtkiosk: cannot read the status of %s\n", db_path);
            return EXIT_FAILED;
        }
    }
    json_t *o = json_object();
    json_object_set_new(o, "locations", json_integer(st.locations));
    json_object_set_new(o, "activities", json_integer(st.activities));
    json_object_set_new(o, "services", json_integer(st.services));
    json_object_set_new(o, "announcements", json_integer(st.announcements));
    json_object_set_new(o, "occurrences", json_integer(st.occurrences));
    json_object_set_new(o, "feed_etag", st.has_feed_etag ? json_string(st.feed_etag) : json_null());
    json_object_set_new(o, "feed_generated_at", rfc3339_json_or_null(st.feed_generated_at));
    json_object_set_new(o, "last_sync_at", rfc3339_json_or_null(st.last_sync_at));
    json_object_set_new(o, "last_sync_ok_at", rfc3339_json_or_null(st.last_sync_ok_at));
    json_object_set_new(o, "last_sync_error",
                        st.has_last_sync_error ? json_string(st.last_sync_error) : json_null());
    json_object_set_new(o, "outbox_pending", json_integer(st.outbox_pending));
    json_object_set_new(o, "outbox_confirmed", json_integer(st.outbox_confirmed));
    json_object_set_new(o, "outbox_waitlisted", json_integer(st.outbox_waitlisted));
    json_object_set_new(o, "outbox_rejected", json_integer(st.outbox_rejected));
    json_object_set_new(o, "outbox_expired", json_integer(st.outbox_expired));
    /* What the answered counters cover: rows are pruned this long after
     * their answer (docs/deploy.md, "What status says"). */
    json_object_set_new(o, "outbox_kept_days", json_integer(OUTBOX_ANSWERED_RETENTION_DAYS));
    json_object_set_new(o, "staff_actions", json_integer(st.staff_actions));
    json_object_set_new(o, "hub_seal_key", seal_key[0] ? json_string(seal_key) : json_null());
    json_object_set_new(o, "database", json_string(db_path));
    /* The cache could only be opened for reading: a full or read-only disk. */
    json_object_set_new(o, "read_only", json_boolean(read_only));
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text)
        return EXIT_FAILED;
    printf("%s\n", text);
    free(text);
    return EXIT_OK;
}

static char *read_file(const char *path, size_t limit, size_t *len_out, bool *too_large)
{
    *too_large = false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 64 * 1024, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap > limit) {
                *too_large = true;
                break;
            }
            char *more = realloc(buf, cap * 2);
            if (!more)
                break;
            buf = more;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    *len_out = len;
    return buf;
}

static int command_validate_feed(const struct cli *cli)
{
    size_t len = 0;
    bool too_large = false;
    char *body = read_file(cli->file_arg, FEED_MAX_BODY, &len, &too_large);
    if (!body) {
        fprintf(stderr, "buurtkiosk: cannot read %s: %s\n", cli->file_arg, strerror(errno));
        return EXIT_USAGE;
    }
    struct feed_report report;
    if (too_large || len > FEED_MAX_BODY) {
        memset(&report, 0, sizeof report);
        report.result = FEED_REJECTED;
        snprintf(report.reason, sizeof report.reason, "the body is over 16 MiB");
    } else {
        feed_parse(body, len, NULL, &report);
    }
    free(body);
    /* The skipped items with the feed: line on stdout, as automation-v1
     * shows them; dropped optional fields are advice, on stderr. */
    feed_report_print(&report, stdout, stderr);
    if (report.result == FEED_ACCEPTED)
        printf("would apply: %zu locations, %zu activities, %zu services, %zu announcements\n",
               report.kept[FEED_LOCATION], report.kept[FEED_ACTIVITY], report.kept[FEED_SERVICE],
               report.kept[FEED_ANNOUNCEMENT]);
    char line[512];
    sync_report_line(report.result == FEED_ACCEPTED ? "applied" : "rejected", report.reason,
                     report.skipped, 0, 0, line, sizeof line);
    puts(line);
    int rc = report.result == FEED_ACCEPTED ? EXIT_OK : EXIT_FAILED;
    feed_report_clear(&report);
    return rc;
}

static int command_config_check(const struct cli *cli)
{
    struct config *cfg = config_new();
    if (!cfg)
        return EXIT_FAILED;
    cfg->hub_check = origin_hub_allowed;
    int errors = config_load_file(cfg, cli->file_arg, stderr);
    config_free(cfg);
    return errors ? EXIT_USAGE : EXIT_OK;
}

static int command_hash_pin(void)
{
    char pin[64] = "";
    if (!fgets(pin, sizeof pin, stdin)) {
        fprintf(stderr, "buurtkiosk: hash-pin reads a PIN on standard input\n");
        return EXIT_USAGE;
    }
    size_t n = strcspn(pin, "\r\n");
    pin[n] = '\0';
    bool digits = n >= PIN_MIN_DIGITS && n <= PIN_MAX_DIGITS;
    for (size_t i = 0; i < n; i++)
        digits = digits && pin[i] >= '0' && pin[i] <= '9';
    if (!digits) {
        sodium_memzero(pin, sizeof pin);
        fprintf(stderr, "buurtkiosk: a staff PIN is %d to %d digits\n", PIN_MIN_DIGITS,
                PIN_MAX_DIGITS);
        return EXIT_USAGE;
    }
    char hash[crypto_pwhash_STRBYTES];
    int rc = crypto_pwhash_str(hash, pin, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sodium_memzero(pin, sizeof pin);
    if (rc != 0) {
        fprintf(stderr, "buurtkiosk: out of memory while hashing\n");
        return EXIT_FAILED;
    }
    printf("%s\n", hash);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    /* Pictures, texture surfaces and text pages are large, short-lived
     * blocks. glibc raises its mmap threshold each time such a block is
     * freed, after which the next ones come from the heap and stay there
     * when freed: a kiosk that showed a photo and then read a screen
     * aloud kept megabytes it no longer used. A fixed threshold hands
     * every block over 64 KiB back to the system when it is freed. At
     * 64 KiB (a line of text 400 px wide and 40 px high) the text cache's
     * larger textures, which it makes and evicts all day, live outside
     * the heap as well: in the soak, RSS while residents tap stayed 4 to
     * 5 MiB lower than at 256 KiB, with the same frame times. */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    /* One heap for every thread. glibc gives each thread that allocates
     * its own arena (up to eight per core); the content loader, the sync
     * worker and its feed reader, the asker and speech each kept the
     * free blocks of their last job in theirs, where no other thread
     * could reuse them. With one arena the soak's RSS at rest is about
     * 1 MiB lower throughout (bench/README.md, the soak; it does not stop
     * the slow rise there). These threads allocate seldom while the
     * screen does, so the shared lock costs nothing a resident would
     * notice. */
    mallopt(M_ARENA_MAX, 1);
    /* Before any file is made: the cache holds names and phone numbers
     * until the hub has them, and its pictures say where the kiosk
     * stands. Under systemd the unit sets this too; run by hand (a
     * technician's shell, umask 022) the database would be world-readable. */
    umask(077);
    struct cli cli;
    char err[512];
    if (!cli_parse(argc, argv, &cli, err, sizeof err)) {
        fprintf(stderr, "buurtkiosk: %s (see buurtkiosk --help)\n", err);
        return EXIT_USAGE;
    }
    if (cli.command == CMD_HELP) {
        cli_print_help(stdout);
        return EXIT_OK;
    }
    if (cli.command == CMD_VERSION) {
        printf("buurtkiosk %s\n", BK_VERSION);
        return EXIT_OK;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "buurtkiosk: libsodium could not start\n");
        return EXIT_FAILED;
    }
    if (cli.command == CMD_CONFIG_CHECK)
        return command_config_check(&cli);
    if (cli.command == CMD_CONFIG_REFERENCE) {
        config_write_reference(stdout);
        return EXIT_OK;
    }
    if (cli.command == CMD_HASH_PIN)
        return command_hash_pin();

    struct config *cfg = cli_load_config(&cli, stderr);
    if (!cfg)
        return EXIT_USAGE;
    /* Before any thread: the zone and the log level are process-wide. */
    if (!tz_use_zone(cfg->kiosk_timezone)) {
        fprintf(stderr, "buurtkiosk: unknown time zone %s\n", cfg->kiosk_timezone);
        config_free(cfg);
        return EXIT_USAGE;
    }
    if (cli.lang) {
        bool offered = false;
        for (size_t i = 0; i < cfg->ui_languages.n; i++)
            offered = offered || strcmp(cfg->ui_languages.items[i], cli.lang) == 0;
        if (!offered) {
            fprintf(stderr, "buurtkiosk: --lang %s is not one of ui.languages\n", cli.lang);
            config_free(cfg);
            return EXIT_USAGE;
        }
    }
    if (!getenv("BUURTKIOSK_LOG"))
        log_set_level((enum log_level)cfg->log_level);
    if (!fetch_global_init()) {
        config_free(cfg);
        return EXIT_FAILED;
    }

    struct clock clock;
    if (cli.has_now)
        clock_init_from(&clock, cli.now);
    else
        clock_init_real(&clock);

    int rc;
    switch (cli.command) {
    case CMD_SYNC: rc = command_sync(&cli, cfg, clock_now_s(&clock)); break;
    case CMD_STATUS: rc = command_status(&cli, cfg); break;
    case CMD_VALIDATE_FEED: rc = command_validate_feed(&cli); break;
    default: {
        char db_path[4096];
        cli_db_path(&cli, cfg, db_path, sizeof db_path);
        if (ensure_db_dir(db_path)) {
            rc = run_kiosk(&cli, cfg, db_path, &clock);
        } else {
            fprintf(stderr, "buurtkiosk: cannot create the directory of %s: %s\n", db_path,
                    strerror(errno));
            rc = EXIT_FAILED;
        }
        break;
    }
    }
    fetch_global_cleanup();
    config_free(cfg);
    return rc;
}
