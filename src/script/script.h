/*
 * Script mode (automation-v1.md "Script mode"): parsing a script into
 * steps, and running the steps against the UI on a manual clock.
 */
#ifndef BK_SCRIPT_H
#define BK_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/clock.h"
#include "screens/ui.h"

enum step_kind {
    STEP_TAP,           /* tap "LABEL" or tap "#ID" */
    STEP_TAP_AT,        /* tap X Y */
    STEP_SWIPE,         /* swipe X1 Y1 X2 Y2 MS */
    STEP_HOLD,          /* hold X Y MS */
    STEP_TYPE,          /* type "TEXT" */
    STEP_WAIT,          /* wait MS */
    STEP_EXPECT,        /* expect "TEXT" or "#ID" */
    STEP_EXPECT_NOT,    /* expect-not "TEXT" or "#ID" */
    STEP_EXPECT_SCREEN, /* expect-screen NAME */
    STEP_SCROLL_TO,     /* scroll-to "#ID" or "TEXT" */
    STEP_SCREENSHOT,    /* screenshot "PATH" */
    STEP_DUMP,          /* dump "PATH" */
    STEP_SYNC,          /* sync */
};

struct step {
    enum step_kind kind;
    int line;               /* 1-based line in the script */
    char *arg;              /* the quoted string or screen name, unescaped; NULL if none */
    bool arg_is_id;         /* arg began with '#': arg holds the id without it */
    int x1, y1, x2, y2;     /* tap X Y (x1, y1), swipe, hold (x1, y1) */
    int ms;                 /* swipe, hold, wait */
};

struct script {
    struct step *steps;
    size_t n;
};

/* Parses a whole script. On failure returns false and writes
 * "LINE: reason" to err; out is then empty. */
bool script_parse(const char *text, size_t len, struct script *out, char *err, size_t err_len);
void script_free(struct script *s);

/* What the runner needs from outside the core. */
struct script_host {
    struct ui *ui;
    struct clock *clock;                 /* manual */
    /* writes the current frame as PNG; false with a reason on failure */
    bool (*screenshot)(void *ctx, const char *path, char *err, size_t err_len);
    /* runs one sync pass now (then the runner calls ui_content_changed) */
    bool (*sync)(void *ctx, char *err, size_t err_len);
    void *ctx;
};

/* Runs the steps in order. Returns true when all passed; else writes
 * "LINE: reason" to err and returns false at the first failing step. */
bool script_run(const struct script *s, struct script_host *host, char *err, size_t err_len);

/* The key named for one character (automation-v1 "Widget ids"): writes
 * its id ("key.a", "key.space", "key.é") to id, cut to id_len, and sets
 * *shift when the character is the capital of that key's letter (A-Z and
 * the Latin-1 capitals À-Þ). Any other character names its own key.
 * `type` taps the named key when it types the character unshifted, and
 * otherwise finds a key by what it shows (shifted, or on another layout). */
void script_key_for(uint32_t code_point, char *id, size_t id_len, bool *shift);

#endif
