/*
 * The script parser (automation-v1.md "Script mode"): one step per line,
 * quoted strings with \" and \\ escapes, `#` comments outside quotes.
 *
 * A script is written by hand and often by someone who only read the
 * contract, so the parser is strict and names the line and the reason for
 * the first thing it does not understand: a typo must fail the run at
 * once, not turn into a step that quietly does something else.
 */
#include "script/script.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Limits: a script is a few dozen lines; anything near these is a
 * mistake (or a fuzzer), and refusing it keeps memory and messages small. */
#define MAX_LINE 4096
#define MAX_SCRIPT (1024u * 1024u)
#define MAX_STEPS 10000
#define MAX_COORD 100000
#define MAX_MS 3600000
/* A line with more tokens than this is wrong for every step; we keep the
 * first few to name the first extra one in the message. */
#define MAX_TOKENS 8
/* How much of a token a message quotes back. */
#define QUOTE_MAX 40

struct token {
    bool quoted;
    const char *raw;     /* bare: the word; quoted: the opening quote */
    size_t raw_len;      /* bytes of raw, quotes included */
    char *str;           /* quoted: the unescaped string (malloc'd) */
    size_t str_len;
};

struct line_tokens {
    struct token tok[MAX_TOKENS];
    size_t n;            /* tokens kept in tok */
    bool more;           /* there were more than MAX_TOKENS */
};

__attribute__((format(printf, 4, 5)))
static void fail(char *err, size_t err_len, int line, const char *fmt, ...)
{
    if (!err || err_len == 0)
        return;
    int n = snprintf(err, err_len, "%d: ", line);
    if (n < 0 || (size_t)n >= err_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, err_len - (size_t)n, fmt, ap);
    va_end(ap);
}

static bool utf8_valid(const unsigned char *s, size_t len);

/* Copies s into buf for a message: control bytes become '?' (a message
 * goes to a terminal), and so does every non-ASCII byte when s is not
 * UTF-8; long text is cut on a UTF-8 boundary with "...". */
static const char *quote(char *buf, size_t buf_len, const char *s, size_t len)
{
    bool ascii_only = !utf8_valid((const unsigned char *)s, len);
    size_t cut = len;
    bool cut_short = false;
    if (cut > QUOTE_MAX) {
        cut = QUOTE_MAX;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        cut_short = true;
    }
    if (cut + 4 > buf_len)
        cut = buf_len > 4 ? buf_len - 4 : 0;
    size_t o = 0;
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[o++] = (c < 0x20 || c == 0x7F || (ascii_only && c >= 0x80)) ? '?' : (char)c;
    }
    if (cut_short && o + 3 < buf_len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

static void tokens_clear(struct line_tokens *lt)
{
    for (size_t i = 0; i < lt->n; i++)
        free(lt->tok[i].str);
    lt->n = 0;
    lt->more = false;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Reads a quoted string starting at line[*pos] == '"'. */
static bool read_string(const char *line, size_t len, size_t *pos, struct token *t,
                        int lineno, char *err, size_t err_len)
{
    size_t i = *pos + 1;
    /* The unescaped text is never longer than the raw text. */
    char *out = malloc(len - *pos);
    if (!out) {
        fail(err, err_len, lineno, "out of memory");
        return false;
    }
    size_t o = 0;
    for (;;) {
        if (i >= len) {
            fail(err, err_len, lineno, "unterminated string");
            goto bad;
        }
        unsigned char c = (unsigned char)line[i];
        if (c == '"')
            break;
        if (c == '\\') {
            if (i + 1 >= len) {
                fail(err, err_len, lineno, "unterminated string");
                goto bad;
            }
            char e = line[i + 1];
            if (e != '"' && e != '\\') {
                unsigned char b = (unsigned char)e;
                if (b > 0x20 && b < 0x7F)
                    fail(err, err_len, lineno,
                         "unknown escape '\\%c' in string (only \\\" and \\\\)", e);
                else
                    fail(err, err_len, lineno,
                         "unknown escape (\\ before byte 0x%02X) in string (only \\\" and \\\\)",
                         b);
                goto bad;
            }
            out[o++] = e;
            i += 2;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            fail(err, err_len, lineno, "control character 0x%02X in string", c);
            goto bad;
        }
        out[o++] = (char)c;
        i++;
    }
    out[o] = '\0';
    if (!utf8_valid((const unsigned char *)out, o)) {
        fail(err, err_len, lineno, "invalid UTF-8 in string");
        goto bad;
    }
    i++; /* the closing quote */
    /* `tap "a"b` is a typo, not two tokens. */
    if (i < len && !is_blank(line[i]) && line[i] != '#') {
        fail(err, err_len, lineno, "expected white space after the closing quote");
        goto bad;
    }
    t->quoted = true;
    t->raw = line + *pos;
    t->raw_len = i - *pos;
    t->str = out;
    t->str_len = o;
    *pos = i;
    return true;
bad:
    free(out);
    return false;
}

/* Splits one line (without its line end) into tokens, stopping at a
 * comment. Only the first MAX_TOKENS are kept; the rest are checked for
 * syntax all the same so that a bad string is named as such. */
static bool tokenize(const char *line, size_t len, struct line_tokens *lt, int lineno,
                     char *err, size_t err_len)
{
    size_t i = 0;
    for (;;) {
        while (i < len && is_blank(line[i]))
            i++;
        if (i >= len || line[i] == '#')
            return true;
        struct token t = {0};
        unsigned char c = (unsigned char)line[i];
        if (c == '"') {
            if (!read_string(line, len, &i, &t, lineno, err, err_len))
                return false;
        } else if (c < 0x20 || c == 0x7F) {
            fail(err, err_len, lineno, "control character 0x%02X", c);
            return false;
        } else {
            size_t start = i;
            while (i < len) {
                unsigned char b = (unsigned char)line[i];
                if (b <= 0x20 || b == 0x7F || b == '"' || b == '#')
                    break;
                i++;
            }
            if (i < len && line[i] == '"') {
                char q[QUOTE_MAX + 8];
                fail(err, err_len, lineno, "expected white space between '%s' and '\"'",
                     quote(q, sizeof q, line + start, i - start));
                return false;
            }
            t.raw = line + start;
            t.raw_len = i - start;
        }
        if (lt->n < MAX_TOKENS)
            lt->tok[lt->n++] = t;
        else {
            free(t.str);
            lt->more = true;
        }
    }
}

static bool token_is(const struct token *t, const char *word)
{
    size_t n = strlen(word);
    return !t->quoted && t->raw_len == n && memcmp(t->raw, word, n) == 0;
}

static const char *token_quote(char *buf, size_t buf_len, const struct token *t)
{
    return quote(buf, buf_len, t->raw, t->raw_len);
}

/* A non-negative decimal from 0 to max; leading zeros are harmless. */
static bool parse_number(const struct token *t, int max, int *out)
{
    if (t->quoted || t->raw_len == 0)
        return false;
    long v = 0;
    for (size_t i = 0; i < t->raw_len; i++) {
        char c = t->raw[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
        if (v > max)
            return false;
    }
    *out = (int)v;
    return true;
}

struct number_spec {
    const char *name;
    int max;
    int *dest;
};

/* Parses tokens 1..n as the numbers described by specs. */
static bool parse_numbers(const struct line_tokens *lt, const char *step,
                          const struct number_spec *specs, size_t n, int lineno,
                          char *err, size_t err_len)
{
    for (size_t k = 0; k < n; k++) {
        const struct token *t = &lt->tok[k + 1];
        if (!parse_number(t, specs[k].max, specs[k].dest)) {
            char q[QUOTE_MAX + 8];
            fail(err, err_len, lineno, "%s: %s must be a whole number from 0 to %d, not '%s'",
                 step, specs[k].name, specs[k].max, token_quote(q, sizeof q, t));
            return false;
        }
    }
    return true;
}

/* The trailing-token check shared by every step: argc is how many
 * tokens the step takes after its name. */
static bool no_trailing(const struct line_tokens *lt, size_t argc, const char *step,
                        int lineno, char *err, size_t err_len)
{
    if (lt->n <= argc + 1 && !lt->more)
        return true;
    char q[QUOTE_MAX + 8];
    fail(err, err_len, lineno, "trailing '%s' after %s",
         token_quote(q, sizeof q, &lt->tok[argc + 1]), step);
    return false;
}

/* The quoted-string argument of tap, type, expect, ... Takes ownership of
 * the token's string. with_id: a leading '#' makes it a widget id. */
static bool take_string(struct line_tokens *lt, struct step *st, const char *step,
                        bool with_id, bool empty_ok, int lineno, char *err, size_t err_len)
{
    if (lt->n < 2 || !lt->tok[1].quoted) {
        fail(err, err_len, lineno, "expected a quoted string after %s", step);
        return false;
    }
    if (!no_trailing(lt, 1, step, lineno, err, err_len))
        return false;
    struct token *t = &lt->tok[1];
    if (t->str_len == 0 && !empty_ok) {
        fail(err, err_len, lineno, "empty string after %s", step);
        return false;
    }
    if (with_id && t->str[0] == '#') {
        if (t->str_len == 1) {
            fail(err, err_len, lineno, "empty widget id after %s", step);
            return false;
        }
        /* No id has white space; "# home" is a typo that would never match. */
        for (size_t i = 1; i < t->str_len; i++) {
            if (is_blank(t->str[i])) {
                char q[QUOTE_MAX + 8];
                fail(err, err_len, lineno, "widget id '%s' has white space",
                     quote(q, sizeof q, t->str + 1, t->str_len - 1));
                return false;
            }
        }
        memmove(t->str, t->str + 1, t->str_len); /* with its NUL */
        t->str_len--;
        st->arg_is_id = true;
    }
    st->arg = t->str;
    t->str = NULL;
    return true;
}

static bool parse_line(struct line_tokens *lt, struct step *st, int lineno, char *err,
                       size_t err_len)
{
    const struct token *name = &lt->tok[0];
    char q[QUOTE_MAX + 8];
    if (name->quoted) {
        fail(err, err_len, lineno, "expected a step name, not a string");
        return false;
    }
    st->line = lineno;
    if (token_is(name, "tap")) {
        /* tap "LABEL" / tap "#ID" / tap X Y: a bare first argument that
         * looks like a number (even a bad one) is taken as X. */
        if (lt->n >= 2 && !lt->tok[1].quoted && lt->tok[1].raw_len > 0 &&
            ((lt->tok[1].raw[0] >= '0' && lt->tok[1].raw[0] <= '9') ||
             lt->tok[1].raw[0] == '-' || lt->tok[1].raw[0] == '+')) {
            st->kind = STEP_TAP_AT;
            if (lt->n != 3 || lt->more || lt->tok[2].quoted) {
                fail(err, err_len, lineno, "tap takes \"LABEL\", \"#ID\" or X Y");
                return false;
            }
            const struct number_spec specs[] = {{"X", MAX_COORD, &st->x1},
                                                {"Y", MAX_COORD, &st->y1}};
            return parse_numbers(lt, "tap", specs, 2, lineno, err, err_len);
        }
        st->kind = STEP_TAP;
        return take_string(lt, st, "tap", true, false, lineno, err, err_len);
    }
    if (token_is(name, "swipe")) {
        st->kind = STEP_SWIPE;
        if (lt->n != 6 || lt->more) {
            fail(err, err_len, lineno, "swipe takes X1 Y1 X2 Y2 MS");
            return false;
        }
        const struct number_spec specs[] = {
            {"X1", MAX_COORD, &st->x1}, {"Y1", MAX_COORD, &st->y1},
            {"X2", MAX_COORD, &st->x2}, {"Y2", MAX_COORD, &st->y2},
            {"MS", MAX_MS, &st->ms}};
        return parse_numbers(lt, "swipe", specs, 5, lineno, err, err_len);
    }
    if (token_is(name, "hold")) {
        st->kind = STEP_HOLD;
        if (lt->n != 4 || lt->more) {
            fail(err, err_len, lineno, "hold takes X Y MS");
            return false;
        }
        const struct number_spec specs[] = {
            {"X", MAX_COORD, &st->x1}, {"Y", MAX_COORD, &st->y1}, {"MS", MAX_MS, &st->ms}};
        return parse_numbers(lt, "hold", specs, 3, lineno, err, err_len);
    }
    if (token_is(name, "wait")) {
        st->kind = STEP_WAIT;
        if (lt->n != 2 || lt->more) {
            fail(err, err_len, lineno, "wait takes MS");
            return false;
        }
        const struct number_spec specs[] = {{"MS", MAX_MS, &st->ms}};
        return parse_numbers(lt, "wait", specs, 1, lineno, err, err_len);
    }
    if (token_is(name, "type")) {
        /* Typing nothing is a way to check that a field is empty; and a
         * leading '#' is a character to type, not an id. */
        st->kind = STEP_TYPE;
        return take_string(lt, st, "type", false, true, lineno, err, err_len);
    }
    if (token_is(name, "expect")) {
        st->kind = STEP_EXPECT;
        return take_string(lt, st, "expect", true, false, lineno, err, err_len);
    }
    if (token_is(name, "expect-not")) {
        st->kind = STEP_EXPECT_NOT;
        return take_string(lt, st, "expect-not", true, false, lineno, err, err_len);
    }
    if (token_is(name, "scroll-to")) {
        st->kind = STEP_SCROLL_TO;
        return take_string(lt, st, "scroll-to", true, false, lineno, err, err_len);
    }
    if (token_is(name, "screenshot")) {
        st->kind = STEP_SCREENSHOT;
        return take_string(lt, st, "screenshot", false, false, lineno, err, err_len);
    }
    if (token_is(name, "dump")) {
        st->kind = STEP_DUMP;
        return take_string(lt, st, "dump", false, false, lineno, err, err_len);
    }
    if (token_is(name, "expect-screen")) {
        st->kind = STEP_EXPECT_SCREEN;
        if (lt->n < 2) {
            fail(err, err_len, lineno, "expect-screen takes a screen name");
            return false;
        }
        const struct token *t = &lt->tok[1];
        if (t->quoted) {
            fail(err, err_len, lineno, "expect-screen takes a bare screen name, not a string");
            return false;
        }
        if (!no_trailing(lt, 1, "expect-screen", lineno, err, err_len))
            return false;
        /* The screens' own table says which names exist. */
        for (int s = 0; s < SCREEN_COUNT; s++) {
            const char *known = screen_name((enum screen)s);
            if (token_is(t, known)) {
                size_t n = strlen(known) + 1;
                st->arg = malloc(n);
                if (st->arg)
                    memcpy(st->arg, known, n);
                if (!st->arg) {
                    fail(err, err_len, lineno, "out of memory");
                    return false;
                }
                return true;
            }
        }
        fail(err, err_len, lineno, "unknown screen '%s'", token_quote(q, sizeof q, t));
        return false;
    }
    if (token_is(name, "sync")) {
        st->kind = STEP_SYNC;
        if (lt->n != 1 || lt->more) {
            fail(err, err_len, lineno, "sync takes nothing");
            return false;
        }
        return true;
    }
    fail(err, err_len, lineno, "unknown step '%s'", token_quote(q, sizeof q, name));
    return false;
}

void script_free(struct script *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->steps[i].arg);
    free(s->steps);
    s->steps = NULL;
    s->n = 0;
}

bool script_parse(const char *text, size_t len, struct script *out, char *err, size_t err_len)
{
    out->steps = NULL;
    out->n = 0;
    if (err && err_len)
        err[0] = '\0';
    size_t cap = 0;
    size_t pos = 0;
    int lineno = 0;
    /* Editors on other systems may save a byte-order mark (and CRLF). */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        lineno++;
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - line) : len - pos;
        size_t next = pos + line_len + (nl ? 1 : 0);
        /* The line holding the first byte past the limit is the one named. */
        if (len > MAX_SCRIPT && next > MAX_SCRIPT) {
            fail(err, err_len, lineno, "script larger than 1 MiB");
            goto bad;
        }
        if (line_len > 0 && line[line_len - 1] == '\r')
            line_len--;
        if (line_len > MAX_LINE) {
            fail(err, err_len, lineno, "line longer than %d bytes", MAX_LINE);
            goto bad;
        }
        pos = next;

        struct line_tokens lt = {0};
        if (!tokenize(line, line_len, &lt, lineno, err, err_len)) {
            tokens_clear(&lt);
            goto bad;
        }
        if (lt.n == 0)
            continue;
        if (out->n == MAX_STEPS) {
            tokens_clear(&lt);
            fail(err, err_len, lineno, "more than %d steps", MAX_STEPS);
            goto bad;
        }
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct step *ns = realloc(out->steps, ncap * sizeof *ns);
            if (!ns) {
                tokens_clear(&lt);
                fail(err, err_len, lineno, "out of memory");
                goto bad;
            }
            out->steps = ns;
            cap = ncap;
        }
        struct step *st = &out->steps[out->n];
        memset(st, 0, sizeof *st);
        bool ok = parse_line(&lt, st, lineno, err, err_len);
        tokens_clear(&lt);
        if (!ok) {
            free(st->arg);
            goto bad;
        }
        out->n++;
    }
    return true;
bad:
    script_free(out);
    return false;
}
