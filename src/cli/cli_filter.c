/*
 * cli_filter.c — the selection options of export and stats (cli_filter.h).
 */
#include "cli/cli_filter.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"

static void push(const char ***v, size_t *n, const char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

bool cli_filter_opt(cli_filter *cf, int ch, const char *arg)
{
    switch (ch) {
    case CLI_F_FROM:
        cf->from = arg;
        return true;
    case CLI_F_TO:
        cf->to = arg;
        return true;
    case CLI_F_QUARTER:
        cf->quarter = arg;
        return true;
    case CLI_F_MONTH:
        cf->month = arg;
        return true;
    case CLI_F_YEAR:
        cf->year = arg;
        return true;
    case CLI_F_SITE:
        push(&cf->f.sites, &cf->f.nsites, arg);
        return true;
    case CLI_F_OBSERVER:
        push(&cf->f.observers, &cf->f.nobservers, arg);
        return true;
    default:
        return false;
    }
}

bool cli_filter_finish(cli_filter *cf)
{
    int ways = (cf->from || cf->to) + !!cf->quarter + !!cf->month + !!cf->year;
    if (ways > 1) {
        cli_error(_("give the period one way only: --from/--to, --quarter, --month or --year"));
        return false;
    }
    char err[256];
    bool ok;
    if (cf->quarter)
        ok = period_parse(PERIOD_QUARTER, cf->quarter, &cf->f.period, err, sizeof err);
    else if (cf->month)
        ok = period_parse(PERIOD_MONTH, cf->month, &cf->f.period, err, sizeof err);
    else if (cf->year)
        ok = period_parse(PERIOD_YEAR, cf->year, &cf->f.period, err, sizeof err);
    else
        ok = period_from_dates(cf->from, cf->to, &cf->f.period, err, sizeof err);
    if (!ok)
        cli_error("%s", err);
    return ok;
}

bool cli_filter_check(cli_filter *cf, st_db *db)
{
    st_error e = {0};
    if (st_ex_check_filter(db, &cf->f, &e)) {
        cli_error("%s", e.msg);
        return false;
    }
    return true;
}

void cli_filter_free(cli_filter *cf)
{
    free(cf->f.sites);
    free(cf->f.observers);
    cf->f.sites = cf->f.observers = NULL;
}
