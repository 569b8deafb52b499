"""AWS managed policies for X-Ray, as published (data in ``data/managed_policies.json``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from xraybuilder.core.datafiles import read_json
from xraybuilder.core.policy.model import Policy


@dataclass(frozen=True)
class ManagedPolicy:
    name: str
    version: str
    description: str
    document: dict[str, Any]

    def arn(self, partition: str = "aws") -> str:
        return f"arn:{partition}:iam::aws:policy/{self.name}"

    @property
    def policy(self) -> Policy:
        return Policy.from_json(self.document)


@cache
def managed_policies() -> dict[str, ManagedPolicy]:
    raw = read_json("managed_policies.json")
    return {
        name: ManagedPolicy(name, info["version"], info["description"], info["document"])
        for name, info in raw.items()
        if not name.startswith("_")
    }


def managed_policy(name: str) -> ManagedPolicy | None:
    """Look up by name (case-insensitive) or by ARN in any partition."""
    name = name.rsplit("/", 1)[-1].lower()
    return next((p for key, p in managed_policies().items() if key.lower() == name), None)
