/*
 * bk_tap_shim.so: an LD_PRELOAD shim that lets tests/e2e/faults.sh tap the
 * real buurtkiosk running its real event loop (`run --headless`, no
 * script, the network thread at work) and see how soon a frame answers.
 *
 * With BK_TAP_FIFO=PATH, BK_TAP_LOG_FD=N and BK_TAP_SIZE="W H" (the panel
 * in pixels) set, a thread started when the kiosk loads reads lines
 * "tap X Y" from the FIFO and, for each, queues a finger down at X,Y,
 * 80 ms later a finger up (the way a script's tap does), writing
 * "U <CLOCK_MONOTONIC ns>" to fd N just before the up. SDL_RenderPresent
 * is interposed: after the real one, "P <ns>" goes to fd N. The first P
 * after a U is the tap's answer on screen.
 *
 * The kiosk's loop sleeps in poll() (run.c's waker); SDL_PushEvent from
 * another thread does not wake it, so each queued event is followed by
 * SIGUSR1 to the main thread, whose handler does nothing: poll() returns
 * EINTR and the loop reads the event, as a real touch's input fd would
 * wake it. The network threads block every signal (sync.c), so only the
 * main thread sees it.
 *
 * No state outside a call and the thread's own argument (no mutable
 * globals): SDL's functions are looked up when used, the fd and the size
 * come from the environment.
 */
#define _GNU_SOURCE /* RTLD_NEXT, RTLD_DEFAULT */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#define HOLD_MS 80

struct injector {
    pthread_t main;
    char fifo[4096];
    int log_fd;
    float width, height;
};

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int fd_from_env(const char *name)
{
    const char *text = getenv(name);
    if (!text || !*text)
        return -1;
    char *end;
    long fd = strtol(text, &end, 10);
    return *end == '\0' && fd >= 0 && fd < 65536 ? (int)fd : -1;
}

/* Only there to interrupt the event loop's poll(). */
static void on_wake(int sig)
{
    (void)sig;
}

static void push_finger(const struct injector *in, Uint32 type, int x, int y)
{
    void *sym = dlsym(RTLD_DEFAULT, "SDL_PushEvent");
    if (!sym)
        return;
    /* ISO C has no object-to-function pointer conversion; POSIX
     * guarantees the representation, so copy the bits. */
    int (*push)(SDL_Event *);
    memcpy(&push, &sym, sizeof push);
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = 1;
    ev.tfinger.x = (float)x / in->width;
    ev.tfinger.y = (float)y / in->height;
    ev.tfinger.pressure = 1.0f;
    push(&ev);
    pthread_kill(in->main, SIGUSR1);
}

static void *inject(void *arg)
{
    struct injector *in = arg;
    FILE *f = fopen(in->fifo, "r"); /* blocks until the test opens it */
    char line[128];
    while (f && fgets(line, sizeof line, f)) {
        int x, y;
        if (sscanf(line, "tap %d %d", &x, &y) != 2)
            continue;
        push_finger(in, SDL_FINGERDOWN, x, y);
        struct timespec hold = {0, HOLD_MS * 1000000L};
        nanosleep(&hold, NULL);
        dprintf(in->log_fd, "U %lld\n", now_ns());
        push_finger(in, SDL_FINGERUP, x, y);
    }
    if (f)
        fclose(f);
    free(in);
    return NULL;
}

__attribute__((constructor)) static void tap_shim_start(void)
{
    const char *fifo = getenv("BK_TAP_FIFO");
    const char *size = getenv("BK_TAP_SIZE");
    int log_fd = fd_from_env("BK_TAP_LOG_FD");
    int w = 0, h = 0;
    if (!fifo || !size || log_fd < 0 || sscanf(size, "%d %d", &w, &h) != 2 || w <= 0 || h <= 0)
        return;
    struct injector *in = calloc(1, sizeof *in);
    if (!in)
        return;
    in->main = pthread_self();
    snprintf(in->fifo, sizeof in->fifo, "%s", fifo);
    in->log_fd = log_fd;
    in->width = (float)w;
    in->height = (float)h;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_wake;
    sa.sa_flags = SA_RESTART; /* other calls go on; poll() returns EINTR anyway */
    sigaction(SIGUSR1, &sa, NULL);
    /* The injector itself must not take the wake-up signal. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_t t;
    if (pthread_create(&t, NULL, inject, in) == 0)
        pthread_detach(t);
    else
        free(in);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void SDL_RenderPresent(SDL_Renderer *renderer)
{
    void *sym = dlsym(RTLD_NEXT, "SDL_RenderPresent");
    if (sym) {
        void (*real)(SDL_Renderer *);
        memcpy(&real, &sym, sizeof real);
        real(renderer);
    }
    int fd = fd_from_env("BK_TAP_LOG_FD");
    if (fd >= 0)
        dprintf(fd, "P %lld\n", now_ns());
}
