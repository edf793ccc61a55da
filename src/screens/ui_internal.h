/*
 * Shared between ui.c (state, input, timers, data) and ui_screens.c
 * (building each screen's frame). Not for use outside the UI.
 */
#ifndef BK_UI_INTERNAL_H
#define BK_UI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strset.h"
#include "view/textlayout.h"
#include "view/theme.h"
#include "screens/ui.h"

#define UI_ID_MAX 160
#define UI_MAX_CODES 32
#define UI_BACK_DEPTH 8

enum time_filter { FILTER_TODAY, FILTER_WEEK, FILTER_ALL };

/* One listed occurrence on the activities screen. */
struct occurrence_item {
    const char *activity_id;     /* owned by ui->labels */
    const char *title;           /* in the language the list was loaded in; ui->labels */
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
    bool consumed;               /* a gesture used this touch: its lift does nothing */
};

struct staff_item {
    char kind[16];               /* "activity" or "service" */
    char id[129];
    char *name;
    bool hidden, featured;
};

/* Staff mode: the PIN pad and what staff see and do. */
struct staff_state {
    char pin[16];
    size_t n_digits;
    int wrong;                   /* wrong PINs since the last lock */
    int64_t locked_until_ms;
    bool just_failed;
    bool touch_test;             /* showing where touches land */
    bool has_probe;
    int probe_x, probe_y;
    bool forced_dark;            /* "screen off now": dark until the next touch */
    int64_t started_ms;          /* for the uptime line */
    bool items_view;             /* choosing what to hide or feature */
    bool announce_view;          /* typing a local announcement */
    int announce_days;           /* how long it shows: 1, 7 or 14 days */
    struct staff_item *items;
    size_t n_items;
};

enum form_field { FIELD_NAME, FIELD_PHONE, FIELD_EMAIL, FIELD_PARTY_SIZE, FIELD_REMARK, FIELD_COUNT };

#define FORM_VALUE_MAX 1024

/* The sign-up form and the done screen. Holds personal data: wiped with
 * ui_signup_wipe() on every way out (done, cancel, idle timeout). */
struct signup_form {
    char activity_id[UI_ID_MAX];
    char title[512];                       /* the activity's title, in the form's language */
    int64_t occurrence;
    unsigned fields;                       /* enum signup_field bits */
    bool waitlist;                         /* no places left: goes on the waiting list */
    char value[FIELD_COUNT][FORM_VALUE_MAX];
    int party_size;
    bool consent;
    int focus;                             /* enum form_field, or -1 */
    bool shift;
    bool reveal_focus;                     /* scroll the focused field into view */
    int field_top[FIELD_COUNT];            /* content y of each field, last layout */
    int field_bottom[FIELD_COUNT];
    bool not_stored;                       /* the last submit could not be saved (disk full) */
    bool reveal_end;                       /* scroll to the form's end (its message, buttons) */
    /* the done screen */
    char done_title[512];
    char done_when[160];
    char done_where[512];
    char done_first_name[FORM_VALUE_MAX];
    bool done_waitlisted;
    int64_t done_until_ms;
};

/* Sign-up state of one occurrence, as the detail screen shows it. */
struct signup_state {
    bool offered;          /* the activity takes sign-ups at all */
    bool open;             /* activity.signup is shown */
    bool closed;           /* too late: closes_before_min has passed */
    bool unlimited;
    int64_t places_left;   /* capacity - taken - this kiosk's unsent sign-ups */
    bool waitlist;         /* full, but the waiting list is open */
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
    /* activity id -> its title in the list's language, picked from the
     * title's JSON once per load and shared by all its occurrences
     * (10,000 activities can repeat in 44,000 occurrences over 90 days) */
    struct strset labels;
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
    char network_problem[256];   /* why the network thread is not running; "" = it runs */
    bool cache_empty;

    /* idle */
    int64_t last_input_ms;
    bool idle_warning;

    struct signup_form form;
    struct staff_state staff;

    /* opening hours: outside them the screen is dark until a touch */
    int64_t woken_until_ms;      /* a touch on the dark screen keeps it on till then */

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

/* ui_signup.c */
void ui_signup_state(struct ui *ui, const char *activity_id, int64_t occurrence,
                     struct signup_state *out);
void ui_signup_open(struct ui *ui, const char *activity_id, int64_t occurrence);
/* Handles the sign-up screens' widgets; false when w is not one of them. */
bool ui_signup_activate(struct ui *ui, const struct widget *w);
/* True when the field's value passes its check (empty optional fields pass). */
bool ui_signup_field_ok(const struct ui *ui, enum form_field f);
bool ui_signup_ready(const struct ui *ui);
/* Types one on-screen key (by id) into the focused form field. */
void ui_signup_type(struct ui *ui, const char *key_id);
void ui_signup_wipe(struct ui *ui);
/* Keyboard layout: rows of key ids; the phone pad for phone fields. */
struct key_def {
    const char *id;
    const char *lower;                     /* what it types and shows, NULL for special keys */
    const char *upper;                     /* shown and typed with shift */
    const char *label_key;                 /* catalog key for special keys */
    int span;                              /* width in tenths of a key */
};
size_t ui_keyboard_row(bool phone_pad, size_t row, const struct key_def **keys);
size_t ui_keyboard_rows(bool phone_pad);

/* ui_staff.c */
/* True when a finger has rested long enough in the top-left corner. */
bool ui_staff_gesture_due(const struct ui *ui, int64_t now_ms, int64_t *due_at);
void ui_staff_open_pin(struct ui *ui);
bool ui_staff_activate(struct ui *ui, const struct widget *w);
/* Lines of the staff screen's status panel, into the frame's arena. */
size_t ui_staff_info(struct ui *ui, struct frame *f, const char **lines, size_t max);
void ui_staff_free(struct ui *ui);

/* ui.c: navigation used by ui_signup.c */
void ui_go_screen(struct ui *ui, enum screen to, bool remember);
void ui_reset_to_attract(struct ui *ui);

#endif
