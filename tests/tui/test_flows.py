"""The builder driven by keystrokes: validation as you type, the custom flow, findings, files, drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, SelectionList, Static
from tui_helpers import quiet, ready, settle

from xraybuilder.core.draft import Draft
from xraybuilder.tui import app as app_module
from xraybuilder.tui import autosave
from xraybuilder.tui.app import XrayBuilderApp
from xraybuilder.tui.screens import QuitScreen, ResumeScreen
from xraybuilder.tui.widgets.findings import FindingsList
from xraybuilder.tui.widgets.preview import PolicyView

SIZE = (120, 40)


async def choose(pilot, option_id: str) -> None:  # type: ignore[no-untyped-def]
    """Move down the scenario list to an entry and press Enter, as a user would."""
    scenarios = pilot.app.query_one("#scenarios", OptionList)
    scenarios.focus()
    await pilot.press("home")
    target = next(
        i for i in range(scenarios.option_count) if scenarios.get_option_at_index(i).id == option_id
    )
    for _ in range(target):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


def message(app: XrayBuilderApp, name: str) -> Static:
    return app.query_one(f"#msg-{name}", Static)


async def test_a_bad_account_id_is_reported_as_typed_and_the_message_goes_when_fixed() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "preset:group-admin")
        assert app.current_step == "parameters"
        # Partition is focused first; Tab twice reaches the account.
        await pilot.press("tab", "tab")
        assert app.focused is app.query_one("#param-account", Input)
        await pilot.press(*"12345")
        await settle(pilot)
        shown = str(message(app, "account").render())
        assert "12 digits" in shown and "has 5" in shown
        assert message(app, "account").has_class("-error")
        assert app.assessment is not None and not app.assessment.ok
        await pilot.press(*"6789012")
        await settle(pilot)
        assert str(message(app, "account").render()) == ""
        assert not message(app, "account").has_class("-error")
        assert app.assessment is not None and app.assessment.parameter_problems == ()
        assert app.draft is not None and app.draft.param("account") == "123456789012"
        # The preview shows the draft on screen: the account is in the group ARNs.
        assert "123456789012:group/local-users/*" in app.query_one("#policy", PolicyView).text


async def test_a_cleared_field_goes_back_to_its_default_without_an_error() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "preset:group-admin")
        await pilot.press("tab", "tab")
        await pilot.press(*"123456789012")
        await settle(pilot)
        assert app.draft is not None and app.draft.param("account") == "123456789012"
        for _ in range(12):
            await pilot.press("backspace")
        await settle(pilot)
        assert app.draft is not None and app.draft.param("account") is None
        assert not any(p.code == "PARAMETER_EMPTY" for p in app.assessment.parameter_problems)
        assert "is empty" not in str(message(app, "account").render())


async def test_a_parameter_that_does_not_apply_is_hidden() -> None:
    app = XrayBuilderApp(preset="group-admin", params={"account": "123456789012"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert not app.query_one("#field-tag_value").display
        restrict = app.query_one("#param-restrict_by_tag")
        restrict.focus()
        await pilot.press("space")
        await settle(pilot)
        assert app.query_one("#field-tag_value").display
        assert "required" in str(message(app, "tag_value").render())


async def test_custom_flow_action_group_arn_and_tag_condition() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "custom")
        assert app.current_step == "actions"
        assert app.focused is app.query_one("#action-filter", Input)
        await pilot.press(*"GetGroup")
        await settle(pilot)
        read = app.query_one("#sel-xray-read", SelectionList)
        read.focus()
        await pilot.press("home", "space")
        await settle(pilot)
        assert app.draft is not None and app.draft.statements is not None
        assert app.draft.statements[0].actions == ("xray:GetGroup",)

        # Resources: limit the statement, then type the account and the group name.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.current_step == "resources"
        app.query_one("#limit-0").focus()
        await pilot.press("space")
        await settle(pilot)
        # No account parameter yet, so the account starts as "any": untick it and type one.
        app.query_one("#any-0-group-account").focus()
        await pilot.press("space")
        app.query_one("#arn-0-group-account", Input).focus()
        await pilot.press(*"123456789012")
        app.query_one("#any-0-group-group_name").focus()
        await pilot.press("space")  # untick "any" for the name
        app.query_one("#arn-0-group-group_name", Input).focus()
        await pilot.press(*"web")
        await settle(pilot)

        # Conditions: require the resource tag team=web.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.current_step == "conditions"
        kind = app.query_one("#cond-kind")
        assert kind.value == "aws:ResourceTag/"  # type: ignore[attr-defined]
        app.query_one("#cond-tag", Input).focus()
        await pilot.press(*"team")
        app.query_one("#cond-values", Input).focus()
        await pilot.press(*"web")
        app.query_one("#cond-add").focus()
        await pilot.press("enter")
        await settle(pilot)

        preview = json.loads(app.query_one("#policy", PolicyView).text)
        assert preview == {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["xray:GetGroup"],
                    "Resource": ["arn:aws:xray:us-east-1:123456789012:group/web/*"],
                    "Condition": {"StringEquals": {"aws:ResourceTag/team": "web"}},
                }
            ],
        }
        assert app.assessment is not None and app.assessment.ok


async def test_star_only_actions_move_to_their_own_statement_with_words_saying_so() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "custom")
        await pilot.press(*"Group")
        await settle(pilot)
        app.query_one("#sel-xray-read", SelectionList).focus()
        await pilot.press("home", "space")  # GetGroup (takes a group ARN)
        await pilot.press("down", "space")  # GetGroups (takes only *)
        await settle(pilot)
        assert app.draft is not None and app.draft.statements is not None
        assert [s.actions for s in app.draft.statements] == [("xray:GetGroup", "xray:GetGroups")]
        await pilot.press("ctrl+n")
        await settle(pilot)
        app.query_one("#limit-0").focus()
        await pilot.press("space")
        await settle(pilot)
        statements = app.draft.statements
        assert [s.actions for s in statements] == [("xray:GetGroup",), ("xray:GetGroups",)]
        assert statements[0].resources == ("arn:aws:xray:us-east-1:*:group/*/*",)
        assert statements[1].resources == ("*",)
        note = str(app.query_one("#resources-note", Static).render())
        assert "Moved xray:GetGroups to a statement of its own" in note
        assert "cannot be limited to a resource" in note


async def test_finding_jump_and_fix_after_resuming_a_crashed_draft(own_dirs: Path) -> None:
    # A previous run was killed with a typo in the draft: only the autosave is left.
    typo = Draft.custom().add_action(0, "xray:PutTraceSegment")
    assert autosave.save(typo) is None
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.draft == typo
        findings = app.query_one("#findings", FindingsList)
        assert [f.finding.code for f in findings.findings] == ["INVALID_ACTION"]
        assert str(app.query_one("#steps", OptionList).get_option_at_index(2).prompt).endswith("Actions 1")

        # Enter on the finding goes to the action at fault.
        app.query_one("#preview-tabs").active = "tab-findings"  # type: ignore[attr-defined]
        findings.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_step == "actions"
        focused = app.focused
        assert isinstance(focused, SelectionList)
        assert focused.get_option_at_index(focused.highlighted or 0).value == "xray:PutTraceSegment"

        # f applies the core's fix.
        findings.focus()
        await pilot.press("f")
        await settle(pilot)
        assert app.draft is not None and app.draft.statements is not None
        assert app.draft.statements[0].actions == ("xray:PutTraceSegments",)
        assert app.assessment is not None and app.assessment.findings == ()
        assert '"xray:PutTraceSegments"' in app.query_one("#policy", PolicyView).text


async def test_a_killed_run_is_offered_for_resume(own_dirs: Path) -> None:
    first = XrayBuilderApp()
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "preset:ec2")
        await pilot.press("tab")
        await pilot.press(*"eu-west-1")
        await settle(pilot)
        edited = first.draft
        # No quit dialog, no clean-up: what a kill -9 leaves behind.
        first.exit()
    assert edited is not None and edited.param("region") == "eu-west-1"
    assert autosave.draft_path().is_file()

    second = XrayBuilderApp()
    async with second.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(second.screen, ResumeScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert second.draft == edited
        assert "eu-west-1" in second.query_one("#policy", PolicyView).text
        assert "Amazon EC2 instance" in second.sub_title


async def test_start_fresh_keeps_the_list_and_offers_resume_in_it() -> None:
    assert autosave.save(Draft.from_preset("lambda")) is None
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("tab", "enter")  # "Start fresh"
        await settle(pilot)
        assert app.draft is None
        scenarios = app.query_one("#scenarios", OptionList)
        assert scenarios.get_option_at_index(scenarios.option_count - 1).id == "resume"


async def test_quit_with_unsaved_work_asks_first() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "preset:lambda")
        await pilot.press("tab", *"x")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("tab", "enter")  # "Discard and quit"
        await settle(pilot)
    assert app.return_code == 0
    assert not autosave.draft_path().exists()


async def test_quit_without_changes_does_not_ask() -> None:
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0


async def test_a_broken_policy_file_shows_line_and_column_and_stays_editable(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}\n')
    app = XrayBuilderApp(policy_file=broken)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.current_step == "parameters"
        problem = str(app.query_one("#file-problem", Static).render())
        assert "line 4, column" in problem
        area = app.query_one("#file-text")
        area.focus()
        # Fix it in place: remove the stray commas and give the statement its parts.
        fixed = (
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            '"Action": "xray:GetGroups", "Resource": "*"}]}'
        )
        area.text = fixed  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.draft is not None and app.draft.file_text == fixed
        assert str(app.query_one("#file-problem", Static).render()) == ""
        assert app.assessment is not None and app.assessment.ok
        # The file itself is untouched.
        assert ",,}" in broken.read_text()


async def test_while_typing_the_draft_is_saved_between_frames(
    own_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A save never runs while a keystroke's frame is on its way to the screen.
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 0.001)
    app = XrayBuilderApp()
    during_keystroke: list[bool] = []
    save = autosave.save

    def watched_save(draft: Draft) -> str | None:
        during_keystroke.append(app._frame_hold is not None or app._batch_count > 0)
        return save(draft)

    monkeypatch.setattr(autosave, "save", watched_save)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "preset:ec2")
        await pilot.press("tab")
        for key in "eu-west-1":
            await pilot.press(key)
            await pilot.pause(0.003)
        await settle(pilot)
        assert app.draft is not None and app.draft.param("region") == "eu-west-1"
    assert len(during_keystroke) >= 3
    assert not any(during_keystroke)


async def test_settled_waits_for_the_last_edit_to_be_saved(
    own_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pictures and header checks wait for this; on a busy host the save lands late.
    # The pause the save waits for outlasts the typing below, even on a busy host.
    monkeypatch.setattr(app_module, "AUTOSAVE_DELAY", 3.0)
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await choose(pilot, "preset:ec2")
        await quiet(pilot)
        await pilot.press("tab")
        await pilot.press(*"eu-west-1")
        await settle(pilot)
        # The typing is shown, and its save waits for a pause in the typing.
        assert not app.settled
        saved = autosave.load()
        assert saved is not None and saved.draft is not None
        assert saved.draft.param("region") != "eu-west-1"
        await quiet(pilot)
        saved = autosave.load()
        assert saved is not None and saved.draft == app.draft
        assert app.draft is not None and app.draft.param("region") == "eu-west-1"
