/*
 * vignette.c — the vignette model and its rules (vignette.h).
 */
#include "core/vignette.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

vg_set *vg_new(void)
{
    vg_set *s = xcalloc(1, sizeof *s);
    s->format = 1;
    return s;
}

void vg_free(vg_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        vg_vignette *v = &s->items[i];
        for (size_t j = 0; j < v->nrefs; j++) {
            vg_ref *r = &v->refs[j];
            for (size_t k = 0; k < r->ncodes; k++)
                free(r->codes[k]);
            free(r->codes);
            free(r->code_pos);
            free(r->dim);
        }
        free(v->refs);
        free(v->id);
        free(v->title);
        free(v->text);
        free(v->explanation);
    }
    free(s->items);
    free(s->codebook);
    free(s->title);
    free(s->language);
    free(s->description);
    free(s);
}

vg_vignette *vg_add(vg_set *s)
{
    s->items = xrealloc(s->items, (s->n + 1) * sizeof *s->items);
    vg_vignette *v = &s->items[s->n++];
    memset(v, 0, sizeof *v);
    return v;
}

vg_ref *vg_add_ref(vg_vignette *v)
{
    v->refs = xrealloc(v->refs, (v->nrefs + 1) * sizeof *v->refs);
    vg_ref *r = &v->refs[v->nrefs++];
    memset(r, 0, sizeof *r);
    return r;
}

void vg_ref_add_code(vg_ref *r, const char *code, cb_pos pos)
{
    r->codes = xrealloc(r->codes, (r->ncodes + 1) * sizeof *r->codes);
    r->code_pos = xrealloc(r->code_pos, (r->ncodes + 1) * sizeof *r->code_pos);
    r->codes[r->ncodes] = xstrdup(code);
    r->code_pos[r->ncodes] = pos;
    r->ncodes++;
}

const vg_ref *vg_find_ref(const vg_vignette *v, const char *dim)
{
    for (size_t i = 0; i < v->nrefs; i++)
        if (!strcmp(v->refs[i].dim, dim))
            return &v->refs[i];
    return NULL;
}

const vg_vignette *vg_find(const vg_set *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i].id && !strcmp(s->items[i].id, id))
            return &s->items[i];
    return NULL;
}

static void check_ref(const vg_ref *r, const cb_codebook *cb, const char *file, diag_list *out, size_t *n)
{
    const cb_dimension *d = cb_find_dimension(cb, r->dim);
    if (!d || d->mode == CB_TEXT || d->retired) {
        diag_add(out, file, r->pos.line, r->pos.col,
                 !d ? _("unknown dimension '%s': not in codebook %s")
                 : d->retired ? _("dimension '%s' is retired in codebook %s")
                              : _("dimension '%s' is free text in codebook %s: it takes no reference code"),
                 r->dim, cb->id);
        (*n)++;
        return;
    }
    if (d->mode == CB_SINGLE && r->ncodes != 1) {
        diag_add(out, file, r->pos.line, r->pos.col,
                 _("dimension '%s' is single choice: the reference needs exactly one code, found %zu"), r->dim,
                 r->ncodes);
        (*n)++;
    }
    for (size_t k = 0; k < r->ncodes; k++) {
        const cb_code *c = cb_find_code(d, r->codes[k]);
        if (!c || !cb_code_active(c)) {
            diag_add(out, file, r->code_pos[k].line, r->code_pos[k].col,
                     !c           ? _("unknown code '%s' in dimension '%s' of codebook %s")
                     : c->retired ? _("code '%s' of dimension '%s' is retired in codebook %s")
                                  : _("code '%s' of dimension '%s' is a heading in codebook %s: it cannot be chosen"),
                     r->codes[k], r->dim, cb->id);
            (*n)++;
        }
        for (size_t j = 0; j < k; j++)
            if (!strcmp(r->codes[j], r->codes[k])) {
                diag_add(out, file, r->code_pos[k].line, r->code_pos[k].col, _("code '%s' is given twice"),
                         r->codes[k]);
                (*n)++;
            }
    }
}

size_t vg_check(const vg_set *s, const cb_codebook *cb, const char *file, diag_list *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const vg_vignette *v = &s->items[i];
        if (v->id && !cb_valid_id(v->id)) {
            diag_add(out, file, v->id_pos.line, v->id_pos.col,
                     _("invalid vignette id '%s': expected lowercase letters, digits, '-', '_' or '.'"), v->id);
            n++;
        }
        for (size_t j = 0; j < i && v->id; j++)
            if (s->items[j].id && !strcmp(s->items[j].id, v->id)) {
                diag_add(out, file, v->id_pos.line, v->id_pos.col, _("duplicate vignette id '%s' (first at line %d)"),
                         v->id, s->items[j].id_pos.line);
                n++;
            }
    }
    if (!cb)
        return n;
    if (s->codebook && cb->id && strcmp(s->codebook, cb->id)) {
        diag_add(out, file, s->codebook_pos.line, s->codebook_pos.col,
                 _("these vignettes are for codebook '%s' but the study's codebook is '%s'"), s->codebook, cb->id);
        return n + 1;
    }
    for (size_t i = 0; i < s->n; i++) {
        const vg_vignette *v = &s->items[i];
        for (size_t j = 0; j < v->nrefs; j++)
            check_ref(&v->refs[j], cb, file, out, &n);
        for (size_t k = 0; k < cb->ndims; k++) {
            const cb_dimension *d = &cb->dims[k];
            if (d->mode != CB_TEXT && !d->retired && !vg_find_ref(v, d->id)) {
                diag_add(out, file, v->ref_pos.line, v->ref_pos.col,
                         _("vignette '%s' has no reference coding for dimension '%s'%s"), v->id ? v->id : "?", d->id,
                         d->mode == CB_MULTIPLE ? _(" (give [] for no code)") : "");
                n++;
            }
        }
    }
    return n;
}
