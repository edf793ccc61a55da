/*
 * HTML for the staff console: escaping, the page frame with its plain CSS
 * (inline, so that the login page needs no asset and no request leaves
 * the hub), and the console's texts in Dutch and English.
 *
 * Everything a page shows that came from the database or a request goes
 * through hub_html_text(), which escapes the five characters HTML gives a
 * meaning to; attributes are always quoted with ".
 */
#ifndef BK_HUB_HTML_H
#define BK_HUB_HTML_H

#include <stdbool.h>
#include <stdio.h>

/* The console's languages: Dutch first. */
enum hub_lang { HUB_LANG_NL, HUB_LANG_EN, HUB_LANG_COUNT };

/* The page's language: ?lang=nl|en when given (query, may be NULL), else
 * the first of nl and en that Accept-Language names (may be NULL), else
 * Dutch. *explicit tells whether the query chose it, so that links keep
 * it. */
enum hub_lang hub_html_lang_pick(const char *query, const char *accept_language,
                                 bool *explicit_choice);

/* "nl" or "en". */
const char *hub_html_lang_code(enum hub_lang lang);

/* Writes text (NULL writes nothing) with & < > " ' escaped. Control
 * characters other than tab and line breaks become spaces. */
void hub_html_text(FILE *out, const char *text);

/* Every text the console shows, by what it says. */
enum hub_msg {
    MSG_CONSOLE,
    MSG_LOGIN_TITLE,
    MSG_USERNAME,
    MSG_PASSWORD,
    MSG_LOG_IN,
    MSG_LOGIN_FAILED,
    MSG_LOGIN_LIMITED,
    MSG_LOG_OUT,
    MSG_LOGGED_IN_AS,
    MSG_WEEK_TITLE,
    MSG_NOTHING_THIS_DAY,
    MSG_TIME,
    MSG_ACTIVITY,
    MSG_LOCATION,
    MSG_CONFIRMED,
    MSG_WAITING,
    MSG_TO_CALL,
    MSG_SIGNUPS,
    MSG_LIST_TITLE,
    MSG_NAME,
    MSG_PHONE,
    MSG_PARTY,
    MSG_REMARK,
    MSG_POSITION,
    MSG_CALL,
    MSG_CALL_MARK,
    MSG_WHY,
    MSG_FULL,
    MSG_CLOSED,
    MSG_MOVED_UP,
    MSG_NO_SIGNUPS,
    MSG_PRINT,
    MSG_CSV,
    MSG_BACK,
    MSG_PLACES,
    MSG_NOT_FOUND,
    MSG_FORBIDDEN,
    MSG_ERROR,
    MSG_OTHER_LANGUAGE,
    /* The navigation every logged-in page carries. */
    MSG_NAV,
    MSG_NAV_WEEK,
    MSG_NAV_ACTIVITIES,
    MSG_NAV_SERVICES,
    MSG_NAV_ANNOUNCEMENTS,
    MSG_NAV_KIOSKS,
    MSG_NAV_AUDIT,
    MSG_ADD_ACTIVITY,
    MSG_SAVE,
    MSG_FORM_HAS_ERRORS,
    MSG_COUNT
};

const char *hub_html_msg(enum hub_lang lang, enum hub_msg msg);

/* The page up to <main>: doctype, language, title, CSS (print CSS with
 * print), and a header with the user's name and a logout form carrying
 * csrf when username is not NULL. */
void hub_html_begin(FILE *out, enum hub_lang lang, const char *title, bool print,
                    const char *username, const char *csrf, const char *lang_query);

/* Closes what hub_html_begin opened. */
void hub_html_end(FILE *out);

#endif
