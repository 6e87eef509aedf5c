/*
 * fuzz_redact.c — the redaction rules (rd_rules_parse, rd_apply, PCRE2).
 *
 * FUZZ_SEEDS: codebooks
 * FUZZ_ARGS: -max_len=16384 -dict=tests/fuzz/redact.dict
 *
 * The input is a rules text, a NUL byte, then a note (without a NUL byte,
 * the whole input is both).  The rules of the input are parsed and applied
 * to the note, and so are the shipped rules (codebooks/redaction.rules,
 * read once: the harness runs from the top of the tree).  Seeds: the shipped
 * rules, and rules with notes holding what they catch
 * (tests/fuzz/corpus/redact/).
 * Invariants: no crash, leak or undefined behaviour; every line that is
 * neither blank nor a comment is either a rule or exactly one problem
 * (UTF-8, with its line and column); an empty rule set changes nothing;
 * valid UTF-8 stays valid UTF-8; with the shipped rules, no e-mail address
 * is left in a note (each rule runs on the whole text, and a pattern that
 * gives up fails closed), and a note of plain ASCII letters without a digit
 * or an '@' comes out as it went in.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "fuzz.h"

#include <pcre2.h>

#include "core/redact.h"
#include "core/util.h"

typedef struct shipped_rules {
    rd_rules *rules;
    pcre2_code *email; /* the pattern of the shipped EMAIL rule */
} shipped_rules;

/* The pattern of the rule of that tag in rules text, compiled as
 * redact.c compiles it, or NULL. */
static pcre2_code *pattern_of(const char *text, const char *tag)
{
    size_t tl = strlen(tag);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, tag, tl) || (p[tl] != ' ' && p[tl] != '\t'))
            continue;
        const char *q = p + tl;
        while (*q == ' ' || *q == '\t')
            q++;
        size_t n = strcspn(q, "\r\n");
        while (n && (q[n - 1] == ' ' || q[n - 1] == '\t'))
            n--;
        int err;
        PCRE2_SIZE off;
        return pcre2_compile((PCRE2_SPTR)q, n, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &err,
                             &off, NULL);
    }
    return NULL;
}

static const shipped_rules *shipped(void)
{
    static shipped_rules s;
    static int done;
    if (done)
        return s.rules ? &s : NULL;
    done = 1;
    FILE *f = fopen("codebooks/redaction.rules", "rb");
    if (!f)
        return NULL;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    diag_list d = {0};
    s.rules = rd_rules_new();
    FUZZ_ASSERT(rd_rules_parse(s.rules, buf, "redaction.rules", &d) == 0);
    s.email = pattern_of(buf, "EMAIL");
    FUZZ_ASSERT(s.email != NULL);
    return &s;
}

/* Lines of text that are neither blank nor comments, as redact.c reads
 * them. */
static size_t rule_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        size_t k = 0;
        while (k < len && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
            k++;
        if (k < len && p[k] != '#')
            n++;
        p += len;
        if (*p == '\n')
            p++;
    }
    return n;
}

static bool plain_prose(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || (*s >= '0' && *s <= '9') || *s == '@')
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t rlen = nul ? (size_t)(nul - data) : size;
    char *rules_text = fuzz_cstr(data, rlen);
    char *note = nul ? fuzz_cstr(nul + 1, size - rlen - 1) : xstrdup(rules_text);
    bool valid = utf8_valid(note, strlen(note));

    diag_list d = {0};
    rd_rules *r = rd_rules_new();
    size_t problems = rd_rules_parse(r, rules_text, "fuzz.rules", &d);
    FUZZ_ASSERT(problems == d.n);
    FUZZ_ASSERT(rd_rules_count(r) + problems == rule_lines(rules_text));
    for (size_t i = 0; i < d.n; i++) {
        char *s = diag_format(&d.items[i]);
        FUZZ_ASSERT(utf8_valid(s, strlen(s)));
        FUZZ_ASSERT(d.items[i].line >= 1 && d.items[i].col >= 1);
        free(s);
    }
    diag_clear(&d);

    char *out = rd_apply(r, note);
    FUZZ_ASSERT(out != NULL);
    if (valid)
        FUZZ_ASSERT(utf8_valid(out, strlen(out)));
    if (!rd_rules_count(r))
        FUZZ_ASSERT(strcmp(out, note) == 0);
    free(out);
    FUZZ_ASSERT(rd_apply(r, NULL) == NULL);
    rd_rules_free(r);

    const shipped_rules *s = shipped();
    if (s) {
        out = rd_apply(s->rules, note);
        if (valid)
            FUZZ_ASSERT(utf8_valid(out, strlen(out)));
        if (plain_prose(note))
            FUZZ_ASSERT(strcmp(out, note) == 0);
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(s->email, NULL);
        int rc = pcre2_match(s->email, (PCRE2_SPTR)out, strlen(out), 0, 0, md, NULL);
        if (rc >= 0)
            fprintf(stderr, "an e-mail address is left: '%.*s' in '%s'\n",
                    (int)(pcre2_get_ovector_pointer(md)[1] - pcre2_get_ovector_pointer(md)[0]),
                    out + pcre2_get_ovector_pointer(md)[0], out);
        /* No match (a match limit reached here is the check's own). */
        FUZZ_ASSERT(rc < 0);
        pcre2_match_data_free(md);
        free(out);
    }
    free(note);
    free(rules_text);
    return 0;
}
