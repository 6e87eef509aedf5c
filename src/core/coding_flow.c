/*
 * coding_flow.c — from keys to intended changes (cod_key(), coding.h).
 *
 * The rule of this file: a key that would change recorded data only fills
 * the change and returns, leaving the state as it found it (cod_commit()
 * applies the change once it is on disk); a key that only moves around
 * changes the state at once.  The key map itself is the table of
 * coding_keys.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/coding_internal.h"
#include "core/i18n.h"
#include "core/util.h"

/* ---- helpers ------------------------------------------------------------------- */

static void stamp(char out[TS_LEN], time_t now)
{
    ts_format(now, out);
}

static void simple_change(cod_change *c, cod_kind k, const cod_ix *x, time_t now)
{
    c->kind = k;
    if (x)
        snprintf(c->ix, sizeof c->ix, "%s", x->id);
    stamp(c->at, now);
}

static cod_ix *active(cod_state *s)
{
    return cod_ix_at(s, s->active);
}

/* The visible codes of the panel's dimension; caller frees *idx. */
static size_t panel_codes(const cod_state *s, const cb_dimension *d, size_t **idx)
{
    size_t n = d ? cod_visible_codes(d, NULL, 0) : 0;
    *idx = xcalloc(n ? n : 1, sizeof **idx);
    if (d)
        cod_visible_codes(d, *idx, n);
    (void)s;
    return n;
}

/* Moves a selection within n rows. */
static size_t move_sel(size_t sel, size_t n, cod_action a, size_t page)
{
    if (!n)
        return 0;
    switch (a) {
    case COD_A_UP:
        return sel ? sel - 1 : 0;
    case COD_A_DOWN:
        return sel + 1 < n ? sel + 1 : n - 1;
    case COD_A_PGUP:
        return sel > page ? sel - page : 0;
    case COD_A_PGDN:
        return sel + page < n ? sel + page : n - 1;
    case COD_A_TOP:
        return 0;
    case COD_A_BOTTOM:
        return n - 1;
    default:
        return sel;
    }
}

static bool is_move(cod_action a)
{
    return a == COD_A_UP || a == COD_A_DOWN || a == COD_A_PGUP || a == COD_A_PGDN || a == COD_A_TOP ||
           a == COD_A_BOTTOM;
}

static void open_input(cod_state *s, cod_input_kind k, size_t ix, size_t dim, size_t code, const char *text,
                       time_t now)
{
    cod_close_input(s);
    s->in.open = true;
    s->in.kind = k;
    s->in.ix = ix;
    s->in.dim = dim;
    s->in.code = code;
    stamp(s->in.at, now);
    le_set(&s->in.line, text);
}

void cod_suggest(cod_state *s)
{
    s->in.sugg_stale = true;
}

void cod_suggest_refresh(cod_state *s)
{
    cod_input *in = &s->in;
    if (!in->sugg_stale)
        return;
    in->sugg_stale = false;
    in->nsugg = 0;
    if (in->kind != COD_IN_NOTE || in->ix >= s->nixs)
        return;
    const cod_ix *x = &s->ixs[in->ix];
    cb_suggestion all[64];
    size_t n = cb_matcher_suggest(cod_book_of(s, x)->m, le_text(&in->line), all, 64);
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < n && in->nsugg < COD_MAX_SUGGEST; i++)
        if (!x->ans[all[i].dim].on[all[i].code])
            in->sugg[in->nsugg++] = all[i];
    if (in->sugg_sel >= in->nsugg)
        in->sugg_sel = in->nsugg ? in->nsugg - 1 : 0;
}

static const char *generic_invalid(void)
{
    return _("This answer does not have the form the codebook asks for");
}

/* ---- choosing codes ---------------------------------------------------------------- */

/* Code ci of dimension d of the active interaction, as its key asks. */
static void choose(cod_state *s, size_t d, size_t ci, time_t now, cod_change *out)
{
    cod_ix *x = active(s);
    const cb_dimension *dim = &cod_cb_of(s, x)->dims[d];
    const cb_code *code = &dim->codes[ci];
    bool on = x->ans[d].on[ci];
    if (dim->mode == CB_MULTIPLE && on) {
        cod_fill_code(s, x, d, ci, false, NULL, out);
        return;
    }
    if (code->other) {
        open_input(s, COD_IN_OTHER, (size_t)s->active, d, ci, x->ans[d].other[ci], now);
        return;
    }
    if (on) {
        /* Already the choice of this single-choice dimension: move on. */
        long n = cod_step_dim(cod_cb_of(s, x), d, +1, false);
        if (n >= 0)
            x->dim = (size_t)n;
        cod_reset_highlight(s);
        return;
    }
    cod_fill_code(s, x, d, ci, true, NULL, out);
    out->advance = dim->mode == CB_SINGLE;
}

static void tally(cod_state *s, const cb_code *code, time_t now, cod_change *out)
{
    if (s->paused) {
        cod_msg(s, COD_MSG_WARN, "%s", _("The session is paused: press , (or F6) to resume first"));
        return;
    }
    const cb_codebook *cb = cod_current_cb(s);
    long d = cod_tally_dim(cb);
    if (code->other) {
        cod_msg(s, COD_MSG_WARN, "%s",
                _("This code asks for a text: leave tally mode with * (or F5) to code the interaction in full"));
        return;
    }
    out->kind = COD_TALLY;
    out->dim = (size_t)d;
    out->code = (size_t)(code - cb->dims[d].codes);
    out->dim_id = cb->dims[d].id;
    out->code_id = code->id;
    stamp(out->at, now);
}

static void hotkey(cod_state *s, int key, time_t now, cod_change *out)
{
    int hk = cod_hotkey_of(key);
    const cb_codebook *cb;
    const cb_dimension *d = cod_panel_dim(s, &cb);
    cod_ix *x = active(s);
    if (!d) {
        cod_msg(s, COD_MSG_WARN, "%s", _("The codebook has no dimension to code"));
        return;
    }
    if (!s->tally && !x) {
        cod_msg(s, COD_MSG_WARN, "%s", _("No interaction open: press Space to start one"));
        return;
    }
    if (!s->tally && d->mode == CB_TEXT) {
        /* A free-text dimension has no hotkeys: typing starts the answer. */
        open_input(s, COD_IN_TEXT, (size_t)s->active, x->dim, 0, NULL, now);
        le_insert(&s->in.line, (unsigned long)key);
        return;
    }
    const cb_code *code = cb_code_by_key(d, hk);
    if (!code) {
        cod_msg(s, COD_MSG_WARN, _("No code has the key %c in %s"), hk, d->label);
        return;
    }
    if (s->tally)
        tally(s, code, now, out);
    else
        choose(s, x->dim, (size_t)(code - d->codes), now, out);
}

/* ---- the coding screen ---------------------------------------------------------------- */

static bool need_active(cod_state *s)
{
    if (s->tally) {
        cod_msg(s, COD_MSG_WARN, "%s", _("Tally mode: each key records a whole interaction; press * (or F5) to code in full"));
        return false;
    }
    if (!active(s)) {
        cod_msg(s, COD_MSG_WARN, "%s", _("No interaction open: press Space to start one"));
        return false;
    }
    return true;
}

static void switch_open(cod_state *s, int dir)
{
    size_t n = cod_open_list(s, NULL, 0);
    if (!n || s->tally) {
        cod_msg(s, COD_MSG_INFO, "%s", n ? _("Leave tally mode (*) to switch") : _("No interaction open"));
        return;
    }
    size_t *idx = xcalloc(n, sizeof *idx);
    cod_open_list(s, idx, n);
    size_t pos = dir > 0 ? 0 : n - 1;
    for (size_t i = 0; i < n; i++)
        if ((long)idx[i] == s->active)
            pos = (i + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
    s->active = (long)idx[pos];
    free(idx);
    cod_reset_highlight(s);
    cod_msg(s, COD_MSG_INFO, _("Coding #%d"), s->ixs[s->active].num);
}

static void choose_highlighted(cod_state *s, time_t now, cod_change *out)
{
    const cb_dimension *d = cod_panel_dim(s, NULL);
    cod_ix *x = active(s);
    if (!s->tally && !need_active(s))
        return;
    if (!s->tally && d->mode == CB_TEXT) {
        open_input(s, COD_IN_TEXT, (size_t)s->active, x->dim, 0, x->ans[x->dim].text, now);
        return;
    }
    const cb_code *c = cod_entry_code(s, NULL);
    if (!c)
        return;
    if (s->tally)
        tally(s, c, now, out);
    else
        choose(s, x->dim, (size_t)(c - d->codes), now, out);
}

static void clear(cod_state *s, cod_change *out)
{
    if (!need_active(s))
        return;
    cod_ix *x = active(s);
    const cb_dimension *d = &cod_cb_of(s, x)->dims[x->dim];
    if (d->mode == CB_TEXT) {
        if (!x->ans[x->dim].text) {
            cod_msg(s, COD_MSG_INFO, "%s", _("Nothing to remove"));
            return;
        }
        out->kind = COD_TEXT;
        snprintf(out->ix, sizeof out->ix, "%s", x->id);
        out->dim = x->dim;
        out->dim_id = d->id;
        return;
    }
    const cb_code *hl = cod_entry_code(s, NULL);
    size_t ci = hl ? (size_t)(hl - d->codes) : 0;
    if (d->mode == CB_SINGLE)
        for (size_t i = 0; i < d->ncodes; i++)
            if (x->ans[x->dim].on[i])
                ci = i;
    if (!hl || !x->ans[x->dim].on[ci]) {
        cod_msg(s, COD_MSG_INFO, "%s", _("Nothing to remove: the highlighted code is not chosen"));
        return;
    }
    cod_fill_code(s, x, x->dim, ci, false, NULL, out);
}

static cod_request quit(cod_state *s)
{
    size_t n = cod_open_list(s, NULL, 0);
    if (n && !s->quit_armed) {
        s->quit_armed = true;
        cod_msg(s, COD_MSG_WARN,
                ngettext("%zu interaction is still open: press F10 (or Ctrl-X) again to quit; it stays open",
                         "%zu interactions are still open: press F10 (or Ctrl-X) again to quit; they stay open", n),
                n);
        return COD_REQ_NONE;
    }
    return COD_REQ_QUIT;
}

static void undo_redo(cod_state *s, bool redo, cod_change *out)
{
    cod_undo *v = redo ? s->redo : s->undo;
    size_t n = redo ? s->nredo : s->nundo;
    if (!n) {
        cod_msg(s, COD_MSG_INFO, "%s", redo ? _("Nothing to redo") : _("Nothing to undo"));
        return;
    }
    cod_change_copy(out, redo ? &v[n - 1].redo : &v[n - 1].undo);
    out->origin = redo ? COD_FROM_REDO : COD_FROM_UNDO;
}

/* Keys that work the same on the coding screen and in the history. */
static bool common(cod_state *s, cod_action a, time_t now, cod_change *out, cod_request *req)
{
    switch (a) {
    case COD_A_UNDO:
    case COD_A_REDO:
        undo_redo(s, a == COD_A_REDO, out);
        return true;
    case COD_A_PAUSE:
        simple_change(out, s->paused ? COD_RESUME : COD_PAUSE, NULL, now);
        return true;
    case COD_A_FIELD_NOTE:
        open_input(s, COD_IN_FIELD_NOTE, 0, 0, 0, NULL, now);
        return true;
    case COD_A_HELP:
        *req = COD_REQ_HELP;
        return true;
    case COD_A_REDRAW:
        *req = COD_REQ_REDRAW;
        return true;
    case COD_A_INTERRUPT:
        cod_msg(s, COD_MSG_INFO, "%s", _("Ctrl-C does not quit: press F10 or Ctrl-X (everything is already recorded)"));
        return true;
    case COD_A_QUIT:
        *req = quit(s);
        return true;
    default:
        return false;
    }
}

static cod_request main_key(cod_state *s, cod_action a, time_t now, cod_change *out)
{
    cod_ix *x = active(s);
    switch (a) {
    case COD_A_START:
        if (s->paused)
            cod_msg(s, COD_MSG_WARN, "%s", _("The session is paused: press , (or F6) to resume first"));
        else if (s->tally)
            need_active(s);
        else
            simple_change(out, COD_START, NULL, now);
        break;
    case COD_A_END:
        if (!need_active(s))
            break;
        if (x->ended_at[0]) {
            /* Changing an earlier interaction: Enter comes back. */
            s->active = cod_last_open(s, s->active);
            cod_reset_highlight(s);
            cod_msg(s, COD_MSG_INFO, "%s", _("Back to the open interactions"));
        } else {
            simple_change(out, COD_END, x, now);
        }
        break;
    case COD_A_NEXT_DIM:
    case COD_A_PREV_DIM:
        if (need_active(s)) {
            long d = cod_step_dim(cod_cb_of(s, x), x->dim, a == COD_A_NEXT_DIM ? +1 : -1, true);
            if (d >= 0)
                x->dim = (size_t)d;
            cod_reset_highlight(s);
        }
        break;
    case COD_A_CHOOSE:
        choose_highlighted(s, now, out);
        break;
    case COD_A_CLEAR:
        clear(s, out);
        break;
    case COD_A_NOTE:
        if (need_active(s)) {
            open_input(s, COD_IN_NOTE, (size_t)s->active, 0, 0, x->note, now);
            cod_suggest(s);
        }
        break;
    case COD_A_NEXT_OPEN:
    case COD_A_PREV_OPEN:
        switch_open(s, a == COD_A_NEXT_OPEN ? +1 : -1);
        break;
    case COD_A_TALLY:
        s->tally = !s->tally;
        cod_reset_highlight(s);
        if (s->tally) {
            const cb_codebook *cb = cod_current_cb(s);
            long d = cb ? cod_tally_dim(cb) : -1;
            if (d < 0) {
                s->tally = false;
                cod_msg(s, COD_MSG_WARN, "%s", _("The codebook has no dimension with codes to tally"));
            } else {
                cod_msg(s, COD_MSG_INFO, _("Tally mode: each key records a complete interaction on %s; * to leave"),
                        cb->dims[d].label);
            }
        } else {
            cod_msg(s, COD_MSG_INFO, "%s", _("Tally mode off"));
        }
        break;
    case COD_A_HISTORY:
        s->view = COD_VIEW_HISTORY;
        s->hist_sel = s->nixs ? s->nixs - 1 : 0;
        break;
    case COD_A_CODEBOOK:
        return COD_REQ_CODEBOOK;
    case COD_A_ENTRY:
        if (cod_entry_code(s, NULL))
            return COD_REQ_ENTRY;
        cod_msg(s, COD_MSG_INFO, "%s", _("No code is highlighted"));
        break;
    default:
        if (is_move(a)) {
            size_t *idx;
            size_t n = panel_codes(s, cod_panel_dim(s, NULL), &idx);
            free(idx);
            s->hl = move_sel(s->hl, n, a, s->page);
        }
        break;
    }
    return COD_REQ_NONE;
}

/* ---- the history of the session -------------------------------------------------------- */

static void times_text(const cod_ix *x, char *buf, size_t n)
{
    char a[16], b[16];
    if (x->ended_at[0])
        snprintf(buf, n, "%s %s", cod_clock(x->started_at, a, sizeof a), cod_clock(x->ended_at, b, sizeof b));
    else
        snprintf(buf, n, "%s", cod_clock(x->started_at, a, sizeof a));
}

static cod_request history_key(cod_state *s, cod_action a, time_t now, cod_change *out)
{
    cod_ix *x = cod_ix_at(s, (long)s->hist_sel);
    if (is_move(a)) {
        s->hist_sel = move_sel(s->hist_sel, s->nixs, a, s->page);
        return COD_REQ_NONE;
    }
    if (a == COD_A_BACK) {
        s->view = COD_VIEW_MAIN;
        return COD_REQ_NONE;
    }
    if (a == COD_A_NOTES)
        return COD_REQ_NOTES; /* there may be notes and no interaction yet */
    if (!x) {
        cod_msg(s, COD_MSG_INFO, "%s", _("No interaction yet"));
        return COD_REQ_NONE;
    }
    switch (a) {
    case COD_A_OPEN:
        if (x->deleted) {
            cod_msg(s, COD_MSG_WARN, _("#%d is deleted: restore it first (Backspace)"), x->num);
            break;
        }
        s->view = COD_VIEW_MAIN;
        s->tally = false;
        s->active = (long)s->hist_sel;
        cod_reset_highlight(s);
        if (x->ended_at[0])
            cod_msg(s, COD_MSG_INFO, _("Changing #%d: its codes and note; Enter comes back"), x->num);
        else
            cod_msg(s, COD_MSG_INFO, _("Coding #%d"), x->num);
        break;
    case COD_A_NOTE:
        open_input(s, COD_IN_NOTE, s->hist_sel, 0, 0, x->note, now);
        cod_suggest(s);
        break;
    case COD_A_TIMES: {
        char t[40];
        times_text(x, t, sizeof t);
        open_input(s, COD_IN_TIMES, s->hist_sel, 0, 0, t, now);
        break;
    }
    case COD_A_DELETE:
        simple_change(out, x->deleted ? COD_RESTORE : COD_DELETE, x, now);
        break;
    default:
        break;
    }
    return COD_REQ_NONE;
}

/* ---- the input line -------------------------------------------------------------------- */

/* "9:05" or "09:05:12" as hours, minutes, seconds. */
static bool clock_fields(const char *tok, int *h, int *m, int *sec)
{
    int n = 0;
    *sec = 0;
    if (sscanf(tok, "%2d:%2d:%2d%n", h, m, sec, &n) == 3 && !tok[n])
        return true;
    n = 0;
    *sec = 0;
    return sscanf(tok, "%2d:%2d%n", h, m, &n) == 2 && !tok[n];
}

/* One clock time "9:05", "09:05:12" on the date of day (a timestamp), or a
 * whole timestamp; false when it is neither. */
static bool parse_clock(const char *tok, const char *day, char out[TS_LEN])
{
    time_t t;
    if (ts_parse(tok, &t)) {
        snprintf(out, TS_LEN, "%s", tok);
        return true;
    }
    int h, m, sec;
    if (!clock_fields(tok, &h, &m, &sec))
        return false;
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return false;
    int Y, M, D;
    if (sscanf(day, "%4d-%2d-%2d", &Y, &M, &D) != 3)
        return false;
    struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = sec,
                    .tm_isdst = -1};
    t = mktime(&tm);
    if (t == (time_t)-1)
        return false;
    ts_format(t, out);
    return true;
}

/* "09:05 09:12", "09:05 - 09:12", "09:05" into a start and an end. */
static bool parse_times(const char *text, const char *day, char start[TS_LEN], char end[TS_LEN])
{
    char *copy = xstrdup(text);
    char *tok[3];
    int n = 0;
    for (char *p = strtok(copy, " \t"); p; p = strtok(NULL, " \t")) {
        if (!strcmp(p, "-") || !strcmp(p, "\xE2\x80\x93")) /* a dash, or an en dash, between them */
            continue;
        if (n == 2) {
            n = 3;
            break;
        }
        tok[n++] = p;
    }
    bool ok = n >= 1 && n <= 2 && parse_clock(tok[0], day, start) && (n == 1 || parse_clock(tok[1], day, end));
    if (ok && n == 1)
        end[0] = '\0';
    free(copy);
    return ok;
}

static void submit_times(cod_state *s, const cod_ix *x, const char *t, cod_change *out)
{
    char start[TS_LEN], end[TS_LEN];
    if (!parse_times(t, x->started_at, start, end)) {
        cod_msg(s, COD_MSG_WARN, "%s", _("Give a start and an end such as 09:05 09:12 (or 09:05:30 09:12:10)"));
        return;
    }
    time_t a, b;
    if (end[0] && ts_parse(start, &a) && ts_parse(end, &b) && b < a) {
        cod_msg(s, COD_MSG_WARN, "%s", _("An interaction cannot end before it starts"));
        return;
    }
    if (!strcmp(start, x->started_at) && !strcmp(end, x->ended_at)) {
        cod_close_input(s);
        cod_msg(s, COD_MSG_INFO, "%s", _("Times unchanged"));
        return;
    }
    bool reopen = !strcmp(start, x->started_at) && !end[0];
    out->kind = reopen ? COD_REOPEN : COD_TIMES;
    snprintf(out->ix, sizeof out->ix, "%s", x->id);
    snprintf(out->at, sizeof out->at, "%s", start);
    snprintf(out->until, sizeof out->until, "%s", end);
    out->close_input = true;
}

static void submit(cod_state *s, cod_change *out)
{
    cod_input *in = &s->in;
    char *t = le_trimmed(&in->line);
    cod_ix *x = in->kind != COD_IN_FIELD_NOTE ? cod_ix_at(s, (long)in->ix) : NULL;
    const cb_dimension *dim = x && (in->kind == COD_IN_OTHER || in->kind == COD_IN_TEXT)
                                  ? &cod_cb_of(s, x)->dims[in->dim]
                                  : NULL;
    const char *why;
    switch (in->kind) {
    case COD_IN_OTHER:
        if (!*t) {
            cod_msg(s, COD_MSG_WARN, "%s", _("Type what it is (or Esc to leave without recording)"));
        } else if (!cb_matcher_validate(cod_book_of(s, x)->m, in->dim, in->code, t, &why)) {
            cod_msg(s, COD_MSG_WARN, "%s", why ? why : generic_invalid());
        } else if (x->ans[in->dim].on[in->code] && str_eq0(x->ans[in->dim].other[in->code], t)) {
            cod_close_input(s);
        } else {
            cod_fill_code(s, x, in->dim, in->code, true, t, out);
            out->advance = dim->mode == CB_SINGLE;
            out->close_input = true;
        }
        break;
    case COD_IN_TEXT:
        if (*t && !cb_matcher_validate(cod_book_of(s, x)->m, in->dim, CB_NO_CODE, t, &why)) {
            cod_msg(s, COD_MSG_WARN, "%s", why ? why : generic_invalid());
        } else if (str_eq0(x->ans[in->dim].text, t)) {
            cod_close_input(s);
        } else {
            out->kind = COD_TEXT;
            snprintf(out->ix, sizeof out->ix, "%s", x->id);
            out->dim = in->dim;
            out->dim_id = dim->id;
            out->text = *t ? xstrdup(t) : NULL;
            out->advance = *t != '\0';
            out->close_input = true;
        }
        break;
    case COD_IN_NOTE:
        if (str_eq0(x->note, t)) {
            cod_close_input(s);
        } else {
            out->kind = COD_NOTE;
            snprintf(out->ix, sizeof out->ix, "%s", x->id);
            out->text = *t ? xstrdup(t) : NULL;
            out->close_input = true;
        }
        break;
    case COD_IN_FIELD_NOTE:
        if (!*t) {
            cod_close_input(s);
            cod_msg(s, COD_MSG_INFO, "%s", _("An empty note is not recorded"));
        } else {
            out->kind = COD_FIELD_NOTE;
            snprintf(out->at, sizeof out->at, "%s", in->at);
            out->text = xstrdup(t);
            out->close_input = true;
        }
        break;
    case COD_IN_TIMES:
        submit_times(s, x, t, out);
        break;
    }
    free(t);
}

static cod_request input_key(cod_state *s, int key, cod_change *out)
{
    cod_input *in = &s->in;
    const cod_keydef *k = cod_keydef_of(COD_IN_INPUT, key);
    if (!k) {
        if (key >= 0x20 && key < COD_K_BASE && le_insert(&in->line, (unsigned long)key))
            cod_suggest(s);
        else if (key >= 0x20 && key < COD_K_BASE && le_full(&in->line, (unsigned long)key))
            cod_msg(s, COD_MSG_WARN, _("The line is full (%u bytes): what follows was not typed"), LE_MAX);
        return COD_REQ_NONE;
    }
    if (k->action == COD_A_UP || k->action == COD_A_DOWN || k->action == COD_A_SUGGEST)
        cod_suggest_refresh(s);
    switch (k->action) {
    case COD_A_SUBMIT:
        submit(s, out);
        break;
    case COD_A_CANCEL:
        cod_close_input(s);
        cod_msg(s, COD_MSG_INFO, "%s", _("Left without recording"));
        break;
    case COD_A_UP:
    case COD_A_DOWN:
        in->sugg_sel = move_sel(in->sugg_sel, in->nsugg, k->action, 1);
        break;
    case COD_A_SUGGEST:
        if (in->kind == COD_IN_NOTE && in->nsugg) {
            const cb_suggestion *g = &in->sugg[in->sugg_sel];
            cod_fill_code(s, &s->ixs[in->ix], g->dim, g->code, true, NULL, out);
        }
        break;
    case COD_A_EDIT:
        le_apply(&in->line, k->edit);
        cod_suggest(s);
        break;
    default:
        break;
    }
    return COD_REQ_NONE;
}

/* ---- the entry point ------------------------------------------------------------------- */

cod_request cod_key(cod_state *s, int key, time_t now, cod_change *out)
{
    memset(out, 0, sizeof *out);
    if (s->in.open)
        return input_key(s, key, out);
    unsigned where = s->view == COD_VIEW_HISTORY ? COD_IN_HISTORY : COD_IN_MAIN;
    const cod_keydef *k = cod_keydef_of(where, key);
    cod_action a = k ? k->action : COD_A_NONE;
    if (a != COD_A_QUIT)
        s->quit_armed = false;
    cod_request req = COD_REQ_NONE;
    if (!k) {
        if (where == COD_IN_MAIN && cod_hotkey_of(key)) {
            hotkey(s, key, now, out);
        } else if (key != COD_K_ESC) {
            char name[32];
            cod_msg(s, COD_MSG_INFO, _("The key %s does nothing here: ? (or F1) shows the keys"),
                    cod_key_name(key, name, sizeof name));
        }
        return COD_REQ_NONE;
    }
    if (common(s, a, now, out, &req))
        return req;
    if (where == COD_IN_HISTORY)
        return history_key(s, a, now, out);
    return main_key(s, a, now, out);
}
