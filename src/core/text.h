/*
 * text.h — measuring and fitting UTF-8 text for display.
 *
 * Width on screen is counted in terminal columns with wcwidth() on each
 * decoded code point, never in bytes: "Évry" is four columns, five bytes.
 * Decoding is done here rather than with mbrtowc so that it works the same
 * whatever the locale's character set.
 */
#ifndef CARNET_CORE_TEXT_H
#define CARNET_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n bytes available); returns its length in
 * bytes (at least 1; invalid bytes decode as U+FFFD). */
size_t u8_decode(const char *s, size_t n, uint32_t *cp);

/* Writes the UTF-8 bytes of the code point cp (at most U+10FFFF) to out;
 * returns how many (1 to 4).  Callers refuse surrogates before. */
size_t u8_encode(uint32_t cp, char out[4]);

/* Columns taken by one code point (0 for combining marks, 2 for wide). */
int u8_cp_width(uint32_t cp);

/* Columns taken by s. */
size_t u8_width(const char *s);

/*
 * s cut to at most width columns (ending in "…" when cut) and, when pad is
 * non-zero, padded with spaces to exactly width columns.  Control
 * characters (C0, DEL and C1, which terminals may obey) are shown as '?',
 * bytes that are not UTF-8 as U+FFFD: data never sends the terminal a
 * command.  Caller frees the result.
 */
char *u8_fit(const char *s, int width, int pad);

/*
 * Cuts s into lines of at most width columns, at spaces (a word wider than
 * width is cut) and at each '\n'; a final '\n' ends the last line rather
 * than adding an empty one.  Returns the number of lines and sets *lines
 * (caller frees each line and the array with u8_lines_free()).
 */
size_t u8_wrap(const char *s, int width, char ***lines);
void u8_lines_free(char **lines, size_t n);

/* s whole, with control characters shown as '?' and bytes that are not
 * UTF-8 as U+FFFD, as u8_fit() does: for printing data on a terminal
 * outside curses.  Caller frees the result. */
char *u8_clean(const char *s);

#endif
