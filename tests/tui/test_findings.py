"""FindingsList and SizeMeter, fed with real assessments."""

from __future__ import annotations

import json
from pathlib import Path

from textual.app import App, ComposeResult

from xraybuilder.core.assess import Assessment, Size, assess
from xraybuilder.core.draft import Draft
from xraybuilder.tui.widgets.findings import FindingsList
from xraybuilder.tui.widgets.meter import SizeMeter

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def assessed(name: str) -> Assessment:
    return assess(Draft.from_text((CORPUS / name).read_text("utf-8"), name))


def many_findings(statements: int) -> Assessment:
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": f"S{i}", "Effect": "Allow", "Action": "xray:GetGroupz", "Resource": "*"}
            for i in range(statements)
        ],
    }
    return assess(Draft.from_text(json.dumps(doc, indent=2)))


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield FindingsList(id="findings")
        yield SizeMeter(id="meter")

    def on_findings_list_jump(self, message: FindingsList.Jump) -> None:
        self.messages.append(message)

    def on_findings_list_apply_fix(self, message: FindingsList.ApplyFix) -> None:
        self.messages.append(message)


def rows(view: FindingsList) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


async def test_rows_show_icon_code_message_and_where() -> None:
    assessment = assessed("security_passrole_star.json")
    app = Host()
    async with app.run_test(size=(200, 20)) as pilot:
        view = app.query_one(FindingsList)
        view.show(assessment.findings)
        await pilot.pause()
        first, second = rows(view)[:2]
        assert first.startswith(" ◆ PASS_ROLE_WITH_STAR_IN_RESOURCE Statement[0].Action  This statement")
        assert "iam:PassRole" in first
        assert second.startswith(" ○ RESOURCE_STAR Statement[0].Resource  Every action")


async def test_narrow_rows_end_with_an_ellipsis() -> None:
    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(FindingsList)
        view.show(assessed("security_passrole_star.json").findings)
        await pilot.pause()
        line = view.render_line(0)
        assert line.cell_length == view.scrollable_content_region.width
        assert line.text.endswith("…")


async def test_enter_posts_jump_for_the_row_under_the_cursor() -> None:
    assessment = assessed("security_passrole_star.json")
    app = Host()
    async with app.run_test(size=(120, 20)) as pilot:
        view = app.query_one(FindingsList)
        view.show(assessment.findings)
        view.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        [message] = app.messages
        assert isinstance(message, FindingsList.Jump)
        assert message.finding is assessment.findings[1]
        assert message.finding.field.step == "resources"


async def test_f_applies_a_fix_only_where_there_is_one() -> None:
    no_fix = assessed("security_passrole_star.json")
    with_fix = assessed("error_variable_in_version_2008.json")
    app = Host()
    async with app.run_test(size=(120, 20)) as pilot:
        view = app.query_one(FindingsList)
        view.show(no_fix.findings)
        view.focus()
        await pilot.press("f")
        await pilot.pause()
        assert app.messages == []
        assert view.check_action("apply_fix", ()) is False
        view.show(with_fix.findings)
        await pilot.press("f")
        await pilot.pause()
        assert rows(view)[0].startswith(" ✗ VARIABLE_UNSUPPORTED_IN_VERSION Statement[0].Resource  [f] ")
        [message] = app.messages
        assert isinstance(message, FindingsList.ApplyFix)
        assert message.finding is with_fix.findings[0]
        assert message.finding.finding.fix is not None


async def test_a_long_list_renders_only_what_is_visible_and_reaches_the_end() -> None:
    assessment = many_findings(300)
    assert len(assessment.findings) >= 300
    app = Host()
    async with app.run_test(size=(120, 12)) as pilot:
        view = app.query_one(FindingsList)
        view.show(assessment.findings)
        view.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert view.cursor == len(assessment.findings) - 1
        last = assessment.findings[-1].finding
        assert rows(view)[-1].startswith(f" ○ {last.code} {last.path_str}  ")
        await pilot.press("enter")
        await pilot.pause()
        assert app.messages[-1].finding is assessment.findings[-1]  # type: ignore[attr-defined]


async def test_show_keeps_the_cursor_on_the_same_finding() -> None:
    assessment = many_findings(5)
    app = Host()
    async with app.run_test(size=(120, 12)) as pilot:
        view = app.query_one(FindingsList)
        view.show(assessment.findings)
        view.focus()
        await pilot.press("down", "down", "down")
        chosen = view.current
        assert chosen is not None
        # The same draft assessed again (a keystroke elsewhere): new objects, same findings.
        again = many_findings(5)
        view.show(again.findings[1:])
        await pilot.pause()
        assert view.current is not None
        assert view.current.finding.path == chosen.finding.path


async def test_no_findings_says_so() -> None:
    app = Host()
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(FindingsList)
        view.show(assessed("valid_daemon_write.json").findings)
        await pilot.pause()
        assert rows(view)[0].startswith("No findings")
        assert view.check_action("jump", ()) is False


async def test_size_meter_shows_count_quota_and_target() -> None:
    app = Host()
    async with app.run_test(size=(100, 10)) as pilot:
        meter = app.query_one(SizeMeter)
        ec2 = assess(Draft.from_preset("ec2", {"account": "123456789012", "region": "eu-west-1"}))
        identity = ec2.document("identity")
        assert identity is not None and identity.size is not None
        meter.show(identity.size)
        await pilot.pause()
        shown = str(meter.render())
        assert f"{identity.size.characters:,} / 10,240 " in shown
        assert "role inline policies quota" in shown
        assert "▇" in shown and "░" in shown
        assert not meter.has_class("-over")

        meter.show(Size(characters=7000, quota=6144, target="managed"))
        await pilot.pause()
        shown = str(meter.render())
        assert "7,000 / 6,144" in shown and "856 over" in shown and "managed policy" in shown
        assert meter.has_class("-over")

        meter.show(None)
        await pilot.pause()
        assert "no policy" in str(meter.render())


class Narrow(App[None]):
    CSS = "SizeMeter { width: 36; }"

    def compose(self) -> ComposeResult:
        yield SizeMeter()


async def test_size_meter_in_a_narrow_column_keeps_its_figures() -> None:
    app = Narrow()
    async with app.run_test(size=(80, 5)) as pilot:
        meter = app.query_one(SizeMeter)
        meter.show(Size(characters=438, quota=6144, target="managed"))
        await pilot.pause()
        line = meter.render_lines(meter.region.reset_offset)[0].text.rstrip()
        assert line.startswith("438 / 6,144 ") and line.endswith("7% (managed)")
        assert len(line) <= 36
