/*
 * The console's pages for services with walk-in hours and for
 * announcements: lists, add and edit forms, and removing.
 */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_admin_content.h"

/* ---- services ------------------------------------------------------------------------------- */

static const struct kind_page services;

static void service_values(struct values *vs, const json_t *item)
{
    cp_text_values(vs, item, "name");
    cp_text_values(vs, item, "description");
    cp_text_values(vs, item, "how_to");
    static const char *const plain[] = {"location_id", "organization", "phone", "email", "url"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        cp_values_add(vs, plain[i], json_string_value(json_object_get(item, plain[i])));
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
            cp_values_add(vs, name, json_string_value(day));
        }
        snprintf(name, sizeof name, "walk_in_opens_%zu", i + 1);
        cp_values_add(vs, name, json_string_value(json_object_get(slot, "opens")));
        snprintf(name, sizeof name, "walk_in_closes_%zu", i + 1);
        cp_values_add(vs, name, json_string_value(json_object_get(slot, "closes")));
    }
}

static void service_fields(struct admin_out *o, const struct hub_content_form *f,
                           const struct hub_content_errors *errs,
                           const struct location_list *locs, const struct admin_ctx *cx)
{
    (void)cx;
    char buf[256];
    cp_input(o, f, errs, "name", cp_tx(o, T_NAME), "text", "required");
    cp_translations(o, f, errs, "name", cp_tx(o, T_NAME), "text");
    cp_select_field(o, "location_id", cp_tx(o, T_LOCATION), locs->opt, locs->n,
                    cp_get(f, "location_id"), cp_err_for(o, errs, "location_id", buf, sizeof buf),
                    NULL);
    cp_input(o, f, errs, "organization", cp_tx(o, T_ORGANIZATION), "text", NULL);
    cp_input(o, f, errs, "description", cp_tx(o, T_DESCRIPTION), "textarea", NULL);
    cp_translations(o, f, errs, "description", cp_tx(o, T_DESCRIPTION), "textarea");
    struct option days[7];
    cp_day_options(o, days);
    for (int row = 1; row <= HUB_CONTENT_WALK_IN_ROWS; row++) {
        char legend[96], name[HUB_CONTENT_FIELD_MAX], opens[HUB_CONTENT_FIELD_MAX],
            closes[HUB_CONTENT_FIELD_MAX];
        snprintf(legend, sizeof legend, "%s %d", cp_tx(o, T_WALK_IN), row);
        snprintf(name, sizeof name, "walk_in_days_%d", row);
        snprintf(opens, sizeof opens, "walk_in_opens_%d", row);
        snprintf(closes, sizeof closes, "walk_in_closes_%d", row);
        fputs("<fieldset><legend>", o->f);
        hub_html_text(o->f, legend);
        fputs("</legend>", o->f);
        cp_checks_field(o, name, cp_tx(o, T_DAYS), days, 7, f,
                        cp_err_for(o, errs, name, buf, sizeof buf), NULL);
        cp_input(o, f, errs, opens, cp_tx(o, T_OPENS), "time", NULL);
        cp_input(o, f, errs, closes, cp_tx(o, T_CLOSES), "time", NULL);
        fputs("</fieldset>", o->f);
    }
    cp_input(o, f, errs, "phone", cp_tx(o, T_PHONE), "tel", NULL);
    cp_input(o, f, errs, "email", cp_tx(o, T_EMAIL), "email", NULL);
    cp_input(o, f, errs, "url", cp_tx(o, T_URL), "url", NULL);
    cp_input(o, f, errs, "how_to", cp_tx(o, T_HOW_TO), "textarea", NULL);
    cp_translations(o, f, errs, "how_to", cp_tx(o, T_HOW_TO), "textarea");
}

static void service_head(struct admin_out *o)
{
    fprintf(o->f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th>",
            cp_tx(o, T_NAME), cp_tx(o, T_LOCATION), cp_tx(o, T_WALK_IN), cp_tx(o, T_ACTIONS));
}

static void service_row(struct admin_out *o, const json_t *item,
                        const struct location_list *locs, int64_t now, const char *csrf)
{
    (void)now;
    fputs("<tr><td>", o->f);
    hub_html_text(o->f, hub_content_text(item, "name", hub_html_lang_code(o->lang)));
    fputs("</td><td>", o->f);
    hub_html_text(o->f, cp_location_name(locs, json_string_value(json_object_get(item,
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
    cp_row_actions(o, &services, item, csrf);
}

static const struct kind_page services = {
    FEED_SERVICE, "/admin/services", MSG_NAV_SERVICES, T_ADD_SERVICE, T_EDIT_SERVICE,
    HUB_AUDIT_SERVICE_ADD, HUB_AUDIT_SERVICE_EDIT, hub_content_service, service_values,
    service_fields, service_head, service_row,
};

enum MHD_Result admin_services_page(const struct admin_ctx *cx)
{
    return cp_list_page(cx, &services);
}

enum MHD_Result admin_service_new_page(const struct admin_ctx *cx)
{
    return cp_new_page(cx, &services);
}

enum MHD_Result admin_service_edit_page(const struct admin_ctx *cx)
{
    return cp_edit_page(cx, &services);
}

enum MHD_Result admin_service_remove_page(const struct admin_ctx *cx)
{
    return cp_remove_page(cx, &services, HUB_AUDIT_SERVICE_REMOVE);
}

/* ---- announcements ------------------------------------------------------------------------- */

static const struct kind_page announcements;

static void announcement_values(struct values *vs, const json_t *item)
{
    cp_text_values(vs, item, "text");
    size_t i;
    json_t *id;
    json_array_foreach(json_object_get(item, "location_ids"), i, id) {
        cp_values_add(vs, "location_ids", json_string_value(id));
    }
    cp_local_values(vs, "from", NULL, json_string_value(json_object_get(item, "from")));
    cp_local_values(vs, "until", NULL, json_string_value(json_object_get(item, "until")));
    const char *p = json_string_value(json_object_get(item, "priority"));
    cp_values_add(vs, "priority", p ? p : "normal");
}

static void announcement_fields(struct admin_out *o, const struct hub_content_form *f,
                                const struct hub_content_errors *errs,
                                const struct location_list *locs, const struct admin_ctx *cx)
{
    char buf[256];
    cp_input(o, f, errs, "text", cp_tx(o, T_TEXT), "textarea", "required");
    cp_translations(o, f, errs, "text", cp_tx(o, T_TEXT), "textarea");
    cp_checks_field(o, "location_ids", cp_tx(o, T_LOCATIONS), locs->opt, locs->n, f,
                 cp_err_for(o, errs, "location_ids", buf, sizeof buf),
                 cx->session->locations ? NULL : cp_tx(o, T_LOCATIONS_HINT));
    cp_input(o, f, errs, "from", cp_tx(o, T_FROM), "datetime-local", NULL);
    cp_input(o, f, errs, "until", cp_tx(o, T_UNTIL_MOMENT), "datetime-local", NULL);
    const struct option priorities[] = {{"normal", cp_tx(o, T_NORMAL)},
                                        {"urgent", cp_tx(o, T_URGENT)}};
    cp_select_field(o, "priority", cp_tx(o, T_PRIORITY), priorities, 2, cp_get(f, "priority"),
                 cp_err_for(o, errs, "priority", buf, sizeof buf), NULL);
}

static void announcement_head(struct admin_out *o)
{
    fprintf(o->f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
            cp_tx(o, T_TEXT), cp_tx(o, T_LOCATIONS), cp_tx(o, T_PERIOD), cp_tx(o, T_PRIORITY),
            cp_tx(o, T_ACTIONS));
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
        hub_html_text(o->f, cp_tx(o, T_EVERYWHERE));
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        fputs(i ? ", " : "", o->f);
        hub_html_text(o->f, cp_location_name(locs, json_string_value(id)));
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
            p && strcmp(p, "urgent") == 0 ? cp_tx(o, T_URGENT) : cp_tx(o, T_NORMAL));
    cp_row_actions(o, &announcements, item, csrf);
}

static const struct kind_page announcements = {
    FEED_ANNOUNCEMENT, "/admin/announcements", MSG_NAV_ANNOUNCEMENTS, T_ADD_ANNOUNCEMENT,
    T_EDIT_ANNOUNCEMENT, HUB_AUDIT_ANNOUNCEMENT_ADD, HUB_AUDIT_ANNOUNCEMENT_EDIT,
    hub_content_announcement, announcement_values, announcement_fields, announcement_head,
    announcement_row,
};

enum MHD_Result admin_announcements_page(const struct admin_ctx *cx)
{
    return cp_list_page(cx, &announcements);
}

enum MHD_Result admin_announcement_new_page(const struct admin_ctx *cx)
{
    return cp_new_page(cx, &announcements);
}

enum MHD_Result admin_announcement_edit_page(const struct admin_ctx *cx)
{
    return cp_edit_page(cx, &announcements);
}

enum MHD_Result admin_announcement_remove_page(const struct admin_ctx *cx)
{
    return cp_remove_page(cx, &announcements, HUB_AUDIT_ANNOUNCEMENT_REMOVE);
}

