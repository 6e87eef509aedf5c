/*
 * st_codebook.h — the codebook's history in the study, beyond what every
 * command needs (store.h): who saved a version, whether a code is in use,
 * whether an id was ever used, versions by number.
 *
 * The editor relies on these to keep the promise of doc/data-model.md: code
 * ids are stable and never reused, and a code that an interaction used can
 * be retired but never removed.
 */
#ifndef CARNET_STORE_ST_CODEBOOK_H
#define CARNET_STORE_ST_CODEBOOK_H

#include <stdbool.h>

#include "store/store.h"

/*
 * As st_codebook_add(), recording who saved the version (NULL or "" when
 * unknown).  Both refuse with ST_ERR_INVALID, adding nothing, a codebook
 * that leaves out a dimension or a code that recorded answers (interactions,
 * deleted ones included, or training answers) use: retire it instead.
 */
st_code st_codebook_add_by(st_db *db, const cb_codebook *cb, const char *source, const char *who,
                           char version_id[UUID_STRLEN], st_error *e);

/*
 * How many recorded answers use code_id of dimension dim_id (interactions,
 * deleted ones included, and training answers); with code_id NULL, how many
 * answers of any kind the dimension has.  Writes the count to *n.
 */
st_code st_code_usage(st_db *db, const char *dim_id, const char *code_id, long long *n, st_error *e);

/*
 * Whether id was a code (or, when dimension, a dimension) in any version of
 * the study's codebook: *label receives its latest label and, when dim_id
 * is not NULL, *dim_id its dimension; both NULL when the id was never used.
 * Caller frees both.
 */
st_code st_id_history(st_db *db, const char *id, bool dimension, char **dim_id, char **label, st_error *e);

/* The id of the codebook version numbered seq (1, 2, ...); ST_ERR_NOTFOUND
 * when there is none. */
st_code st_codebook_version_by_seq(st_db *db, int seq, char version_id[UUID_STRLEN], st_error *e);

#endif
