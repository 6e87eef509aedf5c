/*
 * demo.h — synthetic interactions for demonstrations, tests and benchmarks.
 *
 * The generator walks a year of opening days at a few reception desks and
 * produces interactions as a desk lives them: more visitors on Monday and
 * Thursday, few on Saturday morning, none on Sundays and public holidays, a
 * quieter August; peaks at mid-morning and mid-afternoon, a lunchtime pause;
 * plausible code frequencies (the CAF first, a few "other, specify"),
 * requests that go with the visitor's profile (retirement with older
 * people), interactions that overlap when a second visitor is served before
 * the first leaves, a few tallies at rush hours, a few left incomplete,
 * open or deleted, and notes that hold fake personal data (e-mail
 * addresses, 06 numbers, NIR, IBAN, card numbers, dates of birth) for the
 * redaction to catch.
 *
 * Everything comes from a seeded generator (xoshiro256**), so the same
 * seed, start day and codebook give the same interactions.  Pure: the only
 * outside input is the local time zone, through mktime(), since the desk's
 * hours are local.  Writing to a study is src/store/st_demo.c's job.
 */
#ifndef CARNET_CORE_DEMO_H
#define CARNET_CORE_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/codebook.h"

#define DEMO_MAX_CODES 64
#define DEMO_MAX_TEXTS 16
#define DEMO_OBSERVERS_PER_SITE 2

typedef struct demo_params {
    long long interactions; /* exactly this many (>= 0) */
    int sites;              /* 1 to DEMO_MAX_SITES */
    uint64_t seed;
    int from_y, from_m, from_d; /* the first day */
    int days;                   /* how many days from it (1 to 3660) */
} demo_params;

#define DEMO_MAX_SITES 64

/* An observation session: one observer at one site for one day. */
typedef struct demo_session {
    long long index;  /* 0, 1, ... in the order the generator opens them */
    int site;         /* 0 .. sites-1 */
    int observer;     /* 0 .. sites * DEMO_OBSERVERS_PER_SITE - 1 */
    time_t start, end;
    time_t pause_start, pause_end; /* both 0 when there is no pause */
} demo_session;

typedef struct demo_code {
    size_t dim, code;  /* indexes into the codebook */
    const char *other; /* "other, specify" text, or NULL */
} demo_code;

typedef struct demo_text {
    size_t dim;
    const char *text;
} demo_text;

typedef struct demo_ix {
    const demo_session *session;
    bool new_session;   /* the first interaction of its session */
    time_t start, end;  /* end == start for a tally; meaningless when open */
    bool open;          /* never ended (the observer forgot, or a crash) */
    bool tally;
    bool deleted;       /* recorded, then deleted */
    long long paused_seconds;
    const char *note;   /* NULL when none; valid until the next demo_next() */
    demo_code codes[DEMO_MAX_CODES];
    size_t ncodes;
    demo_text texts[DEMO_MAX_TEXTS];
    size_t ntexts;
} demo_ix;

typedef struct demo_gen demo_gen;

/*
 * A generator for the active dimensions and codes of cb, which must outlive
 * it.  Returns NULL with a sentence in err when the parameters are out of
 * range.  Caller frees with demo_free().
 */
demo_gen *demo_new(const cb_codebook *cb, const demo_params *p, char *err, size_t errlen);
void demo_free(demo_gen *g);

/* The next interaction, in order of day, site and start time; false once
 * p->interactions have been given. */
bool demo_next(demo_gen *g, demo_ix *out);

/* The names of site i and observer i (static strings or ones the generator
 * owns). */
const char *demo_site_name(const demo_gen *g, int i);
const char *demo_observer_name(const demo_gen *g, int i);
int demo_observer_count(const demo_gen *g);

/* The seeded generator itself, for the tests and for the fake data. */
typedef struct demo_rng {
    uint64_t s[4];
} demo_rng;
void demo_rng_seed(demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(demo_rng *r);
/* Uniform in [0, n). */
uint64_t demo_rng_below(demo_rng *r, uint64_t n);

/* Fake personal data, each valid by its own rules (NIR key, IBAN mod 97,
 * card Luhn digit), written into out (at least 48 bytes). */
void demo_fake_nir(demo_rng *r, char *out, size_t n);
void demo_fake_iban(demo_rng *r, char *out, size_t n);
void demo_fake_card(demo_rng *r, char *out, size_t n);
void demo_fake_phone(demo_rng *r, char *out, size_t n);

#endif
