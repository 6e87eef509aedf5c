/*
 * agreement_xlsx.c — the agreement report as an XLSX workbook
 * (agreement_xlsx.h).
 *
 * libxlsxwriter formats numbers with the C library, so under a French
 * locale a kappa of 0.5 would be written "0,5" into the XML and Excel
 * would find a damaged file: the whole workbook is written under the C
 * numeric locale of this thread (uselocale), whatever the interface
 * language.  Undefined statistics are empty cells with the reason in the
 * note column, so a spreadsheet formula never meets a NaN.
 */
#include "export/agreement_xlsx.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/i18n.h"
#include "core/util.h"

typedef struct book {
    lxw_workbook *wb;
    lxw_format *bold, *dec3, *pct;
} book;

static void str(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    if (s)
        worksheet_write_string(ws, r, c, s, f);
}

static void header(lxw_worksheet *ws, const book *b, const char *const *names, size_t n, lxw_row_t row)
{
    for (size_t i = 0; i < n; i++)
        str(ws, row, (lxw_col_t)i, names[i], b->bold);
    worksheet_freeze_panes(ws, row + 1, 0);
}

static void stat(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, ag_why why, double v, lxw_format *f)
{
    if (why == AG_DEFINED)
        worksheet_write_number(ws, r, c, v, f);
}

static void summary_sheet(const book *b, const ex_agreement *a)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, _("Summary"));
    str(ws, 0, 0, _("Study"), b->bold);
    str(ws, 0, 1, a->study, NULL);
    str(ws, 1, 0, _("Generated"), b->bold);
    str(ws, 1, 1, a->generated_at, NULL);
    str(ws, 2, 0, _("Window (s)"), b->bold);
    worksheet_write_number(ws, 2, 1, (double)a->window, NULL);
    str(ws, 3, 0, _("Units matched"), b->bold);
    worksheet_write_number(ws, 3, 1, (double)a->units->n, NULL);
    str(ws, 4, 0, _("Interactions unmatched"), b->bold);
    worksheet_write_number(ws, 4, 1, (double)a->units->nunmatched, NULL);
    str(ws, 5, 0, _("Method"), b->bold);
    str(ws, 5, 1,
        _("Starts within the window, nearest first, one to one; kappa SE of Fleiss, Cohen & Everitt (1969); "
          "alpha nominal (Krippendorff 2011). See doc/agreement.md."),
        NULL);
    const char *cols[] = {_("Dimension"), _("Code"), _("Label"), _("Observer 1"), _("Observer 2"), _("N"),
                          _("Agreement"), _("Kappa"), _("SE"),
                          /* xgettext:no-c-format */
                          _("95% CI low"),
                          /* xgettext:no-c-format */
                          _("95% CI high"), _("Alpha"), _("Alpha values"), _("Note")};
    lxw_row_t row = 7;
    header(ws, b, cols, sizeof cols / sizeof cols[0], row);
    for (size_t i = 0; i < a->report->nvars; i++) {
        const ar_var *v = &a->report->vars[i];
        for (size_t j = 0; j < v->npairs; j++) {
            const ar_pair *p = &v->pairs[j];
            const ag_kappa *k = &p->kappa;
            row++;
            str(ws, row, 0, v->dim_id, NULL);
            str(ws, row, 1, v->code_id, NULL);
            str(ws, row, 2, v->code_id ? v->code_label : v->dim_label, NULL);
            str(ws, row, 3, a->in->coders[p->a], NULL);
            str(ws, row, 4, a->in->coders[p->b], NULL);
            worksheet_write_number(ws, row, 5, (double)k->n, NULL);
            if (k->n)
                worksheet_write_number(ws, row, 6, k->po, b->pct);
            stat(ws, row, 7, k->why, k->kappa, b->dec3);
            stat(ws, row, 8, k->why, k->se, b->dec3);
            stat(ws, row, 9, k->why, k->lo, b->dec3);
            stat(ws, row, 10, k->why, k->hi, b->dec3);
            stat(ws, row, 11, v->alpha.why, v->alpha.alpha, b->dec3);
            worksheet_write_number(ws, row, 12, v->alpha.pairable, NULL);
            const char *note = k->why != AG_DEFINED         ? ag_undefined_reason(k->why)
                               : v->alpha.why != AG_DEFINED ? ag_undefined_reason(v->alpha.why)
                                                            : NULL;
            str(ws, row, 13, note, NULL);
        }
    }
    worksheet_autofilter(ws, 7, 0, row, 13);
    worksheet_set_column(ws, 0, 1, 18, NULL);
    worksheet_set_column(ws, 2, 2, 36, NULL);
    worksheet_set_column(ws, 3, 4, 16, NULL);
    worksheet_set_column(ws, 5, 12, 11, NULL);
    worksheet_set_column(ws, 13, 13, 36, NULL);
}

static void sessions_sheet(const book *b, const ex_agreement *a)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, _("Sessions"));
    const char *cols[] = {_("Site"), _("Observer"), _("Started"), _("Ended"), _("Interactions"), _("Session")};
    header(ws, b, cols, sizeof cols / sizeof cols[0], 0);
    for (size_t i = 0; i < a->sessions->n; i++) {
        const st_ag_session *s = &a->sessions->v[i];
        lxw_row_t r = (lxw_row_t)i + 1;
        str(ws, r, 0, s->site, NULL);
        str(ws, r, 1, s->observer, NULL);
        str(ws, r, 2, s->started_at, NULL);
        str(ws, r, 3, s->ended_at, NULL);
        worksheet_write_number(ws, r, 4, (double)s->interactions, NULL);
        str(ws, r, 5, s->id, NULL);
    }
    worksheet_set_column(ws, 0, 1, 20, NULL);
    worksheet_set_column(ws, 2, 3, 27, NULL);
    worksheet_set_column(ws, 5, 5, 38, NULL);
}

/* One block per variable and pair: a title row, the column codes, then a
 * row per category of the first observer. */
static void confusion_sheet(const book *b, const ex_agreement *a)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, _("Confusion"));
    lxw_row_t row = 0;
    for (size_t i = 0; i < a->report->nvars; i++) {
        const ar_var *v = &a->report->vars[i];
        for (size_t j = 0; j < v->npairs; j++) {
            const ar_pair *p = &v->pairs[j];
            char *title = v->code_id ? xasprintf("%s — %s (%s)", v->dim_label, v->code_label, v->code_id)
                                     : xasprintf("%s (%s)", v->dim_label, v->dim_id);
            str(ws, row, 0, title, b->bold);
            free(title);
            char *who = xasprintf(_("%s (rows) × %s (columns)"), a->in->coders[p->a], a->in->coders[p->b]);
            str(ws, row + 1, 0, who, NULL);
            free(who);
            char **names = v->code_id ? v->cat_labels : v->cat_ids;
            size_t *idx = xcalloc(v->ncat, sizeof *idx);
            size_t n = ar_pair_categories(v, p, idx);
            for (size_t c = 0; c < n; c++) {
                str(ws, row + 2, (lxw_col_t)(c + 1), names[idx[c]], b->bold);
                str(ws, row + 3 + (lxw_row_t)c, 0, names[idx[c]], b->bold);
                for (size_t d = 0; d < n; d++)
                    worksheet_write_number(ws, row + 3 + (lxw_row_t)c, (lxw_col_t)(d + 1),
                                           (double)p->confusion[idx[c] * v->ncat + idx[d]], NULL);
            }
            free(idx);
            row += 3 + (lxw_row_t)n + 1;
        }
    }
    worksheet_set_column(ws, 0, 0, 24, NULL);
}

/* The units as matched: one row per unit and observer, so that a doubtful
 * match can be checked against the observers' own lists. */
static void units_sheet(const book *b, const ex_agreement *a)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, _("Units"));
    const char *cols[] = {_("Unit"), _("Site"), _("Observer"), _("Started"), _("Interaction")};
    header(ws, b, cols, sizeof cols / sizeof cols[0], 0);
    lxw_row_t row = 0;
    const ar_units *u = a->units;
    for (size_t k = 0; k < u->n; k++)
        for (size_t c = 0; c < u->ncoders; c++) {
            size_t m = u->member[k * u->ncoders + c];
            if (m == AR_NONE)
                continue;
            const ar_item *it = &a->in->items[m];
            row++;
            worksheet_write_number(ws, row, 0, (double)k + 1, NULL);
            str(ws, row, 1, a->in->sites[it->site], NULL);
            str(ws, row, 2, a->in->coders[it->coder], NULL);
            str(ws, row, 3, it->started_at, NULL);
            str(ws, row, 4, it->id, NULL);
        }
    if (row)
        worksheet_autofilter(ws, 0, 0, row, 4);
    worksheet_set_column(ws, 1, 2, 20, NULL);
    worksheet_set_column(ws, 3, 3, 27, NULL);
    worksheet_set_column(ws, 4, 4, 38, NULL);
}

static void unmatched_sheet(const book *b, const ex_agreement *a)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, _("Unmatched"));
    const char *cols[] = {_("Site"), _("Observer"), _("Started"), _("Interaction")};
    header(ws, b, cols, sizeof cols / sizeof cols[0], 0);
    for (size_t i = 0; i < a->units->nunmatched; i++) {
        const ar_item *it = &a->in->items[a->units->unmatched[i]];
        lxw_row_t r = (lxw_row_t)i + 1;
        str(ws, r, 0, a->in->sites[it->site], NULL);
        str(ws, r, 1, a->in->coders[it->coder], NULL);
        str(ws, r, 2, it->started_at, NULL);
        str(ws, r, 3, it->id, NULL);
    }
    worksheet_set_column(ws, 0, 1, 20, NULL);
    worksheet_set_column(ws, 2, 2, 27, NULL);
    worksheet_set_column(ws, 3, 3, 38, NULL);
}

bool ex_agreement_xlsx(const ex_agreement *a, const char *path, char *err, size_t errlen)
{
    /* Based on a copy of the global locale, so that messages stay in the
     * interface language: only the numbers change. */
    locale_t base = duplocale(LC_GLOBAL_LOCALE);
    locale_t c = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
    if (base && !c)
        freelocale(base);
    locale_t old = c ? uselocale(c) : (locale_t)0;
    book b = {0};
    b.wb = workbook_new(path);
    bool ok = b.wb != NULL;
    if (!ok)
        snprintf(err, errlen, "%s", _("cannot create the workbook"));
    if (ok) {
        b.bold = workbook_add_format(b.wb);
        format_set_bold(b.bold);
        b.dec3 = workbook_add_format(b.wb);
        format_set_num_format(b.dec3, "0.000");
        b.pct = workbook_add_format(b.wb);
        format_set_num_format(b.pct, "0.0%");
        summary_sheet(&b, a);
        sessions_sheet(&b, a);
        confusion_sheet(&b, a);
        units_sheet(&b, a);
        unmatched_sheet(&b, a);
        lxw_error rc = workbook_close(b.wb);
        if (rc != LXW_NO_ERROR) {
            snprintf(err, errlen, _("cannot write the workbook: %s"), lxw_strerror(rc));
            ok = false;
        }
    }
    if (c) {
        uselocale(old);
        freelocale(c);
    }
    return ok;
}
