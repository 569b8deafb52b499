"""The preset model: a preset and its parts as read from TOML, and the errors around them.

Specs hold templates (``arn:{partition}:…``) and ``when`` conditions on parameter values;
:mod:`xraybuilder.core.bundle` fills them in. Nothing here reads files.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from xraybuilder.core import catalog

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
    """``missing``, ``unknown``, ``empty`` or ``invalid``."""
    parts: tuple[tuple[str, str, int, int], ...] = ()
    """Every problem found in the value as typed, as (level, message, start, end), when the
    checker can place them (ARNs): ``message`` leads with the first error only."""

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
            lines.append(
                f"{self.preset_id}: missing required parameter"
                f"{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
            )
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
        return f"unknown scenario {self.preset_id!r}.{hint} Known scenarios: {', '.join(self.known)}."


When = tuple[tuple[str, tuple[str | bool, ...]], ...]
"""``((param, (allowed values…)), …)``: holds when every named parameter has an allowed value."""


def holds(when: When, values: Mapping[str, Value]) -> bool:
    """Whether a ``when`` condition is met by resolved parameter values."""
    return all(name in values and values[name] in allowed for name, allowed in when)


def when_text(when: When) -> str:
    """``daemon = sidecar and policy = custom or managed``; empty for "always"."""
    return " and ".join(f"{name} = {' or '.join(_plain(v) for v in allowed)}" for name, allowed in when)


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
            parts.append(
                "scoped to " + " or ".join("'*' only" if t == "none" else t for t in self.resource_types)
            )
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
        raise PresetError(self.source, "no [[principal]] applies to these parameter values", key="principal")
