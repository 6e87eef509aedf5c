/*
 * cb_match.h — the patterns a codebook carries, compiled once.
 *
 * A code may carry suggestion patterns: while the observer types a note, the
 * codes whose patterns match are offered ("prime d'activité" suggests the
 * CAF request).  A free-text answer (the text of an "other, specify" code,
 * or a dimension of mode text) may carry a validation pattern, as XLSForm
 * constraints do.  Every pattern is compiled once, when the codebook is
 * loaded, as UTF-8 with Unicode properties and caseless matching, so that
 * "É" matches "é" and matching a keystroke's worth of text costs
 * microseconds.
 */
#ifndef CARNET_CORE_CB_MATCH_H
#define CARNET_CORE_CB_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codebook.h"
#include "core/diag.h"

typedef struct cb_matcher cb_matcher;

/* Whether PCRE2 compiles pattern with carnet's options; when it does not,
 * appends its message to diags at pos in file. */
bool cb_pattern_check(const char *pattern, cb_pos pos, const char *file, diag_list *diags);

/*
 * Compiles every pattern of cb (suggestion patterns of active codes,
 * validation patterns of codes and text dimensions).  A pattern that PCRE2
 * refuses is appended to diags at its position in file (cb_validate() would
 * already have refused such a codebook) and left out.  The matcher keeps
 * pointers into cb, which must outlive it.  Caller frees with
 * cb_matcher_free().  Never NULL.
 */
cb_matcher *cb_matcher_new(const cb_codebook *cb, const char *file, diag_list *diags);
void cb_matcher_free(cb_matcher *m);

/* A suggested code: indexes into the codebook's dims and their codes. */
typedef struct cb_suggestion {
    size_t dim;
    size_t code;
} cb_suggestion;

/*
 * The active codes whose suggestion patterns match text, in codebook order,
 * at most max of them, written to out; returns how many codes match in all
 * (which may exceed max).
 */
size_t cb_matcher_suggest(const cb_matcher *m, const char *text, cb_suggestion *out, size_t max);

/*
 * Validates a free-text answer: for code index `code` of dimension `dim`, or
 * for the dimension itself when code is CB_NO_CODE.  Returns true when the
 * text matches the validation pattern or there is none.  On false, *message
 * (when message is not NULL) is the codebook's validate_message, or NULL
 * when the codebook gives none (the caller then shows a generic sentence).
 */
#define CB_NO_CODE ((size_t)-1)
bool cb_matcher_validate(const cb_matcher *m, size_t dim, size_t code, const char *text, const char **message);

#endif
