"""ReviewPanel: findings, size, expectations, summary, comparison and a tested request."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Static

from xraybuilder.core.assess import Assessment, assess
from xraybuilder.core.draft import Draft
from xraybuilder.tui.widgets.findings import FindingsList
from xraybuilder.tui.widgets.meter import SizeMeter
from xraybuilder.tui.widgets.review import ActionSuggester, ReviewPanel, parse_tags

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EC2 = {"account": "123456789012", "region": "eu-west-1"}


class Host(App[None]):
    def __init__(self, assessment: Assessment) -> None:
        super().__init__()
        self.assessment = assessment

    def compose(self) -> ComposeResult:
        yield ReviewPanel(id="review")

    def on_mount(self) -> None:
        self.query_one(ReviewPanel).show(self.assessment)


def text_of(app: App[None], selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def built(pilot: Pilot[None]) -> ReviewPanel:
    """The panel, once its body is mounted (it is built on the first show)."""
    panel = pilot.app.query_one(ReviewPanel)
    for _ in range(100):
        if panel.built:
            break
        await pilot.pause()
    assert panel.built
    await pilot.pause()
    return panel


async def test_shows_what_the_assessment_says() -> None:
    assessment = assess(Draft.from_preset("ec2", EC2))
    app = Host(assessment)
    async with app.run_test(size=(120, 50)) as pilot:
        await built(pilot)
        await pilot.pause()
        assert text_of(app, "#review-counts") == "Findings: no findings"
        assert app.query_one(FindingsList).findings == ()
        meter = app.query_one(SizeMeter)
        identity = assessment.document("identity")
        assert identity is not None and meter.value == identity.size
        expectations = text_of(app, "#review-expectations")
        total = len(assessment.expectations)
        assert f"{total} of {total} hold" in expectations
        assert "✓ allowed: xray:PutTraceSegments on *" in expectations
        assert assessment.summary is not None
        assert text_of(app, "#review-summary") == assessment.summary.render_text().rstrip("\n")
        comparison = text_of(app, "#review-comparison")
        assert "The AWS managed policy it replaces: AWSXRayDaemonWriteAccess" in comparison
        assert assessment.comparison is not None
        assert assessment.comparison.render_text().rstrip("\n") in comparison


async def test_findings_and_a_failing_expectation_show_up() -> None:
    draft = Draft.from_preset("ec2", EC2).editable().remove_action(0, "xray:PutTraceSegments")
    assessment = assess(draft)
    app = Host(assessment)
    async with app.run_test(size=(120, 50)) as pilot:
        await built(pilot)
        await pilot.pause()
        expectations = text_of(app, "#review-expectations")
        assert "✗ allowed: xray:PutTraceSegments on * (but the outcome is implicit deny)" in expectations
        custom = assess(Draft.from_text((CORPUS / "security_passrole_star.json").read_text("utf-8")))
        app.query_one(ReviewPanel).show(custom)
        await pilot.pause()
        assert text_of(app, "#review-counts") == "Findings: 1 security warning, 1 suggestion"
        assert len(app.query_one(FindingsList).findings) == 2
        assert "no scenario expectations" in text_of(app, "#review-expectations")
        assert not app.query_one("#review-comparison").display
        # The cursor's finding is shown in full under the list, on as many lines as it takes.
        detail = app.query_one("#review-finding-detail", Static)
        assert text_of(app, "#review-finding-detail").startswith("This statement allows iam:PassRole")
        assert detail.size.height >= 3
        assert detail.render_lines(detail.region.reset_offset)[-1].text.strip().endswith("}}).")


async def test_a_request_is_evaluated_against_the_policies_with_the_deciding_statement() -> None:
    app = Host(assess(Draft.from_preset("ec2", EC2)))
    async with app.run_test(size=(120, 60)) as pilot:
        await built(pilot)
        panel = app.query_one(ReviewPanel)
        action = app.query_one("#request-action", Input)
        action.focus()
        await pilot.press(*"xray:PutTraceSegments", "enter")
        await pilot.pause()
        decision = text_of(app, "#request-decision")
        assert "Decision: ALLOWED" in decision
        assert "Allowed by XRayDaemonWrite Statement[0] (Sid XRayDaemonWrite)" in decision
        assert panel.decision is not None and panel.decision.allowed
        assert app.query_one("#request-decision").has_class("-allowed")
        assert app.query_one("#request-decision").size.height >= len(decision.splitlines())

        action.value = "xray:DeleteGroup"
        app.query_one("#request-resource", Input).value = "arn:aws:xray:eu-west-1:123456789012:group/web/*"
        await pilot.press("enter")
        await pilot.pause()
        assert "Decision: DENIED (implicit deny" in text_of(app, "#request-decision")
        assert app.query_one("#request-decision").has_class("-denied")

        # A new assessment re-evaluates the request already tested.
        action.value = "xray:PutTraceSegments"
        app.query_one("#request-resource", Input).value = "*"
        await pilot.press("enter")
        await pilot.pause()
        assert panel.decision is not None and panel.decision.allowed
        edited = Draft.from_preset("ec2", EC2).editable().remove_action(0, "xray:PutTraceSegments")
        panel.show(assess(edited))
        await pilot.pause()
        assert panel.decision is not None and not panel.decision.allowed


async def test_bad_request_fields_say_which_field_and_what() -> None:
    app = Host(assess(Draft.from_preset("ec2", EC2)))
    async with app.run_test(size=(120, 60)) as pilot:
        await built(pilot)
        panel = app.query_one(ReviewPanel)
        app.query_one("#request-action", Input).value = "xray:GetGroup"
        app.query_one("#request-tags", Input).value = "team=web, stage"
        panel.test_request()
        await pilot.pause()
        assert "Request tags, pair 2 ('stage'): expected KEY=VALUE" in text_of(app, "#request-decision")
        assert app.query_one("#request-decision").has_class("-invalid")
        app.query_one("#request-tags", Input).value = ""
        app.query_one("#request-action", Input).value = "GetGroup"
        panel.test_request()
        await pilot.pause()
        assert panel.decision is None
        assert "GetGroup" in text_of(app, "#request-decision")


async def test_tags_reach_the_evaluator() -> None:
    preset = Draft.from_preset("group-admin", {"account": "123456789012", "region": "eu-west-1"})
    app = Host(assess(preset))
    async with app.run_test(size=(120, 60)) as pilot:
        await built(pilot)
        panel = app.query_one(ReviewPanel)
        app.query_one("#request-action", Input).value = "xray:CreateGroup"
        app.query_one("#request-tags", Input).value = "team=web"
        panel.test_request()
        await pilot.pause()
        assert panel.decision is not None
        assert panel.decision.request.get("aws:RequestTag/team") == "web"
        assert "aws:RequestTag/team=web" in text_of(app, "#request-decision")


async def test_action_names_complete_from_the_catalog() -> None:
    suggester = ActionSuggester()
    assert await suggester.get_suggestion("xray:getsamplingru") == "xray:GetSamplingRules"
    assert await suggester.get_suggestion("xray:nosuch") is None


def test_parse_tags() -> None:
    assert parse_tags(" team = web , stage=prod,", "Request tags") == {"team": "web", "stage": "prod"}
    assert parse_tags("", "Request tags") == {}


async def test_focusing_the_panel_lands_where_keys_work() -> None:
    with_findings = assess(Draft.from_text((CORPUS / "security_passrole_star.json").read_text("utf-8")))
    app = Host(with_findings)
    async with app.run_test(size=(120, 50)) as pilot:
        await built(pilot)
        panel = app.query_one(ReviewPanel)
        panel.focus()
        await pilot.pause()
        assert app.focused is app.query_one(FindingsList)
        # With no findings too: the findings stay in view, and "t" reaches the request form.
        panel.show(assess(Draft.from_preset("ec2", EC2)))
        panel.focus()
        await pilot.pause()
        assert app.focused is app.query_one(FindingsList)
        assert panel.scroll_y == 0
        await pilot.press("t")
        await pilot.pause()
        assert app.focused is app.query_one("#request-action", Input)
