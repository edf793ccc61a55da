#include "hub/hub_csv.h"

#include <stdlib.h>
#include <string.h>

void hub_csv_reader_init(struct hub_csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    r->data = data;
    r->len = len;
    r->line = 1;
    bool quoted = false, semicolon = false, comma = false;
    for (size_t i = 0; i < len && (quoted || (data[i] != '\n' && data[i] != '\r')); i++) {
        if (data[i] == '"')
            quoted = !quoted;
        else if (!quoted && data[i] == ';')
            semicolon = true;
        else if (!quoted && data[i] == ',')
            comma = true;
    }
    r->separator = semicolon && !comma ? ';' : ',';
}

void hub_csv_record_clear(struct hub_csv_record *rec)
{
    for (size_t i = 0; i < rec->n_fields; i++)
        free(rec->fields[i]);
    rec->n_fields = 0;
}

struct field_buf {
    char *text;
    size_t len, cap;
};

static bool buf_put(struct field_buf *b, char c)
{
    if (b->len + 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *more = realloc(b->text, cap);
        if (!more)
            return false;
        b->text = more;
        b->cap = cap;
    }
    b->text[b->len++] = c;
    b->text[b->len] = '\0';
    return true;
}

static bool line_is_blank(const struct hub_csv_reader *r)
{
    size_t i = r->pos;
    while (i < r->len && (r->data[i] == ' ' || r->data[i] == '\t'))
        i++;
    return i >= r->len || r->data[i] == '\n' || r->data[i] == '\r';
}

static void skip_line_end(struct hub_csv_reader *r)
{
    if (r->pos < r->len && r->data[r->pos] == '\r')
        r->pos++;
    if (r->pos < r->len && r->data[r->pos] == '\n')
        r->pos++;
    r->line++;
}

enum hub_csv_result hub_csv_next(struct hub_csv_reader *r, struct hub_csv_record *rec, char *err,
                                 size_t err_len)
{
    hub_csv_record_clear(rec);
    while (r->pos < r->len && line_is_blank(r)) {
        while (r->pos < r->len && r->data[r->pos] != '\n' && r->data[r->pos] != '\r')
            r->pos++;
        if (r->pos >= r->len)
            break;
        skip_line_end(r);
    }
    if (r->pos >= r->len)
        return HUB_CSV_END;
    rec->line = r->line;

    struct field_buf b = {0};
    bool quoted = false, was_quoted = false, end_of_record = false;
    while (!end_of_record) {
        char c = r->pos < r->len ? r->data[r->pos] : '\0';
        bool at_end = r->pos >= r->len;
        if (quoted) {
            if (at_end) {
                snprintf(err, err_len, "line %zu: a quoted field is not closed", rec->line);
                goto fail;
            }
            r->pos++;
            if (c == '"') {
                if (r->pos < r->len && r->data[r->pos] == '"') {
                    r->pos++;
                    if (!buf_put(&b, '"'))
                        goto oom;
                } else {
                    quoted = false;
                }
                continue;
            }
            if (c == '\n')
                r->line++;
            if (!buf_put(&b, c))
                goto oom;
        } else if (at_end || c == r->separator || c == '\n' || c == '\r') {
            if (rec->n_fields == HUB_CSV_MAX_FIELDS) {
                snprintf(err, err_len, "line %zu: more than %d columns", rec->line,
                         HUB_CSV_MAX_FIELDS);
                goto fail;
            }
            if (!b.text && !(b.text = strdup("")))
                goto oom;
            rec->fields[rec->n_fields++] = b.text;
            memset(&b, 0, sizeof b);
            was_quoted = false;
            if (at_end || c != r->separator) {
                if (!at_end)
                    skip_line_end(r);
                end_of_record = true;
            } else {
                r->pos++;
            }
        } else if (c == '"') {
            if (b.len != 0 || was_quoted) {
                snprintf(err, err_len, "line %zu: a quote inside an unquoted field", r->line);
                goto fail;
            }
            r->pos++;
            quoted = was_quoted = true;
        } else {
            if (was_quoted) {
                snprintf(err, err_len, "line %zu: text after a closing quote", r->line);
                goto fail;
            }
            r->pos++;
            if (!buf_put(&b, c))
                goto oom;
        }
        if (b.len > HUB_CSV_MAX_FIELD_BYTES) {
            snprintf(err, err_len, "line %zu: a field over %d bytes", rec->line,
                     HUB_CSV_MAX_FIELD_BYTES);
            goto fail;
        }
    }
    return HUB_CSV_RECORD;
oom:
    snprintf(err, err_len, "out of memory");
fail:
    free(b.text);
    hub_csv_record_clear(rec);
    return HUB_CSV_ERROR;
}

/* A cell a spreadsheet may take for a formula: = + - @ (OWASP's list),
 * and a tab or CR, which some programs strip before looking again. */
static bool formula_start(char c)
{
    return c && strchr("=+-@\t\r", c) != NULL;
}

void hub_csv_write_field(FILE *out, const char *text)
{
    if (!text)
        return;
    /* Quoted whenever a spreadsheet could split the text or read it as a
     * formula, whichever separator it splits on: Dutch spreadsheets split
     * on ';' a file whose header uses ','. Quoting alone does not stop a
     * formula, so a leading formula character also gets an apostrophe. */
    bool defuse = formula_start(text[0]);
    bool quote = defuse || strpbrk(text, ",;\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    if (defuse)
        fputc('\'', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
}
