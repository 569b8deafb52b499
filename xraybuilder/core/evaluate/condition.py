"""A statement's Condition block, read once and decided against requests.

IAM's rules (User Guide: "Condition operators", "Conditions with multiple context keys
or values", "Single-valued vs. multivalued context keys"):

* several operators, and several keys under one operator, must all hold (AND);
* several values for one key: any may match (OR); for a negated operator (``StringNot…``,
  ``NumericNotEquals``, ``DateNotEquals``, ``NotIpAddress``, ``ArnNot…``) the result is
  NOT of that OR, i.e. the request value must match none of them (NOR);
* a key missing from the request makes the condition false, except for negated
  operators (true), ``…IfExists`` (true) and ``Null`` (which tests exactly that);
* ``ForAllValues:`` is true when every request value matches, and when the key is
  missing or its set is empty; ``ForAnyValue:`` needs at least one matching value and is
  false for a missing key or an empty set, ``…IfExists`` or not (IfExists applies to
  each value inside the set, so it cannot rescue an empty one; this is what IAM
  answers, as reported on AWS re:Post for ``ForAnyValue:StringEqualsIfExists``); with a
  negated operator, "matches" means the per-value negated test (a value that equals
  none of the policy values);
* an empty list counts as a missing key (the "empty data set" of the User Guide).

Modelling decisions where IAM's documentation is silent, kept explicit:

* an operator without a set qualifier on a key whose request value holds more than one
  value does not match (IAM requires ``ForAllValues:``/``ForAnyValue:`` there); a
  one-value list is treated as that single value;
* a set qualifier on a single-valued key treats the value as a one-element set;
* ``Null`` ignores a set qualifier; ``NullIfExists`` is unknown, as IAM rejects it, and
  so is an operator spelled in the wrong case (IAM matches operator names exactly);
* a request value in the wrong format (a number expected) makes the condition false.

A variable the request cannot fill invalidates the whole statement; the statement checks
that before its conditions run (see ``statement``).
"""

from __future__ import annotations

from dataclasses import dataclass

from xraybuilder.core.conditions import Operator, canonical_operator, comparison_words, parse_operator
from xraybuilder.core.evaluate.request import Request
from xraybuilder.core.evaluate.values import BadRequestValue, ValueSet, parse_bool
from xraybuilder.core.evaluate.variables import Variable
from xraybuilder.core.policy.model import Condition, ConditionValue


def _as_strings(value: ConditionValue) -> tuple[str, ...]:
    items = value if isinstance(value, tuple) else (value,)
    return tuple(("true" if v else "false") if isinstance(v, bool) else str(v) for v in items)


def _listing(values: tuple[str, ...]) -> str:
    return ", ".join(repr(v) for v in values)


@dataclass(frozen=True)
class CompiledCondition:
    """One operator/key pair of a Condition block."""

    operator_name: str
    op: Operator | None
    key: str
    raw: tuple[str, ...]
    values: ValueSet | None

    @property
    def variables(self) -> tuple[Variable, ...]:
        """The live policy variables in the condition's values."""
        return self.values.variables if self.values is not None else ()

    @property
    def label(self) -> str:
        return f"condition {self.operator_name} {self.key}"

    def evaluate(self, request: Request) -> tuple[bool, str]:
        """Whether the condition holds for the request, and why, in plain words."""
        op = self.op
        if op is None:
            meant = canonical_operator(self.operator_name)
            hint = f" (IAM spells it {meant})" if meant else ""
            return False, (
                f"{self.label}: {self.operator_name} is not a condition operator "
                f"IAM accepts{hint}, so it never holds"
            )
        found = request.get(self.key)
        values = () if found is None else (found,) if isinstance(found, str) else found
        if op.base == "Null" or self.values is None:
            return self._null(not values)
        if not values:
            return self._missing(op)
        if op.set_qualifier is None and len(values) > 1:
            return False, (
                f"{self.label}: the request has {len(values)} values for this key "
                f"({_listing(values)}); without ForAllValues:/ForAnyValue: an operator "
                "does not match a multivalued key"
            )
        outcomes: list[tuple[str, bool, str]] = []
        for value in values:
            try:
                found_match = self.values.first_match(value, request.variable)
            except BadRequestValue as err:
                return False, f"{self.label}: {err}"
            hit = found_match.position is not None
            text = self._describe(value, found_match.position, found_match.note)
            outcomes.append((value, hit != op.negated, text))
        if op.set_qualifier is None:
            _, ok, text = outcomes[0]
            return ok, f"{self.label}: {text}{self._negation_tail(ok)}"
        if op.set_qualifier == "ForAllValues":
            failing = next((o for o in outcomes if not o[1]), None)
            if failing is None:
                return True, (
                    f"{self.label}: every request value passes ({'; '.join(o[2] for o in outcomes)})"
                )
            return False, f"{self.label}: request value {failing[2]}{self._negation_tail(False)}"
        passing = next((o for o in outcomes if o[1]), None)
        if passing is not None:
            return True, f"{self.label}: request value {passing[2]}{self._negation_tail(True)}"
        return False, (f"{self.label}: no request value passes ({'; '.join(o[2] for o in outcomes)})")

    def _negation_tail(self, ok: bool) -> str:
        assert self.op is not None
        if not self.op.negated:
            return ""
        return f", so {self.op.base} holds" if ok else f", so {self.op.base} does not hold"

    def _describe(self, value: str, index: int | None, note: str | None) -> str:
        assert self.op is not None
        yes, no = comparison_words(self.op.positive)
        if index is not None:
            return f"{value!r} {yes} {self.raw[index]!r}"
        if not self.raw:
            return f"{value!r}: the condition lists no values"
        target = repr(self.raw[0]) if len(self.raw) == 1 else f"any of {_listing(self.raw)}"
        text = f"{value!r} {no} {target}"
        return f"{text} ({note})" if note else text

    def _missing(self, op: Operator) -> tuple[bool, str]:
        head = f"{self.label}: request has no such key"
        if op.set_qualifier == "ForAnyValue":
            tail = " (IfExists does not change that)" if op.if_exists else ""
            return False, f"{head}; ForAnyValue needs at least one value{tail}"
        if op.if_exists:
            return True, f"{head}, and IfExists makes that a match"
        if op.set_qualifier == "ForAllValues":
            return True, f"{head}; ForAllValues holds for an empty set"
        if op.negated:
            return True, f"{head}, so the negated operator {op.base} holds"
        return False, head

    def _null(self, missing: bool) -> tuple[bool, str]:
        state = "has no" if missing else "has"
        wanted = [parse_bool(v) for v in self.raw]
        if any(w is not None and w == missing for w in wanted):
            return True, f"{self.label}: request {state} {self.key}, as the condition asks"
        if all(w is None for w in wanted):
            return False, f"{self.label}: Null takes true or false, not {_listing(self.raw)}"
        return False, f"{self.label}: request {state} {self.key}"


def compile_condition(block: Condition | None, variables: bool) -> tuple[CompiledCondition, ...]:
    """Read a Condition element; ``variables`` says whether policy variables are live."""
    out: list[CompiledCondition] = []
    for operator_name, keys in (block or {}).items():
        op = parse_operator(operator_name)
        for key, value in keys.items():
            raw = _as_strings(value)
            values = ValueSet(op, raw, variables) if op is not None and op.base != "Null" else None
            out.append(CompiledCondition(operator_name, op, key, raw, values))
    return tuple(out)
