/*
 * Inside the screens layer: the UI's state, what a screen is (struct
 * screen_def: one file per screen defines one), and the helpers screens
 * share. Not for use outside src/screens.
 */
#ifndef BK_SCREENS_H
#define BK_SCREENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/qr.h"
#include "screens/content.h"
#include "screens/ui.h"
#include "view/textlayout.h"
#include "view/theme.h"
#include "view/widgets.h"

#define UI_ID_MAX CONTENT_ID_MAX
#define UI_BACK_DEPTH 8
/* Read-aloud's volume: a11y.volume steps 1, 2, 3, 4, 1, ...; it starts at
 * SPEECH_VOLUME_START. */
#define SPEECH_VOLUME_STEPS 4
#define SPEECH_VOLUME_START 3

enum time_filter { FILTER_TODAY, FILTER_WEEK, FILTER_ALL };

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

enum staff_item_kind { STAFF_ITEM_ACTIVITY, STAFF_ITEM_SERVICE };

struct staff_item {
    enum staff_item_kind kind;
    char id[129];
    char *name;
    bool hidden, featured;
};

/* Staff mode: the PIN pad and what staff see and do. */
struct staff_state {
    char pin[16];
    size_t n_digits;
    int wrong;                   /* wrong PINs in a row, as the database counts them */
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
    /* the status panel, read when staff mode opens and after every sync
     * pass, never while drawing */
    struct store_status status;
    bool has_status;
    bool has_disk_free;
    uint64_t disk_free_bytes;
};

enum form_field { FIELD_NAME, FIELD_PHONE, FIELD_EMAIL, FIELD_PARTY_SIZE, FIELD_REMARK, FIELD_COUNT };

#define FORM_VALUE_MAX 1024

/* The sign-up form and the done screen. Holds personal data: wiped with
 * signup_wipe() on every way out (done, cancel, idle timeout). */
enum done_state {
    DONE_CHECKING,            /* done.checking: asking the hub, at most 3 s */
    DONE_CONFIRMED,           /* done.confirmed: the hub's word, or within the lease */
    DONE_WAITLISTED,          /* done.waitlisted, with the position */
    DONE_FULL,                /* done.full */
    DONE_CLOSED,              /* done.closed */
    DONE_PENDING,             /* done.pending: received, no answer in time */
};

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
    bool keyboard_hidden;                  /* search: key.done put it away for the results */
    int layout_step;                       /* key.layout taps since the form opened */
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
    /* What the done screen says (automation-v1 `signup-done`): checking
     * while it waits for the hub, then one of the five, kept once shown. */
    enum done_state done_state;
    char done_id[40];                      /* the sign-up's outbox id */
    char done_activity_id[UI_ID_MAX];
    int64_t done_occurrence;
    int done_position;                     /* waitlisted: the hub's position */
    int64_t done_check_until_ms;           /* checking: the 3 s end, on the kiosk's clock */
    int64_t done_check_started_real_ms;    /* checking: when, on the monotonic clock */
    /* Full or closed: what was typed, until the resident taps another
     * occurrence, leaves or the idle timeout (never logged). */
    bool kept;
    char kept_value[FIELD_COUNT][FORM_VALUE_MAX];
    int kept_party_size;
    unsigned kept_fields;
};

/* Sign-up state of one occurrence, as the detail screen shows it. */
struct signup_state {
    bool offered;          /* the activity takes sign-ups at all */
    bool open;             /* activity.signup is shown */
    bool closed;           /* too late: closes_before_min has passed */
    bool unlimited;
    int64_t places_left;   /* capacity - taken - this kiosk's sign-ups the feed does not count */
    bool waitlist;         /* full, but the waiting list is open */
    bool lease_only;       /* the hub cannot be asked: open only within the lease */
};

/* The last take-home code encoded, with its text: a screen is redrawn on
 * every scroll step, and encoding a code costs a millisecond or two. */
struct qr_memo {
    char text[1024];
    struct qr_code code;
    bool ok;
};

struct ui {
    struct ui_env env;
    int width, height;
    struct qr_memo qr;
    struct theme theme;
    struct text_measurer measurer;

    enum screen screen;
    struct place here;
    struct place back[UI_BACK_DEPTH];
    size_t n_back;

    char lang[16];
    bool large_text, high_contrast;

    /* the activity list's and the service list's filters */
    enum time_filter time_filter;
    char theme_filter[CONTENT_CODE_MAX];   /* "" = any theme */
    char topic_filter[CONTENT_CODE_MAX];   /* "" = every topic */

    /* what the screens show (content.h), and its loader after a sync */
    struct content content;
    struct content_loader *loader;
    bool loading;                /* a background load is under way */

    struct scroller list;        /* the current screen's main list or details */

    /* sync state for the footer and the empty-cache screen */
    int64_t last_sync_ok_at;
    bool last_sync_failed;
    /* The last contact with the hub failed: sign-up beyond the lease is
     * not offered (docs/spec-notes.md, "reachable"). */
    bool hub_unreachable;
    char network_problem[256];   /* why the network thread is not running; "" = it runs */

    /* idle */
    int64_t last_input_ms;
    bool idle_warning;

    struct signup_form form;
    struct staff_state staff;

    /* opening hours: outside them the screen is dark until a touch */
    int64_t woken_until_ms;      /* a touch on the dark screen keeps it on till then */

    /* read-aloud: ui.c speaks the frame, input.c's first and second tap,
     * chrome.c's toggles; it ends with the idle reset */
    struct read_aloud {
        bool on;
        int volume_step;             /* 1 ... SPEECH_VOLUME_STEPS */
        char marked[UI_ID_MAX + 64]; /* the target a first tap spoke; "" = none */
        bool screen_pending;         /* speak the screen once its frame is built */
    } speech;

    struct touch touch;
    int64_t shown_minute;        /* the minute the last frame showed */

    struct frame frame;
    bool dirty;
    uint64_t frames_built;
};

/* What a screen builder draws with. */
struct build {
    struct canvas c;
    struct ui *ui;
    struct rect content;         /* between header and footer */
};

/* How the idle timeout treats a screen. */
enum idle_rule {
    IDLE_RESIDENT,   /* a warning, then back to attract with everything wiped */
    IDLE_NONE,       /* attract and the dark screen: nothing to time out */
    IDLE_STAFF,      /* staff who walk away are logged out, without a warning */
};

/* A screen: one file defines one, screen_list.h names it once. Every
 * function but build may be NULL. */
struct screen_def {
    const char *name;                            /* automation-v1's name */
    unsigned content;                            /* content parts shown (enum content_part) */
    enum idle_rule idle;
    bool keeps_activity_list;                    /* back leads to the activity list: keep it */
    bool no_staff_gesture;                       /* a long touch in the corner means typing */
    void (*enter)(struct ui *ui);                /* after the switch, before the content loads */
    void (*leave)(struct ui *ui, enum screen to);
    void (*build)(struct build *b);
    /* A tap on one of its widgets; false when w is not the screen's. */
    bool (*activate)(struct ui *ui, const struct widget *w);
    /* The clock time (ms) at which tick must run next; INT64_MAX for none. */
    int64_t (*deadline)(const struct ui *ui, int64_t now_ms);
    void (*tick)(struct ui *ui, int64_t now_ms);
    /* Finds a virtual list's row that is not built (scrolled away). */
    bool (*locate)(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport);
};

/* The definition of s (screens.c). */
const struct screen_def *screen_def(enum screen s);

/* ---- nav.c ---- */

/* Switches to screen to (remembering where it was for nav.back, or
 * forgetting the way back), loads what it shows and redraws. */
void ui_go(struct ui *ui, enum screen to, bool remember);
/* The same, to a place with its own activity or service. */
void ui_go_place(struct ui *ui, const struct place *to, bool remember);
void ui_go_back(struct ui *ui);
/* Wipes every trace of the resident and shows attract. */
void ui_reset_to_attract(struct ui *ui);
/* Handles the widgets every screen shares (navigation, language,
 * accessibility); false when w is none of them. */
bool ui_activate_common(struct ui *ui, const struct widget *w);

/* Read-aloud (ui.c). Say the current screen once its next frame is built
 * (screen entry, a new language, speech switched on). */
void ui_speech_screen(struct ui *ui);
/* Cut off what is said. */
void ui_speech_stop(struct ui *ui);
/* Say one widget: its label, then its text when it has another. */
void ui_speech_widget(struct ui *ui, const struct widget *w);
/* Speech on or off; off also forgets the marked target. */
void ui_speech_set(struct ui *ui, bool on);
/* The volume's next step (a11y.volume). */
void ui_speech_volume_step(struct ui *ui);
/* Applies the text size and contrast modes to the theme. */
void ui_apply_theme(struct ui *ui);

/* ---- content wiring (ui.c) ---- */

/* The request for the parts that the current place shows. */
void ui_content_request(const struct ui *ui, unsigned parts, struct content_request *out);
/* Loads those parts now, on this thread. */
void ui_load(struct ui *ui, unsigned parts);
/* Swaps in what the background loader finished, when it still fits the
 * place the screens are at (ui_tick calls it). */
void ui_take_loaded_content(struct ui *ui);

/* ---- timers.c ---- */

/* Dark outside opening hours (or by staff), light again when due. */
void ui_check_schedule(struct ui *ui, int64_t now_ms);
/* When the idle warning shows, and when the idle timeout strikes. */
int64_t ui_idle_warn_at(const struct ui *ui);
int64_t ui_idle_timeout_at(const struct ui *ui);

/* ---- format.c: texts put together ---- */

const char *ui_tr(const struct ui *ui, const char *key);
/* The form of a plural entry for the count n in the current language. */
const char *ui_tr_n(const struct ui *ui, const char *key, long long n);
int64_t ui_now_s(const struct ui *ui);
/* "do 26 nov", "donderdag 26 november", "10:00" in the current language. */
void ui_format_day_short(const struct ui *ui, int64_t t, char *buf, size_t len);
void ui_format_day_long(const struct ui *ui, int64_t t, char *buf, size_t len);
void ui_format_time(int64_t t, char *buf, size_t len);
/* "donderdag 26 november, 10:00" (and "–11:30" when end > start). */
void ui_format_when(const struct ui *ui, int64_t start, int64_t end, char *buf, size_t len);
/* Fills the one slot "{name}" of a catalog text with value. */
void ui_fill(const char *text, const char *slot, const char *value, char *buf, size_t len);
/* Fills "{n}" with a number. */
void ui_fill_number(const char *text, long long n, char *buf, size_t len);
/* A count shown in words: the plural form of key for n, "{n}" filled. */
void ui_format_count(const struct ui *ui, const char *key, long long n, char *buf, size_t len);
/* "Bijgewerkt om 10:05" for the last good sync. */
/* "Bijgewerkt om 10:00", with the day when that was not today; true (and
 * a warning) after a day without a good sync: the id is updated.stale. */
bool ui_format_updated(const struct ui *ui, char *buf, size_t len);
/* "Nog 3 plaatsen" / "Nog 1 plaats" / "Vol" (full_key when none are left). */
void ui_format_places(const struct ui *ui, int64_t left, const char *full_key, char *buf,
                      size_t len);
/* The widget ids of what the feed lists, each built here only:
 * activity.ID.YYYYMMDDTHHMM (an occurrence), service.ID, announcement.ID. */
void ui_occurrence_id(const char *activity_id, int64_t starts_at, char *buf, size_t len);
void ui_service_id(const char *service_id, char *buf, size_t len);
void ui_announcement_id(const char *announcement_id, char *buf, size_t len);
/* The start of the current time filter's window, and its end. */
void ui_filter_window(const struct ui *ui, enum time_filter filter, int64_t *from,
                      int64_t *until);
/* "name, address" of a location, into the frame; NULL when there is none. */
const char *ui_location_line(const struct ui *ui, struct frame *f, const char *location_id);

/* ---- chrome.c: what frames a screen ---- */

/* The header (title; back and home, or the logo with the languages in a
 * row under it), the footer (updated at, text size, contrast), and
 * b->content between them. */
void chrome_frame(struct build *b, const char *title, bool with_nav);
/* with_logo: the organisation's logo leads the header (home). */
void chrome_header(struct build *b, const char *title, bool with_nav, bool with_logo);
/* The language choice: one lang.CODE toggle per offered language, named
 * in its own script, in rows that wrap inside area's width; returns the
 * height used. */
int chrome_languages(struct build *b, struct rect area);
/* A language's name in its own words (lang.name.CODE of its catalog). */
const char *chrome_language_name(struct build *b, const char *lang);
/* Feed texts that fell back (feed-v1 "Text"): shown_in is "" when the
 * text is in the resident's language, else the language it is in. The
 * note says which, in the resident's language ("(in Dutch)"); NULL for "". */
const char *chrome_fallback_note(struct build *b, const char *shown_in);
/* text followed by that note, in the frame; text itself when in place. */
const char *chrome_with_note(struct build *b, const char *text, const char *shown_in);
/* A feed text inside a line the kiosk composes is isolated (FSI ... PDI,
 * UAX #9): it keeps its own direction, and its neutral ends ("65+") stay
 * with it instead of taking the line's. Labels drop the two marks. */
#define ISOLATE(s) "\xE2\x81\xA8" s "\xE2\x81\xA9"
/* A line the kiosk composes (a title with its note, "day · time · place")
 * reads in the interface's direction whatever its first word: in a
 * right-to-left interface it starts with a right-to-left mark. Feed
 * paragraphs are left to their own first letter. */
const char *chrome_ui_line(struct build *b, const char *text);
/* Gives the widget drawn last, when widgets from first on were added, the
 * language its feed text is shown in (dump's `lang`) and, when label is
 * not NULL, that label: a list item's label is the title without the note. */
void chrome_mark_lang(struct build *b, size_t first, const char *label, const char *shown_in);
/* details_text of a feed text, with the note and `lang` when it fell back. */
void chrome_feed_text(struct build *b, struct details *d, const char *id, const char *text,
                      const char *shown_in, int px, enum font_weight weight, struct rgba colour);
/* The organisation's logo in room (see canvas_image). */
struct rect chrome_logo(struct build *b, struct rect room, bool at_right);
/* A note in area, such as "nothing this week" (key) or, when the content
 * part failed to load, that the cache could not be read. */
void chrome_empty(struct build *b, unsigned part, const char *key, struct rect area, int list);
/* The same as a block of details (nothing for this activity, ...). */
void chrome_details_empty(struct build *b, struct details *d, unsigned part, const char *key);
/* The idle warning over whatever screen shows. */
void chrome_idle_overlay(struct build *b);

/* ---- signup_form.c ---- */

/* Whether the shown occurrence of the loaded activity takes sign-ups now. */
void signup_state_of(const struct ui *ui, const struct activity_detail *a,
                     struct signup_state *out);
/* Opens the form for the shown occurrence, when it takes sign-ups. */
void signup_open(struct ui *ui);
bool signup_field_ok(const struct ui *ui, enum form_field f);
bool signup_ready(const struct ui *ui);
/* One more or one fewer in the party, within bounds; false when not. */
bool signup_party_step(struct ui *ui, int step);
/* The form's widget id, catalog label and error key of a field. */
const char *signup_field_id(enum form_field f);
const char *signup_field_label(enum form_field f);
const char *signup_field_error(enum form_field f);
/* The signup_field bit of a form field. */
unsigned signup_field_bit(enum form_field f);
/* How much a field takes: characters (name, remark) or bytes. */
size_t signup_field_limit(enum form_field f);
/* Moves focus to the form's next text field: after the last one the
 * keyboard goes away. */
void signup_focus_next(struct ui *ui);
/* Sends the form to the outbox, then shows the done screen. */
void signup_submit(struct ui *ui);
/* The done screen: full or closed, the resident tapped another occurrence
 * of the same activity: its form opens with what was typed. */
void signup_again(struct ui *ui, int64_t occurrence);
/* The done screen asks the outbox whether the hub answered; true when
 * what it says changed. */
bool signup_done_poll(struct ui *ui, int64_t now_ms);
void signup_wipe(struct ui *ui);

/* ---- activities.c ---- */

/* An occurrence's second line in a list: "do 26 nov · 10:00–11:30 · Nog 3
 * plaatsen · Buurthuis De Kamers"; *full when no place is left. */
void activities_line(struct build *b, const struct occurrence_item *it, char *buf, size_t len,
                     bool *full);

/* ---- keyboard.c ---- */

/* Types one on-screen key (by its widget id) into the form's focused
 * field; false when id is no key. */
bool keyboard_type(struct ui *ui, const char *key_id);
/* Draws the keyboard at the bottom of the screen; returns its top. */
/* Where typing ends: key.next moves to the next field of a form; on the
 * search screen the same key is key.done, which puts the keyboard away so
 * that the results have the screen (large text leaves them little room). */
enum keyboard_end { KEYBOARD_END_NEXT, KEYBOARD_END_DONE };
int keyboard_build(struct build *b, bool phone_pad, enum keyboard_end end);

/* ---- staff.c ---- */

/* True when a finger has rested long enough in the top-left corner. */
bool staff_gesture_due(const struct ui *ui, int64_t now_ms, int64_t *due_at);
void staff_open_pin(struct ui *ui);
/* Reads the PIN pad's lock-out from the kiosk's database (model/pinlock.h). */
void staff_pin_load_lock(struct ui *ui);
/* Reads the status panel's figures (on entering staff mode, after sync). */
void staff_read_status(struct ui *ui);
/* Lines of the staff screen's status panel, into the frame's arena. */
size_t staff_info(struct ui *ui, struct frame *f, const char **lines, size_t max);
void staff_free(struct ui *ui);
/* Logs and counts a staff action (never with personal data). */
void staff_act(struct ui *ui, const char *action);

/* A feed image (content.h) in a details area, on a white plate at the
 * start side, at most 40 % of the frame's height, aspect kept; widget id,
 * role image, label. Nothing without an image. */
void chrome_detail_image(struct build *b, struct details *d, const char *id,
                         const struct content_image *im, const char *label);
/* A list row's thumbnail in a square as high as the row's card at the
 * row's start (mirrored with the frame); returns the width the row gives
 * up for it (also with no image: the rows' texts stay aligned). */
int chrome_list_thumb(struct build *b, int list, const struct content_image *im, struct rect row);

#endif
