/* Fuzz target: the reader of compiled catalogs (model/mo.c). The input is
 * parsed as a .mo; when it is accepted, every key is looked up, and every
 * form of a plural entry the header's rule picks, so that each string
 * pointer the parser handed out is read to its end. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/mo.h"
#include "model/plural.h"

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
        if (!mo_is_plural(m, mo_key(m, i)))
            continue;
        /* A plural entry has exactly nplurals forms, so every form the
         * rule picks exists. */
        for (uint64_t n = 0; n < 30; n++) {
            const char *form = mo_lookup_form(m, mo_key(m, i), plural_form(mo_plural_rule(m), n));
            if (!form)
                __builtin_trap();
            total += strlen(form);
        }
    }
    mo_lookup(m, "home.title");
    mo_free(m);
    /* Returned, so that the reads of every string are not optimised away
     * (libFuzzer takes only 0 and -1; no length sum is ever SIZE_MAX). */
    return total == SIZE_MAX ? -1 : 0;
}
