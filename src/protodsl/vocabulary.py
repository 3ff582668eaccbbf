"""The words of the language: keywords, units, kinds, and the closest-word helper."""

from __future__ import annotations

RESERVED = (
    "protocol exercise level extends source purpose author version schedule session limit "
    "condition equipment stop if allow note kind requires uses cue step hold duration reps sets "
    "breaths rest sides total intensity load on advance regress to when increase by every up "
    "error fix modification not and or"
).split()

# Words that can start a statement, as an author would type them.
STATEMENT_KEYWORDS = (
    "protocol exercise level source purpose author version schedule session condition "
    "equipment stop allow note kind requires uses cue step hold duration reps sets breaths rest "
    "sides total intensity load advance regress increase error modification"
).split()

HEADER_KEYWORDS = {"protocol": "PROTOCOL", "exercise": "EXERCISE", "level": "LEVEL"}

DURATION_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60,
}
LB_IN_KG = 0.45359237
LOAD_UNITS = {
    "kg": 1.0, "kgs": 1.0, "kilogram": 1.0, "kilograms": 1.0,
    "lb": LB_IN_KG, "lbs": LB_IN_KG, "pound": LB_IN_KG, "pounds": LB_IN_KG,
}
UNITS = {**{u: "duration" for u in DURATION_UNITS}, **{u: "load" for u in LOAD_UNITS}}

CONDITION_KINDS = ("stability", "strength", "mobility", "symptom", "skill")
EXERCISE_KINDS = (
    "warmup", "foam_roll", "mobility", "static_stretch", "dynamic_stretch", "strength",
    "release", "breathing",
)
SIDES = ("left", "right", "both", "each", "alternating")
STARTING_SIDES = ("left", "right")
INTENSITIES = ("light", "moderate", "vigorous")
INCREASE_EVERY = ("week", "session")


def distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (a transposition counts as one edit)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def closest(word: str, candidates: list[str] | tuple[str, ...], always: bool = False) -> str | None:
    """The candidate closest to ``word``: within a few edits, or sharing its beginning.

    With ``always``, the nearest candidate is returned even when it is far.
    """
    if not candidates:
        return None
    low = word.lower()
    best = min(candidates, key=lambda c: (distance(low, c), c))
    d = distance(low, best)
    if d <= max(1, len(low) // 3):
        return best
    prefixed = [c for c in candidates if len(c) >= 2 and (low.startswith(c) or c.startswith(low))]
    if prefixed and len(low) >= 2:
        return max(prefixed, key=len)
    return best if always else None
