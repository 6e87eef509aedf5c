/*
 * coding_internal.h — what the files of the coding state machine share
 * (coding.c: the state and applying recorded changes; coding_flow.c: keys
 * to intended changes).  Nothing outside src/core/coding*.c includes it.
 */
#ifndef CARNET_CORE_CODING_INTERNAL_H
#define CARNET_CORE_CODING_INTERNAL_H

#include "core/coding.h"

/* Sets the status line. */
void cod_msg(cod_state *s, cod_msg_kind k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

cod_ix *cod_ix_at(cod_state *s, long i);
long cod_ix_index(const cod_state *s, const char *id);
const cod_book *cod_book_of(const cod_state *s, const cod_ix *x);

/* The first codable dimension of cb, the next one after d in direction
 * dir (+1 or -1, wrapping when wrap), the or -1. */
long cod_first_dim(const cb_codebook *cb);
long cod_step_dim(const cb_codebook *cb, size_t d, int dir, bool wrap);

/* Puts the highlight on the first chosen code of the panel, or the top. */
void cod_reset_highlight(cod_state *s);

/* The index of the most recent open interaction other than except (-1:
 * none). */
long cod_last_open(const cod_state *s, long except);

/* Fills c as choosing (on) or removing code ci of dimension d of x. */
void cod_fill_code(const cod_state *s, const cod_ix *x, size_t d, size_t ci, bool on, const char *text,
                   cod_change *c);

/* The text of the note being typed changed: its suggestions are to be
 * worked out again, by cod_suggest_refresh() (coding_flow.c). */
void cod_suggest(cod_state *s);

/* Closes the input line. */
void cod_close_input(cod_state *s);

#endif
