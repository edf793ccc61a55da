#include "app/run.h"

#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/store.h"
#include "core/timeutil.h"
#include "net/sync.h"
#include "ui/window.h"

#define TAG "run"

struct content_signal {
    Uint32 event_type;
};

/* Called on the network thread: SDL_PushEvent is safe from any thread. */
static void on_content_changed(void *ctx)
{
    const struct content_signal *signal = ctx;
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = signal->event_type;
    SDL_PushEvent(&ev);
}

static void read_summary(struct store *store, struct ui_summary *out)
{
    struct store_status st;
    memset(out, 0, sizeof *out);
    if (!store_status(store, &st))
        return;
    out->locations = st.locations;
    out->activities = st.activities;
    out->services = st.services;
    out->announcements = st.announcements;
    if (st.last_sync_ok_at) {
        struct local_time lt;
        tz_to_local(st.last_sync_ok_at, &lt);
        snprintf(out->updated_at, sizeof out->updated_at, "%02d:%02d", lt.hour, lt.minute);
    }
    if (st.has_last_sync_error)
        snprintf(out->problem, sizeof out->problem, "%s", st.last_sync_error);
}

int run_kiosk(const struct cli *cli, const struct config *cfg, const char *db_path,
              struct clock *clock)
{
    if (cli->script) {
        fprintf(stderr, "buurtkiosk: --script needs the resident screens, which this build "
                        "does not have yet\n");
        return 2;
    }
    struct sync_settings settings;
    char err[512] = "";
    if (!cli_sync_settings(cfg, &settings, err, sizeof err)) {
        fprintf(stderr, "buurtkiosk: %s\n", err);
        return 2;
    }
    struct store *store = store_open(db_path, err, sizeof err);
    if (!store) {
        fprintf(stderr, "buurtkiosk: %s\n", err);
        return 1;
    }
    store_refresh_occurrences(store, clock_now_s(clock), false);

    struct ui_window_options opt = {
        .width = cli->width,
        .height = cli->height,
        .fullscreen = !cli->windowed && !cli->headless,
        .headless = cli->headless,
    };
    struct ui_window *window = ui_window_open(&opt, err, sizeof err);
    if (!window) {
        fprintf(stderr, "buurtkiosk: %s\n", err);
        store_close(store);
        return 1;
    }
    struct content_signal signal = {.event_type = SDL_RegisterEvents(1)};
    struct sync_worker *worker =
        sync_worker_start(db_path, &settings, clock, on_content_changed, &signal);
    if (!worker)
        log_error(TAG, "cannot start the network thread; showing the cache only");

    bool dirty = true;
    bool running = true;
    int64_t day = tz_start_of_day(clock_now_s(clock));
    while (running) {
        if (dirty) {
            struct ui_summary summary;
            read_summary(store, &summary);
            ui_window_show_summary(window, &summary);
            dirty = false;
        }
        /* Sleep until the next minute at the latest, to notice a new day. */
        int64_t now_ms = clock_now_ms(clock);
        int timeout = (int)(60000 - now_ms % 60000);
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, timeout)) {
            do {
                if (ev.type == SDL_QUIT)
                    running = false;
                else if (ev.type == signal.event_type)
                    dirty = true;
                else if (ev.type == SDL_WINDOWEVENT &&
                         (ev.window.event == SDL_WINDOWEVENT_EXPOSED ||
                          ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED))
                    dirty = true;
            } while (SDL_PollEvent(&ev));
        }
        int64_t today = tz_start_of_day(clock_now_s(clock));
        if (today != day) {
            day = today;
            store_refresh_occurrences(store, clock_now_s(clock), false);
            dirty = true;
        }
    }
    sync_worker_stop(worker);
    ui_window_close(window);
    store_close(store);
    return 0;
}
