"""Texts shared by the exports: expressions, ranges, doses and side binding, in words.

Everything here reads the compiled document (schema version 2) only.
"""

from __future__ import annotations

from typing import Any

OTHER = {"left": "right", "right": "left"}
UNITS = {"s": " s", "kg": " kg", "deg": " deg", "m": " m", None: ""}


def number(x: float | int) -> str:
    """A number as the document has it, without a trailing `.0`."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def span(r: dict[str, Any] | None, unit: str = "") -> str:
    """A range in words: `8-12`, `10`, `3+` for an open range; empty for null."""
    if r is None:
        return ""
    lo, hi = r["min"], r["max"]
    if hi is None:
        return f"{number(lo)}+{unit}"
    if lo == hi:
        return f"{number(lo)}{unit}"
    return f"{number(lo)}-{number(hi)}{unit}"


def bind_side(side: str, bound: str | None) -> str:
    """A side of the document with `affected`/`unaffected` bound to left/right (``bound``)."""
    if bound is None:
        return side
    if side == "affected":
        return bound
    if side == "unaffected":
        return OTHER[bound]
    return side


def fill(text: str, side: str, bound: str | None) -> str:
    """A text with `{side}` and `{other side}` filled in for ``side`` (bound)."""
    if "{" not in text:
        return text
    other = {"left": "right", "right": "left", "affected": "unaffected",
             "unaffected": "affected"}
    this = bind_side(side, bound)
    if side == "both":
        return text
    return text.replace("{side}", this).replace("{other side}", bind_side(other[side], bound))


def expression(expr: dict[str, Any] | None, document: dict[str, Any], top: bool = True) -> str:
    """A compiled expression in the language's own words (`pain <= 2 and knee_control`)."""
    if expr is None:
        return ""
    if "condition" in expr:
        return str(expr["condition"])
    if "text" in expr:
        return '"' + expr["text"].replace("\\", "\\\\").replace('"', '\\"') + '"'
    if "measure" in expr:
        unit = next((m["unit"] for m in document.get("measures", [])
                     if m["name"] == expr["measure"]), None)
        return f"{expr['measure']} {expr['op']} {number(expr['value'])}{UNITS.get(unit, '')}"
    if "not" in expr:
        return "not " + expression(expr["not"], document, False)
    word = " and " if "all" in expr else " or "
    parts = expr.get("all") or expr.get("any") or []
    text = word.join(expression(p, document, False) for p in parts)
    return text if top else f"({text})"


def condition_text(expr: dict[str, Any] | None, document: dict[str, Any]) -> str:
    """An expression with each named condition's and measure's text, for people: `pain <= 2
    (Achilles pain during the exercise)`."""
    names = {c["name"]: c["text"] for c in document.get("conditions", [])}
    names.update({m["name"]: m["text"] for m in document.get("measures", [])})
    used: list[str] = []

    def walk(e: dict[str, Any]) -> None:
        for key in ("condition", "measure"):
            if key in e and e[key] in names and e[key] not in used:
                used.append(e[key])
        for sub in e.get("all", []) + e.get("any", []) + ([e["not"]] if "not" in e else []):
            walk(sub)

    if expr is None:
        return ""
    walk(expr)
    glossary = "; ".join(f"{n}: {names[n]}" for n in used)
    return expression(expr, document) + (f" ({glossary})" if glossary else "")


def frequency(freq: dict[str, Any] | None) -> str:
    """A frequency object in the language's words."""
    if freq is None:
        return ""
    form = freq["form"]
    if form == "daily":
        return "daily"
    if form == "as_needed":
        return "as needed"
    if form == "times_daily":
        return f"{span(freq['count'])} times daily"
    if form == "times_weekly":
        return f"{span(freq['count'])} times weekly"
    return f"every {span(freq['count'])} days"


def seconds(r: dict[str, Any] | None) -> str:
    return span(r, " s")


def dosage(d: dict[str, Any] | None, loads: list[dict[str, Any]] | None = None,
           loads_kg: list[Any] | None = None, side: str | None = None,
           document: dict[str, Any] | None = None) -> str:
    """A dosage in one line: `3 sets x 15 reps (affected), hold 5 s, rest 60 s; 5 kg`.

    ``loads`` are the level's load objects; ``loads_kg`` the week's kilograms for them (a
    ramp's), which replace the loads' own kilograms when given.
    """
    if d is None:
        return ""
    parts: list[str] = []
    sets = span(d["sets"])
    sets += " set" if sets == "1" else " sets"
    if d.get("reps_per_set"):
        reps = ", ".join("max" if e["as_many_as_possible"] and e["reps"]["max"] is None
                         else span(e["reps"]) + (" (as many as possible)"
                                                 if e["as_many_as_possible"] else "")
                         for e in d["reps_per_set"])
        parts.append(f"{sets}: {reps} reps")
    elif d.get("reps") is not None:
        parts.append(f"{sets} x {span(d['reps'])} reps")
    else:
        parts.append(sets)
    for key, label in (("hold_s", "hold"), ("duration_s", "duration")):
        if d.get(key) is not None:
            parts.append(f"{label} {seconds(d[key])}")
    if d.get("breaths") is not None:
        parts.append(f"{span(d['breaths'])} breaths")
    if d.get("distance_m") is not None:
        parts.append(f"distance {span(d['distance_m'], ' m')}")
    order = [bind_side(s, side) for s in d.get("side_order") or []]
    if order and order != ["both"]:
        parts.append("sides " + " then ".join(order))
    if d.get("tempo"):
        parts.append("tempo " + "-".join(str(p) for p in d["tempo"]["phases"]))
    for key in ("contraction", "intensity"):
        if d.get(key):
            parts.append(str(d[key]))
    if d.get("rpe") is not None:
        parts.append(f"RPE {span(d['rpe'])}")
    if d.get("support"):
        parts.append(f"support {d['support'].replace('_', ' ')}")
    if d.get("eyes") == "closed":
        parts.append("eyes closed")
    if d.get("rest_between_sets_s") is not None:
        parts.append(f"rest {seconds(d['rest_between_sets_s'])} between sets")
    if d.get("rest_between_sides_s") is not None:
        parts.append(f"rest {seconds(d['rest_between_sides_s'])} between sides")
    text = ", ".join(parts)
    if loads:
        text += "; " + "; ".join(load(ld, "own" if loads_kg is None else loads_kg[i],
                                      document)
                                 for i, ld in enumerate(loads))
    return text


def load(ld: dict[str, Any], kg: dict[str, Any] | None | str = "own",
         document: dict[str, Any] | None = None) -> str:
    """A load in words, with its gate when ``document`` is given; ``kg`` replaces its own
    kilograms (a week's value)."""
    amount = ld["kg"] if kg == "own" else kg
    if ld["rm"] is not None:
        what = f"{span(ld['rm'])} RM"
    elif ld["percent_1rm"] is not None:
        what = f"{span(ld['percent_1rm'])} % 1RM"
    elif amount is not None:
        what = span(amount, " kg")
    else:
        what = ld["written"]
    if ld.get("equipment"):
        what += f" {ld['equipment']}"
    if ld.get("placement"):
        what += f" on {ld['placement']}"
    if ld.get("optional"):
        what = "optional " + what
    if document is not None and ld.get("requires") is not None:
        what += f" (only while {expression(ld['requires'], document)})"
    return what
