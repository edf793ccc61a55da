/*
 * A deterministic generator of realistic feed-v1 documents
 * (shared/spec/feed-v1.md), for the benchmark and for tests that need a
 * large valid feed without shipping megabytes of JSON.
 *
 * The same config always gives the same bytes: the generator has its own
 * small PRNG (no rand(), no clock, no globals), and every timestamp is
 * derived from a fixed base date (2026-11-25, +01:00), so a database built
 * from it can be queried with a fixed 'now'.
 */
#ifndef BK_BENCH_FEEDGEN_H
#define BK_BENCH_FEEDGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The base date the activities are spread around (2 weeks centred on it)
 * and the offset they are written with: Europe/Amsterdam in late
 * November is CET, +01:00. */
#define FEEDGEN_BASE_YEAR 2026
#define FEEDGEN_BASE_MONTH 11
#define FEEDGEN_BASE_DAY 25
#define FEEDGEN_OFFSET "+01:00"
#define FEEDGEN_GENERATED_AT "2026-11-25T08:00:00+01:00"
#define FEEDGEN_DEFAULT_SEED UINT64_C(0x6275757274)  /* "buurt" */

struct feedgen_config {
    size_t n_activities;
    size_t n_locations;       /* 20 by default; must be >= 1 */
    size_t n_services;        /* 200 by default */
    size_t n_announcements;   /* 20 by default */
    uint64_t seed;
    /* The titles of a neighbourhood where not everyone writes Dutch
     * (false by default): of the activities, a third carry Arabic (`ar`)
     * texts besides nl and en, a third are a Ukrainian group's own, whose
     * Dutch title is itself in Cyrillic (with `uk` beside it), and the
     * rest are Latin as before; every other announcement has `ar` too.
     * Which third an activity falls in follows from its index alone, so
     * the random picks, and with them every date, rule and Dutch word,
     * are those of the plain feed of the same seed. */
    bool mixed_scripts;
    /* A picture for every image_every-th activity (from the first), at
     * this URL; NULL (the default) gives none. No random pick depends on
     * it, so the rest of the feed stays that of the same seed. */
    const char *image_url;
    size_t image_every;
};

/* Fills cfg with the benchmark's shape: 20 locations, n_activities
 * activities, 200 services, 20 announcements, the default seed, Latin
 * titles only. */
void feedgen_config_default(struct feedgen_config *cfg, size_t n_activities);

/* Generates the document as compact JSON in a malloc'd, NUL-terminated
 * buffer (free() it) and stores its length in *len_out. Returns NULL when
 * out of memory or when cfg has no locations. */
char *feedgen_generate(const struct feedgen_config *cfg, size_t *len_out);

/* The id the generator gives location index i (0-based): "loc-01" ... */
void feedgen_location_id(size_t i, char *buf, size_t len);

#endif
