"""Read JSON text into plain Python values and remember where every element came from.

IAM accepts strict JSON only, but a linter should say *everything* that is wrong, so
this reader recovers from the mistakes people make by hand (comments, trailing commas,
a byte-order mark, duplicate keys) and reports each as a :class:`SyntaxProblem`. Only
unrecoverable mistakes stop it, with the offset of the first one.

Valid documents take a fast path through the C-accelerated ``json`` module; the
position map is then built only when somebody asks for a position.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

PathPart = str | int
Path = tuple[PathPart, ...]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_BAREWORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_DIRECT_LOOKUPS = 16
_NO_COMMENTS = "Comments are not allowed in JSON policies: IAM rejects them."


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A mistake in the JSON text itself. ``fatal`` ones leave no usable document."""

    message: str
    offset: int
    end: int
    fatal: bool = False
    path: Path = ()


class _Fatal(Exception):
    def __init__(self, message: str, offset: int, end: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.end = offset + 1 if end is None else end


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class SourceMap:
    """Offsets of every value (and of every object member's key) by path."""

    text: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    _line_starts: list[int] | None = None
    _lookups: int = 0

    def _linecol(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._lookups += 1
            # A few lookups are cheaper counted directly than by indexing every line.
            if self._lookups <= _DIRECT_LOOKUPS:
                text = self.text
                return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def offset_span(self, start: int, end: int) -> Span:
        line, col = self._linecol(start)
        end_line, end_col = self._linecol(max(start, end))
        return Span(line, col, end_line, end_col)

    def item_spans(self, path: Path) -> list[tuple[int, int]]:
        """Offsets of each item of the list at ``path``, in order (none when there is none)."""
        values = self.values
        if path + (0,) not in values:  # indexes the list, in a lazy map
            return []
        out = []
        index = 0
        while (found := dict.get(values, path + (index,))) is not None:
            out.append(found)
            index += 1
        return out

    def span(self, path: Path, *, key: bool = False) -> Span:
        """Line/column span (1-based) of the value at ``path``, or of its key.

        A path that does not exist (an element that is missing) resolves to the
        nearest ancestor that does.
        """
        if key and path in self.keys:
            return self.offset_span(*self.keys[path])
        probe = path
        while probe not in self.values and probe:
            probe = probe[:-1]
        if probe in self.values:
            return self.offset_span(*self.values[probe])
        return Span(1, 1, 1, 1)


def _integer(text: str) -> int | float:
    """An integer literal; one too long for Python's int-string limit is read as a float.

    A float that long is infinite, which is how ``1e400`` is read too, so every number
    beyond float range means the same to the linter, the explainer and the evaluator.
    """
    try:
        return int(text)
    except ValueError:
        return float(text)


# The C scanner behind json.loads: returns (value, end) for the JSON value at an offset,
# which is how the lazy map skips a whole sibling without a Python loop over its text.
_SCAN = json.JSONDecoder(parse_int=_integer).scan_once  # type: ignore[attr-defined]


class _SpanDict(dict[Path, tuple[int, int]]):
    """Spans that fill themselves in: a lookup indexes only the containers on its path.

    Whole-map views (iteration, ``items()``, ``len()``) index the whole document first,
    so callers see an ordinary, complete dict.
    """

    def __init__(self, index: _LazyIndex) -> None:
        super().__init__()
        self._index = index

    def __contains__(self, path: object) -> bool:
        self._index.resolve(path)
        return dict.__contains__(self, path)

    def __getitem__(self, path: Path) -> tuple[int, int]:
        self._index.resolve(path)
        return dict.__getitem__(self, path)

    def get(self, path: Path, default: Any = None) -> Any:  # type: ignore[override]
        self._index.resolve(path)
        return dict.get(self, path, default)

    def __iter__(self) -> Iterator[Path]:
        self._index.complete()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._index.complete()
        return dict.__len__(self)

    def __eq__(self, other: object) -> bool:
        self._index.complete()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._index.complete()
        return dict.__repr__(self)

    def items(self) -> ItemsView[Path, tuple[int, int]]:  # type: ignore[override]
        self._index.complete()
        return dict.items(self)

    def keys(self) -> KeysView[Path]:  # type: ignore[override]
        self._index.complete()
        return dict.keys(self)

    def values(self) -> ValuesView[tuple[int, int]]:  # type: ignore[override]
        self._index.complete()
        return dict.values(self)


class _LazyIndex:
    """Indexes a valid JSON text one container at a time, on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.values = _SpanDict(self)
        self.keys = _SpanDict(self)
        self.children: dict[Path, list[Path]] = {}
        self.done = False
        # Valid JSON: the document is everything but the surrounding whitespace.
        start = _WS.match(text, 0).end()  # type: ignore[union-attr]
        dict.__setitem__(self.values, (), (start, len(text.rstrip(" \t\n\r"))))

    def resolve(self, path: object) -> None:
        """Index the containers along ``path`` (as far as it exists)."""
        if self.done or not isinstance(path, tuple):
            return
        for depth in range(len(path)):
            parent = path[:depth]
            if parent not in self.children:
                self._expand(parent)
            if not dict.__contains__(self.values, path[: depth + 1]):
                return

    def complete(self) -> None:
        """Index every container."""
        if self.done:
            return
        todo: list[Path] = [()]
        while todo:
            parent = todo.pop()
            todo.extend(self.children[parent] if parent in self.children else self._expand(parent))
        self.done = True

    def _expand(self, parent: Path) -> list[Path]:
        """Record the key and value spans of the direct members of the value at ``parent``."""
        text, values = self.text, self.values
        children: list[Path] = []
        self.children[parent] = children
        start = dict.__getitem__(values, parent)[0]
        opener = text[start]
        if opener not in "{[":
            return children
        ws = _WS.match
        pos = ws(text, start + 1).end()  # type: ignore[union-attr]
        if opener == "{":
            while text[pos] == '"':
                key, after = scanstring(text, pos + 1, True)
                child = parent + (key,)
                dict.__setitem__(self.keys, child, (pos, after))
                value_start = ws(text, ws(text, after).end() + 1).end()  # type: ignore[union-attr]
                if not parent and text[value_start] == "[":
                    # A list at the top (Statement): its items are wanted next, and
                    # indexing them now reads them once instead of twice.
                    value_end = self._items(child, value_start)
                else:
                    value_end = _SCAN(text, value_start)[1]
                dict.__setitem__(values, child, (value_start, value_end))
                children.append(child)
                pos = ws(text, value_end).end()  # type: ignore[union-attr]
                if text[pos] != ",":
                    break
                pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        else:
            self._items(parent, start)
            return self.children[parent]
        return children

    def _items(self, parent: Path, start: int) -> int:
        """Record the spans of the items of the list at ``start``; return where it ends."""
        text, values = self.text, self.values
        children: list[Path] = []
        self.children[parent] = children
        ws = _WS.match
        pos = ws(text, start + 1).end()  # type: ignore[union-attr]
        index = 0
        while text[pos] != "]":
            value_end = _SCAN(text, pos)[1]
            child = parent + (index,)
            dict.__setitem__(values, child, (pos, value_end))
            children.append(child)
            index += 1
            pos = ws(text, value_end).end()  # type: ignore[union-attr]
            if text[pos] != ",":
                break
            pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        return pos + 1


def _lazy_map(text: str) -> SourceMap:
    index = _LazyIndex(text)
    return SourceMap(text, index.values, index.keys)


@dataclass
class Parsed:
    """The result of reading a JSON text."""

    text: str
    value: Any
    problems: list[SyntaxProblem]
    _map: SourceMap | None = None

    @property
    def ok(self) -> bool:
        return not any(p.fatal for p in self.problems)

    @property
    def source_map(self) -> SourceMap:
        if self._map is None:
            # Only valid JSON takes the fast path, so its map can be built on demand.
            self._map = _lazy_map(self.text)
        return self._map


def parse_json(text: str) -> Parsed:
    """Read ``text``; never raises for bad input."""
    if not text.startswith("\ufeff"):
        parsed = _read_object(text)
        if parsed is not None:
            return parsed
        dupes: list[str] = []
        try:
            # NaN/Infinity are not JSON (IAM rejects them): let the reader report them.
            value = json.loads(
                text,
                object_pairs_hook=_pairs_hook(dupes),
                parse_constant=_reject_constant,
                parse_int=_integer,
            )
        except (ValueError, RecursionError):
            pass
        else:
            if not dupes:
                return Parsed(text, value, [])
    reader = _Reader(text)
    value, problems = reader.read()
    return Parsed(text, value, problems, reader.source_map)


def _read_object(text: str) -> Parsed | None:
    """A valid JSON object without repeated keys, read in one pass that also indexes its
    members and the items of its lists (a policy's statements, which the linter reads
    one by one); None for any other text, which the general path reads."""
    dupes: list[str] = []
    scan = json.JSONDecoder(
        object_pairs_hook=_pairs_hook(dupes), parse_constant=_reject_constant, parse_int=_integer
    ).scan_once  # type: ignore[attr-defined]
    ws = _WS.match
    index = _LazyIndex(text)
    pos = dict.__getitem__(index.values, ())[0]
    if not text.startswith("{", pos):
        return None
    out: dict[str, Any] = {}
    children: list[Path] = []
    try:
        pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        while text[pos] == '"':
            key, after = scanstring(text, pos + 1, True)
            if key in out:
                return None
            child = (key,)
            dict.__setitem__(index.keys, child, (pos, after))
            colon = ws(text, after).end()  # type: ignore[union-attr]
            if text[colon] != ":":
                return None
            value_start = ws(text, colon + 1).end()  # type: ignore[union-attr]
            if text[value_start] == "[":
                out[key], value_end = _read_items(text, value_start, child, index, scan)
            else:
                out[key], value_end = scan(text, value_start)
            dict.__setitem__(index.values, child, (value_start, value_end))
            children.append(child)
            pos = ws(text, value_end).end()  # type: ignore[union-attr]
            if text[pos] != ",":
                break
            pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
            if text[pos] != '"':
                return None
        if text[pos] != "}" or ws(text, pos + 1).end() != len(text):  # type: ignore[union-attr]
            return None
    except (ValueError, IndexError, StopIteration, RecursionError):
        return None
    if dupes:
        return None
    index.children[()] = children
    return Parsed(text, out, [], SourceMap(text, index.values, index.keys))


def _read_items(text: str, start: int, path: Path, index: _LazyIndex, scan: Any) -> tuple[list[Any], int]:
    """The items of the list at ``start``, indexed; and the offset after it."""
    ws = _WS.match
    items: list[Any] = []
    children: list[Path] = []
    pos = ws(text, start + 1).end()  # type: ignore[union-attr]
    if text[pos] != "]":
        while True:
            item, end = scan(text, pos)
            child = path + (len(items),)
            dict.__setitem__(index.values, child, (pos, end))
            children.append(child)
            items.append(item)
            pos = ws(text, end).end()  # type: ignore[union-attr]
            if text[pos] == "]":
                break
            if text[pos] != ",":
                raise ValueError("expected , or ]")
            pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
    index.children[path] = children
    return items, pos + 1


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _pairs_hook(dupes: list[str]) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            dupes.append("dup")
        return out

    return hook


class _Reader:
    """A recovering recursive-descent JSON reader that records offsets."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.problems: list[SyntaxProblem] = []
        self.source_map = SourceMap(text)

    # -- entry points -------------------------------------------------------
    def read(self) -> tuple[Any, list[SyntaxProblem]]:
        i = 0
        if self.s.startswith("\ufeff"):
            self.problems.append(
                SyntaxProblem(
                    "The text starts with a byte-order mark (BOM); IAM rejects it. "
                    "Save the file as UTF-8 without BOM.",
                    0,
                    1,
                )
            )
            i = 1
        try:
            i = self._ws(i)
            if i >= self.n:
                raise _Fatal("The document is empty: expected a JSON object.", i)
            value, i = self._value(i, ())
            i = self._ws(i)
            if i < self.n:
                raise _Fatal("Unexpected text after the end of the JSON document.", i, self.n)
        except _Fatal as err:
            self.problems.append(SyntaxProblem(err.message, err.offset, err.end, fatal=True))
            return None, self.problems
        except RecursionError:
            self.problems.append(SyntaxProblem("The document is nested too deeply.", 0, 1, True))
            return None, self.problems
        return value, self.problems

    def read_map(self) -> SourceMap:
        self.read()
        return self.source_map

    # -- lexing -------------------------------------------------------------
    def _ws(self, i: int) -> int:
        s = self.s
        while True:
            i = _WS.match(s, i).end()  # type: ignore[union-attr]
            if s.startswith("//", i):
                end = s.find("\n", i)
                end = self.n if end < 0 else end
                self.problems.append(SyntaxProblem(_NO_COMMENTS, i, end))
                i = end
            elif s.startswith("/*", i):
                end = s.find("*/", i + 2)
                if end < 0:
                    raise _Fatal("Unterminated /* comment.", i, self.n)
                self.problems.append(SyntaxProblem(_NO_COMMENTS, i, end + 2))
                i = end + 2
            else:
                return i

    def _describe(self, i: int) -> str:
        if i >= self.n:
            return "the end of the text"
        m = _BAREWORD.match(self.s, i)
        if m:
            return f"'{m.group()}'"
        return repr(self.s[i])

    # -- grammar ------------------------------------------------------------
    def _value(self, i: int, path: Path) -> tuple[Any, int]:
        s = self.s
        if i >= self.n:
            raise _Fatal("Unexpected end of text: a value is missing.", i)
        c = s[i]
        start = i
        value: Any
        if c == "{":
            value, i = self._object(i, path)
        elif c == "[":
            value, i = self._array(i, path)
        elif c == '"':
            value, i = self._string(i)
        elif c == "'":
            raise _Fatal('Strings must use double quotes ("), not single quotes.', i)
        elif s.startswith("true", i):
            value, i = True, i + 4
        elif s.startswith("false", i):
            value, i = False, i + 5
        elif s.startswith("null", i):
            value, i = None, i + 4
        else:
            m = _NUMBER.match(s, i)
            if not m:
                raise _Fatal(f"Expected a value but found {self._describe(i)}.", i)
            text = m.group()
            value = float(text) if (m.group(1) or m.group(2)) else _integer(text)
            i = m.end()
        self.source_map.values[path] = (start, i)
        return value, i

    def _string(self, i: int) -> tuple[str, int]:
        try:
            return scanstring(self.s, i + 1, True)  # type: ignore[no-any-return]
        except ValueError as err:
            pos = getattr(err, "pos", i)
            msg = str(getattr(err, "msg", err))
            if msg.startswith("Unterminated"):
                raise _Fatal('Unterminated string: a closing " is missing.', i, self.n) from None
            if msg.startswith("Invalid control"):
                # A line break inside a string nearly always means a missing closing quote.
                if self.s[pos] in "\r\n":
                    raise _Fatal(
                        'Unterminated string: the closing " is missing before the '
                        "end of the line (write a line break in a string as \\n).",
                        i,
                        pos,
                    ) from None
                raise _Fatal(
                    "A string holds a raw control character (a tab?): escape it (a tab is \\t).", pos
                ) from None
            raise _Fatal(f"Invalid string: {msg}.", pos) from None

    def _object(self, i: int, path: Path) -> tuple[dict[str, Any], int]:
        s = self.s
        out: dict[str, Any] = {}
        i = self._ws(i + 1)
        if i < self.n and s[i] == "}":
            return out, i + 1
        while True:
            if i >= self.n:
                raise _Fatal("Unexpected end of text: an object is not closed with '}'.", i)
            if s[i] != '"':
                if s[i] == "}":  # trailing comma
                    return out, i + 1
                bare = _BAREWORD.match(s, i)
                if bare or s[i] == "'":
                    raise _Fatal(
                        "Object keys must be strings in double quotes.", i, bare.end() if bare else i + 1
                    )
                raise _Fatal(f"Expected a quoted key but found {self._describe(i)}.", i)
            key_start = i
            key, i = self._string(i)
            key_path = path + (key,)
            if key in out:
                self.problems.append(
                    SyntaxProblem(
                        f'Duplicate key "{key}": IAM rejects a policy that repeats a key in one object.',
                        key_start,
                        i,
                        path=key_path,
                    )
                )
            self.source_map.keys[key_path] = (key_start, i)
            i = self._ws(i)
            if i >= self.n or s[i] != ":":
                found = self._describe(i)
                raise _Fatal(f'Expected ":" after the key "{key}" but found {found}.', i)
            i = self._ws(i + 1)
            out[key], i = self._value(i, key_path)
            i = self._ws(i)
            if i < self.n and s[i] == ",":
                comma = i
                i = self._ws(i + 1)
                if i < self.n and s[i] == "}":
                    self.problems.append(
                        SyntaxProblem(
                            "Trailing comma before '}': IAM rejects it.", comma, comma + 1, path=path
                        )
                    )
                    return out, i + 1
                continue
            if i < self.n and s[i] == "}":
                return out, i + 1
            if i < self.n and s[i] == '"':
                raise _Fatal("Missing comma between two object members.", i)
            raise _Fatal(f"Expected ',' or '}}' but found {self._describe(i)}.", i)

    def _array(self, i: int, path: Path) -> tuple[list[Any], int]:
        s = self.s
        out: list[Any] = []
        i = self._ws(i + 1)
        if i < self.n and s[i] == "]":
            return out, i + 1
        while True:
            value, i = self._value(i, path + (len(out),))
            out.append(value)
            i = self._ws(i)
            if i < self.n and s[i] == ",":
                comma = i
                i = self._ws(i + 1)
                if i < self.n and s[i] == "]":
                    self.problems.append(
                        SyntaxProblem(
                            "Trailing comma before ']': IAM rejects it.", comma, comma + 1, path=path
                        )
                    )
                    return out, i + 1
                continue
            if i < self.n and s[i] == "]":
                return out, i + 1
            if i >= self.n:
                raise _Fatal("Unexpected end of text: a list is not closed with ']'.", i)
            if s[i] in '"{[0123456789-tfn':
                raise _Fatal("Missing comma between two list items.", i)
            raise _Fatal(f"Expected ',' or ']' but found {self._describe(i)}.", i)
