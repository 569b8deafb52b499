"""Sample AWS files and a botocore reader for the profile merge tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import botocore.session

NEW_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
NEW_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TEMP_KEY_ID = "ASIAIOSFODNN7EXAMPLE"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLEtokenEXAMPLEtokenEXAMPLEtoken/EXAMPLE+token=="

DEFAULT_KEYS = ("AKIADEFAULTDEFAULT22", "defaultSECRETdefaultSECRETdefaultSECRET0")
CI_KEYS = ("AKIACICICICICICICICI", "ciSECRETciSECRETciSECRETciSECRETciSECRET")
STAGING_KEYS = ("AKIASTAGINGSTAGING77", "staging/SECRET+staging/SECRET+staging/SE")
OLD_DEV_KEYS = ("AKIADEVDEVDEVDEVDEV2", "devSECRETdevSECRETdevSECRETdevSECRETdevS")
OTHER_SECRETS = (DEFAULT_KEYS[1], CI_KEYS[1], STAGING_KEYS[1], OLD_DEV_KEYS[1])

# Comments of both kinds, [default], odd spacing around '=' and ':', an indented first
# key, blank lines, CRLF line ends and a last section without a final line end.
MESSY_CREDENTIALS = "\r\n".join(
    [
        "# Keys for this laptop; rotate every 90 days",
        "; managed by hand",
        "[default]",
        f"aws_access_key_id={DEFAULT_KEYS[0]}",
        f"aws_secret_access_key   =    {DEFAULT_KEYS[1]}",
        "",
        "",
        "[ci]",
        f"   aws_access_key_id : {CI_KEYS[0]}",
        f"aws_secret_access_key= {CI_KEYS[1]}",
        "# ci keys end here",
        "[staging]",
        f"aws_access_key_id = {STAGING_KEYS[0]}",
        f"aws_secret_access_key = {STAGING_KEYS[1]}",
    ]
).encode()

MESSY_CONFIG = "\r\n".join(
    [
        "# Regions per profile",
        "[default]",
        "region=us-east-1",
        "output   =   json",
        "",
        "[profile ci]",
        "region = eu-central-1",
        "s3 =",
        "    addressing_style = path",
        "    signature_version = s3v4",
        "",
        "[sso-session corp]",
        "sso_region = us-east-1",
        "[profile staging]",
        "region = ap-southeast-2",
    ]
).encode()

# A file where [dev] sits in the middle and carries extra lines that must survive.
CREDENTIALS_WITH_DEV = (
    "[default]\n"
    f"aws_access_key_id = {DEFAULT_KEYS[0]}\n"
    f"aws_secret_access_key = {DEFAULT_KEYS[1]}\n"
    "\n"
    "# the dev keys\n"
    "[dev]\n"
    f"aws_access_key_id = {OLD_DEV_KEYS[0]}\n"
    "# rotated last spring\n"
    f"aws_secret_access_key = {OLD_DEV_KEYS[1]}\n"
    "aws_session_token = OLDTOKEN\n"
    "aws_security_token = OLDTOKEN\n"
    "ca_bundle = /etc/ssl/corp.pem\n"
    "\n"
    "[ci]\n"
    f"aws_access_key_id = {CI_KEYS[0]}\n"
    f"aws_secret_access_key = {CI_KEYS[1]}\n"
).encode()

CONFIG_WITH_DEV = (
    b"[default]\nregion = us-east-1\n\n[profile dev]\nregion = us-west-2\noutput = table\n\n"
    b"[profile ci]\nregion = eu-central-1\n"
)

AWS_ENV = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


@dataclass
class AwsFiles:
    """The two files botocore reads in a test (named by the environment variables)."""

    credentials: Path
    config: Path

    def write(self, credentials: bytes | None = None, config: bytes | None = None) -> None:
        if credentials is not None:
            self.credentials.write_bytes(credentials)
        if config is not None:
            self.config.write_bytes(config)


def botocore_reads(profile: str) -> tuple[str, str, str | None, str | None]:
    """Key id, secret, token and Region that botocore resolves for ``profile``."""
    session = botocore.session.Session(profile=profile)
    credentials = session.get_credentials()
    assert credentials is not None, f"botocore found no credentials for {profile}"
    frozen = credentials.get_frozen_credentials()
    return frozen.access_key, frozen.secret_key, frozen.token, session.get_config_variable("region")
