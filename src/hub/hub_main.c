/*
 * buurthub: the central hub's command line (hub-api-v1.md "The hub's
 * command line"). Exit status 0 success, 1 refused (reason on stderr),
 * 2 bad usage.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/clock.h"
#include "model/feed.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "hub/hub_audit.h"
#include "hub/hub_config.h"
#include "hub/hub_db.h"
#include "hub/hub_http.h"
#include "hub/hub_import.h"
#include "hub/hub_lease.h"
#include "hub/hub_signup.h"
#include "hub/hub_staff.h"

#ifndef BK_VERSION
#define BK_VERSION "0.0.0"
#endif

#define TAG "buurthub"

enum exit_code { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2 };

/* How often serve erases personal data past its retention. */
#define RETENTION_INTERVAL_S 3600

static const char usage_text[] =
    "usage:\n"
    "  buurthub serve  --db FILE [--listen HOST:PORT] [--config FILE]\n"
    "  buurthub import --db FILE [--force] FILE   (a feed-v1 JSON document, or a CSV of activities)\n"
    "  buurthub kiosk add --db FILE KIOSK_ID [--locations ID,ID]\n"
    "  buurthub kiosk token --db FILE KIOSK_ID     (a new token; the old one stops working)\n"
    "  buurthub kiosk remove --db FILE KIOSK_ID\n"
    "  buurthub kiosks --db FILE\n"
    "  buurthub signups --db FILE [--activity ID] [--csv]\n"
    "  buurthub signups cancel --db FILE SIGNUP_ID   (status cancelled; the waiting list moves up)\n"
    "  buurthub staff add --db FILE USERNAME (--locations ID,ID | --all) --password-file FILE\n"
    "  buurthub staff password --db FILE USERNAME --password-file FILE\n"
    "  buurthub staff remove --db FILE USERNAME\n"
    "  buurthub audit --db FILE              (the staff audit log, one line per action)\n"
    "  buurthub seal-key --db FILE           (the key kiosks seal personal data to, base64)\n"
    "  buurthub --version | --help\n"
    "\n"
    "Every command also takes --config FILE (the time zone and log level come from it).\n"
    "serve also takes --now TIMESTAMP (RFC 3339), a clock that starts there: for tests.\n"
    "See docs/hub.md.\n";

/* What `buurthub kiosk` does to a kiosk. */
enum kiosk_action { KIOSK_ADD, KIOSK_TOKEN, KIOSK_REMOVE, KIOSK_ACTION_COUNT };

static const char *const kiosk_action_names[KIOSK_ACTION_COUNT] = {
    [KIOSK_ADD] = "add",
    [KIOSK_TOKEN] = "token",
    [KIOSK_REMOVE] = "remove",
};

static bool kiosk_action_parse(const char *name, enum kiosk_action *out)
{
    for (int k = 0; k < KIOSK_ACTION_COUNT; k++)
        if (strcmp(name, kiosk_action_names[k]) == 0) {
            *out = (enum kiosk_action)k;
            return true;
        }
    return false;
}

/* What `buurthub staff` does to an account. */
enum staff_action { STAFF_ADD, STAFF_PASSWORD, STAFF_REMOVE, STAFF_ACTION_COUNT };

static const char *const staff_action_names[STAFF_ACTION_COUNT] = {
    [STAFF_ADD] = "add",
    [STAFF_PASSWORD] = "password",
    [STAFF_REMOVE] = "remove",
};

static bool staff_action_parse(const char *name, enum staff_action *out)
{
    for (int k = 0; k < STAFF_ACTION_COUNT; k++)
        if (strcmp(name, staff_action_names[k]) == 0) {
            *out = (enum staff_action)k;
            return true;
        }
    return false;
}

/* The options only some commands take (--db and --config go with all). */
enum option {
    OPT_LISTEN = 1u << 0,
    OPT_LOCATIONS = 1u << 1,
    OPT_ACTIVITY = 1u << 2,
    OPT_CSV = 1u << 3,
    OPT_NOW = 1u << 4,
    OPT_ALL = 1u << 5,
    OPT_PASSWORD_FILE = 1u << 6,
    OPT_FORCE = 1u << 7,
};

/* The command line, parsed. */
struct args {
    const char *command;            /* "serve", "import", "kiosk", ... */
    enum kiosk_action kiosk_action; /* with "kiosk" */
    enum staff_action staff_action; /* with "staff" */
    bool cancel;                    /* "signups cancel" */
    const char *db, *listen, *config, *locations, *activity, *now, *password_file;
    bool csv, all, force;
    unsigned given;                 /* enum option bits of the options given */
    const char *positional[4];
    int n_positional;
};

/* Every option: its name, the enum option bit of one that only some
 * commands take (0: every command takes it), and where its value goes
 * unless it is a flag. */
static const struct {
    const char *name;
    unsigned option;
    bool flag;
    size_t value_at;
} options[] = {
    {"--db", 0, false, offsetof(struct args, db)},
    {"--config", 0, false, offsetof(struct args, config)},
    {"--listen", OPT_LISTEN, false, offsetof(struct args, listen)},
    {"--locations", OPT_LOCATIONS, false, offsetof(struct args, locations)},
    {"--activity", OPT_ACTIVITY, false, offsetof(struct args, activity)},
    {"--csv", OPT_CSV, true, offsetof(struct args, csv)},
    {"--now", OPT_NOW, false, offsetof(struct args, now)},
    {"--all", OPT_ALL, true, offsetof(struct args, all)},
    {"--password-file", OPT_PASSWORD_FILE, false, offsetof(struct args, password_file)},
    {"--force", OPT_FORCE, true, offsetof(struct args, force)},
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    fputs("buurthub: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

/* Options may come anywhere after the command, as --opt VALUE or
 * --opt=VALUE (a flag alone). Returns EXIT_OK or EXIT_USAGE (message
 * printed). */
static int parse_args(int argc, char **argv, int first, struct args *a)
{
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || strcmp(arg, "--") == 0 || arg[2] == '\0') {
            if (a->n_positional == 4)
                return usage_error("too many arguments at %s", arg);
            a->positional[a->n_positional++] = arg;
            continue;
        }
        bool known = false;
        for (size_t k = 0; k < sizeof options / sizeof *options && !known; k++) {
            size_t n = strlen(options[k].name);
            if (strncmp(arg, options[k].name, n) != 0 ||
                (arg[n] != '\0' && (arg[n] != '=' || options[k].flag)))
                continue;
            known = true;
            a->given |= options[k].option;
            if (options[k].flag) {
                *(bool *)((char *)a + options[k].value_at) = true;
                continue;
            }
            const char *value = arg[n] == '=' ? arg + n + 1 : NULL;
            if (!value) {
                if (i + 1 >= argc)
                    return usage_error("%s needs a value", options[k].name);
                value = argv[++i];
            }
            *(const char **)((char *)a + options[k].value_at) = value;
        }
        if (!known)
            return usage_error("unknown option %s", arg);
    }
    return EXIT_OK;
}

/* Which options (enum option bits) each command takes; anything else is
 * bad usage. */
static int check_options(const struct args *a, unsigned allowed, int positional)
{
    for (size_t k = 0; k < sizeof options / sizeof *options; k++)
        if (options[k].option & a->given & ~allowed)
            return usage_error("%s does not go with this command", options[k].name);
    if (!a->db)
        return usage_error("%s needs --db FILE", a->command);
    if (a->n_positional != positional)
        return usage_error("wrong number of arguments for %s", a->command);
    return EXIT_OK;
}

/* Config (when given), log level and time zone: once, before any thread. */
static int setup(const struct args *a, struct hub_config *cfg)
{
    hub_config_defaults(cfg);
    char err[400];
    if (a->config && !hub_config_load(cfg, a->config, err, sizeof err)) {
        fprintf(stderr, "buurthub: %s\n", err);
        return EXIT_USAGE;
    }
    if (cfg->log_level[0])
        setenv("BUURTKIOSK_LOG", cfg->log_level, 1);
    if (!tz_use_zone(cfg->timezone)) {
        fprintf(stderr, "buurthub: unknown time zone %s\n", cfg->timezone);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static struct hub_db *open_db(const char *path, enum hub_db_open_mode mode)
{
    char err[400];
    struct hub_db *db = hub_db_open(path, mode, err, sizeof err);
    if (!db)
        fprintf(stderr, "buurthub: %s\n", err);
    return db;
}

/* ---- serve ------------------------------------------------------------------------ */

static void erase_expired(struct hub_pool *pool, const struct clock *clock, int days)
{
    struct hub_db *db = hub_pool_acquire(pool);
    if (db && hub_signup_erase_expired(db, clock_now_s(clock), days) < 0)
        log_error(TAG, "could not erase expired personal data; will try again");
    /* Leases of occurrences long closed count for nothing any more. */
    if (db && hub_lease_expire(db, clock_now_s(clock)) < 0)
        log_error(TAG, "could not delete ended leases; will try again");
    hub_pool_release(pool, db);
}

/* A server answers the same large pages again and again (a coordinator's
 * week page is 1.5 MiB, built in a buffer that doubles). glibc hands
 * freed memory of that size back to the kernel at once and takes it
 * again at the next request, a page fault per 4 KiB: half the page's CPU
 * time (bench/bench_console.sh: 1,036 faults and 34 ms per view, 79 and
 * 18 ms with these settings). Keeping up to 64 MiB free per arena costs
 * memory only up to what the busiest request used. */
static void keep_freed_memory(void)
{
#ifdef M_TRIM_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

static int cmd_serve(const struct args *a)
{
    keep_freed_memory();
    int rc = check_options(a, OPT_LISTEN | OPT_NOW, 0);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    struct hub_server_options opts = {.db_path = a->db,
                                      .listen = a->listen ? a->listen : cfg.listen,
                                      .lease_max = cfg.lease_max,
                                      .secure_cookies = cfg.secure_cookies,
                                      .session_idle_min = cfg.session_idle_min,
                                      .rate_per_token = cfg.rate_per_token,
                                      .rate_per_address = cfg.rate_per_address,
                                      .connections_per_address = cfg.connections_per_address};
    clock_init_real(&opts.clock);
    if (a->now) {
        int64_t start;
        if (!rfc3339_parse(a->now, &start))
            return usage_error("--now %s is not an RFC 3339 timestamp", a->now);
        clock_init_from(&opts.clock, start);
    }

    /* Signals are taken synchronously by this thread; every thread MHD
     * starts inherits the mask, so none of them is interrupted. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char err[400];
    struct hub_server *server = hub_server_start(&opts, err, sizeof err);
    if (!server) {
        fprintf(stderr, "buurthub: %s\n", err);
        return EXIT_REFUSED;
    }
    erase_expired(hub_server_pool(server), &opts.clock, cfg.retention_days);
    printf("listening on %s\n", hub_server_url(server));
    fflush(stdout);
    log_info(TAG, "buurthub %s serving %s (zone %s, personal data kept %d days after an "
                  "occurrence)", BK_VERSION, a->db, cfg.timezone, cfg.retention_days);

    int64_t next_erase = clock_monotonic_ms() + RETENTION_INTERVAL_S * 1000;
    for (;;) {
        int64_t wait_ms = next_erase - clock_monotonic_ms();
        if (wait_ms <= 0) {
            erase_expired(hub_server_pool(server), &opts.clock, cfg.retention_days);
            next_erase = clock_monotonic_ms() + RETENTION_INTERVAL_S * 1000;
            continue;
        }
        struct timespec ts = {.tv_sec = (time_t)(wait_ms / 1000),
                              .tv_nsec = (long)(wait_ms % 1000) * 1000000L};
        int sig = sigtimedwait(&stop, NULL, &ts);
        if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
            log_info(TAG, "signal %d: stopping", sig);
            break;
        }
        if (sig < 0 && errno != EAGAIN && errno != EINTR) {
            log_error(TAG, "sigtimedwait: %s", strerror(errno));
            break;
        }
    }
    hub_server_stop(server);
    log_info(TAG, "stopped");
    return EXIT_OK;
}

/* ---- the other commands ------------------------------------------------------------- */

static int cmd_import(const struct args *a)
{
    int rc = check_options(a, OPT_FORCE, 1);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    struct hub_db *db = open_db(a->db, HUB_DB_CREATE);
    if (!db)
        return EXIT_REFUSED;
    enum hub_import_result r =
        hub_import_file(db, a->positional[0], (int64_t)time(NULL), a->force, stdout, stderr);
    hub_db_close(db);
    return r == HUB_IMPORT_OK ? EXIT_OK : EXIT_REFUSED;
}

static int cmd_kiosk(const struct args *a)
{
    bool adding = a->kiosk_action == KIOSK_ADD;
    int rc = check_options(a, adding ? OPT_LOCATIONS : 0, 1);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    const char *id = a->positional[0];
    if (!feed_id_valid(id))
        return usage_error("%s is not a kiosk id ([A-Za-z0-9_-]{1,128})", id);
    if (a->locations && !hub_locations_valid(a->locations))
        return usage_error("--locations %s is not a list of ids", a->locations);
    struct hub_db *db = open_db(a->db, adding ? HUB_DB_CREATE : HUB_DB_EXISTING);
    if (!db)
        return EXIT_REFUSED;
    char token[HUB_TOKEN_LEN + 1];
    enum hub_kiosk_result r = HUB_KIOSK_ERROR;
    int64_t now = (int64_t)time(NULL);
    switch (a->kiosk_action) {
    case KIOSK_ADD: r = hub_db_kiosk_add(db, id, a->locations, now, token); break;
    case KIOSK_TOKEN: r = hub_db_kiosk_new_token(db, id, now, token); break;
    case KIOSK_REMOVE: r = hub_db_kiosk_remove(db, id); break;
    case KIOSK_ACTION_COUNT: break;
    }
    /* Like the console's enrolments, the command line's are in the audit
     * log, the token never. */
    static const enum hub_audit_action audited[KIOSK_ACTION_COUNT] = {
        [KIOSK_ADD] = HUB_AUDIT_KIOSK_ENROL,
        [KIOSK_TOKEN] = HUB_AUDIT_KIOSK_TOKEN,
        [KIOSK_REMOVE] = HUB_AUDIT_KIOSK_REMOVE,
    };
    if (r == HUB_KIOSK_OK)
        hub_audit_record_alone(db, now, HUB_AUDIT_CLI, audited[a->kiosk_action], id);
    hub_db_close(db);
    switch (r) {
    case HUB_KIOSK_OK:
        if (a->kiosk_action != KIOSK_REMOVE) {
            printf("%s\n", token);
            sodium_memzero(token, sizeof token);
        }
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_REFUSED;
    case HUB_KIOSK_EXISTS:
        fprintf(stderr, "buurthub: kiosk %s exists already (use kiosk token for a new token)\n",
                id);
        return EXIT_REFUSED;
    case HUB_KIOSK_UNKNOWN:
        fprintf(stderr, "buurthub: no kiosk %s\n", id);
        return EXIT_REFUSED;
    case HUB_KIOSK_ERROR:
        break;
    }
    fprintf(stderr, "buurthub: the database failed (see the log above)\n");
    return EXIT_REFUSED;
}

static int cmd_kiosks(const struct args *a)
{
    int rc = check_options(a, 0, 0);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    struct hub_db *db = open_db(a->db, HUB_DB_EXISTING);
    bool ok = db && hub_db_kiosks_print(db, stdout);
    hub_db_close(db);
    return ok && fflush(stdout) == 0 ? EXIT_OK : EXIT_REFUSED;
}

/* Exit 1 for an unknown id or a sign-up that is not confirmed or
 * waitlisted (hub-api-v1.md). Says on stdout what happened, never a name. */
static int cmd_signups_cancel(const struct args *a)
{
    int rc = check_options(a, 0, 1);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    const char *id = a->positional[0];
    struct hub_db *db = open_db(a->db, HUB_DB_EXISTING);
    if (!db)
        return EXIT_REFUSED;
    enum hub_signup_status was;
    int promoted = 0;
    enum hub_cancel_result r = hub_signup_cancel(db, id, &was, &promoted);
    hub_db_close(db);
    switch (r) {
    case HUB_CANCEL_OK:
        printf("cancelled %s (was %s); moved up from the waiting list: %d\n", id,
               hub_signup_status_name(was), promoted);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_REFUSED;
    case HUB_CANCEL_UNKNOWN:
        fprintf(stderr, "buurthub: no sign-up %s\n", id);
        return EXIT_REFUSED;
    case HUB_CANCEL_REFUSED:
        fprintf(stderr, "buurthub: sign-up %s is %s: only a confirmed or waitlisted sign-up can "
                        "be cancelled\n", id, hub_signup_status_name(was));
        return EXIT_REFUSED;
    case HUB_CANCEL_ERROR:
        break;
    }
    fprintf(stderr, "buurthub: the database failed (see the log above)\n");
    return EXIT_REFUSED;
}

static int cmd_signups(const struct args *a)
{
    if (a->cancel)
        return cmd_signups_cancel(a);
    int rc = check_options(a, OPT_ACTIVITY | OPT_CSV, 0);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    if (a->activity && !feed_id_valid(a->activity))
        return usage_error("--activity %s is not an activity id", a->activity);
    struct hub_db *db = open_db(a->db, HUB_DB_EXISTING);
    bool ok = db && hub_signup_list(db, a->activity, a->csv, stdout);
    hub_db_close(db);
    return ok && fflush(stdout) == 0 ? EXIT_OK : EXIT_REFUSED;
}

/* hub-api-v1.md: a username matches [a-z0-9._-]{1,64}; add needs exactly
 * one of --locations and --all; add and password need --password-file.
 * Everything wrong with the command line itself is 2; a refusal by the
 * database (an existing or unknown username) or an unusable password
 * file is 1. */
static int cmd_staff(const struct args *a)
{
    static const unsigned allowed[STAFF_ACTION_COUNT] = {
        [STAFF_ADD] = OPT_LOCATIONS | OPT_ALL | OPT_PASSWORD_FILE,
        [STAFF_PASSWORD] = OPT_PASSWORD_FILE,
        [STAFF_REMOVE] = 0,
    };
    int rc = check_options(a, allowed[a->staff_action], 1);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    const char *username = a->positional[0];
    if (!hub_staff_username_valid(username))
        return usage_error("%s is not a username ([a-z0-9._-]{1,64})", username);
    if (a->staff_action == STAFF_ADD && (a->locations != NULL) == a->all)
        return usage_error("%s", "staff add needs exactly one of --locations ID,ID and --all");
    if (a->locations && !hub_locations_valid(a->locations))
        return usage_error("--locations %s is not a list of ids", a->locations);
    if (a->staff_action != STAFF_REMOVE && !a->password_file)
        return usage_error("staff %s needs --password-file FILE",
                           staff_action_names[a->staff_action]);
    char password[HUB_PASSWORD_MAX + 1] = "";
    char err[400];
    if (a->staff_action != STAFF_REMOVE &&
        !hub_staff_password_read(a->password_file, password, err, sizeof err)) {
        fprintf(stderr, "buurthub: %s\n", err);
        return EXIT_REFUSED;
    }
    struct hub_db *db = open_db(a->db, a->staff_action == STAFF_ADD ? HUB_DB_CREATE
                                                                     : HUB_DB_EXISTING);
    enum hub_staff_result r = HUB_STAFF_ERROR;
    int64_t now = (int64_t)time(NULL);
    if (db) {
        switch (a->staff_action) {
        case STAFF_ADD:
            r = hub_staff_add(db, username, a->locations, password, now, HUB_AUDIT_CLI);
            break;
        case STAFF_PASSWORD:
            r = hub_staff_set_password(db, username, password, now, HUB_AUDIT_CLI);
            break;
        case STAFF_REMOVE: r = hub_staff_remove(db, username, now, HUB_AUDIT_CLI); break;
        case STAFF_ACTION_COUNT: break;
        }
    }
    sodium_memzero(password, sizeof password);
    hub_db_close(db);
    switch (r) {
    case HUB_STAFF_OK: return EXIT_OK;
    case HUB_STAFF_EXISTS:
        fprintf(stderr, "buurthub: staff member %s exists already (use staff password)\n",
                username);
        return EXIT_REFUSED;
    case HUB_STAFF_UNKNOWN:
        fprintf(stderr, "buurthub: no staff member %s\n", username);
        return EXIT_REFUSED;
    case HUB_STAFF_ERROR: break;
    }
    if (db)
        fprintf(stderr, "buurthub: the database failed (see the log above)\n");
    return EXIT_REFUSED;
}

static int cmd_audit(const struct args *a)
{
    int rc = check_options(a, 0, 0);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    struct hub_db *db = open_db(a->db, HUB_DB_EXISTING);
    bool ok = db && hub_audit_print(db, stdout);
    hub_db_close(db);
    return ok && fflush(stdout) == 0 ? EXIT_OK : EXIT_REFUSED;
}

/* The public key kiosks seal personal fields to, made when the database
 * has none yet: for a kiosk whose feed does not come from the hub
 * (docs/spec-notes.md "Sealed personal fields"), and for checking which
 * key a kiosk holds (buurtkiosk status). */
static int cmd_seal_key(const struct args *a)
{
    int rc = check_options(a, 0, 0);
    struct hub_config cfg;
    if (rc != EXIT_OK || (rc = setup(a, &cfg)) != EXIT_OK)
        return rc;
    struct hub_db *db = open_db(a->db, HUB_DB_CREATE);
    unsigned char pk[SEAL_PUBLIC_KEY_BYTES], sk[SEAL_SECRET_KEY_BYTES];
    bool ok = db && hub_db_seal_keys(db, pk, sk);
    sodium_memzero(sk, sizeof sk);
    hub_db_close(db);
    if (!ok)
        return EXIT_REFUSED;
    char text[SEAL_KEY_TEXT_LEN];
    seal_key_format(pk, text);
    printf("%s\n", text);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_REFUSED;
}

static const struct {
    const char *name;
    int (*run)(const struct args *a);
} commands[] = {
    {"serve", cmd_serve},   {"import", cmd_import},   {"kiosk", cmd_kiosk},
    {"kiosks", cmd_kiosks}, {"signups", cmd_signups}, {"staff", cmd_staff},
    {"audit", cmd_audit},   {"seal-key", cmd_seal_key},
};

int main(int argc, char **argv)
{
    /* The database holds names and phone numbers: whoever runs a command
     * first, its file, WAL and shared-memory file are for the owner only. */
    umask(077);
    if (sodium_init() < 0) {
        fprintf(stderr, "buurthub: libsodium could not start\n");
        return EXIT_REFUSED;
    }
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("buurthub %s\n", BK_VERSION);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    struct args a = {.command = argv[1]};
    int first = 2;
    if (strcmp(argv[1], "kiosk") == 0) {
        if (argc < 3 || !kiosk_action_parse(argv[2], &a.kiosk_action))
            return usage_error("%s", "kiosk needs add, token or remove");
        first = 3;
    } else if (strcmp(argv[1], "staff") == 0) {
        if (argc < 3 || !staff_action_parse(argv[2], &a.staff_action))
            return usage_error("%s", "staff needs add, password or remove");
        first = 3;
    } else if (strcmp(argv[1], "signups") == 0 && argc >= 3 && strcmp(argv[2], "cancel") == 0) {
        a.cancel = true;
        first = 3;
    }
    int rc = parse_args(argc, argv, first, &a);
    if (rc != EXIT_OK)
        return rc;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(a.command, commands[i].name) == 0)
            return commands[i].run(&a);
    return usage_error("unknown command %s", a.command);
}
