"""Every statement of a compiled protocol in plain words for the patient.

Reads the compiled document (schema version 2) only, and says only what it says: doses,
sides, tempo, loads with their gates, stop rules, ranges, modifications, errors and fixes, the
schedule, the week table, the source and every note. ``side`` ("left" or "right") names the
patient's affected side; without it `affected` and `unaffected` stay as written.
"""

from __future__ import annotations

import json
from typing import Any

Json = dict[str, Any]

OTHER = {"left": "right", "right": "left", "affected": "unaffected", "unaffected": "affected"}
OPS = {"<": "is below", "<=": "is at most", ">": "is above", ">=": "is at least", "=": "is"}
SUPPORT = {"both_hands": "hold on with both hands", "one_hand": "hold on with one hand",
           "fingertip": "fingertip support only", "none": "no hand support"}
CONTRACTION = {"eccentric": "work the lowering only, the return assisted (eccentric)",
               "concentric": "work the lifting only (concentric)",
               "isometric": "hold still against the effort (isometric)"}
PHASES = ("lower", "pause", "lift", "pause")


def number(x: float | int, places: int = 1) -> str:
    """A number with at most ``places`` decimals and no trailing zeros."""
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def span(r: Json | None, places: int = 1) -> str:
    """A range: `8-12`, `10`, `3 or more` for an open range."""
    if r is None:
        return ""
    lo, hi = number(r["min"], places), None if r["max"] is None else number(r["max"], places)
    if hi is None:
        return f"{lo} or more"
    return lo if lo == hi else f"{lo}-{hi}"


def plural(r: Json | None, one: str, many: str) -> str:
    """``one`` for a range of exactly 1, else ``many``."""
    return one if r is not None and r["min"] == 1 and r["max"] == 1 else many


def duration(r: Json | None) -> str:
    """Seconds in words: `30-60 seconds`, `20-30 minutes` (whole minutes from one up)."""
    if r is None:
        return ""
    lo, hi = r["min"], r["max"]
    if lo >= 60 and lo % 60 == 0 and (hi is None or hi % 60 == 0):
        mins = {"min": lo / 60, "max": None if hi is None else hi / 60}
        return f"{span(mins)} {plural(mins, 'minute', 'minutes')}"
    return f"{span(r)} {plural(r, 'second', 'seconds')}"


def metres(r: Json | None) -> str:
    """A distance in words: `400 m`, `1.61 km`."""
    if r is None:
        return ""
    if r["min"] >= 1000:
        return f"{span({'min': r['min'] / 1000, 'max': r['max'] and r['max'] / 1000}, 2)} km"
    return f"{span(r)} m"


def kilograms(r: Json | None) -> str:
    """Kilograms with one decimal at most: `2.3-4.5 kg`."""
    return "" if r is None else f"{span(r)} kg"


def cap(text: str) -> str:
    """``text`` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


class Words:
    """The plain-language renderer of one compiled document for one side binding."""

    def __init__(self, document: Json, side: str | None = None) -> None:
        self.doc = document
        self.side = side
        self.conditions = {c["name"]: c["text"] for c in document["conditions"]}
        self.measures = {m["name"]: m for m in document.get("measures", [])}
        self.equipment = {e["name"]: e["text"] for e in document["equipment"]}

    # -- sides -----------------------------------------------------------------------------
    def bind(self, side: str) -> str:
        """A side of the document as a word: `left`, or `affected` bound to the chosen side."""
        if self.side is not None and side == "affected":
            return self.side
        if self.side is not None and side == "unaffected":
            return OTHER[self.side]
        return side

    def side_name(self, side: str) -> str:
        """A side for a sentence: `right`, `your affected side`, `left (your affected side)`."""
        if side in ("affected", "unaffected"):
            if self.side is None:
                return f"your {side} side"
            return f"{self.bind(side)} (your {side} side)"
        return side

    def fill(self, text: str, side: str) -> str:
        """A text with `{side}` and `{other side}` filled in for ``side`` (bound)."""
        if side == "both" or "{" not in text:
            return text
        return text.replace("{side}", self.bind(side)).replace("{other side}",
                                                                 self.bind(OTHER[side]))

    def sides(self, d: Json) -> str:
        """`each side, right first`; `your affected side only`; empty for both sides."""
        order = d["side_order"]
        if d["sides"] == "both":
            return ""
        if d["sides"] in ("each", "alternating"):
            first = self.side_name(order[0])
            how = "each side" if d["sides"] == "each" else "alternating sides every repetition"
            return f"{how}, {first} first"
        name = self.side_name(order[0])
        if order[0] in ("affected", "unaffected") and self.side is not None:
            return f"{self.bind(order[0])} side only (your {order[0]} side)"
        return f"{name} only" if name.startswith("your") else f"{name} side only"

    # -- expressions -----------------------------------------------------------------------
    def expr(self, e: Json | None, top: bool = True, quote: bool = False) -> str:
        """A condition expression in words; named conditions by their text (quoted inside a
        compound, or always with ``quote``)."""
        if e is None:
            return ""
        if "condition" in e or "text" in e:
            text = self.conditions.get(e["condition"], e["condition"]) if "condition" in e \
                else e["text"]
            return text if top and not quote else quoted(text)
        if "measure" in e:
            m = self.measures.get(e["measure"])
            text = m["text"] if m else e["measure"]
            scale = f" (on a {span(m['scale'])} scale)" if m and m["scale"] else ""
            unit = m["unit"] if m else None
            value = {"min": e["value"], "max": e["value"]}
            amount = {"s": duration, "kg": kilograms, "m": metres}.get(unit)
            said = amount(value) if amount else (f"{number(e['value'])} degrees"
                                                 if unit == "deg" else number(e["value"]))
            return f"{quoted(text)}{scale} {OPS[e['op']]} {said}"
        if "not" in e:
            return "not " + self.expr(e["not"], False)
        parts = [self.expr(p, False) for p in e.get("all") or e.get("any") or []]
        text = (" and " if "all" in e else " or ").join(parts)
        return text if top else f"({text})"

    def gate(self, e: Json | None) -> str:
        """A gate or criterion in words, every condition's text quoted."""
        return self.expr(e, True, True)

    def rules(self, exprs: list[Json]) -> list[str]:
        """Stop rules as items: a rule `A or B` gives one item each; repeats are dropped."""
        items: list[str] = []
        for e in exprs:
            for part in e["any"] if "any" in e else [e]:
                text = cap(self.expr(part))
                if text not in items:
                    items.append(text)
        return items

    # -- frequency and dose ----------------------------------------------------------------
    def frequency(self, f: Json | None) -> str:
        """`3 times a week`, `every day`, `6-8 times a day`, `every 2-3 days`, `as needed`."""
        if f is None:
            return ""
        count, form = f["count"], f["form"]
        if form == "daily":
            return "every day"
        if form == "as_needed":
            return "as needed"
        if form == "times_daily":
            return f"{self._times(count)} a day"
        if form == "times_weekly":
            return f"{self._times(count)} a week"
        return f"every {span(count)} {plural(count, 'day', 'days')}"

    @staticmethod
    def _times(count: Json) -> str:
        if count["min"] == count["max"] == 1:
            return "once"
        if count["min"] == count["max"] == 2:
            return "twice"
        return f"{span(count)} times"

    def amount(self, d: Json) -> str:
        """What to do in one phrase: `2 sets of 8 repetitions`, `hold 30-60 seconds`."""
        sets, reps = d["sets"], d["reps"]
        set_words = f"{span(sets)} {plural(sets, 'set', 'sets')}"
        one_set = sets["min"] == sets["max"] == 1
        if d["reps_per_set"]:
            text = self._reps_per_set(d["reps_per_set"], set_words)
        elif d["distance_m"] is not None:
            text = f"cover {metres(d['distance_m'])}"
            if d["duration_s"] is not None:
                text += f" over {duration(d['duration_s'])}"
            if not one_set:
                text = f"{set_words}, each: {text}"
        elif d["duration_s"] is not None:
            text = f"keep going for {duration(d['duration_s'])}"
            if not one_set:
                text = f"{set_words}, each: {text}"
        elif d["hold_s"] is not None and reps is not None and reps["min"] == reps["max"] == 1:
            text = f"hold {duration(d['hold_s'])}"
            if not one_set:
                text = f"{set_words}, each: {text}"
        elif reps is not None:
            text = f"{set_words} of {span(reps)} {plural(reps, 'repetition', 'repetitions')}"
            if one_set:
                text = f"{span(reps)} {plural(reps, 'repetition', 'repetitions')}"
            if d["hold_s"] is not None:
                text += f", hold each {duration(d['hold_s'])}"
        else:
            text = set_words
        if d["breaths"] is not None:
            breaths = f"{span(d['breaths'])} {plural(d['breaths'], 'breath', 'breaths')}"
            text = breaths if text == "1 set" else f"{text}, {breaths}"
        return text

    @staticmethod
    def _reps_per_set(entries: list[Json], set_words: str) -> str:
        """`3 sets: 12, 10 then 8 repetitions`; `2 sets, as many repetitions as you can in
        each (up to 12)`; `3 sets of repetitions: 10, 10 then as many as you can`."""
        def one(e: Json) -> str:
            if not e["as_many_as_possible"]:
                return span(e["reps"])
            if e["reps"]["max"] is None:
                return "as many as you can"
            return f"as many as you can (up to {number(e['reps']['max'])})"

        said = [one(e) for e in entries]
        amap = any(e["as_many_as_possible"] for e in entries)
        if amap and len(set(said)) == 1:
            upto = said[0][len("as many as you can"):]
            if set_words == "1 set":
                return f"as many repetitions as you can{upto}"
            return f"{set_words}, as many repetitions as you can in each{upto}"
        listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " then " + said[-1]
        return f"{set_words} of repetitions: {listed}" if amap else \
            f"{set_words}: {listed} repetitions"

    def tempo(self, t: Json | None) -> str:
        """`tempo 3-0-1: lower 3 seconds, pause 0 seconds, lift 1 second`."""
        if t is None:
            return ""
        said = []
        for name, p in zip(PHASES, t["phases"]):
            if p == "x":
                said.append(f"{name} as fast as possible")
            else:
                said.append(f"{name} {p} {'second' if p == 1 else 'seconds'}")
        return f"tempo {'-'.join(str(p) for p in t['phases'])}: " + ", ".join(said)

    def dose(self, d: Json, own_frequency: bool = False) -> list[str]:
        """The dose as phrases, in reading order; the frequency only when ``own_frequency``."""
        out = [self.amount(d)]
        for text in (self.sides(d), self.tempo(d["tempo"])):
            if text:
                out.append(text)
        if d["contraction"]:
            out.append(CONTRACTION[d["contraction"]])
        if d["intensity"]:
            out.append(f"{d['intensity']} effort")
        if d["rpe"] is not None:
            out.append(f"effort {span(d['rpe'])} out of 10 (0 is rest, 10 your hardest)")
        if d["support"]:
            out.append(SUPPORT[d["support"]])
        if d["eyes"] == "closed":
            out.append("eyes closed")
        if d["rest_between_sets_s"] is not None:
            out.append(f"rest {duration(d['rest_between_sets_s'])} between sets")
        if d["rest_between_sides_s"] is not None:
            out.append(f"rest {duration(d['rest_between_sides_s'])} between sides")
        if own_frequency and d["frequency"] is not None:
            out.append(self.frequency(d["frequency"]))
        return out

    def dose_line(self, d: Json, own_frequency: bool = False) -> str:
        """The dose in one sentence: `Hold 30-60 seconds, each side, right first`."""
        return cap(", ".join(self.dose(d, own_frequency)))

    # -- loads and increases ---------------------------------------------------------------
    def load(self, ld: Json, side: str, kg: Json | None | str = "own") -> str:
        """A load with its gate: `Optional weight: 5-10 lb (2.3-4.5 kg) ..., only when: ...`."""
        amount = ld["kg"] if kg == "own" else kg
        if ld["rm"] is not None:
            what = (f"a weight you can lift {span(ld['rm'])} times "
                    f"({ld['written']}; set with your clinician)")
        elif ld["percent_1rm"] is not None:
            what = (f"{span(ld['percent_1rm'])}% of the most you can lift once "
                    f"({ld['written']}; set with your clinician)")
        else:
            what = ld["written"] if kg == "own" else kilograms(amount)
            if kg == "own" and amount is not None and not ld["written"].endswith(" kg"):
                what += f" ({kilograms(amount)})"
        if ld["equipment"]:
            what += f", using {self.equipment_text(ld['equipment'])}"
        if ld["placement"]:
            what += f", on {self.fill(ld['placement'], side)}"
        label = "Optional weight (your clinician may leave it out)" if ld["optional"] \
            else "Weight"
        return f"{label}: {what}; only when: {self.gate(ld['requires'])}"

    def equipment_text(self, name: str) -> str:
        """An equipment's text, lower case first unless it starts with an abbreviation."""
        text = self.equipment.get(name, name)
        first = text.split(" ", 1)[0]
        return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]

    def increase(self, inc: Json, level: Json) -> str:
        """`Add 5 kg every week, up to 20 kg, only while: ...`."""
        every = "every week" if inc["every"] == "week" else "every session"
        by, up = {"min": inc["by"], "max": inc["by"]}, {"min": inc["up_to"], "max": inc["up_to"]}
        what = inc["what"]
        if what in ("hold_s", "duration_s"):
            verb = "hold" if what == "hold_s" else "keep going"
            text = f"{cap(verb)} {duration(by)} longer {every}, up to {duration(up)}"
        elif what == "kg":
            text = f"Add {kilograms(by)} {every}, up to {kilograms(up)}"
            gates = [ld["requires"] for ld in level["loads"]]
            if gates:
                text += f", only while: {self.gate(gates[0])}"
        elif what == "distance_m":
            text = f"Add {metres(by)} {every}, up to {metres(up)}"
        else:
            unit = ("repetition", "repetitions") if what == "reps" else ("set", "sets")
            text = (f"Add {span(by)} {plural(by, *unit)} {every}, "
                    f"up to {span(up)} {plural(up, *unit)}")
        return text

    # -- levels ----------------------------------------------------------------------------
    def first_side(self, level: Json) -> str:
        """The side the level's texts are shown for: the first of its side order."""
        return level["dosage"]["side_order"][0]

    def texts(self, level: Json) -> Json:
        """The level's texts filled in for its first side (and the chosen binding)."""
        side = self.first_side(level)
        return {
            "steps": [self.fill(s, side) for s in level["steps"]],
            "cues": [self.fill(s, side) for s in level["cues"]],
            "errors": [(self.fill(e["error"], side), self.fill(e["fix"], side))
                       for e in level["errors"]],
            "modifications": [(self.fill(m["text"], side), m["when"])
                              for m in level["modifications"]],
        }

    def swap_note(self, level: Json) -> str:
        """How to read the texts for the second side, when they name a side."""
        order = level["dosage"]["side_order"]
        raw = level["steps"] + level["cues"] + [m["text"] for m in level["modifications"]] \
            + [t for e in level["errors"] for t in (e["error"], e["fix"])] \
            + [ld["placement"] or "" for ld in level["loads"]]
        if len(order) < 2 or not any("{side}" in t or "{other side}" in t for t in raw):
            return ""
        first, second = self.bind(order[0]), self.bind(order[1])
        return (f"The texts are written for the {first} side; for the {second} side, "
                f"read {second} for {first} and {first} for {second}.")

    def window(self, w: Json | None) -> str:
        """`from week 3`, `in weeks 2-6`, `in week 4`."""
        if w is None:
            return ""
        if w["last_week"] is None:
            return f"from week {w['first_week']}"
        if w["first_week"] == w["last_week"]:
            return f"in week {w['first_week']}"
        return f"in weeks {w['first_week']}-{w['last_week']}"

    def edges(self, exercise: Json) -> list[Json]:
        """Every advance and regress of the exercise: from, to, kind and criterion in words."""
        out = []
        for lv in exercise["levels"]:
            for kind in ("advance", "regress"):
                for p in lv[kind]:
                    out.append({"from": lv["level"], "to": p["to"], "kind": kind,
                                "text": self.gate(p["when"])})
        return out

    def same(self, a: Any, b: Any) -> bool:
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
