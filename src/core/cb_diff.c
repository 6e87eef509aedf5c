/*
 * cb_diff.c — the comparison of two codebooks (see cb_diff.h).
 *
 * Moves are found with a longest increasing subsequence of the places the
 * shared ids had in A, taken in B's order: the items outside it are the ones
 * whose relative order changed.  Lists are short (a few dozen codes), so the
 * quadratic search is cheap.
 */
#include "core/cb_diff.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

static void add(cb_changes *l, cb_change_kind kind, const char *dim, const char *code, const char *before,
                const char *after, const char *field)
{
    xgrow((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items);
    cb_change *c = &l->items[l->n++];
    c->kind = kind;
    c->dim_id = xstrdup(dim);
    c->code_id = xstrdup(code);
    c->before = xstrdup(before);
    c->after = xstrdup(after);
    c->field = field;
}

void cb_changes_clear(cb_changes *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].dim_id);
        free(l->items[i].code_id);
        free(l->items[i].before);
        free(l->items[i].after);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

/* A text field that changed, NULL and "" being the same text. */
static void text_change(cb_changes *l, cb_change_kind kind, const char *dim, const char *code, const char *field,
                        const char *a, const char *b)
{
    if (!str_eq0(a, b))
        add(l, kind, dim, code, str_empty(a) ? NULL : a, str_empty(b) ? NULL : b, field);
}

static const char *bool_text(bool v)
{
    return v ? "true" : "false";
}

/*
 * rank[k] is the index in A of the k-th shared item in B's order.  The items
 * that kept their relative order form a longest increasing subsequence of
 * rank; moved[k] is set for the others.
 */
static void mark_moved(size_t n, const size_t *rank, bool *moved)
{
    size_t *len = xcalloc(n + 1, sizeof *len);
    size_t *prev = xcalloc(n + 1, sizeof *prev);
    for (size_t i = 0; i < n; i++) {
        len[i] = 1;
        prev[i] = (size_t)-1;
        for (size_t j = 0; j < i; j++)
            if (rank[j] < rank[i] && len[j] + 1 > len[i]) {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
    }
    size_t best = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        moved[i] = true;
        if (best == (size_t)-1 || len[i] > len[best])
            best = i;
    }
    for (size_t i = best; i != (size_t)-1; i = prev[i])
        moved[i] = false;
    free(len);
    free(prev);
}

static void pos_text(char *buf, size_t n, size_t pos)
{
    snprintf(buf, n, "%zu", pos + 1);
}

/* Where code id sits in cb: its dimension and index, or false. */
static bool locate_code(const cb_codebook *cb, const char *id, size_t *di, size_t *ci)
{
    for (size_t i = 0; i < cb->ndims; i++)
        for (size_t j = 0; j < cb->dims[i].ncodes; j++)
            if (str_eq0(cb->dims[i].codes[j].id, id)) {
                *di = i;
                *ci = j;
                return true;
            }
    return false;
}

static size_t dim_index(const cb_codebook *cb, const char *id)
{
    for (size_t i = 0; i < cb->ndims; i++)
        if (str_eq0(cb->dims[i].id, id))
            return i;
    return (size_t)-1;
}

static void code_fields(cb_changes *l, const char *dim, const cb_code *x, const cb_code *y)
{
    const char *id = y->id;
    if (x->retired != y->retired)
        add(l, y->retired ? CB_CH_CODE_RETIRED : CB_CH_CODE_RESTORED, dim, id, NULL, NULL, NULL);
    text_change(l, CB_CH_CODE_RENAMED, dim, id, NULL, x->label, y->label);
    if (!str_eq0(x->parent, y->parent))
        add(l, CB_CH_CODE_PARENT, dim, id, x->parent, y->parent, NULL);
    if (x->key != y->key) {
        char kx[2] = {x->key, 0}, ky[2] = {y->key, 0};
        add(l, CB_CH_CODE_HOTKEY, dim, id, x->key ? kx : NULL, y->key ? ky : NULL, NULL);
    }
    text_change(l, CB_CH_CODE_FIELD, dim, id, "definition", x->definition, y->definition);
    text_change(l, CB_CH_CODE_FIELD, dim, id, "when_to_use", x->when_to_use, y->when_to_use);
    text_change(l, CB_CH_CODE_FIELD, dim, id, "when_not_to_use", x->when_not_to_use, y->when_not_to_use);
    text_change(l, CB_CH_CODE_FIELD, dim, id, "example", x->example, y->example);
    if (x->other != y->other)
        add(l, CB_CH_CODE_FIELD, dim, id, bool_text(x->other), bool_text(y->other), "other");
    text_change(l, CB_CH_CODE_FIELD, dim, id, "validate", x->validate, y->validate);
    text_change(l, CB_CH_CODE_FIELD, dim, id, "validate_message", x->validate_message, y->validate_message);
    char *px = cb_join_patterns(x, '\n'), *py = cb_join_patterns(y, '\n');
    text_change(l, CB_CH_CODE_FIELD, dim, id, "patterns", px, py);
    free(px);
    free(py);
    if (x->uncodable != y->uncodable)
        add(l, CB_CH_CODE_FIELD, dim, id, bool_text(!x->uncodable), bool_text(!y->uncodable), "codable");
    text_change(l, CB_CH_CODE_FIELD, dim, id, "color", x->color, y->color);
    text_change(l, CB_CH_CODE_FIELD, dim, id, "guid", x->guid, y->guid);
}

static void dim_fields(cb_changes *l, const cb_dimension *x, const cb_dimension *y)
{
    const char *id = y->id;
    if (x->retired != y->retired)
        add(l, y->retired ? CB_CH_DIM_RETIRED : CB_CH_DIM_RESTORED, id, NULL, NULL, NULL, NULL);
    text_change(l, CB_CH_DIM_RENAMED, id, NULL, NULL, x->label, y->label);
    if (x->mode != y->mode)
        add(l, CB_CH_DIM_MODE, id, NULL, cb_mode_name(x->mode), cb_mode_name(y->mode), NULL);
    if (x->required != y->required)
        add(l, CB_CH_DIM_REQUIRED, id, NULL, bool_text(x->required), bool_text(y->required), NULL);
    text_change(l, CB_CH_DIM_FIELD, id, NULL, "description", x->description, y->description);
    text_change(l, CB_CH_DIM_FIELD, id, NULL, "validate", x->validate, y->validate);
    text_change(l, CB_CH_DIM_FIELD, id, NULL, "validate_message", x->validate_message, y->validate_message);
    text_change(l, CB_CH_DIM_FIELD, id, NULL, "color", x->color, y->color);
    text_change(l, CB_CH_DIM_FIELD, id, NULL, "guid", x->guid, y->guid);
}

/* The codes of dimension y (of b) that were in x (of a), and which of them
 * changed place. */
static void code_moves(cb_changes *l, const cb_dimension *x, const cb_dimension *y)
{
    size_t n = 0;
    size_t *rank = xcalloc(y->ncodes + 1, sizeof *rank);
    size_t *where = xcalloc(y->ncodes + 1, sizeof *where);
    for (size_t j = 0; j < y->ncodes; j++)
        for (size_t i = 0; i < x->ncodes; i++)
            if (str_eq0(x->codes[i].id, y->codes[j].id)) {
                rank[n] = i;
                where[n++] = j;
                break;
            }
    bool *moved = xcalloc(n + 1, sizeof *moved);
    mark_moved(n, rank, moved);
    for (size_t k = 0; k < n; k++)
        if (moved[k]) {
            char pa[24], pb[24];
            pos_text(pa, sizeof pa, rank[k]);
            pos_text(pb, sizeof pb, where[k]);
            add(l, CB_CH_CODE_MOVED, y->id, y->codes[where[k]].id, pa, pb, NULL);
        }
    free(moved);
    free(rank);
    free(where);
}

static void codebook_fields(cb_changes *l, const cb_codebook *a, const cb_codebook *b)
{
    text_change(l, CB_CH_CODEBOOK, NULL, NULL, "id", a->id, b->id);
    text_change(l, CB_CH_CODEBOOK, NULL, NULL, "title", a->title, b->title);
    text_change(l, CB_CH_CODEBOOK, NULL, NULL, "language", a->language, b->language);
    if (a->version != b->version) {
        char va[24], vb[24];
        snprintf(va, sizeof va, "%d", a->version);
        snprintf(vb, sizeof vb, "%d", b->version);
        add(l, CB_CH_CODEBOOK, NULL, NULL, va, vb, "version");
    }
    text_change(l, CB_CH_CODEBOOK, NULL, NULL, "description", a->description, b->description);
}

void cb_diff(const cb_codebook *a, const cb_codebook *b, cb_changes *out)
{
    codebook_fields(out, a, b);

    /* Dimensions both have, in b's order, ranked by their place in a. */
    size_t n = 0;
    size_t *rank = xcalloc(b->ndims + 1, sizeof *rank);
    size_t *where = xcalloc(b->ndims + 1, sizeof *where);
    for (size_t j = 0; j < b->ndims; j++) {
        size_t i = dim_index(a, b->dims[j].id);
        if (i != (size_t)-1) {
            rank[n] = i;
            where[n++] = j;
        }
    }
    bool *moved = xcalloc(n + 1, sizeof *moved);
    mark_moved(n, rank, moved);

    size_t k = 0;
    for (size_t j = 0; j < b->ndims; j++) {
        const cb_dimension *y = &b->dims[j];
        size_t i = dim_index(a, y->id);
        if (i == (size_t)-1) {
            add(out, CB_CH_DIM_ADDED, y->id, NULL, NULL, y->label, NULL);
        } else {
            if (moved[k]) {
                char pa[24], pb[24];
                pos_text(pa, sizeof pa, i);
                pos_text(pb, sizeof pb, j);
                add(out, CB_CH_DIM_MOVED, y->id, NULL, pa, pb, NULL);
            }
            k++;
            dim_fields(out, &a->dims[i], y);
        }
        for (size_t c = 0; c < y->ncodes; c++) {
            const cb_code *yc = &y->codes[c];
            size_t di, ci;
            if (!locate_code(a, yc->id, &di, &ci)) {
                add(out, CB_CH_CODE_ADDED, y->id, yc->id, NULL, yc->label, NULL);
                continue;
            }
            if (!str_eq0(a->dims[di].id, y->id))
                add(out, CB_CH_CODE_DIMENSION, y->id, yc->id, a->dims[di].id, y->id, NULL);
            code_fields(out, y->id, &a->dims[di].codes[ci], yc);
        }
        if (i != (size_t)-1)
            code_moves(out, &a->dims[i], y);
    }
    free(moved);
    free(rank);
    free(where);

    /* What b no longer has. */
    for (size_t i = 0; i < a->ndims; i++) {
        const cb_dimension *x = &a->dims[i];
        if (dim_index(b, x->id) == (size_t)-1)
            add(out, CB_CH_DIM_REMOVED, x->id, NULL, x->label, NULL, NULL);
        for (size_t c = 0; c < x->ncodes; c++) {
            size_t di, ci;
            if (!locate_code(b, x->codes[c].id, &di, &ci))
                add(out, CB_CH_CODE_REMOVED, x->id, x->codes[c].id, x->codes[c].label, NULL, NULL);
        }
    }
}

const char *cb_field_name(const char *field)
{
    static const struct {
        const char *key, *name;
    } names[] = {
        {"id", N_("id")},
        {"title", N_("title")},
        {"language", N_("language")},
        {"version", N_("version")},
        {"description", N_("description")},
        {"definition", N_("definition")},
        {"when_to_use", N_("when to use")},
        {"when_not_to_use", N_("when not to use")},
        {"example", N_("example")},
        {"other", N_("other, specify")},
        {"validate", N_("validation pattern")},
        {"validate_message", N_("validation message")},
        {"patterns", N_("suggestion patterns")},
        {"codable", N_("codable")},
        {"color", N_("color")},
        {"guid", N_("REFI-QDA guid")},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (field && !strcmp(field, names[i].key))
            return _(names[i].name);
    return field ? field : "?";
}

/* Whether a value is short enough to quote in a sentence. */
static bool quotable(const char *s)
{
    return !s || (strlen(s) <= 60 && !strchr(s, '\n'));
}

/* "'value'", or "none" for NULL. */
static char *quoted(const char *s)
{
    return s ? xasprintf("'%s'", s) : xstrdup(_("none"));
}

/* "X changed", "X changed from 'a' to 'b'", "X set to 'b'", "X removed". */
static char *field_sentence(const cb_change *c)
{
    const char *name = cb_field_name(c->field);
    if (!quotable(c->before) || !quotable(c->after))
        return xasprintf(_("%s changed"), name);
    if (!c->before)
        return xasprintf(_("%s set to '%s'"), name, c->after);
    if (!c->after)
        return xasprintf(_("%s removed (was '%s')"), name, c->before);
    return xasprintf(_("%s changed from '%s' to '%s'"), name, c->before, c->after);
}

char *cb_change_describe(const cb_change *c)
{
    const char *d = c->dim_id ? c->dim_id : "?";
    const char *k = c->code_id ? c->code_id : "?";
    const char *b = c->before ? c->before : "";
    const char *a = c->after ? c->after : "";
    char *what = NULL, *out = NULL;
    switch (c->kind) {
    case CB_CH_CODEBOOK:
        what = field_sentence(c);
        out = xasprintf(_("Codebook: %s"), what);
        break;
    case CB_CH_DIM_ADDED:
        out = xasprintf(_("Dimension '%s' added: '%s'"), d, a);
        break;
    case CB_CH_DIM_REMOVED:
        out = xasprintf(_("Dimension '%s' removed (was '%s')"), d, b);
        break;
    case CB_CH_DIM_RETIRED:
        out = xasprintf(_("Dimension '%s' retired"), d);
        break;
    case CB_CH_DIM_RESTORED:
        out = xasprintf(_("Dimension '%s' restored"), d);
        break;
    case CB_CH_DIM_RENAMED:
        out = xasprintf(_("Dimension '%s' renamed: '%s' → '%s'"), d, b, a);
        break;
    case CB_CH_DIM_MOVED:
        out = xasprintf(_("Dimension '%s' moved from position %s to %s"), d, b, a);
        break;
    case CB_CH_DIM_MODE:
        out = xasprintf(_("Dimension '%s' changed mode: %s → %s"), d, b, a);
        break;
    case CB_CH_DIM_REQUIRED:
        out = !strcmp(a, "true") ? xasprintf(_("Dimension '%s' is now required"), d)
                                 : xasprintf(_("Dimension '%s' is no longer required"), d);
        break;
    case CB_CH_DIM_FIELD:
        what = field_sentence(c);
        out = xasprintf(_("Dimension '%s': %s"), d, what);
        break;
    case CB_CH_CODE_ADDED:
        out = xasprintf(_("Code '%s' added to dimension '%s': '%s'"), k, d, a);
        break;
    case CB_CH_CODE_REMOVED:
        out = xasprintf(_("Code '%s' removed from dimension '%s' (was '%s')"), k, d, b);
        break;
    case CB_CH_CODE_RETIRED:
        out = xasprintf(_("Code '%s' of dimension '%s' retired"), k, d);
        break;
    case CB_CH_CODE_RESTORED:
        out = xasprintf(_("Code '%s' of dimension '%s' restored"), k, d);
        break;
    case CB_CH_CODE_RENAMED:
        out = xasprintf(_("Code '%s' of dimension '%s' renamed: '%s' → '%s'"), k, d, b, a);
        break;
    case CB_CH_CODE_MOVED:
        out = xasprintf(_("Code '%s' of dimension '%s' moved from position %s to %s"), k, d, b, a);
        break;
    case CB_CH_CODE_PARENT:
        if (!c->after)
            out = xasprintf(_("Code '%s' of dimension '%s' moved to the top level (was under '%s')"), k, d, b);
        else if (!c->before)
            out = xasprintf(_("Code '%s' of dimension '%s' moved under '%s'"), k, d, a);
        else
            out = xasprintf(_("Code '%s' of dimension '%s' moved under '%s' (was under '%s')"), k, d, a, b);
        break;
    case CB_CH_CODE_DIMENSION:
        out = xasprintf(_("Code '%s' moved from dimension '%s' to dimension '%s'"), k, b, a);
        break;
    case CB_CH_CODE_HOTKEY: {
        char *qb = quoted(c->before), *qa = quoted(c->after);
        out = xasprintf(_("Code '%s' of dimension '%s': hotkey %s → %s"), k, d, qb, qa);
        free(qb);
        free(qa);
        break;
    }
    case CB_CH_CODE_FIELD:
        what = field_sentence(c);
        out = xasprintf(_("Code '%s' of dimension '%s': %s"), k, d, what);
        break;
    }
    free(what);
    return out ? out : xstrdup("?");
}
