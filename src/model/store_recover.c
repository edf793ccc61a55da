#include "model/store_recover.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

#define TAG "store"
/* The companions SQLite may keep beside a database file. */
static const char *const companions[] = {"-wal", "-shm", "-journal"};
/* Columns an outbox row may have; generous, the table has 17 today. */
#define MAX_COLUMNS 64

bool store_recover_is_corrupt_code(int code)
{
    int primary = code & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

/* SQLite's error log callback: any thread, and it must not call SQLite. */
static void on_sqlite_log(void *arg, int code, const char *message)
{
    (void)message;
    if (store_recover_is_corrupt_code(code))
        atomic_store((atomic_bool *)arg, true);
}

bool store_recover_watch(atomic_bool *corrupt)
{
    return sqlite3_config(SQLITE_CONFIG_LOG, on_sqlite_log, (void *)corrupt) == SQLITE_OK;
}

void store_recover_unwatch(void)
{
    /* The callback's argument is about to go: SQLite may only take a new
     * one while it is shut down. */
    if (sqlite3_shutdown() == SQLITE_OK)
        sqlite3_config(SQLITE_CONFIG_LOG, NULL, NULL);
}

bool store_recover_quick_check(sqlite3 *db, char *reason, size_t reason_len)
{
    sqlite3_stmt *st = NULL;
    /* quick_check(1): the first problem is enough to decide. */
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    const char *text = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    bool ok = text && strcmp(text, "ok") == 0;
    if (!ok)
        snprintf(reason, reason_len, "%s", text ? text : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return ok;
}

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

bool store_recover_move_aside(const char *path, int64_t now, char *aside, size_t aside_len)
{
    time_t t = (time_t)now;
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm) == 0)
        snprintf(stamp, sizeof stamp, "%lld", (long long)now);
    /* Two recoveries within a second (a kiosk restarted in a loop) must
     * not overwrite the first one's evidence. */
    for (int n = 0; n < 100; n++) {
        int len = n == 0 ? snprintf(aside, aside_len, "%s.corrupt-%s", path, stamp)
                         : snprintf(aside, aside_len, "%s.corrupt-%s-%d", path, stamp, n);
        if (len < 0 || (size_t)len + sizeof "-journal" > aside_len)
            return false;
        bool taken = exists(aside);
        for (size_t i = 0; !taken && i < sizeof companions / sizeof *companions; i++) {
            char name[4200];
            snprintf(name, sizeof name, "%s%s", aside, companions[i]);
            taken = exists(name);
        }
        if (!taken)
            break;
        if (n == 99)
            return false;
    }
    /* The WAL first: were the database renamed and the WAL not, the
     * fresh database would find the old WAL beside it and read it as its
     * own. The WAL without its database is harmless to the old name. */
    for (size_t i = 0; i < sizeof companions / sizeof *companions; i++) {
        char from[4200], to[4200];
        snprintf(from, sizeof from, "%s%s", path, companions[i]);
        snprintf(to, sizeof to, "%s%s", aside, companions[i]);
        if (rename(from, to) != 0 && errno != ENOENT) {
            log_error(TAG, "cannot move %s aside: %s", from, strerror(errno));
            return false;
        }
    }
    if (rename(path, aside) != 0) {
        log_error(TAG, "cannot move %s aside: %s", path, strerror(errno));
        return false;
    }
    return true;
}

void store_recover_discard(const char *file)
{
    for (size_t i = 0; i < sizeof companions / sizeof *companions; i++) {
        char name[4300];
        snprintf(name, sizeof name, "%s%s", file, companions[i]);
        remove(name);
    }
    remove(file);
}

void store_recover_finish(const char *path)
{
    char rebuild[4200];
    snprintf(rebuild, sizeof rebuild, "%s" STORE_RECOVER_REBUILD, path);
    if (!exists(rebuild))
        return;
    char wal[sizeof rebuild + 8];
    snprintf(wal, sizeof wal, "%s-wal", rebuild);
    if (!exists(path) && !exists(wal) && rename(rebuild, path) == 0) {
        log_warn(TAG, "finished replacing the corrupt %s (cut off by a restart or power cut)", path);
        char shm[sizeof rebuild + 8];
        snprintf(shm, sizeof shm, "%s-shm", rebuild);
        remove(shm);
        return;
    }
    log_warn(TAG, "discarding an unfinished rebuild of %s", path);
    store_recover_discard(rebuild);
}

bool store_recover_swap(const char *path, const char *rebuild, int64_t now, char *aside,
                        size_t aside_len)
{
    char name[4300];
    snprintf(name, sizeof name, "%s-wal", rebuild);
    if (exists(name)) {
        log_error(TAG, "the rebuilt cache %s still has a WAL", rebuild);
        return false;
    }
    snprintf(name, sizeof name, "%s-shm", rebuild);
    remove(name);
    if (!store_recover_move_aside(path, now, aside, aside_len))
        return false;
    /* Cut off here, store_recover_finish renames it at the next start. */
    if (rename(rebuild, path) != 0) {
        log_error(TAG, "cannot rename %s to %s: %s", rebuild, path, strerror(errno));
        return false;
    }
    return true;
}

/* The names of db's outbox columns, into names (malloc'ed each); the
 * count, or -1 when the table cannot be read. */
static int outbox_columns(sqlite3 *db, char **names, int max)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('outbox')", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        names[n] = name ? strdup(name) : NULL;
        if (names[n])
            n++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

static void free_names(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
}

/* What a rescue copies: the shared columns, the statements on both
 * sides, and what became of it. */
struct rescue {
    sqlite3 *old, *fresh;
    sqlite3_stmt *insert;
    char *columns;                  /* "a", "b", ... quoted, comma-separated */
    int n_columns;
    int rescued;
};

/* Copies the current row of st (the shared columns, in order) into the
 * fresh outbox; a row already there (found twice) is not counted again. */
static bool copy_row(struct rescue *r, sqlite3_stmt *st)
{
    for (int i = 0; i < r->n_columns; i++)
        sqlite3_bind_value(r->insert, i + 1, sqlite3_column_value(st, i));
    int rc = sqlite3_step(r->insert);
    bool ok = rc == SQLITE_DONE;
    if (ok)
        r->rescued += sqlite3_changes(r->fresh);
    else
        log_error(TAG, "cannot copy a rescued sign-up: %s", sqlite3_errmsg(r->fresh));
    sqlite3_reset(r->insert);
    sqlite3_clear_bindings(r->insert);
    return ok;
}

/* Pass 1: the whole table in key order. A damaged page stops the scan
 * there; true when it reached the end. */
static bool rescue_by_scan(struct rescue *r)
{
    char *sql = sqlite3_mprintf("SELECT %s FROM outbox WHERE status = 'pending'", r->columns);
    sqlite3_stmt *st = NULL;
    int rc = sql ? sqlite3_prepare_v2(r->old, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!copy_row(r, st))
            break;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

/* Pass 2, after a scan that broke off: the ids from the status index (a
 * separate B-tree), then each row by its key, which descends only the
 * pages on the way to it, so that rows beyond a damaged leaf are still
 * found. True when every id the index gave could be read and the index
 * read to its end. */
static bool rescue_by_index(struct rescue *r)
{
    sqlite3_stmt *ids = NULL, *one = NULL;
    char *sql = sqlite3_mprintf("SELECT %s FROM outbox WHERE signup_id = ?1", r->columns);
    int rc = sql ? sqlite3_prepare_v2(r->old, sql, -1, &one, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(r->old,
                                "SELECT signup_id FROM outbox INDEXED BY outbox_by_status"
                                " WHERE status = 'pending'",
                                -1, &ids, NULL);
    bool all = rc == SQLITE_OK;
    while (rc == SQLITE_OK && (rc = sqlite3_step(ids)) == SQLITE_ROW) {
        sqlite3_bind_value(one, 1, sqlite3_column_value(ids, 0));
        int found = sqlite3_step(one);
        if (found == SQLITE_ROW)
            copy_row(r, one);
        else
            all = false;
        sqlite3_reset(one);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(ids);
    sqlite3_finalize(one);
    return all && rc == SQLITE_DONE;
}

/* The shared columns as a quoted list, and the insert into fresh. */
static bool prepare_rescue(struct rescue *r)
{
    char *old_names[MAX_COLUMNS], *fresh_names[MAX_COLUMNS];
    int n_old = outbox_columns(r->old, old_names, MAX_COLUMNS);
    int n_fresh = outbox_columns(r->fresh, fresh_names, MAX_COLUMNS);
    char *cols = NULL, *marks = NULL;
    for (int i = 0; i < n_old; i++) {
        bool shared = false;
        for (int j = 0; j < n_fresh && !shared; j++)
            shared = strcmp(old_names[i], fresh_names[j]) == 0;
        if (!shared)
            continue;
        r->n_columns++;
        cols = sqlite3_mprintf("%z%s\"%w\"", cols, cols ? ", " : "", old_names[i]);
        marks = sqlite3_mprintf("%z%s?%d", marks, marks ? ", " : "", r->n_columns);
    }
    free_names(old_names, n_old > 0 ? n_old : 0);
    free_names(fresh_names, n_fresh > 0 ? n_fresh : 0);
    bool ok = cols && marks && n_old > 0;
    if (ok) {
        char *sql = sqlite3_mprintf("INSERT OR IGNORE INTO outbox(%s) VALUES(%s)", cols, marks);
        ok = sql && sqlite3_prepare_v2(r->fresh, sql, -1, &r->insert, NULL) == SQLITE_OK;
        sqlite3_free(sql);
    }
    sqlite3_free(marks);
    if (ok)
        r->columns = cols;
    else
        sqlite3_free(cols);
    return ok;
}

int store_recover_outbox(sqlite3 *fresh, const char *old, bool *unreadable)
{
    struct rescue r = {.fresh = fresh};
    *unreadable = true;
    int rc = sqlite3_open_v2(old, &r.old, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    bool opened = rc == SQLITE_OK && prepare_rescue(&r);
    if (opened && sqlite3_exec(fresh, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
        *unreadable = !rescue_by_scan(&r) && !rescue_by_index(&r);
        /* Rescued rows keep their sequence numbers (the order they were
         * stored in); the fresh store's counter must go on above them. */
        sqlite3_exec(fresh,
                     "INSERT INTO meta(key, value) SELECT 'net_seq', max(added_seq) FROM outbox"
                     " WHERE added_seq IS NOT NULL HAVING max(added_seq) IS NOT NULL"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     NULL, NULL, NULL);
        if (sqlite3_exec(fresh, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            log_error(TAG, "cannot keep the rescued sign-ups: %s", sqlite3_errmsg(fresh));
            sqlite3_exec(fresh, "ROLLBACK", NULL, NULL, NULL);
            r.rescued = 0;
            *unreadable = true;
        }
    }
    sqlite3_finalize(r.insert);
    sqlite3_free(r.columns);
    sqlite3_close(r.old);
    /* Counts and a file name only: never a name or a number. */
    if (*unreadable)
        log_error(TAG, "rescued %d unsent sign-ups from %s; part of its outbox could not be"
                       " read, and sign-ups stored there may be lost", r.rescued, old);
    else
        log_warn(TAG, "rescued %d unsent sign-ups from %s", r.rescued, old);
    return r.rescued;
}
