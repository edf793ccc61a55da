/* Fuzz target: the INI config reader. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/config.h"
#include "fuzz/fuzz.h"

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
    if (in)
        fclose(in);
    if (diag)
        fclose(diag);
    return 0;
}
