/*
 * cmd_purge.c — `carnet purge --notes-before DATE`: the retention limit of
 * personal data (st_purge.h, doc/privacy.md).
 */
#include <stdlib.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "store/st_purge.h"

int cmd_purge(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"notes-before", required_argument, NULL, 'b'},
        {"dry-run", no_argument, NULL, 'n'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    const char *date = NULL;
    bool dry = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "b:nh", opts, NULL)) != -1) {
        switch (ch) {
        case 'b':
            date = optarg;
            break;
        case 'n':
            dry = true;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet purge --notes-before DATE [--dry-run] [--db FILE]\n"
                     "Removes the notes of interactions that started before DATE (YYYY-MM-DD, that day kept)\n"
                     "and the session notes written before it, from the study and its audit log.\n"));
            return EXIT_OK;
        default:
            return cli_bad_usage("purge");
        }
    }
    if (optind != argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_bad_usage("purge");
    }
    if (!date) {
        cli_error(_("purge needs --notes-before DATE"));
        return cli_bad_usage("purge");
    }
    st_db *db = cli_open_study(ctx, ST_WRITE);
    if (!db)
        return EXIT_FAIL;
    st_error e = {0};
    st_purge_result r;
    st_code c = st_purge_notes(db, date, dry, "purge", &r, &e);
    st_close(db);
    if (c) {
        cli_error("%s", e.msg);
        return EXIT_FAIL;
    }
    printf(dry ? _("Would purge notes before %s: %lld interaction notes, %lld session notes, %lld audit rows.\n")
               : _("Purged notes before %s: %lld interaction notes, %lld session notes, %lld audit rows.\n"),
           date, r.interaction_notes, r.session_notes, r.audit_rows);
    if (!dry && !r.wal_truncated)
        fprintf(stderr,
                _("carnet: warning: another program has the study open; copies of the purged text may remain in "
                  "%s-wal until it closes. Run the purge again then.\n"),
                ctx->db_path);
    return EXIT_OK;
}
