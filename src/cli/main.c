/*
 * main.c — carnet's entry point: locale, global options, dispatch to the
 * subcommand named on the command line.
 */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"

#ifndef CARNET_VERSION
#define CARNET_VERSION "0.0.0"
#endif
#ifndef CARNET_LOCALEDIR
#define CARNET_LOCALEDIR "/usr/local/share/locale"
#endif

static void print_help(FILE *out)
{
    fprintf(out, _("Usage: carnet [--db FILE] COMMAND [OPTIONS]\n"
                   "Code live interactions at a public-service reception desk against a codebook,\n"
                   "then export the counts to spreadsheets.\n\n"
                   "Commands:\n"));
    for (const cli_command *c = cli_commands; c->name; c++) {
        char *head = xasprintf("%s %s", c->name, c->args);
        fprintf(out, "  %s\n      %s\n", head, _(c->summary));
        free(head);
    }
    fprintf(out, _("\nGlobal options:\n"
                   "  --db FILE      the study file (default: $CARNET_DB, else ./carnet.db)\n"
                   "  -h, --help     show this help and exit\n"
                   "  -V, --version  show the version and exit\n\n"
                   "Exit status: 0 success, 1 failure (invalid input or study), 2 usage error.\n"
                   "See carnet(1) for details.\n"));
}

/* Messages come from the catalogue installed with carnet or, when run from
 * the build tree, from the one built beside the executable. */
static void setup_locale(void)
{
    setlocale(LC_ALL, "");
    const char *env = getenv("CARNET_LOCALEDIR");
    char *dir = cli_exe_dir();
    char *local = xasprintf("%s/build/locale", dir);
    char *installed = xasprintf("%s/../share/locale/fr/LC_MESSAGES/carnet.mo", dir);
    char *installed_dir = xasprintf("%s/../share/locale", dir);
    const char *chosen = CARNET_LOCALEDIR;
    if (!str_empty(env))
        chosen = env;
    else if (access(local, R_OK) == 0)
        chosen = local;
    else if (access(installed, R_OK) == 0)
        chosen = installed_dir;
    bindtextdomain("carnet", chosen);
    bind_textdomain_codeset("carnet", "UTF-8");
    textdomain("carnet");
    free(installed);
    free(installed_dir);
    free(local);
    free(dir);
}

int main(int argc, char **argv)
{
    /* Under a file-size limit (ulimit -f) a write past it would kill the
     * program with SIGXFSZ, mid-transaction; ignored, the write fails with
     * EFBIG, SQLite rolls back, and the store says what happened. */
    signal(SIGXFSZ, SIG_IGN);
    setup_locale();
    cli_ctx ctx = {0};
    const char *env_db = getenv("CARNET_DB");
    ctx.db_path = !str_empty(env_db) ? env_db : "carnet.db";

    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {0, 0, 0, 0},
    };
    int ch;
    opterr = 1;
    /* '+' stops at the command name: what follows belongs to it. */
    while ((ch = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (ch) {
        case 'D':
            ctx.db_path = optarg;
            break;
        case 'h':
            print_help(stdout);
            return EXIT_OK;
        case 'V':
            printf("carnet %s\n", CARNET_VERSION);
            return EXIT_OK;
        default:
            print_help(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    for (const cli_command *c = cli_commands; c->name; c++) {
        if (strcmp(c->name, name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0; /* GNU getopt: 0 resets its state for the subcommand */
            return c->fn(&ctx, sub_argc, sub_argv);
        }
    }
    cli_error(_("unknown command '%s'"), name);
    print_help(stderr);
    return EXIT_USAGE;
}
