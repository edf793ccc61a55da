#include "model/feed.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "model/localized.h"
#include "base/strset.h"
#include "base/timeutil.h"
#include "model/vocab.h"

/* Deeper nesting than this is no feed anyone writes; refusing it keeps the
 * builder's stack fixed and a hostile body from costing memory. */
#define MAX_DEPTH 32

static const char *const kind_names[FEED_KIND_COUNT] = {"location", "activity", "service",
                                                         "announcement"};
static const char *const array_names[FEED_KIND_COUNT] = {"locations", "activities", "services",
                                                          "announcements"};

const char *feed_kind_name(enum feed_kind kind)
{
    return (unsigned)kind < FEED_KIND_COUNT ? kind_names[kind] : "item";
}

bool feed_id_valid(const char *id)
{
    size_t n = 0;
    for (; id[n]; n++) {
        unsigned char c = (unsigned char)id[n];
        if (!(isalnum(c) && c < 128) && c != '_' && c != '-')
            return false;
        if (n >= FEED_ID_MAX)
            return false;
    }
    return n > 0;
}

/* ---- the streaming reader ------------------------------------------------ */

enum mode {
    MODE_START,     /* before the top-level object */
    MODE_TOP,       /* inside the top-level object, between fields */
    MODE_ITEMS,     /* inside one of the four item arrays, between items */
    MODE_BUILD,     /* building a value (an item or a small top-level field) */
    MODE_SKIP,      /* passing over an unknown top-level field */
    MODE_DONE,      /* after the top-level object */
};

enum top_field {
    TOP_FORMAT, TOP_VERSION, TOP_GENERATED_AT, TOP_PUBLISHER, TOP_LANGUAGES, TOP_FIELD_COUNT
};
static const char *const top_field_names[TOP_FIELD_COUNT] = {"format", "version", "generated_at",
                                                             "publisher", "languages"};

/* ---- per-item storage ------------------------------------------------------ */

/* What an item hands to the sink beyond the parsed tree's own strings (its
 * texts as JSON, list pointers, exdates): reset for every item and its
 * blocks kept for the next, so that 20,000 items cost a few mallocs. A
 * block never moves, so what is written into it stays where it is while
 * more is added. */
struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    alignas(max_align_t) char data[];
};

struct arena {
    struct arena_block *first, *current;
    yajl_gen gen;                   /* arena_json's encoder, made on first use */
};

/* One block holds every text of a typical item. */
#define ARENA_BLOCK_BYTES 16384

/* Texts and lists go to the store as the compact JSON it has always kept. */
#define PLAIN_JSON_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

static void arena_reset(struct arena *a)
{
    a->current = a->first;
    if (a->current)
        a->current->used = 0;
}

static void arena_free(struct arena *a)
{
    while (a->first) {
        struct arena_block *next = a->first->next;
        free(a->first);
        a->first = next;
    }
    a->current = NULL;
    if (a->gen)
        yajl_gen_free(a->gen);
    a->gen = NULL;
}

/* The block with need bytes free from an aligned start: the current one,
 * the next kept one, or a new one. NULL when out of memory. */
static struct arena_block *arena_room(struct arena *a, size_t need)
{
    struct arena_block *b = a->current;
    if (b) {
        size_t start = (b->used + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
        if (start <= b->cap && b->cap - start >= need) {
            b->used = start;
            return b;
        }
    }
    struct arena_block *next = b ? b->next : a->first;
    if (next && next->cap >= need) {
        next->used = 0;
        a->current = next;
        return next;
    }
    size_t cap = need > ARENA_BLOCK_BYTES ? need : ARENA_BLOCK_BYTES;
    struct arena_block *fresh = malloc(sizeof *fresh + cap);
    if (!fresh)
        return NULL;
    fresh->cap = cap;
    fresh->used = 0;
    fresh->next = next;
    if (b)
        b->next = fresh;
    else
        a->first = fresh;
    a->current = fresh;
    return fresh;
}

/* size bytes aligned for any type, valid until the next arena_reset. */
static void *arena_alloc(struct arena *a, size_t size)
{
    struct arena_block *b = arena_room(a, size ? size : 1);
    if (!b)
        return NULL;
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

/* value through yajl's generator; false for a real number or an error.
 * Strings, keys, integers, true, false and null come out byte for byte as
 * jansson's compact dump writes them (the same escapes: \" \\ \b \f \n
 * \r \t, other controls as \u00XX in capitals, '/' and all else as is;
 * test_feed compares the two), at a fifth of the cost: jansson decodes
 * every character of every text again while dumping. Reals are left to
 * jansson, whose digits yajl would not reproduce. */
static bool gen_value(yajl_gen g, const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_STRING:
        return yajl_gen_string(g, (const unsigned char *)json_string_value(value),
                               json_string_length(value)) == yajl_gen_status_ok;
    case JSON_OBJECT: {
        if (yajl_gen_map_open(g) != yajl_gen_status_ok)
            return false;
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)value, key, member) {
            size_t len = json_object_iter_key_len(json_object_key_to_iter(key));
            if (yajl_gen_string(g, (const unsigned char *)key, len) != yajl_gen_status_ok ||
                !gen_value(g, member))
                return false;
        }
        return yajl_gen_map_close(g) == yajl_gen_status_ok;
    }
    case JSON_ARRAY: {
        if (yajl_gen_array_open(g) != yajl_gen_status_ok)
            return false;
        size_t i;
        json_t *element;
        json_array_foreach(value, i, element) {
            if (!gen_value(g, element))
                return false;
        }
        return yajl_gen_array_close(g) == yajl_gen_status_ok;
    }
    case JSON_INTEGER:
        return yajl_gen_integer(g, json_integer_value(value)) == yajl_gen_status_ok;
    case JSON_TRUE:
    case JSON_FALSE:
        return yajl_gen_bool(g, json_is_true(value)) == yajl_gen_status_ok;
    case JSON_NULL:
        return yajl_gen_null(g) == yajl_gen_status_ok;
    case JSON_REAL:
        break;
    }
    return false;
}

/* value as compact JSON text in the arena; NULL when out of memory. */
static const char *arena_json(struct arena *a, const json_t *value)
{
    if (!a->gen)
        a->gen = yajl_gen_alloc(NULL);
    if (a->gen) {
        yajl_gen_reset(a->gen, NULL);
        yajl_gen_clear(a->gen);
        const unsigned char *buf;
        size_t n;
        if (gen_value(a->gen, value) && yajl_gen_get_buf(a->gen, &buf, &n) == yajl_gen_status_ok) {
            char *text = arena_alloc(a, n + 1);
            if (!text)
                return NULL;
            memcpy(text, buf, n);
            text[n] = '\0';
            return text;
        }
    }
    /* Dump into what the current block has left; a text too long for that
     * is dumped again into a block of its own size. */
    struct arena_block *b = arena_room(a, 64);
    if (!b)
        return NULL;
    size_t room = b->cap - b->used - 1;
    size_t n = json_dumpb(value, b->data + b->used, room, PLAIN_JSON_FLAGS);
    if (n == 0)
        return NULL;
    if (n > room) {
        b = arena_room(a, n + 1);
        if (!b || json_dumpb(value, b->data + b->used, n, PLAIN_JSON_FLAGS) != n)
            return NULL;
    }
    char *text = b->data + b->used;
    text[n] = '\0';
    b->used += n + 1;
    return text;
}

/* An activity or service whose location_id named a location not seen yet:
 * settled when the document ends. */
struct pending_ref {
    enum feed_kind kind;
    size_t index;
    char id[FEED_ID_MAX + 1];
    char location_id[FEED_ID_MAX + 1];
};

struct reader {
    const struct feed_sink *sink;
    struct feed_report *report;

    enum mode mode;
    int skip_depth;
    bool in_array_field;            /* current top-level key names an item array */
    enum feed_kind array_kind;
    int top_field;                  /* enum top_field, or -1 for an unknown key */
    bool seen_array[FEED_KIND_COUNT];
    json_t *top_values[TOP_FIELD_COUNT];
    struct strset top_keys;

    /* the value being built */
    json_t *stack[MAX_DEPTH];
    char *stack_keys[MAX_DEPTH];    /* pending key per open object */
    int sp;
    bool build_is_item;
    bool item_has_nul;

    size_t index[FEED_KIND_COUNT];
    size_t total_items;
    struct strset ids[FEED_KIND_COUNT];
    struct pending_ref *pending;
    size_t n_pending, cap_pending;

    /* what the sink gets of the current item; only built when there is
     * a sink to take it (validation alone needs none of it) */
    struct arena arena;
    bool build_plain;
    struct pipe *pipe;              /* a threaded sink's hand-over, or NULL */

    bool rejected;
    bool sink_failed;
};

static void reject(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reject(struct reader *r, const char *fmt, ...)
{
    if (r->rejected)
        return;
    r->rejected = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->report->reason, sizeof r->report->reason, fmt, ap);
    va_end(ap);
}

static void copy_clean_id(char dst[FEED_ID_MAX + 1], const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i < FEED_ID_MAX; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    dst[i] = '\0';
}

static void record_skip(struct reader *r, enum feed_kind kind, size_t index, const char *id,
                        const char *reason)
{
    struct feed_report *rep = r->report;
    rep->skipped++;
    if (rep->n_skips >= FEED_MAX_SKIP_DETAILS)
        return;
    if (rep->n_skips % 64 == 0) {
        struct feed_skip *more = realloc(rep->skips, (rep->n_skips + 64) * sizeof *more);
        if (!more)
            return;
        rep->skips = more;
    }
    struct feed_skip *s = &rep->skips[rep->n_skips++];
    s->kind = kind;
    s->index = index;
    copy_clean_id(s->id, id);
    snprintf(s->reason, sizeof s->reason, "%s", reason);
}

static void record_warning(struct reader *r, enum feed_kind kind, size_t index, const char *id,
                           const char *message)
{
    struct feed_report *rep = r->report;
    rep->warned++;
    if (rep->n_warnings >= FEED_MAX_SKIP_DETAILS)
        return;
    if (rep->n_warnings % 64 == 0) {
        struct feed_warning *more =
            realloc(rep->warnings, (rep->n_warnings + 64) * sizeof *more);
        if (!more)
            return;
        rep->warnings = more;
    }
    struct feed_warning *w = &rep->warnings[rep->n_warnings++];
    w->kind = kind;
    w->index = index;
    copy_clean_id(w->id, id);
    snprintf(w->message, sizeof w->message, "%s", message);
}

/* An item skipped after all (a dangling location_id) has no fields to
 * warn about any more. */
static void forget_warnings(struct reader *r, enum feed_kind kind, size_t index)
{
    struct feed_report *rep = r->report;
    size_t kept = 0;
    for (size_t i = 0; i < rep->n_warnings; i++) {
        if (rep->warnings[i].kind == kind && rep->warnings[i].index == index)
            continue;
        rep->warnings[kept++] = rep->warnings[i];
    }
    rep->warned -= rep->n_warnings - kept;
    rep->n_warnings = kept;
}

/* ---- item validation ----------------------------------------------------- */

/* Optional fields one item may have dropped before the rest are not
 * itemised (they are still counted). */
#define MAX_ITEM_WARNINGS 8

/* Why an item is skipped (the first problem found wins), and which
 * invalid optional fields it lost on the way (feed-v1: dropped with a
 * warning, the item kept). */
struct verdict {
    bool bad;
    char reason[120];
    size_t n_warnings;
    char warnings[MAX_ITEM_WARNINGS][120];
};

static void fail(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct verdict *v, const char *fmt, ...)
{
    if (v->bad)
        return;
    v->bad = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->reason, sizeof v->reason, fmt, ap);
    va_end(ap);
}

static void drop(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void drop(struct verdict *v, const char *fmt, ...)
{
    size_t i = v->n_warnings++;
    if (i >= MAX_ITEM_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->warnings[i], sizeof v->warnings[i], fmt, ap);
    va_end(ap);
}

static const char *opt_string(json_t *item, const char *key, struct verdict *v)
{
    json_t *value = json_object_get(item, key);
    if (!value || json_is_null(value))
        return NULL;
    if (!json_is_string(value)) {
        fail(v, "%s is not a string", key);
        return NULL;
    }
    if (json_string_length(value) > TEXT_MAX_BYTES) {
        fail(v, "%s: text over 8 KiB", key);
        return NULL;
    }
    return json_string_value(value);
}

/* An optional string whose wrong type only costs the field; a text over
 * its limit still skips the item, as feed-v1 lists it among the item rules. */
static const char *soft_string(json_t *item, const char *key, struct verdict *v)
{
    json_t *value = json_object_get(item, key);
    if (!value || json_is_null(value))
        return NULL;
    if (!json_is_string(value)) {
        drop(v, "%s is not a string; dropped", key);
        return NULL;
    }
    return opt_string(item, key, v);
}

/* An optional url or image: a string that is not a URL is dropped. */
static const char *soft_url(json_t *item, const char *key, bool allow_file, struct verdict *v)
{
    const char *url = soft_string(item, key, v);
    if (url && !feed_url_valid(url, allow_file)) {
        drop(v, "%s is not a%s URL; dropped", key, allow_file ? "n http(s) or file" : "n http(s)");
        return NULL;
    }
    return url;
}

/* What one item's checks share: the per-item storage and whether the sink
 * wants the plain forms at all. */
struct scratch {
    struct rrule rule;
    struct arena *arena;
    bool build_plain;
};

/* value as JSON text for the sink; NULL, and the item skipped, when out of
 * memory. Nothing is built when there is no sink to take it. */
static const char *plain_json(struct scratch *s, const json_t *value, struct verdict *v)
{
    if (!s->build_plain || v->bad)
        return NULL;
    const char *text = arena_json(s->arena, value);
    if (!text)
        fail(v, "out of memory");
    return text;
}

/* The strings of a normalized text, in its order, joined by newlines:
 * what the search index reads. NULL (the item skipped) when out of memory. */
static const char *text_values(struct scratch *s, const json_t *text, struct verdict *v)
{
    size_t n = 0;
    const char *lang;
    json_t *value;
    json_object_foreach((json_t *)text, lang, value) n += json_string_length(value) + 1;
    char *joined = arena_alloc(s->arena, n ? n : 1);
    if (!joined) {
        fail(v, "out of memory");
        return NULL;
    }
    char *o = joined;
    json_object_foreach((json_t *)text, lang, value) {
        if (o != joined)
            *o++ = '\n';
        memcpy(o, json_string_value(value), json_string_length(value));
        o += json_string_length(value);
    }
    *o = '\0';
    return joined;
}

/* A localized text as its canonical JSON object text, or NULL when absent.
 * values, when not NULL, gets text_values of it. */
static const char *text_field(json_t *item, const char *key, bool required, struct verdict *v,
                              struct scratch *s, const char **values)
{
    json_t *normalized = NULL;
    enum text_check c = localized_normalize(json_object_get(item, key), &normalized);
    if (c == TEXT_MISSING && !required)
        return NULL;
    if (c == TEXT_EMPTY && !required)
        return NULL;
    if (c == TEXT_WRONG_TYPE && !required) {
        drop(v, "%s: %s; dropped", key, text_check_reason(c));
        return NULL;
    }
    if (c != TEXT_OK) {
        fail(v, "%s: %s", key, text_check_reason(c));
        return NULL;
    }
    const char *text = plain_json(s, normalized, v);
    if (values && text)
        *values = text_values(s, normalized, v);
    json_decref(normalized);
    return text;
}

static int64_t timestamp_field(json_t *item, const char *key, bool required, struct verdict *v)
{
    json_t *value = json_object_get(item, key);
    if (!value || json_is_null(value)) {
        if (required)
            fail(v, "%s is missing", key);
        return 0;
    }
    int64_t t = 0;
    if (!json_is_string(value) || !rfc3339_parse(json_string_value(value), &t)) {
        fail(v, "%s is not an RFC 3339 timestamp with an offset", key);
        return 0;
    }
    return t;
}

/* An array of strings (codes, tags, ids). Unknown codes are kept. The
 * items point into the item's tree, which outlives the sink's call. */
static void string_array_field(json_t *item, const char *key, bool strict,
                               struct feed_strings *out, struct verdict *v, struct scratch *s)
{
    json_t *value = json_object_get(item, key);
    if (!value || json_is_null(value))
        return;
    if (!json_is_array(value)) {
        if (strict)
            fail(v, "%s is not an array", key);
        else
            drop(v, "%s is not an array; dropped", key);
        return;
    }
    size_t i;
    json_t *element;
    json_array_foreach(value, i, element) {
        if (!json_is_string(element) || json_string_length(element) == 0 ||
            json_string_length(element) > 256) {
            if (strict)
                fail(v, "%s[%zu] is not a short string", key, i);
            else
                drop(v, "%s[%zu] is not a short string; %s dropped", key, i, key);
            return;
        }
    }
    size_t n = json_array_size(value);
    if (n == 0 || !s->build_plain || v->bad)
        return;
    const char **items = arena_alloc(s->arena, n * sizeof *items);
    if (!items) {
        fail(v, "out of memory");
        return;
    }
    json_array_foreach(value, i, element) {
        items[i] = json_string_value(element);
    }
    out->json = plain_json(s, value, v);
    out->items = items;
    out->count = out->json ? n : 0;
}

static bool nonnegative_integer(json_t *value, int64_t *out)
{
    if (!json_is_integer(value) || json_integer_value(value) < 0)
        return false;
    *out = json_integer_value(value);
    return true;
}

static const char *required_id(json_t *item, struct verdict *v)
{
    json_t *value = json_object_get(item, "id");
    if (!value) {
        fail(v, "id is missing");
        return NULL;
    }
    if (!json_is_string(value) || !feed_id_valid(json_string_value(value))) {
        fail(v, "id is not [A-Za-z0-9_-]{1,128}");
        return NULL;
    }
    return json_string_value(value);
}

/* location_id: must name a location; one not seen yet is settled at the end. */
static const char *location_ref(struct reader *r, json_t *item, struct verdict *v,
                                 bool *pending_out)
{
    *pending_out = false;
    const char *loc = opt_string(item, "location_id", v);
    if (!loc)
        return NULL;
    if (!feed_id_valid(loc)) {
        fail(v, "location_id is not a valid id");
        return NULL;
    }
    if (!strset_contains(&r->ids[FEED_LOCATION], loc))
        *pending_out = true;
    return loc;
}

static void check_location(json_t *item, struct feed_location *loc, struct verdict *v,
                           struct scratch *s)
{
    loc->name_json = text_field(item, "name", true, v, s, &loc->name_values);
    loc->address = soft_string(item, "address", v);
    loc->neighbourhood = soft_string(item, "neighbourhood", v);
    loc->accessibility_json = text_field(item, "accessibility", false, v, s, NULL);
    /* feed-v1: a bad or lone coordinate drops both and keeps the location
     * (and with it every activity and service there). */
    json_t *lat = json_object_get(item, "lat");
    json_t *lon = json_object_get(item, "lon");
    if (lat && json_is_null(lat))
        lat = NULL;
    if (lon && json_is_null(lon))
        lon = NULL;
    if (!lat && !lon)
        return;
    if ((lat && !json_is_number(lat)) || (lon && !json_is_number(lon)))
        drop(v, "lat/lon are not numbers; both dropped");
    else if (!lat || !lon)
        drop(v, "%s without %s; both dropped", lat ? "lat" : "lon", lat ? "lon" : "lat");
    else if (!feed_coordinates_valid(json_number_value(lat), json_number_value(lon)))
        drop(v, "lat/lon out of range; both dropped");
    else {
        loc->lat = json_number_value(lat);
        loc->lon = json_number_value(lon);
        loc->has_coordinates = true;
    }
}

static const struct {
    const char *name;
    unsigned bit;
} signup_field_names[] = {
    {"name", SIGNUP_NAME},          {"phone", SIGNUP_PHONE},   {"email", SIGNUP_EMAIL},
    {"party_size", SIGNUP_PARTY_SIZE}, {"remark", SIGNUP_REMARK},
};

/* signup.taken and signup.lease: an integer for every occurrence, or an
 * object of occurrence start -> integer. False (after fail) when the rest
 * of the signup object need not be read. */
static bool per_occurrence(json_t *value, const char *what, int64_t *all, size_t *n_out,
                           const struct feed_taken **by_out, struct verdict *v, struct scratch *s)
{
    if (json_is_object(value)) {
        size_t n = json_object_size(value);
        struct feed_taken *by = arena_alloc(s->arena, (n ? n : 1) * sizeof *by);
        if (!by) {
            fail(v, "out of memory");
            return false;
        }
        const char *key;
        json_t *count;
        json_object_foreach(value, key, count) {
            struct feed_taken *t = &by[*n_out];
            if (!rfc3339_parse(key, &t->occurrence)) {
                fail(v, "%s key is not a timestamp with an offset", what);
                return false;
            }
            if (!nonnegative_integer(count, &t->taken)) {
                fail(v, "%s value is not an integer >= 0", what);
                return false;
            }
            (*n_out)++;
        }
        *by_out = by;
    } else if (value && !json_is_null(value) && !nonnegative_integer(value, all)) {
        fail(v, "%s is not an integer >= 0 or an object", what);
    }
    return true;
}

static void check_signup_fields(json_t *signup, struct feed_signup *out, struct verdict *v,
                                struct scratch *s)
{
    if (!signup || json_is_null(signup))
        return;
    if (!json_is_object(signup)) {
        fail(v, "signup is not an object");
        return;
    }
    out->present = true;
    out->capacity = -1;
    out->fields = SIGNUP_NAME | SIGNUP_PHONE;

    json_t *value = json_object_get(signup, "capacity");
    if (value && !json_is_null(value) && !nonnegative_integer(value, &out->capacity))
        fail(v, "signup.capacity is not an integer >= 0");

    if (!per_occurrence(json_object_get(signup, "taken"), "signup.taken", &out->taken,
                        &out->n_taken_by_occurrence, &out->taken_by_occurrence, v, s) ||
        !per_occurrence(json_object_get(signup, "lease"), "signup.lease", &out->lease,
                        &out->n_lease_by_occurrence, &out->lease_by_occurrence, v, s))
        return;

    value = json_object_get(signup, "waitlist");
    if (value && !json_is_null(value)) {
        if (!json_is_boolean(value))
            fail(v, "signup.waitlist is not a boolean");
        out->waitlist = json_is_true(value);
    }

    value = json_object_get(signup, "closes_before_min");
    if (value && !json_is_null(value) && !nonnegative_integer(value, &out->closes_before_min))
        fail(v, "signup.closes_before_min is not an integer >= 0");

    value = json_object_get(signup, "fields");
    if (value && !json_is_null(value)) {
        if (!json_is_array(value)) {
            fail(v, "signup.fields is not an array");
            return;
        }
        out->fields = 0;
        size_t i;
        json_t *name;
        json_array_foreach(value, i, name) {
            const char *field = json_string_value(name);
            unsigned bit = 0;
            for (size_t k = 0; field && k < sizeof signup_field_names / sizeof *signup_field_names; k++)
                if (strcmp(field, signup_field_names[k].name) == 0)
                    bit = signup_field_names[k].bit;
            if (!bit) {
                fail(v, "signup.fields[%zu] is not one of name, phone, email, party_size, remark", i);
                return;
            }
            out->fields |= bit;
        }
    }
}

/* signup is one optional field: whatever is wrong inside it drops the
 * whole of it (the activity is shown without sign-up at the kiosk), since
 * half a sign-up rule (a capacity without its taken) would promise places
 * that are not there. */
static void check_signup(json_t *signup, struct feed_signup *out, struct verdict *v,
                         struct scratch *s)
{
    struct verdict inner = {0};
    check_signup_fields(signup, out, &inner, s);
    if (!inner.bad)
        return;
    if (strcmp(inner.reason, "out of memory") == 0) {
        fail(v, "out of memory");
        return;
    }
    memset(out, 0, sizeof *out);
    drop(v, "%.90s; signup dropped", inner.reason);
}

static void check_contact(json_t *item, struct feed_contact *out, struct verdict *v,
                          struct scratch *s)
{
    json_t *contact = json_object_get(item, "contact");
    if (!contact || json_is_null(contact))
        return;
    if (!json_is_object(contact)) {
        drop(v, "contact is not an object; dropped");
        return;
    }
    static const char *const keys[] = {"phone", "email", "url"};
    const char *values[3];
    for (size_t i = 0; i < 3; i++) {
        json_t *value = json_object_get(contact, keys[i]);
        if (value && !json_is_null(value) && json_is_string(value) &&
            json_string_length(value) > TEXT_MAX_BYTES) {
            fail(v, "contact.%s: text over 8 KiB", keys[i]);
            return;
        }
        if (value && !json_is_null(value) && !json_is_string(value)) {
            drop(v, "contact.%s is not a string; contact dropped", keys[i]);
            return;
        }
        values[i] = json_string_value(value);
    }
    out->json = plain_json(s, contact, v);
    if (!out->json)
        return;
    out->phone = values[0];
    out->email = values[1];
    out->url = values[2];
}

static void check_activity(struct reader *r, json_t *item, struct feed_activity *a,
                           struct verdict *v, struct scratch *s, bool *pending)
{
    a->title_json = text_field(item, "title", true, v, s, &a->title_values);
    a->summary_json = text_field(item, "summary", false, v, s, &a->summary_values);
    a->description_json = text_field(item, "description", false, v, s, &a->description_values);
    a->cost_json = text_field(item, "cost", false, v, s, NULL);
    string_array_field(item, "themes", false, &a->themes, v, s);
    string_array_field(item, "functions", false, &a->functions, v, s);
    string_array_field(item, "audience", false, &a->audience, v, s);
    a->location_id = location_ref(r, item, v, pending);
    a->starts_at = timestamp_field(item, "starts_at", true, v);
    a->ends_at = a->starts_at;
    if (json_object_get(item, "ends_at") && !json_is_null(json_object_get(item, "ends_at"))) {
        a->ends_at = timestamp_field(item, "ends_at", true, v);
        if (!v->bad && a->ends_at < a->starts_at)
            fail(v, "ends_at is before starts_at");
    }
    a->url = soft_url(item, "url", false, v);
    a->image = soft_url(item, "image", true, v);
    a->updated_at = timestamp_field(item, "updated_at", false, v);

    a->rrule_text = opt_string(item, "rrule", v);
    if (a->rrule_text && !v->bad) {
        char why[96];
        if (!rrule_parse(a->rrule_text, &s->rule, why, sizeof why))
            fail(v, "rrule: %s", why);
        else
            a->rule = &s->rule;
    }

    json_t *exdates = json_object_get(item, "exdates");
    if (exdates && !json_is_null(exdates)) {
        if (!json_is_array(exdates)) {
            fail(v, "exdates is not an array");
        } else if (json_array_size(exdates) > 0) {
            int64_t *parsed = arena_alloc(s->arena, json_array_size(exdates) * sizeof *parsed);
            size_t i;
            json_t *e;
            if (!parsed)
                fail(v, "out of memory");
            json_array_foreach(exdates, i, e) {
                if (!parsed)
                    break;
                if (!json_is_string(e) || !rfc3339_parse(json_string_value(e), &parsed[i])) {
                    fail(v, "exdates[%zu] is not a timestamp with an offset", i);
                    break;
                }
            }
            a->exdates = parsed;
            a->n_exdates = json_array_size(exdates);
        }
    }
    check_signup(json_object_get(item, "signup"), &a->signup, v, s);
    check_contact(item, &a->contact, v, s);
}

static void check_walk_in(json_t *walk_in, struct verdict *v)
{
    if (!json_is_array(walk_in)) {
        fail(v, "walk_in is not an array");
        return;
    }
    size_t i;
    json_t *slot;
    json_array_foreach(walk_in, i, slot) {
        json_t *days = json_object_get(slot, "days");
        int opens = 0, closes = 0;
        if (!json_is_object(slot) || !json_is_array(days) || json_array_size(days) == 0) {
            fail(v, "walk_in[%zu] needs days", i);
            return;
        }
        size_t k;
        json_t *day;
        json_array_foreach(days, k, day) {
            if (vocab_day_index(json_string_value(day)) < 0) {
                fail(v, "walk_in[%zu].days has an unknown day", i);
                return;
            }
        }
        const char *o = json_string_value(json_object_get(slot, "opens"));
        const char *c = json_string_value(json_object_get(slot, "closes"));
        if (!o || !c || !hhmm_parse(o, &opens) || !hhmm_parse(c, &closes) || opens >= closes) {
            fail(v, "walk_in[%zu] needs opens before closes as HH:MM", i);
            return;
        }
    }
}

static void check_service(struct reader *r, json_t *item, struct feed_service *sv,
                          struct verdict *v, struct scratch *s, bool *pending)
{
    sv->name_json = text_field(item, "name", true, v, s, &sv->name_values);
    sv->description_json = text_field(item, "description", false, v, s, &sv->description_values);
    sv->how_to_json = text_field(item, "how_to", false, v, s, &sv->how_to_values);
    sv->organization = soft_string(item, "organization", v);
    string_array_field(item, "themes", false, &sv->themes, v, s);
    string_array_field(item, "functions", false, &sv->functions, v, s);
    string_array_field(item, "topics", false, &sv->topics, v, s);
    sv->location_id = location_ref(r, item, v, pending);
    sv->phone = soft_string(item, "phone", v);
    sv->email = soft_string(item, "email", v);
    sv->url = soft_url(item, "url", false, v);
    /* automation-v1 names service.image; feed-v1 lists no image for
     * services. Read it when it is a string; any other value is ignored as
     * an unknown field would be, so no service is lost over it. */
    json_t *image = json_object_get(item, "image");
    sv->image = json_is_string(image) ? soft_url(item, "image", true, v) : NULL;
    sv->updated_at = timestamp_field(item, "updated_at", false, v);
    json_t *walk_in = json_object_get(item, "walk_in");
    if (walk_in && !json_is_null(walk_in)) {
        /* Opening times that cannot be read are left out; the service
         * and its phone number stay. */
        struct verdict inner = {0};
        check_walk_in(walk_in, &inner);
        if (inner.bad)
            drop(v, "%.100s; walk_in dropped", inner.reason);
        else
            sv->walk_in_json = plain_json(s, walk_in, v);
    }
}

static void check_announcement(json_t *item, struct feed_announcement *an, struct verdict *v,
                               struct scratch *s)
{
    an->text_json = text_field(item, "text", true, v, s, NULL);
    an->from = timestamp_field(item, "from", false, v);
    an->until = timestamp_field(item, "until", false, v);
    if (!v->bad && an->from && an->until && an->until < an->from)
        fail(v, "until is before from");
    /* Strict: without its location_ids the announcement would be shown
     * on every kiosk, further than its author meant. */
    string_array_field(item, "location_ids", true, &an->location_ids, v, s);
    json_t *priority = json_object_get(item, "priority");
    const char *word = json_string_value(priority);
    if (word && strcmp(word, "urgent") == 0)
        an->priority = PRIORITY_URGENT;
    else if (priority && !json_is_null(priority) && !(word && strcmp(word, "normal") == 0))
        drop(v, "priority is not normal or urgent; dropped");
}

static bool remember_pending(struct reader *r, enum feed_kind kind, size_t index, const char *id,
                             const char *location_id)
{
    if (r->n_pending == r->cap_pending) {
        size_t cap = r->cap_pending ? r->cap_pending * 2 : 32;
        struct pending_ref *more = realloc(r->pending, cap * sizeof *more);
        if (!more)
            return false;
        r->pending = more;
        r->cap_pending = cap;
    }
    struct pending_ref *p = &r->pending[r->n_pending++];
    p->kind = kind;
    p->index = index;
    copy_clean_id(p->id, id);
    copy_clean_id(p->location_id, location_id);
    return true;
}

/* ---- the hand-over to a threaded sink ----------------------------------

 * With feed_sink.threaded the parser validates item n+1 while a second
 * thread stores item n: a ring of slots, each holding what one validated
 * item points into (its tree, its arena, its parsed rule) until the
 * sink's add() has returned. The parser fills slot[tail % N], the sink
 * thread empties slot[head % N]; a slot is reused only after head has
 * passed it. */
#define PIPE_SLOTS 32

struct pipe_slot {
    struct feed_item item;
    json_t *tree;                   /* the item's parsed JSON: its strings */
    struct rrule rule;              /* item.u.activity.rule points here */
    struct arena arena;
};

struct pipe {
    const struct feed_sink *sink;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t head, tail;              /* consumed, filled: head <= tail <= head + N */
    bool closing;                   /* no more items: the thread ends when empty */
    /* Who sleeps on changed: a wake-up only for a sleeper keeps the two
     * threads out of the kernel while both have work. */
    bool sink_waits, parser_waits;
    bool failed;                    /* an add() said no; the rest are dropped */
    enum feed_kind failed_kind;
    char failed_id[FEED_ID_MAX + 1];
    struct pipe_slot slots[PIPE_SLOTS];
};

static const char *item_id(const struct feed_item *item)
{
    switch (item->kind) {
    case FEED_LOCATION:
        return item->u.location.id;
    case FEED_ACTIVITY:
        return item->u.activity.id;
    case FEED_SERVICE:
        return item->u.service.id;
    case FEED_ANNOUNCEMENT:
        return item->u.announcement.id;
    case FEED_KIND_COUNT:
        break;
    }
    return "";
}

static void *pipe_run(void *arg)
{
    struct pipe *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->head == p->tail && !p->closing) {
            p->sink_waits = true;
            pthread_cond_wait(&p->changed, &p->lock);
            p->sink_waits = false;
        }
        if (p->head == p->tail)
            break;
        struct pipe_slot *slot = &p->slots[p->head % PIPE_SLOTS];
        bool skip = p->failed;
        pthread_mutex_unlock(&p->lock);
        bool ok = skip || p->sink->add(p->sink->ctx, &slot->item);
        pthread_mutex_lock(&p->lock);
        if (!ok) {
            p->failed = true;
            p->failed_kind = slot->item.kind;
            copy_clean_id(p->failed_id, item_id(&slot->item));
        }
        p->head++;
        if (p->parser_waits && p->tail - p->head <= PIPE_SLOTS / 2)
            pthread_cond_signal(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* The pipe for sink, its thread running; NULL when a thread cannot be had
 * (the caller then calls add() itself, as for any other sink). */
static struct pipe *pipe_open(const struct feed_sink *sink)
{
    struct pipe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->sink = sink;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->changed, NULL) != 0 ||
        pthread_create(&p->thread, NULL, pipe_run, p) != 0) {
        pthread_cond_destroy(&p->changed);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    return p;
}

/* The slot the next item is validated into, once the sink thread has let
 * it go; its previous contents are released. */
static struct pipe_slot *pipe_next_slot(struct pipe *p)
{
    pthread_mutex_lock(&p->lock);
    if (p->tail - p->head == PIPE_SLOTS) {
        /* Full: sleep until half is free, not one wake-up per item. */
        p->parser_waits = true;
        while (p->tail - p->head > PIPE_SLOTS / 2)
            pthread_cond_wait(&p->changed, &p->lock);
        p->parser_waits = false;
    }
    struct pipe_slot *slot = &p->slots[p->tail % PIPE_SLOTS];
    pthread_mutex_unlock(&p->lock);
    json_decref(slot->tree);
    slot->tree = NULL;
    arena_reset(&slot->arena);
    return slot;
}

/* Hands the item validated into slot (pipe_next_slot) to the sink thread.
 * False once an earlier add() has failed: the parse should stop. */
static bool pipe_push(struct pipe *p, struct pipe_slot *slot, const struct feed_item *item,
                      json_t *tree)
{
    slot->item = *item;
    if (item->kind == FEED_ACTIVITY && item->u.activity.rule) {
        /* The rule was parsed into handle_item's own scratch. */
        slot->rule = *item->u.activity.rule;
        slot->item.u.activity.rule = &slot->rule;
    }
    slot->tree = json_incref(tree);
    pthread_mutex_lock(&p->lock);
    bool failed = p->failed;
    p->tail++;
    if (p->sink_waits)
        pthread_cond_signal(&p->changed);
    pthread_mutex_unlock(&p->lock);
    return !failed;
}

/* Waits until every item handed over is stored and ends the thread. False
 * when an add() failed, with the reason in the report. */
static bool pipe_close(struct reader *r)
{
    struct pipe *p = r->pipe;
    if (!p)
        return true;
    pthread_mutex_lock(&p->lock);
    p->closing = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    bool ok = !p->failed;
    if (!ok)
        snprintf(r->report->reason, sizeof r->report->reason, "could not store %s %s",
                 kind_names[p->failed_kind], p->failed_id);
    for (size_t i = 0; i < PIPE_SLOTS; i++) {
        json_decref(p->slots[i].tree);
        arena_free(&p->slots[i].arena);
    }
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    free(p);
    r->pipe = NULL;
    return ok;
}

static void handle_item(struct reader *r, enum feed_kind kind, json_t *item)
{
    size_t index = r->index[kind]++;
    struct verdict v = {0};
    struct pipe_slot *slot = r->pipe ? pipe_next_slot(r->pipe) : NULL;
    struct arena *arena = slot ? &slot->arena : &r->arena;
    if (!slot)
        arena_reset(arena);
    struct scratch s = {.arena = arena, .build_plain = r->build_plain};
    struct feed_item out;
    memset(&out, 0, sizeof out);
    out.kind = kind;
    const char *id = NULL;
    bool pending = false;

    if (!json_is_object(item)) {
        fail(&v, "not an object");
    } else {
        id = required_id(item, &v);
        if (r->item_has_nul)
            fail(&v, "a text holds a NUL character");
        if (id && !v.bad && strset_contains(&r->ids[kind], id))
            fail(&v, "duplicate id");
    }
    if (!v.bad) {
        switch (kind) {
        case FEED_LOCATION:
            out.u.location.id = id;
            check_location(item, &out.u.location, &v, &s);
            break;
        case FEED_ACTIVITY:
            out.u.activity.id = id;
            check_activity(r, item, &out.u.activity, &v, &s, &pending);
            break;
        case FEED_SERVICE:
            out.u.service.id = id;
            check_service(r, item, &out.u.service, &v, &s, &pending);
            break;
        case FEED_ANNOUNCEMENT:
            out.u.announcement.id = id;
            check_announcement(item, &out.u.announcement, &v, &s);
            break;
        case FEED_KIND_COUNT:
            break;
        }
    }

    if (v.bad) {
        record_skip(r, kind, index, id, v.reason);
    } else if (!strset_add(&r->ids[kind], id) ||
               (pending && !remember_pending(r, kind, index, id,
                                             kind == FEED_ACTIVITY ? out.u.activity.location_id
                                                                   : out.u.service.location_id))) {
        r->sink_failed = true;
        snprintf(r->report->reason, sizeof r->report->reason, "out of memory");
    } else if (slot && !pipe_push(r->pipe, slot, &out, item)) {
        /* An earlier item could not be stored: pipe_close says which. */
        r->sink_failed = true;
    } else if (!slot && r->sink && r->sink->add && !r->sink->add(r->sink->ctx, &out)) {
        r->sink_failed = true;
        snprintf(r->report->reason, sizeof r->report->reason, "could not store %s %s",
                 kind_names[kind], id);
    } else {
        r->report->kept[kind]++;
        for (size_t i = 0; i < v.n_warnings; i++)
            record_warning(r, kind, index, id,
                           i < MAX_ITEM_WARNINGS ? v.warnings[i] : "another optional field dropped");
    }
}

/* ---- yajl callbacks: a small tree builder that hands out one item at a time */

static void builder_reset(struct reader *r)
{
    for (int i = 0; i < r->sp; i++) {
        json_decref(r->stack[i]);
        free(r->stack_keys[i]);
        r->stack_keys[i] = NULL;
    }
    r->sp = 0;
}

/* A value is complete: an item goes to validation, a top-level field is kept. */
static void value_done(struct reader *r, json_t *value)
{
    if (r->build_is_item) {
        handle_item(r, r->array_kind, value);
        json_decref(value);
        r->mode = MODE_ITEMS;
    } else {
        if (r->top_field >= 0)
            r->top_values[r->top_field] = value;
        else
            json_decref(value);
        r->mode = MODE_TOP;
    }
}

/* Attaches a finished value to the open container, or finishes the build. */
static bool builder_attach(struct reader *r, json_t *value)
{
    if (!value) {
        r->sink_failed = true;
        snprintf(r->report->reason, sizeof r->report->reason, "out of memory");
        return false;
    }
    if (r->sp == 0) {
        value_done(r, value);
        return true;
    }
    json_t *parent = r->stack[r->sp - 1];
    int rc;
    if (json_is_array(parent)) {
        rc = json_array_append_new(parent, value);
    } else {
        /* Later duplicates of a key win, as in most JSON readers. */
        rc = json_object_set_new_nocheck(parent, r->stack_keys[r->sp - 1], value);
        free(r->stack_keys[r->sp - 1]);
        r->stack_keys[r->sp - 1] = NULL;
    }
    if (rc != 0) {
        r->sink_failed = true;
        snprintf(r->report->reason, sizeof r->report->reason, "out of memory");
        return false;
    }
    return true;
}

static bool item_limit_ok(struct reader *r)
{
    if (++r->total_items > FEED_MAX_ITEMS) {
        reject(r, "more than %d items in all arrays together", FEED_MAX_ITEMS);
        return false;
    }
    return true;
}

/* A scalar or a container start arrives; decide where it belongs. */
static int value_start(struct reader *r, json_t *scalar, bool is_container)
{
    switch (r->mode) {
    case MODE_START:
        json_decref(scalar);
        reject(r, "the feed is not a JSON object");
        return 0;
    case MODE_DONE:
        json_decref(scalar);
        return 0;
    case MODE_SKIP:
        json_decref(scalar);
        if (is_container)
            r->skip_depth++;
        return 1;
    case MODE_TOP:
        if (r->in_array_field) {
            /* Only reached for a scalar or object: arrays are opened in on_start_array. */
            json_decref(scalar);
            reject(r, "%s is not an array", array_names[r->array_kind]);
            return 0;
        }
        if (r->top_field < 0) {
            json_decref(scalar);
            if (is_container) {
                r->mode = MODE_SKIP;
                r->skip_depth = 1;
            }
            return 1;
        }
        r->build_is_item = false;
        r->mode = MODE_BUILD;
        break;
    case MODE_ITEMS:
        if (!item_limit_ok(r)) {
            json_decref(scalar);
            return 0;
        }
        r->build_is_item = true;
        r->item_has_nul = false;
        r->mode = MODE_BUILD;
        break;
    case MODE_BUILD:
        break;
    }
    if (!is_container)
        return builder_attach(r, scalar) && !r->rejected && !r->sink_failed;
    return 1;
}

static int on_null(void *ctx)
{
    return value_start(ctx, json_null(), false);
}

static int on_boolean(void *ctx, int b)
{
    return value_start(ctx, json_boolean(b), false);
}

static int on_number(void *ctx, const char *text, size_t len)
{
    /* Numbers arrive as text so that an out-of-range integer in one item
     * skips that item rather than failing the whole parse. */
    char small[64];
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf) {
        struct reader *r = ctx;
        r->sink_failed = true;
        snprintf(r->report->reason, sizeof r->report->reason, "out of memory");
        return 0;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    bool integral = strpbrk(buf, ".eE") == NULL;
    json_t *value = NULL;
    if (integral) {
        errno = 0;
        long long n = strtoll(buf, NULL, 10);
        if (errno == 0)
            value = json_integer(n);
    }
    if (!value) {
        /* JSON has no infinity and jansson refuses one: a number too
         * large for a double (1e999) becomes the largest double, which
         * every range check refuses, so that only its field suffers. */
        double d = strtod(buf, NULL);
        value = json_real(isfinite(d) ? d : copysign(DBL_MAX, d));
    }
    if (buf != small)
        free(buf);
    return value_start(ctx, value, false);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    struct reader *r = ctx;
    if (memchr(s, '\0', len))
        r->item_has_nul = true;
    /* yajl has already checked the UTF-8. */
    return value_start(r, json_stringn_nocheck((const char *)s, len), false);
}

static int open_container(struct reader *r, json_t *container)
{
    if (!value_start(r, NULL, true)) {
        json_decref(container);
        return 0;
    }
    if (r->mode != MODE_BUILD) {
        json_decref(container);
        return 1;
    }
    if (r->sp >= MAX_DEPTH) {
        json_decref(container);
        reject(r, "the feed is nested more than %d levels deep", MAX_DEPTH);
        return 0;
    }
    if (!container) {
        r->sink_failed = true;
        return 0;
    }
    r->stack_keys[r->sp] = NULL;
    r->stack[r->sp++] = container;
    return 1;
}

static int close_container(struct reader *r)
{
    if (r->mode == MODE_SKIP) {
        if (--r->skip_depth == 0)
            r->mode = MODE_TOP;
        return 1;
    }
    json_t *done = r->stack[--r->sp];
    free(r->stack_keys[r->sp]);
    r->stack_keys[r->sp] = NULL;
    return builder_attach(r, done) && !r->rejected && !r->sink_failed;
}

static int on_start_map(void *ctx)
{
    struct reader *r = ctx;
    if (r->mode == MODE_START) {
        r->mode = MODE_TOP;
        return 1;
    }
    return open_container(r, json_object());
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
    struct reader *r = ctx;
    char *k = strndup((const char *)key, len);
    if (!k) {
        r->sink_failed = true;
        return 0;
    }
    if (memchr(key, '\0', len))
        r->item_has_nul = true;

    if (r->mode == MODE_TOP) {
        if (strset_contains(&r->top_keys, k)) {
            reject(r, "the top-level field %.40s appears twice", k);
            free(k);
            return 0;
        }
        if (!strset_add(&r->top_keys, k)) {
            free(k);
            r->sink_failed = true;
            return 0;
        }
        r->in_array_field = false;
        r->top_field = -1;
        for (int i = 0; i < FEED_KIND_COUNT; i++)
            if (strcmp(k, array_names[i]) == 0) {
                r->in_array_field = true;
                r->array_kind = (enum feed_kind)i;
            }
        for (int i = 0; i < TOP_FIELD_COUNT; i++)
            if (strcmp(k, top_field_names[i]) == 0)
                r->top_field = i;
        free(k);
        return 1;
    }
    if (r->mode == MODE_BUILD) {
        free(r->stack_keys[r->sp - 1]);
        r->stack_keys[r->sp - 1] = k;
        return 1;
    }
    free(k); /* MODE_SKIP */
    return 1;
}

static int on_end_map(void *ctx)
{
    struct reader *r = ctx;
    if (r->mode == MODE_TOP) {
        r->mode = MODE_DONE;
        return 1;
    }
    return close_container(r);
}

static int on_start_array(void *ctx)
{
    struct reader *r = ctx;
    if (r->mode == MODE_TOP && r->in_array_field) {
        r->seen_array[r->array_kind] = true;
        r->mode = MODE_ITEMS;
        return 1;
    }
    return open_container(r, json_array());
}

static int on_end_array(void *ctx)
{
    struct reader *r = ctx;
    if (r->mode == MODE_ITEMS) {
        r->mode = MODE_TOP;
        r->in_array_field = false;
        return 1;
    }
    return close_container(r);
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

/* ---- the whole document --------------------------------------------------- */

static void check_top_level(struct reader *r)
{
    json_t *format = r->top_values[TOP_FORMAT];
    json_t *version = r->top_values[TOP_VERSION];
    if (!json_is_string(format) || strcmp(json_string_value(format), "buurtkiosk-feed") != 0) {
        reject(r, "format is not \"buurtkiosk-feed\"");
        return;
    }
    if (!json_is_integer(version)) {
        reject(r, "version is missing or not an integer");
        return;
    }
    if (json_integer_value(version) != 1) {
        reject(r, "feed version %" JSON_INTEGER_FORMAT " is not supported (this kiosk reads version 1)",
               json_integer_value(version));
        return;
    }
    json_t *generated = r->top_values[TOP_GENERATED_AT];
    if (!generated || json_is_null(generated)) {
        reject(r, "generated_at is missing");
        return;
    }
    if (!(json_is_string(generated) &&
                       rfc3339_parse(json_string_value(generated), &r->report->generated_at))) {
        reject(r, "generated_at is not an RFC 3339 timestamp with an offset");
        return;
    }
    json_t *publisher = r->top_values[TOP_PUBLISHER];
    if (publisher) {
        if (!json_is_object(publisher)) {
            reject(r, "publisher is not an object");
            return;
        }
        const char *name = json_string_value(json_object_get(publisher, "name"));
        if (name)
            snprintf(r->report->publisher_name, sizeof r->report->publisher_name, "%s", name);
    }
    json_t *languages = r->top_values[TOP_LANGUAGES];
    if (languages) {
        size_t i;
        json_t *lang;
        bool ok = json_is_array(languages);
        json_array_foreach(languages, i, lang) ok = ok && json_is_string(lang);
        if (!ok)
            reject(r, "languages is not an array of strings");
    }
}

/* Activities and services that named a location which never came. */
static void settle_pending(struct reader *r)
{
    for (size_t i = 0; i < r->n_pending && !r->sink_failed; i++) {
        struct pending_ref *p = &r->pending[i];
        if (strset_contains(&r->ids[FEED_LOCATION], p->location_id))
            continue;
        if (r->sink && r->sink->retract && !r->sink->retract(r->sink->ctx, p->kind, p->id)) {
            r->sink_failed = true;
            snprintf(r->report->reason, sizeof r->report->reason, "could not retract %s",
                     kind_names[p->kind]);
            return;
        }
        r->report->kept[p->kind]--;
        forget_warnings(r, p->kind, p->index);
        char reason[120];
        snprintf(reason, sizeof reason, "location_id %.64s names no location in this feed",
                 p->location_id);
        record_skip(r, p->kind, p->index, p->id, reason);
    }
}

/* feed-v1: a non-empty array in which every item was skipped is a broken
 * feed, not an empty one; applying it would wipe the screen. */
static void check_nothing_left(struct reader *r)
{
    for (int k = 0; k < FEED_KIND_COUNT; k++) {
        if (r->index[k] > 0 && r->report->kept[k] == 0) {
            reject(r, "every one of the %zu %s was skipped", r->index[k], array_names[k]);
            return;
        }
    }
}

static void reader_free(struct reader *r)
{
    builder_reset(r);
    for (int i = 0; i < TOP_FIELD_COUNT; i++)
        json_decref(r->top_values[i]);
    for (int i = 0; i < FEED_KIND_COUNT; i++)
        strset_clear(&r->ids[i]);
    strset_clear(&r->top_keys);
    free(r->pending);
    arena_free(&r->arena);
}

static void describe_syntax_error(struct reader *r, yajl_handle h, const char *body, size_t len,
                                  size_t at)
{
    unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)body, len);
    char *text = msg ? (char *)msg : NULL;
    /* yajl ends its message with a newline; keep one line. */
    if (text)
        text[strcspn(text, "\n")] = '\0';
    reject(r, "not valid JSON near byte %zu: %s", at, text && *text ? text : "syntax error");
    if (msg)
        yajl_free_error(h, msg);
}

enum feed_result feed_parse(const char *body, size_t len, const struct feed_sink *sink,
                            struct feed_report *report)
{
    memset(report, 0, sizeof *report);
    struct reader r;
    memset(&r, 0, sizeof r);
    r.sink = sink;
    r.build_plain = sink && sink->add;
    r.report = report;
    r.mode = MODE_START;
    r.top_field = -1;
    for (int i = 0; i < FEED_KIND_COUNT; i++)
        strset_init(&r.ids[i]);
    strset_init(&r.top_keys);

    if (len > FEED_MAX_BODY) {
        reject(&r, "the body is over 16 MiB");
        report->result = FEED_REJECTED;
        reader_free(&r);
        return report->result;
    }
    /* A UTF-8 byte-order mark is not JSON, but editors write one. */
    if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
        body += 3;
        len -= 3;
    }

    yajl_handle h = yajl_alloc(&callbacks, NULL, &r);
    if (!h) {
        snprintf(report->reason, sizeof report->reason, "out of memory");
        report->result = FEED_SINK_FAILED;
        reader_free(&r);
        return report->result;
    }
    if (sink && sink->add && sink->threaded)
        r.pipe = pipe_open(sink);
    yajl_status st = yajl_parse(h, (const unsigned char *)body, len);
    /* Where parsing stopped: within the body, or at its end when the
     * document was cut short (yajl_complete_parse counts anew). */
    size_t at = st == yajl_status_ok ? len : yajl_get_bytes_consumed(h);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st == yajl_status_error && !r.rejected && !r.sink_failed)
        describe_syntax_error(&r, h, body, len, at);
    yajl_free(h);
    /* Every add() returns before the checks that may retract. */
    if (!pipe_close(&r))
        r.sink_failed = true;

    if (!r.rejected && !r.sink_failed && r.mode != MODE_DONE)
        reject(&r, "the feed is not a complete JSON object");
    if (!r.rejected && !r.sink_failed)
        check_top_level(&r);
    if (!r.rejected && !r.sink_failed)
        settle_pending(&r);
    if (!r.rejected && !r.sink_failed)
        check_nothing_left(&r);

    report->result = r.sink_failed ? FEED_SINK_FAILED : r.rejected ? FEED_REJECTED : FEED_ACCEPTED;
    reader_free(&r);
    return report->result;
}

void feed_report_clear(struct feed_report *report)
{
    if (!report)
        return;
    free(report->skips);
    report->skips = NULL;
    report->n_skips = 0;
    free(report->warnings);
    report->warnings = NULL;
    report->n_warnings = 0;
}

void feed_skip_line(const struct feed_skip *skip, char *buf, size_t len)
{
    snprintf(buf, len, "skipped %s %s (#%zu): %s", feed_kind_name(skip->kind),
             skip->id[0] ? skip->id : "(no id)", skip->index, skip->reason);
}

void feed_warning_line(const struct feed_warning *warning, char *buf, size_t len)
{
    snprintf(buf, len, "warning %s %s (#%zu): %s", feed_kind_name(warning->kind),
             warning->id[0] ? warning->id : "(no id)", warning->index, warning->message);
}

void feed_report_print(const struct feed_report *report, FILE *skips, FILE *warnings)
{
    char line[FEED_ID_MAX + 256];
    for (size_t i = 0; warnings && i < report->n_warnings; i++) {
        feed_warning_line(&report->warnings[i], line, sizeof line);
        fprintf(warnings, "%s\n", line);
    }
    if (warnings && report->warned > report->n_warnings)
        fprintf(warnings, "... and %zu more warnings\n", report->warned - report->n_warnings);
    for (size_t i = 0; skips && i < report->n_skips; i++) {
        feed_skip_line(&report->skips[i], line, sizeof line);
        fprintf(skips, "%s\n", line);
    }
    if (skips && report->skipped > report->n_skips)
        fprintf(skips, "... and %zu more skipped\n", report->skipped - report->n_skips);
}

bool feed_coordinates_valid(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 &&
           lon <= 180.0;
}

bool feed_url_valid(const char *url, bool allow_file)
{
    static const struct {
        const char *prefix;
        bool file;
    } schemes[] = {{"http://", false}, {"https://", false}, {"file://", true}};
    size_t n = strlen(url);
    if (n == 0 || n > FEED_URL_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c <= 0x20 || c == 0x7f)
            return false;
    }
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        size_t k = strlen(schemes[i].prefix);
        if (n <= k || strncasecmp(url, schemes[i].prefix, k) != 0)
            continue;
        if (schemes[i].file)
            return allow_file && url[k] == '/' && url[k + 1] != '\0';
        /* A host, not a path: "http:///x" and "https://?" are no address. */
        return url[k] != '/' && url[k] != '?' && url[k] != '#';
    }
    return false;
}
