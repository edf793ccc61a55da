#include "hub/hub_audit.h"

#include "base/log.h"
#include "base/timeutil.h"

static const char *const action_names[HUB_AUDIT_ACTION_COUNT] = {
    [HUB_AUDIT_STAFF_ADD] = "staff.add",
    [HUB_AUDIT_STAFF_PASSWORD] = "staff.password",
    [HUB_AUDIT_STAFF_REMOVE] = "staff.remove",
    [HUB_AUDIT_LOGIN] = "login",
    [HUB_AUDIT_LOGOUT] = "logout",
    [HUB_AUDIT_ACTIVITY_ADD] = "activity.add",
    [HUB_AUDIT_ACTIVITY_EDIT] = "activity.edit",
    [HUB_AUDIT_ACTIVITY_CANCEL] = "activity.cancel",
    [HUB_AUDIT_ACTIVITY_CANCEL_DATE] = "activity.cancel-date",
    [HUB_AUDIT_SERVICE_ADD] = "service.add",
    [HUB_AUDIT_SERVICE_EDIT] = "service.edit",
    [HUB_AUDIT_SERVICE_REMOVE] = "service.remove",
    [HUB_AUDIT_ANNOUNCEMENT_ADD] = "announcement.add",
    [HUB_AUDIT_ANNOUNCEMENT_EDIT] = "announcement.edit",
    [HUB_AUDIT_ANNOUNCEMENT_REMOVE] = "announcement.remove",
    [HUB_AUDIT_SIGNUP_ADD] = "signup.add",
    [HUB_AUDIT_SIGNUP_CANCEL] = "signup.cancel",
    [HUB_AUDIT_SIGNUP_ATTEND] = "signup.attend",
    [HUB_AUDIT_KIOSK_ENROL] = "kiosk.enrol",
    [HUB_AUDIT_KIOSK_TOKEN] = "kiosk.token",
    [HUB_AUDIT_KIOSK_REMOVE] = "kiosk.remove",
};

const char *hub_audit_action_name(enum hub_audit_action action)
{
    return (unsigned)action < HUB_AUDIT_ACTION_COUNT ? action_names[action] : "?";
}

bool hub_audit_record(struct hub_db *db, int64_t at, const char *who,
                      enum hub_audit_action action, const char *item)
{
    static const char sql[] = "INSERT INTO audit(at, who, action, item) VALUES(?1, ?2, ?3, ?4)";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, at);
    hub_db_bind_text(st, 2, who);
    hub_db_bind_text(st, 3, hub_audit_action_name(action));
    hub_db_bind_text(st, 4, item);
    return hub_db_step_done(db, st);
}

bool hub_audit_record_alone(struct hub_db *db, int64_t at, const char *who,
                            enum hub_audit_action action, const char *item)
{
    if (hub_db_begin_write(db) && hub_audit_record(db, at, who, action, item) &&
        hub_db_commit(db))
        return true;
    hub_db_rollback(db);
    log_error("audit", "%s %s: the audit row was not written", hub_audit_action_name(action),
              item ? item : "-");
    return false;
}

bool hub_audit_print(struct hub_db *db, FILE *out)
{
    static const char sql[] = "SELECT at, who, action, item FROM audit ORDER BY rowid";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        char when[RFC3339_LEN];
        rfc3339_format_local(sqlite3_column_int64(st, 0), when);
        const char *item = hub_db_column_text(st, 3);
        fprintf(out, "%s %s %s %s\n", when, hub_db_column_text(st, 1),
                hub_db_column_text(st, 2), item ? item : "-");
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}
