/*
 * yaml_doc.h — what the YAML readers of src/codebook/ share (codebooks,
 * vignette files): loading one document from memory with every problem
 * reported as FILE:LINE:COL, and walking its nodes against a schema.
 *
 * Structural problems are appended to the walker's diagnostics at the node
 * that caused them and counted in errors, so that a reader reports as many
 * problems as it can in one run.
 */
#ifndef CARNET_CODEBOOK_YAML_DOC_H
#define CARNET_CODEBOOK_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "core/codebook.h"
#include "core/diag.h"
#include "core/util.h"

typedef struct yd_walker {
    yaml_document_t *doc;
    const char *file; /* the name used in diagnostics */
    diag_list *diags;
    size_t errors;
} yd_walker;

typedef struct yd_input {
    yaml_parser_t parser;
    yaml_document_t doc;
    bool parsing, loaded;
} yd_input;

/*
 * Checks that text is UTF-8 and not blank (empty_msg, already translated,
 * says what an empty file should hold), then parses its first document.
 * Returns the root node, or NULL with the problem reported.  Always end
 * with yd_close().
 */
yaml_node_t *yd_open(yd_walker *w, yd_input *in, const char *text, size_t len, const char *empty_msg);
/* Reports a second document with second_msg (when nothing else went wrong)
 * and frees what yd_open made. */
void yd_close(yd_walker *w, yd_input *in, const char *second_msg);

/* Reads the whole file at path into *out (free with sb_free(); out->s is
 * never NULL on success).  More than max bytes is refused with too_big.
 * Returns false after adding a diagnostic. */
bool yd_slurp(const char *path, size_t max, const char *too_big, strbuf *out, diag_list *diags);

/* Where a node starts (1-based). */
cb_pos yd_pos(const yaml_node_t *n);
/* Reports a problem at node n (NULL: at 1:1). */
void yd_err(yd_walker *w, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "a scalar", "a list", "a mapping" (translated). */
const char *yd_kind(const yaml_node_t *n);
/* The node of a document's index. */
yaml_node_t *yd_node(yd_walker *w, int index);

/* A scalar's text as a new string, or NULL after reporting that key must be
 * text. */
char *yd_scalar(yd_walker *w, const yaml_node_t *n, const char *key);
/* As yd_scalar, but a plain empty value (a key with nothing after it) is
 * NULL rather than "". */
char *yd_text(yd_walker *w, const yaml_node_t *n, const char *key);
/* true / false, and whole numbers from 0 to 1000000; false after
 * reporting anything else. */
bool yd_bool(yd_walker *w, const yaml_node_t *n, const char *key, bool *out);
bool yd_int(yd_walker *w, const yaml_node_t *n, const char *key, int *out);

/* Iterates over a mapping's pairs, refusing duplicate keys and keys that
 * are not scalars: yd_next returns the key's text (borrowed from the
 * document) or NULL at the end. */
typedef struct yd_iter {
    yaml_node_pair_t *p, *end;
    yaml_node_t *map;
} yd_iter;
yd_iter yd_map(yaml_node_t *map);
const char *yd_next(yd_walker *w, yd_iter *it, yaml_node_t **key, yaml_node_t **val);

/* Whether n is of type; otherwise reports "expected WHAT, found ...". */
bool yd_expect(yd_walker *w, const yaml_node_t *n, yaml_node_type_t type, const char *what);

#endif
