/*
 * cmd_export.c — `carnet export`: the study, or a selection of it, as an
 * XLSX workbook or two CSV tables (src/export/).
 *
 * Nothing is ever written under the final name until it is complete: each
 * file is written to a temporary name beside it (mode 0600) and renamed,
 * and an existing file is kept unless --force.  Notes are redacted by
 * default with the shipped rules (codebooks/redaction.rules), then the
 * study's own (STUDY.redaction.rules beside the study file), then those
 * given with --redact-rules.
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_filter.h"
#include "core/cell.h"
#include "core/i18n.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "export/export.h"

#define RULES_FILE "codebooks/redaction.rules"
/* The page cache of the study during an export (doc/performance.md). */
#define EXPORT_CACHE_MIB 64

enum { OPT_FORMAT = 2000, OPT_NOTES, OPT_EXCEL_FR, OPT_RULES, OPT_SHEETS };

static void progress(void *ctx, const char *part, double seconds)
{
    (void)ctx;
    char s[40];
    cell_decimal(seconds, 1, '.', s);
    fprintf(stderr, _("  %s: %s s\n"), part, s);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    strbuf b = {0};
    sb_add(&b, "");
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&b, buf, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

/* The study's own rules: rennes.db -> rennes.redaction.rules. */
static char *study_rules_path(const char *db)
{
    char *p = xstrdup(db);
    char *slash = strrchr(p, '/'), *dot = strrchr(p, '.');
    if (dot && (!slash || dot > slash + 1))
        *dot = '\0';
    char *r = xasprintf("%s.redaction.rules", p);
    free(p);
    return r;
}

static bool add_rules(rd_rules *r, const char *path, strbuf *used)
{
    char *text = read_text(path);
    if (!text) {
        cli_error(_("%s: cannot read the redaction rules: %s"), path, strerror(errno));
        return false;
    }
    diag_list d = {0};
    size_t bad = rd_rules_parse(r, text, path, &d);
    free(text);
    if (bad) {
        cli_print_diags(&d);
        diag_clear(&d);
        return false;
    }
    sb_printf(used, "%s%s", used->len ? ", " : "", path);
    return true;
}

/* A file name from the study's name: letters, digits, '-', '_' and '.'
 * kept, anything else (spaces, slashes) as '_'. */
static char *file_stem(const char *name)
{
    char *s = xstrdup(str_empty(name) ? "carnet" : name);
    for (char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.'))
            *p = '_';
    }
    return s;
}

/* Writes the workbook, or both CSV tables, to their temporary files. */
static bool ex_xlsx_or_csv(ex_options *o, st_db *db, bool csv, const char *tmp, const char *tmp2, const char *final2,
                           ex_error *xe)
{
    if (!csv)
        return ex_xlsx_write(db, o, tmp, xe);
    if (!ex_csv_write_wide(db, o, tmp, xe))
        return false;
    o->output_name = final2;
    return ex_csv_write_long(db, o, tmp2, xe);
}

static int usage_exit(void)
{
    return cli_bad_usage("export");
}

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_FILTER_OPTIONS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"notes", required_argument, NULL, OPT_NOTES},
        {"excel-fr", no_argument, NULL, OPT_EXCEL_FR},
        {"redact-rules", required_argument, NULL, OPT_RULES},
        {"sheets", required_argument, NULL, OPT_SHEETS},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    cli_filter cf = {0};
    const char *format = "xlsx", *out = NULL;
    const char **extra_rules = NULL;
    size_t nextra = 0;
    ex_options o = {.notes = EX_NOTES_REDACTED};
    bool force = false;
    int ch, rc = EXIT_FAIL;
    while ((ch = getopt_long(argc, argv, "o:fvh", opts, NULL)) != -1) {
        if (cli_filter_opt(&cf, ch, optarg))
            continue;
        switch (ch) {
        case OPT_FORMAT:
            format = optarg;
            break;
        case OPT_NOTES:
            if (!ex_notes_parse(optarg, &o.notes)) {
                cli_error(_("--notes takes none, redacted or raw, not '%s'"), optarg);
                cli_filter_free(&cf);
                free(extra_rules);
                return usage_exit();
            }
            break;
        case OPT_EXCEL_FR:
            o.excel_fr = true;
            break;
        case OPT_SHEETS: {
            char err[256];
            if (!ex_xlsx_sheets_parse(optarg, &o.sheets, err, sizeof err)) {
                cli_error("%s", err);
                cli_filter_free(&cf);
                free(extra_rules);
                return usage_exit();
            }
            break;
        }
        case OPT_RULES:
            extra_rules = xrealloc(extra_rules, (nextra + 1) * sizeof *extra_rules);
            extra_rules[nextra++] = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'f':
            force = true;
            break;
        case 'v':
            o.progress = progress;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet export %s\n"
                     "       [--format xlsx|csv] [--excel-fr] [--notes none|redacted|raw] [--redact-rules FILE]...\n"
                     "       [--sheets LIST] [-o FILE] [--force] [-v|--verbose]\n"
                     "Writes the selected interactions, the codebook and their statistics to an XLSX workbook\n"
                     "(default exports/STUDY-PERIOD.xlsx) or to two CSV tables (STEM-wide.csv, STEM-long.csv).\n"
                     "Notes are redacted unless --notes says otherwise. An existing file is kept unless --force.\n"),
                   CLI_FILTER_USAGE);
            cli_filter_free(&cf);
            free(extra_rules);
            return EXIT_OK;
        default:
            cli_filter_free(&cf);
            free(extra_rules);
            return usage_exit();
        }
    }
    bool csv = !strcmp(format, "csv");
    if (optind < argc || (!csv && strcmp(format, "xlsx")) || (o.excel_fr && !csv) || (o.sheets && csv)) {
        if (optind < argc)
            cli_error(_("unexpected argument '%s'"), argv[optind]);
        else if (o.excel_fr && !csv)
            cli_error(_("--excel-fr applies to --format csv only"));
        else if (o.sheets && csv)
            cli_error(_("--sheets applies to --format xlsx only"));
        else
            cli_error(_("--format takes xlsx or csv, not '%s'"), format);
        cli_filter_free(&cf);
        free(extra_rules);
        return usage_exit();
    }
    /* Numbers in files are never written with a locale's decimal comma
     * (libxlsxwriter formats with printf). */
    setlocale(LC_NUMERIC, "C");
    rd_rules *rules = NULL;
    strbuf used = {0};
    sb_add(&used, "");
    st_db *db = NULL;
    st_study study = {0};
    char *final = NULL, *final2 = NULL, *tmp = NULL, *tmp2 = NULL, *stem = NULL;
    if (!cli_filter_finish(&cf))
        goto out;
    /* Notes are redacted by default, and typed answers ("other,
     * specify", free text) unless --notes raw: they are free text too. */
    if (o.notes != EX_NOTES_RAW) {
        rules = rd_rules_new();
        char *shipped = cli_data_file(RULES_FILE);
        if (!shipped) {
            cli_error(_("cannot find the redaction rules %s, which notes and typed answers go through unless "
                        "--notes raw; give some with --redact-rules FILE"),
                      RULES_FILE);
            goto out;
        }
        bool ok = add_rules(rules, shipped, &used);
        free(shipped);
        if (!ok)
            goto out;
        char *own = study_rules_path(ctx->db_path);
        ok = access(own, R_OK) != 0 || add_rules(rules, own, &used);
        free(own);
        if (!ok)
            goto out;
        for (size_t i = 0; i < nextra; i++)
            if (!add_rules(rules, extra_rules[i], &used))
                goto out;
        o.rules = rules;
        o.rules_files = used.s;
    }
    db = cli_open_study(ctx, ST_READ);
    if (!db || !cli_filter_check(&cf, db))
        goto out;
    st_ex_cache(db, EXPORT_CACHE_MIB);
    st_error se = {0};
    if (st_study_get(db, &study, &se)) {
        cli_error("%s", se.msg);
        goto out;
    }
    char now[TS_LEN];
    ts_now(now);
    o.filter = cf.f;
    o.rows_hint = study.interactions;
    o.study = study.name;
    o.generated_at = now;

    stem = file_stem(study.name);
    if (out) {
        size_t n = strlen(out);
        if (csv && n > 4 && !strcmp(out + n - 4, ".csv")) {
            char *s = xstrndup(out, n - 4);
            final = xasprintf("%s-wide.csv", s);
            final2 = xasprintf("%s-long.csv", s);
            free(s);
        } else if (csv) {
            final = xasprintf("%s-wide.csv", out);
            final2 = xasprintf("%s-long.csv", out);
        } else
            final = xstrdup(out);
    } else {
        if (mkdir("exports", 0700) != 0 && errno != EEXIST) {
            cli_error(_("exports: cannot create the folder: %s"), strerror(errno));
            goto out;
        }
        if (csv) {
            final = xasprintf("exports/%s-%s-wide.csv", stem, cf.f.period.label);
            final2 = xasprintf("exports/%s-%s-long.csv", stem, cf.f.period.label);
        } else
            final = xasprintf("exports/%s-%s.xlsx", stem, cf.f.period.label);
    }
    ex_error xe = {{0}};
    struct stat sb;
    if (!force && final2 && stat(final2, &sb) == 0) {
        cli_error(_("%s already exists; use --force to replace it"), final2);
        goto out;
    }
    if (!ex_output_begin(final, force, &tmp, &xe) || (final2 && !ex_output_begin(final2, force, &tmp2, &xe))) {
        cli_error("%s", xe.msg);
        goto out;
    }
    o.output_name = final;
    bool ok = ex_xlsx_or_csv(&o, db, csv, tmp, tmp2, final2, &xe);
    if (!ok || !ex_output_commit(tmp, final, force, &xe) || (final2 && !ex_output_commit(tmp2, final2, force, &xe))) {
        cli_error("%s", xe.msg);
        goto out;
    }
    free(tmp);
    free(tmp2);
    tmp = tmp2 = NULL;
    if (final2)
        printf(_("Wrote %s and %s.\n"), final, final2);
    else
        printf(_("Wrote %s.\n"), final);
    rc = EXIT_OK;
out:
    ex_output_abort(tmp);
    ex_output_abort(tmp2);
    free(tmp);
    free(tmp2);
    free(final);
    free(final2);
    free(stem);
    st_study_free(&study);
    st_close(db);
    rd_rules_free(rules);
    sb_free(&used);
    cli_filter_free(&cf);
    free(extra_rules);
    return rc;
}
