/*
 * The screens' public face (ui.h): the table of screens, the UI's life,
 * what it is told from outside (new content, sync state, language), and
 * the frame it builds for the renderer. Navigation is in nav.c, touch in
 * input.c, time in timers.c, each screen in a file of its own.
 */
#include "screens/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "screens/screens.h"
#include "view/bidi.h"
#include "view/mirror.h"

#define TAG "ui"

/* ---- the screens ---- */

#define SCREEN_ROW(id, definition) extern const struct screen_def definition;
#include "screens/screen_list.h"
#undef SCREEN_ROW

static const struct screen_def *const screens[SCREEN_COUNT] = {
#define SCREEN_ROW(id, definition) [SCREEN_##id] = &definition,
#include "screens/screen_list.h"
#undef SCREEN_ROW
};

const struct screen_def *screen_def(enum screen s)
{
    return screens[(unsigned)s < SCREEN_COUNT ? s : SCREEN_ATTRACT];
}

const char *screen_name(enum screen s)
{
    return (unsigned)s < SCREEN_COUNT ? screens[s]->name : "unknown";
}

bool screen_by_name(const char *name, enum screen *out)
{
    for (int s = 0; s < SCREEN_COUNT; s++) {
        if (strcmp(screens[s]->name, name) == 0) {
            *out = (enum screen)s;
            return true;
        }
    }
    return false;
}

/* ---- content ---- */

static struct content_env content_env_of(const struct ui *ui)
{
    return (struct content_env){.catalogs = ui->env.catalogs, .config = ui->env.config};
}

void ui_content_request(const struct ui *ui, unsigned parts, struct content_request *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->lang, sizeof out->lang, "%s", ui->lang);
    out->now = ui_now_s(ui);
    ui_filter_window(ui, ui->time_filter, &out->list_from, &out->list_until);
    snprintf(out->theme, sizeof out->theme, "%s", ui->theme_filter);
    snprintf(out->topic, sizeof out->topic, "%s", ui->topic_filter);
    snprintf(out->activity_id, sizeof out->activity_id, "%s", ui->here.activity_id);
    out->occurrence = ui->here.occurrence;
    snprintf(out->service_id, sizeof out->service_id, "%s", ui->here.service_id);
    /* The search screen types into the form's remark field (search.c). */
    if (ui->screen == SCREEN_SEARCH) {
        size_t n = strnlen(ui->form.value[FIELD_REMARK], sizeof out->search - 1);
        memcpy(out->search, ui->form.value[FIELD_REMARK], n);
        out->search[n] = '\0';
    }
    out->parts = parts;
}

void ui_load(struct ui *ui, unsigned parts)
{
    struct content_request req;
    ui_content_request(ui, parts, &req);
    struct content_env env = content_env_of(ui);
    content_load(&ui->content, ui->env.store, &env, &req);
    ui->dirty = true;
}

/* Everything the current place shows, for a reload after a sync. */
static unsigned shown_parts(const struct ui *ui)
{
    /* The activity list stays loaded behind the activity and the form. */
    return CONTENT_BASE | screen_def(ui->screen)->content |
           (ui->content.loaded & CONTENT_OCCURRENCES);
}

/* True when a content loaded for req still shows the place the screens
 * are at now: same language, list, topic, activity and service. */
static bool fits_place(const struct ui *ui, const struct content_request *req)
{
    struct content_request now;
    ui_content_request(ui, shown_parts(ui), &now);
    if ((req->parts & now.parts) != now.parts || strcmp(req->lang, now.lang) != 0)
        return false;
    if ((now.parts & CONTENT_OCCURRENCES) &&
        (req->list_from != now.list_from || req->list_until != now.list_until ||
         strcmp(req->theme, now.theme) != 0))
        return false;
    if ((now.parts & CONTENT_SERVICES) && strcmp(req->topic, now.topic) != 0)
        return false;
    if ((now.parts & CONTENT_ACTIVITY) &&
        (strcmp(req->activity_id, now.activity_id) != 0 || req->occurrence != now.occurrence))
        return false;
    if ((now.parts & CONTENT_SERVICE) && strcmp(req->service_id, now.service_id) != 0)
        return false;
    if ((now.parts & CONTENT_SEARCH) && strcmp(req->search, now.search) != 0)
        return false;
    return true;
}

static void request_background_load(struct ui *ui)
{
    struct content_request req;
    ui_content_request(ui, shown_parts(ui), &req);
    content_loader_request(ui->loader, &req);
    ui->loading = true;
}

void ui_take_loaded_content(struct ui *ui)
{
    if (!ui->loader)
        return;
    struct content *loaded = content_loader_take(ui->loader);
    if (!loaded)
        return;
    if (!fits_place(ui, &loaded->req)) {
        /* The resident moved on while it loaded: load for where they are. */
        content_loader_retire(ui->loader, loaded);
        request_background_load(ui);
        return;
    }
    /* Swap whole; the old content is freed on the loader's thread. */
    struct content *old = malloc(sizeof *old);
    if (!old) {
        content_loader_retire(ui->loader, loaded);
        return;
    }
    *old = ui->content;
    ui->content = *loaded;
    free(loaded);
    content_loader_retire(ui->loader, old);
    ui->loading = false;
    ui->dirty = true;
}

void ui_content_changed(struct ui *ui)
{
    if (ui->loader) {
        request_background_load(ui);
        return;
    }
    ui_load(ui, shown_parts(ui));
}

bool ui_content_loading(const struct ui *ui)
{
    return ui->loading;
}

/* ---- life ---- */

struct ui *ui_new(const struct ui_env *env, int width, int height)
{
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui)
        return NULL;
    ui->env = *env;
    ui->width = width;
    ui->height = height;
    ui->measurer.fn = env->measure;
    ui->measurer.ctx = env->measure_ctx;
    text_layout_init();
    content_init(&ui->content);
    frame_init(&ui->frame);
    ui->form.focus = -1;
    ui->staff.started_ms = clock_monotonic_ms();
    ui->last_input_ms = clock_now_ms(env->clock);
    if (env->load_in_background && env->db_path && env->content_ready) {
        struct content_env cenv = content_env_of(ui);
        ui->loader = content_loader_start(env->db_path, &cenv, env->content_ready,
                                          env->content_ctx);
        if (!ui->loader)
            log_warn(TAG, "cannot start the content loader; reloading on the UI thread");
    }
    ui_reset_to_attract(ui);
    ui_check_schedule(ui, clock_now_ms(env->clock));
    return ui;
}

void ui_free(struct ui *ui)
{
    if (!ui)
        return;
    content_loader_stop(ui->loader);
    content_clear(&ui->content);
    staff_free(ui);
    frame_free(&ui->frame);
    free(ui);
}

/* ---- told from outside ---- */

static bool same_pending(const struct content *a, const struct pending_place *old, size_t n_old)
{
    if (a->n_pending != n_old)
        return false;
    for (size_t i = 0; i < n_old; i++)
        if (a->pending[i].occurrence != old[i].occurrence ||
            a->pending[i].places != old[i].places ||
            strcmp(a->pending[i].activity_id, old[i].activity_id) != 0)
            return false;
    return true;
}

/* The network thread may have delivered sign-ups: their places now count
 * in the feed's figures, not in this kiosk's pending ones. */
static void reload_pending(struct ui *ui)
{
    struct content *c = &ui->content;
    struct pending_place *old = c->pending;
    size_t n_old = c->n_pending;
    c->pending = NULL;
    c->n_pending = 0;
    bool dirty = ui->dirty;
    ui_load(ui, CONTENT_PENDING);
    ui->dirty = dirty || !same_pending(c, old, n_old);
    for (size_t i = 0; i < n_old; i++)
        free(old[i].activity_id);
    free(old);
}

void ui_set_sync_state(struct ui *ui, int64_t last_ok_at, bool last_failed)
{
    if (ui->last_sync_ok_at != last_ok_at || ui->last_sync_failed != last_failed)
        ui->dirty = true;
    ui->last_sync_ok_at = last_ok_at;
    ui->last_sync_failed = last_failed;
    reload_pending(ui);
    /* The staff status shows the last attempt, its error, the ETag and the
     * outbox counts, which any pass can change: read it after every pass. */
    if (ui->screen == SCREEN_STAFF) {
        staff_read_status(ui);
        ui->dirty = true;
    }
}

void ui_set_hub_reachable(struct ui *ui, bool reachable)
{
    if (ui->hub_unreachable == !reachable)
        return;
    ui->hub_unreachable = !reachable;
    ui->dirty = true;
}

bool ui_signup_waiting(const struct ui *ui, int64_t *started_real_ms)
{
    if (ui->screen != SCREEN_SIGNUP_DONE || ui->form.done_state != DONE_CHECKING)
        return false;
    *started_real_ms = ui->form.done_check_started_real_ms;
    return true;
}

void ui_set_network_problem(struct ui *ui, const char *problem)
{
    snprintf(ui->network_problem, sizeof ui->network_problem, "%s", problem ? problem : "");
    ui->dirty = true;
}

bool ui_set_language(struct ui *ui, const char *lang)
{
    const struct config *cfg = ui->env.config;
    bool offered = false;
    for (size_t i = 0; i < cfg->ui_languages.n; i++)
        offered = offered || strcmp(cfg->ui_languages.items[i], lang) == 0;
    if (!offered || !catalogs_has(ui->env.catalogs, lang))
        return false;
    if (strcmp(ui->lang, lang) != 0) {
        snprintf(ui->lang, sizeof ui->lang, "%s", lang);
        ui_load(ui, ui->content.loaded | CONTENT_BASE);
        /* The same screen in the new language, in its voice. */
        ui_speech_screen(ui);
    }
    return true;
}

enum screen ui_screen(const struct ui *ui)
{
    return ui->screen;
}

uint64_t ui_frames_built(const struct ui *ui)
{
    return ui->frames_built;
}

/* ---- read-aloud ---- */

bool ui_speech_on(const struct ui *ui)
{
    return ui->speech.on;
}

static void say(struct ui *ui, const char *lang, const char *text)
{
    if (ui->env.speak && text && *text)
        ui->env.speak(ui->env.speech_ctx, lang, text);
}

void ui_speech_stop(struct ui *ui)
{
    if (ui->env.speech_stop)
        ui->env.speech_stop(ui->env.speech_ctx);
}

void ui_speech_widget(struct ui *ui, const struct widget *w)
{
    /* A feed text shown in a fallback language is read in that language's
     * voice: Dutch read by the Arabic voice is not understood. */
    const char *lang = w->lang && *w->lang ? w->lang : ui->lang;
    /* A language's name is written in that language ("Türkçe"): said in
     * its own voice, as a resident who reads it would say it. */
    if (strncmp(w->id, "lang.", 5) == 0 && w->id[5])
        lang = w->id + 5;
    say(ui, lang, w->label);
    /* An input's text is what a resident typed (a name, a phone number):
     * never said aloud in a public place, nor written to the speech log. */
    if (w->role != ROLE_INPUT && w->text && *w->text && strcmp(w->text, w->label) != 0)
        say(ui, lang, w->text);
}

/* What `dump` writes, in its order (frame_sort_reading_order: right to
 * left in a mirrored frame), but only what can be seen, and without the
 * keyboard's keys, which a resident explores by touch rather than hears
 * forty of on entering the form. */
static bool spoken_on_entry(const struct frame *f, const struct widget *w)
{
    struct rect screen = {0, 0, f->width, f->height};
    return w->visible && !rect_empty(rect_intersect(w->clip, screen)) && w->role != ROLE_KEY;
}

/* A picture under a title is labelled with that title (for the dump):
 * said after it, the resident would hear the title twice. */
static bool repeats(const struct widget *w, const struct widget *before)
{
    return w->role == ROLE_IMAGE && before && w->label[0] && strstr(before->label, w->label);
}

static void speak_frame(struct ui *ui)
{
    ui->speech.screen_pending = false;
    ui_speech_stop(ui);
    const struct frame *f = &ui->frame;
    const struct widget *before = NULL;
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (!spoken_on_entry(f, w))
            continue;
        if (!repeats(w, before))
            ui_speech_widget(ui, w);
        before = w;
    }
}

void ui_speech_screen(struct ui *ui)
{
    if (ui->speech.on) {
        ui->speech.screen_pending = true;
        ui->dirty = true;
    }
}

static int volume_percent(int step)
{
    return step * 100 / SPEECH_VOLUME_STEPS;
}

void ui_speech_set(struct ui *ui, bool on)
{
    if (!on && ui->speech.on)
        ui_speech_stop(ui);
    ui->speech.on = on;
    ui->speech.marked[0] = '\0';
    ui->speech.screen_pending = false;
    if (ui->speech.volume_step < 1 || ui->speech.volume_step > SPEECH_VOLUME_STEPS)
        ui->speech.volume_step = SPEECH_VOLUME_START;
    if (on && ui->env.speech_volume)
        ui->env.speech_volume(ui->env.speech_ctx, volume_percent(ui->speech.volume_step));
    ui_speech_screen(ui);
    ui->dirty = true;
}

void ui_speech_volume_step(struct ui *ui)
{
    ui->speech.volume_step = ui->speech.volume_step % SPEECH_VOLUME_STEPS + 1;
    if (ui->env.speech_volume)
        ui->env.speech_volume(ui->env.speech_ctx, volume_percent(ui->speech.volume_step));
    ui->dirty = true;
}

/* The target a first tap spoke gets a ring, so that whoever stands beside
 * the resident sees what the voice is about. */
static void mark_target(struct ui *ui)
{
    struct frame *f = &ui->frame;
    if (!ui->speech.on || !ui->speech.marked[0])
        return;
    const struct widget *w = frame_find_id(f, ui->speech.marked);
    if (!w || !w->visible)
        return;
    int thick = ui->theme.unit > 2 ? ui->theme.unit / 2 : 2;
    struct draw_cmd *c = frame_add_cmd(f, DRAW_FRAME, w->rect);
    if (c) {
        c->clip = w->clip;
        c->colour = ui->theme.alert;
        c->thickness = thick;
    }
}

/* ---- the frame ---- */

/* Whether the interface language reads right to left: told by its own
 * name in its own script (lang.name.CODE, "العربية"), so that a catalog
 * for another right-to-left language needs nothing more. */
static bool reads_right_to_left(const struct ui *ui)
{
    char key[32];
    snprintf(key, sizeof key, "lang.name.%s", ui->lang);
    const char *name = tr(ui->env.catalogs, ui->lang, key);
    return bidi_first_strong(name, strlen(name)) == TEXT_DIR_RTL;
}

static void build_frame(struct ui *ui)
{
    struct frame *f = &ui->frame;
    frame_reset(f, ui->width, ui->height);
    f->rtl = reads_right_to_left(ui);
    ui->measurer.rtl = f->rtl;
    struct rect all = {0, 0, ui->width, ui->height};
    struct build b = {
        .c = {.f = f, .t = &ui->theme, .m = &ui->measurer, .list = &ui->list, .clip = all},
        .ui = ui,
        .content = all,
    };
    /* The renderer clears to f->background: no full-screen rectangle. */
    f->background = ui->theme.background;
    screen_def(ui->screen)->build(&b);
    if (ui->idle_warning)
        chrome_idle_overlay(&b);
    if (f->rtl) {
        /* Laid out left to right, shown mirrored; the list's viewport is
         * where swipes start, so it turns with the frame. */
        frame_mirror(f, &ui->measurer);
        ui->list.viewport = rect_mirror(ui->list.viewport, f->width);
    }
    frame_sort_reading_order(f);
    mark_target(ui);
    if (b.c.relayout)
        ui->dirty = true;
}

bool ui_needs_frame(const struct ui *ui)
{
    return ui->dirty;
}

const struct frame *ui_frame(struct ui *ui)
{
    if (ui->dirty || ui->frame.n_widgets == 0) {
        ui->dirty = false;
        build_frame(ui);
        /* A screen laid out for the first time may learn its content height
         * only while building: one more pass gets scrolling right. */
        if (ui->dirty) {
            ui->dirty = false;
            build_frame(ui);
        }
        ui->dirty = false;
        ui->frames_built++;
    }
    /* Spoken from the frame the resident sees, once it is built. */
    if (ui->speech.screen_pending)
        speak_frame(ui);
    return &ui->frame;
}

bool ui_locate(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport)
{
    const struct frame *f = ui_frame(ui);
    /* Lists are built only where they show; their content knows the rest. */
    const struct screen_def *def = screen_def(ui->screen);
    if (def->locate && def->locate(ui, selector, item, viewport))
        return true;
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        bool match = selector[0] == '#' ? strcmp(selector + 1, w->id) == 0
                                        : strcmp(selector, w->label) == 0 ||
                                              (w->text && strstr(w->text, selector));
        if (match) {
            *item = w->rect;
            *viewport = w->list >= 0 ? f->widgets[w->list].rect
                                     : (struct rect){0, 0, f->width, f->height};
            return true;
        }
    }
    return false;
}
