"""The AWS profile export: the ``~/.aws/credentials`` and ``~/.aws/config`` sections.

The two files name a profile differently: ``[name]`` in credentials, ``[profile name]`` in
config (``[default]`` in both), and botocore silently ignores a section written the
other way round. The sections come from the bundle's snippets (``core.credentials``
writes them, with placeholders only: real keys never pass through an export).
"""

from __future__ import annotations

from xraybuilder.core.bundle import Bundle, Snippet
from xraybuilder.core.export.comments import comment

FILE_NAME = "aws-config.txt"


def _sections(bundle: Bundle) -> list[Snippet]:
    return [s for s in bundle.snippets if s.language == "ini"]


def render(bundle: Bundle) -> str:
    """Every section, each under a comment naming the file it belongs in."""
    sections = _sections(bundle)
    lines = [f"# {bundle.preset_id}: {bundle.principal_label}"]
    if not sections:
        lines += comment(
            f"This scenario makes no access keys: {bundle.principal_label} get credentials from "
            "AWS itself (the instance, the task, the function or your own sign-in), so there is "
            "nothing to add to ~/.aws/credentials or ~/.aws/config."
        )
        return "\n".join(lines) + "\n"
    lines += comment(
        "Placeholders only: replace them with the key ID and secret that 'aws iam create-access-key' "
        "prints, or run 'xraybuilder profile add' to merge them safely. Keep the files private "
        "(mode 0600) and never commit them."
    )
    for snippet in sections:
        lines += ["", f"# {snippet.title}", snippet.text.rstrip("\n")]
    return "\n".join(lines) + "\n"


def render_files(bundle: Bundle) -> dict[str, str]:
    """One file per section (``credentials-NAME.ini``, ``config-NAME.ini``), or a note when none."""
    sections = _sections(bundle)
    if not sections:
        return {FILE_NAME: render(bundle)}
    return {s.file: s.text for s in sections}
