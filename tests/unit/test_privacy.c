/*
 * Unit tests of the privacy features of the store: backups (private,
 * consistent while another process records, never overwriting by
 * accident) and the purge of notes (gone from the tables, the audit log's
 * snapshots and every file of the study, the purge itself audited).
 */
#include "unit.h"

#include <fcntl.h>
#include <signal.h>

#include "fixture.h"
#include "store/st_backup.h"
#include "store/st_purge.h"

static char *in_dir(const char *name)
{
    return xasprintf("%s/%s", fx_dir, name);
}

/* Whether needle occurs in the bytes of file path (absent file: no). */
static bool file_holds(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    strbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_addn(&b, chunk, n);
    fclose(f);
    bool found = b.s && memmem(b.s, b.len, needle, strlen(needle)) != NULL;
    sb_free(&b);
    return found;
}

/* Whether needle is in the study or its -wal or -shm file. */
static bool study_holds(const char *needle)
{
    static const char *const sides[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char *p = xasprintf("%s%s", fx_path, sides[i]);
        bool found = file_holds(p, needle);
        free(p);
        if (found)
            return true;
    }
    return false;
}

static void test_backup_is_private_checked_and_never_overwrites_by_accident(void **state)
{
    (void)state;
    st_error e = {0};
    char ix[UUID_STRLEN];
    fx_ok(st_ix_start(fx_db, &fx_ctx, NULL, ix, &e), &e);
    char *dest = in_dir("backup.db");
    mode_t old = umask(0);
    st_backup_info info;
    fx_ok(st_backup(fx_db, dest, false, NULL, NULL, &info, &e), &e);
    umask(old);
    assert_int_equal(fx_mode(dest), 0600);
    /* No -wal of the copy, no temporary file left beside it (looked at
     * before the checks below open the copy). */
    char *cmd = xasprintf("test $(ls '%s' | grep -c backup) -eq 1", fx_dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    assert_true(fx_intact(dest));
    assert_int_equal(info.interactions, 1);
    assert_int_equal(fx_count_in(dest, "SELECT count(*) FROM audit"), 1);

    fx_ok(st_ix_start(fx_db, &fx_ctx, NULL, ix, &e), &e);
    assert_int_equal(st_backup(fx_db, dest, false, NULL, NULL, NULL, &e), ST_ERR_EXISTS);
    assert_non_null(strstr(e.msg, "--force"));
    assert_int_equal(fx_count_in(dest, "SELECT count(*) FROM interaction"), 1);
    fx_ok(st_backup(fx_db, dest, true, NULL, NULL, NULL, &e), &e);
    assert_int_equal(fx_count_in(dest, "SELECT count(*) FROM interaction"), 2);
    assert_int_equal(st_backup(fx_db, fx_path, true, NULL, NULL, NULL, &e), ST_ERR_INVALID);
    assert_non_null(strstr(e.msg, "the study itself"));
    assert_int_equal(st_backup(fx_db, fx_dir, true, NULL, NULL, NULL, &e), ST_ERR_EXISTS);
    char *nowhere = in_dir("no/such/folder.db");
    assert_int_equal(st_backup(fx_db, nowhere, false, NULL, NULL, NULL, &e), ST_ERR_OPEN);
    free(nowhere);
    free(dest);
}

/* The writer: interactions numbered in their notes, one commit each,
 * until killed. */
static void writer(void)
{
    st_db *db;
    st_error e = {0};
    if (st_open(fx_path, ST_WRITE, &db, &e))
        _exit(2);
    for (int i = 1;; i++) {
        char ix[UUID_STRLEN], note[32];
        snprintf(note, sizeof note, "n=%06d", i);
        if (st_ix_start(db, &fx_ctx, NULL, ix, &e) || st_ix_set_note(db, ix, note, "Élise", &e))
            _exit(3);
    }
}

typedef struct progress_state {
    int steps;
    long long seen;
} progress_state;

/* Between two steps of the backup, waits (up to 10 s) until the writer
 * has committed more rows: the copy is made while the study changes. */
static void progress(void *arg, int remaining, int total)
{
    progress_state *p = arg;
    (void)total;
    p->steps++;
    if (!remaining)
        return;
    for (int i = 0; i < 10000; i++) {
        long long n = fx_count("SELECT count(*) FROM interaction");
        if (n > p->seen) {
            p->seen = n;
            return;
        }
        usleep(1000);
    }
}

static void test_backup_is_one_consistent_snapshot_while_another_process_records(void **state)
{
    (void)state;
    st_error e = {0};
    /* A study of a few megabytes, so that the copy takes several steps. */
    char *big = xmalloc(600 * 1024 + 1);
    memset(big, 'x', 600 * 1024);
    big[600 * 1024] = '\0';
    for (int i = 0; i < 6; i++) {
        char ix[UUID_STRLEN];
        fx_ok(st_ix_start(fx_db, &fx_ctx, "2026-09-14T08:00:00+02:00", ix, &e), &e);
        fx_ok(st_ix_set_note(fx_db, ix, big, "Élise", &e), &e);
    }
    free(big);
    st_close(fx_db);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        writer();
    progress_state p = {0, 0};
    st_db *db;
    fx_ok(st_open(fx_path, ST_READ, &db, &e), &e);
    char *dest = in_dir("live.db");
    st_code c = st_backup(db, dest, false, progress, &p, NULL, &e);
    long long after = fx_count("SELECT count(*) FROM interaction");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    st_close(db);
    fx_db = NULL;
    fx_ok(c, &e);
    assert_true(p.steps >= 3);
    assert_true(fx_intact(dest));
    /* A prefix of the writer's commits, each with all its audit rows. */
    long long k = fx_count_in(dest, "SELECT count(*) FROM interaction WHERE note LIKE 'n=%'");
    long long top = fx_count_in(dest, "SELECT coalesce(max(CAST(substr(note, 3) AS INTEGER)), 0) FROM interaction"
                                      " WHERE note LIKE 'n=%'");
    assert_int_equal(k, top);
    assert_true(k < after);
    assert_int_equal(fx_count_in(dest, "SELECT count(*) FROM interaction"), k + 6);
    assert_int_equal(fx_count_in(dest, "SELECT count(*) FROM audit"), 2 * (k + 6));
    free(dest);
}

/* Sets up notes on both sides of 2026-09-15 and returns the interaction
 * of the 14th. */
static void notes_on_both_sides(char old_ix[UUID_STRLEN])
{
    st_error e = {0};
    char ix[UUID_STRLEN], nid[UUID_STRLEN];
    fx_ok(st_ix_start(fx_db, &fx_ctx, "2026-09-14T09:05:00+02:00", old_ix, &e), &e);
    fx_ok(st_ix_set_note(fx_db, old_ix, "OLD-FIRST-DRAFT Mme Dupont", "Élise", &e), &e);
    fx_ok(st_ix_set_note(fx_db, old_ix, "OLD-SECOND Mme Dupont, 3 rue des Lilas", "Élise", &e), &e);
    fx_ok(st_ix_set_code(fx_db, old_ix, "demande", "caf", true, NULL, "Élise", &e), &e);
    fx_ok(st_ix_set_deleted(fx_db, old_ix, true, "Élise", &e), &e);
    fx_ok(st_ix_start(fx_db, &fx_ctx, "2026-09-14T23:59:59+02:00", ix, &e), &e);
    fx_ok(st_ix_set_note(fx_db, ix, "OLD-LATE M. Martin", "Élise", &e), &e);
    fx_ok(st_session_note_add(fx_db, fx_ctx.session_id, "OLD-SESSION file d'attente", "2026-09-14T10:00:00+02:00",
                              nid, &e),
          &e);
    fx_ok(st_ix_start(fx_db, &fx_ctx, "2026-09-15T00:00:00+02:00", ix, &e), &e);
    fx_ok(st_ix_set_note(fx_db, ix, "KEPT-NOTE du 15", "Élise", &e), &e);
    fx_ok(st_session_note_add(fx_db, fx_ctx.session_id, "KEPT-SESSION du 15", "2026-09-15T08:00:00+02:00", nid,
                              &e),
          &e);
}

static void test_purge_removes_the_text_from_tables_audit_and_every_file(void **state)
{
    (void)state;
    char old_ix[UUID_STRLEN];
    notes_on_both_sides(old_ix);
    /* Another program has the study open (idle): the -wal and -shm files
     * stay, and are searched too. */
    sqlite3 *other;
    assert_int_equal(sqlite3_open(fx_path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "SELECT count(*) FROM study", NULL, NULL, NULL), SQLITE_OK);
    assert_true(study_holds("OLD-FIRST-DRAFT"));

    st_error e = {0};
    st_purge_result r;
    fx_ok(st_purge_notes(fx_db, "2026-09-15", true, "purge", &r, &e), &e);
    assert_int_equal(r.interaction_notes, 2);
    assert_int_equal(r.session_notes, 1);
    assert_int_equal(r.audit_rows, 5); /* note, note, code, delete on the first; note on the second */
    assert_true(study_holds("OLD-SECOND"));

    fx_ok(st_purge_notes(fx_db, "2026-09-15", false, "purge", &r, &e), &e);
    assert_int_equal(r.interaction_notes, 2);
    assert_int_equal(r.session_notes, 1);
    assert_int_equal(r.audit_rows, 5);
    assert_true(r.wal_truncated);
    assert_true(uuid_valid(r.audit_id));
    static const char *const gone[] = {"OLD-FIRST-DRAFT", "OLD-SECOND", "rue des Lilas", "OLD-LATE",
                                       "OLD-SESSION"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (study_holds(gone[i]))
            fail_msg("'%s' is still in the study's files", gone[i]);
    assert_true(study_holds("KEPT-NOTE du 15"));
    assert_true(study_holds("KEPT-SESSION du 15"));
    assert_int_equal(fx_count("SELECT count(*) FROM audit WHERE after LIKE '%KEPT-NOTE%'"), 1);
    /* The purge is in the audit log, and every scrubbed snapshot says by
     * which purge. */
    assert_int_equal(fx_count("SELECT count(*) FROM audit WHERE action = 'purge' AND interaction_id IS NULL"
                              " AND json_extract(after, '$.notes_before') = '2026-09-15'"
                              " AND json_extract(after, '$.interaction_notes') = 2"),
                     1);
    char *q = xasprintf("SELECT count(*) FROM audit WHERE json_extract(after, '$.note_purged') = '%s'"
                        " AND json_type(after, '$.note') = 'null'",
                        r.audit_id);
    assert_int_equal(fx_count(q), 5);
    free(q);
    /* The interaction keeps its codes and its deletion. */
    st_ix x;
    fx_ok(st_ix_load(fx_db, old_ix, &x, &e), &e);
    assert_null(x.note);
    assert_true(x.deleted);
    assert_int_equal(x.ncodes, 1);
    st_ix_free(&x);
    assert_true(fx_intact(fx_path));
    sqlite3_close(other);

    /* Nothing left to purge: nothing written. */
    long long audits = fx_count("SELECT count(*) FROM audit");
    fx_ok(st_purge_notes(fx_db, "2026-09-15", false, "purge", &r, &e), &e);
    assert_int_equal(r.interaction_notes + r.session_notes + r.audit_rows, 0);
    assert_int_equal(fx_count("SELECT count(*) FROM audit"), audits);
}

/* A reader in the middle of a read keeps the old pages alive in the -wal:
 * the purge says so, and a second run once it is gone finishes the job. */
static void test_purge_under_a_reader_says_so_and_a_second_run_finishes(void **state)
{
    (void)state;
    char old_ix[UUID_STRLEN];
    notes_on_both_sides(old_ix);
    sqlite3 *reader;
    assert_int_equal(sqlite3_open(fx_path, &reader), SQLITE_OK);
    assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM audit", NULL, NULL, NULL), SQLITE_OK);
    st_error e = {0};
    st_purge_result r;
    fx_ok(st_purge_notes(fx_db, "2026-09-15", false, "purge", &r, &e), &e);
    assert_int_equal(r.interaction_notes, 2);
    assert_false(r.wal_truncated);
    assert_int_equal(fx_count("SELECT count(*) FROM interaction WHERE note LIKE 'OLD-%'"), 0);
    sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(reader);
    fx_ok(st_purge_notes(fx_db, "2026-09-15", false, "purge", &r, &e), &e);
    assert_true(r.wal_truncated);
    assert_false(study_holds("OLD-SECOND"));
    assert_false(study_holds("OLD-SESSION"));
    assert_true(study_holds("KEPT-NOTE du 15"));
}

static void test_purge_refuses_a_bad_date_and_the_audit_log_stays_closed_after(void **state)
{
    (void)state;
    st_error e = {0};
    st_purge_result r;
    assert_int_equal(st_purge_notes(fx_db, "2026-02-30", false, "purge", &r, &e), ST_ERR_INVALID);
    assert_non_null(strstr(e.msg, "YYYY-MM-DD"));
    assert_int_equal(st_purge_notes(fx_db, "15/09/2026", false, "purge", &r, &e), ST_ERR_INVALID);
    char ix[UUID_STRLEN];
    fx_ok(st_ix_start(fx_db, &fx_ctx, "2026-09-14T09:00:00+02:00", ix, &e), &e);
    fx_ok(st_ix_set_note(fx_db, ix, "secret", "Élise", &e), &e);
    fx_ok(st_purge_notes(fx_db, "2026-09-15", false, "purge", &r, &e), &e);
    /* After the purge, another connection still cannot rewrite history. */
    sqlite3 *other;
    assert_int_equal(sqlite3_open(fx_path, &other), SQLITE_OK);
    char *err = NULL;
    assert_int_not_equal(sqlite3_exec(other, "UPDATE audit SET after = NULL", NULL, NULL, &err), SQLITE_OK);
    sqlite3_free(err);
    assert_int_not_equal(sqlite3_exec(other, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    assert_int_equal(fx_count("SELECT count(*) FROM audit WHERE after IS NULL"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backup_is_private_checked_and_never_overwrites_by_accident, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_backup_is_one_consistent_snapshot_while_another_process_records,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_purge_removes_the_text_from_tables_audit_and_every_file, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_purge_under_a_reader_says_so_and_a_second_run_finishes, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_purge_refuses_a_bad_date_and_the_audit_log_stays_closed_after,
                                        fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
