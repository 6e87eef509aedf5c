/*
 * cb_handout_xlsx.c — the codebook handout as an XLSX workbook, laid out
 * for A4 printing (cb_handout.h).
 *
 * Every value goes through worksheet_write_string(), which stores a shared
 * string: a spreadsheet never evaluates it, so a definition that starts with
 * "=" or "-" stays text (a formula would need worksheet_write_formula()).
 * Sheet names follow Excel's rules: at most 31 characters, none of []:*?/\,
 * no leading or trailing apostrophe, unique whatever the case.
 */
#include "export/cb_handout.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

#define PAPER_A4 9
#define NCOLS 7

typedef struct formats {
    lxw_format *title, *subtitle, *wrap, *head, *key, *cell, *heading_row;
} formats;

/* A sheet name Excel accepts, unique among names[0..n). Caller frees. */
static char *sheet_name(const char *label, char **names, size_t n)
{
    strbuf b = {0};
    size_t chars = 0;
    const char *p = label ? label : "";
    while (*p && chars < 28) { /* room for " 2".." 99" */
        uint32_t cp;
        size_t len = u8_decode(p, strlen(p), &cp);
        if (cp < 0x20 || strchr("[]:*?/\\", (int)(cp < 128 ? cp : 'a')))
            sb_addc(&b, '_');
        else
            sb_addn(&b, p, len);
        p += len;
        chars++;
    }
    char *base = sb_take(&b);
    /* Excel refuses a leading or trailing apostrophe. */
    if (base[0] == '\'')
        base[0] = '_';
    size_t bl = strlen(base);
    if (bl && base[bl - 1] == '\'')
        base[bl - 1] = '_';
    if (!*base) {
        free(base);
        base = xstrdup("_");
    }
    char *name = xstrdup(base);
    for (int k = 2;; k++) {
        bool taken = false;
        for (size_t i = 0; i < n && !taken; i++)
            taken = !strcasecmp(names[i], name);
        if (!taken)
            break;
        free(name);
        name = xasprintf("%s %d", base, k);
    }
    free(base);
    return name;
}

/* Header and footer text: '&' is a code there and must be doubled, and the
 * whole header is at most 255 characters. */
static char *hf_escape(const char *s)
{
    strbuf b = {0};
    sb_add(&b, "");
    size_t chars = 0;
    for (const char *p = s ? s : ""; *p; p++) {
        bool lead = ((unsigned char)*p & 0xC0) != 0x80;
        if (lead && chars == 100)
            break;
        chars += lead;
        if (*p == '&')
            sb_addc(&b, '&');
        sb_addc(&b, *p);
    }
    return sb_take(&b);
}

static void page_setup(lxw_worksheet *ws, const cb_codebook *cb, bool landscape)
{
    worksheet_set_paper(ws, PAPER_A4);
    if (landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_set_margins(ws, 0.5, 0.5, 0.7, 0.7);
    worksheet_fit_to_pages(ws, 1, 0); /* one page wide, as many pages down as needed */
    char *t = hf_escape(cb->title);
    char *h = xasprintf("&L%s&R%s %d", t, _("version"), cb->version);
    worksheet_set_header(ws, h);
    free(h);
    free(t);
    char *f = xasprintf("&L&A&R%s &P / &N", _("page"));
    worksheet_set_footer(ws, f);
    free(f);
}

/* A string cell; NULL is written as an empty cell. */
static void put(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    if (s && *s)
        worksheet_write_string(ws, r, c, s, f);
    else
        worksheet_write_blank(ws, r, c, f);
}

/* Text across the first columns of row r, merged. */
static void merged(lxw_worksheet *ws, lxw_row_t r, lxw_col_t last, const char *s, lxw_format *f)
{
    worksheet_merge_range(ws, r, 0, r, last, s ? s : "", f);
}

/* A row tall enough for text wrapped in a merged range of width columns
 * (Excel does not fit merged cells itself). */
static void fit_merged_row(lxw_worksheet *ws, lxw_row_t r, const char *s, double width)
{
    size_t lines = 0, col = 0;
    for (const char *p = s; p && *p; p++) {
        if (*p == '\n' || col >= (size_t)width) {
            lines++;
            col = 0;
        }
        if (*p != '\n' && ((unsigned char)*p & 0xC0) != 0x80)
            col++;
    }
    lines++;
    worksheet_set_row(ws, r, 15.0 * (double)lines + 3.0, NULL);
}

static void cover_sheet(lxw_workbook *wb, const cb_codebook *cb, const formats *f, char **names, size_t *nn)
{
    char *name = sheet_name(_("Codebook"), names, *nn);
    names[(*nn)++] = name;
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    page_setup(ws, cb, false);
    worksheet_set_column(ws, 0, 0, 30, NULL);
    worksheet_set_column(ws, 1, 1, 24, NULL);
    worksheet_set_column(ws, 2, 2, 36, NULL);
    lxw_row_t r = 0;
    merged(ws, r++, 2, cb->title, f->title);
    char *sub = xasprintf(_("Codebook %s, version %d (%s)"), cb->id, cb->version, cb->language);
    merged(ws, r++, 2, sub, f->subtitle);
    free(sub);
    if (!str_empty(cb->description)) {
        merged(ws, r, 2, cb->description, f->wrap);
        fit_merged_row(ws, r++, cb->description, 90);
    }
    r++;
    put(ws, r, 0, _("Dimension"), f->head);
    put(ws, r, 1, _("Kind"), f->head);
    put(ws, r++, 2, _("Codes"), f->head);
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        if (d->retired)
            continue;
        size_t n = 0;
        for (size_t j = 0; j < d->ncodes; j++)
            n += ex_hd_shown(&d->codes[j]) && cb_code_active(&d->codes[j]);
        char *kind = ex_hd_dimension_kind(d);
        char *count = d->mode == CB_TEXT ? xstrdup(_("free text")) : xasprintf(_("%zu codes"), n);
        put(ws, r, 0, d->label, f->cell);
        put(ws, r, 1, kind, f->cell);
        put(ws, r++, 2, count, f->cell);
        free(kind);
        free(count);
    }
}

static void dimension_sheet(lxw_workbook *wb, const cb_codebook *cb, const cb_dimension *d, const formats *f,
                            char **names, size_t *nn)
{
    char *name = sheet_name(d->label, names, *nn);
    names[(*nn)++] = name;
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    page_setup(ws, cb, true);
    static const double widths[NCOLS] = {7, 24, 42, 34, 34, 36, 24};
    for (lxw_col_t c = 0; c < NCOLS; c++)
        worksheet_set_column(ws, c, c, widths[c], NULL);

    lxw_row_t r = 0;
    merged(ws, r++, NCOLS - 1, d->label, f->title);
    char *kind = ex_hd_dimension_kind(d);
    char *sub = xasprintf("%s — %s", kind, d->id);
    merged(ws, r++, NCOLS - 1, sub, f->subtitle);
    free(sub);
    free(kind);
    if (!str_empty(d->description)) {
        merged(ws, r, NCOLS - 1, d->description, f->wrap);
        fit_merged_row(ws, r++, d->description, 190);
    }
    if (d->mode == CB_TEXT) {
        char *rule = ex_hd_text_rule(d);
        merged(ws, r, NCOLS - 1, rule, f->wrap);
        fit_merged_row(ws, r++, rule, 190);
        free(rule);
        return;
    }
    r++;
    const char *heads[NCOLS] = {_("Key"),         _("Label"),   _("Definition"), _("When to use"),
                                _("When not to use"), _("Example"), _("Notes")};
    for (lxw_col_t c = 0; c < NCOLS; c++)
        put(ws, r, c, heads[c], f->head);
    worksheet_repeat_rows(ws, r, r);
    worksheet_freeze_panes(ws, r + 1, 0);
    r++;
    for (size_t j = 0; j < d->ncodes; j++) {
        const cb_code *c = &d->codes[j];
        if (!ex_hd_shown(c))
            continue;
        lxw_format *cf = c->uncodable ? f->heading_row : f->cell;
        char key[2] = {c->key, 0};
        put(ws, r, 0, c->uncodable ? "" : key, c->uncodable ? f->heading_row : f->key);
        char *label = c->parent ? xasprintf("↳ %s", c->label) : xstrdup(c->label);
        put(ws, r, 1, label, cf);
        free(label);
        put(ws, r, 2, c->definition, cf);
        put(ws, r, 3, c->when_to_use, cf);
        put(ws, r, 4, c->when_not_to_use, cf);
        put(ws, r, 5, c->example, cf);
        char *notes = ex_hd_code_notes(d, c);
        put(ws, r, 6, notes, cf);
        free(notes);
        r++;
    }
}

enum { FMT_BOLD = 1, FMT_ITALIC = 2, FMT_BIG = 4, FMT_WRAP = 8, FMT_BORDER = 16, FMT_CENTER = 32 };

/* A cell format, top-aligned, with the FMT_ flags and a background (0: none). */
static lxw_format *new_format(lxw_workbook *wb, unsigned flags, lxw_color_t bg)
{
    lxw_format *f = workbook_add_format(wb);
    if (flags & FMT_BOLD)
        format_set_bold(f);
    if (flags & FMT_ITALIC)
        format_set_italic(f);
    if (flags & FMT_BIG)
        format_set_font_size(f, 14);
    if (flags & FMT_WRAP)
        format_set_text_wrap(f);
    if (flags & FMT_BORDER)
        format_set_border(f, LXW_BORDER_THIN);
    if (flags & FMT_CENTER)
        format_set_align(f, LXW_ALIGN_CENTER);
    if (bg)
        format_set_bg_color(f, bg);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

lxw_error ex_handout_xlsx(const cb_codebook *cb, const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return LXW_ERROR_CREATING_XLSX_FILE;
    lxw_doc_properties props = {0};
    props.title = cb->title;
    props.subject = cb->id;
    props.comments = cb->description;
    workbook_set_properties(wb, &props);

    formats f;
    f.title = new_format(wb, FMT_BOLD | FMT_BIG, 0);
    f.subtitle = new_format(wb, FMT_ITALIC, 0);
    f.wrap = new_format(wb, FMT_WRAP, 0);
    f.head = new_format(wb, FMT_BOLD | FMT_WRAP | FMT_BORDER, 0xD9E1F2);
    f.cell = new_format(wb, FMT_WRAP | FMT_BORDER, 0);
    f.key = new_format(wb, FMT_BOLD | FMT_BIG | FMT_BORDER | FMT_CENTER, 0);
    f.heading_row = new_format(wb, FMT_BOLD | FMT_WRAP | FMT_BORDER, 0xF2F2F2);

    char **names = xcalloc(cb->ndims + 2, sizeof *names);
    size_t nn = 0;
    cover_sheet(wb, cb, &f, names, &nn);
    for (size_t i = 0; i < cb->ndims; i++)
        if (!cb->dims[i].retired)
            dimension_sheet(wb, cb, &cb->dims[i], &f, names, &nn);
    lxw_error err = workbook_close(wb);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return err;
}
