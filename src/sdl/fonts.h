/*
 * The fonts text is drawn with, found through fontconfig: DejaVu Sans
 * (Debian's fonts-dejavu-core) first, for Latin, Greek and Cyrillic, and
 * for every other character the installed font fontconfig names for it
 * (Debian's Noto fonts: Arabic, Ethiopic, ...). Arabic letters prefer Noto
 * Sans Arabic, a face drawn for screens, over DejaVu's.
 *
 * Lazy on purpose: at start only DejaVu is opened; a fallback face is
 * looked up the first time a character needs it, and opened per pixel size
 * the first time it is drawn at that size, so start-up does not grow with
 * the number of scripts installed. Everything runs on the SDL thread.
 */
#ifndef BK_FONTS_H
#define BK_FONTS_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL_ttf.h>

#include "view/frame.h"

/* No installed font has the character: it is drawn with the first face
 * (as a box), and counted by font_set_missing(). */
#define FONT_FACE_NONE (-1)

struct font_set;

/* Finds DejaVu Sans regular and bold and opens them once at 20 px, so
 * that a missing or broken font fails here; NULL with a reason in err.
 * TTF_Init() must have been called. */
struct font_set *font_set_new(char *err, size_t err_len);
void font_set_free(struct font_set *fs);

/* The face (0 is DejaVu Sans) that draws cp, or FONT_FACE_NONE. */
int font_set_face_for(struct font_set *fs, unsigned cp, enum font_weight weight);

/* Whether face draws cp itself (not through a fallback). */
bool font_set_has(struct font_set *fs, int face, unsigned cp, enum font_weight weight);

/* The face opened at px (clamped to the renderer's range), or NULL when
 * its file cannot be opened. */
TTF_Font *font_set_font(struct font_set *fs, int face, int px, enum font_weight weight);

/* The family name of a face, for messages and tests. */
const char *font_set_family(const struct font_set *fs, int face, enum font_weight weight);

/* The family the pictograms (view/icons.h) are drawn with: Google's
 * Material Icons, Debian's fonts-material-design-icons-iconfont. */
#define FONT_ICON_FAMILY "Material Icons"

/* The icon font at px (clamped to the renderer's range), looked up through
 * fontconfig and mapped the first time a pictogram is drawn; NULL (logged
 * once) when it is not installed: buttons then show their labels only. */
TTF_Font *font_set_icon_font(struct font_set *fs, int px);

/* The icon font's file, or NULL when it is not installed. */
const char *font_set_icon_path(struct font_set *fs);

/* How many faces are open (looked up) for a weight: start-up opens one. */
size_t font_set_faces(const struct font_set *fs, enum font_weight weight);

#endif
