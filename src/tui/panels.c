/*
 * panels.c — the list of dimensions and the code panel that the coding
 * screen and the training screen share (panels.h).
 */
#include "tui/panels.h"

#include <curses.h>
#include <stdlib.h>

#include "core/coding.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

int ui_dim_rows(int y, int y_end, int x, int w, const ui_dim_row *rows, size_t n, size_t active, const char *marker,
                int label_max)
{
    /* One column more than the longest label, for the star of a required
     * dimension, so that the answers line up whichever has one. */
    int lw = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)u8_width(rows[i].label) + 1 > lw)
            lw = (int)u8_width(rows[i].label) + 1;
    if (lw > label_max)
        lw = label_max;
    int ax = x + 2 + lw + 1, aw = x + w - ax - 1;
    for (size_t i = 0; i < n && y < y_end; i++, y++) {
        const ui_dim_row *r = &rows[i];
        bool on = i == active;
        ui_style st = on ? UI_SELECTED : UI_NORMAL;
        if (on) {
            ui_style_on(UI_SELECTED);
            mvhline(y, x, ' ', w);
            ui_style_off(UI_SELECTED);
        }
        ui_put_styled(y, x, 2, on ? marker : " ", false, st);
        char *label = xasprintf("%s%s", r->label, r->star ? "*" : "");
        ui_put_styled(y, x + 2, lw, label, false, st);
        free(label);
        if (!str_empty(r->answer))
            ui_put_styled(y, ax, aw, r->answer, false, on ? st : r->answer_style);
        else
            ui_put_styled(y, ax, aw, r->none, false, on ? st : r->none_style);
    }
    return y;
}

int ui_code_rows(size_t n, int cols)
{
    int r = cols < 1 ? (int)n : (int)((n + (size_t)cols - 1) / (size_t)cols);
    return r < 1 ? 1 : r;
}

/* One code in a cell of w columns at (y, x). */
static void code_cell(int y, int x, int w, const cb_code *c, bool chosen, bool hl, const ui_codes *p)
{
    ui_style key_st = hl ? UI_SELECTED : UI_KEY, star_st = hl ? UI_SELECTED : UI_OK;
    ui_style label_st = hl ? UI_SELECTED : chosen ? UI_OK : UI_NORMAL;
    if (hl) {
        ui_style_on(UI_SELECTED);
        mvhline(y, x, ' ', w);
        ui_style_off(UI_SELECTED);
    }
    char *label = p->specify && c->other ? xasprintf(_("%s (specify)"), c->label) : xstrdup(c->label);
    if (p->brackets) {
        /* "[k]*Label" */
        char key[4] = {'[', c->key ? c->key : ' ', ']', 0};
        ui_put_styled(y, x, 3, key, false, key_st);
        if (chosen)
            ui_put_styled(y, x + 3, 1, "*", false, star_st);
        ui_put_styled(y, x + 4, w - 5, label, false, label_st);
    } else {
        /* "*k Label" */
        char key[2] = {c->key, 0};
        ui_put_styled(y, x, 1, chosen ? "*" : " ", false, star_st);
        ui_put_styled(y, x + 1, 1, key, false, key_st);
        ui_put_styled(y, x + 3, w - 3, label, false, label_st);
    }
    free(label);
}

void ui_code_panel(int y, int x, int w, int rows, const ui_codes *p, size_t *top)
{
    if (p->title)
        ui_put_styled(y, x, w, p->title, false, p->title_style);
    const cb_dimension *d = p->dim;
    size_t nv = cod_visible_codes(d, NULL, 0);
    size_t *idx = xcalloc(nv ? nv : 1, sizeof *idx);
    cod_visible_codes(d, idx, nv);
    int cols = p->cols < 1 ? 1 : p->cols, per_col = rows < 1 ? 1 : rows;
    size_t first = 0;
    if (top)
        first = ui_scroll_to(top, p->highlight >= 0 ? (size_t)p->highlight : *top, nv, (size_t)per_col * (size_t)cols);
    int cw = w / cols;
    for (size_t i = first; i < nv && (int)(i - first) < per_col * cols; i++) {
        size_t k = i - first;
        int row = y + 1 + (int)(k % (size_t)per_col), cx = x + (int)(k / (size_t)per_col) * cw;
        bool chosen = p->chosen && p->chosen[idx[i]];
        code_cell(row, cx, cw, &d->codes[idx[i]], chosen, (long)i == p->highlight, p);
    }
    if (first > 0)
        ui_put_styled(y, x + w - 1, 1, "^", false, UI_DIM);
    if (first + (size_t)per_col * (size_t)cols < nv)
        ui_put_styled(y + rows, x + w - 1, 1, "v", false, UI_DIM);
    free(idx);
}
