"""Modal dialogs of exporting: where to save (and the save), whether to go ahead, a profile to add.

What happens to files is decided by core functions (``core.export.save``,
``core.export.profiles``), called here with the answers the user has confirmed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from xraybuilder.tui.widgets.inputs import Input

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from xraybuilder.core.export.profiles import ProfilePlan

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 84; max-width: 100%; height: auto; max-height: 100%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; margin-bottom: 1; }}
{name} .dialog-body {{ height: auto; max-height: 70vh; }}
{name} .dialog-buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .dialog-buttons Button {{ margin-left: 1; }}
{name} .dialog-error {{ color: $text-error; }}
"""


class SaveScreen(ModalScreen[list[Path] | None]):
    """Where to save an export, then the save itself: the builder's one save dialog.

    A folder (ending in ``/``, or one that exists) gets every file of the format; any
    other path gets the whole text as one file (``plan`` decides, given the typed path).
    A missing folder is created only after "Create folder …?", an existing file is
    replaced only after a question listing every file that would be replaced, and a
    refusal leaves the dialog open with a message saying what went wrong and where.
    Dismissed with the paths written, or None when nothing was saved.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="SaveScreen")

    def __init__(
        self,
        title: str,
        default: str,
        plan: Callable[[str], dict[Path, str]],
        *,
        folder_files: Sequence[str] = (),
        mode: int | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.plan = plan
        self.folder_files = tuple(folder_files)
        self.mode = mode

    def compose(self) -> ComposeResult:
        gets = f" ({', '.join(self.folder_files)})" if self.folder_files else ""
        with Vertical():
            yield Label(self.title_text, classes="dialog-title")
            yield Static(
                f"A folder (ending in /, or one that exists) gets every file of this format{gets}; "
                "any other path gets the whole text as one file. ~ is your home folder. "
                "Nothing is replaced or created without asking."
            )
            yield Input(value=self.default, id="save-path")
            yield Static(id="save-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="save-cancel")
                yield Button("Save", id="save-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#save-error", Static).update(Text(message))

    @on(Input.Changed, "#save-path")
    def _edited(self) -> None:
        self._error("")

    @on(Input.Submitted, "#save-path")
    @on(Button.Pressed, "#save-ok")
    def _ok(self) -> None:
        from xraybuilder.core.export.save import SaveError

        value = self.query_one("#save-path", Input).value.strip()
        if not value:
            self._error("✗ Type a folder or a file name.")
            return
        try:
            files = self.plan(value)
        except SaveError as err:
            self._error(f"✗ {err}")
            return
        missing: list[Path] = []
        for folder in dict.fromkeys(path.parent for path in files):
            problem = _folder_problem(folder)
            if problem:
                self._error(f"✗ {problem}")
                return
            if not folder.is_dir():
                missing.append(folder)
        if missing:
            shown = "\n".join(f"  {folder}" for folder in missing)

            def create(yes: bool | None) -> None:
                if yes:
                    self._confirm_replace(files, make_parents=True)
                else:
                    self._error("✗ Nothing saved: the folder does not exist. Type another path.")

            title = f"Create folder {missing[0]}?" if len(missing) == 1 else "Create these folders?"
            self.app.push_screen(
                ConfirmScreen(
                    title, f"Missing, and created before saving:\n{shown}", yes="Create", default_yes=True
                ),
                create,
            )
            return
        self._confirm_replace(files, make_parents=False)

    def _confirm_replace(self, files: dict[Path, str], *, make_parents: bool) -> None:
        existing = [path for path in files if path.exists()]
        if not existing:
            self._write(files, replace=frozenset(), make_parents=make_parents)
            return
        shown = "\n".join(f"  {path}" for path in existing)

        def replace(yes: bool | None) -> None:
            if yes:
                self._write(files, replace=frozenset(existing), make_parents=make_parents)
            else:
                self._error("✗ Nothing saved: the existing files are as they were. Type another path.")

        count = len(existing)
        self.app.push_screen(
            ConfirmScreen(
                f"Replace {count} existing file{'s' if count != 1 else ''}?",
                f"These files exist and would be replaced:\n{shown}",
            ),
            replace,
        )

    def _write(self, files: dict[Path, str], *, replace: frozenset[Path], make_parents: bool) -> None:
        from xraybuilder.core.export.save import SaveError, save_text

        written: list[Path] = []
        for path, text in files.items():
            try:
                overwrite = path in replace
                written.append(
                    save_text(path, text, overwrite=overwrite, make_parents=make_parents, mode=self.mode)
                )
            except SaveError as err:
                done = f" (saved before it: {', '.join(str(p) for p in written)})" if written else ""
                self._error(f"✗ Not saved: {err}{done}")
                return
        self.dismiss(written)

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _folder_problem(folder: Path) -> str | None:
    """Why files cannot go into ``folder`` (missing folders are fine: they can be created)."""
    for ancestor in (folder, *folder.parents):
        if ancestor.is_dir():
            return None
        if ancestor.exists():
            return f"cannot save into {folder}: {ancestor} is a file, not a folder"
    return None


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question. No is the default, so Enter alone changes nothing, except where
    the question only makes what the user asked for possible (creating a missing folder)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "No", id="dialog.no"),
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n", "answer(False)", "No", show=False, id="dialog.no_key"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")

    def __init__(self, title: str, body: str, yes: str = "Replace", *, default_yes: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes = yes
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Text(self.body))
            with Horizontal(classes="dialog-buttons"):
                yield Button("No", id="confirm-no")
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes" if self.default_yes else "#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class KeyPaste(Static, can_focus=True):
    """Takes a terminal paste of ``aws iam create-access-key`` JSON without ever showing it."""

    DEFAULT_CSS = """
    KeyPaste { border: round $panel; padding: 0 1; height: 3; color: $text-muted; }
    KeyPaste:focus { border: round $accent; }
    """

    class Pasted(Message):
        """Text pasted here (it holds a secret: never log or show it)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def __repr__(self) -> str:
            return "KeyPaste.Pasted(<hidden>)"

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.post_message(self.Pasted(event.text))


class ProfileScreen(ModalScreen[list[str] | None]):
    """Keys typed into masked fields (or pasted as JSON), a masked preview, then the write.

    The secret lives only in the masked Input and in the plan; the preview is the core's
    masked diff, and every message shown is the core's, which never holds the secret.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ProfileScreen")
        + """
    ProfileScreen .profile-row { height: auto; }
    ProfileScreen .profile-row Label { width: 20; padding: 1 1 0 0; }
    ProfileScreen .profile-row Input { width: 1fr; }
    ProfileScreen #profile-diff { margin-top: 1; max-height: 14; border: round $panel; }
    """
    )

    def __init__(
        self,
        name: str,
        region: str,
        *,
        credentials_path: str | None = None,
        config_path: str | None = None,
    ) -> None:
        super().__init__()
        self.profile_name = name
        self.profile_region = region
        self.credentials_path = credentials_path
        self.config_path = config_path
        self.plan: ProfilePlan | None = None
        # (key id, session token) of pasted temporary keys: the token goes with that key only.
        self._pasted_key: tuple[str, str | None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add the access key to ~/.aws as a profile", classes="dialog-title")
            with Horizontal(classes="profile-row"):
                yield Label("Profile name")
                yield Input(value=self.profile_name, id="profile-name")
            with Horizontal(classes="profile-row"):
                yield Label("Region")
                yield Input(value=self.profile_region, id="profile-region")
            with Horizontal(classes="profile-row"):
                yield Label("Access key ID")
                yield Input(password=True, placeholder="AKIA…", id="profile-key-id")
            with Horizontal(classes="profile-row"):
                yield Label("Secret access key")
                yield Input(password=True, placeholder="40 characters, hidden", id="profile-secret")
            yield KeyPaste(
                "…or focus here and paste what 'aws iam create-access-key' printed (it stays hidden)",
                id="profile-paste",
            )
            yield Static(id="profile-error", classes="dialog-error")
            with VerticalScroll(id="profile-diff"):
                yield Static("Preview the change to see it here (secrets masked).", id="profile-diff-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="profile-cancel")
                yield Button("Preview", id="profile-preview")
                yield Button("Write the files", id="profile-write", variant="primary", disabled=True)

    def _value(self, field: str) -> str:
        return self.query_one(f"#profile-{field}", Input).value.strip()

    def _error(self, message: str) -> None:
        self.query_one("#profile-error", Static).update(Text(message))

    @on(KeyPaste.Pasted)
    def _pasted(self, event: KeyPaste.Pasted) -> None:
        from xraybuilder.core.export.profiles import ProfileError, access_key_from_json

        try:
            key = access_key_from_json(event.text, "the pasted text")
        except ProfileError as err:  # its messages never quote the text
            self._error(str(err))
            return
        self._pasted_key = (key.key_id, key.session_token)
        self.query_one("#profile-key-id", Input).value = key.key_id
        self.query_one("#profile-secret", Input).value = key.secret
        shown = f"{key.key_id[:4]}…{key.key_id[-4:]}" if len(key.key_id) > 8 else "…"
        kind = "temporary access key" if key.session_token else "access key"
        self.query_one("#profile-paste", KeyPaste).update(
            f"Read {kind} {shown} from the pasted JSON; the secret stays hidden."
        )
        self._error("")
        self.preview()

    @on(Input.Changed)
    def _changed(self) -> None:
        # An edit makes the preview stale: write only what was previewed.
        plan = self.plan
        if plan is not None and (
            plan.name,
            plan.key_id,
            plan.secret,
            plan.region,
        ) == tuple(self._value(field) for field in ("name", "key-id", "secret", "region")):
            return
        self.plan = None
        self.query_one("#profile-write", Button).disabled = True

    @on(Input.Submitted)
    @on(Button.Pressed, "#profile-preview")
    def preview(self) -> ProfilePlan | None:
        """Plan the change with the core and show its masked diff; None when the input is refused."""
        from xraybuilder.core.export.profiles import ProfileError, plan_profile

        self.plan = None
        write = self.query_one("#profile-write", Button)
        write.disabled = True
        key_id = self._value("key-id")
        token = self._pasted_key[1] if self._pasted_key and self._pasted_key[0] == key_id else None
        try:
            plan = plan_profile(
                self._value("name"),
                key_id,
                self._value("secret"),
                self._value("region"),
                session_token=token,
                credentials_path=self.credentials_path,
                config_path=self.config_path,
            )
        except ProfileError as err:
            self._error(str(err))
            return None
        self._error("")
        diff = plan.diff(masked=True) or "No change: the files already hold this profile."
        notes = "".join(f"\nNote: {note}" for note in plan.notes)
        self.query_one("#profile-diff-text", Static).update(Text(diff.rstrip("\n") + notes))
        self.plan = plan
        write.disabled = False
        write.label = "Replace the profile" if plan.replaces else "Write the files"
        return plan

    @on(Button.Pressed, "#profile-write")
    def write(self) -> None:
        """Apply the previewed plan; close with the core's messages."""
        from xraybuilder.core.export.profiles import ProfileError, apply_profile

        if self.plan is None:
            return
        try:
            messages = apply_profile(self.plan)
        except ProfileError as err:
            self._error(str(err))
            return
        written = ", ".join(c.display for c in self.plan.changes if c.changed) or "nothing"
        shown = [f"Profile {self.plan.name} added: {written}", *messages]
        self.plan = None
        self.dismiss(shown)

    @on(Button.Pressed, "#profile-cancel")
    def action_cancel(self) -> None:
        self.plan = None
        self.dismiss(None)
