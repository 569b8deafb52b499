"""Resources step: for each statement, an ARN builder per X-Ray resource type its actions take.

Each part of an ARN (partition, Region, account, name, Id) has an "any" tick box that puts
``*`` there. When a statement is limited to a resource, the actions that can only take
``*`` are moved to a statement of their own, and the step says so. Which actions take
which resource types comes from the catalog; ARNs are built and checked by ``core.arn``.
Resources of other services (the daemon's S3 bucket, a KMS key) get the same
field-by-field builder from the catalog's ARN format of the resource type they fit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Static

from xraybuilder.tui.steps.base import StepForm
from xraybuilder.tui.validation import ArnPartValidator, field_message, set_field_message
from xraybuilder.tui.widgets.inputs import Input

if TYPE_CHECKING:
    from textual.validation import Validator

    from xraybuilder.core.assess import Assessment, DraftField
    from xraybuilder.core.catalog import ResourceType
    from xraybuilder.core.draft import Draft, DraftStatement

# The parts of each X-Ray resource type's ARN after partition/Region/account, as core.arn names them.
NAME_PARTS = {"group": ("group_name", "group_id"), "sampling-rule": ("sampling_rule_name",)}
PART_LABELS = {
    "partition": "Partition",
    "region": "Region",
    "account": "Account",
    "group_name": "Group name",
    "group_id": "Group Id",
    "sampling_rule_name": "Rule name",
}
CREATE_GROUP_NOTE = (
    "xray:CreateGroup: X-Ray gives a group its Id when it creates it, so nobody knows the Id "
    "in advance: the ARN ends in /* (any Id)."
)


@dataclass(frozen=True)
class StatementShape:
    """What the step needs to know about a statement to lay out its builders."""

    index: int
    sid: str
    actions: tuple[str, ...]
    star_only: tuple[str, ...]
    types: tuple[str, ...]
    limited: bool


def shape(index: int, statement: DraftStatement) -> StatementShape:
    from xraybuilder.core import catalog

    star_only = []
    types: list[str] = []
    for action in statement.actions:
        found = catalog.action(action)
        if found is None:
            continue
        if not found.resource_level:
            star_only.append(action)
        elif found.service == "xray":
            types.extend(rt.resource_type for rt in found.resource_types)
    limited = statement.resources != ("*",)
    return StatementShape(
        index, statement.sid, statement.actions, tuple(star_only), tuple(dict.fromkeys(types)), limited
    )


def arn_parts(arn: str, rtype: str) -> dict[str, str] | None:
    """The builder's parts of an X-Ray ARN of ``rtype``, or None when it is not one."""
    from xraybuilder.core.arn import parse_arn

    parsed = parse_arn(arn)
    if parsed is None or parsed.service != "xray":
        return None
    resource = parsed.resource
    prefix = rtype + "/"
    if not resource.startswith(prefix):
        return None
    rest = resource[len(prefix) :].split("/")
    names = NAME_PARTS[rtype]
    values = {"partition": parsed.partition, "region": parsed.region, "account": parsed.account}
    for i, part in enumerate(names):
        values[part] = rest[i] if i < len(rest) else "*"
    return values


def build_arn(rtype: str, parts: dict[str, str]) -> str:
    from xraybuilder.core.arn import group_arn, sampling_rule_arn

    common = (parts["partition"], parts["region"], parts["account"])
    if rtype == "group":
        return group_arn(*common, parts["group_name"], parts["group_id"])
    return sampling_rule_arn(*common, parts["sampling_rule_name"])


def other_types(statement: DraftStatement) -> list[ResourceType]:
    """Resource types of the statement's actions outside X-Ray, as the catalog lists them."""
    from xraybuilder.core import catalog

    out: dict[tuple[str, str], ResourceType] = {}
    for action in statement.actions:
        found = catalog.action(action)
        svc = catalog.service(found.service) if found is not None else None
        if found is None or svc is None or found.service == "xray":
            continue
        for rt in found.resource_types:
            if rt.resource_type in svc.resource_types:
                out.setdefault((found.service, rt.resource_type), svc.resource_types[rt.resource_type])
    return list(out.values())


def template_fields(rtype: ResourceType) -> list[str]:
    """The placeholders of a catalog ARN format, in order: Partition, …, BucketName, ObjectName."""
    from xraybuilder.core.arn.templates import PLACEHOLDER

    return list(dict.fromkeys(PLACEHOLDER.findall(rtype.arn_template)))


def template_values(arn: str, rtype: ResourceType) -> dict[str, str] | None:
    """The value of each placeholder of ``rtype``'s ARN format in ``arn``, or None when it does not fit."""
    from xraybuilder.core.arn.templates import PLACEHOLDER

    template = rtype.arn_template
    pattern, position, seen = "", 0, set()
    matches = list(PLACEHOLDER.finditer(template))
    for number, m in enumerate(matches):
        pattern += re.escape(template[position : m.start()])
        name = m.group(1)
        if name in seen:
            pattern += f"(?P={name})"
        elif name in ("Partition", "Region", "Account"):
            pattern += f"(?P<{name}>[^:]*)"
        else:
            # The last part takes the rest ("xray-daemon/*"); the others stop at the next delimiter.
            pattern += f"(?P<{name}>.+)" if number == len(matches) - 1 else f"(?P<{name}>.+?)"
        seen.add(name)
        position = m.end()
    pattern += re.escape(template[position:])
    found = re.fullmatch(pattern, arn)
    return dict(found.groupdict()) if found else None


def fill_fields(rtype: ResourceType, values: dict[str, str]) -> str:
    """``rtype``'s ARN format with each placeholder replaced by its value."""
    from xraybuilder.core.arn.templates import PLACEHOLDER

    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), "*"), rtype.arn_template)


def field_label(name: str) -> str:
    """``BucketName`` -> ``Bucket name``."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else name


def part_row(
    label: str,
    value: str,
    validators: Sequence[Validator],
    field: tuple[str, str],
    any_box: tuple[str, str],
) -> Widget:
    """One part of an ARN: its label, its field, and the "any" tick box that puts ``*`` there.

    ``field`` and ``any_box`` are (id, class) of the field and of the tick box.
    """
    anywhere = value == "*"
    return Horizontal(
        Label(label, classes="part-label"),
        Input(
            value="" if anywhere else value,
            placeholder="*" if anywhere else label.lower(),
            disabled=anywhere,
            validators=validators,
            validate_on=["changed"],
            id=field[0],
            classes=field[1],
            compact=True,
        ),
        Checkbox("any", anywhere, id=any_box[0], classes=any_box[1], compact=True),
        classes="part-row",
    )


def limit_statement(draft: Draft, index: int, resources: list[str]) -> tuple[Draft, str | None]:
    """Set a statement's resources; actions that take only ``*`` move to their own statement."""
    draft = draft.editable()
    statements = draft.statements or ()
    star_only = shape(index, statements[index]).star_only
    message = None
    if resources != ["*"] and star_only:
        if len(star_only) == len(statements[index].actions):
            return draft, 'these actions cannot be limited to a resource: they keep "Resource": "*".'
        draft = draft.split_statement(index, star_only)
        moved = (draft.statements or ())[index + 1]
        if moved.resources != ("*",):
            draft = draft.set_resources(index + 1, ["*"])
        own, they = ("its", "it") if len(star_only) == 1 else ("their", "they")
        message = (
            f'Moved {", ".join(star_only)} to a statement of {own} own with "Resource": "*": '
            f"{they} cannot be limited to a resource."
        )
    return draft.set_resources(index, resources), message


class ResourcesStep(StepForm):
    """One section per statement of the identity policy."""

    step_id = "resources"
    DEFAULT_CSS = """
    ResourcesStep .ext-part { width: 1fr; }
    ResourcesStep .ext-any { margin-left: 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._signature: tuple[object, ...] = ()
        self._showing_blocked = False
        self._other_types: dict[tuple[int, int], ResourceType] = {}
        """(statement, resource) -> the catalog format its builder edits (other services)."""

    def compose(self) -> ComposeResult:
        yield Static("Resources", classes="step-title")
        yield Static(
            'Which resources each statement may act on. "any" puts * in that part of the ARN.',
            classes="field-help",
        )
        yield Static("", id="resources-note", classes="why note")
        yield Vertical(id="statements")

    def refresh_from(self, assessment: Assessment, *, rebuilt: bool) -> None:
        draft = assessment.draft
        blocked = self.blocked(draft)
        if blocked is not None or self._showing_blocked:
            self._note(blocked or "")
        self._showing_blocked = blocked is not None
        if blocked is not None:
            self.replace_body("statements", [])
            self._signature = ()
            return
        shapes = [shape(i, s) for i, s in enumerate(draft.editable().statements or ())]
        signature = tuple(shapes)
        if signature != self._signature or rebuilt:
            self._signature = signature
            self._build(draft, shapes)
            # The new sections are mounted at the next refresh; fill in their ARNs then.
            self.call_after_refresh(self._show_latest)
        self._show_arns(draft)

    def _show_latest(self) -> None:
        if self.draft is not None and self.blocked(self.draft) is None:
            self._show_arns(self.draft)

    def _build(self, draft: Draft, shapes: list[StatementShape]) -> None:
        statements = draft.editable().statements or ()
        sections: list[Widget] = []
        for s in shapes:
            statement = statements[s.index]
            title = f"Statement {s.index + 1}" + (f" ({s.sid})" if s.sid else "")
            children: list[Widget] = [
                Static(title, classes="group-title"),
                Static(", ".join(s.actions) or "no actions yet", classes="field-help"),
            ]
            if not s.types:
                if s.actions and len(s.star_only) == len(s.actions):
                    children.append(
                        Static(
                            'Resource "*": these actions cannot be limited to a resource, so they '
                            "are in a statement of their own.",
                            classes="why",
                        )
                    )
                else:
                    rtypes = other_types(statement)
                    for j, resource in enumerate(statement.resources):
                        children.append(self._other_builder(s.index, j, resource, rtypes))
            else:
                children.append(
                    Checkbox(
                        "limit to one resource (off: any, *)",
                        s.limited,
                        id=f"limit-{s.index}",
                        classes="limit",
                        compact=True,
                    )
                )
                if s.limited:
                    for rtype in s.types:
                        children.append(self._builder(draft, s, statement.resources, rtype))
                    if "xray:creategroup" in {a.lower() for a in s.actions} and "group" in s.types:
                        children.append(Static(CREATE_GROUP_NOTE, classes="why"))
                if s.star_only and s.limited:
                    children.append(Static(f"Take only *: {', '.join(s.star_only)}", classes="why"))
            children.append(Static("", id=f"arns-{s.index}", classes="arn-result"))
            sections.append(Vertical(*children, classes="statement-box", id=f"stmt-{s.index}"))
        if not sections:
            sections.append(Static("Tick some actions on the Actions step first.", classes="why"))
        self.replace_body("statements", sections)

    def _builder(self, draft: Draft, s: StatementShape, resources: tuple[str, ...], rtype: str) -> Widget:
        parts = next((p for r in resources if (p := arn_parts(r, rtype)) is not None), None)
        if parts is None:
            parts = {
                "partition": draft.param("partition") or "aws",
                "region": draft.param("region") or "us-east-1",
                "account": draft.param("account") or "",
            }
            for name in NAME_PARTS[rtype]:
                parts[name] = "*" if name == "group_id" else ""
        rows: list[Widget] = [Static(f"{rtype} ARN", classes="field-label")]
        partition = parts.get("partition", "aws")
        for part in ("partition", "region", "account", *NAME_PARTS[rtype]):
            value = parts.get(part, "")
            rows.append(
                part_row(
                    PART_LABELS[part],
                    value,
                    [ArnPartValidator(part, partition)],
                    (f"arn-{s.index}-{rtype}-{part}", "arn-part"),
                    (f"any-{s.index}-{rtype}-{part}", "any"),
                )
            )
            rows.append(Static("", id=f"msg-{s.index}-{rtype}-{part}", classes="field-message", markup=False))
        return Vertical(*rows, classes="arn-builder", id=f"builder-{s.index}-{rtype}")

    def _other_builder(self, index: int, item: int, resource: str, rtypes: list[ResourceType]) -> Widget:
        """A field per part of another service's ARN, from the catalog's format it fits."""
        fitting = next(
            ((rt, values) for rt in rtypes if (values := template_values(resource, rt)) is not None), None
        )
        if fitting is None:
            why = (
                "the catalog has no ARN format for these actions' resources"
                if not rtypes
                else "it fits none of the catalog's ARN formats for these actions ("
                + ", ".join(f"{rt.service} {rt.name}" for rt in rtypes)
                + ")"
            )
            return Static(
                f"Resource: {resource}\nNot editable here: {why}. Edit it in the policy file instead.",
                id=f"res-{index}-{item}",
                markup=False,
            )
        rtype, values = fitting
        rows: list[Widget] = [Static(f"{rtype.service} {rtype.name} ARN", classes="field-label")]
        partition = values.get("Partition", "aws")
        for number, name in enumerate(template_fields(rtype)):
            value = values.get(name, "*")
            part = name.lower()
            validators = (
                [ArnPartValidator(part, partition, service=rtype.service)]
                if name in ("Partition", "Region", "Account")
                else []
            )
            rows.append(
                part_row(
                    field_label(name),
                    value,
                    validators,
                    (f"ext-{index}-{item}-{number}", "ext-part"),
                    (f"extany-{index}-{item}-{number}", "ext-any"),
                )
            )
            rows.append(
                Static("", id=f"extmsg-{index}-{item}-{number}", classes="field-message", markup=False)
            )
        self._other_types[(index, item)] = rtype
        return Vertical(*rows, classes="arn-builder", id=f"res-{index}-{item}")

    def _apply_other(self, index: int, item: int) -> None:
        draft = self.draft
        rtype = self._other_types.get((index, item))
        if draft is None or rtype is None:
            return
        values: dict[str, str] = {}
        for number, name in enumerate(template_fields(rtype)):
            box = self.query(f"#extany-{index}-{item}-{number}")
            field = self.query(f"#ext-{index}-{item}-{number}")
            if not box or not field:
                return
            values[name] = "*" if box.first(Checkbox).value else field.first(Input).value
        editable = draft.editable()
        resources = list((editable.statements or ())[index].resources)
        if item >= len(resources):
            return
        resources[item] = fill_fields(rtype, values)
        self.edit(editable.set_resources(index, resources))

    @on(Input.Changed, ".ext-part")
    def _other_part_changed(self, event: Input.Changed) -> None:
        event.stop()
        _, index, item, number = (event.input.id or "").split("-")
        message = self.query(f"#extmsg-{index}-{item}-{number}")
        if message:
            set_field_message(message.first(Static), field_message(event.validation_result))
        self._apply_other(int(index), int(item))

    @on(Checkbox.Changed, ".ext-any")
    def _other_any_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        _, index, item, number = (event.checkbox.id or "").split("-")
        field = self.query_one(f"#ext-{index}-{item}-{number}", Input)
        field.disabled = event.value
        rtype = self._other_types.get((int(index), int(item)))
        name = template_fields(rtype)[int(number)] if rtype is not None else ""
        field.placeholder = "*" if event.value else field_label(name).lower()
        self._apply_other(int(index), int(item))

    def _show_arns(self, draft: Draft) -> None:
        for index, statement in enumerate(draft.editable().statements or ()):
            found = self.query(f"#arns-{index}")
            if found:
                found.first(Static).update("→ " + "\n→ ".join(statement.resources))

    def _note(self, message: str) -> None:
        note = self.query_one("#resources-note", Static)
        note.update(message)
        note.display = bool(message)

    # -- edits ------------------------------------------------------------------

    def _collect(self, index: int, rtype: str) -> str:
        parts: dict[str, str] = {}
        for part in ("partition", "region", "account", *NAME_PARTS[rtype]):
            box = self.query_one(f"#any-{index}-{rtype}-{part}", Checkbox)
            field = self.query_one(f"#arn-{index}-{rtype}-{part}", Input)
            parts[part] = "*" if box.value else field.value
        return build_arn(rtype, parts)

    def _apply(self, index: int) -> None:
        draft = self.draft
        if draft is None:
            return
        s = shape(index, (draft.editable().statements or ())[index])
        arns = [self._collect(index, rtype) for rtype in s.types if self.query(f"#builder-{index}-{rtype}")]
        if not arns:
            return
        new, message = limit_statement(draft, index, arns)
        if message:
            self._note(message)
            self.builder.notify(message, timeout=8)
        self.edit(new)

    @on(Input.Changed, ".arn-part")
    def _part_changed(self, event: Input.Changed) -> None:
        event.stop()
        _, index, rest = (event.input.id or "").split("-", 2)
        message = self.query(f"#msg-{index}-{rest}")
        if message:
            set_field_message(message.first(Static), field_message(event.validation_result))
        self._apply(int(index))

    @on(Checkbox.Changed, ".any")
    def _any_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        _, index, rest = (event.checkbox.id or "").split("-", 2)
        field = self.query_one(f"#arn-{index}-{rest}", Input)
        field.disabled = event.value
        field.placeholder = "*" if event.value else rest.split("-", 1)[-1].replace("_", " ")
        self._apply(int(index))

    @on(Checkbox.Changed, ".limit")
    def _limit_changed(self, event: Checkbox.Changed) -> None:
        box_id = event.checkbox.id or ""
        if not box_id.startswith("limit-") or self.draft is None:
            return
        event.stop()
        index = int(box_id.removeprefix("limit-"))
        draft = self.draft.editable()
        s = shape(index, (draft.statements or ())[index])
        if event.value == s.limited:
            return
        if not event.value:
            self.edit(draft.set_resources(index, ["*"]))
            return
        defaults = {
            "partition": draft.param("partition") or "aws",
            "region": draft.param("region") or "us-east-1",
            "account": draft.param("account") or "*",
        }
        arns = []
        for rtype in s.types:
            parts = dict(defaults)
            for name in NAME_PARTS[rtype]:
                parts[name] = "*"
            arns.append(build_arn(rtype, parts))
        new, message = limit_statement(draft, index, arns)
        if message:
            self._note(message)
        self.edit(new)

    def focus_field(self, field: DraftField) -> bool:
        if field.statement is None:
            return False
        inputs = [w for w in self.query(f"#stmt-{field.statement} Input") if not w.disabled]
        if inputs:
            inputs[0].focus()
            return True
        boxes = self.query(f"#limit-{field.statement}")
        if boxes:
            boxes.first().focus()
            return True
        return False
