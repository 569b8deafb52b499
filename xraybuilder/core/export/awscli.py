"""The AWS CLI export: one bash script that creates what a bundle needs.

The script stands alone (``xraybuilder new ec2 --format aws-cli --print | bash`` works):
documents are inlined as heredocs, and the partition, Region, account and names are shell
variables at the top, so editing one line there changes every command and document that
uses it. Commands run in dependency order and ``set -euo pipefail`` stops at the first
failure.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from xraybuilder.core.bundle import Bundle
from xraybuilder.core.export.comments import comment
from xraybuilder.core.export.objects import (
    REPLACED_SNIPPETS,
    SETUP_SNIPPETS,
    Objects,
    key_policy_document,
    managed_policy_label,
    objects,
)
from xraybuilder.core.export.variables import Finder, Variable, finder

FILE_NAME = "setup.sh"
KEY_STATEMENTS_FILE = "xray-kms-key-policy-statements.json"
SHELL_NAMES = {
    "partition": "PARTITION",
    "region": "REGION",
    "account": "ACCOUNT",
    "kms_key_arn": "KMS_KEY_ARN",
}
WIDTH = 100


def render(bundle: Bundle) -> str:
    """The whole script."""
    return _Script(bundle).text()


def render_files(bundle: Bundle) -> dict[str, str]:
    """One file: the script."""
    return {FILE_NAME: render(bundle)}


def _heredoc_literal(text: str) -> str:
    # Inside an unquoted heredoc only \, $ and ` are special.
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("`", "\\`")


class _Script:
    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.objects: Objects = objects(bundle)
        params = bundle.parameters_text()
        self.kms_key_arn = params.get("kms_key_arn", "") if bundle.kms_key_policy_statements else ""
        self.finder: Finder = finder(bundle, {"kms_key_arn": self.kms_key_arn} if self.kms_key_arn else None)
        self.lines: list[str] = []
        self.second_run: list[str] = []

    # -- pieces ---------------------------------------------------------------------------
    def shell_word(self, text: str) -> str:
        """A double-quoted shell word with the variables as ``${NAME}``."""

        def literal(part: str) -> str:
            return part.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")

        return '"' + self.finder.join(text, literal, self._ref) + '"'

    def _ref(self, var: Variable) -> str:
        return "${" + SHELL_NAMES[var.name] + "}"

    def document(self, variable: str, doc: Any) -> None:
        """``VARIABLE=$(cat <<JSON … JSON)``: the document with the shell variables in it."""
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        uses = any(isinstance(p, Variable) for s in _strings_of(text) for p in self.finder.split(s))
        if uses:
            body = self.finder.join(text, _heredoc_literal, self._ref)
            self.lines += [f"{variable}=$(cat <<JSON", body, "JSON", ")"]
        else:
            self.lines += [f"{variable}=$(cat <<'JSON'", text, "JSON", ")"]

    def step(self, title: str) -> None:
        self.lines += ["", *comment(title)]

    def command(self, *parts: str, fails_again: str | None = None) -> None:
        """One aws command, one option per line when it is long."""
        if fails_again:
            self.second_run.append(fails_again)
        line = " ".join(parts)
        if len(line) <= WIDTH:
            self.lines.append(line)
            return
        words = list(parts)
        out = [words[0]]
        i = 1
        # Keep "aws iam create-role" together, then one option and its value per line.
        while i < len(words) and not words[i].startswith("--"):
            out[0] += " " + words[i]
            i += 1
        while i < len(words):
            item = words[i]
            if i + 1 < len(words) and not words[i + 1].startswith("--"):
                item += " " + words[i + 1]
                i += 1
            out.append("    " + item)
            i += 1
        self.lines.append(" \\\n".join(out))

    # -- the script -----------------------------------------------------------------------
    def text(self) -> str:
        b, o = self.bundle, self.objects
        body_start = len(self.lines)
        if o.identity_policy is not None and not o.inline:
            self.customer_managed_policy()
        if o.role:
            self.role()
        if o.user:
            self.user()
        if o.principal is None:
            self.attach_to_existing()
        if o.kms_key_policy_statements:
            self.key_policy()
        self.snippets()
        body = self.lines[body_start:]

        head = [
            "#!/usr/bin/env bash",
            f"# {b.preset_id}: {b.principal_label}",
            "# Made by xraybuilder. Run it with bash, or pipe it: "
            f"xraybuilder new {b.preset_id} --format aws-cli --print | bash",
        ]
        if self.second_run:
            head += comment(
                "Run it once. On a second run these commands fail because what they create exists, "
                f"and set -e stops the script at the first of them: {', '.join(self.second_run)}. "
                "put-*-policy and attach-*-policy commands replace what is there and never fail for that."
            )
        else:
            head += comment("Nothing here fails on a second run: every command replaces what is there.")
        if b.notes:
            head.append("# Notes:")
            for note in b.notes:
                head += comment("- " + note)
        head += ["", "set -euo pipefail", ""]
        head += self.variables()
        return "\n".join(head + body) + "\n"

    def variables(self) -> list[str]:
        out = []
        values = dict(self.finder.values)
        for name in ("partition", "region", "account"):
            if name in values:
                out.append(f"{SHELL_NAMES[name]}={shlex.quote(values[name])}")
        o = self.objects
        for label, value in (
            ("ROLE_NAME", o.role),
            ("INSTANCE_PROFILE_NAME", o.instance_profile),
            ("USER_NAME", o.user),
            ("POLICY_NAME", o.policy_name),
        ):
            if value:
                out.append(f"{label}={shlex.quote(value)}")
        if self.kms_key_arn:
            # The key ARN is written with the variables above, so changing them changes it too.
            plain = Finder(self.finder.values)
            word = '"' + plain.join(self.kms_key_arn, lambda s: s, self._ref) + '"'
            out.append(f"KMS_KEY_ARN={word}")
        return out

    def customer_managed_policy(self) -> None:
        o = self.objects
        self.step(f"The customer managed policy {o.policy_name}.")
        self.document("POLICY_DOCUMENT", o.identity_policy)
        self.lines.append(
            'POLICY_ARN=$(aws iam create-policy --policy-name "$POLICY_NAME" \\\n'
            '    --policy-document "$POLICY_DOCUMENT" --query Policy.Arn --output text)'
        )
        self.second_run.append("create-policy")
        self.lines.append('echo "created $POLICY_ARN"')

    def role(self) -> None:
        o = self.objects
        self.step(f"The role {o.role}, with the trust policy saying who may assume it.")
        self.document("TRUST_POLICY", o.trust_policy)
        self.command(
            "aws iam create-role",
            '--role-name "$ROLE_NAME"',
            '--assume-role-policy-document "$TRUST_POLICY"',
            fails_again="create-role",
        )
        self.inline_and_attachments("role", '--role-name "$ROLE_NAME"')
        if o.instance_profile:
            self.step(f"The instance profile {o.instance_profile}, holding the role.")
            self.command(
                "aws iam create-instance-profile",
                '--instance-profile-name "$INSTANCE_PROFILE_NAME"',
                fails_again="create-instance-profile",
            )
            self.command(
                "aws iam add-role-to-instance-profile",
                '--instance-profile-name "$INSTANCE_PROFILE_NAME"',
                '--role-name "$ROLE_NAME"',
                fails_again="add-role-to-instance-profile (an instance profile holds one role)",
            )

    def user(self) -> None:
        o = self.objects
        self.step(f"The IAM user {o.user}.")
        self.command("aws iam create-user", '--user-name "$USER_NAME"', fails_again="create-user")
        self.inline_and_attachments("user", '--user-name "$USER_NAME"')
        if o.access_keys:
            profile = self.bundle.parameters_text().get("profile", "default")
            self.step(
                "The user's access key. The secret is shown once, in this command's output: store it "
                f"at once under the profile {profile}, with 'xraybuilder profile add {profile} "
                "--region REGION --from-json FILE' (FILE holding this output), or by hand in "
                f"~/.aws/credentials ([{profile}]) and ~/.aws/config ([profile {profile}]) as shown by "
                f"'xraybuilder new {self.bundle.preset_id} --format aws-config --print'. "
                "Never commit the output or paste it in a chat."
            )
            self.command(
                "aws iam create-access-key",
                '--user-name "$USER_NAME"',
                fails_again="create-access-key (after the user's second key)",
            )

    def inline_and_attachments(self, kind: str, who: str) -> None:
        o = self.objects
        if o.identity_policy is not None and o.inline:
            self.step(f"The inline policy {o.policy_name} of the {kind}.")
            self.document("POLICY_DOCUMENT", o.identity_policy)
            self.command(
                f"aws iam put-{kind}-policy",
                who,
                '--policy-name "$POLICY_NAME"',
                '--policy-document "$POLICY_DOCUMENT"',
            )
        elif o.identity_policy is not None:
            self.step(f"Attach {o.policy_name} to the {kind}.")
            self.command(f"aws iam attach-{kind}-policy", who, '--policy-arn "$POLICY_ARN"')
        for arn in o.managed_policy_arns:
            self.step(f"Attach the AWS managed policy {managed_policy_label(arn)}.")
            self.command(f"aws iam attach-{kind}-policy", who, f"--policy-arn {self.shell_word(arn)}")

    def attach_to_existing(self) -> None:
        o = self.objects
        arns = (['"$POLICY_ARN"'] if o.identity_policy is not None else []) + [
            self.shell_word(a) for a in o.managed_policy_arns
        ]
        if not arns:
            return
        self.step(
            f"Attach the policy to the identities that need it ({self.bundle.principal_label}), "
            "with one of these commands per identity:"
        )
        for arn in arns:
            for kind in ("user", "group", "role"):
                self.lines.append(f"#   aws iam attach-{kind}-policy --{kind}-name NAME --policy-arn {arn}")

    def key_policy(self) -> None:
        o = self.objects
        self.step(
            "The KMS key-policy statements, written to a file. A key policy is replaced as a whole, "
            "so add them to the key's current policy by hand before X-Ray can use the key:"
        )
        self.lines += [
            '#   aws kms get-key-policy --key-id "$KMS_KEY_ARN" --policy-name default \\',
            "#       --query Policy --output text > key-policy.json",
            f"#   (append the statements of {KEY_STATEMENTS_FILE} to the Statement list of key-policy.json)",
            '#   aws kms put-key-policy --key-id "$KMS_KEY_ARN" --policy-name default \\',
            "#       --policy file://key-policy.json",
        ]
        self.document("KEY_POLICY_STATEMENTS", key_policy_document(o.kms_key_policy_statements))
        self.lines.append(f"printf '%s\\n' \"$KEY_POLICY_STATEMENTS\" > {KEY_STATEMENTS_FILE}")
        self.lines.append(f'echo "wrote {KEY_STATEMENTS_FILE}"')

    def snippets(self) -> None:
        for snippet in self.bundle.snippets:
            if snippet.language != "sh" or snippet.id in REPLACED_SNIPPETS:
                continue
            text = self.finder.join(snippet.text.rstrip("\n"), lambda s: s, self._ref)
            if snippet.id in SETUP_SNIPPETS:
                extra = " (after the key policy holds the statements above)" if self.kms_key_arn else ""
                self.step(f"{snippet.title}{extra}.")
                self.lines += text.splitlines()
            else:
                self.step(f"Then, for example: {snippet.title[:1].lower()}{snippet.title[1:]}.")
                self.lines += ["#   " + line for line in text.splitlines()]


def _strings_of(text: str) -> list[str]:
    # Variables are only ever found inside the document's strings; scanning the whole text is
    # enough because keys and punctuation never hold a partition, Region or account.
    return [text]
