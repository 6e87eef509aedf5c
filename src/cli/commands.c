/*
 * commands.c — the table of subcommands.  Adding a command is one line
 * here and one file cmd_NAME.c; --help is printed from this table.
 */
#include "cli/cli.h"
#include "core/i18n.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_codebook(cli_ctx *ctx, int argc, char **argv);
int cmd_agreement(cli_ctx *ctx, int argc, char **argv);
int cmd_merge(cli_ctx *ctx, int argc, char **argv);
int cmd_train(cli_ctx *ctx, int argc, char **argv);
int cmd_observe(cli_ctx *ctx, int argc, char **argv);
int cmd_demo(cli_ctx *ctx, int argc, char **argv);
int cmd_export(cli_ctx *ctx, int argc, char **argv);
int cmd_stats(cli_ctx *ctx, int argc, char **argv);
int cmd_backup(cli_ctx *ctx, int argc, char **argv);
int cmd_purge(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_commands[] = {
    {"init", "[--codebook FILE] [--site NAME] [--name NAME]",
     N_("create a study file (with the shipped French codebook unless one is given)"), cmd_init},
    {"observe", "[--site NAME] [--observer NAME] [--keys]", N_("code live interactions at the desk (full screen)"),
     cmd_observe},
    {"codebook", "check|import|export|show|versions|diff|edit ...",
     N_("check, import, export, show, compare or edit codebooks ('carnet codebook')"), cmd_codebook},
    {"export", "[FILTERS] [--format xlsx|csv] [--notes MODE] [-o FILE] [--force] [-v]",
     N_("export the interactions and their statistics to XLSX or CSV"), cmd_export},
    {"stats", "[FILTERS] [--cross DIM1,DIM2]",
     N_("print the frequencies of each dimension and a cross-tabulation"), cmd_stats},
    {"merge", "FILE...", N_("merge other study files into this one (the files are not changed)"), cmd_merge},
    {"agreement", "[--sessions A,B | --observers X,Y] [--window S] [-o FILE.xlsx]",
     N_("agreement between observers who coded the same desk at the same time"), cmd_agreement},
    {"train", "FILE [--trainee NAME] | --check FILE | --report [--run ID]",
     N_("code training vignettes, scored against the reference; list the runs"), cmd_train},
    {"demo", "[--interactions N] [--sites K] [--seed S] [--from DATE] [--days N]",
     N_("fill the study with a year of synthetic interactions"), cmd_demo},
    {"backup", "FILE [--force]", N_("copy the study to FILE, consistent even while it is being coded"), cmd_backup},
    {"purge", "--notes-before DATE [--dry-run]",
     N_("remove the notes dated before DATE from the study and its audit log"), cmd_purge},
    {NULL, NULL, NULL, NULL},
};
