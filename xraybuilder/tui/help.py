"""F1 help: what the focused widget is, in words for someone new to IAM (texts in data/help.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget


@cache
def help_texts() -> dict[str, Any]:
    return tomllib.loads(resources.files("xraybuilder.tui").joinpath("data", "help.toml").read_text("utf-8"))


def help_for(widget: Widget | None, app: App[Any]) -> tuple[str, str]:
    """Title and text for ``widget``: its own entry, its parameter's type, or the nearest parent's."""
    texts = help_texts()
    by_id: dict[str, dict[str, str]] = texts["id"]
    node: Any = widget
    while node is not None and node is not app:
        node_id = getattr(node, "id", None) or ""
        if node_id.startswith("param-"):
            found = _parameter_help(node_id.removeprefix("param-"), app)
            if found is not None:
                return found
        if node_id in by_id:
            return by_id[node_id]["title"], by_id[node_id]["text"].strip()
        node = node.parent
    general = texts["general"]
    return general["title"], general["text"].strip()


def _parameter_help(name: str, app: Any) -> tuple[str, str] | None:
    texts = help_texts()
    draft = getattr(app, "draft", None)
    library = getattr(app, "library", None)
    param = None
    if draft is not None and library is not None and draft.preset_id in library.presets:
        param = library.presets[draft.preset_id].parameters.get(name)
    if param is None:
        from xraybuilder.tui.steps.parameters import custom_parameters

        param = next((p for p in custom_parameters() if p.name == name), None)
    if param is None:
        return None
    entry = texts["type"].get(param.type)
    title = param.label or name.replace("_", " ").capitalize()
    body = f"{param.description}\n\n{entry['text'].strip()}" if entry else param.description
    return title, body


class HelpScreen(ModalScreen[None]):
    """The help text in a box; any of Escape, F1, ? or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close", id="help_close"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="dialog")
        self.help_title = title
        self.help_text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box", id="help-box"):
            yield Static(self.help_title, classes="dialog-title")
            yield Static(self.help_text, markup=False, id="help-text")
            yield Static("Escape closes this help.", classes="field-help")

    def action_close(self) -> None:
        self.dismiss(None)
