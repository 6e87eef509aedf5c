/*
 * cmd_codebook.c — `carnet codebook ...`: check files, import a file as a
 * new version of the study's codebook, export the current version, show it
 * as a table.  Each subcommand is one entry of the table at the bottom.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "codebook/cb_file.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

typedef struct sub {
    const char *name;
    const char *args;
    int (*fn)(cli_ctx *ctx, int argc, char **argv);
} sub;

static int usage_of(const char *name);

/* Parses the options every codebook subcommand shares.  Returns -1 to go
 * on, or an exit code. */
static int common_opts(cli_ctx *ctx, int argc, char **argv, const char *name, const char **out, bool *force)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "o:fh", opts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            if (!out)
                return usage_of(name);
            *out = optarg;
            break;
        case 'f':
            if (!force)
                return usage_of(name);
            *force = true;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            usage_of(name);
            return EXIT_OK;
        default:
            return usage_of(name);
        }
    }
    return -1;
}

static int cb_check(cli_ctx *ctx, int argc, char **argv)
{
    int r = common_opts(ctx, argc, argv, "check", NULL, NULL);
    if (r >= 0)
        return r;
    if (optind >= argc) {
        cli_error(_("codebook check needs at least one FILE"));
        return usage_of("check");
    }
    int rc = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        diag_list d = {0};
        cb_codebook *cb;
        if (cbf_read_file(argv[i], &cb, &d)) {
            cli_print_diags_to(stdout, &d);
            rc = EXIT_FAIL;
        } else {
            size_t ncodes = 0;
            for (size_t k = 0; k < cb->ndims; k++)
                ncodes += cb->dims[k].ncodes;
            fprintf(stderr, _("%s: ok (%zu dimensions, %zu codes)\n"), argv[i], cb->ndims, ncodes);
        }
        diag_clear(&d);
        cb_free(cb);
    }
    return rc;
}

static int cb_import(cli_ctx *ctx, int argc, char **argv)
{
    int r = common_opts(ctx, argc, argv, "import", NULL, NULL);
    if (r >= 0)
        return r;
    if (optind + 1 != argc) {
        cli_error(_("codebook import needs exactly one FILE"));
        return usage_of("import");
    }
    const char *file = argv[optind];
    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_read_file(file, &cb, &d)) {
        cli_print_diags(&d);
        diag_clear(&d);
        return EXIT_FAIL;
    }
    st_db *db = cli_open_study(ctx, ST_WRITE);
    if (!db) {
        cb_free(cb);
        return EXIT_FAIL;
    }
    st_error e = {0};
    cb_codebook *cur = NULL;
    int rc = EXIT_FAIL;
    if (st_codebook_load(db, NULL, &cur, NULL, &e) && e.code != ST_ERR_NOTFOUND) {
        cli_error("%s", e.msg);
        goto out;
    }
    if (cur && cb_equal(cur, cb)) {
        printf(_("%s is identical to the study's current codebook; no new version added.\n"), file);
        rc = EXIT_OK;
        goto out;
    }
    char *source = cbf_write(cb);
    char vid[UUID_STRLEN];
    st_code c = st_codebook_add(db, cb, source, vid, &e);
    free(source);
    if (c) {
        cli_error("%s", e.msg);
        goto out;
    }
    if (cur && !str_eq0(cur->id, cb->id))
        fprintf(stderr, _("note: the study's codebook was '%s'; it is now '%s'\n"), cur->id, cb->id);
    printf(_("Imported %s as a new version of codebook %s (version %d).\n"), file, cb->id, cb->version);
    rc = EXIT_OK;
out:
    cb_free(cur);
    cb_free(cb);
    st_close(db);
    return rc;
}

static int cb_export(cli_ctx *ctx, int argc, char **argv)
{
    const char *out = NULL;
    bool force = false;
    int r = common_opts(ctx, argc, argv, "export", &out, &force);
    if (r >= 0)
        return r;
    if (optind != argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return usage_of("export");
    }
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    st_error e = {0};
    cb_codebook *cb;
    if (st_codebook_load(db, NULL, &cb, NULL, &e)) {
        cli_error("%s", e.msg);
        st_close(db);
        return EXIT_FAIL;
    }
    st_close(db);
    char *text = cbf_write(cb);
    cb_free(cb);
    int rc = EXIT_OK;
    if (!out || !strcmp(out, "-"))
        fputs(text, stdout);
    else if (!cli_write_file(out, text, strlen(text), force, 0644))
        rc = EXIT_FAIL;
    free(text);
    return rc;
}

static void put_cell(const char *s, int width)
{
    char *f = u8_fit(s, width, 1);
    fputs(f, stdout);
    free(f);
}

static int cb_show(cli_ctx *ctx, int argc, char **argv)
{
    int r = common_opts(ctx, argc, argv, "show", NULL, NULL);
    if (r >= 0)
        return r;
    if (optind != argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return usage_of("show");
    }
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    st_error e = {0};
    cb_codebook *cb;
    if (st_codebook_load(db, NULL, &cb, NULL, &e)) {
        cli_error("%s", e.msg);
        st_close(db);
        return EXIT_FAIL;
    }
    st_close(db);
    /* Every text from the codebook goes through u8_fit or u8_clean: a
     * control character in a label never reaches the terminal. */
    char *title = u8_clean(cb->title), *lang = u8_clean(cb->language);
    printf("%s — %s (%s, version %d)\n", cb->id, title, lang, cb->version);
    free(title);
    free(lang);
    /* Column widths from the content, so the table stays aligned whatever
     * the labels' accents. */
    int wkey = (int)u8_width(_("KEY"));
    int wid = (int)u8_width(_("CODE")), wlabel = (int)u8_width(_("LABEL"));
    for (size_t i = 0; i < cb->ndims; i++)
        for (size_t j = 0; j < cb->dims[i].ncodes; j++) {
            int w = (int)u8_width(cb->dims[i].codes[j].id);
            int l = (int)u8_width(cb->dims[i].codes[j].label);
            wid = w > wid ? w : wid;
            wlabel = l > wlabel ? l : wlabel;
        }
    /* On a terminal the table fits its width (80 columns over SSH is
     * common); through a pipe labels are kept whole up to 60 columns. */
    int cap = 60;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        int room = ws.ws_col - (2 + wkey + 2 + wid + 2) - 14;
        cap = room < 16 ? 16 : room;
    }
    if (wlabel > cap)
        wlabel = cap;
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        const char *mode = d->mode == CB_MULTIPLE ? _("multiple choice")
                           : d->mode == CB_TEXT   ? _("free text")
                                                  : _("single choice");
        char *label = u8_clean(d->label);
        printf("\n%s [%s] — %s%s%s\n", label, d->id, mode, d->required ? _(", required") : "",
               d->retired ? _(", retired") : "");
        free(label);
        if (!d->ncodes)
            continue;
        fputs("  ", stdout);
        put_cell(_("KEY"), wkey + 2);
        put_cell(_("CODE"), wid + 2);
        put_cell(_("LABEL"), wlabel + 2);
        printf("%s\n", _("NOTES"));
        for (size_t j = 0; j < d->ncodes; j++) {
            const cb_code *c = &d->codes[j];
            char key[2] = {c->key, 0};
            fputs("  ", stdout);
            put_cell(key, wkey + 2);
            put_cell(c->id, wid + 2);
            put_cell(c->label, wlabel + 2);
            strbuf notes = {0};
            sb_add(&notes, "");
            if (c->other)
                sb_add(&notes, _("other, specify; "));
            if (c->parent)
                sb_printf(&notes, _("under %s; "), c->parent);
            if (c->retired)
                sb_add(&notes, _("retired; "));
            if (notes.len >= 2)
                notes.s[notes.len - 2] = '\0';
            printf("%s\n", notes.s);
            sb_free(&notes);
        }
    }
    cb_free(cb);
    return EXIT_OK;
}

static const sub subs[] = {
    {"check", "FILE...", cb_check},
    {"import", "FILE", cb_import},
    {"export", "[-o FILE] [--force]", cb_export},
    {"show", "", cb_show},
    {NULL, NULL, NULL},
};

static int usage_of(const char *name)
{
    for (const sub *s = subs; s->name; s++)
        if (!strcmp(s->name, name)) {
            char *args = xasprintf("%s %s", s->name, s->args);
            int r = cli_usage("codebook", args);
            free(args);
            return r;
        }
    return cli_bad_usage("codebook");
}

int cmd_codebook(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        FILE *out = argc < 2 ? stderr : stdout;
        fprintf(out, _("usage: carnet codebook SUBCOMMAND\n"));
        for (const sub *s = subs; s->name; s++)
            fprintf(out, "  carnet codebook %s %s\n", s->name, s->args);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (const sub *s = subs; s->name; s++)
        if (!strcmp(s->name, argv[1])) {
            optind = 0;
            return s->fn(ctx, argc - 1, argv + 1);
        }
    cli_error(_("unknown codebook subcommand '%s'"), argv[1]);
    return cli_bad_usage("codebook");
}
