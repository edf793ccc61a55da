/*
 * Widths of lines of text already measured. Laying a screen out measures
 * the same lines again on every frame (a scrolled list, the mirrored
 * frame of a right-to-left language), and shaping a line with HarfBuzz
 * costs far more than looking its width up. A fixed table: when it is
 * three quarters full it is emptied, so its memory stays bounded and a
 * screen's lines are back in it after one frame.
 */
#ifndef BK_MEASURE_CACHE_H
#define BK_MEASURE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view/frame.h"

#define MEASURE_CACHE_SLOTS 4096

struct measure_cache;

struct measure_cache *measure_cache_new(void);
void measure_cache_free(struct measure_cache *mc);

/* The width remembered for this line, or -1. */
int measure_cache_get(struct measure_cache *mc, const char *text, size_t len, int px,
                      enum font_weight weight, bool rtl);
void measure_cache_put(struct measure_cache *mc, const char *text, size_t len, int px,
                       enum font_weight weight, bool rtl, int width);

struct measure_cache_stats {
    uint64_t hits, misses, clears;
    size_t entries;
};
void measure_cache_stats(const struct measure_cache *mc, struct measure_cache_stats *out);

#endif
