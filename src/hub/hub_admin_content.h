/*
 * What the content pages share (internal to hub_admin_content*.c): their
 * texts, the values a form shows, the form's parts (fields with their
 * errors tied to them, the error summary), and the list, add, edit and
 * remove pages that the three kinds (activities, services, announcements)
 * run with their own fields (struct kind_page).
 */
#ifndef BK_HUB_ADMIN_CONTENT_H
#define BK_HUB_ADMIN_CONTENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "hub/hub_admin_page.h"
#include "hub/hub_content.h"

/* The dates the edit and cancel pages offer, and how far ahead. */
#define NEXT_DATES 8
#define AHEAD_S (90 * 86400)

enum text {
    T_TITLE, T_LOCATION, T_DATE, T_START, T_END, T_REPEAT, T_REPEAT_NONE, T_REPEAT_WEEKLY,
    T_REPEAT_MONTHLY, T_WEEKDAYS, T_WEEKDAYS_HINT, T_NTH, T_NTH_HINT, T_NTH_LAST, T_UNTIL,
    T_DESCRIPTION, T_SIGNUP, T_SIGNUP_NO, T_SIGNUP_YES, T_CAPACITY, T_CAPACITY_HINT, T_WAITLIST,
    T_TRANSLATIONS, T_EDIT, T_CANCEL, T_CANCEL_TITLE, T_CANCEL_EXPLAIN, T_CANCEL_CONFIRM,
    T_CANCEL_DATE, T_NEXT_DATES, T_NO_NEXT, T_NEW_ACTIVITY, T_EDIT_ACTIVITY, T_WHEN, T_NEXT,
    T_ACTIONS, T_NONE_YET, T_SAVED, T_CANCELLED, T_DATE_CANCELLED, T_REMOVED, T_ONCE, T_EVERY,
    T_MONTHLY_ON, T_NAME, T_ORGANIZATION, T_WALK_IN, T_DAYS, T_OPENS, T_CLOSES, T_PHONE, T_EMAIL,
    T_URL, T_HOW_TO, T_ADD_SERVICE, T_EDIT_SERVICE, T_REMOVE, T_TEXT, T_LOCATIONS, T_EVERYWHERE,
    T_LOCATIONS_HINT, T_FROM, T_UNTIL_MOMENT, T_PRIORITY, T_NORMAL, T_URGENT, T_ADD_ANNOUNCEMENT,
    T_EDIT_ANNOUNCEMENT, T_PERIOD, T_OPTIONAL, T_LANG_EN, T_LANG_TR, T_LANG_AR, T_LANG_PL,
    T_LANG_UK, T_LANG_TI,
    /* errors, by enum hub_content_problem */
    T_E_MISSING, T_E_DATE, T_E_TIME, T_E_CHOICE, T_E_WEEKDAY, T_E_NUMBER, T_E_NOT_YOURS,
    T_E_EVERYWHERE, T_E_BEFORE, T_E_INVALID, T_E_NO_LOCATION, T_E_TOO_LONG, T_COUNT
};

/* Name-value pairs (a name may repeat), for a form filled from a stored
 * item; a posted form is read through the same hub_content_form. */
#define VALUES_MAX 96

struct values {
    size_t n;
    struct {
        char name[HUB_CONTENT_FIELD_MAX];
        char *value;
    } v[VALUES_MAX];
};

struct option {
    const char *value;
    const char *label;
};

/* The locations the user may choose, as options (id, name). */
struct location_list {
    size_t n;
    struct option opt[64];
    char *names[64];
    char *ids[64];
    const char *lang;
};

/* What the three kinds' pages differ in. */
struct kind_page {
    enum feed_kind kind;
    const char *path;               /* /admin/activities */
    enum hub_msg list_title;
    enum text add, edit;
    enum hub_audit_action add_action, edit_action;
    json_t *(*build)(const struct hub_content_form *, const json_t *, const char *,
                     const char *, struct hub_content_errors *);
    void (*item_values)(struct values *, const json_t *);
    void (*fields)(struct admin_out *, const struct hub_content_form *,
                   const struct hub_content_errors *, const struct location_list *,
                   const struct admin_ctx *);
    void (*list_head)(struct admin_out *);
    void (*list_row)(struct admin_out *, const json_t *, const struct location_list *, int64_t,
                     const char *csrf);
};

/* A text of this module in the page's language; an error's words. */
const char *cp_tx(const struct admin_out *o, enum text t);

void cp_error_text(const struct admin_out *o, const struct hub_content_error *e, char *out,
                   size_t len);

/* Values a form shows: added (copied), freed, and read as a form (the
 * posted one reads through cp_posted_nth); a stored text or time as
 * values. */
void cp_values_add(struct values *vs, const char *name, const char *value);

void cp_values_clear(struct values *vs);

const char *cp_values_nth(const void *ctx, const char *name, size_t i);

const char *cp_posted_nth(const void *ctx, const char *name, size_t i);

const char *cp_get(const struct hub_content_form *f, const char *name);

bool cp_has_value(const struct hub_content_form *f, const char *name, const char *value);

void cp_text_values(struct values *vs, const json_t *item, const char *key);

void cp_local_values(struct values *vs, const char *date_name, const char *time_name,
                     const char *timestamp);

/* The form's parts: a field's error in words (NULL: none), the summary
 * at the top, the notice a redirect asked for (?done=), a <select>,
 * checkboxes sharing a name, an <input> or <textarea> (admin_field), and
 * a text's translations. */
const char *cp_err_for(const struct admin_out *o, const struct hub_content_errors *errs,
                       const char *field, char *buf, size_t len);

void cp_error_summary(struct admin_out *o, enum feed_kind kind,
                      const struct hub_content_errors *errs);

void cp_notice(struct admin_out *o, const struct admin_ctx *cx);

void cp_select_field(struct admin_out *o, const char *name, const char *label,
                     const struct option *opts, size_t n, const char *chosen,
                     const char *error, const char *hint);

void cp_checks_field(struct admin_out *o, const char *name, const char *legend,
                     const struct option *opts, size_t n, const struct hub_content_form *f,
                     const char *error, const char *hint);

void cp_input(struct admin_out *o, const struct hub_content_form *f,
              const struct hub_content_errors *errs, const char *name, const char *label,
              const char *type, const char *extra);

void cp_translations(struct admin_out *o, const struct hub_content_form *f,
                     const struct hub_content_errors *errs, const char *key,
                     const char *label, const char *type);

/* The locations the user may choose. */
bool cp_load_locations(struct hub_db *db, const struct admin_ctx *cx, enum hub_lang lang,
                       struct location_list *l);

void cp_locations_clear(struct location_list *l);

const char *cp_location_name(const struct location_list *l, const char *id);

/* The pages every kind shares: 404 or 500, 303 with a notice, the form
 * (422 with errors), the list, add, the item ?id= names (when the user may
 * touch it), edit, and removing (POST id). */
enum MHD_Result cp_admin_content_fail(const struct admin_ctx *cx, enum hub_content_result r);

enum MHD_Result cp_redirect_done(const struct admin_ctx *cx, const char *path,
                                 const char *done);

enum MHD_Result cp_form_page(const struct admin_ctx *cx, const struct kind_page *k,
                             const char *id, const struct hub_content_form *f,
                             const struct hub_content_errors *errs, const json_t *stored);

enum MHD_Result cp_list_page(const struct admin_ctx *cx, const struct kind_page *k);

enum MHD_Result cp_new_page(const struct admin_ctx *cx, const struct kind_page *k);

json_t *cp_requested_item(const struct admin_ctx *cx, enum feed_kind kind, const char *id,
                          enum hub_content_result *r);

enum MHD_Result cp_edit_page(const struct admin_ctx *cx, const struct kind_page *k);

void cp_edit_link(struct admin_out *o, const struct kind_page *k, const char *id);

void cp_remove_button(struct admin_out *o, const char *path, const char *id,
                      const char *csrf);

enum MHD_Result cp_remove_page(const struct admin_ctx *cx, const struct kind_page *k,
                               enum hub_audit_action action);

void cp_row_actions(struct admin_out *o, const struct kind_page *k, const json_t *item,
                    const char *csrf);

const struct option *cp_day_options(const struct admin_out *o, struct option out[7]);

#endif
