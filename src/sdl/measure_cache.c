#include "sdl/measure_cache.h"

#include <stdlib.h>
#include <string.h>

struct slot {
    uint64_t hash;
    char *text;                 /* NULL: empty */
    size_t len;
    int px;
    int width;
    uint8_t weight;
    bool rtl;
};

struct measure_cache {
    struct slot slots[MEASURE_CACHE_SLOTS];
    size_t used;
    uint64_t hits, misses, clears;
};

static uint64_t hash_of(const char *text, size_t len, int px, enum font_weight weight, bool rtl)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 0x100000001b3u;
    }
    h ^= (uint64_t)(unsigned)px << 2 | (uint64_t)weight << 1 | (uint64_t)rtl;
    h *= 0x100000001b3u;
    return h;
}

struct measure_cache *measure_cache_new(void)
{
    return calloc(1, sizeof(struct measure_cache));
}

static void clear(struct measure_cache *mc)
{
    for (size_t i = 0; i < MEASURE_CACHE_SLOTS; i++) {
        free(mc->slots[i].text);
        mc->slots[i].text = NULL;
    }
    mc->used = 0;
}

void measure_cache_free(struct measure_cache *mc)
{
    if (!mc)
        return;
    clear(mc);
    free(mc);
}

static bool same(const struct slot *s, uint64_t h, const char *text, size_t len, int px,
                 enum font_weight weight, bool rtl)
{
    return s->hash == h && s->len == len && s->px == px && s->weight == weight && s->rtl == rtl &&
           memcmp(s->text, text, len) == 0;
}

int measure_cache_get(struct measure_cache *mc, const char *text, size_t len, int px,
                      enum font_weight weight, bool rtl)
{
    uint64_t h = hash_of(text, len, px, weight, rtl);
    for (size_t i = h % MEASURE_CACHE_SLOTS;; i = (i + 1) % MEASURE_CACHE_SLOTS) {
        const struct slot *s = &mc->slots[i];
        if (!s->text)
            break;
        if (same(s, h, text, len, px, weight, rtl)) {
            mc->hits++;
            return s->width;
        }
    }
    mc->misses++;
    return -1;
}

void measure_cache_put(struct measure_cache *mc, const char *text, size_t len, int px,
                       enum font_weight weight, bool rtl, int width)
{
    if (mc->used + 1 > MEASURE_CACHE_SLOTS * 3 / 4) {
        clear(mc);
        mc->clears++;
    }
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return;     /* measured again next time: slower, still right */
    memcpy(copy, text, len);
    uint64_t h = hash_of(text, len, px, weight, rtl);
    size_t i = h % MEASURE_CACHE_SLOTS;
    while (mc->slots[i].text) {
        if (same(&mc->slots[i], h, text, len, px, weight, rtl)) {
            free(copy);
            mc->slots[i].width = width;
            return;
        }
        i = (i + 1) % MEASURE_CACHE_SLOTS;
    }
    mc->slots[i] = (struct slot){h, copy, len, px, width, (uint8_t)weight, rtl};
    mc->used++;
}

void measure_cache_stats(const struct measure_cache *mc, struct measure_cache_stats *out)
{
    *out = (struct measure_cache_stats){mc->hits, mc->misses, mc->clears, mc->used};
}
