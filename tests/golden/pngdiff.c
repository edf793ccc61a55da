/*
 * pngdiff EXPECTED.png ACTUAL.png DIFF.png [TOLERANCE]
 *
 * Compares two images for the golden-image tests. Exit 0 when they have
 * the same size and no channel (R, G, B, A) of any pixel differs by more
 * than TOLERANCE (0..255, default 0). Otherwise exit 1, say how many
 * pixels differ and where, and write DIFF.png: the actual image in dimmed
 * grey with every differing pixel in pure magenta, so that a person sees
 * at a glance what moved. Exit 2 when an input cannot be read or the
 * command line is wrong.
 *
 * A tolerance exists because golden images are made on one machine and
 * checked on others: SDL's blitters have SIMD paths per CPU that may round
 * alpha blending differently by one step.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static SDL_Surface *load_rgba(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw) {
        fprintf(stderr, "pngdiff: cannot read %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    /* One byte order for every input, so that channels compare directly
     * whatever the PNG's colour type (RGB gets alpha 255). */
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(raw);
    if (!s)
        fprintf(stderr, "pngdiff: cannot convert %s: %s\n", path, SDL_GetError());
    return s;
}

static const Uint8 *pixel(const SDL_Surface *s, int x, int y)
{
    if (!s || x >= s->w || y >= s->h)
        return NULL;
    return (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch + (size_t)x * 4;
}

static int max_channel_diff(const Uint8 *a, const Uint8 *b)
{
    int m = 0;
    for (int i = 0; i < 4; i++) {
        int d = abs((int)a[i] - (int)b[i]);
        if (d > m)
            m = d;
    }
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: pngdiff EXPECTED.png ACTUAL.png DIFF.png [TOLERANCE]\n");
        return 2;
    }
    int tolerance = 0;
    if (argc == 5) {
        char *end;
        errno = 0;
        long t = strtol(argv[4], &end, 10);
        if (errno || *end || end == argv[4] || t < 0 || t > 255) {
            fprintf(stderr, "pngdiff: tolerance must be 0..255, not '%s'\n", argv[4]);
            return 2;
        }
        tolerance = (int)t;
    }
    IMG_Init(IMG_INIT_PNG);
    int status = 2;
    SDL_Surface *expected = load_rgba(argv[1]);
    SDL_Surface *actual = load_rgba(argv[2]);
    SDL_Surface *diff = NULL;
    if (!expected || !actual)
        goto end;

    /* Compare over the union of both sizes: a pixel that only one image
     * has differs. */
    int w = expected->w > actual->w ? expected->w : actual->w;
    int h = expected->h > actual->h ? expected->h : actual->h;
    diff = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    if (!diff) {
        fprintf(stderr, "pngdiff: out of memory\n");
        goto end;
    }
    long long differing = 0;
    int worst = 0;
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++) {
        Uint8 *out = (Uint8 *)diff->pixels + (size_t)y * (size_t)diff->pitch;
        for (int x = 0; x < w; x++, out += 4) {
            const Uint8 *e = pixel(expected, x, y);
            const Uint8 *a = pixel(actual, x, y);
            int d = e && a ? max_channel_diff(e, a) : 256;
            if (d > worst && d <= 255)
                worst = d;
            if (d > tolerance) {
                differing++;
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
                x1 = x > x1 ? x : x1;
                y1 = y > y1 ? y : y1;
                out[0] = 255, out[1] = 0, out[2] = 255, out[3] = 255;
            } else {
                /* Rec. 601 luma at 30 %: the picture stays readable but
                 * nothing in it competes with magenta. */
                int luma = (299 * a[0] + 587 * a[1] + 114 * a[2]) / 1000;
                Uint8 g = (Uint8)(luma * 3 / 10);
                out[0] = g, out[1] = g, out[2] = g, out[3] = 255;
            }
        }
    }
    if (differing == 0) {
        status = 0;
        goto end;
    }
    status = 1;
    if (expected->w != actual->w || expected->h != actual->h)
        printf("pngdiff: sizes differ: expected %dx%d, actual %dx%d\n", expected->w,
               expected->h, actual->w, actual->h);
    printf("pngdiff: %lld of %lld pixels differ by more than %d (largest channel difference "
           "in the overlap %d), bounding box x=%d y=%d w=%d h=%d; diff in %s\n",
           differing, (long long)w * h, tolerance, worst, x0, y0, x1 - x0 + 1, y1 - y0 + 1,
           argv[3]);
    if (IMG_SavePNG(diff, argv[3]) != 0)
        fprintf(stderr, "pngdiff: cannot write %s: %s\n", argv[3], IMG_GetError());
end:
    SDL_FreeSurface(diff);
    SDL_FreeSurface(actual);
    SDL_FreeSurface(expected);
    IMG_Quit();
    return status;
}
