/*
 * Unit tests of the codebook handouts (cb_handout.h): the Markdown text
 * says every field and escapes what Markdown would read as markup; the
 * workbook is written, or its failure reported.  The workbook's content is
 * read back with openpyxl in tests/func/test_codebook_export.py.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/util.h"
#include "export/cb_handout.h"

static const char *TEXT = "carnet_codebook: 1\n"
                          "id: mini\n"
                          "title: Mini & co\n"
                          "language: fr\n"
                          "version: 3\n"
                          "dimensions:\n"
                          "  - id: demande\n"
                          "    label: Type de demande\n"
                          "    mode: single\n"
                          "    required: true\n"
                          "    codes:\n"
                          "      - id: caf\n"
                          "        key: c\n"
                          "        label: CAF *prioritaire*\n"
                          "        definition: \"=SOMME(A1:A2) n'est pas une formule\"\n"
                          "        when_to_use: |\n"
                          "          - une ligne\n"
                          "          1. une autre\n"
                          "        when_not_to_use: \"# pas un titre\"\n"
                          "        example: Une <b>mère</b> | deux enfants\n"
                          "      - id: c2s\n"
                          "        key: \"2\"\n"
                          "        label: C2S\n"
                          "        definition: d\n"
                          "        when_to_use: w\n"
                          "        when_not_to_use: wn\n"
                          "        example: ex\n"
                          "        parent: caf\n"
                          "        other: true\n"
                          "        validate: ^\\d+$\n"
                          "        validate_message: Des chiffres.\n"
                          "      - id: vieux\n"
                          "        label: Ancien\n"
                          "        definition: d\n"
                          "        when_to_use: w\n"
                          "        when_not_to_use: wn\n"
                          "        example: ex\n"
                          "        retired: true\n"
                          "  - id: commune\n"
                          "    label: Commune\n"
                          "    mode: text\n"
                          "    validate: ^\\d{5}$\n"
                          "    validate_message: Cinq chiffres.\n";

static cb_codebook *mini(void)
{
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_parse("mini", TEXT, strlen(TEXT), &cb, &d))
        fail_msg("%s", d.items[0].msg);
    return cb;
}

static void contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' not in:\n%s", needle, hay);
}

static void test_markdown_handout_says_every_field_escaped(void **state)
{
    (void)state;
    cb_codebook *cb = mini();
    char *md = ex_handout_md(cb);
    contains(md, "# Mini \\& co\n\nCodebook mini, version 3 (fr)\n\n");
    contains(md, "## Type de demande\n\n*Single choice, required* — `demande`\n\n");
    contains(md, "### `c` — CAF \\*prioritaire\\*\n\n");
    contains(md, "**Definition.** \\=SOMME(A1:A2) n'est pas une formule\n\n");
    contains(md, "**When to use.** \\- une ligne\\\n1\\. une autre\n\n");
    contains(md, "**When not to use.** \\# pas un titre\n\n");
    contains(md, "**Example.** Une \\<b\\>mère\\</b\\> \\| deux enfants\n\n");
    contains(md, "#### `2` — C2S\n\n");
    contains(md, "*id: c2s\\\nunder: CAF \\*prioritaire\\*\\\nother, specify: asks for a line of text\\\n"
                 "the text must match: ^\\\\d+$\\\notherwise: Des chiffres.*");
    contains(md, "## Commune\n\n*Free text, optional* — `commune`\n\nFree text answer.\\\n"
                 "the text must match: ^\\\\d{5}$\\\notherwise: Cinq chiffres.\n\n");
    /* Retired codes are not taught. */
    assert_null(strstr(md, "Ancien"));
    free(md);
    cb_free(cb);
}

static void test_workbook_is_written_or_its_failure_reported(void **state)
{
    (void)state;
    cb_codebook *cb = mini();
    char path[] = "/tmp/carnet-handout-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ex_handout_xlsx(cb, path), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    char magic[2] = {0};
    assert_int_equal(fread(magic, 1, 2, f), 2);
    fclose(f);
    assert_memory_equal(magic, "PK", 2); /* a zip container */
    unlink(path);
    assert_int_not_equal(ex_handout_xlsx(cb, "/nonexistent-folder/h.xlsx"), LXW_NO_ERROR);
    cb_free(cb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markdown_handout_says_every_field_escaped),
        cmocka_unit_test(test_workbook_is_written_or_its_failure_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
