"""The one way a policy gets in: a file, standard input (``-``) or an AWS managed policy name.

One encoding policy for every command: IAM takes UTF-8 text only, so

* UTF-16 and UTF-32 (with or without a byte-order mark) are refused and named as such;
* bytes that are not UTF-8 are refused with the line and column of the first one;
* a UTF-8 byte-order mark is decoded like any recoverable JSON slip (a comment, a
  trailing comma): the reader reports it as a :class:`Slip` and carries on, because
  IAM would reject the text but the author's intent is clear.

IAM refuses any policy document over :data:`MAX_DOCUMENT_CHARACTERS` characters (the
``PolicyDocument`` length limit of the IAM API), so anything larger is refused before it
is parsed: nothing later has to cope with multi-megabyte text.

Every failure is one exception type, :class:`PolicyLoadError`, carrying the source name
and, when there is one, the line and column.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, Any

from xraybuilder.core.policy.model import Policy, PolicyShapeError
from xraybuilder.core.policy.source import Parsed, Path, parse_json

STDIN = "-"
STDIN_NAME = "<stdin>"
MAX_DOCUMENT_CHARACTERS = 131_072

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


class PolicyLoadError(Exception):
    """A policy that cannot be read; says which source, where in it (when known) and why."""

    def __init__(self, source: str, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.message = message
        self.line = line
        self.column = column

    @property
    def where(self) -> str:
        """``file:line:column`` (or just ``file``)."""
        if self.line is None:
            return self.source
        return f"{self.source}:{self.line}:{self.column}"

    @property
    def detail(self) -> str:
        """The message with its position in words, for reports that name the file elsewhere."""
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Slip:
    """A mistake IAM would reject but that leaves the meaning clear (a comment, a BOM…)."""

    source: str
    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: warning: {self.message}"


@dataclass(frozen=True)
class SourceText:
    """Decoded policy text and the name to show for it (``<stdin>`` for ``-``)."""

    name: str
    text: str


@dataclass(frozen=True)
class LoadedPolicy:
    """A policy ready to use, with the recoverable slips found while reading it."""

    name: str
    policy: Policy
    slips: tuple[Slip, ...] = ()
    parsed: Parsed | None = None
    """The parsed text (None for a managed policy), to locate later problems."""

    def error_at(self, error: PolicyShapeError) -> PolicyLoadError:
        """A shape problem found after loading, located in this policy's text."""
        return _shape_error(self.name, self.parsed, error)


def display_name(spec: str) -> str:
    """The name messages use for ``spec``: ``<stdin>`` for ``-``, else ``spec`` itself."""
    return STDIN_NAME if spec == STDIN else spec


def decode(data: bytes, name: str) -> str:
    """Policy text from raw bytes under the one encoding policy (see the module docstring)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise PolicyLoadError(name, f"the file is {encoding} encoded; IAM policies must be UTF-8")
    wide = _wide_encoding(data)
    if wide is not None:
        raise PolicyLoadError(name, f"the file is {wide} encoded; IAM policies must be UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        line = data.count(b"\n", 0, err.start) + 1
        # Columns count characters, like every other position we report.
        column = len(data[line_start : err.start].decode("utf-8")) + 1
        raise PolicyLoadError(
            name,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, told by where the zero bytes fall.

    JSON text starts with an ASCII character, so its first code unit has zero bytes in
    a fixed pattern (RFC 4627, section 3).
    """
    head = data[:4]
    if len(head) < 2 or 0 not in head:
        return None
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return "UTF-32"
    if len(head) == 4 and head[0] and head[1:] == b"\0\0\0":
        return "UTF-32"
    if head[0] == 0 and head[1]:
        return "UTF-16"
    if head[0] and head[1] == 0:
        return "UTF-16"
    return None


def _too_long(name: str, size: str) -> PolicyLoadError:
    return PolicyLoadError(
        name,
        f"the document has {size}; IAM refuses any policy document over "
        f"{MAX_DOCUMENT_CHARACTERS:,} characters",
    )


def _read_bytes(spec: str, stdin: IO[Any] | None, limit: int | None, kind: str) -> bytes | str:
    """The raw content of ``spec`` (a text stream may give ``str``), read up to the limit."""
    # A UTF-8 character is at most four bytes (plus a three-byte BOM): more bytes than
    # this cannot decode to a document within the limit, so the rest is never read.
    cap = -1 if limit is None else 4 * limit + 4
    name = display_name(spec)
    if spec == STDIN:
        import sys

        stream: IO[Any] = stdin if stdin is not None else sys.stdin
        binary = getattr(stream, "buffer", None)
        data = (binary if binary is not None else stream).read(cap)
        if limit is not None and len(data) >= cap:
            raise _too_long(name, f"more than {cap - 1:,} bytes")
        return data  # type: ignore[no-any-return]
    try:
        with open(spec, "rb") as handle:
            if limit is not None:
                size = os.fstat(handle.fileno()).st_size
                if size >= cap:
                    raise _too_long(name, f"{size:,} bytes")
            data = handle.read(cap)
    except FileNotFoundError:
        raise PolicyLoadError(name, "no such file") from None
    except IsADirectoryError:
        raise PolicyLoadError(name, f"is a directory, not a {kind}") from None
    except PermissionError:
        raise PolicyLoadError(name, "permission denied") from None
    except OSError as err:
        raise PolicyLoadError(name, err.strerror or str(err)) from None
    if limit is not None and len(data) >= cap:  # a pipe or device: no size until read
        raise _too_long(name, f"more than {cap - 1:,} bytes")
    return data


def read_text(
    spec: str,
    *,
    stdin: IO[Any] | None = None,
    limit: int | None = MAX_DOCUMENT_CHARACTERS,
    kind: str = "policy file",
) -> SourceText:
    """The decoded text of a file or of standard input (``-``).

    ``limit`` is the most characters accepted (IAM's document limit by default; None
    for files that are not policies, such as a requests file), ``kind`` what the file
    should be, for messages.
    """
    name = display_name(spec)
    data = _read_bytes(spec, stdin, limit, kind)
    text = data if isinstance(data, str) else decode(data, name)
    if limit is not None and len(text) > limit:
        raise _too_long(name, f"{len(text):,} characters")
    return SourceText(name, text)


def parse_policy(text: str, name: str) -> LoadedPolicy:
    """A policy from its text; fatal JSON and shape problems raise PolicyLoadError."""
    parsed = parse_json(text)
    slips: list[Slip] = []
    for problem in parsed.problems:
        span = parsed.source_map.offset_span(problem.offset, problem.end)
        if problem.fatal:
            raise PolicyLoadError(name, problem.message, span.line, span.column)
        slips.append(Slip(name, problem.message, span.line, span.column))
    try:
        policy = Policy.from_json(parsed.value)
    except PolicyShapeError as err:
        raise _shape_error(name, parsed, err) from None
    return LoadedPolicy(name, policy, tuple(slips), parsed)


def load_policy(spec: str, *, stdin: IO[Any] | None = None, managed: bool = True) -> LoadedPolicy:
    """The policy named by ``spec``: a file, ``-`` or (with ``managed``) an AWS managed policy.

    A path that exists is always read as a file; otherwise ``spec`` is looked up as the
    name or ARN of an AWS managed X-Ray policy.
    """
    if managed and spec != STDIN and not os.path.exists(spec):
        from xraybuilder.core.managed import managed_policies, managed_policy

        found = managed_policy(spec)
        if found is not None:
            return LoadedPolicy(found.name, found.policy)
        known = ", ".join(sorted(managed_policies()))
        raise PolicyLoadError(spec, f"no such file, and not an AWS managed X-Ray policy ({known})")
    source = read_text(spec, stdin=stdin)
    return parse_policy(source.text, source.name)


def _shape_error(name: str, parsed: Parsed | None, error: PolicyShapeError) -> PolicyLoadError:
    if parsed is None:
        return PolicyLoadError(name, str(error))
    # An unknown element is best shown at its key; other problems at the value.
    path: Path = error.path
    span = parsed.source_map.span(path, key=error.message.startswith("unknown"))
    return PolicyLoadError(name, str(error), span.line, span.column)
