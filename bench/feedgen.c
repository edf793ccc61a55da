#include "feedgen.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"

/* ---- a tiny PRNG ---------------------------------------------------------
 * splitmix64: one 64-bit word of state, good enough spread for picking
 * words and dates, and identical on every platform (rand() is not), so
 * the same seed always yields the same feed bytes. */

struct rng {
    uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, n); the modulo bias for the small n used here is far
 * below anything that would change a benchmark. */
static size_t rng_below(struct rng *r, size_t n)
{
    return n ? (size_t)(rng_next(r) % n) : 0;
}

/* True with the given percentage. */
static bool rng_percent(struct rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* ---- dates --------------------------------------------------------------
 * Days are counted from the base date; the calendar is core/timeutil's. */

/* The civil date DAYS days after the base date (before it when negative). */
static struct local_time base_plus(int days)
{
    struct local_time d = {
        .year = FEEDGEN_BASE_YEAR, .month = FEEDGEN_BASE_MONTH, .day = FEEDGEN_BASE_DAY};
    civil_add_days(&d, days);
    return d;
}

/* A local wall-clock time DAYS days after the base date, minutes since
 * midnight. Activities stay between 09:00 and 21:30, so adding 90 minutes
 * never crosses midnight. */
static void format_time(char buf[32], int days, int minutes)
{
    struct local_time d = base_plus(days);
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:00" FEEDGEN_OFFSET, d.year, d.month, d.day,
             minutes / 60 % 24, minutes % 60);
}

/* ---- word lists ----------------------------------------------------------
 * nl/en pairs, so that every text is a localized object with both
 * languages, as the hub sends them. Some carry non-ASCII UTF-8 on
 * purpose (é, €, ë), as real Dutch texts do. */

struct pair {
    const char *nl, *en;
};

#define COUNT_OF(a) (sizeof(a) / sizeof *(a))

static const struct pair titles[] = {
    {"Koffieochtend", "Coffee morning"},
    {"Taalcafé", "Language café"},
    {"Repair Café", "Repair Café"},
    {"Samen koken", "Cooking together"},
    {"Wandelgroep", "Walking group"},
    {"Spreekuur geldzaken", "Money matters drop-in"},
    {"Digitaal café", "Digital café"},
    {"Breicafé", "Knitting café"},
    {"Huiswerkbegeleiding", "Homework support"},
    {"Ouder-kindochtend", "Parent and child morning"},
    {"Stoelyoga", "Chair yoga"},
    {"Buurtmaaltijd", "Neighbourhood dinner"},
    {"Mantelzorgcafé", "Carers' café"},
    {"Spelletjesmiddag", "Games afternoon"},
    {"Tekenles voor iedereen", "Drawing class for everyone"},
    {"Fietsreparatie", "Bike repair"},
    {"Moestuinieren", "Community gardening"},
    {"Sjoelen", "Sjoelen (Dutch shuffleboard)"},
    {"Voorleesuurtje", "Story time"},
    {"Computerhulp", "Computer help"},
};

static const struct pair qualifiers[] = {
    {"", ""},
    {" voor 55-plussers", " for over-55s"},
    {" voor jongeren", " for young people"},
    {" voor ouders", " for parents"},
    {" in de buurt", " in the neighbourhood"},
    {" (nieuw)", " (new)"},
};

static const struct pair summaries[] = {
    {"Gezellig samen, binnenlopen kan altijd.", "Come together; just walk in any time."},
    {"Gratis en zonder aanmelding, iedereen is welkom.", "Free and no sign-up needed; all welcome."},
    {"Met vrijwilligers die graag een handje helpen.", "With volunteers who are happy to help."},
    {"Neem gerust een buurman of buurvrouw mee.", "Feel free to bring a neighbour along."},
    {"Koffie en thee staan klaar.", "Coffee and tea are ready for you."},
    {"Voor beginners en gevorderden.", "For beginners and the more experienced."},
};

static const struct pair sentences[] = {
    {"Elke keer staat de koffie klaar en is er tijd voor een praatje met buurtgenoten.",
     "Each time the coffee is ready and there is time for a chat with neighbours."},
    {"U hoeft niets mee te nemen; materialen zijn aanwezig en de begeleiding is gratis.",
     "You do not need to bring anything; materials are provided and the support is free."},
    {"De activiteit wordt georganiseerd door vrijwilligers uit de wijk, samen met het buurthuis.",
     "The activity is run by volunteers from the area, together with the community centre."},
    {"Heeft u vragen of wilt u helpen? Spreek ons gerust aan, we zijn er elke week.",
     "Any questions, or would you like to help? Just talk to us, we are here every week."},
    {"De ruimte is rolstoeltoegankelijk en er is een invalidentoilet op de begane grond.",
     "The room is wheelchair accessible and there is an accessible toilet on the ground floor."},
    {"Kinderen zijn welkom onder begeleiding; er is een hoek met speelgoed en boeken.",
     "Children are welcome with an adult; there is a corner with toys and books."},
    {"We sluiten af met een kop soep en een kort moment om de volgende keer te plannen.",
     "We finish with a bowl of soup and a short moment to plan the next session."},
    {"Een eigen bijdrage is niet nodig, maar een vrijwillige gift wordt gewaardeerd.",
     "No fee is needed, but a voluntary contribution is appreciated."},
    {"Iedereen is welkom, jong en oud.", "Everyone is welcome, young and old."},
    {"Aanmelden is niet nodig.", "No need to register."},
    {"Loop gerust eens binnen om te kijken.", "Feel free to drop in and have a look."},
    {"De koffie is gratis.", "The coffee is free."},
};

static const char *const theme_codes[] = {"opgroeien-opvoeden", "kwetsbaarheid", "leefbaarheid"};
static const char *const function_codes[] = {"informatie-advies", "ontmoeting", "ondersteuning"};
static const char *const audiences[] = {"ouderen", "jongeren", "ouders", "mantelzorgers",
                                        "nieuwkomers", "iedereen"};
static const char *const topic_codes[] = {
    "mantelzorg", "geldzaken", "wonen", "opvoeden", "gezondheid", "eenzaamheid",
    "vrijwilligerswerk", "werk-inkomen", "taal", "veiligheid", "buurtinitiatief", "overig"};
static const char *const byday_codes[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const walk_in_days[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};
static const char *const signup_fields[] = {"name", "phone", "email", "party_size", "remark"};

static const struct pair place_kinds[] = {
    {"Buurthuis", "Community centre"},
    {"Wijkcentrum", "Neighbourhood centre"},
    {"Bibliotheek", "Library"},
    {"Huis van de Wijk", "Neighbourhood house"},
};
static const char *const place_names[] = {
    "De Nieuwe Sleutel", "De Lindeboom", "De Ooievaar", "Schothorst", "Soesterkwartier",
    "Het Klooster", "De Kruiskamp", "Zielhorst", "Kattenbroek", "Nieuwland",
};
static const char *const streets[] = {"Klaverhof", "Lindeboomlaan", "Ooievaarsweide",
                                      "Boekweitplein", "Spoorzicht", "Kloosterstraat",
                                      "Vlasakker", "Ruimtesonde", "Operetteweg"};
static const char *const neighbourhoods[] = {"Kruiskamp", "Liendert", "Vathorst", "Schothorst",
                                             "Soesterkwartier", "Kattenbroek", "Nieuwland"};

static const struct pair service_names[] = {
    {"Hulp bij geldzaken", "Help with money matters"},
    {"Formulierenhulp", "Help with forms"},
    {"Maatjesproject", "Buddy project"},
    {"Mantelzorgondersteuning", "Support for carers"},
    {"Juridisch spreekuur", "Legal advice hours"},
    {"Opvoedsteunpunt", "Parenting support point"},
    {"Klussendienst", "Odd-jobs service"},
    {"Taalmaatje", "Language buddy"},
    {"Wijkverpleging", "District nursing"},
    {"Vrijwilligerscentrale", "Volunteer centre"},
};
static const char *const organizations[] = {"Indebuurt033", "Schuldhulpmaatjes", "Humanitas",
                                            "Het Juridisch Loket", "Vrijwilligerscentrale",
                                            "GGD regio Utrecht"};
static const struct pair how_tos[] = {
    {"Bel of loop binnen; u hoeft geen afspraak te maken.",
     "Call or walk in; you do not need an appointment."},
    {"Maak een afspraak via de telefoon of per e-mail.", "Make an appointment by phone or e-mail."},
    {"Meld u aan bij de balie van het buurthuis.", "Register at the desk of the community centre."},
};
static const struct pair announcement_texts[] = {
    {"Het buurthuis is tijdens de feestdagen gesloten.",
     "The community centre is closed during the holidays."},
    {"Nieuw: elke woensdag een gratis lunch voor buurtbewoners.",
     "New: a free lunch for residents every Wednesday."},
    {"Let op: de ingang is tijdelijk aan de achterkant vanwege werkzaamheden.",
     "Please note: the entrance is temporarily at the back because of works."},
    {"Vrijwilligers gezocht voor de kerstmarkt.", "Volunteers wanted for the Christmas market."},
};

/* ---- other scripts (feedgen_config.mixed_scripts) --------------------------
 * Arabic texts line up with the Dutch lists above, index for index, so that
 * an activity's `ar` says what its `nl` says. Some keep a Latin name or a
 * number inside the Arabic line (Sjoelen, 55, 2,50), as real translations
 * do, because that is what the bidi step has to keep readable. */

static const char *const titles_ar[] = {
    "صباح القهوة",
    "مقهى اللغة",
    "مقهى التصليح (Repair Café)",
    "الطبخ معًا",
    "مجموعة المشي",
    "استشارات في الشؤون المالية",
    "المقهى الرقمي",
    "مقهى الحياكة",
    "المساعدة في الواجبات المدرسية",
    "صباح الأهل والأطفال",
    "يوغا على الكرسي",
    "عشاء الحي",
    "مقهى مقدمي الرعاية",
    "ظهيرة الألعاب",
    "درس رسم للجميع",
    "تصليح الدراجات",
    "البستنة المجتمعية",
    "لعبة Sjoelen الهولندية",
    "ساعة الحكايات",
    "مساعدة في الحاسوب",
};

static const char *const qualifiers_ar[] = {
    "", " لمن تجاوزوا 55 عامًا", " للشباب", " للأهل", " في الحي", " (جديد)",
};

static const char *const summaries_ar[] = {
    "لقاء ودي، يمكنك الحضور في أي وقت.",
    "مجاني وبدون تسجيل، الجميع مرحب بهم.",
    "مع متطوعين يسعدهم تقديم المساعدة.",
    "لا تتردد في إحضار أحد جيرانك.",
    "القهوة والشاي جاهزان.",
    "للمبتدئين وذوي الخبرة.",
};

static const char *const sentences_ar[] = {
    "في كل مرة تكون القهوة جاهزة ويوجد وقت للحديث مع الجيران.",
    "لا تحتاج إلى إحضار أي شيء؛ المواد متوفرة والإرشاد مجاني.",
    "ينظم النشاط متطوعون من الحي بالتعاون مع المركز المجتمعي.",
    "هل لديك أسئلة أو تريد المساعدة؟ تحدث إلينا، نحن هنا كل أسبوع.",
    "القاعة مناسبة للكراسي المتحركة، ويوجد مرحاض مجهز في الطابق الأرضي.",
    "الأطفال مرحب بهم برفقة شخص بالغ؛ توجد زاوية فيها ألعاب وكتب.",
    "نختتم بصحن من الحساء ولحظة قصيرة للتخطيط للمرة القادمة.",
    "لا حاجة إلى رسوم، لكن التبرع الطوعي موضع تقدير.",
    "الجميع مرحب بهم، صغارًا وكبارًا.",
    "لا حاجة إلى التسجيل.",
    "تفضل بالدخول وألقِ نظرة.",
    "القهوة مجانية.",
};

static const char *const announcement_texts_ar[] = {
    "المركز المجتمعي مغلق خلال العطلات.",
    "جديد: غداء مجاني لسكان الحي كل يوم أربعاء.",
    "يرجى الانتباه: المدخل مؤقتًا من الخلف بسبب أعمال البناء.",
    "مطلوب متطوعون لسوق عيد الميلاد.",
};

_Static_assert(COUNT_OF(titles_ar) == COUNT_OF(titles), "one Arabic title per title");
_Static_assert(COUNT_OF(qualifiers_ar) == COUNT_OF(qualifiers), "one per qualifier");
_Static_assert(COUNT_OF(summaries_ar) == COUNT_OF(summaries), "one per summary");
_Static_assert(COUNT_OF(sentences_ar) == COUNT_OF(sentences), "one per sentence");
_Static_assert(COUNT_OF(announcement_texts_ar) == COUNT_OF(announcement_texts),
               "one per announcement text");

/* A Ukrainian group's own activities: the title it typed (in Cyrillic,
 * into the feed's Dutch field) and an English one. */
static const struct pair titles_uk[] = {
    {"Розмовний клуб української мови", "Ukrainian conversation club"},
    {"Кава та знайомство", "Coffee and getting to know each other"},
    {"Нідерландська для українців", "Dutch for Ukrainians"},
    {"Дитячий клуб «Соняшник»", "Sunflower children's club"},
    {"Суботня українська школа", "Saturday Ukrainian school"},
    {"Зустріч української громади", "Ukrainian community meeting"},
    {"Гурток вишивання", "Embroidery circle"},
    {"Шахи для всіх", "Chess for everyone"},
    {"Хор «Калина»", "Kalyna choir"},
    {"Консультація: житло та робота", "Advice on housing and work"},
};

/* Which script an activity's title is in, from its index alone (no
 * random draw, so the plain feed's picks stay as they are). */
enum title_script { SCRIPT_LATIN, SCRIPT_ARABIC, SCRIPT_CYRILLIC };

static enum title_script activity_script(const struct feedgen_config *cfg, size_t i)
{
    if (!cfg->mixed_scripts)
        return SCRIPT_LATIN;
    static const enum title_script thirds[3] = {SCRIPT_ARABIC, SCRIPT_CYRILLIC, SCRIPT_LATIN};
    return thirds[i % 3];
}

/* ---- JSON helpers ---------------------------------------------------------
 * Every helper returns a new reference or NULL; json_object_set_new and
 * json_array_append_new accept NULL and report it, and the builders
 * collect those reports in *ok so that out-of-memory surfaces once. */

static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (json_object_set_new(obj, key, value) != 0)
        *ok = false;
}

static void push(json_t *arr, json_t *value, bool *ok)
{
    if (json_array_append_new(arr, value) != 0)
        *ok = false;
}

static json_t *text_pair(const char *nl, const char *en)
{
    return json_pack("{ssss}", "nl", nl, "en", en);
}

/* nl and en, and a third language when text is not NULL. */
static json_t *text_with(const char *nl, const char *en, const char *lang, const char *text)
{
    if (!text)
        return text_pair(nl, en);
    return json_pack("{ssssss}", "nl", nl, "en", en, lang, text);
}

/* A description of about 200 bytes per language: sentences (20-95
 * bytes) are added until the Dutch text reaches 170 bytes, which lands
 * between 170 and about 265, some 210 on average. With arabic, the same
 * sentences in Arabic too (about 1.7x the bytes: two per letter). */
static json_t *description_text(struct rng *r, bool arabic)
{
    char nl[512] = "", en[512] = "", ar[1024] = "";
    size_t first = rng_below(r, COUNT_OF(sentences));
    /* Step 5 is coprime with the 12 sentences: no sentence twice. */
    for (size_t k = 0; strlen(nl) < 170 && k < COUNT_OF(sentences); k++) {
        size_t at = (first + k * 5) % COUNT_OF(sentences);
        const struct pair *p = &sentences[at];
        size_t ln = strlen(nl), le = strlen(en), la = strlen(ar);
        snprintf(nl + ln, sizeof nl - ln, "%s%s", ln ? " " : "", p->nl);
        snprintf(en + le, sizeof en - le, "%s%s", le ? " " : "", p->en);
        if (arabic)
            snprintf(ar + la, sizeof ar - la, "%s%s", la ? " " : "", sentences_ar[at]);
    }
    return text_with(nl, en, "ar", arabic ? ar : NULL);
}

/* 1..max distinct codes from a list, in list order. */
static json_t *code_list(struct rng *r, const char *const *codes, size_t n, size_t max)
{
    json_t *arr = json_array();
    size_t want = 1 + rng_below(r, max);
    size_t start = rng_below(r, n);
    bool ok = arr != NULL;
    for (size_t k = 0; ok && k < want && k < n; k++)
        push(arr, json_string(codes[(start + k) % n]), &ok);
    if (!ok) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

void feedgen_location_id(size_t i, char *buf, size_t len)
{
    snprintf(buf, len, "loc-%02zu", i + 1);
}

/* ---- the four kinds of item ---------------------------------------------- */

static json_t *make_location(struct rng *r, size_t i)
{
    char id[32], name_nl[96], name_en[128], address[96], acc_nl[160], acc_en[160];
    const struct pair *kind = &place_kinds[i % COUNT_OF(place_kinds)];
    const char *place = place_names[(i / COUNT_OF(place_kinds) + i) % COUNT_OF(place_names)];
    feedgen_location_id(i, id, sizeof id);
    snprintf(name_nl, sizeof name_nl, "%s %s", kind->nl, place);
    snprintf(name_en, sizeof name_en, "%s %s", kind->en, place);
    snprintf(address, sizeof address, "%s %zu, 38%02zu %c%c Amersfoort",
             streets[rng_below(r, COUNT_OF(streets))], 1 + rng_below(r, 120),
             10 + rng_below(r, 30), (char)('A' + rng_below(r, 26)), (char)('A' + rng_below(r, 26)));
    bool lift = rng_percent(r, 50);
    snprintf(acc_nl, sizeof acc_nl, "Rolstoeltoegankelijk%s. Invalidentoilet aanwezig.",
             lift ? ", met lift" : ", alles op de begane grond");
    snprintf(acc_en, sizeof acc_en, "Wheelchair accessible%s. Accessible toilet.",
             lift ? ", with a lift" : ", all on the ground floor");

    json_t *loc = json_object();
    bool ok = loc != NULL;
    if (!ok)
        return NULL;
    set(loc, "id", json_string(id), &ok);
    set(loc, "name", text_pair(name_nl, name_en), &ok);
    set(loc, "address", json_string(address), &ok);
    set(loc, "neighbourhood", json_string(neighbourhoods[rng_below(r, COUNT_OF(neighbourhoods))]),
        &ok);
    /* Amersfoort and around: 52.13-52.20 N, 5.35-5.43 E. */
    set(loc, "lat", json_real(52.13 + (double)rng_below(r, 7000) / 100000.0), &ok);
    set(loc, "lon", json_real(5.35 + (double)rng_below(r, 8000) / 100000.0), &ok);
    set(loc, "accessibility", text_pair(acc_nl, acc_en), &ok);
    if (!ok) {
        json_decref(loc);
        return NULL;
    }
    return loc;
}

static json_t *make_signup(struct rng *r, const char *starts_at)
{
    json_t *su = json_object();
    bool ok = su != NULL;
    if (!ok)
        return NULL;
    int64_t capacity = 8 + (int64_t)rng_below(r, 23);
    set(su, "capacity", json_integer(capacity), &ok);
    if (rng_percent(r, 33)) {
        /* The per-occurrence form, keyed by the first occurrence. */
        json_t *taken = json_object();
        if (taken)
            set(taken, starts_at, json_integer((json_int_t)rng_below(r, (size_t)capacity + 1)), &ok);
        set(su, "taken", taken, &ok);
    } else {
        set(su, "taken", json_integer((json_int_t)rng_below(r, (size_t)capacity + 1)), &ok);
    }
    set(su, "waitlist", json_boolean(rng_percent(r, 50)), &ok);
    static const int closes[] = {0, 60, 1440};
    set(su, "closes_before_min", json_integer(closes[rng_below(r, COUNT_OF(closes))]), &ok);
    json_t *fields = json_array();
    if (fields) {
        push(fields, json_string(signup_fields[0]), &ok);
        push(fields, json_string(signup_fields[1]), &ok);
        if (rng_percent(r, 40))
            push(fields, json_string(signup_fields[2 + rng_below(r, 3)]), &ok);
    }
    set(su, "fields", fields, &ok);
    if (!ok) {
        json_decref(su);
        return NULL;
    }
    return su;
}

static json_t *make_activity(struct rng *r, size_t i, const struct feedgen_config *cfg)
{
    char id[32], loc[32], title_nl[128], title_en[128], title_ar[256], starts[32], ends[32],
        rrule[96] = "";
    snprintf(id, sizeof id, "act-%06zu", i + 1);
    feedgen_location_id(rng_below(r, cfg->n_locations), loc, sizeof loc);

    size_t ti = rng_below(r, COUNT_OF(titles));
    size_t qi = rng_below(r, COUNT_OF(qualifiers));
    enum title_script script = activity_script(cfg, i);
    bool arabic = script == SCRIPT_ARABIC;
    if (script == SCRIPT_CYRILLIC) {
        /* The group's own title; the third of the list it falls in
         * (i / 3) walks the titles, so neighbours differ. */
        const struct pair *u = &titles_uk[(i / 3) % COUNT_OF(titles_uk)];
        snprintf(title_nl, sizeof title_nl, "%s", u->nl);
        snprintf(title_en, sizeof title_en, "%s", u->en);
    } else {
        snprintf(title_nl, sizeof title_nl, "%s%s", titles[ti].nl, qualifiers[qi].nl);
        snprintf(title_en, sizeof title_en, "%s%s", titles[ti].en, qualifiers[qi].en);
    }
    if (arabic)
        snprintf(title_ar, sizeof title_ar, "%s%s", titles_ar[ti], qualifiers_ar[qi]);

    /* The two weeks around the base date: day -7 .. +6, 09:00 .. 20:00
     * on the quarter hour, lasting 1.5 h. */
    int day = -7 + (int)rng_below(r, 14);
    int minutes = 9 * 60 + 15 * (int)rng_below(r, 45);
    format_time(starts, day, minutes);
    format_time(ends, day, minutes + 90);

    /* 60 % one-off, 30 % weekly on the start's weekday, 10 % monthly on
     * the start's nth weekday, so that starts_at is itself an occurrence
     * of the rule, as a hub would write it. */
    size_t kind = rng_below(r, 10);
    int wd = base_plus(day).wday;
    bool weekly = kind >= 6 && kind < 9, monthly = kind == 9;
    if (weekly) {
        snprintf(rrule, sizeof rrule, "FREQ=WEEKLY;BYDAY=%s%s", byday_codes[wd],
                 rng_percent(r, 20) ? ";UNTIL=20270301" : "");
    } else if (monthly) {
        int nth = (base_plus(day).day - 1) / 7 + 1;
        snprintf(rrule, sizeof rrule, "FREQ=MONTHLY;BYDAY=%d%s", nth == 5 ? -1 : nth,
                 byday_codes[wd]);
    }

    json_t *a = json_object();
    bool ok = a != NULL;
    if (!ok)
        return NULL;
    size_t si = rng_below(r, COUNT_OF(summaries));
    set(a, "id", json_string(id), &ok);
    if (script == SCRIPT_CYRILLIC)
        set(a, "title", text_with(title_nl, title_en, "uk", title_nl), &ok);
    else
        set(a, "title", text_with(title_nl, title_en, "ar", arabic ? title_ar : NULL), &ok);
    set(a, "summary", text_with(summaries[si].nl, summaries[si].en, "ar",
                                arabic ? summaries_ar[si] : NULL), &ok);
    set(a, "description", description_text(r, arabic), &ok);
    set(a, "themes", code_list(r, theme_codes, COUNT_OF(theme_codes), 2), &ok);
    set(a, "functions", code_list(r, function_codes, COUNT_OF(function_codes), 2), &ok);
    if (rng_percent(r, 70))
        set(a, "audience", code_list(r, audiences, COUNT_OF(audiences), 2), &ok);
    set(a, "location_id", json_string(loc), &ok);
    set(a, "starts_at", json_string(starts), &ok);
    set(a, "ends_at", json_string(ends), &ok);
    if (*rrule)
        set(a, "rrule", json_string(rrule), &ok);
    if (weekly && rng_percent(r, 10)) {
        /* A cancelled session two weeks on: same wall time, still +01:00. */
        char ex[32];
        format_time(ex, day + 14, minutes);
        json_t *exdates = json_array();
        if (exdates)
            push(exdates, json_string(ex), &ok);
        set(a, "exdates", exdates, &ok);
    }
    if (rng_percent(r, 40))
        set(a, "cost", rng_percent(r, 50)
                           ? text_with("Gratis", "Free", "ar", arabic ? "مجاني" : NULL)
                           : text_with("€ 2,50", "€2.50", "ar", arabic ? "2,50 يورو" : NULL),
            &ok);
    if (rng_percent(r, 50)) {
        char url[96];
        snprintf(url, sizeof url, "https://example.org/activiteit/%s", id);
        set(a, "url", json_string(url), &ok);
    }
    if (rng_percent(r, 30))
        set(a, "signup", make_signup(r, starts), &ok);
    if (cfg->image_url && cfg->image_every && i % cfg->image_every == 0)
        set(a, "image", json_string(cfg->image_url), &ok);
    if (rng_percent(r, 20))
        set(a, "contact", json_pack("{ssss}", "phone", "033 123 45 67", "email",
                                    "info@example.org"), &ok);
    set(a, "updated_at", json_string("2026-11-20T12:00:00" FEEDGEN_OFFSET), &ok);
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *make_service(struct rng *r, size_t i, const struct feedgen_config *cfg)
{
    char id[32], loc[32], name_nl[128], name_en[160], phone[32];
    const struct pair *n = &service_names[rng_below(r, COUNT_OF(service_names))];
    const char *hood = neighbourhoods[rng_below(r, COUNT_OF(neighbourhoods))];
    snprintf(id, sizeof id, "svc-%04zu", i + 1);
    snprintf(name_nl, sizeof name_nl, "%s %s", n->nl, hood);
    snprintf(name_en, sizeof name_en, "%s (%s)", n->en, hood);
    snprintf(phone, sizeof phone, "033 %03zu %02zu %02zu", rng_below(r, 1000), rng_below(r, 100),
             rng_below(r, 100));

    json_t *sv = json_object();
    bool ok = sv != NULL;
    if (!ok)
        return NULL;
    const struct pair *h = &how_tos[rng_below(r, COUNT_OF(how_tos))];
    set(sv, "id", json_string(id), &ok);
    set(sv, "name", text_pair(name_nl, name_en), &ok);
    set(sv, "organization", json_string(organizations[rng_below(r, COUNT_OF(organizations))]), &ok);
    set(sv, "description", description_text(r, false), &ok);
    set(sv, "themes", code_list(r, theme_codes, COUNT_OF(theme_codes), 2), &ok);
    set(sv, "functions", code_list(r, function_codes, COUNT_OF(function_codes), 2), &ok);
    set(sv, "topics", code_list(r, topic_codes, COUNT_OF(topic_codes), 3), &ok);
    if (rng_percent(r, 70)) {
        feedgen_location_id(rng_below(r, cfg->n_locations), loc, sizeof loc);
        set(sv, "location_id", json_string(loc), &ok);
    }
    if (rng_percent(r, 60)) {
        size_t d = rng_below(r, 5);
        int opens = 9 + (int)rng_below(r, 5);
        char o[16], c[16]; /* "HH:MM"; sized for any int, as -Wformat-truncation wants */
        snprintf(o, sizeof o, "%02d:00", opens);
        snprintf(c, sizeof c, "%02d:30", opens + 2);
        json_t *slot = json_pack("{s[ss]ssss}", "days", walk_in_days[d], walk_in_days[d + 2],
                                 "opens", o, "closes", c);
        set(sv, "walk_in", json_pack("[o]", slot), &ok);
    }
    set(sv, "phone", json_string(phone), &ok);
    if (rng_percent(r, 50))
        set(sv, "email", json_string("hulp@example.org"), &ok);
    set(sv, "url", json_string("https://example.org/hulp"), &ok);
    set(sv, "how_to", text_pair(h->nl, h->en), &ok);
    set(sv, "updated_at", json_string("2026-11-19T15:30:00" FEEDGEN_OFFSET), &ok);
    if (!ok) {
        json_decref(sv);
        return NULL;
    }
    return sv;
}

static json_t *make_announcement(struct rng *r, size_t i, const struct feedgen_config *cfg)
{
    char id[32], from[32], until[32];
    size_t ti = rng_below(r, COUNT_OF(announcement_texts));
    const struct pair *t = &announcement_texts[ti];
    /* Every other one in Arabic too: the other half shows the fallback. */
    const char *ar = cfg->mixed_scripts && i % 2 == 0 ? announcement_texts_ar[ti] : NULL;
    int start = -(int)rng_below(r, 7);
    snprintf(id, sizeof id, "ann-%03zu", i + 1);
    format_time(from, start, 8 * 60);
    format_time(until, start + 7 + (int)rng_below(r, 21), 22 * 60);

    json_t *an = json_object();
    bool ok = an != NULL;
    if (!ok)
        return NULL;
    set(an, "id", json_string(id), &ok);
    set(an, "text", text_with(t->nl, t->en, "ar", ar), &ok);
    set(an, "from", json_string(from), &ok);
    set(an, "until", json_string(until), &ok);
    if (rng_percent(r, 30)) {
        char loc[32];
        feedgen_location_id(rng_below(r, cfg->n_locations), loc, sizeof loc);
        set(an, "location_ids", json_pack("[s]", loc), &ok);
    }
    set(an, "priority", json_string(rng_percent(r, 10) ? "urgent" : "normal"), &ok);
    if (!ok) {
        json_decref(an);
        return NULL;
    }
    return an;
}

/* ---- the document --------------------------------------------------------- */

void feedgen_config_default(struct feedgen_config *cfg, size_t n_activities)
{
    cfg->n_activities = n_activities;
    cfg->n_locations = 20;
    cfg->n_services = 200;
    cfg->n_announcements = 20;
    cfg->seed = FEEDGEN_DEFAULT_SEED;
    cfg->mixed_scripts = false;
    cfg->image_url = NULL;
    cfg->image_every = 0;
}

typedef json_t *(*item_maker)(struct rng *r, size_t i, const struct feedgen_config *cfg);

static json_t *make_location_item(struct rng *r, size_t i, const struct feedgen_config *cfg)
{
    return make_location(r, i);
}

static json_t *make_array(struct rng *r, size_t n, item_maker make,
                          const struct feedgen_config *cfg)
{
    json_t *arr = json_array();
    bool ok = arr != NULL;
    for (size_t i = 0; ok && i < n; i++)
        push(arr, make(r, i, cfg), &ok);
    if (!ok) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

char *feedgen_generate(const struct feedgen_config *cfg, size_t *len_out)
{
    *len_out = 0;
    if (cfg->n_locations == 0)
        return NULL;
    /* One stream per kind, each derived from the seed, so that changing
     * the number of activities leaves the locations and services as they
     * were (feeds of different sizes stay comparable). */
    struct rng loc_rng = {cfg->seed ^ UINT64_C(0x10c)};
    struct rng act_rng = {cfg->seed ^ UINT64_C(0xac7)};
    struct rng svc_rng = {cfg->seed ^ UINT64_C(0x5e7)};
    struct rng ann_rng = {cfg->seed ^ UINT64_C(0xa22)};

    json_t *doc = json_object();
    bool ok = doc != NULL;
    if (!ok)
        return NULL;
    /* format and version first, as the hub writes them; the parser must
     * not depend on that, but a realistic document has it. */
    set(doc, "format", json_string("buurtkiosk-feed"), &ok);
    set(doc, "version", json_integer(1), &ok);
    set(doc, "generated_at", json_string(FEEDGEN_GENERATED_AT), &ok);
    set(doc, "publisher", json_pack("{ssss}", "name", "Buurtnetwerk Amersfoort (benchmark)", "url",
                                    "https://example.org"), &ok);
    set(doc, "languages",
        cfg->mixed_scripts ? json_pack("[ssss]", "nl", "en", "ar", "uk")
                           : json_pack("[ss]", "nl", "en"),
        &ok);
    set(doc, "locations", make_array(&loc_rng, cfg->n_locations, make_location_item, cfg), &ok);
    set(doc, "activities", make_array(&act_rng, cfg->n_activities, make_activity, cfg), &ok);
    set(doc, "services", make_array(&svc_rng, cfg->n_services, make_service, cfg), &ok);
    set(doc, "announcements", make_array(&ann_rng, cfg->n_announcements, make_announcement, cfg),
        &ok);
    /* Compact, as a hub serves it; insertion order is kept by jansson
     * (>= 2.8), so the output is byte-identical run to run. 8 significant
     * digits: coordinates to about a metre, without the %.17g noise
     * (52.183460000000004) that no hub would send. */
    char *text = ok ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(8)) : NULL;
    json_decref(doc);
    if (text)
        *len_out = strlen(text);
    return text;
}
