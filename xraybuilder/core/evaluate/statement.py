"""Statements read once for evaluation, and how each one matches a request.

A statement applies to a request when its Action (or NotAction), its Resource (or
NotResource) and every condition match. A statement holding a policy variable the
request cannot fill (in Resource, NotResource or a condition value) is invalid for that
request and never applies, as IAM's User Guide says of variables with no value. A
statement IAM would reject (an Effect other than ``Allow``/``Deny``, Action with
NotAction, no Resource…) never applies either; the policy notes say so.

Compiled policies are cached per Policy object, so evaluating many requests against the
same policies (the TUI's live panel) reads each policy once.
"""

from __future__ import annotations

from dataclasses import dataclass

from xraybuilder.core.evaluate.condition import CompiledCondition, compile_condition
from xraybuilder.core.evaluate.match import action_matches, resource_matches
from xraybuilder.core.evaluate.request import Request
from xraybuilder.core.evaluate.variables import (
    VARIABLES_VERSION,
    Template,
    Variable,
    parse_template,
    resolve,
    unresolvable,
)
from xraybuilder.core.policy.model import Policy, Statement

EFFECTS = ("Allow", "Deny")


@dataclass(frozen=True)
class CompiledStatement:
    """A statement ready to match requests."""

    index: int
    sid: str | None
    effect: str
    problem: str | None
    """Why IAM would reject the statement; such a statement never applies."""
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[Template, ...]
    not_resource: bool
    conditions: tuple[CompiledCondition, ...]
    variables: tuple[Variable, ...] = ()
    """Live policy variables in Resource/NotResource and condition values."""
    warnings: tuple[str, ...] = ()
    """Parts IAM would reject that make the statement narrower here (unknown operators)."""

    def match(self, request: Request, resource: str, star_only: bool) -> tuple[bool, tuple[str, ...]]:
        """Whether the statement applies, and the checks made (the last one failed if not)."""
        if self.problem is not None:
            return False, (self.problem,)
        details = [self._match_action(request.action)]
        if details[-1][0]:
            invalid = self._unresolvable(request)
            if invalid is not None:
                details.append((False, invalid))
        if details[-1][0]:
            details.append(self._match_resource(request, resource, star_only))
            if details[-1][0]:
                for condition in self.conditions:
                    details.append(condition.evaluate(request))
                    if not details[-1][0]:
                        break
        matched = all(ok for ok, _ in details)
        return matched, tuple(text for _, text in details)

    def _match_action(self, action: str) -> tuple[bool, str]:
        element = "NotAction" if self.not_action else "Action"
        hit = next((p for p in self.actions if action_matches(p, action)), None)
        if self.not_action:
            if hit is not None:
                return False, f"action {action} is excluded by NotAction ({hit})"
            return True, f"action {action} is not in NotAction, so the statement covers it"
        if hit is None:
            return False, f"action {action} is not in {element}"
        return True, f"action {action} is in {element} ({hit})"

    def _unresolvable(self, request: Request) -> str | None:
        for variable in self.variables:
            why = unresolvable(variable, request.variable)
            if why is not None:
                return f"{why}, so IAM treats the statement as invalid"
        return None

    def _match_resource(self, request: Request, resource: str, star_only: bool) -> tuple[bool, str]:
        # Every variable resolves here: _unresolvable ran first.
        hit = next(
            (t.text for t in self.resources if resource_matches(resolve(t, request.variable), resource)), None
        )
        if self.not_resource:
            if hit is not None:
                return False, f"resource {resource} is excluded by NotResource ({hit})"
            return True, f"resource {resource} is not in NotResource, so the statement covers it"
        if hit is not None:
            return True, f"resource {resource} matches Resource ({hit})"
        if star_only and resource == "*":
            return False, (
                f'{request.action} takes only "*" as its resource, and Resource lists no entry that matches *'
            )
        return False, f"resource {resource} does not match Resource"


@dataclass(frozen=True)
class CompiledPolicy:
    statements: tuple[CompiledStatement, ...]
    notes: tuple[str, ...] = ()
    """Problems that change how the policy reads, each naming its statement."""


def _problem(st: Statement) -> str | None:
    if st.effect not in EFFECTS:
        return f"Effect {st.effect!r} is neither Allow nor Deny; IAM rejects this statement"
    if st.action is not None and st.not_action is not None:
        return "the statement has both Action and NotAction; IAM rejects it"
    if st.action is None and st.not_action is None:
        return "the statement has neither Action nor NotAction; IAM rejects it"
    if st.resource is not None and st.not_resource is not None:
        return "the statement has both Resource and NotResource; IAM rejects it"
    if st.resource is None and st.not_resource is None:
        return "the statement has neither Resource nor NotResource; IAM rejects it"
    return None


def compile_statement(st: Statement, index: int, variables: bool) -> CompiledStatement:
    """Read one statement; ``variables`` is True only under Version 2012-10-17."""
    not_action = st.action is None and st.not_action is not None
    not_resource = st.resource is None and st.not_resource is not None
    resources = st.not_resources() if not_resource else st.resources()
    templates = tuple(parse_template(r, variables=variables, wildcards=True) for r in resources)
    conditions = compile_condition(st.condition, variables)
    warnings = tuple(
        f"condition operator {c.operator_name!r} is not one IAM accepts (IAM rejects the "
        "policy), so that condition never holds"
        for c in conditions
        if c.op is None
    )
    return CompiledStatement(
        index=index,
        sid=st.sid,
        effect=st.effect,
        problem=_problem(st),
        actions=st.not_actions() if not_action else st.actions(),
        not_action=not_action,
        resources=templates,
        not_resource=not_resource,
        conditions=conditions,
        variables=tuple(
            dict.fromkeys(
                [v for t in templates for v in t.variables] + [v for c in conditions for v in c.variables]
            )
        ),
        warnings=warnings,
    )


# A Policy is frozen, so its compiled form is kept on the object itself: it lives and
# dies with the policy, and no table keyed by object identity has to be kept in step.
_COMPILED = "_compiled_for_evaluation"


def compile_policy(policy: Policy) -> CompiledPolicy:
    """The compiled form of ``policy``, cached for as long as the Policy object lives."""
    cached = policy.__dict__.get(_COMPILED)
    if isinstance(cached, CompiledPolicy):
        return cached
    variables = policy.version == VARIABLES_VERSION
    statements = tuple(compile_statement(st, i, variables) for i, st in enumerate(policy.statements))
    notes: list[str] = []
    for st, compiled_st in zip(policy.statements, statements, strict=True):
        where = f"Statement[{compiled_st.index}]"
        if compiled_st.problem is not None:
            notes.append(f"{where}: {compiled_st.problem}, so it is ignored")
        notes.extend(f"{where}: {w}" for w in compiled_st.warnings)
        if st.principal is not None or st.not_principal is not None:
            notes.append(
                f"{where}: an identity policy has no Principal (IAM rejects it there); it is ignored here"
            )
        if not variables and "${" in str(st.to_json()):
            shown = policy.version or "missing"
            notes.append(
                f"{where}: Version is {shown}, so ${{…}} is literal text, not a policy "
                "variable (variables need Version 2012-10-17)"
            )
    compiled = CompiledPolicy(statements, tuple(notes))
    # Two threads may both compile; either result is the same, so the last write wins.
    object.__setattr__(policy, _COMPILED, compiled)
    return compiled
