"""The wizard's questions, in their fixed order, and the draft their answers make.

A question is plain data: its words, its default, what completes it, how an answer is
checked and what ``?`` says. Nothing here talks to a terminal, so the prompt-toolkit
prompts and the line-by-line reader ask exactly the same questions. Every check is a
core function: parameter values go through ``scenarios.resolve``, the custom
statement through ``assess``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from xraybuilder.core import catalog
from xraybuilder.core.scenarios import Library, Parameter, Preset, parse_value, resolve, value_text
from xraybuilder.core.scenarios.values import SHARED_PARAMETERS

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment
    from xraybuilder.core.draft import Draft

CUSTOM = "custom"
# Items of a list answer ("xray:GetGroup, xray:GetGroups") are split on commas; spaces
# around them are the typist's, not part of the value.
LIST_SEPARATOR = re.compile(r"\s*,\s*")
Check = Callable[[str], str | None]
STATEMENT_STEPS = ("actions", "resources", "conditions")


@dataclass(frozen=True)
class Choice:
    """One completion: the word to insert and a few words about it."""

    word: str
    meta: str = ""


@dataclass(frozen=True)
class Question:
    """One question of the wizard."""

    key: str
    """What it sets: ``scenario``, ``account``, ``region``, ``partition``, ``parameter NAME``,
    ``actions``, ``resources``, ``conditions``."""
    text: str
    help: str
    default: str | None
    """What Enter gives; ``None`` when an answer is required, ``""`` when Enter leaves it out."""
    check: Check = field(default=lambda _text: None, compare=False)
    """A bad answer's explanation, or ``None`` when the answer is fine (checked after Enter
    has put the default in)."""
    choices: tuple[Choice, ...] = ()
    several: bool = False
    """A comma-separated list: completion works on the last item."""
    secret: bool = False

    def prompt(self) -> str:
        """``Role name [xray-lambda]: `` — the default in brackets, as the line shows it."""
        if self.default is None:
            return f"{self.text}: "
        return f"{self.text} [{self.default or 'none'}]: "

    def resolve_answer(self, text: str) -> str:
        """The answer Enter stands for: the default when nothing was typed."""
        stripped = text.strip()
        if not stripped and self.default is not None:
            return self.default
        return stripped


@cache
def help_texts() -> dict[str, dict[str, str]]:
    """``{"question": {key: text}, "type": {type: text}}`` from help.toml."""
    data = tomllib.loads(resources.files(__package__).joinpath("help.toml").read_text("utf-8"))
    return {
        group: {name: " ".join(entry["help"].split()) for name, entry in table.items()}
        for group, table in data.items()
    }


def question_help(key: str) -> str:
    return help_texts()["question"][key]


def split_list(text: str) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``."""
    return [item for item in LIST_SEPARATOR.split(text.strip()) if item]


def region_choices() -> tuple[Choice, ...]:
    """Every Region the catalog knows, with its partition."""
    return tuple(Choice(r, p.id) for p in catalog.partitions().values() for r in p.regions)


@dataclass
class Interview:
    """The answers so far; ``questions()`` yields the next question as they come in."""

    library: Library
    scenario: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    """Parameter text as typed (shared account/region/partition included), in entry order."""
    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ("*",)
    conditions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(key, values) of each tag condition."""

    # -- the fixed order ---------------------------------------------------------------

    def questions(self) -> Iterator[Question]:
        """The questions in their fixed order; later ones depend on earlier answers."""
        yield self.scenario_question()
        yield self.shared_question("account")
        yield self.shared_question("region")
        if "region" not in self.params:
            # Without a Region the partition does not follow from anything: ask.
            yield self.shared_question("partition")
        if self.scenario == CUSTOM:
            yield self.actions_question()
            yield self.resources_question()
            yield self.conditions_question()
            return
        done: set[str] = set()
        while (question := self.next_parameter_question(done)) is not None:
            done.add(question.key)
            yield question

    def record(self, question: Question, typed: str) -> None:
        """Keep a checked answer. Enter alone keeps a parameter's default out of the draft
        (the core fills it in), except the Region's, which the partition follows."""
        answer = question.resolve_answer(typed)
        key = question.key
        if key == "scenario":
            self.scenario = answer
        elif key == "actions":
            self.actions = tuple(split_list(answer))
        elif key == "resources":
            self.resources = tuple(split_list(answer)) or ("*",)
        elif key == "conditions":
            self.conditions = parse_conditions(answer)
        elif typed.strip() or question.default is None or key == "parameter region":
            if answer or question.default is None:
                self.params.update(self._with_partition(parameter_name(key), answer))

    def trial(self, question: Question, typed: str) -> Interview:
        """These answers plus ``typed`` for ``question`` when the question accepts it (else as they are)."""
        answer = question.resolve_answer(typed)
        ours = question.key in STATEMENT_STEPS + ("scenario",) or question.key.startswith("parameter ")
        if not ours or question.check(answer) is not None:
            return self
        trial = replace(self, params=dict(self.params))
        trial.record(question, typed)
        return trial

    # -- preset and shared parameters --------------------------------------------------

    @property
    def preset(self) -> Preset | None:
        if self.scenario is None or self.scenario == CUSTOM:
            return None
        return self.library.presets.get(self.scenario)

    def scenario_question(self) -> Question:
        choices = tuple(Choice(p.id, p.title) for p in self.library.ordered())
        choices += (Choice(CUSTOM, "write the actions, resources and conditions yourself"),)

        def check(text: str) -> str | None:
            if text == CUSTOM:
                return None
            if not text:
                return "type a scenario id, or custom; Tab lists them and ? explains"
            try:
                self.library.get(text)
            except LookupError as err:
                return str(err)
            return None

        return Question("scenario", "Scenario", question_help("scenario"), None, check, choices)

    def shared_question(self, name: str) -> Question:
        """Account, Region or partition: asked of every scenario, in that order."""
        preset = self.preset
        declared = preset.parameters.get(name) if preset is not None else None
        if declared is not None and declared.required:
            default: str | None = None
        elif declared is not None:
            default = self._resolved_text(name)
        else:
            # A scenario that does not use it still takes it, as `new` does.
            default = "aws" if name == "partition" else ""
        choices: tuple[Choice, ...] = ()
        if name == "region":
            choices = region_choices()
        elif name == "partition":
            choices = tuple(Choice(p) for p in catalog.partitions())
        title = {"account": "Account ID", "region": "Region", "partition": "Partition"}[name]
        return Question(
            f"parameter {name}",
            title,
            question_help(name),
            default,
            lambda text: self.parameter_problem(name, text),
            choices,
        )

    def next_parameter_question(self, done: set[str]) -> Question | None:
        """The preset's next parameter that applies with the answers so far, in declared order."""
        preset = self.preset
        if preset is None:
            return None
        values = resolve(preset, self.params).values
        for param in preset.parameters.values():
            key = f"parameter {param.name}"
            if param.name in SHARED_PARAMETERS or key in done or not param.applies(values):
                continue
            return self.parameter_question(param)
        return None

    def parameter_question(self, param: Parameter) -> Question:
        default = self._resolved_text(param.name)
        if default is None and not param.required:
            default = ""
        choices: tuple[Choice, ...] = ()
        if param.type == "choice":
            choices = tuple(Choice(c, param.choice_help.get(c, "")) for c in param.choices)
        elif param.type == "bool":
            choices = (Choice("true"), Choice("false"))
        words = [param.description]
        words.extend(f"{c}: {why}." for c, why in param.choice_help.items())
        type_help = help_texts()["type"].get(param.type)
        if type_help:
            words.append(type_help)
        return Question(
            f"parameter {param.name}",
            param.label or label_of(param.name),
            " ".join(words),
            default,
            lambda text: self.parameter_problem(param.name, text),
            choices,
        )

    def parameter_problem(self, name: str, text: str) -> str | None:
        """What the core says about this value for this parameter, given the other answers."""
        trial = {**self.params, **self._with_partition(name, text)}
        if not text:
            trial.pop(name, None)
        preset = self.preset
        if preset is None:
            if not text:
                return None
            try:
                parse_value(Parameter(name=name, type=name, description=""), text)
            except ValueError as err:
                return str(err)
            return None
        problem = resolve(preset, trial).problem_for(name)
        if problem is None:
            return None
        if problem.kind == "missing":
            return f"{preset.id} needs a value here; ? explains the question"
        return problem.message

    def _resolved_text(self, name: str) -> str | None:
        preset = self.preset
        if preset is None:
            return None
        value = resolve(preset, self.params).values.get(name)
        return None if value is None else value_text(value)

    @staticmethod
    def _with_partition(name: str, text: str) -> dict[str, str]:
        """A Region answer brings its partition along: the two cannot disagree."""
        if name != "region" or not text:
            return {name: text}
        home = catalog.partition_for_region(text)
        return {name: text} if home is None else {name: text, "partition": home.id}

    # -- the custom statement ----------------------------------------------------------

    def actions_question(self) -> Question:
        choices = tuple(
            Choice(action.full_name, action.access_level)
            for prefix in catalog.related_service_prefixes()
            if (svc := catalog.service(prefix)) is not None
            for action in sorted(svc.actions.values(), key=lambda a: a.name)
        )
        return Question(
            "actions",
            "Actions",
            question_help("actions"),
            None,
            lambda text: self.statement_problem("actions", text),
            choices,
            several=True,
        )

    def resources_question(self) -> Question:
        return Question(
            "resources",
            "Resources",
            question_help("resources"),
            "*",
            lambda text: self.statement_problem("resources", text),
            self.resource_choices(),
            several=True,
        )

    def conditions_question(self) -> Question:
        keys: dict[str, str] = {}
        for name in self.actions:
            action = catalog.action(name)
            for key in action.all_condition_keys() if action is not None else ():
                keys.setdefault(key.replace("${TagKey}", ""), "")
        for key in ("aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys"):
            keys.setdefault(key.replace("${TagKey}", ""), "")
        choices = tuple(Choice(k, _key_type(k)) for k in keys)
        return Question(
            "conditions",
            "Tag conditions",
            question_help("conditions"),
            "",
            lambda text: self.statement_problem("conditions", text),
            choices,
            several=True,
        )

    def resource_choices(self) -> tuple[Choice, ...]:
        """ARNs of the resource types the chosen actions take, with the answers filled in."""
        from xraybuilder.core.arn.build import fill_template
        from xraybuilder.core.arn.templates import PLACEHOLDER

        partition = self.params.get("partition", "aws")
        region = self.params.get("region", "*") or "*"
        account = self.params.get("account", "*") or "*"
        out: dict[str, str] = {"*": "every resource"}
        for name in self.actions:
            action = catalog.action(name)
            svc = catalog.service(action.service) if action is not None else None
            if action is None or svc is None:
                continue
            for ref in action.resource_types:
                rtype = svc.resource_types.get(ref.resource_type)
                if rtype is None:
                    continue
                # Names and ids are the person's to type: start them as "any".
                names = PLACEHOLDER.findall(rtype.arn_template)
                wild = ["*"] * sum(n not in ("Partition", "Region", "Account") for n in names)
                arn = fill_template(rtype, partition, region, account, *wild)
                out.setdefault(arn, f"{rtype.name} ({svc.prefix})")
        return tuple(Choice(arn, meta) for arn, meta in out.items())

    def statement_problem(self, step: str, text: str) -> str | None:
        """The first error ``assess`` finds at this step of the custom statement with this answer."""
        if step == "conditions":
            try:
                parse_conditions(text)
            except ValueError as err:
                return str(err)
        elif not split_list(text):
            return "give at least one, separated by commas" if step == "actions" else None
        trial = replace(self, params=dict(self.params))
        trial.record(Question(step, "", "", ""), text)
        from xraybuilder.core.assess import assess

        for found in assess(trial.draft()).findings:
            if found.field.step == step and found.finding.severity == "error":
                return f"{found.finding.path_str}: {found.finding.message}"
        return None

    # -- results -----------------------------------------------------------------------

    def draft(self) -> Draft:
        """The draft these answers make."""
        from xraybuilder.core.draft import Draft, DraftCondition

        if self.scenario != CUSTOM:
            return Draft.from_preset(self.scenario or "", self.params)
        draft = Draft.custom()
        if self.actions:
            draft = draft.set_actions(0, self.actions)
        draft = draft.set_resources(0, self.resources)
        for key, values in self.conditions:
            draft = draft.add_condition(0, DraftCondition(condition_operator(key), key, values))
        return draft

    def assessment(self) -> Assessment | None:
        """What the core says about the answers so far; None before a scenario is chosen."""
        from xraybuilder.core.assess import assess

        if self.scenario is None:
            return None
        return assess(self.draft())


# Abbreviations IAM writes in capitals, for questions named after a parameter.
CAPITALS = {"arn": "ARN", "arns": "ARNs", "id": "ID", "kms": "KMS", "mfa": "MFA"}


def label_of(name: str) -> str:
    """``kms_key_arn`` -> ``KMS key ARN``."""
    words = [CAPITALS.get(w, w) for w in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def parameter_name(key: str) -> str:
    """``"parameter role_name"`` -> ``"role_name"``."""
    return key.removeprefix("parameter ")


def _key_type(key: str) -> str:
    found = catalog.condition_key(key if not key.endswith("/") else key + "${TagKey}")
    return found.type if found is not None else ""


def condition_operator(key: str) -> str:
    """The operator for a tag condition: a multivalued key (aws:TagKeys) tests every value."""
    found = catalog.condition_key(key)
    if found is not None and found.multivalued:
        return "ForAllValues:StringEquals"
    return "StringEquals"


def parse_conditions(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``"aws:ResourceTag/team=web, aws:ResourceTag/team=api"`` -> one key with both values.

    ValueError says which item is malformed and why (tag keys and values are checked
    with the core's tag-name rules).
    """
    from xraybuilder.core.names import check_tag_key, check_tag_value

    by_key: dict[str, list[str]] = {}
    for item in split_list(text):
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key:
            raise ValueError(f"{item!r}: write KEY=VALUE, like aws:ResourceTag/team=web")
        if catalog.condition_key(key) is None:
            raise ValueError(
                f"{key!r} is not a condition key the catalog knows; "
                "tag conditions use aws:RequestTag/KEY, aws:ResourceTag/KEY or aws:TagKeys"
            )
        tag = key.partition("/")[2] if "/" in key else None
        problem = check_tag_key(tag) if tag is not None else None
        problem = problem or check_tag_value(value)
        if problem is not None:
            raise ValueError(f"{item!r}: {problem}")
        values = by_key.setdefault(key, [])
        if value not in values:
            values.append(value)
    return tuple((key, tuple(values)) for key, values in by_key.items())
