/*
 * st_interaction.h — recording observation sessions and interactions.
 *
 * This is the write path of live coding.  Every function that changes an
 * interaction runs in one IMMEDIATE transaction that also appends one row to
 * the audit log (who, when, the interaction before and after, as JSON
 * snapshots), and returns only after COMMIT: with WAL and synchronous=FULL,
 * an ST_OK from here means the change survives a kill -9 or a power cut.  A
 * screen may therefore show a change as recorded as soon as the call returns
 * ST_OK, and must not before.
 *
 * The incomplete flag is never set by callers: after each change it is
 * recomputed in SQL from the interaction's codebook version (an interaction
 * that is not a tally and leaves an active required dimension without an
 * answer is incomplete), so that the rule lives in one place.
 *
 * The data model these functions write is described in doc/data-model.md.
 */
#ifndef CARNET_STORE_ST_INTERACTION_H
#define CARNET_STORE_ST_INTERACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/timeutil.h"
#include "store/store.h"

/* Who records and where: what every new interaction of a session carries. */
typedef struct st_session_ctx {
    char session_id[UUID_STRLEN];
    char site_id[UUID_STRLEN];
    char observer_id[UUID_STRLEN];
    char codebook_version_id[UUID_STRLEN];
    char who[128]; /* the observer's name, written in the audit log */
} st_session_ctx;

/*
 * Opens an observation session for the named site and observer (created
 * when new) on the study's current codebook version, or on version_id when
 * it is not NULL, and fills *ctx.  at is the start time (NULL: now).  The
 * names are remembered as the last site and observer.
 */
st_code st_session_open(st_db *db, const char *site, const char *observer, const char *version_id, const char *at,
                        st_session_ctx *ctx, st_error *e);

/* Ends the session at `at` (NULL: now), closing a pause left open. */
st_code st_session_close(st_db *db, const char *session_id, const char *at, st_error *e);

/*
 * Pauses and resumes a session (breaks, lunchtime closing).  Pausing an
 * already paused session, or resuming one that is not paused, is
 * ST_ERR_INVALID.  Time spent paused is left out of the duration of the
 * interactions it overlaps (interaction.paused_seconds, recomputed when an
 * interaction ends or its times change).
 */
st_code st_session_pause(st_db *db, const char *session_id, const char *at, st_error *e);
st_code st_session_resume(st_db *db, const char *session_id, const char *at, st_error *e);
/* Whether the session is paused now. */
st_code st_session_paused(st_db *db, const char *session_id, bool *paused, st_error *e);

/* Adds a timestamped field note to the session (not to an interaction). */
st_code st_session_note_add(st_db *db, const char *session_id, const char *text, const char *at, char id[UUID_STRLEN],
                            st_error *e);

/* Starts an interaction in the session at `at` (NULL: now); its id is
 * written to id. */
st_code st_ix_start(st_db *db, const st_session_ctx *ctx, const char *at, char id[UUID_STRLEN], st_error *e);

/*
 * Records a complete interaction in one step (tally mode, rush hours): the
 * single code `code` on dimension `dim`, start and end both `at`, the tally
 * flag set (duration unknown).  The code is checked as by st_ix_set_code().
 */
st_code st_ix_tally(st_db *db, const st_session_ctx *ctx, const char *dim, const char *code, const char *at,
                    char id[UUID_STRLEN], st_error *e);

/*
 * Chooses (on = true) or removes a code on a dimension.  On a single-choice
 * dimension choosing a code replaces the one chosen before.  other_text is
 * the "other, specify" answer kept with the code (NULL for none).  The
 * dimension and code must exist in the interaction's codebook version, and
 * a code newly chosen must be neither retired nor a heading (a code with
 * codable: false, which only groups others): ST_ERR_INVALID otherwise.
 * `who` is written to the audit log.
 */
st_code st_ix_set_code(st_db *db, const char *ix, const char *dim, const char *code, bool on, const char *other_text,
                       const char *who, st_error *e);

/* The answer to a free-text dimension (NULL or "" removes it). */
st_code st_ix_set_text(st_db *db, const char *ix, const char *dim, const char *text, const char *who, st_error *e);

/* The interaction's note (NULL or "" removes it). */
st_code st_ix_set_note(st_db *db, const char *ix, const char *note, const char *who, st_error *e);

/*
 * Ends the interaction at `at` (NULL: now).  Ending an ended interaction
 * moves its end.  The incomplete flag and paused time are recomputed.
 */
st_code st_ix_end(st_db *db, const char *ix, const char *at, const char *who, st_error *e);

/* Opens an ended interaction again (its end becomes unknown). */
st_code st_ix_reopen(st_db *db, const char *ix, const char *who, st_error *e);

/* Sets both times (ended_at NULL: still open).  started_at must not be
 * after ended_at (ST_ERR_INVALID). */
st_code st_ix_set_times(st_db *db, const char *ix, const char *started_at, const char *ended_at, const char *who,
                        st_error *e);

/* Marks the interaction deleted or brings it back.  Nothing is ever
 * removed from the study: a deleted interaction is left out of counts and
 * exports, and its history stays in the audit log. */
st_code st_ix_set_deleted(st_db *db, const char *ix, bool deleted, const char *who, st_error *e);

/* One chosen code of an interaction. */
typedef struct st_ix_code {
    char *dimension_id;
    char *code_id;
    char *other_text; /* NULL when none */
} st_ix_code;

/* One answer to a free-text dimension. */
typedef struct st_ix_text {
    char *dimension_id;
    char *text;
} st_ix_text;

/* An interaction as stored. */
typedef struct st_ix {
    char id[UUID_STRLEN];
    char session_id[UUID_STRLEN];
    char codebook_version_id[UUID_STRLEN];
    char started_at[TS_LEN];
    char ended_at[TS_LEN]; /* "" while open */
    bool incomplete, tally, deleted;
    long long paused_seconds;
    char *note; /* NULL when none */
    st_ix_code *codes; /* in codebook order of dimensions, then codes */
    size_t ncodes;
    st_ix_text *texts;
    size_t ntexts;
} st_ix;

/* Loads one interaction.  ST_ERR_NOTFOUND when there is none with that id.
 * Free with st_ix_free(). */
st_code st_ix_load(st_db *db, const char *ix, st_ix *out, st_error *e);
void st_ix_free(st_ix *x);

/*
 * The interactions of a session, oldest first (deleted ones left out unless
 * with_deleted).  Free with st_ix_list_free().
 */
st_code st_ix_list_session(st_db *db, const char *session_id, bool with_deleted, st_ix **out, size_t *n,
                           st_error *e);
void st_ix_list_free(st_ix *v, size_t n);

/*
 * The interaction as the JSON object the audit log keeps (doc/data-model.md).
 * Caller frees *json with free().  ST_ERR_NOTFOUND when absent.
 */
st_code st_ix_snapshot(st_db *db, const char *ix, char **json, st_error *e);

/* One row of the audit log. */
typedef struct st_audit_row {
    long long seq;
    char *id, *interaction_id, *at, *who, *action, *before, *after;
} st_audit_row;

/* The audit rows of one interaction, oldest first.  Free with
 * st_audit_free(). */
st_code st_audit_of(st_db *db, const char *ix, st_audit_row **out, size_t *n, st_error *e);
void st_audit_free(st_audit_row *v, size_t n);

#endif
