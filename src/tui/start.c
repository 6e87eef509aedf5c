/*
 * start.c — the start of `carnet observe` (obs.h): the small form that asks
 * for the site and the observer when the command line did not give them,
 * offering the last ones and the names the study knows, then the session
 * opened, then what to do with interactions an earlier session left open.
 *
 * Interactions left open: carnet was stopped (a crash, a power cut, the
 * terminal closed) or the observer quit with visitors still at the desk.
 * Their session is left as it is (its end stays unknown).  The observer's
 * own ones are offered, never another observer's, who may be at work on
 * the same study: go on coding them here (they keep their session and
 * codebook version), end each at its last recorded change, or leave them.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/obs.h"
#include "tui/ui.h"

/* ---- the form ------------------------------------------------------------- */

static const char *field_label(int i)
{
    return i == 0 ? _("Site:") : _("Observer:");
}

/* Paragraph text from row y, wrapped; returns the rows used. */
static int paragraph(int y, const char *text, ui_style st)
{
    return ui_put_wrapped(y, 2, COLS - 4, LINES - y, text, st);
}

void ui_form_draw(obs *o)
{
    obs_form *f = &o->form;
    char *t = xasprintf(_(" carnet \xC2\xB7 %s: a new observation session"), o->study);
    ui_title_bar(t, "");
    free(t);
    int lw = (int)u8_width(field_label(0));
    if ((int)u8_width(field_label(1)) > lw)
        lw = (int)u8_width(field_label(1));
    int fx = 3 + lw, fw = COLS - fx - 2;
    int y = 2;
    for (int i = 0; i < 2; i++, y += 4) {
        bool focus = f->focus == i;
        ui_put_styled(y, 2, lw, field_label(i), false, focus ? UI_KEY : UI_NORMAL);
        if (!f->ask[i]) {
            ui_put(y, fx, fw, le_text(&f->field[i]), false);
            continue;
        }
        ui_style_on(focus ? UI_SELECTED : UI_DIM);
        mvhline(y, fx, ' ', fw);
        ui_put(y, fx, fw, le_text(&f->field[i]), false);
        ui_style_off(focus ? UI_SELECTED : UI_DIM);
        if (focus) {
            o->cursor_y = y;
            size_t c = le_cursor_col(&f->field[i]);
            o->cursor_x = fx + (int)(c < (size_t)(fw - 1) ? c : (size_t)(fw - 1));
        }
        /* The names the study knows, to pick with Up and Down. */
        strbuf b = {0};
        for (size_t k = 0; k < f->nnames[i]; k++)
            sb_printf(&b, "%s%s", k ? " \xC2\xB7 " : "", f->names[i][k]);
        char *known = f->nnames[i] ? xasprintf(_("Up/Down: %s"), b.s) : xstrdup(_("New study: type a name"));
        ui_put_styled(y + 1, fx, fw, known, false, UI_DIM);
        free(known);
        sb_free(&b);
    }
    y += paragraph(y, _("Enter: next field, then open the session. Tab: other field. Esc: quit. A name offered is "
                        "replaced as soon as you type; Backspace or the arrows edit it."),
                   UI_DIM);
    if (f->error[0])
        paragraph(y + 1, f->error, UI_WARN);
}

static void other_field(obs_form *f)
{
    if (f->ask[1 - f->focus])
        f->focus = 1 - f->focus;
}

void ui_form_key(obs *o, int key)
{
    obs_form *f = &o->form;
    le_line *l = &f->field[f->focus];
    const cod_keydef *k = cod_keydef_of(COD_IN_INPUT, key);
    f->error[0] = '\0';
    if (key == COD_K_ESC || key == COD_K_F(10) || key == COD_CTRL('x')) {
        o->quit = true;
    } else if (key == COD_K_TAB || key == COD_K_BTAB) {
        other_field(f);
    } else if (key == COD_K_UP || key == COD_K_DOWN) {
        size_t n = f->nnames[f->focus];
        if (!n)
            return;
        long p = f->pick[f->focus];
        p = key == COD_K_DOWN ? (p + 1) % (long)n : (p <= 0 ? (long)n - 1 : p - 1);
        f->pick[f->focus] = p;
        le_set(l, f->names[f->focus][p]);
        f->offered[f->focus] = true;
    } else if (key == COD_K_ENTER) {
        char *t = le_trimmed(l);
        bool empty = !*t;
        free(t);
        char *other = le_trimmed(&f->field[1 - f->focus]);
        bool other_empty = !*other;
        free(other);
        if (empty)
            snprintf(f->error, sizeof f->error, "%s", f->focus == 0 ? _("Type the name of the site") : _("Type your name"));
        else if (other_empty)
            other_field(f);
        else
            ui_start_session(o);
    } else if (k && k->action == COD_A_EDIT) {
        le_apply(l, k->edit);
        f->offered[f->focus] = false;
    } else if (key >= 0x20 && key < COD_K_BASE) {
        /* A name offered is replaced by what is typed, as a selection. */
        if (f->offered[f->focus])
            le_set(l, "");
        if (le_insert(l, (unsigned long)key)) {
            f->pick[f->focus] = -1;
            f->offered[f->focus] = false;
        }
    }
}

/* ---- opening the session ------------------------------------------------------- */

bool ui_start_session(obs *o)
{
    obs_form *f = &o->form;
    char *site = le_trimmed(&f->field[0]), *who = le_trimmed(&f->field[1]);
    char at[TS_LEN];
    ts_now(at);
    st_error e = {0};
    bool ok = false;
    if (st_session_open(o->db, site, who, NULL, at, &o->ctx, &e)) {
        snprintf(f->error, sizeof f->error, "%s", e.msg);
        goto out;
    }
    o->session_open = true;
    le_set(&f->field[0], site);
    le_set(&f->field[1], who);
    time_t t0;
    ts_parse(at, &t0);
    o->cs = cod_new(t0);
    if (!ui_observe_use_codebook(o, o->ctx.codebook_version_id, &e)) {
        snprintf(f->error, sizeof f->error, "%s", e.msg);
        o->quit = true;
        goto out;
    }
    char clock[16];
    snprintf(o->cs->msg, sizeof o->cs->msg, _("Session opened at %s: Space starts an interaction, ? shows the keys"),
             cod_clock(at, clock, sizeof clock));
    if (st_open_elsewhere(o->db, o->ctx.observer_id, o->ctx.session_id, &o->left, &o->nleft, &e))
        o->nleft = 0; /* only an offer: coding goes on without it */
    o->screen = o->nleft ? OBS_LEFT_OPEN : OBS_CODING;
    ok = true;
out:
    free(site);
    free(who);
    return ok;
}

/* ---- interactions left open ------------------------------------------------------- */

static const char *const choices[3] = {
    N_("Go on coding them here (they stay open; + switches to them, Enter ends each one)"),
    N_("End each one at its last recorded change"),
    N_("Leave them as they are"),
};

void ui_left_draw(obs *o)
{
    char *t = xasprintf(_(" carnet \xC2\xB7 %s \xC2\xB7 %s"), o->study, le_text(&o->form.field[1]));
    ui_title_bar(t, "");
    free(t);
    char *head = xasprintf(ngettext("%zu interaction of yours was left open by an earlier session (carnet was stopped, "
                                    "or quit while it was open):",
                                    "%zu interactions of yours were left open by an earlier session (carnet was "
                                    "stopped, or quit while they were open):",
                                    o->nleft),
                           o->nleft);
    int y = 2 + paragraph(2, head, UI_KEY) + 1;
    free(head);
    for (size_t i = 0; i < o->nleft && y < LINES - 12; i++) {
        const st_open_ix *l = &o->left[i];
        char *row = xasprintf(_("started %.10s %.8s, last change %.8s (session begun %.10s %.5s)"), l->started_at,
                              l->started_at + 11, l->updated_at + 11, l->session_started_at,
                              l->session_started_at + 11);
        y += paragraph(y, row, UI_NORMAL);
        free(row);
    }
    y++;
    for (int c = 0; c < 3; c++) {
        bool sel = c == o->left_choice;
        char *line = xasprintf("%s %s", sel ? ">" : " ", _(choices[c]));
        int n = paragraph(y, line, sel ? UI_SELECTED : UI_NORMAL);
        free(line);
        y += n;
    }
    paragraph(y + 1, _("Up/Down chooses, Enter does it; Esc leaves them as they are."), UI_DIM);
    if (o->cs->msg_kind == COD_MSG_WARN)
        ui_observe_status(o);
}

/* Loads interaction id into the coding state, with its codebook version. */
static bool take_up(obs *o, const st_open_ix *l, st_error *e)
{
    long b = cod_find_book(o->cs, l->codebook_version_id);
    if (b < 0) {
        cb_codebook *cb;
        if (st_codebook_load(o->db, l->codebook_version_id, &cb, NULL, e))
            return false;
        b = (long)cod_add_book(o->cs, l->codebook_version_id, cb, false);
    }
    st_ix x;
    if (st_ix_load(o->db, l->id, &x, e))
        return false;
    cod_ix_load in = {x.id, x.started_at, x.ended_at, x.note, x.tally, x.deleted, x.incomplete, true,
                      x.paused_seconds};
    size_t i = cod_load_ix(o->cs, (size_t)b, &in);
    for (size_t k = 0; k < x.ncodes; k++)
        cod_load_code(o->cs, i, x.codes[k].dimension_id, x.codes[k].code_id, x.codes[k].other_text);
    for (size_t k = 0; k < x.ntexts; k++)
        cod_load_text(o->cs, i, x.texts[k].dimension_id, x.texts[k].text);
    cod_load_done(o->cs, i);
    st_ix_free(&x);
    return true;
}

void ui_left_key(obs *o, int key)
{
    cod_state *s = o->cs;
    if (key == COD_K_UP || key == COD_K_DOWN) {
        o->left_choice = (o->left_choice + (key == COD_K_DOWN ? 1 : 2)) % 3;
        return;
    }
    if (key == COD_K_ESC)
        o->left_choice = 2;
    else if (key != COD_K_ENTER)
        return;
    st_error e = {0};
    size_t done = 0;
    s->msg_kind = COD_MSG_INFO;
    for (size_t i = 0; i < o->nleft && o->left_choice < 2; i++) {
        bool ok = o->left_choice == 0 ? take_up(o, &o->left[i], &e)
                                      : st_ix_end(o->db, o->left[i].id, o->left[i].updated_at, o->ctx.who, &e) == ST_OK;
        if (!ok) {
            snprintf(s->msg, sizeof s->msg, _("Not done: %s"), e.msg);
            s->msg_kind = COD_MSG_WARN;
            if (o->left_choice == 1)
                return; /* the ones ended stay ended; try again or choose another way */
            break;
        }
        done++;
    }
    if (s->msg_kind != COD_MSG_WARN && o->left_choice < 2) {
        if (o->left_choice == 0)
            snprintf(s->msg, sizeof s->msg,
                     ngettext("%zu interaction taken up: + switches to it",
                              "%zu interactions taken up: + switches to them", done),
                     done);
        else
            snprintf(s->msg, sizeof s->msg, ngettext("%zu interaction ended", "%zu interactions ended", done), done);
        s->msg_kind = COD_MSG_INFO;
    }
    free(o->left);
    o->left = NULL;
    o->nleft = 0;
    o->screen = OBS_CODING;
}
