/*
 * commands.c — the table of subcommands.  Adding a command is one line
 * here and one file cmd_NAME.c; --help is printed from this table.
 */
#include "cli/cli.h"
#include "core/i18n.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_codebook(cli_ctx *ctx, int argc, char **argv);
int cmd_demo(cli_ctx *ctx, int argc, char **argv);
int cmd_export(cli_ctx *ctx, int argc, char **argv);
int cmd_stats(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_commands[] = {
    {"init", "[--codebook FILE] [--site NAME] [--name NAME]",
     N_("create a study file (with the shipped French codebook unless one is given)"), cmd_init},
    {"codebook", "check FILE... | import FILE | export [-o FILE] [--force] | show",
     N_("check, import, export or show codebooks"), cmd_codebook},
    {"demo", "[--interactions N] [--sites K] [--seed S] [--from DATE] [--days N]",
     N_("fill the study with a year of synthetic interactions"), cmd_demo},
    {"export", "[FILTERS] [--format xlsx|csv] [--notes MODE] [-o FILE] [--force] [-v]",
     N_("export the interactions and their statistics to XLSX or CSV"), cmd_export},
    {"stats", "[FILTERS] [--cross DIM1,DIM2]",
     N_("print the frequencies of each dimension and a cross-tabulation"), cmd_stats},
    {NULL, NULL, NULL, NULL},
};
