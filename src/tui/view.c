/*
 * view.c — what the text views of `carnet observe` share (obs.h):
 * wrapping UTF-8 text by display width, and scrolling the help and the
 * codebook entry.
 */
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/obs.h"

/* Appends the line s[0..n) to *lines. */
static void add_line(char ***lines, size_t *n, size_t *cap, const char *s, size_t len)
{
    xgrow((void **)lines, cap, *n + 1, sizeof **lines);
    (*lines)[(*n)++] = xstrndup(s, len);
}

size_t ui_wrap(const char *text, int width, char ***lines)
{
    size_t n = 0, cap = 0;
    *lines = NULL;
    if (width < 1)
        width = 1;
    const char *p = text ? text : "";
    for (;;) {
        /* One paragraph: up to the next newline. */
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        const char *q = p, *end = p + plen;
        if (q == end)
            add_line(lines, &n, &cap, "", 0);
        while (q < end) {
            while (q < end && *q == ' ')
                q++;
            if (q == end)
                break;
            /* Take characters while they fit; break at the last space. */
            const char *r = q, *brk = NULL;
            int w = 0;
            while (r < end) {
                uint32_t cp;
                size_t k = u8_decode(r, (size_t)(end - r), &cp);
                int cw = u8_cp_width(cp);
                if (w + cw > width)
                    break;
                if (cp == ' ')
                    brk = r;
                w += cw;
                r += k;
            }
            if (r < end && brk && brk > q)
                r = brk;
            if (r == q) { /* a character wider than the width */
                uint32_t cp;
                r += u8_decode(r, (size_t)(end - r), &cp);
            }
            size_t len = (size_t)(r - q);
            while (len && q[len - 1] == ' ')
                len--;
            add_line(lines, &n, &cap, q, len);
            q = r;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
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

bool ui_view_scroll(obs *o, int key, int page)
{
    const cod_keydef *k = cod_keydef_of(COD_IN_VIEW, key);
    if (!k)
        return false;
    int s = o->scroll;
    switch (k->action) {
    case COD_A_UP:
        s--;
        break;
    case COD_A_DOWN:
        s++;
        break;
    case COD_A_PGUP:
        s -= page;
        break;
    case COD_A_PGDN:
        s += page;
        break;
    case COD_A_TOP:
        s = 0;
        break;
    case COD_A_BOTTOM:
        s = o->scroll_max;
        break;
    default:
        return false;
    }
    o->scroll = s < 0 ? 0 : s > o->scroll_max ? o->scroll_max : s;
    return true;
}
