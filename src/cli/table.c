/*
 * table.c — aligned text tables, and the cells of agreement statistics
 * (table.h).
 */
#include "cli/table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

void cli_table_init(cli_table *t, const char *aligns)
{
    memset(t, 0, sizeof *t);
    t->ncols = strlen(aligns);
    t->align = xstrdup(aligns);
    t->width = xcalloc(t->ncols ? t->ncols : 1, sizeof *t->width);
}

void cli_table_width(cli_table *t, size_t col, size_t width)
{
    if (col < t->ncols)
        t->width[col] = width;
}

void cli_table_cell(cli_table *t, const char *s)
{
    xgrow((void **)&t->cells, &t->cap, t->ncells + 1, sizeof *t->cells);
    t->cells[t->ncells++] = xstrdup(s ? s : "");
}

void cli_table_cellf(cli_table *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    xgrow((void **)&t->cells, &t->cap, t->ncells + 1, sizeof *t->cells);
    t->cells[t->ncells++] = s;
}

static void end_row(strbuf *line, FILE *out)
{
    while (line->len && line->s[line->len - 1] == ' ')
        line->s[--line->len] = '\0';
    fprintf(out, "%s\n", line->s);
    line->len = 0;
    line->s[0] = '\0';
}

void cli_table_print(const cli_table *t, FILE *out, int indent)
{
    size_t *w = xcalloc(t->ncols, sizeof *w);
    for (size_t i = 0; i < t->ncols; i++)
        w[i] = t->width[i];
    for (size_t i = 0; i < t->ncells; i++) {
        size_t cw = u8_width(t->cells[i]);
        if (!t->width[i % t->ncols] && cw > w[i % t->ncols])
            w[i % t->ncols] = cw;
    }
    strbuf line = {0};
    sb_add(&line, "");
    for (size_t i = 0; i < t->ncells; i++) {
        size_t col = i % t->ncols;
        if (col == 0)
            sb_printf(&line, "%*s", indent, "");
        /* u8_fit to the cell's own width only replaces control characters;
         * to a fixed width it cuts what is wider. */
        size_t cw = u8_width(t->cells[i]);
        if (cw > w[col])
            cw = w[col];
        char *s = u8_fit(t->cells[i], (int)cw, 0);
        int pad = (int)(w[col] - cw);
        if (t->align[col] == 'r')
            sb_printf(&line, "%*s%s  ", pad, "", s);
        else
            sb_printf(&line, "%s%*s  ", s, pad, "");
        free(s);
        if (col + 1 == t->ncols || i + 1 == t->ncells)
            end_row(&line, out);
    }
    sb_free(&line);
    free(w);
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->align);
    free(t->width);
    memset(t, 0, sizeof *t);
}

double cli_round3(double v)
{
    /* -0.0004 would print as "-0.000". */
    return v > -0.0005 && v < 0.0005 ? 0.0 : v;
}

void cli_table_stat(cli_table *t, ag_why why, double value)
{
    if (why != AG_DEFINED)
        cli_table_cell(t, _("undefined"));
    else
        cli_table_cellf(t, "%.3f", cli_round3(value));
}

void cli_table_percent(cli_table *t, long n, double proportion)
{
    if (n <= 0)
        cli_table_cell(t, "-");
    else
        cli_table_cellf(t, "%.1f%%", 100.0 * proportion);
}
