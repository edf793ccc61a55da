/*
 * What the kiosk does for its service manager and its panel: systemd's
 * READY and WATCHDOG notifications (when built with libsystemd), and the
 * display.off_command / display.on_command that switch the panel off
 * outside opening hours.
 */
#ifndef BK_SERVICE_H
#define BK_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

/* Tells systemd the kiosk shows its first frame. No-op without systemd. */
void service_ready(void);

/* The watchdog interval systemd asked for, in ms (0 = none). */
int64_t service_watchdog_ms(void);

/* True when systemd started the kiosk (it sets INVOCATION_ID for every
 * unit it runs), so that exiting means being started again. */
bool service_managed(void);

/* Pets the watchdog; call only from the main loop, so that a hung loop
 * stops petting and systemd restarts the kiosk. */
void service_watchdog_pet(void);

/* Runs a display command with /bin/sh -c, detached, killed after 10 s.
 * Never blocks the caller; NULL or "" does nothing. */
void service_run_display_command(const char *command);

#endif
