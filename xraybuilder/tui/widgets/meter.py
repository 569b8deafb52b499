"""The size meter: the policy's character count against the quota of where it goes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size as Size_
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from xraybuilder.core.assess import Size

# Where the policy goes, as IAM's quotas page names it.
TARGET_WORDS = {
    "managed": "managed policy",
    "role": "role inline policies",
    "user": "user inline policies",
    "group": "group inline policies",
}
NEAR = 0.9
"""Past this share of the quota the bar turns to a warning."""


class SizeMeter(Widget):
    """``412 / 6,144 characters ▇▇░░░░ 7% of the managed policy quota``."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "size-meter--fill",
        "size-meter--near",
        "size-meter--over",
        "size-meter--empty",
    }

    DEFAULT_CSS = """
    SizeMeter {
        height: 1;
        width: 1fr;
        & > .size-meter--fill { color: $success; }
        & > .size-meter--near { color: $warning; text-style: bold; }
        & > .size-meter--over { color: $error; text-style: bold reverse; }
        & > .size-meter--empty { color: $text-muted; }
    }
    """

    def __init__(
        self,
        size: Size | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._value: Size | None = size
        self._styles: dict[str | None, Style] = {}

    @property
    def value(self) -> Size | None:
        """The size shown, as the core counted it."""
        return self._value

    def show(self, size: Size | None) -> None:
        """Show ``size`` (None: there is no policy to measure)."""
        if size == self._value:
            return
        self._value = size
        self.set_class(size is not None and size.characters > size.quota, "-over")
        self.refresh()

    def describe(self) -> str:
        """The meter in words, without the bar."""
        size = self._value
        if size is None:
            return "size: no policy to measure yet"
        return f"{size.characters:,} / {size.quota:,} characters, {_share_words(size)}"

    def _parts(self, width: int) -> list[tuple[str, str | None]]:
        """The meter's text in pieces, each with its component class (None: plain)."""
        size = self._value
        if size is None:
            return [(self.describe(), "size-meter--empty")]
        share = size.characters / size.quota if size.quota else 0.0
        level = "over" if share > 1 else "near" if share >= NEAR else "fill"
        level_style = f"size-meter--{level}"
        head = f"{size.characters:,} / {size.quota:,} "
        tail = " " + _share_words(size)
        if len(head) + len(tail) > width:
            # A narrow column: the short form, so the figures are never cut off.
            tail = f" {share:.0%} ({size.target})" + (" over!" if share > 1 else "")
        bar_width = max(0, min(24, width - len(head) - len(tail)))
        filled = min(bar_width, round(share * bar_width))
        if share > 0 and filled == 0 and bar_width:
            filled = 1  # a policy of a few characters still shows on the bar
        return [
            (head, None),
            ("▇" * filled, level_style),
            ("░" * (bar_width - filled), "size-meter--empty"),
            (tail, level_style if level != "fill" else None),
        ]

    def render(self) -> Text:
        text = Text()
        for part, component in self._parts(self.size.width):
            text.append(part, style=self.get_component_rich_style(component) if component else "")
        return text

    # The meter changes on every keystroke: its line is built from segments whose styles
    # are looked up once per theme, not through a Text and a dozen style look-ups a time.

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def get_content_height(self, container: Size_, viewport: Size_, width: int) -> int:
        return 1

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        styles = self._styles
        if not styles:
            styles[None] = self.rich_style
            for component in self.COMPONENT_CLASSES:
                styles[component] = self.get_component_rich_style(component)
        if y:
            return Strip.blank(width, styles[None])
        segments = [Segment(part, styles[component]) for part, component in self._parts(width) if part]
        return Strip(segments).crop_extend(0, width, styles[None])


def _share_words(size: Size) -> str:
    """``7% of the managed policy quota`` (and how far over, when over)."""
    target = TARGET_WORDS.get(size.target, size.target)
    share = size.characters / size.quota if size.quota else 0.0
    words = f"{share:.0%} of the {target} quota"
    if size.characters > size.quota:
        words += f": {size.characters - size.quota:,} over, IAM will refuse it"
    return words
