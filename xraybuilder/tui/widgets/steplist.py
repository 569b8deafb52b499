"""The list of steps on the left, whose prompts carry each step's count of findings."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import OptionList


class StepList(OptionList):
    """An OptionList whose prompts can change in place.

    OptionList repaints every row it has (the whole height of the column) when one
    prompt changes; the step marks change whenever a keystroke changes how many
    findings a step has, and repainting 38 rows took that keystroke some 7 ms. A prompt
    that keeps its height here repaints its own row only.
    """

    def set_prompt(self, index: int, prompt: str) -> None:
        """Give option ``index`` a new prompt."""
        option = self.get_option_at_index(index)
        before = self._heights.get(index) if self.scrollable_content_region else None
        option._set_prompt(prompt)
        # Rendered options are cached by option: this one's strips are stale now.
        self._option_render_cache.clear()
        if before is None or self._height_of(index) != before:
            self._line_cache.clear()  # the rows below move: as OptionList does
            self.refresh()
            return
        top = self._index_to_line[index] - self.scroll_offset.y
        self.refresh(Region(0, top, self.scrollable_content_region.width, before))

    def _height_of(self, index: int) -> int:
        """Rows option ``index`` takes at the present width (as OptionList counts them)."""
        option = self.get_option_at_index(index)
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        height = self._get_visual(option).get_height(self.styles, width - padding.width)  # type: ignore[arg-type]
        return height + option._divider
