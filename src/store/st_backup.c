/*
 * st_backup.c — online backup of a study (st_backup.h).
 *
 * The source connection holds one read transaction for the whole copy, so
 * that every sqlite3_backup_step() reads the same snapshot: another
 * process committing meanwhile neither restarts the copy nor tears it (in
 * WAL mode its commits go to the -wal file, which our snapshot ignores).
 * The destination is a new file created 0600 with mkstemp; it is checked
 * with PRAGMA integrity_check before the rename that makes it the backup.
 */
#include "store/st_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "store/store_internal.h"

/* Whether a and b name the same file (the study itself, or a hard link). */
static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

static void unlink_sides(const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        char *p = xasprintf("%s%s", path, sides[i]);
        unlink(p);
        free(p);
    }
}

/* Makes a rename durable: fsync of the folder holding path. */
static void sync_folder(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

/* Runs the checks of a finished copy on its own connection. */
static st_code verify(st_db *dst, st_backup_info *info, st_error *e)
{
    if (st_check_structure(dst, "PRAGMA integrity_check",
                           _("%s: the backup failed its integrity check (%s); nothing was kept"), e))
        return e->code;
    sqlite3_stmt *st;
    if (st_prepare(dst, &st,
                   "SELECT (SELECT application_id FROM pragma_application_id),"
                   " (SELECT page_count FROM pragma_page_count),"
                   " (SELECT count(*) FROM interaction WHERE deleted = 0)",
                   e))
        return e->code;
    int rc = sqlite3_step(st);
    bool ok = false;
    if (rc == SQLITE_ROW) {
        ok = sqlite3_column_int(st, 0) == ST_APPLICATION_ID;
        info->pages = sqlite3_column_int64(st, 1);
        info->interactions = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return st_fail(dst, e, _("checking the backup"));
    if (!ok)
        return st_set(e, ST_ERR_CORRUPT, _("%s: the backup is not a carnet study; nothing was kept"), dst->path);
    return ST_OK;
}

/* Copies db into the open destination dst, step by step, inside one read
 * transaction of db. */
static st_code copy(st_db *db, st_db *dst, st_backup_progress progress, void *arg, st_error *e)
{
    if (sqlite3_exec(db->db, "BEGIN; SELECT count(*) FROM study", NULL, NULL, NULL) != SQLITE_OK)
        return st_fail(db, e, _("starting the backup"));
    sqlite3_backup *b = sqlite3_backup_init(dst->db, "main", db->db, "main");
    if (!b) {
        st_fail(dst, e, _("starting the backup"));
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return e->code;
    }
    int rc;
    do {
        rc = sqlite3_backup_step(b, ST_BACKUP_STEP_PAGES);
        if (progress && (rc == SQLITE_OK || rc == SQLITE_DONE))
            progress(arg, sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
        /* Busy can only come from the destination, which is ours alone;
         * wait a little rather than fail. */
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc != SQLITE_DONE) {
        /* The error is on the destination's connection (a full disk) or
         * the source's (a damaged page). */
        int src = sqlite3_errcode(db->db);
        return st_fail(src != SQLITE_OK && src != SQLITE_DONE && src != SQLITE_ROW ? db : dst, e,
                       _("copying the study"));
    }
    return ST_OK;
}

st_code st_backup(st_db *db, const char *dest, bool force, st_backup_progress progress, void *arg,
                  st_backup_info *info, st_error *e)
{
    st_backup_info local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    struct stat sb;
    if (stat(dest, &sb) == 0) {
        if (same_file(dest, db->path))
            return st_set(e, ST_ERR_INVALID, _("%s is the study itself; name another file for the backup"), dest);
        if (S_ISDIR(sb.st_mode))
            return st_set(e, ST_ERR_EXISTS, _("%s is a folder; name the backup file, e.g. %s/study-backup.db"), dest,
                          dest);
        if (!force)
            return st_set(e, ST_ERR_EXISTS, _("%s already exists; use --force to replace it"), dest);
    }
    char *tmp = xasprintf("%s.tmp-XXXXXX", dest);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        st_code c = st_set(e, err == ENOSPC || err == EDQUOT ? ST_ERR_FULL
                              : err == EACCES || err == EROFS ? ST_ERR_READONLY
                                                               : ST_ERR_OPEN,
                           _("%s: cannot create the backup: %s"), dest, strerror(err));
        free(tmp);
        return c;
    }
    fchmod(fd, 0600);
    close(fd);

    st_db dst = {.path = tmp};
    st_code c = ST_OK;
    if (sqlite3_open_v2(tmp, &dst.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        c = st_fail(&dst, e, _("creating the backup"));
        goto out;
    }
    sqlite3_extended_result_codes(dst.db, 1);
    if ((c = copy(db, &dst, progress, arg, e)) != ST_OK || (c = verify(&dst, info, e)) != ST_OK)
        goto out;
    /* The copy carries the study's WAL mode; leave no -wal behind it. */
    if (sqlite3_exec(dst.db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK) {
        c = st_fail(&dst, e, _("finishing the backup"));
        goto out;
    }
out:
    if (dst.db && sqlite3_close(dst.db) != SQLITE_OK && !c)
        c = st_set(e, ST_ERR_SQL, _("%s: cannot close the backup"), tmp);
    if (!c) {
        int fd2 = open(tmp, O_RDONLY | O_CLOEXEC);
        if (fd2 < 0 || fsync(fd2) != 0)
            c = st_set(e, ST_ERR_FULL, _("%s: cannot write the backup to disk: %s"), dest, strerror(errno));
        if (fd2 >= 0)
            close(fd2);
        if (fd2 >= 0 && stat(tmp, &sb) == 0)
            info->bytes = (long long)sb.st_size;
    }
    if (!c && rename(tmp, dest) != 0)
        c = st_set(e, ST_ERR_OPEN, _("%s: cannot put the backup in place: %s"), dest, strerror(errno));
    if (c)
        unlink_sides(tmp);
    else
        sync_folder(dest);
    free(tmp);
    return c;
}
