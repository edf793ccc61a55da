/*
 * bk_frame_probe.so: an LD_PRELOAD shim that lets bench_ui see the real
 * buurtkiosk binary present frames, without changing the kiosk.
 *
 * It interposes SDL_RenderPresent (which ui_window_present calls once per
 * drawn frame, headless or not): the real function runs first, then
 *   - with BK_PROBE_FD=N set, one line "P <CLOCK_MONOTONIC ns> <process
 *     CPU ns> <thread CPU ns>\n" goes to fd N (a pipe bench_ui reads:
 *     first-frame time and the CPU it took, frame count);
 *   - with BK_PROBE_ACK_FD=M also set, the call then blocks reading one
 *     byte from fd M, so that bench_ui can sample the paused process
 *     (its PSS right after each screen was drawn) before letting it go on.
 * Without those variables it only forwards the call.
 *
 * With BK_PROBE_LOOP=1 as well (soak.py), two more kinds of line go to
 * the same fd, so that a tap which draws nothing need not be waited out:
 *   "E <ns> <tid>"  SDL_PollEvent handed a finger lift to thread tid;
 *   "W <ns> <tid>"  thread tid is about to block in poll().
 * The kiosk's loop drains its events, draws (a P line) when anything
 * changed, then blocks in poll() (src/app/run.c, waker_wait): an E then a
 * W from the same thread, with no P between, is a lift that drew nothing.
 *
 * No state is kept between calls (no mutable globals): the real symbol is
 * looked up each time (about a microsecond, against milliseconds per
 * frame), and the descriptors come from the environment.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

static int fd_from_env(const char *name)
{
    const char *text = getenv(name);
    if (!text || !*text)
        return -1;
    char *end;
    long fd = strtol(text, &end, 10);
    return *end == '\0' && fd >= 0 && fd < 65536 ? (int)fd : -1;
}

/* The real function behind an interposed one. ISO C has no
 * object-to-function pointer conversion; POSIX guarantees the
 * representation, so the bits are copied. */
#define REAL_SYMBOL(var, name)                        \
    do {                                              \
        void *sym_ = dlsym(RTLD_NEXT, name);          \
        var = NULL;                                   \
        if (sym_)                                     \
            memcpy(&var, &sym_, sizeof var);          \
    } while (0)

/* One "E" or "W" line (see the top), when BK_PROBE_LOOP asks for them. */
static void loop_line(char kind)
{
    const char *loop = getenv("BK_PROBE_LOOP");
    int fd = fd_from_env("BK_PROBE_FD");
    if (fd < 0 || !loop || strcmp(loop, "1") != 0)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char line[64];
    int n = snprintf(line, sizeof line, "%c %lld %ld\n", kind,
                     (long long)ts.tv_sec * 1000000000LL + (long long)ts.tv_nsec,
                     (long)syscall(SYS_gettid));
    while (write(fd, line, (size_t)n) < 0 && errno == EINTR)
        ;
}

int SDL_PollEvent(SDL_Event *event)
{
    int (*real)(SDL_Event *);
    REAL_SYMBOL(real, "SDL_PollEvent");
    int got = real ? real(event) : 0;
    if (got && event && event->type == SDL_FINGERUP)
        loop_line('E');
    return got;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    int (*real)(struct pollfd *, nfds_t, int);
    REAL_SYMBOL(real, "poll");
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    if (timeout != 0)
        loop_line('W');
    return real(fds, nfds, timeout);
}

void SDL_RenderPresent(SDL_Renderer *renderer)
{
    void (*real)(SDL_Renderer *);
    REAL_SYMBOL(real, "SDL_RenderPresent");
    if (real)
        real(renderer);

    int fd = fd_from_env("BK_PROBE_FD");
    if (fd < 0)
        return;
    struct timespec ts, cpu, thread;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &thread);
    char line[96];
    int n = snprintf(line, sizeof line, "P %lld %lld %lld\n",
                     (long long)ts.tv_sec * 1000000000LL + (long long)ts.tv_nsec,
                     (long long)cpu.tv_sec * 1000000000LL + (long long)cpu.tv_nsec,
                     (long long)thread.tv_sec * 1000000000LL + (long long)thread.tv_nsec);
    /* One write of less than PIPE_BUF bytes: atomic, never interleaved. */
    while (write(fd, line, (size_t)n) < 0 && errno == EINTR)
        ;
    int ack = fd_from_env("BK_PROBE_ACK_FD");
    if (ack >= 0) {
        char c;
        while (read(ack, &c, 1) < 0 && errno == EINTR)
            ;
    }
}
