#include "model/mo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/plural.h"

#define MO_MAGIC 0x950412deu
#define MO_HEADER_BYTES 28u

/* One original and its translation. A plural entry's original is
 * "msgid\0msgid_plural" and its translation the forms joined by NULs;
 * id and text point at the first of each. */
struct entry {
    const char *id, *text;
    size_t text_len; /* all forms, the NULs between them included */
    size_t n_forms;
    bool plural;
};

struct mo {
    unsigned char *data; /* owned copy, so the pointers below stay valid */
    size_t n;
    struct entry *entries;
    struct plural_rule rule;
};

/* msgfmt writes the machine's byte order; the magic number tells which. */
static uint32_t read_u32(const unsigned char *p, bool big)
{
    if (big)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* String i of the table at table_off: its length and offset must lie in
 * the buffer and be followed by the NUL msgfmt writes after each string. */
static const char *string_at(const unsigned char *d, size_t len, bool big, uint32_t table_off,
                             size_t i, size_t *out_len)
{
    size_t entry = (size_t)table_off + i * 8;
    if (entry > len || len - entry < 8)
        return NULL;
    size_t slen = read_u32(d + entry, big), soff = read_u32(d + entry + 4, big);
    if (soff > len || len - soff <= slen || d[soff + slen] != '\0')
        return NULL;
    *out_len = slen;
    return (const char *)d + soff;
}

void mo_free(struct mo *m)
{
    if (!m)
        return;
    free(m->entries);
    free(m->data);
    free(m);
}

static struct mo *refuse(struct mo *m, char *err, size_t err_len, const char *why)
{
    snprintf(err, err_len, "not a compiled catalog: %s", why);
    mo_free(m);
    return NULL;
}

/* The Plural-Forms line of the header entry, if any: a line of its own,
 * "Plural-Forms: nplurals=N; plural=EXPR;". */
static bool read_plural_forms(const char *header, size_t len, struct plural_rule *rule, char *err,
                              size_t err_len)
{
    static const char field[] = "Plural-Forms:";
    const char *end = header + len;
    for (const char *line = header; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *line_end = nl ? nl : end;
        if ((size_t)(line_end - line) >= sizeof field - 1 &&
            memcmp(line, field, sizeof field - 1) == 0) {
            const char *value = line + sizeof field - 1;
            return plural_parse(value, (size_t)(line_end - value), rule, err, err_len);
        }
        line = line_end + 1;
    }
    return true;
}

struct mo *mo_parse(const unsigned char *data, size_t len, char *err, size_t err_len)
{
    if (len < MO_HEADER_BYTES || len > MO_MAX_BYTES)
        return refuse(NULL, err, err_len, "wrong size");
    bool big;
    if (read_u32(data, false) == MO_MAGIC)
        big = false;
    else if (read_u32(data, true) == MO_MAGIC)
        big = true;
    else
        return refuse(NULL, err, err_len, "no .mo magic number");
    /* Major revisions 0 and 1 share the two tables read here. */
    if (read_u32(data + 4, big) >> 16 > 1)
        return refuse(NULL, err, err_len, "unknown revision");
    uint32_t count = read_u32(data + 8, big);
    uint32_t ids_off = read_u32(data + 12, big), texts_off = read_u32(data + 16, big);
    if (count > MO_MAX_STRINGS)
        return refuse(NULL, err, err_len, "too many strings");

    struct mo *m = calloc(1, sizeof *m);
    if (!m || !(m->data = malloc(len)) || !(m->entries = calloc(count + 1, sizeof *m->entries)))
        return refuse(m, err, err_len, "out of memory");
    memcpy(m->data, data, len);
    /* A catalog without a Plural-Forms line gets gettext's default. */
    plural_default(&m->rule);
    for (size_t i = 0; i < count; i++) {
        size_t id_len = 0, text_len = 0;
        const char *id = string_at(m->data, len, big, ids_off, i, &id_len);
        const char *text = string_at(m->data, len, big, texts_off, i, &text_len);
        if (!id || !text)
            return refuse(m, err, err_len, "a string lies outside the file");
        if (id_len == 0) {
            /* The header entry sorts first; it is metadata, not a string
             * to show, but its Plural-Forms rule picks the forms. */
            if (i > 0)
                return refuse(m, err, err_len, "strings not sorted");
            if (!read_plural_forms(text, text_len, &m->rule, err, err_len)) {
                mo_free(m);
                return NULL;
            }
            continue;
        }
        /* msgfmt sorts the originals; lookups rely on it (binary search). */
        if (m->n > 0 && strcmp(m->entries[m->n - 1].id, id) >= 0)
            return refuse(m, err, err_len, "strings not sorted");
        struct entry *e = &m->entries[m->n++];
        *e = (struct entry){id, text, text_len, 1, strlen(id) < id_len};
        for (size_t k = 0; e->plural && k < text_len; k++)
            e->n_forms += text[k] == '\0';
        /* msgfmt --check writes exactly nplurals forms; any other number
         * would show a wrong form or none. */
        if (e->plural && e->n_forms != m->rule.nplurals) {
            snprintf(err, err_len, "\"%s\" has %zu plural forms, Plural-Forms says %u", id,
                     e->n_forms, m->rule.nplurals);
            mo_free(m);
            return NULL;
        }
    }
    return m;
}

static const struct entry *find(const struct mo *m, const char *msgid)
{
    if (!m || !msgid)
        return NULL;
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(msgid, m->entries[mid].id);
        if (c == 0)
            return &m->entries[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t mo_count(const struct mo *m)
{
    return m ? m->n : 0;
}

const char *mo_key(const struct mo *m, size_t i)
{
    return m && i < m->n ? m->entries[i].id : NULL;
}

const char *mo_lookup(const struct mo *m, const char *msgid)
{
    const struct entry *e = find(m, msgid);
    return e ? e->text : NULL;
}

bool mo_is_plural(const struct mo *m, const char *msgid)
{
    const struct entry *e = find(m, msgid);
    return e && e->plural;
}

const char *mo_lookup_form(const struct mo *m, const char *msgid, size_t form)
{
    const struct entry *e = find(m, msgid);
    if (!e || form >= e->n_forms)
        return NULL;
    /* Forms are few (PLURAL_MAX_FORMS): walking the NULs is enough. */
    const char *s = e->text;
    for (size_t k = 0; k < form; k++)
        s += strlen(s) + 1;
    return s;
}

const struct plural_rule *mo_plural_rule(const struct mo *m)
{
    return m ? &m->rule : NULL;
}
