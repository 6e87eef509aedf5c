/*
 * timeutil.h — timestamps as carnet stores them.
 *
 * Every moment is kept as ISO 8601 local time with its UTC offset, to the
 * second: "2026-09-14T09:05:12+02:00".  The text sorts in time order within a
 * study (one time zone, save for daylight-saving changes), SQLite's date
 * functions understand it, and a person reading the file sees the desk's
 * own clock.
 */
#ifndef CARNET_CORE_TIMEUTIL_H
#define CARNET_CORE_TIMEUTIL_H

#include <stdbool.h>
#include <time.h>

#define TS_LEN 32

/* Formats t in the local time zone. */
void ts_format(time_t t, char out[TS_LEN]);
/* The current time, formatted. */
void ts_now(char out[TS_LEN]);
/* Parses a timestamp written by ts_format (offset required).  false if bad. */
bool ts_parse(const char *s, time_t *out);

#endif
