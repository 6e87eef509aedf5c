/*
 * fuzz.h — what carnet's libFuzzer harnesses share.
 *
 * A harness is one file tests/fuzz/fuzz_NAME.c that defines
 * LLVMFuzzerTestOneInput() and states its invariants with FUZZ_ASSERT: a
 * broken invariant aborts, which libFuzzer and the sanitizers report like a
 * crash.  Its first lines may name seed folders with a comment
 *     FUZZ_SEEDS: codebooks tests/data
 * (the per-harness folder tests/fuzz/corpus/NAME/ is always a seed), and
 * FUZZ_ARGS: for extra libFuzzer flags (-max_len=4096).  `make fuzz` finds
 * the harness by its name; `make check` replays every input kept under
 * tests/fuzz/regressions/NAME/ and tests/fuzz/corpus/NAME/ through the same
 * file built with gcc and ASan+UBSan (replay.c), so a finding stays a test.
 */
#ifndef CARNET_TESTS_FUZZ_H
#define CARNET_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                                                            \
    do {                                                                                                             \
        if (!(cond)) {                                                                                               \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);                             \
            abort();                                                                                                 \
        }                                                                                                            \
    } while (0)

/* The input as a NUL-terminated string (the parsers take C strings).
 * Caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Every diagnostic is UTF-8 text with a place (line and column 0 for the
 * whole file); an offending message is printed before the abort. */
static inline void fuzz_check_diags(const diag_list *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char *s = diag_format(&d->items[i]);
        if (!utf8_valid(s, strlen(s)))
            fprintf(stderr, "not UTF-8: %s\n", s);
        FUZZ_ASSERT(utf8_valid(s, strlen(s)));
        FUZZ_ASSERT(d->items[i].line >= 0 && d->items[i].col >= 0);
        free(s);
    }
}

#endif
