/*
 * st_train.c — training runs (st_train.h).
 */
#include "store/st_train.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "store/store_internal.h"

st_code st_train_start(st_db *db, const char *trainee, const char *path, const char *title, const char *source,
                       const char *version_id, char run_id[UUID_STRLEN], st_error *e)
{
    if (str_empty(trainee) || !utf8_valid(trainee, strlen(trainee)))
        return st_set(e, ST_ERR_INVALID, _("the trainee's name must be non-empty UTF-8 text"));
    char now[TS_LEN];
    ts_now(now);
    uuid_new(run_id);
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "INSERT INTO training_run (id, trainee, vignettes, codebook_version_id, started_at, title, source) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   e))
        return e->code;
    st_bind_text(st, 1, run_id);
    st_bind_text(st, 2, trainee);
    st_bind_text(st, 3, path);
    st_bind_text(st, 4, version_id);
    st_bind_text(st, 5, now);
    st_bind_text(st, 6, title);
    st_bind_text(st, 7, source);
    st_code c = st_step_done(db, st, _("starting a training run"), e);
    sqlite3_finalize(st);
    if (!c)
        c = st_setting_set(db, "last_trainee", trainee, e);
    return c;
}

st_code st_train_answer(st_db *db, const char *run_id, const char *vignette_id, int position, const cb_codebook *cb,
                        const tr_run *run, size_t vignette, st_error *e)
{
    const char *ctx = _("recording an answer");
    sqlite3_stmt *del = NULL, *seen = NULL, *ans = NULL;
    char now[TS_LEN];
    ts_now(now);
    if (st_begin(db, e))
        return e->code;
    st_code c = st_prepare(db, &del, "DELETE FROM training_answer WHERE run_id = ?1 AND vignette_id = ?2", e);
    if (!c)
        c = st_prepare(db, &seen,
                       "INSERT INTO training_vignette (run_id, vignette_id, position, answered_at) "
                       "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id, vignette_id) DO UPDATE SET "
                       "answered_at = excluded.answered_at",
                       e);
    if (!c)
        c = st_prepare(db, &ans,
                       "INSERT INTO training_answer (run_id, vignette_id, dimension_id, code_id) VALUES (?1, ?2, ?3, ?4)",
                       e);
    if (!c) {
        st_bind_text(del, 1, run_id);
        st_bind_text(del, 2, vignette_id);
        c = st_step_done(db, del, ctx, e);
    }
    if (!c) {
        st_bind_text(seen, 1, run_id);
        st_bind_text(seen, 2, vignette_id);
        sqlite3_bind_int(seen, 3, position);
        st_bind_text(seen, 4, now);
        c = st_step_done(db, seen, ctx, e);
    }
    for (size_t d = 0; d < cb->ndims && d < run->ndims && !c; d++) {
        const tr_codes *codes = tr_run_codes_c(run, vignette, d);
        for (size_t i = 0; i < codes->n && !c; i++) {
            st_bind_text(ans, 1, run_id);
            st_bind_text(ans, 2, vignette_id);
            st_bind_text(ans, 3, cb->dims[d].id);
            st_bind_text(ans, 4, codes->v[i]);
            c = st_step_done(db, ans, ctx, e);
        }
    }
    sqlite3_finalize(del);
    sqlite3_finalize(seen);
    sqlite3_finalize(ans);
    if (!c)
        c = st_commit(db, e);
    else
        st_rollback(db);
    return c;
}

st_code st_train_discard(st_db *db, const char *run_id, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "DELETE FROM training_run WHERE id = ?1 AND NOT EXISTS "
                   "(SELECT 1 FROM training_vignette WHERE run_id = ?1)",
                   e))
        return e->code;
    st_bind_text(st, 1, run_id);
    st_code c = st_step_done(db, st, _("removing an empty training run"), e);
    sqlite3_finalize(st);
    return c;
}

st_code st_train_finish(st_db *db, const char *run_id, st_error *e)
{
    char now[TS_LEN];
    ts_now(now);
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "UPDATE training_run SET ended_at = ?2 WHERE id = ?1", e))
        return e->code;
    st_bind_text(st, 1, run_id);
    st_bind_text(st, 2, now);
    st_code c = st_step_done(db, st, _("finishing a training run"), e);
    sqlite3_finalize(st);
    return c;
}

#define INFO_SQL                                                                                                      \
    "SELECT id, coalesce(codebook_version_id, ''), trainee, vignettes, title, source, started_at, ended_at "         \
    "FROM training_run "

static void fill_info(sqlite3_stmt *st, st_train_info *t)
{
    st_col_copy(st, 0, t->id, sizeof t->id);
    st_col_copy(st, 1, t->version_id, sizeof t->version_id);
    t->trainee = st_col_dup(st, 2);
    t->vignettes = st_col_dup(st, 3);
    t->title = st_col_dup(st, 4);
    t->source = st_col_dup(st, 5);
    t->started_at = st_col_dup(st, 6);
    t->ended_at = st_col_dup(st, 7);
}

void st_train_info_clear(st_train_info *t)
{
    free(t->trainee);
    free(t->vignettes);
    free(t->title);
    free(t->source);
    free(t->started_at);
    free(t->ended_at);
    memset(t, 0, sizeof *t);
}

void st_train_infos_free(st_train_info *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        st_train_info_clear(&v[i]);
    free(v);
}

st_code st_train_runs(st_db *db, const char *trainee, st_train_info **out, size_t *n, st_error *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   trainee ? INFO_SQL "WHERE trainee = ?1 ORDER BY started_at, id" : INFO_SQL "ORDER BY started_at, id",
                   e))
        return e->code;
    if (trainee)
        st_bind_text(st, 1, trainee);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        fill_info(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        st_train_infos_free(*out, *n);
        *out = NULL;
        *n = 0;
        return st_fail(db, e, _("listing training runs"));
    }
    return ST_OK;
}

st_code st_train_get(st_db *db, const char *id, st_train_info *out, st_error *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (st_prepare(db, &st, INFO_SQL "WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2", e))
        return e->code;
    st_bind_text(st, 1, id);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW && !str_empty(id)) {
        fill_info(st, out);
        found = 1;
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            found = 2;
    }
    sqlite3_finalize(st);
    if (found == 2) {
        st_train_info_clear(out);
        return st_set(e, ST_ERR_INVALID, _("%s: '%s' names several training runs; give more of the id"), db->path,
                      id);
    }
    if (!found)
        return rc == SQLITE_DONE || str_empty(id)
                   ? st_set(e, ST_ERR_NOTFOUND, _("%s: no training run '%s'"), db->path, id)
                   : st_fail(db, e, _("reading a training run"));
    return ST_OK;
}

static long index_of_vignette(const vg_set *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->items[i].id, id))
            return (long)i;
    return -1;
}

static long index_of_dim(const cb_codebook *cb, const char *id)
{
    for (size_t i = 0; i < cb->ndims; i++)
        if (!strcmp(cb->dims[i].id, id))
            return (long)i;
    return -1;
}

st_code st_train_load(st_db *db, const char *run_id, const vg_set *set, const cb_codebook *cb, tr_run *run,
                      st_error *e)
{
    sqlite3_stmt *st;
    /* Answered vignettes first (an answer may hold no code at all). */
    if (st_prepare(db, &st,
                   "SELECT vignette_id, NULL, NULL FROM training_vignette WHERE run_id = ?1 UNION ALL "
                   "SELECT vignette_id, dimension_id, code_id FROM training_answer WHERE run_id = ?1",
                   e))
        return e->code;
    st_bind_text(st, 1, run_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long v = index_of_vignette(set, (const char *)sqlite3_column_text(st, 0));
        if (v < 0)
            continue;
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            run->answered[v] = true;
            continue;
        }
        long d = index_of_dim(cb, (const char *)sqlite3_column_text(st, 1));
        if (d < 0 || (size_t)d >= run->ndims)
            continue;
        const char *code = (const char *)sqlite3_column_text(st, 2);
        tr_codes *c = tr_run_codes(run, (size_t)v, (size_t)d);
        if (!tr_codes_has(c, code))
            tr_codes_toggle(c, code);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("reading a training run"));
    return ST_OK;
}
