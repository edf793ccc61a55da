/*
 * Search queries: what a resident types, split into words, and the FTS5
 * MATCH expression built from them. Pure C, no SQLite: the store folds the
 * words with the index's own tokenizer and adds the typo alternatives
 * (store_search), this module only splits, checks and quotes.
 *
 * The expression never carries user text unquoted: every word becomes an
 * FTS5 string ("...", with " doubled) followed by the prefix mark, so that
 * no typed character can be an FTS5 operator, column filter or syntax
 * error. Each word must match (AND); a word's typo alternatives are ORed
 * with it.
 */
#ifndef BK_SEARCH_H
#define BK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

/* Longest typed text taken, in bytes. */
#define SEARCH_INPUT_MAX 256
/* At most this many words count; a longer query is refused. */
#define SEARCH_WORDS_MAX 8
/* Longest word, in bytes. */
#define SEARCH_WORD_MAX 64
/* Typo alternatives kept per word. */
#define SEARCH_ALTS_MAX 12
/* One typo is forgiven in words of at least this many characters, and an
 * alternative is never shorter: in a shorter word a typo leaves too little
 * of it to tell what it was ("ko" with a typo matches half the index). At
 * four, "kofi" on the way to "kofie" already finds "koffie". */
#define SEARCH_TYPO_MIN_CHARS 4
/* Room for the longest expression search_build_match can write. */
#define SEARCH_MATCH_MAX                                                                          \
    (SEARCH_WORDS_MAX * ((SEARCH_ALTS_MAX + 1) * (2 * SEARCH_WORD_MAX + 16) + 16) + 1)

struct search_word {
    char text[SEARCH_WORD_MAX + 1];
    /* Prefixes of indexed terms one typo away from text; an alternative
     * can be one character (4 bytes) longer than the word. */
    char alt[SEARCH_ALTS_MAX][SEARCH_WORD_MAX + 5];
    size_t n_alt;
};

struct search_query {
    struct search_word words[SEARCH_WORDS_MAX];
    size_t n_words;
};

enum search_parse {
    SEARCH_OK,
    SEARCH_EMPTY,          /* no word in it: nothing to search for */
    SEARCH_BAD_UTF8,
    SEARCH_TOO_LONG,       /* more than SEARCH_INPUT_MAX bytes */
    SEARCH_TOO_MANY_WORDS,
    SEARCH_WORD_TOO_LONG,
};

/* Splits text[0..len) into words: runs of characters between ASCII
 * spaces, punctuation and control characters (what is not an ASCII letter
 * or digit separates; other scripts' punctuation is left to the index's
 * tokenizer). Fills out (zeroed first) only on SEARCH_OK. */
enum search_parse search_parse(const char *text, size_t len, struct search_query *out);

/* A short English name of a parse result, for tests and logs. */
const char *search_parse_name(enum search_parse r);

/* Adds term[0..len) to w's alternatives unless it is w itself, already
 * there, empty, too long or the list is full; true when added. */
bool search_add_alternative(struct search_word *w, const char *term, size_t len);

/* Writes the MATCH expression of q into buf: each word as a prefix
 * string, ORed with its alternatives, the words ANDed. False when q has no
 * word or buf is too small (buf then holds ""). */
bool search_build_match(const struct search_query *q, char *buf, size_t len);

/* The Damerau-Levenshtein distance (adjacent transpositions, optimal
 * string alignment) between word and the closest prefix of term, counted
 * in characters, when it is at most max (<= 2); -1 when none is that
 * close. *prefix_len gets the byte length of that prefix (the shortest
 * one at the best distance). The first characters must be equal: a typo
 * in the first letter is not forgiven (people rarely make one, and it
 * would make every word a candidate). A prefix is never shorter than
 * SEARCH_TYPO_MIN_CHARS characters unless the word is. */
int search_prefix_distance(const char *word, const char *term, int max, size_t *prefix_len);

#endif
