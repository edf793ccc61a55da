/*
 * The staff audit log (hub-api-v1.md "The staff console"): who changed
 * what, and when. A row names the actor (a staff username, or "cli" for
 * the hub's command line), an action from the fixed list below and the id
 * of the item it touched: never a resident's name, phone number or any
 * other personal data, so that the log can be shown and kept without
 * retention rules of its own.
 */
#ifndef BK_HUB_AUDIT_H
#define BK_HUB_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hub/hub_db.h"

/* The actor of changes made on the hub's command line. */
#define HUB_AUDIT_CLI "cli"

/* What was done. The names in the database and in `buurthub audit` are
 * hub_audit.c's to spell, so that a caller cannot invent free text (where
 * personal data could slip in). */
enum hub_audit_action {
    HUB_AUDIT_STAFF_ADD,
    HUB_AUDIT_STAFF_PASSWORD,
    HUB_AUDIT_STAFF_REMOVE,
    HUB_AUDIT_LOGIN,
    HUB_AUDIT_LOGOUT,
    /* The console's changes; item is the activity, service, announcement,
     * sign-up or kiosk id. */
    HUB_AUDIT_ACTIVITY_ADD,
    HUB_AUDIT_ACTIVITY_EDIT,
    HUB_AUDIT_ACTIVITY_CANCEL,
    HUB_AUDIT_ACTIVITY_CANCEL_DATE,
    HUB_AUDIT_SERVICE_ADD,
    HUB_AUDIT_SERVICE_EDIT,
    HUB_AUDIT_SERVICE_REMOVE,
    HUB_AUDIT_ANNOUNCEMENT_ADD,
    HUB_AUDIT_ANNOUNCEMENT_EDIT,
    HUB_AUDIT_ANNOUNCEMENT_REMOVE,
    HUB_AUDIT_SIGNUP_ADD,
    HUB_AUDIT_SIGNUP_CANCEL,
    HUB_AUDIT_SIGNUP_ATTEND,
    HUB_AUDIT_KIOSK_ENROL,
    HUB_AUDIT_KIOSK_TOKEN,
    HUB_AUDIT_KIOSK_REMOVE,
    HUB_AUDIT_ACTION_COUNT
};

const char *hub_audit_action_name(enum hub_audit_action action);

/* Appends a row; item is an id (a username, an activity or sign-up id) or
 * NULL. Meant to run inside the transaction of the change it records, so
 * that the log and the change cannot disagree. false on error (logged). */
bool hub_audit_record(struct hub_db *db, int64_t at, const char *who,
                      enum hub_audit_action action, const char *item);

/* hub_audit_record in a transaction of its own, for a change that
 * committed on its own (hub_db.c's kiosk add, token and remove): the row
 * follows it. false on error (logged). */
bool hub_audit_record_alone(struct hub_db *db, int64_t at, const char *who,
                            enum hub_audit_action action, const char *item);

/* Writes one line per row, oldest first: local RFC 3339 time, who, action
 * and item ("-" when none), separated by spaces. */
bool hub_audit_print(struct hub_db *db, FILE *out);

#endif
