/*
 * benchlib: what bench_feed and bench_ui share. The report table (one
 * aligned Markdown table, an optional fifth column), the numbers (median,
 * nearest-rank percentile, milliseconds for reading, the verdict) and the
 * benchmark's own temp dir.
 */
#ifndef BK_BENCHLIB_H
#define BK_BENCHLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Directories are kept shorter than PATH_MAX so that every file name made
 * from them provably fits (and -Wformat-truncation agrees). */
#define DIR_MAX 3072

/* ---- the report table ---------------------------------------------------- */

struct row {
    char measure[120];
    char result[200];
    char target[32];
    char ok[16];
    char ratio[40];     /* the optional fifth column; "-" unless set */
};

#define MAX_ROWS 64
#define NO_ROW SIZE_MAX

struct table {
    struct row rows[MAX_ROWS];
    size_t n;
    int failures;   /* measurements that could not be made */
};

/* Adds a row (ok "FAILED" counts a failure, even when the table is full).
 * Returns its index, or NO_ROW when the table is full. */
size_t add_row(struct table *t, const char *measure, const char *target, const char *ok,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Prints the table: measure, result, target, ok and, when ratio_head is not
 * NULL, a fifth column headed ratio_head. */
void print_table(const struct table *t, const char *ratio_head);

/* ---- numbers ------------------------------------------------------------- */

/* qsort's comparison for doubles, ascending. */
int compare_double(const void *a, const void *b);

/* Sorts in place. */
double median(double *v, size_t n);

/* Nearest-rank percentile of a sorted array: the smallest value with at
 * least p % of the samples at or below it (p99 of 600 = the 594th). */
double percentile_sorted(const double *v, size_t n, double p);

/* Milliseconds with a precision that suits their size. */
void fmt_ms(char *buf, size_t len, double ms);

/* "ok" when value <= target, else "MISSED". */
const char *verdict(double value, double target);

/* ---- files ---------------------------------------------------------------- */

/* Makes TMP_ROOT/PREFIX-XXXXXX into dir (DIR_MAX bytes). False with errno
 * set when the name does not fit or mkdtemp fails. */
bool make_bench_dir(char dir[DIR_MAX], const char *tmp_root, const char *prefix);

/* Removes a directory tree of our own making (the benchmark's temp dir). */
void remove_tree(const char *path);

bool write_file(const char *path, const char *data, size_t len);

#endif
