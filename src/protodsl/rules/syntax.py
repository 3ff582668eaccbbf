"""Syntax and structure codes: raised by the decoder, the parser and the structure pass.

They have no check function; they are registered here so that `protodsl explain` and the
docs describe them like every other code.
"""

from protodsl.rules.registry import describe

describe(
    "P100", "syntax error",
    explanation="""
The line does not follow the grammar of the language. The message says what was found and, in
words, what was expected there. The rest of the file is still checked: each broken line gives
one diagnostic.
""",
    bad='protocol demo\n  exercise squat\n    reps ten\n',
    good='protocol demo\n  exercise squat\n    reps 10\n',
)
describe(
    "P101", "bad indentation",
    explanation="""
Indentation makes blocks, with spaces only. A tab in indentation, a dedent to a column that
matches no open block, and an indented line that does not follow a block header are errors.
""",
    bad='protocol demo\n  exercise squat\n\treps 10\n',
    good='protocol demo\n  exercise squat\n    reps 10\n',
)
describe(
    "P102", "unterminated string",
    explanation="""
A string that starts with `"` must end with `"` on the same line; text over several lines is
written between triple quotes.
""",
    bad='protocol demo\n  source "Physio handbook\n',
    good='protocol demo\n  source "Physio handbook"\n',
)
describe(
    "P103", "the file is not UTF-8 text",
    explanation="""
Protocol files are UTF-8 text. Every line with bytes that are not UTF-8 is reported; the rest of
the file is still checked.
""",
    bad='protocol demo\n  note "caf\\xe9"   (the byte 0xE9 of Latin-1)\n',
    good='protocol demo\n  note "café"\n',
)
describe(
    "P104", "unknown keyword",
    explanation="""
A statement starts with a word that is not a keyword of the language. The help names the
closest keyword.
""",
    bad='protocol demo\n  exercise squat\n    hodl 30 s\n',
    good='protocol demo\n  exercise squat\n    hold 30 s\n',
)
describe(
    "P105", "statement not allowed in this block",
    explanation="""
Each block takes its own statements: `schedule` belongs to the protocol, `kind` to an exercise,
`hold` to a level (or a single-level exercise). A misplaced definition is still used where it
belongs, so one mistake gives one diagnostic.
""",
    bad='protocol demo\n  hold 30 s\n  exercise squat\n    reps 10\n',
    good='protocol demo\n  exercise squat\n    hold 30 s\n    reps 10\n',
)
describe(
    "P106", "the file is too large",
    explanation="""
Files over 8 MiB are not checked: no protocol is that long, and such a file is almost always
something else. Split a very large protocol into several files.
""",
    bad="(a file of 9 MiB)",
    good="(a file of a few kilobytes)",
)
describe(
    "P206", "a once-only statement appears twice",
    explanation="""
Statements such as `hold`, `reps`, `sets`, `sides`, `kind`, `schedule` and `source` may appear at
most once in their block. The second one is reported.
""",
    bad='protocol demo\n  exercise squat\n    reps 10\n    reps 12\n',
    good='protocol demo\n  exercise squat\n    reps 12\n',
)
describe(
    "P207", "missing or second protocol header",
    explanation="""
A file holds exactly one protocol and starts with its header, `protocol NAME ["Title"]`
(comments and blank lines may come first).
""",
    bad='exercise squat\n  reps 10\n',
    good='protocol demo\n  exercise squat\n    reps 10\n',
)
describe(
    "P208", "file name differs from the protocol name",
    explanation="""
A protocol named `heel_raises` lives in `heel_raises.protocol`, so that files and compiled
outputs (`heel_raises.json`) can be found by name.
""",
    bad='(in calf.protocol)\nprotocol heel_raises\n',
    good='(in heel_raises.protocol)\nprotocol heel_raises\n',
)
describe(
    "P209", "bad allow",
    explanation="""
`allow CODE "reason"` silences a warning in its block (the protocol, an exercise or a level).
Errors cannot be silenced, and a code that does not exist is a mistake; both are reported.
""",
    bad='protocol demo\n  allow P201 "not yet defined"\n',
    good=('protocol demo\n  allow P205 "kept for the next version"\n'
          '  condition spare skill "Not used yet"\n'),
)
describe(
    "P210", "an allow that silences nothing",
    explanation="""
`allow CODE "reason"` silences that warning only for diagnostics located in its block: the
protocol block (the whole file), an exercise block or a level block, header line included.
Where several `allow`s match, only the innermost silences. An `allow` that silences nothing is
reported, so that a stale `allow` cannot hide a new problem of the same kind later; `allow P210`
silences these reports in its block. `allow`s are not copied by `extends`. While the file has
syntax errors, P210 is held back with the warnings it would judge.
""",
    bad=('protocol demo\n  schedule daily\n  exercise squat\n    kind strength\n'
         '    allow P304 "a machine load"\n    reps 10\n'),
    good=('protocol demo\n  schedule daily\n  exercise squat\n    kind strength\n'
          '    allow P304 "a machine load"\n    reps 150\n'),
)
