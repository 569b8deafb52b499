"""Terraform exports parsed by python-hcl2: the policies inside equal the JSON export.

``jsonencode({...})`` stays a ``${…}`` string after the first parse; its object is parsed
again, then ``${var.NAME}`` is replaced by the variable's default from variables.tf. The
result must equal the JSON document exactly. ``terraform fmt -check`` and ``validate``
run only where a terraform binary is on PATH.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from export_cases import cases

from xraybuilder.core.bundle import Bundle, build
from xraybuilder.core.export import render, render_files
from xraybuilder.core.export.hclwriter import Writer
from xraybuilder.core.export.objects import objects

hcl2 = pytest.importorskip("hcl2")

CASES = list(cases())


def _options() -> Any:
    return hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)


def parse(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = hcl2.loads(text, serialization_options=_options())
    return parsed


def unwrap(expression: str, defaults: dict[str, str]) -> Any:
    """``${jsonencode({...})}`` -> the object, variables replaced by their defaults."""
    inner = re.fullmatch(r"\$\{jsonencode\((.*)\)\}", expression, re.S)
    assert inner, expression
    value = parse("x = " + inner.group(1))["x"]
    return resolve(value, defaults)


def resolve(value: Any, defaults: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k.strip('"'): resolve(v, defaults) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, defaults) for v in value]
    if isinstance(value, str):
        text = re.sub(r"\$\{var\.(\w+)\}", lambda m: defaults[m.group(1)], value)
        # Terraform reads $${ and %%{ as literal ${ and %{; python-hcl2 leaves them as written.
        return text.replace("$${", "${").replace("%%{", "%{")
    return value


def resources(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``"aws_iam_role.this"`` -> attributes."""
    out = {}
    for item in config.get("resource", []):
        for kind, named in item.items():
            for name, attrs in named.items():
                out[f"{kind}.{name}"] = attrs
    return out


@pytest.mark.parametrize(("case_id", "bundle"), CASES, ids=[c for c, _ in CASES])
def test_policies_inside_equal_the_json_export(case_id: str, bundle: Bundle) -> None:
    config = parse(render(bundle, "terraform"))
    defaults = {name: spec["default"] for v in config.get("variable", []) for name, spec in v.items()}
    found = resources(config)
    o = objects(bundle)
    if o.trust_policy is not None:
        assert unwrap(found["aws_iam_role.this"]["assume_role_policy"], defaults) == o.trust_policy
        assert found["aws_iam_role.this"]["name"] == "${var.role_name}" and defaults["role_name"] == o.role
    if o.identity_policy is not None:
        kind = f"aws_iam_{o.principal}_policy.this" if o.inline else "aws_iam_policy.this"
        assert unwrap(found[kind]["policy"], defaults) == o.identity_policy
        assert defaults["policy_name"] == o.policy_name
    if o.instance_profile:
        assert found["aws_iam_instance_profile.this"]["role"] == "${aws_iam_role.this.name}"
        assert defaults["instance_profile_name"] == o.instance_profile
    attachments = sorted(
        resolve(attrs["policy_arn"], defaults)
        for name, attrs in found.items()
        if name.startswith(f"aws_iam_{o.principal}_policy_attachment.")
        and "aws_iam_policy" not in attrs["policy_arn"]
    )
    if o.principal is not None:
        assert attachments == sorted(o.managed_policy_arns)
    if o.kms_key_policy_statements:
        statements = config["locals"][0]["kms_key_policy_statements"]
        assert resolve(statements, defaults) == list(o.kms_key_policy_statements)
    # Files split the same text: --out writes what --print shows.
    files = render_files(bundle, "terraform")
    assert "\n".join(files.values()) == render(bundle, "terraform")


def test_jsonencode_keeps_literal_policy_variables() -> None:
    """``${aws:username}`` is IAM's, not Terraform's: it is written ``$${aws:username}``."""
    writer = Writer()
    assert writer.value({"Resource": "arn:aws:iam::*:user/${aws:username}"}, 0)[1] == (
        '  Resource = "arn:aws:iam::*:user/$${aws:username}"'
    )


def test_layout_is_what_terraform_fmt_writes() -> None:
    """One-line attributes in a run align their = signs; a multi-line value breaks the run."""
    text = render_files(build("ecs", {"account": "123456789012"}), "terraform")["main.tf"]
    assert '        Sid    = "XRayDaemonWrite"\n        Effect = "Allow"\n        Action = [\n' in text
    assert '            "aws:SourceAccount" = var.account_id\n' in text
    assert "\t" not in text and not any(line != line.rstrip() for line in text.splitlines())


NO_TERRAFORM = pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary on PATH")


def _write(bundle: Bundle, folder: Path) -> Path:
    folder.mkdir()
    for name, text in render_files(bundle, "terraform").items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@NO_TERRAFORM
def test_terraform_fmt_changes_nothing(tmp_path: Path) -> None:
    for case_id, bundle in CASES:
        folder = _write(bundle, tmp_path / case_id)
    fmt = subprocess.run(
        ["terraform", "fmt", "-check", "-diff", "-recursive"], cwd=tmp_path, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout
    assert folder.is_dir()


@NO_TERRAFORM
def test_terraform_validate(tmp_path: Path) -> None:
    folder = _write(build("ec2", {"daemon_download": "s3-read-only"}), tmp_path / "ec2")
    init = subprocess.run(
        ["terraform", "init", "-backend=false", "-input=false"], cwd=folder, capture_output=True, text=True
    )
    if init.returncode != 0:
        pytest.skip("terraform init cannot install the AWS provider here (no network or provider mirror)")
    for case_id, bundle in CASES:
        for name, text in render_files(bundle, "terraform").items():
            (folder / name).write_text(text, encoding="utf-8")
        valid = subprocess.run(["terraform", "validate", "-json"], cwd=folder, capture_output=True, text=True)
        assert json.loads(valid.stdout)["valid"], (case_id, valid.stdout)


def test_a_custom_policy_with_iam_variables_parses_back_equal() -> None:
    from xraybuilder.core.export import bundle_for_policy
    from xraybuilder.core.policy.model import Policy

    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws-us-gov:s3:::bucket/${aws:username}/*",
                "Condition": {"StringLike": {"s3:prefix": ['q"x', "%{y}"]}},
            }
        ],
    }
    bundle = bundle_for_policy(Policy.from_json(doc), partition="aws-us-gov")
    config = parse(render(bundle, "terraform"))
    defaults = {name: spec["default"] for v in config["variable"] for name, spec in v.items()}
    policy = unwrap(resources(config)["aws_iam_policy.this"]["policy"], defaults)
    assert policy == doc
