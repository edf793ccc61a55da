/*
 * Asking the hub at once (hub-api-v1.md "Telling the resident the truth"):
 * a thread of its own that sends the outbox, oldest first, as soon as a
 * sign-up is stored, so that the done screen can show the hub's answer
 * within its 3 s. It runs beside the network thread (which may be busy
 * with a feed or images for far longer) and in script mode, which has no
 * network thread. Two senders are harmless: the hub answers a repeat of a
 * sign-up with its current status, and the outbox keeps the first answer.
 */
#ifndef BK_ASK_H
#define BK_ASK_H

#include "net/sync.h"

struct asker;

/* Starts the thread with its own connection to db_path. on_answered (may
 * be NULL) is called on that thread after every pass that sent something
 * or failed, so the screen looks again. NULL when it cannot start. */
struct asker *asker_start(const char *db_path, const struct sync_settings *settings,
                          void (*on_answered)(void *ctx), void *ctx);

/* Any thread: send what the outbox holds now; now is the kiosk's clock
 * (a script's, in script mode), for the answers' time and expiry. */
void asker_ask(struct asker *a, int64_t now);

/* Stops a pass under way (the sign-up stays pending) and the thread. */
void asker_stop(struct asker *a);

#endif
