/*
 * A kiosk database SQLite reports corrupt (automation-v1.md, `--db`): it is
 * moved aside as {db}.corrupt-{timestamp}, with its -wal and -shm, and a
 * fresh cache takes its place, filled by the next sync. Unsent sign-ups
 * are copied over from the old file where it still reads; the log says
 * how many, and whether part of the old outbox could not be read, so no
 * sign-up is ever lost silently. For store.c only (store_open_checked),
 * and the running kiosk's watch for corruption met later (app/run.c).
 */
#ifndef BK_STORE_RECOVER_H
#define BK_STORE_RECOVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sqlite3;

/* True for the SQLite result codes (primary or extended) that mean the
 * file is damaged or no database at all. */
bool store_recover_is_corrupt_code(int code);

/* Corruption met while the kiosk runs, after the start's check: SQLite
 * reports every SQLITE_CORRUPT and SQLITE_NOTADB it meets, on any
 * connection and thread, through its error log; this sets *corrupt (which
 * must outlive every connection) on the first. Call before the first
 * connection is opened (SQLite takes the log callback only then); false,
 * and nothing watched, when it is too late. The text SQLite logs names
 * statements, never bound values, and is not logged here: the owner of
 * *corrupt says once what it does about it. */
bool store_recover_watch(atomic_bool *corrupt);

/* Ends the watch (after every connection is closed): SQLite is shut down
 * and started again without the callback. */
void store_recover_unwatch(void);

/* PRAGMA quick_check on db: true when it says "ok". When it does not (or
 * cannot run), reason gets the first problem it names. */
bool store_recover_quick_check(struct sqlite3 *db, char *reason, size_t reason_len);

/* The fresh cache is built under this suffix beside the damaged file. */
#define STORE_RECOVER_REBUILD "-rebuild"

/* Removes a database file and its companions (a rebuild that will not be
 * used). */
void store_recover_discard(const char *file);

/* At start, before opening path: a rebuild left by a power cut is renamed
 * in when the damaged file had already gone aside (path missing), and
 * discarded otherwise (the damaged file is still there, is found again and
 * rebuilt from scratch). */
void store_recover_finish(const char *path);

/* Moves path aside (store_recover_move_aside) and renames rebuild, a
 * closed database without a WAL, to path. False when either fails, or a
 * WAL of rebuild is left (it would not come along). */
bool store_recover_swap(const char *path, const char *rebuild, int64_t now, char *aside,
                        size_t aside_len);

/* Renames path and its companion files (-wal, -shm, -journal) to
 * path.corrupt-YYYYMMDDTHHMMSSZ (UTC of now; -N appended when that name
 * is taken), keeping their suffixes, so that SQLite still finds the old
 * file's WAL beside it. aside gets the new name of the database file.
 * False (and nothing half-renamed left behind for the main file) when the
 * database file cannot be renamed. */
bool store_recover_move_aside(const char *path, int64_t now, char *aside, size_t aside_len);

/* Copies the unsent sign-ups of the damaged database at old into the outbox of
 * fresh (schema up to date): every column the two outbox tables share,
 * row by row, so that a damaged page loses only the rows on it; rows that
 * cannot be read through the table are looked for again through its
 * status index. Keeps the store's counter ahead of the rescued rows'
 * sequence numbers. Logs how many were rescued and whether some could
 * not be read. Returns the number rescued; *unreadable is true when part
 * of the old outbox could not be read. */
int store_recover_outbox(struct sqlite3 *fresh, const char *old, bool *unreadable);

#endif
