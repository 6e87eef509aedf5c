/*
 * agree_report.h — matching observers' interactions and the per-dimension
 * agreement report, in pure C.
 *
 * The store hands over every interaction of the sessions under study
 * (ar_input); ar_match() groups into units the interactions that different
 * observers coded for the same visitor, by start time within a window;
 * ar_report_build() turns the units into one variable per single-choice
 * dimension and one presence/absence variable per code of a multiple-choice
 * dimension, each with its alpha, and for every pair of observers its
 * confusion matrix and kappa.  The rules are in doc/agreement.md.
 */
#ifndef CARNET_CORE_AGREE_REPORT_H
#define CARNET_CORE_AGREE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/agree.h"
#include "core/codebook.h"

/* "No interaction": a coder absent from a unit. */
#define AR_NONE SIZE_MAX

typedef struct ar_code {
    char *dim;
    char *code;
} ar_code;

typedef struct ar_item {
    char *id;         /* the interaction's id */
    size_t coder;     /* index into ar_input.coders */
    size_t site;      /* index into ar_input.sites */
    long long start;  /* seconds since the epoch */
    char *started_at; /* as stored, for display */
    ar_code *codes;   /* its codes, any order */
    size_t ncodes, cap;
} ar_item;

typedef struct ar_input {
    char **coders; /* observers' names */
    size_t ncoders;
    char **sites;  /* sites' names */
    size_t nsites;
    ar_item *items;
    size_t nitems, cap;
} ar_input;

/* The index of the coder / site of that name, added when new. */
size_t ar_input_coder(ar_input *in, const char *name);
size_t ar_input_site(ar_input *in, const char *name);
/* Appends an item (owned by in) and returns it. */
ar_item *ar_input_add(ar_input *in, const char *id, size_t coder, size_t site, long long start,
                      const char *started_at);
void ar_item_add_code(ar_item *it, const char *dim, const char *code);
/* Frees what in owns (not in itself). */
void ar_input_free(ar_input *in);

typedef struct ar_units {
    size_t ncoders;
    size_t n;           /* units */
    size_t *member;     /* n x ncoders item indexes, AR_NONE where a coder has none */
    size_t *unmatched;  /* items in no unit, by site then start */
    size_t nunmatched;
} ar_units;

/*
 * Groups the items into units: interactions of different coders at the
 * same site whose starts lie within window seconds of each other, at most
 * one interaction per coder in a unit.  Greedy on the nearest starts
 * first (ties: the earlier start, then the ids), one-to-one: with two
 * coders, each interaction is matched to at most one of the other's, the
 * closest pairs being taken first.  Units are in order of site, then start.
 * Free with ar_units_free().
 */
void ar_match(const ar_input *in, long long window, ar_units *out);
void ar_units_free(ar_units *u);

typedef struct ar_pair {
    size_t a, b;     /* coder indexes, a < b */
    long *confusion; /* ncat x ncat; rows are coder a's categories */
    ag_kappa kappa;
} ar_pair;

typedef struct ar_var {
    char *dim_id, *dim_label;
    char *code_id, *code_label; /* the code of a presence variable; NULL for a single-choice dimension */
    size_t ncat;
    char **cat_ids;    /* single choice: code ids; presence: "0", "1" */
    char **cat_labels; /* labels of the current codebook (the id when it lacks the code) */
    ag_alpha alpha;
    ar_pair *pairs;    /* pairs of coders sharing at least one unit */
    size_t npairs;
} ar_var;

typedef struct ar_report {
    ar_var *vars;
    size_t nvars;
} ar_report;

/*
 * One variable per single-choice dimension of cb, then, for a
 * multiple-choice dimension, one presence variable per code that some
 * coder chose in a unit.  A coder's value is missing when that coder has
 * no interaction in the unit or gave no code on the dimension.  Free-text
 * dimensions are left out.  Free with ar_report_free().
 */
/*
 * The categories of v that pair p used (a row or column of its confusion
 * matrix that is not all zeros), as indexes written to idx (room for
 * v->ncat); returns their number.  Presence variables keep both.
 */
size_t ar_pair_categories(const ar_var *v, const ar_pair *p, size_t *idx);

void ar_report_build(const ar_input *in, const ar_units *u, const cb_codebook *cb, ar_report *out);
void ar_report_free(ar_report *r);

#endif
