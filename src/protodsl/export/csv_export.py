"""CSV: the week table and the levels' static dosage, one table (standard library only).

Each row is either a `week` row (one per protocol week x exercise x level listed that week, the
compiled week table's values) or a `level` row (one per exercise level, the level's own static
dosage). The first column, `table`, tells them apart; a `level` row leaves the week columns
empty. Ranges are two columns (`_min`, `_max`); an open end or a missing value is empty.
A level reached by criterion has empty dosage and load columns in `week` rows (the week table's
`null`: its dose is not a calendar prescription) and `by_criterion` `true`. See docs/exports.md.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from protodsl.export import Options
from protodsl.export import text as t

RANGES = ("sets", "reps", "total_reps", "hold_s", "duration_s", "breaths", "distance_m",
          "rest_between_sets_s", "rest_between_sides_s", "rpe")

COLUMNS = (["table", "protocol", "week", "exercise", "exercise_title", "level", "level_title",
            "by_criterion", "level_week", "sessions_min", "sessions_max"]
           + [f"{k}_{e}" for k in RANGES for e in ("min", "max")]
           + ["reps_per_set", "sides", "side_order", "tempo", "contraction", "intensity",
              "support", "eyes", "frequency", "range_until", "loads", "loads_kg_min",
              "loads_kg_max", "week_total_reps_min", "week_total_reps_max", "requires",
              "advance", "regress", "stop_if"])


def _cell(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return t.number(x)
    return str(x)


def _dosage_cells(d: dict[str, Any] | None, side: str | None,
                  document: dict[str, Any]) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    if d is None:
        return cells
    for key in RANGES:
        r = d.get(key)
        if r is not None:
            cells[f"{key}_min"] = r["min"]
            cells[f"{key}_max"] = r["max"]
    if d.get("reps_per_set"):
        cells["reps_per_set"] = ";".join(
            ("max" if e["as_many_as_possible"] and e["reps"]["max"] is None
             else t.span(e["reps"])) for e in d["reps_per_set"])
    cells["sides"] = t.bind_side(d["sides"], side) if d.get("sides") else None
    cells["side_order"] = ";".join(t.bind_side(s, side) for s in d.get("side_order") or [])
    if d.get("tempo"):
        cells["tempo"] = "-".join(str(p) for p in d["tempo"]["phases"])
    for key in ("contraction", "intensity", "support", "eyes"):
        cells[key] = d.get(key)
    cells["frequency"] = t.frequency(d.get("frequency")) or None
    cells["range_until"] = t.expression(d.get("range_until"), document) or None
    return cells


def _loads_cells(loads: list[dict[str, Any]], kgs: list[Any] | None,
                 document: dict[str, Any]) -> dict[str, Any]:
    if not loads:
        return {}
    cells: dict[str, Any] = {"loads": " | ".join(
        t.load(ld, "own" if kgs is None else kgs[i], document) for i, ld in enumerate(loads))}
    values = [ld["kg"] for ld in loads] if kgs is None else kgs
    cells["loads_kg_min"] = ";".join("" if v is None else t.number(v["min"]) for v in values)
    cells["loads_kg_max"] = ";".join("" if v is None else t.number(v["max"]) for v in values)
    return cells


def _texts(level: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    return {
        "requires": t.expression(level.get("requires"), document) or None,
        "advance": " | ".join(f"to level {a['to']} when {t.expression(a['when'], document)}"
                              for a in level["advance"]) or None,
        "regress": " | ".join(f"to level {a['to']} when {t.expression(a['when'], document)}"
                              for a in level["regress"]) or None,
        "stop_if": " | ".join(t.expression(s, document) for s in level["stop_if"]) or None,
    }


def rows(document: dict[str, Any], options: Options) -> list[dict[str, Any]]:
    """Every row, as dicts keyed by ``COLUMNS``: the week rows, then the level rows."""
    name = document["protocol"]["name"]
    exercises = {ex["name"]: ex for ex in document["exercises"]}
    out: list[dict[str, Any]] = []
    for week in document["weeks"]:
        for wex in week["exercises"]:
            ex = exercises[wex["name"]]
            levels = {lv["level"]: lv for lv in ex["levels"]}
            for wl in wex["levels"]:
                lv = levels[wl["level"]]
                row: dict[str, Any] = {
                    "table": "week", "protocol": name, "week": week["week"],
                    "exercise": ex["name"], "exercise_title": ex["title"],
                    "level": wl["level"], "level_title": lv["title"],
                    "by_criterion": wl["by_criterion"], "level_week": wl["level_week"],
                    "sessions_min": wl["sessions"]["min"], "sessions_max": wl["sessions"]["max"]}
                row.update(_texts(lv, document))
                if wl["dosage"] is not None:  # never for a by_criterion level
                    row.update(_dosage_cells(wl["dosage"], options.side, document))
                    row.update(_loads_cells(lv["loads"], wl["loads_kg"], document))
                    total = wl["dosage"].get("total_reps")
                    if total is not None:
                        s = wl["sessions"]
                        row["week_total_reps_min"] = total["min"] * s["min"]
                        row["week_total_reps_max"] = (
                            None if total["max"] is None or s["max"] is None
                            else total["max"] * s["max"])
                out.append(row)
    for ex in document["exercises"]:
        for lv in ex["levels"]:
            row = {"table": "level", "protocol": name, "exercise": ex["name"],
                   "exercise_title": ex["title"], "level": lv["level"],
                   "level_title": lv["title"], "by_criterion": lv["by_criterion"]}
            row.update(_texts(lv, document))
            row.update(_dosage_cells(lv["dosage"], options.side, document))
            row.update(_loads_cells(lv["loads"], None, document))
            out.append(row)
    return out


def export(document: dict[str, Any], options: Options) -> bytes:
    """The CSV text (RFC 4180: CRLF line ends, a header row) as UTF-8 bytes."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(document, options):
        writer.writerow({k: _cell(row.get(k)) for k in COLUMNS})
    return buffer.getvalue().encode("utf-8")
