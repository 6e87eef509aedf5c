/*
 * xlsx.c — the workbook (libxlsxwriter).
 *
 * The workbook is written in libxlsxwriter's constant_memory mode: each
 * row goes to a temporary file as soon as the next one starts, so the
 * interactions sheet of a million rows costs the memory of one row.  The
 * price is that every sheet is written strictly top to bottom, which is why
 * tables that stand side by side (counts, row % and column %) are computed
 * whole first and then written row by row across.  Text cells go through
 * cell_guard(); dates are numbers with a date format; percentages are
 * fractions with a percent format, so that a spreadsheet can compute on
 * them.  Sheet names are translated (French under a French locale).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/cb_union.h"
#include "core/cell.h"
#include "core/i18n.h"
#include "core/util.h"
#include "export/export.h"

#ifndef CARNET_VERSION
#define CARNET_VERSION "0.0.0"
#endif

#define NONE ((size_t)-1)

typedef struct xw {
    lxw_workbook *wb;
    st_db *db;
    const ex_options *o;
    const cb_codebook *cb;
    ex_error *e;
    st_error se;
    lxw_format *bold, *title, *date, *datetime, *month, *pct, *dec1, *wrap, *left;
    st_ex_counts counts;
    unsigned mask; /* sheets written */
    /* Every worksheet in the order of the workbook, with the last row (1-based, 0 for none) that got a cell:
     * what ex_xlsx_verify() checks the file against. */
    lxw_worksheet *sheets[64];
    unsigned long last_row[64];
    size_t nsheets;
} xw;

static void track(xw *w, lxw_worksheet *ws, lxw_row_t r)
{
    for (size_t i = 0; i < w->nsheets; i++)
        if (w->sheets[i] == ws) {
            if ((unsigned long)r + 1 > w->last_row[i])
                w->last_row[i] = (unsigned long)r + 1;
            return;
        }
}

static lxw_worksheet *add_sheet(xw *w, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
    if (ws && w->nsheets < sizeof w->sheets / sizeof w->sheets[0]) {
        w->sheets[w->nsheets] = ws;
        w->last_row[w->nsheets++] = 0;
    }
    return ws;
}

/* Sheet names, in the order of the workbook. */
enum { SH_README, SH_INTERACTIONS, SH_CODEBOOK, SH_FREQ, SH_XTAB, SH_TIME, SH_DURATION, SH_SITES, SH_N };
static const char *const sheet_names[SH_N] = {
    N_("Read me"), N_("Interactions"), N_("Codebook"), N_("Frequencies"),
    N_("Crosstabs"), N_("Time"), N_("Durations"), N_("Sites & observers"),
};
static const char *const sheet_about[SH_N] = {
    N_("this page"),
    N_("one row per interaction: times, site, observer, the code of each single-choice dimension, "
       "0/1 per code of each multiple-choice dimension, other-specify texts, flags, note"),
    N_("every dimension and code with its definition, when to use, when not to use and example"),
    N_("per dimension: n, % of interactions and, for multiple choice, % of answers; a chart per dimension"),
    N_("every pair of dimensions: counts, row % and column %"),
    N_("interactions by weekday and hour (with a chart), by week and by month"),
    N_("n, mean, median and 90th percentile in minutes, by code of each single-choice dimension"),
    N_("sites and observers side by side: summary, then counts of each code"),
};

/* Their ids for --sheets. */
static const char *const sheet_ids[SH_N] = {"readme", "interactions", "codebook", "frequencies",
                                            "crosstabs", "time", "durations", "sites"};

bool ex_xlsx_sheets_parse(const char *list, unsigned *mask, char *err, size_t errlen)
{
    *mask = 0;
    const char *p = list ? list : "";
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int found = -1;
        for (int i = 0; i < SH_N; i++)
            if (strlen(sheet_ids[i]) == n && !strncmp(p, sheet_ids[i], n))
                found = i;
        if (found < 0) {
            snprintf(err, errlen,
                     _("unknown sheet '%.*s' (sheets: readme, interactions, codebook, frequencies, crosstabs, "
                       "time, durations, sites)"),
                     (int)n, p);
            return false;
        }
        *mask |= 1u << found;
        p += n;
        if (*p == ',')
            p++;
    }
    if (!*mask) {
        snprintf(err, errlen, "%s", _("--sheets needs at least one sheet"));
        return false;
    }
    return true;
}

static const char *sheet(int i)
{
    return _(sheet_names[i]);
}

static void put_s(xw *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    if (!s)
        return;
    char *g = cell_guard(s), *cut = cell_xlsx_cut(g);
    worksheet_write_string(ws, r, c, cut ? cut : g, f);
    free(cut);
    /* libxlsxwriter writes no cell for an empty string without format. */
    if (g[0] || f)
        track(w, ws, r);
    free(g);
}

static void put_n(xw *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    if (!isfinite(v))
        return;
    worksheet_write_number(ws, r, c, v, f);
    track(w, ws, r);
}

static bool store_failed(xw *w)
{
    snprintf(w->e->msg, sizeof w->e->msg, "%s", w->se.msg);
    return false;
}

static lxw_worksheet *new_sheet(xw *w, int which)
{
    return add_sheet(w, sheet(which));
}

static void header_row(lxw_worksheet *ws, lxw_row_t r, const char *const *h, size_t n, lxw_col_t c0, xw *w)
{
    for (size_t i = 0; i < n; i++)
        put_s(w, ws, r, c0 + (lxw_col_t)i, h[i], w->bold);
}

/* ---- read-me -------------------------------------------------------- */

static bool write_readme(xw *w, lxw_worksheet *ws)
{
    ex_readme r;
    if (ex_readme_build(w->db, w->o, &w->counts, &r, &w->se))
        return store_failed(w);
    ex_readme_add(&r, true, _("Sheets"), NULL);
    for (int i = 0; i < SH_N; i++)
        if (w->mask & (1u << i))
            ex_readme_add(&r, false, sheet(i), "%s", _(sheet_about[i]));
    worksheet_set_column(ws, 0, 0, 30, NULL);
    worksheet_set_column(ws, 1, 1, 110, w->wrap);
    lxw_row_t row = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (r.v[i].heading && row)
            row++;
        put_s(w, ws, row, 0, r.v[i].label, r.v[i].heading ? w->title : w->bold);
        if (r.v[i].is_number)
            worksheet_write_number(ws, row, 1, (double)r.v[i].number, w->left);
        else if (r.v[i].value[0])
            put_s(w, ws, row, 1, r.v[i].value, NULL);
        row++;
    }
    ex_readme_free(&r);
    return true;
}

/* ---- interactions --------------------------------------------------- */

static void interactions_header(xw *w, lxw_worksheet *ws, const ex_columns *cols)
{
    for (size_t k = 0; k < cols->n; k++) {
        ex_col_kind kind = cols->v[k].kind;
        lxw_format *f = kind == EXC_DATE ? w->date : kind == EXC_START || kind == EXC_END ? w->datetime
                        : kind == EXC_DURATION                                          ? w->dec1
                                                                                        : NULL;
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, cols->v[k].width, f);
        put_s(w, ws, 0, (lxw_col_t)k, cols->v[k].header, w->bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

/* A further interactions sheet, when one is full. */
static lxw_worksheet *interactions_sheet(xw *w, const ex_columns *cols, int part)
{
    char name[64];
    snprintf(name, sizeof name, "%s (%d)", sheet(SH_INTERACTIONS), part);
    lxw_worksheet *ws = add_sheet(w, name);
    interactions_header(w, ws, cols);
    return ws;
}

static bool write_interactions(xw *w, lxw_worksheet *first)
{
    ex_columns cols;
    ex_columns_build(&cols, w->cb, w->o->notes);
    lxw_worksheet *ws = first;
    interactions_header(w, ws, &cols);
    st_ex_cursor *cur;
    if (st_ex_cursor_open(w->db, &w->o->filter, &cur, &w->se)) {
        ex_columns_free(&cols);
        return store_failed(w);
    }
    ex_row row = {0};
    st_ex_row x;
    bool more;
    lxw_row_t r = 1;
    int part = 1;
    bool ok = true;
    while (ok) {
        if (st_ex_cursor_next(cur, &x, &more, &w->se)) {
            ok = store_failed(w);
            break;
        }
        if (!more)
            break;
        if (r >= LXW_ROW_MAX) {
            /* A sheet holds 1,048,576 rows: the rest goes on the next. */
            worksheet_autofilter(ws, 0, 0, r - 1, (lxw_col_t)(cols.n - 1));
            ws = interactions_sheet(w, &cols, ++part);
            r = 1;
        }
        ex_row_fill(&row, &cols, w->o, &x);
        for (size_t k = 0; k < cols.n; k++) {
            const ex_value *v = &row.v[k];
            switch (v->type) {
            case EXV_TEXT: {
                /* Already guarded by ex_row_fill(); a note longer than a
                 * cell holds is cut, saying so. */
                char *cut = cell_xlsx_cut(v->text);
                worksheet_write_string(ws, r, (lxw_col_t)k, cut ? cut : v->text, NULL);
                free(cut);
                break;
            }
            case EXV_NUMBER:
                worksheet_write_number(ws, r, (lxw_col_t)k, v->number, NULL);
                break;
            case EXV_DATE:
                worksheet_write_number(ws, r, (lxw_col_t)k, v->number, w->date);
                break;
            case EXV_DATETIME:
                worksheet_write_number(ws, r, (lxw_col_t)k, v->number, w->datetime);
                break;
            case EXV_EMPTY:
                break;
            }
        }
        track(w, ws, r);
        r++;
    }
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, (lxw_col_t)(cols.n - 1));
    ex_row_free(&row);
    st_ex_cursor_close(cur);
    ex_columns_free(&cols);
    return ok;
}

/* ---- codebook ------------------------------------------------------- */

static bool write_codebook(xw *w, lxw_worksheet *ws)
{
    const char *h[] = {_("Dimension"), _("Dimension label"), _("Mode"), _("Required"), _("Code"), _("Key"),
                       _("Label"), _("Definition"), _("When to use"), _("When not to use"), _("Example"),
                       _("Other, specify"), _("Parent"), _("Retired")};
    size_t nh = sizeof h / sizeof h[0];
    const double widths[] = {14, 22, 10, 9, 22, 5, 34, 60, 50, 50, 50, 9, 14, 8};
    for (size_t i = 0; i < nh; i++)
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], i >= 7 && i <= 10 ? w->wrap : NULL);
    header_row(ws, 0, h, nh, 0, w);
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 1;
    for (size_t i = 0; i < w->cb->ndims; i++) {
        const cb_dimension *d = &w->cb->dims[i];
        size_t n = d->ncodes ? d->ncodes : 1;
        for (size_t j = 0; j < n; j++, r++) {
            put_s(w, ws, r, 0, d->id, NULL);
            put_s(w, ws, r, 1, d->label, NULL);
            put_s(w, ws, r, 2, cb_mode_name(d->mode), NULL);
            put_n(w, ws, r, 3, d->required, NULL);
            if (!d->ncodes) {
                put_s(w, ws, r, 7, d->description, NULL);
                put_n(w, ws, r, 13, d->retired, NULL);
                continue;
            }
            const cb_code *c = &d->codes[j];
            char key[2] = {c->key, 0};
            put_s(w, ws, r, 4, c->id, NULL);
            put_s(w, ws, r, 5, c->key ? key : NULL, NULL);
            put_s(w, ws, r, 6, c->label, NULL);
            put_s(w, ws, r, 7, c->definition, NULL);
            put_s(w, ws, r, 8, c->when_to_use, NULL);
            put_s(w, ws, r, 9, c->when_not_to_use, NULL);
            put_s(w, ws, r, 10, c->example, NULL);
            put_n(w, ws, r, 11, c->other, NULL);
            put_s(w, ws, r, 12, c->parent, NULL);
            put_n(w, ws, r, 13, c->retired || d->retired, NULL);
        }
    }
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, (lxw_col_t)(nh - 1));
    return true;
}

/* ---- frequencies ---------------------------------------------------- */

static const char *code_label(const cb_dimension *d, size_t code)
{
    return code == NONE ? _("(no answer)") : d->codes[code].label;
}

static bool write_freq(xw *w, lxw_worksheet *ws)
{
    ex_freq *f;
    size_t nf;
    if (ex_freqs_build(w->db, &w->o->filter, w->cb, w->counts.interactions, &f, &nf, &w->se))
        return store_failed(w);
    const char *h[] = {_("Dimension"), _("Code"), _("Label"), _("n"), _("% of interactions"), _("% of answers")};
    const double widths[] = {22, 22, 40, 9, 16, 14};
    for (size_t i = 0; i < 6; i++)
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], i >= 4 ? w->pct : NULL);
    header_row(ws, 0, h, 6, 0, w);
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 1;
    int chart_no = 0;
    for (size_t i = 0; i < nf; i++) {
        const cb_dimension *d = &w->cb->dims[f[i].dim];
        if (d->mode == CB_TEXT)
            continue;
        lxw_row_t first = r;
        for (size_t j = 0; j < f[i].nrows; j++, r++) {
            const ex_freq_row *fr = &f[i].rows[j];
            put_s(w, ws, r, 0, d->label, NULL);
            put_s(w, ws, r, 1, fr->code == NONE ? "" : d->codes[fr->code].id, NULL);
            put_s(w, ws, r, 2, code_label(d, fr->code), NULL);
            put_n(w, ws, r, 3, (double)fr->n, NULL);
            put_n(w, ws, r, 4, fr->of_interactions, w->pct);
            if (d->mode == CB_MULTIPLE && fr->code != NONE)
                put_n(w, ws, r, 5, fr->of_answers, w->pct);
        }
        /* One bar chart per dimension, beside the table, over its codes
         * (the "no answer" row left out); none when no code is left. */
        if (f[i].nrows < 2)
            continue;
        lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_BAR);
        lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(s, sheet(SH_FREQ), first, 2, r - 2, 2);
        chart_series_set_values(s, sheet(SH_FREQ), first, 3, r - 2, 3);
        chart_series_set_name(s, _("n"));
        chart_title_set_name(ch, d->label);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        chart_axis_set_reverse(ch->y_axis);
        lxw_chart_options co = {.x_scale = 1.6, .y_scale = 1.4};
        worksheet_insert_chart_opt(ws, (lxw_row_t)(1 + chart_no * 22), 7, ch, &co);
        chart_no++;
    }
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, 5);
    ex_freqs_free(f, nf);
    return true;
}

/* ---- cross-tabulations ---------------------------------------------- */

/* The visible rows / columns of a table: active codes, and retired ones
 * that still count. */
static size_t visible(const cb_dimension *d, const long long *margin, size_t *idx)
{
    size_t n = 0;
    for (size_t j = 0; j < d->ncodes; j++)
        if (!d->codes[j].retired || margin[j])
            idx[n++] = j;
    return n;
}

static bool write_xtab(xw *w, lxw_worksheet *ws)
{
    lxw_row_t r = 0;
    worksheet_set_column(ws, 0, 0, 34, NULL);
    put_s(w, ws, r++, 0, _("Cross-tabulations: counts of interactions, row % and column %"), w->title);
    worksheet_freeze_panes(ws, 1, 0);
    const cb_codebook *cb = w->cb;
    stats_xtab *all;
    if (ex_xtabs_build(w->db, &w->o->filter, cb, &all, &w->se))
        return store_failed(w);
    for (size_t a = 0; a < cb->ndims; a++)
        for (size_t b = a + 1; b < cb->ndims; b++) {
            const cb_dimension *da = &cb->dims[a], *db = &cb->dims[b];
            if (da->mode == CB_TEXT || db->mode == CB_TEXT)
                continue;
            const stats_xtab x = all[a * cb->ndims + b];
            size_t *ri = xcalloc(da->ncodes, sizeof *ri), *ci = xcalloc(db->ncodes, sizeof *ci);
            size_t nr = visible(da, x.rowsum, ri), nc = visible(db, x.colsum, ci);
            /* Three tables side by side: counts (with margins), row %,
             * column %; each nc + 2 columns wide plus a gap. */
            lxw_col_t w1 = (lxw_col_t)(nc + 3);
            const char *titles[3] = {_("Counts"), _("Row %"), _("Column %")};
            r++;
            char *t = xasprintf("%s × %s", da->label, db->label);
            put_s(w, ws, r++, 0, t, w->title);
            free(t);
            for (int k = 0; k < 3; k++) {
                put_s(w, ws, r, (lxw_col_t)(k * w1), titles[k], w->bold);
                for (size_t j = 0; j < nc; j++)
                    put_s(w, ws, r, (lxw_col_t)(k * w1 + 1 + j), db->codes[ci[j]].label, w->bold);
                put_s(w, ws, r, (lxw_col_t)(k * w1 + 1 + nc), _("Total"), w->bold);
            }
            r++;
            for (size_t i = 0; i < nr; i++, r++)
                for (int k = 0; k < 3; k++) {
                    put_s(w, ws, r, (lxw_col_t)(k * w1), da->codes[ri[i]].label, NULL);
                    for (size_t j = 0; j < nc; j++) {
                        lxw_col_t c = (lxw_col_t)(k * w1 + 1 + j);
                        if (k == 0)
                            put_n(w, ws, r, c, (double)stats_xtab_get(&x, ri[i], ci[j]), NULL);
                        else if (k == 1)
                            put_n(w, ws, r, c, stats_xtab_row_share(&x, ri[i], ci[j]), w->pct);
                        else
                            put_n(w, ws, r, c, stats_xtab_col_share(&x, ri[i], ci[j]), w->pct);
                    }
                    lxw_col_t c = (lxw_col_t)(k * w1 + 1 + nc);
                    if (k == 0)
                        put_n(w, ws, r, c, (double)x.rowsum[ri[i]], w->bold);
                    else if (k == 1)
                        put_n(w, ws, r, c, x.rowsum[ri[i]] ? 1.0 : 0.0, w->pct);
                    else
                        put_n(w, ws, r, c, stats_share(x.rowsum[ri[i]], x.total), w->pct);
                }
            for (int k = 0; k < 3; k++) {
                put_s(w, ws, r, (lxw_col_t)(k * w1), _("Total"), w->bold);
                for (size_t j = 0; j < nc; j++) {
                    lxw_col_t c = (lxw_col_t)(k * w1 + 1 + j);
                    if (k == 0)
                        put_n(w, ws, r, c, (double)x.colsum[ci[j]], w->bold);
                    else if (k == 1)
                        put_n(w, ws, r, c, stats_share(x.colsum[ci[j]], x.total), w->pct);
                    else
                        put_n(w, ws, r, c, x.colsum[ci[j]] ? 1.0 : 0.0, w->pct);
                }
                put_n(w, ws, r, (lxw_col_t)(k * w1 + 1 + nc), k == 0 ? (double)x.total : x.total ? 1.0 : 0.0,
                      k == 0 ? w->bold : w->pct);
            }
            r++;
            free(ri);
            free(ci);
        }
    ex_xtabs_free(all, cb->ndims);
    return true;
}

/* ---- time ----------------------------------------------------------- */

typedef struct time_ctx {
    long long wh[7][24];
    char (*week)[11];
    long long *week_n;
    size_t nweek, capw, capwn;
    char (*month)[8];
    long long *month_n;
    size_t nmonth, capm, capmn;
} time_ctx;

static int on_wh(void *ctx, const st_ex_group *g)
{
    time_ctx *t = ctx;
    int wd = g->k[0] ? atoi(g->k[0]) : -1, h = g->k[1] ? atoi(g->k[1]) : -1;
    if (wd >= 0 && wd < 7 && h >= 0 && h < 24)
        t->wh[wd][h] += g->n[0];
    return 0;
}

static int on_week(void *ctx, const st_ex_group *g)
{
    time_ctx *t = ctx;
    xgrow((void **)&t->week, &t->capw, t->nweek + 1, sizeof *t->week);
    xgrow((void **)&t->week_n, &t->capwn, t->nweek + 1, sizeof *t->week_n);
    snprintf(t->week[t->nweek], 11, "%s", g->k[0] ? g->k[0] : "");
    t->week_n[t->nweek++] = g->n[0];
    return 0;
}

static int on_month(void *ctx, const st_ex_group *g)
{
    time_ctx *t = ctx;
    xgrow((void **)&t->month, &t->capm, t->nmonth + 1, sizeof *t->month);
    xgrow((void **)&t->month_n, &t->capmn, t->nmonth + 1, sizeof *t->month_n);
    snprintf(t->month[t->nmonth], 8, "%s", g->k[0] ? g->k[0] : "");
    t->month_n[t->nmonth++] = g->n[0];
    return 0;
}

static bool write_time(xw *w, lxw_worksheet *ws)
{
    time_ctx t = {0};
    const st_filter *f = &w->o->filter;
    if (st_ex_groups(w->db, f, EXQ_WEEKDAY_HOUR, NULL, NULL, on_wh, &t, &w->se) ||
        st_ex_groups(w->db, f, EXQ_WEEK, NULL, NULL, on_week, &t, &w->se) ||
        st_ex_groups(w->db, f, EXQ_MONTH, NULL, NULL, on_month, &t, &w->se)) {
        free(t.week);
        free(t.week_n);
        free(t.month);
        free(t.month_n);
        return store_failed(w);
    }
    /* Hours from the first to the last that has an interaction (the desk's
     * opening hours), at least 8:00 to 18:00. */
    int h0 = 8, h1 = 17;
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++)
            if (t.wh[d][h]) {
                h0 = h < h0 ? h : h0;
                h1 = h > h1 ? h : h1;
            }
    int nh = h1 - h0 + 1;
    lxw_row_t r = 0;
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)(nh + 1), 8, NULL);
    put_s(w, ws, r, 0, _("Interactions by weekday and hour of arrival"), w->title);
    worksheet_freeze_panes(ws, 1, 0);
    r += 2;
    lxw_row_t head = r;
    put_s(w, ws, r, 0, _("Weekday"), w->bold);
    for (int h = 0; h < nh; h++) {
        char lab[16];
        snprintf(lab, sizeof lab, "%02dh", h0 + h);
        put_s(w, ws, r, (lxw_col_t)(1 + h), lab, w->bold);
    }
    put_s(w, ws, r, (lxw_col_t)(1 + nh), _("Total"), w->bold);
    r++;
    static const int order[7] = {1, 2, 3, 4, 5, 6, 0}; /* Monday first */
    long long colsum[24] = {0}, total = 0;
    for (int k = 0; k < 7; k++, r++) {
        int d = order[k];
        long long sum = 0;
        put_s(w, ws, r, 0, ex_weekday_name(d), NULL);
        for (int h = 0; h < nh; h++) {
            put_n(w, ws, r, (lxw_col_t)(1 + h), (double)t.wh[d][h0 + h], NULL);
            sum += t.wh[d][h0 + h];
            colsum[h] += t.wh[d][h0 + h];
        }
        put_n(w, ws, r, (lxw_col_t)(1 + nh), (double)sum, w->bold);
        total += sum;
    }
    put_s(w, ws, r, 0, _("Total"), w->bold);
    for (int h = 0; h < nh; h++)
        put_n(w, ws, r, (lxw_col_t)(1 + h), (double)colsum[h], w->bold);
    put_n(w, ws, r, (lxw_col_t)(1 + nh), (double)total, w->bold);
    r++;
    /* The load chart: one series per weekday over the hours. */
    lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
    for (int k = 0; k < 7; k++) {
        lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(s, sheet(SH_TIME), head, 1, head, (lxw_col_t)nh);
        chart_series_set_values(s, sheet(SH_TIME), head + 1 + (lxw_row_t)k, 1, head + 1 + (lxw_row_t)k,
                                (lxw_col_t)nh);
        chart_series_set_name_range(s, sheet(SH_TIME), head + 1 + (lxw_row_t)k, 0);
    }
    chart_title_set_name(ch, _("Load by weekday and hour"));
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options co = {.x_scale = 2.0, .y_scale = 1.3};
    worksheet_insert_chart_opt(ws, 0, (lxw_col_t)(nh + 3), ch, &co);
    /* Weeks and months side by side below. */
    r += 2;
    put_s(w, ws, r, 0, _("Week of"), w->bold);
    put_s(w, ws, r, 1, _("n"), w->bold);
    put_s(w, ws, r, 3, _("Month"), w->bold);
    put_s(w, ws, r, 4, _("n"), w->bold);
    worksheet_set_column(ws, 3, 3, 10, NULL);
    r++;
    size_t rows = t.nweek > t.nmonth ? t.nweek : t.nmonth;
    for (size_t i = 0; i < rows; i++, r++) {
        double serial;
        if (i < t.nweek && cell_serial(t.week[i], &serial)) {
            put_n(w, ws, r, 0, serial, w->date);
            put_n(w, ws, r, 1, (double)t.week_n[i], NULL);
        }
        char first[16];
        snprintf(first, sizeof first, "%s-01", i < t.nmonth ? t.month[i] : "");
        if (i < t.nmonth && cell_serial(first, &serial)) {
            put_n(w, ws, r, 3, serial, w->month);
            put_n(w, ws, r, 4, (double)t.month_n[i], NULL);
        }
    }
    free(t.week);
    free(t.week_n);
    free(t.month);
    free(t.month_n);
    return true;
}

/* ---- durations ------------------------------------------------------ */

static int on_all(void *ctx, const st_ex_duration *d)
{
    *(st_ex_duration *)ctx = *d;
    return 0;
}

static void duration_cells(xw *w, lxw_worksheet *ws, lxw_row_t r, const st_ex_duration *d)
{
    put_n(w, ws, r, 3, (double)d->n, NULL);
    if (!d->n)
        return;
    put_n(w, ws, r, 4, d->mean / 60.0, w->dec1);
    put_n(w, ws, r, 5, d->median / 60.0, w->dec1);
    put_n(w, ws, r, 6, d->p90 / 60.0, w->dec1);
}

static bool write_durations(xw *w, lxw_worksheet *ws)
{
    const char *h[] = {_("Dimension"), _("Code"), _("Label"), _("n"), _("Mean (min)"), _("Median (min)"),
                       _("90th percentile (min)")};
    const double widths[] = {22, 22, 40, 9, 12, 13, 20};
    for (size_t i = 0; i < 7; i++)
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    header_row(ws, 0, h, 7, 0, w);
    worksheet_freeze_panes(ws, 1, 0);
    st_ex_duration all = {0};
    if (st_ex_durations(w->db, &w->o->filter, NULL, on_all, &all, &w->se))
        return store_failed(w);
    lxw_row_t r = 1;
    put_s(w, ws, r, 2, _("All interactions with a duration"), w->bold);
    duration_cells(w, ws, r++, &all);
    for (size_t i = 0; i < w->cb->ndims; i++) {
        const cb_dimension *d = &w->cb->dims[i];
        if (d->mode != CB_SINGLE)
            continue;
        ex_durations du;
        if (ex_durations_build(w->db, &w->o->filter, w->cb, i, &du, &w->se))
            return store_failed(w);
        for (size_t j = 0; j < d->ncodes; j++) {
            if (d->codes[j].retired && !du.by_code[j].n)
                continue;
            put_s(w, ws, r, 0, d->label, NULL);
            put_s(w, ws, r, 1, d->codes[j].id, NULL);
            put_s(w, ws, r, 2, d->codes[j].label, NULL);
            duration_cells(w, ws, r++, &du.by_code[j]);
        }
        ex_durations_free(&du);
    }
    worksheet_autofilter(ws, 0, 0, r - 1, 6);
    return true;
}

/* ---- sites and observers -------------------------------------------- */

typedef struct who_sum {
    char *name;
    long long n[4];
    double mean;
} who_sum;

typedef struct who_ctx {
    who_sum *v;
    size_t n, cap;
    const cb_codebook *cb;
    long long ***count; /* [dim][code][name] */
} who_ctx;

static int on_summary(void *ctx, const st_ex_group *g)
{
    who_ctx *c = ctx;
    xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
    who_sum *s = &c->v[c->n++];
    s->name = xstrdup(g->k[0] ? g->k[0] : "");
    memcpy(s->n, g->n, sizeof s->n);
    s->mean = g->x[0];
    return 0;
}

/* Adds n to the count of (name, dim, code). */
static void who_add(who_ctx *c, const char *name, size_t di, size_t ci, long long n)
{
    for (size_t k = 0; k < c->n; k++)
        if (!strcmp(c->v[k].name, name ? name : "")) {
            c->count[di][ci][k] += n;
            return;
        }
}

typedef struct who_pair {
    who_ctx *site, *obs;
} who_pair;

/* One query counts every code by site and observer; the sites' and the
 * observers' columns are its sums. */
static int on_who_code(void *ctx, const st_ex_group *g)
{
    who_pair *p = ctx;
    const cb_codebook *cb = p->site->cb;
    size_t di = cb_dim_index(cb, g->k[2]);
    if (di == NONE)
        return 0;
    size_t ci = cb_code_index(&cb->dims[di], g->k[3]);
    if (ci == NONE)
        return 0;
    who_add(p->site, g->k[0], di, ci, g->n[0]);
    who_add(p->obs, g->k[1], di, ci, g->n[0]);
    return 0;
}

static void who_free(who_ctx *c)
{
    for (size_t i = 0; c->count && i < c->cb->ndims; i++) {
        for (size_t j = 0; j < c->cb->dims[i].ncodes; j++)
            free(c->count[i][j]);
        free(c->count[i]);
    }
    free(c->count);
    for (size_t k = 0; k < c->n; k++)
        free(c->v[k].name);
    free(c->v);
}

static st_code who_load(xw *w, who_ctx *c, st_ex_query summary)
{
    memset(c, 0, sizeof *c);
    c->cb = w->cb;
    if (st_ex_groups(w->db, &w->o->filter, summary, NULL, NULL, on_summary, c, &w->se))
        return w->se.code;
    c->count = xcalloc(w->cb->ndims, sizeof *c->count);
    for (size_t i = 0; i < w->cb->ndims; i++) {
        c->count[i] = xcalloc(w->cb->dims[i].ncodes, sizeof **c->count);
        for (size_t j = 0; j < w->cb->dims[i].ncodes; j++)
            c->count[i][j] = xcalloc(c->n, sizeof ***c->count);
    }
    return ST_OK;
}

static bool write_sites(xw *w, lxw_worksheet *ws)
{
    who_ctx s, o;
    who_pair pair = {&s, &o};
    st_code c1 = who_load(w, &s, EXQ_SITE_SUMMARY), c2 = c1 ? c1 : who_load(w, &o, EXQ_OBSERVER_SUMMARY);
    if (!c1)
        c2 = c2 ? c2 : st_ex_groups(w->db, &w->o->filter, EXQ_WHO_CODES, NULL, NULL, on_who_code, &pair, &w->se);
    if (c1 || c2) {
        who_free(&s);
        if (!c1)
            who_free(&o);
        return store_failed(w);
    }
    const char *h[] = {NULL, _("Interactions"), _("Sessions"), _("Incomplete"), _("Tallies"),
                       _("Mean duration (min)")};
    lxw_row_t r = 0;
    worksheet_set_column(ws, 0, 0, 26, NULL);
    worksheet_set_column(ws, 7, 7, 26, NULL);
    worksheet_set_column(ws, 1, 5, 12, NULL);
    worksheet_set_column(ws, 8, 12, 12, NULL);
    h[0] = _("Site");
    header_row(ws, r, h, 6, 0, w);
    h[0] = _("Observer");
    header_row(ws, r, h, 6, 7, w);
    worksheet_freeze_panes(ws, 1, 0);
    r++;
    size_t rows = s.n > o.n ? s.n : o.n;
    for (size_t i = 0; i < rows; i++, r++)
        for (int side = 0; side < 2; side++) {
            who_ctx *c = side ? &o : &s;
            lxw_col_t c0 = side ? 7 : 0;
            if (i >= c->n)
                continue;
            put_s(w, ws, r, c0, c->v[i].name, NULL);
            for (int k = 0; k < 4; k++)
                put_n(w, ws, r, c0 + 1 + (lxw_col_t)k, (double)c->v[i].n[k], NULL);
            put_n(w, ws, r, c0 + 5, c->v[i].mean / 60.0, w->dec1);
        }
    /* Counts of every code, sites then observers as columns. */
    r += 2;
    lxw_col_t c0 = 3;
    put_s(w, ws, r, 0, _("Dimension"), w->bold);
    put_s(w, ws, r, 1, _("Code"), w->bold);
    put_s(w, ws, r, 2, _("Label"), w->bold);
    for (size_t k = 0; k < s.n; k++)
        put_s(w, ws, r, c0 + (lxw_col_t)k, s.v[k].name, w->bold);
    for (size_t k = 0; k < o.n; k++)
        put_s(w, ws, r, c0 + (lxw_col_t)(s.n + 1 + k), o.v[k].name, w->bold);
    r++;
    for (size_t i = 0; i < w->cb->ndims; i++) {
        const cb_dimension *d = &w->cb->dims[i];
        for (size_t j = 0; j < d->ncodes; j++) {
            long long any = 0;
            for (size_t k = 0; k < s.n; k++)
                any += s.count[i][j][k];
            if (d->codes[j].retired && !any)
                continue;
            put_s(w, ws, r, 0, d->label, NULL);
            put_s(w, ws, r, 1, d->codes[j].id, NULL);
            put_s(w, ws, r, 2, d->codes[j].label, NULL);
            for (size_t k = 0; k < s.n; k++)
                put_n(w, ws, r, c0 + (lxw_col_t)k, (double)s.count[i][j][k], NULL);
            for (size_t k = 0; k < o.n; k++)
                put_n(w, ws, r, c0 + (lxw_col_t)(s.n + 1 + k), (double)o.count[i][j][k], NULL);
            r++;
        }
    }
    who_free(&s);
    who_free(&o);
    return true;
}

/* ---- the workbook --------------------------------------------------- */

bool ex_xlsx_write(st_db *db, const ex_options *o, const char *path, ex_error *e)
{
    xw w = {.db = db, .o = o, .e = e, .mask = o->sheets ? o->sheets : (1u << SH_N) - 1};
    cb_codebook *cb = NULL;
    /* The counts (and the selection they build) only for the sheets that
     * show them. */
    bool need_counts = w.mask & ((1u << SH_README) | (1u << SH_FREQ));
    double t0 = ex_clock();
    if (st_ex_codebook(db, &cb, &w.se) || (need_counts && st_ex_counts_get(db, &o->filter, &w.counts, &w.se))) {
        cb_free(cb);
        return store_failed(&w);
    }
    w.cb = cb;
    /* ZIP64 only when the interactions sheet could pass 4 GB: older
     * readers warn about it otherwise. */
    long long rows = need_counts ? w.counts.interactions : o->rows_hint;
    /* libxlsxwriter's temporary files (a million rows make a gigabyte of
     * XML) go beside the output, where the space for it is, rather than to
     * a /tmp that may be a small tmpfs. */
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else {
        free(dir);
        dir = xstrdup(".");
    }
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = dir,
                               .use_zip64 = rows > 2000000 ? LXW_TRUE : LXW_FALSE};
    w.wb = workbook_new_opt(path, &wo);
    if (!w.wb) {
        free(dir);
        cb_free(cb);
        snprintf(e->msg, sizeof e->msg, _("%s: cannot create the workbook"), o->output_name ? o->output_name : path);
        return false;
    }
    w.bold = workbook_add_format(w.wb);
    format_set_bold(w.bold);
    w.title = workbook_add_format(w.wb);
    format_set_bold(w.title);
    format_set_font_size(w.title, 13);
    w.date = workbook_add_format(w.wb);
    format_set_num_format(w.date, "yyyy-mm-dd");
    w.datetime = workbook_add_format(w.wb);
    format_set_num_format(w.datetime, "yyyy-mm-dd hh:mm:ss");
    w.month = workbook_add_format(w.wb);
    format_set_num_format(w.month, "yyyy-mm");
    w.pct = workbook_add_format(w.wb);
    format_set_num_format(w.pct, "0.0%");
    w.dec1 = workbook_add_format(w.wb);
    format_set_num_format(w.dec1, "0.0");
    w.left = workbook_add_format(w.wb);
    format_set_align(w.left, LXW_ALIGN_LEFT);
    w.wrap = workbook_add_format(w.wb);
    format_set_text_wrap(w.wrap);
    format_set_align(w.wrap, LXW_ALIGN_VERTICAL_TOP);
    char *title = xasprintf(_("carnet export of %s"), o->study ? o->study : "");
    lxw_doc_properties props = {.title = title, .author = "carnet", .comments = "carnet " CARNET_VERSION};
    workbook_set_properties(w.wb, &props);
    lxw_worksheet *ws[SH_N] = {0};
    for (int i = 0; i < SH_N; i++)
        if (w.mask & (1u << i))
            ws[i] = new_sheet(&w, i);
    bool ok = true;
    if (o->progress)
        o->progress(o->progress_ctx, _("selecting the interactions"), ex_clock() - t0);
    t0 = ex_clock();
    for (int i = 0; i < SH_N && ok; i++) {
        if (!ws[i])
            continue;
        switch (i) {
        case SH_README:
            ok = write_readme(&w, ws[i]);
            break;
        case SH_INTERACTIONS:
            ok = write_interactions(&w, ws[i]);
            break;
        case SH_CODEBOOK:
            ok = write_codebook(&w, ws[i]);
            break;
        case SH_FREQ:
            ok = write_freq(&w, ws[i]);
            break;
        case SH_XTAB:
            ok = write_xtab(&w, ws[i]);
            break;
        case SH_TIME:
            ok = write_time(&w, ws[i]);
            break;
        case SH_DURATION:
            ok = write_durations(&w, ws[i]);
            break;
        case SH_SITES:
            ok = write_sites(&w, ws[i]);
            break;
        }
        double t1 = ex_clock();
        if (ok && o->progress)
            o->progress(o->progress_ctx, sheet(i), t1 - t0);
        t0 = t1;
    }
    lxw_error err = workbook_close(w.wb);
    free(dir);
    free(title);
    cb_free(cb);
    if (ok && err != LXW_NO_ERROR) {
        snprintf(e->msg, sizeof e->msg, _("%s: cannot write the workbook: %s"), o->output_name ? o->output_name : path,
                 lxw_strerror(err));
        return false;
    }
    if (ok && o->progress)
        o->progress(o->progress_ctx, _("compressing the workbook"), ex_clock() - t0);
    t0 = ex_clock();
    if (ok)
        ok = ex_xlsx_verify(path, w.last_row, w.nsheets, e);
    if (!ok && o->output_name)
        ex_error_rename(e, path, o->output_name);
    if (ok && o->progress)
        o->progress(o->progress_ctx, _("reading the workbook back"), ex_clock() - t0);
    return ok;
}
