/*
 * Building each resident screen into a frame: widgets for touch, scripts
 * and read-aloud; draw commands for the renderer. Layout scales with the
 * theme (theme.c); every string comes from the catalogs or the feed.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/localized.h"
#include "base/timeutil.h"
#include "model/outbox.h"
#include "screens/ui_internal.h"
#include "model/validate.h"

/* Everything a screen builder needs at hand. */
struct build {
    struct ui *ui;
    struct frame *f;
    const struct theme *t;
    struct rect content;        /* between header and footer */
    struct rect clip;           /* where buttons may draw: the screen, or a scrolling area */
};

enum button_style { STYLE_PRIMARY, STYLE_PLAIN, STYLE_ON_PRIMARY };

/* ---- primitives ---- */

static void fill(struct build *b, struct rect r, struct rgba colour, int radius, struct rect clip)
{
    struct draw_cmd *c = frame_add_cmd(b->f, DRAW_RECT, r);
    if (c) {
        c->colour = colour;
        c->radius = radius;
        c->clip = clip;
    }
}

static void outline(struct build *b, struct rect r, struct rgba colour, int thickness,
                    struct rect clip)
{
    struct draw_cmd *c = frame_add_cmd(b->f, DRAW_FRAME, r);
    if (c) {
        c->colour = colour;
        c->thickness = thickness;
        c->clip = clip;
    }
}

static void line_of_text(struct build *b, const char *text, int x, int y, int px,
                         enum font_weight weight, struct rgba colour, struct rect clip)
{
    int line_h = px * 6 / 5;
    struct draw_cmd *c = frame_add_cmd(b->f, DRAW_TEXT, (struct rect){x, y, 0, line_h});
    if (c) {
        c->text = text;
        c->font_px = px;
        c->weight = weight;
        c->colour = colour;
        c->clip = clip;
    }
}

static struct rect screen_rect(const struct build *b)
{
    return (struct rect){0, 0, b->f->width, b->f->height};
}

/* The organisation's logo (branding.logo) on a white plate, so that a
 * logo made for paper reads on any header colour: as large as fits in
 * room less a padding, never larger than the picture itself, at room's
 * left or right edge and top. Returns the plate, of width 0 when there is
 * no logo or no room. */
static struct rect logo(struct build *b, struct rect room, bool at_right)
{
    const struct ui_env *env = &b->ui->env;
    const struct theme *t = b->t;
    struct rect none = {room.x, room.y, 0, 0};
    int pad = t->unit;
    int max_w = room.w - 2 * pad, max_h = room.h - 2 * pad;
    if (!env->logo_image || env->logo_w <= 0 || env->logo_h <= 0 || max_w <= 0 || max_h <= 0)
        return none;
    long long w = env->logo_w, h = env->logo_h;
    if (w > max_w) {
        h = h * max_w / w;
        w = max_w;
    }
    if (h > max_h) {
        w = w * max_h / h;
        h = max_h;
    }
    if (w <= 0 || h <= 0)
        return none;
    struct rect plate = {at_right ? room.x + room.w - (int)w - 2 * pad : room.x, room.y,
                         (int)w + 2 * pad, (int)h + 2 * pad};
    fill(b, plate, (struct rgba){255, 255, 255, 255}, t->radius, screen_rect(b));
    struct draw_cmd *c =
        frame_add_cmd(b->f, DRAW_IMAGE, (struct rect){plate.x + pad, plate.y + pad, (int)w, (int)h});
    if (c) {
        c->image = env->logo_image;
        c->clip = screen_rect(b);
    }
    frame_add_widget(b->f, "logo", ROLE_IMAGE, ui_tr(b->ui, "branding.logo"), plate);
    return plate;
}

/* Lays out and draws a block of text; returns its height. */
static int text_lines(struct build *b, const char *text, struct rect area, int px,
                      enum font_weight weight, struct rgba colour, size_t max_lines,
                      struct rect clip, bool *cut)
{
    struct text_block block;
    text_layout(b->f, &b->ui->measurer, text, px, weight, area.w, max_lines, &block);
    int line_h = px * 6 / 5;
    for (size_t i = 0; i < block.n_lines; i++)
        line_of_text(b, block.lines[i], area.x, area.y + (int)i * line_h, px, weight, colour, clip);
    if (cut)
        *cut = block.cut;
    return (int)block.n_lines * line_h;
}

/* A text widget with its drawn lines; returns the height used. */
static int text_widget(struct build *b, const char *id, const char *text, struct rect area, int px,
                       enum font_weight weight, struct rgba colour, int list_index,
                       struct rect clip)
{
    if (!text || !*text)
        return 0;
    bool cut = false;
    int h = text_lines(b, text, area, px, weight, colour, TEXT_MAX_LINES, clip, &cut);
    struct widget *w = frame_add_widget(b->f, id, ROLE_TEXT, text, (struct rect){area.x, area.y, area.w, h});
    if (w) {
        w->list = list_index;
        w->clip = rect_intersect(w->rect, clip);
        w->visible = !rect_empty(w->clip);
        w->text_overflows = cut;
    }
    return h;
}

static struct widget *button(struct build *b, const char *id, enum widget_role role,
                             const char *label, struct rect r, enum button_style style,
                             enum checked_state checked)
{
    const struct theme *t = b->t;
    struct rgba bg, ink;
    bool on = checked == CHECKED_TRUE;
    if (style == STYLE_ON_PRIMARY && checked != CHECKED_NULL) {
        /* A choice on the header: the chosen one stands out in white, the
         * others are outlined in the header's own colour. */
        bg = on ? t->on_primary : t->primary;
        ink = on ? t->primary : t->on_primary;
    } else if (style == STYLE_PRIMARY || on) {
        bg = t->primary;
        ink = t->on_primary;
    } else if (style == STYLE_ON_PRIMARY) {
        bg = t->on_primary;
        ink = t->primary;
    } else {
        bg = t->surface;
        ink = t->primary;
    }
    struct rect clip = b->clip;
    fill(b, r, bg, t->radius, clip);
    if (style == STYLE_ON_PRIMARY && checked == CHECKED_FALSE)
        outline(b, r, t->on_primary, t->unit > 4 ? t->unit / 3 : 1, clip);
    else if (style == STYLE_PLAIN || (on && style != STYLE_ON_PRIMARY))
        outline(b, r, t->primary, t->unit > 4 ? t->unit / 3 : 1, clip);
    int px = t->font_body;
    int tw = text_width(&b->ui->measurer, label, px, FONT_BOLD);
    bool overflows = tw > r.w - 2 * t->unit;
    line_of_text(b, label, r.x + (r.w - tw) / 2, r.y + (r.h - px * 6 / 5) / 2, px, FONT_BOLD, ink,
                 rect_intersect(r, clip));
    struct widget *w = frame_add_widget(b->f, id, role, label, r);
    if (w) {
        w->checked = checked;
        w->text_overflows = overflows;
    }
    return w;
}

/* The width a button needs for its label. */
static int button_width(struct build *b, const char *label)
{
    int w = text_width(&b->ui->measurer, label, b->t->font_body, FONT_BOLD) + 4 * b->t->unit;
    return w < b->t->button_h ? b->t->button_h : w;
}

/* ---- header and footer ---- */

static void header(struct build *b, const char *title, bool with_nav, bool with_languages)
{
    const struct theme *t = b->t;
    struct ui *ui = b->ui;
    int w = b->f->width;
    fill(b, (struct rect){0, 0, w, t->header_h}, t->primary, 0, screen_rect(b));
    int x = t->margin;
    int bh = t->button_h;
    int by = (t->header_h - bh) / 2;
    if (with_languages) {
        /* Home: the organisation's logo leads the header. */
        int room_h = t->header_h - 2 * t->unit;
        struct rect plate = logo(b, (struct rect){x, t->unit, 3 * room_h, room_h}, false);
        if (plate.w > 0)
            x += plate.w + t->gap;
    }
    if (with_nav) {
        const char *back = ui_tr(ui, "nav.back");
        int bw = button_width(b, back);
        button(b, "nav.back", ROLE_BUTTON, back, (struct rect){x, by, bw, bh}, STYLE_ON_PRIMARY,
               CHECKED_NULL);
        x += bw + t->gap;
        const char *home = ui_tr(ui, "nav.home");
        bw = button_width(b, home);
        button(b, "nav.home", ROLE_BUTTON, home, (struct rect){x, by, bw, bh}, STYLE_ON_PRIMARY,
               CHECKED_NULL);
        x += bw + t->gap;
    }
    int right = w - t->margin;
    if (with_languages) {
        /* Home: the language choice sits on the right of the header. */
        const struct string_list *langs = &ui->env.config->ui_languages;
        for (size_t i = langs->n; i-- > 0;) {
            char key[32], id[32];
            snprintf(key, sizeof key, "lang.name.%s", langs->items[i]);
            snprintf(id, sizeof id, "lang.%s", langs->items[i]);
            const char *name = tr(ui->env.catalogs, langs->items[i], key);
            int bw = button_width(b, name);
            right -= bw;
            button(b, id, ROLE_TOGGLE, name, (struct rect){right, by, bw, bh}, STYLE_ON_PRIMARY,
                   strcmp(ui->lang, langs->items[i]) == 0 ? CHECKED_TRUE : CHECKED_FALSE);
            right -= t->gap;
        }
    }
    /* A title that does not fit in the heading size gets the body size
     * before it is shortened. */
    int px = t->font_heading;
    if (text_width(&ui->measurer, title, px, FONT_BOLD) > right - x)
        px = t->font_body;
    struct rect area = {x, (t->header_h - px * 6 / 5) / 2, right - x, px * 6 / 5};
    struct text_block block;
    text_layout(b->f, &ui->measurer, title, px, FONT_BOLD, area.w, 1, &block);
    if (block.n_lines)
        line_of_text(b, block.lines[0], area.x, area.y, px, FONT_BOLD, t->on_primary,
                     screen_rect(b));
    struct widget *tw = frame_add_widget(b->f, "title", ROLE_TEXT, title, area);
    if (tw)
        tw->text_overflows = false; /* a long title is shortened on purpose */
}

static void footer(struct build *b)
{
    const struct theme *t = b->t;
    struct ui *ui = b->ui;
    int w = b->f->width, h = b->f->height;
    struct rect bar = {0, h - t->footer_h, w, t->footer_h};
    fill(b, bar, t->surface, 0, screen_rect(b));
    fill(b, (struct rect){0, bar.y, w, t->unit > 4 ? t->unit / 4 : 1}, t->line, 0, screen_rect(b));
    int bh = t->button_h < t->footer_h - t->unit ? t->button_h : t->footer_h - t->unit;
    if (bh < THEME_MIN_TARGET)
        bh = THEME_MIN_TARGET;
    int by = bar.y + (t->footer_h - bh) / 2;
    int right = w - t->margin;
    const char *contrast = ui_tr(ui, "a11y.contrast");
    int bw = button_width(b, contrast);
    right -= bw;
    button(b, "a11y.contrast", ROLE_TOGGLE, contrast, (struct rect){right, by, bw, bh}, STYLE_PLAIN,
           ui->high_contrast ? CHECKED_TRUE : CHECKED_FALSE);
    const char *large = ui_tr(ui, "a11y.large");
    bw = button_width(b, large);
    right -= bw + t->gap;
    button(b, "a11y.large", ROLE_TOGGLE, large, (struct rect){right, by, bw, bh}, STYLE_PLAIN,
           ui->large_text ? CHECKED_TRUE : CHECKED_FALSE);
    if (ui->last_sync_ok_at) {
        char hhmm[8], text[128];
        ui_format_time(ui->last_sync_ok_at, hhmm, sizeof hhmm);
        const char *fmt = ui_tr(ui, "footer.updated");
        const char *slot = strstr(fmt, "{time}");
        if (slot)
            snprintf(text, sizeof text, "%.*s%s%s", (int)(slot - fmt), fmt, hhmm, slot + 6);
        else
            snprintf(text, sizeof text, "%s %s", fmt, hhmm);
        struct rect area = {t->margin, bar.y + (t->footer_h - t->line_small) / 2,
                            right - 2 * t->margin, t->line_small};
        const char *line = frame_strdup(b->f, text, SIZE_MAX);
        text_lines(b, line, area, t->font_small, FONT_REGULAR, t->ink_soft, 1, screen_rect(b), NULL);
        frame_add_widget(b->f, "updated", ROLE_TEXT, line, area);
    }
}

static void frame_chrome(struct build *b, const char *title, bool with_nav)
{
    const struct theme *t = b->t;
    header(b, title, with_nav, !with_nav);
    footer(b);
    b->content = (struct rect){t->margin, t->header_h + t->gap, b->f->width - 2 * t->margin,
                               b->f->height - t->header_h - t->footer_h - 2 * t->gap};
}

/* A row (or rows) of toggles that wraps; returns the height used. */
struct chip {
    const char *id;
    const char *label;
    bool checked;
};

static int chip_rows(struct build *b, const struct chip *chips, size_t n, struct rect area)
{
    const struct theme *t = b->t;
    int x = area.x, y = area.y;
    for (size_t i = 0; i < n; i++) {
        int bw = button_width(b, chips[i].label);
        if (bw > area.w)
            bw = area.w;
        if (x > area.x && x + bw > area.x + area.w) {
            x = area.x;
            y += t->button_h + t->gap;
        }
        button(b, chips[i].id, ROLE_TOGGLE, chips[i].label, (struct rect){x, y, bw, t->button_h},
               STYLE_PLAIN, chips[i].checked ? CHECKED_TRUE : CHECKED_FALSE);
        x += bw + t->gap;
    }
    return n ? y - area.y + t->button_h : 0;
}

/* ---- lists ---- */

/* Starts a scrolling list in area; returns its widget index. */
static int list_begin(struct build *b, const char *id, struct rect area, int content_h)
{
    struct scroller *s = &b->ui->list;
    s->viewport = area;
    s->content_h = content_h;
    int max = content_h - area.h;
    if (s->offset > max)
        s->offset = max > 0 ? max : 0;
    struct widget *w = frame_add_widget(b->f, id, ROLE_LIST, "", area);
    return w ? (int)(b->f->n_widgets - 1) : -1;
}

/* A thin bar on the right of a list that holds more than it shows, so
 * that a resident sees there is more. */
static void scrollbar(struct build *b)
{
    const struct scroller *s = &b->ui->list;
    if (s->content_h <= s->viewport.h || s->viewport.h <= 0)
        return;
    const struct theme *t = b->t;
    int w = t->unit > 4 ? t->unit : 4;
    struct rect track = {s->viewport.x + s->viewport.w - w, s->viewport.y, w, s->viewport.h};
    int thumb_h = (int)((int64_t)s->viewport.h * s->viewport.h / s->content_h);
    if (thumb_h < 2 * w)
        thumb_h = 2 * w;
    int range = s->content_h - s->viewport.h;
    int thumb_y = track.y + (int)((int64_t)(track.h - thumb_h) * s->offset / (range ? range : 1));
    fill(b, track, t->background, w / 2, s->viewport);
    fill(b, (struct rect){track.x, thumb_y, w, thumb_h}, t->line, w / 2, s->viewport);
}

/* One list row: title (bold) and a line of text; drawn clipped to the list. */
static void list_item(struct build *b, int list, const char *id, const char *title,
                      const char *line, struct rect r, struct rgba line_colour)
{
    const struct theme *t = b->t;
    struct rect viewport = b->ui->list.viewport;
    struct rect clip = rect_intersect(r, viewport);
    struct rect card = {r.x, r.y, r.w, r.h - t->unit};
    fill(b, card, t->surface, t->radius, viewport);
    outline(b, card, t->line, 1, viewport);
    int pad = 2 * t->unit;
    int inner = card.w - 2 * pad;
    struct text_block tb;
    text_layout(b->f, &b->ui->measurer, title, t->font_body, FONT_BOLD, inner, 1, &tb);
    if (tb.n_lines)
        line_of_text(b, tb.lines[0], card.x + pad, card.y + t->unit, t->font_body, FONT_BOLD, t->ink,
                     clip);
    struct text_block lb;
    text_layout(b->f, &b->ui->measurer, line ? line : "", t->font_small, FONT_REGULAR, inner, 1, &lb);
    if (lb.n_lines)
        line_of_text(b, lb.lines[0], card.x + pad, card.y + t->unit + t->line_body, t->font_small,
                     FONT_REGULAR, line_colour, clip);
    struct widget *w = frame_add_widget(b->f, id, ROLE_ITEM, title, r);
    if (w) {
        w->text = line ? frame_strdup(b->f, line, SIZE_MAX) : NULL;
        w->list = list;
        w->clip = clip;
        w->visible = !rect_empty(clip);
    }
}

static void empty_note(struct build *b, const char *key, struct rect area)
{
    text_widget(b, "empty", ui_tr(b->ui, key), area, b->t->font_body, FONT_REGULAR, b->t->ink_soft,
                -1, screen_rect(b));
}

/* ---- screens ---- */

struct highlight_ctx {
    struct build *b;
    struct rect area;
    int y;
    int shown;
};

static bool attract_highlight(void *ctx, const struct occurrence_row *row)
{
    struct highlight_ctx *h = ctx;
    struct build *b = h->b;
    const struct theme *t = b->t;
    if (row->ends_at < ui_now_s(b->ui) && row->starts_at < ui_now_s(b->ui))
        return true;
    json_t *title = json_loads(row->title_json, 0, NULL);
    const char *name = localized_pick(title, b->ui->lang);
    char when[16], text[512];
    ui_format_time(row->starts_at, when, sizeof when);
    const char *where = ui_location_name(b->ui, row->location_id);
    snprintf(text, sizeof text, "%s  %s%s%s", when, name ? name : "", where ? " \xC2\xB7 " : "",
             where ? where : "");
    json_decref(title);
    struct rect area = {h->area.x, h->y, h->area.w, t->line_body};
    h->y += text_widget(b, "", frame_strdup(b->f, text, SIZE_MAX), area, t->font_body, FONT_REGULAR,
                        t->on_primary, -1, screen_rect(b));
    h->y += t->unit;
    return ++h->shown < 3 && h->y + t->line_body < h->area.y + h->area.h;
}

struct urgent_ctx {
    struct build *b;
    struct rect area;
    int y;
};

static bool shown_here(const struct ui *ui, const char *location_ids_json)
{
    if (!location_ids_json)
        return true;
    json_t *ids = json_loads(location_ids_json, 0, NULL);
    bool here = false;
    size_t i;
    json_t *id;
    const struct string_list *mine = &ui->env.config->kiosk_locations;
    json_array_foreach(ids, i, id) {
        for (size_t k = 0; k < mine->n; k++)
            here = here || strcmp(json_string_value(id), mine->items[k]) == 0;
    }
    json_decref(ids);
    return here;
}

static bool attract_urgent(void *ctx, const struct announcement_row *row)
{
    struct urgent_ctx *u = ctx;
    struct build *b = u->b;
    const struct theme *t = b->t;
    if (!row->urgent)
        return false; /* urgent ones come first */
    if (!shown_here(b->ui, row->location_ids_json))
        return true;
    json_t *text = json_loads(row->text_json, 0, NULL);
    const char *s = localized_pick(text, b->ui->lang);
    if (s) {
        struct rect inner = {u->area.x + 2 * t->unit, u->y + t->unit, u->area.w - 4 * t->unit, 0};
        struct text_block block;
        text_layout(b->f, &b->ui->measurer, s, t->font_body, FONT_BOLD, inner.w, 3, &block);
        int h = (int)block.n_lines * t->line_body + 2 * t->unit;
        fill(b, (struct rect){u->area.x, u->y, u->area.w, h}, t->accent_bg, t->radius, screen_rect(b));
        text_widget(b, frame_printf(b->f, "announcement.%s", row->id), frame_strdup(b->f, s, SIZE_MAX),
                    inner, t->font_body, FONT_BOLD, t->accent_ink, -1, screen_rect(b));
        u->y += h + t->gap;
    }
    json_decref(text);
    return true;
}

static void build_attract(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    int w = b->f->width, h = b->f->height;
    b->f->background = t->primary;
    frame_add_widget(b->f, "attract", ROLE_SCREEN, ui_tr(ui, "attract.title"), screen_rect(b));

    int x = 2 * t->margin, y = 2 * t->margin;
    int inner_w = w - 4 * t->margin;
    /* The logo takes the top right, beside the title and the clock, at
     * most a third of the width. */
    struct rect plate = logo(b, (struct rect){x + inner_w - inner_w / 3, y, inner_w / 3,
                                              t->line_title + t->unit + t->line_heading},
                             true);
    int head_w = plate.w > 0 ? inner_w - plate.w - 2 * t->gap : inner_w;
    y += text_widget(b, "", ui_tr(ui, "attract.title"), (struct rect){x, y, head_w, 0},
                     t->font_title, FONT_BOLD, t->on_primary, -1, screen_rect(b));
    char day[64], hhmm[8], now_text[96];
    /* Without a plausible clock (no RTC, no NTP yet) "today" would be wrong. */
    bool clock_ok = ui_now_s(ui) >= BK_RELEASE_EPOCH;
    ui_format_day_long(ui, ui_now_s(ui), day, sizeof day);
    ui_format_time(ui_now_s(ui), hhmm, sizeof hhmm);
    if (clock_ok)
        snprintf(now_text, sizeof now_text, "%s, %s", day, hhmm);
    else
        snprintf(now_text, sizeof now_text, "%s", ui_tr(ui, "clock.unknown"));
    y += t->unit;
    y += text_widget(b, "clock", frame_strdup(b->f, now_text, SIZE_MAX),
                     (struct rect){x, y, head_w, 0}, t->font_heading, FONT_REGULAR, t->on_primary,
                     -1, screen_rect(b));
    if (y < plate.y + plate.h)
        y = plate.y + plate.h;
    y += 2 * t->gap;

    if (!clock_ok) {
        /* Nothing about today until the clock can be trusted. */
    } else if (ui->cache_empty) {
        y += text_widget(b, "empty", ui_tr(ui, ui->last_sync_failed ? "empty.unreachable" : "empty.loading"),
                         (struct rect){x, y, inner_w, 0}, t->font_body, FONT_REGULAR, t->on_primary,
                         -1, screen_rect(b));
    } else {
        struct urgent_ctx u = {b, {x, y, inner_w, 0}, y};
        store_query_announcements(ui->env.store, ui_now_s(ui), attract_urgent, &u);
        y = u.y;
        y += text_widget(b, "", ui_tr(ui, "attract.today"), (struct rect){x, y, inner_w, 0},
                         t->font_heading, FONT_BOLD, t->on_primary, -1, screen_rect(b));
        y += t->unit;
        int64_t from, until;
        enum time_filter saved = ui->time_filter;
        ui->time_filter = FILTER_TODAY;
        ui_filter_window(ui, &from, &until);
        ui->time_filter = saved;
        struct highlight_ctx hc = {b, {x, y, inner_w, h - y - 3 * t->margin - t->line_title}, y, 0};
        struct occurrence_query q = {.from = from, .until = until, .limit = 50};
        store_query_occurrences(ui->env.store, &q, attract_highlight, &hc);
        if (hc.shown == 0)
            text_widget(b, "", ui_tr(ui, "attract.nothing_today"), (struct rect){x, hc.y, inner_w, 0},
                        t->font_body, FONT_REGULAR, t->on_primary, -1, screen_rect(b));
    }
    const char *start = ui_tr(ui, "attract.tap");
    int tw = text_width(&ui->measurer, start, t->font_title, FONT_BOLD);
    if (tw > inner_w)
        tw = inner_w;
    struct rect pill = {(w - tw) / 2 - 2 * t->unit, h - 2 * t->margin - t->line_title - 2 * t->unit,
                        tw + 4 * t->unit, t->line_title + 2 * t->unit};
    fill(b, pill, t->on_primary, pill.h / 2, screen_rect(b));
    text_widget(b, "", start, (struct rect){(w - tw) / 2, pill.y + t->unit, tw, 0}, t->font_title,
                FONT_BOLD, t->primary, -1, screen_rect(b));
    if (ui->last_sync_ok_at) {
        char text[96], time_text[8];
        ui_format_time(ui->last_sync_ok_at, time_text, sizeof time_text);
        const char *fmt = ui_tr(ui, "footer.updated");
        const char *slot = strstr(fmt, "{time}");
        snprintf(text, sizeof text, "%.*s%s%s", slot ? (int)(slot - fmt) : (int)strlen(fmt), fmt,
                 slot ? time_text : "", slot ? slot + 6 : "");
        int uw = text_width(&ui->measurer, text, t->font_small, FONT_REGULAR);
        text_widget(b, "updated", frame_strdup(b->f, text, SIZE_MAX),
                    (struct rect){w - t->margin - uw, h - t->margin / 2 - t->line_small, uw + 1, 0},
                    t->font_small, FONT_REGULAR, t->on_primary, -1, screen_rect(b));
    }
}

static void build_home(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    frame_chrome(b, ui_tr(ui, "home.title"), false);
    struct rect c = b->content;
    if (ui->cache_empty) {
        int used = text_widget(b, "empty",
                               ui_tr(ui, ui->last_sync_failed ? "empty.unreachable" : "empty.loading"),
                               c, t->font_body, FONT_REGULAR, t->alert, -1, screen_rect(b));
        c.y += used + t->gap;
        c.h -= used + t->gap;
    }
    static const char *const tiles[3][3] = {
        {"home.activities", "home.activities.title", "home.activities.text"},
        {"home.services", "home.services.title", "home.services.text"},
        {"home.announcements", "home.announcements.title", "home.announcements.text"},
    };
    bool landscape = c.w > c.h;
    /* Never break a word: when the longest word of a title does not fit a
     * tile in the title size, all tiles take the heading size alike. */
    int tile_w = landscape ? (c.w - 2 * t->gap) / 3 : c.w;
    int px = t->font_title;
    for (int i = 0; i < 3; i++) {
        const char *title = ui_tr(ui, tiles[i][1]);
        char word[128];
        for (const char *p = title; *p;) {
            size_t n = strcspn(p, " ");
            snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
            if (text_width(&ui->measurer, word, px, FONT_BOLD) > tile_w - 6 * t->unit)
                px = t->font_heading;
            p += n;
            while (*p == ' ')
                p++;
        }
    }
    for (int i = 0; i < 3; i++) {
        struct rect r;
        if (landscape) {
            int tw = (c.w - 2 * t->gap) / 3;
            r = (struct rect){c.x + i * (tw + t->gap), c.y, tw, c.h};
        } else {
            int th = (c.h - 2 * t->gap) / 3;
            r = (struct rect){c.x, c.y + i * (th + t->gap), c.w, th};
        }
        const char *title = ui_tr(ui, tiles[i][1]);
        const char *text = ui_tr(ui, tiles[i][2]);
        fill(b, r, t->primary, 2 * t->radius, screen_rect(b));
        int pad = 3 * t->unit;
        struct rect inner = {r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
        bool cut1 = false, cut2 = false;
        int used = text_lines(b, title, inner, px, FONT_BOLD, t->on_primary, 2,
                              rect_intersect(r, screen_rect(b)), &cut1);
        inner.y += used + t->unit;
        size_t room = (size_t)((r.y + r.h - pad - inner.y) / t->line_body);
        text_lines(b, text, inner, t->font_body, FONT_REGULAR, t->on_primary, room ? room : 1,
                   rect_intersect(r, screen_rect(b)), &cut2);
        struct widget *w = frame_add_widget(b->f, tiles[i][0], ROLE_BUTTON, title, r);
        if (w) {
            w->text = text;
            w->text_overflows = cut1 || cut2;
        }
    }
}

static void occurrence_line(struct build *b, const struct occurrence_item *it, char *buf,
                            size_t len, bool *full)
{
    struct ui *ui = b->ui;
    char day[48], start[8], end[8];
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
        long long left = it->capacity - it->taken -
                         outbox_pending_places(ui->env.store, it->activity_id, it->starts_at);
        char places[96];
        if (left <= 0) {
            *full = true;
            snprintf(places, sizeof places, "%s", ui_tr(ui, "places.full"));
        } else {
            ui_fill_number(ui_tr(ui, left == 1 ? "places.left.one" : "places.left"), left, places,
                           sizeof places);
        }
        used += (size_t)snprintf(buf + used, len - used, " \xC2\xB7 %s", places);
    }
    const char *where = ui_location_name(ui, it->location_id);
    if (where && used < len)
        snprintf(buf + used, len - used, " \xC2\xB7 %s", where);
}

static void build_activities(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    frame_chrome(b, ui_tr(ui, "activities.title"), true);
    struct chip chips[3 + UI_MAX_CODES + 1];
    size_t n = 0;
    chips[n++] = (struct chip){"filter.today", ui_tr(ui, "filter.today"), ui->time_filter == FILTER_TODAY};
    chips[n++] = (struct chip){"filter.week", ui_tr(ui, "filter.week"), ui->time_filter == FILTER_WEEK};
    chips[n++] = (struct chip){"filter.all", ui_tr(ui, "filter.all"), ui->time_filter == FILTER_ALL};
    for (size_t i = 0; i < ui->n_themes; i++) {
        char key[96];
        snprintf(key, sizeof key, "theme.%s", ui->themes[i]);
        chips[n++] = (struct chip){frame_printf(b->f, "filter.theme.%s", ui->themes[i]),
                                   ui_tr(ui, frame_strdup(b->f, key, SIZE_MAX)),
                                   strcmp(ui->theme_filter, ui->themes[i]) == 0};
    }
    if (ui->has_other_theme)
        chips[n++] = (struct chip){"filter.theme.other", ui_tr(ui, "theme.other"),
                                   strcmp(ui->theme_filter, "other") == 0};
    struct rect c = b->content;
    int used = chip_rows(b, chips, n, c) + t->gap;
    struct rect viewport = {c.x, c.y + used, c.w, c.h - used};
    if (ui->n_occurrences == 0) {
        list_begin(b, "activities.list", viewport, 0);
        empty_note(b, "activities.empty", viewport);
        return;
    }
    int list = list_begin(b, "activities.list", viewport, (int)ui->n_occurrences * t->item_h);
    size_t first = (size_t)(ui->list.offset / t->item_h);
    for (size_t i = first; i < ui->n_occurrences; i++) {
        const struct occurrence_item *it = &ui->occurrences[i];
        struct rect r = {viewport.x, viewport.y + (int)i * t->item_h - ui->list.offset, viewport.w,
                         t->item_h};
        if (r.y >= viewport.y + viewport.h)
            break;
        struct local_time lt;
        tz_to_local(it->starts_at, &lt);
        const char *id = frame_printf(b->f, "activity.%s.%04d%02d%02dT%02d%02d", it->activity_id,
                                      lt.year, lt.month, lt.day, lt.hour, lt.minute);
        char line[512];
        bool full;
        occurrence_line(b, it, line, sizeof line, &full);
        list_item(b, list, id, it->title, line, r, full ? t->alert : t->ink_soft);
    }
    scrollbar(b);
}

/* Detail screens lay out blocks top to bottom inside a scrolling area. */
struct details {
    struct build *b;
    int list;
    struct rect viewport;
    int y;                      /* next block's top, already scrolled */
    int top;                    /* content top before scrolling */
};

static void details_begin(struct details *d, struct build *b, const char *id)
{
    d->b = b;
    d->viewport = b->content;
    /* Content height is known only after layout; the scroller keeps last
     * frame's value, which is right for every frame but the first. */
    d->list = list_begin(b, id, d->viewport, b->ui->list.content_h);
    d->top = d->viewport.y;
    d->y = d->viewport.y - b->ui->list.offset;
}

static void details_end(struct details *d)
{
    struct scroller *s = &d->b->ui->list;
    int content = d->y + s->offset - d->top;
    if (content != s->content_h) {
        /* The first layout of a screen learns its height now; lay out
         * once more so the scroll limits and the bar are right. */
        s->content_h = content;
        d->b->ui->dirty = true;
    }
    scrollbar(d->b);
}

static void details_text(struct details *d, const char *id, const char *text, int px,
                         enum font_weight weight, struct rgba colour)
{
    if (!text || !*text)
        return;
    struct build *b = d->b;
    d->y += text_widget(b, id, text, (struct rect){d->viewport.x, d->y, d->viewport.w, 0}, px, weight,
                        colour, d->list, d->viewport);
    d->y += b->t->unit;
}

static void details_gap(struct details *d)
{
    d->y += d->b->t->gap;
}

struct next_ctx {
    struct ui *ui;
    char text[1024];
    size_t used;
    int shown;
    int64_t skip;
};

static bool collect_next(void *ctx, const struct occurrence_row *row)
{
    struct next_ctx *n = ctx;
    if (row->starts_at == n->skip)
        return true;
    char day[48], hhmm[8];
    ui_format_day_long(n->ui, row->starts_at, day, sizeof day);
    ui_format_time(row->starts_at, hhmm, sizeof hhmm);
    if (n->used < sizeof n->text)
        n->used += (size_t)snprintf(n->text + n->used, sizeof n->text - n->used, "%s%s, %s",
                                    n->shown ? "\n" : "", day, hhmm);
    return ++n->shown < 5;
}

static char *json_pick(struct build *b, const char *json_text)
{
    if (!json_text)
        return NULL;
    json_t *o = json_loads(json_text, 0, NULL);
    const char *s = localized_pick(o, b->ui->lang);
    char *copy = s ? (char *)frame_strdup(b->f, s, SIZE_MAX) : NULL;
    json_decref(o);
    return copy;
}

static bool taken_of(void *ctx, const struct occurrence_row *row)
{
    *(int64_t *)ctx = row->taken;
    return false;
}

struct activity_detail_ctx {
    struct build *b;
    struct details *d;
};

static bool show_activity(void *ctx, const struct activity_row *a)
{
    struct activity_detail_ctx *c = ctx;
    struct build *b = c->b;
    struct details *d = c->d;
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    int64_t start = ui->here.occurrence ? ui->here.occurrence : a->starts_at;
    int64_t end = start + (a->ends_at - a->starts_at);

    details_text(d, "activity.title", json_pick(b, a->title_json), t->font_title, FONT_BOLD, t->ink);
    char day[64], s[8], e[8], when[160];
    ui_format_day_long(ui, start, day, sizeof day);
    ui_format_time(start, s, sizeof s);
    ui_format_time(end, e, sizeof e);
    if (end > start)
        snprintf(when, sizeof when, "%s, %s\xE2\x80\x93%s", day, s, e);
    else
        snprintf(when, sizeof when, "%s, %s", day, s);
    details_text(d, "activity.when", frame_strdup(b->f, when, SIZE_MAX), t->font_heading, FONT_REGULAR,
                 t->ink);
    const struct location_item *loc = ui_location(ui, a->location_id);
    if (loc) {
        const char *where = loc->address
                                ? frame_printf(b->f, "%s, %s", loc->name, loc->address)
                                : loc->name;
        details_text(d, "activity.where", where, t->font_body, FONT_REGULAR, t->ink);
        details_text(d, "activity.access", loc->accessibility, t->font_small, FONT_REGULAR,
                     t->ink_soft);
    }
    if (a->has_signup && a->capacity >= 0) {
        /* Places for this occurrence, as the feed counted them. */
        struct occurrence_query q = {.from = start, .until = start + 1, .activity_id = a->id};
        int64_t taken = 0;
        store_query_occurrences(ui->env.store, &q, taken_of, &taken);
        int64_t left = a->capacity - taken - outbox_pending_places(ui->env.store, a->id, start);
        char places[160];
        if (left <= 0)
            snprintf(places, sizeof places, "%s", ui_tr(ui, a->waitlist ? "places.full.waitlist"
                                                                       : "places.full"));
        else
            ui_fill_number(ui_tr(ui, left == 1 ? "places.left.one" : "places.left"), left, places,
                           sizeof places);
        details_text(d, "activity.places", frame_strdup(b->f, places, SIZE_MAX), t->font_body,
                     FONT_BOLD, left <= 0 ? t->alert : t->ink);
    }
    struct signup_state su;
    ui_signup_state(ui, a->id, start, &su);
    if (su.offered && ui->env.has_hub) {
        if (su.open) {
            const char *label = ui_tr(ui, su.waitlist ? "activity.signup.waitlist" : "activity.signup");
            int bw = button_width(b, label) + 4 * t->unit;
            if (bw > d->viewport.w)
                bw = d->viewport.w;
            struct rect r = {d->viewport.x, d->y, bw, t->button_h * 3 / 2};
            b->clip = d->viewport;
            struct widget *w = button(b, "activity.signup", ROLE_BUTTON, label, r, STYLE_PRIMARY,
                                      CHECKED_NULL);
            b->clip = screen_rect(b);
            if (w) {
                w->list = d->list;
                w->clip = rect_intersect(r, d->viewport);
                w->visible = !rect_empty(w->clip);
            }
            d->y += r.h + t->gap;
        } else {
            details_text(d, "activity.signup-closed",
                         ui_tr(ui, su.closed ? "activity.closed" : "places.full"), t->font_body,
                         FONT_BOLD, t->alert);
        }
    }
    const char *cost = json_pick(b, a->cost_json);
    if (cost)
        details_text(d, "activity.cost", frame_printf(b->f, "%s: %s", ui_tr(ui, "activity.cost"), cost),
                     t->font_body, FONT_REGULAR, t->ink);
    details_gap(d);
    details_text(d, "activity.summary", json_pick(b, a->summary_json), t->font_body, FONT_BOLD, t->ink);
    details_text(d, "activity.description", json_pick(b, a->description_json), t->font_body,
                 FONT_REGULAR, t->ink);
    json_t *contact = a->contact_json ? json_loads(a->contact_json, 0, NULL) : NULL;
    static const char *const contact_keys[] = {"phone", "email", "url"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = json_string_value(json_object_get(contact, contact_keys[i]));
        if (v) {
            char key[32];
            snprintf(key, sizeof key, "contact.%s", contact_keys[i]);
            details_text(d, frame_printf(b->f, "activity.contact.%s", contact_keys[i]),
                         frame_printf(b->f, "%s: %s", ui_tr(ui, key), v), t->font_body, FONT_REGULAR,
                         t->ink);
        }
    }
    json_decref(contact);
    struct next_ctx next = {.ui = ui, .skip = start};
    struct occurrence_query q = {.from = ui_now_s(ui), .until = INT64_MAX, .activity_id = a->id,
                                 .limit = 8};
    store_query_occurrences(ui->env.store, &q, collect_next, &next);
    if (next.shown) {
        details_gap(d);
        details_text(d, "", ui_tr(ui, "activity.next"), t->font_heading, FONT_BOLD, t->ink);
        details_text(d, "activity.next", frame_strdup(b->f, next.text, SIZE_MAX), t->font_body,
                     FONT_REGULAR, t->ink);
    }
    return false;
}

static void build_activity(struct build *b)
{
    struct ui *ui = b->ui;
    frame_chrome(b, ui_tr(ui, "activity.heading"), true);
    struct details d;
    details_begin(&d, b, "activity.details");
    struct activity_detail_ctx c = {b, &d};
    if (!store_get_activity(ui->env.store, ui->here.activity_id, show_activity, &c))
        details_text(&d, "empty", ui_tr(ui, "activity.gone"), b->t->font_body, FONT_REGULAR,
                     b->t->ink_soft);
    details_end(&d);
}

static void build_services(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    frame_chrome(b, ui_tr(ui, "services.title"), true);
    struct chip chips[UI_MAX_CODES + 1];
    size_t n = 0;
    for (size_t i = 0; i < ui->n_topics; i++) {
        char key[96];
        snprintf(key, sizeof key, "topic.%s", ui->topics[i]);
        chips[n++] = (struct chip){frame_printf(b->f, "topic.%s", ui->topics[i]),
                                   ui_tr(ui, frame_strdup(b->f, key, SIZE_MAX)),
                                   strcmp(ui->topic_filter, ui->topics[i]) == 0};
    }
    chips[n++] = (struct chip){"topic.overig", ui_tr(ui, "topic.overig"),
                               strcmp(ui->topic_filter, "overig") == 0};
    struct rect c = b->content;
    int used = chip_rows(b, chips, n, c) + t->gap;
    struct rect viewport = {c.x, c.y + used, c.w, c.h - used};
    int list = list_begin(b, "services.list", viewport, (int)ui->n_services * t->item_h);
    if (ui->n_services == 0) {
        empty_note(b, "services.empty", viewport);
        return;
    }
    size_t first = (size_t)(ui->list.offset / t->item_h);
    for (size_t i = first; i < ui->n_services; i++) {
        const struct service_item *it = &ui->services[i];
        struct rect r = {viewport.x, viewport.y + (int)i * t->item_h - ui->list.offset, viewport.w,
                         t->item_h};
        if (r.y >= viewport.y + viewport.h)
            break;
        char line[512];
        snprintf(line, sizeof line, "%s%s%s", it->organization ? it->organization : "",
                 it->organization && it->walk_in_summary ? " \xC2\xB7 " : "",
                 it->walk_in_summary ? it->walk_in_summary : "");
        list_item(b, list, frame_printf(b->f, "service.%s", it->id), it->name, line, r, t->ink_soft);
    }
    scrollbar(b);
}

struct service_detail_ctx {
    struct build *b;
    struct details *d;
};

static bool show_service(void *ctx, const struct service_row *s)
{
    struct service_detail_ctx *c = ctx;
    struct build *b = c->b;
    struct details *d = c->d;
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    details_text(d, "service.title", json_pick(b, s->name_json), t->font_title, FONT_BOLD, t->ink);
    details_text(d, "service.organization", s->organization, t->font_heading, FONT_REGULAR, t->ink_soft);
    details_gap(d);
    details_text(d, "service.description", json_pick(b, s->description_json), t->font_body,
                 FONT_REGULAR, t->ink);
    details_text(d, "service.how_to", json_pick(b, s->how_to_json), t->font_body, FONT_BOLD, t->ink);
    char *walk_in = ui_walk_in_summary(ui, s->walk_in_json);
    if (walk_in)
        details_text(d, "service.walk_in",
                     frame_printf(b->f, "%s: %s", ui_tr(ui, "service.walk_in"), walk_in),
                     t->font_body, FONT_REGULAR, t->ink);
    free(walk_in);
    const struct location_item *loc = ui_location(ui, s->location_id);
    if (loc)
        details_text(d, "service.where",
                     loc->address ? frame_printf(b->f, "%s, %s", loc->name, loc->address) : loc->name,
                     t->font_body, FONT_REGULAR, t->ink);
    details_gap(d);
    const char *values[3] = {s->phone, s->email, s->url};
    static const char *const keys[3] = {"phone", "email", "url"};
    for (size_t i = 0; i < 3; i++) {
        if (!values[i])
            continue;
        char key[32];
        snprintf(key, sizeof key, "contact.%s", keys[i]);
        details_text(d, frame_printf(b->f, "service.contact.%s", keys[i]),
                     frame_printf(b->f, "%s: %s", ui_tr(ui, key), values[i]), t->font_body,
                     FONT_REGULAR, t->ink);
    }
    return false;
}

static void build_service(struct build *b)
{
    struct ui *ui = b->ui;
    frame_chrome(b, ui_tr(ui, "service.heading"), true);
    struct details d;
    details_begin(&d, b, "service.details");
    struct service_detail_ctx c = {b, &d};
    if (!store_get_service(ui->env.store, ui->here.service_id, show_service, &c))
        details_text(&d, "empty", ui_tr(ui, "service.gone"), b->t->font_body, FONT_REGULAR,
                     b->t->ink_soft);
    details_end(&d);
}

struct announcements_ctx {
    struct build *b;
    struct details *d;
    int shown;
};

static bool show_announcement(void *ctx, const struct announcement_row *row)
{
    struct announcements_ctx *c = ctx;
    struct build *b = c->b;
    const struct theme *t = b->t;
    if (!shown_here(b->ui, row->location_ids_json))
        return true;
    const char *text = json_pick(b, row->text_json);
    if (!text)
        return true;
    struct details *d = c->d;
    struct rect inner = {d->viewport.x + 2 * t->unit, d->y + 2 * t->unit, d->viewport.w - 4 * t->unit, 0};
    struct text_block block;
    text_layout(b->f, &b->ui->measurer, text, t->font_body, row->urgent ? FONT_BOLD : FONT_REGULAR,
                inner.w, TEXT_MAX_LINES, &block);
    int h = (int)block.n_lines * t->line_body + 4 * t->unit;
    fill(b, (struct rect){d->viewport.x, d->y, d->viewport.w, h},
         row->urgent ? t->accent_bg : t->surface, t->radius, d->viewport);
    text_widget(b, frame_printf(b->f, "announcement.%s", row->id), text, inner, t->font_body,
                row->urgent ? FONT_BOLD : FONT_REGULAR, row->urgent ? t->accent_ink : t->ink, d->list,
                d->viewport);
    d->y += h + t->gap;
    c->shown++;
    return true;
}

static void build_announcements(struct build *b)
{
    struct ui *ui = b->ui;
    frame_chrome(b, ui_tr(ui, "announcements.title"), true);
    struct details d;
    details_begin(&d, b, "announcements.list");
    struct announcements_ctx c = {b, &d, 0};
    store_query_announcements(ui->env.store, ui_now_s(ui), show_announcement, &c);
    if (!c.shown)
        details_text(&d, "empty", ui_tr(ui, "announcements.empty"), b->t->font_body, FONT_REGULAR,
                     b->t->ink_soft);
    details_end(&d);
}

/* ---- the sign-up form ---- */

static const char *const field_ids[FIELD_COUNT] = {"field.name", "field.phone", "field.email",
                                                   "field.party_size", "field.remark"};
static const char *const field_labels[FIELD_COUNT] = {"signup.field.name", "signup.field.phone",
                                                      "signup.field.email",
                                                      "signup.field.party_size",
                                                      "signup.field.remark"};
static const char *const field_errors[FIELD_COUNT] = {"signup.error.name", "signup.error.phone",
                                                      "signup.error.email", "", "signup.error.remark"};
static const unsigned field_bits[FIELD_COUNT] = {SIGNUP_NAME, SIGNUP_PHONE, SIGNUP_EMAIL,
                                                 SIGNUP_PARTY_SIZE, SIGNUP_REMARK};

/* Puts a widget made inside the form's scrolling area under its clip. */
static void in_form(struct build *b, struct widget *w, int list)
{
    if (!w)
        return;
    w->list = list;
    w->clip = rect_intersect(w->rect, b->ui->list.viewport);
    w->visible = !rect_empty(w->clip);
}

/* The keyboard fills the bottom of the screen; returns its top. */
static int keyboard(struct build *b, bool phone_pad)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    int rows = (int)ui_keyboard_rows(phone_pad);
    int key_gap = t->unit > 4 ? t->unit / 2 + 1 : 2;
    int key_h = t->key_h * 3 / 4;
    if (key_h < THEME_MIN_TARGET)
        key_h = THEME_MIN_TARGET;
    int height = rows * key_h + (rows + 1) * key_gap;
    int top = b->f->height - height;
    fill(b, (struct rect){0, top, b->f->width, height}, t->surface, 0, screen_rect(b));
    fill(b, (struct rect){0, top, b->f->width, 1}, t->line, 0, screen_rect(b));
    int avail = b->f->width - 2 * t->margin;
    if (phone_pad && avail > 3 * 4 * THEME_MIN_TARGET * 3)
        avail = 3 * 4 * THEME_MIN_TARGET * 3; /* a pad, not a stretched bar */
    int left = (b->f->width - avail) / 2;
    for (int r = 0; r < rows; r++) {
        const struct key_def *keys;
        size_t n = ui_keyboard_row(phone_pad, (size_t)r, &keys);
        int spans = 0;
        for (size_t i = 0; i < n; i++)
            spans += keys[i].span;
        int unit_w = (avail - (int)(n - 1) * key_gap) * 10 / spans;
        int x = left;
        int y = top + key_gap + r * (key_h + key_gap);
        for (size_t i = 0; i < n; i++) {
            const struct key_def *k = &keys[i];
            int w = unit_w * k->span / 10;
            const char *label = k->label_key ? ui_tr(ui, k->label_key)
                                             : (ui->form.shift && k->upper ? k->upper : k->lower);
            char upper[2] = {0, 0};
            if (ui->form.shift && !k->upper && k->lower && k->lower[1] == '\0' && k->lower[0] >= 'a' &&
                k->lower[0] <= 'z') {
                upper[0] = (char)(k->lower[0] - 'a' + 'A');
                label = frame_strdup(b->f, upper, SIZE_MAX);
            }
            bool on = strcmp(k->id, "key.shift") == 0 && ui->form.shift;
            struct rect kr = {x, y, w, key_h};
            fill(b, kr, on ? t->primary : t->background, t->radius, screen_rect(b));
            outline(b, kr, t->line, 1, screen_rect(b));
            int tw = text_width(&ui->measurer, label, t->font_body, FONT_REGULAR);
            line_of_text(b, label, x + (w - tw) / 2, y + (key_h - t->line_body) / 2, t->font_body,
                         FONT_REGULAR, on ? t->on_primary : t->ink, kr);
            struct widget *kw = frame_add_widget(b->f, k->id, ROLE_KEY, label, kr);
            if (kw) {
                kw->text_overflows = tw > w;
                if (on)
                    kw->checked = CHECKED_TRUE;
            }
            x += w + key_gap;
        }
    }
    return top;
}

static void build_signup(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    struct signup_form *form = &ui->form;
    header(b, ui_tr(ui, form->waitlist ? "signup.title.waitlist" : "signup.title"), true, false);
    bool phone_pad = form->focus == FIELD_PHONE;
    int kb_top = form->focus >= 0 ? keyboard(b, phone_pad) : b->f->height;
    /* The form scrolls in the space above the keyboard, so that the field
     * being typed in is never under it. */
    struct rect area = {t->margin, t->header_h + t->gap, b->f->width - 2 * t->margin,
                        kb_top - t->header_h - 2 * t->gap};
    struct scroller *sc = &ui->list;
    if (form->reveal_end)
        sc->offset = INT_MAX / 2; /* list_begin clamps it to the end */
    int list = list_begin(b, "signup.form", area, sc->content_h);
    if (form->reveal_focus && form->focus >= 0 && form->field_bottom[form->focus] > 0) {
        int top = form->field_top[form->focus], bottom = form->field_bottom[form->focus];
        if (top - sc->offset < 0)
            sc->offset = top;
        else if (bottom - sc->offset > area.h)
            sc->offset = bottom - area.h;
        form->reveal_focus = false;
    }
    int y0 = area.y - sc->offset;
    int y = y0;
    struct rect clip = area;
    b->clip = area;
    y += text_widget(b, "signup.activity", form->title, (struct rect){area.x, y, area.w, 0},
                     t->font_heading, FONT_BOLD, t->ink, list, clip);
    char summary[800];
    char day[64], hhmm[8];
    ui_format_day_long(ui, form->occurrence, day, sizeof day);
    ui_format_time(form->occurrence, hhmm, sizeof hhmm);
    snprintf(summary, sizeof summary, "%s, %s", day, hhmm);
    y += text_widget(b, "signup.when", frame_strdup(b->f, summary, SIZE_MAX),
                     (struct rect){area.x, y, area.w, 0}, t->font_body, FONT_BOLD, t->ink, list, clip);
    y += t->unit;
    if (form->waitlist)
        y += text_widget(b, "signup.waitlist", ui_tr(ui, "signup.waitlist_note"),
                         (struct rect){area.x, y, area.w, 0}, t->font_body, FONT_REGULAR, t->alert,
                         list, clip) + t->unit;
    for (int f = 0; f < FIELD_COUNT; f++) {
        if (!(form->fields & field_bits[f]))
            continue;
        form->field_top[f] = y - y0;
        y += text_widget(b, "", ui_tr(ui, field_labels[f]), (struct rect){area.x, y, area.w, 0},
                         t->font_small, FONT_BOLD, t->ink, list, clip);
        if (f == FIELD_PARTY_SIZE) {
            int bh = t->button_h;
            struct widget *w = button(b, "party.minus", ROLE_BUTTON, "\xE2\x88\x92",
                                      (struct rect){area.x, y, bh, bh}, STYLE_PLAIN, CHECKED_NULL);
            in_form(b, w, list);
            char count[16];
            snprintf(count, sizeof count, "%d", form->party_size);
            struct rect box = {area.x + bh + t->gap, y, 2 * bh, bh};
            fill(b, box, t->surface, t->radius, clip);
            int tw = text_width(&ui->measurer, count, t->font_body, FONT_BOLD);
            line_of_text(b, frame_strdup(b->f, count, SIZE_MAX), box.x + (box.w - tw) / 2,
                         box.y + (bh - t->line_body) / 2, t->font_body, FONT_BOLD, t->ink, clip);
            w = frame_add_widget(b->f, "field.party_size", ROLE_INPUT, ui_tr(ui, field_labels[f]), box);
            if (w)
                w->text = frame_strdup(b->f, count, SIZE_MAX);
            in_form(b, w, list);
            w = button(b, "party.plus", ROLE_BUTTON, "+",
                       (struct rect){box.x + box.w + t->gap, y, bh, bh}, STYLE_PLAIN, CHECKED_NULL);
            in_form(b, w, list);
            y += bh + t->gap;
            form->field_bottom[f] = y - y0;
            continue;
        }
        bool focused = form->focus == f;
        const char *value = form->value[f];
        struct rect box = {area.x, y, area.w, t->button_h};
        fill(b, box, t->surface, t->radius, clip);
        outline(b, box, focused ? t->primary : t->line, focused ? 3 : 1, clip);
        struct text_block tb;
        /* Show the end of a long value: that is where typing happens. */
        const char *shown = value;
        while (*shown && text_width(&ui->measurer, shown, t->font_body, FONT_REGULAR) >
                             box.w - 4 * t->unit) {
            shown++;
            while (((unsigned char)*shown & 0xC0) == 0x80)
                shown++;
        }
        text_layout(b->f, &ui->measurer, shown, t->font_body, FONT_REGULAR, box.w - 3 * t->unit, 1, &tb);
        int text_x = box.x + 2 * t->unit;
        int text_y = box.y + (box.h - t->line_body) / 2;
        if (tb.n_lines)
            line_of_text(b, tb.lines[0], text_x, text_y, t->font_body, FONT_REGULAR, t->ink,
                         rect_intersect(box, clip));
        if (focused) {
            int cx = text_x + (tb.n_lines ? tb.widest : 0) + 2;
            fill(b, (struct rect){cx, text_y, 3, t->line_body}, t->primary, 0, rect_intersect(box, clip));
        }
        struct widget *w = frame_add_widget(b->f, field_ids[f], ROLE_INPUT, ui_tr(ui, field_labels[f]), box);
        if (w) {
            w->text = frame_strdup(b->f, value, SIZE_MAX);
            w->focused = focused;
        }
        in_form(b, w, list);
        y += box.h + t->unit;
        if (value[0] && !ui_signup_field_ok(ui, (enum form_field)f) && field_errors[f][0])
            y += text_widget(b, frame_printf(b->f, "%s.error", field_ids[f]), ui_tr(ui, field_errors[f]),
                             (struct rect){area.x, y, area.w, 0}, t->font_small, FONT_BOLD, t->alert,
                             list, clip) + t->unit;
        y += t->unit;
        form->field_bottom[f] = y - y0;
    }
    y += text_widget(b, "signup.consent-text", ui->env.config->privacy_consent_text,
                     (struct rect){area.x, y, area.w, 0}, t->font_small, FONT_REGULAR, t->ink_soft, list,
                     clip);
    y += t->unit;
    const char *agree = ui_tr(ui, "signup.consent");
    struct widget *w = button(b, "signup.consent", ROLE_TOGGLE,
                              frame_printf(b->f, "%s %s", form->consent ? "\xE2\x98\x91" : "\xE2\x98\x90", agree),
                              (struct rect){area.x, y, button_width(b, agree) + 6 * t->unit, t->button_h},
                              STYLE_PLAIN, form->consent ? CHECKED_TRUE : CHECKED_FALSE);
    in_form(b, w, list);
    y += t->button_h + t->gap;
    if (form->not_stored)
        y += text_widget(b, "signup.error.store", ui_tr(ui, "signup.error.store"),
                         (struct rect){area.x, y, area.w, 0}, t->font_body, FONT_BOLD, t->alert,
                         list, clip) + t->gap;
    const char *cancel = ui_tr(ui, "signup.cancel");
    const char *send = ui_tr(ui, form->waitlist ? "signup.submit.waitlist" : "signup.submit");
    int cw = button_width(b, cancel), sw = button_width(b, send) + 4 * t->unit;
    w = button(b, "signup.cancel", ROLE_BUTTON, cancel, (struct rect){area.x, y, cw, t->button_h},
               STYLE_PLAIN, CHECKED_NULL);
    in_form(b, w, list);
    bool ready = ui_signup_ready(ui);
    w = button(b, "signup.submit", ROLE_BUTTON, send,
               (struct rect){area.x + area.w - sw, y, sw, t->button_h},
               ready ? STYLE_PRIMARY : STYLE_PLAIN, CHECKED_NULL);
    if (w)
        w->enabled = ready;
    in_form(b, w, list);
    y += t->button_h + t->gap;
    b->clip = screen_rect(b);
    int content = y - y0;
    if (content != sc->content_h) {
        sc->content_h = content;
        /* The end moved while building: once more, to land on it. */
        if (form->reveal_end)
            ui->dirty = true;
    } else {
        form->reveal_end = false;
    }
}

static void build_signup_done(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    struct signup_form *form = &ui->form;
    header(b, ui_tr(ui, form->done_waitlisted ? "signup.done.title.waitlist" : "signup.done.title"),
           false, false);
    int x = t->margin, y = t->header_h + 2 * t->gap, w = b->f->width - 2 * t->margin;
    const char *lead = ui_tr(ui, form->done_waitlisted ? "signup.done.waitlisted" : "signup.done.text");
    y += text_widget(b, "signup.done.lead", lead, (struct rect){x, y, w, 0}, t->font_heading,
                     FONT_REGULAR, t->ink, -1, screen_rect(b)) + t->unit;
    y += text_widget(b, "signup.done.activity", form->done_title, (struct rect){x, y, w, 0},
                     t->font_title, FONT_BOLD, t->ink, -1, screen_rect(b)) + t->unit;
    y += text_widget(b, "signup.done.when", form->done_when, (struct rect){x, y, w, 0},
                     t->font_heading, FONT_REGULAR, t->ink, -1, screen_rect(b)) + t->unit;
    y += text_widget(b, "signup.done.where", form->done_where, (struct rect){x, y, w, 0},
                     t->font_body, FONT_REGULAR, t->ink, -1, screen_rect(b)) + t->gap;
    if (form->done_first_name[0]) {
        const char *fmt = ui_tr(ui, "signup.done.bye");
        const char *slot = strstr(fmt, "{name}");
        const char *bye = slot ? frame_printf(b->f, "%.*s%s%s", (int)(slot - fmt), fmt,
                                              form->done_first_name, slot + 6)
                               : fmt;
        y += text_widget(b, "signup.done.bye", bye, (struct rect){x, y, w, 0}, t->font_heading,
                         FONT_BOLD, t->ink, -1, screen_rect(b)) + t->gap;
    }
    const char *done = ui_tr(ui, "signup.done");
    int bw = button_width(b, done) + 8 * t->unit;
    button(b, "signup.done", ROLE_BUTTON, done, (struct rect){x, y, bw, t->button_h * 3 / 2},
           STYLE_PRIMARY, CHECKED_NULL);
}

/* ---- staff ---- */

static void build_staff_pin(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    header(b, ui_tr(ui, "staff.title"), false, false);
    int64_t now = clock_now_ms(ui->env.clock);
    bool locked = now < ui->staff.locked_until_ms;
    int x = t->margin, y = t->header_h + t->gap, w = b->f->width - 2 * t->margin;
    const char *prompt = ui_tr(ui, "staff.pin.prompt");
    char message[256] = "";
    if (locked) {
        char hhmm[8];
        ui_format_time(ui->staff.locked_until_ms / 1000 + 59, hhmm, sizeof hhmm);
        const char *fmt = ui_tr(ui, "staff.pin.locked");
        const char *slot = strstr(fmt, "{time}");
        snprintf(message, sizeof message, "%.*s%s%s", slot ? (int)(slot - fmt) : (int)strlen(fmt),
                 fmt, slot ? hhmm : "", slot ? slot + 6 : "");
    } else if (ui->staff.just_failed) {
        snprintf(message, sizeof message, "%s", ui_tr(ui, "staff.pin.wrong"));
    }
    y += text_widget(b, "staff.pin.prompt", prompt, (struct rect){x, y, w, 0}, t->font_heading,
                     FONT_BOLD, t->ink, -1, screen_rect(b));
    char dots[64] = "";
    for (size_t i = 0; i < ui->staff.n_digits && i < 16; i++)
        strcat(dots, "\xE2\x97\x8F "); /* a dot per digit, never the digit */
    struct rect field = {x, y + t->unit, w, t->button_h};
    fill(b, field, t->surface, t->radius, screen_rect(b));
    outline(b, field, t->line, 1, screen_rect(b));
    line_of_text(b, frame_strdup(b->f, dots, SIZE_MAX), field.x + 2 * t->unit,
                 field.y + (field.h - t->line_body) / 2, t->font_body, FONT_BOLD, t->ink, field);
    struct widget *fw = frame_add_widget(b->f, "pin.field", ROLE_INPUT, prompt, field);
    if (fw)
        fw->text = frame_strdup(b->f, dots, SIZE_MAX);
    y = field.y + field.h + t->unit;
    if (message[0])
        y += text_widget(b, "staff.pin.message", frame_strdup(b->f, message, SIZE_MAX),
                         (struct rect){x, y, w, 0}, t->font_body, FONT_BOLD, t->alert, -1,
                         screen_rect(b));
    y += t->gap;
    static const char *const pad[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"},
                                          {"back", "0", "ok"}};
    int bottom = b->f->height - t->margin - t->button_h - t->gap;
    int key_h = (bottom - y - 3 * t->gap) / 4;
    if (key_h > 3 * t->button_h / 2)
        key_h = 3 * t->button_h / 2;
    if (key_h < THEME_MIN_TARGET)
        key_h = THEME_MIN_TARGET;
    int key_w = key_h * 2;
    if (3 * key_w + 2 * t->gap > w)
        key_w = (w - 2 * t->gap) / 3;
    int left = (b->f->width - (3 * key_w + 2 * t->gap)) / 2;
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 3; c++) {
            const char *k = pad[r][c];
            const char *label = strcmp(k, "back") == 0 ? ui_tr(ui, "key.backspace")
                                : strcmp(k, "ok") == 0 ? ui_tr(ui, "pin.ok")
                                                       : k;
            struct widget *kw = button(b, frame_printf(b->f, "pin.%s", k), ROLE_KEY, label,
                                       (struct rect){left + c * (key_w + t->gap),
                                                     y + r * (key_h + t->gap), key_w, key_h},
                                       strcmp(k, "ok") == 0 ? STYLE_PRIMARY : STYLE_PLAIN,
                                       CHECKED_NULL);
            if (kw)
                kw->enabled = !locked;
        }
    }
    const char *cancel = ui_tr(ui, "pin.cancel");
    button(b, "pin.cancel", ROLE_BUTTON, cancel,
           (struct rect){x, b->f->height - t->margin - t->button_h, button_width(b, cancel),
                         t->button_h},
           STYLE_PLAIN, CHECKED_NULL);
}

static void build_staff(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    header(b, ui_tr(ui, "staff.title"), false, false);
    int x = t->margin, y = t->header_h + t->gap, w = b->f->width - 2 * t->margin;
    if (ui->staff.touch_test) {
        text_widget(b, "staff.touch-test.hint", ui_tr(ui, "staff.touch-test.hint"),
                    (struct rect){x, y, w, 0}, t->font_body, FONT_REGULAR, t->ink, -1,
                    screen_rect(b));
        if (ui->staff.has_probe) {
            int px = ui->staff.probe_x, py = ui->staff.probe_y;
            fill(b, (struct rect){0, py - 1, b->f->width, 3}, t->alert, 0, screen_rect(b));
            fill(b, (struct rect){px - 1, 0, 3, b->f->height}, t->alert, 0, screen_rect(b));
            text_widget(b, "staff.touch-test.at", frame_printf(b->f, "%d, %d", px, py),
                        (struct rect){px + 2 * t->unit, py + t->unit, 20 * t->unit, 0},
                        t->font_small, FONT_BOLD, t->alert, -1, screen_rect(b));
        }
        const char *done = ui_tr(ui, "staff.touch-test.done");
        int bw = button_width(b, done);
        button(b, "staff.touch-test.done", ROLE_BUTTON, done,
               (struct rect){(b->f->width - bw) / 2, b->f->height - t->margin - t->button_h, bw,
                             t->button_h},
               STYLE_PRIMARY, CHECKED_NULL);
        return;
    }
    if (ui->staff.announce_view) {
        int kb_top = keyboard(b, false);
        y += text_widget(b, "", ui_tr(ui, "staff.announce.prompt"), (struct rect){x, y, w, 0},
                         t->font_body, FONT_BOLD, t->ink, -1, screen_rect(b));
        struct rect box = {x, y + t->unit, w, t->button_h};
        fill(b, box, t->surface, t->radius, screen_rect(b));
        outline(b, box, t->primary, 3, screen_rect(b));
        const char *value = ui->form.value[FIELD_REMARK];
        struct text_block tb;
        text_layout(b->f, &ui->measurer, value, t->font_body, FONT_REGULAR, box.w - 4 * t->unit, 1, &tb);
        if (tb.n_lines)
            line_of_text(b, tb.lines[0], box.x + 2 * t->unit, box.y + (box.h - t->line_body) / 2,
                         t->font_body, FONT_REGULAR, t->ink, box);
        struct widget *in = frame_add_widget(b->f, "staff.announce.text", ROLE_INPUT,
                                             ui_tr(ui, "staff.announce.prompt"), box);
        if (in) {
            in->text = frame_strdup(b->f, value, SIZE_MAX);
            in->focused = true;
        }
        y = box.y + box.h + t->gap;
        static const int days[] = {1, 7, 14};
        static const char *const day_keys[] = {"staff.announce.today", "staff.announce.week",
                                               "staff.announce.two_weeks"};
        struct chip chips[3];
        for (int i = 0; i < 3; i++)
            chips[i] = (struct chip){frame_printf(b->f, "staff.announce.days.%d", days[i]),
                                     ui_tr(ui, day_keys[i]), ui->staff.announce_days == days[i]};
        y += chip_rows(b, chips, 3, (struct rect){x, y, w, 0}) + t->gap;
        const char *cancel = ui_tr(ui, "pin.cancel"), *save = ui_tr(ui, "staff.announce.save");
        int cw = button_width(b, cancel), sw = button_width(b, save);
        if (y + t->button_h > kb_top)
            y = kb_top - t->button_h - t->unit;
        button(b, "staff.announce.cancel", ROLE_BUTTON, cancel, (struct rect){x, y, cw, t->button_h},
               STYLE_PLAIN, CHECKED_NULL);
        struct widget *sv = button(b, "staff.announce.save", ROLE_BUTTON, save,
                                   (struct rect){x + w - sw, y, sw, t->button_h},
                                   value[0] ? STYLE_PRIMARY : STYLE_PLAIN, CHECKED_NULL);
        if (sv)
            sv->enabled = value[0] != '\0';
        return;
    }
    if (ui->staff.items_view) {
        const char *done = ui_tr(ui, "staff.items.done");
        int bw = button_width(b, done);
        button(b, "staff.items.done", ROLE_BUTTON, done, (struct rect){x, y, bw, t->button_h},
               STYLE_PRIMARY, CHECKED_NULL);
        y += t->button_h + t->gap;
        struct rect viewport = {x, y, w, b->f->height - y - t->margin};
        int row_h = t->button_h + t->gap;
        int list = list_begin(b, "staff.items.list", viewport, (int)ui->staff.n_items * row_h);
        const char *hide = ui_tr(ui, "staff.hide"), *feature = ui_tr(ui, "staff.feature");
        int hw = button_width(b, hide), fw = button_width(b, feature);
        b->clip = viewport;
        for (size_t i = 0; i < ui->staff.n_items; i++) {
            const struct staff_item *it = &ui->staff.items[i];
            int ry = viewport.y + (int)i * row_h - ui->list.offset;
            if (ry + row_h < viewport.y || ry >= viewport.y + viewport.h)
                continue;
            struct rect name = {x, ry + (t->button_h - t->line_body) / 2, w - hw - fw - 3 * t->gap, 0};
            text_lines(b, it->name, name, t->font_body, FONT_REGULAR, t->ink, 1, viewport, NULL);
            struct widget *nw = frame_add_widget(b->f, "", ROLE_TEXT, it->name,
                                                 (struct rect){name.x, name.y, name.w, t->line_body});
            in_form(b, nw, list);
            struct widget *hw_w = button(b, frame_printf(b->f, "staff.hide.%s.%s", it->kind, it->id),
                                         ROLE_TOGGLE, hide,
                                         (struct rect){x + w - hw - fw - t->gap, ry, hw, t->button_h},
                                         STYLE_PLAIN, it->hidden ? CHECKED_TRUE : CHECKED_FALSE);
            in_form(b, hw_w, list);
            struct widget *fw_w = button(b, frame_printf(b->f, "staff.feature.%s.%s", it->kind, it->id),
                                         ROLE_TOGGLE, feature,
                                         (struct rect){x + w - fw, ry, fw, t->button_h}, STYLE_PLAIN,
                                         it->featured ? CHECKED_TRUE : CHECKED_FALSE);
            in_form(b, fw_w, list);
        }
        b->clip = screen_rect(b);
        scrollbar(b);
        return;
    }
    const char *lines[16];
    size_t n = ui_staff_info(ui, b->f, lines, 16);
    for (size_t i = 0; i < n; i++)
        y += text_widget(b, frame_printf(b->f, "staff.info.%zu", i), lines[i],
                         (struct rect){x, y, w, 0}, t->font_body, FONT_REGULAR, t->ink, -1,
                         screen_rect(b)) + t->unit / 2;
    y += t->gap;
    static const char *const actions[] = {"staff.sync", "staff.items", "staff.announce",
                                          "staff.touch-test", "staff.screen-off", "staff.restart",
                                          "staff.exit"};
    int bx = x;
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++) {
        const char *label = ui_tr(ui, actions[i]);
        int bw = button_width(b, label);
        if (bx > x && bx + bw > x + w) {
            bx = x;
            y += t->button_h + t->gap;
        }
        button(b, actions[i], ROLE_BUTTON, label, (struct rect){bx, y, bw, t->button_h},
               i == 6 ? STYLE_PRIMARY : STYLE_PLAIN, CHECKED_NULL);
        bx += bw + t->gap;
    }
}

/* Outside opening hours: black, one widget to wake it, nothing else. */
static void build_off(struct build *b)
{
    struct rgba black = {0, 0, 0, 255};
    b->f->background = black;
    frame_add_widget(b->f, "off", ROLE_SCREEN, "", screen_rect(b));
}

static void build_not_yet(struct build *b)
{
    frame_chrome(b, screen_name(b->ui->screen), true);
}

/* The idle warning covers whatever screen is showing. */
static void idle_overlay(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->t;
    for (size_t i = 0; i < b->f->n_widgets; i++)
        b->f->widgets[i].visible = false;
    fill(b, screen_rect(b), t->overlay, 0, screen_rect(b));
    frame_add_widget(b->f, "idle", ROLE_OVERLAY, ui_tr(ui, "idle.title"), screen_rect(b));
    int w = b->f->width, h = b->f->height;
    int bw = w * 3 / 4, x = (w - bw) / 2;
    int64_t left_ms = ui->last_input_ms +
                      (int64_t)(ui->env.config->ui_idle_warn_s + ui->env.config->ui_idle_countdown_s) *
                          1000 -
                      clock_now_ms(ui->env.clock);
    long long seconds = left_ms > 0 ? (left_ms + 999) / 1000 : 0;
    char countdown[256];
    ui_fill_number(ui_tr(ui, "idle.countdown"), seconds, countdown, sizeof countdown);
    struct text_block tb, cb;
    text_layout(b->f, &ui->measurer, ui_tr(ui, "idle.title"), t->font_title, FONT_BOLD, bw - 6 * t->unit,
                3, &tb);
    text_layout(b->f, &ui->measurer, countdown, t->font_body, FONT_REGULAR, bw - 6 * t->unit, 4, &cb);
    int bh = 3 * t->unit + (int)tb.n_lines * t->line_title + t->unit + (int)cb.n_lines * t->line_body +
             2 * t->gap + t->button_h * 3 / 2 + 3 * t->unit;
    struct rect box = {x, (h - bh) / 2, bw, bh};
    fill(b, box, t->surface, 2 * t->radius, screen_rect(b));
    int y = box.y + 3 * t->unit;
    y += text_widget(b, "", ui_tr(ui, "idle.title"), (struct rect){x + 3 * t->unit, y, bw - 6 * t->unit, 0},
                     t->font_title, FONT_BOLD, t->ink, -1, screen_rect(b));
    y += t->unit;
    y += text_widget(b, "idle.countdown", frame_strdup(b->f, countdown, SIZE_MAX),
                     (struct rect){x + 3 * t->unit, y, bw - 6 * t->unit, 0}, t->font_body,
                     FONT_REGULAR, t->ink, -1, screen_rect(b));
    y += 2 * t->gap;
    const char *stay = ui_tr(ui, "idle.stay");
    int sw = button_width(b, stay) + 4 * t->unit;
    if (sw > bw - 6 * t->unit)
        sw = bw - 6 * t->unit;
    button(b, "idle.stay", ROLE_BUTTON, stay, (struct rect){x + (bw - sw) / 2, y, sw, t->button_h * 3 / 2},
           STYLE_PRIMARY, CHECKED_NULL);
}

void ui_build_frame(struct ui *ui)
{
    struct frame *f = &ui->frame;
    frame_reset(f, ui->width, ui->height);
    struct build b = {ui, f, &ui->theme, {0, 0, ui->width, ui->height},
                      {0, 0, ui->width, ui->height}};
    f->background = ui->theme.background;
    /* The renderer clears to f->background: no full-screen rectangle. */
    switch (ui->screen) {
    case SCREEN_ATTRACT: build_attract(&b); break;
    case SCREEN_HOME: build_home(&b); break;
    case SCREEN_ACTIVITIES: build_activities(&b); break;
    case SCREEN_ACTIVITY: build_activity(&b); break;
    case SCREEN_SERVICES: build_services(&b); break;
    case SCREEN_SERVICE: build_service(&b); break;
    case SCREEN_ANNOUNCEMENTS: build_announcements(&b); break;
    case SCREEN_SIGNUP: build_signup(&b); break;
    case SCREEN_OFF: build_off(&b); break;
    case SCREEN_STAFF_PIN: build_staff_pin(&b); break;
    case SCREEN_STAFF: build_staff(&b); break;
    case SCREEN_SIGNUP_DONE: build_signup_done(&b); break;
    default: build_not_yet(&b); break;
    }
    if (ui->idle_warning)
        idle_overlay(&b);
    frame_sort_reading_order(f);
}
