/* Fuzz target: the staff console's content forms without the database
 * (hub_content.h): posted values -> a feed-v1 item or field errors, for
 * each kind, as a coordinator and as staff of one location, then the
 * same form again as an edit of what it built, the feed validator over
 * the item in a one-item document, and the occurrences of an activity.
 * The input is "name=value" fields separated by NUL or newline bytes; its
 * first byte picks the kind. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "hub/hub_content.h"
#include "model/feed.h"

#define FIELDS 64

struct fuzz_form {
    size_t n;
    const char *names[FIELDS];
    const char *values[FIELDS];
};

static const char *fuzz_nth(const void *ctx, const char *name, size_t i)
{
    const struct fuzz_form *f = ctx;
    for (size_t k = 0; k < f->n; k++)
        if (strcmp(f->names[k], name) == 0 && i-- == 0)
            return f->values[k];
    return NULL;
}

static json_t *build(int kind, const struct hub_content_form *form, const json_t *base,
                     const char *locations, struct hub_content_errors *errs)
{
    switch (kind) {
    case 0: return hub_content_activity(form, base, "act-fuzz", locations, errs);
    case 1: return hub_content_service(form, base, "svc-fuzz", locations, errs);
    default: return hub_content_announcement(form, base, "ann-fuzz", locations, errs);
    }
}

static void validate(int kind, const json_t *item)
{
    static const char *const arrays[] = {"activities", "services", "announcements"};
    json_t *doc = json_pack("{sssiss s[{ssss}{ssss}]}", "format", "buurtkiosk-feed", "version", 1,
                            "generated_at", "2026-12-01T00:00:00Z", "locations", "id", "loc-a",
                            "name", "A", "id", "loc-b", "name", "B");
    if (!doc)
        return;
    json_object_set_new(doc, arrays[kind], json_pack("[O]", item));
    char *text = json_dumps(doc, JSON_COMPACT);
    if (text) {
        struct feed_report rep;
        feed_parse(text, strlen(text), NULL, &rep);
        feed_report_clear(&rep);
    }
    free(text);
    json_decref(doc);
    if (kind == 0) {
        int64_t starts[16];
        hub_content_occurrences(item, 1790000000, 1800000000, starts, 16);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 16384)
        return 0;
    int kind = data[0] % 3;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    struct fuzz_form f = {0};
    /* Fields end at NUL or newline; a name ends at the first '='. */
    char *p = text, *end = text + size - 1;
    while (p < end && f.n < FIELDS) {
        char *stop = p;
        while (stop < end && *stop != '\n' && *stop != '\0')
            stop++;
        *stop = '\0';
        char *eq = strchr(p, '=');
        if (eq) {
            *eq = '\0';
            f.names[f.n] = p;
            f.values[f.n] = eq + 1;
            f.n++;
        }
        p = stop + 1;
    }
    struct hub_content_form form = {&f, fuzz_nth};
    static const char *const users[] = {NULL, "[\"loc-b\"]"};
    for (size_t u = 0; u < 2; u++) {
        struct hub_content_errors errs;
        json_t *item = build(kind, &form, NULL, users[u], &errs);
        if (!item)
            continue;
        validate(kind, item);
        json_t *again = build(kind, &form, item, users[u], &errs);
        if (again)
            validate(kind, again);
        hub_content_may_touch((enum feed_kind)(kind + 1), item, users[u]);
        json_decref(again);
        json_decref(item);
    }
    free(text);
    return 0;
}
