/*
 * st_codebook.c — codebook versions in the study.
 *
 * Each import or edit adds a version; nothing is ever updated in place, so
 * every interaction keeps the exact codebook it was coded with.  Code ids
 * are stable across versions, which is what lets statistics count a renamed
 * code as one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "store/st_codebook.h"
#include "store/store_internal.h"

/* Patterns are kept in one column, separated by the ASCII unit separator,
 * a byte no pattern typed by a person contains. */
#define PATTERN_SEP '\x1f'

static void split_patterns(cb_code *c, const char *s)
{
    while (s && *s) {
        const char *e = strchr(s, PATTERN_SEP);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char *p = xstrndup(s, n);
        cb_code_add_pattern(c, p, (cb_pos){0, 0});
        free(p);
        s = e ? e + 1 : NULL;
    }
}

/*
 * Refuses a new version that leaves out a dimension or a code that recorded
 * answers use: those answers would lose their meaning.  Retiring keeps them.
 * Deleted interactions count too, since they are kept for history.
 */
static st_code check_used_kept(st_db *db, const cb_codebook *cb, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "SELECT dimension_id, code_id, count(*) FROM interaction_code GROUP BY dimension_id, code_id "
                   "UNION ALL SELECT dimension_id, NULL, count(*) FROM interaction_text GROUP BY dimension_id "
                   "UNION ALL SELECT dimension_id, code_id, 0 FROM training_answer GROUP BY dimension_id, code_id",
                   e))
        return e->code;
    int rc;
    st_code r = ST_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *dim = (const char *)sqlite3_column_text(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        long long n = sqlite3_column_int64(st, 2);
        const cb_dimension *d = cb_find_dimension(cb, dim);
        if (!d) {
            r = st_set(e, ST_ERR_INVALID,
                       _("dimension '%s' is used by recorded answers and cannot be removed; retire it instead "
                         "(retired: true)"),
                       dim);
            break;
        }
        if (code && !cb_find_code(d, code)) {
            r = n ? st_set(e, ST_ERR_INVALID,
                           _("code '%s' of dimension '%s' is used by %lld interactions and cannot be removed; "
                             "retire it instead (retired: true)"),
                           code, dim, n)
                  : st_set(e, ST_ERR_INVALID,
                           _("code '%s' of dimension '%s' is used by training answers and cannot be removed; "
                             "retire it instead (retired: true)"),
                           code, dim);
            break;
        }
    }
    if (!r && rc != SQLITE_DONE)
        r = st_fail(db, e, _("checking the codes in use"));
    sqlite3_finalize(st);
    return r;
}

st_code st_codebook_add(st_db *db, const cb_codebook *cb, const char *source, char version_id[UUID_STRLEN],
                        st_error *e)
{
    return st_codebook_add_by(db, cb, source, NULL, version_id, e);
}

st_code st_codebook_add_by(st_db *db, const cb_codebook *cb, const char *source, const char *who,
                           char version_id[UUID_STRLEN], st_error *e)
{
    char ts[TS_LEN];
    ts_now(ts);
    uuid_new(version_id);
    sqlite3_stmt *v = NULL, *d = NULL, *c = NULL;
    bool own_tx = sqlite3_get_autocommit(db->db);
    if (own_tx && st_begin(db, e))
        return e->code;
    const char *ctx = _("saving the codebook");
    if (check_used_kept(db, cb, e))
        goto fail;
    if (st_prepare(db, &v,
                   "INSERT INTO codebook_version (id, codebook_id, version, title, language, description, source, "
                   "imported_at, seq, saved_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                   "(SELECT coalesce(max(seq), 0) + 1 FROM codebook_version), ?9)",
                   e) ||
        st_prepare(db, &d,
                   "INSERT INTO dimension (version_id, id, position, label, description, mode, required, retired, "
                   "validate, validate_message, color, guid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                   e) ||
        st_prepare(db, &c,
                   "INSERT INTO code (version_id, dimension_id, id, position, hotkey, label, definition, when_to_use, "
                   "when_not_to_use, example, other, validate, validate_message, parent, retired, patterns, color, "
                   "guid, codable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                   "?18, ?19)",
                   e))
        goto fail;
    st_bind_text(v, 1, version_id);
    st_bind_text(v, 2, cb->id);
    sqlite3_bind_int(v, 3, cb->version);
    st_bind_text(v, 4, cb->title);
    st_bind_text(v, 5, cb->language);
    st_bind_text(v, 6, cb->description);
    st_bind_text(v, 7, source ? source : "");
    st_bind_text(v, 8, ts);
    st_bind_text(v, 9, str_empty(who) ? NULL : who);
    if (st_step_done(db, v, ctx, e))
        goto fail;
    for (size_t i = 0; i < cb->ndims; i++) {
        const cb_dimension *dim = &cb->dims[i];
        st_bind_text(d, 1, version_id);
        st_bind_text(d, 2, dim->id);
        sqlite3_bind_int(d, 3, (int)i);
        st_bind_text(d, 4, dim->label);
        st_bind_text(d, 5, dim->description);
        st_bind_text(d, 6, cb_mode_name(dim->mode));
        sqlite3_bind_int(d, 7, dim->required);
        sqlite3_bind_int(d, 8, dim->retired);
        st_bind_text(d, 9, dim->validate);
        st_bind_text(d, 10, dim->validate_message);
        st_bind_text(d, 11, dim->color);
        st_bind_text(d, 12, dim->guid);
        if (st_step_done(db, d, ctx, e))
            goto fail;
        for (size_t j = 0; j < dim->ncodes; j++) {
            const cb_code *code = &dim->codes[j];
            char key[2] = {code->key, 0};
            char *pats = cb_join_patterns(code, PATTERN_SEP);
            st_bind_text(c, 1, version_id);
            st_bind_text(c, 2, dim->id);
            st_bind_text(c, 3, code->id);
            sqlite3_bind_int(c, 4, (int)j);
            st_bind_text(c, 5, code->key ? key : NULL);
            st_bind_text(c, 6, code->label);
            st_bind_text(c, 7, code->definition);
            st_bind_text(c, 8, code->when_to_use);
            st_bind_text(c, 9, code->when_not_to_use);
            st_bind_text(c, 10, code->example);
            sqlite3_bind_int(c, 11, code->other);
            st_bind_text(c, 12, code->validate);
            st_bind_text(c, 13, code->validate_message);
            st_bind_text(c, 14, code->parent);
            sqlite3_bind_int(c, 15, code->retired);
            st_bind_text(c, 16, pats);
            st_bind_text(c, 17, code->color);
            st_bind_text(c, 18, code->guid);
            sqlite3_bind_int(c, 19, !code->uncodable);
            free(pats);
            if (st_step_done(db, c, ctx, e))
                goto fail;
        }
    }
    sqlite3_finalize(v);
    sqlite3_finalize(d);
    sqlite3_finalize(c);
    if (own_tx && st_commit(db, e))
        return e->code;
    return ST_OK;
fail:
    sqlite3_finalize(v);
    sqlite3_finalize(d);
    sqlite3_finalize(c);
    if (own_tx)
        st_rollback(db);
    return e->code;
}

st_code st_codebook_load(st_db *db, const char *version_id, cb_codebook **out, char id_out[UUID_STRLEN],
                         st_error *e)
{
    *out = NULL;
    sqlite3_stmt *v = NULL, *d = NULL, *c = NULL;
    cb_codebook *cb = NULL;
    if (st_prepare(db, &v,
                   version_id ? "SELECT id, codebook_id, version, title, language, description FROM codebook_version "
                                "WHERE id = ?1"
                              : "SELECT id, codebook_id, version, title, language, description FROM codebook_version "
                                "ORDER BY seq DESC LIMIT 1",
                   e))
        return e->code;
    if (version_id)
        st_bind_text(v, 1, version_id);
    int rc = sqlite3_step(v);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(v);
        if (rc == SQLITE_DONE)
            return version_id ? st_set(e, ST_ERR_NOTFOUND, _("%s: no codebook version %s"), db->path, version_id)
                              : st_set(e, ST_ERR_NOTFOUND,
                                       _("%s: the study has no codebook; add one with 'carnet codebook import FILE'"),
                                       db->path);
        return st_fail(db, e, _("reading the codebook"));
    }
    char vid[UUID_STRLEN];
    st_col_copy(v, 0, vid, sizeof vid);
    cb = cb_new();
    cb->id = st_col_dup(v, 1);
    cb->version = sqlite3_column_int(v, 2);
    cb->title = st_col_dup(v, 3);
    cb->language = st_col_dup(v, 4);
    cb->description = st_col_dup(v, 5);
    sqlite3_finalize(v);

    if (st_prepare(db, &d,
                   "SELECT id, label, description, mode, required, retired, validate, validate_message, color, "
                   "guid FROM dimension WHERE version_id = ?1 ORDER BY position",
                   e) ||
        st_prepare(db, &c,
                   "SELECT id, hotkey, label, definition, when_to_use, when_not_to_use, example, other, validate, "
                   "validate_message, parent, retired, patterns, color, guid, codable "
                   "FROM code WHERE version_id = ?1 AND dimension_id = ?2 ORDER BY position",
                   e))
        goto fail;
    st_bind_text(d, 1, vid);
    while ((rc = sqlite3_step(d)) == SQLITE_ROW) {
        cb_dimension *dim = cb_add_dimension(cb);
        dim->id = st_col_dup(d, 0);
        dim->label = st_col_dup(d, 1);
        dim->description = st_col_dup(d, 2);
        cb_mode_parse((const char *)sqlite3_column_text(d, 3), &dim->mode);
        dim->required = sqlite3_column_int(d, 4);
        dim->retired = sqlite3_column_int(d, 5);
        dim->validate = st_col_dup(d, 6);
        dim->validate_message = st_col_dup(d, 7);
        dim->color = st_col_dup(d, 8);
        dim->guid = st_col_dup(d, 9);
        st_bind_text(c, 1, vid);
        st_bind_text(c, 2, dim->id);
        int rc2;
        while ((rc2 = sqlite3_step(c)) == SQLITE_ROW) {
            cb_code *code = cb_add_code(dim);
            code->id = st_col_dup(c, 0);
            const unsigned char *k = sqlite3_column_text(c, 1);
            code->key = k ? (char)k[0] : 0;
            code->label = st_col_dup(c, 2);
            code->definition = st_col_dup(c, 3);
            code->when_to_use = st_col_dup(c, 4);
            code->when_not_to_use = st_col_dup(c, 5);
            code->example = st_col_dup(c, 6);
            code->other = sqlite3_column_int(c, 7);
            code->validate = st_col_dup(c, 8);
            code->validate_message = st_col_dup(c, 9);
            code->parent = st_col_dup(c, 10);
            code->retired = sqlite3_column_int(c, 11);
            split_patterns(code, (const char *)sqlite3_column_text(c, 12));
            code->color = st_col_dup(c, 13);
            code->guid = st_col_dup(c, 14);
            code->uncodable = !sqlite3_column_int(c, 15);
        }
        sqlite3_reset(c);
        if (rc2 != SQLITE_DONE) {
            st_fail(db, e, _("reading the codebook"));
            goto fail;
        }
    }
    if (rc != SQLITE_DONE) {
        st_fail(db, e, _("reading the codebook"));
        goto fail;
    }
    sqlite3_finalize(d);
    sqlite3_finalize(c);
    if (id_out)
        snprintf(id_out, UUID_STRLEN, "%s", vid);
    *out = cb;
    return ST_OK;
fail:
    sqlite3_finalize(d);
    sqlite3_finalize(c);
    cb_free(cb);
    return e->code;
}

st_code st_codebook_versions(st_db *db, st_cb_version **out, size_t *n, st_error *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "SELECT id, codebook_id, version, title, imported_at, seq, saved_by FROM codebook_version "
                   "ORDER BY seq",
                   e))
        return e->code;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        st_cb_version *v = &(*out)[(*n)++];
        st_col_copy(st, 0, v->id, sizeof v->id);
        v->codebook_id = st_col_dup(st, 1);
        v->version = sqlite3_column_int(st, 2);
        v->title = st_col_dup(st, 3);
        v->imported_at = st_col_dup(st, 4);
        v->seq = sqlite3_column_int(st, 5);
        v->saved_by = st_col_dup(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        st_cb_versions_free(*out, *n);
        *out = NULL;
        *n = 0;
        return st_fail(db, e, _("listing codebook versions"));
    }
    return ST_OK;
}

void st_cb_versions_free(st_cb_version *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].codebook_id);
        free(v[i].title);
        free(v[i].imported_at);
        free(v[i].saved_by);
    }
    free(v);
}

st_code st_code_usage(st_db *db, const char *dim_id, const char *code_id, long long *n, st_error *e)
{
    *n = 0;
    sqlite3_stmt *st;
    const char *sql =
        code_id ? "SELECT (SELECT count(*) FROM interaction_code WHERE dimension_id = ?1 AND code_id = ?2) + "
                  "(SELECT count(*) FROM training_answer WHERE dimension_id = ?1 AND code_id = ?2)"
                : "SELECT (SELECT count(*) FROM interaction_code WHERE dimension_id = ?1) + "
                  "(SELECT count(*) FROM interaction_text WHERE dimension_id = ?1) + "
                  "(SELECT count(*) FROM training_answer WHERE dimension_id = ?1)";
    if (st_prepare(db, &st, sql, e))
        return e->code;
    st_bind_text(st, 1, dim_id);
    if (code_id)
        st_bind_text(st, 2, code_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("counting the uses of a code"));
    return ST_OK;
}

st_code st_id_history(st_db *db, const char *id, bool dimension, char **dim_id, char **label, st_error *e)
{
    *label = NULL;
    if (dim_id)
        *dim_id = NULL;
    sqlite3_stmt *st;
    const char *sql = dimension ? "SELECT d.id, d.label FROM dimension d JOIN codebook_version v ON v.id = d.version_id "
                                  "WHERE d.id = ?1 ORDER BY v.seq DESC LIMIT 1"
                                : "SELECT c.dimension_id, c.label FROM code c JOIN codebook_version v ON "
                                  "v.id = c.version_id WHERE c.id = ?1 ORDER BY v.seq DESC LIMIT 1";
    if (st_prepare(db, &st, sql, e))
        return e->code;
    st_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (dim_id)
            *dim_id = st_col_dup(st, 0);
        *label = st_col_dup(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_fail(db, e, _("reading the codebook's history"));
    return ST_OK;
}

st_code st_codebook_version_by_seq(st_db *db, int seq, char version_id[UUID_STRLEN], st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "SELECT id FROM codebook_version WHERE seq = ?1", e))
        return e->code;
    sqlite3_bind_int(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        st_col_copy(st, 0, version_id, UUID_STRLEN);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return st_set(e, ST_ERR_NOTFOUND, _("%s: no codebook version %d; 'carnet codebook versions' lists them"),
                      db->path, seq);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("reading the codebook versions"));
    return ST_OK;
}
