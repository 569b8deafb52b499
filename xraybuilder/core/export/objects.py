"""The IAM objects a bundle asks for, in the order they must be created.

Every export that sets things up (AWS CLI, Terraform, CloudFormation) answers the same
questions: is there a role or a user to create, does the identity policy go inline on it
or become a customer managed policy, which managed policies are attached, is there an
instance profile. They read the answers here, so the formats cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xraybuilder.core.bundle import Bundle

# Snippets (by id) that are setup steps to run; the others are examples of using the result.
SETUP_SNIPPETS = ("put-encryption-config",)
# Snippets every format writes in its own way instead of copying the text.
REPLACED_SNIPPETS = ("create-access-key",)


@dataclass(frozen=True)
class Objects:
    """What to create for one bundle; names are the bundle's own."""

    role: str | None
    """Role to create (with ``trust_policy``), or None."""
    user: str | None
    """IAM user to create, or None."""
    instance_profile: str | None
    policy_name: str | None
    identity_policy: dict[str, Any] | None
    inline: bool
    """True: the identity policy is an inline policy of the role or user; False: a customer managed policy."""
    trust_policy: dict[str, Any] | None
    managed_policy_arns: tuple[str, ...]
    kms_key_policy_statements: tuple[dict[str, Any], ...]
    access_keys: bool

    @property
    def principal(self) -> str | None:
        """``role``, ``user`` or None when the policy is for identities that already exist."""
        return "role" if self.role else "user" if self.user else None

    @property
    def principal_name(self) -> str | None:
        return self.role or self.user


def objects(bundle: Bundle) -> Objects:
    """Read from a bundle what to create."""
    role = bundle.names.get("role") if bundle.trust_policy is not None else None
    user = bundle.names.get("user") if role is None and bundle.lint_target == "user" else None
    identity = bundle.identity_policy.to_json() if bundle.identity_policy is not None else None
    policy_name = bundle.names.get("policy") if identity is not None else None
    if identity is not None and policy_name is None:
        policy_name = "XRayPolicy"
    return Objects(
        role=role,
        user=user,
        instance_profile=bundle.instance_profile if role else None,
        policy_name=policy_name,
        identity_policy=identity,
        inline=identity is not None and (role is not None or user is not None),
        trust_policy=bundle.trust_policy.to_json() if bundle.trust_policy is not None else None,
        managed_policy_arns=bundle.managed_policy_arns,
        kms_key_policy_statements=tuple(s.to_json() for s in bundle.kms_key_policy_statements),
        access_keys=bundle.access_keys and user is not None,
    )


def key_policy_document(statements: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """The KMS key-policy statements as one document to merge into the key's policy."""
    return {"Statement": list(statements)}


def managed_policy_label(arn: str) -> str:
    """``arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`` -> the last name."""
    return arn.rsplit("/", 1)[-1]
