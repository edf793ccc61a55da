/*
 * services: help and advice by topic ("overig" last), a virtual list of
 * services with their organisation and walk-in hours.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    const struct content *content = &ui->content;
    chrome_frame(b, ui_tr(ui, "services.title"), true);
    struct chip chips[CONTENT_MAX_CODES + 1];
    size_t n = 0;
    for (size_t i = 0; i < content->n_topics; i++) {
        const char *topic = content->topics[i];
        chips[n++] = (struct chip){frame_printf(b->c.f, "topic.%s", topic),
                                   ui_tr(ui, frame_printf(b->c.f, "topic.%s", topic)),
                                   strcmp(ui->topic_filter, topic) == 0};
    }
    chips[n++] = (struct chip){"topic.overig", ui_tr(ui, "topic.overig"),
                               strcmp(ui->topic_filter, "overig") == 0};
    struct rect viewport;
    int list = canvas_chips_and_list(&b->c, chips, n, b->content, "services.list",
                                     content->n_services, t->item_h, &viewport);
    if (content->n_services == 0) {
        struct rect below = scroller_row(&ui->list, 0, 0);
        below.h = viewport.y + viewport.h - below.y;
        chrome_empty(b, CONTENT_SERVICES, "services.empty", below, -1);
        return;
    }
    size_t first = scroller_first_row(&ui->list, t->item_h);
    for (size_t i = first; i < content->n_services; i++) {
        const struct service_item *it = &content->services[i];
        struct rect r = scroller_row(&ui->list, i, t->item_h);
        if (r.y >= viewport.y + viewport.h)
            break;
        char line[512];
        struct local_time lt;
        tz_to_local(ui_now_s(ui), &lt);
        bool open = content_open_now(it->walk_in, it->n_walk_in, &lt);
        /* "Nu open" first: a resident with a question now looks for that. */
        snprintf(line, sizeof line, "%s%s" ISOLATE("%s") "%s" ISOLATE("%s"),
                 open ? ui_tr(ui, "service.open_now") : "",
                 open && (it->organization || it->walk_in_summary) ? " \xC2\xB7 " : "",
                 it->organization ? it->organization : "",
                 it->organization && it->walk_in_summary ? " \xC2\xB7 " : "",
                 it->walk_in_summary ? it->walk_in_summary : "");
        char id[UI_ID_MAX + 16];
        ui_service_id(it->id, id, sizeof id);
        if (content->n_service_thumbs) {
            int off = chrome_list_thumb(b, list,
                                        content_image_of(content->service_thumbs,
                                                         content->n_service_thumbs, it->id),
                                        r);
            r.x += off;
            r.w -= off;
        }
        size_t first_widget = b->c.f->n_widgets;
        canvas_list_item(&b->c, list, frame_strdup(b->c.f, id, SIZE_MAX),
                         chrome_with_note(b, it->name, it->name_lang),
                         chrome_ui_line(b, line), r, t->ink_soft);
        chrome_mark_lang(b, first_widget, it->name, it->name_lang);
    }
    canvas_scrollbar(&b->c);
}

static bool activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    if (strncmp(id, "topic.", 6) == 0) {
        /* A second tap on the chosen topic clears it. */
        if (strcmp(ui->topic_filter, id + 6) == 0)
            ui->topic_filter[0] = '\0';
        else
            snprintf(ui->topic_filter, sizeof ui->topic_filter, "%s", id + 6);
        memset(&ui->list, 0, sizeof ui->list);
        ui_load(ui, CONTENT_SERVICES);
        ui->dirty = true;
        return true;
    }
    if (w->role == ROLE_ITEM && strncmp(id, "service.", 8) == 0) {
        struct place to = {.screen = SCREEN_SERVICE};
        snprintf(to.service_id, sizeof to.service_id, "%s", id + 8);
        ui_go_place(ui, &to, true);
        return true;
    }
    return false;
}

/* Rows not built (scrolled away) are found in the content. */
static bool locate(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport)
{
    const struct content *c = &ui->content;
    for (size_t i = 0; i < c->n_services; i++) {
        char id[UI_ID_MAX + 16];
        ui_service_id(c->services[i].id, id, sizeof id);
        bool match = selector[0] == '#' ? strcmp(selector + 1, id) == 0
                                        : strcmp(selector, c->services[i].name) == 0;
        if (match) {
            *viewport = ui->list.viewport;
            *item = scroller_row(&ui->list, i, ui->theme.item_h);
            return true;
        }
    }
    return false;
}

const struct screen_def screen_services = {
    .name = "services",
    .content = CONTENT_BASE | CONTENT_SERVICES,
    .idle = IDLE_RESIDENT,
    .build = build,
    .activate = activate,
    .locate = locate,
};
