"""Text fields whose editing keys keep their place among typed characters.

Textual inserts a typed character as soon as the focused field sees the key, but runs a
bound key (Backspace, the arrows, Home, Ctrl+K, paste …) only after the key has bubbled
up to the app. When keys arrive faster than the builder handles them (a fast typist, a
paste over SSH, a slow link that delivers keys in bursts), a character typed after a
Backspace can be inserted before the Backspace runs: "eu-north-1", ten Backspaces and
"eu-west-1" became "eu-north-". These fields run their own bindings when they see the
key, in the order the keys came. Priority bindings (the app's Ctrl+Q …) are untouched:
the app runs them before the key reaches the field.

A field the user is typing in also holds its repaint back until its Changed message has
been handled, so the new text and what it changes (the preview, the findings) reach the
screen in the same frame.
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


def paint_after_changed(widget: Widget, chain: list[Widget] | None = None) -> None:
    """Hold the screen's painting until ``widget``'s Changed message has been handled.

    The message climbs the ancestors' queues one by one (``chain``: the widget and its
    ancestors, or fewer when one of them takes the message for good). Painting waits
    for a callback that climbs the same queues behind it: by the time it has gone past
    the last one, every handler of Changed has run, and anything those handlers changed
    is painted in the same frame as the widget.
    """
    app = widget.app
    hold = app.batch_update()
    hold.__enter__()
    nodes = chain if chain is not None else [*widget.ancestors_with_self]

    def climb(step: int) -> None:
        while step < len(nodes):
            if nodes[step].call_later(climb, step + 1):
                return
            step += 1  # that node has closed: go on with the next
        hold.__exit__(None, None, None)
        app.screen.check_idle()

    climb(0)


class Input(textual_widgets.Input):
    """Textual's Input, with its editing keys run in the order they were typed."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if self.has_focus and self.is_mounted:
            paint_after_changed(self)


class TextArea(textual_widgets.TextArea):
    """Textual's TextArea, with its editing keys run in the order they were typed."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)
