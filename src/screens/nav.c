/*
 * Navigation: the one way screens change (enter_place), the way back, the
 * reset to attract that wipes every trace of a resident, and the widgets
 * every screen shares.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"

/* The parts a screen loads each time it is entered: what shows the place.
 * The feed-wide part stays until the content or the language changes. */
static unsigned place_parts(const struct screen_def *def)
{
    return def->content & ~(unsigned)CONTENT_BASE;
}

/* The only place ui->screen changes. */
static void enter_place(struct ui *ui, const struct place *to)
{
    const struct screen_def *from = screen_def(ui->screen);
    const struct screen_def *def = screen_def(to->screen);
    if (from->leave && ui->screen != to->screen)
        from->leave(ui, to->screen);
    ui->here = *to;
    ui->screen = to->screen;
    memset(&ui->list, 0, sizeof ui->list);
    /* A long list holds megabytes: keep it only while it can come back. */
    if (!def->keeps_activity_list)
        content_drop(&ui->content, CONTENT_OCCURRENCES);
    if (def->enter)
        def->enter(ui);
    if (place_parts(def))
        ui_load(ui, place_parts(def));
    /* A new screen: the old one's marked target is gone, and what it
     * still said is cut off by what this one says. */
    ui->speech.marked[0] = '\0';
    ui_speech_screen(ui);
    ui->dirty = true;
}

void ui_go_place(struct ui *ui, const struct place *to, bool remember)
{
    if (remember && ui->n_back < UI_BACK_DEPTH)
        ui->back[ui->n_back++] = ui->here;
    if (!remember)
        ui->n_back = 0;
    enter_place(ui, to);
}

void ui_go(struct ui *ui, enum screen to, bool remember)
{
    struct place p = ui->here;
    p.screen = to;
    ui_go_place(ui, &p, remember);
}

void ui_go_back(struct ui *ui)
{
    if (ui->n_back == 0) {
        ui_go(ui, SCREEN_HOME, false);
        return;
    }
    struct place p = ui->back[--ui->n_back];
    enter_place(ui, &p);
}

void ui_apply_theme(struct ui *ui)
{
    theme_for(&ui->theme, ui->width, ui->height, ui->large_text, ui->high_contrast);
    theme_apply_branding(&ui->theme, ui->env.config->branding_colour, ui->high_contrast);
}

void ui_reset_to_attract(struct ui *ui)
{
    /* Whatever screen it was, nothing typed or chosen stays. */
    signup_wipe(ui);
    ui->staff.items_view = false;
    ui->staff.announce_view = false;
    ui->staff.touch_test = false;
    staff_free(ui);
    const struct config *cfg = ui->env.config;
    ui->n_back = 0;
    snprintf(ui->lang, sizeof ui->lang, "%s",
             cfg->ui_languages.n ? cfg->ui_languages.items[0] : "nl");
    ui->large_text = cfg->ui_large_text;
    ui->high_contrast = cfg->ui_high_contrast;
    ui->time_filter = FILTER_WEEK;
    ui->theme_filter[0] = '\0';
    ui->topic_filter[0] = '\0';
    memset(&ui->touch, 0, sizeof ui->touch);
    ui->idle_warning = false;
    /* Read-aloud is the resident's choice, like large text: it ends here,
     * and the next resident starts at the usual volume. */
    ui_speech_set(ui, false);
    ui->speech.volume_step = SPEECH_VOLUME_START;
    ui_apply_theme(ui);
    content_drop(&ui->content, CONTENT_SERVICES | CONTENT_ACTIVITY | CONTENT_SERVICE);
    struct place attract = {.screen = SCREEN_ATTRACT};
    enter_place(ui, &attract);
    /* The language may have changed back: the feed-wide part too. */
    ui_load(ui, CONTENT_BASE);
}

bool ui_activate_common(struct ui *ui, const struct widget *w)
{
    const char *id = w->id;
    if (strcmp(id, "nav.home") == 0) {
        ui_go(ui, SCREEN_HOME, false);
    } else if (strcmp(id, "nav.back") == 0) {
        ui_go_back(ui);
    } else if (strncmp(id, "lang.", 5) == 0) {
        ui_set_language(ui, id + 5);
    } else if (strcmp(id, "a11y.large") == 0) {
        ui->large_text = !ui->large_text;
        ui_apply_theme(ui);
        ui->dirty = true;
    } else if (strcmp(id, "a11y.contrast") == 0) {
        ui->high_contrast = !ui->high_contrast;
        ui_apply_theme(ui);
        ui->dirty = true;
    } else if (strcmp(id, "a11y.speak") == 0) {
        ui_speech_set(ui, !ui->speech.on);
    } else if (strcmp(id, "a11y.volume") == 0 && ui->speech.on) {
        ui_speech_volume_step(ui);
    } else {
        return false;
    }
    return true;
}
