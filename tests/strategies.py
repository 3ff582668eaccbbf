"""Hypothesis strategies for VALID protocol text: files that check without any error.

``protocols()`` draws the text of a whole protocol that exercises most of the language:
schedules of every form, units in every spelling, ranges, sides with `starting`, `extends`
chains, loads gated by a stability condition, increases of every kind and both cadences,
progressions, errors, modifications, and strings with escapes and non-ASCII characters.
Validity is by construction (see the comments at each choice); warnings may occur.
"""

from __future__ import annotations

from hypothesis import strategies as st

DURATION_SPELLINGS = ("s", "sec", "secs", "second", "seconds")
MINUTE_SPELLINGS = ("min", "mins", "minute", "minutes")
KG_SPELLINGS = ("kg", "kgs", "kilogram", "kilograms")
LB_SPELLINGS = ("lb", "lbs", "pound", "pounds")
OTHER_KINDS = ("foam_roll", "mobility", "static_stretch", "dynamic_stretch", "strength",
               "release", "breathing")

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


def _number(text: str) -> float:
    return float(text.split()[0].split("-")[0].rstrip("abcdefghijklmnopqrstuvwxyz"))


@st.composite
def level_body(draw: st.DrawFn, mode: str, own_dose: bool, number: int, top: int,
               guard: str, equipment: list[str]) -> list[str]:
    """The statements of one level. ``mode`` is the exercise's kind of dosage (reps, hold,
    duration or breaths: shared by all levels, so `extends` never mixes duration with reps,
    P305); ``own_dose`` False means the dosage comes from `extends` (P308 stays silent)."""
    out: list[str] = []
    out += [f"step {quoted(draw(words))}" for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        out.append(f"cue {quoted(draw(words))}")
    increasable: list[str] = []
    sides_word = None
    if own_dose:
        if mode in ("reps", "hold"):
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
                                           None]))
        if sides_word is not None:
            start = ""
            if sides_word in ("each", "alternating") and draw(st.booleans()):
                start = f" starting {draw(st.sampled_from(['left', 'right']))}"
            out.append(f"sides {sides_word}{start}")
        sets = draw(st.one_of(st.none(), count(1, 4)))
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
    loads = 0
    if draw(st.integers(0, 2)) == 0:
        loads = draw(st.integers(1, 2))
        for _ in range(loads):
            name = f" {draw(st.sampled_from(equipment))}" if draw(st.booleans()) else ""
            place = f" on {quoted(draw(words))}" if draw(st.booleans()) else ""
            # Every way to satisfy the gate includes the stability condition (P400).
            gate = draw(st.sampled_from(["steady", "steady and strong",
                                         'steady and not pain', '(steady and "warm")']))
            # Only a load that may be increased must be a single value (P309).
            out.append(f"load {draw(load_amount(allow_range=loads == 2))}{name}"
                       f"{place} requires {gate}")
        if loads == 1:
            increasable.append("load")
    # At most one increase of each value (P309), each from a single starting value.
    for what in draw(st.lists(st.sampled_from(increasable), unique=True, max_size=2)) \
            if increasable else []:
        out.append(_increase(draw, what, out))
    if number < top:
        # The criterion includes the next level's requirement (P405 stays silent).
        extra = draw(st.sampled_from(["", " and not pain", ' and "feels easy"']))
        out.append(f"advance to level {number + 1} when {guard}{extra}")
    if number > 1 and draw(st.booleans()):
        out.append(f"regress to level {draw(st.integers(1, number - 1))} when pain")
    if draw(st.integers(0, 3)) == 0:
        out.append(f"error {quoted(draw(words))} fix {quoted(draw(words))}")
    if draw(st.integers(0, 3)) == 0:
        when = draw(st.sampled_from(["", " when not steady", ' when "tired" or pain']))
        out.append(f"modification {quoted(draw(words))}{when}")
    if draw(st.integers(0, 3)) == 0:
        out.append('stop if "dizzy"')
    if draw(st.integers(0, 4)) == 0:
        out.append(f"note {quoted(draw(words))}")
    # Statements may come in any order (steps keep theirs only relative to each other).
    return draw(st.permutations(out)) if draw(st.booleans()) else out


def _increase(draw: st.DrawFn, what: str, body: list[str]) -> str:
    every = draw(st.sampled_from(["week", "session"]))
    if what in ("reps", "sets"):
        start = int(next(x for x in body if x.startswith(what + " ")).split()[1])
        step = draw(st.integers(1, 3))
        cap = start + draw(st.integers(1, 10))
        return f"increase {what} by {step} every {every} up to {cap}"
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
    line = next(x for x in body if x.startswith("load "))
    amount, unit = line.split()[1:3]
    start = float(amount)
    step = draw(st.sampled_from([0.5, 1, 2.5]))
    cap = start + draw(st.sampled_from([1, 2.5, 5, 10]))
    return f"increase load by {step} {unit} every {every} up to {cap:g} {unit}"


@st.composite
def exercise(draw: st.DrawFn, index: int, equipment: list[str]) -> list[str]:
    """The lines of one exercise (the first one is a warm-up, so P406 stays silent)."""
    kind = "warmup" if index == 0 else draw(st.sampled_from(OTHER_KINDS))
    mode = draw(st.sampled_from(["reps", "hold", "duration", "breaths"]))
    title = f" {quoted(draw(words))}" if draw(st.booleans()) else ""
    lines = [f"  exercise ex{index}{title}", f"    kind {kind}"]
    if draw(st.booleans()):
        used = draw(st.lists(st.sampled_from(equipment), min_size=1, max_size=2, unique=True))
        lines.append(f"    uses {', '.join(used)}")
    if draw(st.integers(0, 3)) == 0:
        lines.append("    stop if pain or \"cramp\"")
    if draw(st.integers(0, 3)) == 0:
        lines.append(f"    cue {quoted(draw(words))}")
    n_levels = draw(st.integers(1, 3))
    if n_levels == 1 and draw(st.booleans()):
        # A single level written directly in the exercise block.
        body = draw(level_body(mode, True, 1, 1, "steady", equipment))
        return lines + [f"    {x}" for x in body if not x.startswith(("cue ", "note ",
                                                                          "stop if"))]
    blocks: list[list[str]] = []
    for number in range(1, n_levels + 1):
        extends = None
        if number > 1 and draw(st.booleans()):
            extends = draw(st.integers(1, number - 1))
        own = extends is None or draw(st.booleans())
        guard = "steady" if number < n_levels else ""
        body = draw(level_body(mode, own, number, n_levels, guard, equipment))
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
    return lines + [x for block in order for x in block]


@st.composite
def schedules(draw: st.DrawFn) -> str | None:
    """A schedule line of any form (or none: P500 is only a warning)."""
    form = draw(st.sampled_from(["daily", "times daily", "times weekly", "every", None]))
    if form is None:
        return None
    weeks = ""
    if draw(st.integers(0, 4)) > 0:
        w = draw(st.integers(1, 12))
        weeks = f" for {w} {'week' if w == 1 else 'weeks'}"
    if form == "daily":
        return f"schedule daily{weeks}"
    if form == "times daily":
        return f"schedule {draw(st.integers(1, 3))} times daily{weeks}"
    if form == "times weekly":
        return f"schedule {draw(st.integers(1, 7))} times weekly{weeks}"
    return f"schedule every {draw(st.integers(1, 7))} days{weeks}"


@st.composite
def protocols(draw: st.DrawFn) -> str:
    """The text of a valid protocol named `generated`."""
    equipment = ["band", "bell"]
    head = ["protocol generated" + (f" {quoted(draw(words))}" if draw(st.booleans()) else "")]
    body: list[str] = []
    sched = draw(schedules())
    if sched is not None:
        body.append(sched)
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
    ]
    if draw(st.booleans()):
        body.append(f"note {quoted(draw(words))}")
    body = [f"  {x}" for x in draw(st.permutations(body))]
    exercises = [line for i in range(draw(st.integers(1, 4)))
                 for line in draw(exercise(i, equipment))]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(head + body + exercises) + newline
