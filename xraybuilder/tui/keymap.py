"""Key bindings the user remaps in ``<config dir>/keymap.toml``.

The file maps binding ids to keys, under a ``[keys]`` table::

    [keys]
    next_step = "f6"
    previous_step = "shift+f6"
    help = "f1,ctrl+h"

Unknown ids and unreadable files are reported and ignored: the defaults stay.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

FILE_NAME = "keymap.toml"


def keymap_path() -> Path:
    from xraybuilder.core.scenarios.loader import config_dir

    return config_dir() / FILE_NAME


def binding_ids(app: App[Any]) -> set[str]:
    """Every binding id the app and its widgets declare."""
    from textual.binding import Binding

    ids: set[str] = set()
    for node in [app, *app.screen.walk_children()]:
        for binding in node._bindings.key_to_bindings.values():
            for item in binding:
                if isinstance(item, Binding) and item.id:
                    ids.add(item.id)
    return ids


def read_keymap(path: Path) -> tuple[dict[str, str], list[str]]:
    """The ``[keys]`` table of a keymap file, and a message for each problem in it."""
    import tomllib  # only once the first frame is painted

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as err:
        return {}, [f"{path}: cannot read the keymap: {err}"]
    except tomllib.TOMLDecodeError as err:
        return {}, [f"{path}: not valid TOML ({err}); using the default keys"]
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        return {}, [f'{path}: [keys] must be a table of binding id = "key"']
    out: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            problems.append(f'{path}: keys.{binding_id} must be a key such as "f6" or "ctrl+g"')
            continue
        out[binding_id] = value
    return out, problems


def apply(app: App[Any]) -> list[str]:
    """Read the user's keymap and apply it; returns messages about entries that were ignored."""
    path = keymap_path()
    keys, problems = read_keymap(path)
    known = binding_ids(app)
    unknown = sorted(k for k in keys if k not in known)
    if unknown:
        problems.append(
            f"{path}: unknown binding id{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"known ids: {', '.join(sorted(known))}"
        )
    usable = {k: v for k, v in keys.items() if k in known}
    if usable:
        app.set_keymap(usable)
    return problems
