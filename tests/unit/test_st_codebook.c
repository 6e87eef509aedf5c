/*
 * Unit tests of the codebook's history in the store (st_codebook.h): the
 * fields REFI-QDA needs survive a save, a code in use cannot be left out of
 * a new version, ids are remembered, versions are found by number.
 */
#include "unit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/util.h"
#include "store/st_codebook.h"
#include "store/store.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    if (!unit_tmpdir(dir, sizeof dir, "stcb"))
        return -1;
    snprintf(path, sizeof path, "%s/study.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return unit_rmdir(dir);
}

static const char *TEXT = "carnet_codebook: 1\nid: mini\ntitle: Mini\nlanguage: fr\nversion: 1\n"
                          "dimensions:\n"
                          "  - id: demande\n    label: Demande\n    mode: single\n"
                          "    color: '#3366cc'\n    guid: 30378ff7-8709-434b-a34b-0c21a6e91a4a\n    codes:\n"
                          "      - id: caf\n        key: c\n        label: CAF\n        definition: x\n"
                          "        when_to_use: x\n        when_not_to_use: x\n        example: x\n"
                          "      - id: groupe\n        label: Organismes sociaux\n        definition: x\n"
                          "        when_to_use: x\n        when_not_to_use: x\n        example: x\n"
                          "        codable: false\n"
                          "  - id: commune\n    label: Commune\n    mode: text\n    validate: '^\\d{5}$'\n"
                          "    validate_message: Cinq chiffres.\n";

static cb_codebook *mini(void)
{
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_parse("mini", TEXT, strlen(TEXT), &cb, &d), 0);
    return cb;
}

static void exec_sql(const char *sql)
{
    unit_exec(path, sql);
}

/* A study with mini as its codebook, and one interaction coded caf. */
static st_db *study_with_answer(char vid[UUID_STRLEN])
{
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(path, "t", &db, &e), ST_OK);
    cb_codebook *cb = mini();
    assert_int_equal(st_codebook_add_by(db, cb, "src", "Camille", vid, &e), ST_OK);
    cb_free(cb);
    st_close(db);
    char *sql = xasprintf(
        "INSERT INTO site VALUES ('s1', 'Rennes', '2026-09-14T09:00:00+02:00');"
        "INSERT INTO observer VALUES ('o1', 'Camille', '2026-09-14T09:00:00+02:00');"
        "INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at) "
        "VALUES ('se1', 's1', 'o1', '%s', '2026-09-14T09:00:00+02:00');"
        "INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id, started_at, "
        "updated_at) VALUES ('i1', 'se1', 's1', 'o1', '%s', '2026-09-14T09:05:00+02:00', "
        "'2026-09-14T09:05:00+02:00');"
        "INSERT INTO interaction_code VALUES ('i1', 'demande', 'caf', NULL);"
        "INSERT INTO interaction_text VALUES ('i1', 'commune', '35000');",
        vid, vid);
    exec_sql(sql);
    free(sql);
    assert_int_equal(st_open(path, ST_WRITE, &db, &e), ST_OK);
    return db;
}

static void test_refi_fields_and_headings_survive_the_store(void **state)
{
    (void)state;
    char vid[UUID_STRLEN];
    st_db *db = study_with_answer(vid);
    st_error e = {0};
    cb_codebook *back, *want = mini();
    assert_int_equal(st_codebook_load(db, vid, &back, NULL, &e), ST_OK);
    assert_true(cb_equal(want, back));
    assert_string_equal(back->dims[0].color, "#3366cc");
    assert_true(back->dims[0].codes[1].uncodable);
    st_cb_version *v;
    size_t n;
    assert_int_equal(st_codebook_versions(db, &v, &n, &e), ST_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].saved_by, "Camille");
    st_cb_versions_free(v, n);
    cb_free(back);
    cb_free(want);
    st_close(db);
}

static void test_a_code_in_use_cannot_be_left_out_but_can_be_retired(void **state)
{
    (void)state;
    char vid[UUID_STRLEN], v2[UUID_STRLEN];
    st_db *db = study_with_answer(vid);
    st_error e = {0};
    cb_codebook *cb = mini();
    cb_remove_code(&cb->dims[0], 0);
    assert_int_equal(st_codebook_add(db, cb, "src", v2, &e), ST_ERR_INVALID);
    assert_string_equal(e.msg, "code 'caf' of dimension 'demande' is used by 1 interactions and cannot be removed; "
                               "retire it instead (retired: true)");
    cb_free(cb);
    /* Nothing was added. */
    st_cb_version *v;
    size_t n;
    assert_int_equal(st_codebook_versions(db, &v, &n, &e), ST_OK);
    assert_int_equal(n, 1);
    st_cb_versions_free(v, n);
    /* A free-text dimension with answers is kept too. */
    cb = mini();
    cb_remove_dimension(cb, 1);
    assert_int_equal(st_codebook_add(db, cb, "src", v2, &e), ST_ERR_INVALID);
    assert_non_null(strstr(e.msg, "dimension 'commune' is used by recorded answers"));
    cb_free(cb);
    cb = mini();
    cb->dims[0].codes[0].retired = true;
    assert_int_equal(st_codebook_add(db, cb, "src", v2, &e), ST_OK);
    cb_free(cb);
    st_close(db);
}

static void test_usage_history_and_versions_by_number(void **state)
{
    (void)state;
    char vid[UUID_STRLEN], found[UUID_STRLEN];
    st_db *db = study_with_answer(vid);
    st_error e = {0};
    long long n;
    assert_int_equal(st_code_usage(db, "demande", "caf", &n, &e), ST_OK);
    assert_int_equal(n, 1);
    assert_int_equal(st_code_usage(db, "demande", "groupe", &n, &e), ST_OK);
    assert_int_equal(n, 0);
    assert_int_equal(st_code_usage(db, "commune", NULL, &n, &e), ST_OK);
    assert_int_equal(n, 1);
    char *dim, *label;
    assert_int_equal(st_id_history(db, "caf", false, &dim, &label, &e), ST_OK);
    assert_string_equal(dim, "demande");
    assert_string_equal(label, "CAF");
    free(dim);
    free(label);
    assert_int_equal(st_id_history(db, "msa", false, &dim, &label, &e), ST_OK);
    assert_null(dim);
    assert_null(label);
    assert_int_equal(st_id_history(db, "commune", true, NULL, &label, &e), ST_OK);
    assert_string_equal(label, "Commune");
    free(label);
    assert_int_equal(st_codebook_version_by_seq(db, 1, found, &e), ST_OK);
    assert_string_equal(found, vid);
    assert_int_equal(st_codebook_version_by_seq(db, 2, found, &e), ST_ERR_NOTFOUND);
    assert_non_null(strstr(e.msg, "no codebook version 2"));
    st_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refi_fields_and_headings_survive_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_code_in_use_cannot_be_left_out_but_can_be_retired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usage_history_and_versions_by_number, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
