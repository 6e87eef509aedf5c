/*
 * cmd_train.c — `carnet train`: a trainee codes written vignettes on the
 * training screen and is scored against the trainer's reference; the
 * runs stay in the study so that a trainer can compare trainees.
 *
 *   carnet train FILE [--trainee NAME]     run the screen, then print the report
 *   carnet train --check FILE              check a vignette file against the study's codebook
 *   carnet train --report [--trainee NAME] list the runs with their scores
 *   carnet train --report --run ID         the full report of one run
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "codebook/vignettes.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "store/st_train.h"
#include "tui/train.h"

#define REPORT_WIDTH 78

static const char USAGE_ARGS[] = "FILE [--trainee NAME] | --check FILE | --report [--trainee NAME] [--run ID]";

/* ---- the report of one run --------------------------------------------- */

/* Prints text wrapped to the report's width, each line after indent. */
static void put_wrapped(FILE *out, int indent, const char *text)
{
    char **lines;
    size_t n = u8_wrap(text, REPORT_WIDTH - indent, &lines);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%*s%s\n", *lines[i] ? indent : 0, "", lines[i]);
    u8_lines_free(lines, n);
}

/* "pub-age — Personne âgée (65 ans et plus)", or "(no code)". */
static char *coding_text(const cb_dimension *d, char *const *codes, size_t n)
{
    strbuf b = {0};
    sb_add(&b, "");
    for (size_t i = 0; i < n; i++) {
        const cb_code *c = cb_find_code(d, codes[i]);
        sb_printf(&b, "%s%s — %s", i ? "; " : "", codes[i], c && c->label ? c->label : "?");
    }
    if (!n)
        sb_add(&b, _("(no code)"));
    return sb_take(&b);
}

/* The codebook entry of a code involved in a disagreement. */
static void print_entry(FILE *out, const cb_dimension *d, const char *id)
{
    const cb_code *c = cb_find_code(d, id);
    if (!c) {
        fprintf(out, _("    %s: not in this codebook version\n"), id);
        return;
    }
    fprintf(out, "    %s — %s\n", c->id, c->label ? c->label : "");
    struct {
        const char *name, *text;
    } fields[] = {{_("Definition: "), c->definition}, {_("When not to use: "), c->when_not_to_use}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (str_empty(fields[i].text))
            continue;
        char *s = xasprintf("%s%s", fields[i].name, fields[i].text);
        put_wrapped(out, 6, s);
        free(s);
    }
}

static void print_miss(FILE *out, const cb_codebook *cb, const vg_vignette *v, const tr_run *run, size_t vi,
                       size_t d)
{
    const cb_dimension *dim = &cb->dims[d];
    const vg_ref *ref = vg_find_ref(v, dim->id);
    const tr_codes *got = tr_run_codes_c(run, vi, d);
    fprintf(out, "  %s [%s]\n", dim->label, dim->id);
    char *want = coding_text(dim, ref ? ref->codes : NULL, ref ? ref->ncodes : 0);
    char *mine = coding_text(dim, got->v, got->n);
    fprintf(out, _("    reference: %s\n"), want);
    fprintf(out, _("    trainee:   %s\n"), mine);
    free(want);
    free(mine);
    /* The codes on which the two codings differ, each once. */
    for (size_t i = 0; ref && i < ref->ncodes; i++)
        if (!tr_codes_has(got, ref->codes[i]))
            print_entry(out, dim, ref->codes[i]);
    for (size_t i = 0; i < got->n; i++) {
        bool in_ref = false;
        for (size_t j = 0; ref && j < ref->ncodes; j++)
            in_ref = in_ref || !strcmp(ref->codes[j], got->v[i]);
        if (!in_ref)
            print_entry(out, dim, got->v[i]);
    }
}

static void print_scores(FILE *out, const cb_codebook *cb, const tr_score *sc)
{
    cli_table t;
    cli_table_init(&t, "lrrrl");
    cli_table_cell(&t, _("DIMENSION"));
    cli_table_cell(&t, _("AGREEMENT"));
    cli_table_cell(&t, _("KAPPA"));
    cli_table_cell(&t, _("SE"));
    cli_table_cell(&t, _("NOTE"));
    for (size_t i = 0; i < sc->ndims; i++) {
        const tr_dim_score *d = &sc->dims[i];
        cli_table_cellf(&t, "%s [%s]", cb->dims[d->dim].label, cb->dims[d->dim].id);
        if (d->n)
            cli_table_cellf(&t, "%ld/%ld (%.1f%%)", d->agreed, d->n, 100.0 * (double)d->agreed / (double)d->n);
        else
            cli_table_cell(&t, "-");
        cli_table_stat(&t, d->kappa.why, d->kappa.kappa);
        cli_table_stat(&t, d->kappa.why, d->kappa.se);
        cli_table_cell(&t, !d->n                        ? _("no vignette answered")
                           : d->kappa.why != AG_DEFINED ? ag_undefined_reason(d->kappa.why)
                                                        : "");
    }
    cli_table_print(&t, out, 2);
    cli_table_free(&t);
}

static void print_report(FILE *out, const st_train_info *info, const cb_codebook *cb, const vg_set *set,
                         const tr_run *run, const tr_score *sc)
{
    fprintf(out, _("Training report — %s — %s\n"), info->trainee, set->title ? set->title : info->vignettes);
    fprintf(out, _("Run %s, started %s, %s.\n"), info->id, info->started_at,
            info->ended_at ? _("finished") : _("not finished"));
    fprintf(out, _("%ld of %zu vignettes answered; exactly as the reference: %ld.\n\n"), sc->answered, set->n,
            sc->perfect);
    print_scores(out, cb, sc);
    fprintf(out, _("\nDisagreements: %zu\n"), sc->nmisses);
    for (size_t i = 0; i < sc->nmisses; i++) {
        const tr_miss *m = &sc->misses[i];
        const vg_vignette *v = &set->items[m->vignette];
        if (i == 0 || sc->misses[i - 1].vignette != m->vignette) {
            fprintf(out, "\n%s%s%s\n", v->id, v->title ? " — " : "", v->title ? v->title : "");
            put_wrapped(out, 2, v->text);
            if (!str_empty(v->explanation)) {
                char *s = xasprintf(_("Trainer's note: %s"), v->explanation);
                put_wrapped(out, 2, s);
                free(s);
            }
        }
        print_miss(out, cb, v, run, m->vignette, m->dim);
    }
}

/* ---- loading a stored run ------------------------------------------------ */

typedef struct loaded {
    vg_set *set;
    cb_codebook *cb;
    tr_run run;
    tr_score score;
} loaded;

static void loaded_free(loaded *l)
{
    tr_score_free(&l->score);
    tr_run_free(&l->run);
    vg_free(l->set);
    cb_free(l->cb);
    memset(l, 0, sizeof *l);
}

/* Rebuilds a run's score from the vignette text it kept and the codebook
 * version it was coded with.  On failure prints why and returns false. */
static bool load_run(st_db *db, const st_train_info *info, loaded *l)
{
    memset(l, 0, sizeof *l);
    diag_list d = {0};
    size_t bad = info->source ? vgf_parse(info->vignettes, info->source, strlen(info->source), &l->set, &d)
                              : vgf_read_file(info->vignettes, &l->set, NULL, &d);
    diag_clear(&d);
    st_error e = {0};
    if (bad) {
        cli_error(_("run %s: its vignettes cannot be read back (%s)"), info->id, info->vignettes);
        return false;
    }
    if (st_codebook_load(db, *info->version_id ? info->version_id : NULL, &l->cb, NULL, &e)) {
        cli_error("%s", e.msg);
        loaded_free(l);
        return false;
    }
    tr_run_init(&l->run, l->set->n, l->cb->ndims);
    if (st_train_load(db, info->id, l->set, l->cb, &l->run, &e)) {
        cli_error("%s", e.msg);
        loaded_free(l);
        return false;
    }
    tr_score_run(l->cb, l->set, &l->run, &l->score);
    return true;
}

/* ---- subcommands ---------------------------------------------------------- */

/* The study's current codebook and a vignette file checked against it. */
static bool read_checked(st_db *db, const char *file, vg_set **set, char **source, cb_codebook **cb,
                         char vid[UUID_STRLEN])
{
    diag_list d = {0};
    st_error e = {0};
    *set = NULL;
    *cb = NULL;
    if (vgf_read_file(file, set, source, &d)) {
        cli_print_diags(&d);
        diag_clear(&d);
        return false;
    }
    if (st_codebook_load(db, NULL, cb, vid, &e)) {
        cli_error("%s", e.msg);
        return false;
    }
    if (vg_check(*set, *cb, file, &d)) {
        cli_print_diags(&d);
        diag_clear(&d);
        return false;
    }
    return true;
}

static int check_file(cli_ctx *ctx, const char *file)
{
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    vg_set *set;
    cb_codebook *cb;
    char vid[UUID_STRLEN];
    bool ok = read_checked(db, file, &set, NULL, &cb, vid);
    if (ok)
        fprintf(stderr, _("%s: ok (%zu vignettes, codebook %s version %d)\n"), file, set->n, cb->id, cb->version);
    vg_free(set);
    cb_free(cb);
    st_close(db);
    return ok ? EXIT_OK : EXIT_FAIL;
}

static int run_training(cli_ctx *ctx, const char *file, const char *trainee_opt)
{
    st_db *db = cli_open_study(ctx, ST_WRITE);
    if (!db)
        return EXIT_FAIL;
    int rc = EXIT_FAIL;
    vg_set *set = NULL;
    cb_codebook *cb = NULL;
    char *source = NULL, *last = NULL, vid[UUID_STRLEN], run_id[UUID_STRLEN];
    tr_run run = {0};
    st_error e = {0};
    if (!read_checked(db, file, &set, &source, &cb, vid))
        goto out;
    const char *trainee = trainee_opt;
    if (!trainee && !st_setting_get(db, "last_trainee", &last, &e))
        trainee = last;
    if (str_empty(trainee)) {
        cli_error(_("who is training? give --trainee NAME"));
        goto out;
    }
    if (st_train_start(db, trainee, file, set->title, source, vid, run_id, &e)) {
        cli_error("%s", e.msg);
        goto out;
    }
    tr_run_init(&run, set->n, cb->ndims);
    char err[512] = "";
    ui_train_end end = ui_train(db, run_id, trainee, cb, set, &run, err, sizeof err);
    if (end == UI_TRAIN_ERROR) {
        cli_error("%s", err);
        /* A screen that never started leaves no empty run behind. */
        st_train_discard(db, run_id, &e);
        goto out;
    }
    st_train_info info = {0};
    if (st_train_get(db, run_id, &info, &e)) {
        cli_error("%s", e.msg);
        goto out;
    }
    tr_score sc;
    tr_score_run(cb, set, &run, &sc);
    print_report(stdout, &info, cb, set, &run, &sc);
    if (end == UI_TRAIN_QUIT)
        printf(_("\nThe run was left before the end; its answers are kept (carnet train --report).\n"));
    tr_score_free(&sc);
    st_train_info_clear(&info);
    rc = EXIT_OK;
out:
    tr_run_free(&run);
    vg_free(set);
    cb_free(cb);
    free(source);
    free(last);
    st_close(db);
    return rc;
}

/* One row per run: when, who, on what, and each dimension's agreement and
 * kappa, so that a trainer reads trainees side by side. */
static int list_runs(st_db *db, const char *trainee)
{
    st_train_info *runs;
    size_t n;
    st_error e = {0};
    if (st_train_runs(db, trainee, &runs, &n, &e)) {
        cli_error("%s", e.msg);
        return EXIT_FAIL;
    }
    if (!n) {
        printf(trainee ? _("No training run for %s.\n") : _("No training run yet.\n"), trainee);
        st_train_infos_free(runs, n);
        return EXIT_OK;
    }
    loaded *l = xcalloc(n, sizeof *l);
    bool *ok = xcalloc(n, sizeof *ok);
    /* Columns: the dimensions of every run's codebook, in first-seen order. */
    char **dims = NULL;
    size_t ndims = 0;
    for (size_t i = 0; i < n; i++) {
        ok[i] = load_run(db, &runs[i], &l[i]);
        for (size_t j = 0; ok[i] && j < l[i].score.ndims; j++) {
            const char *id = l[i].cb->dims[l[i].score.dims[j].dim].id;
            bool seen = false;
            for (size_t k = 0; k < ndims && !seen; k++)
                seen = !strcmp(dims[k], id);
            if (!seen) {
                dims = xrealloc(dims, (ndims + 1) * sizeof *dims);
                dims[ndims++] = xstrdup(id);
            }
        }
    }
    char *align = xmalloc(ndims + 6);
    memcpy(align, "lllrr", 5);
    memset(align + 5, 'r', ndims);
    align[ndims + 5] = '\0';
    cli_table t;
    cli_table_init(&t, align);
    free(align);
    cli_table_cell(&t, _("STARTED"));
    cli_table_cell(&t, _("TRAINEE"));
    cli_table_cell(&t, _("VIGNETTES"));
    cli_table_cell(&t, _("ANSWERED"));
    cli_table_cell(&t, _("EXACT"));
    for (size_t k = 0; k < ndims; k++)
        cli_table_cellf(&t, _("%s (%% / kappa)"), dims[k]);
    for (size_t i = 0; i < n; i++) {
        cli_table_cell(&t, runs[i].started_at);
        cli_table_cell(&t, runs[i].trainee);
        cli_table_cell(&t, runs[i].title ? runs[i].title : runs[i].vignettes);
        if (!ok[i]) {
            for (size_t k = 0; k < 2 + ndims; k++)
                cli_table_cell(&t, "?");
            continue;
        }
        cli_table_cellf(&t, "%ld/%zu%s", l[i].score.answered, l[i].set->n, runs[i].ended_at ? "" : "*");
        cli_table_cellf(&t, "%ld", l[i].score.perfect);
        for (size_t k = 0; k < ndims; k++) {
            const tr_dim_score *d = NULL;
            for (size_t j = 0; j < l[i].score.ndims && !d; j++)
                if (!strcmp(l[i].cb->dims[l[i].score.dims[j].dim].id, dims[k]))
                    d = &l[i].score.dims[j];
            if (!d || !d->n)
                cli_table_cell(&t, "-");
            else if (d->kappa.why == AG_DEFINED)
                cli_table_cellf(&t, "%.0f%% / %.2f", 100.0 * (double)d->agreed / (double)d->n,
                                cli_round3(d->kappa.kappa));
            else
                cli_table_cellf(&t, "%.0f%% / -", 100.0 * (double)d->agreed / (double)d->n);
        }
    }
    cli_table_print(&t, stdout, 0);
    cli_table_free(&t);
    printf(_("\n* not finished.  The full report of a run: carnet train --report --run ID\n"));
    cli_table t2;
    cli_table_init(&t2, "lll");
    cli_table_cell(&t2, _("RUN"));
    cli_table_cell(&t2, _("TRAINEE"));
    cli_table_cell(&t2, _("STARTED"));
    for (size_t i = 0; i < n; i++) {
        cli_table_cell(&t2, runs[i].id);
        cli_table_cell(&t2, runs[i].trainee);
        cli_table_cell(&t2, runs[i].started_at);
    }
    cli_table_print(&t2, stdout, 2);
    cli_table_free(&t2);
    for (size_t i = 0; i < n; i++)
        loaded_free(&l[i]);
    for (size_t k = 0; k < ndims; k++)
        free(dims[k]);
    free(dims);
    free(l);
    free(ok);
    st_train_infos_free(runs, n);
    return EXIT_OK;
}

static int report(cli_ctx *ctx, const char *trainee, const char *run_id)
{
    st_db *db = cli_open_study(ctx, ST_READ);
    if (!db)
        return EXIT_FAIL;
    int rc = EXIT_FAIL;
    if (!run_id) {
        rc = list_runs(db, trainee);
    } else {
        st_train_info info;
        st_error e = {0};
        loaded l;
        if (st_train_get(db, run_id, &info, &e)) {
            cli_error("%s", e.msg);
        } else {
            if (load_run(db, &info, &l)) {
                print_report(stdout, &info, l.cb, l.set, &l.run, &l.score);
                loaded_free(&l);
                rc = EXIT_OK;
            }
            st_train_info_clear(&info);
        }
    }
    st_close(db);
    return rc;
}

int cmd_train(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"trainee", required_argument, NULL, 't'},
        {"report", no_argument, NULL, 'r'},
        {"run", required_argument, NULL, 'R'},
        {"check", no_argument, NULL, 'c'},
        CLI_OPT_DB,
        CLI_OPT_HELP,
        {0, 0, 0, 0},
    };
    const char *trainee = NULL, *run = NULL;
    bool want_report = false, check = false;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 't':
            trainee = optarg;
            break;
        case 'r':
            want_report = true;
            break;
        case 'R':
            run = optarg;
            break;
        case 'c':
            check = true;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet train %s\n"
                     "Presents the vignettes of FILE one at a time, to be coded with the codebook's keys;\n"
                     "then scores the coding against the trainer's reference (doc/training.md).\n"),
                   USAGE_ARGS);
            return EXIT_OK;
        default:
            return cli_bad_usage("train");
        }
    }
    int files = argc - optind;
    if (want_report + check > 1 || (want_report && files) || (!want_report && files != 1) ||
        (run && !want_report) || (check && trainee)) {
        cli_error(want_report ? _("--report takes no FILE") : _("give one vignette FILE"));
        return cli_bad_usage("train");
    }
    if (want_report)
        return report(ctx, trainee, run);
    if (check)
        return check_file(ctx, argv[optind]);
    return run_training(ctx, argv[optind], trainee);
}
