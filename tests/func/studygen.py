"""Builds study contents for the functional tests with plain SQL, following
doc/data-model.md: UUID v7 ids, local ISO 8601 times with their offset,
the `incomplete` rule, and an audit row (with JSON snapshots) for every
created or changed interaction.

The live-coding screen is not what these tests check, so they write the
rows a coding session would have written, directly:

    s = Study(path)
    site = s.site("CDAS Rennes Nord")
    anne = s.observer("Anne")
    ses = s.session(site, anne, at(9, 0), at(12, 0))
    i = s.interaction(ses, at(9, 5), at(9, 12), {"demande": "caf", "obstacle": ["obs-email"]})
    s.edit(i, at(9, 20), {"demande": "cpam"})
    s.close()
"""
import datetime
import json
import os
import sqlite3
import time

TZ = datetime.timezone(datetime.timedelta(hours=2))


def at(hour, minute, second=0, day=14, month=9, year=2026):
    """A local time of the desk, as carnet writes it (minutes and seconds
    may run past 59)."""
    day0 = datetime.datetime(year, month, day, tzinfo=TZ)
    return (day0 + datetime.timedelta(hours=hour, minutes=minute, seconds=second)).isoformat()


_last_ms = [0]


def uuid7(ms=None):
    """A UUID v7 (RFC 9562); ms defaults to now, kept increasing."""
    if ms is None:
        ms = max(int(time.time() * 1000), _last_ms[0] + 1)
        _last_ms[0] = ms
    r = bytearray(os.urandom(10))
    b = ms.to_bytes(6, "big") + bytes([0x70 | (r[0] & 0x0F), r[1], 0x80 | (r[2] & 0x3F)]) + bytes(r[3:10])
    h = b.hex()
    return "%s-%s-%s-%s-%s" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def uuid7_at(ts, ms=0):
    """A UUID v7 whose time part is the moment ts (ISO 8601 with offset),
    plus ms milliseconds."""
    return uuid7(int(datetime.datetime.fromisoformat(ts).timestamp() * 1000) + ms)


class Study:
    def __init__(self, path):
        self.con = sqlite3.connect(path)
        self.con.execute("PRAGMA foreign_keys = ON")
        self.version = self.con.execute("SELECT id FROM codebook_version ORDER BY seq DESC LIMIT 1").fetchone()[0]

    def close(self):
        self.con.commit()
        self.con.close()

    def _named(self, table, name):
        row = self.con.execute("SELECT id FROM %s WHERE name = ?" % table, (name,)).fetchone()
        if row:
            return row[0]
        i = uuid7()
        self.con.execute("INSERT INTO %s (id, name, created_at) VALUES (?, ?, ?)" % table, (i, name, at(8, 0)))
        return i

    def site(self, name):
        return self._named("site", name)

    def observer(self, name):
        return self._named("observer", name)

    def session(self, site, observer, start, end=None):
        i = uuid7_at(start)
        self.con.execute("INSERT INTO session (id, site_id, observer_id, codebook_version_id, started_at, ended_at)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (i, site, observer, self.version, start, end))
        return i

    def _who(self, interaction):
        return self.con.execute("SELECT o.name FROM interaction i JOIN observer o ON o.id = i.observer_id"
                                " WHERE i.id = ?", (interaction,)).fetchone()[0]

    def snapshot(self, interaction):
        """The interaction as the audit log's JSON object."""
        r = self.con.execute("SELECT id, session_id, codebook_version_id, started_at, ended_at, incomplete, tally,"
                             " deleted, paused_seconds, note FROM interaction WHERE id = ?", (interaction,)).fetchone()
        keys = ["id", "session", "codebook_version", "started_at", "ended_at", "incomplete", "tally", "deleted",
                "paused_seconds", "note"]
        snap = dict(zip(keys, r))
        snap["codes"] = [{"dimension": d, "code": c, "other": o} for d, c, o in self.con.execute(
            "SELECT dimension_id, code_id, other_text FROM interaction_code WHERE interaction_id = ?"
            " ORDER BY dimension_id, code_id", (interaction,))]
        snap["texts"] = [{"dimension": d, "text": t} for d, t in self.con.execute(
            "SELECT dimension_id, text FROM interaction_text WHERE interaction_id = ? ORDER BY dimension_id",
            (interaction,))]
        return json.dumps(snap, ensure_ascii=False, separators=(",", ":"))

    def _incomplete(self, interaction):
        missing = self.con.execute(
            "SELECT count(*) FROM dimension d WHERE d.version_id = ? AND d.required = 1 AND d.retired = 0"
            " AND NOT EXISTS (SELECT 1 FROM interaction_code c WHERE c.interaction_id = ? AND c.dimension_id = d.id)"
            " AND NOT EXISTS (SELECT 1 FROM interaction_text t WHERE t.interaction_id = ? AND t.dimension_id = d.id)",
            (self.version, interaction, interaction)).fetchone()[0]
        self.con.execute("UPDATE interaction SET incomplete = ? WHERE id = ? AND tally = 0",
                         (1 if missing else 0, interaction))

    def _set_codes(self, interaction, codes):
        for dim, value in codes.items():
            self.con.execute("DELETE FROM interaction_code WHERE interaction_id = ? AND dimension_id = ?",
                             (interaction, dim))
            for code in ([value] if isinstance(value, str) else list(value or [])):
                self.con.execute("INSERT INTO interaction_code (interaction_id, dimension_id, code_id)"
                                 " VALUES (?, ?, ?)", (interaction, dim, code))
        self._incomplete(interaction)

    def _audit(self, interaction, when, action, before, who=None, aid=None):
        self.con.execute("INSERT INTO audit (id, interaction_id, at, who, action, before, after)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (aid or uuid7_at(when), interaction, when, who or self._who(interaction), action, before,
                          self.snapshot(interaction)))

    def interaction(self, session, start, end, codes, note=None):
        """A coded interaction: its row, its codes, and audit rows for its
        creation and its end."""
        site, observer = self.con.execute("SELECT site_id, observer_id FROM session WHERE id = ?",
                                          (session,)).fetchone()
        i = uuid7_at(start)
        self.con.execute("INSERT INTO interaction (id, session_id, site_id, observer_id, codebook_version_id,"
                         " started_at, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (i, session, site, observer, self.version, start, note, start))
        self._audit(i, start, "create", None)
        before = self.snapshot(i)
        self._set_codes(i, codes)
        self.con.execute("UPDATE interaction SET ended_at = ?, updated_at = ? WHERE id = ?", (end, end, i))
        self._audit(i, end, "end", before)
        return i

    def edit(self, interaction, when, codes=None, note=None, who=None, aid=None):
        """A later change of codes or note, with its audit row (whose id
        may be given, to break a tie in time)."""
        before = self.snapshot(interaction)
        if codes:
            self._set_codes(interaction, codes)
        if note is not None:
            self.con.execute("UPDATE interaction SET note = ? WHERE id = ?", (note, interaction))
        self.con.execute("UPDATE interaction SET updated_at = ? WHERE id = ?", (when, interaction))
        self._audit(interaction, when, "code" if codes else "note", before, who, aid)

    def delete(self, interaction, when):
        before = self.snapshot(interaction)
        self.con.execute("UPDATE interaction SET deleted = 1, updated_at = ? WHERE id = ?", (when, interaction))
        self._audit(interaction, when, "delete", before)
