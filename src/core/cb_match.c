/*
 * cb_match.c — compiled suggestion and validation patterns (cb_match.h).
 *
 * Patterns are kept in flat arrays that mirror the codebook's shape, so a
 * lookup by (dimension, code) is two indexes and no search.  Text that is
 * not valid UTF-8 never matches (PCRE2 would refuse it with an error; a note
 * being typed is checked as it is, and a suggestion is only a hint).
 */
#include "core/cb_match.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

#define MATCH_OPTIONS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)
/* A pattern with nested quantifiers, such as '^(\w+\s?)*$', backtracks
 * exponentially on a note that almost matches; PCRE2's default limit (ten
 * million steps) lets one keystroke take a second.  This one bounds it to
 * a few milliseconds, far above what the patterns of a codebook need; a
 * pattern that reaches it simply does not match (a suggestion is a hint). */
#define MATCH_LIMIT 1000000

typedef struct code_pats {
    pcre2_code **suggest; /* one per pattern; NULL where it failed to compile */
    size_t nsuggest;
    pcre2_code *validate;
    const char *message;
} code_pats;

typedef struct dim_pats {
    code_pats *codes; /* one per code of the dimension */
    pcre2_code *validate;
    const char *message;
} dim_pats;

struct cb_matcher {
    const cb_codebook *cb;
    dim_pats *dims; /* one per dimension */
    pcre2_match_data *md;
    pcre2_match_context *mc;
};

/* Compiles one pattern; on failure appends PCRE2's own message at pos. */
static pcre2_code *compile(const char *pattern, cb_pos pos, const char *file, diag_list *diags)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, MATCH_OPTIONS, &err, &off, NULL);
    if (!re && diags) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(err, buf, sizeof buf);
        diag_add(diags, file, pos.line, pos.col, _("invalid pattern '%s': %s (at offset %zu)"), pattern, (char *)buf,
                 (size_t)off);
    }
    return re;
}

bool cb_pattern_check(const char *pattern, cb_pos pos, const char *file, diag_list *diags)
{
    pcre2_code *re = compile(pattern, pos, file, diags);
    pcre2_code_free(re);
    return re != NULL;
}

cb_matcher *cb_matcher_new(const cb_codebook *cb, const char *file, diag_list *diags)
{
    cb_matcher *m = xcalloc(1, sizeof *m);
    m->cb = cb;
    m->dims = xcalloc(cb->ndims ? cb->ndims : 1, sizeof *m->dims);
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        dim_pats *dp = &m->dims[i];
        if (d->validate) {
            dp->validate = compile(d->validate, d->validate_pos, file, diags);
            dp->message = d->validate_message;
        }
        dp->codes = xcalloc(d->ncodes ? d->ncodes : 1, sizeof *dp->codes);
        for (size_t j = 0; j < d->ncodes; j++) {
            const cb_code *c = &d->codes[j];
            code_pats *cp = &dp->codes[j];
            if (c->validate) {
                cp->validate = compile(c->validate, c->validate_pos, file, diags);
                cp->message = c->validate_message;
            }
            /* Retired codes and headings cannot be chosen: never suggested. */
            if (!cb_code_active(c) || !c->npatterns)
                continue;
            cp->suggest = xcalloc(c->npatterns, sizeof *cp->suggest);
            cp->nsuggest = c->npatterns;
            for (size_t k = 0; k < c->npatterns; k++)
                cp->suggest[k] = compile(c->patterns[k], c->pattern_pos ? c->pattern_pos[k] : c->pos, file, diags);
        }
    }
    m->md = pcre2_match_data_create(1, NULL);
    m->mc = pcre2_match_context_create(NULL);
    if (!m->md || !m->mc) {
        /* Same policy as the x* allocators: no half-built matcher. */
        fputs("carnet: out of memory\n", stderr);
        abort();
    }
    pcre2_set_match_limit(m->mc, MATCH_LIMIT);
    return m;
}

void cb_matcher_free(cb_matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cb->ndims; i++) {
        dim_pats *dp = &m->dims[i];
        pcre2_code_free(dp->validate);
        for (size_t j = 0; j < m->cb->dims[i].ncodes; j++) {
            code_pats *cp = &dp->codes[j];
            pcre2_code_free(cp->validate);
            for (size_t k = 0; k < cp->nsuggest; k++)
                pcre2_code_free(cp->suggest[k]);
            free(cp->suggest);
        }
        free(dp->codes);
    }
    free(m->dims);
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mc);
    free(m);
}

static bool matches(const cb_matcher *m, const pcre2_code *re, const char *text)
{
    if (!re)
        return false;
    int rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, m->md, m->mc);
    return rc >= 0;
}

size_t cb_matcher_suggest(const cb_matcher *m, const char *text, cb_suggestion *out, size_t max)
{
    size_t found = 0;
    if (!text || !*text || !utf8_valid(text, strlen(text)))
        return 0;
    for (size_t i = 0; i < m->cb->ndims; i++) {
        if (m->cb->dims[i].retired)
            continue;
        for (size_t j = 0; j < m->cb->dims[i].ncodes; j++) {
            const code_pats *cp = &m->dims[i].codes[j];
            for (size_t k = 0; k < cp->nsuggest; k++) {
                if (matches(m, cp->suggest[k], text)) {
                    if (found < max)
                        out[found] = (cb_suggestion){i, j};
                    found++;
                    break;
                }
            }
        }
    }
    return found;
}

bool cb_matcher_validate(const cb_matcher *m, size_t dim, size_t code, const char *text, const char **message)
{
    if (message)
        *message = NULL;
    if (dim >= m->cb->ndims)
        return true;
    const pcre2_code *re;
    const char *msg;
    if (code == CB_NO_CODE) {
        re = m->dims[dim].validate;
        msg = m->dims[dim].message;
    } else {
        if (code >= m->cb->dims[dim].ncodes)
            return true;
        re = m->dims[dim].codes[code].validate;
        msg = m->dims[dim].codes[code].message;
    }
    if (!re)
        return true;
    const char *t = text ? text : "";
    if (utf8_valid(t, strlen(t)) && matches(m, re, t))
        return true;
    if (message)
        *message = msg;
    return false;
}
