/*
 * agree_report.c — matching interactions into units and building the
 * per-dimension agreement report (agree_report.h, doc/agreement.md).
 *
 * Matching is greedy single linkage under two constraints: a unit holds at
 * most one interaction per coder, and its starts span at most the window.
 * Candidate pairs are taken nearest first.  With two coders this is exactly
 * "greedy nearest start, one-to-one"; with more, it grows units one
 * interaction at a time without ever letting two interactions of one
 * observer meet in a unit.
 */
#include "core/agree_report.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

static size_t name_index(char ***names, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*names)[i], name))
            return i;
    *names = xrealloc(*names, (*n + 1) * sizeof **names);
    (*names)[*n] = xstrdup(name);
    return (*n)++;
}

size_t ar_input_coder(ar_input *in, const char *name)
{
    return name_index(&in->coders, &in->ncoders, name);
}

size_t ar_input_site(ar_input *in, const char *name)
{
    return name_index(&in->sites, &in->nsites, name);
}

ar_item *ar_input_add(ar_input *in, const char *id, size_t coder, size_t site, long long start,
                      const char *started_at)
{
    xgrow((void **)&in->items, &in->cap, in->nitems + 1, sizeof *in->items);
    ar_item *it = &in->items[in->nitems++];
    memset(it, 0, sizeof *it);
    it->id = xstrdup(id);
    it->coder = coder;
    it->site = site;
    it->start = start;
    it->started_at = xstrdup(started_at);
    return it;
}

void ar_item_add_code(ar_item *it, const char *dim, const char *code)
{
    xgrow((void **)&it->codes, &it->cap, it->ncodes + 1, sizeof *it->codes);
    it->codes[it->ncodes].dim = xstrdup(dim);
    it->codes[it->ncodes].code = xstrdup(code);
    it->ncodes++;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void ar_input_free(ar_input *in)
{
    for (size_t i = 0; i < in->nitems; i++) {
        ar_item *it = &in->items[i];
        for (size_t j = 0; j < it->ncodes; j++) {
            free(it->codes[j].dim);
            free(it->codes[j].code);
        }
        free(it->codes);
        free(it->id);
        free(it->started_at);
    }
    free(in->items);
    free_names(in->coders, in->ncoders);
    free_names(in->sites, in->nsites);
    memset(in, 0, sizeof *in);
}

/* ---- matching ---------------------------------------------------------- */

typedef struct cand {
    size_t x, y;      /* item indexes, x starting first (or the smaller id) */
    long long gap;    /* |start difference| */
} cand;

static const ar_input *sort_in; /* qsort has no context argument */

static int item_cmp(const void *pa, const void *pb)
{
    const ar_item *a = &sort_in->items[*(const size_t *)pa], *b = &sort_in->items[*(const size_t *)pb];
    if (a->site != b->site)
        return a->site < b->site ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return strcmp(a->id, b->id);
}

static int cand_cmp(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->gap != b->gap)
        return a->gap < b->gap ? -1 : 1;
    const ar_item *ax = &sort_in->items[a->x], *bx = &sort_in->items[b->x];
    if (ax->start != bx->start)
        return ax->start < bx->start ? -1 : 1;
    int c = strcmp(ax->id, bx->id);
    return c ? c : strcmp(sort_in->items[a->y].id, sort_in->items[b->y].id);
}

typedef struct cluster {
    size_t *member; /* ncoders entries */
    size_t size;
    long long lo, hi; /* earliest and latest start */
} cluster;

void ar_match(const ar_input *in, long long window, ar_units *out)
{
    memset(out, 0, sizeof *out);
    out->ncoders = in->ncoders;
    size_t n = in->nitems, nc = in->ncoders;
    if (!n)
        return;
    sort_in = in;
    size_t *order = xcalloc(n, sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort(order, n, sizeof *order, item_cmp);

    /* Candidate pairs: same site, other coder, starts within the window.
     * Items are sorted by site then start, so a forward scan stops at the
     * first item out of reach. */
    cand *cands = NULL;
    size_t ncand = 0, capc = 0;
    for (size_t i = 0; i < n; i++) {
        const ar_item *a = &in->items[order[i]];
        for (size_t j = i + 1; j < n; j++) {
            const ar_item *b = &in->items[order[j]];
            if (b->site != a->site || b->start - a->start > window)
                break;
            if (b->coder == a->coder)
                continue;
            xgrow((void **)&cands, &capc, ncand + 1, sizeof *cands);
            cands[ncand++] = (cand){order[i], order[j], b->start - a->start};
        }
    }
    if (ncand)
        qsort(cands, ncand, sizeof *cands, cand_cmp);

    cluster *cl = xcalloc(n, sizeof *cl);
    size_t *of = xcalloc(n, sizeof *of);
    for (size_t i = 0; i < n; i++) {
        cl[i].member = xmalloc(nc * sizeof *cl[i].member);
        for (size_t c = 0; c < nc; c++)
            cl[i].member[c] = AR_NONE;
        cl[i].member[in->items[i].coder] = i;
        cl[i].size = 1;
        cl[i].lo = cl[i].hi = in->items[i].start;
        of[i] = i;
    }
    for (size_t k = 0; k < ncand; k++) {
        size_t pi = of[cands[k].x], qi = of[cands[k].y];
        if (pi == qi)
            continue;
        if (cl[pi].size < cl[qi].size) {
            size_t t = pi;
            pi = qi;
            qi = t;
        }
        cluster *p = &cl[pi], *q = &cl[qi];
        bool clash = false;
        for (size_t c = 0; c < nc && !clash; c++)
            clash = p->member[c] != AR_NONE && q->member[c] != AR_NONE;
        long long lo = p->lo < q->lo ? p->lo : q->lo, hi = p->hi > q->hi ? p->hi : q->hi;
        if (clash || hi - lo > window)
            continue;
        for (size_t c = 0; c < nc; c++)
            if (q->member[c] != AR_NONE) {
                p->member[c] = q->member[c];
                of[q->member[c]] = pi;
                q->member[c] = AR_NONE;
            }
        p->size += q->size;
        q->size = 0;
        p->lo = lo;
        p->hi = hi;
    }

    /* Units and leftovers, each in the order of its first item. */
    bool *emitted = xcalloc(n, sizeof *emitted);
    for (size_t i = 0; i < n; i++) {
        size_t ci = of[order[i]];
        if (cl[ci].size == 1) {
            out->unmatched = xrealloc(out->unmatched, (out->nunmatched + 1) * sizeof *out->unmatched);
            out->unmatched[out->nunmatched++] = order[i];
        } else if (!emitted[ci]) {
            emitted[ci] = true;
            out->member = xrealloc(out->member, (out->n + 1) * nc * sizeof *out->member);
            memcpy(out->member + out->n * nc, cl[ci].member, nc * sizeof *out->member);
            out->n++;
        }
    }
    free(emitted);
    free(order);
    free(cands);
    for (size_t i = 0; i < n; i++)
        free(cl[i].member);
    free(cl);
    free(of);
}

void ar_units_free(ar_units *u)
{
    free(u->member);
    free(u->unmatched);
    memset(u, 0, sizeof *u);
}

/* ---- report ------------------------------------------------------------ */

/* The first code item it has on dimension dim, or NULL. */
static const char *first_code(const ar_item *it, const char *dim)
{
    const char *best = NULL;
    for (size_t i = 0; i < it->ncodes; i++)
        if (!strcmp(it->codes[i].dim, dim) && (!best || strcmp(it->codes[i].code, best) < 0))
            best = it->codes[i].code;
    return best;
}

static bool has_code(const ar_item *it, const char *dim, const char *code)
{
    for (size_t i = 0; i < it->ncodes; i++)
        if (!strcmp(it->codes[i].dim, dim) && !strcmp(it->codes[i].code, code))
            return true;
    return false;
}

/* Code ids used on dim in the units, in the codebook's order, then codes
 * the codebook lacks (other codebooks' or removed) by id. */
typedef struct idlist {
    char **v;
    size_t n;
} idlist;

static int code_rank(const cb_dimension *d, const char *id)
{
    for (size_t i = 0; i < d->ncodes; i++)
        if (!strcmp(d->codes[i].id, id))
            return (int)i;
    return -1;
}

static const cb_dimension *rank_dim;

static int rank_cmp(const void *pa, const void *pb)
{
    const char *a = *(char *const *)pa, *b = *(char *const *)pb;
    int ra = code_rank(rank_dim, a), rb = code_rank(rank_dim, b);
    if (ra >= 0 && rb >= 0)
        return ra - rb;
    if (ra >= 0 || rb >= 0)
        return ra >= 0 ? -1 : 1;
    return strcmp(a, b);
}

static idlist used_codes(const ar_input *in, const ar_units *u, const cb_dimension *d)
{
    idlist l = {0};
    for (size_t k = 0; k < u->n * u->ncoders; k++) {
        if (u->member[k] == AR_NONE)
            continue;
        const ar_item *it = &in->items[u->member[k]];
        for (size_t i = 0; i < it->ncodes; i++) {
            if (strcmp(it->codes[i].dim, d->id))
                continue;
            bool seen = false;
            for (size_t j = 0; j < l.n && !seen; j++)
                seen = !strcmp(l.v[j], it->codes[i].code);
            if (!seen) {
                l.v = xrealloc(l.v, (l.n + 1) * sizeof *l.v);
                l.v[l.n++] = it->codes[i].code; /* borrowed from in */
            }
        }
    }
    rank_dim = d;
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, rank_cmp);
    return l;
}

static char *label_of(const cb_dimension *d, const char *code)
{
    const cb_code *c = cb_find_code(d, code);
    return xstrdup(c && c->label ? c->label : code);
}

/* Fills the variable's alpha and pairs from its units x coders values. */
static void var_stats(ar_var *v, const ar_units *u, const int *values)
{
    size_t nc = u->ncoders;
    v->alpha = ag_krippendorff_nominal(values, u->n, nc, v->ncat);
    int *a = xcalloc(u->n, sizeof *a), *b = xcalloc(u->n, sizeof *b);
    for (size_t i = 0; i < nc; i++)
        for (size_t j = i + 1; j < nc; j++) {
            size_t m = 0;
            for (size_t k = 0; k < u->n; k++)
                if (u->member[k * nc + i] != AR_NONE && u->member[k * nc + j] != AR_NONE) {
                    a[m] = values[k * nc + i];
                    b[m] = values[k * nc + j];
                    m++;
                }
            if (!m)
                continue;
            v->pairs = xrealloc(v->pairs, (v->npairs + 1) * sizeof *v->pairs);
            ar_pair *p = &v->pairs[v->npairs++];
            p->a = i;
            p->b = j;
            p->confusion = xcalloc(v->ncat * v->ncat, sizeof *p->confusion);
            ag_confusion(a, b, m, v->ncat, p->confusion);
            p->kappa = ag_cohen(p->confusion, v->ncat);
        }
    free(a);
    free(b);
}

static ar_var *new_var(ar_report *r, const cb_dimension *d)
{
    r->vars = xrealloc(r->vars, (r->nvars + 1) * sizeof *r->vars);
    ar_var *v = &r->vars[r->nvars++];
    memset(v, 0, sizeof *v);
    v->dim_id = xstrdup(d->id);
    v->dim_label = xstrdup(d->label ? d->label : d->id);
    return v;
}

static void single_var(ar_report *r, const ar_input *in, const ar_units *u, const cb_dimension *d)
{
    idlist cats = used_codes(in, u, d);
    ar_var *v = new_var(r, d);
    v->ncat = cats.n;
    v->cat_ids = xcalloc(cats.n, sizeof *v->cat_ids);
    v->cat_labels = xcalloc(cats.n, sizeof *v->cat_labels);
    for (size_t i = 0; i < cats.n; i++) {
        v->cat_ids[i] = xstrdup(cats.v[i]);
        v->cat_labels[i] = label_of(d, cats.v[i]);
    }
    size_t nc = u->ncoders;
    int *values = xcalloc(u->n * nc, sizeof *values);
    for (size_t k = 0; k < u->n * nc; k++) {
        values[k] = AG_MISSING;
        if (u->member[k] == AR_NONE)
            continue;
        const char *code = first_code(&in->items[u->member[k]], d->id);
        for (size_t i = 0; code && i < cats.n; i++)
            if (!strcmp(cats.v[i], code))
                values[k] = (int)i;
    }
    var_stats(v, u, values);
    free(values);
    free(cats.v);
}

static void presence_vars(ar_report *r, const ar_input *in, const ar_units *u, const cb_dimension *d)
{
    idlist codes = used_codes(in, u, d);
    size_t nc = u->ncoders;
    int *values = xcalloc(u->n * nc, sizeof *values);
    for (size_t i = 0; i < codes.n; i++) {
        ar_var *v = new_var(r, d);
        v->code_id = xstrdup(codes.v[i]);
        v->code_label = label_of(d, codes.v[i]);
        v->ncat = 2;
        v->cat_ids = xcalloc(2, sizeof *v->cat_ids);
        v->cat_labels = xcalloc(2, sizeof *v->cat_labels);
        v->cat_ids[0] = xstrdup("0");
        v->cat_ids[1] = xstrdup("1");
        v->cat_labels[0] = xstrdup(_("absent"));
        v->cat_labels[1] = xstrdup(_("present"));
        for (size_t k = 0; k < u->n * nc; k++) {
            values[k] = AG_MISSING;
            if (u->member[k] == AR_NONE)
                continue;
            const ar_item *it = &in->items[u->member[k]];
            /* No code at all on the dimension is no answer, not "absent":
             * the observer may not have got to it. */
            if (first_code(it, d->id))
                values[k] = has_code(it, d->id, codes.v[i]);
        }
        var_stats(v, u, values);
    }
    free(values);
    free(codes.v);
}

size_t ar_pair_categories(const ar_var *v, const ar_pair *p, size_t *idx)
{
    size_t n = 0;
    for (size_t c = 0; c < v->ncat; c++) {
        long used = v->code_id != NULL;
        for (size_t d = 0; d < v->ncat && !used; d++)
            used = p->confusion[c * v->ncat + d] || p->confusion[d * v->ncat + c];
        if (used)
            idx[n++] = c;
    }
    return n;
}

void ar_report_build(const ar_input *in, const ar_units *u, const cb_codebook *cb, ar_report *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        if (d->mode == CB_SINGLE)
            single_var(out, in, u, d);
        else if (d->mode == CB_MULTIPLE)
            presence_vars(out, in, u, d);
    }
}

void ar_report_free(ar_report *r)
{
    for (size_t i = 0; i < r->nvars; i++) {
        ar_var *v = &r->vars[i];
        free(v->dim_id);
        free(v->dim_label);
        free(v->code_id);
        free(v->code_label);
        free_names(v->cat_ids, v->ncat);
        free_names(v->cat_labels, v->ncat);
        for (size_t j = 0; j < v->npairs; j++)
            free(v->pairs[j].confusion);
        free(v->pairs);
    }
    free(r->vars);
    memset(r, 0, sizeof *r);
}
