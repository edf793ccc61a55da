#include "view/frame.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* Strings handed out must stay valid while the frame is built, so the
 * arena grows by adding chunks, never by moving one. Chunks are kept
 * across frames: a steady screen builds without allocating. */
struct frame_chunk {
    struct frame_chunk *next;
    size_t used, cap;
    char data[];
};

#define CHUNK_SIZE (64 * 1024)

void frame_init(struct frame *f)
{
    memset(f, 0, sizeof *f);
}

void frame_free(struct frame *f)
{
    if (!f)
        return;
    free(f->widgets);
    free(f->cmds);
    for (struct frame_chunk *c = f->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    memset(f, 0, sizeof *f);
}

void frame_reset(struct frame *f, int width, int height)
{
    f->width = width;
    f->height = height;
    f->n_widgets = 0;
    f->n_cmds = 0;
    for (struct frame_chunk *c = f->chunks; c; c = c->next)
        c->used = 0;
    f->current = f->chunks;
    f->serial++;
    f->rtl = false;
}

const char *frame_strdup(struct frame *f, const char *s, size_t n)
{
    if (!s)
        return "";
    if (n == SIZE_MAX)
        n = strlen(s);
    struct frame_chunk *c = f->current;
    while (c && c->used + n + 1 > c->cap)
        c = c->next;
    if (!c) {
        size_t cap = n + 1 > CHUNK_SIZE ? n + 1 : CHUNK_SIZE;
        c = malloc(sizeof *c + cap);
        if (!c)
            return "";
        c->used = 0;
        c->cap = cap;
        c->next = NULL;
        /* Append so that chunk order stays the order of use. */
        struct frame_chunk **tail = &f->chunks;
        while (*tail)
            tail = &(*tail)->next;
        *tail = c;
    }
    f->current = c;
    char *out = c->data + c->used;
    memcpy(out, s, n);
    out[n] = '\0';
    c->used += n + 1;
    return out;
}

const char *frame_printf(struct frame *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return "";
    return frame_strdup(f, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static bool grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 256;
    while (n < need)
        n *= 2;
    void *more = realloc(*items, n * size);
    if (!more)
        return false;
    *items = more;
    *cap = n;
    return true;
}

/* The length of the directional formatting character at s (LRM, RLM,
 * ALM, the embeddings, the isolates), or 0. */
static size_t formatting_char(const unsigned char *s)
{
    if (s[0] == 0xD8 && s[1] == 0x9C)
        return 2;                                       /* U+061C */
    if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F ||
                                         (s[2] >= 0xAA && s[2] <= 0xAE)))
        return 3;                                       /* U+200E/F, U+202A-202E */
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)
        return 3;                                       /* U+2066-2069 */
    return 0;
}

const char *frame_strdup_plain(struct frame *f, const char *s)
{
    if (!s)
        return "";
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    bool any = false;
    for (; u[n]; n++)
        any = any || formatting_char(u + n);
    if (!any)
        return frame_strdup(f, s, n);
    char small[512];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return frame_strdup(f, s, n);
    /* By whole characters; a malformed byte becomes '?', so that taking a
     * mark out never joins two fragments into a new character. */
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t skip = formatting_char(u + i);
        if (skip) {
            i += skip;
            continue;
        }
        unsigned cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (cp == UTF8_REPLACEMENT && len == 1) {
            buf[k++] = '?';
        } else {
            memcpy(buf + k, s + i, len);
            k += len;
        }
        i += len;
    }
    const char *out = frame_strdup(f, buf, k);
    if (buf != small)
        free(buf);
    return out;
}

struct widget *frame_add_widget(struct frame *f, const char *id, enum widget_role role,
                                const char *label, struct rect rect)
{
    if (!grow((void **)&f->widgets, &f->cap_widgets, f->n_widgets + 1, sizeof *f->widgets))
        return NULL;
    struct widget *w = &f->widgets[f->n_widgets++];
    memset(w, 0, sizeof *w);
    w->id = id ? frame_strdup(f, id, SIZE_MAX) : "";
    w->role = role;
    w->label = frame_strdup_plain(f, label);
    w->text = NULL;
    w->rect = rect;
    w->clip = rect;
    w->enabled = true;
    w->visible = true;
    w->checked = CHECKED_NULL;
    w->list = -1;
    return w;
}

struct draw_cmd *frame_add_cmd(struct frame *f, enum draw_op op, struct rect rect)
{
    if (!grow((void **)&f->cmds, &f->cap_cmds, f->n_cmds + 1, sizeof *f->cmds))
        return NULL;
    struct draw_cmd *c = &f->cmds[f->n_cmds++];
    memset(c, 0, sizeof *c);
    c->op = op;
    c->rect = rect;
    c->clip = (struct rect){0, 0, f->width, f->height};
    c->colour = (struct rgba){0, 0, 0, 255};
    return c;
}

void frame_keep_ltr_since(struct frame *f, size_t n_widgets, size_t n_cmds)
{
    for (size_t i = n_widgets; i < f->n_widgets; i++)
        f->widgets[i].keep_ltr = true;
    for (size_t i = n_cmds; i < f->n_cmds; i++)
        f->cmds[i].keep_ltr = true;
}

static bool same_row(struct rect a, struct rect b)
{
    int am = a.y + a.h / 2, bm = b.y + b.h / 2;
    return (am >= b.y && am < b.y + b.h) || (bm >= a.y && bm < a.y + a.h);
}

static bool contains_rect(struct rect outer, struct rect inner)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h && (outer.w > inner.w || outer.h > inner.h);
}

/* Whether a comes before b when reading: in a right-to-left frame a row
 * reads from its right edge, except between keys that keep their
 * left-to-right places. */
static bool reads_before(const struct widget *a, const struct widget *b, bool rtl)
{
    if (contains_rect(a->rect, b->rect))
        return true;
    if (contains_rect(b->rect, a->rect))
        return false;
    if (same_row(a->rect, b->rect)) {
        if (rtl && !(a->keep_ltr && b->keep_ltr))
            return a->rect.x + a->rect.w > b->rect.x + b->rect.w;
        return a->rect.x < b->rect.x;
    }
    return a->rect.y < b->rect.y;
}

void frame_sort_reading_order(struct frame *f)
{
    size_t n = f->n_widgets;
    if (n < 2)
        return;
    size_t *order = malloc(n * sizeof *order);
    size_t *where = malloc(n * sizeof *where);
    struct widget *sorted = malloc(n * sizeof *sorted);
    if (!order || !where || !sorted) {
        free(order);
        free(where);
        free(sorted);
        return;
    }
    /* Insertion sort: stable, and safe with a comparison that is not a
     * strict order for every layout; a frame holds a few hundred widgets. */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && reads_before(&f->widgets[i], &f->widgets[order[j - 1]], f->rtl) &&
               !reads_before(&f->widgets[order[j - 1]], &f->widgets[i], f->rtl)) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t k = 0; k < n; k++)
        where[order[k]] = k;
    for (size_t k = 0; k < n; k++) {
        sorted[k] = f->widgets[order[k]];
        if (sorted[k].list >= 0)
            sorted[k].list = (int)where[sorted[k].list];
    }
    memcpy(f->widgets, sorted, n * sizeof *sorted);
    free(order);
    free(where);
    free(sorted);
}

bool rect_contains(struct rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

struct rect rect_intersect(struct rect a, struct rect b)
{
    int x0 = a.x > b.x ? a.x : b.x;
    int y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    if (x1 <= x0 || y1 <= y0)
        return (struct rect){x0, y0, 0, 0};
    return (struct rect){x0, y0, x1 - x0, y1 - y0};
}

bool rect_empty(struct rect r)
{
    return r.w <= 0 || r.h <= 0;
}

const struct widget *frame_find_id(const struct frame *f, const char *id)
{
    for (size_t i = 0; i < f->n_widgets; i++)
        if (strcmp(f->widgets[i].id, id) == 0)
            return &f->widgets[i];
    return NULL;
}

static bool tappable(enum widget_role role)
{
    return role == ROLE_BUTTON || role == ROLE_TOGGLE || role == ROLE_ITEM || role == ROLE_KEY ||
           role == ROLE_INPUT || role == ROLE_SCREEN;
}

const struct widget *frame_hit(const struct frame *f, int x, int y)
{
    /* Later widgets are drawn on top: search from the end. */
    for (size_t i = f->n_widgets; i-- > 0;) {
        const struct widget *w = &f->widgets[i];
        if (w->visible && w->enabled && tappable(w->role) && rect_contains(w->clip, x, y))
            return w;
    }
    return NULL;
}

static const char *const role_names[] = {"screen", "button", "toggle", "text", "list",
                                         "item",   "input",  "key",    "image", "overlay"};

char *frame_dump_json(const struct frame *f)
{
    json_t *array = json_array();
    struct rect screen = {0, 0, f->width, f->height};
    for (size_t i = 0; array && i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        /* On screen means some of it can be seen: a list item scrolled
         * out of its viewport is not, even if its rect is. */
        if (rect_empty(rect_intersect(w->clip, screen)))
            continue;
        json_t *o = json_pack("{sssssss[iiii]sbsb}", "id", w->id, "role", role_names[w->role],
                              "label", w->label, "rect", w->rect.x, w->rect.y, w->rect.w,
                              w->rect.h, "enabled", w->enabled, "visible", w->visible);
        if (!o)
            continue;
        if (w->text)
            json_object_set_new(o, "text", json_string(w->text));
        json_object_set_new(o, "checked",
                            w->checked == CHECKED_NULL ? json_null() : json_boolean(w->checked));
        if (w->role == ROLE_INPUT)
            json_object_set_new(o, "focused", json_boolean(w->focused));
        /* clipped for every widget that shows words; size where the kiosk
         * knows the font size it drew them in; lang only on a feed text
         * that fell back to another language. */
        if (*w->label || w->text)
            json_object_set_new(o, "clipped", json_boolean(w->clipped));
        if (w->size > 0)
            json_object_set_new(o, "size", json_integer(w->size));
        if (w->lang)
            json_object_set_new(o, "lang", json_string(w->lang));
        if (w->icon)
            json_object_set_new(o, "icon", json_string(w->icon));
        json_array_append_new(array, o);
    }
    char *text = json_dumps(array, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(array);
    return text;
}
