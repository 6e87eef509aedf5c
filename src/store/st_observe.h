/*
 * st_observe.h — what the coding screen asks of the study beyond the write
 * path of st_interaction.h: committing one change of the coding state
 * machine (core/coding.h) through that write path, the names known for the
 * start-up form, and the interactions an earlier session left open.
 */
#ifndef CARNET_STORE_ST_OBSERVE_H
#define CARNET_STORE_ST_OBSERVE_H

#include <stddef.h>

#include "core/coding.h"
#include "store/st_interaction.h"

/*
 * Commits one change (cod_key()'s output) with the st_ix_* or st_session_*
 * call it stands for: one transaction with its audit row, done when this
 * returns ST_OK.  *r receives the new interaction's id (START, TALLY) and
 * the interaction's derived flags as the store now has them.  The screen
 * and the keystroke benchmark both record through here.
 */
st_code st_apply_change(st_db *db, const st_session_ctx *ctx, const cod_change *c, cod_result *r, st_error *e);

/* The names of the study's sites or observers (what: "site" or
 * "observer"), the most recently used first.  Free with st_names_free(). */
st_code st_names(st_db *db, const char *what, char ***out, size_t *n, st_error *e);
void st_names_free(char **v, size_t n);

/* An interaction left open (no end, not deleted) by an earlier session. */
typedef struct st_open_ix {
    char id[UUID_STRLEN];
    char codebook_version_id[UUID_STRLEN];
    char started_at[TS_LEN];
    char updated_at[TS_LEN];         /* its last recorded change */
    char session_started_at[TS_LEN]; /* when its session began */
} st_open_ix;

/*
 * The interactions left open by the observer's other sessions than
 * session_id (a crash, or quitting with interactions open), oldest first.
 * Other observers' interactions are never listed: they may be at work
 * beside us.  Free with free().
 */
st_code st_open_elsewhere(st_db *db, const char *observer_id, const char *session_id, st_open_ix **out, size_t *n,
                          st_error *e);

#endif
