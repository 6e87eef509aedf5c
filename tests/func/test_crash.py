"""A coding run killed with SIGKILL at random moments, many times over.

`carnet observe` runs in a real terminal (tmux) on one study.  Each round
types keys from a seeded random schedule — in bursts or one at a time —
among them notes, "other, specify" answers, free-text answers, tally mode,
pauses, field notes, undo and redo, the history (opening, deleting,
restoring, notes, times) and the interactions left open at start; then the
screen is read and the program is killed with SIGKILL, at once or once it
has shown the last key's effect, often in the middle of a line being typed.
After each kill:

- `PRAGMA integrity_check` is ok;
- each interaction's row is its last audit snapshot (no change half written,
  none without its audit row);
- everything the screen showed as recorded is in the study: the interaction
  being coded with each answer and its note, the open ones, the last
  interactions and the history with their answers and flags, and what the
  status line said was recorded.  When the program was killed after showing
  the last key's effect, the study holds exactly what the screen showed (the
  latest snapshot of each interaction shown); killed in the middle of a
  burst, the study may be ahead of the screen, so what was shown must be one
  of the snapshots the audit log recorded;

then carnet starts again on the same study, offers the interactions left
open (their number checked), and the run goes on with one of its three
answers.  The seed is printed with every failure; CARNET_CRASH_SEED=N
replays a run, CARNET_CRASH_KILLS=N changes the number of kills.
"""
import json
import os
import random
import re
import sqlite3
import time

import yaml

from observe_util import CODEBOOK, ObserveTest

SEED = int(os.environ.get("CARNET_CRASH_SEED") or random.SystemRandom().randrange(1 << 31))
KILLS = int(os.environ.get("CARNET_CRASH_KILLS") or 32)
OBSERVER = "\xc9lise"
W, H = 180, 45

NOTE_WORDS = ["rappeler", "lundi", "prime", "d'activit\xe9", "caf", "mot", "de", "passe", "\xe9t\xe9", "\xc9vry",
              "dossier", "courrier", "imp\xf4ts", "file", "d'attente", "\u2014"]
OTHERS = ["Banque", "Mairie", "\xc9ducation", "La Poste", "12"]  # "12" is refused by the codebook
POSTCODES = ["35000", "35200", "3500"]  # the last one is refused


def load_codebook():
    with open(CODEBOOK, encoding="utf-8") as f:
        cb = yaml.safe_load(f)
    dims = []
    for d in cb["dimensions"]:
        dims.append(dict(id=d["id"], label=d["label"], mode=d.get("mode", "single"), required=d.get("required", False),
                         codes=[(c["id"], c["label"]) for c in d.get("codes", [])]))
    return dims


DIMS = load_codebook()
LEFT_W = 40 + (W - 80) // 3
LABEL_W = max(len(d["label"]) + 1 for d in DIMS)
LAST_ROWS = 3 + (H - 24) // 2
LAST_TOP = H - 3 - LAST_ROWS


def answer(snap, dim):
    """What the screen writes for a snapshot's answer on one dimension
    ('' when none), as observe.c's answer_text()."""
    if dim["mode"] == "text":
        return next((t["text"] for t in snap["texts"] if t["dimension"] == dim["id"]), "")
    chosen = {c["code"]: c.get("other") for c in snap["codes"] if c["dimension"] == dim["id"]}
    parts = []
    for cid, label in dim["codes"]:
        if cid in chosen:
            parts.append(label + (" (%s)" % chosen[cid] if chosen[cid] else ""))
    return ", ".join(parts)


def summary(snap):
    return " \xb7 ".join(a for a in (answer(snap, d) for d in DIMS) if a)


def same(shown, want):
    """Text drawn, perhaps cut with an ellipsis, against the whole text."""
    shown = shown.rstrip()
    if shown.endswith("\u2026"):
        return want.startswith(shown[:-1])
    return shown == want


# ---- the keys of a round ------------------------------------------------------

def text_keys(rng, words, n):
    return [("text", " ".join(rng.choice(words) for _ in range(n)))]


def action(rng):
    """One thing an observer does, as a list of ("key", tmux name) and
    ("text", literal) items."""
    r = rng.random()
    hot = lambda: ("text", rng.choice("cpxjsmw0r"))  # noqa: E731
    if r < 0.25:  # a visitor coded from start to end, as at the desk
        keys = [("key", "Space")]
        motif = rng.choice("ccppx")
        keys += [("text", motif)] + ([("text", rng.choice(OTHERS)), ("key", "Enter")] if motif == "x" else [])
        keys += [("text", rng.choice("jjs"))]
        keys += [("text", k) for k in rng.sample("mw0", rng.randint(0, 2))] + [("key", "Tab")]
        if rng.random() < 0.5:
            keys += [("text", rng.choice(POSTCODES)), ("key", "Enter")]
        else:
            keys += [("key", "Tab")]
        keys += [("text", rng.choice("sr"))]
        if rng.random() < 0.3:
            keys += [("text", ":")] + text_keys(rng, NOTE_WORDS, rng.randint(1, 4)) + [("key", "Enter")]
        return keys + ([("key", "Enter")] if rng.random() < 0.7 else [])
    r = rng.random()
    if r < 0.14:
        return [("key", "Space")]
    if r < 0.40:
        return [hot() for _ in range(rng.randint(1, 3))]
    if r < 0.46:
        return [("key", rng.choice(["Tab", "BTab", "Tab", "Right"]))]
    if r < 0.56:
        return [("key", "Enter")]
    if r < 0.63:  # a note
        end = rng.choice(["Enter", "Enter", "Escape", None])
        return [("text", ":")] + text_keys(rng, NOTE_WORDS, rng.randint(1, 5)) + ([("key", end)] if end else [])
    if r < 0.67:  # an "other, specify" answer (x opens it on Motif)
        return [("text", "x"), ("text", rng.choice(OTHERS)), ("key", "Enter")]
    if r < 0.70:  # the postcode, typed on its dimension (digits elsewhere are refused)
        return [("key", "Tab"), ("key", "Tab"), ("text", rng.choice(POSTCODES)), ("key", "Enter")]
    if r < 0.74:  # tally mode
        return [("text", "*")] + [("text", rng.choice("cpx")) for _ in range(rng.randint(1, 3))] + \
            ([("text", "*")] if rng.random() < 0.7 else [])
    if r < 0.77:  # pause and resume
        return [("text", ",")] + ([("text", ",")] if rng.random() < 0.6 else [])
    if r < 0.83:
        return [("text", rng.choice("<<>"))]
    if r < 0.93:  # the history
        keys = [("text", "/")] + [("key", rng.choice(["Up", "Down", "Up"])) for _ in range(rng.randint(0, 3))]
        what = rng.random()
        if what < 0.3:
            keys += [("key", "BSpace")]
        elif what < 0.5:
            keys += [("text", ":")] + text_keys(rng, NOTE_WORDS, 2) + [("key", "Enter")]
        elif what < 0.7:
            keys += [("key", "Enter"), hot(), ("key", "Enter")]
        elif what < 0.8:
            keys += [("text", "@"), ("key", "Enter")]
        if rng.random() < 0.8:
            keys += [("key", "Escape")]
        return keys
    if r < 0.96:  # a field note
        return [("text", ";")] + text_keys(rng, NOTE_WORDS, 3) + [("key", "Enter")]
    if r < 0.98:
        return [("text", "+")]
    return [("text", "?"), ("key", "Escape")]


# ---- what the screen shows ---------------------------------------------------------

STATUS = [
    (re.compile(r"Recorded #(\d+) \(tally\): (.+)$"), "tally"),
    (re.compile(r"#(\d+) (\w+): answer removed$"), "text-removed"),
    (re.compile(r"Recorded #(\d+) \("), "ended"),
    (re.compile(r"Started #(\d+) at (\d\d:\d\d:\d\d)"), "started"),
    (re.compile(r"#(\d+): note recorded"), "note"),
    (re.compile(r"#(\d+) deleted"), "deleted"),
    (re.compile(r"#(\d+) restored"), "restored"),
    (re.compile(r"#(\d+) (\w+): (.+) removed$"), "removed"),
    (re.compile(r"#(\d+) (\w+): (.+)$"), "chosen"),
]


def parse(screen):
    """What a screen claims is recorded: a list of (number, what, value)
    claims, and claims on the session."""
    rows = (screen.split("\n") + [""] * H)[:H]
    claims, session = [], []
    # The status line is the row above the key bar, and the one above it
    # when the message is long (then it hides what was there).
    status = rows[H - 2].strip()
    above = rows[H - 3]
    if above.strip() and not re.match(r"^ (#\d+ |Note of #|Last interactions)", above):
        status = above.strip() + " " + status
    # Undone/Redone: the change itself was recorded the other way round
    # too; what it says holds for some snapshot.
    inner = re.sub(r"^(Undone|Redone): ", "", status)
    if not inner.startswith("Not recorded"):
        for rx, kind in STATUS:
            m = rx.search(inner)
            if m:
                claims.append((int(m.group(1)), "status-" + kind, m.groups()[1:]))
                break
        m = re.search(r"Session paused at (\d\d:\d\d:\d\d)", inner)
        if m:
            session.append(("paused", m.group(1)))
        m = re.search(r"Field note recorded \((\d\d:\d\d:\d\d)\)", inner)
        if m:
            session.append(("field-note", m.group(1)))
    if "PAUSED" in rows[0]:
        session.append(("paused", None))
    if rows[1].startswith(" History of the session"):
        for r in rows[3:H - 3]:
            m = re.match(r"^ #(\d+) +(\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d|open) +(\S+)  (\[deleted\] )?(\[incomplete\] )?"
                         r"(\[earlier session\] )?(.*?)\s*$", r.rstrip() + " ")
            if m:
                claims.append((int(m.group(1)), "history", dict(
                    start=m.group(2), end=None if m.group(3) == "open" else m.group(3), tally=m.group(4) == "tally",
                    deleted=bool(m.group(5)), incomplete=bool(m.group(6)), summary=m.group(8))))
        m = re.match(r"^ Note of #(\d+): (.*)$", rows[H - 3])
        if m and not status.startswith(m.group(0).strip()):
            claims.append((int(m.group(1)), "note-prefix", m.group(2)))
        m = re.match(r"^ #(\d+) has no note\.", rows[H - 3])
        if m:
            claims.append((int(m.group(1)), "no-note", None))
        return claims, session
    if "Terminal too small" in screen or "carnet observe: the keys" in screen or "When not to use it" in screen:
        return claims, session
    if "left open by an earlier session" in screen:
        return claims, session
    for m in re.finditer(r"#(\d+) \d\d:\d\d \(", rows[1]):
        claims.append((int(m.group(1)), "open", None))
    title = rows[2][:LEFT_W].strip()
    m = re.match(r"^#(\d+) (started \d\d:\d\d:\d\d|\d\d:\d\d:\d\d-\d\d:\d\d:\d\d \(.*\), changing)", title)
    if m:
        n = int(m.group(1))
        answers = []
        for i, d in enumerate(DIMS):
            a = rows[3 + i][3 + LABEL_W:LEFT_W].strip()
            answers.append("" if a in ("-", "required") else a)
        claims.append((n, "panel", dict(answers=answers, open=m.group(2).startswith("started"))))
        note = rows[4 + len(DIMS)][1:LEFT_W - 1].strip()
        if note.startswith("Note: "):
            claims.append((n, "note-prefix", note[len("Note: "):]))
        elif LAST_TOP > 5 + len(DIMS):
            claims.append((n, "no-note", None))
    if rows[LAST_TOP].strip() == "Last interactions":
        for r in rows[LAST_TOP + 1:LAST_TOP + 1 + LAST_ROWS]:
            m = re.match(r"^ #(\d+) +(\d\d:\d\d) +(\S+) (\[incomplete\] )?(.*?)\s*$", r.rstrip() + " ")
            if m:
                claims.append((int(m.group(1)), "last", dict(tally=m.group(3) == "tally",
                                                             incomplete=bool(m.group(4)), summary=m.group(5))))
    return claims, session


def holds(kind, v, snap):
    """Whether a snapshot of the interaction agrees with one claim."""
    if kind == "panel":
        answers = all(same(a, answer(snap, d)) if a else not answer(snap, d) for a, d in zip(v["answers"], DIMS))
        return answers and (snap["ended_at"] is None) == v["open"] and not snap["deleted"]
    if kind == "note-prefix":
        # The first line of the note as wrapped at a space, or cut with an
        # ellipsis: a prefix of the note.
        return snap["note"] is not None and snap["note"].startswith(v.rstrip("\u2026").rstrip())
    if kind == "no-note":
        return snap["note"] is None
    if kind == "open":
        return snap["ended_at"] is None and not snap["deleted"]
    if kind == "last":
        return (snap["ended_at"] is not None and not snap["deleted"] and bool(snap["tally"]) == v["tally"] and
                bool(snap["incomplete"]) == v["incomplete"] and same(v["summary"], summary(snap)))
    if kind == "history":
        end = snap["ended_at"][11:19] if snap["ended_at"] else None
        return (snap["started_at"][11:19] == v["start"] and end == v["end"] and bool(snap["deleted"]) == v["deleted"]
                and (v["deleted"] or bool(snap["incomplete"]) == v["incomplete"])
                and bool(snap["tally"]) == v["tally"] and same(v["summary"], summary(snap)))
    if kind == "status-ended":
        return snap["ended_at"] is not None
    if kind == "status-tally":
        return bool(snap["tally"]) and any(
            lab == v[0] for d in DIMS for cid, lab in d["codes"]
            if {"dimension": d["id"], "code": cid} in [{"dimension": c["dimension"], "code": c["code"]}
                                                      for c in snap["codes"]])
    if kind == "status-started":
        return snap["started_at"][11:19] == v[0]
    if kind == "status-note":
        return snap["note"] is not None
    if kind == "status-deleted":
        return bool(snap["deleted"])
    if kind == "status-restored":
        return not snap["deleted"]
    if kind == "status-text-removed":
        dim = next((d for d in DIMS if d["label"] == v[0]), None)
        return dim is None or not answer(snap, dim)
    if kind in ("status-chosen", "status-removed"):
        dim = next((d for d in DIMS if d["label"] == v[0]), None)
        if dim is None:
            return True  # not a code (a note's or times' message)
        a = answer(snap, dim)
        text = v[1]
        if kind == "status-removed":
            return text not in a.split(", ")
        return text in a or same(text, a)
    raise AssertionError(kind)


class Crash(ObserveTest):
    def note(self, msg):
        return "%s (seed %d: CARNET_CRASH_SEED=%d replays this run)" % (msg, SEED, SEED)

    # ---- the study ----

    def snapshots(self, con, ix):
        return [json.loads(a) for (a,) in con.execute(
            "SELECT after FROM audit WHERE interaction_id = ? ORDER BY seq", (ix,))]

    def numbers(self, con, session, adopted):
        """The numbers the screen gives the interactions of a session: the
        ones taken up first, then each one created, in order."""
        ids = list(adopted) + [i for (i,) in con.execute(
            "SELECT a.interaction_id FROM audit a JOIN interaction i ON i.id = a.interaction_id"
            " WHERE i.session_id = ? AND a.action IN ('create', 'tally') ORDER BY a.seq", (session,))]
        return {n: i for n, i in enumerate(ids, 1)}

    def check_rows_are_their_last_snapshot(self, con):
        for (ix,) in con.execute("SELECT id FROM interaction"):
            snap = self.snapshots(con, ix)[-1]
            row = con.execute("SELECT started_at, ended_at, note, deleted, tally, incomplete FROM interaction"
                              " WHERE id = ?", (ix,)).fetchone()
            self.assertEqual(row, (snap["started_at"], snap["ended_at"], snap["note"], snap["deleted"], snap["tally"],
                                   snap["incomplete"]), self.note("row and last audit snapshot differ"))
            codes = set(con.execute("SELECT dimension_id, code_id, other_text FROM interaction_code"
                                    " WHERE interaction_id = ?", (ix,)))
            self.assertEqual(codes, {(c["dimension"], c["code"], c["other"]) for c in snap["codes"]},
                             self.note("codes and last audit snapshot differ"))
            texts = set(con.execute("SELECT dimension_id, text FROM interaction_text WHERE interaction_id = ?", (ix,)))
            self.assertEqual(texts, {(t["dimension"], t["text"]) for t in snap["texts"]},
                             self.note("answers and last audit snapshot differ"))

    def check_screen(self, con, screen, session, adopted, strict):
        claims, on_session = parse(screen)
        nums = self.numbers(con, session, adopted)
        for n, kind, v in claims:
            self.assertIn(n, nums, self.note("the screen shows #%d, which is not in the study:\n%s" % (n, screen)))
            snaps = self.snapshots(con, nums[n])
            pool = snaps[-1:] if strict and not kind.startswith("status-") else snaps
            self.assertTrue(any(holds(kind, v, s) for s in pool), self.note(
                "the screen showed #%d %s %r, the study %s:\n%s\nsnapshots: %s" % (
                    n, kind, v, "holds otherwise" if strict else "never held it", screen,
                    json.dumps(pool, ensure_ascii=False)[-3000:])))
        for what, at in on_session:
            if what == "paused":
                rows = con.execute("SELECT started_at FROM pause WHERE session_id = ?", (session,)).fetchall()
                self.assertTrue(rows and (at is None or any(r[0][11:19] == at for r in rows)),
                                self.note("the screen said the session was paused (%s): no pause in the study" % at))
            else:
                rows = con.execute("SELECT created_at FROM session_note WHERE session_id = ?", (session,)).fetchall()
                self.assertTrue(any(r[0][11:19] == at for r in rows),
                                self.note("the screen said a field note was recorded at %s: not in the study" % at))
        return len(claims)

    def left_open(self, con):
        return con.execute(
            "SELECT i.id, i.updated_at FROM interaction i JOIN observer o ON o.id = i.observer_id"
            " WHERE o.name = ? AND i.ended_at IS NULL AND NOT i.deleted ORDER BY i.started_at, i.id",
            (OBSERVER,)).fetchall()

    # ---- the terminal ----

    def send(self, t, items):
        """Sends items in one tmux command line, a burst; but a key that
        follows Escape at once is read with it as one unknown key (Alt-c),
        as from a terminal: after Escape the burst waits for curses'
        escape delay, as a person's next key would."""
        for i, (kind, v) in enumerate(items):
            if kind == "key" and v == "Escape" and i + 1 < len(items):
                self.send(t, items[:i + 1])
                time.sleep(0.06)
                return self.send(t, items[i + 1:])
        args = []
        for kind, v in items:
            if args:
                args.append(";")
            if kind == "text":
                # tmux takes an argument ending in ";" for its separator.
                args += ["send-keys", "-t", "t", "-l", v[:-1] + "\\;" if v.endswith(";") else v]
            else:
                args += ["send-keys", "-t", "t", v]
        if args:
            t._tmux(*args)

    def sync(self, t):
        """Waits until every key sent is handled: F12 does nothing on the
        coding screen and the history but say so, and records nothing.  A
        line being typed is left first (Escape records nothing either; F12
        just after Escape is read as F12), as is the help."""
        for _ in range(5):
            s = t.screen()
            keybar = (s.split("\n") + [""] * H)[H - 1]
            if "Enter record" in keybar or "carnet observe: the keys" in s or "When not to use it" in s:
                t.send("Escape")
            t.send("F12")
            try:
                return t.wait_for("The key F12 does nothing here", timeout=4)
            except AssertionError:
                pass  # it closed the help or a code's entry: again
        return t.wait_for("The key F12 does nothing here", timeout=1)

    def test_sigkill_at_random_moments_loses_nothing_shown_as_recorded(self):
        try:
            self.run_kills()
        except AssertionError as e:
            if "CARNET_CRASH_SEED" in str(e):
                raise
            raise AssertionError(self.note(str(e))) from e

    def run_kills(self):
        rng = random.Random(SEED)
        adopted = []
        checked = strict_kills = 0
        for kill in range(1, KILLS + 1):
            con = sqlite3.connect(self.db)
            offered = self.left_open(con)
            con.close()
            t = self.observe(width=W, height=H, wait=False, observer=OBSERVER)
            adopted = []
            if offered:
                s = t.wait_for("left open by an earlier session", timeout=20)
                word = "1 interaction of yours was" if len(offered) == 1 else "%d interactions of yours were" % len(
                    offered)
                self.assertIn(word, s.replace("\n  ", " "), self.note("interactions left open"))
                choice = rng.choice(["on", "on", "end", "leave", "kill"])
                if choice == "on":
                    t.send("Enter")
                    t.wait_for("taken up")
                    adopted = [i for i, _ in offered]
                elif choice == "end":
                    t.send("Down", "Enter")
                    t.wait_for("ended")
                elif choice == "leave":
                    t.send("Escape")
                    t.wait_for("Space new")
                else:
                    t.kill()
                    t.close()
                    self.check_after_kill(None, None, [], False)
                    continue
                if choice == "end":
                    con = sqlite3.connect(self.db)
                    for i, updated in offered:
                        (ended,) = con.execute("SELECT ended_at FROM interaction WHERE id = ?", (i,)).fetchone()
                        self.assertEqual(ended, updated, self.note("not ended at its last change"))
                    con.close()
            else:
                t.wait_for("Space new", timeout=20)
            con = sqlite3.connect(self.db)
            (session,) = con.execute("SELECT id FROM session ORDER BY id DESC LIMIT 1").fetchone()
            con.close()

            items = [k for _ in range(rng.randint(4, 24)) for k in action(rng)]
            mode = rng.choice(["burst", "burst", "keys", "quiet", "quiet"])
            cut = len(items) if mode == "quiet" else rng.randint(1, len(items))
            # A line of text may be cut in the middle: killed while typing.
            if cut < len(items) and items[cut - 1][0] == "text" and len(items[cut - 1][1]) > 3:
                v = items[cut - 1][1]
                items[cut - 1] = ("text", v[:rng.randint(1, len(v) - 1)])
            if mode == "keys":
                for it in items[:cut]:
                    self.send(t, [it])
                    time.sleep(0.06 if it == ("key", "Escape") else rng.random() * 0.03)
            else:
                self.send(t, items[:cut])
            if mode == "quiet":
                self.sync(t)
                screen = t.screen()
                strict_kills += 1
            else:
                time.sleep(rng.choice([0, 0, 0.01, 0.05, 0.2]))
                screen = t.screen()
            t.kill()
            t.close()
            n = self.check_after_kill(screen, session, adopted, mode == "quiet")
            checked += n
            if os.environ.get("CARNET_CRASH_VERBOSE"):
                kinds = sorted({k for _, k, _ in parse(screen)[0]})
                print("kill %d: %s, %d of %d keys, %d claims checked: %s" % (kill, mode, cut, len(items), n,
                                                                           " ".join(kinds)))
                if os.environ.get("CARNET_CRASH_VERBOSE") == "2":
                    print(items[:cut])
                    print(screen)
        # The run ends as a day does: every open interaction ended.
        t = self.observe(width=W, height=H, wait=False, observer=OBSERVER)
        con = sqlite3.connect(self.db)
        n = len(self.left_open(con))
        con.close()
        if n:
            t.wait_for("left open by an earlier session", timeout=20)
            t.send("Down", "Enter")
            t.wait_for("ended")
        t.send("F10")
        t.wait_until(lambda s: "still open" in s or t.dead(), "quitting")
        if not t.dead():
            t.send("F10")
        self.assertEqual(t.exit_status(), 0)
        con = sqlite3.connect(self.db)
        self.check_rows_are_their_last_snapshot(con)
        (sessions,) = con.execute("SELECT count(*) FROM session").fetchone()
        con.close()
        self.assert_intact()
        self.assertEqual(sessions, KILLS + 1)
        self.assertGreater(checked, KILLS, self.note("too few claims read from the screens"))
        self.assertGreater(strict_kills, 0)

    def check_after_kill(self, screen, session, adopted, strict):
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)], self.note("integrity_check"))
        con = sqlite3.connect(self.db)
        try:
            self.check_rows_are_their_last_snapshot(con)
            return self.check_screen(con, screen, session, adopted, strict) if screen else 0
        finally:
            con.close()
