#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"error", "warning", "info", "debug"};

static enum log_level threshold(void)
{
    const char *env = getenv("BUURTKIOSK_LOG");
    if (env) {
        for (int i = 0; i < 4; i++)
            if (strcmp(env, level_names[i]) == 0)
                return (enum log_level)i;
    }
    return LOG_INFO;
}

void log_set_level(enum log_level level)
{
    if ((int)level < 0 || level > LOG_DEBUG)
        level = LOG_INFO;
    setenv("BUURTKIOSK_LOG", level_names[level], 1);
}

void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
{
    if (level > threshold())
        return;
    /* One buffered line per call, so that lines from the network thread
     * and the main thread never interleave mid-line. */
    char line[1024];
    int used = snprintf(line, sizeof line, "%s: %s: ", level_names[level], tag);
    if (used < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + used, sizeof line - (size_t)used, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
