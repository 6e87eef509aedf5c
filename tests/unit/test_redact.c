/* Unit tests of the redaction rules (core/redact.c) with the shipped rule
 * file codebooks/redaction.rules, and of the demo's fake personal data
 * against them. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/demo.h"
#include "core/redact.h"
#include "core/util.h"

static rd_rules *shipped;

static int load(void **state)
{
    (void)state;
    FILE *f = fopen("codebooks/redaction.rules", "r");
    if (!f)
        return -1;
    strbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&b, buf, n);
    fclose(f);
    shipped = rd_rules_new();
    diag_list d = {0};
    size_t bad = rd_rules_parse(shipped, b.s, "codebooks/redaction.rules", &d);
    diag_clear(&d);
    sb_free(&b);
    return bad ? -1 : 0;
}

static int unload(void **state)
{
    (void)state;
    rd_rules_free(shipped);
    return 0;
}

static void expect(const char *in, const char *out)
{
    char *r = rd_apply(shipped, in);
    assert_string_equal(r, out);
    free(r);
}

static void test_email_addresses_become_a_tag(void **state)
{
    (void)state;
    expect("écrire à nadia.martin35@exemple.test demain", "écrire à [EMAIL] demain");
    expect("Mail: K.Benali@mail.example.net.", "Mail: [EMAIL].");
}

static void test_french_phone_numbers_in_their_usual_forms(void **state)
{
    (void)state;
    expect("au 06 12 34 56 78 ou", "au [TEL] ou");
    expect("06.12.34.56.78", "[TEL]");
    expect("0612345678", "[TEL]");
    expect("+33 6 12 34 56 78", "[TEL]");
    expect("+33 (0)6 12 34 56 78", "[TEL]");
    expect("tél 02-99-12-34-56", "tél [TEL]");
    /* a case number of another length is not a phone number */
    expect("dossier 061234", "dossier 061234");
}

static void test_nir_with_and_without_spaces(void **state)
{
    (void)state;
    expect("sécu 1 85 05 78 006 084 36 ok", "sécu [NIR] ok");
    expect("NIR 185057800608436", "NIR [NIR]");
    expect("2 69 05 2A 006 084 12", "[NIR]");
}

static void test_iban_grouped_or_not(void **state)
{
    (void)state;
    expect("IBAN FR76 3000 6000 0112 3456 7890 189 recopié", "IBAN [IBAN] recopié");
    expect("FR7630006000011234567890189", "[IBAN]");
}

static void test_cards_need_the_luhn_check(void **state)
{
    (void)state;
    expect("carte 4970 1012 3456 7893 refusée", "carte [CARTE] refusée");
    expect("4970101234567893", "[CARTE]");
    /* the same length failing Luhn: a reference, kept */
    expect("réf 4970 1012 3456 7890", "réf 4970 1012 3456 7890");
    assert_true(rd_luhn_ok("4970-1012-3456-7893", 19));
    assert_false(rd_luhn_ok("1234", 4));
}

static void test_dates_of_birth_but_not_other_dates(void **state)
{
    (void)state;
    expect("née le 12/03/1985, dossier", "née le [DATE_NAISSANCE], dossier");
    expect("né le 3 mars 1962", "né le [DATE_NAISSANCE]");
    expect("date de naissance : 1985-03-12", "date de naissance : [DATE_NAISSANCE]");
    expect("DDN 12.03.1985", "DDN [DATE_NAISSANCE]");
    expect("rendez-vous le 12/03/2026", "rendez-vous le 12/03/2026");
}

static void test_study_rules_extend_the_shipped_ones(void **state)
{
    (void)state;
    rd_rules *r = rd_rules_new();
    diag_list d = {0};
    assert_int_equal(rd_rules_parse(r, "# agents\nAGENT  \\b(?:Mme|M\\.) Roussel\\b\n\n", "local", &d), 0);
    assert_int_equal(rd_rules_count(r), 1);
    char *out = rd_apply(r, "vu avec Mme Roussel puis mme roussel");
    assert_string_equal(out, "vu avec [AGENT] puis [AGENT]");
    free(out);
    rd_rules_free(r);
}

static void test_bad_rules_are_reported_with_line_and_column(void **state)
{
    (void)state;
    rd_rules *r = rd_rules_new();
    diag_list d = {0};
    size_t bad = rd_rules_parse(r, "OK  abc\nlower  x\nBAD  (unclosed\nX:nope  y\nEMPTY\n", "f.rules", &d);
    assert_int_equal(bad, 4);
    assert_int_equal(rd_rules_count(r), 1);
    assert_int_equal(d.items[0].line, 2);
    assert_int_equal(d.items[1].line, 3);
    assert_true(d.items[1].col > 5);
    assert_non_null(strstr(d.items[1].msg, "invalid pattern"));
    assert_int_equal(d.items[2].line, 4);
    assert_non_null(strstr(d.items[2].msg, "nope"));
    assert_int_equal(d.items[3].line, 5);
    diag_clear(&d);
    rd_rules_free(r);
}

static void test_odd_input_is_safe(void **state)
{
    (void)state;
    assert_null(rd_apply(shipped, NULL));
    expect("", "");
    expect("\xff\xfe 06 12 34 56 78", "\xff\xfe [TEL]");
    rd_rules *r = rd_rules_new();
    diag_list d = {0};
    assert_int_equal(rd_rules_parse(r, "E  x*\n", "empty-match", &d), 0);
    char *out = rd_apply(r, "axxb");
    assert_string_equal(out, "a[E]b");
    free(out);
    rd_rules_free(r);
}

static void test_a_rule_that_gives_up_redacts_the_rest(void **state)
{
    (void)state;
    rd_rules *r = rd_rules_new();
    diag_list d = {0};
    /* Nested quantifiers that backtrack exponentially on a line that
     * ends with a character they cannot take. */
    assert_int_equal(rd_rules_parse(r, "SLOW2  ^(\\w+\\s?)*$\n", "slow", &d), 0);
    strbuf b = {0};
    sb_add(&b, "");
    for (int i = 0; i < 40; i++)
        sb_add(&b, "aaaa aaaa ");
    sb_add(&b, "!");
    char *out = rd_apply(r, b.s);
    assert_non_null(strstr(out, "[SLOW2]"));
    assert_null(strstr(out, "aaaa aaaa aaaa"));
    free(out);
    sb_free(&b);
    rd_rules_free(r);
}

static void test_demo_personal_data_is_all_caught(void **state)
{
    (void)state;
    demo_rng g;
    demo_rng_seed(&g, 7);
    for (int i = 0; i < 500; i++) {
        char buf[64];
        char *out;
        demo_fake_phone(&g, buf, sizeof buf);
        out = rd_apply(shipped, buf);
        assert_string_equal(out, "[TEL]");
        free(out);
        demo_fake_nir(&g, buf, sizeof buf);
        out = rd_apply(shipped, buf);
        assert_string_equal(out, "[NIR]");
        free(out);
        demo_fake_iban(&g, buf, sizeof buf);
        out = rd_apply(shipped, buf);
        assert_string_equal(out, "[IBAN]");
        free(out);
        demo_fake_card(&g, buf, sizeof buf);
        assert_true(rd_luhn_ok(buf, strlen(buf)));
        out = rd_apply(shipped, buf);
        assert_string_equal(out, "[CARTE]");
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_addresses_become_a_tag),
        cmocka_unit_test(test_french_phone_numbers_in_their_usual_forms),
        cmocka_unit_test(test_nir_with_and_without_spaces),
        cmocka_unit_test(test_iban_grouped_or_not),
        cmocka_unit_test(test_cards_need_the_luhn_check),
        cmocka_unit_test(test_dates_of_birth_but_not_other_dates),
        cmocka_unit_test(test_study_rules_extend_the_shipped_ones),
        cmocka_unit_test(test_bad_rules_are_reported_with_line_and_column),
        cmocka_unit_test(test_odd_input_is_safe),
        cmocka_unit_test(test_a_rule_that_gives_up_redacts_the_rest),
        cmocka_unit_test(test_demo_personal_data_is_all_caught),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
