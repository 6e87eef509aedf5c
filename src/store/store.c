/*
 * store.c — opening and creating studies, migrations, errors, and the small
 * shared tables (study, sites, observers, settings).
 *
 * Durability is chosen here once for every writer: WAL journal (readers never
 * block the observer's writes), synchronous=FULL (a committed row survives a
 * power cut, not only a crash), foreign keys on, and a busy timeout so that a
 * second carnet on the same study waits its turn instead of failing.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h> /* not statvfs.h: its ST_WRITE would clash with ours */
#include <unistd.h>

#include "core/i18n.h"
#include "core/timeutil.h"
#include "core/util.h"

#define BUSY_TIMEOUT_MS 5000

const char *st_strerror(st_code c)
{
    switch (c) {
    case ST_OK:
        return "ok";
    case ST_ERR_NOENT:
        return "no study";
    case ST_ERR_EXISTS:
        return "already exists";
    case ST_ERR_OPEN:
        return "cannot open";
    case ST_ERR_NOTSTUDY:
        return "not a carnet study";
    case ST_ERR_CORRUPT:
        return "damaged study";
    case ST_ERR_NEWER:
        return "newer schema";
    case ST_ERR_BUSY:
        return "locked";
    case ST_ERR_READONLY:
        return "read-only";
    case ST_ERR_FULL:
        return "disk full";
    case ST_ERR_NOTFOUND:
        return "not found";
    case ST_ERR_INVALID:
        return "invalid value";
    case ST_ERR_SQL:
        break;
    }
    return "database error";
}

st_code st_set(st_error *e, st_code code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return code;
}

/*
 * A write that failed for want of room.  SQLite's own errno is not reliable
 * by then (later system calls overwrite it), so look at the two usual
 * causes: the process's file-size limit (ulimit -f), which df would not
 * show, and the free space of the study's folder.
 */
/* ST_RDONLY of statvfs.h, the bit statfs() sets in f_flags for a file
 * system mounted read-only (Linux 2.6.36 and later). */
#define FS_MOUNTED_RDONLY 1

static st_code no_room(st_db *db, st_error *e, const char *context, const char *sqlite_msg, int sys_errno)
{
    /* What the system said: a disk that the system turned read-only under
     * a running carnet (a failing USB key) fails writes as a full one does
     * for SQLite, and deserves its own words.  SQLite keeps the error of
     * a failed statement (sqlite3_system_errno) but not of a failed COMMIT,
     * where the last system call that failed is still errno's
     * (sys_errno, taken by st_fail() before anything else runs); and the
     * file system itself says whether it is read-only now. */
    int os = 0;
    if (sqlite_msg) /* I/O errors only: a full disk is SQLITE_FULL */
        os = sqlite3_system_errno(db->db) ? sqlite3_system_errno(db->db) : sys_errno;
    char *dir = xstrdup(db->path);
    struct statfs ro;
    if (statfs(dirname(dir), &ro) == 0 && (ro.f_flags & FS_MOUNTED_RDONLY))
        os = EROFS;
    free(dir);
    if (os == EROFS)
        return st_set(e, ST_ERR_READONLY,
                      _("%s: %s: the disk holding the study has become read-only (the system does that to a "
                        "failing disk or USB key); nothing was recorded. Copy the study to another disk"),
                      db->path, context);
    if (os == EDQUOT)
        return st_set(e, ST_ERR_FULL,
                      _("%s: %s: your disk quota is reached; nothing was recorded. Free some space and retry"),
                      db->path, context);
    if (os == ENOSPC)
        return st_set(e, ST_ERR_FULL, _("%s: %s: the disk is full; nothing was recorded. Free some space and retry"),
                      db->path, context);
    struct rlimit rl;
    if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        return st_set(e, ST_ERR_FULL,
                      _("%s: %s: the file-size limit is reached (ulimit -f: %llu bytes); nothing was recorded. Raise "
                        "the limit and retry"),
                      db->path, context, (unsigned long long)rl.rlim_cur);
    char *copy = xstrdup(db->path);
    struct statfs vs;
    bool full = statfs(dirname(copy), &vs) == 0 &&
                (unsigned long long)vs.f_bavail * (unsigned long long)vs.f_bsize < 1024 * 1024;
    free(copy);
    if (full || !sqlite_msg)
        return st_set(e, ST_ERR_FULL, _("%s: %s: the disk is full; nothing was recorded. Free some space and retry"),
                      db->path, context);
    return st_set(e, ST_ERR_FULL, _("%s: %s: cannot write to disk (%s); nothing was recorded"), db->path, context,
                  sqlite_msg);
}

st_code st_fail(st_db *db, st_error *e, const char *context)
{
    int sys_errno = errno;
    int rc = sqlite3_extended_errcode(db->db);
    const char *m = sqlite3_errmsg(db->db);
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return st_set(e, ST_ERR_BUSY, _("%s: %s: the study is locked by another carnet or program; try again"),
                      db->path, context);
    case SQLITE_READONLY:
        return st_set(e, ST_ERR_READONLY,
                      _("%s: %s: the study is read-only (check the permissions of the file and its folder)"), db->path,
                      context);
    case SQLITE_FULL:
        return no_room(db, e, context, NULL, sys_errno);
    case SQLITE_IOERR:
        if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE)
            return no_room(db, e, context, m, sys_errno);
        return st_set(e, ST_ERR_OPEN, _("%s: %s: input/output error (%s)"), db->path, context, m);
    case SQLITE_CORRUPT:
        return st_set(e, ST_ERR_CORRUPT, _("%s: %s: the study file is damaged (%s); restore it from a backup"),
                      db->path, context, m);
    case SQLITE_NOTADB:
        return st_set(e, ST_ERR_NOTSTUDY,
                      _("%s: not a carnet study (not an SQLite database, or one damaged beyond reading: if it was a "
                        "study, restore it from a backup)"),
                      db->path);
    case SQLITE_CANTOPEN:
        return st_set(e, ST_ERR_OPEN, _("%s: cannot open the study: %s"), db->path, m);
    case SQLITE_CONSTRAINT:
        return st_set(e, ST_ERR_INVALID, _("%s: %s: %s"), db->path, context, m);
    default:
        return st_set(e, ST_ERR_SQL, _("%s: %s: %s"), db->path, context, m);
    }
}

st_code st_prepare(st_db *db, sqlite3_stmt **st, const char *sql, st_error *e)
{
    if (sqlite3_prepare_v2(db->db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return st_fail(db, e, _("preparing a query"));
    }
    return ST_OK;
}

void st_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

char *st_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? xstrdup((const char *)s) : NULL;
}

const char *st_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

void st_col_copy(sqlite3_stmt *st, int i, char *out, size_t n)
{
    snprintf(out, n, "%s", st_col_text(st, i));
}

st_code st_step_done(st_db *db, sqlite3_stmt *st, const char *ctx, st_error *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? ST_OK : st_fail(db, e, ctx);
}

/* Runs one statement that returns no rows. */
static st_code exec1(st_db *db, const char *sql, st_error *e, const char *context)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return st_fail(db, e, context);
    return ST_OK;
}

static int pragma_int(st_db *db, const char *sql, int *out, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("reading the schema version"));
    return ST_OK;
}

st_code st_begin(st_db *db, st_error *e)
{
    /* IMMEDIATE takes the write lock now, so a busy study is reported before
     * any work rather than at commit. */
    return exec1(db, "BEGIN IMMEDIATE", e, _("starting a transaction"));
}

st_code st_commit(st_db *db, st_error *e)
{
    st_code c = exec1(db, "COMMIT", e, _("saving"));
    if (c)
        st_rollback(db);
    return c;
}

void st_rollback(st_db *db)
{
    if (!sqlite3_get_autocommit(db->db))
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a multi-statement migration script.  The scripts are constants of
 * this program, never user input, so sqlite3_exec is safe here. */
static st_code run_script(st_db *db, const char *sql, st_error *e, int step)
{
    char *msg = NULL;
    if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char ctx[64];
        snprintf(ctx, sizeof ctx, _("migrating the schema to version %d"), step);
        sqlite3_free(msg);
        return st_fail(db, e, ctx);
    }
    return ST_OK;
}

static st_code migrate(st_db *db, int from, st_error *e)
{
    for (int v = from + 1; v <= ST_SCHEMA_VERSION; v++)
        if (run_script(db, st_migration_sql(v), e, v))
            return e->code;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", ST_SCHEMA_VERSION);
    return exec1(db, sql, e, _("recording the schema version"));
}

static st_code configure(st_db *db, st_error *e)
{
    sqlite3_busy_timeout(db->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->db, 1);
    if (exec1(db, "PRAGMA foreign_keys = ON", e, _("opening the study")) ||
        exec1(db, "PRAGMA synchronous = FULL", e, _("opening the study")))
        return e->code;
    return ST_OK;
}

static st_db *handle_new(const char *path)
{
    /* Before SQLite starts (its first open): no statistics of its memory,
     * which carnet never reads and which cost a global mutex at every
     * allocation (a tenth of a demo's instructions).  Later calls are
     * refused by SQLite, harmlessly. */
    static bool configured;
    if (!configured) {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        configured = true;
    }
    st_db *db = xcalloc(1, sizeof *db);
    db->path = xstrdup(path);
    return db;
}

void st_close(st_db *db)
{
    if (!db)
        return;
    st_rollback(db);
    sqlite3_close_v2(db->db);
    free(db->path);
    free(db);
}

st_code st_create(const char *path, const char *name, st_db **out, st_error *e)
{
    *out = NULL;
    /* Create the file ourselves so that it is 0600 from its first byte:
     * SQLite would create it with 0644 less the umask, and then give the
     * same mode to the -wal and -shm files. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return st_set(e, ST_ERR_EXISTS, _("%s: a file is already there; choose another with --db"), path);
        if (errno == EACCES || errno == EROFS)
            return st_set(e, ST_ERR_READONLY, _("%s: cannot create the study: %s"), path, strerror(errno));
        if (errno == ENOSPC || errno == EDQUOT)
            return st_set(e, ST_ERR_FULL, _("%s: cannot create the study: %s"), path, strerror(errno));
        return st_set(e, ST_ERR_OPEN, _("%s: cannot create the study: %s"), path, strerror(errno));
    }
    fchmod(fd, 0600);
    close(fd);

    st_db *db = handle_new(path);
    if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        st_fail(db, e, _("creating the study"));
        goto fail;
    }
    char ts[TS_LEN], id[UUID_STRLEN];
    ts_now(ts);
    uuid_new(id);
    if (configure(db, e) || exec1(db, "PRAGMA journal_mode = WAL", e, _("creating the study")))
        goto fail;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", ST_APPLICATION_ID);
    if (exec1(db, sql, e, _("creating the study")) || st_begin(db, e) || migrate(db, 0, e))
        goto fail;
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "INSERT INTO study (id, name, created_at) VALUES (?1, ?2, ?3)", e))
        goto fail;
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, name);
    st_bind_text(st, 3, ts);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        st_fail(db, e, _("creating the study"));
        goto fail;
    }
    if (st_commit(db, e))
        goto fail;
    *out = db;
    return ST_OK;
fail:
    st_close(db);
    /* Nothing half-made stays behind under the user's chosen name. */
    unlink(path);
    char side[4096];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return e->code;
}

/* The folder holding path, as a new string. */
static char *folder_of(const char *path)
{
    char *copy = xstrdup(path);
    char *dir = xstrdup(dirname(copy));
    free(copy);
    return dir;
}

/* Whether path with suffix ("-wal") exists and holds data. */
static bool side_has_content(const char *path, const char *suffix)
{
    char *side = xasprintf("%s%s", path, suffix);
    struct stat sb;
    bool has = stat(side, &sb) == 0 && sb.st_size > 0;
    free(side);
    return has;
}

/* Whether this process could write the study and create its -wal and
 * -shm files beside it. */
static bool can_write_beside(const char *path)
{
    char *dir = folder_of(path);
    bool ok = access(path, W_OK) == 0 && access(dir, W_OK | X_OK) == 0;
    free(dir);
    return ok;
}

/* "file:PATH?immutable=1" with PATH percent-encoded for SQLite's URI
 * parser (a '?' or '%' in a folder name must stay a file name). */
static char *immutable_uri(const char *path)
{
    strbuf b = {0};
    sb_add(&b, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
            sb_addc(&b, (char)*p);
        else
            sb_printf(&b, "%%%02X", *p);
    }
    sb_add(&b, "?immutable=1");
    return sb_take(&b);
}

/* Recording needs the study, its folder (for the -wal and -shm files that
 * WAL mode creates) and any -wal or -shm already there to be writable.
 * Each refusal names the one thing to fix. */
static st_code check_writable(const char *path, st_error *e)
{
    if (access(path, W_OK) != 0)
        return st_set(e, ST_ERR_READONLY,
                      _("%s: the study is read-only (%s); nothing can be recorded. Check its permissions"), path,
                      strerror(errno));
    char *dir = folder_of(path);
    st_code c = ST_OK;
    if (access(dir, W_OK | X_OK) != 0)
        c = st_set(e, ST_ERR_READONLY,
                   _("%s: the folder %s cannot be written (%s): carnet records through %s-wal and %s-shm files "
                     "beside the study. Move the study to a folder you can write, or change the folder's "
                     "permissions"),
                   path, dir, strerror(errno), path, path);
    free(dir);
    static const char *const sides[] = {"-wal", "-shm"};
    for (size_t i = 0; !c && i < 2; i++) {
        char *side = xasprintf("%s%s", path, sides[i]);
        if (access(side, F_OK) == 0 && access(side, W_OK) != 0)
            c = st_set(e, ST_ERR_READONLY,
                       _("%s: %s is read-only (%s), left so by a program that read the study without write access; "
                         "nothing can be recorded until it is writable like the study (chmod 600 %s)"),
                       path, side, strerror(errno), side);
        free(side);
    }
    return c;
}

/* A file shorter than its header says was cut (a copy stopped half-way, a
 * full disk during a copy): say so before SQLite reads zeros.  The header's
 * page count is trusted only when SQLite marks it valid, and only when no
 * -wal file could hold the missing pages. */
static st_code check_length(const char *path, off_t size, st_error *e)
{
    unsigned char h[100];
    FILE *f = fopen(path, "rb");
    if (!f)
        return ST_OK; /* SQLite will say why */
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n < sizeof h || memcmp(h, "SQLite format 3", 16) != 0 || side_has_content(path, "-wal"))
        return ST_OK;
    unsigned long page = (unsigned long)h[16] << 8 | h[17];
    if (page == 1)
        page = 65536;
    unsigned long long pages = (unsigned long long)h[28] << 24 | h[29] << 16 | h[30] << 8 | h[31];
    bool valid = pages > 0 && !memcmp(h + 24, h + 92, 4);
    if (page < 512 || (page & (page - 1)))
        return ST_OK; /* not a size SQLite writes: it will refuse the file itself */
    unsigned long long want = pages * page;
    if ((valid && (unsigned long long)size < want) || (unsigned long long)size % page)
        return st_set(e, ST_ERR_CORRUPT,
                      _("%s: the study file is damaged: it is cut short (%lld bytes, %llu expected); restore it "
                        "from a backup"),
                      path, (long long)size, valid ? want : ((unsigned long long)size / page + 1) * page);
    return ST_OK;
}

st_code st_check_structure(st_db *db, const char *pragma, const char *damaged_fmt, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, pragma, e))
        return e->code;
    int rc = sqlite3_step(st);
    char *res = rc == SQLITE_ROW ? st_col_dup(st, 0) : NULL;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(db, e, _("checking the study"));
    st_code c = ST_OK;
    if (strcmp(res, "ok") != 0)
        c = st_set(e, ST_ERR_CORRUPT, damaged_fmt, db->path, res);
    free(res);
    return c;
}

st_code st_open(const char *path, st_open_flags flags, st_db **out, st_error *e)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT)
            return st_set(e, ST_ERR_NOENT, _("%s: no study here; create one with 'carnet init' or name one with --db"),
                          path);
        return st_set(e, ST_ERR_OPEN, _("%s: cannot open the study: %s"), path, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode))
        return st_set(e, ST_ERR_NOTSTUDY, _("%s: not a carnet study (not a regular file)"), path);
    if (sb.st_size == 0)
        return st_set(e, ST_ERR_NOTSTUDY, _("%s: not a carnet study (empty file)"), path);
    if (flags & ST_WRITE && check_writable(path, e))
        return e->code;
    if (check_length(path, sb.st_size, e))
        return e->code;

    st_db *db = handle_new(path);
    /* A reader that cannot write beside the study opens it immutable: SQLite
     * would otherwise create -wal and -shm files it cannot remove, with the
     * study's read-only mode, which later block the owner's writes (or
     * fail to, in a read-only folder).  Safe because nothing is writing: a
     * writer keeps a -wal file, and with content there it reads normally. */
    bool immutable = !(flags & ST_WRITE) && !can_write_beside(path) && !side_has_content(path, "-wal");
    char *uri = immutable ? immutable_uri(path) : NULL;
    int oflags = (flags & ST_WRITE) ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    /* A handle is only ever used by one thread (the export's compression
     * thread never calls SQLite): without the connection's mutex, each of
     * the millions of calls of an export or a demo is a little cheaper. */
    oflags |= SQLITE_OPEN_NOMUTEX;
    int orc = sqlite3_open_v2(uri ? uri : path, &db->db, oflags | (uri ? SQLITE_OPEN_URI : 0), NULL);
    free(uri);
    if (orc != SQLITE_OK) {
        st_fail(db, e, _("opening the study"));
        st_close(db);
        return e->code;
    }
    db->readonly = !(flags & ST_WRITE);
    int app = 0, ver = 0;
    if (configure(db, e) || pragma_int(db, "PRAGMA application_id", &app, e) ||
        pragma_int(db, "PRAGMA user_version", &ver, e)) {
        st_close(db);
        return e->code;
    }
    if (app != ST_APPLICATION_ID) {
        st_close(db);
        return st_set(e, ST_ERR_NOTSTUDY, _("%s: not a carnet study (an SQLite database of another program)"), path);
    }
    if (ver > ST_SCHEMA_VERSION) {
        st_close(db);
        return st_set(e, ST_ERR_NEWER,
                      _("%s: this study was written by a newer carnet (schema %d; this carnet knows up to %d). "
                        "Update carnet; the study was not changed"),
                      path, ver, ST_SCHEMA_VERSION);
    }
    /* A study is in WAL mode; `carnet demo` fills an empty one with a
     * rollback journal and switches back, which a crash could prevent:
     * a writer puts WAL back (nothing happens when it is already there, or
     * when another connection holds the study). */
    if (flags & ST_WRITE)
        sqlite3_exec(db->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    if (ver < ST_SCHEMA_VERSION) {
        if (!(flags & ST_WRITE)) {
            /* A reader cannot migrate; reopen for writing just for that. */
            st_close(db);
            st_db *w;
            if (st_open(path, ST_WRITE, &w, e)) {
                if (e->code == ST_ERR_READONLY) {
                    char why[sizeof e->msg];
                    snprintf(why, sizeof why, "%s", e->msg);
                    st_set(e, ST_ERR_READONLY,
                           _("this study was written by an older carnet (schema %d) and must first be upgraded to "
                             "schema %d, which needs write access: %s"),
                           ver, ST_SCHEMA_VERSION, why);
                }
                return e->code;
            }
            st_close(w);
            return st_open(path, flags, out, e);
        }
        if (st_begin(db, e) || migrate(db, ver, e) || st_commit(db, e)) {
            st_rollback(db);
            st_close(db);
            return e->code;
        }
    }
    /* A quick check that catches a truncated file at open rather than in
     * the middle of a session. */
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "SELECT count(*) FROM study", e)) {
        st_close(db);
        return e->code;
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        int ext = sqlite3_extended_errcode(db->db);
        if (!(flags & ST_WRITE) && ((ext & 0xFF) == SQLITE_CANTOPEN || (ext & 0xFF) == SQLITE_READONLY))
            st_set(e, ST_ERR_READONLY,
                   _("%s: cannot read the study: its folder cannot be written and it has changes not yet merged "
                     "into the file (%s-wal). Copy the study with its -wal and -shm files to a folder you can write"),
                   path, path);
        else
            st_fail(db, e, _("opening the study"));
        st_close(db);
        return e->code;
    }
    /* Before recording anything, a full check of the file's structure:
     * writing into a damaged file can spread the damage (see
     * doc/reliability.md for its cost on a large study). */
    if (flags & ST_WRITE &&
        st_check_structure(db, "PRAGMA quick_check(1)",
                           _("%s: the study file is damaged (%s); restore it from a backup"), e)) {
        st_close(db);
        return e->code;
    }
    *out = db;
    return ST_OK;
}

static long long count_of(st_db *db, const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

st_code st_study_get(st_db *db, st_study *out, st_error *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "SELECT id, name, created_at FROM study LIMIT 1", e))
        return e->code;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return st_set(e, ST_ERR_CORRUPT, _("%s: the study has no study record"), db->path);
        return st_fail(db, e, _("reading the study"));
    }
    snprintf(out->id, sizeof out->id, "%s", (const char *)sqlite3_column_text(st, 0));
    out->name = st_col_dup(st, 1);
    out->created_at = st_col_dup(st, 2);
    sqlite3_finalize(st);
    out->schema_version = ST_SCHEMA_VERSION;
    out->interactions = count_of(db, "SELECT count(*) FROM interaction WHERE deleted = 0");
    out->sessions = count_of(db, "SELECT count(*) FROM session");
    out->sites = count_of(db, "SELECT count(*) FROM site");
    out->observers = count_of(db, "SELECT count(*) FROM observer");
    out->codebook_versions = count_of(db, "SELECT count(*) FROM codebook_version");
    return ST_OK;
}

void st_study_free(st_study *s)
{
    free(s->name);
    free(s->created_at);
    s->name = s->created_at = NULL;
}

static st_code named_ensure(st_db *db, const char *table, const char *name, char id[UUID_STRLEN], st_error *e)
{
    if (str_empty(name))
        return st_set(e, ST_ERR_INVALID, _("an empty name is not allowed"));
    if (!utf8_valid(name, strlen(name)))
        return st_set(e, ST_ERR_INVALID, _("a name must be UTF-8 text"));
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return st_set(e, ST_ERR_INVALID, _("a name cannot hold control characters"));
    /* Table names come from this file only, never from input. */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE name = ?1", table);
    sqlite3_stmt *st;
    if (st_prepare(db, &st, sql, e))
        return e->code;
    st_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(id, UUID_STRLEN, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return ST_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("looking up a name"));
    char ts[TS_LEN];
    ts_now(ts);
    uuid_new(id);
    snprintf(sql, sizeof sql, "INSERT INTO %s (id, name, created_at) VALUES (?1, ?2, ?3)", table);
    if (st_prepare(db, &st, sql, e))
        return e->code;
    st_bind_text(st, 1, id);
    st_bind_text(st, 2, name);
    st_bind_text(st, 3, ts);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("recording a name"));
    return ST_OK;
}

st_code st_site_ensure(st_db *db, const char *name, char id[UUID_STRLEN], st_error *e)
{
    return named_ensure(db, "site", name, id, e);
}

st_code st_observer_ensure(st_db *db, const char *name, char id[UUID_STRLEN], st_error *e)
{
    return named_ensure(db, "observer", name, id, e);
}

st_code st_setting_get(st_db *db, const char *key, char **value, st_error *e)
{
    *value = NULL;
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "SELECT value FROM setting WHERE key = ?1", e))
        return e->code;
    st_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = st_col_dup(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_fail(db, e, _("reading a setting"));
    return ST_OK;
}

st_code st_setting_set(st_db *db, const char *key, const char *value, st_error *e)
{
    sqlite3_stmt *st;
    if (st_prepare(db, &st, "INSERT INTO setting (key, value) VALUES (?1, ?2) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   e))
        return e->code;
    st_bind_text(st, 1, key);
    st_bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st_fail(db, e, _("saving a setting"));
    return ST_OK;
}
