/*
 * panels.h — the parts of a coding screen that live coding (`carnet
 * observe`, observe.c) and training (`carnet train`, train.c) share: the
 * list of dimensions with the answer of each, and the panel of the codes of
 * one dimension with their hotkeys and labels.
 *
 * Both screens offer the same codes (cod_visible_codes(): neither retired
 * nor headings) in the codebook's order, and draw them the same way; what
 * differs between them (observe highlights a code and scrolls, train lays
 * codes out in columns and writes keys in brackets) is said by the caller.
 */
#ifndef CARNET_TUI_PANELS_H
#define CARNET_TUI_PANELS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codebook.h"
#include "tui/ui.h"

/* One dimension of a list of dimensions with their answers. */
typedef struct ui_dim_row {
    const char *label;
    bool star;          /* a star after the label (a required dimension) */
    const char *answer; /* the codes chosen, the text; NULL or "" when none */
    ui_style answer_style;
    const char *none;   /* what stands for no answer ("-", "required"...) */
    ui_style none_style;
} ui_dim_row;

/*
 * Draws n dimensions, one a row from row y and not past row y_end, in the
 * columns [x, x + w): the marker (two columns) before the active one, whose
 * row is highlighted; the labels in a column as wide as the longest plus
 * one for the star (at most label_max); then the answers, cut one column
 * before x + w.  Returns the row after the last one drawn.
 */
int ui_dim_rows(int y, int y_end, int x, int w, const ui_dim_row *rows, size_t n, size_t active, const char *marker,
                int label_max);

/* The panel of the codes of one dimension. */
typedef struct ui_codes {
    const cb_dimension *dim;
    const bool *chosen;  /* one per code of dim, in its order; NULL: none chosen */
    long highlight;      /* among the codes offered; -1: none */
    int cols;            /* columns, filled top to bottom (1 to 3) */
    bool brackets;       /* keys written "[k]" then the star, rather than the star then "k" */
    bool specify;        /* "(specify)" after the label of an other-specify code */
    const char *title;   /* on the first row, with its style */
    ui_style title_style;
} ui_codes;

/*
 * Draws the title on row y and the codes offered in the rows (y, y + rows]
 * of the columns [x, x + w), rows codes a column: a star before (or after
 * the key of) each code chosen, its hotkey, its label.  *top is the first
 * code shown, moved as little as lets the highlight show (NULL: the first);
 * a "^" on the title row and a "v" on the last row say that codes are
 * hidden above or below.
 */
void ui_code_panel(int y, int x, int w, int rows, const ui_codes *p, size_t *top);

/* The number of rows n codes take in cols columns (at least 1). */
int ui_code_rows(size_t n, int cols);

#endif
