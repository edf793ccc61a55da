/*
 * Quitting only by signal (sdl/stop.h), under SDL's dummy video driver
 * with its real event queue: SDL_QUIT, a window close and the key chords
 * that close desktop windows are pushed and read back as the main loop
 * reads them, and none of them stops it; SIGTERM and SIGINT, sent to the
 * process, come back as the stop event carrying the signal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "sdl/stop.h"

struct key_row {
    SDL_Keycode key;
    Uint16 mod;
    enum stop_event_kind want;
};

static const struct key_row key_rows[] = {
    {SDLK_F4, KMOD_LALT, STOP_EVENT_IGNORED},
    {SDLK_F4, KMOD_RALT, STOP_EVENT_IGNORED},
    {SDLK_q, KMOD_LCTRL, STOP_EVENT_IGNORED},
    {SDLK_q, KMOD_RCTRL | KMOD_SHIFT, STOP_EVENT_IGNORED},
    {SDLK_w, KMOD_LCTRL, STOP_EVENT_IGNORED},
    /* ordinary typing still reaches the screens */
    {SDLK_q, KMOD_NONE, STOP_EVENT_OTHER},
    {SDLK_F4, KMOD_NONE, STOP_EVENT_OTHER},
    {SDLK_a, KMOD_LCTRL, STOP_EVENT_OTHER},
};

static int setup(void **state)
{
    (void)state;
    SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
    stop_set_sdl_hints();
    if (!stop_block_signals())
        return -1;
    return SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    SDL_Quit();
    return 0;
}

/* Pushes ev into SDL's queue and reads it back as the loop would. */
static enum stop_event_kind through_queue(SDL_Event ev, Uint32 stop_event)
{
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    assert_int_equal(SDL_PushEvent(&ev), 1);
    SDL_Event got;
    assert_int_equal(SDL_PollEvent(&got), 1);
    assert_int_equal(got.type, ev.type);
    return stop_classify(&got, stop_event);
}

static void test_close_requests_ignored(void **state)
{
    (void)state;
    Uint32 stop_event = SDL_RegisterEvents(1);
    assert_string_equal(SDL_GetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE), "0");
    assert_string_equal(SDL_GetHint(SDL_HINT_NO_SIGNAL_HANDLERS), "1");
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = SDL_QUIT;
    assert_int_equal(through_queue(ev, stop_event), STOP_EVENT_IGNORED);
    SDL_zero(ev);
    ev.type = SDL_WINDOWEVENT;
    ev.window.event = SDL_WINDOWEVENT_CLOSE;
    assert_int_equal(through_queue(ev, stop_event), STOP_EVENT_IGNORED);
    for (size_t i = 0; i < sizeof key_rows / sizeof *key_rows; i++) {
        for (int up = 0; up < 2; up++) {
            SDL_zero(ev);
            ev.type = up ? SDL_KEYUP : SDL_KEYDOWN;
            ev.key.keysym.sym = key_rows[i].key;
            ev.key.keysym.mod = key_rows[i].mod;
            if (through_queue(ev, stop_event) != key_rows[i].want)
                fail_msg("key row %zu (%s)", i, up ? "up" : "down");
        }
    }
    SDL_zero(ev);
    ev.type = SDL_FINGERDOWN;
    assert_int_equal(through_queue(ev, stop_event), STOP_EVENT_OTHER);
}

static void count_wake(void *ctx)
{
    atomic_fetch_add((atomic_int *)ctx, 1);
}

/* A signal to the whole process reaches the stopper's thread (the others
 * block it) and comes back as the stop event. */
static void expect_stop_on(int sig)
{
    Uint32 stop_event = SDL_RegisterEvents(1);
    atomic_int woken = 0;
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    struct stopper *s = stopper_start(stop_event, count_wake, &woken);
    assert_non_null(s);
    SDL_Event quit;
    SDL_zero(quit);
    quit.type = SDL_QUIT;
    SDL_PushEvent(&quit);
    assert_int_equal(kill(getpid(), sig), 0);
    SDL_Event ev;
    bool stopped = false;
    for (int i = 0; i < 200 && !stopped; i++) {
        while (SDL_PollEvent(&ev)) {
            if (stop_classify(&ev, stop_event) == STOP_EVENT_STOP) {
                assert_int_equal(ev.user.code, sig);
                stopped = true;
            }
        }
        if (!stopped)
            SDL_Delay(10);
    }
    assert_true(stopped);
    assert_int_equal(atomic_load(&woken), 1);
    stopper_stop(s);
}

static void test_signals_stop(void **state)
{
    (void)state;
    expect_stop_on(SIGTERM);
    expect_stop_on(SIGINT);
    /* A stopper that never saw a signal ends on stopper_stop. */
    struct stopper *s = stopper_start(SDL_RegisterEvents(1), NULL, NULL);
    assert_non_null(s);
    stopper_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_close_requests_ignored),
        cmocka_unit_test(test_signals_stop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
