#include "hub/hub_session.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "hub/hub_audit.h"

#define TAG "hub-session"

#define TOKEN_BYTES 32
#define HASH_BYTES 32

void hub_session_clear(struct hub_session *s)
{
    if (!s)
        return;
    free(s->locations);
    sodium_memzero(s, sizeof *s);
}

static void token_hash(const char *token, unsigned char out[HASH_BYTES])
{
    crypto_generichash(out, HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

bool hub_session_create(struct hub_db *db, const char *username, int64_t now,
                        char token_out[HUB_SESSION_TOKEN_LEN + 1])
{
    static const char sql[] = "INSERT INTO staff_sessions(token_hash, username, created_at,"
                              " last_seen) VALUES(?1, ?2, ?3, ?3)";
    unsigned char raw[TOKEN_BYTES], hash[HASH_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token_out, HUB_SESSION_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    token_hash(token_out, hash);
    if (!hub_db_begin_write(db))
        return false;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (st) {
        sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
        hub_db_bind_text(st, 2, username);
        sqlite3_bind_int64(st, 3, now);
    }
    bool ok = st && hub_db_step_done(db, st) &&
              hub_audit_record(db, now, username, HUB_AUDIT_LOGIN, NULL) && hub_db_commit(db);
    if (!ok) {
        hub_db_rollback(db);
        sodium_memzero(token_out, HUB_SESSION_TOKEN_LEN + 1);
    }
    return ok;
}

static bool token_shape_ok(const char *token)
{
    if (!token || strlen(token) != HUB_SESSION_TOKEN_LEN)
        return false;
    for (const char *p = token; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

enum hub_session_result hub_session_lookup(struct hub_db *db, const char *token, int64_t now,
                                           int64_t idle_s, struct hub_session *out)
{
    static const char sql[] =
        "SELECT s.username, s.last_seen, f.locations FROM staff_sessions s"
        " JOIN staff f ON f.username = s.username WHERE s.token_hash = ?1";
    static const char touch[] = "UPDATE staff_sessions SET last_seen = ?2 WHERE token_hash = ?1";
    static const char drop[] = "DELETE FROM staff_sessions WHERE token_hash = ?1";
    memset(out, 0, sizeof *out);
    if (!token_shape_ok(token))
        return HUB_SESSION_NONE;
    unsigned char hash[HASH_BYTES];
    token_hash(token, hash);
    if (!hub_db_begin_write(db))
        return HUB_SESSION_ERROR;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st) {
        hub_db_rollback(db);
        return HUB_SESSION_ERROR;
    }
    sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
    int rc = hub_db_step(db, st);
    enum hub_session_result r = HUB_SESSION_NONE;
    bool idle = false;
    if (rc == SQLITE_ROW) {
        idle = now - sqlite3_column_int64(st, 1) >= idle_s;
        if (!idle) {
            snprintf(out->username, sizeof out->username, "%s", hub_db_column_text(st, 0));
            const char *locs = hub_db_column_text(st, 2);
            out->locations = locs ? strdup(locs) : NULL;
            r = locs && !out->locations ? HUB_SESSION_ERROR : HUB_SESSION_OK;
        }
    } else if (rc != SQLITE_DONE) {
        r = HUB_SESSION_ERROR;
    }
    sqlite3_reset(st);
    sqlite3_stmt *w = NULL;
    if (r == HUB_SESSION_OK || idle) {
        w = hub_db_prepare(db, idle ? drop : touch);
        if (w) {
            sqlite3_bind_blob(w, 1, hash, sizeof hash, SQLITE_TRANSIENT);
            if (!idle)
                sqlite3_bind_int64(w, 2, now);
        }
        if (!w || !hub_db_step_done(db, w))
            r = HUB_SESSION_ERROR;
    }
    if (r == HUB_SESSION_ERROR || !hub_db_commit(db)) {
        hub_db_rollback(db);
        hub_session_clear(out);
        return HUB_SESSION_ERROR;
    }
    if (r == HUB_SESSION_OK)
        hub_session_csrf(token, out->csrf);
    return r;
}

bool hub_session_end(struct hub_db *db, const char *token, int64_t now)
{
    static const char who[] = "SELECT username FROM staff_sessions WHERE token_hash = ?1";
    static const char sql[] = "DELETE FROM staff_sessions WHERE token_hash = ?1";
    if (!token_shape_ok(token))
        return true;
    unsigned char hash[HASH_BYTES];
    token_hash(token, hash);
    if (!hub_db_begin_write(db))
        return false;
    char username[HUB_USERNAME_MAX + 1] = "";
    sqlite3_stmt *st = hub_db_prepare(db, who);
    bool ok = st != NULL;
    if (st) {
        sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
        int rc = hub_db_step(db, st);
        if (rc == SQLITE_ROW)
            snprintf(username, sizeof username, "%s", hub_db_column_text(st, 0));
        ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
        sqlite3_reset(st);
    }
    sqlite3_stmt *del = ok ? hub_db_prepare(db, sql) : NULL;
    if (del)
        sqlite3_bind_blob(del, 1, hash, sizeof hash, SQLITE_TRANSIENT);
    ok = del && hub_db_step_done(db, del) &&
         (!*username || hub_audit_record(db, now, username, HUB_AUDIT_LOGOUT, NULL)) &&
         hub_db_commit(db);
    if (!ok)
        hub_db_rollback(db);
    return ok;
}

void hub_session_csrf(const char *token, char out[HUB_CSRF_LEN + 1])
{
    static const char context[] = "buurthub console csrf v1";
    unsigned char mac[32];
    size_t klen = strlen(token);
    if (klen > crypto_generichash_KEYBYTES_MAX)
        klen = crypto_generichash_KEYBYTES_MAX;
    crypto_generichash(mac, sizeof mac, (const unsigned char *)context, sizeof context - 1,
                       (const unsigned char *)token, klen);
    sodium_bin2base64(out, HUB_CSRF_LEN + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(mac, sizeof mac);
}

bool hub_session_csrf_ok(const struct hub_session *s, const char *given)
{
    if (!given || strlen(given) != HUB_CSRF_LEN || strlen(s->csrf) != HUB_CSRF_LEN)
        return false;
    return sodium_memcmp(given, s->csrf, HUB_CSRF_LEN) == 0;
}

/* The instant the count of failures of one kind (username or address)
 * drops below max: the (max)th most recent failure's time plus the
 * window; 0 when there are fewer than max, -1 on error. */
static int64_t blocked_until(struct hub_db *db, const char *sql, const char *key, int max,
                             int64_t now)
{
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return -1;
    hub_db_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, now - HUB_LOGIN_WINDOW_S);
    sqlite3_bind_int(st, 3, max - 1);
    int rc = hub_db_step(db, st);
    int64_t until = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) + HUB_LOGIN_WINDOW_S : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? until : -1;
}

int64_t hub_login_retry_after(struct hub_db *db, const char *username, const char *address,
                              int64_t now)
{
    static const char by_user[] = "SELECT at FROM staff_login_failures WHERE username = ?1"
                                  " AND at > ?2 ORDER BY at DESC LIMIT 1 OFFSET ?3";
    static const char by_address[] = "SELECT at FROM staff_login_failures WHERE address = ?1"
                                     " AND at > ?2 ORDER BY at DESC LIMIT 1 OFFSET ?3";
    int64_t u = blocked_until(db, by_user, username, HUB_LOGIN_MAX_PER_USER, now);
    int64_t a = blocked_until(db, by_address, address, HUB_LOGIN_MAX_PER_ADDRESS, now);
    if (u < 0 || a < 0)
        return -1;
    int64_t until = u > a ? u : a;
    return until > now ? until - now : 0;
}

bool hub_login_failed(struct hub_db *db, const char *username, const char *address,
                      int64_t now)
{
    static const char add[] =
        "INSERT INTO staff_login_failures(username, address, at) VALUES(?1, ?2, ?3)";
    static const char forget[] = "DELETE FROM staff_login_failures WHERE at <= ?1";
    if (!hub_db_begin_write(db))
        return false;
    sqlite3_stmt *st = hub_db_prepare(db, add);
    if (st) {
        hub_db_bind_text(st, 1, username);
        hub_db_bind_text(st, 2, address);
        sqlite3_bind_int64(st, 3, now);
    }
    bool ok = st && hub_db_step_done(db, st);
    sqlite3_stmt *old = ok ? hub_db_prepare(db, forget) : NULL;
    if (old)
        sqlite3_bind_int64(old, 1, now - HUB_LOGIN_WINDOW_S);
    ok = old && hub_db_step_done(db, old) && hub_db_commit(db);
    if (!ok)
        hub_db_rollback(db);
    return ok;
}

bool hub_session_may_see(const char *locations, const char *location_id)
{
    if (!locations)
        return true;
    if (!location_id)
        return false;
    json_t *list = json_loads(locations, 0, NULL);
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), location_id) == 0)
            found = true;
    }
    json_decref(list);
    return found;
}
