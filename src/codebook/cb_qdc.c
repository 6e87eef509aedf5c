/*
 * cb_qdc.c — reading and writing REFI-QDA codebooks (see cb_qdc.h and the
 * mapping in doc/codebook-format.md).
 *
 * Reading builds a small tree of the file's Code elements first, then maps
 * it onto dimensions and codes, because which top-level codes are
 * dimensions depends on the whole file (their children, the Sets).  Writing
 * builds a libxml2 tree and serialises it, so that escaping is libxml2's.
 *
 * The Description layout: the definition, then one section per field, each
 * introduced by a line "## When to use" (or its French form) preceded by a
 * blank line, then a "## carnet" section of "key: value" lines.  A line of
 * a field that starts with "## " or "\" is written with a "\" in front, so
 * that field text can never be read as a section heading.
 */
#include "codebook/cb_qdc.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook/cb_file.h"
#include "core/cb_diff.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

#define MAX_DEPTH 64
#define GUID_MAX 40 /* a guid in braces is 38 characters */
#define MAX_CODES 20000

/* ---- name-based guids (RFC 9562 version 5) ---------------------------- */

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

static void sha1(const uint8_t *data, size_t len, uint8_t out[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64)
        sha1_block(h, data + i);
    uint8_t tail[128] = {0};
    size_t rest = len - full;
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    size_t tlen = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < tlen; i += 64)
        sha1_block(h, tail + i);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

/* carnet's namespace for name-based guids (a random v4 UUID, fixed forever). */
static const uint8_t carnet_ns[16] = {0x6b, 0x1f, 0x3c, 0x52, 0x8e, 0x0d, 0x4a, 0x97,
                                      0xb2, 0x41, 0x5c, 0x7e, 0x2a, 0x90, 0xd3, 0x18};

void cbq_guid_for(const char *codebook_id, const char *kind, const char *id, char out[UUID_STRLEN])
{
    char *name = id ? xasprintf("%s/%s/%s", codebook_id ? codebook_id : "", kind, id)
                    : xasprintf("%s/%s", codebook_id ? codebook_id : "", kind);
    size_t n = strlen(name);
    uint8_t *buf = xmalloc(16 + n);
    memcpy(buf, carnet_ns, 16);
    memcpy(buf + 16, name, n);
    uint8_t h[20];
    sha1(buf, 16 + n, h);
    free(buf);
    free(name);
    h[6] = (uint8_t)((h[6] & 0x0F) | 0x50);
    h[8] = (uint8_t)((h[8] & 0x3F) | 0x80);
    snprintf(out, UUID_STRLEN, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0], h[1],
             h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]);
}

/* ---- the Description layout ------------------------------------------- */

enum { SEC_WHEN, SEC_WHEN_NOT, SEC_EXAMPLE, SEC_CARNET, NSEC };

/* Section headings, English first; a file may use any of the sets. */
static const char *const headings[][NSEC] = {
    {"When to use", "When not to use", "Example", "carnet"},
    {"Quand l'utiliser", "Quand ne pas l'utiliser", "Exemple", "carnet"},
};
#define NLANGS (sizeof headings / sizeof headings[0])

static const char *const *headings_for(const char *language)
{
    if (language && (!strncmp(language, "fr", 2) && (!language[2] || language[2] == '-' || language[2] == '_')))
        return headings[1];
    return headings[0];
}

/* Appends text with the lines that could read as headings escaped. */
static void put_body(strbuf *b, const char *text)
{
    const char *p = text;
    while (*p) {
        if (!strncmp(p, "## ", 3) || *p == '\\')
            sb_addc(b, '\\');
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        sb_addn(b, p, n);
        p += n;
    }
}

/* text[0..n) with the escaping of put_body undone when unescape. */
static char *take_body(const char *text, size_t n, bool unescape)
{
    if (!unescape)
        return xstrndup(text, n);
    strbuf b = {0};
    sb_add(&b, "");
    size_t i = 0;
    while (i < n) {
        if (text[i] == '\\')
            i++;
        while (i < n && text[i] != '\n')
            sb_addc(&b, text[i++]);
        if (i < n)
            sb_addc(&b, text[i++]);
    }
    return sb_take(&b);
}

typedef struct sections {
    char *field[NSEC + 1]; /* definition, then one per section; NULL when absent */
} sections;

/* Which section heading the line at p is, or -1.  *len receives the
 * length of the heading line without its newline. */
static int heading_at(const char *p, size_t *len)
{
    if (strncmp(p, "## ", 3))
        return -1;
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    for (size_t l = 0; l < NLANGS; l++)
        for (int s = 0; s < NSEC; s++)
            if (n == 3 + strlen(headings[l][s]) && !strncmp(p + 3, headings[l][s], n - 3)) {
                *len = n;
                return s;
            }
    return -1;
}

/*
 * Splits a Description into its fields.  A heading counts at the start of
 * the text or after a blank line.  Escapes are undone only in a text
 * carnet wrote (one with a "## carnet" section): another tool's text is
 * taken as it is.
 */
static void split_description(const char *text, sections *out)
{
    memset(out, 0, sizeof *out);
    if (!text)
        return;
    size_t n = strlen(text);
    struct {
        int sec;
        size_t head, body;
    } marks[16];
    size_t nm = 0;
    bool carnet = false;
    for (size_t i = 0; i < n && nm < 16; i++) {
        if (i != 0 && !(i >= 2 && text[i - 1] == '\n' && text[i - 2] == '\n'))
            continue;
        size_t hl;
        int s = heading_at(text + i, &hl);
        if (s < 0)
            continue;
        marks[nm].sec = s;
        marks[nm].head = i;
        marks[nm].body = i + hl + (text[i + hl] == '\n');
        nm++;
        carnet |= s == SEC_CARNET;
        i += hl;
    }
    size_t def_end = nm ? (marks[0].head >= 2 ? marks[0].head - 2 : 0) : n;
    if (def_end > 0)
        out->field[0] = take_body(text, def_end, carnet);
    for (size_t m = 0; m < nm; m++) {
        size_t end = m + 1 < nm ? marks[m + 1].head - 2 : n;
        if (end < marks[m].body)
            end = marks[m].body;
        char **slot = &out->field[marks[m].sec + 1];
        if (*slot)
            continue; /* a repeated heading belongs to the text before it */
        *slot = take_body(text + marks[m].body, end - marks[m].body, carnet);
    }
}

static void sections_free(sections *s)
{
    for (int i = 0; i <= NSEC; i++)
        free(s->field[i]);
}

/* Appends "\n\n## heading\n" and the body, or only the body first. */
static void put_section(strbuf *b, const char *heading, const char *body)
{
    if (str_empty(body))
        return;
    if (b->len)
        sb_add(b, "\n\n");
    if (heading)
        sb_printf(b, "## %s\n", heading);
    put_body(b, body);
}

/* The value of key in a "## carnet" section, or NULL; nth picks among
 * repeated keys.  Returns a new string. */
static char *trailer_get(const char *trailer, const char *key, size_t nth)
{
    size_t kl = strlen(key);
    for (const char *p = trailer; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= kl + 2 && !strncmp(p, key, kl) && p[kl] == ':' && p[kl + 1] == ' ' && nth-- == 0)
            return xstrndup(p + kl + 2, n - kl - 2);
        if (n == kl + 1 && !strncmp(p, key, kl) && p[kl] == ':' && nth-- == 0)
            return xstrdup("");
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

static bool trailer_bool(const char *trailer, const char *key, bool dflt)
{
    char *v = trailer_get(trailer, key, 0);
    bool r = v ? !strcmp(v, "true") : dflt;
    free(v);
    return r;
}

/* ---- writing ---------------------------------------------------------- */

typedef struct writer {
    const cb_codebook *cb;
    const char *const *head;
    xmlNsPtr ns;
    diag_list *diags;
    bool failed;
} writer;

/* Refuses text XML 1.0 cannot hold. */
static void check_xml_text(writer *w, const char *s, const char *what, const char *id, const char *field)
{
    if (!s || w->failed)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
            diag_add(w->diags, NULL, 0, 0,
                     _("%s '%s': the %s holds a control character (0x%02X) that XML cannot carry; remove it"), what,
                     id ? id : "?", field, *p);
            w->failed = true;
            return;
        }
}

/* A "key: value" line of the carnet section; value must be one line. */
static void put_kv(writer *w, strbuf *b, const char *key, const char *value, const char *what, const char *id)
{
    if (!value)
        return;
    if (strchr(value, '\n') || strchr(value, '\r')) {
        if (!w->failed)
            diag_add(w->diags, NULL, 0, 0, _("%s '%s': the %s holds a line break, which the qdc format cannot carry"),
                     what, id ? id : "?", key);
        w->failed = true;
        return;
    }
    sb_printf(b, "%s: %s\n", key, value);
}

static xmlNodePtr new_code_el(writer *w, xmlNodePtr parent, const char *guid, const char *name, bool codable,
                              const char *color, const char *desc)
{
    xmlNodePtr el = xmlNewChild(parent, w->ns, BAD_CAST "Code", NULL);
    xmlNewProp(el, BAD_CAST "guid", BAD_CAST guid);
    xmlNewProp(el, BAD_CAST "name", BAD_CAST(name ? name : ""));
    xmlNewProp(el, BAD_CAST "isCodable", BAD_CAST(codable ? "true" : "false"));
    if (color)
        xmlNewProp(el, BAD_CAST "color", BAD_CAST color);
    if (!str_empty(desc))
        xmlNewTextChild(el, w->ns, BAD_CAST "Description", BAD_CAST desc);
    return el;
}

static void write_code(writer *w, xmlNodePtr parent, const cb_dimension *d, size_t ci, bool positions)
{
    const cb_code *c = &d->codes[ci];
    const char *what = _("code");
    check_xml_text(w, c->label, what, c->id, _("label"));
    check_xml_text(w, c->definition, what, c->id, cb_field_name("definition"));
    check_xml_text(w, c->when_to_use, what, c->id, cb_field_name("when_to_use"));
    check_xml_text(w, c->when_not_to_use, what, c->id, cb_field_name("when_not_to_use"));
    check_xml_text(w, c->example, what, c->id, cb_field_name("example"));
    strbuf b = {0};
    put_section(&b, NULL, c->definition);
    put_section(&b, w->head[SEC_WHEN], c->when_to_use);
    put_section(&b, w->head[SEC_WHEN_NOT], c->when_not_to_use);
    put_section(&b, w->head[SEC_EXAMPLE], c->example);
    if (b.len)
        sb_add(&b, "\n\n");
    sb_printf(&b, "## %s\n", w->head[SEC_CARNET]);
    put_kv(w, &b, "code", c->id, what, c->id);
    char key[2] = {c->key, 0};
    put_kv(w, &b, "key", c->key ? key : NULL, what, c->id);
    if (c->other)
        put_kv(w, &b, "other", "true", what, c->id);
    put_kv(w, &b, "validate", c->validate, what, c->id);
    put_kv(w, &b, "validate_message", c->validate_message, what, c->id);
    if (c->retired)
        put_kv(w, &b, "retired", "true", what, c->id);
    if (c->uncodable)
        put_kv(w, &b, "codable", "false", what, c->id);
    for (size_t i = 0; i < c->npatterns; i++)
        put_kv(w, &b, "pattern", c->patterns[i], what, c->id);
    if (positions) {
        char pos[24];
        snprintf(pos, sizeof pos, "%zu", ci + 1);
        put_kv(w, &b, "position", pos, what, c->id);
    }
    char guid[UUID_STRLEN];
    if (!c->guid)
        cbq_guid_for(w->cb->id, "code", c->id, guid);
    /* Other tools have no retired codes: not codable is the nearest. */
    xmlNodePtr el = new_code_el(w, parent, c->guid ? c->guid : guid, c->label, cb_code_active(c), c->color, b.s);
    sb_free(&b);
    for (size_t j = 0; j < d->ncodes; j++)
        if (j != ci && str_eq0(d->codes[j].parent, c->id))
            write_code(w, el, d, j, positions);
}

/* Whether the nesting of d's codes, read in document order, gives back
 * their order; if not, each code carries its position. */
static void preorder(const cb_dimension *d, const char *parent, size_t *order, size_t *n)
{
    for (size_t j = 0; j < d->ncodes; j++) {
        const char *p = d->codes[j].parent;
        bool top = parent ? str_eq0(p, parent) : (!p || !cb_find_code(d, p));
        if (top && *n < d->ncodes) {
            order[(*n)++] = j;
            preorder(d, d->codes[j].id, order, n);
        }
    }
}

static bool needs_positions(const cb_dimension *d)
{
    size_t *order = xcalloc(d->ncodes + 1, sizeof *order);
    size_t n = 0;
    preorder(d, NULL, order, &n);
    bool same = n == d->ncodes;
    for (size_t i = 0; same && i < n; i++)
        same = order[i] == i;
    free(order);
    return !same;
}

static void write_dimension(writer *w, xmlNodePtr codes, const cb_dimension *d, char guid[GUID_MAX])
{
    const char *what = _("dimension");
    check_xml_text(w, d->label, what, d->id, _("label"));
    check_xml_text(w, d->description, what, d->id, cb_field_name("description"));
    strbuf b = {0};
    put_section(&b, NULL, d->description);
    if (b.len)
        sb_add(&b, "\n\n");
    sb_printf(&b, "## %s\n", w->head[SEC_CARNET]);
    put_kv(w, &b, "dimension", d->id, what, d->id);
    put_kv(w, &b, "mode", cb_mode_name(d->mode), what, d->id);
    put_kv(w, &b, "required", d->required ? "true" : "false", what, d->id);
    if (d->retired)
        put_kv(w, &b, "retired", "true", what, d->id);
    put_kv(w, &b, "validate", d->validate, what, d->id);
    put_kv(w, &b, "validate_message", d->validate_message, what, d->id);
    if (d->guid)
        snprintf(guid, GUID_MAX, "%s", d->guid);
    else
        cbq_guid_for(w->cb->id, "dimension", d->id, guid);
    xmlNodePtr el = new_code_el(w, codes, guid, d->label, false, d->color, b.s);
    sb_free(&b);
    bool positions = needs_positions(d);
    for (size_t j = 0; j < d->ncodes; j++) {
        const char *p = d->codes[j].parent;
        if (!p || !cb_find_code(d, p))
            write_code(w, el, d, j, positions);
    }
}

/* One guid an export would write: the item's own, or the one derived. */
typedef struct guid_use {
    char guid[GUID_MAX];
    const char *kind, *id; /* "codebook", "dimension", "code" (N_) */
} guid_use;

static int by_use_guid(const void *a, const void *b)
{
    return strcmp(((const guid_use *)a)->guid, ((const guid_use *)b)->guid);
}

/*
 * Every guid an export of cb writes, given or derived, must be unique, or
 * the file would not read back: a guid given in a file can be the one
 * carnet derives for an item of its own (a dimension made for codes
 * outside any set).  Appends each clash to diags (file names it); returns
 * their number.
 */
size_t cbq_check_guids(const cb_codebook *cb, const char *file, diag_list *diags)
{
    size_t n = 1;
    for (size_t i = 0; i < cb->ndims; i++)
        n += 1 + cb->dims[i].ncodes;
    guid_use *u = xcalloc(n, sizeof *u);
    size_t k = 0;
    char g[UUID_STRLEN];
    cbq_guid_for(cb->id, "codebook", NULL, g);
    snprintf(u[k].guid, GUID_MAX, "%s", g);
    u[k].kind = N_("codebook");
    u[k++].id = cb->id;
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        cbq_guid_for(cb->id, "dimension", d->id, g);
        snprintf(u[k].guid, GUID_MAX, "%s", d->guid ? d->guid : g);
        u[k].kind = N_("dimension");
        u[k++].id = d->id;
        for (size_t j = 0; j < d->ncodes; j++) {
            cbq_guid_for(cb->id, "code", d->codes[j].id, g);
            snprintf(u[k].guid, GUID_MAX, "%s", d->codes[j].guid ? d->codes[j].guid : g);
            u[k].kind = N_("code");
            u[k++].id = d->codes[j].id;
        }
    }
    qsort(u, k, sizeof *u, by_use_guid);
    size_t bad = 0;
    for (size_t i = 1; i < k; i++)
        if (!strcmp(u[i].guid, u[i - 1].guid)) {
            diag_add(diags, file, 0, 0, _("guid %s would be written for %s '%s' and for %s '%s': give one of them "
                                          "another guid"),
                     u[i].guid, _(u[i - 1].kind), u[i - 1].id ? u[i - 1].id : "?", _(u[i].kind),
                     u[i].id ? u[i].id : "?");
            bad++;
        }
    free(u);
    return bad;
}

char *cbq_write(const cb_codebook *cb, const char *origin, diag_list *diags)
{
    if (cbq_check_guids(cb, NULL, diags))
        return NULL;
    writer w = {.cb = cb, .head = headings_for(cb->language), .diags = diags};
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "CodeBook");
    w.ns = xmlNewNs(root, BAD_CAST CBQ_NAMESPACE, NULL);
    xmlSetNs(root, w.ns);
    xmlDocSetRootElement(doc, root);
    if (origin)
        xmlNewProp(root, BAD_CAST "origin", BAD_CAST origin);
    xmlNodePtr codes = xmlNewChild(root, w.ns, BAD_CAST "Codes", NULL);
    char (*guids)[GUID_MAX] = xcalloc(cb->ndims + 1, sizeof *guids);
    for (size_t i = 0; i < cb->ndims; i++)
        write_dimension(&w, codes, &cb->dims[i], guids[i]);

    /* The codebook itself, as the Set of its dimensions. */
    check_xml_text(&w, cb->title, _("codebook"), cb->id, cb_field_name("title"));
    check_xml_text(&w, cb->description, _("codebook"), cb->id, cb_field_name("description"));
    strbuf b = {0};
    put_section(&b, NULL, cb->description);
    if (b.len)
        sb_add(&b, "\n\n");
    sb_printf(&b, "## %s\n", w.head[SEC_CARNET]);
    put_kv(&w, &b, "codebook", cb->id, _("codebook"), cb->id);
    put_kv(&w, &b, "language", cb->language, _("codebook"), cb->id);
    sb_printf(&b, "version: %d\n", cb->version);
    char sguid[UUID_STRLEN];
    cbq_guid_for(cb->id, "codebook", NULL, sguid);
    xmlNodePtr sets = xmlNewChild(root, w.ns, BAD_CAST "Sets", NULL);
    xmlNodePtr set = xmlNewChild(sets, w.ns, BAD_CAST "Set", NULL);
    xmlNewProp(set, BAD_CAST "guid", BAD_CAST sguid);
    xmlNewProp(set, BAD_CAST "name", BAD_CAST(cb->title ? cb->title : ""));
    xmlNewTextChild(set, w.ns, BAD_CAST "Description", BAD_CAST b.s);
    sb_free(&b);
    for (size_t i = 0; i < cb->ndims; i++) {
        xmlNodePtr m = xmlNewChild(set, w.ns, BAD_CAST "MemberCode", NULL);
        xmlNewProp(m, BAD_CAST "guid", BAD_CAST guids[i]);
    }
    free(guids);

    char *out = NULL;
    if (!w.failed) {
        xmlChar *mem = NULL;
        int size = 0;
        xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
        out = xstrndup((const char *)mem, (size_t)size);
        xmlFree(mem);
    }
    xmlFreeDoc(doc);
    return out;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct qcode {
    char *guid, *name, *color, *desc;
    bool codable;
    int line;
    struct qcode *kids;
    size_t nkids;
    bool placed; /* given to a dimension already */
} qcode;

typedef struct qset {
    char *guid, *name, *desc;
    char **members;
    size_t nmembers;
    int line;
} qset;

typedef struct code_pos {
    size_t dim, code, pos;
} code_pos;

typedef struct reader {
    const char *file;
    const cbq_options *opt;
    diag_list *diags, *notices;
    size_t errors;
    size_t ncodes;
    cb_codebook *cb;
    const char *fill;
    code_pos *pos; /* positions written by carnet */
    size_t npos, pos_cap;
} reader;

static void rerr(reader *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rerr(reader *r, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diag_add(r->diags, r->file, line > 0 ? line : 1, 1, "%s", msg);
    free(msg);
    r->errors++;
}

static void rnote(reader *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rnote(reader *r, int line, const char *fmt, ...)
{
    if (!r->notices)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diag_add(r->notices, r->file, line, line > 0 ? 1 : 0, "%s", msg);
    free(msg);
}

static bool is_el(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && !strcmp((const char *)n->ns->href, CBQ_NAMESPACE) &&
           !strcmp((const char *)n->name, name);
}

static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static char *content(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = xstrdup(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

static int line_of(xmlNodePtr n)
{
    long l = xmlGetLineNo(n);
    return l > 0 && l < 0x7fffffff ? (int)l : 0;
}

static void qcode_free(qcode *q)
{
    free(q->guid);
    free(q->name);
    free(q->color);
    free(q->desc);
    for (size_t i = 0; i < q->nkids; i++)
        qcode_free(&q->kids[i]);
    free(q->kids);
}

/* Reads the Code children of el into *list. */
static void read_codes(reader *r, xmlNodePtr el, qcode **list, size_t *n, int depth)
{
    size_t cap = 0;
    for (xmlNodePtr k = el->children; k; k = k->next) {
        if (!is_el(k, "Code"))
            continue;
        if (depth >= MAX_DEPTH) {
            rerr(r, line_of(k), _("codes nested more than %d levels deep"), MAX_DEPTH);
            return;
        }
        if (++r->ncodes > MAX_CODES) {
            rerr(r, line_of(k), _("more than %d codes: this is not a codebook carnet can use"), MAX_CODES);
            return;
        }
        xgrow((void **)list, &cap, *n + 1, sizeof **list);
        qcode *q = &(*list)[(*n)++];
        memset(q, 0, sizeof *q);
        q->line = line_of(k);
        q->guid = prop(k, "guid");
        q->name = prop(k, "name");
        q->color = prop(k, "color");
        char *codable = prop(k, "isCodable");
        q->codable = !codable || !strcmp(codable, "true") || !strcmp(codable, "1");
        if (codable && strcmp(codable, "true") && strcmp(codable, "false") && strcmp(codable, "1") &&
            strcmp(codable, "0"))
            rerr(r, q->line, _("isCodable must be true or false, found '%s'"), codable);
        free(codable);
        if (!q->guid)
            rerr(r, q->line, _("Code without a guid attribute: every REFI-QDA code needs one"));
        else if (!cb_valid_guid(q->guid))
            rerr(r, q->line, _("invalid guid '%s': expected 8-4-4-4-12 hexadecimal digits"), q->guid);
        if (str_empty(q->name))
            rerr(r, q->line, _("Code without a name attribute: every REFI-QDA code needs one"));
        for (xmlNodePtr c = k->children; c; c = c->next)
            if (is_el(c, "Description") && !q->desc)
                q->desc = content(c);
        read_codes(r, k, &q->kids, &q->nkids, depth + 1);
    }
}

static void read_sets(reader *r, xmlNodePtr el, qset **list, size_t *n)
{
    size_t cap = 0;
    for (xmlNodePtr k = el->children; k; k = k->next) {
        if (!is_el(k, "Set"))
            continue;
        xgrow((void **)list, &cap, *n + 1, sizeof **list);
        qset *s = &(*list)[(*n)++];
        memset(s, 0, sizeof *s);
        s->line = line_of(k);
        s->guid = prop(k, "guid");
        s->name = prop(k, "name");
        if (!s->guid || !cb_valid_guid(s->guid))
            rerr(r, s->line, _("Set without a valid guid attribute"));
        if (str_empty(s->name))
            rerr(r, s->line, _("Set without a name attribute"));
        size_t mcap = 0;
        for (xmlNodePtr c = k->children; c; c = c->next) {
            if (is_el(c, "Description") && !s->desc)
                s->desc = content(c);
            else if (is_el(c, "MemberCode")) {
                char *g = prop(c, "guid");
                if (!g) {
                    rerr(r, line_of(c), _("MemberCode without a guid attribute"));
                    continue;
                }
                xgrow((void **)&s->members, &mcap, s->nmembers + 1, sizeof *s->members);
                s->members[s->nmembers++] = g;
            }
        }
    }
}

static void qset_free(qset *s)
{
    free(s->guid);
    free(s->name);
    free(s->desc);
    for (size_t i = 0; i < s->nmembers; i++)
        free(s->members[i]);
    free(s->members);
}

/* Whether id is taken by a dimension or a code of the codebook being built. */
static bool id_taken(const cb_codebook *cb, const char *id, bool dimension)
{
    for (size_t i = 0; i < cb->ndims; i++) {
        if (dimension && str_eq0(cb->dims[i].id, id))
            return true;
        if (!dimension && cb_find_code(&cb->dims[i], id))
            return true;
    }
    return false;
}

/* An id made from name, unique among the dimensions or the codes. */
static char *unique_id(reader *r, const char *name, bool dimension)
{
    char *base = cb_slug(name);
    char *id = xstrdup(base);
    for (int k = 2; id_taken(r->cb, id, dimension); k++) {
        free(id);
        id = xasprintf("%s-%d", base, k);
    }
    free(base);
    return id;
}

/* "#abc" → "#aabbcc"; other values are kept for cb_validate to judge. */
static char *norm_color(const char *c)
{
    if (c && strlen(c) == 4 && c[0] == '#')
        return xasprintf("#%c%c%c%c%c%c", c[1], c[1], c[2], c[2], c[3], c[3]);
    return xstrdup(c);
}

/* Fills a required field the file did not give; returns whether it did. */
static bool fill_field(reader *r, char **field)
{
    if (!str_empty(*field))
        return false;
    free(*field);
    *field = xstrdup(r->fill);
    return true;
}

/* Notes the "position" a code carries (carnet writes them when the nesting
 * does not give back the order of a dimension's codes). */
static void note_position(reader *r, size_t di, size_t ci, const char *trailer)
{
    char *p = trailer ? trailer_get(trailer, "position", 0) : NULL;
    long v = p ? strtol(p, NULL, 10) : 0;
    free(p);
    if (v <= 0)
        return;
    xgrow((void **)&r->pos, &r->pos_cap, r->npos + 1, sizeof *r->pos);
    r->pos[r->npos++] = (code_pos){di, ci, (size_t)v};
}

/* Puts the codes of each dimension whose codes all carry a position back
 * in that order. */
static void apply_positions(reader *r)
{
    for (size_t di = 0; di < r->cb->ndims; di++) {
        cb_dimension *d = &r->cb->dims[di];
        size_t *pos = xcalloc(d->ncodes + 1, sizeof *pos);
        for (size_t k = 0; k < r->npos; k++)
            if (r->pos[k].dim == di && r->pos[k].code < d->ncodes)
                pos[r->pos[k].code] = r->pos[k].pos;
        bool all = d->ncodes > 0;
        for (size_t i = 0; i < d->ncodes; i++)
            all &= pos[i] > 0;
        for (size_t i = 1; all && i < d->ncodes; i++)
            for (size_t j = i; j > 0 && pos[j - 1] > pos[j]; j--) {
                cb_code t = d->codes[j];
                d->codes[j] = d->codes[j - 1];
                d->codes[j - 1] = t;
                size_t tp = pos[j];
                pos[j] = pos[j - 1];
                pos[j - 1] = tp;
            }
        free(pos);
    }
}

static void add_code(reader *r, size_t di, const qcode *q, const char *parent)
{
    sections s;
    split_description(q->desc, &s);
    const char *tr = s.field[SEC_CARNET + 1];
    cb_dimension *d = &r->cb->dims[di];
    char *tid = tr ? trailer_get(tr, "code", 0) : NULL;
    char *id = !str_empty(tid) ? xstrdup(tid) : unique_id(r, q->name, false);
    free(tid);
    cb_code *c = cb_add_code(d);
    size_t ci = d->ncodes - 1;
    c->id = id;
    c->pos = c->id_pos = c->key_pos = c->parent_pos = c->validate_pos = (cb_pos){q->line, 1};
    c->color_pos = c->guid_pos = c->pos;
    c->label = xstrdup(q->name);
    c->definition = s.field[0];
    c->when_to_use = s.field[SEC_WHEN + 1];
    c->when_not_to_use = s.field[SEC_WHEN_NOT + 1];
    c->example = s.field[SEC_EXAMPLE + 1];
    c->guid = xstrdup(q->guid);
    c->color = norm_color(q->color);
    c->parent = xstrdup(parent);
    if (tr) {
        char *k = trailer_get(tr, "key", 0);
        if (k && strlen(k) == 1)
            c->key = k[0];
        else if (k)
            rerr(r, q->line, _("hotkey '%s' of code '%s': expected exactly one letter or digit"), k, c->id);
        free(k);
        c->other = trailer_bool(tr, "other", false);
        c->validate = trailer_get(tr, "validate", 0);
        c->validate_message = trailer_get(tr, "validate_message", 0);
        c->retired = trailer_bool(tr, "retired", false);
        c->uncodable = !trailer_bool(tr, "codable", true);
        char *p;
        for (size_t i = 0; (p = trailer_get(tr, "pattern", i)); i++) {
            cb_code_add_pattern(c, p, c->pos);
            free(p);
        }
    } else {
        c->uncodable = !q->codable;
        bool filled = false;
        filled |= fill_field(r, &c->definition);
        filled |= fill_field(r, &c->when_to_use);
        filled |= fill_field(r, &c->when_not_to_use);
        filled |= fill_field(r, &c->example);
        if (filled)
            rnote(r, q->line, _("code '%s' (%s): fields missing from the file were marked '%s'"), c->id, c->label,
                  r->fill);
    }
    note_position(r, di, ci, tr);
    free(s.field[SEC_CARNET + 1]); /* the other fields now belong to c */
    char *my_id = xstrdup(c->id);
    for (size_t i = 0; i < q->nkids; i++)
        add_code(r, di, &q->kids[i], my_id);
    free(my_id);
}

static size_t new_dimension(reader *r, const char *label, const char *guid, const char *color, const char *desc,
                            int line, bool *from_carnet)
{
    sections s;
    split_description(desc, &s);
    const char *tr = s.field[SEC_CARNET + 1];
    char *tid = tr ? trailer_get(tr, "dimension", 0) : NULL;
    *from_carnet = !str_empty(tid);
    char *id = *from_carnet ? xstrdup(tid) : unique_id(r, label, true);
    free(tid);
    cb_dimension *d = cb_add_dimension(r->cb);
    d->id = id;
    d->label = xstrdup(label);
    d->pos = d->id_pos = d->validate_pos = d->color_pos = d->guid_pos = (cb_pos){line, 1};
    d->guid = xstrdup(guid);
    d->color = norm_color(color);
    /* A dimension's text is its description; the sections of a code's
     * layout have no meaning here and stay in it. */
    d->description = *from_carnet ? s.field[0] : xstrdup(desc);
    if (*from_carnet)
        s.field[0] = NULL;
    d->mode = CB_MULTIPLE; /* a QDA code applies alongside others */
    if (*from_carnet) {
        char *m = trailer_get(tr, "mode", 0);
        if (m && !cb_mode_parse(m, &d->mode))
            rerr(r, line, _("unknown mode '%s': expected single, multiple or text"), m);
        free(m);
        d->required = trailer_bool(tr, "required", false);
        d->retired = trailer_bool(tr, "retired", false);
        d->validate = trailer_get(tr, "validate", 0);
        d->validate_message = trailer_get(tr, "validate_message", 0);
    }
    if (str_empty(d->description)) {
        free(d->description);
        d->description = NULL;
    }
    sections_free(&s);
    return r->cb->ndims - 1;
}

/* The top-level code with that guid, or NULL. */
static qcode *find_top(qcode *top, size_t n, const char *guid)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq0(top[i].guid, guid))
            return &top[i];
    return NULL;
}

static bool find_guid(const qcode *list, size_t n, const char *guid)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq0(list[i].guid, guid) || find_guid(list[i].kids, list[i].nkids, guid))
            return true;
    return false;
}

/* Every code of the tree, in document order. */
static void collect(const qcode *list, size_t n, const qcode ***out, size_t *nout, size_t *cap)
{
    for (size_t i = 0; i < n; i++) {
        xgrow((void **)out, cap, *nout + 1, sizeof **out);
        (*out)[(*nout)++] = &list[i];
        collect(list[i].kids, list[i].nkids, out, nout, cap);
    }
}

static int by_guid(const void *a, const void *b)
{
    const qcode *x = *(const qcode *const *)a, *y = *(const qcode *const *)b;
    int c = strcmp(x->guid ? x->guid : "", y->guid ? y->guid : "");
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int set_by_guid(const void *a, const void *b)
{
    const qset *x = *(const qset *const *)a, *y = *(const qset *const *)b;
    int c = strcmp(x->guid ? x->guid : "", y->guid ? y->guid : "");
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int guid_vs_code(const void *key, const void *elem)
{
    const qcode *c = *(const qcode *const *)elem;
    return strcmp(key, c->guid ? c->guid : "");
}

/* Refuses a guid given to two codes, to two sets, or to a set and a code:
 * a set becomes a dimension, exported as a code with the set's guid, and
 * the file written would not read back.  Sorted, so that large files stay
 * fast. */
static void check_unique_guids(reader *r, const qcode *top, size_t ntop, const qset *sets, size_t nsets)
{
    const qcode **all = NULL;
    size_t n = 0, cap = 0;
    collect(top, ntop, &all, &n, &cap);
    if (n > 1)
        qsort(all, n, sizeof *all, by_guid);
    for (size_t i = 1; i < n; i++)
        if (all[i]->guid && str_eq0(all[i]->guid, all[i - 1]->guid))
            rerr(r, all[i]->line, _("guid %s is given to two codes (first at line %d)"), all[i]->guid,
                 all[i - 1]->line);
    const qset **ss = xcalloc(nsets ? nsets : 1, sizeof *ss);
    for (size_t i = 0; i < nsets; i++)
        ss[i] = &sets[i];
    if (nsets > 1)
        qsort(ss, nsets, sizeof *ss, set_by_guid);
    for (size_t i = 0; i < nsets; i++) {
        if (!ss[i]->guid)
            continue;
        const qcode *const *c = n ? bsearch(ss[i]->guid, all, n, sizeof *all, guid_vs_code) : NULL;
        if (i && str_eq0(ss[i]->guid, ss[i - 1]->guid))
            rerr(r, ss[i]->line, _("guid %s is given to two sets (first at line %d)"), ss[i]->guid, ss[i - 1]->line);
        else if (c)
            rerr(r, ss[i]->line, _("guid %s is given to a set and to a code (line %d)"), ss[i]->guid, (*c)->line);
    }
    free(ss);
    free(all);
}

/* Builds the codebook from the file's codes and sets. */
static void map_codebook(reader *r, qcode *top, size_t ntop, qset *sets, size_t nsets, const char *origin)
{
    cb_codebook *cb = r->cb;
    /* The Set carnet writes for the codebook itself. */
    const qset *own = NULL;
    for (size_t i = 0; i < nsets && !own; i++) {
        sections s;
        split_description(sets[i].desc, &s);
        char *id = s.field[SEC_CARNET + 1] ? trailer_get(s.field[SEC_CARNET + 1], "codebook", 0) : NULL;
        if (!str_empty(id)) {
            own = &sets[i];
            cb->id = id;
            id = NULL;
            cb->title = xstrdup(sets[i].name);
            cb->description = s.field[0];
            s.field[0] = NULL;
            cb->language = trailer_get(s.field[SEC_CARNET + 1], "language", 0);
            char *v = trailer_get(s.field[SEC_CARNET + 1], "version", 0);
            cb->version = v ? atoi(v) : 1;
            free(v);
        }
        free(id);
        sections_free(&s);
    }
    if (!own) {
        char *copy = xstrdup(r->file);
        char *base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
        char *dot = strrchr(base, '.');
        if (dot && dot != base)
            *dot = '\0';
        cb->id = cb_slug(base);
        cb->title = xstrdup(base);
        cb->language = xstrdup(r->opt && r->opt->language ? r->opt->language : "und");
        cb->version = 1;
        free(copy);
        if (!str_empty(origin))
            cb->description = xasprintf(_("Imported from a REFI-QDA codebook written by %s."), origin);
        rnote(r, 0, _("codebook id '%s' and title '%s' taken from the file name"), cb->id, cb->title);
    }

    /* Top-level codes with sub-codes, or that cannot be coded, are
     * dimensions; so are those carnet marked as such. */
    for (size_t i = 0; i < ntop; i++) {
        qcode *q = &top[i];
        sections s;
        split_description(q->desc, &s);
        char *dim = s.field[SEC_CARNET + 1] ? trailer_get(s.field[SEC_CARNET + 1], "dimension", 0) : NULL;
        sections_free(&s);
        bool is_dim = dim || q->nkids || !q->codable;
        free(dim);
        if (!is_dim)
            continue;
        bool carnet;
        size_t di = new_dimension(r, q->name, q->guid, q->color, q->desc, q->line, &carnet);
        if (!carnet && q->codable)
            rnote(r, q->line, _("code '%s' has sub-codes: it becomes dimension '%s', whose codes are its sub-codes"),
                  q->name, cb->dims[di].id);
        else if (!carnet)
            rnote(r, q->line, _("top-level code '%s' becomes dimension '%s' (multiple choice)"), q->name,
                  cb->dims[di].id);
        q->placed = true;
        for (size_t k = 0; k < q->nkids; k++)
            add_code(r, di, &q->kids[k], NULL);
    }

    /* Sets of the remaining top-level codes are dimensions too. */
    for (size_t i = 0; i < nsets; i++) {
        const qset *s = &sets[i];
        if (s == own)
            continue;
        size_t di = (size_t)-1;
        for (size_t m = 0; m < s->nmembers; m++) {
            qcode *q = find_top(top, ntop, s->members[m]);
            if (!q) {
                if (!find_guid(top, ntop, s->members[m]))
                    rnote(r, s->line, _("set '%s': member %s is not a code of the file; ignored"), s->name,
                          s->members[m]);
                continue;
            }
            if (q->placed)
                continue;
            if (di == (size_t)-1) {
                bool carnet;
                di = new_dimension(r, s->name, s->guid, NULL, s->desc, s->line, &carnet);
                rnote(r, s->line, _("set '%s' becomes dimension '%s' (multiple choice)"), s->name,
                      cb->dims[di].id);
            }
            q->placed = true;
            add_code(r, di, q, NULL);
        }
        if (di == (size_t)-1)
            rnote(r, s->line, _("set '%s' ignored: its codes already belong to dimensions"), s->name);
    }

    /* The codes left over share one dimension. */
    size_t rest = (size_t)-1;
    for (size_t i = 0; i < ntop; i++) {
        if (top[i].placed)
            continue;
        if (rest == (size_t)-1) {
            bool carnet;
            char *label = xstrdup(_("Codes"));
            rest = new_dimension(r, label, NULL, NULL, NULL, top[i].line, &carnet);
            free(label);
            rnote(r, top[i].line, _("top-level codes outside any set go in dimension '%s' (multiple choice)"),
                  cb->dims[rest].id);
        }
        top[i].placed = true;
        add_code(r, rest, &top[i], NULL);
    }
}

static void reader_error(void *ctx, xmlErrorPtr e)
{
    reader *r = ctx;
    if (r->errors || !e || e->level < XML_ERR_ERROR)
        return;
    /* libxml2's first line says what is wrong; a second one may quote the
     * document, cut in the middle of a character: the message keeps the
     * first line, as valid UTF-8 without control characters. */
    const char *m = e->message ? e->message : "?";
    char *line = xstrndup(m, strcspn(m, "\n"));
    size_t n = strlen(line);
    while (n && line[n - 1] == ' ')
        line[--n] = '\0';
    char *msg = u8_clean(line);
    free(line);
    if (!strncmp(msg, "Excessive depth in document", 27)) {
        /* libxml2 stops at 256 levels and names an option of its own. */
        free(msg);
        msg = xstrdup(_("elements nested more than 256 levels deep"));
    }
    diag_add(r->diags, r->file, e->line > 0 ? e->line : 1, e->int2 > 0 ? e->int2 : 1,
             _("malformed XML: %s"), msg);
    free(msg);
    r->errors++;
}

/* No entity, DTD or schema is ever fetched, from the network or from disk. */
static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

/* The line of the first "<!ENTITY" in text, or 0. */
static int entity_line(const char *text, size_t len)
{
    int line = 1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            line++;
        else if (text[i] == '<' && len - i >= 8 && !memcmp(text + i, "<!ENTITY", 8))
            return line;
    }
    return 0;
}

bool cbq_sniff(const char *text, size_t len)
{
    size_t i = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    return i < len && text[i] == '<';
}

size_t cbq_parse(const char *name, const char *text, size_t len, const cbq_options *opt, cb_codebook **out,
                 diag_list *diags, diag_list *notices)
{
    *out = NULL;
    reader r = {.file = name, .opt = opt, .diags = diags, .notices = notices};
    r.fill = opt && opt->fill ? opt->fill : _("To be written: this field was not in the imported file.");
    if (len > CBF_MAX_BYTES) {
        diag_add(diags, name, 1, 1, _("file too large: a codebook is at most %u bytes"), CBF_MAX_BYTES);
        return 1;
    }
    int eline = entity_line(text, len);
    if (eline) {
        diag_add(diags, name, eline, 1,
                 _("the document declares entities (<!ENTITY>); carnet refuses them, as no QDA program writes them"));
        return 1;
    }
    if (len > 0x7fffffff) /* unreachable under CBF_MAX_BYTES; xmlReadMemory takes an int */
        return 1;
    xmlExternalEntityLoader old_loader = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(refuse_entity);
    xmlSetStructuredErrorFunc(&r, reader_error);
    xmlDocPtr doc = xmlReadMemory(text, (int)len, name, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetExternalEntityLoader(old_loader);
    if (!doc || r.errors) {
        if (!r.errors)
            diag_add(diags, name, 1, 1, _("malformed XML: the document cannot be read"));
        xmlFreeDoc(doc);
        return r.errors ? r.errors : 1;
    }
    if ((doc->intSubset && doc->intSubset->entities && xmlHashSize(doc->intSubset->entities) > 0) ||
        (doc->intSubset && doc->intSubset->pentities && xmlHashSize(doc->intSubset->pentities) > 0)) {
        diag_add(diags, name, line_of((xmlNodePtr)doc->intSubset), 1,
                 _("the document declares entities (<!ENTITY>); carnet refuses them, as no QDA program writes them"));
        xmlFreeDoc(doc);
        return 1;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    const char *ns = root && root->ns ? (const char *)root->ns->href : NULL;
    if (!root || strcmp((const char *)root->name, "CodeBook") || !ns || strcmp(ns, CBQ_NAMESPACE)) {
        int line = root ? line_of(root) : 1;
        if (root && !strcmp((const char *)root->name, "Project"))
            diag_add(diags, name, line, 1,
                     _("a REFI-QDA project, not a codebook: export the codebook (.qdc) from your QDA program"));
        else if (root && !strcmp((const char *)root->name, "CodeBook"))
            diag_add(diags, name, line, 1, _("wrong namespace '%s' for CodeBook: expected xmlns=\"%s\""),
                     ns ? ns : "", CBQ_NAMESPACE);
        else
            diag_add(diags, name, line, 1,
                     _("not a REFI-QDA codebook: the root element is <%s>, expected <CodeBook xmlns=\"%s\">"),
                     root ? (const char *)root->name : "?", CBQ_NAMESPACE);
        xmlFreeDoc(doc);
        return 1;
    }

    qcode *top = NULL;
    size_t ntop = 0;
    qset *sets = NULL;
    size_t nsets = 0;
    bool have_codes = false;
    for (xmlNodePtr k = root->children; k; k = k->next) {
        if (is_el(k, "Codes")) {
            have_codes = true;
            read_codes(&r, k, &top, &ntop, 0);
        } else if (is_el(k, "Sets")) {
            read_sets(&r, k, &sets, &nsets);
        }
    }
    if (!have_codes || !ntop)
        rerr(&r, line_of(root), _("no codes: expected <Codes> with at least one <Code>"));
    check_unique_guids(&r, top, ntop, sets, nsets);

    char *origin = prop(root, "origin");
    r.cb = cb_new();
    if (!r.errors)
        map_codebook(&r, top, ntop, sets, nsets, origin);
    free(origin);
    apply_positions(&r);
    free(r.pos);
    for (size_t i = 0; i < ntop; i++)
        qcode_free(&top[i]);
    free(top);
    for (size_t i = 0; i < nsets; i++)
        qset_free(&sets[i]);
    free(sets);
    xmlFreeDoc(doc);

    cb_codebook *cb = r.cb;
    if (!r.errors) {
        /* Guids carnet derived are implied: keeping them would make an
         * export read back differ from the codebook exported. */
        for (size_t i = 0; i < cb->ndims; i++) {
            cb_dimension *d = &cb->dims[i];
            char g[UUID_STRLEN];
            cbq_guid_for(cb->id, "dimension", d->id, g);
            if (d->guid && !strcmp(d->guid, g)) {
                free(d->guid);
                d->guid = NULL;
            }
            for (size_t j = 0; j < d->ncodes; j++) {
                cb_code *c = &d->codes[j];
                cbq_guid_for(cb->id, "code", c->id, g);
                if (c->guid && !strcmp(c->guid, g)) {
                    free(c->guid);
                    c->guid = NULL;
                }
            }
        }
        cb_propose_hotkeys(cb, name, notices);
        r.errors = cb_validate(cb, name, diags);
        if (!r.errors)
            r.errors = cbq_check_guids(cb, name, diags);
    }
    if (r.errors) {
        cb_free(cb);
        return r.errors;
    }
    *out = cb;
    return 0;
}

size_t cbq_read_file(const char *path, const cbq_options *opt, cb_codebook **out, diag_list *diags,
                     diag_list *notices)
{
    *out = NULL;
    char *text;
    size_t len;
    if (!cbf_slurp(path, &text, &len, diags))
        return 1;
    size_t r = cbq_parse(path, text, len, opt, out, diags, notices);
    free(text);
    return r;
}
