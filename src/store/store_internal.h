/*
 * store_internal.h — what the files of src/store/ share and nothing else
 * sees: the handle's layout and helpers that turn SQLite results into
 * st_error.
 */
#ifndef CARNET_STORE_INTERNAL_H
#define CARNET_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

struct st_db {
    sqlite3 *db;
    char *path;
    bool readonly;
};

/* Fills e from the connection's last error (context says what was being
 * done) and returns the matching st_code. */
st_code st_fail(st_db *db, st_error *e, const char *context);
/* Sets e to code with a formatted message and returns code. */
st_code st_set(st_error *e, st_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Runs a checking pragma (integrity_check, quick_check) whose first row
 * is "ok" when all is well; otherwise fails with ST_ERR_CORRUPT and
 * damaged_fmt, formatted with the path and the pragma's first finding. */
st_code st_check_structure(st_db *db, const char *pragma, const char *damaged_fmt, st_error *e)
    __attribute__((format(printf, 3, 0)));

/* Prepares sql or fails through st_fail. */
st_code st_prepare(st_db *db, sqlite3_stmt **st, const char *sql, st_error *e);

/* Binds text or NULL. */
void st_bind_text(sqlite3_stmt *st, int i, const char *s);
/* The column as a new string, NULL when SQL NULL. */
char *st_col_dup(sqlite3_stmt *st, int i);

#endif
