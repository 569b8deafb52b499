"""The AWS CLI export, run with bash and the real AWS CLI against a local moto server.

One moto server (in this process, on 127.0.0.1, on a port the system picks) serves this
module's tests and is reset between tests; each test worker has its own. The script runs
exactly as a user would run it (``bash -c`` on the text ``new --print`` shows), with an
``aws`` command on PATH that is this venv's awscli, fake keys in a temporary credentials
file, and AWS_ENDPOINT_URL pointing at the server. Then boto3 reads back what was
created. moto checks IAM objects' lifecycle (documents, attachments, instance profiles),
not X-Ray permissions: those are the evaluator's job.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from export_cases import ROLE_SCENARIOS, cases

from xraybuilder.core.bundle import Bundle, build
from xraybuilder.core.export import render
from xraybuilder.core.export.objects import objects

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

# Every role scenario and local-dev, each variant once (awscli starts in about a second per
# command, so the set is kept to what differs), one policy for existing identities, and
# ec2 in two more partitions. encryption-admin is left out: its script ends with
# xray put-encryption-config, which moto does not implement. moto holds AWS managed
# policies of the aws partition only, so other partitions run the variants without them.
WANTED = {
    "beanstalk-0-aws", "ec2-0-aws", "ec2-1-aws", "ecs-0-aws",
    "ecs-1-aws", "lambda-0-aws", "lambda-1-aws", "local-dev-0-aws", "local-dev-1-aws",
    "console-read-0-aws", "ec2-0-aws-cn", "ecs-1-aws-us-gov",
}  # fmt: skip
SCENARIOS = [
    (case_id, bundle)
    for case_id, bundle in cases(
        ("aws", "aws-cn", "aws-us-gov"), (*ROLE_SCENARIOS, "local-dev", "console-read")
    )
    if case_id in WANTED
]

ALL = list(cases())


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        # AWS managed policies exist in moto only when loaded; the scripts attach some.
        patch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        # Port 0: the server binds a free port itself, so parallel workers never race for one.
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture(scope="module")
def aws_env(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for the scripts: this venv's awscli as ``aws``, fake keys, the moto endpoint."""
    home = tmp_path_factory.mktemp("aws")
    bin_dir = home / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    aws.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m awscli "$@"\n', encoding="utf-8")
    aws.chmod(aws.stat().st_mode | stat.S_IXUSR)
    credentials = home / "credentials"
    credentials.write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        encoding="utf-8",
    )
    config = home / "config"
    config.write_text("[default]\nregion = us-east-1\n", encoding="utf-8")
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return {
        **keep,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_CONFIG_FILE": str(config),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
    }


@pytest.fixture
def iam(moto_endpoint: str, aws_env: dict[str, str]) -> Any:
    """A boto3 IAM client on a freshly reset moto server."""
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
    return boto3.client(
        "iam",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )


def run_script(text: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Piped to bash on standard input, as "xraybuilder new … --print | bash" does.
    return subprocess.run(
        ["bash"], input=text, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def check_created(iam: Any, bundle: Bundle) -> None:
    """Everything the bundle asks for exists, with exactly the exported documents."""
    o = objects(bundle)
    if o.role:
        role = iam.get_role(RoleName=o.role)["Role"]
        assert role["AssumeRolePolicyDocument"] == o.trust_policy
        attached = iam.list_attached_role_policies(RoleName=o.role)["AttachedPolicies"]
        assert sorted(a["PolicyArn"] for a in attached) == sorted(o.managed_policy_arns)
        if o.identity_policy is not None:
            inline = iam.get_role_policy(RoleName=o.role, PolicyName=o.policy_name)
            assert inline["PolicyDocument"] == o.identity_policy
        else:
            assert iam.list_role_policies(RoleName=o.role)["PolicyNames"] == []
        if o.instance_profile:
            profile = iam.get_instance_profile(InstanceProfileName=o.instance_profile)["InstanceProfile"]
            assert [r["RoleName"] for r in profile["Roles"]] == [o.role]
        else:
            assert iam.list_instance_profiles()["InstanceProfiles"] == []
    if o.user:
        assert iam.get_user(UserName=o.user)["User"]["UserName"] == o.user
        attached = iam.list_attached_user_policies(UserName=o.user)["AttachedPolicies"]
        assert sorted(a["PolicyArn"] for a in attached) == sorted(o.managed_policy_arns)
        if o.identity_policy is not None:
            inline = iam.get_user_policy(UserName=o.user, PolicyName=o.policy_name)
            assert inline["PolicyDocument"] == o.identity_policy
        assert len(iam.list_access_keys(UserName=o.user)["AccessKeyMetadata"]) == 1
    local = iam.list_policies(Scope="Local")["Policies"]
    if o.identity_policy is not None and not o.inline:
        assert [p["PolicyName"] for p in local] == [o.policy_name]
        version = iam.get_policy_version(PolicyArn=local[0]["Arn"], VersionId=local[0]["DefaultVersionId"])
        assert version["PolicyVersion"]["Document"] == o.identity_policy
    else:
        assert local == []
    if o.principal is None:
        assert iam.list_roles()["Roles"] == [] and iam.list_users()["Users"] == []


@pytest.mark.parametrize(("case_id", "bundle"), SCENARIOS, ids=[c for c, _ in SCENARIOS])
def test_the_script_creates_what_the_bundle_describes(
    case_id: str, bundle: Bundle, iam: Any, aws_env: dict[str, str], tmp_path: Path
) -> None:
    proc = run_script(render(bundle, "aws-cli"), aws_env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    check_created(iam, bundle)
    assert case_id in WANTED
    if objects(bundle).access_keys:
        # The access key is the one secret the script prints; it goes to standard output only.
        printed = json.loads(proc.stdout[proc.stdout.rindex('{\n    "AccessKey"') :])
        assert printed["AccessKey"]["UserName"] == objects(bundle).user


def test_a_second_run_stops_at_the_first_create_as_the_script_says(
    iam: Any, aws_env: dict[str, str], tmp_path: Path
) -> None:
    bundle = dict(SCENARIOS)["ec2-0-aws"]
    script = render(bundle, "aws-cli")
    assert run_script(script, aws_env, tmp_path).returncode == 0
    again = run_script(script, aws_env, tmp_path)
    assert again.returncode != 0
    assert "EntityAlreadyExists" in again.stderr and "CreateRole" in again.stderr
    assert "create-role, create-instance-profile, add-role-to-instance-profile" in " ".join(
        line.lstrip("# ").strip() for line in script.splitlines() if line.startswith("#")
    )
    check_created(iam, bundle)  # the failed run changed nothing


def test_editing_a_variable_at_the_top_changes_the_documents(
    iam: Any, aws_env: dict[str, str], tmp_path: Path
) -> None:
    script = render(build("ec2"), "aws-cli").replace("\nREGION=us-east-1\n", "\nREGION=eu-west-1\n", 1)
    script = script.replace("\nROLE_NAME=xray-ec2\n", "\nROLE_NAME=edited\n", 1)
    assert run_script(script, aws_env, tmp_path).returncode == 0
    document = iam.get_role_policy(RoleName="edited", PolicyName="XRayDaemonWrite")["PolicyDocument"]
    assert document["Statement"][1]["Resource"] == ["arn:aws:s3:::aws-xray-assets.eu-west-1/xray-daemon/*"]


@pytest.mark.parametrize("key", ["customer-managed", "aws-managed", "default"])
def test_encryption_admin_runs_up_to_the_xray_step(
    key: str, iam: Any, aws_env: dict[str, str], tmp_path: Path
) -> None:
    """The AWS CLI accepts every command, the X-Ray one included: moto answers it as not implemented.

    The request reaching the server (rather than the CLI's own usage error) is what shows
    that put-encryption-config is written with the options the AWS CLI takes.
    """
    bundle = build(
        "encryption-admin",
        {
            "key": key,
            "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "admin_arn": "arn:aws:iam::123456789012:role/xray-admin",
        }
        if key == "customer-managed"
        else {"key": key},
    )
    proc = run_script(render(bundle, "aws-cli"), aws_env, tmp_path)
    assert proc.returncode != 0
    assert "PutEncryptionConfig operation" in proc.stderr and "usage:" not in proc.stderr, proc.stderr
    check_created(iam, bundle)
    if bundle.kms_key_policy_statements:
        written = json.loads((tmp_path / "xray-kms-key-policy-statements.json").read_text(encoding="utf-8"))
        assert written == {"Statement": [s.to_json() for s in bundle.kms_key_policy_statements]}


@pytest.mark.parametrize(("case_id", "bundle"), ALL, ids=[c for c, _ in ALL])
def test_every_script_is_valid_bash(case_id: str, bundle: Bundle, tmp_path: Path) -> None:
    script = tmp_path / "setup.sh"
    script.write_text(render(bundle, "aws-cli"), encoding="utf-8")
    proc = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_iam_policy_variables_and_shell_characters_reach_iam_unchanged(
    iam: Any, aws_env: dict[str, str], tmp_path: Path
) -> None:
    """``${aws:username}``, backslashes, quotes and backticks survive the heredoc as written."""
    from xraybuilder.core.export import bundle_for_policy
    from xraybuilder.core.policy.model import Policy

    policy = Policy.from_json(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Own",
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
                    "Condition": {"StringLike": {"s3:prefix": ["a\\\\b", 'q"`$(x)`', "$HOME"]}},
                }
            ],
        }
    )
    bundle = bundle_for_policy(policy, name="Odd")
    proc = run_script(render(bundle, "aws-cli"), aws_env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    check_created(iam, bundle)
