/* Fuzz target: the Plural-Forms parser and evaluator (model/plural.c).
 * The input is parsed as the value of a Plural-Forms header; when it is
 * accepted, the rule is evaluated at counts taken from the input and at
 * the edges of the unsigned range, and every form it picks must be below
 * nplurals. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/plural.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct plural_rule r;
    char err[160];
    if (!plural_parse((const char *)data, size, &r, err, sizeof err)) {
        if (!memchr(err, '\0', sizeof err))
            __builtin_trap(); /* the reason is always a terminated string */
        return 0;
    }
    uint64_t from_input = 0;
    memcpy(&from_input, data, size < sizeof from_input ? size : sizeof from_input);
    const uint64_t counts[] = {0, 1, 2, 5, 11, 101, 1001, 1u << 31, UINT64_MAX, from_input};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (plural_form(&r, counts[i]) >= r.nplurals)
            __builtin_trap();
    return 0;
}
