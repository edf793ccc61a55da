/* Fuzz target: the PNG and JPEG header reader that refuses a picture over
 * the limits before it is decoded (model/image_cache.c). The body comes
 * from any server a feed names. A size it reports must be a real one. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "model/image_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int w = -1, h = -1;
    if (image_cache_header_size(data, size, &w, &h) && (w <= 0 || h <= 0))
        abort(); /* "read" must mean a picture of at least one pixel */
    return 0;
}
