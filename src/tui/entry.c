/*
 * entry.c — the codebook entry of the highlighted code (obs.h): its
 * definition, when to use it, when not to, an example, and what it asks
 * for, so that the observer settles a doubt at the desk without leaving
 * the screen.  Up, Down, PgUp, PgDn scroll; any other key closes it.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/obs.h"
#include "tui/ui.h"

typedef struct entry_line {
    char *text;
    ui_style st;
} entry_line;

typedef struct entry_text {
    entry_line *v;
    size_t n, cap;
} entry_text;

static void line(entry_text *t, const char *s, ui_style st)
{
    xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v);
    t->v[t->n++] = (entry_line){xstrdup(s), st};
}

/* A heading and its text, wrapped; nothing when the text is empty. */
static void section(entry_text *t, const char *heading, const char *text)
{
    if (str_empty(text))
        return;
    line(t, "", UI_NORMAL);
    line(t, heading, UI_KEY);
    char **lines;
    size_t n = u8_wrap(text, COLS - 4, &lines);
    for (size_t i = 0; i < n; i++) {
        line(t, lines[i], UI_NORMAL);
        free(lines[i]);
    }
    free(lines);
}

void ui_entry_draw(obs *o)
{
    const cb_dimension *d;
    const cb_code *c = cod_entry_code(o->cs, &d);
    if (!c) {
        o->screen = OBS_CODING;
        return;
    }
    char *title = xasprintf(" %c  %s", c->key ? c->key : ' ', c->label);
    ui_title_bar(title, "");
    free(title);
    entry_text t = {0};
    char *where = xasprintf(_("Code '%s' of the dimension %s"), c->id, d->label);
    line(&t, where, UI_DIM);
    free(where);
    section(&t, _("Definition"), c->definition);
    section(&t, _("When to use it"), c->when_to_use);
    section(&t, _("When not to use it"), c->when_not_to_use);
    section(&t, _("Example"), c->example);
    if (c->parent) {
        const cb_code *p = cb_find_code(d, c->parent);
        section(&t, _("Under"), p ? p->label : c->parent);
    }
    if (c->other) {
        char *s = c->validate_message
                      ? xasprintf(_("Choosing it asks what it is, in a line of text: %s"), c->validate_message)
                      : xstrdup(_("Choosing it asks what it is, in a line of text."));
        section(&t, _("Other, specify"), s);
        free(s);
    }
    int rows = LINES - 2;
    o->scroll_max = t.n > (size_t)rows ? (int)t.n - rows : 0;
    if (o->scroll > o->scroll_max)
        o->scroll = o->scroll_max;
    for (int r = 0; r < rows && (size_t)(o->scroll + r) < t.n; r++)
        ui_put_styled(1 + r, 2, COLS - 4, t.v[o->scroll + r].text, false, t.v[o->scroll + r].st);
    for (size_t i = 0; i < t.n; i++)
        free(t.v[i].text);
    free(t.v);
    ui_observe_keybar(COD_IN_VIEW);
}

void ui_entry_key(obs *o, int key)
{
    if (!ui_view_scroll(o, key, LINES - 3))
        o->screen = OBS_CODING;
}
