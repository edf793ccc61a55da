#include "sdl/stop.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

struct stopper {
    pthread_t thread;
    Uint32 event;
    void (*wake)(void *ctx);
    void *ctx;
};

void stop_set_sdl_hints(void)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
}

static void stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
}

bool stop_block_signals(void)
{
    sigset_t set;
    stop_signals(&set);
    return pthread_sigmask(SIG_BLOCK, &set, NULL) == 0;
}

enum stop_event_kind stop_classify(const SDL_Event *ev, Uint32 stop_event)
{
    if (ev->type == stop_event)
        return STOP_EVENT_STOP;
    if (ev->type == SDL_QUIT)
        return STOP_EVENT_IGNORED;
    if (ev->type == SDL_WINDOWEVENT && ev->window.event == SDL_WINDOWEVENT_CLOSE)
        return STOP_EVENT_IGNORED;
    if (ev->type == SDL_KEYDOWN || ev->type == SDL_KEYUP) {
        SDL_Keycode k = ev->key.keysym.sym;
        Uint16 mod = ev->key.keysym.mod;
        if (((mod & KMOD_ALT) && k == SDLK_F4) ||
            ((mod & KMOD_CTRL) && (k == SDLK_q || k == SDLK_w)))
            return STOP_EVENT_IGNORED;
    }
    return STOP_EVENT_OTHER;
}

static void *stopper_main(void *arg)
{
    struct stopper *s = arg;
    sigset_t set;
    stop_signals(&set);
    int sig = 0;
    if (sigwait(&set, &sig) == 0) {
        SDL_Event ev;
        SDL_zero(ev);
        ev.type = s->event;
        ev.user.code = sig;
        SDL_PushEvent(&ev);
        if (s->wake)
            s->wake(s->ctx);
    }
    return NULL;
}

struct stopper *stopper_start(Uint32 stop_event, void (*wake)(void *ctx), void *ctx)
{
    struct stopper *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->event = stop_event;
    s->wake = wake;
    s->ctx = ctx;
    if (pthread_create(&s->thread, NULL, stopper_main, s) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

void stopper_stop(struct stopper *s)
{
    if (!s)
        return;
    /* To this thread alone: if it still waits, sigwait takes it; if it
     * has already taken a signal and returned, this does nothing. */
    pthread_kill(s->thread, SIGTERM);
    pthread_join(s->thread, NULL);
    free(s);
}
