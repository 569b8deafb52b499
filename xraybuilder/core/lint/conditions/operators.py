"""Condition operators: is the name one IAM knows, what was meant if not, and Null misused.

Misspelt or wrongly cased names get a suggestion; Null takes no IfExists suffix, and a set
qualifier on it makes the test constant.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from xraybuilder.core.conditions import (
    SET_QUALIFIERS,
    Operator,
    base_operators,
    canonical_operator,
    is_null_if_exists,
    parse_operator,
)
from xraybuilder.core.lint.conditions.common import ERROR, SUGGESTION, _Records, _Values
from xraybuilder.core.lint.finding import Fix
from xraybuilder.core.policy.source import Path


def _check_operator(
    doc: _Records, name: str, path: Path, items: tuple[tuple[str, _Values], ...], block: tuple[str, ...]
) -> Operator | None:
    op = parse_operator(name)
    if op is not None:
        if op.family == "Null" and op.set_qualifier:
            doc.report(
                "NULL_WITH_QUALIFIER",
                SUGGESTION,
                f'"{name}" puts {op.set_qualifier}: on Null, which makes it always '
                f"{'true' if op.set_qualifier == 'ForAllValues' else 'false'} instead of "
                'testing whether the key is present. Use plain "Null".',
                path,
                on_key=True,
            )
        return op
    if is_null_if_exists(name):
        target = name[: -len("IfExists")]
        values = [v for _, frozen in items if frozen is not None for v in frozen[1]]
        fix = None
        if (
            parse_operator(target) is not None
            and target not in block
            and values
            and all(v.lower() in ("true", "false") for v in values)
        ):
            fix = Fix(f'Rename "{name}" to "{target}"', path, new_key=target)
        doc.report(
            "NULL_WITH_IF_EXISTS",
            ERROR,
            f'"{name}" is not an operator: Null already asks whether the key is present, '
            f'so it takes no IfExists suffix. Use "{target}" with "true" (key absent) or '
            '"false" (key present).',
            path,
            fix=fix,
            on_key=True,
        )
        return None
    right = canonical_operator(name)
    if right is not None:
        fix = Fix(f'Rename "{name}" to "{right}"', path, new_key=right) if right not in block else None
        doc.report(
            "INVALID_CONDITION_OPERATOR",
            ERROR,
            f'"{name}" is not an operator: operator names are case-sensitive, and IAM '
            f'rejects the policy. Write "{right}".',
            path,
            fix=fix,
            on_key=True,
        )
        return None
    hint = _operator_hint(name)
    doc.report(
        "INVALID_CONDITION_OPERATOR",
        ERROR,
        f'"{name}" is not a condition operator, so IAM rejects the policy.{hint} Operators '
        "are StringEquals, StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, "
        "IpAddress, Null and their Not/IfExists forms, optionally prefixed by "
        "ForAllValues: or ForAnyValue:.",
        path,
        on_key=True,
    )
    return None


@lru_cache(maxsize=256)
def _operator_hint(name: str) -> str:
    qualifier, colon, rest = name.rpartition(":")
    qualifier = next((q for q in SET_QUALIFIERS if q.lower() == qualifier.lower()), qualifier)
    suffix = "IfExists" if rest.lower().endswith("ifexists") else ""
    core = rest[: -len(suffix)] if suffix else rest
    names = {n.lower(): n for n in base_operators()}
    close = difflib.get_close_matches(core.lower(), list(names), n=1, cutoff=0.75)
    if not close:
        return ""
    return f' Did you mean "{qualifier}{colon}{names[close[0]]}{suffix}"?'
