/*
 * ui.c — curses set-up and drawing helpers shared by every screen (ui.h).
 *
 * Text is drawn with waddnwstr after decoding UTF-8 ourselves, so accents
 * display correctly whatever the width of each character, and cutting to a
 * width never splits a character.
 */
#include "tui/ui.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

static bool color_on;
static bool started;
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

void ui_catch_stops(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool ui_stop_requested(void)
{
    return stop_signal != 0;
}

bool ui_has_color(void)
{
    return color_on;
}

/* The character handling (LC_CTYPE) in force before ui_init() changed it,
 * restored by ui_end(); NULL when unchanged. */
static char *saved_ctype;

/*
 * The screen reads keys and draws in the locale's character set.  Under
 * the C or POSIX locale that is ASCII: curses would drop every accented
 * letter of the codebook and of what is typed.  carnet's text is UTF-8
 * whatever the locale (the command line prints it so too), so the screen
 * then handles characters as C.UTF-8 does; other character sets (Latin-9)
 * are left alone, curses converts to them.  false, with why in err, when no
 * UTF-8 locale is there to switch to.
 */
static bool utf8_ctype(char *err, unsigned errlen)
{
    const char *cs = nl_langinfo(CODESET);
    if (strcmp(cs, "ANSI_X3.4-1968") && strcmp(cs, "ASCII") && strcmp(cs, "US-ASCII"))
        return true;
    char *old = xstrdup(setlocale(LC_CTYPE, NULL));
    static const char *const utf8[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
    for (size_t i = 0; i < sizeof utf8 / sizeof utf8[0]; i++)
        if (setlocale(LC_CTYPE, utf8[i])) {
            saved_ctype = old;
            return true;
        }
    free(old);
    snprintf(err, errlen, "%s",
             _("the locale's character set is ASCII (LANG=C or POSIX) and no UTF-8 locale is installed to show "
               "accented letters: set LANG to a UTF-8 locale (locale -a lists them), e.g. LANG=C.UTF-8"));
    return false;
}

static void restore_ctype(void)
{
    if (saved_ctype) {
        setlocale(LC_CTYPE, saved_ctype);
        free(saved_ctype);
        saved_ctype = NULL;
    }
}

bool ui_init(char *err, unsigned errlen)
{
    const char *term = getenv("TERM");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "%s", _("this screen needs a terminal (standard input and output are not one)"));
        return false;
    }
    if (!term || !*term) {
        snprintf(err, errlen, "%s", _("TERM is not set: cannot drive the terminal (try TERM=xterm)"));
        return false;
    }
    /* Asked before curses starts: a terminal that cannot move the cursor
     * (TERM=dumb: Emacs' shell buffer, some IDE consoles) would get every
     * screen printed one after the other. */
    ui_term t = ui_term_check();
    if (t == UI_TERM_UNKNOWN) {
        snprintf(err, errlen, _("unknown terminal type '%s' (try TERM=xterm)"), term);
        return false;
    }
    if (t == UI_TERM_NO_CURSOR) {
        snprintf(err, errlen, _("the terminal '%s' cannot move the cursor: this screen needs a full-screen terminal "
                                "(xterm, GNOME Terminal, the Linux console, tmux...; try TERM=xterm)"),
                 term);
        return false;
    }
    if (!utf8_ctype(err, errlen))
        return false;
    /* newterm rather than initscr: initscr exits the program on an unknown
     * TERM, and we would rather say why and return. */
    SCREEN *s = newterm(NULL, stdout, stdin);
    if (!s) {
        snprintf(err, errlen, _("unknown terminal type '%s' (try TERM=xterm)"), term);
        restore_ctype();
        return false;
    }
    set_term(s);
    started = true;
    /* Bracketed paste: pasted text comes marked, so that it is typed into
     * the line it is pasted in and never taken for keys (screen.c). */
    fputs("\033[?2004h", stdout);
    fflush(stdout);
    raw(); /* Ctrl-C and Ctrl-Z reach us as keys: nothing stops a session by accident */
    noecho();
    keypad(stdscr, TRUE);
    nonl();
    curs_set(0);
    set_escdelay(25);
    const char *nc = getenv("NO_COLOR");
    color_on = has_colors() && !(nc && *nc);
    if (color_on) {
        start_color();
        use_default_colors();
        init_pair(UI_TITLE, COLOR_WHITE, COLOR_BLUE);
        init_pair(UI_SELECTED, COLOR_BLACK, COLOR_CYAN);
        init_pair(UI_KEY, COLOR_YELLOW, -1);
        init_pair(UI_DIM, COLOR_CYAN, -1);
        init_pair(UI_WARN, COLOR_RED, -1);
        init_pair(UI_OK, COLOR_GREEN, -1);
        init_pair(UI_STATUS, COLOR_BLACK, COLOR_WHITE);
    }
    return true;
}

void ui_end(void)
{
    if (started) {
        endwin();
        fputs("\033[?2004l", stdout);
        fflush(stdout);
        started = false;
    }
    restore_ctype();
}

bool ui_big_enough(void)
{
    return COLS >= UI_MIN_COLS && LINES >= UI_MIN_ROWS;
}

void ui_draw_too_small(void)
{
    erase();
    char *msg = xasprintf(_("Terminal too small: %dx%d. carnet needs at least %dx%d."), COLS, LINES, UI_MIN_COLS,
                          UI_MIN_ROWS);
    ui_put(0, 0, COLS, msg, false);
    ui_put(1, 0, COLS, _("Enlarge the window; nothing is lost meanwhile."), false);
    free(msg);
    refresh();
}

static attr_t style_attr(ui_style s)
{
    if (color_on) {
        attr_t a = COLOR_PAIR(s);
        if (s == UI_TITLE || s == UI_KEY || s == UI_WARN)
            a |= A_BOLD;
        return a;
    }
    switch (s) {
    case UI_TITLE:
    case UI_SELECTED:
    case UI_STATUS:
        return A_REVERSE;
    case UI_KEY:
    case UI_WARN:
        return A_BOLD;
    case UI_DIM:
        return A_DIM;
    case UI_OK:
    case UI_NORMAL:
        break;
    }
    return A_NORMAL;
}

void ui_style_on(ui_style s)
{
    if (s != UI_NORMAL)
        attron(style_attr(s));
}

void ui_style_off(ui_style s)
{
    if (s != UI_NORMAL)
        attroff(style_attr(s));
}

int ui_put(int y, int x, int width, const char *s, bool pad)
{
    if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + width > COLS)
        width = COLS - x;
    char *fit = u8_fit(s ? s : "", width, pad);
    size_t n = strlen(fit);
    wchar_t *w = xcalloc(n + 1, sizeof *w);
    size_t k = 0;
    const char *p = fit;
    while (*p) {
        uint32_t cp;
        size_t len = u8_decode(p, strlen(p), &cp);
        w[k++] = (wchar_t)cp;
        p += len;
    }
    w[k] = 0;
    mvaddnwstr(y, x, w, (int)k);
    int cols = (int)u8_width(fit);
    free(w);
    free(fit);
    return cols;
}

int ui_put_styled(int y, int x, int width, const char *s, bool pad, ui_style st)
{
    ui_style_on(st);
    int n = ui_put(y, x, width, s, pad);
    ui_style_off(st);
    return n;
}

void ui_fill_row(int y, ui_style st)
{
    ui_style_on(st);
    mvhline(y, 0, ' ', COLS);
    ui_style_off(st);
}

int ui_title_bar(const char *left, const char *right)
{
    ui_fill_row(0, UI_TITLE);
    int rw = (int)u8_width(right ? right : "");
    int rx = COLS - 1 - rw;
    ui_put_styled(0, 0, rx - 1, left, false, UI_TITLE);
    ui_put_styled(0, rx, rw, right, false, UI_TITLE);
    return rx;
}

void ui_status_row(int y, const char *text, ui_style st)
{
    ui_fill_row(y, st);
    ui_put_styled(y, 1, COLS - 2, text, false, st);
}

int ui_put_wrapped(int y, int x, int w, int max_rows, const char *text, ui_style st)
{
    char **lines;
    size_t n = u8_wrap(text, w, &lines);
    int drawn = 0;
    for (size_t i = 0; i < n && drawn < max_rows; i++) {
        if (drawn == max_rows - 1 && i + 1 < n) {
            /* Cut: the last row says so (ui_put cuts it again to fit). */
            char *t = xasprintf("%s\xE2\x80\xA6", lines[i]);
            ui_put_styled(y + drawn++, x, w, t, false, st);
            free(t);
        } else {
            ui_put_styled(y + drawn++, x, w, lines[i], false, st);
        }
    }
    u8_lines_free(lines, n);
    return drawn;
}

void ui_message(const char *msg, ui_style st)
{
    if (!msg || !*msg)
        return;
    char **lines;
    size_t n = u8_wrap(msg, COLS - 2, &lines);
    u8_lines_free(lines, n);
    int rows = n > 1 ? 2 : 1;
    int first = LINES - 1 - rows;
    for (int y = first; y < LINES - 1; y++) {
        move(y, 0);
        clrtoeol();
    }
    ui_put_wrapped(first, 1, COLS - 2, rows, msg, st);
}

size_t ui_scroll_to(size_t *top, size_t sel, size_t n, size_t rows)
{
    if (sel < *top)
        *top = sel;
    else if (rows && sel >= *top + rows)
        *top = sel - rows + 1;
    if (*top + rows > n)
        *top = n > rows ? n - rows : 0;
    return *top;
}

int ui_getkey(int timeout_ms)
{
    bool fkey;
    return ui_readkey(timeout_ms, &fkey);
}

static int bad_byte = -1;

int ui_bad_byte(void)
{
    int b = bad_byte;
    bad_byte = -1;
    return b;
}

/* The length of the UTF-8 sequence a lead byte starts, 0 if it starts
 * none. */
static int utf8_len(int b)
{
    return b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
}

/*
 * Keys are read byte by byte with wgetch() and UTF-8 is decoded here, not
 * with get_wch(): after a byte that is not UTF-8 (a terminal set to
 * Latin-1, line noise, a paste from a Windows file) get_wch() swallows up
 * to 144 of the bytes that follow, every key typed meanwhile, until the
 * keyboard has been idle for the whole timeout.  Here the bad byte alone
 * is dropped (ui_bad_byte() tells which) and the next key is read as
 * usual.
 */
int ui_readkey(int timeout_ms, bool *fkey)
{
    timeout(timeout_ms);
    int b = getch();
    *fkey = b != ERR && b >= KEY_MIN;
    if (b == ERR || *fkey || b < 0x80)
        return b;
    int n = utf8_len(b);
    char buf[4] = {(char)b};
    for (int i = 1; i < n; i++) {
        /* The rest of a character comes with its first byte. */
        timeout(50);
        int c = getch();
        if (c == ERR || c >= KEY_MIN || (c & 0xC0) != 0x80) {
            if (c != ERR)
                ungetch(c);
            n = 0;
            break;
        }
        buf[i] = (char)c;
    }
    uint32_t cp;
    if (n == 0 || !utf8_valid(buf, (size_t)n) || u8_decode(buf, (size_t)n, &cp) != (size_t)n) {
        bad_byte = b;
        return ERR;
    }
    return (int)cp;
}
