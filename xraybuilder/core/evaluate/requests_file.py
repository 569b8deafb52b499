"""A file of requests with the outcome each should have, so a policy can be guarded in CI.

TOML (``[[requests]]`` tables) or JSON (a list, or an object with ``"requests"``). Each
entry has an ``action``, and optionally a ``name``, ``resource``, ``region``, tags and
``context``, and the outcome it must ``expect``. Every problem names the entry (and, in
JSON, the line and column).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from xraybuilder.core.evaluate.request import Request, check_context, with_requested_region
from xraybuilder.core.policy.load import read_text
from xraybuilder.core.policy.source import parse_json

EXPECTATIONS = ("allowed", "denied", "explicit_deny", "implicit_deny")
ENTRY_FIELDS = (
    "name",
    "action",
    "resource",
    "region",
    "request_tags",
    "resource_tags",
    "principal_tags",
    "context",
    "expect",
)


class RequestsFileError(ValueError):
    """A requests file that cannot be used; the message says where (file:line:col, entry) and what."""


@dataclass(frozen=True)
class Entry:
    """One request of a batch, with where it came from."""

    where: str
    name: str | None
    request: Request
    expect: str


def expectation_met(expect: str, outcome: str) -> bool:
    """Does ``outcome`` satisfy ``expect`` (``denied`` accepts either kind of deny)?"""
    if expect == "denied":
        return outcome != "allowed"
    return expect == outcome


def _string_map(value: Any, where: str, field: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise RequestsFileError(f'{where}: {field} must be a table of KEY = "value"')
    for key, item in value.items():
        if not isinstance(item, str):
            raise RequestsFileError(f"{where}: {field}.{key} must be a string, got {item!r}")
    return dict(value)


def entry(raw: Any, where: str) -> Entry:
    """One entry of the file; RequestsFileError says what is wrong with it."""
    if not isinstance(raw, Mapping):
        raise RequestsFileError(f"{where}: each request must be a table/object")
    name = raw.get("name")
    if name is not None and not isinstance(name, str):
        raise RequestsFileError(f"{where}: name must be a string")
    if name:
        where = f"{where} ({name})"
    unknown = [k for k in raw if k not in ENTRY_FIELDS]
    if unknown:
        raise RequestsFileError(
            f"{where}: unknown field {unknown[0]!r}; the fields are {', '.join(ENTRY_FIELDS)}"
        )
    action = raw.get("action")
    if not isinstance(action, str):
        raise RequestsFileError(f"{where}: action is missing or not a string")
    resource = raw.get("resource", "*")
    if not isinstance(resource, str):
        raise RequestsFileError(f"{where}: resource must be a string")
    region = raw.get("region")
    if region is not None and (not isinstance(region, str) or not region):
        raise RequestsFileError(f"{where}: region must be a Region name such as eu-west-1")
    expect = raw.get("expect")
    if expect not in EXPECTATIONS:
        raise RequestsFileError(f"{where}: expect must be one of {', '.join(EXPECTATIONS)}, got {expect!r}")
    context = raw.get("context", {})
    if not isinstance(context, Mapping):
        raise RequestsFileError(f"{where}: context must be a table of KEY = value")
    try:
        request = Request.build(
            action,
            resource,
            request_tags=_string_map(raw.get("request_tags", {}), where, "request_tags"),
            resource_tags=_string_map(raw.get("resource_tags", {}), where, "resource_tags"),
            principal_tags=_string_map(raw.get("principal_tags", {}), where, "principal_tags"),
            context=context,
        )
        check_context(request)
    except ValueError as err:
        raise RequestsFileError(f"{where}: {err}") from None
    return Entry(where, name, with_requested_region(request, region), str(expect))


def parse_requests(text: str, name: str) -> list[Entry]:
    """The entries of a requests file's text; JSON when ``name`` ends in .json or the text looks like it."""
    import tomllib

    is_json = name.endswith(".json") or (not name.endswith(".toml") and text.lstrip().startswith(("[", "{")))
    locate: Callable[[tuple[str | int, ...]], str] = lambda _path: name  # noqa: E731
    if is_json:
        parsed = parse_json(text)
        if parsed.problems:
            # A requests file is read by us alone, but strictly, like the policies it tests.
            problem = next((p for p in parsed.problems if p.fatal), parsed.problems[0])
            span = parsed.source_map.offset_span(problem.offset, problem.end)
            raise RequestsFileError(f"{name}:{span.line}:{span.column}: {problem.message}")
        doc: Any = parsed.value

        def locate(json_path: tuple[str | int, ...]) -> str:
            span = parsed.source_map.span(json_path)
            return f"{name}:{span.line}:{span.column}"
    else:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise RequestsFileError(f"{name}: not valid TOML: {err}") from None
    prefix: tuple[str | int, ...] = ()
    if isinstance(doc, Mapping):
        extra = [k for k in doc if k != "requests"]
        if extra or "requests" not in doc:
            raise RequestsFileError(
                f'{locate(())}: expected a list of requests under "requests" ([[requests]] tables in TOML)'
            )
        doc, prefix = doc["requests"], ("requests",)
    if not isinstance(doc, list) or not doc:
        raise RequestsFileError(f'{locate(prefix)}: "requests" must be a non-empty list of requests')
    return [entry(raw, f"{locate(prefix + (i,))}: requests[{i}]") for i, raw in enumerate(doc)]


def read_requests(path: str) -> list[Entry]:
    """The entries of the requests file at ``path``; PolicyLoadError when it cannot be read."""
    source = read_text(path, limit=None, kind="requests file")
    return parse_requests(source.text, source.name)
