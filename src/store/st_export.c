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
 * The selection, materialised once: every aggregate reads two narrow
 * temporary tables rather than the wide interaction rows (notes, five
 * UUIDs) again and again.  temp.sel has one row per selected interaction
 * with what the tables group on; temp.ans one row per code chosen, keyed by
 * the interaction's integer n, in the order of its primary key, so that
 * grouping an interaction's answers needs no sort.  temp.sel_key remembers
 * the filter they were built for; a query with another filter rebuilds
 * them.  Temporary tables live in SQLite's temporary database (a file,
 * cached with a bounded cache), so they work on a read-only study too.
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
        "DROP TABLE IF EXISTS temp.codes",
        "PRAGMA temp.cache_size = -16384",
        /* Every (dimension, code) of every version as a small integer k,
         * in (dimension, code) order, with d the dimension's rank: the
         * aggregates group and join on integers. */
        "CREATE TEMP TABLE codes (k INTEGER PRIMARY KEY, d INTEGER NOT NULL, dim TEXT NOT NULL, code TEXT NOT NULL,"
        " UNIQUE (dim, code))",
        "INSERT INTO temp.codes (d, dim, code) SELECT dense_rank() OVER (ORDER BY dimension_id), dimension_id, id"
        " FROM (SELECT DISTINCT dimension_id, id FROM code) ORDER BY dimension_id, id",
        "CREATE TEMP TABLE sel (n INTEGER PRIMARY KEY, id TEXT NOT NULL, site INTEGER NOT NULL, obs INTEGER NOT NULL,"
        " session TEXT NOT NULL, version TEXT NOT NULL, start TEXT NOT NULL, incomplete INTEGER, tally INTEGER,"
        " open INTEGER, noted INTEGER, dur INTEGER)",
        "CREATE TEMP TABLE ans (n INTEGER NOT NULL, d INTEGER NOT NULL, k INTEGER NOT NULL,"
        " PRIMARY KEY (n, d, k)) WITHOUT ROWID",
    };
    for (size_t i = 0; i < sizeof build / sizeof build[0]; i++)
        if (exec_sql(db, build[i], e)) {
            free(key);
            return e->code;
        }
    if (prepare_filtered(db,
                         "INSERT INTO temp.sel (id, site, obs, session, version, start, incomplete, tally, open,"
                         " noted, dur) SELECT i.id, (SELECT rowid FROM site WHERE id = i.site_id),"
                         " (SELECT rowid FROM observer WHERE id = i.observer_id), i.session_id, i.codebook_version_id,"
                         " i.started_at, i.incomplete, i.tally, i.ended_at IS NULL,"
                         " i.note IS NOT NULL AND i.note <> '',"
                         " CASE WHEN i.ended_at IS NULL OR i.tally THEN NULL ELSE " DURATION_SQL " END"
                         " FROM interaction i WHERE %W ORDER BY i.rowid",
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
    if (exec_sql(db,
                 "INSERT INTO temp.ans (n, d, k) SELECT s.n, k.d, k.k FROM temp.sel s"
                 " CROSS JOIN interaction_code c ON c.interaction_id = s.id"
                 " JOIN temp.codes k ON k.dim = c.dimension_id AND k.code = c.code_id",
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
                    " GROUP BY version) x JOIN codebook_version v ON v.id = x.version ORDER BY v.seq",
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

/* Answers travel as one text per interaction: records separated by the
 * ASCII record separator, fields by the unit separator; both are replaced
 * in the texts themselves, where a person cannot have typed them. */
#define CLEAN(x) "replace(replace(coalesce(" x ", ''), char(30), ' '), char(31), ' ')"

struct st_ex_cursor {
    st_db *db;
    sqlite3_stmt *st;
    char *buf;
    size_t cap;
    st_ex_answer *answers;
    size_t acap;
};

st_code st_ex_cursor_open(st_db *db, const st_filter *f, st_ex_cursor **out, st_error *e)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (prepare_filtered(
            db,
            "SELECT i.id, i.started_at, i.ended_at, s.name, o.name, i.session_id, i.codebook_version_id, i.note,"
            " i.incomplete, i.tally,"
            " CASE WHEN i.ended_at IS NULL OR i.tally THEN NULL"
            "  ELSE unixepoch(i.ended_at) - unixepoch(i.started_at) - i.paused_seconds END,"
            " (SELECT group_concat(c.dimension_id || char(31) || c.code_id || char(31) || (c.other_text IS NOT NULL)"
            "   || " CLEAN("c.other_text") ", char(30)) FROM interaction_code c WHERE c.interaction_id = i.id),"
            " (SELECT group_concat(t.dimension_id || char(31) || " CLEAN("t.text") ", char(30))"
            "   FROM interaction_text t WHERE t.interaction_id = i.id)"
            " FROM interaction i JOIN site s ON s.id = i.site_id JOIN observer o ON o.id = i.observer_id"
            " WHERE %W ORDER BY i.started_at, i.id",
            f, 0, &st, e))
        return e->code;
    st_ex_cursor *c = xcalloc(1, sizeof *c);
    c->db = db;
    c->st = st;
    *out = c;
    return ST_OK;
}

static void add_answer(st_ex_cursor *c, size_t *n, const char *dim, const char *code, const char *text)
{
    xgrow((void **)&c->answers, &c->acap, *n + 1, sizeof *c->answers);
    c->answers[(*n)++] = (st_ex_answer){dim, code, text};
}

/* Splits the answers of one interaction, in place in s. */
static void split_answers(st_ex_cursor *c, char *s, bool coded, size_t *n)
{
    while (s && *s) {
        char *rec_end = strchr(s, '\x1e');
        if (rec_end)
            *rec_end = '\0';
        char *dim = s, *f1 = strchr(s, '\x1f');
        if (f1) {
            *f1++ = '\0';
            if (coded) {
                char *f2 = strchr(f1, '\x1f');
                if (f2) {
                    *f2++ = '\0';
                    /* f2 is "1" + text when there is an other-specify text. */
                    add_answer(c, n, dim, f1, f2[0] == '1' ? f2 + 1 : NULL);
                }
            } else
                add_answer(c, n, dim, NULL, f1);
        }
        s = rec_end ? rec_end + 1 : NULL;
    }
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
    /* The two answer texts are copied, since they are split in place. */
    const char *codes = col_text(c->st, 11), *texts = col_text(c->st, 12);
    size_t lc = codes ? strlen(codes) : 0, lt = texts ? strlen(texts) : 0;
    xgrow((void **)&c->buf, &c->cap, lc + lt + 2, 1);
    memcpy(c->buf, codes ? codes : "", lc + 1);
    memcpy(c->buf + lc + 1, texts ? texts : "", lt + 1);
    row->id = col_text(c->st, 0);
    row->started_at = col_text(c->st, 1);
    row->ended_at = col_text(c->st, 2);
    row->site = col_text(c->st, 3);
    row->observer = col_text(c->st, 4);
    row->session = col_text(c->st, 5);
    row->version = col_text(c->st, 6);
    row->note = col_text(c->st, 7);
    row->incomplete = sqlite3_column_int(c->st, 8);
    row->tally = sqlite3_column_int(c->st, 9);
    row->has_duration = sqlite3_column_type(c->st, 10) != SQLITE_NULL;
    row->duration = sqlite3_column_int64(c->st, 10);
    size_t n = 0;
    split_answers(c, c->buf, true, &n);
    split_answers(c, c->buf + lc + 1, false, &n);
    row->answers = c->answers;
    row->nanswers = n;
    *more = true;
    return ST_OK;
}

void st_ex_cursor_close(st_ex_cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
    free(c->buf);
    free(c->answers);
    free(c);
}

/* ---- groups --------------------------------------------------------- */


static const char *group_sql(st_ex_query q)
{
    switch (q) {
    case EXQ_CODES:
        return "SELECT c.dim, c.code, x.n FROM (SELECT k, count(*) AS n FROM temp.ans GROUP BY k) x"
               " JOIN temp.codes c ON c.k = x.k ORDER BY x.k";
    case EXQ_ANSWERED:
        /* temp.ans is in (n, d) order: the inner grouping streams. */
        return "SELECT dim, sum(a), sum(b) FROM ("
               " SELECT c.dim AS dim, x.a AS a, x.b AS b FROM (SELECT d, count(*) AS a, sum(m) AS b FROM"
               "  (SELECT d, count(*) AS m FROM temp.ans GROUP BY n, d) GROUP BY d) x"
               "  JOIN (SELECT DISTINCT d, dim FROM temp.codes) c ON c.d = x.d"
               " UNION ALL"
               " SELECT t.dimension_id, count(*), count(*) FROM temp.sel s"
               "  CROSS JOIN interaction_text t ON t.interaction_id = s.id GROUP BY 1)"
               " GROUP BY dim ORDER BY dim";
    case EXQ_XTAB:
        return "SELECT ca.code, cb.code, x.n FROM (SELECT a.k AS ka, b.k AS kb, count(*) AS n FROM temp.ans a"
               " JOIN temp.ans b ON b.n = a.n AND b.d = (SELECT d FROM temp.codes WHERE dim = :a1 LIMIT 1)"
               " WHERE a.d = (SELECT d FROM temp.codes WHERE dim = :a0 LIMIT 1) GROUP BY 1, 2) x"
               " JOIN temp.codes ca ON ca.k = x.ka JOIN temp.codes cb ON cb.k = x.kb ORDER BY 1, 2";
    case EXQ_WEEKDAY_HOUR:
        return "SELECT strftime('%w', substr(start, 1, 10)), substr(start, 12, 2), count(*)"
               " FROM temp.sel GROUP BY 1, 2 ORDER BY 1, 2";
    case EXQ_WEEK:
        return "SELECT date(day, 'weekday 0', '-6 days'), sum(n) FROM"
               " (SELECT substr(start, 1, 10) AS day, count(*) AS n FROM temp.sel GROUP BY 1) GROUP BY 1 ORDER BY 1";
    case EXQ_MONTH:
        return "SELECT substr(start, 1, 7), count(*) FROM temp.sel GROUP BY 1 ORDER BY 1";
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
        return "SELECT s.name, o.name, c.dim, c.code, x.n FROM ("
               " SELECT sel.site AS site, sel.obs AS obs, a.k AS k, count(*) AS n"
               "  FROM temp.sel sel CROSS JOIN temp.ans a ON a.n = sel.n GROUP BY 1, 2, 3) x"
               " JOIN site s ON s.rowid = x.site JOIN observer o ON o.rowid = x.obs JOIN temp.codes c ON c.k = x.k"
               " ORDER BY 1, 2, 3, 4";
    case EXQ_XTAB_ALL:
        return "SELECT ca.dim, ca.code, cb.dim, cb.code, x.n FROM ("
               " SELECT a.k AS ka, b.k AS kb, count(*) AS n FROM temp.ans a"
               "  JOIN temp.ans b ON b.n = a.n AND b.d > a.d GROUP BY 1, 2) x"
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
    if (prepare_sel(db, group_sql(q), f, &st, e))
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

static int dur_flush(dur_group *g, st_ex_duration_fn fn, void *ctx)
{
    if (!g->n)
        return 0;
    st_ex_duration d = {g->code, g->n, g->sum / (double)g->n, stats_quantile_value(&g->q50),
                        stats_quantile_value(&g->q90)};
    int r = fn(ctx, &d);
    free(g->code);
    memset(g, 0, sizeof *g);
    return r;
}

st_code st_ex_durations(st_db *db, const st_filter *f, const char *dim, st_ex_duration_fn fn, void *ctx,
                        st_error *e)
{
    /* Ordered by code then duration, with the size of each group known
     * from its first row: the median and the 90th percentile are read off
     * the stream without keeping it. */
    sqlite3_stmt *st;
    const char *sql = dim ? "SELECT c.code, x.dur, x.n FROM (SELECT a.k AS k, s.dur AS dur,"
                            "  count(*) OVER (PARTITION BY a.k) AS n FROM temp.sel s"
                            "  CROSS JOIN temp.ans a ON a.n = s.n AND a.d = (SELECT d FROM temp.codes WHERE dim = :a0"
                            "  LIMIT 1) WHERE s.dur IS NOT NULL) x JOIN temp.codes c ON c.k = x.k ORDER BY x.k, x.dur"
                          : "SELECT NULL, dur, count(*) OVER () FROM temp.sel WHERE dur IS NOT NULL ORDER BY dur";
    if (prepare_sel(db, sql, f, &st, e))
        return e->code;
    bind_name(st, ":a0", dim);
    dur_group g = {0};
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = col_text(st, 0);
        if (g.n && !str_eq0(code, g.code))
            stop = dur_flush(&g, fn, ctx);
        if (stop)
            break;
        if (!g.n) {
            g.code = xstrdup(code);
            g.n = sqlite3_column_int64(st, 2);
            stats_quantile_init(&g.q50, 0.5, g.n);
            stats_quantile_init(&g.q90, 0.9, g.n);
        }
        double v = sqlite3_column_double(st, 1);
        stats_quantile_feed(&g.q50, g.rank, v);
        stats_quantile_feed(&g.q90, g.rank, v);
        g.sum += v;
        g.rank++;
    }
    if (stop)
        rc = SQLITE_DONE;
    else if (rc == SQLITE_DONE)
        dur_flush(&g, fn, ctx);
    free(g.code);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("computing the durations"));
    return ST_OK;
}
