"""The Terraform export: the bundle's IAM objects as resources of the AWS provider.

Policies are written as ``jsonencode({...})`` of an HCL object, so people edit them as
Terraform, not as a JSON string. The partition, Region, account and names are variables
with the bundle's values as defaults; documents refer to them (``"arn:${var.partition}:…"``).
Files: ``variables.tf``, ``main.tf`` and ``outputs.tf``; ``--print`` shows them one after
the other, which is itself a valid configuration.
"""

from __future__ import annotations

import re
from typing import Any

from xraybuilder.core.bundle import Bundle
from xraybuilder.core.export.comments import comment
from xraybuilder.core.export.hclwriter import BLANK, Block, Call, Comment, Raw, Writer, quote
from xraybuilder.core.export.objects import (
    REPLACED_SNIPPETS,
    SETUP_SNIPPETS,
    Objects,
    key_policy_document,
    managed_policy_label,
    objects,
)
from xraybuilder.core.export.variables import Finder, Variable, finder

FILES = ("main.tf", "variables.tf", "outputs.tf")
TF_NAMES = {
    "partition": "partition",
    "region": "region",
    "account": "account_id",
    "kms_key_arn": "kms_key_arn",
}
DESCRIPTIONS = {
    "partition": "AWS partition of the account (aws, aws-cn, aws-us-gov, …).",
    "region": "AWS Region the policies name.",
    "account_id": "12-digit ID of the AWS account.",
    "role_name": "Name of the IAM role.",
    "instance_profile_name": "Name of the instance profile holding the role.",
    "user_name": "Name of the IAM user.",
    "policy_name": "Name of the policy.",
    "kms_key_arn": "ARN of the customer managed KMS key X-Ray encrypts traces with.",
}
_ENCRYPTION = re.compile(r"--encryption-config\s+Type=(?P<type>\w+)(?:,KeyId=(?P<key>\S+))?")


def render(bundle: Bundle) -> str:
    """The three files one after the other: a valid configuration on its own."""
    files = render_files(bundle)
    return "\n".join(files[name] for name in FILES)


def render_files(bundle: Bundle) -> dict[str, str]:
    """``main.tf``, ``variables.tf`` and ``outputs.tf``."""
    return _Config(bundle).files()


class _Config:
    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.objects: Objects = objects(bundle)
        self.encryption = _encryption_config(bundle)
        kms_arn = self.encryption[1] if self.encryption and self.encryption[1].startswith("arn:") else ""
        self.finder: Finder = finder(bundle, {"kms_key_arn": kms_arn} if kms_arn else None)
        self.writer = Writer(self.string)
        self.used: set[str] = set()

    def string(self, text: str) -> str:
        def variable(var: Variable) -> str:
            self.used.add(TF_NAMES[var.name])
            return "${var." + TF_NAMES[var.name] + "}"

        pieces = self.finder.split(text)
        if len(pieces) == 1 and isinstance(pieces[0], Variable):
            # fmt unwraps an interpolation-only string; write what it would leave.
            return self.var(TF_NAMES[pieces[0].name]).text
        return '"' + self.finder.join(text, lambda s: quote(s)[1:-1], variable) + '"'

    def var(self, name: str) -> Raw:
        self.used.add(name)
        return Raw(f"var.{name}")

    def files(self) -> dict[str, str]:
        main = self.main()
        outputs = self.outputs()
        variables = self.variables()  # last: it declares only what the others used
        return {"main.tf": main, "variables.tf": variables, "outputs.tf": outputs}

    # -- main.tf --------------------------------------------------------------------------
    def main(self) -> str:
        b, o = self.bundle, self.objects
        head = [f"# {b.preset_id}: {b.principal_label}", "# Made by xraybuilder."]
        if b.notes:
            head.append("# Notes:")
            for note in b.notes:
                head += comment("- " + note)
        items: list[Block | Comment] = [Comment(tuple(head))]
        provider = Block(
            "terraform",
            items=[Block("required_providers", items=[("aws", {"source": Raw('"hashicorp/aws"')})])],
        )
        items.append(provider)
        aws = Block("provider", ["aws"])
        if "region" in self.finder.values:
            aws.items.append(("region", self.var("region")))
        items.append(aws)

        if o.identity_policy is not None and not o.inline:
            items.append(
                Block(
                    "resource",
                    ["aws_iam_policy", "this"],
                    [
                        ("name", self.var("policy_name")),
                        BLANK,
                        ("policy", Call("jsonencode", o.identity_policy)),
                    ],
                )
            )
        if o.role:
            items.append(
                Block(
                    "resource",
                    ["aws_iam_role", "this"],
                    [
                        ("name", self.var("role_name")),
                        BLANK,
                        ("assume_role_policy", Call("jsonencode", o.trust_policy)),
                    ],
                )
            )
        if o.user:
            items.append(Block("resource", ["aws_iam_user", "this"], [("name", self.var("user_name"))]))
        if o.principal is not None:
            items += self.policies_of(o.principal)
        if o.instance_profile:
            items.append(
                Block(
                    "resource",
                    ["aws_iam_instance_profile", "this"],
                    [("name", self.var("instance_profile_name")), ("role", Raw("aws_iam_role.this.name"))],
                )
            )
        if o.access_keys:
            items.append(
                Comment(
                    tuple(
                        comment(
                            "The access key is left out on purpose: an aws_iam_access_key resource keeps the "
                            "secret in the Terraform state. Create it with 'aws iam create-access-key "
                            f"--user-name {o.user}' and store it with 'xraybuilder profile add'."
                        )
                    )
                )
            )
        if o.principal is None and (o.identity_policy is not None or o.managed_policy_arns):
            items.append(self.attach_to_existing())
        if o.kms_key_policy_statements:
            items.append(
                Comment(
                    tuple(
                        comment(
                            "KMS key-policy statements: add them to the policy of the key X-Ray uses, for "
                            "example with Statement = concat([...], local.kms_key_policy_statements) in "
                            "the key's jsonencode policy. A key policy is replaced as a whole."
                        )
                    )
                )
            )
            statements = key_policy_document(o.kms_key_policy_statements)["Statement"]
            items.append(Block("locals", items=[("kms_key_policy_statements", statements)]))
        if self.encryption:
            kind, key_id = self.encryption
            config: list[Any] = [("type", kind)]
            if key_id:
                config.append(("key_id", key_id))
            if o.kms_key_policy_statements:
                items.append(Comment(("# Apply this after the key policy holds the statements above.",)))
            items.append(Block("resource", ["aws_xray_encryption_config", "this"], config))
        for snippet in self.bundle.snippets:
            if snippet.language == "sh" and snippet.id not in SETUP_SNIPPETS + REPLACED_SNIPPETS:
                lines = comment(f"Then, for example: {snippet.title[:1].lower()}{snippet.title[1:]}:")
                lines += ["#   " + line for line in snippet.text.rstrip("\n").splitlines()]
                items.append(Comment(tuple(lines)))
        return self.writer.file(items)

    def policies_of(self, kind: str) -> list[Block | Comment]:
        o = self.objects
        owner = Raw(f"aws_iam_{kind}.this.name")
        out: list[Block | Comment] = []
        if o.identity_policy is not None and o.inline:
            out.append(
                Block(
                    "resource",
                    [f"aws_iam_{kind}_policy", "this"],
                    [
                        ("name", self.var("policy_name")),
                        (kind, owner),
                        BLANK,
                        ("policy", Call("jsonencode", o.identity_policy)),
                    ],
                )
            )
        elif o.identity_policy is not None:
            out.append(
                Block(
                    "resource",
                    [f"aws_iam_{kind}_policy_attachment", "this"],
                    [(kind, owner), ("policy_arn", Raw("aws_iam_policy.this.arn"))],
                )
            )
        for arn in o.managed_policy_arns:
            out.append(
                Block(
                    "resource",
                    [f"aws_iam_{kind}_policy_attachment", managed_policy_label(arn)],
                    [(kind, owner), ("policy_arn", arn)],
                )
            )
        return out

    def attach_to_existing(self) -> Comment:
        o = self.objects
        arns = (["aws_iam_policy.this.arn"] if o.identity_policy is not None else []) + [
            self.string(a) for a in o.managed_policy_arns
        ]
        lines = comment(
            f"Attach the policy to the identities that need it ({self.bundle.principal_label}), "
            "with one attachment per identity and policy, for example:"
        )
        for i, arn in enumerate(arns):
            lines += [
                "#",
                f'#   resource "aws_iam_role_policy_attachment" "attachment_{i + 1}" {{',
                '#     role       = "NAME"',
                f"#     policy_arn = {arn}",
                "#   }",
            ]
        lines.append(
            "#   (aws_iam_user_policy_attachment and aws_iam_group_policy_attachment for users and groups)"
        )
        return Comment(tuple(lines))

    # -- outputs.tf -----------------------------------------------------------------------
    def outputs(self) -> str:
        o = self.objects
        blocks: list[Block | Comment] = []

        def output(name: str, value: Any, description: str) -> None:
            blocks.append(Block("output", [name], [("description", description), ("value", value)]))

        if o.identity_policy is not None and not o.inline:
            output("policy_arn", Raw("aws_iam_policy.this.arn"), "ARN of the customer managed policy.")
        if o.role:
            output("role_arn", Raw("aws_iam_role.this.arn"), "ARN of the role.")
        if o.instance_profile:
            output(
                "instance_profile_arn",
                Raw("aws_iam_instance_profile.this.arn"),
                "ARN of the instance profile.",
            )
        if o.user:
            output("user_arn", Raw("aws_iam_user.this.arn"), "ARN of the IAM user.")
        if o.principal is None and o.managed_policy_arns:
            output(
                "managed_policy_arns",
                list(o.managed_policy_arns),
                "AWS managed policies to attach to the identities that need them.",
            )
        if o.kms_key_policy_statements:
            output(
                "kms_key_policy_statements",
                Raw("jsonencode(local.kms_key_policy_statements)"),
                "Statements to add to the KMS key's policy, as JSON.",
            )
        if not blocks:
            return "# Nothing to output: this configuration creates no resource.\n"
        return self.writer.file(blocks)

    # -- variables.tf ---------------------------------------------------------------------
    def variables(self) -> str:
        o = self.objects
        defaults: dict[str, str] = {TF_NAMES[k]: v for k, v in self.finder.values.items()}
        defaults.update({TF_NAMES[k]: v for k, v in self.finder.extra.items()})
        for name, value in (
            ("role_name", o.role),
            ("instance_profile_name", o.instance_profile),
            ("user_name", o.user),
            ("policy_name", o.policy_name),
        ):
            if value:
                defaults[name] = value
        blocks: list[Block | Comment] = []
        for name in (
            "partition",
            "region",
            "account_id",
            "role_name",
            "instance_profile_name",
            "user_name",
            "policy_name",
            "kms_key_arn",
        ):
            if name not in self.used or name not in defaults:
                continue
            # A default cannot refer to other variables: values are written as they are.
            blocks.append(
                Block(
                    "variable",
                    [name],
                    [
                        ("description", DESCRIPTIONS[name]),
                        ("type", Raw("string")),
                        ("default", Raw(quote(defaults[name]))),
                    ],
                )
            )
        if not blocks:
            return "# No variables: nothing here names a partition, Region, account or name.\n"
        return self.writer.file(blocks)


def _encryption_config(bundle: Bundle) -> tuple[str, str] | None:
    """(type, key id) from the bundle's put-encryption-config step, if it has one."""
    for snippet in bundle.snippets:
        if snippet.id in SETUP_SNIPPETS:
            found = _ENCRYPTION.search(snippet.text)
            if found:
                return found.group("type"), found.group("key") or ""
    return None
