#include "sdl/shape.h"

#include <hb.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "view/bidi.h"

/* Pieces in one line: a line mixing three scripts and a number has a
 * handful; beyond this the rest of the line joins the last piece. */
#define MAX_PIECES 64
#define MAX_RUNS 64

struct piece {
    size_t start, len;          /* bytes of the line, logical order */
    int face;
    bool rtl;
    hb_script_t script;
};

struct line {
    struct piece pieces[MAX_PIECES];
    size_t n;
};

static bool is_common(hb_script_t s)
{
    return s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN;
}

/* Joiners and variation selectors belong to the letters around them. */
static bool is_joiner(unsigned cp)
{
    return cp == 0x200C || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
}

/* Splits one directional run into pieces of one face, appended in visual
 * order (a right-to-left run's pieces from its logical end). */
static void split_run(struct font_set *fs, const char *text, struct bidi_run run,
                      enum font_weight weight, struct line *out)
{
    size_t first = out->n;
    hb_unicode_funcs_t *ucd = hb_unicode_funcs_get_default();
    int face = FONT_FACE_NONE;
    for (size_t i = run.start, end = run.start + run.len; i < end;) {
        unsigned cp;
        size_t n = utf8_decode(text + i, end - i, &cp);
        hb_script_t script = hb_unicode_script(ucd, cp);
        int want;
        if (is_joiner(cp) || bidi_is_control(cp))
            want = face != FONT_FACE_NONE ? face : 0;   /* drawn as nothing, by any face */
        else if (face != FONT_FACE_NONE && is_common(script) && font_set_has(fs, face, cp, weight))
            want = face;
        else
            want = font_set_face_for(fs, cp, weight);
        if (want == FONT_FACE_NONE)
            want = 0;       /* drawn as the first face's box; shape_missing_glyph tells */
        if (out->n > first && want == face) {
            struct piece *p = &out->pieces[out->n - 1];
            p->len += n;
            if (is_common(p->script) && !is_common(script))
                p->script = script;
        } else if (out->n < MAX_PIECES) {
            out->pieces[out->n++] =
                (struct piece){i, n, want, run.rtl, is_common(script) ? HB_SCRIPT_COMMON : script};
            face = want;
        } else {
            out->pieces[out->n - 1].len = end - out->pieces[out->n - 1].start;
            break;
        }
        i += n;
    }
    if (run.rtl)
        for (size_t a = first, b = out->n; a + 1 < b; a++, b--) {
            struct piece t = out->pieces[a];
            out->pieces[a] = out->pieces[b - 1];
            out->pieces[b - 1] = t;
        }
}

/* Plain ASCII with a letter, in a left-to-right interface or not, reads
 * left to right in DejaVu: most of a Dutch screen takes this way. */
static bool plain_latin(const char *text, size_t len, bool rtl)
{
    bool letter = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x80)
            return false;
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            letter = true;
    }
    return letter || !rtl;
}

static void split_line(struct font_set *fs, const char *text, size_t len, enum font_weight weight,
                       bool rtl, struct line *out)
{
    out->n = 0;
    if (len == 0)
        return;
    if (plain_latin(text, len, rtl)) {
        out->pieces[0] = (struct piece){0, len, 0, false, HB_SCRIPT_LATIN};
        out->n = 1;
        return;
    }
    struct bidi_run runs[MAX_RUNS];
    size_t n = bidi_visual_runs(text, len, rtl, runs, MAX_RUNS);
    if (n > MAX_RUNS) {
        /* Pathological mixing: one run, still drawn, only misordered. */
        runs[0] = (struct bidi_run){0, len, bidi_first_strong(text, len) == TEXT_DIR_RTL};
        n = 1;
    }
    for (size_t i = 0; i < n; i++)
        split_run(fs, text, runs[i], weight, out);
}

/* Sets the face up for one piece and hands its text over NUL-terminated
 * (SDL_ttf wants that). */
static TTF_Font *prepare(struct font_set *fs, const char *text, const struct piece *p, int px,
                         enum font_weight weight, char *buf, size_t cap, char **heap)
{
    *heap = NULL;
    TTF_Font *font = font_set_font(fs, p->face, px, weight);
    if (!font)
        return NULL;
    char *copy = buf;
    if (p->len + 1 > cap) {
        copy = *heap = malloc(p->len + 1);
        if (!copy)
            return NULL;
    }
    memcpy(copy, text + p->start, p->len);
    copy[p->len] = '\0';
    char tag[5];
    hb_tag_to_string(hb_script_to_iso15924_tag(p->script), tag);
    tag[4] = '\0';
    TTF_SetFontDirection(font, p->rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(font, tag);
    return font;
}

int shape_measure(struct font_set *fs, const char *text, size_t len, int px,
                  enum font_weight weight, bool rtl)
{
    struct line line;
    split_line(fs, text, len, weight, rtl, &line);
    int total = 0;
    for (size_t i = 0; i < line.n; i++) {
        char buf[512], *heap;
        TTF_Font *font = prepare(fs, text, &line.pieces[i], px, weight, buf, sizeof buf, &heap);
        if (!font)
            continue;
        int w = 0, h = 0;
        if (TTF_SizeUTF8(font, heap ? heap : buf, &w, &h) == 0)
            total += w;
        free(heap);
    }
    return total;
}

/* Drops the fully transparent rows above and below the ink: a face with a
 * tall line box (Noto Sans Arabic's marks) would otherwise make every
 * texture of the line that much taller, for nothing. *top follows. */
static SDL_Surface *crop_rows(SDL_Surface *s, int *top)
{
    if (s->format->format != SDL_PIXELFORMAT_ARGB8888 || SDL_MUSTLOCK(s))
        return s;
    int first = -1, last = -1;
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row = (const Uint32 *)(const void *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < s->w; x++)
            if (row[x] >> 24) {
                if (first < 0)
                    first = y;
                last = y;
                break;
            }
    }
    if (first <= 0 && last == s->h - 1)
        return s;
    if (first < 0)
        first = last = 0;           /* nothing drawn: keep one row */
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, s->w, last - first + 1, 32,
                                                      SDL_PIXELFORMAT_ARGB8888);
    if (!out)
        return s;
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
    SDL_Rect src = {0, first, s->w, last - first + 1};
    SDL_BlitSurface(s, &src, out, NULL);
    SDL_FreeSurface(s);
    *top += first;
    return out;
}

SDL_Surface *shape_render(struct font_set *fs, const char *text, size_t len, int px,
                          enum font_weight weight, bool rtl, SDL_Color fg, int *top)
{
    struct line line;
    split_line(fs, text, len, weight, rtl, &line);
    *top = 0;
    TTF_Font *base = font_set_font(fs, 0, px, weight);
    if (line.n == 0 || !base)
        return NULL;
    int base_ascent = TTF_FontAscent(base);
    SDL_Surface *parts[MAX_PIECES];
    int offset[MAX_PIECES];
    int width = 0, lo = 0, hi = TTF_FontHeight(base);
    size_t made = 0;
    for (size_t i = 0; i < line.n; i++) {
        char buf[512], *heap;
        TTF_Font *font = prepare(fs, text, &line.pieces[i], px, weight, buf, sizeof buf, &heap);
        SDL_Surface *s = font ? TTF_RenderUTF8_Blended(font, heap ? heap : buf, fg) : NULL;
        free(heap);
        if (!s)
            continue;
        /* Every face's baseline on DejaVu's. */
        offset[made] = base_ascent - TTF_FontAscent(font);
        if (offset[made] < lo)
            lo = offset[made];
        if (offset[made] + s->h > hi)
            hi = offset[made] + s->h;
        width += s->w;
        parts[made++] = s;
    }
    if (made == 0)
        return NULL;
    if (made == 1) {
        *top = offset[0];
        return crop_rows(parts[0], top);
    }
    SDL_Surface *out = SDL_CreateRGBSurfaceWithFormat(0, width, hi - lo, 32, SDL_PIXELFORMAT_ARGB8888);
    if (out) {
        /* Transparent pixels of the text's own colour: blending a piece's
         * anti-aliased edge onto them keeps its colour, not black. */
        SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, fg.r, fg.g, fg.b, 0));
        int x = 0;
        for (size_t i = 0; i < made; i++) {
            SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_BLEND);
            SDL_Rect dst = {x, offset[i] - lo, parts[i]->w, parts[i]->h};
            SDL_BlitSurface(parts[i], NULL, out, &dst);
            x += parts[i]->w;
        }
        *top = lo;
    }
    for (size_t i = 0; i < made; i++)
        SDL_FreeSurface(parts[i]);
    return out ? crop_rows(out, top) : NULL;
}

unsigned shape_missing_glyph(struct font_set *fs, const char *text, size_t len,
                             enum font_weight weight)
{
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(text + i, len - i, &cp);
        if (cp < 0x20 || bidi_is_control(cp) || is_joiner(cp))
            continue;
        if (font_set_face_for(fs, cp, weight) == FONT_FACE_NONE)
            return cp;
    }
    return 0;
}
