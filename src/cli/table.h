/*
 * table.h — aligned text tables for the terminal reports (agreement,
 * training runs, merge summaries, the codebook shown).
 *
 * Cells are UTF-8; column widths are measured in terminal columns with
 * core/text.h, so accented labels stay aligned.  The first row is the
 * header.  Cells are added left to right; a row ends after ncols cells.
 */
#ifndef CARNET_CLI_TABLE_H
#define CARNET_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "core/agree.h"

typedef struct cli_table {
    size_t ncols;
    char *align; /* one 'l' or 'r' per column */
    size_t *width; /* one per column: its width when fixed, else 0 */
    char **cells;
    size_t ncells, cap;
} cli_table;

/* Starts a table whose columns are aligned as aligns says ("lrr"...). */
void cli_table_init(cli_table *t, const char *aligns);
/* Gives column col exactly width terminal columns, whatever its cells:
 * those wider are cut, ending in "…" (several tables that must line up,
 * a column that must fit the terminal). */
void cli_table_width(cli_table *t, size_t col, size_t width);
/* Adds one cell (copied); NULL is an empty cell. */
void cli_table_cell(cli_table *t, const char *s);
void cli_table_cellf(cli_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the table, each row indented by indent spaces, columns two
 * spaces apart, no trailing spaces. */
void cli_table_print(const cli_table *t, FILE *out, int indent);
void cli_table_free(cli_table *t);

/* Cells of agreement statistics: a kappa or alpha with three decimals, or
 * "undefined" when why says so; a proportion as a percentage with one
 * decimal, or "-" when there is no unit. */
void cli_table_stat(cli_table *t, ag_why why, double value);
void cli_table_percent(cli_table *t, long n, double proportion);
/* v, or 0 when it would print as "-0.000" with three decimals. */
double cli_round3(double v);

#endif
