"""Service principals for role trust policies, per partition (data in ``_service_principals.toml``)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

SERVICE_PRINCIPALS_FILE = "_service_principals.toml"


@cache
def service_principals() -> Mapping[str, Mapping[str, str]]:
    """Service principal per partition: ``{"ec2": {"default": …, "aws-cn": …}}``."""
    text = resources.files("xraybuilder.presets").joinpath(SERVICE_PRINCIPALS_FILE).read_text("utf-8")
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in tomllib.loads(text).items()})


def service_principal(service: str, partition: str) -> str:
    """The principal a trust policy names for ``service`` in ``partition``."""
    if "." in service:
        return service
    table = service_principals()[service]
    return table.get(partition, table["default"])
