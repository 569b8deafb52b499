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

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


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


def test_every_problem_of_an_arn_list_parameter_is_kept_with_its_offsets() -> None:
    from xraybuilder.core.assess import assess

    typed = (
        " arn:aws:iam::123456789012:role/A, arn:aws:iam::1234:role/B  "
        "arn:aws:iam:eu-west-1:123456789012:role/C"
    )
    params = {
        "kms_key_arn": KEY_ARN,
        "admin_arn": "arn:aws:iam::123456789012:role/XRayAdmin",
        "reader_arns": typed,
    }
    problems = [d for d in assess(Draft.from_preset("encryption-admin", params)).parameter_problems]
    assert [d.where for d in problems] == ["parameter reader_arns", "parameter reader_arns"]
    spans = [typed[d.offset : d.end] for d in problems]  # type: ignore[misc]
    assert spans == ["1234", "eu-west-1"]
    expected = "item 2: arn:aws:iam::1234:role/B: The account ID has 4 digits; "
    expected += "AWS account IDs have exactly 12 (keep any leading zeros)."
    assert problems[0].message == expected
    assert problems[1].message.startswith("item 3: arn:aws:iam:eu-west-1:123456789012:role/C: ")
    assert "no region" in problems[1].message


def test_the_first_message_still_leads_the_problem() -> None:
    from xraybuilder.core.scenarios import get_preset, resolve

    typed = "arn:aws:iam::1234:role/B,arn:aws:iam:eu-west-1:123456789012:role/C"
    params = {
        "kms_key_arn": KEY_ARN,
        "admin_arn": "arn:aws:iam::123456789012:role/XRayAdmin",
        "reader_arns": typed,
    }
    problem = resolve(get_preset("encryption-admin"), params).problem_for("reader_arns")
    assert problem is not None and problem.message.startswith(
        "item 1: arn:aws:iam::1234:role/B: The account ID"
    )
    assert len(problem.parts) == 2 and [p[0] for p in problem.parts] == ["error", "error"]
    assert problem.parts[0][1] == problem.message, "the message is the first part's"
