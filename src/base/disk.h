/*
 * Free disk space, for the heartbeat and the staff screen: a kiosk whose
 * disk is full can no longer take sign-ups, and staff should see why.
 */
#ifndef BK_DISK_H
#define BK_DISK_H

#include <stdbool.h>
#include <stdint.h>

/* Bytes an unprivileged process may still write on the file system that
 * holds path (statvfs: f_bavail * f_frsize). path names a directory, or a
 * file (which need not exist yet): then the directory it is in counts,
 * because that is where SQLite also creates its -wal and -journal files.
 * Returns false, *bytes untouched, when path is NULL or empty, its
 * directory name is too long, or statvfs fails (errno says why). */
bool disk_free_bytes(const char *path, uint64_t *bytes);

#endif
