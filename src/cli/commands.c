/*
 * commands.c — the table of subcommands.  Adding a command is one line
 * here and one file cmd_NAME.c; --help is printed from this table.
 */
#include "cli/cli.h"
#include "core/i18n.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_codebook(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_commands[] = {
    {"init", "[--codebook FILE] [--site NAME] [--name NAME]",
     N_("create a study file (with the shipped French codebook unless one is given)"), cmd_init},
    {"codebook", "check|import|export|show|versions|diff|edit ...",
     N_("check, import, export, show, compare or edit codebooks ('carnet codebook')"), cmd_codebook},
    {NULL, NULL, NULL, NULL},
};
