/*
 * The resident's screens (automation-v1.md "Screens"), without SDL: a
 * state machine fed by touch input and the clock, that builds a frame
 * (widget tree + draw list) whenever something changed.
 *
 * Coordinates are in the resident's frame (after ui.rotation); the SDL
 * layer turns panel touches into frame coordinates (see rotate.h) before
 * calling in. Times are milliseconds of the one clock (clock.h).
 */
#ifndef BK_UI_H
#define BK_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "model/config.h"
#include "view/frame.h"
#include "view/textlayout.h"
#include "model/i18n.h"
#include "model/store.h"

enum screen {
#define SCREEN_ROW(id, definition) SCREEN_##id,
#include "screens/screen_list.h"
#undef SCREEN_ROW
    SCREEN_COUNT
};

/* "attract", "home", ... as automation-v1 names them. */
const char *screen_name(enum screen s);

/* The screen automation-v1 calls name; false when there is none. */
bool screen_by_name(const char *name, enum screen *out);

/* Staff actions that reach outside the screens: the app carries them out. */
enum staff_request {
    STAFF_REQUEST_SYNC,          /* "sync now": a sync pass at once */
    STAFF_REQUEST_RESTART,       /* restart the kiosk program */
};

struct ui_env {
    struct store *store;          /* the main thread's connection */
    const struct config *config;
    const struct catalogs *catalogs;
    struct clock *clock;
    text_measure_fn measure;
    void *measure_ctx;
    bool has_hub;                 /* sign-up needs a hub to deliver to */
    /* called after a sign-up was stored, to send it at once; may be NULL */
    void (*signup_stored)(void *ctx);
    void *signup_ctx;
    /* staff requests the app carries out; may be NULL */
    void (*staff_request)(void *ctx, enum staff_request request);
    void *staff_ctx;
    const char *db_path;          /* the cache's file: the free-disk line in staff mode and
                                   * the background loader's connection; may be NULL */
    /* After a sync, load the new content on a thread of its own (from
     * db_path) and swap it in when it is ready, calling content_ready(ctx)
     * on that thread to wake the UI thread, which then runs ui_tick. When
     * false (scripts, tests) ui_content_changed loads before it returns. */
    bool load_in_background;
    void (*content_ready)(void *ctx);
    void *content_ctx;
    /* Read-aloud (docs/speech.md): the screens decide what to say and
     * when; these say it. speak queues text in lang's voice after what is
     * queued, stop cuts off what is said and drops the queue, volume sets
     * 0 ... 100 %. Each may be NULL: the screens then speak nothing. */
    void (*speak)(void *ctx, const char *lang, const char *text);
    void (*speech_stop)(void *ctx);
    void (*speech_volume)(void *ctx, int percent);
    void *speech_ctx;
    /* the organisation's logo as the screen loaded it (branding.logo), for
     * DRAW_IMAGE; NULL, or 0 x 0 px, when there is none */
    const char *logo_image;
    int logo_w, logo_h;
};

struct ui;

/* A new UI on the attract screen, frame width x height. NULL when out of
 * memory. The env and everything it points to must outlive the ui. */
struct ui *ui_new(const struct ui_env *env, int width, int height);
void ui_free(struct ui *ui);

/* ---- input ---- */
void ui_touch_down(struct ui *ui, int x, int y);
void ui_touch_move(struct ui *ui, int x, int y);
void ui_touch_up(struct ui *ui, int x, int y);

/* The clock moved on (or just check timers): runs idle timeouts, kinetic
 * scrolling and the minute display. Call before ui_frame() and whenever
 * ui_next_deadline_ms() has passed. */
void ui_tick(struct ui *ui);

/* New content in the store (a sync applied a feed): re-query and redraw,
 * keeping the screen and what is selected where it still exists. With
 * env.load_in_background the new content shows at a later ui_tick. */
void ui_content_changed(struct ui *ui);

/* True while a background load of new content is under way. */
bool ui_content_loading(const struct ui *ui);

/* The last sync's state, for the "updated at" line and the empty-cache
 * screen. */
void ui_set_sync_state(struct ui *ui, int64_t last_ok_at, bool last_failed);

/* Whether the last contact with the hub succeeded (store_sync_state's
 * hub_unreachable, negated): beyond its lease the kiosk offers sign-up
 * only when it can ask the hub. */
void ui_set_hub_reachable(struct ui *ui, bool reachable);

/* True while the done screen waits for the hub's answer; *started_real_ms
 * is when it began, on the monotonic clock (script mode waits for the
 * answer in real time, automation-v1 "Script mode"). */
bool ui_signup_waiting(const struct ui *ui, int64_t *started_real_ms);

/* Why the network thread is not running (it could not open its
 * database, or could not start), for the staff status; NULL when it runs.
 * The text is copied. */
void ui_set_network_problem(struct ui *ui, const char *problem);

/* Language for the resident screens; false when not offered. */
bool ui_set_language(struct ui *ui, const char *lang);

/* ---- output ---- */

/* True when the last built frame is out of date. */
bool ui_needs_frame(const struct ui *ui);

/* Builds the frame if needed and returns it (owned by the ui). */
const struct frame *ui_frame(struct ui *ui);

/* The clock time (ms) at which ui_tick must run next even without input:
 * the idle warning, its countdown, an animation step, the next minute.
 * INT64_MAX when nothing is due. */
int64_t ui_next_deadline_ms(const struct ui *ui);

enum screen ui_screen(const struct ui *ui);

/* True while the screen is dark on purpose (outside display.schedule):
 * the app turns the panel off and the heartbeat says "off". */
bool ui_is_dark(const struct ui *ui);

/* For scripts: where a widget is, even when its list has scrolled it out
 * of view. selector is "#ID" or a label. On success fills item (the
 * item's rect at the current scroll position, possibly outside the
 * viewport) and viewport (its list's viewport, or the whole frame when it
 * is not in a list) and returns true. */
bool ui_locate(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport);

/* True while read-aloud is on (a11y.speak). */
bool ui_speech_on(const struct ui *ui);

/* Frames built so far: a kiosk at rest builds none. */
uint64_t ui_frames_built(const struct ui *ui);

#endif
