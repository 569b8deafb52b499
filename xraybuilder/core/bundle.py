"""What a scenario produces: ``build(preset_id, params) -> Bundle``.

A Bundle holds everything needed to set a scenario up: the identity policy (or the
managed policies to attach instead), the trust policy of a role, the names of the IAM
objects, KMS key-policy statements, snippets for ``~/.aws`` files and shell, human
notes, and the requests the result must allow or deny. Building is pure and fast
(presets are read once, catalog queries run when the preset loads), so a form can
rebuild on every keystroke.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xraybuilder.core import credentials
from xraybuilder.core.managed import managed_policy
from xraybuilder.core.policy.model import Condition, ConditionValue, Policy, Statement
from xraybuilder.core.scenarios import (
    BuildError,
    ConditionSpec,
    Preset,
    PresetError,
    Resolution,
    Value,
    builtin_values,
    fill,
    fill_list,
    get_preset,
    holds,
    resolve,
    service_principal,
    value_text,
)

POLICY_VERSION = "2012-10-17"
JSON_KEYS = (
    "preset",
    "principal",
    "parameters",
    "identity_policy",
    "trust_policy",
    "managed_policy_arns",
    "kms_key_policy_statements",
    "instance_profile",
    "names",
    "notes",
    "snippets",
    "lint_target",
)


@dataclass(frozen=True)
class Snippet:
    """A piece of text to paste somewhere (a ``~/.aws`` file section, a shell command)."""

    id: str
    title: str
    language: str
    file: str
    """Suggested file name when the bundle is written to a folder."""
    text: str

    def to_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "file": self.file,
            "text": self.text,
        }


@dataclass(frozen=True)
class Expectation:
    """A request the built policies must allow (``allowed``) or deny."""

    allowed: bool
    action: str
    resource: str = "*"
    request_tags: Mapping[str, str] = field(default_factory=dict)
    resource_tags: Mapping[str, str] = field(default_factory=dict)
    context: Mapping[str, str] = field(default_factory=dict)
    why: str = ""

    def describe(self) -> str:
        """``xray:CreateGroup on arn:… with request tag team=x``."""
        text = f"{self.action} on {self.resource}"
        extras = [f"request tag {k}={v}" for k, v in self.request_tags.items()]
        extras += [f"resource tag {k}={v}" for k, v in self.resource_tags.items()]
        extras += [f"{k}={v}" for k, v in self.context.items()]
        return text + (f" with {', '.join(extras)}" if extras else "")


@dataclass(frozen=True)
class Bundle:
    """A built scenario."""

    preset_id: str
    principal_kind: str
    principal_label: str
    lint_target: str
    """Where the identity policy goes: ``user``, ``role`` or ``managed`` (a customer policy)."""
    parameters: Mapping[str, Value]
    identity_policy: Policy | None
    trust_policy: Policy | None
    managed_policy_arns: tuple[str, ...]
    kms_key_policy_statements: tuple[Statement, ...]
    names: Mapping[str, str]
    instance_profile: str | None
    access_keys: bool
    snippets: tuple[Snippet, ...]
    notes: tuple[str, ...]
    expectations: tuple[Expectation, ...]
    baseline: tuple[str, ...]
    """Managed policies the identity policy must stay within."""
    outside_baseline: Mapping[str, str]
    """Sid -> why that statement may go beyond the baseline."""

    def parameters_text(self) -> dict[str, str]:
        """The resolved parameters as a user would type them."""
        return {k: value_text(v) for k, v in self.parameters.items()}

    def to_json(self) -> dict[str, Any]:
        """One JSON object with stable keys (see ``JSON_KEYS``)."""
        return {
            "preset": self.preset_id,
            "principal": {
                "kind": self.principal_kind,
                "label": self.principal_label,
                "access_keys": self.access_keys,
            },
            "parameters": self.parameters_text(),
            "identity_policy": self.identity_policy.to_json() if self.identity_policy else None,
            "trust_policy": self.trust_policy.to_json() if self.trust_policy else None,
            "managed_policy_arns": list(self.managed_policy_arns),
            "kms_key_policy_statements": [s.to_json() for s in self.kms_key_policy_statements],
            "instance_profile": self.instance_profile,
            "names": dict(self.names),
            "notes": list(self.notes),
            "snippets": [s.to_json() for s in self.snippets],
            "lint_target": self.lint_target,
        }

    def files(self) -> dict[str, str]:
        """File name -> content, for writing the bundle to a folder (see ``core.export.files``)."""
        from xraybuilder.core.export.files import files

        return files(self)

    def readme(self) -> str:
        """Plain-text summary: what to create, with which names, and the notes."""
        from xraybuilder.core.export.files import readme

        return readme(self)


def build(preset: str | Preset, params: Mapping[str, str | bool] | None = None) -> Bundle:
    """Build a scenario; BuildError names every parameter that is missing or invalid."""
    spec = get_preset(preset) if isinstance(preset, str) else preset
    resolution = resolve(spec, params or {})
    if not resolution.ok:
        raise BuildError(spec.id, resolution.problems)
    return build_resolved(spec, resolution)


@dataclass(frozen=True)
class Preview:
    """A form's view of a scenario: every parameter problem, and the bundle when there are none."""

    preset: Preset
    resolution: Resolution
    bundle: Bundle | None

    @property
    def ok(self) -> bool:
        return self.bundle is not None


def preview(preset: str | Preset, params: Mapping[str, str | bool] | None = None) -> Preview:
    """Like ``build`` but never raises for bad parameters: for rebuilding on every keystroke."""
    spec = get_preset(preset) if isinstance(preset, str) else preset
    resolution = resolve(spec, params or {})
    bundle = build_resolved(spec, resolution) if resolution.ok else None
    return Preview(spec, resolution, bundle)


def build_resolved(preset: Preset, resolution: Resolution) -> Bundle:
    """Build from values already resolved (and found valid) by ``scenarios.resolve``."""
    values: dict[str, Value] = {**builtin_values(resolution.values), **resolution.values}
    partition = str(values.get("partition", "aws"))
    src = preset.source

    statements = []
    outside: dict[str, str] = {}
    for i, st in enumerate(preset.statements):
        if not holds(st.when, values):
            continue
        key = f"statement[{i}]"
        statements.append(
            Statement(
                sid=st.sid,
                effect=st.effect,
                action=st.actions,
                resource=tuple(fill_list(st.resources, values, source=src, key=key)),
                condition=_condition(st.conditions, values, src, key),
            )
        )
        if st.outside_baseline:
            outside[st.sid] = fill(st.outside_baseline, values, source=src, key=key)
    identity = Policy(tuple(statements), POLICY_VERSION) if statements else None

    principal = preset.principal_for(values)
    trust = None
    if principal.service is not None:
        trust = Policy(
            (
                Statement(
                    effect="Allow",
                    principal={"Service": service_principal(principal.service, partition)},
                    action="sts:AssumeRole",
                    condition=_condition(principal.conditions, values, src, "principal"),
                ),
            ),
            POLICY_VERSION,
        )

    managed: list[str] = []
    for m in preset.managed:
        if not holds(m.when, values):
            continue
        if m.name is not None:
            found = managed_policy(m.name)
            if found is None:  # checked on load; a stale user preset may still get here
                raise PresetError(src, f"unknown managed policy {m.name!r}", key="managed_policy")
            managed.append(found.arn(partition))
        elif m.arn is not None:
            managed.append(fill(m.arn, values, source=src, key="managed_policy"))

    key_statements = []
    for i, k in enumerate(preset.key_policy):
        if not holds(k.when, values):
            continue
        key = f"key_policy_statement[{i}]"
        principals = fill_list(k.principals, values, source=src, key=key)
        key_statements.append(
            Statement(
                sid=k.sid,
                effect="Allow",
                # Statement.to_json passes Principal through as is, so keep it JSON-shaped.
                principal={"AWS": principals[0] if len(principals) == 1 else list(principals)},
                action=k.actions[0] if len(k.actions) == 1 else k.actions,
                resource=_one_or_many(fill_list(k.resources, values, source=src, key=key)),
                condition=_condition(k.conditions, values, src, key),
            )
        )

    names: dict[str, str] = {}
    for kind, template, when in preset.names:
        if holds(when, values):
            names[kind] = fill(template, values, source=src, key=f"names.{kind}")
    if identity is None:
        names.pop("policy", None)  # nothing of our own to name
    instance_profile = names.get("instance_profile") if principal.instance_profile else None
    if instance_profile is None:
        names.pop("instance_profile", None)

    snippets = []
    by_file: dict[str, str] = {}
    for i, s in enumerate(preset.snippets):
        if not holds(s.when, values):
            continue
        key = f"snippet[{i}]"
        file = fill(s.file, values, source=src, key=key)
        text = _snippet_text(s.kind, s.template, s.profile, s.region, values, src, key)
        if file in by_file:
            # Variants can coincide (a named profile called "default"): keep one copy.
            if by_file[file] == text:
                continue
            raise PresetError(src, f"two snippets write {file} with different text", key=key)
        by_file[file] = text
        snippets.append(Snippet(s.id, fill(s.title, values, source=src, key=key), s.language, file, text))

    notes = [
        fill(n.text, values, source=src, key=f"note[{i}]")
        for i, n in enumerate(preset.notes)
        if holds(n.when, values)
    ]
    notes.extend(resolution.notes)

    expectations = []
    for i, e in enumerate(preset.expectations):
        if not holds(e.when, values):
            continue
        key = f"expect[{i}]"

        def pairs(items: tuple[tuple[str, str], ...], key: str = key) -> dict[str, str]:
            return {
                fill(k, values, source=src, key=key): fill(v, values, source=src, key=key) for k, v in items
            }

        expectations.append(
            Expectation(
                e.allowed,
                e.action,
                fill(e.resource, values, source=src, key=key),
                pairs(e.request_tags),
                pairs(e.resource_tags),
                pairs(e.context),
                e.why,
            )
        )

    return Bundle(
        preset_id=preset.id,
        principal_kind=principal.kind,
        principal_label=fill(principal.label, values, source=src, key="principal"),
        lint_target=principal.lint_target,
        parameters=dict(resolution.values),
        identity_policy=identity,
        trust_policy=trust,
        managed_policy_arns=tuple(managed),
        kms_key_policy_statements=tuple(key_statements),
        names=names,
        instance_profile=instance_profile,
        access_keys=principal.access_keys,
        snippets=tuple(snippets),
        notes=tuple(notes),
        expectations=tuple(expectations),
        baseline=preset.baseline,
        outside_baseline=outside,
    )


def _one_or_many(items: list[str]) -> str | tuple[str, ...]:
    return items[0] if len(items) == 1 else tuple(items)


def _condition(
    specs: tuple[ConditionSpec, ...], values: Mapping[str, Value], source: str, key: str
) -> Condition | None:
    out: Condition = {}
    for c in specs:
        if not holds(c.when, values):
            continue
        filled = fill_list(c.values, values, source=source, key=key)
        value: ConditionValue = filled[0] if len(filled) == 1 else tuple(filled)
        out.setdefault(c.operator, {})[fill(c.key, values, source=source, key=key)] = value
    return out or None


def _snippet_text(
    kind: str, template: str, profile: str, region: str, values: Mapping[str, Value], source: str, key: str
) -> str:
    if kind == "aws-credentials":
        return credentials.credentials_snippet(fill(profile, values, source=source, key=key))
    if kind == "aws-config":
        return credentials.config_snippet(
            fill(profile, values, source=source, key=key), fill(region, values, source=source, key=key)
        )
    return fill(template, values, source=source, key=key).lstrip("\n")


def baseline_policy(bundle: Bundle) -> Policy | None:
    """The baseline managed policies merged into one document (for ``explain.compare``)."""
    statements: list[Statement] = []
    for name in bundle.baseline:
        found = managed_policy(name)
        if found is not None:
            statements.extend(found.policy.statements)
    return Policy(tuple(statements), POLICY_VERSION) if statements else None


def within_baseline(bundle: Bundle) -> Policy | None:
    """The identity policy without the statements allowed to go beyond the baseline."""
    if bundle.identity_policy is None:
        return None
    kept = tuple(s for s in bundle.identity_policy.statements if s.sid not in bundle.outside_baseline)
    return Policy(kept, POLICY_VERSION) if kept else None


def evaluation_policies(bundle: Bundle) -> list[tuple[str, Policy]]:
    """The identity policies the principal ends up with, by name: ours plus known managed ones."""
    out: list[tuple[str, Policy]] = []
    if bundle.identity_policy is not None:
        out.append((bundle.names.get("policy", "identity policy"), bundle.identity_policy))
    for arn in bundle.managed_policy_arns:
        found = managed_policy(arn)
        if found is not None:
            out.append((found.name, found.policy))
    return out


@dataclass(frozen=True)
class ExpectationResult:
    expectation: Expectation
    outcome: str
    """The evaluator's outcome: allowed, explicit_deny or implicit_deny."""

    @property
    def holds(self) -> bool:
        return (self.outcome == "allowed") == self.expectation.allowed


def check_expectations(bundle: Bundle) -> list[ExpectationResult]:
    """Evaluate every expectation against the policies the principal ends up with."""
    from xraybuilder.core.evaluate import Request, evaluate

    policies = evaluation_policies(bundle)
    results = []
    for e in bundle.expectations:
        request = Request.build(
            e.action,
            e.resource,
            request_tags=e.request_tags,
            resource_tags=e.resource_tags,
            context=e.context,
        )
        decision = evaluate(policies, request)
        results.append(ExpectationResult(e, decision.outcome))
    return results
