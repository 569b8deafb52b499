"""The golden files in tests/golden/ are what the exports give today.

After an intended change, regenerate them with ``python scripts/update_golden.py`` and
review the diff; never edit them by hand.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_golden", ROOT / "scripts" / "update_golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def no_user_presets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XRAYBUILDER_CONFIG_DIR", str(tmp_path / "config"))


def test_every_golden_file_matches_the_export() -> None:
    script = _script()
    texts = script.golden()
    assert {fmt for *_, fmt in script.GOLDEN} == {
        "json", "aws-cli", "terraform", "cloudformation", "cloudformation-json", "aws-config"
    }  # fmt: skip
    for name, text in texts.items():
        path = ROOT / "tests" / "golden" / name
        assert path.read_text(encoding="utf-8") == text, f"{name}: run python scripts/update_golden.py"
    assert sorted(p.name for p in (ROOT / "tests" / "golden").iterdir()) == sorted(texts)


def test_the_script_reports_a_difference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = _script()
    monkeypatch.setattr(script, "FOLDER", tmp_path)
    assert script.main(["--check"]) == 1  # nothing there yet
    assert script.main([]) == 0
    assert script.main(["--check"]) == 0
    (tmp_path / "ec2.aws-cli.sh").write_text("edited\n", encoding="utf-8")
    assert script.main(["--check"]) == 1
