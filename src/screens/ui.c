/*
 * The resident screens' state machine: navigation, touch input, scrolling,
 * the idle timeout, and the data each screen lists. Frames are built in
 * ui_screens.c, only when something changed.
 */
#include "screens/ui.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/localized.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "screens/ui_internal.h"

#define TAG "ui"

/* A finger that moves less than this is still tapping. */
#define TAP_SLOP_UNITS 2
/* A touch on the dark screen outside opening hours wakes it this long. */
#define WAKE_MS (5 * 60 * 1000)
/* A press longer than this is a hold, not a tap. */
#define TAP_MAX_MS 1000
/* Kinetic scrolling: velocity decays by this factor per ms; below the
 * floor it stops. */
#define FLING_DECAY 0.997
#define FLING_FLOOR 0.02
#define ANIMATION_STEP_MS 16

static const char *const screen_names[SCREEN_COUNT] = {
    "attract", "home",     "activities", "activity", "signup",    "signup-done", "services",
    "service", "announcements", "search", "off",     "staff-pin", "staff",
};

const char *screen_name(enum screen s)
{
    return (unsigned)s < SCREEN_COUNT ? screen_names[s] : "unknown";
}

/* ---- helpers for the screen builders ---- */

const char *ui_tr(const struct ui *ui, const char *key)
{
    return tr(ui->env.catalogs, ui->lang, key);
}

int64_t ui_now_s(const struct ui *ui)
{
    return clock_now_s(ui->env.clock);
}

const struct location_item *ui_location(const struct ui *ui, const char *location_id)
{
    for (size_t i = 0; location_id && i < ui->n_locations; i++)
        if (strcmp(ui->locations[i].id, location_id) == 0)
            return &ui->locations[i];
    return NULL;
}

const char *ui_location_name(const struct ui *ui, const char *location_id)
{
    const struct location_item *l = ui_location(ui, location_id);
    return l ? l->name : NULL;
}

void ui_format_time(int64_t t, char *buf, size_t len)
{
    struct local_time lt;
    tz_to_local(t, &lt);
    snprintf(buf, len, "%02d:%02d", lt.hour, lt.minute);
}

static void format_day(const struct ui *ui, int64_t t, char *buf, size_t len, bool is_long)
{
    struct local_time lt;
    tz_to_local(t, &lt);
    char day_key[32], month_key[32];
    snprintf(day_key, sizeof day_key, "day.%s.%d", is_long ? "long" : "short", lt.wday);
    snprintf(month_key, sizeof month_key, "month.%s.%d", is_long ? "long" : "short", lt.month);
    snprintf(buf, len, "%s %d %s", ui_tr(ui, day_key), lt.day, ui_tr(ui, month_key));
}

void ui_format_day_short(const struct ui *ui, int64_t t, char *buf, size_t len)
{
    format_day(ui, t, buf, len, false);
}

void ui_format_day_long(const struct ui *ui, int64_t t, char *buf, size_t len)
{
    format_day(ui, t, buf, len, true);
}

void ui_fill_number(const char *text, long long n, char *buf, size_t len)
{
    const char *slot = strstr(text, "{n}");
    if (!slot) {
        snprintf(buf, len, "%s", text);
        return;
    }
    snprintf(buf, len, "%.*s%lld%s", (int)(slot - text), text, n, slot + 3);
}

void ui_filter_window(const struct ui *ui, int64_t *from, int64_t *until)
{
    int64_t now = ui_now_s(ui);
    int64_t today = tz_start_of_day(now);
    struct local_time lt;
    tz_to_local(today, &lt);
    int days = ui->time_filter == FILTER_TODAY ? 1 : ui->time_filter == FILTER_WEEK ? 7
                                                                                  : STORE_WINDOW_DAYS;
    civil_add_days(&lt, days);
    lt.hour = lt.minute = lt.second = 0;
    *until = tz_from_local(&lt);
    /* "today" lists what starts today and has not ended yet. */
    *from = today;
}

/* ---- data ---- */

static char *pick_text(const char *json_text, const char *lang)
{
    if (!json_text)
        return NULL;
    json_t *obj = json_loads(json_text, 0, NULL);
    const char *s = localized_pick(obj, lang);
    char *copy = s ? strdup(s) : NULL;
    json_decref(obj);
    return copy;
}

static void free_occurrences(struct ui *ui)
{
    for (size_t i = 0; i < ui->n_occurrences; i++)
        free(ui->occurrences[i].location_id);
    free(ui->occurrences);
    ui->occurrences = NULL;
    ui->n_occurrences = 0;
    strset_clear(&ui->labels);
    ui->occurrences_loaded = false;
}

static void free_services(struct ui *ui)
{
    for (size_t i = 0; i < ui->n_services; i++) {
        free(ui->services[i].id);
        free(ui->services[i].name);
        free(ui->services[i].organization);
        free(ui->services[i].walk_in_summary);
    }
    free(ui->services);
    ui->services = NULL;
    ui->n_services = 0;
    ui->services_loaded = false;
}

static void free_locations(struct ui *ui)
{
    for (size_t i = 0; i < ui->n_locations; i++) {
        free(ui->locations[i].id);
        free(ui->locations[i].name);
        free(ui->locations[i].address);
        free(ui->locations[i].accessibility);
    }
    free(ui->locations);
    ui->locations = NULL;
    ui->n_locations = 0;
}

struct occurrence_loader {
    struct ui *ui;
    size_t cap;
    bool failed;
    int64_t now;
};

static bool load_occurrence(void *ctx, const struct occurrence_row *row)
{
    struct occurrence_loader *l = ctx;
    struct ui *ui = l->ui;
    /* "today" (and every filter) hides what has already ended. */
    if (row->ends_at < l->now && row->starts_at < l->now)
        return true;
    if (ui->n_occurrences == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct occurrence_item *more = realloc(ui->occurrences, cap * sizeof *more);
        if (!more) {
            l->failed = true;
            return false;
        }
        ui->occurrences = more;
        l->cap = cap;
    }
    const struct strset_entry *label = strset_find(&ui->labels, row->activity_id);
    if (!label)
        label = strset_put(&ui->labels, row->activity_id, pick_text(row->title_json, ui->lang));
    struct occurrence_item *it = &ui->occurrences[ui->n_occurrences];
    it->location_id = row->location_id ? strdup(row->location_id) : NULL;
    if (!label || !label->value || (row->location_id && !it->location_id)) {
        free(it->location_id);
        l->failed = true;
        return false;
    }
    it->activity_id = label->key;
    it->title = label->value;
    it->starts_at = row->starts_at;
    it->ends_at = row->ends_at;
    it->has_signup = row->has_signup;
    it->capacity = row->capacity;
    it->taken = row->taken;
    ui->n_occurrences++;
    return true;
}

static int by_start_then_title(const void *a, const void *b)
{
    const struct occurrence_item *x = a, *y = b;
    if (x->starts_at != y->starts_at)
        return x->starts_at < y->starts_at ? -1 : 1;
    int c = strcmp(x->title, y->title);
    return c ? c : strcmp(x->activity_id, y->activity_id);
}

static void load_occurrences(struct ui *ui)
{
    free_occurrences(ui);
    struct occurrence_query q = {.theme = ui->theme_filter[0] ? ui->theme_filter : NULL};
    ui_filter_window(ui, &q.from, &q.until);
    struct occurrence_loader l = {.ui = ui, .now = ui_now_s(ui)};
    if (!store_query_occurrences(ui->env.store, &q, load_occurrence, &l) || l.failed)
        log_warn(TAG, "could not load all activities");
    qsort(ui->occurrences, ui->n_occurrences, sizeof *ui->occurrences, by_start_then_title);
    ui->occurrences_loaded = true;
}

static const char *const day_codes[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};

/* "ma, wo 09:00–12:00; vr 13:00–16:00" from a feed's walk_in array. */
char *ui_walk_in_summary(const struct ui *ui, const char *walk_in_json)
{
    json_t *slots = walk_in_json ? json_loads(walk_in_json, 0, NULL) : NULL;
    if (!json_is_array(slots) || json_array_size(slots) == 0) {
        json_decref(slots);
        return NULL;
    }
    char buf[512] = "";
    size_t used = 0, i;
    json_t *slot;
    json_array_foreach(slots, i, slot) {
        json_t *days = json_object_get(slot, "days");
        size_t k;
        json_t *day;
        if (i && used < sizeof buf)
            used += (size_t)snprintf(buf + used, sizeof buf - used, "; ");
        json_array_foreach(days, k, day) {
            for (int d = 0; d < 7; d++) {
                if (json_is_string(day) && strcmp(json_string_value(day), day_codes[d]) == 0) {
                    char key[32];
                    snprintf(key, sizeof key, "day.short.%d", d);
                    if (used < sizeof buf)
                        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s",
                                                 k ? ", " : "", ui_tr(ui, key));
                }
            }
        }
        if (used < sizeof buf)
            used += (size_t)snprintf(buf + used, sizeof buf - used, " %s\xE2\x80\x93%s",
                                     json_string_value(json_object_get(slot, "opens")),
                                     json_string_value(json_object_get(slot, "closes")));
    }
    json_decref(slots);
    return strdup(buf);
}

struct service_loader {
    struct ui *ui;
    size_t cap;
    bool failed;
};

static bool load_service(void *ctx, const struct service_row *row)
{
    struct service_loader *l = ctx;
    struct ui *ui = l->ui;
    if (ui->n_services == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct service_item *more = realloc(ui->services, cap * sizeof *more);
        if (!more) {
            l->failed = true;
            return false;
        }
        ui->services = more;
        l->cap = cap;
    }
    struct service_item *it = &ui->services[ui->n_services];
    it->id = strdup(row->id);
    it->name = pick_text(row->name_json, ui->lang);
    it->organization = row->organization ? strdup(row->organization) : NULL;
    it->walk_in_summary = ui_walk_in_summary(ui, row->walk_in_json);
    if (!it->id || !it->name) {
        free(it->id);
        free(it->name);
        free(it->organization);
        free(it->walk_in_summary);
        l->failed = true;
        return false;
    }
    ui->n_services++;
    return true;
}

static void load_services(struct ui *ui)
{
    free_services(ui);
    struct service_loader l = {.ui = ui};
    if (!store_query_services(ui->env.store, ui->topic_filter[0] ? ui->topic_filter : NULL,
                              load_service, &l) ||
        l.failed)
        log_warn(TAG, "could not load all services");
    ui->services_loaded = true;
}

struct location_loader {
    struct ui *ui;
    size_t cap;
};

static bool load_location(void *ctx, const struct location_row *row)
{
    struct location_loader *l = ctx;
    struct ui *ui = l->ui;
    if (ui->n_locations == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct location_item *more = realloc(ui->locations, cap * sizeof *more);
        if (!more)
            return false;
        ui->locations = more;
        l->cap = cap;
    }
    struct location_item *it = &ui->locations[ui->n_locations];
    it->id = strdup(row->id);
    it->name = pick_text(row->name_json, ui->lang);
    it->address = row->address ? strdup(row->address) : NULL;
    it->accessibility = pick_text(row->accessibility_json, ui->lang);
    if (!it->id || !it->name) {
        free(it->id);
        free(it->name);
        free(it->address);
        free(it->accessibility);
        return false;
    }
    ui->n_locations++;
    return true;
}

static bool add_code(char codes[][64], size_t *n, const char *code)
{
    if (*n < UI_MAX_CODES && strlen(code) < 64)
        snprintf(codes[(*n)++], 64, "%s", code);
    return true;
}

static const char *const known_themes[] = {"opgroeien-opvoeden", "kwetsbaarheid", "leefbaarheid"};

static bool collect_theme(void *ctx, const char *code)
{
    struct ui *ui = ctx;
    for (size_t i = 0; i < sizeof known_themes / sizeof *known_themes; i++)
        if (strcmp(code, known_themes[i]) == 0)
            return add_code(ui->themes, &ui->n_themes, code);
    ui->has_other_theme = true;
    return true;
}

static const char *const known_topics[] = {
    "mantelzorg", "geldzaken",  "wonen", "opvoeden",   "gezondheid",      "eenzaamheid",
    "vrijwilligerswerk", "werk-inkomen", "taal", "veiligheid", "buurtinitiatief",
};

static bool collect_topic(void *ctx, const char *code)
{
    struct ui *ui = ctx;
    /* Known topics keep feed-v1's order below; "overig" always comes last. */
    for (size_t i = 0; i < sizeof known_topics / sizeof *known_topics; i++)
        if (strcmp(code, known_topics[i]) == 0)
            return add_code(ui->topics, &ui->n_topics, code);
    return true;
}

static int topic_rank(const char *code)
{
    for (size_t i = 0; i < sizeof known_topics / sizeof *known_topics; i++)
        if (strcmp(code, known_topics[i]) == 0)
            return (int)i;
    return 99;
}

static int by_topic_rank(const void *a, const void *b)
{
    return topic_rank(a) - topic_rank(b);
}

static int theme_rank(const char *code)
{
    for (size_t i = 0; i < sizeof known_themes / sizeof *known_themes; i++)
        if (strcmp(code, known_themes[i]) == 0)
            return (int)i;
    return 99;
}

static int by_theme_rank(const void *a, const void *b)
{
    return theme_rank(a) - theme_rank(b);
}

/* Everything that depends on the content or the language. */
static void reload(struct ui *ui)
{
    free_locations(ui);
    struct location_loader ll = {.ui = ui};
    store_query_locations(ui->env.store, load_location, &ll);

    ui->n_themes = 0;
    ui->has_other_theme = false;
    store_query_themes(ui->env.store, collect_theme, ui);
    qsort(ui->themes, ui->n_themes, sizeof ui->themes[0], by_theme_rank);
    ui->n_topics = 0;
    store_query_topics(ui->env.store, collect_topic, ui);
    qsort(ui->topics, ui->n_topics, sizeof ui->topics[0], by_topic_rank);

    struct store_status st;
    if (store_status(ui->env.store, &st))
        ui->cache_empty = st.activities + st.services + st.announcements == 0;

    free_occurrences(ui);
    free_services(ui);
    if (ui->screen == SCREEN_ACTIVITIES)
        load_occurrences(ui);
    if (ui->screen == SCREEN_SERVICES)
        load_services(ui);
    ui->dirty = true;
}

/* ---- lifecycle ---- */

static void check_schedule(struct ui *ui, int64_t now);
static int64_t timeout_at(const struct ui *ui);

void ui_reset_to_attract(struct ui *ui)
{
    ui_signup_wipe(ui);
    ui->staff.items_view = false;
    ui->staff.announce_view = false;
    ui->staff.touch_test = false;
    ui_staff_free(ui);
    const struct config *cfg = ui->env.config;
    ui->screen = SCREEN_ATTRACT;
    memset(&ui->here, 0, sizeof ui->here);
    ui->n_back = 0;
    snprintf(ui->lang, sizeof ui->lang, "%s",
             cfg->ui_languages.n ? cfg->ui_languages.items[0] : "nl");
    ui->large_text = cfg->ui_large_text;
    ui->high_contrast = cfg->ui_high_contrast;
    ui->time_filter = FILTER_WEEK;
    ui->theme_filter[0] = '\0';
    ui->topic_filter[0] = '\0';
    memset(&ui->list, 0, sizeof ui->list);
    memset(&ui->touch, 0, sizeof ui->touch);
    ui->idle_warning = false;
    theme_for(&ui->theme, ui->width, ui->height, ui->large_text, ui->high_contrast);
    theme_apply_branding(&ui->theme, ui->env.config->branding_colour, ui->high_contrast);
    reload(ui);
}

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
    frame_init(&ui->frame);
    ui->form.focus = -1;
    ui->staff.started_ms = clock_monotonic_ms();
    ui->last_input_ms = clock_now_ms(env->clock);
    ui_reset_to_attract(ui);
    check_schedule(ui, clock_now_ms(env->clock));
    return ui;
}

void ui_free(struct ui *ui)
{
    if (!ui)
        return;
    free_occurrences(ui);
    free_services(ui);
    free_locations(ui);
    ui_staff_free(ui);
    frame_free(&ui->frame);
    free(ui);
}

void ui_content_changed(struct ui *ui)
{
    reload(ui);
}

void ui_set_sync_state(struct ui *ui, int64_t last_ok_at, bool last_failed)
{
    /* The staff status shows the last attempt, its error, the ETag and the
     * outbox counts, which any pass can change: redraw it after every pass. */
    if (ui->last_sync_ok_at != last_ok_at || ui->last_sync_failed != last_failed ||
        ui->screen == SCREEN_STAFF)
        ui->dirty = true;
    ui->last_sync_ok_at = last_ok_at;
    ui->last_sync_failed = last_failed;
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
        reload(ui);
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

/* ---- navigation ---- */

static void go(struct ui *ui, enum screen to, bool remember)
{
    /* Leaving the form any way but submitting drops what was typed. */
    if ((ui->screen == SCREEN_SIGNUP || ui->screen == SCREEN_SIGNUP_DONE) &&
        to != SCREEN_SIGNUP && to != SCREEN_SIGNUP_DONE)
        ui_signup_wipe(ui);
    if (remember && ui->n_back < UI_BACK_DEPTH)
        ui->back[ui->n_back++] = ui->here;
    if (!remember)
        ui->n_back = 0;
    ui->screen = to;
    ui->here.screen = to;
    memset(&ui->list, 0, sizeof ui->list);
    /* A long list holds megabytes: keep it only while it can come back. */
    if (to != SCREEN_ACTIVITIES && to != SCREEN_ACTIVITY && to != SCREEN_SIGNUP)
        free_occurrences(ui);
    if (to == SCREEN_ACTIVITIES)
        load_occurrences(ui);
    if (to == SCREEN_SERVICES)
        load_services(ui);
    ui->dirty = true;
}

void ui_go_screen(struct ui *ui, enum screen to, bool remember)
{
    go(ui, to, remember);
}

static void go_back(struct ui *ui)
{
    if (ui->screen == SCREEN_SIGNUP || ui->screen == SCREEN_SIGNUP_DONE)
        ui_signup_wipe(ui);
    if (ui->n_back == 0) {
        go(ui, SCREEN_HOME, false);
        return;
    }
    struct place p = ui->back[--ui->n_back];
    ui->here = p;
    ui->screen = p.screen;
    memset(&ui->list, 0, sizeof ui->list);
    if (p.screen == SCREEN_ACTIVITIES)
        load_occurrences(ui);
    if (p.screen == SCREEN_SERVICES)
        load_services(ui);
    ui->dirty = true;
}

static void set_time_filter(struct ui *ui, enum time_filter f)
{
    ui->time_filter = f;
    memset(&ui->list, 0, sizeof ui->list);
    load_occurrences(ui);
    ui->dirty = true;
}

/* Acts on a tapped widget, by its id. */
static void activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    if (ui->idle_warning) {
        /* Any tap dismisses the warning; it does nothing else. */
        ui->idle_warning = false;
        ui->dirty = true;
        return;
    }
    if (ui_staff_activate(ui, w) || ui_signup_activate(ui, w))
        return;
    if (strcmp(id, "off") == 0) {
        ui->staff.forced_dark = false;
        ui->woken_until_ms = clock_now_ms(ui->env.clock) + WAKE_MS;
        go(ui, SCREEN_ATTRACT, false);
    } else if (strcmp(id, "attract") == 0) {
        go(ui, SCREEN_HOME, false);
    } else if (strcmp(id, "home.activities") == 0) {
        go(ui, SCREEN_ACTIVITIES, true);
    } else if (strcmp(id, "home.services") == 0) {
        ui->topic_filter[0] = '\0';
        go(ui, SCREEN_SERVICES, true);
    } else if (strcmp(id, "home.announcements") == 0) {
        go(ui, SCREEN_ANNOUNCEMENTS, true);
    } else if (strcmp(id, "nav.home") == 0) {
        go(ui, SCREEN_HOME, false);
    } else if (strcmp(id, "nav.back") == 0) {
        go_back(ui);
    } else if (strncmp(id, "lang.", 5) == 0) {
        ui_set_language(ui, id + 5);
    } else if (strcmp(id, "a11y.large") == 0) {
        ui->large_text = !ui->large_text;
        theme_for(&ui->theme, ui->width, ui->height, ui->large_text, ui->high_contrast);
    theme_apply_branding(&ui->theme, ui->env.config->branding_colour, ui->high_contrast);
        ui->dirty = true;
    } else if (strcmp(id, "a11y.contrast") == 0) {
        ui->high_contrast = !ui->high_contrast;
        theme_for(&ui->theme, ui->width, ui->height, ui->large_text, ui->high_contrast);
    theme_apply_branding(&ui->theme, ui->env.config->branding_colour, ui->high_contrast);
        ui->dirty = true;
    } else if (strcmp(id, "filter.today") == 0) {
        set_time_filter(ui, FILTER_TODAY);
    } else if (strcmp(id, "filter.week") == 0) {
        set_time_filter(ui, FILTER_WEEK);
    } else if (strcmp(id, "filter.all") == 0) {
        set_time_filter(ui, FILTER_ALL);
    } else if (strncmp(id, "filter.theme.", 13) == 0) {
        /* A second tap on the chosen theme clears it. */
        if (strcmp(ui->theme_filter, id + 13) == 0)
            ui->theme_filter[0] = '\0';
        else
            snprintf(ui->theme_filter, sizeof ui->theme_filter, "%s", id + 13);
        memset(&ui->list, 0, sizeof ui->list);
        load_occurrences(ui);
        ui->dirty = true;
    } else if (strncmp(id, "topic.", 6) == 0) {
        if (strcmp(ui->topic_filter, id + 6) == 0)
            ui->topic_filter[0] = '\0';
        else
            snprintf(ui->topic_filter, sizeof ui->topic_filter, "%s", id + 6);
        memset(&ui->list, 0, sizeof ui->list);
        load_services(ui);
        ui->dirty = true;
    } else if (strncmp(id, "activity.", 9) == 0 && w->role == ROLE_ITEM) {
        /* activity.ID.YYYYMMDDTHHMM: the occurrence is found by the list index
         * the id was built from, so ids with dots stay unambiguous. */
        for (size_t i = 0; i < ui->n_occurrences; i++) {
            const struct occurrence_item *it = &ui->occurrences[i];
            size_t n = strlen(it->activity_id);
            if (strncmp(id + 9, it->activity_id, n) == 0 && id[9 + n] == '.') {
                char stamp[32];
                struct local_time lt;
                tz_to_local(it->starts_at, &lt);
                snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d", lt.year, lt.month, lt.day,
                         lt.hour, lt.minute);
                if (strcmp(id + 10 + n, stamp) != 0)
                    continue;
                struct place from = ui->here;
                if (ui->n_back < UI_BACK_DEPTH)
                    ui->back[ui->n_back++] = from;
                ui->screen = SCREEN_ACTIVITY;
                ui->here.screen = SCREEN_ACTIVITY;
                snprintf(ui->here.activity_id, sizeof ui->here.activity_id, "%s", it->activity_id);
                ui->here.occurrence = it->starts_at;
                memset(&ui->list, 0, sizeof ui->list);
                ui->dirty = true;
                break;
            }
        }
    } else if (strncmp(id, "service.", 8) == 0 && w->role == ROLE_ITEM) {
        if (ui->n_back < UI_BACK_DEPTH)
            ui->back[ui->n_back++] = ui->here;
        ui->screen = SCREEN_SERVICE;
        ui->here.screen = SCREEN_SERVICE;
        snprintf(ui->here.service_id, sizeof ui->here.service_id, "%s", id + 8);
        memset(&ui->list, 0, sizeof ui->list);
        ui->dirty = true;
    }
}

/* ---- input ---- */

static void note_input(struct ui *ui)
{
    ui->last_input_ms = clock_now_ms(ui->env.clock);
    if (ui->idle_warning) {
        ui->idle_warning = false;
        ui->dirty = true;
    }
}

static int slop(const struct ui *ui)
{
    return TAP_SLOP_UNITS * ui->theme.unit;
}

static void clamp_scroll(struct scroller *s)
{
    int max = s->content_h - s->viewport.h;
    if (s->offset > max)
        s->offset = max;
    if (s->offset < 0)
        s->offset = 0;
}

void ui_touch_down(struct ui *ui, int x, int y)
{
    /* Where the lists are depends on the current layout: bring it up to
     * date first (a screen just changed has not been laid out yet). */
    ui_frame(ui);
    bool was_warning = ui->idle_warning;
    note_input(ui);
    struct touch *t = &ui->touch;
    memset(t, 0, sizeof *t);
    t->down = true;
    t->x0 = t->x = x;
    t->y0 = t->y = y;
    t->down_ms = clock_now_ms(ui->env.clock);
    t->sample_ms = t->down_ms;
    t->sample_y = y;
    /* A finger on a moving list stops it, as on any phone. */
    ui->list.velocity = 0;
    if (!was_warning && !rect_empty(ui->list.viewport) && rect_contains(ui->list.viewport, x, y) &&
        ui->list.content_h > ui->list.viewport.h) {
        t->target = &ui->list;
        t->scroll0 = ui->list.offset;
    }
    if (was_warning)
        t->down = false; /* this touch only dismissed the warning */
    if (ui->screen == SCREEN_STAFF && ui->staff.touch_test) {
        ui->staff.has_probe = true;
        ui->staff.probe_x = x;
        ui->staff.probe_y = y;
        ui->dirty = true;
    }
}

void ui_touch_move(struct ui *ui, int x, int y)
{
    struct touch *t = &ui->touch;
    if (!t->down)
        return;
    note_input(ui);
    t->x = x;
    t->y = y;
    if (!t->dragging && (abs(x - t->x0) > slop(ui) || abs(y - t->y0) > slop(ui)))
        t->dragging = true;
    if (t->dragging && t->target) {
        t->target->offset = t->scroll0 - (y - t->y0);
        clamp_scroll(t->target);
        int64_t now = clock_now_ms(ui->env.clock);
        /* Only real movement counts for the fling: a finger resting before
         * it lifts must not throw the list. */
        if (now > t->sample_ms && y != t->sample_y) {
            double v = (double)(t->sample_y - y) / (double)(now - t->sample_ms);
            /* Smooth over the last moves so one jittery sample does not fling. */
            t->velocity = t->velocity * 0.3 + v * 0.7;
            t->sample_ms = now;
            t->sample_y = y;
        }
        ui->dirty = true;
    }
}

void ui_touch_up(struct ui *ui, int x, int y)
{
    struct touch *t = &ui->touch;
    if (!t->down)
        return;
    if (x != t->x || y != t->y)
        ui_touch_move(ui, x, y);
    note_input(ui);
    t->down = false;
    if (t->consumed)
        return;
    int64_t now = clock_now_ms(ui->env.clock);
    if (t->dragging) {
        /* A finger that stopped before lifting does not fling. */
        if (t->target && now - t->sample_ms < 50) {
            t->target->velocity = t->velocity;
            t->target->last_step_ms = now;
        }
        return;
    }
    if (now - t->down_ms > TAP_MAX_MS)
        return;
    const struct frame *f = ui_frame(ui);
    const struct widget *w = frame_hit(f, t->x0, t->y0);
    if (w)
        activate(ui, w);
}

/* ---- time ---- */

static bool idle_applies(const struct ui *ui)
{
    return ui->screen != SCREEN_ATTRACT && ui->screen != SCREEN_OFF &&
           ui->screen != SCREEN_STAFF && ui->screen != SCREEN_STAFF_PIN;
}

static int64_t warn_at(const struct ui *ui)
{
    return ui->last_input_ms + (int64_t)ui->env.config->ui_idle_warn_s * 1000;
}

static int64_t timeout_at(const struct ui *ui)
{
    return warn_at(ui) + (int64_t)ui->env.config->ui_idle_countdown_s * 1000;
}

/* Outside opening hours (display.schedule) and not woken by a touch. */
static bool should_be_dark(const struct ui *ui, int64_t now_ms)
{
    const struct schedule *s = &ui->env.config->display_schedule;
    if (s->always || now_ms < ui->woken_until_ms)
        return false;
    struct local_time lt;
    tz_to_local(now_ms / 1000, &lt);
    return !schedule_is_open(s, lt.wday, lt.hour * 60 + lt.minute);
}

bool ui_is_dark(const struct ui *ui)
{
    return ui->screen == SCREEN_OFF;
}

static void check_schedule(struct ui *ui, int64_t now)
{
    bool dark = ui->staff.forced_dark || should_be_dark(ui, now);
    bool staff = ui->screen == SCREEN_STAFF || ui->screen == SCREEN_STAFF_PIN;
    if (dark && ui->screen != SCREEN_OFF && !staff && !ui->touch.down) {
        ui_reset_to_attract(ui);
        ui->screen = SCREEN_OFF;
        ui->here.screen = SCREEN_OFF;
        ui->dirty = true;
    } else if (!dark && ui->screen == SCREEN_OFF) {
        ui_reset_to_attract(ui);
    }
}

void ui_tick(struct ui *ui)
{
    int64_t now = clock_now_ms(ui->env.clock);
    check_schedule(ui, now);
    int64_t due;
    if (ui_staff_gesture_due(ui, now, &due))
        ui_staff_open_pin(ui);
    bool staff = ui->screen == SCREEN_STAFF || ui->screen == SCREEN_STAFF_PIN;
    if (staff && !ui->touch.down && now >= timeout_at(ui)) {
        /* Staff who walk away are logged out. */
        ui_reset_to_attract(ui);
        ui->last_input_ms = now;
    }
    if (idle_applies(ui) && !ui->touch.down) {
        if (now >= timeout_at(ui)) {
            /* Public screen: everything the resident chose or typed goes. */
            ui_reset_to_attract(ui);
            ui->last_input_ms = now;
        } else if (now >= warn_at(ui)) {
            ui->idle_warning = true;
            ui->dirty = true; /* the countdown changes every second */
        }
    }
    if (ui->screen == SCREEN_SIGNUP_DONE && now >= ui->form.done_until_ms) {
        ui_reset_to_attract(ui);
        ui->last_input_ms = now;
    }
    struct scroller *s = &ui->list;
    if (s->velocity != 0 && !ui->touch.down) {
        int64_t dt = now - s->last_step_ms;
        if (dt > 0) {
            /* Integrate the decaying velocity over dt exactly. */
            double decay = pow(FLING_DECAY, (double)dt);
            double distance = s->velocity * (1.0 - decay) / (1.0 - FLING_DECAY);
            int before = s->offset;
            s->offset += (int)lround(distance);
            clamp_scroll(s);
            s->velocity *= decay;
            s->last_step_ms = now;
            if (fabs(s->velocity) < FLING_FLOOR || s->offset == before)
                s->velocity = 0;
            ui->dirty = true;
        }
    }
    int64_t minute = now / 60000;
    if (minute != ui->shown_minute) {
        ui->shown_minute = minute;
        /* The dark screen never changes: no frames while it is off. */
        if (ui->screen == SCREEN_ATTRACT || ui->idle_warning)
            ui->dirty = true;
    }
}

int64_t ui_next_deadline_ms(const struct ui *ui)
{
    int64_t now = clock_now_ms(ui->env.clock);
    int64_t next = INT64_MAX;
    if (ui->list.velocity != 0)
        next = now + ANIMATION_STEP_MS;
    if (idle_applies(ui)) {
        if (!ui->idle_warning) {
            if (warn_at(ui) < next)
                next = warn_at(ui);
        } else {
            /* The countdown shows whole seconds. */
            int64_t left = timeout_at(ui) - now;
            int64_t tick = now + (left % 1000 ? left % 1000 : 1000);
            if (tick < next)
                next = tick;
            if (timeout_at(ui) < next)
                next = timeout_at(ui);
        }
    }
    if (ui->screen == SCREEN_SIGNUP_DONE && ui->form.done_until_ms < next)
        next = ui->form.done_until_ms;
    int64_t gesture_at = INT64_MAX;
    if (!ui_staff_gesture_due(ui, now, &gesture_at) && ui->touch.down && gesture_at > now &&
        gesture_at < next)
        next = gesture_at;
    if ((ui->screen == SCREEN_STAFF || ui->screen == SCREEN_STAFF_PIN) && timeout_at(ui) < next)
        next = timeout_at(ui);
    if (ui->screen == SCREEN_STAFF_PIN && ui->staff.locked_until_ms > now &&
        ui->staff.locked_until_ms < next)
        next = ui->staff.locked_until_ms;
    if (!ui->env.config->display_schedule.always) {
        /* Opening hours change on whole minutes; a wake-up ends on its own time. */
        int64_t minute = (now / 60000 + 1) * 60000;
        if (minute < next)
            next = minute;
        if (ui->woken_until_ms > now && ui->woken_until_ms < next)
            next = ui->woken_until_ms;
    }
    if (ui->screen == SCREEN_ATTRACT) {
        int64_t minute = (now / 60000 + 1) * 60000;
        if (minute < next)
            next = minute;
    }
    return next;
}

/* ---- output ---- */

bool ui_needs_frame(const struct ui *ui)
{
    return ui->dirty;
}

const struct frame *ui_frame(struct ui *ui)
{
    if (ui->dirty || ui->frame.n_widgets == 0) {
        ui->dirty = false;
        ui_build_frame(ui);
        /* A screen laid out for the first time may learn its content height
         * only while building: one more pass gets scrolling right. */
        if (ui->dirty) {
            ui->dirty = false;
            ui_build_frame(ui);
        }
        ui->dirty = false;
        ui->frames_built++;
    }
    return &ui->frame;
}

static bool selector_matches_item(const struct ui *ui, size_t i, const char *selector,
                                  char *id_buf, size_t id_len)
{
    const struct occurrence_item *it = &ui->occurrences[i];
    struct local_time lt;
    tz_to_local(it->starts_at, &lt);
    snprintf(id_buf, id_len, "activity.%s.%04d%02d%02dT%02d%02d", it->activity_id, lt.year,
             lt.month, lt.day, lt.hour, lt.minute);
    if (selector[0] == '#')
        return strcmp(selector + 1, id_buf) == 0;
    return strcmp(selector, it->title) == 0;
}

bool ui_locate(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport)
{
    const struct frame *f = ui_frame(ui);
    /* Lists are built only where they show; their models know the rest. */
    const struct theme *t = &ui->theme;
    char id[UI_ID_MAX + 32];
    if (ui->screen == SCREEN_ACTIVITIES) {
        for (size_t i = 0; i < ui->n_occurrences; i++) {
            if (selector_matches_item(ui, i, selector, id, sizeof id)) {
                *viewport = ui->list.viewport;
                *item = (struct rect){viewport->x, viewport->y + (int)i * t->item_h - ui->list.offset,
                                      viewport->w, t->item_h};
                return true;
            }
        }
    }
    if (ui->screen == SCREEN_SERVICES) {
        for (size_t i = 0; i < ui->n_services; i++) {
            snprintf(id, sizeof id, "service.%s", ui->services[i].id);
            bool match = selector[0] == '#' ? strcmp(selector + 1, id) == 0
                                            : strcmp(selector, ui->services[i].name) == 0;
            if (match) {
                *viewport = ui->list.viewport;
                *item = (struct rect){viewport->x, viewport->y + (int)i * t->item_h - ui->list.offset,
                                      viewport->w, t->item_h};
                return true;
            }
        }
    }
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
