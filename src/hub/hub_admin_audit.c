/*
 * The console's audit page (issue 13): the newest 200 rows of the audit
 * log, newest first: when, who, what, and the id of the item. The log
 * holds no personal data (hub_audit.h), so nothing here needs hiding but
 * other people's work: a coordinator sees every row, staff of some
 * locations only their own (docs/spec-notes.md: an item id does not say
 * which location it belongs to once the item is gone, and other staff
 * members' names are not theirs to see).
 */
#include <inttypes.h>
#include <string.h>

#include "base/timeutil.h"
#include "hub/hub_admin_page.h"

#define AUDIT_ROWS 200

enum text { T_TITLE, T_INTRO_ALL, T_INTRO_OWN, T_WHEN, T_WHO, T_ACTION, T_ITEM, T_EMPTY,
            T_COUNT };

static const char *const texts[T_COUNT][HUB_LANG_COUNT] = {
    [T_TITLE] = {"Logboek", "Audit log"},
    [T_INTRO_ALL] = {"De laatste 200 wijzigingen, de nieuwste eerst.",
                     "The latest 200 changes, newest first."},
    [T_INTRO_OWN] = {"Uw laatste 200 wijzigingen, de nieuwste eerst.",
                     "Your latest 200 changes, newest first."},
    [T_WHEN] = {"Wanneer", "When"},
    [T_WHO] = {"Wie", "Who"},
    [T_ACTION] = {"Wat", "What"},
    [T_ITEM] = {"Onderdeel", "Item"},
    [T_EMPTY] = {"Nog niets.", "Nothing yet."},
};

enum MHD_Result admin_audit_page(const struct admin_ctx *cx)
{
    /* ?1 NULL: every row (a coordinator). */
    static const char sql[] = "SELECT at, who, action, item FROM audit"
                              " WHERE ?1 IS NULL OR who = ?1 ORDER BY rowid DESC LIMIT ?2";
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    bool coordinator = cx->session->locations == NULL;
    admin_page_begin(&o, cx, texts[T_TITLE][o.lang]);
    fprintf(o.f, "<h1>%s</h1><p>%s</p>", texts[T_TITLE][o.lang],
            texts[coordinator ? T_INTRO_ALL : T_INTRO_OWN][o.lang]);
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    bool ok = db && hub_db_begin_read(db);
    sqlite3_stmt *st = ok ? hub_db_prepare(db, sql) : NULL;
    ok = st != NULL;
    if (ok) {
        hub_db_bind_text(st, 1, coordinator ? NULL : cx->session->username);
        sqlite3_bind_int(st, 2, AUDIT_ROWS);
        int rc, rows = 0;
        while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
            if (rows++ == 0)
                fprintf(o.f, "<table id=\"audit\"><thead><tr><th scope=\"col\">%s</th>"
                             "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                             "<th scope=\"col\">%s</th></tr></thead><tbody>",
                        texts[T_WHEN][o.lang], texts[T_WHO][o.lang], texts[T_ACTION][o.lang],
                        texts[T_ITEM][o.lang]);
            char when[RFC3339_LEN];
            rfc3339_format_local(sqlite3_column_int64(st, 0), when);
            fprintf(o.f, "<tr><td><time datetime=\"%s\">%.10s %.8s</time></td><td>", when, when,
                    when + 11);
            hub_html_text(o.f, hub_db_column_text(st, 1));
            fputs("</td><td>", o.f);
            hub_html_text(o.f, hub_db_column_text(st, 2));
            fputs("</td><td>", o.f);
            const char *item = hub_db_column_text(st, 3);
            hub_html_text(o.f, item ? item : "–");
            fputs("</td></tr>", o.f);
        }
        sqlite3_reset(st);
        ok = rc == SQLITE_DONE;
        if (rows)
            fputs("</tbody></table>", o.f);
        else
            fprintf(o.f, "<p>%s</p>", texts[T_EMPTY][o.lang]);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(cx->opts->pool, db);
    hub_html_end(o.f);
    if (!ok) {
        admin_out_discard(&o);
        return admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return admin_out_send(&o, cx->c, MHD_HTTP_OK, true, NULL, NULL);
}
