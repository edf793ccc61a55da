#include "model/vocab.h"

#include <string.h>

static const char *const themes[] = {"opgroeien-opvoeden", "kwetsbaarheid", "leefbaarheid"};
static const char *const topics[] = {
    "mantelzorg", "geldzaken", "wonen",        "opvoeden", "gezondheid",     "eenzaamheid",
    "vrijwilligerswerk", "werk-inkomen", "taal", "veiligheid", "buurtinitiatief",
};
static const char *const days[] = {"mo", "tu", "we", "th", "fr", "sa", "su"};

#define COUNT(a) (sizeof a / sizeof *a)

static int rank_in(const char *const *list, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(list[i], code) == 0)
            return (int)i;
    return -1;
}

size_t vocab_theme_count(void) { return COUNT(themes); }
const char *vocab_theme(size_t i) { return i < COUNT(themes) ? themes[i] : NULL; }
int vocab_theme_rank(const char *code) { return rank_in(themes, COUNT(themes), code); }
size_t vocab_topic_count(void) { return COUNT(topics); }
const char *vocab_topic(size_t i) { return i < COUNT(topics) ? topics[i] : NULL; }
int vocab_topic_rank(const char *code) { return rank_in(topics, COUNT(topics), code); }
const char *vocab_day_code(int day) { return day >= 0 && day < 7 ? days[day] : NULL; }
int vocab_day_index(const char *code) { return rank_in(days, COUNT(days), code); }
