"""Save as preset from edited statements: values that still equal a parameter stay placeholders."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import Input
from tui_helpers import ready, settle

from xraybuilder.core.assess import assess
from xraybuilder.core.draft import Draft, DraftCondition
from xraybuilder.core.scenarios import load_library
from xraybuilder.tui.app import XrayBuilderApp
from xraybuilder.tui.screens import SavePresetScreen

ACCOUNT = "123456789012"
PARAMS = {"account": ACCOUNT, "region": "eu-west-1", "group_name": "web"}


async def test_an_edited_preset_is_saved_with_its_parameters(own_dirs: Path) -> None:
    draft = Draft.from_preset("group-admin", PARAMS).editable()
    # Edited: the first statement gets a second group, typed in full, and a tag condition.
    first = draft.statements[0] if draft.statements else None
    assert first is not None and first.resources == (f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/web/*",)
    draft = draft.set_resources(
        0, [*first.resources, f"arn:aws:xray:eu-west-1:{ACCOUNT}:group/web-admins/*"]
    ).add_condition(0, DraftCondition("StringEquals", "aws:RequestTag/team", ("web",)))
    app = XrayBuilderApp(offer_resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.replace_draft(draft)
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SavePresetScreen)
        app.screen.query_one("#preset-id", Input).value = "team-groups"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SavePresetScreen)

    saved = own_dirs / "config" / "presets" / "team-groups.toml"
    data = tomllib.loads(saved.read_text("utf-8"))
    statement = data["statement"][0]
    assert statement["resources"] == [
        # Unedited: the preset's own template; edited: each part that still equals a parameter.
        "arn:{partition}:xray:{region}:{account}:group/{group_name}/*",
        "arn:{partition}:xray:{region}:{account}:group/web-admins/*",
    ]
    condition = {"operator": "StringEquals", "key": "aws:RequestTag/team", "values": ["{group_name}"]}
    assert statement["condition"] == [condition]
    assert ACCOUNT not in str(data["statement"])
    assert data["parameters"]["account"]["default"] == ACCOUNT

    # A new developer starts from it with their own account and Region: the ARNs follow.
    assert not load_library(saved.parent).get("team-groups").shipped
    mine = assess(Draft.from_preset("team-groups", {"account": "999988887777", "region": "us-west-2"}))
    identity = mine.document("identity")
    assert identity is not None
    assert "arn:aws:xray:us-west-2:999988887777:group/web/*" in identity.text
    assert "arn:aws:xray:us-west-2:999988887777:group/web-admins/*" in identity.text
    assert ACCOUNT not in identity.text
