/*
 * Texts the screens put together from the catalogs and the content:
 * dates, times, places left, ids. Each rule is written here once.
 *
 * Nothing here asks the C library's locale (no strftime names, no
 * setlocale): weekdays, months and counts come from the catalogs, since a
 * kiosk image has no locales installed and the resident picks the
 * language on screen.
 */
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"
#include "screens/screens.h"

const char *ui_tr(const struct ui *ui, const char *key)
{
    return tr(ui->env.catalogs, ui->lang, key);
}

const char *ui_tr_n(const struct ui *ui, const char *key, long long n)
{
    return tr_plural(ui->env.catalogs, ui->lang, key, n);
}

int64_t ui_now_s(const struct ui *ui)
{
    return clock_now_s(ui->env.clock);
}

void ui_format_time(int64_t t, char *buf, size_t len)
{
    struct local_time lt;
    tz_to_local(t, &lt);
    snprintf(buf, len, "%02d:%02d", lt.hour, lt.minute);
}

static void format_day(const struct ui *ui, int64_t t, char *buf, size_t len, bool is_long)
{
    struct local_time lt;
    tz_to_local(t, &lt);
    char day_key[32], month_key[32];
    snprintf(day_key, sizeof day_key, "day.%s.%d", is_long ? "long" : "short", lt.wday);
    snprintf(month_key, sizeof month_key, "month.%s.%d", is_long ? "long" : "short", lt.month);
    snprintf(buf, len, "%s %d %s", ui_tr(ui, day_key), lt.day, ui_tr(ui, month_key));
}

void ui_format_day_short(const struct ui *ui, int64_t t, char *buf, size_t len)
{
    format_day(ui, t, buf, len, false);
}

void ui_format_day_long(const struct ui *ui, int64_t t, char *buf, size_t len)
{
    format_day(ui, t, buf, len, true);
}

void ui_format_when(const struct ui *ui, int64_t start, int64_t end, char *buf, size_t len)
{
    char day[64], s[8], e[8];
    ui_format_day_long(ui, start, day, sizeof day);
    ui_format_time(start, s, sizeof s);
    char time[24];
    if (end > start) {
        ui_format_time(end, e, sizeof e);
        snprintf(time, sizeof time, "%s\xE2\x80\x93%s", s, e);
    } else {
        snprintf(time, sizeof time, "%s", s);
    }
    /* The comma is the language's own ("،" in Arabic). */
    char with_day[160];
    ui_fill(ui_tr(ui, "date.day_time"), "{day}", day, with_day, sizeof with_day);
    ui_fill(with_day, "{time}", time, buf, len);
}

void ui_fill(const char *text, const char *slot, const char *value, char *buf, size_t len)
{
    const char *at = strstr(text, slot);
    if (!at) {
        snprintf(buf, len, "%s", text);
        return;
    }
    snprintf(buf, len, "%.*s%s%s", (int)(at - text), text, value, at + strlen(slot));
}

void ui_fill_number(const char *text, long long n, char *buf, size_t len)
{
    char number[24];
    snprintf(number, sizeof number, "%lld", n);
    ui_fill(text, "{n}", number, buf, len);
}

void ui_format_count(const struct ui *ui, const char *key, long long n, char *buf, size_t len)
{
    ui_fill_number(ui_tr_n(ui, key, n), n, buf, len);
}

bool ui_format_updated(const struct ui *ui, char *buf, size_t len)
{
    char hhmm[8], day[48], with_time[160];
    int64_t at = ui->last_sync_ok_at, now = ui_now_s(ui);
    ui_format_time(at, hhmm, sizeof hhmm);
    if (tz_start_of_day(at) == tz_start_of_day(now)) {
        ui_fill(ui_tr(ui, "footer.updated"), "{time}", hhmm, buf, len);
        return false;
    }
    /* Not today: the day too, and after a day without a good sync a
     * warning that what is shown may be out of date. */
    bool stale = now - at >= 24 * 3600;
    ui_format_day_short(ui, at, day, sizeof day);
    ui_fill(ui_tr(ui, stale ? "footer.updated.stale" : "footer.updated.day"), "{day}", day,
            with_time, sizeof with_time);
    ui_fill(with_time, "{time}", hhmm, buf, len);
    return stale;
}

void ui_format_places(const struct ui *ui, int64_t left, const char *full_key, char *buf,
                      size_t len)
{
    if (left <= 0)
        snprintf(buf, len, "%s", ui_tr(ui, full_key));
    else
        ui_format_count(ui, "places.left", left, buf, len);
}

void ui_occurrence_id(const char *activity_id, int64_t starts_at, char *buf, size_t len)
{
    struct local_time lt;
    tz_to_local(starts_at, &lt);
    snprintf(buf, len, "activity.%s.%04d%02d%02dT%02d%02d", activity_id, lt.year, lt.month, lt.day,
             lt.hour, lt.minute);
}

void ui_service_id(const char *service_id, char *buf, size_t len)
{
    snprintf(buf, len, "service.%s", service_id);
}

void ui_announcement_id(const char *announcement_id, char *buf, size_t len)
{
    snprintf(buf, len, "announcement.%s", announcement_id);
}

void ui_filter_window(const struct ui *ui, enum time_filter filter, int64_t *from, int64_t *until)
{
    int64_t now = ui_now_s(ui);
    int64_t today = tz_start_of_day(now);
    struct local_time lt;
    tz_to_local(today, &lt);
    int days = filter == FILTER_TODAY ? 1 : filter == FILTER_WEEK ? 7 : STORE_WINDOW_DAYS;
    civil_add_days(&lt, days);
    lt.hour = lt.minute = lt.second = 0;
    *until = tz_from_local(&lt);
    /* "today" lists what starts today and has not ended yet. */
    *from = today;
}

const char *ui_location_line(const struct ui *ui, struct frame *f, const char *location_id)
{
    const struct location_item *loc = content_location(&ui->content, location_id);
    if (!loc)
        return NULL;
    return loc->address ? frame_printf(f, "%s, %s", loc->name, loc->address) : loc->name;
}
