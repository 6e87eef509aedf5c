/*
 * input.c — the input line of the coding screen (obs.h): a note, an "other,
 * specify" answer, a free-text answer, a field note, new times.
 *
 * Three rows: the prompt, the line itself (scrolled sideways so that the
 * cursor stays in view, measured in display columns), and under it the
 * codes the note suggests (Tab chooses the highlighted one) or what the
 * codebook expects of the answer.  Its keys are the coding state
 * machine's (core/coding.h): this file only draws.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/obs.h"
#include "tui/ui.h"

/* The part of s from display column `from` on. */
static const char *from_column(const char *s, size_t from)
{
    size_t col = 0, n = strlen(s);
    while (n && col < from) {
        uint32_t cp;
        size_t k = u8_decode(s, n, &cp);
        col += (size_t)u8_cp_width(cp);
        s += k;
        n -= k;
    }
    return s;
}

static void suggestions(const obs *o, int y)
{
    const cod_state *s = o->cs;
    const cod_input *in = &s->in;
    const cod_ix *x = &s->ixs[in->ix];
    const cb_codebook *cb = cod_cb_of(s, x);
    int col = 1 + ui_put_styled(y, 1, COLS - 2, _("Suggested (Tab):"), false, UI_DIM) + 1;
    for (size_t i = 0; i < in->nsugg && col < COLS - 2; i++) {
        const cb_dimension *d = &cb->dims[in->sugg[i].dim];
        char *t = xasprintf(" %s: %s ", d->label, d->codes[in->sugg[i].code].label);
        col += ui_put_styled(y, col, COLS - 1 - col, t, false, i == in->sugg_sel ? UI_SELECTED : UI_KEY) + 1;
        free(t);
    }
}

/* What the codebook expects of the answer being typed, or NULL. */
static const char *expected(const obs *o)
{
    const cod_state *s = o->cs;
    const cod_input *in = &s->in;
    if (in->kind != COD_IN_OTHER && in->kind != COD_IN_TEXT)
        return NULL;
    const cb_dimension *d = &cod_cb_of(s, &s->ixs[in->ix])->dims[in->dim];
    return in->kind == COD_IN_TEXT ? d->validate_message : d->codes[in->code].validate_message;
}

void ui_input_draw(obs *o, int top)
{
    cod_suggest_refresh(o->cs);
    const cod_state *s = o->cs;
    const cod_input *in = &s->in;
    for (int y = top; y < top + 3; y++) {
        move(y, 0);
        clrtoeol();
    }
    char prompt[400];
    ui_put_styled(top, 1, COLS - 2, cod_input_prompt(s, prompt, sizeof prompt), false, UI_KEY);
    int w = COLS - 2;
    const char *text = le_text(&in->line);
    size_t cur = le_cursor_col(&in->line);
    size_t off = cur >= (size_t)w ? cur - (size_t)w + 1 : 0;
    ui_style_on(UI_SELECTED);
    mvhline(top + 1, 1, ' ', w);
    ui_put(top + 1, 1, w, from_column(text, off), false);
    ui_style_off(UI_SELECTED);
    o->cursor_y = top + 1;
    o->cursor_x = 1 + (int)(cur - off);
    const char *exp = expected(o);
    if (in->kind == COD_IN_NOTE && in->nsugg)
        suggestions(o, top + 2);
    else if (exp) {
        char *t = xasprintf(_("Expected: %s"), exp);
        ui_put_styled(top + 2, 1, COLS - 2, t, false, UI_DIM);
        free(t);
    } else {
        ui_put_styled(top + 2, 1, COLS - 2, _("Enter records, Esc leaves without recording"), false, UI_DIM);
    }
}
