/*
 * What frames every screen: the header (title; back and home, or the
 * organisation's logo and the language choice), the footer (when the
 * content was updated, text size, contrast), notes for empty or
 * unreadable content, and the idle warning over whatever shows.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "view/icons.h"

struct rect chrome_logo(struct build *b, struct rect room, bool at_right)
{
    const struct ui_env *env = &b->ui->env;
    return canvas_image(&b->c, env->logo_image, env->logo_w, env->logo_h, room, at_right, "logo",
                        ui_tr(b->ui, "branding.logo"));
}

/* A title that does not fit in the heading size gets the body size, then
 * two lines of it (the header holds two: a long Ukrainian title in large
 * text at 480 px wide needs them), then up to three of the small size,
 * before it is shortened: a title is an interface string, which is never
 * cut. Returns whether it had to be shortened all the same. */
static bool layout_title(struct build *b, const char *title, int width, struct text_block *block,
                         int *px_out)
{
    const struct theme *t = b->c.t;
    const struct text_measurer *m = &b->ui->measurer;
    int px = t->font_heading;
    size_t max_lines = 1;
    if (text_width(m, title, px, FONT_BOLD) > width) {
        px = t->font_body;
        if (2 * t->line_body <= t->header_h)
            max_lines = 2;
    }
    text_layout(b->c.f, m, title, px, FONT_BOLD, width, max_lines, block);
    if (block->cut && px != t->font_small) {
        px = t->font_small;
        max_lines = (size_t)(t->header_h / t->line_small);
        max_lines = max_lines > 3 ? 3 : max_lines < 1 ? 1 : max_lines;
        text_layout(b->c.f, m, title, px, FONT_BOLD, width, max_lines, block);
    }
    *px_out = px;
    return block->cut;
}

void chrome_header(struct build *b, const char *title, bool with_nav, bool with_logo)
{
    const struct theme *t = b->c.t;
    struct ui *ui = b->ui;
    int w = b->c.f->width;
    canvas_fill(&b->c, (struct rect){0, 0, w, t->header_h}, t->primary, 0, canvas_screen(&b->c));
    int x = t->margin;
    int right = w - t->margin;
    int bh = t->button_h;
    int by = (t->header_h - bh) / 2;
    if (with_logo) {
        /* Home: the organisation's logo leads the header. */
        int room_h = t->header_h - 2 * t->unit;
        struct rect plate = chrome_logo(b, (struct rect){x, t->unit, 3 * room_h, room_h}, false);
        if (plate.w > 0)
            x += plate.w + t->gap;
    }
    struct text_block block;
    int px;
    if (with_nav) {
        const char *back = ui_tr(ui, "nav.back");
        const char *home = ui_tr(ui, "nav.home");
        int back_w = canvas_button_width_for(&b->c, "nav.back", back);
        int home_w = canvas_button_width_for(&b->c, "nav.home", home);
        /* When the words of back and home leave the title too little room
         * (large text on a narrow panel), they show their pictograms only:
         * an arrow and a house are understood without reading, and the
         * title says where the resident is. */
        bool words = !layout_title(b, title, right - (x + back_w + home_w + 2 * t->gap), &block, &px);
        if (!words)
            back_w = home_w = canvas_icon_button_width(&b->c);
        struct rect back_r = {x, by, back_w, bh}, home_r = {x + back_w + t->gap, by, home_w, bh};
        if (words) {
            canvas_button(&b->c, "nav.back", ROLE_BUTTON, back, back_r, STYLE_ON_PRIMARY, CHECKED_NULL);
            canvas_button(&b->c, "nav.home", ROLE_BUTTON, home, home_r, STYLE_ON_PRIMARY, CHECKED_NULL);
        } else {
            canvas_icon_button(&b->c, "nav.back", back, back_r, STYLE_ON_PRIMARY);
            canvas_icon_button(&b->c, "nav.home", home, home_r, STYLE_ON_PRIMARY);
        }
        x += back_w + home_w + 2 * t->gap;
    }
    layout_title(b, title, right - x, &block, &px);
    int line_h = px * 6 / 5;
    int lines = block.n_lines ? (int)block.n_lines : 1;
    struct rect area = {x, (t->header_h - lines * line_h) / 2, right - x, lines * line_h};
    for (size_t i = 0; i < block.n_lines; i++)
        canvas_text_line(&b->c, block.lines[i], area.x, area.y + (int)i * line_h, px, FONT_BOLD,
                         t->on_primary, canvas_screen(&b->c));
    struct widget *tw = frame_add_widget(b->c.f, "title", ROLE_TEXT, title, area);
    if (tw) {
        tw->text_overflows = false; /* a long title is shortened on purpose */
        tw->clipped = block.cut;
        tw->size = px;
    }
}

const char *chrome_language_name(struct build *b, const char *lang)
{
    /* Each language in its own words, from its own catalog: a resident
     * looks for the name they read, not the Dutch one. A missing name
     * comes back as the key itself, which lives here: hence the copy. */
    char key[48];
    snprintf(key, sizeof key, "lang.name.%s", lang);
    return frame_strdup(b->c.f, tr(b->ui->env.catalogs, lang, key), SIZE_MAX);
}

int chrome_languages(struct build *b, struct rect area)
{
    /* A row of toggles under the header that wraps, rather than buttons
     * squeezed into the header beside the title: six or eight languages
     * then never cut the title or push anything off the screen. */
    struct ui *ui = b->ui;
    const struct string_list *langs = &ui->env.config->ui_languages;
    if (langs->n == 0)
        return 0;
    /* The row is led by the "language" pictogram (a globe), so that a
     * resident who reads none of the names sees what the row is for. */
    const struct theme *t = b->c.t;
    int ipx = icon_px(t) < t->button_h ? icon_px(t) : t->button_h;
    canvas_icon(&b->c, icon_named("language"), area.x, area.y + (t->button_h - ipx) / 2, ipx,
                t->ink, canvas_screen(&b->c));
    area.x += ipx + t->gap;
    area.w -= ipx + t->gap;
    struct chip chips[CONFIG_MAX_LIST];
    size_t n = 0;
    for (size_t i = 0; i < langs->n && n < CONFIG_MAX_LIST; i++) {
        chips[n].id = frame_printf(b->c.f, "lang.%s", langs->items[i]);
        chips[n].label = chrome_language_name(b, langs->items[i]);
        chips[n].checked = strcmp(ui->lang, langs->items[i]) == 0;
        n++;
    }
    return canvas_chips(&b->c, chips, n, area);
}

const char *chrome_fallback_note(struct build *b, const char *shown_in)
{
    if (!shown_in || !*shown_in)
        return NULL;
    /* Only the languages the build has catalogs for have a key of their
     * own; any other the feed carries is "another language". */
    char key[48];
    if (catalog_language_known(shown_in, strlen(shown_in)))
        snprintf(key, sizeof key, "feed.lang.%s", shown_in);
    else
        snprintf(key, sizeof key, "feed.lang.other");
    /* A missing string comes back as the key, which lives here. */
    return frame_strdup(b->c.f, ui_tr(b->ui, key), SIZE_MAX);
}

const char *chrome_ui_line(struct build *b, const char *text)
{
    if (!b->c.f->rtl || !text || !*text)
        return text;
    return frame_printf(b->c.f, "\xE2\x80\x8F%s", text); /* RLM */
}

const char *chrome_with_note(struct build *b, const char *text, const char *shown_in)
{
    const char *note = chrome_fallback_note(b, shown_in);
    if (!text || !*text || !note)
        return text;
    /* The text keeps its own direction inside; the line with its note
     * reads in the interface's, so the note comes after the text. */
    return chrome_ui_line(b, frame_printf(b->c.f, ISOLATE("%s") " %s", text, note));
}

void chrome_mark_lang(struct build *b, size_t first, const char *label, const char *shown_in)
{
    struct frame *f = b->c.f;
    if (!shown_in || !*shown_in || f->n_widgets <= first)
        return;
    struct widget *w = &f->widgets[f->n_widgets - 1];
    w->lang = frame_strdup(f, shown_in, SIZE_MAX);
    if (label)
        w->label = frame_strdup(f, label, SIZE_MAX);
}

void chrome_feed_text(struct build *b, struct details *d, const char *id, const char *text,
                      const char *shown_in, int px, enum font_weight weight, struct rgba colour)
{
    size_t first = b->c.f->n_widgets;
    details_text(d, id, chrome_with_note(b, text, shown_in), px, weight, colour);
    chrome_mark_lang(b, first, NULL, shown_in);
}

/* The footer's toggles, right to left: contrast, large text, read-aloud
 * and, while it speaks, its volume. */
struct footer_button {
    const char *id, *label;
    enum widget_role role;
    enum checked_state checked;
    int w;
};

/* Lays the buttons out in rows from the right edge, wrapping upwards when
 * a row is full (read-aloud's two buttons do not fit beside the others at
 * 480 px), and the "updated" line left of the top row, or in a row of its
 * own above it when there is no room. Returns the footer's height. */
static int footer(struct build *b)
{
    const struct theme *t = b->c.t;
    struct ui *ui = b->ui;
    int w = b->c.f->width, h = b->c.f->height;
    int bh = t->button_h < t->footer_h - t->unit ? t->button_h : t->footer_h - t->unit;
    if (bh < THEME_MIN_TARGET)
        bh = THEME_MIN_TARGET;
    struct footer_button buttons[4] = {
        {"a11y.contrast", ui_tr(ui, "a11y.contrast"), ROLE_TOGGLE,
         ui->high_contrast ? CHECKED_TRUE : CHECKED_FALSE, 0},
        {"a11y.large", ui_tr(ui, "a11y.large"), ROLE_TOGGLE,
         ui->large_text ? CHECKED_TRUE : CHECKED_FALSE, 0},
        {"a11y.speak", ui_tr(ui, "a11y.speak"), ROLE_TOGGLE,
         ui->speech.on ? CHECKED_TRUE : CHECKED_FALSE, 0},
        {"a11y.volume", NULL, ROLE_BUTTON, CHECKED_NULL, 0},
    };
    size_t n = 3;
    if (ui->speech.on) {
        /* Read-aloud's volume, only while it speaks (automation-v1). */
        char step[8], volume[128];
        snprintf(step, sizeof step, "%d", ui->speech.volume_step);
        ui_fill(ui_tr(ui, "a11y.volume"), "{n}", step, volume, sizeof volume);
        buttons[n++].label = frame_strdup(b->c.f, volume, SIZE_MAX);
    }
    /* Rows counted from the bottom: row[i] is each button's. */
    int avail = w - 2 * t->margin;
    int row[4], x_right[4];
    int rows = 1, right = w - t->margin;
    for (size_t i = 0; i < n; i++) {
        buttons[i].w = canvas_button_width_for(&b->c, buttons[i].id, buttons[i].label);
        if (buttons[i].w > avail)
            buttons[i].w = avail;
        if (right - buttons[i].w < t->margin && right < w - t->margin) {
            rows++;
            right = w - t->margin;
        }
        row[i] = rows - 1;
        x_right[i] = right;
        right -= buttons[i].w + t->gap;
    }
    /* The "updated" line beside the top row when it fits, else above. */
    char text[256] = "";
    int text_w = 0;
    bool stale = false;
    if (ui->last_sync_ok_at) {
        stale = ui_format_updated(ui, text, sizeof text);
        text_w = text_width(&ui->measurer, text, t->font_small, stale ? FONT_BOLD : FONT_REGULAR);
    }
    bool text_row = text_w > 0 && text_w > right - 2 * t->margin + t->gap;
    int row_h = bh + t->unit;
    int height = t->footer_h + (rows - 1 + (text_row ? 1 : 0)) * row_h;
    struct rect bar = {0, h - height, w, height};
    canvas_fill(&b->c, bar, t->surface, 0, canvas_screen(&b->c));
    canvas_fill(&b->c, (struct rect){0, bar.y, w, t->unit > 4 ? t->unit / 4 : 1}, t->line, 0, canvas_screen(&b->c));
    /* The bottom row sits where the one-row footer has it. */
    int bottom_y = h - t->footer_h + (t->footer_h - bh) / 2;
    for (size_t i = 0; i < n; i++) {
        struct rect r = {x_right[i] - buttons[i].w, bottom_y - row[i] * row_h, buttons[i].w, bh};
        canvas_button(&b->c, buttons[i].id, buttons[i].role, buttons[i].label, r, STYLE_PLAIN,
                      buttons[i].checked);
    }
    if (text_w > 0) {
        int top_y = bottom_y - (rows - 1) * row_h;
        struct rect area = {t->margin, top_y + (bh - t->line_small) / 2, right - 2 * t->margin + t->gap,
                            t->line_small};
        if (text_row)
            area = (struct rect){t->margin, top_y - row_h + (bh - t->line_small) / 2, avail,
                                 t->line_small};
        const char *line = frame_strdup(b->c.f, text, SIZE_MAX);
        canvas_text_lines(&b->c, line, area, t->font_small, stale ? FONT_BOLD : FONT_REGULAR,
                          stale ? t->alert : t->ink_soft, 1, canvas_screen(&b->c), NULL);
        struct widget *uw = frame_add_widget(b->c.f, stale ? "updated.stale" : "updated", ROLE_TEXT,
                                             line, area);
        if (uw)
            uw->size = t->font_small;
    }
    return height;
}

void chrome_frame(struct build *b, const char *title, bool with_nav)
{
    const struct theme *t = b->c.t;
    chrome_header(b, title, with_nav, !with_nav);
    int footer_h = footer(b);
    int top = t->header_h + t->gap;
    if (!with_nav) {
        /* Home: the language choice, under the header. */
        int used = chrome_languages(b, (struct rect){t->margin, top, b->c.f->width - 2 * t->margin, 0});
        if (used > 0)
            top += used + t->gap;
    }
    b->content = (struct rect){t->margin, top, b->c.f->width - 2 * t->margin,
                               b->c.f->height - top - footer_h - t->gap};
}

void chrome_empty(struct build *b, unsigned part, const char *key, struct rect area, int list)
{
    /* A cache that could not be read is not "nothing today". */
    bool failed = (b->ui->content.failed & part) != 0;
    canvas_text(&b->c, "empty", ui_tr(b->ui, failed ? "content.unreadable" : key), area,
                b->c.t->font_body, FONT_REGULAR, failed ? b->c.t->alert : b->c.t->ink_soft, list,
                canvas_screen(&b->c));
}

void chrome_details_empty(struct build *b, struct details *d, unsigned part, const char *key)
{
    bool failed = (b->ui->content.failed & part) != 0;
    details_text(d, "empty", ui_tr(b->ui, failed ? "content.unreadable" : key), b->c.t->font_body,
                 FONT_REGULAR, failed ? b->c.t->alert : b->c.t->ink_soft);
}

void chrome_idle_overlay(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    for (size_t i = 0; i < b->c.f->n_widgets; i++)
        b->c.f->widgets[i].visible = false;
    canvas_fill(&b->c, canvas_screen(&b->c), t->overlay, 0, canvas_screen(&b->c));
    frame_add_widget(b->c.f, "idle", ROLE_OVERLAY, ui_tr(ui, "idle.title"), canvas_screen(&b->c));
    int w = b->c.f->width, h = b->c.f->height;
    int bw = w * 3 / 4, x = (w - bw) / 2;
    int64_t left_ms = ui_idle_timeout_at(ui) - clock_now_ms(ui->env.clock);
    long long seconds = left_ms > 0 ? (left_ms + 999) / 1000 : 0;
    char countdown[256];
    ui_format_count(ui, "idle.countdown", seconds, countdown, sizeof countdown);
    struct text_block tb, cb;
    text_layout(b->c.f, &ui->measurer, ui_tr(ui, "idle.title"), t->font_title, FONT_BOLD, bw - 6 * t->unit,
                3, &tb);
    text_layout(b->c.f, &ui->measurer, countdown, t->font_body, FONT_REGULAR, bw - 6 * t->unit, 4, &cb);
    int bh = 3 * t->unit + (int)tb.n_lines * t->line_title + t->unit + (int)cb.n_lines * t->line_body +
             2 * t->gap + t->button_h * 3 / 2 + 3 * t->unit;
    struct rect box = {x, (h - bh) / 2, bw, bh};
    canvas_fill(&b->c, box, t->surface, 2 * t->radius, canvas_screen(&b->c));
    int y = box.y + 3 * t->unit;
    y += canvas_text(&b->c, "", ui_tr(ui, "idle.title"), (struct rect){x + 3 * t->unit, y, bw - 6 * t->unit, 0},
                     t->font_title, FONT_BOLD, t->ink, -1, canvas_screen(&b->c));
    y += t->unit;
    y += canvas_text(&b->c, "idle.countdown", frame_strdup(b->c.f, countdown, SIZE_MAX),
                     (struct rect){x + 3 * t->unit, y, bw - 6 * t->unit, 0}, t->font_body,
                     FONT_REGULAR, t->ink, -1, canvas_screen(&b->c));
    y += 2 * t->gap;
    const char *stay = ui_tr(ui, "idle.stay");
    int sw = canvas_button_width(&b->c, stay) + 4 * t->unit;
    if (sw > bw - 6 * t->unit)
        sw = bw - 6 * t->unit;
    canvas_button(&b->c, "idle.stay", ROLE_BUTTON, stay, (struct rect){x + (bw - sw) / 2, y, sw, t->button_h * 3 / 2},
           STYLE_PRIMARY, CHECKED_NULL);
}


/* Moves the draw commands from first_cmd on and the last widget into the
 * scrolling list (its clip, its widget): canvas_image draws on the whole
 * screen. */
static void image_into_list(struct build *b, size_t first_cmd, int list, struct rect viewport)
{
    struct frame *f = b->c.f;
    for (size_t i = first_cmd; i < f->n_cmds; i++)
        f->cmds[i].clip = rect_intersect(f->cmds[i].clip, viewport);
    if (f->n_widgets)
        canvas_in_list(&b->c, &f->widgets[f->n_widgets - 1], list);
}

void chrome_detail_image(struct build *b, struct details *d, const char *id,
                         const struct content_image *im, const char *label)
{
    if (!im || !im->path)
        return;
    const struct theme *t = b->c.t;
    /* At most 40 % of the frame's height: the words stay in view. */
    int max_h = b->c.f->height * 2 / 5;
    struct rect room = {d->viewport.x, d->y, d->viewport.w, max_h};
    size_t first = b->c.f->n_cmds;
    struct rect plate = canvas_image(&b->c, im->path, im->w, im->h, room, false, id, label);
    if (plate.w == 0)
        return;
    image_into_list(b, first, d->list, d->viewport);
    d->y += plate.h + t->gap;
}

int chrome_list_thumb(struct build *b, int list, const struct content_image *im, struct rect row)
{
    const struct theme *t = b->c.t;
    int side = row.h - t->unit; /* the card's height */
    if (!im || !im->path)
        return side + t->gap;
    size_t first = b->c.f->n_cmds;
    /* No label: the row's title says it, once. */
    struct rect plate = canvas_image(&b->c, im->path, im->w, im->h,
                                     (struct rect){row.x, row.y, side, side}, false, "", "");
    if (plate.w)
        image_into_list(b, first, list, b->c.list->viewport);
    return side + t->gap;
}
