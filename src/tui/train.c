/*
 * train.c — the training screen (train.h).
 *
 * Layout, from the top: a header bar; the vignette's title and text
 * (wrapped, PgUp/PgDn scroll a long one); the dimensions with the codes
 * chosen, the active one highlighted; the codes of the active dimension
 * with their hotkeys, in columns; a status line with the keys.  Keys follow
 * live coding: a hotkey chooses a code (and moves on in a single-choice
 * dimension, toggles in a multiple-choice one), Tab / Shift-Tab and the
 * arrows move between dimensions, Enter ends the vignette, F10 (or
 * Ctrl-X) quits.
 * Every row is cut to the width with core/text.h, so the screen holds at
 * 80x24 with French labels.
 */
#include "tui/train.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/coding.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "store/st_train.h"
#include "tui/panels.h"
#include "tui/ui.h"

#define MIN_TEXT_ROWS 4

typedef struct train_state {
    st_db *db;
    const char *run_id, *trainee;
    const cb_codebook *cb;
    const vg_set *set;
    tr_run *run;
    size_t *dims; /* indexes of the dimensions coded: active single and multiple choice */
    size_t ndims;
    size_t vignette, active;
    int scroll;
    bool confirm;  /* Enter was pressed with a dimension left empty */
    bool scoring;  /* on the score screen */
    bool quit, failed;
    tr_score score;
    char status[512];
    ui_style status_style;
} train_state;

static const cb_dimension *active_dim(const train_state *s)
{
    return &s->cb->dims[s->dims[s->active]];
}

static void say(train_state *s, ui_style st, const char *msg)
{
    snprintf(s->status, sizeof s->status, "%s", msg);
    s->status_style = st;
}

/* ---- drawing ------------------------------------------------------------ */

static void draw_header(const train_state *s, const char *right)
{
    char *left = xasprintf(_(" carnet — training: %s"), s->set->title ? s->set->title : "");
    ui_title_bar(left, right);
    free(left);
}

static void draw_status(const train_state *s, const char *keys)
{
    ui_status_row(LINES - 1, s->status[0] ? s->status : keys, s->status[0] ? s->status_style : UI_STATUS);
}

/* The chosen codes' labels, joined. */
static char *chosen_text(const train_state *s, size_t d)
{
    const cb_dimension *dim = &s->cb->dims[d];
    const tr_codes *c = tr_run_codes_c(s->run, s->vignette, d);
    strbuf b = {0};
    sb_add(&b, "");
    for (size_t i = 0; i < c->n; i++) {
        const cb_code *code = cb_find_code(dim, c->v[i]);
        sb_printf(&b, "%s%s", i ? ", " : "", code && code->label ? code->label : c->v[i]);
    }
    return sb_take(&b);
}

/* The most codes a dimension offers: the code panel keeps that room
 * whichever dimension is active, so that the screen does not jump. */
static size_t max_codes(const train_state *s)
{
    size_t m = 0;
    for (size_t i = 0; i < s->ndims; i++) {
        size_t n = cod_visible_codes(&s->cb->dims[s->dims[i]], NULL, 0);
        m = n > m ? n : m;
    }
    return m;
}

static void draw_vignette(train_state *s)
{
    erase();
    const vg_vignette *v = &s->set->items[s->vignette];
    char *right = xasprintf(_("vignette %zu/%zu · %s"), s->vignette + 1, s->set->n, s->trainee);
    draw_header(s, right);
    free(right);

    /* Rows below the text are fixed; the text takes what is left.  Codes go
     * in as few columns as let the whole text show (labels are then cut
     * least), three at most, the text scrolling beyond. */
    char **lines;
    size_t n = u8_wrap(v->text, COLS - 4, &lines);
    size_t ncodes = max_codes(s);
    int cols, code_rows = 0, text_rows = 0;
    for (cols = 1; cols <= 3; cols++) {
        code_rows = ui_code_rows(ncodes, cols);
        text_rows = LINES - (1 + 1 + 1 + 1 + (int)s->ndims + 1 + 1 + code_rows + 1);
        if (text_rows >= (int)n && text_rows >= MIN_TEXT_ROWS)
            break;
    }
    if (cols > 3)
        cols = 3;
    if (text_rows < 1)
        text_rows = 1;

    int y = 2;
    char *title = xasprintf("%s%s%s", v->id, v->title ? " — " : "", v->title ? v->title : "");
    ui_put_styled(y++, 2, COLS - 4, title, false, UI_KEY);
    free(title);
    if (s->scroll > (int)n - text_rows)
        s->scroll = (int)n - text_rows > 0 ? (int)n - text_rows : 0;
    for (int i = 0; i < text_rows && s->scroll + i < (int)n; i++) {
        bool more = i == text_rows - 1 && s->scroll + i + 1 < (int)n;
        if (more)
            ui_put_styled(y + i, 2, COLS - 4, _("… (PgDn: more)"), false, UI_DIM);
        else
            ui_put(y + i, 2, COLS - 4, lines[s->scroll + i], false);
    }
    u8_lines_free(lines, n);
    y += text_rows + 1;

    ui_dim_row *rows = xcalloc(s->ndims, sizeof *rows);
    char **chosen = xcalloc(s->ndims, sizeof *chosen);
    for (size_t i = 0; i < s->ndims; i++) {
        chosen[i] = chosen_text(s, s->dims[i]);
        rows[i] = (ui_dim_row){s->cb->dims[s->dims[i]].label, false, chosen[i], UI_NORMAL, "—", UI_DIM};
    }
    y = ui_dim_rows(y, LINES, 0, COLS, rows, s->ndims, s->active, "▶", COLS / 3 + 1) + 1;
    for (size_t i = 0; i < s->ndims; i++)
        free(chosen[i]);
    free(chosen);
    free(rows);
    const cb_dimension *ad = active_dim(s);
    char *head = xasprintf("%s — %s", ad->label,
                           ad->mode == CB_SINGLE ? _("one code: its key") : _("several codes: keys toggle, Tab moves on"));
    const tr_codes *got = tr_run_codes_c(s->run, s->vignette, s->dims[s->active]);
    bool *on = xcalloc(ad->ncodes ? ad->ncodes : 1, sizeof *on);
    for (size_t j = 0; j < ad->ncodes; j++)
        on[j] = tr_codes_has(got, ad->codes[j].id);
    ui_codes p = {.dim = ad, .chosen = on, .highlight = -1, .cols = cols, .brackets = true, .title = head,
                  .title_style = UI_DIM};
    ui_code_panel(y, 2, COLS - 2, code_rows, &p, NULL);
    free(on);
    free(head);
    draw_status(s, _("key: code  Tab/arrows: dimension  Bksp: clear  Enter: next vignette  F10: quit"));
    refresh();
}

static void draw_score(const train_state *s)
{
    erase();
    draw_header(s, _("score"));
    int y = 2;
    char *line = xasprintf(_("%s: %ld vignettes answered; exactly as the reference: %ld."), s->trainee,
                           s->score.answered, s->score.perfect);
    ui_put(y++, 2, COLS - 4, line, false);
    free(line);
    y++;
    int lw = (int)u8_width(_("DIMENSION"));
    for (size_t i = 0; i < s->score.ndims; i++) {
        int w = (int)u8_width(s->cb->dims[s->score.dims[i].dim].label);
        lw = w > lw ? w : lw;
    }
    if (lw > COLS / 2)
        lw = COLS / 2;
    ui_put_styled(y, 2, lw, _("DIMENSION"), true, UI_DIM);
    ui_put_styled(y, 4 + lw, 18, _("AGREEMENT"), true, UI_DIM);
    ui_put_styled(y++, 24 + lw, 10, _("KAPPA"), true, UI_DIM);
    for (size_t i = 0; i < s->score.ndims; i++, y++) {
        const tr_dim_score *d = &s->score.dims[i];
        ui_put(y, 2, lw, s->cb->dims[d->dim].label, true);
        char *agree = d->n ? xasprintf("%ld/%ld (%.1f%%)", d->agreed, d->n, 100.0 * (double)d->agreed / (double)d->n)
                           : xstrdup("-");
        ui_put(y, 4 + lw, 18, agree, true);
        free(agree);
        char *k = d->kappa.why == AG_DEFINED ? xasprintf("%.3f", d->kappa.kappa) : xstrdup(_("undefined"));
        ui_put(y, 24 + lw, COLS - 26 - lw, k, false);
        free(k);
    }
    y++;
    char *dis = xasprintf(_("Disagreements: %zu (each is in the report printed when you leave this screen):"),
                          s->score.nmisses);
    ui_put(y++, 2, COLS - 4, dis, false);
    free(dis);
    for (size_t i = 0; i < s->score.nmisses && y < LINES - 2; i++, y++) {
        const tr_miss *m = &s->score.misses[i];
        const vg_vignette *v = &s->set->items[m->vignette];
        const vg_ref *ref = vg_find_ref(v, s->cb->dims[m->dim].id);
        const tr_codes *got = tr_run_codes_c(s->run, m->vignette, m->dim);
        strbuf b = {0};
        sb_printf(&b, _("%s · %s: "), v->id, s->cb->dims[m->dim].label);
        for (size_t j = 0; ref && j < ref->ncodes; j++)
            sb_printf(&b, "%s%s", j ? "+" : "", ref->codes[j]);
        sb_add(&b, _(" (reference) / "));
        for (size_t j = 0; j < got->n; j++)
            sb_printf(&b, "%s%s", j ? "+" : "", got->v[j]);
        if (!got->n)
            sb_add(&b, "—");
        sb_add(&b, _(" (yours)"));
        ui_put(y, 4, COLS - 6, b.s, false);
        sb_free(&b);
    }
    draw_status(s, _("Enter or F10: close and print the full report"));
    refresh();
}

static void draw(train_state *s)
{
    if (!ui_big_enough()) {
        ui_draw_too_small();
        return;
    }
    if (s->scoring)
        draw_score(s);
    else
        draw_vignette(s);
}

/* ---- keys --------------------------------------------------------------- */

static void move_dim(train_state *s, bool forward)
{
    s->active = (s->active + (forward ? 1 : s->ndims - 1)) % s->ndims;
    s->confirm = false;
}

static void choose(train_state *s, const cb_code *c)
{
    tr_codes *got = tr_run_codes(s->run, s->vignette, s->dims[s->active]);
    s->confirm = false;
    s->status[0] = '\0';
    if (active_dim(s)->mode == CB_SINGLE) {
        tr_codes_set(got, c->id);
        if (s->active + 1 < s->ndims)
            s->active++;
    } else {
        tr_codes_toggle(got, c->id);
    }
}

/* Records the vignette and moves to the next one, or to the score. */
static void next_vignette(train_state *s)
{
    if (!s->confirm) {
        for (size_t i = 0; i < s->ndims; i++)
            if (!tr_run_codes_c(s->run, s->vignette, s->dims[i])->n) {
                char *msg = xasprintf(_("%s has no code: Enter again to go on anyway, or choose one"),
                                      s->cb->dims[s->dims[i]].label);
                say(s, UI_WARN, msg);
                free(msg);
                s->active = i;
                s->confirm = true;
                return;
            }
    }
    st_error e = {0};
    const vg_vignette *v = &s->set->items[s->vignette];
    if (st_train_answer(s->db, s->run_id, v->id, (int)s->vignette, s->cb, s->run, s->vignette, &e)) {
        say(s, UI_WARN, e.msg);
        return;
    }
    s->run->answered[s->vignette] = true;
    s->confirm = false;
    s->status[0] = '\0';
    s->scroll = 0;
    s->active = 0;
    if (s->vignette + 1 < s->set->n) {
        s->vignette++;
        return;
    }
    if (st_train_finish(s->db, s->run_id, &e)) {
        say(s, UI_WARN, e.msg);
        s->failed = true;
    }
    tr_score_run(s->cb, s->set, s->run, &s->score);
    s->scoring = true;
}

/* F10 quits, as on the coding screen; Ctrl-X too, for the terminals that
 * F10 does not reach. */
static bool quit_key(int ch)
{
    return ch == KEY_F(10) || ch == UI_CTRL('x');
}

static void key(train_state *s, int ch)
{
    if (s->scoring) {
        if (ch == '\r' || ch == '\n' || ch == KEY_ENTER || quit_key(ch) || ch == 'q')
            s->quit = true;
        return;
    }
    if (quit_key(ch)) {
        s->quit = true;
        return;
    }
    switch (ch) {
    case UI_CTRL('c'):
        say(s, UI_WARN, _("F10 (or Ctrl-X) quits; the vignettes you finished are saved"));
        return;
    case '\t':
    case KEY_DOWN:
    case KEY_RIGHT:
        move_dim(s, true);
        return;
    case KEY_BTAB:
    case KEY_UP:
    case KEY_LEFT:
        move_dim(s, false);
        return;
    case KEY_NPAGE:
        s->scroll += 3;
        return;
    case KEY_PPAGE:
        s->scroll = s->scroll > 3 ? s->scroll - 3 : 0;
        return;
    case KEY_BACKSPACE:
    case KEY_DC:
    case 127:
    case 8:
        tr_codes_clear(tr_run_codes(s->run, s->vignette, s->dims[s->active]));
        s->confirm = false;
        return;
    case '\r':
    case '\n':
    case KEY_ENTER:
        next_vignette(s);
        return;
    default:
        break;
    }
    const cb_code *c = ch > 0 && ch < 128 ? cb_code_by_key(active_dim(s), ch) : NULL;
    if (c)
        choose(s, c);
    else if (ch > ' ' && ch < 127) {
        char *msg = xasprintf(_("no code of %s has the key '%c'"), active_dim(s)->label, ch);
        say(s, UI_WARN, msg);
        free(msg);
    }
}

ui_train_end ui_train(st_db *db, const char *run_id, const char *trainee, const cb_codebook *cb, const vg_set *set,
                      tr_run *run, char *err, size_t errlen)
{
    train_state s = {.db = db, .run_id = run_id, .trainee = trainee, .cb = cb, .set = set, .run = run};
    s.dims = xcalloc(cb->ndims, sizeof *s.dims);
    for (size_t i = 0; i < cb->ndims; i++)
        if (cb->dims[i].mode != CB_TEXT && !cb->dims[i].retired)
            s.dims[s.ndims++] = i;
    if (!s.ndims || !set->n) {
        snprintf(err, errlen, "%s", _("nothing to code: the codebook has no choice dimension or the file no vignette"));
        free(s.dims);
        return UI_TRAIN_ERROR;
    }
    if (!ui_init(err, (unsigned)errlen)) {
        free(s.dims);
        return UI_TRAIN_ERROR;
    }
    while (!s.quit) {
        draw(&s);
        int ch = ui_getkey(-1);
        if (ch == ERR || ch == KEY_RESIZE)
            continue;
        /* Below 80x24 nothing is drawn to act on, but F10 still quits. */
        if (ui_big_enough() || quit_key(ch))
            key(&s, ch);
    }
    ui_end();
    ui_train_end end = s.failed ? UI_TRAIN_ERROR : s.scoring ? UI_TRAIN_FINISHED : UI_TRAIN_QUIT;
    if (s.failed)
        snprintf(err, errlen, "%s", s.status);
    tr_score_free(&s.score);
    free(s.dims);
    return end;
}
