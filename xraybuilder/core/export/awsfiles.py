"""Reading ``~/.aws/credentials`` and ``~/.aws/config`` exactly as botocore reads them.

botocore parses both files with the standard library's ``RawConfigParser`` at its default
settings, then reads indented blocks under an empty key as ``key = value`` sub-settings.
``check`` runs that same parser, so a file it accepts is a file botocore accepts, and
turns each refusal into a message naming the file and the line. It never quotes the
offending line: in a credentials file that line may hold a secret key.

``scan`` then labels every line the way that parser sees it (header, key, continuation,
comment, blank) so an editor can change one section and leave every other byte alone.
"""

from __future__ import annotations

import configparser
import io
import re
import shlex
from dataclasses import dataclass, field

# The default patterns of configparser.RawConfigParser, which botocore uses unchanged.
SECTION_HEADER = re.compile(r"\[(?P<header>.+)\]")
OPTION = re.compile(r"(?P<option>.*?)\s*(?P<vi>[=:])\s*(?P<value>.*)$")
NON_SPACE = re.compile(r"\S")
COMMENT_PREFIXES = ("#", ";")
# Python reads these files with universal newlines, so a lone CR also ends a line.
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
DEFAULT_SECTION = configparser.DEFAULTSECT


class FileProblem(Exception):
    """botocore would refuse the file; ``line`` is 1-based, or None for the whole file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def split_lines(text: str) -> list[str]:
    """Lines with their own line ends (``\\r\\n``, ``\\r`` or ``\\n``), as Python reads a file."""
    return LINE.findall(text)


def line_end(line: str) -> str:
    """The line end of ``line`` ("" for a last line without one)."""
    if line.endswith("\r\n"):
        return "\r\n"
    if line.endswith(("\r", "\n")):
        return line[-1]
    return ""


def dominant_line_end(lines: list[str]) -> str:
    """The line end most lines use, ``\\n`` for a file without any."""
    counts: dict[str, int] = {}
    for line in lines:
        end = line_end(line)
        if end:
            counts[end] = counts.get(end, 0) + 1
    if not counts:
        return "\n"
    return max(counts, key=lambda end: (counts[end], end == "\n"))


def decode(data: bytes) -> str:
    """The file's text; FileProblem with the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise FileProblem("is not UTF-8 text", line) from None


def parse(text: str) -> dict[str, dict[str, str]]:
    """Sections and their keys as botocore sees them; FileProblem where it would refuse.

    Each section lists the keys it inherits from ``[DEFAULT]`` too, as botocore sees
    them; ``[DEFAULT]`` itself appears only when it holds something.
    """
    parser = configparser.RawConfigParser()
    try:
        parser.read_file(io.StringIO(text, newline=None))
    except configparser.Error as err:
        raise _problem(_earliest(err, text), split_lines(text)) from None
    parsed: dict[str, dict[str, str]] = {}
    if parser.defaults():
        # Every section inherits these; listed so a caller can predict a new section.
        parsed[DEFAULT_SECTION] = dict(parser.defaults())
    for section in parser.sections():
        parsed[section] = {}
        for option in parser.options(section):
            value = parser.get(section, option)
            if value.startswith("\n"):
                _check_nested(text, section, option, value)
            parsed[section][option] = value
    return parsed


def _earliest(err: configparser.Error, text: str) -> configparser.Error:
    # The parser collects malformed lines and reports them at the end, but stops at once
    # on a repeated section or key; a malformed line above that is the real culprit
    # (an unterminated "[dev" makes the keys below it repeat the previous section's).
    if isinstance(err, configparser.ParsingError | configparser.MissingSectionHeaderError):
        return err
    lenient = configparser.RawConfigParser(strict=False)
    try:
        lenient.read_file(io.StringIO(text, newline=None))
    except configparser.ParsingError as bad:
        if bad.errors and bad.errors[0][0] < getattr(err, "lineno", 0):
            return bad
    except configparser.Error:
        pass
    return err


def _problem(err: configparser.Error, lines: list[str]) -> FileProblem:
    if isinstance(err, configparser.MissingSectionHeaderError):
        if err.lineno == 1 and lines and lines[0].startswith("\ufeff"):
            return FileProblem("starts with a byte-order mark, which botocore cannot read", 1)
        return FileProblem("has a line before the first [section] header", err.lineno)
    if isinstance(err, configparser.DuplicateSectionError):
        return FileProblem(
            f"repeats the section [{err.section}] (botocore refuses the whole file)", err.lineno
        )
    if isinstance(err, configparser.DuplicateOptionError):
        return FileProblem(
            f"repeats the key {err.option} in section [{err.section}] (botocore refuses the whole file)",
            err.lineno,
        )
    if isinstance(err, configparser.ParsingError):
        numbers = [number for number, _ in err.errors]
        first = numbers[0]
        text = lines[first - 1].strip() if first <= len(lines) else ""
        if text.startswith("[") and "]" not in text:
            what = "has a section header without its closing ']'"
        else:
            what = "has a line that is neither a [section] header nor key = value"
        more = ""
        if len(numbers) > 1:
            more = f" (lines {', '.join(str(n) for n in numbers[1:])} too)"
        return FileProblem(what + more, first)
    return FileProblem(f"cannot be read ({type(err).__name__})")


def _check_nested(text: str, section: str, option: str, value: str) -> None:
    # botocore reads an indented block under an empty key as key = value lines and
    # refuses the file when one of them has no '='.
    if all("=" in part for part in value.splitlines() if part.strip()):
        return
    number = None
    for item in scan(text).lines:
        if (
            item.kind == "continuation"
            and item.section == section
            and item.option == option
            and "=" not in item.text
        ):
            number = item.number
            break
    raise FileProblem(f"has a line without '=' in the indented block under {option}", number)


@dataclass(frozen=True)
class Line:
    """One line of the file and what the parser makes of it."""

    number: int  # 1-based
    text: str = field(repr=False)  # with its line end; may hold a secret
    kind: str  # "blank" | "comment" | "header" | "option" | "continuation"
    section: str | None  # the section the line belongs to (None before the first header)
    option: str | None  # for "option" and "continuation": the key, lower-cased as botocore does
    indent: str  # the leading white space


@dataclass(frozen=True)
class Scan:
    """A file's lines, labelled."""

    lines: tuple[Line, ...]

    def headers(self) -> list[Line]:
        """Every section header line, in file order."""
        return [line for line in self.lines if line.kind == "header"]


def scan(text: str) -> Scan:
    """Label each line as RawConfigParser does (the file must already ``parse``)."""
    out: list[Line] = []
    section: str | None = None
    option: str | None = None
    indent_level = 0
    for number, raw in enumerate(split_lines(text), start=1):
        stripped = raw.strip()
        match = NON_SPACE.search(raw)
        indent = raw[: match.start()] if match else raw[: len(raw) - len(line_end(raw))]
        if not stripped or stripped.startswith(COMMENT_PREFIXES):
            kind = "comment" if stripped else "blank"
            out.append(Line(number, raw, kind, section, option, indent))
            continue
        level = len(indent) if match else 0
        if section is not None and option and level > indent_level:
            out.append(Line(number, raw, "continuation", section, option, indent))
            continue
        indent_level = level
        header = SECTION_HEADER.match(stripped)
        if header:
            section = header.group("header")
            option = None
            out.append(Line(number, raw, "header", section, None, indent))
            continue
        found = OPTION.match(stripped)
        option = found.group("option").rstrip().lower() if found else stripped.lower()
        out.append(Line(number, raw, "option", section, option, indent))
    return Scan(tuple(out))


def config_profile_name(section: str) -> str | None:
    """The profile a config-file section defines, as botocore decides; None if none.

    ``[default]`` and ``[profile NAME]`` (shell-style quoting allowed) are profiles;
    any other section (``[sso-session x]``, ``[services y]``, ``[dev]``) is not.
    """
    if section == "default":
        return "default"
    if not section.startswith("profile"):
        return None
    try:
        parts = shlex.split(section)
    except ValueError:
        return None
    return parts[1] if len(parts) == 2 else None
