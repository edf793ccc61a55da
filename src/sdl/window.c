#include "sdl/stop.h"
#include "sdl/window.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "view/rotate.h"
#include "sdl/render.h"

#define TAG "ui"

struct ui_window {
    SDL_Window *window;
    SDL_Surface *surface;      /* headless: the frame lives here */
    SDL_Renderer *sdl;
    SDL_Texture *target;       /* with a display: the frame, before turning */
    struct renderer *rd;
    int rotation;
    int panel_w, panel_h;
    int frame_w, frame_h;
    uint64_t frames;
    bool sdl_started;
};

static bool display_is_real(const char *driver)
{
    return driver && strcmp(driver, "offscreen") != 0 && strcmp(driver, "dummy") != 0;
}

static bool open_headless(struct ui_window *w, char *err, size_t err_len)
{
    /* The surface is the frame: nothing is turned, so screenshots, dumps
     * and script coordinates agree without any arithmetic. RGB888 and the
     * software renderer give the same bytes on every run. */
    w->surface = SDL_CreateRGBSurfaceWithFormat(0, w->frame_w, w->frame_h, 32,
                                                SDL_PIXELFORMAT_RGB888);
    if (!w->surface) {
        snprintf(err, err_len, "cannot make a %dx%d frame: %s", w->frame_w, w->frame_h,
                 SDL_GetError());
        return false;
    }
    w->sdl = SDL_CreateSoftwareRenderer(w->surface);
    if (!w->sdl) {
        snprintf(err, err_len, "cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    return true;
}

static bool open_display(struct ui_window *w, const struct ui_window_options *opt, char *err,
                         size_t err_len)
{
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!display_is_real(driver)) {
        snprintf(err, err_len,
                 "no display found (SDL chose its invisible '%s' driver); run with --headless "
                 "to run without a screen",
                 driver ? driver : "none");
        return false;
    }
    if (w->panel_w == 0 || w->panel_h == 0) {
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) != 0) {
            snprintf(err, err_len, "cannot read the display's size: %s", SDL_GetError());
            return false;
        }
        w->panel_w = mode.w;
        w->panel_h = mode.h;
    }
    rotate_frame_size(w->rotation, w->panel_w, w->panel_h, &w->frame_w, &w->frame_h);

    /* A kiosk must never minimise itself when something else grabs focus. */
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (opt->fullscreen)
        flags |= opt->width ? SDL_WINDOW_FULLSCREEN : SDL_WINDOW_FULLSCREEN_DESKTOP;
    w->window = SDL_CreateWindow("buurtkiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                 w->panel_w, w->panel_h, flags);
    if (!w->window) {
        snprintf(err, err_len, "cannot open a window: %s", SDL_GetError());
        return false;
    }
    if (opt->fullscreen)
        SDL_ShowCursor(SDL_DISABLE);    /* fingers, not a mouse */
    w->sdl = SDL_CreateRenderer(w->window, -1,
                                SDL_RENDERER_ACCELERATED | SDL_RENDERER_TARGETTEXTURE);
    if (!w->sdl)
        w->sdl = SDL_CreateRenderer(w->window, -1,
                                    SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE);
    if (!w->sdl) {
        snprintf(err, err_len, "cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    /* The frame goes into a texture first, so that it can be turned onto
     * the panel as a whole and read back unturned for screenshots. */
    w->target = SDL_CreateTexture(w->sdl, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                  w->frame_w, w->frame_h);
    if (!w->target) {
        snprintf(err, err_len, "cannot make a %dx%d frame texture: %s", w->frame_w, w->frame_h,
                 SDL_GetError());
        return false;
    }
    SDL_SetTextureBlendMode(w->target, SDL_BLENDMODE_NONE);
    return true;
}

struct ui_window *ui_window_open(const struct ui_window_options *opt, char *err, size_t err_len)
{
    if (opt->rotation != 0 && opt->rotation != 90 && opt->rotation != 180 &&
        opt->rotation != 270) {
        snprintf(err, err_len, "rotation must be 0, 90, 180 or 270, not %d", opt->rotation);
        return NULL;
    }
    if (opt->width < 0 || opt->height < 0) {
        snprintf(err, err_len, "bad panel size %dx%d", opt->width, opt->height);
        return NULL;
    }
    struct ui_window *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    w->rotation = opt->rotation;
    w->panel_w = opt->width;
    w->panel_h = opt->height;
    /* Override, not the default priority: an SDL_VIDEODRIVER left in the
     * environment must not put a headless run on a real display. */
    if (opt->headless)
        SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
    /* A window manager's close does not end a kiosk; signals do (sdl/stop.h). */
    stop_set_sdl_hints();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, err_len,
                 opt->headless ? "SDL could not start: %s"
                               : "no display found (%s); run with --headless to run without "
                                 "a screen",
                 SDL_GetError());
        free(w);
        return NULL;
    }
    w->sdl_started = true;

    bool ok;
    if (opt->headless) {
        if (w->panel_w == 0 || w->panel_h == 0) {
            w->panel_w = 1280;
            w->panel_h = 800;
        }
        rotate_frame_size(w->rotation, w->panel_w, w->panel_h, &w->frame_w, &w->frame_h);
        ok = open_headless(w, err, err_len);
    } else {
        ok = open_display(w, opt, err, err_len);
    }
    if (ok) {
        w->rd = renderer_new(w->sdl, err, err_len);
        ok = w->rd != NULL;
    }
    if (!ok) {
        ui_window_close(w);
        return NULL;
    }
    SDL_RendererInfo info = {0};
    SDL_GetRendererInfo(w->sdl, &info);
    log_info(TAG, "video driver %s, renderer %s, panel %dx%d, rotation %d, frame %dx%d",
             SDL_GetCurrentVideoDriver(), info.name ? info.name : "?", w->panel_w, w->panel_h,
             w->rotation, w->frame_w, w->frame_h);
    return w;
}

void ui_window_close(struct ui_window *w)
{
    if (!w)
        return;
    /* Textures belong to the SDL renderer: free them before it. */
    renderer_free(w->rd);
    if (w->target)
        SDL_DestroyTexture(w->target);
    if (w->sdl)
        SDL_DestroyRenderer(w->sdl);
    if (w->surface)
        SDL_FreeSurface(w->surface);
    if (w->window)
        SDL_DestroyWindow(w->window);
    if (w->sdl_started)
        SDL_Quit();
    free(w);
}

const char *ui_window_driver(const struct ui_window *w)
{
    (void)w;
    return SDL_GetCurrentVideoDriver();
}

void ui_window_frame_size(const struct ui_window *w, int *frame_w, int *frame_h)
{
    *frame_w = w->frame_w;
    *frame_h = w->frame_h;
}

struct renderer *ui_window_renderer(struct ui_window *w)
{
    return w->rd;
}

uint64_t ui_window_frames(const struct ui_window *w)
{
    return w->frames;
}

/* Copies the frame texture onto the window, turned clockwise by the
 * rotation about the window's centre. The destination rect is the frame
 * before turning, scaled so that after turning it fills the window: this
 * puts frame point (fx, fy) where rotate_frame_to_panel() says, which is
 * where rotate_panel_to_frame() will find a touch on it. */
static void show_target(struct ui_window *w)
{
    int ow = 0, oh = 0;
    if (SDL_GetRendererOutputSize(w->sdl, &ow, &oh) != 0 || ow <= 0 || oh <= 0)
        return;
    bool quarter = w->rotation == 90 || w->rotation == 270;
    float dw = (float)(quarter ? oh : ow);
    float dh = (float)(quarter ? ow : oh);
    SDL_FRect dst = {((float)ow - dw) / 2.0f, ((float)oh - dh) / 2.0f, dw, dh};
    SDL_SetRenderDrawColor(w->sdl, 0, 0, 0, 255);
    SDL_RenderClear(w->sdl);
    SDL_RenderCopyExF(w->sdl, w->target, NULL, &dst, (double)w->rotation, NULL, SDL_FLIP_NONE);
    SDL_RenderPresent(w->sdl);
}

void ui_window_present(struct ui_window *w, const struct frame *f)
{
    if (w->target) {
        SDL_SetRenderTarget(w->sdl, w->target);
        renderer_draw(w->rd, f);
        SDL_SetRenderTarget(w->sdl, NULL);
        show_target(w);
    } else {
        renderer_draw(w->rd, f);
        SDL_RenderPresent(w->sdl);
    }
    w->frames++;
}

void ui_window_redisplay(struct ui_window *w)
{
    if (w->target)
        show_target(w);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The window's size in the units SDL's events use; headless, the panel. */
static void window_size(const struct ui_window *w, int *ww, int *wh)
{
    *ww = w->panel_w;
    *wh = w->panel_h;
    if (w->window)
        SDL_GetWindowSize(w->window, ww, wh);
    if (*ww <= 0 || *wh <= 0) {
        *ww = w->panel_w;
        *wh = w->panel_h;
    }
}

void ui_window_touch_to_frame(const struct ui_window *w, int x, int y, int *frame_x,
                              int *frame_y)
{
    int ww, wh;
    window_size(w, &ww, &wh);
    int px = (int)((int64_t)x * w->panel_w / ww);
    int py = (int)((int64_t)y * w->panel_h / wh);
    px = clamp(px, 0, w->panel_w - 1);
    py = clamp(py, 0, w->panel_h - 1);
    rotate_panel_to_frame(w->rotation, w->panel_w, w->panel_h, px, py, frame_x, frame_y);
}

void ui_window_finger_to_frame(const struct ui_window *w, float nx, float ny, int *frame_x,
                               int *frame_y)
{
    /* Floor, not round: pixel k spans [k, k + 1) of the panel. */
    int px = clamp((int)SDL_floorf(nx * (float)w->panel_w), 0, w->panel_w - 1);
    int py = clamp((int)SDL_floorf(ny * (float)w->panel_h), 0, w->panel_h - 1);
    rotate_panel_to_frame(w->rotation, w->panel_w, w->panel_h, px, py, frame_x, frame_y);
}

/* Flushes the file to disk so that the rename cannot publish an empty
 * file after a power cut. */
static bool sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

bool ui_window_save_png(struct ui_window *w, const char *path)
{
    SDL_Surface *shot = SDL_CreateRGBSurfaceWithFormat(0, w->frame_w, w->frame_h, 24,
                                                       SDL_PIXELFORMAT_RGB24);
    if (!shot) {
        log_error(TAG, "screenshot: out of memory");
        return false;
    }
    if (w->target)
        SDL_SetRenderTarget(w->sdl, w->target);
    bool ok = SDL_RenderReadPixels(w->sdl, NULL, SDL_PIXELFORMAT_RGB24, shot->pixels,
                                   shot->pitch) == 0;
    if (w->target)
        SDL_SetRenderTarget(w->sdl, NULL);
    if (!ok) {
        log_error(TAG, "screenshot: cannot read the frame: %s", SDL_GetError());
        SDL_FreeSurface(shot);
        return false;
    }
    size_t n = strlen(path) + sizeof ".tmp";
    char *tmp = malloc(n);
    if (!tmp) {
        SDL_FreeSurface(shot);
        return false;
    }
    snprintf(tmp, n, "%s.tmp", path);
    if (IMG_SavePNG(shot, tmp) != 0) {
        log_error(TAG, "screenshot: cannot write %s: %s", tmp, IMG_GetError());
        ok = false;
    } else if (!sync_file(tmp) || rename(tmp, path) != 0) {
        log_error(TAG, "screenshot: cannot write %s: %s", path, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(tmp);
    free(tmp);
    SDL_FreeSurface(shot);
    return ok;
}
