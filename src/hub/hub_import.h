/*
 * `buurthub import`: replacing the hub's content from a feed-v1 document
 * or from a staff member's CSV of activities (layout in docs/hub.md).
 *
 * Both go through feed_parse(), the kiosk's own validator, with a sink
 * that writes into one write transaction: a document rejected whole
 * changes nothing; an accepted one replaces the content at once. Sign-ups,
 * kiosks and heartbeats are never touched. What is stored per item is a
 * canonical JSON form of what the validator accepted (unknown fields
 * dropped, texts as language objects), so that every kiosk gets exactly
 * what passed validation.
 */
#ifndef BK_HUB_IMPORT_H
#define BK_HUB_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hub/hub_db.h"
#include "model/feed.h"

enum hub_import_result {
    HUB_IMPORT_OK = 0,          /* applied (or unchanged) */
    HUB_IMPORT_REFUSED = 1,     /* the document or a row is wrong; nothing changed */
    HUB_IMPORT_FAILED = 2,      /* the database or memory failed; nothing changed */
};

/* Imports a file: CSV when its name ends in .csv or it starts with a CSV
 * header ("id," / "id;"), else a feed-v1 JSON document. The summary line
 * goes to out, reasons and skipped items to errs.
 *
 * Import safety (hub-api-v1 "The hub's command line"): an import that
 * would leave no items, or keep fewer than half the ids of a kind that
 * held at least 10, is refused (HUB_IMPORT_REFUSED, saying what would
 * go) unless force. A document rejected whole is refused even with force. */
enum hub_import_result hub_import_file(struct hub_db *db, const char *path, int64_t now,
                                       bool force, FILE *out, FILE *errs);

/* A feed-v1 document: replaces locations, activities, services,
 * announcements, publisher and languages. Items the feed rules skip are
 * listed on errs and the rest is applied, as a kiosk would. */
enum hub_import_result hub_import_feed(struct hub_db *db, const char *body, size_t len,
                                       int64_t now, bool force, FILE *out, FILE *errs);

/* A CSV of activities: replaces the activities only (locations, services
 * and announcements stay), and location_id must name a location the hub
 * has. Any bad row refuses the whole file, every bad row named with its
 * line, since a staff member fixes the sheet and imports again. */
enum hub_import_result hub_import_csv(struct hub_db *db, const char *body, size_t len,
                                      int64_t now, bool force, FILE *out, FILE *errs);

/* For content changed one item at a time (the staff console's forms),
 * inside the caller's write transaction, so that a form's item is stored
 * exactly as an import stores it. store_item writes the canonical JSON of
 * an item feed_parse() validated (and, for an activity, its sign-up
 * rules) at position seq; remove_item deletes an item (and its rules).
 * content_changed records that the content changed at now: the content
 * hash, generated_at and the state version move, so every feed's ETag
 * changes and kiosks get the change at their next pull. false on a
 * database error. */
bool hub_import_store_item(struct hub_db *db, const struct feed_item *item, int64_t seq);
bool hub_import_remove_item(struct hub_db *db, enum feed_kind kind, const char *id);
bool hub_import_content_changed(struct hub_db *db, int64_t now);

/* True when the file should be read as CSV (see hub_import_file). */
bool hub_import_is_csv(const char *path, const char *body, size_t len);

#endif
