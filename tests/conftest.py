"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from xraybuilder.core.scenarios.loader import CONFIG_DIR_ENV

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user config dir for every test, so the developer's own presets stay out.

    Tests that need user presets write them into ``config_dir / "presets"``. The builder's
    autosave goes to a private state dir too: tests run in parallel workers, and none may
    resume (or overwrite) a draft another test, or the developer, left.
    """
    folder = tmp_path / "config"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(folder))
    monkeypatch.setenv("XRAYBUILDER_STATE_DIR", str(tmp_path / "state"))
    return folder


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of policy files every command is checked against (see its README)."""
    return CORPUS


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``xraybuilder ARGS…`` in this process: (exit status, standard output, standard error)."""
    from xraybuilder.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse's usage errors and --help
            code = exit_.code if isinstance(exit_.code, int) else 2
        out, err = capsys.readouterr()
        return code, out, err

    return run
