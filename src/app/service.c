#include "app/service.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/log.h"

#ifdef BK_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define TAG "service"
#define COMMAND_TIMEOUT_S 10

void service_ready(void)
{
#ifdef BK_HAVE_SYSTEMD
    sd_notify(0, "READY=1");
#endif
}

int64_t service_watchdog_ms(void)
{
#ifdef BK_HAVE_SYSTEMD
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0)
        return (int64_t)(usec / 1000);
#endif
    return 0;
}

bool service_managed(void)
{
    const char *id = getenv("INVOCATION_ID");
    return id && *id;
}

void service_watchdog_pet(void)
{
#ifdef BK_HAVE_SYSTEMD
    sd_notify(0, "WATCHDOG=1");
#endif
}

void service_run_display_command(const char *command)
{
    if (!command || !*command)
        return;
    /* Fork twice so that the command's process is reaped by init and the
     * main loop never waits for a slow panel. */
    pid_t child = fork();
    if (child < 0) {
        log_warn(TAG, "cannot start the display command");
        return;
    }
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            /* The alarm survives exec: a hanging command ends after 10 s. */
            alarm(COMMAND_TIMEOUT_S);
            execl("/bin/sh", "sh", "-c", command, (char *)NULL);
            _exit(127);
        }
        _exit(grandchild < 0 ? 1 : 0);
    }
    int status;
    waitpid(child, &status, 0);
    log_info(TAG, "ran the display command");
}
