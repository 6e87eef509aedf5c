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
/* The column's text, owned by the statement until its next step; "" when
 * SQL NULL. */
const char *st_col_text(sqlite3_stmt *st, int i);
/* The column's text copied into out (n bytes, cut to fit), "" when NULL. */
void st_col_copy(sqlite3_stmt *st, int i, char *out, size_t n);

/* Steps a statement that returns no row once, then resets it and clears
 * its bindings so that it can be run again; ST_OK when it ran to its end,
 * else the error through st_fail() with ctx. */
st_code st_step_done(st_db *db, sqlite3_stmt *st, const char *ctx, st_error *e);

/*
 * The interaction of alias I, in the schema S, as the JSON object the audit
 * log keeps (doc/data-model.md), as an SQL expression: one definition for
 * every writer (the live-coding write path, merge), so that snapshots have
 * one shape whoever writes them.  S and I are string literals: "main" and
 * "i", or "@S" where st_merge.c puts the name of an attached source.
 */
#define ST_IX_SNAPSHOT(S, I)                                                                                           \
    "json_object('id', " I ".id, 'session', " I ".session_id, 'codebook_version', " I ".codebook_version_id, "         \
    "'started_at', " I ".started_at, 'ended_at', " I ".ended_at, 'incomplete', " I ".incomplete, "                    \
    "'tally', " I ".tally, 'deleted', " I ".deleted, 'paused_seconds', " I ".paused_seconds, 'note', " I ".note, "    \
    "'codes', json((SELECT json_group_array(json_object('dimension', c.dimension_id, 'code', c.code_id, "             \
    "'other', c.other_text)) FROM (SELECT * FROM " S ".interaction_code c0 WHERE c0.interaction_id = " I ".id "      \
    "ORDER BY c0.dimension_id, c0.code_id) c)), "                                                                     \
    "'texts', json((SELECT json_group_array(json_object('dimension', t.dimension_id, 'text', t.text)) "               \
    "FROM (SELECT * FROM " S ".interaction_text t0 WHERE t0.interaction_id = " I ".id "                               \
    "ORDER BY t0.dimension_id) t)))"

/*
 * The incomplete rule of doc/data-model.md, as an SQL expression on the
 * interaction row named I: not a tally, and an active required dimension
 * of its codebook version with neither a code nor a text.  st_interaction.c
 * derives it after every change, st_demo.c after each demo interaction.
 */
#define ST_SQL_INCOMPLETE(I)                                                                                     \
    "(" I ".tally = 0 AND EXISTS ("                                                                              \
    " SELECT 1 FROM dimension d WHERE d.version_id = " I ".codebook_version_id AND d.required AND NOT d.retired" \
    " AND NOT EXISTS (SELECT 1 FROM interaction_code c WHERE c.interaction_id = " I ".id"                        \
    "                 AND c.dimension_id = d.id)"                                                                \
    " AND NOT EXISTS (SELECT 1 FROM interaction_text t WHERE t.interaction_id = " I ".id"                        \
    "                 AND t.dimension_id = d.id)))"

#endif
