"""The draft: the editable model of the policy a user is building.

A draft starts from a preset and its parameters, from an empty custom policy, or from a
policy file's text. Every edit returns a new draft (drafts are frozen and hashable, so a
shell can keep an undo history and ``assess`` can cache by draft). A draft saves to TOML
and loads back equal. It holds only what the user typed about the policy: never a secret
access key, so a saved draft is safe to share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

ORIGINS = ("preset", "custom", "file")
KINDS = ("identity", "trust", "resource", "key-policy")
TARGETS = ("managed", "role", "user", "group")
EFFECTS = ("Allow", "Deny")
FORMAT_VERSION = 1
POLICY_VERSION = "2012-10-17"

# A parameter whose name says it holds a secret, or a value shaped like a secret access
# key (40 characters of base64) next to such a name, is refused: drafts are saved in
# plain text and shared.
_SECRET_NAME = re.compile(r"secret|password|session_token", re.I)
_SECRET_VALUE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_TOML_LINE = re.compile(r"at line (\d+), column (\d+)")


class DraftError(ValueError):
    """A draft that cannot be read or an edit that cannot be made; says where (line, key)."""

    def __init__(self, message: str, *, line: int | None = None, key: str = "") -> None:
        self.message = message
        self.line = line
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"line {self.line}" if self.line else "", self.key) if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class DraftCondition:
    """One condition entry: ``operator`` applied to ``key`` with ``values``."""

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class DraftStatement:
    """One statement of the identity policy as the user edits it."""

    sid: str = ""
    effect: str = "Allow"
    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ("*",)
    conditions: tuple[DraftCondition, ...] = ()


@dataclass(frozen=True)
class Draft:
    """What the user is building; see the module docstring."""

    origin: str
    preset_id: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    statements: tuple[DraftStatement, ...] | None = None
    target: str = "managed"
    file_name: str | None = None
    file_text: str | None = None
    kind: str | None = None
    """For a file draft: which rules to lint it by (identity, trust, resource or
    key-policy); None lets ``assess`` tell from the document's shape."""

    def __post_init__(self) -> None:
        if self.origin not in ORIGINS:
            raise DraftError(f"origin must be one of {', '.join(ORIGINS)}, not {self.origin!r}", key="origin")
        if self.target not in TARGETS:
            raise DraftError(f"target must be one of {', '.join(TARGETS)}, not {self.target!r}", key="target")
        if self.kind is not None and self.kind not in KINDS:
            raise DraftError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}", key="kind")
        if self.origin == "preset" and not self.preset_id:
            raise DraftError("a preset draft needs a preset id", key="preset")
        keys = [k for k, _ in self.params]
        if len(set(keys)) != len(keys):
            raise DraftError("a parameter is given twice", key="params")
        for key, value in self.params:
            _refuse_secret(key, value)

    # -- starting points ----------------------------------------------------------------

    @classmethod
    def from_preset(cls, preset_id: str, params: Mapping[str, str] | None = None) -> Draft:
        """A draft of a preset with the parameters typed so far (raw text, in order)."""
        return cls("preset", preset_id, tuple((str(k), str(v)) for k, v in (params or {}).items()))

    @classmethod
    def custom(cls, target: str = "managed") -> Draft:
        """An empty custom policy: one Allow statement with no action yet, on every resource."""
        return cls("custom", statements=(DraftStatement(),), target=target)

    @classmethod
    def from_text(cls, text: str, name: str = "<text>") -> Draft:
        """A policy read from a file; the text is kept as it is, even when it does not parse."""
        return cls("file", file_name=name, file_text=text)

    # -- parameters and target ----------------------------------------------------------

    def param(self, key: str) -> str | None:
        """The raw text typed for parameter ``key``, or None when it is not set."""
        return next((v for k, v in self.params if k == key), None)

    def params_dict(self) -> dict[str, str]:
        """Parameters as a dict, in entry order."""
        return dict(self.params)

    def with_param(self, key: str, value: str) -> Draft:
        """Set a parameter (kept in place when already set, else appended)."""
        if self.origin != "preset":
            raise DraftError("only a preset draft has parameters", key=f"params.{key}")
        key = key.strip()
        if not key:
            raise DraftError("a parameter needs a name", key="params")
        _refuse_secret(key, value)
        if self.param(key) is None:
            params = self.params + ((key, value),)
        else:
            params = tuple((k, value if k == key else v) for k, v in self.params)
        return replace(self, params=params)

    def without_param(self, key: str) -> Draft:
        """Unset a parameter, so the preset's default applies again."""
        return replace(self, params=tuple((k, v) for k, v in self.params if k != key))

    def with_target(self, target: str) -> Draft:
        """Where the identity policy will be attached (decides its size quota)."""
        if target not in TARGETS:
            raise DraftError(f"target must be one of {', '.join(TARGETS)}, not {target!r}", key="target")
        return replace(self, target=target)

    def with_kind(self, kind: str | None) -> Draft:
        """A file draft linted by the rules of ``kind`` (None: tell from its shape)."""
        if self.origin != "file":
            raise DraftError("only a draft read from a file has a kind to choose", key="kind")
        if kind is not None and kind not in KINDS:
            raise DraftError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}", key="kind")
        return replace(self, kind=kind)

    def with_text(self, text: str) -> Draft:
        """A file draft with edited text (statements go back to following the text)."""
        if self.origin != "file":
            raise DraftError("only a draft read from a file has text to edit", key="file.text")
        return replace(self, file_text=text, statements=None)

    # -- statements ---------------------------------------------------------------------

    def editable(self) -> Draft:
        """The same draft with its identity statements materialised, ready for statement edits.

        A preset draft takes the statements its parameters build now; a file draft the
        statements its text holds. DraftError says why when that is not possible.
        """
        if self.statements is not None:
            return self
        if self.origin == "preset":
            return replace(self, statements=_preset_statements(self))
        if self.origin == "file":
            return replace(self, statements=_text_statements(self.file_text or "", self.file_name or ""))
        return replace(self, statements=())

    def _edit(self, index: int | None, change: Any) -> Draft:
        draft = self.editable()
        statements = list(draft.statements or ())
        if index is not None:
            _check_index(statements, index)
        change(statements)
        return replace(draft, statements=tuple(statements))

    def add_statement(self, statement: DraftStatement | None = None) -> Draft:
        """Append a statement (an empty Allow statement by default)."""
        return self._edit(None, lambda st: st.append(statement or DraftStatement()))

    def remove_statement(self, index: int) -> Draft:
        """Remove the statement at ``index``."""
        return self._edit(index, lambda st: st.pop(index))

    def _set(self, index: int, **changes: Any) -> Draft:
        def change(statements: list[DraftStatement]) -> None:
            statements[index] = replace(statements[index], **changes)

        return self._edit(index, change)

    def _statement(self, index: int) -> DraftStatement:
        statements = list(self.editable().statements or ())
        _check_index(statements, index)
        return statements[index]

    def add_action(self, index: int, action: str) -> Draft:
        """Add an action to statement ``index`` (nothing changes when it is already there)."""
        action = action.strip()
        if not action:
            raise DraftError("an action cannot be empty", key=f"Statement[{index}].Action")
        return self._set(index, actions=_unique(self._statement(index).actions + (action,)))

    def remove_action(self, index: int, action: str) -> Draft:
        """Remove an action from statement ``index``."""
        current = self._statement(index).actions
        if action not in current:
            raise DraftError(f"statement {index} has no action {action!r}", key=f"Statement[{index}].Action")
        return self._set(index, actions=tuple(a for a in current if a != action))

    def set_actions(self, index: int, actions: Sequence[str]) -> Draft:
        """Replace the actions of statement ``index``."""
        return self._set(index, actions=_unique(a.strip() for a in actions if a.strip()))

    def set_resources(self, index: int, resources: Sequence[str]) -> Draft:
        """Replace the resources of statement ``index``."""
        return self._set(index, resources=_unique(r.strip() for r in resources if r.strip()))

    def set_effect(self, index: int, effect: str) -> Draft:
        """Set statement ``index`` to Allow or Deny."""
        if effect not in EFFECTS:
            raise DraftError(f"Effect is Allow or Deny, not {effect!r}", key=f"Statement[{index}].Effect")
        return self._set(index, effect=effect)

    def set_sid(self, index: int, sid: str) -> Draft:
        """Set the Sid of statement ``index`` ("" for none)."""
        return self._set(index, sid=sid)

    def add_condition(self, index: int, condition: DraftCondition) -> Draft:
        """Append a condition entry to statement ``index``."""
        if not condition.operator or not condition.key:
            raise DraftError("a condition needs an operator and a key", key=f"Statement[{index}].Condition")
        return self._set(index, conditions=self._statement(index).conditions + (condition,))

    def remove_condition(self, index: int, condition_index: int) -> Draft:
        """Remove condition entry ``condition_index`` of statement ``index``."""
        conditions = list(self._statement(index).conditions)
        if not 0 <= condition_index < len(conditions):
            raise DraftError(
                f"statement {index} has no condition {condition_index}", key=f"Statement[{index}].Condition"
            )
        del conditions[condition_index]
        return self._set(index, conditions=tuple(conditions))

    def split_statement(self, index: int, actions: Sequence[str]) -> Draft:
        """Move ``actions`` out of statement ``index`` into a new statement right after it.

        The new statement keeps the effect, resources and conditions (and no Sid, since
        Sids must be unique); it can then be narrowed on its own.
        """
        source = self._statement(index)
        moving = _unique(actions)
        missing = [a for a in moving if a not in source.actions]
        if missing:
            raise DraftError(
                f"statement {index} has no action {', '.join(missing)}", key=f"Statement[{index}].Action"
            )
        if not moving or len(moving) == len(source.actions):
            raise DraftError(
                "choose some, not all, of the statement's actions to split off",
                key=f"Statement[{index}].Action",
            )
        kept = replace(source, actions=tuple(a for a in source.actions if a not in moving))
        new = replace(source, sid="", actions=moving)

        def change(statements: list[DraftStatement]) -> None:
            statements[index : index + 1] = [kept, new]

        return self._edit(index, change)

    def merge_statements(self, first: int, second: int) -> Draft:
        """Merge statement ``second`` into ``first``: they must share effect, resources and conditions."""
        a, b = self._statement(first), self._statement(second)
        if first == second:
            raise DraftError("a statement cannot be merged with itself", key=f"Statement[{first}]")
        if (a.effect, set(a.resources), set(a.conditions)) != (b.effect, set(b.resources), set(b.conditions)):
            raise DraftError(
                "statements merge only when they have the same Effect, Resource and Condition",
                key=f"Statement[{second}]",
            )
        merged = replace(a, actions=_unique(a.actions + b.actions))

        def change(statements: list[DraftStatement]) -> None:
            statements[first] = merged
            del statements[second]

        return self._edit(None, change)

    # -- saving -------------------------------------------------------------------------

    def to_toml(self) -> str:
        """The draft as TOML text; ``from_toml`` reads it back equal."""
        doc: dict[str, Any] = {"format": FORMAT_VERSION, "origin": self.origin, "target": self.target}
        if self.preset_id is not None:
            doc["preset"] = self.preset_id
        if self.kind is not None:
            doc["kind"] = self.kind
        if self.params:
            doc["params"] = dict(self.params)
        if self.file_name is not None or self.file_text is not None:
            file: dict[str, str] = {}
            if self.file_name is not None:
                file["name"] = self.file_name
            if self.file_text is not None:
                file["text"] = self.file_text
            doc["file"] = file
        if self.statements is not None:
            doc["statements"] = [_statement_toml(s) for s in self.statements]
        import tomli_w  # only saving needs it

        return tomli_w.dumps(doc)

    @classmethod
    def from_toml(cls, text: str) -> Draft:
        """Read a draft saved by ``to_toml``; DraftError names the line and key of a problem."""
        import tomllib

        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            m = _TOML_LINE.search(str(err))
            message = _TOML_LINE.sub("", str(err)).replace("()", "").strip() or "not valid TOML"
            raise DraftError(f"not valid TOML: {message}", line=int(m.group(1)) if m else None) from None
        return _Reader(text).draft(doc)


def _check_index(statements: Sequence[DraftStatement], index: int) -> None:
    if not 0 <= index < len(statements):
        raise DraftError(
            f"there is no statement {index}; the policy has {len(statements)}", key=f"Statement[{index}]"
        )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _refuse_secret(key: str, value: str) -> None:
    if _SECRET_NAME.search(key) or (_SECRET_VALUE.search(value) and re.search(r"key|token", key, re.I)):
        raise DraftError(
            "a draft never holds secrets: keep secret access keys in ~/.aws/credentials, not in a draft",
            key=f"params.{key}",
        )


def _statement_toml(s: DraftStatement) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sid": s.sid,
        "effect": s.effect,
        "actions": list(s.actions),
        "resources": list(s.resources),
    }
    if s.conditions:
        out["conditions"] = [
            {"operator": c.operator, "key": c.key, "values": list(c.values)} for c in s.conditions
        ]
    return out


class _Reader:
    """Checks a parsed draft document; every problem names its key and line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[tuple[str | int, ...], int] | None = None

    def fail(self, path: tuple[str | int, ...], message: str) -> DraftError:
        from xraybuilder.core.scenarios import key_lines

        if self._lines is None:
            self._lines = key_lines(self.text)
        line = None
        for depth in range(len(path), 0, -1):
            line = self._lines.get(path[:depth])
            if line is not None:
                break
        key = ""
        for part in path:
            key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else part)
        return DraftError(message, line=line, key=key)

    def get(
        self, table: Mapping[str, Any], path: tuple[str | int, ...], kind: type, default: Any = None
    ) -> Any:
        value = table.get(str(path[-1]), default)
        if value is not None and not isinstance(value, kind):
            raise self.fail(path, f"must be {_TYPE_WORDS[kind]}")
        return value

    def strings(self, table: Mapping[str, Any], path: tuple[str | int, ...]) -> tuple[str, ...]:
        value = self.get(table, path, list, [])
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail(path + (i,), "must be a string")
        return tuple(value)

    def draft(self, doc: Mapping[str, Any]) -> Draft:
        known = {"format", "origin", "target", "kind", "preset", "params", "file", "statements"}
        for key in doc:
            if key not in known:
                raise self.fail((key,), f"unknown key; a draft holds {', '.join(sorted(known))}")
        version = self.get(doc, ("format",), int, FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise self.fail(
                ("format",), f"format {version} is not known; this version reads {FORMAT_VERSION}"
            )
        origin = self.get(doc, ("origin",), str)
        if origin is None:
            raise DraftError("origin is missing (preset, custom or file)", key="origin")
        params_table = self.get(doc, ("params",), dict, {})
        params = []
        for key, value in params_table.items():
            if not isinstance(value, str):
                raise self.fail(("params", key), "must be a string (the text as typed)")
            params.append((key, value))
        file = self.get(doc, ("file",), dict, {})
        for key in file:
            if key not in ("name", "text"):
                raise self.fail(("file", key), "unknown key; file holds name and text")
        statements = None
        raw = self.get(doc, ("statements",), list)
        if raw is not None:
            statements = tuple(self.statement(item, ("statements", i)) for i, item in enumerate(raw))
        try:
            return Draft(
                origin=origin,
                preset_id=self.get(doc, ("preset",), str),
                params=tuple(params),
                statements=statements,
                target=self.get(doc, ("target",), str, "managed"),
                file_name=self.get(file, ("file", "name"), str),
                file_text=self.get(file, ("file", "text"), str),
                kind=self.get(doc, ("kind",), str),
            )
        except DraftError as err:
            raise self.fail(tuple(err.key.split(".")) if err.key else (), err.message) from None

    def statement(self, item: Any, path: tuple[str | int, ...]) -> DraftStatement:
        if not isinstance(item, dict):
            raise self.fail(path, "must be a table")
        known = {"sid", "effect", "actions", "resources", "conditions"}
        for key in item:
            if key not in known:
                raise self.fail(path + (key,), f"unknown key; a statement holds {', '.join(sorted(known))}")
        effect = self.get(item, path + ("effect",), str, "Allow")
        if effect not in EFFECTS:
            raise self.fail(path + ("effect",), f"must be Allow or Deny, not {effect!r}")
        conditions = []
        for i, c in enumerate(self.get(item, path + ("conditions",), list, [])):
            cpath = path + ("conditions", i)
            if not isinstance(c, dict):
                raise self.fail(cpath, "must be a table")
            operator = self.get(c, cpath + ("operator",), str)
            key = self.get(c, cpath + ("key",), str)
            if not operator or not key:
                raise self.fail(cpath, "a condition needs operator and key")
            conditions.append(DraftCondition(operator, key, self.strings(c, cpath + ("values",))))
        return DraftStatement(
            sid=self.get(item, path + ("sid",), str, ""),
            effect=effect,
            actions=self.strings(item, path + ("actions",)),
            resources=self.strings(item, path + ("resources",)) if "resources" in item else ("*",),
            conditions=tuple(conditions),
        )


_TYPE_WORDS = {str: "a string", int: "an integer", list: "a list", dict: "a table"}


# -- materialising statements ---------------------------------------------------------------


def condition_text(value: Any) -> str:
    """A condition value as the text a draft holds (booleans as IAM writes them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def statements_from_policy(policy: Any, *, where: str = "") -> tuple[DraftStatement, ...]:
    """Draft statements for a ``Policy``; DraftError for elements a draft cannot hold."""
    out = []
    for i, st in enumerate(policy.statements):
        for element, value in (
            ("NotAction", st.not_action),
            ("NotResource", st.not_resource),
            ("Principal", st.principal),
            ("NotPrincipal", st.not_principal),
        ):
            if value is not None:
                raise DraftError(
                    f"{element} cannot be edited statement by statement; edit the policy text instead",
                    key=f"{where}Statement[{i}].{element}",
                )
        conditions = tuple(
            DraftCondition(
                op,
                key,
                tuple(condition_text(v) for v in value)
                if isinstance(value, tuple)
                else (condition_text(value),),
            )
            for op, keys in (st.condition or {}).items()
            for key, value in keys.items()
        )
        out.append(
            DraftStatement(
                sid=st.sid or "",
                effect=st.effect,
                actions=st.actions(),
                resources=st.resources(),
                conditions=conditions,
            )
        )
    return tuple(out)


def policy_of(statements: Sequence[DraftStatement]) -> Any:
    """The identity ``Policy`` the statements make, shaped as presets build theirs."""
    from xraybuilder.core.policy.model import Condition, ConditionValue, Policy, Statement

    built = []
    for s in statements:
        condition: Condition = {}
        for c in s.conditions:
            value: ConditionValue = c.values[0] if len(c.values) == 1 else c.values
            condition.setdefault(c.operator, {})[c.key] = value
        built.append(
            Statement(
                sid=s.sid or None,
                effect=s.effect,
                action=s.actions,
                resource=s.resources,
                condition=condition or None,
            )
        )
    return Policy(tuple(built), POLICY_VERSION)


def _preset_statements(draft: Draft) -> tuple[DraftStatement, ...]:
    from xraybuilder.core.bundle import preview
    from xraybuilder.core.scenarios import PresetError, UnknownPreset, get_preset

    try:
        result = preview(get_preset(draft.preset_id or ""), draft.params_dict())
    except (UnknownPreset, PresetError) as err:
        raise DraftError(str(err), key="preset") from None
    if result.bundle is None:
        problems = "; ".join(str(p) for p in result.resolution.problems)
        raise DraftError(f"fix the parameters before editing statements: {problems}", key="params")
    if result.bundle.identity_policy is None:
        return ()
    return statements_from_policy(result.bundle.identity_policy)


def _text_statements(text: str, name: str) -> tuple[DraftStatement, ...]:
    from xraybuilder.core.policy.model import Policy, PolicyShapeError

    try:
        policy = Policy.from_text(text)
    except PolicyShapeError as err:
        raise DraftError(f"{name}: the policy must be valid before editing statements: {err}") from None
    return statements_from_policy(policy)
