/*
 * st_export.c — the export and statistics queries (st_export.h).
 *
 * A filter becomes a WHERE clause over the interaction table, aliased i,
 * whose values are all bound by name (:from, :to, :s0..., :o0...); the text
 * of the clause depends only on how many names there are.  The period is
 * two text comparisons on started_at, whose first ten characters are the
 * local date, which the interaction_by_start index serves.
 */
#include "store/st_export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cb_union.h"
#include "core/i18n.h"
#include "core/stats.h"
#include "core/util.h"
#include "store/store_internal.h"

void st_ex_cache(st_db *db, int mib)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", mib * 1024);
    sqlite3_exec(db->db, sql, NULL, NULL, NULL);
}

/* The cache of the temporary tables (KiB): doc/performance.md. */
#define TEMP_CACHE_KIB "16384"

#define DURATION_SQL "unixepoch(i.ended_at) - unixepoch(i.started_at) - i.paused_seconds"

/* Appends the filter's conditions (deleted = `deleted`) to sql. */
static void where(strbuf *sql, const st_filter *f, int deleted)
{
    sb_printf(sql, " i.deleted = %d", deleted);
    if (f->period.from[0])
        sb_add(sql, " AND i.started_at >= :from");
    if (f->period.to[0])
        sb_add(sql, " AND i.started_at < :to");
    if (f->nsites) {
        sb_add(sql, " AND i.site_id IN (SELECT id FROM site WHERE name IN (");
        for (size_t k = 0; k < f->nsites; k++)
            sb_printf(sql, "%s:s%zu", k ? ", " : "", k);
        sb_add(sql, "))");
    }
    if (f->nobservers) {
        sb_add(sql, " AND i.observer_id IN (SELECT id FROM observer WHERE name IN (");
        for (size_t k = 0; k < f->nobservers; k++)
            sb_printf(sql, "%s:o%zu", k ? ", " : "", k);
        sb_add(sql, "))");
    }
}

static void bind_name(sqlite3_stmt *st, const char *name, const char *value)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        st_bind_text(st, i, value);
}

static void bind_filter(sqlite3_stmt *st, const st_filter *f)
{
    bind_name(st, ":from", f->period.from);
    bind_name(st, ":to", f->period.to);
    char n[32];
    for (size_t k = 0; k < f->nsites; k++) {
        snprintf(n, sizeof n, ":s%zu", k);
        bind_name(st, n, f->sites[k]);
    }
    for (size_t k = 0; k < f->nobservers; k++) {
        snprintf(n, sizeof n, ":o%zu", k);
        bind_name(st, n, f->observers[k]);
    }
}

/* Prepares sql (a template where "%W" stands for the filter) and binds
 * the filter. */
static st_code prepare_filtered(st_db *db, const char *tmpl, const st_filter *f, int deleted, sqlite3_stmt **st,
                                st_error *e)
{
    strbuf sql = {0};
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '%' && p[1] == 'W') {
            where(&sql, f, deleted);
            p++;
        } else
            sb_addc(&sql, *p);
    }
    st_code c = st_prepare(db, st, sql.s, e);
    sb_free(&sql);
    if (c)
        return c;
    bind_filter(*st, f);
    return ST_OK;
}

/*
 * The selection, materialised once: every aggregate reads narrow temporary
 * tables rather than the wide interaction rows (notes, five UUIDs) again
 * and again.
 *
 * - temp.sel: one row per selected interaction with what the tables group
 *   on, numbered n in the order of the interactions sheet (start, then id),
 *   and irow, the interaction's rowid, for the few columns only the sheet
 *   needs (its note, its end).  Being numbered in the sheet's order, it is
 *   read by the cursor with no sort.
 * - temp.ans: one row per code chosen, (n, d, k) integers in primary-key
 *   order, with the other-specify text; temp.txt: one row per free-text
 *   answer.  Both follow n, so that a single forward pass meets each
 *   interaction's answers right after the interaction.
 * - temp.codes: every (dimension, code) of every version as a small
 *   integer k in (dimension, code) order, with d the dimension's rank.
 *
 * temp.sel_key remembers the filter they were built for; a query with
 * another filter rebuilds them.  Temporary tables live in SQLite's
 * temporary database (a file, cached with a bounded cache), so they work on
 * a read-only study too.
 */
static char *filter_key(const st_filter *f)
{
    strbuf b = {0};
    sb_printf(&b, "%s\x1e%s", f->period.from, f->period.to);
    for (size_t k = 0; k < f->nsites; k++)
        sb_printf(&b, "\x1es\x1f%s", f->sites[k]);
    for (size_t k = 0; k < f->nobservers; k++)
        sb_printf(&b, "\x1eo\x1f%s", f->observers[k]);
    return sb_take(&b);
}

static st_code exec_sql(st_db *db, const char *sql, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return st_fail(db, e, _("selecting the interactions"));
    return ST_OK;
}

static st_code selection(st_db *db, const st_filter *f, st_error *e)
{
    char *key = filter_key(f);
    sqlite3_stmt *st;
    st_code c = exec_sql(db, "CREATE TEMP TABLE IF NOT EXISTS sel_key (k TEXT)", e);
    if (!c)
        c = st_prepare(db, &st, "SELECT 1 FROM temp.sel_key WHERE k = ?1", e);
    if (c) {
        free(key);
        return c;
    }
    st_bind_text(st, 1, key);
    bool same = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (same) {
        free(key);
        return ST_OK;
    }
    static const char *const build[] = {
        "DELETE FROM temp.sel_key",
        "DROP TABLE IF EXISTS temp.sel",
        "DROP TABLE IF EXISTS temp.ans",
        "DROP TABLE IF EXISTS temp.txt",
        "DROP TABLE IF EXISTS temp.codes",
        "DROP TABLE IF EXISTS temp.t_code",
        "DROP TABLE IF EXISTS temp.t_pair",
        "DROP TABLE IF EXISTS temp.t_dim",
        "DROP TABLE IF EXISTS temp.t_hour",
        "DROP TABLE IF EXISTS temp.t_dur",
        "DROP TABLE IF EXISTS temp.t_kd",
        "PRAGMA temp.cache_size = -" TEMP_CACHE_KIB,
        "CREATE TEMP TABLE codes (k INTEGER PRIMARY KEY, d INTEGER NOT NULL, dim TEXT NOT NULL, code TEXT NOT NULL,"
        " UNIQUE (dim, code))",
        "INSERT INTO temp.codes (d, dim, code) SELECT dense_rank() OVER (ORDER BY dimension_id), dimension_id, id"
        " FROM (SELECT DISTINCT dimension_id, id FROM code) ORDER BY dimension_id, id",
        /* session and version as the rowids of their rows: counting
         * distinct integers is cheaper than distinct UUIDs. */
        "CREATE TEMP TABLE sel (n INTEGER PRIMARY KEY, irow INTEGER NOT NULL, id TEXT NOT NULL, site INTEGER NOT NULL,"
        " obs INTEGER NOT NULL, session INTEGER, version INTEGER, start TEXT NOT NULL, incomplete INTEGER,"
        " tally INTEGER, open INTEGER, noted INTEGER, dur INTEGER)",
        "CREATE TEMP TABLE ans (n INTEGER NOT NULL, d INTEGER NOT NULL, k INTEGER NOT NULL, other TEXT,"
        " PRIMARY KEY (n, d, k)) WITHOUT ROWID",
        "CREATE TEMP TABLE txt (n INTEGER NOT NULL, dim TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (n, dim))"
        " WITHOUT ROWID",
    };
    for (size_t i = 0; i < sizeof build / sizeof build[0]; i++)
        if (exec_sql(db, build[i], e)) {
            free(key);
            return e->code;
        }
    /* In the order of the sheet: the index on started_at gives it, the id
     * breaking ties in the rare groups of equal starts. */
    if (prepare_filtered(db,
                         "INSERT INTO temp.sel (irow, id, site, obs, session, version, start, incomplete, tally, open,"
                         " noted, dur) SELECT i.rowid, i.id, (SELECT rowid FROM site WHERE id = i.site_id),"
                         " (SELECT rowid FROM observer WHERE id = i.observer_id),"
                         " (SELECT rowid FROM session WHERE id = i.session_id),"
                         " (SELECT rowid FROM codebook_version WHERE id = i.codebook_version_id),"
                         " i.started_at, i.incomplete, i.tally, i.ended_at IS NULL,"
                         " i.note IS NOT NULL AND i.note <> '',"
                         " CASE WHEN i.ended_at IS NULL OR i.tally THEN NULL ELSE " DURATION_SQL " END"
                         " FROM interaction i WHERE %W ORDER BY i.started_at, i.id",
                         f, 0, &st, e)) {
        free(key);
        return e->code;
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(key);
        return st_fail(db, e, _("selecting the interactions"));
    }
    /* Scanning temp.sel in order of n, then each interaction's codes in
     * the order of interaction_code's key (dimension, code), which is the
     * order of k: the rows arrive in the order of ans's key. */
    if (exec_sql(db,
                 "INSERT INTO temp.ans (n, d, k, other) SELECT s.n, k.d, k.k, c.other_text FROM temp.sel s"
                 " CROSS JOIN interaction_code c ON c.interaction_id = s.id"
                 " JOIN temp.codes k ON k.dim = c.dimension_id AND k.code = c.code_id",
                 e) ||
        exec_sql(db,
                 "INSERT INTO temp.txt (n, dim, text) SELECT s.n, t.dimension_id, t.text FROM temp.sel s"
                 " CROSS JOIN interaction_text t ON t.interaction_id = s.id",
                 e) ||
        st_prepare(db, &st, "INSERT INTO temp.sel_key (k) VALUES (?1)", e)) {
        free(key);
        return e->code;
    }
    st_bind_text(st, 1, key);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    free(key);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("selecting the interactions"));
    return ST_OK;
}

/* Prepares a query over the selection, building it first when needed. */
static st_code prepare_sel(st_db *db, const char *sql, const st_filter *f, sqlite3_stmt **st, st_error *e)
{
    if (selection(db, f, e))
        return e->code;
    return st_prepare(db, st, sql, e);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void copy_ts(char out[TS_LEN], sqlite3_stmt *st, int i)
{
    const char *s = col_text(st, i);
    snprintf(out, TS_LEN, "%s", s ? s : "");
}

/* Lists the names of a table for an error message. */
static char *names_of(st_db *db, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT name FROM %s ORDER BY name", table);
    sqlite3_stmt *st;
    strbuf b = {0};
    sb_add(&b, "");
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW)
            sb_printf(&b, "%s%s", b.len ? ", " : "", col_text(st, 0));
        sqlite3_finalize(st);
    }
    return sb_take(&b);
}

static st_code check_names(st_db *db, const char *table, const char *const *names, size_t n, st_error *e)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE name = ?1", table);
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    for (size_t k = 0; k < n; k++) {
        st_bind_text(st, 1, names[k]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_ROW)
            continue;
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return st_fail(db, e, _("checking the filter"));
        char *all = names_of(db, table);
        if (!strcmp(table, "site"))
            st_set(e, ST_ERR_NOTFOUND, _("no site named '%s' in the study (sites: %s)"), names[k],
                   all[0] ? all : _("none"));
        else
            st_set(e, ST_ERR_NOTFOUND, _("no observer named '%s' in the study (observers: %s)"), names[k],
                   all[0] ? all : _("none"));
        free(all);
        return e->code;
    }
    sqlite3_finalize(st);
    return ST_OK;
}

st_code st_ex_check_filter(st_db *db, const st_filter *f, st_error *e)
{
    if (check_names(db, "site", f->sites, f->nsites, e) ||
        check_names(db, "observer", f->observers, f->nobservers, e))
        return e->code;
    return ST_OK;
}

st_code st_ex_codebook(st_db *db, cb_codebook **out, st_error *e)
{
    *out = NULL;
    st_cb_version *v;
    size_t n;
    if (st_codebook_versions(db, &v, &n, e))
        return e->code;
    cb_codebook **all = xcalloc(n, sizeof *all);
    st_code c = ST_OK;
    for (size_t i = 0; i < n && !c; i++)
        c = st_codebook_load(db, v[i].id, &all[i], NULL, e);
    if (!c)
        *out = cb_union(all, n);
    for (size_t i = 0; i < n; i++)
        cb_free(all[i]);
    free(all);
    st_cb_versions_free(v, n);
    return c;
}

st_code st_ex_counts_get(st_db *db, const st_filter *f, st_ex_counts *out, st_error *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (prepare_sel(db,
                    "SELECT count(*), count(DISTINCT session), count(DISTINCT site), count(DISTINCT obs),"
                    " coalesce(sum(incomplete), 0), coalesce(sum(tally), 0), coalesce(sum(open), 0),"
                    " coalesce(sum(noted), 0), min(start), max(start) FROM temp.sel",
                    f, &st, e))
        return e->code;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        long long *v[] = {&out->interactions, &out->sessions, &out->sites, &out->observers,
                          &out->incomplete, &out->tally, &out->open, &out->with_note};
        for (int i = 0; i < 8; i++)
            *v[i] = sqlite3_column_int64(st, i);
        copy_ts(out->first, st, 8);
        copy_ts(out->last, st, 9);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("counting the interactions"));
    if (prepare_filtered(db, "SELECT count(*) FROM interaction i WHERE %W", f, 1, &st, e))
        return e->code;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out->deleted = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("counting the interactions"));
    return ST_OK;
}

st_code st_ex_versions(st_db *db, const st_filter *f, st_ex_version **out, size_t *n, st_error *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (prepare_sel(db,
                    "SELECT v.id, v.codebook_id, v.version, v.title, v.imported_at, v.seq, x.n, x.first, x.last"
                    " FROM (SELECT version, count(*) AS n, min(start) AS first, max(start) AS last FROM temp.sel"
                    " GROUP BY version) x JOIN codebook_version v ON v.rowid = x.version ORDER BY v.seq",
                    f, &st, e))
        return e->code;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        st_ex_version *x = &(*out)[(*n)++];
        memset(x, 0, sizeof *x);
        snprintf(x->v.id, sizeof x->v.id, "%s", col_text(st, 0));
        x->v.codebook_id = st_col_dup(st, 1);
        x->v.version = sqlite3_column_int(st, 2);
        x->v.title = st_col_dup(st, 3);
        x->v.imported_at = st_col_dup(st, 4);
        x->v.seq = sqlite3_column_int(st, 5);
        x->interactions = sqlite3_column_int64(st, 6);
        copy_ts(x->first, st, 7);
        copy_ts(x->last, st, 8);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        st_ex_versions_free(*out, *n);
        *out = NULL;
        *n = 0;
        return st_fail(db, e, _("listing the codebook versions in use"));
    }
    return ST_OK;
}

void st_ex_versions_free(st_ex_version *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].v.codebook_id);
        free(v[i].v.title);
        free(v[i].v.imported_at);
    }
    free(v);
}

/* ---- cursor --------------------------------------------------------- */

/*
 * Three statements read forward together, each in the order of n: the
 * interactions (temp.sel, with the interaction's row by its rowid), their
 * codes (temp.ans) and their free-text answers (temp.txt).  The cursor
 * merges them, so that no interaction costs a subquery.  The labels of k
 * are read once from temp.codes.
 */
typedef struct ex_code_name {
    char *dim, *code;
} ex_code_name;

struct st_ex_cursor {
    st_db *db;
    sqlite3_stmt *st, *ans, *txt;
    bool ans_row, txt_row; /* the statement stands on a row not yet taken */
    ex_code_name *codes;   /* by k */
    size_t ncodes;
    strbuf buf;            /* the texts of the current row's answers */
    st_ex_answer *answers;
    size_t acap;
    /* Where each answer's text (and a free-text answer's dimension id)
     * starts in buf, (size_t)-1 for none: buf may move as it grows, so
     * the pointers are set once the row is complete. */
    struct { size_t text, dim; } *at;
    size_t tcap;
};

void st_ex_cursor_close(st_ex_cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
    sqlite3_finalize(c->ans);
    sqlite3_finalize(c->txt);
    for (size_t i = 0; i < c->ncodes; i++) {
        free(c->codes[i].dim);
        free(c->codes[i].code);
    }
    free(c->codes);
    sb_free(&c->buf);
    free(c->answers);
    free(c->at);
    free(c);
}

static st_code step_side(st_ex_cursor *c, sqlite3_stmt *st, bool *row, st_error *e)
{
    int rc = sqlite3_step(st);
    *row = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_fail(c->db, e, _("reading the interactions"));
    return ST_OK;
}

st_code st_ex_cursor_open(st_db *db, const st_filter *f, st_ex_cursor **out, st_error *e)
{
    *out = NULL;
    if (selection(db, f, e))
        return e->code;
    st_ex_cursor *c = xcalloc(1, sizeof *c);
    c->db = db;
    sqlite3_stmt *names;
    if (st_prepare(db, &names, "SELECT k, dim, code FROM temp.codes ORDER BY k", e)) {
        st_ex_cursor_close(c);
        return e->code;
    }
    size_t cap = 0;
    while (sqlite3_step(names) == SQLITE_ROW) {
        sqlite3_int64 k = sqlite3_column_int64(names, 0);
        if (k < 1 || k > 1000000)
            continue;
        xgrow((void **)&c->codes, &cap, (size_t)k + 1, sizeof *c->codes);
        c->codes[k] = (ex_code_name){st_col_dup(names, 1), st_col_dup(names, 2)};
        if ((size_t)k + 1 > c->ncodes)
            c->ncodes = (size_t)k + 1;
    }
    sqlite3_finalize(names);
    if (st_prepare(db, &c->st,
                   "SELECT s.n, i.id, i.started_at, i.ended_at, st.name, ob.name, i.session_id,"
                   " i.codebook_version_id, i.note, s.incomplete, s.tally, s.dur FROM temp.sel s"
                   " CROSS JOIN interaction i ON i.rowid = s.irow CROSS JOIN site st ON st.rowid = s.site"
                   " CROSS JOIN observer ob ON ob.rowid = s.obs ORDER BY s.n",
                   e) ||
        st_prepare(db, &c->ans, "SELECT n, k, other FROM temp.ans ORDER BY n, d, k", e) ||
        st_prepare(db, &c->txt, "SELECT n, dim, text FROM temp.txt ORDER BY n, dim", e) ||
        step_side(c, c->ans, &c->ans_row, e) || step_side(c, c->txt, &c->txt_row, e)) {
        st_ex_cursor_close(c);
        return e->code;
    }
    *out = c;
    return ST_OK;
}

/* Appends text to the row's buffer with the ASCII record and unit
 * separators turned into spaces, as they always were in exports; returns
 * where it starts. */
static size_t keep_text(st_ex_cursor *c, const char *s)
{
    size_t at = c->buf.len;
    size_t n = strlen(s);
    sb_addn(&c->buf, s, n);
    for (char *p = c->buf.s + at; *p; p++)
        if (*p == '\x1e' || *p == '\x1f')
            *p = ' ';
    /* Each text keeps its terminating NUL. */
    sb_addn(&c->buf, "", 1);
    return at;
}

/* An answer: a code (dim and code are the cursor's) or, with dim NULL, a
 * free-text answer whose dimension id is text_dim. */
static void add_answer(st_ex_cursor *c, size_t *n, unsigned key, const char *dim, const char *code,
                       const char *text_dim, const char *text)
{
    xgrow((void **)&c->answers, &c->acap, *n + 1, sizeof *c->answers);
    xgrow((void **)&c->at, &c->tcap, *n + 1, sizeof *c->at);
    c->answers[*n] = (st_ex_answer){dim, code, NULL, key};
    c->at[*n].dim = text_dim ? keep_text(c, text_dim) : (size_t)-1;
    c->at[*n].text = text ? keep_text(c, text) : (size_t)-1;
    (*n)++;
}

st_code st_ex_cursor_next(st_ex_cursor *c, st_ex_row *row, bool *more, st_error *e)
{
    memset(row, 0, sizeof *row);
    *more = false;
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_DONE)
        return ST_OK;
    if (rc != SQLITE_ROW)
        return st_fail(c->db, e, _("reading the interactions"));
    sqlite3_int64 n = sqlite3_column_int64(c->st, 0);
    row->id = col_text(c->st, 1);
    row->started_at = col_text(c->st, 2);
    row->ended_at = col_text(c->st, 3);
    row->site = col_text(c->st, 4);
    row->observer = col_text(c->st, 5);
    row->session = col_text(c->st, 6);
    row->version = col_text(c->st, 7);
    row->note = col_text(c->st, 8);
    row->incomplete = sqlite3_column_int(c->st, 9);
    row->tally = sqlite3_column_int(c->st, 10);
    row->has_duration = sqlite3_column_type(c->st, 11) != SQLITE_NULL;
    row->duration = sqlite3_column_int64(c->st, 11);
    size_t na = 0;
    c->buf.len = 0;
    /* The answers of an interaction follow it; rows of n below it belong
     * to none (they cannot occur, but are skipped rather than misplaced). */
    while (c->ans_row && sqlite3_column_int64(c->ans, 0) <= n) {
        sqlite3_int64 k = sqlite3_column_int64(c->ans, 1);
        if (sqlite3_column_int64(c->ans, 0) == n && k > 0 && (size_t)k < c->ncodes && c->codes[k].dim)
            add_answer(c, &na, (unsigned)k, c->codes[k].dim, c->codes[k].code, NULL, col_text(c->ans, 2));
        if (step_side(c, c->ans, &c->ans_row, e))
            return e->code;
    }
    while (c->txt_row && sqlite3_column_int64(c->txt, 0) <= n) {
        if (sqlite3_column_int64(c->txt, 0) == n)
            add_answer(c, &na, 0, NULL, NULL, col_text(c->txt, 1), col_text(c->txt, 2));
        if (step_side(c, c->txt, &c->txt_row, e))
            return e->code;
    }
    for (size_t i = 0; i < na; i++) {
        st_ex_answer *a = &c->answers[i];
        if (c->at[i].dim != (size_t)-1)
            a->dim = c->buf.s + c->at[i].dim;
        a->text = c->at[i].text == (size_t)-1 ? NULL : c->buf.s + c->at[i].text;
    }
    row->answers = c->answers;
    row->nanswers = na;
    *more = true;
    return ST_OK;
}

/* ---- groups --------------------------------------------------------- */

/*
 * The counts over the answers (codes, by site and observer, pairs of
 * codes, answered dimensions) and over the starts (day and hour) are
 * tallied in one forward pass over temp.sel and temp.ans, both in order of
 * n, into small tables that the queries below then group and label:
 * SQLite has no hash aggregation, so a GROUP BY over millions of answers
 * would sort them, once per table.  The keys are few (codes × codes, sites ×
 * observers × codes), so the tally's memory does not grow with the number
 * of interactions.
 */
typedef struct tkey {
    sqlite3_int64 a, b, c;
    long long n;
    bool used;
} tkey;

typedef struct tmap {
    tkey *v;
    size_t cap, n; /* cap a power of two */
} tmap;

static size_t tmap_hash(sqlite3_int64 a, sqlite3_int64 b, sqlite3_int64 c)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)b + 0x7F4A7C159E3779B9u + (h << 6) + (h >> 2);
    h ^= (uint64_t)c + 0x94D049BB133111EBu + (h << 6) + (h >> 2);
    return (size_t)(h ^ (h >> 31));
}

static void tmap_add(tmap *m, sqlite3_int64 a, sqlite3_int64 b, sqlite3_int64 c, long long n)
{
    if ((m->n + 1) * 2 > m->cap) {
        tmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->v = xcalloc(m->cap, sizeof *m->v);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.v[i].used)
                tmap_add(m, old.v[i].a, old.v[i].b, old.v[i].c, old.v[i].n);
        free(old.v);
    }
    size_t i = tmap_hash(a, b, c) & (m->cap - 1);
    while (m->v[i].used && (m->v[i].a != a || m->v[i].b != b || m->v[i].c != c))
        i = (i + 1) & (m->cap - 1);
    if (!m->v[i].used) {
        m->v[i] = (tkey){a, b, c, 0, true};
        m->n++;
    }
    m->v[i].n += n;
}

/* Runs insert for each of the nrows rows of ncols integers in v (bound
 * to ?1, ?2...). */
static st_code store_ints(st_db *db, const char *insert, const sqlite3_int64 *v, size_t nrows, int ncols,
                          st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, insert, e))
        return e->code;
    for (size_t i = 0; i < nrows; i++) {
        for (int j = 0; j < ncols; j++)
            sqlite3_bind_int64(st, j + 1, v[i * (size_t)ncols + (size_t)j]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(st);
            return st_fail(db, e, _("computing the tables"));
        }
    }
    sqlite3_finalize(st);
    return ST_OK;
}

/* Writes the entries of m as ?1 a, ?2 b, ?3 c, ?4 n with `insert`
 * (which need not use them all). */
static st_code tmap_store(st_db *db, const tmap *m, const char *insert, st_error *e)
{
    sqlite3_int64 *v = xmalloc((m->n ? m->n : 1) * 4 * sizeof *v);
    size_t r = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i].used) {
            sqlite3_int64 *row = v + r++ * 4;
            row[0] = m->v[i].a;
            row[1] = m->v[i].b;
            row[2] = m->v[i].c;
            row[3] = m->v[i].n;
        }
    st_code c = store_ints(db, insert, v, r, 4, e);
    free(v);
    return c;
}

/* Writes (i, a[i], b[i]) for every i < n where a[i] is not 0. */
static st_code store_array(st_db *db, const char *insert, const long long *a, const long long *b, size_t n,
                           st_error *e)
{
    sqlite3_int64 *v = xmalloc((n ? n : 1) * 3 * sizeof *v);
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        if (a[i]) {
            v[r * 3] = (sqlite3_int64)i;
            v[r * 3 + 1] = a[i];
            v[r * 3 + 2] = b[i];
            r++;
        }
    st_code c = store_ints(db, insert, v, r, 3, e);
    free(v);
    return c;
}

typedef struct tally {
    tmap who;   /* (site, observer, k) */
    tmap pair;  /* (ka, kb, 0), ka of a dimension before kb's */
    tmap hist;  /* (k, duration, 0): how many interactions with code k lasted that many seconds; k 0 for all */
    /* By dimension rank d: interactions with an answer, answers; by code
     * k: interactions with a duration, their sum in seconds. */
    long long *answered, *answers, *dur_n, *dur_sum;
    size_t cd, cd2, ck, ck2;
    sqlite3_stmt *hour;
    char day[16], hh[4];
    long long hour_n;
} tally;

static void tally_free(tally *t)
{
    free(t->who.v);
    free(t->pair.v);
    free(t->hist.v);
    free(t->answered);
    free(t->answers);
    free(t->dur_n);
    free(t->dur_sum);
    sqlite3_finalize(t->hour);
}

static st_code flush_hour(st_db *db, tally *t, st_error *e)
{
    if (!t->hour_n)
        return ST_OK;
    st_bind_text(t->hour, 1, t->day);
    st_bind_text(t->hour, 2, t->hh);
    sqlite3_bind_int64(t->hour, 3, t->hour_n);
    int rc = sqlite3_step(t->hour);
    sqlite3_reset(t->hour);
    t->hour_n = 0;
    return rc == SQLITE_DONE ? ST_OK : st_fail(db, e, _("computing the tables"));
}

/* An interaction of code k (0: any) lasted dur seconds. */
static void tally_duration(tally *t, size_t k, sqlite3_int64 dur)
{
    xgrow((void **)&t->dur_n, &t->ck, k + 1, sizeof *t->dur_n);
    xgrow((void **)&t->dur_sum, &t->ck2, k + 1, sizeof *t->dur_sum);
    t->dur_n[k]++;
    t->dur_sum[k] += dur;
    tmap_add(&t->hist, (sqlite3_int64)k, dur, 0, 1);
}

/* One interaction's answers (ks, ds: n of them, in order of d then k). */
static void tally_answers(tally *t, sqlite3_int64 site, sqlite3_int64 obs, bool has_dur, sqlite3_int64 dur,
                          const sqlite3_int64 *ks, const sqlite3_int64 *ds, size_t n)
{
    if (has_dur)
        tally_duration(t, 0, dur);
    for (size_t i = 0; i < n; i++) {
        size_t d = (size_t)ds[i], k = (size_t)ks[i];
        tmap_add(&t->who, site, obs, ks[i], 1);
        xgrow((void **)&t->answered, &t->cd, d + 1, sizeof *t->answered);
        xgrow((void **)&t->answers, &t->cd2, d + 1, sizeof *t->answers);
        t->answers[d]++;
        if (i == 0 || ds[i] != ds[i - 1])
            t->answered[d]++;
        if (has_dur)
            tally_duration(t, k, dur);
        for (size_t j = i + 1; j < n; j++)
            if (ds[j] > ds[i])
                tmap_add(&t->pair, ks[i], ks[j], 0, 1);
    }
}

/* The durations' histogram is written out when it holds this many
 * (code, duration) pairs, and grouped again by SQL: its memory is bounded
 * even for durations of every length. */
#define HIST_SPILL 100000

static st_code spill_hist(st_db *db, tmap *h, st_error *e)
{
    if (!h->n)
        return ST_OK;
    st_code c = tmap_store(db, h, "INSERT INTO temp.t_kd (k, dur, n) VALUES (?1, ?2, ?4)", e);
    memset(h->v, 0, h->cap * sizeof *h->v);
    h->n = 0;
    return c;
}

static st_code tally_build(st_db *db, st_error *e)
{
    static const char *const make[] = {
        "CREATE TEMP TABLE t_code (site INTEGER, obs INTEGER, k INTEGER, n INTEGER)",
        "CREATE TEMP TABLE t_pair (ka INTEGER, kb INTEGER, n INTEGER)",
        "CREATE TEMP TABLE t_dim (d INTEGER PRIMARY KEY, answered INTEGER, answers INTEGER)",
        "CREATE TEMP TABLE t_hour (day TEXT, hour TEXT, n INTEGER)",
        "CREATE TEMP TABLE t_dur (k INTEGER PRIMARY KEY, n INTEGER, sum INTEGER)",
        "CREATE TEMP TABLE t_kd (k INTEGER, dur INTEGER, n INTEGER)",
    };
    for (size_t i = 0; i < sizeof make / sizeof make[0]; i++)
        if (exec_sql(db, make[i], e))
            return e->code;
    /* One transaction for the tally's small writes: SQLite would
     * otherwise end a transaction after each, and go over the whole
     * temporary cache every time. */
    if (exec_sql(db, "SAVEPOINT tally", e))
        return e->code;
    tally t = {0};
    sqlite3_stmt *sel = NULL, *ans = NULL;
    sqlite3_int64 *ks = NULL, *ds = NULL;
    size_t cap = 0;
    st_code c = ST_OK;
    if (st_prepare(db, &t.hour, "INSERT INTO temp.t_hour (day, hour, n) VALUES (?1, ?2, ?3)", e) ||
        st_prepare(db, &sel, "SELECT n, site, obs, substr(start, 1, 10), substr(start, 12, 2), dur FROM temp.sel"
                             " ORDER BY n", e) ||
        st_prepare(db, &ans, "SELECT n, d, k FROM temp.ans ORDER BY n, d, k", e)) {
        c = e->code;
        goto out;
    }
    int ra = sqlite3_step(ans), rs;
    while ((rs = sqlite3_step(sel)) == SQLITE_ROW) {
        sqlite3_int64 n = sqlite3_column_int64(sel, 0);
        const char *day = col_text(sel, 3), *hh = col_text(sel, 4);
        day = day ? day : "";
        hh = hh ? hh : "";
        /* temp.sel is in order of start: each (day, hour) is one run. */
        if (t.hour_n && (strcmp(day, t.day) || strcmp(hh, t.hh)) && (c = flush_hour(db, &t, e)))
            goto out;
        if (!t.hour_n) {
            snprintf(t.day, sizeof t.day, "%s", day);
            snprintf(t.hh, sizeof t.hh, "%s", hh);
        }
        t.hour_n++;
        size_t na = 0;
        for (; ra == SQLITE_ROW && sqlite3_column_int64(ans, 0) <= n; ra = sqlite3_step(ans)) {
            if (sqlite3_column_int64(ans, 0) < n)
                continue;
            size_t had = cap;
            xgrow((void **)&ks, &cap, na + 1, sizeof *ks);
            if (cap != had)
                ds = xrealloc(ds, cap * sizeof *ds);
            ds[na] = sqlite3_column_int64(ans, 1);
            ks[na++] = sqlite3_column_int64(ans, 2);
        }
        if (ra != SQLITE_ROW && ra != SQLITE_DONE)
            break;
        tally_answers(&t, sqlite3_column_int64(sel, 1), sqlite3_column_int64(sel, 2),
                      sqlite3_column_type(sel, 5) != SQLITE_NULL, sqlite3_column_int64(sel, 5), ks, ds, na);
        if (t.hist.n >= HIST_SPILL && (c = spill_hist(db, &t.hist, e)))
            goto out;
    }
    if ((rs != SQLITE_DONE && rs != SQLITE_ROW) || (ra != SQLITE_DONE && ra != SQLITE_ROW)) {
        c = st_fail(db, e, _("computing the tables"));
        goto out;
    }
    if ((c = flush_hour(db, &t, e)) || (c = spill_hist(db, &t.hist, e)) ||
        (c = tmap_store(db, &t.who, "INSERT INTO temp.t_code (site, obs, k, n) VALUES (?1, ?2, ?3, ?4)", e)) ||
        (c = tmap_store(db, &t.pair, "INSERT INTO temp.t_pair (ka, kb, n) VALUES (?1, ?2, ?4)", e)))
        goto out;
    if ((c = store_array(db, "INSERT INTO temp.t_dim (d, answered, answers) VALUES (?1, ?2, ?3)", t.answered,
                         t.answers, t.cd, e)) ||
        (c = store_array(db, "INSERT INTO temp.t_dur (k, n, sum) VALUES (?1, ?2, ?3)", t.dur_n, t.dur_sum, t.ck, e)))
        goto out;
out:
    free(ks);
    free(ds);
    sqlite3_finalize(sel);
    sqlite3_finalize(ans);
    tally_free(&t);
    st_error ignored = {0};
    if (c)
        exec_sql(db, "ROLLBACK TO tally", &ignored);
    if (exec_sql(db, "RELEASE tally", c ? &ignored : e) && !c)
        c = e->code;
    return c;
}

static const char *const tally_tables[] = {"t_code", "t_pair", "t_dim", "t_hour", "t_dur", "t_kd"};

/* The selection and its tally, built when missing. */
static st_code tallied(st_db *db, const st_filter *f, st_error *e)
{
    if (selection(db, f, e))
        return e->code;
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "SELECT 1 FROM temp.sqlite_master WHERE name = 't_dur'", e))
        return e->code;
    bool done = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (done)
        return ST_OK;
    if (!tally_build(db, e))
        return ST_OK;
    /* Half a tally is no tally: the next query starts again. */
    st_error ignored = {0};
    for (size_t i = 0; i < sizeof tally_tables / sizeof tally_tables[0]; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.%s", tally_tables[i]);
        exec_sql(db, sql, &ignored);
    }
    return e->code;
}

static const char *group_sql(st_ex_query q)
{
    switch (q) {
    case EXQ_CODES:
        return "SELECT c.dim, c.code, x.n FROM (SELECT k, sum(n) AS n FROM temp.t_code GROUP BY k) x"
               " JOIN temp.codes c ON c.k = x.k ORDER BY x.k";
    case EXQ_ANSWERED:
        return "SELECT dim, sum(a), sum(b) FROM ("
               " SELECT c.dim AS dim, x.answered AS a, x.answers AS b FROM temp.t_dim x"
               "  JOIN (SELECT DISTINCT d, dim FROM temp.codes) c ON c.d = x.d"
               " UNION ALL"
               " SELECT dim, count(*), count(*) FROM temp.txt GROUP BY 1)"
               " GROUP BY dim ORDER BY dim";
    case EXQ_XTAB:
        /* t_pair holds each pair once, the code of the first dimension
         * (by id) first. */
        return "SELECT ca.code, cb.code, x.n FROM (SELECT ka, kb, n FROM temp.t_pair UNION ALL"
               " SELECT kb, ka, n FROM temp.t_pair) x JOIN temp.codes ca ON ca.k = x.ka"
               " JOIN temp.codes cb ON cb.k = x.kb WHERE ca.dim = :a0 AND cb.dim = :a1 ORDER BY 1, 2";
    case EXQ_WEEKDAY_HOUR:
        return "SELECT strftime('%w', day), hour, sum(n) FROM temp.t_hour GROUP BY 1, 2 ORDER BY 1, 2";
    case EXQ_WEEK:
        return "SELECT date(day, 'weekday 0', '-6 days'), sum(n) FROM temp.t_hour GROUP BY 1 ORDER BY 1";
    case EXQ_MONTH:
        return "SELECT substr(day, 1, 7), sum(n) FROM temp.t_hour GROUP BY 1 ORDER BY 1";
    case EXQ_SITE_SUMMARY:
        return "SELECT s.name, x.n, x.sessions, x.incomplete, x.tally, x.dur FROM"
               " (SELECT site, count(*) AS n, count(DISTINCT session) AS sessions, sum(incomplete) AS incomplete,"
               "  sum(tally) AS tally, avg(dur) AS dur FROM temp.sel GROUP BY site) x"
               " JOIN site s ON s.rowid = x.site ORDER BY 1";
    case EXQ_OBSERVER_SUMMARY:
        return "SELECT o.name, x.n, x.sessions, x.incomplete, x.tally, x.dur FROM"
               " (SELECT obs, count(*) AS n, count(DISTINCT session) AS sessions, sum(incomplete) AS incomplete,"
               "  sum(tally) AS tally, avg(dur) AS dur FROM temp.sel GROUP BY obs) x"
               " JOIN observer o ON o.rowid = x.obs ORDER BY 1";
    case EXQ_WHO_CODES:
        return "SELECT s.name, o.name, c.dim, c.code, x.n FROM temp.t_code x"
               " JOIN site s ON s.rowid = x.site JOIN observer o ON o.rowid = x.obs JOIN temp.codes c ON c.k = x.k"
               " ORDER BY 1, 2, 3, 4";
    case EXQ_XTAB_ALL:
        return "SELECT ca.dim, ca.code, cb.dim, cb.code, x.n FROM temp.t_pair x"
               " JOIN temp.codes ca ON ca.k = x.ka JOIN temp.codes cb ON cb.k = x.kb";
    }
    return NULL;
}

/* How many leading columns of each query are keys. */
static int group_keys(st_ex_query q)
{
    switch (q) {
    case EXQ_CODES:
    case EXQ_XTAB:
    case EXQ_WEEKDAY_HOUR:
        return 2;
    case EXQ_WHO_CODES:
    case EXQ_XTAB_ALL:
        return 4;
    default:
        return 1;
    }
}

st_code st_ex_groups(st_db *db, const st_filter *f, st_ex_query q, const char *a0, const char *a1, st_ex_group_fn fn,
                     void *ctx, st_error *e)
{
    sqlite3_stmt *st;
    bool by_sel = q == EXQ_SITE_SUMMARY || q == EXQ_OBSERVER_SUMMARY;
    if ((by_sel ? selection(db, f, e) : tallied(db, f, e)) || st_prepare(db, &st, group_sql(q), e))
        return e->code;
    bind_name(st, ":a0", a0);
    bind_name(st, ":a1", a1);
    int nk = group_keys(q), ncol = sqlite3_column_count(st), rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_ex_group g = {.x = {NAN}};
        for (int i = 0; i < nk; i++)
            g.k[i] = col_text(st, i);
        for (int i = nk, j = 0; i < ncol && j < 4; i++, j++)
            g.n[j] = sqlite3_column_int64(st, i);
        if (q == EXQ_SITE_SUMMARY || q == EXQ_OBSERVER_SUMMARY)
            g.x[0] = sqlite3_column_type(st, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 5);
        if (fn(ctx, &g)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("computing the tables"));
    return ST_OK;
}

/* ---- durations ------------------------------------------------------ */

typedef struct dur_group {
    char *code;
    long long n, rank;
    double sum;
    stats_quantile q50, q90;
} dur_group;

st_code st_ex_durations(st_db *db, const st_filter *f, const char *dim, st_ex_duration_fn fn, void *ctx,
                        st_error *e)
{
    /*
     * The groups' sizes and sums come from the tally, and their values from
     * its histogram, (code, duration, how many) in order of code then
     * duration: the median and the 90th percentile are read off it without
     * sorting or keeping the durations themselves.
     */
    if (tallied(db, f, e))
        return e->code;
    sqlite3_stmt *st;
    const char *sql = dim ? "SELECT c.k, c.code, x.n, x.sum, h.dur, h.m FROM temp.t_dur x"
                            " JOIN temp.codes c ON c.k = x.k"
                            " JOIN (SELECT k, dur, sum(n) AS m FROM temp.t_kd WHERE k > 0 GROUP BY k, dur) h ON h.k = x.k"
                            " WHERE c.dim = :a0 ORDER BY c.k, h.dur"
                          : "SELECT 0, NULL, x.n, x.sum, h.dur, h.m FROM temp.t_dur x"
                            " JOIN (SELECT dur, sum(n) AS m FROM temp.t_kd WHERE k = 0 GROUP BY dur) h"
                            " WHERE x.k = 0 ORDER BY h.dur";
    if (st_prepare(db, &st, sql, e))
        return e->code;
    bind_name(st, ":a0", dim);
    dur_group g = {0};
    sqlite3_int64 k = -1;
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_int64(st, 0) != k) {
            if (g.n) {
                st_ex_duration d = {g.code, g.n, g.sum / (double)g.n, stats_quantile_value(&g.q50),
                                    stats_quantile_value(&g.q90)};
                stop = fn(ctx, &d);
            }
            free(g.code);
            memset(&g, 0, sizeof g);
            if (stop)
                break;
            k = sqlite3_column_int64(st, 0);
            g.code = st_col_dup(st, 1);
            g.n = sqlite3_column_int64(st, 2);
            g.sum = (double)sqlite3_column_int64(st, 3);
            stats_quantile_init(&g.q50, 0.5, g.n);
            stats_quantile_init(&g.q90, 0.9, g.n);
        }
        long long m = sqlite3_column_int64(st, 5);
        double v = sqlite3_column_double(st, 4);
        stats_quantile_feed_run(&g.q50, g.rank, m, v);
        stats_quantile_feed_run(&g.q90, g.rank, m, v);
        g.rank += m;
    }
    if (stop)
        rc = SQLITE_DONE;
    else if (rc == SQLITE_DONE && g.n) {
        st_ex_duration d = {g.code, g.n, g.sum / (double)g.n, stats_quantile_value(&g.q50),
                            stats_quantile_value(&g.q90)};
        fn(ctx, &d);
    }
    free(g.code);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("computing the durations"));
    return ST_OK;
}
