/*
 * Unit tests of merging studies (store/st_merge.h): an older-schema source
 * migrated in a copy, a newer one refused, codebook clashes, a failure
 * that leaves the study unchanged, and sources that are never modified.
 */
#include "unit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/util.h"
#include "store/st_interaction.h"
#include "store/st_merge.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return unit_tmpdir(dir, sizeof dir, "merge-test") ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return unit_rmdir(dir);
}

static char *at(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}


/* The file's bytes, to show that a merge never writes to a source. */
static char *slurp(const char *p, size_t *len)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    strbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&b, buf, n);
    fclose(f);
    *len = b.len;
    return sb_take(&b);
}

static void assert_same_bytes(const char *p, const char *before, size_t len)
{
    size_t n;
    char *now = slurp(p, &n);
    assert_int_equal(n, len);
    assert_memory_equal(now, before, len);
    free(now);
}

/* A codebook whose code 'a' of dimension 'd' has the given label. */
static cb_codebook *codebook(const char *label_a, const char *dim_of_b)
{
    char *text = xasprintf("carnet_codebook: 1\nid: mini\ntitle: Mini\nlanguage: fr\nversion: 1\ndimensions:\n"
                           "  - id: d\n    label: D\n    mode: single\n    codes:\n"
                           "      - {id: a, key: a, label: \"%s\", definition: x, when_to_use: x, "
                           "when_not_to_use: x, example: x}\n"
                           "%s"
                           "  - id: e\n    label: E\n    mode: multiple\n    codes:\n"
                           "      - {id: z, key: z, label: Z, definition: x, when_to_use: x, when_not_to_use: x, "
                           "example: x}\n"
                           "%s",
                           label_a,
                           strcmp(dim_of_b, "d") ? ""
                                                 : "      - {id: b, key: b, label: B, definition: x, when_to_use: x, "
                                                   "when_not_to_use: x, example: x}\n",
                           strcmp(dim_of_b, "e") ? ""
                                                 : "      - {id: b, key: b, label: B, definition: x, when_to_use: x, "
                                                   "when_not_to_use: x, example: x}\n");
    diag_list d = {0};
    cb_codebook *cb;
    size_t bad = cbf_parse("mini", text, strlen(text), &cb, &d);
    for (size_t i = 0; i < d.n; i++)
        print_error("%s:%d:%d: %s\n", d.items[i].file, d.items[i].line, d.items[i].col, d.items[i].msg);
    diag_clear(&d);
    free(text);
    assert_int_equal(bad, 0);
    return cb;
}

/* A study at p with that codebook, one site, one observer, one session and
 * one coded interaction (with its audit row); ids start with tag. */
static void make_study(const char *p, const char *tag, const char *label_a, const char *dim_of_b)
{
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_create(p, tag, &db, &e), ST_OK);
    cb_codebook *cb = codebook(label_a, dim_of_b);
    char vid[UUID_STRLEN];
    assert_int_equal(st_codebook_add(db, cb, "", vid, &e), ST_OK);
    cb_free(cb);
    st_close(db);
    char *sql = xasprintf(
        "INSERT INTO site VALUES ('%1$s-site', 'CDAS Rennes Nord', '2026-09-14T08:00:00+02:00');"
        "INSERT INTO observer VALUES ('%1$s-obs', 'Obs %1$s', '2026-09-14T08:00:00+02:00');"
        "INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at) VALUES "
        "  ('%1$s-ses', '%1$s-site', '%1$s-obs', '%2$s', '2026-09-14T09:00:00+02:00');"
        "INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id, started_at, ended_at, "
        "  updated_at) VALUES ('%1$s-i1', '%1$s-ses', '%1$s-site', '%1$s-obs', '%2$s', "
        "  '2026-09-14T09:05:00+02:00', '2026-09-14T09:09:00+02:00', '2026-09-14T09:09:00+02:00');"
        "INSERT INTO interaction_code VALUES ('%1$s-i1', 'd', 'a', NULL);"
        "INSERT INTO audit (id, interaction_id, at, who, action, after) VALUES "
        "  ('%1$s-a1', '%1$s-i1', '2026-09-14T09:05:00+02:00', 'Obs %1$s', 'create', '{}');",
        tag, vid);
    unit_exec(p, sql);
    free(sql);
}

static st_code merge(const char *study, const char *const *files, size_t n, st_merge_report *r, st_error *e)
{
    st_db *db;
    assert_int_equal(st_open(study, ST_WRITE, &db, e), ST_OK);
    st_code c = st_merge(db, files, n, r, e);
    st_close(db);
    return c;
}

static void test_merging_twice_adds_nothing_the_second_time(void **state)
{
    (void)state;
    char *lead = at("lead.db"), *a = at("a.db"), *b = at("b.db");
    make_study(lead, "lead", "A", "d");
    make_study(a, "a", "A", "d");
    make_study(b, "b", "A", "d");
    const char *files[] = {a, b};
    st_merge_report r;
    st_error e = {0};
    assert_int_equal(merge(lead, files, 2, &r, &e), ST_OK);
    assert_int_equal(r.count[SM_INTERACTION].added, 2);
    /* Same codebook content under other UUIDs: not duplicated. */
    assert_int_equal(r.count[SM_CODEBOOK].skipped, 2);
    /* "CDAS Rennes Nord" is one site, whatever its UUID on each laptop. */
    assert_int_equal(r.count[SM_SITE].skipped, 2);
    assert_int_equal(r.count[SM_OBSERVER].added, 2);
    st_merge_report_free(&r);
    assert_int_equal(merge(lead, files, 2, &r, &e), ST_OK);
    for (int t = 0; t < SM_NTABLES; t++) {
        assert_int_equal(r.count[t].added, 0);
        assert_int_equal(r.count[t].updated, 0);
    }
    assert_int_equal(r.count[SM_INTERACTION].skipped, 2);
    st_merge_report_free(&r);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM interaction"), 3);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM site"), 1);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM codebook_version"), 1);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM audit"), 3);
    /* Merged interactions point at the study's site and codebook version. */
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM interaction i JOIN site s ON s.id = i.site_id "
                                 "JOIN codebook_version v ON v.id = i.codebook_version_id"),
                     3);
    free(lead);
    free(a);
    free(b);
}

static void test_older_schema_source_is_migrated_in_a_copy_and_left_unchanged(void **state)
{
    (void)state;
    char *lead = at("lead.db"), *old = at("old.db");
    make_study(lead, "lead", "A", "d");
    /* A study as the first released carnet wrote it: schema 1, no tally
     * column, no training tables beyond the first. */
    char *sql = xasprintf(
        "%s PRAGMA application_id = %d; PRAGMA user_version = 1;"
        "INSERT INTO study VALUES ('s1', 'Brest 2025', '2025-03-01T09:00:00+01:00');"
        "INSERT INTO codebook_version VALUES ('v-old', 'mini', 1, 'Mini', 'fr', NULL, '', "
        "  '2025-03-01T09:00:00+01:00', 1);"
        "INSERT INTO dimension VALUES ('v-old', 'd', 0, 'D', NULL, 'single', 0, 0, NULL, NULL);"
        "INSERT INTO code VALUES ('v-old', 'd', 'a', 0, 'a', 'A', 'x', 'x', 'x', 'x', 0, NULL, NULL, NULL, 0, NULL, "
        "  NULL, NULL);"
        "INSERT INTO site VALUES ('old-site', 'Mairie de Brest', '2025-03-01T09:00:00+01:00');"
        "INSERT INTO observer VALUES ('old-obs', 'Yann', '2025-03-01T09:00:00+01:00');"
        "INSERT INTO session VALUES ('old-ses', 'old-site', 'old-obs', 'v-old', '2025-03-01T09:00:00+01:00', NULL);"
        "INSERT INTO interaction VALUES ('old-i', 'old-ses', 'old-site', 'old-obs', 'v-old', "
        "  '2025-03-01T09:10:00+01:00', '2025-03-01T09:15:00+01:00', 0, 'note', 0, '2025-03-01T09:15:00+01:00');"
        "INSERT INTO interaction_code VALUES ('old-i', 'd', 'a', NULL);",
        st_migration_sql(1), ST_APPLICATION_ID);
    unit_exec(old, sql);
    free(sql);
    size_t len;
    char *before = slurp(old, &len);
    const char *files[] = {old};
    st_merge_report r;
    st_error e = {0};
    assert_int_equal(merge(lead, files, 1, &r, &e), ST_OK);
    assert_int_equal(r.files[0].schema, 1);
    assert_string_equal(r.files[0].study, "Brest 2025");
    assert_int_equal(r.count[SM_INTERACTION].added, 1);
    /* The old file's version 1 of "mini" lacks dimension e: another
     * content, no clash, so it is kept as a version of its own. */
    assert_int_equal(r.count[SM_CODEBOOK].added, 1);
    st_merge_report_free(&r);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM interaction WHERE id = 'old-i' AND tally = 0 AND "
                                 "codebook_version_id = 'v-old' AND note = 'note'"),
                     1);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM site WHERE name = 'Mairie de Brest'"), 1);
    /* The study's own version stays current. */
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM codebook_version WHERE id = 'v-old' AND "
                                 "seq < (SELECT max(seq) FROM codebook_version)"),
                     1);
    assert_same_bytes(old, before, len);
    assert_int_equal(unit_count(old, "PRAGMA user_version"), 1);
    char *wal = xasprintf("%s-wal", old);
    assert_int_equal(access(wal, F_OK), -1);
    free(wal);
    free(before);
    free(lead);
    free(old);
}

static void test_newer_schema_source_is_refused_naming_the_file(void **state)
{
    (void)state;
    char *lead = at("lead.db"), *a = at("a.db"), *b = at("b.db");
    make_study(lead, "lead", "A", "d");
    make_study(a, "a", "A", "d");
    make_study(b, "b", "A", "d");
    unit_exec(b, "PRAGMA user_version = 99");
    const char *files[] = {a, b};
    st_merge_report r;
    st_error e = {0};
    assert_int_equal(merge(lead, files, 2, &r, &e), ST_ERR_NEWER);
    assert_non_null(strstr(e.msg, b));
    assert_non_null(strstr(e.msg, "newer carnet (schema 99"));
    assert_null(strstr(e.msg, "carnet-merge-XXX"));
    st_merge_report_free(&r);
    /* Nothing of a.db came in either. */
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM interaction"), 1);
    assert_int_equal(unit_count(b, "PRAGMA user_version"), 99);
    free(lead);
    free(a);
    free(b);
}

static void test_a_code_with_another_label_in_the_same_version_is_a_clash(void **state)
{
    (void)state;
    char *lead = at("lead.db"), *a = at("a.db"), *b = at("b.db");
    make_study(lead, "lead", "Aide sociale", "d");
    make_study(a, "a", "Aide sociale", "d");
    make_study(b, "b", "Allocation", "d");
    const char *files[] = {a, b};
    st_merge_report r;
    st_error e = {0};
    assert_int_equal(merge(lead, files, 2, &r, &e), ST_ERR_INVALID);
    assert_non_null(strstr(e.msg, "nothing was merged"));
    assert_int_equal(r.nclashes, 1);
    assert_string_equal(r.clashes[0].file, b);
    assert_string_equal(r.clashes[0].what,
                        "codebook mini version 1: code 'a' is labelled \"Allocation\" there but \"Aide sociale\" "
                        "in this study");
    st_merge_report_free(&r);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM interaction"), 1);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM codebook_version"), 1);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM observer"), 1);
    free(lead);
    free(a);
    free(b);
}

static void test_a_code_moved_to_another_dimension_is_a_clash(void **state)
{
    (void)state;
    char *lead = at("lead.db"), *b = at("b.db");
    make_study(lead, "lead", "A", "d");
    make_study(b, "b", "A", "e");
    const char *files[] = {b};
    st_merge_report r;
    st_error e = {0};
    assert_int_equal(merge(lead, files, 1, &r, &e), ST_ERR_INVALID);
    assert_int_equal(r.nclashes, 1);
    assert_non_null(strstr(r.clashes[0].what, "code 'b' belongs to dimension 'e' there but to dimension 'd'"));
    st_merge_report_free(&r);
    free(lead);
    free(b);
}

static void test_a_source_that_is_not_a_study_changes_nothing(void **state)
{
    (void)state;
    char *lead = at("lead.db"), *a = at("a.db"), *junk = at("notes.txt");
    make_study(lead, "lead", "A", "d");
    make_study(a, "a", "A", "d");
    FILE *f = fopen(junk, "w");
    fputs("ceci n'est pas une étude, mais un texte assez long pour ressembler à quelque chose\n", f);
    fclose(f);
    const char *files[] = {a, junk};
    st_merge_report r;
    st_error e = {0};
    assert_int_equal(merge(lead, files, 2, &r, &e), ST_ERR_NOTSTUDY);
    assert_non_null(strstr(e.msg, junk));
    st_merge_report_free(&r);
    assert_int_equal(unit_count(lead, "SELECT count(*) FROM interaction"), 1);
    const char *self[] = {lead};
    assert_int_equal(merge(lead, self, 1, &r, &e), ST_ERR_INVALID);
    assert_non_null(strstr(e.msg, "is the study itself"));
    st_merge_report_free(&r);
    free(lead);
    free(a);
    free(junk);
}

/* A text column of the first row, or NULL. */
static char *text_of(const char *p, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *out = NULL;
    sqlite3_open(p, &db);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        out = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

/* Interactions coded through the live-coding write path (st_interaction.h)
 * and edited on both sides: the later edit wins, both audit histories are
 * kept, and the merge row's snapshot is the store's own. */
static void test_edits_made_with_the_live_coding_store_are_reconciled(void **state)
{
    (void)state;
    char *lead = at("lead.db"), *a = at("a.db");
    make_study(lead, "lead", "A", "d");
    make_study(a, "a", "A", "d");
    st_db *db;
    st_error e = {0};
    st_session_ctx ctx;
    char ix[UUID_STRLEN];
    assert_int_equal(st_open(a, ST_WRITE, &db, &e), ST_OK);
    assert_int_equal(st_session_open(db, "CDAS Rennes Nord", "Anne", NULL, NULL, &ctx, &e), ST_OK);
    assert_int_equal(st_ix_start(db, &ctx, NULL, ix, &e), ST_OK);
    assert_int_equal(st_ix_set_code(db, ix, "d", "a", true, NULL, "Anne", &e), ST_OK);
    assert_int_equal(st_ix_end(db, ix, NULL, "Anne", &e), ST_OK);
    st_close(db);
    const char *files[] = {a};
    st_merge_report r;
    assert_int_equal(merge(lead, files, 1, &r, &e), ST_OK);
    assert_int_equal(r.count[SM_INTERACTION].added, 2); /* with make_study's own */
    st_merge_report_free(&r);
    /* The lead corrects the request; a moment later Anne adds an
     * obstacle on her laptop. */
    assert_int_equal(st_open(lead, ST_WRITE, &db, &e), ST_OK);
    assert_int_equal(st_ix_set_code(db, ix, "d", "b", true, NULL, "Lead", &e), ST_OK);
    st_close(db);
    usleep(20000);
    assert_int_equal(st_open(a, ST_WRITE, &db, &e), ST_OK);
    assert_int_equal(st_ix_set_code(db, ix, "e", "z", true, NULL, "Anne", &e), ST_OK);
    st_close(db);
    assert_int_equal(merge(lead, files, 1, &r, &e), ST_OK);
    assert_int_equal(r.nconflicts, 1);
    assert_true(r.conflicts[0].theirs_won);
    assert_string_equal(r.conflicts[0].ours_who, "Lead");
    assert_string_equal(r.conflicts[0].theirs_who, "Anne");
    assert_int_equal(r.count[SM_INTERACTION].updated, 1);
    st_merge_report_free(&r);
    char *sql = xasprintf("SELECT group_concat(dimension_id || '=' || code_id, ' ') FROM "
                          "(SELECT * FROM interaction_code WHERE interaction_id = '%s' ORDER BY dimension_id)",
                          ix);
    char *codes = text_of(lead, sql);
    assert_string_equal(codes, "d=a e=z");
    free(codes);
    free(sql);
    sql = xasprintf("SELECT count(*) FROM audit WHERE interaction_id = '%s'", ix);
    /* create, code, end from Anne; the lead's code; Anne's code; the merge. */
    assert_int_equal(unit_count(lead, sql), 6);
    free(sql);
    sql = xasprintf("SELECT after FROM audit WHERE interaction_id = '%s' AND action = 'merge'", ix);
    char *after = text_of(lead, sql);
    free(sql);
    assert_int_equal(st_open(lead, ST_READ, &db, &e), ST_OK);
    char *snap;
    assert_int_equal(st_ix_snapshot(db, ix, &snap, &e), ST_OK);
    st_close(db);
    assert_string_equal(after, snap);
    free(after);
    free(snap);
    free(lead);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_merging_twice_adds_nothing_the_second_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_older_schema_source_is_migrated_in_a_copy_and_left_unchanged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_source_is_refused_naming_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_code_with_another_label_in_the_same_version_is_a_clash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_code_moved_to_another_dimension_is_a_clash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_source_that_is_not_a_study_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edits_made_with_the_live_coding_store_are_reconciled, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
