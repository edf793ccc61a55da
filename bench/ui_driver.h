/*
 * Driving the real ui in process as a finger would, for the benchmarks
 * that time a sign-up (bench_signup, bench_ask): taps by widget id, keys
 * typed one by one, the clock stepped in frames.
 */
#ifndef BK_BENCH_UI_DRIVER_H
#define BK_BENCH_UI_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "screens/ui.h"

struct ui_driver {
    struct ui *ui;
    struct clock *clock;   /* a manual clock the driver moves */
    char err[200];         /* what was missing when a step failed */
};

/* Moves the clock ms on in frames of at most 16 ms, ticking the ui. */
void ui_driver_advance(struct ui_driver *d, int64_t ms);
/* The visible, enabled widget id, or NULL with the reason in d->err. */
const struct widget *ui_driver_find(struct ui_driver *d, const char *id);
/* A tap in the middle of widget id's visible part. */
bool ui_driver_tap(struct ui_driver *d, const char *id);
/* Types text (lower-case letters, digits and spaces) key by key. */
bool ui_driver_type(struct ui_driver *d, const char *text);
/* A tap on attract, away from its buttons: the way home. */
void ui_driver_wake(struct ui_driver *d);

#endif
