/*
 * coding.h — the live-coding flow as a state machine, in pure C.
 *
 * The coding screen is this state drawn, and keys fed to it.  The state
 * holds the codebooks in use, the interactions of the session (several may
 * be open at once, each with a number), which one is being coded and on
 * which dimension, the mode (normal, tally, history, and an input line over
 * any of them), whether the session is paused, and the undo/redo history.
 *
 * A key never changes recorded data by itself.  cod_key() turns it into an
 * *intended change* (start, choose a code, end, a note...) and leaves the
 * state as it was; the caller asks the store to commit that change, and
 * only when the store says it is on disk calls cod_commit(), which applies
 * it to the state, records its inverse for undo and says so on the status
 * line.  When the store fails, cod_fail() puts the store's reason on the
 * status line and changes nothing else: the screen never shows as recorded
 * what is not.  Undo and redo are changes like the others, committed the
 * same way, so the audit log records them.
 *
 * Keys that only move around (dimensions, the highlight, switching between
 * open interactions, opening an input line) change the state at once: they
 * record nothing.  Every key the state knows is listed in one table,
 * cod_keys[], which the help overlay and the user guide are printed from.
 *
 * Times come from the caller (`now`), so that the tests decide the clock;
 * they are written in the local time zone (core/timeutil.h).
 */
#ifndef CARNET_CORE_CODING_H
#define CARNET_CORE_CODING_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/cb_match.h"
#include "core/codebook.h"
#include "core/lineedit.h"
#include "core/timeutil.h"
#include "core/uuid.h"

/* ---- keys ----------------------------------------------------------------
 * A key is a Unicode code point (Ctrl-letters are control characters:
 * COD_CTRL('z') is 26), or one of the special keys below, numbered past
 * the end of Unicode so that no character can be taken for them.
 */
enum {
    COD_K_BASE = 0x110000,
    COD_K_UP,
    COD_K_DOWN,
    COD_K_LEFT,
    COD_K_RIGHT,
    COD_K_HOME,
    COD_K_END,
    COD_K_PGUP,
    COD_K_PGDN,
    COD_K_BTAB, /* Shift-Tab */
    COD_K_ENTER,
    COD_K_BACKSPACE,
    COD_K_DELETE,
    COD_K_INSERT,
    COD_K_ESC,
    COD_K_F1, /* F1 .. F12 follow */
    COD_K_LAST = COD_K_F1 + 11,
};
#define COD_K_F(n) (COD_K_F1 + (n) - 1)
#define COD_CTRL(c) ((c) & 0x1f)
#define COD_K_TAB '\t'

/* What a key asks for. */
typedef enum cod_action {
    COD_A_NONE = 0,
    COD_A_HOTKEY, /* letters and digits: the codes of the codebook */
    COD_A_START,
    COD_A_END,
    COD_A_NEXT_DIM,
    COD_A_PREV_DIM,
    COD_A_UP,
    COD_A_DOWN,
    COD_A_PGUP,
    COD_A_PGDN,
    COD_A_TOP,
    COD_A_BOTTOM,
    COD_A_CHOOSE, /* the highlighted code */
    COD_A_CLEAR,  /* the answer of the active dimension */
    COD_A_NOTE,
    COD_A_FIELD_NOTE,
    COD_A_NEXT_OPEN,
    COD_A_PREV_OPEN,
    COD_A_UNDO,
    COD_A_REDO,
    COD_A_TALLY,
    COD_A_PAUSE,
    COD_A_HISTORY,
    COD_A_HELP,
    COD_A_ENTRY, /* the codebook entry of the highlighted code */
    COD_A_CODEBOOK, /* the codebook editor, the session staying open */
    COD_A_QUIT,
    COD_A_REDRAW,
    COD_A_INTERRUPT, /* Ctrl-C: says how to quit rather than quitting */
    /* the history of the session */
    COD_A_OPEN,   /* open the selected interaction to change its codes */
    COD_A_DELETE, /* delete or restore it */
    COD_A_TIMES,  /* change its times */
    COD_A_NOTES,  /* the field notes of the session */
    COD_A_BACK,
    /* the input line */
    COD_A_SUBMIT,
    COD_A_CANCEL,
    COD_A_SUGGEST, /* apply the highlighted suggestion */
    COD_A_EDIT,    /* an editing key: cursor, deletion */
} cod_action;

/* Where a key applies (cod_keydef.where, a set of these). */
enum {
    COD_IN_MAIN = 1,    /* the coding screen (normal and tally modes) */
    COD_IN_HISTORY = 2, /* the history of the session */
    COD_IN_INPUT = 4,   /* typing a note, an answer, times */
    COD_IN_VIEW = 8,    /* the help, the codebook entry and the field notes */
};

/* One line of the key map. */
typedef struct cod_keydef {
    unsigned where;
    cod_action action;
    int keys[8];      /* 0-terminated */
    le_edit edit;     /* COD_A_EDIT: which editing key */
    const char *hint; /* short word for the bar of main keys (N_), or NULL */
    unsigned char rank; /* on that bar, the larger give way first when it is short */
    const char *help; /* what it does (N_) */
} cod_keydef;

/* The key map, in the order help shows it. */
extern const cod_keydef cod_keys[];
extern const size_t cod_nkeys;

/* The entry of cod_keys for key in that place, or NULL. */
const cod_keydef *cod_keydef_of(unsigned where, int key);

/* The name of a key as the help writes it ("Space", "Ctrl-Z", "F10", "<"),
 * translated; into buf. */
const char *cod_key_name(int key, char *buf, size_t n);

/* The names of all the keys of an entry joined by " ", into buf. */
const char *cod_keydef_names(const cod_keydef *k, char *buf, size_t n);

/* One line of the help: the keys (translated names) and what they do
 * (untranslated: pass it to _()). */
typedef struct cod_help_item {
    char keys[120];
    const char *help;
} cod_help_item;

/*
 * The lines of the help for one place (COD_IN_MAIN...): each entry of
 * cod_keys that applies there, those of that place alone first, an entry
 * without help text joining its keys to the line before.  Returns how
 * many, writing at most max.
 */
size_t cod_help_items(unsigned place, cod_help_item *out, size_t max);
/* The heading of a place in the help (N_). */
const char *cod_place_title(unsigned place);
/* What the help says after the keys (N_). */
extern const char cod_help_footer[];

/*
 * The letter or digit a key stands for as a hotkey, lower-case, or 0 when
 * it is none.  On a French AZERTY keyboard the digits are shifted: the
 * unshifted characters of that row (& é " ' ( - è _ ç à) count as 1 to 0,
 * and no command uses them.
 */
int cod_hotkey_of(int key);

/* ---- changes -------------------------------------------------------------- */

typedef enum cod_kind {
    COD_NONE = 0,
    COD_START,      /* a new interaction, at `at` */
    COD_TALLY,      /* a complete interaction with one code, at `at` */
    COD_CODE,       /* choose (on) or remove a code */
    COD_TEXT,       /* the answer to a free-text dimension (text NULL: none) */
    COD_NOTE,       /* the note of an interaction (text NULL: none) */
    COD_END,        /* end at `at` */
    COD_REOPEN,     /* open again */
    COD_TIMES,      /* start `at`, end `until` ("" : open) */
    COD_DELETE,
    COD_RESTORE,
    COD_PAUSE,      /* the session, at `at` */
    COD_RESUME,
    COD_FIELD_NOTE, /* a timestamped note on the session */
} cod_kind;

/* Why a change was asked for. */
typedef enum cod_origin {
    COD_FROM_KEY = 0,
    COD_FROM_UNDO,
    COD_FROM_REDO,
} cod_origin;

/*
 * An intended change.  Strings that the change owns (text) are freed by
 * cod_change_free(); dim_id and code_id point into a codebook the state
 * owns and stay valid while the state lives.
 */
typedef struct cod_change {
    cod_kind kind;
    char ix[UUID_STRLEN]; /* the interaction; "" for START, TALLY and session changes */
    size_t dim, code;     /* CODE, TEXT, TALLY: indexes into the interaction's codebook */
    const char *dim_id, *code_id;
    bool on;             /* CODE */
    char *text;          /* CODE: "other, specify" text; TEXT, NOTE, FIELD_NOTE */
    char at[TS_LEN];     /* START, TALLY, END, PAUSE, RESUME, FIELD_NOTE; TIMES: the start */
    char until[TS_LEN];  /* TIMES: the end, "" for none */
    cod_origin origin;
    bool advance;     /* once recorded, move to the next dimension */
    bool close_input; /* once recorded, close the input line */
} cod_change;

void cod_change_free(cod_change *c);
/* A deep copy of src into dst. */
void cod_change_copy(cod_change *dst, const cod_change *src);

/* What the store tells back once a change is committed. */
typedef struct cod_result {
    char id[UUID_STRLEN];     /* START, TALLY: the new interaction's id */
    bool incomplete;          /* the interaction's flags as the store derived them */
    long long paused_seconds;
} cod_result;

/* ---- the state ------------------------------------------------------------ */

/* A codebook version in use, with its compiled patterns. */
typedef struct cod_book {
    char version_id[UUID_STRLEN];
    cb_codebook *cb; /* owned */
    cb_matcher *m;   /* owned */
} cod_book;

/* The answer of an interaction to one dimension. */
typedef struct cod_answer {
    bool *on;     /* one per code of the dimension */
    char **other; /* one per code: its "other, specify" text, or NULL */
    char *text;   /* free-text dimensions: the answer, or NULL */
} cod_answer;

typedef struct cod_ix {
    char id[UUID_STRLEN];
    int num;     /* its number on the screen: 1, 2, ... */
    size_t book; /* index into the state's books: the version it is coded with */
    char started_at[TS_LEN];
    char ended_at[TS_LEN]; /* "" while open */
    bool tally, deleted;
    bool adopted;          /* left open by an earlier session, taken up here */
    bool incomplete;       /* as the store derived it */
    long long paused_seconds;
    char *note;
    cod_answer *ans; /* one per dimension of its codebook */
    size_t dim;      /* the dimension being coded */
} cod_ix;

/* What the screen shows: the coding screen or the history of the session
 * (an input line may be open over either). */
typedef enum cod_view {
    COD_VIEW_MAIN = 0,
    COD_VIEW_HISTORY,
} cod_view;

typedef enum cod_input_kind {
    COD_IN_OTHER,      /* "other, specify" answer of a code */
    COD_IN_TEXT,       /* answer to a free-text dimension */
    COD_IN_NOTE,       /* note of an interaction */
    COD_IN_FIELD_NOTE, /* field note of the session */
    COD_IN_TIMES,      /* start and end of an interaction */
} cod_input_kind;

#define COD_MAX_SUGGEST 6

typedef struct cod_input {
    bool open;
    cod_input_kind kind;
    le_line line;
    size_t ix;        /* the interaction (not for field notes) */
    size_t dim, code; /* OTHER, TEXT */
    char at[TS_LEN];  /* FIELD_NOTE: when it was begun */
    cb_suggestion sugg[COD_MAX_SUGGEST]; /* NOTE: codes its text suggests */
    size_t nsugg, sugg_sel;
    bool sugg_stale; /* the text changed since sugg was worked out */
} cod_input;

typedef struct cod_pause {
    time_t start, end; /* end 0 while paused */
} cod_pause;

typedef enum cod_msg_kind {
    COD_MSG_INFO = 0,
    COD_MSG_OK,   /* something was recorded */
    COD_MSG_WARN, /* refused, not recorded */
} cod_msg_kind;

typedef struct cod_undo {
    cod_change redo, undo;
} cod_undo;

/* A field note of the session, as recorded. */
typedef struct cod_field_note {
    char at[TS_LEN]; /* when it was begun */
    char *text;      /* owned */
} cod_field_note;

typedef struct cod_state {
    cod_book *books;
    size_t nbooks, cur_book; /* cur_book: the version new interactions take */
    cod_ix *ixs;             /* in order of their numbers */
    size_t nixs, cap;
    long active;             /* index into ixs, -1 when none */
    size_t hl;               /* highlighted code of the code panel */
    size_t page;             /* rows of the code panel and history, for PgUp/PgDn */
    cod_view view;
    bool tally;              /* tally mode (on the coding screen) */
    bool paused;
    cod_input in;
    time_t session_start;
    cod_pause *pauses;
    size_t npauses;
    cod_undo *undo, *redo; /* stacks, the last done at the end */
    size_t nundo, nredo;
    size_t hist_sel;       /* selected row of the history */
    cod_field_note *notes; /* the session's field notes, in time order */
    size_t field_notes;    /* how many */
    int next_num;
    bool quit_armed;
    cod_msg_kind msg_kind;
    char msg[600];
} cod_state;

/* A new state for a session that started at session_start.  Caller frees
 * with cod_free().  Never NULL. */
cod_state *cod_new(time_t session_start);
void cod_free(cod_state *s);

/*
 * Adds a codebook version (the state takes cb and frees it) and returns its
 * index; when current, new interactions take it from now on (an
 * interaction keeps the version it was started with).  Adding a version
 * already there frees cb and returns the index of the one held.
 */
size_t cod_add_book(cod_state *s, const char *version_id, cb_codebook *cb, bool current);
/* The index of a version held, or -1. */
long cod_find_book(const cod_state *s, const char *version_id);

/* An interaction as read from the study. */
typedef struct cod_ix_load {
    const char *id, *started_at, *ended_at; /* ended_at NULL or "" while open */
    const char *note;
    bool tally, deleted, incomplete;
    bool adopted; /* left open by an earlier session */
    long long paused_seconds;
} cod_ix_load;

/*
 * Adds an interaction read from the study (one left open by an earlier
 * session, for instance) under codebook version book, and numbers it.  Its
 * answers are then given with cod_load_code() and cod_load_text(), which
 * ignore dimensions or codes the version does not have.  Returns its index.
 */
size_t cod_load_ix(cod_state *s, size_t book, const cod_ix_load *in);
void cod_load_code(cod_state *s, size_t ix, const char *dim_id, const char *code_id, const char *other);
void cod_load_text(cod_state *s, size_t ix, const char *dim_id, const char *text);
/* Once its answers are given: the dimension to code next is the first one
 * left empty. */
void cod_load_done(cod_state *s, size_t ix);

/* The number of rows the screen shows of the code panel and the history,
 * so that PgUp and PgDn move by a page. */
void cod_set_page(cod_state *s, size_t rows);

/* What a key asks of the screen beyond a change. */
typedef enum cod_request {
    COD_REQ_NONE = 0,
    COD_REQ_HELP,
    COD_REQ_ENTRY, /* show the entry of cod_entry_code() */
    COD_REQ_CODEBOOK, /* open the codebook editor; then cod_add_book() any version saved */
    COD_REQ_NOTES,    /* show the field notes of the session (s->notes) */
    COD_REQ_QUIT,  /* everything is recorded: close the session */
    COD_REQ_REDRAW,
} cod_request;

/*
 * Handles one key at time now.  When the key asks for a change, *out holds
 * it (out->kind != COD_NONE) and the state is left exactly as it was, to be
 * applied by cod_commit() once the store has recorded it.  Otherwise the
 * state may have moved (dimension, highlight, mode, input line, message)
 * and out->kind is COD_NONE.  *out must be freed with cod_change_free().
 */
cod_request cod_key(cod_state *s, int key, time_t now, cod_change *out);

/* Applies a change the store has recorded; r says what it derived. */
void cod_commit(cod_state *s, const cod_change *c, const cod_result *r);

/* A change the store refused: why goes to the status line, nothing else
 * changes (an input line stays open with its text). */
void cod_fail(cod_state *s, const cod_change *c, const char *why);

/* ---- what the screen reads -------------------------------------------------- */

/* The interaction being coded, or NULL. */
const cod_ix *cod_active(const cod_state *s);
/* The codebook of an interaction. */
const cb_codebook *cod_cb_of(const cod_state *s, const cod_ix *x);
/* The codebook of new interactions. */
const cb_codebook *cod_current_cb(const cod_state *s);

/* Whether dimension d can be coded (not retired). */
bool cod_dim_active(const cb_dimension *d);
/* The dimension tally mode codes: the first active one taking codes, or
 * -1. */
long cod_tally_dim(const cb_codebook *cb);
/* The dimension the code panel shows (the active interaction's, or the
 * first one in tally mode), or NULL; *cb_out is its codebook. */
const cb_dimension *cod_panel_dim(const cod_state *s, const cb_codebook **cb_out);
/* The code under the highlight, or NULL. */
const cb_code *cod_entry_code(const cod_state *s, const cb_dimension **dim_out);
/* The codes of d offered as choices, in order: neither retired nor headings
 * (codable: false, which only group the codes under them).  Writes the
 * index of the i-th one into idx[i] (at most max); returns how many. */
size_t cod_visible_codes(const cb_dimension *d, size_t *idx, size_t max);

/* Whether x has no answer on dimension d. */
bool cod_dim_empty(const cod_state *s, const cod_ix *x, size_t d);
/* Whether x leaves a required dimension empty (the store's rule). */
bool cod_missing_required(const cod_state *s, const cod_ix *x);

/* Seconds the session has run, pauses left out. */
long long cod_session_seconds(const cod_state *s, time_t now);
/* Seconds of pause of the session between a and b. */
long long cod_paused_between(const cod_state *s, time_t a, time_t b);
/* Seconds an interaction has lasted (to now while open), pauses left out;
 * -1 for a tally (duration unknown). */
long long cod_ix_seconds(const cod_state *s, const cod_ix *x, time_t now);
/* The interactions of this session, deleted ones left out. */
size_t cod_count(const cod_state *s);
/* The open interactions (not ended, not deleted), by index, in order. */
size_t cod_open_list(const cod_state *s, size_t *idx, size_t max);

/*
 * Works out the codes the note being typed suggests (in.sugg, in.nsugg),
 * those already chosen left out, if its text changed since.  Typing only
 * marks them out of date, so that a note pasted whole (a key per
 * character) is matched once, when the screen is drawn, rather than once
 * per character: the screen calls this before it draws the input line.
 */
void cod_suggest_refresh(cod_state *s);

/* The prompt of the input line ("Note on #12"), translated, into buf. */
const char *cod_input_prompt(const cod_state *s, char *buf, size_t n);

/* "09:05:12", the clock part of a timestamp, into buf. */
const char *cod_clock(const char *ts, char *buf, size_t n);

/* "1:02:03" or "4:05" for a number of seconds, into buf. */
const char *cod_fmt_duration(long long secs, char *buf, size_t n);

#endif
