#include "view/textlayout.h"

#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

#define ELLIPSIS "\xE2\x80\xA6"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* The length of s[0..n) without the spaces it ends in. */
static size_t trimmed(const char *s, size_t n)
{
    while (n && is_space(s[n - 1]))
        n--;
    return n;
}

int text_width(const struct text_measurer *m, const char *text, int font_px,
               enum font_weight weight)
{
    return m->fn(m->ctx, text, strlen(text), font_px, weight, m->rtl);
}

void text_layout_init(void)
{
    init_linebreak();
}

static int width_of(const struct text_measurer *m, const char *s, size_t n, int px,
                    enum font_weight w)
{
    return n ? m->fn(m->ctx, s, n, px, w, m->rtl) : 0;
}

/* Length of the longest prefix of s[0..n) (whole UTF-8 characters, a
 * malformed byte being one) that fits max_width; at least one character so
 * that layout always advances. */
static size_t fitting_prefix(const struct text_measurer *m, const char *s, size_t n, int px,
                             enum font_weight w, int max_width)
{
    unsigned cp;
    size_t best = utf8_decode(s, n, &cp);
    for (size_t i = best; i < n;) {
        i += utf8_decode(s + i, n - i, &cp);
        if (width_of(m, s, i, px, w) > max_width)
            break;
        best = i;
    }
    return best;
}

/* Directional isolates open across a line break: each line is ordered on
 * its own (sdl/shape.c), so a line goes on with the isolates the line
 * before left open and closes the ones it leaves open. */
#define MAX_OPEN_ISOLATES 8
#define MARK_BYTES 3                    /* RLM, LRM, LRI, RLI, FSI, PDI: 3 bytes each */
#define PDI "\xE2\x81\xA9"

struct builder {
    struct frame *f;
    struct text_block *out;
    size_t max_lines;
    const struct text_measurer *m;
    int px;
    enum font_weight w;
    int max_width;
    /* the paragraph's leading RLM or LRM, repeated on every line after its first */
    char mark[MARK_BYTES];
    bool has_mark, paragraph_started;
    char open[MAX_OPEN_ISOLATES][MARK_BYTES];
    size_t n_open;
};

static bool is_isolate_start(const char *s)
{
    return (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x81 &&
           (unsigned char)s[2] >= 0xA6 && (unsigned char)s[2] <= 0xA8;
}

static bool is_isolate_end(const char *s)
{
    return memcmp(s, PDI, MARK_BYTES) == 0;
}

/* Follows the isolates opened and closed in s[0..n). */
static void track_isolates(struct builder *b, const char *s, size_t n)
{
    for (size_t i = 0; i + MARK_BYTES <= n; i++) {
        if (is_isolate_start(s + i) && b->n_open < MAX_OPEN_ISOLATES)
            memcpy(b->open[b->n_open++], s + i, MARK_BYTES);
        else if (is_isolate_end(s + i) && b->n_open > 0)
            b->n_open--;
    }
}

static bool push_line(struct builder *b, const char *s, size_t n)
{
    if (b->out->n_lines == b->max_lines) {
        b->out->cut = true;
        return false;
    }
    n = trimmed(s, n);
    char small[1024];
    size_t cap = n + MARK_BYTES * (1 + 2 * MAX_OPEN_ISOLATES) + 1;
    char *line = cap <= sizeof small ? small : malloc(cap);
    if (!line)
        return false;
    size_t k = 0;
    if (b->has_mark && b->paragraph_started) {
        memcpy(line, b->mark, MARK_BYTES);
        k += MARK_BYTES;
    }
    for (size_t i = 0; i < b->n_open; i++, k += MARK_BYTES)
        memcpy(line + k, b->open[i], MARK_BYTES);
    memcpy(line + k, s, n);
    k += n;
    track_isolates(b, s, n);
    for (size_t i = 0; i < b->n_open; i++, k += MARK_BYTES)
        memcpy(line + k, PDI, MARK_BYTES);
    b->out->lines[b->out->n_lines++] = frame_strdup(b->f, line, k);
    if (line != small)
        free(line);
    b->paragraph_started = true;
    int width = width_of(b->m, s, n, b->px, b->w);
    if (width > b->out->widest)
        b->out->widest = width;
    return true;
}

/* Ends the last line in an ellipsis that still fits. */
static void ellipsize_last(struct builder *b)
{
    struct text_block *out = b->out;
    if (!out->n_lines)
        return;
    const char *last = out->lines[out->n_lines - 1];
    size_t len = strlen(last);
    /* Without the closing marks push_line added: the dots go before them. */
    while (len >= MARK_BYTES && is_isolate_end(last + len - MARK_BYTES))
        len -= MARK_BYTES;
    int dots = width_of(b->m, ELLIPSIS, strlen(ELLIPSIS), b->px, b->w);
    /* The longest prefix of whole characters that fits with the dots. */
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(last + i, len - i, &cp);
        if (width_of(b->m, last, i, b->px, b->w) + dots > b->max_width)
            break;
        n = i;
    }
    /* The dots go inside the isolates still open where the line is cut, so
     * that they stand at the end of the text that was cut. */
    b->n_open = 0;
    track_isolates(b, last, n);
    char buf[2048];
    size_t keep = n < sizeof buf - 8 - MARK_BYTES * MAX_OPEN_ISOLATES ? n
                  : sizeof buf - 8 - MARK_BYTES * MAX_OPEN_ISOLATES;
    memcpy(buf, last, keep);
    memcpy(buf + keep, ELLIPSIS, strlen(ELLIPSIS));
    keep += strlen(ELLIPSIS);
    for (size_t i = 0; i < b->n_open; i++, keep += MARK_BYTES)
        memcpy(buf + keep, PDI, MARK_BYTES);
    out->lines[out->n_lines - 1] = frame_strdup(b->f, buf, keep);
}

/* One paragraph (no '\n'): greedy over the break opportunities UAX #14
 * gives (brks[i] is about the break after byte i), measuring each
 * candidate line without the spaces it would end in. */
static bool layout_breaks(struct builder *b, const char *s, size_t n, const char *brks)
{
    size_t start = 0;
    while (start < n) {
        size_t fit_end = start;
        for (size_t i = start; i < n; i++) {
            if (brks[i] != LINEBREAK_ALLOWBREAK && brks[i] != LINEBREAK_MUSTBREAK)
                continue;
            size_t end = i + 1;
            if (width_of(b->m, s + start, trimmed(s + start, end - start), b->px, b->w) >
                b->max_width)
                break;
            fit_end = end;
        }
        if (fit_end == start) {
            /* A single word wider than the line: break it between characters. */
            size_t k = fitting_prefix(b->m, s + start, n - start, b->px, b->w, b->max_width);
            if (!push_line(b, s + start, k))
                return false;
            start += k;
        } else {
            if (!push_line(b, s + start, fit_end - start))
                return false;
            start = fit_end;
        }
        while (start < n && is_space(s[start]))
            start++;
    }
    return true;
}

/* The libunibreak in Debian 12 (1.1) asserts on three kinds of input, so
 * it gets a copy of the paragraph without them, each replaced by text of
 * the same byte length so its answer maps back byte for byte:
 *  - a malformed byte becomes '?';
 *  - U+FFFF, which it reads as its end-of-text mark, becomes "???";
 *  - a regional indicator (the two halves of a flag such as the Dutch
 *    one), a class its pair table lacks, becomes a four-byte ideograph,
 *    and the second half of a pair a four-byte combining mark, so a flag
 *    stays one unbreakable piece with a break allowed on either side, as
 *    UAX #14 rule LB30a has it.
 * Found by fuzz_text. *copy is NULL when the paragraph needs no copy;
 * false means there was no memory for one. */
#define IDEOGRAPH_4 "\xF0\xA0\x80\x80"      /* U+20000, class ID */
#define COMBINING_4 "\xF0\x9D\x85\xA7"      /* U+1D167, class CM */

static bool is_regional_indicator(unsigned cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

static bool unibreak_copy(const char *s, size_t n, char **copy)
{
    char *clean = NULL;
    bool pair_open = false;     /* the last character was a flag's first half */
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        const char *with = NULL;
        if ((cp == UTF8_REPLACEMENT && k == 1) || cp == 0xFFFF)
            with = "???";
        else if (is_regional_indicator(cp))
            with = pair_open ? COMBINING_4 : IDEOGRAPH_4;
        pair_open = is_regional_indicator(cp) && !pair_open;
        if (with) {
            if (!clean) {
                clean = malloc(n);
                if (!clean)
                    return false;
                memcpy(clean, s, n);
            }
            memcpy(clean + i, with, k);
        }
        i += k;
    }
    *copy = clean;
    return true;
}

static bool layout_paragraph(struct builder *b, const char *s, size_t n)
{
    /* A paragraph that starts with a right- or left-to-right mark reads
     * that way on every line. */
    b->has_mark = n >= MARK_BYTES && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
                  ((unsigned char)s[2] == 0x8E || (unsigned char)s[2] == 0x8F);
    if (b->has_mark)
        memcpy(b->mark, s, MARK_BYTES);
    b->paragraph_started = false;
    b->n_open = 0;
    if (n == 0)
        return push_line(b, s, 0);
    char small[1024];
    char *brks = n <= sizeof small ? small : malloc(n);
    if (!brks)
        return push_line(b, s, n);      /* out of memory: one line, clipped */
    char *clean;
    if (!unibreak_copy(s, n, &clean)) {
        if (brks != small)
            free(brks);
        return push_line(b, s, n);      /* out of memory: one line, clipped */
    }
    set_linebreaks_utf8((const utf8_t *)(clean ? clean : s), n, NULL, brks);
    free(clean);
    bool more = layout_breaks(b, s, n, brks);
    if (brks != small)
        free(brks);
    return more;
}

void text_layout(struct frame *f, const struct text_measurer *m, const char *text, int font_px,
                 enum font_weight weight, int max_width, size_t max_lines,
                 struct text_block *out)
{
    memset(out, 0, sizeof *out);
    if (max_lines > TEXT_MAX_LINES)
        max_lines = TEXT_MAX_LINES;
    if (!text || max_width <= 0 || max_lines == 0)
        return;
    struct builder b = {.f = f, .out = out, .max_lines = max_lines, .m = m, .px = font_px,
                        .w = weight, .max_width = max_width};
    const char *p = text;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (!layout_paragraph(&b, p, n))
            break;
        if (!nl)
            break;
        p = nl + 1;
    }
    if (out->cut)
        ellipsize_last(&b);
}
