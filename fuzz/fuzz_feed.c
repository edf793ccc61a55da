/* Fuzz target: feed parsing and validation (the kiosk's widest input). */
#include <stddef.h>
#include <stdint.h>

#include "model/feed.h"
#include "base/timeutil.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tz_use_zone("Europe/Amsterdam");
    struct feed_report report;
    feed_parse((const char *)data, size, NULL, &report);
    feed_report_clear(&report);
    return 0;
}
