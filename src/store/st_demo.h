/*
 * st_demo.h — filling a study with synthetic interactions (`carnet demo`).
 *
 * The generator is src/core/demo.h; this file writes what it produces into
 * the study as live coding would have, under the writing rules of
 * doc/data-model.md: UUID v7 ids whose time is the moment recorded, local
 * ISO 8601 times with their offset, the incomplete flag computed in SQL by
 * the same rule as live coding, paused time, and one audit row per
 * interaction ('create', or 'tally') holding the snapshot, plus a 'delete'
 * row for those deleted.  Everything is one transaction with prepared
 * statements, so a million interactions take seconds, not hours, and a
 * failure leaves the study as it was.
 */
#ifndef CARNET_STORE_ST_DEMO_H
#define CARNET_STORE_ST_DEMO_H

#include "core/demo.h"
#include "store/store.h"

typedef struct st_demo_result {
    long long interactions, sessions, sites, observers, deleted;
    char first[11], last[11]; /* first and last day, YYYY-MM-DD */
} st_demo_result;

/* Progress: called every so many interactions with how many are written. */
typedef void (*st_demo_progress)(void *ctx, long long done, long long total);

/*
 * Adds p->interactions interactions to the study, coded against its
 * current codebook version, at p->sites sites with
 * DEMO_OBSERVERS_PER_SITE observers each (sites and observers are created
 * when missing).  progress may be NULL.
 */
st_code st_demo_fill(st_db *db, const demo_params *p, st_demo_progress progress, void *ctx, st_demo_result *out,
                     st_error *e);

#endif
