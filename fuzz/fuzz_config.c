/* Fuzz target: the INI config reader, and each line of the input as a
 * --set argument (config_set), which quotes bytes the INI reader refuses
 * before any quoting: a line of invalid UTF-8 once overflowed the buffer
 * that quotes it back in the message. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/config.h"
#include "fuzz/fuzz.h"

static void set_each_line(struct config *cfg, const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char err[512];
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        config_set(cfg, line, err, sizeof err);
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *in = fmemopen((void *)data, size, "rb");
    FILE *diag = fopen("/dev/null", "w");
    struct config *cfg = config_new();
    if (in && diag && cfg)
        config_load_stream(cfg, in, "fuzz.ini", diag);
    config_free(cfg);
    cfg = config_new();
    if (cfg)
        set_each_line(cfg, data, size);
    config_free(cfg);
    if (in)
        fclose(in);
    if (diag)
        fclose(diag);
    return 0;
}
