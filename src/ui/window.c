#include "ui/window.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

#define TAG "ui"

struct ui_window {
    SDL_Window *window;
    SDL_Surface *surface;      /* headless: the frame lives here */
    SDL_Renderer *renderer;
    TTF_Font *title_font;
    TTF_Font *body_font;
    int width, height;
    uint64_t frames;
};

/* Asks fontconfig for a file of the family (DejaVu Sans from Debian's
 * fonts-dejavu-core by default), so that no font is copied into the repo. */
static bool find_font(const char *pattern_text, char *out, size_t out_len)
{
    bool found = false;
    FcConfig *config = FcInitLoadConfigAndFonts();
    FcPattern *pattern = FcNameParse((const FcChar8 *)pattern_text);
    if (!config || !pattern)
        goto done;
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcPattern *match = FcFontMatch(config, pattern, &result);
    FcChar8 *file = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        snprintf(out, out_len, "%s", (const char *)file);
        found = true;
    }
    if (match)
        FcPatternDestroy(match);
done:
    if (pattern)
        FcPatternDestroy(pattern);
    if (config)
        FcConfigDestroy(config);
    return found;
}

static bool display_is_real(const char *driver)
{
    return driver && strcmp(driver, "offscreen") != 0 && strcmp(driver, "dummy") != 0;
}

struct ui_window *ui_window_open(const struct ui_window_options *opt, char *err, size_t err_len)
{
    struct ui_window *w = SDL_calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    if (opt->headless)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, err_len,
                 opt->headless ? "SDL could not start: %s"
                               : "no display found (%s); run with --headless to run without a screen",
                 SDL_GetError());
        SDL_free(w);
        return NULL;
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!opt->headless && !display_is_real(driver)) {
        snprintf(err, err_len,
                 "no display found (SDL chose its invisible '%s' driver); run with --headless "
                 "to run without a screen",
                 driver ? driver : "none");
        SDL_Quit();
        SDL_free(w);
        return NULL;
    }
    if (TTF_Init() != 0) {
        snprintf(err, err_len, "SDL_ttf could not start: %s", TTF_GetError());
        ui_window_close(w);
        return NULL;
    }

    w->width = opt->width ? opt->width : 1280;
    w->height = opt->height ? opt->height : 800;
    if (opt->headless) {
        w->surface = SDL_CreateRGBSurfaceWithFormat(0, w->width, w->height, 24,
                                                    SDL_PIXELFORMAT_RGB888);
        w->renderer = w->surface ? SDL_CreateSoftwareRenderer(w->surface) : NULL;
    } else {
        Uint32 flags = SDL_WINDOW_SHOWN;
        if (opt->fullscreen)
            flags |= opt->width ? SDL_WINDOW_FULLSCREEN : SDL_WINDOW_FULLSCREEN_DESKTOP;
        w->window = SDL_CreateWindow("buurtkiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                     w->width, w->height, flags);
        if (w->window) {
            SDL_GetWindowSize(w->window, &w->width, &w->height);
            w->renderer = SDL_CreateRenderer(w->window, -1, SDL_RENDERER_ACCELERATED);
            if (!w->renderer)
                w->renderer = SDL_CreateRenderer(w->window, -1, SDL_RENDERER_SOFTWARE);
        }
    }
    char regular[1024], bold[1024];
    if (!w->renderer) {
        snprintf(err, err_len, "cannot create a renderer: %s", SDL_GetError());
    } else if (!find_font("DejaVu Sans", regular, sizeof regular) ||
               !find_font("DejaVu Sans:bold", bold, sizeof bold)) {
        snprintf(err, err_len, "no font found through fontconfig (install fonts-dejavu-core)");
    } else {
        int unit = w->height < w->width ? w->height : w->width;
        w->title_font = TTF_OpenFont(bold, unit / 12);
        w->body_font = TTF_OpenFont(regular, unit / 24);
        if (w->title_font && w->body_font) {
            log_info(TAG, "video driver %s, %dx%d", SDL_GetCurrentVideoDriver(), w->width,
                     w->height);
            return w;
        }
        snprintf(err, err_len, "cannot open the font: %s", TTF_GetError());
    }
    ui_window_close(w);
    return NULL;
}

void ui_window_close(struct ui_window *w)
{
    if (!w)
        return;
    if (w->title_font)
        TTF_CloseFont(w->title_font);
    if (w->body_font)
        TTF_CloseFont(w->body_font);
    if (w->renderer)
        SDL_DestroyRenderer(w->renderer);
    if (w->surface)
        SDL_FreeSurface(w->surface);
    if (w->window)
        SDL_DestroyWindow(w->window);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    SDL_free(w);
}

const char *ui_window_driver(const struct ui_window *w)
{
    (void)w;
    return SDL_GetCurrentVideoDriver();
}

uint64_t ui_window_frames(const struct ui_window *w)
{
    return w->frames;
}

static void draw_text(struct ui_window *w, TTF_Font *font, const char *text, int x, int y,
                      SDL_Color colour)
{
    if (!text || !*text)
        return;
    SDL_Surface *s = TTF_RenderUTF8_Blended_Wrapped(font, text, colour, (Uint32)(w->width - 2 * x));
    if (!s)
        return;
    SDL_Texture *t = SDL_CreateTextureFromSurface(w->renderer, s);
    if (t) {
        SDL_Rect dst = {x, y, s->w, s->h};
        SDL_RenderCopy(w->renderer, t, NULL, &dst);
        SDL_DestroyTexture(t);
    }
    SDL_FreeSurface(s);
}

void ui_window_show_summary(struct ui_window *w, const struct ui_summary *s)
{
    /* Dark blue on white: 12.6:1, well past WCAG's 7:1. */
    const SDL_Color ink = {0x14, 0x2b, 0x4f, 0xff};
    const SDL_Color alert = {0x9b, 0x1c, 0x1c, 0xff};
    SDL_SetRenderDrawColor(w->renderer, 0xff, 0xff, 0xff, 0xff);
    SDL_RenderClear(w->renderer);
    int margin = w->width / 16;
    int line = TTF_FontLineSkip(w->body_font);
    draw_text(w, w->title_font, "buurtkiosk", margin, margin, ink);
    char text[512];
    int y = margin + TTF_FontLineSkip(w->title_font) + line;
    snprintf(text, sizeof text, "%lld activiteiten", s->activities);
    draw_text(w, w->body_font, text, margin, y, ink);
    snprintf(text, sizeof text, "%lld hulp en advies", s->services);
    draw_text(w, w->body_font, text, margin, y += line, ink);
    snprintf(text, sizeof text, "%lld locaties", s->locations);
    draw_text(w, w->body_font, text, margin, y += line, ink);
    snprintf(text, sizeof text, "%lld mededelingen", s->announcements);
    draw_text(w, w->body_font, text, margin, y += line, ink);
    if (s->activities + s->services == 0 && s->problem[0])
        draw_text(w, w->body_font,
                  "Er is nog geen informatie. We proberen het steeds opnieuw.",
                  margin, y += 2 * line, alert);
    if (s->updated_at[0]) {
        snprintf(text, sizeof text, "Bijgewerkt om %s", s->updated_at);
        draw_text(w, w->body_font, text, margin, w->height - margin - line, ink);
    }
    SDL_RenderPresent(w->renderer);
    w->frames++;
}

bool ui_window_save_png(struct ui_window *w, const char *path)
{
    SDL_Surface *shot = SDL_CreateRGBSurfaceWithFormat(0, w->width, w->height, 24,
                                                       SDL_PIXELFORMAT_RGB24);
    if (!shot)
        return false;
    bool ok = SDL_RenderReadPixels(w->renderer, NULL, SDL_PIXELFORMAT_RGB24, shot->pixels,
                                   shot->pitch) == 0 &&
              IMG_SavePNG(shot, path) == 0;
    SDL_FreeSurface(shot);
    return ok;
}
