/*
 * The console's content pages (issue 13): activities, services with
 * walk-in hours and announcements, listed, added, edited, cancelled or
 * removed. Only HTML and HTTP here: what a form's values become, whether
 * the feed validator takes it, and storing it are hub_content.h's.
 *
 *   GET       /admin/activities                 the user's locations' activities
 *   GET|POST  /admin/activities/new             the add form (fields: hub_content.h)
 *   GET|POST  /admin/activities/edit?id=ID      the same, filled in; the next dates
 *                                               with a button to cancel each
 *   GET|POST  /admin/activities/cancel(?id=ID)  ask, then remove it from the feed
 *   POST      /admin/activities/cancel-date     id, at (an instant): one date off
 *   GET       /admin/services, /admin/announcements, their /new and /edit?id=,
 *   POST      their /remove (id)
 *
 * A form with mistakes answers 422 with the form again, the values kept,
 * each error beside its field and a summary at the top linking to them.
 * An item of a location the user may not see is 404 on every path.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "hub/hub_admin_page.h"
#include "hub/hub_content.h"
#include "model/rrule.h"

/* The dates the edit page offers to cancel, and how far ahead. */
#define NEXT_DATES 8
#define AHEAD_S (90 * 86400)

/* ---- texts (this module's own, Dutch first) --------------------------------------------- */

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

static const char *const texts[T_COUNT][HUB_LANG_COUNT] = {
    [T_TITLE] = {"Titel", "Title"},
    [T_LOCATION] = {"Locatie", "Location"},
    [T_DATE] = {"Datum (eerste keer)", "Date (first time)"},
    [T_START] = {"Begintijd", "Start time"},
    [T_END] = {"Eindtijd", "End time"},
    [T_REPEAT] = {"Herhalen", "Repeat"},
    [T_REPEAT_NONE] = {"Eenmalig", "Once"},
    [T_REPEAT_WEEKLY] = {"Elke week", "Every week"},
    [T_REPEAT_MONTHLY] = {"Elke maand", "Every month"},
    [T_WEEKDAYS] = {"Op deze dagen (bij elke week)", "On these days (every week)"},
    [T_WEEKDAYS_HINT] = {"Niets aangevinkt: de dag van de datum.",
                         "Nothing ticked: the date's day of the week."},
    [T_NTH] = {"Welke week van de maand (bij elke maand)", "Which week of the month (every month)"},
    [T_NTH_HINT] = {"Op de weekdag van de datum. Leeg: zoals de datum valt.",
                    "On the date's day of the week. Empty: as the date falls."},
    [T_NTH_LAST] = {"laatste", "last"},
    [T_UNTIL] = {"Herhalen tot en met (niet verplicht)", "Repeat until (optional)"},
    [T_DESCRIPTION] = {"Beschrijving", "Description"},
    [T_SIGNUP] = {"Aanmelden", "Sign-up"},
    [T_SIGNUP_NO] = {"Geen aanmelding", "No sign-up"},
    [T_SIGNUP_YES] = {"Aanmelden via de kiosk", "Sign-up at the kiosk"},
    [T_CAPACITY] = {"Aantal plaatsen per keer", "Places each time"},
    [T_CAPACITY_HINT] = {"Leeg: onbeperkt.", "Empty: unlimited."},
    [T_WAITLIST] = {"Wachtlijst als het vol is", "Waiting list when full"},
    [T_TRANSLATIONS] = {"Vertalingen (niet verplicht)", "Translations (optional)"},
    [T_EDIT] = {"Wijzigen", "Edit"},
    [T_CANCEL] = {"Annuleren", "Cancel"},
    [T_CANCEL_TITLE] = {"Activiteit annuleren", "Cancel activity"},
    [T_CANCEL_EXPLAIN] =
        {"De activiteit verdwijnt bij de volgende verversing van de kiosks. Wie zich al "
         "aanmeldde, blijft op de lijsten hieronder staan: bel hen eerst of druk de lijsten af.",
         "The activity disappears from the kiosks at their next refresh. Who already signed up "
         "stays on the lists below: call them first, or print the lists."},
    [T_CANCEL_CONFIRM] = {"Ja, hele activiteit annuleren", "Yes, cancel the whole activity"},
    [T_CANCEL_DATE] = {"Deze datum annuleren", "Cancel this date"},
    [T_NEXT_DATES] = {"Volgende data", "Next dates"},
    [T_NO_NEXT] = {"Geen data in de komende 90 dagen.", "No dates in the next 90 days."},
    [T_NEW_ACTIVITY] = {"Activiteit toevoegen", "Add activity"},
    [T_EDIT_ACTIVITY] = {"Activiteit wijzigen", "Edit activity"},
    [T_WHEN] = {"Wanneer", "When"},
    [T_NEXT] = {"Volgende keer", "Next time"},
    [T_ACTIONS] = {"Doen", "Actions"},
    [T_NONE_YET] = {"Nog niets.", "Nothing yet."},
    [T_SAVED] = {"Opgeslagen. De kiosks tonen het na hun volgende verversing.",
                 "Saved. Kiosks show it after their next refresh."},
    [T_CANCELLED] = {"Geannuleerd. Aanmeldingen blijven bewaard op de hub.",
                     "Cancelled. Sign-ups stay on the hub."},
    [T_DATE_CANCELLED] = {"Die datum is geannuleerd.", "That date is cancelled."},
    [T_REMOVED] = {"Verwijderd.", "Removed."},
    [T_ONCE] = {"eenmalig", "once"},
    [T_EVERY] = {"elke week op", "every week on"},
    [T_MONTHLY_ON] = {"elke maand, week", "every month, week"},
    [T_NAME] = {"Naam", "Name"},
    [T_ORGANIZATION] = {"Organisatie", "Organisation"},
    [T_WALK_IN] = {"Inloopspreekuur", "Walk-in hours"},
    [T_DAYS] = {"Dagen", "Days"},
    [T_OPENS] = {"Van", "From"},
    [T_CLOSES] = {"Tot", "Until"},
    [T_PHONE] = {"Telefoon", "Phone"},
    [T_EMAIL] = {"E-mail", "E-mail"},
    [T_URL] = {"Website", "Website"},
    [T_HOW_TO] = {"Hoe kom je in contact", "How to get in touch"},
    [T_ADD_SERVICE] = {"Hulp of dienst toevoegen", "Add help or service"},
    [T_EDIT_SERVICE] = {"Hulp of dienst wijzigen", "Edit help or service"},
    [T_REMOVE] = {"Verwijderen", "Remove"},
    [T_TEXT] = {"Tekst", "Text"},
    [T_LOCATIONS] = {"Tonen op de kiosks van", "Show on the kiosks of"},
    [T_EVERYWHERE] = {"overal", "everywhere"},
    [T_LOCATIONS_HINT] = {"Niets aangevinkt: op alle kiosks (alleen coördinatoren).",
                          "Nothing ticked: on every kiosk (coordinators only)."},
    [T_FROM] = {"Tonen vanaf (niet verplicht)", "Show from (optional)"},
    [T_UNTIL_MOMENT] = {"Tonen tot (niet verplicht)", "Show until (optional)"},
    [T_PRIORITY] = {"Belangrijkheid", "Priority"},
    [T_NORMAL] = {"Gewoon", "Normal"},
    [T_URGENT] = {"Dringend (ook op het startscherm)", "Urgent (also on the start screen)"},
    [T_ADD_ANNOUNCEMENT] = {"Mededeling toevoegen", "Add announcement"},
    [T_EDIT_ANNOUNCEMENT] = {"Mededeling wijzigen", "Edit announcement"},
    [T_PERIOD] = {"Periode", "Period"},
    [T_OPTIONAL] = {"niet verplicht", "optional"},
    [T_LANG_EN] = {"Engels", "English"},
    [T_LANG_TR] = {"Turks", "Turkish"},
    [T_LANG_AR] = {"Arabisch", "Arabic"},
    [T_LANG_PL] = {"Pools", "Polish"},
    [T_LANG_UK] = {"Oekraïens", "Ukrainian"},
    [T_LANG_TI] = {"Tigrinya", "Tigrinya"},
    [T_E_MISSING] = {"Vul dit in.", "Please fill this in."},
    [T_E_DATE] = {"Schrijf een datum als 2026-12-31.", "Write a date like 2026-12-31."},
    [T_E_TIME] = {"Schrijf een tijd als 19:30.", "Write a time like 19:30."},
    [T_E_CHOICE] = {"Kies een van de mogelijkheden.", "Choose one of the options."},
    [T_E_WEEKDAY] = {"Kies minstens één dag.", "Choose at least one day."},
    [T_E_NUMBER] = {"Vul een heel getal in, 0 of meer.", "Enter a whole number, 0 or more."},
    [T_E_NOT_YOURS] = {"Deze locatie kunt u niet kiezen.", "You cannot choose this location."},
    [T_E_EVERYWHERE] = {"Kies een of meer van uw locaties.",
                        "Choose one or more of your locations."},
    [T_E_BEFORE] = {"Dit ligt vóór het begin.", "This is before the start."},
    [T_E_INVALID] = {"De kiosks kunnen dit niet tonen", "Kiosks cannot show this"},
    [T_E_NO_LOCATION] = {"Deze locatie bestaat niet op de hub.",
                         "This location does not exist on the hub."},
    [T_E_TOO_LONG] = {"Dit is te lang (ten hoogste 8 KiB).", "This is too long (8 KiB at most)."},
};

static const char *tx(const struct admin_out *o, enum text t)
{
    return texts[t][o->lang];
}

static const enum text lang_names[HUB_CONTENT_LANGS] = {T_LANG_EN, T_LANG_TR, T_LANG_AR,
                                                        T_LANG_PL, T_LANG_UK, T_LANG_TI};

/* What an error says, in the page's language. */
static void error_text(const struct admin_out *o, const struct hub_content_error *e, char *out,
                       size_t len)
{
    static const enum text by_problem[] = {
        [HC_MISSING] = T_E_MISSING,       [HC_BAD_DATE] = T_E_DATE,
        [HC_BAD_TIME] = T_E_TIME,         [HC_BAD_CHOICE] = T_E_CHOICE,
        [HC_NO_WEEKDAY] = T_E_WEEKDAY,    [HC_BAD_NUMBER] = T_E_NUMBER,
        [HC_NOT_YOURS] = T_E_NOT_YOURS,   [HC_EVERYWHERE] = T_E_EVERYWHERE,
        [HC_BEFORE] = T_E_BEFORE,         [HC_INVALID] = T_E_INVALID,
    };
    if (e->problem != HC_INVALID) {
        snprintf(out, len, "%s", tx(o, by_problem[e->problem]));
        return;
    }
    /* The validator's reasons that staff meet, in their words. */
    if (strstr(e->detail, "before"))
        snprintf(out, len, "%s", tx(o, T_E_BEFORE));
    else if (strstr(e->detail, "names no location"))
        snprintf(out, len, "%s", tx(o, T_E_NO_LOCATION));
    else if (strstr(e->detail, "over 8 KiB"))
        snprintf(out, len, "%s", tx(o, T_E_TOO_LONG));
    else
        snprintf(out, len, "%s (%s).", tx(o, T_E_INVALID), e->detail);
}

/* ---- values a form shows ------------------------------------------------------------------ */

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

static void values_add(struct values *vs, const char *name, const char *value)
{
    if (!value || vs->n >= VALUES_MAX)
        return;
    snprintf(vs->v[vs->n].name, sizeof vs->v[vs->n].name, "%s", name);
    vs->v[vs->n].value = strdup(value);
    if (vs->v[vs->n].value)
        vs->n++;
}

static void values_clear(struct values *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        free(vs->v[i].value);
    vs->n = 0;
}

static const char *values_nth(const void *ctx, const char *name, size_t i)
{
    const struct values *vs = ctx;
    for (size_t k = 0; k < vs->n; k++)
        if (strcmp(vs->v[k].name, name) == 0 && i-- == 0)
            return vs->v[k].value;
    return NULL;
}

static const char *posted_nth(const void *ctx, const char *name, size_t i)
{
    return admin_form_nth(ctx, name, i);
}

static const char *get(const struct hub_content_form *f, const char *name)
{
    return f->nth(f->ctx, name, 0);
}

static bool has_value(const struct hub_content_form *f, const char *name, const char *value)
{
    const char *v;
    for (size_t i = 0; (v = f->nth(f->ctx, name, i)) != NULL; i++)
        if (strcmp(v, value) == 0)
            return true;
    return false;
}

/* A stored localized text as NAME and NAME_LANG values. */
static void text_values(struct values *vs, const json_t *item, const char *key)
{
    json_t *t = json_object_get(item, key);
    if (json_is_string(t)) {
        values_add(vs, key, json_string_value(t));
        return;
    }
    values_add(vs, key, json_string_value(json_object_get(t, "nl")));
    for (size_t i = 0; i < HUB_CONTENT_LANGS; i++) {
        char name[HUB_CONTENT_FIELD_MAX];
        snprintf(name, sizeof name, "%s_%s", key, hub_content_langs[i]);
        values_add(vs, name, json_string_value(json_object_get(t, hub_content_langs[i])));
    }
}

static void local_values(struct values *vs, const char *date_name, const char *time_name,
                         const char *timestamp)
{
    int64_t t;
    if (!timestamp || !rfc3339_parse(timestamp, &t))
        return;
    struct local_time lt;
    tz_to_local(t, &lt);
    char date[24], clock[8];
    snprintf(date, sizeof date, "%04d-%02d-%02d", lt.year, lt.month, lt.day);
    snprintf(clock, sizeof clock, "%02d:%02d", lt.hour, lt.minute);
    if (time_name) {
        values_add(vs, date_name, date);
        values_add(vs, time_name, clock);
    } else {
        char both[40];
        snprintf(both, sizeof both, "%sT%s", date, clock);
        values_add(vs, date_name, both);
    }
}

/* ---- page parts --------------------------------------------------------------------------- */

static const char *err_for(const struct admin_out *o, const struct hub_content_errors *errs,
                           const char *field, char *buf, size_t len)
{
    const struct hub_content_error *e = errs ? hub_content_error_of(errs, field) : NULL;
    if (!e)
        return NULL;
    error_text(o, e, buf, len);
    return buf;
}

/* The summary at the top: every error, linking to its field. */
static void error_summary(struct admin_out *o, const struct hub_content_errors *errs)
{
    if (!errs || !errs->n)
        return;
    fputs("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><p "
          "class=\"error\">", o->f);
    hub_html_text(o->f, admin_msg(o, MSG_FORM_HAS_ERRORS));
    fputs("</p><ul>", o->f);
    for (size_t i = 0; i < errs->n; i++) {
        char text[256];
        error_text(o, &errs->e[i], text, sizeof text);
        fputs("<li>", o->f);
        if (errs->e[i].field[0]) {
            fputs("<a href=\"#", o->f);
            hub_html_text(o->f, errs->e[i].field);
            fputs("\">", o->f);
            hub_html_text(o->f, errs->e[i].field);
            fputs("</a>: ", o->f);
        }
        hub_html_text(o->f, text);
        fputs("</li>", o->f);
    }
    fputs("</ul></div>", o->f);
}

static void notice(struct admin_out *o, const struct admin_ctx *cx)
{
    const char *done = admin_arg(cx, "done");
    static const struct {
        const char *key;
        enum text t;
    } notices[] = {{"saved", T_SAVED}, {"cancelled", T_CANCELLED},
                   {"date-cancelled", T_DATE_CANCELLED}, {"removed", T_REMOVED}};
    for (size_t i = 0; done && i < sizeof notices / sizeof *notices; i++)
        if (strcmp(done, notices[i].key) == 0)
            fprintf(o->f, "<p class=\"notice\" role=\"status\">%s</p>", tx(o, notices[i].t));
}

/* An error paragraph and the attributes that tie a control to it. */
static void error_before(struct admin_out *o, const char *name, const char *error)
{
    if (!error)
        return;
    fputs("<p class=\"error\" id=\"", o->f);
    hub_html_text(o->f, name);
    fputs("-error\">", o->f);
    hub_html_text(o->f, error);
    fputs("</p>", o->f);
}

static void error_attrs(struct admin_out *o, const char *name, const char *error,
                        const char *hint_id)
{
    if (error) {
        fputs(" aria-invalid=\"true\" aria-describedby=\"", o->f);
        hub_html_text(o->f, name);
        fputs("-error", o->f);
        if (hint_id)
            fprintf(o->f, " %s", hint_id);
        fputs("\"", o->f);
    } else if (hint_id) {
        fprintf(o->f, " aria-describedby=\"%s\"", hint_id);
    }
}

struct option {
    const char *value;
    const char *label;
};

static void select_field(struct admin_out *o, const char *name, const char *label,
                         const struct option *opts, size_t n, const char *chosen,
                         const char *error, const char *hint)
{
    char hint_id[HUB_CONTENT_FIELD_MAX + 8];
    snprintf(hint_id, sizeof hint_id, "%s-hint", name);
    fprintf(o->f, "<div class=\"field\"><label for=\"%s\">", name);
    hub_html_text(o->f, label);
    fputs("</label>", o->f);
    if (hint)
        fprintf(o->f, "<p class=\"hint\" id=\"%s\">%s</p>", hint_id, hint);
    error_before(o, name, error);
    fprintf(o->f, "<select id=\"%s\" name=\"%s\"", name, name);
    error_attrs(o, name, error, hint ? hint_id : NULL);
    fputs(">", o->f);
    for (size_t i = 0; i < n; i++) {
        fputs("<option value=\"", o->f);
        hub_html_text(o->f, opts[i].value);
        fprintf(o->f, "\"%s>", chosen && strcmp(chosen, opts[i].value) == 0 ? " selected" : "");
        hub_html_text(o->f, opts[i].label);
        fputs("</option>", o->f);
    }
    fputs("</select></div>", o->f);
}

/* Checkboxes sharing one name in a fieldset; the first box carries the id
 * the error summary links to. */
static void checks_field(struct admin_out *o, const char *name, const char *legend,
                         const struct option *opts, size_t n, const struct hub_content_form *f,
                         const char *error, const char *hint)
{
    char hint_id[HUB_CONTENT_FIELD_MAX + 8];
    snprintf(hint_id, sizeof hint_id, "%s-hint", name);
    fputs("<fieldset class=\"checks\"><legend>", o->f);
    hub_html_text(o->f, legend);
    fputs("</legend>", o->f);
    if (hint)
        fprintf(o->f, "<p class=\"hint\" id=\"%s\">%s</p>", hint_id, hint);
    error_before(o, name, error);
    for (size_t i = 0; i < n; i++) {
        fprintf(o->f, "<label><input type=\"checkbox\" name=\"%s\"", name);
        if (i == 0)
            fprintf(o->f, " id=\"%s\"", name);
        fputs(" value=\"", o->f);
        hub_html_text(o->f, opts[i].value);
        fputs("\"", o->f);
        if (has_value(f, name, opts[i].value))
            fputs(" checked", o->f);
        error_attrs(o, name, error, hint ? hint_id : NULL);
        fputs("> ", o->f);
        hub_html_text(o->f, opts[i].label);
        fputs("</label>", o->f);
    }
    fputs("</fieldset>", o->f);
}

static void input(struct admin_out *o, const struct hub_content_form *f,
                  const struct hub_content_errors *errs, const char *name, const char *label,
                  const char *type, const char *extra)
{
    char buf[256];
    admin_field(o, name, label, type, get(f, name), err_for(o, errs, name, buf, sizeof buf),
                extra);
}

/* A text's translations, folded away: most staff write Dutch only. */
static void translations(struct admin_out *o, const struct hub_content_form *f,
                         const struct hub_content_errors *errs, const char *key,
                         const char *label, const char *type)
{
    bool open = false;
    for (size_t i = 0; i < HUB_CONTENT_LANGS; i++) {
        char name[HUB_CONTENT_FIELD_MAX];
        snprintf(name, sizeof name, "%s_%s", key, hub_content_langs[i]);
        open = open || (get(f, name) && *get(f, name)) ||
               (errs && hub_content_error_of(errs, name));
    }
    fprintf(o->f, "<details%s><summary>", open ? " open" : "");
    hub_html_text(o->f, label);
    fputs(": ", o->f);
    hub_html_text(o->f, tx(o, T_TRANSLATIONS));
    fputs("</summary>", o->f);
    for (size_t i = 0; i < HUB_CONTENT_LANGS; i++) {
        char name[HUB_CONTENT_FIELD_MAX], text[96], extra[32];
        snprintf(name, sizeof name, "%s_%s", key, hub_content_langs[i]);
        snprintf(text, sizeof text, "%s (%s)", label, tx(o, lang_names[i]));
        snprintf(extra, sizeof extra, "lang=\"%s\" dir=\"auto\"", hub_content_langs[i]);
        input(o, f, errs, name, text, type, extra);
    }
    fputs("</details>", o->f);
}

/* The locations the user may choose, as options (id, name). */
struct location_list {
    size_t n;
    struct option opt[64];
    char *names[64];
    char *ids[64];
    const char *lang;
};

static void collect_location(void *ctx, const json_t *item)
{
    struct location_list *l = ctx;
    if (l->n >= sizeof l->opt / sizeof *l->opt)
        return;
    const char *id = json_string_value(json_object_get(item, "id"));
    const char *name = hub_content_text(item, "name", l->lang);
    l->ids[l->n] = strdup(id ? id : "");
    l->names[l->n] = strdup(name ? name : l->ids[l->n] ? l->ids[l->n] : "");
    if (!l->ids[l->n] || !l->names[l->n]) {
        free(l->ids[l->n]);
        free(l->names[l->n]);
        return;
    }
    l->opt[l->n].value = l->ids[l->n];
    l->opt[l->n].label = l->names[l->n];
    l->n++;
}

/* Locations are "seen" as items of their own id. */
static void location_filter(void *ctx, const json_t *item)
{
    struct {
        struct location_list *l;
        const char *locations;
    } *c = ctx;
    json_t *probe = json_pack("{sO}", "location_id", json_object_get(item, "id"));
    if (probe && hub_content_may_touch(FEED_ACTIVITY, probe, c->locations))
        collect_location(c->l, item);
    json_decref(probe);
}

static bool load_locations(struct hub_db *db, const struct admin_ctx *cx, enum hub_lang lang,
                           struct location_list *l)
{
    memset(l, 0, sizeof *l);
    l->lang = hub_html_lang_code(lang);
    struct {
        struct location_list *l;
        const char *locations;
    } c = {l, cx->session->locations};
    return hub_content_each(db, FEED_LOCATION, NULL, location_filter, &c);
}

static void locations_clear(struct location_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->ids[i]);
        free(l->names[i]);
    }
    l->n = 0;
}

static const char *location_name(const struct location_list *l, const char *id)
{
    for (size_t i = 0; id && i < l->n; i++)
        if (strcmp(l->ids[i], id) == 0)
            return l->names[i];
    return id;
}

/* ---- shared request handling ------------------------------------------------------------ */

static enum MHD_Result admin_content_fail(const struct admin_ctx *cx, enum hub_content_result r)
{
    return r == HUB_CONTENT_NOT_FOUND
               ? admin_simple_page(cx->c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL)
               : admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
}

static enum MHD_Result redirect_done(const struct admin_ctx *cx, const char *path,
                                     const char *done)
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    char location[128];
    snprintf(location, sizeof location, "%s?done=%s%s", path, done, o.lang_param);
    admin_out_discard(&o);
    return admin_redirect(cx->c, location, NULL);
}

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

/* The add or edit form; status 200, or 422 with errors. */
static enum MHD_Result form_page(const struct admin_ctx *cx, const struct kind_page *k,
                                 const char *id, const struct hub_content_form *f,
                                 const struct hub_content_errors *errs, const json_t *stored)
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    struct location_list locs;
    bool ok = db && load_locations(db, cx, o.lang, &locs);
    const char *title = tx(&o, id ? k->edit : k->add);
    admin_page_begin(&o, cx, title);
    fputs("<h1>", o.f);
    hub_html_text(o.f, title);
    fputs("</h1>", o.f);
    notice(&o, cx);
    error_summary(&o, errs);
    if (id)
        fprintf(o.f, "<form method=\"post\" action=\"%s/edit?id=%s%s\" novalidate>", k->path, id,
                o.lang_param);
    else
        fprintf(o.f, "<form method=\"post\" action=\"%s/new%s\" novalidate>", k->path,
                o.lang_query);
    admin_csrf_field(&o, cx);
    if (ok)
        k->fields(&o, f, errs, &locs, cx);
    fprintf(o.f, "<div><button type=\"submit\" id=\"save\">%s</button> <a href=\"%s%s\">%s</a>"
                 "</div></form>",
            admin_msg(&o, MSG_SAVE), k->path, o.lang_query, admin_msg(&o, MSG_BACK));
    /* An activity's next dates, each with its own cancel button. */
    if (ok && stored && k->kind == FEED_ACTIVITY) {
        int64_t now = admin_now(cx), starts[NEXT_DATES];
        size_t n = hub_content_occurrences(stored, tz_start_of_day(now), now + AHEAD_S, starts,
                                           NEXT_DATES);
        fprintf(o.f, "<h2>%s</h2>", tx(&o, T_NEXT_DATES));
        if (!n)
            fprintf(o.f, "<p>%s</p>", tx(&o, T_NO_NEXT));
        else
            fputs("<ul class=\"dates\">", o.f);
        for (size_t i = 0; i < n; i++) {
            char when[RFC3339_LEN];
            rfc3339_format_local(starts[i], when);
            fprintf(o.f, "<li><form method=\"post\" action=\"/admin/activities/cancel-date%s\">",
                    o.lang_query);
            admin_csrf_field(&o, cx);
            fprintf(o.f, "<input type=\"hidden\" name=\"id\" value=\"%s\">"
                         "<input type=\"hidden\" name=\"at\" value=\"%" PRId64 "\">"
                         "<a href=\"/admin/list?activity=%s&amp;at=%" PRId64 "%s\">%.16s</a> "
                         "<button type=\"submit\">%s</button></form></li>",
                    id, starts[i], id, starts[i], o.lang_param, when, tx(&o, T_CANCEL_DATE));
        }
        if (n)
            fputs("</ul>", o.f);
    }
    hub_html_end(o.f);
    if (db)
        locations_clear(&locs);
    hub_pool_release(cx->opts->pool, db);
    if (!ok) {
        admin_out_discard(&o);
        return admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return admin_out_send(&o, cx->c, errs && errs->n ? MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK,
                          true, NULL, NULL);
}

struct list_ctx {
    struct admin_out *o;
    const struct kind_page *k;
    const struct location_list *locs;
    int64_t now;
    const char *csrf;
    size_t rows;
};

static void list_one(void *ctx, const json_t *item)
{
    struct list_ctx *l = ctx;
    l->rows++;
    l->k->list_row(l->o, item, l->locs, l->now, l->csrf);
}

static enum MHD_Result list_page(const struct admin_ctx *cx, const struct kind_page *k)
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    struct location_list locs;
    bool ok = db && hub_db_begin_read(db) && load_locations(db, cx, o.lang, &locs);
    admin_page_begin(&o, cx, admin_msg(&o, k->list_title));
    fputs("<h1>", o.f);
    hub_html_text(o.f, admin_msg(&o, k->list_title));
    fputs("</h1>", o.f);
    notice(&o, cx);
    fprintf(o.f, "<p><a href=\"%s/new%s\">%s</a></p>", k->path, o.lang_query, tx(&o, k->add));
    if (ok) {
        /* The rows first, so that an empty list shows a sentence, not a
         * table's head alone. */
        struct admin_out rows = o;
        rows.buf = NULL;
        rows.len = 0;
        rows.f = open_memstream(&rows.buf, &rows.len);
        struct list_ctx l = {&rows, k, &locs, admin_now(cx), cx->session->csrf, 0};
        ok = rows.f && hub_content_each(db, k->kind, cx->session->locations, list_one, &l);
        if (rows.f)
            fclose(rows.f);
        if (ok && l.rows) {
            fputs("<table><thead><tr>", o.f);
            k->list_head(&o);
            fprintf(o.f, "</tr></thead><tbody>%.*s</tbody></table>", (int)rows.len, rows.buf);
        } else if (ok) {
            fprintf(o.f, "<p>%s</p>", tx(&o, T_NONE_YET));
        }
        free(rows.buf);
        locations_clear(&locs);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(cx->opts->pool, db);
    hub_html_end(o.f);
    if (!ok) {
        admin_out_discard(&o);
        return admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return admin_out_send(&o, cx->c, MHD_HTTP_OK, true, NULL, NULL);
}

static enum MHD_Result new_page(const struct admin_ctx *cx, const struct kind_page *k)
{
    struct values vs = {0};
    struct hub_content_form f = {&vs, values_nth};
    if (!cx->form)
        return form_page(cx, k, NULL, &f, NULL, NULL);
    struct hub_content_form posted = {cx->form, posted_nth};
    char id[FEED_ID_MAX + 1];
    hub_content_new_id(k->kind, id);
    struct hub_content_errors errs = {0};
    json_t *item = k->build(&posted, NULL, id, cx->session->locations, &errs);
    enum hub_content_result r = HUB_CONTENT_REFUSED;
    if (item) {
        struct hub_db *db = hub_pool_acquire(cx->opts->pool);
        r = db ? hub_content_save(db, k->kind, item, false, admin_now(cx), cx->session->username,
                                  k->add_action, &errs)
               : HUB_CONTENT_FAILED;
        hub_pool_release(cx->opts->pool, db);
        json_decref(item);
    } else if (!errs.n) {
        r = HUB_CONTENT_FAILED;
    }
    if (r == HUB_CONTENT_SAVED)
        return redirect_done(cx, k->path, "saved");
    if (r == HUB_CONTENT_REFUSED)
        return form_page(cx, k, NULL, &posted, &errs, NULL);
    return admin_content_fail(cx, r);
}

/* The stored item the request's ?id= names, when the user may touch it. */
static json_t *requested_item(const struct admin_ctx *cx, enum feed_kind kind, const char *id,
                              enum hub_content_result *r)
{
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    bool failed = db == NULL;
    json_t *item = db ? hub_content_load(db, kind, id, cx->session->locations, &failed) : NULL;
    hub_pool_release(cx->opts->pool, db);
    *r = failed ? HUB_CONTENT_FAILED : HUB_CONTENT_NOT_FOUND;
    return item;
}

static enum MHD_Result edit_page(const struct admin_ctx *cx, const struct kind_page *k)
{
    const char *id = admin_arg(cx, "id");
    enum hub_content_result r;
    json_t *stored = requested_item(cx, k->kind, id, &r);
    if (!stored)
        return admin_content_fail(cx, r);
    enum MHD_Result answer;
    if (!cx->form) {
        struct values vs = {0};
        k->item_values(&vs, stored);
        struct hub_content_form f = {&vs, values_nth};
        answer = form_page(cx, k, id, &f, NULL, stored);
        values_clear(&vs);
    } else {
        struct hub_content_form posted = {cx->form, posted_nth};
        struct hub_content_errors errs = {0};
        json_t *item = k->build(&posted, stored, id, cx->session->locations, &errs);
        r = HUB_CONTENT_REFUSED;
        if (item) {
            struct hub_db *db = hub_pool_acquire(cx->opts->pool);
            r = db ? hub_content_save(db, k->kind, item, true, admin_now(cx),
                                      cx->session->username, k->edit_action, &errs)
                   : HUB_CONTENT_FAILED;
            hub_pool_release(cx->opts->pool, db);
            json_decref(item);
        } else if (!errs.n) {
            r = HUB_CONTENT_FAILED;
        }
        if (r == HUB_CONTENT_SAVED)
            answer = redirect_done(cx, k->path, "saved");
        else if (r == HUB_CONTENT_REFUSED)
            answer = form_page(cx, k, id, &posted, &errs, stored);
        else
            answer = admin_content_fail(cx, r);
    }
    json_decref(stored);
    return answer;
}

static void edit_link(struct admin_out *o, const struct kind_page *k, const char *id)
{
    fprintf(o->f, "<a href=\"%s/edit?id=%s%s\">%s</a>", k->path, id, o->lang_param,
            tx(o, T_EDIT));
}

/* ---- activities ------------------------------------------------------------------------- */

static void activity_values(struct values *vs, const json_t *item)
{
    text_values(vs, item, "title");
    text_values(vs, item, "description");
    values_add(vs, "location_id", json_string_value(json_object_get(item, "location_id")));
    local_values(vs, "date", "start", json_string_value(json_object_get(item, "starts_at")));
    local_values(vs, "end_date", "end", json_string_value(json_object_get(item, "ends_at")));
    const char *rule = json_string_value(json_object_get(item, "rrule"));
    struct rrule parsed;
    char why[96];
    if (!rule || !rrule_parse(rule, &parsed, why, sizeof why)) {
        values_add(vs, "repeat", "none");
    } else {
        values_add(vs, "repeat", strstr(rule, "FREQ=MONTHLY") ? "monthly" : "weekly");
        /* BYDAY's parts as the form writes them: MO / 2TU / -1FR. */
        const char *by = strstr(rule, "BYDAY=");
        char list[64] = "";
        if (by)
            snprintf(list, sizeof list, "%.*s", (int)strcspn(by + 6, ";"), by + 6);
        for (char *p = strtok(list, ","); p; p = strtok(NULL, ",")) {
            size_t n = strlen(p);
            if (n > 2 && strstr(rule, "FREQ=MONTHLY")) {
                p[n - 2] = '\0';
                values_add(vs, "monthly_nth", p);
            } else if (n == 2) {
                values_add(vs, "weekday", p);
            }
        }
        const char *until = strstr(rule, "UNTIL=");
        if (until && strlen(until) >= 14) {
            char date[11];
            snprintf(date, sizeof date, "%.4s-%.2s-%.2s", until + 6, until + 10, until + 12);
            values_add(vs, "until", date);
        }
    }
    json_t *s = json_object_get(item, "signup");
    values_add(vs, "signup", json_is_object(s) ? "yes" : "no");
    if (json_is_integer(json_object_get(s, "capacity"))) {
        char cap[24];
        snprintf(cap, sizeof cap, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(s, "capacity")));
        values_add(vs, "capacity", cap);
    }
    if (json_is_true(json_object_get(s, "waitlist")))
        values_add(vs, "waitlist", "1");
}

static void activity_fields(struct admin_out *o, const struct hub_content_form *f,
                            const struct hub_content_errors *errs,
                            const struct location_list *locs, const struct admin_ctx *cx)
{
    (void)cx;
    char buf[256];
    input(o, f, errs, "title", tx(o, T_TITLE), "text", "required");
    translations(o, f, errs, "title", tx(o, T_TITLE), "text");
    select_field(o, "location_id", tx(o, T_LOCATION), locs->opt, locs->n, get(f, "location_id"),
                 err_for(o, errs, "location_id", buf, sizeof buf), NULL);
    input(o, f, errs, "date", tx(o, T_DATE), "date", "required");
    input(o, f, errs, "start", tx(o, T_START), "time", "required");
    input(o, f, errs, "end", tx(o, T_END), "time", NULL);
    const struct option repeats[] = {{"none", tx(o, T_REPEAT_NONE)},
                                     {"weekly", tx(o, T_REPEAT_WEEKLY)},
                                     {"monthly", tx(o, T_REPEAT_MONTHLY)}};
    select_field(o, "repeat", tx(o, T_REPEAT), repeats, 3, get(f, "repeat"),
                 err_for(o, errs, "repeat", buf, sizeof buf), NULL);
    static const char *const days[2][7] = {
        {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}};
    static const char *const codes[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    struct option weekdays[7];
    for (int i = 0; i < 7; i++)
        weekdays[i] = (struct option){codes[i], days[o->lang][i]};
    checks_field(o, "weekday", tx(o, T_WEEKDAYS), weekdays, 7, f,
                 err_for(o, errs, "weekday", buf, sizeof buf), tx(o, T_WEEKDAYS_HINT));
    const struct option nths[] = {{"", "–"}, {"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"},
                                  {"-1", tx(o, T_NTH_LAST)}};
    select_field(o, "monthly_nth", tx(o, T_NTH), nths, 6, get(f, "monthly_nth"),
                 err_for(o, errs, "monthly_nth", buf, sizeof buf), tx(o, T_NTH_HINT));
    input(o, f, errs, "until", tx(o, T_UNTIL), "date", NULL);
    input(o, f, errs, "description", tx(o, T_DESCRIPTION), "textarea", NULL);
    translations(o, f, errs, "description", tx(o, T_DESCRIPTION), "textarea");
    const struct option signups[] = {{"no", tx(o, T_SIGNUP_NO)}, {"yes", tx(o, T_SIGNUP_YES)}};
    select_field(o, "signup", tx(o, T_SIGNUP), signups, 2, get(f, "signup"),
                 err_for(o, errs, "signup", buf, sizeof buf), NULL);
    input(o, f, errs, "capacity", tx(o, T_CAPACITY), "number", "min=\"0\" inputmode=\"numeric\"");
    const struct option wait[] = {{"1", tx(o, T_WAITLIST)}};
    checks_field(o, "waitlist", tx(o, T_WAITLIST), wait, 1, f, NULL, NULL);
}

static void activity_head(struct admin_out *o)
{
    fprintf(o->f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
            tx(o, T_TITLE), tx(o, T_LOCATION), tx(o, T_WHEN), tx(o, T_NEXT), tx(o, T_ACTIONS));
}

/* "every week on MO,WE, 19:30" in plain words. */
static void when_text(struct admin_out *o, const json_t *item)
{
    struct values vs = {0};
    activity_values(&vs, item);
    struct hub_content_form f = {&vs, values_nth};
    const char *repeat = get(&f, "repeat");
    if (strcmp(repeat, "weekly") == 0) {
        fprintf(o->f, "%s ", tx(o, T_EVERY));
        const char *d;
        for (size_t i = 0; (d = values_nth(&vs, "weekday", i)) != NULL; i++)
            fprintf(o->f, "%s%s", i ? "," : "", d);
    } else if (strcmp(repeat, "monthly") == 0) {
        const char *nth = get(&f, "monthly_nth");
        fprintf(o->f, "%s %s", tx(o, T_MONTHLY_ON),
                nth && strcmp(nth, "-1") == 0 ? tx(o, T_NTH_LAST) : nth ? nth : "?");
    } else {
        fprintf(o->f, "%s %s", tx(o, T_ONCE), get(&f, "date") ? get(&f, "date") : "");
    }
    fprintf(o->f, ", %s", get(&f, "start") ? get(&f, "start") : "");
    if (get(&f, "end"))
        fprintf(o->f, "–%s", get(&f, "end"));
    values_clear(&vs);
}

static void activity_row(struct admin_out *o, const json_t *item,
                         const struct location_list *locs, int64_t now, const char *csrf)
{
    (void)csrf;
    const char *id = json_string_value(json_object_get(item, "id"));
    fputs("<tr><td>", o->f);
    hub_html_text(o->f, hub_content_text(item, "title", hub_html_lang_code(o->lang)));
    fputs("</td><td>", o->f);
    hub_html_text(o->f, location_name(locs, json_string_value(json_object_get(item,
                                                                             "location_id"))));
    fputs("</td><td>", o->f);
    when_text(o, item);
    fputs("</td><td>", o->f);
    int64_t next;
    if (hub_content_occurrences(item, now, now + 366 * 86400, &next, 1) == 1) {
        char text[RFC3339_LEN];
        rfc3339_format_local(next, text);
        fprintf(o->f, "%.10s %.5s", text, text + 11);
    } else {
        fputs("–", o->f);
    }
    fputs("</td><td>", o->f);
    struct kind_page k = {.path = "/admin/activities"};
    edit_link(o, &k, id);
    fprintf(o->f, " <a href=\"/admin/activities/cancel?id=%s%s\">%s</a></td></tr>", id,
            o->lang_param, tx(o, T_CANCEL));
}

static const struct kind_page activities = {
    FEED_ACTIVITY, "/admin/activities", MSG_NAV_ACTIVITIES, T_NEW_ACTIVITY, T_EDIT_ACTIVITY,
    HUB_AUDIT_ACTIVITY_ADD, HUB_AUDIT_ACTIVITY_EDIT, hub_content_activity, activity_values,
    activity_fields, activity_head, activity_row,
};

enum MHD_Result admin_activities_page(const struct admin_ctx *cx)
{
    return list_page(cx, &activities);
}

enum MHD_Result admin_activity_new_page(const struct admin_ctx *cx)
{
    return new_page(cx, &activities);
}

enum MHD_Result admin_activity_edit_page(const struct admin_ctx *cx)
{
    return edit_page(cx, &activities);
}

/* GET: what cancelling means, the next dates' lists, and the button;
 * POST (id): remove the activity from the feed. */
enum MHD_Result admin_activity_cancel_page(const struct admin_ctx *cx)
{
    if (cx->form) {
        const char *id = admin_form_get(cx->form, "id");
        struct hub_db *db = hub_pool_acquire(cx->opts->pool);
        enum hub_content_result r =
            db ? hub_content_remove(db, FEED_ACTIVITY, id, cx->session->locations, admin_now(cx),
                                    cx->session->username, HUB_AUDIT_ACTIVITY_CANCEL)
               : HUB_CONTENT_FAILED;
        hub_pool_release(cx->opts->pool, db);
        return r == HUB_CONTENT_SAVED ? redirect_done(cx, "/admin/activities", "cancelled")
                                      : admin_content_fail(cx, r);
    }
    const char *id = admin_arg(cx, "id");
    enum hub_content_result r;
    json_t *item = requested_item(cx, FEED_ACTIVITY, id, &r);
    if (!item)
        return admin_content_fail(cx, r);
    struct admin_out o;
    if (!admin_out_open(&o, cx->c)) {
        json_decref(item);
        return MHD_NO;
    }
    admin_page_begin(&o, cx, tx(&o, T_CANCEL_TITLE));
    fprintf(o.f, "<h1>%s: ", tx(&o, T_CANCEL_TITLE));
    hub_html_text(o.f, hub_content_text(item, "title", hub_html_lang_code(o.lang)));
    fprintf(o.f, "</h1><p>%s</p><h2>%s</h2>", tx(&o, T_CANCEL_EXPLAIN), tx(&o, T_NEXT_DATES));
    int64_t now = admin_now(cx), starts[NEXT_DATES];
    size_t n = hub_content_occurrences(item, tz_start_of_day(now), now + AHEAD_S, starts,
                                       NEXT_DATES);
    fputs(n ? "<ul>" : "", o.f);
    for (size_t i = 0; i < n; i++) {
        char when[RFC3339_LEN];
        rfc3339_format_local(starts[i], when);
        fprintf(o.f, "<li><a href=\"/admin/list?activity=%s&amp;at=%" PRId64 "%s\">%.10s %.5s"
                     "</a></li>", id, starts[i], o.lang_param, when, when + 11);
    }
    fprintf(o.f, n ? "</ul>" : "<p>%s</p>", tx(&o, T_NO_NEXT));
    fprintf(o.f, "<form method=\"post\" action=\"/admin/activities/cancel%s\">", o.lang_query);
    admin_csrf_field(&o, cx);
    fprintf(o.f, "<input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\" "
                 "id=\"cancel\">%s</button> <a href=\"/admin/activities%s\">%s</a></form>",
            id, tx(&o, T_CANCEL_CONFIRM), o.lang_query, admin_msg(&o, MSG_BACK));
    hub_html_end(o.f);
    json_decref(item);
    return admin_out_send(&o, cx->c, MHD_HTTP_OK, true, NULL, NULL);
}

/* POST id, at: cancel one date. */
enum MHD_Result admin_activity_cancel_date_page(const struct admin_ctx *cx)
{
    const char *id = admin_form_get(cx->form, "id");
    const char *at = admin_form_get(cx->form, "at");
    char *end = NULL;
    long long v = at ? strtoll(at, &end, 10) : -1;
    if (!at || !*at || *end || v <= 0)
        return admin_content_fail(cx, HUB_CONTENT_NOT_FOUND);
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    enum hub_content_result r =
        db ? hub_content_cancel_date(db, id, (int64_t)v, cx->session->locations, admin_now(cx),
                                     cx->session->username)
           : HUB_CONTENT_FAILED;
    hub_pool_release(cx->opts->pool, db);
    if (r != HUB_CONTENT_SAVED)
        return admin_content_fail(cx, r);
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    char location[FEED_ID_MAX + 96];
    snprintf(location, sizeof location, "/admin/activities/edit?id=%s&done=date-cancelled%s", id,
             o.lang_param);
    admin_out_discard(&o);
    return admin_redirect(cx->c, location, NULL);
}

/* ---- removing a service or an announcement ----------------------------------------------- */

static void remove_button(struct admin_out *o, const char *path, const char *id,
                          const char *csrf)
{
    fprintf(o->f, " <form class=\"inline\" method=\"post\" action=\"%s/remove%s\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"", path, o->lang_query);
    hub_html_text(o->f, csrf);
    fprintf(o->f, "\"><input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\">"
                  "%s</button></form>", id, tx(o, T_REMOVE));
}

/* POST id: removes the item from the feed. */
static enum MHD_Result remove_page(const struct admin_ctx *cx, const struct kind_page *k,
                                   enum hub_audit_action action)
{
    const char *id = admin_form_get(cx->form, "id");
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    enum hub_content_result r =
        db ? hub_content_remove(db, k->kind, id, cx->session->locations, admin_now(cx),
                                cx->session->username, action)
           : HUB_CONTENT_FAILED;
    hub_pool_release(cx->opts->pool, db);
    return r == HUB_CONTENT_SAVED ? redirect_done(cx, k->path, "removed")
                                  : admin_content_fail(cx, r);
}

static void row_actions(struct admin_out *o, const struct kind_page *k, const json_t *item,
                        const char *csrf)
{
    const char *id = json_string_value(json_object_get(item, "id"));
    fputs("<td>", o->f);
    edit_link(o, k, id);
    remove_button(o, k->path, id, csrf);
    fputs("</td></tr>", o->f);
}

static const struct option *day_options(const struct admin_out *o, struct option out[7])
{
    static const char *const days[2][7] = {
        {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}};
    static const char *const codes[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};
    for (int i = 0; i < 7; i++)
        out[i] = (struct option){codes[i], days[o->lang][i]};
    return out;
}

/* ---- services ------------------------------------------------------------------------------- */

static const struct kind_page services;

static void service_values(struct values *vs, const json_t *item)
{
    text_values(vs, item, "name");
    text_values(vs, item, "description");
    text_values(vs, item, "how_to");
    static const char *const plain[] = {"location_id", "organization", "phone", "email", "url"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        values_add(vs, plain[i], json_string_value(json_object_get(item, plain[i])));
    size_t i;
    json_t *slot;
    json_array_foreach(json_object_get(item, "walk_in"), i, slot) {
        if (i >= HUB_CONTENT_WALK_IN_ROWS)
            break;
        char name[HUB_CONTENT_FIELD_MAX];
        size_t k;
        json_t *day;
        snprintf(name, sizeof name, "walk_in_days_%zu", i + 1);
        json_array_foreach(json_object_get(slot, "days"), k, day) {
            values_add(vs, name, json_string_value(day));
        }
        snprintf(name, sizeof name, "walk_in_opens_%zu", i + 1);
        values_add(vs, name, json_string_value(json_object_get(slot, "opens")));
        snprintf(name, sizeof name, "walk_in_closes_%zu", i + 1);
        values_add(vs, name, json_string_value(json_object_get(slot, "closes")));
    }
}

static void service_fields(struct admin_out *o, const struct hub_content_form *f,
                           const struct hub_content_errors *errs,
                           const struct location_list *locs, const struct admin_ctx *cx)
{
    (void)cx;
    char buf[256];
    input(o, f, errs, "name", tx(o, T_NAME), "text", "required");
    translations(o, f, errs, "name", tx(o, T_NAME), "text");
    select_field(o, "location_id", tx(o, T_LOCATION), locs->opt, locs->n, get(f, "location_id"),
                 err_for(o, errs, "location_id", buf, sizeof buf), NULL);
    input(o, f, errs, "organization", tx(o, T_ORGANIZATION), "text", NULL);
    input(o, f, errs, "description", tx(o, T_DESCRIPTION), "textarea", NULL);
    translations(o, f, errs, "description", tx(o, T_DESCRIPTION), "textarea");
    struct option days[7];
    day_options(o, days);
    for (int row = 1; row <= HUB_CONTENT_WALK_IN_ROWS; row++) {
        char legend[96], name[HUB_CONTENT_FIELD_MAX], opens[HUB_CONTENT_FIELD_MAX],
            closes[HUB_CONTENT_FIELD_MAX];
        snprintf(legend, sizeof legend, "%s %d", tx(o, T_WALK_IN), row);
        snprintf(name, sizeof name, "walk_in_days_%d", row);
        snprintf(opens, sizeof opens, "walk_in_opens_%d", row);
        snprintf(closes, sizeof closes, "walk_in_closes_%d", row);
        fputs("<fieldset><legend>", o->f);
        hub_html_text(o->f, legend);
        fputs("</legend>", o->f);
        checks_field(o, name, tx(o, T_DAYS), days, 7, f, err_for(o, errs, name, buf, sizeof buf),
                     NULL);
        input(o, f, errs, opens, tx(o, T_OPENS), "time", NULL);
        input(o, f, errs, closes, tx(o, T_CLOSES), "time", NULL);
        fputs("</fieldset>", o->f);
    }
    input(o, f, errs, "phone", tx(o, T_PHONE), "tel", NULL);
    input(o, f, errs, "email", tx(o, T_EMAIL), "email", NULL);
    input(o, f, errs, "url", tx(o, T_URL), "url", NULL);
    input(o, f, errs, "how_to", tx(o, T_HOW_TO), "textarea", NULL);
    translations(o, f, errs, "how_to", tx(o, T_HOW_TO), "textarea");
}

static void service_head(struct admin_out *o)
{
    fprintf(o->f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th>",
            tx(o, T_NAME), tx(o, T_LOCATION), tx(o, T_WALK_IN), tx(o, T_ACTIONS));
}

static void service_row(struct admin_out *o, const json_t *item,
                        const struct location_list *locs, int64_t now, const char *csrf)
{
    (void)now;
    fputs("<tr><td>", o->f);
    hub_html_text(o->f, hub_content_text(item, "name", hub_html_lang_code(o->lang)));
    fputs("</td><td>", o->f);
    hub_html_text(o->f, location_name(locs, json_string_value(json_object_get(item,
                                                                             "location_id"))));
    fputs("</td><td>", o->f);
    size_t i, k;
    json_t *slot, *day;
    json_array_foreach(json_object_get(item, "walk_in"), i, slot) {
        fputs(i ? "; " : "", o->f);
        json_array_foreach(json_object_get(slot, "days"), k, day) {
            fputs(k ? "," : "", o->f);
            hub_html_text(o->f, json_string_value(day));
        }
        fputs(" ", o->f);
        hub_html_text(o->f, json_string_value(json_object_get(slot, "opens")));
        fputs("–", o->f);
        hub_html_text(o->f, json_string_value(json_object_get(slot, "closes")));
    }
    fputs("</td>", o->f);
    row_actions(o, &services, item, csrf);
}

static const struct kind_page services = {
    FEED_SERVICE, "/admin/services", MSG_NAV_SERVICES, T_ADD_SERVICE, T_EDIT_SERVICE,
    HUB_AUDIT_SERVICE_ADD, HUB_AUDIT_SERVICE_EDIT, hub_content_service, service_values,
    service_fields, service_head, service_row,
};

enum MHD_Result admin_services_page(const struct admin_ctx *cx)
{
    return list_page(cx, &services);
}

enum MHD_Result admin_service_new_page(const struct admin_ctx *cx)
{
    return new_page(cx, &services);
}

enum MHD_Result admin_service_edit_page(const struct admin_ctx *cx)
{
    return edit_page(cx, &services);
}

enum MHD_Result admin_service_remove_page(const struct admin_ctx *cx)
{
    return remove_page(cx, &services, HUB_AUDIT_SERVICE_REMOVE);
}

/* ---- announcements ------------------------------------------------------------------------- */

static const struct kind_page announcements;

static void announcement_values(struct values *vs, const json_t *item)
{
    text_values(vs, item, "text");
    size_t i;
    json_t *id;
    json_array_foreach(json_object_get(item, "location_ids"), i, id) {
        values_add(vs, "location_ids", json_string_value(id));
    }
    local_values(vs, "from", NULL, json_string_value(json_object_get(item, "from")));
    local_values(vs, "until", NULL, json_string_value(json_object_get(item, "until")));
    const char *p = json_string_value(json_object_get(item, "priority"));
    values_add(vs, "priority", p ? p : "normal");
}

static void announcement_fields(struct admin_out *o, const struct hub_content_form *f,
                                const struct hub_content_errors *errs,
                                const struct location_list *locs, const struct admin_ctx *cx)
{
    char buf[256];
    input(o, f, errs, "text", tx(o, T_TEXT), "textarea", "required");
    translations(o, f, errs, "text", tx(o, T_TEXT), "textarea");
    checks_field(o, "location_ids", tx(o, T_LOCATIONS), locs->opt, locs->n, f,
                 err_for(o, errs, "location_ids", buf, sizeof buf),
                 cx->session->locations ? NULL : tx(o, T_LOCATIONS_HINT));
    input(o, f, errs, "from", tx(o, T_FROM), "datetime-local", NULL);
    input(o, f, errs, "until", tx(o, T_UNTIL_MOMENT), "datetime-local", NULL);
    const struct option priorities[] = {{"normal", tx(o, T_NORMAL)}, {"urgent", tx(o, T_URGENT)}};
    select_field(o, "priority", tx(o, T_PRIORITY), priorities, 2, get(f, "priority"),
                 err_for(o, errs, "priority", buf, sizeof buf), NULL);
}

static void announcement_head(struct admin_out *o)
{
    fprintf(o->f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
            tx(o, T_TEXT), tx(o, T_LOCATIONS), tx(o, T_PERIOD), tx(o, T_PRIORITY),
            tx(o, T_ACTIONS));
}

static void announcement_row(struct admin_out *o, const json_t *item,
                             const struct location_list *locs, int64_t now, const char *csrf)
{
    (void)now;
    fputs("<tr><td>", o->f);
    hub_html_text(o->f, hub_content_text(item, "text", hub_html_lang_code(o->lang)));
    fputs("</td><td>", o->f);
    json_t *ids = json_object_get(item, "location_ids");
    if (!json_array_size(ids))
        hub_html_text(o->f, tx(o, T_EVERYWHERE));
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        fputs(i ? ", " : "", o->f);
        hub_html_text(o->f, location_name(locs, json_string_value(id)));
    }
    fputs("</td><td>", o->f);
    const char *from = json_string_value(json_object_get(item, "from"));
    const char *until = json_string_value(json_object_get(item, "until"));
    if (from)
        fprintf(o->f, "%.10s %.5s", from, from + 11);
    fputs(" – ", o->f);
    if (until)
        fprintf(o->f, "%.10s %.5s", until, until + 11);
    const char *p = json_string_value(json_object_get(item, "priority"));
    fprintf(o->f, "</td><td>%s</td>",
            p && strcmp(p, "urgent") == 0 ? tx(o, T_URGENT) : tx(o, T_NORMAL));
    row_actions(o, &announcements, item, csrf);
}

static const struct kind_page announcements = {
    FEED_ANNOUNCEMENT, "/admin/announcements", MSG_NAV_ANNOUNCEMENTS, T_ADD_ANNOUNCEMENT,
    T_EDIT_ANNOUNCEMENT, HUB_AUDIT_ANNOUNCEMENT_ADD, HUB_AUDIT_ANNOUNCEMENT_EDIT,
    hub_content_announcement, announcement_values, announcement_fields, announcement_head,
    announcement_row,
};

enum MHD_Result admin_announcements_page(const struct admin_ctx *cx)
{
    return list_page(cx, &announcements);
}

enum MHD_Result admin_announcement_new_page(const struct admin_ctx *cx)
{
    return new_page(cx, &announcements);
}

enum MHD_Result admin_announcement_edit_page(const struct admin_ctx *cx)
{
    return edit_page(cx, &announcements);
}

enum MHD_Result admin_announcement_remove_page(const struct admin_ctx *cx)
{
    return remove_page(cx, &announcements, HUB_AUDIT_ANNOUNCEMENT_REMOVE);
}
