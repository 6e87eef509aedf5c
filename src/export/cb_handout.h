/*
 * cb_handout.h — printable handouts of a codebook for training sessions:
 * for each dimension, each code's hotkey, label, definition, when to use,
 * when not to use and example.  One writer per format, in its own file
 * (cb_handout_xlsx.c, cb_handout_md.c); what both say about a dimension or
 * a code is built here (cb_handout.c) so that they never disagree.
 *
 * Retired codes are left out (a handout teaches today's coding); codes that
 * cannot be chosen are shown as headings.  Headings and notes are in the
 * language of the interface.
 */
#ifndef CARNET_EXPORT_CB_HANDOUT_H
#define CARNET_EXPORT_CB_HANDOUT_H

#include <xlsxwriter.h>

#include "core/codebook.h"

/*
 * Writes the handout workbook to path (replacing any file there; callers
 * write to a temporary name and rename it).  A cover sheet in A4 portrait
 * (title, version, the dimensions), then one sheet per dimension in A4
 * landscape, fitted to the page width, with the header row repeated on
 * every printed page and text wrapped.  Every cell is written as a string,
 * never as a formula, whatever its first character.  Returns LXW_NO_ERROR
 * or libxlsxwriter's error (lxw_strerror() turns it into words).
 */
lxw_error ex_handout_xlsx(const cb_codebook *cb, const char *path);

/* The handout in Markdown (CommonMark).  Caller frees. */
char *ex_handout_md(const cb_codebook *cb);

/* ---- shared by the writers -------------------------------------------- */

/* "Single choice, required", "Free text", ... for d.  Caller frees. */
char *ex_hd_dimension_kind(const cb_dimension *d);

/*
 * What a handout notes about c besides its four fields, one item per line:
 * its id, its parent, "other, specify" with the validation rule and
 * message, "heading: cannot be chosen".  Caller frees.
 */
char *ex_hd_code_notes(const cb_dimension *d, const cb_code *c);

/* What a free-text dimension accepts ("Free text answer." and its
 * validation rule and message).  Caller frees. */
char *ex_hd_text_rule(const cb_dimension *d);

/* Whether c appears in a handout (not retired). */
bool ex_hd_shown(const cb_code *c);

#endif
