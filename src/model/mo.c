#include "model/mo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MO_MAGIC 0x950412deu
#define MO_HEADER_BYTES 28u

struct mo {
    unsigned char *data; /* owned copy, so the pointers below stay valid */
    size_t n;
    const char **ids;
    const char **texts;
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
                             size_t i)
{
    size_t entry = (size_t)table_off + i * 8;
    if (entry > len || len - entry < 8)
        return NULL;
    size_t slen = read_u32(d + entry, big), soff = read_u32(d + entry + 4, big);
    if (soff > len || len - soff <= slen || d[soff + slen] != '\0')
        return NULL;
    return (const char *)d + soff;
}

void mo_free(struct mo *m)
{
    if (!m)
        return;
    free(m->ids);
    free(m->texts);
    free(m->data);
    free(m);
}

static struct mo *refuse(struct mo *m, char *err, size_t err_len, const char *why)
{
    snprintf(err, err_len, "not a compiled catalog: %s", why);
    mo_free(m);
    return NULL;
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
    if (!m || !(m->data = malloc(len)) || !(m->ids = calloc(count + 1, sizeof *m->ids)) ||
        !(m->texts = calloc(count + 1, sizeof *m->texts)))
        return refuse(m, err, err_len, "out of memory");
    memcpy(m->data, data, len);
    for (size_t i = 0; i < count; i++) {
        const char *id = string_at(m->data, len, big, ids_off, i);
        const char *text = string_at(m->data, len, big, texts_off, i);
        if (!id || !text)
            return refuse(m, err, err_len, "a string lies outside the file");
        if (id[0] == '\0')
            continue; /* the header entry: metadata, not a string to show */
        /* msgfmt sorts the originals; lookups rely on it (binary search). */
        if (m->n > 0 && strcmp(m->ids[m->n - 1], id) >= 0)
            return refuse(m, err, err_len, "strings not sorted");
        m->ids[m->n] = id;
        m->texts[m->n] = text;
        m->n++;
    }
    return m;
}

const char *mo_lookup(const struct mo *m, const char *msgid)
{
    if (!m || !msgid)
        return NULL;
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(msgid, m->ids[mid]);
        if (c == 0)
            return m->texts[mid];
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
    return m && i < m->n ? m->ids[i] : NULL;
}
