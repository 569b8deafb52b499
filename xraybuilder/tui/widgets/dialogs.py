"""Modal dialogs of the Export step: where to save, whether to replace, and a profile to add.

Each dialog only gathers answers; what happens to files is decided by core functions
(``core.export.save``, ``core.export.profiles``), called by the panel or, for the
profile, here with the plan the user has seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

if TYPE_CHECKING:
    from xraybuilder.core.export.profiles import ProfilePlan

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 84; max-width: 100%; height: auto; max-height: 100%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; margin-bottom: 1; }}
{name} .dialog-buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .dialog-buttons Button {{ margin-left: 1; }}
{name} .dialog-error {{ color: $text-error; }}
"""


class SavePathScreen(ModalScreen[str | None]):
    """Asks for a folder (every file of the format) or a file name (one text); ``~`` is allowed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="SavePathScreen")

    def __init__(self, title: str, default: str) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title")
            yield Static(
                "A folder (ending in /, or one that exists) gets every file of this format; "
                "any other path gets the whole text as one file. Nothing is replaced without asking."
            )
            yield Input(value=self.default, id="save-path")
            yield Static(id="save-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="save-cancel")
                yield Button("Save", id="save-ok", variant="primary")

    @on(Input.Submitted, "#save-path")
    @on(Button.Pressed, "#save-ok")
    def _ok(self) -> None:
        value = self.query_one("#save-path", Input).value.strip()
        if not value:
            self.query_one("#save-error", Static).update("Type a folder or a file name.")
            return
        self.dismiss(value)

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; No is the default, so Enter alone changes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "No", id="dialog.no"),
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n", "answer(False)", "No", show=False, id="dialog.no_key"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")

    def __init__(self, title: str, body: str, yes: str = "Replace") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Text(self.body))
            with Horizontal(classes="dialog-buttons"):
                yield Button("No", id="confirm-no")
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

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
