"""The builder's dialogs: resume a draft, quit with unsaved work, open a file, save as preset."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from xraybuilder.tui.widgets.inputs import Input

if TYPE_CHECKING:
    from xraybuilder.core.draft import Draft
    from xraybuilder.core.scenarios import Library


T = TypeVar("T")


class Dialog(ModalScreen[T | None], Generic[T]):
    """A small centred box; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog_cancel")]
    DEFAULT_CLASSES = "dialog"

    def action_cancel(self) -> None:
        self.dismiss(None)


class ResumeScreen(Dialog[bool]):
    """Offer the draft a previous run left behind."""

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Resume your draft?", classes="dialog-title")
            yield Static(
                f"xraybuilder stopped before you finished {self.description}. "
                "Resume it, or start from the scenario list (the draft stays until you change something)."
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume", id="resume", variant="primary")
                yield Button("Start fresh", id="fresh")

    def on_mount(self) -> None:
        self.query_one("#resume").focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume")


class QuitScreen(Dialog[str]):
    """Quitting with work that was neither exported nor saved as a preset."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Quit with unsaved work?", classes="dialog-title")
            yield Static(
                "This draft has not been exported or saved as a preset. Keep it to resume it next "
                "time, or discard it."
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep draft and quit", id="keep", variant="primary")
                yield Button("Discard and quit", id="discard", variant="error")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#keep").focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)


class OpenFileScreen(Dialog[str]):
    """Ask for the path of a policy file."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Open a policy file", classes="dialog-title")
            yield Label("Path of an IAM policy JSON file (~ is your home folder):")
            yield Input(placeholder="policy.json", id="path")
            yield Static("", id="open-problem", classes="field-message -error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open", id="open", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        path = Path(text).expanduser()
        if not text or not path.is_file():
            self.query_one("#open-problem", Static).update(f"✗ {text or 'nothing typed'}: no such file")
            return
        self.dismiss(str(path))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class SavePresetScreen(Dialog[str]):
    """Save the draft as a user preset: an id and a title, then the file in the presets folder."""

    def __init__(self, draft: Draft, library: Library | None) -> None:
        super().__init__()
        self.draft = draft
        self.library = library
        self._confirm_overwrite = False

    def compose(self) -> ComposeResult:
        from xraybuilder.core.scenarios import user_presets_dir

        base = self.draft.preset_id or "custom"
        with Vertical(classes="dialog-box"):
            yield Static("Save as preset", classes="dialog-title")
            yield Static(f"Saved in {user_presets_dir()}; it then appears in the scenario list.")
            yield Label("Id (lower-case letters, digits and dashes):")
            yield Input(value=f"my-{base}", id="preset-id")
            yield Label("Title:")
            yield Input(value=f"My {base}", id="preset-title")
            yield Static("", id="preset-problem", classes="field-message -error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#preset-id").focus()

    @on(Input.Changed)
    def _changed(self) -> None:
        self._confirm_overwrite = False
        self.query_one("#save", Button).label = "Save"

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        from xraybuilder.core.scenarios import user_presets_dir
        from xraybuilder.tui.presetfile import PresetSaveError, preset_text, save_preset

        preset_id = self.query_one("#preset-id", Input).value.strip()
        title = self.query_one("#preset-title", Input).value
        problem = self.query_one("#preset-problem", Static)
        try:
            text = preset_text(self.draft, self.library, preset_id, title)
            path = save_preset(text, preset_id, user_presets_dir(), overwrite=self._confirm_overwrite)
        except PresetSaveError as err:
            problem.update(f"✗ {err}")
            return
        except FileExistsError as err:
            problem.update(f"✗ {err} exists. Press Save again to replace it.")
            self._confirm_overwrite = True
            self.query_one("#save", Button).label = "Replace"
            return
        self.app.notify(f"Saved the preset {preset_id} to {path}.", timeout=8)
        mark_saved = getattr(self.app, "mark_saved", None)
        if mark_saved is not None:
            mark_saved()
        self.dismiss(str(path))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
