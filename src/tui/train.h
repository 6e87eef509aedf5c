/*
 * train.h — the training screen of `carnet train`: one vignette at a time,
 * coded with the codebook's hotkeys as in live coding, then the score.
 *
 * The screen fills the caller's tr_run and records each vignette in the
 * study (st_train_answer) before moving on, so quitting at any moment
 * keeps every vignette the screen showed as done.
 */
#ifndef CARNET_TUI_TRAIN_H
#define CARNET_TUI_TRAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/training.h"
#include "store/store.h"

typedef enum ui_train_end {
    UI_TRAIN_FINISHED, /* every vignette answered; the run is marked finished */
    UI_TRAIN_QUIT,     /* the trainee quit early (F10): the answers so far are recorded */
    UI_TRAIN_ERROR     /* no terminal, or a write failed: err says why */
} ui_train_end;

/*
 * Runs the screen on a terminal for run_id (started by the caller with
 * st_train_start) and returns how it ended.  trainee is shown in the
 * header.  run must be initialised for set and cb.
 */
ui_train_end ui_train(st_db *db, const char *run_id, const char *trainee, const cb_codebook *cb, const vg_set *set,
                      tr_run *run, char *err, size_t errlen);

#endif
