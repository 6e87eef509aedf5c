/*
 * observe.h — `carnet observe`, the live-coding screen.
 *
 * The screen codes the interactions of one observation session: it asks
 * for the site and the observer when they are not given, opens the
 * session, and closes it when the observer quits.  Every change is
 * committed to the study before the screen shows it (core/coding.h says
 * how).  doc/observe.md is its user guide.
 */
#ifndef CARNET_TUI_OBSERVE_H
#define CARNET_TUI_OBSERVE_H

#include <stddef.h>

#include "store/store.h"

typedef enum ui_observe_end {
    UI_OBSERVE_CLOSED = 0, /* the session was opened, then closed */
    UI_OBSERVE_CANCELLED,  /* the observer left the start-up form */
    UI_OBSERVE_FAILED,     /* err says why */
} ui_observe_end;

/*
 * Runs the screen on db (opened for writing).  site and observer may be
 * NULL: the start-up form asks for them, offering the last ones.  On
 * UI_OBSERVE_FAILED, err holds a sentence for "carnet: ...".
 */
ui_observe_end ui_observe_run(st_db *db, const char *site, const char *observer, char *err, size_t errlen);

#endif
