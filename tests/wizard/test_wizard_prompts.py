"""The wizard's prompt-toolkit prompts, driven through a real pipe input.

Each seed scenario runs end to end and must print exactly what ``xraybuilder new``
prints for the same answers; a bad answer shows the core's message and the prompt
stays; ctrl+c asks before it discards.
"""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from xraybuilder.cli import main
from xraybuilder.wizard.session import EXIT_DISCARDED, run_wizard
from xraybuilder.wizard.terminal import TerminalAsker

ACCOUNT = "123456789012"
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ADMIN_ARN = "arn:aws:iam::123456789012:role/XRayAdmin"
ENTER = "\r"
CTRL_C = "\x03"
CTRL_U = "\x15"  # erase the line

# scenario -> (answers in the wizard's order, the same choices as `new` arguments).
# Empty answers take the default; the last answer is the export choice (Enter: JSON).
SEED_SCENARIOS: dict[str, tuple[list[str], list[str]]] = {
    "console-read": (
        ["console-read", "", "", "aws-cn", "managed", ""],
        ["partition=aws-cn", "policy=managed"],
    ),
    "local-dev": (
        ["local-dev", ACCOUNT, "eu-west-1", "dev-user", "", "", "xray-local", ""],
        [f"account={ACCOUNT}", "region=eu-west-1", "user_name=dev-user", "profile=xray-local"],
    ),
    "ec2": (
        ["ec2", "", "cn-north-1", "", "", "managed", "", "none", ""],
        ["region=cn-north-1", "partition=aws-cn", "policy=managed", "daemon_download=none"],
    ),
    "ecs": (
        ["ecs", ACCOUNT, "us-gov-west-1", "instance", "ecs-xray", "", "", "", ""],
        [f"account={ACCOUNT}", "region=us-gov-west-1", "partition=aws-us-gov", "daemon=instance"]
        + ["role_name=ecs-xray"],
    ),
    "beanstalk": (
        ["beanstalk", "", "", "", "xray-eb", "", "managed", ""],
        ["role_name=xray-eb", "policy=managed"],
    ),
    "lambda": (
        ["lambda", ACCOUNT, "eu-west-1", "", "", "", "false", ""],
        [f"account={ACCOUNT}", "region=eu-west-1", "basic_execution=false"],
    ),
    "encryption-admin": (
        ["encryption-admin", "", "eu-west-1", "", KEY_ARN, ADMIN_ARN, "", "", "", "yes", "", ""],
        ["region=eu-west-1", f"kms_key_arn={KEY_ARN}", f"admin_arn={ADMIN_ARN}", "require_mfa=yes"],
    ),
}


@pytest.fixture(autouse=True)
def empty_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the developer's own presets out of these tests."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XRAYBUILDER_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def new_output(scenario: str, params: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    argv = ["new", scenario]
    for param in params:
        argv += ["-p", param]
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


@pytest.mark.parametrize("scenario", sorted(SEED_SCENARIOS))
def test_seed_scenario_end_to_end_equals_new(
    scenario: str, pipe: PipeInput, capsys: pytest.CaptureFixture[str]
) -> None:
    answers, params = SEED_SCENARIOS[scenario]
    pipe.send_text("".join(a + ENTER for a in answers))
    out, err = io.StringIO(), io.StringIO()
    code = run_wizard(stdout=out, stderr=err, asker=TerminalAsker(input=pipe, output=DummyOutput()))
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue() == new_output(scenario, params, capsys)


def test_every_seed_scenario_of_the_readme_is_covered() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    for scenario in SEED_SCENARIOS:
        assert scenario in readme


class KnownHeightOutput(Vt100_Output):
    """A VT100 terminal that knows where its cursor is, as a real one answers the
    cursor-position request; prompt-toolkit draws bottom toolbars only then."""

    def get_rows_below_cursor_position(self) -> int:
        return 30


class Screen:
    """A real VT100 output into memory, read back as text without escape sequences."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.output = KnownHeightOutput(
            self.buffer, lambda: Size(rows=40, columns=160), term="xterm", enable_cpr=False
        )

    def text(self) -> str:
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", "", self.buffer.getvalue())

    def wait_for(self, needle: str, after: int = 0, limit: float = 20.0) -> bool:
        """Whether ``needle`` shows up after position ``after`` (waits for the render)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if needle in self.text()[after:]:
                return True
            time.sleep(0.02)
        return False


def drive(pipe: PipeInput, steps: list[tuple[str, str | None]], screen: Screen) -> Callable[[], list[bool]]:
    """Type each step's text once the screen shows its cue; returns which cues appeared."""
    seen: list[bool] = []

    def feed() -> None:
        for text, cue in steps:
            if cue is not None:
                seen.append(screen.wait_for(cue))
            pipe.send_text(text)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()

    def join() -> list[bool]:
        thread.join(timeout=30)
        return seen

    return join


def test_bad_answer_shows_the_core_message_and_the_prompt_stays(pipe: PipeInput) -> None:
    screen = Screen()
    message = "an account ID has exactly 12 digits, like 123456789012; '12345' has 5"
    join = drive(
        pipe,
        [
            ("lambda" + ENTER + "12345" + ENTER, None),
            # The answer is refused: the message shows, the same question stays open.
            (CTRL_U + ACCOUNT + ENTER + "eu-west-1" + ENTER + ENTER * 5, message),
        ],
        screen,
    )
    out = io.StringIO()
    code = run_wizard(stdout=out, stderr=io.StringIO(), asker=TerminalAsker(input=pipe, output=screen.output))
    assert join() == [True]
    assert code == 0
    text = screen.text()
    after_message = text[text.index(message) :]
    # The account question is answered after the message, with the corrected value.
    assert f"Account ID [none]: {ACCOUNT}" in after_message
    assert '"role_name": "xray-lambda"' in out.getvalue()


def test_question_mark_explains_the_question(pipe: PipeInput) -> None:
    screen = Screen()
    pipe.send_text("?lambda" + ENTER + ACCOUNT + ENTER + "eu-west-1" + ENTER + ENTER * 5)
    code = run_wizard(
        stdout=io.StringIO(), stderr=io.StringIO(), asker=TerminalAsker(input=pipe, output=screen.output)
    )
    assert code == 0
    assert "A scenario is a common way of giving X-Ray permissions" in screen.text()


def test_question_mark_inside_an_answer_is_text(pipe: PipeInput) -> None:
    # "?" is an IAM wildcard: typed after other text, it goes into the answer.
    pipe.send_text(
        "custom" + ENTER + ENTER + "us-east-1" + ENTER + "xray:GetGroup?" + ENTER + ENTER + ENTER + ENTER
    )
    out = io.StringIO()
    code = run_wizard(stdout=out, stderr=io.StringIO(), asker=TerminalAsker(input=pipe, output=DummyOutput()))
    assert code == 0
    assert '"xray:GetGroup?"' in out.getvalue()


def test_ctrl_c_asks_before_discarding(pipe: PipeInput) -> None:
    screen = Screen()
    pipe.send_text(
        "lambda"
        + ENTER
        + CTRL_C
        + "no"
        + ENTER  # keep going: the account is asked again
        + CTRL_C
        + "yes"
        + ENTER
    )
    err = io.StringIO()
    code = run_wizard(stdout=io.StringIO(), stderr=err, asker=TerminalAsker(input=pipe, output=screen.output))
    assert code == EXIT_DISCARDED
    text = screen.text()
    kept = text.index("Discard your answers and quit? [no]: no")
    # After "no" the same question is asked again; after "yes" the wizard ends.
    assert "Account ID [none]:" in text[kept:]
    assert "Discard your answers and quit? [no]: yes" in text[kept:]
    assert "answers discarded" in err.getvalue()


def test_toolbar_counts_the_findings_of_the_answer_being_typed(pipe: PipeInput) -> None:
    screen = Screen()
    # An empty statement is an error; with a resource-level action on "*" the core
    # only suggests a resource ARN. The toolbar follows while the action is typed.
    join = drive(
        pipe,
        [
            ("custom" + ENTER + ENTER + "us-east-1" + ENTER, None),
            ("xray:DeleteGroup", "Actions:"),
            # The terminal is redrawn by difference: only the changed word is written.
            (ENTER * 4, "suggestion"),
        ],
        screen,
    )
    code = run_wizard(
        stdout=io.StringIO(), stderr=io.StringIO(), asker=TerminalAsker(input=pipe, output=screen.output)
    )
    assert join() == [True, True]
    assert code == 0
    text = screen.text()
    # Before a scenario is chosen there is nothing to count.
    assert "findings: none yet" in text
    actions = text.index("Actions:")
    changed = text.index("suggestion", actions)
    assert re.search(r"\d+ findings?: \d+ errors?", text[actions:changed])
    # ... and changed before the answer was accepted.
    assert "Resources [*]:" not in text[:changed]


def test_completion_is_fuzzy_over_the_choices(pipe: PipeInput) -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from xraybuilder.core.scenarios import load_library
    from xraybuilder.wizard.questions import Interview
    from xraybuilder.wizard.terminal import completer_for

    interview = Interview(load_library())
    completer = completer_for(interview.scenario_question())
    assert completer is not None
    words = [c.text for c in completer.get_completions(Document("lmbd"), CompleteEvent())]
    assert words[0] == "lambda"
    interview.scenario = "custom"
    actions = completer_for(interview.actions_question())
    assert actions is not None
    # In a list, only the item after the last comma is completed.
    found = [c.text for c in actions.get_completions(Document("xray:GetGroup, putseg"), CompleteEvent())]
    assert "xray:PutTraceSegments" in found
    assert "xray:GetGroup" not in found


def test_copy_sends_osc_52_to_the_terminal(pipe: PipeInput, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    from xraybuilder.core.bundle import build
    from xraybuilder.core.export import render

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    screen = Screen()
    answers = ["lambda", ACCOUNT, "eu-west-1", "", "", "", "", "copy", "terraform", "done"]
    pipe.send_text("".join(a + ENTER for a in answers))
    code = run_wizard(
        stdout=io.StringIO(), stderr=io.StringIO(), asker=TerminalAsker(input=pipe, output=screen.output)
    )
    assert code == 0
    sent = re.search(r"\x1b\]52;c;([A-Za-z0-9+/=]+)\a", screen.buffer.getvalue())
    assert sent is not None
    expected = render(build("lambda", {"account": ACCOUNT, "region": "eu-west-1"}), "terraform")
    assert base64.b64decode(sent.group(1)).decode("utf-8") == expected
    assert "Copied" in screen.text() and "(OSC 52)" in screen.text()
