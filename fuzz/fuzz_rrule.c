/* Fuzz target: RRULE parsing and expansion, and RFC 3339 timestamps. The
 * first line is an RRULE, the second a timestamp used as DTSTART. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/rrule.h"
#include "base/timeutil.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tz_use_zone("Europe/Amsterdam");
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *second = strchr(text, '\n');
    if (second)
        *second++ = '\0';
    int64_t dtstart = 1795683600; /* 2026-11-26T10:00:00+01:00 */
    if (second)
        rfc3339_parse(second, &dtstart);
    struct rrule rule;
    char err[128];
    if (rrule_parse(text, &rule, err, sizeof err)) {
        int64_t out[1000];
        rrule_expand(&rule, dtstart, NULL, 0, dtstart - 86400, dtstart + 90 * 86400, out, 1000);
    }
    free(text);
    return 0;
}
