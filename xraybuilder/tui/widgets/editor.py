"""The policy file's text editor: a TextArea that repaints only the lines an edit changed.

Textual's TextArea repaints every visible line whenever the cursor moves (each keystroke)
and keys its cache of rendered lines by screen row, so every edit throws the cache away:
about a millisecond per visible line, per keystroke. Here a rendered line is keyed by its
text, its index and everything else its rendering reads, and after an edit or a cursor
move only the rows whose key changed are repainted: typing repaints one line, and the
lines an inserted line moved down come from the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.cache import LRUCache
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Region, Size
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets.text_area import Edit, EditResult, Selection, TextAreaTheme

from xraybuilder.tui.widgets.inputs import TextArea, paint_after_changed
from xraybuilder.tui.widgets.scrolling import refresh_rows, set_virtual_size

RowKey = tuple[object, ...]


class _CountedWrap(WrappedDocument):
    """A wrapped document whose height is the number of its rows, not a sum over every
    line on each read: TextArea reads it for each line it renders (and on each edit)."""

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)


class PolicyEditor(TextArea):
    """A plain-text TextArea (no syntax highlighting) that repaints only changed lines."""

    # As TextArea's, but a new selection repaints only the rows it changed (see below).
    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    def __init__(self, *args: Any, on_change: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        """``on_change``, when given, takes the new text after each change (typing, undo,
        redo, a new text loaded) in place of a ``Changed`` message climbing the widgets."""
        self._on_change = on_change
        self._editing = False
        # Set first: the TextArea's own set-up already moves the cursor.
        self._kept_lines: LRUCache[RowKey, Strip] = LRUCache(2048)
        self._painted: dict[int, RowKey] = {}
        """Screen row -> the key of the line last painted there."""
        self._keys: Callable[[int], RowKey | None] | None = None
        """While painting: the key of each row (see _row_keys)."""
        self._styled_theme: TextAreaTheme | None = None
        super().__init__(*args, **kwargs)

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        self.wrapped_document.__class__ = _CountedWrap

    def notify_style_update(self) -> None:
        self._styled_theme = None
        self._kept_lines.clear()
        self._painted.clear()
        super().notify_style_update()

    def _rewrap_and_refresh_virtual_size(self) -> None:
        self._kept_lines.clear()
        self._painted.clear()
        super()._rewrap_and_refresh_virtual_size()

    def _refresh_size(self) -> None:
        """As TextArea's, but text that grows or shrinks lays out only the editor's
        scrollbars, not the screen (see ``scrolling``)."""
        if self.soft_wrap:
            size = Size(0, self.wrapped_document.height)
        else:
            width, height = self.document.get_size(self.indent_width)
            # +1 width: the cursor may rest just past the end of the longest line.
            size = Size(width + self.gutter_width + 1, height)
        set_virtual_size(self, size)

    def refresh_lines(self, y_start: int, line_count: int = 1) -> None:
        refresh_rows(self, y_start, line_count)

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        if not self._editing:
            self._repaint_changed()

    def edit(self, edit: Edit) -> EditResult:
        # The rows are compared once, after the edit has moved the cursor too.
        self._editing = True
        try:
            result = super().edit(edit)
        finally:
            self._editing = False
        self._repaint_changed()
        # Painted with what its Changed message makes the app show, in one frame (the
        # message stops at the editor when ``on_change`` takes it).
        paint_after_changed(self, [self] if self._on_change is not None else None)
        return result

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Nothing above the editor needs the message when its owner takes the text here.
        if self._on_change is not None and event.text_area is self:
            event.stop()
            self._on_change(self.text)

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        # Nobody above follows the editor's cursor: one message per keystroke that would
        # climb every ancestor for nothing.
        event.stop()

    # -- which rows changed ------------------------------------------------------------

    def _plain(self) -> bool:
        """True when every line renders on its own (no highlighting, no placeholder)."""
        return not self._highlight_query and not (self.placeholder and not self.text)

    def _shared_key(self) -> RowKey:
        """What every line's rendering reads besides its own text and position."""
        return (
            self.size,
            self.scrollable_content_region.width,
            self.virtual_size.width,
            self.gutter_width,
            self.line_number_start,
            self.theme,
            self.soft_wrap,
            self.show_line_numbers,
            self.indent_width,
            self.read_only,
            self.show_cursor,
            self.highlight_cursor_line,
            self.match_cursor_bracket,
            self._has_cursor,
            self.has_focus,
        )

    def _row_keys(self, shared: RowKey) -> Callable[[int], RowKey | None]:
        """The key of what each screen row shows (None past the end of the text), as a
        function of the row: what every row reads is read once per paint."""
        scroll_x, scroll_y = self.scroll_offset
        line_info = self.wrapped_document._offset_to_line_info
        get_line = self.document.get_line
        selection = self.selection
        start, end = selection
        top, bottom = (start[0], end[0]) if start[0] <= end[0] else (end[0], start[0])
        bracket = self._matching_bracket_location
        bracket_row = bracket[0] if bracket is not None else None
        cursor_row = end[0]
        selecting = start != end
        marks = (selection, bracket, self._draw_cursor, self.suggestion, self.hide_suggestion_on_blur)

        def row_key(y: int) -> RowKey | None:
            absolute_y = scroll_y + y
            if absolute_y >= len(line_info):
                return None
            line_index, section = line_info[absolute_y]
            # Cursor, selection, bracket marks and suggestion touch only the rows they are on.
            touched = (
                line_index == cursor_row
                or (selecting and top <= line_index <= bottom)
                or line_index == bracket_row
            )
            return (get_line(line_index), line_index, section, scroll_x, shared, marks if touched else None)

        return row_key

    def _repaint_changed(self) -> None:
        """Repaint the rows whose line would render differently from what is on screen."""
        if not self.is_mounted:
            return
        height = self.size.height
        if not self._plain() or not self._painted or height <= 0:
            self.refresh()
            return
        row_key = self._row_keys(self._shared_key())
        painted = self._painted
        # refresh_lines counts lines of the document, not rows of the screen.
        top = self.scroll_offset.y
        for y in range(height):
            if painted.get(y, False) != row_key(y):
                self.refresh_lines(top + y)

    # -- rendering ---------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # TextArea.render_lines fills its theme from the CSS on every paint (a dozen style
        # look-ups); here only when the styles or the theme changed since the last time.
        theme = self._theme
        if theme is not None and theme is not self._styled_theme:
            theme.apply_css(self)
            self._styled_theme = theme
        self._keys = self._row_keys(self._shared_key()) if self._plain() else None
        try:
            return Widget.render_lines(self, crop)
        finally:
            self._keys = None

    def render_line(self, y: int) -> Strip:
        keys = self._keys
        if keys is None:
            self._painted.pop(y, None)
            return super().render_line(y)
        key = keys(y)
        self._painted[y] = key  # type: ignore[assignment]
        if key is None:
            return super().render_line(y)
        strip = self._kept_lines.get(key)
        if strip is None:
            strip = super().render_line(y)
            self._kept_lines[key] = strip
        return strip
