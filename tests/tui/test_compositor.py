"""The builder's screen shows, cell for cell, what Textual's full repaint would show.

The builder paints partial updates with its own compositor (only the lines in the changed
spans). A model terminal takes every update the app sends, as a terminal would (cursor
moves, then text), and after each step of a session the cells it holds are compared with
a full repaint of the screen.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.control import ControlType
from rich.segment import Segment
from rich.style import Style
from textual._compositor import Compositor
from textual.message import Message
from textual.messages import Update
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Input, Static, TabbedContent, TextArea

from tests.tui.tui_helpers import policy_text, ready, settle
from xraybuilder.tui import compositor
from xraybuilder.tui.app import XrayBuilderApp

WIDE = (120, 36)
Cell = tuple[str, Style | None]


class ModelTerminal:
    """The cells of a terminal that has been sent each of the app's updates in turn."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[Cell]] = [[(" ", None)] * width for _ in range(height)]
        self.console = Console(width=width, height=height, force_terminal=True, color_system="truecolor")
        self.updates = 0
        self.shown: list[list[str]] = []
        """The text of every row after each update, when ``keep`` is set."""
        self.keep = False

    def apply(self, update: Any) -> None:
        self.updates += 1
        x = y = 0
        options = self.console.options
        for segment in update.__rich_console__(self.console, options):
            if segment.control:
                for control in segment.control:
                    if control[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = control[1], control[2]
                continue
            if segment.text == "\n":
                x, y = 0, y + 1
                continue
            x = self._write(x, y, segment)
        if self.keep:
            self.shown.append(["".join(char for char, _ in row) for row in self.cells])

    def _write(self, x: int, y: int, segment: Segment) -> int:
        for char in segment.text:
            if 0 <= y < self.height and 0 <= x < self.width:
                self.cells[y][x] = (char, segment.style)
            x += 1
        return x


def cells_of(strips: list[Strip], width: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for strip in strips:
        row: list[Cell] = []
        for segment in strip:
            if not segment.control:
                row.extend((char, segment.style) for char in segment.text)
        rows.append((row + [(" ", None)] * width)[:width])
    return rows


def differences(terminal: ModelTerminal, app: XrayBuilderApp) -> list[str]:
    """Rows where the terminal differs from a full repaint: ``row: shown | expected``."""
    expected = cells_of(app.screen._compositor.render_strips(), terminal.width)
    found = []
    for y, (shown, wanted) in enumerate(zip(terminal.cells, expected, strict=True)):
        if shown != wanted:
            text = "".join(c for c, _ in shown)
            want = "".join(c for c, _ in wanted)
            found.append(f"{y}: {text!r} | {want!r}" if text != want else f"{y}: styles differ in {text!r}")
    return found


def watch(app: XrayBuilderApp) -> ModelTerminal:
    terminal = ModelTerminal(*app.size)
    display = app._display

    def sent(screen: Any, renderable: Any) -> None:
        if renderable is not None and not app._batch_count:
            terminal.apply(renderable)
        display(screen, renderable)

    app._display = sent  # type: ignore[method-assign]
    # The terminal starts blank: have the whole screen sent to it.
    app.screen.refresh(layout=True)
    return terminal


def policy_file(folder: Path, statements: int = 30) -> Path:
    path = folder / "policy.json"
    path.write_text(policy_text(statements, sid="Team"), "utf-8")
    return path


async def loaded(pilot: Pilot[None], app: XrayBuilderApp) -> None:
    for _ in range(400):
        if app.assessment is not None and app.query("#file-text"):
            break
        await pilot.pause(0.05)
    await settle(pilot)
    # A blinking cursor repaints by itself: the comparisons need a screen that keeps still.
    for field in (*app.query(Input), *app.query(TextArea)):
        field.cursor_blink = False
    await settle(pilot)


async def session(pilot: Pilot[None], app: XrayBuilderApp) -> AsyncIterator[str]:
    """Steps of a session at the keyboard; yields a name after each one has been painted."""
    editor = app.query_one("#file-text", TextArea)
    editor.focus()
    editor.scroll_to(y=40, animate=False)
    await settle(pilot)
    yield "editor scrolled"
    editor.cursor_location = (round(editor.scroll_y) + 3, 10)
    for key in "abc":
        await pilot.press(key)
        yield f"typed {key}"
    await pilot.press("enter")
    yield "new line"
    await pilot.press("backspace", "backspace", "backspace", "backspace")
    yield "backspace"
    await pilot.press("pagedown", "down", "down")
    yield "page down"
    await pilot.press("shift+down", "shift+down", "shift+right")
    yield "selection"
    await pilot.press("x")
    yield "typed over a selection"
    await pilot.press("ctrl+z")
    yield "undo"
    # The longest line grows and shrinks: the preview's width, and its horizontal scrollbar.
    lines = editor.text.split("\n")
    top = round(editor.scroll_y)
    row = max(range(top, top + 10), key=lambda i: len(lines[i]))
    editor.cursor_location = (row, len(lines[row]) - 2)
    await pilot.press(*"longer")
    yield "longest line grew"
    await pilot.press(*["backspace"] * 9)
    yield "longest line shrank"
    await pilot.press("f5")
    yield "preview toggled"
    await pilot.press("f5")
    yield "preview back"
    await pilot.press("ctrl+l", "down", "down", "enter")
    yield "another step"
    await pilot.press("tab", "tab")
    yield "focus moved"


async def _run_session(app: XrayBuilderApp, size: tuple[int, int] = WIDE) -> list[tuple[str, list[str]]]:
    results = []
    async with app.run_test(size=size) as pilot:
        terminal = watch(app)
        await loaded(pilot, app)
        results.append((type(app.screen._compositor).__name__, differences(terminal, app)))
        async for step in session(pilot, app):
            await settle(pilot)
            results.append((step, differences(terminal, app)))
        assert terminal.updates > 10
    return results


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    return policy_file(tmp_path)


@pytest.mark.parametrize("size", [WIDE, (80, 24)], ids=["120x36", "80x24"])
async def test_the_screen_matches_a_full_repaint_after_every_step(
    policy: Path, size: tuple[int, int]
) -> None:
    app = XrayBuilderApp(policy_file=policy, offer_resume=False)
    results = await _run_session(app, size)
    assert results[0][0] == "SpanCompositor"
    assert [(step, found) for step, found in results if found] == []


async def test_the_model_terminal_catches_a_missed_line(
    policy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Leave out the editor's lines from partial updates: the comparison must notice.
    render_spans = compositor.SpanCompositor._render_spans

    def without_editor(self: compositor.SpanCompositor, spans: list[tuple[int, int, int]]) -> Any:
        editor = next((w for w in self.visible_widgets if w.id == "file-text"), None)
        if editor is None:
            return render_spans(self, spans)
        region = self.visible_widgets[editor][0]
        kept = [(y, x1, x2) for y, x1, x2 in spans if not region.contains(x1, y)]
        return render_spans(self, kept)

    monkeypatch.setattr(compositor.SpanCompositor, "_render_spans", without_editor)
    results = await _run_session(XrayBuilderApp(policy_file=policy, offer_resume=False))
    assert any(step.startswith("typed") and found for step, found in results)


async def test_the_model_terminal_agrees_with_textual_s_own_compositor(policy: Path) -> None:
    class Stock(XrayBuilderApp):
        def get_default_screen(self) -> Any:
            screen = super().get_default_screen()
            screen._compositor = Compositor()
            return screen

    results = await _run_session(Stock(policy_file=policy, offer_resume=False))
    assert results[0][0] == "Compositor"
    assert [(step, found) for step, found in results if found] == []


def sids(rows: list[str], left: int, right: int) -> list[str]:
    """The Sids shown between columns ``left`` and ``right``, top to bottom."""
    return re.findall(r'"Sid": "(\w+)"', "\n".join(row[left:right] for row in rows))


async def test_each_keystroke_reaches_the_terminal_in_one_update(tmp_path: Path) -> None:
    # The edited text, its preview and its size never reach the screen one without the other.
    app = XrayBuilderApp(policy_file=policy_file(tmp_path, statements=4), offer_resume=False)
    async with app.run_test(size=WIDE) as pilot:
        terminal = watch(app)
        await loaded(pilot, app)
        editor = app.query_one("#file-text", TextArea)
        editor.focus()
        row = next(i for i, line in enumerate(editor.text.split("\n")) if '"Sid": "Team0"' in line)
        editor.cursor_location = (row, editor.text.split("\n")[row].index("Team0") + 5)
        await settle(pilot)
        shown_in = {name: app.query_one(name).region for name in ("#file-text", "#policy", "#meter")}
        sid = "Team0"
        for typed in "XYZ":
            sid += typed
            terminal.keep, terminal.shown = True, []
            await pilot.press(typed)
            await settle(pilot)
            terminal.keep = False
            assessment = app.assessment
            assert assessment is not None and editor.text.count(f'"{sid}"') == 1
            size = assessment.document("identity").size  # type: ignore[union-attr]
            assert size is not None
            states = []
            for rows in terminal.shown:
                editor_sid = sids(rows, shown_in["#file-text"].x, shown_in["#file-text"].right)[0]
                preview_sid = sids(rows, shown_in["#policy"].x, shown_in["#policy"].right)[0]
                meter = shown_in["#meter"]
                counted = f"{size.characters:,} / " in rows[meter.y][meter.x : meter.right]
                states.append((editor_sid, preview_sid, counted))
            # Before the keystroke's update: all old; from it on: all new, in the same update.
            assert states[-1] == (sid, sid, True), states
            assert all(state in {(sid[:-1], sid[:-1], False), (sid, sid, True)} for state in states), states


async def test_a_keystroke_in_a_parameter_field_reaches_the_terminal_with_its_policy() -> None:
    app = XrayBuilderApp(preset="ec2", offer_resume=False)
    async with app.run_test(size=WIDE) as pilot:
        terminal = watch(app)
        await ready(pilot)
        await settle(pilot)
        for field in app.query(Input):
            field.cursor_blink = False
        region = app.query_one("#param-region", Input)
        region.focus()
        await settle(pilot)
        await pilot.press(*"eu-west-1")
        await settle(pilot)
        in_field, in_policy = region.region, app.query_one("#policy").region

        def shown(rows: list[str]) -> tuple[str, bool]:
            policy = "".join(
                row[in_policy.x : in_policy.right] for row in rows[in_policy.y : in_policy.bottom]
            )
            return rows[in_field.y][in_field.x : in_field.right].split()[
                -1
            ], "aws-xray-assets.eu-west-2" in policy

        await pilot.press("backspace")
        await settle(pilot)
        terminal.keep, terminal.shown = True, []
        await pilot.press("2")
        await settle(pilot)
        states = [shown(rows) for rows in terminal.shown]
        assert states[-1] == ("eu-west-2", True), states
        assert all(state in {("eu-west-", False), ("eu-west-2", True)} for state in states), states


class Ping(Message):
    """A message for a widget to handle (nobody does)."""


async def test_idle_widgets_pass_their_repaints_on_at_once_and_busy_ones_are_waited_for(
    tmp_path: Path,
) -> None:
    app = XrayBuilderApp(policy_file=policy_file(tmp_path, statements=4), offer_resume=False)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, app)
        policy, meter = app.query_one("#policy"), app.query_one("#meter")
        with app.batch_update():
            policy.refresh()  # asks for a repaint and wakes its queue: nothing else queued
            meter.refresh()
            meter.post_message(Ping())  # the meter has a message still to handle
            busy = compositor.pass_repaints_on(app.screen)
            assert busy == [meter]
            assert not policy._repaint_required and meter._repaint_required
            # The screen has been told of the preview's repaint, in its queue.
            assert any(isinstance(m, Update) and m.widget is policy for m in app.screen._message_queue.values)
        await settle(pilot)
        assert not meter._repaint_required


async def test_keys_that_change_the_findings_count_lay_out_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The findings list (behind its tab), the tab's "Findings N" label and the status line
    # change with the count; none of them changes size, so none asks for a layout.
    app = XrayBuilderApp(policy_file=policy_file(tmp_path, statements=4), offer_resume=False)
    layouts = []
    refresh_layout = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(self)
        refresh_layout(self, *args, **kwargs)

    async with app.run_test(size=WIDE) as pilot:
        terminal = watch(app)
        await loaded(pilot, app)
        editor = app.query_one("#file-text", TextArea)
        editor.focus()

        def bad_arn(team: str) -> None:
            lines = editor.text.split("\n")
            row = next(i for i, line in enumerate(lines) if f"group/{team}/*" in line)
            editor.cursor_location = (row, lines[row].index(f"group/{team}"))

        def shown() -> tuple[int, str, str]:
            assert app.assessment is not None
            return len(app.assessment.findings), str(tab.label), str(app.query_one("#status", Static).content)

        tab = app.query_one("#preview-tabs", TabbedContent).get_tab("tab-findings")
        # One finding first ("Findings" to "Findings 1" does widen the tab).
        bad_arn("team0")
        await pilot.press(*"bad:")  # a resource type the ARN cannot have
        await settle(pilot)
        bad_arn("team1")
        await settle(pilot)
        before = shown()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await pilot.press(*"bad:")
        await settle(pilot)
        after = shown()
        assert after[0] > before[0] and after[1:] != before[1:], (before, after)
        assert after[1] == f"Findings {after[0]}"
        assert layouts == [], (before, after)
        assert differences(terminal, app) == []
        monkeypatch.undo()
        # The list, hidden meanwhile, shows every finding when its tab is chosen.
        app.query_one("#preview-tabs", TabbedContent).active = "tab-findings"
        await settle(pilot)
        findings = app.query_one("#findings")
        assert findings.virtual_size.height == after[0]
        assert differences(terminal, app) == []
