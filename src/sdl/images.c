#include "sdl/images.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

#define TAG "images"

struct image {
    struct image *next;
    char *path;
    SDL_Surface *surface;        /* ARGB8888, opaque, at most IMAGES_KEEP_SIDE a side; a
                                  * feed picture's is let go once its texture is made */
    int w, h;                    /* the kept picture's size; 0 when it failed */
    SDL_Texture *texture;        /* at tex_w x tex_h, or NULL */
    int tex_w, tex_h;
    bool feed;                   /* loaded by image_set_ensure: may be forgotten */
    bool failed;                 /* image_set_ensure could not load it: no surface */
    struct timespec failed_mtime; /* the file's mtime when it failed; 0 when absent */
    unsigned long used;          /* the set's clock at the last use, for forgetting */
};

struct image_set {
    struct image *first;         /* a handful at most: a list will do */
    unsigned long clock;         /* counts uses */
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

static void image_free(struct image *im)
{
    if (im->texture)
        SDL_DestroyTexture(im->texture);
    SDL_FreeSurface(im->surface);
    free(im->path);
    free(im);
}

/* Any entry of path, a failed one included. */
static struct image *find_any(const struct image_set *set, const char *path)
{
    for (struct image *im = set->first; im; im = im->next)
        if (strcmp(im->path, path) == 0)
            return im;
    return NULL;
}

/* The loaded picture of path, or NULL. */
static struct image *find(const struct image_set *set, const char *path)
{
    struct image *im = find_any(set, path);
    return im && !im->failed && im->w > 0 ? im : NULL;
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
    *w = im->w;
    *h = im->h;
    return true;
}

/* decoded flattened onto white, as ARGB8888; takes decoded. NULL when out
 * of memory. */
static SDL_Surface *flattened(SDL_Surface *decoded)
{
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
    return flat;
}

/* path decoded, flattened and halved to at most IMAGES_KEEP_SIDE a side;
 * NULL with the reason in err. */
static SDL_Surface *decode_kept(const char *path, char *err, size_t err_len)
{
    SDL_Surface *decoded = IMG_Load(path);
    if (!decoded) {
        snprintf(err, err_len, "cannot decode %s: %s", path, IMG_GetError());
        return NULL;
    }
    if (decoded->w > IMAGES_MAX_SIDE || decoded->h > IMAGES_MAX_SIDE) {
        snprintf(err, err_len, "%s is %dx%d px; at most %d px a side", path, decoded->w,
                 decoded->h, IMAGES_MAX_SIDE);
        SDL_FreeSurface(decoded);
        return NULL;
    }
    SDL_Surface *flat = flattened(decoded);
    while (flat && (flat->w > IMAGES_KEEP_SIDE || flat->h > IMAGES_KEEP_SIDE) && flat->w >= 2 &&
           flat->h >= 2) {
        SDL_Surface *half = stretched(flat, flat->w / 2, flat->h / 2);
        SDL_FreeSurface(flat);
        flat = half;
    }
    if (!flat)
        snprintf(err, err_len, "out of memory for %s", path);
    return flat;
}

bool image_set_load(struct image_set *set, const char *path, int *w, int *h, char *err,
                    size_t err_len)
{
    struct image *im = find(set, path);
    if (im) {
        *w = im->w;
        *h = im->h;
        return true;
    }
    SDL_Surface *flat = decode_kept(path, err, err_len);
    if (!flat)
        return false;
    im = calloc(1, sizeof *im);
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
    im->w = flat->w;
    im->h = flat->h;
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
    if (!im->surface) {
        /* A feed picture let go of its pixels; asked at another size
         * (large text, a turned panel) it is read again. */
        char err[512];
        im->surface = decode_kept(im->path, err, sizeof err);
        if (!im->surface) {
            log_warn(TAG, "%s; it is not shown", err);
            return NULL;
        }
    }

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
        /* A feed picture is drawn at one size: its texture is all it
         * needs, and the kept pixels (1.7 MB at 800 x 533) go. The logo
         * keeps them: it is drawn at several sizes on every screen. */
        if (im->feed) {
            SDL_FreeSurface(im->surface);
            im->surface = NULL;
        }
    }
    return im->texture;
}

/* ---- the feed's images ---- */

/* Forgets the least recently used feed entries of one kind (loaded
 * pictures, or failed files) while there are more than keep of them. */
static void forget_beyond_limit(struct image_set *set, bool failed, int keep)
{
    for (;;) {
        int n = 0;
        struct image **oldest = NULL;
        for (struct image **p = &set->first; *p; p = &(*p)->next) {
            if (!(*p)->feed || (*p)->failed != failed)
                continue;
            n++;
            if (!oldest || (*p)->used < (*oldest)->used)
                oldest = p;
        }
        if (n <= keep || !oldest)
            return;
        struct image *gone = *oldest;
        *oldest = gone->next;
        image_free(gone);
    }
}

static struct timespec file_mtime(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_mtim : (struct timespec){0};
}

/* A failed entry whose file has changed since (a sync wrote a picture
 * that decodes) is dropped, so that the file is tried again. */
static struct image *unless_file_changed(struct image_set *set, struct image *im)
{
    if (!im || !im->failed)
        return im;
    struct timespec now = file_mtime(im->path);
    if (now.tv_sec == im->failed_mtime.tv_sec && now.tv_nsec == im->failed_mtime.tv_nsec)
        return im;
    for (struct image **p = &set->first; *p; p = &(*p)->next) {
        if (*p == im) {
            *p = im->next;
            image_free(im);
            break;
        }
    }
    return NULL;
}

bool image_set_ensure(struct image_set *set, const char *path, int *w, int *h)
{
    struct image *im = unless_file_changed(set, find_any(set, path));
    if (!im) {
        char err[512];
        int iw, ih;
        if (image_set_load(set, path, &iw, &ih, err, sizeof err)) {
            im = set->first; /* image_set_load puts it first */
            im->feed = true;
            forget_beyond_limit(set, false, IMAGES_FEED_KEPT);
        } else {
            log_warn(TAG, "%s; it is not shown", err);
            im = calloc(1, sizeof *im);
            if (im && !(im->path = strdup(path))) {
                free(im);
                im = NULL;
            }
            if (!im)
                return false;
            im->feed = im->failed = true;
            im->failed_mtime = file_mtime(path);
            im->next = set->first;
            set->first = im;
            im->used = ++set->clock; /* the newest is not the one forgotten */
            forget_beyond_limit(set, true, IMAGES_FAILED_KEPT);
        }
    }
    im->used = ++set->clock;
    if (im->failed)
        return false;
    *w = im->w;
    *h = im->h;
    return true;
}

size_t image_set_entries(const struct image_set *set)
{
    size_t n = 0;
    for (const struct image *im = set ? set->first : NULL; im; im = im->next)
        n++;
    return n;
}

/* s scaled to fit side x side (aspect kept, never enlarged) by halvings
 * and a last linear step; takes s. */
static SDL_Surface *fit(SDL_Surface *s, int side)
{
    if (!s || (s->w <= side && s->h <= side))
        return s;
    long long w = s->w, h = s->h;
    if (w >= h) {
        h = h * side / w;
        w = side;
    } else {
        w = w * side / h;
        h = side;
    }
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    s = halve_towards(s, (int)w, (int)h);
    if (s && (s->w != w || s->h != h)) {
        SDL_Surface *last = stretched(s, (int)w, (int)h);
        SDL_FreeSurface(s);
        s = last;
    }
    return s;
}

/* Writes s as a PNG to tmp (path with ".tmp"), for a rename once every
 * file of the pair is written. */
static bool save_png_tmp(SDL_Surface *s, const char *path, char *tmp, size_t tmp_len, char *err,
                         size_t err_len)
{
    snprintf(tmp, tmp_len, "%s.tmp", path);
    if (IMG_SavePNG(s, tmp) != 0) {
        snprintf(err, err_len, "cannot write the picture: %s", IMG_GetError());
        unlink(tmp);
        return false;
    }
    return true;
}

bool images_keep_feed_image(void *ctx, const void *body, size_t len, const char *path,
                            const char *thumb_path, struct image_kept *out, char *err,
                            size_t err_len)
{
    (void)ctx;
    int hw, hh;
    if (!image_cache_header_size(body, len, &hw, &hh)) {
        snprintf(err, err_len, "not a PNG or JPEG picture");
        return false;
    }
    if (hw > IMAGE_CACHE_MAX_SIDE || hh > IMAGE_CACHE_MAX_SIDE) {
        snprintf(err, err_len, "%dx%d px; at most %d px a side", hw, hh, IMAGE_CACHE_MAX_SIDE);
        return false;
    }
    if (len > INT32_MAX) {
        snprintf(err, err_len, "too large");
        return false;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(body, (int)len);
    SDL_Surface *decoded = rw ? IMG_Load_RW(rw, 1) : NULL;
    if (!decoded) {
        snprintf(err, err_len, "cannot decode: %s", IMG_GetError());
        return false;
    }
    /* The header may lie about what the decoder then makes. */
    if (decoded->w > IMAGE_CACHE_MAX_SIDE || decoded->h > IMAGE_CACHE_MAX_SIDE) {
        snprintf(err, err_len, "%dx%d px; at most %d px a side", decoded->w, decoded->h,
                 IMAGE_CACHE_MAX_SIDE);
        SDL_FreeSurface(decoded);
        return false;
    }
    SDL_Surface *kept = fit(flattened(decoded), IMAGE_CACHE_KEEP_SIDE);
    SDL_Surface *copy = kept ? SDL_DuplicateSurface(kept) : NULL;
    SDL_Surface *thumb = fit(copy, IMAGE_CACHE_THUMB_SIDE);
    /* Both files are written as temporaries first and renamed only then:
     * a screen loading either sees the old picture or the new one, and a
     * failure (a full disk) leaves the older pair as it was. */
    bool ok = false;
    char tmp[4300], thumb_tmp[4300];
    if (!kept || !thumb) {
        snprintf(err, err_len, "out of memory");
    } else if (save_png_tmp(kept, path, tmp, sizeof tmp, err, err_len)) {
        if (!save_png_tmp(thumb, thumb_path, thumb_tmp, sizeof thumb_tmp, err, err_len)) {
            unlink(tmp);
        } else if (rename(tmp, path) != 0 || rename(thumb_tmp, thumb_path) != 0) {
            snprintf(err, err_len, "cannot write the picture");
            unlink(tmp);
            unlink(thumb_tmp);
        } else {
            *out = (struct image_kept){kept->w, kept->h, thumb->w, thumb->h};
            ok = true;
        }
    }
    SDL_FreeSurface(kept);
    SDL_FreeSurface(thumb);
    return ok;
}
