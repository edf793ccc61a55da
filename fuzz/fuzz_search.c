/* Fuzz target: typed search text through the query parser and builder
 * (model/search.c), and the expression through a real FTS5 MATCH.
 *
 * Checked: the parser's words are non-empty, within their limits and
 * free of ASCII punctuation; the builder's expression, with the raw input
 * (quotes, stars, brackets, colons and all) added as an alternative, is
 * one FTS5 MATCH never refuses as syntax: no typed text can become an
 * operator, a column filter or an error. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/search.h"

static void check_match(const char *match)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE t USING fts5(kind UNINDEXED, title, body,"
                     " tokenize = 'unicode61 remove_diacritics 2');"
                     "INSERT INTO t VALUES('a', 'Koffieochtend', 'koffie \"en\" thee OR NEAR');",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &st, NULL) !=
            SQLITE_OK)
        abort();
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        abort(); /* a syntax error: typed text reached FTS5 as syntax */
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct search_query q;
    enum search_parse r = search_parse(text, size, &q);
    if (r != SEARCH_OK) {
        if (q.n_words != 0)
            abort();
        return 0;
    }
    if (q.n_words == 0 || q.n_words > SEARCH_WORDS_MAX)
        abort();
    for (size_t i = 0; i < q.n_words; i++) {
        size_t n = strlen(q.words[i].text);
        if (n == 0 || n > SEARCH_WORD_MAX || strpbrk(q.words[i].text, " \"*():^-+{}"))
            abort();
    }
    /* The raw input as an alternative: the builder alone must keep it text. */
    size_t raw = size < SEARCH_WORD_MAX ? size : SEARCH_WORD_MAX;
    const char *nul = memchr(text, '\0', raw);
    if (nul)
        raw = (size_t)(nul - text);
    search_add_alternative(&q.words[0], text, raw);
    char match[SEARCH_MATCH_MAX];
    if (!search_build_match(&q, match, sizeof match))
        abort(); /* SEARCH_MATCH_MAX holds any query */
    check_match(match);
    return 0;
}
