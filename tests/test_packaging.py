"""pyproject.toml lists packages explicitly (presets/ is mapped in from the repository
root), so a new package or data folder must be added there: this test says which."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_every_folder_of_the_package_is_listed() -> None:
    listed = set(_config()["packages"])
    on_disk = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "xraybuilder").rglob("*")
        if folder.is_dir()
        and folder.name != "__pycache__"
        and any(f.suffix in (".py", ".json", ".tcss", ".toml") for f in folder.iterdir())
    }
    on_disk.add("xraybuilder")
    assert sorted(on_disk - listed) == []


def test_every_data_folder_ships_its_files() -> None:
    config = _config()
    data = config["package-data"]
    dirs = config.get("package-dir", {})
    for package in config["packages"]:
        folder = ROOT / dirs.get(package, package.replace(".", "/"))
        kinds = {f.suffix for f in folder.iterdir() if f.is_file() and f.suffix != ".py"}
        for suffix in kinds:
            assert f"*{suffix}" in data.get(package, []), (package, suffix)


def test_presets_are_mapped_from_the_repository_root() -> None:
    assert _config()["package-dir"] == {"xraybuilder.presets": "presets"}
    assert sorted(p.name for p in (ROOT / "presets").glob("*.toml"))


def test_every_catalog_service_file_is_shipped() -> None:
    # One file per service in a subfolder (no __init__.py: not a package of its own), so
    # the package data of the catalog's data package must name the folder's pattern.
    patterns = _config()["package-data"]["xraybuilder.core.catalog.data"]
    folder = ROOT / "xraybuilder" / "core" / "catalog" / "data" / "services"
    files = list(folder.iterdir())
    assert len(files) > 400
    assert {f"services/*{f.suffix}" for f in files} <= set(patterns)
