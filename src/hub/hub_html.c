#include "hub/hub_html.h"

#include <string.h>
#include <strings.h>

enum hub_lang hub_html_lang_pick(const char *query, const char *accept_language,
                                 bool *explicit_choice)
{
    *explicit_choice = false;
    if (query && (strcmp(query, "en") == 0 || strcmp(query, "nl") == 0)) {
        *explicit_choice = true;
        return query[0] == 'e' ? HUB_LANG_EN : HUB_LANG_NL;
    }
    /* The first tag that is nl or en decides (quality values aside:
     * browsers list languages in the order of preference). */
    const char *p = accept_language;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncasecmp(p, "nl", 2) == 0 && (p[2] == '\0' || strchr(",;- ", p[2])))
            return HUB_LANG_NL;
        if (strncasecmp(p, "en", 2) == 0 && (p[2] == '\0' || strchr(",;- ", p[2])))
            return HUB_LANG_EN;
        p = strchr(p, ',');
    }
    return HUB_LANG_NL;
}

const char *hub_html_lang_code(enum hub_lang lang)
{
    return lang == HUB_LANG_EN ? "en" : "nl";
}

void hub_html_text(FILE *out, const char *text)
{
    /* Runs of plain bytes go out in one write: pages with thousands of
     * rows spent most of their time locking the stream per byte. */
    const char *p = text ? text : "";
    for (;;) {
        size_t run = strcspn(p, "&<>\"'\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
        if (run)
            fwrite(p, 1, run, out);
        p += run;
        switch (*p) {
        case '\0': return;
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(' ', out); break;   /* a control character other than tab and line breaks */
        }
        p++;
    }
}

static const char *const messages[MSG_COUNT][HUB_LANG_COUNT] = {
    [MSG_CONSOLE] = {"Buurthub beheer", "Buurthub console"},
    [MSG_LOGIN_TITLE] = {"Inloggen", "Log in"},
    [MSG_USERNAME] = {"Gebruikersnaam", "Username"},
    [MSG_PASSWORD] = {"Wachtwoord", "Password"},
    [MSG_LOG_IN] = {"Inloggen", "Log in"},
    [MSG_LOGIN_FAILED] = {"Gebruikersnaam of wachtwoord klopt niet.",
                          "The username or password is wrong."},
    [MSG_LOGIN_LIMITED] = {"Te veel mislukte pogingen. Probeer het later opnieuw.",
                           "Too many failed attempts. Please try again later."},
    [MSG_LOG_OUT] = {"Uitloggen", "Log out"},
    [MSG_LOGGED_IN_AS] = {"Ingelogd als", "Logged in as"},
    [MSG_WEEK_TITLE] = {"Vandaag en deze week", "Today and this week"},
    [MSG_NOTHING_THIS_DAY] = {"Geen activiteiten.", "No activities."},
    [MSG_TIME] = {"Tijd", "Time"},
    [MSG_ACTIVITY] = {"Activiteit", "Activity"},
    [MSG_LOCATION] = {"Locatie", "Location"},
    [MSG_CONFIRMED] = {"Aangemeld", "Confirmed"},
    [MSG_WAITING] = {"Wachtlijst", "Waiting list"},
    [MSG_TO_CALL] = {"Bellen", "To call"},
    [MSG_SIGNUPS] = {"Aanmeldingen", "Sign-ups"},
    [MSG_LIST_TITLE] = {"Aanmeldingen", "Sign-ups"},
    [MSG_NAME] = {"Naam", "Name"},
    [MSG_PHONE] = {"Telefoon", "Phone"},
    [MSG_PARTY] = {"Personen", "People"},
    [MSG_REMARK] = {"Opmerking", "Remark"},
    [MSG_POSITION] = {"Plaats", "Position"},
    [MSG_CALL] = {"Terugbellen", "Call back"},
    [MSG_CALL_MARK] = {"bellen", "bellen"},
    [MSG_WHY] = {"Reden", "Reason"},
    [MSG_FULL] = {"vol", "full"},
    [MSG_CLOSED] = {"aanmelding gesloten", "sign-up closed"},
    [MSG_MOVED_UP] = {"van de wachtlijst", "moved up from the waiting list"},
    [MSG_NO_SIGNUPS] = {"Geen aanmeldingen.", "No sign-ups."},
    [MSG_PRINT] = {"Afdrukken", "Print"},
    [MSG_CSV] = {"CSV (spreadsheet)", "CSV (spreadsheet)"},
    [MSG_BACK] = {"Terug naar de week", "Back to the week"},
    [MSG_PLACES] = {"plaatsen", "places"},
    [MSG_NOT_FOUND] = {"Niet gevonden.", "Not found."},
    [MSG_FORBIDDEN] = {"Niet toegestaan.", "Forbidden."},
    [MSG_ERROR] = {"Er ging iets mis. Probeer het opnieuw.", "Something went wrong. Try again."},
    [MSG_OTHER_LANGUAGE] = {"English", "Nederlands"},
    [MSG_NAV] = {"Menu", "Menu"},
    [MSG_NAV_WEEK] = {"Deze week", "This week"},
    [MSG_NAV_ACTIVITIES] = {"Activiteiten", "Activities"},
    [MSG_NAV_SERVICES] = {"Hulp en diensten", "Help and services"},
    [MSG_NAV_ANNOUNCEMENTS] = {"Mededelingen", "Announcements"},
    [MSG_NAV_KIOSKS] = {"Kiosks", "Kiosks"},
    [MSG_NAV_AUDIT] = {"Logboek", "Audit log"},
    [MSG_ADD_ACTIVITY] = {"Activiteit toevoegen", "Add activity"},
    [MSG_SAVE] = {"Opslaan", "Save"},
    [MSG_FORM_HAS_ERRORS] = {"Niet opgeslagen: verbeter wat hieronder rood staat.",
                             "Not saved: correct what is marked in red below."},
};

const char *hub_html_msg(enum hub_lang lang, enum hub_msg msg)
{
    if ((unsigned)msg >= MSG_COUNT || (unsigned)lang >= HUB_LANG_COUNT)
        return "";
    return messages[msg][lang];
}

/* Plain CSS: readable at 200 % zoom (relative units, wrapping tables),
 * visible focus for keyboard users. */
static const char screen_css[] =
    "body{font-family:system-ui,sans-serif;font-size:1.1rem;line-height:1.5;margin:0;"
    "color:#111;background:#fff}"
    "header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:"
    "space-between;padding:.5rem 1rem;background:#1d4e89;color:#fff}"
    "header a{color:#fff}main{padding:1rem;max-width:70rem}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}"
    "th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "caption{text-align:left;font-weight:bold;padding:.3rem 0}"
    "label{display:block;margin-top:.8rem;font-weight:bold}"
    "input,select,textarea{font-size:1.1rem;padding:.3rem;max-width:100%}"
    "textarea{width:40rem;min-height:6rem}fieldset{margin-top:1rem;border:1px solid #999}"
    "nav.main{background:#e8eef6;padding:0 1rem}nav.main ul{margin:0;padding:.4rem 0}"
    "button{font-size:1.1rem;padding:.3rem 1rem;margin-top:1rem}"
    "a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f5a623;"
    "outline-offset:2px}"
    ".error{color:#a00;font-weight:bold}.call{font-weight:bold;color:#a00}"
    "nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}"
    /* An occurrence's list and the kiosks (lists): its buttons small and
     * side by side where they fit, and cells that break a long word rather
     * than push the page sideways at 640 px (200 % zoom). */
    "th,td{overflow-wrap:anywhere}form.inline{display:inline}"
    /* The week's cells break between words where they can (at 640 px
     * "Aangemeld" and a title's words fit whole), its times never. */
    "table.week th,table.week td{overflow-wrap:break-word}"
    "table.week td:first-child{white-space:nowrap}"
    "td.actions button{margin:.15rem 0;padding:.2rem .5rem;font-size:1rem}"
    ".notice{border-left:.4rem solid #1d4e89;padding:.3rem .8rem;background:#eef3f9}"
    ".kiosk{border:1px solid #999;padding:0 1rem 1rem;margin-bottom:1rem}"
    ".kiosk dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.2rem 1rem}"
    ".kiosk dd{margin:0}.warning{border-left:.4rem solid #a00;padding-left:.6rem}";

/* One A4 page for up to 30 sign-ups: small type, tight rows, no header. */
static const char print_css[] =
    "@page{size:A4;margin:12mm}"
    "body{font-family:sans-serif;font-size:9.5pt;line-height:1.2;margin:0}"
    "h1{font-size:13pt;margin:0 0 4pt}h2{font-size:11pt;margin:6pt 0 2pt}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:0.5pt solid #000;padding:1.5pt 3pt;text-align:left}"
    ".call{font-weight:bold}.noprint{display:none}"
    "@media screen{body{margin:1rem;max-width:190mm}.noprint{display:block}}";

void hub_html_begin(FILE *out, enum hub_lang lang, const char *title, bool print,
                    const char *username, const char *csrf, const char *lang_query)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                 "<title>", hub_html_lang_code(lang));
    hub_html_text(out, title);
    fputs(" – ", out);
    hub_html_text(out, hub_html_msg(lang, MSG_CONSOLE));
    fprintf(out, "</title><style>%s</style></head><body>", print ? print_css : screen_css);
    if (!print) {
        fputs("<header><a href=\"/admin/", out);
        hub_html_text(out, lang_query);
        fputs("\">", out);
        hub_html_text(out, hub_html_msg(lang, MSG_CONSOLE));
        fputs("</a>", out);
        if (username) {
            fputs("<span>", out);
            hub_html_text(out, hub_html_msg(lang, MSG_LOGGED_IN_AS));
            fputs(" ", out);
            hub_html_text(out, username);
            fputs("</span><form method=\"post\" action=\"/admin/logout\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"", out);
            hub_html_text(out, csrf);
            fputs("\"><button type=\"submit\">", out);
            hub_html_text(out, hub_html_msg(lang, MSG_LOG_OUT));
            fputs("</button></form>", out);
        }
        fputs("</header>", out);
        if (username) {
            static const struct {
                const char *path;
                enum hub_msg label;
            } nav[] = {
                {"/admin/", MSG_NAV_WEEK},
                {"/admin/activities", MSG_NAV_ACTIVITIES},
                {"/admin/services", MSG_NAV_SERVICES},
                {"/admin/announcements", MSG_NAV_ANNOUNCEMENTS},
                {"/admin/kiosks", MSG_NAV_KIOSKS},
                {"/admin/audit", MSG_NAV_AUDIT},
            };
            fputs("<nav class=\"main\" aria-label=\"", out);
            hub_html_text(out, hub_html_msg(lang, MSG_NAV));
            fputs("\"><ul>", out);
            for (size_t i = 0; i < sizeof nav / sizeof *nav; i++) {
                fprintf(out, "<li><a href=\"%s", nav[i].path);
                hub_html_text(out, lang_query);
                fputs("\">", out);
                hub_html_text(out, hub_html_msg(lang, nav[i].label));
                fputs("</a></li>", out);
            }
            fputs("</ul></nav>", out);
        }
    }
    fputs("<main>", out);
}

void hub_html_end(FILE *out)
{
    fputs("</main></body></html>\n", out);
}
