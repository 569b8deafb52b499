"""The one policy loader: files, standard input, managed names, encodings, size limit, slips."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

from xraybuilder.core.lint import lint
from xraybuilder.core.policy.load import (
    MAX_DOCUMENT_CHARACTERS,
    PolicyLoadError,
    decode,
    load_policy,
    parse_policy,
    read_text,
)
from xraybuilder.core.policy.model import PolicyShapeError

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Café", "Effect": "Allow", "Action": "xray:GetGroups", "Resource": "*"}],
}
TEXT = json.dumps(POLICY, indent=2, ensure_ascii=False)


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("codec", "named"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_wide_encodings_are_named_with_or_without_a_bom(codec: str, named: str) -> None:
    with pytest.raises(PolicyLoadError) as caught:
        decode(TEXT.encode(codec), "p.json")
    assert str(caught.value) == f"p.json: the file is {named} encoded; IAM policies must be UTF-8"


def test_bad_utf8_has_line_and_character_column() -> None:
    data = '{\n  "Sid": "é'.encode() + b"\xe9" + b'"\n}'
    with pytest.raises(PolicyLoadError) as caught:
        decode(data, "p.json")
    err = caught.value
    # é before the bad byte is two bytes but one character.
    assert (err.line, err.column) == (2, 12)
    assert str(err) == "p.json:2:12: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    assert err.detail == "line 2, column 12: not valid UTF-8 (byte 0xe9); save the file as UTF-8"


def test_a_utf8_bom_is_the_same_slip_as_the_linters_finding(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.json", b"\xef\xbb\xbf" + TEXT.encode())
    loaded = load_policy(path)
    assert loaded.policy.statements[0].sid == "Café"
    (slip,) = loaded.slips
    assert (slip.line, slip.column) == (1, 1)
    (finding,) = [f for f in lint(read_text(path).text) if f.code == "JSON_SYNTAX_ERROR"]
    assert finding.message == slip.message and "byte-order mark" in slip.message
    assert str(slip) == f"{path}:1:1: warning: {slip.message}"


def test_recoverable_slips_are_kept_and_fatal_ones_raise_with_a_position(tmp_path: Path) -> None:
    slip = TEXT.replace('"Resource": "*"', '"Resource": "*",')
    loaded = load_policy(write(tmp_path, "slip.json", slip))
    assert [s.message for s in loaded.slips] == ["Trailing comma before '}': IAM rejects it."]
    with pytest.raises(PolicyLoadError) as caught:
        parse_policy('{"Version": "2012-10-17"\n "Statement": []}', "b.json")
    assert (caught.value.line, caught.value.column) == (2, 2)
    assert str(caught.value) == "b.json:2:2: Missing comma between two object members."


def test_shape_errors_point_at_the_element() -> None:
    text = '{"Version": "2012-10-17",\n "Statment": []}'
    with pytest.raises(PolicyLoadError) as caught:
        parse_policy(text, "s.json")
    assert str(caught.value) == 's.json:2:2: Statment: unknown policy element "Statment"'
    loaded = parse_policy(TEXT, "ok.json")
    located = loaded.error_at(PolicyShapeError(("Statement", 0, "Action"), "not an action"))
    assert (located.line, located.column) == (7, 17)


def test_files_stdin_and_managed_names(tmp_path: Path) -> None:
    path = write(tmp_path, "p.json", TEXT)
    assert load_policy(path).name == path
    stdin = io.TextIOWrapper(io.BytesIO(TEXT.encode()))
    from_stdin = load_policy("-", stdin=stdin)
    assert from_stdin.name == "<stdin>" and from_stdin.policy == load_policy(path).policy
    managed = load_policy("arn:aws:iam::aws:policy/AWSXrayReadOnlyAccess")
    assert managed.name == "AWSXrayReadOnlyAccess" and managed.parsed is None
    with pytest.raises(PolicyLoadError, match="no such file, and not an AWS managed X-Ray policy"):
        load_policy("AWSXrayReadOnly")
    with pytest.raises(PolicyLoadError, match="no such file$"):
        load_policy(str(tmp_path / "missing.json"), managed=False)
    with pytest.raises(PolicyLoadError, match="is a directory, not a policy file"):
        load_policy(str(tmp_path))


def test_the_document_limit_is_iams(tmp_path: Path) -> None:
    # Exactly at the limit (whitespace counts, as in the API's length check) is read.
    padded = TEXT + " " * (MAX_DOCUMENT_CHARACTERS - len(TEXT))
    assert len(load_policy(write(tmp_path, "max.json", padded)).policy.statements) == 1
    over = padded + " "
    with pytest.raises(PolicyLoadError) as caught:
        load_policy(write(tmp_path, "over.json", over))
    assert str(caught.value).endswith(
        "the document has 131,073 characters; IAM refuses any policy document over 131,072 characters"
    )
    # Far over: refused from the file's size, before reading it.
    huge = write(tmp_path, "huge.json", TEXT + " " * 5_000_000)
    with pytest.raises(PolicyLoadError, match=r"has 5,000,\d+ bytes; IAM refuses"):
        read_text(huge)
    # Standard input has no size: it is read only up to what could fit.
    stream = io.BytesIO((TEXT + " " * 5_000_000).encode())
    wrapper = io.TextIOWrapper(stream)
    with pytest.raises(PolicyLoadError, match="more than 524,291 bytes"):
        read_text("-", stdin=wrapper)
    assert stream.tell() <= 4 * MAX_DOCUMENT_CHARACTERS + 4 + io.DEFAULT_BUFFER_SIZE
    # Files that are not policies have no limit.
    assert len(read_text(huge, limit=None).text) > MAX_DOCUMENT_CHARACTERS


def test_an_integer_beyond_pythons_digit_limit_reads_as_infinity_everywhere() -> None:
    digits = "9" * 5000
    text = TEXT.replace(
        '"Resource": "*"',
        '"Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ' + digits + "}}",
    )
    value = parse_policy(text, "n.json").policy.statements[0].condition
    assert value is not None
    assert math.isinf(value["NumericLessThan"]["aws:MultiFactorAuthAge"])  # type: ignore[arg-type]
    codes = [f.code for f in lint(text)]
    assert "TYPE_MISMATCH_NUMBER" in codes
    # The same through the recovering reader (a trailing comma forces it).
    slipped = text.replace("}}", "},}", 1)
    assert [f.code for f in lint(slipped)].count("JSON_SYNTAX_ERROR") == 1
    assert "TYPE_MISMATCH_NUMBER" in [f.code for f in lint(slipped)]
