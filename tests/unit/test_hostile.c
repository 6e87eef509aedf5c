/*
 * Unit tests of the store in hostile and faulty environments: read-only
 * study and folder, a file-size limit reached in the middle of a write, a
 * study locked by another connection, truncated and overwritten files, a
 * 1 MB note, private -wal and -shm files.  Each checks the message and
 * that what was recorded before is intact (doc/reliability.md).
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>

#include "core/cb_match.h"
#include "fixture.h"

static char *side(const char *suffix)
{
    return xasprintf("%s%s", fx_path, suffix);
}

static void test_wal_and_shm_files_are_private_whatever_the_umask(void **state)
{
    (void)state;
    st_close(fx_db);
    unlink(fx_path);
    mode_t old = umask(0);
    st_error e = {0};
    fx_ok(st_create(fx_path, "t", &fx_db, &e), &e);
    char id[UUID_STRLEN];
    fx_ok(st_site_ensure(fx_db, "CDAS", id, &e), &e);
    umask(old);
    /* The handle is open: the -wal and -shm files are there. */
    char *wal = side("-wal"), *shm = side("-shm");
    assert_int_equal(fx_mode(fx_path), 0600);
    assert_int_equal(fx_mode(wal), 0600);
    assert_int_equal(fx_mode(shm), 0600);
    free(wal);
    free(shm);
}

static int read_only_file_child(void)
{
    st_db *db;
    st_error e = {0};
    FX_CHECK(st_open(fx_path, ST_WRITE, &db, &e) == ST_ERR_READONLY);
    FX_CHECK(strstr(e.msg, "read-only") && strstr(e.msg, "nothing can be recorded"));
    FX_CHECK(st_open(fx_path, ST_READ, &db, &e) == ST_OK);
    st_study s;
    FX_CHECK(st_study_get(db, &s, &e) == ST_OK && s.codebook_versions == 1);
    st_study_free(&s);
    st_close(db);
    return 0;
}

static void test_read_only_study_refuses_to_record_and_still_reads(void **state)
{
    (void)state;
    st_close(fx_db);
    fx_db = NULL;
    chmod(fx_path, 0400);
    assert_int_equal(fx_as_user(read_only_file_child), 0);
    /* Reading left no -wal or -shm behind that would stay read-only once
     * the owner makes the study writable again. */
    char *wal = side("-wal"), *shm = side("-shm");
    assert_false(fx_exists(wal));
    assert_false(fx_exists(shm));
    free(wal);
    free(shm);
}

static int read_only_folder_child(void)
{
    st_db *db;
    st_error e = {0};
    FX_CHECK(st_open(fx_path, ST_WRITE, &db, &e) == ST_ERR_READONLY);
    FX_CHECK(strstr(e.msg, "cannot be written") && strstr(e.msg, "-wal"));
    FX_CHECK(st_open(fx_path, ST_READ, &db, &e) == ST_OK);
    cb_codebook *cb;
    FX_CHECK(st_codebook_load(db, NULL, &cb, NULL, &e) == ST_OK);
    FX_CHECK(!strcmp(cb->id, "t"));
    cb_free(cb);
    st_close(db);
    return 0;
}

static void test_read_only_folder_is_named_and_the_study_still_reads(void **state)
{
    (void)state;
    st_close(fx_db);
    fx_db = NULL;
    chmod(fx_dir, 0555);
    assert_int_equal(fx_as_user(read_only_folder_child), 0);
    chmod(fx_dir, 0755);
    assert_true(fx_intact(fx_path));
}

static int left_over_shm_child(void)
{
    st_db *db;
    st_error e = {0};
    FX_CHECK(st_open(fx_path, ST_WRITE, &db, &e) == ST_ERR_READONLY);
    FX_CHECK(strstr(e.msg, "study.db-shm is read-only") && strstr(e.msg, "chmod 600"));
    return 0;
}

static void test_read_only_shm_left_by_another_program_is_named(void **state)
{
    (void)state;
    st_close(fx_db);
    fx_db = NULL;
    char *shm = side("-shm");
    int fd = open(shm, O_CREAT | O_WRONLY, 0400);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(fx_as_user(left_over_shm_child), 0);
    free(shm);
}

/* In a child: a file-size limit below what a 1 MB note needs. */
static int size_limited_child(const char *ix)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {512 * 1024, 512 * 1024};
    FX_CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
    st_db *db;
    st_error e = {0};
    FX_CHECK(st_open(fx_path, ST_WRITE, &db, &e) == ST_OK);
    char *big = xmalloc(1024 * 1024 + 1);
    memset(big, 'n', 1024 * 1024);
    big[1024 * 1024] = '\0';
    st_code c = st_ix_set_note(db, ix, big, "Élise", &e);
    free(big);
    if (c != ST_ERR_FULL || !strstr(e.msg, "file-size limit"))
        fprintf(stderr, "refused as: %s\n", e.msg);
    FX_CHECK(c == ST_ERR_FULL);
    FX_CHECK(strstr(e.msg, "file-size limit") && strstr(e.msg, "nothing was recorded"));
    /* A small change still fits and is recorded. */
    FX_CHECK(st_ix_set_note(db, ix, "court", "Élise", &e) == ST_OK);
    st_close(db);
    return 0;
}

static void test_file_size_limit_refuses_the_write_and_loses_nothing(void **state)
{
    (void)state;
    st_error e = {0};
    char ix[UUID_STRLEN];
    fx_ok(st_ix_start(fx_db, &fx_ctx, "2026-09-14T09:05:00+02:00", ix, &e), &e);
    fx_ok(st_ix_set_code(fx_db, ix, "demande", "caf", true, NULL, "Élise", &e), &e);
    st_close(fx_db);
    fx_db = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(size_limited_child(ix));
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(fx_intact(fx_path));
    assert_int_equal(fx_count("SELECT count(*) FROM interaction_code WHERE code_id = 'caf'"), 1);
    assert_int_equal(fx_count("SELECT count(*) FROM interaction WHERE note = 'court'"), 1);
    /* create, code, note: the refused note left no audit row. */
    assert_int_equal(fx_count("SELECT count(*) FROM audit"), 3);
}

static void test_study_locked_by_another_program_is_reported_then_recorded(void **state)
{
    (void)state;
    sqlite3 *other;
    assert_int_equal(sqlite3_open(fx_path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    st_error e = {0};
    char ix[UUID_STRLEN];
    /* Waits for the busy timeout (5 s), then says who is in the way. */
    assert_int_equal(st_ix_start(fx_db, &fx_ctx, NULL, ix, &e), ST_ERR_BUSY);
    assert_non_null(strstr(e.msg, "locked by another carnet or program"));
    /* Reading goes on meanwhile (WAL). */
    st_study s;
    fx_ok(st_study_get(fx_db, &s, &e), &e);
    st_study_free(&s);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    fx_ok(st_ix_start(fx_db, &fx_ctx, NULL, ix, &e), &e);
    assert_int_equal(fx_count("SELECT count(*) FROM interaction"), 1);
}

/* Overwrites len bytes at off of the study with a fixed garbage pattern. */
static void scribble(off_t off, size_t len)
{
    int fd = open(fx_path, O_WRONLY);
    assert_true(fd >= 0);
    unsigned char *junk = xmalloc(len);
    for (size_t i = 0; i < len; i++)
        junk[i] = (unsigned char)(i * 131 + 7);
    assert_int_equal(pwrite(fd, junk, len, off), (ssize_t)len);
    free(junk);
    close(fd);
}

static off_t file_size(void)
{
    struct stat sb;
    assert_int_equal(stat(fx_path, &sb), 0);
    return sb.st_size;
}

static void test_truncated_study_is_reported_damaged_for_reading_and_writing(void **state)
{
    (void)state;
    st_close(fx_db);
    fx_db = NULL;
    assert_int_equal(truncate(fx_path, file_size() / 2 + 100), 0);
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_open(fx_path, ST_READ, &db, &e), ST_ERR_CORRUPT);
    assert_non_null(strstr(e.msg, "damaged"));
    assert_non_null(strstr(e.msg, "restore it from a backup"));
    assert_int_equal(st_open(fx_path, ST_WRITE, &db, &e), ST_ERR_CORRUPT);
    /* Cut at a page boundary too. */
    assert_int_equal(truncate(fx_path, 4096 * 3), 0);
    assert_int_equal(st_open(fx_path, ST_READ, &db, &e), ST_ERR_CORRUPT);
    assert_non_null(strstr(e.msg, "cut short"));
}

static void test_overwritten_pages_are_reported_damaged(void **state)
{
    (void)state;
    st_close(fx_db);
    fx_db = NULL;
    off_t size = file_size();
    /* The last pages only: reading the study table still works, but a
     * command that records checks the whole file first. */
    scribble(size - 3 * 4096, 3 * 4096);
    st_db *db;
    st_error e = {0};
    assert_int_equal(st_open(fx_path, ST_WRITE, &db, &e), ST_ERR_CORRUPT);
    assert_non_null(strstr(e.msg, "damaged"));
    assert_non_null(strstr(e.msg, "restore it from a backup"));
    /* Everything after the header page. */
    scribble(4096, (size_t)size - 4096);
    assert_int_equal(st_open(fx_path, ST_READ, &db, &e), ST_ERR_CORRUPT);
    assert_non_null(strstr(e.msg, "restore it from a backup"));
    /* The header itself: not recognisable any more. */
    scribble(0, 4096);
    assert_int_equal(st_open(fx_path, ST_READ, &db, &e), ST_ERR_NOTSTUDY);
    assert_non_null(strstr(e.msg, "restore it from a backup"));
}

static void test_one_megabyte_note_round_trips_with_its_audit(void **state)
{
    (void)state;
    st_error e = {0};
    char ix[UUID_STRLEN];
    fx_ok(st_ix_start(fx_db, &fx_ctx, NULL, ix, &e), &e);
    /* 1 MB of accented UTF-8 with line breaks, as a long dictated note. */
    size_t n = 1024 * 1024;
    char *note = xmalloc(n + 1);
    for (size_t i = 0; i < n; i += 8)
        memcpy(note + i, i % 800 == 0 ? "\nÉté x" : "très é", 8);
    note[n] = '\0';
    assert_true(utf8_valid(note, strlen(note)));
    fx_ok(st_ix_set_note(fx_db, ix, note, "Élise", &e), &e);
    st_ix x;
    fx_ok(st_ix_load(fx_db, ix, &x, &e), &e);
    assert_string_equal(x.note, note);
    st_ix_free(&x);
    assert_int_equal(fx_count("SELECT length(CAST(json_extract(after, '$.note') AS BLOB)) FROM audit"
                              " WHERE action = 'note'"),
                     (long long)strlen(note));
    free(note);
    assert_true(fx_intact(fx_path));
}

/* A codebook is a shared file: its patterns may be pathological.  The
 * nested quantifier below backtracks exponentially on a note that almost
 * matches; the matcher gives up at its step limit (no suggestion) instead
 * of stalling the keystroke, and ordinary patterns still work on a 1 MB
 * note. */
static void test_pathological_pattern_gives_up_and_ordinary_ones_still_match(void **state)
{
    (void)state;
    cb_codebook *cb = cb_new();
    cb_dimension *d = cb_add_dimension(cb);
    d->id = xstrdup("d");
    cb_code *bad = cb_add_code(d);
    bad->id = xstrdup("bad");
    cb_code_add_pattern(bad, "^(\\w+\\s?)*$", (cb_pos){1, 1});
    cb_code *good = cb_add_code(d); /* moves d->codes: bad is stale now */
    good->id = xstrdup("good");
    cb_code_add_pattern(good, "\\bprime d.activit", (cb_pos){2, 1});
    diag_list diags = {0};
    cb_matcher *m = cb_matcher_new(cb, "t.yaml", &diags);
    assert_int_equal(diags.n, 0);
    cb_suggestion out[2];
    assert_int_equal(cb_matcher_suggest(m, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", out, 2), 0);
    size_t n = 1024 * 1024;
    char *note = xmalloc(n + 1);
    memset(note, 'x', n);
    memcpy(note + n - 20, " prime d'activité", 18);
    note[n - 2] = '\0';
    assert_int_equal(cb_matcher_suggest(m, note, out, 2), 1);
    assert_int_equal(out[0].code, 1);
    free(note);
    cb_matcher_free(m);
    cb_free(cb);
}

/* ---- a disk that fails under a running carnet --------------------------------
 * A file system cannot be remounted read-only while carnet holds the study
 * open for writing, and a quota needs a configured one: a VFS that passes
 * everything to SQLite's own, except that while fault_errno is set every
 * write fails with that system error, as such a disk fails. */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static int fault_errno;

typedef struct fault_file {
    sqlite3_file base;
    sqlite3_file *real; /* the real VFS's file, right after this struct */
} fault_file;

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    if (fault_errno) {
        errno = fault_errno; /* as the unix VFS leaves it after write() */
        return SQLITE_IOERR_WRITE;
    }
    return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), region, size, extend, p);
}
static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods fault_io = {
    2,       f_close, f_read,   f_write,   f_truncate,   f_sync,        f_size,      f_lock, f_unlock, f_reserved,
    f_control, f_sector, f_device, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, NULL,   NULL,
};

static int fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    fault_file *ff = (fault_file *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    f->pMethods = rc == SQLITE_OK && ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

static int fault_last_error(sqlite3_vfs *vfs, int n, char *buf)
{
    (void)vfs;
    return fault_errno ? fault_errno : real_vfs->xGetLastError(real_vfs, n, buf);
}

/* Reopens the fixture's study through the failing VFS. */
static void reopen_on_a_failing_disk(void)
{
    st_close(fx_db);
    real_vfs = sqlite3_vfs_find(NULL);
    fault_vfs = *real_vfs;
    fault_vfs.iVersion = 1; /* the calls of version 2 and 3 go to the real VFS's own */
    fault_vfs.zName = "carnet-fault";
    fault_vfs.szOsFile = (int)sizeof(fault_file) + real_vfs->szOsFile;
    fault_vfs.xOpen = fault_open;
    fault_vfs.xGetLastError = fault_last_error;
    assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
    st_error e = {0};
    fx_ok(st_open(fx_path, ST_WRITE, &fx_db, &e), &e);
}

static void back_on_a_good_disk(void)
{
    st_close(fx_db);
    fx_db = NULL;
    sqlite3_vfs_unregister(&fault_vfs);
    sqlite3_vfs_register(real_vfs, 1);
}

static void test_a_disk_turned_read_only_or_over_quota_is_named_and_nothing_is_lost(void **state)
{
    (void)state;
    st_error e = {0};
    char ix[UUID_STRLEN];
    fx_ok(st_ix_start(fx_db, &fx_ctx, "2026-09-14T09:05:00+02:00", ix, &e), &e);
    reopen_on_a_failing_disk();
    fx_ok(st_ix_set_code(fx_db, ix, "demande", "caf", true, NULL, "Élise", &e), &e);
    fault_errno = EROFS;
    assert_int_equal(st_ix_set_note(fx_db, ix, "perdue", "Élise", &e), ST_ERR_READONLY);
    assert_non_null(strstr(e.msg, "the disk holding the study has become read-only"));
    assert_non_null(strstr(e.msg, "nothing was recorded"));
    fault_errno = EDQUOT;
    assert_int_equal(st_ix_set_note(fx_db, ix, "perdue", "Élise", &e), ST_ERR_FULL);
    assert_non_null(strstr(e.msg, "your disk quota is reached; nothing was recorded"));
    fault_errno = 0;
    fx_ok(st_ix_set_note(fx_db, ix, "gardée", "Élise", &e), &e);
    back_on_a_good_disk();
    assert_true(fx_intact(fx_path));
    assert_int_equal(fx_count("SELECT count(*) FROM interaction_code WHERE code_id = 'caf'"), 1);
    assert_int_equal(fx_count("SELECT count(*) FROM interaction WHERE note = 'gardée'"), 1);
    /* create, code, note: the refused notes left no audit row. */
    assert_int_equal(fx_count("SELECT count(*) FROM audit"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wal_and_shm_files_are_private_whatever_the_umask, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_only_study_refuses_to_record_and_still_reads, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_only_folder_is_named_and_the_study_still_reads, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_only_shm_left_by_another_program_is_named, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_file_size_limit_refuses_the_write_and_loses_nothing, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_study_locked_by_another_program_is_reported_then_recorded, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_study_is_reported_damaged_for_reading_and_writing, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_overwritten_pages_are_reported_damaged, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_one_megabyte_note_round_trips_with_its_audit, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_a_disk_turned_read_only_or_over_quota_is_named_and_nothing_is_lost,
                                        fx_setup, fx_teardown),
        cmocka_unit_test(test_pathological_pattern_gives_up_and_ordinary_ones_still_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
