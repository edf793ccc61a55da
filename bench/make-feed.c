/*
 * make-feed [--mixed-scripts] N [SEED] > feed.json
 *
 * Writes a deterministic, valid feed-v1 document with N activities (and
 * 20 locations, 200 services, 20 announcements) to standard output, for
 * tests and for trying the kiosk with a large feed by hand. With
 * --mixed-scripts a third of the activities carry Arabic texts and a
 * third have Cyrillic titles (feedgen.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedgen.h"

static int usage(void)
{
    fprintf(stderr, "usage: make-feed [--mixed-scripts] N [SEED] > feed.json\n"
                    "  N     number of activities (0-19000: feed-v1 allows 20,000 items in all)\n"
                    "  SEED  64-bit seed (default: the benchmark's)\n"
                    "  --mixed-scripts  a third of the activities in Arabic (ar) too, a third\n"
                    "                   with Ukrainian (Cyrillic) titles, the rest Latin\n");
    return 2;
}

static int parse_u64(const char *text, unsigned long long *out)
{
    char *end;
    errno = 0;
    *out = strtoull(text, &end, 0);
    return errno == 0 && end != text && *end == '\0' && text[0] != '-';
}

int main(int argc, char **argv)
{
    unsigned long long n, seed;
    bool mixed = argc > 1 && strcmp(argv[1], "--mixed-scripts") == 0;
    if (mixed) {
        argv++;
        argc--;
    }
    if (argc < 2 || argc > 3 || !parse_u64(argv[1], &n) || n > 19000)
        return usage();
    struct feedgen_config cfg;
    feedgen_config_default(&cfg, (size_t)n);
    cfg.mixed_scripts = mixed;
    if (argc == 3) {
        if (!parse_u64(argv[2], &seed))
            return usage();
        cfg.seed = seed;
    }
    size_t len;
    char *feed = feedgen_generate(&cfg, &len);
    if (!feed) {
        fprintf(stderr, "make-feed: out of memory\n");
        return 1;
    }
    int rc = fwrite(feed, 1, len, stdout) == len && fputc('\n', stdout) != EOF &&
                     fflush(stdout) == 0
                 ? 0
                 : 1;
    if (rc)
        fprintf(stderr, "make-feed: cannot write the feed\n");
    free(feed);
    return rc;
}
