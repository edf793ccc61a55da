#include "benchlib.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the report table ---------------------------------------------------- */

size_t add_row(struct table *t, const char *measure, const char *target, const char *ok,
               const char *fmt, ...)
{
    if (strcmp(ok, "FAILED") == 0)
        t->failures++;
    if (t->n == MAX_ROWS)
        return NO_ROW;
    struct row *r = &t->rows[t->n];
    snprintf(r->measure, sizeof r->measure, "%s", measure);
    snprintf(r->target, sizeof r->target, "%s", target);
    snprintf(r->ok, sizeof r->ok, "%s", ok);
    snprintf(r->ratio, sizeof r->ratio, "-");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->result, sizeof r->result, fmt, ap);
    va_end(ap);
    return t->n++;
}

/* Display width of a UTF-8 string: counts code points, not bytes, so the
 * columns stay aligned when a cell holds "≤" or "×". */
static size_t width_of(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void print_cell(const char *s, size_t width)
{
    printf(" %s%*s |", s, (int)(width - width_of(s)), "");
}

#define COLUMNS 5

static void row_cells(const struct row *r, const char *cells[COLUMNS])
{
    cells[0] = r->measure;
    cells[1] = r->result;
    cells[2] = r->target;
    cells[3] = r->ok;
    cells[4] = r->ratio;
}

void print_table(const struct table *t, const char *ratio_head)
{
    const char *const head[COLUMNS] = {"measure", "result", "target", "ok",
                                       ratio_head ? ratio_head : ""};
    const int columns = ratio_head ? COLUMNS : COLUMNS - 1;
    size_t w[COLUMNS];
    for (int c = 0; c < columns; c++)
        w[c] = width_of(head[c]);
    for (size_t i = 0; i < t->n; i++) {
        const char *cells[COLUMNS];
        row_cells(&t->rows[i], cells);
        for (int c = 0; c < columns; c++)
            if (width_of(cells[c]) > w[c])
                w[c] = width_of(cells[c]);
    }
    printf("|");
    for (int c = 0; c < columns; c++)
        print_cell(head[c], w[c]);
    printf("\n|");
    for (int c = 0; c < columns; c++) {
        for (size_t k = 0; k < w[c] + 2; k++)
            printf("-");
        printf("|");
    }
    printf("\n");
    for (size_t i = 0; i < t->n; i++) {
        const char *cells[COLUMNS];
        row_cells(&t->rows[i], cells);
        printf("|");
        for (int c = 0; c < columns; c++)
            print_cell(cells[c], w[c]);
        printf("\n");
    }
}

/* ---- numbers ------------------------------------------------------------- */

int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, compare_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double percentile_sorted(const double *v, size_t n, double p)
{
    size_t rank = (size_t)ceil((p / 100.0) * (double)n - 1e-9);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

void fmt_ms(char *buf, size_t len, double ms)
{
    if (ms >= 100.0)
        snprintf(buf, len, "%.1f ms", ms);
    else if (ms >= 1.0)
        snprintf(buf, len, "%.2f ms", ms);
    else
        snprintf(buf, len, "%.3f ms", ms);
}

const char *verdict(double value, double target)
{
    return value <= target ? "ok" : "MISSED";
}

/* ---- files ---------------------------------------------------------------- */

bool make_bench_dir(char dir[DIR_MAX], const char *tmp_root, const char *prefix)
{
    int n = snprintf(dir, DIR_MAX, "%s/%s-XXXXXX", tmp_root, prefix);
    if (n < 0 || (size_t)n >= DIR_MAX) {
        errno = ENAMETOOLONG;
        return false;
    }
    return mkdtemp(dir) != NULL;
}

void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[PATH_MAX];
            struct stat st;
            if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) >= (int)sizeof child)
                continue;
            if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(child);
            else
                unlink(child);
        }
        closedir(d);
    }
    rmdir(path);
}

bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}
