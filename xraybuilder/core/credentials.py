"""Snippets for ``~/.aws/credentials`` and ``~/.aws/config``, with placeholders for the keys.

The two files name sections differently (botocore): the credentials file uses ``[name]``,
the config file ``[profile name]`` except for ``[default]``. A section written the other
way round is silently ignored or fails with ProfileNotFound, so the rule lives here once.
Real access keys never pass through this module: it only ever writes placeholders.
"""

from __future__ import annotations

DEFAULT_PROFILE = "default"
ACCESS_KEY_PLACEHOLDER = "<your-access-key-id>"
SECRET_KEY_PLACEHOLDER = "<your-secret-access-key>"


def credentials_header(profile: str) -> str:
    """Section header for the credentials file: ``[name]`` (``[default]`` for the default)."""
    return f"[{profile}]"


def config_header(profile: str) -> str:
    """Section header for the config file: ``[profile name]``, but ``[default]`` as is."""
    return "[default]" if profile == DEFAULT_PROFILE else f"[profile {profile}]"


def credentials_snippet(profile: str) -> str:
    """A credentials-file section for ``profile`` holding placeholders, never real keys."""
    return (
        f"{credentials_header(profile)}\n"
        f"aws_access_key_id = {ACCESS_KEY_PLACEHOLDER}\n"
        f"aws_secret_access_key = {SECRET_KEY_PLACEHOLDER}\n"
    )


def config_snippet(profile: str, region: str, output: str | None = None) -> str:
    """A config-file section for ``profile`` setting the Region (and output format)."""
    lines = [config_header(profile), f"region = {region}"]
    if output:
        lines.append(f"output = {output}")
    return "\n".join(lines) + "\n"
