/*
 * unit.h — what carnet's cmocka tests share: cmocka itself, and for the
 * tests of the store, a folder of their own for study files and reading a
 * study back through a connection of its own, as another program would.
 */
#ifndef CARNET_TESTS_UNIT_H
#define CARNET_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Makes a new empty folder /tmp/carnet-NAME-XXXXXX, its path in dir (n
 * bytes); false when it cannot. */
static inline bool unit_tmpdir(char *dir, size_t n, const char *name)
{
    snprintf(dir, n, "/tmp/carnet-%s-XXXXXX", name);
    return mkdtemp(dir) != NULL;
}

/* Removes a folder made by unit_tmpdir() and all it holds; 0 when done. */
static inline int unit_rmdir(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

/* The integer the query gives, read from the study at path through a
 * connection of its own (what is there is committed); fails the test when
 * the query does not run. */
static inline long long unit_count(const char *path, const char *sql)
{
    sqlite3 *c;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL);
    if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        fail_msg("%s: %s", sql, sqlite3_errmsg(c));
    sqlite3_finalize(st);
    sqlite3_close(c);
    return n;
}

/* Runs SQL on the study at path (to set up a case the program would not
 * write); fails the test when it does not run. */
static inline void unit_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s", err);
    sqlite3_close(db);
}

#endif
