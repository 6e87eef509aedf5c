/*
 * st_observe.c — the coding screen's side of the study (st_observe.h).
 *
 * st_apply_change() adds no SQL of its own to the write path: each change
 * goes through the one st_interaction.h function that records it, so the
 * rules of that file (one transaction, its audit row, derived columns)
 * hold for the screen without being written twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "store/st_observe.h"
#include "store/store_internal.h"

/* The derived flags of an interaction, read back after its change. */
static st_code derived(st_db *db, const char *ix, cod_result *r, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "SELECT incomplete, paused_seconds FROM interaction WHERE id = ?1", e))
        return e->code;
    st_bind_text(st, 1, ix);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->incomplete = sqlite3_column_int(st, 0);
        r->paused_seconds = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_fail(db, e, _("reading an interaction"));
    return ST_OK;
}

st_code st_apply_change(st_db *db, const st_session_ctx *ctx, const cod_change *c, cod_result *r, st_error *e)
{
    memset(r, 0, sizeof *r);
    const char *who = ctx->who;
    const char *ix = c->ix;
    char note_id[UUID_STRLEN];
    st_code rc = ST_OK;
    switch (c->kind) {
    case COD_START:
        rc = st_ix_start(db, ctx, c->at, r->id, e);
        ix = r->id;
        break;
    case COD_TALLY:
        rc = st_ix_tally(db, ctx, c->dim_id, c->code_id, c->at, r->id, e);
        ix = r->id;
        break;
    case COD_CODE:
        rc = st_ix_set_code(db, ix, c->dim_id, c->code_id, c->on, c->text, who, e);
        break;
    case COD_TEXT:
        rc = st_ix_set_text(db, ix, c->dim_id, c->text, who, e);
        break;
    case COD_NOTE:
        rc = st_ix_set_note(db, ix, c->text, who, e);
        break;
    case COD_END:
        rc = st_ix_end(db, ix, c->at, who, e);
        break;
    case COD_REOPEN:
        rc = st_ix_reopen(db, ix, who, e);
        break;
    case COD_TIMES:
        rc = st_ix_set_times(db, ix, c->at, c->until[0] ? c->until : NULL, who, e);
        break;
    case COD_DELETE:
    case COD_RESTORE:
        rc = st_ix_set_deleted(db, ix, c->kind == COD_DELETE, who, e);
        break;
    case COD_PAUSE:
        return st_session_pause(db, ctx->session_id, c->at, e);
    case COD_RESUME:
        return st_session_resume(db, ctx->session_id, c->at, e);
    case COD_FIELD_NOTE:
        return st_session_note_add(db, ctx->session_id, c->text, c->at, note_id, e);
    case COD_NONE:
        return ST_OK;
    }
    if (rc)
        return rc;
    /* The change is committed; a failure to read its flags back is only a
     * flag not refreshed on screen, never a change lost. */
    st_error ignored;
    derived(db, ix, r, &ignored);
    return ST_OK;
}

st_code st_names(st_db *db, const char *what, char ***out, size_t *n, st_error *e)
{
    *out = NULL;
    *n = 0;
    bool site = !strcmp(what, "site");
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   site ? "SELECT name FROM site t ORDER BY"
                          " (SELECT max(started_at) FROM session WHERE site_id = t.id) DESC NULLS LAST, name"
                        : "SELECT name FROM observer t ORDER BY"
                          " (SELECT max(started_at) FROM session WHERE observer_id = t.id) DESC NULLS LAST, name",
                   e))
        return e->code;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = st_col_dup(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        st_names_free(*out, *n);
        *out = NULL;
        *n = 0;
        return st_fail(db, e, site ? _("reading the sites") : _("reading the observers"));
    }
    return ST_OK;
}

void st_names_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

st_code st_open_elsewhere(st_db *db, const char *observer_id, const char *session_id, st_open_ix **out, size_t *n,
                          st_error *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "SELECT i.id, i.codebook_version_id, i.started_at, i.updated_at, s.started_at"
                   " FROM interaction i JOIN session s ON s.id = i.session_id"
                   " WHERE i.observer_id = ?1 AND i.session_id <> ?2 AND i.ended_at IS NULL AND NOT i.deleted"
                   " ORDER BY i.started_at, i.id",
                   e))
        return e->code;
    st_bind_text(st, 1, observer_id);
    st_bind_text(st, 2, session_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        st_open_ix *o = &(*out)[(*n)++];
        st_col_copy(st, 0, o->id, sizeof o->id);
        st_col_copy(st, 1, o->codebook_version_id, sizeof o->codebook_version_id);
        st_col_copy(st, 2, o->started_at, sizeof o->started_at);
        st_col_copy(st, 3, o->updated_at, sizeof o->updated_at);
        st_col_copy(st, 4, o->session_started_at, sizeof o->session_started_at);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return st_fail(db, e, _("reading the interactions left open"));
    }
    return ST_OK;
}
