"""Conditions as plain data: normalise them, compare them, and say them in words.

Comparisons are deliberately conservative. One condition is taken to imply another
only when, clause by clause, the other's clause has the same operator and key and its
values admit everything the first one's admit (a subset for ``StringEquals``, wildcard
coverage for ``StringLike``, CIDR containment for ``IpAddress``, a superset for the
negated operators). Anything else, numeric and date ranges included, counts as "not
implied", so a comparison may report a difference the conditions do not really make,
never the reverse.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from xraybuilder.core.conditions import wording
from xraybuilder.core.explain.patterns import Scope, covered

_QUALIFIERS = ("ForAllValues", "ForAnyValue")


@dataclass(frozen=True, slots=True)
class Clause:
    """One operator applied to one key: ``StringEquals aws:RequestTag/stage [prod, preprod]``."""

    operator: str
    key: str
    values: tuple[str, ...]

    @property
    def qualifier(self) -> str:
        """``ForAllValues``, ``ForAnyValue`` or ``""``."""
        head, sep, _ = self.operator.partition(":")
        return next((q for q in _QUALIFIERS if sep and q.lower() == head.lower()), "")

    @property
    def if_exists(self) -> bool:
        """True for ``…IfExists`` operators."""
        return self.operator.lower().endswith("ifexists")

    @property
    def base(self) -> str:
        """The operator without qualifier or ``IfExists``, in IAM's spelling when known."""
        name = self.operator.partition(":")[2] if self.qualifier else self.operator
        if name.lower().endswith("ifexists"):
            name = name[: -len("IfExists")]
        return _canonical_operator(name)


Condition = tuple[Clause, ...]


def normalize(condition: Mapping[str, Mapping[str, Any]] | None) -> Condition:
    """The model's condition dict as clauses, values as IAM compares them (text)."""
    if not condition:
        return ()
    out: list[Clause] = []
    for operator, keys in condition.items():
        for key, value in keys.items():
            values = value if isinstance(value, tuple | list) else (value,)
            out.append(Clause(operator, key, tuple(_text(v) for v in values)))
    return tuple(out)


def to_json(condition: Condition) -> dict[str, dict[str, Any]] | None:
    """Clauses back to the IAM ``Condition`` shape (None when there are none)."""
    if not condition:
        return None
    out: dict[str, dict[str, Any]] = {}
    for clause in condition:
        values: Any = clause.values[0] if len(clause.values) == 1 else list(clause.values)
        out.setdefault(clause.operator, {})[clause.key] = values
    return out


def same(a: Condition, b: Condition) -> bool:
    """Equal as sets of clauses, whatever the order of clauses and values."""
    return _clause_set(a) == _clause_set(b)


def implies(a: Condition, b: Condition) -> bool:
    """True when ``b`` surely holds whenever ``a`` holds (conservative: False when unsure)."""
    return all(any(_clause_implies(ca, cb) for ca in a) for cb in b)


def _clause_set(c: Condition) -> frozenset[tuple[str, str, frozenset[str]]]:
    return frozenset((x.operator.lower(), x.key.lower(), frozenset(x.values)) for x in c)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_GLOB = {"stringlike", "arnlike", "arnequals"}
_GLOB_NEGATED = {"stringnotlike", "arnnotlike", "arnnotequals"}
_SET = {"stringequals", "numericequals", "dateequals", "bool", "binaryequals", "null"}
_SET_NEGATED = {"stringnotequals", "numericnotequals", "datenotequals"}


def _clause_implies(a: Clause, b: Clause) -> bool:
    if a.key.lower() != b.key.lower() or a.qualifier != b.qualifier:
        return False
    if a.base.lower() != b.base.lower():
        return False
    # "IfExists" also passes when the key is absent, so it only ever widens a clause.
    if a.if_exists and not b.if_exists:
        return False
    op = a.base.lower()
    if op in _SET:
        return set(a.values) <= set(b.values)
    if op in _SET_NEGATED:
        return set(b.values) <= set(a.values)
    if op == "stringequalsignorecase":
        return {v.lower() for v in a.values} <= {v.lower() for v in b.values}
    if op == "stringnotequalsignorecase":
        return {v.lower() for v in b.values} <= {v.lower() for v in a.values}
    if op in _GLOB:
        return covered((Scope.of(a.values),), (Scope.of(b.values),))
    if op in _GLOB_NEGATED:
        return covered((Scope.of(b.values),), (Scope.of(a.values),))
    if op == "ipaddress":
        return _networks_within(a.values, b.values)
    if op == "notipaddress":
        return _networks_within(b.values, a.values)
    # Ordered numeric and date operators: only identical clauses count.
    return set(a.values) == set(b.values)


def _networks_within(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    try:
        ins = [ipaddress.ip_network(v, strict=False) for v in inner]
        outs = [ipaddress.ip_network(v, strict=False) for v in outer]
    except ValueError:
        return set(inner) <= set(outer)
    return all(
        any(i.version == o.version and i.subnet_of(o) for o in outs)  # type: ignore[arg-type]
        for i in ins
    )


# -- words ------------------------------------------------------------------------------


@cache
def _operator_names() -> Mapping[str, str]:
    return MappingProxyType({name.lower(): name for name in wording()["operators"]})


def _canonical_operator(name: str) -> str:
    return _operator_names().get(name.lower(), name)


@cache
def _key_patterns() -> tuple[tuple[re.Pattern[str], Mapping[str, Any]], ...]:
    out = []
    for template, info in wording()["keys"].items():
        parts = re.split(r"\$\{[^}]+\}", template)
        rx = "(.+)".join(re.escape(p) for p in parts)
        out.append((re.compile(rx, re.I), info))
    return tuple(out)


def _key_info(key: str) -> tuple[Mapping[str, Any], str]:
    for rx, info in _key_patterns():
        m = rx.fullmatch(key)
        if m:
            return info, (m.group(1) if m.groups() else "")
    return {}, ""


def key_phrase(key: str) -> str:
    """``aws:RequestTag/stage`` -> ``the request tag stage``; unknown keys read as themselves."""
    info, tag = _key_info(key)
    return str(info["phrase"]).replace("{TagKey}", tag) if info else key


def _join(values: tuple[str, ...], word: str) -> str:
    shown = [v if v != "" else '""' for v in values]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {word} " + shown[-1]


def describe_clause(clause: Clause) -> str:
    """One clause in words: ``the request tag stage is prod or preprod``."""
    info, tag = _key_info(clause.key)
    phrase = key_phrase(clause.key)
    op = wording()["operators"].get(clause.base)
    base = clause.base.lower()
    if op is None:
        return f"{clause.key} {clause.operator} {_join(clause.values, 'or')}"
    if base == "null" and len(clause.values) == 1 and clause.values[0].lower() in ("true", "false"):
        return f"{phrase} {op[clause.values[0].lower()]}"
    if clause.qualifier:
        item = str(info.get("item", f"value of {phrase}")).replace("{TagKey}", tag)
        subject = ("every " if clause.qualifier == "ForAllValues" else "at least one ") + item
    else:
        subject = phrase
    if clause.if_exists:
        subject += ", if present,"
    if base == "bool" and not clause.qualifier and len(clause.values) == 1:
        sentence = info.get(clause.values[0].lower())
        if sentence:
            return str(sentence) + (" (or this is not known)" if clause.if_exists else "")
    if op.get("negated") and len(clause.values) > 1:
        listed = ", ".join(v if v != "" else '""' for v in clause.values)
        text = f"{subject} {op['none']} {listed}"
    else:
        text = f"{subject} {op['verb']} {_join(clause.values, 'or')}"
    if clause.qualifier == "ForAllValues":
        text += " (or the request has none)"
    return text


def describe(condition: Condition) -> str:
    """All clauses in words, joined with "and" (every clause must hold)."""
    return " and ".join(describe_clause(c) for c in condition)
