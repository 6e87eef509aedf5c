/*
 * redact.c — redaction rules compiled with PCRE2 (redact.h).
 *
 * Patterns are compiled with UTF, UCP and caseless matching, and with
 * PCRE2_MATCH_INVALID_UTF so that a note holding bytes that are not UTF-8
 * is still redacted where it can be rather than passed through whole.  The
 * patterns are not JIT-compiled: on notes (a few hundred bytes) it gains
 * nothing measurable (0.6 s for the notes of 100,000 interactions either
 * way), and JIT code makes valgrind report uninitialised reads.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/redact.h"

#include <ctype.h>
#include <pcre2.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif
#include <stdbool.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

typedef enum rd_check { RD_CHECK_NONE = 0, RD_CHECK_LUHN } rd_check;

typedef struct rd_rule {
    char *tag; /* "[EMAIL]" */
    rd_check check;
    pcre2_code *code;
} rd_rule;

struct rd_rules {
    rd_rule *v;
    size_t n, cap;
};

rd_rules *rd_rules_new(void)
{
    return xcalloc(1, sizeof(rd_rules));
}

void rd_rules_free(rd_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].tag);
        pcre2_code_free(r->v[i].code);
    }
    free(r->v);
    free(r);
}

size_t rd_rules_count(const rd_rules *r)
{
    return r ? r->n : 0;
}

int rd_luhn_ok(const char *s, size_t n)
{
    int digits[32];
    size_t nd = 0;
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i])) {
            if (nd == sizeof digits / sizeof digits[0])
                return 0;
            digits[nd++] = s[i] - '0';
        }
    if (nd < 12 || nd > 19)
        return 0;
    int sum = 0;
    for (size_t i = 0; i < nd; i++) {
        int d = digits[nd - 1 - i];
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* Parses one non-blank, non-comment line; col is 1-based. */
static void parse_line(rd_rules *r, const char *line, size_t len, const char *file, int lineno, diag_list *diags,
                       size_t *problems)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t tag0 = i;
    while (i < len && (isupper((unsigned char)line[i]) || isdigit((unsigned char)line[i]) || line[i] == '_'))
        i++;
    size_t tagn = i - tag0;
    rd_check check = RD_CHECK_NONE;
    if (!tagn || (i < len && line[i] != ':' && line[i] != ' ' && line[i] != '\t')) {
        diag_add(diags, file, lineno, (int)tag0 + 1,
                 _("expected a tag in capitals (EMAIL, TEL...) then a pattern"));
        (*problems)++;
        return;
    }
    if (i < len && line[i] == ':') {
        size_t c0 = ++i;
        while (i < len && isalpha((unsigned char)line[i]))
            i++;
        if (i - c0 == 4 && !strncmp(line + c0, "luhn", 4))
            check = RD_CHECK_LUHN;
        else {
            diag_add(diags, file, lineno, (int)c0 + 1, _("unknown check '%.*s' (the known check is luhn)"),
                     (int)(i - c0), line + c0);
            (*problems)++;
            return;
        }
    }
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t end = len;
    while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
        end--;
    if (end == i) {
        diag_add(diags, file, lineno, (int)i + 1, _("the rule %.*s has no pattern"), (int)tagn, line + tag0);
        (*problems)++;
        return;
    }
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)(line + i), end - i,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &err, &off,
                                     NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        diag_add(diags, file, lineno, (int)(i + off) + 1, _("invalid pattern: %s"), (const char *)msg);
        (*problems)++;
        return;
    }
    if (!RUNNING_ON_VALGRIND)
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    xgrow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v);
    rd_rule *rule = &r->v[r->n++];
    rule->tag = xasprintf("[%.*s]", (int)tagn, line + tag0);
    rule->check = check;
    rule->code = code;
}

size_t rd_rules_parse(rd_rules *r, const char *text, const char *file, diag_list *diags)
{
    size_t problems = 0;
    int lineno = 0;
    const char *p = text ? text : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        size_t k = 0;
        while (k < len && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
            k++;
        if (k < len && p[k] != '#')
            parse_line(r, p, len, file, lineno, diags, &problems);
        p += len;
        if (*p == '\n')
            p++;
    }
    return problems;
}

/* Length of the UTF-8 sequence starting at s (1 for a stray byte). */
static size_t u8_step(const char *s, size_t left)
{
    unsigned c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (n > left || !utf8_valid(s, n))
        n = 1;
    return n;
}

/* One match from `at`: with the JIT when the pattern has it, again with
 * the interpreter when the JIT gives up. */
static int match_at(const rd_rule *rule, const char *s, size_t len, size_t at, pcre2_match_data *md)
{
    int rc = pcre2_match(rule->code, (PCRE2_SPTR)s, len, at, 0, md, NULL);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
        rc = pcre2_match(rule->code, (PCRE2_SPTR)s, len, at, PCRE2_NO_JIT, md, NULL);
    return rc;
}

/* s with the rule applied, or NULL when it matches nothing (s stands). */
static char *apply_rule(const rd_rule *rule, const char *s, pcre2_match_data *md)
{
    size_t len = strlen(s), at = 0;
    int rc = match_at(rule, s, len, 0, md);
    if (rc == PCRE2_ERROR_NOMATCH)
        return NULL;
    strbuf out = {0};
    sb_add(&out, "");
    for (bool first = true; at < len; first = false) {
        if (!first)
            rc = match_at(rule, s, len, at, md);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            /* The pattern gave up (PCRE2's match limit on a pattern that
             * backtracks without end, say): what it could not look at is
             * not exported, rather than exported unredacted. */
            sb_add(&out, rule->tag);
            at = len;
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t start = ov[0], end = ov[1];
        if (start < at || end <= start || end > len) {
            /* An empty match (or \K past the end): move on one character. */
            size_t from = start < at ? at : start;
            if (from >= len)
                break;
            size_t step = u8_step(s + from, len - from);
            sb_addn(&out, s + at, from + step - at);
            at = from + step;
            continue;
        }
        sb_addn(&out, s + at, start - at);
        if (rule->check == RD_CHECK_LUHN && !rd_luhn_ok(s + start, end - start))
            sb_addn(&out, s + start, end - start);
        else
            sb_add(&out, rule->tag);
        at = end;
    }
    if (at < len)
        sb_addn(&out, s + at, len - at);
    return sb_take(&out);
}

char *rd_apply(const rd_rules *r, const char *text)
{
    if (!text)
        return NULL;
    char *cur = xstrdup(text);
    if (!r || !r->n)
        return cur;
    /* One match block for every rule: the largest they need. */
    uint32_t pairs = 1;
    for (size_t i = 0; i < r->n; i++) {
        uint32_t c = 0;
        pcre2_pattern_info(r->v[i].code, PCRE2_INFO_CAPTURECOUNT, &c);
        if (c + 1 > pairs)
            pairs = c + 1;
    }
    pcre2_match_data *md = pcre2_match_data_create(pairs, NULL);
    for (size_t i = 0; i < r->n; i++) {
        char *next = apply_rule(&r->v[i], cur, md);
        if (next) {
            free(cur);
            cur = next;
        }
    }
    pcre2_match_data_free(md);
    return cur;
}
