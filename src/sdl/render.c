#include "sdl/render.h"

#include <SDL_ttf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "sdl/fonts.h"
#include "sdl/images.h"
#include "sdl/measure_cache.h"
#include "sdl/shape.h"

#define TAG "render"

/* Rounded corners are anti-aliased by counting which of SS x SS sample
 * points of a pixel fall inside the shape: integer arithmetic only, so the
 * result is exact and the same on every machine (SDL_RenderGeometry's
 * rasterisation differs between back ends and is not anti-aliased). */
#define SS 8
#define SS_FULL (SS * SS)

/* Corner masks of filled shapes are cached for radii below this. */
#define MASK_CACHE 128

struct text_entry {
    struct text_entry *hnext;          /* bucket chain */
    struct text_entry *newer, *older;  /* LRU list */
    uint64_t hash;
    SDL_Texture *tex;
    int w, h;
    int top;                           /* drawn this far below the line's top */
    size_t bytes;
    int px;
    enum font_weight weight;
    bool rtl;
    struct rgba colour;
    size_t len;
    char text[];                       /* NUL-terminated */
};

/* What a text entry holds besides its pixels: SDL's texture and the
 * surface behind it (about 600 bytes with the software renderer), then the
 * entry and its text, added where it is made. Counted so that the budget
 * bounds what the cache holds, not only its pixels: a screen of short
 * labels is many small textures. */
#define TEXT_ENTRY_SDL_BYTES 640

/* A pictogram rendered once: a screen shows a few dozen at most, in one
 * or two colours and sizes, so a small table replaced in turn is enough. */
#define ICON_CACHE 96

struct icon_entry {
    SDL_Texture *tex;                  /* NULL: free slot */
    uint32_t cp;
    int px;
    struct rgba colour;
    int w, h;
};

struct cov_point {
    int x, y, cov;
};

struct renderer {
    SDL_Renderer *sdl;
    struct font_set *fonts;
    struct measure_cache *widths;      /* lines measured before */
    int max_tex_w, max_tex_h;          /* 0: no limit */
    bool ttf_started;

    /* text cache: hash map + LRU list, bounded by texture bytes */
    struct text_entry **buckets;
    size_t n_buckets, n_entries;
    struct text_entry *newest, *oldest;
    size_t bytes, budget;
    uint64_t hits, misses, evictions;

    /* scratch for shapes, kept between frames so drawing does not allocate */
    SDL_Rect *rects;
    size_t n_rects, cap_rects;
    struct cov_point *points;
    size_t n_points, cap_points;
    SDL_Point *batch;
    size_t cap_batch;
    uint8_t *ring_mask;
    size_t cap_ring_mask;
    uint8_t *fill_masks[MASK_CACHE];

    struct image_set *images;          /* pictures named by DRAW_IMAGE */

    struct icon_entry icons[ICON_CACHE];
    size_t next_icon;                  /* the slot the next new pictogram takes */
};

/* ---- fonts ---- */

static int clamp_px(int px)
{
    return px < RENDER_FONT_PX_MIN ? RENDER_FONT_PX_MIN
           : px > RENDER_FONT_PX_MAX ? RENDER_FONT_PX_MAX
                                     : px;
}

/* DejaVu Sans at px: the face whose metrics every line follows. */
static TTF_Font *get_font(struct renderer *rd, int px, enum font_weight weight)
{
    return font_set_font(rd->fonts, 0, clamp_px(px), weight);
}

/* ---- life cycle ---- */

struct renderer *renderer_new(SDL_Renderer *r, char *err, size_t err_len)
{
    struct renderer *rd = calloc(1, sizeof *rd);
    if (!rd) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    rd->sdl = r;
    rd->budget = RENDER_CACHE_BYTES_DEFAULT;
    rd->n_buckets = 256;
    rd->buckets = calloc(rd->n_buckets, sizeof *rd->buckets);
    rd->images = image_set_new();
    if (!rd->buckets || !rd->images) {
        snprintf(err, err_len, "out of memory");
        goto fail;
    }
    if (TTF_Init() != 0) {
        snprintf(err, err_len, "SDL_ttf could not start: %s", TTF_GetError());
        goto fail;
    }
    rd->ttf_started = true;
    /* DejaVu is opened now, so that a broken font fails here, not as
     * silently missing text later; other faces when text needs them. */
    rd->fonts = font_set_new(err, err_len);
    if (!rd->fonts)
        goto fail;
    rd->widths = measure_cache_new();
    if (!rd->widths) {
        snprintf(err, err_len, "out of memory");
        goto fail;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r, &info) == 0) {
        rd->max_tex_w = info.max_texture_width;
        rd->max_tex_h = info.max_texture_height;
    }
    return rd;
fail:
    renderer_free(rd);
    return NULL;
}

static void entry_free(struct text_entry *e)
{
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e);
}

void renderer_cache_clear(struct renderer *rd)
{
    for (struct text_entry *e = rd->newest, *next; e; e = next) {
        next = e->older;
        entry_free(e);
    }
    memset(rd->buckets, 0, rd->n_buckets * sizeof *rd->buckets);
    rd->newest = rd->oldest = NULL;
    rd->n_entries = 0;
    rd->bytes = 0;
    image_set_drop_textures(rd->images);
    for (size_t i = 0; i < ICON_CACHE; i++) {
        if (rd->icons[i].tex)
            SDL_DestroyTexture(rd->icons[i].tex);
        rd->icons[i].tex = NULL;
    }
}

void renderer_free(struct renderer *rd)
{
    if (!rd)
        return;
    if (rd->buckets)
        renderer_cache_clear(rd);
    free(rd->buckets);
    image_set_free(rd->images);
    font_set_free(rd->fonts);
    measure_cache_free(rd->widths);
    if (rd->ttf_started)
        TTF_Quit();     /* reference counted since SDL_ttf 2.0.18 */
    free(rd->rects);
    free(rd->points);
    free(rd->batch);
    free(rd->ring_mask);
    for (int i = 0; i < MASK_CACHE; i++)
        free(rd->fill_masks[i]);
    free(rd);
}

/* ---- measuring ---- */

int renderer_measure(void *ctx, const char *text, size_t len, int font_px,
                     enum font_weight weight, bool rtl)
{
    struct renderer *rd = ctx;
    if (!text || len == 0)
        return 0;
    int px = clamp_px(font_px);
    int width = measure_cache_get(rd->widths, text, len, px, weight, rtl);
    if (width < 0) {
        width = shape_measure(rd->fonts, text, len, px, weight, rtl);
        measure_cache_put(rd->widths, text, len, px, weight, rtl, width);
    }
    return width;
}

size_t renderer_fonts_open(const struct renderer *rd)
{
    return font_set_faces(rd->fonts, FONT_REGULAR) + font_set_faces(rd->fonts, FONT_BOLD);
}

unsigned renderer_missing_glyph(struct renderer *rd, const char *text, enum font_weight weight)
{
    return text ? shape_missing_glyph(rd->fonts, text, strlen(text), weight) : 0;
}

int renderer_text_height(struct renderer *rd, int font_px, enum font_weight weight)
{
    TTF_Font *font = get_font(rd, font_px, weight);
    return font ? TTF_FontHeight(font) : 0;
}

/* ---- text cache ---- */

static uint64_t text_hash(const char *text, size_t len, int px, enum font_weight weight,
                          bool rtl, struct rgba c)
{
    uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 0x100000001b3u;
    }
    uint64_t extra = (uint64_t)(unsigned)px | (uint64_t)weight << 8 | (uint64_t)rtl << 9 |
                     (uint64_t)c.r << 16 |
                     (uint64_t)c.g << 24 | (uint64_t)c.b << 32 | (uint64_t)c.a << 40;
    for (int i = 0; i < 6; i++) {
        h ^= (extra >> (8 * i)) & 0xff;
        h *= 0x100000001b3u;
    }
    return h;
}

static void lru_unlink(struct renderer *rd, struct text_entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        rd->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        rd->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push_newest(struct renderer *rd, struct text_entry *e)
{
    e->newer = NULL;
    e->older = rd->newest;
    if (rd->newest)
        rd->newest->newer = e;
    rd->newest = e;
    if (!rd->oldest)
        rd->oldest = e;
}

static void cache_remove(struct renderer *rd, struct text_entry *e)
{
    struct text_entry **p = &rd->buckets[e->hash & (rd->n_buckets - 1)];
    while (*p != e)
        p = &(*p)->hnext;
    *p = e->hnext;
    lru_unlink(rd, e);
    rd->n_entries--;
    rd->bytes -= e->bytes;
    entry_free(e);
}

/* Evicts the least recently used entries until the cache fits its budget,
 * sparing `keep` (the texture about to be drawn). */
static void cache_trim(struct renderer *rd, const struct text_entry *keep)
{
    bool was_full = rd->evictions > 0;
    while (rd->bytes > rd->budget && rd->oldest && rd->oldest != keep) {
        cache_remove(rd, rd->oldest);
        rd->evictions++;
    }
    /* Once: from here on the cache's memory no longer grows. The soak's
     * warm-up waits for this line before it judges RSS (bench/soak.py). */
    if (!was_full && rd->evictions > 0)
        log_info(TAG, "text cache full: %zu KiB in %zu texts, the least recently drawn make room",
                 rd->bytes / 1024, rd->n_entries);
}

void renderer_set_cache_budget(struct renderer *rd, size_t bytes)
{
    rd->budget = bytes;
    cache_trim(rd, NULL);
}

static void cache_grow(struct renderer *rd)
{
    size_t n = rd->n_buckets * 2;
    struct text_entry **b = calloc(n, sizeof *b);
    if (!b)
        return;     /* longer chains, still correct */
    for (size_t i = 0; i < rd->n_buckets; i++) {
        for (struct text_entry *e = rd->buckets[i], *next; e; e = next) {
            next = e->hnext;
            e->hnext = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    free(rd->buckets);
    rd->buckets = b;
    rd->n_buckets = n;
}

static struct text_entry *cache_find(struct renderer *rd, uint64_t hash, const char *text,
                                     size_t len, int px, enum font_weight weight, bool rtl,
                                     struct rgba c)
{
    for (struct text_entry *e = rd->buckets[hash & (rd->n_buckets - 1)]; e; e = e->hnext)
        if (e->hash == hash && e->len == len && e->px == px && e->weight == weight &&
            e->rtl == rtl &&
            e->colour.r == c.r && e->colour.g == c.g && e->colour.b == c.b &&
            e->colour.a == c.a && memcmp(e->text, text, len) == 0)
            return e;
    return NULL;
}

/* ---- shapes ---- */

static bool push_rect(struct renderer *rd, int x, int y, int w, int h)
{
    if (w <= 0 || h <= 0)
        return true;
    if (rd->n_rects == rd->cap_rects) {
        size_t n = rd->cap_rects ? rd->cap_rects * 2 : 256;
        SDL_Rect *more = realloc(rd->rects, n * sizeof *more);
        if (!more)
            return false;
        rd->rects = more;
        rd->cap_rects = n;
    }
    rd->rects[rd->n_rects++] = (SDL_Rect){x, y, w, h};
    return true;
}

/* Adds a one-row span, merged with the previous one when they touch, so
 * that a corner row becomes one rectangle plus its anti-aliased ends. */
static bool push_span(struct renderer *rd, int x0, int x1, int y)
{
    if (x1 <= x0)
        return true;
    if (rd->n_rects > 0) {
        SDL_Rect *last = &rd->rects[rd->n_rects - 1];
        if (last->y == y && last->h == 1 && last->x + last->w == x0) {
            last->w += x1 - x0;
            return true;
        }
    }
    return push_rect(rd, x0, y, x1 - x0, 1);
}

static bool push_point(struct renderer *rd, int x, int y, int cov)
{
    if (rd->n_points == rd->cap_points) {
        size_t n = rd->cap_points ? rd->cap_points * 2 : 256;
        struct cov_point *more = realloc(rd->points, n * sizeof *more);
        if (!more)
            return false;
        rd->points = more;
        rd->cap_points = n;
    }
    rd->points[rd->n_points++] = (struct cov_point){x, y, cov};
    return true;
}

/* Coverage (0..SS_FULL) of the pixels of one r x r corner, indexed by
 * [i * r + j] where i and j are the pixel's distances (rows, columns) from
 * the shape's outer edges. The corner's circle has its centre r px in from
 * both edges; with inner > 0 the pixels inside a circle of that radius
 * about the same centre are left out (a rounded outline). */
static void corner_mask(uint8_t *mask, int r, int inner)
{
    int64_t R = (int64_t)SS * 2 * r;          /* units of 1 / (2 SS) px */
    int64_t RI = (int64_t)SS * 2 * inner;
    int64_t r2 = (int64_t)r * r, ri2 = (int64_t)inner * inner;
    for (int i = 0; i < r; i++) {
        for (int j = 0; j < r; j++) {
            /* The pixel's corner farthest from the circle's centre is
             * (j, i), the nearest (j + 1, i + 1). When both lie on the same
             * side of a circle, so do all sample points: only pixels the
             * curve crosses are sampled, which keeps big radii cheap and
             * gives exactly what sampling every pixel would. */
            int64_t far2 = (int64_t)(r - j) * (r - j) + (int64_t)(r - i) * (r - i);
            int64_t near2 = (int64_t)(r - j - 1) * (r - j - 1) + (int64_t)(r - i - 1) * (r - i - 1);
            if (near2 > r2 || (inner > 0 && far2 <= ri2)) {
                mask[i * r + j] = 0;
                continue;
            }
            if (far2 <= r2 && (inner == 0 || near2 >= ri2)) {
                mask[i * r + j] = SS_FULL;
                continue;
            }
            int n = 0;
            for (int u = 0; u < SS; u++) {
                int64_t dy = R - ((int64_t)SS * 2 * i + 2 * u + 1);
                for (int s = 0; s < SS; s++) {
                    int64_t dx = R - ((int64_t)SS * 2 * j + 2 * s + 1);
                    int64_t d = dx * dx + dy * dy;
                    if (d <= R * R && !(inner > 0 && d < RI * RI))
                        n++;
                }
            }
            mask[i * r + j] = (uint8_t)n;
        }
    }
}

static const uint8_t *get_mask(struct renderer *rd, int r, int inner)
{
    if (inner == 0 && r < MASK_CACHE) {
        if (!rd->fill_masks[r]) {
            rd->fill_masks[r] = malloc((size_t)r * (size_t)r);
            if (rd->fill_masks[r])
                corner_mask(rd->fill_masks[r], r, 0);
        }
        return rd->fill_masks[r];
    }
    size_t need = (size_t)r * (size_t)r;
    if (need > rd->cap_ring_mask) {
        uint8_t *more = realloc(rd->ring_mask, need);
        if (!more)
            return NULL;
        rd->ring_mask = more;
        rd->cap_ring_mask = need;
    }
    corner_mask(rd->ring_mask, r, inner);
    return rd->ring_mask;
}

static void set_colour(SDL_Renderer *r, struct rgba c, uint8_t alpha)
{
    SDL_SetRenderDrawBlendMode(r, alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, alpha);
}

/* A filled (thick == 0) or outlined rectangle with corners of the given
 * radius. Every pixel is drawn at most once, so translucent colours do not
 * darken where pieces would overlap. */
static void draw_shape(struct renderer *rd, struct rect b, int radius, int thick, struct rgba c)
{
    int w = b.w, h = b.h;
    int shorter = w < h ? w : h;
    if (shorter <= 0 || c.a == 0)
        return;
    int r = radius < 0 ? 0 : radius > shorter / 2 ? shorter / 2 : radius;
    bool ring = thick > 0 && 2 * thick < shorter;  /* thicker: it is solid */
    int t = ring ? thick : 0;
    int inner = ring && t < r ? r - t : 0;
    const uint8_t *mask = r > 0 ? get_mask(rd, r, inner) : NULL;
    if (r > 0 && !mask)
        return;
    rd->n_rects = 0;
    rd->n_points = 0;
    bool ok = true;

    /* The rows between the corners. */
    if (!ring) {
        ok = push_rect(rd, b.x, b.y + r, w, h - 2 * r);
    } else {
        int a = r > t ? r : t;
        ok = push_rect(rd, b.x, b.y + r, w, a - r) && push_rect(rd, b.x, b.y + h - a, w, a - r) &&
             push_rect(rd, b.x, b.y + a, t, h - 2 * a) &&
             push_rect(rd, b.x + w - t, b.y + a, t, h - 2 * a);
    }

    /* The corner rows, top and bottom alike: i is the distance from the
     * nearer horizontal edge. */
    for (int i = 0; ok && i < r; i++) {
        const uint8_t *row = mask + (size_t)i * (size_t)r;
        for (int side = 0; ok && side < 2; side++) {
            int y = b.y + (side == 0 ? i : h - 1 - i);
            for (int x = 0; ok && x < r; x++) {   /* left corner, outer edge first */
                int cov = row[x];
                if (cov == SS_FULL)
                    ok = push_span(rd, b.x + x, b.x + x + 1, y);
                else if (cov > 0)
                    ok = push_point(rd, b.x + x, y, cov);
            }
            /* Between the corners: the whole row, unless an outline's
             * hole reaches it (then t <= i < r and the mask has the rest). */
            if (!ring || i < t)
                ok = ok && push_span(rd, b.x + r, b.x + w - r, y);
            for (int x = r - 1; ok && x >= 0; x--) {   /* right corner, mirrored */
                int cov = row[x];
                int px = b.x + w - 1 - x;
                if (cov == SS_FULL)
                    ok = push_span(rd, px, px + 1, y);
                else if (cov > 0)
                    ok = push_point(rd, px, y, cov);
            }
        }
    }
    if (!ok) {
        log_debug(TAG, "out of memory drawing a shape");
        return;
    }

    set_colour(rd->sdl, c, c.a);
    SDL_RenderFillRects(rd->sdl, rd->rects, (int)rd->n_rects);
    if (rd->n_points == 0)
        return;
    /* Edge pixels, one batch per coverage level. */
    if (rd->cap_batch < rd->n_points) {
        SDL_Point *more = realloc(rd->batch, rd->n_points * sizeof *more);
        if (!more)
            return;
        rd->batch = more;
        rd->cap_batch = rd->n_points;
    }
    for (int cov = 1; cov < SS_FULL; cov++) {
        size_t n = 0;
        for (size_t k = 0; k < rd->n_points; k++)
            if (rd->points[k].cov == cov)
                rd->batch[n++] = (SDL_Point){rd->points[k].x, rd->points[k].y};
        if (n == 0)
            continue;
        uint8_t alpha = (uint8_t)((c.a * cov + SS_FULL / 2) / SS_FULL);
        if (alpha == 0)
            continue;
        set_colour(rd->sdl, c, alpha);
        SDL_RenderDrawPoints(rd->sdl, rd->batch, (int)n);
    }
}

/* ---- text ---- */

/* A line wider than the GPU allows in one texture (2048-4096 px on a
 * Raspberry Pi): draw the visible part in strips of at most that width,
 * uncached. Blending is per pixel, so strips look exactly like one piece. */
static void draw_text_strips(struct renderer *rd, SDL_Surface *s, const struct draw_cmd *cmd,
                             struct rect clip, int top)
{
    int x0 = clip.x - cmd->rect.x;
    int x1 = clip.x + clip.w - cmd->rect.x;
    x0 = x0 < 0 ? 0 : x0;
    x1 = x1 > s->w ? s->w : x1;
    int h = s->h;
    if (rd->max_tex_h > 0 && h > rd->max_tex_h)
        h = rd->max_tex_h;
    int strip = rd->max_tex_w > 0 ? rd->max_tex_w : s->w;
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
    for (int x = x0; x < x1; x += strip) {
        int w = x1 - x < strip ? x1 - x : strip;
        SDL_Surface *part = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, s->format->format);
        if (!part)
            return;
        SDL_Rect src = {x, 0, w, h};
        SDL_BlitSurface(s, &src, part, NULL);
        SDL_Texture *tex = SDL_CreateTextureFromSurface(rd->sdl, part);
        if (tex) {
            SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
            SDL_Rect dst = {cmd->rect.x + x, cmd->rect.y + top, w, h};
            SDL_RenderCopy(rd->sdl, tex, NULL, &dst);
            SDL_DestroyTexture(tex);    /* SDL flushes the queued copy first */
        }
        SDL_FreeSurface(part);
    }
}

static void draw_text(struct renderer *rd, const struct draw_cmd *cmd, struct rect clip, bool rtl)
{
    if (!cmd->text || !cmd->text[0] || cmd->colour.a == 0)
        return;
    int px = clamp_px(cmd->font_px);
    enum font_weight weight = cmd->weight == FONT_BOLD ? FONT_BOLD : FONT_REGULAR;
    TTF_Font *font = get_font(rd, px, weight);
    if (!font)
        return;
    /* Text grows right and down from its top-left corner: skip lines
     * wholly outside the clip before paying for rendering them (a
     * fallback face may reach a little above or below DejaVu's line). */
    int x = cmd->rect.x, y = cmd->rect.y;
    int reach = TTF_FontHeight(font) / 2;
    if (x >= clip.x + clip.w || y - reach >= clip.y + clip.h ||
        y + TTF_FontHeight(font) + reach <= clip.y)
        return;

    size_t len = strlen(cmd->text);
    uint64_t hash = text_hash(cmd->text, len, px, weight, rtl, cmd->colour);
    struct text_entry *e = cache_find(rd, hash, cmd->text, len, px, weight, rtl, cmd->colour);
    if (e) {
        rd->hits++;
        lru_unlink(rd, e);
        lru_push_newest(rd, e);
    } else {
        rd->misses++;
        SDL_Color fg = {cmd->colour.r, cmd->colour.g, cmd->colour.b, cmd->colour.a};
        /* Blended: anti-aliased with alpha; never the _Wrapped variant,
         * the core has already broken the text into lines. */
        int top = 0;
        SDL_Surface *s = shape_render(rd->fonts, cmd->text, len, px, weight, rtl, fg, &top);
        if (!s)
            return;
        if ((rd->max_tex_w > 0 && s->w > rd->max_tex_w) ||
            (rd->max_tex_h > 0 && s->h > rd->max_tex_h)) {
            draw_text_strips(rd, s, cmd, clip, top);
            SDL_FreeSurface(s);
            return;
        }
        SDL_Texture *tex = SDL_CreateTextureFromSurface(rd->sdl, s);
        int tw = s->w, th = s->h;
        SDL_FreeSurface(s);
        if (!tex) {
            log_debug(TAG, "cannot make a text texture: %s", SDL_GetError());
            return;
        }
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
        e = malloc(sizeof *e + len + 1);
        if (!e) {
            SDL_DestroyTexture(tex);
            return;
        }
        *e = (struct text_entry){.hash = hash, .tex = tex, .w = tw, .h = th, .top = top,
                                 .bytes = (size_t)tw * (size_t)th * 4 + TEXT_ENTRY_SDL_BYTES +
                                          sizeof *e + len + 1,
                                 .px = px,
                                 .weight = weight, .rtl = rtl, .colour = cmd->colour,
                                 .len = len};
        memcpy(e->text, cmd->text, len + 1);
        if (rd->n_entries >= rd->n_buckets)
            cache_grow(rd);
        size_t b = hash & (rd->n_buckets - 1);
        e->hnext = rd->buckets[b];
        rd->buckets[b] = e;
        lru_push_newest(rd, e);
        rd->n_entries++;
        rd->bytes += e->bytes;
        cache_trim(rd, e);
    }
    SDL_Rect dst = {x, y + e->top, e->w, e->h};
    SDL_RenderCopy(rd->sdl, e->tex, NULL, &dst);
}

/* ---- pictograms ---- */

static struct icon_entry *icon_texture(struct renderer *rd, uint32_t cp, int px, struct rgba c)
{
    for (size_t i = 0; i < ICON_CACHE; i++) {
        struct icon_entry *e = &rd->icons[i];
        if (e->tex && e->cp == cp && e->px == px && e->colour.r == c.r && e->colour.g == c.g &&
            e->colour.b == c.b && e->colour.a == c.a)
            return e;
    }
    TTF_Font *font = font_set_icon_font(rd->fonts, px);
    if (!font)
        return NULL;
    SDL_Surface *s = TTF_RenderGlyph32_Blended(font, cp, (SDL_Color){c.r, c.g, c.b, c.a});
    if (!s)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(rd->sdl, s);
    int w = s->w, h = s->h;
    SDL_FreeSurface(s);
    if (!tex)
        return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    struct icon_entry *e = &rd->icons[rd->next_icon];
    rd->next_icon = (rd->next_icon + 1) % ICON_CACHE;
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    *e = (struct icon_entry){.tex = tex, .cp = cp, .px = px, .colour = c, .w = w, .h = h};
    return e;
}

/* The glyph's em square is cmd->rect: Material's glyphs are as wide as
 * their em, and the line box SDL_ttf renders is centred on it. A pointing
 * pictogram in a right-to-left frame is drawn mirrored (Material's
 * bidirectionality guidance: back points right there). */
static void draw_icon(struct renderer *rd, const struct draw_cmd *cmd, bool rtl)
{
    if (cmd->colour.a == 0 || cmd->icon_cp == 0)
        return;
    int px = clamp_px(cmd->font_px > 0 ? cmd->font_px : cmd->rect.h);
    struct icon_entry *e = icon_texture(rd, cmd->icon_cp, px, cmd->colour);
    if (!e)
        return;
    SDL_Rect dst = {cmd->rect.x + (cmd->rect.w - e->w) / 2, cmd->rect.y + (cmd->rect.h - e->h) / 2,
                    e->w, e->h};
    bool flip = rtl && cmd->icon_directional && !cmd->keep_ltr;
    SDL_RenderCopyEx(rd->sdl, e->tex, NULL, &dst, 0.0, NULL,
                     flip ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
}

/* ---- pictures ---- */

bool renderer_load_image(struct renderer *rd, const char *path, int *w, int *h, char *err,
                         size_t err_len)
{
    return image_set_load(rd->images, path, w, h, err, err_len);
}

/* The picture fills the largest rectangle of its own shape inside
 * cmd->rect, centred; the core normally asks for exactly that shape. */
static void draw_image(struct renderer *rd, const struct draw_cmd *cmd)
{
    int iw, ih;
    /* A feed image is loaded on its first frame; one that fails draws
     * nothing and is reported once (image_set_ensure). */
    if (!cmd->image || !image_set_ensure(rd->images, cmd->image, &iw, &ih))
        return;
    struct rect r = cmd->rect;
    int w = r.w, h = (int)((long long)r.w * ih / iw);
    if (h > r.h) {
        h = r.h;
        w = (int)((long long)r.h * iw / ih);
    }
    SDL_Texture *tex = image_set_texture(rd->images, rd->sdl, cmd->image, w, h);
    if (!tex)
        return;
    SDL_Rect dst = {r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h};
    SDL_RenderCopy(rd->sdl, tex, NULL, &dst);
}

/* ---- the frame ---- */

void renderer_draw(struct renderer *rd, const struct frame *f)
{
    SDL_BlendMode saved_blend = SDL_BLENDMODE_NONE;
    SDL_GetRenderDrawBlendMode(rd->sdl, &saved_blend);
    struct rect screen = {0, 0, f->width, f->height};

    SDL_RenderSetClipRect(rd->sdl, NULL);
    SDL_SetRenderDrawBlendMode(rd->sdl, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(rd->sdl, f->background.r, f->background.g, f->background.b, 255);
    SDL_RenderClear(rd->sdl);

    for (size_t i = 0; i < f->n_cmds; i++) {
        const struct draw_cmd *cmd = &f->cmds[i];
        /* SDL takes an empty clip rect as "no clipping": skip instead. */
        struct rect clip = rect_intersect(cmd->clip, screen);
        if (rect_empty(clip))
            continue;
        if (cmd->op != DRAW_TEXT && rect_empty(rect_intersect(cmd->rect, clip)))
            continue;
        SDL_Rect sclip = {clip.x, clip.y, clip.w, clip.h};
        SDL_RenderSetClipRect(rd->sdl, &sclip);
        switch (cmd->op) {
        case DRAW_RECT:
            if (cmd->radius <= 0) {
                set_colour(rd->sdl, cmd->colour, cmd->colour.a);
                SDL_Rect r = {cmd->rect.x, cmd->rect.y, cmd->rect.w, cmd->rect.h};
                if (cmd->colour.a > 0)
                    SDL_RenderFillRect(rd->sdl, &r);
            } else {
                draw_shape(rd, cmd->rect, cmd->radius, 0, cmd->colour);
            }
            break;
        case DRAW_FRAME:
            /* A zeroed command means a hairline, not nothing. */
            draw_shape(rd, cmd->rect, cmd->radius, cmd->thickness > 0 ? cmd->thickness : 1,
                       cmd->colour);
            break;
        case DRAW_TEXT:
            draw_text(rd, cmd, clip, f->rtl);
            break;
        case DRAW_IMAGE:
            draw_image(rd, cmd);
            break;
        case DRAW_ICON:
            draw_icon(rd, cmd, f->rtl);
            break;
        }
    }
    SDL_RenderSetClipRect(rd->sdl, NULL);
    SDL_SetRenderDrawBlendMode(rd->sdl, saved_blend);
}

void renderer_cache_stats(const struct renderer *rd, struct render_cache_stats *out)
{
    *out = (struct render_cache_stats){.hits = rd->hits, .misses = rd->misses,
                                       .evictions = rd->evictions, .entries = rd->n_entries,
                                       .bytes = rd->bytes, .budget = rd->budget};
}
