/*
 * help.c — the help of `carnet observe` (obs.h): every key, place by
 * place, printed from the key map of the coding state machine
 * (cod_keys[], core/coding_keys.c) so that it says what the keys do.
 * Up, Down, PgUp, PgDn, Home and End scroll; any other key closes it.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/obs.h"
#include "tui/ui.h"

typedef struct help_line {
    char *keys; /* NULL on a continuation line */
    char *text;
    ui_style st;
    bool full; /* a heading or the closing paragraph: the whole width */
} help_line;

typedef struct help_text {
    help_line *v;
    size_t n, cap;
} help_text;

static void add(help_text *h, const char *keys, const char *text, ui_style st, bool full)
{
    xgrow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v);
    h->v[h->n++] = (help_line){xstrdup(keys), xstrdup(text), st, full};
}

/* The width of the keys column. */
static int keys_width(void)
{
    return COLS >= 100 ? 26 : 22;
}

static void add_wrapped(help_text *h, const char *keys, const char *text, int width, ui_style st, bool full)
{
    char **lines;
    size_t n = u8_wrap(text, width, &lines);
    for (size_t i = 0; i < n; i++) {
        add(h, i == 0 ? keys : NULL, lines[i], st, full);
        free(lines[i]);
    }
    if (!n)
        add(h, keys, "", st, full);
    free(lines);
}

static void build(help_text *h)
{
    static const unsigned places[] = {COD_IN_MAIN, COD_IN_HISTORY, COD_IN_INPUT, COD_IN_VIEW};
    int kw = keys_width(), tw = COLS - kw - 4;
    for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
        if (p)
            add(h, NULL, "", UI_NORMAL, true);
        add(h, NULL, _(cod_place_title(places[p])), UI_KEY, true);
        cod_help_item items[64];
        size_t n = cod_help_items(places[p], items, 64);
        for (size_t i = 0; i < n && i < 64; i++) {
            if ((int)u8_width(items[i].keys) > kw) {
                /* Long key lists on their own line. */
                add(h, items[i].keys, "", UI_NORMAL, false);
                add_wrapped(h, NULL, _(items[i].help), tw, UI_NORMAL, false);
            } else {
                add_wrapped(h, items[i].keys, _(items[i].help), tw, UI_NORMAL, false);
            }
        }
    }
    add(h, NULL, "", UI_NORMAL, true);
    add_wrapped(h, NULL, _(cod_help_footer), COLS - 4, UI_DIM, true);
}

static void help_free(help_text *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].keys);
        free(h->v[i].text);
    }
    free(h->v);
}

void ui_help_draw(obs *o)
{
    help_text h = {0};
    build(&h);
    char *title = xasprintf(" %s", _("carnet observe: the keys"));
    ui_title_bar(title, "");
    free(title);
    int rows = LINES - 2, kw = keys_width();
    o->scroll_max = h.n > (size_t)rows ? (int)h.n - rows : 0;
    if (o->scroll > o->scroll_max)
        o->scroll = o->scroll_max;
    for (int r = 0; r < rows && (size_t)(o->scroll + r) < h.n; r++) {
        const help_line *l = &h.v[o->scroll + r];
        if (l->keys)
            ui_put_styled(1 + r, 2, l->text[0] ? kw : COLS - 4, l->keys, false, UI_KEY);
        if (l->full)
            ui_put_styled(1 + r, 1, COLS - 2, l->text, false, l->st);
        else
            ui_put_styled(1 + r, 3 + kw, COLS - kw - 4, l->text, false, l->st);
    }
    help_free(&h);
    ui_observe_keybar(COD_IN_VIEW);
    if (o->scroll_max) {
        char *t = xasprintf(_("Up, Down, PgUp, PgDn: %d%%"), o->scroll * 100 / o->scroll_max);
        int w = (int)u8_width(t);
        ui_put_styled(LINES - 1, COLS - w - 1, w, t, false, UI_STATUS);
        free(t);
    }
}

void ui_help_key(obs *o, int key)
{
    if (!ui_view_scroll(o, key, LINES - 3))
        o->screen = OBS_CODING;
}
