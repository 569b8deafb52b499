"""Parameter values: what each parameter type accepts, templates, and resolving a preset's values.

Every check returns or collects a message saying what is wrong and what is allowed;
``resolve`` gathers all problems at once so a form can show each next to its field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from xraybuilder.core import catalog, names
from xraybuilder.core.scenarios.model import Parameter, ParameterProblem, Preset, PresetError, Value

# ``{name}`` is a parameter; ``${aws:username}`` (an IAM policy variable) is left alone.
PLACEHOLDER = re.compile(r"(?<!\$)\{([a-z][a-z0-9_]*)\}")
# Values every template may use besides the preset's parameters.
BUILTINS = ("dns_suffix",)


class _Invalid(ValueError):
    """A value a parameter type refuses; the message says what is allowed.

    ``parts`` holds every problem found, each as (level, message, start, end) with
    offsets in the text as typed, when the checker places them.
    """

    def __init__(self, message: str, parts: tuple[tuple[str, str, int, int], ...] = ()) -> None:
        super().__init__(message)
        self.parts = parts


def suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _parse_bool(text: str, _param: Parameter) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise _Invalid(f"{text!r} is not a yes/no value; use true or false")


def _parse_choice(text: str, param: Parameter) -> str:
    if text in param.choices:
        return text
    raise _Invalid(
        f"{text!r} is not one of the choices: {', '.join(param.choices)}{suggest(text, param.choices)}"
    )


def _parse_string(text: str, param: Parameter) -> str:
    if param.min_length is not None and len(text) < param.min_length:
        raise _Invalid(f"needs at least {param.min_length} characters")
    if param.max_length is not None and len(text) > param.max_length:
        raise _Invalid(f"has {len(text)} characters; the most allowed is {param.max_length}")
    if param.pattern is not None and not re.fullmatch(param.pattern, text):
        raise _Invalid(f"{text!r} does not match the pattern {param.pattern}")
    return text


def _parse_partition(text: str, _param: Parameter) -> str:
    known = catalog.partitions()
    if text in known:
        return text
    raise _Invalid(f"unknown partition {text!r}; choose one of {', '.join(known)}{suggest(text, known)}")


def _parse_region(text: str, _param: Parameter) -> str:
    # Only Regions the catalog lists: a typo such as eu-wset-1 still has a Region's shape.
    every = [r for p in catalog.partitions().values() for r in p.regions]
    if text in every:
        return text
    raise _Invalid(f"{text!r} is not an AWS Region the catalog knows, like us-east-1{suggest(text, every)}")


def _parse_account(text: str, _param: Parameter) -> str:
    if re.fullmatch(r"\d{12}", text):
        return text
    digits = sum(c.isdigit() for c in text)
    if text.isdigit():
        raise _Invalid(f"an account ID has exactly 12 digits, like 123456789012; {text!r} has {digits}")
    raise _Invalid(f"an account ID is 12 digits, like 123456789012; got {text!r}")


def _checker(check: Callable[[str], str | None]) -> Callable[[str, Parameter], str]:
    def parse(text: str, _param: Parameter) -> str:
        problem = check(text)
        if problem is not None:
            raise _Invalid(problem)
        return text

    return parse


_ARN = re.compile(r"arn:([^:]*):([^:]*):([^:]*):([^:]*):(.+)", re.S)
_KMS_KEY_ID = re.compile(r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_IAM_PRINCIPAL = re.compile(r"root|(user|role)/(?:[\x21-\x7e]*/)?[\w+=,.@-]{1,128}", re.ASCII)


def _split_arn(text: str, what: str, example: str, base: int = 0) -> tuple[str, str, str, str, str]:
    from xraybuilder.core.arn import check_arn

    m = _ARN.fullmatch(text)
    if m is None or "*" in text or "?" in text:
        message = f"{text!r} is not {what}; expected an ARN like {example} (no wildcards)"
        raise _Invalid(message, (("error", message, base, base + len(text)),))
    # The ARN checker words part-by-part problems the way the linter does; the message
    # leads with the first error, and ``parts`` keeps every problem where it lies.
    check = check_arn(text)
    if check.errors:
        # Errors first (the message leads with the first), each worded as on its own.
        ordered = sorted(check.problems, key=lambda p: not p.is_error)
        parts = tuple((p.level, f"{text}: {p.message}", base + p.start, base + p.end) for p in ordered)
        raise _Invalid(parts[0][1], parts)
    part, svc, region, account, rest = m.groups()
    return part, svc, region, account, rest


def _parse_kms_key_arn(text: str, _param: Parameter) -> str:
    example = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    part, svc, region, account, rest = _split_arn(text, "a KMS key ARN", example)
    if svc != "kms":
        raise _Invalid(f"{text!r} is a {svc or 'blank'} ARN, not a KMS key ARN like {example}")
    if rest.startswith("alias/"):
        raise _Invalid(
            "use the key's ARN (…:key/KEY-ID), not an alias ARN: key policies and grants belong to the key"
        )
    if not rest.startswith("key/") or not _KMS_KEY_ID.fullmatch(rest[4:]):
        raise _Invalid(f"the resource part must be key/ followed by a key ID, like {example}")
    if catalog.partition_for_region(region) is None or not re.fullmatch(r"\d{12}", account):
        raise _Invalid(f"{text!r} needs a Region and a 12-digit account, like {example}")
    return text


def _parse_principal_arn(text: str, _param: Parameter, base: int = 0) -> str:
    example = "arn:aws:iam::123456789012:role/XRayAdmin"
    base += len(text) - len(text.lstrip())
    text = text.strip()
    _part, svc, region, account, rest = _split_arn(text, "an IAM user or role ARN", example, base)
    if svc != "iam" or region:
        raise _Invalid(f"{text!r} is not an IAM ARN; expected one like {example}")
    if not re.fullmatch(r"\d{12}", account):
        raise _Invalid(f"{text!r} needs a 12-digit account ID, like {example}")
    if not _IAM_PRINCIPAL.fullmatch(rest):
        raise _Invalid(f"{text!r} must name root, a user/NAME or a role/NAME, like {example}")
    return text


def _parse_principal_list(text: str, param: Parameter) -> tuple[str, ...]:
    items = list(re.finditer(r"[^,\s]+", text))
    if not items:
        raise _Invalid("give at least one IAM user or role ARN (separate several with commas)")
    out = []
    first: str | None = None
    parts: list[tuple[str, str, int, int]] = []
    for i, m in enumerate(items, 1):
        try:
            out.append(_parse_principal_arn(m.group(), param, m.start()))
        except _Invalid as err:
            first = first or f"item {i}: {err}"
            own = err.parts or (("error", str(err), m.start(), m.end()),)
            parts.extend((level, f"item {i}: {message}", start, end) for level, message, start, end in own)
    if first is not None:
        raise _Invalid(first, tuple(parts))
    return tuple(dict.fromkeys(out))


PARAMETER_TYPES: dict[str, Callable[[str, Parameter], Value]] = {
    "string": _parse_string,
    "bool": _parse_bool,
    "choice": _parse_choice,
    "partition": _parse_partition,
    "region": _parse_region,
    "account": _parse_account,
    "role_name": _checker(names.check_role_name),
    "user_name": _checker(names.check_user_name),
    "instance_profile_name": _checker(names.check_instance_profile_name),
    "policy_name": _checker(names.check_policy_name),
    "group_name": _checker(names.check_group_name),
    "sampling_rule_name": _checker(names.check_sampling_rule_name),
    "tag_key": _checker(names.check_tag_key),
    "tag_value": _checker(names.check_tag_value),
    "profile_name": _checker(names.check_profile_name),
    "kms_key_arn": _parse_kms_key_arn,
    "principal_arn": _parse_principal_arn,
    "principal_arn_list": _parse_principal_list,
}
_ARN_TYPES = ("kms_key_arn", "principal_arn", "principal_arn_list")


def parse_value(param: Parameter, text: str) -> Value:
    """Parse one parameter's text; raises ValueError with the validator's message."""
    return PARAMETER_TYPES[param.type](text, param)


def placeholders(template: str) -> list[str]:
    """Parameter names a template refers to."""
    return PLACEHOLDER.findall(template)


def value_text(value: Value) -> str:
    """A value as text inside a template (lists joined with commas)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    return value


def fill(template: str, values: Mapping[str, Value], *, source: str = "", key: str = "") -> str:
    """Replace ``{name}`` placeholders with parameter values."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in values:
            raise PresetError(source, f"{{{name}}} has no value with these parameters", key=key)
        return value_text(values[name])

    return PLACEHOLDER.sub(sub, template)


def fill_list(
    templates: Iterable[str], values: Mapping[str, Value], *, source: str = "", key: str = ""
) -> list[str]:
    """Fill each template; an item that is just ``{list_param}`` becomes that list's items."""
    out: list[str] = []
    for template in templates:
        m = PLACEHOLDER.fullmatch(template)
        if m and isinstance(values.get(m.group(1)), tuple):
            out.extend(values[m.group(1)])  # type: ignore[arg-type]
        else:
            out.append(fill(template, values, source=source, key=key))
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Resolution:
    """Parameter values after parsing, defaults and cross-checks, with every problem found."""

    values: Mapping[str, Value]
    problems: tuple[ParameterProblem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_for(self, name: str) -> ParameterProblem | None:
        return next((p for p in self.problems if p.name == name), None)


def builtin_values(values: Mapping[str, Value]) -> dict[str, Value]:
    """Values every template can use, derived from the partition."""
    part = catalog.partitions().get(str(values.get("partition", "aws")))
    return {"dns_suffix": part.dns_suffix if part else "amazonaws.com"}


def resolve(preset: Preset, given: Mapping[str, str | bool]) -> Resolution:
    """Parse ``given`` (text from a command line or a form) against the preset's parameters.

    Parameters are resolved in declared order so defaults like ``{role_name}`` and ``when``
    conditions can use earlier values. Every problem is collected, none raised.
    """
    problems: list[ParameterProblem] = []
    unused: list[str] = []
    for name, raw_value in given.items():
        if name in preset.parameters:
            continue
        if name in SHARED_PARAMETERS:
            # The shared names are accepted by every preset, so one script can pass the
            # same partition/region/account to all of them; still validated, then noted.
            problem = _shared_problem(name, raw_value)
            if problem is not None:
                problems.append(problem)
            else:
                unused.append(f"{preset.id} does not use {name}: nothing it builds depends on it.")
            continue
        problems.append(
            ParameterProblem(
                name,
                f"{preset.id} has no parameter {name!r}{suggest(name, preset.parameters)}; "
                f"it takes {', '.join(preset.parameters)}",
                "unknown",
            )
        )
    values: dict[str, Value] = {}
    failed: set[str] = set()
    for param in preset.parameters.values():
        if not param.applies(values):
            if param.name in given:
                unused.append(
                    f"{param.name} is ignored with these choices: it applies only when "
                    + " and ".join(f"{k} is {' or '.join(map(str, v))}" for k, v in param.when)
                    + "."
                )
            continue
        raw = given.get(param.name)
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        if raw is not None and not raw.strip() and param.type != "tag_value":
            # An empty value is refused rather than read as "use the default": with
            # ``-p region=$REGION`` and the variable unset, the default would be silently wrong.
            default = param.default
            if isinstance(default, str) and not placeholders(default):
                hint = f"leave it out to use the default, {default}"
            elif default is not None:
                hint = "leave it out to use the default"
            else:
                hint = "leave it out" if not param.required else "it is required"
            problems.append(ParameterProblem(param.name, f"is empty; give a value, or {hint}", "empty"))
            failed.add(param.name)
            continue
        if raw is None:
            if param.default is None:
                if param.required:
                    problems.append(ParameterProblem(param.name, "required", "missing"))
                    failed.add(param.name)
                continue
            if isinstance(param.default, bool):
                values[param.name] = param.default
                continue
            refs = placeholders(param.default)
            if any(r in failed for r in refs):
                failed.add(param.name)
                continue
            raw = fill(
                param.default,
                {**values, **builtin_values(values)},
                source=preset.source,
                key=f"parameters.{param.name}.default",
            )
        try:
            values[param.name] = parse_value(param, raw)
        except ValueError as err:
            problems.append(ParameterProblem(param.name, str(err), parts=getattr(err, "parts", ())))
            failed.add(param.name)
    notes = _cross_check(preset, values, problems)
    return Resolution(values, tuple(problems), tuple(unused + notes))


# Parameters every preset accepts under the same name, used by it or not.
SHARED_PARAMETERS = ("partition", "region", "account")


def _shared_problem(name: str, raw: str | bool) -> ParameterProblem | None:
    text = ("true" if raw else "false") if isinstance(raw, bool) else raw
    if not text.strip():
        return ParameterProblem(name, "is empty; give a value, or leave it out", "empty")
    try:
        parse_value(Parameter(name=name, type=name, description=""), text)
    except ValueError as err:
        return ParameterProblem(name, str(err))
    return None


def _cross_check(preset: Preset, values: dict[str, Value], problems: list[ParameterProblem]) -> list[str]:
    """Checks between parameters: Region in partition, ARNs in the same partition and Region."""
    notes: list[str] = []
    partition = values.get("partition")
    region = values.get("region")
    if isinstance(region, str):
        home = catalog.partition_for_region(region)
        if isinstance(partition, str) and home is not None and home.id != partition:
            problems.append(
                ParameterProblem(
                    "region",
                    f"{region} is in the {home.id} partition, not {partition}; "
                    f"set partition={home.id} or pick a Region of {partition}",
                )
            )
        elif home is not None and region not in home.xray_regions:
            notes.append(
                f"X-Ray has no endpoint in {region} in the catalog's endpoint data; "
                "check that the service is available there."
            )
    for param in preset.parameters.values():
        if param.type not in _ARN_TYPES or param.name not in values:
            continue
        value = values[param.name]
        for arn in value if isinstance(value, tuple) else (str(value),):
            arn_partition, _, arn_region = arn.split(":")[1:4]
            if isinstance(partition, str) and arn_partition != partition:
                problems.append(
                    ParameterProblem(
                        param.name, f"{arn} is in the {arn_partition} partition but partition is {partition}"
                    )
                )
                break
            if param.same_region and arn_region and isinstance(region, str) and arn_region != region:
                problems.append(
                    ParameterProblem(
                        param.name,
                        f"{arn} is in {arn_region} but region is {region}; "
                        "X-Ray can only use a key in its own Region",
                    )
                )
                break
    return notes
