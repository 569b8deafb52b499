"""Textual validators that wrap the core's parameter checks, so forms say what the CLI says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.validation import ValidationResult, Validator

if TYPE_CHECKING:
    from textual.widgets import Static

    from xraybuilder.core.scenarios import Parameter


def field_message(result: ValidationResult | None) -> str:
    """The line under a field for its validation: ``✗`` and the first problem, or nothing."""
    return "" if result is None or result.is_valid else "✗ " + result.failure_descriptions[0]


def set_field_message(message: Static, text: str) -> None:
    """Show a field's message; an unchanged one is left alone (an update asks for a layout)."""
    if str(message.content) != text:
        message.update(text)
    message.set_class(bool(text), "-error")


class ParameterValidator(Validator):
    """Checks one preset parameter's text with ``core.scenarios.parse_value``.

    Empty text means "use the default", which is valid unless the parameter is required.
    """

    def __init__(self, parameter: Parameter) -> None:
        super().__init__()
        self.parameter = parameter

    def validate(self, value: str) -> ValidationResult:
        if value == "" and self.parameter.type != "tag_value":
            if self.parameter.required and self.parameter.default is None:
                return self.failure("required: type a value")
            return self.success()
        from xraybuilder.core.scenarios import parse_value

        try:
            parse_value(self.parameter, value)
        except ValueError as err:
            return self.failure(str(err))
        return self.success()


class ArnPartValidator(Validator):
    """Checks one part of an ARN being built (partition, region, account, name) with ``core.arn``."""

    def __init__(self, part: str, partition: str = "aws", service: str = "xray") -> None:
        super().__init__()
        self.part = part
        self.partition = partition
        self.service = service

    def validate(self, value: str) -> ValidationResult:
        from xraybuilder.core.arn import validate_field

        problem = validate_field(self.part, value, partition=self.partition, service=self.service)
        return self.failure(problem) if problem else self.success()
