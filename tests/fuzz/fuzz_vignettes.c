/*
 * fuzz_vignettes.c — the vignette file reader of `carnet train` (vgf_parse,
 * libyaml), and the check of a vignette set against a codebook.
 *
 * FUZZ_SEEDS: codebooks
 * FUZZ_ARGS: -max_len=65536 -dict=tests/fuzz/codebook.dict
 *
 * Seeds: the shipped vignette file (codebooks/labacces-accueil.vignettes.yaml;
 * the other files of that folder are YAML too) and small files in
 * tests/fuzz/corpus/vignettes/.
 * Invariants: no crash, leak or undefined behaviour on any bytes; it fails
 * if and only if it reports a problem; every message is UTF-8 with a
 * position; an accepted set has a codebook id, a title and at least one
 * vignette, each with an id unique in the set (vg_find finds it), a text
 * and its references; checking it against the shipped codebook (whose id
 * the seeds use) reports problems as diagnostics, never a crash.
 */
#include "fuzz.h"

#include "codebook/cb_file.h"
#include "codebook/vignettes.h"
#include "core/util.h"

/* The shipped codebook the vignettes refer to, read once (the harness
 * runs from the top of the tree); NULL when it cannot be read. */
static const cb_codebook *shipped(void)
{
    static cb_codebook *cb;
    static int done;
    if (!done) {
        diag_list d = {0};
        done = 1;
        if (cbf_read_file("codebooks/labacces-accueil.yaml", &cb, &d))
            cb = NULL;
        diag_clear(&d);
    }
    return cb;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > VGF_MAX_BYTES)
        return 0;
    diag_list d = {0};
    vg_set *s;
    size_t n = vgf_parse("fuzz.vignettes.yaml", (const char *)data, size, &s, &d);
    FUZZ_ASSERT((n == 0) == (s != NULL));
    FUZZ_ASSERT(n == d.n);
    fuzz_check_diags(&d);
    diag_clear(&d);
    if (!s)
        return 0;

    FUZZ_ASSERT(s->format == 1 && s->codebook && s->title && s->n > 0);
    for (size_t i = 0; i < s->n; i++) {
        const vg_vignette *v = &s->items[i];
        FUZZ_ASSERT(v->id && v->text && *v->text);
        FUZZ_ASSERT(vg_find(s, v->id) == v);
        for (size_t r = 0; r < v->nrefs; r++) {
            FUZZ_ASSERT(v->refs[r].dim);
            FUZZ_ASSERT(vg_find_ref(v, v->refs[r].dim) != NULL);
            for (size_t c = 0; c < v->refs[r].ncodes; c++)
                FUZZ_ASSERT(v->refs[r].codes[c] != NULL);
        }
    }
    FUZZ_ASSERT(vg_check(s, NULL, "fuzz.vignettes.yaml", &d) == 0);
    const cb_codebook *cb = shipped();
    if (cb) {
        size_t k = vg_check(s, cb, "fuzz.vignettes.yaml", &d);
        FUZZ_ASSERT(k == d.n);
        fuzz_check_diags(&d);
        diag_clear(&d);
    }
    vg_free(s);
    return 0;
}
