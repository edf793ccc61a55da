#include "app/run.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/i18n.h"
#include "base/log.h"
#include "model/outbox.h"
#include "script/script.h"
#include "model/store.h"
#include "base/timeutil.h"
#include "screens/ui.h"
#include "net/ask.h"
#include "model/store_recover.h"
#include "net/sync.h"
#include "sdl/render.h"
#include "sdl/speech.h"
#include "sdl/stop.h"
#include "sdl/window.h"
#include "app/service.h"

#define TAG "run"
/* A kiosk whose cache went read-only on a full disk restarts to write
 * again once a feed swap fits: its WAL can grow to about the database's
 * size. This much on top of that. */
#define DISK_SPARE_MB 1
/* A network thread that could not be started (no memory or threads left)
 * is tried again this often, and at once on staff's "sync now". */
#define NETWORK_THREAD_RETRY_MS 60000
/* What the staff status says while it does not run. */
#define NETWORK_THREAD_NOT_STARTED "no sync: the network thread cannot start"

/* Sleeping without spinning. SDL_WaitEventTimeout really blocks only
 * where the video driver can wait (x11, wayland); on the console (kmsdrm)
 * and headless it polls every millisecond, which keeps a kiosk at rest at
 * a few percent CPU. There the loop blocks in poll() itself: on an eventfd
 * the network thread writes, and on the input devices (read and thrown
 * away here; SDL reads its own descriptors of them). */
#define WAKER_MAX_INPUTS 32

struct waker {
    bool native;                 /* SDL can wait by itself */
    int event_fd;
    int inputs[WAKER_MAX_INPUTS];
    size_t n_inputs;
};

static void waker_open(struct waker *w, const char *driver)
{
    w->native = driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
    w->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->n_inputs = 0;
    glob_t g;
    if (!w->native && glob("/dev/input/event*", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && w->n_inputs < WAKER_MAX_INPUTS; i++) {
            int fd = open(g.gl_pathv[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0)
                w->inputs[w->n_inputs++] = fd;
        }
        globfree(&g);
    }
}

static void waker_close(struct waker *w)
{
    if (w->event_fd >= 0)
        close(w->event_fd);
    for (size_t i = 0; i < w->n_inputs; i++)
        close(w->inputs[i]);
    w->n_inputs = 0;
    w->event_fd = -1;
}

/* Any thread: wakes the main loop. */
static void waker_wake(const struct waker *w)
{
    uint64_t one = 1;
    if (w->event_fd >= 0 && write(w->event_fd, &one, sizeof one) < 0 && errno != EAGAIN)
        return;
}

/* Waits up to timeout_ms for an SDL event; true when one is in ev. */
static bool waker_wait(struct waker *w, SDL_Event *ev, int timeout_ms)
{
    if (w->native || w->event_fd < 0)
        return SDL_WaitEventTimeout(ev, timeout_ms);
    if (SDL_PollEvent(ev))
        return true;
    struct pollfd fds[WAKER_MAX_INPUTS + 1];
    fds[0] = (struct pollfd){.fd = w->event_fd, .events = POLLIN};
    for (size_t i = 0; i < w->n_inputs; i++)
        fds[i + 1] = (struct pollfd){.fd = w->inputs[i], .events = POLLIN};
    /* EINTR (SIGTERM) is fine: SDL has queued its quit event. */
    if (poll(fds, w->n_inputs + 1, timeout_ms) > 0) {
        char drain[512];
        for (size_t i = 0; i <= w->n_inputs; i++)
            if (fds[i].revents & POLLIN)
                while (read(fds[i].fd, drain, sizeof drain) > 0)
                    ;
    }
    return SDL_PollEvent(ev);
}

/* Everything the running kiosk holds, created and destroyed together. */
struct app {
    const struct cli *cli;
    const struct config *cfg;
    const char *db_path;
    struct clock *clock;
    struct sync_settings settings;
    struct store *store;
    struct catalogs *catalogs;
    struct ui_window *window;
    struct ui *ui;
    struct speech *speech;       /* read-aloud; NULL when espeak-ng cannot start */
    struct sync_worker *worker;
    struct asker *asker;         /* sends a new sign-up at once; NULL without a hub */
    Uint32 answer_event;         /* the asker finished a pass */
    int64_t worker_retry_ms;     /* monotonic: when to try starting it again */
    char network_problem[256];   /* what the staff status says of it, "" = fine */
    Uint32 sync_event;
    Uint32 content_event;        /* the background content load finished */
    int64_t applied_at;          /* the content the UI shows */
    bool finger_down;
    SDL_FingerID finger;         /* the finger that drives the UI */
    bool dark;                   /* the panel was switched off for the schedule */
    struct waker waker;
    bool restart;                /* staff asked for a restart */
    /* SQLite met a corrupt page after the start's check (set from any
     * thread, store_recover_watch); corrupt_noted: the log said so. */
    atomic_bool corrupt;
    bool corrupt_noted;
    /* give_back_heap: the screen and the content load last seen, and
     * whether memory was freed since the last trim. */
    enum screen heap_screen;
    bool heap_loading, heap_trim_due;
    Uint32 stop_event;           /* SIGTERM or SIGINT came (sdl/stop.h) */
    struct stopper *stopper;     /* the thread that waits for them */
};

/* Any thread: queues an event of type for the main loop and wakes it
 * (SDL_PushEvent is safe from any thread). */
static void post_event(const struct app *app, Uint32 type)
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = type;
    SDL_PushEvent(&ev);
    waker_wake(&app->waker);
}

/* Called on the signal thread after it posted the stop event. */
static void wake_loop(void *ctx)
{
    const struct app *app = ctx;
    waker_wake(&app->waker);
}

/* Called on the network thread after every pass. */
static void on_sync_pass(void *ctx)
{
    const struct app *app = ctx;
    post_event(app, app->sync_event);
}

/* Called on the asker's thread after it sent the outbox. */
static void on_answered(void *ctx)
{
    const struct app *app = ctx;
    post_event(app, app->answer_event);
}

/* Called on the content loader's thread: new content is ready for the
 * screens, which take it at the loop's next ui_tick. */
static void on_content_ready(void *ctx)
{
    const struct app *app = ctx;
    post_event(app, app->content_event);
}

/* Script mode waits this long at most for queued speech to be heard
 * (automation-v1 "Script mode"). */
#define SCRIPT_SPEECH_DRAIN_MS 10000

/* The network thread's trouble in the staff status (NULL or "" = none). */
static void show_network_problem(struct app *app, const char *problem)
{
    if (!problem)
        problem = "";
    if (strcmp(problem, app->network_problem) == 0)
        return; /* no frame for nothing new */
    snprintf(app->network_problem, sizeof app->network_problem, "%s", problem);
    ui_set_network_problem(app->ui, problem[0] ? problem : NULL);
}

/* Starts the network thread, or says in the staff status that it could
 * not start and plans another try. */
static void start_network_thread(struct app *app)
{
    app->settings.read_only = store_is_read_only(app->store);
    app->worker = sync_worker_start(app->db_path, &app->settings, app->clock, on_sync_pass, app);
    if (app->worker) {
        /* A thread started again later must know the panel is dark. */
        sync_worker_set_screen(app->worker, app->dark ? SYNC_SCREEN_OFF : SYNC_SCREEN_ON);
        show_network_problem(app, NULL);
        return;
    }
    if (strcmp(app->network_problem, NETWORK_THREAD_NOT_STARTED) != 0)
        log_error(TAG, "cannot start the network thread; showing the cache only, trying again");
    show_network_problem(app, NETWORK_THREAD_NOT_STARTED);
    app->worker_retry_ms = clock_monotonic_ms() + NETWORK_THREAD_RETRY_MS;
}

/* Re-reads the sync state; reloads the screens when the content changed. */
static void refresh_from_store(struct app *app)
{
    if (app->worker) {
        char problem[sizeof app->network_problem];
        sync_worker_problem(app->worker, problem, sizeof problem);
        show_network_problem(app, problem);
    }
    /* The meta values alone: counting the tables after every pass would
     * hold up the UI thread for tens of ms on a large feed. */
    struct store_sync_state st;
    if (!store_sync_state(app->store, &st))
        return;
    ui_set_sync_state(app->ui, st.last_sync_ok_at, st.last_sync_failed);
    ui_set_hub_reachable(app->ui, !st.hub_unreachable);
    /* A cache opened read-only on a full disk stays read-only until the
     * kiosk starts again; under systemd (Restart=always) start again as
     * soon as there is room, so that sync and sign-ups work again. */
    int64_t free_mb = 0;
    struct stat db;
    if (store_is_read_only(app->store) && service_managed() && stat(app->db_path, &db) == 0 &&
        outbox_disk_free_mb(app->store, &free_mb) &&
        free_mb >= (int64_t)(db.st_size / (1024 * 1024)) + DISK_SPARE_MB) {
        log_info(TAG, "the disk has room again (%lld MiB): restarting to write the cache",
                 (long long)free_mb);
        app->restart = true;
    }
    if (st.feed_applied_at != app->applied_at) {
        app->applied_at = st.feed_applied_at;
        store_refresh_occurrences(app->store, clock_now_s(app->clock), false);
        ui_content_changed(app->ui);
    }
}

/* A sign-up was stored: send it now rather than at the next interval. */
static void on_signup_stored(void *ctx)
{
    struct app *app = ctx;
    if (app->asker)
        asker_ask(app->asker, clock_now_s(app->clock));
    else if (app->worker)
        sync_worker_wake_outbox(app->worker);
}

/* The hub answered (or could not be reached): the screens look again, and
 * the feed is pulled again, since the lease it gave for that occurrence
 * may no longer be all this kiosk holds (spec-notes, "four things", 4). */
static void answered(struct app *app)
{
    refresh_from_store(app);
    ui_tick(app->ui);
    if (app->worker)
        sync_worker_request(app->worker);
}

/* Staff actions that reach outside the UI. */
static void on_staff_request(void *ctx, enum staff_request request)
{
    struct app *app = ctx;
    switch (request) {
    case STAFF_REQUEST_SYNC:
        if (app->worker) {
            /* A worker without its database tries it again at once; the
             * staff status already says why it could not. */
            sync_worker_request(app->worker);
        } else if (app->cli->script) {
            /* Script mode has no network thread: staff's "sync now" runs here. */
            struct sync_outcome out;
            sync_pass(app->store, &app->settings, clock_now_s(app->clock), &out);
            feed_report_clear(&out.report);
            refresh_from_store(app);
        } else {
            /* The thread did not start: try again now rather than block the
             * screen with a pass; the staff status says if it fails again. */
            start_network_thread(app);
        }
        break;
    case STAFF_REQUEST_RESTART:
        log_info(TAG, "restarting at the request of staff");
        app->restart = true;
        break;
    }
}

static bool app_open(struct app *app, char *err, size_t err_len)
{
    if (!cli_sync_settings(app->cfg, &app->settings, err, err_len))
        return false;
    app->store = store_open_checked(app->db_path, err, err_len);
    if (!app->store)
        return false;
    store_refresh_occurrences(app->store, clock_now_s(app->clock), false);
    /* Before the first sign-up can be stored: sealed to the pinned key. */
    sync_pin_seal_key(app->store, &app->settings);

    char dir[4096];
    cli_catalog_dir(dir, sizeof dir);
    /* The offered languages, and staff.language: staff mode may open in a
     * language residents are not offered. */
    const char *langs[CONFIG_MAX_LIST + 1];
    size_t n_langs = 0;
    bool staff_offered = false;
    for (size_t i = 0; i < app->cfg->ui_languages.n; i++) {
        langs[n_langs++] = app->cfg->ui_languages.items[i];
        staff_offered = staff_offered || strcmp(app->cfg->ui_languages.items[i],
                                                app->cfg->staff_language) == 0;
    }
    if (!staff_offered)
        langs[n_langs++] = app->cfg->staff_language;
    app->catalogs = catalogs_load(dir, langs, n_langs, err, err_len);
    if (!app->catalogs)
        return false;

    struct ui_window_options opt = {
        .width = app->cli->width,
        .height = app->cli->height,
        .fullscreen = !app->cli->windowed && !app->cli->headless,
        .headless = app->cli->headless,
        .rotation = app->cfg->ui_rotation,
    };
    app->window = ui_window_open(&opt, err, err_len);
    if (!app->window)
        return false;
    int fw, fh;
    ui_window_frame_size(app->window, &fw, &fh);
    /* The config has checked the logo's file; a picture that still fails
     * to decode costs the logo, never the screen. */
    const char *logo_image = app->cfg->branding_logo;
    int logo_w = 0, logo_h = 0;
    char logo_err[512];
    if (logo_image && !renderer_load_image(ui_window_renderer(app->window), logo_image, &logo_w,
                                           &logo_h, logo_err, sizeof logo_err)) {
        log_warn(TAG, "branding.logo: %s; showing no logo", logo_err);
        logo_image = NULL;
    }
    /* Read-aloud: a kiosk without it still shows everything; a test that
     * asked for the speech log must get one. */
    char speech_err[256] = "";
    app->speech = speech_open(app->cli->speech_log, speech_err, sizeof speech_err);
    if (!app->speech) {
        if (app->cli->speech_log) {
            snprintf(err, err_len, "--speech-log: %s", speech_err);
            return false;
        }
        log_warn(TAG, "no read-aloud: %s", speech_err);
    }
    struct ui_env env = {
        .store = app->store,
        .config = app->cfg,
        .catalogs = app->catalogs,
        .clock = app->clock,
        .measure = renderer_measure,
        .measure_ctx = ui_window_renderer(app->window),
        .has_hub = app->settings.hub_url[0] != '\0',
        .signup_stored = on_signup_stored,
        .signup_ctx = app,
        .staff_request = on_staff_request,
        .staff_ctx = app,
        .db_path = app->db_path,
        /* The running kiosk reloads after a sync off the UI thread; a
         * script steps the clock itself and wants each sync shown at once. */
        .load_in_background = !app->cli->script,
        .content_ready = on_content_ready,
        .content_ctx = app,
        .logo_image = logo_image,
        .logo_w = logo_w,
        .logo_h = logo_h,
        .speak = app->speech ? speech_env_say : NULL,
        .speech_stop = app->speech ? speech_env_stop : NULL,
        .speech_volume = app->speech ? speech_env_volume : NULL,
        .speech_ctx = app->speech,
    };
    app->sync_event = SDL_RegisterEvents(4);
    app->content_event = app->sync_event + 1;
    app->answer_event = app->sync_event + 2;
    app->stop_event = app->sync_event + 3;
    if (!app->cli->script) {
        waker_open(&app->waker, ui_window_driver(app->window));
        app->stopper = stopper_start(app->stop_event, wake_loop, app);
        if (!app->stopper) {
            snprintf(err, err_len, "cannot start the thread that takes SIGTERM");
            return false;
        }
    }
    app->ui = ui_new(&env, fw, fh);
    if (!app->ui) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    if (app->cli->lang && !ui_set_language(app->ui, app->cli->lang)) {
        snprintf(err, err_len, "--lang %s is not one of ui.languages", app->cli->lang);
        return false;
    }
    /* Script mode too: a confirmed sign-up is sent at once when a hub is
     * set (automation-v1 "Script mode"). Without it the network thread
     * sends it at its next pass and the screen says "received". */
    if (app->settings.hub_url[0] && !store_is_read_only(app->store)) {
        app->asker = asker_start(app->db_path, &app->settings, on_answered, app);
        if (!app->asker)
            log_warn(TAG, "cannot start sending sign-ups at once; the network thread sends them");
    }
    /* ui_new has just loaded what the cache holds. */
    struct store_sync_state st;
    if (store_sync_state(app->store, &st))
        app->applied_at = st.feed_applied_at;
    refresh_from_store(app);
    return true;
}

static void app_close(struct app *app)
{
    /* The threads that wake the loop end before the waker goes: the
     * signal thread, the network thread, then the screens' content
     * loader (in ui_free). */
    stopper_stop(app->stopper);
    sync_worker_stop(app->worker);
    asker_stop(app->asker);
    ui_free(app->ui);
    speech_close(app->speech);
    waker_close(&app->waker);
    ui_window_close(app->window);
    catalogs_free(app->catalogs);
    store_close(app->store);
}

static void present(struct app *app)
{
    ui_window_present(app->window, ui_frame(app->ui));
}

/* ---- script mode ---- */

static bool script_screenshot(void *ctx, const char *path, char *err, size_t err_len)
{
    struct app *app = ctx;
    present(app);
    if (!ui_window_save_png(app->window, path)) {
        snprintf(err, err_len, "cannot write %s", path);
        return false;
    }
    return true;
}

static bool script_sync(void *ctx, char *err, size_t err_len)
{
    struct app *app = ctx;
    struct sync_outcome out;
    sync_pass(app->store, &app->settings, clock_now_s(app->clock), &out);
    feed_report_clear(&out.report);
    refresh_from_store(app);
    (void)err;
    (void)err_len;
    return true;
}

static int run_script(struct app *app)
{
    FILE *f = fopen(app->cli->script, "rb");
    if (!f) {
        fprintf(stderr, "buurtkiosk: cannot read %s\n", app->cli->script);
        return 2;
    }
    /* One byte more than the parser takes, so that it can say "too large". */
    size_t cap = ((size_t)1 << 20) + 1;
    char *text = malloc(cap);
    size_t len = text ? fread(text, 1, cap, f) : 0;
    fclose(f);
    if (!text) {
        fprintf(stderr, "buurtkiosk: out of memory\n");
        return 1;
    }
    struct script script;
    char err[512];
    bool parsed = script_parse(text, len, &script, err, sizeof err);
    free(text);
    if (!parsed) {
        /* A script that does not parse is bad input, like a bad command line. */
        fprintf(stderr, "%s: %s\n", app->cli->script, err);
        return 2;
    }
    struct script_host host = {
        .ui = app->ui,
        .clock = app->clock,
        .screenshot = script_screenshot,
        .sync = script_sync,
        .ctx = app,
    };
    bool ok = script_run(&script, &host, err, sizeof err);
    script_free(&script);
    if (!ok) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    /* A screen the last step opened says itself when its frame is built;
     * then what is queued is heard before the kiosk exits. */
    ui_frame(app->ui);
    if (!speech_drain(app->speech, SCRIPT_SPEECH_DRAIN_MS))
        log_info(TAG, "speech still queued after %d ms: cut off", SCRIPT_SPEECH_DRAIN_MS);
    return 0;
}

/* ---- the event loop ---- */

static void touch_event(struct app *app, const SDL_Event *ev)
{
    int x = 0, y = 0;
    switch (ev->type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* Touches also arrive as finger events; skip SDL's mouse copies. */
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            return;
        ui_window_touch_to_frame(app->window, ev->button.x, ev->button.y, &x, &y);
        if (ev->type == SDL_MOUSEBUTTONDOWN)
            ui_touch_down(app->ui, x, y);
        else
            ui_touch_up(app->ui, x, y);
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !(ev->motion.state & SDL_BUTTON_LMASK))
            return;
        ui_window_touch_to_frame(app->window, ev->motion.x, ev->motion.y, &x, &y);
        ui_touch_move(app->ui, x, y);
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
        /* One finger drives the kiosk; a second one is ignored. */
        if (ev->type == SDL_FINGERDOWN) {
            if (app->finger_down)
                return;
            app->finger_down = true;
            app->finger = ev->tfinger.fingerId;
        } else if (!app->finger_down || ev->tfinger.fingerId != app->finger) {
            return;
        }
        if (ev->type == SDL_FINGERUP)
            app->finger_down = false;
        ui_window_finger_to_frame(app->window, ev->tfinger.x, ev->tfinger.y, &x, &y);
        if (ev->type == SDL_FINGERDOWN)
            ui_touch_down(app->ui, x, y);
        else if (ev->type == SDL_FINGERMOTION)
            ui_touch_move(app->ui, x, y);
        else
            ui_touch_up(app->ui, x, y);
        break;
    default:
        break;
    }
}

/* Corruption met while running (docs/spec-notes.md "Corruption met while
 * running"). The file cannot be moved aside under the connections the
 * screens and the network thread hold, so the kiosk does what its start
 * does: it ends (systemd starts it again at once), and the start moves
 * the file aside, rescues the unsent sign-ups and lets the first sync
 * fill a fresh cache. Until then it keeps showing what it has, and it
 * waits for a moment nobody is using the screen: the attract screen, or
 * the panel dark. Not under systemd nobody would start it again: it only
 * says so. */
static void restart_for_corruption(struct app *app)
{
    bool managed = service_managed();
    if (!app->corrupt_noted) {
        app->corrupt_noted = true;
        log_error(TAG, "SQLite reports %s corrupt while running: %s", app->db_path,
                  managed ? "restarting when nobody uses the screen, to move it aside and "
                            "rescue the unsent sign-ups"
                          : "restart the kiosk to move it aside and rescue the unsent "
                            "sign-ups");
    }
    if (managed && !app->restart && (app->dark || ui_screen(app->ui) == SCREEN_ATTRACT)) {
        log_info(TAG, "restarting to replace the corrupt cache");
        app->restart = true;
    }
}

/* A kiosk runs for years, and its heap must not creep. A feed pass and
 * the content reload after it free megabytes (the apply's page cache,
 * the parsed feed, the old content), but glibc keeps free pages in RSS
 * as long as one small block above them lives (the soak: +5.3 MiB after
 * warm-up with a trim in the network thread alone, bench/README.md "The
 * soak"). So the free pages go back once the reload is done and nobody
 * is using the screen: on the attract screen after a reload, or on
 * coming back to it. The screen's SQLite page cache goes first, so that
 * what stays at rest does not depend on which screens were read last
 * (each other connection empties its own when its thread goes idle). A
 * large trim takes tens of milliseconds, which the attract screen can
 * spare and a resident's tap should not wait for. */
static void give_back_heap(struct app *app)
{
    enum screen screen = ui_screen(app->ui);
    bool loading = ui_content_loading(app->ui);
    if ((app->heap_loading && !loading) || screen != app->heap_screen)
        app->heap_trim_due = true;
    app->heap_loading = loading;
    app->heap_screen = screen;
    if (app->heap_trim_due && !loading && screen == SCREEN_ATTRACT) {
        store_release_memory(app->store);
        malloc_trim(0);
        app->heap_trim_due = false;
    }
}

static int run_loop(struct app *app)
{
    int64_t day = tz_start_of_day(clock_now_s(app->clock));
    int64_t watchdog_ms = service_watchdog_ms();
    bool ready = false;
    for (;;) {
        ui_tick(app->ui);
        if (ui_needs_frame(app->ui))
            present(app);
        if (!ready) {
            service_ready();
            ready = true;
            /* Only now the network thread: the cache is on screen first. */
            start_network_thread(app);
        } else if (!app->worker && clock_monotonic_ms() >= app->worker_retry_ms) {
            start_network_thread(app);
        }
        /* The loop came round: it is alive. A hung loop stops petting. */
        if (watchdog_ms)
            service_watchdog_pet();
        if (ui_is_dark(app->ui) != app->dark) {
            app->dark = ui_is_dark(app->ui);
            if (!app->cli->headless)
                service_run_display_command(app->dark ? app->cfg->display_off_command
                                                      : app->cfg->display_on_command);
            if (app->worker)
                sync_worker_set_screen(app->worker, app->dark ? SYNC_SCREEN_OFF : SYNC_SCREEN_ON);
        }
        give_back_heap(app);
        if (atomic_load(&app->corrupt))
            restart_for_corruption(app);
        if (app->restart) {
            /* systemd's Restart=always brings the kiosk back. */
            return 0;
        }
        /* Sleep until the UI's next deadline, and at least once a minute
         * to notice a new day. Nothing happening means no frames. */
        int64_t now = clock_now_ms(app->clock);
        int64_t deadline = ui_next_deadline_ms(app->ui);
        int64_t minute = (now / 60000 + 1) * 60000;
        if (minute < deadline)
            deadline = minute;
        if (watchdog_ms && now + watchdog_ms / 2 < deadline)
            deadline = now + watchdog_ms / 2;
        int timeout = deadline <= now ? 0 : (int)(deadline - now);
        SDL_Event ev;
        if (!waker_wait(&app->waker, &ev, timeout))
            goto timers;
        do {
            switch (stop_classify(&ev, app->stop_event)) {
            case STOP_EVENT_STOP:
                log_info(TAG, "stopping on %s", ev.user.code == SIGINT ? "SIGINT" : "SIGTERM");
                return 0;
            case STOP_EVENT_IGNORED:
                /* Alt+F4 and the like: a kiosk ends only by signal. */
                log_info(TAG, "ignored a request to close the window");
                continue;
            case STOP_EVENT_OTHER:
                break;
            }
            if (ev.type == app->sync_event)
                refresh_from_store(app);
            else if (ev.type == app->answer_event)
                answered(app);
            else if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_EXPOSED)
                ui_window_redisplay(app->window);
            else
                touch_event(app, &ev);
        } while (SDL_PollEvent(&ev));
    timers:;
        int64_t today = tz_start_of_day(clock_now_s(app->clock));
        if (today != day) {
            day = today;
            store_refresh_occurrences(app->store, clock_now_s(app->clock), false);
            ui_content_changed(app->ui);
        }
    }
}

int run_kiosk(const struct cli *cli, const struct config *cfg, const char *db_path,
              struct clock *clock)
{
    struct app app = {.cli = cli, .cfg = cfg, .db_path = db_path, .clock = clock,
                      .waker = {.event_fd = -1}};
    if (cli->script) {
        /* Script mode: the clock moves only when a step moves it. */
        clock_init_manual(clock, cli->has_now ? cli->now : clock_now_s(clock));
    }
    if (!cli->headless && geteuid() == 0) {
        /* A kiosk on a screen faces anyone in the room: what a crash or a
         * key might open must not run as root. Headless runs draw into
         * memory only; CI and the tests run them as root (spec-notes,
         * "Never as root"). */
        fprintf(stderr, "buurtkiosk: refusing to run on a screen as root; run it as an "
                        "unprivileged user (buurtkiosk.service runs it as the user "
                        "buurtkiosk), or with --headless\n");
        return 2;
    }
    char err[512] = "";
    int rc;
    /* Before any thread starts, so that all of them leave SIGTERM and
     * SIGINT to the one that waits for them (sdl/stop.h). Script mode
     * keeps the default: a signal ends it at once. */
    if (!cli->script && !stop_block_signals()) {
        fprintf(stderr, "buurtkiosk: cannot block SIGTERM for its thread\n");
        return 1;
    }
    /* Before the first connection: SQLite takes its log callback only then. */
    atomic_init(&app.corrupt, false);
    bool watching = store_recover_watch(&app.corrupt);
    if (!watching)
        log_warn(TAG, "cannot watch SQLite for corruption while running");
    bool opened = app_open(&app, err, sizeof err);
    /* What the start's check met it has dealt with (the file moved aside). */
    atomic_store(&app.corrupt, false);
    if (!opened) {
        fprintf(stderr, "buurtkiosk: %s\n", err);
        rc = 1;
    } else if (cli->script) {
        rc = run_script(&app);
    } else {
        int fw, fh;
        ui_window_frame_size(app.window, &fw, &fh);
        log_info(TAG, "showing %dx%d on the %s video driver", fw, fh, ui_window_driver(app.window));
        rc = run_loop(&app);
    }
    app_close(&app);
    if (watching)
        store_recover_unwatch();
    return rc;
}
