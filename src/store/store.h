/*
 * store.h — the study database (SQLite): opening, schema, migrations, and
 * the queries every command shares.
 *
 * This layer is the only code that speaks SQL, always through prepared
 * statements.  A study is one SQLite file in WAL mode with synchronous=FULL:
 * once a function here returns ST_OK after a write, the row survives a kill
 * -9 or a power cut.  Errors come back as an st_code with a sentence in
 * st_error.msg that the command line prints as it is.
 */
#ifndef CARNET_STORE_STORE_H
#define CARNET_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/codebook.h"
#include "core/uuid.h"

/* The schema version this carnet writes (PRAGMA user_version). */
#define ST_SCHEMA_VERSION 6
/* PRAGMA application_id of a carnet study: "CRNT". */
#define ST_APPLICATION_ID 0x43524E54

typedef enum st_code {
    ST_OK = 0,
    ST_ERR_NOENT,    /* no study at that path */
    ST_ERR_EXISTS,   /* a study (or a file) is already there */
    ST_ERR_OPEN,     /* the file cannot be opened or created */
    ST_ERR_NOTSTUDY, /* a file that is not a carnet study */
    ST_ERR_CORRUPT,  /* a damaged study */
    ST_ERR_NEWER,    /* written by a newer carnet */
    ST_ERR_BUSY,     /* locked by another process for too long */
    ST_ERR_READONLY, /* the file or its folder cannot be written */
    ST_ERR_FULL,     /* disk full or file-size limit */
    ST_ERR_NOTFOUND, /* a named row does not exist */
    ST_ERR_INVALID,  /* a value the schema refuses */
    ST_ERR_SQL       /* any other SQLite error */
} st_code;

typedef struct st_error {
    st_code code;
    char msg[512];
} st_error;

/* A short English name for the code ("read-only"...). */
const char *st_strerror(st_code c);

typedef struct st_db st_db;

typedef enum st_open_flags {
    ST_READ = 0,  /* commands that only read */
    ST_WRITE = 1, /* commands that record */
} st_open_flags;

/*
 * Creates a new study file at path, mode 0600 whatever the umask, with the
 * current schema and one study row named name.  Fails with ST_ERR_EXISTS if
 * path exists.  On failure nothing is left at path.  Caller closes *out with
 * st_close().
 */
st_code st_create(const char *path, const char *name, st_db **out, st_error *e);

/*
 * Opens an existing study, migrating an older schema forward (inside one
 * transaction: a failed migration leaves the file as it was).  Caller closes
 * *out with st_close().
 *
 * Refusals name the cause and what to do (doc/reliability.md): a study cut
 * short is ST_ERR_CORRUPT at once; ST_WRITE needs the study, its folder
 * and any -wal/-shm beside it to be writable (ST_ERR_READONLY naming the
 * one that is not) and runs PRAGMA quick_check before returning, so that
 * nothing is written into a damaged file (ST_ERR_CORRUPT).  ST_READ of a
 * study this process cannot write beside opens it immutable, creating no
 * -wal or -shm file.
 */
st_code st_open(const char *path, st_open_flags flags, st_db **out, st_error *e);

void st_close(st_db *db);

/* Transactions group several writes into one commit. */
st_code st_begin(st_db *db, st_error *e);
st_code st_commit(st_db *db, st_error *e);
void st_rollback(st_db *db);

typedef struct st_study {
    char id[UUID_STRLEN];
    char *name;
    char *created_at;
    int schema_version;
    long long interactions, sessions, sites, observers, codebook_versions;
} st_study;

/* Fills *out; free its strings with st_study_free(). */
st_code st_study_get(st_db *db, st_study *out, st_error *e);
void st_study_free(st_study *s);

/*
 * Adds a codebook as a new version of the study's codebook and writes its
 * id into version_id.  The codebook must be valid (cb_validate()).  source
 * is the codebook's text in the native format, kept as an archive.
 */
st_code st_codebook_add(st_db *db, const cb_codebook *cb, const char *source, char version_id[UUID_STRLEN],
                        st_error *e);

/*
 * Loads a codebook version: version_id names it, or NULL for the current
 * (latest) one.  When id_out is not NULL the version's id is written there.
 * Caller frees *out with cb_free().
 */
st_code st_codebook_load(st_db *db, const char *version_id, cb_codebook **out, char id_out[UUID_STRLEN],
                         st_error *e);

typedef struct st_cb_version {
    char id[UUID_STRLEN];
    char *codebook_id;
    int version;
    char *title;
    char *imported_at;
    int seq;
    char *saved_by; /* who saved it from the editor, or NULL */
} st_cb_version;

/* Every codebook version, oldest first.  Free with st_cb_versions_free(). */
st_code st_codebook_versions(st_db *db, st_cb_version **out, size_t *n, st_error *e);
void st_cb_versions_free(st_cb_version *v, size_t n);

/* The id of the site / observer of that name, created when missing. */
st_code st_site_ensure(st_db *db, const char *name, char id[UUID_STRLEN], st_error *e);
st_code st_observer_ensure(st_db *db, const char *name, char id[UUID_STRLEN], st_error *e);

/* Small key/value settings (last site, last observer...).  *value is NULL
 * when unset; caller frees it. */
st_code st_setting_get(st_db *db, const char *key, char **value, st_error *e);
st_code st_setting_set(st_db *db, const char *key, const char *value, st_error *e);

/* The schema as the migrations build it, for the tests: the SQL of step n
 * (1-based) or NULL past the last one. */
const char *st_migration_sql(int n);

#endif
