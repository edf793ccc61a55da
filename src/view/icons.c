/*
 * Which pictogram goes with which choice (icons.h). Names and code points
 * are Material's own (the package's scss/_variables.scss lists them).
 * To add one: a row in `icons` with the name and code point from that
 * list, a row in `by_id` for the widget that shows it; test_icons checks
 * the code point against the font.
 */
#include "view/icons.h"

#include <string.h>

static const struct icon icons[] = {
    /* navigation and main actions */
    {"arrow_back", 0xe5c4, true},
    {"home", 0xe88a, false},
    {"search", 0xe8b6, false},
    {"help", 0xe887, false},
    {"touch_app", 0xe913, false},
    {"language", 0xe894, false},
    {"how_to_reg", 0xe174, false},
    {"qr_code", 0xef6b, false},
    /* home tiles */
    {"event", 0xe878, false},
    {"campaign", 0xef49, false},
    /* accessibility toggles */
    {"contrast", 0xeb37, false},
    {"text_increase", 0xeae2, false},
    {"record_voice_over", 0xe91f, false},
    {"volume_up", 0xe050, false},
    /* themes (feed-v1 "Codes") */
    {"family_restroom", 0xf1a2, false},
    {"volunteer_activism", 0xea70, false},
    {"park", 0xea63, false},
    {"more_horiz", 0xe5d3, false},
    /* topics */
    {"elderly", 0xf21a, false},
    {"euro", 0xea15, false},
    {"house", 0xea44, false},
    {"child_care", 0xeb41, false},
    {"medical_services", 0xf109, false},
    {"groups", 0xf233, false},
    {"work", 0xe8f9, false},
    {"translate", 0xe8e2, false},
    {"security", 0xe32a, false},
    {"lightbulb", 0xe0f0, false},
};

/* Widget id -> pictogram name. Everything a resident chooses from on the
 * main path; the staff screens and the form's fields have none. */
static const struct {
    const char *id;
    const char *icon;
} by_id[] = {
    {"nav.back", "arrow_back"},
    {"nav.home", "home"},
    {"home.search", "search"},
    {"home.activities", "event"},
    {"home.services", "help"},
    {"home.announcements", "campaign"},
    {"attract.help", "help"},
    {"search.help", "help"},
    {"activity.signup", "how_to_reg"},
    {"activity.signup.waitlist", "how_to_reg"},
    {"a11y.contrast", "contrast"},
    {"a11y.large", "text_increase"},
    {"a11y.speak", "record_voice_over"},
    {"a11y.volume", "volume_up"},
    /* A theme's pictogram shows what the theme holds: growing up with a
     * family, care for the vulnerable, a liveable neighbourhood. */
    {"filter.theme.opgroeien-opvoeden", "family_restroom"},
    {"filter.theme.kwetsbaarheid", "volunteer_activism"},
    {"filter.theme.leefbaarheid", "park"},
    {"filter.theme.other", "more_horiz"},
    {"topic.mantelzorg", "elderly"},
    {"topic.geldzaken", "euro"},
    {"topic.wonen", "house"},
    {"topic.opvoeden", "child_care"},
    {"topic.gezondheid", "medical_services"},
    {"topic.eenzaamheid", "groups"},
    {"topic.vrijwilligerswerk", "volunteer_activism"},
    {"topic.werk-inkomen", "work"},
    {"topic.taal", "translate"},
    {"topic.veiligheid", "security"},
    {"topic.buurtinitiatief", "lightbulb"},
    {"topic.overig", "more_horiz"},
};

const struct icon *icon_table(size_t *n)
{
    *n = sizeof icons / sizeof *icons;
    return icons;
}

const struct icon *icon_named(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof icons / sizeof *icons; i++)
        if (strcmp(icons[i].name, name) == 0)
            return &icons[i];
    return NULL;
}

const struct icon *icon_for_id(const char *id)
{
    if (!id || !*id)
        return NULL;
    for (size_t i = 0; i < sizeof by_id / sizeof *by_id; i++)
        if (strcmp(by_id[i].id, id) == 0)
            return icon_named(by_id[i].icon);
    return NULL;
}

int icon_px(const struct theme *t)
{
    int px = t->font_body * 3 / 2;
    return px < ICON_MIN_PX ? ICON_MIN_PX : px;
}
