/*
 * st_merge.h — merging other study files into the current one (`carnet
 * merge`), by UUID, in one transaction; the rules are in doc/merge.md.
 *
 * Sources are never opened in place: each is copied (with its -wal file)
 * into a private temporary folder, the copy is migrated forward by the
 * store's own migrations when it is older, and the copy is ATTACHed.  A
 * source written by a newer carnet is refused.
 */
#ifndef CARNET_STORE_ST_MERGE_H
#define CARNET_STORE_ST_MERGE_H

#include "store/store.h"

/* The tables a merge reports on, in the order they are merged. */
typedef enum st_merge_table {
    SM_CODEBOOK = 0, /* codebook versions */
    SM_SITE,
    SM_OBSERVER,
    SM_SESSION,
    SM_PAUSE,
    SM_NOTE,         /* session notes */
    SM_INTERACTION,
    SM_AUDIT,        /* audit rows */
    SM_TRAINING,     /* training runs */
    SM_NTABLES
} st_merge_table;

/* The table's name for the summary (translated). */
const char *st_merge_table_name(st_merge_table t);

typedef struct st_merge_count {
    long added, updated, skipped, conflicts;
} st_merge_count;

/* An interaction edited differently in the study and in a source. */
typedef struct st_merge_conflict {
    char *file;
    char interaction[UUID_STRLEN];
    char *ours_at, *ours_who;     /* the study's latest change */
    char *theirs_at, *theirs_who; /* the source's latest change */
    bool theirs_won;
} st_merge_conflict;

/* A code id (or dimension id) that means one thing here and another in a
 * source; what is a full sentence naming both meanings. */
typedef struct st_merge_clash {
    char *file;
    char *what;
} st_merge_clash;

typedef struct st_merge_file {
    char *path;
    char *study;     /* the source's study name */
    int schema;      /* the source's schema version (older ones are migrated in the copy) */
} st_merge_file;

typedef struct st_merge_report {
    st_merge_count count[SM_NTABLES];
    st_merge_file *files;
    size_t nfiles;
    st_merge_conflict *conflicts;
    size_t nconflicts;
    st_merge_clash *clashes;
    size_t nclashes;
    /* Notes that came in, or stayed, although a purge of the study or of a
     * source had removed them, and were purged on the way (doc/merge.md). */
    long long purged_notes, purged_session_notes;
    bool wal_truncated; /* after such a purge: false when another program kept copies in -wal */
} st_merge_report;

/*
 * Merges the n study files into db (opened for writing) in one
 * transaction.  Merging a file twice adds nothing the second time.
 *
 * When a codebook clash is found, nothing is merged: the call returns
 * ST_ERR_INVALID and r->clashes lists every clash.  Any other failure
 * (a source that is not a study, is newer, cannot be read; a write that
 * fails) also leaves db as it was.  Free r with st_merge_report_free()
 * whatever the outcome.
 */
st_code st_merge(st_db *db, const char *const *files, size_t n, st_merge_report *r, st_error *e);
void st_merge_report_free(st_merge_report *r);

#endif
