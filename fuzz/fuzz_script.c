/* Fuzz target: the script parser (script mode reads files written by
 * people who only read the contract, and acceptance suites we never see). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "script/script.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script script;
    char err[256];
    if (script_parse((const char *)data, size, &script, err, sizeof err)) {
        /* Touch every parsed string so a dangling or unterminated one
         * shows under the sanitizers. */
        size_t total = 0;
        for (size_t i = 0; i < script.n; i++)
            if (script.steps[i].arg)
                total += strlen(script.steps[i].arg);
        (void)total;
        script_free(&script);
    } else if (script.n != 0 || script.steps != NULL || memchr(err, '\0', sizeof err) == NULL) {
        /* A failed parse leaves nothing behind and a terminated message. */
        __builtin_trap();
    }
    return 0;
}
