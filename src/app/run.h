/*
 * `buurtkiosk run`: the event loop. Shows cached content at once, starts
 * the network thread, and sleeps until something happens: a touch, new
 * content, the next minute on the clock, or SIGTERM.
 */
#ifndef BK_RUN_H
#define BK_RUN_H

#include "app/cli.h"
#include "base/clock.h"
#include "model/config.h"

/* Returns the process exit status. */
int run_kiosk(const struct cli *cli, const struct config *cfg, const char *db_path,
              struct clock *clock);

#endif
