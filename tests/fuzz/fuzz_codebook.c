/*
 * fuzz_codebook.c — the native codebook reader (cbf_parse) and validation.
 *
 * FUZZ_SEEDS: codebooks
 * FUZZ_ARGS: -dict=tests/fuzz/codebook.dict
 *
 * Invariants: the parser never crashes or leaks on any bytes; it fails if
 * and only if it reports a problem; every message is UTF-8; and a codebook
 * it accepts survives the round trip the study relies on (cbf_write, then
 * cbf_parse again, gives an equal codebook), is still valid, clones to an
 * equal copy, and compiles into a matcher without complaint.
 */
#include "fuzz.h"

#include "codebook/cb_file.h"
#include "core/cb_match.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > CBF_MAX_BYTES)
        return 0;
    diag_list d = {0};
    cb_codebook *cb;
    size_t n = cbf_parse("fuzz.yaml", (const char *)data, size, &cb, &d);
    FUZZ_ASSERT((n == 0) == (cb != NULL));
    FUZZ_ASSERT(n == d.n);
    fuzz_check_diags(&d);
    diag_clear(&d);
    if (!cb)
        return 0;

    FUZZ_ASSERT(cb_validate(cb, "fuzz.yaml", &d) == 0);
    char *text = cbf_write(cb);
    cb_codebook *back;
    size_t n2 = cbf_parse("written.yaml", text, strlen(text), &back, &d);
    if (n2) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%s:%d:%d: %s\n", d.items[i].file, d.items[i].line, d.items[i].col, d.items[i].msg);
        fprintf(stderr, "--- written text ---\n%s--- end ---\n", text);
    }
    FUZZ_ASSERT(n2 == 0);
    FUZZ_ASSERT(cb_equal(cb, back));
    /* The canonical layout is a fixed point. */
    char *again = cbf_write(back);
    FUZZ_ASSERT(strcmp(text, again) == 0);

    cb_codebook *copy = cb_clone(cb);
    FUZZ_ASSERT(cb_equal(cb, copy));
    cb_matcher *m = cb_matcher_new(cb, "fuzz.yaml", &d);
    FUZZ_ASSERT(d.n == 0);
    cb_matcher_free(m);

    cb_free(copy);
    free(again);
    free(text);
    cb_free(back);
    cb_free(cb);
    diag_clear(&d);
    return 0;
}
