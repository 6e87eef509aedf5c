/*
 * agreement_xlsx.h — the agreement report (`carnet agreement -o FILE.xlsx`)
 * as an XLSX workbook written with libxlsxwriter.
 *
 * Sheets: a summary (one row per variable and pair of observers, numbers
 * as numbers), the sessions compared, the confusion matrices, the units
 * matched and the interactions left unmatched.  Sheet names and headers
 * follow the interface language.
 */
#ifndef CARNET_EXPORT_AGREEMENT_XLSX_H
#define CARNET_EXPORT_AGREEMENT_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/agree_report.h"
#include "store/st_agree.h"

typedef struct ex_agreement {
    const char *study;        /* the study's name */
    const char *generated_at; /* a timestamp */
    long long window;         /* seconds */
    const st_ag_selection *sessions;
    const ar_input *in;
    const ar_units *units;
    const ar_report *report;
} ex_agreement;

/*
 * Writes the workbook to path (created or replaced).  On failure returns
 * false with a sentence in err.
 */
bool ex_agreement_xlsx(const ex_agreement *a, const char *path, char *err, size_t errlen);

#endif
