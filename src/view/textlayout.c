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

struct builder {
    struct frame *f;
    struct text_block *out;
    size_t max_lines;
    const struct text_measurer *m;
    int px;
    enum font_weight w;
    int max_width;
};

static bool push_line(struct builder *b, const char *s, size_t n)
{
    if (b->out->n_lines == b->max_lines) {
        b->out->cut = true;
        return false;
    }
    n = trimmed(s, n);
    b->out->lines[b->out->n_lines++] = frame_strdup(b->f, s, n);
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
    char buf[2048];
    size_t keep = n < sizeof buf - 8 ? n : sizeof buf - 8;
    memcpy(buf, last, keep);
    memcpy(buf + keep, ELLIPSIS, sizeof ELLIPSIS);
    out->lines[out->n_lines - 1] = frame_strdup(b->f, buf, SIZE_MAX);
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

static bool layout_paragraph(struct builder *b, const char *s, size_t n)
{
    if (n == 0)
        return push_line(b, s, 0);
    char small[1024];
    char *brks = n <= sizeof small ? small : malloc(n);
    if (!brks)
        return push_line(b, s, n);      /* out of memory: one line, clipped */
    /* libunibreak asserts on malformed UTF-8: it gets a copy with each bad
     * byte as '?', the same length, so its answer maps back byte for byte. */
    char *clean = NULL;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (cp == UTF8_REPLACEMENT && k == 1) {
            if (!clean) {
                clean = malloc(n);
                if (!clean)
                    break;
                memcpy(clean, s, n);
            }
            clean[i] = '?';
        }
        i += k;
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
    struct builder b = {f, out, max_lines, m, font_px, weight, max_width};
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
