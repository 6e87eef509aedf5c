/*
 * st_train.h — training runs in the study (`carnet train`): who trained,
 * on which vignette file (its text is kept, so a report can be rebuilt
 * after the file changed or moved), and each code chosen.
 *
 * Tables training_run, training_vignette and training_answer; see
 * doc/training.md.  Each recorded vignette is one transaction, committed
 * before the screen moves on.
 */
#ifndef CARNET_STORE_ST_TRAIN_H
#define CARNET_STORE_ST_TRAIN_H

#include "core/training.h"
#include "store/store.h"

/* Starts a run for trainee on the vignette file path (title and source
 * text as read) coded with codebook version version_id; its id is
 * written to run_id. */
st_code st_train_start(st_db *db, const char *trainee, const char *path, const char *title, const char *source,
                       const char *version_id, char run_id[UUID_STRLEN], st_error *e);

/* Records the trainee's answer to one vignette (position is its place in
 * the file): the codes chosen on each dimension of cb, replacing an
 * earlier answer to the same vignette. */
st_code st_train_answer(st_db *db, const char *run_id, const char *vignette_id, int position, const cb_codebook *cb,
                        const tr_run *run, size_t vignette, st_error *e);

/* Removes a run that recorded no answer (the screen could not start). */
st_code st_train_discard(st_db *db, const char *run_id, st_error *e);

/* Marks the run finished (every vignette answered). */
st_code st_train_finish(st_db *db, const char *run_id, st_error *e);

typedef struct st_train_info {
    char id[UUID_STRLEN];
    char version_id[UUID_STRLEN]; /* "" when unknown */
    char *trainee, *vignettes, *title, *source; /* source NULL for runs of an older carnet */
    char *started_at, *ended_at;                /* ended_at NULL while unfinished */
} st_train_info;

/* Every run, oldest first, or only trainee's when not NULL.  Free with
 * st_train_infos_free(). */
st_code st_train_runs(st_db *db, const char *trainee, st_train_info **out, size_t *n, st_error *e);
void st_train_infos_free(st_train_info *v, size_t n);

/* The run whose id is id or starts with it (ST_ERR_NOTFOUND, or
 * ST_ERR_INVALID when the prefix names several).  Free its strings with
 * st_train_info_clear(). */
st_code st_train_get(st_db *db, const char *id, st_train_info *out, st_error *e);
void st_train_info_clear(st_train_info *t);

/* Fills run (initialised by the caller for set and cb) with the run's
 * answers; answers to vignettes or dimensions the set or codebook no
 * longer has are ignored. */
st_code st_train_load(st_db *db, const char *run_id, const vg_set *set, const cb_codebook *cb, tr_run *run,
                      st_error *e);

#endif
