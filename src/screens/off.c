/*
 * off: outside opening hours (display.schedule) or after staff's "screen
 * off": black, one widget to wake it for a while, nothing else.
 */
#include <string.h>

#include "screens/screens.h"

/* A touch on the dark screen wakes it this long. */
#define WAKE_MS (5 * 60 * 1000)

static void build(struct build *b)
{
    b->c.f->background = (struct rgba){0, 0, 0, 255};
    frame_add_widget(b->c.f, "off", ROLE_SCREEN, "", canvas_screen(&b->c));
}

static bool activate(struct ui *ui, const struct widget *w)
{
    if (strcmp(w->id, "off") != 0)
        return false;
    ui->staff.forced_dark = false;
    ui->woken_until_ms = clock_now_ms(ui->env.clock) + WAKE_MS;
    ui_go(ui, SCREEN_ATTRACT, false);
    return true;
}

const struct screen_def screen_off = {
    .name = "off",
    .content = 0,
    .idle = IDLE_NONE,
    .build = build,
    .activate = activate,
};
