/* Fuzz target: the reader of compiled catalogs (model/mo.c). The input is
 * parsed as a .mo; when it is accepted, every key is looked up, so that
 * each string pointer the parser handed out is read to its end. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/mo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    struct mo *m = mo_parse(data, size, err, sizeof err);
    size_t total = 0;
    for (size_t i = 0; i < mo_count(m); i++) {
        const char *text = mo_lookup(m, mo_key(m, i));
        if (!text)
            __builtin_trap(); /* a key the catalog lists must be found */
        total += strlen(text);
    }
    mo_lookup(m, "home.title");
    mo_free(m);
    /* Returned, so that the reads of every string are not optimised away
     * (libFuzzer takes only 0 and -1; no length sum is ever SIZE_MAX). */
    return total == SIZE_MAX ? -1 : 0;
}
