/*
 * codebook.h — the codebook model of carnet, in pure C.
 *
 * A codebook is an ordered list of dimensions (what is asked, who asks, which
 * obstacle, where the desk sends the visitor), each with an ordered list of
 * codes.  This module owns the in-memory model, its validation rules and the
 * diagnostics they produce.  It performs no I/O: reading and writing files is
 * done in src/codebook/, storing in src/store/.
 */
#ifndef CARNET_CORE_CODEBOOK_H
#define CARNET_CORE_CODEBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

/* Where a node stood in its source file (1-based; 0 when unknown). */
typedef struct cb_pos {
    int line;
    int col;
} cb_pos;

typedef enum cb_mode {
    CB_SINGLE = 0, /* exactly one code */
    CB_MULTIPLE,   /* any number of codes */
    CB_TEXT        /* free text, no codes */
} cb_mode;

typedef struct cb_code {
    char *id;
    char key; /* hotkey: a letter or digit; 0 when none (retired codes) */
    char *label;
    char *definition;
    char *when_to_use;
    char *when_not_to_use;
    char *example;
    bool other;       /* "other, specify": asks for free text */
    char *validate;   /* PCRE2 pattern for the free text, or NULL */
    char *validate_message;
    char *parent;     /* id of a code of the same dimension, or NULL */
    bool retired;
    char **patterns;  /* PCRE2 suggestion patterns */
    size_t npatterns;
    char *color;      /* "#rrggbb" or NULL */
    char *guid;       /* REFI-QDA guid or NULL */
    cb_pos pos, id_pos, key_pos, parent_pos;
    cb_pos *pattern_pos; /* one per pattern */
    cb_pos validate_pos;
} cb_code;

typedef struct cb_dimension {
    char *id;
    char *label;
    char *description;
    cb_mode mode;
    bool required;
    bool retired;
    char *validate; /* CB_TEXT only */
    char *validate_message;
    cb_code *codes;
    size_t ncodes;
    cb_pos pos, id_pos, validate_pos;
} cb_dimension;

typedef struct cb_codebook {
    int format;      /* carnet_codebook: 1 */
    char *id;
    char *title;
    char *language;
    int version;
    char *description;
    cb_dimension *dims;
    size_t ndims;
    cb_pos pos, id_pos;
} cb_codebook;

/* A new empty codebook.  Caller frees with cb_free().  Never NULL. */
cb_codebook *cb_new(void);

/* Frees a codebook and everything it owns.  NULL is allowed. */
void cb_free(cb_codebook *cb);

/* Appends an empty dimension / code and returns it (owned by the parent). */
cb_dimension *cb_add_dimension(cb_codebook *cb);
cb_code *cb_add_code(cb_dimension *d);
/* Appends a copy of pattern to the code. */
void cb_code_add_pattern(cb_code *c, const char *pattern, cb_pos pos);

/* Deep copy.  Caller frees with cb_free(). */
cb_codebook *cb_clone(const cb_codebook *cb);

/*
 * Checks every rule of doc/codebook-format.md that is not a matter of syntax:
 * required fields, identifier syntax, unique ids and hotkeys, parents,
 * patterns that PCRE2 can compile.  Each problem is appended to out with the
 * position of the offending node.  Returns the number of problems found.
 */
size_t cb_validate(const cb_codebook *cb, const char *file, diag_list *out);

/* Lookups; NULL when absent. */
const cb_dimension *cb_find_dimension(const cb_codebook *cb, const char *id);
const cb_code *cb_find_code(const cb_dimension *d, const char *id);
/* The active (non-retired) code of d whose hotkey is key (case-insensitive). */
const cb_code *cb_code_by_key(const cb_dimension *d, int key);

/* "single", "multiple", "text"; and back (returns false on an unknown word). */
const char *cb_mode_name(cb_mode m);
bool cb_mode_parse(const char *s, cb_mode *out);

/* true when s is a valid identifier: [a-z0-9][a-z0-9_.-]* */
bool cb_valid_id(const char *s);

/* Field-by-field equality (positions ignored). */
bool cb_equal(const cb_codebook *a, const cb_codebook *b);

#endif
