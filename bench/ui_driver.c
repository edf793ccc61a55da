#include "ui_driver.h"

#include <stdio.h>

#include "view/frame.h"

void ui_driver_advance(struct ui_driver *d, int64_t ms)
{
    int64_t end = clock_now_ms(d->clock) + ms;
    while (clock_now_ms(d->clock) < end) {
        int64_t step = end - clock_now_ms(d->clock);
        clock_advance_ms(d->clock, step > 16 ? 16 : step);
        ui_tick(d->ui);
    }
}

const struct widget *ui_driver_find(struct ui_driver *d, const char *id)
{
    const struct widget *w = frame_find_id(ui_frame(d->ui), id);
    if (!w || !w->visible || !w->enabled) {
        snprintf(d->err, sizeof d->err, "no visible widget %s on the %s screen", id,
                 screen_name(ui_screen(d->ui)));
        return NULL;
    }
    return w;
}

static void tap_at(struct ui_driver *d, int x, int y)
{
    ui_touch_down(d->ui, x, y);
    ui_driver_advance(d, 80);
    ui_touch_up(d->ui, x, y);
    ui_driver_advance(d, 16);
}

bool ui_driver_tap(struct ui_driver *d, const char *id)
{
    const struct widget *w = ui_driver_find(d, id);
    if (!w)
        return false;
    tap_at(d, w->clip.x + w->clip.w / 2, w->clip.y + w->clip.h / 2);
    return true;
}

bool ui_driver_type(struct ui_driver *d, const char *text)
{
    for (const char *p = text; *p; p++) {
        char id[32];
        if (*p == ' ')
            snprintf(id, sizeof id, "key.space");
        else
            snprintf(id, sizeof id, "key.%c", *p);
        if (!ui_driver_tap(d, id))
            return false;
    }
    return true;
}

void ui_driver_wake(struct ui_driver *d)
{
    tap_at(d, 10, 10);
}
