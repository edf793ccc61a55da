/*
 * Staff mode: the hidden gesture (a finger held still for 5 s within 80 px
 * of the top-left corner), the PIN pad with its lockout, the status panel
 * and the actions staff can take by touch. Every action is logged, with no
 * personal data.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "core/ui_internal.h"

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

static void act(struct ui *ui, const char *action)
{
    log_info(TAG, "staff action: %s", action);
    if (ui->env.staff_action)
        ui->env.staff_action(ui->env.staff_ctx, action);
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
    if (strcmp(id, "staff.exit") == 0) {
        act(ui, "exit");
        ui_reset_to_attract(ui);
    } else if (strcmp(id, "staff.sync") == 0) {
        act(ui, "sync");
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
    char when[RFC3339_LEN] = "-";
    if (have && st.last_sync_at)
        rfc3339_format_local(st.last_sync_at, when);
#define LINE(...)                                    \
    do {                                             \
        if (n < max)                                 \
            lines[n++] = frame_printf(f, __VA_ARGS__); \
    } while (0)
    LINE("%s: %s  \xC2\xB7  %s %s", ui_tr(ui, "staff.kiosk"), cfg->kiosk_id, "buurtkiosk", BK_VERSION);
    if (have) {
        LINE("%s: %s (%s)", ui_tr(ui, "staff.last_sync"), when,
             st.has_last_sync_error ? st.last_sync_error : ui_tr(ui, "staff.ok"));
        LINE("%s: %s", ui_tr(ui, "staff.etag"), st.has_feed_etag ? st.feed_etag : "-");
        LINE("%s: %lld / %lld / %lld / %lld", ui_tr(ui, "staff.counts"), (long long)st.locations,
             (long long)st.activities, (long long)st.services, (long long)st.announcements);
        LINE("%s: %lld / %lld / %lld", ui_tr(ui, "staff.outbox"), (long long)st.outbox_pending,
             (long long)st.outbox_confirmed + st.outbox_waitlisted,
             (long long)st.outbox_rejected);
        LINE("%s: %s", ui_tr(ui, "staff.network"),
             ui_tr(ui, st.last_sync_failed ? "staff.network.down" : "staff.network.up"));
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
#undef LINE
    return n;
}
