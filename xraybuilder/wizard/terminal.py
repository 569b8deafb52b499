"""Asking questions with prompt-toolkit: completion, live validation, a toolbar, ``?`` for help.

The prompts wrap the same ``Question`` objects as the line reader; validation calls the
question's check, which is a core function. ``input``/``output`` can be given so tests
drive real prompts through a pipe.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import get_app, run_in_terminal
from prompt_toolkit.completion import Completer, DummyCompleter, FuzzyCompleter, WordCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import Output
from prompt_toolkit.validation import ValidationError, Validator

from xraybuilder.wizard.lines import DISCARD, HELP_WORD, Discard, help_text
from xraybuilder.wizard.questions import Question

# The item being typed: everything after the last comma or space (read backwards, as
# prompt-toolkit matches the text before the cursor reversed).
ITEM_BEFORE_CURSOR = r"^[^,\s]*"


class QuestionValidator(Validator):
    """A prompt-toolkit validator around a question's core check."""

    def __init__(self, question: Question) -> None:
        self.question = question

    def validate(self, document: Document) -> None:
        text = document.text
        if text.strip() == HELP_WORD:
            return
        problem = self.question.check(self.question.resolve_answer(text))
        if problem is not None:
            raise ValidationError(cursor_position=len(text), message=problem)


def completer_for(question: Question) -> Completer | None:
    """Fuzzy completion over the question's choices (the last item of a list)."""
    if not question.choices:
        return None
    words = WordCompleter(
        [c.word for c in question.choices],
        meta_dict={c.word: c.meta for c in question.choices if c.meta},
        ignore_case=True,
    )
    return FuzzyCompleter(words, pattern=ITEM_BEFORE_CURSOR)


class TerminalAsker:
    """Questions as prompt-toolkit prompts; messages printed through the same output."""

    def __init__(self, input: Input | None = None, output: Output | None = None) -> None:
        self.session: PromptSession[str] = PromptSession(input=input, output=output)

    def say(self, text: str) -> None:
        print_formatted_text(text.rstrip("\n"), output=self.session.output)

    def osc52(self, text: str) -> None:
        """Ask the terminal to put ``text`` on the clipboard (works over SSH where honoured)."""
        payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
        output = self.session.output
        output.write_raw(f"\x1b]52;c;{payload}\a")
        output.flush()

    def _bindings(self, question: Question) -> KeyBindings:
        bindings = KeyBindings()

        @bindings.add("?", filter=_empty_buffer())
        def _help(event: KeyPressEvent) -> None:
            # "?" on an empty line explains the question; anywhere else it is text
            # (a wildcard in an action name or an ARN).
            run_in_terminal(lambda: self.say(help_text(question)))

        return bindings

    def _prompt(self, question: Question, status: Callable[[str], str] | None) -> str:
        # Every setting is given each time: PromptSession keeps what a previous
        # prompt set when an argument is None.
        def toolbar() -> str:
            # The findings with the answer being typed, as the core counts them.
            return " " + status(get_app().current_buffer.text) if status is not None else ""

        return self.session.prompt(
            question.prompt(),
            completer=completer_for(question) or DummyCompleter(),
            complete_while_typing=True,
            validator=QuestionValidator(question),
            validate_while_typing=True,
            bottom_toolbar=toolbar,
            key_bindings=self._bindings(question),
            is_password=question.secret,
            default="",
        )

    def ask(self, question: Question, status: Callable[[str], str] | None = None) -> str:
        """The typed answer (stripped), once the question's check accepts it."""
        while True:
            try:
                typed = self._prompt(question, status)
            except (KeyboardInterrupt, EOFError):
                if self.confirm_discard():
                    raise Discard from None
                continue
            return typed.strip()

    def confirm_discard(self) -> bool:
        """Ask before throwing the answers away; a second ctrl+c counts as yes."""
        try:
            answer = self._prompt(DISCARD, None)
        except (KeyboardInterrupt, EOFError):
            return True
        return DISCARD.resolve_answer(answer).lower() in ("y", "yes")


def _empty_buffer() -> Condition:
    return Condition(lambda: get_app().current_buffer.text == "")
