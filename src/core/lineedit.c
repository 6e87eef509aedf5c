/*
 * lineedit.c — the one-line text editor (lineedit.h).
 */
#include "core/lineedit.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"

void le_set(le_line *l, const char *s)
{
    free(l->buf);
    l->buf = xstrdup(s ? s : "");
    l->len = strlen(l->buf);
    l->cap = l->len + 1;
    if (l->len > LE_MAX) {
        /* Cut on a character boundary. */
        size_t n = LE_MAX;
        while (n > 0 && ((unsigned char)l->buf[n] & 0xC0) == 0x80)
            n--;
        l->buf[n] = '\0';
        l->len = n;
    }
    l->cur = l->len;
}

void le_free(le_line *l)
{
    free(l->buf);
    memset(l, 0, sizeof *l);
}

const char *le_text(const le_line *l)
{
    return l->buf ? l->buf : "";
}

static bool insertable(unsigned long cp)
{
    return !(cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF);
}

bool le_full(const le_line *l, unsigned long cp)
{
    char enc[4];
    return l->len + u8_encode((uint32_t)cp, enc) > LE_MAX;
}

bool le_insert(le_line *l, unsigned long cp)
{
    if (!insertable(cp))
        return false;
    char enc[4];
    size_t n = u8_encode((uint32_t)cp, enc);
    if (l->len + n > LE_MAX)
        return false;
    if (!l->buf)
        le_set(l, "");
    xgrow((void **)&l->buf, &l->cap, l->len + n + 1, 1);
    memmove(l->buf + l->cur + n, l->buf + l->cur, l->len - l->cur + 1);
    memcpy(l->buf + l->cur, enc, n);
    l->len += n;
    l->cur += n;
    return true;
}

/* The start of the character before / after byte offset i. */
static size_t prev_char(const le_line *l, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)l->buf[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static size_t next_char(const le_line *l, size_t i)
{
    if (i >= l->len)
        return l->len;
    i++;
    while (i < l->len && ((unsigned char)l->buf[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static void cut(le_line *l, size_t from, size_t to)
{
    memmove(l->buf + from, l->buf + to, l->len - to + 1);
    l->len -= to - from;
    l->cur = from;
}

bool le_apply(le_line *l, le_edit e)
{
    if (!l->buf)
        le_set(l, "");
    size_t before = l->cur, len = l->len;
    switch (e) {
    case LE_LEFT:
        l->cur = prev_char(l, l->cur);
        break;
    case LE_RIGHT:
        l->cur = next_char(l, l->cur);
        break;
    case LE_HOME:
        l->cur = 0;
        break;
    case LE_END:
        l->cur = l->len;
        break;
    case LE_BACKSPACE:
        if (l->cur > 0)
            cut(l, prev_char(l, l->cur), l->cur);
        break;
    case LE_DELETE:
        if (l->cur < l->len)
            cut(l, l->cur, next_char(l, l->cur));
        break;
    case LE_KILL_LINE:
        cut(l, 0, l->len);
        break;
    case LE_KILL_END:
        cut(l, l->cur, l->len);
        break;
    case LE_NONE:
        break;
    }
    return l->cur != before || l->len != len;
}

size_t le_cursor_col(const le_line *l)
{
    size_t w = 0;
    for (size_t i = 0; l->buf && i < l->cur;) {
        uint32_t cp;
        i += u8_decode(l->buf + i, l->cur - i, &cp);
        w += (size_t)u8_cp_width(cp);
    }
    return w;
}

char *le_trimmed(const le_line *l)
{
    const char *s = le_text(l);
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return xstrndup(s, n);
}
