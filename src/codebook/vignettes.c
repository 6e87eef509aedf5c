/*
 * vignettes.c — reading vignette files (vignettes.h, doc/training.md).
 *
 * The walk follows the codebook reader: every key is known, every value
 * has the expected kind, each problem is reported at its node and stops
 * the walk of that node only.
 */
#include "codebook/vignettes.h"

#include <stdlib.h>
#include <string.h>

#include "codebook/yaml_doc.h"
#include "core/i18n.h"
#include "core/util.h"

static void read_codes(yd_walker *w, yaml_node_t *n, vg_ref *r)
{
    if (n->type == YAML_SCALAR_NODE) {
        char *s = yd_scalar(w, n, r->dim);
        if (s && *s)
            vg_ref_add_code(r, s, yd_pos(n));
        else if (s)
            yd_err(w, n, _("the reference for '%s' is empty: give a code id (or [] for no code)"), r->dim);
        free(s);
        return;
    }
    if (!yd_expect(w, n, YAML_SEQUENCE_NODE, _("a code id or a list of code ids")))
        return;
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        yaml_node_t *c = yd_node(w, *i);
        char *s = yd_scalar(w, c, r->dim);
        if (s)
            vg_ref_add_code(r, s, yd_pos(c));
        free(s);
    }
}

static void read_reference(yd_walker *w, yaml_node_t *n, vg_vignette *v)
{
    v->ref_pos = yd_pos(n);
    if (!yd_expect(w, n, YAML_MAPPING_NODE, _("a mapping of dimension ids to codes")))
        return;
    yd_iter it = yd_map(n);
    yaml_node_t *k, *val;
    const char *key;
    while ((key = yd_next(w, &it, &k, &val))) {
        vg_ref *r = vg_add_ref(v);
        r->dim = xstrdup(key);
        r->pos = yd_pos(k);
        read_codes(w, val, r);
    }
}

static void read_vignette(yd_walker *w, yaml_node_t *n, vg_set *s)
{
    if (!yd_expect(w, n, YAML_MAPPING_NODE, _("a vignette (a mapping with id, text, reference)")))
        return;
    vg_vignette *v = vg_add(s);
    v->pos = yd_pos(n);
    yd_iter it = yd_map(n);
    yaml_node_t *k, *val;
    const char *key;
    bool has_ref = false;
    while ((key = yd_next(w, &it, &k, &val))) {
        if (!strcmp(key, "id")) {
            v->id = yd_text(w, val, key);
            v->id_pos = yd_pos(val);
        } else if (!strcmp(key, "title"))
            v->title = yd_text(w, val, key);
        else if (!strcmp(key, "text"))
            v->text = yd_text(w, val, key);
        else if (!strcmp(key, "explanation"))
            v->explanation = yd_text(w, val, key);
        else if (!strcmp(key, "reference")) {
            read_reference(w, val, v);
            has_ref = true;
        } else
            yd_err(w, k, _("unknown key '%s' in vignette: expected one of id, title, text, reference, explanation"),
                   key);
    }
    if (!v->id_pos.line)
        v->id_pos = v->pos;
    if (!has_ref)
        v->ref_pos = v->pos;
    if (!v->id)
        yd_err(w, n, _("missing field 'id' in vignette: expected a short identifier (v01, caf-trop-percu...)"));
    if (str_empty(v->text))
        yd_err(w, n, _("missing field 'text' in vignette '%s': expected the situation as the observer sees it"),
               v->id ? v->id : "?");
    if (!has_ref)
        yd_err(w, n, _("missing field 'reference' in vignette '%s': expected the trainer's coding"),
               v->id ? v->id : "?");
}

static void read_root(yd_walker *w, yaml_node_t *n, vg_set *s)
{
    s->pos = yd_pos(n);
    s->format = 0;
    if (!yd_expect(w, n, YAML_MAPPING_NODE, _("a vignette file (a mapping with carnet_vignettes, codebook, title, "
                                            "vignettes)")))
        return;
    yd_iter it = yd_map(n);
    yaml_node_t *k, *v;
    const char *key;
    bool has_list = false;
    while ((key = yd_next(w, &it, &k, &v))) {
        if (!strcmp(key, "carnet_vignettes"))
            yd_int(w, v, key, &s->format);
        else if (!strcmp(key, "codebook")) {
            s->codebook = yd_text(w, v, key);
            s->codebook_pos = yd_pos(v);
        } else if (!strcmp(key, "title"))
            s->title = yd_text(w, v, key);
        else if (!strcmp(key, "language"))
            s->language = yd_text(w, v, key);
        else if (!strcmp(key, "description"))
            s->description = yd_text(w, v, key);
        else if (!strcmp(key, "vignettes")) {
            has_list = true;
            if (!yd_expect(w, v, YAML_SEQUENCE_NODE, _("a list of vignettes")))
                continue;
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
                read_vignette(w, yd_node(w, *i), s);
        } else
            yd_err(w, k, _("unknown key '%s' at top level: expected one of carnet_vignettes, codebook, title, "
                           "language, description, vignettes"),
                   key);
    }
    if (!s->format && !w->errors) {
        yd_err(w, n, _("missing field 'carnet_vignettes': expected carnet_vignettes: 1 (is this a vignette file?)"));
        return;
    }
    if (s->format > 1)
        yd_err(w, n, _("carnet_vignettes: %d is a newer format than this carnet reads (1)"), s->format);
    if (!s->codebook)
        yd_err(w, n, _("missing field 'codebook': expected the id of the codebook the references use"));
    if (!s->title)
        yd_err(w, n, _("missing field 'title': expected a title for the vignette set"));
    if (!has_list || (!s->n && !w->errors))
        yd_err(w, n, _("no vignettes: expected a list 'vignettes' of at least one vignette"));
    if (!s->codebook_pos.line)
        s->codebook_pos = s->pos;
}

size_t vgf_parse(const char *name, const char *text, size_t len, vg_set **out, diag_list *diags)
{
    *out = NULL;
    yd_walker w = {.file = name, .diags = diags};
    yd_input in;
    yaml_node_t *root = yd_open(&w, &in, text, len,
                                _("empty file: expected vignettes (carnet_vignettes: 1, codebook, title, "
                                  "vignettes)"));
    vg_set *s = vg_new();
    if (root)
        read_root(&w, root, s);
    yd_close(&w, &in, _("a second YAML document: expected one vignette set per file"));
    if (!w.errors)
        w.errors = vg_check(s, NULL, name, diags);
    if (w.errors) {
        vg_free(s);
        return w.errors;
    }
    *out = s;
    return 0;
}

size_t vgf_read_file(const char *path, vg_set **out, char **source, diag_list *diags)
{
    *out = NULL;
    if (source)
        *source = NULL;
    char *too_big = xasprintf(_("file too large: a vignette file is at most %u bytes"), VGF_MAX_BYTES);
    strbuf b;
    bool ok = yd_slurp(path, VGF_MAX_BYTES, too_big, &b, diags);
    free(too_big);
    if (!ok)
        return 1;
    size_t r = vgf_parse(path, b.s, b.len, out, diags);
    if (!r && source)
        *source = sb_take(&b);
    else
        sb_free(&b);
    return r;
}
