"""Writing the current draft as a user preset, so a team lead can hand out a pre-filled scenario.

A preset draft keeps its preset's file (principal, trust, notes, expectations) with the
draft's values as the new defaults, and its edited statements when there are any. In
those, a value that still equals a parameter's is written back as its ``{name}``
placeholder (an unedited resource gets the preset's own template), so whoever starts
from the saved preset with another account or Region gets ARNs that follow. A custom
draft becomes a preset for an existing identity with its statements. The text is checked
with the preset reader before it is written.
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
    from collections.abc import Mapping, Sequence

    from xraybuilder.core.draft import Draft, DraftStatement
    from xraybuilder.core.scenarios import Library, Preset, Value

PRESET_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# The ARN fields a parameter of the same type fills: partition, Region, account.
ARN_FIELDS = ((1, "partition"), (3, "region"), (4, "account"))


class PresetSaveError(Exception):
    """The preset cannot be written; the message says why."""


def preset_text(draft: Draft, library: Library | None, preset_id: str, title: str) -> str:
    """The TOML of a user preset built from ``draft``."""
    if not PRESET_ID.fullmatch(preset_id):
        raise PresetSaveError(f"{preset_id!r}: an id is lower-case letters, digits and dashes, like team-ec2")
    if not title.strip():
        raise PresetSaveError("give the preset a title: it is what the scenario list shows")
    data: dict[str, Any]
    placeholders: Placeholders | None = None
    if draft.origin == "preset" and library is not None and draft.preset_id in library.presets:
        assert draft.preset_id is not None
        base = library.presets[draft.preset_id]
        placeholders = Placeholders.of(base, draft.params_dict())
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
        data["statement"] = [_statement(s, i, placeholders) for i, s in enumerate(draft.statements, 1)]
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


class Placeholders:
    """Turns concrete values of a preset draft back into the preset's ``{name}`` placeholders.

    Only parameters in play whatever the choices (no ``when``) qualify: a saved statement
    has no ``when`` of its own, so the preset reader would refuse any other.
    """

    def __init__(self, preset: Preset, values: Mapping[str, Value]) -> None:
        from xraybuilder.core.scenarios import builtin_values

        self.preset = preset
        self.values: dict[str, Value] = {**builtin_values(values), **values}
        self.names: list[tuple[str, str, str]] = [
            (param.name, param.type, value)
            for param in preset.parameters.values()
            if not param.when
            and param.type != "bool"
            and isinstance(value := values.get(param.name), str)
            and value not in ("", "*")
        ]
        self.usable = {name for name, _, _ in self.names} | set(builtin_values(values))

    @classmethod
    def of(cls, preset: Preset, given: Mapping[str, str]) -> Placeholders | None:
        """For ``preset`` with the draft's parameter text; None when the values do not resolve."""
        from xraybuilder.core.scenarios import resolve

        resolution = resolve(preset, given)
        return cls(preset, resolution.values) if resolution.ok else None

    def templates(self, sid: str) -> tuple[str, ...]:
        """The preset's resource templates of the statement called ``sid``."""
        return next((spec.resources for spec in self.preset.statements if spec.sid == sid), ())

    def _template_for(self, text: str, templates: Sequence[str]) -> str | None:
        from xraybuilder.core.scenarios import PresetError, fill, placeholders

        for template in templates:
            if not set(placeholders(template)) <= self.usable:
                continue
            try:
                if fill(template, self.values) == text:
                    return template
            except PresetError:
                continue
        return None

    def _name_of(self, value: str, kinds: tuple[str, ...] | None = None) -> str | None:
        for name, kind, text in self.names:
            if text == value and (kinds is None or kind in kinds):
                return name
        return None

    def _segments(self, text: str) -> str:
        # Whole segments only: a value inside a longer name stays as typed.
        parts = re.split(r"([/:])", text)
        for i in range(0, len(parts), 2):
            name = self._name_of(parts[i], None) if parts[i] else None
            if name is not None and self._kind(name) != "partition":
                parts[i] = f"{{{name}}}"
        return "".join(parts)

    def _kind(self, name: str) -> str:
        return next(kind for n, kind, _ in self.names if n == name)

    def resource(self, text: str, sid: str) -> str:
        """``text`` with the values that still equal a parameter's written as placeholders."""
        template = self._template_for(text, self.templates(sid))
        if template is not None:
            return template
        fields = text.split(":", 5)
        if len(fields) != 6 or fields[0] != "arn":
            return self.value(text)
        for index, kind in ARN_FIELDS:
            name = self._name_of(fields[index], (kind,))
            if name is not None:
                fields[index] = f"{{{name}}}"
        fields[5] = self._segments(fields[5])
        return ":".join(fields)

    def value(self, text: str) -> str:
        """A whole value (a condition's) that equals a parameter's, as its placeholder."""
        if text.startswith("arn:"):
            return self.resource(text, "")
        name = self._name_of(text)
        return f"{{{name}}}" if name is not None else text

    def key(self, key: str) -> str:
        """A condition key whose tag name equals a parameter's (``aws:ResourceTag/{tag_key}``)."""
        prefix, slash, rest = key.partition("/")
        name = self._name_of(rest) if slash else None
        return f"{prefix}/{{{name}}}" if name is not None else key


def _statement(statement: DraftStatement, number: int, placeholders: Placeholders | None) -> dict[str, Any]:
    resources = list(statement.resources)
    if placeholders is not None:
        resources = [placeholders.resource(r, statement.sid) for r in resources]
    out: dict[str, Any] = {
        "sid": statement.sid or f"Statement{number}",
        "effect": statement.effect,
        "actions": list(statement.actions),
        "resources": resources,
    }
    if statement.conditions:
        out["condition"] = [
            {
                "operator": c.operator,
                "key": placeholders.key(c.key) if placeholders else c.key,
                "values": [placeholders.value(v) if placeholders else v for v in c.values],
            }
            for c in statement.conditions
        ]
    return out
