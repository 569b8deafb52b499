"""The catalog's ARN formats as glob patterns, and the resource types an ARN can denote.

An ARN pattern and a catalog format are compared as glob token strings: they match
when some ARN fits both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from xraybuilder.core import catalog
from xraybuilder.core.arn.model import Arn, has_variable, has_wildcard, parse_arn, split_spans
from xraybuilder.core.catalog import ResourceType

PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
# Tokens of the glob language used to compare an ARN pattern with a catalog template:
# any run / any one character, and the same without "/" (a name the catalog delimits with
# "/" somewhere, like a bucket name, never holds one). A policy document holds only tab,
# line breaks and U+0020-U+00FF, so these never clash with real characters.
_STAR = "\x00"
_ANY = "\x01"
_STAR_NO_SLASH = "\x02"
_ANY_NO_SLASH = "\x03"
_STARS = (_STAR, _STAR_NO_SLASH)
_WILD = frozenset((_STAR, _ANY, _STAR_NO_SLASH, _ANY_NO_SLASH))


# -- catalog templates -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    rtype: ResourceType
    service: str
    region: str  # glob tokens
    account: str
    resource: str
    resource_text: str  # as the catalog writes it, e.g. group/${GroupName}/${Id}


def _template_tokens(text: str, slash_free: frozenset[str]) -> str:
    # Every placeholder stands for at least one character.
    return PLACEHOLDER.sub(
        lambda m: _ANY_NO_SLASH + _STAR_NO_SLASH if m.group(1) in slash_free else _ANY + _STAR, text
    )


def _slash_free_placeholders(templates: Iterable[str]) -> frozenset[str]:
    """Placeholders some template follows with "/": ``${BucketName}/${ObjectName}``."""
    return frozenset(m.group(1) for t in templates for m in re.finditer(r"\$\{([^}]+)\}/", t))


@lru_cache(maxsize=512)
def templates_for(arn_service: str) -> tuple[Template, ...]:
    """Templates whose ARN names this service (sts's ``role`` is an iam ARN), of any owner."""
    return tuple(
        t
        for owner in catalog.services_with_arns_of(arn_service)
        for t in _service_templates(owner)
        if t.service == arn_service
    )


@cache
def _service_templates(prefix: str) -> tuple[Template, ...]:
    """The templates of one service's resource types (read only when an ARN needs them)."""
    svc = catalog.service(prefix)
    if svc is None:
        return ()
    rtypes = list(svc.resource_types.values())
    # Within one service: a name another of its formats follows with "/" never holds one.
    slash_free = _slash_free_placeholders(r.arn_template for r in rtypes)
    out = []
    for rtype in rtypes:
        fields = rtype.arn_template.split(":", 5)
        if len(fields) != 6:
            continue
        region, account, resource = (_template_tokens(f, slash_free) for f in fields[3:])
        out.append(Template(rtype, fields[2], region, account, resource, fields[5]))
    return tuple(out)


def _templates_of(owners: tuple[str, ...]) -> tuple[Template, ...]:
    return tuple(t for prefix in owners for t in _service_templates(prefix))


def _templates() -> tuple[Template, ...]:
    """Every service's templates: for ``*`` and ARNs with a wildcard in the service part."""
    return tuple(t for prefix in catalog.service_prefixes() for t in _service_templates(prefix))


@lru_cache(maxsize=8192)
def _pattern_tokens(value: str) -> str:
    """An ARN part as glob tokens: wildcards live, variables stand for anything, escapes literal."""
    if "*" not in value and "?" not in value and "$" not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        if value.startswith("${", i):
            close = value.find("}", i + 2)
            if close >= 0:
                inner = value[i + 2 : close]
                out.append(inner if inner in ("*", "?", "$") else _STAR)
                i = close + 1
                continue
        c = value[i]
        out.append(_STAR if c == "*" else _ANY if c == "?" else c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=8192)
def _intersects(a: str, b: str) -> bool:
    """Is there a string both glob token strings match?"""
    n, m = len(a), len(b)
    seen: set[tuple[int, int]] = set()
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == n and j == m:
            return True
        ai = a[i] if i < n else ""
        bj = b[j] if j < m else ""
        if ai in _STARS:
            todo.append((i + 1, j))
        if bj in _STARS:
            todo.append((i, j + 1))
        if ai and bj and _one_char_fits_both(ai, bj):
            step = (i if ai in _STARS else i + 1, j if bj in _STARS else j + 1)
            if step != (i, j):
                todo.append(step)
    return False


def _one_char_fits_both(x: str, y: str) -> bool:
    """Is there a character both tokens can stand for?"""
    wild_x, wild_y = x in _WILD, y in _WILD
    if wild_x and wild_y:
        return True
    if not wild_x and not wild_y:
        return x == y
    literal, wild = (y, x) if wild_x else (x, y)
    return literal != "/" or wild in (_STAR, _ANY)


def part_fits(pattern: str, template_tokens: str) -> bool:
    return _intersects(_pattern_tokens(pattern), template_tokens)


def padded_arn(arn: Arn | None, text: str) -> Arn | None:
    """``arn:aws:xray:*`` stands for ``arn:aws:xray:*:*:*`` (a trailing ``*`` spans colons)."""
    if arn is not None:
        return arn
    spans = split_spans(text)
    if 2 <= len(spans) < 6 and text.endswith("*") and text[: spans[0][1]] == "arn":
        return parse_arn(text + ":*" * (6 - len(spans)))
    return None


def _fits(t: Template, arn: Arn, service: str) -> bool:
    return (
        part_fits(service, t.service)
        and part_fits(arn.region, t.region)
        and (part_fits(arn.account, t.account) or aws_owned(arn.account, service))
        and part_fits(arn.resource, t.resource)
    )


def aws_owned(account: str, service: str) -> bool:
    """An empty account where the format has one: a resource AWS owns, taken as valid.

    Public SSM parameters (arn:aws:ssm:REGION::parameter/aws/service/…) have no account,
    while the Service Authorization Reference writes only the customer's form. Of the
    services X-Ray policies use, none has such resources, so there it stays a mistake.
    """
    return account == "" and service not in catalog.related_service_prefixes()


@lru_cache(maxsize=4096)
def resource_types_for(arn: str, owners: tuple[str, ...] | None = None) -> tuple[ResourceType, ...]:
    """Catalog resource types a possibly wildcarded ARN can denote.

    ``*`` denotes every type. A resource type of one service may have another service's
    ARN format (sts's ``role`` is an IAM ARN); both are returned then. For ``*`` and an
    ARN with a wildcard for its service, ``owners`` limits the answer to the types of
    those services: such an ARN could denote any of thousands, and a caller asking about
    a statement's actions needs only theirs.
    """
    if arn and all(c == "*" for c in arn):
        pool = _templates() if owners is None else _templates_of(owners)
        return tuple(t.rtype for t in pool)
    parsed = padded_arn(parse_arn(arn), arn)
    if parsed is None or parsed.part("prefix") != "arn":
        return ()
    service = parsed.service.lower()
    if has_wildcard(service) or has_variable(service):
        pool = _templates() if owners is None else _templates_of(owners)
    else:
        pool = templates_for(service)
    return tuple(t.rtype for t in pool if _fits(t, parsed, service))


def can_denote(arn: str, rtype: ResourceType) -> bool:
    """Can the (possibly wildcarded) ARN stand for a resource of this catalog type?"""
    return rtype in resource_types_for(arn)
