/* Fuzz target: feed parsing and validation (the kiosk's widest input). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/feed.h"
#include "base/timeutil.h"
#include "fuzz/fuzz.h"

/* Reads every byte the sink is given, so that the sanitizers see any text
 * or list the parser built wrongly; the sum, stored to a volatile at the
 * end, keeps the reads from being optimized away. */
static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static size_t touch_list(const struct feed_strings *list)
{
    if ((list->count == 0) != (list->json == NULL))
        abort();
    size_t n = touch(list->json);
    for (size_t i = 0; i < list->count; i++)
        n += touch(list->items[i]);
    return n;
}

static bool touch_item(void *ctx, const struct feed_item *item)
{
    size_t *sum = ctx;
    switch (item->kind) {
    case FEED_LOCATION: {
        const struct feed_location *l = &item->u.location;
        *sum += touch(l->id) + touch(l->name_json) + touch(l->address) +
                touch(l->neighbourhood) + touch(l->accessibility_json);
        /* Invalid coordinates are dropped, never handed on. */
        if (l->has_coordinates && !feed_coordinates_valid(l->lat, l->lon))
            abort();
        break;
    }
    case FEED_ACTIVITY: {
        const struct feed_activity *a = &item->u.activity;
        *sum += touch(a->id) + touch(a->title_json) + touch(a->summary_json) +
                touch(a->description_json) + touch(a->cost_json) + touch_list(&a->themes) +
                touch_list(&a->functions) + touch_list(&a->audience) + touch(a->location_id) +
                touch(a->rrule_text) + touch(a->contact.json) + touch(a->contact.phone) +
                touch(a->contact.email) + touch(a->contact.url) + touch(a->url) +
                touch(a->image);
        /* An url or image that is not a URL is dropped, never handed on. */
        if ((a->url && !feed_url_valid(a->url, false)) || (a->image && !feed_url_valid(a->image, true)))
            abort();
        for (size_t i = 0; i < a->n_exdates; i++)
            *sum += (size_t)a->exdates[i];
        for (size_t i = 0; i < a->signup.n_taken_by_occurrence; i++)
            *sum += (size_t)a->signup.taken_by_occurrence[i].taken;
        break;
    }
    case FEED_SERVICE: {
        const struct feed_service *s = &item->u.service;
        *sum += touch(s->id) + touch(s->name_json) + touch(s->description_json) +
                touch(s->how_to_json) + touch(s->organization) + touch_list(&s->themes) +
                touch_list(&s->functions) + touch_list(&s->topics) + touch(s->location_id) +
                touch(s->walk_in_json) + touch(s->phone) + touch(s->email) + touch(s->url);
        break;
    }
    case FEED_ANNOUNCEMENT:
        *sum += touch(item->u.announcement.id) + touch(item->u.announcement.text_json) +
                touch_list(&item->u.announcement.location_ids);
        break;
    case FEED_KIND_COUNT:
        abort();
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tz_use_zone("Europe/Amsterdam");
    /* Once as validate-feed does (no sink), once as a sync does. */
    struct feed_report alone;
    feed_parse((const char *)data, size, NULL, &alone);
    size_t sum = 0;
    struct feed_sink sink = {.ctx = &sum, .add = touch_item};
    struct feed_report report;
    feed_parse((const char *)data, size, &sink, &report);
    /* The verdict does not depend on whether anyone takes the items. */
    if (alone.result != report.result || alone.skipped != report.skipped ||
        alone.warned != report.warned)
        abort();
    /* Details are kept up to a bound; the counts go on. */
    if (report.n_skips > report.skipped || report.n_warnings > report.warned)
        abort();
    char line[FEED_ID_MAX + 256];
    for (size_t i = 0; i < report.n_skips; i++) {
        feed_skip_line(&report.skips[i], line, sizeof line);
        sum += strlen(line);
    }
    for (size_t i = 0; i < report.n_warnings; i++) {
        feed_warning_line(&report.warnings[i], line, sizeof line);
        sum += strlen(line);
    }
    feed_report_clear(&alone);
    feed_report_clear(&report);
    volatile size_t observed = sum;
    (void)observed;
    return 0;
}
