"""Applying fixes: each edit kind on its own, several at once, refusals, and every fix the
linter offers on the corpus makes its finding go away."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from xraybuilder.core.lint import Finding, Fix, Severity, lint
from xraybuilder.core.lint.finding import REMOVE
from xraybuilder.core.lint.fixes import FixError, apply_fix, apply_fixes
from xraybuilder.core.policy.render import render

CORPUS = Path(__file__).resolve().parent / "corpus"

BASE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Write",
            "Effect": "Allow",
            "Action": ["xray:PutTraceSegment", "xray:PutTelemetryRecords", "xray:GetGroups"],
            "Resource": "*",
        },
        {
            "Sid": "Tagged",
            "Effect": "Allow",
            "Action": "xray:GetGroup",
            "Resource": "arn:aws:xray:us-east-1:123456789012:group/checkout/*",
            "Condition": {
                "StringEquals": {"xray:ResourceTag/team": "checkout", "aws:RequestedRegion": "us-east-1"}
            },
        },
    ],
}
TEXT = json.dumps(BASE, indent=4)


def doc_of(text: str) -> Any:
    return json.loads(text)


def test_replace_a_list_item() -> None:
    out = apply_fix(TEXT, Fix("typo", ("Statement", 0, "Action", 0), "xray:PutTraceSegments"))
    assert doc_of(out)["Statement"][0]["Action"] == [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetGroups",
    ]
    # The result is canonical text: what render() gives for the edited document.
    assert out == render(doc_of(out))
    assert out.endswith("}\n") and '\n  "Statement"' in out


def test_replace_a_scalar_element() -> None:
    out = apply_fix(TEXT, Fix("version", ("Version",), "2008-10-17"))
    assert doc_of(out)["Version"] == "2008-10-17"


def test_setting_a_missing_element_adds_it_in_canonical_order() -> None:
    no_version = {k: v for k, v in BASE.items() if k != "Version"}
    out = apply_fix(json.dumps(no_version), Fix("add Version", ("Version",), "2012-10-17"))
    assert list(doc_of(out)) == ["Version", "Statement"]


def test_remove_a_list_item_and_an_element() -> None:
    out = apply_fix(TEXT, Fix("dup", ("Statement", 0, "Action", 2), REMOVE))
    assert doc_of(out)["Statement"][0]["Action"] == ["xray:PutTraceSegment", "xray:PutTelemetryRecords"]
    out = apply_fix(TEXT, Fix("sid", ("Statement", 1, "Sid"), REMOVE))
    assert "Sid" not in doc_of(out)["Statement"][1]
    out = apply_fix(TEXT, Fix("statement", ("Statement", 0), REMOVE))
    assert [s["Sid"] for s in doc_of(out)["Statement"]] == ["Tagged"]


def test_rename_a_condition_key_keeps_its_place_and_value() -> None:
    path = ("Statement", 1, "Condition", "StringEquals", "xray:ResourceTag/team")
    out = apply_fix(TEXT, Fix("aws: prefix", path, new_key="aws:ResourceTag/team"))
    block = doc_of(out)["Statement"][1]["Condition"]["StringEquals"]
    assert list(block.items()) == [("aws:ResourceTag/team", "checkout"), ("aws:RequestedRegion", "us-east-1")]


def test_rename_an_unknown_element_gives_canonical_order() -> None:
    text = '{"Statement": [{"Resource": "*", "Actions": "xray:GetGroups", "Effect": "Allow"}]}'
    out = apply_fix(text, Fix("typo", ("Statement", 0, "Actions"), new_key="Action"))
    assert list(doc_of(out)["Statement"][0]) == ["Effect", "Action", "Resource"]


def test_a_document_the_model_cannot_hold_keeps_its_order() -> None:
    text = '{"Statement": [{"Resource": "*", "Action": 5, "Effect": "Allow"}], "Version": "x"}'
    out = apply_fix(text, Fix("version", ("Version",), "2012-10-17"))
    assert list(doc_of(out)) == ["Statement", "Version"]
    assert list(doc_of(out)["Statement"][0]) == ["Resource", "Action", "Effect"]


def test_recoverable_syntax_mistakes_are_gone_after_a_fix() -> None:
    text = TEXT.replace('"Resource": "*"', '"Resource": "*",')
    out = apply_fix(text, Fix("version", ("Version",), "2012-10-17"))
    assert lint(out) == [] or all(f.code != "JSON_SYNTAX_ERROR" for f in lint(out))
    assert doc_of(out) == BASE


def test_several_removals_in_one_list_use_the_original_paths() -> None:
    out = apply_fixes(
        TEXT,
        [
            Fix("a", ("Statement", 0, "Action", 0), REMOVE),
            Fix("c", ("Statement", 0, "Action", 2), REMOVE),
        ],
    )
    assert doc_of(out)["Statement"][0]["Action"] == ["xray:PutTelemetryRecords"]


def test_removing_a_statement_and_editing_a_later_one() -> None:
    out = apply_fixes(
        TEXT,
        [
            Fix("drop", ("Statement", 0), REMOVE),
            Fix("edit", ("Statement", 1, "Action"), "xray:GetGroups"),
        ],
    )
    (only,) = doc_of(out)["Statement"]
    assert (only["Sid"], only["Action"]) == ("Tagged", "xray:GetGroups")


def test_a_parsed_document_is_not_modified() -> None:
    doc = json.loads(TEXT)
    value = ["xray:GetGroups"]
    out = apply_fix(doc, Fix("edit", ("Statement", 0, "Action"), value))
    value.append("xray:GetGroup")
    assert doc == BASE
    assert doc_of(out)["Statement"][0]["Action"] == ["xray:GetGroups"]


def test_replacing_the_whole_document() -> None:
    out = apply_fix(TEXT, Fix("all", (), {"Version": "2012-10-17", "Statement": []}))
    assert doc_of(out) == {"Version": "2012-10-17", "Statement": []}


@pytest.mark.parametrize(
    ("fix", "words"),
    [
        (Fix("x", ("Statement", 5, "Action"), "a"), "Statement[5]: no such list item"),
        (Fix("x", ("Statement", 0, "Nope", "Deeper"), "a"), "Statement[0].Nope: no such element"),
        (Fix("x", ("Statement", 0, "Action", 9), REMOVE), "Statement[0].Action[9]: no such list item"),
        (Fix("x", ("Statement", 0, "Sid", 0), "a"), "not a list"),
        (Fix("x", ("Statement", "Sid"), "a"), "Statement.Sid: not an object"),
        (Fix("x", ("Statement", 0, "Condition"), REMOVE), "no such element"),
        (
            Fix(
                "x",
                ("Statement", 1, "Condition", "StringEquals", "xray:ResourceTag/team"),
                new_key="aws:RequestedRegion",
            ),
            "already there",
        ),
        (Fix("x", ("Statement", 0, "Missing"), new_key="Other"), "no such key to rename"),
        (Fix("x", (), REMOVE), "whole document"),
    ],
)
def test_fixes_that_cannot_apply_say_where(fix: Fix, words: str) -> None:
    with pytest.raises(FixError, match=words.replace("[", r"\[").replace("]", r"\]")):
        apply_fix(TEXT, fix)


def test_text_that_is_not_json_is_refused_with_its_position() -> None:
    with pytest.raises(FixError, match=r"line 2, column 14: Expected a value"):
        apply_fix('{\n  "Version": ,\n}', Fix("v", ("Version",), "2012-10-17"))


# -- every fix the linter offers --------------------------------------------------------


def _offered() -> list[tuple[str, int]]:
    out = []
    for path in sorted(CORPUS.glob("*.json")):
        for i, finding in enumerate(lint(path.read_text(encoding="utf-8"))):
            if finding.fix is not None:
                out.append((path.name, i))
    return out


OFFERED = _offered()


def _key(f: Finding) -> tuple[str, str]:
    return (f.code, f.message)


def test_the_linter_offers_fixes_on_the_corpus() -> None:
    assert len({name for name, _ in OFFERED}) >= 3, OFFERED


@pytest.mark.parametrize(("name", "index"), OFFERED, ids=[f"{n}#{i}" for n, i in OFFERED])
def test_applying_an_offered_fix_makes_its_finding_go_away(name: str, index: int) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    before = lint(text)
    finding = before[index]
    assert finding.fix is not None
    after = lint(apply_fix(text, finding.fix))
    gone = Counter(map(_key, before)) - Counter(map(_key, after))
    assert gone[_key(finding)] >= 1, (finding, after)
    # A fix never brings in a new error.
    errors_before = Counter(f.code for f in before if f.severity is Severity.ERROR)
    errors_after = Counter(f.code for f in after if f.severity is Severity.ERROR)
    assert not errors_after - errors_before, errors_after - errors_before
