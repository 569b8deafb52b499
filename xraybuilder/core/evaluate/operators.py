"""Condition operator names: ``ForAnyValue:StringNotEqualsIfExists`` into its parts.

Operator names are matched case-insensitively; the canonical spelling is kept for
messages. ``Null`` takes neither ``IfExists`` (IAM rejects ``NullIfExists``) nor, in
effect, a set qualifier (a qualifier on ``Null`` changes nothing, so it is ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# canonical base name -> (family, negated)
BASES: dict[str, tuple[str, bool]] = {
    "StringEquals": ("String", False),
    "StringNotEquals": ("String", True),
    "StringEqualsIgnoreCase": ("String", False),
    "StringNotEqualsIgnoreCase": ("String", True),
    "StringLike": ("String", False),
    "StringNotLike": ("String", True),
    "NumericEquals": ("Numeric", False),
    "NumericNotEquals": ("Numeric", True),
    "NumericLessThan": ("Numeric", False),
    "NumericLessThanEquals": ("Numeric", False),
    "NumericGreaterThan": ("Numeric", False),
    "NumericGreaterThanEquals": ("Numeric", False),
    "DateEquals": ("Date", False),
    "DateNotEquals": ("Date", True),
    "DateLessThan": ("Date", False),
    "DateLessThanEquals": ("Date", False),
    "DateGreaterThan": ("Date", False),
    "DateGreaterThanEquals": ("Date", False),
    "Bool": ("Bool", False),
    "BinaryEquals": ("Binary", False),
    "IpAddress": ("IpAddress", False),
    "NotIpAddress": ("IpAddress", True),
    "ArnEquals": ("Arn", False),
    "ArnLike": ("Arn", False),
    "ArnNotEquals": ("Arn", True),
    "ArnNotLike": ("Arn", True),
    "Null": ("Null", False),
}

# A negated operator is evaluated as NOT of its positive twin.
POSITIVE = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}

# Families whose values may hold policy variables (IAM User Guide, "Where you can use
# policy variables": string and ARN operators, and Bool per the operator reference).
VARIABLE_FAMILIES = frozenset({"String", "Arn", "Bool"})

SET_QUALIFIERS = ("ForAllValues", "ForAnyValue")
_BY_LOWER = {name.lower(): name for name in BASES}
_QUALIFIERS_LOWER = {q.lower(): q for q in SET_QUALIFIERS}


@dataclass(frozen=True, slots=True)
class Operator:
    """A parsed condition operator."""

    name: str
    family: str
    base: str
    if_exists: bool
    set_qualifier: str | None
    negated: bool

    @property
    def positive(self) -> str:
        """The base operator whose result a negated operator inverts."""
        return POSITIVE.get(self.base, self.base)


@lru_cache(maxsize=512)
def parse_operator(name: str) -> Operator | None:
    """Parse an operator name; None when IAM would not recognise it."""
    qualifier: str | None = None
    rest = name
    prefix, colon, tail = name.partition(":")
    if colon:
        qualifier = _QUALIFIERS_LOWER.get(prefix.lower())
        if qualifier is None:
            return None
        rest = tail
    if_exists = False
    base = _BY_LOWER.get(rest.lower())
    if base is None and rest.lower().endswith("ifexists"):
        base = _BY_LOWER.get(rest[: -len("ifexists")].lower())
        if_exists = True
    if base is None or (if_exists and base == "Null"):
        return None
    family, negated = BASES[base]
    return Operator(name, family, base, if_exists, qualifier, negated)
