"""The findings list: one line per finding, virtualised, with jump and fix keys.

Each row: severity icon, code, where (``Statement[2].Resource[0]``), ``[f]`` when the core
has a fix, then the message, cut at the width.

A Line-API view: a draft with hundreds of findings costs the same per frame as one with
three, because only the rows on screen are rendered (and cached until the list changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from xraybuilder.tui.widgets.scrolling import set_virtual_size

if TYPE_CHECKING:
    from xraybuilder.core.assess import AssessedFinding

# Distinct shapes, not only colours, so severities read apart under NO_COLOR.
ICONS = {
    "error": "✗",
    "security_warning": "◆",
    "warning": "▲",
    "suggestion": "○",
    "note": "·",
}
DOCUMENT_WORDS = {"identity": "", "trust": "trust policy ", "kms-key-policy": "key policy "}
EMPTY = "No findings: nothing to fix."


def where(item: AssessedFinding) -> str:
    """Where a finding points, as the linter words it (``Statement[2].Resource[0]``)."""
    finding = item.finding
    place = finding.path_str or f"line {finding.line}"
    prefix = DOCUMENT_WORDS.get(item.document, f"{item.document} ")
    return prefix + place


class _FindingMessage(Message):
    """A message about one finding of a FindingsList (``control`` is the list)."""

    def __init__(self, finding: AssessedFinding | None, findings_list: FindingsList | None = None) -> None:
        super().__init__()
        self.finding = finding
        self.findings_list = findings_list

    @property
    def control(self) -> FindingsList | None:
        return self.findings_list


class FindingsList(ScrollView, can_focus=True):
    """Findings, most severe first: Enter posts Jump, ``f`` posts ApplyFix when there is a fix."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "jump", "Go to field", id="findings.jump"),
        Binding("f", "apply_fix", "Apply fix", id="findings.fix"),
        Binding("up", "cursor(-1)", "Up", show=False, id="findings.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="findings.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="findings.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="findings.page_down"),
        Binding("home", "first", "First", show=False, id="findings.first"),
        Binding("end", "last", "Last", show=False, id="findings.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "findings-list--cursor",
        "findings-list--error",
        "findings-list--security_warning",
        "findings-list--warning",
        "findings-list--suggestion",
        "findings-list--note",
        "findings-list--code",
        "findings-list--where",
        "findings-list--fix",
        "findings-list--empty",
    }

    DEFAULT_CSS = """
    FindingsList {
        background: $surface;
        color: $foreground;
        overflow: hidden auto;
        height: 1fr;
        & > .findings-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .findings-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .findings-list--error { color: $text-error; text-style: bold; }
        & > .findings-list--security_warning { color: $text-error; }
        & > .findings-list--warning { color: $text-warning; }
        & > .findings-list--suggestion { color: $text-primary; }
        & > .findings-list--note { color: $text-muted; }
        & > .findings-list--code { text-style: bold; }
        & > .findings-list--where { color: $text-muted; }
        & > .findings-list--fix { color: $text-success; text-style: bold; }
        & > .findings-list--empty { color: $text-success; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the selected finding."""

    class Jump(_FindingMessage):
        """Enter (or a double click) on a finding: go to the field at fault."""

        finding: AssessedFinding

    class ApplyFix(_FindingMessage):
        """``f`` on a finding that carries a fix: apply the core's fix."""

        finding: AssessedFinding

    class Highlighted(_FindingMessage):
        """The cursor moved to another finding (e.g. to mark its line in the preview)."""

    def __init__(
        self,
        findings: Sequence[AssessedFinding] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        report_highlight: bool = True,
    ) -> None:
        """``report_highlight=False``: post no Highlighted (nobody shows the current
        finding's details), so a finding whose message changes with each keystroke, such
        as the size's, sends nothing up through every ancestor."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._report_highlight = report_highlight
        self._findings: tuple[AssessedFinding, ...] = ()
        self._strips: dict[tuple[int, int, bool], Strip] = {}
        self._styles: dict[str, Style] = {}
        self.show(findings)

    # -- public API --------------------------------------------------------------------

    @property
    def findings(self) -> tuple[AssessedFinding, ...]:
        """The findings shown, in order."""
        return self._findings

    @property
    def current(self) -> AssessedFinding | None:
        """The finding under the cursor."""
        if 0 <= self.cursor < len(self._findings):
            return self._findings[self.cursor]
        return None

    def show(self, findings: Sequence[AssessedFinding]) -> None:
        """Show ``findings``; the cursor stays on the same finding when it is still there."""
        before = self.current
        self._findings = tuple(findings)
        self._strips.clear()
        set_virtual_size(self, Size(0, max(1, len(self._findings))))
        index = 0
        if before is not None:
            index = self._find(before)
            if index < 0:
                index = min(self.cursor, len(self._findings) - 1)
        self.set_reactive(FindingsList.cursor, max(0, index))
        self._scroll_cursor_into_view()
        if self.is_mounted and not self._displayed():
            # Behind another tab: forget the painted lines, so the list paints afresh when
            # shown, but ask the screen for nothing now (an update for a hidden widget makes
            # the compositor arrange every widget again, hidden ones included).
            self._set_dirty()
        else:
            self.refresh()
        if self.is_mounted:
            after = self.current
            # New bindings rebuild the footer (a layout): only when what they offer changed.
            if self.has_focus and _offers(before) != _offers(after):
                self.refresh_bindings()
            if self._report_highlight and (
                (before is None) != (after is None)
                or (before is not None and after is not None and _identity(before) != _identity(after))
            ):
                self.post_message(self.Highlighted(after, self))

    def _displayed(self) -> bool:
        """True unless the list or a container of it is hidden (``display: none``)."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def _find(self, item: AssessedFinding) -> int:
        key = _identity(item)
        for index, other in enumerate(self._findings):
            if _identity(other) == key:
                return index
        return -1

    # -- keys and mouse ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply_fix":
            current = self.current
            return current is not None and current.finding.fix is not None
        if action == "jump":
            return self.current is not None
        return True

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self._findings) - 1)

    def action_jump(self) -> None:
        if (current := self.current) is not None:
            self.post_message(self.Jump(current, self))

    def action_apply_fix(self) -> None:
        current = self.current
        if current is not None and current.finding.fix is not None:
            self.post_message(self.ApplyFix(current, self))

    def _move(self, index: int) -> None:
        if not self._findings:
            return
        index = max(0, min(index, len(self._findings) - 1))
        if index != self.cursor:
            self.cursor = index

    def watch_cursor(self, old: int, new: int) -> None:
        for row in {old, new}:
            for key in [k for k in self._strips if k[0] == row]:
                del self._strips[key]
        self._scroll_cursor_into_view()
        self.refresh()
        self.refresh_bindings()
        if self._report_highlight:
            self.post_message(self.Highlighted(self.current, self))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + round(self.scroll_y)
        if 0 <= row < len(self._findings):
            self._move(row)
            if event.chain >= 2:
                self.action_jump()

    def _on_focus(self, event: events.Focus) -> None:
        self._strips.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._strips.clear()
        self.refresh()

    # -- rendering -----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"findings-list--{name}") if name else self.rich_style
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        is_cursor = index == self.cursor and bool(self._findings)
        key = (index, width, is_cursor)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(index, width, is_cursor)
            self._strips[key] = strip
        return strip

    def _render_row(self, index: int, width: int, is_cursor: bool) -> Strip:
        base = self._style("")
        if not self._findings:
            if index == 0:
                text = set_cell_size(EMPTY, width)
                return Strip([Segment(text, self._style("empty"))], width)
            return Strip.blank(width, base)
        if index >= len(self._findings):
            return Strip.blank(width, base)
        line = self._style("cursor") if is_cursor else base

        def part(name: str) -> Style:
            token = self._style(name)
            return line + Style(color=token.color, bold=token.bold, dim=token.dim)

        item = self._findings[index]
        finding = item.finding
        severity = str(finding.severity)
        # The place before the message: messages run long, and the place is what a
        # reader scans for; the full message shows where the list is composed.
        segments = [
            Segment(f" {ICONS.get(severity, '?')} ", part(severity)),
            Segment(f"{finding.code} ", part("code")),
            Segment(f"{where(item)}  ", part("where")),
        ]
        if finding.fix is not None:
            segments.append(Segment("[f] ", part("fix")))
        segments.append(Segment(finding.message, line))
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = strip.crop(0, max(0, width - 1))
            strip = Strip([*strip, Segment("…", line)])
        return strip.extend_cell_length(width, line)


def _identity(item: AssessedFinding) -> tuple[str, str, str, str]:
    finding = item.finding
    return (item.document, finding.code, finding.path_str, finding.message)


__all__ = ["FindingsList"]


def _offers(finding: AssessedFinding | None) -> tuple[bool, bool]:
    """What the bindings offer for a row: jump to it, and apply its fix."""
    return finding is not None, finding is not None and finding.finding.fix is not None
