"""Conditions step: the statements' conditions, and tag conditions for actions that support them.

A tag condition key is offered for a statement only when the catalog says one of its
actions supports that key; the preset's own conditions (``aws:RequestedRegion`` …) are
listed with the others and can be removed. Adding and removing are Draft operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static

from xraybuilder.tui.steps.base import StepForm
from xraybuilder.tui.widgets.inputs import Input

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment, DraftField
    from xraybuilder.core.draft import DraftStatement

# Tag condition keys as the catalog spells them, and the operators that suit each.
TAG_KEYS = {
    "aws:RequestTag/": "a tag in the request (creating or tagging)",
    "aws:ResourceTag/": "a tag already on the resource",
    "aws:TagKeys": "the tag keys in the request",
}
OPERATORS = {
    "aws:RequestTag/": ("StringEquals", "StringLike", "StringNotEquals"),
    "aws:ResourceTag/": ("StringEquals", "StringLike", "StringNotEquals"),
    "aws:TagKeys": ("ForAllValues:StringEquals", "ForAnyValue:StringEquals", "ForAllValues:StringLike"),
}


def tag_support(statement: DraftStatement) -> dict[str, list[str]]:
    """Tag key kind -> the statement's actions whose catalog entry supports it."""
    from xraybuilder.core import catalog

    out: dict[str, list[str]] = {}
    for action in statement.actions:
        found = catalog.action(action)
        if found is None:
            continue
        for key in found.all_condition_keys():
            for kind in TAG_KEYS:
                if key.startswith(kind):
                    out.setdefault(kind, []).append(found.full_name)
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


class ConditionsStep(StepForm):
    """Each statement's conditions, then a form to add a tag condition."""

    step_id = "conditions"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._signature: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("Conditions", classes="step-title")
        yield Static(
            "A condition limits when a statement applies. Tag conditions are offered only for "
            "statements whose actions support them.",
            classes="field-help",
        )
        yield Vertical(id="condition-list")
        yield Static("Add a tag condition", classes="group-title")
        with Vertical(id="condition-form"):
            yield _row(
                "Statement", Select[int]([], id="cond-statement", prompt="choose a statement", compact=True)
            )
            yield Static("", id="cond-support", classes="field-help")
            yield _row("Key", Select[str]([], id="cond-kind", prompt="choose a tag key", compact=True))
            yield _row("Tag key", Input(placeholder="team", id="cond-tag", compact=True))
            yield _row(
                "Operator", Select[str]([], id="cond-operator", prompt="choose an operator", compact=True)
            )
            yield _row("Values", Input(placeholder="web (several: web, api)", id="cond-values", compact=True))
            yield Static("", id="cond-message", classes="field-message", markup=False)
            yield Button("Add condition", id="cond-add", variant="primary", compact=True)

    def refresh_from(self, assessment: Assessment, *, rebuilt: bool) -> None:
        draft = assessment.draft
        blocked = self.blocked(draft)
        if blocked is not None:
            self.replace_body("condition-list", [Static(blocked, classes="why")])
            self.query_one("#condition-form").display = False
            self._signature = ()
            return
        self.query_one("#condition-form").display = True
        statements = draft.editable().statements or ()
        signature = tuple((s.sid, s.actions, s.conditions) for s in statements)
        if signature == self._signature and not rebuilt:
            return
        self._signature = signature
        self._build_list(statements)
        choices = [
            (f"Statement {i + 1}" + (f" ({s.sid})" if s.sid else ""), i)
            for i, s in enumerate(statements)
            if tag_support(s)
        ]
        select = self.query_one("#cond-statement", Select)
        current = select.value
        select.set_options(choices)
        if current in [c[1] for c in choices]:
            select.value = current
        elif choices:
            select.value = choices[0][1]
        self._offer_kinds()

    def _build_list(self, statements: tuple[DraftStatement, ...]) -> None:
        rows: list[Widget] = []
        for i, statement in enumerate(statements):
            if not statement.conditions:
                continue
            rows.append(
                Static(
                    f"Statement {i + 1}" + (f" ({statement.sid})" if statement.sid else ""),
                    classes="group-title",
                )
            )
            for j, condition in enumerate(statement.conditions):
                rows.append(
                    Horizontal(
                        Static(
                            f"{condition.operator}  {condition.key}  {', '.join(condition.values)}",
                            classes="condition-text",
                            markup=False,
                        ),
                        Button("remove", id=f"cond-remove-{i}-{j}", classes="cond-remove", compact=True),
                        classes="condition-row",
                    )
                )
        if not rows:
            rows.append(Static("No conditions yet.", classes="why"))
        self.replace_body("condition-list", rows)

    def _statement(self) -> tuple[int, DraftStatement] | None:
        draft = self.draft
        value = self.query_one("#cond-statement", Select).value
        if draft is None or not isinstance(value, int):
            return None
        statements = draft.editable().statements or ()
        return (value, statements[value]) if value < len(statements) else None

    def _offer_kinds(self) -> None:
        chosen = self._statement()
        kinds = self.query_one("#cond-kind", Select)
        support = tag_support(chosen[1]) if chosen else {}
        kinds.set_options([(f"{k}…" if k.endswith("/") else k, k) for k in support])
        if support:
            kinds.value = next(iter(support))
        lines = [
            f"{k}{'…' if k.endswith('/') else ''} supported by {', '.join(v)}" for k, v in support.items()
        ]
        self.query_one("#cond-support", Static).update("\n".join(lines))
        self._offer_operators()

    def _offer_operators(self) -> None:
        kind = self.query_one("#cond-kind", Select).value
        operators = self.query_one("#cond-operator", Select)
        options = OPERATORS.get(kind, ()) if isinstance(kind, str) else ()
        operators.set_options([(o, o) for o in options])
        if options:
            operators.value = options[0]
        self.query_one("#cond-tag", Input).disabled = kind == "aws:TagKeys"

    @on(Select.Changed, "#cond-statement")
    def _statement_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._offer_kinds()

    @on(Select.Changed, "#cond-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._offer_operators()

    @on(Button.Pressed, "#cond-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        from xraybuilder.core.draft import DraftCondition

        message = self.query_one("#cond-message", Static)
        chosen = self._statement()
        kind = self.query_one("#cond-kind", Select).value
        operator = self.query_one("#cond-operator", Select).value
        tag = self.query_one("#cond-tag", Input).value.strip()
        values = tuple(v.strip() for v in self.query_one("#cond-values", Input).value.split(",") if v.strip())
        problem = None
        if chosen is None or self.draft is None:
            problem = "choose a statement whose actions support tag conditions"
        elif not isinstance(kind, str) or not isinstance(operator, str):
            problem = "choose a key and an operator"
        elif kind.endswith("/") and not tag:
            problem = "type the tag key, like team"
        elif not values:
            problem = "type at least one value"
        if problem is not None:
            message.update(f"✗ {problem}")
            message.remove_class("-ok")
            message.add_class("-error")
            return
        assert chosen is not None and self.draft is not None and isinstance(kind, str)
        key = kind + tag if kind.endswith("/") else kind
        condition = DraftCondition(str(operator), key, values)
        message.update(f"Added {operator} {key} to statement {chosen[0] + 1}.")
        message.remove_class("-error")
        message.add_class("-ok")
        self.edit(self.draft.editable().add_condition(chosen[0], condition))

    @on(Button.Pressed, ".cond-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        _, _, i, j = (event.button.id or "").split("-")
        if self.draft is not None:
            self.edit(self.draft.editable().remove_condition(int(i), int(j)))

    def focus_field(self, field: DraftField) -> bool:
        if field.statement is not None:
            buttons = self.query(f"#cond-remove-{field.statement}-{field.item or 0}")
            if buttons:
                buttons.first().focus()
                return True
        self.query_one("#cond-statement").focus()
        return True


def _row(label: str, widget: Widget) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), widget, classes="field-row")
