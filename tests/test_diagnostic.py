"""Every problem type maps onto the one Diagnostic shape, keeping where it is."""

from __future__ import annotations

from xraybuilder.core.arn import check_arn
from xraybuilder.core.diagnostic import (
    Diagnostic,
    from_arn_problem,
    from_draft_error,
    from_finding,
    from_note,
    from_parameter_problem,
    from_preset_error,
    from_syntax_problem,
)
from xraybuilder.core.draft import Draft, DraftError
from xraybuilder.core.explain.grants import Note
from xraybuilder.core.lint import lint
from xraybuilder.core.policy.source import parse_json
from xraybuilder.core.scenarios import ParameterProblem, PresetError


def test_a_finding_keeps_its_path_and_position() -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": '
        '[{"Effect": "Allow", "Action": "xray:GetGropus", "Resource": "*"}]}'
    )
    finding = next(f for f in lint(text) if f.code == "INVALID_ACTION")
    d = from_finding(finding)
    assert (d.severity, d.code, d.where, d.line, d.column) == (
        "error",
        "INVALID_ACTION",
        "Statement[0].Action",
        1,
        finding.column,
    )
    assert d.text().startswith("Statement[0].Action: error: ")


def test_an_arn_problem_keeps_its_offsets_shifted_into_the_field() -> None:
    arn = "arn:aws:xray:us-east-1:12:group/g/*"
    problem = next(p for p in check_arn(arn).problems if p.part == "account")
    d = from_arn_problem(problem, where="Statement[0].Resource[1]", base=10)
    assert d.severity == "error" and d.where == "Statement[0].Resource[1]"
    assert (d.offset, d.end) == (10 + arn.index(":12:") + 1, 10 + arn.index(":12:") + 3)


def test_a_parameter_problem_keeps_every_message() -> None:
    plain = from_parameter_problem(ParameterProblem("region", "is empty; give a value", "empty"))
    assert plain == (Diagnostic("error", "PARAMETER_EMPTY", "is empty; give a value", "parameter region"),)


def test_a_preset_error_is_placed_by_file_line_and_key() -> None:
    d = from_preset_error(PresetError("my.toml", "unknown key", line=12, key="statement[0].colour"))
    assert d == Diagnostic("error", "PRESET_ERROR", "unknown key", "my.toml:12 statement[0].colour", line=12)


def test_a_syntax_problem_gets_line_and_column_from_the_text() -> None:
    text = '{\n  "Statement": [,]\n}'
    parsed = parse_json(text)
    problem = next(p for p in parsed.problems if p.fatal)
    d = from_syntax_problem(problem, text)
    assert (d.code, d.line, d.offset) == ("JSON_SYNTAX_ERROR", 2, problem.offset)
    assert d.column == problem.offset - text.index("\n")


def test_notes_and_draft_errors() -> None:
    assert from_note("X-Ray has no endpoint there").severity == "note"
    warning = from_note(Note("S1", "Statement[0]", "NotAction allows more than it seems", warning=True))
    assert (warning.severity, warning.where) == ("warning", "Statement[0]")
    try:
        Draft.from_toml("origin = \n")
    except DraftError as err:
        d = from_draft_error(err, file="draft.toml")
    assert d.where == "draft.toml:1" and d.line == 1 and d.code == "DRAFT_ERROR"


def test_json_leaves_out_unset_positions() -> None:
    assert Diagnostic("note", "NOTE", "m").to_json() == {"severity": "note", "code": "NOTE", "message": "m"}
    assert Diagnostic("error", "E", "m", "w", 1, 2, 3, 4).to_json()["end"] == 4
    assert (
        Diagnostic("error", "E", "m").rank
        > Diagnostic("warning", "E", "m").rank
        > Diagnostic("note", "N", "m").rank
    )
