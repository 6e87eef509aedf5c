/*
 * history.c — the history of the session (obs.h): every interaction the
 * screen knows, deleted ones included (dimmed, they can be restored), with
 * its times, length and answers, and the note of the selected one; Tab
 * shows the field notes of the session (notes.c).
 *
 * From here an earlier interaction is opened on the coding screen to
 * change its codes, or gets new times, a note, deleted or restored; the
 * keys are the coding state machine's (core/coding.h), as everywhere.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/obs.h"
#include "tui/ui.h"

static char *row_text(const obs *o, const cod_ix *x)
{
    const cod_state *s = o->cs;
    char a[16], b[16], d[32];
    cod_clock(x->started_at, a, sizeof a);
    if (x->ended_at[0])
        cod_clock(x->ended_at, b, sizeof b);
    else
        snprintf(b, sizeof b, "%s", _("open"));
    const char *len = x->tally ? _("tally") : cod_fmt_duration(cod_ix_seconds(s, x, o->now), d, sizeof d);
    char *sum = ui_observe_summary(s, x);
    char *t = xasprintf("#%-3d %-8s %-8s %7s  %s%s%s%s", x->num, a, b, len, x->deleted ? _("[deleted] ") : "",
                        x->incomplete && !x->deleted ? _("[incomplete] ") : "",
                        x->adopted ? _("[earlier session] ") : "", sum);
    free(sum);
    return t;
}

void ui_history_draw(obs *o, int top, int rows)
{
    cod_state *s = o->cs;
    char *ixs = xasprintf(
        ngettext("History of the session: %zu interaction", "History of the session: %zu interactions", cod_count(s)),
        cod_count(s));
    /* The field notes are one key away: say how many. */
    char *title = s->field_notes
                      ? xasprintf(ngettext("%s \xC2\xB7 %zu field note (Tab)", "%s \xC2\xB7 %zu field notes (Tab)",
                                           s->field_notes),
                                  ixs, s->field_notes)
                      : xstrdup(ixs);
    free(ixs);
    ui_put_styled(top, 1, COLS - 2, title, false, UI_KEY);
    free(title);
    ui_put_styled(top + 1, 1, COLS - 2, _("#    start    end       length  answers"), false, UI_DIM);
    int list_top = top + 2;
    int bottom = s->in.open ? LINES - 6 : top + rows - 2; /* the note of the selected one below */
    int n = bottom - list_top;
    if (n < 1)
        n = 1;
    cod_set_page(s, (size_t)n);
    if (!s->nixs) {
        ui_put_styled(list_top, 1, COLS - 2, _("No interaction yet."), false, UI_DIM);
        return;
    }
    size_t first = ui_scroll_to(&o->hist_top, s->hist_sel, s->nixs, (size_t)n);
    for (size_t i = first; i < s->nixs && (int)(i - first) < n; i++) {
        const cod_ix *x = &s->ixs[i];
        int y = list_top + (int)(i - first);
        bool sel = i == s->hist_sel;
        ui_style st = sel ? UI_SELECTED : x->deleted ? UI_DIM : x->incomplete ? UI_WARN : UI_NORMAL;
        if (sel) {
            ui_style_on(UI_SELECTED);
            mvhline(y, 0, ' ', COLS);
            ui_style_off(UI_SELECTED);
        }
        char *t = row_text(o, x);
        ui_put_styled(y, 1, COLS - 2, t, false, st);
        free(t);
    }
    if (s->in.open)
        return;
    const cod_ix *x = &s->ixs[s->hist_sel < s->nixs ? s->hist_sel : s->nixs - 1];
    char *note = x->note ? xasprintf(_("Note of #%d: %s"), x->num, x->note) : xasprintf(_("#%d has no note."), x->num);
    ui_put_styled(top + rows - 1, 1, COLS - 2, note, false, UI_DIM);
    free(note);
}
