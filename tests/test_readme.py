"""The README says what the presets really do: their number, and what each grants beyond
the managed policy it stands in for; and its layout table names every module of the core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xraybuilder.core.bundle import baseline_policy, build
from xraybuilder.core.explain import compare
from xraybuilder.core.scenarios import load_library

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHIPPED = load_library(include_user=False)
WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
REQUIRED = {
    "ecs": {"account": "123456789012"},
    "group-admin": {"account": "123456789012"},
    "sampling-rule-admin": {"account": "123456789012"},
    "encryption-admin": {
        "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "admin_arn": "arn:aws:iam::123456789012:role/XRayAdmin",
    },
}


def _beyond_table() -> dict[str, tuple[str, str]]:
    """Preset id -> (stands in for, grants beyond it), from the README's table."""
    start = README.index("| Preset | Stands in for | Grants beyond it |")
    rows = {}
    for line in README[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        ids, baseline, beyond = (cell.strip() for cell in line.strip("|").split("|"))
        for pid in re.findall(r"`([a-z0-9-]+)`", ids):
            rows[pid] = (baseline, beyond)
    return rows


def test_the_number_of_ways_is_the_number_of_presets() -> None:
    m = re.search(r"It turns the (\w+) ways", README.replace("\n", " "))
    assert m is not None
    assert m.group(1) == WORDS[len(SHIPPED.ordered())]


def test_every_preset_has_a_row_saying_what_it_grants_beyond_its_baseline() -> None:
    assert set(_beyond_table()) == {p.id for p in SHIPPED.ordered()}


@pytest.mark.parametrize("pid", [p.id for p in SHIPPED.ordered()])
def test_the_row_matches_what_the_default_build_grants(pid: str) -> None:
    baseline_text, beyond_text = _beyond_table()[pid]
    preset = SHIPPED.get(pid)
    assert baseline_text == " + ".join(preset.baseline)
    bundle = build(preset, REQUIRED.get(pid, {}))
    beyond = set()
    if bundle.identity_policy is not None:
        beyond = compare(bundle.identity_policy, baseline_policy(bundle)).beyond_actions()  # type: ignore[arg-type]
    if beyond_text.startswith("nothing"):
        assert beyond == set()
    for action in beyond:
        assert f"`{action}`" in beyond_text
    for arn in bundle.managed_policy_arns:
        assert arn.rsplit("/", 1)[1] in beyond_text, "attached managed policies are named"


def test_the_layout_table_names_every_module_of_the_core() -> None:
    start = README.index("| Path | What it holds |")
    table = README[start : README.index("\n\n", start)]
    core = ROOT / "xraybuilder" / "core"
    modules = sorted(
        p.name + ("/" if p.is_dir() else "")
        for p in core.iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py") or (p.is_dir() and (p / "__init__.py").exists())
    )
    assert "draft.py" in modules and "arn/" in modules
    missing = [m for m in modules if f"{m}`" not in table]
    assert missing == []
