"""Deciding a request under several identity policies, the way IAM does.

IAM's evaluation logic for identity-based policies within one account: every statement
of every attached policy is checked; a matching ``Deny`` anywhere wins (explicit deny);
otherwise a matching ``Allow`` anywhere allows; otherwise the request is implicitly
denied. Statement and policy order never matter.

The resource a request is checked against follows what AWS sends for each action:

* an action the catalog lists as taking ``"*"`` only (no resource-level permissions,
  e.g. ``xray:PutTraceSegments``) is always authorized against ``*``: a resource ARN
  given with the request is replaced by ``*`` (with a note), and only Resource entries
  that match ``*`` (in practice ``"*"`` itself) apply, so a statement scoped to a group
  ARN never grants or denies it;
* an action with resource-level permissions (``xray:GetGroup``) is checked against the
  ARN given; without one it is checked against ``*`` with a note, since AWS would always
  name the group or sampling rule;
* an action the catalog does not know is checked against the resource as given.
"""

from __future__ import annotations

from collections.abc import Iterable

from xraybuilder.core.evaluate.decision import Decision, Outcome, StatementResult
from xraybuilder.core.evaluate.request import Request
from xraybuilder.core.evaluate.statement import compile_policy
from xraybuilder.core.policy.model import Policy

PolicyInput = Policy | tuple[str, Policy]


def request_resource(request: Request) -> tuple[str, bool, list[str]]:
    """The resource AWS would authorize the request against, whether the action takes
    ``*`` only, and notes on any difference from what was asked."""
    from xraybuilder.core import catalog

    notes: list[str] = []
    act = catalog.action(request.action)
    if act is None:
        prefix = request.action.partition(":")[0].lower()
        if prefix in catalog.all_service_prefixes():
            notes.append(
                f"{request.action} is not an action the catalog knows for {prefix}; "
                "the resource is taken as given"
            )
        return request.resource, False, notes
    if not act.resource_level:
        if request.resource != "*":
            notes.append(
                f"{act.full_name} does not support resource-level permissions: AWS "
                f'authorizes it against "*", not {request.resource}, so only '
                'statements whose Resource matches "*" apply'
            )
        return "*", True, notes
    kinds = " or ".join(rt.resource_type for rt in act.resource_types)
    if request.resource == "*":
        notes.append(
            f"{act.full_name} acts on a {kinds}; AWS always checks it against that "
            "resource's ARN, so give the ARN to test statements scoped to it"
        )
        return "*", False, notes
    svc = catalog.service(act.service)
    if svc is not None:
        known = [
            svc.resource_types[rt.resource_type]
            for rt in act.resource_types
            if rt.resource_type in svc.resource_types
        ]
        if known and not any(rt.arn_regex.fullmatch(request.resource) for rt in known):
            notes.append(f"{request.resource} is not a {kinds} ARN, the resource {act.full_name} acts on")
    return request.resource, False, notes


def _named(policies: Iterable[PolicyInput]) -> list[tuple[str, Policy]]:
    out: list[tuple[str, Policy]] = []
    for i, item in enumerate(policies):
        if isinstance(item, Policy):
            out.append((f"policy {i + 1}", item))
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], Policy)
        ):
            out.append(item)
        else:
            raise TypeError(
                f"policy {i + 1}: expected a Policy or a (name, Policy) pair, got {type(item).__name__}"
            )
    return out


def evaluate(policies: Iterable[PolicyInput], request: Request) -> Decision:
    """Decide ``request`` under identity ``policies`` (Policy or (name, Policy) items)."""
    named = _named(policies)
    resource, star_only, notes = request_resource(request)
    results: list[StatementResult] = []
    for policy_index, (name, policy) in enumerate(named):
        compiled = compile_policy(policy)
        notes.extend(f"{name} {note}" for note in compiled.notes)
        for st in compiled.statements:
            matched, details = st.match(request, resource, star_only)
            reason = "; ".join(details) if matched else details[-1]
            results.append(
                StatementResult(
                    policy_index,
                    name,
                    st.index,
                    st.sid,
                    st.effect,
                    matched,
                    reason,
                    details,
                )
            )
    denies = tuple(r for r in results if r.matched and r.effect == "Deny")
    allows = tuple(r for r in results if r.matched and r.effect == "Allow")
    outcome: Outcome
    if denies:
        outcome, deciding = "explicit_deny", denies
    elif allows:
        outcome, deciding = "allowed", allows
    else:
        outcome, deciding = "implicit_deny", ()
    return Decision(outcome, request, resource, deciding, tuple(results), tuple(notes))
