/*
 * csv.c — the CSV tables: wide (one row per interaction, as the
 * interactions sheet) and long (one row per interaction, dimension and
 * code, the "tidy" layout that R and pandas group on).
 *
 * RFC 4180: fields holding the separator, a double quote, CR or LF are
 * quoted, quotes doubled, lines end with CRLF; UTF-8 throughout.  With
 * excel_fr the separator is ';', decimals take a comma and the file starts
 * with a byte-order mark, which is what French Excel needs to open a CSV
 * file by double-click with accents and numbers intact.  Numbers are
 * formatted by cell_decimal(), never by printf, so that the C locale's
 * decimal point cannot leak in.  Headers are ids, stable for scripts; the
 * labels are in the long table and the workbook.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cb_union.h"
#include "core/cell.h"
#include "core/i18n.h"
#include "core/util.h"
#include "export/export.h"

typedef struct csv {
    FILE *f;
    char sep, dec;
    bool first; /* no separator before the first field of a line */
} csv;

/* A field, quoted when it must be; with guard, made inert for
 * spreadsheets as cell_guard() would (an apostrophe in front), without
 * copying it.  The file is this thread's alone: the unlocked stdio calls
 * spare a lock per character. */
static void put_field(csv *c, const char *s, bool guard)
{
    if (!c->first)
        putc_unlocked(c->sep, c->f);
    c->first = false;
    if (!s)
        return;
    bool quote = false;
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] == c->sep || s[n] == '"' || s[n] == '\r' || s[n] == '\n')
            quote = true;
    guard = guard && cell_needs_guard(s);
    if (!quote) {
        if (guard)
            putc_unlocked('\'', c->f);
        fwrite_unlocked(s, 1, n, c->f);
        return;
    }
    putc_unlocked('"', c->f);
    if (guard)
        putc_unlocked('\'', c->f);
    for (const char *p = s, *end = s + n; p < end;) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        size_t k = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
        fwrite_unlocked(p, 1, k, c->f);
        if (q)
            putc_unlocked('"', c->f);
        p += k;
    }
    putc_unlocked('"', c->f);
}

static void field(csv *c, const char *s)
{
    put_field(c, s, false);
}

/* A text field, made inert for spreadsheets. */
static void text_field(csv *c, const char *s)
{
    put_field(c, s, true);
}

static void number_field(csv *c, double v, int decimals)
{
    char buf[40];
    cell_decimal(v, decimals, c->dec, buf);
    field(c, buf);
}

static void end_line(csv *c)
{
    fwrite_unlocked("\r\n", 1, 2, c->f);
    c->first = true;
}

static bool open_csv(csv *c, const ex_options *o, const char *path, ex_error *e)
{
    memset(c, 0, sizeof *c);
    c->f = fopen(path, "w");
    if (!c->f) {
        snprintf(e->msg, sizeof e->msg, _("%s: cannot write: %s"), path, strerror(errno));
        return false;
    }
    setvbuf(c->f, NULL, _IOFBF, 1 << 20);
    c->sep = o->excel_fr ? ';' : ',';
    c->dec = o->excel_fr ? ',' : '.';
    c->first = true;
    if (o->excel_fr)
        fputs("\xEF\xBB\xBF", c->f);
    return true;
}

static bool close_csv(csv *c, const ex_options *o, const char *path, bool ok, ex_error *e)
{
    bool failed_write = ferror(c->f);
    int err = errno;
    if (fclose(c->f) != 0) {
        failed_write = true;
        err = errno;
    }
    if (ok && failed_write) {
        snprintf(e->msg, sizeof e->msg, _("%s: cannot write: %s; nothing was written"),
                 o->output_name ? o->output_name : path, strerror(err ? err : EIO));
        return false;
    }
    return ok;
}

static bool failed(ex_error *e, const st_error *se)
{
    snprintf(e->msg, sizeof e->msg, "%s", se->msg);
    return false;
}

static bool progress(const ex_options *o, const char *part, double t0)
{
    if (o->progress)
        o->progress(o->progress_ctx, part, ex_clock() - t0);
    return true;
}

/* What both tables start with: the codebook union, the cursor, the file. */
static bool csv_start(st_db *db, const ex_options *o, const char *path, cb_codebook **cb, st_ex_cursor **cur, csv *c,
                      ex_error *e)
{
    st_error se = {0};
    if (st_ex_codebook(db, cb, &se))
        return failed(e, &se);
    if (st_ex_cursor_open(db, &o->filter, cur, &se)) {
        cb_free(*cb);
        return failed(e, &se);
    }
    if (!open_csv(c, o, path, e)) {
        st_ex_cursor_close(*cur);
        cb_free(*cb);
        return false;
    }
    return true;
}

bool ex_csv_write_wide(st_db *db, const ex_options *o, const char *path, ex_error *e)
{
    st_error se = {0};
    cb_codebook *cb;
    st_ex_cursor *cur;
    csv c;
    double t0 = ex_clock();
    if (!csv_start(db, o, path, &cb, &cur, &c, e))
        return false;
    ex_columns cols;
    ex_columns_build(&cols, cb, o->notes);
    for (size_t k = 0; k < cols.n; k++)
        field(&c, cols.v[k].key);
    end_line(&c);
    ex_row row = {0};
    st_ex_row x;
    bool more, ok = true;
    for (;;) {
        if (st_ex_cursor_next(cur, &x, &more, &se)) {
            ok = failed(e, &se);
            break;
        }
        if (!more)
            break;
        ex_row_fill(&row, &cols, o, &x);
        for (size_t k = 0; k < cols.n; k++) {
            const ex_value *v = &row.v[k];
            switch (v->type) {
            case EXV_TEXT:
                field(&c, v->text); /* guarded by ex_row_fill() */
                break;
            case EXV_NUMBER:
                number_field(&c, v->number, cols.v[k].kind == EXC_DURATION ? 2 : 0);
                break;
            case EXV_DATE:
            case EXV_DATETIME:
                field(&c, v->iso);
                break;
            case EXV_EMPTY:
                field(&c, NULL);
                break;
            }
        }
        end_line(&c);
    }
    ex_row_free(&row);
    ex_columns_free(&cols);
    st_ex_cursor_close(cur);
    cb_free(cb);
    return close_csv(&c, o, path, ok, e) && progress(o, _("wide table"), t0);
}

bool ex_csv_write_long(st_db *db, const ex_options *o, const char *path, ex_error *e)
{
    st_error se = {0};
    cb_codebook *cb;
    st_ex_cursor *cur;
    csv c;
    double t0 = ex_clock();
    if (!csv_start(db, o, path, &cb, &cur, &c, e))
        return false;
    static const char *const head[] = {"uuid", "date", "start", "site", "observer", "dimension",
                                       "dimension_label", "code", "code_label", "text"};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        field(&c, head[k]);
    end_line(&c);
    st_ex_row x;
    ex_places places = {0};
    bool more, ok = true;
    for (;;) {
        if (st_ex_cursor_next(cur, &x, &more, &se)) {
            ok = failed(e, &se);
            break;
        }
        if (!more)
            break;
        /* "2026-09-14" and "2026-09-14 09:05:12", cut from the start. */
        char date[11], start[20];
        size_t ls = strlen(x.started_at);
        snprintf(date, sizeof date, "%.10s", x.started_at);
        snprintf(start, sizeof start, "%.10s %.8s", x.started_at, ls >= 19 ? x.started_at + 11 : "");
        for (size_t a = 0; a < x.nanswers; a++) {
            const st_ex_answer *ans = &x.answers[a];
            size_t di, ci;
            ex_answer_place(&places, cb, ans, &di, &ci);
            const cb_dimension *d = di == (size_t)-1 ? NULL : &cb->dims[di];
            field(&c, x.id);
            field(&c, date);
            field(&c, start);
            text_field(&c, x.site);
            text_field(&c, x.observer);
            text_field(&c, ans->dim);
            text_field(&c, d ? d->label : ans->dim);
            text_field(&c, ans->code);
            text_field(&c, ci != (size_t)-1 ? d->codes[ci].label : ans->code);
            char *typed = ex_answer_out(o, ans->text);
            text_field(&c, typed);
            free(typed);
            end_line(&c);
        }
    }
    ex_places_free(&places);
    st_ex_cursor_close(cur);
    cb_free(cb);
    return close_csv(&c, o, path, ok, e) && progress(o, _("long table"), t0);
}
