"""The CloudFormation export: one template, in YAML or in JSON, with the same content.

Documents name the partition, Region and account through ``!Sub`` and the pseudo
parameters ``${AWS::Partition}``, ``${AWS::Region}`` and ``${AWS::AccountId}``, so the
template deploys as it stands in the account and Region of the stack. Outputs give the
ARNs of what it creates. What CloudFormation cannot do (append to an existing KMS key's
policy, change X-Ray's encryption setting) is kept in the template's Metadata, with the
command to run.
"""

from __future__ import annotations

import json
from typing import Any

from xraybuilder.core.bundle import Bundle
from xraybuilder.core.export.comments import comment
from xraybuilder.core.export.objects import (
    REPLACED_SNIPPETS,
    SETUP_SNIPPETS,
    Objects,
    objects,
)
from xraybuilder.core.export.variables import Finder, Variable, finder
from xraybuilder.core.export.yamlwriter import Tagged, document

YAML_FILE = "template.yaml"
JSON_FILE = "template.json"
PSEUDO = {"partition": "AWS::Partition", "region": "AWS::Region", "account": "AWS::AccountId"}
CAPABILITY = "CAPABILITY_NAMED_IAM"


def render_yaml(bundle: Bundle) -> str:
    """The template in YAML, with the notes as comments."""
    template = _Template(bundle)
    return document(_to_yaml(template.template()), template.comments())


def render_json(bundle: Bundle) -> str:
    """The template in JSON (notes go to Metadata, JSON has no comments)."""
    return json.dumps(_to_json(_Template(bundle).template()), indent=2, ensure_ascii=False) + "\n"


def render_files_yaml(bundle: Bundle) -> dict[str, str]:
    return {YAML_FILE: render_yaml(bundle)}


def render_files_json(bundle: Bundle) -> dict[str, str]:
    return {JSON_FILE: render_json(bundle)}


class Intrinsic:
    """An intrinsic function: rendered ``!Sub x`` in YAML and ``{"Fn::Sub": x}`` in JSON."""

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value

    def json(self) -> dict[str, Any]:
        if self.name == "Ref":
            return {"Ref": self.value}
        if self.name == "GetAtt":
            return {"Fn::GetAtt": self.value.split(".", 1)}
        return {f"Fn::{self.name}": self.value}

    def yaml(self) -> Tagged:
        return Tagged(self.name, self.value, quoted=self.name == "Sub")


def _to_json(value: Any) -> Any:
    if isinstance(value, Intrinsic):
        return value.json()
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    return value


def _to_yaml(value: Any) -> Any:
    if isinstance(value, Intrinsic):
        return value.yaml()
    if isinstance(value, dict):
        return {k: _to_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_yaml(v) for v in value]
    return value


class _Template:
    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.objects: Objects = objects(bundle)
        self.finder: Finder = finder(bundle)

    def sub(self, value: Any) -> Any:
        """Strings naming the partition, Region or account become ``!Sub`` with pseudo parameters."""
        if isinstance(value, dict):
            return {k: self.sub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.sub(v) for v in value]
        if not isinstance(value, str):
            return value
        pieces = self.finder.split(value)
        if not any(isinstance(p, Variable) for p in pieces):
            return value
        # Inside !Sub a literal "${" must be written "${!".
        text = self.finder.join(
            value, lambda s: s.replace("${", "${!"), lambda v: "${" + PSEUDO[v.name] + "}"
        )
        return Intrinsic("Sub", text)

    def comments(self) -> list[str]:
        b = self.bundle
        out = [
            f"# {b.preset_id}: {b.principal_label}",
            "# Made by xraybuilder. Deploy it in the Region the policies are for, with",
            f"# --capabilities {CAPABILITY} (the template names its IAM objects).",
        ]
        if b.notes:
            out.append("# Notes:")
            for note in b.notes:
                out += comment("- " + note)
        return out

    def template(self) -> dict[str, Any]:
        b, o = self.bundle, self.objects
        resources: dict[str, Any] = {}
        outputs: dict[str, Any] = {}
        managed = [self.sub(arn) for arn in o.managed_policy_arns]
        principal_list = "Roles" if o.role else "Users" if o.user else None

        if o.identity_policy is not None and not o.inline:
            props: dict[str, Any] = {
                "ManagedPolicyName": o.policy_name,
                "PolicyDocument": self.sub(o.identity_policy),
            }
            if principal_list:
                props[principal_list] = [Intrinsic("Ref", "Role" if o.role else "User")]
            resources["ManagedPolicy"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": props}
            outputs["PolicyArn"] = {
                "Description": "ARN of the customer managed policy",
                "Value": Intrinsic("Ref", "ManagedPolicy"),
            }
        inline = (
            [{"PolicyName": o.policy_name, "PolicyDocument": self.sub(o.identity_policy)}]
            if o.identity_policy is not None and o.inline
            else []
        )
        if o.role:
            props = {"RoleName": o.role, "AssumeRolePolicyDocument": self.sub(o.trust_policy)}
            if inline:
                props["Policies"] = inline
            if managed:
                props["ManagedPolicyArns"] = managed
            resources["Role"] = {"Type": "AWS::IAM::Role", "Properties": props}
            outputs["RoleArn"] = {"Description": "ARN of the role", "Value": Intrinsic("GetAtt", "Role.Arn")}
        if o.instance_profile:
            resources["InstanceProfile"] = {
                "Type": "AWS::IAM::InstanceProfile",
                "Properties": {
                    "InstanceProfileName": o.instance_profile,
                    "Roles": [Intrinsic("Ref", "Role")],
                },
            }
            outputs["InstanceProfileArn"] = {
                "Description": "ARN of the instance profile",
                "Value": Intrinsic("GetAtt", "InstanceProfile.Arn"),
            }
        if o.user:
            props = {"UserName": o.user}
            if inline:
                props["Policies"] = inline
            if managed:
                props["ManagedPolicyArns"] = managed
            resources["User"] = {"Type": "AWS::IAM::User", "Properties": props}
            outputs["UserArn"] = {
                "Description": "ARN of the IAM user",
                "Value": Intrinsic("GetAtt", "User.Arn"),
            }

        metadata = self.metadata()
        if not resources:
            # A template needs one resource; this scenario creates none (it attaches AWS managed
            # policies to identities that exist), so the stack holds a resource that does nothing.
            resources["NothingToCreate"] = {"Type": "AWS::CloudFormation::WaitConditionHandle"}
        template: dict[str, Any] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": f"xraybuilder {b.preset_id}: {b.principal_label}",
        }
        if metadata:
            template["Metadata"] = {"xraybuilder": metadata}
        template["Resources"] = resources
        if o.principal is None and managed:
            outputs["ManagedPolicyArns"] = {
                "Description": "AWS managed policies to attach to the identities that need them",
                "Value": self.sub(",".join(o.managed_policy_arns)),
            }
        if outputs:
            template["Outputs"] = outputs
        return template

    def metadata(self) -> dict[str, Any]:
        b, o = self.bundle, self.objects
        out: dict[str, Any] = {"Preset": b.preset_id, "Parameters": b.parameters_text()}
        if b.notes:
            out["Notes"] = list(b.notes)
        if o.principal is None and (o.identity_policy is not None or o.managed_policy_arns):
            out["AttachTo"] = f"Attach the policies to {b.principal_label}."
        if o.access_keys:
            out["AccessKey"] = (
                "Not in the template on purpose (an AWS::IAM::AccessKey puts the secret in the stack): "
                f"run 'aws iam create-access-key --user-name {o.user}' and store the keys with "
                "'xraybuilder profile add'."
            )
        if o.kms_key_policy_statements:
            out["KmsKeyPolicyStatements"] = {
                "Why": "CloudFormation cannot add statements to an existing key's policy: "
                "add these to the key policy of the key X-Ray uses.",
                "Statement": list(o.kms_key_policy_statements),
            }
        steps = [
            s.text.strip()
            for s in b.snippets
            if s.language == "sh" and s.id in SETUP_SNIPPETS and s.id not in REPLACED_SNIPPETS
        ]
        if steps:
            out["AfterDeployment"] = steps
        return out
