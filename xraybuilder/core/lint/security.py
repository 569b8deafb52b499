"""Lint family: security — Allow statements that grant more than they seem to.

Reported as security warnings: X-Ray's permissions-management action
(``xray:PutEncryptionConfig``, found by access level in the catalog) granted broadly,
``NotAction`` or ``NotResource`` with Allow, ``iam:PassRole`` on any role (the Access
Analyzer ``PASS_ROLE_*`` checks), ``kms:CreateGrant`` on any key, and every action on
every resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from xraybuilder.core import arn, catalog, patterns
from xraybuilder.core.lint.document import Document, StatementView
from xraybuilder.core.lint.finding import Fix, Severity
from xraybuilder.core.policy.source import Path

SECURITY_WARNING = Severity.SECURITY_WARNING

PASS_ROLE = "iam:PassRole"
_PASSED_TO_SERVICE = "iam:passedtoservice"
CREATE_GRANT = "kms:CreateGrant"
# Conditions that keep a grant to what an AWS service does for the caller (the AWS KMS
# Developer Guide's advice for kms:CreateGrant in IAM policies).
_GRANT_SCOPES = ("kms:viaservice", "kms:grantisforawsresource")


@lru_cache(maxsize=64)
def _permissions_management_of(prefix: str) -> tuple[str, ...]:
    """Actions of one held service whose access level is Permissions management.

    ``iam:PassRole`` has codes of its own (the ``PASS_ROLE_*`` family), so it is left out.
    """
    return tuple(
        a.full_name
        for a in catalog.actions_by_access_level(prefix, "Permissions management")
        if a.full_name != PASS_ROLE
    )


def _permissions_management(facts: _Facts) -> Iterator[str]:
    """The Permissions-management actions of the held services this statement can reach.

    Only the services its Action entries name are read, so linting an X-Ray policy does not
    load the S3, IAM and KMS catalogs (start-up time of ``xraybuilder lint``).
    """
    held = catalog.service_prefixes()
    if facts.not_actions is not None:
        reached: Iterable[str] = held
    else:
        services = {text.partition(":")[0].lower() for text in facts.actions or ()}
        reached = [p for p in held if any(patterns.matches(s, p, ignore_case=True) for s in services)]
    for prefix in reached:
        yield from _permissions_management_of(prefix)


@lru_cache(maxsize=4096)
def _matches(pattern: str, action: str) -> bool:
    """Whether an Action entry matches a full action name (case-insensitive wildcards)."""
    return patterns.action_matches(pattern.lower(), action.lower())


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


class _Facts(NamedTuple):
    """What the checks read from one statement; hashable, so results are cached."""

    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    has_condition: bool
    passed_to_service: bool
    grant_scoped: bool


# A finding: (code, message, where). ``where`` is ("Action", i) for an Action entry,
# or the name of an element whose key the finding points at.
_Record = tuple[str, str, tuple[str, int] | str]


def check(doc: Document) -> None:
    """Report security warnings for every Allow statement, and MFA conditions that misfire."""
    for st in doc.statements:
        check_statement(doc, st)


def check_statement(doc: Document, st: StatementView) -> None:
    """Report security warnings for one statement."""
    _check_mfa(doc, st)
    if st.effect != "Allow":
        return
    raw = st.raw
    facts = _Facts(
        _texts(st.action_entries) if "Action" in raw else None,
        _texts(st.not_action_entries) if "NotAction" in raw else None,
        _texts(st.resource_entries) if "Resource" in raw else None,
        _texts(st.not_resource_entries) if "NotResource" in raw else None,
        isinstance(raw.get("Condition"), dict) and bool(raw["Condition"]),
        _has_key(raw.get("Condition"), (_PASSED_TO_SERVICE,)),
        _has_key(raw.get("Condition"), _GRANT_SCOPES),
    )
    for code, message, where in _records(facts):
        if isinstance(where, tuple):
            doc.report(code, SECURITY_WARNING, message, st.action_entries[where[1]][0])
        else:
            doc.report(code, SECURITY_WARNING, message, st.path + (where,), on_key=True)


def _texts(entries: list[tuple[Path, str]]) -> tuple[str, ...]:
    return tuple(text for _, text in entries)


@lru_cache(maxsize=4096)
def _records(facts: _Facts) -> tuple[_Record, ...]:
    # A statement with both Action and NotAction (or Resource and NotResource) is
    # rejected by IAM; the grammar family says so, and what it "grants" is moot.
    if (facts.actions is None) == (facts.not_actions is None) or (facts.resources is None) == (
        facts.not_resources is None
    ):
        return ()
    out: list[_Record] = []
    star_on_star = _check_star_on_star(out, facts)
    _check_not_elements(out, facts)
    _check_pass_role(out, facts)
    if not star_on_star:  # full administrator access already says it all
        granting = len(out)
        _check_create_grant(out, facts)
        skip = frozenset({CREATE_GRANT}) if len(out) > granting else frozenset()
        _check_permissions_management(out, facts, skip)
    return tuple(out)


def _all_resources(facts: _Facts) -> bool:
    return facts.resources is not None and "*" in facts.resources


def _check_star_on_star(out: list[_Record], facts: _Facts) -> bool:
    if facts.actions is None or "*" not in facts.actions or not _all_resources(facts):
        return False
    out.append(
        (
            "ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES",
            "This statement allows every action of every AWS service on every resource: full "
            "administrator access, including changing IAM permissions and X-Ray encryption. "
            "List the X-Ray actions this identity needs instead.",
            ("Action", facts.actions.index("*")),
        )
    )
    return True


def _check_not_elements(out: list[_Record], facts: _Facts) -> None:
    if facts.not_actions is not None:
        excluded = ", ".join(facts.not_actions) or "nothing"
        out.append(
            (
                "ALLOW_WITH_NOT_ACTION",
                f"Allow with NotAction grants every action of every AWS service except "
                f"{excluded}, including IAM and actions AWS adds later, on the statement's "
                "resources. List the actions to allow in Action instead.",
                "NotAction",
            )
        )
    if facts.not_resources is not None:
        excluded = ", ".join(facts.not_resources) or "nothing"
        out.append(
            (
                "ALLOW_WITH_NOT_RESOURCE",
                f"Allow with NotResource grants the actions on every resource except "
                f"{excluded}: in every account, Region and service, including resources "
                "created later. List the resources to allow in Resource instead.",
                "NotResource",
            )
        )


def _granted_by(facts: _Facts, action: str) -> tuple[str, tuple[str, int] | str] | None:
    """How the statement grants ``action``: ("named"|"wildcard"|"notaction", where) or None."""
    if facts.not_actions is not None:
        if any(_matches(text, action) for text in facts.not_actions):
            return None
        return "notaction", "NotAction"
    actions = facts.actions or ()
    for kind, wanted in (("named", False), ("wildcard", True)):
        for i, text in enumerate(actions):
            if _has_wildcard(text) == wanted and _matches(text, action):
                return kind, ("Action", i)
    return None


def _reaches_star(facts: _Facts) -> bool:
    """Whether an action that takes only "*" as its resource is granted here."""
    if facts.not_resources is not None:
        return "*" not in facts.not_resources
    return _all_resources(facts)


def _broad_resource(text: str) -> bool:
    """``*``, or an ARN whose resource part names every resource of a type (``key/*``, ``*``)."""
    if text == "*":
        return True
    fields = text.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return False
    return _BROAD_PART.fullmatch(fields[5]) is not None


_BROAD_PART = re.compile(r"(?:[A-Za-z0-9_-]+[/:])?\*")


def _reaches_broadly(facts: _Facts, action: str) -> bool:
    """Whether the statement grants ``action`` on every resource it can take (of some type)."""
    if facts.not_resources is not None:
        return "*" not in facts.not_resources
    return any(_broad_for(text, action) for text in facts.resources or ())


@lru_cache(maxsize=4096)
def _broad_for(text: str, action: str) -> bool:
    if text == "*":
        return True
    if not _broad_resource(text):
        return False
    found = catalog.action(action)
    if found is None:
        return False
    wanted = {(found.service, r.resource_type) for r in found.resource_types}
    return any((t.service, t.name) in wanted for t in arn.resource_types_for(text))


def _names_list(names: list[str]) -> str:
    shown = names[:_NAMES_SHOWN]
    more = len(names) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


_NAMES_SHOWN = 4


def _check_permissions_management(out: list[_Record], facts: _Facts, skip: frozenset[str]) -> None:
    # One finding per Action entry (or for NotAction), naming the actions it grants.
    by_where: dict[tuple[str, int] | str, tuple[str, list[str]]] = {}
    for action in _permissions_management(facts):
        if action in skip or not _reaches_broadly(facts, action):
            continue
        granted = _granted_by(facts, action)
        if granted is None:
            continue
        how, where = granted
        if how == "named" and facts.has_condition:
            continue
        by_where.setdefault(where, (how, []))[1].append(action)
    for where, (how, actions) in by_where.items():
        names = _names_list(actions)
        services = {a.partition(":")[0].lower() for a in actions}
        if [a.lower() for a in actions] == ["xray:putencryptionconfig"]:
            what = "change or turn off the encryption of all X-Ray trace data (the KMS key it uses)"
        else:
            what = (
                "change who can use these resources (their policies, ACLs, grants or credentials), "
                "themselves included"
            )
        if how == "wildcard" and isinstance(where, tuple) and facts.actions is not None:
            reason = f'"{facts.actions[where[1]]}" includes {names}'
            advice = (
                f"List the X-Ray actions you need without {names}"
                if services == {"xray"}
                else "List the actions you need in Action instead"
            )
        elif how == "notaction":
            them = "it" if len(actions) == 1 else "them"
            reason = f"NotAction does not exclude {names}, so this statement grants {them}"
            advice = f"Add {names} to NotAction, or list the actions you need in Action"
        else:
            broad = [t for t in facts.resources or () if _broad_for(t, actions[0])]
            on = f' on every resource ("{broad[0]}")' if broad and broad[0] != "*" else ""
            reason = f"{names} is granted{on} without any condition"
            advice = (
                "Grant it only to the people who manage access, on the resources they manage, and "
                "consider a condition such as aws:MultiFactorAuthPresent"
            )
        out.append(
            ("PERMISSIONS_MANAGEMENT_ACTION", f"{reason}: whoever holds it can {what}. {advice}.", where)
        )


def _role_wildcard(text: str) -> bool:
    """A Resource entry that names every role of an account (or more)."""
    if text == "*":
        return True
    fields = text.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return False
    return fields[5] in ("*", "role/*", "role*") and fields[2] in ("iam", "*")


def _check_pass_role(out: list[_Record], facts: _Facts) -> None:
    granted = _granted_by(facts, PASS_ROLE)
    if granted is None:
        return
    how, where = granted
    if facts.not_resources is not None:
        if "*" in facts.not_resources:
            return
        code = {
            "named": "PASS_ROLE_WITH_NOT_RESOURCE",
            "wildcard": "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
            "notaction": "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        }[how]
        scope = "every role except those NotResource lists"
        advice = "List the roles in Resource instead"
    else:
        broad = [text for text in facts.resources or () if _role_wildcard(text)]
        if not broad or facts.passed_to_service:
            return
        code = {
            "named": "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "wildcard": "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
            "notaction": "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
        }[how]
        scope = f'every role ("{broad[0]}")'
        advice = (
            "Name the role ARNs in Resource, or add a condition on iam:PassedToService "
            '(for example {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}})'
        )
    via = {"named": "", "wildcard": " through a wildcard action", "notaction": " through NotAction"}[how]
    out.append(
        (
            code,
            f"This statement allows iam:PassRole{via} on {scope}: whoever holds it can hand "
            "any of those roles, and their permissions, to an AWS service. " + advice + ".",
            where,
        )
    )


def _key_wildcard(text: str) -> bool:
    """A Resource entry that names every KMS key of an account (or more)."""
    if text == "*":
        return True
    fields = text.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn":
        return False
    return fields[5] in ("*", "key/*", "key*") and fields[2] in ("kms", "*")


def _check_create_grant(out: list[_Record], facts: _Facts) -> None:
    if facts.not_resources is not None or facts.grant_scoped:
        return
    broad = [text for text in facts.resources or () if _key_wildcard(text)]
    granted = _granted_by(facts, CREATE_GRANT) if broad else None
    if granted is None:
        return
    how, where = granted
    via = {"named": "", "wildcard": " through a wildcard action", "notaction": " through NotAction"}[how]
    out.append(
        (
            "CREATE_GRANT_ON_ALL_KEYS",
            f'This statement allows {CREATE_GRANT}{via} on every KMS key ("{broad[0]}"): whoever '
            "holds it can grant any principal, themselves included, the use of any key whose key "
            "policy defers to IAM, and so read what those keys protect. Name the key ARN in "
            "Resource, or add a condition on kms:ViaService (for X-Ray, "
            '{"StringEquals": {"kms:ViaService": "xray.REGION.amazonaws.com"}}).',
            where,
        )
    )


def _has_key(block: Any, lowered_keys: tuple[str, ...]) -> bool:
    """Whether a Condition block tests any of these condition keys (given lower-case)."""
    if not isinstance(block, dict):
        return False
    return any(
        isinstance(keys, dict) and any(k.lower() in lowered_keys for k in keys) for keys in block.values()
    )


_MFA = "aws:multifactorauthpresent"
_BOOL = ("bool", "boolifexists")


def _check_mfa(doc: Document, st: StatementView) -> None:
    """``aws:MultiFactorAuthPresent`` tested against "false": an Allow that grants only
    without MFA, or a Deny that long-term access keys, which never carry the key, escape."""
    block = st.raw.get("Condition")
    if not isinstance(block, dict) or st.effect not in ("Allow", "Deny"):
        return
    for op, keys in block.items():
        if op.lower() not in _BOOL or not isinstance(keys, dict):
            continue
        for key, raw in keys.items():
            if key.lower() == _MFA:
                _check_mfa_entry(doc, st, block, op, key, raw)


def _check_mfa_entry(
    doc: Document, st: StatementView, block: dict[str, Any], op: str, key: str, raw: Any
) -> None:
    path = st.path + ("Condition", op, key)
    values = [(path + (i,), v) for i, v in enumerate(raw)] if isinstance(raw, list) else [(path, raw)]
    if not values or not all(isinstance(v, str | bool) and str(v).lower() == "false" for _, v in values):
        return
    if st.effect == "Allow":
        doc.report(
            "ALLOW_WITHOUT_MFA",
            SECURITY_WARNING,
            f"This Allow applies only when aws:MultiFactorAuthPresent is false{_absent(op)}: it "
            "grants the actions to sessions without MFA, and not to those with it. To require "
            f'MFA, test for "true": {{"Bool": {{"{key}": "true"}}}}; to refuse sessions without '
            'MFA, put "false" in a Deny with BoolIfExists.',
            path,
            on_key=True,
            fix=Fix('Require MFA: test for "true"', values[0][0], "true") if len(values) == 1 else None,
        )
    elif op.lower() == "bool":
        lone = isinstance(block.get(op), dict) and len(block[op]) == 1
        others = any(k.lower() == "boolifexists" for k in block)
        op_path = st.path + ("Condition", op)
        doc.report(
            "DENY_MFA_WITHOUT_IF_EXISTS",
            SECURITY_WARNING,
            "Requests signed with long-term access keys carry no aws:MultiFactorAuthPresent, and "
            f'Bool never matches a missing key, so this Deny never applies to them: "{key}": '
            '"false" catches only temporary credentials without MFA. To deny every request '
            'without MFA, use BoolIfExists: {"BoolIfExists": {"' + key + '": "false"}}.',
            path,
            on_key=True,
            fix=Fix("Use BoolIfExists", op_path, new_key="BoolIfExists") if lone and not others else None,
        )


def _absent(op: str) -> str:
    return " or absent (long-term access keys)" if op.lower() == "boolifexists" else ""
