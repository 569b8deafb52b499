"""The builder's screen: a frame asks only the widgets it shows for the lines it shows.

Textual paints a partial update by asking every widget that overlaps the box around all
changed regions for every line it has, then keeps the pieces inside the changed spans.
A keystroke changes a line in the editor, a line of the preview and the size meter: their
box is most of the screen, so every container, scrollbar and list behind them renders
each of its lines (cached, but each one filtered and divided) to show three lines.

Here each changed span is filled front to back, as Textual fills it, but a widget is asked
only for the rows where it shows through in a changed span, and a widget hidden there by
the ones in front is not asked at all. A full repaint (the first frame, a new layout) is
filled the same way, row by row across the screen, so containers are not rendered and
divided behind the widgets that cover them. What reaches the terminal is the same, and
``tests/tui/test_compositor.py`` checks it against Textual's full repaint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.geometry import Region
from textual.messages import Prompt
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class SpanCompositor(Compositor):
    """A Compositor whose partial updates render only the lines in the changed spans."""

    def render_partial_update(self) -> ChopsUpdate | None:
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        spans = list(self._regions_to_spans(update_regions))
        chops = self._render_spans(spans)
        chop_ends = [cut_set[1:] for cut_set in self.cuts]
        return ChopsUpdate(chops, spans, chop_ends)

    def render_full_update(self, simplify: bool = False) -> LayoutUpdate:
        # The same fill for the whole screen (the first frame, a new layout): a container
        # is asked only for the rows where it shows between the widgets in front of it.
        width, height = self.size
        self._dirty_regions.clear()
        # Every cell is covered by some widget (the screen at least): every chop is filled.
        chops = cast("list[dict[int, Strip]]", self._render_spans([(y, 0, width) for y in range(height)]))
        render_strips: list[Iterable[Strip]]
        if simplify:
            # As Textual's: a screenshot's lines are joined and simplified.
            render_strips = [[Strip.join(chop.values()).simplify().discard_meta()] for chop in chops]
        else:
            render_strips = [chop.values() for chop in chops]
        return LayoutUpdate(render_strips, self.size.region)

    def _render_spans(self, spans: list[tuple[int, int, int]]) -> Sequence[Mapping[int, Strip | None]]:
        cuts = self.cuts
        height = len(cuts)
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        # Row -> the chops (by their start) that a changed span touches and no widget has filled.
        wanted: dict[int, set[int]] = {}
        for y, x1, x2 in spans:
            if not 0 <= y < height:
                continue
            row = cuts[y]
            starts = {start for start, end in zip(row, row[1:], strict=False) if start < x2 and end > x1}
            if starts:
                wanted.setdefault(y, set()).update(starts)

        intersection = Region.intersection
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            if not wanted:
                break
            render_region = intersection(region, clip)
            left, top, width, rows_high = render_region
            if not (width and rows_high):
                continue
            right = left + width
            rows = [
                y
                for y in range(top, top + rows_high)
                if (open_starts := wanted.get(y)) and any(left <= start < right for start in open_starts)
            ]
            if not rows:
                continue
            # One request per run of consecutive rows, each cropped to what the widget shows.
            for first, last in _runs(rows):
                strips = widget.render_lines(
                    Region(left - region.x, first - region.y, width, last - first + 1)
                )
                for y, strip in zip(range(first, last + 1), strips, strict=False):
                    final_cuts = [cut for cut in cuts[y] if right >= cut >= left]
                    pieces = strip.divide([cut - left for cut in final_cuts[1:]])
                    chops_line = chops[y]
                    starts = wanted[y]
                    for cut, piece in zip(final_cuts, pieces, strict=False):
                        if chops_line.get(cut) is None:
                            chops_line[cut] = piece
                            starts.discard(cut)
                    if not starts:
                        del wanted[y]
        return chops


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """``[3, 4, 5, 9]`` -> ``[(3, 5), (9, 9)]`` (rows in ascending order)."""
    runs: list[tuple[int, int]] = []
    for y in rows:
        if runs and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def repaints_pending(screen: Screen[object]) -> list[Widget]:
    """The widgets on ``screen`` that have asked for a repaint (or a layout) the screen has
    not been told of yet: a widget tells it when its own message queue next goes idle."""
    return [
        widget
        for widget in screen._compositor.visible_widgets
        if (widget._repaint_required or widget._layout_required) and not widget._closing
    ]


def pass_repaints_on(screen: Screen[object]) -> list[Widget]:
    """Tell ``screen`` now of the repaints asked for by widgets with nothing left to do,
    as each would when it next went idle; return the widgets still busy.

    A widget that asks for a repaint also wakes its own queue (a ``Prompt``) to go idle
    and pass the repaint on: one trip through the event loop per widget, for the frame
    that waits for all of them. Here a widget whose queue holds nothing but those
    wake-ups passes its repaint on at once (its wake-up then finds nothing to do). A
    widget with other messages queued passes its repaint on after handling them.
    """
    busy = []
    for widget in repaints_pending(screen):
        if _only_wakeups(widget) and type(widget)._on_idle is Widget._on_idle:
            widget._check_refresh()
        else:
            busy.append(widget)
    return busy


def _only_wakeups(widget: Widget) -> bool:
    queued: Iterable[object] = widget._message_queue.values
    return all(type(message) is Prompt for message in queued)


class BuilderScreen(Screen[None]):
    """The builder's main screen, painted by :class:`SpanCompositor`."""

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._compositor = SpanCompositor()
