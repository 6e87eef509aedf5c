/*
 * st_export.h — the queries behind `carnet export` and `carnet stats`.
 *
 * Every figure is computed over the interactions a filter selects (a period
 * of local dates, sites, observers), leaving out deleted ones, and grouping
 * answers by (dimension id, code id) across codebook versions, as
 * doc/data-model.md asks: SQL selects, joins and orders them into temporary
 * tables, and one forward pass tallies the answers into small tables that
 * the queries group and label (st_export.c says why).  Results come back
 * through callbacks or a cursor, one row at a time, so that a million
 * interactions never sit in memory: the caller keeps what it needs (a
 * frequency table, a cross-tabulation) and streams the rest (the
 * interactions sheet).
 */
#ifndef CARNET_STORE_ST_EXPORT_H
#define CARNET_STORE_ST_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codebook.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "store/store.h"

/* Which interactions: a period, and sites and observers by name (none
 * given: all).  The strings belong to the caller. */
typedef struct st_filter {
    period period;
    const char **sites;
    size_t nsites;
    const char **observers;
    size_t nobservers;
} st_filter;

/*
 * Gives the connection a page cache of `mib` MiB for the many passes an
 * export makes over the same tables (SQLite's default is 2 MiB, so a study
 * larger than that is read from the file again at every query).  Bounded,
 * unlike a memory map, whose pages would count in the process's memory.
 */
void st_ex_cache(st_db *db, int mib);

/* ST_ERR_NOTFOUND, naming the study's sites or observers, when a name of
 * the filter is not in the study. */
st_code st_ex_check_filter(st_db *db, const st_filter *f, st_error *e);

/*
 * Every version of the study's codebook joined into one (core/cb_union.h):
 * the dimensions and codes to count, labelled as their latest version
 * says.  Caller frees *out with cb_free().
 */
st_code st_ex_codebook(st_db *db, cb_codebook **out, st_error *e);

typedef struct st_ex_counts {
    long long interactions, sessions, sites, observers;
    long long incomplete, tally, open, with_note;
    long long deleted;         /* deleted ones the filter would select, left out */
    char first[TS_LEN], last[TS_LEN]; /* first and last start, "" when none */
} st_ex_counts;

st_code st_ex_counts_get(st_db *db, const st_filter *f, st_ex_counts *out, st_error *e);

/* A codebook version with the interactions coded with it in the filter. */
typedef struct st_ex_version {
    st_cb_version v;
    long long interactions;
    char first[TS_LEN], last[TS_LEN];
} st_ex_version;

/* The versions in use, oldest first.  Free with st_ex_versions_free(). */
st_code st_ex_versions(st_db *db, const st_filter *f, st_ex_version **out, size_t *n, st_error *e);
void st_ex_versions_free(st_ex_version *v, size_t n);

/* ---- one row per interaction ---------------------------------------- */

typedef struct st_ex_answer {
    const char *dim;
    const char *code; /* NULL for the answer to a free-text dimension */
    const char *text; /* other-specify text or free-text answer; NULL when none */
    /* The same small number (from 1) for the same (dim, code) all along a
     * cursor, 0 for a free-text answer: a reader can remember where a code
     * goes by it rather than look its ids up again. */
    unsigned key;
} st_ex_answer;

/* An interaction; every pointer is valid until the next call on the
 * cursor. */
typedef struct st_ex_row {
    const char *id, *started_at, *ended_at; /* ended_at NULL while open */
    const char *site, *observer, *session, *version;
    const char *note; /* NULL when none */
    bool incomplete, tally;
    bool has_duration;   /* ended and not a tally */
    long long duration;  /* seconds, pauses left out */
    st_ex_answer *answers;
    size_t nanswers;
} st_ex_row;

typedef struct st_ex_cursor st_ex_cursor;

/* The interactions of the filter in order of start.  Close with
 * st_ex_cursor_close(). */
st_code st_ex_cursor_open(st_db *db, const st_filter *f, st_ex_cursor **out, st_error *e);
/* Fills *row and sets *more; *more false at the end. */
st_code st_ex_cursor_next(st_ex_cursor *c, st_ex_row *row, bool *more, st_error *e);
void st_ex_cursor_close(st_ex_cursor *c);

/* ---- grouped counts ------------------------------------------------- */

typedef enum st_ex_query {
    EXQ_CODES,          /* k0 dimension, k1 code; n0 interactions */
    EXQ_ANSWERED,       /* k0 dimension; n0 interactions with an answer, n1 answers */
    EXQ_XTAB,           /* a0, a1 the two dimensions; k0, k1 codes; n0 interactions with both */
    EXQ_WEEKDAY_HOUR,   /* k0 weekday "0" (Sunday) .. "6", k1 hour "00".."23"; n0 */
    EXQ_WEEK,           /* k0 the week's Monday YYYY-MM-DD; n0 */
    EXQ_MONTH,          /* k0 YYYY-MM; n0 */
    EXQ_SITE_SUMMARY,   /* k0 site; n0 interactions, n1 sessions, n2 incomplete, n3 tallies; x0 mean s */
    EXQ_OBSERVER_SUMMARY,
    EXQ_WHO_CODES,      /* k0 site, k1 observer, k2 dimension, k3 code; n0 */
    EXQ_XTAB_ALL,       /* every pair of dimensions at once: k0 dimension a, k1 code, k2 dimension b
                         * (a < b by id), k3 code; n0 interactions with both */
} st_ex_query;

typedef struct st_ex_group {
    const char *k[4];
    long long n[4];
    double x[1]; /* NAN when no value */
} st_ex_group;

/* Called per group, in key order; a non-zero return stops the query. */
typedef int (*st_ex_group_fn)(void *ctx, const st_ex_group *g);

st_code st_ex_groups(st_db *db, const st_filter *f, st_ex_query q, const char *a0, const char *a1, st_ex_group_fn fn,
                     void *ctx, st_error *e);

/* Durations of ended, non-tally interactions, per code of dimension dim
 * (NULL: all of them as one group, code NULL).  Seconds. */
typedef struct st_ex_duration {
    const char *code;
    long long n;
    double mean, median, p90;
} st_ex_duration;

typedef int (*st_ex_duration_fn)(void *ctx, const st_ex_duration *d);

st_code st_ex_durations(st_db *db, const st_filter *f, const char *dim, st_ex_duration_fn fn, void *ctx,
                        st_error *e);

#endif
