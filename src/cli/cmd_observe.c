/*
 * cmd_observe.c — `carnet observe`: the live-coding screen (tui/observe.h).
 *
 * --keys prints the screen's key map as the Markdown table of
 * doc/observe.md, from the same table the screen obeys and its help shows
 * (core/coding_keys.c): the test suite compares the two, so the guide
 * cannot drift from the program.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/coding.h"
#include "core/i18n.h"
#include "core/util.h"
#include "tui/observe.h"

static void print_keys(void)
{
    static const unsigned places[] = {COD_IN_MAIN, COD_IN_HISTORY, COD_IN_INPUT, COD_IN_VIEW};
    for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
        printf("%s### %s\n\n| %s | %s |\n|---|---|\n", p ? "\n" : "", _(cod_place_title(places[p])), _("Keys"),
               _("What they do"));
        cod_help_item items[64];
        size_t n = cod_help_items(places[p], items, 64);
        for (size_t i = 0; i < n && i < 64; i++) {
            /* Each key name in code style; "|" would end the cell. */
            printf("| ");
            char *keys = xstrdup(items[i].keys);
            bool first = true;
            for (char *k = strtok(keys, " "); k; k = strtok(NULL, " ")) {
                printf("%s`%s`", first ? "" : " ", strcmp(k, "|") ? k : "\\|");
                first = false;
            }
            free(keys);
            printf(" | %s |\n", _(items[i].help));
        }
    }
    printf("\n%s\n", _(cod_help_footer));
}

int cmd_observe(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"site", required_argument, NULL, 's'},
        {"observer", required_argument, NULL, 'o'},
        {"keys", no_argument, NULL, 'k'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    const char *site = NULL, *observer = NULL;
    int ch;
    while ((ch = getopt_long(argc, argv, "s:o:h", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            site = optarg;
            break;
        case 'o':
            observer = optarg;
            break;
        case 'k':
            print_keys();
            return EXIT_OK;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet observe [--site NAME] [--observer NAME] [--keys] [--db FILE]\n"
                     "Opens the live-coding screen on the study; asks for the site and the observer\n"
                     "when they are not given. --keys prints the key map. See doc/observe.md.\n"));
            return EXIT_OK;
        default:
            return cli_bad_usage("observe");
        }
    }
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_bad_usage("observe");
    }
    st_db *db = cli_open_study(ctx, ST_WRITE);
    if (!db)
        return EXIT_FAIL;
    char err[700] = "";
    ui_observe_end end = ui_observe_run(db, site, observer, err, sizeof err);
    st_close(db);
    if (end == UI_OBSERVE_FAILED) {
        cli_error("%s", err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
