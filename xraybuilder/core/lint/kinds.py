"""Lint family: kinds — the rules of trust, resource and KMS key policies, and telling them apart.

IAM's grammar is one, but what a document may hold depends on where it goes (IAM User
Guide, policy grammar notes): an identity policy has no Principal; a resource policy
(and a role's trust policy, and a KMS key policy, which are resource policies) must
name one in every statement. A trust policy has no Resource ("MalformedPolicyDocument:
Has prohibited field Resource") since its resource is the role itself, and it grants
only the sts actions that take a role. A key policy's Resource is "*", meaning the key
it is attached to, and it grants only AWS KMS actions on that key.

``detect_kind`` names the kind of a parsed document when its shape makes that clear,
and ``is_policy`` tells a policy from another JSON file (a bundle, a package manifest).
"""

from __future__ import annotations

import re
from typing import Any

from xraybuilder.core.lint.document import Document, Kind, StatementView
from xraybuilder.core.lint.finding import REMOVE, Fix, Severity
from xraybuilder.core.policy.model import POLICY_ELEMENTS

# The actions a role trust policy may allow (IAM User Guide, "Role trust policies"
# and the sts actions for session tags, source identity and context).
TRUST_ACTIONS = (
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
)
_TRUST_LOWER = tuple(a.lower() for a in TRUST_ACTIONS)
_KIND_WORDS = {
    "trust": "a role trust policy",
    "resource": "a resource policy",
    "key-policy": "a KMS key policy",
}


def is_policy(value: Any) -> bool:
    """Whether a parsed JSON value looks like a policy at all.

    An object with none of Version, Statement or Id (in any letter case) is some other
    JSON file; anything else is a policy, however broken, and gets linted.
    """
    if not isinstance(value, dict) or not value:
        return True
    names = {k.strip().lower() for k in value if isinstance(k, str)}
    return bool(names & {e.lower() for e in POLICY_ELEMENTS})


def _statements(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict):
        return []
    raw = value.get("Statement")
    items = [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    return [s for s in items if isinstance(s, dict)]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _glob(pattern: str) -> re.Pattern[str]:
    # IAM's action wildcards: * and ? only, case-insensitive.
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.I)


def is_trust_action(action: str) -> bool:
    """An action (pattern) a trust policy may allow: it names only role-taking sts actions."""
    if action.lower() in _TRUST_LOWER:
        return True
    if "*" in action or "?" in action:
        pattern = _glob(action)
        return any(pattern.fullmatch(a) for a in TRUST_ACTIONS) and action.lower().startswith("sts:")
    return False


def detect_kind(source: Any) -> Kind | None:
    """The kind of a policy when its shape makes it clear, else None (lint it as identity).

    Every statement naming a principal and only role-taking sts actions: a trust policy
    (a Resource in it is then the mistake to report). Every statement naming a principal
    and only ``kms:`` actions: KMS key-policy statements. Anything else is left to the
    caller (``--kind``): a Principal next to other actions is an identity policy's
    mistake worth reporting, not a reason to guess.
    """
    if isinstance(source, str):
        from xraybuilder.core.policy.source import parse_json

        parsed = parse_json(source)
        if not parsed.ok:
            return None
        source = parsed.value
    statements = _statements(source)
    if not statements or not all("Principal" in s or "NotPrincipal" in s for s in statements):
        return None
    actions = [a for s in statements for a in _strings(s.get("Action"))]
    if not actions or any("NotAction" in s for s in statements):
        return None
    if all(is_trust_action(a) for a in actions):
        return "trust"
    if all(a.lower().startswith("kms:") for a in actions):
        return "key-policy"
    return None


def check(doc: Document) -> None:
    """Report the rules of the document's kind (nothing for identity policies)."""
    for st in doc.statements:
        check_statement(doc, st)


def check_statement(doc: Document, st: StatementView) -> None:
    """The rules of the document's kind for one statement."""
    kind = doc.context.kind
    if kind == "identity":
        return
    _check_principal(doc, st, kind)
    if kind == "trust":
        _check_trust(doc, st)
    elif kind == "key-policy":
        _check_key_policy(doc, st)


def _check_principal(doc: Document, st: StatementView, kind: str) -> None:
    raw = st.raw
    if "Principal" not in raw and "NotPrincipal" not in raw:
        doc.report(
            "MISSING_PRINCIPAL",
            Severity.ERROR,
            f"Every statement of {_KIND_WORDS[kind]} must name who it applies to: add "
            '"Principal", such as {"Service": "ec2.amazonaws.com"} or '
            '{"AWS": "arn:aws:iam::123456789012:root"}.',
            st.path,
        )
        return
    if "NotPrincipal" in raw and kind == "trust":
        doc.report(
            "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
            Severity.ERROR,
            "A role trust policy cannot use NotPrincipal: name the principals that may take the role "
            "in Principal.",
            st.path + ("NotPrincipal",),
            on_key=True,
        )
    elif "NotPrincipal" in raw and st.effect == "Allow":
        doc.report(
            "ALLOW_WITH_NOT_PRINCIPAL",
            Severity.SECURITY_WARNING,
            "Allow with NotPrincipal allows every principal except the ones listed, including "
            "anonymous users and every other account. Name the principals in Principal instead.",
            st.path + ("NotPrincipal",),
            on_key=True,
        )
    principal = raw.get("Principal")
    everyone = principal == "*" or (isinstance(principal, dict) and "*" in _strings(principal.get("AWS")))
    if everyone and st.effect == "Allow" and "Condition" not in raw:
        doc.report(
            "PUBLIC_PRINCIPAL",
            Severity.SECURITY_WARNING,
            'Principal "*" without a Condition allows everyone: every AWS account and, for '
            "some services, anonymous callers. Name the account, role or service, or add a "
            "condition such as aws:PrincipalOrgID or aws:SourceAccount.",
            st.path + ("Principal",),
        )


def _check_trust(doc: Document, st: StatementView) -> None:
    for element in ("Resource", "NotResource"):
        if element in st.raw:
            doc.report(
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                Severity.ERROR,
                f"A role trust policy has no {element}: its resource is the role itself, and IAM "
                f'refuses the policy ("Has prohibited field {element}"). Remove it.',
                st.path + (element,),
                fix=Fix(f"Remove {element}", st.path + (element,), REMOVE),
                on_key=True,
            )
    wanted = _assume_action_for(st.raw.get("Principal"))
    for path, action in st.action_entries:
        taken = action.lower()
        if wanted is not None and taken in _ASSUME_LOWER and taken != wanted.lower():
            doc.report(
                "MISMATCHED_ACTION_FOR_PRINCIPAL",
                Severity.ERROR,
                f'"{action}" does not fit this principal: {_PRINCIPAL_WORDS[wanted]} take the role '
                f'with "{wanted}", so this statement lets nobody in.',
                path,
                fix=Fix(f'Write "{wanted}"', path, wanted),
            )
    for path, action in st.action_entries + st.not_action_entries:
        if not is_trust_action(action):
            doc.report(
                "UNSUPPORTED_ACTION_IN_TRUST_POLICY",
                Severity.ERROR,
                f'"{action}" cannot be granted by a trust policy: a trust policy says who may take '
                f"the role, with {', '.join(TRUST_ACTIONS[:3])} (and sts:TagSession, "
                "sts:SetSourceIdentity, sts:SetContext). Put other permissions in the role's "
                "identity policy.",
                path,
            )


_ASSUME = ("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")
_ASSUME_LOWER = tuple(a.lower() for a in _ASSUME)
_PRINCIPAL_WORDS = {
    "sts:AssumeRole": "AWS accounts, users, roles and services",
    "sts:AssumeRoleWithSAML": "users signed in through a SAML provider",
    "sts:AssumeRoleWithWebIdentity": "users signed in through an OIDC or web identity provider",
}


def _assume_action_for(principal: Any) -> str | None:
    """The one assume-role action a principal block calls for, when that is certain.

    AWS and Service principals use AssumeRole; a Federated SAML provider
    (``…:saml-provider/NAME``) AssumeRoleWithSAML; any other Federated principal (an OIDC
    provider, Cognito, a web identity provider) AssumeRoleWithWebIdentity. A block that
    mixes these kinds is left alone.
    """
    if not isinstance(principal, dict) or not principal:
        return None
    kinds = set(principal)
    if kinds <= {"AWS", "Service"}:
        return "sts:AssumeRole"
    if kinds == {"Federated"}:
        providers = _strings(principal["Federated"])
        if providers and all(":saml-provider/" in p for p in providers):
            return "sts:AssumeRoleWithSAML"
        if providers and not any(":saml-provider/" in p for p in providers):
            return "sts:AssumeRoleWithWebIdentity"
    return None


def _check_key_policy(doc: Document, st: StatementView) -> None:
    for path, resource in st.resource_entries:
        if resource != "*":
            doc.report(
                "KEY_POLICY_RESOURCE_NOT_STAR",
                Severity.WARNING,
                f'In a key policy, Resource is "*", meaning the key the policy is attached to; '
                f'"{resource}" names something else or repeats the key. Use "*".',
                path,
                fix=Fix('Set Resource to "*"', st.path + ("Resource",), "*"),
            )
    for path, action in st.action_entries:
        if not action.lower().startswith("kms:") and action != "*":
            doc.report(
                "KEY_POLICY_ACTION_NOT_KMS",
                Severity.WARNING,
                f'"{action}" is not an AWS KMS action: a key policy controls access to its key '
                "only, so this grants nothing. Put it in an identity policy instead.",
                path,
            )
