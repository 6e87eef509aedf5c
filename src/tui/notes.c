/*
 * notes.c — the field notes of the session (obs.h), reached from its
 * history: each note with the time it was begun, in that order, wrapped
 * under its time, so that the observer can read again what they wrote (the
 * network down at 10:12, the desk closing early).  Up, Down, PgUp, PgDn
 * scroll; any other key goes back to the history.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/obs.h"
#include "tui/ui.h"

/* The width of the time column: "09:05:12" and two spaces. */
#define TIME_W 10

typedef struct note_line {
    const char *time; /* on the first line of a note, else NULL */
    char *text;
} note_line;

void ui_notes_draw(obs *o)
{
    const cod_state *s = o->cs;
    char *title = xasprintf(_(" Field notes of the session: %zu"), s->field_notes);
    ui_title_bar(title, "");
    free(title);
    int rows = LINES - 2;
    if (!s->field_notes) {
        ui_put_wrapped(2, 2, COLS - 4, rows - 1,
                       _("No field note yet. ; (or F4) writes one, on the coding screen or in the history: the "
                         "network is down, the desk closes early..."),
                       UI_DIM);
        o->scroll_max = 0;
        ui_observe_keybar(COD_IN_VIEW);
        return;
    }
    /* Every line of every note, then the part in view. */
    note_line *v = NULL;
    size_t n = 0, cap = 0;
    char (*times)[16] = xcalloc(s->field_notes, sizeof *times);
    for (size_t i = 0; i < s->field_notes; i++) {
        cod_clock(s->notes[i].at, times[i], sizeof times[i]);
        char **lines;
        size_t k = u8_wrap(s->notes[i].text, COLS - 4 - TIME_W, &lines);
        for (size_t j = 0; j < k; j++) {
            xgrow((void **)&v, &cap, n + 1, sizeof *v);
            v[n++] = (note_line){j ? NULL : times[i], lines[j]};
        }
        free(lines);
    }
    o->scroll_max = n > (size_t)rows ? (int)n - rows : 0;
    if (o->scroll > o->scroll_max)
        o->scroll = o->scroll_max;
    for (int r = 0; r < rows && (size_t)(o->scroll + r) < n; r++) {
        const note_line *l = &v[o->scroll + r];
        if (l->time)
            ui_put_styled(1 + r, 2, TIME_W, l->time, false, UI_KEY);
        ui_put(1 + r, 2 + TIME_W, COLS - 4 - TIME_W, l->text, false);
    }
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
    free(times);
    ui_observe_keybar(COD_IN_VIEW);
}

void ui_notes_key(obs *o, int key)
{
    if (!ui_view_scroll(o, key, LINES - 3))
        o->screen = OBS_CODING; /* back to the history it was opened from */
}
