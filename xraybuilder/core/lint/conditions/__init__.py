"""Lint family: conditions — what each Condition entry means, and whether it can work.

The grammar family reports a Condition of the wrong shape; this family reads the
well-shaped entries and checks that IAM knows the operator and the key, that the
operator suits the key's type and the values suit the operator, that the key is in
the request context of the statement's actions, and that values are not repeated.
Ill-shaped entries (objects, null, empty lists) are skipped without a word.

The checks live by concern: ``operators`` (operator names), ``keys`` (condition keys,
set qualifiers and key types), ``values`` (values against their operator), ``tags``
(X-Ray tag keys and values) and ``action_support`` (keys in the request context of
the statement's actions); ``common`` holds what they share.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from xraybuilder.core.lint.conditions.action_support import _check_action_support
from xraybuilder.core.lint.conditions.common import _Context, _Entry, _Record, _Records, _Values
from xraybuilder.core.lint.conditions.keys import (
    _check_duplicate_keys,
    _check_key,
    _check_key_type,
    _check_qualifier,
)
from xraybuilder.core.lint.conditions.operators import _check_operator
from xraybuilder.core.lint.conditions.tags import _check_tags
from xraybuilder.core.lint.conditions.values import _check_values
from xraybuilder.core.lint.document import Document, StatementView
from xraybuilder.core.lint.finding import Fix
from xraybuilder.core.policy.source import Path


def check(doc: Document) -> None:
    """Report condition findings for every statement."""
    for st in doc.statements:
        check_statement(doc, st)


def check_statement(doc: Document, st: StatementView) -> None:
    """Report condition findings for one statement."""
    block = st.raw.get("Condition")
    if not isinstance(block, dict) or not block:
        return
    context = _Context(
        st.effect,
        tuple(text for _, text in st.action_entries),
        "NotAction" in st.raw and "Action" not in st.raw,
    )
    operators = tuple(block)
    for op_name, keys in block.items():
        if not isinstance(keys, dict) or not keys:
            continue
        items = tuple((key, _freeze(raw)) for key, raw in keys.items())
        _replay(doc, _block_records(op_name, items, operators, context), st.path)


def _replay(doc: Document, records: Iterable[_Record], prefix: Path) -> None:
    for code, severity, message, path, fix, on_key in records:
        if fix is not None:
            fix = Fix(fix.description, prefix + fix.path, fix.value, fix.new_key)
        doc.report(code, severity, message, prefix + path, fix=fix, on_key=on_key)


def _freeze(raw: Any) -> _Values:
    if isinstance(raw, list):
        if not raw or not all(_is_scalar(v) for v in raw):
            return None
        return True, tuple(map(_text, raw))
    return (False, (_text(raw),)) if _is_scalar(raw) else None


@lru_cache(maxsize=4096)
def _block_records(
    op_name: str, items: tuple[tuple[str, _Values], ...], operators: tuple[str, ...], context: _Context
) -> tuple[_Record, ...]:
    """Every finding for one operator and its keys, relative to the statement.

    Cached: while someone types, the other conditions of the policy stay the same.
    """
    out = _Records()
    op_path: Path = ("Condition", op_name)
    keys = tuple(key for key, _ in items)
    op = _check_operator(out, op_name, op_path, items, operators)
    _check_duplicate_keys(out, keys, op_path)
    entries = []
    for key, frozen in items:
        if frozen is None:
            continue
        is_list, texts = frozen
        path = op_path + (key,)
        values = [(path + (i,), t) for i, t in enumerate(texts)] if is_list else [(path, texts[0])]
        entry = _Entry(op_name, op_path, op, key, path, values)
        entry.key_info = _check_key(out, entry, keys)
        entries.append(entry)
    if op is None:
        return tuple(out)
    _check_qualifier(out, context, op, entries, keys, operators)
    for entry in entries:
        if entry.key_info is not None:
            _check_key_type(out, entry)
        _check_values(out, entry)
        if entry.bad_key:
            continue
        if context.xray:
            _check_tags(out, entry)
        _check_action_support(out, context, entry)
    return tuple(out)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)
