/*
 * codebook_edit.h — the full-screen codebook editor (`carnet codebook
 * edit`, and the live-coding screen's way to change the codebook without
 * closing its session).
 *
 * It edits a copy of the study's current codebook: add, rename, reorder,
 * retire and restore dimensions and codes, change hotkeys (conflicts are
 * refused with the code that holds the key and the keys still free), edit
 * the definition, when to use, when not to use and example in a multi-line
 * editor, and the other fields of a code (other-specify and its validation,
 * suggestion patterns, parent, codable, colour).  A code that recorded
 * answers use can be retired, never deleted (the store is asked); ids are
 * chosen once and never reused.  Saving adds a new version of the codebook
 * (st_codebook_add_by(), source = cbf_write()), so that every interaction
 * keeps the version it was coded with.  The keys are in doc/codebook-editor.md.
 */
#ifndef CARNET_TUI_CODEBOOK_EDIT_H
#define CARNET_TUI_CODEBOOK_EDIT_H

#include <stdbool.h>

#include "core/uuid.h"
#include "store/store.h"

/*
 * Runs the editor inside an already started curses screen (ui_init()) and
 * returns when the user leaves it; the caller redraws its own screen after.
 * who is recorded as the author of the versions saved (may be NULL).
 * *saved tells whether at least one version was saved, and version_id
 * receives the last one's id ("" when none).  Returns ST_OK, or the store's
 * error (in e) when the codebook cannot be read; a failed save is shown on
 * screen, where the user can fix the codebook and save again.
 *
 *     char err[256], vid[UUID_STRLEN];
 *     bool saved;
 *     st_error e;
 *     if (ui_init(err, sizeof err)) {
 *         ui_cbedit_run(db, "Camille", &saved, vid, &e);
 *         ui_end();
 *     }
 */
st_code ui_cbedit_run(st_db *db, const char *who, bool *saved, char version_id[UUID_STRLEN], st_error *e);

#endif
