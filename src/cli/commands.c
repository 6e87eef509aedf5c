/*
 * commands.c — the table of subcommands.  Adding a command is one line
 * here and one file cmd_NAME.c; --help is printed from this table.
 */
#include "cli/cli.h"
#include "core/i18n.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_codebook(cli_ctx *ctx, int argc, char **argv);
int cmd_backup(cli_ctx *ctx, int argc, char **argv);
int cmd_purge(cli_ctx *ctx, int argc, char **argv);

const cli_command cli_commands[] = {
    {"init", "[--codebook FILE] [--site NAME] [--name NAME]",
     N_("create a study file (with the shipped French codebook unless one is given)"), cmd_init},
    {"codebook", "check FILE... | import FILE | export [-o FILE] [--force] | show",
     N_("check, import, export or show codebooks"), cmd_codebook},
    {"backup", "FILE [--force]", N_("copy the study to FILE, consistent even while it is being coded"), cmd_backup},
    {"purge", "--notes-before DATE [--dry-run]",
     N_("remove the notes dated before DATE from the study and its audit log"), cmd_purge},
    {NULL, NULL, NULL, NULL},
};
