/*
 * cmd_init.c — `carnet init`: create a study with a first codebook version.
 *
 * The codebook is read and validated before the study file is created, so
 * that a bad codebook leaves nothing behind.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "codebook/cb_file.h"
#include "core/i18n.h"
#include "core/util.h"

#define DEFAULT_CODEBOOK "codebooks/labacces-accueil.yaml"

/* The study's name by default: the file's name without its extension. */
static char *default_name(const char *path)
{
    char *copy = xstrdup(path);
    char *base = xstrdup(basename(copy));
    free(copy);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    return base;
}

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"codebook", required_argument, NULL, 'c'},
        {"site", required_argument, NULL, 's'},
        {"name", required_argument, NULL, 'n'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    const char *codebook = NULL, *site = NULL, *name = NULL;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:s:n:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            codebook = optarg;
            break;
        case 's':
            site = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet init [--codebook FILE] [--site NAME] [--name NAME] [--db FILE]\n"
                     "Creates a study file (mode 0600) holding a first version of the codebook.\n"));
            return EXIT_OK;
        default:
            return cli_bad_usage("init");
        }
    }
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_bad_usage("init");
    }
    char *found = NULL;
    if (!codebook) {
        found = cli_data_file(DEFAULT_CODEBOOK);
        if (!found) {
            cli_error(_("cannot find the shipped codebook %s; give one with --codebook FILE"), DEFAULT_CODEBOOK);
            return EXIT_FAIL;
        }
        codebook = found;
    }
    diag_list diags = {0};
    cb_codebook *cb;
    if (cbf_read_file(codebook, &cb, &diags)) {
        cli_print_diags(&diags);
        diag_clear(&diags);
        free(found);
        return EXIT_FAIL;
    }
    char *dflt = name ? NULL : default_name(ctx->db_path);
    st_db *db = NULL;
    st_error e = {0};
    char vid[UUID_STRLEN], sid[UUID_STRLEN];
    char *source = cbf_write(cb);
    int rc = EXIT_FAIL;
    if (st_create(ctx->db_path, name ? name : dflt, &db, &e) != ST_OK) {
        cli_error("%s", e.msg);
        goto out;
    }
    if (st_begin(db, &e) || st_codebook_add(db, cb, source, vid, &e) ||
        (site && (st_site_ensure(db, site, sid, &e) || st_setting_set(db, "last_site", site, &e))) ||
        st_commit(db, &e)) {
        cli_error("%s", e.msg);
        st_close(db);
        db = NULL;
        /* A study without its codebook is useless: take it away. */
        unlink(ctx->db_path);
        goto out;
    }
    printf(_("Created study '%s' in %s with codebook %s version %d.\n"), name ? name : dflt, ctx->db_path, cb->id,
           cb->version);
    rc = EXIT_OK;
out:
    st_close(db);
    free(source);
    free(dflt);
    cb_free(cb);
    free(found);
    return rc;
}
