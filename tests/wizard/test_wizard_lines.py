"""The wizard with answers on standard input: one per line, plain text, never looping.

Subprocess tests run ``python -m xraybuilder`` the way a script or CI log would, with
standard input a pipe; the rest drive the line reader in-process.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xraybuilder.cli import main
from xraybuilder.wizard.lines import LineAsker
from xraybuilder.wizard.session import EXIT_USAGE, run_wizard

ACCOUNT = "123456789012"
LAMBDA_ANSWERS = f"lambda\n{ACCOUNT}\neu-west-1\n"
ESCAPE = "\x1b"


@pytest.fixture(autouse=True)
def empty_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the developer's own presets out of these tests."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XRAYBUILDER_CONFIG_DIR", str(folder))
    return folder


def run_cli(argv: list[str], answers: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m xraybuilder ARGV`` with ``answers`` piped on standard input."""
    environment = {**os.environ, "TERM": "xterm-256color", **env}
    if "NO_COLOR" not in env:
        environment.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "xraybuilder", *argv],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
    )


def new_output(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["new", *argv])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


def run_lines(answers: str) -> tuple[int, str, str]:
    """The wizard in-process with piped answers: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    asker = LineAsker(io.StringIO(answers), err, interactive=False)
    code = run_wizard(stdout=out, stderr=err, asker=asker)
    return code, out.getvalue(), err.getvalue()


def test_issue_example_prints_the_lambda_policy(capsys: pytest.CaptureFixture[str]) -> None:
    proc = run_cli(["wizard"], LAMBDA_ANSWERS)
    assert proc.returncode == 0, proc.stderr
    expected = new_output(["lambda", "-p", f"account={ACCOUNT}", "-p", "region=eu-west-1"], capsys)
    assert proc.stdout == expected
    assert json.loads(proc.stdout)["identity_policy"]["Statement"][0]["Sid"] == "XRayActiveTracing"
    # The transcript: each question with the answer given, defaults taken for the rest.
    assert "Account ID [none]: 123456789012\n" in proc.stderr
    assert "Role name [xray-lambda]: \n" in proc.stderr
    assert ESCAPE not in proc.stdout + proc.stderr


def test_no_color_keeps_the_transcript_plain(capsys: pytest.CaptureFixture[str]) -> None:
    proc = run_cli(["wizard"], LAMBDA_ANSWERS, NO_COLOR="1")
    assert proc.returncode == 0, proc.stderr
    assert ESCAPE not in proc.stdout + proc.stderr
    assert proc.stdout == new_output(["lambda", "-p", f"account={ACCOUNT}", "-p", "region=eu-west-1"], capsys)


@pytest.mark.parametrize(
    ("term", "argv", "reason"),
    [
        ("dumb", [], "TERM=dumb cannot show the full-screen builder"),
        ("xterm-256color", [], "standard input is not a terminal"),
        ("xterm-256color", ["--plain"], "--plain"),
    ],
)
def test_xraybuilder_alone_falls_back_to_the_wizard(
    term: str, argv: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = run_cli(argv, LAMBDA_ANSWERS, TERM=term)
    assert proc.returncode == 0, proc.stderr
    first, _, rest = proc.stderr.partition("\n")
    assert first.startswith("xraybuilder: ") and reason in first
    assert "line-mode wizard" in first
    assert rest.startswith("Scenario: lambda\n")
    assert proc.stdout == new_output(["lambda", "-p", f"account={ACCOUNT}", "-p", "region=eu-west-1"], capsys)


def test_invalid_piped_answer_ends_with_the_question_and_the_value() -> None:
    proc = run_cli(["wizard"], "lambda\n12345\neu-west-1\n")
    assert proc.returncode == EXIT_USAGE
    assert proc.stdout == ""
    last = proc.stderr.strip().splitlines()[-1]
    assert last == (
        "xraybuilder wizard: error: question 'Account ID': answer '12345': "
        "an account ID has exactly 12 digits, like 123456789012; '12345' has 5"
    )
    assert "Traceback" not in proc.stderr


def test_running_out_of_answers_without_a_default_ends_with_status_2() -> None:
    # encryption-admin needs the KMS key's ARN and has no default for it.
    code, out, err = run_lines("encryption-admin\n\neu-west-1\n")
    assert code == EXIT_USAGE
    assert out == ""
    assert err.strip().splitlines()[-1] == (
        "xraybuilder wizard: error: question 'KMS key ARN': "
        "no answer left on standard input, and it has no default"
    )


def test_no_answers_at_all_ends_at_the_first_question() -> None:
    code, out, err = run_lines("")
    assert (code, out) == (EXIT_USAGE, "")
    assert "question 'Scenario': no answer left" in err


def test_unknown_scenario_names_the_closest() -> None:
    code, _, err = run_lines("lamda\n")
    assert code == EXIT_USAGE
    assert "answer 'lamda': unknown scenario 'lamda'. Did you mean 'lambda'?" in err


def test_region_decides_the_partition_and_the_partition_is_not_asked() -> None:
    code, out, err = run_lines(f"ec2\n{ACCOUNT}\ncn-north-1\n")
    assert code == 0, err
    assert "Partition" not in err
    assert json.loads(out)["parameters"]["partition"] == "aws-cn"


def test_without_a_region_the_partition_is_asked() -> None:
    code, out, err = run_lines("lambda\n\n\naws-us-gov\n")
    assert code == 0, err
    assert "Partition [aws]: aws-us-gov\n" in err
    assert json.loads(out)["trust_policy"]["Statement"][0]["Principal"]["Service"] == "lambda.amazonaws.com"
    assert json.loads(out)["parameters"]["partition"] == "aws-us-gov"


def test_question_mark_explains_and_reads_the_next_line() -> None:
    code, _, err = run_lines(f"lambda\n?\n{ACCOUNT}\n")
    assert code == 0
    assert "The 12-digit number of the AWS account" in err
    assert err.count("Account ID [none]:") == 2


def test_interactive_line_terminal_explains_a_bad_answer_and_asks_again() -> None:
    # TERM=dumb with a person typing: no cursor control, but a bad answer is not fatal.
    err = io.StringIO()
    asker = LineAsker(io.StringIO(f"lambda\n12345\n{ACCOUNT}\neu-west-1\n"), err, interactive=True)
    out = io.StringIO()
    code = run_wizard(stdout=out, stderr=io.StringIO(), asker=asker)
    assert code == 0
    transcript = err.getvalue()
    assert "  an account ID has exactly 12 digits, like 123456789012; '12345' has 5\n" in transcript
    assert transcript.count("Account ID [none]: ") == 2
    assert json.loads(out.getvalue())["preset"] == "lambda"


def test_custom_statement_from_piped_answers() -> None:
    answers = (
        f"custom\n{ACCOUNT}\nus-east-1\nxray:GetGroup, xray:UpdateGroup\n"
        f"arn:aws:xray:us-east-1:{ACCOUNT}:group/web/*\n"
        "aws:ResourceTag/team=web, aws:ResourceTag/team=api\n"
    )
    code, out, err = run_lines(answers)
    assert code == 0, err
    statement = json.loads(out)["identity_policy"]["Statement"][0]
    assert statement["Action"] == ["xray:GetGroup", "xray:UpdateGroup"]
    assert statement["Resource"] == [f"arn:aws:xray:us-east-1:{ACCOUNT}:group/web/*"]
    assert statement["Condition"] == {"StringEquals": {"aws:ResourceTag/team": ["web", "api"]}}
    # The review shows the summary the core writes.
    assert "What it allows (1 statement)" in err


def test_custom_action_typo_is_refused_with_the_linter_message() -> None:
    code, out, err = run_lines("custom\n\nus-east-1\nxray:GetGroup, xray:PutTraceSegment\n")
    assert (code, out) == (EXIT_USAGE, "")
    assert 'Did you mean "xray:PutTraceSegments"?' in err
    assert "Statement[0].Action[1]" in err


def test_custom_condition_key_the_action_ignores_is_refused() -> None:
    answers = "custom\n\nus-east-1\nxray:PutTraceSegments\n\naws:ResourceTag/team=web\n"
    code, _, err = run_lines(answers)
    assert code == EXIT_USAGE
    assert "question 'Tag conditions'" in err
    assert "is not in the request context of" in err
    assert "Statement[0].Condition.StringEquals" in err


def test_custom_condition_needs_key_equals_value() -> None:
    code, _, err = run_lines("custom\n\nus-east-1\nxray:GetGroup\n\nteam\n")
    assert code == EXIT_USAGE
    assert "'team': write KEY=VALUE, like aws:ResourceTag/team=web" in err


def test_findings_are_shown_before_the_export() -> None:
    code, out, err = run_lines("custom\n\nus-east-1\nxray:DeleteGroup\n\n\n")
    assert code == 0
    assert "1 finding: 1 suggestion\n" in err
    assert "suggestion RESOURCE_STAR" in err
    assert err.index("1 finding: 1 suggestion") < err.index("Export [json]:")
    assert json.loads(out)["identity_policy"]["Statement"][0]["Resource"] == ["*"]


def test_export_in_another_format_prints_that_format() -> None:
    from xraybuilder.core.bundle import build
    from xraybuilder.core.export import render

    code, out, err = run_lines(f"lambda\n{ACCOUNT}\neu-west-1\n\n\n\n\nterraform\n")
    assert code == 0, err
    expected = render(build("lambda", {"account": ACCOUNT, "region": "eu-west-1"}), "terraform")
    assert out == expected


def test_save_writes_files_and_asks_before_replacing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    # A folder that is not there yet: asked first; no keeps the disk as it was.
    answers = f"lambda\n{ACCOUNT}\neu-west-1\n\n\n\n\nsave\njson\n{folder}\nno\ndone\n"
    code, out, err = run_lines(answers)
    assert code == 0, err
    assert f"{folder} does not exist. Create it? [yes]:" in err
    assert "Nothing saved." in err
    assert not folder.exists()
    # Enter accepts the default (yes): the folder is made and the files saved.
    answers = f"lambda\n{ACCOUNT}\neu-west-1\n\n\n\n\nsave\njson\n{folder}\n\ndone\n"
    code, out, err = run_lines(answers)
    assert code == 0, err
    assert out == ""
    policy = json.loads((folder / "policy.json").read_text("utf-8"))
    assert policy["Statement"][0]["Sid"] == "XRayActiveTracing"
    before = (folder / "policy.json").read_bytes()
    # Again into the same folder: asked, refused (Enter means no), nothing replaced.
    answers = f"lambda\n{ACCOUNT}\neu-west-1\n\n\n\nfalse\nsave\njson\n{folder}\n\ndone\n"
    code, _, err = run_lines(answers)
    assert code == 0
    assert "already exist. Replace them? [no]:" in err
    assert "Nothing saved." in err
    assert (folder / "policy.json").read_bytes() == before


def test_profile_merge_reads_the_secret_without_showing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.session

    credentials = tmp_path / "credentials"
    config = tmp_path / "config"
    credentials.write_text("[other]\naws_access_key_id = AKIAOTHEROTHEROTHER2\n", "utf-8")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    key_id = "AKIAIOSFODNN7EXAMPLE"
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    answers = f"local-dev\n{ACCOUNT}\neu-west-1\n\n\n\n\nprofile\n\n\n{key_id}\n{secret}\nyes\ndone\n"
    code, out, err = run_lines(answers)
    assert code == 0, err
    assert secret not in out + err
    assert "Added profile xray-dev." in err
    session = botocore.session.Session(profile="xray-dev")
    found = session.get_credentials()
    assert (found.access_key, found.secret_key) == (key_id, secret)
    assert session.get_config_variable("region") == "eu-west-1"
    assert credentials.read_text("utf-8").startswith("[other]\naws_access_key_id = AKIAOTHEROTHEROTHER2\n")
    # Again with other keys: the wizard says the profile exists; Enter keeps it as it is.
    before = credentials.read_bytes()
    other = "AKIAI44QHZDHBEXAMPLE"
    answers = f"local-dev\n{ACCOUNT}\neu-west-1\n\n\n\n\nprofile\n\n\n{other}\n{secret}\n\ndone\n"
    code, out, err = run_lines(answers)
    assert code == 0, err
    assert "Profile xray-dev already exists: replace it? [no]:" in err
    assert "Nothing written." in err
    assert credentials.read_bytes() == before
    assert secret not in out + err


def test_wizard_never_imports_textual() -> None:
    probe = (
        "import io, sys\n"
        "from xraybuilder.cli import main\n"
        f"sys.stdin = io.StringIO({LAMBDA_ANSWERS!r})\n"
        "sys.stdout = io.StringIO()\n"
        "code = main(['wizard'])\n"
        # A scripted run needs no prompt-toolkit either; the prompts load it.
        "scripted = 'prompt_toolkit' in sys.modules\n"
        "import xraybuilder.wizard.terminal\n"
        "sys.stdout = sys.__stdout__\n"
        "print(code, scripted, 'prompt_toolkit' in sys.modules,\n"
        "      sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 False True []"


def test_copy_without_a_clipboard_says_why_and_offers_to_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    target = tmp_path / "lambda.sh"
    answers = f"lambda\n{ACCOUNT}\neu-west-1\n\n\n\n\ncopy\naws-cli\n\naws-cli\n{target}\ndone\n"
    code, out, err = run_lines(answers)
    assert code == 0, err
    assert "No clipboard here: " in err
    assert "Save to a file instead? [yes]:" in err
    assert target.read_text("utf-8").startswith("#!")


def test_review_lists_managed_policies_and_expectations() -> None:
    from xraybuilder.core.assess import assess
    from xraybuilder.core.draft import Draft

    code, out, err = run_lines("ec2\n\n\n\n\nmanaged\n")
    assert code == 0, err
    assessment = assess(Draft.from_preset("ec2", {"region": "us-east-1", "policy": "managed"}))
    assert assessment.bundle is not None
    arns = assessment.bundle.managed_policy_arns
    assert "Managed policies to attach\n" + "".join(f"  {a}\n" for a in arns) in err
    total = len(assessment.expectations)
    assert total > 0
    assert f"Expected requests: {total} of {total} behave as the scenario says" in err
    assert json.loads(out)["managed_policy_arns"] == list(arns)


class Keyboard(io.StringIO):
    """Text that says it comes from a terminal, as a person's keyboard does."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("term", "lines"), [("xterm-256color", True), ("dumb", False), ("unknown", False)])
def test_plain_lines_on_a_terminal_for_screen_readers_and_dumb_terminals(
    term: str, lines: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xraybuilder.wizard.session import choose_asker

    monkeypatch.setenv("TERM", term)
    screen = Keyboard()
    asker = choose_asker(Keyboard(), screen, io.StringIO(), lines=lines)
    assert isinstance(asker, LineAsker)
    # A person is typing: a bad answer is explained and asked again, on the terminal.
    assert asker.interactive and asker.out is screen
