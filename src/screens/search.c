/*
 * search: named by automation-v1 for scripts, not built yet (no screen
 * leads here). It shows its name under the header with back and home, so
 * that a script that reaches it sees where it is.
 */
#include "screens/screens.h"

static void build(struct build *b)
{
    chrome_frame(b, screen_name(b->ui->screen), true);
}

const struct screen_def screen_search = {
    .name = "search",
    .content = CONTENT_BASE,
    .idle = IDLE_RESIDENT,
    .build = build,
};
