"""Every module cache of the core hands out data no caller can change.

A cached result is shared by every later caller in the process (a shell runs for hours),
so one caller changing it would change what all the others see. The test finds every
``functools.cache``/``lru_cache`` function of the core, records what each returns while
the engine lints, explains, evaluates and builds the whole corpus and every preset, and
checks each value is immutable all the way down.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import functools
import importlib
import ipaddress
import json
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

import xraybuilder.core as core
import xraybuilder.core.lint as lint_module
from xraybuilder.core import catalog, managed, printable
from xraybuilder.core.assess import assess
from xraybuilder.core.bundle import build
from xraybuilder.core.datafiles import read_json
from xraybuilder.core.draft import Draft
from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.explain import compare, summarize
from xraybuilder.core.lint import codes as lint_codes
from xraybuilder.core.lint import lint
from xraybuilder.core.patterns import STAR, Wildcard
from xraybuilder.core.policy.model import Policy, PolicyShapeError
from xraybuilder.core.scenarios.loader import load_library
from xraybuilder.core.scenarios.principals import service_principals

CORPUS = Path(__file__).parent / "corpus"
_LEAVES = (
    str,
    bytes,
    int,
    float,
    bool,
    type(None),
    decimal.Decimal,
    datetime.date,
    datetime.time,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    re.Pattern,
    enum.Enum,
    Wildcard,  # its __setattr__ refuses any change (tested below)
)


def mutable_part(value: Any, where: str = "result", seen: set[int] | None = None) -> str | None:
    """Where ``value`` holds something a caller could change; None when it is immutable throughout."""
    seen = set() if seen is None else seen
    if isinstance(value, _LEAVES) or id(value) in seen:
        return None
    seen.add(id(value))
    if isinstance(value, tuple | frozenset):
        items: Iterator[tuple[str, Any]] = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    elif isinstance(value, MappingProxyType):
        items = ((f"{where}[{k!r}]", v) for k, v in value.items())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:
            return f"{where} ({type(value).__name__} is not frozen)"
        # A private memo (``init=False``, ``_``-named) only holds values derived from the
        # frozen fields on first use; the public fields are what callers share.
        items = (
            (f"{where}.{f.name}", getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init or not f.name.startswith("_")
        )
    else:
        return f"{where} ({type(value).__name__})"
    for inner_where, inner in items:
        found = mutable_part(inner, inner_where, seen)
        if found is not None:
            return found
    return None


def cached_functions() -> dict[str, Callable[..., Any]]:
    """Every function of the core wrapped by functools.cache or lru_cache, by qualified name."""
    out = {}
    for info in pkgutil.walk_packages(core.__path__, "xraybuilder.core."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if hasattr(obj, "cache_info") and getattr(obj, "__module__", None) == info.name:
                out[f"{info.name}.{name}"] = obj
    return out


def workload() -> None:
    """What the shells do: lint, explain, evaluate, build and assess drafts."""
    for path in sorted(CORPUS.glob("*.json")):
        text = path.read_text("utf-8", errors="replace")
        lint(text)
        assess(Draft.from_text(text, path.name))
        try:
            policy = Policy.from_text(text)
            summarize(policy)
            compare(policy, "AWSXrayReadOnlyAccess")
        except PolicyShapeError:
            continue
        for action in ("xray:GetGroup", "xray:PutTraceSegments", "kms:Decrypt"):
            evaluate([policy], Request.build(action, "arn:aws:xray:eu-west-1:123456789012:group/web/ID"))
    for preset in load_library(include_user=False).ordered():
        try:
            assess(Draft.from_preset(preset.id, {"account": "123456789012"}).editable())
            build(preset.id, {"account": "123456789012"})
        except Exception:  # noqa: BLE001 - presets needing more parameters still read the catalog
            continue
    catalog.condition_key("aws:ResourceTag/team")
    catalog.action_names("ec2")
    catalog.all_services()
    lint_codes.codes()  # through the module, whose attribute the recorder replaces
    printable.printable("\x1b[2J")
    printable.json_safe('"\ud800"')


def test_every_cached_result_is_immutable(monkeypatch: pytest.MonkeyPatch) -> None:
    functions = cached_functions()
    # Keyed by identity: a cache hands out the same object again and again.
    results: dict[str, dict[int, Any]] = {name: {} for name in functions}

    def recorder(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def record(*args: Any, **kwargs: Any) -> Any:
            value = original(*args, **kwargs)
            results[name][id(value)] = value
            return value

        return record

    # Emptied first, so caches behind other caches are filled (and seen) again.
    for original in functions.values():
        original.cache_clear()  # type: ignore[attr-defined]
    lint_module._STATEMENTS.clear()
    # Replace every reference a module holds, including ``from x import f`` copies.
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("xraybuilder") or module is None:
            continue
        for attr, obj in list(vars(module).items()):
            for name, original in functions.items():
                if obj is original:
                    monkeypatch.setattr(module, attr, recorder(name, original))
    workload()

    # A new cache must be reached by the workload (extend it), so it is checked too.
    assert sorted(name for name, values in results.items() if not values) == []
    problems = {
        name: problem
        for name, values in results.items()
        for value in values.values()
        if (problem := mutable_part(value)) is not None
    }
    assert problems == {}
    # The linter's statement cache is no functools cache (a missing entry is worked out
    # in the document at hand), and holds frozen values too.
    kept = lint_module._STATEMENTS.values()
    assert kept and any(value is not None for value in kept)
    assert [problem for value in kept if (problem := mutable_part(value)) is not None] == []


def test_the_statement_cache_is_bounded() -> None:
    cache = lint_module._STATEMENTS
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": "xray:GetGroup", "Resource": "*"} for i in range(40)
    ]
    for start in range(0, cache.maxsize + 200, 40):
        for i, statement in enumerate(statements):
            statement["Sid"] = f"S{start + i}"
        lint(json.dumps({"Version": "2012-10-17", "Statement": statements}))
    assert len(cache.values()) == cache.maxsize


def test_every_cache_is_bounded_or_takes_no_open_ended_argument() -> None:
    # An unbounded cache keyed by user text would grow for as long as a shell runs.
    for name, function in cached_functions().items():
        info = function.cache_info()
        takes_arguments = bool(function.__wrapped__.__code__.co_argcount)
        assert info.maxsize is not None or not takes_arguments or name.endswith(_CLOSED_KEYS), name


# Cached functions whose argument comes from a small closed set (a data file name, a
# service prefix the catalog holds): one entry per member, however long the process runs.
_CLOSED_KEYS = ("datafiles.read_json", "catalog.service", "catalog._key_index")


@pytest.mark.parametrize(
    ("name", "mutate"),
    [
        ("expand_action list", lambda: catalog.expand_action("xray:Get*").clear()),
        ("partitions", lambda: catalog.partitions().pop("aws")),
        ("service actions", lambda: catalog.xray().actions.clear()),
        ("all services", lambda: catalog.all_services().update({"x": "y"})),
        ("action names", lambda: catalog.action_names("xray").clear()),
        ("global keys", lambda: catalog.global_condition_keys().clear()),
        ("data file", lambda: read_json("condition_operators.json")["operators"].clear()),
        ("managed", lambda: managed.managed_policies().clear()),
        ("principals", lambda: service_principals()["ec2"].clear()),
        ("action field", lambda: setattr(catalog.action("xray:GetGroup"), "name", "X")),
        ("preset parameters", lambda: load_library(include_user=False).get("ec2").parameters.clear()),
    ],
)
def test_mutating_a_cached_result_raises(name: str, mutate: Callable[[], Any]) -> None:
    with pytest.raises((AttributeError, TypeError, dataclasses.FrozenInstanceError)):
        mutate()


def test_a_wildcard_cannot_change() -> None:
    with pytest.raises(AttributeError):
        STAR.char = "?"


def test_a_managed_policy_document_is_a_fresh_copy() -> None:
    policy = managed.managed_policy("AWSXrayReadOnlyAccess")
    assert policy is not None
    policy.document["Statement"].clear()
    assert policy.document["Statement"]


def test_mutable_part_finds_lists_and_dicts() -> None:
    assert mutable_part((1, ("a", [2]))) == "result[1][1] (list)"
    assert mutable_part(MappingProxyType({"k": {}})) == "result['k'] (dict)"
    assert mutable_part(catalog.xray()) is None
