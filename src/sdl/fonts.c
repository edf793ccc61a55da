#include "sdl/fonts.h"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "sdl/render.h"

#define TAG "fonts"

/* DejaVu, the preferred faces and the fallbacks a feed's scripts bring:
 * a dozen at most in practice. */
#define MAX_FACES 32

/* The size DejaVu is opened at once, at start, to know it opens. */
#define CHECK_PX 20

/* Scripts whose letters are drawn with a named family when it is
 * installed, even though DejaVu has them: DejaVu's Arabic is small and
 * was drawn for print; Noto Sans Arabic was drawn for screens. */
static const struct {
    hb_script_t script;
    const char *family;
} preferred[] = {
    {HB_SCRIPT_ARABIC, "Noto Sans Arabic"},
};

#define PREFERRED_SCRIPTS (sizeof preferred / sizeof *preferred)

struct face {
    char *path;
    int index;                          /* face in a collection file */
    char *family;
    /* The file, mapped once: FreeType reads glyphs from memory instead of
     * seeking in the file for every glyph it loads, and every size shares
     * the same pages (which the page cache shares with other programs). */
    void *map;
    size_t map_len;
    /* The face's character map, read by HarfBuzz from the same pages: to
     * ask whether the face has a letter without opening it at a size
     * nothing is drawn at (an SDL_ttf font costs 45-190 KiB). */
    hb_font_t *cmap;
    TTF_Font *by_px[RENDER_FONT_PX_MAX + 1];
};

/* code point -> face, an open-addressing table */
struct cp_slot {
    uint32_t cp;                        /* 0: empty (U+0000 is never looked up) */
    int face;
};

struct weight_set {
    struct face faces[MAX_FACES];
    size_t n_faces;
    /* the preferred face of each row of `preferred`: -2 not looked up yet */
    int preferred_face[PREFERRED_SCRIPTS];
    struct cp_slot *slots;
    size_t cap, used;
};

struct font_set {
    FcConfig *fc;
    struct weight_set w[2];
    /* The pictograms' font, looked up the first time one is drawn. */
    struct face icons;
    bool icons_looked_up;
};


static int weight_index(enum font_weight weight)
{
    return weight == FONT_BOLD ? 1 : 0;
}

static int fc_weight(enum font_weight weight)
{
    return weight == FONT_BOLD ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR;
}

static int clamp_px(int px)
{
    return px < RENDER_FONT_PX_MIN ? RENDER_FONT_PX_MIN
           : px > RENDER_FONT_PX_MAX ? RENDER_FONT_PX_MAX
                                     : px;
}

/* ---- faces ---- */

static int add_face(struct weight_set *ws, const char *path, int index, const char *family)
{
    for (size_t i = 0; i < ws->n_faces; i++)
        if (ws->faces[i].index == index && strcmp(ws->faces[i].path, path) == 0)
            return (int)i;
    if (ws->n_faces == MAX_FACES)
        return FONT_FACE_NONE;
    struct face *f = &ws->faces[ws->n_faces];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    f->family = strdup(family);
    f->index = index;
    if (!f->path || !f->family) {
        free(f->path);
        free(f->family);
        return FONT_FACE_NONE;
    }
    return (int)ws->n_faces++;
}

static bool map_file(struct face *f)
{
    int fd = open(f->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > INT32_MAX) {
        log_warn(TAG, "cannot read the font %s", f->path);
        if (fd >= 0)
            close(fd);
        return false;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        log_warn(TAG, "cannot map the font %s", f->path);
        return false;
    }
    f->map = map;
    f->map_len = (size_t)st.st_size;
    return true;
}

/* A new SDL_ttf font of the (mapped) face at px, or NULL, said in the log. */
static TTF_Font *open_at(const struct face *f, int px)
{
    /* SDL_ttf sizes at 72 dpi: a point is a pixel, so px is the em. */
    SDL_RWops *rw = SDL_RWFromConstMem(f->map, (int)f->map_len);
    TTF_Font *font = rw ? TTF_OpenFontIndexRW(rw, 1, px, f->index) : NULL;
    if (!font)
        log_warn(TAG, "cannot open %s at %d px: %s", f->path, px, TTF_GetError());
    return font;
}

TTF_Font *font_set_font(struct font_set *fs, int face, int px, enum font_weight weight)
{
    struct weight_set *ws = &fs->w[weight_index(weight)];
    if (face < 0 || (size_t)face >= ws->n_faces)
        face = 0;
    struct face *f = &ws->faces[face];
    px = clamp_px(px);
    if (!f->by_px[px]) {
        if (!f->map && !map_file(f))
            return NULL;
        f->by_px[px] = open_at(f, px);
    }
    return f->by_px[px];
}

static hb_font_t *face_cmap(struct face *f)
{
    if (!f->cmap) {
        if (!f->map && !map_file(f))
            return NULL;
        hb_blob_t *blob = hb_blob_create(f->map, (unsigned)f->map_len, HB_MEMORY_MODE_READONLY,
                                         NULL, NULL);
        hb_face_t *face = hb_face_create(blob, (unsigned)f->index);
        /* Never NULL: on failure HarfBuzz gives an empty font, which has
         * no letters, as a face that cannot be read has none to draw. */
        f->cmap = hb_font_create(face);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
    }
    return f->cmap;
}

bool font_set_has(struct font_set *fs, int face, unsigned cp, enum font_weight weight)
{
    struct weight_set *ws = &fs->w[weight_index(weight)];
    if (face < 0 || (size_t)face >= ws->n_faces)
        return false;
    hb_font_t *cmap = face_cmap(&ws->faces[face]);
    hb_codepoint_t glyph;
    return cmap && hb_font_get_nominal_glyph(cmap, cp, &glyph) && glyph != 0;
}

const char *font_set_family(const struct font_set *fs, int face, enum font_weight weight)
{
    const struct weight_set *ws = &fs->w[weight_index(weight)];
    if (face < 0 || (size_t)face >= ws->n_faces)
        return "(none)";
    return ws->faces[face].family;
}

size_t font_set_faces(const struct font_set *fs, enum font_weight weight)
{
    return fs->w[weight_index(weight)].n_faces;
}

/* ---- fontconfig ---- */

/* The file of the best match for pattern that has cp (0: any), and of the
 * family `family` when that is not NULL. fontconfig always answers with
 * something, so the answer is checked. */
static int match_face(struct font_set *fs, struct weight_set *ws, FcPattern *pattern, unsigned cp,
                      const char *family)
{
    FcConfigSubstitute(fs->fc, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcFontSet *sorted = FcFontSort(fs->fc, pattern, FcTrue, NULL, &result);
    int face = FONT_FACE_NONE;
    for (int i = 0; sorted && i < sorted->nfont && face == FONT_FACE_NONE; i++) {
        FcPattern *font = sorted->fonts[i];
        FcChar8 *file = NULL, *fam = NULL;
        FcCharSet *chars = NULL;
        FcBool scalable = FcFalse;
        int index = 0;
        if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch ||
            FcPatternGetString(font, FC_FAMILY, 0, &fam) != FcResultMatch)
            continue;
        /* SDL_ttf draws outlines at any size; bitmap faces are skipped. */
        if (FcPatternGetBool(font, FC_SCALABLE, 0, &scalable) == FcResultMatch && !scalable)
            continue;
        if (family && strcmp((const char *)fam, family) != 0)
            continue;
        /* The pictograms' font has glyphs in the Private Use Area and
         * letters for its ligatures: never a fallback for text. */
        if (!family && strcmp((const char *)fam, FONT_ICON_FAMILY) == 0)
            continue;
        if (cp && (FcPatternGetCharSet(font, FC_CHARSET, 0, &chars) != FcResultMatch ||
                   !FcCharSetHasChar(chars, cp)))
            continue;
        FcPatternGetInteger(font, FC_INDEX, 0, &index);
        face = add_face(ws, (const char *)file, index, (const char *)fam);
    }
    if (sorted)
        FcFontSetDestroy(sorted);
    return face;
}

static int find_family(struct font_set *fs, struct weight_set *ws, const char *family,
                       enum font_weight weight, unsigned cp)
{
    FcPattern *p = FcPatternCreate();
    if (!p)
        return FONT_FACE_NONE;
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(p, FC_WEIGHT, fc_weight(weight));
    int face = match_face(fs, ws, p, cp, family);
    FcPatternDestroy(p);
    return face;
}

/* Any installed face that has cp, sans-serif Noto first. */
static int find_fallback(struct font_set *fs, struct weight_set *ws, enum font_weight weight,
                         unsigned cp)
{
    FcPattern *p = FcPatternCreate();
    FcCharSet *chars = FcCharSetCreate();
    int face = FONT_FACE_NONE;
    if (p && chars && FcCharSetAddChar(chars, cp)) {
        FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)"Noto Sans");
        FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)"sans-serif");
        FcPatternAddInteger(p, FC_WEIGHT, fc_weight(weight));
        FcPatternAddCharSet(p, FC_CHARSET, chars);
        face = match_face(fs, ws, p, cp, NULL);
    }
    if (chars)
        FcCharSetDestroy(chars);
    if (p)
        FcPatternDestroy(p);
    return face;
}

/* ---- pictograms ---- */

/* A file SDL_ttf opens without help: the package also installs WOFF and
 * WOFF2 copies under the same family, which FreeType may not read. */
static bool plain_font_file(const char *path)
{
    size_t n = strlen(path);
    return (n > 4 && (strcmp(path + n - 4, ".ttf") == 0 || strcmp(path + n - 4, ".otf") == 0));
}

static void find_icon_font(struct font_set *fs)
{
    fs->icons_looked_up = true;
    FcPattern *p = FcPatternCreate();
    if (!p)
        return;
    FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)FONT_ICON_FAMILY);
    FcConfigSubstitute(fs->fc, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult result;
    FcFontSet *sorted = FcFontSort(fs->fc, p, FcFalse, NULL, &result);
    for (int i = 0; sorted && i < sorted->nfont && !fs->icons.path; i++) {
        FcChar8 *file = NULL, *fam = NULL;
        int index = 0;
        if (FcPatternGetString(sorted->fonts[i], FC_FILE, 0, &file) != FcResultMatch ||
            FcPatternGetString(sorted->fonts[i], FC_FAMILY, 0, &fam) != FcResultMatch ||
            strcmp((const char *)fam, FONT_ICON_FAMILY) != 0 ||
            !plain_font_file((const char *)file))
            continue;
        FcPatternGetInteger(sorted->fonts[i], FC_INDEX, 0, &index);
        fs->icons.path = strdup((const char *)file);
        fs->icons.family = strdup((const char *)fam);
        fs->icons.index = index;
    }
    if (sorted)
        FcFontSetDestroy(sorted);
    FcPatternDestroy(p);
    if (!fs->icons.path || !fs->icons.family) {
        free(fs->icons.path);
        free(fs->icons.family);
        fs->icons.path = fs->icons.family = NULL;
        log_warn(TAG, FONT_ICON_FAMILY " not found through fontconfig "
                      "(install fonts-material-design-icons-iconfont): no pictograms");
    }
}

TTF_Font *font_set_icon_font(struct font_set *fs, int px)
{
    if (!fs->icons_looked_up)
        find_icon_font(fs);
    struct face *f = &fs->icons;
    if (!f->path)
        return NULL;
    px = clamp_px(px);
    if (!f->by_px[px]) {
        if (!f->map && !map_file(f)) {
            free(f->path);      /* reported once, not at every frame */
            f->path = NULL;
            return NULL;
        }
        f->by_px[px] = open_at(f, px);
    }
    return f->by_px[px];
}

const char *font_set_icon_path(struct font_set *fs)
{
    if (!fs->icons_looked_up)
        find_icon_font(fs);
    return fs->icons.path;
}

/* ---- the code point table ---- */

static size_t slot_of(const struct weight_set *ws, unsigned cp)
{
    size_t h = (size_t)cp * 2654435761u;
    size_t i = h & (ws->cap - 1);
    while (ws->slots[i].cp != 0 && ws->slots[i].cp != cp)
        i = (i + 1) & (ws->cap - 1);
    return i;
}

static void remember(struct weight_set *ws, unsigned cp, int face)
{
    if ((ws->used + 1) * 2 > ws->cap) {
        size_t cap = ws->cap ? ws->cap * 2 : 256;
        struct cp_slot *old = ws->slots;
        size_t old_cap = ws->cap;
        struct cp_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return;         /* looked up again next time: slower, still right */
        ws->slots = slots;
        ws->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].cp)
                ws->slots[slot_of(ws, old[i].cp)] = old[i];
        free(old);
    }
    size_t i = slot_of(ws, cp);
    if (ws->slots[i].cp == 0)
        ws->used++;
    ws->slots[i] = (struct cp_slot){cp, face};
}

int font_set_face_for(struct font_set *fs, unsigned cp, enum font_weight weight)
{
    struct weight_set *ws = &fs->w[weight_index(weight)];
    if (cp == 0)
        return 0;
    if (ws->cap) {
        size_t i = slot_of(ws, cp);
        if (ws->slots[i].cp == cp)
            return ws->slots[i].face;
    }
    int face = FONT_FACE_NONE;
    hb_script_t script = hb_unicode_script(hb_unicode_funcs_get_default(), cp);
    for (size_t i = 0; i < sizeof preferred / sizeof *preferred && face < 0; i++) {
        if (preferred[i].script != script)
            continue;
        /* Asked of fontconfig once per script, not once per letter. */
        if (ws->preferred_face[i] == -2)
            ws->preferred_face[i] = find_family(fs, ws, preferred[i].family, weight, 0);
        if (font_set_has(fs, ws->preferred_face[i], cp, weight))
            face = ws->preferred_face[i];
    }
    if (face < 0 && font_set_has(fs, 0, cp, weight))
        face = 0;
    /* A face already found for a neighbour in its script usually has this
     * letter too: fontconfig's sort of every installed face is the last
     * resort, not the first. */
    for (size_t i = 1; face < 0 && i < ws->n_faces; i++)
        if (font_set_has(fs, (int)i, cp, weight))
            face = (int)i;
    if (face < 0)
        face = find_fallback(fs, ws, weight, cp);
    if (face >= 0 && !font_set_has(fs, face, cp, weight))
        face = FONT_FACE_NONE;      /* fontconfig's table and the file disagree */
    if (face < 0)
        log_debug(TAG, "no installed font has U+%04X", cp);
    remember(ws, cp, face);
    return face;
}

/* ---- life cycle ---- */

struct font_set *font_set_new(char *err, size_t err_len)
{
    struct font_set *fs = calloc(1, sizeof *fs);
    if (!fs) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    fs->fc = FcInitLoadConfigAndFonts();
    if (!fs->fc) {
        snprintf(err, err_len, "fontconfig could not load its configuration");
        goto fail;
    }
    for (int wi = 0; wi < 2; wi++) {
        enum font_weight weight = wi ? FONT_BOLD : FONT_REGULAR;
        for (size_t i = 0; i < sizeof preferred / sizeof *preferred; i++)
            fs->w[wi].preferred_face[i] = -2;
        /* A missing DejaVu would silently become another family and change
         * every golden image: only DejaVu Sans itself will do. */
        if (find_family(fs, &fs->w[wi], "DejaVu Sans", weight, 0) != 0) {
            snprintf(err, err_len, "DejaVu Sans not found through fontconfig "
                                   "(install fonts-dejavu-core)");
            goto fail;
        }
        /* Opened once to know now that it opens, then closed: the sizes
         * drawn are opened when first drawn. */
        struct face *dejavu = &fs->w[wi].faces[0];
        TTF_Font *check = map_file(dejavu) ? open_at(dejavu, CHECK_PX) : NULL;
        if (!check) {
            snprintf(err, err_len, "cannot open the font %s: %s", dejavu->path, TTF_GetError());
            goto fail;
        }
        TTF_CloseFont(check);
    }
    return fs;
fail:
    font_set_free(fs);
    return NULL;
}

void font_set_free(struct font_set *fs)
{
    if (!fs)
        return;
    for (int wi = 0; wi < 2; wi++) {
        struct weight_set *ws = &fs->w[wi];
        for (size_t i = 0; i < ws->n_faces; i++) {
            for (int px = 0; px <= RENDER_FONT_PX_MAX; px++)
                if (ws->faces[i].by_px[px])
                    TTF_CloseFont(ws->faces[i].by_px[px]);
            if (ws->faces[i].cmap)
                hb_font_destroy(ws->faces[i].cmap);
            if (ws->faces[i].map)
                munmap(ws->faces[i].map, ws->faces[i].map_len);
            free(ws->faces[i].path);
            free(ws->faces[i].family);
        }
        free(ws->slots);
    }
    for (int px = 0; px <= RENDER_FONT_PX_MAX; px++)
        if (fs->icons.by_px[px])
            TTF_CloseFont(fs->icons.by_px[px]);
    if (fs->icons.map)
        munmap(fs->icons.map, fs->icons.map_len);
    free(fs->icons.path);
    free(fs->icons.family);
    if (fs->fc)
        FcConfigDestroy(fs->fc);
    free(fs);
}
