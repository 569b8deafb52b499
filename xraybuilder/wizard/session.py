"""The wizard from the first question to the export.

Ask the questions in their fixed order, then show what ``assess()`` says about the
draft (findings, policy, summary), then export with the core's renderers. The only
result written to standard output is the export; questions, findings and messages go
to the terminal (or to standard error when answers come from a pipe), so
``… | xraybuilder wizard > policy.json`` gives exactly what ``xraybuilder new`` prints.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

from xraybuilder.core.scenarios import load_library
from xraybuilder.wizard.lines import Discard, LineAsker, NoAnswer
from xraybuilder.wizard.questions import CUSTOM, Choice, Interview, Question, help_texts, question_help

if TYPE_CHECKING:
    from collections.abc import Callable

    from xraybuilder.core.assess import Assessment
    from xraybuilder.core.bundle import Bundle

PROG = "xraybuilder wizard"
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DISCARDED = 130
PRINT_DEFAULT = "json"
DONE = "done"
SEVERITY_WORDS = (
    ("error", "error", "errors"),
    ("security_warning", "security warning", "security warnings"),
    ("warning", "warning", "warnings"),
    ("suggestion", "suggestion", "suggestions"),
)


class Asker(Protocol):
    """What the session needs from a way of asking: the prompts or the line reader."""

    def ask(self, question: Question, status: Callable[[str], str] | None = None) -> str: ...

    def say(self, text: str) -> None: ...


def counts_text(assessment: Assessment | None) -> str:
    """``3 findings: 1 error, 2 warnings`` — the toolbar's words."""
    if assessment is None:
        return "findings: none yet (choose a scenario)"
    counts = assessment.counts()
    parts = []
    for key, one, many in SEVERITY_WORDS:
        n = counts.get(key, 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    total = sum(counts.get(key, 0) for key, _, _ in SEVERITY_WORDS)
    head = "no findings" if not total else f"{total} finding{'s' if total > 1 else ''}: " + ", ".join(parts)
    problems = len(assessment.parameter_problems)
    if problems:
        head = f"{problems} parameter problem{'s' if problems > 1 else ''}, {head}"
    return head


def review_text(assessment: Assessment) -> str:
    """What the core says about the draft, as plain text: problems, findings, documents,
    managed policies to attach, expectations and the summary."""
    from xraybuilder.core.lint.output import format_finding

    blocks: list[str] = []
    if assessment.parameter_problems:
        blocks.append("\n".join(f"{p.where}: {p.message}" for p in assessment.parameter_problems))
    if assessment.findings:
        lines = [counts_text(assessment).capitalize()]
        lines.extend(format_finding(f.document, f.finding) for f in assessment.findings)
        blocks.append("\n".join(lines))
    for doc in assessment.documents:
        blocks.append(f"{doc.title}\n{doc.text.rstrip()}")
    bundle = assessment.bundle
    if bundle is not None and bundle.managed_policy_arns:
        arns = "\n".join(f"  {arn}" for arn in bundle.managed_policy_arns)
        blocks.append(f"Managed policies to attach\n{arns}")
    if assessment.expectations:
        held = sum(e.holds for e in assessment.expectations)
        lines = [f"Expected requests: {held} of {len(assessment.expectations)} behave as the scenario says"]
        for result in assessment.expectations:
            if not result.holds:
                wanted = "allowed" if result.expectation.allowed else "denied"
                lines.append(f"  not {wanted}: {result.expectation.describe()} ({result.outcome})")
        blocks.append("\n".join(lines))
    if assessment.summary is not None:
        blocks.append(assessment.summary.render_text().rstrip())
    return "\n\n".join(blocks) + "\n"


def yes_no(text: str, default: str = "no") -> Question:
    def check(answer: str) -> str | None:
        return None if answer.lower() in ("y", "yes", "n", "no") else "answer yes or no"

    return Question("confirm", text, question_help("confirm"), default, check, (Choice("yes"), Choice("no")))


def is_yes(answer: str) -> bool:
    return answer.lower() in ("y", "yes")


@dataclass
class Session:
    """One run of the wizard."""

    asker: Asker
    stdout: TextIO
    interview: Interview

    def typed(self, question: Question) -> str:
        """What was typed; the toolbar counts the findings with the answer being typed."""
        counted: dict[str, str] = {}

        def status(text: str) -> str:
            # Once per distinct text, and only when a toolbar asks: a line reader never does.
            if question.secret:
                text = ""  # a secret is never kept, not even as a cache key
            if text not in counted:
                counted[text] = counts_text(self.interview.trial(question, text).assessment())
            return counted[text]

        return self.asker.ask(question, status)

    def ask(self, question: Question) -> str:
        """The answer Enter stands for (the default when nothing was typed)."""
        return question.resolve_answer(self.typed(question))

    def run(self) -> int:
        for question in self.interview.questions():
            self.interview.record(question, self.typed(question))
        assessment = self.interview.assessment()
        assert assessment is not None
        self.asker.say(review_text(assessment))
        bundle = self.bundle(assessment)
        if bundle is None:
            self.asker.say("Nothing to export: fix the problems above.")
            return EXIT_USAGE
        return self.export(bundle)

    def bundle(self, assessment: Assessment) -> Bundle | None:
        """The preset's bundle, or the custom policy wrapped as one."""
        if assessment.bundle is not None:
            return assessment.bundle
        identity = assessment.document("identity")
        if self.interview.scenario != CUSTOM or identity is None or identity.policy is None:
            return None
        from xraybuilder.core.export import bundle_for_policy

        return bundle_for_policy(identity.policy, partition=self.interview.params.get("partition", "aws"))

    # -- the export choice ---------------------------------------------------------------

    def export_question(self, bundle: Bundle, default: str) -> Question:
        from xraybuilder.core.export import FORMATS, TITLES

        choices = [Choice(fmt, "print " + TITLES.get(fmt, fmt)) for fmt in FORMATS]
        choices += [Choice("save", "save to a file"), Choice("copy", "copy to the clipboard")]
        if bundle.access_keys:
            choices.append(Choice("profile", "add access keys to ~/.aws"))
        choices.append(Choice(DONE, "end"))
        words = [c.word for c in choices]

        def check(answer: str) -> str | None:
            return None if answer in words else f"{answer!r} is not one of: {', '.join(words)}"

        return Question("export", "Export", question_help("export"), default, check, tuple(choices))

    def export(self, bundle: Bundle) -> int:
        from xraybuilder.core.export import FORMATS, render

        default = PRINT_DEFAULT
        while True:
            choice = self.ask(self.export_question(bundle, default))
            if choice in FORMATS:
                text = render(bundle, choice)
                self.stdout.write(text if text.endswith("\n") else text + "\n")
                self.stdout.flush()
                return EXIT_OK
            if choice == DONE:
                return EXIT_OK
            if choice == "save":
                self.save(bundle)
            elif choice == "copy":
                self.copy(bundle)
            elif choice == "profile":
                self.add_profile(bundle)
            default = DONE

    def format_question(self) -> Question:
        from xraybuilder.core.export import FORMATS, TITLES

        choices = tuple(Choice(fmt, TITLES.get(fmt, fmt)) for fmt in FORMATS)

        def check(answer: str) -> str | None:
            return None if answer in FORMATS else f"{answer!r} is not one of: {', '.join(FORMATS)}"

        return Question("format", "Format", question_help("format"), PRINT_DEFAULT, check, choices)

    def save(self, bundle: Bundle) -> None:
        """Save one format: one file, or a folder of files; ask before replacing any."""
        from xraybuilder.core.export import render_files
        from xraybuilder.core.export.save import SaveError, expand, save_text

        files = render_files(bundle, self.ask(self.format_question()))
        single = len(files) == 1
        default = next(iter(files)) if single else f"xray-{bundle.preset_id}"
        where = Question(
            "file",
            "Save to file" if single else "Save into folder",
            question_help("file"),
            default,
            lambda answer: None if answer else "give a file name",
        )
        target = expand(self.ask(where))
        paths = {target: next(iter(files.values()))} if single else {target / n: t for n, t in files.items()}
        folder = target.parent if single else target
        if not folder.exists():
            if not is_yes(self.ask(yes_no(f"{folder} does not exist. Create it?", "yes"))):
                self.asker.say("Nothing saved.")
                return
        taken = [p for p in paths if p.exists()]
        overwrite = False
        if taken:
            listed = ", ".join(str(p) for p in taken)
            verb = "exists" if len(taken) == 1 else "exist"
            if not is_yes(self.ask(yes_no(f"{listed} already {verb}. Replace them?"))):
                self.asker.say("Nothing saved.")
                return
            overwrite = True
        try:
            for path, text in paths.items():
                save_text(path, text, overwrite=overwrite, make_parents=True)
                self.asker.say(f"Saved {path}")
        except SaveError as err:
            self.asker.say(f"Not saved: {err}")

    def copy(self, bundle: Bundle) -> None:
        """Copy one format as the TUI does (OSC 52, then pyperclip); when neither works, offer to save."""
        from xraybuilder.core.export import render
        from xraybuilder.core.export.clipboard import copy_text

        text = render(bundle, self.ask(self.format_question()))
        result = copy_text(text, osc52=getattr(self.asker, "osc52", None))
        self.asker.say(result.message)
        if not result.ok and is_yes(self.ask(yes_no("Save to a file instead?", "yes"))):
            self.save(bundle)

    def add_profile(self, bundle: Bundle) -> None:
        """Merge access keys into ~/.aws: the secret in a hidden prompt, the diff masked, confirmed."""
        from xraybuilder.core.export.profiles import (
            ProfileError,
            apply_profile,
            check_access_key_id,
            check_profile_name,
            check_secret_access_key,
            plan_profile,
        )

        def core_check(check: Callable[[str], None]) -> Callable[[str], str | None]:
            def run(answer: str) -> str | None:
                try:
                    check(answer)
                except ProfileError as err:
                    return str(err)
                return None

            return run

        params = bundle.parameters_text()
        name = self.ask(
            Question(
                "profile",
                "Profile name",
                help_texts()["type"]["profile_name"],
                params.get("profile"),
                core_check(check_profile_name),
            )
        )
        region = self.ask(
            Question(
                "region",
                "Region",
                question_help("region"),
                params.get("region") or self.interview.params.get("region"),
                lambda answer: None if answer else "give a Region, like us-east-1",
            )
        )
        key_id = self.ask(
            Question(
                "key_id", "Access key ID", question_help("key_id"), None, core_check(check_access_key_id)
            )
        )
        secret = self.ask(
            Question(
                "secret",
                "Secret access key",
                question_help("secret"),
                None,
                core_check(check_secret_access_key),
                secret=True,
            )
        )
        try:
            plan = plan_profile(name, key_id, secret, region)
        except ProfileError as err:
            self.asker.say(f"Not added: {err}")
            return
        self.asker.say(plan.diff(masked=True) or "The files already hold exactly this profile.")
        for note in plan.notes:
            self.asker.say(note)
        confirm = f"Profile {name} already exists: replace it?" if plan.replaces else "Write these changes?"
        if not is_yes(self.ask(yes_no(confirm))):
            self.asker.say("Nothing written.")
            return
        try:
            for message in apply_profile(plan):
                self.asker.say(message)
        except ProfileError as err:
            self.asker.say(f"Not added: {err}")
            return
        self.asker.say(f"Added profile {name}.")


def choose_asker(stdin: TextIO, stdout: TextIO, stderr: TextIO, *, lines: bool = False) -> Asker:
    """Prompts on a capable terminal unless ``lines``; plain lines otherwise (to stderr when
    not a terminal)."""
    from xraybuilder.commands.wizard import DUMB_TERMINALS

    # Decided without importing prompt-toolkit: scripted runs never need it.
    in_tty, out_tty = stdin.isatty(), stdout.isatty()
    if in_tty and out_tty and not lines and os.environ.get("TERM", "").lower() not in DUMB_TERMINALS:
        from xraybuilder.wizard.terminal import TerminalAsker

        return TerminalAsker()
    return LineAsker(stdin, stdout if in_tty and out_tty else stderr, interactive=in_tty)


def run_wizard(
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    asker: Asker | None = None,
    lines: bool = False,
) -> int:
    """Run the wizard; 0 when done, 2 for scripted answers that cannot go on, 130 when discarded."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    library = load_library()
    for err in library.errors:
        print(f"{PROG}: warning: preset not loaded: {err}", file=stderr)
    session = Session(asker or choose_asker(stdin, stdout, stderr, lines=lines), stdout, Interview(library))
    try:
        return session.run()
    except NoAnswer as err:
        print(f"{PROG}: error: {err}", file=stderr)
        return EXIT_USAGE
    except Discard:
        print(f"{PROG}: answers discarded", file=stderr)
        return EXIT_DISCARDED
