/*
 * st_demo.c — writing the synthetic desk into a study (st_demo.h).
 *
 * Ids are UUID v7 built from the moment they stand for (the interaction's
 * start, the audit row's time) and the kernel's random bytes, read in
 * batches: two demo runs with the same seed give the same interactions
 * with different ids, as two laptops recording the same day would, so that
 * merging them never mixes them up.
 */
#include "store/st_demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/i18n.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "store/store_internal.h"

/* The snapshot of doc/data-model.md ("The audit log"), built by SQLite
 * from the row as stored, for the interaction aliased i. */
#define SNAPSHOT_SQL                                                                                                 \
    "json_object('id', i.id, 'session', i.session_id, 'codebook_version', i.codebook_version_id,"                   \
    " 'started_at', i.started_at, 'ended_at', i.ended_at, 'incomplete', i.incomplete, 'tally', i.tally,"            \
    " 'deleted', i.deleted, 'paused_seconds', i.paused_seconds, 'note', i.note,"                                    \
    " 'codes', json((SELECT json_group_array(json_object('dimension', c.dimension_id, 'code', c.code_id,"           \
    "   'other', c.other_text)) FROM (SELECT * FROM interaction_code WHERE interaction_id = i.id"                  \
    "   ORDER BY dimension_id, code_id) c)),"                                                                        \
    " 'texts', json((SELECT json_group_array(json_object('dimension', t.dimension_id, 'text', t.text))"            \
    "   FROM (SELECT * FROM interaction_text WHERE interaction_id = i.id ORDER BY dimension_id) t)))"

/* The incomplete rule of doc/data-model.md: not a tally, and an active
 * required dimension of its codebook version without an answer. */
static const char SQL_INCOMPLETE[] =
    "UPDATE interaction AS i SET incomplete = (i.tally = 0 AND EXISTS ("
    " SELECT 1 FROM dimension d WHERE d.version_id = i.codebook_version_id AND d.required = 1 AND d.retired = 0"
    " AND NOT EXISTS (SELECT 1 FROM interaction_code c WHERE c.interaction_id = i.id AND c.dimension_id = d.id)"
    " AND NOT EXISTS (SELECT 1 FROM interaction_text t WHERE t.interaction_id = i.id AND t.dimension_id = d.id)))"
    " WHERE i.id = ?1";

enum { S_SESSION, S_PAUSE, S_IX, S_CODE, S_TEXT, S_INCOMPLETE, S_AUDIT, S_DELETE, S_AUDIT_DELETE, S_N };

static const char *const sql[S_N] = {
    "INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at, ended_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO pause (id, session_id, started_at, ended_at) VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id, started_at, ended_at,"
    " note, updated_at, tally, paused_seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    "INSERT INTO interaction_code (interaction_id, dimension_id, code_id, other_text) VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO interaction_text (interaction_id, dimension_id, text) VALUES (?1, ?2, ?3)",
    SQL_INCOMPLETE,
    "INSERT INTO audit (id, interaction_id, at, who, action, before, after)"
    " SELECT ?2, i.id, ?3, ?4, ?5, NULL, " SNAPSHOT_SQL " FROM interaction i WHERE i.id = ?1",
    "UPDATE interaction SET deleted = 1, updated_at = ?2 WHERE id = ?1",
    "INSERT INTO audit (id, interaction_id, at, who, action, before, after)"
    " SELECT ?2, i.id, ?3, ?4, 'delete', json_set(" SNAPSHOT_SQL ", '$.deleted', 0), " SNAPSHOT_SQL
    " FROM interaction i WHERE i.id = ?1",
};

typedef struct writer {
    st_db *db;
    sqlite3_stmt *st[S_N];
    uint8_t rnd[4096];
    size_t rnd_left;
    char version[UUID_STRLEN];
    char site_ids[DEMO_MAX_SITES][UUID_STRLEN];
    char (*obs_ids)[UUID_STRLEN];
    char session_id[UUID_STRLEN];
} writer;

/* A v7 id whose time is t (seconds) plus a few random milliseconds so that
 * ids of the same second still sort in the order they are made. */
static void id_at(writer *w, time_t t, unsigned ms, char out[UUID_STRLEN])
{
    if (w->rnd_left < 10) {
        size_t got = 0;
        while (got < sizeof w->rnd) {
            ssize_t n = getrandom(w->rnd + got, sizeof w->rnd - got, 0);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (got < sizeof w->rnd) {
            /* Without the kernel's pool, fall back on the clock-based ids. */
            uuid_new(out);
            return;
        }
        w->rnd_left = sizeof w->rnd;
    }
    w->rnd_left -= 10;
    uuid_v7_format((uint64_t)t * 1000u + ms % 1000u, w->rnd + w->rnd_left, out);
}

static st_code run(writer *w, int which, st_error *e)
{
    sqlite3_stmt *s = w->st[which];
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return st_fail(w->db, e, _("writing the demo interactions"));
    return ST_OK;
}

static st_code write_session(writer *w, const demo_session *s, st_error *e)
{
    char a[TS_LEN], b[TS_LEN], pid[UUID_STRLEN];
    id_at(w, s->start, 0, w->session_id);
    ts_format(s->start, a);
    ts_format(s->end, b);
    sqlite3_stmt *st = w->st[S_SESSION];
    st_bind_text(st, 1, w->session_id);
    st_bind_text(st, 2, w->site_ids[s->site]);
    st_bind_text(st, 3, w->obs_ids[s->observer]);
    st_bind_text(st, 4, w->version);
    st_bind_text(st, 5, a);
    st_bind_text(st, 6, b);
    if (run(w, S_SESSION, e))
        return e->code;
    if (!s->pause_start)
        return ST_OK;
    id_at(w, s->pause_start, 0, pid);
    ts_format(s->pause_start, a);
    ts_format(s->pause_end, b);
    st = w->st[S_PAUSE];
    st_bind_text(st, 1, pid);
    st_bind_text(st, 2, w->session_id);
    st_bind_text(st, 3, a);
    st_bind_text(st, 4, b);
    return run(w, S_PAUSE, e);
}

static st_code write_ix(writer *w, const cb_codebook *cb, const demo_ix *x, const char *who, st_error *e)
{
    char id[UUID_STRLEN], aid[UUID_STRLEN], start[TS_LEN], end[TS_LEN];
    id_at(w, x->start, 0, id);
    ts_format(x->start, start);
    ts_format(x->end, end);
    const char *changed = x->open ? start : end;
    sqlite3_stmt *st = w->st[S_IX];
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, w->session_id);
    st_bind_text(st, 3, w->site_ids[x->session->site]);
    st_bind_text(st, 4, w->obs_ids[x->session->observer]);
    st_bind_text(st, 5, w->version);
    st_bind_text(st, 6, start);
    st_bind_text(st, 7, x->open ? NULL : end);
    st_bind_text(st, 8, x->note);
    st_bind_text(st, 9, changed);
    sqlite3_bind_int(st, 10, x->tally);
    sqlite3_bind_int64(st, 11, x->open ? 0 : x->paused_seconds);
    if (run(w, S_IX, e))
        return e->code;
    for (size_t k = 0; k < x->ncodes; k++) {
        const cb_dimension *d = &cb->dims[x->codes[k].dim];
        st = w->st[S_CODE];
        st_bind_text(st, 1, id);
        st_bind_text(st, 2, d->id);
        st_bind_text(st, 3, d->codes[x->codes[k].code].id);
        st_bind_text(st, 4, x->codes[k].other);
        if (run(w, S_CODE, e))
            return e->code;
    }
    for (size_t k = 0; k < x->ntexts; k++) {
        st = w->st[S_TEXT];
        st_bind_text(st, 1, id);
        st_bind_text(st, 2, cb->dims[x->texts[k].dim].id);
        st_bind_text(st, 3, x->texts[k].text);
        if (run(w, S_TEXT, e))
            return e->code;
    }
    st_bind_text(w->st[S_INCOMPLETE], 1, id);
    if (run(w, S_INCOMPLETE, e))
        return e->code;
    id_at(w, x->open ? x->start : x->end, 500, aid);
    st = w->st[S_AUDIT];
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, aid);
    st_bind_text(st, 3, changed);
    st_bind_text(st, 4, who);
    st_bind_text(st, 5, x->tally ? "tally" : "create");
    if (run(w, S_AUDIT, e))
        return e->code;
    if (!x->deleted)
        return ST_OK;
    /* Deleted a couple of minutes after it was recorded. */
    time_t t = (x->open ? x->start : x->end) + 120;
    char at[TS_LEN];
    ts_format(t, at);
    st = w->st[S_DELETE];
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, at);
    if (run(w, S_DELETE, e))
        return e->code;
    id_at(w, t, 0, aid);
    st = w->st[S_AUDIT_DELETE];
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, aid);
    st_bind_text(st, 3, at);
    st_bind_text(st, 4, who);
    return run(w, S_AUDIT_DELETE, e);
}

st_code st_demo_fill(st_db *db, const demo_params *p, st_demo_progress progress, void *ctx, st_demo_result *out,
                     st_error *e)
{
    memset(out, 0, sizeof *out);
    writer w = {.db = db};
    cb_codebook *cb = NULL;
    if (st_codebook_load(db, NULL, &cb, w.version, e))
        return e->code;
    char err[256];
    demo_gen *g = demo_new(cb, p, err, sizeof err);
    if (!g) {
        cb_free(cb);
        return st_set(e, ST_ERR_INVALID, "%s", err);
    }
    int nobs = demo_observer_count(g);
    w.obs_ids = xcalloc((size_t)nobs, sizeof *w.obs_ids);
    /* A larger page cache for the one big transaction: the indexes of the
     * interactions stay in memory instead of being read back. */
    sqlite3_exec(db->db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
    if (st_begin(db, e))
        goto fail;
    for (int s = 0; s < p->sites; s++)
        if (st_site_ensure(db, demo_site_name(g, s), w.site_ids[s], e))
            goto fail;
    for (int o = 0; o < nobs; o++)
        if (st_observer_ensure(db, demo_observer_name(g, o), w.obs_ids[o], e))
            goto fail;
    for (int i = 0; i < S_N; i++)
        if (st_prepare(db, &w.st[i], sql[i], e))
            goto fail;
    demo_ix x;
    while (demo_next(g, &x)) {
        if (x.new_session) {
            if (write_session(&w, x.session, e))
                goto fail;
            out->sessions++;
        }
        if (write_ix(&w, cb, &x, demo_observer_name(g, x.session->observer), e))
            goto fail;
        char day[TS_LEN];
        if (!out->interactions) {
            ts_format(x.start, day);
            snprintf(out->first, sizeof out->first, "%.10s", day);
        }
        out->interactions++;
        out->deleted += x.deleted;
        if (progress && out->interactions % 50000 == 0)
            progress(ctx, out->interactions, p->interactions);
        ts_format(x.start, day);
        snprintf(out->last, sizeof out->last, "%.10s", day);
    }
    for (int i = 0; i < S_N; i++)
        sqlite3_finalize(w.st[i]);
    if (st_commit(db, e)) {
        memset(w.st, 0, sizeof w.st);
        goto fail;
    }
    out->sites = p->sites;
    out->observers = nobs;
    demo_free(g);
    cb_free(cb);
    free(w.obs_ids);
    return ST_OK;
fail:
    for (int i = 0; i < S_N; i++)
        sqlite3_finalize(w.st[i]);
    st_rollback(db);
    demo_free(g);
    cb_free(cb);
    free(w.obs_ids);
    return e->code;
}
