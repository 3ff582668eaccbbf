"""Help for syntax errors that authors make when they write a real protocol.

The parser driver asks these functions before it falls back to the generic "expected ...,
found ..." message: each recognises one common mistake, says where it really is, and how to
write it instead.
"""

from __future__ import annotations

from protodsl._lark_parser import Token
from protodsl.vocabulary import RESERVED, STATEMENT_KEYWORDS, closest

# Words whose closest keyword means the opposite: never suggest it (`decrease` is not a typo of
# `increase`).
_OPPOSITES = {
    "decrease": "there is no `decrease`: a level's dose only grows; to make it easier, write "
                "an easier level and `regress to level N when ...`, or a `modification`",
    "reduce": "there is no `reduce`: to make it easier, write an easier level and "
              "`regress to level N when ...`, or a `modification`",
    "lower": "there is no `lower`: to make it easier, write an easier level and "
             "`regress to level N when ...`, or a `modification`",
    "start": "a statement starts with a keyword; to say where an exercise starts, write a "
             "`step`",
}

_NOTE_OR_CUE = ("the language has no such statement: write it as text for the patient, "
                "`cue \"...\"` or `note \"...\"`, or use the closest statement")

_DOSE_KEYWORDS = {"SETS": "sets", "REPS": "reps", "BREATHS": "breaths", "TOTAL": "total"}
_WEEK_WORDS = frozenset({"in", "during", "from", "per", "a", "each", "every", "on", "for"})


def unknown_keyword(word: str) -> str:
    """The help line of P104 for an unknown statement word."""
    low = word.lower()
    if low in _OPPOSITES:
        return _OPPOSITES[low]
    guess = closest(low, STATEMENT_KEYWORDS)
    if guess is not None and guess not in _opposite_guesses(low):
        return f"did you mean `{guess}`?"
    return _NOTE_OR_CUE


def _opposite_guesses(word: str) -> frozenset[str]:
    # A word that starts with a negating prefix is never a typo of the word it negates.
    for prefix in ("de", "un", "dis"):
        if word.startswith(prefix):
            return frozenset({word[len(prefix):], "in" + word[len(prefix):]})
    return frozenset()


def reserved_as_name(tok: Token, accepted: set[str]) -> tuple[str, str] | None:
    """A reserved word where a name goes (`equipment step "..."`): message and help."""
    if "NAME" not in accepted or tok.value not in RESERVED or tok.type == "NAME":
        return None
    word = tok.value
    return (f"`{word}` is a reserved word and cannot be a name",
            f"choose another name, such as `{word}_1` or `my_{word}`")


def unit_read_too_late(fed: list[Token], tok: Token) -> tuple[Token, str | None] | None:
    """`sets 3 x 15`, `sets 2 in week 1`: the word after the count was read as a unit, so the
    parser stops one token late. The word at fault and a help line."""
    if len(fed) < 3 or fed[0].type not in _DOSE_KEYWORDS or tok.type == "_NL":
        return None
    word, number = fed[-1], fed[-2]
    if word.type not in ("NAME", "BADWORD") or number.type != "NUMBER":
        return None
    keyword = _DOSE_KEYWORDS[fed[0].type]
    if word.value in ("x", "X", "by") and tok.type == "NUMBER":
        other = "reps" if keyword == "sets" else "sets"
        return word, (f"write them as two statements: `{keyword} {number.value}` and "
                      f"`{other} {tok.value}`")
    if word.value in _WEEK_WORDS:
        return word, ("a level's dose is the same in every week; to change it by week, write "
                      "levels with week windows (`during weeks 1-2`) or an `increase ... every "
                      "week`")
    return word, None


_RATE_FORMS = ("`daily`, `N times daily`, `N times weekly`, `every N days`, `twice daily` or "
               "`as needed`")


def rate_fault(tokens: list[Token]) -> tuple[Token, str, str] | None:
    """The first word of a `schedule` or `frequency` that is not one of its forms: the token,
    what was expected there, and a help line with the forms (and a guess at the intended one).
    ``tokens`` is the statement without its keyword."""
    words = [t for t in tokens if t.type not in ("_NL", "_INDENT", "_DEDENT")]
    if not words:
        return None
    i = 0

    def count() -> str | None:
        nonlocal i
        if i < len(words) and words[i].type == "NUMBER":
            value = words[i].value
            i += 1
            if i + 1 < len(words) and words[i].type in ("MINUS", "TO") and \
                    words[i + 1].type == "NUMBER":
                value += "-" + words[i + 1].value
                i += 2
            return value
        return None

    def expect(allowed: tuple[str, ...], what: str) -> tuple[Token, str] | None:
        nonlocal i
        if i >= len(words):
            return None
        if words[i].value in allowed:
            i += 1
            return None
        return words[i], what

    first = words[0]
    fault: tuple[Token, str] | None = None
    n = count()
    if n is not None:
        fault = expect(("times",), "`times`") or expect(("daily", "weekly"),
                                                         "`daily` or `weekly`")
    elif first.type == "EVERY":
        i = 1
        n = count()
        fault = expect(("days", "day"), "`days`") if n is not None else (
            (words[1], "a number of days") if len(words) > 1 else None)
    elif first.value == "as":
        i = 1
        fault = expect(("needed",), "`needed`")
    elif first.value in ("once", "twice"):
        i = 1
        fault = expect(("daily", "weekly"), "`daily` or `weekly`")
    elif first.value == "daily":
        i = 1
    else:
        fault = (first, "how often")
    if fault is None and i < len(words):
        if words[i].type != "FOR":
            if closest(words[i].value, ("for",)):
                return words[i], "`for` or the end of the line", "did you mean `for`?"
            fault = (words[i], "`for` or the end of the line")
        elif i + 3 < len(words):
            fault = (words[i + 3], "the end of the line")
    if fault is None:
        return None
    tok, expected = fault
    text = " ".join(t.value for t in words)
    return tok, expected, rate_help(n, text, first.type == "EVERY", tok.value)


def rate_help(count: str | None, text: str, every: bool, found: str) -> str:
    """The help line for a rate that is not one of the forms: the forms, and a guess at the
    one meant from the words written (``text``)."""
    help = f"how often is written {_RATE_FORMS}"
    if count is not None and "week" in text:
        return f"did you mean `{count} times weekly`? " + help
    if count is not None and "day" in text and not every:
        return f"did you mean `{count} times daily`? " + help
    if every and found == "other":
        return "did you mean `every 2 days`? " + help
    return help
