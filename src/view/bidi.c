/*
 * Visual runs of a line (bidi.h), with FriBidi doing UAX #9: types,
 * brackets, embedding levels (rules P2 to I2) and the reordering of a line
 * (L1, L2). This file only adds the phone-number rule, drops the formatting
 * characters, and groups FriBidi's visual map into runs.
 */
#include "view/bidi.h"

#include <fribidi.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* Lines this long or shorter are worked on the stack. */
#define BIDI_STACK_CHARS 256

/* A phone number needs at least this many digits: fewer is a time, a
 * date or a count, which UAX #9 already orders as a reader expects. */
#define PHONE_MIN_DIGITS 6

bool bidi_is_control(unsigned cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

enum text_direction bidi_first_strong(const char *text, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(text + i, len - i, &cp);
        FriBidiCharType type = fribidi_get_bidi_type(cp);
        if (FRIBIDI_IS_LETTER(type))
            return FRIBIDI_IS_RTL(type) ? TEXT_DIR_RTL : TEXT_DIR_LTR;
    }
    return TEXT_DIR_NEUTRAL;
}

static bool is_digit(unsigned cp)
{
    return cp >= '0' && cp <= '9';
}

/* HL2: the spaces, hyphens, dots and slashes between the digit groups of
 * a phone number (and a leading "+") become European numbers, so the
 * number is one left-to-right piece wherever it stands. */
static void keep_phone_numbers_whole(const FriBidiChar *cps, FriBidiCharType *types, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t start = i;
        if (cps[i] == '+' && i + 1 < n && is_digit(cps[i + 1]))
            i++;
        if (!is_digit(cps[i])) {
            i = start + 1;
            continue;
        }
        size_t digits = 0, end = i;
        while (i < n) {
            if (is_digit(cps[i])) {
                digits++;
                end = ++i;
            } else if ((cps[i] == ' ' || cps[i] == '-' || cps[i] == '.' || cps[i] == '/') &&
                       i + 1 < n && is_digit(cps[i + 1])) {
                i++;
            } else {
                break;
            }
        }
        if (digits >= PHONE_MIN_DIGITS)
            for (size_t k = start; k < end; k++)
                types[k] = FRIBIDI_TYPE_EN;
        i = end > start ? end : start + 1;
    }
}

/* HL: the interface's list separator, a middle dot between spaces
 * ("10:00 · De Ooievaar · vol"), separates segments the way a tab does
 * (type S): each part keeps its own order and the parts follow the line's
 * direction, so two Latin names in an Arabic line are not read as one. */
static void separate_list_parts(const FriBidiChar *cps, FriBidiCharType *types, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++)
        if (cps[i] == 0x00B7 && cps[i - 1] == ' ' && cps[i + 1] == ' ')
            types[i] = FRIBIDI_TYPE_SS;
}

struct bidi_work {
    FriBidiChar *cps;
    size_t *offsets;            /* byte offset of each character, and the end */
    FriBidiCharType *types;
    FriBidiBracketType *brackets;
    FriBidiLevel *levels;
    FriBidiStrIndex *map;
};

/* Groups the visual map into runs: neighbours in visual order that are
 * neighbours in logical order, in the direction of their level. A
 * formatting character inside a run stays in it (HarfBuzz draws it as
 * nothing), so that an isolate in a Dutch line does not cut the line into
 * pieces; a run of formatting characters alone is left out. */
static size_t group_runs(const struct bidi_work *w, size_t n, struct bidi_run *runs,
                         size_t max_runs)
{
    size_t count = 0;
    for (size_t v = 0; v < n;) {
        size_t first = (size_t)w->map[v];
        bool rtl = w->levels[first] & 1;
        bool visible = !bidi_is_control(w->cps[first]);
        size_t lo = first, hi = first, next = v + 1;
        while (next < n) {
            size_t l = (size_t)w->map[next];
            if (w->levels[l] != w->levels[first] || l != (rtl ? lo - 1 : hi + 1))
                break;
            visible = visible || !bidi_is_control(w->cps[l]);
            if (rtl)
                lo = l;
            else
                hi = l;
            next++;
        }
        v = next;
        if (!visible)
            continue;
        if (count < max_runs)
            runs[count] = (struct bidi_run){w->offsets[lo], w->offsets[hi + 1] - w->offsets[lo], rtl};
        count++;
    }
    return count;
}

size_t bidi_visual_runs(const char *text, size_t len, bool rtl_default, struct bidi_run *runs,
                        size_t max_runs)
{
    if (len == 0)
        return 0;
    /* Characters are never more than bytes. */
    FriBidiChar s_cps[BIDI_STACK_CHARS];
    size_t s_offsets[BIDI_STACK_CHARS + 1];
    FriBidiCharType s_types[BIDI_STACK_CHARS];
    FriBidiBracketType s_brackets[BIDI_STACK_CHARS];
    FriBidiLevel s_levels[BIDI_STACK_CHARS];
    FriBidiStrIndex s_map[BIDI_STACK_CHARS];
    struct bidi_work w = {s_cps, s_offsets, s_types, s_brackets, s_levels, s_map};
    void *heap = NULL;
    if (len > BIDI_STACK_CHARS) {
        size_t per = sizeof *w.cps + sizeof *w.offsets + sizeof *w.types + sizeof *w.brackets +
                     sizeof *w.levels + sizeof *w.map;
        heap = malloc(per * len + sizeof *w.offsets);
        if (!heap)
            goto whole;
        /* Widest members first, so that every array is aligned. */
        char *p = heap;
        w.offsets = (size_t *)(void *)p;
        p += sizeof *w.offsets * (len + 1);
        w.cps = (FriBidiChar *)(void *)p;
        p += sizeof *w.cps * len;
        w.types = (FriBidiCharType *)(void *)p;
        p += sizeof *w.types * len;
        w.brackets = (FriBidiBracketType *)(void *)p;
        p += sizeof *w.brackets * len;
        w.map = (FriBidiStrIndex *)(void *)p;
        p += sizeof *w.map * len;
        w.levels = (FriBidiLevel *)(void *)p;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        unsigned cp;
        w.offsets[n] = i;
        i += utf8_decode(text + i, len - i, &cp);
        w.cps[n] = cp;
    }
    w.offsets[n] = len;
    fribidi_get_bidi_types(w.cps, (FriBidiStrIndex)n, w.types);
    fribidi_get_bracket_types(w.cps, (FriBidiStrIndex)n, w.types, w.brackets);
    keep_phone_numbers_whole(w.cps, w.types, n);
    separate_list_parts(w.cps, w.types, n);
    FriBidiParType base = rtl_default ? FRIBIDI_PAR_WRTL : FRIBIDI_PAR_WLTR;
    if (!fribidi_get_par_embedding_levels_ex(w.types, w.brackets, (FriBidiStrIndex)n, &base,
                                             w.levels))
        goto whole;
    for (size_t i = 0; i < n; i++)
        w.map[i] = (FriBidiStrIndex)i;
    /* No flags: marks stay after their letters in logical order, because
     * HarfBuzz shapes each run from its logical text. */
    if (!fribidi_reorder_line(0, w.types, (FriBidiStrIndex)n, 0, base, w.levels, NULL, w.map))
        goto whole;
    size_t count = group_runs(&w, n, runs, max_runs);
    free(heap);
    return count;
whole:
    free(heap);
    if (max_runs > 0)
        runs[0] = (struct bidi_run){0, len, false};
    return 1;
}
