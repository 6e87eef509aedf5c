/*
 * vignettes.h — the vignette file format for `carnet train` (YAML,
 * doc/training.md), read with libyaml like codebooks.
 *
 * The parser is a function of (name, text, len) with no I/O, so that a
 * fuzzing harness can call it directly; every problem is a FILE:LINE:COL
 * diagnostic.  It checks the structure of the file and the rules that need
 * no codebook; vg_check() (core/vignette.h) then checks the references
 * against the study's codebook.
 */
#ifndef CARNET_CODEBOOK_VIGNETTES_H
#define CARNET_CODEBOOK_VIGNETTES_H

#include <stddef.h>

#include "core/diag.h"
#include "core/vignette.h"

/* Files larger than this are refused before parsing. */
#define VGF_MAX_BYTES (4u * 1024u * 1024u)

/*
 * Parses a vignette file held in memory.  name is used in the diagnostics.
 * On success returns 0 and sets *out (caller frees with vg_free());
 * otherwise returns the number of problems appended to diags and leaves
 * *out NULL.
 */
size_t vgf_parse(const char *name, const char *text, size_t len, vg_set **out, diag_list *diags);

/* Reads path (at most VGF_MAX_BYTES), then as vgf_parse().  When source
 * is not NULL it receives the file's text (caller frees), to be kept with
 * a training run. */
size_t vgf_read_file(const char *path, vg_set **out, char **source, diag_list *diags);

#endif
