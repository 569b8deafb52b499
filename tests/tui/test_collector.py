"""The garbage collector waits while a keystroke is being painted, and the app gives back
what it kept out of collections when it stops."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.widgets import TextArea

from tests.tui.tui_helpers import policy_text, ready, settle
from xraybuilder.tui.app import XrayBuilderApp


async def test_no_collection_runs_inside_a_keystroke_and_collections_resume_after(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(policy_text(3), "utf-8")
    app = XrayBuilderApp(policy_file=path, offer_resume=False)
    enabled_while_shown: list[bool] = []
    show = app._show

    def watched_show(*args: object, **kwargs: object) -> None:
        enabled_while_shown.append(gc.isenabled())
        show(*args, **kwargs)  # type: ignore[arg-type]

    app._show = watched_show  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await settle(pilot)
        # Start-up's objects are left out of later collections while the app runs.
        assert gc.get_freeze_count() > 0
        editor = app.query_one("#file-text", TextArea)
        editor.focus()
        line = editor.text.split("\n")[4]
        editor.cursor_location = (4, line.index("Statement0") + len("Statement"))
        await settle(pilot)
        enabled_while_shown.clear()
        await pilot.press(*"abc")
        await settle(pilot)
        assert '"Statementabc0"' in editor.text
        assert enabled_while_shown and not any(enabled_while_shown)
        assert gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
