/*
 * Read-aloud, with the real parts: espeak-ng on the speech thread, SDL's
 * disk audio driver capturing the samples, the screens measured by the
 * real renderer, driven by automation scripts.
 *
 *   - every screen that speaks, in every interface language with an
 *     espeak-ng voice: switching speech on (a11y.speak, or entering the
 *     screen with speech on) gives non-silent samples in the disk driver's
 *     file, and the speech log holds the dump's labels and texts in the
 *     dump's order;
 *   - a first tap says a target and marks it, a second activates it;
 *   - a swipe cuts speech off;
 *   - the idle reset ends speech mode; a11y.volume only while it is on.
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

#include "base/clock.h"
#include "base/timeutil.h"
#include "model/i18n.h"
#include "model/store.h"
#include "screens/ui.h"
#include "script/script.h"
#include "sdl/render.h"
#include "sdl/speech.h"
#include "view/frame.h"

static const char *const languages[] = {"nl", "en", "tr", "ar", "pl", "uk"};
#define N_LANGS (sizeof languages / sizeof *languages)

/* An activity with sign-up open, the fields name and phone, and places
 * enough for a sign-up in every language. */
#define OPEN_ACTIVITY "#activity.act-ouderavond-schermtijd.20261126T1930"
/* Non-silent: a sample this far from zero. */
#define LOUD 300
/* Enough sound to call it speech: 0.1 s of it. */
#define ENOUGH_SAMPLES 2205

struct fixture {
    char dir[64];
    struct store *store;
    struct config *config;
    struct catalogs *catalogs;
    struct clock clock;
    SDL_Surface *surface;
    SDL_Renderer *sdl;
    struct renderer *rd;
    struct speech *speech;
    int64_t start;               /* each ui starts at this moment */
    char log_path[128], raw_path[128];
    int run;
};

/* ---- set-up ---- */

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
    /* Each test's samples go to a file of its own (open_speech). */
    setenv("SDL_AUDIODRIVER", "disk", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return -1;
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    *state = fx;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/bk-speech-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    fx->surface = SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, SDL_PIXELFORMAT_RGB888);
    fx->sdl = fx->surface ? SDL_CreateSoftwareRenderer(fx->surface) : NULL;
    char err[256] = "";
    fx->rd = fx->sdl ? renderer_new(fx->sdl, err, sizeof err) : NULL;
    if (!fx->rd)
        return -1;
    char path[512];
    snprintf(path, sizeof path, "%s/kiosk.db", fx->dir);
    fx->store = store_open(path, err, sizeof err);
    const char *assets = getenv("BK_ASSETS");
    if (!fx->store || !assets)
        return -1;
    snprintf(path, sizeof path, "%s/sample-feed.json", assets);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    static char body[1 << 20];
    size_t len = fread(body, 1, sizeof body, f);
    fclose(f);
    int64_t now = 0;
    if (!rfc3339_parse("2026-11-25T10:00:00+01:00", &now))
        return -1;
    struct feed_report report;
    enum feed_result r = store_apply_feed(fx->store, body, len, NULL, now, &report);
    feed_report_clear(&report);
    if (r != FEED_ACCEPTED)
        return -1;
    fx->catalogs = catalogs_load(BK_CATALOG_DIR, languages, N_LANGS, err, sizeof err);
    fx->config = config_new();
    if (!fx->catalogs || !fx->config)
        return -1;
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, "246813", 6, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN))
        return -1;
    char set[crypto_pwhash_STRBYTES + 64];
    snprintf(set, sizeof set, "staff.pin_hash=%s", hash);
    if (!config_set(fx->config, "ui.languages=nl,en,tr,ar,pl,uk", err, sizeof err) ||
        !config_set(fx->config, "kiosk.hub=https://hub.example.org", err, sizeof err) ||
        !config_set(fx->config, set, err, sizeof err))
        return -1;
    fx->start = now;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (!fx)
        return 0;
    speech_close(fx->speech);
    config_free(fx->config);
    catalogs_free(fx->catalogs);
    store_close(fx->store);
    renderer_free(fx->rd);
    if (fx->sdl)
        SDL_DestroyRenderer(fx->sdl);
    SDL_FreeSurface(fx->surface);
    SDL_Quit();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* A speech thread of its own for each run, with its own log and its own
 * file of samples (the disk driver reads SDL_DISKAUDIOFILE on opening). */
static void open_speech(struct fixture *fx)
{
    speech_close(fx->speech);
    fx->run++;
    snprintf(fx->log_path, sizeof fx->log_path, "%s/speech-%d.log", fx->dir, fx->run);
    snprintf(fx->raw_path, sizeof fx->raw_path, "%s/audio-%d.raw", fx->dir, fx->run);
    setenv("SDL_DISKAUDIOFILE", fx->raw_path, 1);
    char err[256] = "";
    fx->speech = speech_open(fx->log_path, err, sizeof err);
    if (!fx->speech)
        fail_msg("speech_open: %s", err);
    /* Nothing runs until speech is first used. */
    struct speech_stats st;
    speech_get_stats(fx->speech, &st);
    assert_false(st.has_device);
    assert_true(speech_has_voice(fx->speech, "nl"));
    speech_get_stats(fx->speech, &st);
    assert_true(st.has_device);
}

static struct ui *make_ui(struct fixture *fx, int w, int h)
{
    clock_init_manual(&fx->clock, fx->start);
    struct ui_env env = {
        .store = fx->store,
        .config = fx->config,
        .catalogs = fx->catalogs,
        .clock = &fx->clock,
        .measure = renderer_measure,
        .measure_ctx = fx->rd,
        .has_hub = true,
        .speak = speech_env_say,
        .speech_stop = speech_env_stop,
        .speech_volume = speech_env_volume,
        .speech_ctx = fx->speech,
    };
    struct ui *ui = ui_new(&env, w, h);
    assert_non_null(ui);
    return ui;
}

static void run_script(struct fixture *fx, struct ui *ui, const char *text)
{
    struct script s;
    char err[512];
    if (!script_parse(text, strlen(text), &s, err, sizeof err))
        fail_msg("script: %s", err);
    struct script_host host = {.ui = ui, .clock = &fx->clock};
    bool ok = script_run(&s, &host, err, sizeof err);
    script_free(&s);
    if (!ok) {
        /* What there was instead, to see why. */
        const struct frame *f = ui_frame(ui);
        char ids[2048] = "";
        for (size_t i = 0; i < f->n_widgets; i++) {
            size_t used = strlen(ids);
            snprintf(ids + used, sizeof ids - used, " %s", f->widgets[i].id);
        }
        fail_msg("%s\nin:\n%s\non %s:%s", err, text, screen_name(ui_screen(ui)), ids);
    }
    /* As the kiosk's loop does after input: the frame, and with it the
     * screen's speech. */
    ui_frame(ui);
}

/* ---- what was said and heard ---- */

struct lines {
    char **v;
    size_t n;
};

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Kept as the log writes it: a line break or tab in a text is a space,
 * so that each line is one utterance. */
static void lines_add(struct lines *l, const char *s)
{
    l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
    assert_non_null(l->v);
    char *copy = strdup(s);
    assert_non_null(copy);
    for (char *p = copy; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
    l->v[l->n++] = copy;
}

/* The speech log's texts (LANG<TAB>TEXT), each checked for its tab. */
static void read_log(const char *path, struct lines *out)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            fail_msg("speech log line without a tab: %s", line);
        lines_add(out, tab + 1);
    }
    fclose(f);
}

/* What the dump says the screen holds, in its order: the label and then,
 * when it differs, the text of each visible widget but the keyboard's
 * keys; for an input only its label (what a resident typed is not said);
 * a picture whose label the widget before it already said is not said
 * again (a feed image under its title). */
static void dump_reading(const struct frame *f, struct lines *out)
{
    char *text = frame_dump_json(f);
    assert_non_null(text);
    json_error_t jerr;
    json_t *array = json_loads(text, 0, &jerr);
    free(text);
    assert_non_null(array);
    size_t i;
    json_t *w;
    const char *before = NULL;
    json_array_foreach(array, i, w)
    {
        const char *role = json_string_value(json_object_get(w, "role"));
        const char *label = json_string_value(json_object_get(w, "label"));
        const char *t = json_string_value(json_object_get(w, "text"));
        if (!json_is_true(json_object_get(w, "visible")) || strcmp(role, "key") == 0)
            continue;
        bool repeated = strcmp(role, "image") == 0 && before && label && *label &&
                        strstr(before, label);
        before = label ? label : "";
        if (repeated)
            continue;
        if (label && *label)
            lines_add(out, label);
        if (t && *t && strcmp(role, "input") != 0 && (!label || strcmp(t, label) != 0))
            lines_add(out, t);
    }
    json_decref(array);
}

/* The log lines from index from on equal the dump's reading. */
static void check_said(struct fixture *fx, struct ui *ui, size_t from, const char *what)
{
    struct lines said = {0}, want = {0};
    read_log(fx->log_path, &said);
    dump_reading(ui_frame(ui), &want);
    assert_true(want.n > 0);
    size_t n = said.n >= from ? said.n - from : 0;
    for (size_t i = 0; i < n && i < want.n; i++)
        if (strcmp(said.v[from + i], want.v[i]) != 0)
            fail_msg("%s: utterance %zu is \"%s\", the dump's is \"%s\"", what, i,
                     said.v[from + i], want.v[i]);
    if (n != want.n)
        fail_msg("%s: %zu utterances, the dump reads %zu", what, n, want.n);
    lines_free(&said);
    lines_free(&want);
}

static size_t log_count(struct fixture *fx)
{
    struct lines l = {0};
    read_log(fx->log_path, &l);
    size_t n = l.n;
    lines_free(&l);
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits for speech to be heard (real time: the device plays in it). */
static bool wait_sound(struct speech *sp, uint64_t after, uint64_t samples, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        struct speech_stats st;
        speech_get_stats(sp, &st);
        if (st.sound_samples >= after + samples)
            return true;
        sleep_ms(10);
    }
    return false;
}

/* Non-silent samples in the disk driver's file (16-bit, native order). */
static size_t loud_samples(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    int16_t buf[4096];
    size_t n, loud = 0;
    while ((n = fread(buf, sizeof *buf, 4096, f)) > 0)
        for (size_t i = 0; i < n; i++)
            loud += buf[i] > LOUD || buf[i] < -LOUD;
    fclose(f);
    return loud;
}

/* ---- every screen, every language ---- */

/* "tap X" twice: with speech on, the first says X, the second acts. */
static void twice(char *buf, size_t len, const char *sel)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "tap \"%s\"\ntap \"%s\"\n", sel, sel);
}

struct screen_case {
    const char *name;
    /* steps with speech off, to the screen that switches it on */
    const char *before;
    /* with speech on: targets tapped twice each; the last one's second
     * tap enters the screen under test. NULL: a11y.speak is tapped on the
     * screen itself. */
    const char *const *then;
};

static const char *const to_signup[] = {"#activity.signup", NULL};
static const char *const to_pin[] = {"hold", NULL};
static const char *const to_search[] = {"#home.search", NULL};

static const struct screen_case cases[] = {
    {"home", "tap \"#attract\"\n", NULL},
    {"activities", "tap \"#attract\"\ntap \"#home.activities\"\n", NULL},
    {"activity", "tap \"#attract\"\ntap \"#home.activities\"\ntap \"" OPEN_ACTIVITY "\"\n", NULL},
    {"services", "tap \"#attract\"\ntap \"#home.services\"\n", NULL},
    {"service", "tap \"#attract\"\ntap \"#home.services\"\ntap \"#service.svc-wijkteam\"\n", NULL},
    {"announcements", "tap \"#attract\"\ntap \"#home.announcements\"\n", NULL},
    /* search has no footer (its keyboard takes the room): entered with
     * speech on */
    {"search", "tap \"#attract\"\ntap \"#a11y.speak\"\n", to_search},
    {"signup",
     "tap \"#attract\"\ntap \"#home.activities\"\ntap \"" OPEN_ACTIVITY "\"\ntap \"#a11y.speak\"\n",
     to_signup},
    {"signup-done", NULL, NULL}, /* its own walk: signup_done_case */
    {"staff-pin", "tap \"#attract\"\ntap \"#home.services\"\ntap \"#a11y.speak\"\n", to_pin},
};

static void check_heard(struct fixture *fx, uint64_t before, const char *what)
{
    /* Half a second of it, of which the file must hold 0.1 s loud. */
    if (!wait_sound(fx->speech, before, 5 * ENOUGH_SAMPLES, 5000))
        fail_msg("%s: no sound within 5 s", what);
    speech_stop(fx->speech);
}

/* The run of one case up to the tap that makes the screen speak, which is
 * returned (in a buffer of the caller's) for the caller to run. */
static void run_case(struct fixture *fx, struct ui *ui, const struct screen_case *c, char *last,
                     size_t last_len)
{
    run_script(fx, ui, c->before);
    if (!c->then) {
        snprintf(last, last_len, "tap \"#a11y.speak\"\n");
        return;
    }
    for (size_t i = 0; c->then[i]; i++) {
        if (strcmp(c->then[i], "hold") == 0) {
            /* The staff gesture is a hold, not a tap: no second one. */
            snprintf(last, last_len, "hold 10 10 5200\n");
            return;
        }
        char buf[256] = "";
        snprintf(buf, sizeof buf, "tap \"%s\"\n", c->then[i]);
        run_script(fx, ui, buf);
        if (!c->then[i + 1]) {
            snprintf(last, last_len, "%s", buf);
            return;
        }
        run_script(fx, ui, buf);
    }
}

/* The sign-up form filled in with speech on: every key tapped twice. */
static void signup_done_walk(struct fixture *fx, struct ui *ui, const char *lang, char *last,
                             size_t last_len)
{
    run_script(fx, ui,
               "tap \"#attract\"\ntap \"#home.activities\"\ntap \"" OPEN_ACTIVITY "\"\n"
               "tap \"#a11y.speak\"\n");
    static char buf[8192];
    buf[0] = '\0';
    twice(buf, sizeof buf, "#activity.signup");
    /* A name in the script of the language's own keyboard, each letter
     * one key (UTF-8: a letter is its lead byte and what follows). */
    const char *name = strcmp(lang, "ar") == 0 ? "جان" : strcmp(lang, "uk") == 0 ? "ян" : "jan";
    for (const char *p = name; *p;) {
        size_t n = 1;
        while (((unsigned char)p[n] & 0xC0) == 0x80)
            n++;
        char key[16];
        snprintf(key, sizeof key, "#key.%.*s", (int)n, p);
        twice(buf, sizeof buf, key);
        p += n;
    }
    twice(buf, sizeof buf, "#field.phone");
    static const char digits[] = "0612345678";
    for (const char *p = digits; *p; p++) {
        char key[16];
        snprintf(key, sizeof key, "#key.%c", *p);
        /* The key is still marked after its second tap: one tap types
         * it again. */
        size_t used = strlen(buf);
        if (p > digits && p[-1] == *p)
            snprintf(buf + used, sizeof buf - used, "tap \"%s\"\n", key);
        else
            twice(buf, sizeof buf, key);
    }
    twice(buf, sizeof buf, "#signup.consent");
    size_t used = strlen(buf);
    snprintf(buf + used, sizeof buf - used, "tap \"#signup.submit\"\n");
    run_script(fx, ui, buf);
    snprintf(last, last_len, "tap \"#signup.submit\"\n");
}

static void test_every_screen_every_language(void **state)
{
    struct fixture *fx = *state;
    size_t spoken = 0;
    for (size_t l = 0; l < N_LANGS; l++) {
        for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
            const struct screen_case *c = &cases[k];
            open_speech(fx);
            if (!speech_has_voice(fx->speech, languages[l]))
                fail_msg("espeak-ng has no voice for %s", languages[l]);
            struct ui *ui = make_ui(fx, 1080, 1920);
            assert_true(ui_set_language(ui, languages[l]));
            char last[256];
            if (!c->before)
                signup_done_walk(fx, ui, languages[l], last, sizeof last);
            else
                run_case(fx, ui, c, last, sizeof last);
            /* What the last tap said of itself comes before this. */
            size_t from = log_count(fx);
            struct speech_stats st;
            speech_get_stats(fx->speech, &st);
            run_script(fx, ui, last);
            char what[64];
            snprintf(what, sizeof what, "%s in %s", c->name, languages[l]);
            enum screen want;
            assert_true(screen_by_name(c->name, &want));
            if (ui_screen(ui) != want)
                fail_msg("%s: on %s", what, screen_name(ui_screen(ui)));
            assert_true(ui_speech_on(ui));
            check_said(fx, ui, from, what);
            check_heard(fx, st.sound_samples, what);
            ui_free(ui);
            speech_close(fx->speech);
            fx->speech = NULL;
            size_t loud = loud_samples(fx->raw_path);
            if (loud < ENOUGH_SAMPLES)
                fail_msg("%s: %zu loud samples in %s", what, loud, fx->raw_path);
            spoken++;
        }
    }
    printf("speech: %zu screens x languages spoken and heard\n", spoken);
}

/* ---- touch ---- */

static bool has_id(struct ui *ui, const char *id)
{
    return frame_find_id(ui_frame(ui), id) != NULL;
}

static void test_first_tap_says_second_acts(void **state)
{
    struct fixture *fx = *state;
    open_speech(fx);
    struct ui *ui = make_ui(fx, 1280, 800);
    run_script(fx, ui, "tap \"#attract\"\nexpect-screen home\n");
    assert_false(has_id(ui, "a11y.volume"));
    run_script(fx, ui, "tap \"#a11y.speak\"\n");
    assert_true(ui_speech_on(ui));
    assert_true(has_id(ui, "a11y.volume"));
    size_t before = log_count(fx);
    run_script(fx, ui, "tap \"#home.activities\"\nexpect-screen home\n");
    struct lines said = {0};
    read_log(fx->log_path, &said);
    assert_true(said.n > before);
    const struct widget *w = frame_find_id(ui_frame(ui), "home.activities");
    assert_non_null(w);
    assert_string_equal(said.v[before], w->label);
    lines_free(&said);
    /* The marked target has its ring: one more draw command than without. */
    run_script(fx, ui, "tap \"#home.activities\"\nexpect-screen activities\n");
    /* Another target after a first: only said. */
    run_script(fx, ui, "tap \"#nav.home\"\ntap \"#filter.today\"\ntap \"#nav.home\"\n"
                       "expect-screen activities\ntap \"#nav.home\"\nexpect-screen home\n");
    /* Volume: said, then each tap one step on, said with its new step. */
    run_script(fx, ui, "expect \"#a11y.volume\"\ntap \"#a11y.volume\"\ntap \"#a11y.volume\"\n");
    read_log(fx->log_path, &said);
    const struct widget *v = frame_find_id(ui_frame(ui), "a11y.volume");
    assert_non_null(v);
    assert_string_equal(said.v[said.n - 1], v->label);
    assert_string_not_equal(said.v[said.n - 2], v->label);
    lines_free(&said);
    /* Off takes two taps as well, and takes the volume with it. */
    run_script(fx, ui, "tap \"#a11y.speak\"\ntap \"#a11y.speak\"\nexpect-not \"#a11y.volume\"\n");
    assert_false(ui_speech_on(ui));
    /* Off: one tap acts. */
    run_script(fx, ui, "tap \"#home.services\"\nexpect-screen services\n");
    ui_free(ui);
}

static void test_swipe_stops_speech(void **state)
{
    struct fixture *fx = *state;
    open_speech(fx);
    struct ui *ui = make_ui(fx, 1080, 1920);
    run_script(fx, ui, "tap \"#attract\"\ntap \"#home.activities\"\ntap \"#a11y.speak\"\n");
    if (!wait_sound(fx->speech, 0, ENOUGH_SAMPLES, 5000))
        fail_msg("no sound within 5 s");
    run_script(fx, ui, "swipe 540 1200 540 700 300\n");
    /* Cut off within a device buffer or two; then silence. */
    sleep_ms(150);
    struct speech_stats a, b;
    speech_get_stats(fx->speech, &a);
    sleep_ms(500);
    speech_get_stats(fx->speech, &b);
    assert_int_equal(a.sound_samples, b.sound_samples);
    assert_true(ui_speech_on(ui)); /* stopped, not switched off */
    ui_free(ui);
}

static void test_idle_reset_ends_speech(void **state)
{
    struct fixture *fx = *state;
    open_speech(fx);
    struct ui *ui = make_ui(fx, 1280, 800);
    run_script(fx, ui, "tap \"#attract\"\ntap \"#a11y.speak\"\ntap \"#a11y.volume\"\n"
                       "tap \"#a11y.volume\"\n");
    assert_true(ui_speech_on(ui));
    run_script(fx, ui, "wait 600000\nexpect-screen attract\ntap \"#attract\"\n"
                       "expect-screen home\nexpect-not \"#a11y.volume\"\n");
    assert_false(ui_speech_on(ui));
    const struct widget *w = frame_find_id(ui_frame(ui), "a11y.speak");
    assert_non_null(w);
    assert_int_equal(w->checked, CHECKED_FALSE);
    /* The next resident's volume is the usual one again. */
    run_script(fx, ui, "tap \"#a11y.speak\"\n");
    const struct widget *v = frame_find_id(ui_frame(ui), "a11y.volume");
    assert_non_null(v);
    assert_non_null(strstr(v->label, "3"));
    ui_free(ui);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_tap_says_second_acts),
        cmocka_unit_test(test_swipe_stops_speech),
        cmocka_unit_test(test_idle_reset_ends_speech),
        cmocka_unit_test(test_every_screen_every_language),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
