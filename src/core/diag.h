/*
 * diag.h — diagnostics: problems found in user input, each with a place.
 *
 * Parsers and validators append to a diag_list; the command line prints each
 * as "FILE:LINE:COL: message", the format that editors and compilers share.
 */
#ifndef CARNET_CORE_DIAG_H
#define CARNET_CORE_DIAG_H

#include <stddef.h>

typedef struct diag {
    char *file; /* owned */
    int line;   /* 1-based, 0 when the problem concerns the whole file */
    int col;
    char *msg;  /* owned, UTF-8 */
} diag;

typedef struct diag_list {
    diag *items;
    size_t n, cap;
} diag_list;

/* Appends a formatted diagnostic.  file may be NULL. */
void diag_add(diag_list *l, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Frees the items (not the list itself, which is usually on the stack). */
void diag_clear(diag_list *l);

/* Formats item i as "FILE:LINE:COL: message" into a new string; caller frees. */
char *diag_format(const diag *d);

#endif
