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
 * No state is kept between calls (no mutable globals): the real symbol is
 * looked up each time (about a microsecond, against milliseconds per
 * frame), and the descriptors come from the environment.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void SDL_RenderPresent(SDL_Renderer *renderer)
{
    void (*real)(SDL_Renderer *) = NULL;
    void *sym = dlsym(RTLD_NEXT, "SDL_RenderPresent");
    /* ISO C has no object-to-function pointer conversion; POSIX
     * guarantees the representation, so copy the bits. */
    if (sym)
        memcpy(&real, &sym, sizeof real);
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
