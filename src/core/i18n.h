/*
 * i18n.h — message translation through gettext (GNU libc's libintl).
 *
 * Every text a user reads goes through _() so that the French catalogue in
 * po/fr.po can translate it; N_() marks a string for extraction without
 * translating it at that point (tables of static strings).
 */
#ifndef CARNET_CORE_I18N_H
#define CARNET_CORE_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
