/*
 * attract: what a passer-by sees, at rest, and the first screen a
 * resident touches. The time and date, the language choice, urgent
 * announcements, every one of today's activities (a list that scrolls;
 * a tap opens one), "need help?" straight to the help topics, and "tap to
 * start" with a hand that says where.
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "screens/screens.h"
#include "view/icons.h"

/* The urgent announcements (they come first), each on an accent plate;
 * returns the y below them. */
static int urgent_announcements(struct build *b, struct rect area)
{
    const struct theme *t = b->c.t;
    const struct content *c = &b->ui->content;
    int y = area.y;
    for (size_t i = 0; i < c->n_announcements && c->announcements[i].urgent; i++) {
        const struct announcement_item *a = &c->announcements[i];
        struct rect inner = {area.x + 2 * t->unit, y + t->unit, area.w - 4 * t->unit, 0};
        struct text_block block;
        const char *text = chrome_with_note(b, a->text, a->text_lang);
        text_layout(b->c.f, &b->ui->measurer, text, t->font_body, FONT_BOLD, inner.w, 3, &block);
        int h = (int)block.n_lines * t->line_body + 2 * t->unit;
        canvas_fill(&b->c, (struct rect){area.x, y, area.w, h}, t->accent_bg, t->radius,
                    canvas_screen(&b->c));
        char id[UI_ID_MAX + 16];
        ui_announcement_id(a->id, id, sizeof id);
        size_t first = b->c.f->n_widgets;
        canvas_text(&b->c, frame_strdup(b->c.f, id, SIZE_MAX), text, inner,
                    t->font_body, FONT_BOLD, t->accent_ink, -1, canvas_screen(&b->c));
        chrome_mark_lang(b, first, NULL, a->text_lang);
        y += h + t->gap;
    }
    return y;
}

/* Today's occurrences that have not ended, in the order of the content;
 * the list's rows and scroll-to both count them this way. */
static bool still_today(const struct ui *ui, const struct occurrence_item *it)
{
    int64_t now = ui_now_s(ui);
    return !(it->ends_at < now && it->starts_at < now);
}

/* "10:00–11:30 · Buurthuis De Kamers" */
static const char *today_line(struct build *b, const struct occurrence_item *it)
{
    const struct content *c = &b->ui->content;
    char start[8], end[8];
    ui_format_time(it->starts_at, start, sizeof start);
    ui_format_time(it->ends_at, end, sizeof end);
    const struct location_item *loc = content_location(c, it->location_id);
    return chrome_ui_line(
        b, frame_printf(b->c.f, "%s%s%s%s" ISOLATE("%s"), start,
                        it->ends_at > it->starts_at ? "\xE2\x80\x93" : "",
                        it->ends_at > it->starts_at ? end : "", loc ? " \xC2\xB7 " : "",
                        loc ? loc->name : ""));
}

/* Every one of today's activities that has not ended, as rows that open
 * the activity; returns how many there are. */
static size_t today_list(struct build *b, struct rect room)
{
    const struct theme *t = b->c.t;
    const struct content *c = &b->ui->content;
    size_t n = 0;
    for (size_t i = 0; i < c->n_today; i++)
        n += still_today(b->ui, &c->today[i]);
    if (n == 0)
        return 0;
    int list = canvas_list_begin(&b->c, "attract.today", room, (int)n * t->item_h);
    size_t row = 0;
    for (size_t i = 0; i < c->n_today; i++) {
        const struct occurrence_item *it = &c->today[i];
        if (!still_today(b->ui, it))
            continue;
        struct rect r = scroller_row(b->c.list, row++, t->item_h);
        if (r.y + r.h <= room.y || r.y >= room.y + room.h)
            continue;
        char id[UI_ID_MAX + 32];
        ui_occurrence_id(it->activity_id, it->starts_at, id, sizeof id);
        size_t first = b->c.f->n_widgets;
        canvas_list_item(&b->c, list, frame_strdup(b->c.f, id, SIZE_MAX),
                         chrome_with_note(b, it->title, it->title_lang), today_line(b, it), r,
                         t->ink_soft);
        chrome_mark_lang(b, first, it->title, it->title_lang);
    }
    canvas_scrollbar(&b->c);
    return n;
}

/* The language choice, large, named each in its own script: attract is
 * where a resident who reads no Dutch looks first. Rows wrap inside
 * room's width; returns the height used. */
static int languages(struct build *b, struct rect room)
{
    const struct theme *t = b->c.t;
    struct ui *ui = b->ui;
    const struct string_list *langs = &ui->env.config->ui_languages;
    int px = t->font_heading;
    int bh = t->line_heading + 3 * t->unit;
    if (bh < t->button_h)
        bh = t->button_h;
    if (langs->n == 0)
        return 0;
    /* Led by the "language" pictogram (a globe): the row says what it is
     * for to a resident who reads none of the names. */
    canvas_icon(&b->c, icon_named("language"), room.x, room.y, bh, t->on_primary,
                canvas_screen(&b->c));
    room.x += bh + t->gap;
    room.w -= bh + t->gap;
    int x = room.x, y = room.y;
    for (size_t i = 0; i < langs->n; i++) {
        const char *name = chrome_language_name(b, langs->items[i]);
        int tw = text_width(&ui->measurer, name, px, FONT_BOLD);
        int bw = tw + 6 * t->unit;
        if (bw < bh)
            bw = bh;
        if (bw > room.w)
            bw = room.w;
        if (x > room.x && x + bw > room.x + room.w) {
            x = room.x;
            y += bh + t->gap;
        }
        struct rect r = {x, y, bw, bh};
        bool on = strcmp(ui->lang, langs->items[i]) == 0;
        /* As on the header: the current one in white, the others outlined. */
        canvas_fill(&b->c, r, on ? t->on_primary : t->primary, t->radius, canvas_screen(&b->c));
        if (!on)
            canvas_outline(&b->c, r, t->on_primary, t->unit > 4 ? t->unit / 3 : 1, canvas_screen(&b->c));
        canvas_text_line(&b->c, name, r.x + (r.w - tw) / 2, r.y + (r.h - t->line_heading) / 2, px,
                         FONT_BOLD, on ? t->primary : t->on_primary, rect_intersect(r, canvas_screen(&b->c)));
        struct widget *w = frame_add_widget(b->c.f, frame_printf(b->c.f, "lang.%s", langs->items[i]),
                                            ROLE_TOGGLE, name, r);
        if (w) {
            w->checked = on ? CHECKED_TRUE : CHECKED_FALSE;
            w->text_overflows = tw > r.w;
            w->clipped = w->text_overflows;
            w->size = px;
        }
        x += bw + t->gap;
    }
    return langs->n ? y - room.y + bh : 0;
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    int w = b->c.f->width, h = b->c.f->height;
    b->c.f->background = t->primary;
    frame_add_widget(b->c.f, "attract", ROLE_SCREEN, ui_tr(ui, "attract.title"), canvas_screen(&b->c));

    int x = 2 * t->margin, y = 2 * t->margin;
    int inner_w = w - 4 * t->margin;
    /* The logo takes the top right, beside the title and the clock, at
     * most a third of the width. */
    struct rect plate = chrome_logo(b, (struct rect){x + inner_w - inner_w / 3, y, inner_w / 3,
                                              t->line_title + t->unit + t->line_heading},
                             true);
    int head_w = plate.w > 0 ? inner_w - plate.w - 2 * t->gap : inner_w;
    y += canvas_text(&b->c, "", ui_tr(ui, "attract.title"), (struct rect){x, y, head_w, 0},
                     t->font_title, FONT_BOLD, t->on_primary, -1, canvas_screen(&b->c));
    char day[64], hhmm[8], now_text[96];
    /* Without a plausible clock (no RTC, no NTP yet) "today" would be wrong. */
    bool clock_ok = ui_now_s(ui) >= BK_RELEASE_EPOCH;
    ui_format_day_long(ui, ui_now_s(ui), day, sizeof day);
    ui_format_time(ui_now_s(ui), hhmm, sizeof hhmm);
    if (clock_ok) {
        char with_day[96];
        ui_fill(ui_tr(ui, "date.day_time"), "{day}", day, with_day, sizeof with_day);
        ui_fill(with_day, "{time}", hhmm, now_text, sizeof now_text);
    }
    else
        snprintf(now_text, sizeof now_text, "%s", ui_tr(ui, "clock.unknown"));
    y += t->unit;
    y += canvas_text(&b->c, "clock", frame_strdup(b->c.f, now_text, SIZE_MAX),
                     (struct rect){x, y, head_w, 0}, t->font_heading, FONT_REGULAR, t->on_primary,
                     -1, canvas_screen(&b->c));
    if (y < plate.y + plate.h)
        y = plate.y + plate.h;
    y += 2 * t->gap;
    int used = languages(b, (struct rect){x, y, inner_w, 0});
    if (used > 0)
        y += used + 2 * t->gap;

    /* The bottom row: "need help?" and "tap to start" with its hand, side
     * by side where they fit, else one above the other. */
    const char *help = ui_tr(ui, "attract.help");
    /* "Tap to start" led by a hand that touches (the touch_app
     * pictogram), as large as the line it leads. */
    const char *start = ui_tr(ui, "attract.tap");
    const struct icon *hand = icon_named("touch_app");
    /* As large as fits one line: the title size, else the heading's, else
     * the body's (a long language on a narrow portrait panel). */
    int px = t->font_title, line_h = t->line_title;
    int hand_px = line_h > icon_px(t) ? line_h : icon_px(t);
    int room_w = inner_w - 4 * t->unit - hand_px - t->unit;
    int tw = text_width(&ui->measurer, start, px, FONT_BOLD);
    if (tw > room_w) {
        px = t->font_heading, line_h = t->line_heading;
        tw = text_width(&ui->measurer, start, px, FONT_BOLD);
    }
    if (tw > room_w) {
        px = t->font_body, line_h = t->line_body;
        tw = text_width(&ui->measurer, start, px, FONT_BOLD);
    }
    if (tw > room_w)
        tw = room_w;
    hand_px = line_h > icon_px(t) ? line_h : icon_px(t);
    int pill_h = hand_px + 2 * t->unit;
    int pill_w = hand_px + t->unit + tw + 4 * t->unit;
    int help_w = canvas_button_width_for(&b->c, "attract.help", help);
    bool side_by_side = help_w + t->gap + pill_w <= inner_w;
    int bottom = h - 2 * t->margin;
    struct rect pill = {side_by_side ? x + inner_w - pill_w : (w - pill_w) / 2, bottom - pill_h,
                        pill_w, pill_h};
    int help_y = side_by_side ? pill.y + (pill_h - t->button_h) / 2 : pill.y - t->gap - t->button_h;
    struct rect help_r = {x, help_y, help_w, t->button_h};
    int rows_bottom = help_r.y < pill.y ? help_r.y : pill.y;

    /* Many languages on a low screen leave no room for today: the choice
     * of language matters more, and the buttons must stay clear. */
    bool room_for_today = y + t->line_heading + t->unit + t->item_h + t->gap <= rows_bottom;
    if (!clock_ok || !room_for_today) {
        /* Nothing about today until the clock can be trusted. */
    } else if (ui->content.cache_empty) {
        canvas_text(&b->c, "empty", ui_tr(ui, ui->last_sync_failed ? "empty.unreachable" : "empty.loading"),
                    (struct rect){x, y, inner_w, 0}, t->font_body, FONT_REGULAR, t->on_primary,
                    -1, canvas_screen(&b->c));
    } else {
        y = urgent_announcements(b, (struct rect){x, y, inner_w, 0});
        y += canvas_text(&b->c, "", ui_tr(ui, "attract.today"), (struct rect){x, y, inner_w, 0},
                         t->font_heading, FONT_BOLD, t->on_primary, -1, canvas_screen(&b->c));
        y += t->unit;
        struct rect room = {x, y, inner_w, rows_bottom - t->gap - y};
        if (room.h >= t->item_h && today_list(b, room) == 0)
            canvas_text(&b->c, "", ui_tr(ui, "attract.nothing_today"), (struct rect){x, y, inner_w, 0},
                        t->font_body, FONT_REGULAR, t->on_primary, -1, canvas_screen(&b->c));
    }
    canvas_button(&b->c, "attract.help", ROLE_BUTTON, help, help_r, STYLE_ON_PRIMARY, CHECKED_NULL);
    canvas_fill(&b->c, pill, t->on_primary, pill.h / 2, canvas_screen(&b->c));
    canvas_icon(&b->c, hand, pill.x + 2 * t->unit, pill.y + t->unit, hand_px, t->primary,
                canvas_screen(&b->c));
    size_t before = b->c.f->n_widgets;
    canvas_text(&b->c, "", start,
                (struct rect){pill.x + 2 * t->unit + hand_px + t->unit,
                              pill.y + (pill_h - line_h) / 2, tw, 0},
                px, FONT_BOLD, t->primary, -1, canvas_screen(&b->c));
    /* The hand belongs to the line it leads: `dump` says so. */
    if (b->c.f->n_widgets > before)
        canvas_mark_icon(&b->c.f->widgets[b->c.f->n_widgets - 1], hand, pill.x + 2 * t->unit,
                         pill.y + t->unit, hand_px);
    if (ui->last_sync_ok_at) {
        char text[256];
        bool stale = ui_format_updated(ui, text, sizeof text);
        enum font_weight weight = stale ? FONT_BOLD : FONT_REGULAR;
        int uw = text_width(&ui->measurer, text, t->font_small, weight);
        if (uw > inner_w)
            uw = inner_w;
        canvas_text(&b->c, stale ? "updated.stale" : "updated", frame_strdup(b->c.f, text, SIZE_MAX),
                    (struct rect){w - t->margin - uw, h - t->margin / 2 - t->line_small, uw + 1, 0},
                    t->font_small, weight, t->on_primary, -1, canvas_screen(&b->c));
    }
}


/* Today's occurrence a selector names ("#activity.ID.START", or its
 * title), and its row in the list. */
static const struct occurrence_item *today_of(const struct ui *ui, const char *selector, size_t *row)
{
    const struct content *c = &ui->content;
    const char *id = selector[0] == '#' ? selector + 1 : selector;
    size_t n = 0;
    for (size_t i = 0; i < c->n_today; i++) {
        const struct occurrence_item *it = &c->today[i];
        if (!still_today(ui, it))
            continue;
        char built[UI_ID_MAX + 32];
        ui_occurrence_id(it->activity_id, it->starts_at, built, sizeof built);
        if (strcmp(id, built) == 0 || (selector[0] != '#' && strcmp(selector, it->title) == 0)) {
            if (row)
                *row = n;
            return it;
        }
        n++;
    }
    return NULL;
}

static bool activate(struct ui *ui, const struct widget *w)
{
    if (strncmp(w->id, "lang.", 5) == 0) {
        /* Choosing a language starts the kiosk in it. */
        ui_set_language(ui, w->id + 5);
        ui_go(ui, SCREEN_HOME, false);
        return true;
    }
    if (strcmp(w->id, "attract.help") == 0) {
        ui_go(ui, SCREEN_SERVICES, true);
        return true;
    }
    if (w->role == ROLE_ITEM && strncmp(w->id, "activity.", 9) == 0) {
        const struct occurrence_item *it = today_of(ui, w->id, NULL);
        if (it) {
            struct place to = {.screen = SCREEN_ACTIVITY, .occurrence = it->starts_at};
            snprintf(to.activity_id, sizeof to.activity_id, "%s", it->activity_id);
            ui_go_place(ui, &to, true);
        }
        return true;
    }
    if (strcmp(w->id, "attract") != 0)
        return false;
    ui_go(ui, SCREEN_HOME, false);
    return true;
}

/* Rows scrolled out of sight are found in the content, counted as the
 * list counts them. */
static bool locate(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport)
{
    size_t row;
    const struct occurrence_item *it = today_of(ui, selector, &row);
    if (!it)
        return false;
    *viewport = ui->list.viewport;
    *item = scroller_row(&ui->list, row, ui->theme.item_h);
    return true;
}

/* The clock on screen shows the minute. */
static int64_t deadline(const struct ui *ui, int64_t now_ms)
{
    (void)ui;
    return (now_ms / 60000 + 1) * 60000;
}

/* A new minute: announcements start and end on minutes, activities end. */
static void tick(struct ui *ui, int64_t now_ms)
{
    int64_t minute = now_ms / 60000;
    if (minute != ui->shown_minute) {
        ui_load(ui, CONTENT_NOW);
        ui->dirty = true;
    }
}

const struct screen_def screen_attract = {
    .name = "attract",
    .content = CONTENT_BASE | CONTENT_NOW,
    .idle = IDLE_NONE,
    .build = build,
    .activate = activate,
    .locate = locate,
    .deadline = deadline,
    .tick = tick,
};
