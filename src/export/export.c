/*
 * export.c — what the formats share (export.h): the columns and values of
 * the interactions table, the frequency, cross and duration tables, the
 * read-me, and the temporary-file-then-rename discipline of every output.
 */
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/cb_diff.h"
#include "core/cb_union.h"
#include "core/cell.h"
#include "core/i18n.h"
#include "core/util.h"

#ifndef CARNET_VERSION
#define CARNET_VERSION "0.0.0"
#endif

#define NONE ((size_t)-1)

const char *ex_notes_name(ex_notes n)
{
    return n == EX_NOTES_NONE ? "none" : n == EX_NOTES_RAW ? "raw" : "redacted";
}

bool ex_notes_parse(const char *s, ex_notes *out)
{
    static const ex_notes all[] = {EX_NOTES_REDACTED, EX_NOTES_NONE, EX_NOTES_RAW};
    for (size_t i = 0; i < 3; i++)
        if (s && !strcmp(s, ex_notes_name(all[i]))) {
            *out = all[i];
            return true;
        }
    return false;
}

double ex_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

char *ex_note_out(const ex_options *o, const char *note)
{
    if (str_empty(note) || o->notes == EX_NOTES_NONE)
        return NULL;
    if (o->notes == EX_NOTES_RAW)
        return xstrdup(note);
    return rd_apply(o->rules, note);
}

char *ex_answer_out(const ex_options *o, const char *text)
{
    if (!text)
        return NULL;
    return o->notes == EX_NOTES_RAW ? xstrdup(text) : rd_apply(o->rules, text);
}

const char *ex_weekday_name(int wday)
{
    static const char *const names[] = {N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"),
                                        N_("Thursday"), N_("Friday"), N_("Saturday")};
    return wday >= 0 && wday < 7 ? _(names[wday]) : "";
}

/* ---- columns -------------------------------------------------------- */

static void col_add(ex_columns *c, size_t *cap, ex_col_kind kind, size_t dim, size_t code, char *header, char *key,
                    double width)
{
    xgrow((void **)&c->v, cap, c->n + 1, sizeof *c->v);
    c->v[c->n++] = (ex_col){kind, dim, code, header, key, width};
}

void ex_columns_build(ex_columns *c, const cb_codebook *cb, ex_notes notes)
{
    memset(c, 0, sizeof *c);
    c->cb = cb;
    size_t cap = 0;
    col_add(c, &cap, EXC_UUID, NONE, NONE, xstrdup(_("Interaction")), xstrdup("uuid"), 38);
    col_add(c, &cap, EXC_DATE, NONE, NONE, xstrdup(_("Date")), xstrdup("date"), 11);
    col_add(c, &cap, EXC_WEEKDAY, NONE, NONE, xstrdup(_("Weekday")), xstrdup("weekday"), 10);
    col_add(c, &cap, EXC_START, NONE, NONE, xstrdup(_("Start")), xstrdup("start"), 19);
    col_add(c, &cap, EXC_END, NONE, NONE, xstrdup(_("End")), xstrdup("end"), 19);
    col_add(c, &cap, EXC_DURATION, NONE, NONE, xstrdup(_("Duration (min)")), xstrdup("duration_min"), 10);
    col_add(c, &cap, EXC_SITE, NONE, NONE, xstrdup(_("Site")), xstrdup("site"), 24);
    col_add(c, &cap, EXC_OBSERVER, NONE, NONE, xstrdup(_("Observer")), xstrdup("observer"), 14);
    col_add(c, &cap, EXC_SESSION, NONE, NONE, xstrdup(_("Session")), xstrdup("session"), 38);
    c->dim_col = xcalloc(cb->ndims, sizeof *c->dim_col);
    c->code_col = xcalloc(cb->ndims, sizeof *c->code_col);
    c->other_col = xcalloc(cb->ndims, sizeof *c->other_col);
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        c->dim_col[i] = NONE;
        c->code_col[i] = xcalloc(d->ncodes, sizeof **c->code_col);
        c->other_col[i] = xcalloc(d->ncodes, sizeof **c->other_col);
        for (size_t j = 0; j < d->ncodes; j++)
            c->code_col[i][j] = c->other_col[i][j] = NONE;
        if (d->mode == CB_SINGLE || d->mode == CB_TEXT) {
            c->dim_col[i] = c->n;
            col_add(c, &cap, d->mode == CB_SINGLE ? EXC_SINGLE : EXC_TEXT, i, NONE, xstrdup(d->label),
                    xstrdup(d->id), 24);
        } else
            for (size_t j = 0; j < d->ncodes; j++) {
                c->code_col[i][j] = c->n;
                col_add(c, &cap, EXC_MULTI, i, j, xasprintf("%s: %s", d->label, d->codes[j].label),
                        xasprintf("%s.%s", d->id, d->codes[j].id), 8);
            }
        for (size_t j = 0; j < d->ncodes; j++)
            if (d->codes[j].other) {
                c->other_col[i][j] = c->n;
                col_add(c, &cap, EXC_OTHER, i, j, xasprintf(_("%s: %s (specified)"), d->label, d->codes[j].label),
                        xasprintf("%s.%s.text", d->id, d->codes[j].id), 20);
            }
    }
    col_add(c, &cap, EXC_INCOMPLETE, NONE, NONE, xstrdup(_("Incomplete")), xstrdup("incomplete"), 9);
    col_add(c, &cap, EXC_TALLY, NONE, NONE, xstrdup(_("Tally")), xstrdup("tally"), 7);
    if (notes != EX_NOTES_NONE)
        col_add(c, &cap, EXC_NOTE, NONE, NONE, xstrdup(_("Note")), xstrdup("note"), 50);
}

void ex_columns_free(ex_columns *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].header);
        free(c->v[i].key);
    }
    for (size_t i = 0; c->cb && i < c->cb->ndims; i++) {
        free(c->code_col[i]);
        free(c->other_col[i]);
    }
    free(c->dim_col);
    free(c->code_col);
    free(c->other_col);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* ---- rows ----------------------------------------------------------- */

void ex_answer_place(ex_places *p, const cb_codebook *cb, const st_ex_answer *a, size_t *di, size_t *ci)
{
    if (a->key && a->key < p->n && p->known[a->key]) {
        *di = p->dim[a->key];
        *ci = p->code[a->key];
        return;
    }
    *di = cb_dim_index(cb, a->dim);
    *ci = *di != NONE && a->code ? cb_code_index(&cb->dims[*di], a->code) : NONE;
    if (!a->key)
        return;
    if (a->key >= p->n) {
        size_t n = p->n, cap = p->n;
        xgrow((void **)&p->dim, &cap, (size_t)a->key + 1, sizeof *p->dim);
        cap = n;
        xgrow((void **)&p->code, &cap, (size_t)a->key + 1, sizeof *p->code);
        cap = n;
        xgrow((void **)&p->known, &cap, (size_t)a->key + 1, sizeof *p->known);
        p->n = cap;
    }
    p->dim[a->key] = *di;
    p->code[a->key] = *ci;
    p->known[a->key] = true;
}

void ex_places_free(ex_places *p)
{
    free(p->dim);
    free(p->code);
    free(p->known);
    memset(p, 0, sizeof *p);
}

static const char *own(ex_row *r, char *s)
{
    xgrow((void **)&r->owned, &r->cap, r->nowned + 1, sizeof *r->owned);
    r->owned[r->nowned++] = s;
    return s;
}

static void set_text(ex_row *r, size_t col, const char *s)
{
    if (!s)
        return;
    r->v[col].type = EXV_TEXT;
    r->v[col].text = own(r, cell_guard(s));
}

/* "2026-09-14T09:05:12+02:00" as a local date-time value. */
static void set_time(ex_value *v, const char *ts, char buf[20], bool date_only)
{
    double serial;
    if (!ts || !cell_serial(ts, &serial))
        return;
    if (date_only) {
        snprintf(buf, 11, "%.10s", ts);
        v->type = EXV_DATE;
        v->number = floor(serial);
    } else {
        snprintf(buf, 20, "%.10s %.8s", ts, strlen(ts) >= 19 ? ts + 11 : "00:00:00");
        v->type = EXV_DATETIME;
        v->number = serial;
    }
    v->iso = buf;
}

void ex_row_fill(ex_row *r, const ex_columns *c, const ex_options *o, const st_ex_row *x)
{
    for (size_t i = 0; i < r->nowned; i++)
        free(r->owned[i]);
    r->nowned = 0;
    if (!r->v)
        r->v = xcalloc(c->n, sizeof *r->v);
    memset(r->v, 0, c->n * sizeof *r->v);
    const cb_codebook *cb = c->cb;
    for (size_t k = 0; k < c->n; k++) {
        const ex_col *col = &c->v[k];
        ex_value *v = &r->v[k];
        switch (col->kind) {
        case EXC_UUID:
            v->type = EXV_TEXT;
            v->text = x->id;
            break;
        case EXC_DATE:
            set_time(v, x->started_at, r->date, true);
            break;
        case EXC_WEEKDAY: {
            double s;
            if (cell_serial(x->started_at, &s)) {
                v->type = EXV_TEXT;
                v->text = ex_weekday_name(((long long)floor(s) + 6) % 7);
            }
            break;
        }
        case EXC_START:
            set_time(v, x->started_at, r->start, false);
            break;
        case EXC_END:
            set_time(v, x->ended_at, r->end, false);
            break;
        case EXC_DURATION:
            if (x->has_duration) {
                v->type = EXV_NUMBER;
                v->number = (double)x->duration / 60.0;
            }
            break;
        case EXC_SITE:
            set_text(r, k, x->site);
            break;
        case EXC_OBSERVER:
            set_text(r, k, x->observer);
            break;
        case EXC_SESSION:
            v->type = EXV_TEXT;
            v->text = x->session;
            break;
        case EXC_MULTI:
        case EXC_INCOMPLETE:
        case EXC_TALLY:
            v->type = EXV_NUMBER;
            v->number = col->kind == EXC_INCOMPLETE ? x->incomplete : col->kind == EXC_TALLY ? x->tally : 0;
            break;
        case EXC_NOTE: {
            char *n = ex_note_out(o, x->note);
            if (n) {
                set_text(r, k, n);
                free(n);
            }
            break;
        }
        default:
            break;
        }
    }
    for (size_t a = 0; a < x->nanswers; a++) {
        const st_ex_answer *ans = &x->answers[a];
        size_t di, ci;
        ex_answer_place(&r->places, cb, ans, &di, &ci);
        if (di == NONE)
            continue;
        const cb_dimension *d = &cb->dims[di];
        char *typed = ex_answer_out(o, ans->text);
        if (typed)
            own(r, typed);
        if (!ans->code) {
            if (c->dim_col[di] != NONE)
                set_text(r, c->dim_col[di], typed);
            continue;
        }
        if (ci == NONE)
            continue;
        if (c->code_col[di][ci] != NONE)
            r->v[c->code_col[di][ci]].number = 1;
        else if (c->dim_col[di] != NONE) {
            ex_value *v = &r->v[c->dim_col[di]];
            if (v->type == EXV_TEXT) {
                /* Two codes on a single-choice dimension (an older
                 * version allowed it): both are shown. */
                char *both = xasprintf("%s; %s", v->text, d->codes[ci].label);
                v->text = own(r, both);
            } else
                set_text(r, c->dim_col[di], d->codes[ci].label);
        }
        if (typed && c->other_col[di][ci] != NONE)
            set_text(r, c->other_col[di][ci], typed);
    }
}

void ex_row_free(ex_row *r)
{
    ex_places_free(&r->places);
    for (size_t i = 0; i < r->nowned; i++)
        free(r->owned[i]);
    free(r->owned);
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* ---- frequencies ---------------------------------------------------- */

typedef struct freq_ctx {
    const cb_codebook *cb;
    ex_freq *f; /* one per dimension of cb */
} freq_ctx;

static int on_code(void *ctx, const st_ex_group *g)
{
    freq_ctx *c = ctx;
    size_t di = cb_dim_index(c->cb, g->k[0]);
    if (di == NONE)
        return 0;
    size_t ci = cb_code_index(&c->cb->dims[di], g->k[1]);
    if (ci != NONE)
        c->f[di].rows[ci].n = g->n[0];
    return 0;
}

static int on_answered(void *ctx, const st_ex_group *g)
{
    freq_ctx *c = ctx;
    size_t di = cb_dim_index(c->cb, g->k[0]);
    if (di != NONE) {
        c->f[di].answered = g->n[0];
        c->f[di].answers = g->n[1];
    }
    return 0;
}

st_code ex_freqs_build(st_db *db, const st_filter *f, const cb_codebook *cb, long long interactions, ex_freq **out,
                       size_t *n, st_error *e)
{
    ex_freq *v = xcalloc(cb->ndims, sizeof *v);
    for (size_t i = 0; i < cb->ndims; i++) {
        v[i].dim = i;
        v[i].interactions = interactions;
        v[i].rows = xcalloc(cb->dims[i].ncodes + 1, sizeof *v[i].rows);
        for (size_t j = 0; j < cb->dims[i].ncodes; j++)
            v[i].rows[j].code = j;
    }
    freq_ctx ctx = {cb, v};
    if (st_ex_groups(db, f, EXQ_CODES, NULL, NULL, on_code, &ctx, e) ||
        st_ex_groups(db, f, EXQ_ANSWERED, NULL, NULL, on_answered, &ctx, e)) {
        ex_freqs_free(v, cb->ndims);
        return e->code;
    }
    for (size_t i = 0; i < cb->ndims; i++) {
        /* Keep every active code (zeros included) and the retired ones
         * that still count; then the interactions with no answer. */
        size_t k = 0;
        const cb_dimension *d = &cb->dims[i];
        for (size_t j = 0; j < d->ncodes; j++)
            if (!d->codes[j].retired || v[i].rows[j].n)
                v[i].rows[k++] = v[i].rows[j];
        v[i].rows[k] = (ex_freq_row){NONE, interactions - v[i].answered, 0, 0};
        v[i].nrows = k + 1;
        for (size_t j = 0; j < v[i].nrows; j++) {
            v[i].rows[j].of_interactions = stats_share(v[i].rows[j].n, interactions);
            v[i].rows[j].of_answers = v[i].rows[j].code == NONE ? 0 : stats_share(v[i].rows[j].n, v[i].answers);
        }
    }
    *out = v;
    *n = cb->ndims;
    return ST_OK;
}

void ex_freqs_free(ex_freq *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].rows);
    free(v);
}

typedef struct xtab_ctx {
    const cb_dimension *a, *b;
    stats_xtab *x;
} xtab_ctx;

static int on_xtab(void *ctx, const st_ex_group *g)
{
    xtab_ctx *c = ctx;
    size_t r = cb_code_index(c->a, g->k[0]), k = cb_code_index(c->b, g->k[1]);
    if (r != NONE && k != NONE)
        stats_xtab_add(c->x, r, k, g->n[0]);
    return 0;
}

st_code ex_xtab_build(st_db *db, const st_filter *f, const cb_codebook *cb, size_t a, size_t b, stats_xtab *x,
                      st_error *e)
{
    stats_xtab_init(x, cb->dims[a].ncodes, cb->dims[b].ncodes);
    xtab_ctx ctx = {&cb->dims[a], &cb->dims[b], x};
    if (st_ex_groups(db, f, EXQ_XTAB, cb->dims[a].id, cb->dims[b].id, on_xtab, &ctx, e)) {
        stats_xtab_free(x);
        return e->code;
    }
    return ST_OK;
}

typedef struct xtabs_ctx {
    const cb_codebook *cb;
    stats_xtab *x;
} xtabs_ctx;

static int on_xtabs(void *ctx, const st_ex_group *g)
{
    xtabs_ctx *c = ctx;
    size_t a = cb_dim_index(c->cb, g->k[0]), b = cb_dim_index(c->cb, g->k[2]);
    if (a == NONE || b == NONE || a == b)
        return 0;
    size_t ca = cb_code_index(&c->cb->dims[a], g->k[1]), cbi = cb_code_index(&c->cb->dims[b], g->k[3]);
    if (ca == NONE || cbi == NONE)
        return 0;
    /* The query orders a pair by id, the tables by position. */
    if (a < b)
        stats_xtab_add(&c->x[a * c->cb->ndims + b], ca, cbi, g->n[0]);
    else
        stats_xtab_add(&c->x[b * c->cb->ndims + a], cbi, ca, g->n[0]);
    return 0;
}

st_code ex_xtabs_build(st_db *db, const st_filter *f, const cb_codebook *cb, stats_xtab **out, st_error *e)
{
    size_t n = cb->ndims;
    stats_xtab *x = xcalloc(n * n, sizeof *x);
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            stats_xtab_init(&x[a * n + b], a < b ? cb->dims[a].ncodes : 0, a < b ? cb->dims[b].ncodes : 0);
    xtabs_ctx ctx = {cb, x};
    if (st_ex_groups(db, f, EXQ_XTAB_ALL, NULL, NULL, on_xtabs, &ctx, e)) {
        ex_xtabs_free(x, n);
        return e->code;
    }
    *out = x;
    return ST_OK;
}

void ex_xtabs_free(stats_xtab *x, size_t ndims)
{
    for (size_t i = 0; x && i < ndims * ndims; i++)
        stats_xtab_free(&x[i]);
    free(x);
}

typedef struct dur_ctx {
    const cb_dimension *d;
    ex_durations *out;
} dur_ctx;

static int on_duration(void *ctx, const st_ex_duration *d)
{
    dur_ctx *c = ctx;
    size_t ci = cb_code_index(c->d, d->code);
    if (ci != NONE) {
        c->out->by_code[ci] = *d;
        c->out->by_code[ci].code = NULL;
    }
    return 0;
}

st_code ex_durations_build(st_db *db, const st_filter *f, const cb_codebook *cb, size_t dim, ex_durations *d,
                           st_error *e)
{
    memset(d, 0, sizeof *d);
    d->dim = dim;
    d->by_code = xcalloc(cb->dims[dim].ncodes, sizeof *d->by_code);
    dur_ctx ctx = {&cb->dims[dim], d};
    if (st_ex_durations(db, f, cb->dims[dim].id, on_duration, &ctx, e)) {
        ex_durations_free(d);
        return e->code;
    }
    return ST_OK;
}

void ex_durations_free(ex_durations *d)
{
    free(d->by_code);
    d->by_code = NULL;
}

/* ---- read-me -------------------------------------------------------- */

void ex_readme_add(ex_readme *r, bool heading, const char *label, const char *fmt, ...)
{
    xgrow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v);
    ex_readme_line *l = &r->v[r->n++];
    l->heading = heading;
    l->label = xstrdup(label ? label : "");
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        l->value = xvasprintf(fmt, ap);
        va_end(ap);
    } else
        l->value = xstrdup("");
}

void ex_readme_count(ex_readme *r, const char *label, long long n)
{
    ex_readme_add(r, false, label, "%lld", n);
    r->v[r->n - 1].is_number = true;
    r->v[r->n - 1].number = n;
}

void ex_readme_free(ex_readme *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].label);
        free(r->v[i].value);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* The day before a YYYY-MM-DD date, for showing a half-open period's last
 * day. */
static void day_before(const char *ymd, char out[11])
{
    struct tm t = {0};
    if (sscanf(ymd, "%4d-%2d-%2d", &t.tm_year, &t.tm_mon, &t.tm_mday) != 3) {
        snprintf(out, 11, "%s", ymd);
        return;
    }
    t.tm_year -= 1900;
    t.tm_mon -= 1;
    t.tm_mday -= 1;
    t.tm_hour = 12;
    time_t x = timegm(&t);
    gmtime_r(&x, &t);
    strftime(out, 11, "%Y-%m-%d", &t);
}

static void join_names(strbuf *b, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%s%s", i ? ", " : "", v[i]);
}

static char *period_text(const period *p)
{
    char last[11] = "";
    if (p->to[0])
        day_before(p->to, last);
    if (p->from[0] && p->to[0])
        return xasprintf(_("%s (%s to %s)"), p->label, p->from, last);
    if (p->from[0])
        return xasprintf(_("from %s"), p->from);
    if (p->to[0])
        return xasprintf(_("up to %s"), last);
    return xstrdup(_("all dates"));
}

char *ex_filter_text(const st_filter *f)
{
    strbuf b = {0};
    char *p = period_text(&f->period);
    sb_add(&b, p);
    free(p);
    if (f->nsites) {
        sb_add(&b, _("; sites: "));
        join_names(&b, f->sites, f->nsites);
    }
    if (f->nobservers) {
        sb_add(&b, _("; observers: "));
        join_names(&b, f->observers, f->nobservers);
    }
    return sb_take(&b);
}

static void readme_about(ex_readme *r, const ex_options *o)
{
    ex_readme_add(r, true, _("carnet export"), NULL);
    ex_readme_add(r, false, _("Study"), "%s", o->study ? o->study : "");
    ex_readme_add(r, false, _("Generated"), "%s", o->generated_at ? o->generated_at : "");
    ex_readme_add(r, false, _("carnet version"), "%s", CARNET_VERSION);
}

static void readme_filter(ex_readme *r, const ex_options *o)
{
    const st_filter *f = &o->filter;
    ex_readme_add(r, true, _("Selection"), NULL);
    char *p = period_text(&f->period);
    ex_readme_add(r, false, _("Period"), "%s", p);
    free(p);
    strbuf b = {0};
    sb_add(&b, "");
    join_names(&b, f->sites, f->nsites);
    ex_readme_add(r, false, _("Sites"), "%s", f->nsites ? b.s : _("all"));
    b.len = 0;
    b.s[0] = '\0';
    join_names(&b, f->observers, f->nobservers);
    ex_readme_add(r, false, _("Observers"), "%s", f->nobservers ? b.s : _("all"));
    sb_free(&b);
    const char *notes = o->notes == EX_NOTES_NONE ? _("left out")
                        : o->notes == EX_NOTES_RAW ? _("as typed (not redacted: they may hold personal data)")
                                                   : _("redacted (personal data replaced by tags such as [EMAIL])");
    ex_readme_add(r, false, _("Notes"), "%s", notes);
    ex_readme_add(r, false, _("Typed answers"), "%s",
                  o->notes == EX_NOTES_RAW ? _("as typed (not redacted: they may hold personal data)")
                                           : _("\"other, specify\" and free-text answers redacted like notes"));
    if (o->notes != EX_NOTES_RAW && o->rules_files)
        ex_readme_add(r, false, _("Redaction rules"), "%s", o->rules_files);
}

static void readme_counts(ex_readme *r, const st_ex_counts *c)
{
    ex_readme_add(r, true, _("Counts"), NULL);
    ex_readme_count(r, _("Interactions"), c->interactions);
    ex_readme_count(r, _("Sessions"), c->sessions);
    ex_readme_count(r, _("Sites"), c->sites);
    ex_readme_count(r, _("Observers"), c->observers);
    ex_readme_count(r, _("Incomplete"), c->incomplete);
    ex_readme_count(r, _("Tallies"), c->tally);
    ex_readme_count(r, _("Never ended"), c->open);
    ex_readme_count(r, _("With a note"), c->with_note);
    ex_readme_count(r, _("Deleted (left out)"), c->deleted);
    if (c->first[0])
        ex_readme_add(r, false, _("First and last"), "%.10s — %.10s", c->first, c->last);
}

/* The codebook versions in use during the selection, oldest first. */
static void readme_versions(ex_readme *r, const st_ex_version *v, size_t n)
{
    ex_readme_add(r, true, _("Codebook versions in use"), NULL);
    for (size_t i = 0; i < n; i++)
        ex_readme_add(r, false, "", _("%s version %d — %s (imported %.10s): %lld interactions, %.10s to %.10s"),
                      v[i].v.codebook_id, v[i].v.version, v[i].v.title, v[i].v.imported_at, v[i].interactions,
                      v[i].first, v[i].last);
    if (!n)
        ex_readme_add(r, false, "", "%s", _("none (no interaction in the selection)"));
}

/*
 * What changed from each version in use to the next one in use
 * (cb_diff(), src/core/cb_diff.h): a line per pair, then a sentence per
 * change.  Versions that no interaction of the selection used are passed
 * over, so a pair sums up every change between them.  Nothing when fewer
 * than two versions are in use.
 */
static st_code readme_changes(ex_readme *r, st_db *db, const st_ex_version *v, size_t n, st_error *e)
{
    if (n < 2)
        return ST_OK;
    ex_readme_add(r, true, _("What changed between the versions in use"), NULL);
    cb_codebook *prev = NULL, *cur = NULL;
    if (st_codebook_load(db, v[0].v.id, &prev, NULL, e))
        return e->code;
    for (size_t i = 1; i < n; i++) {
        if (st_codebook_load(db, v[i].v.id, &cur, NULL, e)) {
            cb_free(prev);
            return e->code;
        }
        cb_changes ch = {0};
        cb_diff(prev, cur, &ch);
        if (ch.n)
            ex_readme_add(r, false, "", ngettext("%s version %d → %s version %d: %zu change",
                                                 "%s version %d → %s version %d: %zu changes", ch.n),
                          v[i - 1].v.codebook_id, v[i - 1].v.version, v[i].v.codebook_id, v[i].v.version, ch.n);
        else
            ex_readme_add(r, false, "", _("%s version %d → %s version %d: no change"), v[i - 1].v.codebook_id,
                          v[i - 1].v.version, v[i].v.codebook_id, v[i].v.version);
        for (size_t k = 0; k < ch.n; k++) {
            char *line = cb_change_describe(&ch.items[k]);
            ex_readme_add(r, false, "", "%s", line);
            free(line);
        }
        cb_changes_clear(&ch);
        cb_free(prev);
        prev = cur;
        cur = NULL;
    }
    cb_free(prev);
    return ST_OK;
}

static void readme_method(ex_readme *r)
{
    ex_readme_add(r, true, _("How to read the figures"), NULL);
    ex_readme_add(r, false, "", "%s",
                  _("Codes are counted by their stable id across codebook versions: a renamed code counts as one, "
                    "under its latest label; a retired code still counts."));
    ex_readme_add(r, false, "", "%s", _("Deleted interactions are left out of every sheet."));
    ex_readme_add(r, false, "", "%s",
                  _("Durations leave out paused time, tallies (duration unknown) and interactions never ended."));
    ex_readme_add(r, false, "", "%s",
                  _("Times are the desk's local time. Text that a spreadsheet could run as a formula "
                    "(starting with = + - @) is prefixed with an apostrophe."));
}

st_code ex_readme_build(st_db *db, const ex_options *o, const st_ex_counts *counts, ex_readme *r, st_error *e)
{
    memset(r, 0, sizeof *r);
    readme_about(r, o);
    readme_filter(r, o);
    readme_counts(r, counts);
    st_ex_version *v;
    size_t n;
    if (st_ex_versions(db, &o->filter, &v, &n, e)) {
        ex_readme_free(r);
        return e->code;
    }
    readme_versions(r, v, n);
    st_code c = readme_changes(r, db, v, n, e);
    st_ex_versions_free(v, n);
    if (c) {
        ex_readme_free(r);
        return c;
    }
    readme_method(r);
    return ST_OK;
}

/* ---- output files --------------------------------------------------- */

static bool fail(ex_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(ex_error *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return false;
}

void ex_error_rename(ex_error *e, const char *tmp, const char *final)
{
    char *at = strstr(e->msg, tmp);
    if (!at)
        return;
    char *m = xasprintf("%.*s%s%s", (int)(at - e->msg), e->msg, final, at + strlen(tmp));
    snprintf(e->msg, sizeof e->msg, "%s", m);
    free(m);
}

bool ex_output_begin(const char *final, bool force, char **tmp, ex_error *e)
{
    *tmp = NULL;
    struct stat sb;
    if (!force && stat(final, &sb) == 0)
        return fail(e, _("%s already exists; use --force to replace it"), final);
    char *t = xasprintf("%s.tmp-XXXXXX", final);
    int fd = mkstemp(t);
    if (fd < 0) {
        fail(e, _("%s: cannot write: %s"), final, strerror(errno));
        free(t);
        return false;
    }
    fchmod(fd, 0600);
    close(fd);
    *tmp = t;
    return true;
}

bool ex_output_commit(const char *tmp, const char *final, bool force, ex_error *e)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        int rc = fsync(fd);
        close(fd);
        if (rc != 0) {
            fail(e, _("%s: cannot write: %s; nothing was written"), final, strerror(errno));
            unlink(tmp);
            return false;
        }
    }
    if (force) {
        if (rename(tmp, final) != 0) {
            fail(e, _("%s: cannot write: %s; nothing was written"), final, strerror(errno));
            unlink(tmp);
            return false;
        }
        return true;
    }
    if (link(tmp, final) != 0) {
        int err = errno;
        if (err == EEXIST)
            fail(e, _("%s already exists; use --force to replace it"), final);
        else
            fail(e, _("%s: cannot write: %s; nothing was written"), final, strerror(err));
        unlink(tmp);
        return false;
    }
    unlink(tmp);
    return true;
}

void ex_output_abort(const char *tmp)
{
    if (tmp)
        unlink(tmp);
}
