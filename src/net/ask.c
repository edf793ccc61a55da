#include "net/ask.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "net/push.h"

#define TAG "ask"

struct asker {
    struct sync_settings settings;
    char *db_path;
    void (*on_answered)(void *ctx);
    void *ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool asked;                  /* under lock */
    int64_t now;                 /* under lock: the kiosk's clock at the ask */
    atomic_bool stopping;
};

static void *asker_main(void *arg)
{
    struct asker *a = arg;
    struct store *store = NULL;
    for (;;) {
        pthread_mutex_lock(&a->lock);
        while (!a->asked && !atomic_load(&a->stopping))
            pthread_cond_wait(&a->wake, &a->lock);
        a->asked = false;
        int64_t now = a->now;
        pthread_mutex_unlock(&a->lock);
        if (atomic_load(&a->stopping))
            break;
        if (!store) {
            char err[256] = "";
            store = store_open(a->db_path, err, sizeof err);
            if (!store) {
                /* The network thread sends it later; the screen says
                 * "received" after its 3 s. */
                log_error(TAG, "cannot open the database to send a sign-up: %s", err);
                if (a->on_answered)
                    a->on_answered(a->ctx);
                continue;
            }
        }
        /* The whole outbox, oldest first: a sign-up confirmed within the
         * lease and still unsent must reach the hub before a newer one
         * that asks beyond it (spec-notes, "four things", 2). */
        struct push_result res;
        push_pending(store, &a->settings, now, &a->stopping, &res);
        store_release_memory(store);    /* idle until the next sign-up */
        if (a->on_answered)
            a->on_answered(a->ctx);
    }
    store_close(store);
    return NULL;
}

struct asker *asker_start(const char *db_path, const struct sync_settings *settings,
                          void (*on_answered)(void *ctx), void *ctx)
{
    if (!settings->hub_url[0])
        return NULL;
    struct asker *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->settings = *settings;
    a->db_path = strdup(db_path);
    a->on_answered = on_answered;
    a->ctx = ctx;
    atomic_init(&a->stopping, false);
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->wake, NULL);
    /* Signals belong to the main loop (as for the network thread). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int started = a->db_path ? pthread_create(&a->thread, NULL, asker_main, a) : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started != 0) {
        pthread_cond_destroy(&a->wake);
        pthread_mutex_destroy(&a->lock);
        free(a->db_path);
        free(a);
        return NULL;
    }
    return a;
}

void asker_ask(struct asker *a, int64_t now)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    a->asked = true;
    a->now = now;
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
}

void asker_stop(struct asker *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    atomic_store(&a->stopping, true);
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    pthread_cond_destroy(&a->wake);
    pthread_mutex_destroy(&a->lock);
    free(a->db_path);
    free(a);
}
