/*
 * st_merge.c — merging study files (st_merge.h, doc/merge.md).
 *
 * Each source is a private copy, migrated and ATTACHed as "srcN"; every
 * row is then moved with INSERT ... SELECT statements between schemas, in
 * one transaction on the study.  Schema names are built here from a
 * counter, never from input, so the SQL text is a constant of the program
 * save for that name; every value is bound.
 *
 * Sites and observers are matched by name (each laptop made its own UUID
 * for "CDAS Rennes Nord"), codebook versions by id, then by content;
 * everything else by id.  The ids of the source are mapped to the study's
 * through three temporary tables (merge_site, merge_observer,
 * merge_version).
 */
#include "store/st_merge.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "store/st_purge.h"
#include "store/store_internal.h"

#define DIM_COLS "id, position, label, description, mode, required, retired, validate, validate_message, guid, color"
#define CODE_COLS                                                                                                      \
    "dimension_id, id, position, hotkey, label, definition, when_to_use, when_not_to_use, example, other, validate, " \
    "validate_message, parent, retired, patterns, color, guid"
#define INTERACTION_COLS                                                                                               \
    "started_at, ended_at, incomplete, tally, deleted, paused_seconds, note, updated_at"

const char *st_merge_table_name(st_merge_table t)
{
    switch (t) {
    case SM_CODEBOOK:
        return _("codebook versions");
    case SM_SITE:
        return _("sites");
    case SM_OBSERVER:
        return _("observers");
    case SM_SESSION:
        return _("sessions");
    case SM_PAUSE:
        return _("pauses");
    case SM_NOTE:
        return _("session notes");
    case SM_INTERACTION:
        return _("interactions");
    case SM_AUDIT:
        return _("audit rows");
    case SM_TRAINING:
        return _("training runs");
    case SM_NTABLES:
        break;
    }
    return "";
}

void st_merge_report_free(st_merge_report *r)
{
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].path);
        free(r->files[i].study);
    }
    for (size_t i = 0; i < r->nconflicts; i++) {
        st_merge_conflict *c = &r->conflicts[i];
        free(c->file);
        free(c->ours_at);
        free(c->ours_who);
        free(c->theirs_at);
        free(c->theirs_who);
    }
    for (size_t i = 0; i < r->nclashes; i++) {
        free(r->clashes[i].file);
        free(r->clashes[i].what);
    }
    free(r->files);
    free(r->conflicts);
    free(r->clashes);
    memset(r, 0, sizeof *r);
}

/* ---- SQL helpers ------------------------------------------------------- */

/* sql with every "@S" replaced by the schema name.  Caller frees. */
static char *tmpl(const char *sql, const char *schema)
{
    strbuf b = {0};
    for (const char *p = sql; *p;) {
        const char *at = strstr(p, "@S");
        if (!at) {
            sb_add(&b, p);
            break;
        }
        sb_addn(&b, p, (size_t)(at - p));
        sb_add(&b, schema);
        p = at + 2;
    }
    return sb_take(&b);
}

static st_code prep(st_db *db, sqlite3_stmt **st, const char *sql, const char *schema, st_error *e)
{
    char *q = tmpl(sql, schema);
    st_code c = st_prepare(db, st, q, e);
    free(q);
    return c;
}

/* Runs a statement that returns no rows, with up to two text parameters;
 * *changes (when not NULL) receives the rows it changed. */
static st_code run(st_db *db, const char *sql, const char *schema, const char *p1, const char *p2, long *changes,
                   st_error *e)
{
    sqlite3_stmt *st;
    if (prep(db, &st, sql, schema, e))
        return e->code;
    if (p1)
        st_bind_text(st, 1, p1);
    if (p2)
        st_bind_text(st, 2, p2);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("merging"));
    if (changes)
        *changes = sqlite3_changes(db->db);
    return ST_OK;
}

/* The first column of the first row as an integer (0 when no row). */
static st_code count_of(st_db *db, const char *sql, const char *schema, const char *p1, long *out, st_error *e)
{
    sqlite3_stmt *st;
    if (prep(db, &st, sql, schema, e))
        return e->code;
    if (p1)
        st_bind_text(st, 1, p1);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_fail(db, e, _("merging"));
    return ST_OK;
}


/* ---- the copy of a source ---------------------------------------------- */

static st_code copy_bytes(const char *from, const char *to, st_error *e)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return st_set(e, errno == ENOENT ? ST_ERR_NOENT : ST_ERR_OPEN, _("%s: cannot read: %s"), from,
                      strerror(errno));
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        int err = errno;
        close(in);
        return st_set(e, err == ENOSPC ? ST_ERR_FULL : ST_ERR_OPEN, _("%s: cannot copy the source: %s"), to,
                      strerror(err));
    }
    char buf[65536];
    st_code c = ST_OK;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            c = st_set(e, ST_ERR_OPEN, _("%s: cannot read: %s"), from, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n && !c;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                c = st_set(e, errno == ENOSPC ? ST_ERR_FULL : ST_ERR_OPEN, _("%s: cannot copy the source: %s"), to,
                           strerror(errno));
            else
                off += w;
        }
        if (c)
            break;
    }
    close(in);
    if (close(out) != 0 && !c)
        c = st_set(e, ST_ERR_OPEN, _("%s: cannot copy the source: %s"), to, strerror(errno));
    return c;
}

/* Messages about the copy should name the file the user gave. */
static void rename_in_message(st_error *e, const char *copy, const char *orig)
{
    char *at = strstr(e->msg, copy);
    if (!at)
        return;
    char *rest = xstrdup(at + strlen(copy));
    *at = '\0';
    char *head = xstrdup(e->msg);
    snprintf(e->msg, sizeof e->msg, "%s%s%s", head, orig, rest);
    free(head);
    free(rest);
}

static int raw_user_version(const char *path)
{
    sqlite3 *s;
    int v = -1;
    if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(s);
    return v;
}

/*
 * Copies file (and its -wal, which may hold its last commits) to copy,
 * then opens the copy with the store, which refuses what is not a study
 * or is newer, and migrates an older one.
 */
static st_code prepare_copy(st_db *db, const char *file, const char *copy, st_merge_file *info, st_error *e)
{
    struct stat a, b;
    if (stat(file, &a) != 0)
        return st_set(e, errno == ENOENT ? ST_ERR_NOENT : ST_ERR_OPEN, _("%s: cannot read: %s"), file,
                      strerror(errno));
    if (!S_ISREG(a.st_mode))
        return st_set(e, ST_ERR_NOTSTUDY, _("%s: not a carnet study (not a regular file)"), file);
    if (stat(db->path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return st_set(e, ST_ERR_INVALID, _("%s is the study itself: nothing to merge"), file);
    if (copy_bytes(file, copy, e))
        return e->code;
    char *wal = xasprintf("%s-wal", file), *copy_wal = xasprintf("%s-wal", copy);
    st_code c = access(wal, F_OK) == 0 ? copy_bytes(wal, copy_wal, e) : ST_OK;
    free(wal);
    free(copy_wal);
    if (c)
        return c;
    info->schema = raw_user_version(copy);
    st_db *src;
    if (st_open(copy, ST_WRITE, &src, e)) {
        rename_in_message(e, copy, file);
        return e->code;
    }
    st_study s;
    if (st_study_get(src, &s, e) == ST_OK) {
        info->study = xstrdup(s.name);
        st_study_free(&s);
    }
    st_close(src);
    if (!info->study) {
        rename_in_message(e, copy, file);
        return e->code;
    }
    return ST_OK;
}

/* ---- codebook versions -------------------------------------------------- */

/* Same codebook content: version fields, dimensions and codes, ids and
 * seq and the archived source text aside. */
static st_code same_version(st_db *db, const char *S, const char *src_id, const char *main_id, bool *same,
                            st_error *e)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM (SELECT codebook_id, version, title, language, description "
        "         FROM @S.codebook_version WHERE id = ?1 EXCEPT SELECT codebook_id, version, title, language, "
        "         description FROM main.codebook_version WHERE id = ?2))"
        " + (SELECT count(*) FROM (SELECT " DIM_COLS " FROM @S.dimension WHERE version_id = ?1 "
        "    EXCEPT SELECT " DIM_COLS " FROM main.dimension WHERE version_id = ?2))"
        " + (SELECT count(*) FROM (SELECT " DIM_COLS " FROM main.dimension WHERE version_id = ?2 "
        "    EXCEPT SELECT " DIM_COLS " FROM @S.dimension WHERE version_id = ?1))"
        " + (SELECT count(*) FROM (SELECT " CODE_COLS " FROM @S.code WHERE version_id = ?1 "
        "    EXCEPT SELECT " CODE_COLS " FROM main.code WHERE version_id = ?2))"
        " + (SELECT count(*) FROM (SELECT " CODE_COLS " FROM main.code WHERE version_id = ?2 "
        "    EXCEPT SELECT " CODE_COLS " FROM @S.code WHERE version_id = ?1))";
    sqlite3_stmt *st;
    if (prep(db, &st, sql, S, e))
        return e->code;
    st_bind_text(st, 1, src_id);
    st_bind_text(st, 2, main_id);
    int rc = sqlite3_step(st);
    *same = rc == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("comparing codebook versions"));
    return ST_OK;
}

static void add_clash(st_merge_report *r, const char *file, char *what)
{
    r->clashes = xrealloc(r->clashes, (r->nclashes + 1) * sizeof *r->clashes);
    r->clashes[r->nclashes].file = xstrdup(file);
    r->clashes[r->nclashes].what = what;
    r->nclashes++;
}


/*
 * The clashes a new version of the source would bring: a code id in
 * another dimension than in any study version of the same codebook, or,
 * in a study version of the same codebook and number, a code with another
 * label or definition, or a dimension with another mode.
 */
static st_code find_clashes(st_db *db, const char *S, const char *file, const char *vid, const char *cbid, int ver,
                            st_merge_report *r, st_error *e)
{
    static const char codes[] =
        "SELECT c.id, c.dimension_id, c.label, m.dimension_id, m.label, mv.version, "
        "  m.dimension_id <> c.dimension_id "
        "FROM @S.code c JOIN main.codebook_version mv ON mv.codebook_id = ?2 "
        "JOIN main.code m ON m.version_id = mv.id AND m.id = c.id "
        "WHERE c.version_id = ?1 AND (m.dimension_id <> c.dimension_id OR (mv.version = ?3 AND "
        "  (m.label IS NOT c.label OR m.definition IS NOT c.definition))) "
        "GROUP BY c.id ORDER BY c.dimension_id, c.id";
    static const char dims[] =
        "SELECT d.id, d.mode, m.mode FROM @S.dimension d "
        "JOIN main.codebook_version mv ON mv.codebook_id = ?2 AND mv.version = ?3 "
        "JOIN main.dimension m ON m.version_id = mv.id AND m.id = d.id "
        "WHERE d.version_id = ?1 AND m.mode <> d.mode GROUP BY d.id ORDER BY d.id";
    sqlite3_stmt *st;
    for (int pass = 0; pass < 2; pass++) {
        if (prep(db, &st, pass ? dims : codes, S, e))
            return e->code;
        st_bind_text(st, 1, vid);
        st_bind_text(st, 2, cbid);
        sqlite3_bind_int(st, 3, ver);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            char *what;
            if (pass)
                what = xasprintf(_("codebook %s version %d: dimension '%s' has mode %s there but %s in "
                                   "this study"),
                                 cbid, ver, st_col_text(st, 0), st_col_text(st, 1), st_col_text(st, 2));
            else if (sqlite3_column_int(st, 6))
                what = xasprintf(_("codebook %s: code '%s' belongs to dimension '%s' there but to dimension '%s' "
                                   "in this study (version %d)"),
                                 cbid, st_col_text(st, 0), st_col_text(st, 1), st_col_text(st, 3),
                                 sqlite3_column_int(st, 5));
            else if (strcmp(st_col_text(st, 2), st_col_text(st, 4)))
                what = xasprintf(_("codebook %s version %d: code '%s' is labelled \"%s\" there but \"%s\" in this "
                                   "study"),
                                 cbid, ver, st_col_text(st, 0), st_col_text(st, 2), st_col_text(st, 4));
            else
                what = xasprintf(_("codebook %s version %d: code '%s' (\"%s\") has another definition there than "
                                   "in this study"),
                                 cbid, ver, st_col_text(st, 0), st_col_text(st, 2));
            add_clash(r, file, what);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return st_fail(db, e, _("comparing codebook versions"));
    }
    return ST_OK;
}

static st_code map_version(st_db *db, const char *src, const char *dst, st_error *e)
{
    return run(db, "INSERT INTO temp.merge_version (src, dst) VALUES (?1, ?2)", "", src, dst, NULL, e);
}

static st_code insert_version(st_db *db, const char *S, const char *vid, st_error *e)
{
    static const char *const sql[] = {
        "INSERT INTO main.codebook_version (id, codebook_id, version, title, language, description, source, "
        "imported_at, seq) SELECT id, codebook_id, version, title, language, description, source, imported_at, "
        "(SELECT coalesce(max(seq), 0) + 1 FROM main.codebook_version) FROM @S.codebook_version WHERE id = ?1",
        "INSERT INTO main.dimension (version_id, " DIM_COLS ") SELECT version_id, " DIM_COLS
        " FROM @S.dimension WHERE version_id = ?1",
        "INSERT INTO main.code (version_id, " CODE_COLS ") SELECT version_id, " CODE_COLS
        " FROM @S.code WHERE version_id = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (run(db, sql[i], S, vid, NULL, NULL, e))
            return e->code;
    return ST_OK;
}

static st_code merge_codebooks(st_db *db, const char *S, const char *file, st_merge_report *r, st_error *e)
{
    sqlite3_stmt *st, *cand = NULL;
    if (prep(db, &st, "SELECT id, codebook_id, version FROM @S.codebook_version ORDER BY seq", S, e))
        return e->code;
    st_code c = prep(db, &cand, "SELECT id FROM main.codebook_version WHERE codebook_id = ?1 AND version = ?2 "
                                "ORDER BY (id = ?3) DESC, seq", "", e);
    st_merge_count *n = &r->count[SM_CODEBOOK];
    int rc = SQLITE_DONE;
    while (!c && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char vid[UUID_STRLEN];
        snprintf(vid, sizeof vid, "%s", st_col_text(st, 0));
        char *cbid = xstrdup(st_col_text(st, 1));
        int ver = sqlite3_column_int(st, 2);
        /* The same id first (a version both files got from a common
         * ancestor), then another id with the same content. */
        st_bind_text(cand, 1, cbid);
        sqlite3_bind_int(cand, 2, ver);
        st_bind_text(cand, 3, vid);
        char found[UUID_STRLEN] = "";
        int rc2;
        while (!c && !*found && (rc2 = sqlite3_step(cand)) == SQLITE_ROW) {
            bool same;
            if (!(c = same_version(db, S, vid, st_col_text(cand, 0), &same, e)) && same)
                snprintf(found, sizeof found, "%s", st_col_text(cand, 0));
        }
        sqlite3_reset(cand);
        long exists = 0;
        if (!c && !*found)
            c = count_of(db, "SELECT count(*) FROM main.codebook_version WHERE id = ?1", "", vid, &exists, e);
        if (!c && *found) {
            c = map_version(db, vid, found, e);
            n->skipped++;
        } else if (!c && exists) {
            add_clash(r, file,
                      xasprintf(_("codebook version %s (%s version %d) has other contents there than in this "
                                  "study"),
                                vid, cbid, ver));
            c = map_version(db, vid, vid, e);
        } else if (!c) {
            if (!(c = find_clashes(db, S, file, vid, cbid, ver, r, e)) && !(c = insert_version(db, S, vid, e)))
                c = map_version(db, vid, vid, e);
            n->added++;
        }
        free(cbid);
    }
    if (!c && rc != SQLITE_DONE)
        c = st_fail(db, e, _("reading codebook versions"));
    sqlite3_finalize(st);
    sqlite3_finalize(cand);
    return c;
}

/* After a merge the current codebook version is the highest version
 * number of the codebook that was current, the one current before the
 * merge winning a tie. */
static st_code keep_current(st_db *db, const char *before, st_error *e)
{
    if (!*before)
        return ST_OK;
    static const char sql[] =
        "UPDATE main.codebook_version SET seq = (SELECT max(seq) + 1 FROM main.codebook_version) "
        "WHERE id = (SELECT id FROM main.codebook_version WHERE codebook_id = "
        "            (SELECT codebook_id FROM main.codebook_version WHERE id = ?1) "
        "            ORDER BY version DESC, (id = ?1) DESC, imported_at DESC, id DESC LIMIT 1) "
        "AND seq < (SELECT max(seq) FROM main.codebook_version)";
    return run(db, sql, "", before, NULL, NULL, e);
}

/* ---- sites and observers ------------------------------------------------ */

static st_code merge_named(st_db *db, const char *S, const char *table, st_merge_count *n, st_error *e)
{
    /* Table names are this file's constants ("site", "observer"). */
    char *list = xasprintf("SELECT id, name, created_at FROM @S.%s ORDER BY created_at, id", table);
    char *by_name = xasprintf("SELECT id FROM main.%s WHERE name = ?1", table);
    char *by_id = xasprintf("SELECT count(*) FROM main.%s WHERE id = ?1", table);
    char *ins = xasprintf("INSERT INTO main.%s (id, name, created_at) VALUES (?1, ?2, ?3)", table);
    char *map = xasprintf("INSERT INTO temp.merge_%s (src, dst) VALUES (?1, ?2)", table);
    sqlite3_stmt *st = NULL, *q = NULL, *add = NULL;
    st_code c = prep(db, &st, list, S, e);
    if (!c)
        c = prep(db, &q, by_name, "", e);
    if (!c)
        c = prep(db, &add, ins, "", e);
    int rc = SQLITE_DONE;
    while (!c && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sid = st_col_text(st, 0);
        char dst[UUID_STRLEN] = "";
        st_bind_text(q, 1, st_col_text(st, 1));
        if (sqlite3_step(q) == SQLITE_ROW)
            snprintf(dst, sizeof dst, "%s", st_col_text(q, 0));
        sqlite3_reset(q);
        if (*dst) {
            n->skipped++;
        } else {
            /* Keep the source's id unless the study uses it for another
             * name (a site renamed on one side). */
            long taken = 0;
            c = count_of(db, by_id, "", sid, &taken, e);
            if (taken)
                uuid_new(dst);
            else
                snprintf(dst, sizeof dst, "%s", sid);
            st_bind_text(add, 1, dst);
            st_bind_text(add, 2, st_col_text(st, 1));
            st_bind_text(add, 3, st_col_text(st, 2));
            if (!c && sqlite3_step(add) != SQLITE_DONE)
                c = st_fail(db, e, _("merging"));
            sqlite3_reset(add);
            n->added++;
        }
        if (!c)
            c = run(db, map, "", sid, dst, NULL, e);
    }
    if (!c && rc != SQLITE_DONE)
        c = st_fail(db, e, _("merging"));
    sqlite3_finalize(st);
    sqlite3_finalize(q);
    sqlite3_finalize(add);
    free(list);
    free(by_name);
    free(by_id);
    free(ins);
    free(map);
    return c;
}

/* ---- sessions, pauses, notes ------------------------------------------- */

/* Inserts the source rows missing from the study, then fills ended_at
 * where the study still has none: a session or pause closed after an
 * earlier merge. */
static st_code merge_timed(st_db *db, const char *S, const char *insert, const char *update, const char *total,
                           st_merge_count *n, st_error *e)
{
    long added = 0, updated = 0, all = 0;
    if (run(db, insert, S, NULL, NULL, &added, e) || (update && run(db, update, S, NULL, NULL, &updated, e)) ||
        count_of(db, total, S, NULL, &all, e))
        return e->code;
    n->added += added;
    n->updated += updated;
    n->skipped += all - added - updated;
    return ST_OK;
}

static st_code merge_sessions(st_db *db, const char *S, st_merge_report *r, st_error *e)
{
    if (merge_timed(db, S,
                    "INSERT INTO main.session (id, site_id, observer_id, codebook_version_id, started_at, ended_at) "
                    "SELECT s.id, ms.dst, mo.dst, mv.dst, s.started_at, s.ended_at FROM @S.session s "
                    "JOIN temp.merge_site ms ON ms.src = s.site_id "
                    "JOIN temp.merge_observer mo ON mo.src = s.observer_id "
                    "JOIN temp.merge_version mv ON mv.src = s.codebook_version_id "
                    "WHERE NOT EXISTS (SELECT 1 FROM main.session m WHERE m.id = s.id)",
                    "UPDATE main.session SET ended_at = s.ended_at FROM @S.session s "
                    "WHERE s.id = session.id AND session.ended_at IS NULL AND s.ended_at IS NOT NULL",
                    "SELECT count(*) FROM @S.session", &r->count[SM_SESSION], e) ||
        merge_timed(db, S,
                    "INSERT INTO main.pause (id, session_id, started_at, ended_at) "
                    "SELECT p.id, p.session_id, p.started_at, p.ended_at FROM @S.pause p "
                    "WHERE NOT EXISTS (SELECT 1 FROM main.pause m WHERE m.id = p.id)",
                    "UPDATE main.pause SET ended_at = p.ended_at FROM @S.pause p "
                    "WHERE p.id = pause.id AND pause.ended_at IS NULL AND p.ended_at IS NOT NULL",
                    "SELECT count(*) FROM @S.pause", &r->count[SM_PAUSE], e) ||
        merge_timed(db, S,
                    "INSERT INTO main.session_note (id, session_id, created_at, text) "
                    "SELECT n.id, n.session_id, n.created_at, n.text FROM @S.session_note n "
                    "WHERE NOT EXISTS (SELECT 1 FROM main.session_note m WHERE m.id = n.id)",
                    NULL, "SELECT count(*) FROM @S.session_note", &r->count[SM_NOTE], e))
        return e->code;
    return ST_OK;
}

/* ---- interactions ------------------------------------------------------- */

typedef struct latest {
    char *at, *who;
    long long epoch;
    char id[UUID_STRLEN];
} latest;

/* The latest change (by time, then by the UUID v7 of the audit row) of an
 * interaction in schema S; merge rows record merges, not edits. */
static st_code latest_change(st_db *db, const char *S, const char *id, latest *out, st_error *e)
{
    sqlite3_stmt *st;
    if (prep(db, &st,
             "SELECT at, who, unixepoch(at), id FROM @S.audit WHERE interaction_id = ?1 AND action <> 'merge' "
             "ORDER BY unixepoch(at) DESC, id DESC LIMIT 1",
             S, e))
        return e->code;
    st_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    memset(out, 0, sizeof *out);
    if (rc == SQLITE_ROW) {
        out->at = xstrdup(st_col_text(st, 0));
        out->who = xstrdup(st_col_text(st, 1));
        out->epoch = sqlite3_column_int64(st, 2);
        snprintf(out->id, sizeof out->id, "%s", st_col_text(st, 3));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_fail(db, e, _("reading the audit log"));
    return ST_OK;
}

/* true when change a comes after change b: by time, then by the audit
 * rows' UUID v7, whose first 48 bits are the time in milliseconds. */
static bool after(const latest *a, const latest *b)
{
    if (a->epoch != b->epoch)
        return a->epoch > b->epoch;
    return strcmp(a->id, b->id) > 0;
}

/* Replaces the study's interaction by the source's, and records the
 * change in the audit log. */
static st_code take_theirs(st_db *db, const char *S, const char *id, st_error *e)
{
    char now[TS_LEN], aid[UUID_STRLEN];
    ts_now(now);
    uuid_new(aid);
    static const char *const sql[] = {
        "CREATE TEMP TABLE IF NOT EXISTS merge_before (snap TEXT)",
        "DELETE FROM temp.merge_before",
        "INSERT INTO temp.merge_before SELECT " ST_IX_SNAPSHOT("main", "i")
        " FROM main.interaction i WHERE i.id = ?1",
        "UPDATE main.interaction SET (" INTERACTION_COLS ") = (SELECT " INTERACTION_COLS
        " FROM @S.interaction s WHERE s.id = ?1) WHERE id = ?1",
        "DELETE FROM main.interaction_code WHERE interaction_id = ?1",
        "INSERT INTO main.interaction_code (interaction_id, dimension_id, code_id, other_text) "
        "SELECT interaction_id, dimension_id, code_id, other_text FROM @S.interaction_code WHERE interaction_id = ?1",
        "DELETE FROM main.interaction_text WHERE interaction_id = ?1",
        "INSERT INTO main.interaction_text (interaction_id, dimension_id, text) "
        "SELECT interaction_id, dimension_id, text FROM @S.interaction_text WHERE interaction_id = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (run(db, sql[i], S, id, NULL, NULL, e))
            return e->code;
    sqlite3_stmt *st;
    if (st_prepare(db, &st,
                   "INSERT INTO main.audit (id, interaction_id, at, who, action, before, after) "
                   "SELECT ?2, i.id, ?3, 'merge', 'merge', (SELECT snap FROM temp.merge_before), "
                   ST_IX_SNAPSHOT("main", "i") " FROM main.interaction i WHERE i.id = ?1",
                   e))
        return e->code;
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, aid);
    st_bind_text(st, 3, now);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("merging"));
    return ST_OK;
}

typedef struct idvec {
    char (*v)[UUID_STRLEN];
    size_t n;
} idvec;

static void idvec_add(idvec *d, const char *id)
{
    d->v = xrealloc(d->v, (d->n + 1) * sizeof *d->v);
    snprintf(d->v[d->n++], UUID_STRLEN, "%s", id);
}

/* Both sides edited the interaction: the latest change wins, and the
 * conflict is reported.  *theirs says whether the source won. */
static st_code resolve_conflict(st_db *db, const char *S, const char *file, const char *id, bool *theirs,
                                st_merge_report *r, st_error *e)
{
    latest ours, their;
    if (latest_change(db, "main", id, &ours, e))
        return e->code;
    if (latest_change(db, S, id, &their, e)) {
        free(ours.at);
        free(ours.who);
        return e->code;
    }
    *theirs = after(&their, &ours);
    r->conflicts = xrealloc(r->conflicts, (r->nconflicts + 1) * sizeof *r->conflicts);
    st_merge_conflict *c = &r->conflicts[r->nconflicts++];
    c->file = xstrdup(file);
    snprintf(c->interaction, sizeof c->interaction, "%s", id);
    c->ours_at = ours.at;
    c->ours_who = ours.who;
    c->theirs_at = their.at;
    c->theirs_who = their.who;
    c->theirs_won = *theirs;
    return ST_OK;
}

/*
 * For each interaction both sides hold with different contents, decides
 * which side is kept (doc/merge.md): the side that has every audit row of
 * the other is ahead; when each has rows the other lacks, the edits
 * conflict and the side with the latest change wins.  The ids to take
 * from the source go into theirs; *ndiffer is the number of interactions
 * that differ.
 */
static st_code classify(st_db *db, const char *S, const char *file, idvec *theirs, long *ndiffer,
                        st_merge_report *r, st_error *e)
{
    static const char differ[] =
        "SELECT s.id FROM @S.interaction s JOIN main.interaction m ON m.id = s.id "
        "WHERE json_remove(" ST_IX_SNAPSHOT("@S", "s") ", '$.codebook_version') IS NOT "
        "      json_remove(" ST_IX_SNAPSHOT("main", "m") ", '$.codebook_version') ORDER BY s.id";
    static const char only_there[] =
        "SELECT count(*) FROM @S.audit a WHERE a.interaction_id = ?1 AND a.action <> 'merge' "
        "AND NOT EXISTS (SELECT 1 FROM main.audit m WHERE m.id = a.id)";
    static const char only_here[] =
        "SELECT count(*) FROM main.audit a WHERE a.interaction_id = ?1 AND a.action <> 'merge' "
        "AND NOT EXISTS (SELECT 1 FROM @S.audit m WHERE m.id = a.id)";
    sqlite3_stmt *st;
    if (prep(db, &st, differ, S, e))
        return e->code;
    idvec ids = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        idvec_add(&ids, st_col_text(st, 0));
    sqlite3_finalize(st);
    st_code c = rc == SQLITE_DONE ? ST_OK : st_fail(db, e, _("comparing interactions"));
    *ndiffer = (long)ids.n;
    st_merge_count *n = &r->count[SM_INTERACTION];
    for (size_t i = 0; i < ids.n && !c; i++) {
        long there = 0, here = 0;
        bool take = false;
        if ((c = count_of(db, only_there, S, ids.v[i], &there, e)) ||
            (c = count_of(db, only_here, S, ids.v[i], &here, e)))
            break;
        if (!there) {
            n->skipped++; /* the study is ahead */
        } else if (!here) {
            take = true; /* the source is ahead */
            n->updated++;
        } else {
            if ((c = resolve_conflict(db, S, file, ids.v[i], &take, r, e)))
                break;
            n->conflicts++;
            if (take)
                n->updated++;
            else
                n->skipped++;
        }
        if (take)
            idvec_add(theirs, ids.v[i]);
    }
    free(ids.v);
    return c;
}

static st_code merge_interactions(st_db *db, const char *S, const char *file, st_merge_report *r, st_error *e)
{
    idvec theirs = {0};
    long added = 0, all = 0, differ = 0, audit = 0, audits = 0;
    st_code c = classify(db, S, file, &theirs, &differ, r, e);
    static const char *const insert[] = {
        "DELETE FROM temp.merge_new",
        "INSERT INTO temp.merge_new (id) SELECT s.id FROM @S.interaction s "
        "WHERE NOT EXISTS (SELECT 1 FROM main.interaction m WHERE m.id = s.id)",
        "INSERT INTO main.interaction (id, session_id, site_id, observer_id, codebook_version_id, " INTERACTION_COLS
        ") SELECT s.id, s.session_id, ms.dst, mo.dst, mv.dst, s.started_at, s.ended_at, s.incomplete, s.tally, "
        "s.deleted, s.paused_seconds, s.note, s.updated_at FROM @S.interaction s "
        "JOIN temp.merge_new n ON n.id = s.id JOIN temp.merge_site ms ON ms.src = s.site_id "
        "JOIN temp.merge_observer mo ON mo.src = s.observer_id "
        "JOIN temp.merge_version mv ON mv.src = s.codebook_version_id",
        "INSERT INTO main.interaction_code (interaction_id, dimension_id, code_id, other_text) "
        "SELECT c.interaction_id, c.dimension_id, c.code_id, c.other_text FROM @S.interaction_code c "
        "JOIN temp.merge_new n ON n.id = c.interaction_id",
        "INSERT INTO main.interaction_text (interaction_id, dimension_id, text) "
        "SELECT t.interaction_id, t.dimension_id, t.text FROM @S.interaction_text t "
        "JOIN temp.merge_new n ON n.id = t.interaction_id",
    };
    for (size_t i = 0; i < sizeof insert / sizeof insert[0] && !c; i++)
        c = run(db, insert[i], S, NULL, NULL, i == 2 ? &added : NULL, e);
    /* The audit logs are united whichever side won: history is kept.  The
     * merge's own rows come after the source's. */
    if (!c)
        c = run(db,
                "INSERT INTO main.audit (id, interaction_id, at, who, action, before, after) "
                "SELECT a.id, a.interaction_id, a.at, a.who, a.action, a.before, a.after FROM @S.audit a "
                "WHERE NOT EXISTS (SELECT 1 FROM main.audit m WHERE m.id = a.id) ORDER BY a.seq",
                S, NULL, NULL, &audit, e);
    for (size_t i = 0; i < theirs.n && !c; i++)
        c = take_theirs(db, S, theirs.v[i], e);
    free(theirs.v);
    if (!c)
        c = count_of(db, "SELECT count(*) FROM @S.interaction", S, NULL, &all, e);
    if (!c)
        c = count_of(db, "SELECT count(*) FROM @S.audit", S, NULL, &audits, e);
    if (c)
        return c;
    r->count[SM_INTERACTION].added += added;
    r->count[SM_INTERACTION].skipped += all - added - differ; /* identical on both sides */
    r->count[SM_AUDIT].added += audit;
    r->count[SM_AUDIT].skipped += audits - audit;
    return ST_OK;
}

/* ---- training runs ------------------------------------------------------ */

/* New runs come with their vignettes and answers; a run the study holds
 * unfinished is replaced by a finished copy. */
static st_code merge_training(st_db *db, const char *S, st_merge_report *r, st_error *e)
{
    static const char *const sql[] = {
        "DELETE FROM temp.merge_new",
        "INSERT INTO temp.merge_new (id) SELECT t.id FROM @S.training_run t "
        "WHERE NOT EXISTS (SELECT 1 FROM main.training_run m WHERE m.id = t.id)",
        "INSERT INTO temp.merge_new (id) SELECT t.id FROM @S.training_run t JOIN main.training_run m ON m.id = t.id "
        "WHERE m.ended_at IS NULL AND t.ended_at IS NOT NULL",
        "DELETE FROM main.training_run WHERE id IN (SELECT id FROM temp.merge_new)",
        "INSERT INTO main.training_run (id, trainee, vignettes, codebook_version_id, started_at, ended_at, title, "
        "source) SELECT t.id, t.trainee, t.vignettes, mv.dst, t.started_at, t.ended_at, t.title, t.source "
        "FROM @S.training_run t JOIN temp.merge_new n ON n.id = t.id "
        "LEFT JOIN temp.merge_version mv ON mv.src = t.codebook_version_id",
        "INSERT INTO main.training_vignette (run_id, vignette_id, position, answered_at) "
        "SELECT v.run_id, v.vignette_id, v.position, v.answered_at FROM @S.training_vignette v "
        "JOIN temp.merge_new n ON n.id = v.run_id",
        "INSERT INTO main.training_answer (run_id, vignette_id, dimension_id, code_id) "
        "SELECT a.run_id, a.vignette_id, a.dimension_id, a.code_id FROM @S.training_answer a "
        "JOIN temp.merge_new n ON n.id = a.run_id",
    };
    long fresh = 0, redone = 0, all = 0;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (run(db, sql[i], S, NULL, NULL, i == 1 ? &fresh : i == 2 ? &redone : NULL, e))
            return e->code;
    if (count_of(db, "SELECT count(*) FROM @S.training_run", S, NULL, &all, e))
        return e->code;
    st_merge_count *n = &r->count[SM_TRAINING];
    n->added += fresh;
    n->updated += redone;
    n->skipped += all - fresh - redone;
    return ST_OK;
}

/* ---- the whole merge ---------------------------------------------------- */

static st_code merge_one(st_db *db, const char *S, const char *file, st_merge_report *r, st_error *e)
{
    static const char *const clear[] = {"DELETE FROM temp.merge_site", "DELETE FROM temp.merge_observer",
                                        "DELETE FROM temp.merge_version"};
    for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++)
        if (run(db, clear[i], "", NULL, NULL, NULL, e))
            return e->code;
    if (merge_codebooks(db, S, file, r, e) || merge_named(db, S, "site", &r->count[SM_SITE], e) ||
        merge_named(db, S, "observer", &r->count[SM_OBSERVER], e) || merge_sessions(db, S, r, e) ||
        merge_interactions(db, S, file, r, e) || merge_training(db, S, r, e))
        return e->code;
    return ST_OK;
}

/*
 * A note purged on either side stays purged (doc/merge.md).  A purge is
 * the retention limit of the notes it covered: a source's purge covers the
 * interactions and sessions that source holds, so the study's copies of
 * them lose their notes too; the study's purge covers the whole study, so
 * what came in from before its date loses its notes.  Each is applied as
 * a purge in the merge's transaction, with its audit row ("merge").
 */
static st_code keep_purges(st_db *db, size_t n, const char *study_purge, st_merge_report *r, st_error *e)
{
    for (size_t i = 0; i <= n; i++) {
        char schema[32], date[11];
        snprintf(schema, sizeof schema, "src%zu", i);
        if (i < n && st_purge_latest_date(db, schema, date, e))
            return e->code;
        if (i == n)
            snprintf(date, sizeof date, "%s", study_purge);
        if (!date[0])
            continue;
        st_purge_result pr;
        if (st_purge_in_tx(db, date, i < n ? schema : NULL, "merge", &pr, e))
            return e->code;
        r->purged_notes += pr.interaction_notes;
        r->purged_session_notes += pr.session_notes;
    }
    return ST_OK;
}

static void remove_tree(const char *dir, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++) {
            static const char *const suffix[] = {"", "-wal", "-shm"};
            char *p = xasprintf("%s/%zu.db%s", dir, i, suffix[k]);
            unlink(p);
            free(p);
        }
    rmdir(dir);
}

st_code st_merge(st_db *db, const char *const *files, size_t n, st_merge_report *r, st_error *e)
{
    memset(r, 0, sizeof *r);
    int limit = sqlite3_limit(db->db, SQLITE_LIMIT_ATTACHED, -1);
    if (n == 0)
        return st_set(e, ST_ERR_INVALID, _("no file to merge"));
    if ((long)n > limit)
        return st_set(e, ST_ERR_INVALID, _("at most %d files can be merged at once; merge the others afterwards"),
                      limit);
    const char *tmp = getenv("TMPDIR");
    char *dir = xasprintf("%s/carnet-merge-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        st_code c = st_set(e, ST_ERR_OPEN, _("%s: cannot make a temporary folder: %s"), dir, strerror(errno));
        free(dir);
        return c;
    }
    r->files = xcalloc(n, sizeof *r->files);
    size_t attached = 0;
    st_code c = ST_OK;
    for (size_t i = 0; i < n && !c; i++) {
        r->files[i].path = xstrdup(files[i]);
        r->nfiles++;
        char *copy = xasprintf("%s/%zu.db", dir, i);
        c = prepare_copy(db, files[i], copy, &r->files[i], e);
        if (!c) {
            char schema[32];
            snprintf(schema, sizeof schema, "src%zu", i);
            char *sql = xasprintf("ATTACH DATABASE ?1 AS %s", schema);
            c = run(db, sql, "", copy, NULL, NULL, e);
            free(sql);
            if (!c)
                attached++;
        }
        free(copy);
    }
    static const char *const temps[] = {
        "CREATE TEMP TABLE IF NOT EXISTS merge_site (src TEXT PRIMARY KEY, dst TEXT NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS merge_observer (src TEXT PRIMARY KEY, dst TEXT NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS merge_version (src TEXT PRIMARY KEY, dst TEXT NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS merge_new (id TEXT PRIMARY KEY)",
    };
    for (size_t i = 0; i < sizeof temps / sizeof temps[0] && !c; i++)
        c = run(db, temps[i], "", NULL, NULL, NULL, e);
    char before[UUID_STRLEN] = "";
    if (!c) {
        sqlite3_stmt *st;
        if (!(c = st_prepare(db, &st, "SELECT id FROM main.codebook_version ORDER BY seq DESC LIMIT 1", e))) {
            if (sqlite3_step(st) == SQLITE_ROW)
                snprintf(before, sizeof before, "%s", st_col_text(st, 0));
            sqlite3_finalize(st);
        }
    }
    /* The study's own purges, as they were before anything came in. */
    char study_purge[11] = "";
    if (!c)
        c = st_purge_latest_date(db, "main", study_purge, e);
    if (!c)
        c = st_begin(db, e);
    for (size_t i = 0; i < n && !c; i++) {
        char schema[32];
        snprintf(schema, sizeof schema, "src%zu", i);
        c = merge_one(db, schema, files[i], r, e);
    }
    if (!c)
        c = keep_current(db, before, e);
    if (!c && r->nclashes)
        c = st_set(e, ST_ERR_INVALID, _("the codebooks clash: nothing was merged"));
    if (!c)
        c = keep_purges(db, n, study_purge, r, e);
    if (!c)
        c = st_commit(db, e);
    else
        st_rollback(db);
    for (size_t i = 0; i < attached; i++) {
        char *sql = xasprintf("DETACH DATABASE src%zu", i);
        sqlite3_exec(db->db, sql, NULL, NULL, NULL);
        free(sql);
    }
    remove_tree(dir, n);
    free(dir);
    if (!c && (r->purged_notes || r->purged_session_notes)) {
        st_purge_result pr;
        c = st_purge_rewrite(db, &pr, e);
        r->wal_truncated = pr.wal_truncated;
    }
    return c;
}
