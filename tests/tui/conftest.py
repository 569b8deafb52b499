"""Every builder test gets private state and config dirs."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def own_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own autosave and config folders (and no user presets or keymap)."""
    monkeypatch.setenv("XRAYBUILDER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("XRAYBUILDER_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path
