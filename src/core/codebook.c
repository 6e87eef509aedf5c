/*
 * codebook.c — the codebook model: construction, copying, comparison and the
 * validation rules of doc/codebook-format.md.
 *
 * Validation is separate from parsing so that a codebook built by the editor
 * or read from the study database is held to the same rules as one read from
 * a file.  Patterns are compiled here (PCRE2 is pure computation, no I/O) so
 * that an invalid pattern is reported with PCRE2's own message and place.
 */
#include "core/codebook.h"
#include "core/cb_match.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

cb_codebook *cb_new(void)
{
    cb_codebook *cb = xcalloc(1, sizeof *cb);
    cb->format = 1;
    cb->version = 1;
    return cb;
}

static void code_free(cb_code *c)
{
    free(c->id);
    free(c->label);
    free(c->definition);
    free(c->when_to_use);
    free(c->when_not_to_use);
    free(c->example);
    free(c->validate);
    free(c->validate_message);
    free(c->parent);
    for (size_t i = 0; i < c->npatterns; i++)
        free(c->patterns[i]);
    free(c->patterns);
    free(c->pattern_pos);
    free(c->color);
    free(c->guid);
}

static void dim_free(cb_dimension *d)
{
    free(d->id);
    free(d->label);
    free(d->description);
    free(d->validate);
    free(d->validate_message);
    free(d->color);
    free(d->guid);
    for (size_t i = 0; i < d->ncodes; i++)
        code_free(&d->codes[i]);
    free(d->codes);
}

void cb_free(cb_codebook *cb)
{
    if (!cb)
        return;
    free(cb->id);
    free(cb->title);
    free(cb->language);
    free(cb->description);
    for (size_t i = 0; i < cb->ndims; i++)
        dim_free(&cb->dims[i]);
    free(cb->dims);
    free(cb);
}

cb_dimension *cb_add_dimension(cb_codebook *cb)
{
    cb->dims = xrealloc(cb->dims, (cb->ndims + 1) * sizeof *cb->dims);
    cb_dimension *d = &cb->dims[cb->ndims++];
    memset(d, 0, sizeof *d);
    return d;
}

cb_code *cb_add_code(cb_dimension *d)
{
    d->codes = xrealloc(d->codes, (d->ncodes + 1) * sizeof *d->codes);
    cb_code *c = &d->codes[d->ncodes++];
    memset(c, 0, sizeof *c);
    return c;
}

cb_dimension *cb_insert_dimension(cb_codebook *cb, size_t pos)
{
    cb_add_dimension(cb);
    if (pos > cb->ndims - 1)
        pos = cb->ndims - 1;
    cb_dimension fresh = cb->dims[cb->ndims - 1];
    memmove(&cb->dims[pos + 1], &cb->dims[pos], (cb->ndims - 1 - pos) * sizeof *cb->dims);
    cb->dims[pos] = fresh;
    return &cb->dims[pos];
}

cb_code *cb_insert_code(cb_dimension *d, size_t pos)
{
    cb_add_code(d);
    if (pos > d->ncodes - 1)
        pos = d->ncodes - 1;
    cb_code fresh = d->codes[d->ncodes - 1];
    memmove(&d->codes[pos + 1], &d->codes[pos], (d->ncodes - 1 - pos) * sizeof *d->codes);
    d->codes[pos] = fresh;
    return &d->codes[pos];
}

void cb_remove_dimension(cb_codebook *cb, size_t i)
{
    if (i >= cb->ndims)
        return;
    dim_free(&cb->dims[i]);
    memmove(&cb->dims[i], &cb->dims[i + 1], (cb->ndims - i - 1) * sizeof *cb->dims);
    cb->ndims--;
}

void cb_remove_code(cb_dimension *d, size_t i)
{
    if (i >= d->ncodes)
        return;
    code_free(&d->codes[i]);
    memmove(&d->codes[i], &d->codes[i + 1], (d->ncodes - i - 1) * sizeof *d->codes);
    d->ncodes--;
}

void cb_code_add_pattern(cb_code *c, const char *pattern, cb_pos pos)
{
    c->patterns = xrealloc(c->patterns, (c->npatterns + 1) * sizeof *c->patterns);
    c->pattern_pos = xrealloc(c->pattern_pos, (c->npatterns + 1) * sizeof *c->pattern_pos);
    c->patterns[c->npatterns] = xstrdup(pattern);
    c->pattern_pos[c->npatterns] = pos;
    c->npatterns++;
}

char *cb_join_patterns(const cb_code *c, char sep)
{
    if (!c->npatterns)
        return NULL;
    strbuf b = {0};
    for (size_t i = 0; i < c->npatterns; i++) {
        if (i)
            sb_addc(&b, sep);
        sb_add(&b, c->patterns[i]);
    }
    return sb_take(&b);
}

static void code_copy(cb_code *dst, const cb_code *src)
{
    *dst = *src;
    dst->id = xstrdup(src->id);
    dst->label = xstrdup(src->label);
    dst->definition = xstrdup(src->definition);
    dst->when_to_use = xstrdup(src->when_to_use);
    dst->when_not_to_use = xstrdup(src->when_not_to_use);
    dst->example = xstrdup(src->example);
    dst->validate = xstrdup(src->validate);
    dst->validate_message = xstrdup(src->validate_message);
    dst->parent = xstrdup(src->parent);
    dst->color = xstrdup(src->color);
    dst->guid = xstrdup(src->guid);
    dst->patterns = NULL;
    dst->pattern_pos = NULL;
    dst->npatterns = 0;
    for (size_t i = 0; i < src->npatterns; i++)
        cb_code_add_pattern(dst, src->patterns[i], src->pattern_pos ? src->pattern_pos[i] : (cb_pos){0, 0});
}

cb_codebook *cb_clone(const cb_codebook *src)
{
    cb_codebook *cb = cb_new();
    *cb = *src;
    cb->id = xstrdup(src->id);
    cb->title = xstrdup(src->title);
    cb->language = xstrdup(src->language);
    cb->description = xstrdup(src->description);
    cb->dims = NULL;
    cb->ndims = 0;
    for (size_t i = 0; i < src->ndims; i++) {
        const cb_dimension *sd = &src->dims[i];
        cb_dimension *d = cb_add_dimension(cb);
        *d = *sd;
        d->id = xstrdup(sd->id);
        d->label = xstrdup(sd->label);
        d->description = xstrdup(sd->description);
        d->validate = xstrdup(sd->validate);
        d->validate_message = xstrdup(sd->validate_message);
        d->color = xstrdup(sd->color);
        d->guid = xstrdup(sd->guid);
        d->codes = NULL;
        d->ncodes = 0;
        for (size_t j = 0; j < sd->ncodes; j++)
            code_copy(cb_add_code(d), &sd->codes[j]);
    }
    return cb;
}

const char *cb_mode_name(cb_mode m)
{
    switch (m) {
    case CB_MULTIPLE:
        return "multiple";
    case CB_TEXT:
        return "text";
    case CB_SINGLE:
        break;
    }
    return "single";
}

bool cb_mode_parse(const char *s, cb_mode *out)
{
    if (!strcmp(s, "single"))
        *out = CB_SINGLE;
    else if (!strcmp(s, "multiple"))
        *out = CB_MULTIPLE;
    else if (!strcmp(s, "text"))
        *out = CB_TEXT;
    else
        return false;
    return true;
}

bool cb_valid_id(const char *s)
{
    if (!s || !(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(islower(c) || isdigit(c) || c == '_' || c == '.' || c == '-'))
            return false;
    }
    return strlen(s) <= 64;
}

const cb_dimension *cb_find_dimension(const cb_codebook *cb, const char *id)
{
    for (size_t i = 0; i < cb->ndims; i++)
        if (cb->dims[i].id && !strcmp(cb->dims[i].id, id))
            return &cb->dims[i];
    return NULL;
}

const cb_code *cb_find_code(const cb_dimension *d, const char *id)
{
    for (size_t i = 0; i < d->ncodes; i++)
        if (d->codes[i].id && !strcmp(d->codes[i].id, id))
            return &d->codes[i];
    return NULL;
}

bool cb_code_active(const cb_code *c)
{
    return !c->retired && !c->uncodable;
}

const cb_code *cb_code_by_key(const cb_dimension *d, int key)
{
    if (key <= 0 || key > 127)
        return NULL;
    for (size_t i = 0; i < d->ncodes; i++)
        if (cb_code_active(&d->codes[i]) && d->codes[i].key && tolower(d->codes[i].key) == tolower(key))
            return &d->codes[i];
    return NULL;
}

/* Whether key is free for self among the active codes of d. */
static bool key_free(const cb_dimension *d, const cb_code *self, int key)
{
    for (size_t i = 0; i < d->ncodes; i++) {
        const cb_code *o = &d->codes[i];
        if (o != self && cb_code_active(o) && o->key && tolower(o->key) == tolower(key))
            return false;
    }
    return true;
}

/* The ASCII letter or digit a code point is written with, accents removed
 * (Latin-1 and the French letters of Latin Extended-A), or 0. */
static int fold_ascii(uint32_t cp)
{
    if (cp < 128)
        return isalnum((int)cp) ? tolower((int)cp) : 0;
    /* U+00C0..U+00FF, in order; '.' for the signs that are not letters. */
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo.ouuuuyts"
                                 "aaaaaaaceeeeiiiidnooooo.ouuuuyty";
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0] == '.' ? 0 : latin1[cp - 0xC0];
    if (cp == 0x152 || cp == 0x153) /* Œ œ */
        return 'o';
    if (cp == 0x178) /* Ÿ */
        return 'y';
    return 0;
}

char *cb_slug(const char *label)
{
    strbuf b = {0};
    const char *p = label ? label : "";
    size_t n = strlen(p);
    bool dash = false;
    while (*p && b.len < 48) {
        uint32_t cp;
        size_t len = u8_decode(p, n, &cp);
        int k = fold_ascii(cp);
        if (cp == 0xC6 || cp == 0xE6 || cp == 0x152 || cp == 0x153) { /* Æ æ Œ œ: two letters */
            if (dash && b.len)
                sb_addc(&b, '-');
            sb_add(&b, cp == 0xC6 || cp == 0xE6 ? "ae" : "oe");
            dash = false;
        } else if (k) {
            if (dash && b.len)
                sb_addc(&b, '-');
            sb_addc(&b, (char)k);
            dash = false;
        } else {
            dash = true;
        }
        p += len;
        n -= len;
    }
    if (!b.len)
        sb_add(&b, "code");
    return sb_take(&b);
}

char cb_propose_key(const cb_dimension *d, const cb_code *self, const char *label)
{
    const char *p = label ? label : "";
    size_t n = strlen(p);
    while (*p) {
        uint32_t cp;
        size_t len = u8_decode(p, n, &cp);
        int k = fold_ascii(cp);
        if (k && key_free(d, self, k))
            return (char)k;
        p += len;
        n -= len;
    }
    for (const char *k = "1234567890abcdefghijklmnopqrstuvwxyz"; *k; k++)
        if (key_free(d, self, *k))
            return *k;
    return 0;
}

size_t cb_propose_hotkeys(cb_codebook *cb, const char *file, diag_list *notices)
{
    size_t given = 0;
    for (size_t i = 0; i < cb->ndims; i++) {
        cb_dimension *d = &cb->dims[i];
        for (size_t j = 0; j < d->ncodes; j++) {
            cb_code *c = &d->codes[j];
            if (c->key || !cb_code_active(c))
                continue;
            c->key = cb_propose_key(d, c, c->label);
            if (!c->key)
                continue;
            given++;
            if (notices)
                diag_add(notices, file, c->pos.line, c->pos.col, _("hotkey '%c' proposed for code '%s' (%s) in dimension '%s'"),
                     c->key, c->id ? c->id : "?", c->label ? c->label : "", d->id ? d->id : "?");
        }
    }
    return given;
}

bool cb_valid_guid(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    bool braces = n == 38 && s[0] == '{' && s[37] == '}';
    if (braces)
        s++;
    else if (n != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* Reports a color that is not #rrggbb. */
static void check_color(const char *color, cb_pos pos, const char *what, const char *id, const char *file,
                        diag_list *out)
{
    bool ok = strlen(color) == 7 && color[0] == '#';
    for (int i = 1; ok && i < 7; i++)
        ok = isxdigit((unsigned char)color[i]);
    if (!ok)
        diag_add(out, file, pos.line, pos.col, _("invalid color '%s' for %s '%s': expected #rrggbb"), color, what,
                 id ? id : "?");
}

/* Reports a guid that is not a REFI-QDA GUID. */
static void check_guid(const char *guid, cb_pos pos, const char *what, const char *id, const char *file,
                       diag_list *out)
{
    if (!cb_valid_guid(guid))
        diag_add(out, file, pos.line, pos.col,
                 _("invalid guid '%s' for %s '%s': expected 8-4-4-4-12 hexadecimal digits"), guid, what,
                 id ? id : "?");
}

/* Reports an empty required text field of code c. */
static void require_field(const char *value, const char *name, const cb_code *c, const char *what, const char *file,
                          diag_list *out)
{
    if (str_empty(value))
        diag_add(out, file, c->pos.line, c->pos.col, _("missing field '%s' in code '%s': expected %s"), name,
                 c->id ? c->id : "?", what);
}

static void validate_code(const cb_codebook *cb, const cb_dimension *d, size_t ci, const char *file,
                          diag_list *out)
{
    const cb_code *c = &d->codes[ci];
    const char *cid = c->id ? c->id : "?";
    if (str_empty(c->id))
        diag_add(out, file, c->pos.line, c->pos.col, _("missing field 'id': expected the code's identifier"));
    else if (!cb_valid_id(c->id))
        diag_add(out, file, c->id_pos.line, c->id_pos.col,
                 _("invalid code id '%s': expected lowercase letters, digits, '_', '.' or '-'"), c->id);
    require_field(c->label, "label", c, _("a short label"), file, out);
    require_field(c->definition, "definition", c, _("what the code means"), file, out);
    require_field(c->when_to_use, "when_to_use", c, _("the situations the code covers"), file, out);
    require_field(c->when_not_to_use, "when_not_to_use", c, _("the neighbouring situations that take another code"),
                  file, out);
    require_field(c->example, "example", c, _("a typical case"), file, out);
    if (c->key) {
        if (!isalnum((unsigned char)c->key))
            diag_add(out, file, c->key_pos.line, c->key_pos.col,
                     _("invalid hotkey '%c' for code '%s': expected one letter or digit"), c->key, cid);
    } else if (cb_code_active(c)) {
        diag_add(out, file, c->pos.line, c->pos.col,
                 _("missing field 'key' in code '%s': expected one letter or digit"), cid);
    }
    /* Duplicates are reported on the later node, naming the earlier one. */
    for (size_t j = 0; j < ci; j++) {
        const cb_code *o = &d->codes[j];
        if (c->key && o->key && cb_code_active(c) && cb_code_active(o) && tolower(c->key) == tolower(o->key))
            diag_add(out, file, c->key_pos.line, c->key_pos.col,
                     _("duplicate hotkey '%c' in dimension '%s': already used by code '%s' at line %d"), c->key,
                     d->id ? d->id : "?", o->id ? o->id : "?", o->key_pos.line);
    }
    if (c->id) {
        bool dup = false;
        for (size_t di = 0; di < cb->ndims && !dup; di++) {
            const cb_dimension *od = &cb->dims[di];
            for (size_t j = 0; j < od->ncodes; j++) {
                const cb_code *o = &od->codes[j];
                if (o == c)
                    goto done; /* only earlier codes count */
                if (o->id && !strcmp(o->id, c->id)) {
                    diag_add(out, file, c->id_pos.line, c->id_pos.col,
                             _("duplicate code id '%s': already used at line %d"), c->id, o->id_pos.line);
                    dup = true;
                    break;
                }
            }
        }
    done:;
    }
    if (c->parent) {
        const cb_code *p = cb_find_code(d, c->parent);
        if (!p)
            diag_add(out, file, c->parent_pos.line, c->parent_pos.col,
                     _("unknown parent '%s' for code '%s': expected the id of a code of dimension '%s'"), c->parent,
                     cid, d->id ? d->id : "?");
        else if (p == c)
            diag_add(out, file, c->parent_pos.line, c->parent_pos.col, _("code '%s' cannot be its own parent"),
                     cid);
        else {
            /* A cycle would make the hierarchy infinite. */
            const cb_code *q = p;
            for (size_t hops = 0; q && q->parent && hops <= d->ncodes; hops++) {
                q = cb_find_code(d, q->parent);
                if (q == c) {
                    diag_add(out, file, c->parent_pos.line, c->parent_pos.col,
                             _("parent cycle: code '%s' is its own ancestor"), cid);
                    break;
                }
            }
        }
    }
    if (c->validate && !c->other)
        diag_add(out, file, c->validate_pos.line, c->validate_pos.col,
                 _("'validate' on code '%s' needs 'other: true': only free text is validated"), cid);
    if (c->validate)
        cb_pattern_check(c->validate, c->validate_pos, file, out);
    for (size_t i = 0; i < c->npatterns; i++)
        cb_pattern_check(c->patterns[i], c->pattern_pos ? c->pattern_pos[i] : c->pos, file, out);
    if (c->color)
        check_color(c->color, c->color_pos.line ? c->color_pos : c->pos, _("code"), cid, file, out);
    if (c->guid)
        check_guid(c->guid, c->guid_pos.line ? c->guid_pos : c->pos, _("code"), cid, file, out);
    if (c->other && c->uncodable)
        diag_add(out, file, c->pos.line, c->pos.col,
                 _("code '%s' is 'other: true' and 'codable: false': a code that cannot be chosen asks for no text"),
                 cid);
}

/* The first control character of s (C0, DEL, C1; in multi-line text, a
 * newline or tab is allowed), or 0.  Codebooks are shared files: a label
 * holding ESC or CSI would be a command to every terminal that shows it. */
static uint32_t control_in(const char *s, bool multiline)
{
    size_t n = s ? strlen(s) : 0;
    while (n) {
        uint32_t cp;
        size_t k = u8_decode(s, n, &cp);
        bool allowed = multiline && (cp == '\n' || cp == '\t');
        /* U+FFFE and U+FFFF are no characters, and YAML refuses them as it
         * refuses controls: a codebook holding one could not be read back. */
        if (!allowed && (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF))
            return cp;
        s += k;
        n -= k;
    }
    return 0;
}

static void check_chars(const char *value, const char *field, const char *owner, cb_pos pos, bool multiline,
                        const char *file, diag_list *out)
{
    uint32_t cp = control_in(value, multiline);
    if (!cp)
        return;
    if (multiline)
        diag_add(out, file, pos.line, pos.col,
                 _("control character U+%04X in '%s' of %s: expected text (line breaks and tabs are allowed)"),
                 (unsigned)cp, field, owner);
    else
        diag_add(out, file, pos.line, pos.col,
                 _("control character U+%04X in '%s' of %s: expected text on one line"), (unsigned)cp, field, owner);
}

/* Every text field of the codebook is checked for control characters. */
static void validate_chars(const cb_codebook *cb, const char *file, diag_list *out)
{
    char *owner = xasprintf(_("codebook '%s'"), cb->id ? cb->id : "?");
    check_chars(cb->title, "title", owner, cb->pos, false, file, out);
    check_chars(cb->language, "language", owner, cb->pos, false, file, out);
    check_chars(cb->description, "description", owner, cb->pos, true, file, out);
    free(owner);
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        owner = xasprintf(_("dimension '%s'"), d->id ? d->id : "?");
        check_chars(d->label, "label", owner, d->pos, false, file, out);
        check_chars(d->description, "description", owner, d->pos, true, file, out);
        check_chars(d->validate_message, "validate_message", owner, d->pos, false, file, out);
        /* A pattern holding a raw control character (a REFI-QDA file can
         * carry one; YAML cannot) could not be written back as the study's
         * copy of the codebook: a pattern says \x7f instead. */
        check_chars(d->validate, "validate", owner, d->pos, false, file, out);
        free(owner);
        for (size_t j = 0; j < d->ncodes; j++) {
            const cb_code *c = &d->codes[j];
            owner = xasprintf(_("code '%s'"), c->id ? c->id : "?");
            const char *single[][2] = {{"label", c->label}, {"validate_message", c->validate_message},
                                       {"color", c->color}, {"guid", c->guid}};
            const char *multi[][2] = {{"definition", c->definition}, {"when_to_use", c->when_to_use},
                                      {"when_not_to_use", c->when_not_to_use}, {"example", c->example}};
            for (size_t k = 0; k < 4; k++)
                check_chars(single[k][1], single[k][0], owner, c->pos, false, file, out);
            for (size_t k = 0; k < 4; k++)
                check_chars(multi[k][1], multi[k][0], owner, c->pos, true, file, out);
            check_chars(c->validate, "validate", owner, c->pos, false, file, out);
            for (size_t k = 0; k < c->npatterns; k++)
                check_chars(c->patterns[k], "patterns", owner, c->pos, false, file, out);
            free(owner);
        }
    }
}

size_t cb_validate(const cb_codebook *cb, const char *file, diag_list *out)
{
    size_t before = out->n;
    validate_chars(cb, file, out);
    if (cb->format != 1)
        diag_add(out, file, cb->pos.line, cb->pos.col, _("unsupported format version %d: expected carnet_codebook: 1"),
                 cb->format);
    if (str_empty(cb->id))
        diag_add(out, file, cb->pos.line, cb->pos.col, _("missing field 'id': expected the codebook's identifier"));
    else if (!cb_valid_id(cb->id))
        diag_add(out, file, cb->id_pos.line, cb->id_pos.col,
                 _("invalid codebook id '%s': expected lowercase letters, digits, '_', '.' or '-'"), cb->id);
    if (str_empty(cb->title))
        diag_add(out, file, cb->pos.line, cb->pos.col, _("missing field 'title': expected the codebook's title"));
    if (str_empty(cb->language))
        diag_add(out, file, cb->pos.line, cb->pos.col, _("missing field 'language': expected a language tag such as fr"));
    if (cb->version < 1)
        diag_add(out, file, cb->pos.line, cb->pos.col, _("invalid version %d: expected a positive integer"),
                 cb->version);
    if (cb->ndims == 0)
        diag_add(out, file, cb->pos.line, cb->pos.col, _("missing field 'dimensions': expected at least one dimension"));
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        if (str_empty(d->id))
            diag_add(out, file, d->pos.line, d->pos.col, _("missing field 'id': expected the dimension's identifier"));
        else if (!cb_valid_id(d->id))
            diag_add(out, file, d->id_pos.line, d->id_pos.col,
                     _("invalid dimension id '%s': expected lowercase letters, digits, '_', '.' or '-'"), d->id);
        else
            for (size_t j = 0; j < i; j++)
                if (cb->dims[j].id && !strcmp(cb->dims[j].id, d->id))
                    diag_add(out, file, d->id_pos.line, d->id_pos.col,
                             _("duplicate dimension id '%s': already used at line %d"), d->id,
                             cb->dims[j].id_pos.line);
        if (str_empty(d->label))
            diag_add(out, file, d->pos.line, d->pos.col, _("missing field 'label': expected the dimension's label"));
        if (d->mode == CB_TEXT) {
            if (d->ncodes)
                diag_add(out, file, d->pos.line, d->pos.col, _("dimension '%s' is of mode text and takes no codes"),
                         d->id ? d->id : "?");
            if (d->validate)
                cb_pattern_check(d->validate, d->validate_pos, file, out);
        } else {
            if (d->ncodes == 0)
                diag_add(out, file, d->pos.line, d->pos.col,
                         _("missing field 'codes' in dimension '%s': expected at least one code"), d->id ? d->id : "?");
            if (d->validate)
                diag_add(out, file, d->validate_pos.line, d->validate_pos.col,
                         _("'validate' on dimension '%s' needs 'mode: text'"), d->id ? d->id : "?");
        }
        if (d->color)
            check_color(d->color, d->color_pos.line ? d->color_pos : d->pos, _("dimension"), d->id, file, out);
        if (d->guid)
            check_guid(d->guid, d->guid_pos.line ? d->guid_pos : d->pos, _("dimension"), d->id, file, out);
        for (size_t j = 0; j < d->ncodes; j++)
            validate_code(cb, d, j, file, out);
    }
    return out->n - before;
}

static bool code_equal(const cb_code *a, const cb_code *b)
{
    if (!str_eq0(a->id, b->id) || a->key != b->key || !str_eq0(a->label, b->label) ||
        !str_eq0(a->definition, b->definition) || !str_eq0(a->when_to_use, b->when_to_use) ||
        !str_eq0(a->when_not_to_use, b->when_not_to_use) || !str_eq0(a->example, b->example) ||
        a->other != b->other || !str_eq0(a->validate, b->validate) ||
        !str_eq0(a->validate_message, b->validate_message) || !str_eq0(a->parent, b->parent) ||
        a->retired != b->retired || a->uncodable != b->uncodable || !str_eq0(a->color, b->color) ||
        !str_eq0(a->guid, b->guid) ||
        a->npatterns != b->npatterns)
        return false;
    for (size_t i = 0; i < a->npatterns; i++)
        if (strcmp(a->patterns[i], b->patterns[i]))
            return false;
    return true;
}

bool cb_equal(const cb_codebook *a, const cb_codebook *b)
{
    if (a->format != b->format || !str_eq0(a->id, b->id) || !str_eq0(a->title, b->title) ||
        !str_eq0(a->language, b->language) || a->version != b->version ||
        !str_eq0(a->description, b->description) || a->ndims != b->ndims)
        return false;
    for (size_t i = 0; i < a->ndims; i++) {
        const cb_dimension *x = &a->dims[i], *y = &b->dims[i];
        if (!str_eq0(x->id, y->id) || !str_eq0(x->label, y->label) || !str_eq0(x->description, y->description) ||
            x->mode != y->mode || x->required != y->required || x->retired != y->retired ||
            !str_eq0(x->validate, y->validate) || !str_eq0(x->validate_message, y->validate_message) ||
            !str_eq0(x->color, y->color) || !str_eq0(x->guid, y->guid) || x->ncodes != y->ncodes)
            return false;
        for (size_t j = 0; j < x->ncodes; j++)
            if (!code_equal(&x->codes[j], &y->codes[j]))
                return false;
    }
    return true;
}
