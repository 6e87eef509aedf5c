/*
 * codebook_edit.c — the codebook editor (codebook_edit.h).
 *
 * One screen with several views, each a draw and a key function, chosen by
 * one state variable (ed.view) in the two dispatchers at the bottom:
 *
 *   list      dimensions on the left, the selected dimension's codes on the
 *             right, the selected item's definition below;
 *   form      every field of one code or dimension;
 *   text      the multi-line editor (textarea.c) for one field, also used
 *             for one-line answers (a new label, a new id);
 *   key       waiting for a new hotkey;
 *   pick      choosing a parent code;
 *   confirm   a yes/no question (delete, leave with unsaved changes);
 *   problems  what stops a save;
 *   help      every key.
 *
 * The editor works on a copy of the codebook; nothing reaches the study
 * before a save, which adds a whole new version in one transaction.
 */
#include "tui/codebook_edit.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook/cb_file.h"
#include "core/cb_diff.h"
#include "core/cb_match.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "store/st_codebook.h"
#include "tui/textarea.h"
#include "tui/ui.h"

typedef enum view { V_LIST, V_FORM, V_TEXT, V_KEY, V_PICK, V_CONFIRM, V_PROBLEMS, V_HELP } view;

typedef enum field {
    F_LABEL,
    F_KEY,
    F_DEFINITION,
    F_WHEN,
    F_WHEN_NOT,
    F_EXAMPLE,
    F_OTHER,
    F_VALIDATE,
    F_VALIDATE_MSG,
    F_PATTERNS,
    F_PARENT,
    F_CODABLE,
    F_COLOR,
    F_DESCRIPTION,
    F_MODE,
    F_REQUIRED,
} field;

static const field code_form[] = {F_LABEL,    F_KEY,          F_DEFINITION, F_WHEN,   F_WHEN_NOT,
                                  F_EXAMPLE,  F_OTHER,        F_VALIDATE,   F_VALIDATE_MSG,
                                  F_PATTERNS, F_PARENT,       F_CODABLE,    F_COLOR};
static const field dim_form[] = {F_LABEL, F_DESCRIPTION, F_MODE, F_REQUIRED, F_VALIDATE, F_VALIDATE_MSG, F_COLOR};
#define NCODE_FORM (sizeof code_form / sizeof code_form[0])
#define NDIM_FORM (sizeof dim_form / sizeof dim_form[0])

/* What the text view is for. */
typedef enum text_goal { T_FIELD, T_NEW_LABEL, T_NEW_ID, T_RENAME } text_goal;

typedef enum ask { ASK_QUIT, ASK_DELETE } ask;

typedef struct editor {
    st_db *db;
    const char *who;
    cb_codebook *saved_cb; /* the codebook as last saved (or loaded) */
    cb_codebook *cb;       /* the copy being edited */
    view view, back;       /* back: where help, confirm and problems return */
    int pane;              /* 0: dimensions, 1: codes */
    size_t d, c;           /* selected dimension, code */
    size_t dtop, ctop;     /* first row shown in each pane */
    bool form_dim;         /* the form shows the dimension */
    size_t f;              /* selected form row */
    ui_textarea ta;
    char *ta_orig;  /* the text when editing began */
    bool esc_armed; /* Esc pressed once on changed text */
    text_goal goal;
    field ta_field;
    bool adding_dim;
    char *new_label;
    size_t pick, pick_top;
    ask ask;
    diag_list problems;
    size_t ptop;
    char msg[512];
    ui_style msg_style;
    bool done, saved;
    char vid[UUID_STRLEN];
} editor;

/* ---- small helpers ---------------------------------------------------- */

static void say(editor *e, ui_style st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(editor *e, ui_style st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->msg_style = st;
}

static cb_dimension *cur_dim(editor *e)
{
    return e->cb->ndims ? &e->cb->dims[e->d] : NULL;
}

static cb_code *cur_code(editor *e)
{
    cb_dimension *d = cur_dim(e);
    return d && d->ncodes ? &d->codes[e->c] : NULL;
}

static bool modified(const editor *e)
{
    return !cb_equal(e->saved_cb, e->cb);
}

static void set_text(char **dst, const char *s)
{
    free(*dst);
    *dst = str_empty(s) ? NULL : xstrdup(s);
}

/* How deep c sits under its parents (for indentation), at most 4. */
static int depth_of(const cb_dimension *d, const cb_code *c)
{
    int n = 0;
    while (c && c->parent && n < 4) {
        c = cb_find_code(d, c->parent);
        n++;
    }
    return n;
}

/* The first line of s, for one row of a list. */
static char *first_line(const char *s)
{
    if (!s)
        return xstrdup("");
    const char *e = strchr(s, '\n');
    return e ? xasprintf("%.*s …", (int)(e - s), s) : xstrdup(s);
}

/* Lines are drawn with Unicode box characters, like all text here, rather
 * than the terminal's alternate character set. */
static void hrule(int y, int x, int w)
{
    strbuf b = {0};
    for (int i = 0; i < w; i++)
        sb_add(&b, "─");
    ui_put(y, x, w, b.s ? b.s : "", false);
    sb_free(&b);
}

static void vrule(int y, int x, int h)
{
    for (int i = 0; i < h; i++)
        ui_put(y + i, x, 1, "│", false);
}

/* A frame whose inside is h rows of w columns at (y + 1, x + 1). */
static void frame(int y, int x, int h, int w)
{
    ui_put(y, x, 1, "┌", false);
    hrule(y, x + 1, w);
    ui_put(y, x + w + 1, 1, "┐", false);
    vrule(y + 1, x, h);
    vrule(y + 1, x + w + 1, h);
    ui_put(y + h + 1, x, 1, "└", false);
    hrule(y + h + 1, x + 1, w);
    ui_put(y + h + 1, x + w + 1, 1, "┘", false);
}

static void title_bar(editor *e, const char *what)
{
    char *t = xasprintf(_(" carnet — codebook editor: %s"), what);
    ui_title_bar(t, modified(e) ? _("  [modified]") : "");
    free(t);
}

static void status_line(const char *keys)
{
    ui_status_row(LINES - 1, keys, UI_STATUS);
}

/* The message over the two rows above the status line, for the views that
 * keep them free: an explanation of a refusal can be long. */
static void message_rows(editor *e)
{
    ui_message(e->msg, e->msg_style);
}

/* The keys still free in d for c, as "a b d e ...", at most 12. */
static char *free_keys(const cb_dimension *d, const cb_code *c)
{
    strbuf b = {0};
    sb_add(&b, "");
    int n = 0;
    for (const char *k = "abcdefghijklmnopqrstuvwxyz0123456789"; *k && n < 12; k++) {
        const cb_code *o = cb_code_by_key(d, *k);
        if (!o || o == c) {
            sb_printf(&b, n ? " %c" : "%c", *k);
            n++;
        }
    }
    return sb_take(&b);
}

/* ---- the list --------------------------------------------------------- */

static int list_rows(void)
{
    return LINES - 8; /* title, pane heads, separator, preview (2), message (2), status */
}

static int left_width(void)
{
    int w = COLS / 3;
    return w < 22 ? 22 : w > 34 ? 34 : w;
}

static void draw_list(editor *e)
{
    title_bar(e, e->cb->title ? e->cb->title : "");
    int lw = left_width(), rows = list_rows();
    int rx = lw + 2, rw = COLS - rx - 1;
    cb_dimension *d = cur_dim(e);

    ui_put_styled(1, 1, lw - 1, _("Dimensions"), false, e->pane == 0 ? UI_KEY : UI_DIM);
    if (d) {
        char *head;
        const char *mode = d->mode == CB_MULTIPLE ? _("multiple choice")
                           : d->mode == CB_TEXT   ? _("free text")
                                                  : _("single choice");
        head = xasprintf(_("Codes of “%s” (%s%s)"), d->label ? d->label : "", mode,
                         d->required ? _(", required") : "");
        ui_put_styled(1, rx, rw, head, false, e->pane == 1 ? UI_KEY : UI_DIM);
        free(head);
    }
    vrule(1, lw, rows + 1);

    ui_scroll_to(&e->dtop, e->d, e->cb->ndims, (size_t)rows);
    for (int i = 0; i < rows; i++) {
        size_t k = e->dtop + (size_t)i;
        if (k >= e->cb->ndims)
            break;
        const cb_dimension *x = &e->cb->dims[k];
        char *row = xasprintf("%s%s", x->label ? x->label : x->id, x->retired ? _(" (retired)") : "");
        ui_style st = k == e->d ? (e->pane == 0 ? UI_SELECTED : UI_KEY) : x->retired ? UI_DIM : UI_NORMAL;
        if (k == e->d)
            ui_style_on(st);
        ui_put(2 + i, 1, lw - 2, row, true);
        if (k == e->d)
            ui_style_off(st);
        else if (x->retired)
            ui_put_styled(2 + i, 1, lw - 2, row, true, UI_DIM);
        free(row);
    }

    if (d && d->mode == CB_TEXT) {
        ui_put_wrapped(3, rx, rw, 3,
                       _("A free-text dimension: no codes. Enter edits its validation pattern and message."), UI_DIM);
    } else if (d && !d->ncodes) {
        ui_put_wrapped(3, rx, rw, 3, _("No codes yet: press a (in this pane) to add one."), UI_DIM);
    } else if (d) {
        ui_scroll_to(&e->ctop, e->c, d->ncodes, (size_t)rows);
        for (int i = 0; i < rows; i++) {
            size_t k = e->ctop + (size_t)i;
            if (k >= d->ncodes)
                break;
            const cb_code *c = &d->codes[k];
            bool sel = k == e->c && e->pane == 1;
            int indent = 2 * depth_of(d, c);
            char key[8];
            if (c->uncodable)
                snprintf(key, sizeof key, "—");
            else if (c->key)
                snprintf(key, sizeof key, "%c", c->key);
            else
                snprintf(key, sizeof key, "?");
            const char *tag = c->retired ? _(" (retired)") : c->uncodable ? _(" (heading)") : "";
            char *label = xasprintf("%s%s%s", c->parent ? "↳ " : "", c->label ? c->label : c->id, tag);
            if (sel) {
                ui_style_on(UI_SELECTED);
                mvhline(2 + i, rx, ' ', rw);
                ui_put(2 + i, rx + 1, 3, key, false);
                ui_put(2 + i, rx + 4 + indent, rw - 4 - indent, label, false);
                ui_style_off(UI_SELECTED);
            } else {
                ui_put_styled(2 + i, rx + 1, 3, key, false, c->retired ? UI_DIM : UI_KEY);
                ui_put_styled(2 + i, rx + 4 + indent, rw - 4 - indent, label, false,
                              c->retired ? UI_DIM : UI_NORMAL);
            }
            free(label);
        }
    }

    /* The selected item's text, below the panes. */
    int py = 2 + rows;
    hrule(py, 0, COLS);
    const cb_code *c = e->pane == 1 ? cur_code(e) : NULL;
    char *preview;
    if (c)
        preview = xasprintf("%s [%s]: %s", _("Definition"), c->id, c->definition ? c->definition : _("(none yet)"));
    else if (d)
        preview = xasprintf("%s [%s]: %s", _("Description"), d->id, d->description ? d->description : _("(none)"));
    else
        preview = xstrdup(_("The codebook has no dimension: press a to add one."));
    ui_put_wrapped(py + 1, 1, COLS - 2, 2, preview, UI_NORMAL);
    free(preview);
    message_rows(e);
    /* What fits in 80 columns; ? lists the rest (moving, Tab, problems). */
    status_line(e->pane == 1 ? _("⏎ edit  a add  r rename  k key  x retire  d delete  s save  F10 quit  ? help")
                             : _("⏎ edit  a add  r rename  x retire  J/K move  s save  F10 quit  ? help"));
}

/* ---- actions of the list ---------------------------------------------- */

static void open_text(editor *e, text_goal goal, field f, const char *initial, bool multiline)
{
    ui_ta_free(&e->ta);
    ui_ta_init(&e->ta, initial, multiline);
    free(e->ta_orig);
    e->ta_orig = xstrdup(initial ? initial : "");
    e->esc_armed = false;
    e->goal = goal;
    e->ta_field = f;
    e->back = e->view;
    e->view = V_TEXT;
    e->msg[0] = '\0';
}

static void start_add(editor *e)
{
    if (e->pane == 1 && cur_dim(e) && cur_dim(e)->mode == CB_TEXT) {
        say(e, UI_WARN, "%s", _("A free-text dimension takes no codes."));
        return;
    }
    if (e->pane == 1 && !cur_dim(e)) {
        say(e, UI_WARN, "%s", _("Add a dimension first (Tab to the left pane, then a)."));
        return;
    }
    e->adding_dim = e->pane == 0;
    open_text(e, T_NEW_LABEL, F_LABEL, "", false);
}

/* A free id made from label: not used now, nor in any earlier version. */
static char *propose_id(editor *e, const char *label)
{
    char *base = cb_slug(label);
    char *id = xstrdup(base);
    for (int k = 2; k < 1000; k++) {
        bool taken = false;
        if (e->adding_dim)
            taken = cb_find_dimension(e->cb, id) != NULL;
        else
            for (size_t i = 0; i < e->cb->ndims && !taken; i++)
                taken = cb_find_code(&e->cb->dims[i], id) != NULL;
        if (!taken) {
            char *dim = NULL, *old = NULL;
            st_error err = {0};
            st_id_history(e->db, id, e->adding_dim, &dim, &old, &err);
            taken = old != NULL;
            free(dim);
            free(old);
        }
        if (!taken)
            break;
        free(id);
        id = xasprintf("%s-%d", base, k);
    }
    free(base);
    return id;
}

/* Refuses an id that is malformed, taken, or was used before; says why. */
static bool id_acceptable(editor *e, const char *id)
{
    if (!cb_valid_id(id)) {
        say(e, UI_WARN, _("'%s' is not a valid id: lowercase letters, digits, '_', '.' or '-', starting with a letter "
                          "or digit"),
            id);
        return false;
    }
    if (e->adding_dim ? cb_find_dimension(e->cb, id) != NULL : false) {
        say(e, UI_WARN, _("A dimension already has the id '%s'."), id);
        return false;
    }
    for (size_t i = 0; !e->adding_dim && i < e->cb->ndims; i++)
        if (cb_find_code(&e->cb->dims[i], id)) {
            say(e, UI_WARN, _("Code '%s' already exists (dimension '%s'); a code id is unique in the codebook."), id,
                e->cb->dims[i].id);
            return false;
        }
    char *dim = NULL, *old = NULL;
    st_error err = {0};
    if (st_id_history(e->db, id, e->adding_dim, &dim, &old, &err)) {
        say(e, UI_WARN, "%s", err.msg);
        return false;
    }
    bool ok = old == NULL;
    if (!ok)
        say(e, UI_WARN, _("'%s' was the id of “%s” in an earlier version: an id is never reused for another meaning."),
            id, old);
    free(dim);
    free(old);
    return ok;
}

static void open_form(editor *e, bool dim)
{
    if (!cur_dim(e) || (!dim && !cur_code(e)))
        return;
    e->form_dim = dim;
    e->f = 0;
    e->view = V_FORM;
    e->msg[0] = '\0';
}

static void finish_add(editor *e, const char *id)
{
    if (e->adding_dim) {
        size_t pos = e->cb->ndims ? e->d + 1 : 0;
        cb_dimension *d = cb_insert_dimension(e->cb, pos);
        d->id = xstrdup(id);
        d->label = xstrdup(e->new_label);
        d->mode = CB_SINGLE;
        e->d = pos;
        e->c = 0;
        e->ctop = 0;
        open_form(e, true);
        say(e, UI_OK, _("Dimension '%s' added. Set its mode here, then add its codes (a in the right pane)."), id);
    } else {
        cb_dimension *d = cur_dim(e);
        size_t pos = d->ncodes ? e->c + 1 : 0;
        cb_code *c = cb_insert_code(d, pos);
        c->id = xstrdup(id);
        c->label = xstrdup(e->new_label);
        c->key = cb_propose_key(d, c, c->label);
        e->c = pos;
        open_form(e, false);
        if (c->key)
            say(e, UI_OK, _("Code '%s' added with hotkey '%c'. Now write its definition, when to use, when not to use "
                            "and example."),
                id, c->key);
        else
            say(e, UI_WARN, _("Code '%s' added, but every hotkey of this dimension is taken."), id);
    }
    free(e->new_label);
    e->new_label = NULL;
}

static void toggle_retired(editor *e)
{
    if (e->pane == 0) {
        cb_dimension *d = cur_dim(e);
        if (!d)
            return;
        d->retired = !d->retired;
        say(e, UI_OK, d->retired ? _("Dimension '%s' retired: hidden from coding, kept for history.")
                                 : _("Dimension '%s' restored."),
            d->id);
        return;
    }
    cb_dimension *d = cur_dim(e);
    cb_code *c = cur_code(e);
    if (!c)
        return;
    if (!c->retired) {
        c->retired = true;
        say(e, UI_OK, _("Code '%s' retired: hidden from coding, kept for history and statistics."), c->id);
        return;
    }
    c->retired = false;
    /* Its key may have been given to another code meanwhile. */
    const cb_code *holder = c->key ? cb_code_by_key(d, c->key) : NULL;
    if (holder && holder != c) {
        char old = c->key;
        c->key = cb_propose_key(d, c, c->label);
        say(e, UI_OK, _("Code '%s' restored with hotkey '%c': '%c' is now the key of “%s”."), c->id,
            c->key ? c->key : '?', old, holder->label);
    } else if (!c->key && cb_code_active(c)) {
        c->key = cb_propose_key(d, c, c->label);
        say(e, UI_OK, _("Code '%s' restored with hotkey '%c'."), c->id, c->key ? c->key : '?');
    } else {
        say(e, UI_OK, _("Code '%s' restored."), c->id);
    }
}

static void start_delete(editor *e)
{
    cb_dimension *d = cur_dim(e);
    cb_code *c = e->pane == 1 ? cur_code(e) : NULL;
    if (!d || (e->pane == 1 && !c))
        return;
    long long n = 0;
    st_error err = {0};
    if (st_code_usage(e->db, d->id, c ? c->id : NULL, &n, &err)) {
        say(e, UI_WARN, "%s", err.msg);
        return;
    }
    if (n > 0) {
        if (c)
            say(e, UI_WARN, _("“%s” is used by %lld recorded answers: it can be retired (x), never deleted."),
                c->label, n);
        else
            say(e, UI_WARN, _("Dimension “%s” has %lld recorded answers: it can be retired (x), never deleted."),
                d->label, n);
        return;
    }
    if (c)
        for (size_t i = 0; i < d->ncodes; i++)
            if (str_eq0(d->codes[i].parent, c->id)) {
                say(e, UI_WARN, _("“%s” has sub-codes (“%s”...): give them another parent or delete them first."),
                    c->label, d->codes[i].label);
                return;
            }
    e->ask = ASK_DELETE;
    e->back = V_LIST;
    e->view = V_CONFIRM;
}

static void do_delete(editor *e)
{
    cb_dimension *d = cur_dim(e);
    if (e->pane == 1) {
        char *id = xstrdup(d->codes[e->c].id);
        cb_remove_code(d, e->c);
        if (e->c && e->c >= d->ncodes)
            e->c--;
        say(e, UI_OK, _("Code '%s' deleted."), id);
        free(id);
    } else {
        char *id = xstrdup(d->id);
        cb_remove_dimension(e->cb, e->d);
        if (e->d && e->d >= e->cb->ndims)
            e->d--;
        e->c = 0;
        say(e, UI_OK, _("Dimension '%s' deleted."), id);
        free(id);
    }
}

/* Moves the selected item one place up (-1) or down (+1). */
static void move_item(editor *e, int delta)
{
    if (e->pane == 0) {
        size_t n = e->cb->ndims, to = e->d + (size_t)delta;
        if (!n || (delta < 0 && e->d == 0) || to >= n)
            return;
        cb_dimension t = e->cb->dims[e->d];
        e->cb->dims[e->d] = e->cb->dims[to];
        e->cb->dims[to] = t;
        e->d = to;
        return;
    }
    cb_dimension *d = cur_dim(e);
    if (!d || !d->ncodes)
        return;
    size_t to = e->c + (size_t)delta;
    if ((delta < 0 && e->c == 0) || to >= d->ncodes)
        return;
    cb_code t = d->codes[e->c];
    d->codes[e->c] = d->codes[to];
    d->codes[to] = t;
    e->c = to;
}

static void save(editor *e)
{
    diag_clear(&e->problems);
    if (cb_validate(e->cb, _("codebook"), &e->problems)) {
        e->ptop = 0;
        e->back = e->view;
        e->view = V_PROBLEMS;
        say(e, UI_WARN, _("Not saved: %zu problems to fix first."), e->problems.n);
        return;
    }
    if (!modified(e)) {
        say(e, UI_NORMAL, "%s", _("Nothing to save: the codebook is as it was."));
        return;
    }
    if (e->cb->version <= e->saved_cb->version)
        e->cb->version = e->saved_cb->version + 1;
    char *source = cbf_write(e->cb);
    st_error err = {0};
    char vid[UUID_STRLEN];
    st_code rc = st_codebook_add_by(e->db, e->cb, source, e->who, vid, &err);
    free(source);
    if (rc) {
        say(e, UI_WARN, _("Not saved: %s"), err.msg);
        return;
    }
    cb_free(e->saved_cb);
    e->saved_cb = cb_clone(e->cb);
    e->saved = true;
    snprintf(e->vid, sizeof e->vid, "%s", vid);
    say(e, UI_OK, _("Saved as a new version (codebook version %d). Interactions keep the version they were coded with."),
        e->cb->version);
}

static void request_quit(editor *e)
{
    if (!modified(e)) {
        e->done = true;
        return;
    }
    e->ask = ASK_QUIT;
    e->back = e->view;
    e->view = V_CONFIRM;
}

static void key_list(editor *e, int k, bool fn)
{
    cb_dimension *d = cur_dim(e);
    size_t n = e->pane == 0 ? e->cb->ndims : d ? d->ncodes : 0;
    size_t *sel = e->pane == 0 ? &e->d : &e->c;
    size_t page = (size_t)(list_rows() > 1 ? list_rows() - 1 : 1);
    e->msg[0] = '\0';
    if (fn) {
        switch (k) {
        case KEY_UP:
            if (*sel > 0)
                (*sel)--;
            break;
        case KEY_DOWN:
            if (*sel + 1 < n)
                (*sel)++;
            break;
        case KEY_PPAGE:
            *sel = *sel > page ? *sel - page : 0;
            break;
        case KEY_NPAGE:
            *sel = n && *sel + page < n ? *sel + page : n ? n - 1 : 0;
            break;
        case KEY_HOME:
            *sel = 0;
            break;
        case KEY_END:
            *sel = n ? n - 1 : 0;
            break;
        case KEY_LEFT:
            e->pane = 0;
            break;
        case KEY_RIGHT:
            e->pane = 1;
            break;
        case KEY_SR:
            move_item(e, -1);
            break;
        case KEY_SF:
            move_item(e, 1);
            break;
        case KEY_DC:
            start_delete(e);
            break;
        case KEY_ENTER:
            open_form(e, e->pane == 0 || (d && d->mode == CB_TEXT));
            break;
        case KEY_F(1):
            e->back = V_LIST;
            e->view = V_HELP;
            break;
        default:
            break;
        }
        if (e->pane == 0 && *sel != e->d)
            e->c = 0;
        return;
    }
    size_t before = e->d;
    switch (k) {
    case '\t':
        e->pane = !e->pane;
        break;
    case '\r':
    case '\n':
    case 'e':
        open_form(e, e->pane == 0 || (d && d->mode == CB_TEXT));
        break;
    case 'a':
        start_add(e);
        break;
    case 'r':
        if (e->pane == 0 && d)
            open_text(e, T_RENAME, F_LABEL, d->label, false);
        else if (cur_code(e))
            open_text(e, T_RENAME, F_LABEL, cur_code(e)->label, false);
        break;
    case 'k':
        if (e->pane == 1 && cur_code(e)) {
            e->back = V_LIST;
            e->view = V_KEY;
        }
        break;
    case 'x':
        toggle_retired(e);
        break;
    case 'd':
        start_delete(e);
        break;
    case 'K':
        move_item(e, -1);
        break;
    case 'J':
        move_item(e, 1);
        break;
    case 's':
        save(e);
        break;
    case 'p':
        diag_clear(&e->problems);
        if (cb_validate(e->cb, _("codebook"), &e->problems)) {
            e->ptop = 0;
            e->back = V_LIST;
            e->view = V_PROBLEMS;
        } else {
            say(e, UI_OK, "%s", _("No problem: the codebook can be saved."));
        }
        break;
    case '?':
        e->back = V_LIST;
        e->view = V_HELP;
        break;
    case 'q':
    case 27:
    case UI_CTRL('c'):
        request_quit(e);
        break;
    default:
        break;
    }
    if (e->d != before)
        e->c = 0;
}

/* ---- the form --------------------------------------------------------- */

static const char *field_label(field f)
{
    switch (f) {
    case F_LABEL:
        return _("Label");
    case F_KEY:
        return _("Hotkey");
    case F_DEFINITION:
        return _("Definition");
    case F_WHEN:
        return _("When to use");
    case F_WHEN_NOT:
        return _("When not to use");
    case F_EXAMPLE:
        return _("Example");
    case F_OTHER:
        return _("Other, specify");
    case F_VALIDATE:
        return _("Validation pattern");
    case F_VALIDATE_MSG:
        return _("Validation message");
    case F_PATTERNS:
        return _("Suggestion patterns");
    case F_PARENT:
        return _("Parent code");
    case F_CODABLE:
        return _("Can be chosen");
    case F_COLOR:
        return _("Colour");
    case F_DESCRIPTION:
        return _("Description");
    case F_MODE:
        return _("Mode");
    case F_REQUIRED:
        return _("Required");
    }
    return "?";
}

static bool multiline_field(field f)
{
    return f == F_DEFINITION || f == F_WHEN || f == F_WHEN_NOT || f == F_EXAMPLE || f == F_PATTERNS ||
           f == F_DESCRIPTION;
}

/* The value of f as text (a new string). */
static char *field_value(editor *e, field f)
{
    cb_dimension *d = cur_dim(e);
    cb_code *c = e->form_dim ? NULL : cur_code(e);
    const char *yes = _("yes"), *no = _("no");
    switch (f) {
    case F_LABEL:
        return xstrdup(c ? c->label : d->label);
    case F_KEY:
        return c->uncodable ? xstrdup(_("(none: a heading)")) : xasprintf("%c", c->key ? c->key : '?');
    case F_DEFINITION:
        return xstrdup(c->definition);
    case F_WHEN:
        return xstrdup(c->when_to_use);
    case F_WHEN_NOT:
        return xstrdup(c->when_not_to_use);
    case F_EXAMPLE:
        return xstrdup(c->example);
    case F_OTHER:
        return xstrdup(c->other ? yes : no);
    case F_VALIDATE:
        return xstrdup(c ? c->validate : d->validate);
    case F_VALIDATE_MSG:
        return xstrdup(c ? c->validate_message : d->validate_message);
    case F_PATTERNS:
        return c->npatterns ? cb_join_patterns(c, '\n') : xstrdup("");
    case F_PARENT: {
        const cb_code *p = c->parent ? cb_find_code(d, c->parent) : NULL;
        return p ? xasprintf("%s (%s)", p->label, p->id) : xstrdup(_("(none: top level)"));
    }
    case F_CODABLE:
        return xstrdup(c->uncodable ? no : yes);
    case F_COLOR:
        return xstrdup(c ? c->color : d->color);
    case F_DESCRIPTION:
        return xstrdup(d->description);
    case F_MODE:
        return xstrdup(d->mode == CB_MULTIPLE ? _("multiple choice")
                       : d->mode == CB_TEXT   ? _("free text")
                                              : _("single choice"));
    case F_REQUIRED:
        return xstrdup(d->required ? yes : no);
    }
    return xstrdup("");
}

static const field *form_fields(editor *e, size_t *n)
{
    *n = e->form_dim ? NDIM_FORM : NCODE_FORM;
    return e->form_dim ? dim_form : code_form;
}

static void draw_form(editor *e)
{
    cb_dimension *d = cur_dim(e);
    cb_code *c = e->form_dim ? NULL : cur_code(e);
    char *what = c ? xasprintf(_("code “%s”"), c->label) : xasprintf(_("dimension “%s”"), d->label);
    title_bar(e, what);
    free(what);
    char *id = c ? xasprintf(_("id: %s (in dimension %s; an id never changes)"), c->id, d->id)
                 : xasprintf(_("id: %s (an id never changes)"), d->id);
    ui_put_styled(1, 1, COLS - 2, id, false, UI_DIM);
    free(id);
    size_t n;
    const field *fs = form_fields(e, &n);
    int lw = 22;
    for (size_t i = 0; i < n; i++) {
        int y = 3 + (int)i;
        char *v = field_value(e, fs[i]);
        char *line = first_line(v);
        bool sel = i == e->f;
        if (sel) {
            ui_style_on(UI_SELECTED);
            mvhline(y, 0, ' ', COLS);
        }
        ui_put(y, 1, lw - 1, field_label(fs[i]), false);
        ui_put(y, lw + 1, COLS - lw - 2, str_empty(line) ? "—" : line, false);
        if (sel)
            ui_style_off(UI_SELECTED);
        free(line);
        free(v);
    }
    /* The whole text of the selected field. */
    int y = 4 + (int)n;
    hrule(y, 0, COLS);
    char *v = field_value(e, fs[e->f]);
    ui_put_wrapped(y + 1, 1, COLS - 2, LINES - y - 5, str_empty(v) ? _("(empty)") : v, UI_NORMAL);
    free(v);
    message_rows(e);
    status_line(_("↑↓ choose a field   ⏎ change it   Esc back to the list   s save   ? help"));
}

/* Whether d's codes (except self) would let c take parent p without a cycle. */
static bool could_parent(const cb_dimension *d, const cb_code *c, const cb_code *p)
{
    for (const cb_code *q = p; q; q = q->parent ? cb_find_code(d, q->parent) : NULL) {
        if (q == c)
            return false;
        if (q->parent && str_eq0(q->parent, q->id))
            break;
    }
    return true;
}

/* The choices: index 0 is "no parent", then the codes that can be one. */
static size_t pick_choices(editor *e, size_t *out, size_t cap)
{
    cb_dimension *d = cur_dim(e);
    cb_code *c = cur_code(e);
    size_t n = 0;
    out[n++] = (size_t)-1;
    for (size_t i = 0; i < d->ncodes && n < cap; i++)
        if (&d->codes[i] != c && could_parent(d, c, &d->codes[i]))
            out[n++] = i;
    return n;
}

static void edit_field(editor *e)
{
    size_t n;
    const field *fs = form_fields(e, &n);
    field f = fs[e->f];
    cb_dimension *d = cur_dim(e);
    cb_code *c = e->form_dim ? NULL : cur_code(e);
    switch (f) {
    case F_KEY:
        if (c->uncodable)
            say(e, UI_WARN, "%s", _("A heading cannot be chosen and takes no hotkey."));
        else {
            e->back = V_FORM;
            e->view = V_KEY;
        }
        return;
    case F_OTHER:
        c->other = !c->other;
        say(e, UI_OK, c->other ? _("Choosing this code will ask for a line of text.") : _("No text asked any more."));
        return;
    case F_CODABLE:
        c->uncodable = !c->uncodable;
        if (!c->uncodable && !c->key)
            c->key = cb_propose_key(d, c, c->label);
        say(e, UI_OK, "%s",
            c->uncodable ? _("This code is now a heading: it groups its sub-codes and cannot be chosen.")
                         : _("This code can be chosen again."));
        return;
    case F_REQUIRED:
        d->required = !d->required;
        return;
    case F_MODE:
        if (d->mode == CB_SINGLE)
            d->mode = CB_MULTIPLE;
        else if (d->mode == CB_MULTIPLE && !d->ncodes)
            d->mode = CB_TEXT;
        else
            d->mode = CB_SINGLE;
        if (d->mode == CB_SINGLE && d->ncodes == 0 && d->validate)
            say(e, UI_WARN, "%s", _("A validation pattern only applies to a free-text dimension."));
        else if (d->ncodes && d->mode == CB_SINGLE)
            say(e, UI_NORMAL, "%s", _("A dimension with codes is single or multiple choice; free text takes no codes."));
        return;
    case F_PARENT: {
        /* The picker opens on the current parent. */
        size_t *ch = xcalloc(d->ncodes + 1, sizeof *ch);
        size_t nch = pick_choices(e, ch, d->ncodes + 1);
        e->pick = 0;
        for (size_t i = 1; i < nch; i++)
            if (str_eq0(d->codes[ch[i]].id, c->parent))
                e->pick = i;
        free(ch);
        e->pick_top = 0;
        e->back = V_FORM;
        e->view = V_PICK;
        return;
    }
    default:
        break;
    }
    char *v = field_value(e, f);
    if (f == F_KEY || f == F_PARENT)
        v[0] = '\0';
    open_text(e, T_FIELD, f, v, multiline_field(f));
    free(v);
}

static void key_form(editor *e, int k, bool fn)
{
    size_t n;
    form_fields(e, &n);
    if (fn) {
        if (k == KEY_UP && e->f > 0)
            e->f--;
        else if (k == KEY_DOWN && e->f + 1 < n)
            e->f++;
        else if (k == KEY_HOME)
            e->f = 0;
        else if (k == KEY_END)
            e->f = n - 1;
        else if (k == KEY_ENTER)
            edit_field(e);
        else if (k == KEY_F(1)) {
            e->back = V_FORM;
            e->view = V_HELP;
        }
        return;
    }
    e->msg[0] = '\0';
    if (k == '\r' || k == '\n' || k == ' ')
        edit_field(e);
    else if (k == 27 || k == 'q')
        e->view = V_LIST;
    else if (k == 's')
        save(e);
    else if (k == '?') {
        e->back = V_FORM;
        e->view = V_HELP;
    } else if (k == UI_CTRL('c'))
        request_quit(e);
}

/* ---- the text editor -------------------------------------------------- */

static void draw_text(editor *e)
{
    cb_code *c = cur_code(e);
    cb_dimension *d = cur_dim(e);
    char *what;
    if (e->goal == T_NEW_LABEL)
        what = xstrdup(e->adding_dim ? _("new dimension: its label") : _("new code: its label"));
    else if (e->goal == T_NEW_ID)
        what = xstrdup(e->adding_dim ? _("new dimension: its id") : _("new code: its id"));
    else {
        const char *item = e->form_dim || (e->goal == T_RENAME && e->pane == 0) || !c ? d->label : c->label;
        what = xasprintf("%s — %s", field_label(e->ta_field), item ? item : "");
    }
    title_bar(e, what);
    free(what);
    const char *hint;
    if (e->goal == T_NEW_ID)
        hint = _("The id is how carnet knows this item forever: it never changes once saved, and never means "
                 "anything else.");
    else if (e->ta_field == F_PATTERNS)
        hint = _("One PCRE2 pattern a line, matched caseless against the note: a match suggests this code.");
    else if (e->ta_field == F_VALIDATE)
        hint = _("A PCRE2 pattern the free-text answer must match, e.g. ^\\d{5}$ for a postcode.");
    else if (e->ta_field == F_COLOR)
        hint = _("A colour as #rrggbb (kept for QDA programs), or empty.");
    else
        hint = "";
    int top = 2;
    if (*hint)
        top += ui_put_wrapped(1, 1, COLS - 2, 2, hint, UI_DIM);
    int h = e->ta.multiline ? LINES - top - 5 : 1;
    int w = COLS - 4;
    /* A frame around the text. */
    frame(top, 1, h, w);
    message_rows(e);
    status_line(e->ta.multiline ? _("Ctrl-S or F2 keep   Esc cancel   ⏎ new line   ↑↓←→ Home End move")
                                : _("⏎ keep   Esc cancel   ←→ Home End move"));
    ui_ta_draw(&e->ta, top + 1, 2, h, w);
}

/* Whether PCRE2 takes pattern with the options the codebook's patterns are
 * compiled with (cb_match); when not, PCRE2's message, placed, in msg. */
static bool pattern_ok(const char *pattern, char *msg, size_t len)
{
    diag_list d = {0};
    bool ok = cb_pattern_check(pattern, (cb_pos){0, 0}, NULL, &d);
    if (!ok && d.n)
        snprintf(msg, len, "%s", d.items[0].msg);
    diag_clear(&d);
    return ok;
}

/* Applies the text of the text view to its field; false (with a message)
 * when the value is refused. */
static bool apply_text(editor *e, const char *text)
{
    cb_dimension *d = cur_dim(e);
    bool on_dim = e->form_dim || (e->goal == T_RENAME && e->pane == 0);
    cb_code *c = on_dim ? NULL : cur_code(e);
    char msg[600];
    switch (e->ta_field) {
    case F_LABEL:
        if (str_empty(text)) {
            say(e, UI_WARN, "%s", _("A label cannot be empty."));
            return false;
        }
        set_text(c ? &c->label : &d->label, text);
        return true;
    case F_DEFINITION:
        set_text(&c->definition, text);
        return true;
    case F_WHEN:
        set_text(&c->when_to_use, text);
        return true;
    case F_WHEN_NOT:
        set_text(&c->when_not_to_use, text);
        return true;
    case F_EXAMPLE:
        set_text(&c->example, text);
        return true;
    case F_DESCRIPTION:
        set_text(&d->description, text);
        return true;
    case F_VALIDATE:
        if (!str_empty(text) && !pattern_ok(text, msg, sizeof msg)) {
            say(e, UI_WARN, "%s", msg);
            return false;
        }
        set_text(c ? &c->validate : &d->validate, text);
        return true;
    case F_VALIDATE_MSG:
        set_text(c ? &c->validate_message : &d->validate_message, text);
        return true;
    case F_COLOR: {
        bool ok = str_empty(text) || (strlen(text) == 7 && text[0] == '#');
        for (int i = 1; ok && text[i]; i++)
            ok = isxdigit((unsigned char)text[i]);
        if (!ok) {
            say(e, UI_WARN, "%s", _("A colour is written #rrggbb, e.g. #3366cc."));
            return false;
        }
        set_text(c ? &c->color : &d->color, text);
        return true;
    }
    case F_PATTERNS: {
        /* Every line is checked before any is kept. */
        const char *p = text;
        int line = 1;
        while (*p) {
            const char *nl = strchr(p, '\n');
            char *one = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
            bool ok = !*one || pattern_ok(one, msg, sizeof msg);
            free(one);
            if (!ok) {
                say(e, UI_WARN, _("line %d: %s"), line, msg);
                return false;
            }
            p = nl ? nl + 1 : p + strlen(p);
            line++;
        }
        for (size_t i = 0; i < c->npatterns; i++)
            free(c->patterns[i]);
        free(c->patterns);
        free(c->pattern_pos);
        c->patterns = NULL;
        c->pattern_pos = NULL;
        c->npatterns = 0;
        for (p = text; *p;) {
            const char *nl = strchr(p, '\n');
            char *one = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
            if (*one)
                cb_code_add_pattern(c, one, (cb_pos){0, 0});
            free(one);
            p = nl ? nl + 1 : p + strlen(p);
        }
        return true;
    }
    default:
        return true;
    }
}

static void key_text(editor *e, int k, bool fn)
{
    ui_ta_result r = ui_ta_key(&e->ta, k, fn);
    /* One Esc could come from a key the terminal sent in pieces: a long
     * text is only dropped on a second one. */
    if (r == UI_TA_CANCEL && e->ta.multiline && !e->esc_armed && strcmp(ui_ta_text(&e->ta), e->ta_orig)) {
        e->esc_armed = true;
        say(e, UI_WARN, "%s", _("Press Esc again to drop your changes to this text; Ctrl-S or F2 keeps them."));
        return;
    }
    if (r != UI_TA_CANCEL && e->esc_armed) {
        e->esc_armed = false;
        e->msg[0] = '\0';
    }
    if (r == UI_TA_EDITING)
        return;
    if (r == UI_TA_CANCEL) {
        free(e->new_label);
        e->new_label = NULL;
        e->view = e->goal == T_FIELD ? V_FORM : V_LIST;
        e->msg[0] = '\0';
        return;
    }
    const char *text = ui_ta_text(&e->ta);
    switch (e->goal) {
    case T_NEW_LABEL: {
        if (str_empty(text)) {
            say(e, UI_WARN, "%s", _("A label cannot be empty."));
            return;
        }
        free(e->new_label);
        e->new_label = xstrdup(text);
        char *id = propose_id(e, e->new_label);
        view back = e->back;
        open_text(e, T_NEW_ID, F_LABEL, id, false);
        e->back = back;
        free(id);
        say(e, UI_NORMAL, "%s", _("Proposed id below: ⏎ to accept it, or change it."));
        return;
    }
    case T_NEW_ID: {
        char *id = xstrdup(text);
        if (id_acceptable(e, id))
            finish_add(e, id);
        free(id);
        return;
    }
    case T_RENAME:
        if (apply_text(e, text)) {
            e->view = V_LIST;
            say(e, UI_OK, "%s", _("Renamed; the id stays, so its history stays with it."));
        }
        return;
    case T_FIELD:
        if (apply_text(e, text)) {
            e->view = V_FORM;
            e->msg[0] = '\0';
        }
        return;
    }
}

/* ---- the hotkey prompt ------------------------------------------------ */

static void draw_key(editor *e)
{
    cb_dimension *d = cur_dim(e);
    cb_code *c = cur_code(e);
    char *what = xasprintf(_("hotkey of “%s”"), c->label);
    title_bar(e, what);
    free(what);
    char *q = xasprintf(_("Press the new hotkey for “%s”: a letter or a digit. Its key now: %c."), c->label,
                        c->key ? c->key : '?');
    ui_put_wrapped(2, 1, COLS - 2, 2, q, UI_NORMAL);
    free(q);
    char *fk = free_keys(d, c);
    char *line = xasprintf(_("Free in this dimension: %s"), fk);
    ui_put_wrapped(5, 1, COLS - 2, 2, line, UI_KEY);
    free(line);
    free(fk);
    message_rows(e);
    status_line(_("a–z 0–9 choose   Esc cancel"));
}

static void key_key(editor *e, int k, bool fn)
{
    if (fn)
        return;
    if (k == 27) {
        e->view = e->back;
        e->msg[0] = '\0';
        return;
    }
    cb_dimension *d = cur_dim(e);
    cb_code *c = cur_code(e);
    if (k > 127 || !isalnum(k)) {
        say(e, UI_WARN, "%s", _("A hotkey is one letter (a–z) or one digit, so that it works on every keyboard."));
        return;
    }
    const cb_code *holder = cb_code_by_key(d, k);
    if (holder && holder != c) {
        char *fk = free_keys(d, c);
        say(e, UI_WARN, _("'%c' is already the key of “%s” in this dimension (keys ignore case). Free: %s"), k,
            holder->label, fk);
        free(fk);
        return;
    }
    c->key = (char)k;
    e->view = e->back;
    say(e, UI_OK, _("“%s” now has hotkey '%c'."), c->label, c->key);
}

/* ---- the parent picker ------------------------------------------------ */

static void draw_pick(editor *e)
{
    cb_dimension *d = cur_dim(e);
    cb_code *c = cur_code(e);
    char *what = xasprintf(_("parent of “%s”"), c->label);
    title_bar(e, what);
    free(what);
    size_t *ch = xcalloc(d->ncodes + 1, sizeof *ch);
    size_t n = pick_choices(e, ch, d->ncodes + 1);
    int rows = LINES - 5;
    ui_scroll_to(&e->pick_top, e->pick, n, (size_t)rows);
    for (int i = 0; i < rows; i++) {
        size_t k = e->pick_top + (size_t)i;
        if (k >= n)
            break;
        char *row = ch[k] == (size_t)-1 ? xstrdup(_("(none: top level)"))
                                        : xasprintf("%s (%s)", d->codes[ch[k]].label, d->codes[ch[k]].id);
        if (k == e->pick)
            ui_style_on(UI_SELECTED);
        ui_put(2 + i, 1, COLS - 2, row, true);
        if (k == e->pick)
            ui_style_off(UI_SELECTED);
        free(row);
    }
    free(ch);
    message_rows(e);
    status_line(_("↑↓ choose   ⏎ take this parent   Esc cancel"));
}

static void key_pick(editor *e, int k, bool fn)
{
    cb_dimension *d = cur_dim(e);
    size_t *ch = xcalloc(d->ncodes + 1, sizeof *ch);
    size_t n = pick_choices(e, ch, d->ncodes + 1);
    if (fn && k == KEY_UP && e->pick > 0)
        e->pick--;
    else if (fn && k == KEY_DOWN && e->pick + 1 < n)
        e->pick++;
    else if (!fn && k == 27)
        e->view = V_FORM;
    else if ((fn && k == KEY_ENTER) || (!fn && (k == '\r' || k == '\n'))) {
        cb_code *c = cur_code(e);
        set_text(&c->parent, ch[e->pick] == (size_t)-1 ? NULL : d->codes[ch[e->pick]].id);
        e->view = V_FORM;
    }
    free(ch);
}

/* ---- questions, problems, help ---------------------------------------- */

static void draw_confirm(editor *e)
{
    title_bar(e, e->cb->title ? e->cb->title : "");
    char *q;
    const char *keys;
    if (e->ask == ASK_QUIT) {
        q = xstrdup(_("The codebook has unsaved changes."));
        keys = _("s save and leave   d discard the changes and leave   Esc stay");
    } else {
        cb_dimension *d = cur_dim(e);
        q = e->pane == 1 ? xasprintf(_("Delete code “%s” (%s)? No recorded answer uses it."), d->codes[e->c].label,
                                     d->codes[e->c].id)
                         : xasprintf(_("Delete dimension “%s” (%s) and its %zu codes? No recorded answer uses it."),
                                     d->label, d->id, d->ncodes);
        keys = _("y delete   n keep");
    }
    ui_put_wrapped(LINES / 2 - 1, 2, COLS - 4, 3, q, UI_WARN);
    free(q);
    message_rows(e);
    status_line(keys);
}

static void key_confirm(editor *e, int k, bool fn)
{
    if (fn)
        return;
    if (e->ask == ASK_QUIT) {
        if (k == 's') {
            e->view = e->back;
            save(e);
            if (!modified(e))
                e->done = true;
        } else if (k == 'd') {
            e->done = true;
        } else if (k == 27 || k == 'n') {
            e->view = e->back;
        }
        return;
    }
    /* 'o' is "oui" on a French screen. */
    if (k == 'y' || k == 'o')
        do_delete(e);
    if (k == 'y' || k == 'o' || k == 'n' || k == 27)
        e->view = V_LIST;
}

static void draw_problems(editor *e)
{
    title_bar(e, _("what stops the save"));
    ui_put_styled(1, 1, COLS - 2, _("Fix these, then save again (s):"), false, UI_WARN);
    int y = 2, bottom = LINES - 4;
    for (size_t k = e->ptop; k < e->problems.n && y < bottom; k++)
        y += ui_put_wrapped(y, 1, COLS - 2, bottom - y < 2 ? bottom - y : 2, e->problems.items[k].msg, UI_NORMAL);
    message_rows(e);
    status_line(_("↑↓ scroll   Esc back"));
}

static void key_problems(editor *e, int k, bool fn)
{
    if (fn && k == KEY_UP && e->ptop > 0)
        e->ptop--;
    else if (fn && k == KEY_DOWN && e->ptop + 1 < e->problems.n)
        e->ptop++;
    else if (!fn && (k == 27 || k == 'q' || k == '\r' || k == '\n'))
        e->view = e->back;
}

static void draw_help(editor *e)
{
    title_bar(e, _("keys"));
    static const char *lines[] = {
        N_("List of dimensions (left) and codes (right)"),
        N_("  ↑ ↓ PgUp PgDn Home End   choose          Tab ← →   change pane"),
        N_("  ⏎ or e   edit every field of the item     a   add a dimension or a code"),
        N_("  r        rename (the id stays)            k   change the hotkey of a code"),
        N_("  x        retire, or restore               d Del   delete (never used items only)"),
        N_("  J K or Shift-↓ Shift-↑   move down, up    p   list what would stop a save"),
        N_("  s        save as a new version            ? F1   this help"),
        N_("  F10 Ctrl-X q Esc   leave the editor (asks first when changes are unsaved)"),
        N_("Form of a code or dimension"),
        N_("  ↑ ↓      choose a field                   ⏎ Space   change it (yes/no fields flip)"),
        N_("  Esc      back to the list"),
        N_("Text editor"),
        N_("  Ctrl-S or F2   keep the text              Esc   cancel"),
        N_("  ⏎        new line (keeps a one-line field) Ctrl-A Ctrl-E   start, end of line"),
        N_("  Ctrl-K, Ctrl-U   delete to the end, to the start of the line"),
        N_("  F10 Ctrl-X   leave the editor, once the text is kept or dropped"),
        N_("Retired codes are hidden from coding and kept for history. A code used by recorded"),
        N_("answers can be retired, never deleted. Saving never changes past interactions."),
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0] && (int)i < LINES - 3; i++)
        ui_put_styled(2 + (int)i, 1, COLS - 2, _(lines[i]), false, lines[i][0] == ' ' ? UI_NORMAL : UI_KEY);
    status_line(_("any key: back"));
}

/* ---- dispatch --------------------------------------------------------- */

static void draw(editor *e)
{
    if (!ui_big_enough()) {
        curs_set(0);
        ui_draw_too_small();
        return;
    }
    erase();
    curs_set(e->view == V_TEXT ? 1 : 0);
    switch (e->view) {
    case V_LIST:
        draw_list(e);
        break;
    case V_FORM:
        draw_form(e);
        break;
    case V_TEXT:
        draw_text(e);
        break;
    case V_KEY:
        draw_key(e);
        break;
    case V_PICK:
        draw_pick(e);
        break;
    case V_CONFIRM:
        draw_confirm(e);
        break;
    case V_PROBLEMS:
        draw_problems(e);
        break;
    case V_HELP:
        draw_help(e);
        break;
    }
    refresh();
}

/* F10 and Ctrl-X leave the editor, as they quit the coding and training
 * screens (F10 does not reach every terminal; Ctrl-X does). */
static bool leave_key(int k, bool fn)
{
    return fn ? k == KEY_F(10) : k == UI_CTRL('x');
}

static void key(editor *e, int k, bool fn)
{
    if (leave_key(k, fn)) {
        if (e->view == V_TEXT) {
            /* The text being typed is not in the codebook yet: say what to
             * do with it rather than drop it. */
            say(e, UI_WARN, "%s",
                _("Keep the text (Ctrl-S or F2) or drop it (Esc) first; then F10 leaves the editor."));
            return;
        }
        if (e->view == V_CONFIRM)
            return; /* s, d or Esc: a second F10 must not drop the changes */
        if (e->view != V_LIST && e->view != V_FORM)
            e->view = e->back; /* the key prompt, the parent picker, problems, help */
        request_quit(e);
        return;
    }
    switch (e->view) {
    case V_LIST:
        key_list(e, k, fn);
        break;
    case V_FORM:
        key_form(e, k, fn);
        break;
    case V_TEXT:
        key_text(e, k, fn);
        break;
    case V_KEY:
        key_key(e, k, fn);
        break;
    case V_PICK:
        key_pick(e, k, fn);
        break;
    case V_CONFIRM:
        key_confirm(e, k, fn);
        break;
    case V_PROBLEMS:
        key_problems(e, k, fn);
        break;
    case V_HELP:
        e->view = e->back;
        break;
    }
}

st_code ui_cbedit_run(st_db *db, const char *who, bool *saved, char version_id[UUID_STRLEN], st_error *err)
{
    *saved = false;
    version_id[0] = '\0';
    editor e = {.db = db, .who = who, .view = V_LIST};
    if (st_codebook_load(db, NULL, &e.saved_cb, NULL, err))
        return err->code;
    e.cb = cb_clone(e.saved_cb);
    ui_ta_init(&e.ta, "", false);
    say(&e, UI_NORMAL, "%s", _("? shows every key. Nothing reaches the study before you save (s)."));
    /* Within the coding screen, a SIGHUP or SIGTERM ends the editor (what
     * is not saved is dropped) so that the screen can close its session. */
    while (!e.done && !ui_stop_requested()) {
        draw(&e);
        bool fn;
        int k = ui_readkey(1000, &fn);
        if (k == ERR || (fn && k == KEY_RESIZE))
            continue;
        if (!ui_big_enough()) /* keys wait until the screen is big enough */
            continue;
        key(&e, k, fn);
    }
    curs_set(0);
    *saved = e.saved;
    snprintf(version_id, UUID_STRLEN, "%s", e.vid);
    ui_ta_free(&e.ta);
    free(e.ta_orig);
    free(e.new_label);
    diag_clear(&e.problems);
    cb_free(e.cb);
    cb_free(e.saved_cb);
    return ST_OK;
}
