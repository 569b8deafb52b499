"""The JSON export: each document on its own, pretty (2 spaces) or compact.

``--print`` shows the whole bundle as one JSON object; ``--out`` writes each document to
its own file (policy.json, trust-policy.json, kms-key-policy-statements.json) beside the
snippets and a README.
"""

from __future__ import annotations

import json
from typing import Any

from xraybuilder.core.bundle import Bundle
from xraybuilder.core.export.objects import key_policy_document
from xraybuilder.core.policy.render import render as render_policy

POLICY_FILE = "policy.json"
TRUST_FILE = "trust-policy.json"
KEY_STATEMENTS_FILE = "kms-key-policy-statements.json"


def documents(bundle: Bundle) -> dict[str, dict[str, Any]]:
    """File name -> JSON document, for the documents the bundle has."""
    out: dict[str, dict[str, Any]] = {}
    if bundle.identity_policy is not None:
        out[POLICY_FILE] = bundle.identity_policy.to_json()
    if bundle.trust_policy is not None:
        out[TRUST_FILE] = bundle.trust_policy.to_json()
    if bundle.kms_key_policy_statements:
        statements = tuple(s.to_json() for s in bundle.kms_key_policy_statements)
        out[KEY_STATEMENTS_FILE] = key_policy_document(statements)
    return out


def document_texts(bundle: Bundle, *, compact: bool = False) -> dict[str, str]:
    """File name -> text of each document: pretty with 2 spaces, or compact on one line."""
    return {name: render_policy(doc, compact=compact) for name, doc in documents(bundle).items()}


def render(bundle: Bundle) -> str:
    """The whole bundle as one JSON object (stable keys, see ``core.bundle.JSON_KEYS``)."""
    return json.dumps(bundle.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_files(bundle: Bundle) -> dict[str, str]:
    """Each document pretty-printed, plus the managed-policy ARNs, the snippets and a README."""
    return bundle.files()
