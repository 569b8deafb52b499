"""Reading one preset file: TOML checked against the preset schema, errors located by line.

tomllib keeps no positions, so :func:`key_lines` finds the line of each key with a light
scan of the text, done only when a file turns out to be broken. Catalog queries run here,
once per file, so building a bundle later never queries the catalog again.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from types import MappingProxyType
from typing import Any

from xraybuilder.core import catalog
from xraybuilder.core.managed import managed_policy
from xraybuilder.core.scenarios.model import (
    PRINCIPAL_KINDS,
    ActionQuery,
    ConditionSpec,
    ExpectationSpec,
    KeyPolicyStatementSpec,
    ManagedAttachment,
    NoteSpec,
    Parameter,
    Preset,
    PresetError,
    PrincipalSpec,
    SnippetSpec,
    StatementSpec,
    When,
    when_text,
)
from xraybuilder.core.scenarios.principals import service_principals
from xraybuilder.core.scenarios.values import (
    BUILTINS,
    PARAMETER_TYPES,
    PLACEHOLDER,
    parse_value,
    placeholders,
    suggest,
)

NAME_KINDS = ("role", "user", "instance_profile", "policy")
SNIPPET_KINDS = ("aws-credentials", "aws-config", "text")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_PARAM_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SID = re.compile(r"[A-Za-z0-9]+")


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Line of each table header and key, by path (``("statement", 2, "actions")``).

    tomllib keeps no positions, so this light scan follows headers, array-of-tables
    counters and ``key =`` lines; values spread over several lines are skipped.
    """
    out: dict[tuple[str | int, ...], int] = {}
    arrays: dict[tuple[str, ...], int] = {}
    current: tuple[str | int, ...] = ()
    depth = 0
    closing: str | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        if closing is not None:
            if closing in raw:
                closing = None
            continue
        if depth > 0:
            depth += _bracket_delta(raw)
            continue
        stripped = raw.strip()
        if stripped.startswith("["):
            is_array = stripped.startswith("[[")
            inner = stripped[2:].split("]]", 1)[0] if is_array else stripped[1:].split("]", 1)[0]
            keys = tuple(_split_dotted(inner))
            if is_array:
                arrays[keys] = arrays.get(keys, -1) + 1
                for deeper in [k for k in arrays if len(k) > len(keys) and k[: len(keys)] == keys]:
                    del arrays[deeper]
            path: list[str | int] = []
            for i, key in enumerate(keys):
                path.append(key)
                if keys[: i + 1] in arrays:
                    path.append(arrays[keys[: i + 1]])
            current = tuple(path)
            out.setdefault(current, lineno)
            continue
        m = re.match(
            r'\s*((?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'
            r"'[^']*'))*)\s*=(.*)",
            raw,
        )
        if m is None:
            continue
        out.setdefault(current + tuple(_split_dotted(m.group(1))), lineno)
        rest = m.group(2)
        for delim in ('"""', "'''"):
            if rest.strip().startswith(delim) and rest.count(delim) == 1:
                closing = delim
        if closing is None:
            depth = max(0, _bracket_delta(rest))
    return out


def _split_dotted(text: str) -> list[str]:
    return [
        p.strip().strip('"').strip("'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text) if p.strip()
    ]


def _bracket_delta(text: str) -> int:
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'', "", text).split("#", 1)[0]
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")


def _format_key(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_TYPE_NAMES = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    list: "a list",
    dict: "a table",
    float: "a number",
}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Reader:
    """Checks one preset document against the schema, raising located PresetErrors."""

    def __init__(self, file: str, text: str, data: dict[str, Any]) -> None:
        self.file = file
        self.source_text = text
        self.data = data
        self.params: dict[str, Parameter] = {}
        self.scope: When = ()

    @cached_property
    def lines(self) -> dict[tuple[str | int, ...], int]:
        # Only a broken file needs positions, so the scan waits for the first error.
        return key_lines(self.source_text)

    def error(self, path: tuple[str | int, ...], message: str) -> PresetError:
        line = None
        probe = path
        while probe:
            if probe in self.lines:
                line = self.lines[probe]
                break
            probe = probe[:-1]
        return PresetError(self.file, message, line=line, key=_format_key(path))

    def keys(
        self,
        obj: Mapping[str, Any],
        path: tuple[str | int, ...],
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> None:
        allowed = tuple(allowed)
        for key in obj:
            if key not in allowed:
                raise self.error(
                    path + (key,),
                    f"unknown key {key!r}{suggest(key, allowed)}; allowed here: {', '.join(allowed)}",
                )
        for key in required:
            if key not in obj:
                raise self.error(path, f"missing required key {key!r}")

    def get(
        self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...], kind: type, default: Any = None
    ) -> Any:
        if key not in obj:
            return default
        value = obj[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise self.error(path + (key,), f"must be {_TYPE_NAMES[kind]}, not {_type_name(value)}")
        return value

    def text(
        self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...], default: str | None = None
    ) -> str:
        value = self.get(obj, key, path, str, default)
        if value is None:
            raise self.error(path, f"missing required key {key!r}")
        return str(value)

    def strings(self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> tuple[str, ...]:
        value = self.get(obj, key, path, list, [])
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(path + (key, i), f"must be a string, not {_type_name(item)}")
        return tuple(value)

    def tables(self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> list[dict[str, Any]]:
        value = obj.get(key, [])
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(path + (key,), f"must be a list of tables ([[{_format_key(path + (key,))}]])")
        return value

    @contextmanager
    def within(self, when: When) -> Iterator[None]:
        """Templates read inside apply only where ``when`` holds (on top of the outer scope)."""
        saved = self.scope
        self.scope = saved + when
        try:
            yield
        finally:
            self.scope = saved

    def template(
        self, value: str, path: tuple[str | int, ...], params: Mapping[str, Parameter] | None = None
    ) -> str:
        """Check a template's placeholders: known, and in play wherever it is used."""
        params = self.params if params is None else params
        known = set(params) | set(BUILTINS)
        for name in placeholders(value):
            if name not in known:
                raise self.error(path, f"{{{name}}} is not a parameter of this preset{suggest(name, known)}")
            if name in params and not _implies(self.scope, params[name].when):
                needs = when_text(params[name].when)
                raise self.error(
                    path, f"{{{name}}} only has a value when {needs}; add that to this entry's 'when'"
                )
        return value

    def when(
        self,
        obj: Mapping[str, Any],
        path: tuple[str | int, ...],
        params: Mapping[str, Parameter] | None = None,
    ) -> When:
        raw = self.get(obj, "when", path, dict, {})
        params = self.params if params is None else params
        out = []
        for name, wanted in raw.items():
            where = path + ("when", name)
            if name not in params:
                declared = self.data.get("parameters", {})
                if isinstance(declared, dict) and name in declared:
                    raise self.error(
                        where,
                        f"{name!r} is declared further down: a parameter's 'when' "
                        "can only use parameters declared before it",
                    )
                raise self.error(where, f"{name!r} is not a parameter of this preset{suggest(name, params)}")
            allowed = tuple(wanted) if isinstance(wanted, list) else (wanted,)
            param = params[name]
            for value in allowed:
                if param.type == "bool" and not isinstance(value, bool):
                    raise self.error(where, f"{name} is a yes/no parameter: compare it with true or false")
                if param.type == "choice" and value not in param.choices:
                    raise self.error(
                        where, f"{value!r} is not a choice of {name} ({', '.join(param.choices)})"
                    )
                if not isinstance(value, str | bool):
                    raise self.error(
                        where, f"must be a string, a boolean or a list of them, not {_type_name(value)}"
                    )
            out.append((name, allowed))
        return tuple(out)


def _implies(scope: When, needed: When) -> bool:
    """Whether every value allowed by ``scope`` satisfies ``needed``."""
    for name, allowed in needed:
        if not any(n == name and set(vals) <= set(allowed) for n, vals in scope):
            return False
    return True


def read_preset(file: str, text: str, *, shipped: bool) -> Preset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        if m:
            raise PresetError(
                file, f"column {m.group(2)}: TOML syntax error: {message}", line=int(m.group(1))
            ) from None
        raise PresetError(file, f"TOML syntax error: {message}") from None
    r = _Reader(file, text, data)
    r.keys(
        data,
        (),
        (
            "id",
            "title",
            "summary",
            "description",
            "order",
            "parameters",
            "principal",
            "names",
            "statement",
            "managed_policy",
            "key_policy_statement",
            "snippet",
            "note",
            "expect",
            "baseline",
        ),
        ("id", "title", "summary", "description", "principal"),
    )
    preset_id = r.text(data, "id", ())
    if not _ID.fullmatch(preset_id):
        raise r.error(("id",), f"{preset_id!r} must be lower-case letters, digits and dashes")
    params = _read_parameters(r, r.get(data, "parameters", (), dict, {}))
    r.params = params
    return Preset(
        id=preset_id,
        title=r.text(data, "title", ()),
        summary=r.text(data, "summary", ()),
        description=r.text(data, "description", ()).strip(),
        parameters=MappingProxyType(params),
        principals=_read_principals(r, data),
        names=_read_names(r, r.get(data, "names", (), dict, {})),
        statements=tuple(
            _read_statement(r, s, ("statement", i)) for i, s in enumerate(r.tables(data, "statement", ()))
        ),
        managed=tuple(
            _read_managed(r, m, ("managed_policy", i))
            for i, m in enumerate(r.tables(data, "managed_policy", ()))
        ),
        key_policy=tuple(
            _read_key_policy(r, k, ("key_policy_statement", i))
            for i, k in enumerate(r.tables(data, "key_policy_statement", ()))
        ),
        snippets=tuple(
            _read_snippet(r, s, ("snippet", i)) for i, s in enumerate(r.tables(data, "snippet", ()))
        ),
        notes=tuple(_read_note(r, n, ("note", i)) for i, n in enumerate(r.tables(data, "note", ()))),
        expectations=_read_expectations(r, r.get(data, "expect", (), dict, {})),
        baseline=_read_baseline(r, data),
        order=r.get(data, "order", (), int, 1000),
        source=file,
        shipped=shipped,
    )


_PARAM_KEYS = (
    "type",
    "description",
    "label",
    "default",
    "required",
    "choices",
    "choice_help",
    "when",
    "min_length",
    "max_length",
    "pattern",
    "same_region",
)


def _read_parameters(r: _Reader, raw: dict[str, Any]) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for name, spec in raw.items():
        path: tuple[str | int, ...] = ("parameters", name)
        if not _PARAM_NAME.fullmatch(name) or name in BUILTINS:
            raise r.error(
                path,
                f"{name!r} cannot be a parameter name: use lower-case letters, digits "
                f"and _, and none of {', '.join(BUILTINS)}",
            )
        if not isinstance(spec, dict):
            raise r.error(path, f"must be a table ([parameters.{name}]), not {_type_name(spec)}")
        r.keys(spec, path, _PARAM_KEYS, ("type", "description"))
        ptype = r.text(spec, "type", path)
        if ptype not in PARAMETER_TYPES:
            raise r.error(
                path + ("type",),
                f"unknown parameter type {ptype!r}"
                f"{suggest(ptype, PARAMETER_TYPES)}; known types: {', '.join(PARAMETER_TYPES)}",
            )
        choices = r.strings(spec, "choices", path)
        if ptype == "choice" and not choices:
            raise r.error(path, "a choice parameter needs a non-empty 'choices' list")
        if choices and ptype != "choice":
            raise r.error(path + ("choices",), "only parameters of type 'choice' take choices")
        help_table = r.get(spec, "choice_help", path, dict, {})
        for key, text in help_table.items():
            if key not in choices:
                raise r.error(path + ("choice_help", key), f"{key!r} is not one of the choices")
            if not isinstance(text, str):
                raise r.error(path + ("choice_help", key), "must be a string")
        default = spec.get("default")
        if ptype == "bool":
            if default is not None and not isinstance(default, bool):
                raise r.error(
                    path + ("default",),
                    f"a bool parameter's default must be true or false, not {_type_name(default)}",
                )
        elif default is not None and not isinstance(default, str):
            raise r.error(path + ("default",), f"must be a string, not {_type_name(default)}")
        pattern = r.get(spec, "pattern", path, str)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as err:
                raise r.error(path + ("pattern",), f"not a valid regular expression: {err}") from None
        param = Parameter(
            name=name,
            type=ptype,
            description=r.text(spec, "description", path),
            label=r.get(spec, "label", path, str, ""),
            default=default,
            required=r.get(spec, "required", path, bool, False),
            choices=choices,
            choice_help=MappingProxyType(dict(help_table)),
            when=r.when(spec, path, params),
            min_length=r.get(spec, "min_length", path, int),
            max_length=r.get(spec, "max_length", path, int),
            pattern=pattern,
            same_region=r.get(spec, "same_region", path, bool, True),
        )
        if param.required and default is not None:
            raise r.error(path + ("required",), "a parameter with a default cannot also be required")
        if isinstance(default, str):
            with r.within(param.when):
                r.template(default, path + ("default",), params)
            if not placeholders(default) and not (default == "" and not param.required):
                try:
                    parse_value(param, default)
                except ValueError as err:
                    raise r.error(path + ("default",), f"the default is not valid: {err}") from None
        params[name] = param
    return params


def _read_conditions(
    r: _Reader, obj: Mapping[str, Any], path: tuple[str | int, ...], actions: tuple[str, ...] = ()
) -> tuple[ConditionSpec, ...]:
    from xraybuilder.core.conditions import canonical_operator, parse_operator

    out = []
    seen: set[tuple[str, str]] = set()
    for i, cond in enumerate(r.tables(obj, "condition", path)):
        where = path + ("condition", i)
        r.keys(cond, where, ("operator", "key", "values", "when"), ("operator", "key", "values"))
        operator = r.text(cond, "operator", where)
        if parse_operator(operator) is None:
            meant = canonical_operator(operator)
            hint = f" (IAM matches operator names exactly: write {meant!r})" if meant else ""
            raise r.error(where + ("operator",), f"unknown condition operator {operator!r}{hint}")
        when = r.when(cond, where)
        with r.within(when):
            key = r.template(r.text(cond, "key", where), where + ("key",))
            values = tuple(r.template(v, where + ("values",)) for v in r.strings(cond, "values", where))
        sample = PLACEHOLDER.sub("x", key)
        if catalog.condition_key(sample) is None:
            raise r.error(where + ("key",), f"unknown condition key {key!r}")
        for action in actions:
            _check_key_for_action(r, where + ("key",), key, sample, action)
        if not values:
            raise r.error(where + ("values",), "give at least one value")
        ident = (operator.lower(), key.lower())
        if ident in seen:
            raise r.error(where, f"{operator} on {key} appears twice in one statement")
        seen.add(ident)
        out.append(ConditionSpec(operator, key, values, when))
    return tuple(out)


# Keys that depend on the action (tags and service keys); other aws: keys apply to every request.
_ACTION_SPECIFIC_GLOBAL = ("aws:requesttag/", "aws:resourcetag/", "aws:tagkeys")


def _check_key_for_action(
    r: _Reader, path: tuple[str | int, ...], key: str, sample: str, action: str
) -> None:
    lowered = sample.lower()
    if lowered.startswith("aws:") and not lowered.startswith(_ACTION_SPECIFIC_GLOBAL):
        return
    act = catalog.action(action)
    if act is None:
        return
    supported = act.all_condition_keys()
    if not any(catalog.key_matches_template(sample, t) for t in supported):
        tags = [k for k in supported if k.lower().startswith(_ACTION_SPECIFIC_GLOBAL)]
        hint = f"; it supports {', '.join(tags)}" if tags else ""
        raise r.error(path, f"{action} does not support the condition key {key}{hint}")


def _check_actions(r: _Reader, actions: tuple[str, ...], path: tuple[str | int, ...]) -> None:
    for i, action in enumerate(actions):
        _check_action(r, action, path + (i,))


def _check_action(r: _Reader, action: str, path: tuple[str | int, ...]) -> None:
    if "*" in action or "?" in action:
        raise r.error(path, f"{action!r}: list actions by name here; use a [query] with 'match' for patterns")
    if catalog.action(action) is None:
        prefix = action.partition(":")[0]
        svc = catalog.service(prefix)
        if svc is None:
            raise r.error(path, f"unknown action {action!r}: the catalog has no service {prefix!r}")
        full = [a.full_name for a in svc.actions.values()]
        raise r.error(path, f"unknown action {action!r}{suggest(action, full)}")


def _read_query(r: _Reader, q: Mapping[str, Any], path: tuple[str | int, ...]) -> ActionQuery:
    r.keys(q, path, ("service", "access_levels", "resource_types", "match", "exclude"), ("service",))
    prefix = r.text(q, "service", path)
    svc = catalog.service(prefix)
    if svc is None:
        raise r.error(
            path + ("service",),
            f"no AWS service has the prefix {prefix!r}{suggest(prefix, catalog.service_prefixes())}",
        )
    levels = r.strings(q, "access_levels", path)
    for i, level in enumerate(levels):
        if level not in catalog.ACCESS_LEVELS:
            raise r.error(
                path + ("access_levels", i),
                f"unknown access level {level!r}; use {', '.join(catalog.ACCESS_LEVELS)}",
            )
    types = r.strings(q, "resource_types", path)
    for i, rtype in enumerate(types):
        if rtype != "none" and rtype not in svc.resource_types:
            raise r.error(
                path + ("resource_types", i),
                f"{prefix} has no resource type {rtype!r}; use {', '.join([*svc.resource_types, 'none'])}",
            )
    match = r.strings(q, "match", path)
    for i, pattern in enumerate(match):
        if not svc.match_actions(pattern):
            raise r.error(path + ("match", i), f"{pattern!r} matches no {prefix} action")
    exclude = r.strings(q, "exclude", path)
    query = ActionQuery(prefix, levels, types, match, exclude)
    selected = {a.lower() for a in ActionQuery(prefix, levels, types, match).run()}
    for i, name in enumerate(exclude):
        _check_action(r, name, path + ("exclude", i))
        if name.lower() not in selected:
            raise r.error(
                path + ("exclude", i), f"{name} is not selected by the query, so excluding it does nothing"
            )
    if not query.run():
        raise r.error(path, "the query selects no action")
    return query


def _read_statement(r: _Reader, s: Mapping[str, Any], path: tuple[str | int, ...]) -> StatementSpec:
    r.keys(
        s,
        path,
        (
            "sid",
            "effect",
            "actions",
            "query",
            "managed_actions",
            "resources",
            "condition",
            "when",
            "outside_baseline",
        ),
        ("sid", "resources"),
    )
    sid = r.text(s, "sid", path)
    if not _SID.fullmatch(sid):
        raise r.error(path + ("sid",), f"{sid!r}: a Sid holds only letters and digits")
    effect = r.text(s, "effect", path, "Allow")
    if effect not in ("Allow", "Deny"):
        raise r.error(path + ("effect",), f"Effect must be Allow or Deny, not {effect!r}")
    actions: list[str] = []
    sources: list[str] = []
    listed = r.strings(s, "actions", path)
    _check_actions(r, listed, path + ("actions",))
    if listed:
        actions.extend(catalog.action(a).full_name for a in listed)  # type: ignore[union-attr]
        sources.append("listed: " + ", ".join(listed))
    for i, q in enumerate(r.tables(s, "query", path)):
        where = path + ("query",) if isinstance(s.get("query"), dict) else path + ("query", i)
        query = _read_query(r, q, where)
        actions.extend(query.run())
        sources.append(query.describe())
    managed_name = r.get(s, "managed_actions", path, str)
    if managed_name is not None:
        actions.extend(_managed_actions(r, managed_name, path + ("managed_actions",)))
        sources.append(f"the actions of {managed_name}")
    if not actions:
        raise r.error(path, "the statement has no actions: give 'actions', a [query] or 'managed_actions'")
    unique = tuple(dict.fromkeys(actions))
    when = r.when(s, path)
    with r.within(when):
        resources = tuple(
            r.template(v, path + ("resources", i)) for i, v in enumerate(r.strings(s, "resources", path))
        )
        conditions = _read_conditions(r, s, path, unique)
        outside = r.get(s, "outside_baseline", path, str)
        if outside is not None:
            r.template(outside, path + ("outside_baseline",))
    if not resources:
        raise r.error(path + ("resources",), "give at least one resource ('*' or an ARN template)")
    return StatementSpec(
        sid=sid,
        actions=unique,
        resources=resources,
        effect=effect,
        conditions=conditions,
        when=when,
        sources=tuple(sources),
        outside_baseline=outside,
    )


def _managed_actions(r: _Reader, name: str, path: tuple[str | int, ...]) -> list[str]:
    policy = managed_policy(name)
    if policy is None:
        from xraybuilder.core.managed import managed_policies

        raise r.error(path, f"unknown managed policy {name!r}{suggest(name, managed_policies())}")
    out: list[str] = []
    for st in policy.policy.statements:
        if st.effect != "Allow" or st.not_action or st.condition:
            continue
        for action in st.actions():
            if "*" in action or "?" in action:
                raise r.error(path, f"{name} grants {action}; reference a policy that lists its actions")
            out.append(action)
    return out


def _read_principals(r: _Reader, data: Mapping[str, Any]) -> tuple[PrincipalSpec, ...]:
    out = []
    for i, p in enumerate(r.tables(data, "principal", ())):
        path: tuple[str | int, ...] = ("principal", i)
        r.keys(
            p,
            path,
            ("kind", "label", "service", "condition", "instance_profile", "access_keys", "when"),
            ("kind", "label"),
        )
        kind = r.text(p, "kind", path)
        if kind not in PRINCIPAL_KINDS:
            raise r.error(
                path + ("kind",),
                f"unknown principal kind {kind!r}"
                f"{suggest(kind, PRINCIPAL_KINDS)}; use {', '.join(PRINCIPAL_KINDS)}",
            )
        service = r.get(p, "service", path, str)
        if service is not None and "." not in service and service not in service_principals():
            raise r.error(
                path + ("service",),
                f"no service principal is known for {service!r}; use one of "
                f"{', '.join(service_principals())} or a full principal like "
                "'ec2.amazonaws.com'",
            )
        role = PRINCIPAL_KINDS[kind] == "role"
        if role != (service is not None):
            raise r.error(
                path,
                f"principal kind {kind} {'needs' if role else 'takes no'} 'service' "
                "(the service principal a role's trust policy names)",
            )
        when = r.when(p, path)
        with r.within(when):
            label = r.template(r.text(p, "label", path), path + ("label",))
            conditions = _read_conditions(r, p, path, ("sts:AssumeRole",)) if service else ()
        if not service and "condition" in p:
            raise r.error(path + ("condition",), "only a role's trust policy takes conditions")
        out.append(
            PrincipalSpec(
                kind=kind,
                label=label,
                service=service,
                conditions=conditions,
                instance_profile=r.get(p, "instance_profile", path, bool, False),
                access_keys=r.get(p, "access_keys", path, bool, False),
                when=when,
            )
        )
    if not out:
        raise r.error(("principal",), "give at least one [[principal]]")
    return tuple(out)


def _read_names(r: _Reader, raw: Mapping[str, Any]) -> tuple[tuple[str, str, When], ...]:
    r.keys(raw, ("names",), NAME_KINDS)
    out: list[tuple[str, str, When]] = []
    for kind, spec in raw.items():
        path: tuple[str | int, ...] = ("names", kind)
        if isinstance(spec, str):
            out.append((kind, r.template(spec, path), ()))
            continue
        if not isinstance(spec, dict):
            raise r.error(path, "must be a template string or a table with 'value' and 'when'")
        r.keys(spec, path, ("value", "when"), ("value",))
        when = r.when(spec, path)
        with r.within(when):
            out.append((kind, r.template(r.text(spec, "value", path), path + ("value",)), when))
    return tuple(out)


def _read_managed(r: _Reader, m: Mapping[str, Any], path: tuple[str | int, ...]) -> ManagedAttachment:
    r.keys(m, path, ("name", "arn", "why", "when"))
    name = r.get(m, "name", path, str)
    arn = r.get(m, "arn", path, str)
    if (name is None) == (arn is None):
        raise r.error(path, "give either 'name' (a managed policy xraybuilder ships) or 'arn'")
    if name is not None and managed_policy(name) is None:
        from xraybuilder.core.managed import managed_policies

        raise r.error(
            path + ("name",),
            f"unknown managed policy {name!r}"
            f"{suggest(name, managed_policies())}; for other AWS managed policies give 'arn'",
        )
    when = r.when(m, path)
    if arn is not None:
        with r.within(when):
            r.template(arn, path + ("arn",))
        if not re.fullmatch(r"arn:\{partition\}:iam::aws:policy/[\w+=,.@/-]+", arn, re.ASCII):
            raise r.error(path + ("arn",), "must look like arn:{partition}:iam::aws:policy/NAME")
    return ManagedAttachment(name, arn, r.get(m, "why", path, str, ""), when)


def _read_key_policy(r: _Reader, k: Mapping[str, Any], path: tuple[str | int, ...]) -> KeyPolicyStatementSpec:
    r.keys(
        k,
        path,
        ("sid", "principals", "actions", "resources", "condition", "when"),
        ("sid", "principals", "actions"),
    )
    sid = r.text(k, "sid", path)
    if not _SID.fullmatch(sid):
        raise r.error(path + ("sid",), f"{sid!r}: a Sid holds only letters and digits")
    actions = r.strings(k, "actions", path)
    _check_actions(r, actions, path + ("actions",))
    when = r.when(k, path)
    with r.within(when):
        principals = tuple(r.template(v, path + ("principals",)) for v in r.strings(k, "principals", path))
        resources = tuple(r.template(v, path + ("resources",)) for v in r.strings(k, "resources", path))
        conditions = _read_conditions(r, k, path, actions)
    if not principals or not actions:
        raise r.error(path, "give at least one principal and one action")
    return KeyPolicyStatementSpec(sid, principals, actions, resources or ("*",), conditions, when)


def _read_snippet(r: _Reader, s: Mapping[str, Any], path: tuple[str | int, ...]) -> SnippetSpec:
    r.keys(
        s,
        path,
        ("id", "title", "kind", "file", "template", "profile", "region", "language", "when"),
        ("id", "title", "kind", "file"),
    )
    kind = r.text(s, "kind", path)
    if kind not in SNIPPET_KINDS:
        raise r.error(path + ("kind",), f"unknown snippet kind {kind!r}; use {', '.join(SNIPPET_KINDS)}")
    when = r.when(s, path)
    with r.within(when):
        spec = SnippetSpec(
            id=r.text(s, "id", path),
            title=r.template(r.text(s, "title", path), path + ("title",)),
            kind=kind,
            file=r.template(r.text(s, "file", path), path + ("file",)),
            template=r.template(r.text(s, "template", path, ""), path + ("template",)),
            profile=r.template(r.text(s, "profile", path, ""), path + ("profile",)),
            region=r.template(r.text(s, "region", path, ""), path + ("region",)),
            language=r.text(s, "language", path, "ini" if kind != "text" else "text"),
            when=when,
        )
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", PLACEHOLDER.sub("x", spec.file)):
        raise r.error(path + ("file",), "a plain file name: letters, digits, _ . - (no folders)")
    if kind == "text" and not spec.template:
        raise r.error(path, "a text snippet needs a 'template'")
    if kind != "text" and not spec.profile:
        raise r.error(path, f"an {kind} snippet needs a 'profile'")
    if kind == "aws-config" and not spec.region:
        raise r.error(path, "an aws-config snippet needs a 'region'")
    return spec


def _read_note(r: _Reader, n: Mapping[str, Any], path: tuple[str | int, ...]) -> NoteSpec:
    r.keys(n, path, ("text", "when"), ("text",))
    when = r.when(n, path)
    with r.within(when):
        return NoteSpec(r.template(r.text(n, "text", path), path + ("text",)), when)


def _read_expectations(r: _Reader, raw: Mapping[str, Any]) -> tuple[ExpectationSpec, ...]:
    r.keys(raw, ("expect",), ("allowed", "denied"))
    out = []
    for outcome in ("allowed", "denied"):
        for i, e in enumerate(r.tables(raw, outcome, ("expect",))):
            path: tuple[str | int, ...] = ("expect", outcome, i)
            r.keys(
                e,
                path,
                ("action", "resource", "request_tags", "resource_tags", "context", "why", "when"),
                ("action",),
            )
            action = r.text(e, "action", path)
            _check_action(r, action, path + ("action",))
            when = r.when(e, path)
            pairs = {}
            with r.within(when):
                for table in ("request_tags", "resource_tags", "context"):
                    t = r.get(e, table, path, dict, {})
                    for key, value in t.items():
                        if not isinstance(value, str):
                            raise r.error(path + (table, key), f"must be a string, not {_type_name(value)}")
                        r.template(key, path + (table, key))
                        r.template(value, path + (table, key))
                    pairs[table] = tuple(t.items())
                resource = r.template(r.text(e, "resource", path, "*"), path + ("resource",))
            out.append(
                ExpectationSpec(
                    allowed=outcome == "allowed",
                    action=action,
                    resource=resource,
                    request_tags=pairs["request_tags"],
                    resource_tags=pairs["resource_tags"],
                    context=pairs["context"],
                    why=r.text(e, "why", path, ""),
                    when=when,
                )
            )
    return tuple(out)


def _read_baseline(r: _Reader, data: Mapping[str, Any]) -> tuple[str, ...]:
    baseline = r.strings(data, "baseline", ())
    for i, name in enumerate(baseline):
        if managed_policy(name) is None:
            raise r.error(("baseline", i), f"unknown managed policy {name!r}")
    return baseline
