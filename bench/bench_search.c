/*
 * bench_search: search on a cache of N activities (10,000; bench/feedgen.h),
 * software rendering, headless. It measures:
 *   s1. applying the feed, the search index included (info)
 *   s2. store_search alone, per key typed (p50, p99: info)
 *   s3. a key tapped on the search screen to the next frame with its hits
 *       presented, through ui_touch_down/up, ui_tick, ui_frame and the
 *       renderer, as the kiosk draws it: p99 <= 30 ms
 * The typed words are the feed's own titles, typos and all: prefixes of
 * "koffieochtend", "kofie", "taalcafe", "huiswerk", "sinterklaas" and a
 * word with no hits, each typed key by key and wiped with backspace.
 * It prints one table. Missing a target is reported as MISSED and still
 * exits 0 (this is a report, not a test); exit status 1 means a
 * measurement could not be made at all.
 *
 *   bench_search [--activities N] [--tmpdir DIR] [--keep]
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/timeutil.h"
#include "benchlib.h"
#include "feedgen.h"
#include "model/config.h"
#include "model/i18n.h"
#include "model/store.h"
#include "screens/ui.h"
#include "sdl/render.h"
#include "sdl/window.h"
#include "view/frame.h"

static const char *const words[] = {"koffieochtend", "kofie", "taalcafe", "huiswerk",
                                    "sinterklaas", "xyzzyq"};

#define MAX_SAMPLES 1024

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct rig {
    struct clock clock;
    struct store *store;
    struct ui_window *window;
    struct ui *ui;
    struct config *config;
    struct catalogs *catalogs;
};

static bool tap(struct rig *r, const char *id)
{
    char selector[128];
    snprintf(selector, sizeof selector, "#%s", id);
    struct rect item, viewport;
    ui_frame(r->ui);
    if (!ui_locate(r->ui, selector, &item, &viewport))
        return false;
    int x = item.x + item.w / 2, y = item.y + item.h / 2;
    ui_touch_down(r->ui, x, y);
    clock_advance_ms(&r->clock, 80);
    ui_tick(r->ui);
    ui_touch_up(r->ui, x, y);
    ui_tick(r->ui);
    ui_window_present(r->window, ui_frame(r->ui));
    return true;
}

static bool has_hit_or_help(struct rig *r)
{
    const struct frame *f = ui_frame(r->ui);
    for (size_t i = 0; i < f->n_widgets; i++)
        if (f->widgets[i].role == ROLE_ITEM || strcmp(f->widgets[i].id, "search.help") == 0)
            return true;
    return false;
}

struct count {
    size_t n;
};

static bool count_hit(void *ctx, const struct search_hit *hit)
{
    (void)hit;
    ((struct count *)ctx)->n++;
    return true;
}

static void add_times(struct table *t, const char *measure, const char *target, double *v,
                      size_t n, double limit)
{
    qsort(v, n, sizeof *v, compare_double);
    char p50[32], p99[32], max[32];
    fmt_ms(p50, sizeof p50, percentile_sorted(v, n, 50));
    fmt_ms(p99, sizeof p99, percentile_sorted(v, n, 99));
    fmt_ms(max, sizeof max, v[n - 1]);
    add_row(t, measure, target, limit > 0 ? verdict(percentile_sorted(v, n, 99), limit) : "info",
            "p50 %s, p99 %s, max %s (%zu)", p50, p99, max, n);
}

int main(int argc, char **argv)
{
    size_t n_activities = 10000;
    const char *tmp_root = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    bool keep = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--activities") == 0 && i + 1 < argc)
            n_activities = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--tmpdir") == 0 && i + 1 < argc)
            tmp_root = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = true;
        else {
            fprintf(stderr, "usage: bench_search [--activities N] [--tmpdir DIR] [--keep]\n");
            return 2;
        }
    }
    tz_use_zone("Europe/Amsterdam");
    struct table table = {.n = 0};
    char dir[DIR_MAX], db[PATH_MAX], err[256] = "";
    if (!make_bench_dir(dir, tmp_root, "bench-search")) {
        perror("bench_search: temp dir");
        return 1;
    }
    snprintf(db, sizeof db, "%s/kiosk.db", dir);
    int64_t now = 0;
    rfc3339_parse("2026-11-25T10:00:00+01:00", &now);

    struct rig r = {0};
    clock_init_manual(&r.clock, now);
    struct feedgen_config cfg;
    feedgen_config_default(&cfg, n_activities);
    size_t len = 0;
    char *feed = feedgen_generate(&cfg, &len);
    r.store = feed ? store_open(db, err, sizeof err) : NULL;
    int status = 1;
    if (!r.store)
        goto end;
    struct feed_report report;
    double t0 = now_ms();
    enum feed_result applied = store_apply_feed(r.store, feed, len, NULL, now, &report);
    double apply_ms = now_ms() - t0;
    feed_report_clear(&report);
    if (applied != FEED_ACCEPTED) {
        fprintf(stderr, "bench_search: the generated feed was not applied\n");
        goto end;
    }
    char ms[32];
    fmt_ms(ms, sizeof ms, apply_ms);
    add_row(&table, "s1. apply the feed, search index included", "-", "info", "%s (%zu activities)",
            ms, n_activities);

    /* s2: the store alone */
    static double samples[MAX_SAMPLES];
    size_t n = 0;
    for (int round = 0; round < 3; round++)
        for (size_t w = 0; w < sizeof words / sizeof *words; w++)
            for (size_t k = 1; k <= strlen(words[w]) && n < MAX_SAMPLES; k++) {
                char typed[64];
                snprintf(typed, sizeof typed, "%.*s", (int)k, words[w]);
                struct count c = {0};
                double s = now_ms();
                if (!store_search(r.store, typed, now, 50, count_hit, &c)) {
                    fprintf(stderr, "bench_search: store_search failed\n");
                    goto end;
                }
                samples[n++] = now_ms() - s;
            }
    add_times(&table, "s2. store_search per key typed", "-", samples, n, 0);

    /* s3: the screen */
    r.config = config_new();
    const char *langs[] = {"nl", "en"};
    r.catalogs = catalogs_load(BK_CATALOG_DIR, langs, 2, err, sizeof err);
    struct ui_window_options o = {.width = 1080, .height = 1920, .headless = true};
    r.window = r.config && r.catalogs ? ui_window_open(&o, err, sizeof err) : NULL;
    if (!r.window)
        goto end;
    int fw, fh;
    ui_window_frame_size(r.window, &fw, &fh);
    struct ui_env env = {
        .store = r.store,
        .config = r.config,
        .catalogs = r.catalogs,
        .clock = &r.clock,
        .measure = renderer_measure,
        .measure_ctx = ui_window_renderer(r.window),
    };
    r.ui = ui_new(&env, fw, fh);
    if (!r.ui || !tap(&r, "attract") || !tap(&r, "home.search")) {
        fprintf(stderr, "bench_search: cannot reach the search screen\n");
        goto end;
    }
    n = 0;
    for (int round = 0; round < 3; round++)
        for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
            for (size_t k = 0; k < strlen(words[w]) && n < MAX_SAMPLES; k++) {
                char key[16];
                snprintf(key, sizeof key, "key.%c", words[w][k]);
                double s = now_ms();
                if (!tap(&r, key) || !has_hit_or_help(&r)) {
                    fprintf(stderr, "bench_search: %s did not show hits or help\n", key);
                    goto end;
                }
                /* the 80 ms the finger rests are the clock's, not the CPU's */
                samples[n++] = now_ms() - s;
            }
            for (size_t k = 0; k < strlen(words[w]); k++)
                tap(&r, "key.backspace");
        }
    add_times(&table, "s3. key tapped to the next frame with hits (1080x1920)", "p99 <= 30 ms",
              samples, n, 30);
    status = 0;
end:
    if (status)
        fprintf(stderr, "bench_search: %s (files kept in %s)\n", err[0] ? err : "failed", dir);
    print_table(&table, NULL);
    ui_free(r.ui);
    ui_window_close(r.window);
    catalogs_free(r.catalogs);
    config_free(r.config);
    store_close(r.store);
    free(feed);
    if (!status && !keep)
        remove_tree(dir);
    return status;
}
