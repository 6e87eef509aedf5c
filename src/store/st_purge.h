/*
 * st_purge.h — the retention limit of personal data: removing the notes of
 * a period from a study, everywhere they are kept.
 *
 * Notes (an interaction's note, a session's field notes) are where
 * personal data ends up despite every instruction.  A purge clears the
 * notes of the interactions that started before a date, deletes the
 * session notes written before it, scrubs the note text from the audit
 * log's snapshots of those interactions, and records the purge itself as
 * an audit row (action "purge").  Then it rewrites the file (secure_delete,
 * VACUUM with its temporary copy in memory) and truncates the -wal file,
 * so that no copy of the text stays in the study's files.  The design is
 * in doc/privacy.md.
 */
#ifndef CARNET_STORE_ST_PURGE_H
#define CARNET_STORE_ST_PURGE_H

#include <stdbool.h>

#include "store/store.h"

typedef struct st_purge_result {
    long long interaction_notes; /* interactions whose note was cleared */
    long long session_notes;     /* session notes deleted */
    long long audit_rows;        /* audit rows whose snapshots were scrubbed */
    bool wal_truncated;          /* false: another program held the study open and -wal could not be emptied */
    char audit_id[UUID_STRLEN];  /* the purge's own audit row ("" on a dry run or when nothing was purged) */
} st_purge_result;

/*
 * Purges the notes dated before `date` (YYYY-MM-DD, local date, the day
 * itself kept): by an interaction's start time, by a session note's
 * creation time.  who is written in the audit row.  With dry_run, only
 * counts what would go (nothing is written).  Fills *r.
 */
st_code st_purge_notes(st_db *db, const char *date, bool dry_run, const char *who, st_purge_result *r,
                       st_error *e);

/*
 * For `carnet merge` (doc/merge.md: a note purged on either side stays
 * purged), inside the transaction the caller holds: the purge of the
 * notes before date, of the whole study (scope NULL) or only of the
 * interactions and sessions that the attached schema scope ("src0"...,
 * built by the caller, never from input) also holds.  Its audit row is
 * written (who) when anything went; *r gets the counts.  After its
 * commit the caller rewrites the file with st_purge_rewrite().
 */
st_code st_purge_in_tx(st_db *db, const char *date, const char *scope, const char *who, st_purge_result *r,
                       st_error *e);

/* The latest date a purge recorded in schema's audit log ("main",
 * "src0"...) applied, into date ("" when there was none). */
st_code st_purge_latest_date(st_db *db, const char *schema, char date[11], st_error *e);

/* Rewrites the file after a purge's commit (VACUUM, its temporary copy in
 * memory; the -wal truncated), so that the text purged is gone from its
 * pages; r->wal_truncated says whether the -wal could be emptied. */
st_code st_purge_rewrite(st_db *db, st_purge_result *r, st_error *e);

#endif
