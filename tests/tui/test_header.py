"""The header: the builder's name, then the scenario, parted by spaces that survive screenshots."""

from __future__ import annotations

from textual.widgets._header import HeaderTitle
from tui_helpers import quiet, ready

from xraybuilder.tui.app import XrayBuilderApp

SIZE = (80, 24)
PARAMS = {"account": "123456789012", "region": "eu-west-1"}


async def test_the_header_parts_the_name_and_the_scenario_with_spaces() -> None:
    app = XrayBuilderApp(preset="ec2", params=PARAMS, offer_resume=False)
    app.clock = lambda: "12:04"  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await quiet(pilot)
        shown = app.query_one(HeaderTitle).render()
        assert str(shown).startswith("xraybuilder · Amazon EC2 instance · draft saved")
        # In a screenshot no run of text starts with the space before the subtitle.
        svg = app.export_screenshot()
        assert ">xraybuilder&#160;·&#160;</text>" in svg
        assert ">Amazon&#160;EC2&#160;instance&#160;·&#160;draft" in svg
