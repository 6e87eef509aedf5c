/*
 * cmd_codebook.c — `carnet codebook ...`: check files, import a file (native
 * YAML or REFI-QDA .qdc) as a new version of the study's codebook, export a
 * version (native, qdc, or an XLSX / Markdown handout), show it as a table,
 * list the versions, compare two versions or files, and open the editor.
 * Each subcommand is one entry of the table at the bottom.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "codebook/cb_file.h"
#include "codebook/cb_qdc.h"
#include "core/cb_diff.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "export/cb_handout.h"
#include "store/st_codebook.h"
#include "tui/codebook_edit.h"
#include "tui/ui.h"

/* Notices beyond this many are summed up in one line. */
#define MAX_NOTICES 25

typedef struct sub {
    const char *name;
    const char *args;
    const char *opts; /* the options it takes, as getopt letters */
    int (*fn)(cli_ctx *ctx, int argc, char **argv);
} sub;

typedef struct opts {
    const char *out;
    bool force;
    const char *format;
    const char *language;
    int version; /* --version SEQ, 0 for the current version */
    const char *who;
} opts;

static int usage_of(const char *name);

static const sub *find_sub(const char *name);

/* Parses the options of subcommand name into o.  Returns -1 to go on, or
 * an exit code. */
static int parse_opts(cli_ctx *ctx, int argc, char **argv, const char *name, opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"format", required_argument, NULL, 'F'},
        {"language", required_argument, NULL, 'L'},
        {"version", required_argument, NULL, 'v'},
        {"who", required_argument, NULL, 'w'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    const sub *s = find_sub(name);
    memset(o, 0, sizeof *o);
    int ch;
    while ((ch = getopt_long(argc, argv, "o:fh", longopts, NULL)) != -1) {
        if (ch != 'D' && ch != 'h' && ch != '?' && (!s || !strchr(s->opts, ch))) {
            cli_error(_("option not accepted by 'codebook %s'"), name);
            return usage_of(name);
        }
        switch (ch) {
        case 'o':
            o->out = optarg;
            break;
        case 'f':
            o->force = true;
            break;
        case 'F':
            o->format = optarg;
            break;
        case 'L':
            o->language = optarg;
            break;
        case 'v': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || v < 1 || v > 1000000) {
                cli_error(_("--version takes a version number (1, 2, ...), not '%s'"), optarg);
                return usage_of(name);
            }
            o->version = (int)v;
            break;
        }
        case 'w':
            o->who = optarg;
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

/* As parse_opts, for a subcommand that takes no argument besides options. */
static int opts_only(cli_ctx *ctx, int argc, char **argv, const char *name, opts *o)
{
    int r = parse_opts(ctx, argc, argv, name, o);
    if (r >= 0)
        return r;
    if (optind != argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return usage_of(name);
    }
    return -1;
}

/* Prints notices as "FILE:LINE:COL: note: message", at most MAX_NOTICES. */
static void print_notices(const diag_list *l)
{
    for (size_t i = 0; i < l->n && i < MAX_NOTICES; i++) {
        const diag *d = &l->items[i];
        if (d->line > 0)
            fprintf(stderr, _("%s:%d:%d: note: %s\n"), d->file, d->line, d->col > 0 ? d->col : 1, d->msg);
        else
            fprintf(stderr, _("%s: note: %s\n"), d->file, d->msg);
    }
    if (l->n > MAX_NOTICES)
        fprintf(stderr, _("... and %zu more notes\n"), l->n - MAX_NOTICES);
}

/* The interface's language as a tag for imported codebooks ("fr"), or "und". */
static char *ui_language(void)
{
    const char *vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (str_empty(v))
            continue;
        if (isalpha((unsigned char)v[0]) && isalpha((unsigned char)v[1]) && !isalpha((unsigned char)v[2]) &&
            strncmp(v, "C.", 2))
            return xasprintf("%c%c", tolower((unsigned char)v[0]), tolower((unsigned char)v[1]));
        if (strcmp(v, "C") && strcmp(v, "POSIX") && strncmp(v, "C.", 2))
            break;
    }
    return xstrdup("und");
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

/*
 * Reads a codebook file of either format: .qdc / .xml names, or a text
 * whose first character is '<', are REFI-QDA.  With notices, codes without
 * hotkeys get one (import); without, a native file is held to every rule
 * (check).  Returns the number of problems, as cbf_read_file().
 */
static size_t read_codebook(const char *path, const char *language, cb_codebook **out, diag_list *diags,
                            diag_list *notices)
{
    *out = NULL;
    char *text;
    size_t len;
    if (!cbf_slurp(path, &text, &len, diags))
        return 1;
    size_t r;
    if (has_suffix(path, ".qdc") || has_suffix(path, ".xml") || cbq_sniff(text, len)) {
        char *lang = language ? xstrdup(language) : ui_language();
        cbq_options o = {.language = lang};
        diag_list ignored = {0};
        r = cbq_parse(path, text, len, &o, out, diags, notices ? notices : &ignored);
        diag_clear(&ignored);
        free(lang);
    } else {
        r = cbf_parse_keys(path, text, len, out, diags, notices);
    }
    free(text);
    return r;
}

static int cb_check(cli_ctx *ctx, int argc, char **argv)
{
    opts o;
    int r = parse_opts(ctx, argc, argv, "check", &o);
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
        if (read_codebook(argv[i], NULL, &cb, &d, NULL)) {
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
    opts o;
    int r = parse_opts(ctx, argc, argv, "import", &o);
    if (r >= 0)
        return r;
    if (optind + 1 != argc) {
        cli_error(_("codebook import needs exactly one FILE"));
        return usage_of("import");
    }
    const char *file = argv[optind];
    diag_list d = {0}, notes = {0};
    cb_codebook *cb;
    if (read_codebook(file, o.language, &cb, &d, &notes)) {
        cli_print_diags(&d);
        diag_clear(&d);
        diag_clear(&notes);
        return EXIT_FAIL;
    }
    print_notices(&notes);
    diag_clear(&notes);
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

/* Loads version seq (0: the current one) of the study's codebook. */
static cb_codebook *load_version(st_db *db, int seq)
{
    st_error e = {0};
    char vid[UUID_STRLEN];
    cb_codebook *cb = NULL;
    if ((seq && st_codebook_version_by_seq(db, seq, vid, &e)) || st_codebook_load(db, seq ? vid : NULL, &cb, NULL, &e)) {
        cli_error("%s", e.msg);
        return NULL;
    }
    return cb;
}

/*
 * The XLSX handout as bytes: libxlsxwriter writes only to a named file, so
 * it writes to a temporary one, read back and removed.  The caller then
 * writes the bytes where they go, atomically (cli_write_file()).  Returns
 * false after printing the reason.
 */
static bool xlsx_bytes(const cb_codebook *cb, char **data, size_t *len)
{
    const char *tmpdir = getenv("TMPDIR");
    char *tmp = xasprintf("%s/carnet-handout-XXXXXX", str_empty(tmpdir) ? "/tmp" : tmpdir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error(_("%s: cannot create a temporary file: %s"), tmp, strerror(errno));
        free(tmp);
        return false;
    }
    close(fd);
    bool ok = false;
    lxw_error err = ex_handout_xlsx(cb, tmp);
    if (err) {
        cli_error(_("cannot write the workbook: %s"), lxw_strerror(err));
    } else {
        diag_list d = {0};
        ok = cbf_slurp(tmp, data, len, &d);
        if (!ok)
            cli_print_diags(&d);
        diag_clear(&d);
    }
    unlink(tmp);
    free(tmp);
    return ok;
}

static int cb_export(cli_ctx *ctx, int argc, char **argv)
{
    opts o;
    int r = opts_only(ctx, argc, argv, "export", &o);
    if (r >= 0)
        return r;
    const char *fmt = o.format ? o.format : "native";
    if (strcmp(fmt, "native") && strcmp(fmt, "qdc") && strcmp(fmt, "xlsx") && strcmp(fmt, "md")) {
        cli_error(_("unknown format '%s': expected native, qdc, xlsx or md"), fmt);
        return usage_of("export");
    }
    bool to_stdout = !o.out || !strcmp(o.out, "-");
    if (!strcmp(fmt, "xlsx") && to_stdout && isatty(STDOUT_FILENO)) {
        cli_error(_("an XLSX workbook is not for a terminal: name a file with -o FILE"));
        return usage_of("export");
    }
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    cb_codebook *cb = load_version(db, o.version);
    st_close(db);
    if (!cb)
        return EXIT_FAIL;
    int rc = EXIT_OK;
    if (!strcmp(fmt, "xlsx")) {
        char *data = NULL;
        size_t len = 0;
        if (!xlsx_bytes(cb, &data, &len))
            rc = EXIT_FAIL;
        else if (!to_stdout) {
            if (!cli_write_file(o.out, data, len, o.force, 0600))
                rc = EXIT_FAIL;
        } else if (fwrite(data, 1, len, stdout) != len || fflush(stdout)) {
            cli_error(_("cannot write to standard output: %s"), strerror(errno));
            rc = EXIT_FAIL;
        }
        free(data);
        cb_free(cb);
        return rc;
    }
    char *text = NULL;
    if (!strcmp(fmt, "qdc")) {
        diag_list d = {0};
        text = cbq_write(cb, "carnet " CARNET_VERSION, &d);
        if (!text) {
            for (size_t i = 0; i < d.n; i++)
                cli_error("%s", d.items[i].msg);
            rc = EXIT_FAIL;
        }
        diag_clear(&d);
    } else if (!strcmp(fmt, "md")) {
        text = ex_handout_md(cb);
    } else {
        text = cbf_write(cb);
    }
    cb_free(cb);
    if (text) {
        if (to_stdout)
            fputs(text, stdout);
        else if (!cli_write_file(o.out, text, strlen(text), o.force, 0600))
            rc = EXIT_FAIL;
    }
    free(text);
    return rc;
}

static int cb_show(cli_ctx *ctx, int argc, char **argv)
{
    opts o;
    int r = opts_only(ctx, argc, argv, "show", &o);
    if (r >= 0)
        return r;
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    cb_codebook *cb = load_version(db, o.version);
    st_close(db);
    if (!cb)
        return EXIT_FAIL;
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
        /* One table a dimension, all with the same widths. */
        cli_table t;
        cli_table_init(&t, "llll");
        cli_table_width(&t, 0, (size_t)wkey);
        cli_table_width(&t, 1, (size_t)wid);
        cli_table_width(&t, 2, (size_t)wlabel);
        cli_table_cell(&t, _("KEY"));
        cli_table_cell(&t, _("CODE"));
        cli_table_cell(&t, _("LABEL"));
        cli_table_cell(&t, _("NOTES"));
        for (size_t j = 0; j < d->ncodes; j++) {
            const cb_code *c = &d->codes[j];
            char key[2] = {c->key, 0};
            cli_table_cell(&t, key);
            cli_table_cell(&t, c->id);
            cli_table_cell(&t, c->label);
            strbuf notes = {0};
            sb_add(&notes, "");
            if (c->other)
                sb_add(&notes, _("other, specify; "));
            if (c->parent)
                sb_printf(&notes, _("under %s; "), c->parent);
            if (c->uncodable)
                sb_add(&notes, _("heading; "));
            if (c->retired)
                sb_add(&notes, _("retired; "));
            if (notes.len >= 2)
                notes.s[notes.len - 2] = '\0';
            cli_table_cell(&t, notes.s);
            sb_free(&notes);
        }
        cli_table_print(&t, stdout, 2);
        cli_table_free(&t);
    }
    cb_free(cb);
    return EXIT_OK;
}

static int cb_versions(cli_ctx *ctx, int argc, char **argv)
{
    opts o;
    int r = opts_only(ctx, argc, argv, "versions", &o);
    if (r >= 0)
        return r;
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    st_error e = {0};
    st_cb_version *v;
    size_t n;
    if (st_codebook_versions(db, &v, &n, &e)) {
        cli_error("%s", e.msg);
        st_close(db);
        return EXIT_FAIL;
    }
    st_close(db);
    for (size_t i = 0; i < n; i++) {
        printf("%3d  %s  %s v%d  %s", v[i].seq, v[i].imported_at, v[i].codebook_id, v[i].version, v[i].title);
        if (v[i].saved_by)
            printf(_("  (saved by %s)"), v[i].saved_by);
        printf("%s\n", i + 1 == n ? _("  [current]") : "");
    }
    st_cb_versions_free(v, n);
    return EXIT_OK;
}

/* A side of a diff: a codebook file if there is one of that name, else a
 * version number of the study's codebook. */
static cb_codebook *diff_side(cli_ctx *ctx, const char *arg, st_db **db)
{
    struct stat sb;
    bool digits = *arg != '\0';
    for (const char *p = arg; *p; p++)
        digits &= isdigit((unsigned char)*p) != 0;
    if (stat(arg, &sb) == 0 || !digits) {
        diag_list d = {0}, notes = {0};
        cb_codebook *cb;
        if (read_codebook(arg, NULL, &cb, &d, &notes)) {
            cli_print_diags(&d);
            cb = NULL;
        }
        diag_clear(&d);
        diag_clear(&notes);
        return cb;
    }
    if (!*db && !(*db = cli_open_study(ctx, ST_READ)))
        return NULL;
    return load_version(*db, atoi(arg));
}

static int cb_diff_cmd(cli_ctx *ctx, int argc, char **argv)
{
    opts o;
    int r = parse_opts(ctx, argc, argv, "diff", &o);
    if (r >= 0)
        return r;
    if (optind + 2 != argc) {
        cli_error(_("codebook diff needs two versions or files, e.g. 'carnet codebook diff 1 3'"));
        return usage_of("diff");
    }
    st_db *db = NULL;
    cb_codebook *a = diff_side(ctx, argv[optind], &db);
    cb_codebook *b = a ? diff_side(ctx, argv[optind + 1], &db) : NULL;
    st_close(db);
    if (!a || !b) {
        cb_free(a);
        cb_free(b);
        return EXIT_FAIL;
    }
    cb_changes ch = {0};
    cb_diff(a, b, &ch);
    if (!ch.n)
        printf(_("No differences.\n"));
    for (size_t i = 0; i < ch.n; i++) {
        char *s = cb_change_describe(&ch.items[i]);
        printf("%s\n", s);
        free(s);
    }
    cb_changes_clear(&ch);
    cb_free(a);
    cb_free(b);
    return EXIT_OK;
}

/* Who edits: --who, else the last observer of the study, else $USER. */
static char *editor_name(st_db *db, const char *who)
{
    if (!str_empty(who))
        return xstrdup(who);
    st_error e = {0};
    char *v = NULL;
    if (st_setting_get(db, "last_observer", &v, &e) == ST_OK && !str_empty(v))
        return v;
    free(v);
    const char *user = getenv("USER");
    return str_empty(user) ? NULL : xstrdup(user);
}

static int cb_edit(cli_ctx *ctx, int argc, char **argv)
{
    opts o;
    int r = opts_only(ctx, argc, argv, "edit", &o);
    if (r >= 0)
        return r;
    st_db *db = cli_open_study(ctx, ST_WRITE);
    if (!db)
        return EXIT_FAIL;
    char *who = editor_name(db, o.who);
    char err[256];
    if (!ui_init(err, sizeof err)) {
        cli_error("%s", err);
        free(who);
        st_close(db);
        return EXIT_FAIL;
    }
    bool saved = false;
    char vid[UUID_STRLEN] = "";
    st_error e = {0};
    st_code c = ui_cbedit_run(db, who, &saved, vid, &e);
    ui_end();
    free(who);
    int rc = EXIT_OK;
    if (c) {
        cli_error("%s", e.msg);
        rc = EXIT_FAIL;
    } else if (saved) {
        st_cb_version *v;
        size_t n;
        if (st_codebook_versions(db, &v, &n, &e) == ST_OK && n)
            printf(_("Saved the codebook as version %d.\n"), v[n - 1].seq);
        else
            printf(_("Saved the codebook.\n"));
        if (e.code == ST_OK)
            st_cb_versions_free(v, n);
    } else {
        printf(_("No change saved.\n"));
    }
    st_close(db);
    return rc;
}

static const sub subs[] = {
    {"check", "FILE...", "", cb_check},
    {"import", "[--language TAG] FILE", "L", cb_import},
    {"export", "[--format native|qdc|xlsx|md] [--version N] [-o FILE] [--force]", "ofFv", cb_export},
    {"show", "[--version N]", "v", cb_show},
    {"versions", "", "", cb_versions},
    {"diff", "A B", "", cb_diff_cmd},
    {"edit", "[--who NAME]", "w", cb_edit},
    {NULL, NULL, NULL, NULL},
};

static const sub *find_sub(const char *name)
{
    for (const sub *s = subs; s->name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}

static int usage_of(const char *name)
{
    const sub *s = find_sub(name);
    if (!s)
        return cli_bad_usage("codebook");
    char *args = xasprintf("%s %s", s->name, s->args);
    int r = cli_usage("codebook", args);
    free(args);
    return r;
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
    const sub *s = find_sub(argv[1]);
    if (s) {
        optind = 0;
        return s->fn(ctx, argc - 1, argv + 1);
    }
    cli_error(_("unknown codebook subcommand '%s'"), argv[1]);
    return cli_bad_usage("codebook");
}
