/*
 * cb_file.h — the native codebook file format (YAML, doc/codebook-format.md).
 *
 * Reading goes through libyaml's document API, whose nodes carry the line and
 * column they started at, so that every problem is reported as FILE:LINE:COL.
 * Writing is done by hand in one canonical layout (two-space indentation,
 * keys in the documented order) so that a codebook file diffs well and an
 * import followed by an export gives back the same text, comments aside.
 */
#ifndef CARNET_CODEBOOK_CB_FILE_H
#define CARNET_CODEBOOK_CB_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codebook.h"
#include "core/diag.h"

/* Files larger than this are refused before parsing. */
#define CBF_MAX_BYTES (4u * 1024u * 1024u)

/*
 * Parses and validates a codebook held in memory.  name is used in the
 * diagnostics.  On success returns 0 and sets *out (caller frees with
 * cb_free()); otherwise returns the number of problems appended to diags and
 * leaves *out NULL.
 */
size_t cbf_parse(const char *name, const char *text, size_t len, cb_codebook **out, diag_list *diags);

/*
 * As cbf_parse(), but a code that has no hotkey is given one first
 * (cb_propose_hotkeys()), with a notice appended to notices, instead of
 * being an error.  This is what importing does; checking stays strict.
 */
size_t cbf_parse_keys(const char *name, const char *text, size_t len, cb_codebook **out, diag_list *diags,
                      diag_list *notices);

/* Reads path (at most CBF_MAX_BYTES), then as cbf_parse() / cbf_parse_keys(). */
size_t cbf_read_file(const char *path, cb_codebook **out, diag_list *diags);
size_t cbf_read_file_keys(const char *path, cb_codebook **out, diag_list *diags, diag_list *notices);

/*
 * Reads a whole file of at most CBF_MAX_BYTES into *text, NUL-terminated
 * (caller frees), its length in *len.  Returns false after appending the
 * reason to diags.
 */
bool cbf_slurp(const char *path, char **text, size_t *len, diag_list *diags);

/* The codebook in the canonical file layout.  Caller frees the string. */
char *cbf_write(const cb_codebook *cb);

#endif
