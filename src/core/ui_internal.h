/*
 * Shared between ui.c (state, input, timers, data) and ui_screens.c
 * (building each screen's frame). Not for use outside the UI.
 */
#ifndef BK_UI_INTERNAL_H
#define BK_UI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/textlayout.h"
#include "core/theme.h"
#include "core/ui.h"

#define UI_ID_MAX 160
#define UI_MAX_CODES 32
#define UI_BACK_DEPTH 8

enum time_filter { FILTER_TODAY, FILTER_WEEK, FILTER_ALL };

/* One listed occurrence on the activities screen. */
struct occurrence_item {
    char *activity_id;
    char *title;                 /* in the language the list was loaded in */
    char *location_id;           /* NULL = none */
    int64_t starts_at, ends_at;
    bool has_signup;
    int64_t capacity, taken;
};

struct service_item {
    char *id;
    char *name;
    char *organization;          /* NULL = none */
    char *walk_in_summary;       /* "ma, wo 09:00–12:00", or NULL */
};

struct location_item {
    char *id;
    char *name;
    char *address;
    char *accessibility;
};

/* A scrollable area. The core owns the offset; the frame shows a window. */
struct scroller {
    int offset;                  /* px scrolled from the top, >= 0 */
    int content_h;               /* last laid-out content height */
    struct rect viewport;        /* last laid-out viewport */
    double velocity;             /* px per ms, for a fling */
    int64_t last_step_ms;
};

/* Where a screen was, for nav.back. */
struct place {
    enum screen screen;
    char activity_id[UI_ID_MAX];
    int64_t occurrence;
    char service_id[UI_ID_MAX];
};

struct touch {
    bool down;
    bool dragging;
    int x0, y0, x, y;
    int64_t down_ms;
    int scroll0;
    struct scroller *target;     /* the scroller under the finger, or NULL */
    int64_t sample_ms;
    int sample_y;
    double velocity;
};

struct ui {
    struct ui_env env;
    int width, height;
    struct theme theme;
    struct text_measurer measurer;

    enum screen screen;
    struct place here;
    struct place back[UI_BACK_DEPTH];
    size_t n_back;

    char lang[16];
    bool large_text, high_contrast;

    /* activities */
    enum time_filter time_filter;
    char theme_filter[64];       /* "" = any theme */
    struct occurrence_item *occurrences;
    size_t n_occurrences;
    bool occurrences_loaded;
    char themes[UI_MAX_CODES][64];
    size_t n_themes;
    bool has_other_theme;

    /* services */
    char topic_filter[64];
    struct service_item *services;
    size_t n_services;
    bool services_loaded;
    char topics[UI_MAX_CODES][64];
    size_t n_topics;

    struct location_item *locations;
    size_t n_locations;

    struct scroller list;        /* the current screen's main list or details */

    /* sync state for the footer and the empty-cache screen */
    int64_t last_sync_ok_at;
    bool last_sync_failed;
    bool cache_empty;

    /* idle */
    int64_t last_input_ms;
    bool idle_warning;

    struct touch touch;
    int64_t shown_minute;        /* the minute the last frame showed */

    struct frame frame;
    bool dirty;
    uint64_t frames_built;
};

/* ui_screens.c: builds ui->frame for the current screen. */
void ui_build_frame(struct ui *ui);

/* ui.c helpers the screen builders use. */
const char *ui_tr(const struct ui *ui, const char *key);
const char *ui_location_name(const struct ui *ui, const char *location_id);
const struct location_item *ui_location(const struct ui *ui, const char *location_id);
int64_t ui_now_s(const struct ui *ui);

/* "do 26 nov", "10:00", "donderdag 26 november" in the current language. */
void ui_format_day_short(const struct ui *ui, int64_t t, char *buf, size_t len);
void ui_format_day_long(const struct ui *ui, int64_t t, char *buf, size_t len);
void ui_format_time(int64_t t, char *buf, size_t len);

/* Replaces "{n}" in a catalog text with a number. */
void ui_fill_number(const char *text, long long n, char *buf, size_t len);

/* "ma, wo 09:00–12:00; vr 13:00–16:00" from a feed's walk_in array, or
 * NULL. The caller frees it. */
char *ui_walk_in_summary(const struct ui *ui, const char *walk_in_json);

/* The start of the current filter's time window, and its end. */
void ui_filter_window(const struct ui *ui, int64_t *from, int64_t *until);

#endif
