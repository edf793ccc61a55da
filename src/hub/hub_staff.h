/*
 * Staff accounts (hub-api-v1.md "The hub's command line", `buurthub
 * staff`): usernames, passwords read from a file, Argon2id hashes
 * (libsodium crypto_pwhash_str at the interactive limits), and the
 * locations each account may see (NULL = all, a coordinator).
 *
 * Every change is written with its audit row in one transaction, and
 * changing or removing an account ends its open sessions in the same
 * transaction. Nothing here logs a password or a hash.
 */
#ifndef BK_HUB_STAFF_H
#define BK_HUB_STAFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/hub_db.h"

#define HUB_USERNAME_MAX 64
/* Far beyond any pass phrase; the bound keeps a login POST's work small. */
#define HUB_PASSWORD_MAX 1024

/* True when name matches [a-z0-9._-]{1,64}. */
bool hub_staff_username_valid(const char *name);

/* The password in a password file's contents: its first line without the
 * line ending (LF or CRLF). false with a reason in err when it is empty,
 * longer than HUB_PASSWORD_MAX bytes or holds a NUL byte. out needs
 * HUB_PASSWORD_MAX + 1 bytes. */
bool hub_staff_password_from_text(const char *data, size_t len, char *out, char *err,
                                  size_t err_len);

/* Reads path and applies hub_staff_password_from_text. The buffers that
 * held the file are wiped. */
bool hub_staff_password_read(const char *path, char *out, char *err, size_t err_len);

enum hub_staff_result { HUB_STAFF_OK, HUB_STAFF_EXISTS, HUB_STAFF_UNKNOWN, HUB_STAFF_ERROR };

/* locations: NULL for all, else a list checked with hub_locations_valid().
 * who is the actor for the audit log. */
enum hub_staff_result hub_staff_add(struct hub_db *db, const char *username,
                                    const char *locations, const char *password, int64_t now,
                                    const char *who);
enum hub_staff_result hub_staff_set_password(struct hub_db *db, const char *username,
                                             const char *password, int64_t now,
                                             const char *who);
enum hub_staff_result hub_staff_remove(struct hub_db *db, const char *username, int64_t now,
                                       const char *who);

/* Checks a login. Always runs one Argon2id verification, also for an
 * unknown username (against a fixed dummy hash), so that the time taken
 * does not tell which usernames exist. */
enum hub_staff_result hub_staff_verify(struct hub_db *db, const char *username,
                                       const char *password);

#endif
