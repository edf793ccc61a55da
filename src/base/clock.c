#include "base/clock.h"

#include <time.h>

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_init_real(struct clock *c)
{
    c->manual = false;
    c->manual_ms = 0;
    c->offset_ms = 0;
}

void clock_init_from(struct clock *c, int64_t start_s)
{
    c->manual = false;
    c->manual_ms = 0;
    c->offset_ms = start_s * 1000 - real_ms();
}

void clock_init_manual(struct clock *c, int64_t start_s)
{
    c->manual = true;
    c->manual_ms = start_s * 1000;
    c->offset_ms = 0;
}

int64_t clock_now_ms(const struct clock *c)
{
    return c->manual ? c->manual_ms : real_ms() + c->offset_ms;
}

int64_t clock_now_s(const struct clock *c)
{
    int64_t ms = clock_now_ms(c);
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

void clock_advance_ms(struct clock *c, int64_t ms)
{
    if (c->manual)
        c->manual_ms += ms;
    else
        c->offset_ms += ms;
}
