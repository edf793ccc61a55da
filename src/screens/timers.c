/*
 * What happens with time: opening hours, the idle warning and timeout,
 * the staff gesture and logout, each screen's own timers, kinetic
 * scrolling, the minute on screen, and new content from the background
 * loader. ui_next_deadline_ms says when the loop must wake next, so that
 * a kiosk at rest draws nothing and sleeps.
 */
#include <math.h>
#include <stdlib.h>

#include "base/timeutil.h"
#include "screens/screens.h"

/* Kinetic scrolling: velocity decays by this factor per ms; below the
 * floor it stops. */
#define FLING_DECAY 0.997
#define FLING_FLOOR 0.02
#define ANIMATION_STEP_MS 16

int64_t ui_idle_warn_at(const struct ui *ui)
{
    return ui->last_input_ms + (int64_t)ui->env.config->ui_idle_warn_s * 1000;
}

int64_t ui_idle_timeout_at(const struct ui *ui)
{
    return ui_idle_warn_at(ui) + (int64_t)ui->env.config->ui_idle_countdown_s * 1000;
}

static enum idle_rule idle_rule(const struct ui *ui)
{
    return screen_def(ui->screen)->idle;
}

/* Outside opening hours (display.schedule) and not woken by a touch. */
static bool should_be_dark(const struct ui *ui, int64_t now_ms)
{
    const struct schedule *s = &ui->env.config->display_schedule;
    if (s->always || now_ms < ui->woken_until_ms)
        return false;
    struct local_time lt;
    tz_to_local(now_ms / 1000, &lt);
    return !schedule_is_open(s, lt.wday, lt.hour * 60 + lt.minute);
}

bool ui_is_dark(const struct ui *ui)
{
    return ui->screen == SCREEN_OFF;
}

void ui_check_schedule(struct ui *ui, int64_t now)
{
    bool dark = ui->staff.forced_dark || should_be_dark(ui, now);
    bool staff = idle_rule(ui) == IDLE_STAFF;
    if (dark && ui->screen != SCREEN_OFF && !staff && !ui->touch.down) {
        ui_reset_to_attract(ui);
        ui_go(ui, SCREEN_OFF, false);
    } else if (!dark && ui->screen == SCREEN_OFF) {
        ui_reset_to_attract(ui);
    }
}

static void fling_step(struct ui *ui, int64_t now)
{
    struct scroller *s = &ui->list;
    if (s->velocity == 0 || ui->touch.down)
        return;
    int64_t dt = now - s->last_step_ms;
    if (dt <= 0)
        return;
    /* Integrate the decaying velocity over dt exactly. */
    double decay = pow(FLING_DECAY, (double)dt);
    double distance = s->velocity * (1.0 - decay) / (1.0 - FLING_DECAY);
    int before = s->offset;
    s->offset += (int)lround(distance);
    scroller_clamp(s);
    s->velocity *= decay;
    s->last_step_ms = now;
    if (fabs(s->velocity) < FLING_FLOOR || s->offset == before)
        s->velocity = 0;
    ui->dirty = true;
}

static void idle_step(struct ui *ui, int64_t now)
{
    if (ui->touch.down)
        return;
    switch (idle_rule(ui)) {
    case IDLE_STAFF:
        /* Staff who walk away are logged out. */
        if (now >= ui_idle_timeout_at(ui)) {
            ui_reset_to_attract(ui);
            ui->last_input_ms = now;
        }
        break;
    case IDLE_RESIDENT:
        if (now >= ui_idle_timeout_at(ui)) {
            /* Public screen: everything the resident chose or typed goes. */
            ui_reset_to_attract(ui);
            ui->last_input_ms = now;
        } else if (now >= ui_idle_warn_at(ui)) {
            /* A resident who listens must hear the warning too. */
            if (!ui->idle_warning)
                ui_speech_screen(ui);
            ui->idle_warning = true;
            ui->dirty = true; /* the countdown changes every second */
        }
        break;
    case IDLE_NONE:
        break;
    }
}

void ui_tick(struct ui *ui)
{
    int64_t now = clock_now_ms(ui->env.clock);
    ui_take_loaded_content(ui);
    ui_check_schedule(ui, now);
    int64_t due;
    if (staff_gesture_due(ui, now, &due))
        staff_open_pin(ui);
    idle_step(ui, now);
    const struct screen_def *def = screen_def(ui->screen);
    if (def->tick)
        def->tick(ui, now);
    fling_step(ui, now);
    int64_t minute = now / 60000;
    if (minute != ui->shown_minute) {
        ui->shown_minute = minute;
        /* The countdown's text can change with the minute too; the dark
         * screen never changes: no frames while it is off. */
        if (ui->idle_warning)
            ui->dirty = true;
    }
}

static void sooner(int64_t *next, int64_t at)
{
    if (at < *next)
        *next = at;
}

int64_t ui_next_deadline_ms(const struct ui *ui)
{
    int64_t now = clock_now_ms(ui->env.clock);
    int64_t next = INT64_MAX;
    if (ui->list.velocity != 0)
        next = now + ANIMATION_STEP_MS;
    switch (idle_rule(ui)) {
    case IDLE_RESIDENT:
        if (!ui->idle_warning) {
            sooner(&next, ui_idle_warn_at(ui));
        } else {
            /* The countdown shows whole seconds. */
            int64_t left = ui_idle_timeout_at(ui) - now;
            sooner(&next, now + (left % 1000 ? left % 1000 : 1000));
            sooner(&next, ui_idle_timeout_at(ui));
        }
        break;
    case IDLE_STAFF:
        sooner(&next, ui_idle_timeout_at(ui));
        break;
    case IDLE_NONE:
        break;
    }
    const struct screen_def *def = screen_def(ui->screen);
    if (def->deadline)
        sooner(&next, def->deadline(ui, now));
    int64_t gesture_at = INT64_MAX;
    if (!staff_gesture_due(ui, now, &gesture_at) && ui->touch.down && gesture_at > now)
        sooner(&next, gesture_at);
    if (!ui->env.config->display_schedule.always) {
        /* Opening hours change on whole minutes; a wake-up ends on its own time. */
        sooner(&next, (now / 60000 + 1) * 60000);
        if (ui->woken_until_ms > now)
            sooner(&next, ui->woken_until_ms);
    }
    return next;
}
