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
    "sides total intensity load advance regress increase error modification frequency measure "
    "during from tempo contraction rpe distance support eyes range optional"
).split()

# Words of version 2 that start a statement or clause only where the parser accepts them
# (LANGUAGE.md 8): everywhere else they are names. The grammar declares their terminals and
# the parser driver turns a NAME into one of them when the parser's state accepts it.
CONTEXTUAL_KEYWORDS = {
    "frequency": "FREQUENCY", "measure": "MEASURE", "during": "DURING", "from": "FROM",
    "for": "FOR", "tempo": "TEMPO", "contraction": "CONTRACTION", "rpe": "RPE",
    "distance": "DISTANCE", "support": "SUPPORT", "eyes": "EYES", "range": "RANGE",
    "optional": "OPTIONAL",
}
COMPARISON_OPS = ("<", "<=", ">", ">=", "=")

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

# Units a measure may have (LANGUAGE.md 8.2), besides durations and loads; exact factors to the
# normalized unit (as strings, so that Fraction(factor) is exact).
ANGLE_UNITS = {"deg": "1", "degree": "1", "degrees": "1"}
DISTANCE_UNITS = {
    "cm": "0.01", "m": "1", "km": "1000", "ft": "0.3048", "yd": "0.9144", "mi": "1609.344",
}
# The quantity of every unit a measure may carry, and its normalized unit.
MEASURE_UNITS = {
    **{u: "duration" for u in DURATION_UNITS}, **{u: "load" for u in LOAD_UNITS},
    **{u: "angle" for u in ANGLE_UNITS}, **{u: "distance" for u in DISTANCE_UNITS},
}
NORMAL_UNIT = {"duration": "s", "load": "kg", "angle": "deg", "distance": "m"}


def unit_factor(unit: str) -> str:
    """The exact factor (a decimal string) from ``unit`` to its normalized unit."""
    if unit in DURATION_UNITS:
        return str(DURATION_UNITS[unit])
    if unit in LOAD_UNITS:
        return "0.45359237" if LOAD_UNITS[unit] != 1.0 else "1"
    if unit in ANGLE_UNITS:
        return ANGLE_UNITS[unit]
    return DISTANCE_UNITS[unit]


CONDITION_KINDS = ("stability", "strength", "mobility", "symptom", "skill", "form", "response",
                   "clearance")
# Where a kind belongs (8.9): good kinds are wanted present in a gate, bad kinds absent.
GOOD_KINDS = frozenset({"stability", "strength", "mobility", "skill", "response", "clearance"})
BAD_KINDS = frozenset({"symptom", "form"})
EXERCISE_KINDS = (
    "warmup", "foam_roll", "mobility", "static_stretch", "dynamic_stretch", "strength",
    "release", "breathing", "balance", "aerobic",
)
SIDES = ("left", "right", "both", "each", "alternating", "affected", "unaffected")
STARTING_SIDES = ("left", "right", "affected", "unaffected")
CONTRACTIONS = ("eccentric", "concentric", "isometric")
SUPPORTS = ("both_hands", "one_hand", "fingertip", "none")  # from most to least support
EYES = ("open", "closed")
# Loads set per patient (8.4): a repetition maximum and a percentage of the one-rep maximum.
RELATIVE_LOAD_UNITS = ("rm", "%1rm")
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
