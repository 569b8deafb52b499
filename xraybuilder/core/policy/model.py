"""The policy model: ``Policy`` and ``Statement`` in IAM's own words.

The model keeps the *shape* the author chose (a single string or a list, one statement
object or a list of them) so that rendering gives back what was read. Use the
``actions()``/``resources()`` helpers to get normalised tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from xraybuilder.core.policy.source import Parsed, Path, parse_json

VERSIONS = ("2012-10-17", "2008-10-17")
STATEMENT_ELEMENTS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
POLICY_ELEMENTS = ("Version", "Id", "Statement")

StrOrList = str | tuple[str, ...]
ConditionValue = str | bool | int | float | tuple[str | bool | int | float, ...]
# operator -> condition key -> value(s); insertion order is kept for rendering. A
# Statement holds it read-only (see ``Statement.__post_init__``).
Condition = Mapping[str, Mapping[str, ConditionValue]]


def _freeze(value: Any) -> Any:
    # Statements are shared by caches and by long-running shells: hold JSON objects and
    # lists read-only so no caller can change what every later caller sees.
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


class PolicyShapeError(ValueError):
    """The document cannot be held by the model; ``path`` says where (``Statement[1].Effect``)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{format_path(path)}: {message}" if path else message)
        self.path = path
        self.message = message


def format_path(path: Path) -> str:
    """``("Statement", 1, "Resource", 0)`` -> ``Statement[1].Resource[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "").isalnum():
            out += f".{part}" if out else part
        else:
            out += f'["{part}"]'
    return out


def as_tuple(value: StrOrList | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


@dataclass(frozen=True)
class Statement:
    effect: str = "Allow"
    sid: str | None = None
    action: StrOrList | None = None
    not_action: StrOrList | None = None
    resource: StrOrList | None = None
    not_resource: StrOrList | None = None
    condition: Condition | None = None
    principal: Any = None
    not_principal: Any = None

    def __post_init__(self) -> None:
        for name in ("condition", "principal", "not_principal"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                object.__setattr__(self, name, _freeze(value))

    def actions(self) -> tuple[str, ...]:
        return as_tuple(self.action)

    def not_actions(self) -> tuple[str, ...]:
        return as_tuple(self.not_action)

    def resources(self) -> tuple[str, ...]:
        return as_tuple(self.resource)

    def not_resources(self) -> tuple[str, ...]:
        return as_tuple(self.not_resource)

    def to_json(self) -> dict[str, Any]:
        """Canonical element order: Sid, Effect, Principal…, Action…, Resource…, Condition."""
        out: dict[str, Any] = {}
        for name, value in (
            ("Sid", self.sid),
            ("Effect", self.effect),
            ("Principal", self.principal),
            ("NotPrincipal", self.not_principal),
            ("Action", self.action),
            ("NotAction", self.not_action),
            ("Resource", self.resource),
            ("NotResource", self.not_resource),
        ):
            if value is not None:
                out[name] = _thaw(value)
        if self.condition is not None:
            out["Condition"] = {
                op: {k: list(v) if isinstance(v, tuple) else v for k, v in keys.items()}
                for op, keys in self.condition.items()
            }
        return out


@dataclass(frozen=True)
class Policy:
    statements: tuple[Statement, ...] = ()
    version: str | None = "2012-10-17"
    id: str | None = None
    single_statement: bool = field(default=False, compare=False)
    """The source held one statement object rather than a list (kept for rendering)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.version is not None:
            out["Version"] = self.version
        if self.id is not None:
            out["Id"] = self.id
        if self.single_statement and len(self.statements) == 1:
            out["Statement"] = self.statements[0].to_json()
        else:
            out["Statement"] = [s.to_json() for s in self.statements]
        return out

    @classmethod
    def from_json(cls, doc: Any, statement_texts: list[str] | None = None) -> Policy:
        """Build the model from parsed JSON; raises PolicyShapeError on shapes it cannot hold.

        ``statement_texts``, when given, is the source text of each item of a Statement
        list: a statement whose text was modelled before is taken from the cache.
        """
        if not isinstance(doc, dict):
            raise PolicyShapeError((), "a policy must be a JSON object")
        for key in doc:
            if key not in POLICY_ELEMENTS:
                raise PolicyShapeError((key,), f'unknown policy element "{key}"')
        version = _opt_str(doc, "Version", ())
        pid = _opt_str(doc, "Id", ())
        if "Statement" not in doc:
            raise PolicyShapeError((), "the policy has no Statement")
        raw = doc["Statement"]
        single = isinstance(raw, dict)
        items = [raw] if single else raw
        if not isinstance(items, list):
            raise PolicyShapeError(("Statement",), "Statement must be an object or a list of objects")
        if statement_texts is not None and not single and len(statement_texts) == len(items):
            statements = tuple(
                _kept_statement(item, ("Statement", i), text)
                for i, (item, text) in enumerate(zip(items, statement_texts, strict=True))
            )
        else:
            paths = [("Statement",)] if single else [("Statement", i) for i in range(len(items))]
            statements = tuple(_statement(item, path) for item, path in zip(items, paths, strict=True))
        return cls(statements, version, pid, single)

    @classmethod
    def from_text(cls, text: str) -> Policy:
        return cls.from_parsed(parse_json(text))

    @classmethod
    def from_parsed(cls, parsed: Parsed) -> Policy:
        """The model of a text already read with ``parse_json`` (PolicyShapeError as from_text)."""
        if not parsed.ok:
            problem = next(p for p in parsed.problems if p.fatal)
            span = parsed.source_map.offset_span(problem.offset, problem.end)
            raise PolicyShapeError((), f"line {span.line}, column {span.column}: {problem.message}")
        value = parsed.value
        if isinstance(value, dict) and isinstance(value.get("Statement"), list) and not parsed.problems:
            text = parsed.text
            spans = parsed.source_map.item_spans(("Statement",))
            return cls.from_json(value, [text[start:end] for start, end in spans])
        return cls.from_json(value)


def _opt_str(obj: dict[str, Any], key: str, path: Path) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise PolicyShapeError(path + (key,), f"{key} must be a string")
    return value


def _str_or_list(obj: dict[str, Any], key: str, path: Path) -> StrOrList | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PolicyShapeError(path + (key,), f"{key} must be a string or a list of strings")


def _condition(value: Any, path: Path) -> Condition | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PolicyShapeError(path, "Condition must be an object of operators")
    out: dict[str, dict[str, ConditionValue]] = {}
    for op, keys in value.items():
        if not isinstance(keys, dict):
            raise PolicyShapeError(path + (op,), "each condition operator must map keys to values")
        block: dict[str, ConditionValue] = {}
        for key, val in keys.items():
            if isinstance(val, list):
                if not all(isinstance(v, str | bool | int | float) for v in val):
                    raise PolicyShapeError(
                        path + (op, key), "condition values must be strings, numbers or booleans"
                    )
                block[key] = tuple(val)
            elif isinstance(val, str | bool | int | float):
                block[key] = val
            else:
                raise PolicyShapeError(
                    path + (op, key), "condition values must be strings, numbers or booleans"
                )
        out[op] = block
    return out


_KEPT_STATEMENTS: dict[str, Statement] = {}
"""Statement text -> its model (a Statement is immutable, so one can be shared)."""
_KEPT_LIMIT = 4096


def _kept_statement(item: Any, path: Path, text: str) -> Statement:
    """``_statement`` for an item whose source text is ``text``: the same text always
    reads as the same item, so a text seen before (every statement but the one being
    edited, in a shell that re-reads a file on each keystroke) is not modelled again."""
    kept = _KEPT_STATEMENTS.get(text)
    if kept is None:
        kept = _statement(item, path)
        if len(_KEPT_STATEMENTS) >= _KEPT_LIMIT:
            _KEPT_STATEMENTS.clear()
        _KEPT_STATEMENTS[text] = kept
    return kept


def _statement(item: Any, path: Path) -> Statement:
    if not isinstance(item, dict):
        raise PolicyShapeError(path, "a statement must be a JSON object")
    for key in item:
        if key not in STATEMENT_ELEMENTS:
            raise PolicyShapeError(path + (key,), f'unknown statement element "{key}"')
    effect = item.get("Effect")
    if not isinstance(effect, str):
        raise PolicyShapeError(path + ("Effect",), "Effect is missing or not a string")
    return Statement(
        effect=effect,
        sid=_opt_str(item, "Sid", path),
        action=_str_or_list(item, "Action", path),
        not_action=_str_or_list(item, "NotAction", path),
        resource=_str_or_list(item, "Resource", path),
        not_resource=_str_or_list(item, "NotResource", path),
        condition=_condition(item.get("Condition"), path + ("Condition",)),
        principal=item.get("Principal"),
        not_principal=item.get("NotPrincipal"),
    )
