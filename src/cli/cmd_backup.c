/*
 * cmd_backup.c — `carnet backup FILE`: a consistent copy of the study,
 * safe to run while `carnet observe` records (st_backup.h).
 */
#include <stdlib.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "store/st_backup.h"

int cmd_backup(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"force", no_argument, NULL, 'f'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    bool force = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            force = true;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet backup FILE [--force] [--db FILE]\n"
                     "Copies the study to FILE (mode 0600), consistent even while it is being coded.\n"));
            return EXIT_OK;
        default:
            return cli_bad_usage("backup");
        }
    }
    if (optind + 1 != argc) {
        cli_error(_("backup needs exactly one FILE"));
        return cli_bad_usage("backup");
    }
    const char *dest = argv[optind];
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    st_error e = {0};
    st_backup_info info;
    st_code c = st_backup(db, dest, force, NULL, NULL, &info, &e);
    st_close(db);
    if (c) {
        cli_error("%s", e.msg);
        return EXIT_FAIL;
    }
    printf(_("Backed up %s to %s (%lld interactions, %lld bytes), checked.\n"), ctx->db_path, dest,
           info.interactions, info.bytes);
    return EXIT_OK;
}
