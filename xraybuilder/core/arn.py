"""ARNs: split one into its six parts, check each part, build X-Ray ARNs, match resource types.

``arn:partition:service:region:account:resource``. Any part may hold the ``*`` and
``?`` wildcards and ``${…}`` policy variables (a variable may hold colons, so parts are
split outside them). Every problem names the part it is about and its character offsets
in the ARN, so an editor can underline exactly the wrong part.

Partitions, regions, X-Ray endpoints and ARN formats all come from the catalog.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from functools import cache, lru_cache
from typing import Literal

from xraybuilder.core import catalog
from xraybuilder.core.catalog import Partition, ResourceType

Level = Literal["error", "warning"]
PartName = Literal["prefix", "partition", "service", "region", "account", "resource"]
PARTS: tuple[PartName, ...] = ("prefix", "partition", "service", "region", "account", "resource")

# X-Ray API model (botocore xray 2016-04-12): GroupName and RuleName are 1-32 characters.
# The console adds "letters, digits and dashes"; the API's own character rule is not
# documented, so that one is only ever a warning.
XRAY_NAME_MAX = 32
_CONSOLE_NAME_CHARS = re.compile(r"[A-Za-z0-9-]")

_REGION_SHAPE = re.compile(r"[a-z]{2,}(?:-[a-z]+)+-\d+")
# Anything else made of lower-case words joined by dashes is a region name, just not a known one.
_REGION_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SERVICE_CHARS = re.compile(r"[a-z0-9-]+")
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
_ACCOUNT_DIGITS = 12
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


@dataclass(frozen=True, slots=True)
class ArnProblem:
    """One problem in one part of an ARN (or of a field typed on its own).

    ``start``/``end`` are character offsets in the checked text; ``fix`` is the whole
    corrected text when the repair is certain, else None.
    """

    code: str
    level: Level
    part: str
    message: str
    start: int
    end: int
    fix: str | None = None

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.level == "error"


@dataclass(frozen=True, slots=True)
class Arn:
    """A string split into the six ARN parts, with each part's (start, end) offsets."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def part(self, name: PartName) -> str:
        """The text of one part (``"region"`` -> ``us-east-1``)."""
        start, end = self.spans[PARTS.index(name)]
        return self.text[start:end]

    def span(self, name: PartName) -> tuple[int, int]:
        """Where one part lies in the text, as (start, end) offsets."""
        return self.spans[PARTS.index(name)]

    @property
    def partition(self) -> str:
        return self.part("partition")

    @property
    def service(self) -> str:
        return self.part("service")

    @property
    def region(self) -> str:
        return self.part("region")

    @property
    def account(self) -> str:
        return self.part("account")

    @property
    def resource(self) -> str:
        return self.part("resource")

    def with_part(self, name: PartName, value: str) -> str:
        """The ARN text with one part replaced."""
        start, end = self.span(name)
        return self.text[:start] + value + self.text[end:]


@dataclass(frozen=True, slots=True)
class ArnCheck:
    """What :func:`check_arn` found: the split ARN (None when it has too few parts) and problems."""

    text: str
    arn: Arn | None
    problems: tuple[ArnProblem, ...]

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> tuple[ArnProblem, ...]:
        """The problems that are errors."""
        return tuple(p for p in self.problems if p.is_error)


@dataclass(frozen=True, slots=True)
class _Issue:
    """A problem found in one part, before it is placed in the whole ARN."""

    code: str
    level: Level
    message: str
    fix: str | None = None  # the corrected part
    span: tuple[int, int] | None = None  # within the part; None = the whole part


# -- splitting ---------------------------------------------------------------------------


def _split_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of up to six colon-separated parts; colons inside ``${…}`` do not split."""
    spans: list[tuple[int, int]] = []
    if "${" not in text:
        start = 0
        for piece in text.split(":", 5):
            spans.append((start, start + len(piece)))
            start += len(piece) + 1
        return spans
    start = i = 0
    n = len(text)
    while i < n and len(spans) < 5:
        if text.startswith("${", i):
            close = text.find("}", i + 2)
            if close >= 0:
                i = close + 1
                continue
        if text[i] == ":":
            spans.append((start, i))
            start = i + 1
        i += 1
    spans.append((start, n))
    return spans


@lru_cache(maxsize=4096)
def parse_arn(text: str) -> Arn | None:
    """Split ``text`` into the six ARN parts, or None when it has fewer than six."""
    spans = _split_spans(text)
    return Arn(text, tuple(spans)) if len(spans) == 6 else None


def _has_variable(value: str) -> bool:
    return "${" in value


def _has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def _closest(value: str, candidates: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The most similar candidate (earlier ones win ties), or None."""
    best: tuple[float, str] | None = None
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(value)  # the matcher caches what it learns about the second sequence
    for cand in candidates:
        matcher.set_seq1(cand)
        # The quick ratios are upper bounds: skip the full comparison when they fall short.
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        score = matcher.ratio()
        if score >= cutoff and (best is None or score > best[0]):
            best = (score, cand)
    return best[1] if best else None


def _did_you_mean(suggestion: str | None) -> str:
    return f" Did you mean {suggestion}?" if suggestion else ""


# -- part checks -------------------------------------------------------------------------


def _partition_issues(value: str) -> list[_Issue]:
    ids = tuple(sorted(catalog.partitions()))
    listing = ", ".join(ids)
    if value == "":
        return [_Issue("INVALID_PARTITION", "error",
                       f"The partition is empty. Use aws for the commercial regions, or one of: {listing}.")]
    if _has_variable(value) or value in ids:
        return []
    if _has_wildcard(value):
        if any(fnmatchcase(p, value) for p in ids):
            return []
        return [_Issue("INVALID_PARTITION", "error",
                       f"The partition pattern '{value}' matches no partition. Partitions are: {listing}.")]
    fixed = value.strip().lower()
    if fixed in ids:
        return [_Issue("INVALID_PARTITION", "error",
                       f"Partitions are written in lower case without spaces: use '{fixed}'.", fixed)]
    return [_Issue("INVALID_PARTITION", "error",
                   f"'{value}' is not an AWS partition.{_did_you_mean(_closest(value.lower(), ids, 0.6))} "
                   f"Partitions are: {listing}.")]


def _service_issues(value: str) -> list[_Issue]:
    if value == "":
        return [_Issue("MISSING_ARN_FIELD", "error",
                       "The service part is empty: name the service the resource belongs to, e.g. xray.")]
    if _has_variable(value):
        return []
    if value != value.strip():
        return [_Issue("INVALID_SERVICE", "error", "The service part has spaces around it: remove them.",
                       value.strip())]
    if _has_wildcard(value):
        return [_Issue("WILDCARD_IN_ARN_SERVICE", "warning",
                       "The IAM User Guide says wildcards cannot be used in the service part of an "
                       "ARN: name the service (e.g. xray) and put wildcards in the other parts.")]
    lowered = value.lower()
    if lowered != value and _SERVICE_CHARS.fullmatch(lowered):
        return [_Issue("INVALID_ARN_SERVICE_CASE", "error",
                       f"The service in an ARN is lower case: use '{lowered}'.", lowered)]
    if not _SERVICE_CHARS.fullmatch(value):
        return [_Issue("INVALID_SERVICE", "error",
                       f"'{value}' is not a service name: service names hold only lower-case letters, "
                       "digits and dashes (e.g. xray).")]
    known = catalog.all_service_prefixes()
    if value not in known:
        near = _closest(value, catalog.service_prefixes(), 0.7) or _closest(value, sorted(known), 0.8)
        return [_Issue("INVALID_SERVICE", "warning",
                       f"No AWS service is named '{value}'.{_did_you_mean(near)} Check the service part.")]
    return []


def _candidate_partitions(partition: str) -> list[Partition]:
    """Partitions an ARN's partition part can stand for (all of them when it is unusable)."""
    parts = catalog.partitions()
    if partition in parts:
        return [parts[partition]]
    matched = [p for pid, p in parts.items() if _has_wildcard(partition) and fnmatchcase(pid, partition)]
    return matched or list(parts.values())


def _partitions_label(partitions: list[Partition]) -> str:
    if len(partitions) == 1:
        return f"the {partitions[0].id} partition"
    if len(partitions) == len(catalog.partitions()):
        return "any partition"
    return "the " + ", ".join(p.id for p in partitions) + " partitions"


def _region_issues(value: str, partitions: list[Partition], service: str) -> list[_Issue]:
    if value == "" or _has_variable(value):
        return []
    names = _partitions_label(partitions)
    known = [r for p in partitions for r in p.regions]
    if value != value.strip() or " " in value:
        squeezed = "".join(value.split())
        fix = squeezed if _REGION_SHAPE.fullmatch(squeezed) or _has_wildcard(squeezed) else None
        return [_Issue("INVALID_ARN_REGION", "error", "The region has spaces in it: remove them.", fix)]
    if _has_wildcard(value):
        if not re.fullmatch(r"[a-z0-9*?-]+", value):
            return [_Issue("INVALID_ARN_REGION", "error",
                           f"The region pattern '{value}' holds characters no region has: regions use "
                           "lower-case letters, digits and dashes (e.g. us-east-1 or us-*).")]
        if any(fnmatchcase(r, value) for r in known) or all(c in "*?" for c in value):
            return []
        return [_Issue("INVALID_REGION", "warning",
                       f"The region pattern '{value}' matches none of the regions of {names} that "
                       "xraybuilder knows: check it.")]
    if not _REGION_WORDS.fullmatch(value):
        lowered = value.lower()
        if lowered != value and _REGION_SHAPE.fullmatch(lowered):
            return [_Issue("INVALID_ARN_REGION", "error",
                           f"Region codes are lower case: use '{lowered}'.", lowered)]
        near = _closest(lowered, known)
        return [_Issue("INVALID_ARN_REGION", "error",
                       f"'{value}' is not a region code: codes are lower-case words and a number "
                       f"joined by dashes, like us-east-1.{_did_you_mean(near)}")]
    owners = [p for p in partitions if p.region_matches(value) or value in p.regions]
    if not owners:
        other = catalog.partition_for_region(value)
        if other is not None and other not in partitions:
            return [_Issue("INVALID_REGION", "error",
                           f"{value} is a region of the {other.id} partition, not of {names}: use "
                           f"arn:{other.id}:… or a region of {names}.")]
        shape = "" if _REGION_SHAPE.fullmatch(value) else " Region codes end with a number, like us-east-1."
        return [_Issue("INVALID_REGION", "error",
                       f"{value} is not a region of {names}.{shape}{_did_you_mean(_closest(value, known))}")]
    owned = [r for p in owners for r in p.regions]
    if value not in owned:
        stem = value.rsplit("-", 1)[0]
        near = _closest(value, owned)
        if any(r.rsplit("-", 1)[0] == stem for r in owned) or near is None:
            # Looks like a region AWS may have opened after the catalog was generated.
            return [_Issue("INVALID_REGION", "warning",
                           f"{value} is not a region of {names} that xraybuilder knows (its list may "
                           f"predate a new region): check the spelling.{_did_you_mean(near)}")]
        return [_Issue("INVALID_REGION", "error",
                       f"{value} is not a region of {names}.{_did_you_mean(near)}")]
    if service == "xray" and not any(value in p.xray_regions for p in owners):
        return [_Issue("SERVICE_UNAVAILABLE_IN_REGION", "warning",
                       f"AWS X-Ray has no endpoint in {value} (per the endpoint data xraybuilder ships), so "
                       "no X-Ray resource can exist there: check the region.")]
    return []


def _account_issues(value: str, service: str) -> list[_Issue]:
    if value == "" or _has_variable(value):
        return []
    if _has_wildcard(value):
        fixed_len = sum(1 for c in value if c != "*")
        if not re.fullmatch(r"[0-9*?]+", value):
            return [_Issue("INVALID_ARN_ACCOUNT", "error",
                           f"The account pattern '{value}' holds characters other than digits, * and ?: "
                           "an account ID is 12 digits.")]
        if fixed_len > _ACCOUNT_DIGITS or ("*" not in value and fixed_len != _ACCOUNT_DIGITS):
            return [_Issue("INVALID_ARN_ACCOUNT", "error",
                           f"The account pattern '{value}' can never match a 12-digit account ID.")]
        return []
    if value == "aws":
        # AWS managed policies live in the pseudo-account "aws"; other held services never use it.
        if service == "iam" or service not in catalog.service_prefixes():
            return []
        return [_Issue("INVALID_ARN_ACCOUNT", "error",
                       f"'aws' is only the account of AWS managed IAM policies: a {service} ARN needs a "
                       "12-digit account ID (or * for any account).")]
    digits = re.sub(r"[\s-]", "", value)
    if digits != value and digits.isdigit() and len(digits) == _ACCOUNT_DIGITS:
        return [_Issue("INVALID_ARN_ACCOUNT", "error",
                       f"Write the account ID as 12 digits without dashes or spaces: {digits}.", digits)]
    if value.isdigit():
        if len(value) == _ACCOUNT_DIGITS:
            return []
        return [_Issue("INVALID_ARN_ACCOUNT", "error",
                       f"The account ID has {len(value)} digits; AWS account IDs have exactly 12 "
                       "(keep any leading zeros).")]
    return [_Issue("INVALID_ARN_ACCOUNT", "error",
                   f"'{value}' is not an account ID: use the 12-digit account ID, or * for any account.")]


def _name_issues(value: str, label: str) -> list[_Issue]:
    """Length and character rules for an X-Ray group or sampling-rule name (pattern allowed)."""
    if _has_variable(value):
        # A variable's value is only known per request; check the literal rest.
        value = _VARIABLE.sub("*", value)
        if "${" in value:
            return []  # a broken variable: the grammar family reports its syntax
    if value == "":
        return [_Issue("INVALID_ARN_RESOURCE", "error",
                       f"The {label} is empty: X-Ray names are 1-{XRAY_NAME_MAX} characters.")]
    fixed = sum(1 for c in value if c != "*")
    if fixed > XRAY_NAME_MAX:
        return [_Issue("INVALID_ARN_RESOURCE", "error",
                       f"The {label} is {fixed} characters long; X-Ray names have at most {XRAY_NAME_MAX}, "
                       "so this ARN matches nothing.")]
    odd = sorted({c for c in value if c not in "*?" and not _CONSOLE_NAME_CHARS.fullmatch(c)})
    if odd:
        shown = " ".join(repr(c) for c in odd)
        return [_Issue("UNUSUAL_RESOURCE_NAME", "warning",
                       f"The {label} holds {shown}: the X-Ray console allows only letters, digits and "
                       "dashes in names (the API's rule is not documented). Check that a resource with "
                       "this name can exist.")]
    return []


# -- catalog templates -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Template:
    rtype: ResourceType
    service: str
    region: str  # glob tokens
    account: str
    resource: str
    resource_text: str  # as the catalog writes it, e.g. group/${GroupName}/${Id}


def _template_tokens(text: str, slash_free: frozenset[str]) -> str:
    # Every placeholder stands for at least one character.
    return _PLACEHOLDER.sub(
        lambda m: _ANY_NO_SLASH + _STAR_NO_SLASH if m.group(1) in slash_free else _ANY + _STAR, text)


def _slash_free_placeholders(templates: Iterable[str]) -> frozenset[str]:
    """Placeholders some template follows with "/": ``${BucketName}/${ObjectName}``."""
    return frozenset(m.group(1) for t in templates for m in re.finditer(r"\$\{([^}]+)\}/", t))


@cache
def _templates_by_service() -> dict[str, tuple[_Template, ...]]:
    """Templates keyed by the service their ARN names (sts's ``role`` is under iam)."""
    out: dict[str, list[_Template]] = {}
    for t in _templates():
        out.setdefault(t.service, []).append(t)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _templates() -> tuple[_Template, ...]:
    rtypes: list[ResourceType] = []
    for prefix in catalog.service_prefixes():
        svc = catalog.service(prefix)
        if svc is not None:
            rtypes.extend(svc.resource_types.values())
    slash_free = _slash_free_placeholders(r.arn_template for r in rtypes)
    out = []
    for rtype in rtypes:
        fields = rtype.arn_template.split(":", 5)
        if len(fields) != 6:
            continue
        region, account, resource = (_template_tokens(f, slash_free) for f in fields[3:])
        out.append(_Template(rtype, fields[2], region, account, resource, fields[5]))
    return tuple(out)


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
                inner = value[i + 2:close]
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


def _part_fits(pattern: str, template_tokens: str) -> bool:
    return _intersects(_pattern_tokens(pattern), template_tokens)


def _padded(arn: Arn | None, text: str) -> Arn | None:
    """``arn:aws:xray:*`` stands for ``arn:aws:xray:*:*:*`` (a trailing ``*`` spans colons)."""
    if arn is not None:
        return arn
    spans = _split_spans(text)
    if 2 <= len(spans) < 6 and text.endswith("*") and text[:spans[0][1]] == "arn":
        return parse_arn(text + ":*" * (6 - len(spans)))
    return None


def _fits(t: _Template, arn: Arn, service: str) -> bool:
    return (_part_fits(service, t.service) and _part_fits(arn.region, t.region)
            and _part_fits(arn.account, t.account) and _part_fits(arn.resource, t.resource))


@lru_cache(maxsize=4096)
def resource_types_for(arn: str) -> tuple[ResourceType, ...]:
    """Catalog resource types (of the services held in full) a possibly wildcarded ARN can denote.

    ``*`` denotes every type. A resource type of one service may have another service's
    ARN format (sts's ``role`` is an IAM ARN); both are returned then.
    """
    if arn and all(c == "*" for c in arn):
        return tuple(t.rtype for t in _templates())
    parsed = _padded(parse_arn(arn), arn)
    if parsed is None or parsed.part("prefix") != "arn":
        return ()
    service = parsed.service.lower()
    if _has_wildcard(service) or _has_variable(service):
        pool = _templates()
    else:
        pool = _templates_by_service().get(service, ())
    return tuple(t.rtype for t in pool if _fits(t, parsed, service))


def can_denote(arn: str, rtype: ResourceType) -> bool:
    """Can the (possibly wildcarded) ARN stand for a resource of this catalog type?"""
    return rtype in resource_types_for(arn)


def resource_type_label(rtype: ResourceType) -> str:
    """``AWS X-Ray group`` — the service's name and the type's name, for messages."""
    svc = catalog.service(rtype.service)
    return f"{svc.name if svc else rtype.service} {rtype.name}"


# -- the resource part -------------------------------------------------------------------


@lru_cache(maxsize=64)
def _fields_regex(resource_text: str) -> re.Pattern[str]:
    """Regex with one named group per placeholder; a placeholder stops at the next ``/``."""
    out = []
    pieces = re.split(r"(\$\{[^}]+\})", resource_text)
    for idx, piece in enumerate(pieces):
        m = _PLACEHOLDER.fullmatch(piece)
        if m:
            last = all(p == "" for p in pieces[idx + 1:])
            out.append(f"(?P<{m.group(1)}>{'.*' if last else '[^/]*'})")
        else:
            out.append(re.escape(piece))
    return re.compile("".join(out), re.DOTALL)


def _xray_name_issues(resource: str, templates: list[_Template]) -> list[_Issue]:
    for t in templates:
        if t.rtype.service != "xray":
            continue
        m = _fields_regex(t.resource_text).fullmatch(resource)
        if m is None:
            continue
        out = []
        for key, value in m.groupdict().items():
            if key.endswith("Name"):
                label = "group name" if t.rtype.name == "group" else f"{t.rtype.name} name"
                for issue in _name_issues(value, label):
                    out.append(replace(issue, span=(m.start(key), m.end(key))))
        return out
    return []


def _resource_issues(arn: Arn, service: str) -> list[tuple[PartName, _Issue]]:
    """Checks of the resource part (and of region/account against it) for a held service."""
    resource = arn.resource
    if resource == "":
        return [("resource", _Issue("INVALID_ARN_RESOURCE", "error",
                                    "The resource part is empty: say which resource, or use * for all."))]
    if resource != resource.strip():
        return [("resource", _Issue("INVALID_ARN_RESOURCE", "error",
                                    "The resource part has spaces around it: remove them.",
                                    resource.strip()))]
    if service not in catalog.service_prefixes():
        return []
    own = list(_templates_by_service().get(service, ()))
    by_resource = [t for t in own if _part_fits(resource, t.resource)]
    if not by_resource:
        return [("resource", _missing_resource_issue(resource, service, own))]
    out: list[tuple[PartName, _Issue]] = []
    by_region = [t for t in by_resource if _part_fits(arn.region, t.region)]
    if not by_region:
        out.append(("region", _region_template_issue(arn.region, service, by_resource)))
    by_account = [t for t in by_region or by_resource if _part_fits(arn.account, t.account)]
    if not by_account:
        out.append(("account", _account_template_issue(arn.account, service, by_region or by_resource)))
    out.extend(("resource", issue) for issue in _xray_name_issues(resource, by_account or by_resource))
    return out


def _formats(templates: list[_Template], limit: int = 6) -> str:
    shown = [t.resource_text for t in templates[:limit]]
    more = len(templates) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _service_label(service: str) -> str:
    svc = catalog.service(service)
    return svc.name if svc else service


def _types_label(templates: list[_Template]) -> str:
    names = sorted({t.rtype.name for t in templates})
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _missing_resource_issue(resource: str, service: str, own: list[_Template]) -> _Issue:
    name = _service_label(service)
    for suffix in ("*", "/*") if resource.endswith("/") else ("/*", "*"):
        hits = [t for t in own if _part_fits(resource + suffix, t.resource)]
        if hits:
            t = hits[0]
            last = _PLACEHOLDER.findall(t.resource_text)[-1]
            why = ""
            if service == "xray" and last == "Id":
                why = (f" X-Ray generates a {t.rtype.name}'s Id when it is created, so it cannot be "
                       "known in advance.")
            return _Issue("INVALID_ARN_RESOURCE", "error",
                          f"{name} {t.rtype.name} ARNs end with {t.resource_text}; this one stops before "
                          f"${{{last}}}, so it matches no {t.rtype.name}.{why} End it with '{suffix}' to "
                          f"cover every {last}.",
                          resource + suffix)
    head = re.split(r"[/:]", resource, maxsplit=1)[0]
    kinds = sorted({re.split(r"[/:]", t.resource_text, maxsplit=1)[0] for t in own} - {""})
    near = _closest(head, kinds, 0.6) if head and not _has_wildcard(head) else None
    return _Issue("INVALID_ARN_RESOURCE", "error",
                  f"The resource part '{resource}' matches none of the {name} ARN formats "
                  f"({_formats(own)}).{_did_you_mean(near + '/…' if near else None)}")


def _region_template_issue(region: str, service: str, templates: list[_Template]) -> _Issue:
    label = f"{_service_label(service)} {_types_label(templates)}"
    if region == "" or is_star(region):
        return _Issue("MISSING_ARN_REGION", "error",
                      f"{label} ARNs include a region: add one (e.g. us-east-1), or * for every region.")
    if all(t.region == "" for t in templates):
        return _Issue("ARN_REGION_NOT_ALLOWED", "error",
                      f"{label} ARNs have no region: leave the region part empty "
                      f"(arn:partition:{service}::…).", "")
    allowed = ", ".join(sorted({t.region for t in templates}))
    return _Issue("INVALID_ARN_REGION", "error", f"{label} ARNs are only in the region {allowed}.")


def _account_template_issue(account: str, service: str, templates: list[_Template]) -> _Issue:
    label = f"{_service_label(service)} {_types_label(templates)}"
    if account == "" or is_star(account):
        return _Issue("INVALID_ARN_ACCOUNT", "error",
                      f"{label} ARNs include the owner's 12-digit account ID: add it, or * for any account.")
    if all(t.account == "" for t in templates):
        return _Issue("ARN_ACCOUNT_NOT_ALLOWED", "error",
                      f"{label} ARNs have no account ID: leave the account part empty "
                      f"(arn:partition:{service}:region::…).", "")
    allowed = ", ".join(sorted({t.account for t in templates}))
    return _Issue("INVALID_ARN_ACCOUNT", "error", f"{label} ARNs are only in the account {allowed}.")


# -- the whole ARN -----------------------------------------------------------------------


def _widen(span: tuple[int, int], text: str) -> tuple[int, int]:
    """An empty part has no characters: point at the colons around it instead."""
    start, end = span
    if start < end:
        return span
    return max(0, start - 1), min(len(text), end + 1)


def _place(arn: Arn, part: PartName, issue: _Issue) -> ArnProblem:
    pstart, pend = arn.span(part)
    start, end = (pstart + issue.span[0], pstart + issue.span[1]) if issue.span else (pstart, pend)
    start, end = _widen((start, end), arn.text)
    fix = None if issue.fix is None else arn.with_part(part, issue.fix)
    return ArnProblem(issue.code, issue.level, part, issue.message, start, end, fix)


_SIX_PARTS = "arn:partition:service:region:account:resource"


def _too_few_parts(text: str, spans: list[tuple[int, int]]) -> ArnProblem:
    count = len(spans)
    if text.endswith("*") and count >= 2:
        padded = text + ":*" * (6 - count)
        return ArnProblem("MISSING_ARN_FIELD", "warning", "resource",
                          f"This ARN has {count} of the six parts ({_SIX_PARTS}). IAM lets a final * "
                          f"stand for the missing parts, but writing all six is clearer: {padded}",
                          0, len(text), padded)
    fields = [text[s:e] for s, e in spans]
    hint = " Keep every colon, even around an empty part (e.g. arn:aws:s3:::my-bucket)."
    if count == 5 and _REGION_SHAPE.fullmatch(fields[3]) and not fields[4].isdigit():
        hint = (" The account ID seems to be missing between the region and the resource: add it, "
                "or * for any account.")
    elif count == 5 and fields[3].isdigit():
        hint = " The region seems to be missing before the account ID: add it, or * for every region."
    return ArnProblem("MISSING_ARN_FIELD", "error", "resource",
                      f"This ARN has {count} of the six parts {_SIX_PARTS}.{hint}", 0, len(text))


@lru_cache(maxsize=4096)
def check_arn(text: str) -> ArnCheck:
    """Split ``text`` as an ARN and report every problem in every part (never raises)."""
    if text == "":
        return ArnCheck(text, None, (ArnProblem(
            "INVALID_ARN_PREFIX", "error", "prefix",
            'The resource is empty: use "*" or an ARN (arn:partition:service:region:account:resource).',
            0, 0),))
    spans = _split_spans(text)
    prefix = text[:spans[0][1]]
    if len(spans) < 6:
        if prefix != "arn":
            return ArnCheck(text, None, (_prefix_problem(text, prefix, spans),))
        few = _too_few_parts(text, spans)
        padded = _padded(None, text)
        if few.is_error or padded is None:
            return ArnCheck(text, None, (few,))
        # The padding adds only "*" parts, which hold no problems of their own.
        return ArnCheck(text, None, (few, *(p for p in _part_problems(padded) if p.start < len(text))))
    arn = Arn(text, tuple(spans))
    problems = [_prefix_problem(text, prefix, spans)] if prefix != "arn" else []
    problems.extend(_part_problems(arn))
    return ArnCheck(text, arn, tuple(problems))


def _prefix_problem(text: str, prefix: str, spans: list[tuple[int, int]]) -> ArnProblem:
    end = spans[0][1]
    base = 'A resource is either "*" or an ARN, and an ARN starts with "arn:".'
    if prefix.strip().lower() == "arn":
        return ArnProblem("INVALID_ARN_PREFIX", "error", "prefix",
                          f'{base} Write the prefix as "arn", in lower case and without spaces.',
                          0, end, "arn" + text[end:])
    if len(spans) == 5 and prefix in catalog.partitions():
        return ArnProblem("INVALID_ARN_PREFIX", "error", "prefix",
                          f'{base} This one starts with the partition: add "arn:" in front.',
                          0, end, "arn:" + text)
    if len(spans) == 6:
        start, stop = _widen((0, end), text)
        return ArnProblem("INVALID_ARN_PREFIX", "error", "prefix",
                          f'{base} This one starts with "{prefix}:".', start, stop, "arn" + text[end:])
    return ArnProblem("INVALID_ARN_PREFIX", "error", "prefix",
                      f'{base} "{text}" is not one: use "*" or an ARN such as '
                      "arn:aws:xray:us-east-1:123456789012:group/my-group/*.", 0, len(text))


def _part_problems(arn: Arn) -> list[ArnProblem]:
    out = [_place(arn, "partition", i) for i in _partition_issues(arn.partition)]
    service_issues = _service_issues(arn.service)
    out.extend(_place(arn, "service", i) for i in service_issues)
    # Later checks read the service as it was meant, so one slip is not reported twice.
    service = arn.service.strip().lower()
    partitions = _candidate_partitions(arn.partition)
    out.extend(_place(arn, "region", i) for i in _region_issues(arn.region, partitions, service))
    out.extend(_place(arn, "account", i) for i in _account_issues(arn.account, service))
    if not any(i.level == "error" and i.fix is None for i in service_issues):
        out.extend(_place(arn, part, i) for part, i in _resource_issues(arn, service))
    return out


def is_star(value: str) -> bool:
    """True for ``*`` (and ``**``…): every resource, including "no specific resource"."""
    return bool(value) and all(c == "*" for c in value)


# -- building X-Ray ARNs -----------------------------------------------------------------


def fill_template(rtype: ResourceType, partition: str, region: str, account: str, *values: str) -> str:
    """The resource type's catalog ARN format with its placeholders filled in order."""
    fixed = {"Partition": partition, "Region": region, "Account": account}
    rest = iter(values)

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in fixed:
            return fixed[key]
        value = next(rest, None)
        if value is None:
            raise ValueError(f"{rtype.arn_template} needs a value for ${{{key}}}")
        return value

    return _PLACEHOLDER.sub(sub, rtype.arn_template)


def group_arn(partition: str, region: str, account: str, name: str, group_id: str = "*") -> str:
    """An X-Ray group ARN; the Id is generated at creation, so it defaults to ``*``."""
    return fill_template(catalog.xray().resource_types["group"], partition, region, account, name, group_id)


def sampling_rule_arn(partition: str, region: str, account: str, name: str) -> str:
    """An X-Ray sampling-rule ARN (a rule's ARN is defined by its name alone)."""
    return fill_template(catalog.xray().resource_types["sampling-rule"], partition, region, account, name)


FIELDS = ("partition", "region", "account", "group_name", "group_id", "sampling_rule_name")


def _field_issues(field: str, value: str, partition: str, service: str) -> list[_Issue]:
    if field == "partition":
        return _partition_issues(value)
    if field == "region":
        if value == "":
            return [_Issue("MISSING_ARN_REGION", "error",
                           "X-Ray resources live in a region: type one (e.g. us-east-1), or * for all.")]
        return _region_issues(value, _candidate_partitions(partition), service)
    if field == "account":
        if value == "":
            return [_Issue("INVALID_ARN_ACCOUNT", "error", "Type the 12-digit account ID, or * for any.")]
        return _account_issues(value, service)
    if field == "group_name":
        return _name_issues(value, "group name")
    if field == "sampling_rule_name":
        return _name_issues(value, "sampling-rule name")
    if field == "group_id":
        if value == "":
            return [_Issue("INVALID_ARN_RESOURCE", "error",
                           "X-Ray generates a group's Id when the group is created: use * unless "
                           "you know it.", "*")]
        if "/" in value or ":" in value:
            return [_Issue("INVALID_ARN_RESOURCE", "error",
                           "A group Id holds no '/' or ':': paste only the part after the group name.")]
        return []
    raise ValueError(f"unknown ARN field {field!r}; fields are {', '.join(FIELDS)}")


def field_problems(field: str, value: str, *, partition: str = "aws",
                   service: str = "xray") -> tuple[ArnProblem, ...]:
    """Problems in one field of an X-Ray ARN typed on its own; offsets and fixes are within ``value``."""
    return tuple(
        ArnProblem(i.code, i.level, field, i.message, *(i.span or (0, len(value))), i.fix)
        for i in _field_issues(field, value, partition, service)
    )


def validate_field(field: str, value: str, *, partition: str = "aws", service: str = "xray") -> str | None:
    """The message of a field's worst problem (errors before warnings), or None when it is fine."""
    problems = sorted(field_problems(field, value, partition=partition, service=service),
                      key=lambda p: not p.is_error)
    return problems[0].message if problems else None
