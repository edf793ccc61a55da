/*
 * home: the search button and three large tiles (activities, help and
 * advice, announcements), each with a large pictogram, under the header
 * with the logo and the language choice.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "view/icons.h"

/* Whether a tile's title (at most two lines, never a broken word) and
 * its text fit inside w x h at these sizes. */
static bool tile_fits(struct build *b, const char *title, const char *text, int w, int h,
                      int title_px, int text_px)
{
    struct text_block tb, xb;
    const struct text_measurer *m = &b->ui->measurer;
    /* Two lines for a title over its text; three when it stands alone. */
    text_layout(b->c.f, m, title, title_px, FONT_BOLD, w, text ? 2 : 3, &tb);
    if (tb.cut || tb.widest > w)
        return false;
    /* A word wider than the tile would be broken: not for a title. */
    for (const char *p = title; *p;) {
        size_t n = strcspn(p, " ");
        char word[128];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        if (text_width(m, word, title_px, FONT_BOLD) > w)
            return false;
        p += n;
        while (*p == ' ')
            p++;
    }
    if (!text)
        return (int)tb.n_lines * (title_px * 6 / 5) <= h;
    int rest = h - (int)tb.n_lines * (title_px * 6 / 5) - b->c.t->unit;
    int lines = rest / (text_px * 6 / 5);
    if (lines < 1)
        return false;
    text_layout(b->c.f, m, text, text_px, FONT_REGULAR, w, (size_t)lines, &xb);
    return !xb.cut;
}

/* Where a tile's pictogram goes: above the title on a tall tile (side by
 * side in landscape), beside title and text on a wide one (stacked in
 * portrait). Returns the room left for title and text. */
static struct rect tile_room(struct rect inner, int icon, int gap, bool above)
{
    if (above)
        return (struct rect){inner.x, inner.y + icon + gap, inner.w, inner.h - icon - gap};
    return (struct rect){inner.x + icon + gap, inner.y, inner.w - icon - gap, inner.h};
}

/* How the tiles are drawn: sizes, the pictogram's place, and whether the
 * line under the title fits at all. */
struct tile_look {
    int title_px, text_px, icon;
    bool above;     /* pictogram above the title, else beside it */
    bool with_text; /* false: title and pictogram only (large text, small panel) */
};

static bool all_fit(struct build *b, const char *const tiles[3][3], struct rect room,
                    int title_px, int text_px, bool with_text)
{
    for (int i = 0; i < 3; i++)
        if (!tile_fits(b, ui_tr(b->ui, tiles[i][1]), with_text ? ui_tr(b->ui, tiles[i][2]) : NULL,
                       room.w, room.h, title_px, text_px))
            return false;
    return true;
}

/* The largest sizes at which every tile's title and text fit, the same
 * for all three tiles: title, heading, body for titles, body then small
 * for texts; first with a pictogram half as large again as the title,
 * then with the smallest one; above the title on a tall tile, then
 * beside it. When no size fits the text, the tiles show title and
 * pictogram only: the line under the title explains, the title is the
 * choice, and neither is ever cut. */
static bool tile_sizes(struct build *b, const char *const tiles[3][3], int tile_w, int tile_h,
                       bool tall, bool with_text, struct tile_look *look)
{
    const struct theme *t = b->c.t;
    const int pairs[][2] = {{t->font_title, t->font_body},   {t->font_heading, t->font_body},
                            {t->font_heading, t->font_small}, {t->font_body, t->font_small},
                            {t->font_small, t->font_small}};
    const size_t n_pairs = sizeof pairs / sizeof *pairs;
    int big = t->font_title * 3 / 2;
    const int icons[2] = {big > icon_px(t) ? big : icon_px(t), icon_px(t)};
    int pad = 3 * t->unit;
    struct rect inner = {0, 0, tile_w - 2 * pad, tile_h - 2 * pad};
    for (int k_place = tall ? 0 : 1; k_place < 2; k_place++)
        for (int k_icon = 0; k_icon < 2; k_icon++) {
            if (icons[k_icon] > inner.h || icons[k_icon] > inner.w)
                continue; /* the pictogram stays inside its tile */
            struct rect room = tile_room(inner, icons[k_icon], t->gap, k_place == 0);
            for (size_t k = 0; k < n_pairs; k++)
                if (all_fit(b, tiles, room, pairs[k][0], pairs[k][1], with_text)) {
                    *look = (struct tile_look){pairs[k][0], pairs[k][1], icons[k_icon],
                                               k_place == 0, with_text};
                    return true;
                }
        }
    *look = (struct tile_look){pairs[n_pairs - 1][0], pairs[n_pairs - 1][1], icons[1], tall, true};
    return false;
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    chrome_frame(b, ui_tr(ui, "home.title"), false);
    struct rect c = b->content;
    if (ui->content.cache_empty) {
        int used = canvas_text(&b->c, "empty",
                               ui_tr(ui, ui->last_sync_failed ? "empty.unreachable" : "empty.loading"),
                               c, t->font_body, FONT_REGULAR, t->alert, -1, canvas_screen(&b->c));
        c.y += used + t->gap;
        c.h -= used + t->gap;
    }
    /* Search first: a resident who knows what they look for goes straight
     * there; it is as wide as the tiles, as tall as a button. */
    struct rect sr = {c.x, c.y, c.w, t->button_h};
    canvas_button(&b->c, "home.search", ROLE_BUTTON, ui_tr(ui, "home.search"), sr, STYLE_PLAIN,
                  CHECKED_NULL);
    c.y += sr.h + t->gap;
    c.h -= sr.h + t->gap;
    static const char *const tiles[3][3] = {
        {"home.activities", "home.activities.title", "home.activities.text"},
        {"home.services", "home.services.title", "home.services.text"},
        {"home.announcements", "home.announcements.title", "home.announcements.text"},
    };
    /* Side by side in a wide room, stacked in a tall one; the other way
     * when the words fit only so (large text in a portrait frame whose
     * languages took the height); text under the titles when it fits. */
    bool wide = c.w > c.h, landscape = wide;
    struct tile_look look;
    bool found = false;
    for (int with_text = 1; with_text >= 0 && !found; with_text--)
        for (int k = 0; k < 2 && !found; k++) {
            landscape = k == 0 ? wide : !wide;
            int tile_w = landscape ? (c.w - 2 * t->gap) / 3 : c.w;
            int tile_h = landscape ? c.h : (c.h - 2 * t->gap) / 3;
            found = tile_sizes(b, tiles, tile_w, tile_h, landscape, with_text, &look);
        }
    if (!found) {
        landscape = wide;
        tile_sizes(b, tiles, landscape ? (c.w - 2 * t->gap) / 3 : c.w,
                   landscape ? c.h : (c.h - 2 * t->gap) / 3, landscape, true, &look);
    }
    int px = look.title_px, text_px = look.text_px, icon_size = look.icon;
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
        canvas_fill(&b->c, r, t->primary, 2 * t->radius, canvas_screen(&b->c));
        int pad = 3 * t->unit;
        struct rect inner = {r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
        const struct icon *icon = icon_for_id(tiles[i][0]);
        canvas_icon(&b->c, icon, inner.x, inner.y, icon_size, t->on_primary,
                    rect_intersect(r, canvas_screen(&b->c)));
        inner = tile_room(inner, icon_size, t->gap, look.above);
        bool cut1 = false, cut2 = false;
        int used = canvas_text_lines(&b->c, title, inner, px, FONT_BOLD, t->on_primary,
                                     look.with_text ? 2 : 3,
                              rect_intersect(r, canvas_screen(&b->c)), &cut1);
        inner.y += used + t->unit;
        size_t room = (size_t)((r.y + r.h - pad - inner.y) / (text_px * 6 / 5));
        if (look.with_text)
            canvas_text_lines(&b->c, text, inner, text_px, FONT_REGULAR, t->on_primary,
                              room ? room : 1, rect_intersect(r, canvas_screen(&b->c)), &cut2);
        struct widget *w = frame_add_widget(b->c.f, tiles[i][0], ROLE_BUTTON, title, r);
        if (w) {
            w->text = look.with_text ? text : NULL;
            w->text_overflows = cut1 || cut2;
            w->clipped = cut1 || cut2;
            w->size = px;
            canvas_mark_icon(w, icon, r.x + pad, r.y + pad, icon_size);
        }
    }
}

static bool activate(struct ui *ui, const struct widget *w)
{
    if (strcmp(w->id, "home.activities") == 0) {
        ui_go(ui, SCREEN_ACTIVITIES, true);
    } else if (strcmp(w->id, "home.services") == 0) {
        ui->topic_filter[0] = '\0';
        ui_go(ui, SCREEN_SERVICES, true);
    } else if (strcmp(w->id, "home.announcements") == 0) {
        ui_go(ui, SCREEN_ANNOUNCEMENTS, true);
    } else if (strcmp(w->id, "home.search") == 0) {
        /* A new search: nothing left of an earlier one (search.c). */
        signup_wipe(ui);
        ui_go(ui, SCREEN_SEARCH, true);
    } else {
        return false;
    }
    return true;
}

const struct screen_def screen_home = {
    .name = "home",
    .content = CONTENT_BASE,
    .idle = IDLE_RESIDENT,
    .build = build,
    .activate = activate,
};
