"""Finding presets: the shipped ones in ``xraybuilder.presets`` and the user's own.

User presets live in ``<config dir>/presets/*.toml``; ``XRAYBUILDER_CONFIG_DIR`` overrides
the config dir. A broken file becomes a PresetError in the library and never stops the
others; a file is read again only when it changes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from xraybuilder.core.scenarios.model import Preset, PresetError, UnknownPreset
from xraybuilder.core.scenarios.reader import key_lines, read_preset

CONFIG_DIR_ENV = "XRAYBUILDER_CONFIG_DIR"


def config_dir() -> Path:
    """The user config dir: ``$XRAYBUILDER_CONFIG_DIR`` or the platform's own."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("xraybuilder"))


def user_presets_dir() -> Path:
    return config_dir() / "presets"


@dataclass(frozen=True)
class Library:
    """Every preset that loaded, and an error for each file that did not."""

    presets: Mapping[str, Preset]
    errors: tuple[PresetError, ...] = ()
    warnings: tuple[str, ...] = ()

    def get(self, preset_id: str) -> Preset:
        """The preset with this id; UnknownPreset (with a suggestion) otherwise."""
        try:
            return self.presets[preset_id]
        except KeyError:
            raise UnknownPreset(preset_id, self.presets) from None

    def ordered(self) -> list[Preset]:
        """Shipped presets in their intended order, then user presets by id."""
        return sorted(self.presets.values(), key=lambda p: (not p.shipped, p.order, p.id))


@cache
def _shipped() -> tuple[tuple[Preset, ...], tuple[PresetError, ...]]:
    found: list[Preset] = []
    errors: list[PresetError] = []
    folder = resources.files("xraybuilder.presets")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml") or entry.name.startswith("_"):
            continue
        try:
            found.append(read_preset(f"presets/{entry.name}", entry.read_text("utf-8"), shipped=True))
        except PresetError as err:
            errors.append(err)
    return tuple(found), tuple(errors)


# A user file is read again only when its size or time stamp changes; shells load the
# library from worker threads, hence the lock.
_USER_CACHE: dict[Path, tuple[tuple[int, int], Preset | PresetError]] = {}
_USER_CACHE_LOCK = threading.Lock()


def _read_user_file(path: Path) -> Preset | PresetError:
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with _USER_CACHE_LOCK:
            hit = _USER_CACHE.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = path.read_bytes()
    except OSError as err:
        return PresetError(str(path), f"cannot read the file: {err.strerror or err}")
    try:
        text = data.decode("utf-8")
        result: Preset | PresetError = read_preset(str(path), text, shipped=False)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        result = PresetError(str(path), "the file is not UTF-8 text", line=line)
    except PresetError as err:
        result = err
    with _USER_CACHE_LOCK:
        _USER_CACHE[path] = (stamp, result)
    return result


def load_library(user_dir: Path | None = None, *, include_user: bool = True) -> Library:
    """Shipped presets plus the user's; a user preset with a shipped id replaces it."""
    shipped, errors = _shipped()
    presets = {p.id: p for p in shipped}
    all_errors = list(errors)
    warnings: list[str] = []
    folder = user_presets_dir() if user_dir is None else user_dir
    user_ids: dict[str, str] = {}
    if include_user and folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            result = _read_user_file(path)
            if isinstance(result, PresetError):
                all_errors.append(result)
                continue
            if result.id in user_ids:
                all_errors.append(
                    PresetError(
                        str(path),
                        f"the id {result.id!r} is already used by {user_ids[result.id]}",
                        key="id",
                        line=_id_line(path),
                    )
                )
                continue
            if result.id in presets:
                warnings.append(f"{path}: replaces the shipped preset {result.id!r}")
            user_ids[result.id] = str(path)
            presets[result.id] = result
    return Library(MappingProxyType(presets), tuple(all_errors), tuple(warnings))


def _id_line(path: Path) -> int | None:
    try:
        return key_lines(path.read_text("utf-8")).get(("id",))
    except (OSError, UnicodeDecodeError):
        return None


def get_preset(preset_id: str) -> Preset:
    """A preset by id from the shipped and user presets; UnknownPreset otherwise."""
    return load_library().get(preset_id)


def read_preset_file(path: Path) -> Preset:
    """Read one preset file, raising PresetError when it is broken."""
    result = _read_user_file(path)
    if isinstance(result, PresetError):
        raise result
    return result
