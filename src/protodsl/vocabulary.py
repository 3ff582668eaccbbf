"""The words of the language: keywords, units, kinds, and the closest-word helper."""

from __future__ import annotations

from functools import lru_cache

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


# Words longer than this get no suggestion: none of the language's words is near them, and
# the edit distance costs the product of the lengths.
MAX_SUGGEST_LENGTH = 64


@lru_cache(maxsize=4096)
def distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (a transposition counts as one edit)."""
    if a == b:
        return 0
    if not a or not b:
        return len(a) or len(b)
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        left = i
        for j, cb in enumerate(b, 1):
            best = prev[j - 1] + (ca != cb)
            if prev[j] + 1 < best:
                best = prev[j] + 1
            if left + 1 < best:
                best = left + 1
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and prev2[j - 2] + 1 < best:
                best = prev2[j - 2] + 1
            cur.append(best)
            left = best
        prev2, prev = prev, cur
    return prev[-1]


def closest(word: str, candidates: list[str] | tuple[str, ...], always: bool = False) -> str | None:
    """The candidate closest to ``word``: within a few edits, or sharing its beginning.

    With ``always``, the nearest candidate is returned even when it is far.
    """
    if not candidates:
        return None
    low = word.lower()
    if len(low) > MAX_SUGGEST_LENGTH:
        low = low[:MAX_SUGGEST_LENGTH]
        if not always:
            return None
    d, best = min((distance(low, c), c) for c in candidates)
    if d <= max(1, len(low) // 3):
        return best
    prefixed = [c for c in candidates if len(c) >= 2 and (low.startswith(c) or c.startswith(low))]
    if prefixed and len(low) >= 2:
        return max(prefixed, key=len)
    return best if always else None
