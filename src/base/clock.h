/*
 * The one clock everything reads. Real time by default; --now fixes its
 * starting point (the clock then runs on from there), and script mode
 * makes it manual: it moves only when a step advances it.
 */
#ifndef BK_CLOCK_H
#define BK_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct clock {
    bool manual;          /* moves only through clock_advance_ms */
    int64_t manual_ms;    /* the manual clock's reading */
    int64_t offset_ms;    /* added to real time when not manual */
};

/* A clock on real time. */
void clock_init_real(struct clock *c);
/* A clock that reads start_s now and runs on in real time. */
void clock_init_from(struct clock *c, int64_t start_s);
/* A clock that reads start_s and moves only by clock_advance_ms. */
void clock_init_manual(struct clock *c, int64_t start_s);

int64_t clock_now_ms(const struct clock *c);
int64_t clock_now_s(const struct clock *c);
void clock_advance_ms(struct clock *c, int64_t ms);

/* Monotonic milliseconds for measuring intervals and deadlines that must
 * not jump when the wall clock is set (NTP after boot). */
int64_t clock_monotonic_ms(void);

#endif
