"""The Export step: the policy in every export format, to copy, save, or add to ~/.aws.

Texts come from ``core.export.render``/``render_files`` (rendered only for the tab on
screen, once per assessment); copying is ``core.export.clipboard.copy_text`` over OSC 52
and pyperclip; saving goes through the one save dialog (``widgets.dialogs.SaveScreen``);
the profile goes through ``core.export.profiles``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static, TabbedContent, TabPane

from xraybuilder.tui.widgets.preview import PolicyView

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment
    from xraybuilder.core.bundle import Bundle


def formats() -> tuple[str, ...]:
    """The export formats, in the core's order."""
    from xraybuilder.core.export import FORMATS

    return FORMATS


class ExportBody(Vertical):
    """The panel's status line, tabs and buttons (mounted when the panel is first shown)."""

    DEFAULT_CSS = "ExportBody { height: 1fr; }"

    def __init__(self, initial: str) -> None:
        super().__init__()
        self.initial = initial

    def compose(self) -> ComposeResult:
        from xraybuilder.core.export import TITLES

        yield Static(id="export-status")
        with TabbedContent(id="export-tabs", initial=f"export-tab-{self.initial}"):
            for fmt in formats():
                with TabPane(TITLES.get(fmt, fmt), id=f"export-tab-{fmt}"):
                    yield PolicyView(id=f"export-view-{fmt}")
        with Horizontal(id="export-actions"):
            yield Button("Copy (c)", id="export-copy")
            yield Button("Save… (s)", id="export-save")
            yield Button("Add profile to ~/.aws… (a)", id="export-profile")


class ExportPanel(Vertical):
    """One tab per format with a read-only view; Copy, Save… and, for access keys, Add profile."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy", id="export.copy"),
        Binding("s", "save", "Save…", id="export.save"),
        Binding("a", "add_profile", "Add profile to ~/.aws…", id="export.add_profile"),
    ]

    class Exported(Message):
        """Something left the builder: copied, saved or written to ~/.aws (the work is kept)."""

        def __init__(self, fmt: str, how: str) -> None:
            super().__init__()
            self.format = fmt
            self.how = how  # "copied" | "saved" | "profile"

    DEFAULT_CSS = """
    ExportPanel { height: 1fr; }
    ExportPanel #export-status { height: auto; padding: 0 1; }
    ExportPanel #export-status.-warning { color: $text-warning; }
    ExportPanel TabbedContent { height: 1fr; }
    ExportPanel TabPane { padding: 0; height: 1fr; }
    ExportPanel PolicyView { height: 1fr; }
    ExportPanel #export-actions { height: auto; padding: 0 1; }
    ExportPanel #export-actions Button { margin-right: 1; }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._assessment: Assessment | None = None
        self._bundle: Bundle | None = None
        self._texts: dict[str, str] = {}
        self._format = formats()[0]
        self._built = False
        self._building = False
        self.credentials_path: str | None = None
        """Where the profile goes; None: where botocore looks (AWS_SHARED_CREDENTIALS_FILE…)."""
        self.config_path: str | None = None

    def compose(self) -> ComposeResult:
        # The body is built on the first show: the builder composes every step at start,
        # and six tabs of views would delay its first frame for a step not yet open.
        yield from ()

    def _body(self) -> list[Widget]:
        return [ExportBody(self._format)]

    @property
    def built(self) -> bool:
        """True once the body is mounted (after the first show)."""
        return self._built

    # -- what is shown -------------------------------------------------------------------

    @property
    def bundle(self) -> Bundle | None:
        """What is exported, or None when the draft has nothing to export yet."""
        return self._bundle

    @property
    def format(self) -> str:
        """The format of the tab on screen."""
        return self._format

    def select_format(self, fmt: str) -> None:
        """Bring the tab of ``fmt`` to the front."""
        if fmt not in formats():
            return
        self._format = fmt
        if self._built:
            self.query_one("#export-tabs", TabbedContent).active = f"export-tab-{fmt}"
            self._show_text(fmt)

    def text(self, fmt: str | None = None) -> str | None:
        """The text of ``fmt`` (default: the tab on screen), rendered on first use."""
        fmt = fmt or self.format
        if self._bundle is None:
            return None
        if fmt not in self._texts:
            from xraybuilder.core.export import render

            self._texts[fmt] = render(self._bundle, fmt)
        return self._texts[fmt]

    def show(self, assessment: Assessment) -> None:
        """Show ``assessment``'s exports; texts are rendered again only when the bundle changed."""
        self._assessment = assessment
        bundle = assessment.export_bundle()
        if bundle is not self._bundle:
            self._bundle = bundle
            self._texts.clear()
        if not self.is_mounted:
            return
        if not self._built:
            if not self._building:
                self._building = True
                self.call_later(self._build)
            return
        self._refresh_all()

    async def _build(self) -> None:
        await self.mount_all(self._body())
        self._built = True
        self._refresh_all()

    def on_mount(self) -> None:
        if self._assessment is not None:
            self.show(self._assessment)

    def _refresh_all(self) -> None:
        status = self.query_one("#export-status", Static)
        assessment = self._assessment
        exportable = self._bundle is not None
        for button in ("#export-copy", "#export-save"):
            self.query_one(button, Button).disabled = not exportable
        profile = self.query_one("#export-profile", Button)
        profile.display = bool(self._bundle is not None and self._bundle.access_keys)
        status.remove_class("-warning")
        if assessment is None or self._bundle is None:
            status.add_class("-warning")
            status.update("Nothing to export yet: the policy has problems that stop it being built.")
        elif not assessment.ok:
            status.add_class("-warning")
            errors = assessment.counts().get("error", 0)
            status.update(
                Text(
                    f"{errors} error{'s' if errors != 1 else ''} left: IAM would refuse this as it is. "
                    "The exports show it as it stands."
                )
            )
        else:
            status.update(Text(f"Ready: {self._bundle.principal_label}."))
        # The status can change height while a layout is under way; ask once more after it.
        self.call_after_refresh(status.refresh, layout=True)
        self.refresh_bindings()
        self._show_text(self.format)

    def _show_text(self, fmt: str) -> None:
        view = self.query_one(f"#export-view-{fmt}", PolicyView)
        view.set_text(self.text(fmt) or "")

    @on(TabbedContent.TabActivated, "#export-tabs")
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        active = event.tabbed_content.active
        if active:
            self._format = active.removeprefix("export-tab-")
        self._show_text(self._format)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_profile":
            return self._bundle is not None and self._bundle.access_keys
        if action in ("copy", "save"):
            return True if self._bundle is not None else None
        return True

    # -- copy ------------------------------------------------------------------------------

    @on(Button.Pressed, "#export-copy")
    def action_copy(self) -> None:
        """Copy the tab's text: OSC 52 through the terminal, then the system clipboard."""
        from xraybuilder.core.export.clipboard import copy_text

        text = self.text()
        if text is None:
            self.notify("Nothing to copy yet: fix the errors that stop the policy being built.")
            return
        result = copy_text(text, osc52=self.app.copy_to_clipboard)
        if result.ok:
            self.notify(result.message, title="Copied")
            self.post_message(self.Exported(self.format, "copied"))
        else:
            self.notify(f"{result.message}: press s", title="Not copied", severity="warning")

    # -- save ------------------------------------------------------------------------------

    @on(Button.Pressed, "#export-save")
    def action_save(self) -> None:
        """Ask where to save the tab's format; the dialog asks before creating or replacing anything."""
        if self._bundle is None:
            self.notify("Nothing to save yet: fix the errors that stop the policy being built.")
            return
        from xraybuilder.tui.exporting import save_screen, saved_message

        fmt = self.format

        def saved(written: list[Path] | None) -> None:
            if written:
                self.notify(saved_message(written), title="Saved")
                self.post_message(self.Exported(fmt, "saved"))

        self.app.push_screen(save_screen(self._bundle, fmt), saved)

    # -- profile ---------------------------------------------------------------------------

    @on(Button.Pressed, "#export-profile")
    def action_add_profile(self) -> None:
        """Ask for the access key and add the profile to the AWS shared files."""
        bundle = self._bundle
        if bundle is None or not bundle.access_keys:
            return
        from xraybuilder.tui.widgets.dialogs import ProfileScreen

        params = bundle.parameters_text()
        screen = ProfileScreen(
            params.get("profile", "default"),
            params.get("region", ""),
            credentials_path=self.credentials_path,
            config_path=self.config_path,
        )
        self.app.push_screen(screen, self._profile_done)

    def _profile_done(self, messages: list[str] | None) -> None:
        if not messages:
            return
        self.notify("\n".join(messages), title="Profile added")
        self.post_message(self.Exported("aws-config", "profile"))
