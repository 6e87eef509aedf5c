/*
 * st_agree.h — the queries behind `carnet agreement`: which sessions were
 * coded side by side, and their interactions with their codes.
 *
 * Two sessions are side by side when they were held by different
 * observers at the same site and overlap in time (allowing the matching
 * window at either end, since one observer may open the session a little
 * after the other).  The matching itself is pure and lives in
 * core/agree_report.h.
 */
#ifndef CARNET_STORE_ST_AGREE_H
#define CARNET_STORE_ST_AGREE_H

#include "core/agree_report.h"
#include "store/store.h"

typedef struct st_ag_session {
    char id[UUID_STRLEN];
    char *site, *observer;
    char *started_at, *ended_at; /* ended_at NULL while open (or after a crash) */
    long long start, end;        /* seconds since the epoch; end is the last moment known */
    long interactions;           /* not deleted */
} st_ag_session;

typedef struct st_ag_selection {
    st_ag_session *v; /* by site, then start */
    size_t n;
} st_ag_selection;

/*
 * Chooses the sessions and loads their interactions (deleted ones left
 * out) into in, coders being observers' names and sites sites' names.
 *
 * sessions (ids, or unique prefixes of ids) names the sessions exactly:
 * at least two, of different observers, at one site, overlapping;
 * otherwise the call fails with ST_ERR_INVALID and says which.
 * observers (names) takes every session of those observers; with neither,
 * every session is a candidate.  Of the candidates, only those side by
 * side with another observer's are kept: sel->n is 0 when none is.
 * Unknown sessions and observers fail with ST_ERR_NOTFOUND.
 *
 * Free sel with st_ag_selection_free() and in with ar_input_free().
 */
st_code st_agree_load(st_db *db, const char *const *sessions, size_t nsessions, const char *const *observers,
                      size_t nobservers, long long window, st_ag_selection *sel, ar_input *in, st_error *e);
void st_ag_selection_free(st_ag_selection *s);

#endif
