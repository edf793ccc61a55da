/*
 * The on-screen keyboard: its layouts (letters with the accents names
 * need, on keys of their own; a phone pad for phone fields), typing into
 * the form's focused field, and drawing it at the bottom of the screen.
 * What it types is personal data: never logged.
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

static const struct key_def row_digits[] = {
    LETTER("1"), LETTER("2"), LETTER("3"), LETTER("4"), LETTER("5"),
    LETTER("6"), LETTER("7"), LETTER("8"), LETTER("9"), LETTER("0"),
};
static const struct key_def row_q[] = {
    LETTER("q"), LETTER("w"), LETTER("e"), LETTER("r"), LETTER("t"),
    LETTER("y"), LETTER("u"), LETTER("i"), LETTER("o"), LETTER("p"),
};
static const struct key_def row_a[] = {
    LETTER("a"), LETTER("s"), LETTER("d"), LETTER("f"), LETTER("g"),
    LETTER("h"), LETTER("j"), LETTER("k"), LETTER("l"), {"key.apostrophe", "'", NULL, NULL, 10},
};
static const struct key_def row_z[] = {
    {"key.shift", NULL, NULL, "key.shift", 15}, LETTER("z"), LETTER("x"), LETTER("c"),
    LETTER("v"), LETTER("b"), LETTER("n"), LETTER("m"), {"key.backspace", NULL, NULL, "key.backspace", 15},
};
/* The accents Dutch names need, on keys of their own: no hidden long-press. */
static const struct key_def row_accents[] = {
    ACCENT("é", "É"), ACCENT("è", "È"), ACCENT("ë", "Ë"), ACCENT("ê", "Ê"), ACCENT("ï", "Ï"),
    ACCENT("ö", "Ö"), ACCENT("ü", "Ü"), ACCENT("ç", "Ç"), ACCENT("à", "À"), ACCENT("ñ", "Ñ"),
};
static const struct key_def row_bottom[] = {
    {"key.minus", "-", NULL, NULL, 10},  {"key.period", ".", NULL, NULL, 10},
    {"key.comma", ",", NULL, NULL, 10},  {"key.space", " ", NULL, "key.space", 40},
    {"key.at", "@", NULL, NULL, 10},     {"key.plus", "+", NULL, NULL, 10},
};
static const struct key_def pad_1[] = {LETTER("1"), LETTER("2"), LETTER("3")};
static const struct key_def pad_2[] = {LETTER("4"), LETTER("5"), LETTER("6")};
static const struct key_def pad_3[] = {LETTER("7"), LETTER("8"), LETTER("9")};
static const struct key_def pad_4[] = {
    {"key.plus", "+", NULL, NULL, 10}, LETTER("0"),
    {"key.backspace", NULL, NULL, "key.backspace", 10},
};

struct key_row {
    const struct key_def *keys;
    size_t n;
};

#define ROW(r) {r, sizeof r / sizeof *r}
static const struct key_row text_rows[] = {ROW(row_digits), ROW(row_q), ROW(row_a),
                                           ROW(row_z), ROW(row_accents), ROW(row_bottom)};
static const struct key_row pad_rows[] = {ROW(pad_1), ROW(pad_2), ROW(pad_3), ROW(pad_4)};

static size_t keyboard_rows(bool phone_pad)
{
    return phone_pad ? sizeof pad_rows / sizeof *pad_rows : sizeof text_rows / sizeof *text_rows;
}

static size_t keyboard_row(bool phone_pad, size_t row, const struct key_def **keys)
{
    const struct key_row *rows = phone_pad ? pad_rows : text_rows;
    if (row >= keyboard_rows(phone_pad))
        return 0;
    *keys = rows[row].keys;
    return rows[row].n;
}

static const struct key_def *find_key(const char *id)
{
    for (int pad = 0; pad < 2; pad++)
        for (size_t r = 0; r < keyboard_rows(pad); r++) {
            const struct key_def *keys;
            size_t n = keyboard_row(pad, r, &keys);
            for (size_t i = 0; i < n; i++)
                if (strcmp(keys[i].id, id) == 0)
                    return &keys[i];
        }
    return NULL;
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

/* The keyboard fills the bottom of the screen; returns its top. */
int keyboard_build(struct build *b, bool phone_pad)
{
    struct ui *ui = b->ui;
    const struct theme *t = b->c.t;
    int rows = (int)keyboard_rows(phone_pad);
    int key_gap = t->unit > 4 ? t->unit / 2 + 1 : 2;
    int key_h = t->key_h * 3 / 4;
    if (key_h < THEME_MIN_TARGET)
        key_h = THEME_MIN_TARGET;
    int height = rows * key_h + (rows + 1) * key_gap;
    int top = b->c.f->height - height;
    canvas_fill(&b->c, (struct rect){0, top, b->c.f->width, height}, t->surface, 0, canvas_screen(&b->c));
    canvas_fill(&b->c, (struct rect){0, top, b->c.f->width, 1}, t->line, 0, canvas_screen(&b->c));
    int avail = b->c.f->width - 2 * t->margin;
    if (phone_pad && avail > 3 * 4 * THEME_MIN_TARGET * 3)
        avail = 3 * 4 * THEME_MIN_TARGET * 3; /* a pad, not a stretched bar */
    int left = (b->c.f->width - avail) / 2;
    for (int r = 0; r < rows; r++) {
        const struct key_def *keys;
        size_t n = keyboard_row(phone_pad, (size_t)r, &keys);
        int spans = 0;
        for (size_t i = 0; i < n; i++)
            spans += keys[i].span;
        int unit_w = (avail - (int)(n - 1) * key_gap) * 10 / spans;
        int x = left;
        int y = top + key_gap + r * (key_h + key_gap);
        for (size_t i = 0; i < n; i++) {
            const struct key_def *k = &keys[i];
            int w = unit_w * k->span / 10;
            char upper[2];
            const char *label = k->label_key ? ui_tr(ui, k->label_key)
                                : ui->form.shift ? frame_strdup(b->c.f, shifted(k, upper), SIZE_MAX)
                                                 : k->lower;
            bool on = strcmp(k->id, "key.shift") == 0 && ui->form.shift;
            struct rect kr = {x, y, w, key_h};
            canvas_fill(&b->c, kr, on ? t->primary : t->background, t->radius, canvas_screen(&b->c));
            canvas_outline(&b->c, kr, t->line, 1, canvas_screen(&b->c));
            int tw = text_width(&ui->measurer, label, t->font_body, FONT_REGULAR);
            canvas_text_line(&b->c, label, x + (w - tw) / 2, y + (key_h - t->line_body) / 2, t->font_body,
                         FONT_REGULAR, on ? t->on_primary : t->ink, kr);
            struct widget *kw = frame_add_widget(b->c.f, k->id, ROLE_KEY, label, kr);
            if (kw) {
                kw->text_overflows = tw > w;
                if (on)
                    kw->checked = CHECKED_TRUE;
            }
            x += w + key_gap;
        }
    }
    return top;
}

