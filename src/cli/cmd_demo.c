/*
 * cmd_demo.c — `carnet demo`: fill the study with a year of synthetic
 * interactions (src/core/demo.h, written by src/store/st_demo.c).
 *
 * When the study does not exist yet, it is created first as `carnet init`
 * would (the shipped French codebook), so that `carnet demo` alone gives a
 * newcomer something to look at.  An existing study gets the interactions
 * added, coded with its current codebook.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/period.h"
#include "core/util.h"
#include "store/st_demo.h"

#define DEMO_DEFAULT_N 5000
#define DEMO_DEFAULT_SITES 3

int cmd_init(cli_ctx *ctx, int argc, char **argv);

static bool parse_ll(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static void progress(void *ctx, long long done, long long total)
{
    (void)ctx;
    fprintf(stderr, _("  %lld / %lld interactions\n"), done, total);
}

int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"interactions", required_argument, NULL, 'n'},
        {"sites", required_argument, NULL, 's'},
        {"seed", required_argument, NULL, 'S'},
        {"from", required_argument, NULL, 'F'},
        {"days", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    long long n = DEMO_DEFAULT_N, sites = DEMO_DEFAULT_SITES, days = 365, seed = -1;
    const char *from = NULL;
    bool quiet = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "n:s:S:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            if (!parse_ll(optarg, 0, 100000000, &n)) {
                cli_error(_("--interactions takes a number from 0 to 100000000, not '%s'"), optarg);
                return cli_bad_usage("demo");
            }
            break;
        case 's':
            if (!parse_ll(optarg, 1, DEMO_MAX_SITES, &sites)) {
                cli_error(_("--sites takes a number from 1 to %d, not '%s'"), DEMO_MAX_SITES, optarg);
                return cli_bad_usage("demo");
            }
            break;
        case 'S':
            if (!parse_ll(optarg, 0, 0x7FFFFFFFFFFFFFFFLL, &seed)) {
                cli_error(_("--seed takes a non-negative number, not '%s'"), optarg);
                return cli_bad_usage("demo");
            }
            break;
        case 'F':
            from = optarg;
            break;
        case 'd':
            if (!parse_ll(optarg, 1, 3660, &days)) {
                cli_error(_("--days takes a number from 1 to 3660, not '%s'"), optarg);
                return cli_bad_usage("demo");
            }
            break;
        case 'q':
            quiet = true;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet demo [--interactions N] [--sites K] [--seed S] [--from DATE] [--days N]\n"
                     "Adds N synthetic interactions (default %d) over a year at K sites (default %d) to the\n"
                     "study, creating it with the shipped codebook when it does not exist.  The same seed\n"
                     "and --from give the same interactions.\n"),
                   DEMO_DEFAULT_N, DEMO_DEFAULT_SITES);
            return EXIT_OK;
        default:
            return cli_bad_usage("demo");
        }
    }
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_bad_usage("demo");
    }
    demo_params p = {.interactions = n, .sites = (int)sites, .days = (int)days};
    if (from) {
        if (!period_parse_date(from, &p.from_y, &p.from_m, &p.from_d)) {
            cli_error(_("invalid date '%s': expected YYYY-MM-DD such as 2026-09-14"), from);
            return EXIT_FAIL;
        }
    } else {
        /* The year that ended yesterday. */
        time_t now = time(NULL);
        struct tm t;
        localtime_r(&now, &t);
        t.tm_mday -= (int)days;
        t.tm_hour = 12;
        t.tm_isdst = -1;
        mktime(&t);
        p.from_y = t.tm_year + 1900;
        p.from_m = t.tm_mon + 1;
        p.from_d = t.tm_mday;
    }
    if (seed < 0) {
        uint64_t r = 0;
        if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
            r = (uint64_t)time(NULL);
        seed = (long long)(r >> 1);
    }
    p.seed = (uint64_t)seed;

    struct stat sb;
    if (stat(ctx->db_path, &sb) != 0 && errno == ENOENT) {
        char *av[] = {"init", NULL};
        optind = 0;
        if (cmd_init(ctx, 1, av) != EXIT_OK)
            return EXIT_FAIL;
    }
    st_db *db = cli_open_study(ctx, ST_WRITE);
    if (!db)
        return EXIT_FAIL;
    st_error e = {0};
    st_demo_result r;
    if (st_demo_fill(db, &p, quiet ? NULL : progress, NULL, &r, &e)) {
        cli_error("%s", e.msg);
        st_close(db);
        return EXIT_FAIL;
    }
    st_close(db);
    printf(_("Added %lld demo interactions (%lld deleted) in %lld sessions at %lld sites by %lld observers, "
             "from %s to %s, to %s (seed %lld).\n"),
           r.interactions, r.deleted, r.sessions, r.sites, r.observers, r.first[0] ? r.first : "-",
           r.last[0] ? r.last : "-", ctx->db_path, seed);
    return EXIT_OK;
}
