/*
 * vignette.h — training vignettes, in pure C: short written reception
 * situations, each with the trainer's reference coding on every dimension
 * of a codebook (doc/training.md).
 *
 * This module owns the in-memory model and the rules that tie a vignette
 * set to its codebook.  Reading the YAML file is done in
 * src/codebook/vignettes.c, as codebooks are read in cb_file.c.
 */
#ifndef CARNET_CORE_VIGNETTE_H
#define CARNET_CORE_VIGNETTE_H

#include <stddef.h>

#include "core/codebook.h"
#include "core/diag.h"

/* The reference coding of one dimension. */
typedef struct vg_ref {
    char *dim;
    char **codes;     /* none for "no code" on a multiple-choice dimension */
    size_t ncodes;
    cb_pos pos;       /* of the dimension's key */
    cb_pos *code_pos; /* one per code */
} vg_ref;

typedef struct vg_vignette {
    char *id;
    char *title;       /* may be NULL */
    char *text;
    char *explanation; /* the trainer's comment for the report; may be NULL */
    vg_ref *refs;
    size_t nrefs;
    cb_pos pos, id_pos, ref_pos;
} vg_vignette;

typedef struct vg_set {
    int format;     /* carnet_vignettes: 1 */
    char *codebook; /* the id of the codebook the references use */
    char *title;
    char *language; /* may be NULL */
    char *description;
    vg_vignette *items;
    size_t n;
    cb_pos pos, codebook_pos;
} vg_set;

/* A new empty set; free with vg_free() (NULL allowed). */
vg_set *vg_new(void);
void vg_free(vg_set *s);

/* Appends an empty vignette / reference (owned by the parent). */
vg_vignette *vg_add(vg_set *s);
vg_ref *vg_add_ref(vg_vignette *v);
void vg_ref_add_code(vg_ref *r, const char *code, cb_pos pos);

/* The reference of vignette v for dimension dim, or NULL. */
const vg_ref *vg_find_ref(const vg_vignette *v, const char *dim);
/* The vignette of that id, or NULL. */
const vg_vignette *vg_find(const vg_set *s, const char *id);

/*
 * Checks the rules that need no codebook (unique vignette ids that are
 * identifiers), then, when cb is
 * not NULL, the set against it: the same codebook id, every reference on a
 * known single- or multiple-choice dimension with active codes of that
 * dimension, exactly one code for a single-choice dimension, and a
 * reference for every active single- and multiple-choice dimension.  Each
 * problem is appended to out at the offending node.  Returns their number.
 */
size_t vg_check(const vg_set *s, const cb_codebook *cb, const char *file, diag_list *out);

#endif
