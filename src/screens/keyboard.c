/*
 * The on-screen keyboard: its layouts (Latin with the letters Dutch,
 * Turkish and Polish names need, on keys of their own; Ukrainian
 * Cyrillic; Arabic; a phone pad for phone fields), typing into the form's
 * focused field, and drawing it at the bottom of the screen. What it
 * types is personal data: never logged.
 */
#include <stdio.h>
#include <string.h>

#include "model/validate.h"
#include "screens/screens.h"

/* One key: its widget id, what it types (lower, and upper with shift), or
 * a catalog label for special keys; width in tenths of a key. */
struct key_def {
    const char *id;
    const char *lower;                     /* what it types and shows, NULL for special keys */
    const char *upper;                     /* shown and typed with shift */
    const char *label_key;                 /* catalog key for special keys */
    int span;
};

#define LETTER(c) {"key." c, c, NULL, NULL, 10}
#define ACCENT(lower_c, upper_c) {"key." lower_c, lower_c, upper_c, NULL, 10}
#define SPECIAL(name, span) {"key." name, NULL, NULL, "key." name, span}
#define SPACE_KEY(span) {"key.space", " ", NULL, "key.space", span}
/* The layout key's label is the next layout's sample, filled in when drawn. */
#define LAYOUT_KEY {"key.layout", NULL, NULL, NULL, 15}

/* Shift on the digits gives the punctuation an announcement needs, as on
 * a desk keyboard; every layout shares the row. */
static const struct key_def row_digits[] = {
    ACCENT("1", "!"), ACCENT("2", "?"), ACCENT("3", ":"), ACCENT("4", "€"), ACCENT("5", ";"),
    ACCENT("6", "/"), ACCENT("7", "("), ACCENT("8", ")"), ACCENT("9", "&"), ACCENT("0", "#"),
};

/* Latin: the letters Dutch, Turkish and Polish names need, on keys of
 * their own (no hidden long-press). Turkish dotted and dotless i are two
 * letters: ı shifts to I, and İ has a key of its own (i shifts to I). */
static const struct key_def latin_q[] = {
    LETTER("q"), LETTER("w"), LETTER("e"), LETTER("r"), LETTER("t"),
    LETTER("y"), LETTER("u"), LETTER("i"), LETTER("o"), LETTER("p"),
};
static const struct key_def latin_a[] = {
    LETTER("a"), LETTER("s"), LETTER("d"), LETTER("f"), LETTER("g"),
    LETTER("h"), LETTER("j"), LETTER("k"), LETTER("l"), {"key.apostrophe", "'", NULL, NULL, 10},
};
static const struct key_def latin_z[] = {
    SPECIAL("shift", 15), LETTER("z"), LETTER("x"), LETTER("c"),
    LETTER("v"), LETTER("b"), LETTER("n"), LETTER("m"), SPECIAL("backspace", 15),
};
static const struct key_def latin_accents[] = {
    ACCENT("é", "É"), ACCENT("è", "È"), ACCENT("ë", "Ë"), ACCENT("ê", "Ê"), ACCENT("ï", "Ï"),
    ACCENT("ó", "Ó"), ACCENT("ö", "Ö"), ACCENT("ü", "Ü"), ACCENT("à", "À"), ACCENT("ñ", "Ñ"),
};
static const struct key_def latin_tr[] = {
    ACCENT("ç", "Ç"), ACCENT("ş", "Ş"), ACCENT("ğ", "Ğ"), ACCENT("ı", "I"), ACCENT("İ", "İ"),
};
static const struct key_def latin_pl[] = {
    ACCENT("ł", "Ł"), ACCENT("ś", "Ś"), ACCENT("ż", "Ż"), ACCENT("ź", "Ź"), ACCENT("ć", "Ć"),
};
static const struct key_def latin_pl_more[] = {
    ACCENT("ń", "Ń"), ACCENT("ą", "Ą"), ACCENT("ę", "Ę"),
    {"key.at", "@", NULL, NULL, 10}, {"key.plus", "+", NULL, NULL, 10},
};
static const struct key_def latin_bottom[] = {
    LAYOUT_KEY, {"key.minus", "-", NULL, NULL, 10}, {"key.period", ".", NULL, NULL, 10},
    {"key.comma", ",", NULL, NULL, 10}, SPACE_KEY(30), SPECIAL("next", 15),
};

/* Ukrainian (ЙЦУКЕН, with і ї є ґ and the apostrophe). */
static const struct key_def cyrillic_1[] = {
    ACCENT("й", "Й"), ACCENT("ц", "Ц"), ACCENT("у", "У"), ACCENT("к", "К"), ACCENT("е", "Е"),
    ACCENT("н", "Н"), ACCENT("г", "Г"), ACCENT("ш", "Ш"), ACCENT("щ", "Щ"), ACCENT("з", "З"),
};
static const struct key_def cyrillic_2[] = {
    ACCENT("ф", "Ф"), ACCENT("і", "І"), ACCENT("в", "В"), ACCENT("а", "А"), ACCENT("п", "П"),
    ACCENT("р", "Р"), ACCENT("о", "О"), ACCENT("л", "Л"), ACCENT("д", "Д"), ACCENT("ж", "Ж"),
};
static const struct key_def cyrillic_3[] = {
    SPECIAL("shift", 15), ACCENT("я", "Я"), ACCENT("ч", "Ч"), ACCENT("с", "С"), ACCENT("м", "М"),
    ACCENT("и", "И"), ACCENT("т", "Т"), ACCENT("ь", "Ь"), SPECIAL("backspace", 15),
};
static const struct key_def cyrillic_4[] = {
    ACCENT("б", "Б"), ACCENT("ю", "Ю"), ACCENT("х", "Х"), ACCENT("ї", "Ї"), ACCENT("є", "Є"),
    ACCENT("ґ", "Ґ"), {"key.apostrophe", "'", NULL, NULL, 10},
};
/* Arabic has no capitals: shift only reaches the digits' punctuation. */
static const struct key_def arabic_1[] = {
    LETTER("ض"), LETTER("ص"), LETTER("ث"), LETTER("ق"), LETTER("ف"),
    LETTER("غ"), LETTER("ع"), LETTER("ه"), LETTER("خ"), LETTER("ح"),
};
static const struct key_def arabic_2[] = {
    LETTER("ج"), LETTER("د"), LETTER("ش"), LETTER("س"), LETTER("ي"),
    LETTER("ب"), LETTER("ل"), LETTER("ا"), LETTER("ت"), LETTER("ن"),
};
static const struct key_def arabic_3[] = {
    SPECIAL("shift", 15), LETTER("م"), LETTER("ك"), LETTER("ط"), LETTER("ظ"),
    LETTER("ذ"), LETTER("ر"), LETTER("ز"), SPECIAL("backspace", 15),
};
static const struct key_def arabic_4[] = {
    LETTER("و"), LETTER("ة"), LETTER("ى"), LETTER("ء"), LETTER("أ"),
    LETTER("إ"), LETTER("آ"), LETTER("ؤ"), LETTER("ئ"),
};
/* Cyrillic and Arabic e-mail addresses still need @. */
static const struct key_def other_bottom[] = {
    LAYOUT_KEY, {"key.minus", "-", NULL, NULL, 10}, {"key.period", ".", NULL, NULL, 10},
    {"key.comma", ",", NULL, NULL, 10}, SPACE_KEY(20), {"key.at", "@", NULL, NULL, 10},
    SPECIAL("next", 15),
};

static const struct key_def pad_1[] = {LETTER("1"), LETTER("2"), LETTER("3")};
static const struct key_def pad_2[] = {LETTER("4"), LETTER("5"), LETTER("6")};
static const struct key_def pad_3[] = {LETTER("7"), LETTER("8"), LETTER("9")};
static const struct key_def pad_4[] = {
    {"key.plus", "+", NULL, NULL, 10}, LETTER("0"), SPECIAL("backspace", 10),
};
/* Numbers are often read out in groups: "06 123 456 78". */
static const struct key_def pad_5[] = {SPACE_KEY(20), SPECIAL("next", 10)};

struct key_row {
    const struct key_def *keys;
    size_t n;
    int joins;             /* on a screen wide enough, it goes at the end of this row above; -1 never */
};

#define ROW(r) {r, sizeof r / sizeof *r, -1}
#define JOINING_ROW(r, row_above) {r, sizeof r / sizeof *r, row_above}
/* On a wide, low landscape screen the extra letters stand at the ends of
 * the rows above: two rows fewer, so that the form keeps room. */
static const struct key_row latin_rows[] = {
    ROW(row_digits),
    ROW(latin_q),
    ROW(latin_a),
    ROW(latin_z),
    ROW(latin_accents),
    JOINING_ROW(latin_tr, 1),
    JOINING_ROW(latin_pl, 2),
    JOINING_ROW(latin_pl_more, 4),
    ROW(latin_bottom),
};
static const struct key_row cyrillic_rows[] = {
    ROW(row_digits), ROW(cyrillic_1), ROW(cyrillic_2), ROW(cyrillic_3), ROW(cyrillic_4), ROW(other_bottom),
};
static const struct key_row arabic_rows[] = {
    ROW(row_digits), ROW(arabic_1), ROW(arabic_2), ROW(arabic_3), ROW(arabic_4), ROW(other_bottom),
};
static const struct key_row pad_rows[] = {ROW(pad_1), ROW(pad_2), ROW(pad_3), ROW(pad_4), ROW(pad_5)};

struct layout {
    const char *sample;    /* the layout key's label when it leads here */
    const char *lang;      /* the interface language it opens with, NULL for the default */
    const struct key_row *rows;
    size_t n_rows;
};

#define LAYOUT(sample, lang, rows) {sample, lang, rows, sizeof rows / sizeof *rows}
/* key.layout goes round in this order; the first is the default. */
static const struct layout layouts[] = {
    LAYOUT("ABC", NULL, latin_rows),
    LAYOUT("АБВ", "uk", cyrillic_rows),
    LAYOUT("أبت", "ar", arabic_rows),
};
#define N_LAYOUTS (sizeof layouts / sizeof *layouts)
static const struct layout phone_pad_layout = LAYOUT("", NULL, pad_rows);

/* The layout the form shows: the interface language's, moved on by each
 * tap on key.layout. */
static size_t layout_index(const struct ui *ui)
{
    size_t first = 0;
    for (size_t i = 0; i < N_LAYOUTS; i++)
        if (layouts[i].lang && strcmp(layouts[i].lang, ui->lang) == 0)
            first = i;
    return (first + (size_t)ui->form.layout_step) % N_LAYOUTS;
}

static const struct key_def *find_in(const struct layout *l, const char *id)
{
    for (size_t r = 0; r < l->n_rows; r++)
        for (size_t i = 0; i < l->rows[r].n; i++)
            if (strcmp(l->rows[r].keys[i].id, id) == 0)
                return &l->rows[r].keys[i];
    return NULL;
}

/* An id names the same key on every layout that has it. */
static const struct key_def *find_key(const char *id)
{
    for (size_t i = 0; i < N_LAYOUTS; i++) {
        const struct key_def *k = find_in(&layouts[i], id);
        if (k)
            return k;
    }
    return find_in(&phone_pad_layout, id);
}

/* Shift on a plain a-z key types its capital. */
static const char *shifted(const struct key_def *k, char upper[2])
{
    if (k->upper)
        return k->upper;
    if (k->lower && k->lower[0] >= 'a' && k->lower[0] <= 'z' && k->lower[1] == '\0') {
        upper[0] = (char)(k->lower[0] - 'a' + 'A');
        upper[1] = '\0';
        return upper;
    }
    return k->lower;
}

static void type_key(struct ui *ui, const struct key_def *k)
{
    struct signup_form *form = &ui->form;
    if (form->focus < 0)
        return;
    char *v = form->value[form->focus];
    size_t len = strlen(v);
    if (strcmp(k->id, "key.shift") == 0) {
        form->shift = !form->shift;
    } else if (strcmp(k->id, "key.layout") == 0) {
        form->layout_step = (form->layout_step + 1) % (int)N_LAYOUTS;
    } else if (strcmp(k->id, "key.next") == 0) {
        signup_focus_next(ui);
    } else if (strcmp(k->id, "key.backspace") == 0) {
        while (len && ((unsigned char)v[len - 1] & 0xC0) == 0x80)
            v[--len] = '\0';
        if (len)
            v[--len] = '\0';
    } else if (k->lower) {
        char upper[2];
        const char *add = form->shift ? shifted(k, upper) : k->lower;
        size_t n = strlen(add);
        if (utf8_chars(v) < signup_field_limit((enum form_field)form->focus) &&
            len + n < FORM_VALUE_MAX)
            memcpy(v + len, add, n + 1);
        /* Shift holds for one letter, as on a phone. */
        form->shift = false;
    }
    ui->dirty = true;
}

bool keyboard_type(struct ui *ui, const char *key_id)
{
    const struct key_def *k = find_key(key_id);
    if (!k)
        return false;
    type_key(ui, k);
    return true;
}

static int row_spans(const struct key_row *row)
{
    int spans = 0;
    for (size_t i = 0; i < row->n; i++)
        spans += row->keys[i].span;
    return spans;
}

/* A row of the keyboard as drawn: one row of the layout, or two. */
struct drawn_row {
    const struct key_row *part[2];
    size_t n;             /* keys, both parts */
    int spans;
};

/* Width of one key (span 10) when a row of n keys and these spans fills avail. */
static int key_width(int avail, size_t n, int spans, int key_gap)
{
    return (avail - (int)(n - 1) * key_gap) * 10 / spans;
}

#define MAX_ROWS 12

/* Groups the layout's rows as drawn: a joining row goes at the end of
 * the row it names when both still have keys of THEME_MIN_TARGET. */
static size_t drawn_rows(const struct layout *l, int avail, int key_gap, struct drawn_row *out)
{
    size_t n = 0;
    size_t drawn_at[MAX_ROWS]; /* the drawn row of each layout row */
    for (size_t r = 0; r < l->n_rows && r < MAX_ROWS; r++) {
        const struct key_row *row = &l->rows[r];
        if (row->joins >= 0 && (size_t)row->joins < r) {
            struct drawn_row *above = &out[drawn_at[row->joins]];
            size_t keys = above->n + row->n;
            int spans = above->spans + row_spans(row);
            if (above->part[1] == NULL && key_width(avail, keys, spans, key_gap) >= THEME_MIN_TARGET) {
                above->part[1] = row;
                above->n = keys;
                above->spans = spans;
                drawn_at[r] = drawn_at[row->joins];
                continue;
            }
        }
        drawn_at[r] = n;
        out[n++] = (struct drawn_row){{row, NULL}, row->n, row_spans(row)};
    }
    return n;
}

/* The keyboard fills the bottom of the screen; returns its top. */
int keyboard_build(struct build *b, bool phone_pad, enum keyboard_end end)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    const struct layout *l = phone_pad ? &phone_pad_layout : &layouts[layout_index(ui)];
    const char *next_sample = layouts[(layout_index(ui) + 1) % N_LAYOUTS].sample;
    int key_gap = t->unit > 4 ? t->unit / 2 + 1 : 2;
    int key_h = t->key_h * 3 / 4;
    if (key_h < THEME_MIN_TARGET)
        key_h = THEME_MIN_TARGET;
    /* The keys reach almost to the edges: on a narrow portrait screen ten
     * keys in a row only keep THEME_MIN_TARGET that way. */
    int avail = b->c.f->width - 2 * key_gap;
    if (phone_pad && avail > 3 * 4 * THEME_MIN_TARGET * 3)
        avail = 3 * 4 * THEME_MIN_TARGET * 3; /* a pad, not a stretched bar */
    struct drawn_row rows[MAX_ROWS];
    int n_rows = (int)drawn_rows(l, avail, key_gap, rows);
    /* One key width for all rows, so that letters line up; shorter rows
     * are centred. */
    int unit_w = avail;
    for (int r = 0; r < n_rows; r++) {
        int w = key_width(avail, rows[r].n, rows[r].spans, key_gap);
        if (w < unit_w)
            unit_w = w;
    }
    int height = n_rows * key_h + (n_rows + 1) * key_gap;
    int top = b->c.f->height - height;
    /* Keys stay where they are in a right-to-left language too: an Arabic
     * keyboard has its letters on the same rows and places in every
     * program, and a digit row reads 1 to 0 everywhere. */
    size_t first_widget = b->c.f->n_widgets, first_cmd = b->c.f->n_cmds;
    canvas_fill(&b->c, (struct rect){0, top, b->c.f->width, height}, t->surface, 0, canvas_screen(&b->c));
    canvas_fill(&b->c, (struct rect){0, top, b->c.f->width, 1}, t->line, 0, canvas_screen(&b->c));
    /* key.next has somewhere to go only on the sign-up form (the staff's
     * announcement is a single field of no form). */
    bool next_moves = ui->form.fields != 0;
    for (int r = 0; r < n_rows; r++) {
        int row_w = 0;
        for (int p = 0; p < 2 && rows[r].part[p]; p++)
            for (size_t i = 0; i < rows[r].part[p]->n; i++)
                row_w += unit_w * rows[r].part[p]->keys[i].span / 10 + key_gap;
        int x = (b->c.f->width - (row_w - key_gap)) / 2;
        int y = top + key_gap + r * (key_h + key_gap);
        for (int p = 0; p < 2 && rows[r].part[p]; p++)
            for (size_t i = 0; i < rows[r].part[p]->n; i++) {
                const struct key_def *k = &rows[r].part[p]->keys[i];
                int w = unit_w * k->span / 10;
                char upper[2];
                bool is_next = strcmp(k->id, "key.next") == 0;
                bool is_done = is_next && end == KEYBOARD_END_DONE;
                const char *id = is_done ? "key.done" : k->id;
                const char *label = strcmp(k->id, "key.layout") == 0 ? next_sample
                                    : is_done     ? ui_tr(ui, "key.done")
                                    : k->label_key ? ui_tr(ui, k->label_key)
                                    : ui->form.shift ? frame_strdup(b->c.f, shifted(k, upper), SIZE_MAX)
                                                     : k->lower;
                bool on = strcmp(k->id, "key.shift") == 0 && ui->form.shift;
                bool enabled = !is_next || is_done || next_moves;
                struct rect kr = {x, y, w, key_h};
                canvas_fill(&b->c, kr, on ? t->primary : t->background, t->radius, canvas_screen(&b->c));
                canvas_outline(&b->c, kr, t->line, 1, canvas_screen(&b->c));
                /* The word is what read-aloud says; a key too narrow for
                 * it shows a check mark, as phone keyboards do. */
                const char *shown = label;
                int size = t->font_body;
                int tw = text_width(&ui->measurer, shown, size, FONT_REGULAR);
                if (is_done && tw > w - 2 * key_gap) {
                    shown = "\xE2\x9C\x93"; /* U+2713 CHECK MARK */
                    tw = text_width(&ui->measurer, shown, size, FONT_REGULAR);
                }
                /* Large text makes letters larger than a narrow panel's
                 * keys: such a key's label steps down until it fits, not
                 * below the small size. */
                while (tw > w - 2 * key_gap && size > t->font_small) {
                    size -= size / 8 > 1 ? size / 8 : 1;
                    if (size < t->font_small)
                        size = t->font_small;
                    tw = text_width(&ui->measurer, shown, size, FONT_REGULAR);
                }
                int line_h = size * 6 / 5;
                canvas_text_line(&b->c, shown, x + (w - tw) / 2, y + (key_h - line_h) / 2, size,
                                 FONT_REGULAR, on ? t->on_primary : enabled ? t->ink : t->line, kr);
                struct widget *kw = frame_add_widget(b->c.f, id, ROLE_KEY, label, kr);
                if (kw) {
                    kw->text_overflows = tw > w;
                    kw->enabled = enabled;
                    if (on)
                        kw->checked = CHECKED_TRUE;
                }
                x += w + key_gap;
            }
    }
    frame_keep_ltr_since(b->c.f, first_widget, first_cmd);
    return top;
}
