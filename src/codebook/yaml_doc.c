/*
 * yaml_doc.c — loading one YAML document with FILE:LINE:COL problems, and
 * the node helpers every reader of src/codebook/ walks its schema with
 * (yaml_doc.h).
 */
#include "codebook/yaml_doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

cb_pos yd_pos(const yaml_node_t *n)
{
    return (cb_pos){(int)n->start_mark.line + 1, (int)n->start_mark.column + 1};
}

void yd_err(yd_walker *w, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    cb_pos p = n ? yd_pos(n) : (cb_pos){1, 1};
    diag_add(w->diags, w->file, p.line, p.col, "%s", msg);
    free(msg);
    w->errors++;
}

const char *yd_kind(const yaml_node_t *n)
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
char *yd_scalar(yd_walker *w, const yaml_node_t *n, const char *key)
{
    if (n->type != YAML_SCALAR_NODE) {
        yd_err(w, n, _("'%s' must be text, found %s"), key, yd_kind(n));
        return NULL;
    }
    return xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
}

/* Plain empty scalars (key with no value) read as NULL rather than "". */
char *yd_text(yd_walker *w, const yaml_node_t *n, const char *key)
{
    char *s = yd_scalar(w, n, key);
    if (s && !*s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        free(s);
        return NULL;
    }
    return s;
}

bool yd_bool(yd_walker *w, const yaml_node_t *n, const char *key, bool *out)
{
    char *s = yd_scalar(w, n, key);
    if (!s)
        return false;
    bool ok = true;
    if (!strcmp(s, "true"))
        *out = true;
    else if (!strcmp(s, "false"))
        *out = false;
    else {
        yd_err(w, n, _("'%s' must be true or false, found '%s'"), key, s);
        ok = false;
    }
    free(s);
    return ok;
}

bool yd_int(yd_walker *w, const yaml_node_t *n, const char *key, int *out)
{
    char *s = yd_scalar(w, n, key);
    if (!s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    bool ok = *s && !*end && !errno && v >= 0 && v <= 1000000;
    if (ok)
        *out = (int)v;
    else
        yd_err(w, n, _("'%s' must be a whole number, found '%s'"), key, s);
    free(s);
    return ok;
}

yd_iter yd_map(yaml_node_t *map)
{
    return (yd_iter){map->data.mapping.pairs.start, map->data.mapping.pairs.top, map};
}

const char *yd_next(yd_walker *w, yd_iter *it, yaml_node_t **key, yaml_node_t **val)
{
    while (it->p < it->end) {
        yaml_node_pair_t *pair = it->p++;
        *key = yaml_document_get_node(w->doc, pair->key);
        *val = yaml_document_get_node(w->doc, pair->value);
        if ((*key)->type != YAML_SCALAR_NODE) {
            yd_err(w, *key, _("a key must be text, found %s"), yd_kind(*key));
            continue;
        }
        const char *k = (const char *)(*key)->data.scalar.value;
        bool dup = false;
        for (yaml_node_pair_t *q = it->map->data.mapping.pairs.start; q < pair; q++) {
            yaml_node_t *qk = yaml_document_get_node(w->doc, q->key);
            if (qk->type == YAML_SCALAR_NODE && !strcmp((const char *)qk->data.scalar.value, k)) {
                yd_err(w, *key, _("duplicate key '%s' (first given at line %d)"), k, (int)qk->start_mark.line + 1);
                dup = true;
                break;
            }
        }
        if (!dup)
            return k;
    }
    return NULL;
}

bool yd_expect(yd_walker *w, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    if (n->type == type)
        return true;
    yd_err(w, n, _("expected %s, found %s"), what, yd_kind(n));
    return false;
}

/* Line and column (1-based, column in characters) of byte offset off in
 * text. */
static cb_pos yd_offset_pos(const char *text, size_t len, size_t off)
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
/* The offset of the first byte that is not part of valid UTF-8, or len. */
static size_t yd_first_bad_utf8(const char *text, size_t len)
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

yaml_node_t *yd_node(yd_walker *w, int index)
{
    return yaml_document_get_node(w->doc, index);
}

yaml_node_t *yd_open(yd_walker *w, yd_input *in, const char *text, size_t len, const char *empty_msg)
{
    memset(in, 0, sizeof *in);
    size_t bad = yd_first_bad_utf8(text, len);
    if (bad < len) {
        cb_pos p = yd_offset_pos(text, len, bad);
        diag_add(w->diags, w->file, p.line, p.col,
                 _("invalid UTF-8 (byte 0x%02X): expected UTF-8 text; re-save the file as UTF-8"),
                 (unsigned char)text[bad]);
        w->errors++;
        return NULL;
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
        diag_add(w->diags, w->file, 1, 1, "%s", empty_msg);
        w->errors++;
        return NULL;
    }
    yaml_parser_initialize(&in->parser);
    yaml_parser_set_input_string(&in->parser, (const unsigned char *)text + skip, len - skip);
    in->parsing = true;
    if (!yaml_parser_load(&in->parser, &in->doc)) {
        yaml_parser_t *pr = &in->parser;
        size_t line = pr->problem_mark.line + 1, col = pr->problem_mark.column + 1;
        if (pr->error == YAML_READER_ERROR) {
            cb_pos p = yd_offset_pos(text + skip, len - skip, pr->problem_offset);
            line = (size_t)p.line;
            col = (size_t)p.col;
        }
        if (pr->context)
            diag_add(w->diags, w->file, (int)line, (int)col, _("syntax error: %s (%s at line %d, column %d)"),
                     pr->problem, pr->context, (int)pr->context_mark.line + 1, (int)pr->context_mark.column + 1);
        else
            diag_add(w->diags, w->file, (int)line, (int)col, _("syntax error: %s"), pr->problem ? pr->problem : "?");
        w->errors++;
        return NULL;
    }
    in->loaded = true;
    w->doc = &in->doc;
    yaml_node_t *root = yaml_document_get_root_node(&in->doc);
    if (!root)
        yd_err(w, NULL, "%s", empty_msg);
    return root;
}

void yd_close(yd_walker *w, yd_input *in, const char *second_msg)
{
    /* A second document is almost always a stray '---': say so. */
    yaml_document_t extra;
    if (in->loaded && !w->errors && yaml_parser_load(&in->parser, &extra)) {
        yaml_node_t *r2 = yaml_document_get_root_node(&extra);
        if (r2)
            yd_err(w, r2, "%s", second_msg);
        yaml_document_delete(&extra);
    }
    if (in->loaded)
        yaml_document_delete(&in->doc);
    if (in->parsing)
        yaml_parser_delete(&in->parser);
    in->loaded = in->parsing = false;
    w->doc = NULL;
}

bool yd_slurp(const char *path, size_t max, const char *too_big, strbuf *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(diags, path, 0, 0, _("cannot open: %s"), strerror(errno));
        return false;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > max) {
            diag_add(diags, path, 1, 1, "%s", too_big);
            fclose(f);
            sb_free(out);
            return false;
        }
        sb_addn(out, chunk, n);
    }
    if (ferror(f)) {
        diag_add(diags, path, 0, 0, _("cannot read: %s"), strerror(errno));
        fclose(f);
        sb_free(out);
        return false;
    }
    fclose(f);
    sb_add(out, ""); /* never NULL, even for an empty file */
    return true;
}
