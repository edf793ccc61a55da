/*
 * bench_feed: the feed path's performance report.
 *
 * Measures, on a generated 10,000-activity feed (bench/feedgen.h):
 *   1. store_apply_feed into a fresh SQLite file (parse + validate + apply)
 *   2. feed_parse alone, validation only
 *   3. the "this week at this location" query
 *   4. the peak memory of one sync_pass of the feed from a file:// URL
 *   5. the CPU cost of a sync_pass answered 304 by nginx on loopback
 * and prints one aligned table. Missing a target is reported as MISSED and
 * still exits 0 (this is a report, not a test); exit status 1 means a
 * measurement could not be made at all (a broken path, not a slow one).
 *
 *   bench_feed [--quick] [--activities N] [--runs N] [--only 1,3,...]
 *              [--tmpdir DIR] [--nginx PATH] [--keep]
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/feed.h"
#include "base/log.h"
#include "model/store.h"
#include "base/timeutil.h"
#include "benchlib.h"
#include "feedgen.h"
#include "net/fetch.h"
#include "net/sync.h"

#define ZONE "Europe/Amsterdam"
/* The fixed 'now' of every measurement: the generator's base date, so
 * the occurrence window and the week queried are the same every run. */
#define NOW_TEXT "2026-11-25T09:00:00+01:00"

#define TARGET_APPLY_MS 300.0
#define TARGET_QUERY_MS 2.0
#define TARGET_MEMORY_RATIO 3.0
#define TARGET_ROUNDTRIP_CPU_MS 5.0

#define MAX_APPLY_RUNS 32
#define MAX_ROUNDTRIPS 1000
#define NGINX_DEFAULT "/usr/sbin/nginx"

struct options {
    size_t n_activities;
    int apply_runs;
    int parse_runs;
    int query_runs;
    int roundtrips;
    const char *nginx;
    const char *tmp_root;
    bool quick;
    bool keep;
    unsigned rows;      /* bit i set: measure row i (1-5); for profiling one */
};

/* ---- numbers ------------------------------------------------------------- */

static double timeval_ms(const struct timeval *tv)
{
    return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

static double elapsed_ms(clockid_t clock, const struct timespec *since)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (double)(now.tv_sec - since->tv_sec) * 1e3 +
           (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static double max_of(const double *v, size_t n)
{
    double m = v[0];
    for (size_t i = 1; i < n; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}

/* ---- files ---------------------------------------------------------------- */

static void remove_db(const char *path)
{
    char side[PATH_MAX + 8];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* A value in kB from /proc/self/status ("VmRSS", "VmHWM"), or -1. Reads
 * with plain read() into a stack buffer: stdio would malloc a buffer, and
 * this runs inside the memory measurement. */
static long status_kb(const char *field)
{
    char buf[8192];
    int fd = open("/proc/self/status", O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    size_t flen = strlen(field);
    const char *line = buf;
    while (line) {
        if (strncmp(line, field, flen) == 0 && line[flen] == ':')
            return strtol(line + flen + 1, NULL, 10);
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return -1;
}

/* ---- the benchmark's state ------------------------------------------------ */

struct bench {
    struct options opt;
    char dir[DIR_MAX];              /* our temp dir; every file goes in here */
    char feed_path[PATH_MAX];
    char db_path[PATH_MAX];         /* the database row 1 leaves for row 3 */
    char *feed;
    size_t feed_len;
    int64_t now;
    int64_t occurrences;
    bool have_db;
    struct table table;
};

/* 1. store_apply_feed into a fresh file, timed alone (store_open, which
 * creates the schema, is not part of a sync's cost once a kiosk runs). */
static void bench_apply(struct bench *b)
{
    const char *what = "1. parse+validate+apply, median";
    double ms[MAX_APPLY_RUNS], cpu[MAX_APPLY_RUNS], user[MAX_APPLY_RUNS], sys[MAX_APPLY_RUNS];
    int runs = b->opt.apply_runs;
    snprintf(b->db_path, sizeof b->db_path, "%s/apply.db", b->dir);
    for (int i = 0; i < runs; i++) {
        char err[256] = "";
        remove_db(b->db_path);
        struct store *s = store_open(b->db_path, err, sizeof err);
        if (!s) {
            add_row(&b->table, what, "", "FAILED", "store_open: %s", err);
            return;
        }
        struct feed_report report;
        struct timespec t0, c0;
        struct rusage u0, u1;
        getrusage(RUSAGE_SELF, &u0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        enum feed_result r = store_apply_feed(s, b->feed, b->feed_len, NULL, b->now, &report);
        ms[i] = elapsed_ms(CLOCK_MONOTONIC, &t0);
        cpu[i] = elapsed_ms(CLOCK_PROCESS_CPUTIME_ID, &c0);
        getrusage(RUSAGE_SELF, &u1);
        user[i] = timeval_ms(&u1.ru_utime) - timeval_ms(&u0.ru_utime);
        sys[i] = timeval_ms(&u1.ru_stime) - timeval_ms(&u0.ru_stime);
        bool ok = r == FEED_ACCEPTED && report.skipped == 0 &&
                  report.kept[FEED_ACTIVITY] == b->opt.n_activities;
        if (!ok) {
            add_row(&b->table, what, "", "FAILED", "result %d, kept %zu of %zu, skipped %zu: %s",
                    (int)r, report.kept[FEED_ACTIVITY], b->opt.n_activities, report.skipped,
                    report.n_skips ? report.skips[0].reason : report.reason);
            feed_report_clear(&report);
            store_close(s);
            return;
        }
        feed_report_clear(&report);
        struct store_status status;
        if (i == runs - 1 && store_status(s, &status))
            b->occurrences = status.occurrences;
        store_close(s);
    }
    b->have_db = true;
    double max = max_of(ms, (size_t)runs);
    double med = median(ms, (size_t)runs);
    char m[32], x[32], c[32], target[24], measure[96];
    fmt_ms(m, sizeof m, med);
    fmt_ms(x, sizeof x, max);
    fmt_ms(c, sizeof c, median(cpu, (size_t)runs));
    snprintf(target, sizeof target, "<= %.0f ms", TARGET_APPLY_MS);
    snprintf(measure, sizeof measure, "1. parse+validate+apply %zu activities, median of %d",
             b->opt.n_activities, runs);
    add_row(&b->table, measure, target, verdict(med, TARGET_APPLY_MS), "%s", m);
    snprintf(measure, sizeof measure, "1. parse+validate+apply, max of %d", runs);
    add_row(&b->table, measure, "-", "info", "%s", x);
    /* The rest of the wall time is waiting: fsync and the page cache. */
    snprintf(measure, sizeof measure, "1. parse+validate+apply, CPU time, median of %d", runs);
    add_row(&b->table, measure, "-", "info", "%s", c);
    /* Ours (user) against the kernel's (sys: writing the WAL, the
     * checkpoint, page faults): what the code changes and what the disk
     * does are told apart. */
    snprintf(measure, sizeof measure, "1. of which user / sys, median of %d", runs);
    add_row(&b->table, measure, "-", "info", "%.1f / %.1f ms", median(user, (size_t)runs),
            median(sys, (size_t)runs));
    add_row(&b->table, "occurrences stored (90-day window)", "-", "info", "%" PRId64,
            b->occurrences);
}

/* 2. feed_parse with no sink: the validation cost without SQLite. */
static void bench_parse(struct bench *b)
{
    double ms[MAX_APPLY_RUNS];
    int runs = b->opt.parse_runs;
    for (int i = 0; i < runs; i++) {
        struct feed_report report;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        enum feed_result r = feed_parse(b->feed, b->feed_len, NULL, &report);
        ms[i] = elapsed_ms(CLOCK_MONOTONIC, &t0);
        bool ok = r == FEED_ACCEPTED && report.skipped == 0;
        feed_report_clear(&report);
        if (!ok) {
            add_row(&b->table, "2. feed_parse, NULL sink", "", "FAILED",
                    "result %d, skipped %zu: %s", (int)r, report.skipped, report.reason);
            return;
        }
    }
    char m[32], measure[96];
    fmt_ms(m, sizeof m, median(ms, (size_t)runs));
    snprintf(measure, sizeof measure, "2. feed_parse only (NULL sink), median of %d", runs);
    add_row(&b->table, measure, "-", "info", "%s", m);
}

/* Counts rows and reads nothing: the query's own cost, not the screen's. */
static bool count_row(void *ctx, const struct occurrence_row *row)
{
    (*(size_t *)ctx)++;
    return true;
}

/* 3. "This week at this location" on the database row 1 left. */
static void bench_query(struct bench *b)
{
    const char *what = "3. this week at one location";
    if (!b->have_db) {
        add_row(&b->table, what, "", "FAILED", "no database (row 1 failed)");
        return;
    }
    char err[256] = "";
    struct store *s = store_open(b->db_path, err, sizeof err);
    if (!s) {
        add_row(&b->table, what, "", "FAILED", "store_open: %s", err);
        return;
    }
    /* Start of today to the start of the same local day a week on: the
     * screen's "deze week", DST-correct through civil days. */
    struct local_time lt;
    int64_t from = tz_start_of_day(b->now);
    tz_to_local(from, &lt);
    civil_add_days(&lt, 7);
    lt.hour = lt.minute = lt.second = 0;
    char location[32];
    feedgen_location_id(0, location, sizeof location);
    struct occurrence_query q = {
        .from = from,
        .until = tz_from_local(&lt),
        .location_id = location,
    };

    int runs = b->opt.query_runs;
    double *ms = malloc((size_t)runs * sizeof *ms);
    if (!ms) {
        store_close(s);
        add_row(&b->table, what, "", "FAILED", "out of memory");
        return;
    }
    size_t rows = 0, n = 0;
    /* One unmeasured pass: the first touches the file from disk. */
    bool ok = store_query_occurrences(s, &q, count_row, &rows);
    for (int i = 0; ok && i < runs; i++) {
        n = 0;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ok = store_query_occurrences(s, &q, count_row, &n);
        ms[i] = elapsed_ms(CLOCK_MONOTONIC, &t0);
        if (ok && n != rows)
            break;
    }
    store_close(s);
    if (!ok || n != rows) {
        if (!ok)
            add_row(&b->table, what, "", "FAILED", "store_query_occurrences failed");
        else
            add_row(&b->table, what, "", "FAILED", "row count changed: %zu then %zu", rows, n);
        free(ms);
        return;
    }
    double med = median(ms, (size_t)runs);
    double p99 = percentile_sorted(ms, (size_t)runs, 99.0);
    char m[32], p[32], target[24], measure[96];
    fmt_ms(m, sizeof m, med);
    fmt_ms(p, sizeof p, p99);
    snprintf(target, sizeof target, "<= %.0f ms", TARGET_QUERY_MS);
    snprintf(measure, sizeof measure, "3. this week at %s (%zu rows), median of %d", location,
             rows, runs);
    add_row(&b->table, measure, target, verdict(med, TARGET_QUERY_MS), "%s", m);
    snprintf(measure, sizeof measure, "3. this week at %s, p99 of %d", location, runs);
    add_row(&b->table, measure, "-", p99 <= TARGET_QUERY_MS ? "info" : "info (> target)", "%s",
            p);
    free(ms);
}

/* 4, in the child: open the store, take the baseline, reset the peak,
 * sync, read the peak. Writes one line to fd:
 * "baseline_kb hwm_kb clear_errno result". */
static int memory_child(const char *feed_path, const char *db_path, int fd)
{
    int64_t now;
    char err[256] = "";
    if (!fetch_global_init() || !tz_use_zone(ZONE) || !rfc3339_parse(NOW_TEXT, &now))
        return 1;
    struct store *s = store_open(db_path, err, sizeof err);
    if (!s)
        return 1;
    struct sync_settings *settings = calloc(1, sizeof *settings); /* 4 KiB: off the stack */
    if (!settings)
        return 1;
    snprintf(settings->feed_url, sizeof settings->feed_url, "file://%s", feed_path);
    settings->interval_s = 3600;

    long baseline = status_kb("VmRSS");
    /* Writing 5 resets VmHWM to the current RSS (Linux >= 4.0), so the
     * peak below is the sync's, not the start-up's. */
    int clear_errno = 0;
    errno = 0;
    int cfd = open("/proc/self/clear_refs", O_WRONLY);
    if (cfd < 0 || write(cfd, "5", 1) != 1)
        clear_errno = errno ? errno : EIO;
    if (cfd >= 0)
        close(cfd);

    struct sync_outcome out;
    sync_pass(s, settings, now, &out);
    long hwm = status_kb("VmHWM");

    dprintf(fd, "%ld %ld %d %s\n", baseline, hwm, clear_errno, sync_feed_result_name(out.feed));
    feed_report_clear(&out.report);
    store_close(s);
    free(settings);
    fetch_global_cleanup();
    return 0;
}

/* 4. Peak memory of one sync of the feed, measured in a fresh process.
 * fork + exec rather than fork alone: a forked child inherits this
 * process's heap, whose free but resident chunks (left by rows 1-3)
 * malloc would reuse without raising the RSS, hiding part of the peak. */
static void bench_memory(struct bench *b)
{
    const char *what = "4. sync peak memory";
    char db[PATH_MAX], fd_text[16];
    snprintf(db, sizeof db, "%s/memory.db", b->dir);
    remove_db(db);
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        add_row(&b->table, what, "", "FAILED", "pipe: %s", strerror(errno));
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        add_row(&b->table, what, "", "FAILED", "fork: %s", strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        return;
    }
    if (pid == 0) {
        close(pipefd[0]);
        snprintf(fd_text, sizeof fd_text, "%d", pipefd[1]);
        execl("/proc/self/exe", "bench_feed", "--memory-child", b->feed_path, db, fd_text,
              (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    char line[256] = "";
    size_t used = 0;
    ssize_t n;
    while (used < sizeof line - 1 && (n = read(pipefd[0], line + used, sizeof line - 1 - used)) > 0)
        used += (size_t)n;
    line[used] = '\0';
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);

    long baseline = -1, hwm = -1;
    int clear_errno = 0;
    char result[32] = "";
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        sscanf(line, "%ld %ld %d %31s", &baseline, &hwm, &clear_errno, result) != 4 ||
        baseline < 0 || hwm < 0) {
        add_row(&b->table, what, "", "FAILED", "the measuring child failed (status %d)", status);
        return;
    }
    if (strcmp(result, "applied") != 0) {
        add_row(&b->table, what, "", "FAILED", "the sync was '%s', not 'applied'", result);
        return;
    }
    double mib = (double)(hwm - baseline) / 1024.0;
    double ratio = (double)(hwm - baseline) * 1024.0 / (double)b->feed_len;
    char target[24];
    snprintf(target, sizeof target, "<= %.1fx feed", TARGET_MEMORY_RATIO);
    add_row(&b->table, "4. sync peak memory (VmHWM - baseline RSS)", target,
            verdict(ratio, TARGET_MEMORY_RATIO), "%.1f MiB = %.2fx feed", mib, ratio);
    if (clear_errno)
        add_row(&b->table, "4. VmHWM reset via /proc/self/clear_refs", "-", "info",
                "FAILED (%s): peak includes start-up", strerror(clear_errno));
    else
        add_row(&b->table, "4. baseline RSS (store open, before sync)", "-", "info",
                "%.1f MiB (VmHWM reset ok)", (double)baseline / 1024.0);
}

/* ---- 5. the 304 round trip ------------------------------------------------ */

/* A port that was free a moment ago on 127.0.0.1. (Racy in principle;
 * nginx failing to bind is detected and reported.) */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static bool port_answers(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* Writes the nginx config. minimal: leave out the proxy/fastcgi/uwsgi/
 * scgi temp paths, for builds without those modules (an unknown
 * directive stops nginx); with them, they keep nginx out of
 * /var/lib/nginx, which a non-root user cannot write. */
static bool write_nginx_conf(const struct bench *b, const char *ngx_dir, int port, bool minimal)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/nginx.conf", ngx_dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "daemon off;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\n",
            ngx_dir, ngx_dir);
    /* As root, workers would run as nobody, who cannot read our 0700
     * temp dir; anyone else runs them as themselves anyway. */
    if (geteuid() == 0)
        fprintf(f, "user root;\n");
    fprintf(f, "events { worker_connections 64; }\nhttp {\n");
    fprintf(f, "  log_format bench '$status $body_bytes_sent $gzip_ratio';\n"
               "  access_log %s/access.log bench;\n", ngx_dir);
    fprintf(f, "  client_body_temp_path %s/body;\n", ngx_dir);
    if (!minimal)
        fprintf(f, "  proxy_temp_path %s/proxy;\n  fastcgi_temp_path %s/fastcgi;\n"
                   "  uwsgi_temp_path %s/uwsgi;\n  scgi_temp_path %s/scgi;\n",
                ngx_dir, ngx_dir, ngx_dir, ngx_dir);
    fprintf(f, "  types { application/json json; }\n  default_type application/octet-stream;\n"
               "  gzip on;\n  gzip_types application/json;\n  gzip_min_length 256;\n"
               "  server {\n    listen 127.0.0.1:%d;\n    root %s;\n  }\n}\n",
            port, b->dir);
    return fclose(f) == 0;
}

/* Starts nginx and waits until it listens. Returns its pid, or -1. */
static pid_t start_nginx(const struct bench *b, const char *ngx_dir, int *port_out)
{
    for (int attempt = 0; attempt < 4; attempt++) {
        int port = free_port();
        bool minimal = attempt % 2 == 1;
        if (port < 0 || !write_nginx_conf(b, ngx_dir, port, minimal))
            return -1;
        char conf[PATH_MAX], errlog[PATH_MAX];
        snprintf(conf, sizeof conf, "%s/nginx.conf", ngx_dir);
        snprintf(errlog, sizeof errlog, "%s/error.log", ngx_dir);
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            /* Its start-up chatter goes to its own log, not our table. */
            int devnull = open("/dev/null", O_WRONLY);
            if (devnull >= 0) {
                dup2(devnull, STDOUT_FILENO);
                dup2(devnull, STDERR_FILENO);
            }
            execl(b->opt.nginx, "nginx", "-p", ngx_dir, "-e", errlog, "-c", conf, (char *)NULL);
            _exit(127);
        }
        /* Up to 5 s for it to listen; stop early if it died (bad config,
         * port taken). */
        for (int i = 0; i < 500; i++) {
            int status;
            if (waitpid(pid, &status, WNOHANG) == pid)
                break;
            if (port_answers(port)) {
                *port_out = port;
                return pid;
            }
            nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
        }
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    return -1;
}

static void stop_nginx(pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

/* Reads nginx's access log: the first request's status and bytes on the
 * wire, and how many 304s followed. */
static void read_access_log(const char *ngx_dir, int *first_status, long *first_bytes,
                            char *first_gzip, size_t gzip_len, int *n_304)
{
    char path[PATH_MAX], line[256];
    snprintf(path, sizeof path, "%s/access.log", ngx_dir);
    *first_status = 0;
    *first_bytes = 0;
    *n_304 = 0;
    snprintf(first_gzip, gzip_len, "-");
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    bool first = true;
    while (fgets(line, sizeof line, f)) {
        int status;
        long bytes;
        char gz[32];
        if (sscanf(line, "%d %ld %31s", &status, &bytes, gz) != 3)
            continue;
        if (first) {
            *first_status = status;
            *first_bytes = bytes;
            snprintf(first_gzip, gzip_len, "%s", gz);
            first = false;
        } else if (status == 304) {
            (*n_304)++;
        }
    }
    fclose(f);
}

struct roundtrip {
    struct sync_settings settings;
    double cpu[MAX_ROUNDTRIPS], wall[MAX_ROUNDTRIPS];
};

static void bench_roundtrip(struct bench *b)
{
    const char *what = "5. 304 round trip (sync_pass), CPU";
    char target[24];
    snprintf(target, sizeof target, "<= %.0f ms CPU", TARGET_ROUNDTRIP_CPU_MS);
    if (access(b->opt.nginx, X_OK) != 0) {
        add_row(&b->table, what, target, "skipped", "skipped (no nginx)");
        return;
    }
    char ngx_dir[DIR_MAX + 16], db[PATH_MAX], err[256] = "";
    snprintf(ngx_dir, sizeof ngx_dir, "%s/nginx", b->dir);
    if (mkdir(ngx_dir, 0700) != 0) {
        add_row(&b->table, what, target, "FAILED", "mkdir %s: %s", ngx_dir, strerror(errno));
        return;
    }
    int port = 0;
    pid_t nginx = start_nginx(b, ngx_dir, &port);
    if (nginx < 0) {
        add_row(&b->table, what, target, "FAILED", "nginx did not start (see %s/error.log)",
                ngx_dir);
        return;
    }
    snprintf(db, sizeof db, "%s/roundtrip.db", b->dir);
    remove_db(db);
    struct store *s = store_open(db, err, sizeof err);
    if (!s) {
        stop_nginx(nginx);
        add_row(&b->table, what, target, "FAILED", "store_open: %s", err);
        return;
    }
    /* Settings and samples: 20 KiB together, so on the heap. */
    struct roundtrip *rt = calloc(1, sizeof *rt);
    if (!rt) {
        store_close(s);
        stop_nginx(nginx);
        add_row(&b->table, what, target, "FAILED", "out of memory");
        return;
    }
    /* The feed sits in our temp dir, which is nginx's root. */
    const char *name = strrchr(b->feed_path, '/') + 1;
    snprintf(rt->settings.feed_url, sizeof rt->settings.feed_url, "http://127.0.0.1:%d/%s", port,
             name);
    rt->settings.interval_s = 3600;

    struct sync_outcome out;
    sync_pass(s, &rt->settings, b->now, &out);
    enum sync_feed_result first = out.feed;
    char first_reason[256];
    snprintf(first_reason, sizeof first_reason, "%s", out.reason);
    feed_report_clear(&out.report);
    char etag[256] = "";
    bool has_etag = store_get_meta(s, "feed_etag", etag, sizeof etag);

    int runs = b->opt.roundtrips, done = 0;
    char failure[320] = "";
    if (first != SYNC_APPLIED)
        snprintf(failure, sizeof failure, "first sync was '%s' (%s), not 'applied'",
                 sync_feed_result_name(first), first_reason);
    else if (!has_etag)
        snprintf(failure, sizeof failure, "nginx sent no ETag; nothing to revalidate with");
    for (; !*failure && done < runs; done++) {
        struct timespec c0, w0;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        clock_gettime(CLOCK_MONOTONIC, &w0);
        sync_pass(s, &rt->settings, b->now, &out);
        rt->cpu[done] = elapsed_ms(CLOCK_PROCESS_CPUTIME_ID, &c0);
        rt->wall[done] = elapsed_ms(CLOCK_MONOTONIC, &w0);
        if (out.feed != SYNC_UNCHANGED)
            snprintf(failure, sizeof failure, "round trip %d was '%s' (%s), not 'unchanged'",
                     done + 1, sync_feed_result_name(out.feed), out.reason);
        feed_report_clear(&out.report);
    }
    store_close(s);
    stop_nginx(nginx);
    if (*failure) {
        fprintf(stderr, "bench_feed: 304 round trip: %s\n", failure);
        add_row(&b->table, what, target, "FAILED", "%s", failure);
        free(rt);
        return;
    }

    int first_status, n_304;
    long first_bytes;
    char gzip_ratio[32];
    read_access_log(ngx_dir, &first_status, &first_bytes, gzip_ratio, sizeof gzip_ratio, &n_304);
    double med_cpu = median(rt->cpu, (size_t)runs);
    double med_wall = median(rt->wall, (size_t)runs);
    free(rt);
    if (n_304 != runs) {
        add_row(&b->table, what, target, "FAILED", "nginx logged %d 304s for %d round trips",
                n_304, runs);
        return;
    }
    char c[32], w[32], measure[96];
    fmt_ms(c, sizeof c, med_cpu);
    fmt_ms(w, sizeof w, med_wall);
    snprintf(measure, sizeof measure, "5. 304 round trip (sync_pass), CPU, median of %d", runs);
    add_row(&b->table, measure, target, verdict(med_cpu, TARGET_ROUNDTRIP_CPU_MS), "%s", c);
    snprintf(measure, sizeof measure, "5. 304 round trip, wall clock, median of %d", runs);
    add_row(&b->table, measure, "-", "info", "%s", w);
    add_row(&b->table, "5. first pull from nginx (gzip)", "-", "info",
            "HTTP %d, %ld bytes on the wire (gzip ratio %s), ETag %.40s", first_status,
            first_bytes, gzip_ratio, etag);
}

/* ---- main ------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr,
            "usage: bench_feed [--quick] [--activities N] [--runs N] [--only LIST]\n"
            "                  [--tmpdir DIR] [--nginx PATH] [--keep]\n"
            "  --quick         N=500, one run each: a smoke test of the whole path\n"
            "  --activities N  activities in the generated feed (default 10000)\n"
            "  --runs N        runs of rows 1 and 2 (default 5)\n"
            "  --only LIST     measure only these rows, e.g. 1 or 1,3 (for profiling;\n"
            "                  row 3 needs row 1's database and runs row 1 too)\n"
            "  --tmpdir DIR    where the feed and databases go (default $TMPDIR or /tmp)\n"
            "  --nginx PATH    nginx binary for row 5 (default " NGINX_DEFAULT ")\n"
            "  --keep          keep the temp dir (feed, databases, nginx logs)\n");
    return 2;
}

static bool parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){
        .n_activities = 10000,
        .apply_runs = 5,
        .parse_runs = 5,
        .query_runs = 200,
        .roundtrips = 50,
        .nginx = NGINX_DEFAULT,
        .tmp_root = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
        .rows = 0x3e,
    };
    bool explicit_n = false;
    int explicit_runs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0) {
            o->quick = true;
        } else if (strcmp(a, "--keep") == 0) {
            o->keep = true;
        } else if (strcmp(a, "--activities") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (errno || *end || n < 1 || n > 19000)
                return false;
            o->n_activities = n;
            explicit_n = true;
        } else if (strcmp(a, "--runs") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            long n = strtol(argv[++i], &end, 10);
            if (errno || *end || n < 1 || n > MAX_APPLY_RUNS)
                return false;
            explicit_runs = (int)n;
        } else if (strcmp(a, "--only") == 0 && i + 1 < argc) {
            o->rows = 0;
            for (const char *p = argv[++i]; *p; p++) {
                if (*p >= '1' && *p <= '5')
                    o->rows |= 1u << (*p - '0');
                else if (*p != ',')
                    return false;
            }
        } else if (strcmp(a, "--tmpdir") == 0 && i + 1 < argc) {
            o->tmp_root = argv[++i];
        } else if (strcmp(a, "--nginx") == 0 && i + 1 < argc) {
            o->nginx = argv[++i];
        } else {
            return false;
        }
    }
    if (o->quick) {
        if (!explicit_n)
            o->n_activities = 500;
        o->apply_runs = o->parse_runs = 1;
        o->query_runs = 20;
        o->roundtrips = 5;
    }
    if (explicit_runs)
        o->apply_runs = o->parse_runs = explicit_runs;
    if (o->rows & (1u << 3))
        o->rows |= 1u << 1;
    return o->rows != 0;
}

/* Everything after the options: generate, write, measure, report.
 * Returns the exit status. */
static int run(struct bench *b)
{
    /* Before any thread (libcurl's resolver) exists: the zone for the
     * occurrence window, a quiet log, and no proxy for loopback (a
     * developer's http_proxy would otherwise carry row 5 off the box). */
    log_set_level(LOG_WARNING);
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    if (!tz_use_zone(ZONE) || !rfc3339_parse(NOW_TEXT, &b->now)) {
        fprintf(stderr, "bench_feed: cannot use the zone %s\n", ZONE);
        return 1;
    }
    if (!fetch_global_init()) {
        fprintf(stderr, "bench_feed: libcurl does not start\n");
        return 1;
    }

    if (!make_bench_dir(b->dir, b->opt.tmp_root, "bk-bench")) {
        fprintf(stderr, "bench_feed: cannot make a temp dir in %s: %s\n", b->opt.tmp_root,
                strerror(errno));
        fetch_global_cleanup();
        return 1;
    }
    snprintf(b->feed_path, sizeof b->feed_path, "%s/feed.json", b->dir);

    struct feedgen_config cfg;
    feedgen_config_default(&cfg, b->opt.n_activities);
    b->feed = feedgen_generate(&cfg, &b->feed_len);
    if (!b->feed || !write_file(b->feed_path, b->feed, b->feed_len)) {
        fprintf(stderr, "bench_feed: cannot generate or write the feed\n");
        free(b->feed);
        remove_tree(b->dir);
        fetch_global_cleanup();
        return 1;
    }

    add_row(&b->table, "feed size", "-", "info", "%zu bytes (%.2f MiB; %zu activities)",
            b->feed_len, (double)b->feed_len / (1024.0 * 1024.0), b->opt.n_activities);
    printf("bench_feed: %zu activities, %zu locations, %zu services, %zu announcements; "
           "now = %s (%s); files in %s\n",
           cfg.n_activities, cfg.n_locations, cfg.n_services, cfg.n_announcements, NOW_TEXT, ZONE,
           b->dir);
    fflush(stdout);

    if (b->opt.rows & (1u << 1))
        bench_apply(b);
    if (b->opt.rows & (1u << 2))
        bench_parse(b);
    if (b->opt.rows & (1u << 3))
        bench_query(b);
    if (b->opt.rows & (1u << 4))
        bench_memory(b);
    if (b->opt.rows & (1u << 5))
        bench_roundtrip(b);

    printf("\n");
    print_table(&b->table, NULL);
    if (b->table.failures)
        printf("\n%d measurement(s) FAILED to run (see above); exit status 1.\n",
               b->table.failures);

    free(b->feed);
    /* A failed run keeps its files: the nginx log and the databases are
     * what explains the failure. */
    if (b->opt.keep || b->table.failures)
        printf("kept %s\n", b->dir);
    else
        remove_tree(b->dir);
    fetch_global_cleanup();
    return b->table.failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--memory-child") == 0)
        return memory_child(argv[2], argv[3], atoi(argv[4]));

    /* The table and paths are some 20 KiB: on the heap, not the stack. */
    struct bench *b = calloc(1, sizeof *b);
    if (!b)
        return 1;
    if (!parse_options(argc, argv, &b->opt)) {
        free(b);
        return usage();
    }
    int rc = run(b);
    free(b);
    return rc;
}
