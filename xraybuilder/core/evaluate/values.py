"""Condition values by operator family: what a request value is compared with, and how.

A :class:`ValueSet` holds one condition key's policy values, read once, and answers
"which policy value does this request value match?" for the positive form of the
operator (negation and set qualifiers are the caller's business).

Formats accepted:

* Numeric: integers and decimals, with optional sign and exponent (``10``, ``-2.5``).
* Date: W3C ISO 8601 (``2020``-style years aside): ``YYYY-MM-DD``,
  ``YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]`` (no zone means UTC), or epoch seconds
  (digits only, so ``2020`` is read as a second count, not a year).
* Bool: ``true``/``false`` in any case.
* BinaryEquals: base-64; the request value is base-64 too, and bytes are compared.
* IpAddress: IPv4/IPv6 address or CIDR (host bits may be set; a bare address is /32
  or /128); the request value is an address.

A policy value in the wrong format matches nothing; a request value in the wrong format
makes the condition false (:class:`BadRequestValue`), whatever the operator.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from xraybuilder.core.conditions import Operator
from xraybuilder.core.evaluate.match import arn_like, glob_regex
from xraybuilder.core.evaluate.variables import (
    Lookup,
    Template,
    Unresolved,
    Variable,
    parse_template,
    resolve,
    resolved_text,
)

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_EPOCH = re.compile(r"-?\d+(?:\.\d+)?")
_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"([Zz]|[+-]\d{2}:?\d{2})?"
)


class BadRequestValue(Exception):
    """The request's value for the key is not in the operator's format."""


class ValueMatch(NamedTuple):
    """Which policy value a request value matched (``position``), or why none did."""

    position: int | None
    note: str | None = None
    """Why a value could not match other than by differing (a bad format)."""


def parse_number(text: str) -> Decimal | None:
    """A numeric condition value, or None."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return None


def parse_date(text: str) -> datetime | None:
    """An ISO 8601 date/time or epoch seconds as an aware datetime, or None."""
    text = text.strip()
    if _EPOCH.fullmatch(text):
        try:
            return datetime.fromtimestamp(float(text), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    m = _DATE.fullmatch(text)
    if not m:
        return None
    year, month, day, hour, minute, second, frac, zone = m.groups()
    tz: timezone = UTC
    if zone and zone not in "Zz":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        if len(digits) != 4:
            return None
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second or 0), int((frac or "0")[:6].ljust(6, "0")), tzinfo=tz)
    except ValueError:
        return None


def parse_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    return True if lowered == "true" else False if lowered == "false" else None


def parse_binary(text: str) -> bytes | None:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        try:
            return ipaddress.ip_interface(text).ip
        except ValueError:
            return None


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}
# Families compared as (possibly templated) text rather than parsed values.
_TEXT_FAMILIES = frozenset({"String", "Arn", "Bool"})
_FORMAT_NAMES = {"Numeric": "a number", "Date": "a date", "Bool": "true or false",
                 "Binary": "base-64", "IpAddress": "an IP address"}


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
                hit = glob_regex(resolved).fullmatch(value) is not None
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


def request_parser(family: str) -> Callable[[str], Any]:
    """How a request value of this family is read (IP requests are addresses, not networks)."""
    return parse_address if family == "IpAddress" else _PARSERS[family]
