/*
 * st_interaction.c — sessions, pauses, interactions and their audit log
 * (st_interaction.h, doc/data-model.md).
 *
 * Every change to an interaction goes through audited(): it takes the write
 * lock (BEGIN IMMEDIATE), snapshots the interaction, applies the change,
 * recomputes the derived columns (incomplete, paused_seconds, updated_at),
 * snapshots it again, appends the audit row and commits.  When the caller
 * already holds a transaction (a bulk writer), audited() joins it and leaves
 * the commit to the caller.  Snapshots are built by SQLite's JSON functions
 * so that they have one shape whoever writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "store/st_interaction.h"
#include "store/store_internal.h"

/* ---- small statement helpers ------------------------------------------ */

/* Prepares sql, binds the n texts of args in order (NULL binds SQL NULL),
 * steps it once, and expects no row.  ctx names the operation for errors. */
static st_code run(st_db *db, const char *sql, const char *const *args, int n, const char *ctx, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    for (int i = 0; i < n; i++)
        st_bind_text(st, i + 1, args[i]);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return st_fail(db, e, ctx);
    return ST_OK;
}

/* As run(), for a query returning one text column of one row: *out is a new
 * string, or NULL when there is no row or the value is NULL. */
static st_code query_text(st_db *db, const char *sql, const char *const *args, int n, char **out, const char *ctx,
                          st_error *e)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    for (int i = 0; i < n; i++)
        st_bind_text(st, i + 1, args[i]);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = st_col_dup(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return st_fail(db, e, ctx);
    return ST_OK;
}

/* A timestamp given by the caller, or now.  Refuses text that is not one. */
static st_code time_or_now(const char *at, char out[TS_LEN], st_error *e)
{
    if (!at) {
        ts_now(out);
        return ST_OK;
    }
    time_t t;
    if (!ts_parse(at, &t))
        return st_set(e, ST_ERR_INVALID, _("'%s' is not a time of the form 2026-09-14T09:05:12+02:00"), at);
    snprintf(out, TS_LEN, "%s", at);
    return ST_OK;
}

/* Text that may be stored: UTF-8 (free text may hold newlines and tabs,
 * never NUL, which C strings cannot carry anyway). */
static st_code check_text(const char *s, const char *what, st_error *e)
{
    if (s && !utf8_valid(s, strlen(s)))
        return st_set(e, ST_ERR_INVALID, _("the %s is not valid UTF-8 text"), what);
    return ST_OK;
}

/* ---- snapshots and the audit log -------------------------------------- */

/* The same snapshot as every other writer's (store_internal.h). */
static const char SNAPSHOT_SQL[] = "SELECT " ST_IX_SNAPSHOT("main", "i") " FROM main.interaction i WHERE i.id = ?1";

st_code st_ix_snapshot(st_db *db, const char *ix, char **json, st_error *e)
{
    if (query_text(db, SNAPSHOT_SQL, &ix, 1, json, _("reading an interaction"), e))
        return e->code;
    if (!*json)
        return st_set(e, ST_ERR_NOTFOUND, _("no interaction %s in the study"), ix);
    return ST_OK;
}

/* The columns derived from the others: see doc/data-model.md.  Paused time
 * is the overlap of the interaction with the session's pauses (an open
 * pause or interaction reaching to now). */
static const char DERIVE_SQL[] =
    "UPDATE interaction SET"
    " incomplete = " ST_SQL_INCOMPLETE("interaction") ","
    " paused_seconds = CASE WHEN tally THEN 0 ELSE (SELECT coalesce(sum(max(0,"
    "   min(unixepoch(coalesce(interaction.ended_at, ?2)), unixepoch(coalesce(p.ended_at, ?2)))"
    "   - max(unixepoch(interaction.started_at), unixepoch(p.started_at)))), 0)"
    "   FROM pause p WHERE p.session_id = interaction.session_id) END,"
    " updated_at = ?2"
    " WHERE id = ?1";

typedef st_code (*change_fn)(st_db *db, const char *ix, const void *arg, st_error *e);

/*
 * Applies change to interaction ix with its audit row, as one transaction
 * (or inside the caller's).  A change that creates the interaction passes
 * creating = true: there is no "before".
 */
static st_code audited(st_db *db, const char *ix, const char *action, const char *who, bool creating,
                       change_fn change, const void *arg, st_error *e)
{
    bool own_tx = sqlite3_get_autocommit(db->db);
    if (own_tx && st_begin(db, e))
        return e->code;
    char *before = NULL, *after = NULL;
    char now[TS_LEN], aid[UUID_STRLEN];
    ts_now(now);
    uuid_new(aid);
    if (!creating && st_ix_snapshot(db, ix, &before, e))
        goto fail;
    if (change(db, ix, arg, e))
        goto fail;
    const char *dargs[] = {ix, now};
    if (run(db, DERIVE_SQL, dargs, 2, _("recording an interaction"), e) || st_ix_snapshot(db, ix, &after, e))
        goto fail;
    const char *aargs[] = {aid, ix, now, who, action, before, after};
    if (run(db,
            "INSERT INTO audit (id, interaction_id, at, who, action, before, after)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            aargs, 7, _("writing the audit log"), e))
        goto fail;
    if (own_tx && st_commit(db, e))
        goto fail_committed;
    free(before);
    free(after);
    return ST_OK;
fail:
    if (own_tx)
        st_rollback(db);
fail_committed:
    free(before);
    free(after);
    return e->code;
}

/* ---- sessions ---------------------------------------------------------- */

st_code st_session_open(st_db *db, const char *site, const char *observer, const char *version_id, const char *at,
                        st_session_ctx *ctx, st_error *e)
{
    memset(ctx, 0, sizeof *ctx);
    char ts[TS_LEN];
    if (time_or_now(at, ts, e))
        return e->code;
    if (st_begin(db, e))
        return e->code;
    char *vid = NULL;
    if (version_id)
        vid = xstrdup(version_id);
    else if (query_text(db, "SELECT id FROM codebook_version ORDER BY seq DESC LIMIT 1", NULL, 0, &vid,
                        _("reading the codebook"), e))
        goto fail;
    if (!vid) {
        st_set(e, ST_ERR_NOTFOUND, _("%s: the study has no codebook; add one with 'carnet codebook import FILE'"),
               db->path);
        goto fail;
    }
    snprintf(ctx->codebook_version_id, sizeof ctx->codebook_version_id, "%s", vid);
    snprintf(ctx->who, sizeof ctx->who, "%s", observer);
    uuid_new(ctx->session_id);
    const char *args[] = {ctx->session_id, ctx->site_id, ctx->observer_id, vid, ts};
    if (st_site_ensure(db, site, ctx->site_id, e) || st_observer_ensure(db, observer, ctx->observer_id, e) ||
        run(db,
            "INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5)",
            args, 5, _("opening the session"), e) ||
        st_setting_set(db, "last_site", site, e) || st_setting_set(db, "last_observer", observer, e) ||
        st_commit(db, e))
        goto fail;
    free(vid);
    return ST_OK;
fail:
    st_rollback(db);
    free(vid);
    memset(ctx, 0, sizeof *ctx);
    return e->code;
}

st_code st_session_close(st_db *db, const char *session_id, const char *at, st_error *e)
{
    char ts[TS_LEN];
    if (time_or_now(at, ts, e) || st_begin(db, e))
        return e->code;
    const char *args[] = {session_id, ts};
    if (run(db, "UPDATE pause SET ended_at = ?2 WHERE session_id = ?1 AND ended_at IS NULL", args, 2,
            _("closing the session"), e) ||
        run(db, "UPDATE session SET ended_at = ?2 WHERE id = ?1", args, 2, _("closing the session"), e) ||
        st_commit(db, e)) {
        st_rollback(db);
        return e->code;
    }
    return ST_OK;
}

st_code st_session_paused(st_db *db, const char *session_id, bool *paused, st_error *e)
{
    char *id;
    if (query_text(db, "SELECT id FROM pause WHERE session_id = ?1 AND ended_at IS NULL", &session_id, 1, &id,
                   _("reading the session"), e))
        return e->code;
    *paused = id != NULL;
    free(id);
    return ST_OK;
}

st_code st_session_pause(st_db *db, const char *session_id, const char *at, st_error *e)
{
    char ts[TS_LEN], id[UUID_STRLEN];
    bool paused;
    if (time_or_now(at, ts, e) || st_begin(db, e))
        return e->code;
    if (st_session_paused(db, session_id, &paused, e))
        goto fail;
    if (paused) {
        st_set(e, ST_ERR_INVALID, _("the session is already paused"));
        goto fail;
    }
    uuid_new(id);
    const char *args[] = {id, session_id, ts};
    if (run(db, "INSERT INTO pause (id, session_id, started_at) VALUES (?1, ?2, ?3)", args, 3,
            _("pausing the session"), e) ||
        st_commit(db, e))
        goto fail;
    return ST_OK;
fail:
    st_rollback(db);
    return e->code;
}

st_code st_session_resume(st_db *db, const char *session_id, const char *at, st_error *e)
{
    char ts[TS_LEN];
    bool paused;
    if (time_or_now(at, ts, e) || st_begin(db, e))
        return e->code;
    if (st_session_paused(db, session_id, &paused, e))
        goto fail;
    if (!paused) {
        st_set(e, ST_ERR_INVALID, _("the session is not paused"));
        goto fail;
    }
    const char *args[] = {session_id, ts};
    if (run(db, "UPDATE pause SET ended_at = max(?2, started_at) WHERE session_id = ?1 AND ended_at IS NULL", args,
            2, _("resuming the session"), e) ||
        st_commit(db, e))
        goto fail;
    return ST_OK;
fail:
    st_rollback(db);
    return e->code;
}

st_code st_session_note_add(st_db *db, const char *session_id, const char *text, const char *at, char id[UUID_STRLEN],
                            st_error *e)
{
    char ts[TS_LEN];
    if (time_or_now(at, ts, e) || check_text(text, _("note"), e))
        return e->code;
    if (str_empty(text))
        return st_set(e, ST_ERR_INVALID, _("an empty note is not recorded"));
    uuid_new(id);
    const char *args[] = {id, session_id, ts, text};
    return run(db, "INSERT INTO session_note (id, session_id, created_at, text) VALUES (?1, ?2, ?3, ?4)", args, 4,
               _("recording the field note"), e);
}

/* ---- creating interactions -------------------------------------------- */

typedef struct create_arg {
    const st_session_ctx *ctx;
    const char *at;
    int tally;
    const char *dim, *code; /* tally only */
} create_arg;

static st_code check_code(st_db *db, const char *ix, const char *dim, const char *code, bool need_active,
                          st_error *e);

static st_code do_create(st_db *db, const char *ix, const void *varg, st_error *e)
{
    const create_arg *a = varg;
    const char *tally = a->tally ? "1" : "0";
    const char *args[] = {ix,        a->ctx->session_id, a->ctx->site_id, a->ctx->observer_id,
                          a->ctx->codebook_version_id, a->at, a->tally ? a->at : NULL, tally};
    if (run(db,
            "INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id, started_at,"
            " ended_at, tally, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?6)",
            args, 8, _("recording an interaction"), e))
        return e->code;
    if (!a->tally)
        return ST_OK;
    if (check_code(db, ix, a->dim, a->code, true, e))
        return e->code;
    const char *cargs[] = {ix, a->dim, a->code};
    return run(db, "INSERT INTO interaction_code (interaction_id, dimension_id, code_id) VALUES (?1, ?2, ?3)", cargs,
               3, _("recording a code"), e);
}

st_code st_ix_start(st_db *db, const st_session_ctx *ctx, const char *at, char id[UUID_STRLEN], st_error *e)
{
    char ts[TS_LEN];
    if (time_or_now(at, ts, e))
        return e->code;
    uuid_new(id);
    create_arg a = {ctx, ts, 0, NULL, NULL};
    return audited(db, id, "create", ctx->who, true, do_create, &a, e);
}

st_code st_ix_tally(st_db *db, const st_session_ctx *ctx, const char *dim, const char *code, const char *at,
                    char id[UUID_STRLEN], st_error *e)
{
    char ts[TS_LEN];
    if (time_or_now(at, ts, e))
        return e->code;
    uuid_new(id);
    create_arg a = {ctx, ts, 1, dim, code};
    return audited(db, id, "tally", ctx->who, true, do_create, &a, e);
}

/* ---- codes and answers ------------------------------------------------- */

/* Checks that dim (and code, when not NULL) exist in the codebook version
 * of interaction ix; need_active also refuses retired ones and headings.  Sets *mode to
 * the dimension's mode when mode is not NULL. */
static st_code check_dim(st_db *db, const char *ix, const char *dim, char **mode, st_error *e)
{
    const char *args[] = {ix, dim};
    char *m;
    if (query_text(db,
                   "SELECT d.mode FROM interaction i JOIN dimension d ON d.version_id = i.codebook_version_id"
                   " WHERE i.id = ?1 AND d.id = ?2",
                   args, 2, &m, _("reading the codebook"), e))
        return e->code;
    if (!m)
        return st_set(e, ST_ERR_INVALID, _("no dimension '%s' in the codebook of interaction %s"), dim, ix);
    if (mode)
        *mode = m;
    else
        free(m);
    return ST_OK;
}

static st_code check_code(st_db *db, const char *ix, const char *dim, const char *code, bool need_active,
                          st_error *e)
{
    const char *args[] = {ix, dim, code};
    char *state;
    if (query_text(db,
                   "SELECT CASE WHEN c.retired THEN 'retired' WHEN NOT c.codable THEN 'heading' ELSE 'active' END"
                   " FROM interaction i JOIN code c ON c.version_id = i.codebook_version_id"
                   " WHERE i.id = ?1 AND c.dimension_id = ?2 AND c.id = ?3",
                   args, 3, &state, _("reading the codebook"), e))
        return e->code;
    if (!state)
        return st_set(e, ST_ERR_INVALID, _("no code '%s' in dimension '%s' of the codebook of interaction %s"), code,
                      dim, ix);
    bool retired = !strcmp(state, "retired"), heading = !strcmp(state, "heading");
    free(state);
    if (need_active && retired)
        return st_set(e, ST_ERR_INVALID, _("code '%s' is retired and can no longer be chosen"), code);
    /* A heading (codable: false) only groups the codes under it. */
    if (need_active && heading)
        return st_set(e, ST_ERR_INVALID, _("code '%s' is a heading: it groups the codes under it and cannot be chosen"),
                      code);
    return ST_OK;
}

typedef struct code_arg {
    const char *dim, *code, *other;
    bool on;
} code_arg;

static st_code do_code(st_db *db, const char *ix, const void *varg, st_error *e)
{
    const code_arg *a = varg;
    const char *args[] = {ix, a->dim, a->code, a->other};
    if (!a->on)
        return run(db, "DELETE FROM interaction_code WHERE interaction_id = ?1 AND dimension_id = ?2 AND code_id = ?3",
                   args, 3, _("removing a code"), e);
    char *mode = NULL;
    if (check_dim(db, ix, a->dim, &mode, e))
        return e->code;
    bool single = !strcmp(mode, "single"), text = !strcmp(mode, "text");
    free(mode);
    if (text)
        return st_set(e, ST_ERR_INVALID, _("dimension '%s' takes free text, not codes"), a->dim);
    /* Choosing the code already chosen keeps it (and updates its text);
     * a retired code may stay on an interaction, never be newly chosen. */
    char *had;
    if (query_text(db,
                   "SELECT code_id FROM interaction_code WHERE interaction_id = ?1 AND dimension_id = ?2"
                   " AND code_id = ?3",
                   args, 3, &had, _("reading an interaction"), e))
        return e->code;
    bool already = had != NULL;
    free(had);
    if (!already && check_code(db, ix, a->dim, a->code, true, e))
        return e->code;
    if (single &&
        run(db, "DELETE FROM interaction_code WHERE interaction_id = ?1 AND dimension_id = ?2 AND code_id <> ?3", args,
            3, _("recording a code"), e))
        return e->code;
    return run(db,
               "INSERT INTO interaction_code (interaction_id, dimension_id, code_id, other_text)"
               " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET other_text = excluded.other_text",
               args, 4, _("recording a code"), e);
}

st_code st_ix_set_code(st_db *db, const char *ix, const char *dim, const char *code, bool on, const char *other_text,
                       const char *who, st_error *e)
{
    if (check_text(other_text, _("answer"), e))
        return e->code;
    code_arg a = {dim, code, str_empty(other_text) ? NULL : other_text, on};
    return audited(db, ix, on ? "code" : "uncode", who, false, do_code, &a, e);
}

typedef struct text_arg {
    const char *dim, *text;
} text_arg;

static st_code do_text(st_db *db, const char *ix, const void *varg, st_error *e)
{
    const text_arg *a = varg;
    char *mode = NULL;
    if (check_dim(db, ix, a->dim, &mode, e))
        return e->code;
    bool text = !strcmp(mode, "text");
    free(mode);
    if (!text)
        return st_set(e, ST_ERR_INVALID, _("dimension '%s' takes codes, not free text"), a->dim);
    const char *args[] = {ix, a->dim, a->text};
    if (!a->text)
        return run(db, "DELETE FROM interaction_text WHERE interaction_id = ?1 AND dimension_id = ?2", args, 2,
                   _("removing an answer"), e);
    return run(db,
               "INSERT INTO interaction_text (interaction_id, dimension_id, text) VALUES (?1, ?2, ?3)"
               " ON CONFLICT DO UPDATE SET text = excluded.text",
               args, 3, _("recording an answer"), e);
}

st_code st_ix_set_text(st_db *db, const char *ix, const char *dim, const char *text, const char *who, st_error *e)
{
    if (check_text(text, _("answer"), e))
        return e->code;
    text_arg a = {dim, str_empty(text) ? NULL : text};
    return audited(db, ix, "text", who, false, do_text, &a, e);
}

/* ---- the note, times, deletion ---------------------------------------- */

typedef struct col_arg {
    const char *sql; /* ?1 is the interaction, ?2 and ?3 the values */
    const char *v2, *v3;
    const char *ctx;
} col_arg;

static st_code do_update(st_db *db, const char *ix, const void *varg, st_error *e)
{
    const col_arg *a = varg;
    char *found;
    if (query_text(db, "SELECT id FROM interaction WHERE id = ?1", &ix, 1, &found, a->ctx, e))
        return e->code;
    if (!found)
        return st_set(e, ST_ERR_NOTFOUND, _("no interaction %s in the study"), ix);
    free(found);
    const char *args[] = {ix, a->v2, a->v3};
    return run(db, a->sql, args, 3, a->ctx, e);
}

st_code st_ix_set_note(st_db *db, const char *ix, const char *note, const char *who, st_error *e)
{
    if (check_text(note, _("note"), e))
        return e->code;
    col_arg a = {"UPDATE interaction SET note = ?2 WHERE id = ?1", str_empty(note) ? NULL : note, NULL,
                 _("recording the note")};
    return audited(db, ix, "note", who, false, do_update, &a, e);
}

/* Refuses an end before the start; both as stored text or given. */
static st_code check_order(st_db *db, const char *ix, const char *start, const char *end, st_error *e)
{
    char *s = NULL;
    if (!start) {
        if (query_text(db, "SELECT started_at FROM interaction WHERE id = ?1", &ix, 1, &s,
                       _("reading an interaction"), e))
            return e->code;
        if (!s)
            return st_set(e, ST_ERR_NOTFOUND, _("no interaction %s in the study"), ix);
        start = s;
    }
    time_t a, b;
    st_code c = ST_OK;
    if (end && ts_parse(start, &a) && ts_parse(end, &b) && b < a)
        c = st_set(e, ST_ERR_INVALID, _("an interaction cannot end (%s) before it starts (%s)"), end, start);
    free(s);
    return c;
}

st_code st_ix_end(st_db *db, const char *ix, const char *at, const char *who, st_error *e)
{
    char ts[TS_LEN];
    if (time_or_now(at, ts, e) || check_order(db, ix, NULL, ts, e))
        return e->code;
    col_arg a = {"UPDATE interaction SET ended_at = ?2 WHERE id = ?1", ts, NULL, _("ending an interaction")};
    return audited(db, ix, "end", who, false, do_update, &a, e);
}

st_code st_ix_reopen(st_db *db, const char *ix, const char *who, st_error *e)
{
    col_arg a = {"UPDATE interaction SET ended_at = NULL WHERE id = ?1", NULL, NULL, _("reopening an interaction")};
    return audited(db, ix, "reopen", who, false, do_update, &a, e);
}

st_code st_ix_set_times(st_db *db, const char *ix, const char *started_at, const char *ended_at, const char *who,
                        st_error *e)
{
    char s[TS_LEN], t[TS_LEN];
    if (time_or_now(started_at, s, e) || (ended_at && time_or_now(ended_at, t, e)))
        return e->code;
    if (!started_at)
        return st_set(e, ST_ERR_INVALID, _("an interaction needs a start time"));
    if (check_order(db, ix, s, ended_at ? t : NULL, e))
        return e->code;
    col_arg a = {"UPDATE interaction SET started_at = ?2, ended_at = ?3 WHERE id = ?1", s, ended_at ? t : NULL,
                 _("changing the times of an interaction")};
    return audited(db, ix, "times", who, false, do_update, &a, e);
}

st_code st_ix_set_deleted(st_db *db, const char *ix, bool deleted, const char *who, st_error *e)
{
    col_arg a = {"UPDATE interaction SET deleted = ?2 WHERE id = ?1", deleted ? "1" : "0", NULL,
                 deleted ? _("deleting an interaction") : _("restoring an interaction")};
    return audited(db, ix, deleted ? "delete" : "restore", who, false, do_update, &a, e);
}

/* ---- reading ----------------------------------------------------------- */

static const char IX_COLUMNS[] = "i.id, i.session_id, i.codebook_version_id, i.started_at, i.ended_at, i.incomplete,"
                                 " i.tally, i.deleted, i.paused_seconds, i.note";

static void ix_from_row(sqlite3_stmt *st, st_ix *x)
{
    memset(x, 0, sizeof *x);
    st_col_copy(st, 0, x->id, sizeof x->id);
    st_col_copy(st, 1, x->session_id, sizeof x->session_id);
    st_col_copy(st, 2, x->codebook_version_id, sizeof x->codebook_version_id);
    st_col_copy(st, 3, x->started_at, sizeof x->started_at);
    st_col_copy(st, 4, x->ended_at, sizeof x->ended_at);
    x->incomplete = sqlite3_column_int(st, 5);
    x->tally = sqlite3_column_int(st, 6);
    x->deleted = sqlite3_column_int(st, 7);
    x->paused_seconds = sqlite3_column_int64(st, 8);
    x->note = st_col_dup(st, 9);
}

/* Fills the codes and texts of x, in the order of its codebook version. */
static st_code ix_answers(st_db *db, st_ix *x, sqlite3_stmt *codes, sqlite3_stmt *texts, st_error *e)
{
    int rc;
    size_t cap = 0;
    st_bind_text(codes, 1, x->id);
    while ((rc = sqlite3_step(codes)) == SQLITE_ROW) {
        xgrow((void **)&x->codes, &cap, x->ncodes + 1, sizeof *x->codes);
        st_ix_code *c = &x->codes[x->ncodes++];
        c->dimension_id = st_col_dup(codes, 0);
        c->code_id = st_col_dup(codes, 1);
        c->other_text = st_col_dup(codes, 2);
    }
    sqlite3_reset(codes);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("reading an interaction"));
    cap = 0;
    st_bind_text(texts, 1, x->id);
    while ((rc = sqlite3_step(texts)) == SQLITE_ROW) {
        xgrow((void **)&x->texts, &cap, x->ntexts + 1, sizeof *x->texts);
        st_ix_text *t = &x->texts[x->ntexts++];
        t->dimension_id = st_col_dup(texts, 0);
        t->text = st_col_dup(texts, 1);
    }
    sqlite3_reset(texts);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("reading an interaction"));
    return ST_OK;
}

static st_code prepare_answers(st_db *db, sqlite3_stmt **codes, sqlite3_stmt **texts, st_error *e)
{
    *texts = NULL;
    if (st_prepare(db, codes,
                   "SELECT ic.dimension_id, ic.code_id, ic.other_text FROM interaction_code ic"
                   " JOIN interaction i ON i.id = ic.interaction_id"
                   " LEFT JOIN dimension d ON d.version_id = i.codebook_version_id AND d.id = ic.dimension_id"
                   " LEFT JOIN code c ON c.version_id = i.codebook_version_id AND c.id = ic.code_id"
                   " WHERE ic.interaction_id = ?1 ORDER BY d.position, c.position, ic.code_id",
                   e))
        return e->code;
    if (st_prepare(db, texts,
                   "SELECT it.dimension_id, it.text FROM interaction_text it"
                   " JOIN interaction i ON i.id = it.interaction_id"
                   " LEFT JOIN dimension d ON d.version_id = i.codebook_version_id AND d.id = it.dimension_id"
                   " WHERE it.interaction_id = ?1 ORDER BY d.position, it.dimension_id",
                   e)) {
        sqlite3_finalize(*codes);
        *codes = NULL;
        return e->code;
    }
    return ST_OK;
}

void st_ix_free(st_ix *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->ncodes; i++) {
        free(x->codes[i].dimension_id);
        free(x->codes[i].code_id);
        free(x->codes[i].other_text);
    }
    for (size_t i = 0; i < x->ntexts; i++) {
        free(x->texts[i].dimension_id);
        free(x->texts[i].text);
    }
    free(x->codes);
    free(x->texts);
    free(x->note);
    memset(x, 0, sizeof *x);
}

/* Reads every interaction that sql (selecting IX_COLUMNS, ?1 bound to arg)
 * returns, with its answers. */
static st_code ix_query(st_db *db, const char *sql, const char *arg, st_ix **out, size_t *n, st_error *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL, *codes = NULL, *texts = NULL;
    size_t cap = 0;
    int rc = SQLITE_DONE;
    if (st_prepare(db, &st, sql, e) || prepare_answers(db, &codes, &texts, e))
        goto fail;
    st_bind_text(st, 1, arg);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        st_ix *x = &(*out)[(*n)++];
        ix_from_row(st, x);
        if (ix_answers(db, x, codes, texts, e))
            goto fail;
    }
    if (rc != SQLITE_DONE) {
        st_fail(db, e, _("reading interactions"));
        goto fail;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(codes);
    sqlite3_finalize(texts);
    return ST_OK;
fail:
    sqlite3_finalize(st);
    sqlite3_finalize(codes);
    sqlite3_finalize(texts);
    st_ix_list_free(*out, *n);
    *out = NULL;
    *n = 0;
    return e->code;
}

st_code st_ix_load(st_db *db, const char *ix, st_ix *out, st_error *e)
{
    memset(out, 0, sizeof *out);
    char *sql = xasprintf("SELECT %s FROM interaction i WHERE i.id = ?1", IX_COLUMNS);
    st_ix *v;
    size_t n;
    st_code c = ix_query(db, sql, ix, &v, &n, e);
    free(sql);
    if (c)
        return c;
    if (n == 0) {
        free(v);
        return st_set(e, ST_ERR_NOTFOUND, _("no interaction %s in the study"), ix);
    }
    *out = v[0];
    free(v);
    return ST_OK;
}

st_code st_ix_list_session(st_db *db, const char *session_id, bool with_deleted, st_ix **out, size_t *n,
                           st_error *e)
{
    char *sql = xasprintf("SELECT %s FROM interaction i WHERE i.session_id = ?1%s ORDER BY i.started_at, i.id",
                          IX_COLUMNS, with_deleted ? "" : " AND NOT i.deleted");
    st_code c = ix_query(db, sql, session_id, out, n, e);
    free(sql);
    return c;
}

void st_ix_list_free(st_ix *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        st_ix_free(&v[i]);
    free(v);
}

st_code st_audit_of(st_db *db, const char *ix, st_audit_row **out, size_t *n, st_error *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "SELECT seq, id, interaction_id, at, who, action, before, after FROM audit"
                   " WHERE interaction_id = ?1 ORDER BY seq",
                   e))
        return e->code;
    st_bind_text(st, 1, ix);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        st_audit_row *a = &(*out)[(*n)++];
        a->seq = sqlite3_column_int64(st, 0);
        a->id = st_col_dup(st, 1);
        a->interaction_id = st_col_dup(st, 2);
        a->at = st_col_dup(st, 3);
        a->who = st_col_dup(st, 4);
        a->action = st_col_dup(st, 5);
        a->before = st_col_dup(st, 6);
        a->after = st_col_dup(st, 7);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        st_audit_free(*out, *n);
        *out = NULL;
        *n = 0;
        return st_fail(db, e, _("reading the audit log"));
    }
    return ST_OK;
}

void st_audit_free(st_audit_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].interaction_id);
        free(v[i].at);
        free(v[i].who);
        free(v[i].action);
        free(v[i].before);
        free(v[i].after);
    }
    free(v);
}
