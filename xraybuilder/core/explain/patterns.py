"""Set logic over IAM wildcard patterns: does one set of resources (or actions) cover another?

A pattern is what IAM matches a request against: ``*`` for any run of characters, ``?``
for one character, ``${*}``/``${?}``/``${$}`` for the literal characters, and policy
variables such as ``${aws:username}``. A :class:`Scope` is a union of patterns, or, for
``NotResource``/``NotAction``, everything *except* a union of patterns.

The questions asked here ("is every string in A also in B?", "can A and B share a
string?") are answered exactly for these languages by walking the product of the
patterns' automata over a finite alphabet: the literal characters that occur in any
pattern plus one stand-in for every other character. A policy variable is treated as
one opaque symbol, matched only by the same variable or by ``*``: its value is not
known until the request, so nothing narrower can be said to cover it.

Wildcards mean what :mod:`xraybuilder.core.patterns` says (``*`` and ``?`` only), and
resource patterns that are ARNs are read the way it matches them: in the first five
colon-separated parts a wildcard never crosses a colon, except a final ``*`` in a
pattern that stops before the sixth part (``arn:aws:xray:*`` covers every X-Ray ARN).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from xraybuilder.core.patterns import ARN_PARTS

# Token kinds: a literal character, ``?``, ``*``, and their forms that never match a
# colon (inside the first five parts of an ARN), and a policy variable.
LIT, ONE, STAR, SEGMENT, ONE_IN_SEGMENT, VAR = "lit", "one", "star", "seg", "oneseg", "var"

Token = tuple[str, str]
Pattern = tuple[Token, ...]

_OTHER = "\x00other"
_VAR_PREFIX = "\x00var:"
_ESCAPES = {"${*}": "*", "${?}": "?", "${$}": "$"}
_PIECE = re.compile(r"\$\{[^}]*\}|.", re.S)
_TEMPLATE_PART = re.compile(r"(\$\{[^}]+\})")


@lru_cache(maxsize=4096)
def parse(text: str, *, variables: bool = True, fold_case: bool = False, arn: bool = False) -> Pattern:
    """Tokens of an IAM pattern; with ``variables=False`` (Version 2008-10-17) ``${…}`` is literal.

    ``arn=True`` reads a resource pattern starting with ``arn:`` part by part.
    """
    if fold_case:
        text = text.lower()
    tokens = _tokens(text, variables)
    return _by_segment(tokens) if arn and text.startswith("arn:") else tokens


def _by_segment(tokens: Pattern) -> Pattern:
    out: list[Token] = []
    colons = 0
    last = len(tokens) - 1
    for i, (kind, value) in enumerate(tokens):
        in_resource_part = colons >= ARN_PARTS - 1
        if kind == LIT:
            colons += value == ":"
        elif kind == STAR and not in_resource_part and i != last:
            kind = SEGMENT
        elif kind == ONE and not in_resource_part:
            kind = ONE_IN_SEGMENT
        out.append((kind, value))
    return tuple(out)


def _tokens(text: str, variables: bool) -> Pattern:
    out: list[Token] = []
    for m in _PIECE.finditer(text):
        piece = m.group()
        if piece == "*":
            out.append((STAR, ""))
        elif piece == "?":
            out.append((ONE, ""))
        elif len(piece) > 1 and variables:
            if piece in _ESCAPES:
                out.append((LIT, _ESCAPES[piece]))
            else:
                out.append((VAR, piece[2:-1].lower()))
        else:
            out.extend((LIT, c) for c in piece)
    return tuple(out)


@lru_cache(maxsize=256)
def template_pattern(arn_template: str) -> Pattern:
    """The pattern of every ARN a catalog template (``arn:${Partition}:xray:…``) describes."""
    out: list[Token] = []
    for piece in _TEMPLATE_PART.split(arn_template):
        if piece in ("${Partition}", "${Region}", "${Account}"):
            out.append((SEGMENT, ""))
        elif piece.startswith("${"):
            out.append((STAR, ""))
        else:
            out.extend((LIT, c) for c in piece)
    return tuple(out)


LITERAL_STAR: Pattern = ((LIT, "*"),)
"""The resource of a request for an action that takes no ARN: the literal string ``*``."""


@dataclass(frozen=True, slots=True)
class Scope:
    """A union of patterns, or (``negated``) everything except that union."""

    patterns: tuple[Pattern, ...]
    negated: bool = False

    @classmethod
    def of(
        cls,
        texts: tuple[str, ...],
        *,
        negated: bool = False,
        variables: bool = True,
        fold_case: bool = False,
        arn: bool = False,
    ) -> Scope:
        """Scope from pattern strings as written in a policy (``arn=True`` for resources)."""
        return cls(tuple(parse(t, variables=variables, fold_case=fold_case, arn=arn) for t in texts), negated)


EVERYTHING = Scope((), negated=True)


def covered(subject: tuple[Scope, ...], by: tuple[Scope, ...]) -> bool:
    """True when every string in all of ``subject`` (an intersection) is in one of ``by``."""
    return witness(subject, by) is None


def overlaps(*scopes: Scope) -> bool:
    """True when some string is in every one of ``scopes``."""
    return witness(tuple(scopes), ()) is not None


def render(pattern: Pattern) -> str:
    """Pattern back to IAM text (for messages)."""
    out = []
    for kind, value in pattern:
        if kind == LIT:
            out.append({"*": "${*}", "?": "${?}"}.get(value, value))
        elif kind in (ONE, ONE_IN_SEGMENT):
            out.append("?")
        elif kind == VAR:
            out.append("${" + value + "}")
        else:
            out.append("*")
    return "".join(out)


# A state of the product automaton: the (pattern index, position) pairs still alive.
_State = frozenset[tuple[int, int]]


def _closure(patterns: list[Pattern], pairs: set[tuple[int, int]]) -> _State:
    todo = list(pairs)
    seen = set(pairs)
    while todo:
        k, pos = todo.pop()
        pattern = patterns[k]
        if pos < len(pattern) and pattern[pos][0] in (STAR, SEGMENT) and (k, pos + 1) not in seen:
            seen.add((k, pos + 1))
            todo.append((k, pos + 1))
    return frozenset(seen)


def _step(patterns: list[Pattern], state: _State, symbol: str) -> _State:
    nxt: set[tuple[int, int]] = set()
    is_var = symbol.startswith(_VAR_PREFIX)
    for k, pos in state:
        pattern = patterns[k]
        if pos >= len(pattern):
            continue
        kind, value = pattern[pos]
        if kind == STAR or (kind == SEGMENT and symbol != ":"):
            nxt.add((k, pos))
        elif kind == ONE and not is_var:
            nxt.add((k, pos + 1))
        elif kind == ONE_IN_SEGMENT and not is_var and symbol != ":":
            nxt.add((k, pos + 1))
        elif kind == LIT and symbol == value:
            nxt.add((k, pos + 1))
        elif kind == VAR and symbol == _VAR_PREFIX + value:
            nxt.add((k, pos + 1))
    return _closure(patterns, nxt) if nxt else frozenset()


def _symbols(patterns: list[Pattern], state: _State) -> list[str]:
    # Every character no live position names behaves like every other such character,
    # so one stand-in (_OTHER) speaks for all of them; ":" is special to segments.
    out = {":", _OTHER}
    for k, pos in state:
        if pos < len(patterns[k]):
            kind, value = patterns[k][pos]
            if kind == LIT:
                out.add(value)
            elif kind == VAR:
                out.add(_VAR_PREFIX + value)
    return sorted(out)


def _stand_in(literals: set[str]) -> str:
    # A character no pattern names, to spell out "any other character" in a witness.
    return next(c for c in "xyzqjkw0123456789" + "".join(map(chr, range(0x100, 0x200))) if c not in literals)


@lru_cache(maxsize=8192)
def _fixed_ends(pattern: Pattern) -> tuple[str, str]:
    """The literal text a pattern starts and ends with (before/after its first/last wildcard)."""
    kinds = [kind == LIT for kind, _ in pattern]
    head = kinds.index(False) if False in kinds else len(pattern)
    tail = kinds[::-1].index(False) if False in kinds else len(pattern)
    return ("".join(v for _, v in pattern[:head]), "".join(v for _, v in pattern[len(pattern) - tail :]))


def _may_meet(a: Pattern, b: Pattern) -> bool:
    """False when two patterns surely share no string: their fixed starts or ends disagree."""
    (ha, ta), (hb, tb) = _fixed_ends(a), _fixed_ends(b)
    return (ha.startswith(hb) or hb.startswith(ha)) and (ta.endswith(tb) or tb.endswith(ta))


def _prune(subject: tuple[Scope, ...], by: tuple[Scope, ...]) -> tuple[tuple[Scope, ...], tuple[Scope, ...]]:
    # Only strings in the positive subject scopes matter, so any other pattern that
    # cannot meet them can go: this keeps the product automaton small when a grant is
    # checked against a long list of ARNs.
    anchors = [s.patterns for s in subject if not s.negated]
    if not anchors:
        return subject, by

    def keep(scope: Scope) -> Scope:
        """The scope without the patterns that cannot meet the subject."""
        if not scope.negated and scope in subject:
            return scope
        kept = tuple(
            p for p in scope.patterns if all(any(_may_meet(p, a) for a in group) for group in anchors)
        )
        return Scope(kept, scope.negated)

    return tuple(keep(s) for s in subject), tuple(keep(s) for s in by)


@lru_cache(maxsize=8192)
def witness(subject: tuple[Scope, ...], by: tuple[Scope, ...]) -> str | None:
    """A shortest string in every ``subject`` scope and in none of ``by``; None when none exists."""
    subject, by = _prune(subject, by)
    scopes = subject + by
    patterns = [p for s in scopes for p in s.patterns]
    owner: list[int] = [i for i, s in enumerate(scopes) for _ in s.patterns]
    n_subject = len(subject)
    positive_subjects = [i for i in range(n_subject) if not scopes[i].negated]

    def verdict(state: _State) -> tuple[bool, bool]:
        """(a string ending here is in every subject and no ``by`` scope, the state is dead)."""
        alive = {owner[k] for k, _ in state}
        if any(i not in alive for i in positive_subjects):
            return False, True
        final = {owner[k] for k, pos in state if pos == len(patterns[k])}
        hits = all((i in final) != scopes[i].negated for i in range(n_subject)) and not any(
            (i in final) != scopes[i].negated for i in range(n_subject, len(scopes))
        )
        return hits, False

    first = _closure(patterns, {(k, 0) for k in range(len(patterns))})
    parent: dict[_State, tuple[_State, str] | None] = {first: None}
    queue = deque([first])
    while queue:
        state = queue.popleft()
        hit, dead = verdict(state)
        if hit:
            return _spell(parent, state, patterns)
        if dead:
            continue
        for symbol in _symbols(patterns, state):
            nxt = _step(patterns, state, symbol)
            if nxt not in parent:
                parent[nxt] = (state, symbol)
                queue.append(nxt)
    return None


def _spell(parent: dict[_State, tuple[_State, str] | None], state: _State, patterns: list[Pattern]) -> str:
    symbols: list[str] = []
    link = parent[state]
    while link is not None:
        state, symbol = link
        symbols.append(symbol)
        link = parent[state]
    other = _stand_in({v for p in patterns for kind, v in p if kind == LIT})
    out = []
    for symbol in reversed(symbols):
        if symbol == _OTHER:
            out.append(other)
        elif symbol.startswith(_VAR_PREFIX):
            out.append("${" + symbol[len(_VAR_PREFIX) :] + "}")
        else:
            out.append(symbol)
    return "".join(out)
