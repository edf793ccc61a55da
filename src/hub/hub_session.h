/*
 * The staff console's sessions, CSRF tokens and login rate limits
 * (hub-api-v1.md "The staff console").
 *
 * A session is a random 256-bit token (libsodium randombytes) in the
 * cookie; the database keeps only its BLAKE2b hash, so a copy of the
 * database opens no session. Looking a session up by the hash of what the
 * browser sent needs no constant-time comparison: the timing of an index
 * lookup on a hash says nothing about the token.
 *
 * The CSRF token is derived from the session token (BLAKE2b keyed with
 * it), so it needs no storage, differs per session and dies with it; it is
 * compared in constant time.
 *
 * Failed logins are kept for the rate-limit window in the database, so
 * that every server thread (and a restart) sees the same counts.
 */
#ifndef BK_HUB_SESSION_H
#define BK_HUB_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/hub_db.h"
#include "hub/hub_peer.h"
#include "hub/hub_staff.h"

/* The cookie's name and the token's shape (as a kiosk token's). */
#define HUB_SESSION_COOKIE "buurthub_session"
#define HUB_SESSION_TOKEN_LEN HUB_TOKEN_LEN
#define HUB_CSRF_LEN 43

/* Rate limits of logins: failures within the window per username and per
 * address; past either, login answers 429 until the window ends. */
#define HUB_LOGIN_WINDOW_S (15 * 60)
#define HUB_LOGIN_MAX_PER_USER 5
#define HUB_LOGIN_MAX_PER_ADDRESS 20

/* The staff member a valid session belongs to. */
struct hub_session {
    char username[HUB_USERNAME_MAX + 1];
    char *locations;                /* JSON array of ids (malloc'd), NULL = all */
    char csrf[HUB_CSRF_LEN + 1];
};

void hub_session_clear(struct hub_session *s);

/* Starts a session for username (already verified) and writes its new
 * token; audited as a login. false on error (logged). */
bool hub_session_create(struct hub_db *db, const char *username, int64_t now,
                        char token_out[HUB_SESSION_TOKEN_LEN + 1]);

enum hub_session_result { HUB_SESSION_OK, HUB_SESSION_NONE, HUB_SESSION_ERROR };

/* The session of a cookie's token: NONE when token is NULL, unknown, or
 * idle for idle_s or longer (then it is deleted); else OK, its last use
 * moved to now, and out filled (free with hub_session_clear). */
enum hub_session_result hub_session_lookup(struct hub_db *db, const char *token, int64_t now,
                                           int64_t idle_s, struct hub_session *out);

/* Ends the session of token (logout; audited). Unknown tokens are fine. */
bool hub_session_end(struct hub_db *db, const char *token, int64_t now);

/* The CSRF token of a session token. */
void hub_session_csrf(const char *token, char out[HUB_CSRF_LEN + 1]);

/* True when given (a form's csrf field; NULL when absent) is the session's
 * CSRF token; constant time in its contents. */
bool hub_session_csrf_ok(const struct hub_session *s, const char *given);

/* 0 when a login for username from address may be tried at now; else the
 * seconds until the window lets it (Retry-After), also for the right
 * password. -1 on error. */
int64_t hub_login_retry_after(struct hub_db *db, const char *username, const char *address,
                              int64_t now);

/* Counts a failed login, and forgets failures older than the window. */
bool hub_login_failed(struct hub_db *db, const char *username, const char *address,
                      int64_t now);

/* Whether a staff member with these locations (JSON array, NULL = all)
 * may see an item of location_id (NULL: an item of no location, which only
 * a coordinator sees). */
bool hub_session_may_see(const char *locations, const char *location_id);

#endif
