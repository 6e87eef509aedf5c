/*
 * cb_qdc.h — REFI-QDA Codebook Exchange (.qdc, XML in the namespace
 * urn:QDA-XML:codebook:1.0), the format ATLAS.ti, NVivo, MAXQDA, QualCoder
 * and Taguette read and write.
 *
 * A carnet dimension travels as a top-level Code that cannot be coded
 * (isCodable="false") and its codes nest inside it as child Code elements;
 * sub-codes (parent) nest in their parent.  The four fields of a code go
 * into its Description in a layout other tools show as readable text and
 * carnet parses back, and what REFI-QDA has no place for (ids, hotkeys,
 * mode, patterns...) goes in a last "## carnet" section of that text; the
 * codebook itself (id, title, language, version) is a Set whose members are
 * the dimensions.  doc/codebook-format.md describes the layout.  An export
 * read back gives the same codebook, field for field.
 *
 * Files from other tools are mapped as well as they allow: top-level codes
 * with children (or not codable) become dimensions, Sets of top-level codes
 * become dimensions, remaining top-level codes go in one "codes" dimension;
 * ids are made from names, hotkeys proposed, missing fields filled with a
 * sentence asking for them, and each such decision is reported as a notice.
 *
 * Parsing uses libxml2 with the network off, no DTD loading, no entity
 * substitution, and refuses documents that declare entities.
 */
#ifndef CARNET_CODEBOOK_CB_QDC_H
#define CARNET_CODEBOOK_CB_QDC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codebook.h"
#include "core/diag.h"
#include "core/uuid.h"

#define CBQ_NAMESPACE "urn:QDA-XML:codebook:1.0"

typedef struct cbq_options {
    /* Language tag of a codebook written by another tool (REFI-QDA has
     * none); NULL means "und" (undetermined). */
    const char *language;
    /* Text put into the required fields (definition, when to use, when not
     * to use, example) a file from another tool lacks; NULL: a translated
     * sentence asking for the field. */
    const char *fill;
} cbq_options;

/*
 * Parses a REFI-QDA codebook held in memory; name is used in diagnostics
 * (FILE:LINE:COL: message).  On success returns 0 and sets *out (caller
 * frees with cb_free()); notices receives what the import assumed or
 * changed (ids made from names, proposed hotkeys, filled fields, ignored
 * Sets).  Otherwise returns the number of problems appended to diags and
 * leaves *out NULL.  opt may be NULL.
 *
 *     cb_codebook *cb;
 *     diag_list errs = {0}, notes = {0};
 *     if (cbq_parse("nvivo.qdc", text, len, NULL, &cb, &errs, &notes) == 0) ...
 */
size_t cbq_parse(const char *name, const char *text, size_t len, const cbq_options *opt, cb_codebook **out,
                 diag_list *diags, diag_list *notices);

/* Reads path (at most CBF_MAX_BYTES), then as cbq_parse(). */
size_t cbq_read_file(const char *path, const cbq_options *opt, cb_codebook **out, diag_list *diags,
                     diag_list *notices);

/*
 * The codebook as a REFI-QDA codebook document (UTF-8 XML).  origin is
 * written in CodeBook/@origin (e.g. "carnet 0.1.0").  Codes and dimensions
 * without a guid get the one cbq_guid_for() derives, so that two exports
 * of the same codebook carry the same guids.  Returns NULL, after adding a
 * diagnostic to diags, when a text holds a character XML cannot carry
 * (control characters) or a hotkey, pattern or validation message holds a
 * line break.  Caller frees the string.
 */
char *cbq_write(const cb_codebook *cb, const char *origin, diag_list *diags);

/* Whether every guid an export of cb would write, given or derived by
 * cbq_guid_for(), is unique; each clash is appended to diags (file names
 * it, may be NULL).  Returns the number of clashes: cbq_write() refuses to
 * write then, and cbq_parse() to import. */
size_t cbq_check_guids(const cb_codebook *cb, const char *file, diag_list *diags);

/*
 * The guid carnet gives an item that has none: a name-based UUID (version
 * 5, SHA-1) of "CODEBOOK-ID/KIND/ID" in carnet's own namespace, so that it
 * is the same on every export.  kind is "codebook" (id NULL), "dimension" or
 * "code".
 */
void cbq_guid_for(const char *codebook_id, const char *kind, const char *id, char out[UUID_STRLEN]);

/* Whether text looks like XML (its first non-blank character is '<'),
 * which is how `carnet codebook import` tells a .qdc from a YAML file whose
 * name does not say. */
bool cbq_sniff(const char *text, size_t len);

#endif
