"""Generated files: whatever botocore reads, the merge keeps every byte outside the profile."""

from __future__ import annotations

import tempfile
from pathlib import Path

import botocore.configloader
import botocore.exceptions
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from profile_samples import NEW_KEY_ID, NEW_SECRET

from xraybuilder.core.export.awsfiles import FileProblem, parse, scan, split_lines
from xraybuilder.core.export.profiles import plan_profile

NAMES = st.sampled_from(["default", "dev", "ci", "prod", "x.y", "DEV"])
KEYS = st.sampled_from(
    [
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "region",
        "ca_bundle",
        "AWS_Access_Key_Id",
    ]
)
VALUES = st.text(alphabet="abcXYZ019/+=-.", min_size=0, max_size=12)
SPACE = st.sampled_from(["", " ", "  ", "\t"])
ENDS = st.sampled_from(["\n", "\r\n"])


@st.composite
def option_line(draw: st.DrawFn) -> str:
    key = draw(KEYS)
    delimiter = draw(st.sampled_from(["=", ":"]))
    trailing = draw(st.sampled_from(["", " "]))
    return f"{draw(SPACE)}{key}{draw(SPACE)}{delimiter}{draw(SPACE)}{draw(VALUES)}{trailing}"


@st.composite
def furniture(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["", "# note", "; note", "   # indented note", "  "]))


@st.composite
def ini_file(draw: st.DrawFn) -> str:
    lines: list[str] = draw(st.lists(furniture(), max_size=2))
    for name in draw(st.lists(NAMES, unique=True, max_size=4)):
        lines.append(f"{draw(st.sampled_from(['', ' ']))}[{name}]{draw(st.sampled_from(['', ' ', ' # c']))}")
        lines += draw(st.lists(st.one_of(option_line(), furniture()), max_size=5))
    ends = draw(st.lists(ENDS, min_size=len(lines), max_size=len(lines)))
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


def botocore_parses(text: str, folder: Path) -> bool:
    path = folder / "probe"
    path.write_bytes(text.encode())
    try:
        botocore.configloader.raw_config_parse(str(path))
    except botocore.exceptions.ConfigParseError:
        return False
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ini_file(), name=NAMES)
def test_merge_keeps_every_other_byte(tmp_path: Path, text: str, name: str) -> None:
    assume(botocore_parses(text, tmp_path))
    creds = tmp_path / "credentials"
    creds.write_bytes(text.encode())
    plan = plan_profile(
        name, NEW_KEY_ID, NEW_SECRET, "eu-west-1", credentials_path=creds, config_path=tmp_path / "config"
    )
    after = plan.credentials.after.decode()
    creds.write_bytes(plan.credentials.after)
    read = botocore.configloader.raw_config_parse(str(creds))
    assert read[name]["aws_access_key_id"] == NEW_KEY_ID
    assert read[name]["aws_secret_access_key"] == NEW_SECRET
    assert "aws_session_token" not in read[name]

    before_lines = split_lines(text)
    after_lines = split_lines(after)
    headers = [line for line in scan(text).headers() if line.section == name]
    if not headers:
        # Appended: the old text first, its last line at most gaining a line end.
        assert after.startswith(text)
        assert after[len(text) :].lstrip("\r\n").startswith(f"[{name}]")
        return
    start = headers[0].number - 1
    ends = [line.number - 1 for line in scan(text).headers() if line.number - 1 > start]
    end = ends[0] if ends else len(before_lines)
    tail = len(before_lines) - end
    assert after_lines[:start] == before_lines[:start]
    if tail:
        assert after_lines[-tail:] == before_lines[end:]
    # Inside the section, every line stays except the keys being set (with the lines
    # of their values) and the new key lines.
    touched = {"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"}
    scanned = scan(text).lines
    inside: set[int] = set()
    for i in range(start, end):
        if scanned[i].kind == "option" and scanned[i].option in touched:
            last = i
            for k in range(i + 1, end):
                if scanned[k].kind == "continuation":
                    last = k
                elif scanned[k].kind in ("option", "header"):
                    break
            inside.update(range(i, last + 1))
    ours = {f"aws_access_key_id = {NEW_KEY_ID}", f"aws_secret_access_key = {NEW_SECRET}"}
    kept_before = [scanned[i].text.rstrip("\r\n") for i in range(start, end) if i not in inside]
    kept_after = [
        line.rstrip("\r\n")
        for line in after_lines[start : len(after_lines) - tail]
        if line.strip() not in ours
    ]
    assert kept_after == kept_before
    assert sum(line.strip() in ours for line in after_lines) == 2


CONFIG_HEADERS = st.sampled_from(
    ["default", "profile dev", 'profile "ci"', "profile   prod", "sso-session corp", "services s", "dev"]
)
CONFIG_KEYS = st.sampled_from(["region", "output", "REGION", "role_arn", "s3", "cli_pager"])


@st.composite
def config_file(draw: st.DrawFn) -> str:
    lines: list[str] = draw(st.lists(furniture(), max_size=2))
    for header in draw(st.lists(CONFIG_HEADERS, unique=True, max_size=4)):
        lines.append(f"[{header}]")
        for _ in range(draw(st.integers(0, 3))):
            if draw(st.booleans()):
                lines.append(draw(furniture()))
                continue
            key = draw(CONFIG_KEYS)
            lines.append(f"{draw(SPACE)}{key}{draw(SPACE)}={draw(SPACE)}{draw(VALUES)}")
    end = draw(ENDS)
    text = "".join(line + end for line in lines)
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=config_file(), name=st.sampled_from(["default", "dev", "ci", "prod", "new"]))
def test_config_merge_sets_the_region_botocore_reads(tmp_path: Path, text: str, name: str) -> None:
    assume(botocore_parses(text, tmp_path))
    config = tmp_path / "config"
    config.write_bytes(text.encode())
    before = botocore.configloader.load_config(str(config))
    plan = plan_profile(
        name,
        NEW_KEY_ID,
        NEW_SECRET,
        "eu-west-1",
        output="text",
        credentials_path=tmp_path / "credentials",
        config_path=config,
    )
    config.write_bytes(plan.config.after)
    after = botocore.configloader.load_config(str(config))
    assert after["profiles"][name]["region"] == "eu-west-1"
    assert after["profiles"][name]["output"] == "text"
    # Every other profile, session and service section reads exactly as before.
    for group in ("profiles", "sso_sessions", "services"):
        others = {k: v for k, v in after[group].items() if not (group == "profiles" and k == name)}
        assert others == {k: v for k, v in before[group].items() if not (group == "profiles" and k == name)}
    kept = {k: v for k, v in before["profiles"].get(name, {}).items() if k not in ("region", "output")}
    assert {k: v for k, v in after["profiles"][name].items() if k not in ("region", "output")} == kept


@settings(max_examples=100, deadline=None)
@given(text=ini_file())
def test_the_scan_finds_the_sections_configparser_finds(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        readable = botocore_parses(text, Path(folder))
    try:
        parsed = parse(text)
    except FileProblem:
        assert not readable
        return
    assert readable
    found = [line.section for line in scan(text).headers()]
    assert [s for s in found if s != "DEFAULT"] == [s for s in parsed if s != "DEFAULT"]
    assert len(scan(text).lines) == len(split_lines(text))


def test_sections_under_an_indented_block_are_not_headers() -> None:
    # configparser reads an indented "[x]" after a key as part of that key's value.
    text = "[a]\nkey = v\n  [x]\n[b]\n"
    assert [line.section for line in scan(text).headers()] == ["a", "b"]
    assert parse(text)["a"]["key"] == "v\n[x]"
