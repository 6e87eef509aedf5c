/*
 * cb_union.c — the union of a codebook's versions (cb_union.h).
 */
#include "core/cb_union.h"

#include <string.h>

#include "core/util.h"

size_t cb_dim_index(const cb_codebook *cb, const char *dim)
{
    for (size_t i = 0; cb && dim && i < cb->ndims; i++)
        if (!strcmp(cb->dims[i].id, dim))
            return i;
    return (size_t)-1;
}

size_t cb_code_index(const cb_dimension *d, const char *code)
{
    for (size_t i = 0; d && code && i < d->ncodes; i++)
        if (!strcmp(d->codes[i].id, code))
            return i;
    return (size_t)-1;
}

cb_codebook *cb_union(cb_codebook *const *versions, size_t n)
{
    if (!n)
        return cb_new();
    cb_codebook *u = cb_clone(versions[n - 1]);
    for (size_t k = n - 1; k-- > 0;) {
        /* Work on a copy so that its dimensions and codes can be moved
         * into the union whole, then the emptied husk freed. */
        cb_codebook *t = cb_clone(versions[k]);
        for (size_t i = 0; i < t->ndims; i++) {
            cb_dimension *td = &t->dims[i];
            size_t ui = cb_dim_index(u, td->id);
            if (ui == (size_t)-1) {
                cb_dimension *nd = cb_add_dimension(u);
                *nd = *td;
                nd->retired = true;
                for (size_t j = 0; j < nd->ncodes; j++)
                    nd->codes[j].retired = true;
                memset(td, 0, sizeof *td);
                continue;
            }
            for (size_t j = 0; j < td->ncodes; j++) {
                cb_dimension *ud = &u->dims[ui];
                if (cb_code_index(ud, td->codes[j].id) != (size_t)-1)
                    continue;
                cb_code *nc = cb_add_code(ud);
                *nc = td->codes[j];
                nc->retired = true;
                nc->key = 0;
                memset(&td->codes[j], 0, sizeof td->codes[j]);
            }
        }
        cb_free(t);
    }
    return u;
}
