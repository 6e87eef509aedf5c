/*
 * demo.c — the synthetic desk (demo.h).
 *
 * The number of interactions is exact: the year's total is shared among the
 * days by their weight (weekday, season, holidays) and among the sites of a
 * day by theirs, with cumulative rounding, so the shares always add up.  A
 * day's start times are drawn from the half-hour profile and sorted, so
 * memory stays that of one day whatever the total.
 */
#include "core/demo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

/* ---- generator ------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void demo_rng_seed(demo_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t demo_rng_next(demo_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

uint64_t demo_rng_below(demo_rng *r, uint64_t n)
{
    return n ? demo_rng_next(r) % n : 0;
}

static double uniform(demo_rng *r)
{
    return (double)(demo_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(demo_rng *r, double p)
{
    return uniform(r) < p;
}

static double normal(demo_rng *r)
{
    double u = uniform(r), v = uniform(r);
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Index drawn with probability w[i] / sum(w). */
static size_t weighted(demo_rng *r, const double *w, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    if (sum <= 0)
        return demo_rng_below(r, n);
    double x = uniform(r) * sum;
    for (size_t i = 0; i < n; i++) {
        x -= w[i];
        if (x < 0)
            return i;
    }
    return n - 1;
}

#define PICK(r, a) ((a)[demo_rng_below((r), sizeof(a) / sizeof((a)[0]))])

/* ---- fake personal data --------------------------------------------- */

void demo_fake_phone(demo_rng *r, char *out, size_t n)
{
    int d[8];
    for (int i = 0; i < 8; i++)
        d[i] = (int)demo_rng_below(r, 10);
    int mobile = chance(r, 0.8) ? 6 : 7;
    switch (demo_rng_below(r, 4)) {
    case 0:
        snprintf(out, n, "0%d %d%d %d%d %d%d %d%d", mobile, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        break;
    case 1:
        snprintf(out, n, "0%d.%d%d.%d%d.%d%d.%d%d", mobile, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        break;
    case 2:
        snprintf(out, n, "0%d%d%d%d%d%d%d%d%d", mobile, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        break;
    default:
        snprintf(out, n, "+33 %d %d%d %d%d %d%d %d%d", mobile, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        break;
    }
}

void demo_fake_nir(demo_rng *r, char *out, size_t n)
{
    int sex = 1 + (int)demo_rng_below(r, 2);
    int yy = (int)demo_rng_below(r, 100);
    int mm = 1 + (int)demo_rng_below(r, 12);
    int dep = 1 + (int)demo_rng_below(r, 95);
    if (dep == 20)
        dep = 35; /* Corsica's 2A/2B are left out to keep the key simple */
    int com = 1 + (int)demo_rng_below(r, 999);
    int ord = 1 + (int)demo_rng_below(r, 999);
    unsigned long long num = (((((unsigned long long)sex * 100 + (unsigned)yy) * 100 + (unsigned)mm) * 100 +
                               (unsigned)dep) * 1000 + (unsigned)com) * 1000 + (unsigned)ord;
    int key = (int)(97 - num % 97);
    if (chance(r, 0.5))
        snprintf(out, n, "%d %02d %02d %02d %03d %03d %02d", sex, yy, mm, dep, com, ord, key);
    else
        snprintf(out, n, "%d%02d%02d%02d%03d%03d%02d", sex, yy, mm, dep, com, ord, key);
}

void demo_fake_iban(demo_rng *r, char *out, size_t n)
{
    /* BBAN: bank (5), branch (5), account (11), RIB key (2). */
    char bban[24];
    for (int i = 0; i < 23; i++)
        bban[i] = (char)('0' + demo_rng_below(r, 10));
    bban[23] = '\0';
    /* Check digits: BBAN then "FR00" as digits (F=15, R=27), mod 97. */
    char digits[40];
    snprintf(digits, sizeof digits, "%s152700", bban);
    unsigned rem = 0;
    for (const char *p = digits; *p; p++)
        rem = (rem * 10 + (unsigned)(*p - '0')) % 97;
    unsigned check = 98 - rem;
    char iban[32];
    snprintf(iban, sizeof iban, "FR%02u%s", check, bban);
    if (chance(r, 0.3)) {
        snprintf(out, n, "%s", iban);
        return;
    }
    size_t o = 0;
    for (size_t i = 0; iban[i] && o + 2 < n; i++) {
        if (i && i % 4 == 0)
            out[o++] = ' ';
        out[o++] = iban[i];
    }
    out[o] = '\0';
}

void demo_fake_card(demo_rng *r, char *out, size_t n)
{
    int d[16] = {4, 9, 7, 0};
    for (int i = 4; i < 15; i++)
        d[i] = (int)demo_rng_below(r, 10);
    int sum = 0;
    for (int i = 0; i < 15; i++) {
        /* Doubling every second digit from the right, the check digit
         * being the rightmost. */
        int v = d[14 - i];
        if (i % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    d[15] = (10 - sum % 10) % 10;
    bool spaced = chance(r, 0.6);
    size_t o = 0;
    for (int i = 0; i < 16 && o + 2 < n; i++) {
        if (spaced && i && i % 4 == 0)
            out[o++] = ' ';
        out[o++] = (char)('0' + d[i]);
    }
    out[o] = '\0';
}

static const char *const first_names[] = {"Nadia", "Karim", "Sophie", "Jean-Pierre", "Fatou", "Mehdi", "Chantal",
                                          "Hélène", "Ousmane", "Maëlle", "Gérard", "Yasmina", "Kevin", "Aïcha",
                                          "Loïc", "Brigitte", "Samir", "Élodie"};
static const char *const last_names[] = {"Martin", "Benali", "Le Goff", "Diallo", "Moreau", "Nguyen", "Lefèvre",
                                         "Traoré", "Guérin", "Ferreira", "Le Bihan", "Haddad", "Rousseau", "Kouassi"};
static const char *const months[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                                     "septembre", "octobre", "novembre", "décembre"};
/* Names of the desks' agents: studies add them to their redaction rules. */
static const char *const agents[] = {"Mme Roussel", "M. Kervella", "Mme Jaouen", "M. Perrin"};

/* An e-mail address built from a fake name, ASCII only as most are. */
static void fake_email(demo_rng *r, strbuf *b)
{
    static const char *const users[] = {"nadia.martin", "k.benali", "sophie.legoff", "jp.diallo", "fatou.moreau",
                                        "mehdi.nguyen", "chantal.lefevre", "ousmane.traore", "maelle.guerin",
                                        "gerard.ferreira", "y.haddad", "kevin.rousseau", "aicha.kouassi"};
    static const char *const domains[] = {"example.org", "exemple.test", "courriel.test", "mail.example.net"};
    sb_printf(b, "%s%s@%s", PICK(r, users), chance(r, 0.3) ? "35" : "", PICK(r, domains));
}

static void fake_birth(demo_rng *r, strbuf *b)
{
    int y = 1935 + (int)demo_rng_below(r, 70), m = 1 + (int)demo_rng_below(r, 12), d = 1 + (int)demo_rng_below(r, 28);
    const char *who = chance(r, 0.5) ? "née" : "né";
    switch (demo_rng_below(r, 4)) {
    case 0:
        sb_printf(b, "%s le %02d/%02d/%04d", who, d, m, y);
        break;
    case 1:
        sb_printf(b, "%s le %d %s %04d", who, d, months[m - 1], y);
        break;
    case 2:
        sb_printf(b, "date de naissance : %04d-%02d-%02d", y, m, d);
        break;
    default:
        sb_printf(b, "DDN %02d.%02d.%04d", d, m, y);
        break;
    }
}

/* ---- codebook weights ----------------------------------------------- */

/* Plausible shares of the shipped LabAccès codes; other codebooks fall back
 * on a gently decreasing weight by position. */
static const struct {
    const char *id;
    double w;
} known_weights[] = {
    {"caf", 24}, {"cpam", 11}, {"c2s", 4}, {"france-travail", 10}, {"retraite", 7}, {"msa", 1.5}, {"impots", 8},
    {"ants", 9}, {"logement", 6}, {"energie", 4}, {"banque", 3}, {"mdph", 4}, {"sejour", 5}, {"ecole", 2.5},
    {"dem-autre", 3}, {"pub-rsa", 16}, {"pub-demandeur-emploi", 12}, {"pub-precaire", 14}, {"pub-age", 15},
    {"pub-jeune", 8}, {"pub-monoparental", 8}, {"pub-handicap", 6}, {"pub-allophone", 9}, {"pub-etudiant", 3},
    {"pub-aidant", 4}, {"pub-autre", 3}, {"obs-equipement", 9}, {"obs-connexion", 6}, {"obs-email", 10},
    {"obs-identifiants", 16}, {"obs-justificatif", 12}, {"obs-authentification", 9}, {"obs-site", 8},
    {"obs-langage", 10}, {"obs-peur", 5}, {"obs-tout-en-ligne", 7}, {"obs-telephone", 5}, {"obs-competences", 11},
    {"obs-aucun", 0}, {"obs-autre", 2}, {"ori-sur-place", 38}, {"ori-rdv", 12}, {"ori-organisme", 16},
    {"ori-mediateur", 7}, {"ori-france-services", 5}, {"ori-travailleur-social", 6}, {"ori-association", 4},
    {"ori-rappel", 4}, {"ori-revenir", 6}, {"ori-abandon", 1.5}, {"ori-autre", 1.5},
};

/* Requests that go with a profile: weight multipliers of a code of a later
 * dimension given a code chosen before. */
static const struct {
    const char *given, *code;
    double factor;
} boosts[] = {
    {"retraite", "pub-age", 4}, {"france-travail", "pub-demandeur-emploi", 5}, {"caf", "pub-rsa", 2.5},
    {"caf", "pub-monoparental", 2}, {"sejour", "pub-allophone", 5}, {"mdph", "pub-handicap", 6},
    {"ecole", "pub-monoparental", 2}, {"c2s", "pub-precaire", 2}, {"energie", "pub-precaire", 2},
    {"pub-age", "obs-competences", 2}, {"pub-age", "obs-equipement", 2}, {"pub-allophone", "obs-langage", 4},
    {"sejour", "ori-organisme", 2}, {"ants", "ori-sur-place", 1.5}, {"mdph", "ori-travailleur-social", 2},
};
_Static_assert(sizeof boosts / sizeof boosts[0] <= 32, "boost() keeps the entries as bits of a uint32_t");

/* Typical duration of a request in minutes (the median; spread is
 * lognormal). */
static const struct {
    const char *id;
    double minutes;
} durations[] = {
    {"caf", 11}, {"cpam", 8}, {"c2s", 12}, {"france-travail", 10}, {"retraite", 16}, {"msa", 10}, {"impots", 9},
    {"ants", 13}, {"logement", 12}, {"energie", 8}, {"banque", 9}, {"mdph", 18}, {"sejour", 17}, {"ecole", 7},
};

static const char *const other_answers[] = {"Aide juridictionnelle", "Mutuelle privée", "Permis bateau",
                                            "Carte de transport", "Amende", "Mission locale", "Tribunal",
                                            "Association de quartier", "Notaire", "Courrier à traduire"};
static const char *const postcodes[] = {"35000", "35200", "35700", "35300", "35400", "35500", "35600", "22000",
                                        "29200", "56100"};
static const char *const motives[] = {"un courrier qu'il ne comprend pas", "un dossier bloqué depuis trois mois",
                                      "une relance reçue par SMS", "un formulaire à remplir en ligne",
                                      "un rendez-vous impossible à prendre", "une attestation à imprimer"};

/* ---- the desk ------------------------------------------------------- */

static const char *const site_names[] = {"CDAS Rennes Nord", "France Services Vitré", "Mairie de Fougères",
                                         "CDAS Saint-Malo", "France Services Redon", "Mairie de Dinan",
                                         "CDAS Lorient", "France Services Carhaix"};
static const char *const observer_names[] = {"Camille", "Yanis", "Inès", "Lucas", "Salomé", "Théo", "Maëva",
                                             "Hugo", "Léna", "Noé", "Anaïs", "Malo", "Zoé", "Ewen", "Jade", "Paul"};

/* Half-hour slots from 8:30 to 17:30: visitors per slot on a weekday. */
#define SLOT0_MIN (8 * 60 + 30)
#define NSLOTS 18
static const double slot_weights[NSLOTS] = {
    2, 7, 10, 11, 10, 8, 4, /* 8:30 .. 11:30 */
    1,                      /* 12:00 */
    0, 0,                   /* 12:30, 13:00: closed */
    3, 7, 9, 9, 8, 6, 3, 1, /* 13:30 .. 17:00 */
};

struct demo_gen {
    const cb_codebook *cb;
    demo_params p;
    demo_rng rng;
    double *day_w;       /* p.days weights */
    double day_total;
    double site_w[DEMO_MAX_SITES], site_total;
    char *site_names[DEMO_MAX_SITES];
    char *obs_names[DEMO_MAX_SITES * DEMO_OBSERVERS_PER_SITE];
    /* per-code weights, indexed like the codebook */
    double **w;
    /* per code, the entries of boosts[] it is the code of / the given of,
     * as bits: boost() compares bits rather than ids */
    uint32_t **bcode, **bgiven;
    size_t first_dim;    /* first active coded dimension (tallies), or -1 */
    long long given;     /* interactions handed out so far */
    /* where the walk is */
    int day, site;
    long long day_count_before; /* rounded cumulative share before this day */
    double day_cum;
    long long in_day;           /* interactions of the current day */
    long long site_cum_before;
    double site_cum;
    demo_session session;
    long long sessions;
    time_t *starts;             /* the current (day, site)'s start times */
    size_t nstarts, next_start, cap_starts;
    strbuf note;
};

/* French public holidays of year y: fixed ones, and Easter Monday,
 * Ascension and Whit Monday from Easter (Meeus/Jones/Butcher). */
static bool holiday(int y, int m, int d)
{
    static const int fixed[][2] = {{1, 1}, {5, 1}, {5, 8}, {7, 14}, {8, 15}, {11, 1}, {11, 11}, {12, 25}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (fixed[i][0] == m && fixed[i][1] == d)
            return true;
    int a = y % 19, b = y / 100, c = y % 100, dd = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - dd - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int mm = (a + 11 * h + 22 * l) / 451;
    int em = (h + l - 7 * mm + 114) / 31, ed = (h + l - 7 * mm + 114) % 31 + 1;
    struct tm t = {.tm_year = y - 1900, .tm_mon = em - 1, .tm_mday = ed, .tm_hour = 12};
    time_t easter = timegm(&t);
    const int offsets[] = {1, 39, 50};
    for (int j = 0; j < 3; j++) {
        time_t x = easter + (time_t)offsets[j] * 86400;
        struct tm u;
        gmtime_r(&x, &u);
        if (u.tm_mon + 1 == m && u.tm_mday == d)
            return true;
    }
    return false;
}

/* Local noon of day `day` after the first day (mktime normalises). */
static struct tm day_tm(const demo_params *p, int day)
{
    struct tm t = {.tm_year = p->from_y - 1900, .tm_mon = p->from_m - 1, .tm_mday = p->from_d + day,
                   .tm_hour = 12, .tm_isdst = -1};
    mktime(&t);
    return t;
}

static time_t local_time(const struct tm *day, int minutes, int seconds)
{
    struct tm t = {.tm_year = day->tm_year, .tm_mon = day->tm_mon, .tm_mday = day->tm_mday,
                   .tm_hour = minutes / 60, .tm_min = minutes % 60, .tm_sec = seconds, .tm_isdst = -1};
    return mktime(&t);
}

static double day_weight(const demo_params *p, int day)
{
    static const double weekday[] = {0, 1.15, 1.0, 0.8, 1.05, 0.9, 0.3}; /* Sunday .. Saturday */
    static const double month[] = {1.05, 1.0, 1.0, 0.95, 0.9, 1.0, 0.8, 0.5, 1.2, 1.1, 1.05, 0.85};
    struct tm t = day_tm(p, day);
    if (holiday(t.tm_year + 1900, t.tm_mon + 1, t.tm_mday))
        return 0;
    double w = weekday[t.tm_wday] * month[t.tm_mon];
    if (t.tm_mon == 11 && t.tm_mday >= 24)
        w *= 0.4; /* the week of Christmas */
    return w;
}

static double lookup_weight(const cb_code *c, size_t pos)
{
    for (size_t i = 0; i < sizeof known_weights / sizeof known_weights[0]; i++)
        if (!strcmp(known_weights[i].id, c->id))
            return known_weights[i].w;
    double w = 10.0 / ((double)pos + 1.5);
    return c->other ? w * 0.3 : w;
}

static bool is_none_code(const cb_code *c)
{
    return strstr(c->id, "aucun") || strstr(c->id, "none");
}

demo_gen *demo_new(const cb_codebook *cb, const demo_params *p, char *err, size_t errlen)
{
    if (p->interactions < 0 || p->sites < 1 || p->sites > DEMO_MAX_SITES || p->days < 1 || p->days > 3660) {
        snprintf(err, errlen, _("the demo needs 1 to %d sites and 1 to 3660 days"), DEMO_MAX_SITES);
        return NULL;
    }
    demo_gen *g = xcalloc(1, sizeof *g);
    g->cb = cb;
    g->p = *p;
    demo_rng_seed(&g->rng, p->seed);
    g->day_w = xcalloc((size_t)p->days, sizeof *g->day_w);
    for (int d = 0; d < p->days; d++) {
        g->day_w[d] = day_weight(p, d);
        g->day_total += g->day_w[d];
    }
    if (g->day_total <= 0) {
        snprintf(err, errlen, _("the %d days from %04d-%02d-%02d hold no opening day"), p->days, p->from_y,
                 p->from_m, p->from_d);
        demo_free(g);
        return NULL;
    }
    for (int s = 0; s < p->sites; s++) {
        g->site_w[s] = 1.0 / (1.0 + 0.35 * s);
        g->site_total += g->site_w[s];
        size_t nn = sizeof site_names / sizeof site_names[0];
        g->site_names[s] = (size_t)s < nn ? xstrdup(site_names[s]) : xasprintf("Accueil %d", s + 1);
        for (int k = 0; k < DEMO_OBSERVERS_PER_SITE; k++) {
            int o = s * DEMO_OBSERVERS_PER_SITE + k;
            size_t no = sizeof observer_names / sizeof observer_names[0];
            g->obs_names[o] = (size_t)o < no ? xstrdup(observer_names[o]) : xasprintf("Observateur %d", o + 1);
        }
    }
    g->w = xcalloc(cb->ndims ? cb->ndims : 1, sizeof *g->w);
    g->bcode = xcalloc(cb->ndims ? cb->ndims : 1, sizeof *g->bcode);
    g->bgiven = xcalloc(cb->ndims ? cb->ndims : 1, sizeof *g->bgiven);
    g->first_dim = (size_t)-1;
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        g->w[i] = xcalloc(d->ncodes ? d->ncodes : 1, sizeof **g->w);
        g->bcode[i] = xcalloc(d->ncodes ? d->ncodes : 1, sizeof **g->bcode);
        g->bgiven[i] = xcalloc(d->ncodes ? d->ncodes : 1, sizeof **g->bgiven);
        for (size_t j = 0; j < d->ncodes; j++)
            for (size_t b = 0; b < sizeof boosts / sizeof boosts[0]; b++) {
                if (!strcmp(boosts[b].code, d->codes[j].id))
                    g->bcode[i][j] |= 1u << b;
                if (!strcmp(boosts[b].given, d->codes[j].id))
                    g->bgiven[i][j] |= 1u << b;
            }
        size_t pos = 0;
        for (size_t j = 0; j < d->ncodes; j++)
            if (!d->codes[j].retired)
                g->w[i][j] = lookup_weight(&d->codes[j], pos++);
        if (g->first_dim == (size_t)-1 && !d->retired && d->mode != CB_TEXT && pos)
            g->first_dim = i;
    }
    g->day = -1;
    g->site = p->sites;
    return g;
}

void demo_free(demo_gen *g)
{
    if (!g)
        return;
    for (size_t i = 0; g->w && i < g->cb->ndims; i++) {
        free(g->w[i]);
        free(g->bcode[i]);
        free(g->bgiven[i]);
    }
    free(g->w);
    free(g->bcode);
    free(g->bgiven);
    for (int s = 0; s < g->p.sites; s++) {
        free(g->site_names[s]);
        for (int k = 0; k < DEMO_OBSERVERS_PER_SITE; k++)
            free(g->obs_names[s * DEMO_OBSERVERS_PER_SITE + k]);
    }
    free(g->day_w);
    free(g->starts);
    sb_free(&g->note);
    free(g);
}

const char *demo_site_name(const demo_gen *g, int i)
{
    return i >= 0 && i < g->p.sites ? g->site_names[i] : "";
}

const char *demo_observer_name(const demo_gen *g, int i)
{
    return i >= 0 && i < demo_observer_count(g) ? g->obs_names[i] : "";
}

int demo_observer_count(const demo_gen *g)
{
    return g->p.sites * DEMO_OBSERVERS_PER_SITE;
}

static int cmp_time(const void *a, const void *b)
{
    time_t x = *(const time_t *)a, y = *(const time_t *)b;
    return x < y ? -1 : x > y;
}

/* Opens the session of (g->day, g->site) with n interactions. */
static void open_session(demo_gen *g, long long n)
{
    struct tm day = day_tm(&g->p, g->day);
    bool saturday = day.tm_wday == 6, wednesday = day.tm_wday == 3;
    demo_session *s = &g->session;
    s->index = g->sessions++;
    s->site = g->site;
    s->observer = g->site * DEMO_OBSERVERS_PER_SITE + (g->day % DEMO_OBSERVERS_PER_SITE);
    s->start = local_time(&day, 8 * 60 + 25, (int)demo_rng_below(&g->rng, 300));
    if (saturday) {
        s->end = local_time(&day, 12 * 60 + 30, (int)demo_rng_below(&g->rng, 600));
        s->pause_start = s->pause_end = 0;
    } else {
        s->end = local_time(&day, 17 * 60 + 35, (int)demo_rng_below(&g->rng, 900));
        s->pause_start = local_time(&day, 12 * 60 + 15, 0);
        s->pause_end = local_time(&day, 13 * 60 + 30, 0);
    }
    double w[NSLOTS];
    for (int i = 0; i < NSLOTS; i++) {
        w[i] = slot_weights[i];
        if (saturday && i >= 8)
            w[i] = 0;
        if (wednesday && i >= 10)
            w[i] *= 0.5;
    }
    xgrow((void **)&g->starts, &g->cap_starts, (size_t)n, sizeof *g->starts);
    for (long long i = 0; i < n; i++) {
        size_t slot = weighted(&g->rng, w, NSLOTS);
        int sec = (int)demo_rng_below(&g->rng, 30 * 60);
        g->starts[i] = local_time(&day, SLOT0_MIN + (int)slot * 30, sec);
    }
    qsort(g->starts, (size_t)n, sizeof *g->starts, cmp_time);
    g->nstarts = (size_t)n;
    g->next_start = 0;
}

/* Moves to the next (day, site) that has interactions.  false at the end. */
static bool advance(demo_gen *g)
{
    for (;;) {
        g->site++;
        if (g->site >= g->p.sites) {
            g->day++;
            if (g->day >= g->p.days)
                return false;
            double before = g->day_cum;
            g->day_cum += g->day_w[g->day];
            long long lo = llround((double)g->p.interactions * before / g->day_total);
            long long hi = llround((double)g->p.interactions * g->day_cum / g->day_total);
            if (g->day == g->p.days - 1)
                hi = g->p.interactions;
            g->in_day = hi - lo;
            g->site = 0;
            g->site_cum = 0;
        }
        double before = g->site_cum;
        g->site_cum += g->site_w[g->site];
        long long lo = llround((double)g->in_day * before / g->site_total);
        long long hi = llround((double)g->in_day * g->site_cum / g->site_total);
        if (g->site == g->p.sites - 1)
            hi = g->in_day;
        if (hi > lo) {
            open_session(g, hi - lo);
            return true;
        }
    }
}

/* The product of the factors of boosts[] whose code is (di, j) and whose
 * given is among x's codes, in the order of the table. */
static double boost(const demo_gen *g, const demo_ix *x, size_t di, size_t j)
{
    double f = 1;
    uint32_t mine = g->bcode[di][j];
    for (size_t i = 0; mine && i < sizeof boosts / sizeof boosts[0]; i++) {
        if (!(mine & (1u << i)))
            continue;
        for (size_t k = 0; k < x->ncodes; k++)
            if (g->bgiven[x->codes[k].dim][x->codes[k].code] & (1u << i))
                f *= boosts[i].factor;
    }
    return f;
}

static void add_code(demo_gen *g, demo_ix *x, size_t dim, size_t code)
{
    if (x->ncodes >= DEMO_MAX_CODES)
        return;
    const cb_code *c = &g->cb->dims[dim].codes[code];
    x->codes[x->ncodes++] = (demo_code){dim, code, c->other ? PICK(&g->rng, other_answers) : NULL};
}

static void code_single(demo_gen *g, demo_ix *x, size_t di)
{
    const cb_dimension *d = &g->cb->dims[di];
    double w[DEMO_MAX_CODES];
    size_t n = d->ncodes < DEMO_MAX_CODES ? d->ncodes : DEMO_MAX_CODES;
    for (size_t j = 0; j < n; j++)
        w[j] = g->w[di][j] * (g->w[di][j] > 0 ? boost(g, x, di, j) : 0);
    size_t j = weighted(&g->rng, w, n);
    if (!d->codes[j].retired)
        add_code(g, x, di, j);
}

static void code_multiple(demo_gen *g, demo_ix *x, size_t di)
{
    const cb_dimension *d = &g->cb->dims[di];
    static const double howmany[] = {30, 40, 20, 8, 2};
    size_t k = weighted(&g->rng, howmany, 5);
    double w[DEMO_MAX_CODES];
    size_t n = d->ncodes < DEMO_MAX_CODES ? d->ncodes : DEMO_MAX_CODES, none = (size_t)-1;
    for (size_t j = 0; j < n; j++) {
        w[j] = g->w[di][j] > 0 ? g->w[di][j] * boost(g, x, di, j) : 0;
        if (!d->codes[j].retired && is_none_code(&d->codes[j])) {
            none = j;
            w[j] = 0;
        }
    }
    size_t chosen = 0;
    for (size_t i = 0; i < k; i++) {
        double sum = 0;
        for (size_t j = 0; j < n; j++)
            sum += w[j];
        if (sum <= 0)
            break;
        size_t j = weighted(&g->rng, w, n);
        add_code(g, x, di, j);
        w[j] = 0;
        chosen++;
    }
    if (!chosen && none != (size_t)-1 && chance(&g->rng, 0.7))
        add_code(g, x, di, none);
}

/* A note, one time in three; half of them hold personal data. */
static void make_note(demo_gen *g, demo_ix *x)
{
    demo_rng *r = &g->rng;
    strbuf *b = &g->note;
    b->len = 0;
    sb_add(b, "");
    if (!chance(r, 0.33)) {
        x->note = NULL;
        return;
    }
    char buf[64];
    switch (demo_rng_below(r, 12)) {
    case 0:
        sb_printf(b, "Vient pour %s. Courriel : ", PICK(r, motives));
        fake_email(r, b);
        break;
    case 1:
        demo_fake_phone(r, buf, sizeof buf);
        sb_printf(b, "Rappeler %s %s au %s après 14 h", chance(r, 0.5) ? "Mme" : "M.", PICK(r, last_names), buf);
        break;
    case 2:
        demo_fake_nir(r, buf, sizeof buf);
        sb_printf(b, "N° de sécu %s noté sur le formulaire, %s", buf, PICK(r, motives));
        break;
    case 3:
        demo_fake_iban(r, buf, sizeof buf);
        sb_printf(b, "RIB demandé par l'organisme ; IBAN %s recopié", buf);
        break;
    case 4:
        demo_fake_card(r, buf, sizeof buf);
        sb_printf(b, "Paiement en ligne refusé avec la carte %s", buf);
        break;
    case 5:
        sb_printf(b, "%s %s, ", PICK(r, first_names), PICK(r, last_names));
        fake_birth(r, b);
        sb_add(b, ", dossier retraite incomplet");
        break;
    case 6:
        demo_fake_phone(r, buf, sizeof buf);
        sb_printf(b, "Pas d'adresse mail, seulement le %s ; ", buf);
        fake_birth(r, b);
        break;
    case 7:
        sb_printf(b, "- revient %s avec les justificatifs", chance(r, 0.5) ? "lundi" : "la semaine prochaine");
        break;
    case 8:
        sb_printf(b, "Orienté·e vers %s (agent d'accueil) pour la suite", PICK(r, agents));
        break;
    case 9:
        sb_add(b, "FranceConnect refuse l'identifiant, mot de passe oublié");
        break;
    case 10:
        sb_printf(b, "Accompagné·e de sa fille ; %s", PICK(r, motives));
        break;
    default:
        sb_printf(b, "Attente longue, %d personnes avant", 2 + (int)demo_rng_below(r, 6));
        break;
    }
    x->note = b->s;
}

static double request_minutes(const demo_gen *g, const demo_ix *x)
{
    for (size_t k = 0; k < x->ncodes; k++) {
        const char *id = g->cb->dims[x->codes[k].dim].codes[x->codes[k].code].id;
        for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++)
            if (!strcmp(durations[i].id, id))
                return durations[i].minutes;
    }
    return 9;
}

bool demo_next(demo_gen *g, demo_ix *x)
{
    if (g->given >= g->p.interactions)
        return false;
    memset(x, 0, sizeof *x);
    if (g->next_start >= g->nstarts) {
        if (!advance(g))
            return false;
        x->new_session = true;
    }
    demo_rng *r = &g->rng;
    const cb_codebook *cb = g->cb;
    x->session = &g->session;
    x->start = g->starts[g->next_start++];
    if (x->start < g->session.start)
        x->start = g->session.start;
    g->given++;
    struct tm lt;
    localtime_r(&x->start, &lt);
    bool rush = lt.tm_hour >= 9 && lt.tm_hour < 11;
    if (rush && g->first_dim != (size_t)-1 && chance(r, 0.06)) {
        x->tally = true;
        x->end = x->start;
        code_single(g, x, g->first_dim);
        x->deleted = chance(r, 0.005);
        return true;
    }
    /* One required dimension (never the first) is left out now and then. */
    size_t skip = (size_t)-1;
    if (chance(r, 0.02) && cb->ndims > 1)
        skip = 1 + demo_rng_below(r, cb->ndims - 1);
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        if (d->retired || i == skip || (!d->required && chance(r, 0.08) && d->mode == CB_SINGLE))
            continue;
        if (d->mode == CB_SINGLE)
            code_single(g, x, i);
        else if (d->mode == CB_MULTIPLE)
            code_multiple(g, x, i);
        else if (x->ntexts < DEMO_MAX_TEXTS && (d->required || chance(r, 0.7)))
            x->texts[x->ntexts++] = (demo_text){i, PICK(r, postcodes)};
    }
    double minutes = request_minutes(g, x) * exp(0.5 * normal(r));
    if (minutes < 1)
        minutes = 1;
    if (minutes > 90)
        minutes = 90;
    time_t dur = (time_t)(minutes * 60);
    x->end = x->start + dur;
    const demo_session *s = &g->session;
    if (s->pause_start && x->start < s->pause_start && x->end > s->pause_start) {
        /* Still at the desk when the session paused for lunch: the pause
         * is in the span but not in the duration. */
        x->paused_seconds = (long long)(s->pause_end - s->pause_start);
        x->end += s->pause_end - s->pause_start;
    }
    x->open = chance(r, 0.001);
    x->deleted = chance(r, 0.005);
    make_note(g, x);
    return true;
}
