/*
 * cb_union.h — one codebook standing for every version of a study's
 * codebook, for counting across versions.
 *
 * Code ids are stable across versions (doc/data-model.md): a renamed code
 * keeps its id, a retired code keeps its row.  Counts and exports therefore
 * group answers by (dimension id, code id) and label each with the latest
 * version that has it.  The union is that labelling: the latest version as
 * it is, then the dimensions and codes that only older versions have,
 * marked retired, in the order of the newest version holding them.
 */
#ifndef CARNET_CORE_CB_UNION_H
#define CARNET_CORE_CB_UNION_H

#include <stddef.h>

#include "core/codebook.h"

/* The union of versions[0..n), oldest first.  Caller frees with cb_free().
 * Never NULL (an empty codebook for n == 0). */
cb_codebook *cb_union(cb_codebook *const *versions, size_t n);

/* Index of the dimension / code with that id, or (size_t)-1. */
size_t cb_dim_index(const cb_codebook *cb, const char *dim);
size_t cb_code_index(const cb_dimension *d, const char *code);

#endif
