/*
 * Staff mode: the hidden gesture (a finger held still for 5 s within 80 px
 * of the top-left corner), the PIN pad with its lockout, the status panel
 * and the actions staff can take by touch. Every action is logged, with no
 * personal data.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "model/localized.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "screens/ui_internal.h"

#define TAG "staff"
#define GESTURE_MS 5000
#define GESTURE_CORNER 80
#define MAX_WRONG 5
#define LOCK_MS (5 * 60 * 1000)

bool ui_staff_gesture_due(const struct ui *ui, int64_t now_ms, int64_t *due_at)
{
    const struct touch *t = &ui->touch;
    const char *hash = ui->env.config->staff_pin_hash;
    if (!hash || !*hash || !t->down || t->dragging || t->consumed ||
        t->x0 > GESTURE_CORNER || t->y0 > GESTURE_CORNER || ui->screen == SCREEN_SIGNUP ||
        ui->screen == SCREEN_STAFF_PIN || ui->screen == SCREEN_STAFF)
        return false;
    *due_at = t->down_ms + GESTURE_MS;
    return now_ms >= *due_at;
}

void ui_staff_open_pin(struct ui *ui)
{
    ui->touch.consumed = true;
    sodium_memzero(ui->staff.pin, sizeof ui->staff.pin);
    ui->staff.n_digits = 0;
    ui->staff.just_failed = false;
    ui_go_screen(ui, SCREEN_STAFF_PIN, false);
    log_info(TAG, "PIN pad opened");
}

/* Every staff action is logged (never with personal data) and counted
 * for the heartbeat. */
static void act(struct ui *ui, const char *action)
{
    log_info(TAG, "staff action: %s", action);
    store_count_staff_action(ui->env.store);
}

static void request(struct ui *ui, enum staff_request request)
{
    if (ui->env.staff_request)
        ui->env.staff_request(ui->env.staff_ctx, request);
}

void ui_staff_free(struct ui *ui)
{
    for (size_t i = 0; i < ui->staff.n_items; i++)
        free(ui->staff.items[i].name);
    free(ui->staff.items);
    ui->staff.items = NULL;
    ui->staff.n_items = 0;
}

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
    snprintf(it->kind, sizeof it->kind, "%s", row->kind);
    snprintf(it->id, sizeof it->id, "%s", row->id);
    json_t *name = json_loads(row->name_json, 0, NULL);
    const char *text = localized_pick(name, l->ui->lang);
    it->name = strdup(text ? text : row->id);
    json_decref(name);
    it->hidden = row->hidden;
    it->featured = row->featured;
    if (it->name)
        s->n_items++;
    return true;
}

static void load_items(struct ui *ui)
{
    ui_staff_free(ui);
    struct item_loader l = {ui, 0};
    store_query_items(ui->env.store, load_item, &l);
}

/* staff.hide.KIND.ID / staff.feature.KIND.ID */
static bool toggle_item(struct ui *ui, const char *id)
{
    bool hide = strncmp(id, "staff.hide.", 11) == 0;
    bool feature = strncmp(id, "staff.feature.", 14) == 0;
    if (!hide && !feature)
        return false;
    const char *rest = id + (hide ? 11 : 14);
    for (size_t i = 0; i < ui->staff.n_items; i++) {
        struct staff_item *it = &ui->staff.items[i];
        size_t k = strlen(it->kind);
        if (strncmp(rest, it->kind, k) != 0 || rest[k] != '.' || strcmp(rest + k + 1, it->id) != 0)
            continue;
        bool hidden = hide ? !it->hidden : it->hidden;
        bool featured = feature ? !it->featured : it->featured;
        if (store_set_override(ui->env.store, it->kind, it->id, hidden, featured)) {
            it->hidden = hidden;
            it->featured = featured;
            log_info(TAG, "staff action: %s %s %s", hide ? (hidden ? "hide" : "unhide")
                                                        : (featured ? "feature" : "unfeature"),
                     it->kind, it->id);
            store_count_staff_action(ui->env.store);
        }
        return true;
    }
    return true;
}

static void check_pin(struct ui *ui)
{
    struct staff_state *s = &ui->staff;
    const char *hash = ui->env.config->staff_pin_hash;
    bool ok = hash && s->n_digits >= 4 &&
              crypto_pwhash_str_verify(hash, s->pin, s->n_digits) == 0;
    sodium_memzero(s->pin, sizeof s->pin);
    s->n_digits = 0;
    if (ok) {
        s->wrong = 0;
        s->just_failed = false;
        s->touch_test = false;
        log_info(TAG, "staff logged in");
        ui_go_screen(ui, SCREEN_STAFF, false);
        return;
    }
    s->just_failed = true;
    log_warn(TAG, "wrong staff PIN");
    if (++s->wrong >= MAX_WRONG) {
        s->wrong = 0;
        s->locked_until_ms = clock_now_ms(ui->env.clock) + LOCK_MS;
        log_warn(TAG, "PIN pad locked for 5 minutes after %d wrong PINs", MAX_WRONG);
    }
}

bool ui_staff_activate(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    struct staff_state *s = &ui->staff;
    if (ui->screen == SCREEN_STAFF_PIN) {
        bool locked = clock_now_ms(ui->env.clock) < s->locked_until_ms;
        if (strcmp(id, "pin.cancel") == 0) {
            sodium_memzero(s->pin, sizeof s->pin);
            s->n_digits = 0;
            ui_reset_to_attract(ui);
        } else if (locked) {
            return strncmp(id, "pin.", 4) == 0;
        } else if (strcmp(id, "pin.back") == 0) {
            if (s->n_digits)
                s->pin[--s->n_digits] = '\0';
        } else if (strcmp(id, "pin.ok") == 0) {
            check_pin(ui);
        } else if (strncmp(id, "pin.", 4) == 0 && id[4] >= '0' && id[4] <= '9' && !id[5]) {
            if (s->n_digits + 1 < sizeof s->pin)
                s->pin[s->n_digits++] = id[4];
            s->just_failed = false;
        } else {
            return false;
        }
        ui->dirty = true;
        return true;
    }
    if (ui->screen != SCREEN_STAFF)
        return false;
    if (s->touch_test) {
        /* Every tap shows where it landed; the button ends the test. */
        if (strcmp(id, "staff.touch-test.done") == 0) {
            s->touch_test = false;
            act(ui, "touch-test done");
        }
        ui->dirty = true;
        return true;
    }
    if (s->items_view) {
        if (strcmp(id, "staff.items.done") == 0) {
            s->items_view = false;
            ui_staff_free(ui);
            memset(&ui->list, 0, sizeof ui->list);
        } else if (!toggle_item(ui, id)) {
            return false;
        }
        ui->dirty = true;
        return true;
    }
    if (s->announce_view) {
        if (strncmp(id, "key.", 4) == 0) {
            ui_signup_type(ui, id);
        } else if (strncmp(id, "staff.announce.days.", 20) == 0) {
            s->announce_days = atoi(id + 20);
        } else if (strcmp(id, "staff.announce.cancel") == 0) {
            s->announce_view = false;
            ui_signup_wipe(ui);
        } else if (strcmp(id, "staff.announce.save") == 0) {
            const char *text = ui->form.value[FIELD_REMARK];
            if (*text) {
                int64_t from = ui_now_s(ui);
                int64_t until = tz_start_of_day(from) + (int64_t)s->announce_days * 86400;
                if (store_add_local_announcement(ui->env.store, text, from, from, until))
                    act(ui, "announce");
            }
            s->announce_view = false;
            ui_signup_wipe(ui);
        } else {
            return false;
        }
        ui->dirty = true;
        return true;
    }
    if (strcmp(id, "staff.announce") == 0) {
        s->announce_view = true;
        s->announce_days = 1;
        ui_signup_wipe(ui);
        /* The announcement is typed in the form's remark buffer, with its keyboard. */
        ui->form.focus = FIELD_REMARK;
    } else if (strcmp(id, "staff.items") == 0) {
        s->items_view = true;
        load_items(ui);
        memset(&ui->list, 0, sizeof ui->list);
        act(ui, "items");
    } else if (strcmp(id, "staff.exit") == 0) {
        act(ui, "exit");
        ui_reset_to_attract(ui);
    } else if (strcmp(id, "staff.sync") == 0) {
        act(ui, "sync");
        request(ui, STAFF_REQUEST_SYNC);
    } else if (strcmp(id, "staff.touch-test") == 0) {
        s->touch_test = true;
        s->has_probe = false;
        act(ui, "touch-test");
    } else if (strcmp(id, "staff.screen-off") == 0) {
        act(ui, "screen-off");
        ui_reset_to_attract(ui);
        s->forced_dark = true;
        ui->screen = SCREEN_OFF;
        ui->here.screen = SCREEN_OFF;
    } else if (strcmp(id, "staff.restart") == 0) {
        act(ui, "restart");
        request(ui, STAFF_REQUEST_RESTART);
    } else {
        return false;
    }
    ui->dirty = true;
    return true;
}

size_t ui_staff_info(struct ui *ui, struct frame *f, const char **lines, size_t max)
{
    size_t n = 0;
    struct store_status st;
    bool have = store_status(ui->env.store, &st);
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
    struct statvfs vfs;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", ui->env.db_path ? ui->env.db_path : cfg->kiosk_data_dir);
    char *slash = ui->env.db_path ? strrchr(dir, '/') : NULL;
    if (slash && slash != dir)
        *slash = '\0';
    if (statvfs(dir, &vfs) == 0)
        LINE("%s: %llu MiB", ui_tr(ui, "staff.disk"),
             (unsigned long long)vfs.f_bavail * vfs.f_frsize / (1024 * 1024));
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
