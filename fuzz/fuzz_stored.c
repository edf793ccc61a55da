/* Fuzz target: the readers of the JSON values the store keeps (stored.c),
 * which the content layer calls for every row the screens show. The input
 * is given to each reader as it is. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "model/stored.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    free(stored_text(text, "ar"));
    struct walk_in_slot slots[8];
    stored_walk_in(text, slots, 8);
    char *contact[CONTACT_KINDS];
    stored_contact(text, contact);
    for (int k = 0; k < CONTACT_KINDS; k++)
        free(contact[k]);
    struct string_list ids = {.n = 2, .items = {"loc-a", "loc-b"}};
    stored_ids_meet(text, &ids);
    free(text);
    return 0;
}
