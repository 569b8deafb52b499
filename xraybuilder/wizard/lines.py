"""Asking questions one plain line at a time: scripted input, dumb terminals, screen readers.

No colour, no cursor movement, nothing but the question, its default and what was
answered. From a pipe, a bad answer or running out of answers ends the wizard
(``NoAnswer``) instead of asking again, so a script can never loop forever.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from xraybuilder.wizard.questions import Choice, Question, question_help

HELP_WORD = "?"
DISCARD = Question(
    "discard",
    "Discard your answers and quit?",
    question_help("confirm"),
    "no",
    lambda answer: None if answer.lower() in ("y", "yes", "n", "no") else "answer yes or no",
    (Choice("yes"), Choice("no")),
)


class NoAnswer(Exception):
    """Scripted input that cannot go on: the question, the value given (None: none left), why."""

    def __init__(self, question: Question, value: str | None, reason: str) -> None:
        self.question = question
        self.value = value
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        asked = f"question {self.question.text!r}"
        if self.value is None:
            return f"{asked}: {self.reason}"
        shown = "(hidden)" if self.question.secret else repr(self.value)
        return f"{asked}: answer {shown}: {self.reason}"


class Discard(Exception):
    """The person chose to quit and discard the answers."""


def help_text(question: Question) -> str:
    """What ``?`` shows: the explanation, then the choices when there are few."""
    lines = [question.help]
    if question.choices and len(question.choices) <= 12:
        lines.append("Choices: " + ", ".join(c.word for c in question.choices))
    if question.default:
        lines.append(f"Enter keeps {question.default}.")
    return "\n".join(lines)


class LineAsker:
    """Reads one answer per line from ``stdin``; questions and messages go to ``out``.

    ``interactive`` (a person at a terminal without cursor control): a bad answer is
    explained and the question asked again. Otherwise (a pipe): the first bad answer,
    or the end of input where there is no default, raises ``NoAnswer``.
    """

    def __init__(self, stdin: TextIO, out: TextIO, *, interactive: bool) -> None:
        self.stdin = stdin
        self.out = out
        self.interactive = interactive

    def say(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    def ask(self, question: Question, status: Callable[[str], str] | None = None) -> str:
        """The typed answer (stripped), once the question's check accepts it."""
        del status  # a line terminal has no toolbar
        while True:
            self.out.write(question.prompt())
            self.out.flush()
            try:
                line = self._read(question)
            except KeyboardInterrupt:
                self.out.write("\n")
                # From a pipe there is no one to ask: an interrupt ends the run.
                if not self.interactive or self.confirm_discard():
                    raise Discard from None
                continue
            if not line:
                self.out.write("\n")
                if question.default is None:
                    if self.interactive and not self.confirm_discard():
                        continue
                    raise NoAnswer(question, None, "no answer left on standard input, and it has no default")
                typed = ""
            else:
                typed = line.rstrip("\r\n").strip()
                if not self.interactive:
                    # Echo what the script answered, so the transcript reads like a session.
                    self.out.write(("*" * 8 if question.secret and typed else typed) + "\n")
            if typed == HELP_WORD:
                self.say(help_text(question))
                continue
            problem = question.check(question.resolve_answer(typed))
            if problem is None:
                return typed
            if not self.interactive:
                raise NoAnswer(question, question.resolve_answer(typed), problem)
            self.say(f"  {problem}")

    def _read(self, question: Question) -> str:
        if question.secret and self.interactive:
            import getpass

            # getpass writes the prompt again itself: step back over ours first.
            self.out.write("\r")
            try:
                return getpass.getpass(question.prompt(), stream=self.out) + "\n"
            except EOFError:
                return ""
        return self.stdin.readline()

    def confirm_discard(self) -> bool:
        """Ask before throwing the answers away; end of input counts as yes."""
        self.out.write(DISCARD.prompt())
        self.out.flush()
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            return True
        return not line or line.strip().lower() in ("y", "yes")
