/*
 * cli.h — what the subcommands share: the command table, exit codes, how a
 * study is found and opened, and how errors reach the user.
 *
 * Each subcommand lives in its own file (cmd_init.c, cmd_codebook.c, ...)
 * and has one entry in the table of commands.c, from which --help is
 * printed.  Only this layer prints to the terminal or calls exit().
 */
#ifndef CARNET_CLI_CLI_H
#define CARNET_CLI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/diag.h"
#include "store/store.h"

/* Exit codes, documented in doc/carnet.1. */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,  /* invalid input or study, failed operation */
    EXIT_USAGE = 2, /* unknown command, bad flag, missing argument */
};

typedef struct cli_ctx {
    const char *db_path; /* --db, $CARNET_DB or ./carnet.db */
} cli_ctx;

typedef int (*cli_fn)(cli_ctx *ctx, int argc, char **argv);

typedef struct cli_command {
    const char *name;
    const char *args;    /* usage after the name, e.g. "[--codebook FILE]" */
    const char *summary; /* one line, translated at print time */
    cli_fn fn;
} cli_command;

/* The table (commands.c), ended by an entry whose name is NULL. */
extern const cli_command cli_commands[];

/* Prints "carnet: message" on stderr (the message is already translated;
 * control characters from the data are shown as '?'). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the usage of cmd ("carnet NAME ARGS") and returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *args);
/* For a subcommand's getopt '?' case: its usage, EXIT_USAGE. */
int cli_bad_usage(const char *name);

/* Opens the study of ctx; on failure prints the reason and returns NULL. */
st_db *cli_open_study(cli_ctx *ctx, st_open_flags flags);

/* Prints every diagnostic as FILE:LINE:COL: message on stderr (on out),
 * control characters shown as '?'. */
void cli_print_diags(const diag_list *l);
void cli_print_diags_to(FILE *out, const diag_list *l);

/*
 * Finds a file shipped with carnet (rel is e.g. "codebooks/x.yaml"):
 * $CARNET_DATADIR/rel, then beside the executable (the build tree), then the
 * installed DATADIR.  Returns a new string or NULL.
 */
char *cli_data_file(const char *rel);

/* The folder holding the running executable (new string). */
char *cli_exe_dir(void);

/*
 * Writes len bytes to path atomically: a temporary file in the same folder,
 * fsync, then rename.  Refuses to replace an existing file unless force.
 * mode is the new file's permissions.  On failure prints the reason and
 * returns false; nothing is left under path.
 */
bool cli_write_file(const char *path, const char *data, size_t len, bool force, int mode);

/*
 * For writers that need a file name (libxlsxwriter): a new empty file
 * beside path, mode 0600, whose name the caller frees; NULL after printing
 * why (and, unless force, when path exists already).  Then
 * cli_replace_file() syncs it, gives it mode and renames it to path, or
 * removes it after printing why: nothing is ever left half-written under
 * path.
 */
char *cli_temp_beside(const char *path, bool force);
bool cli_replace_file(const char *tmp, const char *path, int mode);

/* Standard --help / --db options for subcommands' getopt tables. */
#define CLI_OPT_HELP {"help", no_argument, NULL, 'h'}
#define CLI_OPT_DB {"db", required_argument, NULL, 'D'}

#endif
