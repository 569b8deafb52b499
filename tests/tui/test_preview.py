"""PolicyView: highlighted JSON, rendered line by line, scroll and marked line kept."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tests.tui.tui_helpers import policy_text
from xraybuilder.tui.widgets.preview import PolicyView, tokens


class Host(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield PolicyView(self.text)


def screen_lines(view: PolicyView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


def test_tokens_tell_keys_from_values() -> None:
    pieces = tokens('  "Effect": "Allow", "N": -1.5e3, "B": true, "Z": null, "x": "unterminated')
    kinds = [(text, kind) for text, kind in pieces if kind is not None]
    assert kinds == [
        ('"Effect"', "key"),
        (":", "punctuation"),
        ('"Allow"', "string"),
        (",", "punctuation"),
        ('"N"', "key"),
        (":", "punctuation"),
        ("-1.5e3", "number"),
        (",", "punctuation"),
        ('"B"', "key"),
        (":", "punctuation"),
        ("true", "literal"),
        (",", "punctuation"),
        ('"Z"', "key"),
        (":", "punctuation"),
        ("null", "literal"),
        (",", "punctuation"),
        ('"x"', "key"),
        (":", "punctuation"),
        ('"unterminated', "string"),
    ]
    assert "".join(text for text, _ in pieces).startswith('  "Effect"')
    # An escaped quote does not end a string, and a colon inside a string is no key.
    assert [k for _, k in tokens(r'"a\"b:c"') if k] == ["string"]


async def test_shows_the_text_with_keys_and_strings_styled_apart() -> None:
    text = policy_text(2)
    app = Host(text)
    async with app.run_test(size=(60, 12)):
        view = app.query_one(PolicyView)
        assert screen_lines(view)[:3] == ["{", '  "Version": "2012-10-17",', '  "Statement": [']
        segments = {seg.text: seg.style for seg in view.render_line(1)}
        assert segments['"Version"'] != segments['"2012-10-17"']
        assert segments['"Version"'].color != view.rich_style.color
        assert view.virtual_size.height == len(text.splitlines())


async def test_set_text_keeps_the_scroll_position() -> None:
    app = Host(policy_text(50))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(PolicyView)
        view.scroll_to(y=100, animate=False)
        await pilot.pause()
        before = screen_lines(view)
        view.set_text(policy_text(50).replace("team20", "platform20"))
        await pilot.pause()
        assert view.scroll_offset.y == 100
        after = screen_lines(view)
        assert after[0] == before[0]
        # Shorter text clamps the position instead of showing empty space.
        view.set_text(policy_text(1))
        await pilot.pause()
        assert view.scroll_offset.y == view.max_scroll_y


async def test_highlight_line_marks_that_line_only_and_survives_set_text() -> None:
    app = Host(policy_text(3))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(PolicyView)
        view.highlight_line(3)
        await pilot.pause()
        marked = {seg.style.bgcolor for seg in view.render_line(2)}
        plain = {seg.style.bgcolor for seg in view.render_line(1)}
        assert marked.isdisjoint(plain)
        # Bold as well as a background: the mark still shows under NO_COLOR.
        assert all(seg.style.bold for seg in view.render_line(2))
        view.set_text(policy_text(4))
        await pilot.pause()
        assert view.highlighted_line == 3
        assert {seg.style.bgcolor for seg in view.render_line(2)} == marked
        view.highlight_line(None)
        await pilot.pause()
        assert {seg.style.bgcolor for seg in view.render_line(2)} == plain


async def test_scroll_to_line_brings_a_far_line_into_view() -> None:
    text = policy_text(50)
    app = Host(text)
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(PolicyView)
        target = text.splitlines().index('      "Sid": "Statement40",') + 1
        view.scroll_to_line(target)
        await pilot.pause()
        assert '      "Sid": "Statement40",' in screen_lines(view)
        # A line already visible does not move the view.
        y = view.scroll_offset.y
        view.scroll_to_line(target + 1)
        await pilot.pause()
        assert view.scroll_offset.y == y


async def test_a_500_statement_policy_scrolls_to_its_end() -> None:
    text = policy_text(500)
    app = Host(text)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(PolicyView)
        view.focus()
        await pilot.press("end")
        await pilot.pause()
        lines = screen_lines(view)
        assert lines[-1] == "}"
        assert '      "Sid": "Statement499",' in lines
        assert view.scroll_offset.y == len(text.splitlines()) - view.scrollable_content_region.height


async def test_theme_switch_restyles_the_lines() -> None:
    app = Host(policy_text(1))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(PolicyView)
        app.theme = "textual-dark"
        await pilot.pause()
        dark = view.render_line(1)
        app.theme = "textual-light"
        await pilot.pause()
        light = view.render_line(1)
        assert dark.text == light.text
        assert [s.style.bgcolor for s in dark] != [s.style.bgcolor for s in light]


async def test_wide_lines_scroll_horizontally() -> None:
    text = '{"Resource": "' + "x" * 200 + 'END"}'
    app = Host(text)
    async with app.run_test(size=(40, 6)) as pilot:
        view = app.query_one(PolicyView)
        assert view.virtual_size.width == len(text)
        view.scroll_to(x=view.max_scroll_x, animate=False)
        await pilot.pause()
        assert view.render_line(0).text.rstrip().endswith('END"}')


async def test_a_new_width_or_length_updates_the_scrollbars_without_laying_out_the_screen() -> None:
    wide = "\n".join(f'"{i}": "' + "x" * 60 + '"' for i in range(30))
    app = Host(wide)
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(PolicyView)
        await pilot.pause()
        vertical, horizontal = view.vertical_scrollbar, view.horizontal_scrollbar
        assert view.show_vertical_scrollbar and view.show_horizontal_scrollbar

        def settled() -> None:
            assert vertical.window_virtual_size == view.virtual_size.height == len(view.lines)
            assert horizontal.window_virtual_size == view.virtual_size.width
            assert view.virtual_size.width == max(len(line) for line in view.lines)

        settled()
        # The longest line grows (a key typed into it): only the horizontal bar changes.
        view.set_text(wide.replace('"0": "', '"0": "wider', 1))
        assert not view._layout_required and not app.screen._layout_required
        assert horizontal._repaint_required and not vertical._repaint_required
        settled()
        await pilot.pause()
        # A line more: only the vertical bar changes.
        view.set_text(view.text + '\n"30": "x"')
        assert not view._layout_required and not app.screen._layout_required
        assert vertical._repaint_required and not horizontal._repaint_required
        settled()
        await pilot.pause()
        # Short text: the scrollbars go, which needs a layout, and the text has the room.
        view.set_text('"a": "b"')
        await pilot.pause()
        assert not view.show_vertical_scrollbar and not view.show_horizontal_scrollbar
        assert screen_lines(view)[0] == '"a": "b"'
