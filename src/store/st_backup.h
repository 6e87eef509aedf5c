/*
 * st_backup.h — a consistent copy of a study while it is in use.
 *
 * The copy is made with SQLite's online backup API from one read
 * transaction: it is the study as it was at one commit, even while
 * `carnet observe` records in another process (WAL lets that process go on
 * writing meanwhile).  It is written to a temporary name beside the
 * destination, checked (integrity, application id), made durable, and only
 * then renamed to the destination, mode 0600: a backup that exists is a
 * whole, readable study.
 */
#ifndef CARNET_STORE_ST_BACKUP_H
#define CARNET_STORE_ST_BACKUP_H

#include <stdbool.h>

#include "store/store.h"

/* Pages copied by one step: small enough that a step is short, large
 * enough that a big study takes few. */
#define ST_BACKUP_STEP_PAGES 256

/* Called after each step with the pages still to copy and the total. */
typedef void (*st_backup_progress)(void *arg, int remaining, int total);

typedef struct st_backup_info {
    long long pages;        /* pages in the copy */
    long long bytes;        /* size of the copy */
    long long interactions; /* interactions (not deleted) in the copy */
} st_backup_info;

/*
 * Copies the open study db to dest.  An existing dest is replaced only when
 * force (ST_ERR_EXISTS otherwise); dest may not be the study itself.
 * progress (may be NULL) is called between steps with arg.  info (may be
 * NULL) is filled on success.  On failure nothing is left at dest (an
 * existing file there is untouched) nor under a temporary name.
 */
st_code st_backup(st_db *db, const char *dest, bool force, st_backup_progress progress, void *arg,
                  st_backup_info *info, st_error *e);

#endif
