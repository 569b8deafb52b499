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
from textual.scrollbar import ScrollBar
from textual.widget import Widget


def set_virtual_size(widget: Widget, size: Size) -> None:
    """Give ``widget`` a new virtual size, updating its scrollbars without a layout of
    the screen. A scrollbar that has to appear or go still asks for the layout (it
    changes the room the text has); one that stays is repainted only if its thumb moves
    or changes size (Textual repaints both scrollbars whole on any change), and not at
    all while the widget is hidden (the frame that shows it paints it whole)."""
    if size == widget.virtual_size:
        return
    widget.set_reactive(Widget.virtual_size, size)
    if not widget.size:
        return  # not laid out yet: the layout to come reads the new size
    shown = widget in widget.screen._compositor.visible_widgets
    widget._refresh_scrollbars()
    width, height = widget.container_size
    styles = widget.styles
    bars: list[tuple[ScrollBar, int, int]] = []
    # As Widget._scroll_update, but a scrollbar's reactive sizes repaint it only on a change.
    if widget.show_vertical_scrollbar and styles.scrollbar_size_vertical:
        bars.append((widget.vertical_scrollbar, size.height, height - widget.scrollbar_size_horizontal))
    if widget.show_horizontal_scrollbar and styles.scrollbar_size_horizontal:
        bars.append((widget.horizontal_scrollbar, size.width, width - widget.scrollbar_size_vertical))
    for bar, virtual, window in bars:
        if shown:
            bar.window_virtual_size = virtual
            bar.window_size = window
        else:
            bar.set_reactive(ScrollBar.window_virtual_size, virtual)
            bar.set_reactive(ScrollBar.window_size, window)
    widget.scroll_x = widget.validate_scroll_x(widget.scroll_x)
    widget.scroll_y = widget.validate_scroll_y(widget.scroll_y)


def refresh_rows(widget: Widget, first: int, count: int = 1) -> None:
    """Repaint ``count`` lines of ``widget``'s text from line ``first`` (lines of the
    text, not rows of the screen), across the text's columns only."""
    top = widget.scroll_offset.y
    widget.refresh(Region(0, first - top, widget.scrollable_content_region.width, count))
