#include "temp_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct store *temp_store_open(const char *tag, char dir[TEMP_STORE_DIR_LEN],
                              char path[TEMP_STORE_PATH_LEN])
{
    snprintf(dir, TEMP_STORE_DIR_LEN, "/tmp/bk-%s-XXXXXX", tag);
    if (!mkdtemp(dir))
        return NULL;
    snprintf(path, TEMP_STORE_PATH_LEN, "%s/kiosk.db", dir);
    char err[256];
    return store_open(path, err, sizeof err);
}

bool temp_store_remove(struct store *store, const char *dir)
{
    store_close(store);
    char cmd[TEMP_STORE_DIR_LEN + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0;
}
