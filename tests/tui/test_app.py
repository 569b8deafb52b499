"""The Textual app starts, shows its screen and quits on q."""

from __future__ import annotations

from textual.widgets import Static

from xraybuilder.tui.app import XrayBuilderApp


async def test_app_starts_and_quits_on_q() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=(100, 30)) as pilot:
        welcome = app.query_one("#welcome", Static)
        assert "least-privilege" in str(welcome.render())
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
