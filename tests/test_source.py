"""The positional JSON reader: recovers from hand-made mistakes, stops at fatal ones, and
knows where every element is."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xraybuilder.core.policy.source import Path, parse_json

POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Write",
      "Effect": "Allow",
      "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      "Resource": "*"
    }
  ]
}
"""


def at(text: str, line: int, column: int) -> int:
    """Offset of a 1-based line/column in text."""
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def only(problems: list[Any]) -> Any:
    assert len(problems) == 1, problems
    return problems[0]


# -- valid text -----------------------------------------------------------------------


def test_valid_policy_has_no_problems_and_the_same_value_as_json() -> None:
    parsed = parse_json(POLICY)
    assert parsed.ok and parsed.problems == []
    assert parsed.value == json.loads(POLICY)


def test_positions_of_values_and_keys() -> None:
    smap = parse_json(POLICY).source_map
    span = smap.span(("Statement", 0, "Action", 1))
    assert (span.line, span.column) == (7, 43)
    assert (span.end_line, span.end_column) == (7, 69)
    assert POLICY[at(POLICY, 7, 43) : at(POLICY, 7, 69)] == '"xray:PutTelemetryRecords"'
    key = smap.span(("Statement", 0, "Resource"), key=True)
    assert (key.line, key.column, key.end_column) == (8, 7, 17)
    # The whole statement spans lines 4 to 9.
    whole = smap.span(("Statement", 0))
    assert (whole.line, whole.column, whole.end_line, whole.end_column) == (4, 5, 9, 6)
    root = smap.span(())
    assert (root.line, root.column, root.end_line) == (1, 1, 11)


def test_a_missing_element_resolves_to_its_nearest_ancestor() -> None:
    smap = parse_json(POLICY).source_map
    assert smap.span(("Statement", 0, "Condition", "Bool")) == smap.span(("Statement", 0))
    assert smap.span(("Statement", 3)) == smap.span(("Statement",))
    # key=True on a missing key falls back to the value positions.
    assert smap.span(("Nope",), key=True) == smap.span(())


def test_crlf_line_endings_count_lines_and_columns_in_characters() -> None:
    text = POLICY.replace("\n", "\r\n")
    span = parse_json(text).source_map.span(("Statement", 0, "Effect"))
    assert (span.line, span.column) == (6, 17)


def test_columns_count_characters_not_bytes() -> None:
    text = '{"Sid": "é", "Effect": "Allow"}'
    span = parse_json(text).source_map.span(("Effect",))
    assert span.column == text.index('"Allow"') + 1


# -- recoverable mistakes ---------------------------------------------------------------


def test_trailing_comma_in_a_list() -> None:
    text = POLICY.replace('"xray:PutTelemetryRecords"]', '"xray:PutTelemetryRecords",]')
    parsed = parse_json(text)
    problem = only(parsed.problems)
    assert parsed.ok and not problem.fatal
    assert "Trailing comma" in problem.message and "']'" in problem.message
    assert text[problem.offset] == ","
    assert problem.path == ("Statement", 0, "Action")
    assert parsed.value == json.loads(POLICY)


def test_trailing_comma_in_an_object() -> None:
    text = POLICY.replace('"Resource": "*"\n', '"Resource": "*",\n')
    parsed = parse_json(text)
    problem = only(parsed.problems)
    assert parsed.ok and "'}'" in problem.message
    span = parsed.source_map.offset_span(problem.offset, problem.end)
    assert (span.line, span.column) == (8, 22)
    assert parsed.value == json.loads(POLICY)


@pytest.mark.parametrize("comment", ["// write access only", "/* write\n   access */"])
def test_comments_are_reported_and_skipped(comment: str) -> None:
    text = POLICY.replace('      "Sid"', f'      {comment}\n      "Sid"')
    parsed = parse_json(text)
    problem = only(parsed.problems)
    assert parsed.ok and "Comments are not allowed" in problem.message
    assert text[problem.offset : problem.end] == comment
    assert parsed.value == json.loads(POLICY)


def test_byte_order_mark() -> None:
    parsed = parse_json("\ufeff" + POLICY)
    problem = only(parsed.problems)
    assert parsed.ok and "byte-order mark" in problem.message
    assert (problem.offset, problem.end) == (0, 1)
    assert parsed.value == json.loads(POLICY)
    # Positions still refer to the text as given (the BOM is character 1 of line 1).
    span = parsed.source_map.span(("Statement", 0, "Sid"))
    assert (span.line, span.column) == (5, 14)


def test_duplicate_keys_are_reported_at_the_second_key() -> None:
    text = POLICY.replace('"Resource": "*"', '"Resource": "*",\n      "Effect": "Deny"')
    parsed = parse_json(text)
    problem = only(parsed.problems)
    assert parsed.ok and 'Duplicate key "Effect"' in problem.message
    assert problem.path == ("Statement", 0, "Effect")
    assert text[problem.offset : problem.end] == '"Effect"'
    assert problem.offset == text.rindex('"Effect"')
    # Like json.loads (and IAM's "last one wins" readers), the later value is kept.
    assert parsed.value["Statement"][0]["Effect"] == "Deny"


def test_several_mistakes_are_all_reported() -> None:
    text = '\ufeff{"Version": "2012-10-17", // c\n "Statement": [{"Effect": "Allow",},],}'
    parsed = parse_json(text)
    assert parsed.ok
    assert len(parsed.problems) == 5
    assert [p.offset for p in parsed.problems] == sorted(p.offset for p in parsed.problems)


# -- fatal mistakes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "offset"),
    [
        ('{"Effect": "Allow}', "Unterminated string", 11),
        ('{"Effect": "Al\nlow"}', "Unterminated string: the closing", 11),
        ('{"Effect": "Al\tlow"}', "raw control character", 14),
        ("{'Effect': 'Allow'}", "Object keys must be strings", 1),
        ("{\"Effect\": 'Allow'}", "double quotes", 11),
        ('{Effect: "Allow"}', "Object keys must be strings", 1),
        ('{"Effect" "Allow"}', 'Expected ":" after the key "Effect"', 10),
        ('{"a": 1 "b": 2}', "Missing comma between two object members", 8),
        ('["a" "b"]', "Missing comma between two list items", 5),
        ('{"a": [1, 2}', "Expected ',' or ']'", 11),
        ('{"a": 1', "Expected ',' or '}' but found the end of the text", 7),
        ('{"a": [1', "not closed", 8),
        ('{"a": }', "Expected a value but found '}'", 6),
        ('{"a": NaN}', "Expected a value but found 'NaN'", 6),
        ('{"a": Infinity}', "Expected a value but found 'Infinity'", 6),
        ('{"a": 1} {"b": 2}', "Unexpected text after the end", 9),
        ("", "empty", 0),
        ("   \n  ", "empty", 6),
        ('{"a": 1} /* open', "Unterminated /* comment", 9),
        ("Version: 2012-10-17", "Expected a value but found 'Version'", 0),
    ],
)
def test_fatal_mistakes(text: str, words: str, offset: int) -> None:
    parsed = parse_json(text)
    assert not parsed.ok and parsed.value is None
    fatal = [p for p in parsed.problems if p.fatal]
    assert len(fatal) == 1
    assert words in fatal[0].message
    assert fatal[0].offset == offset


def test_unterminated_string_points_at_its_opening_quote() -> None:
    text = POLICY.replace('"Resource": "*"', '"Resource": "*')
    parsed = parse_json(text)
    problem = only(parsed.problems)
    assert problem.fatal and problem.message.startswith("Unterminated string")
    span = parsed.source_map.offset_span(problem.offset, problem.end)
    # From the opening quote to the end of that line.
    assert (span.line, span.column, span.end_line, span.end_column) == (8, 19, 8, 21)


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    parsed = parse_json("[" * 100_000)
    assert not parsed.ok
    assert "nested too deeply" in parsed.problems[0].message


# -- properties -------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
documents = st.dictionaries(st.text(max_size=8), json_values, max_size=5)
layouts = st.sampled_from([None, 0, 1, 2, 4])


def value_at(doc: Any, path: Path) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def all_paths(doc: Any, path: Path = ()) -> list[Path]:
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(all_paths(v, path + (k,)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.extend(all_paths(v, path + (i,)))
    return out


@settings(max_examples=150, deadline=None)
@given(documents, layouts)
def test_fast_path_and_recovering_reader_agree_with_json(doc: dict[str, Any], indent: int | None) -> None:
    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    fast = parse_json(text)
    assert fast.ok and fast.problems == [] and fast.value == doc
    # A BOM forces the recovering reader; it must read the same value.
    slow = parse_json("\ufeff" + text)
    assert slow.value == doc
    assert len(slow.problems) == 1 and not slow.problems[0].fatal


@settings(max_examples=150, deadline=None)
@given(documents, layouts)
def test_every_element_position_holds_that_element(doc: dict[str, Any], indent: int | None) -> None:
    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    smap = parse_json(text).source_map
    paths = all_paths(doc)
    assert set(smap.values) == set(paths)
    for path in paths:
        start, end = smap.values[path]
        assert json.loads(text[start:end]) == value_at(doc, path)
        if path and isinstance(path[-1], str):
            kstart, kend = smap.keys[path]
            assert json.loads(text[kstart:kend]) == path[-1]


@settings(max_examples=150, deadline=None)
@given(documents, layouts, st.randoms(use_true_random=False))
def test_on_demand_positions_match_the_full_reader(doc: dict[str, Any], indent: int | None, rnd: Any) -> None:
    # Valid JSON gets its positions on demand; the recovering reader (forced by a BOM,
    # which shifts every offset by one) records them all while reading.
    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    full = parse_json("\ufeff" + text).source_map
    lazy = parse_json(text).source_map
    paths = all_paths(doc)
    rnd.shuffle(paths)
    for path in paths:
        start, end = full.values[path]
        assert lazy.values.get(path) == (start - 1, end - 1)
        span, expected = lazy.span(path), full.span(path)
        # The BOM is one more character on line 1 only.
        assert (span.line, span.end_line) == (expected.line, expected.end_line)
        assert span.column == expected.column - (span.line == 1)
        assert span.end_column == expected.end_column - (span.end_line == 1)
        if path and isinstance(path[-1], str):
            kstart, kend = full.keys[path]
            assert lazy.keys[path] == (kstart - 1, kend - 1)
    assert ("no", "such", "path") not in lazy.values
    assert lazy.values.get((0, 1, 2)) is None
    assert dict(lazy.values.items()) == {p: (a - 1, b - 1) for p, (a, b) in full.values.items()}


def test_line_and_column_lookups_agree_however_many() -> None:
    text = POLICY
    smap = parse_json(text).source_map
    offsets = list(range(0, len(text), 7))
    first = [smap.offset_span(o, o) for o in offsets]  # crosses the switch to a line table
    again = [smap.offset_span(o, o) for o in offsets]
    assert first == again
    for o, span in zip(offsets, first, strict=True):
        before = text[:o]
        assert span.line == before.count("\n") + 1
        assert span.column == len(before) - (before.rfind("\n") + 1) + 1
