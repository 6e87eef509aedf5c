/*
 * training.c — a trainee's coding and its score (training.h).
 *
 * In training, unlike between observers, "no code" is an answer: the
 * trainee saw the whole vignette and moved on, so a dimension left empty
 * counts against the trainee instead of being missing.
 */
#include "core/training.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

bool tr_codes_has(const tr_codes *c, const char *code)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i], code))
            return true;
    return false;
}

void tr_codes_clear(tr_codes *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

void tr_codes_toggle(tr_codes *c, const char *code)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i], code)) {
            free(c->v[i]);
            memmove(&c->v[i], &c->v[i + 1], (c->n - i - 1) * sizeof *c->v);
            c->n--;
            return;
        }
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n++] = xstrdup(code);
}

void tr_codes_set(tr_codes *c, const char *code)
{
    tr_codes_clear(c);
    tr_codes_toggle(c, code);
}

void tr_run_init(tr_run *r, size_t nvignettes, size_t ndims)
{
    r->nvignettes = nvignettes;
    r->ndims = ndims;
    r->answered = xcalloc(nvignettes, sizeof *r->answered);
    r->codes = xcalloc(nvignettes * ndims, sizeof *r->codes);
}

void tr_run_free(tr_run *r)
{
    for (size_t i = 0; i < r->nvignettes * r->ndims; i++)
        tr_codes_clear(&r->codes[i]);
    free(r->codes);
    free(r->answered);
    memset(r, 0, sizeof *r);
}

tr_codes *tr_run_codes(tr_run *r, size_t vignette, size_t dim)
{
    return &r->codes[vignette * r->ndims + dim];
}

const tr_codes *tr_run_codes_c(const tr_run *r, size_t vignette, size_t dim)
{
    return &r->codes[vignette * r->ndims + dim];
}

/* A growing list of category names, borrowed. */
typedef struct cats {
    const char **v;
    size_t n;
} cats;

static int cat_index(cats *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i], name))
            return (int)i;
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n] = name;
    return (int)c->n++;
}

static bool same_set(const vg_ref *ref, const tr_codes *got)
{
    size_t want = ref ? ref->ncodes : 0;
    if (want != got->n)
        return false;
    for (size_t i = 0; i < want; i++)
        if (!tr_codes_has(got, ref->codes[i]))
            return false;
    return true;
}

static bool ref_has(const vg_ref *ref, const char *code)
{
    for (size_t i = 0; ref && i < ref->ncodes; i++)
        if (!strcmp(ref->codes[i], code))
            return true;
    return false;
}

/* Reference (a) and trainee (b) values of a single-choice dimension over
 * the answered vignettes; "" is no code. */
static ag_kappa kappa_single(const vg_set *set, const tr_run *run, size_t d, const char *dim)
{
    cats c = {0};
    int *a = xcalloc(run->nvignettes, sizeof *a), *b = xcalloc(run->nvignettes, sizeof *b);
    size_t m = 0;
    for (size_t v = 0; v < run->nvignettes; v++) {
        if (!run->answered[v])
            continue;
        const vg_ref *ref = vg_find_ref(&set->items[v], dim);
        const tr_codes *got = tr_run_codes_c(run, v, d);
        a[m] = cat_index(&c, ref && ref->ncodes ? ref->codes[0] : "");
        b[m] = cat_index(&c, got->n ? got->v[0] : "");
        m++;
    }
    long *t = xcalloc(c.n * c.n, sizeof *t);
    ag_confusion(a, b, m, c.n, t);
    ag_kappa k = ag_cohen(t, c.n);
    free(t);
    free(a);
    free(b);
    free(c.v);
    return k;
}

/* Pooled presence of every code used in the run on a multiple-choice
 * dimension: one 2 x 2 table summed over vignettes and codes. */
static ag_kappa kappa_multiple(const vg_set *set, const tr_run *run, size_t d, const char *dim)
{
    cats used = {0};
    for (size_t v = 0; v < run->nvignettes; v++) {
        if (!run->answered[v])
            continue;
        const vg_ref *ref = vg_find_ref(&set->items[v], dim);
        for (size_t i = 0; ref && i < ref->ncodes; i++)
            cat_index(&used, ref->codes[i]);
        const tr_codes *got = tr_run_codes_c(run, v, d);
        for (size_t i = 0; i < got->n; i++)
            cat_index(&used, got->v[i]);
    }
    long t[4] = {0};
    for (size_t v = 0; v < run->nvignettes; v++) {
        if (!run->answered[v])
            continue;
        const vg_ref *ref = vg_find_ref(&set->items[v], dim);
        const tr_codes *got = tr_run_codes_c(run, v, d);
        for (size_t i = 0; i < used.n; i++)
            t[ref_has(ref, used.v[i]) * 2 + tr_codes_has(got, used.v[i])]++;
    }
    free(used.v);
    return ag_cohen(t, 2);
}

void tr_score_run(const cb_codebook *cb, const vg_set *set, const tr_run *run, tr_score *out)
{
    memset(out, 0, sizeof *out);
    for (size_t v = 0; v < run->nvignettes; v++)
        out->answered += run->answered[v];
    for (size_t d = 0; d < cb->ndims && d < run->ndims; d++) {
        const cb_dimension *dim = &cb->dims[d];
        if (dim->mode == CB_TEXT || dim->retired)
            continue;
        out->dims = xrealloc(out->dims, (out->ndims + 1) * sizeof *out->dims);
        tr_dim_score *s = &out->dims[out->ndims++];
        memset(s, 0, sizeof *s);
        s->dim = d;
        s->n = out->answered;
        for (size_t v = 0; v < run->nvignettes; v++)
            if (run->answered[v] && same_set(vg_find_ref(&set->items[v], dim->id), tr_run_codes_c(run, v, d)))
                s->agreed++;
        s->kappa = dim->mode == CB_SINGLE ? kappa_single(set, run, d, dim->id) : kappa_multiple(set, run, d, dim->id);
    }
    for (size_t v = 0; v < run->nvignettes; v++) {
        if (!run->answered[v])
            continue;
        bool perfect = true;
        for (size_t i = 0; i < out->ndims; i++) {
            size_t d = out->dims[i].dim;
            if (same_set(vg_find_ref(&set->items[v], cb->dims[d].id), tr_run_codes_c(run, v, d)))
                continue;
            perfect = false;
            out->misses = xrealloc(out->misses, (out->nmisses + 1) * sizeof *out->misses);
            out->misses[out->nmisses++] = (tr_miss){v, d};
        }
        out->perfect += perfect;
    }
}

void tr_score_free(tr_score *s)
{
    free(s->dims);
    free(s->misses);
    memset(s, 0, sizeof *s);
}
