/*
 * cmd_agreement.c — `carnet agreement`: how far observers who coded the
 * same desk at the same time agree, dimension by dimension.
 *
 * The store picks the sessions side by side and their interactions
 * (st_agree.h), the core matches them into units and computes the
 * statistics (agree_report.h), and this file prints the report as aligned
 * tables or hands it to the XLSX writer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/i18n.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "export/agreement_xlsx.h"
#include "store/st_agree.h"

#define DEFAULT_WINDOW 60
#define MAX_WINDOW 86400

static const char USAGE_ARGS[] = "[--sessions A,B | --observers X,Y] [--window SECONDS] [-o FILE.xlsx] [--force]";

/* Splits a comma-separated list into its non-empty items (borrowed from
 * s, which is modified). */
static size_t split(char *s, const char ***out)
{
    size_t n = 0;
    *out = NULL;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        *out = xrealloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = tok;
    }
    return n;
}

static char *pair_name(const ar_input *in, const ar_pair *p)
{
    return xasprintf("%s × %s", in->coders[p->a], in->coders[p->b]);
}

static void print_sessions(const st_ag_selection *sel)
{
    cli_table t;
    cli_table_init(&t, "lllrl");
    cli_table_cell(&t, _("SITE"));
    cli_table_cell(&t, _("OBSERVER"));
    cli_table_cell(&t, _("FROM – TO"));
    cli_table_cell(&t, _("INTERACTIONS"));
    cli_table_cell(&t, _("SESSION"));
    for (size_t i = 0; i < sel->n; i++) {
        const st_ag_session *s = &sel->v[i];
        cli_table_cell(&t, s->site);
        cli_table_cell(&t, s->observer);
        cli_table_cellf(&t, "%s – %s", s->started_at, s->ended_at ? s->ended_at : _("(open)"));
        cli_table_cellf(&t, "%ld", s->interactions);
        cli_table_cell(&t, s->id);
    }
    cli_table_print(&t, stdout, 2);
    cli_table_free(&t);
}

/* "Anne × Bruno: 20, Anne × Chloé: 4" */
static char *units_per_pair(const ar_input *in, const ar_units *u)
{
    strbuf b = {0};
    sb_add(&b, "");
    for (size_t i = 0; i < u->ncoders; i++)
        for (size_t j = i + 1; j < u->ncoders; j++) {
            long n = 0;
            for (size_t k = 0; k < u->n; k++)
                n += u->member[k * u->ncoders + i] != AR_NONE && u->member[k * u->ncoders + j] != AR_NONE;
            if (n)
                sb_printf(&b, "%s%s × %s: %ld", b.len ? ", " : "", in->coders[i], in->coders[j], n);
        }
    return sb_take(&b);
}

static void print_summary(const ar_input *in, const ar_report *r)
{
    cli_table t;
    cli_table_init(&t, "llrrrrlrl");
    const char *head[] = {_("VARIABLE"), _("OBSERVERS"), _("N"), _("AGREEMENT"), _("KAPPA"), _("SE"),
                          /* xgettext:no-c-format */
                          _("95% CI"), _("ALPHA"), _("NOTE")};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        cli_table_cell(&t, head[i]);
    for (size_t i = 0; i < r->nvars; i++) {
        const ar_var *v = &r->vars[i];
        for (size_t j = 0; j < v->npairs; j++) {
            const ar_pair *p = &v->pairs[j];
            const ag_kappa *k = &p->kappa;
            if (v->code_id)
                cli_table_cellf(&t, "%s: %s", v->dim_id, v->code_id);
            else
                cli_table_cell(&t, v->dim_id);
            char *pn = pair_name(in, p);
            cli_table_cell(&t, pn);
            free(pn);
            cli_table_cellf(&t, "%ld", k->n);
            cli_table_percent(&t, k->n, k->po);
            cli_table_stat(&t, k->why, k->kappa);
            cli_table_stat(&t, k->why, k->se);
            if (k->why == AG_DEFINED)
                cli_table_cellf(&t, "%.3f – %.3f", cli_round3(k->lo), cli_round3(k->hi));
            else
                cli_table_cell(&t, "-");
            /* Alpha covers every observer: print it once per variable. */
            if (j == 0)
                cli_table_stat(&t, v->alpha.why, v->alpha.alpha);
            else
                cli_table_cell(&t, "");
            const char *note = k->why != AG_DEFINED ? ag_undefined_reason(k->why)
                               : j == 0 && v->alpha.why != AG_DEFINED ? ag_undefined_reason(v->alpha.why)
                                                                    : "";
            cli_table_cell(&t, note);
        }
    }
    cli_table_print(&t, stdout, 2);
    cli_table_free(&t);
}

static void print_confusion(const ar_input *in, const ar_var *v, const ar_pair *p)
{
    if (v->code_id)
        printf("\n%s [%s] — %s [%s]\n", v->dim_label, v->dim_id, v->code_label, v->code_id);
    else
        printf("\n%s [%s]\n", v->dim_label, v->dim_id);
    printf("  ");
    printf(_("%s (rows) × %s (columns)"), in->coders[p->a], in->coders[p->b]);
    printf("\n");
    size_t *idx = xcalloc(v->ncat, sizeof *idx);
    size_t n = ar_pair_categories(v, p, idx);
    if (!n) {
        printf("  %s\n", _("no code chosen"));
        free(idx);
        return;
    }
    /* Presence variables read best with their words; codes by their ids,
     * with the labels underneath. */
    char **names = v->code_id ? v->cat_labels : v->cat_ids;
    char *align = xmalloc(n + 2);
    memset(align, 'r', n + 1);
    align[0] = 'l';
    align[n + 1] = '\0';
    cli_table t;
    cli_table_init(&t, align);
    free(align);
    cli_table_cell(&t, "");
    for (size_t j = 0; j < n; j++)
        cli_table_cell(&t, names[idx[j]]);
    for (size_t i = 0; i < n; i++) {
        cli_table_cell(&t, names[idx[i]]);
        for (size_t j = 0; j < n; j++)
            cli_table_cellf(&t, "%ld", p->confusion[idx[i] * v->ncat + idx[j]]);
    }
    cli_table_print(&t, stdout, 2);
    cli_table_free(&t);
    if (!v->code_id)
        for (size_t i = 0; i < n; i++)
            printf("    %s = %s\n", v->cat_ids[idx[i]], v->cat_labels[idx[i]]);
    free(idx);
}

static void print_unmatched(const ar_input *in, const ar_units *u)
{
    printf("\n%s\n", _("Interactions left unmatched:"));
    if (!u->nunmatched) {
        printf("  %s\n", _("none"));
        return;
    }
    cli_table t;
    cli_table_init(&t, "llll");
    cli_table_cell(&t, _("SITE"));
    cli_table_cell(&t, _("OBSERVER"));
    cli_table_cell(&t, _("STARTED"));
    cli_table_cell(&t, _("INTERACTION"));
    for (size_t i = 0; i < u->nunmatched; i++) {
        const ar_item *it = &in->items[u->unmatched[i]];
        cli_table_cell(&t, in->sites[it->site]);
        cli_table_cell(&t, in->coders[it->coder]);
        cli_table_cell(&t, it->started_at);
        cli_table_cell(&t, it->id);
    }
    cli_table_print(&t, stdout, 2);
    cli_table_free(&t);
}

static void print_report(const ex_agreement *a)
{
    printf(_("Agreement between observers — study '%s'\n"), a->study);
    printf(_("Matching: starts within %lld s, nearest first, one to one (see doc/agreement.md).\n\n"), a->window);
    printf("%s\n", _("Sessions compared:"));
    print_sessions(a->sessions);
    char *pairs = units_per_pair(a->in, a->units);
    printf(_("\nUnits matched: %zu (%s); interactions left unmatched: %zu.\n"), a->units->n,
           *pairs ? pairs : _("none"), a->units->nunmatched);
    free(pairs);
    printf("\n%s\n", _("Per variable (a multiple-choice dimension gives one presence variable per code):"));
    print_summary(a->in, a->report);
    printf("\n%s\n", _("Confusion matrices:"));
    for (size_t i = 0; i < a->report->nvars; i++)
        for (size_t j = 0; j < a->report->vars[i].npairs; j++)
            print_confusion(a->in, &a->report->vars[i], &a->report->vars[i].pairs[j]);
    print_unmatched(a->in, a->units);
}

static bool write_xlsx(const ex_agreement *a, const char *out, bool force)
{
    char *tmp = cli_temp_beside(out, force);
    if (!tmp)
        return false;
    char err[512];
    bool ok = ex_agreement_xlsx(a, tmp, err, sizeof err);
    if (!ok) {
        cli_error("%s: %s", out, err);
        unlink(tmp);
    } else {
        ok = cli_replace_file(tmp, out, 0600);
    }
    free(tmp);
    return ok;
}

int cmd_agreement(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"sessions", required_argument, NULL, 's'},
        {"observers", required_argument, NULL, 'b'},
        {"window", required_argument, NULL, 'w'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    char *sessions = NULL, *observers = NULL;
    const char *out = NULL;
    long long window = DEFAULT_WINDOW;
    bool force = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "o:fh", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            sessions = optarg;
            break;
        case 'b':
            observers = optarg;
            break;
        case 'w': {
            char *end;
            errno = 0;
            window = strtoll(optarg, &end, 10);
            if (!*optarg || *end || errno || window < 0 || window > MAX_WINDOW) {
                cli_error(_("--window takes a number of seconds from 0 to %d, not '%s'"), MAX_WINDOW, optarg);
                return cli_bad_usage("agreement");
            }
            break;
        }
        case 'o':
            out = optarg;
            break;
        case 'f':
            force = true;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet agreement %s\n"
                     "Matches the interactions of observers who coded the same desk at the same time\n"
                     "and reports, per dimension, percent agreement, Cohen's kappa, Krippendorff's alpha\n"
                     "and the confusion matrices (doc/agreement.md).\n"),
                   USAGE_ARGS);
            return EXIT_OK;
        default:
            return cli_bad_usage("agreement");
        }
    }
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_bad_usage("agreement");
    }
    if (sessions && observers) {
        cli_error(_("give --sessions or --observers, not both"));
        return cli_bad_usage("agreement");
    }
    const char **sv = NULL, **ov = NULL;
    size_t ns = sessions ? split(sessions, &sv) : 0, no = observers ? split(observers, &ov) : 0;
    if ((sessions && ns < 2) || (observers && no < 2)) {
        cli_error(_("name at least two sessions or two observers, separated by commas"));
        free(sv);
        free(ov);
        return cli_bad_usage("agreement");
    }
    int rc = EXIT_FAIL;
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db) {
        free(sv);
        free(ov);
        return EXIT_FAIL;
    }
    st_error e = {0};
    st_study study = {0};
    cb_codebook *cb = NULL;
    st_ag_selection sel = {0};
    ar_input in = {0};
    ar_units units = {0};
    ar_report report = {0};
    if (st_study_get(db, &study, &e) || st_codebook_load(db, NULL, &cb, NULL, &e) ||
        st_agree_load(db, sv, ns, ov, no, window, &sel, &in, &e)) {
        cli_error("%s", e.msg);
        goto out;
    }
    if (!sel.n) {
        cli_error(_("no sessions of two observers overlap at the same site: nothing to compare"));
        goto out;
    }
    ar_match(&in, window, &units);
    ar_report_build(&in, &units, cb, &report);
    char now[TS_LEN];
    ts_now(now);
    ex_agreement a = {study.name, now, window, &sel, &in, &units, &report};
    if (out) {
        if (!write_xlsx(&a, out, force))
            goto out;
        printf(_("Agreement report written to %s (%zu units matched, %zu unmatched).\n"), out, units.n,
               units.nunmatched);
    } else {
        print_report(&a);
    }
    rc = EXIT_OK;
out:
    ar_report_free(&report);
    ar_units_free(&units);
    ar_input_free(&in);
    st_ag_selection_free(&sel);
    cb_free(cb);
    st_study_free(&study);
    st_close(db);
    free(sv);
    free(ov);
    return rc;
}
