"""The request to decide: an action, a resource and the request context.

Context keys are case-insensitive, as in IAM, tag keys inside ``aws:RequestTag/…``,
``aws:ResourceTag/…`` and ``aws:PrincipalTag/…`` included; values are case-sensitive.
Values are kept as text (``True`` becomes ``"true"``, numbers their decimal form); a
list or tuple is a multivalued key (``aws:TagKeys``). Keys the catalog knows as
multivalued are always held as a tuple, even when given a single value.

``aws:CurrentTime`` defaults to now (UTC, to the second) and ``aws:EpochTime`` to the
same instant; give either to evaluate at another time. :func:`with_requested_region`
fills ``aws:RequestedRegion``, which every real request carries, and records that it was
assumed; :func:`check_context` refuses values that a key of its type can never hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from xraybuilder.core.evaluate.match import split_arn
from xraybuilder.core.evaluate.values import parse_date

ContextValue = str | tuple[str, ...]
_SCALARS = (str, bool, int, float, datetime)


def _text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, int | float | str):
        return str(value)
    raise ValueError(
        f"context value for {key} must be a string, number, boolean or date, "
        f"or a list of them (got {type(value).__name__})"
    )


def normalize_value(key: str, value: Any) -> ContextValue:
    """A context value as text, or a tuple of text for a multivalued key."""
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_text(key, v) for v in value)
    if isinstance(value, _SCALARS):
        return _text(key, value)
    raise ValueError(
        f"context value for {key} must be a string, number, boolean or date, "
        f"or a list of them (got {type(value).__name__})"
    )


def _multivalued(key: str) -> bool:
    from xraybuilder.core.catalog import condition_key

    known = condition_key(key)
    return known is not None and known.multivalued


def check_resource(resource: str) -> None:
    """Raise ValueError unless ``resource`` is ``*`` or a six-part ARN."""
    if resource == "*":
        return
    if not resource.startswith("arn:"):
        raise ValueError(
            f"resource must be * or an ARN (arn:partition:service:region:account:resource), got {resource!r}"
        )
    if split_arn(resource) is None:
        raise ValueError(
            f"resource ARN {resource!r} has {resource.count(':') + 1} of the 6 "
            "colon-separated parts (arn:partition:service:region:account:resource)"
        )


def check_action(action: str) -> None:
    """Raise ValueError unless ``action`` looks like ``service:ActionName``."""
    prefix, colon, name = action.partition(":")
    if not colon or not prefix or not name or any(c in action for c in "*? "):
        raise ValueError(f"action must be service:ActionName without wildcards, got {action!r}")


@dataclass(frozen=True)
class Request:
    """An action on a resource, with the request context IAM would see."""

    action: str
    resource: str = "*"
    context: Mapping[str, Any] = field(default_factory=dict)
    assumed: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """Context keys filled in rather than given: (key, where the value came from)."""
    _lookup: dict[str, ContextValue] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.action, str):
            raise ValueError("action must be a string")
        if not isinstance(self.resource, str):
            raise ValueError("resource must be a string")
        check_action(self.action)
        check_resource(self.resource)
        normalized: dict[str, ContextValue] = {}
        lookup: dict[str, ContextValue] = {}
        spelled: dict[str, str] = {}
        for key, value in self.context.items():
            if not isinstance(key, str) or not key:
                raise ValueError(f"context keys must be non-empty strings, got {key!r}")
            lowered = key.lower()
            if lowered in spelled:
                raise ValueError(
                    f"context keys {spelled[lowered]!r} and {key!r} differ only in "
                    "case; IAM reads context keys case-insensitively"
                )
            norm = normalize_value(key, value)
            if isinstance(norm, str) and _multivalued(key):
                norm = (norm,)
            spelled[lowered] = key
            normalized[key] = norm
            lookup[lowered] = norm
        self._add_time(normalized, lookup)
        object.__setattr__(self, "context", normalized)
        object.__setattr__(self, "_lookup", lookup)

    @staticmethod
    def _add_time(normalized: dict[str, ContextValue], lookup: dict[str, ContextValue]) -> None:
        current = lookup.get("aws:currenttime")
        epoch = lookup.get("aws:epochtime")
        if current is None:
            instant = parse_date(epoch) if isinstance(epoch, str) else None
            when = instant or datetime.now(UTC)
            current = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            normalized["aws:CurrentTime"] = lookup["aws:currenttime"] = current
        if epoch is None and isinstance(current, str):
            instant = parse_date(current)
            if instant is not None:
                stamp = str(int(instant.timestamp()))
                normalized["aws:EpochTime"] = lookup["aws:epochtime"] = stamp

    def get(self, key: str) -> ContextValue | None:
        """The context value for ``key`` (case-insensitive), or None."""
        return self._lookup.get(key.lower())

    def variable(self, lowered_key: str) -> str | None:
        """The value a policy variable takes: single-valued keys only."""
        value = self._lookup.get(lowered_key)
        return value if isinstance(value, str) else None

    @classmethod
    def build(
        cls,
        action: str,
        resource: str = "*",
        *,
        request_tags: Mapping[str, str] | None = None,
        resource_tags: Mapping[str, str] | None = None,
        principal_tags: Mapping[str, str] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> Request:
        """A Request with tag context keys filled in (``aws:RequestTag/…``, ``aws:TagKeys``…)."""
        merged: dict[str, Any] = {}
        for prefix, tags in (
            ("aws:RequestTag/", request_tags),
            ("aws:ResourceTag/", resource_tags),
            ("aws:PrincipalTag/", principal_tags),
        ):
            for tag_key, tag_value in (tags or {}).items():
                if not isinstance(tag_key, str) or not tag_key:
                    raise ValueError(f"tag keys must be non-empty strings, got {tag_key!r}")
                if not isinstance(tag_value, str):
                    raise ValueError(f"tag {tag_key!r} must have a string value, got {tag_value!r}")
                merged[prefix + tag_key] = tag_value
        given = dict(context or {})
        if request_tags and not any(k.lower() == "aws:tagkeys" for k in given):
            merged["aws:TagKeys"] = tuple(request_tags)
        # A key given in ``context`` wins over one built from tags, whatever its case.
        overridden = {str(k).lower() for k in given}
        merged = {k: v for k, v in merged.items() if k.lower() not in overridden}
        merged.update(given)
        return cls(action, resource, merged)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "action": self.action,
            "resource": self.resource,
            "context": {k: list(v) if isinstance(v, tuple) else v for k, v in self.context.items()},
        }
        if self.assumed:
            out["assumed"] = {key: source for key, source in self.assumed}
        return out


REQUESTED_REGION = "aws:RequestedRegion"
FROM_RESOURCE = "the Region of the resource ARN"
FROM_GIVEN = "the Region given"


def arn_region(resource: str) -> str | None:
    """The Region part of a resource ARN, or None (``*``, global ARNs, wildcards)."""
    parts = split_arn(resource) if resource != "*" else None
    if parts is None:
        return None
    region = parts[3]
    return region if region and not any(c in region for c in "*?$") else None


def with_requested_region(request: Request, region: str | None = None) -> Request:
    """``request`` with ``aws:RequestedRegion`` filled in, unless its context gives it.

    AWS sets the key to the Region the call is sent to: ``region`` when given, else the
    Region of the resource ARN. The key is recorded in ``assumed`` with its source, so
    the output can say what was assumed.
    """
    if request.get(REQUESTED_REGION) is not None:
        return request
    value, source = (region, FROM_GIVEN) if region else (arn_region(request.resource), FROM_RESOURCE)
    if not value:
        return request
    context = dict(request.context)
    context[REQUESTED_REGION] = value
    return replace(request, context=context, assumed=request.assumed + ((REQUESTED_REGION, source),))


def check_context(request: Request) -> None:
    """Raise ValueError for a context value its key's type can never hold.

    ``aws:SourceIp=notanip`` or ``aws:CurrentTime=yesterday`` would make every condition
    on the key fail to match, so a Deny would silently stop applying: refuse them, reading
    values with the same grammar as the linter and the evaluator.
    """
    from xraybuilder.core.catalog import condition_key
    from xraybuilder.core.evaluate.values import describe_family, request_parser

    for key, value in request.context.items():
        known = condition_key(key)
        family = _FAMILIES.get(known.base_type) if known is not None else None
        if family is None:
            continue
        parse = request_parser(family)
        for item in value if isinstance(value, tuple) else (value,):
            if parse(item) is None:
                raise ValueError(
                    f"context value {item!r} for {key} is not {describe_family(family)}; "
                    f"{key} holds {_EXAMPLES[family]}"
                )


# Catalog key types whose values have a grammar (condition_values), by evaluator family.
_FAMILIES = {
    "IPAddress": "IpAddress",
    "Date": "Date",
    "Bool": "Bool",
    "Numeric": "Numeric",
    "Binary": "Binary",
}
_EXAMPLES = {
    "IpAddress": "an IPv4 or IPv6 address, e.g. 203.0.113.7",
    "Date": "an ISO 8601 date and time, e.g. 2027-01-01T00:00:00Z, or epoch seconds",
    "Bool": "true or false",
    "Numeric": "a number, e.g. 3600",
    "Binary": "base-64 text",
}
