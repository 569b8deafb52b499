"""Writing the current draft as a user preset, so a team lead can hand out a pre-filled scenario.

A preset draft keeps its preset's file (principal, trust, notes, expectations) with the
draft's values as the new defaults, and its edited statements when there are any. A
custom draft becomes a preset for an existing identity with its statements. The text is
checked with the preset reader before it is written.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

if TYPE_CHECKING:
    from xraybuilder.core.draft import Draft, DraftStatement
    from xraybuilder.core.scenarios import Library

PRESET_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


class PresetSaveError(Exception):
    """The preset cannot be written; the message says why."""


def preset_text(draft: Draft, library: Library | None, preset_id: str, title: str) -> str:
    """The TOML of a user preset built from ``draft``."""
    if not PRESET_ID.fullmatch(preset_id):
        raise PresetSaveError(f"{preset_id!r}: an id is lower-case letters, digits and dashes, like team-ec2")
    if not title.strip():
        raise PresetSaveError("give the preset a title: it is what the scenario list shows")
    data: dict[str, Any]
    if draft.origin == "preset" and library is not None and draft.preset_id in library.presets:
        assert draft.preset_id is not None
        base = library.presets[draft.preset_id]
        data = tomllib.loads(_source_text(base.source, base.shipped))
        data["summary"] = f"{base.title}, pre-filled: " + (
            ", ".join(f"{k} = {v}" for k, v in draft.params) or "the defaults"
        )
        parameters = data.get("parameters", {})
        for key, value in draft.params:
            spec = parameters.get(key)
            if spec is None:
                continue
            spec["default"] = _typed(spec.get("type", "string"), value)
            spec.pop("required", None)
    elif draft.origin == "custom":
        data = {
            "summary": "A custom policy for an existing user, group or role.",
            "description": "Saved from the builder's custom policy.",
            "principal": [{"kind": "existing-identity", "label": "an existing user, group or role"}],
        }
    else:
        raise PresetSaveError("only a scenario or a custom policy can be saved as a preset")
    data["id"] = preset_id
    data["title"] = title.strip()
    data["order"] = 500
    if draft.statements is not None:
        data["statement"] = [_statement(s, i) for i, s in enumerate(draft.statements, 1)]
    text = tomli_w.dumps(data, multiline_strings=True)
    from xraybuilder.core.scenarios import PresetError, read_preset

    try:
        read_preset(f"{preset_id}.toml", text, shipped=False)
    except PresetError as err:
        raise PresetSaveError(f"the preset would not load: {err}") from None
    return text


def save_preset(text: str, preset_id: str, folder: Path, *, overwrite: bool = False) -> Path:
    """Write the preset file atomically into ``folder``; refuses to replace one unless asked."""
    path = folder / f"{preset_id}.toml"
    if path.exists() and not overwrite:
        raise FileExistsError(str(path))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{preset_id}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise PresetSaveError(f"{path}: {err.strerror or err}") from None
    return path


def _source_text(source: str, shipped: bool) -> str:
    if shipped:
        name = Path(source).name
        return resources.files("xraybuilder.presets").joinpath(name).read_text("utf-8")
    return Path(source).read_text("utf-8")


def _typed(kind: str, value: str) -> str | bool:
    if kind == "bool":
        return value.strip().lower() in ("true", "yes", "on", "1")
    return value


def _statement(statement: DraftStatement, number: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sid": statement.sid or f"Statement{number}",
        "effect": statement.effect,
        "actions": list(statement.actions),
        "resources": list(statement.resources),
    }
    if statement.conditions:
        out["condition"] = [
            {"operator": c.operator, "key": c.key, "values": list(c.values)} for c in statement.conditions
        ]
    return out
