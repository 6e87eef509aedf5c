/*
 * training.h — a trainee's coding of a vignette set and its score against
 * the trainer's reference, in pure C (doc/training.md).
 *
 * The screen fills a tr_run as the trainee codes; the store keeps it; both
 * the score screen and the printed report read the same tr_score.
 */
#ifndef CARNET_CORE_TRAINING_H
#define CARNET_CORE_TRAINING_H

#include <stdbool.h>
#include <stddef.h>

#include "core/agree.h"
#include "core/codebook.h"
#include "core/vignette.h"

/* A set of code ids, in the order they were chosen. */
typedef struct tr_codes {
    char **v;
    size_t n;
} tr_codes;

bool tr_codes_has(const tr_codes *c, const char *code);
/* Adds code when absent; removes it when present. */
void tr_codes_toggle(tr_codes *c, const char *code);
/* Makes code the only one. */
void tr_codes_set(tr_codes *c, const char *code);
void tr_codes_clear(tr_codes *c);

/* The trainee's coding: for each vignette of the set, whether it was
 * answered and, for each dimension of the codebook, the codes chosen. */
typedef struct tr_run {
    size_t nvignettes, ndims;
    bool *answered;  /* nvignettes */
    tr_codes *codes; /* nvignettes x ndims, row-major */
} tr_run;

void tr_run_init(tr_run *r, size_t nvignettes, size_t ndims);
void tr_run_free(tr_run *r);
tr_codes *tr_run_codes(tr_run *r, size_t vignette, size_t dim);
const tr_codes *tr_run_codes_c(const tr_run *r, size_t vignette, size_t dim);

/* The score of one dimension over the answered vignettes. */
typedef struct tr_dim_score {
    size_t dim;    /* index in the codebook */
    long n;        /* vignettes answered */
    long agreed;   /* vignettes coded as the reference (the same set of codes) */
    ag_kappa kappa; /* single choice: codes as categories, "no code" one more; multiple: pooled presence */
} tr_dim_score;

/* A vignette and dimension where the trainee's coding is not the reference. */
typedef struct tr_miss {
    size_t vignette, dim;
} tr_miss;

typedef struct tr_score {
    tr_dim_score *dims; /* the active single- and multiple-choice dimensions, in codebook order */
    size_t ndims;
    tr_miss *misses;    /* by vignette, then dimension */
    size_t nmisses;
    long answered;      /* vignettes answered */
    long perfect;       /* vignettes answered with no disagreement */
} tr_score;

/*
 * Scores run against the references of set.  Kappa for a single-choice
 * dimension treats each code as a category and "no code" as one more; for
 * a multiple-choice dimension it pools one present/absent judgement per
 * vignette and code, over the codes that the reference or the trainee used
 * somewhere in the run.  Free with tr_score_free().
 */
void tr_score_run(const cb_codebook *cb, const vg_set *set, const tr_run *run, tr_score *out);
void tr_score_free(tr_score *s);

#endif
