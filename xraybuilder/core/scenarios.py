"""Scenario presets: one TOML file per way of giving X-Ray permissions.

A preset says which principal it makes, its parameters (with defaults, descriptions and
validation), the statements it builds as catalog queries or short action lists, the trust
policy, attached managed policies, KMS key-policy statements, snippets, notes, and the
requests that must be allowed or denied. This module reads and checks preset files and
resolves parameter values; :mod:`xraybuilder.core.bundle` turns a preset and its values
into documents.

Shipped presets live in the ``xraybuilder.presets`` package; users add their own in
``<config dir>/presets/*.toml`` (``XRAYBUILDER_CONFIG_DIR`` overrides the config dir).
A broken file is reported with its name, line and key, and never stops the others.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from xraybuilder.core import catalog, names
from xraybuilder.core.managed import managed_policy

CONFIG_DIR_ENV = "XRAYBUILDER_CONFIG_DIR"
SERVICE_PRINCIPALS_FILE = "_service_principals.toml"

Value = str | bool | tuple[str, ...]
"""A resolved parameter value: text, a boolean, or a list (for ``*_list`` types)."""

# Principal kinds and the lint target (which size quota applies) of the policy they get.
PRINCIPAL_KINDS: dict[str, str] = {
    "iam-user": "user",
    "ec2-instance-role": "role",
    "ecs-task-role": "role",
    "ecs-container-instance-role": "role",
    "beanstalk-instance-profile": "role",
    "lambda-execution-role": "role",
    "existing-identity": "managed",
    "kms-key-users": "managed",
}
NAME_KINDS = ("role", "user", "instance_profile", "policy")
SNIPPET_KINDS = ("aws-credentials", "aws-config", "text")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_PARAM_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SID = re.compile(r"[A-Za-z0-9]+")
# ``{name}`` is a parameter; ``${aws:username}`` (an IAM policy variable) is left alone.
_PLACEHOLDER = re.compile(r"(?<!\$)\{([a-z][a-z0-9_]*)\}")
# Values every template may use besides the preset's parameters.
BUILTINS = ("dns_suffix",)


# --------------------------------------------------------------------------- errors


class PresetError(Exception):
    """A preset file that cannot be used: which file, which line (when known), which key."""

    def __init__(self, file: str, message: str, *, line: int | None = None, key: str = "") -> None:
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParameterProblem:
    """One parameter that is missing, unknown or has a value its validator refuses."""

    name: str
    message: str
    kind: str = "invalid"
    """``missing``, ``unknown`` or ``invalid``."""

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


class BuildError(ValueError):
    """Parameters a preset cannot be built with; ``problems`` holds each one."""

    def __init__(self, preset_id: str, problems: Iterable[ParameterProblem]) -> None:
        self.preset_id = preset_id
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = []
        missing = [p.name for p in self.problems if p.kind == "missing"]
        if missing:
            lines.append(f"{self.preset_id}: missing required parameter"
                         f"{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
        lines.extend(f"{self.preset_id}: parameter {p}" for p in self.problems if p.kind != "missing")
        return "\n".join(lines)


class UnknownPreset(LookupError):
    """No preset has this id; says which ones exist and the closest match."""

    def __init__(self, preset_id: str, known: Iterable[str]) -> None:
        self.preset_id = preset_id
        self.known = tuple(sorted(known))
        close = difflib.get_close_matches(preset_id, self.known, n=1, cutoff=0.5)
        self.suggestion = close[0] if close else None
        super().__init__(str(self))

    def __str__(self) -> str:
        hint = f" Did you mean {self.suggestion!r}?" if self.suggestion else ""
        return (f"unknown scenario {self.preset_id!r}.{hint} "
                f"Known scenarios: {', '.join(self.known)}.")


# --------------------------------------------------------------------------- model


When = tuple[tuple[str, tuple[str | bool, ...]], ...]
"""``((param, (allowed values…)), …)``: holds when every named parameter has an allowed value."""


def holds(when: When, values: Mapping[str, Value]) -> bool:
    """Whether a ``when`` condition is met by resolved parameter values."""
    return all(name in values and values[name] in allowed for name, allowed in when)


def when_text(when: When) -> str:
    """``daemon = sidecar and policy = custom or managed``; empty for "always"."""
    return " and ".join(
        f"{name} = {' or '.join(_plain(v) for v in allowed)}" for name, allowed in when)


def _plain(value: str | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


@dataclass(frozen=True)
class Parameter:
    """One parameter of a preset, as declared in its ``[parameters.NAME]`` table."""

    name: str
    type: str
    description: str
    label: str = ""
    default: str | bool | None = None
    """Text (may hold ``{other}`` placeholders for earlier parameters) or a boolean."""
    required: bool = False
    choices: tuple[str, ...] = ()
    choice_help: Mapping[str, str] = field(default_factory=dict)
    when: When = ()
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    same_region: bool = True
    """For ARN types: the ARN's Region must equal the ``region`` parameter."""

    def applies(self, values: Mapping[str, Value]) -> bool:
        """Whether the parameter is in play for these (earlier) values."""
        return holds(self.when, values)

    @property
    def default_text(self) -> str | None:
        """The default as a user would type it."""
        if self.default is None:
            return None
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        return self.default


@dataclass(frozen=True)
class ActionQuery:
    """A catalog query: actions of a service by access level, resource type and name."""

    service: str
    access_levels: tuple[str, ...] = ()
    resource_types: tuple[str, ...] = ()
    match: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def run(self) -> list[str]:
        """The matching actions' full names, sorted by name."""
        svc = catalog.service(self.service)
        if svc is None:
            return []
        patterns = [re.compile(_glob(p), re.I) for p in self.match]
        excluded = {e.lower() for e in self.exclude}
        out = []
        for act in svc.actions.values():
            if self.access_levels and act.access_level not in self.access_levels:
                continue
            types = {rt.resource_type for rt in act.resource_types}
            if self.resource_types and not any(
                (t == "none" and not types) or t in types for t in self.resource_types
            ):
                continue
            if patterns and not any(p.fullmatch(act.name) for p in patterns):
                continue
            if act.full_name.lower() in excluded:
                continue
            out.append(act.full_name)
        return sorted(out, key=str.lower)

    def describe(self) -> str:
        """The query in words, for ``presets show``."""
        parts = []
        if self.access_levels:
            parts.append("access level " + " and ".join(self.access_levels))
        else:
            parts.append("every action")
        parts.append(f"of {self.service}")
        if self.resource_types:
            parts.append("scoped to " + " or ".join(
                "'*' only" if t == "none" else t for t in self.resource_types))
        if self.match:
            parts.append("named " + " or ".join(self.match))
        if self.exclude:
            parts.append("except " + ", ".join(self.exclude))
        return " ".join(parts)


def _glob(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


@dataclass(frozen=True)
class ConditionSpec:
    operator: str
    key: str
    values: tuple[str, ...]
    when: When = ()


@dataclass(frozen=True)
class StatementSpec:
    """An identity-policy statement, its actions already resolved from the catalog."""

    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    effect: str = "Allow"
    conditions: tuple[ConditionSpec, ...] = ()
    when: When = ()
    sources: tuple[str, ...] = ()
    """How the actions were chosen, in words (query, list, managed policy)."""
    outside_baseline: str | None = None
    """Why the statement is allowed to go beyond the baseline managed policies."""


@dataclass(frozen=True)
class KeyPolicyStatementSpec:
    sid: str
    principals: tuple[str, ...]
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ("*",)
    conditions: tuple[ConditionSpec, ...] = ()
    when: When = ()


@dataclass(frozen=True)
class PrincipalSpec:
    """The principal a preset makes, and its trust policy when it is a role."""

    kind: str
    label: str
    service: str | None = None
    """A key of ``_service_principals.toml`` (resolved per partition) or a full principal."""
    conditions: tuple[ConditionSpec, ...] = ()
    instance_profile: bool = False
    access_keys: bool = False
    when: When = ()

    @property
    def lint_target(self) -> str:
        return PRINCIPAL_KINDS[self.kind]


@dataclass(frozen=True)
class ManagedAttachment:
    name: str | None
    """A managed policy shipped in ``xraybuilder.core.managed`` (ARN built per partition)."""
    arn: str | None
    """Or an ARN template for a managed policy we do not ship."""
    why: str = ""
    when: When = ()


@dataclass(frozen=True)
class SnippetSpec:
    id: str
    title: str
    kind: str
    file: str
    template: str = ""
    profile: str = ""
    region: str = ""
    language: str = "text"
    when: When = ()


@dataclass(frozen=True)
class NoteSpec:
    text: str
    when: When = ()


@dataclass(frozen=True)
class ExpectationSpec:
    allowed: bool
    action: str
    resource: str = "*"
    request_tags: tuple[tuple[str, str], ...] = ()
    resource_tags: tuple[tuple[str, str], ...] = ()
    context: tuple[tuple[str, str], ...] = ()
    why: str = ""
    when: When = ()


@dataclass(frozen=True)
class Preset:
    """A scenario preset as read from its TOML file."""

    id: str
    title: str
    summary: str
    description: str
    parameters: Mapping[str, Parameter]
    principals: tuple[PrincipalSpec, ...]
    names: tuple[tuple[str, str, When], ...]
    statements: tuple[StatementSpec, ...]
    managed: tuple[ManagedAttachment, ...] = ()
    key_policy: tuple[KeyPolicyStatementSpec, ...] = ()
    snippets: tuple[SnippetSpec, ...] = ()
    notes: tuple[NoteSpec, ...] = ()
    expectations: tuple[ExpectationSpec, ...] = ()
    baseline: tuple[str, ...] = ()
    """Managed policies the identity policy must not grant beyond."""
    order: int = 1000
    source: str = ""
    shipped: bool = True

    @property
    def required(self) -> tuple[str, ...]:
        """Parameters that have no default and must be given (when they apply)."""
        return tuple(p.name for p in self.parameters.values() if p.required)

    def principal_for(self, values: Mapping[str, Value]) -> PrincipalSpec:
        """The principal these values make (the first whose ``when`` holds)."""
        for spec in self.principals:
            if holds(spec.when, values):
                return spec
        raise PresetError(self.source, "no [[principal]] applies to these parameter values",
                          key="principal")


# --------------------------------------------------------------------------- parameter types


class _Invalid(ValueError):
    """A value a parameter type refuses; the message says what is allowed."""


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _parse_bool(text: str, _param: Parameter) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise _Invalid(f"{text!r} is not a yes/no value; use true or false")


def _parse_choice(text: str, param: Parameter) -> str:
    if text in param.choices:
        return text
    raise _Invalid(f"{text!r} is not one of the choices: {', '.join(param.choices)}"
                   f"{_suggest(text, param.choices)}")


def _parse_string(text: str, param: Parameter) -> str:
    if param.min_length is not None and len(text) < param.min_length:
        raise _Invalid(f"needs at least {param.min_length} characters")
    if param.max_length is not None and len(text) > param.max_length:
        raise _Invalid(f"has {len(text)} characters; the most allowed is {param.max_length}")
    if param.pattern is not None and not re.fullmatch(param.pattern, text):
        raise _Invalid(f"{text!r} does not match the pattern {param.pattern}")
    return text


def _parse_partition(text: str, _param: Parameter) -> str:
    known = catalog.partitions()
    if text in known:
        return text
    raise _Invalid(f"unknown partition {text!r}; choose one of {', '.join(known)}{_suggest(text, known)}")


def _parse_region(text: str, _param: Parameter) -> str:
    # Only Regions the catalog lists: a typo such as eu-wset-1 still has a Region's shape.
    every = [r for p in catalog.partitions().values() for r in p.regions]
    if text in every:
        return text
    raise _Invalid(f"{text!r} is not an AWS Region the catalog knows, like us-east-1"
                   f"{_suggest(text, every)}")


def _parse_account(text: str, _param: Parameter) -> str:
    if re.fullmatch(r"\d{12}", text):
        return text
    digits = sum(c.isdigit() for c in text)
    if text.isdigit():
        raise _Invalid(f"an account ID has exactly 12 digits, like 123456789012; {text!r} has {digits}")
    raise _Invalid(f"an account ID is 12 digits, like 123456789012; got {text!r}")


def _checker(check: Callable[[str], str | None]) -> Callable[[str, Parameter], str]:
    def parse(text: str, _param: Parameter) -> str:
        problem = check(text)
        if problem is not None:
            raise _Invalid(problem)
        return text
    return parse


_ARN = re.compile(r"arn:([^:]*):([^:]*):([^:]*):([^:]*):(.+)", re.S)
_KMS_KEY_ID = re.compile(r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_IAM_PRINCIPAL = re.compile(r"root|(user|role)/(?:[\x21-\x7e]*/)?[\w+=,.@-]{1,128}", re.ASCII)


def _split_arn(text: str, what: str, example: str) -> tuple[str, str, str, str, str]:
    from xraybuilder.core.arn import check_arn

    m = _ARN.fullmatch(text)
    if m is None or "*" in text or "?" in text:
        raise _Invalid(f"{text!r} is not {what}; expected an ARN like {example} (no wildcards)")
    # The ARN checker words part-by-part problems the way the linter does.
    errors = check_arn(text).errors
    if errors:
        raise _Invalid(f"{text}: {errors[0].message}")
    part, svc, region, account, rest = m.groups()
    return part, svc, region, account, rest


def _parse_kms_key_arn(text: str, _param: Parameter) -> str:
    example = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    part, svc, region, account, rest = _split_arn(text, "a KMS key ARN", example)
    if svc != "kms":
        raise _Invalid(f"{text!r} is a {svc or 'blank'} ARN, not a KMS key ARN like {example}")
    if rest.startswith("alias/"):
        raise _Invalid("use the key's ARN (…:key/KEY-ID), not an alias ARN: key policies and grants "
                       "belong to the key")
    if not rest.startswith("key/") or not _KMS_KEY_ID.fullmatch(rest[4:]):
        raise _Invalid(f"the resource part must be key/ followed by a key ID, like {example}")
    if catalog.partition_for_region(region) is None or not re.fullmatch(r"\d{12}", account):
        raise _Invalid(f"{text!r} needs a Region and a 12-digit account, like {example}")
    return text


def _parse_principal_arn(text: str, _param: Parameter) -> str:
    example = "arn:aws:iam::123456789012:role/XRayAdmin"
    text = text.strip()
    _part, svc, region, account, rest = _split_arn(text, "an IAM user or role ARN", example)
    if svc != "iam" or region:
        raise _Invalid(f"{text!r} is not an IAM ARN; expected one like {example}")
    if not re.fullmatch(r"\d{12}", account):
        raise _Invalid(f"{text!r} needs a 12-digit account ID, like {example}")
    if not _IAM_PRINCIPAL.fullmatch(rest):
        raise _Invalid(f"{text!r} must name root, a user/NAME or a role/NAME, like {example}")
    return text


def _parse_principal_list(text: str, param: Parameter) -> tuple[str, ...]:
    items = [t for t in re.split(r"[,\s]+", text) if t]
    if not items:
        raise _Invalid("give at least one IAM user or role ARN (separate several with commas)")
    out = []
    for i, item in enumerate(items, 1):
        try:
            out.append(_parse_principal_arn(item, param))
        except _Invalid as err:
            raise _Invalid(f"item {i}: {err}") from None
    return tuple(dict.fromkeys(out))


PARAMETER_TYPES: dict[str, Callable[[str, Parameter], Value]] = {
    "string": _parse_string,
    "bool": _parse_bool,
    "choice": _parse_choice,
    "partition": _parse_partition,
    "region": _parse_region,
    "account": _parse_account,
    "role_name": _checker(names.check_role_name),
    "user_name": _checker(names.check_user_name),
    "instance_profile_name": _checker(names.check_instance_profile_name),
    "policy_name": _checker(names.check_policy_name),
    "group_name": _checker(names.check_group_name),
    "sampling_rule_name": _checker(names.check_sampling_rule_name),
    "tag_key": _checker(names.check_tag_key),
    "tag_value": _checker(names.check_tag_value),
    "profile_name": _checker(names.check_profile_name),
    "kms_key_arn": _parse_kms_key_arn,
    "principal_arn": _parse_principal_arn,
    "principal_arn_list": _parse_principal_list,
}
_ARN_TYPES = ("kms_key_arn", "principal_arn", "principal_arn_list")


def parse_value(param: Parameter, text: str) -> Value:
    """Parse one parameter's text; raises ValueError with the validator's message."""
    return PARAMETER_TYPES[param.type](text, param)


# --------------------------------------------------------------------------- templates


def placeholders(template: str) -> list[str]:
    """Parameter names a template refers to."""
    return _PLACEHOLDER.findall(template)


def value_text(value: Value) -> str:
    """A value as text inside a template (lists joined with commas)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    return value


def fill(template: str, values: Mapping[str, Value], *, source: str = "", key: str = "") -> str:
    """Replace ``{name}`` placeholders with parameter values."""
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            raise PresetError(source, f"{{{name}}} has no value with these parameters", key=key)
        return value_text(values[name])
    return _PLACEHOLDER.sub(sub, template)


def fill_list(templates: Iterable[str], values: Mapping[str, Value], *, source: str = "",
              key: str = "") -> list[str]:
    """Fill each template; an item that is just ``{list_param}`` becomes that list's items."""
    out: list[str] = []
    for template in templates:
        m = _PLACEHOLDER.fullmatch(template)
        if m and isinstance(values.get(m.group(1)), tuple):
            out.extend(values[m.group(1)])  # type: ignore[arg-type]
        else:
            out.append(fill(template, values, source=source, key=key))
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- resolving values


@dataclass(frozen=True)
class Resolution:
    """Parameter values after parsing, defaults and cross-checks, with every problem found."""

    values: Mapping[str, Value]
    problems: tuple[ParameterProblem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_for(self, name: str) -> ParameterProblem | None:
        return next((p for p in self.problems if p.name == name), None)


def builtin_values(values: Mapping[str, Value]) -> dict[str, Value]:
    """Values every template can use, derived from the partition."""
    part = catalog.partitions().get(str(values.get("partition", "aws")))
    return {"dns_suffix": part.dns_suffix if part else "amazonaws.com"}


def resolve(preset: Preset, given: Mapping[str, str | bool]) -> Resolution:
    """Parse ``given`` (text from a command line or a form) against the preset's parameters.

    Parameters are resolved in declared order so defaults like ``{role_name}`` and ``when``
    conditions can use earlier values. Every problem is collected, none raised.
    """
    problems: list[ParameterProblem] = []
    for name in given:
        if name not in preset.parameters:
            problems.append(ParameterProblem(
                name, f"{preset.id} has no parameter {name!r}{_suggest(name, preset.parameters)}; "
                f"it takes {', '.join(preset.parameters)}", "unknown"))
    values: dict[str, Value] = {}
    failed: set[str] = set()
    for param in preset.parameters.values():
        if not param.applies(values):
            continue
        raw = given.get(param.name)
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        if raw is None or (raw == "" and param.type != "tag_value"):
            if param.default is None:
                if param.required:
                    problems.append(ParameterProblem(param.name, "required", "missing"))
                    failed.add(param.name)
                continue
            if isinstance(param.default, bool):
                values[param.name] = param.default
                continue
            refs = placeholders(param.default)
            if any(r in failed for r in refs):
                failed.add(param.name)
                continue
            raw = fill(param.default, {**values, **builtin_values(values)}, source=preset.source,
                       key=f"parameters.{param.name}.default")
        try:
            values[param.name] = parse_value(param, raw)
        except ValueError as err:
            problems.append(ParameterProblem(param.name, str(err)))
            failed.add(param.name)
    notes = _cross_check(preset, values, problems)
    return Resolution(values, tuple(problems), tuple(notes))


def _cross_check(preset: Preset, values: dict[str, Value], problems: list[ParameterProblem]) -> list[str]:
    """Checks between parameters: Region in partition, ARNs in the same partition and Region."""
    notes: list[str] = []
    partition = values.get("partition")
    region = values.get("region")
    if isinstance(region, str):
        home = catalog.partition_for_region(region)
        if isinstance(partition, str) and home is not None and home.id != partition:
            problems.append(ParameterProblem(
                "region", f"{region} is in the {home.id} partition, not {partition}; "
                f"set partition={home.id} or pick a Region of {partition}"))
        elif home is not None and region not in home.xray_regions:
            notes.append(f"X-Ray has no endpoint in {region} in the catalog's endpoint data; "
                         "check that the service is available there.")
    for param in preset.parameters.values():
        if param.type not in _ARN_TYPES or param.name not in values:
            continue
        value = values[param.name]
        for arn in value if isinstance(value, tuple) else (str(value),):
            arn_partition, _, arn_region = arn.split(":")[1:4]
            if isinstance(partition, str) and arn_partition != partition:
                problems.append(ParameterProblem(
                    param.name, f"{arn} is in the {arn_partition} partition but partition is {partition}"))
                break
            if param.same_region and arn_region and isinstance(region, str) and arn_region != region:
                problems.append(ParameterProblem(
                    param.name, f"{arn} is in {arn_region} but region is {region}; "
                    "X-Ray can only use a key in its own Region"))
                break
    return notes


# --------------------------------------------------------------------------- reading TOML


def _key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Line of each table header and key, by path (``("statement", 2, "actions")``).

    tomllib keeps no positions, so this light scan follows headers, array-of-tables
    counters and ``key =`` lines; values spread over several lines are skipped.
    """
    out: dict[tuple[str | int, ...], int] = {}
    arrays: dict[tuple[str, ...], int] = {}
    current: tuple[str | int, ...] = ()
    depth = 0
    closing: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        if closing is not None:
            if closing in raw:
                closing = None
            continue
        if depth > 0:
            depth += _bracket_delta(raw)
            continue
        stripped = raw.strip()
        if stripped.startswith("["):
            is_array = stripped.startswith("[[")
            inner = stripped[2:].split("]]", 1)[0] if is_array else stripped[1:].split("]", 1)[0]
            keys = tuple(_split_dotted(inner))
            if is_array:
                arrays[keys] = arrays.get(keys, -1) + 1
                for deeper in [k for k in arrays if len(k) > len(keys) and k[:len(keys)] == keys]:
                    del arrays[deeper]
            path: list[str | int] = []
            for i, key in enumerate(keys):
                path.append(key)
                if keys[: i + 1] in arrays:
                    path.append(arrays[keys[: i + 1]])
            current = tuple(path)
            out.setdefault(current, lineno)
            continue
        m = re.match(r'\s*((?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'
                     r"'[^']*'))*)\s*=(.*)", raw)
        if m is None:
            continue
        out.setdefault(current + tuple(_split_dotted(m.group(1))), lineno)
        rest = m.group(2)
        for delim in ('"""', "'''"):
            if rest.strip().startswith(delim) and rest.count(delim) == 1:
                closing = delim
        if closing is None:
            depth = max(0, _bracket_delta(rest))
    return out


def _split_dotted(text: str) -> list[str]:
    return [p.strip().strip('"').strip("'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text)
            if p.strip()]


def _bracket_delta(text: str) -> int:
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'', "", text).split("#", 1)[0]
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")


def _format_key(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer", list: "a list",
               dict: "a table", float: "a number"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Reader:
    """Checks one preset document against the schema, raising located PresetErrors."""

    def __init__(self, file: str, text: str, data: dict[str, Any]) -> None:
        self.file = file
        self.source_text = text
        self.data = data
        self.params: dict[str, Parameter] = {}
        self.scope: When = ()

    @cached_property
    def lines(self) -> dict[tuple[str | int, ...], int]:
        # Only a broken file needs positions, so the scan waits for the first error.
        return _key_lines(self.source_text)

    def error(self, path: tuple[str | int, ...], message: str) -> PresetError:
        line = None
        probe = path
        while probe:
            if probe in self.lines:
                line = self.lines[probe]
                break
            probe = probe[:-1]
        return PresetError(self.file, message, line=line, key=_format_key(path))

    def keys(self, obj: Mapping[str, Any], path: tuple[str | int, ...], allowed: Iterable[str],
             required: Iterable[str] = ()) -> None:
        allowed = tuple(allowed)
        for key in obj:
            if key not in allowed:
                raise self.error(path + (key,), f"unknown key {key!r}{_suggest(key, allowed)}; "
                                 f"allowed here: {', '.join(allowed)}")
        for key in required:
            if key not in obj:
                raise self.error(path, f"missing required key {key!r}")

    def get(self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...], kind: type,
            default: Any = None) -> Any:
        if key not in obj:
            return default
        value = obj[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise self.error(path + (key,), f"must be {_TYPE_NAMES[kind]}, not {_type_name(value)}")
        return value

    def text(self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...],
             default: str | None = None) -> str:
        value = self.get(obj, key, path, str, default)
        if value is None:
            raise self.error(path, f"missing required key {key!r}")
        return str(value)

    def strings(self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> tuple[str, ...]:
        value = self.get(obj, key, path, list, [])
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(path + (key, i), f"must be a string, not {_type_name(item)}")
        return tuple(value)

    def tables(self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> list[dict[str, Any]]:
        value = obj.get(key, [])
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(path + (key,), f"must be a list of tables ([[{_format_key(path + (key,))}]])")
        return value

    @contextmanager
    def within(self, when: When) -> Iterator[None]:
        """Templates read inside apply only where ``when`` holds (on top of the outer scope)."""
        saved = self.scope
        self.scope = saved + when
        try:
            yield
        finally:
            self.scope = saved

    def template(self, value: str, path: tuple[str | int, ...],
                 params: Mapping[str, Parameter] | None = None) -> str:
        """Check a template's placeholders: known, and in play wherever it is used."""
        params = self.params if params is None else params
        known = set(params) | set(BUILTINS)
        for name in placeholders(value):
            if name not in known:
                raise self.error(path, f"{{{name}}} is not a parameter of this preset"
                                 f"{_suggest(name, known)}")
            if name in params and not _implies(self.scope, params[name].when):
                needs = when_text(params[name].when)
                raise self.error(path, f"{{{name}}} only has a value when {needs}; add that to "
                                 "this entry's 'when'")
        return value

    def when(self, obj: Mapping[str, Any], path: tuple[str | int, ...],
             params: Mapping[str, Parameter] | None = None) -> When:
        raw = self.get(obj, "when", path, dict, {})
        params = self.params if params is None else params
        out = []
        for name, wanted in raw.items():
            where = path + ("when", name)
            if name not in params:
                declared = self.data.get("parameters", {})
                if isinstance(declared, dict) and name in declared:
                    raise self.error(where, f"{name!r} is declared further down: a parameter's 'when' "
                                     "can only use parameters declared before it")
                raise self.error(where, f"{name!r} is not a parameter of this preset"
                                 f"{_suggest(name, params)}")
            allowed = tuple(wanted) if isinstance(wanted, list) else (wanted,)
            param = params[name]
            for value in allowed:
                if param.type == "bool" and not isinstance(value, bool):
                    raise self.error(where, f"{name} is a yes/no parameter: compare it with true or false")
                if param.type == "choice" and value not in param.choices:
                    raise self.error(where, f"{value!r} is not a choice of {name} "
                                     f"({', '.join(param.choices)})")
                if not isinstance(value, str | bool):
                    raise self.error(where, f"must be a string, a boolean or a list of them, "
                                     f"not {_type_name(value)}")
            out.append((name, allowed))
        return tuple(out)


def _implies(scope: When, needed: When) -> bool:
    """Whether every value allowed by ``scope`` satisfies ``needed``."""
    for name, allowed in needed:
        if not any(n == name and set(vals) <= set(allowed) for n, vals in scope):
            return False
    return True


def _read_preset(file: str, text: str, *, shipped: bool) -> Preset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        if m:
            raise PresetError(file, f"column {m.group(2)}: TOML syntax error: {message}",
                              line=int(m.group(1))) from None
        raise PresetError(file, f"TOML syntax error: {message}") from None
    r = _Reader(file, text, data)
    r.keys(data, (), ("id", "title", "summary", "description", "order", "parameters", "principal",
                      "names", "statement", "managed_policy", "key_policy_statement", "snippet",
                      "note", "expect", "baseline"),
           ("id", "title", "summary", "description", "principal"))
    preset_id = r.text(data, "id", ())
    if not _ID.fullmatch(preset_id):
        raise r.error(("id",), f"{preset_id!r} must be lower-case letters, digits and dashes")
    params = _read_parameters(r, r.get(data, "parameters", (), dict, {}))
    r.params = params
    return Preset(
        id=preset_id,
        title=r.text(data, "title", ()),
        summary=r.text(data, "summary", ()),
        description=r.text(data, "description", ()).strip(),
        parameters=params,
        principals=_read_principals(r, data),
        names=_read_names(r, r.get(data, "names", (), dict, {})),
        statements=tuple(_read_statement(r, s, ("statement", i))
                         for i, s in enumerate(r.tables(data, "statement", ()))),
        managed=tuple(_read_managed(r, m, ("managed_policy", i))
                      for i, m in enumerate(r.tables(data, "managed_policy", ()))),
        key_policy=tuple(_read_key_policy(r, k, ("key_policy_statement", i))
                         for i, k in enumerate(r.tables(data, "key_policy_statement", ()))),
        snippets=tuple(_read_snippet(r, s, ("snippet", i))
                       for i, s in enumerate(r.tables(data, "snippet", ()))),
        notes=tuple(_read_note(r, n, ("note", i)) for i, n in enumerate(r.tables(data, "note", ()))),
        expectations=_read_expectations(r, r.get(data, "expect", (), dict, {})),
        baseline=_read_baseline(r, data),
        order=r.get(data, "order", (), int, 1000),
        source=file,
        shipped=shipped,
    )


_PARAM_KEYS = ("type", "description", "label", "default", "required", "choices", "choice_help",
               "when", "min_length", "max_length", "pattern", "same_region")


def _read_parameters(r: _Reader, raw: dict[str, Any]) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for name, spec in raw.items():
        path: tuple[str | int, ...] = ("parameters", name)
        if not _PARAM_NAME.fullmatch(name) or name in BUILTINS:
            raise r.error(path, f"{name!r} cannot be a parameter name: use lower-case letters, digits "
                          f"and _, and none of {', '.join(BUILTINS)}")
        if not isinstance(spec, dict):
            raise r.error(path, f"must be a table ([parameters.{name}]), not {_type_name(spec)}")
        r.keys(spec, path, _PARAM_KEYS, ("type", "description"))
        ptype = r.text(spec, "type", path)
        if ptype not in PARAMETER_TYPES:
            raise r.error(path + ("type",), f"unknown parameter type {ptype!r}"
                          f"{_suggest(ptype, PARAMETER_TYPES)}; known types: {', '.join(PARAMETER_TYPES)}")
        choices = r.strings(spec, "choices", path)
        if ptype == "choice" and not choices:
            raise r.error(path, "a choice parameter needs a non-empty 'choices' list")
        if choices and ptype != "choice":
            raise r.error(path + ("choices",), "only parameters of type 'choice' take choices")
        help_table = r.get(spec, "choice_help", path, dict, {})
        for key, text in help_table.items():
            if key not in choices:
                raise r.error(path + ("choice_help", key), f"{key!r} is not one of the choices")
            if not isinstance(text, str):
                raise r.error(path + ("choice_help", key), "must be a string")
        default = spec.get("default")
        if ptype == "bool":
            if default is not None and not isinstance(default, bool):
                raise r.error(path + ("default",), f"a bool parameter's default must be true or false, "
                              f"not {_type_name(default)}")
        elif default is not None and not isinstance(default, str):
            raise r.error(path + ("default",), f"must be a string, not {_type_name(default)}")
        pattern = r.get(spec, "pattern", path, str)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as err:
                raise r.error(path + ("pattern",), f"not a valid regular expression: {err}") from None
        param = Parameter(
            name=name, type=ptype, description=r.text(spec, "description", path),
            label=r.get(spec, "label", path, str, ""), default=default,
            required=r.get(spec, "required", path, bool, False), choices=choices,
            choice_help=dict(help_table), when=r.when(spec, path, params),
            min_length=r.get(spec, "min_length", path, int),
            max_length=r.get(spec, "max_length", path, int), pattern=pattern,
            same_region=r.get(spec, "same_region", path, bool, True),
        )
        if param.required and default is not None:
            raise r.error(path + ("required",), "a parameter with a default cannot also be required")
        if isinstance(default, str):
            with r.within(param.when):
                r.template(default, path + ("default",), params)
            if not placeholders(default) and not (default == "" and not param.required):
                try:
                    parse_value(param, default)
                except ValueError as err:
                    raise r.error(path + ("default",), f"the default is not valid: {err}") from None
        params[name] = param
    return params


def _read_conditions(r: _Reader, obj: Mapping[str, Any], path: tuple[str | int, ...],
                     actions: tuple[str, ...] = ()) -> tuple[ConditionSpec, ...]:
    from xraybuilder.core.conditions import canonical_operator, parse_operator

    out = []
    seen: set[tuple[str, str]] = set()
    for i, cond in enumerate(r.tables(obj, "condition", path)):
        where = path + ("condition", i)
        r.keys(cond, where, ("operator", "key", "values", "when"), ("operator", "key", "values"))
        operator = r.text(cond, "operator", where)
        if parse_operator(operator) is None:
            meant = canonical_operator(operator)
            hint = f" (IAM matches operator names exactly: write {meant!r})" if meant else ""
            raise r.error(where + ("operator",), f"unknown condition operator {operator!r}{hint}")
        when = r.when(cond, where)
        with r.within(when):
            key = r.template(r.text(cond, "key", where), where + ("key",))
            values = tuple(r.template(v, where + ("values",)) for v in r.strings(cond, "values", where))
        sample = _PLACEHOLDER.sub("x", key)
        if catalog.condition_key(sample) is None:
            raise r.error(where + ("key",), f"unknown condition key {key!r}")
        for action in actions:
            _check_key_for_action(r, where + ("key",), key, sample, action)
        if not values:
            raise r.error(where + ("values",), "give at least one value")
        ident = (operator.lower(), key.lower())
        if ident in seen:
            raise r.error(where, f"{operator} on {key} appears twice in one statement")
        seen.add(ident)
        out.append(ConditionSpec(operator, key, values, when))
    return tuple(out)


# Keys that depend on the action (tags and service keys); other aws: keys apply to every request.
_ACTION_SPECIFIC_GLOBAL = ("aws:requesttag/", "aws:resourcetag/", "aws:tagkeys")


def _check_key_for_action(r: _Reader, path: tuple[str | int, ...], key: str, sample: str,
                          action: str) -> None:
    lowered = sample.lower()
    if lowered.startswith("aws:") and not lowered.startswith(_ACTION_SPECIFIC_GLOBAL):
        return
    act = catalog.action(action)
    if act is None:
        return
    supported = act.all_condition_keys()
    if not any(catalog.key_matches_template(sample, t) for t in supported):
        tags = [k for k in supported if k.lower().startswith(_ACTION_SPECIFIC_GLOBAL)]
        hint = f"; it supports {', '.join(tags)}" if tags else ""
        raise r.error(path, f"{action} does not support the condition key {key}{hint}")


def _check_actions(r: _Reader, actions: tuple[str, ...], path: tuple[str | int, ...]) -> None:
    for i, action in enumerate(actions):
        _check_action(r, action, path + (i,))


def _check_action(r: _Reader, action: str, path: tuple[str | int, ...]) -> None:
    if "*" in action or "?" in action:
        raise r.error(path, f"{action!r}: list actions by name here; use a [query] with "
                      "'match' for patterns")
    if catalog.action(action) is None:
        prefix = action.partition(":")[0]
        svc = catalog.service(prefix)
        if svc is None:
            raise r.error(path, f"unknown action {action!r}: the catalog has no service {prefix!r}")
        full = [a.full_name for a in svc.actions.values()]
        raise r.error(path, f"unknown action {action!r}{_suggest(action, full)}")


def _read_query(r: _Reader, q: Mapping[str, Any], path: tuple[str | int, ...]) -> ActionQuery:
    r.keys(q, path, ("service", "access_levels", "resource_types", "match", "exclude"), ("service",))
    prefix = r.text(q, "service", path)
    svc = catalog.service(prefix)
    if svc is None:
        raise r.error(path + ("service",), f"the catalog has no service {prefix!r}; it holds "
                      f"{', '.join(catalog.service_prefixes())}")
    levels = r.strings(q, "access_levels", path)
    for i, level in enumerate(levels):
        if level not in catalog.ACCESS_LEVELS:
            raise r.error(path + ("access_levels", i), f"unknown access level {level!r}; use "
                          f"{', '.join(catalog.ACCESS_LEVELS)}")
    types = r.strings(q, "resource_types", path)
    for i, rtype in enumerate(types):
        if rtype != "none" and rtype not in svc.resource_types:
            raise r.error(path + ("resource_types", i), f"{prefix} has no resource type {rtype!r}; "
                          f"use {', '.join([*svc.resource_types, 'none'])}")
    match = r.strings(q, "match", path)
    for i, pattern in enumerate(match):
        if not svc.match_actions(pattern):
            raise r.error(path + ("match", i), f"{pattern!r} matches no {prefix} action")
    exclude = r.strings(q, "exclude", path)
    query = ActionQuery(prefix, levels, types, match, exclude)
    selected = {a.lower() for a in ActionQuery(prefix, levels, types, match).run()}
    for i, name in enumerate(exclude):
        _check_action(r, name, path + ("exclude", i))
        if name.lower() not in selected:
            raise r.error(path + ("exclude", i), f"{name} is not selected by the query, so "
                          "excluding it does nothing")
    if not query.run():
        raise r.error(path, "the query selects no action")
    return query


def _read_statement(r: _Reader, s: Mapping[str, Any], path: tuple[str | int, ...]) -> StatementSpec:
    r.keys(s, path, ("sid", "effect", "actions", "query", "managed_actions", "resources", "condition",
                     "when", "outside_baseline"), ("sid", "resources"))
    sid = r.text(s, "sid", path)
    if not _SID.fullmatch(sid):
        raise r.error(path + ("sid",), f"{sid!r}: a Sid holds only letters and digits")
    effect = r.text(s, "effect", path, "Allow")
    if effect not in ("Allow", "Deny"):
        raise r.error(path + ("effect",), f"Effect must be Allow or Deny, not {effect!r}")
    actions: list[str] = []
    sources: list[str] = []
    listed = r.strings(s, "actions", path)
    _check_actions(r, listed, path + ("actions",))
    if listed:
        actions.extend(catalog.action(a).full_name for a in listed)  # type: ignore[union-attr]
        sources.append("listed: " + ", ".join(listed))
    for i, q in enumerate(r.tables(s, "query", path)):
        where = path + ("query",) if isinstance(s.get("query"), dict) else path + ("query", i)
        query = _read_query(r, q, where)
        actions.extend(query.run())
        sources.append(query.describe())
    managed_name = r.get(s, "managed_actions", path, str)
    if managed_name is not None:
        actions.extend(_managed_actions(r, managed_name, path + ("managed_actions",)))
        sources.append(f"the actions of {managed_name}")
    if not actions:
        raise r.error(path, "the statement has no actions: give 'actions', a [query] or 'managed_actions'")
    unique = tuple(dict.fromkeys(actions))
    when = r.when(s, path)
    with r.within(when):
        resources = tuple(r.template(v, path + ("resources", i))
                          for i, v in enumerate(r.strings(s, "resources", path)))
        conditions = _read_conditions(r, s, path, unique)
        outside = r.get(s, "outside_baseline", path, str)
        if outside is not None:
            r.template(outside, path + ("outside_baseline",))
    if not resources:
        raise r.error(path + ("resources",), "give at least one resource ('*' or an ARN template)")
    return StatementSpec(
        sid=sid, actions=unique, resources=resources, effect=effect, conditions=conditions,
        when=when, sources=tuple(sources), outside_baseline=outside,
    )


def _managed_actions(r: _Reader, name: str, path: tuple[str | int, ...]) -> list[str]:
    policy = managed_policy(name)
    if policy is None:
        from xraybuilder.core.managed import managed_policies

        raise r.error(path, f"unknown managed policy {name!r}{_suggest(name, managed_policies())}")
    out: list[str] = []
    for st in policy.policy.statements:
        if st.effect != "Allow" or st.not_action or st.condition:
            continue
        for action in st.actions():
            if "*" in action or "?" in action:
                raise r.error(path, f"{name} grants {action}; reference a policy that lists its actions")
            out.append(action)
    return out


def _read_principals(r: _Reader, data: Mapping[str, Any]) -> tuple[PrincipalSpec, ...]:
    out = []
    for i, p in enumerate(r.tables(data, "principal", ())):
        path: tuple[str | int, ...] = ("principal", i)
        r.keys(p, path, ("kind", "label", "service", "condition", "instance_profile", "access_keys",
                         "when"), ("kind", "label"))
        kind = r.text(p, "kind", path)
        if kind not in PRINCIPAL_KINDS:
            raise r.error(path + ("kind",), f"unknown principal kind {kind!r}"
                          f"{_suggest(kind, PRINCIPAL_KINDS)}; use {', '.join(PRINCIPAL_KINDS)}")
        service = r.get(p, "service", path, str)
        if service is not None and "." not in service and service not in service_principals():
            raise r.error(path + ("service",), f"no service principal is known for {service!r}; use one of "
                          f"{', '.join(service_principals())} or a full principal like "
                          "'ec2.amazonaws.com'")
        role = PRINCIPAL_KINDS[kind] == "role"
        if role != (service is not None):
            raise r.error(path, f"principal kind {kind} {'needs' if role else 'takes no'} 'service' "
                          "(the service principal a role's trust policy names)")
        when = r.when(p, path)
        with r.within(when):
            label = r.template(r.text(p, "label", path), path + ("label",))
            conditions = _read_conditions(r, p, path, ("sts:AssumeRole",)) if service else ()
        if not service and "condition" in p:
            raise r.error(path + ("condition",), "only a role's trust policy takes conditions")
        out.append(PrincipalSpec(
            kind=kind, label=label, service=service, conditions=conditions,
            instance_profile=r.get(p, "instance_profile", path, bool, False),
            access_keys=r.get(p, "access_keys", path, bool, False), when=when,
        ))
    if not out:
        raise r.error(("principal",), "give at least one [[principal]]")
    return tuple(out)


def _read_names(r: _Reader, raw: Mapping[str, Any]) -> tuple[tuple[str, str, When], ...]:
    r.keys(raw, ("names",), NAME_KINDS)
    out: list[tuple[str, str, When]] = []
    for kind, spec in raw.items():
        path: tuple[str | int, ...] = ("names", kind)
        if isinstance(spec, str):
            out.append((kind, r.template(spec, path), ()))
            continue
        if not isinstance(spec, dict):
            raise r.error(path, "must be a template string or a table with 'value' and 'when'")
        r.keys(spec, path, ("value", "when"), ("value",))
        when = r.when(spec, path)
        with r.within(when):
            out.append((kind, r.template(r.text(spec, "value", path), path + ("value",)), when))
    return tuple(out)


def _read_managed(r: _Reader, m: Mapping[str, Any], path: tuple[str | int, ...]) -> ManagedAttachment:
    r.keys(m, path, ("name", "arn", "why", "when"))
    name = r.get(m, "name", path, str)
    arn = r.get(m, "arn", path, str)
    if (name is None) == (arn is None):
        raise r.error(path, "give either 'name' (a managed policy xraybuilder ships) or 'arn'")
    if name is not None and managed_policy(name) is None:
        from xraybuilder.core.managed import managed_policies

        raise r.error(path + ("name",), f"unknown managed policy {name!r}"
                      f"{_suggest(name, managed_policies())}; for other AWS managed policies give 'arn'")
    when = r.when(m, path)
    if arn is not None:
        with r.within(when):
            r.template(arn, path + ("arn",))
        if not re.fullmatch(r"arn:\{partition\}:iam::aws:policy/[\w+=,.@/-]+", arn, re.ASCII):
            raise r.error(path + ("arn",), "must look like arn:{partition}:iam::aws:policy/NAME")
    return ManagedAttachment(name, arn, r.get(m, "why", path, str, ""), when)


def _read_key_policy(r: _Reader, k: Mapping[str, Any], path: tuple[str | int, ...]) -> KeyPolicyStatementSpec:
    r.keys(k, path, ("sid", "principals", "actions", "resources", "condition", "when"),
           ("sid", "principals", "actions"))
    sid = r.text(k, "sid", path)
    if not _SID.fullmatch(sid):
        raise r.error(path + ("sid",), f"{sid!r}: a Sid holds only letters and digits")
    actions = r.strings(k, "actions", path)
    _check_actions(r, actions, path + ("actions",))
    when = r.when(k, path)
    with r.within(when):
        principals = tuple(r.template(v, path + ("principals",))
                           for v in r.strings(k, "principals", path))
        resources = tuple(r.template(v, path + ("resources",)) for v in r.strings(k, "resources", path))
        conditions = _read_conditions(r, k, path, actions)
    if not principals or not actions:
        raise r.error(path, "give at least one principal and one action")
    return KeyPolicyStatementSpec(sid, principals, actions, resources or ("*",), conditions, when)


def _read_snippet(r: _Reader, s: Mapping[str, Any], path: tuple[str | int, ...]) -> SnippetSpec:
    r.keys(s, path, ("id", "title", "kind", "file", "template", "profile", "region", "language", "when"),
           ("id", "title", "kind", "file"))
    kind = r.text(s, "kind", path)
    if kind not in SNIPPET_KINDS:
        raise r.error(path + ("kind",), f"unknown snippet kind {kind!r}; use {', '.join(SNIPPET_KINDS)}")
    when = r.when(s, path)
    with r.within(when):
        spec = SnippetSpec(
            id=r.text(s, "id", path), title=r.template(r.text(s, "title", path), path + ("title",)),
            kind=kind, file=r.template(r.text(s, "file", path), path + ("file",)),
            template=r.template(r.text(s, "template", path, ""), path + ("template",)),
            profile=r.template(r.text(s, "profile", path, ""), path + ("profile",)),
            region=r.template(r.text(s, "region", path, ""), path + ("region",)),
            language=r.text(s, "language", path, "ini" if kind != "text" else "text"), when=when,
        )
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", _PLACEHOLDER.sub("x", spec.file)):
        raise r.error(path + ("file",), "a plain file name: letters, digits, _ . - (no folders)")
    if kind == "text" and not spec.template:
        raise r.error(path, "a text snippet needs a 'template'")
    if kind != "text" and not spec.profile:
        raise r.error(path, f"an {kind} snippet needs a 'profile'")
    if kind == "aws-config" and not spec.region:
        raise r.error(path, "an aws-config snippet needs a 'region'")
    return spec


def _read_note(r: _Reader, n: Mapping[str, Any], path: tuple[str | int, ...]) -> NoteSpec:
    r.keys(n, path, ("text", "when"), ("text",))
    when = r.when(n, path)
    with r.within(when):
        return NoteSpec(r.template(r.text(n, "text", path), path + ("text",)), when)


def _read_expectations(r: _Reader, raw: Mapping[str, Any]) -> tuple[ExpectationSpec, ...]:
    r.keys(raw, ("expect",), ("allowed", "denied"))
    out = []
    for outcome in ("allowed", "denied"):
        for i, e in enumerate(r.tables(raw, outcome, ("expect",))):
            path: tuple[str | int, ...] = ("expect", outcome, i)
            r.keys(e, path, ("action", "resource", "request_tags", "resource_tags", "context", "why",
                             "when"), ("action",))
            action = r.text(e, "action", path)
            _check_action(r, action, path + ("action",))
            when = r.when(e, path)
            pairs = {}
            with r.within(when):
                for table in ("request_tags", "resource_tags", "context"):
                    t = r.get(e, table, path, dict, {})
                    for key, value in t.items():
                        if not isinstance(value, str):
                            raise r.error(path + (table, key), f"must be a string, not {_type_name(value)}")
                        r.template(key, path + (table, key))
                        r.template(value, path + (table, key))
                    pairs[table] = tuple(t.items())
                resource = r.template(r.text(e, "resource", path, "*"), path + ("resource",))
            out.append(ExpectationSpec(
                allowed=outcome == "allowed", action=action, resource=resource,
                request_tags=pairs["request_tags"], resource_tags=pairs["resource_tags"],
                context=pairs["context"], why=r.text(e, "why", path, ""), when=when,
            ))
    return tuple(out)


def _read_baseline(r: _Reader, data: Mapping[str, Any]) -> tuple[str, ...]:
    baseline = r.strings(data, "baseline", ())
    for i, name in enumerate(baseline):
        if managed_policy(name) is None:
            raise r.error(("baseline", i), f"unknown managed policy {name!r}")
    return baseline


# --------------------------------------------------------------------------- loading


@cache
def service_principals() -> dict[str, dict[str, str]]:
    """Service principal per partition: ``{"ec2": {"default": …, "aws-cn": …}}``."""
    text = resources.files("xraybuilder.presets").joinpath(SERVICE_PRINCIPALS_FILE).read_text("utf-8")
    return {k: dict(v) for k, v in tomllib.loads(text).items()}


def service_principal(service: str, partition: str) -> str:
    """The principal a trust policy names for ``service`` in ``partition``."""
    if "." in service:
        return service
    table = service_principals()[service]
    return table.get(partition, table["default"])


def config_dir() -> Path:
    """The user config dir: ``$XRAYBUILDER_CONFIG_DIR`` or the platform's own."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("xraybuilder"))


def user_presets_dir() -> Path:
    return config_dir() / "presets"


@dataclass(frozen=True)
class Library:
    """Every preset that loaded, and an error for each file that did not."""

    presets: Mapping[str, Preset]
    errors: tuple[PresetError, ...] = ()
    warnings: tuple[str, ...] = ()

    def get(self, preset_id: str) -> Preset:
        """The preset with this id; UnknownPreset (with a suggestion) otherwise."""
        try:
            return self.presets[preset_id]
        except KeyError:
            raise UnknownPreset(preset_id, self.presets) from None

    def ordered(self) -> list[Preset]:
        """Shipped presets in their intended order, then user presets by id."""
        return sorted(self.presets.values(), key=lambda p: (not p.shipped, p.order, p.id))


@cache
def _shipped() -> tuple[tuple[Preset, ...], tuple[PresetError, ...]]:
    found: list[Preset] = []
    errors: list[PresetError] = []
    folder = resources.files("xraybuilder.presets")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml") or entry.name.startswith("_"):
            continue
        try:
            found.append(_read_preset(f"presets/{entry.name}", entry.read_text("utf-8"), shipped=True))
        except PresetError as err:
            errors.append(err)
    return tuple(found), tuple(errors)


_USER_CACHE: dict[Path, tuple[tuple[int, int], Preset | PresetError]] = {}


def _read_user_file(path: Path) -> Preset | PresetError:
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        hit = _USER_CACHE.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = path.read_bytes()
    except OSError as err:
        return PresetError(str(path), f"cannot read the file: {err.strerror or err}")
    try:
        text = data.decode("utf-8")
        result: Preset | PresetError = _read_preset(str(path), text, shipped=False)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        result = PresetError(str(path), "the file is not UTF-8 text", line=line)
    except PresetError as err:
        result = err
    _USER_CACHE[path] = (stamp, result)
    return result


def load_library(user_dir: Path | None = None, *, include_user: bool = True) -> Library:
    """Shipped presets plus the user's; a user preset with a shipped id replaces it."""
    shipped, errors = _shipped()
    presets = {p.id: p for p in shipped}
    all_errors = list(errors)
    warnings: list[str] = []
    folder = user_presets_dir() if user_dir is None else user_dir
    user_ids: dict[str, str] = {}
    if include_user and folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            result = _read_user_file(path)
            if isinstance(result, PresetError):
                all_errors.append(result)
                continue
            if result.id in user_ids:
                all_errors.append(PresetError(str(path), f"the id {result.id!r} is already used by "
                                              f"{user_ids[result.id]}", key="id", line=_id_line(path)))
                continue
            if result.id in presets:
                warnings.append(f"{path}: replaces the shipped preset {result.id!r}")
            user_ids[result.id] = str(path)
            presets[result.id] = result
    return Library(presets, tuple(all_errors), tuple(warnings))


def _id_line(path: Path) -> int | None:
    try:
        return _key_lines(path.read_text("utf-8")).get(("id",))
    except (OSError, UnicodeDecodeError):
        return None


def get_preset(preset_id: str) -> Preset:
    """A preset by id from the shipped and user presets; UnknownPreset otherwise."""
    return load_library().get(preset_id)


def read_preset_file(path: Path) -> Preset:
    """Read one preset file, raising PresetError when it is broken."""
    result = _read_user_file(path)
    if isinstance(result, PresetError):
        raise result
    return result
