/*
 * For files in src/model only (and the model's own unit tests): what the
 * store shares with the other modules that keep tables in the same SQLite
 * file (outbox.c). Nothing outside the model may include this: a screen or
 * the network thread that had the raw connection could write around the
 * store's transactions and its read-only fallback.
 */
#ifndef BK_STORE_PRIVATE_H
#define BK_STORE_PRIVATE_H

#include "model/store.h"

struct sqlite3;

/* The store's own connection, borrowed: valid until store_close, used only
 * on the store's thread. Never NULL for an open store. */
struct sqlite3 *store_db(struct store *store);

#endif
