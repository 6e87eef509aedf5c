/*
 * cb_handout.c — the sentences both handout formats share (cb_handout.h).
 */
#include "export/cb_handout.h"

#include <stdlib.h>

#include "core/i18n.h"
#include "core/util.h"

bool ex_hd_shown(const cb_code *c)
{
    return !c->retired;
}

char *ex_hd_dimension_kind(const cb_dimension *d)
{
    const char *mode = d->mode == CB_MULTIPLE ? _("Multiple choice") : d->mode == CB_TEXT ? _("Free text")
                                                                                         : _("Single choice");
    return xasprintf("%s%s", mode, d->required ? _(", required") : _(", optional"));
}

char *ex_hd_code_notes(const cb_dimension *d, const cb_code *c)
{
    strbuf b = {0};
    sb_printf(&b, _("id: %s"), c->id);
    if (c->parent) {
        const cb_code *p = cb_find_code(d, c->parent);
        sb_addc(&b, '\n');
        sb_printf(&b, _("under: %s"), p && p->label ? p->label : c->parent);
    }
    if (c->uncodable) {
        sb_addc(&b, '\n');
        sb_add(&b, _("heading: groups the codes below, cannot be chosen"));
    }
    if (c->other) {
        sb_addc(&b, '\n');
        sb_add(&b, _("other, specify: asks for a line of text"));
    }
    if (c->validate) {
        sb_addc(&b, '\n');
        sb_printf(&b, _("the text must match: %s"), c->validate);
    }
    if (c->validate_message) {
        sb_addc(&b, '\n');
        sb_printf(&b, _("otherwise: %s"), c->validate_message);
    }
    return sb_take(&b);
}

char *ex_hd_text_rule(const cb_dimension *d)
{
    strbuf b = {0};
    sb_add(&b, _("Free text answer."));
    if (d->validate) {
        sb_addc(&b, '\n');
        sb_printf(&b, _("the text must match: %s"), d->validate);
    }
    if (d->validate_message) {
        sb_addc(&b, '\n');
        sb_printf(&b, _("otherwise: %s"), d->validate_message);
    }
    return sb_take(&b);
}
