#include "base/disk.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

/* The directory a file path is in: "." for a bare name, "/" for a file in
 * the root. False when it does not fit in dir. */
static bool directory_of(const char *path, char dir[PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return snprintf(dir, PATH_MAX, ".") > 0;
    if (slash == path)
        return snprintf(dir, PATH_MAX, "/") > 0;
    size_t n = (size_t)(slash - path);
    if (n >= PATH_MAX)
        return false;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return true;
}

bool disk_free_bytes(const char *path, uint64_t *bytes)
{
    if (!path || !*path)
        return false;
    struct stat st;
    char dir[PATH_MAX];
    const char *where = path;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (!directory_of(path, dir))
            return false;
        where = dir;
    }
    struct statvfs vfs;
    if (statvfs(where, &vfs) != 0)
        return false;
    *bytes = (uint64_t)vfs.f_bavail * (uint64_t)vfs.f_frsize;
    return true;
}
