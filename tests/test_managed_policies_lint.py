"""The six AWS managed X-Ray policies, as AWS publishes them, lint without errors."""

from __future__ import annotations

import json

import pytest

from xraybuilder.core.lint import LintContext, Severity, lint
from xraybuilder.core.managed import managed_policies
from xraybuilder.core.policy.render import render

NAMES = sorted(managed_policies())


def test_there_are_six() -> None:
    assert NAMES == sorted(
        [
            "AWSXrayReadOnlyAccess",
            "AWSXRayDaemonWriteAccess",
            "AWSXrayFullAccess",
            "AWSXrayWriteOnlyAccess",
            "AWSXrayCrossAccountSharingConfiguration",
            "AWSXRayAPIKeyAccess",
        ]
    )


@pytest.mark.parametrize("name", NAMES)
def test_managed_policy_has_no_errors(name: str) -> None:
    document = managed_policies()[name].document
    # AWS publishes them with spaces around the colons; lint that layout too.
    published = json.dumps(document, indent=2, separators=(",", " : "))
    for text in (published, render(document), render(document, compact=True)):
        findings = lint(text, LintContext(target="managed"))
        errors = [f for f in findings if f.severity is Severity.ERROR]
        assert errors == [], errors


@pytest.mark.parametrize("name", NAMES)
def test_findings_do_not_depend_on_layout(name: str) -> None:
    document = managed_policies()[name].document
    pretty = lint(render(document))
    compact = lint(render(document, compact=True))
    assert [(f.code, f.path, f.message) for f in pretty] == [(f.code, f.path, f.message) for f in compact]
    # Positions point into the text that was linted.
    text = render(document)
    lines = text.split("\n")
    for f in pretty:
        assert 1 <= f.line <= len(lines) and 1 <= f.column <= len(lines[f.line - 1]) + 1


@pytest.mark.parametrize("name", NAMES)
def test_model_document_and_linting_agree(name: str) -> None:
    policy = managed_policies()[name]
    # Linting the model gives the same verdict as linting its JSON.
    assert [f.code for f in lint(policy.policy)] == [f.code for f in lint(policy.document)]
