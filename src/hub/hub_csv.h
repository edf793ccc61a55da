/*
 * RFC 4180 CSV, both ways, for the staff's spreadsheets: reading the
 * activities CSV of `buurthub import` and writing `buurthub signups --csv`.
 *
 * The reader takes what spreadsheet programs write: comma or semicolon
 * separators (Dutch Excel writes semicolons), CRLF or LF line ends, a
 * UTF-8 byte-order mark, quoted fields with "" for a quote and line
 * breaks inside quotes. It works on a buffer in memory; fields are
 * copies the record owns.
 */
#ifndef BK_HUB_CSV_H
#define BK_HUB_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define HUB_CSV_MAX_FIELDS 64
#define HUB_CSV_MAX_FIELD_BYTES 16384

struct hub_csv_reader {
    const char *data;
    size_t len, pos;
    char separator;                 /* ',' or ';' */
    size_t line;                    /* 1-based line of the next record */
};

struct hub_csv_record {
    size_t line;                    /* where the record starts, 1-based */
    size_t n_fields;
    char *fields[HUB_CSV_MAX_FIELDS];
};

/* Starts reading data (skips a byte-order mark). The separator is taken
 * from the first line: ';' when it holds a semicolon outside quotes and
 * no comma, else ','. */
void hub_csv_reader_init(struct hub_csv_reader *r, const char *data, size_t len);

enum hub_csv_result { HUB_CSV_RECORD, HUB_CSV_END, HUB_CSV_ERROR };

/* Reads the next record into rec (cleared first; free with
 * hub_csv_record_clear). Blank lines are skipped. On HUB_CSV_ERROR err
 * says what is wrong and where ("line 7: a quote inside an unquoted
 * field"). */
enum hub_csv_result hub_csv_next(struct hub_csv_reader *r, struct hub_csv_record *rec, char *err,
                                 size_t err_len);

void hub_csv_record_clear(struct hub_csv_record *rec);

/* Writes one field. It is quoted (quotes doubled) when it holds a comma,
 * semicolon, quote, CR or LF, or starts like a formula (= + - @, tab or
 * CR); such a start also gets a leading apostrophe, so that a spreadsheet
 * splitting on ',' or ';' keeps the text one cell and never runs what a
 * resident typed. Every field is treated so, not only the personal ones.
 * NULL writes an empty field. */
void hub_csv_write_field(FILE *out, const char *text);

#endif
