/*
 * bench_signup: the kiosk's sign-up write, confirm to durable.
 *
 * When a resident confirms, the kiosk stores the sign-up in its outbox
 * (outbox_add: BEGIN IMMEDIATE, INSERT, COMMIT with synchronous=FULL in
 * WAL mode, so the WAL is fsynced) before it says "aangemeld". This
 * measures that write on a real file on a real disk:
 *
 *   1. outbox_add, N calls back to back with realistic values;
 *      p50 / p99 / max, target p99 <= 20 ms;
 *   2. the same through the screens: the resident's tap on "Aanmelden"
 *      (signup.submit) on a filled-in form, from the finger's lift
 *      (ui_touch_up, which stores the sign-up) to the built "aangemeld"
 *      frame (ui_frame); the same target.
 *
 * The database goes to a directory under the build dir (or --tmpdir), and
 * the table says, from statfs, what file system that is: on tmpfs an fsync
 * costs nothing and the figures would be meaningless. A missed target
 * still exits 0 (a report, not a test); exit status 1 means a measurement
 * could not be made (the temp dir is then kept and its path printed).
 *
 *   bench_signup [--count N] [--ui-count N] [--quick] [--tmpdir DIR] [--keep] [--no-ui]
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "benchlib.h"
#include "ui_driver.h"
#include "base/utf8.h"
#include "view/bidi.h"
#include "base/clock.h"
#include "model/config.h"
#include "model/feed.h"
#include "view/frame.h"
#include "model/i18n.h"
#include "base/log.h"
#include "model/outbox.h"
#include "model/store.h"
#include "base/timeutil.h"
#include "screens/ui.h"

#define ZONE "Europe/Amsterdam"
/* The kiosk's clock for the whole run: the sample feed's week. */
#define NOW_TEXT "2026-11-25T10:00:00+01:00"
/* The activity the bench adds to the sample feed: today, half an hour
 * from 'now' (so it heads the activities list), with room for every
 * sign-up the bench makes. */
#define BENCH_ACTIVITY "act-bench-aanmelden"
#define BENCH_STARTS "2026-11-25T10:30:00+01:00"
#define BENCH_ITEM "activity." BENCH_ACTIVITY ".20261125T1030"

#define TARGET_P99_MS 20.0
#define DEFAULT_COUNT 500
#define DEFAULT_UI_COUNT 100

#ifndef BK_BENCH_TMP_ROOT
#define BK_BENCH_TMP_ROOT "/tmp"
#endif

struct options {
    int count;
    int ui_count;
    const char *tmp_root;
    bool keep;
    bool ui;
};

struct bench {
    struct options opt;
    char dir[DIR_MAX];
    char db_path[PATH_MAX];
    int64_t now;
    struct store *store;
    struct config *config;
    struct catalogs *catalogs;
    struct table table;
};

static double elapsed_ms(clockid_t clock, const struct timespec *since)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (double)(now.tv_sec - since->tv_sec) * 1e3 +
           (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/* "p50 X, p99 Y, max Z" of n samples (sorted in place). */
static void fmt_spread(char *buf, size_t len, double *v, size_t n)
{
    qsort(v, n, sizeof *v, compare_double);
    char p50[32], p99[32], max[32];
    fmt_ms(p50, sizeof p50, percentile_sorted(v, n, 50));
    fmt_ms(p99, sizeof p99, percentile_sorted(v, n, 99));
    fmt_ms(max, sizeof max, v[n - 1]);
    snprintf(buf, len, "p50 %s, p99 %s, max %s", p50, p99, max);
}

/* ---- the file system ------------------------------------------------------ */

/* statfs magic numbers (linux/magic.h) of the file systems a kiosk or a
 * build machine may have. */
static const char *fs_name(long type)
{
    switch ((unsigned long)type) {
    case 0xEF53UL: return "ext2/ext3/ext4";
    case 0x01021994UL: return "tmpfs";
    case 0x858458F6UL: return "ramfs";
    case 0x58465342UL: return "xfs";
    case 0x9123683EUL: return "btrfs";
    case 0xF2F52010UL: return "f2fs";
    case 0x794C7630UL: return "overlayfs";
    case 0x4D44UL: return "vfat";
    case 0x6969UL: return "nfs";
    case 0x65735546UL: return "fuse";
    default: return NULL;
    }
}

static void row_filesystem(struct bench *b)
{
    struct statfs fs;
    const char *what = "database on (statfs of its directory)";
    if (statfs(b->dir, &fs) != 0) {
        add_row(&b->table, what, "not tmpfs", "FAILED", "statfs %s: %s", b->dir, strerror(errno));
        return;
    }
    const char *name = fs_name((long)fs.f_type);
    bool ram = (unsigned long)fs.f_type == 0x01021994UL || (unsigned long)fs.f_type == 0x858458F6UL;
    add_row(&b->table, what, "not tmpfs", ram ? "MISSED" : "ok", "%s (0x%lX)%s, %s",
            name ? name : "unknown", (unsigned long)fs.f_type,
            ram ? ": fsync costs nothing here, use --tmpdir" : "", b->dir);
}

/* ---- the store ------------------------------------------------------------- */

/* The sample feed plus the bench's own activity: what a kiosk in the
 * sample neighbourhood holds, and one activity that never fills. */
static char *bench_feed(size_t *len, char *err, size_t err_len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/sample-feed.json", BK_ASSET_DIR);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *acts = root ? json_object_get(root, "activities") : NULL;
    if (!json_is_array(acts)) {
        snprintf(err, err_len, "%.120s: %.100s", path, root ? "no activities" : jerr.text);
        json_decref(root);
        return NULL;
    }
    json_t *a = json_pack(
        "{ss s{ssss} s{ssss} ss ss ss s{si si s[ss]}}", "id", BENCH_ACTIVITY, "title", "nl",
        "Spreekuur geldzaken", "en", "Money matters drop-in", "summary", "nl",
        "Hulp bij brieven, rekeningen en toeslagen.", "en", "Help with letters, bills and benefits.",
        "location_id", "loc-nieuwe-sleutel", "starts_at", BENCH_STARTS, "ends_at",
        "2026-11-25T12:00:00+01:00", "signup", "capacity", 1000000, "closes_before_min", 0, "fields",
        "name", "phone");
    if (!a || json_array_append_new(acts, a) != 0) {
        snprintf(err, err_len, "out of memory");
        json_decref(root);
        return NULL;
    }
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!text) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    *len = strlen(text);
    return text;
}

static bool open_store(struct bench *b, char *err, size_t err_len)
{
    snprintf(b->db_path, sizeof b->db_path, "%s/kiosk.db", b->dir);
    b->store = store_open(b->db_path, err, err_len);
    if (!b->store)
        return false;
    size_t len = 0;
    char *feed = bench_feed(&len, err, err_len);
    if (!feed)
        return false;
    struct feed_report report;
    enum feed_result r = store_apply_feed(b->store, feed, len, NULL, b->now, &report);
    bool ok = r == FEED_ACCEPTED && report.skipped == 0;
    if (!ok)
        snprintf(err, err_len, "the feed was not applied (result %d, skipped %zu): %.120s", (int)r,
                 report.skipped, report.n_skips ? report.skips[0].reason : report.reason);
    feed_report_clear(&report);
    free(feed);
    return ok;
}

/* ---- 1. outbox_add --------------------------------------------------------- */

/* Sign-ups as residents type them: names with and without diacritics,
 * mobile and landline numbers, sometimes an e-mail or a remark, party
 * sizes 1-3, the interface languages. */
static const char *const NAMES[] = {
    "Jan Jansen", "Fatma Yılmaz", "Anouk de Vries", "Mohamed El Amrani", "Els van der Berg",
    "Zoë Bakker", "Youssef Bouzid", "Ingrid Smit-Visser", "Kees Meijer", "Noor Haddad",
    "Daan Mulder", "Aysel Demir", "Wim de Boer", "José Peters",
};
static const char *const PHONES[] = {"0612345678", "06 12 34 56 78", "033-4567890", "+31612345678",
                                     "0687654321"};
static const char *const LANGUAGES[] = {"nl", "en", "ar", "tr"};

static void make_request(struct signup_request *req, int i, int64_t occurrence)
{
    memset(req, 0, sizeof *req);
    snprintf(req->activity_id, sizeof req->activity_id, "%s", BENCH_ACTIVITY);
    req->occurrence = occurrence;
    req->name = NAMES[i % (int)(sizeof NAMES / sizeof *NAMES)];
    req->phone = PHONES[i % (int)(sizeof PHONES / sizeof *PHONES)];
    req->email = i % 4 == 0 ? "bewoner@example.org" : NULL;
    req->remark = i % 5 == 0 ? "Ik kom met de rollator, is er een lift?" : NULL;
    req->party_size = 1 + i % 3;
    req->waitlist_ok = i % 7 == 0;
    snprintf(req->language, sizeof req->language, "%s",
             LANGUAGES[i % (int)(sizeof LANGUAGES / sizeof *LANGUAGES)]);
}

static void bench_outbox_add(struct bench *b, int64_t occurrence)
{
    int n = b->opt.count;
    char measure[120];
    snprintf(measure, sizeof measure, "1. outbox_add (synchronous=FULL, WAL), %d calls", n);
    double *wall = calloc((size_t)n, sizeof *wall);
    double *cpu = calloc((size_t)n, sizeof *cpu);
    if (!wall || !cpu) {
        add_row(&b->table, measure, "", "FAILED", "out of memory");
        free(wall);
        free(cpu);
        return;
    }
    int64_t before = outbox_count(b->store, "pending");
    double total = 0;
    for (int i = 0; i < n; i++) {
        struct signup_request req;
        make_request(&req, i, occurrence);
        char id[OUTBOX_ID_LEN + 1];
        struct timespec t0, c0;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        bool ok = outbox_add(b->store, &req, b->now + i, id);
        wall[i] = elapsed_ms(CLOCK_MONOTONIC, &t0);
        cpu[i] = elapsed_ms(CLOCK_THREAD_CPUTIME_ID, &c0);
        if (!ok) {
            add_row(&b->table, measure, "", "FAILED", "outbox_add failed at call %d", i + 1);
            free(wall);
            free(cpu);
            return;
        }
        total += wall[i];
    }
    int64_t after = outbox_count(b->store, "pending");
    double first = wall[0];
    char spread[160], target[32];
    fmt_spread(spread, sizeof spread, wall, (size_t)n);
    double p99 = percentile_sorted(wall, (size_t)n, 99);
    snprintf(target, sizeof target, "p99 <= %.0f ms", TARGET_P99_MS);
    add_row(&b->table, measure, target, verdict(p99, TARGET_P99_MS), "%s", spread);
    char cpu_spread[160], mean[32], first_ms[32];
    fmt_spread(cpu_spread, sizeof cpu_spread, cpu, (size_t)n);
    add_row(&b->table, "1. of which CPU time (the rest is waiting: fsync)", "-", "info", "%s",
            cpu_spread);
    fmt_ms(mean, sizeof mean, total / n);
    fmt_ms(first_ms, sizeof first_ms, first);
    add_row(&b->table, "1. mean; the first call (statement not cached yet)", "-", "info", "%s; %s",
            mean, first_ms);
    if (after - before != n)
        add_row(&b->table, "1. outbox rows added", "all", "FAILED", "%" PRId64 " of %d",
                after - before, n);
    else
        add_row(&b->table, "1. outbox rows added (outbox_count pending)", "all", "ok", "%d of %d", n,
                n);
    free(wall);
    free(cpu);
}

/* ---- 2. the same through the screens ---------------------------------------- */

/* A stand-in for SDL_ttf, as in the UI tests: every character advances
 * 0.55 em (0.6 bold). Text measuring is not what is measured here. */
static int measure_text(void *ctx, const char *text, size_t len, int font_px,
                        enum font_weight weight, bool rtl)
{
    (void)ctx;
    (void)rtl;
    size_t chars = 0;
    /* Directional marks draw nothing, as with the real fonts. */
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(text + i, len - i, &cp);
        chars += !bidi_is_control(cp);
    }
    return (int)(chars * (size_t)font_px * (weight == FONT_BOLD ? 60 : 55) / 100);
}

/* From the attract screen to a filled-in form with consent given. */
static bool fill_form(struct ui_driver *d, int i)
{
    static const char *const names[] = {"jan jansen", "anouk de vries", "kees meijer",
                                        "noor haddad"};
    char phone[16];
    snprintf(phone, sizeof phone, "06%08d", 12345678 + i);
    ui_driver_wake(d);
    return ui_driver_tap(d, "home.activities") && ui_driver_tap(d, BENCH_ITEM) &&
           ui_driver_tap(d, "activity.signup") && ui_driver_tap(d, "key.shift") &&
           ui_driver_type(d, names[i % 4]) && ui_driver_tap(d, "field.phone") &&
           ui_driver_type(d, phone) && ui_driver_tap(d, "key.next") &&
           ui_driver_tap(d, "signup.consent");
}

static void bench_ui_path(struct bench *b)
{
    int n = b->opt.ui_count;
    char measure[120];
    snprintf(measure, sizeof measure,
             "2. screens: tap on signup.submit -> 'aangemeld' frame built, %d runs", n);
    struct clock clock;
    clock_init_manual(&clock, b->now);
    struct ui_env env = {
        .store = b->store,
        .config = b->config,
        .catalogs = b->catalogs,
        .clock = &clock,
        .measure = measure_text,
        .has_hub = true,
    };
    struct ui_driver d = {.ui = ui_new(&env, 1280, 800), .clock = &clock};
    double *wall = calloc((size_t)n, sizeof *wall);
    double *store_part = calloc((size_t)n, sizeof *store_part);
    if (!d.ui || !wall || !store_part) {
        add_row(&b->table, measure, "", "FAILED", "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        if (!fill_form(&d, i)) {
            add_row(&b->table, measure, "", "FAILED", "run %d: %s", i + 1, d.err);
            goto out;
        }
        const struct widget *w = ui_driver_find(&d, "signup.submit");
        if (!w) {
            add_row(&b->table, measure, "", "FAILED", "run %d: %s", i + 1, d.err);
            goto out;
        }
        int x = w->clip.x + w->clip.w / 2, y = w->clip.y + w->clip.h / 2;
        ui_touch_down(d.ui, x, y);
        ui_driver_advance(&d, 80);
        int64_t before = outbox_count(b->store, "pending");
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ui_touch_up(d.ui, x, y);
        store_part[i] = elapsed_ms(CLOCK_MONOTONIC, &t0);
        ui_frame(d.ui);
        wall[i] = elapsed_ms(CLOCK_MONOTONIC, &t0);
        if (ui_screen(d.ui) != SCREEN_SIGNUP_DONE ||
            outbox_count(b->store, "pending") != before + 1) {
            add_row(&b->table, measure, "", "FAILED",
                    "run %d: after the tap the screen is %s and the outbox grew by %" PRId64,
                    i + 1, screen_name(ui_screen(d.ui)),
                    outbox_count(b->store, "pending") - before);
            goto out;
        }
        if (!ui_driver_tap(&d, "signup.done")) {
            add_row(&b->table, measure, "", "FAILED", "run %d: %s", i + 1, d.err);
            goto out;
        }
    }
    char spread[160], target[32];
    fmt_spread(spread, sizeof spread, wall, (size_t)n);
    double p99 = percentile_sorted(wall, (size_t)n, 99);
    snprintf(target, sizeof target, "p99 <= %.0f ms", TARGET_P99_MS);
    add_row(&b->table, measure, target, verdict(p99, TARGET_P99_MS), "%s", spread);
    fmt_spread(spread, sizeof spread, store_part, (size_t)n);
    add_row(&b->table, "2. of which ui_touch_up (stores the sign-up)", "-", "info", "%s", spread);
out:
    free(wall);
    free(store_part);
    ui_free(d.ui);
}

/* ---- main ------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_signup [--count N] [--ui-count N] [--quick] [--tmpdir DIR] [--keep]\n"
            "                    [--no-ui]\n"
            "  --count N       outbox_add calls (default %d)\n"
            "  --ui-count N    sign-ups through the screens (default %d)\n"
            "  --quick         50 and 10: a smoke test\n"
            "  --tmpdir DIR    where the database goes (default %s); it should be the\n"
            "                  file system the kiosk uses, because commits fsync\n"
            "  --keep          keep the temp dir\n"
            "  --no-ui         skip row 2\n",
            DEFAULT_COUNT, DEFAULT_UI_COUNT, BK_BENCH_TMP_ROOT);
    exit(2);
}

static int positive(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v > 1000000)
        usage();
    return (int)v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){.count = DEFAULT_COUNT, .ui_count = DEFAULT_UI_COUNT,
                          .tmp_root = BK_BENCH_TMP_ROOT, .ui = true};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0) {
            o->count = 50;
            o->ui_count = 10;
        } else if (strcmp(a, "--keep") == 0) {
            o->keep = true;
        } else if (strcmp(a, "--no-ui") == 0) {
            o->ui = false;
        } else if (strcmp(a, "--count") == 0 && i + 1 < argc) {
            o->count = positive(argv[++i]);
        } else if (strcmp(a, "--ui-count") == 0 && i + 1 < argc) {
            o->ui_count = positive(argv[++i]);
        } else if (strcmp(a, "--tmpdir") == 0 && i + 1 < argc) {
            o->tmp_root = argv[++i];
        } else {
            usage();
        }
    }
}

int main(int argc, char **argv)
{
    struct bench *b = calloc(1, sizeof *b);
    if (!b)
        return 1;
    parse_options(argc, argv, &b->opt);
    log_set_level(LOG_WARNING);
    int64_t occurrence = 0;
    if (!tz_use_zone(ZONE) || !rfc3339_parse(NOW_TEXT, &b->now) ||
        !rfc3339_parse(BENCH_STARTS, &occurrence)) {
        fprintf(stderr, "bench_signup: cannot use the zone %s\n", ZONE);
        return 1;
    }
    if (!make_bench_dir(b->dir, b->opt.tmp_root, "bk-bench-signup")) {
        fprintf(stderr, "bench_signup: cannot make a temp dir in %s: %s\n", b->opt.tmp_root,
                strerror(errno));
        return 1;
    }
    row_filesystem(b);
    char err[256] = "";
    if (!open_store(b, err, sizeof err)) {
        add_row(&b->table, "the kiosk's database (sample feed + 1 activity)", "", "FAILED", "%s",
                err);
    } else {
        bench_outbox_add(b, occurrence);
        if (b->opt.ui) {
            char i18n[PATH_MAX];
            snprintf(i18n, sizeof i18n, "%s", BK_CATALOG_DIR);
            b->config = config_new();
            if (b->config)
                b->catalogs =
                    catalogs_load(i18n, (const char *const *)b->config->ui_languages.items,
                                  b->config->ui_languages.n, err, sizeof err);
            if (b->catalogs)
                bench_ui_path(b);
            else
                add_row(&b->table, "2. screens", "", "FAILED", "catalogs: %s", err);
        }
    }
    print_table(&b->table, NULL);
    store_close(b->store);
    catalogs_free(b->catalogs);
    config_free(b->config);
    int rc = 0;
    if (b->table.failures > 0) {
        fprintf(stderr, "bench_signup: %d measurement(s) failed; files kept in %s\n",
                b->table.failures, b->dir);
        rc = 1;
    } else if (b->opt.keep) {
        fprintf(stderr, "bench_signup: files kept in %s\n", b->dir);
    } else {
        remove_tree(b->dir);
    }
    free(b);
    return rc;
}
