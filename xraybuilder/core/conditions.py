"""Condition operator names: ``ForAnyValue:StringNotLikeIfExists`` into its parts.

IAM matches operator names exactly: ``stringequals`` is rejected ("Invalid Condition
type"), so :func:`parse_operator` is case-sensitive, and :func:`canonical_operator`
names the operator a wrongly capitalised name was meant to be. The operator table is
data (``data/condition_operators.json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any

from xraybuilder.core.datafiles import read_json

SET_QUALIFIERS = ("ForAllValues", "ForAnyValue")
IF_EXISTS = "IfExists"


def wording() -> Mapping[str, Any]:
    """How condition keys and operators read in words (``data/condition_wording.json``).

    The one table of operator wording: explanations use an operator's ``verb`` and
    ``none``, evaluation reasons its ``holds`` and ``fails``.
    """
    data: Mapping[str, Any] = read_json("condition_wording.json")
    return data


def comparison_words(base: str) -> tuple[str, str]:
    """How a request value compares with a policy value under a positive base operator.

    ``StringEquals`` -> ``("equals", "does not equal")``; a negated operator uses its
    positive twin's (:attr:`Operator.positive`).
    """
    entry = wording()["operators"][base]
    return str(entry["holds"]), str(entry["fails"])


@dataclass(frozen=True, slots=True)
class Operator:
    """A parsed condition operator.

    ``name`` is the text as written; ``family`` is one of String, Numeric, Date, Bool,
    Binary, IpAddress, Arn, Null; ``base`` is the operator without qualifier or suffix.
    """

    name: str
    family: str
    base: str
    if_exists: bool
    set_qualifier: str | None
    negated: bool

    @property
    def positive(self) -> str:
        """The base operator whose result a negated operator inverts."""
        return str(_table()["operators"][self.base].get("positive", self.base))

    @property
    def canonical(self) -> str:
        """The name spelled the way IAM expects."""
        prefix = f"{self.set_qualifier}:" if self.set_qualifier else ""
        return prefix + self.base + (IF_EXISTS if self.if_exists else "")

    @property
    def wildcards(self) -> bool:
        """Whether ``*`` and ``?`` in values are wildcards (the Like and Arn operators)."""
        return bool(_table()["operators"][self.base]["wildcards"])

    @property
    def accepts_variables(self) -> bool:
        """Whether values may hold policy variables such as ``${aws:username}``."""
        return family_accepts_variables(self.family)

    def accepts_key_type(self, key_type: str) -> bool:
        """Whether the operator compares keys of this type (``ArrayOfString`` reads as String)."""
        return family_accepts_key_type(self.family, key_type)


def _table() -> Mapping[str, Any]:
    data: Mapping[str, Any] = read_json("condition_operators.json")
    return data


@cache
def base_operators() -> tuple[str, ...]:
    """Every base operator name, as IAM spells it."""
    return tuple(_table()["operators"])


@cache
def _by_lower() -> Mapping[str, str]:
    return MappingProxyType({name.lower(): name for name in base_operators()})


@lru_cache(maxsize=1024)
def parse_operator(name: str) -> Operator | None:
    """Parse an operator name exactly as IAM does; None when IAM would reject it."""
    return _parse(name, exact=True)


@lru_cache(maxsize=1024)
def parse_operator_ignoring_case(name: str) -> Operator | None:
    """Parse an operator name ignoring case; ``Operator.name`` keeps the text as written."""
    return _parse(name, exact=False)


def canonical_operator(name: str) -> str | None:
    """The correct spelling of an operator written with the wrong case, else None.

    ``stringequals`` -> ``StringEquals``; ``StringEquals`` (already right) and
    ``StringEqualz`` (not an operator in any case) -> None.
    """
    if parse_operator(name) is not None:
        return None
    op = parse_operator_ignoring_case(name)
    return op.canonical if op is not None else None


def _parse(name: str, *, exact: bool) -> Operator | None:
    operators = _table()["operators"]
    qualifier: str | None = None
    rest = name
    head, colon, tail = name.partition(":")
    if colon:
        matches = [q for q in SET_QUALIFIERS if (q == head if exact else q.lower() == head.lower())]
        if not matches:
            return None
        qualifier, rest = matches[0], tail
    base = _base_name(rest, exact)
    if_exists = False
    if base is None:
        suffix = rest[-len(IF_EXISTS) :]
        if suffix == IF_EXISTS or (not exact and suffix.lower() == IF_EXISTS.lower()):
            base = _base_name(rest[: -len(IF_EXISTS)], exact)
            if_exists = True
    # Null tests whether the key exists, so IAM refuses NullIfExists.
    if base is None or (if_exists and base == "Null"):
        return None
    info = operators[base]
    return Operator(name, info["family"], base, if_exists, qualifier, bool(info["negated"]))


def _base_name(text: str, exact: bool) -> str | None:
    if exact:
        return text if text in _table()["operators"] else None
    return _by_lower().get(text.lower())


def is_null_if_exists(name: str) -> bool:
    """True for ``NullIfExists`` (any case, any set qualifier): IAM has no such operator."""
    tail = name.rpartition(":")[2]
    return tail.lower() == "nullifexists"


def family_accepts_key_type(family: str, key_type: str) -> bool:
    """Whether operators of ``family`` compare keys of ``key_type``; unknown types pass."""
    families = _table()["families"]
    element = key_type.removeprefix("ArrayOf")
    if family not in families or element not in _known_key_types():
        return True
    accepted = families[family]["key_types"]
    return "*" in accepted or element in accepted


def family_accepts_variables(family: str) -> bool:
    """Whether values of this family may hold policy variables."""
    info = _table()["families"].get(family)
    return bool(info and info["variables"])


def operator_for_key_type(key_type: str) -> str | None:
    """The operator to suggest for a key type: ``IPAddress`` -> ``IpAddress``."""
    found = _table()["operator_for_key_type"].get(key_type.removeprefix("ArrayOf"))
    return str(found) if found is not None else None


@cache
def _known_key_types() -> frozenset[str]:
    return frozenset(_table()["operator_for_key_type"])


def matches_when_absent(op: Operator, null_values: tuple[str, ...] = ()) -> bool:
    """What a condition evaluates to when the request lacks its key.

    ``ForAnyValue`` fails, even with ``IfExists`` (no value can match; real AWS denies such
    requests); ``...IfExists`` and ``ForAllValues`` hold; otherwise negated operators hold
    and the others fail. ``Null`` holds when one of ``null_values`` is ``true`` (it asks
    "is the key absent?").
    """
    if op.family == "Null":
        return any(v.lower() == "true" for v in null_values)
    if op.set_qualifier == "ForAnyValue":
        return False
    return op.if_exists or op.set_qualifier == "ForAllValues" or op.negated
