"""Hypothesis strategies for VALID protocol text: files that check without any error.

``protocols()`` draws the text of a whole protocol that exercises most of the language:
schedules of every form, units in every spelling, ranges, sides with `starting`, `extends`
chains, loads gated by a stability condition, increases of every kind and both cadences,
progressions, errors, modifications, and strings with escapes and non-ASCII characters; and the
forms of version 2: rates with ranges, `once`/`twice` and `as needed`, `frequency` on exercises
and levels, week windows, measures with scales and units, comparisons in every kind of
expression, the condition kinds `form`, `response` and `clearance`; tempo, contraction, reps
per set (with no `sets` to disagree), `reps max`, rpe, distance (with `increase distance`),
relative and optional loads, support and eyes (every advance is gated by `steady`, so levels
may take support away), `range until`, the patient's `affected`/`unaffected` sides, `{side}`
texts only where every level showing them works one side at a time, and exercise-level texts.
Validity is by construction (see the comments at each choice); warnings may occur.
"""

from __future__ import annotations

from hypothesis import strategies as st

DURATION_SPELLINGS = ("s", "sec", "secs", "second", "seconds")
MINUTE_SPELLINGS = ("min", "mins", "minute", "minutes")
KG_SPELLINGS = ("kg", "kgs", "kilogram", "kilograms")
LB_SPELLINGS = ("lb", "lbs", "pound", "pounds")
OTHER_KINDS = ("foam_roll", "mobility", "static_stretch", "dynamic_stretch", "strength",
               "release", "breathing", "balance", "aerobic")
# Measures defined by every generated protocol: name -> (definition, comparisons that can be
# true, reading as presence for stability and as absence of pain, as their places want).
MEASURES = {
    "pain_score": ('measure pain_score symptom "Pain, 0-10" scale 0-10',
                   ["pain_score <= 2", "pain_score < 3", "pain_score = 0",
                    "not pain_score > 4"]),
    "knee_flexion": ('measure knee_flexion mobility "Knee flexion" in degrees',
                     ["knee_flexion >= 90 deg", "knee_flexion > 120 degrees",
                      "knee_flexion >= -5 deg"]),
    "stance_time": ('measure stance_time stability "Single-leg stance time" in s',
                    ["stance_time >= 30 s", "stance_time > 0.5 min", "stance_time >= 10 sec"]),
}
# Stop rules that can be true, for the stop place (a symptom present, a response absent).
STOP_RULES = ["pain_score > 5", "pain_score >= 7 or \"dizzy\"", "pain_score = 10",
              "knee_flexion < 0 deg"]

# Text inside "...": letters, digits, punctuation, non-ASCII, and the two escapes.
_ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:'!?-()/#éüßñ日本✓"
_plain = st.text(st.sampled_from(_ALPHABET), min_size=1, max_size=12)
_escape = st.sampled_from(['\\"', "\\\\"])
words = st.lists(st.one_of(_plain, _plain, _escape), min_size=1, max_size=4).map("".join)


def quoted(text: str) -> str:
    return f'"{text}"'


@st.composite
def count(draw: st.DrawFn, low: int, high: int, allow_range: bool = True) -> str:
    """A count (no unit): a whole number, or a range written `A-B`, `A - B` or `A to B`."""
    a = draw(st.integers(low, high))
    if allow_range and draw(st.booleans()):
        b = draw(st.integers(a, high))
        sep = draw(st.sampled_from(["-", " - ", " to "]))
        return f"{a}{sep}{b}"
    return str(a)


@st.composite
def seconds(draw: st.DrawFn, low: int, high: int, allow_range: bool = True) -> str:
    """A duration between ``low`` and ``high`` seconds, in seconds or (whole) minutes."""
    glue = draw(st.sampled_from(["", " "]))
    if high >= 60 and draw(st.integers(0, 3)) == 0:
        minutes = draw(st.sampled_from(["1", "0.5", "1.5", "2"]))
        if float(minutes) * 60 <= high:
            return f"{minutes}{glue}{draw(st.sampled_from(MINUTE_SPELLINGS))}"
    a = draw(st.integers(low, high))
    text = str(a)
    if allow_range and draw(st.integers(0, 3)) == 0:
        text += f"-{draw(st.integers(a, high))}"
    return f"{text}{glue}{draw(st.sampled_from(DURATION_SPELLINGS))}"


@st.composite
def load_amount(draw: st.DrawFn, allow_range: bool = True) -> str:
    """A load of at most 40 kg, in kilograms or pounds."""
    pounds = draw(st.booleans())
    unit = draw(st.sampled_from(LB_SPELLINGS if pounds else KG_SPELLINGS))
    a = draw(st.sampled_from([1, 2, 2.5, 5, 8, 10, 12.5, 20] if pounds else
                             [0.5, 1, 1.25, 2, 4, 5, 8, 10]))
    text = str(a)
    if allow_range and draw(st.booleans()):
        text += f"-{draw(st.sampled_from([x for x in (10, 15, 20, 25) if x > a]))}"
    return f"{text} {unit}"


@st.composite
def relative_load(draw: st.DrawFn) -> str:
    """A load set per patient: a repetition maximum or a percentage of the one-rep maximum."""
    if draw(st.booleans()):
        return f"{draw(count(1, 20))} rm"
    a = draw(st.sampled_from([40, 60, 70, 75, 80]))
    text = str(a) if draw(st.booleans()) else f"{a}-{draw(st.sampled_from([85, 90, 100]))}"
    return f"{text}{draw(st.sampled_from([' % 1rm', '%1rm', ' %1rm']))}"


@st.composite
def tempo(draw: st.DrawFn) -> str:
    """A tempo of 3 or 4 phases (whole seconds or `x`) whose sum is not 0 (P303)."""
    phases = draw(st.lists(st.sampled_from(["0", "1", "2", "3", "4", "x"]), min_size=3,
                           max_size=4).filter(lambda p: any(x != "0" for x in p)))
    return "tempo " + "-".join(phases)


@st.composite
def text(draw: st.DrawFn, sided: bool) -> str:
    """A quoted text; with ``sided``, it may hold `{side}` and `{other side}` (8.5)."""
    body = draw(words)
    if sided and draw(st.booleans()):
        body += draw(st.sampled_from([" {side}", " the {other side} leg", " {side}/{other side}",
                                      " {sides}"]))
    return quoted(body)


RANGE_ENDS = ["knee_flexion >= 90 deg", "knee_in", '"the back rounds"',
              "knee_in or knee_flexion > 120 degrees", "pain_score >= 4"]
ONE_SIDED = ("left", "right", "each", "alternating", "affected", "unaffected")
SUPPORTS = ["both_hands", "one_hand", "fingertip", "none"]
STARTS = ["left", "right", "affected", "unaffected"]


def _number(text: str) -> float:
    return float(text.split()[0].split("-")[0].rstrip("abcdefghijklmnopqrstuvwxyz"))


@st.composite
def level_body(draw: st.DrawFn, mode: str, own_dose: bool, number: int, top: int,
               guard: str, equipment: list[str], per_session: bool = True,
               inherited_sides: str = "both") -> list[str]:
    """The statements of one level. ``mode`` is the exercise's kind of dosage (reps, hold,
    duration, breaths, distance, reps_list or reps_max: shared by all levels, so `extends`
    never mixes duration with reps, P305, nor a reps list with `sets`, P312); ``own_dose``
    False means the dosage comes from `extends` (P308 stays silent). ``inherited_sides`` is
    the sides word the level has unless it states its own (`{side}` texts need one side at a
    time, P313)."""
    out: list[str] = []
    increasable: list[str] = []
    sides_word = None
    if own_dose:
        if mode == "reps_list":
            # The list gives the sets: no `sets` anywhere in the exercise (P312).
            items = draw(st.lists(st.one_of(st.integers(1, 15).map(str), st.just("max")),
                                  min_size=1, max_size=4))
            out.append(f"reps {', '.join(items)}")
        elif mode == "reps_max":
            up_to = draw(st.one_of(st.none(), st.integers(1, 30)))
            out.append("reps max" + ("" if up_to is None else f" up to {up_to}"))
        elif mode == "distance":
            amount = draw(st.sampled_from(["400 m", "1.5 km", "1 mi", "800-1200 m", "2 km",
                                           "500 yd"]))
            out.append(f"distance {amount}")
            if "-" not in amount:
                increasable.append("distance")
            if draw(st.booleans()):
                out.append(f"duration {draw(seconds(60, 600))}")
        elif mode in ("reps", "hold"):
            reps = draw(count(1, 15))
            if mode == "hold":
                out.append(f"hold {draw(seconds(5, 60))}")
                if draw(st.booleans()):
                    out.append(f"reps {reps}")
            else:
                out.append(f"reps {reps}")
                if "-" not in reps and " to " not in reps:
                    increasable.append("reps")
        elif mode == "duration":
            amount = draw(seconds(20, 240))
            out.append(f"duration {amount}")
            if "-" not in amount:
                increasable.append("duration")
        else:
            out.append(f"breaths {draw(count(2, 10))}")
        sides_word = draw(st.sampled_from(["both", "left", "right", "each", "alternating",
                                           "affected", "unaffected", None]))
        if sides_word is not None:
            start = ""
            if sides_word in ("each", "alternating") and draw(st.booleans()):
                start = f" starting {draw(st.sampled_from(STARTS))}"
            out.append(f"sides {sides_word}{start}")
        sets = None if mode == "reps_list" else draw(st.one_of(st.none(), count(1, 4)))
        if sets is not None:
            out.append(f"sets {sets}")
            if "-" not in sets and " to " not in sets:
                increasable.append("sets")
            if sets != "1" and draw(st.booleans()):  # sets above 1: P307 stays silent
                out.append(f"rest {draw(seconds(10, 120))} between sets")
        if sides_word in ("each", "alternating") and draw(st.booleans()):
            out.append(f"rest {draw(seconds(5, 30))} between sides")
        if draw(st.booleans()):
            out.append(f"intensity {draw(st.sampled_from(['light', 'moderate', 'vigorous']))}")
        if mode == "hold" and draw(st.booleans()):
            hold_line = next(x for x in out if x.startswith("hold "))
            if "-" not in hold_line:
                increasable.append("hold")
    # The movement statements, own or (without them) copied by `extends`.
    if mode in ("reps", "hold", "reps_list", "reps_max") and draw(st.integers(0, 2)) == 0:
        out.append(draw(tempo()))
    if mode in ("reps", "hold", "reps_list", "reps_max") and draw(st.integers(0, 3)) == 0:
        out.append(f"contraction {draw(st.sampled_from(['eccentric', 'concentric', 'isometric']))}")
    if draw(st.integers(0, 3)) == 0:
        out.append(f"rpe {draw(count(0, 10))}")
    if draw(st.integers(0, 3)) == 0:
        # Every advance is gated by `steady`, so any level may take support away (P411).
        out.append(f"support {draw(st.sampled_from(SUPPORTS))}")
    if draw(st.integers(0, 4)) == 0:
        out.append(f"eyes {draw(st.sampled_from(['open', 'closed']))}")
    if draw(st.integers(0, 4)) == 0:
        out.append(f"range until {draw(st.sampled_from(RANGE_ENDS))}")
    sided = (sides_word if sides_word is not None else inherited_sides) in ONE_SIDED
    out = [f"step {draw(text(sided))}" for _ in range(draw(st.integers(0, 2)))] + out
    if draw(st.booleans()):
        out.append(f"cue {draw(text(sided))}")
    loads = 0
    if draw(st.integers(0, 2)) == 0:
        loads = draw(st.integers(1, 2))
        relative = draw(st.integers(0, 3)) == 0
        for _ in range(loads):
            name = f" {draw(st.sampled_from(equipment))}" if draw(st.booleans()) else ""
            place = f" on {draw(text(sided))}" if draw(st.booleans()) else ""
            optional = "optional " if draw(st.integers(0, 3)) == 0 else ""
            # Every way to satisfy the gate includes the stability condition (P400).
            gate = draw(st.sampled_from(["steady", "steady and strong",
                                         'steady and not pain', '(steady and "warm")',
                                         "stance_time >= 30 s", "steady and pain_score <= 2",
                                         "(steady or stance_time >= 20 s) and cleared"]))
            # Only a load that may be increased must be a single value (P309).
            # A load set per patient is never increased (P309).
            amount = draw(relative_load()) if relative else draw(
                load_amount(allow_range=loads == 2))
            out.append(f"{optional}load {amount}{name}{place} requires {gate}")
        if loads == 1 and not relative:
            increasable.append("load")
    # At most one increase of each value (P309), each from a single starting value.
    for what in draw(st.lists(st.sampled_from(increasable), unique=True, max_size=2)) \
            if increasable else []:
        out.append(_increase(draw, what, out, per_session))
    if number < top:
        # The criterion includes the next level's requirement (P405 stays silent).
        extra = draw(st.sampled_from(["", " and not pain", ' and "feels easy"',
                                      " and pain_score <= 2", " and knee_flexion >= 90 deg",
                                      " and centralised"]))
        out.append(f"advance to level {number + 1} when {guard}{extra}")
    if number > 1 and draw(st.booleans()):
        when = draw(st.sampled_from(["pain", "pain_score > 3", "not centralised"]))
        out.append(f"regress to level {draw(st.integers(1, number - 1))} when {when}")
    if draw(st.integers(0, 3)) == 0:
        out.append(f"error {draw(text(sided))} fix {draw(text(sided))}")
    if draw(st.integers(0, 3)) == 0:
        when = draw(st.sampled_from(["", " when not steady", ' when "tired" or pain']))
        out.append(f"modification {draw(text(sided))}{when}")
    if draw(st.integers(0, 3)) == 0:
        out.append('stop if "dizzy"')
    if draw(st.integers(0, 4)) == 0:
        out.append(f"note {quoted(draw(words))}")
    # Statements may come in any order (steps keep theirs only relative to each other).
    return draw(st.permutations(out)) if draw(st.booleans()) else out


def _increase(draw: st.DrawFn, what: str, body: list[str], per_session: bool = True) -> str:
    # `every session` has no meaning under `as needed` (P309).
    every = draw(st.sampled_from(["week", "session"] if per_session else ["week"]))
    if what in ("reps", "sets"):
        start = int(next(x for x in body if x.startswith(what + " ")).split()[1])
        step = draw(st.integers(1, 3))
        cap = start + draw(st.integers(1, 10))
        return f"increase {what} by {step} every {every} up to {cap}"
    if what == "distance":
        amount = next(x for x in body if x.startswith("distance ")).split()[1:]
        step = draw(st.sampled_from(["100 m", "0.1 km", "50 yd"]))
        cap = {"m": "3 km", "km": "3 km", "mi": "2 mi", "yd": "1 mi"}[amount[1]]
        return f"increase distance by {step} every {every} up to {cap}"
    if what in ("hold", "duration"):
        line = next(x for x in body if x.startswith(what + " "))
        amount = line.split(" ", 1)[1]
        unit = amount.lstrip("0123456789. ").strip()
        start_s = _number(amount) * (60 if unit in MINUTE_SPELLINGS else 1)
        step = draw(st.sampled_from([5, 10, 15]))
        cap_s = start_s + draw(st.sampled_from([5, 10, 30, 60]))
        if draw(st.booleans()) and cap_s % 60 == 0:
            return f"increase {what} by {step} s every {every} up to {int(cap_s // 60)} min"
        cap = int(cap_s) if cap_s == int(cap_s) else cap_s
        return f"increase {what} by {step} sec every {every} up to {cap} seconds"
    line = next(x for x in body if x.startswith(("load ", "optional load ")))
    amount, unit = line.removeprefix("optional ").split()[1:3]
    start = float(amount)
    step = draw(st.sampled_from([0.5, 1, 2.5]))
    cap = start + draw(st.sampled_from([1, 2.5, 5, 10]))
    return f"increase load by {step} {unit} every {every} up to {cap:g} {unit}"


@st.composite
def rates(draw: st.DrawFn, as_needed: bool = True) -> str:
    """How often, in any form of version 2 (at most 84 sessions a week: P304 stays silent)."""
    form = draw(st.sampled_from(["daily", "times daily", "times weekly", "every", "word",
                                 "as needed"] if as_needed else
                                ["daily", "times daily", "times weekly", "every", "word"]))
    if form == "daily":
        return "daily"
    if form == "times daily":
        return f"{draw(count(1, 6))} times daily"
    if form == "times weekly":
        return f"{draw(count(1, 7))} times weekly"
    if form == "every":
        days = draw(count(1, 7))
        return f"every {days} {'day' if days == '1' else 'days'}"
    if form == "word":
        return f"{draw(st.sampled_from(['once', 'twice']))} " \
               f"{draw(st.sampled_from(['daily', 'weekly']))}"
    return "as needed"


@st.composite
def window(draw: st.DrawFn, weeks: int | None, first: int = 1, last: int | None = None
           ) -> tuple[str, int, int | None] | None:
    """A week window starting at ``first`` or later and no later than ``last``, within the
    schedule's ``weeks`` (P510 stays silent), with its first and last week; None for no
    window."""
    top = weeks if weeks is not None else 20
    if last is not None:
        top = min(top, last)
    if first > top or draw(st.integers(0, 2)) > 0:
        return None
    a = draw(st.integers(first, top))
    form = draw(st.sampled_from(["from", "during", "during range"]))
    if form == "from":
        return f"from week {a}", a, None
    if form == "during":
        return f"during week {a}", a, a
    b = draw(st.integers(a, top))
    return f"during weeks {a}-{b}", a, b


@st.composite
def exercise(draw: st.DrawFn, index: int, equipment: list[str], weeks: int | None = None,
             schedule_as_needed: bool = False) -> list[str]:
    """The lines of one exercise (the first one is a warm-up, so P406 stays silent)."""
    kind = "warmup" if index == 0 else draw(st.sampled_from(OTHER_KINDS))
    mode = draw(st.sampled_from(["reps", "hold", "duration", "breaths", "distance", "reps_list",
                                 "reps_max"]))
    title = f" {quoted(draw(words))}" if draw(st.booleans()) else ""
    lines = [f"  exercise ex{index}{title}", f"    kind {kind}"]
    if draw(st.booleans()):
        used = draw(st.lists(st.sampled_from(equipment), min_size=1, max_size=2, unique=True))
        lines.append(f"    uses {', '.join(used)}")
    if draw(st.integers(0, 3)) == 0:
        lines.append("    stop if pain or \"cramp\"")
    if draw(st.integers(0, 3)) == 0:
        lines.append(f"    range until {draw(st.sampled_from(RANGE_ENDS))}")
    as_needed = schedule_as_needed
    if index > 0 and draw(st.integers(0, 2)) == 0:
        rate = draw(rates())
        as_needed = rate == "as needed"
        lines.append(f"    frequency {rate}")
    first_week = 1
    last_week = None
    if index > 0:
        drawn = draw(window(weeks))
        if drawn is not None:
            lines.append(f"    {drawn[0]}")
            first_week, last_week = drawn[1], drawn[2]
    n_levels = draw(st.integers(1, 3))
    if n_levels == 1 and draw(st.booleans()):
        # A single level written directly in the exercise block.
        body = draw(level_body(mode, True, 1, 1, "steady", equipment, not as_needed))
        if any(x.strip().startswith("range until") for x in lines):
            body = [x for x in body if not x.startswith("range until")]  # once (P206)
        lines += [f"    {x}" for x in body if not x.startswith(("cue ", "note ", "stop if"))]
        return lines + _exercise_texts(draw, [_sides_of(body, "both")])
    blocks: list[list[str]] = []
    sides_of: dict[int, str] = {}
    for number in range(1, n_levels + 1):
        extends = None
        if number > 1 and draw(st.booleans()):
            extends = draw(st.integers(1, number - 1))
        own = extends is None or draw(st.booleans())
        guard = "steady" if number < n_levels else ""
        extra: list[str] = []
        if draw(st.integers(0, 3)) == 0:
            # A level's own frequency (never `as needed`: the exercise's `every session`
            # increases stay meaningful).
            extra.append(f"frequency {draw(rates(as_needed=False))}")
        if number > 1 and draw(st.integers(0, 3)) == 0:
            # A window on a higher level starts no earlier than the lower levels' (P510).
            drawn = draw(window(weeks, first_week, last_week))
            if drawn is not None:
                extra.append(drawn[0])
                first_week = drawn[1]
        inherited = "both" if extends is None else sides_of[extends]
        body = extra + draw(level_body(mode, own, number, n_levels, guard, equipment,
                                       not as_needed, inherited))
        sides_of[number] = _sides_of(body, inherited)
        head = f"    level {number}"
        if draw(st.booleans()):
            head += f" {quoted(draw(words))}"
        if extends is not None:
            head += f" extends level {extends}"
        block = [head]
        if number > 1 and draw(st.booleans()):
            block.append("      requires steady")  # guaranteed by every advance into it
        block += [f"      {x}" for x in body]
        blocks.append(block)
    order = draw(st.permutations(blocks)) if draw(st.integers(0, 3)) == 0 else blocks
    lines += _exercise_texts(draw, list(sides_of.values()))
    return lines + [x for block in order for x in block]


def _sides_of(body: list[str], inherited: str) -> str:
    """The sides word a level works with: its own `sides`, else ``inherited``."""
    for line in body:
        if line.startswith("sides "):
            return line.split()[1]
    return inherited


def _exercise_texts(draw: st.DrawFn, level_sides: list[str]) -> list[str]:
    """Steps, cues, errors and modifications of the exercise block (8.6): `{side}` only when
    every level works one side at a time (P313)."""
    sided = all(x in ONE_SIDED for x in level_sides)
    out = []
    for _ in range(draw(st.integers(0, 2))):
        out.append(f"    step {draw(text(sided))}")
    if draw(st.integers(0, 3)) == 0:
        out.append(f"    cue {draw(text(sided))}")
    if draw(st.integers(0, 3)) == 0:
        out.append(f"    error {draw(text(sided))} fix {draw(text(sided))}")
    if draw(st.integers(0, 3)) == 0:
        out.append(f"    modification {draw(text(sided))}")
    return out


@st.composite
def schedules(draw: st.DrawFn) -> tuple[str, int | None] | None:
    """A schedule line of any form with its weeks (or none: P500 is only a warning)."""
    if draw(st.integers(0, 5)) == 0:
        return None
    weeks = ""
    w = None
    if draw(st.integers(0, 4)) > 0:
        w = draw(st.integers(1, 12))
        weeks = f" for {w} {'week' if w == 1 else 'weeks'}"
    return f"schedule {draw(rates())}{weeks}", w


@st.composite
def protocols(draw: st.DrawFn) -> str:
    """The text of a valid protocol named `generated`."""
    equipment = ["band", "bell"]
    head = ["protocol generated" + (f" {quoted(draw(words))}" if draw(st.booleans()) else "")]
    body: list[str] = []
    sched = draw(schedules())
    weeks = None
    if sched is not None:
        body.append(sched[0])
        weeks = sched[1]
    if draw(st.booleans()):
        body.append(f"session limit {draw(st.sampled_from(['90 min', '60 min', '120 minutes']))}")
    for key in ("source", "purpose", "author", "version"):
        if draw(st.booleans()):
            body.append(f"{key} {quoted(draw(words))}")
    body += [
        "stop if pain",  # every load has a stop condition (P404)
        'condition pain symptom "Pain"',
        'condition steady stability "Steady"',
        'condition strong strength "Strong"',
        'equipment band "Band"',
        'equipment bell "Bell"',
        'condition cleared clearance "Cleared by the physiotherapist"',
        'condition centralised response "The pain centralises"',
        'condition knee_in form "The knee drifts inward"',
        *(definition for definition, _ in MEASURES.values()),
        f"stop if {draw(st.sampled_from(STOP_RULES))}",
        f"stop if {draw(st.sampled_from(['knee_in', 'not cleared', 'pain_score > 6']))}",
    ]
    if draw(st.booleans()):
        body.append(f"note {quoted(draw(words))}")
    body = [f"  {x}" for x in draw(st.permutations(body))]
    as_needed = sched is not None and "as needed" in sched[0]
    exercises = [line for i in range(draw(st.integers(1, 4)))
                 for line in draw(exercise(i, equipment, weeks, as_needed))]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(head + body + exercises) + newline
