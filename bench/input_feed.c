/*
 * bk_input_feed.so: an LD_PRELOAD shim that lets a test put a finger and
 * a keyboard on the real buurtkiosk binary's event loop (`run --headless`),
 * without changing the kiosk. The soak test (bench/soak.py) and the
 * lock-down test (tests/e2e/lockdown.sh) drive the kiosk through it.
 *
 * With BK_INPUT_FD=N set, a thread started when the library is loaded
 * reads lines from fd N and turns each into SDL events, pushed with
 * SDL_PushEvent (safe from any thread):
 *   D X Y     finger down at frame pixel X,Y
 *   M X Y     the finger moves to X,Y
 *   U X Y     the finger lifts at X,Y
 *   K SYM MOD a key pressed and released (SDL keycode and modifier bits,
 *             decimal), as a keyboard on the kiosk would send them
 *   Q         SDL_QUIT, as a window manager's "close" sends it
 *   C         SDL_WINDOWEVENT_CLOSE
 *   S         a memory report on stderr, one line (see memory_report):
 *             the soak samples it beside VmRSS to tell a leak (bytes in
 *             use grow) from fragmentation (free bytes the heap keeps grow)
 *             and from SQLite's own memory
 *   T         malloc_trim(0), then the same report: what RSS the heap
 *             could hand back (a measurement, the kiosk does not do it)
 * BK_INPUT_SIZE=WxH gives the panel size the kiosk was started with, to
 * turn pixels into SDL's normalised finger positions.
 *
 * The kiosk's loop sleeps in poll() on its own eventfd when the video
 * driver cannot wait (headless): an event pushed from here must wake it.
 * So eventfd() is interposed too: the first eventfd the process makes
 * (the loop's waker, src/app/run.c) is duplicated onto BK_INPUT_WAKE_FD,
 * and this thread writes to it after each push. The kernel holds that
 * number: no state is kept in the library (no mutable globals).
 */
#define _GNU_SOURCE /* RTLD_NEXT, RTLD_DEFAULT, dup3, mallinfo2 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <malloc.h>
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

int eventfd(unsigned int initval, int flags)
{
    int (*real)(unsigned int, int) = NULL;
    void *sym = dlsym(RTLD_NEXT, "eventfd");
    /* ISO C has no object-to-function pointer conversion; POSIX
     * guarantees the representation, so copy the bits. */
    if (sym)
        memcpy(&real, &sym, sizeof real);
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    int fd = real(initval, flags);
    int wake = fd_from_env("BK_INPUT_WAKE_FD");
    /* Only the first: a number already in use is a later eventfd. */
    if (fd >= 0 && wake >= 0 && fcntl(wake, F_GETFD) < 0 && errno == EBADF)
        dup3(fd, wake, O_CLOEXEC);
    return fd;
}

static void push_finger(Uint32 type, float nx, float ny)
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = type;
    ev.tfinger.timestamp = SDL_GetTicks();
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = 1;
    ev.tfinger.x = nx;
    ev.tfinger.y = ny;
    ev.tfinger.pressure = type == SDL_FINGERUP ? 0.0f : 1.0f;
    SDL_PushEvent(&ev);
}

static void push_key(SDL_Keycode sym, Uint16 mod)
{
    for (int i = 0; i < 2; i++) {
        SDL_Event ev;
        SDL_zero(ev);
        ev.type = i == 0 ? SDL_KEYDOWN : SDL_KEYUP;
        ev.key.timestamp = SDL_GetTicks();
        ev.key.state = i == 0 ? SDL_PRESSED : SDL_RELEASED;
        ev.key.keysym.sym = sym;
        ev.key.keysym.scancode = SDL_GetScancodeFromKey(sym);
        ev.key.keysym.mod = mod;
        SDL_PushEvent(&ev);
    }
}

static void push_simple(Uint32 type, Uint8 window_event)
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = type;
    if (type == SDL_WINDOWEVENT)
        ev.window.event = window_event;
    SDL_PushEvent(&ev);
}

/* SQLite's process-wide counters, found at run time: the shim links no
 * SQLite of its own (the lock-down test preloads it too). -1: not there. */
static long long sqlite_status(int op)
{
    int (*status64)(int, long long *, long long *, int) = NULL;
    void *sym = dlsym(RTLD_DEFAULT, "sqlite3_status64");
    if (sym)
        memcpy(&status64, &sym, sizeof status64);
    long long cur = -1, hi = -1;
    if (!status64 || status64(op, &cur, &hi, 0) != 0)
        return -1;
    return cur;
}

/* One line on stderr, all figures in KiB:
 *   bk_input_feed: mem used=U free=F mmap=M arena=A top=K sqlite=Q sqlite_pcache=P
 * used: bytes malloc handed out and not freed (heap and mmapped blocks,
 * every arena); free: bytes the heaps hold free (fragmentation when it
 * grows); mmap: the mmapped blocks among used; arena: the heaps' size;
 * top: the free top of the main heap that a trim would give back; sqlite:
 * SQLite's memory in use (0 when it uses the system allocator without
 * counting); sqlite_pcache: its page-cache overflow bytes. */
static void memory_report(bool trim)
{
    /* How long the trim holds the heap: the kiosk trims after each feed
     * pass (src/net/sync.c) while the screen thread may want to allocate. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (trim)
        malloc_trim(0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct mallinfo2 mi = mallinfo2();
    long long q = sqlite_status(0 /* SQLITE_STATUS_MEMORY_USED */);
    long long pc = sqlite_status(2 /* SQLITE_STATUS_PAGECACHE_OVERFLOW */);
    fprintf(stderr,
            "bk_input_feed: mem%s used=%zu free=%zu mmap=%zu arena=%zu top=%zu sqlite=%lld "
            "sqlite_pcache=%lld trim_us=%lld\n",
            trim ? " trimmed" : "", (mi.uordblks + mi.hblkhd) / 1024, mi.fordblks / 1024,
            mi.hblkhd / 1024, mi.arena / 1024, mi.keepcost / 1024, q < 0 ? q : q / 1024,
            pc < 0 ? pc : pc / 1024,
            (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
}

/* One line: true when it was understood. */
static bool handle_line(const char *line, int w, int h)
{
    char op;
    long a = 0, b = 0;
    int n = sscanf(line, " %c %ld %ld", &op, &a, &b);
    if (n < 1)
        return false;
    float nx = ((float)a + 0.5f) / (float)w;
    float ny = ((float)b + 0.5f) / (float)h;
    switch (op) {
    case 'D':
        push_finger(SDL_FINGERDOWN, nx, ny);
        return n == 3;
    case 'M':
        push_finger(SDL_FINGERMOTION, nx, ny);
        return n == 3;
    case 'U':
        push_finger(SDL_FINGERUP, nx, ny);
        return n == 3;
    case 'K':
        push_key((SDL_Keycode)a, (Uint16)b);
        return n == 3;
    case 'Q':
        push_simple(SDL_QUIT, 0);
        return true;
    case 'C':
        push_simple(SDL_WINDOWEVENT, SDL_WINDOWEVENT_CLOSE);
        return true;
    case 'S':
    case 'T':
        memory_report(op == 'T');
        return true;
    default:
        return false;
    }
}

static void *feeder(void *arg)
{
    (void)arg;
    int in = fd_from_env("BK_INPUT_FD");
    int w = 1280, h = 800;
    const char *size = getenv("BK_INPUT_SIZE");
    if (size && (sscanf(size, "%dx%d", &w, &h) != 2 || w <= 0 || h <= 0)) {
        w = 1280;
        h = 800;
    }
    FILE *f = fdopen(in, "r");
    if (!f)
        return NULL;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        if (!handle_line(line, w, h)) {
            fprintf(stderr, "bk_input_feed: cannot read the line %s", line);
            continue;
        }
        int wake = fd_from_env("BK_INPUT_WAKE_FD");
        uint64_t one = 1;
        if (wake >= 0 && write(wake, &one, sizeof one) < 0 && errno != EAGAIN)
            fprintf(stderr, "bk_input_feed: cannot wake the loop: %s\n", strerror(errno));
    }
    fclose(f);
    return NULL;
}

__attribute__((constructor)) static void start_feeder(void)
{
    if (fd_from_env("BK_INPUT_FD") < 0)
        return;
    /* The kiosk leaves SIGTERM to its own thread (src/sdl/stop.h); one
     * delivered here would kill it without its clean stop, so this
     * thread takes no signals at all. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, feeder, NULL) != 0)
        fprintf(stderr, "bk_input_feed: cannot start its thread\n");
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}
