/*
 * bench_keys.c — keystroke latency of the coding screen: from a key to its
 * committed row.
 *
 * Each key goes through exactly what `carnet observe` does with it
 * (tui/observe.c): cod_key() turns it into an intended change,
 * st_apply_change() commits it (one IMMEDIATE transaction with its audit
 * row, WAL, synchronous=FULL: an fsync per key) and reads back the derived
 * flags, and cod_commit() applies it to the state.  Only drawing is left
 * out (curses sends a few hundred bytes to the terminal).  The clock runs
 * from before cod_key() to after cod_commit(), for every key that records
 * something, over a day's worth of interactions coded with the shipped
 * codebook: start, four codes, end, and an undo and redo every tenth one.
 *
 *     make bench-keys                 # 2000 interactions in build/bench/
 *     build/bench/bench_keys [-n N] [-d DIR]
 *
 * Prints the median, the 90th and 99th percentiles and the maximum, in
 * milliseconds, for all keys and for each kind of change.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codebook/cb_file.h"
#include "core/coding.h"
#include "core/util.h"
#include "store/st_observe.h"

typedef struct sample {
    double ms;   /* key to committed row and state applied */
    double core; /* of which the state machine: cod_key() and cod_commit() */
    cod_kind kind;
} sample;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_ms(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, const sample *v, size_t n, int kind, bool core)
{
    double *ms = xcalloc(n, sizeof *ms);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (kind < 0 || (int)v[i].kind == kind)
            ms[k++] = core ? v[i].core : v[i].ms;
    if (k) {
        qsort(ms, k, sizeof *ms, by_ms);
        printf("  %-8s %7zu keys   median %6.2f   p90 %6.2f   p99 %6.2f   max %7.2f ms\n", what, k, ms[k / 2],
               ms[k * 90 / 100], ms[k * 99 / 100], ms[k - 1]);
    }
    free(ms);
}

int main(int argc, char **argv)
{
    long n = 2000;
    const char *dir = "build/bench";
    int ch;
    while ((ch = getopt(argc, argv, "n:d:")) != -1) {
        if (ch == 'n')
            n = strtol(optarg, NULL, 10);
        else if (ch == 'd')
            dir = optarg;
        else {
            fprintf(stderr, "usage: bench_keys [-n INTERACTIONS] [-d DIR]\n");
            return 2;
        }
    }
    char *path = xasprintf("%s/bench-keys.db", dir);
    unlink(path);
    char *side = xasprintf("%s-wal", path);
    unlink(side);
    free(side);
    side = xasprintf("%s-shm", path);
    unlink(side);
    free(side);

    diag_list d = {0};
    cb_codebook *cb;
    if (cbf_read_file("codebooks/labacces-accueil.yaml", &cb, &d)) {
        fprintf(stderr, "bench_keys: cannot read codebooks/labacces-accueil.yaml (run from the source tree)\n");
        return 1;
    }
    st_db *db;
    st_error e = {0};
    char vid[UUID_STRLEN];
    char *src = cbf_write(cb);
    st_session_ctx ctx;
    cb_codebook *loaded;
    if (st_create(path, "bench", &db, &e) || st_codebook_add(db, cb, src, vid, &e) ||
        st_session_open(db, "France Services Démo", "Bench", NULL, NULL, &ctx, &e) ||
        st_codebook_load(db, vid, &loaded, NULL, &e)) {
        fprintf(stderr, "bench_keys: %s\n", e.msg);
        return 1;
    }
    free(src);
    cb_free(cb);
    cod_state *s = cod_new(time(NULL));
    cod_add_book(s, vid, loaded, true);

    /* One interaction: start, request, public, two obstacles, (Tab to the
     * last dimension), orientation, end; every tenth, an undo and a redo. */
    static const int keys[] = {' ', 'c', 'r', 'm', 'w', '\t', 's', COD_K_ENTER};
    size_t cap = (size_t)n * 10, ns = 0;
    sample *v = xcalloc(cap, sizeof *v);
    double t0 = now_ms();
    for (long i = 0; i < n; i++) {
        size_t nk = sizeof keys / sizeof keys[0];
        for (size_t k = 0; k < nk + (i % 10 == 9 ? 2 : 0); k++) {
            int key = k < nk ? keys[k] : k == nk ? '<' : '>';
            double a = now_ms();
            cod_change c;
            cod_key(s, key, time(NULL), &c);
            if (c.kind == COD_NONE) {
                cod_change_free(&c);
                continue;
            }
            double a2 = now_ms();
            cod_result r;
            if (st_apply_change(db, &ctx, &c, &r, &e)) {
                fprintf(stderr, "bench_keys: %s\n", e.msg);
                return 1;
            }
            double b2 = now_ms();
            cod_commit(s, &c, &r);
            double b = now_ms();
            if (ns < cap)
                v[ns++] = (sample){b - a, (a2 - a) + (b - b2), c.kind};
            cod_change_free(&c);
        }
    }
    double total = now_ms() - t0;
    printf("carnet bench-keys: %ld interactions, %zu keys recorded in %.1f s, study %s\n", n, ns, total / 1e3, path);
    report("all", v, ns, -1, false);
    report("start", v, ns, COD_START, false);
    report("code", v, ns, COD_CODE, false);
    report("end", v, ns, COD_END, false);
    report("undo", v, ns, COD_REOPEN, false); /* undoing the end */
    printf("of which the state machine (cod_key + cod_commit, no I/O):\n");
    report("all", v, ns, -1, true);
    free(v);
    cod_free(s);
    st_close(db);
    free(path);
    return 0;
}
