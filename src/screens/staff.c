/*
 * staff: what buurthuis staff see after the PIN: the kiosk's state, and
 * the actions they can take by touch (sync now, hide or feature items, a
 * local announcement, the touch test, screen off, restart, exit). Also
 * the hidden gesture that opens the PIN pad. Every action is logged and
 * counted, with no personal data.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/disk.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "screens/screens.h"

#define TAG "staff"
#define GESTURE_MS 5000
#define GESTURE_CORNER 80

/* The staff screen's buttons, in the order they show. */
enum staff_action {
    STAFF_SYNC, STAFF_ITEMS, STAFF_ANNOUNCE, STAFF_TOUCH_TEST, STAFF_SCREEN_OFF, STAFF_RESTART,
    STAFF_EXIT, STAFF_ACTIONS
};

static const char *const staff_action_ids[STAFF_ACTIONS] = {
    [STAFF_SYNC] = "staff.sync",           [STAFF_ITEMS] = "staff.items",
    [STAFF_ANNOUNCE] = "staff.announce",   [STAFF_TOUCH_TEST] = "staff.touch-test",
    [STAFF_SCREEN_OFF] = "staff.screen-off", [STAFF_RESTART] = "staff.restart",
    [STAFF_EXIT] = "staff.exit",
};

/* The store's word for each kind of item (and the widget ids'). */
static const char *const item_kinds[] = {[STAFF_ITEM_ACTIVITY] = "activity",
                                         [STAFF_ITEM_SERVICE] = "service"};

bool staff_gesture_due(const struct ui *ui, int64_t now_ms, int64_t *due_at)
{
    const struct touch *t = &ui->touch;
    const char *hash = ui->env.config->staff_pin_hash;
    if (!hash || !*hash || !t->down || t->dragging || t->consumed ||
        t->x0 > GESTURE_CORNER || t->y0 > GESTURE_CORNER || screen_def(ui->screen)->no_staff_gesture)
        return false;
    *due_at = t->down_ms + GESTURE_MS;
    return now_ms >= *due_at;
}

void staff_open_pin(struct ui *ui)
{
    /* Staff mode speaks staff.language, whatever the last resident chose;
     * leaving it resets the screens to the residents' first language. */
    const char *lang = ui->env.config->staff_language;
    if (lang && catalogs_has(ui->env.catalogs, lang) && strcmp(ui->lang, lang) != 0) {
        snprintf(ui->lang, sizeof ui->lang, "%s", lang);
        ui_load(ui, ui->content.loaded | CONTENT_BASE);
    }
    ui->touch.consumed = true;
    sodium_memzero(ui->staff.pin, sizeof ui->staff.pin);
    ui->staff.n_digits = 0;
    ui->staff.just_failed = false;
    staff_pin_load_lock(ui);
    ui_go(ui, SCREEN_STAFF_PIN, false);
    log_info(TAG, "PIN pad opened");
}

void staff_act(struct ui *ui, const char *action)
{
    log_info(TAG, "staff action: %s", action);
    store_count_staff_action(ui->env.store);
}

static void request(struct ui *ui, enum staff_request request)
{
    if (ui->env.staff_request)
        ui->env.staff_request(ui->env.staff_ctx, request);
}

void staff_free(struct ui *ui)
{
    for (size_t i = 0; i < ui->staff.n_items; i++)
        free(ui->staff.items[i].name);
    free(ui->staff.items);
    ui->staff.items = NULL;
    ui->staff.n_items = 0;
}

/* ---- hiding and featuring ---- */

struct item_loader {
    struct ui *ui;
    size_t cap;
};

static bool load_item(void *ctx, const struct item_row *row)
{
    struct item_loader *l = ctx;
    struct staff_state *s = &l->ui->staff;
    if (s->n_items == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct staff_item *more = realloc(s->items, cap * sizeof *more);
        if (!more)
            return false;
        s->items = more;
        l->cap = cap;
    }
    struct staff_item *it = &s->items[s->n_items];
    it->kind = strcmp(row->kind, item_kinds[STAFF_ITEM_SERVICE]) == 0 ? STAFF_ITEM_SERVICE
                                                                     : STAFF_ITEM_ACTIVITY;
    snprintf(it->id, sizeof it->id, "%s", row->id);
    char *name = stored_text(row->name_json, l->ui->lang);
    it->name = name ? name : strdup(row->id);
    it->hidden = row->hidden;
    it->featured = row->featured;
    if (it->name)
        s->n_items++;
    return true;
}

static void load_items(struct ui *ui)
{
    staff_free(ui);
    struct item_loader l = {ui, 0};
    if (!store_query_items(ui->env.store, load_item, &l))
        log_warn(TAG, "could not read the items for staff");
}

/* staff.hide.KIND.ID / staff.feature.KIND.ID; false when id is neither. */
static bool toggle_item(struct ui *ui, const char *id)
{
    bool hide = strncmp(id, "staff.hide.", 11) == 0;
    bool feature = strncmp(id, "staff.feature.", 14) == 0;
    if (!hide && !feature)
        return false;
    const char *rest = id + (hide ? 11 : 14);
    for (size_t i = 0; i < ui->staff.n_items; i++) {
        struct staff_item *it = &ui->staff.items[i];
        const char *kind = item_kinds[it->kind];
        size_t k = strlen(kind);
        if (strncmp(rest, kind, k) != 0 || rest[k] != '.' || strcmp(rest + k + 1, it->id) != 0)
            continue;
        bool hidden = hide ? !it->hidden : it->hidden;
        bool featured = feature ? !it->featured : it->featured;
        if (store_set_override(ui->env.store, kind, it->id, hidden, featured)) {
            it->hidden = hidden;
            it->featured = featured;
            log_info(TAG, "staff action: %s %s %s", hide ? (hidden ? "hide" : "unhide")
                                                        : (featured ? "feature" : "unfeature"),
                     kind, it->id);
            store_count_staff_action(ui->env.store);
        }
        return true;
    }
    return true;
}

/* ---- the status panel ---- */

void staff_read_status(struct ui *ui)
{
    struct staff_state *s = &ui->staff;
    s->has_status = store_status(ui->env.store, &s->status);
    const char *where = ui->env.db_path ? ui->env.db_path : ui->env.config->kiosk_data_dir;
    s->has_disk_free = disk_free_bytes(where, &s->disk_free_bytes);
}

size_t staff_info(struct ui *ui, struct frame *f, const char **lines, size_t max)
{
    size_t n = 0;
    const struct store_status st = ui->staff.status;
    bool have = ui->staff.has_status;
    const struct config *cfg = ui->env.config;
    char when[32] = "-";
    if (have && st.last_sync_at) {
        struct local_time lt;
        tz_to_local(st.last_sync_at, &lt);
        snprintf(when, sizeof when, "%02d-%02d-%04d %02d:%02d", lt.day, lt.month, lt.year,
                 lt.hour, lt.minute);
    }
#define LINE(...)                                    \
    do {                                             \
        if (n < max)                                 \
            lines[n++] = frame_printf(f, __VA_ARGS__); \
    } while (0)
    LINE("%s: %s  \xC2\xB7  %s %s", ui_tr(ui, "staff.kiosk"), cfg->kiosk_id, "buurtkiosk", BK_VERSION);
    if (have && !st.last_sync_at) {
        LINE("%s: %s", ui_tr(ui, "staff.last_sync"), ui_tr(ui, "staff.never"));
    } else if (have) {
        LINE("%s: %s (%s)", ui_tr(ui, "staff.last_sync"), when,
             st.has_last_sync_error ? st.last_sync_error : ui_tr(ui, "staff.ok"));
    }
    if (have) {
        LINE("%s: %s", ui_tr(ui, "staff.etag"), st.has_feed_etag ? st.feed_etag : "-");
        LINE("%s: %lld / %lld / %lld / %lld", ui_tr(ui, "staff.counts"), (long long)st.locations,
             (long long)st.activities, (long long)st.services, (long long)st.announcements);
        LINE("%s: %lld / %lld / %lld", ui_tr(ui, "staff.outbox"), (long long)st.outbox_pending,
             (long long)st.outbox_confirmed + st.outbox_waitlisted,
             (long long)st.outbox_rejected);
        LINE("%s: %s", ui_tr(ui, "staff.network"),
             ui_tr(ui, !st.last_sync_at      ? "staff.network.unknown"
                       : st.last_sync_failed ? "staff.network.down"
                                             : "staff.network.up"));
    }
    if (ui->staff.has_disk_free)
        LINE("%s: %llu MiB", ui_tr(ui, "staff.disk"),
             (unsigned long long)(ui->staff.disk_free_bytes / (1024 * 1024)));
    long long up = (clock_monotonic_ms() - ui->staff.started_ms) / 1000;
    LINE("%s: %lldd %02lld:%02lld", ui_tr(ui, "staff.uptime"), up / 86400, up % 86400 / 3600,
         up % 3600 / 60);
    if (store_is_read_only(ui->env.store))
        LINE("%s", ui_tr(ui, "staff.read_only"));
    if (ui->network_problem[0])
        LINE("%s: %s", ui_tr(ui, "staff.network"), ui->network_problem);
#undef LINE
    return n;
}

/* ---- the screen ---- */

/* The staff screen's room: below the header, within the margins. */
static struct rect room(const struct build *b)
{
    const struct theme *t = b->c.t;
    return (struct rect){t->margin, t->header_h + t->gap, b->c.f->width - 2 * t->margin, 0};
}

/* The touch test: a cross where the last touch landed, and its place. */
static void build_touch_test(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct rect r = room(b);
    int x = r.x, y = r.y, w = r.w;
    canvas_text(&b->c, "staff.touch-test.hint", ui_tr(ui, "staff.touch-test.hint"),
                (struct rect){x, y, w, 0}, t->font_body, FONT_REGULAR, t->ink, -1,
                canvas_screen(&b->c));
    if (ui->staff.has_probe) {
        int px = ui->staff.probe_x, py = ui->staff.probe_y;
        canvas_fill(&b->c, (struct rect){0, py - 1, b->c.f->width, 3}, t->alert, 0, canvas_screen(&b->c));
        canvas_fill(&b->c, (struct rect){px - 1, 0, 3, b->c.f->height}, t->alert, 0, canvas_screen(&b->c));
        canvas_text(&b->c, "staff.touch-test.at", frame_printf(b->c.f, "%d, %d", px, py),
                    (struct rect){px + 2 * t->unit, py + t->unit, 20 * t->unit, 0},
                    t->font_small, FONT_BOLD, t->alert, -1, canvas_screen(&b->c));
    }
    const char *done = ui_tr(ui, "staff.touch-test.done");
    int bw = canvas_button_width(&b->c, done);
    canvas_button(&b->c, "staff.touch-test.done", ROLE_BUTTON, done,
           (struct rect){(b->c.f->width - bw) / 2, b->c.f->height - t->margin - t->button_h, bw,
                         t->button_h},
           STYLE_PRIMARY, CHECKED_NULL);
}

/* Typing a local announcement, and how long it shows. */
static void build_announce(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct rect r = room(b);
    int x = r.x, y = r.y, w = r.w;
    int kb_top = keyboard_build(b, false, KEYBOARD_END_NEXT);
    y += canvas_text(&b->c, "", ui_tr(ui, "staff.announce.prompt"), (struct rect){x, y, w, 0},
                     t->font_body, FONT_BOLD, t->ink, -1, canvas_screen(&b->c));
    struct rect box = {x, y + t->unit, w, t->button_h};
    canvas_fill(&b->c, box, t->surface, t->radius, canvas_screen(&b->c));
    canvas_outline(&b->c, box, t->primary, 3, canvas_screen(&b->c));
    const char *value = ui->form.value[FIELD_REMARK];
    struct text_block tb;
    text_layout(b->c.f, &ui->measurer, value, t->font_body, FONT_REGULAR, box.w - 4 * t->unit, 1, &tb);
    if (tb.n_lines)
        canvas_text_line(&b->c, tb.lines[0], box.x + 2 * t->unit, box.y + (box.h - t->line_body) / 2,
                     t->font_body, FONT_REGULAR, t->ink, box);
    struct widget *in = frame_add_widget(b->c.f, "staff.announce.text", ROLE_INPUT,
                                         ui_tr(ui, "staff.announce.prompt"), box);
    if (in) {
        in->text = frame_strdup(b->c.f, value, SIZE_MAX);
        in->focused = true;
    }
    y = box.y + box.h + t->gap;
    static const int days[] = {1, 7, 14};
    static const char *const day_keys[] = {"staff.announce.today", "staff.announce.week",
                                           "staff.announce.two_weeks"};
    struct chip chips[3];
    for (int i = 0; i < 3; i++)
        chips[i] = (struct chip){frame_printf(b->c.f, "staff.announce.days.%d", days[i]),
                                 ui_tr(ui, day_keys[i]), ui->staff.announce_days == days[i]};
    y += canvas_chips(&b->c, chips, 3, (struct rect){x, y, w, 0}) + t->gap;
    const char *cancel = ui_tr(ui, "pin.cancel"), *save = ui_tr(ui, "staff.announce.save");
    int cw = canvas_button_width(&b->c, cancel), sw = canvas_button_width(&b->c, save);
    if (y + t->button_h > kb_top)
        y = kb_top - t->button_h - t->unit;
    canvas_button(&b->c, "staff.announce.cancel", ROLE_BUTTON, cancel, (struct rect){x, y, cw, t->button_h},
           STYLE_PLAIN, CHECKED_NULL);
    struct widget *sv = canvas_button(&b->c, "staff.announce.save", ROLE_BUTTON, save,
                               (struct rect){x + w - sw, y, sw, t->button_h},
                               value[0] ? STYLE_PRIMARY : STYLE_PLAIN, CHECKED_NULL);
    if (sv)
        sv->enabled = value[0] != '\0';
}

/* Hiding or featuring each activity and service. */
static void build_items(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct rect r = room(b);
    int x = r.x, y = r.y, w = r.w;
    const char *done = ui_tr(ui, "staff.items.done");
    int bw = canvas_button_width(&b->c, done);
    canvas_button(&b->c, "staff.items.done", ROLE_BUTTON, done, (struct rect){x, y, bw, t->button_h},
           STYLE_PRIMARY, CHECKED_NULL);
    y += t->button_h + t->gap;
    struct rect viewport = {x, y, w, b->c.f->height - y - t->margin};
    int row_h = t->button_h + t->gap;
    int list = canvas_list_begin(&b->c, "staff.items.list", viewport, (int)ui->staff.n_items * row_h);
    const char *hide = ui_tr(ui, "staff.hide"), *feature = ui_tr(ui, "staff.feature");
    int hw = canvas_button_width(&b->c, hide), fw = canvas_button_width(&b->c, feature);
    b->c.clip = viewport;
    for (size_t i = 0; i < ui->staff.n_items; i++) {
        const struct staff_item *it = &ui->staff.items[i];
        int ry = viewport.y + (int)i * row_h - ui->list.offset;
        if (ry + row_h < viewport.y || ry >= viewport.y + viewport.h)
            continue;
        struct rect name = {x, ry + (t->button_h - t->line_body) / 2, w - hw - fw - 3 * t->gap, 0};
        canvas_text_lines(&b->c, it->name, name, t->font_body, FONT_REGULAR, t->ink, 1, viewport, NULL);
        struct widget *nw = frame_add_widget(b->c.f, "", ROLE_TEXT, it->name,
                                             (struct rect){name.x, name.y, name.w, t->line_body});
        canvas_in_list(&b->c, nw, list);
        const char *kind = item_kinds[it->kind];
        struct widget *hw_w = canvas_button(&b->c, frame_printf(b->c.f, "staff.hide.%s.%s", kind, it->id),
                                     ROLE_TOGGLE, hide,
                                     (struct rect){x + w - hw - fw - t->gap, ry, hw, t->button_h},
                                     STYLE_PLAIN, it->hidden ? CHECKED_TRUE : CHECKED_FALSE);
        canvas_in_list(&b->c, hw_w, list);
        struct widget *fw_w = canvas_button(&b->c, frame_printf(b->c.f, "staff.feature.%s.%s", kind, it->id),
                                     ROLE_TOGGLE, feature,
                                     (struct rect){x + w - fw, ry, fw, t->button_h}, STYLE_PLAIN,
                                     it->featured ? CHECKED_TRUE : CHECKED_FALSE);
        canvas_in_list(&b->c, fw_w, list);
    }
    b->c.clip = canvas_screen(&b->c);
    canvas_scrollbar(&b->c);
}

/* The status panel and the actions. */
static void build_panel(struct build *b)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    struct rect r = room(b);
    int x = r.x, y = r.y, w = r.w;
    const char *lines[16];
    size_t n = staff_info(ui, b->c.f, lines, 16);
    for (size_t i = 0; i < n; i++)
        y += canvas_text(&b->c, frame_printf(b->c.f, "staff.info.%zu", i), lines[i],
                         (struct rect){x, y, w, 0}, t->font_body, FONT_REGULAR, t->ink, -1,
                         canvas_screen(&b->c)) + t->unit / 2;
    y += t->gap;
    int bx = x;
    for (size_t i = 0; i < STAFF_ACTIONS; i++) {
        const char *label = ui_tr(ui, staff_action_ids[i]);
        int bw = canvas_button_width(&b->c, label);
        if (bx > x && bx + bw > x + w) {
            bx = x;
            y += t->button_h + t->gap;
        }
        canvas_button(&b->c, staff_action_ids[i], ROLE_BUTTON, label,
                      (struct rect){bx, y, bw, t->button_h},
                      i == STAFF_EXIT ? STYLE_PRIMARY : STYLE_PLAIN, CHECKED_NULL);
        bx += bw + t->gap;
    }
}

static void build(struct build *b)
{
    struct ui *ui = b->ui;
    chrome_header(b, ui_tr(ui, "staff.title"), false, false);
    if (ui->staff.touch_test)
        build_touch_test(b);
    else if (ui->staff.announce_view)
        build_announce(b);
    else if (ui->staff.items_view)
        build_items(b);
    else
        build_panel(b);
}

/* Staff type a local announcement with the form's keyboard, into the
 * form's remark field (wiped as any form). */
static bool activate_announce(struct ui *ui, const char *id)
{
    struct staff_state *s = &ui->staff;
    if (keyboard_type(ui, id)) {
        return true;
    } else if (strncmp(id, "staff.announce.days.", 20) == 0) {
        s->announce_days = atoi(id + 20);
    } else if (strcmp(id, "staff.announce.cancel") == 0) {
        s->announce_view = false;
        signup_wipe(ui);
    } else if (strcmp(id, "staff.announce.save") == 0) {
        const char *text = ui->form.value[FIELD_REMARK];
        if (*text) {
            int64_t from = ui_now_s(ui);
            int64_t until = tz_start_of_day(from) + (int64_t)s->announce_days * 86400;
            if (store_add_local_announcement(ui->env.store, text, from, from, until)) {
                staff_act(ui, "announce");
                ui_load(ui, CONTENT_NOW);
            }
        }
        s->announce_view = false;
        signup_wipe(ui);
    } else {
        return false;
    }
    return true;
}

static bool activate_action(struct ui *ui, enum staff_action action)
{
    struct staff_state *s = &ui->staff;
    switch (action) {
    case STAFF_ANNOUNCE:
        s->announce_view = true;
        s->announce_days = 1;
        signup_wipe(ui);
        /* The announcement is typed in the form's remark buffer, with its keyboard. */
        ui->form.focus = FIELD_REMARK;
        break;
    case STAFF_ITEMS:
        s->items_view = true;
        load_items(ui);
        memset(&ui->list, 0, sizeof ui->list);
        staff_act(ui, "items");
        break;
    case STAFF_EXIT:
        staff_act(ui, "exit");
        ui_reset_to_attract(ui);
        break;
    case STAFF_SYNC:
        staff_act(ui, "sync");
        request(ui, STAFF_REQUEST_SYNC);
        break;
    case STAFF_TOUCH_TEST:
        s->touch_test = true;
        s->has_probe = false;
        staff_act(ui, "touch-test");
        break;
    case STAFF_SCREEN_OFF:
        staff_act(ui, "screen-off");
        ui_reset_to_attract(ui);
        s->forced_dark = true;
        ui_go(ui, SCREEN_OFF, false);
        break;
    case STAFF_RESTART:
        staff_act(ui, "restart");
        request(ui, STAFF_REQUEST_RESTART);
        break;
    case STAFF_ACTIONS:
        return false;
    }
    return true;
}

static bool activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    struct staff_state *s = &ui->staff;
    bool handled = true;
    if (s->touch_test) {
        /* Every tap shows where it landed; the button ends the test. */
        if (strcmp(id, "staff.touch-test.done") == 0) {
            s->touch_test = false;
            staff_act(ui, "touch-test done");
        }
    } else if (s->items_view) {
        if (strcmp(id, "staff.items.done") == 0) {
            s->items_view = false;
            staff_free(ui);
            memset(&ui->list, 0, sizeof ui->list);
        } else {
            handled = toggle_item(ui, id);
        }
    } else if (s->announce_view) {
        handled = activate_announce(ui, id);
    } else {
        enum staff_action action = STAFF_ACTIONS;
        for (int i = 0; i < STAFF_ACTIONS; i++)
            if (strcmp(id, staff_action_ids[i]) == 0)
                action = (enum staff_action)i;
        handled = activate_action(ui, action);
    }
    if (handled) {
        staff_read_status(ui);
        ui->dirty = true;
    }
    return handled;
}

static void enter(struct ui *ui)
{
    staff_read_status(ui);
}

static void leave(struct ui *ui, enum screen to)
{
    (void)to;
    ui->staff.items_view = false;
    ui->staff.announce_view = false;
    ui->staff.touch_test = false;
    staff_free(ui);
}

const struct screen_def screen_staff = {
    .name = "staff",
    .content = CONTENT_BASE,
    .idle = IDLE_STAFF,
    .no_staff_gesture = true,
    .enter = enter,
    .leave = leave,
    .build = build,
    .activate = activate,
};
