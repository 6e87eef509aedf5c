/*
 * lineedit.h — a one-line text editor, in pure C.
 *
 * The input line of the coding screen (a note, an "other, specify" answer,
 * a free-text answer, new times) and the fields of the start-up form edit
 * text with the same keys.  The text is UTF-8 and the cursor always sits on
 * a character boundary, so that a French word is never cut in two bytes;
 * the screen measures what it draws by display width (core/text.h).
 */
#ifndef CARNET_CORE_LINEEDIT_H
#define CARNET_CORE_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

/* The longest text a line takes, in bytes: a note pasted from a long
 * document (1 MiB) fits whole. */
#define LE_MAX (1024u * 1024u)

typedef struct le_line {
    char *buf;  /* NUL-terminated UTF-8, owned; NULL until first set */
    size_t len; /* bytes */
    size_t cur; /* cursor: a byte offset on a character boundary */
    size_t cap; /* bytes allocated: grows by doubling, so a paste is linear */
} le_line;

/* Editing keys, as the coding state machine numbers them (coding.h). */
typedef enum le_edit {
    LE_NONE = 0,
    LE_LEFT,
    LE_RIGHT,
    LE_HOME,
    LE_END,
    LE_BACKSPACE,
    LE_DELETE,
    LE_KILL_LINE, /* Ctrl-U: the whole line */
    LE_KILL_END,  /* Ctrl-K: from the cursor to the end */
} le_edit;

/* Replaces the text (NULL: empty) and puts the cursor at its end. */
void le_set(le_line *l, const char *s);
/* Frees the text; the line is empty again. */
void le_free(le_line *l);
/* The text, "" when empty; owned by the line. */
const char *le_text(const le_line *l);

/*
 * Inserts the code point cp at the cursor.  Control characters, surrogates
 * and code points past U+10FFFF are refused (false), as is text that would
 * pass LE_MAX bytes (le_full() tells the two apart).
 */
bool le_insert(le_line *l, unsigned long cp);
/* Whether the line has no room left for the code point cp. */
bool le_full(const le_line *l, unsigned long cp);
/* Applies an editing key; false when it changed nothing. */
bool le_apply(le_line *l, le_edit e);

/* The cursor as a count of display columns from the start of the text. */
size_t le_cursor_col(const le_line *l);

/* A copy of the text with spaces and tabs trimmed at both ends; caller
 * frees it. */
char *le_trimmed(const le_line *l);

#endif
