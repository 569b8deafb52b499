"""Parameters step: the preset's parameters, each checked as it is typed.

Text fields use :class:`ParameterValidator` (the core's own checks); messages that need
several parameters (a Region outside the partition) come from the assessment. A
parameter whose ``when`` rule does not hold is hidden. For a policy file, this step is
the file's text instead, editable even when it does not parse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Select, Static

from xraybuilder.tui.steps.base import StepForm
from xraybuilder.tui.validation import ParameterValidator, set_field_message
from xraybuilder.tui.widgets.editor import PolicyEditor
from xraybuilder.tui.widgets.inputs import Input, TextArea

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment, DraftField
    from xraybuilder.core.scenarios import Parameter, Preset

# Parameters a custom policy offers: the ARN builder's defaults.
CUSTOM_PARAMETERS = ("partition", "region", "account")


def custom_parameters() -> list[Parameter]:
    """The shared parameters, described like a preset's, for drafts without a preset."""
    from xraybuilder.core.scenarios import Parameter

    return [
        Parameter(
            "partition", "partition", "AWS partition of the account.", label="Partition", default="aws"
        ),
        Parameter(
            "region", "region", "Region used when building X-Ray ARNs.", label="Region", default="us-east-1"
        ),
        Parameter("account", "account", "12-digit account ID used when building ARNs.", label="Account"),
    ]


class ParametersStep(StepForm):
    """One field per parameter, or the file's text for a file draft."""

    step_id = "parameters"
    # The fields grow with the preset, so the form scrolls rather than clipping the last ones.
    # A chosen option stays on one line (the open list shows it whole). In a narrow terminal
    # only the focused field shows its help, so every field fits on the screen at once.
    SCOPED_CSS = False  # the rules below depend on the screen's width class
    DEFAULT_CSS = """
    ParametersStep .param-fields { height: auto; }
    ParametersStep SelectCurrent #label { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    Screen.narrow ParametersStep .field > .field-help { display: none; }
    Screen.narrow ParametersStep .field.-focused > .field-help { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._parameters: dict[str, Parameter] = {}
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Static("Parameters", classes="step-title")
        yield Static("Choose a scenario first.", classes="why", id="parameters-hint")

    # -- building the form -------------------------------------------------

    def refresh_from(self, assessment: Assessment, *, rebuilt: bool) -> None:
        if rebuilt:
            self._rebuild(assessment)
            # The new fields are mounted at the next refresh; fill in their messages then.
            self.call_after_refresh(self._update_latest)
        else:
            self._update(assessment)

    def _update_latest(self) -> None:
        if self.builder.assessment is not None:
            self._update(self.builder.assessment)

    def _preset(self) -> Preset | None:
        draft = self.draft
        library = self.builder.library
        if draft is None or draft.preset_id is None or library is None:
            return None
        return library.presets.get(draft.preset_id)

    def _rebuild(self, assessment: Assessment) -> None:
        for old in self.query(".param-fields"):
            old.remove()
        self._generation += 1
        draft = assessment.draft
        hint = self.query_one("#parameters-hint", Static)
        box = Vertical(classes=f"param-fields gen-{self._generation}")
        if draft.origin == "file":
            hint.update(
                f"The policy text of {draft.file_name or 'the file'}. "
                "Edit it here; findings follow each change."
            )
            self.mount(box)
            box.mount(
                PolicyEditor(
                    draft.file_text or "",
                    id="file-text",
                    show_line_numbers=True,
                    on_change=self._file_text_changed,
                )
            )
            box.mount(Static("", id="file-problem", classes="field-message", markup=False))
            self._parameters = {}
            return
        preset = self._preset()
        params = list(preset.parameters.values()) if preset is not None else custom_parameters()
        self._parameters = {p.name: p for p in params}
        hint.update(
            "Empty fields use the value shown in grey. Each field is checked as you type."
            if preset is not None
            else "A custom policy uses these to build ARNs on the Resources step."
        )
        self.mount(box)
        for param in params:
            box.mount(self._field(param, draft.param(param.name)))

    def _field(self, param: Parameter, current: str | None) -> Widget:
        from xraybuilder.core import catalog

        label = param.label or param.name.replace("_", " ").capitalize()
        widget: Widget
        if param.type == "choice" or param.type == "partition":
            if param.type == "partition":
                choices = [(p, p) for p in catalog.partitions()]
            else:
                choices = [
                    (f"{c} — {param.choice_help[c]}" if c in param.choice_help else c, c)
                    for c in param.choices
                ]
            value = current or param.default_text or choices[0][1]
            widget = Select(choices, value=value, allow_blank=False, id=f"param-{param.name}", compact=True)
        elif param.type == "bool":
            on = (current or param.default_text or "false").lower() in ("true", "yes", "on", "1")
            # A one-line tick box, not a three-line switch: the form fits a small terminal.
            widget = Checkbox(_yes_no(on), on, id=f"param-{param.name}", compact=True)
        else:
            suggester = None
            if param.type == "region":
                every = [r for p in catalog.partitions().values() for r in p.regions]
                suggester = SuggestFromList(every, case_sensitive=False)
            widget = Input(
                value=current or "",
                placeholder=param.default_text or ("required" if param.required else ""),
                validators=[ParameterValidator(param)],
                validate_on=["changed"],
                suggester=suggester,
                id=f"param-{param.name}",
                compact=True,
            )
        row = Horizontal(Label(label, classes="field-label"), widget, classes="field-row")
        message = Static("", id=f"msg-{param.name}", classes="field-message", markup=False)
        return Vertical(
            row,
            message,
            Static(param.description, classes="field-help", markup=False),
            id=f"field-{param.name}",
            classes="field",
        )

    # -- showing the assessment -------------------------------------------

    def _update(self, assessment: Assessment) -> None:
        draft = assessment.draft
        if draft.origin == "file":
            self._show_file_problem(assessment)
            return
        preset = self._preset()
        values: dict[str, object] = {}
        if preset is not None:
            from xraybuilder.core.scenarios import resolve

            values = dict(resolve(preset, draft.params_dict()).values)
        problems = {p.where.removeprefix("parameter ").strip(): p for p in assessment.parameter_problems}
        for name, param in self._parameters.items():
            fields = self.query(f"#field-{name}")
            if not fields:
                continue
            field = fields.first()
            field.display = preset is None or param.applies(values)  # type: ignore[arg-type]
            widgets = field.query(f"#param-{name}")
            if not widgets:
                continue
            widget = widgets.first()
            if isinstance(widget, Input) and preset is not None and name in values and not widget.value:
                from xraybuilder.core.scenarios import value_text

                widget.placeholder = value_text(values[name])  # type: ignore[arg-type]
            message = field.query_one(f"#msg-{name}", Static)
            problem = problems.get(name)
            set_field_message(message, f"✗ {problem.message}" if problem else "")

    def _show_file_problem(self, assessment: Assessment) -> None:
        problem = self.query("#file-problem")
        if not problem:
            return
        doc = assessment.documents[0] if assessment.documents else None
        errors = [f for f in (doc.findings if doc else ()) if f.severity == "error" and f.line]
        if doc is not None and doc.policy is None and errors:
            first = errors[0]
            text = f"✗ line {first.line}, column {first.column}: {first.message}"
        else:
            text = ""
        set_field_message(problem.first(Static), text)

    # -- edits ------------------------------------------------------------------

    def _set(self, name: str, value: str) -> None:
        draft = self.draft
        if draft is None or name not in self._parameters:
            return
        if draft.param(name) == value:
            return
        param = self._parameters[name]
        if draft.param(name) is None and value == (param.default_text or "") and param.type != "tag_value":
            return
        if value == "" and param.type != "tag_value":
            # An empty field means "use the default shown in grey", as the step says.
            self.edit(draft.without_param(name))
            return
        self.edit(draft.with_param(name, value))

    def on_input_changed(self, event: Input.Changed) -> None:
        input_id = event.input.id or ""
        if not input_id.startswith("param-"):
            return
        event.stop()
        name = input_id.removeprefix("param-")
        message = self.query(f"#msg-{name}")
        if message and event.validation_result is not None and not event.validation_result.is_valid:
            message.first(Static).update("✗ " + event.validation_result.failure_descriptions[0])
            message.first(Static).add_class("-error")
        self._set(name, event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        select_id = event.select.id or ""
        if select_id.startswith("param-") and isinstance(event.value, str):
            event.stop()
            self._set(select_id.removeprefix("param-"), event.value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        box_id = event.checkbox.id or ""
        if box_id.startswith("param-"):
            event.stop()
            event.checkbox.label = _yes_no(event.value)
            self._set(box_id.removeprefix("param-"), "true" if event.value else "false")

    def _file_text_changed(self, text: str) -> None:
        draft = self.draft
        if draft is not None and draft.origin == "file" and text != draft.file_text:
            self.edit(draft.with_text(text))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for field in self.query(".field"):
            field.set_class(event.widget in field.walk_children(), "-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        for field in self.query(".field.-focused"):
            if event.widget in field.walk_children():
                field.remove_class("-focused")

    def focus_field(self, field: DraftField) -> bool:
        if field.parameter:
            found = self.query(f"#param-{field.parameter}")
            if found:
                found.first().focus()
                return True
        if self.query("#file-text"):
            self.query_one("#file-text").focus()
            return True
        first = self.query("Input, Select, Checkbox")
        if first:
            first.first().focus()
            return True
        return False

    def focus_file_position(self, line: int, column: int) -> None:
        """Put the cursor of the file's text at a 1-based line and column."""
        areas = self.query("#file-text")
        if areas:
            area = areas.first(TextArea)
            area.focus()
            area.cursor_location = (max(line - 1, 0), max(column - 1, 0))


def _yes_no(on: bool) -> str:
    """A tick box's words: an unticked box beside "yes" would read as the opposite."""
    return "yes" if on else "no"
