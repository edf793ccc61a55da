/*
 * Sign-ups at the hub (hub-api-v1.md "Sign-ups"): the body's validation,
 * the one write transaction that decides confirmed / waitlisted / full /
 * closed, idempotency on signup_id, the staff listing and the erasure of
 * personal data after the retention period.
 *
 * Validation is split so that it can be tested and fuzzed without a
 * database: hub_signup_parse() judges the body on its own (400 when it is
 * not a well-formed sign-up), hub_signup_check() judges it against an
 * activity's rules (422). No function here logs or returns personal data;
 * error texts name fields, never their values.
 */
#ifndef BK_HUB_SIGNUP_H
#define BK_HUB_SIGNUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/feed.h"
#include "model/rrule.h"
#include "model/seal.h"
#include "hub/hub_db.h"

#define HUB_SIGNUP_ID_LEN 36
#define HUB_PARTY_MIN 1
#define HUB_PARTY_MAX 20
#define HUB_NAME_MAX_CHARS 80
#define HUB_PHONE_MAX_BYTES 40
#define HUB_EMAIL_MAX_BYTES 254
#define HUB_REMARK_MAX_CHARS 500
#define HUB_LANGUAGE_MAX 35

/* How far created_at may lie before receipt (kiosks work offline) and
 * after it (clock skew) and still be believed for "closed". */
#define HUB_CREATED_MAX_AGE_S (24 * 3600)
#define HUB_CREATED_MAX_SKEW_S (5 * 60)

/* A parsed sign-up body. Strings point into root, which the request owns;
 * NULL for a JSON null or an absent optional field. */
struct hub_signup_request {
    json_t *root;
    const char *signup_id;          /* lower-case UUID v4 shape, checked */
    const char *kiosk_id;           /* a valid feed id */
    const char *activity_id;        /* a valid feed id */
    int64_t occurrence;
    const char *name, *phone, *email, *remark;  /* into root, or opened once unsealed */
    const char *sealed;             /* the sealed personal fields (model/seal.h), or NULL */
    json_t *opened;                 /* what hub_signup_unseal opened, owned */
    int64_t party_size;             /* any integer: the range is a 422 */
    bool waitlist_ok;
    const char *language;
    int64_t created_at;
};

/* Parses and checks a body (not necessarily NUL-terminated): a JSON
 * object with the fields of the contract and their exact types. Returns
 * true and fills req (free with hub_signup_request_clear), or false with
 * a short English reason in err for a 400 answer. Unknown fields are
 * ignored, as in the feed, so that kiosks can add some. */
bool hub_signup_parse(const char *body, size_t len, struct hub_signup_request *req, char *err,
                      size_t err_len);

void hub_signup_request_clear(struct hub_signup_request *req);

/* A body with "sealed" (docs/spec-notes.md "Sealed personal fields")
 * carries name, phone, email and remark sealed to the hub's key instead of
 * in clear; hub_signup_parse refuses one with both (400). This opens it
 * with the hub's key pair and points the four fields into what it holds,
 * to be judged by hub_signup_check as clear ones are. True without
 * "sealed"; false with a reason in err (no field's value) for a 422 when
 * it cannot be opened (another key, damaged) or holds no JSON object of
 * string fields. */
bool hub_signup_unseal(struct hub_signup_request *req,
                       const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                       const unsigned char secret_key[SEAL_SECRET_KEY_BYTES], char *err,
                       size_t err_len);

/* What a sign-up is judged against: an activity's schedule and rules. */
struct hub_activity_rules {
    bool has_signup;
    int64_t starts_at;
    const struct rrule *rule;       /* NULL = one-off */
    const int64_t *exdates;
    size_t n_exdates;
    int64_t capacity;               /* -1 = unlimited */
    bool waitlist;
    int64_t closes_before_min;
    unsigned fields;                /* enum signup_field bits */
};

/* Checks a parsed request against an activity (422 answers): sign-up
 * offered, the occurrence a real one, party size 1..20, and the personal
 * fields the activity asks for present and well-formed. Returns true, or
 * false with a reason in err. */
bool hub_signup_check(const struct hub_signup_request *req, const struct hub_activity_rules *a,
                      char *err, size_t err_len);

/* The instant "closed" is judged at: created_at when it lies at most 24 h
 * before received_at and at most 5 min after it, else received_at. */
int64_t hub_signup_judged_at(int64_t created_at, int64_t received_at);

/* What the hub decided for a sign-up (hub-api-v1.md "Sign-ups"). The
 * answer's "status" and the signups.status column carry the names that
 * hub_signup_status_name() gives; nothing else in the hub spells them. */
enum hub_signup_status {
    HUB_SIGNUP_CONFIRMED,
    HUB_SIGNUP_WAITLISTED,
    HUB_SIGNUP_FULL,
    HUB_SIGNUP_CLOSED,
    HUB_SIGNUP_CANCELLED,           /* by staff (buurthub signups cancel); never on the wire */
    HUB_SIGNUP_STATUS_COUNT
};

/* The name on the wire and in the database ("confirmed", ...). */
const char *hub_signup_status_name(enum hub_signup_status status);

/* The status a name stands for; false for NULL or a name that is none. */
bool hub_signup_status_parse(const char *name, enum hub_signup_status *out);

/* True for a place or a waiting-list spot: answered 201 (200 to a
 * repeat). A refusal (full, closed) is answered 409, and so is a repeat
 * of a cancelled sign-up (as "full"). Personal data is kept for every
 * status until the retention period ends. */
bool hub_signup_status_accepted(enum hub_signup_status status);

/* The hub's answer: the HTTP status and the exact compact JSON body. */
/* Retry-After of a 503, in seconds: the database busy with another writer
 * (kiosks come back soon), or unable to store anything, a full or failing
 * disk (long enough for a person to make room, well inside the kiosks'
 * 15-minute cap). */
#define HUB_BUSY_RETRY_AFTER_S 5
#define HUB_STORAGE_RETRY_AFTER_S 120

struct hub_signup_answer {
    unsigned status;
    char body[160];
    unsigned retry_after_s;      /* with 503: how long kiosks should wait; else 0 */
};

/* The answer while the database is busy with another writer: 503 with
 * Retry-After HUB_BUSY_RETRY_AFTER_S. */
void hub_signup_answer_busy(struct hub_signup_answer *out);

/* Decides and stores a sign-up in one BEGIN IMMEDIATE transaction:
 * idempotency on signup_id (a repeat gets the sign-up's current status,
 * with 200 for confirmed and waitlisted, the current position, and 409
 * "full" once cancelled), the activity's existence (404) and rules (422),
 * closed, the kiosk's lease (hub_lease.h), capacity and the waiting list. kiosk_id must already be
 * checked against the token. Returns false only when the database failed:
 * then out says 503 with Retry-After when the database was busy or the
 * disk is full or failing (hub_db_failure), else 500. */
bool hub_signup_submit(struct hub_db *db, const struct hub_signup_request *req,
                       int64_t received_at, struct hub_signup_answer *out);

/* The same for a sign-up staff took (the console's phone sign-ups): the
 * same judging, with an audit row (signup.add, the sign-up's id) by who in
 * the same transaction. */
bool hub_signup_submit_by(struct hub_db *db, const struct hub_signup_request *req,
                          int64_t received_at, const char *who, struct hub_signup_answer *out);

enum hub_cancel_result {
    HUB_CANCEL_OK,
    HUB_CANCEL_UNKNOWN,             /* no sign-up has this id */
    HUB_CANCEL_REFUSED,             /* not confirmed or waitlisted (was says what it is) */
    HUB_CANCEL_ERROR,               /* the database failed (logged) */
};

/* Cancels a confirmed or waitlisted sign-up in one write transaction: its
 * places are freed, and the occurrence's waiting list moves up (in order,
 * whoever fits the places nobody holds, leases counted, is confirmed and
 * marked for a call; the rest are numbered again from 1). was is the
 * status it had; promoted how many moved up. */
enum hub_cancel_result hub_signup_cancel(struct hub_db *db, const char *signup_id,
                                         enum hub_signup_status *was, int *promoted);

/* The same, by a staff member (the console): audited as signup.cancel by
 * who at now in the same transaction. */
enum hub_cancel_result hub_signup_cancel_by(struct hub_db *db, const char *signup_id,
                                            const char *who, int64_t now,
                                            enum hub_signup_status *was, int *promoted);

enum hub_attend_result {
    HUB_ATTEND_OK,
    HUB_ATTEND_UNKNOWN,             /* no confirmed sign-up with this id at this occurrence */
    HUB_ATTEND_ERROR,               /* the database failed (logged) */
};

/* Marks a confirmed sign-up of the occurrence as present at now (present)
 * or takes the mark away, in one write transaction audited as
 * signup.attend by who. The listing's CSV says "yes" in its attended
 * column for a marked confirmed sign-up. */
enum hub_attend_result hub_signup_attend(struct hub_db *db, const char *signup_id,
                                         const char *activity_id, int64_t occurrence,
                                         bool present, int64_t now, const char *who);

/* Erases name, phone, email and remark of sign-ups whose occurrence lies
 * more than retention_days in the past (secure_delete is on; the WAL is
 * checkpointed with TRUNCATE afterwards so the bytes leave it too).
 * Returns how many were erased, or -1 on error. */
int hub_signup_erase_expired(struct hub_db *db, int64_t now, int retention_days);

/* Writes the sign-ups (of one activity when activity_id is not NULL),
 * oldest first: as RFC 4180 CSV with a header, or as aligned text. Both
 * say "call" (yes) for a sign-up staff should phone: moved up from the
 * waiting list, full or closed. */
bool hub_signup_list(struct hub_db *db, const char *activity_id, bool csv, FILE *out);

/* The same CSV for one occurrence of one activity (the console's export). */
bool hub_signup_list_occurrence(struct hub_db *db, const char *activity_id, int64_t occurrence,
                                FILE *out);

/* True for the 8-4-4-4-12 hex shape of a UUID with version 4 and the
 * RFC 4122 variant (lower or upper case). */
bool hub_uuid_v4_valid(const char *text);

#endif
