"""PolicyEditor: what is painted after each edit is the document's text, row for row."""

from __future__ import annotations

from textual.app import App, ComposeResult

from xraybuilder.tui.widgets.editor import PolicyEditor

TEXT = "\n".join(f'  "Sid{i}": "line {i}",' for i in range(12))


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield PolicyEditor(TEXT, id="editor", show_line_numbers=True)


def painted(editor: PolicyEditor) -> list[str]:
    """The text rows as the screen gets them (through the editor's caches), inside its border."""
    rows = [strip.text for strip in editor.render_lines(editor.size.region)]
    return [row[1:-1] for row in rows[1:-1]]


def assert_shows_document(editor: PolicyEditor) -> None:
    rows = painted(editor)
    top = round(editor.scroll_y)
    for y, row in enumerate(rows):
        index = top + y
        if index >= editor.document.line_count:
            assert not row.strip(), (y, row)
            continue
        number, _, text = row.strip().partition("  ")
        assert number == str(index + 1), (y, row)
        assert text.rstrip() == editor.document.get_line(index).rstrip(), (y, row)


async def test_typing_repaints_the_edited_line_and_lines_moved_by_a_new_line() -> None:
    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        editor = app.query_one(PolicyEditor)
        editor.focus()
        editor.cursor_location = (2, 4)
        await pilot.pause()
        assert_shows_document(editor)

        await pilot.press("x", "y", "z")
        await pilot.pause()
        assert editor.document.get_line(2).startswith('  "Sxyzid2"')
        assert_shows_document(editor)

        # A new line moves every line below it down one row.
        await pilot.press("enter")
        await pilot.pause()
        assert editor.document.line_count == 13
        assert_shows_document(editor)

        # Undo brings them back up; the rows painted before the edit are right again.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.document.line_count == 12
        assert_shows_document(editor)

        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert_shows_document(editor)


async def test_an_edit_far_below_scrolls_and_paints_the_lines_shown() -> None:
    app = Host()
    async with app.run_test(size=(60, 6)) as pilot:
        editor = app.query_one(PolicyEditor)
        editor.focus()
        editor.cursor_location = (11, 0)
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert round(editor.scroll_y) > 0
        assert editor.document.get_line(11).startswith("q")
        assert_shows_document(editor)
        # Replacing the whole text (a file opened again) paints the new text.
        editor.load_text("{}\n")
        await pilot.pause()
        assert_shows_document(editor)


async def test_typing_in_a_scrolled_editor_repaints_the_row_the_line_is_on() -> None:
    app = Host()
    async with app.run_test(size=(60, 6)) as pilot:
        editor = app.query_one(PolicyEditor)
        editor.focus()
        editor.scroll_to(y=6, animate=False)
        await pilot.pause()
        top = round(editor.scroll_y)
        assert top > 0
        editor.cursor_location = (top + 1, 4)
        await pilot.pause()
        assert_shows_document(editor)

        for key in "xyz":
            await pilot.press(key)
            assert round(editor.scroll_y) == top
            assert editor.document.get_line(top + 1).startswith(f'  "S{"xyz"[: "xyz".index(key) + 1]}id')
            assert_shows_document(editor)


async def test_new_lines_bring_the_scrollbar_when_the_text_outgrows_the_editor() -> None:
    class Short(App[None]):
        def compose(self) -> ComposeResult:
            yield PolicyEditor("{\n}", id="editor", show_line_numbers=True)

    app = Short()
    async with app.run_test(size=(60, 8)) as pilot:
        editor = app.query_one(PolicyEditor)
        editor.focus()
        editor.cursor_location = (0, 1)
        await pilot.pause()
        assert not editor.show_vertical_scrollbar
        for count in range(1, 10):
            await pilot.press("enter")
            await pilot.pause()
            assert editor.virtual_size.height == editor.document.line_count == count + 2
            assert_shows_document(editor)
        # The text no longer fits: the scrollbar has come, sized for the whole text.
        assert editor.show_vertical_scrollbar
        assert editor.vertical_scrollbar.window_virtual_size == editor.document.line_count
        assert editor.max_scroll_y > 0
        cursor_row = editor.cursor_location[0]
        assert editor.scroll_y <= cursor_row < editor.scroll_y + editor.scrollable_content_region.height
        await pilot.press(*["backspace"] * 9)
        await pilot.pause()
        assert editor.document.line_count == 2
        assert not editor.show_vertical_scrollbar
        assert_shows_document(editor)


async def test_the_wrapped_height_follows_edits_that_wrap_unwrap_add_and_remove_lines() -> None:
    class Wrapping(App[None]):
        def compose(self) -> ComposeResult:
            yield PolicyEditor(TEXT, id="editor", soft_wrap=True)

    app = Wrapping()
    async with app.run_test(size=(18, 10)) as pilot:
        editor = app.query_one(PolicyEditor)
        editor.focus()
        wrapped = editor.wrapped_document

        def summed() -> int:
            return sum(len(offsets) + 1 for offsets in wrapped._wrap_offsets)

        assert wrapped.height == summed() > editor.document.line_count  # some lines wrap
        editor.cursor_location = (2, 5)
        for keys in (["x"] * 30, ["enter"] * 3, ["backspace"] * 20, ["delete"] * 40):
            await pilot.press(*keys)
            await pilot.pause()
            assert wrapped.height == summed()
            assert editor.virtual_size.height == summed()
        editor.load_text("a\n" * 40)
        await pilot.pause()
        assert editor.wrapped_document.height == 41
