/*
 * cmd_stats.c — `carnet stats`: the frequencies of every dimension and,
 * with --cross, one cross-tabulation, as aligned tables in the terminal,
 * for a quick look without a spreadsheet.  The figures are those of the
 * workbook (src/export/export.h builds both).  Widths are measured in
 * columns with core/text.h, so accented labels keep the columns straight;
 * decimals follow the locale (a comma in French).
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_filter.h"
#include "core/cb_union.h"
#include "core/cell.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "export/export.h"

#define LABEL_MAX 40
#define NONE ((size_t)-1)

enum { OPT_CROSS = 2100 };

static char dec_sep(void)
{
    const struct lconv *lc = localeconv();
    return lc && lc->decimal_point && lc->decimal_point[0] ? lc->decimal_point[0] : '.';
}

/* Prints s in width columns, left- or right-aligned, cut with "…". */
static void cell(const char *s, int width, bool right)
{
    char *f = u8_fit(s, width, 0);
    int pad = width - (int)u8_width(f);
    if (right)
        printf("%*s%s", pad > 0 ? pad : 0, "", f);
    else
        printf("%s%*s", f, pad > 0 ? pad : 0, "");
    free(f);
}

static void pct(double share, char out[48])
{
    char n[40];
    cell_decimal(share * 100.0, 1, dec_sep(), n);
    snprintf(out, 48, "%s %%", n);
}

static int widest(const cb_dimension *d, bool ids, int floor_w)
{
    int w = floor_w;
    for (size_t j = 0; j < d->ncodes; j++) {
        int x = (int)u8_width(ids ? d->codes[j].id : d->codes[j].label);
        w = x > w ? x : w;
    }
    return w > LABEL_MAX ? LABEL_MAX : w;
}

static void print_freq(const cb_codebook *cb, const ex_freq *f)
{
    const cb_dimension *d = &cb->dims[f->dim];
    bool multi = d->mode == CB_MULTIPLE;
    printf("\n%s [%s] — %s", d->label, d->id, multi ? _("multiple choice") : _("single choice"));
    if (multi)
        printf(_(", %lld answers"), f->answers);
    printf("\n");
    int wc = widest(d, true, (int)u8_width(_("CODE"))), wl = widest(d, false, (int)u8_width(_("LABEL")));
    int wl2 = (int)u8_width(_("(no answer)"));
    wl = wl2 > wl ? wl2 : wl;
    int wn = 8, wp = (int)u8_width(_("% INTERACTIONS")), wa = (int)u8_width(_("% ANSWERS"));
    wp = wp < 9 ? 9 : wp;
    wa = wa < 9 ? 9 : wa;
    printf("  ");
    cell(_("CODE"), wc, false);
    printf("  ");
    cell(_("LABEL"), wl, false);
    printf("  ");
    cell(_("N"), wn, true);
    printf("  ");
    cell(_("% INTERACTIONS"), wp, true);
    if (multi) {
        printf("  ");
        cell(_("% ANSWERS"), wa, true);
    }
    printf("\n");
    for (size_t j = 0; j < f->nrows; j++) {
        const ex_freq_row *r = &f->rows[j];
        char n[32], p[48], a[48];
        snprintf(n, sizeof n, "%lld", r->n);
        pct(r->of_interactions, p);
        pct(r->of_answers, a);
        printf("  ");
        cell(r->code == NONE ? "—" : d->codes[r->code].id, wc, false);
        printf("  ");
        cell(r->code == NONE ? _("(no answer)") : d->codes[r->code].label, wl, false);
        printf("  ");
        cell(n, wn, true);
        printf("  ");
        cell(p, wp, true);
        if (multi && r->code != NONE) {
            printf("  ");
            cell(a, wa, true);
        }
        printf("\n");
    }
}

/* The counts, then the row percentages, of dims a (rows) by b (columns);
 * columns are headed by code ids, which are short. */
static void print_xtab(const cb_codebook *cb, size_t a, size_t b, const stats_xtab *x)
{
    const cb_dimension *da = &cb->dims[a], *db = &cb->dims[b];
    size_t *ri = xcalloc(da->ncodes, sizeof *ri), *ci = xcalloc(db->ncodes, sizeof *ci);
    size_t nr = 0, nc = 0;
    for (size_t j = 0; j < da->ncodes; j++)
        if (!da->codes[j].retired || x->rowsum[j])
            ri[nr++] = j;
    for (size_t j = 0; j < db->ncodes; j++)
        if (!db->codes[j].retired || x->colsum[j])
            ci[nc++] = j;
    int wl = widest(da, false, (int)u8_width(_("Total")));
    for (int table = 0; table < 2; table++) {
        printf("\n%s × %s — %s\n", da->label, db->label, table ? _("row %") : _("counts"));
        printf("  ");
        cell("", wl, false);
        int *wc = xcalloc(nc + 1, sizeof *wc);
        for (size_t j = 0; j <= nc; j++) {
            const char *h = j < nc ? db->codes[ci[j]].id : _("Total");
            wc[j] = (int)u8_width(h);
            if (wc[j] < 7)
                wc[j] = 7;
            printf("  ");
            cell(h, wc[j], true);
        }
        printf("\n");
        for (size_t i = 0; i <= nr; i++) {
            printf("  ");
            cell(i < nr ? da->codes[ri[i]].label : _("Total"), wl, false);
            for (size_t j = 0; j <= nc; j++) {
                long long v = i < nr && j < nc ? stats_xtab_get(x, ri[i], ci[j])
                              : i < nr         ? x->rowsum[ri[i]]
                              : j < nc         ? x->colsum[ci[j]]
                                               : x->total;
                long long whole = i < nr ? x->rowsum[ri[i]] : x->total;
                char s[48];
                if (table)
                    pct(stats_share(v, whole), s);
                else
                    snprintf(s, sizeof s, "%lld", v);
                printf("  ");
                cell(s, wc[j], true);
            }
            printf("\n");
        }
        free(wc);
    }
    free(ri);
    free(ci);
}

int cmd_stats(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_FILTER_OPTIONS, {"cross", required_argument, NULL, OPT_CROSS}, CLI_OPT_DB, CLI_OPT_HELP, {0, 0, 0, 0},
    };
    cli_filter cf = {0};
    const char *cross = NULL;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_filter_opt(&cf, ch, optarg))
            continue;
        switch (ch) {
        case OPT_CROSS:
            cross = optarg;
            break;
        case 'D':
            ctx->db_path = optarg;
            break;
        case 'h':
            printf(_("usage: carnet stats %s [--cross DIM1,DIM2]\n"
                     "Prints the frequencies of every dimension over the selected interactions and, with\n"
                     "--cross, the cross-tabulation of two dimensions (their ids), counts and row %%.\n"),
                   CLI_FILTER_USAGE);
            cli_filter_free(&cf);
            return EXIT_OK;
        default:
            cli_filter_free(&cf);
            return cli_bad_usage("stats");
        }
    }
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        cli_filter_free(&cf);
        return cli_bad_usage("stats");
    }
    char *c1 = NULL, *c2 = NULL;
    if (cross) {
        const char *comma = strchr(cross, ',');
        if (!comma || comma == cross || !comma[1] || strchr(comma + 1, ',')) {
            cli_error(_("--cross takes two dimension ids separated by a comma, such as demande,orientation"));
            cli_filter_free(&cf);
            return cli_bad_usage("stats");
        }
        c1 = xstrndup(cross, (size_t)(comma - cross));
        c2 = xstrdup(comma + 1);
    }
    int rc = EXIT_FAIL;
    st_db *db = NULL;
    cb_codebook *cb = NULL;
    ex_freq *f = NULL;
    size_t nf = 0;
    st_error e = {0};
    if (!cli_filter_finish(&cf))
        goto out;
    db = cli_open_study(ctx, ST_READ);
    if (!db || !cli_filter_check(&cf, db))
        goto out;
    st_ex_cache(db, 64);
    st_ex_counts n;
    if (st_ex_codebook(db, &cb, &e) || st_ex_counts_get(db, &cf.f, &n, &e)) {
        cli_error("%s", e.msg);
        goto out;
    }
    size_t a = NONE, b = NONE;
    if (cross) {
        a = cb_dim_index(cb, c1);
        b = cb_dim_index(cb, c2);
        const char *bad = a == NONE ? c1 : b == NONE ? c2 : NULL;
        if (!bad && (cb->dims[a].mode == CB_TEXT || cb->dims[b].mode == CB_TEXT))
            bad = cb->dims[a].mode == CB_TEXT ? c1 : c2;
        if (bad || a == b) {
            strbuf ids = {0};
            for (size_t i = 0; i < cb->ndims; i++)
                if (cb->dims[i].mode != CB_TEXT)
                    sb_printf(&ids, "%s%s", ids.len ? ", " : "", cb->dims[i].id);
            cli_error(_("--cross: '%s' is not a coded dimension of the codebook (choose two of: %s)"),
                      bad ? bad : c1, ids.s ? ids.s : "");
            sb_free(&ids);
            goto out;
        }
    }
    char *what = ex_filter_text(&cf.f);
    printf(_("%s: %lld interactions, %lld sessions, %lld sites, %lld observers — %s\n"), ctx->db_path,
           n.interactions, n.sessions, n.sites, n.observers, what);
    free(what);
    if (n.incomplete || n.tally || n.deleted)
        printf(_("%lld incomplete, %lld tallies; %lld deleted left out\n"), n.incomplete, n.tally, n.deleted);
    if (ex_freqs_build(db, &cf.f, cb, n.interactions, &f, &nf, &e)) {
        cli_error("%s", e.msg);
        goto out;
    }
    for (size_t i = 0; i < nf; i++)
        if (cb->dims[f[i].dim].mode != CB_TEXT)
            print_freq(cb, &f[i]);
    if (cross) {
        stats_xtab x;
        if (ex_xtab_build(db, &cf.f, cb, a, b, &x, &e)) {
            cli_error("%s", e.msg);
            goto out;
        }
        print_xtab(cb, a, b, &x);
        stats_xtab_free(&x);
    }
    rc = EXIT_OK;
out:
    ex_freqs_free(f, nf);
    cb_free(cb);
    st_close(db);
    free(c1);
    free(c2);
    cli_filter_free(&cf);
    return rc;
}
