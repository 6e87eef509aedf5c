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
#define SNAPSHOT_SQL ST_IX_SNAPSHOT("main", "i")

/* The incomplete rule (store_internal.h), for the row just written. */
static const char SQL_INCOMPLETE[] =
    "UPDATE interaction AS i SET incomplete = " ST_SQL_INCOMPLETE("i") " WHERE i.rowid = ?1 RETURNING incomplete";

enum { S_SESSION, S_PAUSE, S_IX, S_TEXT, S_INCOMPLETE, S_AUDIT, S_DELETE, S_AUDIT_DELETE, S_N };

static const char *const sql[S_N] = {
    "INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at, ended_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO pause (id, session_id, started_at, ended_at) VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id, started_at, ended_at,"
    " note, updated_at, tally, paused_seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    "INSERT INTO interaction_text (interaction_id, dimension_id, text) VALUES (?1, ?2, ?3)",
    SQL_INCOMPLETE,
    /* The snapshot is built by demo_snapshot() (tests/unit/test_demo.c
     * checks it against SNAPSHOT_SQL on every row). */
    "INSERT INTO audit (id, interaction_id, at, who, action, before, after) VALUES (?2, ?1, ?3, ?4, ?5, NULL, ?6)",
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
    /* INSERT INTO interaction_code for 1, 2... rows at once: one statement
     * per interaction rather than one per code. */
    sqlite3_stmt *codes[DEMO_MAX_CODES + 1];
    strbuf json; /* the snapshot being built */
} writer;

/* Binds text that outlives the statement's step (SQLite need not copy it). */
static void bind_static(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

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
    /* Every parameter is bound again before each run. */
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
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
    bind_static(st, 1, w->session_id);
    bind_static(st, 2, w->site_ids[s->site]);
    bind_static(st, 3, w->obs_ids[s->observer]);
    bind_static(st, 4, w->version);
    bind_static(st, 5, a);
    bind_static(st, 6, b);
    if (run(w, S_SESSION, e))
        return e->code;
    if (!s->pause_start)
        return ST_OK;
    id_at(w, s->pause_start, 0, pid);
    ts_format(s->pause_start, a);
    ts_format(s->pause_end, b);
    st = w->st[S_PAUSE];
    bind_static(st, 1, pid);
    bind_static(st, 2, w->session_id);
    bind_static(st, 3, a);
    bind_static(st, 4, b);
    return run(w, S_PAUSE, e);
}

/* s as a JSON string, or null, exactly as SQLite's json_object() writes
 * it: '"' and '\\' escaped, control characters as \b \t \n \f \r or
 * \u00xx, everything else as it is. */
static void json_str(strbuf *b, const char *s)
{
    if (!s) {
        sb_add(b, "null");
        return;
    }
    static const char special[32] = {[8] = 'b', [9] = 't', [10] = 'n', [12] = 'f', [13] = 'r'};
    sb_addc(b, '"');
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c && c != '"' && c != '\\' && c > 0x1f)
            continue;
        sb_addn(b, run, (size_t)(p - run));
        if (!c)
            break;
        run = p + 1;
        if (c == '"' || c == '\\') {
            sb_addc(b, '\\');
            sb_addc(b, (char)c);
        } else if (special[c]) {
            sb_addc(b, '\\');
            sb_addc(b, special[c]);
        } else
            sb_printf(b, "\\u%04x", c);
    }
    sb_addc(b, '"');
}

/* Code a before code b in the snapshot's order: by dimension id, then
 * code id (strcmp() orders as SQLite's BINARY collation). */
static bool code_before(const cb_codebook *cb, const demo_code *a, const demo_code *b)
{
    const cb_dimension *da = &cb->dims[a->dim], *db = &cb->dims[b->dim];
    int c = strcmp(da->id, db->id);
    return c ? c < 0 : strcmp(da->codes[a->code].id, db->codes[b->code].id) < 0;
}

/*
 * The interaction's snapshot as SNAPSHOT_SQL makes it from the row just
 * written (doc/data-model.md, "The audit log"), built from the values bound
 * rather than read back and assembled by SQLite's JSON functions, which
 * cost a third of the demo's time.
 */
static const char *demo_snapshot(writer *w, const cb_codebook *cb, const demo_ix *x, const char *id,
                                 const char *start, const char *end, int incomplete)
{
    strbuf *b = &w->json;
    b->len = 0;
    sb_add(b, "{\"id\":");
    json_str(b, id);
    sb_add(b, ",\"session\":");
    json_str(b, w->session_id);
    sb_add(b, ",\"codebook_version\":");
    json_str(b, w->version);
    sb_add(b, ",\"started_at\":");
    json_str(b, start);
    sb_add(b, ",\"ended_at\":");
    json_str(b, x->open ? NULL : end);
    sb_printf(b, ",\"incomplete\":%d,\"tally\":%d,\"deleted\":0,\"paused_seconds\":%lld,\"note\":", incomplete,
              x->tally ? 1 : 0, x->open ? 0 : x->paused_seconds);
    json_str(b, x->note);
    demo_code codes[DEMO_MAX_CODES];
    demo_text texts[DEMO_MAX_TEXTS];
    memcpy(codes, x->codes, x->ncodes * sizeof *codes);
    memcpy(texts, x->texts, x->ntexts * sizeof *texts);
    /* A handful of each: insertion sorts. */
    for (size_t i = 1; i < x->ncodes; i++)
        for (size_t j = i; j > 0 && code_before(cb, &codes[j], &codes[j - 1]); j--) {
            demo_code t = codes[j];
            codes[j] = codes[j - 1];
            codes[j - 1] = t;
        }
    for (size_t i = 1; i < x->ntexts; i++)
        for (size_t j = i; j > 0 && strcmp(cb->dims[texts[j].dim].id, cb->dims[texts[j - 1].dim].id) < 0; j--) {
            demo_text t = texts[j];
            texts[j] = texts[j - 1];
            texts[j - 1] = t;
        }
    sb_add(b, ",\"codes\":[");
    for (size_t k = 0; k < x->ncodes; k++) {
        const cb_dimension *d = &cb->dims[codes[k].dim];
        sb_add(b, k ? ",{\"dimension\":" : "{\"dimension\":");
        json_str(b, d->id);
        sb_add(b, ",\"code\":");
        json_str(b, d->codes[codes[k].code].id);
        sb_add(b, ",\"other\":");
        json_str(b, codes[k].other);
        sb_addc(b, '}');
    }
    sb_add(b, "],\"texts\":[");
    for (size_t k = 0; k < x->ntexts; k++) {
        sb_add(b, k ? ",{\"dimension\":" : "{\"dimension\":");
        json_str(b, cb->dims[texts[k].dim].id);
        sb_add(b, ",\"text\":");
        json_str(b, texts[k].text);
        sb_addc(b, '}');
    }
    sb_add(b, "]}");
    return b->s;
}

/* The statement inserting n codes at once, prepared when first needed. */
static sqlite3_stmt *codes_stmt(writer *w, size_t n, st_error *e)
{
    if (w->codes[n])
        return w->codes[n];
    strbuf q = {0};
    sb_add(&q, "INSERT INTO interaction_code (interaction_id, dimension_id, code_id, other_text) VALUES ");
    for (size_t k = 0; k < n; k++)
        sb_printf(&q, "%s(?%zu, ?%zu, ?%zu, ?%zu)", k ? ", " : "", 4 * k + 1, 4 * k + 2, 4 * k + 3, 4 * k + 4);
    st_prepare(w->db, &w->codes[n], q.s, e);
    sb_free(&q);
    return w->codes[n];
}

static st_code write_ix(writer *w, const cb_codebook *cb, const demo_ix *x, const char *who, st_error *e)
{
    char id[UUID_STRLEN], aid[UUID_STRLEN], start[TS_LEN], end[TS_LEN];
    id_at(w, x->start, 0, id);
    ts_format(x->start, start);
    ts_format(x->end, end);
    const char *changed = x->open ? start : end;
    sqlite3_stmt *st = w->st[S_IX];
    bind_static(st, 1, id);
    bind_static(st, 2, w->session_id);
    bind_static(st, 3, w->site_ids[x->session->site]);
    bind_static(st, 4, w->obs_ids[x->session->observer]);
    bind_static(st, 5, w->version);
    bind_static(st, 6, start);
    bind_static(st, 7, x->open ? NULL : end);
    bind_static(st, 8, x->note);
    bind_static(st, 9, changed);
    sqlite3_bind_int(st, 10, x->tally);
    sqlite3_bind_int64(st, 11, x->open ? 0 : x->paused_seconds);
    if (run(w, S_IX, e))
        return e->code;
    sqlite3_int64 rowid = sqlite3_last_insert_rowid(w->db->db);
    if (x->ncodes) {
        if (!(st = codes_stmt(w, x->ncodes, e)))
            return e->code;
        for (size_t k = 0; k < x->ncodes; k++) {
            const cb_dimension *d = &cb->dims[x->codes[k].dim];
            bind_static(st, (int)(4 * k + 1), id);
            bind_static(st, (int)(4 * k + 2), d->id);
            bind_static(st, (int)(4 * k + 3), d->codes[x->codes[k].code].id);
            bind_static(st, (int)(4 * k + 4), x->codes[k].other);
        }
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return st_fail(w->db, e, _("writing the demo interactions"));
    }
    for (size_t k = 0; k < x->ntexts; k++) {
        st = w->st[S_TEXT];
        bind_static(st, 1, id);
        bind_static(st, 2, cb->dims[x->texts[k].dim].id);
        bind_static(st, 3, x->texts[k].text);
        if (run(w, S_TEXT, e))
            return e->code;
    }
    /* The live rule, in SQL, gives the flag the snapshot holds. */
    st = w->st[S_INCOMPLETE];
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    int incomplete = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return st_fail(w->db, e, _("writing the demo interactions"));
    id_at(w, x->open ? x->start : x->end, 500, aid);
    st = w->st[S_AUDIT];
    bind_static(st, 1, id);
    bind_static(st, 2, aid);
    bind_static(st, 3, changed);
    bind_static(st, 4, who);
    bind_static(st, 5, x->tally ? "tally" : "create");
    bind_static(st, 6, demo_snapshot(w, cb, x, id, start, end, incomplete));
    if (run(w, S_AUDIT, e))
        return e->code;
    if (!x->deleted)
        return ST_OK;
    /* Deleted a couple of minutes after it was recorded. */
    time_t t = (x->open ? x->start : x->end) + 120;
    char at[TS_LEN];
    ts_format(t, at);
    st = w->st[S_DELETE];
    bind_static(st, 1, id);
    bind_static(st, 2, at);
    if (run(w, S_DELETE, e))
        return e->code;
    id_at(w, t, 0, aid);
    st = w->st[S_AUDIT_DELETE];
    bind_static(st, 1, id);
    bind_static(st, 2, aid);
    bind_static(st, 3, at);
    bind_static(st, 4, who);
    return run(w, S_AUDIT_DELETE, e);
}

/*
 * A study without interactions gets its secondary indexes on the tables
 * the demo fills (their definitions as the schema has them) dropped here,
 * in the fill's transaction, and made again by recreate_indexes() once the
 * rows are in: building an index from sorted rows costs less than keeping
 * it up to date row by row.  A failure rolls the drop back with the rest.
 * A study that has interactions keeps its indexes (rebuilding them would
 * cost what it holds).
 */
static bool no_interactions(st_db *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "SELECT EXISTS (SELECT 1 FROM interaction)", -1, &st, NULL) != SQLITE_OK)
        return false;
    bool empty = sqlite3_step(st) == SQLITE_ROW && !sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return empty;
}

static st_code drop_indexes(st_db *db, char ***sqls, size_t *n, st_error *e)
{
    *sqls = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                   " AND tbl_name IN ('interaction', 'interaction_code', 'interaction_text', 'audit') ORDER BY name",
                   e))
        return e->code;
    size_t cap = 0;
    strbuf drop = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        xgrow((void **)sqls, &cap, *n + 1, sizeof **sqls);
        (*sqls)[(*n)++] = st_col_dup(st, 1);
        /* Names are the schema's own (letters, digits and '_'). */
        sb_printf(&drop, "DROP INDEX \"%s\";", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    st_code c = ST_OK;
    if (drop.s && sqlite3_exec(db->db, drop.s, NULL, NULL, NULL) != SQLITE_OK)
        c = st_fail(db, e, _("writing the demo interactions"));
    sb_free(&drop);
    return c;
}

static st_code recreate_indexes(st_db *db, char **sqls, size_t n, st_error *e)
{
    /* Each CREATE INDEX sorts with as much memory as the page cache may
     * hold: 64 MiB keeps the peak where the fill had it. */
    if (n)
        sqlite3_exec(db->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        if (sqlite3_exec(db->db, sqls[i], NULL, NULL, NULL) != SQLITE_OK)
            return st_fail(db, e, _("writing the demo interactions"));
    return ST_OK;
}

static void free_sqls(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/*
 * The journal of the fill of a study without interactions.  In WAL mode a
 * transaction larger than the page cache writes its pages to the -wal file
 * as the cache overflows, again each time an index page changes after that,
 * and once more into the study at the checkpoint: 40 s of system time for
 * a million interactions.  A rollback journal writes each new page once,
 * into the study.  So the fill of an empty study runs with journal_mode
 * DELETE, when SQLite can switch (no other connection: otherwise it stays
 * in WAL), and the study returns to WAL right after (st_open() puts back WAL
 * mode should a crash come in between).
 */
static bool rollback_journal(st_db *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "PRAGMA journal_mode = DELETE", -1, &st, NULL) != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "delete");
    sqlite3_finalize(st);
    return ok;
}

static void wal_journal(st_db *db)
{
    sqlite3_exec(db->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
}

/* Finalizes every statement of w. */
static void writer_done(writer *w)
{
    for (int i = 0; i < S_N; i++)
        sqlite3_finalize(w->st[i]);
    for (size_t i = 0; i <= DEMO_MAX_CODES; i++)
        sqlite3_finalize(w->codes[i]);
    memset(w->st, 0, sizeof w->st);
    memset(w->codes, 0, sizeof w->codes);
    sb_free(&w->json);
}

st_code st_demo_fill(st_db *db, const demo_params *p, st_demo_progress progress, void *ctx, st_demo_result *out,
                     st_error *e)
{
    memset(out, 0, sizeof *out);
    writer w = {.db = db};
    char **index_sql = NULL;
    size_t nindex = 0;
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
    /* In WAL mode, a larger page cache for the one big transaction: the
     * indexes of the interactions stay in memory instead of going to the
     * -wal file again and again.  With a rollback journal, overflowing
     * pages go to the study in place, cheaply: 64 MiB is as fast as 256
     * for a million interactions (38 s), and the peak is 150 MiB rather
     * than 375. */
    bool fresh = no_interactions(db), rollback = fresh && rollback_journal(db);
    sqlite3_exec(db->db, rollback ? "PRAGMA cache_size = -65536" : "PRAGMA cache_size = -262144", NULL, NULL, NULL);
    if (st_begin(db, e))
        goto fail;
    for (int s = 0; s < p->sites; s++)
        if (st_site_ensure(db, demo_site_name(g, s), w.site_ids[s], e))
            goto fail;
    for (int o = 0; o < nobs; o++)
        if (st_observer_ensure(db, demo_observer_name(g, o), w.obs_ids[o], e))
            goto fail;
    if (fresh && no_interactions(db) && drop_indexes(db, &index_sql, &nindex, e))
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
    writer_done(&w);
    if (recreate_indexes(db, index_sql, nindex, e) || st_commit(db, e))
        goto fail;
    free_sqls(index_sql, nindex);
    if (rollback)
        wal_journal(db);
    out->sites = p->sites;
    out->observers = nobs;
    demo_free(g);
    cb_free(cb);
    free(w.obs_ids);
    return ST_OK;
fail:
    writer_done(&w);
    st_rollback(db);
    free_sqls(index_sql, nindex);
    if (rollback)
        wal_journal(db);
    demo_free(g);
    cb_free(cb);
    free(w.obs_ids);
    return e->code;
}
