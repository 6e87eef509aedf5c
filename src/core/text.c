/*
 * text.c — UTF-8 decoding and display width (text.h).
 */
#include "core/text.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/util.h"

size_t u8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (!n) {
        *cp = 0;
        return 0;
    }
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 1) {
        *cp = c;
        return 1;
    }
    if (!len || len > n || !utf8_valid(str, len)) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++)
        v = (v << 6) | (s[i] & 0x3F);
    *cp = v;
    return len;
}

/* C0 controls, DEL and the C1 controls (U+0080..U+009F): U+009B is CSI,
 * which some terminals obey like ESC [, so none may reach the screen. */
static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int u8_cp_width(uint32_t cp)
{
    if (is_control(cp))
        return 1; /* shown as '?' */
    if (cp < 0x7F)
        return 1;
    int w = wcwidth((wchar_t)cp);
    if (w >= 0)
        return w;
    /* Outside a UTF-8 locale wcwidth knows no letters beyond ASCII. */
    if ((cp >= 0x0300 && cp <= 0x036F) || cp == 0x200B)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF))
        return 2;
    return 1;
}

size_t u8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t u8_width(const char *s)
{
    size_t w = 0, n = strlen(s);
    while (n) {
        uint32_t cp;
        size_t k = u8_decode(s, n, &cp);
        w += (size_t)u8_cp_width(cp);
        s += k;
        n -= k;
    }
    return w;
}

/* Whether the first n bytes of s take more than width columns; stops as
 * soon as they do, so that fitting a 1 MB note to a screen line costs the
 * line, not the note. */
static bool wider_than(const char *s, size_t n, size_t width)
{
    size_t w = 0;
    while (n) {
        uint32_t cp;
        size_t k = u8_decode(s, n, &cp);
        w += (size_t)u8_cp_width(cp);
        if (w > width)
            return true;
        s += k;
        n -= k;
    }
    return false;
}

char *u8_fit(const char *s, int width, int pad)
{
    strbuf b = {0};
    sb_add(&b, "");
    if (width <= 0)
        return sb_take(&b);
    size_t n = strlen(s ? s : "");
    const char *p = s ? s : "";
    int used = 0;
    bool cut = wider_than(p, n, (size_t)width);
    int room = cut ? width - 1 : width;
    while (n) {
        uint32_t cp;
        size_t k = u8_decode(p, n, &cp);
        int w = u8_cp_width(cp);
        if (used + w > room)
            break;
        if (is_control(cp))
            sb_addc(&b, '?');
        else if (cp == 0xFFFD && k == 1)
            sb_add(&b, "\xEF\xBF\xBD");
        else
            sb_addn(&b, p, k);
        used += w;
        p += k;
        n -= k;
    }
    if (cut) {
        sb_add(&b, "\xE2\x80\xA6"); /* … */
        used++;
    }
    while (pad && used < width) {
        sb_addc(&b, ' ');
        used++;
    }
    return sb_take(&b);
}

static void push_line(char ***lines, size_t *n, strbuf *b)
{
    *lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
    sb_add(b, "");
    (*lines)[(*n)++] = sb_take(b);
}

/* Columns of the first len bytes of s. */
static int width_n(const char *s, size_t len)
{
    int w = 0;
    while (len) {
        uint32_t cp;
        size_t k = u8_decode(s, len, &cp);
        w += u8_cp_width(cp);
        s += k;
        len -= k;
    }
    return w;
}

/* Appends to b as much of word (len bytes) as fits in width - *cols
 * columns, at least one character on an empty line so that wrapping
 * always moves on; returns the bytes taken. */
static size_t fit_part(strbuf *b, const char *word, size_t len, int width, int *cols)
{
    size_t used = 0;
    while (used < len) {
        uint32_t cp;
        size_t k = u8_decode(word + used, len - used, &cp);
        int w = u8_cp_width(cp);
        if (*cols + w > width && *cols)
            break;
        sb_addn(b, word + used, k);
        *cols += w;
        used += k;
    }
    return used;
}

size_t u8_wrap(const char *s, int width, char ***lines)
{
    *lines = NULL;
    size_t n = 0;
    if (width < 1)
        width = 1;
    const char *p = s ? s : "";
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t plen = end ? (size_t)(end - p) : strlen(p);
        strbuf line = {0};
        int cols = 0;
        for (size_t i = 0; i < plen;) {
            while (i < plen && p[i] == ' ')
                i++;
            size_t j = i;
            while (j < plen && p[j] != ' ')
                j++;
            if (j == i)
                break;
            if (cols && cols + 1 + width_n(p + i, j - i) > width) {
                push_line(lines, &n, &line);
                cols = 0;
            }
            if (cols) {
                sb_addc(&line, ' ');
                cols++;
            }
            /* A word wider than the line is cut where the line ends. */
            for (size_t at = i; at < j;) {
                at += fit_part(&line, p + at, j - at, width, &cols);
                if (at < j) {
                    push_line(lines, &n, &line);
                    cols = 0;
                }
            }
            i = j;
        }
        push_line(lines, &n, &line);
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

void u8_lines_free(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

char *u8_clean(const char *s)
{
    size_t w = u8_width(s ? s : "");
    return u8_fit(s, w > INT_MAX ? INT_MAX : (int)w, 0);
}
