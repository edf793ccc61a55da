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
#include "hub/hub_admin_content.h"

/* ---- texts (this module's own, Dutch first) --------------------------------------------- */


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

const char *cp_tx(const struct admin_out *o, enum text t)
{
    return texts[t][o->lang];
}

static const enum text lang_names[HUB_CONTENT_LANGS] = {T_LANG_EN, T_LANG_TR, T_LANG_AR,
                                                        T_LANG_PL, T_LANG_UK, T_LANG_TI};

/* What an error says, in the page's language. */
void cp_error_text(const struct admin_out *o, const struct hub_content_error *e, char *out,
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
        snprintf(out, len, "%s", cp_tx(o, by_problem[e->problem]));
        return;
    }
    /* The validator's reasons that staff meet, in their words. */
    if (strstr(e->detail, "before"))
        snprintf(out, len, "%s", cp_tx(o, T_E_BEFORE));
    else if (strstr(e->detail, "names no location"))
        snprintf(out, len, "%s", cp_tx(o, T_E_NO_LOCATION));
    else if (strstr(e->detail, "over 8 KiB"))
        snprintf(out, len, "%s", cp_tx(o, T_E_TOO_LONG));
    else
        snprintf(out, len, "%s (%s).", cp_tx(o, T_E_INVALID), e->detail);
}

/* ---- values a form shows ------------------------------------------------------------------ */


void cp_values_add(struct values *vs, const char *name, const char *value)
{
    if (!value || vs->n >= VALUES_MAX)
        return;
    snprintf(vs->v[vs->n].name, sizeof vs->v[vs->n].name, "%s", name);
    vs->v[vs->n].value = strdup(value);
    if (vs->v[vs->n].value)
        vs->n++;
}

void cp_values_clear(struct values *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        free(vs->v[i].value);
    vs->n = 0;
}

const char *cp_values_nth(const void *ctx, const char *name, size_t i)
{
    const struct values *vs = ctx;
    for (size_t k = 0; k < vs->n; k++)
        if (strcmp(vs->v[k].name, name) == 0 && i-- == 0)
            return vs->v[k].value;
    return NULL;
}

const char *cp_posted_nth(const void *ctx, const char *name, size_t i)
{
    return admin_form_nth(ctx, name, i);
}

const char *cp_get(const struct hub_content_form *f, const char *name)
{
    return f->nth(f->ctx, name, 0);
}

bool cp_has_value(const struct hub_content_form *f, const char *name, const char *value)
{
    const char *v;
    for (size_t i = 0; (v = f->nth(f->ctx, name, i)) != NULL; i++)
        if (strcmp(v, value) == 0)
            return true;
    return false;
}

/* A stored localized text as NAME and NAME_LANG values. */
void cp_text_values(struct values *vs, const json_t *item, const char *key)
{
    json_t *t = json_object_get(item, key);
    if (json_is_string(t)) {
        cp_values_add(vs, key, json_string_value(t));
        return;
    }
    cp_values_add(vs, key, json_string_value(json_object_get(t, "nl")));
    for (size_t i = 0; i < HUB_CONTENT_LANGS; i++) {
        char name[HUB_CONTENT_FIELD_MAX];
        snprintf(name, sizeof name, "%s_%s", key, hub_content_langs[i]);
        cp_values_add(vs, name, json_string_value(json_object_get(t, hub_content_langs[i])));
    }
}

void cp_local_values(struct values *vs, const char *date_name, const char *time_name,
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
        cp_values_add(vs, date_name, date);
        cp_values_add(vs, time_name, clock);
    } else {
        char both[40];
        snprintf(both, sizeof both, "%sT%s", date, clock);
        cp_values_add(vs, date_name, both);
    }
}

/* ---- page parts --------------------------------------------------------------------------- */

const char *cp_err_for(const struct admin_out *o, const struct hub_content_errors *errs,
                       const char *field, char *buf, size_t len)
{
    const struct hub_content_error *e = errs ? hub_content_error_of(errs, field) : NULL;
    if (!e)
        return NULL;
    cp_error_text(o, e, buf, len);
    return buf;
}

/* The summary at the top: every error, linking to its field. */
/* The label a field has on the page, for the summary's links. */
static void field_label(const struct admin_out *o, enum feed_kind kind, const char *field,
                        FILE *f)
{
    static const struct {
        const char *name;
        enum text label;
    } labels[] = {
        {"title", T_TITLE},         {"name", T_NAME},           {"text", T_TEXT},
        {"description", T_DESCRIPTION}, {"how_to", T_HOW_TO},   {"location_id", T_LOCATION},
        {"location_ids", T_LOCATIONS}, {"date", T_DATE},        {"start", T_START},
        {"end", T_END},             {"repeat", T_REPEAT},       {"weekday", T_WEEKDAYS},
        {"monthly_nth", T_NTH},     {"from", T_FROM},           {"priority", T_PRIORITY},
        {"signup", T_SIGNUP},       {"capacity", T_CAPACITY},   {"organization", T_ORGANIZATION},
        {"phone", T_PHONE},         {"email", T_EMAIL},         {"url", T_URL},
    };
    int row;
    char part[16];
    if (strcmp(field, "until") == 0) {
        hub_html_text(f, cp_tx(o, kind == FEED_ACTIVITY ? T_UNTIL : T_UNTIL_MOMENT));
        return;
    }
    if (sscanf(field, "walk_in_%15[a-z]_%d", part, &row) == 2) {
        fprintf(f, "%s %d: %s", cp_tx(o, T_WALK_IN), row,
                cp_tx(o, strcmp(part, "days") == 0    ? T_DAYS
                         : strcmp(part, "opens") == 0 ? T_OPENS
                                                      : T_CLOSES));
        return;
    }
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        size_t n = strlen(labels[i].name);
        if (strncmp(field, labels[i].name, n) != 0)
            continue;
        if (!field[n]) {
            hub_html_text(f, cp_tx(o, labels[i].label));
            return;
        }
        for (size_t k = 0; field[n] == '_' && k < HUB_CONTENT_LANGS; k++)
            if (strcmp(field + n + 1, hub_content_langs[k]) == 0) {
                fprintf(f, "%s (%s)", cp_tx(o, labels[i].label), cp_tx(o, lang_names[k]));
                return;
            }
    }
    hub_html_text(f, field);
}

void cp_error_summary(struct admin_out *o, enum feed_kind kind,
                      const struct hub_content_errors *errs)
{
    if (!errs || !errs->n)
        return;
    fputs("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><p "
          "class=\"error\">", o->f);
    hub_html_text(o->f, admin_msg(o, MSG_FORM_HAS_ERRORS));
    fputs("</p><ul>", o->f);
    for (size_t i = 0; i < errs->n; i++) {
        char text[256];
        cp_error_text(o, &errs->e[i], text, sizeof text);
        fputs("<li>", o->f);
        if (errs->e[i].field[0]) {
            fputs("<a href=\"#", o->f);
            hub_html_text(o->f, errs->e[i].field);
            fputs("\">", o->f);
            field_label(o, kind, errs->e[i].field, o->f);
            fputs("</a>: ", o->f);
        }
        hub_html_text(o->f, text);
        fputs("</li>", o->f);
    }
    fputs("</ul></div>", o->f);
}

void cp_notice(struct admin_out *o, const struct admin_ctx *cx)
{
    const char *done = admin_arg(cx, "done");
    static const struct {
        const char *key;
        enum text t;
    } notices[] = {{"saved", T_SAVED}, {"cancelled", T_CANCELLED},
                   {"date-cancelled", T_DATE_CANCELLED}, {"removed", T_REMOVED}};
    for (size_t i = 0; done && i < sizeof notices / sizeof *notices; i++)
        if (strcmp(done, notices[i].key) == 0)
            fprintf(o->f, "<p class=\"notice\" role=\"status\">%s</p>", cp_tx(o, notices[i].t));
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


void cp_select_field(struct admin_out *o, const char *name, const char *label,
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
void cp_checks_field(struct admin_out *o, const char *name, const char *legend,
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
        if (cp_has_value(f, name, opts[i].value))
            fputs(" checked", o->f);
        error_attrs(o, name, error, hint ? hint_id : NULL);
        fputs("> ", o->f);
        hub_html_text(o->f, opts[i].label);
        fputs("</label>", o->f);
    }
    fputs("</fieldset>", o->f);
}

void cp_input(struct admin_out *o, const struct hub_content_form *f,
              const struct hub_content_errors *errs, const char *name, const char *label,
              const char *type, const char *extra)
{
    char buf[256];
    admin_field(o, name, label, type, cp_get(f, name), cp_err_for(o, errs, name, buf, sizeof buf),
                extra);
}

/* A text's translations, folded away: most staff write Dutch only. */
void cp_translations(struct admin_out *o, const struct hub_content_form *f,
                     const struct hub_content_errors *errs, const char *key,
                     const char *label, const char *type)
{
    bool open = false;
    for (size_t i = 0; i < HUB_CONTENT_LANGS; i++) {
        char name[HUB_CONTENT_FIELD_MAX];
        snprintf(name, sizeof name, "%s_%s", key, hub_content_langs[i]);
        open = open || (cp_get(f, name) && *cp_get(f, name)) ||
               (errs && hub_content_error_of(errs, name));
    }
    fprintf(o->f, "<details%s><summary>", open ? " open" : "");
    hub_html_text(o->f, label);
    fputs(": ", o->f);
    hub_html_text(o->f, cp_tx(o, T_TRANSLATIONS));
    fputs("</summary>", o->f);
    for (size_t i = 0; i < HUB_CONTENT_LANGS; i++) {
        char name[HUB_CONTENT_FIELD_MAX], text[96], extra[32];
        snprintf(name, sizeof name, "%s_%s", key, hub_content_langs[i]);
        snprintf(text, sizeof text, "%s (%s)", label, cp_tx(o, lang_names[i]));
        snprintf(extra, sizeof extra, "lang=\"%s\" dir=\"auto\"", hub_content_langs[i]);
        cp_input(o, f, errs, name, text, type, extra);
    }
    fputs("</details>", o->f);
}


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

bool cp_load_locations(struct hub_db *db, const struct admin_ctx *cx, enum hub_lang lang,
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

void cp_locations_clear(struct location_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->ids[i]);
        free(l->names[i]);
    }
    l->n = 0;
}

const char *cp_location_name(const struct location_list *l, const char *id)
{
    for (size_t i = 0; id && i < l->n; i++)
        if (strcmp(l->ids[i], id) == 0)
            return l->names[i];
    return id;
}

/* ---- shared request handling ------------------------------------------------------------ */

enum MHD_Result cp_admin_content_fail(const struct admin_ctx *cx, enum hub_content_result r)
{
    return r == HUB_CONTENT_NOT_FOUND
               ? admin_simple_page(cx->c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL)
               : admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
}

enum MHD_Result cp_redirect_done(const struct admin_ctx *cx, const char *path,
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


/* The add or edit form; status 200, or 422 with errors. */
enum MHD_Result cp_form_page(const struct admin_ctx *cx, const struct kind_page *k,
                             const char *id, const struct hub_content_form *f,
                             const struct hub_content_errors *errs, const json_t *stored)
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    struct location_list locs;
    bool ok = db && cp_load_locations(db, cx, o.lang, &locs);
    const char *title = cp_tx(&o, id ? k->edit : k->add);
    admin_page_begin(&o, cx, title);
    fputs("<h1>", o.f);
    hub_html_text(o.f, title);
    fputs("</h1>", o.f);
    cp_notice(&o, cx);
    cp_error_summary(&o, k->kind, errs);
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
        fprintf(o.f, "<h2>%s</h2>", cp_tx(&o, T_NEXT_DATES));
        if (!n)
            fprintf(o.f, "<p>%s</p>", cp_tx(&o, T_NO_NEXT));
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
                    id, starts[i], id, starts[i], o.lang_param, when, cp_tx(&o, T_CANCEL_DATE));
        }
        if (n)
            fputs("</ul>", o.f);
    }
    hub_html_end(o.f);
    if (db)
        cp_locations_clear(&locs);
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

enum MHD_Result cp_list_page(const struct admin_ctx *cx, const struct kind_page *k)
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    struct location_list locs;
    bool ok = db && hub_db_begin_read(db) && cp_load_locations(db, cx, o.lang, &locs);
    admin_page_begin(&o, cx, admin_msg(&o, k->list_title));
    fputs("<h1>", o.f);
    hub_html_text(o.f, admin_msg(&o, k->list_title));
    fputs("</h1>", o.f);
    cp_notice(&o, cx);
    fprintf(o.f, "<p><a href=\"%s/new%s\">%s</a></p>", k->path, o.lang_query, cp_tx(&o, k->add));
    if (ok) {
        /* The rows first, so that an empty list shows a sentence, not a
         * table's head alone. */
        struct admin_out rows;
        ok = admin_out_part(&rows, &o);
        struct list_ctx l = {&rows, k, &locs, admin_now(cx), cx->session->csrf, 0};
        ok = ok && hub_content_each(db, k->kind, cx->session->locations, list_one, &l);
        if (rows.f)
            ok = admin_out_close(&rows) && ok;
        if (ok && l.rows) {
            fputs("<table><thead><tr>", o.f);
            k->list_head(&o);
            fprintf(o.f, "</tr></thead><tbody>%.*s</tbody></table>", (int)rows.len, rows.buf);
        } else if (ok) {
            fprintf(o.f, "<p>%s</p>", cp_tx(&o, T_NONE_YET));
        }
        free(rows.buf);
        cp_locations_clear(&locs);
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

enum MHD_Result cp_new_page(const struct admin_ctx *cx, const struct kind_page *k)
{
    struct values vs = {0};
    struct hub_content_form f = {&vs, cp_values_nth};
    if (!cx->form)
        return cp_form_page(cx, k, NULL, &f, NULL, NULL);
    struct hub_content_form posted = {cx->form, cp_posted_nth};
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
        return cp_redirect_done(cx, k->path, "saved");
    if (r == HUB_CONTENT_REFUSED)
        return cp_form_page(cx, k, NULL, &posted, &errs, NULL);
    return cp_admin_content_fail(cx, r);
}

/* The stored item the request's ?id= names, when the user may touch it. */
json_t *cp_requested_item(const struct admin_ctx *cx, enum feed_kind kind, const char *id,
                          enum hub_content_result *r)
{
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    bool failed = db == NULL;
    json_t *item = db ? hub_content_load(db, kind, id, cx->session->locations, &failed) : NULL;
    hub_pool_release(cx->opts->pool, db);
    *r = failed ? HUB_CONTENT_FAILED : HUB_CONTENT_NOT_FOUND;
    return item;
}

enum MHD_Result cp_edit_page(const struct admin_ctx *cx, const struct kind_page *k)
{
    const char *id = admin_arg(cx, "id");
    enum hub_content_result r;
    json_t *stored = cp_requested_item(cx, k->kind, id, &r);
    if (!stored)
        return cp_admin_content_fail(cx, r);
    enum MHD_Result answer;
    if (!cx->form) {
        struct values vs = {0};
        k->item_values(&vs, stored);
        struct hub_content_form f = {&vs, cp_values_nth};
        answer = cp_form_page(cx, k, id, &f, NULL, stored);
        cp_values_clear(&vs);
    } else {
        struct hub_content_form posted = {cx->form, cp_posted_nth};
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
            answer = cp_redirect_done(cx, k->path, "saved");
        else if (r == HUB_CONTENT_REFUSED)
            answer = cp_form_page(cx, k, id, &posted, &errs, stored);
        else
            answer = cp_admin_content_fail(cx, r);
    }
    json_decref(stored);
    return answer;
}

void cp_edit_link(struct admin_out *o, const struct kind_page *k, const char *id)
{
    fprintf(o->f, "<a href=\"%s/edit?id=%s%s\">%s</a>", k->path, id, o->lang_param,
            cp_tx(o, T_EDIT));
}

/* ---- removing a service or an announcement ----------------------------------------------- */

void cp_remove_button(struct admin_out *o, const char *path, const char *id,
                      const char *csrf)
{
    fprintf(o->f, " <form class=\"inline\" method=\"post\" action=\"%s/remove%s\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"", path, o->lang_query);
    hub_html_text(o->f, csrf);
    fprintf(o->f, "\"><input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\">"
                  "%s</button></form>", id, cp_tx(o, T_REMOVE));
}

/* POST id: removes the item from the feed. */
enum MHD_Result cp_remove_page(const struct admin_ctx *cx, const struct kind_page *k,
                               enum hub_audit_action action)
{
    const char *id = admin_form_get(cx->form, "id");
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    enum hub_content_result r =
        db ? hub_content_remove(db, k->kind, id, cx->session->locations, admin_now(cx),
                                cx->session->username, action)
           : HUB_CONTENT_FAILED;
    hub_pool_release(cx->opts->pool, db);
    return r == HUB_CONTENT_SAVED ? cp_redirect_done(cx, k->path, "removed")
                                  : cp_admin_content_fail(cx, r);
}

void cp_row_actions(struct admin_out *o, const struct kind_page *k, const json_t *item,
                    const char *csrf)
{
    const char *id = json_string_value(json_object_get(item, "id"));
    fputs("<td>", o->f);
    cp_edit_link(o, k, id);
    cp_remove_button(o, k->path, id, csrf);
    fputs("</td></tr>", o->f);
}

const struct option *cp_day_options(const struct admin_out *o, struct option out[7])
{
    static const char *const days[2][7] = {
        {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}};
    static const char *const codes[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};
    for (int i = 0; i < 7; i++)
        out[i] = (struct option){codes[i], days[o->lang][i]};
    return out;
}

