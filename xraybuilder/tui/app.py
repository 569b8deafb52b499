"""The full-screen builder: steps on the left, the current step's form, the live policy on the right.

The app holds one :class:`~xraybuilder.core.draft.Draft`. Every form turns what the user
does into a Draft operation and hands the new draft to :meth:`XrayBuilderApp.edit`; the app
assesses it with :func:`~xraybuilder.core.assess.assess` and shows that one assessment
everywhere, so the preview, the findings and the marks always describe the same draft.

Heavy modules (catalog, linter, presets) load in a worker after the first frame.
"""

from __future__ import annotations

import gc
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import (
    ContentSwitcher,
    Footer,
    Header,
    OptionList,
    Static,
)
from textual.widgets.option_list import Option

from xraybuilder.tui import autosave, keymap
from xraybuilder.tui.compositor import BuilderScreen, pass_repaints_on
from xraybuilder.tui.palette import BuilderCommands
from xraybuilder.tui.steps import STEP_IDS, STEPS
from xraybuilder.tui.steps.base import StepForm
from xraybuilder.tui.steps.scenario import ScenarioStep
from xraybuilder.tui.widgets.findings import FindingsList
from xraybuilder.tui.widgets.meter import SizeMeter
from xraybuilder.tui.widgets.preview import PolicyView
from xraybuilder.tui.widgets.steplist import StepList

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widgets import Tab, TabbedContent, Tabs

    from xraybuilder.core.assess import AssessedFinding, Assessment, DraftField
    from xraybuilder.core.draft import Draft
    from xraybuilder.core.scenarios import Library

# Below this width the preview is a tab instead of a column.
NARROW_WIDTH = 110
# While the user types, the draft is written at most this often (seconds).
AUTOSAVE_DELAY = 0.5
AUTOSAVE_RETRY = 0.02
"""Seconds a due save waits before it looks again for a moment with no frame on its way."""
FRAME_HOLD_LIMIT = 0.1
"""Seconds an edit's frame waits at most for the widgets it changed (see _release_after_repaints)."""
FORMS_CSS = Path(__file__).with_name("forms.tcss")
"""The rules of the step forms and dialogs, added to the stylesheet after the first frame."""
NO_PREVIEW = "Choose a scenario:\nits policy appears here\nas you build it."


class XrayBuilderApp(App[None]):
    """The builder. ``preset``/``params`` or ``policy_file`` choose what it opens with."""

    TITLE = "xraybuilder"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS: ClassVar = App.COMMANDS | {BuilderCommands}
    # Defaults avoid what tmux, zellij and terminals take (ctrl+b, ctrl+j, ctrl+o, ctrl+s).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", id="help_question", show=False),
        Binding("ctrl+n", "next_step", "Next step", id="next_step"),
        Binding("ctrl+r", "previous_step", "Back", id="previous_step"),
        Binding("ctrl+l", "focus_steps", "Steps", id="focus_steps", show=False),
        # Priority: text fields take ctrl+e for "end of line" (End does that too), and the
        # footer offers Export on every step.
        Binding("ctrl+e", "go_step('export')", "Export", id="export", priority=True),
        Binding("f2", "save_preset", "Save as preset", id="save_preset", show=False),
        Binding("f5", "toggle_preview", "Preview", id="toggle_preview"),
        Binding("f9", "toggle_theme", "Light/dark", id="toggle_theme", show=False),
    ]

    def __init__(
        self,
        *,
        preset: str | None = None,
        params: dict[str, str] | None = None,
        policy_file: Path | None = None,
        offer_resume: bool = True,
    ) -> None:
        super().__init__()
        self.library: Library | None = None
        self.draft: Draft | None = None
        self.assessment: Assessment | None = None
        self.unsaved = False
        self.saved_at: str | None = None
        self._start_preset = preset
        self._start_params = dict(params or {})
        self._start_file = policy_file
        self._offer_resume = offer_resume
        self._rebuilt = False
        self._stale: dict[str, bool] = {}
        """Forms not refreshed since the draft changed -> whether the draft was replaced."""
        self._shown_findings: tuple[AssessedFinding, ...] = ()
        self._summary_of: Assessment | None = None
        """The assessment the Summary tab shows (it falls behind while hidden)."""
        self._step_prompts: list[str] = []
        self._started = False
        self._autosave_due = False
        self._autosave_timer: Timer | None = None
        self._autosave_after_release = False
        self._steps_ready = False
        """True once every step's form is mounted (just after the first frame)."""
        self._pending_library: Library | None = None
        self._frame_hold: AbstractContextManager[None] | None = None
        """Held from an edit until its assessment is shown (see _hold_frame)."""
        self._pending_step: tuple[str, bool] | None = None
        """A step asked for during start-up: (step, focus), shown once the forms and scenarios are ready."""
        self._heap_frozen = False
        self._gc_held = False
        """True while the garbage collector waits for a frame to be painted (see _begin_batch)."""
        self.started = time.perf_counter()

    # -- layout ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return BuilderScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        # The narrow terminal's Form/Preview tabs are mounted when the terminal is narrow.
        with Horizontal(id="body"):
            # No container around the steps and the form: each layer is repainted, line by
            # line, on every frame.
            yield StepList(*(Option(s.title, id=s.id) for s in STEPS), id="steps")
            # The other steps' forms are mounted after the first frame (see _mount_steps).
            with ContentSwitcher(initial="scenario", id="form"):
                yield ScenarioStep(id="scenario")
            with Vertical(id="side"):
                # The first frame shows only a title where the Policy tab will be: every
                # widget costs before that frame. The tabs (Policy, Trust, Findings,
                # Summary), the size meter and the status line come just after it.
                yield Static("Policy", id="side-title", markup=False)
        # Compact by the rules in app.tcss: Footer(compact=True) restyles each key as it
        # mounts, a stylesheet pass per key before the first frame.
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "choose a scenario"
        self._apply_width(self.size.width)
        self.query_one("#steps", OptionList).highlighted = 0
        self.query_one("#scenarios").focus()
        # The first frame shows the layout; everything else waits until it is painted.
        self.call_after_refresh(self._after_first_frame)

    async def _after_first_frame(self) -> None:
        if self._started:
            return
        self._started = True
        # The catalog, linter and presets load in a thread while the other forms mount.
        self._load_core()
        # The forms' and dialogs' rules: nothing on the first frame uses them.
        self.stylesheet.add_source(FORMS_CSS.read_text("utf-8"), read_from=(str(FORMS_CSS), ""))
        await self._mount_steps()
        await self._add_preview_tabs()
        for problem in keymap.apply(self):
            self.notify(problem, severity="warning", timeout=10)
        self._steps_ready = True
        if self._pending_library is not None:
            library, self._pending_library = self._pending_library, None
            self._core_loaded(library)

    async def _add_preview_tabs(self) -> None:
        from textual.widgets import TabbedContent, TabPane

        side = self.query_one("#side", Vertical)
        await side.remove_children("#side-title")
        tabs = TabbedContent(id="preview-tabs")
        summary = VerticalScroll(Static("", id="summary", markup=False))
        # As `with TabbedContent():` adds them: composed with the tabs, Policy first and shown.
        for pane in (
            TabPane("Policy", PolicyView(NO_PREVIEW, id="policy"), id="tab-policy"),
            TabPane("Trust", PolicyView("", id="trust"), id="tab-trust"),
            TabPane("Findings", FindingsList(id="findings", report_highlight=False), id="tab-findings"),
            TabPane("Summary", summary, id="tab-summary"),
        ):
            tabs.compose_add_child(pane)
        await side.mount_all([tabs, SizeMeter(id="meter"), Static("", id="status", markup=False)])

    async def _mount_steps(self) -> None:
        """Mount the forms of every step but the first (hidden until chosen)."""
        from xraybuilder.tui.steps.actions import ActionsStep
        from xraybuilder.tui.steps.conditions import ConditionsStep
        from xraybuilder.tui.steps.export import ExportStep
        from xraybuilder.tui.steps.parameters import ParametersStep
        from xraybuilder.tui.steps.resources import ResourcesStep
        from xraybuilder.tui.steps.review import ReviewStep

        forms: list[StepForm] = [
            ParametersStep(id="parameters"),
            ActionsStep(id="actions"),
            ResourcesStep(id="resources"),
            ConditionsStep(id="conditions"),
            ReviewStep(id="review"),
            ExportStep(id="export"),
        ]
        for form in forms:
            form.display = False
        await self.query_one("#form", ContentSwitcher).mount_all(forms)

    @work(thread=True, exclusive=True, group="load")
    def _load_core(self) -> None:
        from xraybuilder.core.assess import assess
        from xraybuilder.core.scenarios import load_library

        library = load_library()
        # A first assessment warms the linter's caches before the user picks anything.
        from xraybuilder.core.draft import Draft

        assess(Draft.custom())
        self.call_from_thread(self._core_loaded, library)

    def _core_loaded(self, library: Library) -> None:
        if not self._steps_ready:
            self._pending_library = library
            return
        self.library = library
        saved = autosave.load() if self._offer_resume else None
        self.query_one(ScenarioStep).show_library(library, can_resume=saved is not None)
        if self._start_file is not None:
            self.open_file(self._start_file)
        elif self._start_preset is not None:
            self.start_preset(self._start_preset, self._start_params)
        elif saved is not None:
            from xraybuilder.tui.screens import ResumeScreen

            self.push_screen(ResumeScreen(saved.describe()), self._resume_answer)
        if self._pending_step is not None:
            # A step key pressed during start-up wins over where the start-up led.
            (step_id, focus), self._pending_step = self._pending_step, None
            self.go_step(step_id, focus=focus)
        self.call_after_refresh(self._freeze_heap)

    def _resume_answer(self, resume: bool | None) -> None:
        if resume:
            self.resume_draft()

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        screen = self.screen
        if narrow and screen.query("#body") and not screen.query("#narrow-tabs"):
            from textual.widgets import Tab, Tabs

            tabs = Tabs(Tab("Form", id="narrow-form"), Tab("Preview", id="narrow-preview"), id="narrow-tabs")
            screen.mount(tabs, before="#body")
        self.screen.set_class(narrow, "narrow")
        if not narrow:
            self.screen.remove_class("show-preview")

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: the name, then what is being built, parted by a middle dot.

        The dot is in every monospace font and keeps to one cell. It and its spaces go
        with the name: SVG renderers drop a space that starts a run of text, which is how
        screenshots showed the name and the subtitle run together.
        """
        if not sub_title:
            return Content(title)
        return Content.assemble(Content(f"{title} · "), Content(sub_title).stylize("dim"))

    def _show_form_tab(self) -> None:
        """In a narrow terminal, bring the form back in front of the preview."""
        for tabs in self.screen.query("#narrow-tabs"):
            tabs.active = "narrow-form"  # type: ignore[attr-defined]

    def clock(self) -> str:
        """The time shown in "draft saved HH:MM" (pictures of the app fix it)."""
        return time.strftime("%H:%M")

    # -- starting a draft ----------------------------------------------------------

    def start_preset(self, preset_id: str, params: dict[str, str] | None = None) -> None:
        """Start a draft from a preset and go to its parameters."""
        from xraybuilder.core.draft import Draft
        from xraybuilder.core.scenarios import UnknownPreset

        if self.library is not None:
            try:
                self.library.get(preset_id)
            except UnknownPreset as err:
                self.notify(str(err), severity="error", timeout=10)
                return
        self.replace_draft(Draft.from_preset(preset_id, params or {}))
        self.go_step("parameters")

    def start_custom(self) -> None:
        """Start an empty custom policy and go to its actions."""
        from xraybuilder.core.draft import Draft

        self.replace_draft(Draft.custom())
        self.go_step("actions")

    def open_file(self, path: Path) -> None:
        """Open a policy file; its findings show at once, its text stays editable."""
        from xraybuilder.core.draft import Draft

        try:
            data = path.read_bytes()
        except OSError as err:
            self.notify(f"{path}: cannot read the file: {err.strerror or err}", severity="error", timeout=10)
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            self.notify(f"{path}:{line}: the file is not UTF-8 text", severity="error", timeout=10)
            return
        self.replace_draft(Draft.from_text(text, name=str(path)))
        self.go_step("parameters")

    def resume_draft(self) -> None:
        """Load the autosaved draft (kept when the last run ended without finishing)."""
        saved = autosave.load()
        if saved is None:
            self.notify("There is no saved draft to resume.", severity="warning")
            return
        if saved.draft is None:
            self.notify(f"The saved draft cannot be read: {saved.problem}", severity="error", timeout=10)
            return
        self.replace_draft(saved.draft)
        self.unsaved = True
        self.go_step("review" if saved.draft.origin != "file" else "parameters")

    def replace_draft(self, draft: Draft) -> None:
        """Show a new draft: every form rebuilds from it."""
        self._rebuilt = True
        self.edit(draft)
        self.unsaved = False

    # -- the one way a draft changes -------------------------------------------------

    def edit(self, draft: Draft) -> None:
        """Take a new draft; it is assessed and saved before the next frame."""
        if draft == self.draft and not self._rebuilt:
            return
        self.draft = draft
        self.unsaved = True
        self._hold_frame()
        self.call_later(self._recompute)

    def _recompute(self) -> None:
        try:
            draft = self.draft
            if draft is None:
                return
            # Several edits in one burst (fast typing) are assessed once, for the last draft.
            if self.assessment is not None and self.assessment.draft is draft and not self._rebuilt:
                return
            from xraybuilder.core.assess import assess

            assessment = assess(draft)
            rebuilt, self._rebuilt = self._rebuilt, False
            self.assessment = assessment
            self._show(assessment, rebuilt=rebuilt)
            self._autosave_soon(now=rebuilt)
        finally:
            self._release_after_repaints()

    def _release_after_repaints(self) -> None:
        """Let the held frame go once the screen knows of every repaint asked for above.

        A widget passes its repaint on to the screen when its own queue next goes idle.
        Released any sooner, the screen paints the edited field alone and the preview and
        findings a frame later. Idle widgets pass theirs on at once; each widget still
        busy is asked for a callback after its idle, and the last one releases the frame
        through the screen's queue, behind the repaints. A widget removed before its turn
        never calls back: a timer lets the frame go in any case.
        """
        hold = self._frame_hold
        busy = pass_repaints_on(self.screen)
        if hold is None or not busy:
            # The screen's queue holds the repaints passed on: it paints after them.
            self._release_frame()
            return
        waiting = len(busy)

        def arrived() -> None:
            nonlocal waiting
            waiting -= 1
            if waiting == 0 and self._frame_hold is hold:
                self.screen.call_later(self._release_frame)

        def overdue() -> None:
            if self._frame_hold is hold:
                self._release_frame()

        for widget in busy:
            widget.call_next(arrived)
        self.set_timer(FRAME_HOLD_LIMIT, overdue)

    # -- the garbage collector waits for the frame ---------------------------------

    def _begin_batch(self) -> None:
        # Painting is held (a key's edit, a mount): objects piling up now are collected
        # after the frame is painted, not in the middle of it, where a collection of the
        # young generations costs a keystroke 1-3 ms.
        if not self._batch_count and gc.isenabled():
            gc.disable()
            self._gc_held = True
        super()._begin_batch()

    def _end_batch(self) -> None:
        super()._end_batch()
        if not self._batch_count and self._gc_held:
            self.call_after_refresh(self._resume_gc)

    def _resume_gc(self) -> None:
        if self._gc_held:
            self._gc_held = False
            gc.enable()

    def _freeze_heap(self) -> None:
        """Once the catalog, presets and forms are loaded: collect, then leave what is
        left (nearly all of it lives as long as the app) out of later collections, so that
        a full collection, when one comes, looks at the objects made since, not at the
        100,000 made at start-up. Undone when the app stops (see on_unmount)."""
        if not self._heap_frozen:
            self._heap_frozen = True
            gc.collect()
            gc.freeze()

    def _hold_frame(self) -> None:
        """Paint nothing until the new draft's assessment is on every widget.

        The widget that was edited (a field, the file's text) asks for its repaint at
        once; painted alone, its frame would push the preview and the findings to the
        next frame, a frame later, and show text that the findings do not describe yet.
        """
        if self._frame_hold is None:
            self._frame_hold = self.batch_update()
            self._frame_hold.__enter__()

    def _release_frame(self) -> None:
        hold, self._frame_hold = self._frame_hold, None
        if hold is not None:
            hold.__exit__(None, None, None)
            # The screen may have gone idle while held: have it look for repaints again.
            self.screen.check_idle()
        if self._autosave_after_release:
            self._autosave_after_release = False
            self.call_after_refresh(self._autosave_if_painted)

    @property
    def settled(self) -> bool:
        """Nothing is left to do for the last edit: assessed, shown and autosaved.

        Pictures of the app wait for this: the autosave runs between frames, so when
        it lands (and "draft saved" appears in the title) depends on the host's speed.
        """
        return (
            self.library is not None
            and self._pending_step is None
            and self._frame_hold is None
            and not self._batch_count
            and not self._autosave_due
            and (self.draft is None or (self.assessment is not None and self.assessment.draft == self.draft))
        )

    def _autosave_soon(self, *, now: bool) -> None:
        """Save the draft once this frame is painted (``now``), or within AUTOSAVE_DELAY
        while the user is typing.

        Writing the file on every keystroke would cost more than the rest of the keystroke;
        the draft is also saved when the app stops.
        """
        self._autosave_due = True
        if now:
            self._autosave_between_frames()
        elif self._autosave_timer is None:
            self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave_between_frames)

    def _autosave_between_frames(self) -> None:
        """Save once the screen is painted: a save that fell inside a keystroke would hold
        back that keystroke's frame by the few milliseconds the write takes."""
        if self._frame_hold is not None:
            self._autosave_after_release = True  # see _release_frame
            return
        self.call_after_refresh(self._autosave_if_painted)

    def _autosave_if_painted(self) -> None:
        # While painting is held (a field holds it from its key until the change is
        # handled), a callback "after refresh" runs at once: wait a moment and ask again.
        if self._batch_count:
            self.set_timer(AUTOSAVE_RETRY, self._autosave_between_frames)
            return
        self._flush_autosave()

    def _flush_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        if self._autosave_due and self.draft is not None:
            self._autosave_due = False
            self._autosave(self.draft)

    def _discard_autosave(self) -> None:
        self._autosave_due = False
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        autosave.clear()

    def on_unmount(self) -> None:
        # What the app kept out of collections can go with it; collections resume.
        if self._heap_frozen:
            self._heap_frozen = False
            gc.unfreeze()
        self._resume_gc()
        # The screen is gone: save what is pending without showing anything.
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        if self._autosave_due and self.draft is not None:
            self._autosave_due = False
            autosave.save(self.draft)

    def _autosave(self, draft: Draft) -> None:
        problem = autosave.save(draft)
        if problem is not None:
            self.notify(problem, severity="warning", timeout=8)
            return
        self.saved_at = self.clock()
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        draft = self.draft
        if draft is None:
            return
        if draft.origin == "file":
            name = Path(draft.file_name or "policy").name
        elif draft.origin == "custom":
            name = "Custom policy"
        elif self.library is not None and draft.preset_id and draft.preset_id in self.library.presets:
            name = self.library.presets[draft.preset_id].title
        else:
            name = draft.preset_id or ""
        saved = f" · draft saved {self.saved_at}" if self.saved_at else ""
        self.sub_title = name + saved

    # -- showing one assessment ------------------------------------------------------

    def _show(self, assessment: Assessment, *, rebuilt: bool) -> None:
        """Show ``assessment`` in the preview, findings, marks and the visible form."""
        identity = assessment.document("identity") or (
            assessment.documents[0] if assessment.documents else None
        )
        if identity is not None:
            policy_text = identity.text
        elif assessment.parameter_problems:
            policy_text = "No policy yet:\nfix the parameters first\n(see the Parameters step)."
        else:
            policy_text = "No policy yet."
        # Each widget is told only what changed: an unchanged text, list or label costs nothing.
        self.query_one("#policy", PolicyView).set_text(policy_text)
        trust = assessment.document("trust")
        self.query_one("#trust", PolicyView).set_text(
            trust.text if trust else "This policy needs no trust policy: it is not for a role."
        )
        findings = self.query_one("#findings", FindingsList)
        if tuple(assessment.findings) != self._shown_findings:
            self._shown_findings = tuple(assessment.findings)
            findings.show(assessment.findings)
        self.query_one("#meter", SizeMeter).show(identity.size if identity else None)
        # The summary expands every grant of the policy: worked out only while it is on screen.
        self._show_summary()
        _update_static(self.query_one("#status", Static), _status_text(assessment))
        preview_tabs: TabbedContent = self.query_one("#preview-tabs")  # type: ignore[assignment]
        findings_tab = preview_tabs.get_tab("tab-findings")
        _relabel(findings_tab, f"Findings {len(assessment.findings)}" if assessment.findings else "Findings")
        self._mark_steps(assessment)
        self._update_subtitle()
        # Only the visible form follows now; the others catch up when they are shown.
        # (By id: querying the DOM for the forms would walk every widget on each keystroke.)
        for step_id in STEP_IDS:
            self._stale[step_id] = self._stale.get(step_id, False) or rebuilt
        self._refresh_form(self.current_step)

    def _show_summary(self) -> None:
        """Bring the Summary tab up to date if it is the one shown beside the form."""
        assessment = self.assessment
        if assessment is None or assessment is self._summary_of:
            return
        preview_tabs: TabbedContent = self.query_one("#preview-tabs")  # type: ignore[assignment]
        if preview_tabs.active != "tab-summary":
            return
        self._summary_of = assessment
        _update_static(self.query_one("#summary", Static), _summary_text(assessment))

    # Handlers by name, not @on(TabbedContent.TabActivated): the tab widgets are imported
    # only once they are mounted, after the first frame.
    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id != "preview-tabs":
            return
        self._show_summary()

    def _refresh_form(self, step_id: str) -> None:
        if step_id not in self._stale or self.assessment is None:
            return
        rebuilt = self._stale.pop(step_id)
        self.query_one(f"#{step_id}", StepForm).refresh_from(self.assessment, rebuilt=rebuilt)

    def _mark_steps(self, assessment: Assessment) -> None:
        counts = {s.id: 0 for s in STEPS}
        by_step = {s.finding_step: s.id for s in STEPS if s.finding_step}
        for finding in assessment.findings:
            counts[by_step.get(finding.field.step, "review")] += 1
        counts["parameters"] += len(assessment.parameter_problems)
        current = self.current_step
        prompts = []
        for step in STEPS:
            mark = "▶" if step.id == current else " "
            count = f" {counts[step.id]}" if counts[step.id] else ""
            prompts.append(f"{mark} {step.title}{count}")
        if prompts == self._step_prompts:
            return
        steps = self.query_one("#steps", StepList)
        for index, prompt in enumerate(prompts):
            if index >= len(self._step_prompts) or self._step_prompts[index] != prompt:
                steps.set_prompt(index, prompt)
        self._step_prompts = prompts

    # -- steps -----------------------------------------------------------------------

    @property
    def current_step(self) -> str:
        return self.query_one("#form", ContentSwitcher).current or "scenario"

    def go_step(self, step_id: str, *, focus: bool = True) -> None:
        """Show a step's form (refreshed if the draft changed since it was last shown)."""
        if step_id not in STEP_IDS:
            return
        if not self._steps_ready or self.library is None:
            # A key pressed before the hidden forms are mounted and the scenarios loaded is
            # kept, and acted on once they are.
            self._pending_step = (step_id, focus)
            self.query_one("#steps", OptionList).highlighted = STEP_IDS.index(step_id)
            return
        switcher = self.query_one("#form", ContentSwitcher)
        switcher.current = step_id
        form = self.query_one(f"#{step_id}", StepForm)
        self._refresh_form(step_id)
        steps = self.query_one("#steps", OptionList)
        steps.highlighted = STEP_IDS.index(step_id)
        if self.assessment is not None:
            self._mark_steps(self.assessment)
        self.screen.remove_class("show-preview")
        self._show_form_tab()
        if focus:
            self.call_after_refresh(self._focus_form, form)

    def _focus_form(self, form: StepForm, tries: int = 5) -> None:
        focusable = [w for w in form.query("*") if w.focusable and w.display]
        if focusable:
            focusable[0].focus(scroll_visible=False)
            form.scroll_home(animate=False)
        elif tries:
            # The form may still be mounting the fields of a new draft.
            self.call_after_refresh(self._focus_form, form, tries - 1)
        else:
            form.focus()

    @on(OptionList.OptionSelected, "#steps")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.go_step(event.option.id)

    def action_go_step(self, step_id: str) -> None:
        self.go_step(step_id)

    def _step_shown_next(self) -> str:
        """The step on screen, or the one asked for while the forms were still mounting."""
        return self._pending_step[0] if self._pending_step is not None else self.current_step

    def action_next_step(self) -> None:
        index = STEP_IDS.index(self._step_shown_next())
        self.go_step(STEP_IDS[min(index + 1, len(STEP_IDS) - 1)])

    def action_previous_step(self) -> None:
        index = STEP_IDS.index(self._step_shown_next())
        self.go_step(STEP_IDS[max(index - 1, 0)])

    def action_focus_steps(self) -> None:
        self.query_one("#steps").focus()

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_toggle_preview(self) -> None:
        """In a narrow terminal, swap the form for the preview and back."""
        if "narrow" not in self.screen.classes:
            self.query_one("#policy").focus()
            return
        showing = "show-preview" in self.screen.classes
        tabs: Tabs = self.query_one("#narrow-tabs")  # type: ignore[assignment]
        tabs.active = "narrow-form" if showing else "narrow-preview"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tabs.id != "narrow-tabs":
            return
        self.screen.set_class(event.tab.id == "narrow-preview", "show-preview")

    # -- findings --------------------------------------------------------------------

    @on(FindingsList.Jump)
    def _jump(self, event: FindingsList.Jump) -> None:
        self.jump_to(event.finding)

    def jump_to(self, finding: AssessedFinding) -> None:
        """Go to the step and field a finding is about, and mark its line in the preview."""
        field = finding.field
        line = finding.finding.line
        policy = self.query_one("#policy", PolicyView)
        policy.highlight_line(line)
        if line:
            policy.scroll_to_line(line)
        draft = self.draft
        if draft is not None and draft.origin == "file":
            from xraybuilder.tui.steps.parameters import ParametersStep

            self.go_step("parameters", focus=False)
            self.query_one(ParametersStep).focus_file_position(line or 1, finding.finding.column or 1)
            return
        step = _step_for(field)
        self.go_step(step, focus=False)
        self.call_after_refresh(self._focus_field, self.query_one(f"#{step}", StepForm), field)

    def _focus_field(self, form: StepForm, field: DraftField, tries: int = 5) -> None:
        if form.focus_field(field):
            return
        if tries:
            # The form may still be mounting what the new draft needs.
            self.call_after_refresh(self._focus_field, form, field, tries - 1)
        else:
            self._focus_form(form)

    def on_export_panel_exported(self) -> None:
        """An export was saved or copied (``ExportPanel.Exported``)."""
        self.mark_saved()

    @on(FindingsList.ApplyFix)
    def _apply_fix(self, event: FindingsList.ApplyFix) -> None:
        self.apply_fix(event.finding)

    def apply_fix(self, finding: AssessedFinding) -> None:
        """Apply the core's fix for a finding to the draft."""
        from xraybuilder.core.assess import apply_fix

        if self.draft is None:
            return
        fixed = apply_fix(self.draft, finding)
        if fixed == self.draft:
            self.notify(f"{finding.finding.code}: no automatic fix for this finding.", severity="warning")
            return
        self._rebuilt = True
        self.edit(fixed)
        self.notify(f"Fixed {finding.finding.code}: {finding.finding.message}", timeout=5)

    # -- help, quitting, presets, files -----------------------------------------------

    def action_help(self) -> None:
        """Explain the focused widget for someone new to IAM."""
        from xraybuilder.tui.help import HelpScreen, help_for

        focused = self.focused
        self.push_screen(HelpScreen(*help_for(focused, self)))

    async def action_quit(self) -> None:
        if not self.unsaved or self.draft is None:
            self._discard_autosave()
            self.exit()
            return
        from xraybuilder.tui.screens import QuitScreen

        self.push_screen(QuitScreen(), self._quit_answer)

    def _quit_answer(self, answer: str | None) -> None:
        if answer == "discard":
            self._discard_autosave()
            self.exit()
        elif answer == "keep":
            self.exit()

    def action_open_file(self) -> None:
        from xraybuilder.tui.screens import OpenFileScreen

        def opened(path: str | None) -> None:
            if path:
                self.open_file(Path(path).expanduser())

        self.push_screen(OpenFileScreen(), opened)

    def action_save_preset(self) -> None:
        from xraybuilder.tui.screens import SavePresetScreen

        if self.draft is None or self.draft.origin == "file":
            self.notify("Choose a scenario or start a custom policy first.", severity="warning")
            return
        self.push_screen(SavePresetScreen(self.draft, self.library))

    def mark_saved(self) -> None:
        """The work is safe elsewhere (exported or saved as a preset): quitting need not ask."""
        self.unsaved = False

    def add_action(self, action: str) -> None:
        """Add an action by name (from the command palette) to the first statement."""
        draft = self.draft
        if draft is None or draft.origin == "file":
            self.start_custom()
            draft = self.draft
        assert draft is not None
        from xraybuilder.core.draft import DraftError

        try:
            editable = draft.editable()
        except DraftError as err:
            self.notify(f"Fix the parameters first: {err.message}", severity="warning")
            self.go_step("parameters")
            return
        from xraybuilder.tui.steps.actions import add_action

        new, message = add_action(editable, action)
        self.edit(new)
        self.go_step("actions")
        self.notify(message or f"Added {action}.")

    def save_export(self, fmt: str) -> None:
        """Ask where to save one export format, then save it (the Export step's dialog)."""
        from xraybuilder.tui.exporting import save_screen, saved_message

        if self.assessment is None or not self.assessment.ok:
            self.notify(
                "Fix the errors and parameter problems before exporting (see Review).", severity="warning"
            )
            return
        bundle = self.assessment.export_bundle()
        if bundle is None:
            self.notify("There is no policy to export.", severity="warning")
            return

        def saved(written: list[Path] | None) -> None:
            if written:
                self.mark_saved()
                self.notify(saved_message(written), timeout=8)

        self.push_screen(save_screen(bundle, fmt), saved)

    def copy_export(self, fmt: str) -> None:
        """Render the draft in an export format and copy it (OSC 52, then the system clipboard)."""
        from xraybuilder.tui.exporting import copy_export

        message, ok = copy_export(self, fmt)
        self.notify(message, severity="information" if ok else "warning", timeout=8)


def _step_for(field: DraftField) -> str:
    if field.step in ("parameters", "actions", "resources", "conditions"):
        return field.step
    return "review"


def _summary_text(assessment: Assessment) -> str:
    from xraybuilder.tui.words import summary_text

    return summary_text(assessment)


def _status_text(assessment: Assessment) -> str:
    from xraybuilder.tui.words import status_text

    return status_text(assessment)


def _update_static(static: Static, text: str) -> None:
    """Update a Static only when its text changes, and ask for a new layout of the screen
    only when its height may change (some 15 ms): not when one line replaces another
    and both fit the width."""
    old = str(static.content)
    if old != text:
        width = static.size.width
        static.update(text, layout=not (_one_line(old, width) and _one_line(text, width)))


def _relabel(tab: Tab, label: str) -> None:
    """Give a tab a new label; the tab bar is laid out again only when the label's width
    changes ("Findings 3" after "Findings 2" needs no new layout)."""
    old = str(tab.label)
    if old == label:
        return
    if cell_len(old) != cell_len(label) or not tab.size:
        tab.label = label
        return
    tab._label = Content.from_text(label)
    Static.update(tab, tab._label, layout=False)


def _one_line(text: str, width: int) -> bool:
    return "\n" not in text and 0 < cell_len(text) <= width
