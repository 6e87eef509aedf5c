/*
 * cb_diff.h — what changed between two codebooks (two versions of a study's
 * codebook, or two files).
 *
 * Dimensions are matched by id, codes by id across the whole codebook (code
 * ids are unique in a codebook and stable across versions), so a renamed
 * code is reported as renamed, not as removed and added, and a code that
 * went to another dimension as moved.  Positions are compared on the order
 * of the items both codebooks share: adding a code at the top does not make
 * every other code "moved", only those whose order among the kept ones
 * changed.  The comparison is pure; `carnet codebook diff` prints it and the
 * XLSX export lists it on its read-me sheet.
 */
#ifndef CARNET_CORE_CB_DIFF_H
#define CARNET_CORE_CB_DIFF_H

#include <stddef.h>

#include "core/codebook.h"

typedef enum cb_change_kind {
    CB_CH_CODEBOOK = 0,   /* a field of the codebook itself (field: id, title, language, version, description) */
    CB_CH_DIM_ADDED,      /* after: its label */
    CB_CH_DIM_REMOVED,    /* before: its label */
    CB_CH_DIM_RETIRED,
    CB_CH_DIM_RESTORED,
    CB_CH_DIM_RENAMED,    /* label before / after */
    CB_CH_DIM_MOVED,      /* position (1-based, as text) before / after */
    CB_CH_DIM_MODE,       /* "single", "multiple", "text" before / after */
    CB_CH_DIM_REQUIRED,   /* "false" / "true" before / after */
    CB_CH_DIM_FIELD,      /* field: description, validate, validate_message, color, guid */
    CB_CH_CODE_ADDED,     /* after: its label */
    CB_CH_CODE_REMOVED,   /* before: its label */
    CB_CH_CODE_RETIRED,
    CB_CH_CODE_RESTORED,
    CB_CH_CODE_RENAMED,   /* label before / after */
    CB_CH_CODE_MOVED,     /* position in its dimension (1-based, as text) before / after */
    CB_CH_CODE_PARENT,    /* parent code id before / after (NULL: top level) */
    CB_CH_CODE_DIMENSION, /* dimension id before / after; dim_id is the new one */
    CB_CH_CODE_HOTKEY,    /* hotkey before / after (NULL: none) */
    CB_CH_CODE_FIELD      /* field: definition, when_to_use, when_not_to_use, example, other, validate,
                             validate_message, patterns (one a line), codable, color, guid */
} cb_change_kind;

typedef struct cb_change {
    cb_change_kind kind;
    char *dim_id;      /* the dimension concerned (a code's dimension in B, or in A when removed) */
    char *code_id;     /* the code concerned; NULL for codebook and dimension changes */
    char *before;      /* the value in A, or NULL (see cb_change_kind) */
    char *after;       /* the value in B, or NULL */
    const char *field; /* the file's key for CB_CH_CODEBOOK and *_FIELD (static text), else NULL */
} cb_change;

typedef struct cb_changes {
    cb_change *items;
    size_t n, cap;
} cb_changes;

/*
 * Appends to out every change that turns a into b, in a stable order: the
 * codebook's own fields, then dimension by dimension in b's order (each
 * dimension's changes, then its codes' changes in b's order), then what
 * was removed.  out keeps what it held before.  Free with cb_changes_clear().
 *
 *     cb_changes ch = {0};
 *     cb_diff(v1, v2, &ch);
 *     for (size_t i = 0; i < ch.n; i++) {
 *         char *s = cb_change_describe(&ch.items[i]);
 *         puts(s);
 *         free(s);
 *     }
 *     cb_changes_clear(&ch);
 */
void cb_diff(const cb_codebook *a, const cb_codebook *b, cb_changes *out);

/*
 * One translated sentence for c, e.g. "Code 'caf' of dimension 'demande'
 * renamed: 'CAF' → 'CAF (RSA, prime d'activité)'".  Long or multi-line
 * values are not quoted ("definition changed").  Caller frees.
 */
char *cb_change_describe(const cb_change *c);

/* The translated name of a field key ("when_to_use" → "when to use"). */
const char *cb_field_name(const char *field);

/* Frees the items and empties the list (the list itself is the caller's). */
void cb_changes_clear(cb_changes *l);

#endif
