/*
 * Unit tests of the coding screen's side of the study (store/st_observe.h):
 * each change of the coding state machine committed through the write path
 * with its audit row, a refused change leaving the state and the study as
 * they were, the names offered at start-up, and the interactions an earlier
 * session left open.
 */
#include "unit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/util.h"
#include "store/st_observe.h"

static char dir[64], path[128];
static st_db *db;
static st_session_ctx ctx;
static cod_state *S;
static time_t T0;

static const char *codebook = "carnet_codebook: 1\nid: t\ntitle: T\nlanguage: fr\nversion: 1\ndimensions:\n"
                              "  - id: demande\n    label: Demande\n    required: true\n    codes:\n"
                              "      - {id: caf, key: c, label: CAF, definition: x, when_to_use: x,"
                              " when_not_to_use: x, example: x}\n"
                              "      - {id: autre, key: a, label: Autre, definition: x, when_to_use: x,"
                              " when_not_to_use: x, example: x, other: true}\n"
                              "  - id: commune\n    label: Commune\n    mode: text\n";

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    ts_parse("2026-09-14T09:00:00+02:00", &T0);
    if (!unit_tmpdir(dir, sizeof dir, "obs"))
        return -1;
    snprintf(path, sizeof path, "%s/study.db", dir);
    st_error e = {0};
    diag_list d = {0};
    cb_codebook *cb, *cb2;
    if (cbf_parse("t.yaml", codebook, strlen(codebook), &cb, &d))
        return -1;
    char vid[UUID_STRLEN];
    char *src = cbf_write(cb);
    int rc = st_create(path, "t", &db, &e) || st_codebook_add(db, cb, src, vid, &e) ||
             st_session_open(db, "CDAS Nord", "Élise", NULL, "2026-09-14T09:00:00+02:00", &ctx, &e) ||
             st_codebook_load(db, vid, &cb2, NULL, &e);
    free(src);
    cb_free(cb);
    if (rc) {
        fprintf(stderr, "setup: %s\n", e.msg);
        return -1;
    }
    S = cod_new(T0);
    cod_add_book(S, vid, cb2, true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cod_free(S);
    st_close(db);
    return unit_rmdir(dir);
}

/* One integer from the study, as another program reading the file would
 * see it: what is there is committed. */
static long long count(const char *sql)
{
    return unit_count(path, sql);
}

/* What the screen does with a key: the change, committed, then applied;
 * returns the store's code. */
static st_code key_at(int key, long t, st_error *e)
{
    cod_change c;
    cod_key(S, key, T0 + t, &c);
    st_code rc = ST_OK;
    if (c.kind != COD_NONE) {
        cod_result r;
        rc = st_apply_change(db, &ctx, &c, &r, e);
        if (rc == ST_OK)
            cod_commit(S, &c, &r);
        else
            cod_fail(S, &c, e->msg);
    }
    cod_change_free(&c);
    return rc;
}

static void key(int k, long t)
{
    st_error e = {0};
    if (key_at(k, t, &e) != ST_OK)
        fail_msg("key %d: %s", k, e.msg);
}

static void test_each_change_of_the_screen_is_committed_with_its_audit_row(void **state)
{
    (void)state;
    key(' ', 0);
    key('c', 5);
    key('3', 6); /* the free-text dimension: starts the answer */
    key('5', 6);
    key(COD_K_ENTER, 7);
    key(':', 8);
    key('x', 8);
    key(COD_K_ENTER, 9);
    key(COD_K_ENTER, 120);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE started_at = '2026-09-14T09:00:00+02:00'"
                           " AND ended_at = '2026-09-14T09:02:00+02:00' AND note = 'x' AND incomplete = 0"),
                     1);
    assert_int_equal(count("SELECT count(*) FROM interaction_text WHERE text = '35'"), 1);
    assert_int_equal(count("SELECT count(*) FROM audit"), 5); /* create, code, text, note, end */
    assert_false(cod_active(S));
    assert_false(S->ixs[0].incomplete);
    /* undo and redo are recorded like any change */
    key('<', 130);
    key('<', 131);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'reopen'"), 1);
    assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'note' AND after LIKE '%\"note\":null%'"), 1);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE ended_at IS NULL AND note IS NULL"), 1);
    key('>', 132);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE note = 'x'"), 1);
    /* a tally, a pause, a field note */
    key('*', 140);
    key('c', 141);
    key('*', 142);
    key(',', 150);
    key(',', 210);
    key(';', 220);
    key('y', 220);
    key(COD_K_ENTER, 221);
    assert_int_equal(count("SELECT count(*) FROM interaction WHERE tally = 1"), 1);
    assert_int_equal(count("SELECT unixepoch(ended_at) - unixepoch(started_at) FROM pause"), 60);
    assert_int_equal(count("SELECT count(*) FROM session_note WHERE text = 'y'"
                           " AND created_at = '2026-09-14T09:03:40+02:00'"),
                     1);
    /* the open interaction's paused time, as the store derives it on its end */
    key(COD_K_ENTER, 300);
    assert_int_equal(count("SELECT paused_seconds FROM interaction WHERE tally = 0"), 60);
    assert_int_equal(S->ixs[0].paused_seconds, 60);
}

static void test_a_locked_study_refuses_the_key_and_the_screen_keeps_its_state(void **state)
{
    (void)state;
    key(' ', 0);
    sqlite3 *other;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    st_error e = {0};
    assert_int_equal(key_at('c', 1, &e), ST_ERR_BUSY);
    assert_false(S->ixs[0].ans[0].on[0]);
    assert_int_equal(S->msg_kind, COD_MSG_WARN);
    assert_non_null(strstr(S->msg, "Not recorded: "));
    assert_non_null(strstr(S->msg, "locked by another carnet"));
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    key('c', 2);
    assert_true(S->ixs[0].ans[0].on[0]);
    assert_int_equal(count("SELECT count(*) FROM audit"), 2);
}

static void test_names_come_most_recently_used_first(void **state)
{
    (void)state;
    st_error e = {0};
    st_session_ctx c2;
    assert_int_equal(st_session_open(db, "Mairie", "Bob", NULL, "2026-09-15T09:00:00+02:00", &c2, &e), ST_OK);
    char site_id[UUID_STRLEN];
    assert_int_equal(st_site_ensure(db, "Annexe", site_id, &e), ST_OK); /* never used */
    char **v;
    size_t n;
    assert_int_equal(st_names(db, "site", &v, &n, &e), ST_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "Mairie");
    assert_string_equal(v[1], "CDAS Nord");
    assert_string_equal(v[2], "Annexe");
    st_names_free(v, n);
    assert_int_equal(st_names(db, "observer", &v, &n, &e), ST_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "Bob");
    st_names_free(v, n);
}

static void test_interactions_left_open_by_the_observer_are_found_not_others(void **state)
{
    (void)state;
    key(' ', 0);
    key('c', 30);
    key(' ', 60);
    key(COD_K_ENTER, 90); /* the second one ends */
    st_error e = {0};
    st_session_ctx next, bob;
    assert_int_equal(st_session_open(db, "CDAS Nord", "Élise", NULL, NULL, &next, &e), ST_OK);
    assert_int_equal(st_session_open(db, "CDAS Nord", "Bob", NULL, NULL, &bob, &e), ST_OK);
    char bid[UUID_STRLEN];
    assert_int_equal(st_ix_start(db, &bob, NULL, bid, &e), ST_OK);
    st_open_ix *v;
    size_t n;
    assert_int_equal(st_open_elsewhere(db, next.observer_id, next.session_id, &v, &n, &e), ST_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].id, S->ixs[0].id);
    assert_string_equal(v[0].started_at, "2026-09-14T09:00:00+02:00");
    assert_string_equal(v[0].session_started_at, "2026-09-14T09:00:00+02:00");
    assert_string_equal(v[0].codebook_version_id, ctx.codebook_version_id);
    assert_true(v[0].updated_at[0]);
    free(v);
    /* the session that is running is not "elsewhere" */
    assert_int_equal(st_open_elsewhere(db, ctx.observer_id, ctx.session_id, &v, &n, &e), ST_OK);
    assert_int_equal(n, 0);
    free(v);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_each_change_of_the_screen_is_committed_with_its_audit_row),
        T(test_a_locked_study_refuses_the_key_and_the_screen_keeps_its_state),
        T(test_names_come_most_recently_used_first),
        T(test_interactions_left_open_by_the_observer_are_found_not_others),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
