"""What a condition value means to each operator family: one grammar for the linter and the evaluator.

The linter reports a value these functions cannot read (TYPE_MISMATCH_*), and the
evaluator treats such a value as matching nothing, so both must read values alike.

* Numeric: integers and decimals with an optional sign (``10``, ``-2.5``): what the IAM
  User Guide documents ("an integer or decimal value"); no exponent.
* Date: the W3C profile of ISO 8601: ``YYYY-MM``, ``YYYY-MM-DD``,
  ``YYYY-MM-DDThh:mm[:ss[.fff]]`` with an optional ``Z`` or ``±hh:mm`` (no zone means
  UTC), or epoch seconds (digits only, so ``2020`` is read as a second count, not a year).
* Bool: ``true``/``false`` in any case.
* Binary: base-64.
* IP: an IPv4/IPv6 address or a CIDR range (host bits may be set; a bare address is /32
  or /128). IAM wants a prefix length after the slash, not a netmask.

Nothing is trimmed: IAM documents no trimming, so " 10" is not a number.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EPOCH = re.compile(r"-?\d+(?:\.\d+)?")
_DATE = re.compile(
    r"(\d{4})-(\d{2})"
    r"(?:-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?([Zz]|[+-]\d{2}:?\d{2})?)?"
)


@lru_cache(maxsize=2048)
def parse_number(text: str) -> Decimal | None:
    """A numeric condition value, or None."""
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return None


@lru_cache(maxsize=2048)
def parse_date(text: str) -> datetime | None:
    """An ISO 8601 date/time or epoch seconds as an aware datetime, or None."""
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
        if len(digits) != 4 or int(digits[:2]) > 23 or int(digits[2:]) > 59:
            return None
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(
            int(year),
            int(month),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((frac or "0")[:6].ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None


def parse_bool(text: str) -> bool | None:
    """``true``/``false`` in any case, or None."""
    lowered = text.lower()
    return True if lowered == "true" else False if lowered == "false" else None


def parse_binary(text: str) -> bytes | None:
    """Base-64 decoded bytes, or None."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


@lru_cache(maxsize=2048)
def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """An IP range in CIDR notation (or a bare address), or None."""
    _, slash, bits = text.partition("/")
    if slash and not bits.isdigit():
        return None
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """A request's IP address (an interface such as ``10.0.0.5/24`` gives its address), or None."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        try:
            return ipaddress.ip_interface(text).ip
        except ValueError:
            return None
