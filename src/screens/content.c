/*
 * The content layer (content.h): the store's rows turned into what the
 * screens show, in one language, once per change rather than per frame.
 */
#include "screens/content.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "model/image_cache.h"
#include "model/localized.h"
#include "model/outbox.h"
#include "model/vocab.h"

#define TAG "content"

/* ---- growing arrays ---- */

/* Makes room for one more element in *items (of n, with *cap); false when
 * out of memory. */
static bool grow(void **items, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return true;
    size_t more = *cap ? *cap * 2 : first;
    void *bigger = realloc(*items, more * size);
    if (!bigger)
        return false;
    *items = bigger;
    *cap = more;
    return true;
}

#define GROW(arr, n, cap, first) grow((void **)&(arr), (n), &(cap), sizeof *(arr), (first))

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- texts in the resident's language, or where they fell back to ---- */

/* A stored localized text in lang (feed-v1's fallback), as a malloc'd
 * copy, or NULL when there is none. fell_back gets "" when the text is in
 * lang, else the language it is in. */
static char *text_in(const char *json_text, const char *lang, char fell_back[CONTENT_LANG_MAX])
{
    fell_back[0] = '\0';
    if (!json_text)
        return NULL;
    json_t *text_object = json_loads(json_text, 0, NULL);
    const char *shown_in = NULL;
    const char *picked = localized_pick_lang(text_object, lang, &shown_in);
    char *copy = picked ? strdup(picked) : NULL;
    if (copy && shown_in && strcmp(shown_in, lang) != 0)
        snprintf(fell_back, CONTENT_LANG_MAX, "%s", shown_in);
    json_decref(text_object);
    return copy;
}

/* The same packed in one allocation, "LANG\0TEXT" (LANG "" when the text
 * is in lang), so that a title shared by thousands of occurrences carries
 * its language at the cost of a pointer. */
static char *packed_text_in(const char *json_text, const char *lang)
{
    char fell_back[CONTENT_LANG_MAX];
    char *text = text_in(json_text, lang, fell_back);
    if (!text)
        return NULL;
    size_t nl = strlen(fell_back), nt = strlen(text);
    char *packed = malloc(nl + 1 + nt + 1);
    if (packed) {
        memcpy(packed, fell_back, nl + 1);
        memcpy(packed + nl + 1, text, nt + 1);
    }
    free(text);
    return packed;
}

/* ---- freeing, part by part ---- */

static void free_occurrence_array(struct occurrence_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].location_id);
    free(items);
}

static void free_base(struct content *c)
{
    for (size_t i = 0; i < c->n_locations; i++) {
        free(c->locations[i].id);
        free(c->locations[i].name);
        free(c->locations[i].address);
        free(c->locations[i].accessibility);
    }
    free(c->locations);
    c->locations = NULL;
    c->n_locations = 0;
    c->n_themes = c->n_topics = 0;
    c->has_other_theme = false;
    c->cache_empty = false;
}

static void free_pending(struct content *c)
{
    for (size_t i = 0; i < c->n_pending; i++)
        free(c->pending[i].activity_id);
    free(c->pending);
    c->pending = NULL;
    c->n_pending = 0;
}

static void free_now(struct content *c)
{
    for (size_t i = 0; i < c->n_announcements; i++) {
        free(c->announcements[i].id);
        free(c->announcements[i].text);
    }
    free(c->announcements);
    c->announcements = NULL;
    c->n_announcements = 0;
    for (size_t i = 0; i < c->n_today; i++)
        free((char *)c->today[i].title_lang); /* the packed title starts there */
    free_occurrence_array(c->today, c->n_today);
    c->today = NULL;
    c->n_today = 0;
}

/* ---- images ---- */

static void free_images(struct content_image **items, size_t *n)
{
    for (size_t i = 0; i < *n; i++) {
        free((*items)[i].item_id);
        free((*items)[i].path);
    }
    free(*items);
    *items = NULL;
    *n = 0;
}

struct image_loader {
    struct content_image *items;
    size_t n, cap;
    bool thumbs;
};

static bool load_image(void *ctx, const struct image_row *row)
{
    struct image_loader *l = ctx;
    if (!GROW(l->items, l->n, l->cap, 16))
        return false;
    struct content_image *im = &l->items[l->n];
    im->item_id = strdup(row->item_id);
    im->path = strdup(l->thumbs ? row->thumb_path : row->path);
    im->w = l->thumbs ? row->thumb_w : row->w;
    im->h = l->thumbs ? row->thumb_h : row->h;
    if (!im->item_id || !im->path) {
        free(im->item_id);
        free(im->path);
        return false;
    }
    l->n++;
    return true;
}

/* The kept images of kind (one id, or all); an image that cannot be read
 * is only missing from the screen, never a failed part: a broken image
 * never blanks a screen. */
static void load_images(struct store *store, const char *kind, const char *id, bool thumbs,
                        struct content_image **items, size_t *n)
{
    struct image_loader l = {.thumbs = thumbs};
    if (!image_cache_items(store, kind, id, load_image, &l))
        log_warn(TAG, "could not read the images of %s", kind);
    *items = l.items;
    *n = l.n;
}

static int by_item_id(const void *key, const void *item)
{
    return strcmp(key, ((const struct content_image *)item)->item_id);
}

const struct content_image *content_image_of(const struct content_image *items, size_t n,
                                             const char *id)
{
    if (!items || !n || !id)
        return NULL;
    return bsearch(id, items, n, sizeof *items, by_item_id);
}

static void free_occurrences(struct content *c)
{
    free_images(&c->activity_thumbs, &c->n_activity_thumbs);
    free_occurrence_array(c->occurrences, c->n_occurrences);
    c->occurrences = NULL;
    c->n_occurrences = 0;
    strset_clear(&c->labels);
}

static void free_service_array(struct service_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].id);
        free(items[i].name);
        free(items[i].organization);
        free(items[i].walk_in_summary);
    }
    free(items);
}

static void free_services(struct content *c)
{
    free_images(&c->service_thumbs, &c->n_service_thumbs);
    free_service_array(c->services, c->n_services);
    c->services = NULL;
    c->n_services = 0;
}

static void free_search(struct content *c)
{
    for (size_t i = 0; i < c->n_found; i++)
        free((char *)c->found[i].title_lang); /* the packed title starts there */
    for (size_t i = 0; i < c->n_found; i++)
        free((char *)c->found[i].activity_id);
    free_occurrence_array(c->found, c->n_found);
    c->found = NULL;
    c->n_found = 0;
    free_service_array(c->found_services, c->n_found_services);
    c->found_services = NULL;
    c->n_found_services = 0;
}

static void free_contact(char *contact[CONTACT_KINDS])
{
    for (int k = 0; k < CONTACT_KINDS; k++)
        free(contact[k]);
}

static void free_activity(struct content *c)
{
    struct activity_detail *a = c->activity;
    if (a) {
        free(a->id);
        free(a->title);
        free(a->summary);
        free(a->description);
        free(a->cost);
        free(a->url);
        free(a->location_id);
        free_contact(a->contact);
        free(a->image.item_id);
        free(a->image.path);
        free(a);
    }
    c->activity = NULL;
}

static void free_service(struct content *c)
{
    struct service_detail *s = c->service;
    if (s) {
        free(s->id);
        free(s->name);
        free(s->organization);
        free(s->description);
        free(s->how_to);
        free(s->walk_in_summary);
        free(s->location_id);
        free_contact(s->contact);
        free(s->image.item_id);
        free(s->image.path);
        free(s);
    }
    c->service = NULL;
}

void content_drop(struct content *c, unsigned parts)
{
    if (parts & CONTENT_BASE)
        free_base(c);
    if (parts & (CONTENT_BASE | CONTENT_PENDING))
        free_pending(c);
    if (parts & CONTENT_NOW)
        free_now(c);
    if (parts & CONTENT_OCCURRENCES)
        free_occurrences(c);
    if (parts & CONTENT_SERVICES)
        free_services(c);
    if (parts & CONTENT_SEARCH)
        free_search(c);
    if (parts & CONTENT_ACTIVITY)
        free_activity(c);
    if (parts & CONTENT_SERVICE)
        free_service(c);
    c->loaded &= ~parts;
    c->failed &= ~parts;
    c->req.parts = c->loaded;
}

void content_init(struct content *c)
{
    memset(c, 0, sizeof *c);
}

void content_clear(struct content *c)
{
    free_base(c);
    free_pending(c);
    free_now(c);
    free_occurrences(c);
    free_services(c);
    free_search(c);
    free_activity(c);
    free_service(c);
    content_init(c);
}

/* ---- texts ---- */

/* "ma, wo 09:00–12:00; vr 13:00–16:00" from a stored walk_in array, in
 * lang; NULL when there are no slots. */
static char *walk_in_summary(const struct content_env *env, const char *lang,
                             const char *walk_in_json)
{
    struct walk_in_slot slots[16];
    size_t n = stored_walk_in(walk_in_json, slots, sizeof slots / sizeof *slots);
    if (n == 0)
        return NULL;
    char buf[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && used < sizeof buf)
            used += (size_t)snprintf(buf + used, sizeof buf - used, "; ");
        for (size_t k = 0; k < slots[i].n_days; k++) {
            char key[32];
            snprintf(key, sizeof key, "day.short.%d", slots[i].days[k]);
            if (used < sizeof buf)
                used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", k ? ", " : "",
                                         tr(env->catalogs, lang, key));
        }
        if (used < sizeof buf)
            used += (size_t)snprintf(buf + used, sizeof buf - used, " %s\xE2\x80\x93%s",
                                     slots[i].opens, slots[i].closes);
    }
    return strdup(buf);
}

/* The hours of a stored walk_in array, for "now open"; how many. */
static size_t walk_in_hours_of(const char *walk_in_json, struct walk_in_hours *out, size_t max)
{
    struct walk_in_slot slots[CONTENT_WALK_IN_MAX];
    size_t n = stored_walk_in(walk_in_json, slots, max < CONTENT_WALK_IN_MAX ? max : CONTENT_WALK_IN_MAX);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int oh, om, ch, cm;
        if (sscanf(slots[i].opens, "%2d:%2d", &oh, &om) != 2 ||
            sscanf(slots[i].closes, "%2d:%2d", &ch, &cm) != 2)
            continue;   /* the feed's checks keep this from happening */
        struct walk_in_hours h = {0, oh * 60 + om, ch * 60 + cm};
        for (size_t k = 0; k < slots[i].n_days; k++)
            if (slots[i].days[k] >= 0 && slots[i].days[k] < 7)
                h.days |= 1u << slots[i].days[k];
        out[kept++] = h;
    }
    return kept;
}

bool content_open_now(const struct walk_in_hours *hours, size_t n, const struct local_time *lt)
{
    int minute = lt->hour * 60 + lt->minute;
    for (size_t i = 0; i < n; i++)
        if ((hours[i].days & (1u << lt->wday)) && minute >= hours[i].opens &&
            minute < hours[i].closes)
            return true;
    return false;
}

/* ---- CONTENT_BASE ---- */

struct base_loader {
    struct content *c;
    const char *lang;
    size_t cap;
    bool failed;
};

static bool load_location(void *ctx, const struct location_row *row)
{
    struct base_loader *l = ctx;
    struct content *c = l->c;
    if (!GROW(c->locations, c->n_locations, l->cap, 16)) {
        l->failed = true;
        return false;
    }
    struct location_item *it = &c->locations[c->n_locations];
    it->id = strdup(row->id);
    it->name = stored_text(row->name_json, l->lang);
    it->address = dup_or_null(row->address);
    it->accessibility = text_in(row->accessibility_json, l->lang, it->accessibility_lang);
    if (!it->id || !it->name) {
        free(it->id);
        free(it->name);
        free(it->address);
        free(it->accessibility);
        l->failed = true;
        return false;
    }
    c->n_locations++;
    return true;
}

static void add_code(char codes[][CONTENT_CODE_MAX], size_t *n, const char *code)
{
    if (*n < CONTENT_MAX_CODES && strlen(code) < CONTENT_CODE_MAX)
        snprintf(codes[(*n)++], CONTENT_CODE_MAX, "%s", code);
}

static bool collect_theme(void *ctx, const char *code)
{
    struct content *c = ctx;
    if (vocab_theme_rank(code) >= 0)
        add_code(c->themes, &c->n_themes, code);
    else
        c->has_other_theme = true;
    return true;
}

static bool collect_topic(void *ctx, const char *code)
{
    struct content *c = ctx;
    /* Known topics only. The catch-all ("overig", last in feed-v1's list)
     * is not listed here: the services screen always offers it, last. */
    int rank = vocab_topic_rank(code);
    if (rank >= 0 && (size_t)rank + 1 < vocab_topic_count())
        add_code(c->topics, &c->n_topics, code);
    return true;
}

static int by_theme_rank(const void *a, const void *b)
{
    return vocab_theme_rank(a) - vocab_theme_rank(b);
}

static int by_topic_rank(const void *a, const void *b)
{
    return vocab_topic_rank(a) - vocab_topic_rank(b);
}

static bool load_base(struct content *c, struct store *store, const struct content_request *req)
{
    free_base(c);
    struct base_loader l = {.c = c, .lang = req->lang};
    bool ok = store_query_locations(store, load_location, &l) && !l.failed;
    ok = store_query_themes(store, collect_theme, c) && ok;
    qsort(c->themes, c->n_themes, sizeof c->themes[0], by_theme_rank);
    ok = store_query_topics(store, collect_topic, c) && ok;
    qsort(c->topics, c->n_topics, sizeof c->topics[0], by_topic_rank);
    return store_is_empty(store, &c->cache_empty) && ok;
}

/* ---- CONTENT_PENDING ---- */

struct pending_loader {
    struct content *c;
    size_t cap;
    bool failed;
};

static bool load_pending_place(void *ctx, const char *activity_id, int64_t occurrence,
                               int64_t places)
{
    struct pending_loader *l = ctx;
    struct content *c = l->c;
    if (!GROW(c->pending, c->n_pending, l->cap, 8)) {
        l->failed = true;
        return false;
    }
    struct pending_place *p = &c->pending[c->n_pending];
    p->activity_id = strdup(activity_id);
    if (!p->activity_id) {
        l->failed = true;
        return false;
    }
    p->occurrence = occurrence;
    p->places = places;
    c->n_pending++;
    return true;
}

static bool load_pending(struct content *c, struct store *store)
{
    free_pending(c);
    struct pending_loader l = {.c = c};
    return outbox_query_pending_places(store, load_pending_place, &l) && !l.failed;
}

int64_t content_pending_places(const struct content *c, const char *activity_id,
                               int64_t occurrence)
{
    for (size_t i = 0; i < c->n_pending; i++)
        if (c->pending[i].occurrence == occurrence &&
            strcmp(c->pending[i].activity_id, activity_id) == 0)
            return c->pending[i].places;
    return 0;
}

int64_t content_places_left(const struct content *c, const char *activity_id,
                            int64_t occurrence, int64_t capacity, int64_t taken)
{
    return capacity - taken - content_pending_places(c, activity_id, occurrence);
}

/* ---- occurrences: the list, and today's ---- */

struct occurrence_loader {
    struct occurrence_item **items;
    size_t *n;
    size_t cap;
    struct strset *labels;       /* NULL: each item owns its title */
    const char *lang;
    int64_t now;
    bool skip_ended;
    bool failed;
};

static bool load_occurrence(void *ctx, const struct occurrence_row *row)
{
    struct occurrence_loader *l = ctx;
    /* Every filter hides what has already ended. */
    if (l->skip_ended && row->ends_at < l->now && row->starts_at < l->now)
        return true;
    if (!GROW(*l->items, *l->n, l->cap, 64)) {
        l->failed = true;
        return false;
    }
    struct occurrence_item *it = &(*l->items)[*l->n];
    memset(it, 0, sizeof *it);
    it->location_id = dup_or_null(row->location_id);
    if (l->labels) {
        const struct strset_entry *label = strset_find(l->labels, row->activity_id);
        if (!label)
            label = strset_put(l->labels, row->activity_id, packed_text_in(row->title_json, l->lang));
        if (label && label->value) {
            it->activity_id = label->key;
            it->title_lang = label->value;
            it->title = label->value + strlen(label->value) + 1;
        }
    } else {
        /* One allocation: "LANG\0TITLE\0ACTIVITY_ID\0", freed by title_lang. */
        char *text = packed_text_in(row->title_json, l->lang);
        const char *lang = text ? text : "";
        const char *title = text ? text + strlen(text) + 1 : "";
        size_t nl = strlen(lang) + 1, nt = strlen(title) + 1, na = strlen(row->activity_id) + 1;
        char *packed = malloc(nl + nt + na);
        if (packed) {
            memcpy(packed, lang, nl);
            memcpy(packed + nl, title, nt);
            memcpy(packed + nl + nt, row->activity_id, na);
        }
        free(text);
        it->title_lang = packed;
        it->title = packed ? packed + nl : NULL;
        it->activity_id = packed ? packed + nl + nt : NULL;
    }
    if (!it->title || (row->location_id && !it->location_id)) {
        if (!l->labels)
            free((char *)it->title_lang);
        free(it->location_id);
        l->failed = true;
        return false;
    }
    it->starts_at = row->starts_at;
    it->ends_at = row->ends_at;
    it->has_signup = row->has_signup;
    it->capacity = row->capacity;
    it->taken = row->taken;
    (*l->n)++;
    return true;
}

static int by_start_then_title(const void *a, const void *b)
{
    const struct occurrence_item *x = a, *y = b;
    if (x->starts_at != y->starts_at)
        return x->starts_at < y->starts_at ? -1 : 1;
    int c = strcmp(x->title, y->title);
    return c ? c : strcmp(x->activity_id, y->activity_id);
}

static bool load_occurrences(struct content *c, struct store *store,
                             const struct content_request *req)
{
    free_occurrences(c);
    struct occurrence_query q = {.from = req->list_from, .until = req->list_until,
                                 .theme = req->theme[0] ? req->theme : NULL};
    struct occurrence_loader l = {.items = &c->occurrences, .n = &c->n_occurrences,
                                  .labels = &c->labels, .lang = req->lang, .now = req->now,
                                  .skip_ended = true};
    bool ok = store_query_occurrences(store, &q, load_occurrence, &l) && !l.failed;
    /* qsort takes no NULL array, even of nothing (a failed load has none). */
    if (c->n_occurrences > 1)
        qsort(c->occurrences, c->n_occurrences, sizeof *c->occurrences, by_start_then_title);
    load_images(store, "activity", NULL, true, &c->activity_thumbs, &c->n_activity_thumbs);
    return ok;
}

/* ---- CONTENT_NOW ---- */

struct announcement_loader {
    struct content *c;
    const struct content_env *env;
    const char *lang;
    size_t cap;
    bool failed;
};

static bool load_announcement(void *ctx, const struct announcement_row *row)
{
    struct announcement_loader *l = ctx;
    struct content *c = l->c;
    if (!stored_ids_meet(row->location_ids_json, &l->env->config->kiosk_locations))
        return true;
    char text_lang[CONTENT_LANG_MAX];
    char *text = text_in(row->text_json, l->lang, text_lang);
    if (!text)
        return true;
    if (!GROW(c->announcements, c->n_announcements, l->cap, 8)) {
        free(text);
        l->failed = true;
        return false;
    }
    struct announcement_item *a = &c->announcements[c->n_announcements];
    a->id = strdup(row->id);
    a->text = text;
    memcpy(a->text_lang, text_lang, sizeof a->text_lang);
    a->urgent = row->urgent;
    if (!a->id) {
        free(text);
        l->failed = true;
        return false;
    }
    c->n_announcements++;
    return true;
}

static bool load_now(struct content *c, struct store *store, const struct content_env *env,
                     const struct content_request *req)
{
    free_now(c);
    struct announcement_loader al = {.c = c, .env = env, .lang = req->lang};
    bool ok = store_query_announcements(store, req->now, load_announcement, &al) && !al.failed;
    int64_t today = tz_start_of_day(req->now);
    struct local_time lt;
    tz_to_local(today, &lt);
    civil_add_days(&lt, 1);
    lt.hour = lt.minute = lt.second = 0;
    struct occurrence_query q = {.from = today, .until = tz_from_local(&lt),
                                 .limit = CONTENT_TODAY_MAX};
    /* Ended ones stay: the attract screen drops them as the clock moves. */
    struct occurrence_loader ol = {.items = &c->today, .n = &c->n_today, .lang = req->lang,
                                   .now = req->now};
    ok = store_query_occurrences(store, &q, load_occurrence, &ol) && !ol.failed && ok;
    return ok;
}

/* ---- CONTENT_SERVICES ---- */

struct service_loader {
    struct service_item **items;
    size_t *n;
    const struct content_env *env;
    const char *lang;
    size_t cap;
    bool failed;
};

static bool load_service(void *ctx, const struct service_row *row)
{
    struct service_loader *l = ctx;
    if (!GROW(*l->items, *l->n, l->cap, 32)) {
        l->failed = true;
        return false;
    }
    struct service_item *it = &(*l->items)[*l->n];
    it->id = strdup(row->id);
    it->name = text_in(row->name_json, l->lang, it->name_lang);
    it->organization = dup_or_null(row->organization);
    it->walk_in_summary = walk_in_summary(l->env, l->lang, row->walk_in_json);
    it->n_walk_in = walk_in_hours_of(row->walk_in_json, it->walk_in, CONTENT_WALK_IN_MAX);
    if (!it->id || !it->name) {
        free(it->id);
        free(it->name);
        free(it->organization);
        free(it->walk_in_summary);
        l->failed = true;
        return false;
    }
    (*l->n)++;
    return true;
}

static bool load_services(struct content *c, struct store *store, const struct content_env *env,
                          const struct content_request *req)
{
    free_services(c);
    struct service_loader l = {.items = &c->services, .n = &c->n_services, .env = env,
                               .lang = req->lang};
    bool ok = store_query_services(store, req->topic[0] ? req->topic : NULL, load_service, &l) &&
              !l.failed;
    load_images(store, "service", NULL, true, &c->service_thumbs, &c->n_service_thumbs);
    return ok;
}

/* ---- CONTENT_SEARCH ---- */

struct search_loader {
    struct occurrence_loader occurrences;
    struct service_loader services;
};

static bool load_hit(void *ctx, const struct search_hit *hit)
{
    struct search_loader *l = ctx;
    if (hit->service)
        return load_service(&l->services, hit->service);
    struct occurrence_loader *o = &l->occurrences;
    size_t before = *o->n;
    if (!load_occurrence(o, hit->occurrence))
        return false;
    /* Without the list's labels each hit owns its activity id too. */
    if (*o->n > before) {
        char *id = strdup(hit->occurrence->activity_id);
        if (!id) {
            o->failed = true;
            return false;
        }
        (*o->items)[before].activity_id = id;
    }
    return true;
}

static bool load_search(struct content *c, struct store *store, const struct content_env *env,
                        const struct content_request *req)
{
    free_search(c);
    struct search_loader l = {
        .occurrences = {.items = &c->found, .n = &c->n_found, .lang = req->lang, .now = req->now},
        .services = {.items = &c->found_services, .n = &c->n_found_services, .env = env,
                     .lang = req->lang},
    };
    bool ok = store_search(store, req->search, req->now, CONTENT_SEARCH_MAX, load_hit, &l);
    return ok && !l.occurrences.failed && !l.services.failed;
}

/* ---- CONTENT_ACTIVITY ---- */

struct activity_loader {
    struct activity_detail *a;
    const struct content_request *req;
    bool failed;
};

static bool keep_activity(void *ctx, const struct activity_row *row)
{
    struct activity_loader *l = ctx;
    struct activity_detail *a = calloc(1, sizeof *a);
    if (!a) {
        l->failed = true;
        return false;
    }
    const char *lang = l->req->lang;
    a->id = strdup(row->id);
    a->title = text_in(row->title_json, lang, a->title_lang);
    a->summary = text_in(row->summary_json, lang, a->summary_lang);
    a->description = text_in(row->description_json, lang, a->description_lang);
    a->cost = text_in(row->cost_json, lang, a->cost_lang);
    a->location_id = dup_or_null(row->location_id);
    a->url = dup_or_null(row->url);
    a->first_start = row->starts_at;
    a->duration = row->ends_at - row->starts_at;
    a->occurrence = l->req->occurrence ? l->req->occurrence : row->starts_at;
    a->has_signup = row->has_signup;
    a->capacity = row->capacity;
    a->waitlist = row->waitlist;
    a->closes_before_min = row->closes_before_min;
    a->signup_fields = row->signup_fields;
    stored_contact(row->contact_json, a->contact);
    l->a = a;
    if (!a->id)
        l->failed = true;
    return false;
}

static bool keep_taken(void *ctx, const struct occurrence_row *row)
{
    *(int64_t *)ctx = row->taken;
    return false;
}

static bool collect_next(void *ctx, const struct occurrence_row *row)
{
    struct activity_detail *a = ctx;
    if (row->starts_at == a->occurrence)
        return true;
    a->next_taken[a->n_next] = row->taken;
    a->next[a->n_next++] = row->starts_at;
    return a->n_next < CONTENT_NEXT_MAX;
}

static bool load_activity(struct content *c, struct store *store,
                          const struct content_request *req)
{
    free_activity(c);
    if (!req->activity_id[0])
        return true;
    struct activity_loader l = {.req = req};
    /* No row is an activity the feed no longer has: the screen says it
     * is gone. A row that cannot be read is another thing: it says so. */
    enum store_lookup found = store_lookup_activity(store, req->activity_id, keep_activity, &l);
    struct activity_detail *a = l.a;
    c->activity = a;
    if (!a)
        return found != STORE_ERROR && !l.failed;
    bool ok = !l.failed;
    struct occurrence_query one = {.from = a->occurrence, .until = a->occurrence + 1,
                                   .activity_id = a->id};
    ok = store_query_occurrences(store, &one, keep_taken, &a->taken) && ok;
    struct occurrence_query next = {.from = req->now, .until = INT64_MAX, .activity_id = a->id,
                                    .limit = CONTENT_NEXT_MAX + 3};
    ok = store_query_occurrences(store, &next, collect_next, a) && ok;
    struct content_image *im = NULL;
    size_t n_im = 0;
    load_images(store, "activity", a->id, false, &im, &n_im);
    if (n_im) {
        a->image = im[0];
        im[0] = (struct content_image){0};
    }
    free_images(&im, &n_im);
    return ok;
}

/* ---- CONTENT_SERVICE ---- */

struct service_detail_loader {
    struct service_detail *s;
    const struct content_env *env;
    const char *lang;
    bool failed;
};

static bool keep_service(void *ctx, const struct service_row *row)
{
    struct service_detail_loader *l = ctx;
    struct service_detail *s = calloc(1, sizeof *s);
    if (!s) {
        l->failed = true;
        return false;
    }
    s->id = strdup(row->id);
    s->name = text_in(row->name_json, l->lang, s->name_lang);
    s->organization = dup_or_null(row->organization);
    s->description = text_in(row->description_json, l->lang, s->description_lang);
    s->how_to = text_in(row->how_to_json, l->lang, s->how_to_lang);
    s->walk_in_summary = walk_in_summary(l->env, l->lang, row->walk_in_json);
    s->n_walk_in = walk_in_hours_of(row->walk_in_json, s->walk_in, CONTENT_WALK_IN_MAX);
    s->location_id = dup_or_null(row->location_id);
    s->contact[CONTACT_PHONE] = dup_or_null(row->phone);
    s->contact[CONTACT_EMAIL] = dup_or_null(row->email);
    s->contact[CONTACT_URL] = dup_or_null(row->url);
    l->s = s;
    if (!s->id)
        l->failed = true;
    return false;
}

static bool load_service_detail(struct content *c, struct store *store,
                                const struct content_env *env, const struct content_request *req)
{
    free_service(c);
    if (!req->service_id[0])
        return true;
    struct service_detail_loader l = {.env = env, .lang = req->lang};
    enum store_lookup found = store_lookup_service(store, req->service_id, keep_service, &l);
    c->service = l.s;
    if (c->service) {
        struct content_image *im = NULL;
        size_t n_im = 0;
        load_images(store, "service", c->service->id, false, &im, &n_im);
        if (n_im) {
            c->service->image = im[0];
            im[0] = (struct content_image){0};
        }
        free_images(&im, &n_im);
    }
    return found != STORE_ERROR && !l.failed;
}

/* ---- the load ---- */

/* Records how loading one part went. */
static void note_part(struct content *c, unsigned part, bool ok, unsigned *failed)
{
    c->loaded |= part;
    if (ok) {
        c->failed &= ~part;
    } else {
        c->failed |= part;
        *failed |= part;
    }
}

bool content_load(struct content *c, struct store *store, const struct content_env *env,
                  const struct content_request *req)
{
    unsigned parts = req->parts;
    unsigned failed = 0;
    if (parts & CONTENT_BASE)
        note_part(c, CONTENT_BASE, load_base(c, store, req), &failed);
    if (parts & (CONTENT_BASE | CONTENT_PENDING))
        note_part(c, CONTENT_PENDING, load_pending(c, store), &failed);
    if (parts & CONTENT_NOW)
        note_part(c, CONTENT_NOW, load_now(c, store, env, req), &failed);
    if (parts & CONTENT_OCCURRENCES)
        note_part(c, CONTENT_OCCURRENCES, load_occurrences(c, store, req), &failed);
    if (parts & CONTENT_SERVICES)
        note_part(c, CONTENT_SERVICES, load_services(c, store, env, req), &failed);
    if (parts & CONTENT_SEARCH)
        note_part(c, CONTENT_SEARCH, load_search(c, store, env, req), &failed);
    if (parts & CONTENT_ACTIVITY)
        note_part(c, CONTENT_ACTIVITY, load_activity(c, store, req), &failed);
    if (parts & CONTENT_SERVICE)
        note_part(c, CONTENT_SERVICE, load_service_detail(c, store, env, req), &failed);
    /* The request says what the parts were loaded for: keep the place of
     * the parts not reloaded now. */
    struct content_request was = c->req;
    c->req = *req;
    if (!(parts & CONTENT_OCCURRENCES) && (was.parts & CONTENT_OCCURRENCES)) {
        c->req.list_from = was.list_from;
        c->req.list_until = was.list_until;
        memcpy(c->req.theme, was.theme, sizeof c->req.theme);
    }
    if (!(parts & CONTENT_SERVICES) && (was.parts & CONTENT_SERVICES))
        memcpy(c->req.topic, was.topic, sizeof c->req.topic);
    if (!(parts & CONTENT_ACTIVITY) && (was.parts & CONTENT_ACTIVITY)) {
        memcpy(c->req.activity_id, was.activity_id, sizeof c->req.activity_id);
        c->req.occurrence = was.occurrence;
    }
    if (!(parts & CONTENT_SERVICE) && (was.parts & CONTENT_SERVICE))
        memcpy(c->req.service_id, was.service_id, sizeof c->req.service_id);
    if (!(parts & CONTENT_SEARCH) && (was.parts & CONTENT_SEARCH))
        memcpy(c->req.search, was.search, sizeof c->req.search);
    c->req.parts = c->loaded;
    if (failed)
        log_warn(TAG, "could not read all content from the cache (parts 0x%x)", failed);
    return failed == 0;
}

const struct location_item *content_location(const struct content *c, const char *id)
{
    for (size_t i = 0; id && i < c->n_locations; i++)
        if (strcmp(c->locations[i].id, id) == 0)
            return &c->locations[i];
    return NULL;
}

/* ---- the loader thread ---- */

struct content_loader {
    char *db_path;
    struct content_env env;
    void (*done)(void *ctx);
    void *ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    bool has_request;
    struct content_request request;
    struct content *finished;        /* not yet taken */
    struct content **retired;        /* to free on this thread */
    size_t n_retired, cap_retired;
};

static void content_free(struct content *c)
{
    if (c) {
        content_clear(c);
        free(c);
    }
}

static void *loader_main(void *arg)
{
    struct content_loader *l = arg;
    struct store *store = NULL;
    pthread_mutex_lock(&l->lock);
    for (;;) {
        while (!l->stop && !l->has_request && l->n_retired == 0)
            pthread_cond_wait(&l->wake, &l->lock);
        if (l->stop)
            break;
        while (l->n_retired) {
            struct content *old = l->retired[--l->n_retired];
            pthread_mutex_unlock(&l->lock);
            content_free(old);
            pthread_mutex_lock(&l->lock);
        }
        if (!l->has_request)
            continue;
        struct content_request req = l->request;
        l->has_request = false;
        pthread_mutex_unlock(&l->lock);

        /* Opened on first use, after the UI thread has migrated the file. */
        if (!store)
            store = store_open_read_only(l->db_path);
        struct content *c = calloc(1, sizeof *c);
        if (c) {
            content_init(c);
            if (store) {
                content_load(c, store, &l->env, &req);
                /* Between reloads the loader's page cache serves nobody. */
                store_release_memory(store);
            } else {
                c->req = req;
                c->failed = req.parts;
                log_warn(TAG, "cannot open the cache for reading on the loader thread");
            }
        }
        pthread_mutex_lock(&l->lock);
        if (c) {
            struct content *unclaimed = l->finished;
            l->finished = c;
            if (unclaimed) {
                pthread_mutex_unlock(&l->lock);
                content_free(unclaimed);
                pthread_mutex_lock(&l->lock);
            }
        }
        pthread_mutex_unlock(&l->lock);
        l->done(l->ctx);
        pthread_mutex_lock(&l->lock);
    }
    pthread_mutex_unlock(&l->lock);
    store_close(store);
    return NULL;
}

struct content_loader *content_loader_start(const char *db_path, const struct content_env *env,
                                            void (*done)(void *ctx), void *ctx)
{
    struct content_loader *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->db_path = strdup(db_path);
    l->env = *env;
    l->done = done;
    l->ctx = ctx;
    if (!l->db_path) {
        free(l);
        return NULL;
    }
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->wake, NULL);
    if (pthread_create(&l->thread, NULL, loader_main, l) != 0) {
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->lock);
        free(l->db_path);
        free(l);
        return NULL;
    }
    return l;
}

void content_loader_stop(struct content_loader *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    l->stop = true;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
    pthread_join(l->thread, NULL);
    content_free(l->finished);
    for (size_t i = 0; i < l->n_retired; i++)
        content_free(l->retired[i]);
    free(l->retired);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->lock);
    free(l->db_path);
    free(l);
}

void content_loader_request(struct content_loader *l, const struct content_request *req)
{
    pthread_mutex_lock(&l->lock);
    l->request = *req;
    l->has_request = true;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
}

struct content *content_loader_take(struct content_loader *l)
{
    pthread_mutex_lock(&l->lock);
    struct content *c = l->finished;
    l->finished = NULL;
    pthread_mutex_unlock(&l->lock);
    return c;
}

void content_loader_retire(struct content_loader *l, struct content *old)
{
    if (!old)
        return;
    pthread_mutex_lock(&l->lock);
    bool queued = GROW(l->retired, l->n_retired, l->cap_retired, 4);
    if (queued) {
        l->retired[l->n_retired++] = old;
        pthread_cond_signal(&l->wake);
    }
    pthread_mutex_unlock(&l->lock);
    if (!queued)
        content_free(old);
}
