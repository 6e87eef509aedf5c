/*
 * st_purge.c — purging notes of a period (st_purge.h, doc/privacy.md).
 *
 * The audit log is append-only by triggers (schema step 4): an UPDATE of
 * an audit row goes through only while carnet_purge_authorized(), an
 * application-defined SQL function, is registered on the connection and
 * answers 1, and only if the row keeps all but its snapshots.  This file
 * registers it for the length of one transaction and removes it after, so
 * that no other statement, and no other program, can rewrite history.
 *
 * What counts as "before DATE" is the local date written at the start of
 * the timestamps (doc/data-model.md): substr(started_at, 1, 10) < DATE.
 */
#include "store/st_purge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "store/store_internal.h"

static void authorized(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_int(ctx, 1);
}

/* Registers (on) or removes the function the audit trigger asks for. */
static int authorize(st_db *db, bool on)
{
    return sqlite3_create_function_v2(db->db, "carnet_purge_authorized", 0,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                      on ? authorized : NULL, NULL, NULL, NULL);
}

/* The interactions whose notes go: ?1 is the date; %s the scope, when
 * the purge concerns only the interactions an attached file holds. */
#define PURGED_IX "SELECT id FROM main.interaction WHERE substr(started_at, 1, 10) < ?1%s"

/* A snapshot with its note replaced by null and "note_purged" naming the
 * purge's audit row; snapshots without a note are left as they are. */
#define SCRUB(col)                                                                                                    \
    "CASE WHEN json_extract(" col ", '$.note') IS NOT NULL"                                                           \
    " THEN json_set(" col ", '$.note', NULL, '$.note_purged', ?2) ELSE " col " END"

/* Each step of a purge, counted (dry run) or applied; every %s is the
 * scope's condition (empty for the whole study). */
static const struct {
    const char *count, *apply;
} steps[] = {
    {"SELECT count(*) FROM main.interaction WHERE substr(started_at, 1, 10) < ?1 AND note IS NOT NULL%s",
     "UPDATE main.interaction SET note = NULL, updated_at = ?3 WHERE substr(started_at, 1, 10) < ?1"
     " AND note IS NOT NULL%s"},
    {"SELECT count(*) FROM main.session_note WHERE substr(created_at, 1, 10) < ?1%s",
     "DELETE FROM main.session_note WHERE substr(created_at, 1, 10) < ?1%s"},
    {"SELECT count(*) FROM main.audit WHERE interaction_id IN (" PURGED_IX ")"
     " AND (json_extract(before, '$.note') IS NOT NULL OR json_extract(after, '$.note') IS NOT NULL)",
     "UPDATE main.audit SET before = " SCRUB("before") ", after = " SCRUB("after")
     " WHERE interaction_id IN (" PURGED_IX ")"
     " AND (json_extract(before, '$.note') IS NOT NULL OR json_extract(after, '$.note') IS NOT NULL)"},
};

/* The scope's condition for step i: only the rows that the attached
 * schema (a merge's "srcN", never input) also holds. */
static char *scoped(const char *sql, size_t i, const char *scope)
{
    if (!scope)
        return xasprintf(sql, "");
    char *cond = i == 1 ? xasprintf(" AND session_id IN (SELECT id FROM %s.session)", scope)
                        : xasprintf(" AND id IN (SELECT id FROM %s.interaction)", scope);
    char *q = xasprintf(sql, cond);
    free(cond);
    return q;
}

/* Runs sql with ?1 date, ?2 the purge's id, ?3 now; *n gets the count of
 * a SELECT or the changes of an UPDATE/DELETE. */
static st_code step(st_db *db, const char *sql, const char *date, const char *id, const char *now, long long *n,
                    st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    st_bind_text(st, 1, date);
    if (sqlite3_bind_parameter_count(st) >= 2)
        st_bind_text(st, 2, id);
    if (sqlite3_bind_parameter_count(st) >= 3)
        st_bind_text(st, 3, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        *n = sqlite3_changes64(db->db);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_fail(db, e, _("purging notes"));
    return ST_OK;
}

/* The three steps and, when anything went, the purge's own audit row, in
 * the transaction the caller holds.  The counts go to r. */
static st_code purge_rows(st_db *db, const char *date, const char *scope, bool dry_run, const char *who,
                          st_purge_result *r, st_error *e)
{
    char now[TS_LEN], id[UUID_STRLEN];
    ts_now(now);
    uuid_new(id);
    long long *counts[] = {&r->interaction_notes, &r->session_notes, &r->audit_rows};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char *sql = scoped(dry_run ? steps[i].count : steps[i].apply, i, scope);
        st_code c = step(db, sql, date, id, now, counts[i], e);
        free(sql);
        if (c)
            return c;
    }
    if (dry_run || (!r->interaction_notes && !r->session_notes && !r->audit_rows))
        return ST_OK;
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "INSERT INTO main.audit (id, interaction_id, at, who, action, before, after)"
                   " VALUES (?1, NULL, ?2, ?3, 'purge', NULL,"
                   " json_object('notes_before', ?4, 'interaction_notes', ?5, 'session_notes', ?6,"
                   " 'audit_rows', ?7))",
                   e))
        return e->code;
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, now);
    st_bind_text(st, 3, who);
    st_bind_text(st, 4, date);
    sqlite3_bind_int64(st, 5, r->interaction_notes);
    sqlite3_bind_int64(st, 6, r->session_notes);
    sqlite3_bind_int64(st, 7, r->audit_rows);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("writing the audit log"));
    snprintf(r->audit_id, sizeof r->audit_id, "%s", id);
    return ST_OK;
}

/* The purge as one transaction. */
static st_code purge_tx(st_db *db, const char *date, bool dry_run, const char *who, st_purge_result *r,
                        st_error *e)
{
    if (st_begin(db, e))
        return e->code;
    if (purge_rows(db, date, NULL, dry_run, who, r, e)) {
        r->audit_id[0] = '\0';
        st_rollback(db);
        return e->code;
    }
    if (!r->audit_id[0]) {
        st_rollback(db);
        return ST_OK;
    }
    if (st_commit(db, e)) {
        r->audit_id[0] = '\0';
        return e->code;
    }
    return ST_OK;
}

st_code st_purge_in_tx(st_db *db, const char *date, const char *scope, const char *who, st_purge_result *r,
                       st_error *e)
{
    memset(r, 0, sizeof *r);
    if (sqlite3_exec(db->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) != SQLITE_OK ||
        authorize(db, true) != SQLITE_OK)
        return st_fail(db, e, _("purging notes"));
    st_code c = purge_rows(db, date, scope, false, who, r, e);
    authorize(db, false);
    return c;
}

st_code st_purge_latest_date(st_db *db, const char *schema, char date[11], st_error *e)
{
    date[0] = '\0';
    char *sql = xasprintf("SELECT max(json_extract(after, '$.notes_before')) FROM %s.audit WHERE action = 'purge'",
                          schema);
    sqlite3_stmt *st;
    st_code c = st_prepare(db, &st, sql, e);
    free(sql);
    if (c)
        return c;
    int rc = sqlite3_step(st);
    const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    int y, m, d;
    if (v && period_parse_date((const char *)v, &y, &m, &d))
        snprintf(date, 11, "%s", (const char *)v);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("reading the audit log"));
    return ST_OK;
}

/* Rewrites the file so that the text is gone from its pages, freelist and
 * -wal: secure_delete was on for the updates; VACUUM builds the file anew
 * (its temporary copy in memory, not in /tmp); the checkpoint empties the
 * -wal.  The checkpoint cannot truncate while another connection reads an
 * older snapshot: r->wal_truncated says so. */
st_code st_purge_rewrite(st_db *db, st_purge_result *r, st_error *e)
{
    if (sqlite3_exec(db->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db->db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK)
        return st_fail(db, e, _("rewriting the study after the purge"));
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "PRAGMA wal_checkpoint(TRUNCATE)", e))
        return e->code;
    int rc = sqlite3_step(st);
    r->wal_truncated = rc == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("rewriting the study after the purge"));
    return ST_OK;
}

st_code st_purge_notes(st_db *db, const char *date, bool dry_run, const char *who, st_purge_result *r,
                       st_error *e)
{
    memset(r, 0, sizeof *r);
    int y, m, d;
    if (!period_parse_date(date, &y, &m, &d))
        return st_set(e, ST_ERR_INVALID, _("invalid date '%s': expected YYYY-MM-DD such as 2026-09-14"), date);
    if (db->readonly)
        return st_set(e, ST_ERR_READONLY, _("%s: opened for reading only"), db->path);
    if (sqlite3_exec(db->db, "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY", NULL, NULL, NULL) !=
        SQLITE_OK)
        return st_fail(db, e, _("purging notes"));
    if (authorize(db, true) != SQLITE_OK)
        return st_fail(db, e, _("purging notes"));
    st_code c = purge_tx(db, date, dry_run, who, r, e);
    authorize(db, false);
    if (c || dry_run)
        return c;
    return st_purge_rewrite(db, r, e);
}
