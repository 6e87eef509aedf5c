/*
 * export.h — what the export formats share: options, the columns of the
 * interactions table, the frequency and cross-tabulation tables, the
 * read-me lines, and writing a file safely.
 *
 * A format (xlsx.c, csv.c) is a translation of these into one file format;
 * the figures themselves come from src/store/st_export.h and the
 * arithmetic from src/core/stats.h, so the workbook, the CSV files and
 * `carnet stats` always agree.
 */
#ifndef CARNET_EXPORT_EXPORT_H
#define CARNET_EXPORT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codebook.h"
#include "core/redact.h"
#include "core/stats.h"
#include "store/st_export.h"

typedef enum ex_notes {
    EX_NOTES_REDACTED = 0, /* the default: personal data replaced by tags */
    EX_NOTES_NONE,         /* no note column at all */
    EX_NOTES_RAW           /* the notes as typed */
} ex_notes;

/* "redacted", "none", "raw" and back (false on another word). */
const char *ex_notes_name(ex_notes n);
bool ex_notes_parse(const char *s, ex_notes *out);

typedef struct ex_error {
    char msg[1024];
} ex_error;

typedef struct ex_options {
    st_filter filter;
    ex_notes notes;
    const rd_rules *rules; /* for EX_NOTES_REDACTED */
    const char *rules_files; /* the rule files used, for the read-me ("a, b") */
    bool excel_fr;         /* CSV: ';', decimal comma, byte-order mark */
    unsigned sheets;       /* XLSX: the sheets to write (bits of ex_xlsx_sheets_parse), 0 for all */
    long long rows_hint;   /* about how many interactions (chooses ZIP64 for huge workbooks) */
    /* Called after each sheet or table with its name and the seconds it
     * took (NULL: not called), for `carnet export --verbose`. */
    void (*progress)(void *ctx, const char *part, double seconds);
    void *progress_ctx;
    const char *output_name; /* the final file name, for messages (the writers get the temporary one) */
    const char *study;     /* the study's name */
    const char *generated_at;
} ex_options;

/* Seconds since an arbitrary start (CLOCK_MONOTONIC), for progress. */
double ex_clock(void);

/* The note as it goes out (NULL for none): redacted, raw, or nothing.
 * Caller frees. */
char *ex_note_out(const ex_options *o, const char *note);

/* An answer typed at the desk ("other, specify", a free-text dimension) as
 * it goes out (NULL for none): as typed with --notes raw, otherwise passed
 * through the same redaction rules as notes, since it is free text too.
 * Caller frees. */
char *ex_answer_out(const ex_options *o, const char *text);

/* ---- the interactions table ----------------------------------------- */

typedef enum ex_col_kind {
    EXC_UUID, EXC_DATE, EXC_WEEKDAY, EXC_START, EXC_END, EXC_DURATION, EXC_SITE, EXC_OBSERVER, EXC_SESSION,
    EXC_SINGLE,   /* label of the code chosen on dim */
    EXC_MULTI,    /* 0/1: code chosen on dim */
    EXC_OTHER,    /* other-specify text of code on dim */
    EXC_TEXT,     /* answer to the free-text dim */
    EXC_INCOMPLETE, EXC_TALLY, EXC_NOTE
} ex_col_kind;

typedef struct ex_col {
    ex_col_kind kind;
    size_t dim, code;
    char *header;    /* for people (translated; labels) */
    char *key;       /* for programs (CSV): "demande", "obstacle.obs-email" */
    double width;    /* spreadsheet column width */
} ex_col;

typedef struct ex_columns {
    ex_col *v;
    size_t n;
    const cb_codebook *cb;
    /* Where each answer goes: the column of a single-choice or text
     * dimension, of a multiple-choice code, of an other-specify text
     * ((size_t)-1 when none). */
    size_t *dim_col;
    size_t **code_col, **other_col;
} ex_columns;

/* The columns for the codebook union cb (which must outlive them).  Free
 * with ex_columns_free(). */
void ex_columns_build(ex_columns *cols, const cb_codebook *cb, ex_notes notes);
void ex_columns_free(ex_columns *cols);

typedef enum ex_val_type { EXV_EMPTY, EXV_TEXT, EXV_NUMBER, EXV_DATE, EXV_DATETIME } ex_val_type;

typedef struct ex_value {
    ex_val_type type;
    const char *text;   /* EXV_TEXT, already guarded against formulas */
    double number;      /* EXV_NUMBER; serial for EXV_DATE and EXV_DATETIME */
    const char *iso;    /* EXV_DATE / EXV_DATETIME as text: "2026-09-14", "2026-09-14 09:05:12" */
} ex_value;

/* Where the answers' codes are in a codebook, remembered by their key
 * (st_ex_answer). */
typedef struct ex_places {
    size_t *dim, *code; /* by key; (size_t)-1 when not in the codebook */
    bool *known;
    size_t n;
} ex_places;

/* Sets *di and *ci to the dimension and code of a in cb ((size_t)-1 when
 * it has none: *ci for a free-text answer).  Free with ex_places_free(). */
void ex_answer_place(ex_places *p, const cb_codebook *cb, const st_ex_answer *a, size_t *di, size_t *ci);
void ex_places_free(ex_places *p);

/* Values of one row, one per column; the texts are valid until the next
 * ex_row_fill() or ex_row_free(), and while the st_ex_row and the
 * codebook they came from are (some point into them). */
typedef struct ex_row {
    ex_value *v;
    char **owned;
    size_t nowned, cap;
    char date[20], start[20], end[20];
    const char *weekday[7]; /* the names, translated once */
    ex_places places;
} ex_row;

void ex_row_fill(ex_row *r, const ex_columns *cols, const ex_options *o, const st_ex_row *x);
void ex_row_free(ex_row *r);

/* The weekday name of "YYYY-MM-DD..." in the user's language. */
const char *ex_weekday_name(int wday);

/* ---- frequency and cross tables ------------------------------------- */

typedef struct ex_freq_row {
    size_t code;        /* index into the dimension's codes; (size_t)-1 for "no answer" */
    long long n;
    double of_interactions; /* share of the interactions */
    double of_answers;      /* share of the answers (multiple choice) */
} ex_freq_row;

typedef struct ex_freq {
    size_t dim;
    long long interactions; /* in the filter */
    long long answered;     /* with at least one answer on dim */
    long long answers;      /* codes chosen on dim */
    ex_freq_row *rows;      /* every code of dim, then "no answer" */
    size_t nrows;
} ex_freq;

/* The frequencies of every coded dimension of cb (text dimensions get
 * only their answered count).  Free with ex_freqs_free(). */
st_code ex_freqs_build(st_db *db, const st_filter *f, const cb_codebook *cb, long long interactions, ex_freq **out,
                       size_t *n, st_error *e);
void ex_freqs_free(ex_freq *v, size_t n);

/* Cross-tabulation of two coded dimensions by their codes, rows = codes of
 * dim a.  Free with stats_xtab_free(). */
st_code ex_xtab_build(st_db *db, const st_filter *f, const cb_codebook *cb, size_t a, size_t b, stats_xtab *x,
                      st_error *e);

/* Every pair (a, b), a < b, of coded dimensions in one query: *out holds
 * ndims * ndims tables, the one of (a, b) at a * ndims + b (the others
 * empty).  Free with ex_xtabs_free(). */
st_code ex_xtabs_build(st_db *db, const st_filter *f, const cb_codebook *cb, stats_xtab **out, st_error *e);
void ex_xtabs_free(stats_xtab *x, size_t ndims);

/* Durations by code of dim: filled per code (n 0 when none). */
typedef struct ex_durations {
    size_t dim;
    st_ex_duration *by_code; /* cb->dims[dim].ncodes entries, code pointers NULL */
    st_ex_duration all;
} ex_durations;

st_code ex_durations_build(st_db *db, const st_filter *f, const cb_codebook *cb, size_t dim, ex_durations *d,
                           st_error *e);
void ex_durations_free(ex_durations *d);

/* ---- the read-me ---------------------------------------------------- */

/* Two-column lines: a label (empty for a continuation) and a value.  The
 * sections are built by separate functions in export.c, so that a section
 * (what changed between codebook versions, say) is one more function. */
typedef struct ex_readme_line {
    char *label, *value;
    bool heading;
    bool is_number; /* value is a count, written as a number */
    long long number;
} ex_readme_line;

typedef struct ex_readme {
    ex_readme_line *v;
    size_t n, cap;
} ex_readme;

void ex_readme_add(ex_readme *r, bool heading, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A count, which a spreadsheet shows as a number. */
void ex_readme_count(ex_readme *r, const char *label, long long n);
/* The whole read-me for these options.  Free with ex_readme_free(). */
st_code ex_readme_build(st_db *db, const ex_options *o, const st_ex_counts *counts, ex_readme *r, st_error *e);
void ex_readme_free(ex_readme *r);

/* A description of the filter, for people ("2026Q3; sites: A, B"). */
char *ex_filter_text(const st_filter *f);

/* ---- output files --------------------------------------------------- */

/* Replaces the temporary file's name by the final one in e's message. */
void ex_error_rename(ex_error *e, const char *tmp, const char *final);

/*
 * Prepares to write final: refuses (false, with the reason in e) when it
 * exists and force is false, then creates an empty temporary file beside
 * it, mode 0600, whose name is returned in *tmp (caller frees).
 */
bool ex_output_begin(const char *final, bool force, char **tmp, ex_error *e);
/* Moves tmp to final: rename() with force, otherwise link() so that a file
 * that appeared in the meantime is not replaced either.  tmp is removed in
 * any case. */
bool ex_output_commit(const char *tmp, const char *final, bool force, ex_error *e);
/* Removes tmp after a failure. */
void ex_output_abort(const char *tmp);

/* ---- formats -------------------------------------------------------- */

/* Parses a comma-separated list of sheet ids (readme, interactions,
 * codebook, frequencies, crosstabs, time, durations, sites) into *mask;
 * false with a sentence in err on an unknown id. */
bool ex_xlsx_sheets_parse(const char *list, unsigned *mask, char *err, size_t errlen);

/*
 * Reads the workbook at path back and checks that worksheet i (in the
 * order of the workbook) ends with row last_rows[i] (1-based; 0 for an
 * empty sheet), whole.  libxlsxwriter does not report a failed write of its
 * temporary files (a full disk): this is how such a workbook is caught
 * before it is renamed (xlsx_check.c).
 */
bool ex_xlsx_verify(const char *path, const unsigned long *last_rows, size_t nsheets, ex_error *e);

/* Writes the workbook to path (the temporary file). */
bool ex_xlsx_write(st_db *db, const ex_options *o, const char *path, ex_error *e);

/* Writes the wide table (one row per interaction) / the long table (one
 * row per interaction, dimension and code) as CSV to path. */
bool ex_csv_write_wide(st_db *db, const ex_options *o, const char *path, ex_error *e);
bool ex_csv_write_long(st_db *db, const ex_options *o, const char *path, ex_error *e);

#endif
