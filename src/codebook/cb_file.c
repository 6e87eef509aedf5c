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

#include "core/i18n.h"
#include "core/util.h"

typedef struct walker {
    yaml_document_t *doc;
    const char *file;
    diag_list *diags;
    size_t errors;
} walker;

static cb_pos pos_of(const yaml_node_t *n)
{
    return (cb_pos){(int)n->start_mark.line + 1, (int)n->start_mark.column + 1};
}

static void err(walker *w, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(walker *w, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    cb_pos p = n ? pos_of(n) : (cb_pos){1, 1};
    diag_add(w->diags, w->file, p.line, p.col, "%s", msg);
    free(msg);
    w->errors++;
}

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return _("a scalar");
    case YAML_SEQUENCE_NODE:
        return _("a list");
    case YAML_MAPPING_NODE:
        return _("a mapping");
    default:
        return _("nothing");
    }
}

/* The scalar's text as a new string, or NULL after reporting an error. */
static char *scalar(walker *w, const yaml_node_t *n, const char *key)
{
    if (n->type != YAML_SCALAR_NODE) {
        err(w, n, _("'%s' must be text, found %s"), key, kind_name(n));
        return NULL;
    }
    return xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
}

/* Plain empty scalars (key with no value) read as NULL rather than "". */
static char *text_field(walker *w, const yaml_node_t *n, const char *key)
{
    char *s = scalar(w, n, key);
    if (s && !*s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        free(s);
        return NULL;
    }
    return s;
}

static bool bool_field(walker *w, const yaml_node_t *n, const char *key, bool *out)
{
    char *s = scalar(w, n, key);
    if (!s)
        return false;
    bool ok = true;
    if (!strcmp(s, "true"))
        *out = true;
    else if (!strcmp(s, "false"))
        *out = false;
    else {
        err(w, n, _("'%s' must be true or false, found '%s'"), key, s);
        ok = false;
    }
    free(s);
    return ok;
}

static bool int_field(walker *w, const yaml_node_t *n, const char *key, int *out)
{
    char *s = scalar(w, n, key);
    if (!s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    bool ok = *s && !*end && !errno && v >= 0 && v <= 1000000;
    if (ok)
        *out = (int)v;
    else
        err(w, n, _("'%s' must be a whole number, found '%s'"), key, s);
    free(s);
    return ok;
}

/*
 * Iterates over a mapping's pairs, refusing duplicate keys and keys that are
 * not scalars.  Returns the key (borrowed from the document) or NULL at end.
 */
typedef struct map_iter {
    yaml_node_pair_t *p, *end;
    yaml_node_t *map;
} map_iter;

static map_iter map_begin(yaml_node_t *map)
{
    return (map_iter){map->data.mapping.pairs.start, map->data.mapping.pairs.top, map};
}

static const char *map_next(walker *w, map_iter *it, yaml_node_t **key, yaml_node_t **val)
{
    while (it->p < it->end) {
        yaml_node_pair_t *pair = it->p++;
        *key = yaml_document_get_node(w->doc, pair->key);
        *val = yaml_document_get_node(w->doc, pair->value);
        if ((*key)->type != YAML_SCALAR_NODE) {
            err(w, *key, _("a key must be text, found %s"), kind_name(*key));
            continue;
        }
        const char *k = (const char *)(*key)->data.scalar.value;
        bool dup = false;
        for (yaml_node_pair_t *q = it->map->data.mapping.pairs.start; q < pair; q++) {
            yaml_node_t *qk = yaml_document_get_node(w->doc, q->key);
            if (qk->type == YAML_SCALAR_NODE && !strcmp((const char *)qk->data.scalar.value, k)) {
                err(w, *key, _("duplicate key '%s' (first given at line %d)"), k, (int)qk->start_mark.line + 1);
                dup = true;
                break;
            }
        }
        if (!dup)
            return k;
    }
    return NULL;
}

static bool expect(walker *w, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    if (n->type == type)
        return true;
    err(w, n, _("expected %s, found %s"), what, kind_name(n));
    return false;
}

static void read_code(walker *w, yaml_node_t *n, cb_dimension *d)
{
    if (!expect(w, n, YAML_MAPPING_NODE, _("a code (a mapping with id, key, label, definition...)")))
        return;
    cb_code *c = cb_add_code(d);
    c->pos = pos_of(n);
    map_iter it = map_begin(n);
    yaml_node_t *k, *v;
    const char *key;
    while ((key = map_next(w, &it, &k, &v))) {
        if (!strcmp(key, "id")) {
            c->id = text_field(w, v, key);
            c->id_pos = pos_of(v);
        } else if (!strcmp(key, "key")) {
            char *s = scalar(w, v, key);
            c->key_pos = pos_of(v);
            if (s && strlen(s) == 1)
                c->key = s[0];
            else if (s)
                err(w, v, _("hotkey '%s' of code '%s': expected exactly one letter or digit"), s,
                    c->id ? c->id : "?");
            free(s);
        } else if (!strcmp(key, "label"))
            c->label = text_field(w, v, key);
        else if (!strcmp(key, "definition"))
            c->definition = text_field(w, v, key);
        else if (!strcmp(key, "when_to_use"))
            c->when_to_use = text_field(w, v, key);
        else if (!strcmp(key, "when_not_to_use"))
            c->when_not_to_use = text_field(w, v, key);
        else if (!strcmp(key, "example"))
            c->example = text_field(w, v, key);
        else if (!strcmp(key, "other"))
            bool_field(w, v, key, &c->other);
        else if (!strcmp(key, "validate")) {
            c->validate = text_field(w, v, key);
            c->validate_pos = pos_of(v);
        } else if (!strcmp(key, "validate_message"))
            c->validate_message = text_field(w, v, key);
        else if (!strcmp(key, "parent")) {
            c->parent = text_field(w, v, key);
            c->parent_pos = pos_of(v);
        } else if (!strcmp(key, "retired"))
            bool_field(w, v, key, &c->retired);
        else if (!strcmp(key, "codable")) {
            bool codable = true;
            bool_field(w, v, key, &codable);
            c->uncodable = !codable;
        } else if (!strcmp(key, "color")) {
            c->color = text_field(w, v, key);
            c->color_pos = pos_of(v);
        } else if (!strcmp(key, "guid")) {
            c->guid = text_field(w, v, key);
            c->guid_pos = pos_of(v);
        } else if (!strcmp(key, "patterns")) {
            if (!expect(w, v, YAML_SEQUENCE_NODE, _("a list of patterns")))
                continue;
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
                yaml_node_t *pn = yaml_document_get_node(w->doc, *i);
                char *s = scalar(w, pn, "patterns");
                if (s)
                    cb_code_add_pattern(c, s, pos_of(pn));
                free(s);
            }
        } else
            err(w, k, _("unknown key '%s' in code: expected one of id, key, label, definition, when_to_use, "
                        "when_not_to_use, example, other, validate, validate_message, parent, retired, codable, "
                        "patterns, color, guid"),
                key);
    }
    if (!c->id_pos.line)
        c->id_pos = c->pos;
    if (!c->key_pos.line)
        c->key_pos = c->pos;
}

static void read_dimension(walker *w, yaml_node_t *n, cb_codebook *cb)
{
    if (!expect(w, n, YAML_MAPPING_NODE, _("a dimension (a mapping with id, label, mode, codes)")))
        return;
    cb_dimension *d = cb_add_dimension(cb);
    d->pos = pos_of(n);
    map_iter it = map_begin(n);
    yaml_node_t *k, *v;
    const char *key;
    while ((key = map_next(w, &it, &k, &v))) {
        if (!strcmp(key, "id")) {
            d->id = text_field(w, v, key);
            d->id_pos = pos_of(v);
        } else if (!strcmp(key, "label"))
            d->label = text_field(w, v, key);
        else if (!strcmp(key, "description"))
            d->description = text_field(w, v, key);
        else if (!strcmp(key, "mode")) {
            char *s = scalar(w, v, key);
            if (s && !cb_mode_parse(s, &d->mode))
                err(w, v, _("unknown mode '%s': expected single, multiple or text"), s);
            free(s);
        } else if (!strcmp(key, "required"))
            bool_field(w, v, key, &d->required);
        else if (!strcmp(key, "retired"))
            bool_field(w, v, key, &d->retired);
        else if (!strcmp(key, "validate")) {
            d->validate = text_field(w, v, key);
            d->validate_pos = pos_of(v);
        } else if (!strcmp(key, "validate_message"))
            d->validate_message = text_field(w, v, key);
        else if (!strcmp(key, "color")) {
            d->color = text_field(w, v, key);
            d->color_pos = pos_of(v);
        } else if (!strcmp(key, "guid")) {
            d->guid = text_field(w, v, key);
            d->guid_pos = pos_of(v);
        } else if (!strcmp(key, "codes")) {
            if (!expect(w, v, YAML_SEQUENCE_NODE, _("a list of codes")))
                continue;
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
                read_code(w, yaml_document_get_node(w->doc, *i), d);
        } else
            err(w, k, _("unknown key '%s' in dimension: expected one of id, label, description, mode, required, "
                        "retired, validate, validate_message, color, guid, codes"),
                key);
    }
    if (!d->id_pos.line)
        d->id_pos = d->pos;
}

static void read_root(walker *w, yaml_node_t *n, cb_codebook *cb)
{
    cb->pos = pos_of(n);
    cb->format = 0;
    cb->version = 0;
    if (!expect(w, n, YAML_MAPPING_NODE, _("a codebook (a mapping with carnet_codebook, id, title, dimensions...)")))
        return;
    map_iter it = map_begin(n);
    yaml_node_t *k, *v;
    const char *key;
    while ((key = map_next(w, &it, &k, &v))) {
        if (!strcmp(key, "carnet_codebook"))
            int_field(w, v, key, &cb->format);
        else if (!strcmp(key, "id")) {
            cb->id = text_field(w, v, key);
            cb->id_pos = pos_of(v);
        } else if (!strcmp(key, "title"))
            cb->title = text_field(w, v, key);
        else if (!strcmp(key, "language"))
            cb->language = text_field(w, v, key);
        else if (!strcmp(key, "version"))
            int_field(w, v, key, &cb->version);
        else if (!strcmp(key, "description"))
            cb->description = text_field(w, v, key);
        else if (!strcmp(key, "dimensions")) {
            if (!expect(w, v, YAML_SEQUENCE_NODE, _("a list of dimensions")))
                continue;
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++)
                read_dimension(w, yaml_document_get_node(w->doc, *i), cb);
        } else
            err(w, k, _("unknown key '%s' at top level: expected one of carnet_codebook, id, title, language, "
                        "version, description, dimensions"),
                key);
    }
    if (!cb->format && !w->errors)
        err(w, n, _("missing field 'carnet_codebook': expected carnet_codebook: 1 (is this a carnet codebook?)"));
    if (!cb->id_pos.line)
        cb->id_pos = cb->pos;
}

/* Line and column (1-based, column in bytes) of byte offset off in text. */
static cb_pos offset_pos(const char *text, size_t len, size_t off)
{
    cb_pos p = {1, 1};
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            p.line++;
            p.col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            p.col++;
        }
    }
    return p;
}

/* The offset of the first byte that is not part of valid UTF-8, or len. */
static size_t first_bad_utf8(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!n || i + n > len || !utf8_valid(text + i, n))
            return i;
        i += n;
    }
    return len;
}

size_t cbf_parse(const char *name, const char *text, size_t len, cb_codebook **out, diag_list *diags)
{
    return cbf_parse_keys(name, text, len, out, diags, NULL);
}

size_t cbf_parse_keys(const char *name, const char *text, size_t len, cb_codebook **out, diag_list *diags,
                      diag_list *notices)
{
    *out = NULL;
    walker w = {.file = name, .diags = diags};
    size_t bad = first_bad_utf8(text, len);
    if (bad < len) {
        cb_pos p = offset_pos(text, len, bad);
        diag_add(diags, name, p.line, p.col, _("invalid UTF-8 (byte 0x%02X): expected UTF-8 text; re-save the file as UTF-8"),
                 (unsigned char)text[bad]);
        return 1;
    }
    size_t skip = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0; /* a BOM is harmless */
    bool blank = true;
    for (size_t i = skip; i < len && blank; i++) {
        if (text[i] == '#') /* comment: skip to end of line */
            while (i < len && text[i] != '\n')
                i++;
        else if (text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t')
            blank = false;
    }
    if (blank) {
        diag_add(diags, name, 1, 1, _("empty file: expected a codebook (carnet_codebook: 1, id, title, language, version, dimensions)"));
        return 1;
    }

    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text + skip, len - skip);
    if (!yaml_parser_load(&parser, &doc)) {
        size_t line = parser.problem_mark.line + 1, col = parser.problem_mark.column + 1;
        if (parser.error == YAML_READER_ERROR) {
            cb_pos p = offset_pos(text + skip, len - skip, parser.problem_offset);
            line = (size_t)p.line;
            col = (size_t)p.col;
        }
        if (parser.context)
            diag_add(diags, name, (int)line, (int)col, _("syntax error: %s (%s at line %d, column %d)"), parser.problem,
                     parser.context, (int)parser.context_mark.line + 1, (int)parser.context_mark.column + 1);
        else
            diag_add(diags, name, (int)line, (int)col, _("syntax error: %s"), parser.problem ? parser.problem : "?");
        yaml_parser_delete(&parser);
        return 1;
    }
    w.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    cb_codebook *cb = cb_new();
    if (!root)
        err(&w, NULL, _("empty file: expected a codebook"));
    else
        read_root(&w, root, cb);

    /* A second document is almost always a stray '---': say so. */
    yaml_document_t extra;
    if (!w.errors && yaml_parser_load(&parser, &extra)) {
        yaml_node_t *r2 = yaml_document_get_root_node(&extra);
        if (r2)
            err(&w, r2, _("a second YAML document: expected one codebook per file"));
        yaml_document_delete(&extra);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);

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
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(diags, path, 0, 0, _("cannot open: %s"), strerror(errno));
        return false;
    }
    strbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > CBF_MAX_BYTES) {
            diag_add(diags, path, 1, 1, _("file too large: a codebook is at most %u bytes"), CBF_MAX_BYTES);
            fclose(f);
            sb_free(&b);
            return false;
        }
        sb_addn(&b, chunk, n);
    }
    if (ferror(f)) {
        diag_add(diags, path, 0, 0, _("cannot read: %s"), strerror(errno));
        fclose(f);
        sb_free(&b);
        return false;
    }
    fclose(f);
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
