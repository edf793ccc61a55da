/* Fuzz target: the hub's HTTP side end to end. The input is the raw bytes
 * a client sends on one connection (one request, or several kept alive).
 * They go through a real libmicrohttpd daemon running the hub's own
 * request handler (hub_server_start without a listen socket) on a real
 * SQLite hub database: a socketpair per input, one end handed to the
 * daemon (MHD_add_connection), the input written to the other, its write
 * side shut, and the answer read to the end. So MHD's request parsing,
 * routing, bearer tokens, body limits, the feed, sign-ups, heartbeats and
 * the whole staff console (cookies, the post processor, CSRF, every page
 * and form) are reached.
 *
 * What an input can know (fuzz/hub_http.dict, fuzz/corpus/hub_http):
 * the hub holds the sample feed; kiosk "kiosk-fuzz" has the token
 * FUZZ_KIOSK_TOKEN; coordinator "coord" (all locations) and staff member
 * "staff" (loc-liendert) have the open sessions FUZZ_COORD_SESSION and
 * FUZZ_STAFF_SESSION, whose CSRF tokens are in the dictionary. Logins run
 * a real Argon2id check and are slow; the password is "fuzz-password-1".
 *
 * Every input starts from the same state: libsodium's random bytes come
 * from a generator reset per input (so tokens, sign-up ids and sealed
 * bytes repeat), the database is copied back from a pristine one when an
 * input wrote to it, and the server (its feed cache) is started afresh
 * when an input changed the content. A crash replays from its input.
 * The request rates are unlimited, as the hub's defaults. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "fuzz/fuzz.h"
#include "hub/hub_db.h"
#include "hub/hub_http.h"
#include "hub/hub_import.h"
#include "hub/hub_staff.h"

/* 2026-11-20T08:00:00+01:00, the sample feed's generated_at; the hub's
 * clock stands still there. */
#define FUZZ_NOW 1795676400
#define FUZZ_KIOSK_TOKEN "fuzzKioskToken_0123456789abcdefghijklmnopqr"
#define FUZZ_COORD_SESSION "fuzzCoordSession_0123456789abcdefghijklmnop"
#define FUZZ_STAFF_SESSION "fuzzStaffSession_0123456789abcdefghijklmnop"
#define FUZZ_PASSWORD "fuzz-password-1"

/* An answer that has not ended by now is a hang: the hub drops a client
 * that sends nothing for HUB_IDLE_TIMEOUT_S, and this one has sent all. */
#define ANSWER_DEADLINE_MS ((HUB_IDLE_TIMEOUT_S + 5) * 1000)

/* ---- random bytes that repeat ---------------------------------------------------- */

struct fuzz_random {
    pthread_mutex_t lock;
    uint64_t state;
};

static struct fuzz_random *fuzz_random(void)
{
    static struct fuzz_random r = {PTHREAD_MUTEX_INITIALIZER, 0};
    return &r;
}

static void fuzz_random_reset(void)
{
    struct fuzz_random *r = fuzz_random();
    pthread_mutex_lock(&r->lock);
    r->state = 0x6275757274687562ull; /* "buurthub" */
    pthread_mutex_unlock(&r->lock);
}

static void fuzz_random_buf(void *const buf, const size_t size)
{
    /* splitmix64: the server's threads draw from it too, hence the lock. */
    struct fuzz_random *r = fuzz_random();
    unsigned char *out = buf;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < size; i += 8) {
        uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        size_t n = size - i < 8 ? size - i : 8;
        memcpy(out + i, &z, n);
    }
    pthread_mutex_unlock(&r->lock);
}

static uint32_t fuzz_random_u32(void)
{
    uint32_t v;
    fuzz_random_buf(&v, sizeof v);
    return v;
}

static const char *fuzz_random_name(void)
{
    return "fuzz-repeatable";
}

static void fuzz_random_stir(void)
{
}

static int fuzz_random_close(void)
{
    return 0;
}

static struct randombytes_implementation fuzz_random_impl = {
    .implementation_name = fuzz_random_name,
    .random = fuzz_random_u32,
    .stir = fuzz_random_stir,
    .uniform = NULL,
    .buf = fuzz_random_buf,
    .close = fuzz_random_close,
};

/* ---- the hub ------------------------------------------------------------------------ */

struct http_hub {
    char dir[64], pristine_path[128], live_path[128];
    struct hub_db *pristine, *live;   /* the live one: to watch and restore the file */
    int64_t pristine_version;         /* the content's state version */
    int64_t data_version;             /* PRAGMA data_version of live after a restore */
    struct hub_server *server;
};

static bool sql_ok(struct hub_db *db, const char *sql)
{
    return sqlite3_exec(hub_db_handle(db), sql, NULL, NULL, NULL) == SQLITE_OK;
}

static int64_t sql_int(struct hub_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(hub_db_handle(db), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The token hashes the hub stores, for tokens the dictionary knows:
 * keyed BLAKE2b for a kiosk (with the database's token key), plain
 * BLAKE2b for a session (hub_db.c, hub_session.c). */
static bool set_blob(struct hub_db *db, const char *sql, const unsigned char *blob, size_t len,
                     const char *text)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(hub_db_handle(db), sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_blob(st, 1, blob, (int)len, SQLITE_TRANSIENT) == SQLITE_OK &&
              sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

static bool fixed_kiosk_token(struct hub_db *db)
{
    sqlite3_stmt *st = NULL;
    unsigned char key[crypto_generichash_KEYBYTES], hash[HUB_TOKEN_HASH_BYTES];
    bool ok = sqlite3_prepare_v2(hub_db_handle(db), "SELECT value FROM meta WHERE key='token_key'",
                                 -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == sizeof key;
    if (ok)
        memcpy(key, sqlite3_column_blob(st, 0), sizeof key);
    sqlite3_finalize(st);
    if (!ok)
        return false;
    crypto_generichash(hash, sizeof hash, (const unsigned char *)FUZZ_KIOSK_TOKEN,
                       strlen(FUZZ_KIOSK_TOKEN), key, sizeof key);
    return set_blob(db, "UPDATE kiosks SET token_hash = ?1 WHERE id = ?2", hash, sizeof hash,
                    "kiosk-fuzz");
}

static bool fixed_session(struct hub_db *db, const char *token, const char *username)
{
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)token, strlen(token), NULL, 0);
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO staff_sessions(token_hash, username, created_at, last_seen)"
             " VALUES (?1, ?2, %d, %d)",
             FUZZ_NOW - 60, FUZZ_NOW - 60);
    return set_blob(db, sql, hash, sizeof hash, username);
}

static bool make_pristine(struct http_hub *hub, char *err, size_t err_len)
{
    FILE *devnull = fopen("/dev/null", "w");
    hub->pristine = hub_db_open(hub->pristine_path, HUB_DB_CREATE, err, err_len);
    char token[HUB_TOKEN_LEN + 1];
    bool ok = devnull && hub->pristine &&
              hub_import_file(hub->pristine, BK_FUZZ_SAMPLE_FEED, FUZZ_NOW, true, devnull,
                              stderr) == HUB_IMPORT_OK &&
              hub_db_kiosk_add(hub->pristine, "kiosk-fuzz", NULL, FUZZ_NOW, token) ==
                  HUB_KIOSK_OK &&
              hub_db_kiosk_add(hub->pristine, "kiosk-liendert", "loc-liendert", FUZZ_NOW,
                               token) == HUB_KIOSK_OK &&
              fixed_kiosk_token(hub->pristine) &&
              hub_staff_add(hub->pristine, "coord", NULL, FUZZ_PASSWORD, FUZZ_NOW, "fuzz") ==
                  HUB_STAFF_OK &&
              hub_staff_add(hub->pristine, "staff", "loc-liendert", FUZZ_PASSWORD, FUZZ_NOW,
                            "fuzz") == HUB_STAFF_OK &&
              fixed_session(hub->pristine, FUZZ_COORD_SESSION, "coord") &&
              fixed_session(hub->pristine, FUZZ_STAFF_SESSION, "staff") &&
              /* The seal key pair, made now rather than by the server. */
              sql_ok(hub->pristine, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (ok) {
        unsigned char pk[SEAL_PUBLIC_KEY_BYTES], sk[SEAL_SECRET_KEY_BYTES];
        ok = hub_db_seal_keys(hub->pristine, pk, sk);
        sodium_memzero(sk, sizeof sk);
    }
    if (devnull)
        fclose(devnull);
    hub->pristine_version = ok ? sql_int(hub->pristine,
                                         "SELECT value FROM meta WHERE key='state_version'")
                               : -1;
    return ok && hub->pristine_version >= 0;
}

/* Copies the pristine database over the live one (the server's
 * connections see the change as any other writer's). */
static bool restore(struct http_hub *hub)
{
    sqlite3_backup *b =
        sqlite3_backup_init(hub_db_handle(hub->live), "main", hub_db_handle(hub->pristine), "main");
    if (!b)
        return false;
    sqlite3_backup_step(b, -1);
    if (sqlite3_backup_finish(b) != SQLITE_OK)
        return false;
    hub->data_version = sql_int(hub->live, "PRAGMA data_version");
    return true;
}

static bool start_server(struct http_hub *hub)
{
    struct hub_server_options opts = {.db_path = hub->live_path, .listen = NULL};
    clock_init_manual(&opts.clock, FUZZ_NOW);
    char err[256];
    hub->server = hub_server_start(&opts, err, sizeof err);
    if (!hub->server)
        fprintf(stderr, "fuzz_hub_http: %s\n", err);
    return hub->server != NULL;
}

static struct http_hub *hub_state(void)
{
    static struct http_hub hub;
    return &hub;
}

/* At exit: the files go (the server's threads may still hold them open,
 * which is fine). */
static void remove_files(void)
{
    struct http_hub *hub = hub_state();
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    const char *const paths[] = {hub->pristine_path, hub->live_path};
    char path[256];
    for (size_t p = 0; p < 2; p++)
        for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++) {
            if (snprintf(path, sizeof path, "%s%s", paths[p], suffixes[k]) < (int)sizeof path)
                unlink(path);
        }
    rmdir(hub->dir);
}

/* Built once per process: libFuzzer calls the target many times. */
static struct http_hub *http_hub(void)
{
    struct http_hub *hub = hub_state();
    static bool ready;
    if (ready)
        return hub;
    ready = true;
    /* Before sodium_init, which the first hub call makes. */
    randombytes_set_implementation(&fuzz_random_impl);
    fuzz_random_reset();
    signal(SIGPIPE, SIG_IGN);
    log_set_level(LOG_ERROR);
    tz_use_zone("Europe/Amsterdam");
    /* /dev/shm when there is one: SQLite's fsyncs cost nothing there. */
    snprintf(hub->dir, sizeof hub->dir, "/dev/shm/fuzz-hub-http-XXXXXX");
    if (!mkdtemp(hub->dir)) {
        snprintf(hub->dir, sizeof hub->dir, "/tmp/fuzz-hub-http-XXXXXX");
        if (!mkdtemp(hub->dir))
            abort();
    }
    if (snprintf(hub->pristine_path, sizeof hub->pristine_path, "%s/pristine.db", hub->dir) >=
            (int)sizeof hub->pristine_path ||
        snprintf(hub->live_path, sizeof hub->live_path, "%s/live.db", hub->dir) >=
            (int)sizeof hub->live_path)
        abort();
    char err[256] = "";
    bool ok = sodium_init() >= 0 && make_pristine(hub, err, sizeof err) &&
              (hub->live = hub_db_open(hub->live_path, HUB_DB_CREATE, err, sizeof err)) &&
              restore(hub) && start_server(hub);
    atexit(remove_files);
    if (!ok) {
        fprintf(stderr, "fuzz_hub_http: cannot set up the hub in %s (%s)\n", hub->dir, err);
        abort();
    }
    return hub;
}

/* ---- one connection -------------------------------------------------------------------- */

static int64_t now_ms(void)
{
    return clock_monotonic_ms();
}

/* Writes data and reads the answer until the server closes; the answer is
 * dropped. Interleaved, so that a server answering before it has read
 * everything never blocks the writer. */
static void converse(int fd, const uint8_t *data, size_t size)
{
    size_t sent = 0;
    bool shut = false;
    char buf[16384];
    int64_t deadline = now_ms() + ANSWER_DEADLINE_MS;
    for (;;) {
        if (sent == size && !shut) {
            shutdown(fd, SHUT_WR);
            shut = true;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN | (shut ? 0 : POLLOUT)};
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            fprintf(stderr, "fuzz_hub_http: no end of the answer in %d ms\n",
                    ANSWER_DEADLINE_MS);
            abort();
        }
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            abort();
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t got = recv(fd, buf, sizeof buf - 1, 0);
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (got <= 0)
                return;     /* the server closed (or reset) the connection */
            buf[got] = '\0';
            /* FUZZ_HUB_HTTP_SHOW=1: the status lines, to check the seeds. */
            if (getenv("FUZZ_HUB_HTTP_SHOW") && !strcmp(getenv("FUZZ_HUB_HTTP_SHOW"), "all"))
                fputs(buf, stderr);
            else if (getenv("FUZZ_HUB_HTTP_SHOW"))
                for (char *at = buf; (at = memmem(at, (size_t)(buf + got - at), "HTTP/1.", 7));
                     at += 7)
                    fprintf(stderr, "  %.*s\n", (int)strcspn(at, "\r\n"), at);
        }
        if (!shut && (p.revents & POLLOUT)) {
            ssize_t put = send(fd, data + sent, size - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (put > 0)
                sent += (size_t)put;
            else if (put < 0 && errno != EAGAIN && errno != EINTR)
                sent = size; /* the server is gone: read what it said */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_hub *hub = http_hub();
    fuzz_random_reset();
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        abort();
    /* A client on loopback, as the TLS proxy is in production. */
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(40000),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (!hub_server_add_connection(hub->server, sv[0], (const struct sockaddr *)&peer,
                                   sizeof peer)) {
        close(sv[1]);
        return 0;
    }
    converse(sv[1], data, size);
    close(sv[1]);
    /* Back to the pristine hub if the input wrote to it. */
    if (sql_int(hub->live, "PRAGMA data_version") != hub->data_version) {
        bool content = sql_int(hub->live, "SELECT value FROM meta WHERE key='state_version'") !=
                       hub->pristine_version;
        if (content) {
            /* The feed cache keeps feeds by state version, which goes
             * back with the restore. */
            hub_server_stop(hub->server);
            hub->server = NULL;
        }
        if (!restore(hub) || (content && !start_server(hub)))
            abort();
    }
    return 0;
}
