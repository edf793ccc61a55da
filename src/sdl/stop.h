/*
 * Quitting only by signal. A kiosk in a public room must not end because
 * a window manager asked: Alt+F4, a close button or the last window
 * closing make SDL post SDL_QUIT or SDL_WINDOWEVENT_CLOSE, and those are
 * ignored. SIGTERM (systemd stopping the unit) and SIGINT end it cleanly:
 * they are blocked in every thread and taken by one thread of their own
 * (sigwait), which posts the main loop's stop event.
 */
#ifndef BK_STOP_H
#define BK_STOP_H

#include <stdbool.h>

#include <SDL.h>

/* Before SDL_Init: no SDL signal handlers (they turn SIGINT and SIGTERM
 * into SDL_QUIT, which is ignored now), no SDL_QUIT when the last window
 * closes. */
void stop_set_sdl_hints(void);

/* Blocks SIGTERM and SIGINT in the calling thread and every thread it
 * starts afterwards: call before any thread is created. */
bool stop_block_signals(void);

enum stop_event_kind {
    STOP_EVENT_OTHER,       /* anything else: for the screens */
    STOP_EVENT_STOP,        /* the stop event: a signal came, end cleanly */
    STOP_EVENT_IGNORED,     /* a window manager's or keyboard's request to close */
};

/* What the main loop does with ev; stop_event is stop_start's type. The
 * ignored ones: SDL_QUIT, SDL_WINDOWEVENT_CLOSE, and the key chords that
 * ask a desktop to close or quit (Alt+F4, Ctrl+Q, Ctrl+W). */
enum stop_event_kind stop_classify(const SDL_Event *ev, Uint32 stop_event);

struct stopper;

/* Starts the thread that waits for SIGTERM or SIGINT (blocked with
 * stop_block_signals first) and then posts an event of type stop_event
 * (its user.code the signal) and calls wake(ctx). NULL on failure. */
struct stopper *stopper_start(Uint32 stop_event, void (*wake)(void *ctx), void *ctx);

/* Ends the thread (it takes a SIGTERM sent to it alone) and frees it. */
void stopper_stop(struct stopper *s);

#endif
