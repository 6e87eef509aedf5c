/*
 * ui.h — what every full-screen view of carnet shares: starting and ending
 * curses, colours (none when NO_COLOR is set), drawing UTF-8 text by display
 * width, the minimum terminal size, and reading keys.
 *
 * Screens (observe.c, codebook_edit.c, train.c...) each expose a draw and a
 * key function and run inside ui_init()/ui_end().  KEY_RESIZE is handled in
 * ui_getkey(): the caller just redraws.
 */
#ifndef CARNET_TUI_UI_H
#define CARNET_TUI_UI_H

#include <stdbool.h>

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

/* The last byte ui_readkey() dropped because it was not UTF-8 (returning
 * ERR for it), or -1; reading it clears it. */
int ui_bad_byte(void);

/* True when colour is in use (a colour terminal and NO_COLOR unset). */
bool ui_has_color(void);

/* Ctrl-letter as returned by ui_getkey. */
#define UI_CTRL(c) ((c) & 0x1f)

#endif
