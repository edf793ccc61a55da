#include "model/plural.h"

#include <stdio.h>
#include <string.h>

enum op {
    OP_NUM,
    OP_N,
    OP_NOT,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_ADD,
    OP_SUB,
    OP_LT,
    OP_GT,
    OP_LE,
    OP_GE,
    OP_EQ,
    OP_NE,
    OP_AND,
    OP_OR,
    OP_COND
};

/* The parser's state: on the stack of plural_parse, never shared. */
struct parser {
    const char *s, *end, *start;
    struct plural_rule *r;
    char *err;
    size_t err_len;
    bool failed;
};

static bool fail(struct parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->err, p->err_len, "Plural-Forms: %s at column %d", what,
                 (int)(p->s - p->start) + 1);
    p->failed = true;
    return false;
}

/* gettext's lexer skips spaces and tabs only; the line ends the text. */
static void skip_space(struct parser *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t'))
        p->s++;
}

/* True (and consumed) when the next token is tok. */
static bool accept(struct parser *p, const char *tok)
{
    skip_space(p);
    size_t n = strlen(tok);
    if ((size_t)(p->end - p->s) < n || memcmp(p->s, tok, n) != 0)
        return false;
    /* "<" is not the start of "<=", nor "!" of "!=". */
    if (n == 1 && (*tok == '<' || *tok == '>' || *tok == '!' || *tok == '=') &&
        p->end - p->s > 1 && p->s[1] == '=')
        return false;
    p->s += n;
    return true;
}

static int node(struct parser *p, enum op op, int a, int b, int c, uint64_t value)
{
    if (p->failed || a < 0 || b < 0 || c < 0)
        return -1;
    struct plural_rule *r = p->r;
    if (r->n_nodes >= PLURAL_MAX_NODES) {
        fail(p, "expression too long");
        return -1;
    }
    r->nodes[r->n_nodes] = (struct plural_node){(uint8_t)op, (uint8_t)a, (uint8_t)b,
                                                (uint8_t)c, value};
    return (int)r->n_nodes++;
}

static bool parse_number(struct parser *p, uint64_t *out)
{
    skip_space(p);
    if (p->s >= p->end || *p->s < '0' || *p->s > '9')
        return fail(p, "a number expected");
    uint64_t v = 0;
    while (p->s < p->end && *p->s >= '0' && *p->s <= '9') {
        unsigned d = (unsigned)(*p->s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return fail(p, "number too large");
        v = v * 10 + d;
        p->s++;
    }
    *out = v;
    return true;
}

static int parse_cond(struct parser *p, int depth);

static int parse_unary(struct parser *p, int depth)
{
    if (depth > PLURAL_MAX_DEPTH) {
        fail(p, "nested too deep");
        return -1;
    }
    if (accept(p, "!")) {
        int a = parse_unary(p, depth + 1);
        return node(p, OP_NOT, a, 0, 0, 0);
    }
    if (accept(p, "(")) {
        int a = parse_cond(p, depth + 1);
        if (a >= 0 && !accept(p, ")")) {
            fail(p, "')' expected");
            return -1;
        }
        return a;
    }
    skip_space(p);
    if (p->s < p->end && *p->s >= '0' && *p->s <= '9') {
        uint64_t v = 0;
        return parse_number(p, &v) ? node(p, OP_NUM, 0, 0, 0, v) : -1;
    }
    if (p->s < p->end && ((*p->s >= 'a' && *p->s <= 'z') || (*p->s >= 'A' && *p->s <= 'Z'))) {
        const char *word = p->s;
        while (p->s < p->end && ((*p->s >= 'a' && *p->s <= 'z') || (*p->s >= 'A' && *p->s <= 'Z') ||
                                 (*p->s >= '0' && *p->s <= '9') || *p->s == '_'))
            p->s++;
        if (p->s - word == 1 && *word == 'n')
            return node(p, OP_N, 0, 0, 0, 0);
        p->s = word;
        fail(p, "unknown name (only n)");
        return -1;
    }
    fail(p, p->s < p->end ? "unexpected character" : "expression ends early");
    return -1;
}

/* One level of left-associative binary operators: tokens[i] makes ops[i]. */
static int parse_binary(struct parser *p, int depth, int level);

static const struct {
    const char *tokens[4];
    enum op ops[4];
} levels[] = {
    {{"||"}, {OP_OR}},
    {{"&&"}, {OP_AND}},
    {{"==", "!="}, {OP_EQ, OP_NE}},
    {{"<=", ">=", "<", ">"}, {OP_LE, OP_GE, OP_LT, OP_GT}},
    {{"+", "-"}, {OP_ADD, OP_SUB}},
    {{"*", "/", "%"}, {OP_MUL, OP_DIV, OP_MOD}},
};
#define N_LEVELS (int)(sizeof levels / sizeof levels[0])

static int parse_operand(struct parser *p, int depth, int level)
{
    return level + 1 < N_LEVELS ? parse_binary(p, depth, level + 1) : parse_unary(p, depth);
}

static int parse_binary(struct parser *p, int depth, int level)
{
    int left = parse_operand(p, depth, level);
    while (left >= 0) {
        int k = 0;
        while (k < 4 && levels[level].tokens[k] && !accept(p, levels[level].tokens[k]))
            k++;
        if (k == 4 || !levels[level].tokens[k])
            break;
        int right = parse_operand(p, depth, level);
        left = node(p, levels[level].ops[k], left, right, 0, 0);
    }
    return left;
}

/* c ? a : b, right-associative, the lowest precedence. */
static int parse_cond(struct parser *p, int depth)
{
    if (depth > PLURAL_MAX_DEPTH) {
        fail(p, "nested too deep");
        return -1;
    }
    int c = parse_binary(p, depth, 0);
    if (c < 0 || !accept(p, "?"))
        return c;
    int a = parse_cond(p, depth + 1);
    if (a >= 0 && !accept(p, ":")) {
        fail(p, "':' expected");
        return -1;
    }
    int b = a >= 0 ? parse_cond(p, depth + 1) : -1;
    return node(p, OP_COND, c, a, b, 0);
}

/* Evaluates node i; *div0 is set when a division by zero was taken. The
 * depth of the recursion is bounded by the number of nodes, since every
 * operand is an earlier node. */
static uint64_t eval(const struct plural_rule *r, unsigned i, uint64_t n, bool *div0)
{
    const struct plural_node *x = &r->nodes[i];
    switch ((enum op)x->op) {
    case OP_NUM:
        return x->value;
    case OP_N:
        return n;
    case OP_NOT:
        return !eval(r, x->a, n, div0);
    case OP_AND:
        return eval(r, x->a, n, div0) && eval(r, x->b, n, div0);
    case OP_OR:
        return eval(r, x->a, n, div0) || eval(r, x->b, n, div0);
    case OP_COND:
        return eval(r, x->a, n, div0) ? eval(r, x->b, n, div0) : eval(r, x->c, n, div0);
    default:
        break;
    }
    uint64_t a = eval(r, x->a, n, div0), b = eval(r, x->b, n, div0);
    switch ((enum op)x->op) {
    case OP_MUL: return a * b;
    case OP_DIV:
    case OP_MOD:
        if (b == 0) {
            *div0 = true;
            return 0;
        }
        return x->op == OP_DIV ? a / b : a % b;
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_LT: return a < b;
    case OP_GT: return a > b;
    case OP_LE: return a <= b;
    case OP_GE: return a >= b;
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    default: return 0;
    }
}

uint64_t plural_value(const struct plural_rule *r, uint64_t n)
{
    bool div0 = false;
    return r->n_nodes ? eval(r, r->root, n, &div0) : 0;
}

unsigned plural_form(const struct plural_rule *r, uint64_t n)
{
    uint64_t v = plural_value(r, n);
    return v < r->nplurals ? (unsigned)v : 0;
}

void plural_default(struct plural_rule *r)
{
    *r = (struct plural_rule){.nplurals = 2, .n_nodes = 3, .root = 2};
    r->nodes[0] = (struct plural_node){.op = OP_N};
    r->nodes[1] = (struct plural_node){.op = OP_NUM, .value = 1};
    r->nodes[2] = (struct plural_node){.op = OP_NE, .a = 0, .b = 1};
}

/* A field's name: letters only, as in "nplurals" and "plural". */
static size_t field_name(struct parser *p)
{
    skip_space(p);
    const char *at = p->s;
    while (p->s < p->end && *p->s >= 'a' && *p->s <= 'z')
        p->s++;
    return (size_t)(p->s - at);
}

bool plural_parse(const char *text, size_t len, struct plural_rule *r, char *err,
                  size_t err_len)
{
    *r = (struct plural_rule){0};
    struct parser p = {text, text + len, text, r, err, err_len, false};
    bool have_n = false, have_expr = false;
    uint64_t nplurals = 0;
    for (;;) {
        skip_space(&p);
        if (p.s >= p.end)
            break;
        const char *name = p.s;
        size_t n = field_name(&p);
        if (!accept(&p, "="))
            return fail(&p, "'nplurals=' or 'plural=' expected");
        if (n == 8 && memcmp(name, "nplurals", 8) == 0 && !have_n) {
            if (!parse_number(&p, &nplurals))
                return false;
            have_n = true;
        } else if (n == 6 && memcmp(name, "plural", 6) == 0 && !have_expr) {
            int root = parse_cond(&p, 0);
            if (root < 0)
                return fail(&p, "bad expression");
            r->root = (unsigned)root;
            have_expr = true;
        } else {
            p.s = name;
            return fail(&p, "unknown or repeated field");
        }
        skip_space(&p);
        if (p.s < p.end && !accept(&p, ";"))
            return fail(&p, "';' expected");
    }
    if (!have_n || !have_expr) {
        snprintf(err, err_len, "Plural-Forms: needs both nplurals=N and plural=EXPR");
        return false;
    }
    if (nplurals < 1 || nplurals > PLURAL_MAX_FORMS) {
        snprintf(err, err_len, "Plural-Forms: nplurals=%llu, not 1 to %d",
                 (unsigned long long)nplurals, PLURAL_MAX_FORMS);
        return false;
    }
    r->nplurals = (unsigned)nplurals;
    /* What msgfmt --check tries: a rule that is wrong for a count the
     * kiosk shows (places, seconds) is refused now, not met on screen. */
    for (uint64_t i = 0; i <= PLURAL_CHECK_UP_TO; i++) {
        bool div0 = false;
        uint64_t v = eval(r, r->root, i, &div0);
        if (div0) {
            snprintf(err, err_len, "Plural-Forms: plural divides by zero for n=%llu",
                     (unsigned long long)i);
            return false;
        }
        if (v >= nplurals) {
            snprintf(err, err_len, "Plural-Forms: plural gives form %llu for n=%llu, but nplurals=%u",
                     (unsigned long long)v, (unsigned long long)i, r->nplurals);
            return false;
        }
    }
    return true;
}
