"""Condition values by operator family: what a request value is compared with, and how.

A :class:`ValueSet` holds one condition key's policy values, read once, and answers
"which policy value does this request value match?" for the positive form of the
operator (negation and set qualifiers are the caller's business).

The formats of each family are read by :mod:`xraybuilder.core.condition_values`, the
grammar the linter checks against. For BinaryEquals the request value is base-64 too,
and bytes are compared; for IpAddress the request value is an address.

A policy value in the wrong format matches nothing; a request value in the wrong format
makes the condition false (:class:`BadRequestValue`), whatever the operator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from xraybuilder.core.condition_values import (
    parse_address,
    parse_binary,
    parse_bool,
    parse_date,
    parse_network,
    parse_number,
)
from xraybuilder.core.conditions import Operator
from xraybuilder.core.evaluate.match import arn_like, like
from xraybuilder.core.evaluate.variables import (
    Lookup,
    Template,
    Unresolved,
    Variable,
    parse_template,
    resolve,
    resolved_text,
)


class BadRequestValue(Exception):
    """The request's value for the key is not in the operator's format."""


class ValueMatch(NamedTuple):
    """Which policy value a request value matched (``position``), or why none did."""

    position: int | None
    note: str | None = None
    """Why a value could not match other than by differing (a bad format)."""


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}
# Families compared as (possibly templated) text rather than parsed values.
_TEXT_FAMILIES = frozenset({"String", "Arn", "Bool"})
_FORMAT_NAMES = {
    "Numeric": "a number",
    "Date": "a date",
    "Bool": "true or false",
    "Binary": "base-64",
    "IpAddress": "an IP address",
}


class ValueSet:
    """One condition key's policy values, ready to compare with request values."""

    def __init__(self, op: Operator, raw: tuple[str, ...], variables: bool) -> None:
        self.op = op
        self.raw = raw
        self.family = op.family
        positive = op.positive
        self._relation = positive.removeprefix(op.family) or "Equals"
        # Which policy values can never match, and why (shown in reasons).
        self.problems: list[str] = []
        live_vars = variables and op.accepts_variables
        if self.family in _TEXT_FAMILIES:
            self._templates: tuple[Template, ...] = tuple(
                parse_template(v, variables=live_vars, wildcards=op.wildcards) for v in raw
            )
            self._ignore_case = positive == "StringEqualsIgnoreCase"
            self._parsed: tuple[Any, ...] = ()
        else:
            self._templates = ()
            parser = _PARSERS[self.family]
            parsed = []
            for value in raw:
                item = parser(value)
                if item is None:
                    self.problems.append(f"{value!r} is not {_FORMAT_NAMES[self.family]}")
                parsed.append(item)
            self._parsed = tuple(parsed)

    @property
    def variables(self) -> tuple[Variable, ...]:
        """The live policy variables in these values."""
        return tuple(v for t in self._templates for v in t.variables)

    def first_match(self, value: str, lookup: Lookup) -> ValueMatch:
        """The first policy value the request value matches, or why none does.

        Raises BadRequestValue when the request value has the wrong format.
        """
        if self.family in _TEXT_FAMILIES:
            return self._match_templates(value, lookup)
        parsed_request = request_parser(self.family)(value)
        if parsed_request is None:
            raise BadRequestValue(f"request value {value!r} is not {_FORMAT_NAMES[self.family]}")
        for i, policy_value in enumerate(self._parsed):
            if policy_value is not None and self._compare(parsed_request, policy_value):
                return ValueMatch(i)
        return ValueMatch(None, self.problems[0] if self.problems else None)

    def _compare(self, request_value: Any, policy_value: Any) -> bool:
        if self.family == "IpAddress":
            return bool(request_value.version == policy_value.version and request_value in policy_value)
        return _COMPARE[self._relation](request_value, policy_value)

    def _match_templates(self, value: str, lookup: Lookup) -> ValueMatch:
        note: str | None = None
        positive = self.op.positive
        if self.family == "Bool" and parse_bool(value) is None:
            raise BadRequestValue(f"request value {value!r} is not true or false")
        for i, template in enumerate(self._templates):
            try:
                resolved = resolve(template, lookup)
            except Unresolved as err:
                note = note or err.reason
                continue
            if positive == "StringLike":
                hit = like(resolved, value)
            elif self.family == "Arn":
                hit = arn_like(resolved, value)
            else:
                text = resolved_text(resolved)
                if self.family == "Bool":
                    hit = parse_bool(text) == parse_bool(value)
                elif self._ignore_case:
                    hit = text.lower() == value.lower()
                else:
                    hit = text == value
            if hit:
                return ValueMatch(i)
        return ValueMatch(None, note)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "Numeric": parse_number,
    "Date": parse_date,
    "Bool": parse_bool,
    "Binary": parse_binary,
    "IpAddress": parse_network,
}


def describe_family(family: str) -> str:
    """What a value of this family is, in words: ``an IP address``, ``a date``…"""
    return _FORMAT_NAMES[family]


def request_parser(family: str) -> Callable[[str], Any]:
    """How a request value of this family is read (IP requests are addresses, not networks)."""
    return parse_address if family == "IpAddress" else _PARSERS[family]
