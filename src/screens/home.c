/*
 * home: the search button and three large tiles (activities, help and
 * advice, announcements) under the header with the logo and the language
 * choice.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"

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
        canvas_fill(&b->c, r, t->primary, 2 * t->radius, canvas_screen(&b->c));
        int pad = 3 * t->unit;
        struct rect inner = {r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
        bool cut1 = false, cut2 = false;
        int used = canvas_text_lines(&b->c, title, inner, px, FONT_BOLD, t->on_primary, 2,
                              rect_intersect(r, canvas_screen(&b->c)), &cut1);
        inner.y += used + t->unit;
        size_t room = (size_t)((r.y + r.h - pad - inner.y) / t->line_body);
        canvas_text_lines(&b->c, text, inner, t->font_body, FONT_REGULAR, t->on_primary, room ? room : 1,
                   rect_intersect(r, canvas_screen(&b->c)), &cut2);
        struct widget *w = frame_add_widget(b->c.f, tiles[i][0], ROLE_BUTTON, title, r);
        if (w) {
            w->text = text;
            w->text_overflows = cut1 || cut2;
            w->clipped = cut1 || cut2;
            w->size = px;
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
