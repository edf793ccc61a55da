/*
 * A compiled gettext catalog (.mo, as Debian's msgfmt writes it: see
 * "The Format of GNU MO Files" in the gettext manual), read without
 * libintl: the kiosk image has no locales, and setlocale would make the
 * interface's language depend on the machine rather than on the resident.
 *
 * Only what the kiosk uses is read: the table of original strings, the
 * table of translations, and the header's Plural-Forms rule (plural.h),
 * which picks among the forms of a msgid_plural entry. The hash table is ignored (a binary search over
 * the sorted originals is as fast for a few hundred keys). Every offset and
 * length is checked against the buffer, so a damaged file is refused, never
 * read past its end.
 */
#ifndef BK_MO_H
#define BK_MO_H

#include <stdbool.h>
#include <stddef.h>

struct plural_rule;

/* A catalog is a few kB; anything far larger is not one of ours. */
#define MO_MAX_BYTES (1u << 20)
#define MO_MAX_STRINGS 8192u

struct mo;

/* Parses len bytes (copied; data may be freed afterwards). Returns NULL and
 * a reason in err for anything that is not a well-formed .mo of at most
 * MO_MAX_BYTES and MO_MAX_STRINGS, for a Plural-Forms line plural_parse
 * refuses, and for a plural entry whose number of forms is not nplurals. */
struct mo *mo_parse(const unsigned char *data, size_t len, char *err, size_t err_len);
void mo_free(struct mo *m);

/* The translation of msgid (its first form for a plural entry), or NULL. */
const char *mo_lookup(const struct mo *m, const char *msgid);

/* True when msgid is a plural entry (msgid_plural in the .po). */
bool mo_is_plural(const struct mo *m, const char *msgid);

/* Form `form` (0-based, as plural_form numbers them) of msgid's
 * translation; a plain entry has only form 0. NULL when absent. */
const char *mo_lookup_form(const struct mo *m, const char *msgid, size_t form);

/* The rule of the header's Plural-Forms, or gettext's default (n != 1)
 * when the catalog states none. */
const struct plural_rule *mo_plural_rule(const struct mo *m);

/* The catalog's msgids in order, without the header entry. */
size_t mo_count(const struct mo *m);
const char *mo_key(const struct mo *m, size_t i);

#endif
