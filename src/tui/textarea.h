/*
 * textarea.h — a text field that wraps at word boundaries and edits UTF-8
 * text in place, one line or several, for the screens' text input (the
 * codebook editor's definitions, its labels and ids).
 *
 * The text is kept as UTF-8 bytes and the cursor as a byte offset that is
 * always on a character boundary; positions on screen are computed from
 * display widths (core/text.h), so "é" and "œ" take one column and a wide
 * character two.  Keys come from ui_readkey(), which tells function keys
 * from characters.
 */
#ifndef CARNET_TUI_TEXTAREA_H
#define CARNET_TUI_TEXTAREA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

typedef struct ui_textarea {
    strbuf text;    /* the text being edited (never NULL once initialised) */
    size_t cur;     /* cursor, a byte offset into text */
    bool multiline; /* Enter inserts a line break (else it accepts) */
    size_t top;     /* first row shown */
    int goal;       /* column Up and Down aim for, or -1 */
    int w, h;       /* the size it was last drawn at */
} ui_textarea;

typedef enum ui_ta_result {
    UI_TA_EDITING = 0, /* the key was handled; keep editing */
    UI_TA_ACCEPT,      /* Ctrl-S or F2 (or Enter on one line): keep the text */
    UI_TA_CANCEL       /* Esc: leave it as it was */
} ui_ta_result;

/* Starts editing a copy of text (NULL: empty), cursor at its end.  Free
 * with ui_ta_free(). */
void ui_ta_init(ui_textarea *t, const char *text, bool multiline);
void ui_ta_free(ui_textarea *t);

/* The text as it stands (owned by t). */
const char *ui_ta_text(const ui_textarea *t);

/* Draws the text in the h x w rectangle at (y, x), scrolled so that the
 * cursor shows, and puts the terminal's cursor there. */
void ui_ta_draw(ui_textarea *t, int y, int x, int h, int w);

/* Handles one key from ui_readkey() (fn: a KEY_* code). */
ui_ta_result ui_ta_key(ui_textarea *t, int key, bool fn);

#endif
