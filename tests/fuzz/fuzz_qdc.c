/*
 * fuzz_qdc.c — the REFI-QDA codebook importer (cbq_parse, libxml2).
 *
 * FUZZ_SEEDS: tests/data/qdc
 * FUZZ_ARGS: -max_len=65536 -rss_limit_mb=1024 -dict=tests/fuzz/qdc.dict
 *
 * Seeds: the files of other QDA programs in tests/data/qdc/ and carnet's
 * own exports of the shipped codebooks (tests/fuzz/corpus/qdc/).
 * Invariants: no crash, leak or undefined behaviour on any bytes, however
 * deep or large (the importer refuses what it cannot use with a message,
 * rather than recursing or allocating without end); it fails if and only
 * if it reports a problem; every message is UTF-8 with a position; and a
 * codebook it accepts is valid, is stored as the native text that
 * `carnet codebook import` writes into the study (cbf_write, read back
 * equal), and exports to REFI-QDA again (cbq_write) as a file that reads
 * back to the same codebook.
 */
#include "fuzz.h"

#include "codebook/cb_file.h"
#include "codebook/cb_qdc.h"
#include "core/util.h"

static void dump(const diag_list *d, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "%s:%d:%d: %s\n", d->items[i].file, d->items[i].line, d->items[i].col, d->items[i].msg);
    fprintf(stderr, "--- text ---\n%s--- end ---\n", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_list d = {0}, notes = {0};
    cb_codebook *cb;
    size_t n = cbq_parse("fuzz.qdc", (const char *)data, size, NULL, &cb, &d, &notes);
    FUZZ_ASSERT((n == 0) == (cb != NULL));
    FUZZ_ASSERT(n == d.n);
    fuzz_check_diags(&d);
    fuzz_check_diags(&notes);
    diag_clear(&d);
    diag_clear(&notes);
    if (!cb)
        return 0;

    FUZZ_ASSERT(cb_validate(cb, "fuzz.qdc", &d) == 0);

    /* What the study stores. */
    char *native = cbf_write(cb);
    cb_codebook *back;
    if (cbf_parse("stored.yaml", native, strlen(native), &back, &d))
        dump(&d, native);
    FUZZ_ASSERT(d.n == 0);
    FUZZ_ASSERT(cb_equal(cb, back));
    cb_free(back);

    /* Exported again, and read back. */
    char *xml = cbq_write(cb, "carnet fuzz", &d);
    if (!xml)
        dump(&d, native);
    FUZZ_ASSERT(xml != NULL);
    if (cbq_parse("export.qdc", xml, strlen(xml), NULL, &back, &d, &notes))
        dump(&d, xml);
    FUZZ_ASSERT(d.n == 0);
    if (!cb_equal(cb, back)) {
        char *again = cbf_write(back);
        fprintf(stderr, "--- imported ---\n%s--- exported and read back ---\n%s--- end ---\n", native, again);
        free(again);
    }
    FUZZ_ASSERT(cb_equal(cb, back));
    cb_free(back);
    free(xml);
    free(native);
    diag_clear(&notes);
    cb_free(cb);
    return 0;
}
