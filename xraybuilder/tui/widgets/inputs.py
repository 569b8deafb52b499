"""Text fields whose editing keys keep their place among typed characters.

Textual inserts a typed character as soon as the focused field sees the key, but runs a
bound key (Backspace, the arrows, Home, Ctrl+K, paste …) only after the key has bubbled
up to the app. When keys arrive faster than the builder handles them (a fast typist, a
paste over SSH, a slow link that delivers keys in bursts), a character typed after a
Backspace can be inserted before the Backspace runs: "eu-north-1", ten Backspaces and
"eu-west-1" became "eu-north-". These fields run their own bindings when they see the
key, in the order the keys came. Priority bindings (the app's Ctrl+Q …) are untouched:
the app runs them before the key reaches the field.
"""

from __future__ import annotations

from textual import events
from textual import widgets as textual_widgets
from textual.widget import Widget


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run the widget's own non-priority binding for this key now; True when one ran."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False


class Input(textual_widgets.Input):
    """Textual's Input, with its editing keys run in the order they were typed."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)


class TextArea(textual_widgets.TextArea):
    """Textual's TextArea, with its editing keys run in the order they were typed."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)
