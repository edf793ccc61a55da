/* A kiosk database on a real file in a fresh temporary directory, for the
 * unit tests that need one. */
#ifndef BK_TEST_TEMP_STORE_H
#define BK_TEST_TEMP_STORE_H

#include <stdbool.h>

#include "model/store.h"

#define TEMP_STORE_DIR_LEN 64
#define TEMP_STORE_PATH_LEN 128

/* Makes /tmp/bk-TAG-XXXXXX, writes it to dir and DIR/kiosk.db to path, and
 * opens the store there. NULL on failure. */
struct store *temp_store_open(const char *tag, char dir[TEMP_STORE_DIR_LEN],
                              char path[TEMP_STORE_PATH_LEN]);

/* Closes store (may be NULL) and removes dir with everything in it. */
bool temp_store_remove(struct store *store, const char *dir);

#endif
