"""Writes the vscode-tmgrammar-test assertion files of test/grammar/ from the cases below.

Each case is a source line and the (text, scope[, occurrence]) it must colour; the ^ marks are
computed here so they always sit under the right columns. Run: python3 test/make_assertions.py
"""

from pathlib import Path

S = ".protodsl"
KW = "keyword.other" + S
NUM = "constant.numeric" + S
UNIT = "keyword.other.unit" + S
STR = "string.quoted.double" + S
VAR = "variable.other" + S

CASES = {
    "statements": [
        ("# A comment at the top", [("# A comment at the top", "comment.line.number-sign" + S)]),
        ('protocol knee_rehab "Knee rehabilitation"',
         [("protocol", "storage.type.block" + S), ("knee_rehab", "entity.name.type" + S),
          ('"Knee rehabilitation"', STR)]),
        ('  source "A book"', [("source", KW), ('"A book"', STR)]),
        ('  purpose "Rebuild strength"', [("purpose", KW)]),
        ('  author "A. Physio"', [("author", KW)]),
        ('  version "2"', [("version", KW), ('"2"', STR)]),
        ("  schedule 3 times weekly for 8 weeks",
         [("schedule", KW), ("3", NUM), ("times", "keyword.other.rate" + S),
          ("weekly", "keyword.other.rate" + S), ("for", KW), ("8", NUM),
          ("weeks", "keyword.other.rate" + S)]),
        ("  session limit 20 min", [("session", KW), ("limit", KW), ("20", NUM), ("min", UNIT)]),
        ('  condition knee_control stability "The knee stays over the toe"',
         [("condition", "keyword.other.definition" + S), ("knee_control", "entity.name.variable" + S),
          ("stability", "support.constant.kind" + S), ('"The knee stays over the toe"', STR)]),
        ('  measure pain symptom "Knee pain" scale 0-10',
         [("measure", "keyword.other.definition" + S), ("pain", "entity.name.variable" + S),
          ("symptom", "support.constant.kind" + S), ("scale", KW), ("0", NUM),
          ("-", "keyword.operator.range" + S), ("10", NUM)]),
        ('  measure knee_flexion mobility "Knee bend" in deg',
         [("in", KW), ("deg", UNIT)]),
        ('  equipment band "Elastic band"',
         [("equipment", "keyword.other.definition" + S), ("band", "entity.name.variable" + S)]),
        ("  stop if pain > 5 or not knee_control",
         [("stop", KW), ("if", KW), ("pain", VAR), (">", "keyword.operator.comparison" + S),
          ("5", NUM), ("or", "keyword.operator.logical" + S),
          ("not", "keyword.operator.logical" + S), ("knee_control", VAR)]),
        ('  allow P405 "Checked by the physiotherapist"',
         [("allow", KW), ("P405", "constant.other.code" + S)]),
        ('  note "Rest days between sessions"', [("note", KW)]),
        ('  exercise squat "Mini squat"',
         [("exercise", "storage.type.block" + S), ("squat", "entity.name.type" + S)]),
        ("    kind strength", [("kind", KW), ("strength", "support.constant.value" + S)]),
        ("    requires knee_control and (pain <= 2 or \"no pain\")",
         [("requires", KW), ("and", "keyword.operator.logical" + S),
          ("(", "punctuation.section.parens" + S), ("<=", "keyword.operator.comparison" + S),
          ('"no pain"', STR), (")", "punctuation.section.parens" + S)]),
        ("    uses band, wall", [("uses", KW), ("band", VAR), (",", "punctuation.separator.comma" + S)]),
        ('    cue "Knees over toes"', [("cue", KW)]),
        ('    step "Stand tall"', [("step", KW)]),
        ("    frequency twice daily", [("frequency", KW), ("twice", "keyword.other.rate" + S),
                                      ("daily", "keyword.other.rate" + S)]),
        ("    during weeks 2-6", [("during", KW), ("weeks", "keyword.other.rate" + S), ("2", NUM),
                                  ("6", NUM)]),
        ("    from week 3", [("from", KW), ("week", "keyword.other.rate" + S), ("3", NUM)]),
        ('    error "Knees cave in" fix "Push the knees out"', [("error", KW), ("fix", KW)]),
        ('    modification "Use a chair" when pain > 3', [("modification", KW), ("when", KW)]),
        ('    level 1 "Two legs"', [("level", "storage.type.block" + S), ("1", NUM)]),
        ("      reps 8-12", [("reps", KW), ("8", NUM), ("12", NUM)]),
        ("      reps 12, 10, 8", [("reps", KW), ("12", NUM), (",", "punctuation.separator.comma" + S)]),
        ("      reps max up to 20", [("max", KW), ("up", KW), ("to", KW), ("20", NUM)]),
        ("      sets 2", [("sets", KW), ("2", NUM)]),
        ("      hold 30 s", [("hold", KW), ("30", NUM), ("s", UNIT)]),
        ("      duration 2 minutes", [("duration", KW), ("minutes", UNIT)]),
        ("      breaths 5", [("breaths", KW), ("5", NUM)]),
        ("      rest 60 s between sets", [("rest", KW), ("60", NUM), ("s", UNIT, 1), ("between", KW)]),
        ("      sides each starting left",
         [("sides", KW), ("each", "support.constant.value" + S), ("starting", KW),
          ("left", "support.constant.value" + S)]),
        ("      total 30", [("total", KW)]),
        ("      intensity moderate", [("intensity", KW), ("moderate", "support.constant.value" + S)]),
        ("      tempo 3-0-1", [("tempo", KW), ("3", NUM), ("0", NUM), ("1", NUM)]),
        ("      contraction eccentric", [("contraction", KW),
                                         ("eccentric", "support.constant.value" + S)]),
        ("      rpe 6-7", [("rpe", KW), ("6", NUM)]),
        ("      distance 20 m", [("distance", KW), ("20", NUM), ("m", UNIT)]),
        ("      support one_hand", [("support", KW), ("one_hand", "support.constant.value" + S)]),
        ("      eyes closed", [("eyes", KW), ("closed", "support.constant.value" + S)]),
        ("      range until knee_flexion >= 90 deg",
         [("range", KW), ("until", KW), (">=", "keyword.operator.comparison" + S), ("90", NUM),
          ("deg", UNIT)]),
        ('      load 5 lb band on "the hips" requires knee_control',
         [("load", KW), ("5", NUM), ("lb", UNIT), ("band", VAR), ("on", KW), ("requires", KW)]),
        ("      optional load 8-10 rm requires knee_control",
         [("optional", KW), ("load", KW), ("rm", UNIT)]),
        ("      load 70 % 1rm requires knee_control", [("70", NUM), ("%", UNIT), ("1rm", UNIT)]),
        ("      advance to level 2 when knee_flexion >= 90 deg and pain <= 2",
         [("advance", KW), ("to", KW), ("level", "storage.type.block" + S), ("2", NUM),
          ("when", KW), ("deg", UNIT)]),
        ("      regress to level 1 when pain = 5",
         [("regress", KW), ("=", "keyword.operator.comparison" + S)]),
        ("      increase reps by 2 every week up to 20",
         [("increase", KW), ("by", KW), ("every", KW), ("up", KW)]),
        ("    level 2 extends level 1  # a trailing comment",
         [("extends", KW), ("# a trailing comment", "comment.line.number-sign" + S)]),
    ],
    "strings": [
        ('protocol strings "Title with \\"quotes\\" and a \\\\ backslash"',
         [('\\"', "constant.character.escape" + S), ('\\\\', "constant.character.escape" + S),
          ("quotes", STR)]),
        ('  cue "Turn to the {side} side # not a comment"',
         [("{side}", "variable.other.placeholder" + S), ("# not a comment", STR)]),
        ('  purpose """', [('"""', "string.quoted.triple" + S)]),
        ('    Two lines, with a "quote" and 3 kg inside', [("3 kg", "string.quoted.triple" + S)]),
        ('  """', [('"""', "string.quoted.triple" + S)]),
        ('  note "unterminated string', [('"unterminated string', STR)]),
        ("  hold 2.5 s", [("2.5", NUM), ("s", UNIT)]),
        ("  stop if knee_angle > -5 deg", [("-5", NUM), ("deg", UNIT)]),
    ],
}


def line_for(source: str, text: str, scope: str, occurrence: int = 0) -> str:
    start = -1
    for _ in range(occurrence + 1):
        start = source.index(text, start + 1)
    if start == 0:
        return "# <" + "-" * len(text) + " " + scope
    return "#" + " " * (start - 1) + "^" * len(text) + " " + scope


def main(out_dir: Path = Path(__file__).parent / "grammar") -> None:
    for name, cases in CASES.items():
        lines = [f'# SYNTAX TEST "source.protodsl" "{name}"']
        for source, checks in cases:
            lines.append(source)
            for check in checks:
                lines.append(line_for(source, *check))
        (out_dir / f"{name}.protocol").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
