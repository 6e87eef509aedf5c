/*
 * cli_filter.h — the selection options that `carnet export` and
 * `carnet stats` share: --from, --to, --quarter, --month, --year, --site
 * and --observer (both repeatable).
 */
#ifndef CARNET_CLI_FILTER_H
#define CARNET_CLI_FILTER_H

#include <getopt.h>
#include <stdbool.h>

#include "store/st_export.h"

/* getopt values of the options, out of the range of letters. */
enum { CLI_F_FROM = 1000, CLI_F_TO, CLI_F_QUARTER, CLI_F_MONTH, CLI_F_YEAR, CLI_F_SITE, CLI_F_OBSERVER };

#define CLI_FILTER_OPTIONS                                                                                           \
    {"from", required_argument, NULL, CLI_F_FROM}, {"to", required_argument, NULL, CLI_F_TO},                        \
        {"quarter", required_argument, NULL, CLI_F_QUARTER}, {"month", required_argument, NULL, CLI_F_MONTH},        \
        {"year", required_argument, NULL, CLI_F_YEAR}, {"site", required_argument, NULL, CLI_F_SITE},               \
        {"observer", required_argument, NULL, CLI_F_OBSERVER}

#define CLI_FILTER_USAGE                                                                                             \
    "[--from DATE] [--to DATE] [--quarter 2026Q3 | --month 2026-09 | --year 2026] [--site NAME]... "               \
    "[--observer NAME]..."

typedef struct cli_filter {
    const char *from, *to, *quarter, *month, *year;
    st_filter f; /* sites and observers point into argv */
} cli_filter;

/* Takes option ch (with its argument) when it is a filter option; returns
 * false for any other. */
bool cli_filter_opt(cli_filter *cf, int ch, const char *arg);

/* Parses the period into cf->f.period; prints "carnet: reason" and returns
 * false on a bad date or period, or on two ways of giving the period. */
bool cli_filter_finish(cli_filter *cf);

/* Checks the names against the study (printing the reason). */
bool cli_filter_check(cli_filter *cf, st_db *db);

void cli_filter_free(cli_filter *cf);

#endif
