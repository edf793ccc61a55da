/*
 * The script runner (automation-v1.md "Script mode"): plays parsed steps
 * against the UI on a manual clock, as a finger would.
 *
 * Everything goes through the UI's public input functions and its frame,
 * never its internals, so a script exercises exactly what a resident's
 * touches do. The clock moves only here, in steps of at most one display
 * frame (16 ms) with ui_tick after each, so timers, flings and gestures
 * see time pass as they would on a real screen.
 */
#include "script/script.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One display frame at 60 Hz: the largest jump the clock makes. */
#define FRAME_MS 16
/* How long tap "...", expect, expect-screen and scroll-to wait, and how
 * often they look again meanwhile. */
#define WAIT_LIMIT_MS 2000
#define POLL_MS 50
/* A tap: finger down, this long, up (the contract's 80 ms). */
#define TAP_MS 80
/* After each key of `type`: time for the field (and search results) to
 * follow before the next key. */
#define KEY_GAP_MS 50
/* scroll-to: at most this many swipes of 300 ms, then held still before
 * the lift so that the list does not fling. */
#define MAX_SWIPES 50
#define SWIPE_MS 300
#define SWIPE_HOLD_MS 100
/* Longest text a message quotes back. */
#define QUOTE_MAX 120

struct run {
    struct script_host *host;
    struct ui *ui;
    struct clock *clock;
    const struct step *step;
    char *err;
    size_t err_len;
};

__attribute__((format(printf, 2, 3)))
static bool fail(struct run *r, const char *fmt, ...)
{
    if (!r->err || r->err_len == 0)
        return false;
    int n = snprintf(r->err, r->err_len, "%d: ", r->step->line);
    if (n < 0 || (size_t)n >= r->err_len)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, r->err_len - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

/* Text for a message: control bytes become '?', long text is cut on a
 * UTF-8 boundary. */
static const char *quote(char *buf, size_t buf_len, const char *s)
{
    size_t len = strlen(s);
    bool cut = false;
    if (len > QUOTE_MAX) {
        len = QUOTE_MAX;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
        cut = true;
    }
    if (len + 4 > buf_len)
        len = buf_len > 4 ? buf_len - 4 : 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[o++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    if (cut) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

static int64_t now_ms(const struct run *r)
{
    return clock_now_ms(r->clock);
}

/* Lets ms pass: never more than a frame at once, and never past one of
 * the UI's deadlines without a tick at it, so that a countdown or a fling
 * is seen at the times a real screen would show it. */
/* While the done screen waits for the hub, a step that lets the clock run
 * first waits in real time for the answer, up to the 3 s the screen
 * waits (automation-v1 "Script mode"): a hub on loopback is then always
 * seen answering, whatever the script's clock does. The screen keeps
 * drawing meanwhile. */
#define ANSWER_WAIT_MS 3000
#define ANSWER_POLL_MS 5

static void wait_for_answer(struct run *r)
{
    int64_t started;
    while (ui_signup_waiting(r->ui, &started) &&
           clock_monotonic_ms() - started < ANSWER_WAIT_MS) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = ANSWER_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
        ui_tick(r->ui);
        if (ui_needs_frame(r->ui))
            ui_frame(r->ui);
    }
}

static void advance(struct run *r, int64_t ms)
{
    wait_for_answer(r);
    int64_t now = now_ms(r);
    int64_t target = now + ms;
    if (ui_next_deadline_ms(r->ui) <= now)
        ui_tick(r->ui);
    while (now < target) {
        int64_t step = target - now < FRAME_MS ? target - now : FRAME_MS;
        int64_t deadline = ui_next_deadline_ms(r->ui);
        if (deadline > now && deadline - now < step)
            step = deadline - now;
        clock_advance_ms(r->clock, step);
        ui_tick(r->ui);
        now = now_ms(r);
    }
}

/* ---- finding widgets ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Equal after trimming white space around both. */
static bool equal_trimmed(const char *a, const char *b)
{
    while (is_space(*a))
        a++;
    while (is_space(*b))
        b++;
    size_t la = strlen(a), lb = strlen(b);
    while (la > 0 && is_space(a[la - 1]))
        la--;
    while (lb > 0 && is_space(b[lb - 1]))
        lb--;
    return la == lb && memcmp(a, b, la) == 0;
}

enum match_mode {
    MATCH_TAP,     /* visible, enabled; id, or label equal after trimming */
    MATCH_EXPECT,  /* visible; id, or label or text containing the string */
};

static bool widget_matches(const struct widget *w, const struct step *st, enum match_mode mode)
{
    if (!w->visible)
        return false;
    if (mode == MATCH_TAP && !w->enabled)
        return false;
    if (st->arg_is_id)
        return strcmp(w->id, st->arg) == 0;
    if (mode == MATCH_TAP)
        return equal_trimmed(w->label, st->arg);
    return strstr(w->label, st->arg) || (w->text && strstr(w->text, st->arg));
}

/* What the runner keeps of a widget: the frame it came from is rebuilt
 * by the next tick or input, so pointers into it do not last. */
struct spot {
    struct rect rect, clip;
};

/* The first matching widget in reading order. */
static bool find_widget(struct run *r, const struct step *st, enum match_mode mode,
                        struct spot *out)
{
    const struct frame *f = ui_frame(r->ui);
    for (size_t i = 0; i < f->n_widgets; i++) {
        if (widget_matches(&f->widgets[i], st, mode)) {
            out->rect = f->widgets[i].rect;
            out->clip = f->widgets[i].clip;
            return true;
        }
    }
    return false;
}

static bool find_id(struct run *r, const char *id, struct spot *out)
{
    const struct frame *f = ui_frame(r->ui);
    const struct widget *w = frame_find_id(f, id);
    if (!w || !w->visible || !w->enabled)
        return false;
    out->rect = w->rect;
    out->clip = w->clip;
    return true;
}

/* Waits up to WAIT_LIMIT_MS, letting the clock run only until it holds. */
static bool wait_for_widget(struct run *r, const struct step *st, enum match_mode mode,
                            struct spot *out)
{
    int64_t deadline = now_ms(r) + WAIT_LIMIT_MS;
    for (;;) {
        if (find_widget(r, st, mode, out))
            return true;
        if (now_ms(r) >= deadline)
            return false;
        advance(r, POLL_MS);
    }
}

/* "#ID" or the label, as ui_locate and messages take it. */
static char *selector_of(const struct step *st)
{
    size_t n = strlen(st->arg);
    char *s = malloc(n + 2);
    if (!s)
        return NULL;
    size_t o = 0;
    if (st->arg_is_id)
        s[o++] = '#';
    memcpy(s + o, st->arg, n + 1);
    return s;
}

/* ---- touches ---- */

static void tap_at(struct run *r, int x, int y)
{
    ui_touch_down(r->ui, x, y);
    advance(r, TAP_MS);
    ui_touch_up(r->ui, x, y);
}

static int lerp(int a, int b, int64_t t, int64_t total)
{
    return a + (int)lround((double)(b - a) * (double)t / (double)total);
}

/* A finger from (x1, y1) to (x2, y2) over ms, moving every frame; then
 * held still at the end for hold_ms, then lifted. With no hold, the lift
 * follows the last move at once, so a fast swipe flings. */
static void drag(struct run *r, int x1, int y1, int x2, int y2, int ms, int hold_ms)
{
    ui_touch_down(r->ui, x1, y1);
    for (int t = 0; t < ms;) {
        int step = ms - t < FRAME_MS ? ms - t : FRAME_MS;
        advance(r, step);
        t += step;
        ui_touch_move(r->ui, lerp(x1, x2, t, ms), lerp(y1, y2, t, ms));
    }
    if (ms == 0)
        ui_touch_move(r->ui, x2, y2);
    /* Still, but still reporting, as a touch panel under a resting finger
     * does: the UI's velocity estimate then decays to nothing whichever
     * way it weighs the last samples. */
    for (int t = 0; t < hold_ms;) {
        int step = hold_ms - t < FRAME_MS ? hold_ms - t : FRAME_MS;
        advance(r, step);
        t += step;
        ui_touch_move(r->ui, x2, y2);
    }
    ui_touch_up(r->ui, x2, y2);
}

/* ---- scrolling into view ---- */

enum scroll_result { SCROLL_OK, SCROLL_NO_ITEM, SCROLL_NOT_REACHED };

/* How far (px) and which way the list's content must move for the item
 * to be fully inside the viewport, or top-aligned when it is taller.
 * Only the vertical matters: lists scroll vertically and items span
 * their list's width. Returns false when nothing needs to move. */
static bool scroll_need(struct rect item, struct rect vp, int *need, bool *finger_up)
{
    int top = item.y, bottom = item.y + item.h;
    int vtop = vp.y, vbottom = vp.y + vp.h;
    if (item.h <= vp.h) {
        if (top < vtop) {
            *need = vtop - top;
            *finger_up = false;
            return true;
        }
        if (bottom > vbottom) {
            *need = bottom - vbottom;
            *finger_up = true;
            return true;
        }
        return false;
    }
    if (top == vtop)
        return false;
    *finger_up = top > vtop;
    *need = top > vtop ? top - vtop : vtop - top;
    return true;
}

/* Swipes the list holding selector until the item is in view. With
 * wait, first waits up to WAIT_LIMIT_MS for the item to exist. */
static enum scroll_result scroll_into_view(struct run *r, const char *selector, bool wait,
                                           int *swipes_out)
{
    struct rect item, vp;
    int64_t deadline = now_ms(r) + (wait ? WAIT_LIMIT_MS : 0);
    *swipes_out = 0;
    while (!ui_locate(r->ui, selector, &item, &vp)) {
        if (now_ms(r) >= deadline)
            return SCROLL_NO_ITEM;
        advance(r, POLL_MS);
    }
    const struct frame *f = ui_frame(r->ui);
    int shorter = f->width < f->height ? f->width : f->height;
    /* Never less than a clear drag (6 % of the shorter side, well past
     * any tap slop), or the swipe would be taken for a tap on what lies
     * under it. */
    int least = shorter * 6 / 100 > 48 ? shorter * 6 / 100 : 48;
    bool backed_off = false;
    for (int swipes = 0;; swipes++) {
        int need;
        bool finger_up;
        if (!scroll_need(item, vp, &need, &finger_up))
            return SCROLL_OK;
        int half = vp.h / 2;
        if (swipes == MAX_SWIPES || half < 1) {
            *swipes_out = swipes;
            return SCROLL_NOT_REACHED;
        }
        /* Half a viewport at most, as the contract says; but no more than
         * the item needs, so that an item taller than half the viewport
         * does not jump back and forth over its place, and a tall one
         * lands exactly top-aligned. */
        int d = need < half ? need : half;
        if (d < least) {
            d = least < half ? least : half;
            /* Overshooting by the least drag would miss (a tall item):
             * back off the other way once, so that the next swipe is
             * longer than the least drag and exact. */
            struct rect after = item;
            after.y += finger_up ? -d : d;
            int unused;
            bool unused_up;
            if (!backed_off && 2 * least <= half && scroll_need(after, vp, &unused, &unused_up)) {
                finger_up = !finger_up;
                backed_off = true;
            }
        }
        int x = vp.x + vp.w / 2;
        int mid = vp.y + vp.h / 2;
        /* Finger up shows what lies below: start low, end high. */
        int y1 = finger_up ? mid + d / 2 : mid - d / 2;
        int y2 = finger_up ? y1 - d : y1 + d;
        drag(r, x, y1, x, y2, SWIPE_MS, SWIPE_HOLD_MS);
        if (!ui_locate(r->ui, selector, &item, &vp))
            return SCROLL_NO_ITEM;
    }
}

/* ---- steps ---- */

/* A widget whose middle another covers (the whole attract screen under
 * its list of today's activities) is tapped where a tap reaches it, as a
 * person would tap beside the list: the first point of a grid over what
 * shows of it, nearest the middle first row by row. */
static void reachable_point(const struct frame *f, const struct spot *w, int *x, int *y)
{
    const struct widget *hit = frame_hit(f, *x, *y);
    if (!hit || (hit->rect.x == w->rect.x && hit->rect.y == w->rect.y &&
                 hit->rect.w == w->rect.w && hit->rect.h == w->rect.h))
        return;
    enum { STEPS = 16 };
    for (int j = 0; j < STEPS; j++)
        for (int i = 0; i < STEPS; i++) {
            int px = w->clip.x + (2 * i + 1) * w->clip.w / (2 * STEPS);
            int py = w->clip.y + (2 * j + 1) * w->clip.h / (2 * STEPS);
            const struct widget *at = frame_hit(f, px, py);
            if (at && at->rect.x == w->rect.x && at->rect.y == w->rect.y &&
                at->rect.w == w->rect.w && at->rect.h == w->rect.h) {
                *x = px;
                *y = py;
                return;
            }
        }
}

static bool step_tap(struct run *r, const struct step *st)
{
    char *selector = selector_of(st);
    if (!selector)
        return fail(r, "tap: out of memory");
    char q[QUOTE_MAX + 8];
    struct spot w;
    int swipes;
    bool found = wait_for_widget(r, st, MATCH_TAP, &w);
    if (found) {
        int cx = w.rect.x + w.rect.w / 2, cy = w.rect.y + w.rect.h / 2;
        /* Half hidden by its list: bring it in first, as a person would. */
        if (!rect_contains(w.clip, cx, cy)) {
            scroll_into_view(r, selector, false, &swipes);
            found = find_widget(r, st, MATCH_TAP, &w);
        }
    } else if (ui_locate(r->ui, selector, &(struct rect){0}, &(struct rect){0})) {
        /* In a list, scrolled out of view. */
        if (scroll_into_view(r, selector, false, &swipes) == SCROLL_OK)
            found = find_widget(r, st, MATCH_TAP, &w);
    }
    if (!found) {
        fail(r, "tap: no visible, enabled widget '%s'", quote(q, sizeof q, selector));
        free(selector);
        return false;
    }
    free(selector);
    int cx = w.rect.x + w.rect.w / 2, cy = w.rect.y + w.rect.h / 2;
    /* Still clipped (taller than its viewport): the middle of what shows. */
    if (!rect_contains(w.clip, cx, cy)) {
        cx = w.clip.x + w.clip.w / 2;
        cy = w.clip.y + w.clip.h / 2;
    }
    reachable_point(ui_frame(r->ui), &w, &cx, &cy);
    tap_at(r, cx, cy);
    return true;
}

static void utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        out[1] = '\0';
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        out[2] = '\0';
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        out[3] = '\0';
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        out[4] = '\0';
    }
}

/* Decodes one code point of s (the parser has checked the UTF-8; a step
 * made elsewhere gets the benefit of the doubt, byte by byte). */
static size_t utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
    if (u[0] < 0xC0)
        n = 1;
    for (size_t i = 1; i < n; i++)
        if ((u[i] & 0xC0) != 0x80)
            n = 1;
    if (n == 1 && u[0] >= 0x80) {
        *cp = 0xFFFD;
        return 1;
    }
    static const uint32_t lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t c = u[0] & lead_mask[n];
    for (size_t i = 1; i < n; i++)
        c = (c << 6) | (u[i] & 0x3Fu);
    *cp = c;
    return n;
}

void script_key_for(uint32_t cp, char *id, size_t id_len, bool *shift)
{
    static const struct {
        uint32_t cp;
        const char *id;
    } named[] = {
        {' ', "key.space"}, {'@', "key.at"},         {'.', "key.period"}, {'-', "key.minus"},
        {'\'', "key.apostrophe"}, {'+', "key.plus"}, {',', "key.comma"},
    };
    *shift = false;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (named[i].cp == cp) {
            snprintf(id, id_len, "%s", named[i].id);
            return;
        }
    }
    /* Upper case: shift, then the lower-case key. Latin-1's capitals
     * À..Þ sit 0x20 below their small letters, except × (U+00D7). */
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) {
        *shift = true;
        cp += 0x20;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD; /* not a character: names no key there is */
    char ch[5];
    utf8_put(cp, ch);
    snprintf(id, id_len, "key.%s", ch);
}

static bool tap_key(struct run *r, const char *id)
{
    struct spot k;
    if (!find_id(r, id, &k))
        return false;
    tap_at(r, k.rect.x + k.rect.w / 2, k.rect.y + k.rect.h / 2);
    advance(r, KEY_GAP_MS);
    return true;
}

/* The focused input's value: its text, else its label. NULL when no
 * input has focus. Valid until the frame changes. */
static const char *focused_value(struct run *r)
{
    const struct frame *f = ui_frame(r->ui);
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (w->focused && w->role == ROLE_INPUT)
            return w->text ? w->text : w->label;
    }
    return NULL;
}

/* A key on screen that types ch as the keyboard stands: its label shows
 * ch, or it is the key named for it (key.space shows a word). */
static bool find_key_for(struct run *r, const char *ch, const char *named_id, struct spot *out)
{
    const struct frame *f = ui_frame(r->ui);
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (w->role != ROLE_KEY || !w->visible || !w->enabled)
            continue;
        if (strcmp(w->label, ch) == 0 || (named_id && strcmp(w->id, named_id) == 0)) {
            out->rect = w->rect;
            out->clip = w->clip;
            return true;
        }
    }
    return false;
}

/* Most layouts a keyboard may go round before it is back where it began. */
#define MAX_LAYOUTS 8

/* The label of key.layout, which names the layout it leads to: each
 * layout's is its own. Empty when there is no such key. */
static void layout_key_label(struct run *r, char *out, size_t len)
{
    const struct widget *w = frame_find_id(ui_frame(r->ui), "key.layout");
    snprintf(out, len, "%s", w && w->visible ? w->label : "");
}

/* Brings a key that types ch on screen, as a finger would: as the
 * keyboard stands, else shifted, else on the next layout, round all of
 * them. When no layout has one, the keyboard is left as it was found:
 * unshifted, on its first layout. */
static bool reach_key(struct run *r, const char *ch, const char *named_id, struct spot *out)
{
    char first[64], now[64];
    layout_key_label(r, first, sizeof first);
    for (int turn = 0; turn < MAX_LAYOUTS; turn++) {
        if (find_key_for(r, ch, named_id, out))
            return true;
        struct spot unused;
        if (find_id(r, "key.shift", &unused)) {
            tap_key(r, "key.shift");
            if (find_key_for(r, ch, named_id, out))
                return true;
            tap_key(r, "key.shift");
        }
        if (!first[0] || !tap_key(r, "key.layout"))
            return false;
        layout_key_label(r, now, sizeof now);
        if (strcmp(now, first) == 0)
            return false;
    }
    return false;
}

/* A keyboard put away (key.done on search) comes back when its field is
 * tapped, as a resident would bring it back. */
static void bring_keyboard(struct run *r)
{
    struct spot unused;
    if (find_id(r, "key.space", &unused))
        return;
    const struct frame *f = ui_frame(r->ui);
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (w->focused && w->role == ROLE_INPUT && w->visible) {
            tap_key(r, w->id);
            return;
        }
    }
}

static bool step_type(struct run *r, const struct step *st)
{
    if (!focused_value(r))
        return fail(r, "type: no focused field");
    bring_keyboard(r);
    for (const char *p = st->arg; *p;) {
        uint32_t cp;
        size_t n = utf8_next(p, &cp);
        char ch[5];
        memcpy(ch, p, n);
        ch[n] = '\0';
        p += n;
        /* The key named for the character (key.space), when it types it
         * unshifted; any other key is found by what it shows. */
        char named[16];
        bool shift;
        script_key_for(cp, named, sizeof named, &shift);
        struct spot key;
        if (!reach_key(r, ch, shift ? NULL : named, &key)) {
            char q[16];
            return fail(r, "type: no key for '%s'", quote(q, sizeof q, ch));
        }
        tap_at(r, key.rect.x + key.rect.w / 2, key.rect.y + key.rect.h / 2);
        advance(r, KEY_GAP_MS);
    }
    const char *value = focused_value(r);
    if (!value)
        return fail(r, "type: no focused field");
    if (strcmp(value, st->arg) != 0) {
        char q1[QUOTE_MAX + 8], q2[QUOTE_MAX + 8];
        return fail(r, "type: field holds '%s' not '%s'", quote(q1, sizeof q1, value),
                    quote(q2, sizeof q2, st->arg));
    }
    return true;
}

static bool step_expect(struct run *r, const struct step *st)
{
    struct spot w;
    if (wait_for_widget(r, st, MATCH_EXPECT, &w))
        return true;
    char q[QUOTE_MAX + 8];
    return fail(r, "expect: no visible widget with '%s%s'", st->arg_is_id ? "#" : "",
                quote(q, sizeof q, st->arg));
}

static bool step_expect_not(struct run *r, const struct step *st)
{
    struct spot w;
    if (!find_widget(r, st, MATCH_EXPECT, &w))
        return true;
    char q[QUOTE_MAX + 8];
    return fail(r, "expect-not: a visible widget has '%s%s'", st->arg_is_id ? "#" : "",
                quote(q, sizeof q, st->arg));
}

static bool step_expect_screen(struct run *r, const struct step *st)
{
    int64_t deadline = now_ms(r) + WAIT_LIMIT_MS;
    for (;;) {
        const char *name = screen_name(ui_screen(r->ui));
        if (name && strcmp(name, st->arg) == 0)
            return true;
        if (now_ms(r) >= deadline) {
            char q[QUOTE_MAX + 8];
            return fail(r, "expect-screen: on '%s', not '%s'", name ? name : "?",
                        quote(q, sizeof q, st->arg));
        }
        advance(r, POLL_MS);
    }
}

static bool step_scroll_to(struct run *r, const struct step *st)
{
    char *selector = selector_of(st);
    if (!selector)
        return fail(r, "scroll-to: out of memory");
    int swipes;
    enum scroll_result res = scroll_into_view(r, selector, true, &swipes);
    char q[QUOTE_MAX + 8];
    quote(q, sizeof q, selector);
    free(selector);
    if (res == SCROLL_NO_ITEM)
        return fail(r, "scroll-to: no item '%s'", q);
    if (res == SCROLL_NOT_REACHED)
        return fail(r, "scroll-to: '%s' not reached after %d swipes", q, swipes);
    return true;
}

static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Writes PATH.tmp, syncs it and renames it over PATH: a reader (or a
 * crash) never sees half a dump. */
static bool write_file_atomic(const char *path, const char *text, int *err_out)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp) {
        *err_out = ENOMEM;
        return false;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        *err_out = errno;
        free(tmp);
        return false;
    }
    bool ok = write_all(fd, text, strlen(text)) && write_all(fd, "\n", 1) && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        *err_out = e;
    }
    free(tmp);
    return ok;
}

static bool step_dump(struct run *r, const struct step *st)
{
    char *json = frame_dump_json(ui_frame(r->ui));
    if (!json)
        return fail(r, "dump: out of memory");
    int e = 0;
    bool ok = write_file_atomic(st->arg, json, &e);
    free(json);
    if (!ok) {
        char q[QUOTE_MAX + 8];
        return fail(r, "dump: cannot write '%s': %s", quote(q, sizeof q, st->arg), strerror(e));
    }
    return true;
}

static bool step_screenshot(struct run *r, const struct step *st)
{
    if (!r->host->screenshot)
        return fail(r, "screenshot: not available here");
    ui_frame(r->ui); /* the host draws the frame as it is now */
    char reason[256] = "";
    if (!r->host->screenshot(r->host->ctx, st->arg, reason, sizeof reason))
        return fail(r, "screenshot: %s", reason[0] ? reason : "failed");
    return true;
}

static bool step_sync(struct run *r)
{
    if (!r->host->sync)
        return fail(r, "sync: not available here");
    char reason[256] = "";
    bool ok = r->host->sync(r->host->ctx, reason, sizeof reason);
    /* Even a failed pass may have changed what the store holds (the
     * outbox): the screens look again either way. */
    ui_content_changed(r->ui);
    if (!ok)
        return fail(r, "sync: %s", reason[0] ? reason : "failed");
    return true;
}

static bool run_step(struct run *r, const struct step *st)
{
    switch (st->kind) {
    case STEP_TAP:
        return step_tap(r, st);
    case STEP_TAP_AT:
        tap_at(r, st->x1, st->y1);
        return true;
    case STEP_SWIPE:
        drag(r, st->x1, st->y1, st->x2, st->y2, st->ms, 0);
        return true;
    case STEP_HOLD:
        ui_touch_down(r->ui, st->x1, st->y1);
        advance(r, st->ms);
        ui_touch_up(r->ui, st->x1, st->y1);
        return true;
    case STEP_TYPE:
        return step_type(r, st);
    case STEP_WAIT:
        advance(r, st->ms);
        return true;
    case STEP_EXPECT:
        return step_expect(r, st);
    case STEP_EXPECT_NOT:
        return step_expect_not(r, st);
    case STEP_EXPECT_SCREEN:
        return step_expect_screen(r, st);
    case STEP_SCROLL_TO:
        return step_scroll_to(r, st);
    case STEP_SCREENSHOT:
        return step_screenshot(r, st);
    case STEP_DUMP:
        return step_dump(r, st);
    case STEP_SYNC:
        return step_sync(r);
    }
    return fail(r, "unknown step");
}

bool script_run(const struct script *s, struct script_host *host, char *err, size_t err_len)
{
    if (err && err_len)
        err[0] = '\0';
    struct run r = {host, host->ui, host->clock, NULL, err, err_len};
    for (size_t i = 0; i < s->n; i++) {
        r.step = &s->steps[i];
        if (!run_step(&r, r.step))
            return false;
    }
    return true;
}
