/* Unit tests of the demo generator (core/demo.c) and of its writing into a
 * study (store/st_demo.c) with the export queries over it
 * (store/st_export.c). */
#include "unit.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/demo.h"
#include "core/util.h"
#include "store/st_demo.h"
#include "store/st_export.h"

static cb_codebook *shipped(void)
{
    cb_codebook *cb;
    diag_list d = {0};
    assert_int_equal(cbf_read_file("codebooks/labacces-accueil.yaml", &cb, &d), 0);
    return cb;
}

static const demo_params P = {.interactions = 3000, .sites = 3, .seed = 11, .from_y = 2026, .from_m = 1,
                              .from_d = 1, .days = 365};

/* A digest of everything but the ids, to compare two runs. */
static unsigned long long digest(const cb_codebook *cb, const demo_params *p, long long *count)
{
    char err[128];
    demo_gen *g = demo_new(cb, p, err, sizeof err);
    assert_non_null(g);
    unsigned long long h = 1469598103934665603ull;
    demo_ix x;
    *count = 0;
    while (demo_next(g, &x)) {
        unsigned long long v[] = {(unsigned long long)x.start, (unsigned long long)x.end, x.tally, x.open, x.deleted,
                                  (unsigned long long)x.session->site, (unsigned long long)x.ncodes};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            h = (h ^ v[i]) * 1099511628211ull;
        for (const char *s = x.note ? x.note : ""; *s; s++)
            h = (h ^ (unsigned char)*s) * 1099511628211ull;
        (*count)++;
    }
    demo_free(g);
    return h;
}

static void test_same_seed_same_interactions_and_exact_count(void **state)
{
    (void)state;
    cb_codebook *cb = shipped();
    long long n1, n2, n3;
    unsigned long long a = digest(cb, &P, &n1), b = digest(cb, &P, &n2);
    demo_params q = P;
    q.seed = 12;
    unsigned long long c = digest(cb, &q, &n3);
    assert_int_equal(n1, 3000);
    assert_int_equal(n3, 3000);
    assert_true(a == b);
    assert_true(a != c);
    cb_free(cb);
}

static void test_desk_profile_closed_on_sundays_and_holidays_busy_mid_morning(void **state)
{
    (void)state;
    cb_codebook *cb = shipped();
    char err[128];
    demo_gen *g = demo_new(cb, &P, err, sizeof err);
    demo_ix x;
    long long by_wday[7] = {0}, by_hour[24] = {0}, tallies = 0, notes = 0;
    long long last_session = -1;
    time_t last_start = 0;
    while (demo_next(g, &x)) {
        struct tm t;
        localtime_r(&x.start, &t);
        by_wday[t.tm_wday]++;
        by_hour[t.tm_hour]++;
        assert_false(t.tm_mon == 4 && t.tm_mday == 1);  /* 1 May */
        assert_false(t.tm_mon == 11 && t.tm_mday == 25); /* Christmas */
        assert_false(t.tm_mon == 3 && t.tm_mday == 6);  /* Easter Monday 2026 */
        if (x.session->index == last_session)
            assert_true(x.start >= last_start);
        last_session = x.session->index;
        last_start = x.start;
        if (x.tally) {
            tallies++;
            assert_int_equal(x.ncodes, 1);
            assert_int_equal(x.codes[0].dim, 0);
            assert_true(x.end == x.start);
        } else if (!x.open)
            assert_true(x.end - x.start - x.paused_seconds >= 60);
        for (size_t k = 0; k < x.ncodes; k++)
            assert_false(cb->dims[x.codes[k].dim].codes[x.codes[k].code].retired);
        notes += x.note != NULL;
    }
    demo_free(g);
    assert_int_equal(by_wday[0], 0);
    assert_true(by_wday[1] > by_wday[6] * 2);
    assert_true(by_hour[10] > by_hour[13] * 3);
    assert_true(tallies > 0);
    assert_true(notes > 600 && notes < 1400);
    cb_free(cb);
}

static void test_bad_parameters_are_refused(void **state)
{
    (void)state;
    cb_codebook *cb = shipped();
    char err[128];
    demo_params q = P;
    q.sites = 0;
    assert_null(demo_new(cb, &q, err, sizeof err));
    q = P;
    q.days = 1;
    q.from_d = 4; /* a Sunday */
    assert_null(demo_new(cb, &q, err, sizeof err));
    assert_non_null(strstr(err, "no opening day"));
    cb_free(cb);
}

/* ---- in a study ----------------------------------------------------- */

static char dir[64], path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/carnet-demo-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/study.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static long long sql_count(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long n = -1;
    sqlite3_open(path, &db);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static int sum_codes(void *ctx, const st_ex_group *g)
{
    *(long long *)ctx += g->n[0];
    return 0;
}

static void test_demo_in_a_study_keeps_the_writing_rules(void **state)
{
    (void)state;
    cb_codebook *cb = shipped();
    st_db *db;
    st_error e = {0};
    char vid[UUID_STRLEN];
    assert_int_equal(st_create(path, "t", &db, &e), ST_OK);
    assert_int_equal(st_codebook_add(db, cb, "", vid, &e), ST_OK);
    demo_params q = P;
    q.interactions = 800;
    st_demo_result r;
    assert_int_equal(st_demo_fill(db, &q, NULL, NULL, &r, &e), ST_OK);
    assert_int_equal(r.interactions, 800);
    assert_int_equal(sql_count("SELECT count(*) FROM interaction"), 800);
    assert_int_equal(sql_count("SELECT count(*) FROM session"), r.sessions);
    /* one create or tally row per interaction, one delete row per deleted */
    assert_int_equal(sql_count("SELECT count(*) FROM audit WHERE action IN ('create','tally')"), 800);
    assert_int_equal(sql_count("SELECT count(*) FROM audit WHERE action = 'delete'"), r.deleted);
    assert_int_equal(sql_count("SELECT count(*) FROM interaction WHERE deleted = 1"), r.deleted);
    /* the snapshot is the row as stored */
    assert_int_equal(sql_count("SELECT count(*) FROM audit a JOIN interaction i ON i.id = a.interaction_id"
                               " WHERE a.action = 'create' AND (json_extract(a.after, '$.started_at') <> i.started_at"
                               " OR json_extract(a.after, '$.incomplete') <> i.incomplete"
                               " OR json_array_length(a.after, '$.codes') <>"
                               " (SELECT count(*) FROM interaction_code c WHERE c.interaction_id = i.id))"),
                     0);
    /* ... exactly as SQLite's JSON functions build it from the row
     * (src/store/st_demo.c writes it without them), deleted as it was */
    assert_int_equal(sql_count("SELECT count(*) FROM audit a JOIN interaction i ON i.id = a.interaction_id"
                               " WHERE a.action IN ('create', 'tally') AND a.after IS NOT json_object('id', i.id,"
                               " 'session', i.session_id, 'codebook_version', i.codebook_version_id,"
                               " 'started_at', i.started_at, 'ended_at', i.ended_at, 'incomplete', i.incomplete,"
                               " 'tally', i.tally, 'deleted', 0, 'paused_seconds', i.paused_seconds, 'note', i.note,"
                               " 'codes', json((SELECT json_group_array(json_object('dimension', c.dimension_id,"
                               " 'code', c.code_id, 'other', c.other_text)) FROM (SELECT * FROM interaction_code"
                               " WHERE interaction_id = i.id ORDER BY dimension_id, code_id) c)),"
                               " 'texts', json((SELECT json_group_array(json_object('dimension', t.dimension_id,"
                               " 'text', t.text)) FROM (SELECT * FROM interaction_text WHERE interaction_id = i.id"
                               " ORDER BY dimension_id) t)))"),
                     0);
    /* the indexes dropped for the fill of an empty study are back, and
     * the study is in WAL mode again */
    assert_int_equal(sql_count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                               " ('interaction_by_start', 'interaction_by_session', 'interaction_by_site',"
                               " 'interaction_by_observer', 'interaction_code_by_code', 'audit_by_interaction')"),
                     6);
    assert_int_equal(sql_count("SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    assert_int_equal(sql_count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
    /* incomplete follows the rule: a required dimension without answer, not a tally */
    assert_int_equal(sql_count("SELECT count(*) FROM interaction i WHERE incomplete <> (tally = 0 AND EXISTS ("
                               "SELECT 1 FROM dimension d WHERE d.version_id = i.codebook_version_id AND d.required"
                               " AND NOT EXISTS (SELECT 1 FROM interaction_code c WHERE c.interaction_id = i.id"
                               " AND c.dimension_id = d.id)))"),
                     0);
    assert_true(sql_count("SELECT count(*) FROM interaction WHERE incomplete = 1") > 0);
    assert_int_equal(sql_count("SELECT count(*) FROM interaction WHERE started_at NOT GLOB "
                               "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9][+-]"
                               "[0-9][0-9]:[0-9][0-9]'"),
                     0);

    /* The export queries agree with direct counts. */
    st_filter f = {0};
    st_ex_counts c;
    assert_int_equal(st_ex_counts_get(db, &f, &c, &e), ST_OK);
    assert_int_equal(c.interactions, 800 - r.deleted);
    assert_int_equal(c.deleted, r.deleted);
    long long coded = 0;
    assert_int_equal(st_ex_groups(db, &f, EXQ_CODES, NULL, NULL, sum_codes, &coded, &e), ST_OK);
    assert_int_equal(coded, sql_count("SELECT count(*) FROM interaction_code c JOIN interaction i ON i.id ="
                                      " c.interaction_id WHERE i.deleted = 0"));
    const char *sites[] = {"CDAS Rennes Nord"};
    f.sites = sites;
    f.nsites = 1;
    assert_int_equal(st_ex_counts_get(db, &f, &c, &e), ST_OK);
    assert_int_equal(c.interactions, sql_count("SELECT count(*) FROM interaction i JOIN site s ON s.id = i.site_id"
                                               " WHERE s.name = 'CDAS Rennes Nord' AND deleted = 0"));
    const char *nobody[] = {"Nowhere"};
    f.sites = nobody;
    assert_int_equal(st_ex_check_filter(db, &f, &e), ST_ERR_NOTFOUND);
    assert_non_null(strstr(e.msg, "CDAS Rennes Nord"));
    /* A second fill, into a study that has interactions, keeps its
     * indexes and its journal. */
    q.seed = 12;
    q.interactions = 50;
    assert_int_equal(st_demo_fill(db, &q, NULL, NULL, &r, &e), ST_OK);
    assert_int_equal(sql_count("SELECT count(*) FROM interaction"), 850);
    assert_int_equal(sql_count("SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    assert_int_equal(sql_count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
    st_close(db);
    cb_free(cb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_interactions_and_exact_count),
        cmocka_unit_test(test_desk_profile_closed_on_sundays_and_holidays_busy_mid_morning),
        cmocka_unit_test(test_bad_parameters_are_refused),
        cmocka_unit_test_setup_teardown(test_demo_in_a_study_keeps_the_writing_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
