"""What a clean file must also satisfy to compile: an exercise (P211), and an output and
numbers of a size the compiler can write (P107). `check` reports both, so that a file that
`check` passes always compiles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from protodsl.diagnostics import Diagnostic, diagnostic
from protodsl.rules.registry import register

if TYPE_CHECKING:
    from protodsl.context import Context


@register(
    "P107", "too large to compile",
    explanation="""
The compiled JSON spells everything out: every week of the schedule with each level's dosage,
every rep of an alternating set, every stop rule of every level. A short file can ask for
gigabytes (a schedule of 200,000 weeks, 5,000 alternating reps in each of 100 levels). Its size
is estimated before anything is built; over 32 MiB the file is this error, in `check` as in
`compile`, and so is one part spelled out beyond 10,000 entries (a level's sequence or reps per
set, a ramp) or a week table of more than 200,000 rows (weeks x levels). A number too large to
compute with (a decimal of hundreds of digits) is this error too. The message names the part.
""",
    bad='''protocol demo
  schedule 1 times weekly for 99999 weeks
  exercise squat
    reps 10
''',
    good='''protocol demo
  schedule 3 times weekly for 12 weeks
  exercise squat
    reps 10
''',
)
def check_output_size(ctx: Context) -> Iterator[Diagnostic]:
    """P107: a number beyond any float, or a compiled output over the size limit."""
    from protodsl import outsize

    huge = sorted(set(outsize.huge_numbers(ctx.protocol, ctx.exercise_cache)),
                  key=lambda s: (s.line, s.column))
    for span in huge:
        yield diagnostic("P107", "a number is too large to compute with", span,
                         "write the amount with fewer digits")
    if huge:
        return
    found = outsize.too_large(ctx.protocol)
    if found is not None and found.over is not None:
        yield diagnostic("P107", found.over, found.span, f"write {found.help}")
    elif found is not None:
        yield diagnostic(
            "P107", f"the compiled output would be {outsize.size_text(found.size)}, over the "
            f"limit of {outsize.MAX_OUTPUT_BYTES // (1024 * 1024)} MiB",
            found.span, f"most of it is {found.what}: write {found.help}")


@register(
    "P211", "a protocol without an exercise",
    explanation="""
A protocol is a set of exercises done in one session: it needs at least one `exercise` block.
A file with only a header, a schedule or definitions is a protocol not yet written, and
compiles to a document that no app can use.
""",
    bad='''protocol demo
  schedule 3 times weekly for 6 weeks
''',
    good='''protocol demo
  schedule 3 times weekly for 6 weeks
  exercise squat
    reps 10
''',
)
def check_has_exercise(ctx: Context) -> Iterator[Diagnostic]:
    """P211: the protocol has no exercise (reported at its header)."""
    if not ctx.protocol.exercises:
        yield diagnostic("P211", "the protocol has no exercise", ctx.protocol.span,
                         "add an exercise: `exercise NAME` with a level's statements under it")
