"""AWS managed policies for X-Ray, as published (data in ``data/managed_policies.json``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from xraybuilder.core.datafiles import read_json, thawed
from xraybuilder.core.policy.model import Policy


@dataclass(frozen=True)
class ManagedPolicy:
    name: str
    version: str
    description: str
    text: str
    """The policy document as JSON text; :attr:`document` parses a fresh copy."""

    @property
    def document(self) -> dict[str, Any]:
        """The policy document, a new dict on every call (callers may change theirs)."""
        parsed: dict[str, Any] = json.loads(self.text)
        return parsed

    def arn(self, partition: str = "aws") -> str:
        return f"arn:{partition}:iam::aws:policy/{self.name}"

    @property
    def policy(self) -> Policy:
        return Policy.from_json(self.document)


@cache
def managed_policies() -> Mapping[str, ManagedPolicy]:
    raw = read_json("managed_policies.json")
    return MappingProxyType(
        {
            name: ManagedPolicy(
                name, info["version"], info["description"], json.dumps(thawed(info["document"]))
            )
            for name, info in raw.items()
            if not name.startswith("_")
        }
    )


def managed_policy(name: str) -> ManagedPolicy | None:
    """Look up by name (case-insensitive) or by ARN in any partition."""
    name = name.rsplit("/", 1)[-1].lower()
    return next((p for key, p in managed_policies().items() if key.lower() == name), None)
