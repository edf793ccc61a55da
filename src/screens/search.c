/*
 * search: a field at the top, the on-screen keyboard at the bottom, and
 * between them the hits of what is typed, updated with every key:
 * activities (each its next occurrence, as the activity list shows it)
 * and then services. With no hits the screen says so and offers the help
 * topics and a staff member, never an empty space.
 *
 * What is typed lives in the form's remark buffer, with the form's
 * keyboard (as the staff's announcement does): every way out wipes it,
 * but for a visit to a hit, from which nav.back comes back to the same
 * search. It may be personal (a name): never logged.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"

#define SEARCH_FIELD FIELD_REMARK

static const char *typed(const struct ui *ui)
{
    return ui->form.value[SEARCH_FIELD];
}

static size_t n_hits(const struct content *c)
{
    return c->n_found + c->n_found_services;
}

/* The field: what was typed (its end when long, where typing happens) and
 * the caret. */
static void search_field(struct build *b, struct rect box)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    const char *value = typed(ui);
    canvas_fill(&b->c, box, t->surface, t->radius, canvas_screen(&b->c));
    canvas_outline(&b->c, box, t->primary, 3, canvas_screen(&b->c));
    const char *shown = value;
    while (*shown &&
           text_width(&ui->measurer, shown, t->font_body, FONT_REGULAR) > box.w - 5 * t->unit) {
        shown++;
        while (((unsigned char)*shown & 0xC0) == 0x80)
            shown++;
    }
    struct text_block tb;
    text_layout(b->c.f, &ui->measurer, shown, t->font_body, FONT_REGULAR, box.w - 4 * t->unit, 1, &tb);
    int text_x = box.x + 2 * t->unit;
    int text_y = box.y + (box.h - t->line_body) / 2;
    if (tb.n_lines)
        canvas_text_line(&b->c, tb.lines[0], text_x, text_y, t->font_body, FONT_REGULAR, t->ink, box);
    int cx = text_x + (tb.n_lines ? tb.widest : 0) + 2;
    canvas_fill(&b->c, (struct rect){cx, text_y, 3, t->line_body}, t->primary, 0, box);
    struct widget *w = frame_add_widget(b->c.f, "field.search", ROLE_INPUT,
                                        ui_tr(ui, "search.field"), box);
    if (w) {
        w->text = frame_strdup(b->c.f, value, SIZE_MAX);
        w->focused = true;
    }
}

/* No hits (or nothing typed yet): what to do instead. */
static void no_hits(struct build *b, struct rect viewport)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct scroller *sc = &ui->list;
    int list = canvas_list_begin(&b->c, "search.list", viewport, sc->content_h);
    int y0 = viewport.y - sc->offset, y = y0;
    struct rect clip = viewport;
    b->c.clip = viewport;
    bool failed = (ui->content.failed & CONTENT_SEARCH) != 0;
    const char *say = failed ? "content.unreadable" : typed(ui)[0] ? "search.none" : "search.hint";
    y += canvas_text(&b->c, "search.empty", ui_tr(ui, say), (struct rect){viewport.x, y, viewport.w, 0},
                     t->font_body, FONT_BOLD, t->ink, list, clip) + t->gap;
    const char *help = ui_tr(ui, "search.help");
    int bw = canvas_button_width_for(&b->c, "search.help", help);
    if (bw > viewport.w)
        bw = viewport.w;
    struct widget *w = canvas_button(&b->c, "search.help", ROLE_BUTTON, help,
                                     (struct rect){viewport.x, y, bw, t->button_h}, STYLE_PRIMARY,
                                     CHECKED_NULL);
    canvas_in_list(&b->c, w, list);
    y += t->button_h + t->gap;
    y += canvas_text(&b->c, "search.staff", ui_tr(ui, "search.staff"),
                     (struct rect){viewport.x, y, viewport.w, 0}, t->font_body, FONT_REGULAR,
                     t->ink_soft, list, clip);
    b->c.clip = canvas_screen(&b->c);
    if (y - y0 != sc->content_h) {
        sc->content_h = y - y0;
        b->c.relayout = true;
    }
    canvas_scrollbar(&b->c);
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    const struct content *content = &ui->content;
    chrome_header(b, ui_tr(ui, "search.title"), true, false);
    int kb_top = ui->form.keyboard_hidden ? b->c.f->height - t->margin
                                          : keyboard_build(b, false, KEYBOARD_END_DONE);
    int x = t->margin, w = b->c.f->width - 2 * t->margin;
    int y = t->header_h + t->unit;
    struct rect box = {x, y, w, t->button_h};
    search_field(b, box);
    y += box.h + t->unit;
    struct rect viewport = {x, y, w, kb_top - t->unit - y};
    size_t n = n_hits(content);
    if (n == 0) {
        no_hits(b, viewport);
        return;
    }
    int list = canvas_list_begin(&b->c, "search.list", viewport, (int)n * t->item_h);
    size_t first = (size_t)(ui->list.offset / t->item_h);
    for (size_t i = first; i < n; i++) {
        struct rect r = scroller_row(&ui->list, i, t->item_h);
        if (r.y >= viewport.y + viewport.h)
            break;
        size_t first_widget = b->c.f->n_widgets;
        char id[UI_ID_MAX + 32], line[512];
        if (i < content->n_found) {
            const struct occurrence_item *it = &content->found[i];
            bool full;
            ui_occurrence_id(it->activity_id, it->starts_at, id, sizeof id);
            activities_line(b, it, line, sizeof line, &full);
            canvas_list_item(&b->c, list, frame_strdup(b->c.f, id, SIZE_MAX),
                             chrome_with_note(b, it->title, it->title_lang),
                             chrome_ui_line(b, line), r, full ? t->alert : t->ink_soft);
            chrome_mark_lang(b, first_widget, it->title, it->title_lang);
        } else {
            const struct service_item *it = &content->found_services[i - content->n_found];
            ui_service_id(it->id, id, sizeof id);
            snprintf(line, sizeof line, ISOLATE("%s") "%s" ISOLATE("%s"),
                     it->organization ? it->organization : "",
                     it->organization && it->walk_in_summary ? " \xC2\xB7 " : "",
                     it->walk_in_summary ? it->walk_in_summary : "");
            canvas_list_item(&b->c, list, frame_strdup(b->c.f, id, SIZE_MAX),
                             chrome_with_note(b, it->name, it->name_lang),
                             chrome_ui_line(b, line), r, t->ink_soft);
            chrome_mark_lang(b, first_widget, it->name, it->name_lang);
        }
    }
    canvas_scrollbar(&b->c);
}

/* The hit whose widget id is id: its place, found through the ids the
 * list was built from, so that ids with dots stay unambiguous. */
static bool hit_place(const struct ui *ui, const char *id, struct place *to)
{
    const struct content *c = &ui->content;
    char built[UI_ID_MAX + 32];
    for (size_t i = 0; i < c->n_found; i++) {
        ui_occurrence_id(c->found[i].activity_id, c->found[i].starts_at, built, sizeof built);
        if (strcmp(id, built) == 0) {
            *to = (struct place){.screen = SCREEN_ACTIVITY, .occurrence = c->found[i].starts_at};
            snprintf(to->activity_id, sizeof to->activity_id, "%s", c->found[i].activity_id);
            return true;
        }
    }
    for (size_t i = 0; i < c->n_found_services; i++) {
        ui_service_id(c->found_services[i].id, built, sizeof built);
        if (strcmp(id, built) == 0) {
            *to = (struct place){.screen = SCREEN_SERVICE};
            snprintf(to->service_id, sizeof to->service_id, "%s", c->found_services[i].id);
            return true;
        }
    }
    return false;
}

/* A key typed: the hits of the new text, from the top of the list. */
static bool type(struct ui *ui, const char *id)
{
    if (strcmp(id, "key.done") == 0) {
        ui->form.keyboard_hidden = true;
        ui->dirty = true;
        return true;
    }
    char before[FORM_VALUE_MAX];
    snprintf(before, sizeof before, "%s", typed(ui));
    if (!keyboard_type(ui, id))
        return false;
    char *v = ui->form.value[SEARCH_FIELD];
    /* The search takes SEARCH_INPUT_MAX bytes: a key more does nothing. */
    if (strlen(v) > SEARCH_INPUT_MAX)
        snprintf(v, FORM_VALUE_MAX, "%s", before);
    if (strcmp(before, v) != 0) {
        memset(&ui->list, 0, sizeof ui->list);
        ui_load(ui, CONTENT_SEARCH);
    }
    return true;
}

static bool activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    if (strncmp(id, "key.", 4) == 0)
        return type(ui, id);
    struct place to;
    if (strcmp(id, "field.search") == 0) {
        /* Tapping the field brings the keyboard back, as on a phone. */
        ui->form.keyboard_hidden = false;
        ui->dirty = true;
    } else if (strcmp(id, "search.help") == 0) {
        ui->topic_filter[0] = '\0';
        ui_go(ui, SCREEN_SERVICES, true);
    } else if (w->role == ROLE_ITEM && hit_place(ui, id, &to)) {
        ui_go_place(ui, &to, true);
    } else {
        return false;
    }
    return true;
}

/* Coming from home the form is wiped (home.c); coming back from a hit
 * it still holds the search. */
static void enter(struct ui *ui)
{
    if (ui->form.focus != SEARCH_FIELD) {
        signup_wipe(ui);
        ui->form.focus = SEARCH_FIELD;
    }
}

static void leave(struct ui *ui, enum screen to)
{
    if (to != SCREEN_ACTIVITY && to != SCREEN_SERVICE)
        signup_wipe(ui);
}

/* Rows not built (scrolled away) are found in the content. */
static bool locate(struct ui *ui, const char *selector, struct rect *item, struct rect *viewport)
{
    const struct content *c = &ui->content;
    size_t n = n_hits(c);
    for (size_t i = 0; i < n; i++) {
        char id[UI_ID_MAX + 32];
        const char *label;
        if (i < c->n_found) {
            ui_occurrence_id(c->found[i].activity_id, c->found[i].starts_at, id, sizeof id);
            label = c->found[i].title;
        } else {
            ui_service_id(c->found_services[i - c->n_found].id, id, sizeof id);
            label = c->found_services[i - c->n_found].name;
        }
        bool match = selector[0] == '#' ? strcmp(selector + 1, id) == 0 : strcmp(selector, label) == 0;
        if (match) {
            *viewport = ui->list.viewport;
            *item = scroller_row(&ui->list, i, ui->theme.item_h);
            return true;
        }
    }
    return false;
}

const struct screen_def screen_search = {
    .name = "search",
    .content = CONTENT_BASE | CONTENT_SEARCH,
    .idle = IDLE_RESIDENT,
    .enter = enter,
    .leave = leave,
    .build = build,
    .activate = activate,
    .locate = locate,
};
