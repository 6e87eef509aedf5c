/*
 * observe.c — the coding screen of `carnet observe` (obs.h).
 *
 * Its draw function shows the coding state: a header (study, site,
 * observer, clock, session time without pauses, interactions so far), the
 * open interactions with their numbers, the interaction being coded with
 * each dimension and its answer, the codes of the active dimension, the
 * last interactions, the status line and the bar of main keys.  At 80x24
 * every part fits; a larger terminal widens the code panel and lengthens
 * the list of last interactions.
 *
 * Its key function serves every view the coding state machine drives (the
 * coding screen, the history, the input line): the key becomes an intended
 * change, the change is committed, and only then applied to the state
 * (core/coding.h).  A refused change leaves the state as it was and puts
 * the store's reason on the status line.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/codebook_edit.h"
#include "tui/obs.h"
#include "tui/panels.h"
#include "tui/ui.h"

/* Where each part of the screen goes. */
typedef struct layout {
    int left_w;             /* the interaction being coded */
    int right_x, right_w;   /* the code panel */
    int body_top, body_rows; /* both panels, title row included */
    int last_top, last_rows; /* the last interactions, after their title row */
} layout;

static void lay_out(layout *L)
{
    L->last_rows = 3 + (LINES - UI_MIN_ROWS) / 2;
    L->last_top = LINES - 3 - L->last_rows;
    L->body_top = 2;
    L->body_rows = L->last_top - L->body_top;
    L->left_w = 40 + (COLS - UI_MIN_COLS) / 3;
    L->right_x = L->left_w + 1;
    L->right_w = COLS - L->right_x;
}

bool ui_observe_use_codebook(obs *o, const char *vid, st_error *e)
{
    char id[UUID_STRLEN];
    snprintf(id, sizeof id, "%s", vid); /* vid may be the context's own */
    cb_codebook *cb;
    if (st_codebook_load(o->db, id, &cb, NULL, e))
        return false;
    cod_add_book(o->cs, id, cb, true);
    memcpy(o->ctx.codebook_version_id, id, sizeof id);
    return true;
}

/* ---- text of an interaction ------------------------------------------------- */

/* The answer of x on dimension d ("CAF, Autre (Banque)", "35000"), or NULL
 * when empty; new string. */
static char *answer_text(const cod_state *s, const cod_ix *x, size_t d)
{
    const cb_dimension *dim = &cod_cb_of(s, x)->dims[d];
    if (dim->mode == CB_TEXT)
        return xstrdup(x->ans[d].text);
    strbuf b = {0};
    for (size_t c = 0; c < dim->ncodes; c++) {
        if (!x->ans[d].on[c])
            continue;
        if (b.len)
            sb_add(&b, ", ");
        sb_add(&b, dim->codes[c].label);
        if (x->ans[d].other[c])
            sb_printf(&b, " (%s)", x->ans[d].other[c]);
    }
    return b.len ? sb_take(&b) : (sb_free(&b), NULL);
}

char *ui_observe_summary(const cod_state *s, const cod_ix *x)
{
    const cb_codebook *cb = cod_cb_of(s, x);
    strbuf b = {0};
    sb_add(&b, "");
    for (size_t d = 0; d < cb->ndims; d++) {
        char *a = answer_text(s, x, d);
        if (a) {
            if (b.len)
                sb_add(&b, " \xC2\xB7 ");
            sb_add(&b, a);
            free(a);
        }
    }
    return sb_take(&b);
}

/* ---- the parts of the screen -------------------------------------------------- */

static void header(const obs *o)
{
    char clock[16], dur[32], right[200];
    struct tm tm;
    localtime_r(&o->now, &tm);
    strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    size_t n = cod_count(o->cs);
    snprintf(right, sizeof right, ngettext("%s%s%s \xC2\xB7 session %s \xC2\xB7 %zu interaction",
                                           "%s%s%s \xC2\xB7 session %s \xC2\xB7 %zu interactions", n),
             o->cs->paused ? _("PAUSED ") : "", o->cs->tally ? _("TALLY ") : "", clock,
             cod_fmt_duration(cod_session_seconds(o->cs, o->now), dur, sizeof dur), n);
    int rw = (int)u8_width(right) + 1;
    /* The site and the observer first, then the study's name in the room
     * left: whole, or cut (ending in "…") when at least a few letters of it
     * fit, as at 80 columns. */
    char *left = xasprintf(" %s \xC2\xB7 %s", le_text(&o->form.field[0]), le_text(&o->form.field[1]));
    int room = COLS - rw - (int)u8_width(left) - 4;
    if (room >= 6) {
        char *study = u8_fit(o->study, room, 0);
        char *with = xasprintf(" %s \xC2\xB7%s", study, left);
        free(study);
        free(left);
        left = with;
    }
    int rx = ui_title_bar(left, right);
    if (o->cs->paused) /* in another colour than the bar */
        ui_put_styled(0, rx, (int)u8_width(_("PAUSED")), _("PAUSED"), false, UI_SELECTED);
    free(left);
}

static void open_row(const obs *o)
{
    const cod_state *s = o->cs;
    size_t n = cod_open_list(s, NULL, 0);
    if (!n) {
        ui_put_styled(1, 1, COLS - 2, _("No interaction open: Space starts one"), false, UI_DIM);
        return;
    }
    size_t *idx = xcalloc(n, sizeof *idx);
    cod_open_list(s, idx, n);
    int x = ui_put_styled(1, 1, COLS - 2, _("Open:"), false, UI_DIM) + 1;
    for (size_t i = 0; i < n && x < COLS - 4; i++) {
        const cod_ix *ix = &s->ixs[idx[i]];
        char a[16], d[32], *t;
        cod_clock(ix->started_at, a, sizeof a);
        a[5] = '\0';
        t = xasprintf(_(" #%d %s (%s) "), ix->num, a, cod_fmt_duration(cod_ix_seconds(s, ix, o->now), d, sizeof d));
        x += ui_put_styled(1, x, COLS - x, t, false, (long)idx[i] == s->active ? UI_SELECTED : UI_NORMAL) + 1;
        free(t);
    }
    free(idx);
}

/* The title of the left panel. */
static void coded_title(const obs *o, const layout *L)
{
    const cod_state *s = o->cs;
    const cod_ix *x = cod_active(s);
    char *t;
    char a[16], b[16], d[32];
    if (s->tally)
        t = xstrdup(_("Tally mode"));
    else if (!x)
        t = xstrdup(_("No interaction being coded"));
    else if (x->ended_at[0])
        t = xasprintf(_("#%d %s-%s (%s), changing"), x->num, cod_clock(x->started_at, a, sizeof a),
                      cod_clock(x->ended_at, b, sizeof b), cod_fmt_duration(cod_ix_seconds(s, x, o->now), d, sizeof d));
    else
        t = xasprintf(_("#%d started %s (%s)"), x->num, cod_clock(x->started_at, a, sizeof a),
                      cod_fmt_duration(cod_ix_seconds(s, x, o->now), d, sizeof d));
    ui_put_styled(L->body_top, 1, L->left_w - 1, t, false, UI_KEY);
    free(t);
}

static void coded(const obs *o, const layout *L)
{
    const cod_state *s = o->cs;
    const cod_ix *x = cod_active(s);
    int y = L->body_top + 1, end = L->body_top + L->body_rows;
    coded_title(o, L);
    if (s->tally) {
        const cb_codebook *cb = cod_current_cb(s);
        long d = cod_tally_dim(cb);
        char *t = xasprintf(_("Each key records a complete interaction with that code on %s, its duration unknown. "
                              "* (or F5) goes back to coding in full."),
                            d >= 0 ? cb->dims[d].label : "");
        ui_put_wrapped(y + 1, 1, L->left_w - 2, end - y - 1, t, UI_NORMAL);
        free(t);
        return;
    }
    if (!x) {
        ui_put_wrapped(y + 1, 1, L->left_w - 2, end - y - 1,
                       _("Space starts an interaction when a visitor comes to the desk. The codes of the first "
                         "dimension are on the right; ! shows a code's entry, ? every key."),
                       UI_DIM);
        return;
    }
    const cb_codebook *cb = cod_cb_of(s, x);
    ui_dim_row *rows = xcalloc(cb->ndims, sizeof *rows);
    char **answers = xcalloc(cb->ndims, sizeof *answers);
    size_t n = 0, active = (size_t)-1;
    for (size_t d = 0; d < cb->ndims; d++) {
        const cb_dimension *dim = &cb->dims[d];
        if (!cod_dim_active(dim))
            continue;
        if (d == x->dim)
            active = n;
        answers[n] = answer_text(s, x, d);
        rows[n] = (ui_dim_row){dim->label, dim->required, answers[n], UI_OK,
                               dim->required ? _("required") : "-", dim->required ? UI_WARN : UI_DIM};
        n++;
    }
    y = ui_dim_rows(y, end, 0, L->left_w + 1, rows, n, active, ">", L->left_w / 2 - 2);
    for (size_t i = 0; i < n; i++)
        free(answers[i]);
    free(answers);
    free(rows);
    if (x->note && y + 1 < end) {
        /* Only as much of the note as the rows can show is wrapped: a note
         * of a megabyte is drawn as fast as a short one. */
        size_t room = (size_t)(end - y) * (size_t)L->left_w * 4 + 4, len = strlen(x->note);
        if (len > room) {
            len = room;
            while (len && ((unsigned char)x->note[len] & 0xC0) == 0x80)
                len--;
        }
        char *head = xstrndup(x->note, len);
        char *t = xasprintf(_("Note: %s"), head);
        ui_put_wrapped(y + 1, 1, L->left_w - 2, end - y - 1, t, UI_DIM);
        free(t);
        free(head);
    }
}

static const char *mode_word(const cb_dimension *d)
{
    switch (d->mode) {
    case CB_SINGLE:
        return _("one choice");
    case CB_MULTIPLE:
        return _("several choices");
    case CB_TEXT:
        break;
    }
    return _("free text");
}

static void codes_panel(obs *o, const layout *L)
{
    cod_state *s = o->cs;
    const cb_dimension *d = cod_panel_dim(s, NULL);
    int x0 = L->right_x, w = L->right_w, y = L->body_top, rows = L->body_rows - 1;
    cod_set_page(s, (size_t)rows);
    if (!d)
        return;
    /* Required dimensions carry a star, as on the left. */
    char *t = xasprintf("%s%s \xC2\xB7 %s", d->label, d->required ? "*" : "", mode_word(d));
    ui_put_styled(y, x0, w, t, false, UI_KEY);
    free(t);
    const cod_ix *x = s->tally ? NULL : cod_active(s);
    if (d->mode == CB_TEXT) {
        char *cur = x && x->ans[x->dim].text ? xasprintf(_("Answer: %s"), x->ans[x->dim].text)
                                             : xstrdup(_("No answer yet."));
        int n = ui_put_wrapped(y + 1, x0, w, rows, cur, UI_OK);
        free(cur);
        n += ui_put_wrapped(y + 2 + n, x0, w, rows - n - 1,
                            _("Type the answer (a letter or a digit starts it); = changes it, Backspace removes it."),
                            UI_DIM);
        if (d->validate_message)
            ui_put_wrapped(y + 3 + n, x0, w, rows - n - 2, d->validate_message, UI_DIM);
        return;
    }
    ui_codes p = {.dim = d, .chosen = x ? x->ans[x->dim].on : NULL, .highlight = (long)s->hl, .cols = 1,
                  .specify = true};
    ui_code_panel(y, x0, w, rows, &p, &o->codes_top);
}

static void last_interactions(const obs *o, const layout *L)
{
    const cod_state *s = o->cs;
    ui_put_styled(L->last_top, 1, COLS - 2, _("Last interactions"), false, UI_DIM);
    int y = L->last_top + 1;
    for (long i = (long)s->nixs - 1; i >= 0 && y < L->last_top + 1 + L->last_rows; i--) {
        const cod_ix *x = &s->ixs[i];
        if (x->deleted || !x->ended_at[0])
            continue;
        char a[16], d[32];
        cod_clock(x->started_at, a, sizeof a);
        a[5] = '\0';
        char *sum = ui_observe_summary(s, x);
        const char *dur = x->tally ? _("tally") : cod_fmt_duration(cod_ix_seconds(s, x, o->now), d, sizeof d);
        char *line = xasprintf("#%-3d %s %6s %s%s", x->num, a, dur, x->incomplete ? _("[incomplete] ") : "", sum);
        ui_put_styled(y++, 1, COLS - 2, line, false, x->incomplete ? UI_WARN : UI_NORMAL);
        free(line);
        free(sum);
    }
}

void ui_observe_status(const obs *o)
{
    const cod_state *s = o->cs;
    if (!s)
        return;
    ui_message(s->msg, s->msg_kind == COD_MSG_WARN ? UI_WARN : s->msg_kind == COD_MSG_OK ? UI_OK : UI_NORMAL);
}

void ui_observe_keybar(unsigned where)
{
    ui_fill_row(LINES - 1, UI_STATUS);
    /* The hints of the table: those of this place alone first, then those
     * it shares with others (undo, help, quit); when they do not fit, the
     * ones of the largest rank give way, the rightmost first. */
    enum { MAX_ITEMS = 24 };
    char *name[MAX_ITEMS], *hint[MAX_ITEMS];
    bool shown[MAX_ITEMS];
    int width[MAX_ITEMS], rank[MAX_ITEMS], total = 0;
    size_t n = 0;
    for (int shared = 0; shared < 2; shared++)
        for (size_t i = 0; i < cod_nkeys && n < MAX_ITEMS; i++) {
            const cod_keydef *k = &cod_keys[i];
            if (!(k->where & where) || !k->hint || ((k->where & ~where) != 0) != shared)
                continue;
            char buf[32];
            name[n] = xstrdup(cod_key_name(k->keys[0], buf, sizeof buf));
            hint[n] = xstrdup(_(k->hint));
            width[n] = (int)(u8_width(name[n]) + 1 + u8_width(hint[n]) + 2);
            rank[n] = k->rank;
            total += width[n];
            shown[n++] = true;
        }
    while (total > COLS - 1) {
        long drop = -1;
        for (size_t i = 0; i < n; i++)
            if (shown[i] && rank[i] > 1 && (drop < 0 || rank[i] >= rank[drop]))
                drop = (long)i;
        if (drop < 0)
            break;
        shown[drop] = false;
        total -= width[drop];
    }
    int x = 1;
    for (size_t i = 0; i < n; i++) {
        if (shown[i]) {
            ui_style_on(UI_STATUS);
            attron(A_BOLD);
            x += ui_put(LINES - 1, x, COLS - x, name[i], false) + 1;
            attroff(A_BOLD);
            x += ui_put(LINES - 1, x, COLS - x, hint[i], false) + 2;
            ui_style_off(UI_STATUS);
        }
        free(name[i]);
        free(hint[i]);
    }
}

void ui_observe_draw(obs *o)
{
    layout L;
    lay_out(&L);
    header(o);
    if (o->cs->view == COD_VIEW_HISTORY) {
        ui_history_draw(o, 1, LINES - 3);
    } else {
        open_row(o);
        coded(o, &L);
        for (int y = L.body_top; y < L.body_top + L.body_rows; y++)
            mvaddch(y, L.left_w, ' ');
        codes_panel(o, &L);
        if (!o->cs->in.open)
            last_interactions(o, &L);
    }
    if (o->cs->in.open)
        ui_input_draw(o, L.last_top);
    ui_observe_status(o);
    ui_observe_keybar(o->cs->in.open ? COD_IN_INPUT
                      : o->cs->view == COD_VIEW_HISTORY ? COD_IN_HISTORY
                                                        : COD_IN_MAIN);
}

/* A message of the screen's own on the status line. */
static void say(obs *o, cod_msg_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(obs *o, cod_msg_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->cs->msg, sizeof o->cs->msg, fmt, ap);
    va_end(ap);
    o->cs->msg_kind = kind;
}

/*
 * The codebook editor, inside this curses screen, the session staying open
 * (nothing of it waits on the editor: every change was committed).  A
 * version saved there becomes the one of the interactions started from
 * now on; those already started keep theirs, and the session row the one
 * it opened with.  The editor draws the whole screen, and may have seen it
 * resized: the next draw starts from a blank screen at the size curses has.
 */
static void edit_codebook(obs *o)
{
    bool saved = false;
    char vid[UUID_STRLEN];
    st_error e = {0};
    if (ui_cbedit_run(o->db, o->ctx.who, &saved, vid, &e) != ST_OK)
        say(o, COD_MSG_WARN, _("The codebook editor could not open: %s"), e.msg);
    else if (!saved)
        say(o, COD_MSG_INFO, "%s", _("Back from the codebook editor: the codebook is as it was"));
    else if (!ui_observe_use_codebook(o, vid, &e))
        say(o, COD_MSG_WARN, _("The new codebook version was saved but cannot be used here: %s"), e.msg);
    else
        say(o, COD_MSG_OK,
            _("Codebook version %d for the interactions started from now on; those already started keep theirs"),
            cod_current_cb(o->cs)->version);
    clearok(curscr, TRUE);
}

void ui_observe_key(obs *o, int key)
{
    cod_change c;
    cod_request req = cod_key(o->cs, key, o->now, &c);
    if (c.kind != COD_NONE) {
        cod_result r;
        st_error e = {0};
        if (st_apply_change(o->db, &o->ctx, &c, &r, &e) == ST_OK)
            cod_commit(o->cs, &c, &r);
        else
            cod_fail(o->cs, &c, e.msg);
    }
    cod_change_free(&c);
    switch (req) {
    case COD_REQ_HELP:
        o->screen = OBS_HELP;
        o->scroll = 0;
        break;
    case COD_REQ_ENTRY:
        o->screen = OBS_ENTRY;
        o->scroll = 0;
        break;
    case COD_REQ_QUIT:
        o->quit = true;
        break;
    case COD_REQ_REDRAW:
        clearok(curscr, TRUE);
        break;
    case COD_REQ_CODEBOOK:
        edit_codebook(o);
        break;
    case COD_REQ_NOTES:
        o->screen = OBS_NOTES;
        o->scroll = 0;
        break;
    case COD_REQ_NONE:
        break;
    }
}
