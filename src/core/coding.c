/*
 * coding.c — the coding state (coding.h): codebooks, interactions, pauses,
 * applying the changes the store has recorded, and undo/redo.
 *
 * cod_commit() is the only place where recorded data changes in the state,
 * and it runs only after the store said ST_OK: so what the screen shows as
 * recorded is on disk.  Each change made from a key leaves its inverse on
 * the undo stack, computed from the state before the change (which is why
 * it is computed here and not when the key was read: the two are the same
 * state, but this way an entry exists only for what was recorded).  Keys
 * are turned into changes in coding_flow.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/coding_internal.h"
#include "core/i18n.h"
#include "core/util.h"

/* Undo reaches back this many changes: a long day's work. */
#define UNDO_MAX 1000

void cod_msg(cod_state *s, cod_msg_kind k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    s->msg_kind = k;
}

cod_state *cod_new(time_t session_start)
{
    cod_state *s = xcalloc(1, sizeof *s);
    s->active = -1;
    s->session_start = session_start;
    s->next_num = 1;
    s->page = 10;
    return s;
}

static void answers_free(const cb_codebook *cb, cod_answer *ans)
{
    if (!ans)
        return;
    for (size_t d = 0; d < cb->ndims; d++) {
        for (size_t c = 0; c < cb->dims[d].ncodes; c++)
            free(ans[d].other[c]);
        free(ans[d].on);
        free(ans[d].other);
        free(ans[d].text);
    }
    free(ans);
}

static void undo_free(cod_undo *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cod_change_free(&v[i].undo);
        cod_change_free(&v[i].redo);
    }
    free(v);
}

void cod_free(cod_state *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nixs; i++) {
        answers_free(s->books[s->ixs[i].book].cb, s->ixs[i].ans);
        free(s->ixs[i].note);
    }
    free(s->ixs);
    for (size_t i = 0; i < s->nbooks; i++) {
        cb_matcher_free(s->books[i].m);
        cb_free(s->books[i].cb);
    }
    free(s->books);
    free(s->pauses);
    for (size_t i = 0; i < s->field_notes; i++)
        free(s->notes[i].text);
    free(s->notes);
    undo_free(s->undo, s->nundo);
    undo_free(s->redo, s->nredo);
    le_free(&s->in.line);
    free(s);
}

void cod_change_free(cod_change *c)
{
    free(c->text);
    c->text = NULL;
}

void cod_change_copy(cod_change *dst, const cod_change *src)
{
    *dst = *src;
    dst->text = xstrdup(src->text);
}

/* ---- codebooks and interactions --------------------------------------------- */

long cod_find_book(const cod_state *s, const char *version_id)
{
    for (size_t i = 0; i < s->nbooks; i++)
        if (!strcmp(s->books[i].version_id, version_id))
            return (long)i;
    return -1;
}

size_t cod_add_book(cod_state *s, const char *version_id, cb_codebook *cb, bool current)
{
    long found = cod_find_book(s, version_id);
    size_t i;
    if (found >= 0) {
        cb_free(cb);
        i = (size_t)found;
    } else {
        s->books = xrealloc(s->books, (s->nbooks + 1) * sizeof *s->books);
        cod_book *b = &s->books[s->nbooks];
        memset(b, 0, sizeof *b);
        snprintf(b->version_id, sizeof b->version_id, "%s", version_id);
        b->cb = cb;
        /* The codebook was validated when it entered the study: its
         * patterns compile. */
        b->m = cb_matcher_new(cb, NULL, NULL);
        i = s->nbooks++;
    }
    if (current || s->nbooks == 1)
        s->cur_book = i;
    if (s->active < 0)
        cod_reset_highlight(s);
    return i;
}

const cod_book *cod_book_of(const cod_state *s, const cod_ix *x)
{
    return &s->books[x->book];
}

const cb_codebook *cod_cb_of(const cod_state *s, const cod_ix *x)
{
    return s->books[x->book].cb;
}

const cb_codebook *cod_current_cb(const cod_state *s)
{
    return s->nbooks ? s->books[s->cur_book].cb : NULL;
}

cod_ix *cod_ix_at(cod_state *s, long i)
{
    return i >= 0 && (size_t)i < s->nixs ? &s->ixs[i] : NULL;
}

long cod_ix_index(const cod_state *s, const char *id)
{
    for (size_t i = 0; i < s->nixs; i++)
        if (!strcmp(s->ixs[i].id, id))
            return (long)i;
    return -1;
}

const cod_ix *cod_active(const cod_state *s)
{
    return s->active >= 0 ? &s->ixs[s->active] : NULL;
}

bool cod_dim_active(const cb_dimension *d)
{
    return !d->retired;
}

long cod_first_dim(const cb_codebook *cb)
{
    for (size_t d = 0; d < cb->ndims; d++)
        if (cod_dim_active(&cb->dims[d]))
            return (long)d;
    return -1;
}

long cod_step_dim(const cb_codebook *cb, size_t d, int dir, bool wrap)
{
    long n = (long)cb->ndims;
    long i = (long)d;
    for (long k = 1; k <= n; k++) {
        long j = i + dir * k;
        if (j < 0 || j >= n) {
            if (!wrap)
                return -1;
            j = (j % n + n) % n;
        }
        if (cod_dim_active(&cb->dims[j]))
            return j;
    }
    return -1;
}

long cod_tally_dim(const cb_codebook *cb)
{
    for (size_t d = 0; d < cb->ndims; d++)
        if (cod_dim_active(&cb->dims[d]) && cb->dims[d].mode != CB_TEXT)
            return (long)d;
    return -1;
}

/* Appends an interaction with empty answers; returns its index. */
static size_t ix_append(cod_state *s, size_t book, const char *id)
{
    xgrow((void **)&s->ixs, &s->cap, s->nixs + 1, sizeof *s->ixs);
    cod_ix *x = &s->ixs[s->nixs];
    memset(x, 0, sizeof *x);
    snprintf(x->id, sizeof x->id, "%s", id);
    x->num = s->next_num++;
    x->book = book;
    const cb_codebook *cb = s->books[book].cb;
    x->ans = xcalloc(cb->ndims, sizeof *x->ans);
    for (size_t d = 0; d < cb->ndims; d++) {
        x->ans[d].on = xcalloc(cb->dims[d].ncodes, sizeof *x->ans[d].on);
        x->ans[d].other = xcalloc(cb->dims[d].ncodes, sizeof *x->ans[d].other);
    }
    long first = cod_first_dim(cb);
    x->dim = first < 0 ? 0 : (size_t)first;
    return s->nixs++;
}

size_t cod_load_ix(cod_state *s, size_t book, const cod_ix_load *in)
{
    size_t i = ix_append(s, book, in->id);
    cod_ix *x = &s->ixs[i];
    snprintf(x->started_at, sizeof x->started_at, "%s", in->started_at ? in->started_at : "");
    snprintf(x->ended_at, sizeof x->ended_at, "%s", in->ended_at ? in->ended_at : "");
    x->tally = in->tally;
    x->deleted = in->deleted;
    x->incomplete = in->incomplete;
    x->adopted = in->adopted;
    x->paused_seconds = in->paused_seconds;
    x->note = str_empty(in->note) ? NULL : xstrdup(in->note);
    return i;
}

/* The indexes of a dimension and a code of x's codebook, by id. */
static bool find_ids(const cod_state *s, const cod_ix *x, const char *dim_id, const char *code_id, size_t *d,
                     size_t *c)
{
    const cb_codebook *cb = cod_cb_of(s, x);
    for (size_t i = 0; i < cb->ndims; i++) {
        if (strcmp(cb->dims[i].id, dim_id))
            continue;
        *d = i;
        if (!code_id)
            return true;
        for (size_t j = 0; j < cb->dims[i].ncodes; j++)
            if (!strcmp(cb->dims[i].codes[j].id, code_id)) {
                *c = j;
                return true;
            }
    }
    return false;
}

void cod_load_code(cod_state *s, size_t ix, const char *dim_id, const char *code_id, const char *other)
{
    cod_ix *x = &s->ixs[ix];
    size_t d = 0, c = 0;
    if (!find_ids(s, x, dim_id, code_id, &d, &c))
        return;
    x->ans[d].on[c] = true;
    free(x->ans[d].other[c]);
    x->ans[d].other[c] = str_empty(other) ? NULL : xstrdup(other);
}

void cod_load_text(cod_state *s, size_t ix, const char *dim_id, const char *text)
{
    cod_ix *x = &s->ixs[ix];
    size_t d = 0, c = 0;
    if (!find_ids(s, x, dim_id, NULL, &d, &c))
        return;
    free(x->ans[d].text);
    x->ans[d].text = str_empty(text) ? NULL : xstrdup(text);
}

void cod_load_done(cod_state *s, size_t ix)
{
    cod_ix *x = &s->ixs[ix];
    const cb_codebook *cb = cod_cb_of(s, x);
    for (size_t d = 0; d < cb->ndims; d++)
        if (cod_dim_active(&cb->dims[d]) && cod_dim_empty(s, x, d)) {
            x->dim = d;
            return;
        }
}

void cod_set_page(cod_state *s, size_t rows)
{
    s->page = rows ? rows : 1;
}

/* ---- what the screen reads ---------------------------------------------------- */

size_t cod_visible_codes(const cb_dimension *d, size_t *idx, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < d->ncodes; i++)
        if (cb_code_active(&d->codes[i])) {
            if (idx && n < max)
                idx[n] = i;
            n++;
        }
    return n;
}

const cb_dimension *cod_panel_dim(const cod_state *s, const cb_codebook **cb_out)
{
    const cb_codebook *cb = NULL;
    long d = -1;
    const cod_ix *x = cod_active(s);
    if (s->tally && s->nbooks) {
        cb = cod_current_cb(s);
        d = cod_tally_dim(cb);
    } else if (x) {
        cb = cod_cb_of(s, x);
        d = (long)x->dim;
    } else if (s->nbooks) {
        /* Nothing open: the first dimension, to look codes up while waiting. */
        cb = cod_current_cb(s);
        d = cod_first_dim(cb);
    }
    if (cb_out)
        *cb_out = cb;
    return cb && d >= 0 ? &cb->dims[d] : NULL;
}

const cb_code *cod_entry_code(const cod_state *s, const cb_dimension **dim_out)
{
    const cb_dimension *d = cod_panel_dim(s, NULL);
    if (dim_out)
        *dim_out = d;
    if (!d || d->mode == CB_TEXT)
        return NULL;
    size_t n = cod_visible_codes(d, NULL, 0);
    if (!n)
        return NULL;
    size_t *idx = xcalloc(n, sizeof *idx);
    cod_visible_codes(d, idx, n);
    const cb_code *c = &d->codes[idx[s->hl < n ? s->hl : n - 1]];
    free(idx);
    return c;
}

void cod_reset_highlight(cod_state *s)
{
    s->hl = 0;
    const cod_ix *x = cod_active(s);
    const cb_dimension *d = cod_panel_dim(s, NULL);
    if (!d || !x || s->tally || d->mode == CB_TEXT)
        return;
    size_t pos = 0;
    for (size_t i = 0; i < d->ncodes; i++) {
        if (!cb_code_active(&d->codes[i]))
            continue;
        if (x->ans[x->dim].on[i]) {
            s->hl = pos;
            return;
        }
        pos++;
    }
}

bool cod_dim_empty(const cod_state *s, const cod_ix *x, size_t d)
{
    const cb_dimension *dim = &cod_cb_of(s, x)->dims[d];
    if (dim->mode == CB_TEXT)
        return str_empty(x->ans[d].text);
    for (size_t c = 0; c < dim->ncodes; c++)
        if (x->ans[d].on[c])
            return false;
    return true;
}

bool cod_missing_required(const cod_state *s, const cod_ix *x)
{
    if (x->tally)
        return false;
    const cb_codebook *cb = cod_cb_of(s, x);
    for (size_t d = 0; d < cb->ndims; d++)
        if (cb->dims[d].required && cod_dim_active(&cb->dims[d]) && cod_dim_empty(s, x, d))
            return true;
    return false;
}

long long cod_paused_between(const cod_state *s, time_t a, time_t b)
{
    long long sum = 0;
    for (size_t i = 0; i < s->npauses; i++) {
        time_t ps = s->pauses[i].start, pe = s->pauses[i].end ? s->pauses[i].end : b;
        time_t lo = ps > a ? ps : a, hi = pe < b ? pe : b;
        if (hi > lo)
            sum += (long long)(hi - lo);
    }
    return sum;
}

long long cod_session_seconds(const cod_state *s, time_t now)
{
    long long t = (long long)(now - s->session_start) - cod_paused_between(s, s->session_start, now);
    return t < 0 ? 0 : t;
}

long long cod_ix_seconds(const cod_state *s, const cod_ix *x, time_t now)
{
    if (x->tally)
        return -1;
    time_t a, b;
    if (!ts_parse(x->started_at, &a))
        return 0;
    long long t;
    if (x->ended_at[0] && ts_parse(x->ended_at, &b))
        t = (long long)(b - a) - x->paused_seconds;
    else
        t = (long long)(now - a) - (x->adopted ? 0 : cod_paused_between(s, a, now));
    return t < 0 ? 0 : t;
}

size_t cod_count(const cod_state *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nixs; i++)
        if (!s->ixs[i].deleted && !s->ixs[i].adopted)
            n++;
    return n;
}

size_t cod_open_list(const cod_state *s, size_t *idx, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nixs; i++)
        if (!s->ixs[i].deleted && !s->ixs[i].ended_at[0]) {
            if (idx && n < max)
                idx[n] = i;
            n++;
        }
    return n;
}

long cod_last_open(const cod_state *s, long except)
{
    for (long i = (long)s->nixs - 1; i >= 0; i--)
        if (i != except && !s->ixs[i].deleted && !s->ixs[i].ended_at[0])
            return i;
    return -1;
}

const char *cod_fmt_duration(long long secs, char *buf, size_t n)
{
    if (secs < 0)
        secs = 0;
    if (secs >= 3600)
        snprintf(buf, n, "%lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
    else
        snprintf(buf, n, "%lld:%02lld", secs / 60, secs % 60);
    return buf;
}

const char *cod_clock(const char *ts, char *buf, size_t n)
{
    snprintf(buf, n, "%.8s", strlen(ts) >= 19 ? ts + 11 : ts);
    return buf;
}

void cod_fill_code(const cod_state *s, const cod_ix *x, size_t d, size_t ci, bool on, const char *text,
                   cod_change *c)
{
    const cb_dimension *dim = &cod_cb_of(s, x)->dims[d];
    c->kind = COD_CODE;
    snprintf(c->ix, sizeof c->ix, "%s", x->id);
    c->dim = d;
    c->code = ci;
    c->dim_id = dim->id;
    c->code_id = dim->codes[ci].id;
    c->on = on;
    c->text = xstrdup(text);
}

void cod_close_input(cod_state *s)
{
    le_free(&s->in.line);
    memset(&s->in, 0, sizeof s->in);
}

/* ---- undo ------------------------------------------------------------------------ */

static void push(cod_undo **v, size_t *n, const cod_undo *e)
{
    if (*n == UNDO_MAX) {
        cod_change_free(&(*v)[0].undo);
        cod_change_free(&(*v)[0].redo);
        memmove(*v, *v + 1, (*n - 1) * sizeof **v);
        (*n)--;
    }
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = *e;
}

static void simple(cod_change *c, cod_kind k, const char *ix)
{
    memset(c, 0, sizeof *c);
    c->kind = k;
    snprintf(c->ix, sizeof c->ix, "%s", ix);
}

/*
 * The inverse of c on the state before c is applied, into e->undo, and how
 * to do c again into e->redo.  false for changes that are not undone
 * (pause, resume and field notes concern the session, not an
 * interaction: one resumes, or writes another note).
 */
static bool make_undo(const cod_state *s, const cod_change *c, const cod_result *r, cod_undo *e)
{
    memset(e, 0, sizeof *e);
    if (c->kind == COD_START || c->kind == COD_TALLY) {
        /* Undoing a creation deletes it (nothing is erased); redoing brings
         * the same interaction back rather than making another. */
        simple(&e->undo, COD_DELETE, r->id);
        simple(&e->redo, COD_RESTORE, r->id);
        return true;
    }
    long xi = cod_ix_index(s, c->ix);
    if (xi < 0)
        return false;
    const cod_ix *x = &s->ixs[xi];
    cod_change_copy(&e->redo, c);
    e->redo.close_input = false; /* redone, it moves on as it did */
    cod_change *u = &e->undo;
    switch (c->kind) {
    case COD_CODE: {
        const cb_dimension *dim = &cod_cb_of(s, x)->dims[c->dim];
        const cod_answer *a = &x->ans[c->dim];
        long prev = -1;
        if (a->on[c->code])
            prev = (long)c->code;
        else if (c->on && dim->mode == CB_SINGLE)
            for (size_t i = 0; i < dim->ncodes; i++)
                if (a->on[i])
                    prev = (long)i;
        if (prev >= 0)
            cod_fill_code(s, x, c->dim, (size_t)prev, true, a->other[prev], u);
        else
            cod_fill_code(s, x, c->dim, c->code, false, NULL, u);
        break;
    }
    case COD_TEXT:
        cod_change_copy(u, c);
        free(u->text);
        u->text = xstrdup(x->ans[c->dim].text);
        break;
    case COD_NOTE:
        simple(u, COD_NOTE, x->id);
        u->text = xstrdup(x->note);
        break;
    case COD_END:
    case COD_REOPEN:
        if (x->ended_at[0]) {
            simple(u, COD_END, x->id);
            snprintf(u->at, sizeof u->at, "%s", x->ended_at);
        } else {
            simple(u, COD_REOPEN, x->id);
        }
        break;
    case COD_TIMES:
        simple(u, COD_TIMES, x->id);
        snprintf(u->at, sizeof u->at, "%s", x->started_at);
        snprintf(u->until, sizeof u->until, "%s", x->ended_at);
        break;
    case COD_DELETE:
    case COD_RESTORE:
        simple(u, x->deleted ? COD_DELETE : COD_RESTORE, x->id);
        break;
    default:
        cod_change_free(&e->redo);
        return false;
    }
    e->undo.advance = e->undo.close_input = false;
    return true;
}

/* ---- applying a recorded change ------------------------------------------------- */

static void set_text(char **dst, const char *src)
{
    free(*dst);
    *dst = str_empty(src) ? NULL : xstrdup(src);
}

static void make_active(cod_state *s, long i)
{
    s->active = i;
    cod_reset_highlight(s);
}

/* x ended or went away: the most recent other open one is coded next. */
static void leave(cod_state *s, long xi)
{
    if (s->active == xi)
        make_active(s, cod_last_open(s, xi));
}

static void apply_code(cod_state *s, const cod_change *c, long xi)
{
    cod_ix *x = &s->ixs[xi];
    const cb_codebook *cb = cod_cb_of(s, x);
    const cb_dimension *dim = &cb->dims[c->dim];
    cod_answer *a = &x->ans[c->dim];
    if (c->on && dim->mode == CB_SINGLE)
        for (size_t i = 0; i < dim->ncodes; i++)
            if (i != c->code) {
                a->on[i] = false;
                set_text(&a->other[i], NULL);
            }
    a->on[c->code] = c->on;
    set_text(&a->other[c->code], c->on ? c->text : NULL);
}

/* After a change on dimension d of x: back to d when it was undone or
 * redone (x is coded again if open), then to the next dimension when the
 * change moves on (a choice in a single-choice dimension, and its redoing). */
static void follow(cod_state *s, const cod_change *c, long xi)
{
    cod_ix *x = &s->ixs[xi];
    if (c->origin != COD_FROM_KEY) {
        x->dim = c->dim;
        if (!x->deleted && !x->ended_at[0] && !s->tally)
            s->active = xi;
    }
    if (c->advance) {
        long n = cod_step_dim(cod_cb_of(s, x), c->dim, +1, false);
        if (n >= 0)
            x->dim = (size_t)n;
    }
    if (s->active == xi)
        cod_reset_highlight(s);
}

static long apply(cod_state *s, const cod_change *c, const cod_result *r)
{
    long xi = c->ix[0] ? cod_ix_index(s, c->ix) : -1;
    cod_ix *x = cod_ix_at(s, xi);
    time_t t = 0;
    switch (c->kind) {
    case COD_START:
        xi = (long)ix_append(s, s->cur_book, r->id);
        x = &s->ixs[xi];
        snprintf(x->started_at, sizeof x->started_at, "%s", c->at);
        make_active(s, xi);
        break;
    case COD_TALLY:
        xi = (long)ix_append(s, s->cur_book, r->id);
        x = &s->ixs[xi];
        snprintf(x->started_at, sizeof x->started_at, "%s", c->at);
        snprintf(x->ended_at, sizeof x->ended_at, "%s", c->at);
        x->tally = true;
        x->ans[c->dim].on[c->code] = true;
        break;
    case COD_CODE:
        if (x) {
            apply_code(s, c, xi);
            follow(s, c, xi);
        }
        break;
    case COD_TEXT:
        if (x) {
            set_text(&x->ans[c->dim].text, c->text);
            follow(s, c, xi);
        }
        break;
    case COD_NOTE:
        if (x)
            set_text(&x->note, c->text);
        break;
    case COD_END:
        if (x) {
            snprintf(x->ended_at, sizeof x->ended_at, "%s", c->at);
            leave(s, xi);
        }
        break;
    case COD_REOPEN:
        if (x) {
            x->ended_at[0] = '\0';
            if (c->origin != COD_FROM_KEY && !s->tally)
                make_active(s, xi);
        }
        break;
    case COD_TIMES:
        if (x) {
            snprintf(x->started_at, sizeof x->started_at, "%s", c->at);
            snprintf(x->ended_at, sizeof x->ended_at, "%s", c->until);
            if (x->ended_at[0])
                leave(s, xi);
        }
        break;
    case COD_DELETE:
        if (x) {
            x->deleted = true;
            leave(s, xi);
        }
        break;
    case COD_RESTORE:
        if (x) {
            x->deleted = false;
            if (!x->ended_at[0] && !s->tally)
                make_active(s, xi);
        }
        break;
    case COD_PAUSE:
        ts_parse(c->at, &t);
        s->pauses = xrealloc(s->pauses, (s->npauses + 1) * sizeof *s->pauses);
        s->pauses[s->npauses++] = (cod_pause){t, 0};
        s->paused = true;
        break;
    case COD_RESUME:
        ts_parse(c->at, &t);
        if (s->npauses && !s->pauses[s->npauses - 1].end)
            s->pauses[s->npauses - 1].end = t > s->pauses[s->npauses - 1].start ? t : s->pauses[s->npauses - 1].start;
        s->paused = false;
        break;
    case COD_FIELD_NOTE: {
        /* In the order they were begun: after every note begun before. */
        size_t at = s->field_notes;
        while (at > 0 && strcmp(s->notes[at - 1].at, c->at) > 0)
            at--;
        s->notes = xrealloc(s->notes, (s->field_notes + 1) * sizeof *s->notes);
        memmove(&s->notes[at + 1], &s->notes[at], (s->field_notes - at) * sizeof *s->notes);
        snprintf(s->notes[at].at, sizeof s->notes[at].at, "%s", c->at);
        s->notes[at].text = xstrdup(c->text ? c->text : "");
        s->field_notes++;
        break;
    }
    case COD_NONE:
        break;
    }
    if (x && c->kind != COD_PAUSE && c->kind != COD_RESUME && c->kind != COD_FIELD_NOTE) {
        x->incomplete = r->incomplete;
        x->paused_seconds = r->paused_seconds;
    }
    return xi;
}

/* ---- the status line --------------------------------------------------------------- */

/* The labels of x's required dimensions left empty, joined. */
static void missing_dims(const cod_state *s, const cod_ix *x, char *buf, size_t n)
{
    const cb_codebook *cb = cod_cb_of(s, x);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t d = 0; d < cb->ndims; d++) {
        if (!cb->dims[d].required || !cod_dim_active(&cb->dims[d]) || !cod_dim_empty(s, x, d))
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", cb->dims[d].label);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static void describe(cod_state *s, const cod_change *c, long xi)
{
    const cod_ix *x = cod_ix_at(s, xi);
    char what[400] = "", a[16], b[16], dur[32];
    int num = x ? x->num : 0;
    const cb_dimension *dim = x && (c->kind == COD_CODE || c->kind == COD_TEXT || c->kind == COD_TALLY)
                                  ? &cod_cb_of(s, x)->dims[c->dim]
                                  : NULL;
    switch (c->kind) {
    case COD_START:
        snprintf(what, sizeof what, _("Started #%d at %s"), num, cod_clock(c->at, a, sizeof a));
        break;
    case COD_TALLY:
        snprintf(what, sizeof what, _("Recorded #%d (tally): %s"), num, dim->codes[c->code].label);
        break;
    case COD_CODE:
        if (c->on && c->text)
            snprintf(what, sizeof what, _("#%d %s: %s (%s)"), num, dim->label, dim->codes[c->code].label, c->text);
        else if (c->on)
            snprintf(what, sizeof what, _("#%d %s: %s"), num, dim->label, dim->codes[c->code].label);
        else
            snprintf(what, sizeof what, _("#%d %s: %s removed"), num, dim->label, dim->codes[c->code].label);
        break;
    case COD_TEXT:
        if (c->text)
            snprintf(what, sizeof what, _("#%d %s: %s"), num, dim->label, c->text);
        else
            snprintf(what, sizeof what, _("#%d %s: answer removed"), num, dim->label);
        break;
    case COD_NOTE:
        snprintf(what, sizeof what, c->text ? _("#%d: note recorded") : _("#%d: note removed"), num);
        break;
    case COD_END: {
        char miss[200];
        cod_fmt_duration(cod_ix_seconds(s, x, 0), dur, sizeof dur);
        missing_dims(s, x, miss, sizeof miss);
        if (miss[0])
            snprintf(what, sizeof what, _("Recorded #%d (%s), incomplete: %s missing"), num, dur, miss);
        else
            snprintf(what, sizeof what, _("Recorded #%d (%s)"), num, dur);
        break;
    }
    case COD_REOPEN:
        snprintf(what, sizeof what, _("#%d is open again"), num);
        break;
    case COD_TIMES:
        if (c->until[0])
            snprintf(what, sizeof what, _("#%d: times %s-%s"), num, cod_clock(c->at, a, sizeof a),
                     cod_clock(c->until, b, sizeof b));
        else
            snprintf(what, sizeof what, _("#%d: starts at %s, open"), num, cod_clock(c->at, a, sizeof a));
        break;
    case COD_DELETE:
        snprintf(what, sizeof what, _("#%d deleted"), num);
        break;
    case COD_RESTORE:
        snprintf(what, sizeof what, _("#%d restored"), num);
        break;
    case COD_PAUSE:
        snprintf(what, sizeof what, _("Session paused at %s: press , (or F6) to resume"),
                 cod_clock(c->at, a, sizeof a));
        break;
    case COD_RESUME: {
        long long p = s->npauses ? (long long)(s->pauses[s->npauses - 1].end - s->pauses[s->npauses - 1].start) : 0;
        snprintf(what, sizeof what, _("Session resumed after a pause of %s"), cod_fmt_duration(p, dur, sizeof dur));
        break;
    }
    case COD_FIELD_NOTE:
        snprintf(what, sizeof what, _("Field note recorded (%s)"), cod_clock(c->at, a, sizeof a));
        break;
    case COD_NONE:
        return;
    }
    if (c->origin == COD_FROM_UNDO)
        cod_msg(s, COD_MSG_OK, _("Undone: %s"), what);
    else if (c->origin == COD_FROM_REDO)
        cod_msg(s, COD_MSG_OK, _("Redone: %s"), what);
    else
        cod_msg(s, COD_MSG_OK, "%s", what);
}

void cod_commit(cod_state *s, const cod_change *c, const cod_result *r)
{
    static const cod_result none = {{0}, false, 0};
    if (!r)
        r = &none;
    cod_undo e;
    bool undoable = c->origin == COD_FROM_KEY && make_undo(s, c, r, &e);
    long xi = apply(s, c, r);
    if (undoable) {
        push(&s->undo, &s->nundo, &e);
        undo_free(s->redo, s->nredo);
        s->redo = NULL;
        s->nredo = 0;
    } else if (c->origin == COD_FROM_UNDO && s->nundo) {
        push(&s->redo, &s->nredo, &s->undo[--s->nundo]);
    } else if (c->origin == COD_FROM_REDO && s->nredo) {
        push(&s->undo, &s->nundo, &s->redo[--s->nredo]);
    }
    if (c->close_input)
        cod_close_input(s);
    else if (s->in.open)
        cod_suggest(s);
    s->quit_armed = false;
    describe(s, c, xi);
}

void cod_fail(cod_state *s, const cod_change *c, const char *why)
{
    (void)c;
    cod_msg(s, COD_MSG_WARN, _("Not recorded: %s"), why);
}

const char *cod_input_prompt(const cod_state *s, char *buf, size_t n)
{
    const cod_input *in = &s->in;
    const cod_ix *x = in->kind != COD_IN_FIELD_NOTE && in->ix < s->nixs ? &s->ixs[in->ix] : NULL;
    const cb_dimension *dim = x && (in->kind == COD_IN_OTHER || in->kind == COD_IN_TEXT)
                                  ? &cod_cb_of(s, x)->dims[in->dim]
                                  : NULL;
    char t[16];
    switch (in->kind) {
    case COD_IN_OTHER:
        snprintf(buf, n, _("#%d %s: %s, specify:"), x->num, dim->label, dim->codes[in->code].label);
        break;
    case COD_IN_TEXT:
        snprintf(buf, n, _("#%d %s:"), x->num, dim->label);
        break;
    case COD_IN_NOTE:
        snprintf(buf, n, _("Note on #%d:"), x->num);
        break;
    case COD_IN_FIELD_NOTE:
        snprintf(buf, n, _("Field note on the session (%s):"), cod_clock(in->at, t, sizeof t));
        break;
    case COD_IN_TIMES:
        snprintf(buf, n, _("Times of #%d, start and end (e.g. 09:05 09:12; no end: open):"), x->num);
        break;
    }
    return buf;
}
