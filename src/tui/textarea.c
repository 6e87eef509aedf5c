/*
 * textarea.c — the wrapping text field of the screens (textarea.h).
 *
 * The layout (where each screen row starts and ends in the text) is
 * recomputed from the text on each key and each draw: fields hold a few
 * paragraphs at most, and a layout that is never stale is worth more than
 * the microseconds.
 */
#include "tui/textarea.h"

#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/ui.h"

typedef struct row {
    size_t start, end, next; /* [start, end) is shown; the next row starts at next */
} row;

typedef struct layout {
    row *rows;
    size_t n;
} layout;

static size_t cp_len(const char *s, size_t n)
{
    uint32_t cp;
    return u8_decode(s, n, &cp);
}

static int cp_width_at(const char *s, size_t n)
{
    uint32_t cp;
    u8_decode(s, n, &cp);
    int w = u8_cp_width(cp);
    return w < 0 ? 1 : w;
}

static size_t prev_cp_in(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/*
 * Rows of at most width columns.  A row that must wrap breaks after its
 * last space (the space itself is not shown), or, in a word longer than the
 * row, at the last character that fits.  A line break ends a row; a text
 * that ends with one has an empty last row, where the cursor can go.
 */
static layout lay_out(const ui_textarea *t, int width)
{
    layout L = {0};
    size_t cap = 0;
    const char *s = t->text.s ? t->text.s : "";
    size_t len = t->text.len;
    if (width < 1)
        width = 1;
    size_t i = 0;
    for (;;) {
        size_t start = i, last_space = (size_t)-1;
        int col = 0;
        while (i < len && s[i] != '\n') {
            int w = cp_width_at(s + i, len - i);
            if (col + w > width && i > start)
                break;
            if (s[i] == ' ')
                last_space = i;
            col += w;
            i += cp_len(s + i, len - i);
        }
        row r = {start, i, i};
        if (i < len && s[i] == '\n') {
            r.next = i + 1;
        } else if (i < len) {
            if (s[i] == ' ')
                r.next = i + 1;
            else if (last_space != (size_t)-1 && last_space > start)
                r.end = last_space, r.next = last_space + 1;
        }
        xgrow((void **)&L.rows, &cap, L.n + 1, sizeof *L.rows);
        L.rows[L.n++] = r;
        if (i >= len)
            break;
        i = r.next;
    }
    return L;
}

/* The row the cursor is on. */
static size_t row_of(const layout *L, size_t cur)
{
    for (size_t r = 0; r + 1 < L->n; r++)
        if (cur >= L->rows[r].start && cur < L->rows[r].next)
            return r;
    return L->n - 1;
}

static int col_of(const ui_textarea *t, const row *r, size_t cur)
{
    int col = 0;
    for (size_t i = r->start; i < cur && i < r->end;) {
        col += cp_width_at(t->text.s + i, t->text.len - i);
        i += cp_len(t->text.s + i, t->text.len - i);
    }
    return col;
}

/* The offset in row r (not the last) closest to column goal. */
static size_t offset_at(const ui_textarea *t, const layout *L, size_t ri, int goal)
{
    const row *r = &L->rows[ri];
    int col = 0;
    size_t i = r->start;
    while (i < r->end) {
        int w = cp_width_at(t->text.s + i, t->text.len - i);
        if (col + w > goal)
            break;
        col += w;
        i += cp_len(t->text.s + i, t->text.len - i);
    }
    /* Where a word was cut, the row's end is the next row's start. */
    if (i == r->end && r->end == r->next && ri + 1 < L->n && i > r->start)
        i = prev_cp_in(t->text.s, i);
    return i;
}

void ui_ta_init(ui_textarea *t, const char *text, bool multiline)
{
    memset(t, 0, sizeof *t);
    sb_add(&t->text, text ? text : "");
    t->cur = t->text.len;
    t->multiline = multiline;
    t->goal = -1;
    t->w = 40;
    t->h = 1;
}

void ui_ta_free(ui_textarea *t)
{
    sb_free(&t->text);
}

const char *ui_ta_text(const ui_textarea *t)
{
    return t->text.s ? t->text.s : "";
}

void ui_ta_draw(ui_textarea *t, int y, int x, int h, int w)
{
    t->w = w;
    t->h = h;
    layout L = lay_out(t, w);
    size_t cr = row_of(&L, t->cur);
    if (cr < t->top)
        t->top = cr;
    if (cr >= t->top + (size_t)h)
        t->top = cr - (size_t)h + 1;
    for (int i = 0; i < h; i++) {
        size_t r = t->top + (size_t)i;
        mvhline(y + i, x, ' ', w);
        if (r >= L.n)
            continue;
        char *line = xstrndup(t->text.s + L.rows[r].start, L.rows[r].end - L.rows[r].start);
        ui_put(y + i, x, w, line, false);
        free(line);
    }
    int cx = col_of(t, &L.rows[cr], t->cur);
    if (cx >= w)
        cx = w - 1;
    move(y + (int)(cr - t->top), x + cx);
    free(L.rows);
}

static void insert(ui_textarea *t, const char *s, size_t n)
{
    strbuf b = {0};
    sb_addn(&b, t->text.s, t->cur);
    sb_addn(&b, s, n);
    sb_addn(&b, t->text.s + t->cur, t->text.len - t->cur);
    sb_free(&t->text);
    t->text = b;
    t->cur += n;
}

static void erase_range(ui_textarea *t, size_t from, size_t to)
{
    memmove(t->text.s + from, t->text.s + to, t->text.len - to + 1);
    t->text.len -= to - from;
    t->cur = from;
}

static size_t prev_cp(const ui_textarea *t, size_t i)
{
    return prev_cp_in(t->text.s, i);
}

/* Moves the cursor dr rows up (negative) or down, keeping its column. */
static void move_rows(ui_textarea *t, int dr)
{
    layout L = lay_out(t, t->w);
    size_t r = row_of(&L, t->cur);
    if (t->goal < 0)
        t->goal = col_of(t, &L.rows[r], t->cur);
    long target = (long)r + dr;
    if (target < 0)
        t->cur = 0;
    else if ((size_t)target >= L.n)
        t->cur = t->text.len;
    else
        t->cur = offset_at(t, &L, (size_t)target, t->goal);
    free(L.rows);
}

static void row_edge(ui_textarea *t, bool end)
{
    layout L = lay_out(t, t->w);
    size_t r = row_of(&L, t->cur);
    t->cur = end ? offset_at(t, &L, r, 1 << 20) : L.rows[r].start;
    free(L.rows);
}

ui_ta_result ui_ta_key(ui_textarea *t, int key, bool fn)
{
    bool vertical = false;
    ui_ta_result res = UI_TA_EDITING;
    if (fn) {
        switch (key) {
        case KEY_LEFT:
            t->cur = prev_cp(t, t->cur);
            break;
        case KEY_RIGHT:
            if (t->cur < t->text.len)
                t->cur += cp_len(t->text.s + t->cur, t->text.len - t->cur);
            break;
        case KEY_UP:
            move_rows(t, -1);
            vertical = true;
            break;
        case KEY_DOWN:
            move_rows(t, 1);
            vertical = true;
            break;
        case KEY_PPAGE:
            move_rows(t, -(t->h > 1 ? t->h - 1 : 1));
            vertical = true;
            break;
        case KEY_NPAGE:
            move_rows(t, t->h > 1 ? t->h - 1 : 1);
            vertical = true;
            break;
        case KEY_HOME:
            row_edge(t, false);
            break;
        case KEY_END:
            row_edge(t, true);
            break;
        case KEY_BACKSPACE:
            if (t->cur > 0)
                erase_range(t, prev_cp(t, t->cur), t->cur);
            break;
        case KEY_DC:
            if (t->cur < t->text.len)
                erase_range(t, t->cur, t->cur + cp_len(t->text.s + t->cur, t->text.len - t->cur));
            break;
        case KEY_ENTER:
            if (!t->multiline)
                res = UI_TA_ACCEPT;
            else
                insert(t, "\n", 1);
            break;
        case KEY_F(2):
            res = UI_TA_ACCEPT;
            break;
        default:
            break;
        }
    } else if (key == 27) {
        res = UI_TA_CANCEL;
    } else if (key == UI_CTRL('s')) {
        res = UI_TA_ACCEPT;
    } else if (key == '\r' || key == '\n') {
        if (!t->multiline)
            res = UI_TA_ACCEPT;
        else
            insert(t, "\n", 1);
    } else if (key == 127 || key == UI_CTRL('h')) {
        if (t->cur > 0)
            erase_range(t, prev_cp(t, t->cur), t->cur);
    } else if (key == UI_CTRL('a')) {
        row_edge(t, false);
    } else if (key == UI_CTRL('e')) {
        row_edge(t, true);
    } else if (key == UI_CTRL('k')) {
        /* Deletes to the end of the line, as in a shell. */
        size_t e = t->cur;
        while (e < t->text.len && t->text.s[e] != '\n')
            e++;
        if (e == t->cur && e < t->text.len)
            e++;
        erase_range(t, t->cur, e);
    } else if (key == UI_CTRL('u')) {
        /* Deletes to the start of the line, as in a shell. */
        size_t b = t->cur;
        while (b > 0 && t->text.s[b - 1] != '\n')
            b--;
        erase_range(t, b, t->cur);
    } else if (key == '\t') {
        insert(t, " ", 1);
    } else if (key >= 0x20 && key != 0x7F && key < 0x110000 && !(key >= 0xD800 && key < 0xE000)) {
        char buf[4];
        insert(t, buf, u8_encode((uint32_t)key, buf));
    }
    if (!vertical)
        t->goal = -1;
    return res;
}
