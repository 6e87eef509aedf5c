/*
 * fuzz_match.c — codebook patterns (src/core/cb_match.h): a codebook is
 * parsed, its patterns compiled, and the rest of the input is typed as a
 * note and as free-text answers.
 *
 * FUZZ_ARGS: -max_len=16384 -dict=tests/fuzz/codebook.dict
 *
 * The input is a codebook in the native format, a NUL byte, then the text.
 * Invariants: a valid codebook compiles without complaint; suggestions are
 * active codes of active dimensions, in codebook order, the same whatever
 * max; validation of an answer refused gives the codebook's own message;
 * indexes out of range and invalid UTF-8 never crash.
 */
#include "fuzz.h"

#include "codebook/cb_file.h"
#include "core/cb_match.h"
#include "core/util.h"

#define MAXS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t ylen = nul ? (size_t)(nul - data) : size;
    char *text = nul ? fuzz_cstr(nul + 1, size - ylen - 1) : fuzz_cstr(data, 0);
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_parse("fuzz.yaml", (const char *)data, ylen, &cb, &d)) {
        diag_clear(&d);
        free(text);
        return 0;
    }
    cb_matcher *m = cb_matcher_new(cb, "fuzz.yaml", &d);
    FUZZ_ASSERT(d.n == 0);

    cb_suggestion all[MAXS], few[3];
    size_t found = cb_matcher_suggest(m, text, all, MAXS);
    size_t found3 = cb_matcher_suggest(m, text, few, 3);
    FUZZ_ASSERT(found == found3);
    for (size_t i = 0; i < found && i < MAXS; i++) {
        FUZZ_ASSERT(all[i].dim < cb->ndims && all[i].code < cb->dims[all[i].dim].ncodes);
        FUZZ_ASSERT(!cb->dims[all[i].dim].retired && !cb->dims[all[i].dim].codes[all[i].code].retired);
        if (i)
            FUZZ_ASSERT(all[i].dim > all[i - 1].dim ||
                        (all[i].dim == all[i - 1].dim && all[i].code > all[i - 1].code));
        if (i < 3)
            FUZZ_ASSERT(few[i].dim == all[i].dim && few[i].code == all[i].code);
    }
    FUZZ_ASSERT(cb_matcher_suggest(m, text, NULL, 0) == found);

    for (size_t i = 0; i <= cb->ndims; i++) {
        const char *msg;
        bool ok = cb_matcher_validate(m, i, CB_NO_CODE, text, &msg);
        if (i == cb->ndims) {
            FUZZ_ASSERT(ok);
            break;
        }
        if (!ok)
            FUZZ_ASSERT(msg == cb->dims[i].validate_message);
        for (size_t j = 0; j <= cb->dims[i].ncodes; j++) {
            ok = cb_matcher_validate(m, i, j, text, &msg);
            if (j == cb->dims[i].ncodes)
                FUZZ_ASSERT(ok);
            else if (!ok)
                FUZZ_ASSERT(cb->dims[i].codes[j].validate && msg == cb->dims[i].codes[j].validate_message);
        }
    }
    cb_matcher_free(m);
    cb_free(cb);
    free(text);
    return 0;
}
