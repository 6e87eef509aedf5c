/*
 * diag.c — a list of located problems (see diag.h).
 */
#include "core/diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/util.h"

void diag_add(diag_list *l, const char *file, int line, int col, const char *fmt, ...)
{
    xgrow((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items);
    diag *d = &l->items[l->n++];
    va_list ap;
    va_start(ap, fmt);
    d->msg = xvasprintf(fmt, ap);
    va_end(ap);
    d->file = xstrdup(file ? file : "-");
    d->line = line;
    d->col = col;
}

void diag_clear(diag_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].file);
        free(l->items[i].msg);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

char *diag_format(const diag *d)
{
    if (d->line > 0)
        return xasprintf("%s:%d:%d: %s", d->file, d->line, d->col > 0 ? d->col : 1, d->msg);
    return xasprintf("%s: %s", d->file, d->msg);
}
