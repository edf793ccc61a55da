/*
 * The console's activity pages: the list, the add and edit form (the
 * contract's fields: title, location_id, date, start, end, repeat,
 * description; then the days, the week of the month, until, sign-up and
 * translations), cancelling the whole activity and cancelling one date.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "hub/hub_admin_content.h"
#include "model/rrule.h"

/* ---- activities ------------------------------------------------------------------------- */

static void activity_values(struct values *vs, const json_t *item)
{
    cp_text_values(vs, item, "title");
    cp_text_values(vs, item, "description");
    cp_values_add(vs, "location_id", json_string_value(json_object_get(item, "location_id")));
    cp_local_values(vs, "date", "start", json_string_value(json_object_get(item, "starts_at")));
    cp_local_values(vs, "end_date", "end", json_string_value(json_object_get(item, "ends_at")));
    const char *rule = json_string_value(json_object_get(item, "rrule"));
    struct rrule parsed;
    char why[96];
    if (!rule || !rrule_parse(rule, &parsed, why, sizeof why)) {
        cp_values_add(vs, "repeat", "none");
    } else {
        cp_values_add(vs, "repeat", strstr(rule, "FREQ=MONTHLY") ? "monthly" : "weekly");
        /* BYDAY's parts as the form writes them: MO / 2TU / -1FR. */
        const char *by = strstr(rule, "BYDAY=");
        char list[64] = "";
        if (by)
            snprintf(list, sizeof list, "%.*s", (int)strcspn(by + 6, ";"), by + 6);
        for (char *p = strtok(list, ","); p; p = strtok(NULL, ",")) {
            size_t n = strlen(p);
            if (n > 2 && strstr(rule, "FREQ=MONTHLY")) {
                p[n - 2] = '\0';
                cp_values_add(vs, "monthly_nth", p);
            } else if (n == 2) {
                cp_values_add(vs, "weekday", p);
            }
        }
        const char *until = strstr(rule, "UNTIL=");
        if (until && strlen(until) >= 14) {
            char date[11];
            snprintf(date, sizeof date, "%.4s-%.2s-%.2s", until + 6, until + 10, until + 12);
            cp_values_add(vs, "until", date);
        }
    }
    json_t *s = json_object_get(item, "signup");
    cp_values_add(vs, "signup", json_is_object(s) ? "yes" : "no");
    if (json_is_integer(json_object_get(s, "capacity"))) {
        char cap[24];
        snprintf(cap, sizeof cap, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(s, "capacity")));
        cp_values_add(vs, "capacity", cap);
    }
    if (json_is_true(json_object_get(s, "waitlist")))
        cp_values_add(vs, "waitlist", "1");
}

static void activity_fields(struct admin_out *o, const struct hub_content_form *f,
                            const struct hub_content_errors *errs,
                            const struct location_list *locs, const struct admin_ctx *cx)
{
    (void)cx;
    char buf[256];
    cp_input(o, f, errs, "title", cp_tx(o, T_TITLE), "text", "required");
    cp_translations(o, f, errs, "title", cp_tx(o, T_TITLE), "text");
    cp_select_field(o, "location_id", cp_tx(o, T_LOCATION), locs->opt, locs->n,
                    cp_get(f, "location_id"), cp_err_for(o, errs, "location_id", buf, sizeof buf),
                    NULL);
    cp_input(o, f, errs, "date", cp_tx(o, T_DATE), "date", "required");
    cp_input(o, f, errs, "start", cp_tx(o, T_START), "time", "required");
    cp_input(o, f, errs, "end", cp_tx(o, T_END), "time", NULL);
    const struct option repeats[] = {{"none", cp_tx(o, T_REPEAT_NONE)},
                                     {"weekly", cp_tx(o, T_REPEAT_WEEKLY)},
                                     {"monthly", cp_tx(o, T_REPEAT_MONTHLY)}};
    cp_select_field(o, "repeat", cp_tx(o, T_REPEAT), repeats, 3, cp_get(f, "repeat"),
                 cp_err_for(o, errs, "repeat", buf, sizeof buf), NULL);
    static const char *const days[2][7] = {
        {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}};
    static const char *const codes[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    struct option weekdays[7];
    for (int i = 0; i < 7; i++)
        weekdays[i] = (struct option){codes[i], days[o->lang][i]};
    cp_checks_field(o, "weekday", cp_tx(o, T_WEEKDAYS), weekdays, 7, f,
                 cp_err_for(o, errs, "weekday", buf, sizeof buf), cp_tx(o, T_WEEKDAYS_HINT));
    const struct option nths[] = {{"", "–"}, {"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"},
                                  {"-1", cp_tx(o, T_NTH_LAST)}};
    cp_select_field(o, "monthly_nth", cp_tx(o, T_NTH), nths, 6, cp_get(f, "monthly_nth"),
                 cp_err_for(o, errs, "monthly_nth", buf, sizeof buf), cp_tx(o, T_NTH_HINT));
    cp_input(o, f, errs, "until", cp_tx(o, T_UNTIL), "date", NULL);
    cp_input(o, f, errs, "description", cp_tx(o, T_DESCRIPTION), "textarea", NULL);
    cp_translations(o, f, errs, "description", cp_tx(o, T_DESCRIPTION), "textarea");
    const struct option signups[] = {{"no", cp_tx(o, T_SIGNUP_NO)},
                                     {"yes", cp_tx(o, T_SIGNUP_YES)}};
    cp_select_field(o, "signup", cp_tx(o, T_SIGNUP), signups, 2, cp_get(f, "signup"),
                 cp_err_for(o, errs, "signup", buf, sizeof buf), NULL);
    cp_input(o, f, errs, "capacity", cp_tx(o, T_CAPACITY), "number",
             "min=\"0\" inputmode=\"numeric\"");
    const struct option wait[] = {{"1", cp_tx(o, T_WAITLIST)}};
    cp_checks_field(o, "waitlist", cp_tx(o, T_WAITLIST), wait, 1, f, NULL, NULL);
}

static void activity_head(struct admin_out *o)
{
    fprintf(o->f,
            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
            cp_tx(o, T_TITLE), cp_tx(o, T_LOCATION), cp_tx(o, T_WHEN), cp_tx(o, T_NEXT),
            cp_tx(o, T_ACTIONS));
}

/* "every week on MO,WE, 19:30" in plain words. */
static void when_text(struct admin_out *o, const json_t *item)
{
    struct values vs = {0};
    activity_values(&vs, item);
    struct hub_content_form f = {&vs, cp_values_nth};
    const char *repeat = cp_get(&f, "repeat");
    if (strcmp(repeat, "weekly") == 0) {
        fprintf(o->f, "%s ", cp_tx(o, T_EVERY));
        const char *d;
        static const char *const codes[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
        static const char *const names[2][7] = {{"ma", "di", "wo", "do", "vr", "za", "zo"},
                                                {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}};
        for (size_t i = 0; (d = cp_values_nth(&vs, "weekday", i)) != NULL; i++)
            for (int k = 0; k < 7; k++)
                if (strcmp(d, codes[k]) == 0)
                    fprintf(o->f, "%s%s", i ? ", " : "", names[o->lang][k]);
    } else if (strcmp(repeat, "monthly") == 0) {
        const char *nth = cp_get(&f, "monthly_nth");
        fprintf(o->f, "%s %s", cp_tx(o, T_MONTHLY_ON),
                nth && strcmp(nth, "-1") == 0 ? cp_tx(o, T_NTH_LAST) : nth ? nth : "?");
    } else {
        fprintf(o->f, "%s %s", cp_tx(o, T_ONCE), cp_get(&f, "date") ? cp_get(&f, "date") : "");
    }
    fprintf(o->f, ", %s", cp_get(&f, "start") ? cp_get(&f, "start") : "");
    if (cp_get(&f, "end"))
        fprintf(o->f, "–%s", cp_get(&f, "end"));
    cp_values_clear(&vs);
}

static void activity_row(struct admin_out *o, const json_t *item,
                         const struct location_list *locs, int64_t now, const char *csrf)
{
    (void)csrf;
    const char *id = json_string_value(json_object_get(item, "id"));
    fputs("<tr><td>", o->f);
    hub_html_text(o->f, hub_content_text(item, "title", hub_html_lang_code(o->lang)));
    fputs("</td><td>", o->f);
    hub_html_text(o->f, cp_location_name(locs, json_string_value(json_object_get(item,
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
    cp_edit_link(o, &k, id);
    fprintf(o->f, " <a href=\"/admin/activities/cancel?id=%s%s\">%s</a></td></tr>", id,
            o->lang_param, cp_tx(o, T_CANCEL));
}

static const struct kind_page activities = {
    FEED_ACTIVITY, "/admin/activities", MSG_NAV_ACTIVITIES, T_NEW_ACTIVITY, T_EDIT_ACTIVITY,
    HUB_AUDIT_ACTIVITY_ADD, HUB_AUDIT_ACTIVITY_EDIT, hub_content_activity, activity_values,
    activity_fields, activity_head, activity_row,
};

enum MHD_Result admin_activities_page(const struct admin_ctx *cx)
{
    return cp_list_page(cx, &activities);
}

enum MHD_Result admin_activity_new_page(const struct admin_ctx *cx)
{
    return cp_new_page(cx, &activities);
}

enum MHD_Result admin_activity_edit_page(const struct admin_ctx *cx)
{
    return cp_edit_page(cx, &activities);
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
        return r == HUB_CONTENT_SAVED ? cp_redirect_done(cx, "/admin/activities", "cancelled")
                                      : cp_admin_content_fail(cx, r);
    }
    const char *id = admin_arg(cx, "id");
    enum hub_content_result r;
    json_t *item = cp_requested_item(cx, FEED_ACTIVITY, id, &r);
    if (!item)
        return cp_admin_content_fail(cx, r);
    struct admin_out o;
    if (!admin_out_open(&o, cx->c)) {
        json_decref(item);
        return MHD_NO;
    }
    admin_page_begin(&o, cx, cp_tx(&o, T_CANCEL_TITLE));
    fprintf(o.f, "<h1>%s: ", cp_tx(&o, T_CANCEL_TITLE));
    hub_html_text(o.f, hub_content_text(item, "title", hub_html_lang_code(o.lang)));
    fprintf(o.f, "</h1><p>%s</p><h2>%s</h2>", cp_tx(&o, T_CANCEL_EXPLAIN), cp_tx(&o, T_NEXT_DATES));
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
    fprintf(o.f, n ? "</ul>" : "<p>%s</p>", cp_tx(&o, T_NO_NEXT));
    fprintf(o.f, "<form method=\"post\" action=\"/admin/activities/cancel%s\">", o.lang_query);
    admin_csrf_field(&o, cx);
    fprintf(o.f, "<input type=\"hidden\" name=\"id\" value=\"%s\"><button type=\"submit\" "
                 "id=\"cancel\">%s</button> <a href=\"/admin/activities%s\">%s</a></form>",
            id, cp_tx(&o, T_CANCEL_CONFIRM), o.lang_query, admin_msg(&o, MSG_BACK));
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
        return cp_admin_content_fail(cx, HUB_CONTENT_NOT_FOUND);
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    enum hub_content_result r =
        db ? hub_content_cancel_date(db, id, (int64_t)v, cx->session->locations, admin_now(cx),
                                     cx->session->username)
           : HUB_CONTENT_FAILED;
    hub_pool_release(cx->opts->pool, db);
    if (r != HUB_CONTENT_SAVED)
        return cp_admin_content_fail(cx, r);
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    char location[FEED_ID_MAX + 96];
    snprintf(location, sizeof location, "/admin/activities/edit?id=%s&done=date-cancelled%s", id,
             o.lang_param);
    admin_out_discard(&o);
    return admin_redirect(cx->c, location, NULL);
}

