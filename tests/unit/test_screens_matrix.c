/*
 * Every screen, in every language, at every supported size, measured by
 * the real renderer (SDL_ttf and HarfBuzz through renderer_measure), so
 * that every line break and every button width is the one a kiosk lays
 * out. For every visible widget of every frame built on the way:
 *
 *   1. nothing is cut short (clipped, text_overflows, a drawn line that
 *      ends in an ellipsis or sticks out of its clip), except what the
 *      policy in docs/spec-notes.md allows: feed texts in the rows of the
 *      activity, service and staff lists. Interface strings never;
 *   2. every tappable widget is at least THEME_MIN_TARGET px square and on
 *      screen (inside its list's viewport when it is in one);
 *   3. no character of a label, a text or a drawn line lacks a font
 *      (renderer_missing_glyph), with feed texts in Arabic, Cyrillic and
 *      Ethiopic patched into the sample feed to prove it.
 *
 * Problems are collected, not stopped at, so that one run lists them all;
 * a summary of what was covered is printed for CI's log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <SDL.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "base/timeutil.h"
#include "model/i18n.h"
#include "model/store.h"
#include "model/store_private.h" /* the raw connection, to take a walk's sign-up back */
#include "screens/ui.h"
#include "sdl/render.h"
#include "view/frame.h"
#include "view/icons.h"
#include "view/theme.h"

static const char *const languages[] = {"nl", "en", "tr", "ar", "pl", "uk"};
#define N_LANGS (sizeof languages / sizeof *languages)

/* automation-v1's supported sizes, each side of the range and both ways up. */
static const int sizes[][2] = {{800, 480},  {480, 800},   {1280, 800},
                               {800, 1280}, {1080, 1920}, {1920, 1080}};
#define N_SIZES (sizeof sizes / sizeof *sizes)

/* Large text and high contrast together, for every language, at these
 * sizes (indexes into sizes): the two smallest, where room is shortest. */
static const size_t large_sizes[] = {0, 1, 2, 3, 4, 5};
#define N_LARGE (sizeof large_sizes / sizeof *large_sizes)

#define MAX_PROBLEMS 400
#define GLYPH_MEMO 8192   /* power of two */
#define ID_MAX 192

/* Feed texts in other scripts, patched into the sample feed. A NULL lang
 * replaces the text with only the strings of the rows that follow for the
 * same field, so that a Dutch screen shows it in its only script. */
static const struct {
    const char *array, *id, *field, *lang, *text;
} feed_patches[] = {
    {"activities", "act-koffieochtend-sleutel", "title", "ar", "صباح القهوة"},
    {"activities", "act-koffieochtend-sleutel", "title", "uk", "Ранкова кава"},
    {"activities", "act-koffieochtend-sleutel", "title", "tr", "Kahve sabahı"},
    {"activities", "act-koffieochtend-sleutel", "title", "pl", "Poranna kawa"},
    {"activities", "act-koffieochtend-sleutel", "summary", "ar",
     "قهوة وشاي وحديث مع الجيران كل يوم ثلاثاء."},
    {"activities", "act-koffieochtend-sleutel", "summary", "uk",
     "Щовівторка кава, чай і розмова з сусідами."},
    {"activities", "act-huiswerkbegeleiding", "title", "ar", "مساعدة في الواجبات المدرسية"},
    {"activities", "act-huiswerkbegeleiding", "title", "uk", "Допомога з домашніми завданнями"},
    /* Ethiopic only: every interface shows it, with its fallback note. */
    {"activities", "act-welkom-nieuwkomers", "title", NULL, NULL},
    {"activities", "act-welkom-nieuwkomers", "title", "ti", "እንቋዕ ብደሓን መጻእኩም፡ ንሓደሽቲ ተቐማጦ"},
    /* Arabic only, and Cyrillic only: on a Dutch screen too. */
    {"activities", "act-taalcafe-bieb", "title", NULL, NULL},
    {"activities", "act-taalcafe-bieb", "title", "ar", "مقهى اللغة: تدرّب على الهولندية"},
    {"activities", "act-repaircafe", "title", NULL, NULL},
    {"activities", "act-repaircafe", "title", "uk", "Ремонтне кафе"},
    {"services", "svc-wijkteam", "name", NULL, NULL},
    {"services", "svc-wijkteam", "name", "uk", "Команда району"},
    {"services", "svc-wijkteam", "name", "ar", "فريق الحي"},
    {"locations", "loc-nieuwe-sleutel", "name", "ar", "مركز الحي دي نيووي سلوتل"},
    {"locations", "loc-nieuwe-sleutel", "name", "ti", "ማእከል ሰፈር"},
    {"announcements", "ann-feestdagen-gesloten", "text", "ar",
     "تنبيه: مراكز الحي مغلقة بعد ظهر يومي الخميس 24 و31 ديسمبر."},
    {"announcements", "ann-feestdagen-gesloten", "text", "uk",
     "Увага: 24 і 31 грудня після обіду центри закриті."},
};

struct matrix {
    char dir[64];
    struct store *store;
    struct config *config;
    struct catalogs *catalogs;
    struct clock clock;
    SDL_Surface *surface;
    SDL_Renderer *sdl;
    struct renderer *rd;
    /* Occurrences found in the list once, opened in every walk. */
    char open_id[ID_MAX], full_id[ID_MAX], waitlist_id[ID_MAX], fields_id[ID_MAX];
    /* Where the walk is, for messages and the summary. */
    size_t lang, size;
    const char *mode;
    const char *step;
    /* What was checked. */
    size_t frames[N_LANGS][N_SIZES];
    size_t large_frames[N_LANGS];
    size_t widgets, targets, lines;
    bool seen[SCREEN_COUNT];
    /* Each problem once per language, size and mode, with the first step
     * that met it and how often it came back. */
    size_t n_problems;
    struct {
        char what[320];
        char first_step[80];
        size_t times;
    } problems[MAX_PROBLEMS];
    uint64_t glyph_ok[GLYPH_MEMO];
    struct {
        uint64_t key;
        int width;
    } widths[GLYPH_MEMO];
};

/* ---- the feed ---- */

static json_t *by_id(json_t *array, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v)
    {
        const char *have = json_string_value(json_object_get(v, "id"));
        if (have && strcmp(have, id) == 0)
            return v;
    }
    return NULL;
}

/* The sample feed with feed_patches applied, as JSON text (malloc'd). */
static char *patched_feed(const char *path)
{
    json_error_t err;
    json_t *feed = json_load_file(path, 0, &err);
    if (!feed)
        fail_msg("%s: %s", path, err.text);
    json_t *langs = json_object_get(feed, "languages");
    static const char *const more[] = {"tr", "ar", "pl", "uk", "ti"};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        json_array_append_new(langs, json_string(more[i]));
    for (size_t i = 0; i < sizeof feed_patches / sizeof *feed_patches; i++) {
        json_t *item = by_id(json_object_get(feed, feed_patches[i].array), feed_patches[i].id);
        if (!item)
            fail_msg("the sample feed has no %s", feed_patches[i].id);
        json_t *text = json_object_get(item, feed_patches[i].field);
        if (!feed_patches[i].lang || !json_is_object(text)) {
            json_t *fresh = json_object();
            if (feed_patches[i].lang && json_is_string(text))
                json_object_set_new(fresh, "nl", json_string(json_string_value(text)));
            json_object_set_new(item, feed_patches[i].field, fresh);
            text = fresh;
        }
        if (feed_patches[i].lang)
            json_object_set_new(text, feed_patches[i].lang, json_string(feed_patches[i].text));
    }
    char *body = json_dumps(feed, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(feed);
    assert_non_null(body);
    return body;
}

/* ---- set-up ---- */

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return -1;
    struct matrix *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    *state = m;
    snprintf(m->dir, sizeof m->dir, "/tmp/bk-matrix-XXXXXX");
    if (!mkdtemp(m->dir))
        return -1;
    /* A renderer only to measure with: nothing is drawn. */
    m->surface = SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, SDL_PIXELFORMAT_RGB888);
    m->sdl = m->surface ? SDL_CreateSoftwareRenderer(m->surface) : NULL;
    char err[256] = "";
    m->rd = m->sdl ? renderer_new(m->sdl, err, sizeof err) : NULL;
    if (!m->rd) {
        fprintf(stderr, "renderer_new: %s\n", err);
        return -1;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/kiosk.db", m->dir);
    m->store = store_open(path, err, sizeof err);
    const char *assets = getenv("BK_ASSETS");
    if (!m->store || !assets)
        return -1;
    snprintf(path, sizeof path, "%s/sample-feed.json", assets);
    char *body = patched_feed(path);
    int64_t now = 0;
    if (!rfc3339_parse("2026-11-25T10:00:00+01:00", &now))
        return -1;
    struct feed_report report;
    enum feed_result r = store_apply_feed(m->store, body, strlen(body), NULL, now, &report);
    feed_report_clear(&report);
    free(body);
    if (r != FEED_ACCEPTED) {
        fprintf(stderr, "the patched feed was refused (%d)\n", (int)r);
        return -1;
    }
    m->catalogs = catalogs_load(BK_CATALOG_DIR, languages, N_LANGS, err, sizeof err);
    m->config = config_new();
    if (!m->catalogs || !m->config) {
        fprintf(stderr, "catalogs: %s\n", err);
        return -1;
    }
    char set[crypto_pwhash_STRBYTES + 64];
    snprintf(set, sizeof set, "ui.languages=%s,%s,%s,%s,%s,%s", languages[0], languages[1],
             languages[2], languages[3], languages[4], languages[5]);
    if (!config_set(m->config, set, err, sizeof err) ||
        !config_set(m->config, "kiosk.hub=https://hub.example.org", err, sizeof err))
        return -1;
    /* Staff PIN 246813, hashed cheaply: a test, not security. */
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, "246813", 6, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN))
        return -1;
    snprintf(set, sizeof set, "staff.pin_hash=%s", hash);
    if (!config_set(m->config, set, err, sizeof err))
        return -1;
    clock_init_manual(&m->clock, now);
    return 0;
}

static int teardown(void **state)
{
    struct matrix *m = *state;
    if (!m)
        return 0;
    config_free(m->config);
    catalogs_free(m->catalogs);
    store_close(m->store);
    renderer_free(m->rd);
    if (m->sdl)
        SDL_DestroyRenderer(m->sdl);
    SDL_FreeSurface(m->surface);
    SDL_Quit();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", m->dir);
    int rc = system(cmd);
    free(m);
    return rc == 0 ? 0 : -1;
}

static struct ui *make_ui(struct matrix *m, int w, int h)
{
    /* The hub the config names is what run.c turns into has_hub: sign-up
     * is offered, and a stored sign-up shows signup-done at once. */
    struct ui_env env = {
        .store = m->store,
        .config = m->config,
        .catalogs = m->catalogs,
        .clock = &m->clock,
        .measure = renderer_measure,
        .measure_ctx = m->rd,
        .has_hub = m->config->kiosk_hub != NULL,
    };
    struct ui *ui = ui_new(&env, w, h);
    assert_non_null(ui);
    return ui;
}

/* ---- the checks ---- */

static void problem(struct matrix *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct matrix *m, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char line[320];
    snprintf(line, sizeof line, "%s %dx%d%s: %s", languages[m->lang], sizes[m->size][0],
             sizes[m->size][1], m->mode, msg);
    size_t kept = m->n_problems < MAX_PROBLEMS ? m->n_problems : MAX_PROBLEMS;
    for (size_t i = 0; i < kept; i++)
        if (strcmp(m->problems[i].what, line) == 0) {
            m->problems[i].times++;
            return;
        }
    if (m->n_problems < MAX_PROBLEMS) {
        snprintf(m->problems[m->n_problems].what, sizeof m->problems[0].what, "%s", line);
        snprintf(m->problems[m->n_problems].first_step, sizeof m->problems[0].first_step, "%s",
                 m->step);
        m->problems[m->n_problems].times = 1;
    }
    m->n_problems++;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with_ellipsis(const char *s)
{
    size_t n = strlen(s);
    return n >= 3 && strcmp(s + n - 3, "\xE2\x80\xA6") == 0;
}

/* The policy (docs/spec-notes.md, "What may be shortened"): a row of the
 * activity or service list (and of search's hits, which are the same
 * rows) may shorten its feed title and its one line of details, and the
 * staff list of items the feed name of a row, because
 * the details screen (or the feed itself) has them whole. Nothing else:
 * not a button, toggle, key, field, title, heading or any catalog string. */
static bool may_shorten(const struct frame *f, const struct widget *w)
{
    if (w->list < 0 || (size_t)w->list >= f->n_widgets)
        return false;
    const char *list = f->widgets[w->list].id;
    if (w->role == ROLE_ITEM)
        return strcmp(list, "activities.list") == 0 || strcmp(list, "services.list") == 0 ||
               strcmp(list, "search.list") == 0;
    if (w->role == ROLE_TEXT && !*w->id)
        return strcmp(list, "staff.items.list") == 0;
    return false;
}

static bool tappable(enum widget_role role)
{
    return role == ROLE_BUTTON || role == ROLE_TOGGLE || role == ROLE_KEY || role == ROLE_ITEM ||
           role == ROLE_INPUT;
}

static bool inside(struct rect r, struct rect outer)
{
    return r.x >= outer.x && r.y >= outer.y && r.x + r.w <= outer.x + outer.w &&
           r.y + r.h <= outer.y + outer.h;
}

static uint64_t hash_text(uint64_t h, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    return h | 1; /* 0 marks an empty slot */
}

/* The first character of text no font draws, remembering text that was
 * fine: the same labels come back on every frame. */
static unsigned missing_glyph(struct matrix *m, const char *text, enum font_weight weight)
{
    if (!text || !*text)
        return 0;
    uint64_t h = (hash_text(0xcbf29ce484222325u, text) ^ (uint64_t)weight) * 0x100000001b3u | 1;
    size_t slot = (size_t)h & (GLYPH_MEMO - 1);
    for (size_t probe = 0; probe < 8; probe++) {
        uint64_t v = m->glyph_ok[(slot + probe) & (GLYPH_MEMO - 1)];
        if (v == h)
            return 0;
        if (v == 0)
            break;
    }
    unsigned cp = renderer_missing_glyph(m->rd, text, weight);
    if (cp == 0)
        for (size_t probe = 0; probe < 8; probe++) {
            uint64_t *v = &m->glyph_ok[(slot + probe) & (GLYPH_MEMO - 1)];
            if (*v == 0) {
                *v = h;
                break;
            }
        }
    return cp;
}

/* The width of a drawn line, remembered: measuring is the slow part, and
 * the same lines come back on every page and every keyboard. */
static int line_width(struct matrix *m, const struct draw_cmd *d, bool rtl)
{
    /* The size, weight and direction go through the hash as bytes of their
     * own: folded into the seed they collided with one-letter texts ("A"
     * at 42 px had the key of another letter at another size). */
    uint64_t key = hash_text(0xcbf29ce484222325u, d->text);
    uint64_t params[] = {(uint64_t)d->font_px, (uint64_t)d->weight, (uint64_t)rtl};
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        key = ((key ^ params[i]) * 0x100000001b3u) | 1;
    size_t slot = (size_t)key & (GLYPH_MEMO - 1);
    if (m->widths[slot].key == key)
        return m->widths[slot].width;
    int w = renderer_measure(m->rd, d->text, strlen(d->text), d->font_px, d->weight, rtl);
    m->widths[slot].key = key;
    m->widths[slot].width = w;
    return w;
}

/* The innermost visible widget holding a point, or NULL. */
static const struct widget *widget_at(const struct frame *f, int x, int y)
{
    const struct widget *best = NULL;
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (!w->visible || w->role == ROLE_SCREEN || w->role == ROLE_LIST ||
            w->role == ROLE_OVERLAY || !rect_contains(w->rect, x, y))
            continue;
        if (!best || (long)w->rect.w * w->rect.h <= (long)best->rect.w * best->rect.h)
            best = w;
    }
    return best;
}

static void check_widgets(struct matrix *m, const struct frame *f)
{
    struct rect screen = {0, 0, f->width, f->height};
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (!w->visible)
            continue;
        m->widgets++;
        const char *name = *w->id ? w->id : w->label;
        /* 1. Nothing cut short that the policy does not allow. */
        if (w->text_overflows)
            problem(m, "%s: text overflows (\"%s\")", name, w->label);
        else if (w->clipped && !may_shorten(f, w))
            problem(m, "%s: drawn cut short (\"%s\")", name, w->label);
        /* 2. Targets: big enough, and where a finger can reach them. */
        if (tappable(w->role)) {
            m->targets++;
            if (w->rect.w < THEME_MIN_TARGET || w->rect.h < THEME_MIN_TARGET)
                problem(m, "%s: target %dx%d, under %d px", name, w->rect.w, w->rect.h,
                        THEME_MIN_TARGET);
        }
        if (w->list < 0) {
            if (w->role != ROLE_SCREEN && !inside(w->rect, screen))
                problem(m, "%s at %d,%d %dx%d is not wholly on screen", name, w->rect.x, w->rect.y,
                        w->rect.w, w->rect.h);
        } else if (!inside(w->clip, f->widgets[w->list].rect)) {
            problem(m, "%s shows outside its list %s", name, f->widgets[w->list].id);
        }
        /* 3. Every character has a font. */
        unsigned cp = missing_glyph(m, w->label, FONT_REGULAR);
        if (!cp)
            cp = missing_glyph(m, w->text, FONT_REGULAR);
        if (cp)
            problem(m, "%s: no font draws U+%04X", name, cp);
    }
}

/* Ids of the main choices, each of which must show its pictogram (issue
 * 11: every home tile, theme, topic, back, home, the a11y toggles). */
static bool needs_icon(const char *id)
{
    static const char *const exact[] = {"nav.back",           "nav.home",      "home.search",
                                        "home.activities",    "home.services", "home.announcements",
                                        "attract.help",       "a11y.contrast", "a11y.large",
                                        "a11y.speak",         "a11y.volume"};
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (strcmp(id, exact[i]) == 0)
            return true;
    return starts_with(id, "topic.") || starts_with(id, "filter.theme.");
}

/* 4. Pictograms: on every main choice, never under 48 px, whole inside
 * their button; a row of language choices is led by the globe, on its
 * start side, so that a resident who reads none of the names sees what
 * the row is for. */
static void check_icons(struct matrix *m, const struct frame *f)
{
    const struct widget *first_lang = NULL;
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (!w->visible)
            continue;
        const char *name = *w->id ? w->id : w->label;
        if (!w->icon && needs_icon(w->id))
            problem(m, "%s: no pictogram", name);
        if (!first_lang && starts_with(w->id, "lang."))
            first_lang = w;
        if (!w->icon)
            continue;
        if (!icon_named(w->icon))
            problem(m, "%s: pictogram \"%s\" is not in the table", name, w->icon);
        if (w->icon_rect.w < ICON_MIN_PX || w->icon_rect.h < ICON_MIN_PX)
            problem(m, "%s: pictogram %dx%d, under %d px", name, w->icon_rect.w,
                    w->icon_rect.h, ICON_MIN_PX);
        if (tappable(w->role) && !inside(w->icon_rect, w->rect))
            problem(m, "%s: pictogram outside its button", name);
    }
    if (!first_lang)
        return;
    const struct icon *globe = icon_named("language");
    bool led = false;
    for (size_t i = 0; i < f->n_cmds && !led; i++) {
        const struct draw_cmd *d = &f->cmds[i];
        if (d->op != DRAW_ICON || d->icon_cp != globe->cp)
            continue;
        struct rect r = first_lang->rect;
        bool same_row = d->rect.y < r.y + r.h && r.y < d->rect.y + d->rect.h;
        bool before = f->rtl ? d->rect.x >= r.x + r.w : d->rect.x + d->rect.w <= r.x;
        led = same_row && before && d->rect.w >= ICON_MIN_PX;
    }
    if (!led)
        problem(m, "%s: the language choice is not led by its pictogram", first_lang->id);
}

/* What is drawn, line by line: the widgets say what they hold, the draw
 * list shows what a resident sees. A line that leaves its clip, or that
 * was shortened with "…" where no widget says so, is cut all the same. */
static void check_lines(struct matrix *m, const struct frame *f)
{
    for (size_t i = 0; i < f->n_cmds; i++) {
        const struct draw_cmd *d = &f->cmds[i];
        if (d->op != DRAW_TEXT || !d->text || !*d->text || rect_empty(d->clip))
            continue;
        int mid_y = d->rect.y + d->rect.h / 2;
        if (mid_y < d->clip.y || mid_y >= d->clip.y + d->clip.h)
            continue; /* scrolled out of its list's view */
        m->lines++;
        int tw = line_width(m, d, f->rtl);
        const struct widget *w = widget_at(f, d->rect.x + (tw > 2 ? tw / 2 : 1), mid_y);
        const char *name = w ? (*w->id ? w->id : w->label) : "(no widget)";
        bool allowed = w && may_shorten(f, w);
        if (!allowed && (d->rect.x < d->clip.x - 1 || d->rect.x + tw > d->clip.x + d->clip.w + 1))
            problem(m, "\"%s\" (%d px wide at x %d) leaves its clip %d..%d in %s", d->text, tw,
                    d->rect.x, d->clip.x, d->clip.x + d->clip.w, name);
        if (!allowed && ends_with_ellipsis(d->text) && !(w && ends_with_ellipsis(w->label)))
            problem(m, "\"%s\" shortened in %s", d->text, name);
        unsigned cp = missing_glyph(m, d->text, d->weight);
        if (cp)
            problem(m, "\"%s\" in %s: no font draws U+%04X", d->text, name, cp);
    }
}

static void look(struct matrix *m, struct ui *ui, const char *step)
{
    const struct frame *f = ui_frame(ui);
    m->step = step;
    m->seen[ui_screen(ui)] = true;
    if (*m->mode)
        m->large_frames[m->lang]++;
    else
        m->frames[m->lang][m->size]++;
    if (f->width != sizes[m->size][0] || f->height != sizes[m->size][1])
        problem(m, "frame is %dx%d", f->width, f->height);
    check_widgets(m, f);
    check_lines(m, f);
    check_icons(m, f);
}

/* ---- driving ---- */

static void advance(struct matrix *m, struct ui *ui, int64_t ms)
{
    int64_t end = clock_now_ms(&m->clock) + ms;
    while (clock_now_ms(&m->clock) < end) {
        int64_t step = end - clock_now_ms(&m->clock);
        clock_advance_ms(&m->clock, step > 16 ? 16 : step);
        ui_tick(ui);
    }
}

static void tap_at(struct matrix *m, struct ui *ui, int x, int y)
{
    ui_touch_down(ui, x, y);
    advance(m, ui, 80);
    ui_touch_up(ui, x, y);
}

static const struct widget *find(struct ui *ui, const char *id)
{
    return frame_find_id(ui_frame(ui), id);
}

static void tap_id(struct matrix *m, struct ui *ui, const char *id)
{
    const struct widget *w = find(ui, id);
    if (!w || !w->visible || !w->enabled)
        fail_msg("%s %dx%d%s %s: no visible widget %s on %s", languages[m->lang],
                 sizes[m->size][0], sizes[m->size][1], m->mode, m->step, id,
                 screen_name(ui_screen(ui)));
    tap_at(m, ui, w->clip.x + w->clip.w / 2, w->clip.y + w->clip.h / 2);
}

static void expect_screen(struct matrix *m, struct ui *ui, enum screen s)
{
    if (ui_screen(ui) != s)
        fail_msg("%s %dx%d%s %s: on %s, not %s", languages[m->lang], sizes[m->size][0],
                 sizes[m->size][1], m->mode, m->step, screen_name(ui_screen(ui)), screen_name(s));
}

static const struct widget *first_with_prefix(struct ui *ui, const char *prefix)
{
    const struct frame *f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets; i++)
        if (starts_with(f->widgets[i].id, prefix) && f->widgets[i].visible)
            return &f->widgets[i];
    return NULL;
}

/* The first widget built with the prefix, in view or scrolled away
 * (filters that lead a list scroll with it). */
static const struct widget *first_built_with_prefix(struct ui *ui, const char *prefix)
{
    const struct frame *f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets; i++)
        if (starts_with(f->widgets[i].id, prefix))
            return &f->widgets[i];
    return NULL;
}

/* The screen's scrolling list, or NULL when it has none. */
static const struct widget *the_list(struct ui *ui)
{
    const struct frame *f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets; i++)
        if (f->widgets[i].role == ROLE_LIST && f->widgets[i].visible && f->widgets[i].rect.h > 0)
            return &f->widgets[i];
    return NULL;
}

/* The first item of the list in view: what tells whether a drag moved it. */
static void first_in_view(struct ui *ui, char *out, size_t len)
{
    const struct frame *f = ui_frame(ui);
    out[0] = '\0';
    for (size_t i = 0; i < f->n_widgets; i++)
        if (f->widgets[i].list >= 0 && f->widgets[i].visible) {
            snprintf(out, len, "%s|%s|%d", f->widgets[i].id, f->widgets[i].label,
                     f->widgets[i].rect.y);
            return;
        }
}

/* Drags the list up by dy px, slowly enough not to fling. */
static void drag_list(struct matrix *m, struct ui *ui, int dy)
{
    const struct widget *l = the_list(ui);
    if (!l)
        return;
    int x = l->rect.x + l->rect.w / 2;
    int y0 = dy > 0 ? l->rect.y + l->rect.h - 4 : l->rect.y + 4;
    ui_touch_down(ui, x, y0);
    /* Past the tap slop first, so that a short drag is a drag. */
    ui_touch_move(ui, x, dy > 0 ? y0 - dy - 40 : y0 - dy + 40);
    ui_touch_move(ui, x, y0 - dy);
    advance(m, ui, 120); /* a finger at rest before it lifts */
    ui_touch_up(ui, x, y0 - dy);
    advance(m, ui, 50);
}

/* Looks at every page of the screen's list, top to bottom, calling
 * found(id) for every item that shows; leaves the list at its end. */
static void every_page(struct matrix *m, struct ui *ui, const char *step,
                       void (*found)(struct matrix *, const char *), bool check)
{
    char before[ID_MAX + 64], after[ID_MAX + 64];
    /* a loop guard: "all" activities in large text at 800x480 take some
     * 90 pages of three quarters of a short viewport */
    for (int page = 0; page < 200; page++) {
        if (check)
            look(m, ui, step);
        if (found) {
            const struct frame *f = ui_frame(ui);
            for (size_t i = 0; i < f->n_widgets; i++)
                if (f->widgets[i].visible && f->widgets[i].role == ROLE_ITEM)
                    found(m, f->widgets[i].id);
        }
        const struct widget *l = the_list(ui);
        if (!l || l->rect.h < 4 * THEME_MIN_TARGET / 2)
            return;
        first_in_view(ui, before, sizeof before);
        drag_list(m, ui, l->rect.h * 3 / 4);
        first_in_view(ui, after, sizeof after);
        if (strcmp(before, after) == 0)
            return;
    }
    problem(m, "%s: the list never ended", step);
}

/* Brings item id into view (the list at its top first) and taps it. */
static void open_item(struct matrix *m, struct ui *ui, const char *id)
{
    char selector[ID_MAX + 2];
    snprintf(selector, sizeof selector, "#%s", id);
    for (int tries = 0; tries < 80; tries++) {
        struct rect item, viewport;
        if (!ui_locate(ui, selector, &item, &viewport))
            fail_msg("%s %dx%d %s: no %s", languages[m->lang], sizes[m->size][0],
                     sizes[m->size][1], m->step, id);
        if (item.y >= viewport.y && item.y + item.h <= viewport.y + viewport.h) {
            tap_id(m, ui, id);
            return;
        }
        int dy = item.y - viewport.y;
        if (dy > viewport.h * 3 / 4)
            dy = viewport.h * 3 / 4;
        if (dy < -viewport.h * 3 / 4)
            dy = -viewport.h * 3 / 4;
        drag_list(m, ui, dy);
    }
    fail_msg("%s: could not scroll to %s", m->step, id);
}

static void hold(struct matrix *m, struct ui *ui, int x, int y, int64_t ms)
{
    ui_touch_down(ui, x, y);
    advance(m, ui, ms);
    ui_touch_up(ui, x, y);
}

/* A tap on attract that lands on no language: the way home. */
static void leave_attract(struct matrix *m, struct ui *ui)
{
    const struct frame *f = ui_frame(ui);
    static const int spots[][2] = {{10, 10}, {50, 50}, {2, 2}, {-10, -10}};
    for (size_t i = 0; i < sizeof spots / sizeof *spots; i++) {
        int x = spots[i][0] < 0 ? f->width + spots[i][0] : spots[i][0];
        int y = spots[i][1] < 0 ? f->height + spots[i][1] : spots[i][1];
        const struct widget *w = frame_hit(f, x, y);
        if (w && w->role == ROLE_SCREEN) {
            tap_at(m, ui, x, y);
            expect_screen(m, ui, SCREEN_HOME);
            return;
        }
    }
    fail_msg("%s: no free spot on attract", m->step);
}

/* Types into the focused field with the first letter keys of the layout
 * on screen: a name in the language's own script. */
static void type_letters(struct matrix *m, struct ui *ui, size_t n)
{
    char ids[8][32];
    size_t k = 0;
    const struct frame *f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets && k < n && k < 8; i++) {
        const struct widget *w = &f->widgets[i];
        /* A letter key's id is key. and its own character. */
        if (w->role == ROLE_KEY && w->visible && strlen(w->id) > 4 &&
            strcmp(w->id + 4, w->label) == 0 && !(w->label[0] >= '0' && w->label[0] <= '9'))
            snprintf(ids[k++], sizeof ids[0], "%s", w->id);
    }
    if (k < n)
        fail_msg("%s: only %zu letter keys", m->step, k);
    for (size_t i = 0; i < k; i++)
        tap_id(m, ui, ids[i]);
}

static void type_digits(struct matrix *m, struct ui *ui, const char *digits)
{
    for (const char *p = digits; *p; p++) {
        char id[16];
        snprintf(id, sizeof id, "key.%c", *p);
        tap_id(m, ui, id);
    }
}

/* The sign-up form: each field in focus (on every layout, shifted and
 * not, when every_layout: the other forms share the keyboards), then
 * without the keyboard. */
static void walk_form(struct matrix *m, struct ui *ui, const char *what, bool every_layout)
{
    char step[96];
    expect_screen(m, ui, SCREEN_SIGNUP);
    for (int field = 0; field < 6 && find(ui, "key.next"); field++) {
        if (every_layout && find(ui, "key.layout")) {
            for (int layout = 0; layout < 3; layout++) {
                snprintf(step, sizeof step, "%s field %d layout %d", what, field, layout);
                look(m, ui, step);
                tap_id(m, ui, "key.shift");
                snprintf(step, sizeof step, "%s field %d layout %d shifted", what, field, layout);
                look(m, ui, step);
                tap_id(m, ui, "key.shift");
                tap_id(m, ui, "key.layout");
            }
        } else {
            snprintf(step, sizeof step, "%s field %d", what, field);
            look(m, ui, step);
        }
        tap_id(m, ui, "key.next");
    }
    snprintf(step, sizeof step, "%s without keyboard", what);
    look(m, ui, step);
}

/* ---- the walk ---- */

static void set_string(char **field, const char *value)
{
    free(*field);
    *field = strdup(value);
    assert_non_null(*field);
}

static void remember_ids(struct matrix *m, const char *id)
{
    static const struct {
        const char *prefix;
        size_t offset;
    } wanted[] = {
        {"activity.act-rouwgroep.", offsetof(struct matrix, full_id)},
        {"activity.act-kookles.", offsetof(struct matrix, waitlist_id)},
        {"activity.act-wijkschouw-kruiskamp.", offsetof(struct matrix, fields_id)},
        {"activity.act-huiswerkbegeleiding.20261125T1530", offsetof(struct matrix, open_id)},
    };
    for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
        char *slot = (char *)m + wanted[i].offset;
        if (!*slot && starts_with(id, wanted[i].prefix))
            snprintf(slot, ID_MAX, "%s", id);
    }
}

/* One language at one size: every screen a resident or staff member can
 * reach, with large text and high contrast when large. */
static void walk(struct matrix *m, size_t lang, size_t size, bool large)
{
    int w = sizes[size][0], h = sizes[size][1];
    m->lang = lang;
    m->size = size;
    m->mode = large ? " large+contrast" : "";
    m->step = "start";
    set_string(&m->config->staff_language, languages[lang]);
    struct ui *ui = make_ui(m, w, h);
    assert_true(ui_set_language(ui, languages[lang]));
    look(m, ui, "attract");
    leave_attract(m, ui);
    if (large) {
        tap_id(m, ui, "a11y.large");
        tap_id(m, ui, "a11y.contrast");
    }
    look(m, ui, "home");
    /* Read-aloud adds a11y.volume to the footer, which then may wrap: on,
     * seen, and off again (two taps while it is on: the first says it). */
    tap_id(m, ui, "a11y.speak");
    look(m, ui, "home (read-aloud)");
    tap_id(m, ui, "a11y.speak");
    tap_id(m, ui, "a11y.speak");
    if (frame_find_id(ui_frame(ui), "a11y.volume"))
        fail_msg("read-aloud did not switch off");

    m->step = "activities";
    tap_id(m, ui, "home.activities");
    every_page(m, ui, "activities (week)", NULL, true);
    open_item(m, ui, "filter.today");
    every_page(m, ui, "activities (today)", NULL, true);
    open_item(m, ui, "filter.all");
    every_page(m, ui, "activities (all)", remember_ids, true);
    /* A theme narrows the time filter; a second tap clears it. */
    const struct widget *theme = first_built_with_prefix(ui, "filter.theme.");
    assert_non_null(theme);
    char theme_id[ID_MAX];
    snprintf(theme_id, sizeof theme_id, "%s", theme->id);
    open_item(m, ui, theme_id);
    every_page(m, ui, "activities (a theme)", NULL, true);
    open_item(m, ui, theme_id);
    if (!*m->open_id || !*m->full_id || !*m->waitlist_id || !*m->fields_id)
        fail_msg("the list lacks an activity the walk opens (found \"%s\", \"%s\", \"%s\", \"%s\")",
                 m->open_id, m->full_id, m->waitlist_id, m->fields_id);

    /* Sign-up open: the details, the form on each keyboard, done. */
    m->step = "activity (open)";
    open_item(m, ui, m->open_id);
    every_page(m, ui, "activity (sign-up open)", NULL, true);
    open_item(m, ui, "activity.signup");
    walk_form(m, ui, "signup", true);
    tap_id(m, ui, "nav.back");
    expect_screen(m, ui, SCREEN_ACTIVITY);
    tap_id(m, ui, "nav.back");
    /* Full, no waiting list: closed. */
    m->step = "activity (full)";
    open_item(m, ui, m->full_id);
    every_page(m, ui, "activity (full)", NULL, true);
    tap_id(m, ui, "nav.back");
    /* Full with a waiting list: the waiting list's form. */
    m->step = "activity (waiting list)";
    open_item(m, ui, m->waitlist_id);
    every_page(m, ui, "activity (waiting list)", NULL, true);
    open_item(m, ui, "activity.signup");
    walk_form(m, ui, "signup (waiting list)", false);
    tap_id(m, ui, "nav.back");
    tap_id(m, ui, "nav.back");
    /* Name, e-mail and a remark: the other fields' keyboards. */
    m->step = "activity (e-mail, remark)";
    open_item(m, ui, m->fields_id);
    look(m, ui, "activity (e-mail, remark)");
    open_item(m, ui, "activity.signup");
    walk_form(m, ui, "signup (e-mail, remark)", false);
    tap_id(m, ui, "nav.home");

    m->step = "services";
    tap_id(m, ui, "home.services");
    every_page(m, ui, "services", NULL, true);
    const struct widget *topic = first_built_with_prefix(ui, "topic.");
    assert_non_null(topic);
    char topic_id[ID_MAX];
    snprintf(topic_id, sizeof topic_id, "%s", topic->id);
    open_item(m, ui, topic_id);
    every_page(m, ui, "a topic", NULL, true);
    const struct widget *service = first_with_prefix(ui, "service.");
    assert_non_null(service);
    char service_id[ID_MAX];
    snprintf(service_id, sizeof service_id, "%s", service->id);
    tap_id(m, ui, service_id);
    expect_screen(m, ui, SCREEN_SERVICE);
    every_page(m, ui, "service", NULL, true);
    tap_id(m, ui, "nav.home");

    m->step = "announcements";
    tap_id(m, ui, "home.announcements");
    every_page(m, ui, "announcements", NULL, true);

    /* The idle warning over a screen, then staying. */
    m->step = "idle";
    advance(m, ui, (int64_t)m->config->ui_idle_warn_s * 1000 + 100);
    if (!find(ui, "idle.stay"))
        fail_msg("%s: no idle warning", m->step);
    look(m, ui, "idle warning");
    tap_id(m, ui, "idle.stay");
    tap_id(m, ui, "nav.home");

    /* Search: nothing typed, every keyboard layout, hits (a page at a
     * time), one opened and back, no hits with the help offered. */
    m->step = "search";
    tap_id(m, ui, "home.search");
    expect_screen(m, ui, SCREEN_SEARCH);
    for (int layout = 0; layout < 3 && find(ui, "key.layout"); layout++) {
        char step[64];
        snprintf(step, sizeof step, "search, layout %d", layout);
        look(m, ui, step);
        tap_id(m, ui, "key.shift");
        snprintf(step, sizeof step, "search, layout %d shifted", layout);
        look(m, ui, step);
        tap_id(m, ui, "key.shift");
        tap_id(m, ui, "key.layout");
    }
    for (int layout = 0; layout < 3 && !find(ui, "key.k"); layout++)
        tap_id(m, ui, "key.layout");
    tap_id(m, ui, "key.k");
    tap_id(m, ui, "key.o");
    tap_id(m, ui, "key.f");
    every_page(m, ui, "search hits", NULL, true);
    /* key.done puts the keyboard away: the hits get the screen. */
    const struct widget *list = find(ui, "search.list");
    int list_h = list ? list->rect.h : 0;
    tap_id(m, ui, "key.done");
    list = find(ui, "search.list");
    if (find(ui, "key.k") || !list || list->rect.h <= list_h)
        problem(m, "search: key.done left the keyboard (list %d px high, was %d)",
                list ? list->rect.h : 0, list_h);
    every_page(m, ui, "search hits, keyboard away", NULL, true);
    const struct widget *hit = first_with_prefix(ui, "activity.");
    if (!hit)
        fail_msg("%s: no activity found for \"kof\"", m->step);
    char hit_id[ID_MAX];
    snprintf(hit_id, sizeof hit_id, "%s", hit->id);
    open_item(m, ui, hit_id);
    expect_screen(m, ui, SCREEN_ACTIVITY);
    tap_id(m, ui, "nav.back");
    expect_screen(m, ui, SCREEN_SEARCH);
    const struct widget *field = find(ui, "field.search");
    struct rect item, viewport;
    char hit_selector[ID_MAX + 2];
    snprintf(hit_selector, sizeof hit_selector, "#%s", hit_id);
    if (!field || !field->text || strcmp(field->text, "kof") != 0 ||
        !ui_locate(ui, hit_selector, &item, &viewport))
        fail_msg("%s: back from a hit, the search was gone", m->step);
    /* The field brings the keyboard back. */
    tap_id(m, ui, "field.search");
    tap_id(m, ui, "key.x");
    tap_id(m, ui, "key.q");
    every_page(m, ui, "search, no hits", NULL, true);
    tap_id(m, ui, "search.help");
    expect_screen(m, ui, SCREEN_SERVICES);
    tap_id(m, ui, "nav.home");

    /* Signing up to the end: stored in the outbox, the done screen while
     * it asks the hub, then with the hub's answer: confirmed (the code,
     * the goodbye), and on a second sign-up full (the next occurrences). */
    static const struct {
        const char *status, *step;
    } answers[] = {{"confirmed", "signup-done confirmed"}, {"full", "signup-done full"}};
    for (size_t k = 0; k < sizeof answers / sizeof *answers; k++) {
        m->step = "signup-done";
        if (k > 0) {
            /* Back from attract as a new resident would come: the same
             * language and text size. */
            leave_attract(m, ui);
            assert_true(ui_set_language(ui, languages[lang]));
            if (large) {
                tap_id(m, ui, "a11y.large");
                tap_id(m, ui, "a11y.contrast");
            }
        }
        tap_id(m, ui, "home.activities");
        open_item(m, ui, "filter.all");
        open_item(m, ui, m->open_id);
        open_item(m, ui, "activity.signup");
        type_letters(m, ui, 5);
        tap_id(m, ui, "key.next");
        type_digits(m, ui, "0612345678");
        tap_id(m, ui, "key.next");
        tap_id(m, ui, "signup.consent");
        tap_id(m, ui, "signup.submit");
        expect_screen(m, ui, SCREEN_SIGNUP_DONE);
        look(m, ui, "signup-done checking");
        /* The hub's answer, as the network thread records it. */
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE outbox SET status = '%s', acked_seq = 1"
                 " WHERE status = 'pending'", answers[k].status);
        assert_int_equal(sqlite3_exec(store_db(m->store), sql, NULL, NULL, NULL), SQLITE_OK);
        advance(m, ui, 50);
        look(m, ui, answers[k].step);
        tap_id(m, ui, "signup.done");
    }
    /* A sign-up waiting to be sent takes a place; forty walks would fill
     * the activity, so each walk takes its own back. */
    assert_int_equal(sqlite3_exec(store_db(m->store), "DELETE FROM outbox", NULL, NULL, NULL),
                     SQLITE_OK);

    /* Staff mode, in staff.language (here: the walk's language). */
    m->step = "staff-pin";
    expect_screen(m, ui, SCREEN_ATTRACT);
    hold(m, ui, 30, 30, 5100);
    expect_screen(m, ui, SCREEN_STAFF_PIN);
    look(m, ui, "staff-pin");
    for (const char *p = "246813"; *p; p++) {
        char id[16];
        snprintf(id, sizeof id, "pin.%c", *p);
        tap_id(m, ui, id);
    }
    tap_id(m, ui, "pin.ok");
    m->step = "staff";
    expect_screen(m, ui, SCREEN_STAFF);
    look(m, ui, "staff");
    tap_id(m, ui, "staff.items");
    every_page(m, ui, "staff items", NULL, true);
    tap_id(m, ui, "staff.items.done");
    tap_id(m, ui, "staff.announce");
    for (int layout = 0; layout < 3 && find(ui, "key.layout"); layout++) {
        char step[64];
        snprintf(step, sizeof step, "staff announcement, layout %d", layout);
        look(m, ui, step);
        tap_id(m, ui, "key.shift");
        snprintf(step, sizeof step, "staff announcement, layout %d shifted", layout);
        look(m, ui, step);
        tap_id(m, ui, "key.shift");
        tap_id(m, ui, "key.layout");
    }
    tap_id(m, ui, "staff.announce.cancel");
    tap_id(m, ui, "staff.touch-test");
    tap_at(m, ui, w / 2, h / 2);
    look(m, ui, "staff touch test");
    tap_id(m, ui, "staff.touch-test.done");
    tap_id(m, ui, "staff.exit");
    ui_free(ui);
}

/* Outside the opening hours: the dark screen. */
static void walk_off(struct matrix *m, size_t size)
{
    char err[256];
    m->lang = 0;
    m->size = size;
    m->mode = "";
    assert_true(config_set(m->config, "display.schedule=mo-fr 13:00-17:00", err, sizeof err));
    struct ui *ui = make_ui(m, sizes[size][0], sizes[size][1]);
    m->step = "off";
    expect_screen(m, ui, SCREEN_OFF);
    look(m, ui, "off");
    ui_free(ui);
    assert_true(config_set(m->config, "display.schedule=always", err, sizeof err));
}

static void print_summary(const struct matrix *m, double seconds)
{
    printf("\nFrames checked, by language and size (and with large text and high contrast at");
    for (size_t i = 0; i < N_LARGE; i++)
        printf(" %dx%d", sizes[large_sizes[i]][0], sizes[large_sizes[i]][1]);
    printf("):\n%-5s", "");
    for (size_t s = 0; s < N_SIZES; s++) {
        char head[16];
        snprintf(head, sizeof head, "%dx%d", sizes[s][0], sizes[s][1]);
        printf(" %9s", head);
    }
    printf(" %9s\n", "large+hc");
    size_t total = 0;
    for (size_t l = 0; l < N_LANGS; l++) {
        printf("%-5s", languages[l]);
        for (size_t s = 0; s < N_SIZES; s++) {
            printf(" %9zu", m->frames[l][s]);
            total += m->frames[l][s];
        }
        printf(" %9zu\n", m->large_frames[l]);
        total += m->large_frames[l];
    }
    printf("Screens:");
    size_t n_seen = 0;
    for (int s = 0; s < SCREEN_COUNT; s++)
        if (m->seen[s]) {
            printf(" %s", screen_name((enum screen)s));
            n_seen++;
        }
    printf(" (%zu of %d; not reached:", n_seen, SCREEN_COUNT);
    for (int s = 0; s < SCREEN_COUNT; s++)
        if (!m->seen[s])
            printf(" %s", screen_name((enum screen)s));
    printf(")\n%zu frames, %zu widgets (%zu targets), %zu drawn lines checked in %.1f s; "
           "%zu problems%s\n",
           total, m->widgets, m->targets, m->lines, seconds, m->n_problems,
           m->n_problems > MAX_PROBLEMS ? " (the first ones listed; more may repeat these)" : "");
}

static void test_every_screen_language_size(void **state)
{
    struct matrix *m = *state;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t s = 0; s < N_SIZES; s++) {
        for (size_t l = 0; l < N_LANGS; l++)
            walk(m, l, s, false);
        walk_off(m, s);
    }
    for (size_t i = 0; i < N_LARGE; i++)
        for (size_t l = 0; l < N_LANGS; l++)
            walk(m, l, large_sizes[i], true);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_summary(m, seconds);
    for (size_t i = 0; i < m->n_problems && i < MAX_PROBLEMS; i++)
        printf("  %s (on %s; %zu frames)\n", m->problems[i].what, m->problems[i].first_step,
               m->problems[i].times);
    /* Every screen must have been seen, or the walk lost its way. */
    for (int s = 0; s < SCREEN_COUNT; s++)
        if (!m->seen[s])
            fail_msg("the walk never reached %s", screen_name((enum screen)s));
    if (m->n_problems)
        fail_msg("%zu problems (listed above; the policy is in docs/spec-notes.md)",
                 m->n_problems);
}

/* The checks themselves must be able to fail: a frame made by hand with
 * one fault of each kind gives one problem of each kind. */
static void test_the_checks_catch_faults(void **state)
{
    struct matrix *m = *state;
    m->lang = 0;
    m->size = 2;
    m->mode = "";
    struct frame f;
    frame_init(&f);
    frame_reset(&f, sizes[2][0], sizes[2][1]);
    frame_add_widget(&f, "", ROLE_SCREEN, "", (struct rect){0, 0, f.width, f.height});
    frame_add_widget(&f, "small", ROLE_BUTTON, "OK", (struct rect){10, 10, 40, 60});
    struct widget *cut = frame_add_widget(&f, "cut", ROLE_BUTTON, "Opslaan", (struct rect){100, 10, 90, 60});
    cut->clipped = true;
    struct widget *over = frame_add_widget(&f, "over", ROLE_KEY, "x", (struct rect){200, 10, 60, 60});
    over->text_overflows = true;
    frame_add_widget(&f, "off", ROLE_BUTTON, "Weg", (struct rect){f.width - 30, 10, 60, 60});
    /* U+0378 (unassigned; the icon font covers the private use area
     * and fontconfig lists it for U+10FFFD too): no font has it. */
    frame_add_widget(&f, "box", ROLE_TEXT, "\xCD\xB8", (struct rect){10, 100, 200, 30});
    struct draw_cmd *d = frame_add_cmd(&f, DRAW_TEXT, (struct rect){300, 10, 0, 30});
    d->text = "Een heel lange knop die niet past";
    d->font_px = 24;
    d->clip = (struct rect){300, 10, 60, 60};
    frame_add_widget(&f, "narrow", ROLE_BUTTON, "Een heel lange knop die niet past",
                     (struct rect){300, 10, 60, 60});
    d = frame_add_cmd(&f, DRAW_TEXT, (struct rect){10, 200, 0, 30});
    d->text = "Aanmel\xE2\x80\xA6";
    d->font_px = 24;
    d->clip = (struct rect){10, 200, 400, 60};
    frame_add_widget(&f, "short", ROLE_BUTTON, "Aanmelden voor de wachtlijst",
                     (struct rect){10, 200, 400, 60});
    m->n_problems = 0;
    m->step = "faults";
    /* Pictograms: a main choice without one, one too small, one outside
     * its button, a language row without its globe. */
    frame_add_widget(&f, "nav.back", ROLE_BUTTON, "Terug", (struct rect){10, 300, 120, 60});
    struct widget *tiny = frame_add_widget(&f, "nav.home", ROLE_BUTTON, "Begin",
                                           (struct rect){140, 300, 120, 60});
    tiny->icon = "home";
    tiny->icon_rect = (struct rect){146, 310, 40, 40};
    struct widget *out = frame_add_widget(&f, "home.search", ROLE_BUTTON, "Zoeken",
                                          (struct rect){270, 300, 120, 60});
    out->icon = "search";
    out->icon_rect = (struct rect){250, 306, 48, 48};
    frame_add_widget(&f, "lang.nl", ROLE_TOGGLE, "Nederlands", (struct rect){10, 400, 200, 60});
    check_widgets(m, &f);
    check_lines(m, &f);
    check_icons(m, &f);
    static const char *const expected[] = {
        "small: target 40x60", "cut: drawn cut short",     "over: text overflows",
        "off at",              "box: no font draws U+0378", "leaves its clip",
        "shortened in short",  "nav.back: no pictogram",    "nav.home: pictogram 40x40",
        "home.search: pictogram outside", "lang.nl: the language choice is not led",
    };
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        bool hit = false;
        for (size_t p = 0; p < m->n_problems && !hit; p++)
            hit = strstr(m->problems[p].what, expected[i]) != NULL;
        if (!hit)
            fail_msg("no problem reported for \"%s\"", expected[i]);
    }
    assert_int_equal(m->n_problems, sizeof expected / sizeof *expected);
    frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_checks_catch_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_screen_language_size, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
