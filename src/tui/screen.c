/*
 * screen.c — the dispatcher of `carnet observe` (observe.h): curses on and
 * off, the loop, the clock, the minimum size, and which screen draws and
 * reads keys.
 *
 * KEY_RESIZE and the minimum size are handled here and nowhere else: below
 * 80x24 every screen gives way to ui_draw_too_small() and keys are not
 * obeyed (a hotkey typed blind would record what nobody saw), except the
 * keys that quit.  The loop wakes at each second so the clock and the
 * durations move; curses sends only what changed, so nothing flickers.
 *
 * SIGHUP (the terminal or the SSH link went away) and SIGTERM close the
 * session as quitting does: everything else was recorded already.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/obs.h"
#include "tui/observe.h"
#include "tui/ui.h"

/* curses' key as the coding state machine numbers keys (coding.h). */
static int cod_key_of(int ch, bool fkey)
{
    if (!fkey) {
        switch (ch) {
        case '\r':
        case '\n':
            return COD_K_ENTER;
        case 127:
        case 8:
            return COD_K_BACKSPACE;
        case 27:
            return COD_K_ESC;
        default:
            return ch;
        }
    }
    static const struct {
        int curses, cod;
    } map[] = {
        {KEY_UP, COD_K_UP},       {KEY_DOWN, COD_K_DOWN},         {KEY_LEFT, COD_K_LEFT},
        {KEY_RIGHT, COD_K_RIGHT}, {KEY_HOME, COD_K_HOME},         {KEY_END, COD_K_END},
        {KEY_FIND, COD_K_HOME},   {KEY_SELECT, COD_K_END},        {KEY_A1, COD_K_HOME},
        {KEY_C1, COD_K_END},      {KEY_PPAGE, COD_K_PGUP},        {KEY_NPAGE, COD_K_PGDN},
        {KEY_A3, COD_K_PGUP},     {KEY_C3, COD_K_PGDN},           {KEY_BTAB, COD_K_BTAB},
        {KEY_ENTER, COD_K_ENTER}, {KEY_BACKSPACE, COD_K_BACKSPACE}, {KEY_DC, COD_K_DELETE},
        {KEY_IC, COD_K_INSERT},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].curses == ch)
            return map[i].cod;
    if (ch >= KEY_F(1) && ch <= KEY_F(12))
        return COD_K_F(ch - KEY_F(0));
    return 0;
}

static void draw(obs *o)
{
    if (!ui_big_enough()) {
        curs_set(0);
        ui_draw_too_small();
        return;
    }
    erase();
    o->cursor_y = -1;
    switch (o->screen) {
    case OBS_FORM:
        ui_form_draw(o);
        break;
    case OBS_LEFT_OPEN:
        ui_left_draw(o);
        break;
    case OBS_CODING:
        ui_observe_draw(o);
        break;
    case OBS_HELP:
        ui_help_draw(o);
        break;
    case OBS_ENTRY:
        ui_entry_draw(o);
        break;
    case OBS_NOTES:
        ui_notes_draw(o);
        break;
    }
    if (o->cursor_y >= 0) {
        curs_set(1);
        move(o->cursor_y, o->cursor_x);
    } else {
        curs_set(0);
    }
    refresh();
}

static void key(obs *o, int k)
{
    switch (o->screen) {
    case OBS_FORM:
        ui_form_key(o, k);
        break;
    case OBS_LEFT_OPEN:
        ui_left_key(o, k);
        break;
    case OBS_CODING:
        ui_observe_key(o, k);
        break;
    case OBS_HELP:
        ui_help_key(o, k);
        break;
    case OBS_ENTRY:
        ui_entry_key(o, k);
        break;
    case OBS_NOTES:
        ui_notes_key(o, k);
        break;
    }
}

/*
 * After an Escape, what came with it.  curses turns the sequences of the
 * terminal's keys into KEY_* codes; one it does not know (TERM naming
 * another terminal, an Alt chord) arrives as Escape and its bytes, at once.
 * Taken as keys, "Esc [ A" would choose the code of hotkey A: so bytes that
 * follow an Escape without delay are one unknown key, and ignored.  A
 * person's next key comes tens of milliseconds later.  Returns true when a
 * sequence was swallowed, its text in seq.
 */
static bool swallow_sequence(char *seq, size_t n)
{
    size_t used = 0;
    bool csi = false;
    seq[0] = '\0';
    for (int i = 0; i < 16; i++) {
        bool fkey;
        int ch = ui_readkey(0, &fkey);
        if (ch == ERR)
            break;
        if (i == 0 && (fkey || ch == 27)) {
            /* Escape, then at once a key curses knows or another sequence
             * (Esc then F10, Esc then a paste): the first is the Escape
             * key, the second is read next. */
            if (fkey)
                ungetch(ch);
            else
                ungetch(27);
            break;
        }
        if (used + 8 < n)
            used += (size_t)snprintf(seq + used, n - used, fkey ? " <%d>" : (ch > 0x20 && ch < 0x7F) ? " %c" : " <%d>", ch);
        if (i == 0 && !fkey && (ch == '[' || ch == 'O'))
            csi = true; /* a control sequence: up to its final byte */
        else if (!csi || (!fkey && ch >= 0x40 && ch <= 0x7E))
            break;
    }
    return used > 0;
}

/*
 * Bracketed paste (ui_init() asks the terminal for it): the terminal sends
 * pasted text between Esc [ 200 ~ and Esc [ 201 ~.  Pasted text is text,
 * never keys: it goes into the input line or a field of the start-up form,
 * its line breaks and tabs as spaces, and elsewhere it is ignored, saying
 * so.  Without this a paste of several lines into a note would record its
 * first line, then take the letters of the next ones for hotkeys.
 */
#define PASTE_START " [ 2 0 0 ~"
#define PASTE_END " [ 2 0 1 ~"

static void paste_char(obs *o, int ch, bool fkey)
{
    bool text_field = o->screen == OBS_FORM || (o->screen == OBS_CODING && o->cs && o->cs->in.open);
    if (fkey)
        return;
    if (ch == '\r' || ch == '\n' || ch == '\t')
        ch = ' ';
    if (ch < 0x20 || ch == 0x7F)
        return;
    if (text_field) {
        key(o, ch);
    } else if (o->cs) {
        snprintf(o->cs->msg, sizeof o->cs->msg, "%s",
                 _("Pasted text goes into a note or an answer only: open one first (: for the note); nothing was "
                   "recorded"));
        o->cs->msg_kind = COD_MSG_WARN;
    }
}

/* Milliseconds of a monotonic clock. */
static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds to the next second of the wall clock. */
static int to_next_second(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return 1000 - (int)(ts.tv_nsec / 1000000) + 5;
}

static void obs_free(obs *o)
{
    cod_free(o->cs);
    for (int i = 0; i < 2; i++) {
        le_free(&o->form.field[i]);
        st_names_free(o->form.names[i], o->form.nnames[i]);
    }
    free(o->left);
    free(o->study);
}

/* The start-up form's fields, the names it offers and whether it asks. */
static void form_init(obs *o, const char *site, const char *observer)
{
    static const char *const what[2] = {"site", "observer"};
    static const char *const last[2] = {"last_site", "last_observer"};
    const char *given[2] = {site, observer};
    st_error e;
    for (int i = 0; i < 2; i++) {
        o->form.ask[i] = str_empty(given[i]);
        o->form.pick[i] = -1;
        char *v = NULL;
        if (o->form.ask[i])
            st_setting_get(o->db, last[i], &v, &e);
        le_set(&o->form.field[i], o->form.ask[i] ? v : given[i]);
        o->form.offered[i] = o->form.ask[i] && v;
        free(v);
        if (st_names(o->db, what[i], &o->form.names[i], &o->form.nnames[i], &e))
            o->form.nnames[i] = 0;
    }
    /* The first field to fill, else the first one asked. */
    o->form.focus = o->form.ask[0] ? 0 : 1;
    for (int i = 0; i < 2; i++)
        if (o->form.ask[i] && !*le_text(&o->form.field[i])) {
            o->form.focus = i;
            break;
        }
}

ui_observe_end ui_observe_run(st_db *db, const char *site, const char *observer, char *err, size_t errlen)
{
    obs o;
    memset(&o, 0, sizeof o);
    o.db = db;
    st_study study;
    st_error e = {0};
    if (st_study_get(db, &study, &e)) {
        snprintf(err, errlen, "%s", e.msg);
        return UI_OBSERVE_FAILED;
    }
    o.study = xstrdup(study.name);
    st_study_free(&study);
    form_init(&o, site, observer);
    if (!ui_init(err, (unsigned)errlen)) {
        obs_free(&o);
        return UI_OBSERVE_FAILED;
    }
    ui_catch_stops();
    o.screen = OBS_FORM;
    if (!o.form.ask[0] && !o.form.ask[1] && !ui_start_session(&o)) {
        /* Names given on the command line that the study refuses. */
        ui_end();
        snprintf(err, errlen, "%s", o.form.error);
        obs_free(&o);
        return UI_OBSERVE_FAILED;
    }
    /* Keys already waiting (a paste: one key per character) are handled
     * before the screen is drawn again, and the screen at least every
     * tenth of a second meanwhile, so that pasting a long note costs one
     * draw per batch rather than one per character. */
    bool waiting = false, pasting = false;
    long long drawn = 0;
    while (!o.quit && !ui_stop_requested()) {
        o.now = time(NULL);
        if (!waiting || now_ms() - drawn >= 100) {
            draw(&o);
            drawn = now_ms();
        }
        bool fkey;
        int ch = ui_readkey(waiting ? 0 : to_next_second(), &fkey);
        waiting = ch != ERR;
        int bad = ui_bad_byte();
        if (bad >= 0 && o.cs) {
            snprintf(o.cs->msg, sizeof o.cs->msg,
                     _("Ignored a byte the terminal sent that is not UTF-8 (0x%02X): set the terminal's character "
                       "encoding to UTF-8"),
                     (unsigned)bad);
            o.cs->msg_kind = COD_MSG_WARN;
            waiting = true; /* what follows it may be waiting already */
        }
        if (ch == ERR)
            continue;
        if (fkey && ch == KEY_RESIZE)
            continue; /* curses has the new size: the next draw uses it */
        char seq[160];
        if (!fkey && ch == 27 && swallow_sequence(seq, sizeof seq)) {
            if (!strcmp(seq, PASTE_START) || !strcmp(seq, PASTE_END)) {
                pasting = !strcmp(seq, PASTE_START);
                continue;
            }
            if (o.cs) {
                snprintf(o.cs->msg, sizeof o.cs->msg,
                         _("Ignored a key the terminal sent as Esc%s (does TERM=%s name this terminal?)"), seq,
                         getenv("TERM") ? getenv("TERM") : "");
                o.cs->msg_kind = COD_MSG_WARN;
            }
            continue;
        }
        if (pasting) {
            if (ui_big_enough())
                paste_char(&o, ch, fkey);
            continue;
        }
        int k = cod_key_of(ch, fkey);
        if (!k)
            continue;
        if (!ui_big_enough() && k != COD_K_F(10) && k != COD_CTRL('x'))
            continue;
        o.now = time(NULL);
        if (!ui_big_enough() && o.screen == OBS_CODING) {
            /* Too small to see: quit at once, as there is no room to ask. */
            o.quit = true;
            break;
        }
        key(&o, k);
    }
    ui_end();
    ui_observe_end end = o.session_open ? UI_OBSERVE_CLOSED : UI_OBSERVE_CANCELLED;
    if (o.session_open && st_session_close(db, o.ctx.session_id, NULL, &e)) {
        snprintf(err, errlen, _("everything was recorded, but the session could not be closed (%s)"), e.msg);
        end = UI_OBSERVE_FAILED;
    }
    obs_free(&o);
    return end;
}
