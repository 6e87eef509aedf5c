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
    /* codable: false in the file, isCodable="false" in REFI-QDA: a heading
     * that groups sub-codes and cannot be chosen itself (no hotkey needed). */
    bool uncodable;
    char **patterns;  /* PCRE2 suggestion patterns */
    size_t npatterns;
    char *color;      /* "#rrggbb" or NULL */
    char *guid;       /* REFI-QDA guid or NULL */
    cb_pos pos, id_pos, key_pos, parent_pos;
    cb_pos *pattern_pos; /* one per pattern */
    cb_pos validate_pos, color_pos, guid_pos;
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
    char *color;    /* "#rrggbb" or NULL */
    char *guid;     /* REFI-QDA guid of the top-level code it travels as, or NULL */
    cb_code *codes;
    size_t ncodes;
    cb_pos pos, id_pos, validate_pos, color_pos, guid_pos;
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
/* Inserts an empty dimension / code at index pos (0..n; the ones from pos
 * on move down) and returns it.  Pointers into the list are invalidated. */
cb_dimension *cb_insert_dimension(cb_codebook *cb, size_t pos);
cb_code *cb_insert_code(cb_dimension *d, size_t pos);
/* Removes and frees dimension / code i.  Pointers into the list are
 * invalidated. */
void cb_remove_dimension(cb_codebook *cb, size_t i);
void cb_remove_code(cb_dimension *d, size_t i);
/* Appends a copy of pattern to the code. */
void cb_code_add_pattern(cb_code *c, const char *pattern, cb_pos pos);

/* The code's patterns joined by sep, or NULL when it has none.  Caller
 * frees. */
char *cb_join_patterns(const cb_code *c, char sep);

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
/* The active (non-retired, codable) code of d whose hotkey is key
 * (case-insensitive). */
const cb_code *cb_code_by_key(const cb_dimension *d, int key);

/* Whether c can be chosen while coding: not retired and codable. */
bool cb_code_active(const cb_code *c);

/*
 * A free hotkey for a code of d labelled label: the first letter or digit of
 * the label (accents folded: "É" gives 'e') that no other active code of d
 * uses, then the digits 1-9 and 0, then the other letters.  self is the code
 * the key is for (ignored in the search; may be NULL).  Returns 0 when all
 * 36 keys are taken.
 */
char cb_propose_key(const cb_dimension *d, const cb_code *self, const char *label);

/*
 * Gives a hotkey (cb_propose_key) to every active code of cb that has none,
 * and appends one notice per key given to notices ("FILE: hotkey 'c'
 * proposed for ..."; notices may be NULL).  Returns the number of keys
 * given.
 */
size_t cb_propose_hotkeys(cb_codebook *cb, const char *file, diag_list *notices);

/*
 * An identifier made from a label: letters folded to lowercase ASCII
 * ("Énergie" gives "energie"), every other run of characters a '-', at most
 * 48 characters; "code" when nothing is left.  Caller frees.
 */
char *cb_slug(const char *label);

/* true when s is a REFI-QDA GUID: 8-4-4-4-12 hexadecimal digits, either
 * case, optionally in braces. */
bool cb_valid_guid(const char *s);

/* "single", "multiple", "text"; and back (returns false on an unknown word). */
const char *cb_mode_name(cb_mode m);
bool cb_mode_parse(const char *s, cb_mode *out);

/* true when s is a valid identifier: [a-z0-9][a-z0-9_.-]* */
bool cb_valid_id(const char *s);

/* Field-by-field equality (positions ignored). */
bool cb_equal(const cb_codebook *a, const cb_codebook *b);

#endif
