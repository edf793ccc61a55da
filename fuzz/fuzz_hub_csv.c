/* Fuzz target: `buurthub import FILE.csv` past the file read: the CSV
 * sniffing (hub_import_is_csv) and hub_import_csv, i.e. the CSV reader,
 * the rows -> feed-v1 document conversion (local times, lists, yes/no,
 * sign-up fields, location check against the hub's locations), feed_parse
 * with the import's sink writing into a real SQLite hub database, the
 * import safety rule, and the commit.
 *
 * The hub holds the sample feed (5 locations, 31 activities), so that
 * location_id can match and the safety rule has ids to count. Each input
 * is imported without --force and, if that was refused, with it. The
 * database is in memory; an import that committed is undone by copying
 * the pristine database back over it (SQLite's backup API), so every run
 * starts from the same hub and a crash replays from its input alone. */
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "fuzz/fuzz.h"
#include "hub/hub_db.h"
#include "hub/hub_import.h"

/* 2026-11-20T08:00:00+01:00, the sample feed's generated_at. */
#define FUZZ_NOW 1795676400

struct csv_hub {
    struct hub_db *pristine, *db;
    FILE *devnull;
};

static bool copy_db(struct hub_db *from, struct hub_db *to)
{
    sqlite3_backup *b = sqlite3_backup_init(hub_db_handle(to), "main", hub_db_handle(from), "main");
    if (!b)
        return false;
    sqlite3_backup_step(b, -1);
    return sqlite3_backup_finish(b) == SQLITE_OK;
}

/* Built once per process: libFuzzer calls the target many times. */
static struct csv_hub *csv_hub(void)
{
    static struct csv_hub hub;
    static bool ready;
    if (ready)
        return hub.db ? &hub : NULL;
    ready = true;
    log_set_level(LOG_ERROR);
    tz_use_zone("Europe/Amsterdam");
    char err[256];
    hub.devnull = fopen("/dev/null", "w");
    hub.pristine = hub_db_open(":memory:", HUB_DB_CREATE, err, sizeof err);
    hub.db = hub_db_open(":memory:", HUB_DB_CREATE, err, sizeof err);
    if (!hub.devnull || !hub.pristine || !hub.db ||
        hub_import_file(hub.pristine, BK_FUZZ_SAMPLE_FEED, FUZZ_NOW, true, hub.devnull,
                        stderr) != HUB_IMPORT_OK ||
        !copy_db(hub.pristine, hub.db)) {
        fprintf(stderr, "fuzz_hub_csv: cannot set up the hub database (%s)\n", err);
        abort();
    }
    return &hub;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_hub *hub = csv_hub();
    const char *body = (const char *)data;
    hub_import_is_csv("activities.txt", body, size);
    enum hub_import_result r =
        hub_import_csv(hub->db, body, size, FUZZ_NOW, false, hub->devnull, hub->devnull);
    if (r == HUB_IMPORT_REFUSED)
        r = hub_import_csv(hub->db, body, size, FUZZ_NOW, true, hub->devnull, hub->devnull);
    if (r == HUB_IMPORT_OK && !copy_db(hub->pristine, hub->db))
        abort();
    return 0;
}
