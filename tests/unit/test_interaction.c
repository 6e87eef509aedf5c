/*
 * Unit tests of the live-coding write path: sessions, pauses, interactions,
 * codes, answers, notes, times, deletion, and the audit row each change
 * appends in the same transaction.
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
#include "store/st_interaction.h"

static char dir[64];
static char path[128];
static st_db *db;
static st_session_ctx ctx;

#define CODE(id, key, extra)                                                                                         \
    "      - id: " id "\n        key: " key "\n        label: L " id "\n        definition: x\n"                     \
    "        when_to_use: x\n        when_not_to_use: x\n        example: x\n" extra

static const char *codebook = "carnet_codebook: 1\nid: t\ntitle: T\nlanguage: fr\nversion: 1\n"
                              "dimensions:\n"
                              "  - id: demande\n    label: Demande\n    required: true\n    codes:\n" CODE("caf", "c", "")
                                  CODE("cpam", "p", "") CODE("autre", "a", "        other: true\n")
                                      "      - id: vieux\n        label: Vieux\n        retired: true\n"
                                      "        definition: x\n        when_to_use: x\n        when_not_to_use: x\n"
                                      "        example: x\n"
                                      "      - id: social\n        label: Aide sociale\n        codable: false\n"
                                      "        definition: x\n        when_to_use: x\n        when_not_to_use: x\n"
                                      "        example: x\n" CODE("rsa", "r", "        parent: social\n")
                                      "  - id: obstacle\n    label: Obstacle\n    mode: multiple\n    codes:\n" CODE(
                                          "mail", "m", "") CODE("mdp", "p", "")
                                          "  - id: commune\n    label: Code postal\n    mode: text\n"
                                          "    required: true\n";

static int setup(void **state)
{
    (void)state;
    if (!unit_tmpdir(dir, sizeof dir, "ix"))
        return -1;
    snprintf(path, sizeof path, "%s/study.db", dir);
    st_error e = {0};
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_parse("t.yaml", codebook, strlen(codebook), &cb, &d)) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%s:%d:%d: %s\n", d.items[i].file, d.items[i].line, d.items[i].col, d.items[i].msg);
        return -1;
    }
    char vid[UUID_STRLEN];
    char *src = cbf_write(cb);
    int rc = st_create(path, "t", &db, &e) || st_codebook_add(db, cb, src, vid, &e) ||
             st_session_open(db, "CDAS Rennes-Nord", "Élise", NULL, "2026-09-14T09:00:00+02:00", &ctx, &e);
    free(src);
    cb_free(cb);
    if (rc)
        fprintf(stderr, "setup: %s\n", e.msg);
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    st_close(db);
    db = NULL;
    return unit_rmdir(dir);
}

/* One integer from the study, as another program reading the file would
 * see it: what is there is committed. */
static long long count(const char *sql)
{
    return unit_count(path, sql);
}

static void ok(st_code c, const st_error *e)
{
    if (c != ST_OK)
        fail_msg("store: %s", e->msg);
}

static void test_session_remembers_site_and_observer(void **state)
{
    (void)state;
    st_error e = {0};
    char *site, *obs;
    ok(st_setting_get(db, "last_site", &site, &e), &e);
    ok(st_setting_get(db, "last_observer", &obs, &e), &e);
    assert_string_equal(site, "CDAS Rennes-Nord");
    assert_string_equal(obs, "Élise");
    free(site);
    free(obs);
    assert_string_equal(ctx.who, "Élise");
    assert_int_equal(count("SELECT count(*) FROM session WHERE ended_at IS NULL"), 1);
    ok(st_session_close(db, ctx.session_id, "2026-09-14T12:00:00+02:00", &e), &e);
    assert_int_equal(count("SELECT count(*) FROM session WHERE ended_at = '2026-09-14T12:00:00+02:00'"), 1);
}

static void test_start_is_committed_with_its_create_audit_row(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, "2026-09-14T09:05:12+02:00", id, &e), &e);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE ended_at IS NULL AND incomplete = 1"), 1);
    st_audit_row *a;
    size_t n;
    ok(st_audit_of(db, id, &a, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].action, "create");
    assert_string_equal(a[0].who, "Élise");
    assert_null(a[0].before);
    assert_non_null(strstr(a[0].after, "\"started_at\":\"2026-09-14T09:05:12+02:00\""));
    assert_non_null(strstr(a[0].after, "\"codes\":[]"));
    st_audit_free(a, n);
}

static void test_single_choice_replaces_and_multiple_accumulates(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, NULL, id, &e), &e);
    ok(st_ix_set_code(db, id, "demande", "caf", true, NULL, "Élise", &e), &e);
    ok(st_ix_set_code(db, id, "demande", "cpam", true, NULL, "Élise", &e), &e);
    ok(st_ix_set_code(db, id, "obstacle", "mail", true, NULL, "Élise", &e), &e);
    ok(st_ix_set_code(db, id, "obstacle", "mdp", true, NULL, "Élise", &e), &e);
    ok(st_ix_set_code(db, id, "obstacle", "mail", false, NULL, "Élise", &e), &e);
    st_ix x;
    ok(st_ix_load(db, id, &x, &e), &e);
    assert_int_equal(x.ncodes, 2);
    assert_string_equal(x.codes[0].code_id, "cpam");
    assert_string_equal(x.codes[1].code_id, "mdp");
    st_ix_free(&x);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action IN ('code','uncode')"), 5);
    /* the audit row's before/after tell the replaced code */
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'code'"
                           " AND before LIKE '%\"code\":\"caf\"%' AND after LIKE '%\"code\":\"cpam\"%'"),
                     1);
}

static void test_unknown_or_retired_codes_are_refused_and_nothing_written(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, NULL, id, &e), &e);
    long long audits = count("SELECT count(*) FROM audit");
    assert_int_equal(st_ix_set_code(db, id, "demande", "vieux", true, NULL, "Élise", &e), ST_ERR_INVALID);
    assert_non_null(strstr(e.msg, "retired"));
    assert_int_equal(st_ix_set_code(db, id, "demande", "nope", true, NULL, "Élise", &e), ST_ERR_INVALID);
    assert_int_equal(st_ix_set_code(db, id, "nodim", "caf", true, NULL, "Élise", &e), ST_ERR_INVALID);
    assert_int_equal(st_ix_set_code(db, id, "commune", "caf", true, NULL, "Élise", &e), ST_ERR_INVALID);
    assert_int_equal(st_ix_set_text(db, id, "demande", "x", "Élise", &e), ST_ERR_INVALID);
    assert_int_equal(st_ix_set_note(db, id, "\xc3\x28", "Élise", &e), ST_ERR_INVALID);
    assert_int_equal(count("SELECT count(*) FROM audit"), audits);
    assert_int_equal(count("SELECT count(*) FROM interaction_code"), 0);
}

static void test_a_heading_is_refused_with_a_clear_message_and_its_sub_code_taken(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN], tally[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, NULL, id, &e), &e);
    long long audits = count("SELECT count(*) FROM audit");
    assert_int_equal(st_ix_set_code(db, id, "demande", "social", true, NULL, "Élise", &e), ST_ERR_INVALID);
    assert_string_equal(e.msg, "code 'social' is a heading: it groups the codes under it and cannot be chosen");
    assert_int_equal(st_ix_tally(db, &ctx, "demande", "social", NULL, tally, &e), ST_ERR_INVALID);
    assert_string_equal(e.msg, "code 'social' is a heading: it groups the codes under it and cannot be chosen");
    assert_int_equal(count("SELECT count(*) FROM audit"), audits);
    assert_int_equal(count("SELECT count(*) FROM interaction"), 1);
    assert_int_equal(count("SELECT count(*) FROM interaction_code"), 0);
    /* The code under the heading is an answer like any other. */
    ok(st_ix_set_code(db, id, "demande", "rsa", true, NULL, "Élise", &e), &e);
    assert_int_equal(count("SELECT count(*) FROM interaction_code WHERE code_id = 'rsa'"), 1);
}

static void test_incomplete_follows_required_dimensions(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, "2026-09-14T09:10:00+02:00", id, &e), &e);
    ok(st_ix_set_code(db, id, "demande", "autre", true, "Banque de France", "Élise", &e), &e);
    ok(st_ix_end(db, id, "2026-09-14T09:14:30+02:00", "Élise", &e), &e);
    /* the required text dimension is still empty */
    assert_int_equal(count("SELECT incomplete FROM interaction"), 1);
    ok(st_ix_set_text(db, id, "commune", "35000", "Élise", &e), &e);
    assert_int_equal(count("SELECT incomplete FROM interaction"), 0);
    assert_int_equal(count("SELECT count(*) FROM interaction_code WHERE other_text = 'Banque de France'"), 1);
    assert_int_equal(count("SELECT unixepoch(ended_at) - unixepoch(started_at) FROM interaction"), 270);
    ok(st_ix_set_text(db, id, "commune", "", "Élise", &e), &e);
    assert_int_equal(count("SELECT incomplete FROM interaction"), 1);
}

static void test_tally_is_complete_with_unknown_duration(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_tally(db, &ctx, "demande", "caf", "2026-09-14T10:00:00+02:00", id, &e), &e);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE tally = 1 AND incomplete = 0"
                           " AND started_at = ended_at AND started_at = '2026-09-14T10:00:00+02:00'"),
                     1);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'tally' AND after LIKE '%\"caf\"%'"), 1);
    assert_int_equal(st_ix_tally(db, &ctx, "demande", "vieux", NULL, id, &e), ST_ERR_INVALID);
    assert_int_equal(count("SELECT count(*) FROM interaction"), 1);
}

static void test_paused_time_is_left_out_of_durations(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    bool paused;
    ok(st_ix_start(db, &ctx, "2026-09-14T11:50:00+02:00", id, &e), &e);
    ok(st_session_pause(db, ctx.session_id, "2026-09-14T12:00:00+02:00", &e), &e);
    ok(st_session_paused(db, ctx.session_id, &paused, &e), &e);
    assert_true(paused);
    assert_int_equal(st_session_pause(db, ctx.session_id, NULL, &e), ST_ERR_INVALID);
    ok(st_session_resume(db, ctx.session_id, "2026-09-14T13:30:00+02:00", &e), &e);
    assert_int_equal(st_session_resume(db, ctx.session_id, NULL, &e), ST_ERR_INVALID);
    ok(st_ix_end(db, id, "2026-09-14T13:40:00+02:00", "Élise", &e), &e);
    assert_int_equal(count("SELECT paused_seconds FROM interaction"), 90 * 60);
    /* moving the start after the pause leaves nothing paused */
    ok(st_ix_set_times(db, id, "2026-09-14T13:35:00+02:00", "2026-09-14T13:40:00+02:00", "Élise", &e), &e);
    assert_int_equal(count("SELECT paused_seconds FROM interaction"), 0);
}

static void test_end_before_start_is_refused(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, "2026-09-14T09:05:00+02:00", id, &e), &e);
    assert_int_equal(st_ix_end(db, id, "2026-09-14T09:04:59+02:00", "Élise", &e), ST_ERR_INVALID);
    assert_int_equal(st_ix_set_times(db, id, "2026-09-14T09:05:00+02:00", "2026-09-14T08:00:00+02:00", "Élise", &e),
                     ST_ERR_INVALID);
    assert_int_equal(st_ix_end(db, id, "tomorrow", "Élise", &e), ST_ERR_INVALID);
    /* the same instant written with another offset is not earlier */
    ok(st_ix_end(db, id, "2026-09-14T07:05:00+00:00", "Élise", &e), &e);
    ok(st_ix_reopen(db, id, "Élise", &e), &e);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE ended_at IS NULL"), 1);
    assert_int_equal(st_ix_end(db, "0192f0c4-0000-7000-8000-000000000000", NULL, "Élise", &e), ST_ERR_NOTFOUND);
}

static void test_delete_keeps_the_row_and_its_history(void **state)
{
    (void)state;
    st_error e = {0};
    char a[UUID_STRLEN], b[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, "2026-09-14T09:00:00+02:00", a, &e), &e);
    ok(st_ix_start(db, &ctx, "2026-09-14T09:01:00+02:00", b, &e), &e);
    ok(st_ix_set_note(db, a, "Madame X., 06 12 34 56 78\nrappeler lundi", "Élise", &e), &e);
    ok(st_ix_set_deleted(db, a, true, "Élise", &e), &e);
    st_ix *v;
    size_t n;
    ok(st_ix_list_session(db, ctx.session_id, false, &v, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, b);
    st_ix_list_free(v, n);
    ok(st_ix_list_session(db, ctx.session_id, true, &v, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, a);
    assert_true(v[0].deleted);
    assert_string_equal(v[0].note, "Madame X., 06 12 34 56 78\nrappeler lundi");
    st_ix_list_free(v, n);
    ok(st_ix_set_deleted(db, a, false, "Élise", &e), &e);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE deleted = 0"), 2);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action IN ('delete','restore','note')"), 3);
}

static void test_session_note_is_timestamped(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_session_note_add(db, ctx.session_id, "Panne du réseau à 10 h", "2026-09-14T10:02:00+02:00", id, &e), &e);
    assert_int_equal(count("SELECT count(*) FROM session_note WHERE created_at = '2026-09-14T10:02:00+02:00'"), 1);
    assert_int_equal(st_session_note_add(db, ctx.session_id, "", NULL, id, &e), ST_ERR_INVALID);
}

static void test_a_read_only_study_refuses_writes_with_a_clear_reason(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, NULL, id, &e), &e);
    st_db *ro;
    ok(st_open(path, ST_READ, &ro, &e), &e);
    assert_int_equal(st_ix_set_code(ro, id, "demande", "caf", true, NULL, "Élise", &e), ST_ERR_READONLY);
    assert_non_null(strstr(e.msg, "read-only"));
    st_close(ro);
    assert_int_equal(count("SELECT count(*) FROM interaction_code"), 0);
    assert_int_equal(count("SELECT count(*) FROM audit"), 1);
}

static void test_a_locked_study_is_reported_busy_and_nothing_half_written(void **state)
{
    (void)state;
    st_error e = {0};
    char id[UUID_STRLEN];
    ok(st_ix_start(db, &ctx, NULL, id, &e), &e);
    sqlite3 *other;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(st_ix_set_code(db, id, "demande", "caf", true, NULL, "Élise", &e), ST_ERR_BUSY);
    assert_non_null(strstr(e.msg, "locked"));
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    ok(st_ix_set_code(db, id, "demande", "caf", true, NULL, "Élise", &e), &e);
    assert_int_equal(count("SELECT count(*) FROM audit"), 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_session_remembers_site_and_observer),
        T(test_start_is_committed_with_its_create_audit_row),
        T(test_single_choice_replaces_and_multiple_accumulates),
        T(test_unknown_or_retired_codes_are_refused_and_nothing_written),
        T(test_a_heading_is_refused_with_a_clear_message_and_its_sub_code_taken),
        T(test_incomplete_follows_required_dimensions),
        T(test_tally_is_complete_with_unknown_duration),
        T(test_paused_time_is_left_out_of_durations),
        T(test_end_before_start_is_refused),
        T(test_delete_keeps_the_row_and_its_history),
        T(test_session_note_is_timestamped),
        T(test_a_read_only_study_refuses_writes_with_a_clear_reason),
        T(test_a_locked_study_is_reported_busy_and_nothing_half_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
