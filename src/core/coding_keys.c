/*
 * coding_keys.c — the key map of the coding screen (coding.h), in one table.
 *
 * The state machine finds what a key does here, and the help overlay and
 * `carnet observe --keys` (from which doc/observe.md is written) print this
 * same table, so the keys described can never drift from the keys obeyed.
 *
 * Letters and digits are the codebook's hotkeys and nothing else: commands
 * take Space, Enter, Tab, arrows, punctuation, function keys and Ctrl keys.
 * Function keys do not reach every terminal (F10 opens the menu of GNOME
 * Terminal; the Linux console and some SSH clients send other sequences),
 * so every command on a function key also has a punctuation or Ctrl key.
 * Ctrl-A (screen), Ctrl-B (tmux), Ctrl-S and Ctrl-Q (flow control) are
 * left alone, as are the unshifted characters of the AZERTY digit row
 * (& é " ' ( - è _ ç à), which stand for the digits (cod_hotkey_of()).
 */
#include <stdio.h>
#include <string.h>

#include "core/coding.h"
#include "core/i18n.h"
#include "core/text.h"

#define MAIN COD_IN_MAIN
#define HIST COD_IN_HISTORY
#define INPUT COD_IN_INPUT
#define VIEW COD_IN_VIEW

/* An entry whose help is NULL continues the previous one: its keys are
 * printed on the same line of the help. */
const cod_keydef cod_keys[] = {
    /* The coding screen. */
    {MAIN, COD_A_HOTKEY, {0}, LE_NONE, NULL, 0,
     N_("Choose the code with that key in the active dimension; in a single-choice dimension, move on to the next "
        "dimension; in a multiple-choice one, press again to remove it. In tally mode: record a complete interaction "
        "with that code on the first dimension")},
    {MAIN, COD_A_START, {' '}, LE_NONE, N_("new"), 1,
     N_("Start a new interaction (its start time is now); the ones already open stay open")},
    {MAIN, COD_A_END, {COD_K_ENTER}, LE_NONE, N_("end"), 1,
     N_("End the interaction being coded (its end time is now); after changing an earlier one, come back")},
    {MAIN, COD_A_NEXT_DIM, {COD_K_TAB, COD_K_RIGHT}, LE_NONE, N_("dimension"), 2, N_("Next dimension")},
    {MAIN, COD_A_PREV_DIM, {COD_K_BTAB, COD_K_LEFT}, LE_NONE, NULL, 0, N_("Previous dimension")},
    {MAIN | HIST | VIEW, COD_A_UP, {COD_K_UP}, LE_NONE, NULL, 0,
     N_("Move the highlight in the code panel or the history; scroll the help")},
    {MAIN | HIST | VIEW, COD_A_DOWN, {COD_K_DOWN}, LE_NONE, NULL, 0, NULL},
    {MAIN | HIST | VIEW, COD_A_PGUP, {COD_K_PGUP}, LE_NONE, NULL, 0, NULL},
    {MAIN | HIST | VIEW, COD_A_PGDN, {COD_K_PGDN}, LE_NONE, NULL, 0, NULL},
    {MAIN | HIST | VIEW, COD_A_TOP, {COD_K_HOME}, LE_NONE, NULL, 0, NULL},
    {MAIN | HIST | VIEW, COD_A_BOTTOM, {COD_K_END}, LE_NONE, NULL, 0, NULL},
    {MAIN, COD_A_CHOOSE, {'=', COD_K_INSERT}, LE_NONE, NULL, 0,
     N_("Choose the highlighted code; on a free-text dimension, type or change the answer (typing a letter or a "
        "digit there starts it too)")},
    {MAIN, COD_A_CLEAR, {COD_K_BACKSPACE, COD_K_DELETE}, LE_NONE, NULL, 0,
     N_("Remove the highlighted code (single choice: the chosen one), or the answer, from the active dimension")},
    {MAIN, COD_A_NOTE, {':', COD_K_F(3)}, LE_NONE, N_("note"), 3,
     N_("Write the note of the interaction being coded; the codes it suggests appear under the line")},
    {MAIN | HIST, COD_A_FIELD_NOTE, {';', COD_K_F(4)}, LE_NONE, NULL, 0,
     N_("Write a field note on the session, timestamped when you begin it")},
    {MAIN, COD_A_NEXT_OPEN, {'+', COD_CTRL('n')}, LE_NONE, N_("switch"), 5,
     N_("Switch to the next open interaction (several visitors at once)")},
    {MAIN, COD_A_PREV_OPEN, {COD_CTRL('p')}, LE_NONE, NULL, 0, N_("Switch to the previous open interaction")},
    {MAIN | HIST, COD_A_UNDO, {'<', COD_CTRL('z')}, LE_NONE, N_("undo"), 2,
     N_("Undo the last change (the undoing is recorded, and written to the audit log)")},
    {MAIN | HIST, COD_A_REDO, {'>', COD_CTRL('y')}, LE_NONE, NULL, 0, N_("Redo the last change undone")},
    {MAIN, COD_A_TALLY, {'*', COD_K_F(5)}, LE_NONE, NULL, 0,
     N_("Tally mode on or off (rush hours): each hotkey records a complete interaction with one code on the first "
        "dimension, duration unknown")},
    {MAIN | HIST, COD_A_PAUSE, {',', COD_K_F(6)}, LE_NONE, N_("pause"), 5,
     N_("Pause or resume the session (breaks, lunchtime closing): paused time is left out of durations")},
    {MAIN, COD_A_HISTORY, {'/', COD_K_F(7)}, LE_NONE, N_("history"), 4,
     N_("The session's interactions: change the codes, times or note of an earlier one, delete or restore it")},
    {MAIN, COD_A_ENTRY, {'!', COD_K_F(2)}, LE_NONE, NULL, 0,
     N_("The codebook entry of the highlighted code: definition, when to use it, when not to, an example")},
    {MAIN, COD_A_CODEBOOK, {'$', COD_K_F(9)}, LE_NONE, N_("codebook"), 4,
     N_("Edit the codebook, the session staying open: a version saved there applies to the interactions started "
        "from then on; those already started keep theirs")},
    {MAIN | HIST, COD_A_HELP, {'?', COD_K_F(1)}, LE_NONE, N_("help"), 1, N_("This help")},
    {MAIN | HIST, COD_A_REDRAW, {COD_CTRL('l')}, LE_NONE, NULL, 0, N_("Redraw the screen")},
    {MAIN | HIST, COD_A_INTERRUPT, {COD_CTRL('c')}, LE_NONE, NULL, 0,
     N_("Does not quit: says how to (nothing stops a session by accident)")},
    {MAIN | HIST, COD_A_QUIT, {COD_K_F(10), COD_CTRL('x')}, LE_NONE, N_("quit"), 1,
     N_("Quit: close the session, everything being already recorded (with interactions still open, press it twice; "
        "they stay open and are offered next time)")},

    /* The history of the session. */
    {HIST, COD_A_OPEN, {COD_K_ENTER, '='}, LE_NONE, N_("open"), 1,
     N_("Open the selected interaction on the coding screen to change its codes (Enter there comes back)")},
    {HIST, COD_A_NOTE, {':', COD_K_F(3)}, LE_NONE, N_("note"), 3, N_("Write the note of the selected interaction")},
    {HIST, COD_A_TIMES, {'@', COD_K_F(8)}, LE_NONE, N_("times"), 2,
     N_("Change the start and end times of the selected interaction (an empty end opens it again)")},
    {HIST, COD_A_DELETE, {COD_K_BACKSPACE, COD_K_DELETE}, LE_NONE, N_("delete"), 2,
     N_("Delete the selected interaction, or restore a deleted one (nothing is ever erased from the study)")},
    {HIST, COD_A_NOTES, {COD_K_TAB}, LE_NONE, N_("field notes"), 3,
     N_("The field notes of the session, in the order they were written, to read them again")},
    {HIST, COD_A_BACK, {COD_K_ESC, '/', COD_K_F(7)}, LE_NONE, N_("back"), 1, N_("Back to the coding screen")},

    /* The input line. */
    {INPUT, COD_A_SUBMIT, {COD_K_ENTER}, LE_NONE, N_("record"), 1,
     N_("Record what was typed; an answer the codebook refuses keeps the line open and says why")},
    {INPUT, COD_A_CANCEL, {COD_K_ESC}, LE_NONE, N_("cancel"), 1, N_("Leave the line without recording anything")},
    {INPUT, COD_A_SUGGEST, {COD_K_TAB}, LE_NONE, N_("suggestion"), 2,
     N_("While writing a note: choose the highlighted suggested code (the line stays open)")},
    {INPUT, COD_A_DOWN, {COD_K_DOWN}, LE_NONE, NULL, 0, N_("While writing a note: move among the suggested codes")},
    {INPUT, COD_A_UP, {COD_K_UP}, LE_NONE, NULL, 0, NULL},
    {INPUT, COD_A_EDIT, {COD_K_LEFT}, LE_LEFT, NULL, 0,
     N_("Move in the line, delete a character, clear the line (Ctrl-U) or its end (Ctrl-K)")},
    {INPUT, COD_A_EDIT, {COD_K_RIGHT}, LE_RIGHT, NULL, 0, NULL},
    {INPUT, COD_A_EDIT, {COD_K_HOME}, LE_HOME, NULL, 0, NULL},
    {INPUT, COD_A_EDIT, {COD_K_END}, LE_END, NULL, 0, NULL},
    {INPUT, COD_A_EDIT, {COD_K_BACKSPACE}, LE_BACKSPACE, NULL, 0, NULL},
    {INPUT, COD_A_EDIT, {COD_K_DELETE}, LE_DELETE, NULL, 0, NULL},
    {INPUT, COD_A_EDIT, {COD_CTRL('u')}, LE_KILL_LINE, NULL, 0, NULL},
    {INPUT, COD_A_EDIT, {COD_CTRL('k')}, LE_KILL_END, NULL, 0, NULL},

    /* The help and the codebook entry. */
    {VIEW, COD_A_BACK, {COD_K_ESC, COD_K_ENTER, '?', '!', COD_K_TAB, COD_K_F(1), COD_K_F(2)}, LE_NONE, N_("close"), 1,
     N_("Close the help, the entry or the field notes (any key that does not scroll closes it)")},
};

const size_t cod_nkeys = sizeof cod_keys / sizeof cod_keys[0];

const cod_keydef *cod_keydef_of(unsigned where, int key)
{
    for (size_t i = 0; i < cod_nkeys; i++) {
        if (!(cod_keys[i].where & where))
            continue;
        for (size_t k = 0; k < sizeof cod_keys[i].keys / sizeof cod_keys[i].keys[0] && cod_keys[i].keys[k]; k++)
            if (cod_keys[i].keys[k] == key)
                return &cod_keys[i];
    }
    return NULL;
}

int cod_hotkey_of(int key)
{
    if (key >= '0' && key <= '9')
        return key;
    if (key >= 'a' && key <= 'z')
        return key;
    if (key >= 'A' && key <= 'Z')
        return key - 'A' + 'a';
    /* The unshifted AZERTY digit row. */
    static const int azerty[10] = {0xE0 /* à */, '&', 0xE9 /* é */, '"', '\'', '(', '-', 0xE8 /* è */, '_',
                                   0xE7 /* ç */};
    for (int d = 0; d < 10; d++)
        if (key == azerty[d])
            return '0' + d;
    return 0;
}

const char *cod_key_name(int key, char *buf, size_t n)
{
    static const struct {
        int key;
        const char *name;
    } names[] = {
        {' ', N_("Space")},         {COD_K_ENTER, N_("Enter")},   {COD_K_TAB, "Tab"},
        {COD_K_BTAB, N_("Shift-Tab")}, {COD_K_UP, N_("Up")},      {COD_K_DOWN, N_("Down")},
        {COD_K_LEFT, N_("Left")},   {COD_K_RIGHT, N_("Right")},   {COD_K_HOME, N_("Home")},
        {COD_K_END, N_("End")},     {COD_K_PGUP, N_("PgUp")},     {COD_K_PGDN, N_("PgDn")},
        {COD_K_BACKSPACE, N_("Backspace")}, {COD_K_DELETE, N_("Delete")}, {COD_K_INSERT, N_("Insert")},
        {COD_K_ESC, N_("Esc")},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].key == key) {
            snprintf(buf, n, "%s", _(names[i].name));
            return buf;
        }
    if (key >= COD_K_F1 && key <= COD_K_LAST)
        snprintf(buf, n, "F%d", key - COD_K_F1 + 1);
    else if (key > 0 && key < 0x20)
        snprintf(buf, n, "Ctrl-%c", key + '@');
    else if (key > 0x20 && key < 0x7F)
        snprintf(buf, n, "%c", key);
    else if (key >= 0xA0 && key < COD_K_BASE && (key < 0xD800 || key > 0xDFFF)) {
        /* A letter of another keyboard (ù, ²...): itself, in UTF-8. */
        char one[5] = {0};
        u8_encode((uint32_t)key, one);
        snprintf(buf, n, "%s", one);
    } else
        snprintf(buf, n, "?");
    return buf;
}

const char *cod_keydef_names(const cod_keydef *k, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    if (k->action == COD_A_HOTKEY) {
        snprintf(buf, n, "%s", _("a-z 0-9"));
        return buf;
    }
    for (size_t i = 0; i < sizeof k->keys / sizeof k->keys[0] && k->keys[i]; i++) {
        char one[32];
        cod_key_name(k->keys[i], one, sizeof one);
        int w = snprintf(buf + used, n - used, "%s%s", used ? " " : "", one);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

size_t cod_help_items(unsigned place, cod_help_item *out, size_t max)
{
    /* The keys of this place alone first, then those it shares. */
    size_t n = 0;
    for (int shared = 0; shared < 2; shared++)
        for (size_t i = 0; i < cod_nkeys; i++) {
            const cod_keydef *k = &cod_keys[i];
            if (!(k->where & place) || ((k->where & ~place) != 0) != shared)
                continue;
            char names[120];
            cod_keydef_names(k, names, sizeof names);
            if (k->help || n == 0) {
                if (n < max) {
                    snprintf(out[n].keys, sizeof out[n].keys, "%s", names);
                    out[n].help = k->help ? k->help : "";
                }
                n++;
            } else if (n <= max) {
                size_t used = strlen(out[n - 1].keys);
                snprintf(out[n - 1].keys + used, sizeof out[n - 1].keys - used, " %s", names);
            }
        }
    return n;
}

const char *cod_place_title(unsigned place)
{
    switch (place) {
    case COD_IN_MAIN:
        return N_("On the coding screen");
    case COD_IN_HISTORY:
        return N_("In the history of the session");
    case COD_IN_INPUT:
        return N_("On the input line (a note, an answer, times)");
    default:
        return N_("In this help, a code's entry and the field notes");
    }
}

const char cod_help_footer[] =
    N_("Letters and digits are the codebook's hotkeys and never commands, so a code can never be taken for a "
       "command. On a French AZERTY keyboard the digit hotkeys work with or without Shift. Every change is "
       "recorded in the study before the screen shows it; a change the study refuses (disk full, study locked) "
       "says so on the status line and is not shown as recorded.");
