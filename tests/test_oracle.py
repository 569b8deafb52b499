"""Cross-check ``xraybuilder.core.evaluate`` against an independent IAM evaluator.

The oracle is the npm package ``@cloud-copilot/iam-simulate`` (AGPL), installed in
tests/oracle and run as an external program: one Node process per test session reads
every question as one JSON batch and answers them all (tests/oracle/run.mjs). Nothing in
the xraybuilder package imports or ships it.

The questions (policies x requests) come from tests/oracle_cases.py. Every answer must
match ours, except where AWS's documentation says the oracle reads a policy differently
from IAM: those cases are asked again in a translated form (see DOCUMENTED_EXCEPTIONS)
and the translated answer must match. A handful of questions the documentation does not
settle are reported with both answers (UNDECIDED).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import oracle_cases as oc
import pytest
from filelock import FileLock

from xraybuilder.core import catalog
from xraybuilder.core.evaluate import Request, evaluate
from xraybuilder.core.policy.model import Policy

ORACLE_DIR = Path(__file__).parent / "oracle"
ORACLE_PACKAGE = ORACLE_DIR / "node_modules" / "@cloud-copilot" / "iam-simulate" / "package.json"
OUTCOMES = {"Allowed": "allowed", "ExplicitlyDenied": "explicit_deny", "ImplicitlyDenied": "implicit_deny"}
REWRITTEN = " [rewritten]"

# One worker asks the oracle everything: the comparison is one costly session fixture.
pytestmark = pytest.mark.xdist_group("oracle")


class OracleSummary(UserWarning):
    """The figures of the cross-check, shown in pytest's warnings summary."""


def _unavailable(reason: str) -> None:
    """Fail on CI, where the oracle must run; skip elsewhere, saying why."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the oracle cross-check cannot be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def oracle_runner() -> list[str]:
    """The command that runs the oracle; installs it from the lock file when missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("the IAM oracle needs Node.js and npm on PATH (node 20 or later)")
        raise AssertionError("unreachable")
    # npm ci empties node_modules first: parallel workers (or runs) must not install at once.
    with FileLock(ORACLE_DIR / "node_modules.lock", timeout=900):
        if not ORACLE_PACKAGE.is_file():
            done = subprocess.run(
                [npm, "ci", "--prefix", str(ORACLE_DIR), "--no-audit", "--no-fund", "--loglevel=error"],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode != 0 or not ORACLE_PACKAGE.is_file():
                _unavailable(f"npm ci --prefix tests/oracle failed:\n{done.stderr.strip()[-2000:]}")
    return [node, "run.mjs"]


@dataclass
class Comparison:
    """Both evaluators' answers to every question."""

    documents: dict[str, oc.Document]
    cases: list[oc.Case]
    presets_included: bool
    oracle_versions: dict[str, str]
    ours: dict[str, str]
    oracle: dict[str, dict[str, Any]]
    """Raw oracle answers by case id; translated answers under ``id + REWRITTEN``."""
    exceptions: dict[str, list[oc.DocumentedException]] = field(default_factory=dict)
    """The documented exceptions that apply to each case id."""

    def oracle_outcome(self, case_id: str) -> str | None:
        answer = self.oracle[case_id]
        return OUTCOMES[answer["result"]] if "result" in answer else None

    def compared_outcome(self, case: oc.Case) -> str | None:
        """The oracle answer the case is judged by (the translated one under an exception)."""
        key = case.id + REWRITTEN if case.id in self.exceptions else case.id
        answer = self.oracle[key]
        return OUTCOMES[answer["result"]] if "result" in answer else None


def _exception_material(
    case: oc.Case, applies: list[oc.DocumentedException], documents: dict[str, oc.Document]
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The policy ids and context the oracle gets for the translated question."""
    pids: list[str] = []
    for pid in case.policies:
        doc: oc.Document | None = documents[pid]
        names: list[str] = []
        for exc in applies:
            if exc.rewrite_policy is not None and doc is not None:
                new = exc.rewrite_policy(doc, case.context)
                if new != doc:
                    doc, names = new, names + [exc.name]
        if doc is None:
            continue
        if names:
            rid = f"{pid}{REWRITTEN} {json.dumps(doc, sort_keys=True)}"
            documents.setdefault(rid, doc)
            pids.append(rid)
        else:
            pids.append(pid)
    context: dict[str, Any] = dict(case.context)
    for exc in applies:
        if exc.rewrite_context is not None:
            context = exc.rewrite_context(context)
    return tuple(pids), context


def _oracle_item(
    case_id: str, case: oc.Case, pids: tuple[str, ...], context: Mapping[str, Any]
) -> dict[str, Any]:
    item = {
        "id": case_id,
        "policies": list(pids),
        "action": case.action,
        "resource": case.resource,
        "account": case.account,
        "principal": case.principal,
        "context": dict(context),
    }
    if case.action.lower().startswith("kms:"):
        # KMS also needs the key policy to let IAM policies grant access; the default key
        # policy does exactly that, so the identity policies alone decide, as they do here.
        item["resourcePolicy"] = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{case.account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        }
    return item


@pytest.fixture(scope="session")
def comparison(oracle_runner: list[str]) -> Comparison:
    built = oc.all_cases()
    policies = {pid: Policy.from_json(doc) for pid, doc in built.documents.items()}
    ours: dict[str, str] = {}
    items: list[dict[str, Any]] = []
    oracle_docs = dict(built.documents)
    exceptions: dict[str, list[oc.DocumentedException]] = {}
    for case in built.cases:
        request = Request(case.action, case.resource, case.context)
        ours[case.id] = evaluate([(pid, policies[pid]) for pid in case.policies], request).outcome
        # The oracle gets the context exactly as our Request reads it (clock keys filled in,
        # multivalued keys as lists), so both answer the same question.
        context = request.to_json()["context"]
        items.append(_oracle_item(case.id, case, case.policies, context))
        applies = [e for e in oc.DOCUMENTED_EXCEPTIONS if e.applies(case, built.documents)]
        if applies:
            exceptions[case.id] = applies
            pids, rewritten = _exception_material(
                oc.Case(case.id, case.family, case.policies, case.action, case.resource, context),
                applies,
                oracle_docs,
            )
            items.append(_oracle_item(case.id + REWRITTEN, case, pids, rewritten))
    done = subprocess.run(
        oracle_runner,
        cwd=ORACLE_DIR,
        input=json.dumps({"policies": oracle_docs, "cases": items}),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"the oracle runner failed:\n{done.stderr[-4000:]}"
    answer = json.loads(done.stdout)
    oracle = {r["id"]: r for r in answer["results"]}
    assert len(oracle) == len(items), "the oracle must answer every question exactly once"
    return Comparison(
        built.documents, built.cases, built.presets_included, answer["oracle"], ours, oracle, exceptions
    )


def _is_undecided(case: oc.Case) -> oc.Undecided | None:
    return next((u for u in oc.UNDECIDED if u.applies(case)), None)


def _skipped_action(case: oc.Case, comparison: Comparison) -> bool:
    answer = comparison.oracle[case.id]
    return case.action in oc.ORACLE_UNKNOWN_ACTIONS and answer.get("error") == "invalid.action"


def _summary(comparison: Comparison) -> str:
    compared = agreed = excepted = excepted_raw_differs = undecided = undecided_differs = skipped = 0
    by_family: Counter[str] = Counter()
    for case in comparison.cases:
        if _skipped_action(case, comparison):
            skipped += 1
            continue
        mine = comparison.ours[case.id]
        if _is_undecided(case) is not None:
            undecided += 1
            undecided_differs += comparison.oracle_outcome(case.id) != mine
            continue
        compared += 1
        by_family[case.family] += 1
        agreed += comparison.compared_outcome(case) == mine
        if case.id in comparison.exceptions:
            excepted += 1
            excepted_raw_differs += comparison.oracle_outcome(case.id) != mine
    families = ", ".join(f"{name} {count}" for name, count in sorted(by_family.items()))
    versions = ", ".join(f"{k} {v}" for k, v in comparison.oracle_versions.items())
    return (
        f"IAM oracle cross-check ({versions}): {compared} (policy, request) pairs compared ({families}); "
        f"{agreed} agree, {compared - agreed} disagree. "
        f"{excepted} pairs fall under {len(oc.DOCUMENTED_EXCEPTIONS)} documented exceptions and were "
        f"compared in translated form ({excepted_raw_differs} of them differ from the raw oracle answer). "
        f"{undecided} pairs undecided by the documentation ({undecided_differs} differ), "
        f"{skipped} not asked (action unknown to the oracle). "
        f"Scenario presets {'included' if comparison.presets_included else 'not included yet'}."
    )


def test_evaluator_agrees_with_oracle(comparison: Comparison) -> None:
    summary = _summary(comparison)
    print(summary)
    warnings.warn(OracleSummary(summary), stacklevel=1)
    differing: dict[tuple[str, ...], list[oc.Case]] = defaultdict(list)
    for case in comparison.cases:
        if _skipped_action(case, comparison) or _is_undecided(case) is not None:
            continue
        if comparison.compared_outcome(case) != comparison.ours[case.id]:
            differing[case.policies].append(case)
    if not differing:
        return
    lines = [
        f"{sum(map(len, differing.values()))} pairs where xraybuilder and the oracle disagree, "
        f"under {len(differing)} policy sets:"
    ]
    for pids, cases in sorted(differing.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"\n== {' + '.join(pids)}: {len(cases)} pairs; first ones:")
        for case in cases[:3]:
            lines.append(case.describe(comparison.documents))
            under = comparison.exceptions.get(case.id, [])
            note = f" (translated under: {', '.join(e.name for e in under)})" if under else ""
            lines.append(
                f"  xraybuilder: {comparison.ours[case.id]}   oracle: "
                f"{comparison.compared_outcome(case)}{note}"
            )
    pytest.fail("\n".join(lines), pytrace=False)


def test_oracle_answered_every_question_as_asked(comparison: Comparison) -> None:
    """No refused question and no context key the oracle dropped: both evaluators saw the
    same request. Refusals are allowed only for actions the oracle's data lacks."""
    problems = []
    by_id = {c.id: c for c in comparison.cases}
    for case_id, answer in comparison.oracle.items():
        case = by_id[case_id.removesuffix(REWRITTEN)]
        if "error" in answer:
            if not (case.action in oc.ORACLE_UNKNOWN_ACTIONS and answer["error"] == "invalid.action"):
                problems.append(f"{case_id}: {answer['error']} {json.dumps(answer.get('details'))[:400]}")
        elif answer["ignored"]:
            problems.append(f"{case_id}: the oracle ignored context keys {answer['ignored']}")
    assert not problems, "\n".join(problems[:20])


def test_unknown_actions_are_still_unknown_to_the_oracle(comparison: Comparison) -> None:
    """Once the oracle learns an action, it must leave ORACLE_UNKNOWN_ACTIONS and be compared."""
    for action in oc.ORACLE_UNKNOWN_ACTIONS:
        answers = [comparison.oracle[c.id] for c in comparison.cases if c.action == action]
        assert answers, f"no case asks about {action}"
        assert all(a.get("error") == "invalid.action" for a in answers), (
            f"the oracle now knows {action}: remove it from ORACLE_UNKNOWN_ACTIONS"
        )


def test_documented_exceptions_are_still_needed(comparison: Comparison) -> None:
    """Each exception must cover at least one pair where the raw oracle answer differs."""
    for exc in oc.DOCUMENTED_EXCEPTIONS:
        covered = [c for c in comparison.cases if exc in comparison.exceptions.get(c.id, [])]
        assert covered, f"no case falls under the exception {exc.name!r}"
        raw_differs = [c for c in covered if comparison.oracle_outcome(c.id) != comparison.ours[c.id]]
        assert raw_differs, f"the oracle now agrees on every case of {exc.name!r}; remove the exception"


def test_cases_cover_the_catalog_and_every_outcome(comparison: Comparison) -> None:
    """The question set is broad enough to mean something: every X-Ray action, every
    operator family, every outcome from both evaluators, thousands of pairs."""
    asked = {c.action for c in comparison.cases}
    assert {a.full_name for a in catalog.xray().actions.values()} <= asked
    operators = {
        op.split(":")[-1].removesuffix("IfExists")
        for doc in comparison.documents.values()
        for st in oc.statements_of(doc)
        for op in (st.get("Condition") or {})
    }
    families = {
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "Null",
    }
    assert families <= operators, f"operators never used: {sorted(families - operators)}"
    compared = [c for c in comparison.cases if not _skipped_action(c, comparison)]
    assert len(compared) >= 5000
    for name, outcomes in (
        ("xraybuilder", Counter(comparison.ours[c.id] for c in compared)),
        ("oracle", Counter(comparison.oracle_outcome(c.id) for c in compared)),
    ):
        for outcome in ("allowed", "explicit_deny", "implicit_deny"):
            assert outcomes[outcome] >= len(compared) // 20, f"{name}: too few {outcome} answers: {outcomes}"


def test_scenario_presets_join_the_oracle_set(comparison: Comparison) -> None:
    missing = oc.presets_missing()
    if missing is not None:
        pytest.skip(f"scenario presets cannot join the oracle cases yet: {missing}")
    assert comparison.presets_included
    from xraybuilder.core import scenarios

    preset_cases = [c for c in comparison.cases if c.family == "scenario presets"]
    asked = {c.id.split(" | ")[0].split()[1] for c in preset_cases}
    shipped = {p.id for p in scenarios.load_library().ordered() if p.shipped}
    assert shipped <= asked, f"presets with no oracle cases: {sorted(shipped - asked)}"
    assert any("expectation" in c.id for c in preset_cases), "the presets' expectations are not asked"
