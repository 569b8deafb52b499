"""The Review step: findings, size, what the policy grants, its expectations, and a request to test.

Every fact comes from the assessment (``core.assess``) or from a core function called
with it: the summary and comparison are ``core.explain``'s own text, the decision is
``core.evaluate``'s, the policies evaluated are ``core.bundle.evaluation_policies``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from xraybuilder.tui.widgets.findings import FindingsList
from xraybuilder.tui.widgets.inputs import Input
from xraybuilder.tui.widgets.meter import SizeMeter

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment
    from xraybuilder.core.evaluate import Decision
    from xraybuilder.core.policy.model import Policy

SEVERITY_WORDS = (
    ("error", "error", "errors"),
    ("security_warning", "security warning", "security warnings"),
    ("warning", "warning", "warnings"),
    ("suggestion", "suggestion", "suggestions"),
)


class ActionSuggester(Suggester):
    """Completes action names from the catalog (read the first time it is asked)."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=False)
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        """Every action of X-Ray and the services X-Ray policies use alongside it, ``service:Name``."""
        if self._names is None:
            from xraybuilder.core import catalog

            names: list[str] = []
            for prefix in catalog.related_service_prefixes():
                svc = catalog.service(prefix)
                if svc is not None:
                    names.extend(sorted(a.full_name for a in svc.actions.values()))
            self._names = names
        return self._names

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        for name in self.names():
            if name.casefold().startswith(value):
                return name
        return None


class TagsError(ValueError):
    """A tags field that does not read as KEY=VALUE pairs; the message says which pair."""


def parse_tags(text: str, field: str) -> dict[str, str]:
    """``team=web, stage=prod`` as a dict; TagsError names the field and the bad pair."""
    tags: dict[str, str] = {}
    for number, item in enumerate(text.split(","), start=1):
        item = item.strip()
        if not item:
            continue
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise TagsError(f"{field}, pair {number} ({item!r}): expected KEY=VALUE, e.g. team=web")
        tags[key.strip()] = value.strip()
    return tags


def policies_of(assessment: Assessment) -> list[tuple[str, Policy]]:
    """The identity policies the principal ends up with, as the core evaluates them."""
    if assessment.bundle is not None:
        from xraybuilder.core.bundle import evaluation_policies

        return evaluation_policies(assessment.bundle)
    return [
        (document.title, document.policy)
        for document in assessment.documents
        if document.kind == "identity" and document.policy is not None
    ]


def counts_text(assessment: Assessment) -> str:
    """``1 error, 2 warnings`` or ``no findings``."""
    counts = assessment.counts()
    parts = [
        f"{counts[key]} {one if counts[key] == 1 else many}"
        for key, one, many in SEVERITY_WORDS
        if counts.get(key)
    ]
    problems = len(assessment.parameter_problems)
    if problems:
        parts.insert(0, f"{problems} parameter problem{'s' if problems != 1 else ''}")
    return ", ".join(parts) if parts else "no findings"


def expectations_text(assessment: Assessment) -> Text:
    """Each expectation of the scenario, holding (✓) or not (✗), with why it matters."""
    text = Text()
    if not assessment.expectations:
        text.append("This draft has no scenario expectations to check.", style="dim")
        return text
    held = sum(1 for result in assessment.expectations if result.holds)
    text.append(f"{held} of {len(assessment.expectations)} hold\n", style="bold")
    for result in assessment.expectations:
        expectation = result.expectation
        wanted = "allowed" if expectation.allowed else "denied"
        mark, style = ("✓", "green") if result.holds else ("✗", "bold red")
        text.append(f"{mark} ", style=style)
        text.append(f"{wanted}: {expectation.describe()}")
        if not result.holds:
            text.append(f" (but the outcome is {result.outcome.replace('_', ' ')})", style=style)
        if expectation.why:
            text.append(f"\n    {expectation.why}", style="dim")
        text.append("\n")
    text.rstrip()
    return text


class RequestForm(Vertical):
    """Action, resource and tags of a request; Enter (or Test) evaluates it."""

    DEFAULT_CSS = """
    RequestForm { height: auto; }
    RequestForm Horizontal { height: auto; }
    RequestForm .request-label { width: 16; padding: 1 1 0 0; }
    RequestForm Input { width: 1fr; }
    RequestForm #request-test { margin: 0 0 0 16; }
    RequestForm #request-decision { padding: 0 1; margin-top: 1; }
    RequestForm #request-decision.-allowed { border-left: thick $success; }
    RequestForm #request-decision.-denied { border-left: thick $error; }
    RequestForm #request-decision.-invalid { border-left: thick $warning; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("Action", classes="request-label")
            yield Input(placeholder="xray:GetGroup", suggester=ActionSuggester(), id="request-action")
        with Horizontal():
            yield Label("Resource ARN", classes="request-label")
            yield Input(value="*", placeholder="* or arn:aws:xray:…", id="request-resource")
        with Horizontal():
            yield Label("Request tags", classes="request-label")
            yield Input(placeholder="team=web, stage=prod", id="request-tags")
        with Horizontal():
            yield Label("Resource tags", classes="request-label")
            yield Input(placeholder="team=web", id="request-resource-tags")
        yield Button("Test the request", id="request-test")
        yield Static(id="request-decision")

    def values(self) -> dict[str, str]:
        """The form as typed."""
        return {
            "action": self.query_one("#request-action", Input).value.strip(),
            "resource": self.query_one("#request-resource", Input).value.strip() or "*",
            "request_tags": self.query_one("#request-tags", Input).value,
            "resource_tags": self.query_one("#request-resource-tags", Input).value,
        }


class ReviewPanel(VerticalScroll):
    """Findings, size meter, summary and comparison, expectations, and a request to test."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "focus_request", "Test a request", show=False, id="review.test_request"),
    ]

    DEFAULT_CSS = """
    ReviewPanel { height: 1fr; padding: 0 1; }
    ReviewPanel .review-heading { text-style: bold; margin-top: 1; color: $text-primary; }
    ReviewPanel #review-findings { height: auto; max-height: 12; }
    ReviewPanel #review-finding-detail { color: $text-muted; padding-left: 3; }
    ReviewPanel #review-comparison { margin-top: 1; }
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
        self._tested = False
        self._decision: Decision | None = None
        self._shown: dict[str, Any] = {}
        self._built = False
        self._building = False

    @property
    def assessment(self) -> Assessment | None:
        """The assessment shown."""
        return self._assessment

    @property
    def decision(self) -> Decision | None:
        """The last request's decision (None before a test or when the form was invalid)."""
        return self._decision

    def _on_focus(self, event: events.Focus) -> None:
        self._forward_focus()

    def _forward_focus(self) -> None:
        # Focus lands on the findings, at the top: focusing the request form further down
        # would scroll them out of view. "t" goes to the form from there.
        if not self._built:
            return
        self.query_one("#review-findings", FindingsList).focus(scroll_visible=False)
        self.scroll_home(animate=False)

    def compose(self) -> ComposeResult:
        # The body is built on the first show: the builder composes every step at start,
        # and some twenty widgets here would delay its first frame for a step not yet open.
        yield from ()

    def _body(self) -> list[Widget]:
        return [
            Static("Findings", id="review-counts", classes="review-heading"),
            FindingsList(id="review-findings"),
            Static(id="review-finding-detail"),
            Static("Size", classes="review-heading"),
            SizeMeter(id="review-size"),
            Static("Expectations", classes="review-heading"),
            Static(id="review-expectations"),
            Static("What it grants", classes="review-heading"),
            Static(id="review-summary"),
            Static(id="review-comparison"),
            Static("Test a request", classes="review-heading"),
            RequestForm(id="review-request"),
        ]

    @property
    def built(self) -> bool:
        """True once the body is mounted (after the first show)."""
        return self._built

    def show(self, assessment: Assessment) -> None:
        """Show ``assessment``; a request already tested is evaluated again against it."""
        self._assessment = assessment
        if not self.is_mounted:
            return
        if not self._built:
            if not self._building:
                self._building = True
                self.call_later(self._build)
            return
        self._apply(assessment)

    async def _build(self) -> None:
        await self.mount_all(self._body())
        self._built = True
        if self._assessment is not None:
            self._apply(self._assessment)
        if self.has_focus:
            self._forward_focus()

    def _apply(self, assessment: Assessment) -> None:
        self._update("counts", f"Findings: {counts_text(assessment)}")
        self.query_one("#review-findings", FindingsList).show(assessment.findings)
        identity = assessment.document("identity")
        self.query_one("#review-size", SizeMeter).show(identity.size if identity is not None else None)
        self._update("expectations", expectations_text(assessment))
        if assessment.summary is not None:
            self._update("summary", Text(assessment.summary.render_text().rstrip("\n")))
        else:
            self._update("summary", Text("Nothing to summarise until the policy parses.", style="dim"))
        comparison = assessment.comparison
        comparison_text = Text("")
        if comparison is not None:
            replaced = ", ".join(assessment.bundle.baseline) if assessment.bundle is not None else ""
            if replaced:
                comparison_text.append(f"The AWS managed policy it replaces: {replaced}\n", style="bold")
            comparison_text.append(comparison.render_text().rstrip("\n"))
        self._update("comparison", comparison_text)
        self.query_one("#review-comparison").display = comparison is not None
        if self._tested:
            self.test_request()

    def _update(self, name: str, content: Any) -> None:
        # Equal content is not set again: no layout for a keystroke that changed nothing here.
        key = str(content) if not isinstance(content, Text) else content.markup
        if self._shown.get(name) == key:
            return
        self._shown[name] = key
        self._set_static(self.query_one(f"#review-{name}", Static), content)

    def _set_static(self, static: Static, content: Any) -> None:
        static.update(content)
        # A layout already under way (the findings list growing in the same show) can
        # keep the Static at its old height; ask once more after it.
        self.call_after_refresh(static.refresh, layout=True)

    def on_mount(self) -> None:
        if self._assessment is not None:
            self.show(self._assessment)

    @on(FindingsList.Highlighted, "#review-findings")
    def _finding_detail(self, event: FindingsList.Highlighted) -> None:
        detail = self.query_one("#review-finding-detail", Static)
        item = event.finding
        if item is None:
            self._set_static(detail, "")
            return
        finding = item.finding
        text = Text(finding.message)
        if finding.fix is not None:
            text.append(f"\nfix (f): {finding.fix.description}", style="bold")
        self._set_static(detail, text)

    def action_focus_request(self) -> None:
        self.query_one("#request-action", Input).focus()

    @on(Input.Submitted, "RequestForm Input")
    @on(Button.Pressed, "#request-test")
    def _test(self) -> None:
        self.test_request()

    def test_request(self) -> Decision | None:
        """Evaluate the form's request against the assessment's policies and show the decision."""
        from xraybuilder.core.evaluate import Request, evaluate, render_text

        if not self._built:
            return None
        output = self.query_one("#request-decision", Static)
        form = self.query_one(RequestForm).values()
        self._tested = True
        self._decision = None
        output.remove_class("-allowed", "-denied", "-invalid")
        if self._assessment is None:
            return None
        if not form["action"]:
            output.add_class("-invalid")
            self._set_static(output, "Action: type an action to test, e.g. xray:GetGroup")
            return None
        policies = policies_of(self._assessment)
        try:
            request = Request.build(
                form["action"],
                form["resource"],
                request_tags=parse_tags(form["request_tags"], "Request tags"),
                resource_tags=parse_tags(form["resource_tags"], "Resource tags"),
            )
        except ValueError as err:
            output.add_class("-invalid")
            self._set_static(output, Text(str(err)))
            return None
        if not policies:
            output.add_class("-invalid")
            self._set_static(output, "No policy to test yet: the identity policy does not parse.")
            return None
        decision = evaluate(policies, request)
        self._decision = decision
        output.add_class("-allowed" if decision.allowed else "-denied")
        self._set_static(output, Text(render_text(decision)))
        return decision
