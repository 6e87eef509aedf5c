/*
 * util.h — small allocation and string helpers shared by every layer.
 *
 * Allocation failure is not recoverable in a program of this size: the x*
 * functions abort with a message rather than return NULL, so that callers
 * never carry half-built structures.
 */
#ifndef CARNET_CORE_UTIL_H
#define CARNET_CORE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of size elem) to hold at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);           /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Equality that treats NULL and "" as the same text. */
bool str_eq0(const char *a, const char *b);
bool str_empty(const char *s);
/* Reads exactly n ASCII digits of s into *out (n at most 9); false when
 * one of them is not a digit. */
bool str_digits(const char *s, int n, int *out);

/* true when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);

/* A growable string buffer; free with sb_free(). */
typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;
void sb_add(strbuf *b, const char *s);
void sb_addn(strbuf *b, const char *s, size_t n);
void sb_addc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL) and hands ownership to the caller. */
char *sb_take(strbuf *b);
void sb_free(strbuf *b);

#endif
