"""What the builder's scrolling text views (the policy preview, the file editor) change
when their text changes: the scrollbars and the rows that changed, nothing else.

Textual's ``virtual_size`` asks for a layout of the whole screen whenever it changes
(about 15 ms with the builder's forms mounted): a preview whose longest line grows with
each key typed into it, or an editor whose text gains a line, would pay that on every
keystroke. The view's own place on the screen does not depend on its text; only its
scrollbars do. And a changed row is repainted across the text, not over the scrollbar
beside it, which the scrollbar repaints itself when it changes.
"""

from __future__ import annotations

from textual.geometry import Region, Size
from textual.widget import Widget


def set_virtual_size(widget: Widget, size: Size) -> None:
    """Give ``widget`` a new virtual size, updating its scrollbars without a layout of
    the screen. A scrollbar that has to appear or go still asks for the layout (it
    changes the room the text has); one that stays is repainted only if its thumb moves
    or changes size (Textual repaints both scrollbars whole on any change)."""
    if not widget.size:
        widget.virtual_size = size  # not laid out yet: the layout to come takes it
        return
    if size == widget.virtual_size:
        return
    widget.set_reactive(Widget.virtual_size, size)
    widget._refresh_scrollbars()
    width, height = widget.container_size
    styles = widget.styles
    # As Widget._scroll_update, but the scrollbars' reactive sizes repaint them only on a change.
    if widget.show_vertical_scrollbar and styles.scrollbar_size_vertical:
        vertical = widget.vertical_scrollbar
        vertical.window_virtual_size = size.height
        vertical.window_size = height - widget.scrollbar_size_horizontal
    if widget.show_horizontal_scrollbar and styles.scrollbar_size_horizontal:
        horizontal = widget.horizontal_scrollbar
        horizontal.window_virtual_size = size.width
        horizontal.window_size = width - widget.scrollbar_size_vertical
    widget.scroll_x = widget.validate_scroll_x(widget.scroll_x)
    widget.scroll_y = widget.validate_scroll_y(widget.scroll_y)


def refresh_rows(widget: Widget, first: int, count: int = 1) -> None:
    """Repaint ``count`` lines of ``widget``'s text from line ``first`` (lines of the
    text, not rows of the screen), across the text's columns only."""
    top = widget.scroll_offset.y
    widget.refresh(Region(0, first - top, widget.scrollable_content_region.width, count))
