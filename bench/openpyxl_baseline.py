#!/usr/bin/python3
"""The baseline of `make bench`: the interactions sheet of `carnet export`
written from the same study with Python's openpyxl (Debian's
python3-openpyxl), as a project lead would otherwise script it.

Same rows (deleted interactions left out, in order of start), same columns
(uuid, date, weekday, start, end, duration in minutes, site, observer,
session, one column per single-choice dimension with the code's label,
0/1 per code of each multiple-choice dimension, other-specify texts,
incomplete, tally, note), dates as date cells.  The notes are written as
they are: the baseline does no redaction.

    openpyxl_baseline.py --db STUDY --mode write_only|normal -o OUT.xlsx
"""
import argparse
import datetime
import sqlite3

import openpyxl
from openpyxl.cell import WriteOnlyCell

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--mode", choices=("write_only", "normal"), default="write_only")
    ap.add_argument("-o", required=True)
    a = ap.parse_args()
    con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    vid = con.execute("SELECT id FROM codebook_version ORDER BY seq DESC LIMIT 1").fetchone()[0]
    dims = con.execute("SELECT id, label, mode FROM dimension WHERE version_id = ? ORDER BY position",
                       (vid,)).fetchall()
    codes = {d: con.execute("SELECT id, label, other FROM code WHERE version_id = ? AND dimension_id = ? "
                            "ORDER BY position", (vid, d)).fetchall() for d, _, _ in dims}
    header = ["Interaction", "Date", "Weekday", "Start", "End", "Duration (min)", "Site", "Observer", "Session"]
    col = {}
    for d, label, mode in dims:
        if mode != "multiple":
            col[(d, None)] = len(header)
            header.append(label)
        else:
            for c, cl, _ in codes[d]:
                col[(d, c)] = len(header)
                header.append("%s: %s" % (label, cl))
        for c, cl, other in codes[d]:
            if other:
                col[(d, c, "text")] = len(header)
                header.append("%s: %s (specified)" % (label, cl))
    header += ["Incomplete", "Tally", "Note"]
    labels = {(d, c): cl for d in codes for c, cl, _ in codes[d]}
    multi = {d for d, _, m in dims if m == "multiple"}
    ncol = len(header)

    wb = openpyxl.Workbook(write_only=(a.mode == "write_only"))
    if a.mode == "write_only":
        ws = wb.create_sheet("Interactions")
    else:
        ws = wb.active
        ws.title = "Interactions"
    ws.append(header)
    q = con.execute(
        "SELECT i.id, i.started_at, i.ended_at, s.name, o.name, i.session_id, i.incomplete, i.tally, i.note,"
        " CASE WHEN i.ended_at IS NULL OR i.tally THEN NULL"
        "  ELSE unixepoch(i.ended_at) - unixepoch(i.started_at) - i.paused_seconds END,"
        " (SELECT group_concat(c.dimension_id || char(31) || c.code_id || char(31) || coalesce(c.other_text, ''),"
        "  char(30)) FROM interaction_code c WHERE c.interaction_id = i.id)"
        " FROM interaction i JOIN site s ON s.id = i.site_id JOIN observer o ON o.id = i.observer_id"
        " WHERE i.deleted = 0 ORDER BY i.started_at, i.id")
    date_fmt = "yyyy-mm-dd"
    dt_fmt = "yyyy-mm-dd hh:mm:ss"
    for ix, start, end, site, obs, sess, inc, tally, note, dur, answers in q:
        row = [None] * ncol
        s = datetime.datetime.fromisoformat(start[:19])
        row[0] = ix
        row[1] = s.date()
        row[2] = WEEKDAYS[s.weekday()]
        row[3] = s
        row[4] = datetime.datetime.fromisoformat(end[:19]) if end else None
        row[5] = dur / 60 if dur is not None else None
        row[6], row[7], row[8] = site, obs, sess
        for key, k in col.items():
            if len(key) == 2 and key[1] is not None:
                row[k] = 0
        for rec in (answers or "").split("\x1e"):
            if not rec:
                continue
            d, c, other = rec.split("\x1f")
            if d in multi:
                if (d, c) in col:
                    row[col[(d, c)]] = 1
            elif (d, None) in col:
                row[col[(d, None)]] = labels.get((d, c), c)
            if other and (d, c, "text") in col:
                row[col[(d, c, "text")]] = other
        row[-3], row[-2], row[-1] = inc, tally, note
        if a.mode == "write_only":
            cells = []
            for k, v in enumerate(row):
                if k in (1, 3, 4) and v is not None:
                    c = WriteOnlyCell(ws, value=v)
                    c.number_format = date_fmt if k == 1 else dt_fmt
                    cells.append(c)
                else:
                    cells.append(v)
            ws.append(cells)
        else:
            ws.append(row)
    if a.mode == "normal":
        for r in ws.iter_rows(min_row=2, min_col=2, max_col=5):
            r[0].number_format = date_fmt
            r[2].number_format = dt_fmt
            r[3].number_format = dt_fmt
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    wb.save(a.o)


if __name__ == "__main__":
    main()
