/*
 * schema.c — the study schema, as a list of forward migrations.
 *
 * Step n takes a study from user_version n-1 to n.  A new study runs every
 * step; an older one runs the steps it lacks, all in one transaction.  Steps
 * are never edited once released: a change is a new step, so that a file
 * written by any earlier carnet reaches the same schema.
 */
#include <stddef.h>

#include "store/store.h"

static const char *const migrations[] = {
    /* 1: the first schema. */
    "CREATE TABLE study ("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE codebook_version ("
    "  id TEXT PRIMARY KEY, codebook_id TEXT NOT NULL, version INTEGER NOT NULL,"
    "  title TEXT NOT NULL, language TEXT NOT NULL, description TEXT,"
    "  source TEXT NOT NULL, imported_at TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE);"
    "CREATE TABLE dimension ("
    "  version_id TEXT NOT NULL REFERENCES codebook_version(id) ON DELETE CASCADE,"
    "  id TEXT NOT NULL, position INTEGER NOT NULL, label TEXT NOT NULL, description TEXT,"
    "  mode TEXT NOT NULL CHECK (mode IN ('single','multiple','text')),"
    "  required INTEGER NOT NULL DEFAULT 0, retired INTEGER NOT NULL DEFAULT 0,"
    "  validate TEXT, validate_message TEXT,"
    "  PRIMARY KEY (version_id, id)) WITHOUT ROWID;"
    "CREATE TABLE code ("
    "  version_id TEXT NOT NULL, dimension_id TEXT NOT NULL, id TEXT NOT NULL,"
    "  position INTEGER NOT NULL, hotkey TEXT, label TEXT NOT NULL,"
    "  definition TEXT, when_to_use TEXT, when_not_to_use TEXT, example TEXT,"
    "  other INTEGER NOT NULL DEFAULT 0, validate TEXT, validate_message TEXT,"
    "  parent TEXT, retired INTEGER NOT NULL DEFAULT 0,"
    "  patterns TEXT, color TEXT, guid TEXT,"
    "  PRIMARY KEY (version_id, id),"
    "  FOREIGN KEY (version_id, dimension_id) REFERENCES dimension(version_id, id) ON DELETE CASCADE"
    ") WITHOUT ROWID;"
    "CREATE TABLE site (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);"
    "CREATE TABLE observer (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);"
    "CREATE TABLE session ("
    "  id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES site(id),"
    "  observer_id TEXT NOT NULL REFERENCES observer(id),"
    "  codebook_version_id TEXT NOT NULL REFERENCES codebook_version(id),"
    "  started_at TEXT NOT NULL, ended_at TEXT);"
    "CREATE TABLE interaction ("
    "  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id),"
    "  site_id TEXT NOT NULL REFERENCES site(id), observer_id TEXT NOT NULL REFERENCES observer(id),"
    "  codebook_version_id TEXT NOT NULL REFERENCES codebook_version(id),"
    "  started_at TEXT NOT NULL, ended_at TEXT, incomplete INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT, deleted INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL);"
    "CREATE TABLE interaction_code ("
    "  interaction_id TEXT NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,"
    "  dimension_id TEXT NOT NULL, code_id TEXT NOT NULL, other_text TEXT,"
    "  PRIMARY KEY (interaction_id, dimension_id, code_id)) WITHOUT ROWID;"
    "CREATE TABLE session_note ("
    "  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id),"
    "  created_at TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE TABLE audit ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, interaction_id TEXT,"
    "  at TEXT NOT NULL, who TEXT, action TEXT NOT NULL, before TEXT, after TEXT);"
    "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

    /* 2: tally and pauses, settings, training, and the indexes that the
     * exports and the coding screen need. */
    "ALTER TABLE interaction ADD COLUMN tally INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE interaction ADD COLUMN paused_seconds INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE pause ("
    "  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id),"
    "  started_at TEXT NOT NULL, ended_at TEXT);"
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE training_run ("
    "  id TEXT PRIMARY KEY, trainee TEXT NOT NULL, vignettes TEXT NOT NULL,"
    "  codebook_version_id TEXT REFERENCES codebook_version(id),"
    "  started_at TEXT NOT NULL, ended_at TEXT);"
    "CREATE TABLE training_answer ("
    "  run_id TEXT NOT NULL REFERENCES training_run(id) ON DELETE CASCADE,"
    "  vignette_id TEXT NOT NULL, dimension_id TEXT NOT NULL, code_id TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, vignette_id, dimension_id, code_id)) WITHOUT ROWID;"
    "CREATE INDEX interaction_by_start ON interaction(started_at);"
    "CREATE INDEX interaction_by_session ON interaction(session_id, started_at);"
    "CREATE INDEX interaction_code_by_code ON interaction_code(dimension_id, code_id);"
    "CREATE INDEX audit_by_interaction ON audit(interaction_id);"
    "CREATE INDEX session_note_by_session ON session_note(session_id);",

    /* 3: answers to free-text dimensions, and the REFI-QDA identity of a
     * dimension (it travels as a top-level code). */
    "CREATE TABLE interaction_text ("
    "  interaction_id TEXT NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,"
    "  dimension_id TEXT NOT NULL, text TEXT NOT NULL,"
    "  PRIMARY KEY (interaction_id, dimension_id)) WITHOUT ROWID;"
    "ALTER TABLE dimension ADD COLUMN guid TEXT;"
    "ALTER TABLE dimension ADD COLUMN color TEXT;"
    "CREATE INDEX interaction_by_site ON interaction(site_id, started_at);"
    "CREATE INDEX interaction_by_observer ON interaction(observer_id, started_at);"
    "CREATE INDEX pause_by_session ON pause(session_id);",

    /* 4: training runs keep the vignette file they were run on (so that a
     * report can be rebuilt after the file has changed or moved) and which
     * vignettes were answered (an answer may be "no code"). */
    "ALTER TABLE training_run ADD COLUMN title TEXT;"
    "ALTER TABLE training_run ADD COLUMN source TEXT;"
    "CREATE TABLE training_vignette ("
    "  run_id TEXT NOT NULL REFERENCES training_run(id) ON DELETE CASCADE,"
    "  vignette_id TEXT NOT NULL, position INTEGER NOT NULL, answered_at TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, vignette_id)) WITHOUT ROWID;"
    "CREATE INDEX training_run_by_trainee ON training_run(trainee, started_at);",

    /* 5: codes that cannot be chosen (headings, REFI-QDA isCodable="false"),
     * and who saved each codebook version from the editor. */
    "ALTER TABLE code ADD COLUMN codable INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE codebook_version ADD COLUMN saved_by TEXT;",

    /* 6: the audit log may be scrubbed of note text by `carnet purge`, and
     * by nothing else.  The update trigger lets an UPDATE through only when
     * carnet_purge_authorized() answers 1 (st_purge.c registers it on its
     * own connection for the length of a purge; any other connection, such
     * as the sqlite3 shell, fails with "no such function") and the row keeps
     * everything but its snapshots.  Deleting audit rows stays refused. */
    "DROP TRIGGER audit_append_only_update;"
    "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit"
    "  WHEN NOT (carnet_purge_authorized() AND NEW.seq = OLD.seq AND NEW.id = OLD.id"
    "    AND NEW.interaction_id IS OLD.interaction_id AND NEW.at = OLD.at AND NEW.who IS OLD.who"
    "    AND NEW.action = OLD.action)"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
};

const char *st_migration_sql(int n)
{
    if (n < 1 || (size_t)n > sizeof migrations / sizeof migrations[0])
        return NULL;
    return migrations[n - 1];
}

_Static_assert(sizeof migrations / sizeof migrations[0] == ST_SCHEMA_VERSION,
               "one migration per schema version");
