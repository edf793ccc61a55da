/*
 * Test tool: puts sign-ups into a kiosk database's outbox directly
 * (outbox_add, as the sign-up screen does), so that the delivery tests
 * need no touch script. Prints each new signup_id on its own line.
 *
 *   outbox_seed --db FILE --activity ID --occurrence RFC3339
 *               [--count N] [--party N] [--waitlist] [--created RFC3339]
 *               [--name TEXT] [--phone TEXT] [--email TEXT] [--remark TEXT]
 *               [--lang CODE]
 *
 * With --count N > 1 every name gets " N" appended (1-based), so rows can
 * be told apart at the hub. Exit 0, or 1 on a storage error, 2 on usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/outbox.h"
#include "model/store.h"
#include "base/timeutil.h"

static int usage(void)
{
    fprintf(stderr, "usage: outbox_seed --db FILE --activity ID --occurrence RFC3339 [--count N]"
                    " [--party N] [--waitlist] [--created RFC3339] [--name TEXT]"
                    " [--phone TEXT] [--email TEXT] [--remark TEXT] [--lang CODE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *activity = NULL, *occurrence = NULL, *created = NULL;
    const char *name = NULL, *phone = NULL, *email = NULL, *remark = NULL, *lang = "nl";
    long count = 1, party = 1;
    bool waitlist = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--waitlist") == 0) {
            waitlist = true;
            continue;
        }
        if (i + 1 >= argc)
            return usage();
        const char *v = argv[++i];
        if (strcmp(a, "--db") == 0) db = v;
        else if (strcmp(a, "--activity") == 0) activity = v;
        else if (strcmp(a, "--occurrence") == 0) occurrence = v;
        else if (strcmp(a, "--created") == 0) created = v;
        else if (strcmp(a, "--name") == 0) name = v;
        else if (strcmp(a, "--phone") == 0) phone = v;
        else if (strcmp(a, "--email") == 0) email = v;
        else if (strcmp(a, "--remark") == 0) remark = v;
        else if (strcmp(a, "--lang") == 0) lang = v;
        else if (strcmp(a, "--count") == 0) count = strtol(v, NULL, 10);
        else if (strcmp(a, "--party") == 0) party = strtol(v, NULL, 10);
        else return usage();
    }
    int64_t occ = 0, now = (int64_t)time(NULL);
    if (!db || !activity || !occurrence || !rfc3339_parse(occurrence, &occ) || count < 1 ||
        count > 100000 || party < 1 || party > 100 || (created && !rfc3339_parse(created, &now)))
        return usage();

    char err[256];
    struct store *store = store_open(db, err, sizeof err);
    if (!store) {
        fprintf(stderr, "outbox_seed: %s\n", err);
        return 1;
    }
    int rc = 0;
    for (long k = 1; k <= count; k++) {
        char numbered[512];
        if (name && count > 1)
            snprintf(numbered, sizeof numbered, "%s %ld", name, k);
        struct signup_request req = {
            .occurrence = occ,
            .name = name && count > 1 ? numbered : name,
            .phone = phone,
            .email = email,
            .remark = remark,
            .party_size = (int)party,
            .waitlist_ok = waitlist,
        };
        snprintf(req.activity_id, sizeof req.activity_id, "%s", activity);
        snprintf(req.language, sizeof req.language, "%s", lang);
        char id[OUTBOX_ID_LEN + 1];
        /* Distinct created_at keeps "oldest first" well defined. */
        if (!outbox_add(store, &req, now - count + k, id)) {
            fprintf(stderr, "outbox_seed: could not store sign-up %ld\n", k);
            rc = 1;
            break;
        }
        printf("%s\n", id);
    }
    store_close(store);
    return rc;
}
