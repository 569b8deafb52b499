"""``xraybuilder actions``: the catalog's X-Ray actions, grouped and filtered."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from xraybuilder.cli import main
from xraybuilder.commands import actions as actions_cmd
from xraybuilder.core import catalog

ALL = list(catalog.xray().actions.values())
HEADING = re.compile(r"^(?P<level>[A-Z][a-z ]+) \((?P<n>\d+) actions?\)$")
ROW = re.compile(r"^  (?P<action>xray:\w+)\s")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["actions", *argv])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def as_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out = run([*argv, "--format", "json"], capsys)
    assert code == 0
    doc: dict[str, Any] = json.loads(out)
    return doc


def test_json_lists_every_action_with_details(capsys: pytest.CaptureFixture[str]) -> None:
    doc = as_json([], capsys)
    assert doc["service"] == "xray"
    assert doc["count"] == len(doc["actions"]) == len(ALL) == 44
    by_name = {a["action"]: a for a in doc["actions"]}
    group = by_name["xray:GetGroup"]
    assert group["access_level"] == "Read"
    assert group["description"] == catalog.action("xray:GetGroup").description  # type: ignore[union-attr]
    assert group["resource_types"] == [
        {
            "type": "group",
            "required": True,
            "arn": "arn:${Partition}:xray:${Region}:${Account}:group/${GroupName}/${Id}",
        }
    ]
    assert "aws:ResourceTag/${TagKey}" in group["condition_keys"]
    assert by_name["xray:PutTraceSegments"]["resource_types"] == []
    assert by_name["xray:CallWithBearerToken"]["source"] == "overlay"
    # Grouped: access levels appear in catalog order, names sorted within each.
    order = [catalog.ACCESS_LEVELS.index(a["access_level"]) for a in doc["actions"]]
    assert order == sorted(order)


def test_text_groups_by_access_level(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run([], capsys)
    assert code == 0
    levels: list[tuple[str, int]] = []
    rows: dict[str, list[str]] = {}
    for line in out.splitlines():
        if m := HEADING.match(line):
            levels.append((m["level"], int(m["n"])))
            rows[m["level"]] = []
        elif m := ROW.match(line):
            rows[levels[-1][0]].append(m["action"])
    assert [lv for lv, _ in levels] == list(catalog.ACCESS_LEVELS)
    for level, n in levels:
        expected = [a.full_name for a in catalog.actions_by_access_level("xray", level)]
        assert sorted(rows[level], key=str.lower) == sorted(expected, key=str.lower)
        assert len(rows[level]) == n
    assert out.splitlines()[-1].startswith("44 actions")


def test_text_shows_resource_types_and_description(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(["--search", "ListTagsForResource"], capsys)
    row = next(line for line in out.splitlines() if ROW.match(line))
    assert "group | sampling-rule" in row
    assert "Grants permission to list tags" in out
    _, out = run(["--search", "PutTraceSegments"], capsys)
    assert re.search(r"^  xray:PutTraceSegments\s+\*\s+Grants", out, re.MULTILINE)


@pytest.mark.parametrize("spelling", ["Write", "write", "WRITE"])
def test_access_level_filter(spelling: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = as_json(["--access-level", spelling], capsys)
    assert {a["action"] for a in doc["actions"]} == {a.full_name for a in ALL if a.access_level == "Write"}


@pytest.mark.parametrize(
    "spelling", ["Permissions management", "permissions-management", "PERMISSIONS_MANAGEMENT"]
)
def test_access_level_with_a_space(spelling: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = as_json(["--access-level", spelling], capsys)
    assert [a["action"] for a in doc["actions"]] == ["xray:PutEncryptionConfig"]


@pytest.mark.parametrize("rtype", ["group", "sampling-rule"])
def test_resource_type_filter(rtype: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = as_json(["--resource-type", rtype], capsys)
    names = {a["action"] for a in doc["actions"]}
    assert names == {a.full_name for a in ALL if rtype in {rt.resource_type for rt in a.resource_types}}
    assert {"xray:TagResource", "xray:UntagResource", "xray:ListTagsForResource"} <= names


def test_resource_type_none_means_star_only(capsys: pytest.CaptureFixture[str]) -> None:
    doc = as_json(["--resource-type", "none"], capsys)
    assert all(a["resource_types"] == [] for a in doc["actions"])
    scoped = as_json(["--resource-type", "group"], capsys)["count"]
    rule_only = {
        a.full_name for a in ALL if {rt.resource_type for rt in a.resource_types} == {"sampling-rule"}
    }
    assert doc["count"] + scoped + len(rule_only) == len(ALL)


def test_search_matches_name_or_description_case_insensitively(capsys: pytest.CaptureFixture[str]) -> None:
    doc = as_json(["--search", "SAMPLING"], capsys)
    names = {a["action"] for a in doc["actions"]}
    assert names == {a.full_name for a in ALL if "sampling" in (a.full_name + " " + a.description).lower()}
    assert "xray:GetSamplingTargets" in names
    # Several words: all must match.
    both = as_json(["--search", "sampling rule delete"], capsys)
    assert [a["action"] for a in both["actions"]] == ["xray:DeleteSamplingRule"]


def test_filters_combine(capsys: pytest.CaptureFixture[str]) -> None:
    doc = as_json(["--access-level", "Write", "--resource-type", "group", "--search", "group"], capsys)
    assert {a["action"] for a in doc["actions"]} == {
        "xray:CreateGroup",
        "xray:UpdateGroup",
        "xray:DeleteGroup",
    }


def test_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["--search", "no such words anywhere"], capsys)
    assert code == 0 and out == "No X-Ray action matches these filters.\n"
    assert as_json(["--search", "zzz"], capsys) == {"service": "xray", "count": 0, "actions": []}


@pytest.mark.parametrize(
    "argv", [["--access-level", "Admin"], ["--resource-type", "bucket"], ["--format", "yaml"]]
)
def test_bad_options_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["actions", *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage: xraybuilder actions" in err and "Traceback" not in err


def test_the_help_names_every_access_level(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["actions", "--help"])
    out = "".join(capsys.readouterr().out.split())  # argparse wraps at hyphens too
    assert all(level.replace(" ", "-") in out for level in catalog.ACCESS_LEVELS)


@pytest.mark.parametrize("width", [40, 80, 160])
def test_text_fits_the_terminal_width(width: int) -> None:
    text = actions_cmd.render_text(ALL, width)
    longest_fixed = max(
        len(line) for line in text.splitlines() if not line.startswith("      ") and not ROW.match(line)
    )
    assert longest_fixed <= max(width, 80)
    for action in ALL:
        assert action.full_name in text
    # Every description word is there, however the lines were wrapped.
    words = set(text.split())
    assert all(set(a.description.split()) <= words for a in ALL)
