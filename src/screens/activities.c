/*
 * activities: what is on, today, this week or all 90 days, by theme; a
 * virtual list (only the rows in view become widgets) of occurrences with
 * the places left.
 */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "screens/screens.h"

/* "do 26 nov · 10:00–11:30 · Nog 3 plaatsen · Buurthuis De Kamers" */
void activities_line(struct build *b, const struct occurrence_item *it, char *buf, size_t len,
                     bool *full)
{
    struct ui *ui = b->ui;
    char day[48], start[8], end[8];
    /* Today's say so: "vandaag" is found at a glance, "wo 25 nov" is read. */
    if (tz_start_of_day(it->starts_at) == tz_start_of_day(ui_now_s(ui)))
        snprintf(day, sizeof day, "%s", ui_tr(ui, "date.today"));
    else
        ui_format_day_short(ui, it->starts_at, day, sizeof day);
    ui_format_time(it->starts_at, start, sizeof start);
    ui_format_time(it->ends_at, end, sizeof end);
    size_t used = (size_t)snprintf(buf, len, "%s \xC2\xB7 %s", day, start);
    if (it->ends_at > it->starts_at && used < len)
        used += (size_t)snprintf(buf + used, len - used, "\xE2\x80\x93%s", end);
    /* Places come before the place name: on a narrow screen the name is
     * what gets shortened, never "vol". */
    *full = false;
    if (it->has_signup && it->capacity >= 0 && used < len) {
        int64_t left = content_places_left(&ui->content, it->activity_id, it->starts_at,
                                           it->capacity, it->taken);
        char places[96];
        *full = left <= 0;
        ui_format_places(ui, left, "places.full", places, sizeof places);
        used += (size_t)snprintf(buf + used, len - used, " \xC2\xB7 %s", places);
    }
    const struct location_item *loc = content_location(&ui->content, it->location_id);
    if (loc && used < len)
        snprintf(buf + used, len - used, " \xC2\xB7 " ISOLATE("%s"), loc->name);
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    chrome_frame(b, ui_tr(ui, "activities.title"), true);
    struct chip chips[3 + CONTENT_MAX_CODES + 1];
    size_t n = 0;
    chips[n++] = (struct chip){"filter.today", ui_tr(ui, "filter.today"), ui->time_filter == FILTER_TODAY};
    chips[n++] = (struct chip){"filter.week", ui_tr(ui, "filter.week"), ui->time_filter == FILTER_WEEK};
    chips[n++] = (struct chip){"filter.all", ui_tr(ui, "filter.all"), ui->time_filter == FILTER_ALL};
    const struct content *content = &ui->content;
    for (size_t i = 0; i < content->n_themes; i++) {
        const char *theme = content->themes[i];
        chips[n++] = (struct chip){frame_printf(b->c.f, "filter.theme.%s", theme),
                                   ui_tr(ui, frame_printf(b->c.f, "theme.%s", theme)),
                                   strcmp(ui->theme_filter, theme) == 0};
    }
    if (content->has_other_theme)
        chips[n++] = (struct chip){"filter.theme.other", ui_tr(ui, "theme.other"),
                                   strcmp(ui->theme_filter, "other") == 0};
    struct rect viewport;
    int list = canvas_chips_and_list(&b->c, chips, n, b->content, "activities.list",
                                     content->n_occurrences, t->item_h, &viewport);
    if (content->n_occurrences == 0) {
        struct rect below = scroller_row(&ui->list, 0, 0);
        below.h = viewport.y + viewport.h - below.y;
        chrome_empty(b, CONTENT_OCCURRENCES, "activities.empty", below, -1);
        return;
    }
    size_t first = scroller_first_row(&ui->list, t->item_h);
    for (size_t i = first; i < content->n_occurrences; i++) {
        const struct occurrence_item *it = &content->occurrences[i];
        struct rect r = scroller_row(&ui->list, i, t->item_h);
        if (r.y >= viewport.y + viewport.h)
            break;
        char id[UI_ID_MAX + 32];
        ui_occurrence_id(it->activity_id, it->starts_at, id, sizeof id);
        char line[512];
        bool full;
        activities_line(b, it, line, sizeof line, &full);
        /* A thumbnail at the row's start when any row has one. */
        if (content->n_activity_thumbs) {
            int off = chrome_list_thumb(b, list,
                                        content_image_of(content->activity_thumbs,
                                                         content->n_activity_thumbs, it->activity_id),
                                        r);
            r.x += off;
            r.w -= off;
        }
        size_t first_widget = b->c.f->n_widgets;
        canvas_list_item(&b->c, list, frame_strdup(b->c.f, id, SIZE_MAX),
                         chrome_with_note(b, it->title, it->title_lang),
                         chrome_ui_line(b, line), r, full ? t->alert : t->ink_soft);
        chrome_mark_lang(b, first_widget, it->title, it->title_lang);
    }
    canvas_scrollbar(&b->c);
}

static void set_filter(struct ui *ui, enum time_filter filter, const char *theme)
{
    ui->time_filter = filter;
    if (theme != ui->theme_filter)
        snprintf(ui->theme_filter, sizeof ui->theme_filter, "%s", theme);
    memset(&ui->list, 0, sizeof ui->list);
    ui_load(ui, CONTENT_OCCURRENCES);
    ui->dirty = true;
}

/* The occurrence whose widget id (activity.ID.YYYYMMDDTHHMM) is id: found
 * by the list the id was built from, so ids with dots stay unambiguous. */
static const struct occurrence_item *occurrence_of(const struct ui *ui, const char *id)
{
    const struct content *c = &ui->content;
    if (strncmp(id, "activity.", 9) != 0)
        return NULL;
    for (size_t i = 0; i < c->n_occurrences; i++) {
        const struct occurrence_item *it = &c->occurrences[i];
        size_t n = strlen(it->activity_id);
        if (strncmp(id + 9, it->activity_id, n) != 0 || id[9 + n] != '.')
            continue;
        char built[UI_ID_MAX + 32];
        ui_occurrence_id(it->activity_id, it->starts_at, built, sizeof built);
        if (strcmp(id, built) == 0)
            return it;
    }
    return NULL;
}

static bool activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    if (strcmp(id, "filter.today") == 0) {
        set_filter(ui, FILTER_TODAY, ui->theme_filter);
    } else if (strcmp(id, "filter.week") == 0) {
        set_filter(ui, FILTER_WEEK, ui->theme_filter);
    } else if (strcmp(id, "filter.all") == 0) {
        set_filter(ui, FILTER_ALL, ui->theme_filter);
    } else if (strncmp(id, "filter.theme.", 13) == 0) {
        /* A second tap on the chosen theme clears it. */
        set_filter(ui, ui->time_filter, strcmp(ui->theme_filter, id + 13) == 0 ? "" : id + 13);
    } else if (w->role == ROLE_ITEM && strncmp(id, "activity.", 9) == 0) {
        const struct occurrence_item *it = occurrence_of(ui, id);
        if (it) {
            struct place to = {.screen = SCREEN_ACTIVITY, .occurrence = it->starts_at};
            snprintf(to.activity_id, sizeof to.activity_id, "%s", it->activity_id);
            ui_go_place(ui, &to, true);
        }
    } else {
        return false;
    }
    return true;
}

/* Rows not built (scrolled away) are found in the content. */
static bool locate(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport)
{
    const struct content *c = &ui->content;
    for (size_t i = 0; i < c->n_occurrences; i++) {
        const struct occurrence_item *it = &c->occurrences[i];
        char id[UI_ID_MAX + 32];
        ui_occurrence_id(it->activity_id, it->starts_at, id, sizeof id);
        bool match = selector[0] == '#' ? strcmp(selector + 1, id) == 0
                                        : strcmp(selector, it->title) == 0;
        if (match) {
            *viewport = ui->list.viewport;
            *item = scroller_row(&ui->list, i, ui->theme.item_h);
            return true;
        }
    }
    return false;
}

const struct screen_def screen_activities = {
    .name = "activities",
    .content = CONTENT_BASE | CONTENT_OCCURRENCES,
    .idle = IDLE_RESIDENT,
    .keeps_activity_list = true,
    .build = build,
    .activate = activate,
    .locate = locate,
};
