/*
 * redact.h — taking personal data out of free-text notes before they leave
 * the study (exports with --notes redacted, the default).
 *
 * A rule set is an ordered list of PCRE2 patterns, each with the tag that
 * replaces what it matches ("[EMAIL]", "[TEL]"...) and an optional check
 * that a match must pass (a card number must pass the Luhn check, so that
 * a long case reference is not taken for a card).  The rules are read from
 * text (codebooks/redaction.rules, then a study's own file) and compiled
 * once; rd_apply() is then a pure function of the rules and the text, which
 * is what the fuzz harness and the unit tests call.  The file format is in
 * doc/redaction.md.
 */
#ifndef CARNET_CORE_REDACT_H
#define CARNET_CORE_REDACT_H

#include <stddef.h>

#include "core/diag.h"

typedef struct rd_rules rd_rules;

/* An empty rule set.  Caller frees with rd_rules_free().  Never NULL. */
rd_rules *rd_rules_new(void);
void rd_rules_free(rd_rules *r);

/*
 * Parses rules text and appends its rules, compiled, to r.  Each line is
 * blank, a comment (#...), or "TAG[:CHECK] PATTERN": TAG is upper-case
 * letters, digits and '_' (it becomes "[TAG]" in the output), CHECK is
 * "luhn", and PATTERN is the rest of the line (UTF-8, matched caselessly).
 * A line that does not parse, an unknown check, or a pattern that PCRE2
 * refuses is appended to diags as FILE:LINE:COL (file names the source) and
 * left out.  Returns the number of problems.
 */
size_t rd_rules_parse(rd_rules *r, const char *text, const char *file, diag_list *diags);

/* The number of rules in r. */
size_t rd_rules_count(const rd_rules *r);

/*
 * text with every match of every rule, in order, replaced by its tag.
 * Rules apply one after the other to the result of the previous ones.
 * Invalid UTF-8 is matched as far as it is valid and copied as it is.  When
 * a rule cannot finish matching (PCRE2's match limit), the rest of the text
 * is replaced by its tag: redaction fails closed.
 * NULL gives NULL.  Caller frees the result.
 */
char *rd_apply(const rd_rules *r, const char *text);

/* true when the digits of s[0..n) (other characters skipped) pass the
 * Luhn check and number 12 to 19. */
int rd_luhn_ok(const char *s, size_t n);

#endif
