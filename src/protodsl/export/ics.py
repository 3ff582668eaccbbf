"""iCalendar (RFC 5545): one recurring event per session pattern, with `icalendar`.

The schedule's session is one series; each exercise done as its own bout (`bout` not null, its
own `frequency`) is a series of its own. A series is split where what its description says
changes (a week window starts or ends, a ramp moves on a week): each part is one VEVENT with an
RRULE and an UNTIL at the end of its last week. Week k of the protocol is the 7 days from
``start + 7 (k - 1)``. Sessions are placed so that each protocol week holds exactly the week
table's sessions (at the lower end of a range of rates): see docs/exports.md.
Times are floating (the patient's local time); DTSTAMP is the start date, so output is
deterministic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar, Event

from protodsl.export import Options
from protodsl.export import text as t

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MORNING = 9  # the hour of a once-a-day session


class Slot:
    """Where the sessions of a rate fall: one RRULE (with its first occurrence's offset)."""

    def __init__(self, rule: dict[str, Any], first_day: int, hour: int, minute: int = 0,
                 phase: int | None = None) -> None:
        self.rule = rule
        self.first_day = first_day  # day offset of the first occurrence within a week (or phase)
        self.hour = hour
        self.minute = minute
        self.phase = phase  # every N days: session i is on protocol day i * N - 1


def slots(freq: dict[str, Any]) -> list[Slot]:
    """The RRULEs of a frequency at the lower end of its rate (none for `as needed`)."""
    form = freq["form"]
    if form == "daily":
        return [Slot({"freq": "daily"}, 0, MORNING)]
    if form == "times_daily":
        n = freq["count"]["min"]
        if n == 1:
            return [Slot({"freq": "daily"}, 0, MORNING)]
        hours = [8 + (i * 12) // (n - 1) for i in range(n)] if n <= 13 else [
            (i * 24) // n for i in range(n)]
        if len(set(hours)) == n:
            return [Slot({"freq": "daily", "byhour": hours, "byminute": [0]}, 0, hours[0])]
        minutes = [(i * 24 * 60) // n for i in range(n)]
        return [Slot({"freq": "daily"}, 0, m // 60, m % 60) for m in minutes]
    if form == "times_weekly":
        n = freq["count"]["min"]
        out = []
        rounds = (n + 6) // 7
        for r in range(0, rounds):
            k = min(7, n - 7 * r)
            offsets = [(i * 7) // k for i in range(k)]
            hour = MORNING + 4 * r if rounds <= 3 else (r * 24) // rounds
            out.append(Slot({"freq": "weekly", "_offsets": offsets}, 0, hour))
        return out
    if form == "every_days":
        d = freq["count"]["max"]  # the lower rate: the longer interval
        return [Slot({"freq": "daily", "interval": d}, 0, MORNING, phase=d)]
    return []  # as needed: no fixed sessions


def _until(start: dt.date, last_week: int) -> dt.datetime:
    end = start + dt.timedelta(days=7 * last_week - 1)
    return dt.datetime.combine(end, dt.time(23, 59, 59))


def _first(start: dt.date, week: int, slot: Slot) -> dt.datetime | None:
    """The first occurrence of ``slot`` in or after protocol week ``week``."""
    day0 = 7 * (week - 1)
    if slot.phase is not None:
        d = slot.phase
        i = max(1, -(-(day0 + 1) // d))  # smallest i with i*d - 1 >= day0
        day = i * d - 1
    else:
        day = day0 + slot.first_day
    return dt.datetime.combine(start + dt.timedelta(days=day), dt.time(slot.hour, slot.minute))


def _rrule(slot: Slot, start: dt.date, until: dt.datetime | None) -> dict[str, Any]:
    rule = {k: v for k, v in slot.rule.items() if not k.startswith("_")}
    if "_offsets" in slot.rule:
        rule["byday"] = [DAYS[(start + dt.timedelta(days=o)).weekday()]
                         for o in slot.rule["_offsets"]]
        rule["wkst"] = DAYS[start.weekday()]
    if until is not None:
        rule["until"] = until
    return rule


def _stop_lines(document: dict[str, Any], levels: list[dict[str, Any]]) -> list[str]:
    seen: list[str] = []
    for expr in list(document["stop_if"]) + [s for lv in levels for s in lv["stop_if"]]:
        line = t.condition_text(expr, document)
        if line not in seen:
            seen.append(line)
    return seen


def _into(exercise: dict[str, Any], level: int, document: dict[str, Any]) -> str:
    """The criteria that lead into ``level`` (its advances), in words."""
    whens = [t.expression(a["when"], document) for lv in exercise["levels"]
             for a in lv["advance"] if a["to"] == level]
    return " or ".join(f"({w})" if len(whens) > 1 else w for w in whens) or "its criterion"


def describe(document: dict[str, Any], entries: list[tuple[dict[str, Any], dict[str, Any]]],
             options: Options) -> str:
    """A series' description: the stop rules first, then each exercise and its levels' doses.

    ``entries`` pairs each exercise with its week-table entry (or a synthetic one without
    weeks). A level reached by criterion shows its criterion, never a dose.
    """
    levels = [lv for ex, _ in entries for lv in ex["levels"]]
    lines = ["STOP and seek advice if:"]
    lines += [f"- {s}" for s in _stop_lines(document, levels)] or ["- (no stop rule)"]
    for ex, wex in entries:
        head = ex["title"] or ex["name"]
        lines.append("")
        lines.append(f"{head} ({ex['name']})"
                     + (f" - only if {t.expression(ex['requires'], document)}"
                        if ex["requires"] else ""))
        by_level = {lv["level"]: lv for lv in ex["levels"]}
        for wl in wex["levels"]:
            lv = by_level[wl["level"]]
            name = f"Level {lv['level']}" + (f" ({lv['title']})" if lv["title"] else "")
            if wl["dosage"] is None:
                lines.append(f"  {name}: only when the criterion is met "
                             f"({_into(ex, lv['level'], document)}); its dose starts from "
                             f"that day, not from this calendar")
                continue
            dose = t.dosage(wl["dosage"], lv["loads"], wl["loads_kg"], options.side, document)
            extra = f" - only if {t.expression(lv['requires'], document)}" if (
                lv["requires"] and lv["requires"] != ex["requires"]) else ""
            lines.append(f"  {name}: {dose}{extra}")
    return "\n".join(lines)


def _static_weeks(document: dict[str, Any], exercise: dict[str, Any]) -> dict[str, Any]:
    """A week-table entry for a protocol without weeks: the levels that start by calendar."""
    return {"name": exercise["name"], "levels": [
        {"level": lv["level"], "dosage": None if lv["by_criterion"] else lv["dosage"],
         "loads_kg": None if lv["by_criterion"] else [ld["kg"] for ld in lv["loads"]]}
        for lv in exercise["levels"]]}


def series(document: dict[str, Any], options: Options
           ) -> list[tuple[str, str, dict[str, Any] | None, int, int | None, str]]:
    """Every series part: (key, summary, frequency, first week, last week, description)."""
    title = document["protocol"]["title"] or document["protocol"]["name"]
    exercises = {ex["name"]: ex for ex in document["exercises"]}
    groups: list[tuple[str, str, dict[str, Any] | None, list[str]]] = [
        ("session", f"{title}: session", document["schedule"]["frequency"]
         if document["schedule"] else None,
         [ex["name"] for ex in document["exercises"] if ex["bout"] is None])]
    for ex in document["exercises"]:
        if ex["bout"] is not None:
            groups.append((ex["name"], f"{title}: {ex['title'] or ex['name']}",
                           ex["bout"]["frequency"], [ex["name"]]))
    out = []
    for key, summary, freq, names in groups:
        if freq is None or not names:
            continue
        if not document["weeks"]:
            windows = [exercises[n]["window"] for n in names]
            first = min((w["first_week"] if w else 1) for w in windows)
            entries = [(exercises[n], _static_weeks(document, exercises[n])) for n in names]
            out.append((key, summary, freq, first, None, describe(document, entries, options)))
            continue
        parts: list[tuple[int, int, str]] = []
        for week in document["weeks"]:
            entries = [(exercises[w["name"]], w) for w in week["exercises"]
                       if w["name"] in names]
            if not entries:
                continue
            text = describe(document, entries, options)
            if parts and parts[-1][2] == text and parts[-1][1] == week["week"] - 1:
                parts[-1] = (parts[-1][0], week["week"], text)
            else:
                parts.append((week["week"], week["week"], text))
        out += [(key, summary, freq, a, b, text) for a, b, text in parts]
    return out


def export(document: dict[str, Any], options: Options) -> bytes:
    """The calendar as bytes (CRLF, UTF-8)."""
    start: dt.date = options.start
    name = document["protocol"]["name"]
    cal = Calendar()
    cal.add("prodid", "-//protodsl//export ics//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", document["protocol"]["title"] or name)
    notes = [f"Protocol {name}, from {start.isoformat()}."]
    freq = (document["schedule"] or {}).get("frequency")
    if freq is not None and freq["form"] == "as_needed":
        notes.append("The session is done as needed: it has no dated events.")
    notes += document["protocol"]["notes"]
    cal.add("x-wr-caldesc", " ".join(notes))
    stamp = dt.datetime.combine(start, dt.time(0, 0), tzinfo=dt.timezone.utc)
    session_s = document["estimated_session_s"]
    for key, summary, freq, first, last, description in series(document, options):
        if key == "session":
            est = session_s
        else:
            est = next(ex["bout"]["estimated_s"] for ex in document["exercises"]
                       if ex["name"] == key)
        minutes = max(1, -(-int((est["max"] if est["max"] is not None else est["min"])) // 60))
        until = None if last is None else _until(start, last)
        weeks = f"weeks {first}-{last}" if last is not None else f"from week {first}"
        for i, slot in enumerate(slots(freq)):
            begin = _first(start, first, slot)
            if begin is None or (until is not None and begin > until):
                continue
            event = Event()
            event.add("uid", f"{name}-{key}-w{first}-{i + 1}@protodsl")
            event.add("dtstamp", stamp)
            event.add("summary", summary)
            event.add("dtstart", begin)
            event.add("duration", dt.timedelta(minutes=minutes))
            event.add("rrule", _rrule(slot, start, until))
            event.add("description", f"{description}\n\nWhen: {t.frequency(freq)}, {weeks}.")
            event.add("categories", ["protodsl", key])
            cal.add_component(event)
    return cal.to_ical()
