"""Policy strings with variables and wildcards: ``arn:…:group/${aws:username}/*``.

A policy string is read once into a :class:`Template` of pieces: literal text, the
``*`` and ``?`` wildcards, and :class:`Variable` references. Resolving a template
against a request replaces each variable with the request's value, as literal text:
a ``*`` inside a user name never becomes a wildcard, and neither do the ``${*}``,
``${?}`` and ``${$}`` escapes.

IAM's rules, as its User Guide ("IAM policy elements: Variables and tags") states them:

* variables work only in policies whose ``Version`` is ``2012-10-17``; otherwise (and
  when ``Version`` is missing) ``${…}`` is literal text;
* key names are case-insensitive;
* ``${key, 'default'}`` gives a value for when the request has no such key;
* a key the request does not have (and that has no default) cannot be resolved: "any
  attempt to match it fails and causes the statement to be invalid", so a statement
  holding such a variable never applies, whatever else it says; a multivalued key cannot
  be used as a variable, and neither can a malformed ``${…}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from xraybuilder.core.patterns import QMARK, STAR, Wildcard

VARIABLES_VERSION = "2012-10-17"


@dataclass(frozen=True, slots=True)
class Variable:
    """A ``${…}`` reference; ``problem`` says why it can never resolve (bad syntax)."""

    text: str
    key: str
    default: str | None = None
    problem: str | None = None

    @property
    def lookup_key(self) -> str:
        return self.key.lower()


Piece = str | Wildcard | Variable
# A resolved template has no variables left: literal text and wildcards only.
Resolved = tuple[str | Wildcard, ...]
Lookup = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Template:
    """A policy string read into pieces."""

    text: str
    pieces: tuple[Piece, ...]
    has_variables: bool

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(p for p in self.pieces if isinstance(p, Variable))


class Unresolved(Exception):
    """A template cannot be resolved; ``reason`` says which variable and why."""

    def __init__(self, variable: Variable, reason: str) -> None:
        super().__init__(reason)
        self.variable = variable
        self.reason = reason


_ESCAPES = {"*": "*", "?": "?", "$": "$"}


@lru_cache(maxsize=8192)
def parse_template(text: str, *, variables: bool, wildcards: bool) -> Template:
    """Read ``text`` into pieces; ``variables``/``wildcards`` say which syntax is live."""
    pieces: list[Piece] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            pieces.append("".join(buf))
            buf.clear()

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if variables and ch == "$" and text.startswith("${", i):
            end = text.find("}", i + 2)
            if end == -1:
                # IAM reports a missing brace as an error; here "${" is plain text.
                buf.append("$")
                i += 1
                continue
            inner = text[i + 2 : end]
            if inner in _ESCAPES:
                buf.append(_ESCAPES[inner])
            else:
                flush()
                pieces.append(_variable(text[i : end + 1], inner))
            i = end + 1
            continue
        if wildcards and ch in "*?":
            flush()
            pieces.append(STAR if ch == "*" else QMARK)
        else:
            buf.append(ch)
        i += 1
    flush()
    return Template(text, tuple(pieces), any(isinstance(p, Variable) for p in pieces))


def _variable(text: str, inner: str) -> Variable:
    key, comma, rest = inner.partition(",")
    key = key.strip()
    if not key:
        return Variable(text, "", problem=f"{text} names no key")
    if any(c.isspace() for c in key):
        return Variable(text, key, problem=f"{text} has a space in its key")
    if not comma:
        return Variable(text, key)
    rest = rest.strip()
    if len(rest) < 2 or not (rest.startswith("'") and rest.endswith("'")):
        return Variable(text, key, problem=f"{text} has a default value that is not in single quotes")
    return Variable(text, key, default=rest[1:-1].replace("''", "'"))


def unresolvable(variable: Variable, lookup: Lookup) -> str | None:
    """Why ``variable`` cannot be filled from the request, or None when it can."""
    if variable.problem is not None:
        return variable.problem
    if variable.default is None and lookup(variable.lookup_key) is None:
        return f"{variable.text} needs {variable.key}, which the request does not have"
    return None


def resolve(template: Template, lookup: Lookup) -> Resolved:
    """Replace variables with request values; raises Unresolved when one has no value."""
    if not template.has_variables:
        return template.pieces  # type: ignore[return-value]  # no Variable pieces
    out: list[str | Wildcard] = []
    for piece in template.pieces:
        if isinstance(piece, Variable):
            if piece.problem is not None:
                raise Unresolved(piece, piece.problem)
            value = lookup(piece.lookup_key)
            if value is None:
                if piece.default is None:
                    raise Unresolved(
                        piece, f"{piece.text} needs {piece.key}, which the request does not have"
                    )
                value = piece.default
            piece = value
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + piece
        else:
            out.append(piece)
    return tuple(out)


def resolved_text(resolved: Resolved) -> str:
    """A resolved template as plain text (wildcards written back as ``*``/``?``)."""
    return "".join(p if isinstance(p, str) else p.char for p in resolved)
