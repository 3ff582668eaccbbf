"""The ics export read back with `icalendar` and expanded with `recurring-ical-events`.

Every protocol of protocols/ and of the conformance valid set: each protocol week holds
exactly the sessions of the week table (each series: the schedule's session, and every exercise
done as its own bout), on dates inside that week; criterion levels carry no dose.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

icalendar = pytest.importorskip("icalendar")
recurring_ical_events = pytest.importorskip("recurring_ical_events")

import protodsl  # noqa: E402
from protodsl.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "protocols").glob("*.protocol")) + sorted(
    (ROOT / "tests" / "conformance" / "valid").glob("*.protocol"))
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]
START = dt.date(2026, 3, 4)  # a Wednesday


def export_ics(capsys: pytest.CaptureFixture[str], path: Path, start: dt.date = START,
               *extra: str) -> str:
    code = main(["export", "--to", "ics", "--start", start.isoformat(), *extra, str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def occurrences(text: str, start: dt.date, weeks: int) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(text)
    end = start + dt.timedelta(days=7 * weeks)
    return list(recurring_ical_events.of(cal).between(start, end))


def series_of(event: icalendar.Event) -> str:
    cats = event.get("categories")
    cats = cats if isinstance(cats, list) else [cats]
    return [str(c) for c in cats[0].cats][1]


def week_of(event: icalendar.Event, start: dt.date) -> int:
    day = event.decoded("dtstart")
    day = day.date() if isinstance(day, dt.datetime) else day
    return (day - start).days // 7 + 1


def expected(document: dict, key: str, week: dict) -> tuple[int, int | None] | None:
    """The week table's sessions of a series in a week (None: the series is not listed)."""
    exercises = {ex["name"]: ex for ex in document["exercises"]}
    if key == "session":
        listed = [w for w in week["exercises"] if exercises[w["name"]]["bout"] is None]
    else:
        listed = [w for w in week["exercises"] if w["name"] == key]
    if not listed:
        return None
    sessions = listed[0]["sessions"]
    if key != "session":  # a bout runs at its level 1's frequency
        sessions = next((lv["sessions"] for lv in listed[0]["levels"] if lv["level"] == 1),
                        sessions)
    return sessions["min"], sessions["max"]


def check_counts(document: dict, text: str, start: dt.date) -> int:
    weeks = document["weeks"]
    found = occurrences(text, start, len(weeks))
    counted: dict[tuple[str, int], int] = {}
    for event in found:
        key = (series_of(event), week_of(event, start))
        counted[key] = counted.get(key, 0) + 1
    keys = {"session"} | {ex["name"] for ex in document["exercises"] if ex["bout"]}
    freq = (document["schedule"] or {}).get("frequency")
    as_needed = freq is not None and freq["form"] == "as_needed"
    total = 0
    for week in weeks:
        for key in keys:
            want = expected(document, key, week)
            got = counted.pop((key, week["week"]), 0)
            if want is None:
                assert got == 0, (key, week["week"])
                continue
            low, high = want
            if key == "session" and as_needed:
                assert got == 0
                continue
            if high is not None and low == high:
                assert got == low, (key, week["week"], got, want)  # exact for a single rate
            else:
                assert low <= got and (high is None or got <= high), (key, week["week"])
            total += got
    assert not counted, counted
    return total


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_ics_expands_to_the_week_table(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = protodsl.load(path)
    text = export_ics(capsys, path)
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    for event in events:
        description = str(event.get("description"))
        assert description.startswith("STOP")  # the stop rules first
    if document["weeks"]:
        check_counts(document, text, START)
    else:  # no `for N weeks`: open-ended series, expanded over four weeks
        occurrences(text, START, 4)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_criterion_levels_are_never_dated_doses(path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    document = protodsl.load(path)
    cal = icalendar.Calendar.from_ical(export_ics(capsys, path))
    exercises = {ex["name"]: ex for ex in document["exercises"]}
    for event in cal.walk("VEVENT"):
        current = None
        for line in str(event.get("description")).split("\n"):
            head = re.search(r"\((\w+)\)( - only if .*)?$", line)
            if head and not line.startswith(" ") and head.group(1) in exercises:
                current = exercises[head.group(1)]
            match = re.match(r"  Level (\d+)\b", line)
            if match and current is not None:
                level = next(lv for lv in current["levels"]
                             if lv["level"] == int(match.group(1)))
                assert ("only when the criterion is met" in line) == level["by_criterion"]


SCHEDULES = {
    "daily": "schedule daily for 3 weeks",
    "three_daily": "schedule 3 times daily for 3 weeks",
    "five_weekly": "schedule 5 times weekly for 4 weeks",
    "ten_weekly": "schedule 10 times weekly for 3 weeks",
    "every_3_days": "schedule every 3 days for 5 weeks",
    "every_2_days": "schedule every 2 days for 4 weeks",
    "twice_weekly": "schedule twice weekly for 6 weeks",
}


@pytest.mark.parametrize("schedule", list(SCHEDULES.values()), ids=list(SCHEDULES))
@pytest.mark.parametrize("start", [dt.date(2026, 3, 2), dt.date(2026, 12, 27)])
def test_schedules_windows_and_own_frequencies(schedule: str, start: dt.date, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gen.protocol"
    path.write_text(f"""protocol gen
  {schedule}
  stop if pain
  condition pain symptom "Pain"
  exercise squat
    kind strength
    reps 10
  exercise walk
    kind aerobic
    frequency every 2 days
    from week 2
    duration 10 min
  exercise plank
    kind strength
    during weeks 2-3
    hold 20 s
  exercise breathe
    kind mobility
    frequency 2 times daily
    during week 1
    breaths 5
""", encoding="utf-8")
    document = protodsl.load(path)
    text = export_ics(capsys, path, start)
    total = check_counts(document, text, start)
    assert total > 0
    # the dates: the first session on the start date (except every N days), all inside weeks
    found = occurrences(text, start, len(document["weeks"]))
    assert all(start <= e.decoded("dtstart").date()
               < start + dt.timedelta(days=7 * len(document["weeks"])) for e in found)
    by_series: dict[str, list[dt.date]] = {}
    for e in found:
        by_series.setdefault(series_of(e), []).append(e.decoded("dtstart").date())
    assert min(by_series["walk"]) >= start + dt.timedelta(days=7)  # from week 2
    assert max(by_series["breathe"]) < start + dt.timedelta(days=7)  # week 1 only
    assert sorted(by_series["walk"])[1] - sorted(by_series["walk"])[0] == dt.timedelta(days=2)
    if "every" not in schedule:
        assert min(by_series["session"]) == start


def test_start_is_required_and_checked(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "conformance" / "valid" / "heel_raises.protocol"
    assert main(["export", "--to", "ics", str(path)]) == 2
    assert "--start" in capsys.readouterr().err
    assert main(["export", "--to", "ics", "--start", "2026-13-01", str(path)]) == 2
