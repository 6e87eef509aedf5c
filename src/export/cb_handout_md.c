/*
 * cb_handout_md.c — the codebook handout in Markdown (cb_handout.h).
 *
 * One section per dimension, one subsection per code, the four fields as
 * short labelled paragraphs: long definitions read better this way than in
 * a table.  Text from the codebook is escaped so that it shows as written
 * (a "*" or a "#" at the start of a line stays a character), and its line
 * breaks are kept as hard breaks.
 */
#include "export/cb_handout.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

/* Appends s with Markdown's special characters escaped; a line break
 * becomes a hard break, a blank line a new paragraph. */
static void put_text(strbuf *b, const char *s)
{
    bool line_start = true;
    /* Trailing line breaks would end the paragraph with a stray "\\". */
    const char *end = s ? s + strlen(s) : NULL;
    while (end && end > s && end[-1] == '\n')
        end--;
    for (const char *p = s ? s : ""; p < end; p++) {
        if (*p == '\n') {
            if (p + 1 < end && p[1] == '\n') {
                sb_add(b, "\n\n");
                while (p + 1 < end && p[1] == '\n')
                    p++;
            } else {
                sb_add(b, "\\\n");
            }
            line_start = true;
            continue;
        }
        if (line_start) {
            /* Indentation would make a code block. */
            if (*p == ' ' || *p == '\t')
                continue;
            /* "1." or "1)" would start a numbered list, "-", "+" a list or
             * a heading underline. */
            const char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            if (q > p && (*q == '.' || *q == ')')) {
                sb_addn(b, p, (size_t)(q - p));
                sb_addc(b, '\\');
                sb_addc(b, *q);
                p = q;
                line_start = false;
                continue;
            }
            if (*p == '-' || *p == '+' || *p == '=')
                sb_addc(b, '\\');
        }
        if (strchr("\\`*_[]<>|#~&", *p))
            sb_addc(b, '\\');
        sb_addc(b, *p);
        line_start = false;
    }
}

/* A labelled paragraph: "**Label.** text". */
static void field(strbuf *b, const char *label, const char *text)
{
    if (str_empty(text))
        return;
    sb_printf(b, "**%s.** ", label);
    put_text(b, text);
    sb_add(b, "\n\n");
}

char *ex_handout_md(const cb_codebook *cb)
{
    strbuf b = {0};
    sb_add(&b, "# ");
    put_text(&b, cb->title);
    sb_add(&b, "\n\n");
    sb_printf(&b, _("Codebook %s, version %d (%s)"), cb->id, cb->version, cb->language);
    sb_add(&b, "\n\n");
    if (!str_empty(cb->description)) {
        put_text(&b, cb->description);
        sb_add(&b, "\n\n");
    }
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *d = &cb->dims[i];
        if (d->retired)
            continue;
        sb_add(&b, "## ");
        put_text(&b, d->label);
        sb_add(&b, "\n\n");
        char *kind = ex_hd_dimension_kind(d);
        sb_printf(&b, "*%s* — `%s`\n\n", kind, d->id);
        free(kind);
        if (!str_empty(d->description)) {
            put_text(&b, d->description);
            sb_add(&b, "\n\n");
        }
        if (d->mode == CB_TEXT) {
            char *rule = ex_hd_text_rule(d);
            put_text(&b, rule);
            sb_add(&b, "\n\n");
            free(rule);
            continue;
        }
        for (size_t j = 0; j < d->ncodes; j++) {
            const cb_code *c = &d->codes[j];
            if (!ex_hd_shown(c))
                continue;
            sb_add(&b, c->parent ? "#### " : "### ");
            if (c->key && !c->uncodable)
                sb_printf(&b, "`%c` — ", c->key);
            put_text(&b, c->label);
            sb_add(&b, "\n\n");
            field(&b, _("Definition"), c->definition);
            field(&b, _("When to use"), c->when_to_use);
            field(&b, _("When not to use"), c->when_not_to_use);
            field(&b, _("Example"), c->example);
            char *notes = ex_hd_code_notes(d, c);
            sb_add(&b, "*");
            put_text(&b, notes);
            sb_add(&b, "*\n\n");
            free(notes);
        }
    }
    return sb_take(&b);
}
