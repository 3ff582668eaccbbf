"""The handout's sections from a compiled document: the order and the words of every part.

Top to bottom: the title and purpose, the protocol's stop rules, the programme (schedule,
session time, order), what you need, one section per exercise (its stop rules first, the
progression diagram, then each level: dose, loads with their gates, steps, tips, easier
variants, common errors, moving up and back, notes), the week table, the source and the
protocol's notes.
"""

from __future__ import annotations

from typing import Any

from protodsl.handout.model import (Block, Callout, Diagram, Items, Para, Section, Table)
from protodsl.handout.words import (SUPPORT, Json, Words, cap, duration, kilograms, number,
                                    span)


def build(document: Json, side: str | None = None) -> Section:
    """The whole handout of ``document`` as a section tree (depth 1 at the root)."""
    w = Words(document, side)
    proto = document["protocol"]
    root = Section(proto["title"] or proto["name"], 1, "top")
    stops = w.rules(document["stop_if"])
    if stops:
        root.blocks.append(Callout("Stop the exercises if", tuple(stops)))
    if proto["purpose"]:
        root.blocks.append(Para(" ".join(proto["purpose"].split()), "Why"))
    root.children.append(_programme(document, w))
    if document["equipment"]:
        root.children.append(Section("What you need", 2, "equipment", [Items(tuple(
            cap(e["text"]) for e in document["equipment"]))]))
    for i, ex in enumerate(document["exercises"], 1):
        root.children.append(_exercise(i, ex, document, w))
    if document["weeks"]:
        root.children.append(Section("Week by week", 2, "weeks", [_weeks(document, w)]))
    root.children.append(_source(document))
    return root


def _programme(document: Json, w: Words) -> Section:
    sched = document["schedule"]
    items: list[str] = []
    if sched["frequency"] is not None:
        length = "" if sched["weeks"] is None else \
            f" for {sched['weeks']} week{'s' if sched['weeks'] != 1 else ''}"
        items.append(f"Sessions: {w.frequency(sched['frequency'])}{length}.")
    else:
        items.append("The protocol gives no schedule of sessions.")
    est = document["estimated_session_s"]
    if any(ex["bout"] is None for ex in document["exercises"]):
        items.append(f"One session takes about {_minutes(est)}.")
    if sched["session_limit_s"] is not None:
        limit = {"min": sched["session_limit_s"], "max": sched["session_limit_s"]}
        items.append(f"A session should take at most {duration(limit)}.")
    order = []
    for ex in document["exercises"]:
        text = _title(ex)
        if ex["bout"] is not None:
            text += f" (on its own, {w.frequency(ex['bout']['frequency'])})"
        if ex["window"] is not None:
            text += f" ({w.window(ex['window'])})"
        order.append(text)
    blocks: list[Block] = [Items(tuple(items)),
                           Items(tuple(order), True, "The exercises, in this order")]
    return Section("Your programme", 2, "programme", blocks)


def _minutes(r: Json) -> str:
    """Seconds as minutes with one decimal at most: `1.5-3.3 minutes`, `at least 2 minutes`."""
    lo = number(r["min"] / 60)
    if r["max"] is None:
        return f"at least {lo} minutes"
    hi = number(r["max"] / 60)
    return f"{lo} {'minute' if lo == '1' else 'minutes'}" if lo == hi else f"{lo}-{hi} minutes"


def _title(ex: Json) -> str:
    return ex["title"] or ex["name"].replace("_", " ").capitalize()


def exercise_anchor(ex: Json) -> str:
    """The id of an exercise's section (and the prefix of its diagram's ids)."""
    return "ex-" + ex["name"]


def _exercise(i: int, ex: Json, document: Json, w: Words) -> Section:
    sec = Section(f"{i}. {_title(ex)}", 2, exercise_anchor(ex))
    outer = ex["stop_if"] + document["stop_if"]
    stops = w.rules(outer)
    if stops:
        sec.blocks.append(Callout("Stop this exercise if", tuple(stops)))
    if ex["requires"] is not None:
        sec.blocks.append(Para(w.gate(ex["requires"]), "Do this exercise only when"))
    if ex["window"] is not None:
        sec.blocks.append(Para(cap(w.window(ex["window"])) + ".", "When"))
    if ex["bout"] is not None:
        sec.blocks.append(Para(cap(f"{w.frequency(ex['bout']['frequency'])}, on its own, "
                                   f"not in the session."), "How often"))
    uses = list(ex["uses"])
    for lv in ex["levels"]:
        uses += [u for u in lv["uses"] if u not in uses]
    if uses:
        sec.blocks.append(Items(tuple(cap(w.equipment_text(u)) for u in uses), False,
                                "You need"))
    sec.blocks.append(_diagram(ex, w))
    if ex["notes"]:
        sec.blocks.append(Items(tuple(ex["notes"]), False, "Notes"))
    levels = ex["levels"]
    if len(levels) == 1:
        sec.blocks.extend(_level_blocks(levels[0], ex, outer, document, w))
    else:
        for lv in levels:
            name = f"Level {lv['level']}" + (f": {lv['title']}" if lv["title"] else "")
            sec.children.append(Section(name, 3, f"{exercise_anchor(ex)}-level-{lv['level']}",
                                        _level_blocks(lv, ex, outer, document, w)))
    return sec


def _own_frequency(lv: Json, document: Json, w: Words) -> bool:
    return not w.same(lv["dosage"]["frequency"], document["schedule"]["frequency"])


def _level_blocks(lv: Json, ex: Json, outer: list[Json], document: Json,
                  w: Words) -> list[Block]:
    blocks: list[Block] = []
    if lv["requires"] is not None:
        blocks.append(Para(w.gate(lv["requires"]), "Start this level only when"))
    if lv["window"] is not None and not w.same(lv["window"], ex["window"]):
        blocks.append(Para(cap(w.window(lv["window"])) + ".", "When"))
    if lv["by_criterion"]:
        into = [e["text"] for e in w.edges(ex)
                if e["to"] == lv["level"] and e["kind"] == "advance"]
        if into:
            blocks.append(Para("when " + " or when ".join(into) + ".", "Move up to this level"))
    own = [s for s in w.rules(lv["stop_if"]) if s not in w.rules(outer)]
    if own:
        blocks.append(Callout("Also stop at this level if", tuple(own)))
    blocks.append(Para(w.dose_line(lv["dosage"], _own_frequency(lv, document, w)) + ".",
                       "Dose"))
    side = w.first_side(lv)
    if lv["dosage"]["range_until"] is not None:
        blocks.append(Para("go only as far as this does not happen: "
                           f"{w.expr(lv['dosage']['range_until'])}.", "How far"))
    weights = [w.load(ld, side) for ld in lv["loads"]]
    weights += [w.increase(inc, lv) for inc in lv["increases"]]
    if weights:
        blocks.append(Items(tuple(weights), False, "Weights and increases"))
    if len(lv["ramp"]) > 1:
        blocks.append(_ramp(lv, w))
    texts = w.texts(lv)
    if texts["steps"]:
        blocks.append(Items(tuple(texts["steps"]), True, "Steps"))
    swap = w.swap_note(lv)
    if swap:
        blocks.append(Para(swap, "Sides"))
    if texts["cues"]:
        blocks.append(Items(tuple(texts["cues"]), False, "Tips"))
    if texts["modifications"]:
        blocks.append(Items(tuple(
            (f"If {w.gate(when)}: {text}" if when is not None else text)
            for text, when in texts["modifications"]), False, "Easier variants"))
    if texts["errors"]:
        blocks.append(Table("Common errors and their fixes", ("If this happens", "Do this"),
                            tuple(texts["errors"])))
    moves = []
    for e in w.edges(ex):
        if e["from"] == lv["level"]:
            verb = "Move up" if e["kind"] == "advance" else "Go back"
            moves.append(f"{verb} to level {e['to']} when: {e['text']}")
    if moves:
        blocks.append(Items(tuple(moves), False, "Moving between levels"))
    if lv["notes"]:
        blocks.append(Items(tuple(lv["notes"]), False, "Notes"))
    return blocks


def _ramp(lv: Json, w: Words) -> Table:
    """The level's ramp: its week, and the dose and weights where they change."""
    doses = [w.dose_line(entry["dosage"]) for entry in lv["ramp"]]
    show_dose = len(set(doses)) > 1
    has_loads = bool(lv["loads"])
    rows = []
    for entry, dose in zip(lv["ramp"], doses):
        row = [str(entry["level_week"])]
        if show_dose:
            row.append(dose)
        if has_loads:
            row.append(_week_loads(entry["loads_kg"]))
        rows.append(tuple(row))
    head = ("Week at this level",) + (("Dose",) if show_dose else ()) \
        + (("Weight, at most",) if has_loads else ())
    return Table("Week by week at this level", head, tuple(rows))


def _week_loads(loads_kg: list[Any] | None) -> str:
    if not loads_kg:
        return ""
    return ", ".join(kilograms(kg) if kg is not None else "set with your clinician"
                     for kg in loads_kg)


def _diagram(ex: Json, w: Words) -> Diagram:
    edges = w.edges(ex)
    boxes: list[dict[str, Any]] = []
    previous: Json | None = None
    for lv in ex["levels"]:
        d = lv["dosage"]
        head = f"Level {lv['level']}" + (f": {lv['title']}" if lv["title"] else "")
        marks: list[str] = []
        if lv["requires"] is not None:
            marks.append(f"Start only when: {w.gate(lv['requires'])}")
        side = w.first_side(lv)
        marks += [w.load(ld, side) for ld in lv["loads"]]
        marks += [w.increase(inc, lv) for inc in lv["increases"]]
        into = [e["text"] for e in edges if e["to"] == lv["level"] and e["kind"] == "advance"]
        gate = f"; reached when: {' or '.join(into)}" if into else ""
        if previous is not None:
            if d["support"] != previous["support"] and d["support"] is not None:
                marks.append(f"Change: {SUPPORT[d['support']]}{gate}")
            if d["eyes"] != previous["eyes"]:
                marks.append(f"Change: eyes {d['eyes']}{gate}")
        boxes.append({"level": lv["level"], "head": head, "dose": w.dose_line(d), "marks": marks})
        previous = d
    title = f"Progression of {_title(ex)}: {len(boxes)} level{'s' if len(boxes) != 1 else ''}"
    said = [f"{b['head']}. {b['dose']}." + "".join(f" {m}." for m in b["marks"]) for b in boxes]
    said += [f"{'Move up' if e['kind'] == 'advance' else 'Go back'} from level {e['from']} "
             f"to level {e['to']} when: {e['text']}." for e in edges]
    return Diagram(ex["name"], title, tuple(said), tuple(boxes), tuple(edges))


def _weeks(document: Json, w: Words) -> Table:
    titles = {ex["name"]: _title(ex) for ex in document["exercises"]}
    levels = {ex["name"]: {lv["level"]: lv for lv in ex["levels"]} for ex in document["exercises"]}
    runs: list[list[Any]] = []  # [first week, last week, exercise index, what, sessions]
    order = {ex["name"]: i for i, ex in enumerate(document["exercises"])}
    open_runs: dict[str, list[Any]] = {}
    for week in document["weeks"]:
        for entry in week["exercises"]:
            parts = []
            for lvw in entry["levels"]:
                if lvw["by_criterion"]:
                    parts.append(f"Level {lvw['level']} once you reach it: see the exercise")
                    continue
                text = f"Level {lvw['level']}: {w.dose_line(lvw['dosage'])}"
                if levels[entry["name"]][lvw["level"]]["loads"]:
                    text += "; weight at most " + _week_loads(lvw["loads_kg"])
                parts.append(text)
            what, sessions = "; ".join(parts) + ".", span(entry["sessions"], 2)
            run = open_runs.get(entry["name"])
            if run is not None and run[1] == week["week"] - 1 and run[3:] == [what, sessions]:
                run[1] = week["week"]
            else:
                run = [week["week"], week["week"], order[entry["name"]], what, sessions]
                open_runs[entry["name"]] = run
                runs.append(run)
    runs.sort(key=lambda r: (r[0], r[2]))
    body = []
    for first, last, i, what, sessions in runs:
        label = f"Week {first}" if first == last else f"Weeks {first}-{last}"
        body.append((label, titles[document["exercises"][i]["name"]], what, sessions))
    return Table("What to do each week. A weight is the most to use that week, only while its "
                 "condition holds (see the exercise).",
                 ("Weeks", "Exercise", "What to do", "Sessions a week"), tuple(body))


def _source(document: Json) -> Section:
    proto = document["protocol"]
    blocks: list[Block] = []
    if proto["source"]:
        blocks.append(Para(proto["source"], "Source"))
    if proto["author"]:
        blocks.append(Para(proto["author"], "Author"))
    if proto["version"]:
        blocks.append(Para(proto["version"], "Version"))
    if proto["notes"]:
        blocks.append(Items(tuple(proto["notes"]), False, "Notes"))
    if not blocks:
        blocks.append(Para("The protocol names no source."))
    return Section("Source and notes", 2, "source", blocks)
