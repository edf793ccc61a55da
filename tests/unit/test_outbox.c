/*
 * The sign-up outbox on a real SQLite file: durable add, the pending
 * list, final answers that erase the personal fields, expiry, the places
 * held by pending sign-ups, UUIDs. The privacy tests search the raw bytes
 * of the database file and its WAL for the personal data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/outbox.h"
#include "model/store.h"
#include "model/store_private.h" /* the raw connection, to count rows or fake a read-only disk */
#include "temp_store.h"
#include "model/seal.h"
#include "base/disk.h"
#include "base/timeutil.h"

#define NAME "Jansen-Testnaam"
#define PHONE "0612345678"
#define EMAIL "test@example.org"
#define REMARK "Rolstoel-Opmerking"

struct fixture {
    char dir[TEMP_STORE_DIR_LEN];
    char path[TEMP_STORE_PATH_LEN];
    struct store *store;
};

static int64_t at(const char *text)
{
    int64_t t = 0;
    assert_true(rfc3339_parse(text, &t));
    return t;
}

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    setenv("BUURTKIOSK_LOG", "error", 1);
    struct fixture *f = calloc(1, sizeof *f);
    f->store = temp_store_open("outbox", f->dir, f->path);
    if (!f->store)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    bool removed = temp_store_remove(f->store, f->dir);
    free(f);
    return removed ? 0 : -1;
}

static struct signup_request request(const char *activity, int64_t occurrence, int party)
{
    struct signup_request r = {
        .occurrence = occurrence,
        .name = NAME,
        .phone = PHONE,
        .email = EMAIL,
        .remark = REMARK,
        .party_size = party,
        .waitlist_ok = true,
    };
    snprintf(r.activity_id, sizeof r.activity_id, "%s", activity);
    snprintf(r.language, sizeof r.language, "nl");
    return r;
}

static void add(struct fixture *f, const struct signup_request *r, int64_t now, char *id)
{
    char tmp[OUTBOX_ID_LEN + 1];
    assert_true(outbox_add(f->store, r, now, id ? id : tmp));
}

/* ---- raw bytes ---- */

static bool file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false; /* no file, no bytes */
    size_t n = strlen(needle), cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    bool found = false;
    for (size_t i = 0; !found && n <= len && i <= len - n; i++)
        found = memcmp(buf + i, needle, n) == 0;
    free(buf);
    return found;
}

/* True when any personal string is in the database file or its WAL. */
static bool personal_bytes_on_disk(const struct fixture *f)
{
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    static const char *const needles[] = {NAME, PHONE, EMAIL, REMARK};
    bool found = false;
    for (size_t i = 0; i < sizeof needles / sizeof *needles; i++) {
        if (file_contains(f->path, needles[i])) {
            print_message("found %s in the database file\n", needles[i]);
            found = true;
        }
        if (file_contains(wal, needles[i])) {
            print_message("found %s in the WAL\n", needles[i]);
            found = true;
        }
    }
    return found;
}

static int64_t scalar(struct fixture *f, const char *sql, const char *id)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->store), sql, -1, &st, NULL), SQLITE_OK);
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* ---- tests ---- */

static void test_add_then_pending(void **state)
{
    struct fixture *f = *state;
    int64_t occ = at("2026-11-26T10:00:00+01:00"), now = at("2026-11-25T09:14:03+01:00");
    struct signup_request r = request("act-koffie", occ, 2);
    char id[OUTBOX_ID_LEN + 1];
    add(f, &r, now, id);

    struct outbox_row rows[4];
    assert_int_equal(outbox_pending(f->store, rows, 4), 1);
    assert_string_equal(rows[0].id, id);
    assert_string_equal(rows[0].activity_id, "act-koffie");
    assert_int_equal(rows[0].occurrence, occ);
    assert_string_equal(rows[0].name, NAME);
    assert_string_equal(rows[0].phone, PHONE);
    assert_string_equal(rows[0].email, EMAIL);
    assert_string_equal(rows[0].remark, REMARK);
    assert_int_equal(rows[0].party_size, 2);
    assert_true(rows[0].waitlist_ok);
    assert_string_equal(rows[0].language, "nl");
    assert_int_equal(rows[0].created_at, now);
    assert_int_equal(rows[0].attempts, 0);
    outbox_row_clear(&rows[0]);
    assert_null(rows[0].name);

    /* Absent fields stay absent. */
    struct signup_request bare = request("act-bare", occ, 1);
    bare.email = bare.remark = NULL;
    bare.waitlist_ok = false;
    bare.language[0] = '\0';
    add(f, &bare, now + 1, NULL);
    assert_int_equal(outbox_pending(f->store, rows, 4), 2);
    assert_string_equal(rows[1].activity_id, "act-bare");
    assert_null(rows[1].email);
    assert_null(rows[1].remark);
    assert_false(rows[1].waitlist_ok);
    assert_string_equal(rows[1].language, "");
    for (int i = 0; i < 2; i++)
        outbox_row_clear(&rows[i]);

    struct store_status s;
    assert_true(store_status(f->store, &s));
    assert_int_equal(s.outbox_pending, 2);

    /* A second connection (the other thread's) sees it: it is committed. */
    char err[256];
    struct store *other = store_open(f->path, err, sizeof err);
    assert_non_null(other);
    assert_int_equal(outbox_pending(other, rows, 4), 2);
    for (int i = 0; i < 2; i++)
        outbox_row_clear(&rows[i]);
    store_close(other);
}

static void test_add_refuses_nonsense(void **state)
{
    struct fixture *f = *state;
    char id[OUTBOX_ID_LEN + 1];
    struct signup_request r = request("", 1, 1);
    assert_false(outbox_add(f->store, &r, 100, id));
    r = request("act", 1, 0);
    assert_false(outbox_add(f->store, &r, 100, id));
    assert_int_equal(outbox_count(f->store, "pending"), 0);
}

static void test_pending_oldest_first_and_max(void **state)
{
    struct fixture *f = *state;
    char ids[5][OUTBOX_ID_LEN + 1];
    /* Added out of order of created_at (the clock stepped back): the
     * order they were stored in is what counts. */
    const int64_t created[5] = {500, 100, 300, 200, 400};
    for (int i = 0; i < 5; i++) {
        struct signup_request r = request("act", 1000, 1);
        add(f, &r, created[i], ids[i]);
    }
    struct outbox_row rows[3];
    assert_int_equal(outbox_pending(f->store, rows, 3), 3);
    assert_string_equal(rows[0].id, ids[0]);
    assert_string_equal(rows[1].id, ids[1]);
    assert_string_equal(rows[2].id, ids[2]);
    for (int i = 0; i < 3; i++)
        outbox_row_clear(&rows[i]);
    /* Rows stored before the order was kept go first, by created_at. */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE outbox SET added_seq = NULL WHERE signup_id IN ('%s', '%s')",
             ids[3], ids[4]);
    assert_int_equal(sqlite3_exec(store_db(f->store), sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(outbox_pending(f->store, rows, 3), 3);
    assert_string_equal(rows[0].id, ids[3]);
    assert_string_equal(rows[1].id, ids[4]);
    assert_string_equal(rows[2].id, ids[0]);
    for (int i = 0; i < 3; i++)
        outbox_row_clear(&rows[i]);
    assert_int_equal(outbox_pending(f->store, rows, 0), 0);
}

static void test_record_final_erases(void **state)
{
    struct fixture *f = *state;
    int64_t occ = at("2026-11-26T10:00:00+01:00");
    char a[OUTBOX_ID_LEN + 1], b[OUTBOX_ID_LEN + 1], c[OUTBOX_ID_LEN + 1];
    struct signup_request r = request("act-koffie", occ, 3);
    add(f, &r, 1000, a);
    add(f, &r, 1001, b);
    add(f, &r, 1002, c);

    assert_true(outbox_record_final(f->store, a, "confirmed", 0, NULL, 2000));
    assert_true(outbox_record_final(f->store, b, "waitlisted", 4, NULL, 2001));

    const char *fields =
        "SELECT (name IS NULL) + (phone IS NULL) + (email IS NULL) + (remark IS NULL)"
        " FROM outbox WHERE signup_id = ?1";
    assert_int_equal(scalar(f, fields, a), 4);
    assert_int_equal(scalar(f, fields, b), 4);
    assert_int_equal(scalar(f, fields, c), 0);
    assert_int_equal(scalar(f, "SELECT status = 'confirmed' AND activity_id = 'act-koffie'"
                               " AND party_size = 3 AND position IS NULL AND answered_at = 2000"
                               " FROM outbox WHERE signup_id = ?1", a), 1);
    assert_int_equal(scalar(f, "SELECT occurrence FROM outbox WHERE signup_id = ?1", a), occ);
    assert_int_equal(scalar(f, "SELECT status = 'waitlisted' AND position = 4"
                               " FROM outbox WHERE signup_id = ?1", b), 1);

    struct outbox_row rows[4];
    assert_int_equal(outbox_pending(f->store, rows, 4), 1);
    assert_string_equal(rows[0].id, c);
    outbox_row_clear(&rows[0]);

    /* A repeat keeps the first answer; unknown ids and statuses fail. */
    assert_true(outbox_record_final(f->store, a, "full", 0, NULL, 3000));
    assert_int_equal(scalar(f, "SELECT status = 'confirmed' FROM outbox WHERE signup_id = ?1", a),
                     1);
    assert_false(outbox_record_final(f->store, "00000000-0000-4000-8000-000000000000",
                                     "confirmed", 0, NULL, 3000));
    assert_false(outbox_record_final(f->store, c, "maybe", 0, NULL, 3000));
    assert_int_equal(outbox_count(f->store, "pending"), 1);

    /* Rejected keeps the hub's error, cut to 200 characters (not bytes,
     * not inside a character). */
    char error[1000] = "";
    for (int i = 0; i < 300; i++)
        strcat(error, "\xc3\xa9"); /* é */
    assert_true(outbox_record_final(f->store, c, "rejected", 0, error, 4000));
    assert_int_equal(scalar(f, "SELECT length(error) FROM outbox WHERE signup_id = ?1", c), 200);
    assert_int_equal(scalar(f, "SELECT length(CAST(error AS BLOB)) FROM outbox"
                               " WHERE signup_id = ?1", c), 400);

    struct store_status s;
    assert_true(store_status(f->store, &s));
    assert_int_equal(s.outbox_pending, 0);
    assert_int_equal(s.outbox_confirmed, 1);
    assert_int_equal(s.outbox_waitlisted, 1);
    assert_int_equal(s.outbox_rejected, 1);
}

/* With the hub's seal key known, the four fields are stored only as one
 * sealed blob that the hub's secret key opens: neither the file nor its
 * WAL holds them, the row goes out with the blob, and the answer erases
 * the blob too. A key that does not parse refuses the sign-up rather than
 * storing it in clear. */
static void test_sealed(void **state)
{
    struct fixture *f = *state;
    unsigned char pk[SEAL_PUBLIC_KEY_BYTES], sk[SEAL_SECRET_KEY_BYTES];
    crypto_box_keypair(pk, sk);
    char key[SEAL_KEY_TEXT_LEN];
    seal_key_format(pk, key);
    assert_true(store_set_meta(f->store, STORE_META_HUB_SEAL_KEY, key));
    struct signup_request r = request("act-koffie", at("2026-11-26T10:00:00+01:00"), 2);
    char id[OUTBOX_ID_LEN + 1];
    add(f, &r, 1000, id);
    assert_false(personal_bytes_on_disk(f));
    const char *fields =
        "SELECT (name IS NULL) + (phone IS NULL) + (email IS NULL) + (remark IS NULL)"
        " + (sealed IS NOT NULL) FROM outbox WHERE signup_id = ?1";
    assert_int_equal(scalar(f, fields, id), 5);

    struct outbox_row rows[2];
    assert_int_equal(outbox_pending(f->store, rows, 2), 1);
    assert_null(rows[0].name);
    assert_null(rows[0].phone);
    assert_non_null(rows[0].sealed);
    assert_int_equal(rows[0].party_size, 2);
    char err[120];
    json_t *o = seal_open(rows[0].sealed, pk, sk, err, sizeof err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "name")), NAME);
    assert_string_equal(json_string_value(json_object_get(o, "phone")), PHONE);
    assert_string_equal(json_string_value(json_object_get(o, "email")), EMAIL);
    assert_string_equal(json_string_value(json_object_get(o, "remark")), REMARK);
    json_decref(o);
    outbox_row_clear(&rows[0]);

    assert_true(outbox_record_final(f->store, id, "confirmed", 0, NULL, 2000));
    assert_int_equal(scalar(f, "SELECT sealed IS NULL FROM outbox WHERE signup_id = ?1", id), 1);

    assert_true(store_set_meta(f->store, STORE_META_HUB_SEAL_KEY, "not a key"));
    assert_false(outbox_add(f->store, &r, 3000, id));
    assert_int_equal(outbox_count(f->store, "pending"), 0);
    assert_false(personal_bytes_on_disk(f));
}

static void test_record_attempt(void **state)
{
    struct fixture *f = *state;
    char id[OUTBOX_ID_LEN + 1];
    struct signup_request r = request("act", 1, 1);
    add(f, &r, 10, id);
    assert_true(outbox_record_attempt(f->store, id, "HTTP 503"));
    assert_true(outbox_record_attempt(f->store, id, "Could not connect"));
    struct outbox_row row;
    assert_int_equal(outbox_pending(f->store, &row, 1), 1);
    assert_int_equal(row.attempts, 2);
    assert_string_equal(row.name, NAME);
    outbox_row_clear(&row);
    assert_int_equal(scalar(f, "SELECT error = 'Could not connect' FROM outbox"
                               " WHERE signup_id = ?1", id), 1);
}

/* One round of the privacy test below on a fresh database: many rows,
 * attempts in between (rows that grow move inside their page), a
 * checkpoint before the answers (so the data reached the main file), a
 * second connection. */
static void answer_all_then_search_bytes(struct fixture *f, int round)
{
    char err[256];
    struct store *screen = store_open(f->path, err, sizeof err);
    assert_non_null(screen);
    enum { N = 120 };
    char (*ids)[OUTBOX_ID_LEN + 1] = calloc(N, sizeof *ids);
    assert_non_null(ids);
    for (int i = 0; i < N; i++) {
        struct signup_request r = request("act-koffie", 1000 + i % 3, 1 + i % 4);
        /* Half from the screen's connection, as the kiosk does. */
        assert_true(outbox_add(i % 2 ? screen : f->store, &r, 100 + i, ids[i]));
        if (i % 5 == 0)
            assert_true(outbox_record_attempt(f->store, ids[i], "HTTP 503"));
    }
    /* Sanity: the search finds what is there. */
    assert_int_equal(sqlite3_wal_checkpoint_v2(store_db(f->store), NULL,
                                               SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL),
                     SQLITE_OK);
    assert_true(personal_bytes_on_disk(f));
    for (int i = 0; i < N; i++)
        if (i % 7 == 0)
            assert_true(outbox_record_attempt(f->store, ids[i], "timeout"));
    assert_true(personal_bytes_on_disk(f));

    static const char *const statuses[] = {"confirmed", "waitlisted", "full", "closed",
                                           "rejected"};
    for (int i = 0; i < N; i++)
        assert_true(outbox_record_final(f->store, ids[i], statuses[i % 5], i % 5 == 1 ? 2 : 0,
                                        i % 5 == 4 ? "no such occurrence" : NULL, 5000));
    if (personal_bytes_on_disk(f))
        fail_msg("personal data on disk after the answers, round %d", round);
    store_close(screen);
    assert_false(personal_bytes_on_disk(f));
    store_close(f->store);
    f->store = NULL;
    assert_false(personal_bytes_on_disk(f));
    f->store = store_open(f->path, err, sizeof err);
    assert_non_null(f->store);
    assert_int_equal(outbox_count(f->store, "pending"), 0);
    assert_int_equal(outbox_count(f->store, "confirmed"), N / 5);
    free(ids);
}

/* The real privacy test: after the final answers, the personal strings
 * are in neither the database file nor the WAL. Whether an old copy of a
 * row survives a page rebalance depends on how the random ids split the
 * pages (before the outbox was rebuilt after erasing, about one round in
 * seven leaked), so it runs on several fresh databases. */
static void test_final_answer_leaves_no_bytes(void **state)
{
    struct fixture *f = *state;
    enum { ROUNDS = 12 };
    for (int round = 1; round <= ROUNDS; round++) {
        if (round > 1) {
            assert_true(temp_store_remove(f->store, f->dir));
            f->store = temp_store_open("outbox", f->dir, f->path);
            assert_non_null(f->store);
        }
        answer_all_then_search_bytes(f, round);
    }
}

/* A reader holding a snapshot blocks the WAL truncation: the answer is
 * recorded anyway, the truncation is owed, and the next expiry pass (run
 * after every push) pays it once the reader is gone. */
static void test_blocked_checkpoint_is_retried(void **state)
{
    struct fixture *f = *state;
    char id[OUTBOX_ID_LEN + 1];
    struct signup_request r = request("act", 1, 1);
    add(f, &r, 10, id);

    sqlite3 *reader;
    assert_int_equal(sqlite3_open(f->path, &reader), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_exec(reader, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(reader, "SELECT count(*) FROM outbox", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sqlite3_finalize(st);

    assert_true(outbox_record_final(f->store, id, "confirmed", 0, NULL, 20));
    assert_true(personal_bytes_on_disk(f)); /* still in the WAL: the reader may need it */
    char owed[8];
    assert_true(store_get_meta(f->store, "outbox_checkpoint_owed", owed, sizeof owed));

    assert_int_equal(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(reader);
    assert_int_equal(outbox_expire(f->store, 30, 14), 0);
    assert_false(personal_bytes_on_disk(f));
    assert_false(store_get_meta(f->store, "outbox_checkpoint_owed", owed, sizeof owed));
}

/* Killed at random moments while recording answers (between COMMIT and
 * the checkpoint, too): once the next expiry pass ran, no answered
 * sign-up's name is left in the database file or the WAL. */
static void test_killed_while_answering(void **state)
{
    struct fixture *f = *state;
    enum { N = 40 };
    char ids[N][OUTBOX_ID_LEN + 1];
    char names[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "Naam-A%03dZ", i);
        struct signup_request r = request("act", 1, 1);
        r.name = names[i];
        add(f, &r, 100 + i, ids[i]);
    }
    store_close(f->store);
    f->store = NULL;
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    srand((unsigned)time(NULL));
    int rounds = 0;
    for (;;) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            char err[256];
            struct store *s = store_open(f->path, err, sizeof err);
            if (!s)
                _exit(1);
            for (int i = 0; i < N; i++)
                outbox_record_final(s, ids[i], "confirmed", 0, NULL, 1000);
            store_close(s);
            _exit(0);
        }
        struct timespec pause = {.tv_sec = 0, .tv_nsec = (long)(rand() % 40) * 1000000L};
        nanosleep(&pause, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        rounds++;

        char err[256];
        f->store = store_open(f->path, err, sizeof err);
        assert_non_null(f->store);
        outbox_expire(f->store, 1000, 14); /* the push pass's tail */
        int pending = 0;
        for (int i = 0; i < N; i++) {
            bool answered = scalar(f, "SELECT status != 'pending' FROM outbox"
                                      " WHERE signup_id = ?1", ids[i]) != 0;
            pending += !answered;
            if (answered && (file_contains(f->path, names[i]) || file_contains(wal, names[i])))
                fail_msg("round %d: %s answered but still on disk", rounds, names[i]);
        }
        store_close(f->store);
        f->store = NULL;
        if (pending == 0 || rounds == 200)
            break;
    }
    print_message("%d rounds\n", rounds);
    char err[256];
    f->store = store_open(f->path, err, sizeof err);
    assert_non_null(f->store);
}

static void test_expire(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-12-10T12:00:00+01:00");
    char old[OUTBOX_ID_LEN + 1], young[OUTBOX_ID_LEN + 1], answered[OUTBOX_ID_LEN + 1];
    struct signup_request r = request("act", 1, 2);
    add(f, &r, now - 15 * 86400, old);
    add(f, &r, now - 13 * 86400, young);
    add(f, &r, now - 20 * 86400, answered);
    assert_true(outbox_record_final(f->store, answered, "confirmed", 0, NULL, now - 19 * 86400));

    assert_int_equal(outbox_expire(f->store, now, 0), 0); /* never below a day */
    assert_int_equal(outbox_expire(f->store, now, 14), 1);
    assert_int_equal(outbox_expire(f->store, now, 14), 0);
    assert_int_equal(scalar(f, "SELECT status = 'expired' AND name IS NULL AND phone IS NULL"
                               " AND email IS NULL AND remark IS NULL AND party_size = 2"
                               " FROM outbox WHERE signup_id = ?1", old), 1);
    assert_int_equal(scalar(f, "SELECT status = 'confirmed' FROM outbox WHERE signup_id = ?1",
                            answered), 1);
    struct outbox_row rows[3];
    assert_int_equal(outbox_pending(f->store, rows, 3), 1);
    assert_string_equal(rows[0].id, young);
    outbox_row_clear(&rows[0]);

    /* Expired is never sent: it stays expired a day later too. */
    assert_int_equal(outbox_expire(f->store, now + 2 * 86400, 14), 1);
    assert_int_equal(outbox_count(f->store, "expired"), 2);
    assert_int_equal(outbox_count(f->store, "pending"), 0);
    struct store_status s;
    assert_true(store_status(f->store, &s));
    assert_int_equal(s.outbox_expired, 2);
    assert_false(personal_bytes_on_disk(f));
}

/* A board without a real-time clock stamps sign-ups in 1970 until NTP:
 * such a clock expires nothing, and such a stamp does not make a fresh
 * sign-up look decades old once the clock is right. */
static void test_expire_with_an_unset_clock(void **state)
{
    struct fixture *f = *state;
    char id[OUTBOX_ID_LEN + 1];
    struct signup_request r = request("act", 1, 1);
    add(f, &r, 3600, id); /* 1970 */
    assert_int_equal(outbox_expire(f->store, 3600 + 30 * 86400, 14), 0);
    int64_t now = at("2026-12-10T12:00:00+01:00");
    assert_int_equal(outbox_expire(f->store, now, 14), 0);
    assert_int_equal(outbox_count(f->store, "pending"), 1);
    assert_int_equal(scalar(f, "SELECT created_at FROM outbox WHERE signup_id = ?1", id), now);
    assert_int_equal(outbox_expire(f->store, now + 13 * 86400, 14), 0);
    assert_int_equal(outbox_expire(f->store, now + 15 * 86400, 14), 1);
}

/* What a sync does when it requests a feed: takes the next sequence number
 * and, the feed applied, keeps it. */
static void feed_requested(struct fixture *f)
{
    int64_t seq = 0;
    assert_true(store_next_seq(f->store, &seq));
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)seq);
    assert_true(store_set_meta(f->store, STORE_META_FEED_REQUEST_SEQ, text));
}

/* Answered rows older than OUTBOX_ANSWERED_RETENTION_DAYS go; newer ones,
 * unsent ones (however old) and answers the feed held does not count yet
 * stay. One row per case: its status, its age in days, whether a feed was
 * requested after its answer, and whether it must survive. */
static void test_prune_answered(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-12-10T12:00:00+01:00");
    const int days = OUTBOX_ANSWERED_RETENTION_DAYS;
    static const struct {
        const char *status;         /* NULL = left pending */
        int age_days;
        bool feed_after;            /* a feed requested after the answer */
        bool stays;
    } rows[] = {
        {"confirmed", OUTBOX_ANSWERED_RETENTION_DAYS + 1, true, false},
        {"confirmed", OUTBOX_ANSWERED_RETENTION_DAYS - 1, true, true},
        {"waitlisted", OUTBOX_ANSWERED_RETENTION_DAYS + 5, true, false},
        {"full", OUTBOX_ANSWERED_RETENTION_DAYS + 5, true, false},
        {"closed", 365, true, false},
        {"rejected", OUTBOX_ANSWERED_RETENTION_DAYS + 1, true, false},
        {"rejected", 2, true, true},
        /* must stay: never sent, whatever its age */
        {NULL, 365, true, true},
        {NULL, OUTBOX_ANSWERED_RETENTION_DAYS + 1, false, true},
        /* must stay: the feed held was requested before the answer, so
         * its lease does not count this sign-up yet */
        {"confirmed", OUTBOX_ANSWERED_RETENTION_DAYS + 1, false, true},
    };
    enum { N = sizeof rows / sizeof *rows };
    char ids[N][OUTBOX_ID_LEN + 1];
    struct signup_request r = request("act", 1, 1);
    /* Answers that a later feed counts first, then the others. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < N; i++) {
            if (rows[i].feed_after != (pass == 0))
                continue;
            int64_t then = now - (int64_t)rows[i].age_days * 86400;
            add(f, &r, then, ids[i]);
            if (rows[i].status)
                assert_true(outbox_record_final(f->store, ids[i], rows[i].status,
                                                strcmp(rows[i].status, "waitlisted") == 0,
                                                NULL, then));
        }
        if (pass == 0)
            feed_requested(f);
    }
    /* An expired row is pruned as answered, counted from its expiry (set
     * here as outbox_expire sets it: its clock guard would refuse a date
     * this far back). */
    char expired[OUTBOX_ID_LEN + 1];
    add(f, &r, now - (int64_t)(days + 20) * 86400, expired);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->store),
                                        "UPDATE outbox SET status = 'expired', answered_at = ?2,"
                                        " name = NULL WHERE signup_id = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, expired, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now - (int64_t)(days + 2) * 86400);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);

    assert_int_equal(outbox_prune_answered(f->store, now), 6);
    for (size_t i = 0; i < N; i++) {
        int64_t n = scalar(f, "SELECT count(*) FROM outbox WHERE signup_id = ?1", ids[i]);
        if (n != (rows[i].stays ? 1 : 0))
            fail_msg("row %zu (%s, %d days): %s", i, rows[i].status ? rows[i].status : "pending",
                     rows[i].age_days, rows[i].stays ? "pruned" : "kept");
    }
    assert_int_equal(scalar(f, "SELECT count(*) FROM outbox WHERE signup_id = ?1", expired), 0);
    assert_int_equal(outbox_prune_answered(f->store, now), 0);
    /* A clock that is not set prunes nothing. */
    assert_int_equal(outbox_prune_answered(f->store, 3600 + 400 * 86400), 0);
    /* outbox_expire prunes too, after every push. */
    assert_int_equal(outbox_count(f->store, "confirmed"), 2);
    outbox_expire(f->store, now + 2 * 86400, 60);
    assert_int_equal(outbox_count(f->store, "confirmed"), 1);
}

static void test_pending_places(void **state)
{
    struct fixture *f = *state;
    int64_t occ = at("2026-11-26T10:00:00+01:00");
    char a[OUTBOX_ID_LEN + 1];
    struct signup_request r2 = request("act-koffie", occ, 2);
    struct signup_request r3 = request("act-koffie", occ, 3);
    struct signup_request other_occ = request("act-koffie", occ + 7 * 86400, 4);
    struct signup_request other_act = request("act-repair", occ, 5);
    add(f, &r2, 1, a);
    add(f, &r3, 2, NULL);
    add(f, &other_occ, 3, NULL);
    add(f, &other_act, 4, NULL);
    assert_int_equal(outbox_pending_places(f->store, "act-koffie", occ), 5);
    assert_int_equal(outbox_pending_places(f->store, "act-koffie", occ + 7 * 86400), 4);
    assert_int_equal(outbox_pending_places(f->store, "act-repair", occ), 5);
    assert_int_equal(outbox_pending_places(f->store, "act-none", occ), 0);
    /* Confirmed after the feed now held was requested: its taken does
     * not count it yet, so the kiosk still does. */
    assert_true(outbox_record_final(f->store, a, "confirmed", 0, NULL, 10));
    assert_int_equal(outbox_pending_places(f->store, "act-koffie", occ), 5);
    /* A feed requested after that answer counts it. */
    feed_requested(f);
    assert_int_equal(outbox_pending_places(f->store, "act-koffie", occ), 3);
    /* A refusal holds no place at all, before or after a feed. */
    char b[OUTBOX_ID_LEN + 1];
    add(f, &r2, 5, b);
    assert_int_equal(outbox_pending_places(f->store, "act-koffie", occ), 5);
    assert_true(outbox_record_final(f->store, b, "full", 0, NULL, 11));
    assert_int_equal(outbox_pending_places(f->store, "act-koffie", occ), 3);
}

/* The lease arithmetic of hub-api-v1 "Telling the resident the truth" and
 * the spec notes' four things the kiosk must do: steps on one occurrence
 * whose feed gives this kiosk a lease of 3, and what is left after each. */
enum lease_step_kind {
    L_ADD_WITHIN,      /* a sign-up confirmed within the lease (party) */
    L_ADD_ASKED,       /* a sign-up sent to ask the hub (party) */
    L_ANSWER,          /* the hub answers sign-up #party (1-based) confirmed */
    L_FEED,            /* a feed is requested and applied, its lease the step's party */
};

struct lease_step {
    enum lease_step_kind kind;
    int n;
    int64_t left;      /* outbox_lease_left afterwards */
    int64_t held;      /* outbox_pending_places afterwards */
};

#define LEASE_FEED(n)                                                                             \
    "{\"format\":\"buurtkiosk-feed\",\"version\":1,\"generated_at\":\"2026-11-25T08:00:00+01:00\",\"activities\":[{\"id\":\"act-kerst\","          \
    "\"title\":\"Kerstdiner\",\"starts_at\":\"2026-12-20T17:00:00+01:00\","                       \
    "\"signup\":{\"capacity\":8,\"lease\":" #n "}}]}"

static void apply_lease_feed(struct fixture *f, int lease)
{
    static const char *const feeds[] = {LEASE_FEED(0), LEASE_FEED(1), LEASE_FEED(2),
                                        LEASE_FEED(3)};
    assert_true(lease >= 0 && lease <= 3);
    struct feed_report r;
    assert_int_equal(store_apply_feed(f->store, feeds[lease], strlen(feeds[lease]), NULL,
                                      at("2026-12-01T09:00:00+01:00"), &r),
                     FEED_ACCEPTED);
    feed_report_clear(&r);
}

static void test_lease_left(void **state)
{
    static const struct {
        const char *name;
        struct lease_step steps[8];
        size_t n;
    } rows[] = {
        {"fresh lease", {{L_FEED, 3, 3, 0}}, 1},
        {"within the lease, unsent", {{L_FEED, 3, 3, 0}, {L_ADD_WITHIN, 2, 1, 2}}, 2},
        /* Acknowledged after the feed was requested: still subtracted
         * (the feed's lease did not count it), and the kiosk asks until
         * the next feed (answered since the feed). */
        {"acknowledged after the feed",
         {{L_FEED, 3, 3, 0}, {L_ADD_WITHIN, 1, 2, 1}, {L_ANSWER, 1, 0, 1}},
         3},
        /* The next feed counts it in its lease: 2 served, nothing subtracted. */
        {"acknowledged, then a fresh feed",
         {{L_FEED, 3, 3, 0}, {L_ADD_WITHIN, 1, 2, 1}, {L_ANSWER, 1, 0, 1}, {L_FEED, 2, 2, 0}},
         4},
        /* Unsent when the next feed was requested: the hub's lease still
         * counts it as unused, the kiosk subtracts it. */
        {"unsent across a feed",
         {{L_FEED, 3, 3, 0}, {L_ADD_WITHIN, 2, 1, 2}, {L_FEED, 3, 1, 2}},
         3},
        /* A sign-up that asked the hub takes nothing of the lease. */
        {"asked beyond the lease",
         {{L_FEED, 1, 1, 0}, {L_ADD_ASKED, 3, 1, 3}},
         2},
        {"used up", {{L_FEED, 2, 2, 0}, {L_ADD_WITHIN, 2, 0, 2}}, 2},
        {"no lease", {{L_FEED, 0, 0, 0}, {L_ADD_ASKED, 1, 0, 1}}, 2},
    };
    struct fixture *f = *state;
    int64_t occ = at("2026-12-20T17:00:00+01:00");
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        assert_int_equal(sqlite3_exec(store_db(f->store), "DELETE FROM outbox;"
                                      " DELETE FROM meta WHERE key = '" STORE_META_FEED_REQUEST_SEQ "'",
                                      NULL, NULL, NULL), SQLITE_OK);
        char ids[8][OUTBOX_ID_LEN + 1];
        size_t n_ids = 0;
        for (size_t k = 0; k < rows[i].n; k++) {
            const struct lease_step *st = &rows[i].steps[k];
            switch (st->kind) {
            case L_FEED:
                feed_requested(f);
                apply_lease_feed(f, st->n);
                break;
            case L_ADD_WITHIN:
            case L_ADD_ASKED: {
                struct signup_request r = request("act-kerst", occ, st->n);
                r.within_lease = st->kind == L_ADD_WITHIN;
                add(f, &r, (int64_t)k + 1, ids[n_ids++]);
                break;
            }
            case L_ANSWER:
                assert_true(outbox_record_final(f->store, ids[st->n - 1], "confirmed", 0, NULL, 99));
                break;
            }
            int64_t left = -1;
            assert_true(outbox_lease_left(f->store, "act-kerst", occ, &left));
            int64_t held = outbox_pending_places(f->store, "act-kerst", occ);
            if (left != st->left || held != st->held)
                fail_msg("row '%s', step %zu: lease left %lld (want %lld), held %lld (want %lld)",
                         rows[i].name, k + 1, (long long)left, (long long)st->left,
                         (long long)held, (long long)st->held);
        }
    }
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void test_uuid_v4(void **state)
{
    enum { N = 10000 };
    char (*ids)[OUTBOX_ID_LEN + 1] = calloc(N, sizeof *ids);
    assert_non_null(ids);
    for (int i = 0; i < N; i++) {
        outbox_new_id(ids[i]);
        const char *id = ids[i];
        assert_int_equal(strlen(id), OUTBOX_ID_LEN);
        for (int k = 0; k < OUTBOX_ID_LEN; k++) {
            if (k == 8 || k == 13 || k == 18 || k == 23)
                assert_int_equal(id[k], '-');
            else
                assert_non_null(strchr("0123456789abcdef", id[k]));
        }
        assert_int_equal(id[14], '4');
        assert_non_null(strchr("89ab", id[19]));
    }
    qsort(ids, N, sizeof *ids, compare_ids);
    for (int i = 1; i < N; i++)
        assert_string_not_equal(ids[i - 1], ids[i]);
    free(ids);
}

/* Free bytes on the same file system, read twice: equal but for what
 * other processes wrote in between (1 GiB of slack). */
static void assert_about(uint64_t a, uint64_t b)
{
    uint64_t diff = a > b ? a - b : b - a;
    assert_true(diff < (1ull << 30));
}

static void test_disk_free(void **state)
{
    struct fixture *f = *state;
    int64_t mb = -1;
    assert_true(outbox_disk_free_mb(f->store, &mb));
    assert_true(mb >= 0);

    /* A directory counts as itself; a file, existing or not yet, as the
     * directory it is in. */
    uint64_t in_dir = 0, of_file = 0, of_new_file = 0, of_bare_name = 0;
    assert_true(disk_free_bytes(f->dir, &in_dir));
    assert_true(disk_free_bytes(f->path, &of_file));
    char new_file[TEMP_STORE_DIR_LEN + 16];
    snprintf(new_file, sizeof new_file, "%s/not-yet.db", f->dir);
    assert_true(disk_free_bytes(new_file, &of_new_file));
    assert_true(disk_free_bytes("kiosk.db", &of_bare_name)); /* in "." */
    assert_about(in_dir, of_file);
    assert_about(in_dir, of_new_file);
    assert_about((uint64_t)mb * 1024 * 1024, of_file);

    /* Nothing to measure: false, the output untouched. */
    uint64_t untouched = 42;
    assert_false(disk_free_bytes(NULL, &untouched));
    assert_false(disk_free_bytes("", &untouched));
    assert_false(disk_free_bytes("/no-such-dir-for-bk/sub/kiosk.db", &untouched));
    assert_int_equal(untouched, 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_then_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_refuses_nonsense, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_oldest_first_and_max, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_final_erases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_attempt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_final_answer_leaves_no_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocked_checkpoint_is_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_while_answering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expire_with_an_unset_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_answered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_places, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lease_left, setup, teardown),
        cmocka_unit_test(test_uuid_v4),
        cmocka_unit_test_setup_teardown(test_disk_free, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
