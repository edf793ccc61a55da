/*
 * A language's plural rule, as a gettext catalog states it in its header:
 *
 *     Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 &&
 *                   (n%100<10 || n%100>=20) ? 1 : 2);
 *
 * EXPR is gettext's C-like expression over the count n: decimal integers,
 * n, parentheses, ! (unary), * / %, + -, < > <= >=, == !=, &&, || and
 * ?: (the precedence and associativity of C; see plural.y in gettext).
 * Arithmetic is unsigned and 64 bits wide, so it wraps rather than
 * overflowing; a division or remainder by zero is 0.
 *
 * The rule is compiled into a fixed array of nodes inside the struct, so
 * a catalog holds it without another allocation, and bounded (nodes,
 * nesting) so that a hostile header cannot exhaust the stack or memory.
 */
#ifndef BK_PLURAL_H
#define BK_PLURAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CLDR's largest number of categories is six (zero, one, two, few, many,
 * other: Arabic and Welsh); no language needs more forms. */
#define PLURAL_MAX_FORMS 6
/* Arabic's rule, the longest in use, compiles to about 40 nodes. */
#define PLURAL_MAX_NODES 128
/* Parentheses, ?: chains and ! nested deeper than this are refused. */
#define PLURAL_MAX_DEPTH 24
/* When parsing, the rule is evaluated for every n from 0 to this (as
 * msgfmt --check does): a form index >= nplurals or a division by zero
 * there refuses the rule. */
#define PLURAL_CHECK_UP_TO 1000

struct plural_node {
    uint8_t op;        /* enum in plural.c */
    uint8_t a, b, c;   /* operands: indices of earlier nodes */
    uint64_t value;    /* a number's value */
};

struct plural_rule {
    unsigned nplurals;
    unsigned n_nodes;
    unsigned root;
    struct plural_node nodes[PLURAL_MAX_NODES];
};

/* The rule when a catalog states none: gettext's default, that of Dutch
 * and English (nplurals=2; plural=(n != 1)). */
void plural_default(struct plural_rule *r);

/* Parses the value of a Plural-Forms header field (what follows
 * "Plural-Forms:", up to the end of its line or of text): "nplurals=N;"
 * and "plural=EXPR;" in either order, the last ';' optional. N is 1 to
 * PLURAL_MAX_FORMS. Returns false with a reason in err for anything else,
 * and for a rule that picks a form >= N or divides by zero for some n in
 * 0..PLURAL_CHECK_UP_TO. */
bool plural_parse(const char *text, size_t len, struct plural_rule *r, char *err,
                  size_t err_len);

/* The expression's value for n, without any check against nplurals. */
uint64_t plural_value(const struct plural_rule *r, uint64_t n);

/* The index of the form for n: plural_value, or 0 when that is not below
 * nplurals (what gettext does; plural_parse refuses such a rule for small
 * n, but cannot try every n). */
unsigned plural_form(const struct plural_rule *r, uint64_t n);

#endif
