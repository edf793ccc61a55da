/*
 * Touch: taps, drags that scroll the screen's list, and flings. A tap
 * goes to the widget under it: first the current screen's own, then the
 * ones every screen shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screens.h"

/* A finger that moves less than this is still tapping. */
#define TAP_SLOP_UNITS 2
/* A press longer than this is a hold, not a tap. */
#define TAP_MAX_MS 1000

/* Acts on a tapped widget, by its id. */
static void activate(struct ui *ui, const struct widget *w)
{
    if (ui->idle_warning) {
        /* Any tap dismisses the warning; it does nothing else. */
        ui->idle_warning = false;
        ui->dirty = true;
        return;
    }
    const struct screen_def *def = screen_def(ui->screen);
    if (!(def->activate && def->activate(ui, w)))
        ui_activate_common(ui, w);
}

/* Whatever can be read under a point: a text or a picture, for a tap
 * that hits no target (last drawn first, as frame_hit). */
static const struct widget *readable_at(const struct frame *f, int x, int y)
{
    for (size_t i = f->n_widgets; i-- > 0;) {
        const struct widget *w = &f->widgets[i];
        if (w->visible && (w->role == ROLE_TEXT || w->role == ROLE_IMAGE) &&
            rect_contains(w->clip, x, y))
            return w;
    }
    return NULL;
}

/* A tap while read-aloud is on, as on accessible terminals: the first tap
 * on a target says it and marks it, a second tap on the marked target
 * activates it (and it stays marked, so that a third acts again: the
 * volume steps on). A tap on a text says the text. */
static void speech_tap(struct ui *ui, const struct frame *f, const struct widget *w)
{
    if (!w) {
        const struct widget *r = readable_at(f, ui->touch.x0, ui->touch.y0);
        if (r) {
            ui_speech_stop(ui);
            ui_speech_widget(ui, r);
        }
        return;
    }
    if (!w->id[0] || strcmp(w->id, ui->speech.marked) != 0) {
        snprintf(ui->speech.marked, sizeof ui->speech.marked, "%s", w->id);
        ui_speech_stop(ui);
        ui_speech_widget(ui, w);
        ui->dirty = true;
        return;
    }
    char id[sizeof ui->speech.marked];
    snprintf(id, sizeof id, "%s", w->id);
    enum screen before = ui->screen;
    ui_speech_stop(ui);
    activate(ui, w);
    /* On the same screen the resident hears what the tap changed (the
     * volume's new step); a new screen speaks itself. */
    if (ui->speech.on && ui->screen == before && !ui->speech.screen_pending) {
        const struct widget *now = frame_find_id(ui_frame(ui), id);
        if (now)
            ui_speech_widget(ui, now);
    }
}

static void note_input(struct ui *ui)
{
    ui->last_input_ms = clock_now_ms(ui->env.clock);
    if (ui->idle_warning) {
        ui->idle_warning = false;
        ui->dirty = true;
    }
}

static int slop(const struct ui *ui)
{
    return TAP_SLOP_UNITS * ui->theme.unit;
}

void ui_touch_down(struct ui *ui, int x, int y)
{
    /* Where the lists are depends on the current layout: bring it up to
     * date first (a screen just changed has not been laid out yet). */
    ui_frame(ui);
    bool was_warning = ui->idle_warning;
    note_input(ui);
    struct touch *t = &ui->touch;
    memset(t, 0, sizeof *t);
    t->down = true;
    t->x0 = t->x = x;
    t->y0 = t->y = y;
    t->down_ms = clock_now_ms(ui->env.clock);
    t->sample_ms = t->down_ms;
    t->sample_y = y;
    /* A finger on a moving list stops it, as on any phone. */
    ui->list.velocity = 0;
    if (!was_warning && !rect_empty(ui->list.viewport) && rect_contains(ui->list.viewport, x, y) &&
        ui->list.content_h > ui->list.viewport.h) {
        t->target = &ui->list;
        t->scroll0 = ui->list.offset;
    }
    if (was_warning)
        t->down = false; /* this touch only dismissed the warning */
    /* The staff touch test shows where every touch lands. */
    if (ui->screen == SCREEN_STAFF && ui->staff.touch_test) {
        ui->staff.has_probe = true;
        ui->staff.probe_x = x;
        ui->staff.probe_y = y;
        ui->dirty = true;
    }
}

void ui_touch_move(struct ui *ui, int x, int y)
{
    struct touch *t = &ui->touch;
    if (!t->down)
        return;
    note_input(ui);
    t->x = x;
    t->y = y;
    if (!t->dragging && (abs(x - t->x0) > slop(ui) || abs(y - t->y0) > slop(ui))) {
        t->dragging = true;
        /* A swipe stops speech (and scrolls, as always). */
        if (ui->speech.on)
            ui_speech_stop(ui);
    }
    if (t->dragging && t->target) {
        t->target->offset = t->scroll0 - (y - t->y0);
        scroller_clamp(t->target);
        int64_t now = clock_now_ms(ui->env.clock);
        /* Only real movement counts for the fling: a finger resting before
         * it lifts must not throw the list. */
        if (now > t->sample_ms && y != t->sample_y) {
            double v = (double)(t->sample_y - y) / (double)(now - t->sample_ms);
            /* Smooth over the last moves so one jittery sample does not fling. */
            t->velocity = t->velocity * 0.3 + v * 0.7;
            t->sample_ms = now;
            t->sample_y = y;
        }
        ui->dirty = true;
    }
}

void ui_touch_up(struct ui *ui, int x, int y)
{
    struct touch *t = &ui->touch;
    if (!t->down)
        return;
    if (x != t->x || y != t->y)
        ui_touch_move(ui, x, y);
    note_input(ui);
    t->down = false;
    if (t->consumed)
        return;
    int64_t now = clock_now_ms(ui->env.clock);
    if (t->dragging) {
        /* A finger that stopped before lifting does not fling. */
        if (t->target && now - t->sample_ms < 50) {
            t->target->velocity = t->velocity;
            t->target->last_step_ms = now;
        }
        return;
    }
    if (now - t->down_ms > TAP_MAX_MS)
        return;
    const struct frame *f = ui_frame(ui);
    const struct widget *w = frame_hit(f, t->x0, t->y0);
    if (ui->speech.on && !ui->idle_warning) {
        speech_tap(ui, f, w);
        return;
    }
    if (w)
        activate(ui, w);
}

