/*
 * The content the staff console's forms change (issue 13, hub-api-v1.md
 * "The staff console"): activities, services and announcements, one item
 * at a time, without HTTP, so that the rules are unit-testable.
 *
 * A form's values become a feed-v1 item (jansson) here; the item is then
 * judged by feed_parse(), the kiosk's own validator, inside a one-item
 * document with the hub's locations, and stored by hub_import's code for
 * one item, so that a form can store nothing an import could not. A form
 * that edits an item starts from the stored item, so that fields the form
 * does not show (themes, cost, contact, ... from an import) are kept.
 *
 * Who may touch what: a staff member's locations are a JSON array of ids,
 * NULL for a coordinator (hub_session.h). An activity or service is theirs
 * when its location_id is; an announcement when every one of its
 * location_ids is (one for everywhere is a coordinator's).
 */
#ifndef BK_HUB_CONTENT_H
#define BK_HUB_CONTENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/hub_audit.h"
#include "hub/hub_db.h"
#include "model/feed.h"

/* The languages a form offers translations in, besides Dutch: the ones
 * the kiosk speaks. A text's field for one is NAME_LANG (title_en). */
#define HUB_CONTENT_LANGS 6
extern const char *const hub_content_langs[HUB_CONTENT_LANGS];

/* The walk-in rows a service form has. */
#define HUB_CONTENT_WALK_IN_ROWS 3

/* A posted form as the builders read it: the i-th value of a field (NULL
 * past the last; a field may repeat, e.g. checkboxes). */
struct hub_content_form {
    const void *ctx;
    const char *(*nth)(const void *ctx, const char *name, size_t i);
};

/* What is wrong with a field; the page says it in the user's language. */
enum hub_content_problem {
    HC_MISSING,             /* required and empty */
    HC_BAD_DATE,            /* not YYYY-MM-DD, or no such day */
    HC_BAD_TIME,            /* not HH:MM */
    HC_BAD_CHOICE,          /* not one of the options */
    HC_NO_WEEKDAY,          /* weekly without any valid day */
    HC_BAD_NUMBER,          /* not a whole number in range */
    HC_NOT_YOURS,           /* a location the user may not use */
    HC_EVERYWHERE,          /* "all locations" by someone who is no coordinator */
    HC_BEFORE,              /* an end before its start */
    HC_INVALID,             /* the feed validator's reason, in detail */
};

#define HUB_CONTENT_MAX_ERRORS 16
#define HUB_CONTENT_FIELD_MAX 32

struct hub_content_error {
    char field[HUB_CONTENT_FIELD_MAX];  /* the form field; "" = the form as a whole */
    enum hub_content_problem problem;
    char detail[128];                   /* HC_INVALID: the validator's words */
};

struct hub_content_errors {
    size_t n;
    struct hub_content_error e[HUB_CONTENT_MAX_ERRORS];
};

/* Adds an error (past HUB_CONTENT_MAX_ERRORS, it is dropped); detail may
 * be NULL. */
void hub_content_add_error(struct hub_content_errors *errs, const char *field,
                           enum hub_content_problem problem, const char *detail);

/* The first error about field, or NULL. */
const struct hub_content_error *hub_content_error_of(const struct hub_content_errors *errs,
                                                     const char *field);

/* Builders: the item a form stands for, or NULL with errs filled (errs->n
 * > 0; NULL with errs->n == 0 is out of memory). base is the stored item
 * an edit starts from, or NULL for a new one; id the item's id. locations
 * is the user's (see above). They check the form's own rules (a date is a
 * date, a location is the user's); feed-v1's rules are hub_content_save's.
 *
 * Activity fields: title, title_LANG, location_id, date (YYYY-MM-DD),
 * start and end (HH:MM; end may be empty), repeat (none, weekly,
 * monthly), weekday (repeated, MO..SU; absent: the date's), monthly_nth
 * (1..4 or -1 for the last; absent: the date's), until (YYYY-MM-DD,
 * optional), description, description_LANG, signup ("1" offers sign-up),
 * capacity (empty: unlimited), waitlist ("1"). A repeating activity's
 * first occurrence (starts_at) is the first day on or after date that the
 * rule names, since feed-v1 counts starts_at as an occurrence.
 *
 * Service fields: name, name_LANG, location_id, organization,
 * description(_LANG), walk_in_days_N (repeated, mo..su), walk_in_opens_N,
 * walk_in_closes_N for N = 1..HUB_CONTENT_WALK_IN_ROWS (a row without
 * days and times is left out), phone, email, url, how_to(_LANG).
 *
 * Announcement fields: text, text_LANG, location_ids (repeated; none =
 * everywhere, a coordinator's only), from and until (YYYY-MM-DDTHH:MM
 * local, optional), priority (normal, urgent). */
json_t *hub_content_activity(const struct hub_content_form *form, const json_t *base,
                             const char *id, const char *locations,
                             struct hub_content_errors *errs);
json_t *hub_content_service(const struct hub_content_form *form, const json_t *base,
                            const char *id, const char *locations,
                            struct hub_content_errors *errs);
json_t *hub_content_announcement(const struct hub_content_form *form, const json_t *base,
                                 const char *id, const char *locations,
                                 struct hub_content_errors *errs);

/* A new item id: a prefix for the kind and 16 random hex digits. */
void hub_content_new_id(enum feed_kind kind, char out[FEED_ID_MAX + 1]);

/* Whether a user with locations may see and change item (of kind). */
bool hub_content_may_touch(enum feed_kind kind, const json_t *item, const char *locations);

enum hub_content_result {
    HUB_CONTENT_SAVED,
    HUB_CONTENT_REFUSED,    /* errs says why; nothing changed */
    HUB_CONTENT_NOT_FOUND,  /* no such item, or not the user's */
    HUB_CONTENT_FAILED,     /* the database failed; nothing changed */
};

/* Validates item with feed_parse() against the hub's locations and, when
 * it passes, stores it in one write transaction: replacing the item with
 * the same id when replace is true (keeping its place in the feed), else
 * as a new item at the end; the audit row (who, action, the item's id)
 * and the content's new version go in the same transaction. The
 * validator's reason becomes an error on the field it is about. */
enum hub_content_result hub_content_save(struct hub_db *db, enum feed_kind kind,
                                         const json_t *item, bool replace, int64_t now,
                                         const char *who, enum hub_audit_action action,
                                         struct hub_content_errors *errs);

/* The stored item (new reference), or NULL when there is none or the user
 * may not see it; *failed tells a database error from that. */
json_t *hub_content_load(struct hub_db *db, enum feed_kind kind, const char *id,
                         const char *locations, bool *failed);

/* Removes an item the user may touch (audited with action). Sign-ups of a
 * removed activity stay in the hub. */
enum hub_content_result hub_content_remove(struct hub_db *db, enum feed_kind kind,
                                           const char *id, const char *locations, int64_t now,
                                           const char *who, enum hub_audit_action action);

/* Cancels the occurrence of activity id that starts at (an instant): adds
 * it to the activity's exdates (audited as activity.cancel-date).
 * NOT_FOUND when the activity is not the user's or has no occurrence
 * starting at at. */
enum hub_content_result hub_content_cancel_date(struct hub_db *db, const char *id, int64_t at,
                                                const char *locations, int64_t now,
                                                const char *who);

/* Calls fn for each stored item of kind the user may see, in feed order;
 * false on a database error. */
bool hub_content_each(struct hub_db *db, enum feed_kind kind, const char *locations,
                      void (*fn)(void *ctx, const json_t *item), void *ctx);

/* The starts of a stored activity item in [from, to), ascending, at most
 * max; 0 when its times or rule do not parse. */
size_t hub_content_occurrences(const json_t *activity, int64_t from, int64_t to, int64_t *out,
                               size_t max);

/* A localized text of item in lang, else Dutch, else any; NULL when absent. */
const char *hub_content_text(const json_t *item, const char *key, const char *lang);

#endif
