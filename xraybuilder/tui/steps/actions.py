"""Actions step: every action of the services in play, by access level, ticked when the draft allows it.

Names, access levels, descriptions and the ◆/◇ markers come from the catalog; the
reasons next to a preset's actions come from the preset (the statement that chose them
and the requests it expects to be allowed). Ticking and unticking are Draft operations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, SelectionList, Static
from textual.widgets.selection_list import Selection

from xraybuilder.tui.steps.base import StepForm
from xraybuilder.tui.widgets.inputs import Input

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment, DraftField
    from xraybuilder.core.draft import Draft

TAG_KEYS = ("aws:RequestTag/", "aws:ResourceTag/", "aws:TagKeys")
RESOURCE_MARK = "◆"
TAG_MARK = "◇"


@dataclass(frozen=True)
class ActionRow:
    full_name: str
    name: str
    description: str
    takes_arn: bool
    tag_conditions: bool


@dataclass(frozen=True)
class ActionGroup:
    key: str
    title: str
    rows: tuple[ActionRow, ...]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def action_groups(services: list[str], extra: set[str]) -> list[ActionGroup]:
    """Groups of catalog actions: each service by access level; uncatalogued actions by service."""
    from xraybuilder.core import catalog

    groups: list[ActionGroup] = []
    for prefix in services:
        svc = catalog.service(prefix)
        if svc is None:
            names = sorted(a for a in extra if a.split(":")[0].lower() == prefix)
            rows = tuple(
                ActionRow(a, a.split(":", 1)[1], "(not in the catalog)", False, False) for a in names
            )
            if rows:
                groups.append(ActionGroup(f"{prefix}-other", f"{prefix} (not in the catalog)", rows))
            continue
        for level in catalog.ACCESS_LEVELS:
            rows = tuple(
                ActionRow(
                    a.full_name,
                    a.name,
                    a.description.removeprefix("Grants permission to ").capitalize(),
                    a.resource_level,
                    any(k.startswith(TAG_KEYS) for k in a.all_condition_keys()),
                )
                for a in catalog.actions_by_access_level(prefix, level)
            )
            if rows:
                label = svc.name if prefix != "xray" else "X-Ray"
                groups.append(ActionGroup(f"{prefix}-{_slug(level)}", f"{label} · {level}", rows))
    known = {r.full_name for g in groups for r in g.rows}
    unknown = sorted(a for a in extra if a not in known and catalog.service(a.split(":")[0]) is not None)
    if unknown:
        rows = tuple(
            ActionRow(a, a, "not an action the catalog knows (see Findings)", False, False) for a in unknown
        )
        groups.insert(0, ActionGroup("unknown", "Not in the catalog", rows))
    return groups


def _select_all_label(ticked: int, shown: int) -> str:
    """What the level's button does when pressed: tick every action shown, or untick them."""
    return "clear all" if shown and ticked == shown else "select all"


def allowed_actions(draft: Draft) -> dict[str, int]:
    """Full action name (catalog spelling) -> the first statement that allows it."""
    from xraybuilder.core import catalog

    out: dict[str, int] = {}
    for index, statement in enumerate(draft.editable().statements or ()):
        if statement.effect != "Allow":
            continue
        for action in statement.actions:
            expanded = catalog.expand_action(action)
            for found in expanded or ():
                out.setdefault(found.full_name, index)
            if not expanded:
                out.setdefault(action, index)
    return out


def preset_reasons(app: Any) -> dict[str, str]:
    """Why the preset chose each action: the statement that holds it and the request it expects."""
    draft = app.draft
    library = app.library
    if draft is None or library is None or draft.preset_id not in library.presets:
        return {}
    preset = library.presets[draft.preset_id]
    reasons: dict[str, str] = {}
    for expectation in preset.expectations:
        if expectation.allowed and expectation.why:
            reasons.setdefault(expectation.action.lower(), expectation.why)
    for spec in preset.statements:
        for action in spec.actions:
            if spec.sources:
                reasons.setdefault(action.lower(), f"{spec.sid}: {spec.sources[0]}")
    return reasons


def palette_actions(app: Any) -> list[tuple[str, str]]:
    """Actions the palette can add: X-Ray's, and those of the services the draft uses."""
    from xraybuilder.core import catalog

    services = ["xray"]
    if app.draft is not None and app.draft.origin != "file":
        services += [a.split(":")[0].lower() for a in allowed_actions(app.draft)]
    out: list[tuple[str, str]] = []
    for prefix in dict.fromkeys(services):
        svc = catalog.service(prefix)
        if svc is not None:
            out.extend(
                (a.full_name, a.description) for a in sorted(svc.actions.values(), key=lambda a: a.name)
            )
    return out


def add_action(draft: Draft, action: str) -> tuple[Draft, str | None]:
    """Add an action to the statement that suits it; a sentence when it got a statement of its own."""
    from xraybuilder.core import catalog
    from xraybuilder.core.draft import DraftStatement

    draft = draft.editable()
    statements = draft.statements or ()
    if not statements:
        draft = draft.add_statement()
        statements = draft.statements or ()
    found = catalog.action(action)
    star_only = found is not None and not found.resource_level
    allow = [i for i, s in enumerate(statements) if s.effect == "Allow"]
    if star_only:
        target = next((i for i in allow if statements[i].resources == ("*",)), None)
        if target is None:
            own = DraftStatement(actions=(action,), resources=("*",))
            return draft.add_statement(own), (
                f"{action} cannot be limited to a resource, so it went into a statement of its own "
                'with "Resource": "*".'
            )
        return draft.add_action(target, action), None
    target = next((i for i in allow if statements[i].resources != ("*",)), allow[0] if allow else None)
    if target is None:
        return draft.add_statement(DraftStatement(actions=(action,))), None
    return draft.add_action(target, action), None


def remove_action(draft: Draft, action: str) -> tuple[Draft, str | None]:
    """Remove an action from every statement that lists it; a sentence when a wildcard still covers it."""
    from xraybuilder.core import catalog

    draft = draft.editable()
    for index in range(len(draft.statements or ()) - 1, -1, -1):
        statement = (draft.statements or ())[index]
        for listed in statement.actions:
            if listed.lower() == action.lower():
                draft = draft.remove_action(index, listed)
        remaining = (draft.statements or ())[index]
        if not remaining.actions and len(draft.statements or ()) > 1:
            draft = draft.remove_statement(index)
    for statement in draft.statements or ():
        for listed in statement.actions:
            if any(a.full_name.lower() == action.lower() for a in catalog.expand_action(listed)):
                return draft, f"{action} is still allowed by {listed}: edit that pattern to take it out."
    return draft, None


class ActionsStep(StepForm):
    """A filter, then one tick list per group with "select all"."""

    step_id = "actions"
    DEFAULT_CSS = "ActionsStep .select-all { margin-left: 2; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._groups: list[ActionGroup] = []
        self._reasons: dict[str, str] = {}
        self._signature: tuple[object, ...] = ()
        self._syncing = False
        self._titles: dict[str, Static] = {}
        self._buttons: dict[str, Button] = {}
        """Group key -> its heading and its "select all" (kept: a query walks the whole form)."""

    def compose(self) -> ComposeResult:
        yield Static("Actions", classes="step-title")
        yield Static(
            f"{RESOURCE_MARK} takes a resource ARN   {TAG_MARK} supports tag conditions   "
            "Space ticks, Enter too.",
            classes="field-help",
        )
        yield Input(placeholder="filter: part of a name or description", id="action-filter", compact=True)
        yield Static("", id="actions-note", classes="why")
        yield Vertical(id="action-groups")
        yield Static("", id="action-detail")

    def refresh_from(self, assessment: Assessment, *, rebuilt: bool) -> None:
        draft = assessment.draft
        note = self.query_one("#actions-note", Static)
        blocked = self.blocked(draft)
        note.update(blocked or "")
        note.display = blocked is not None
        self.query_one("#action-filter").display = blocked is None
        if blocked is not None:
            self.replace_body("action-groups", [])
            self._signature = ()
            return
        allowed = allowed_actions(draft)
        services = list(dict.fromkeys(["xray", *(a.split(":")[0].lower() for a in allowed)]))
        from xraybuilder.core import catalog

        # Only actions the catalog's lists lack change the layout; ticking others does not.
        extra = {a for a in allowed if ":" in a and catalog.action(a) is None}
        text = self.query_one("#action-filter", Input).value.strip().lower()
        signature = (tuple(services), tuple(sorted(extra)), text, draft.preset_id)
        if rebuilt or signature != self._signature:
            self._signature = signature
            self._groups = action_groups(services, extra)
            self._reasons = preset_reasons(self.builder)
            self._build(text, allowed, self._reasons)
        else:
            self._sync(allowed)

    def _build(self, text: str, allowed: dict[str, int], reasons: dict[str, str]) -> None:
        widgets: list[Widget] = []
        self._titles, self._buttons = {}, {}
        for group in self._groups:
            rows = [
                r for r in group.rows if not text or text in r.name.lower() or text in r.description.lower()
            ]
            if not rows:
                continue
            ticked = sum(1 for r in rows if r.full_name in allowed)
            selections = [
                Selection(_prompt(r, reasons.get(r.full_name.lower())), r.full_name, r.full_name in allowed)
                for r in rows
            ]
            title_text = f"{group.title}  {ticked}/{len(rows)}"
            # Tab follows the screen from top to bottom: each level's "select all" sits under
            # its list, so Tab goes from the filter to the first list, then to its button.
            title = Static(title_text, id=f"title-{group.key}", classes="group-title group-head")
            self._titles[group.key] = title
            widgets.append(title)
            widgets.append(SelectionList[str](*selections, id=f"sel-{group.key}", classes="action-list"))
            label = _select_all_label(ticked, len(rows))
            button = Button(label, id=f"all-{group.key}", classes="select-all", compact=True)
            self._buttons[group.key] = button
            widgets.append(button)
        if not widgets:
            widgets.append(Static("No action matches the filter.", classes="why"))
        self.query_one("#action-detail", Static).update(
            "Move to an action to read what it does; Space ticks it."
        )
        self.replace_body("action-groups", widgets)

    def _sync(self, allowed: dict[str, int]) -> None:
        self._syncing = True
        try:
            for selection_list in self.query(SelectionList):
                # A set: ``selected`` is a list, looked up once per option.
                selected = set(selection_list.selected)
                for index in range(selection_list.option_count):
                    option = selection_list.get_option_at_index(index)
                    value = option.value  # type: ignore[attr-defined]
                    if (value in allowed) != (value in selected):
                        if value in allowed:
                            selection_list.select(value)
                        else:
                            selection_list.deselect(value)
                self._count(selection_list)
        finally:
            self._syncing = False

    def _count(self, selection_list: SelectionList[str]) -> None:
        """Refresh the "ticked of shown" count in the list's heading."""
        key = (selection_list.id or "").removeprefix("sel-")
        group = next((g for g in self._groups if g.key == key), None)
        title = self._titles.get(key)
        if group is None or title is None or not title.is_attached:
            return
        ticked = len(selection_list.selected)
        # Only what changed: an update asks for a layout.
        count = f"{group.title}  {ticked}/{selection_list.option_count}"
        if str(title.content) != count:
            title.update(count)
        button = self._buttons.get(key)
        label = _select_all_label(ticked, selection_list.option_count)
        if button is not None and str(button.label) != label:
            button.label = label

    @on(SelectionList.SelectionHighlighted)
    def _highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        event.stop()
        if event.selection_list.has_focus:
            self._show_detail(event.selection.value)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, SelectionList) and widget.highlighted is not None:
            self._show_detail(widget.get_option_at_index(widget.highlighted).value)

    def _show_detail(self, action: str) -> None:
        row = next((r for g in self._groups for r in g.rows if r.full_name == action), None)
        if row is not None:
            detail = detail_text(row, self._reasons.get(action.lower()))
            self.query_one("#action-detail", Static).update(Text(detail))

    @on(Input.Changed, "#action-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        if self.builder.assessment is not None:
            self.refresh_from(self.builder.assessment, rebuilt=False)

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        if self._syncing or self.draft is None:
            return
        action = event.selection.value
        if action in event.selection_list.selected:
            draft, message = add_action(self.draft, action)
        else:
            draft, message = remove_action(self.draft, action)
        if message:
            self.builder.notify(message, timeout=8)
        self.edit(draft)

    @on(Button.Pressed, ".select-all")
    def _select_all(self, event: Button.Pressed) -> None:
        event.stop()
        key = (event.button.id or "").removeprefix("all-")
        lists = self.query(f"#sel-{key}")
        if not lists or self.draft is None:
            return
        selection_list = lists.first(SelectionList)
        values = [selection_list.get_option_at_index(i).value for i in range(selection_list.option_count)]  # type: ignore[attr-defined]
        draft = self.draft
        missing = [v for v in values if v not in selection_list.selected]
        messages = []
        if missing:
            for action in missing:
                draft, message = add_action(draft, action)
                if message:
                    messages.append(message)
        else:
            for action in values:
                draft, message = remove_action(draft, action)
        if messages:
            self.builder.notify(
                f"{len(messages)} of them cannot be limited to a resource: they are in a statement "
                'of their own with "Resource": "*".',
                timeout=8,
            )
        self.edit(draft)

    def focus_field(self, field: DraftField) -> bool:
        lists = [w for w in self.query(SelectionList) if w.is_mounted]
        if not lists:
            return False
        draft = self.draft
        if draft is not None and field.statement is not None and field.item is not None:
            statements = draft.editable().statements or ()
            if field.statement < len(statements) and field.item < len(statements[field.statement].actions):
                wanted = statements[field.statement].actions[field.item].lower()
                for selection_list in lists:
                    for index in range(selection_list.option_count):
                        value = selection_list.get_option_at_index(index).value  # type: ignore[attr-defined]
                        if str(value).lower() == wanted:
                            selection_list.focus()
                            selection_list.highlighted = index
                            return True
        lists[0].focus()
        return True


def _prompt(row: ActionRow, reason: str | None) -> Text:
    """One line: name, markers, then the reason (for the preset's choices) or the description."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(row.name, style="bold")
    marks = (RESOURCE_MARK if row.takes_arn else " ") + (TAG_MARK if row.tag_conditions else " ")
    text.append(f" {marks} ")
    if reason:
        text.append(f"why: {reason}", style="italic")
    else:
        text.append(row.description, style="dim")
    return text


def detail_text(row: ActionRow, reason: str | None) -> str:
    """The highlighted action in full, for the box under the lists."""
    lines = [f"{row.full_name}: {row.description}"]
    lines.append("Takes a resource ARN (see Resources)." if row.takes_arn else 'Takes only "Resource": "*".')
    if row.tag_conditions:
        lines.append("Supports tag conditions (see Conditions).")
    if reason:
        lines.append(f"Chosen by the scenario: {reason}")
    return "\n".join(lines)
