#include "model/vocab.h"

#include <string.h>

/* feed-v1.md "Codes". Order is display order: the screens list filters
 * in it, and the store's "other" / "overig" filters take everything not
 * here. */
static const char *const themes[] = {"opgroeien-opvoeden", "kwetsbaarheid", "leefbaarheid"};

static const char *const topics[] = {
    "mantelzorg",        "geldzaken",    "wonen", "opvoeden",   "gezondheid",      "eenzaamheid",
    "vrijwilligerswerk", "werk-inkomen", "taal",  "veiligheid", "buurtinitiatief", "overig",
};

static const char *const days[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};

struct vocabulary {
    const char *const *codes;
    size_t count;
};

#define VOCABULARY(a) {(a), sizeof(a) / sizeof *(a)}

static const struct vocabulary theme_vocabulary = VOCABULARY(themes);
static const struct vocabulary topic_vocabulary = VOCABULARY(topics);
static const struct vocabulary day_vocabulary = VOCABULARY(days);

static const char *code_at(const struct vocabulary *v, size_t i)
{
    return i < v->count ? v->codes[i] : NULL;
}

static int rank_in(const struct vocabulary *v, const char *code)
{
    for (size_t i = 0; code && i < v->count; i++)
        if (strcmp(code, v->codes[i]) == 0)
            return (int)i;
    return -1;
}

size_t vocab_theme_count(void)
{
    return theme_vocabulary.count;
}

const char *vocab_theme(size_t i)
{
    return code_at(&theme_vocabulary, i);
}

int vocab_theme_rank(const char *code)
{
    return rank_in(&theme_vocabulary, code);
}

size_t vocab_topic_count(void)
{
    return topic_vocabulary.count;
}

const char *vocab_topic(size_t i)
{
    return code_at(&topic_vocabulary, i);
}

int vocab_topic_rank(const char *code)
{
    return rank_in(&topic_vocabulary, code);
}

const char *vocab_day_code(int day)
{
    return day >= 0 ? code_at(&day_vocabulary, (size_t)day) : NULL;
}

int vocab_day_index(const char *code)
{
    return rank_in(&day_vocabulary, code);
}
