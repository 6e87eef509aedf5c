/*
 * obs.h — what the screens of `carnet observe` share: the screen's context
 * and each screen's draw and key functions.  Only src/tui/ includes it.
 *
 * One file per screen, after ncdu: start.c (the start-up form and the
 * interactions left open), observe.c (the coding screen, and the key
 * handling of every view the coding state machine drives: the coding
 * screen, the history, the input line), history.c, input.c, help.c,
 * entry.c (the codebook entry of a code), notes.c (the field notes).  screen.c is the dispatcher: it
 * owns the loop, the clock, KEY_RESIZE and the minimum size.
 */
#ifndef CARNET_TUI_OBS_H
#define CARNET_TUI_OBS_H

#include <stdbool.h>
#include <time.h>

#include "core/coding.h"
#include "store/st_observe.h"

/* What is on the screen. */
typedef enum obs_screen {
    OBS_FORM = 0, /* site and observer */
    OBS_LEFT_OPEN, /* what to do with interactions left open */
    OBS_CODING,    /* the coding screen, the history, the input line */
    OBS_HELP,
    OBS_ENTRY,
    OBS_NOTES,     /* the field notes of the session */
} obs_screen;

typedef struct obs_form {
    le_line field[2]; /* site, observer */
    int focus;
    char **names[2]; /* known sites, observers */
    size_t nnames[2];
    long pick[2]; /* which known name Up/Down reached, -1 none */
    bool ask[2];  /* false when given on the command line */
    bool offered[2]; /* holds a name offered (the last one, or picked): typing replaces it */
    char error[600];
} obs_form;

typedef struct obs {
    st_db *db;
    char *study; /* its name */
    st_session_ctx ctx;
    bool session_open;
    cod_state *cs;
    obs_screen screen;
    obs_form form;
    st_open_ix *left; /* interactions left open, offered at start */
    size_t nleft;
    int left_choice;
    int scroll;       /* first line of the help or the entry */
    int scroll_max;
    bool quit;
    time_t now;
    int cursor_y, cursor_x; /* where the cursor shows (an input line), -1: hidden */
    size_t codes_top, hist_top; /* first row shown of the code panel, of the history */
} obs;

/* observe.c */
void ui_observe_draw(obs *o);
void ui_observe_key(obs *o, int key);
/* Loads codebook version vid for the interactions started from now on
 * (the session's at start; a newer one after the codebook is edited). */
bool ui_observe_use_codebook(obs *o, const char *vid, st_error *e);
/* The bar of main keys for a place (COD_IN_MAIN...), on the last row. */
void ui_observe_keybar(unsigned where);
/* The status line, on the row above the key bar (and one more when the
 * message is long). */
void ui_observe_status(const obs *o);
/* One line summing up an interaction's answers ("CAF · Retraité · ..."),
 * new string. */
char *ui_observe_summary(const cod_state *s, const cod_ix *x);

/* history.c */
void ui_history_draw(obs *o, int top, int rows);

/* input.c: the input line and its suggestions over rows [top, top+4). */
void ui_input_draw(obs *o, int top);

/* notes.c: the field notes of the session, reached from the history */
void ui_notes_draw(obs *o);
void ui_notes_key(obs *o, int key);

/* help.c, entry.c */
void ui_help_draw(obs *o);
void ui_help_key(obs *o, int key);
void ui_entry_draw(obs *o);
void ui_entry_key(obs *o, int key);
/* Scrolls a view by the key's action; false when the key does not
 * scroll (then it closes the view). */
bool ui_view_scroll(obs *o, int key, int page);

/* start.c */
void ui_form_draw(obs *o);
void ui_form_key(obs *o, int key);
void ui_left_draw(obs *o);
void ui_left_key(obs *o, int key);
/* Opens the session for the form's names; on success moves on to the
 * interactions left open, if any, or to coding. */
bool ui_start_session(obs *o);

#endif
