/*
 * ui.h — what every full-screen view of carnet shares: starting and ending
 * curses, colours (none when NO_COLOR is set), drawing UTF-8 text by display
 * width (a title bar, a status line, wrapped text, a message above the
 * last row), the minimum terminal size, and reading keys.
 *
 * Screens (observe.c, codebook_edit.c, train.c...) each expose a draw and a
 * key function and run inside ui_init()/ui_end().  KEY_RESIZE is handled in
 * ui_getkey(): the caller just redraws.
 */
#ifndef CARNET_TUI_UI_H
#define CARNET_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

/* Colour pairs (attributes fall back to bold/reverse without colour). */
typedef enum ui_style {
    UI_NORMAL = 0,
    UI_TITLE,     /* header bar */
    UI_SELECTED,  /* highlighted row */
    UI_KEY,       /* hotkeys and key names */
    UI_DIM,       /* secondary text */
    UI_WARN,      /* incomplete, errors */
    UI_OK,        /* recorded, saved */
    UI_STATUS,    /* status line */
} ui_style;

/* What terminfo says of the terminal TERM names (term_check.c). */
typedef enum ui_term {
    UI_TERM_OK = 0,
    UI_TERM_UNKNOWN,   /* no such terminal type */
    UI_TERM_NO_CURSOR, /* it cannot move the cursor (TERM=dumb) */
} ui_term;
ui_term ui_term_check(void);

/*
 * Starts curses on the terminal.  Returns false with a sentence in err when
 * there is no usable terminal (no TERM, unknown TERM, not a tty).
 */
bool ui_init(char *err, unsigned errlen);
void ui_end(void);

/* Whether the terminal is at least UI_MIN_COLS x UI_MIN_ROWS. */
bool ui_big_enough(void);
/* Clears the screen and says plainly that it is too small. */
void ui_draw_too_small(void);

/* Sets the style for what follows (ui_put...). */
void ui_style_on(ui_style s);
void ui_style_off(ui_style s);

/*
 * Draws UTF-8 text at (y, x), cut to width columns (with "…") and, when pad,
 * padded with spaces to width.  Returns the columns drawn.
 */
int ui_put(int y, int x, int width, const char *s, bool pad);
/* As ui_put with a style. */
int ui_put_styled(int y, int x, int width, const char *s, bool pad, ui_style st);
/* Fills a row from x to the right edge with spaces in a style. */
void ui_fill_row(int y, ui_style st);

/*
 * The title bar of a screen, on row 0: left from column 0 (callers start
 * it with a space), right flush right with one column to spare, left cut
 * where right begins.  Returns the column where right begins, for a word
 * of it to be drawn again in another style.
 */
int ui_title_bar(const char *left, const char *right);

/* A row filled in a style, with text from column 1 (a status line). */
void ui_status_row(int y, const char *text, ui_style st);

/*
 * Draws text wrapped to w columns (core/text.h's u8_wrap: at spaces, and
 * at each newline) from row y, at most max_rows rows; when it is cut, the
 * last row drawn ends in "…".  Returns the rows drawn.
 */
int ui_put_wrapped(int y, int x, int w, int max_rows, const char *text, ui_style st);

/*
 * A message of one or two rows right above the last row of the screen
 * (the status line or the bar of keys), wrapped to the width, the rows
 * it takes cleared first; nothing when msg is empty.
 */
void ui_message(const char *msg, ui_style st);

/* The first row to show of a list of n rows, rows at a time, so that row
 * sel is in view and the list moves as little as it can; *top is kept. */
size_t ui_scroll_to(size_t *top, size_t sel, size_t n, size_t rows);

/*
 * Waits up to timeout_ms (-1: forever) for a key and returns it: a
 * character (wide characters included), a KEY_* code, or ERR on timeout.
 * KEY_RESIZE is returned after curses has taken the new size.
 */
int ui_getkey(int timeout_ms);

/*
 * As ui_getkey(), and *fkey tells a KEY_* code from a character: the two
 * overlap (KEY_PPAGE is 339, and so is 'œ', which French notes are full
 * of), so a screen that takes typed text reads keys with this.
 */
int ui_readkey(int timeout_ms, bool *fkey);

/*
 * From now on, SIGHUP (the terminal or the SSH link went away) and SIGTERM
 * no longer end the program at once: ui_stop_requested() becomes true, and
 * every screen's loop leaves as when the user quits, so that what must be
 * closed is closed.  SIGPIPE is ignored.  Keys are read with a timeout
 * meanwhile, so that a loop sees the request within a second.
 */
void ui_catch_stops(void);
bool ui_stop_requested(void);

/* The last byte ui_readkey() dropped because it was not UTF-8 (returning
 * ERR for it), or -1; reading it clears it. */
int ui_bad_byte(void);

/* True when colour is in use (a colour terminal and NO_COLOR unset). */
bool ui_has_color(void);

/* Ctrl-letter as returned by ui_getkey. */
#define UI_CTRL(c) ((c) & 0x1f)

#endif
