/* Fuzz target: text in any script and any bytes, as a feed may carry it,
 * through the order of a line (view/bidi.c), line breaking (view/
 * textlayout.c) and the labels' plain copy (frame_strdup_plain).
 *
 * Checked: the runs of a line cover every byte that is not a directional
 * formatting character exactly once, and no byte twice; laid-out lines are never wider than
 * the width (but for a single character that is wider); a plain label has
 * no formatting character left. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "fuzz/fuzz.h"
#include "view/bidi.h"
#include "view/frame.h"
#include "view/textlayout.h"

#define MAX_RUNS 256

/* Every character 10 px wide, as in the layout tests. */
static int measure(void *ctx, const char *text, size_t len, int px, enum font_weight w, bool rtl)
{
    (void)ctx, (void)px, (void)w, (void)rtl;
    int chars = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(text + i, len - i, &cp);
        chars += !bidi_is_control(cp); /* marks draw nothing */
    }
    return chars * 10;
}

static void check_runs(const char *text, size_t len, bool rtl)
{
    struct bidi_run runs[MAX_RUNS];
    size_t n = bidi_visual_runs(text, len, rtl, runs, MAX_RUNS);
    if (n > MAX_RUNS)
        return;
    unsigned char *covered = calloc(len ? len : 1, 1);
    if (!covered)
        return;
    for (size_t r = 0; r < n; r++) {
        if (runs[r].len == 0 || runs[r].start + runs[r].len > len)
            __builtin_trap();
        for (size_t i = runs[r].start; i < runs[r].start + runs[r].len; i++)
            if (covered[i]++)
                __builtin_trap(); /* a byte in two runs */
    }
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t k = utf8_decode(text + i, len - i, &cp);
        for (size_t j = i; j < i + k; j++)
            if (!bidi_is_control(cp) && covered[j] != 1)
                __builtin_trap(); /* a byte that draws, lost */
        i += k;
    }
    free(covered);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text); /* as the kiosk gets text: NUL-terminated */

    check_runs(text, len, false);
    check_runs(text, len, true);

    struct frame f;
    frame_init(&f);
    frame_reset(&f, 800, 480);
    struct text_measurer m = {measure, NULL, size & 1};
    int width = 10 * (1 + (int)(size % 17));
    struct text_block block;
    text_layout(&f, &m, text, 20, FONT_REGULAR, width, 8, &block);
    for (size_t i = 0; i < block.n_lines; i++) {
        const char *line = block.lines[i];
        int w = measure(NULL, line, strlen(line), 20, FONT_REGULAR, false);
        if (w > width + 10)
            __builtin_trap(); /* wider than the line by more than one character */
    }
    const char *plain = frame_strdup_plain(&f, text);
    for (size_t i = 0; plain[i];) {
        unsigned cp;
        i += utf8_decode(plain + i, strlen(plain + i), &cp);
        if (bidi_is_control(cp))
            __builtin_trap();
    }
    frame_free(&f);
    free(text);
    return 0;
}
