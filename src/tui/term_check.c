/*
 * term_check.c — whether the terminal TERM names can carry a screen, asked
 * of terminfo before curses starts (ui.h).
 *
 * newterm() on an unknown TERM fails, but leaves behind a block that
 * ncurses allocated for it (LeakSanitizer reports it); setupterm() answers
 * the same question and frees what it took.  This file is apart because
 * <term.h> defines macros (lines, columns...) that clash with the names of
 * the other files of the screens.
 */
#include <curses.h>
#include <term.h>
#include <unistd.h>

#include "tui/ui.h"

ui_term ui_term_check(void)
{
    int err = 0;
    if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
        return UI_TERM_UNKNOWN;
    const char *cup = tigetstr("cup");
    bool moves = cup && cup != (char *)-1;
    del_curterm(cur_term);
    return moves ? UI_TERM_OK : UI_TERM_NO_CURSOR;
}
