"""Apply the fixes findings offer: replace a value, remove an element, rename a key.

Fixes are structural (a path into the document), so they are applied to the parsed
value and the result is rendered again as canonical text. The caller chooses which
fixes to apply; nothing here decides whether a fix is wise.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from xraybuilder.core.lint.finding import Fix
from xraybuilder.core.policy.model import Policy, PolicyShapeError, format_path
from xraybuilder.core.policy.render import render
from xraybuilder.core.policy.source import Path, parse_json


class FixError(ValueError):
    """A fix that cannot be applied to this document; ``path`` says where."""

    def __init__(self, path: Path, message: str) -> None:
        where = format_path(path)
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path


def load(source: str | dict[str, Any]) -> Any:
    """A private deep copy of the document a fix will edit; FixError when text is not JSON."""
    if not isinstance(source, str):
        return copy.deepcopy(source)
    parsed = parse_json(source)
    if not parsed.ok:
        problem = next(p for p in parsed.problems if p.fatal)
        span = parsed.source_map.offset_span(problem.offset, problem.end)
        raise FixError((), f"line {span.line}, column {span.column}: {problem.message}")
    return parsed.value


def canonical(value: Any) -> str:
    """Canonical text: the model's element order when the model can hold the document."""
    try:
        return render(Policy.from_json(value))
    except PolicyShapeError:
        # Still malformed after the fix (another finding's business): keep the order as is.
        return render(value)


def _container(doc: Any, path: Path) -> Any:
    node = doc
    for depth, part in enumerate(path):
        here = path[: depth + 1]
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                raise FixError(here, "no such list item")
        elif not isinstance(node, dict) or part not in node:
            raise FixError(here, "no such element")
        node = node[part]
    return node


def edit(doc: Any, fix: Fix) -> Any:
    """Apply ``fix`` to ``doc`` in place where possible; returns the (new) document."""
    path = fix.path
    if not path:
        if fix.removes or fix.new_key is not None:
            raise FixError(path, "the whole document cannot be removed or renamed")
        return copy.deepcopy(fix.value)
    parent = _container(doc, path[:-1])
    last = path[-1]
    if fix.new_key is not None:
        if not isinstance(parent, dict) or not isinstance(last, str) or last not in parent:
            raise FixError(path, "no such key to rename")
        if fix.new_key != last and fix.new_key in parent:
            raise FixError(path, f'cannot rename: "{fix.new_key}" is already there')
        # Rebuild the object so the renamed key keeps its place.
        items = [(fix.new_key if k == last else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
        return doc
    if isinstance(last, int):
        if not isinstance(parent, list):
            raise FixError(path, "not a list")
        if fix.removes:
            if not 0 <= last < len(parent):
                raise FixError(path, "no such list item")
            del parent[last]
        elif last == len(parent):
            parent.append(copy.deepcopy(fix.value))
        elif 0 <= last < len(parent):
            parent[last] = copy.deepcopy(fix.value)
        else:
            raise FixError(path, "no such list item")
        return doc
    if not isinstance(parent, dict):
        raise FixError(path, "not an object")
    if fix.removes:
        if last not in parent:
            raise FixError(path, "no such element")
        del parent[last]
    else:
        # Setting a key that is missing adds it: that is how a fix supplies an element.
        parent[last] = copy.deepcopy(fix.value)
    return doc


def _order(fix: Fix) -> tuple[Any, ...]:
    # Deeper paths before their ancestors and higher list indexes first, so removing
    # one item never shifts the path of a fix still to come.
    key = tuple((0, -p) if isinstance(p, int) else (1, p) for p in fix.path)
    return key + ((2,),)


def apply_fixes(source: str | dict[str, Any], fixes: Iterable[Fix]) -> str:
    """Apply every fix and return the canonical text; FixError names the first that fails."""
    doc = load(source)
    for fix in sorted(fixes, key=_order):
        doc = edit(doc, fix)
    return canonical(doc)


def apply_fix(source: str | dict[str, Any], fix: Fix) -> str:
    """Apply one fix to policy text (or a parsed document) and return the canonical text."""
    return apply_fixes(source, [fix])
