/*
 * cmd_merge.c — `carnet merge FILE...`: merges other study files into the
 * current study (st_merge.h, doc/merge.md) and prints what was added,
 * updated and skipped, table by table, with the conflicts it resolved.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/i18n.h"
#include "store/st_merge.h"

static void print_summary(const st_merge_report *r)
{
    cli_table t;
    cli_table_init(&t, "lrrrr");
    cli_table_cell(&t, _("TABLE"));
    cli_table_cell(&t, _("ADDED"));
    cli_table_cell(&t, _("UPDATED"));
    cli_table_cell(&t, _("SKIPPED"));
    cli_table_cell(&t, _("CONFLICTS"));
    for (int i = 0; i < SM_NTABLES; i++) {
        const st_merge_count *n = &r->count[i];
        cli_table_cell(&t, st_merge_table_name((st_merge_table)i));
        cli_table_cellf(&t, "%ld", n->added);
        cli_table_cellf(&t, "%ld", n->updated);
        cli_table_cellf(&t, "%ld", n->skipped);
        cli_table_cellf(&t, "%ld", n->conflicts);
    }
    cli_table_print(&t, stdout, 2);
    cli_table_free(&t);
}

static void print_conflicts(const st_merge_report *r)
{
    if (!r->nconflicts)
        return;
    printf("\n%s\n", _("Interactions edited on both sides (the latest change wins; both histories stay in the "
                       "audit log):"));
    cli_table t;
    cli_table_init(&t, "lllll");
    cli_table_cell(&t, _("INTERACTION"));
    cli_table_cell(&t, _("FILE"));
    cli_table_cell(&t, _("LATEST HERE"));
    cli_table_cell(&t, _("LATEST THERE"));
    cli_table_cell(&t, _("KEPT"));
    for (size_t i = 0; i < r->nconflicts; i++) {
        const st_merge_conflict *c = &r->conflicts[i];
        cli_table_cell(&t, c->interaction);
        cli_table_cell(&t, c->file);
        cli_table_cellf(&t, "%s (%s)", c->ours_at ? c->ours_at : "?", c->ours_who ? c->ours_who : "?");
        cli_table_cellf(&t, "%s (%s)", c->theirs_at ? c->theirs_at : "?", c->theirs_who ? c->theirs_who : "?");
        cli_table_cell(&t, c->theirs_won ? _("theirs") : _("ours"));
    }
    cli_table_print(&t, stdout, 2);
    cli_table_free(&t);
}

int cmd_merge(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet merge FILE...\n"
                     "Merges other study files into the study, by UUID, in one transaction: merging\n"
                     "a file twice adds nothing.  The files themselves are never changed (doc/merge.md).\n"));
            return EXIT_OK;
        default:
            return cli_bad_usage("merge");
        }
    }
    if (optind >= argc) {
        cli_error(_("merge needs at least one FILE"));
        return cli_bad_usage("merge");
    }
    st_db *db = cli_open_study(ctx, ST_WRITE);
    if (!db)
        return EXIT_FAIL;
    st_merge_report r;
    st_error e = {0};
    st_code c = st_merge(db, (const char *const *)argv + optind, (size_t)(argc - optind), &r, &e);
    st_close(db);
    if (c) {
        cli_error("%s", e.msg);
        for (size_t i = 0; i < r.nclashes; i++)
            fprintf(stderr, "%s: %s\n", r.clashes[i].file, r.clashes[i].what);
        if (r.nclashes)
            fprintf(stderr, "%s\n", _("Settle what each code means with the teams concerned; see doc/merge.md."));
        st_merge_report_free(&r);
        return EXIT_FAIL;
    }
    printf(_("Merged into %s:\n"), ctx->db_path);
    for (size_t i = 0; i < r.nfiles; i++) {
        const st_merge_file *f = &r.files[i];
        if (f->schema < ST_SCHEMA_VERSION)
            printf(_("  %s — study '%s' (schema %d, migrated in a copy)\n"), f->path, f->study, f->schema);
        else
            printf(_("  %s — study '%s'\n"), f->path, f->study);
    }
    printf("\n");
    print_summary(&r);
    print_conflicts(&r);
    if (r.purged_notes || r.purged_session_notes) {
        printf(_("\nPurged on the way, as a purge of the study or of a file had already removed them: %lld "
                 "interaction notes, %lld session notes (doc/merge.md).\n"),
               r.purged_notes, r.purged_session_notes);
        if (!r.wal_truncated)
            fprintf(stderr,
                    _("carnet: warning: another program has the study open; copies of the purged text may remain in "
                      "%s-wal until it closes. Run the purge again then.\n"),
                    ctx->db_path);
    }
    st_merge_report_free(&r);
    return EXIT_OK;
}
