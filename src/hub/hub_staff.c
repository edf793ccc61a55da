#include "hub/hub_staff.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "hub/hub_audit.h"

#define TAG "hub-staff"

bool hub_staff_username_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > HUB_USERNAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

bool hub_staff_password_from_text(const char *data, size_t len, char *out, char *err,
                                  size_t err_len)
{
    size_t n = 0;
    while (n < len && data[n] != '\n')
        n++;
    if (n > 0 && data[n - 1] == '\r')
        n--;
    if (n == 0) {
        snprintf(err, err_len, "the password file's first line is empty");
        return false;
    }
    if (n > HUB_PASSWORD_MAX) {
        snprintf(err, err_len, "the password is longer than %d bytes", HUB_PASSWORD_MAX);
        return false;
    }
    if (memchr(data, '\0', n)) {
        snprintf(err, err_len, "the password holds a NUL byte");
        return false;
    }
    memcpy(out, data, n);
    out[n] = '\0';
    return true;
}

bool hub_staff_password_read(const char *path, char *out, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return false;
    }
    /* One byte past the longest line with CRLF is enough to judge it. */
    char buf[HUB_PASSWORD_MAX + 3];
    size_t len = fread(buf, 1, sizeof buf, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    bool ok = !failed && hub_staff_password_from_text(buf, len, out, err, err_len);
    if (failed)
        snprintf(err, err_len, "%s: cannot read it", path);
    sodium_memzero(buf, sizeof buf);
    return ok;
}

static bool hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        log_error(TAG, "out of memory hashing a password");
        return false;
    }
    return true;
}

static int exists(struct hub_db *db, const char *username)
{
    static const char sql[] = "SELECT 1 FROM staff WHERE username = ?1";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return -1;
    hub_db_bind_text(st, 1, username);
    int rc = hub_db_step(db, st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static bool end_sessions(struct hub_db *db, const char *username)
{
    static const char sql[] = "DELETE FROM staff_sessions WHERE username = ?1";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, username);
    return hub_db_step_done(db, st);
}

/* Commits when ok, else rolls back; the result for ok. */
static enum hub_staff_result finish(struct hub_db *db, bool ok, enum hub_staff_result result)
{
    if (ok && hub_db_commit(db))
        return result;
    hub_db_rollback(db);
    return HUB_STAFF_ERROR;
}

enum hub_staff_result hub_staff_add(struct hub_db *db, const char *username,
                                    const char *locations, const char *password, int64_t now,
                                    const char *who)
{
    static const char sql[] = "INSERT INTO staff(username, password_hash, locations, created_at,"
                              " changed_at) VALUES(?1, ?2, ?3, ?4, ?4)";
    char hash[crypto_pwhash_STRBYTES];
    if (!hash_password(password, hash))
        return HUB_STAFF_ERROR;
    char *locs = locations ? hub_locations_json(locations) : NULL;
    if (locations && !locs)
        return HUB_STAFF_ERROR;
    enum hub_staff_result r = HUB_STAFF_ERROR;
    if (hub_db_begin_write(db)) {
        int found = exists(db, username);
        if (found == 1) {
            hub_db_rollback(db);
            r = HUB_STAFF_EXISTS;
        } else {
            sqlite3_stmt *st = found == 0 ? hub_db_prepare(db, sql) : NULL;
            if (st) {
                hub_db_bind_text(st, 1, username);
                hub_db_bind_text(st, 2, hash);
                hub_db_bind_text(st, 3, locs);
                sqlite3_bind_int64(st, 4, now);
            }
            bool ok = st && hub_db_step_done(db, st) &&
                      hub_audit_record(db, now, who, HUB_AUDIT_STAFF_ADD, username);
            r = finish(db, ok, HUB_STAFF_OK);
        }
    }
    free(locs);
    sodium_memzero(hash, sizeof hash);
    return r;
}

enum hub_staff_result hub_staff_set_password(struct hub_db *db, const char *username,
                                             const char *password, int64_t now,
                                             const char *who)
{
    static const char sql[] =
        "UPDATE staff SET password_hash = ?2, changed_at = ?3 WHERE username = ?1";
    char hash[crypto_pwhash_STRBYTES];
    if (!hash_password(password, hash))
        return HUB_STAFF_ERROR;
    enum hub_staff_result r = HUB_STAFF_ERROR;
    if (hub_db_begin_write(db)) {
        int found = exists(db, username);
        if (found == 0) {
            hub_db_rollback(db);
            r = HUB_STAFF_UNKNOWN;
        } else {
            sqlite3_stmt *st = found == 1 ? hub_db_prepare(db, sql) : NULL;
            if (st) {
                hub_db_bind_text(st, 1, username);
                hub_db_bind_text(st, 2, hash);
                sqlite3_bind_int64(st, 3, now);
            }
            bool ok = st && hub_db_step_done(db, st) && end_sessions(db, username) &&
                      hub_audit_record(db, now, who, HUB_AUDIT_STAFF_PASSWORD, username);
            r = finish(db, ok, HUB_STAFF_OK);
        }
    }
    sodium_memzero(hash, sizeof hash);
    return r;
}

enum hub_staff_result hub_staff_remove(struct hub_db *db, const char *username, int64_t now,
                                       const char *who)
{
    static const char sql[] = "DELETE FROM staff WHERE username = ?1";
    if (!hub_db_begin_write(db))
        return HUB_STAFF_ERROR;
    int found = exists(db, username);
    if (found == 0) {
        hub_db_rollback(db);
        return HUB_STAFF_UNKNOWN;
    }
    sqlite3_stmt *st = found == 1 ? hub_db_prepare(db, sql) : NULL;
    if (st)
        hub_db_bind_text(st, 1, username);
    /* The sessions go explicitly too: foreign keys may be off on a
     * connection someone opened by hand. */
    bool ok = st && end_sessions(db, username) && hub_db_step_done(db, st) &&
              hub_audit_record(db, now, who, HUB_AUDIT_STAFF_REMOVE, username);
    return finish(db, ok, HUB_STAFF_OK);
}

enum hub_staff_result hub_staff_verify(struct hub_db *db, const char *username,
                                       const char *password)
{
    static const char sql[] = "SELECT password_hash FROM staff WHERE username = ?1";
    /* A hash of a random password, made once per call: verifying against
     * it costs what a real verification costs. */
    char stored[crypto_pwhash_STRBYTES] = "";
    bool known = false;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return HUB_STAFF_ERROR;
    hub_db_bind_text(st, 1, username);
    int rc = hub_db_step(db, st);
    if (rc == SQLITE_ROW) {
        const char *h = hub_db_column_text(st, 0);
        if (h && strlen(h) < sizeof stored) {
            memcpy(stored, h, strlen(h) + 1);
            known = true;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return HUB_STAFF_ERROR;
    if (!known) {
        char dummy[33];
        randombytes_buf(dummy, 32);
        dummy[32] = '\0';
        for (int i = 0; i < 32; i++)
            dummy[i] = (char)('a' + ((unsigned char)dummy[i] % 26));
        if (!hash_password(dummy, stored))
            return HUB_STAFF_ERROR;
    }
    bool ok = crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
    sodium_memzero(stored, sizeof stored);
    return ok && known ? HUB_STAFF_OK : HUB_STAFF_UNKNOWN;
}
