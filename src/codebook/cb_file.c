/*
 * cb_file.c — reading and writing the native YAML codebook format.
 *
 * The reader walks libyaml's node tree against the schema of
 * doc/codebook-format.md: every key is known, every value has the expected
 * kind, and each problem is reported at the node that caused it.  Structural
 * problems stop the walk of that node only, so one run reports as many
 * problems as it can.  The semantic rules (unique ids and hotkeys, parents,
 * patterns) are then checked by cb_validate() in the core.
 */
#include "codebook/cb_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "codebook/yaml_doc.h"
#include "core/i18n.h"
#include "core/util.h"

static void read_code(yd_walker *w, yaml_node_t *n, cb_dimension *d)
{
    if (!yd_expect(w, n, YAML_MAPPING_NODE, _("a code (a mapping with id, key, label, definition...)")))
        return;
    cb_code *c = cb_add_code(d);
    c->pos = yd_pos(n);
    yd_iter it = yd_map(n);
    yaml_node_t *k, *v;
    const char *key;
    while ((key = yd_next(w, &it, &k, &v))) {
        if (!strcmp(key, "id")) {
            c->id = yd_text(w, v, key);
            c->id_pos = yd_pos(v);
        } else if (!strcmp(key, "key")) {
            char *s = yd_scalar(w, v, key);
            c->key_pos = yd_pos(v);
            if (s && strlen(s) == 1)
                c->key = s[0];
            else if (s)
                yd_err(w, v, _("hotkey '%s' of code '%s': expected exactly one letter or digit"), s,
                    c->id ? c->id : "?");
            free(s);
        } else if (!strcmp(key, "label"))
            c->label = yd_text(w, v, key);
        else if (!strcmp(key, "definition"))
            c->definition = yd_text(w, v, key);
        else if (!strcmp(key, "when_to_use"))
            c->when_to_use = yd_text(w, v, key);
        else if (!strcmp(key, "when_not_to_use"))
            c->when_not_to_use = yd_text(w, v, key);
        else if (!strcmp(key, "example"))
            c->example = yd_text(w, v, key);
        else if (!strcmp(key, "other"))
            yd_bool(w, v, key, &c->other);
        else if (!strcmp(key, "validate")) {
            c->validate = yd_text(w, v, key);
            c->validate_pos = yd_pos(v);
        } else if (!strcmp(key, "validate_message"))
            c->validate_message = yd_text(w, v, key);
        else if (!strcmp(key, "parent")) {
            c->parent = yd_text(w, v, key);
            c->parent_pos = yd_pos(v);
        } else if (!strcmp(key, "retired"))
            yd_bool(w, v, key, &c->retired);
        else if (!strcmp(key, "codable")) {
            bool codable = true;
            yd_bool(w, v, key, &codable);
            c->uncodable = !codable;
        } else if (!strcmp(key, "color")) {
            c->color = yd_text(w, v, key);
            c->color_pos = yd_pos(v);
        } else if (!strcmp(key, "guid")) {
            c->guid = yd_text(w, v, key);
            c->guid_pos = yd_pos(v);
        } else if (!strcmp(key, "patterns")) {
            if (!yd_expect(w, v, YAML_SEQUENCE_NODE, _("a list of patterns")))
                continue;
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
                yaml_node_t *pn = yd_node(w, *i);
                char *s = yd_scalar(w, pn, "patterns");
                if (s)
                    cb_code_add_pattern(c, s, yd_pos(pn));
                free(s);
            }
        } else
            yd_err(w, k, _("unknown key '%s' in code: expected one of id, key, label, definition, when_to_use, "
                        "when_not_to_use, example, other, validate, validate_message, parent, retired, codable, "
                        "patterns, color, guid"),
                key);
    }
    if (!c->id_pos.line)
        c->id_pos = c->pos;
    if (!c->key_pos.line)
        c->key_pos = c->pos;
}

static void read_dimension(yd_walker *w, yaml_node_t *n, cb_codebook *cb)
{
    if (!yd_expect(w, n, YAML_MAPPING_NODE, _("a dimension (a mapping with id, label, mode, codes)")))
        return;
    cb_dimension *d = cb_add_dimension(cb);
    d->pos = yd_pos(n);
    yd_iter it = yd_map(n);
    yaml_node_t *k, *v;
    const char *key;
    while ((key = yd_next(w, &it, &k, &v))) {
        if (!strcmp(key, "id")) {
            d->id = yd_text(w, v, key);
            d->id_pos = yd_pos(v);
        } else if (!strcmp(key, "label"))
            d->label = yd_text(w, v, key);
        else if (!strcmp(key, "description"))
            d->description = yd_text(w, v, key);
        else if (!strcmp(key, "mode")) {
            char *s = yd_scalar(w, v, key);
            if (s && !cb_mode_parse(s, &d->mode))
                yd_err(w, v, _("unknown mode '%s': expected single, multiple or text"), s);
            free(s);
        } else if (!strcmp(key, "required"))
            yd_bool(w, v, key, &d->required);
        else if (!strcmp(key, "retired"))
            yd_bool(w, v, key, &d->retired);
        else if (!strcmp(key, "validate")) {
            d->validate = yd_text(w, v, key);
            d->validate_pos = yd_pos(v);
        } else if (!strcmp(key, "validate_message"))
            d->validate_message = yd_text(w, v, key);
        else if (!strcmp(key, "color")) {
            d->color = yd_text(w, v, key);
            d->color_pos = yd_pos(v);
        } else if (!strcmp(key, "guid")) {
            d->guid = yd_text(w, v, key);
            d->guid_pos = yd_pos(v);
        } else if (!strcmp(key, "codes")) {
            if (!yd_expect(w, v, YAML_SEQUENCE_NODE, _("a list of codes")))
                continue;
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
                read_code(w, yd_node(w, *i), d);
        } else
            yd_err(w, k, _("unknown key '%s' in dimension: expected one of id, label, description, mode, required, "
                        "retired, validate, validate_message, color, guid, codes"),
                key);
    }
    if (!d->id_pos.line)
        d->id_pos = d->pos;
}

static void read_root(yd_walker *w, yaml_node_t *n, cb_codebook *cb)
{
    cb->pos = yd_pos(n);
    cb->format = 0;
    cb->version = 0;
    if (!yd_expect(w, n, YAML_MAPPING_NODE, _("a codebook (a mapping with carnet_codebook, id, title, dimensions...)")))
        return;
    /* Vignette files sit beside the codebooks they train for. */
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *key = yd_node(w, p->key);
        if (key->type == YAML_SCALAR_NODE && !strcmp((const char *)key->data.scalar.value, "carnet_vignettes")) {
            yd_err(w, key, _("this is a vignette file, not a codebook: check it with 'carnet train --check FILE'"));
            return;
        }
    }
    yd_iter it = yd_map(n);
    yaml_node_t *k, *v;
    const char *key;
    while ((key = yd_next(w, &it, &k, &v))) {
        if (!strcmp(key, "carnet_codebook"))
            yd_int(w, v, key, &cb->format);
        else if (!strcmp(key, "id")) {
            cb->id = yd_text(w, v, key);
            cb->id_pos = yd_pos(v);
        } else if (!strcmp(key, "title"))
            cb->title = yd_text(w, v, key);
        else if (!strcmp(key, "language"))
            cb->language = yd_text(w, v, key);
        else if (!strcmp(key, "version"))
            yd_int(w, v, key, &cb->version);
        else if (!strcmp(key, "description"))
            cb->description = yd_text(w, v, key);
        else if (!strcmp(key, "dimensions")) {
            if (!yd_expect(w, v, YAML_SEQUENCE_NODE, _("a list of dimensions")))
                continue;
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
                read_dimension(w, yd_node(w, *i), cb);
        } else
            yd_err(w, k, _("unknown key '%s' at top level: expected one of carnet_codebook, id, title, language, "
                        "version, description, dimensions"),
                key);
    }
    if (!cb->format && !w->errors)
        yd_err(w, n, _("missing field 'carnet_codebook': expected carnet_codebook: 1 (is this a carnet codebook?)"));
    if (!cb->id_pos.line)
        cb->id_pos = cb->pos;
}

size_t cbf_parse(const char *name, const char *text, size_t len, cb_codebook **out, diag_list *diags)
{
    return cbf_parse_keys(name, text, len, out, diags, NULL);
}

size_t cbf_parse_keys(const char *name, const char *text, size_t len, cb_codebook **out, diag_list *diags,
                      diag_list *notices)
{
    *out = NULL;
    yd_walker w = {.file = name, .diags = diags};
    yd_input in;
    yaml_node_t *root = yd_open(&w, &in, text, len,
                                _("empty file: expected a codebook (carnet_codebook: 1, id, title, language, "
                                  "version, dimensions)"));
    cb_codebook *cb = cb_new();
    if (root)
        read_root(&w, root, cb);
    yd_close(&w, &in, _("a second YAML document: expected one codebook per file"));
    if (!w.errors && notices)
        cb_propose_hotkeys(cb, name, notices);
    if (!w.errors)
        w.errors = cb_validate(cb, name, diags);
    if (w.errors) {
        cb_free(cb);
        return w.errors;
    }
    *out = cb;
    return 0;
}

bool cbf_slurp(const char *path, char **text, size_t *len, diag_list *diags)
{
    *text = NULL;
    *len = 0;
    char *too_big = xasprintf(_("file too large: a codebook is at most %u bytes"), CBF_MAX_BYTES);
    strbuf b;
    bool ok = yd_slurp(path, CBF_MAX_BYTES, too_big, &b, diags);
    free(too_big);
    if (!ok)
        return false;
    *len = b.len;
    *text = sb_take(&b);
    return true;
}

size_t cbf_read_file(const char *path, cb_codebook **out, diag_list *diags)
{
    return cbf_read_file_keys(path, out, diags, NULL);
}

size_t cbf_read_file_keys(const char *path, cb_codebook **out, diag_list *diags, diag_list *notices)
{
    *out = NULL;
    char *text;
    size_t len;
    if (!cbf_slurp(path, &text, &len, diags))
        return 1;
    size_t r = cbf_parse_keys(path, text, len, out, diags, notices);
    free(text);
    return r;
}

/* ---- writing ---------------------------------------------------------- */

static bool looks_typed(const char *s)
{
    static const char *words[] = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n", NULL};
    for (const char **w = words; *w; w++)
        if (!strcasecmp(s, *w))
            return true;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    /* Numbers as YAML 1.1 readers see them: digits, with at most a dot
     * and an exponent.  "e" or "." alone are text. */
    bool digit = false;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digit = true;
        else if (!strchr("._eE+-", *p))
            return false;
    }
    return digit;
}

/* Whether s can be written as a plain scalar and read back as the same text. */
static bool plain_ok(const char *s)
{
    if (!*s || looks_typed(s) || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]))
        return false;
    size_t n = strlen(s);
    if (s[n - 1] == ' ' || s[n - 1] == ':')
        return false;
    if (strstr(s, ": ") || strstr(s, " #"))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return false;
    return true;
}

static void put_quoted(strbuf *b, const char *s)
{
    sb_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            sb_add(b, "\\\"");
            break;
        case '\\':
            sb_add(b, "\\\\");
            break;
        case '\n':
            sb_add(b, "\\n");
            break;
        case '\t':
            sb_add(b, "\\t");
            break;
        case '\r':
            sb_add(b, "\\r");
            break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                sb_printf(b, "\\x%02X", *p);
            else
                sb_addc(b, (char)*p);
        }
    }
    sb_addc(b, '"');
}

/* A literal block keeps multi-line text readable; it needs printable lines
 * with no trailing spaces to read back exactly. */
static bool literal_ok(const char *s)
{
    if (!strchr(s, '\n') || s[0] == ' ' || s[0] == '\n')
        return false;
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 && *p != '\n')
            return false;
        if (*p == ' ' && (p[1] == '\n' || !p[1]))
            return false;
        if (*p == '\n' && p[1] == '\n' && (p[2] == '\n' || !p[2]))
            return false;
    }
    size_t n = strlen(s);
    return !(n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n');
}

static void put_scalar(strbuf *b, int indent, const char *s)
{
    if (literal_ok(s)) {
        size_t n = strlen(s);
        sb_add(b, s[n - 1] == '\n' ? "|\n" : "|-\n");
        const char *p = s;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len) {
                for (int i = 0; i < indent + 2; i++)
                    sb_addc(b, ' ');
                sb_addn(b, p, len);
            }
            sb_addc(b, '\n');
            if (!e)
                break;
            p = e + 1;
        }
        return;
    }
    if (plain_ok(s))
        sb_add(b, s);
    else
        put_quoted(b, s);
    sb_addc(b, '\n');
}

static void put_field(strbuf *b, int indent, const char *key, const char *val, bool first_in_item)
{
    if (!val)
        return;
    if (first_in_item) {
        for (int i = 0; i < indent - 2; i++)
            sb_addc(b, ' ');
        sb_add(b, "- ");
    } else {
        for (int i = 0; i < indent; i++)
            sb_addc(b, ' ');
    }
    sb_printf(b, "%s: ", key);
    put_scalar(b, indent, val);
}

static void put_bool(strbuf *b, int indent, const char *key, bool v)
{
    sb_printf(b, "%*s%s: %s\n", indent, "", key, v ? "true" : "false");
}

char *cbf_write(const cb_codebook *cb)
{
    strbuf b = {0};
    sb_printf(&b, "carnet_codebook: %d\n", cb->format ? cb->format : 1);
    put_field(&b, 0, "id", cb->id, false);
    put_field(&b, 0, "title", cb->title, false);
    put_field(&b, 0, "language", cb->language, false);
    sb_printf(&b, "version: %d\n", cb->version);
    put_field(&b, 0, "description", cb->description, false);
    sb_add(&b, "dimensions:\n");
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        put_field(&b, 4, "id", d->id ? d->id : "", true);
        put_field(&b, 4, "label", d->label, false);
        sb_printf(&b, "    mode: %s\n", cb_mode_name(d->mode));
        put_bool(&b, 4, "required", d->required);
        put_field(&b, 4, "description", d->description, false);
        if (d->retired)
            put_bool(&b, 4, "retired", true);
        put_field(&b, 4, "validate", d->validate, false);
        put_field(&b, 4, "validate_message", d->validate_message, false);
        put_field(&b, 4, "color", d->color, false);
        put_field(&b, 4, "guid", d->guid, false);
        if (d->ncodes)
            sb_add(&b, "    codes:\n");
        for (size_t j = 0; j < d->ncodes; j++) {
            const cb_code *c = &d->codes[j];
            put_field(&b, 8, "id", c->id ? c->id : "", true);
            if (c->key) {
                char k[2] = {c->key, 0};
                put_field(&b, 8, "key", k, false);
            }
            put_field(&b, 8, "label", c->label, false);
            put_field(&b, 8, "definition", c->definition, false);
            put_field(&b, 8, "when_to_use", c->when_to_use, false);
            put_field(&b, 8, "when_not_to_use", c->when_not_to_use, false);
            put_field(&b, 8, "example", c->example, false);
            if (c->other)
                put_bool(&b, 8, "other", true);
            put_field(&b, 8, "validate", c->validate, false);
            put_field(&b, 8, "validate_message", c->validate_message, false);
            put_field(&b, 8, "parent", c->parent, false);
            if (c->retired)
                put_bool(&b, 8, "retired", true);
            if (c->uncodable)
                put_bool(&b, 8, "codable", false);
            if (c->npatterns) {
                sb_add(&b, "        patterns:\n");
                for (size_t p = 0; p < c->npatterns; p++) {
                    sb_add(&b, "          - ");
                    /* Patterns are full of backslashes: single quotes keep
                     * them literal and readable. */
                    if (strchr(c->patterns[p], '\'') || strchr(c->patterns[p], '\n'))
                        put_quoted(&b, c->patterns[p]);
                    else
                        sb_printf(&b, "'%s'", c->patterns[p]);
                    sb_addc(&b, '\n');
                }
            }
            put_field(&b, 8, "color", c->color, false);
            put_field(&b, 8, "guid", c->guid, false);
        }
    }
    return sb_take(&b);
}
