/*
 * cell.h — what every spreadsheet cell carnet writes goes through: the
 * neutralisation of text that a spreadsheet would run as a formula, the
 * locale-free formatting of decimals, and dates as spreadsheet serials.
 *
 * A note is typed by an observer and may hold anything, including text that
 * Excel or LibreOffice would take for a formula when the file is opened or a
 * cell is edited ("=HYPERLINK(...)", "+33 6...", "@SUM(...)", "-2+3").  Both
 * export formats pass every text cell through cell_guard(), so that the
 * spreadsheet shows the text and never evaluates it.  Pure functions.
 */
#ifndef CARNET_CORE_CELL_H
#define CARNET_CORE_CELL_H

#include <stdbool.h>
#include <stddef.h>

/* true when a spreadsheet could read s as a formula: it starts with '=',
 * '+', '-', '@', a tab or a carriage return. */
bool cell_needs_guard(const char *s);

/*
 * s made inert: when cell_needs_guard(s), a single quote is put in front
 * (the OWASP advice for CSV, and what a person types in a spreadsheet to
 * enter text that looks like a formula); otherwise a copy.  NULL gives NULL.
 * Caller frees the result.
 */
char *cell_guard(const char *s);

/* The most characters (code points) a spreadsheet cell holds: Excel's
 * limit, which libxlsxwriter enforces by writing nothing at all. */
#define CELL_MAX_CHARS 32767

/*
 * NULL when s fits in an XLSX cell (CELL_MAX_CHARS characters: checked on
 * its length in bytes first, so that the common case costs nothing);
 * otherwise (a note of a megabyte) s cut so that the cell ends with
 * "[… cut: N characters]" (translated) and holds exactly CELL_MAX_CHARS.
 * Caller frees the result.
 */
char *cell_xlsx_cut(const char *s);

/*
 * Formats v rounded to `decimals` places (0 to 6) with sep as the decimal
 * separator, whatever the C locale says ("12.5", or "12,5" for French
 * Excel).  out holds at least 40 bytes.
 */
void cell_decimal(double v, int decimals, char sep, char out[40]);

/*
 * The spreadsheet serial number (days since 1899-12-30, the time of day as
 * the fraction) of a local timestamp "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS"
 * followed by anything (the UTC offset is ignored: the desk's own clock is
 * what a spreadsheet shows).  Returns false when s does not start so.
 */
bool cell_serial(const char *s, double *out);

#endif
