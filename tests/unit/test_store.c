/*
 * Unit tests of the study store: creation, schema, migrations, refusal of
 * files that are not (or not yet) carnet studies, codebook versions.
 */
#include "unit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/util.h"
#include "store/store.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    if (!unit_tmpdir(dir, sizeof dir, "store"))
        return -1;
    snprintf(path, sizeof path, "%s/study.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return unit_rmdir(dir);
}

static cb_codebook *mini(void)
{
    static const char *text = "carnet_codebook: 1\nid: mini\ntitle: Mini\nlanguage: fr\nversion: 1\n"
                              "dimensions:\n  - id: d\n    label: Dimension é\n    mode: multiple\n    codes:\n"
                              "      - id: a\n        key: a\n        label: Ça\n        definition: x\n"
                              "        when_to_use: x\n        when_not_to_use: x\n        example: x\n"
                              "        patterns:\n          - '\\bun\\b'\n          - deux\n";
    diag_list d = {0};
    cb_codebook *cb;
    assert_int_equal(cbf_parse("mini", text, strlen(text), &cb, &d), 0);
    return cb;
}

static int user_version(const char *p)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int v = -1;
    sqlite3_open(p, &db);
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}


static void test_create_makes_a_private_file_at_the_current_schema(void **state)
{
    (void)state;
    mode_t old = umask(0);
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(path, "Étude", &db, &e), ST_OK);
    umask(old);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    st_study s;
    assert_int_equal(st_study_get(db, &s, &e), ST_OK);
    assert_string_equal(s.name, "Étude");
    assert_int_equal(s.interactions, 0);
    st_study_free(&s);
    st_close(db);
    assert_int_equal(user_version(path), ST_SCHEMA_VERSION);
}

static void test_create_refuses_an_existing_file(void **state)
{
    (void)state;
    FILE *f = fopen(path, "w");
    fputs("keep me", f);
    fclose(f);
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(path, "x", &db, &e), ST_ERR_EXISTS);
    assert_null(db);
    assert_non_null(strstr(e.msg, "already there"));
    f = fopen(path, "r");
    char buf[16] = {0};
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "keep me");
}

static void test_open_missing_study_says_to_run_init(void **state)
{
    (void)state;
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_open(path, ST_WRITE, &db, &e), ST_ERR_NOENT);
    assert_non_null(strstr(e.msg, "carnet init"));
}

static void test_open_refuses_files_that_are_not_studies(void **state)
{
    (void)state;
    st_db *db;
    st_error e = {0};
    FILE *f = fopen(path, "w");
    fputs("this is a text file, long enough to look like something at all.\n", f);
    fclose(f);
    assert_int_equal(st_open(path, ST_READ, &db, &e), ST_ERR_NOTSTUDY);
    unlink(path);
    unit_exec(path, "CREATE TABLE t(x)");
    assert_int_equal(st_open(path, ST_READ, &db, &e), ST_ERR_NOTSTUDY);
    assert_non_null(strstr(e.msg, "another program"));
    unlink(path);
    f = fopen(path, "w");
    fclose(f);
    assert_int_equal(st_open(path, ST_READ, &db, &e), ST_ERR_NOTSTUDY);
    assert_non_null(strstr(e.msg, "empty file"));
}

static void test_newer_schema_is_refused_and_left_untouched(void **state)
{
    (void)state;
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(path, "x", &db, &e), ST_OK);
    st_close(db);
    unit_exec(path, "PRAGMA user_version = 99");
    assert_int_equal(st_open(path, ST_WRITE, &db, &e), ST_ERR_NEWER);
    assert_non_null(strstr(e.msg, "newer carnet (schema 99"));
    assert_int_equal(user_version(path), 99);
}

static void test_version_one_study_migrates_forward_keeping_its_rows(void **state)
{
    (void)state;
    /* A study as the first released carnet wrote it. */
    char *sql = xasprintf("%s PRAGMA application_id = %d; PRAGMA user_version = 1;"
                          "INSERT INTO study VALUES ('s1', 'old study', '2026-01-05T09:00:00+01:00');"
                          "INSERT INTO site VALUES ('site1', 'CDAS Rennes', '2026-01-05T09:00:00+01:00');",
                          st_migration_sql(1), ST_APPLICATION_ID);
    unit_exec(path, sql);
    free(sql);
    assert_int_equal(user_version(path), 1);
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_open(path, ST_WRITE, &db, &e), ST_OK);
    st_study s;
    assert_int_equal(st_study_get(db, &s, &e), ST_OK);
    assert_string_equal(s.name, "old study");
    assert_int_equal(s.sites, 1);
    st_study_free(&s);
    char id[UUID_STRLEN];
    assert_int_equal(st_site_ensure(db, "CDAS Rennes", id, &e), ST_OK);
    assert_string_equal(id, "site1");
    /* Version 2 brought settings and the tally column. */
    assert_int_equal(st_setting_set(db, "k", "v", &e), ST_OK);
    st_close(db);
    assert_int_equal(user_version(path), ST_SCHEMA_VERSION);
    unit_exec(path, "SELECT tally, paused_seconds FROM interaction");
}

static void test_codebook_round_trips_through_the_store(void **state)
{
    (void)state;
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(path, "x", &db, &e), ST_OK);
    cb_codebook *cb = mini();
    char v1[UUID_STRLEN], v2[UUID_STRLEN], got[UUID_STRLEN];
    assert_int_equal(st_codebook_add(db, cb, "source", v1, &e), ST_OK);
    free(cb->dims[0].codes[0].label);
    cb->dims[0].codes[0].label = xstrdup("Renamed");
    cb->version = 2;
    assert_int_equal(st_codebook_add(db, cb, NULL, v2, &e), ST_OK);
    cb_codebook *back;
    assert_int_equal(st_codebook_load(db, NULL, &back, got, &e), ST_OK);
    assert_string_equal(got, v2);
    assert_true(cb_equal(cb, back));
    assert_int_equal(back->dims[0].codes[0].npatterns, 2);
    cb_free(back);
    assert_int_equal(st_codebook_load(db, v1, &back, NULL, &e), ST_OK);
    assert_string_equal(back->dims[0].codes[0].label, "Ça");
    cb_free(back);
    st_cb_version *vs;
    size_t n;
    assert_int_equal(st_codebook_versions(db, &vs, &n, &e), ST_OK);
    assert_int_equal(n, 2);
    assert_int_equal(vs[0].seq, 1);
    assert_int_equal(vs[1].version, 2);
    st_cb_versions_free(vs, n);
    assert_int_equal(st_codebook_load(db, "nope", &back, NULL, &e), ST_ERR_NOTFOUND);
    cb_free(cb);
    st_close(db);
}

static void test_names_are_unique_and_must_be_clean_text(void **state)
{
    (void)state;
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(path, "x", &db, &e), ST_OK);
    char a[UUID_STRLEN], b[UUID_STRLEN];
    assert_int_equal(st_observer_ensure(db, "Anaïs", a, &e), ST_OK);
    assert_int_equal(st_observer_ensure(db, "Anaïs", b, &e), ST_OK);
    assert_string_equal(a, b);
    assert_true(uuid_valid(a));
    assert_int_equal(st_site_ensure(db, "bad\x01name", a, &e), ST_ERR_INVALID);
    assert_int_equal(st_site_ensure(db, "bad\xff", a, &e), ST_ERR_INVALID);
    assert_int_equal(st_site_ensure(db, "", a, &e), ST_ERR_INVALID);
    char *v;
    assert_int_equal(st_setting_get(db, "last_site", &v, &e), ST_OK);
    assert_null(v);
    assert_int_equal(st_setting_set(db, "last_site", "Mairie", &e), ST_OK);
    assert_int_equal(st_setting_set(db, "last_site", "CDAS", &e), ST_OK);
    assert_int_equal(st_setting_get(db, "last_site", &v, &e), ST_OK);
    assert_string_equal(v, "CDAS");
    free(v);
    st_close(db);
}

static void test_audit_log_refuses_updates_and_deletes(void **state)
{
    (void)state;
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(path, "x", &db, &e), ST_OK);
    st_close(db);
    unit_exec(path, "INSERT INTO audit (id, at, action) VALUES ('a', 'now', 'create')");
    sqlite3 *s;
    sqlite3_open(path, &s);
    char *err = NULL;
    assert_int_not_equal(sqlite3_exec(s, "UPDATE audit SET action = 'x'", NULL, NULL, &err), SQLITE_OK);
    /* Only carnet's purge registers the function the trigger asks for. */
    assert_non_null(strstr(err, "carnet_purge_authorized"));
    sqlite3_free(err);
    assert_int_not_equal(sqlite3_exec(s, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_makes_a_private_file_at_the_current_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_refuses_an_existing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing_study_says_to_run_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_files_that_are_not_studies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused_and_left_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_one_study_migrates_forward_keeping_its_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_codebook_round_trips_through_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_are_unique_and_must_be_clean_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_log_refuses_updates_and_deletes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
