/*
 * Unit tests of the coding state machine (core/coding.h): keys to intended
 * changes, commits and failures, single and multiple dimensions,
 * auto-advance, "other, specify" and free-text answers with their
 * validation, required dimensions, overlapping interactions, undo/redo,
 * tally mode, pauses, the history, notes and suggestions, and the key map.
 *
 * No store here: a commit is simulated by calling cod_commit() with the
 * result a store would give, a failure by cod_fail().
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook/cb_file.h"
#include "core/coding.h"
#include "core/text.h"
#include "core/util.h"

#define CODE(id, key, extra)                                                                                         \
    "      - id: " id "\n        key: " key "\n        label: L " id "\n        definition: x\n"                     \
    "        when_to_use: x\n        when_not_to_use: x\n        example: x\n" extra

static const char *codebook =
    "carnet_codebook: 1\nid: t\ntitle: T\nlanguage: fr\nversion: 1\n"
    "dimensions:\n"
    "  - id: demande\n    label: Demande\n    required: true\n    codes:\n" CODE(
        "caf", "c", "        patterns: ['\\bcaf\\b', 'prime']\n") CODE("cpam", "p", "")
        CODE("autre", "a", "        other: true\n        validate: '^[A-Za-z ]{3,}$'\n"
                           "        validate_message: Three letters at least\n")
            "      - id: vieux\n        label: Vieux\n        retired: true\n"
            "        definition: x\n        when_to_use: x\n        when_not_to_use: x\n        example: x\n"
            "  - id: obstacle\n    label: Obstacle\n    mode: multiple\n    codes:\n" CODE(
                "mail", "m", "        patterns: ['mail']\n") CODE("mdp", "w", "        patterns: ['mot de passe']\n")
                CODE("obs-autre", "x", "        other: true\n")
                    "  - id: commune\n    label: Code postal\n    mode: text\n    required: true\n"
                    "    validate: '^[0-9]{5}$'\n    validate_message: Five digits\n"
                    "  - id: orientation\n    label: Orientation\n    codes:\n" CODE("sur-place", "s", "")
                        CODE("rdv", "2", "");

static cod_state *S;
static time_t T0; /* 2026-09-14T09:00:00+02:00 */
static int ids;

static cb_codebook *parse(const char *text)
{
    diag_list d = {0};
    cb_codebook *cb = NULL;
    if (cbf_parse("t.yaml", text, strlen(text), &cb, &d)) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%d:%d: %s\n", d.items[i].line, d.items[i].col, d.items[i].msg);
        diag_clear(&d);
        return NULL;
    }
    return cb;
}

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    if (!ts_parse("2026-09-14T09:00:00+02:00", &T0))
        return -1;
    cb_codebook *cb = parse(codebook);
    if (!cb)
        return -1;
    S = cod_new(T0);
    cod_add_book(S, "00000000-0000-7000-8000-00000000cb01", cb, true);
    ids = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cod_free(S);
    S = NULL;
    return 0;
}

/* What a store would answer: a new id for creations, the incomplete flag
 * by the same rule the store applies. */
static void fake_result(const cod_change *c, cod_result *r)
{
    memset(r, 0, sizeof *r);
    if (c->kind == COD_START || c->kind == COD_TALLY)
        snprintf(r->id, sizeof r->id, "00000000-0000-7000-8000-%012d", ++ids);
}

/* Presses key at T0 + t; commits the change it asks for, if any; returns
 * its kind. */
static cod_kind press_at(int key, long t)
{
    cod_change c;
    cod_key(S, key, T0 + t, &c);
    cod_kind k = c.kind;
    if (k != COD_NONE) {
        cod_result r;
        fake_result(&c, &r);
        cod_commit(S, &c, &r);
        /* A store derives incomplete after each change. */
        long i = c.ix[0] ? -1 : (long)S->nixs - 1;
        for (size_t j = 0; j < S->nixs; j++)
            if (!strcmp(S->ixs[j].id, c.ix[0] ? c.ix : r.id))
                i = (long)j;
        if (i >= 0)
            S->ixs[i].incomplete = cod_missing_required(S, &S->ixs[i]);
    }
    cod_change_free(&c);
    return k;
}

static cod_kind press(int key)
{
    return press_at(key, 0);
}

/* Types UTF-8 text one character at a time. */
static void type(const char *text, long t)
{
    size_t n = strlen(text);
    while (n) {
        uint32_t cp;
        size_t k = u8_decode(text, n, &cp);
        assert_int_equal(press_at((int)cp, t), COD_NONE);
        text += k;
        n -= k;
    }
}

static const cod_ix *ix(int num)
{
    for (size_t i = 0; i < S->nixs; i++)
        if (S->ixs[i].num == num)
            return &S->ixs[i];
    fail_msg("no interaction #%d", num);
    return NULL;
}

static bool on(int num, size_t dim, size_t code)
{
    return ix(num)->ans[dim].on[code];
}

enum { DEMANDE, OBSTACLE, COMMUNE, ORIENTATION };
enum { CAF, CPAM, AUTRE, VIEUX };
enum { MAIL, MDP, OBS_AUTRE };
enum { SUR_PLACE, RDV };

/* ---- starting and choosing -------------------------------------------------------- */

static void test_space_asks_to_start_and_nothing_changes_before_the_commit(void **state)
{
    (void)state;
    cod_change c;
    cod_key(S, ' ', T0 + 5, &c);
    assert_int_equal(c.kind, COD_START);
    assert_string_equal(c.at, "2026-09-14T09:00:05+02:00");
    assert_int_equal(S->nixs, 0);
    assert_null(cod_active(S));
    cod_result r = {"00000000-0000-7000-8000-000000000001", true, 0};
    cod_commit(S, &c, &r);
    cod_change_free(&c);
    assert_int_equal(S->nixs, 1);
    assert_int_equal(cod_active(S)->num, 1);
    assert_string_equal(cod_active(S)->id, "00000000-0000-7000-8000-000000000001");
    assert_string_equal(cod_active(S)->started_at, "2026-09-14T09:00:05+02:00");
    assert_string_equal(S->msg, "Started #1 at 09:00:05");
    assert_int_equal(S->msg_kind, COD_MSG_OK);
}

static void test_hotkey_in_a_single_dimension_chooses_then_moves_on(void **state)
{
    (void)state;
    press(' ');
    cod_change c;
    cod_key(S, 'c', T0, &c);
    assert_int_equal(c.kind, COD_CODE);
    assert_string_equal(c.dim_id, "demande");
    assert_string_equal(c.code_id, "caf");
    assert_true(c.on);
    assert_true(c.advance);
    /* not applied yet */
    assert_false(on(1, DEMANDE, CAF));
    assert_int_equal(cod_active(S)->dim, DEMANDE);
    cod_result r = {{0}, true, 0};
    cod_commit(S, &c, &r);
    cod_change_free(&c);
    assert_true(on(1, DEMANDE, CAF));
    assert_int_equal(cod_active(S)->dim, OBSTACLE);
    assert_string_equal(S->msg, "#1 Demande: L caf");
}

static void test_hotkeys_ignore_case_and_take_the_azerty_digit_row(void **state)
{
    (void)state;
    press(' ');
    assert_int_equal(press('C'), COD_CODE);
    assert_true(on(1, DEMANDE, CAF));
    press(COD_K_TAB);
    press(COD_K_TAB); /* orientation */
    assert_int_equal(cod_active(S)->dim, ORIENTATION);
    assert_int_equal(press(0xE9 /* é, the unshifted 2 of AZERTY */), COD_CODE);
    assert_true(on(1, ORIENTATION, RDV));
    assert_int_equal(cod_hotkey_of('&'), '1');
    assert_int_equal(cod_hotkey_of(0xE0), '0');
    assert_int_equal(cod_hotkey_of('='), 0);
}

static void test_an_unknown_hotkey_says_so_and_asks_nothing(void **state)
{
    (void)state;
    press(' ');
    assert_int_equal(press('z'), COD_NONE);
    assert_string_equal(S->msg, "No code has the key z in Demande");
    assert_int_equal(S->msg_kind, COD_MSG_WARN);
    /* a retired code's key is gone too (it had none), and a hotkey with
     * nothing open asks to start first */
    press(COD_K_ENTER);
    assert_int_equal(press('c'), COD_NONE);
    assert_string_equal(S->msg, "No interaction open: press Space to start one");
}

static void test_multiple_choice_toggles_and_tab_moves_on(void **state)
{
    (void)state;
    press(' ');
    press('c');
    assert_int_equal(cod_active(S)->dim, OBSTACLE);
    assert_int_equal(press('m'), COD_CODE);
    assert_int_equal(press('w'), COD_CODE);
    assert_true(on(1, OBSTACLE, MAIL) && on(1, OBSTACLE, MDP));
    assert_int_equal(cod_active(S)->dim, OBSTACLE); /* no auto-advance */
    cod_change c;
    cod_key(S, 'm', T0, &c);
    assert_int_equal(c.kind, COD_CODE);
    assert_false(c.on);
    cod_change_free(&c);
    press('m');
    assert_false(on(1, OBSTACLE, MAIL));
    press(COD_K_TAB);
    assert_int_equal(cod_active(S)->dim, COMMUNE);
    press(COD_K_BTAB);
    press(COD_K_LEFT);
    assert_int_equal(cod_active(S)->dim, DEMANDE);
    press(COD_K_LEFT); /* wraps round */
    assert_int_equal(cod_active(S)->dim, ORIENTATION);
}

static void test_a_single_choice_replaces_the_previous_one(void **state)
{
    (void)state;
    press(' ');
    press('c');
    press(COD_K_BTAB);
    assert_int_equal(press('p'), COD_CODE);
    assert_false(on(1, DEMANDE, CAF));
    assert_true(on(1, DEMANDE, CPAM));
    /* choosing the chosen code again records nothing and moves on */
    press(COD_K_BTAB);
    assert_int_equal(press('p'), COD_NONE);
    assert_int_equal(cod_active(S)->dim, OBSTACLE);
}

static void test_the_highlight_moves_over_visible_codes_and_equals_chooses(void **state)
{
    (void)state;
    press(' ');
    size_t idx[8];
    assert_int_equal(cod_visible_codes(&cod_current_cb(S)->dims[DEMANDE], idx, 8), 3); /* vieux is retired */
    press(COD_K_DOWN);
    press(COD_K_DOWN);
    press(COD_K_DOWN);
    assert_int_equal(S->hl, 2);
    press(COD_K_UP);
    const cb_code *c = cod_entry_code(S, NULL);
    assert_string_equal(c->id, "cpam");
    cod_change ch;
    assert_int_equal(cod_key(S, '!', T0, &ch), COD_REQ_ENTRY);
    assert_int_equal(press('='), COD_CODE);
    assert_true(on(1, DEMANDE, CPAM));
    /* Backspace removes the chosen code of a single-choice dimension */
    press(COD_K_BTAB);
    assert_int_equal(press(COD_K_BACKSPACE), COD_CODE);
    assert_false(on(1, DEMANDE, CPAM));
    assert_int_equal(press(COD_K_BACKSPACE), COD_NONE);
}

static void test_a_heading_is_never_offered_as_a_choice(void **state)
{
    (void)state;
    /* A dimension opening on a heading (codable: false) with its two
     * sub-codes, then a heading at the end. */
    static const char *headed =
        "carnet_codebook: 1\nid: h\ntitle: H\nlanguage: fr\nversion: 1\n"
        "dimensions:\n"
        "  - id: demande\n    label: Demande\n    codes:\n"
        "      - id: social\n        label: Aide sociale\n        codable: false\n"
        "        definition: x\n        when_to_use: x\n        when_not_to_use: x\n        example: x\n" CODE(
            "rsa", "r", "        parent: social\n") CODE("apl", "l", "        parent: social\n")
            "      - id: fiscal\n        label: Fiscal\n        codable: false\n"
            "        definition: x\n        when_to_use: x\n        when_not_to_use: x\n        example: x\n";
    cb_codebook *cb = parse(headed);
    assert_non_null(cb);
    cod_free(S);
    S = cod_new(T0);
    cod_add_book(S, "00000000-0000-7000-8000-00000000cb02", cb, true);
    const cb_dimension *d = &cod_current_cb(S)->dims[0];
    size_t idx[8];
    assert_int_equal(cod_visible_codes(d, idx, 8), 2);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 2);
    /* Before any interaction, and in tally mode, the panel starts on rsa. */
    assert_string_equal(cod_entry_code(S, NULL)->id, "rsa");
    press('*');
    assert_true(S->tally);
    press(COD_K_END);
    assert_string_equal(cod_entry_code(S, NULL)->id, "apl");
    press('*');
    press(' ');
    /* The highlight never reaches a heading, whichever way it moves. */
    for (int k = 0; k < 4; k++) {
        press(k % 2 ? COD_K_HOME : COD_K_END);
        press(COD_K_PGDN);
        const cb_code *c = cod_entry_code(S, NULL);
        assert_true(cb_code_active(c));
    }
    press(COD_K_HOME);
    press(COD_K_UP);
    assert_string_equal(cod_entry_code(S, NULL)->id, "rsa");
    assert_int_equal(press('='), COD_CODE);
    assert_true(on(1, 0, 1));
    assert_false(on(1, 0, 0));
    assert_false(on(1, 0, 3));
}

/* ---- answers typed ------------------------------------------------------------------ */

static void test_other_specify_opens_a_line_and_keeps_it_open_until_valid(void **state)
{
    (void)state;
    press(' ');
    assert_int_equal(press('a'), COD_NONE);
    assert_true(S->in.open);
    assert_int_equal(S->in.kind, COD_IN_OTHER);
    char prompt[200];
    assert_string_equal(cod_input_prompt(S, prompt, sizeof prompt), "#1 Demande: L autre, specify:");
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    assert_int_equal(S->msg_kind, COD_MSG_WARN);
    type("B2", 0);
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    assert_string_equal(S->msg, "Three letters at least");
    assert_true(S->in.open);
    press(COD_K_BACKSPACE);
    type("dF", 0);
    cod_change c;
    cod_key(S, COD_K_ENTER, T0, &c);
    assert_int_equal(c.kind, COD_CODE);
    assert_string_equal(c.code_id, "autre");
    assert_string_equal(c.text, "BdF");
    assert_true(c.close_input);
    assert_true(S->in.open); /* until recorded */
    cod_result r = {{0}, true, 0};
    cod_commit(S, &c, &r);
    cod_change_free(&c);
    assert_false(S->in.open);
    assert_string_equal(ix(1)->ans[DEMANDE].other[AUTRE], "BdF");
    assert_int_equal(cod_active(S)->dim, OBSTACLE);
}

static void test_escape_leaves_the_line_without_recording(void **state)
{
    (void)state;
    press(' ');
    press('a');
    type("Banque", 0);
    assert_int_equal(press(COD_K_ESC), COD_NONE);
    assert_false(S->in.open);
    assert_false(on(1, DEMANDE, AUTRE));
}

static void test_typing_on_a_text_dimension_starts_the_answer_and_validates_it(void **state)
{
    (void)state;
    press(' ');
    press('c');
    press(COD_K_TAB);
    assert_int_equal(cod_active(S)->dim, COMMUNE);
    assert_int_equal(press('3'), COD_NONE);
    assert_true(S->in.open);
    assert_int_equal(S->in.kind, COD_IN_TEXT);
    type("500", 0);
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    assert_string_equal(S->msg, "Five digits");
    type("0", 0);
    assert_int_equal(press(COD_K_ENTER), COD_TEXT);
    assert_string_equal(ix(1)->ans[COMMUNE].text, "35000");
    assert_false(S->in.open);
    assert_int_equal(cod_active(S)->dim, ORIENTATION);
    /* = edits the answer, Backspace removes it */
    press(COD_K_BTAB);
    press('=');
    assert_string_equal(le_text(&S->in.line), "35000");
    press(COD_K_ESC);
    assert_int_equal(press(COD_K_BACKSPACE), COD_TEXT);
    assert_null(ix(1)->ans[COMMUNE].text);
}

static void test_ending_with_a_required_dimension_empty_is_kept_incomplete(void **state)
{
    (void)state;
    press_at(' ', 0);
    press('c');
    assert_int_equal(press_at(COD_K_ENTER, 250), COD_END);
    const cod_ix *x = ix(1);
    assert_string_equal(x->ended_at, "2026-09-14T09:04:10+02:00");
    assert_true(x->incomplete);
    assert_true(cod_missing_required(S, x));
    assert_true(cod_dim_empty(S, x, COMMUNE));
    assert_string_equal(S->msg, "Recorded #1 (4:10), incomplete: Code postal missing");
    assert_null(cod_active(S));
    assert_int_equal(cod_count(S), 1);
}

/* ---- several at once ---------------------------------------------------------------- */

static void test_two_interactions_overlap_each_with_its_own_times(void **state)
{
    (void)state;
    press_at(' ', 0);
    press('c');
    press_at(' ', 30);
    assert_int_equal(cod_active(S)->num, 2);
    press('p');
    assert_true(on(2, DEMANDE, CPAM));
    assert_false(on(1, DEMANDE, CPAM));
    size_t open[4];
    assert_int_equal(cod_open_list(S, open, 4), 2);
    press('+');
    assert_int_equal(cod_active(S)->num, 1);
    assert_int_equal(cod_active(S)->dim, OBSTACLE); /* where #1 was left */
    press(COD_CTRL('n'));
    assert_int_equal(cod_active(S)->num, 2);
    press(COD_CTRL('p'));
    assert_int_equal(cod_active(S)->num, 1);
    assert_int_equal(press_at(COD_K_ENTER, 100), COD_END);
    assert_int_equal(cod_active(S)->num, 2); /* the other one is coded next */
    assert_int_equal(press_at(COD_K_ENTER, 160), COD_END);
    assert_string_equal(ix(1)->started_at, "2026-09-14T09:00:00+02:00");
    assert_string_equal(ix(1)->ended_at, "2026-09-14T09:01:40+02:00");
    assert_string_equal(ix(2)->started_at, "2026-09-14T09:00:30+02:00");
    assert_string_equal(ix(2)->ended_at, "2026-09-14T09:02:40+02:00");
}

/* ---- undo and redo -------------------------------------------------------------------- */

static void test_undo_asks_for_the_inverse_and_redo_for_the_change_again(void **state)
{
    (void)state;
    press(' ');
    press('c');
    press('m');
    cod_change c;
    cod_key(S, '<', T0, &c);
    assert_int_equal(c.kind, COD_CODE);
    assert_false(c.on);
    assert_string_equal(c.code_id, "mail");
    assert_int_equal(c.origin, COD_FROM_UNDO);
    cod_change_free(&c);
    assert_int_equal(S->nundo, 3); /* nothing moves until recorded */
    assert_int_equal(press('<'), COD_CODE);
    assert_string_equal(S->msg, "Undone: #1 Obstacle: L mail removed");
    assert_int_equal(press(COD_CTRL('z')), COD_CODE);
    assert_false(on(1, DEMANDE, CAF));
    assert_int_equal(cod_active(S)->dim, DEMANDE);
    assert_int_equal(press('<'), COD_DELETE);
    assert_true(ix(1)->deleted);
    assert_null(cod_active(S));
    assert_int_equal(cod_count(S), 0);
    assert_int_equal(press('<'), COD_NONE);
    assert_string_equal(S->msg, "Nothing to undo");
    /* redo brings the same interaction back, then its codes */
    assert_int_equal(press('>'), COD_RESTORE);
    assert_int_equal(S->nixs, 1);
    assert_int_equal(cod_active(S)->num, 1);
    assert_int_equal(press(COD_CTRL('y')), COD_CODE);
    assert_true(on(1, DEMANDE, CAF));
    assert_int_equal(cod_active(S)->dim, OBSTACLE); /* redone, it moves on as it did */
    assert_int_equal(S->nredo, 1);
    /* a new change forgets what could be redone */
    press('w');
    assert_int_equal(S->nredo, 0);
    assert_int_equal(press('>'), COD_NONE);
}

static void test_undoing_a_replaced_choice_gives_back_the_first_one(void **state)
{
    (void)state;
    press(' ');
    press('c');
    press(COD_K_BTAB);
    press('p');
    assert_int_equal(press('<'), COD_CODE);
    assert_true(on(1, DEMANDE, CAF));
    assert_false(on(1, DEMANDE, CPAM));
    /* and the other text of an "other" code comes back with it */
    assert_int_equal(cod_active(S)->dim, DEMANDE);
    press('a');
    type("Banque", 0);
    press(COD_K_ENTER);
    press(COD_K_BTAB);
    press('p');
    press('<');
    assert_string_equal(ix(1)->ans[DEMANDE].other[AUTRE], "Banque");
}

static void test_undoing_an_end_reopens_and_redo_ends_at_the_first_time(void **state)
{
    (void)state;
    press_at(' ', 0);
    press_at(COD_K_ENTER, 60);
    assert_int_equal(press_at('<', 90), COD_REOPEN);
    assert_string_equal(ix(1)->ended_at, "");
    assert_int_equal(cod_active(S)->num, 1);
    cod_change c;
    cod_key(S, '>', T0 + 120, &c);
    assert_int_equal(c.kind, COD_END);
    assert_string_equal(c.at, "2026-09-14T09:01:00+02:00");
    cod_change_free(&c);
}

static void test_a_failed_commit_leaves_the_state_as_it_was(void **state)
{
    (void)state;
    press(' ');
    cod_change c;
    cod_key(S, 'c', T0, &c);
    cod_fail(S, &c, "study.db: recording a code: the disk is full; nothing was recorded");
    cod_change_free(&c);
    assert_false(on(1, DEMANDE, CAF));
    assert_int_equal(cod_active(S)->dim, DEMANDE);
    assert_int_equal(S->nundo, 1);
    assert_int_equal(S->msg_kind, COD_MSG_WARN);
    assert_string_equal(S->msg, "Not recorded: study.db: recording a code: the disk is full; nothing was recorded");
    /* a failed undo can be tried again: the stacks did not move */
    cod_key(S, '<', T0, &c);
    assert_int_equal(c.kind, COD_DELETE);
    cod_fail(S, &c, "locked");
    cod_change_free(&c);
    assert_int_equal(S->nundo, 1);
    assert_false(ix(1)->deleted);
    assert_int_equal(press('<'), COD_DELETE);
    /* a note refused by the store keeps its line open with the text */
    press('>');
    press(':');
    type("rappeler", 0);
    cod_key(S, COD_K_ENTER, T0, &c);
    assert_int_equal(c.kind, COD_NOTE);
    cod_fail(S, &c, "locked");
    cod_change_free(&c);
    assert_true(S->in.open);
    assert_string_equal(le_text(&S->in.line), "rappeler");
    assert_null(ix(1)->note);
    /* a failed start adds nothing */
    press(COD_K_ESC);
    cod_key(S, ' ', T0, &c);
    cod_fail(S, &c, "locked");
    cod_change_free(&c);
    assert_int_equal(S->nixs, 1);
}

/* ---- tally, pause ------------------------------------------------------------------------ */

static void test_tally_mode_records_whole_interactions_on_the_first_dimension(void **state)
{
    (void)state;
    press('*');
    assert_true(S->tally);
    assert_string_equal(cod_panel_dim(S, NULL)->id, "demande");
    cod_change c;
    cod_key(S, 'p', T0 + 10, &c);
    assert_int_equal(c.kind, COD_TALLY);
    assert_string_equal(c.dim_id, "demande");
    assert_string_equal(c.code_id, "cpam");
    cod_result r = {"00000000-0000-7000-8000-0000000000aa", false, 0};
    cod_commit(S, &c, &r);
    cod_change_free(&c);
    const cod_ix *x = ix(1);
    assert_true(x->tally);
    assert_string_equal(x->started_at, x->ended_at);
    assert_true(x->ans[DEMANDE].on[CPAM]);
    assert_int_equal(cod_ix_seconds(S, x, T0 + 100), -1);
    assert_false(cod_missing_required(S, x));
    assert_string_equal(S->msg, "Recorded #1 (tally): L cpam");
    assert_int_equal(press('c'), COD_TALLY);
    assert_int_equal(press('a'), COD_NONE); /* an "other" code needs its text */
    assert_int_equal(press(' '), COD_NONE);
    assert_int_equal(press('<'), COD_DELETE);
    assert_int_equal(cod_count(S), 1);
    press('*');
    assert_false(S->tally);
    assert_int_equal(press(' '), COD_START);
}

static void test_a_pause_stops_new_interactions_and_is_left_out_of_durations(void **state)
{
    (void)state;
    press_at(' ', 0);
    assert_int_equal(press_at(',', 60), COD_PAUSE);
    assert_true(S->paused);
    assert_int_equal(press_at(' ', 70), COD_NONE);
    assert_int_equal(S->msg_kind, COD_MSG_WARN);
    assert_int_equal(cod_session_seconds(S, T0 + 200), 60);
    assert_int_equal(press_at(COD_K_F(6), 360), COD_RESUME);
    assert_false(S->paused);
    assert_string_equal(S->msg, "Session resumed after a pause of 5:00");
    assert_int_equal(cod_ix_seconds(S, cod_active(S), T0 + 400), 100);
    assert_int_equal(cod_session_seconds(S, T0 + 400), 100);
    assert_int_equal(cod_paused_between(S, T0 + 100, T0 + 200), 100);
    /* pauses are not undone: one resumes */
    assert_int_equal(S->nundo, 1);
}

/* ---- the history --------------------------------------------------------------------------- */

static void test_the_history_opens_an_earlier_interaction_to_change_it(void **state)
{
    (void)state;
    press_at(' ', 0);
    press('c');
    press_at(COD_K_ENTER, 300);
    press_at(' ', 400);
    press('/');
    assert_int_equal(S->view, COD_VIEW_HISTORY);
    assert_int_equal(S->hist_sel, 1);
    press(COD_K_UP);
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    assert_int_equal(S->view, COD_VIEW_MAIN);
    assert_int_equal(cod_active(S)->num, 1);
    assert_string_equal(S->msg, "Changing #1: its codes and note; Enter comes back");
    press(COD_K_BTAB);
    assert_int_equal(press('p'), COD_CODE);
    assert_true(on(1, DEMANDE, CPAM));
    assert_int_equal(press(COD_K_ENTER), COD_NONE); /* comes back, ends nothing */
    assert_int_equal(cod_active(S)->num, 2);
    /* times */
    press('/');
    press(COD_K_UP);
    press('@');
    assert_true(S->in.open);
    assert_string_equal(le_text(&S->in.line), "09:00:00 09:05:00");
    press(COD_CTRL('u'));
    type("9:01 9:00", 0);
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    assert_string_equal(S->msg, "An interaction cannot end before it starts");
    press(COD_CTRL('u'));
    type("soon", 0);
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    press(COD_CTRL('u'));
    type("09:01 - 09:06:30", 0);
    cod_change c;
    cod_key(S, COD_K_ENTER, T0, &c);
    assert_int_equal(c.kind, COD_TIMES);
    assert_string_equal(c.at, "2026-09-14T09:01:00+02:00");
    assert_string_equal(c.until, "2026-09-14T09:06:30+02:00");
    cod_result r = {{0}, false, 0};
    cod_commit(S, &c, &r);
    cod_change_free(&c);
    assert_string_equal(ix(1)->started_at, "2026-09-14T09:01:00+02:00");
    /* an empty end opens it again */
    press('@');
    press(COD_K_END);
    for (int i = 0; i < 9; i++)
        press(COD_K_BACKSPACE);
    assert_string_equal(le_text(&S->in.line), "09:01:00");
    assert_int_equal(press(COD_K_ENTER), COD_REOPEN);
    assert_int_equal(press('<'), COD_END);
    /* delete and restore, then the note */
    assert_int_equal(press(COD_K_BACKSPACE), COD_DELETE);
    assert_true(ix(1)->deleted);
    assert_int_equal(press(COD_K_ENTER), COD_NONE); /* a deleted one does not open */
    assert_int_equal(press(COD_K_DELETE), COD_RESTORE);
    press(':');
    type("rappeler lundi", 0);
    assert_int_equal(press(COD_K_ENTER), COD_NOTE);
    assert_string_equal(ix(1)->note, "rappeler lundi");
    press(COD_K_ESC);
    assert_int_equal(S->view, COD_VIEW_MAIN);
}

/* ---- notes -------------------------------------------------------------------------------- */

static void test_a_note_suggests_codes_and_tab_applies_one_keeping_the_line(void **state)
{
    (void)state;
    press(' ');
    press(':');
    type("prime et mot de passe", 0);
    cod_suggest_refresh(S);
    assert_int_equal(S->in.nsugg, 2);
    assert_int_equal(S->in.sugg[0].dim, DEMANDE);
    assert_int_equal(S->in.sugg[0].code, CAF);
    assert_int_equal(S->in.sugg[1].code, MDP);
    press(COD_K_DOWN);
    assert_int_equal(press('\t'), COD_CODE);
    assert_true(on(1, OBSTACLE, MDP));
    assert_true(S->in.open);
    cod_suggest_refresh(S);
    assert_int_equal(S->in.nsugg, 1); /* chosen ones leave the list */
    assert_int_equal(press('\t'), COD_CODE);
    assert_true(on(1, DEMANDE, CAF));
    assert_int_equal(press(COD_K_ENTER), COD_NOTE);
    assert_string_equal(ix(1)->note, "prime et mot de passe");
    /* the same text again records nothing; emptying it removes the note */
    press(':');
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    press(':');
    press(COD_CTRL('u'));
    assert_int_equal(press(COD_K_ENTER), COD_NOTE);
    assert_null(ix(1)->note);
}

static void test_a_field_note_is_timestamped_when_begun(void **state)
{
    (void)state;
    press_at(';', 10);
    type("Panne du réseau", 20);
    cod_change c;
    cod_key(S, COD_K_ENTER, T0 + 50, &c);
    assert_int_equal(c.kind, COD_FIELD_NOTE);
    assert_string_equal(c.at, "2026-09-14T09:00:10+02:00");
    assert_string_equal(c.text, "Panne du réseau");
    cod_commit(S, &c, NULL);
    cod_change_free(&c);
    assert_int_equal(S->field_notes, 1);
    assert_int_equal(S->nundo, 0);
    press(';');
    assert_int_equal(press(COD_K_ENTER), COD_NONE);
    assert_false(S->in.open);
}

static void test_field_notes_are_kept_in_the_order_begun_and_shown_from_the_history(void **state)
{
    (void)state;
    cod_change c;
    /* Tab in the history asks for them, even before any interaction. */
    press('/');
    assert_int_equal(S->view, COD_VIEW_HISTORY);
    assert_int_equal(cod_key(S, COD_K_TAB, T0, &c), COD_REQ_NOTES);
    assert_int_equal(c.kind, COD_NONE);
    press_at(';', 100);
    type("Réseau en panne", 110);
    assert_int_equal(press_at(COD_K_ENTER, 120), COD_FIELD_NOTE);
    press_at(';', 300);
    type("Fermeture à 16 h", 310);
    assert_int_equal(press_at(COD_K_ENTER, 320), COD_FIELD_NOTE);
    /* One begun earlier and recorded last (as a store's retry would) goes
     * in its place. */
    memset(&c, 0, sizeof c);
    c.kind = COD_FIELD_NOTE;
    ts_format(T0 + 200, c.at);
    c.text = xstrdup("Deux agents seulement");
    cod_commit(S, &c, NULL);
    cod_change_free(&c);
    assert_int_equal(S->field_notes, 3);
    assert_string_equal(S->notes[0].at, "2026-09-14T09:01:40+02:00");
    assert_string_equal(S->notes[0].text, "Réseau en panne");
    assert_string_equal(S->notes[1].text, "Deux agents seulement");
    assert_string_equal(S->notes[2].at, "2026-09-14T09:05:00+02:00");
    assert_string_equal(S->notes[2].text, "Fermeture à 16 h");
    /* On the coding screen Tab moves between dimensions, as before. */
    press(COD_K_ESC);
    assert_int_equal(S->view, COD_VIEW_MAIN);
    press(' ');
    assert_int_equal(cod_key(S, COD_K_TAB, T0, &c), COD_REQ_NONE);
    assert_int_equal(cod_active(S)->dim, OBSTACLE);
}

/* ---- quitting, keys --------------------------------------------------------------------------- */

static void test_quitting_with_open_interactions_asks_twice(void **state)
{
    (void)state;
    cod_change c;
    assert_int_equal(cod_key(S, COD_CTRL('c'), T0, &c), COD_REQ_NONE);
    assert_non_null(strstr(S->msg, "does not quit"));
    press(' ');
    assert_int_equal(cod_key(S, COD_K_F(10), T0, &c), COD_REQ_NONE);
    assert_string_equal(S->msg, "1 interaction is still open: press F10 (or Ctrl-X) again to quit; it stays open");
    press(COD_K_DOWN); /* any other key disarms */
    assert_int_equal(cod_key(S, COD_CTRL('x'), T0, &c), COD_REQ_NONE);
    assert_int_equal(cod_key(S, COD_CTRL('x'), T0, &c), COD_REQ_QUIT);
    press(COD_K_ENTER);
    assert_int_equal(cod_key(S, COD_K_F(10), T0, &c), COD_REQ_QUIT);
    assert_int_equal(cod_key(S, '?', T0, &c), COD_REQ_HELP);
}

static bool azerty_or_alnum(int k)
{
    return k < COD_K_BASE && cod_hotkey_of(k) != 0;
}

static void test_the_key_map_leaves_letters_and_digits_to_the_codebook(void **state)
{
    (void)state;
    static const unsigned places[] = {COD_IN_MAIN, COD_IN_HISTORY, COD_IN_INPUT, COD_IN_VIEW};
    for (size_t i = 0; i < cod_nkeys; i++) {
        const cod_keydef *k = &cod_keys[i];
        bool has_f = false, has_other = false;
        for (size_t j = 0; j < 7 && k->keys[j]; j++) {
            int key = k->keys[j];
            if (k->where & (COD_IN_MAIN | COD_IN_HISTORY) && azerty_or_alnum(key))
                fail_msg("entry %zu uses the hotkey %c as a command", i, key);
            if (key >= COD_K_F1 && key <= COD_K_LAST)
                has_f = true;
            else
                has_other = true;
            /* one meaning per key in each place */
            for (size_t p = 0; p < 4; p++)
                if (k->where & places[p] && cod_keydef_of(places[p], key) != k)
                    fail_msg("key %d of entry %zu is taken twice in place %u", key, i, places[p]);
        }
        if (has_f && !has_other)
            fail_msg("entry %zu is only on a function key", i);
        if (i == 0)
            assert_int_equal(k->action, COD_A_HOTKEY);
        else if (!k->help)
            assert_int_equal(k->where, cod_keys[i - 1].where); /* a continuation line */
    }
    char buf[64];
    assert_string_equal(cod_keydef_names(cod_keydef_of(COD_IN_MAIN, '<'), buf, sizeof buf), "< Ctrl-Z");
    assert_string_equal(cod_keydef_names(cod_keydef_of(COD_IN_MAIN, COD_K_F(10)), buf, sizeof buf), "F10 Ctrl-X");
    assert_string_equal(cod_key_name(' ', buf, sizeof buf), "Space");
    assert_string_equal(cod_key_name(0xF9, buf, sizeof buf), "ù");
    press(' ');
    press(0xF9);
    assert_string_equal(S->msg, "The key ù does nothing here: ? (or F1) shows the keys");
}

/* ---- codebook versions and interactions read back --------------------------------------------------- */

static void test_a_new_codebook_version_is_for_new_interactions_only(void **state)
{
    (void)state;
    press(' ');
    press('c');
    char *v2 = xstrdup(codebook);
    char *p = strstr(v2, "label: Demande");
    memcpy(p, "label: Motifs ", 14);
    cb_codebook *cb = parse(v2);
    free(v2);
    assert_non_null(cb);
    size_t b = cod_add_book(S, "00000000-0000-7000-8000-00000000cb02", cb, true);
    assert_int_equal(b, 1);
    press(' ');
    assert_int_equal(ix(2)->book, 1);
    assert_int_equal(ix(1)->book, 0);
    assert_string_equal(cod_cb_of(S, ix(2))->dims[0].label, "Motifs");
    assert_string_equal(cod_cb_of(S, ix(1))->dims[0].label, "Demande");
    /* adding a version held already keeps the one held */
    cb = parse(codebook);
    assert_int_equal(cod_add_book(S, "00000000-0000-7000-8000-00000000cb01", cb, false), 0);
    assert_int_equal(S->cur_book, 1);
}

static void test_an_interaction_read_back_keeps_its_answers(void **state)
{
    (void)state;
    cod_ix_load in = {.id = "00000000-0000-7000-8000-0000000000ff",
                      .started_at = "2026-09-13T17:50:00+02:00",
                      .note = "la veille",
                      .incomplete = true,
                      .adopted = true};
    size_t i = cod_load_ix(S, 0, &in);
    cod_load_code(S, i, "demande", "autre", "Banque");
    cod_load_code(S, i, "obstacle", "nope", NULL); /* unknown: ignored */
    cod_load_text(S, i, "commune", "35000");
    cod_load_done(S, i);
    const cod_ix *x = ix(1);
    assert_int_equal(x->dim, OBSTACLE); /* the first left empty */
    assert_true(x->adopted);
    assert_true(x->ans[DEMANDE].on[AUTRE]);
    assert_string_equal(x->ans[DEMANDE].other[AUTRE], "Banque");
    assert_string_equal(x->ans[COMMUNE].text, "35000");
    assert_string_equal(x->note, "la veille");
    assert_int_equal(cod_count(S), 0); /* not one of this session's */
    press('+');
    assert_int_equal(cod_active(S)->num, 1);
    assert_int_equal(press(COD_K_ENTER), COD_END);
    press(' ');
    assert_int_equal(cod_active(S)->num, 2);
}

static void test_the_line_editor_keeps_utf8_whole(void **state)
{
    (void)state;
    le_line l = {0};
    le_set(&l, "cœur");
    assert_int_equal(le_cursor_col(&l), 4);
    le_apply(&l, LE_LEFT);
    le_apply(&l, LE_LEFT);
    le_apply(&l, LE_BACKSPACE);
    assert_string_equal(le_text(&l), "cur");
    assert_true(le_insert(&l, 0x153));
    assert_string_equal(le_text(&l), "cœur");
    assert_false(le_insert(&l, 0x07));
    le_apply(&l, LE_KILL_END);
    assert_string_equal(le_text(&l), "cœ");
    le_set(&l, "  x  ");
    char *t = le_trimmed(&l);
    assert_string_equal(t, "x");
    free(t);
    le_free(&l);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_space_asks_to_start_and_nothing_changes_before_the_commit),
        T(test_hotkey_in_a_single_dimension_chooses_then_moves_on),
        T(test_hotkeys_ignore_case_and_take_the_azerty_digit_row),
        T(test_an_unknown_hotkey_says_so_and_asks_nothing),
        T(test_multiple_choice_toggles_and_tab_moves_on),
        T(test_a_single_choice_replaces_the_previous_one),
        T(test_the_highlight_moves_over_visible_codes_and_equals_chooses),
        T(test_a_heading_is_never_offered_as_a_choice),
        T(test_other_specify_opens_a_line_and_keeps_it_open_until_valid),
        T(test_escape_leaves_the_line_without_recording),
        T(test_typing_on_a_text_dimension_starts_the_answer_and_validates_it),
        T(test_ending_with_a_required_dimension_empty_is_kept_incomplete),
        T(test_two_interactions_overlap_each_with_its_own_times),
        T(test_undo_asks_for_the_inverse_and_redo_for_the_change_again),
        T(test_undoing_a_replaced_choice_gives_back_the_first_one),
        T(test_undoing_an_end_reopens_and_redo_ends_at_the_first_time),
        T(test_a_failed_commit_leaves_the_state_as_it_was),
        T(test_tally_mode_records_whole_interactions_on_the_first_dimension),
        T(test_a_pause_stops_new_interactions_and_is_left_out_of_durations),
        T(test_the_history_opens_an_earlier_interaction_to_change_it),
        T(test_a_note_suggests_codes_and_tab_applies_one_keeping_the_line),
        T(test_a_field_note_is_timestamped_when_begun),
        T(test_field_notes_are_kept_in_the_order_begun_and_shown_from_the_history),
        T(test_quitting_with_open_interactions_asks_twice),
        T(test_the_key_map_leaves_letters_and_digits_to_the_codebook),
        T(test_a_new_codebook_version_is_for_new_interactions_only),
        T(test_an_interaction_read_back_keeps_its_answers),
        T(test_the_line_editor_keeps_utf8_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
