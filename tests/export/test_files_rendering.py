"""core.export.files: the files and README a bundle is written as (Bundle.files delegates here)."""

from __future__ import annotations

import json

from xraybuilder.core.bundle import build
from xraybuilder.core.export.files import files, key_policy_statements_text, readme

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN = "arn:aws:iam::123456789012:role/XRayAdmin"


def test_bundle_files_delegate_to_the_export_module() -> None:
    bundle = build("lambda")
    assert bundle.files() == files(bundle)
    assert bundle.readme() == readme(bundle)
    assert list(files(bundle)) == [
        "policy.json",
        "trust-policy.json",
        "managed-policy-arns.txt",
        "README.txt",
    ]
    assert files(bundle)["managed-policy-arns.txt"] == (
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n"
    )


def test_key_policy_statements_are_one_document_without_a_version() -> None:
    bundle = build("encryption-admin", {"kms_key_arn": KEY_ARN, "admin_arn": ADMIN})
    text = files(bundle)["kms-key-policy-statements.json"]
    assert text == key_policy_statements_text(bundle.kms_key_policy_statements)
    doc = json.loads(text)
    assert list(doc) == ["Statement"]
    assert [s["Sid"] for s in doc["Statement"]] == ["AllowXRayEncryptionSetup", "AllowXRayTraceDecryption"]


def test_readme_names_what_to_create_and_the_notes() -> None:
    bundle = build("ec2", {"daemon_download": "s3-read-only"})
    text = readme(bundle)
    lines = text.splitlines()
    assert lines[0] == f"Scenario: ec2 ({bundle.principal_label})"
    assert f"role: {bundle.names['role']}" in lines
    assert "attach: arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" in lines
    assert all(f"- {note}" in lines for note in bundle.notes)
    assert text.endswith("\n")
