"""Fixtures for the profile merge tests: a private home and AWS files named by the environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from profile_samples import AWS_ENV, AwsFiles


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home folder, and no AWS settings from the developer's environment."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    for name in AWS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return folder


@pytest.fixture
def aws(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsFiles]:
    """Credentials and config files in a folder of their own, named by the environment."""
    folder = tmp_path / "aws"
    folder.mkdir()
    files = AwsFiles(folder / "credentials", folder / "config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(files.credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(files.config))
    yield files
