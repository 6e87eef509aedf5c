/*
 * fixture.h — a small study for the store tests that need one: a temporary
 * folder, a study with a two-dimension codebook and an open session, and
 * helpers that look at the file through a separate SQLite connection (as
 * another program would) or as another user.
 *
 * Include after unit.h.  One study per test (fx_setup / fx_teardown).
 */
#ifndef CARNET_TESTS_FIXTURE_H
#define CARNET_TESTS_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/util.h"
#include "store/st_interaction.h"

static char fx_dir[64] __attribute__((unused));
static char fx_path[128] __attribute__((unused));
static st_db *fx_db __attribute__((unused));
static st_session_ctx fx_ctx __attribute__((unused));

static const char FX_CODEBOOK[] __attribute__((unused)) =
    "carnet_codebook: 1\nid: t\ntitle: T\nlanguage: fr\nversion: 1\n"
                                  "dimensions:\n  - id: demande\n    label: Demande\n    required: true\n"
                                  "    codes:\n      - id: caf\n        key: c\n        label: CAF\n"
                                  "        definition: x\n        when_to_use: x\n        when_not_to_use: x\n"
                                  "        example: x\n  - id: commune\n    label: Commune\n    mode: text\n";

static inline void fx_ok(st_code c, const st_error *e)
{
    if (c != ST_OK)
        fail_msg("store: %s", e->msg);
}

static inline int fx_setup(void **state)
{
    (void)state;
    snprintf(fx_dir, sizeof fx_dir, "/tmp/carnet-fx-XXXXXX");
    if (!mkdtemp(fx_dir))
        return -1;
    chmod(fx_dir, 0755);
    snprintf(fx_path, sizeof fx_path, "%s/study.db", fx_dir);
    st_error e = {0};
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_parse("t.yaml", FX_CODEBOOK, strlen(FX_CODEBOOK), &cb, &d))
        return -1;
    char vid[UUID_STRLEN];
    int rc = st_create(fx_path, "t", &fx_db, &e) || st_codebook_add(fx_db, cb, "src", vid, &e) ||
             st_session_open(fx_db, "CDAS", "Élise", NULL, "2026-09-14T09:00:00+02:00", &fx_ctx, &e);
    cb_free(cb);
    if (rc)
        fprintf(stderr, "setup: %s\n", e.msg);
    return rc ? -1 : 0;
}

static inline int fx_teardown(void **state)
{
    (void)state;
    st_close(fx_db);
    fx_db = NULL;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwX '%s'; rm -rf '%s'", fx_dir, fx_dir);
    return system(cmd);
}

/* One integer from file p through a separate read-only connection, as
 * another program reading the file would see it; -1 on failure. */
static inline long long fx_count_in(const char *p, const char *sql)
{
    sqlite3 *c;
    sqlite3_stmt *st;
    long long n = -1;
    sqlite3_open_v2(p, &c, SQLITE_OPEN_READONLY, NULL);
    if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(c);
    return n;
}

static inline long long fx_count(const char *sql)
{
    return fx_count_in(fx_path, sql);
}

/* PRAGMA integrity_check of file p is "ok". */
static inline bool fx_intact(const char *p)
{
    sqlite3 *c;
    sqlite3_stmt *st;
    bool ok = false;
    sqlite3_open_v2(p, &c, SQLITE_OPEN_READONLY, NULL);
    if (sqlite3_prepare_v2(c, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        ok = !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(c);
    return ok;
}

/* Whether path exists. */
static inline bool fx_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The mode bits of path, or -1. */
static inline int fx_mode(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

/*
 * Runs fn in a child process, as the unprivileged user "nobody" when the
 * tests run as root (root ignores file permissions, which the read-only
 * tests are about); the fixture's folder is handed to that user first.
 * fn returns 0 when its checks pass, or the line of the one that failed.
 * No SQLite connection may be open across the fork: close fx_db first.
 */
static inline int fx_as_user(int (*fn)(void))
{
    bool root = geteuid() == 0;
    if (root) {
        char cmd[160];
        snprintf(cmd, sizeof cmd, "chown -R 65534:65534 '%s'", fx_dir);
        if (system(cmd) != 0)
            return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (root && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(255);
        _exit(fn());
    }
    int status;
    waitpid(pid, &status, 0);
    if (root) {
        char cmd[160];
        snprintf(cmd, sizeof cmd, "chown -R 0:0 '%s'", fx_dir);
        if (system(cmd) != 0)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

/* In a child run by fx_as_user: return the line of the first failed check. */
#define FX_CHECK(cond)                                                                                               \
    do {                                                                                                             \
        if (!(cond)) {                                                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                                 \
            return __LINE__ % 250 + 1;                                                                               \
        }                                                                                                            \
    } while (0)

#endif
