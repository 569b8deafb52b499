"""Exports: a Bundle as the text each tool takes (JSON, AWS CLI, Terraform, CloudFormation, ~/.aws).

``render(bundle, fmt)`` gives one self-contained text (what ``new --print`` shows);
``render_files(bundle, fmt)`` gives file name -> text (what ``new --out`` writes). Each
format lives in its own module, imported only when used. Custom and file drafts have no
preset bundle: ``bundle_for_policy`` wraps their identity policy in one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from xraybuilder.core.bundle import Bundle
from xraybuilder.core.policy.model import Policy

FORMATS: tuple[str, ...] = (
    "json",
    "aws-cli",
    "terraform",
    "cloudformation",
    "cloudformation-json",
    "aws-config",
)
TITLES = {
    "json": "JSON documents",
    "aws-cli": "AWS CLI script (bash)",
    "terraform": "Terraform",
    "cloudformation": "CloudFormation (YAML)",
    "cloudformation-json": "CloudFormation (JSON)",
    "aws-config": "~/.aws profile sections",
}
# format -> (module, function for render, function for render_files)
_RENDERERS = {
    "json": ("jsondocs", "render", "render_files"),
    "aws-cli": ("awscli", "render", "render_files"),
    "terraform": ("terraform", "render", "render_files"),
    "cloudformation": ("cloudformation", "render_yaml", "render_files_yaml"),
    "cloudformation-json": ("cloudformation", "render_json", "render_files_json"),
    "aws-config": ("awsconfig", "render", "render_files"),
}


class UnknownFormat(ValueError):
    """A format name that is not in FORMATS; the message lists the valid ones."""

    def __init__(self, fmt: str) -> None:
        super().__init__(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.format = fmt


def _function(fmt: str, index: int) -> Callable[[Bundle], object]:
    if fmt not in _RENDERERS:
        raise UnknownFormat(fmt)
    entry = _RENDERERS[fmt]
    module = importlib.import_module(f"{__name__}.{entry[0]}")
    function: Callable[[Bundle], object] = getattr(module, entry[index])
    return function


def render(bundle: Bundle, fmt: str) -> str:
    """One self-contained text of the bundle in ``fmt``; UnknownFormat for a name not in FORMATS."""
    text = _function(fmt, 1)(bundle)
    assert isinstance(text, str)
    return text


def render_files(bundle: Bundle, fmt: str) -> dict[str, str]:
    """File name -> text of the bundle in ``fmt``; the same content as ``render``, split by document."""
    files = _function(fmt, 2)(bundle)
    assert isinstance(files, dict)
    return files


def bundle_for_policy(policy: Policy, name: str = "XRayPolicy", partition: str = "aws") -> Bundle:
    """A bundle holding only ``policy`` as a customer managed policy called ``name``.

    For drafts that are not a preset (a custom policy, a file): every format then renders
    the policy as something to create and attach to existing users, groups or roles.
    """
    return Bundle(
        preset_id="custom",
        principal_kind="existing-identity",
        principal_label="the IAM users, groups or roles that need the policy",
        lint_target="managed",
        parameters={"partition": partition},
        identity_policy=policy,
        trust_policy=None,
        managed_policy_arns=(),
        kms_key_policy_statements=(),
        names={"policy": name},
        instance_profile=None,
        access_keys=False,
        snippets=(),
        notes=(),
        expectations=(),
        baseline=(),
        outside_baseline={},
    )
