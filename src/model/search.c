#include "model/search.h"

#include <stdint.h>
#include <string.h>

#include "base/utf8.h"

/* What separates words: ASCII other than letters and digits. That takes
 * every FTS5 operator character (" * ( ) : ^ + - {}) out of the words
 * too, although the quoting alone would already keep them harmless. */
static bool is_separator(unsigned char c)
{
    if (c >= 0x80)
        return false;
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

enum search_parse search_parse(const char *text, size_t len, struct search_query *out)
{
    memset(out, 0, sizeof *out);
    if (len > SEARCH_INPUT_MAX)
        return SEARCH_TOO_LONG;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(text + i, len - i, &cp);
        /* A NUL would cut the word short in C strings: refused with the rest. */
        if (cp == UTF8_REPLACEMENT && !(n == 3 && memcmp(text + i, "\xEF\xBF\xBD", 3) == 0))
            return SEARCH_BAD_UTF8;
        if (cp == 0)
            return SEARCH_BAD_UTF8;
        i += n;
    }
    struct search_query q;
    memset(&q, 0, sizeof q);
    size_t i = 0;
    while (i < len) {
        while (i < len && is_separator((unsigned char)text[i]))
            i++;
        size_t start = i;
        while (i < len && !is_separator((unsigned char)text[i]))
            i++;
        if (i == start)
            continue;
        if (q.n_words == SEARCH_WORDS_MAX)
            return SEARCH_TOO_MANY_WORDS;
        if (i - start > SEARCH_WORD_MAX)
            return SEARCH_WORD_TOO_LONG;
        memcpy(q.words[q.n_words].text, text + start, i - start);
        q.words[q.n_words].text[i - start] = '\0';
        q.n_words++;
    }
    if (q.n_words == 0)
        return SEARCH_EMPTY;
    *out = q;
    return SEARCH_OK;
}

const char *search_parse_name(enum search_parse r)
{
    switch (r) {
    case SEARCH_OK: return "ok";
    case SEARCH_EMPTY: return "empty";
    case SEARCH_BAD_UTF8: return "bad utf-8";
    case SEARCH_TOO_LONG: return "too long";
    case SEARCH_TOO_MANY_WORDS: return "too many words";
    case SEARCH_WORD_TOO_LONG: return "word too long";
    }
    return "?";
}

bool search_add_alternative(struct search_word *w, const char *term, size_t len)
{
    if (len == 0 || len >= sizeof w->alt[0] || w->n_alt == SEARCH_ALTS_MAX ||
        memchr(term, '\0', len))
        return false;
    if (strlen(w->text) == len && memcmp(w->text, term, len) == 0)
        return false;
    for (size_t i = 0; i < w->n_alt; i++)
        if (strlen(w->alt[i]) == len && memcmp(w->alt[i], term, len) == 0)
            return false;
    memcpy(w->alt[w->n_alt], term, len);
    w->alt[w->n_alt][len] = '\0';
    w->n_alt++;
    return true;
}

/* Appends s to buf at *used; false when it does not fit. */
static bool put(char *buf, size_t len, size_t *used, const char *s, size_t n)
{
    if (*used + n >= len)
        return false;
    memcpy(buf + *used, s, n);
    *used += n;
    buf[*used] = '\0';
    return true;
}

/* One word as an FTS5 prefix string: "wo""rd"* */
static bool put_prefix_string(char *buf, size_t len, size_t *used, const char *word)
{
    if (!put(buf, len, used, "\"", 1))
        return false;
    for (const char *p = word; *p; p++)
        if (!put(buf, len, used, p, 1) || (*p == '"' && !put(buf, len, used, "\"", 1)))
            return false;
    return put(buf, len, used, "\"*", 2);
}

bool search_build_match(const struct search_query *q, char *buf, size_t len)
{
    if (len == 0)
        return false;
    buf[0] = '\0';
    size_t used = 0;
    bool ok = q->n_words > 0;
    for (size_t i = 0; ok && i < q->n_words; i++) {
        const struct search_word *w = &q->words[i];
        /* An empty word would make an empty string, which FTS5 refuses
         * with a prefix mark. */
        ok = w->text[0] != '\0' && (i == 0 || put(buf, len, &used, " AND ", 5)) &&
             put(buf, len, &used, "(", 1) && put_prefix_string(buf, len, &used, w->text);
        for (size_t a = 0; ok && a < w->n_alt; a++)
            ok = w->alt[a][0] != '\0' && put(buf, len, &used, " OR ", 4) &&
                 put_prefix_string(buf, len, &used, w->alt[a]);
        ok = ok && put(buf, len, &used, ")", 1);
    }
    if (!ok)
        buf[0] = '\0';
    return ok;
}

#define DIST_CHARS (SEARCH_WORD_MAX + 8)

/* Decodes up to max characters of s; returns how many, with each one's
 * end offset in bytes. */
static size_t decode_chars(const char *s, size_t max, unsigned *cps, size_t *ends)
{
    size_t n = 0, len = strlen(s), i = 0;
    while (i < len && n < max) {
        i += utf8_decode(s + i, len - i, &cps[n]);
        ends[n++] = i;
    }
    return n;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int search_prefix_distance(const char *word, const char *term, int max, size_t *prefix_len)
{
    unsigned a[DIST_CHARS], b[DIST_CHARS];
    size_t a_end[DIST_CHARS], b_end[DIST_CHARS];
    if (max < 0 || max > 2)
        return -1;
    size_t n = decode_chars(word, DIST_CHARS, a, a_end);
    if (n == 0 || n > SEARCH_WORD_MAX)
        return -1;
    /* A prefix closer than max is at most max characters longer. */
    size_t m = decode_chars(term, n + (size_t)max, b, b_end);
    if (m == 0 || a[0] != b[0])
        return -1;
    /* d[i][j]: distance between a's first i and b's first j characters. */
    int d[DIST_CHARS + 1][DIST_CHARS + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    /* A prefix shorter than SEARCH_TYPO_MIN_CHARS only for a word as short. */
    size_t j_min = n < SEARCH_TYPO_MIN_CHARS ? 1 : SEARCH_TYPO_MIN_CHARS;
    int best = max + 1;
    size_t best_j = 0;
    for (size_t j = j_min; j <= m; j++)
        if (d[n][j] < best) {
            best = d[n][j];
            best_j = j;
        }
    if (best > max)
        return -1;
    if (prefix_len)
        *prefix_len = b_end[best_j - 1];
    return best;
}
