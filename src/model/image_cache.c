#include "model/image_cache.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "model/store_private.h"

#define TAG "images"

/* Stored error texts are cut to this many bytes (they are libcurl's and
 * SDL_image's words, never personal data). */
#define ERROR_MAX_BYTES 200

/* Every URL an activity or a service names, once. */
#define NAMED_URLS                                                                                \
    "SELECT image AS url FROM activity WHERE image IS NOT NULL AND image <> ''"                   \
    " UNION SELECT image FROM service WHERE image IS NOT NULL AND image <> ''"
/* The same with the least item id naming each URL. */
#define NAMED_URLS_BY                                                                             \
    "SELECT url, min(item) AS item FROM (SELECT image AS url, id AS item FROM activity"          \
    "  WHERE image IS NOT NULL AND image <> '' UNION ALL SELECT image, id FROM service"          \
    "  WHERE image IS NOT NULL AND image <> '') GROUP BY url"

void image_cache_names(const char *url, char file[IMAGE_CACHE_NAME_MAX],
                       char thumb[IMAGE_CACHE_NAME_MAX])
{
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)url, strlen(url), NULL, 0);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    snprintf(file, IMAGE_CACHE_NAME_MAX, "%s.png", hex);
    snprintf(thumb, IMAGE_CACHE_NAME_MAX, "%s-thumb.png", hex);
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool png_size(const unsigned char *b, size_t len, int *w, int *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /* signature, then the first chunk, which must be IHDR of 13 bytes */
    if (len < 24 || memcmp(b, sig, sizeof sig) != 0 || be32(b + 8) != 13 ||
        memcmp(b + 12, "IHDR", 4) != 0)
        return false;
    uint32_t width = be32(b + 16), height = be32(b + 20);
    if (width == 0 || height == 0 || width > INT32_MAX || height > INT32_MAX)
        return false;
    *w = (int)width;
    *h = (int)height;
    return true;
}

static bool jpeg_size(const unsigned char *b, size_t len, int *w, int *h)
{
    if (len < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return false;
    size_t i = 2;
    while (i + 4 <= len) {
        if (b[i] != 0xFF)
            return false;
        unsigned marker = b[i + 1];
        if (marker == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (marker == 0xD8 || marker == 0xD9 || marker == 0xDA)
            return false; /* a second start, the end, or scan data before any frame */
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += 2; /* markers without a length */
            continue;
        }
        unsigned seg = be16(b + i + 2);
        if (seg < 2 || i + 2 + seg > len)
            return false;
        bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                   marker != 0xCC;
        if (sof) {
            if (seg < 7)
                return false;
            unsigned height = be16(b + i + 5), width = be16(b + i + 7);
            if (width == 0 || height == 0)
                return false; /* a height in a later DNL: not for a kiosk */
            *w = (int)width;
            *h = (int)height;
            return true;
        }
        i += 2 + seg;
    }
    return false;
}

bool image_cache_header_size(const unsigned char *body, size_t len, int *w, int *h)
{
    return body && (png_size(body, len, w, h) || jpeg_size(body, len, w, h));
}

bool image_cache_dir(struct store *store, char *buf, size_t len)
{
    const char *db = sqlite3_db_filename(store_db(store), "main");
    if (!db || !*db)
        return false;
    int n = snprintf(buf, len, "%s-images", db);
    return n > 0 && (size_t)n < len;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error(TAG, "%s", sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

static bool step_done(sqlite3 *db, sqlite3_stmt *st)
{
    bool ok = st && sqlite3_step(st) == SQLITE_DONE;
    if (st && !ok)
        log_error(TAG, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return ok;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static char *dup_column(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? strdup((const char *)s) : NULL;
}

struct due_list {
    struct image_due *rows;
    size_t n, cap;
};

static void due_list_free(struct due_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->rows[i].url);
        free((char *)l->rows[i].item_id);
        free((char *)l->rows[i].etag);
        free((char *)l->rows[i].last_modified);
    }
    free(l->rows);
}

bool image_cache_due(struct store *store, int64_t now, image_due_fn fn, void *ctx)
{
    sqlite3 *db = store_db(store);
    sqlite3_stmt *st = prepare(
        db, "SELECT n.url, i.etag, i.last_modified, i.file IS NOT NULL, n.item"
            " FROM (" NAMED_URLS_BY ") n"
            " LEFT JOIN image i ON i.url = n.url"
            " WHERE i.url IS NULL"
            "  OR (i.error IS NOT NULL AND i.error_at <= ?1 - ?3)"
            "  OR (i.error IS NULL AND i.file IS NOT NULL AND i.checked_at <= ?1 - ?2)"
            " ORDER BY n.url");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, IMAGE_CACHE_RECHECK_S);
    sqlite3_bind_int64(st, 3, IMAGE_CACHE_RETRY_S);
    /* Read them all first: fn fetches and records, and a write while the
     * statement is still stepping would be read back by it. */
    struct due_list list = {0};
    int rc;
    bool ok = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (list.n == list.cap) {
            size_t cap = list.cap ? 2 * list.cap : 16;
            struct image_due *rows = realloc(list.rows, cap * sizeof *rows);
            if (!rows) {
                ok = false;
                break;
            }
            list.rows = rows;
            list.cap = cap;
        }
        bool has_copy = sqlite3_column_int(st, 3) != 0;
        struct image_due *d = &list.rows[list.n++];
        *d = (struct image_due){
            .url = dup_column(st, 0),
            .item_id = dup_column(st, 4),
            /* the validators describe the kept copy: without one, a 304
             * would leave nothing to show */
            .etag = has_copy ? dup_column(st, 1) : NULL,
            .last_modified = has_copy ? dup_column(st, 2) : NULL,
            .has_copy = has_copy,
        };
        if (!d->url || !d->item_id) {
            ok = false;
            break;
        }
    }
    if (ok && rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(db));
        ok = false;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; ok && i < list.n; i++)
        if (!fn(ctx, &list.rows[i]))
            break;
    due_list_free(&list);
    return ok;
}

bool image_cache_record_kept(struct store *store, const char *url, int w, int h, int tw, int th,
                             const char *etag, const char *last_modified, int64_t now)
{
    char file[IMAGE_CACHE_NAME_MAX], thumb[IMAGE_CACHE_NAME_MAX];
    image_cache_names(url, file, thumb);
    sqlite3 *db = store_db(store);
    sqlite3_stmt *st = prepare(
        db, "INSERT OR REPLACE INTO image(url, file, width, height, thumb, thumb_width,"
            " thumb_height, etag, last_modified, fetched_at, checked_at, error, error_at)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, NULL, NULL)");
    if (!st)
        return false;
    bind_text(st, 1, url);
    bind_text(st, 2, file);
    sqlite3_bind_int(st, 3, w);
    sqlite3_bind_int(st, 4, h);
    bind_text(st, 5, thumb);
    sqlite3_bind_int(st, 6, tw);
    sqlite3_bind_int(st, 7, th);
    bind_text(st, 8, etag);
    bind_text(st, 9, last_modified);
    sqlite3_bind_int64(st, 10, now);
    return step_done(db, st);
}

bool image_cache_record_unchanged(struct store *store, const char *url, int64_t now)
{
    sqlite3 *db = store_db(store);
    sqlite3_stmt *st = prepare(db, "UPDATE image SET checked_at = ?2, error = NULL,"
                                   " error_at = NULL WHERE url = ?1");
    if (!st)
        return false;
    bind_text(st, 1, url);
    sqlite3_bind_int64(st, 2, now);
    return step_done(db, st);
}

bool image_cache_record_error(struct store *store, const char *url, const char *error,
                              int64_t now)
{
    sqlite3 *db = store_db(store);
    /* A new URL gets a row without a file; a known one keeps its copy. */
    sqlite3_stmt *st = prepare(db, "INSERT INTO image(url, error, error_at) VALUES(?1, ?2, ?3)"
                                   " ON CONFLICT(url) DO UPDATE SET error = ?2, error_at = ?3");
    if (!st)
        return false;
    char cut[ERROR_MAX_BYTES + 1];
    snprintf(cut, sizeof cut, "%s", error && *error ? error : "failed");
    bind_text(st, 1, url);
    bind_text(st, 2, cut);
    sqlite3_bind_int64(st, 3, now);
    return step_done(db, st);
}

/* True when name is a file some remaining row keeps. */
static bool kept_name(sqlite3 *db, sqlite3_stmt *st, const char *name, bool *ok)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(db));
        *ok = false;
        return true; /* in doubt, keep it */
    }
    return rc == SQLITE_ROW;
}

bool image_cache_collect(struct store *store, const char *dir, size_t *removed)
{
    sqlite3 *db = store_db(store);
    size_t count = 0;
    if (removed)
        *removed = 0;
    if (!step_done(db, prepare(db, "DELETE FROM image WHERE url NOT IN (" NAMED_URLS ")")))
        return false;
    DIR *d = opendir(dir);
    if (!d)
        return true; /* no directory: no file to remove */
    sqlite3_stmt *st =
        prepare(db, "SELECT 1 FROM image WHERE file = ?1 OR thumb = ?1 LIMIT 1");
    bool ok = st != NULL;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        if (kept_name(db, st, e->d_name, &ok))
            continue;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        if (unlink(path) == 0)
            count++;
        else
            log_warn(TAG, "cannot remove %s: %s", path, strerror(errno));
    }
    closedir(d);
    sqlite3_finalize(st);
    if (removed)
        *removed = count;
    return ok;
}

bool image_cache_items(struct store *store, const char *kind, const char *id, image_row_fn fn,
                       void *ctx)
{
    char dir[4096];
    if (!image_cache_dir(store, dir, sizeof dir))
        return true; /* an in-memory database keeps no files */
    bool service = strcmp(kind, "service") == 0;
    sqlite3 *db = store_db(store);
    sqlite3_stmt *st = prepare(
        db, service ? "SELECT v.id, i.file, i.width, i.height, i.thumb, i.thumb_width,"
                      " i.thumb_height FROM service v JOIN image i ON i.url = v.image"
                      " WHERE i.file IS NOT NULL AND (?1 IS NULL OR v.id = ?1) ORDER BY v.id"
                    : "SELECT a.id, i.file, i.width, i.height, i.thumb, i.thumb_width,"
                      " i.thumb_height FROM activity a JOIN image i ON i.url = a.image"
                      " WHERE i.file IS NOT NULL AND (?1 IS NULL OR a.id = ?1) ORDER BY a.id");
    if (!st)
        return false;
    bind_text(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char path[4200], thumb[4200];
        snprintf(path, sizeof path, "%s/%s", dir, (const char *)sqlite3_column_text(st, 1));
        const unsigned char *t = sqlite3_column_text(st, 4);
        snprintf(thumb, sizeof thumb, "%s/%s", dir, t ? (const char *)t : "");
        struct image_row row = {
            .item_id = (const char *)sqlite3_column_text(st, 0),
            .path = path,
            .thumb_path = t ? thumb : path,
            .w = sqlite3_column_int(st, 2),
            .h = sqlite3_column_int(st, 3),
            .thumb_w = sqlite3_column_int(st, t ? 5 : 2),
            .thumb_h = sqlite3_column_int(st, t ? 6 : 3),
        };
        if (row.w <= 0 || row.h <= 0 || row.thumb_w <= 0 || row.thumb_h <= 0)
            continue;
        if (!fn(ctx, &row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    bool ok = rc == SQLITE_DONE;
    if (!ok)
        log_error(TAG, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return ok;
}
