/*
 * view.c — what the text views of `carnet observe` share (obs.h):
 * scrolling the help, the codebook entry and the field notes.
 */
#include "tui/obs.h"

bool ui_view_scroll(obs *o, int key, int page)
{
    const cod_keydef *k = cod_keydef_of(COD_IN_VIEW, key);
    if (!k)
        return false;
    int s = o->scroll;
    switch (k->action) {
    case COD_A_UP:
        s--;
        break;
    case COD_A_DOWN:
        s++;
        break;
    case COD_A_PGUP:
        s -= page;
        break;
    case COD_A_PGDN:
        s += page;
        break;
    case COD_A_TOP:
        s = 0;
        break;
    case COD_A_BOTTOM:
        s = o->scroll_max;
        break;
    default:
        return false;
    }
    o->scroll = s < 0 ? 0 : s > o->scroll_max ? o->scroll_max : s;
    return true;
}
