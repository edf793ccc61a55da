#include "sdl/images.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct image {
    struct image *next;
    char *path;
    SDL_Surface *surface;        /* ARGB8888, opaque, at most IMAGES_KEEP_SIDE a side */
    SDL_Texture *texture;        /* at tex_w x tex_h, or NULL */
    int tex_w, tex_h;
};

struct image_set {
    struct image *first;         /* a handful at most: a list will do */
};

struct image_set *image_set_new(void)
{
    return calloc(1, sizeof(struct image_set));
}

void image_set_drop_textures(struct image_set *set)
{
    if (!set)
        return;
    for (struct image *im = set->first; im; im = im->next) {
        if (im->texture)
            SDL_DestroyTexture(im->texture);
        im->texture = NULL;
    }
}

void image_set_free(struct image_set *set)
{
    if (!set)
        return;
    image_set_drop_textures(set);
    for (struct image *im = set->first, *next; im; im = next) {
        next = im->next;
        SDL_FreeSurface(im->surface);
        free(im->path);
        free(im);
    }
    free(set);
}

static struct image *find(const struct image_set *set, const char *path)
{
    for (struct image *im = set->first; im; im = im->next)
        if (strcmp(im->path, path) == 0)
            return im;
    return NULL;
}

/* A linear-filtered copy of s at w x h, in s's format. */
static SDL_Surface *stretched(SDL_Surface *s, int w, int h)
{
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, s->format->format);
    if (out && SDL_SoftStretchLinear(s, NULL, out, NULL) != 0) {
        SDL_FreeSurface(out);
        out = NULL;
    }
    return out;
}

/* s brought down towards w x h by halvings while it stays at least twice
 * as large, each one averaging 2 x 2 pixels, so that the final linear
 * step never skips source pixels. Takes s; NULL when out of memory. */
static SDL_Surface *halve_towards(SDL_Surface *s, int w, int h)
{
    while (s && s->w >= 2 * w && s->h >= 2 * h && s->w >= 2 && s->h >= 2) {
        SDL_Surface *half = stretched(s, s->w / 2, s->h / 2);
        SDL_FreeSurface(s);
        s = half;
    }
    return s;
}

bool image_set_size(const struct image_set *set, const char *path, int *w, int *h)
{
    const struct image *im = find(set, path);
    if (!im)
        return false;
    *w = im->surface->w;
    *h = im->surface->h;
    return true;
}

bool image_set_load(struct image_set *set, const char *path, int *w, int *h, char *err,
                    size_t err_len)
{
    struct image *im = find(set, path);
    if (im) {
        *w = im->surface->w;
        *h = im->surface->h;
        return true;
    }
    SDL_Surface *decoded = IMG_Load(path);
    if (!decoded) {
        snprintf(err, err_len, "cannot decode %s: %s", path, IMG_GetError());
        return false;
    }
    if (decoded->w > IMAGES_MAX_SIDE || decoded->h > IMAGES_MAX_SIDE) {
        snprintf(err, err_len, "%s is %dx%d px; at most %d px a side", path, decoded->w,
                 decoded->h, IMAGES_MAX_SIDE);
        SDL_FreeSurface(decoded);
        return false;
    }
    /* The kiosk shows pictures on a white plate (view/widgets.c, canvas_image), so
     * they are flattened onto white once: scaling an opaque picture needs
     * no care for the colour of transparent pixels, which would otherwise
     * bleed into the edges. */
    SDL_Surface *flat = SDL_CreateRGBSurfaceWithFormat(0, decoded->w, decoded->h, 32,
                                                       SDL_PIXELFORMAT_ARGB8888);
    if (flat) {
        SDL_FillRect(flat, NULL, SDL_MapRGBA(flat->format, 255, 255, 255, 255));
        SDL_SetSurfaceBlendMode(decoded, SDL_BLENDMODE_BLEND);
        if (SDL_BlitSurface(decoded, NULL, flat, NULL) != 0) {
            SDL_FreeSurface(flat);
            flat = NULL;
        }
    }
    SDL_FreeSurface(decoded);
    while (flat && (flat->w > IMAGES_KEEP_SIDE || flat->h > IMAGES_KEEP_SIDE) && flat->w >= 2 &&
           flat->h >= 2) {
        SDL_Surface *half = stretched(flat, flat->w / 2, flat->h / 2);
        SDL_FreeSurface(flat);
        flat = half;
    }
    im = flat ? calloc(1, sizeof *im) : NULL;
    if (im)
        im->path = strdup(path);
    if (!im || !im->path) {
        snprintf(err, err_len, "out of memory for %s", path);
        if (im)
            free(im);
        SDL_FreeSurface(flat);
        return false;
    }
    im->surface = flat;
    im->next = set->first;
    set->first = im;
    *w = flat->w;
    *h = flat->h;
    return true;
}

SDL_Texture *image_set_texture(struct image_set *set, SDL_Renderer *r, const char *path, int w,
                               int h)
{
    struct image *im = path ? find(set, path) : NULL;
    if (!im || w <= 0 || h <= 0)
        return NULL;
    if (im->texture && im->tex_w == w && im->tex_h == h)
        return im->texture;
    if (im->texture)
        SDL_DestroyTexture(im->texture);
    im->texture = NULL;

    SDL_Surface *copy = SDL_DuplicateSurface(im->surface);
    SDL_Surface *sized = copy ? halve_towards(copy, w, h) : NULL;
    if (sized && (sized->w != w || sized->h != h)) {
        SDL_Surface *last = stretched(sized, w, h);
        SDL_FreeSurface(sized);
        sized = last;
    }
    if (!sized)
        return NULL;
    im->texture = SDL_CreateTextureFromSurface(r, sized);
    SDL_FreeSurface(sized);
    if (im->texture) {
        SDL_SetTextureBlendMode(im->texture, SDL_BLENDMODE_NONE);
        im->tex_w = w;
        im->tex_h = h;
    }
    return im->texture;
}
