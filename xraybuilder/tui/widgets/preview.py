"""The policy preview: a virtualised, highlighted, read-only view of JSON text.

Only the lines on screen are rendered, each through a cache of finished strips keyed by
what it shows (text, horizontal window, highlight), so an edit that changes one line of
a 4,000-line policy re-renders one line. The highlighter is a single regular expression
over one line at a time: JSON strings cannot span lines, so no state carries over.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from xraybuilder.tui.widgets.scrolling import refresh_rows, set_virtual_size

# One token per match; a string followed by a colon is an object key. An unterminated
# string (a file being edited) runs to the end of its line.
_TOKEN = re.compile(
    r"""(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))"""
    r"""|(?P<string>"(?:[^"\\]|\\.)*"?)"""
    r"""|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"""
    r"""|(?P<literal>\b(?:true|false|null)\b)"""
    r"""|(?P<punctuation>[{}\[\],:])"""
)
_TOKEN_KINDS = ("key", "string", "number", "literal", "punctuation")


def tokens(line: str) -> list[tuple[str, str | None]]:
    """Split one line of JSON into (text, kind) pieces; kind None is plain text."""
    out: list[tuple[str, str | None]] = []
    position = 0
    for match in _TOKEN.finditer(line):
        start = match.start()
        if start > position:
            out.append((line[position:start], None))
        out.append((match.group(), match.lastgroup))
        position = match.end()
    if position < len(line):
        out.append((line[position:], None))
    return out


class PolicyView(ScrollView, can_focus=True):
    """Read-only JSON with highlighting, a marked line, and the scroll kept across updates."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "policy-view--key",
        "policy-view--string",
        "policy-view--number",
        "policy-view--literal",
        "policy-view--punctuation",
        "policy-view--highlight",
    }

    DEFAULT_CSS = """
    PolicyView {
        background: $surface;
        color: $foreground;
        overflow: auto auto;
        &:focus { background-tint: $foreground 5%; }
        & > .policy-view--key { color: $text-primary; }
        & > .policy-view--string { color: $text-success; }
        & > .policy-view--number { color: $text-warning; }
        & > .policy-view--literal { color: $text-accent; text-style: bold; }
        & > .policy-view--punctuation { color: $text-muted; }
        & > .policy-view--highlight { background: $warning 25%; text-style: bold; }
    }
    """

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._text = ""
        self._lines: list[str] = []
        self._highlighted: int | None = None
        # (line text, scroll x, width, highlighted) -> finished strip. Cleared when the
        # styles change (theme switch, CSS reload), so the key need not hold the style.
        self._strips: LRUCache[tuple[str, int, int, bool], Strip] = LRUCache(4096)
        self._styles: dict[str | None, Style] = {}
        self._highlight_styles: dict[str | None, Style] = {}
        self.set_text(text)

    # -- public API --------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The text shown."""
        return self._text

    @property
    def lines(self) -> list[str]:
        """The text's lines (read only)."""
        return self._lines

    @property
    def highlighted_line(self) -> int | None:
        """The marked line, 1-based, or None."""
        return self._highlighted

    def set_text(self, text: str) -> None:
        """Show ``text``, keeping the scroll position (clamped if the text got shorter).

        Lines that did not change keep their cached strips; only the visible lines are
        rendered again, at the next refresh.
        """
        if text == self._text and self._lines:
            return
        before = self._lines
        self._text = text
        self._lines = text.split("\n")
        if self._lines and self._lines[-1] == "" and len(self._lines) > 1:
            self._lines.pop()
        # len() is the width of ASCII text, which policies nearly always are (and C-fast).
        if text.isascii():
            width = max(map(len, self._lines), default=0)
        else:
            width = max(map(cell_len, self._lines), default=0)
        set_virtual_size(self, Size(width, len(self._lines)))
        self._refresh_changed(before)

    def refresh_lines(self, y_start: int, line_count: int = 1) -> None:
        refresh_rows(self, y_start, line_count)

    def _refresh_changed(self, before: list[str]) -> None:
        """Repaint only the visible lines whose text changed (usually one per keystroke)."""
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        if not before or height <= 0:
            self.refresh()
            return
        after = self._lines
        bottom = top + height
        if len(before) != len(after):
            # Lines moved: everything from the first difference down is repainted.
            shorter = min(len(before), len(after))
            first = next((i for i in range(top, bottom) if i >= shorter or before[i] != after[i]), None)
            if first is not None:
                self.refresh_lines(first, bottom - first)
            return
        for y in range(top, min(bottom, len(after))):
            if before[y] != after[y]:
                self.refresh_lines(y)

    def highlight_line(self, line: int | None) -> None:
        """Mark ``line`` (1-based), e.g. a finding's; None clears the mark."""
        if line is not None and line < 1:
            line = None
        if line == self._highlighted:
            return
        self._highlighted = line
        self.refresh()

    def scroll_to_line(self, line: int, *, animate: bool = False) -> None:
        """Bring ``line`` (1-based) into view, a third of the way down when it was not visible."""
        y = max(0, min(line, len(self._lines)) - 1)
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        if top <= y < top + height:
            return
        self.scroll_to(y=max(0, y - height // 3), animate=animate)

    # -- rendering -----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()
        self._highlight_styles.clear()

    def _token_styles(self, highlighted: bool) -> dict[str | None, Style]:
        styles = self._highlight_styles if highlighted else self._styles
        if not styles:
            # Full component styles: Textual blends their alpha colours over the background
            # here; partial ones would keep the raw colour. Tokens take only their
            # foreground, so a marked line keeps its background under every token.
            line = self.get_component_rich_style("policy-view--highlight") if highlighted else self.rich_style
            styles[None] = line
            for kind in _TOKEN_KINDS:
                token = self.get_component_rich_style(f"policy-view--{kind}")
                styles[kind] = line + Style(color=token.color, bold=token.bold, italic=token.italic)
        return styles

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        highlighted = self._highlighted == index + 1
        key = (self._lines[index], scroll_x, width, highlighted)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_strip(self._lines[index], scroll_x, width, highlighted)
            self._strips[key] = strip
        return strip.apply_offsets(scroll_x, index)

    def _render_strip(self, line: str, scroll_x: int, width: int, highlighted: bool) -> Strip:
        styles = self._token_styles(highlighted)
        segments = [Segment(text, styles[kind]) for text, kind in tokens(line)]
        length = len(line) if line.isascii() else cell_len(line)
        strip = Strip(segments, length)
        return strip.crop_extend(scroll_x, scroll_x + width, styles[None])
