/*
 * The network thread's outbox scheduling against a tiny HTTP server in the
 * test itself (the feed comes from a file): the first pass pushes and
 * sends a heartbeat; a temporary failure backs the outbox off without
 * touching the feed's schedule; sync_worker_wake_outbox pushes at once
 * without a feed pull; more than one batch goes out in quick passes. And
 * a database the thread cannot open: the thread says why (to the app and
 * in its heartbeat) and syncs once it opens on "sync now".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "model/outbox.h"
#include "model/store.h"
#include "model/store_private.h" /* the raw connection, to count rows or fake a read-only disk */
#include "temp_store.h"
#include "base/timeutil.h"
#include "net/fetch.h"
#include "net/sync.h"

/* ---- a one-connection-at-a-time HTTP server ---- */

struct server {
    int fd;
    int port;
    pthread_t thread;
    atomic_bool stop;
    atomic_int signup_status;     /* what POST /kiosk/v1/signups answers */
    atomic_int signup_posts;
    atomic_int heartbeats;
    pthread_mutex_t lock;
    char last_heartbeat[4096];    /* under lock: the last heartbeat's body */
};

static void answer(int c, int status, const char *body)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     status, strlen(body));
    if (write(c, head, (size_t)n) < 0 || write(c, body, strlen(body)) < 0)
        return;
}

static void serve_one(struct server *s, int c)
{
    char buf[65536];
    size_t len = 0;
    char *end = NULL;
    while (len < sizeof buf - 1 && !end) {
        ssize_t got = read(c, buf + len, sizeof buf - 1 - len);
        if (got <= 0)
            return;
        len += (size_t)got;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (!end)
        return;
    size_t want = 0;
    const char *cl = strstr(buf, "\r\nContent-Length:"); /* as libcurl spells it */
    if (cl)
        want = strtoul(cl + 17, NULL, 10);
    size_t have = len - (size_t)(end + 4 - buf);
    while (have < want && len < sizeof buf - 1) {
        ssize_t got = read(c, buf + len, sizeof buf - 1 - len);
        if (got <= 0)
            return;
        len += (size_t)got;
        have += (size_t)got;
    }
    if (strncmp(buf, "POST /kiosk/v1/signups ", 23) == 0) {
        atomic_fetch_add(&s->signup_posts, 1);
        int status = atomic_load(&s->signup_status);
        answer(c, status, status == 201 ? "{\"status\":\"confirmed\"}" : "{\"error\":\"busy\"}");
    } else if (strncmp(buf, "POST /kiosk/v1/heartbeat ", 25) == 0) {
        pthread_mutex_lock(&s->lock);
        snprintf(s->last_heartbeat, sizeof s->last_heartbeat, "%s", end + 4);
        pthread_mutex_unlock(&s->lock);
        atomic_fetch_add(&s->heartbeats, 1);
        answer(c, 204, "");
    } else {
        answer(c, 404, "{\"error\":\"no\"}");
    }
}

static void *server_main(void *arg)
{
    struct server *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        serve_one(s, c);
        close(c);
    }
    return NULL;
}

static void server_start(struct server *s)
{
    memset(s, 0, sizeof *s);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s->fd, 16), 0);
    socklen_t alen = sizeof a;
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &alen), 0);
    s->port = ntohs(a.sin_port);
    atomic_init(&s->stop, false);
    atomic_init(&s->signup_status, 201);
    atomic_init(&s->signup_posts, 0);
    atomic_init(&s->heartbeats, 0);
    pthread_mutex_init(&s->lock, NULL);
    assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_stop(struct server *s)
{
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    close(s->fd);
}

static void last_heartbeat(struct server *s, char *out, size_t len)
{
    pthread_mutex_lock(&s->lock);
    snprintf(out, len, "%s", s->last_heartbeat);
    pthread_mutex_unlock(&s->lock);
}

/* ---- fixture ---- */

struct fixture {
    char dir[TEMP_STORE_DIR_LEN];
    char path[TEMP_STORE_PATH_LEN];
    struct store *store;
    struct server server;
    struct sync_settings settings;
    struct clock clock;
};

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    setenv("BUURTKIOSK_LOG", "error", 1);
    struct fixture *f = calloc(1, sizeof *f);
    f->store = temp_store_open("worker", f->dir, f->path);
    if (!f->store)
        return -1;
    server_start(&f->server);
    const char *assets = getenv("BK_ASSETS");
    snprintf(f->settings.feed_url, sizeof f->settings.feed_url, "file://%s/sample-feed.json",
             assets ? assets : BK_ASSET_DIR);
    snprintf(f->settings.hub_url, sizeof f->settings.hub_url, "http://127.0.0.1:%d/",
             f->server.port);
    snprintf(f->settings.kiosk_id, sizeof f->settings.kiosk_id, "k1");
    snprintf(f->settings.token, sizeof f->settings.token, "tok");
    f->settings.interval_s = 300;
    f->settings.heartbeat_s = 300;
    f->settings.unsent_retention_days = 14;
    clock_init_real(&f->clock);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    server_stop(&f->server);
    bool removed = temp_store_remove(f->store, f->dir);
    free(f);
    return removed ? 0 : -1;
}

static void seed(struct fixture *f, int n)
{
    for (int i = 0; i < n; i++) {
        struct signup_request r = {.occurrence = 1800000000, .name = "Testnaam", .phone = "0612345678",
                                   .party_size = 1};
        snprintf(r.activity_id, sizeof r.activity_id, "act");
        char id[OUTBOX_ID_LEN + 1];
        assert_true(outbox_add(f->store, &r, (int64_t)time(NULL) - n + i, id));
    }
}

static int64_t feed_pulls(struct fixture *f)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->store), "SELECT count(*) FROM sync_log", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Waits up to ms for *counter to reach want. */
static bool wait_for(atomic_int *counter, int want, int ms)
{
    for (int t = 0; t < ms; t += 20) {
        if (atomic_load(counter) >= want)
            return true;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 20000000L};
        nanosleep(&ts, NULL);
    }
    return atomic_load(counter) >= want;
}

static bool wait_pending(struct fixture *f, int64_t want, int ms)
{
    for (int t = 0; t < ms; t += 20) {
        if (outbox_count(f->store, "pending") == want)
            return true;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 20000000L};
        nanosleep(&ts, NULL);
    }
    return outbox_count(f->store, "pending") == want;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- tests ---- */

static void test_backoff_then_wake(void **state)
{
    struct fixture *f = *state;
    seed(f, 2);
    atomic_store(&f->server.signup_status, 503);
    struct sync_worker *w = sync_worker_start(f->path, &f->settings, &f->clock, NULL, NULL);
    assert_non_null(w);

    /* First pass: the feed, one POST (a 503 stops the pass), a heartbeat. */
    assert_true(wait_for(&f->server.heartbeats, 1, 5000));
    assert_int_equal(atomic_load(&f->server.signup_posts), 1);
    assert_int_equal(feed_pulls(f), 1);

    /* Backing off: nothing more for a while (the backoff starts at 30 s). */
    sleep_ms(1500);
    assert_int_equal(atomic_load(&f->server.signup_posts), 1);
    assert_int_equal(outbox_count(f->store, "pending"), 2);

    /* A new sign-up wakes the outbox at once: both go, no feed pull. */
    atomic_store(&f->server.signup_status, 201);
    sync_worker_wake_outbox(w);
    assert_true(wait_pending(f, 0, 5000));
    assert_int_equal(atomic_load(&f->server.signup_posts), 3);
    assert_int_equal(outbox_count(f->store, "confirmed"), 2);
    assert_int_equal(feed_pulls(f), 1);
    assert_int_equal(atomic_load(&f->server.heartbeats), 1); /* not due yet */

    /* Staff "sync now": a feed pull (and a push of nothing). */
    sync_worker_request(w);
    for (int t = 0; t < 5000 && feed_pulls(f) < 2; t += 20)
        sleep_ms(20);
    assert_int_equal(feed_pulls(f), 2);
    sync_worker_stop(w);
    assert_int_equal(atomic_load(&f->server.signup_posts), 3);
}

static void test_batches_follow_each_other(void **state)
{
    struct fixture *f = *state;
    seed(f, 60);
    struct sync_worker *w = sync_worker_start(f->path, &f->settings, &f->clock, NULL, NULL);
    assert_non_null(w);
    /* 50 in the first pass, the other 10 a second later. */
    assert_true(wait_pending(f, 0, 8000));
    sync_worker_stop(w);
    assert_int_equal(atomic_load(&f->server.signup_posts), 60);
    assert_int_equal(outbox_count(f->store, "confirmed"), 60);
    assert_int_equal(feed_pulls(f), 1);
}

static void count_change(void *ctx)
{
    atomic_fetch_add((atomic_int *)ctx, 1);
}

/* A database the network thread cannot open (its directory is missing):
 * the thread keeps running, says why to the app and to the hub, and
 * syncs as soon as the database opens when staff ask again. */
static void test_unopenable_database(void **state)
{
    struct fixture *f = *state;
    char dir[TEMP_STORE_PATH_LEN], path[TEMP_STORE_PATH_LEN + 16];
    snprintf(dir, sizeof dir, "%s/missing", f->dir);
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    atomic_int changes;
    atomic_init(&changes, 0);
    struct sync_worker *w = sync_worker_start(path, &f->settings, &f->clock, count_change, &changes);
    assert_non_null(w);

    /* The hub hears of it; what only the database knows is null. */
    assert_true(wait_for(&f->server.heartbeats, 1, 5000));
    char body[4096];
    last_heartbeat(&f->server, body, sizeof body);
    assert_non_null(strstr(body, "\"last_sync_error\":\"no sync: cannot open "));
    assert_non_null(strstr(body, "\"outbox_pending\":null"));
    assert_non_null(strstr(body, "\"screen\":\"on\""));
    /* The app hears of it too, for the staff status. */
    assert_true(wait_for(&changes, 1, 5000));
    char problem[256];
    assert_true(sync_worker_problem(w, problem, sizeof problem));
    assert_non_null(strstr(problem, "no sync: cannot open "));
    assert_int_equal(atomic_load(&f->server.signup_posts), 0);

    /* "Sync now" while it still fails: the problem stays, nothing breaks. */
    sync_worker_request(w);
    sleep_ms(300);
    assert_true(sync_worker_problem(w, problem, sizeof problem));

    /* The directory is back: "sync now" opens it, pulls the feed, and the
     * hub hears at once that the trouble is over. */
    assert_int_equal(mkdir(dir, 0700), 0);
    sync_worker_set_screen(w, SYNC_SCREEN_OFF);
    sync_worker_request(w);
    assert_true(wait_for(&f->server.heartbeats, 2, 5000));
    assert_false(sync_worker_problem(w, problem, sizeof problem));
    assert_string_equal(problem, "");
    last_heartbeat(&f->server, body, sizeof body);
    assert_non_null(strstr(body, "\"last_sync_error\":null"));
    assert_non_null(strstr(body, "\"outbox_pending\":0"));
    assert_non_null(strstr(body, "\"screen\":\"off\""));
    sync_worker_stop(w);

    char err[256];
    struct store *opened = store_open(path, err, sizeof err);
    assert_non_null(opened);
    struct store_status st;
    assert_true(store_status(opened, &st));
    assert_true(st.last_sync_ok_at > 0);
    store_close(opened);
}

int main(void)
{
    if (!fetch_global_init())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backoff_then_wake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batches_follow_each_other, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unopenable_database, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fetch_global_cleanup();
    return rc;
}
