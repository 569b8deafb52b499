"""A bundle as files in a folder: the policies, snippets and a plain-text README.

``files(bundle)`` gives file name -> text; ``readme(bundle)`` the README that tells what
to create, with which names, and the notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from xraybuilder.core.policy.model import Statement
from xraybuilder.core.policy.render import render

if TYPE_CHECKING:
    from xraybuilder.core.bundle import Bundle


def key_policy_statements_text(statements: Sequence[Statement]) -> str:
    """KMS key-policy statements to add to a key's policy, as one JSON document."""
    return render({"Statement": [s.to_json() for s in statements]})


def files(bundle: Bundle) -> dict[str, str]:
    """File name -> content, for writing the bundle to a folder."""
    out: dict[str, str] = {}
    if bundle.identity_policy is not None:
        out["policy.json"] = render(bundle.identity_policy)
    if bundle.trust_policy is not None:
        out["trust-policy.json"] = render(bundle.trust_policy)
    if bundle.kms_key_policy_statements:
        out["kms-key-policy-statements.json"] = key_policy_statements_text(bundle.kms_key_policy_statements)
    if bundle.managed_policy_arns:
        out["managed-policy-arns.txt"] = "\n".join(bundle.managed_policy_arns) + "\n"
    for snippet in bundle.snippets:
        out[snippet.file] = snippet.text
    out["README.txt"] = readme(bundle)
    return out


def readme(bundle: Bundle) -> str:
    """Plain-text summary: what to create, with which names, and the notes."""
    lines = [f"Scenario: {bundle.preset_id} ({bundle.principal_label})", ""]
    for kind, name in bundle.names.items():
        lines.append(f"{kind.replace('_', ' ')}: {name}")
    if bundle.managed_policy_arns:
        lines.append("attach: " + ", ".join(bundle.managed_policy_arns))
    if bundle.notes:
        lines.append("")
        lines.extend(f"- {note}" for note in bundle.notes)
    return "\n".join(lines) + "\n"
