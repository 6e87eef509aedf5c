/*
 * st_agree.c — sessions coded side by side and their interactions
 * (st_agree.h).
 *
 * Times are compared in true seconds with SQLite's unixepoch(), which
 * reads the UTC offset of the stored text, so a session spanning a change
 * of daylight-saving time still overlaps correctly.
 */
#include "store/st_agree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "store/store_internal.h"

/* An open (or crashed) session ends, as far as we know, at its last
 * interaction. */
#define SESSION_SQL                                                                                                   \
    "SELECT s.id, si.name, o.name, s.started_at, s.ended_at, unixepoch(s.started_at), "                               \
    "  unixepoch(coalesce(s.ended_at, (SELECT max(coalesce(i.ended_at, i.started_at)) FROM interaction i "         \
    "                                  WHERE i.session_id = s.id), s.started_at)), "                                \
    "  (SELECT count(*) FROM interaction i WHERE i.session_id = s.id AND i.deleted = 0) "                            \
    "FROM session s JOIN site si ON si.id = s.site_id JOIN observer o ON o.id = s.observer_id "

void st_ag_selection_free(st_ag_selection *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].site);
        free(s->v[i].observer);
        free(s->v[i].started_at);
        free(s->v[i].ended_at);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

static void add_row(st_ag_selection *sel, sqlite3_stmt *st)
{
    sel->v = xrealloc(sel->v, (sel->n + 1) * sizeof *sel->v);
    st_ag_session *s = &sel->v[sel->n++];
    st_col_copy(st, 0, s->id, sizeof s->id);
    s->site = st_col_dup(st, 1);
    s->observer = st_col_dup(st, 2);
    s->started_at = st_col_dup(st, 3);
    s->ended_at = st_col_dup(st, 4);
    s->start = sqlite3_column_int64(st, 5);
    s->end = sqlite3_column_int64(st, 6);
    s->interactions = sqlite3_column_int(st, 7);
}

/* Runs st (bound already) and appends every row.  Returns the number of
 * rows, or -1 after filling e. */
static long collect(st_db *db, sqlite3_stmt *st, st_ag_selection *sel, st_error *e)
{
    long rows = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        add_row(sel, st);
        rows++;
    }
    if (rc != SQLITE_DONE) {
        st_fail(db, e, _("reading the sessions"));
        return -1;
    }
    return rows;
}

/* The sessions named by id or prefix, each exactly once. */
static st_code named_sessions(st_db *db, const char *const *ids, size_t n, st_ag_selection *cand, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, SESSION_SQL "WHERE substr(s.id, 1, length(?1)) = ?1 ORDER BY s.id", e))
        return e->code;
    st_code c = ST_OK;
    for (size_t i = 0; i < n && !c; i++) {
        st_bind_text(st, 1, ids[i]);
        size_t before = cand->n;
        long rows = str_empty(ids[i]) ? 0 : collect(db, st, cand, e);
        sqlite3_reset(st);
        if (rows < 0)
            c = e->code;
        else if (rows == 0)
            c = st_set(e, ST_ERR_NOTFOUND, _("%s: no session '%s'"), db->path, ids[i]);
        else if (rows > 1)
            c = st_set(e, ST_ERR_INVALID, _("%s: '%s' names %ld sessions; give more of the id"), db->path, ids[i],
                       rows);
        for (size_t j = 0; !c && j < before; j++)
            if (!strcmp(cand->v[j].id, cand->v[before].id))
                c = st_set(e, ST_ERR_INVALID, _("session %s is given twice"), cand->v[j].id);
    }
    sqlite3_finalize(st);
    return c;
}

static st_code observer_sessions(st_db *db, const char *const *names, size_t n, st_ag_selection *cand,
                                 st_error *e)
{
    sqlite3_stmt *known, *st;
    if (st_prepare(db, &known, "SELECT count(*) FROM observer WHERE name = ?1", e))
        return e->code;
    if (st_prepare(db, &st, SESSION_SQL "WHERE o.name = ?1 ORDER BY s.started_at", e)) {
        sqlite3_finalize(known);
        return e->code;
    }
    st_code c = ST_OK;
    for (size_t i = 0; i < n && !c; i++) {
        st_bind_text(known, 1, names[i]);
        int rc = sqlite3_step(known);
        bool exists = rc == SQLITE_ROW && sqlite3_column_int(known, 0) > 0;
        sqlite3_reset(known);
        if (rc != SQLITE_ROW)
            c = st_fail(db, e, _("reading the observers"));
        else if (!exists)
            c = st_set(e, ST_ERR_NOTFOUND, _("%s: no observer named '%s'"), db->path, names[i]);
        else {
            st_bind_text(st, 1, names[i]);
            if (collect(db, st, cand, e) < 0)
                c = e->code;
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(known);
    sqlite3_finalize(st);
    return c;
}

static bool side_by_side(const st_ag_session *a, const st_ag_session *b, long long window)
{
    return strcmp(a->observer, b->observer) && !strcmp(a->site, b->site) && a->start <= b->end + window &&
           b->start <= a->end + window;
}

/* Sessions named one by one must all be usable: say which is not. */
static st_code check_named(st_db *db, const st_ag_selection *c, long long window, st_error *e)
{
    if (c->n < 2)
        return st_set(e, ST_ERR_INVALID, _("--sessions needs at least two sessions"));
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = i + 1; j < c->n; j++) {
            const st_ag_session *a = &c->v[i], *b = &c->v[j];
            if (!strcmp(a->observer, b->observer))
                return st_set(e, ST_ERR_INVALID, _("sessions %s and %s are both %s's: agreement needs two observers"),
                              a->id, b->id, a->observer);
            if (strcmp(a->site, b->site))
                return st_set(e, ST_ERR_INVALID, _("sessions %s (%s) and %s (%s) are not at the same site"), a->id,
                              a->site, b->id, b->site);
            if (!side_by_side(a, b, window))
                return st_set(e, ST_ERR_INVALID, _("%s: sessions %s and %s do not overlap in time"), db->path,
                              a->id, b->id);
        }
    return ST_OK;
}

static int session_cmp(const void *pa, const void *pb)
{
    const st_ag_session *a = pa, *b = pb;
    int c = strcmp(a->site, b->site);
    if (c)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Keeps the sessions side by side with another observer's; moves the
 * kept ones into sel. */
static void keep_side_by_side(st_ag_selection *cand, long long window, st_ag_selection *sel)
{
    bool *keep = xcalloc(cand->n, sizeof *keep);
    for (size_t i = 0; i < cand->n; i++)
        for (size_t j = 0; j < cand->n && !keep[i]; j++)
            keep[i] = j != i && side_by_side(&cand->v[i], &cand->v[j], window);
    for (size_t i = 0; i < cand->n; i++) {
        /* The same session may come twice (an observer named twice). */
        for (size_t j = 0; j < sel->n && keep[i]; j++)
            keep[i] = strcmp(sel->v[j].id, cand->v[i].id) != 0;
        if (keep[i]) {
            sel->v = xrealloc(sel->v, (sel->n + 1) * sizeof *sel->v);
            sel->v[sel->n++] = cand->v[i];
            memset(&cand->v[i], 0, sizeof cand->v[i]);
        }
    }
    free(keep);
    if (sel->n)
        qsort(sel->v, sel->n, sizeof *sel->v, session_cmp);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static st_code load_interactions(st_db *db, const st_ag_selection *sel, ar_input *in, st_error *e)
{
    /* Observers in the order of their names, so that pairs read the same
     * whatever the order of the sessions. */
    char **names = xcalloc(sel->n, sizeof *names);
    for (size_t s = 0; s < sel->n; s++)
        names[s] = sel->v[s].observer;
    if (sel->n)
        qsort(names, sel->n, sizeof *names, name_cmp);
    for (size_t s = 0; s < sel->n; s++)
        ar_input_coder(in, names[s]);
    free(names);
    sqlite3_stmt *st;
    /* One row per code (or one row without a code), in interaction order. */
    if (st_prepare(db, &st,
                   "SELECT i.id, unixepoch(i.started_at), i.started_at, c.dimension_id, c.code_id "
                   "FROM interaction i LEFT JOIN interaction_code c ON c.interaction_id = i.id "
                   "WHERE i.session_id = ?1 AND i.deleted = 0 ORDER BY i.started_at, i.id",
                   e))
        return e->code;
    for (size_t s = 0; s < sel->n; s++) {
        size_t coder = ar_input_coder(in, sel->v[s].observer), site = ar_input_site(in, sel->v[s].site);
        st_bind_text(st, 1, sel->v[s].id);
        ar_item *it = NULL;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *id = (const char *)sqlite3_column_text(st, 0);
            if (!it || strcmp(it->id, id))
                it = ar_input_add(in, id, coder, site, sqlite3_column_int64(st, 1),
                                  (const char *)sqlite3_column_text(st, 2));
            if (sqlite3_column_type(st, 3) != SQLITE_NULL)
                ar_item_add_code(it, (const char *)sqlite3_column_text(st, 3),
                                 (const char *)sqlite3_column_text(st, 4));
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(st);
            return st_fail(db, e, _("reading the interactions"));
        }
    }
    sqlite3_finalize(st);
    return ST_OK;
}

st_code st_agree_load(st_db *db, const char *const *sessions, size_t nsessions, const char *const *observers,
                      size_t nobservers, long long window, st_ag_selection *sel, ar_input *in, st_error *e)
{
    memset(sel, 0, sizeof *sel);
    st_ag_selection cand = {0};
    st_code c = ST_OK;
    if (nsessions) {
        if (!(c = named_sessions(db, sessions, nsessions, &cand, e)))
            c = check_named(db, &cand, window, e);
    } else if (nobservers) {
        c = observer_sessions(db, observers, nobservers, &cand, e);
    } else {
        sqlite3_stmt *st;
        if (!(c = st_prepare(db, &st, SESSION_SQL "ORDER BY s.started_at", e))) {
            if (collect(db, st, &cand, e) < 0)
                c = e->code;
            sqlite3_finalize(st);
        }
    }
    if (!c) {
        keep_side_by_side(&cand, window, sel);
        c = load_interactions(db, sel, in, e);
    }
    st_ag_selection_free(&cand);
    if (c) {
        st_ag_selection_free(sel);
        ar_input_free(in);
    }
    return c;
}
