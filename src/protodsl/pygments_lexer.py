"""A Pygments lexer for ``.protocol`` files, registered as the ``pygments.lexers`` entry point
``protodsl``: ``pygmentize -l protodsl file.protocol`` and documentation tools colour protocols.

Importing this module needs Pygments; nothing else in protodsl imports it.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Whitespace)

from protodsl.vocabulary import (CONDITION_KINDS, CONTRACTIONS, EXERCISE_KINDS, EYES,
                                 INTENSITIES, MEASURE_UNITS, SIDES, SUPPORTS)

__all__ = ["ProtodslLexer"]

_KEYWORDS = (
    "protocol", "exercise", "level", "extends", "source", "purpose", "author", "version",
    "schedule", "session", "limit", "condition", "equipment", "stop", "if", "allow", "note",
    "kind", "requires", "uses", "cue", "step", "hold", "duration", "reps", "sets", "breaths",
    "rest", "sides", "total", "intensity", "load", "on", "advance", "regress", "to", "when",
    "increase", "by", "every", "up", "error", "fix", "modification", "between", "starting",
    "frequency", "measure", "during", "from", "for", "tempo", "contraction", "rpe", "distance",
    "support", "eyes", "range", "until", "optional", "in", "scale", "max",
)
_RATES = ("times", "weekly", "daily", "once", "twice", "week", "weeks", "day", "days", "as",
          "needed", "session", "sessions")
_VALUES = tuple(sorted(set(CONDITION_KINDS) | set(EXERCISE_KINDS) | set(SIDES) | set(SUPPORTS)
                       | set(EYES) | set(CONTRACTIONS) | set(INTENSITIES)))
_UNITS = tuple(sorted(set(MEASURE_UNITS) | {"rm"}, key=len, reverse=True))


class ProtodslLexer(RegexLexer):
    """Exercise protocols (protodsl)."""

    name = "protodsl"
    aliases = ["protodsl", "protocol"]
    filenames = ["*.protocol"]
    mimetypes = ["text/x-protodsl"]
    url = "https://github.com/protodsl/protodsl"

    tokens = {
        "root": [
            (r"[ \t]+", Whitespace),
            (r"\r?\n|\r", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"""', String.Doc, "longstring"),
            (r'"', String.Double, "string"),
            (r"(P\d{3})\b", Name.Label),
            (r"(\d+(?:\.\d+)?)(\s*)(%)(\s*)(1rm)\b",
             bygroups(Number, Whitespace, Operator, Whitespace, Keyword.Type)),
            (r"(\d+(?:\.\d+)?)(\s*)(" + "|".join(_UNITS) + r")\b",
             bygroups(Number, Whitespace, Keyword.Type)),
            (r"-?\d+(?:\.\d+)?", Number),
            (words(("and", "or", "not"), suffix=r"\b"), Operator.Word),
            (words(_KEYWORDS, suffix=r"\b"), Keyword),
            (words(_RATES, suffix=r"\b"), Keyword.Pseudo),
            (words(_VALUES, suffix=r"\b"), Name.Constant),
            (words(_UNITS, suffix=r"\b"), Keyword.Type),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name.Variable),
            (r"<=|>=|[<>=]", Operator),
            (r"[%]", Operator),
            (r"[-,()]", Punctuation),
        ],
        "string": [
            (r'\\.', String.Escape),
            (r"\{[a-z_]+\}", String.Interpol),
            (r'"', String.Double, "#pop"),
            (r"\n", String.Double, "#pop"),  # an unterminated string ends at the line's end
            (r'[^"\\{\n]+', String.Double),
            (r"\{", String.Double),
        ],
        "longstring": [
            (r'"""', String.Doc, "#pop"),
            (r'\\.', String.Escape),
            (r"\{[a-z_]+\}", String.Interpol),
            (r'[^"\\{]+', String.Doc),
            (r'["\\{]', String.Doc),
        ],
    }
