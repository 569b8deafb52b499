"""One call for everything a screen shows about a draft: ``assess(draft) -> Assessment``.

The documents the draft makes (identity policy, trust policy, KMS key-policy
statements), every document linted by the rules of its own kind with each finding
mapped to the draft field it concerns, sizes against their quotas, the preset's
expectations, the comparison with the managed policy a preset stands in for, and the
plain-language summary. Drafts are frozen, so results are cached by draft: a shell may
call ``assess`` on every keystroke and on every repaint.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from xraybuilder.core.diagnostic import Diagnostic, from_parameter_problems
from xraybuilder.core.draft import (
    POLICY_VERSION,
    Draft,
    DraftError,
    DraftStatement,
    policy_of,
    statements_from_policy,
)
from xraybuilder.core.lint import LintContext, lint
from xraybuilder.core.lint.finding import Finding, Severity
from xraybuilder.core.lint.size import text_size
from xraybuilder.core.policy.model import Policy, PolicyShapeError, Statement
from xraybuilder.core.policy.render import (
    KEY_POLICY_QUOTA,
    SIZE_QUOTAS,
    TRUST_POLICY_QUOTA,
    render,
)
from xraybuilder.core.policy.source import Parsed, Path, parse_json

if TYPE_CHECKING:
    from xraybuilder.core.bundle import Bundle, ExpectationResult
    from xraybuilder.core.explain import Comparison, Summary

T = TypeVar("T")

STEPS = ("parameters", "actions", "resources", "conditions", "document")
_ELEMENT_STEP = {
    "Action": "actions",
    "NotAction": "actions",
    "Resource": "resources",
    "NotResource": "resources",
    "Condition": "conditions",
}
# Document id -> (lint kind, title).
DOCUMENT_KINDS = {
    "identity": ("identity", "Identity policy"),
    "trust": ("trust", "Trust policy"),
    "kms-key-policy": ("key-policy", "KMS key-policy statements"),
    "resource": ("resource", "Resource policy"),
}
_ID_OF_KIND = {kind: doc_id for doc_id, (kind, _title) in DOCUMENT_KINDS.items()}


@dataclass(frozen=True)
class DraftField:
    """Where in the draft a finding points, for "jump to field"."""

    step: str
    statement: int | None = None
    item: int | None = None
    parameter: str | None = None


@dataclass(frozen=True)
class AssessedFinding:
    """A finding of one document, with the draft field it concerns."""

    document: str
    finding: Finding
    field: DraftField


@dataclass(frozen=True)
class Size:
    """A document's size as IAM counts it (whitespace excluded) against its quota."""

    characters: int
    quota: int
    target: str

    @property
    def share(self) -> float:
        """Fraction of the quota used (above 1.0 IAM refuses the document)."""
        return self.characters / self.quota


@dataclass(frozen=True)
class AssessedDocument:
    """One document the draft makes, as exported, with its findings and size."""

    id: str
    title: str
    kind: str
    text: str
    policy: Policy | None
    findings: tuple[Finding, ...]
    size: Size | None


@dataclass(frozen=True)
class Assessment:
    """Everything a screen shows about a draft; see the module docstring."""

    draft: Draft
    bundle: Bundle | None
    parameter_problems: tuple[Diagnostic, ...]
    documents: tuple[AssessedDocument, ...]
    findings: tuple[AssessedFinding, ...]
    expectations: tuple[ExpectationResult, ...]
    notes: tuple[Diagnostic, ...] = ()
    """Notes on the parameters (one that is ignored, a Region without X-Ray) and on the
    draft itself (a preset that cannot be loaded)."""
    _later: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    # The comparison and the summary expand every grant of the policy: ten times the cost
    # of linting it. They are worked out the first time a screen asks, then kept.

    @property
    def comparison(self) -> Comparison | None:
        """What the identity policy grants beyond (or short of) the managed policy it replaces."""
        if "comparison" not in self._later:
            self._later["comparison"] = _comparison(self.bundle, self._later)
        result: Comparison | None = self._later["comparison"]
        return result

    @property
    def summary(self) -> Summary | None:
        """What the identity policy allows and denies, in plain words (``explain.summarize``)."""
        if "summary" not in self._later:
            self._later["summary"] = _summary(self.documents, self._later)
        result: Summary | None = self._later["summary"]
        return result

    @property
    def internal_errors(self) -> tuple[Diagnostic, ...]:
        """Bugs met while working out the comparison or the summary (they are then None)."""
        return tuple(self._later.get("errors", ()))

    def document(self, id: str) -> AssessedDocument | None:
        """The document with this id (``identity``, ``trust``, ``kms-key-policy``), if made."""
        return next((d for d in self.documents if d.id == id), None)

    def counts(self) -> dict[str, int]:
        """Number of findings and parameter problems by severity."""
        out: dict[str, int] = {}
        for severity in [str(f.finding.severity) for f in self.findings] + [
            p.severity for p in self.parameter_problems
        ]:
            out[severity] = out.get(severity, 0) + 1
        return out

    def export_bundle(self) -> Bundle | None:
        """What the exports render: the preset's bundle, or the identity policy of a custom
        or file draft wrapped by ``core.export.bundle_for_policy``; None when there is none."""
        if self.bundle is not None:
            return self.bundle
        identity = self.document("identity")
        if identity is None or identity.policy is None:
            return None
        from xraybuilder.core.export import bundle_for_policy

        return bundle_for_policy(identity.policy, partition=self.draft.param("partition") or "aws")

    @property
    def ok(self) -> bool:
        """No parameter problem and no error finding: the documents can be exported."""
        return (
            not any(p.severity == "error" for p in self.parameter_problems)
            and not any(f.finding.severity is Severity.ERROR for f in self.findings)
            and not any(n.severity == "error" for n in self.notes)
        )


def assess(draft: Draft) -> Assessment:
    """Assess a draft; pure, cached by draft, and never raises."""
    try:
        return _assess(draft)
    except Exception as err:  # a checker bug must not take a shell down with the user's work
        note = Diagnostic(
            "error",
            "INTERNAL_ERROR",
            f"internal error while assessing the draft ({type(err).__name__}: {err}); please report it",
        )
        return Assessment(draft, None, (), (), (), (), (note,))


@lru_cache(maxsize=128)
def _assess(draft: Draft) -> Assessment:
    notes: list[Diagnostic] = []
    bundle: Bundle | None = None
    problems: tuple[Diagnostic, ...] = ()
    made: list[tuple[str, str, Policy | None, str]] = []  # (id, title, policy, text)
    parsed: Parsed | None = None
    target = draft.target

    if draft.origin == "preset":
        bundle, problems, preset_notes = _preset(draft)
        notes.extend(preset_notes)
        identity: Policy | None
        edited_text = None
        if draft.statements is not None:
            identity, edited_text = _identity(draft.statements)
            if bundle is not None:
                bundle = dataclasses.replace(bundle, identity_policy=identity)
        else:
            identity = bundle.identity_policy if bundle is not None else None
        if bundle is not None:
            target = bundle.lint_target
        if identity is not None:
            name = bundle.names.get("policy") if bundle is not None else None
            title = f"Identity policy ({name})" if name else "Identity policy"
            text = edited_text if edited_text is not None else render(identity)
            made.append(("identity", title, identity, text))
        if bundle is not None and bundle.trust_policy is not None:
            made.append(("trust", "Trust policy", bundle.trust_policy, render(bundle.trust_policy)))
        if bundle is not None and bundle.kms_key_policy_statements:
            from xraybuilder.core.export.files import key_policy_statements_text

            statements = bundle.kms_key_policy_statements
            made.append(
                (
                    "kms-key-policy",
                    "KMS key-policy statements",
                    Policy(statements, None),
                    key_policy_statements_text(statements),
                )
            )
    elif draft.origin == "custom":
        policy, text = _identity(draft.statements or ())
        made.append(("identity", "Identity policy", policy, text))
    else:
        doc_id, title, file_policy, text, parsed = _file_document(draft)
        made.append((doc_id, title, file_policy, text))

    # Only a file's draft has its text read already, and it makes one document.
    documents = tuple(
        _document(doc_id, title, policy, text, target, parsed) for doc_id, title, policy, text in made
    )
    findings = tuple(
        sorted(
            (AssessedFinding(doc.id, f, _field(doc, f.path)) for doc in documents for f in doc.findings),
            key=lambda a: (
                -a.finding.severity.rank,
                [d.id for d in documents].index(a.document),
                a.finding.line,
                a.finding.column,
                a.finding.code,
            ),
        )
    )

    expectations: tuple[ExpectationResult, ...] = ()
    if bundle is not None:
        from xraybuilder.core.bundle import check_expectations

        found = _guard(notes, "checking the expected requests", lambda: check_expectations(bundle))
        expectations = tuple(found or ())
    return Assessment(draft, bundle, problems, documents, findings, expectations, tuple(notes))


def _comparison(bundle: Bundle | None, later: dict[str, Any]) -> Comparison | None:
    if bundle is None:
        return None
    from xraybuilder.core.bundle import baseline_policy, within_baseline
    from xraybuilder.core.explain import compare

    baseline, mine = baseline_policy(bundle), within_baseline(bundle)
    if baseline is None or mine is None:
        return None
    errors = later.setdefault("errors", [])
    return _guard(errors, "comparing with the managed policy", lambda: compare(mine, baseline))


def _summary(documents: tuple[AssessedDocument, ...], later: dict[str, Any]) -> Summary | None:
    identity = next((d.policy for d in documents if d.kind == "identity" and d.policy is not None), None)
    if identity is None:
        return None
    from xraybuilder.core.explain import summarize

    errors = later.setdefault("errors", [])
    return _guard(errors, "summarising the policy", lambda: summarize(identity))


def identity_text(statements: Sequence[DraftStatement]) -> str:
    """``render(policy_of(statements))``, rendering each statement once: an edit to one
    statement of fifty renders one statement again, not the whole policy."""
    return _identity(statements)[1]


def _identity(statements: Sequence[DraftStatement]) -> tuple[Policy, str]:
    """``policy_of(statements)`` and its canonical text, each statement built and
    rendered once (an edit to one statement of fifty builds that one again)."""
    if not statements:
        policy = policy_of(())
        return policy, render(policy)
    parts = [_statement_parts(s) for s in statements]
    body = ",\n    ".join(text for _, text in parts)
    text = f'{{\n  "Version": "{POLICY_VERSION}",\n  "Statement": [\n    {body}\n  ]\n}}\n'
    return Policy(tuple(model for model, _ in parts), POLICY_VERSION), text


@lru_cache(maxsize=1024)
def _statement_parts(statement: DraftStatement) -> tuple[Statement, str]:
    """The statement in the policy model, and its text as it appears in the identity policy."""
    model: Statement = policy_of((statement,)).statements[0]
    # json.dumps escapes line breaks inside strings, so every "\n" here is layout.
    text = json.dumps(model.to_json(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
    return model, text


def _guard(notes: list[Diagnostic], what: str, compute: Callable[[], T]) -> T | None:
    # One part failing (a bug) must not cost the rest of the assessment.
    try:
        return compute()
    except PolicyShapeError:
        return None  # a document the explainer cannot read; its lint findings say why
    except Exception as err:
        notes.append(
            Diagnostic(
                "error",
                "INTERNAL_ERROR",
                f"internal error while {what} ({type(err).__name__}: {err}); please report it",
            )
        )
        return None


def _preset(draft: Draft) -> tuple[Bundle | None, tuple[Diagnostic, ...], list[Diagnostic]]:
    from xraybuilder.core.bundle import preview
    from xraybuilder.core.diagnostic import from_preset_error
    from xraybuilder.core.scenarios import PresetError, UnknownPreset, get_preset

    try:
        result = preview(get_preset(draft.preset_id or ""), draft.params_dict())
    except UnknownPreset as err:
        return None, (Diagnostic("error", "UNKNOWN_PRESET", str(err), "preset"),), []
    except PresetError as err:
        return None, (from_preset_error(err),), []
    notes = [Diagnostic("note", "PARAMETER_NOTE", text, "parameters") for text in result.resolution.notes]
    return result.bundle, from_parameter_problems(result.resolution.problems), notes


def _file_document(draft: Draft) -> tuple[str, str, Policy | None, str, Parsed | None]:
    from xraybuilder.core.lint.kinds import detect_kind

    parsed: Parsed | None = None
    if draft.statements is not None:
        policy: Policy | None
        policy, text = _identity(draft.statements)
        kind = draft.kind or detect_kind(text)
    else:
        # The file's text is read once, for the model, its kind and the linter.
        text = draft.file_text or ""
        parsed = parse_json(text)
        try:
            policy = Policy.from_parsed(parsed)
        except PolicyShapeError:
            policy = None
        kind = draft.kind or (detect_kind(parsed.value) if parsed.ok else None)
    doc_id = _ID_OF_KIND[kind or "identity"]
    title = DOCUMENT_KINDS[doc_id][1]
    if draft.file_name:
        title += f" ({draft.file_name})"
    return doc_id, title, policy, text, parsed


def _document(
    doc_id: str, title: str, policy: Policy | None, text: str, target: str, parsed: Parsed | None = None
) -> AssessedDocument:
    kind = DOCUMENT_KINDS[doc_id][0]
    if parsed is None:
        findings = _lint(text, target, kind)
    else:
        # A file's text changes with each keystroke: no use keeping its findings by text
        # (the whole draft's assessment is kept), and the linter takes the text as read.
        findings = tuple(lint(parsed, LintContext(target=target, kind=kind)))  # type: ignore[arg-type]
    size = None
    if kind == "identity":
        size = Size(text_size(text), SIZE_QUOTAS.get(target, SIZE_QUOTAS["managed"]), target)
    elif kind == "trust":
        size = Size(text_size(text), TRUST_POLICY_QUOTA, "trust")
    elif kind == "key-policy":
        size = Size(text_size(text), KEY_POLICY_QUOTA, "key-policy")
    return AssessedDocument(doc_id, title, kind, text, policy, tuple(findings), size)


@lru_cache(maxsize=256)
def _lint(text: str, target: str, kind: str) -> tuple[Finding, ...]:
    # A parameter edit rebuilds every document, but most come out the same text.
    return tuple(lint(text, LintContext(target=target, kind=kind)))  # type: ignore[arg-type]


def _field(doc: AssessedDocument, path: Path) -> DraftField:
    if len(path) < 2 or path[0] != "Statement":
        return DraftField("document")
    if isinstance(path[1], int):
        index, rest = path[1], path[2:]
    else:  # a single statement object: Statement.Action
        index, rest = 0, path[1:]
    if doc.kind != "identity":
        return DraftField("document", index)
    if not rest or not isinstance(rest[0], str) or rest[0] not in _ELEMENT_STEP:
        return DraftField("actions", index)
    step = _ELEMENT_STEP[rest[0]]
    item: int | None = None
    if step == "conditions":
        if len(rest) >= 3 and doc.policy is not None and index < len(doc.policy.statements):
            entries = [
                (op, key)
                for op, keys in (doc.policy.statements[index].condition or {}).items()
                for key in keys
            ]
            if (rest[1], rest[2]) in entries:
                item = entries.index((rest[1], rest[2]))  # type: ignore[arg-type]
    elif len(rest) >= 2 and isinstance(rest[1], int):
        item = rest[1]
    return DraftField(step, index, item)


def apply_fix(draft: Draft, finding: AssessedFinding) -> Draft:
    """The draft with the finding's fix applied; DraftError when it has none or cannot apply."""
    from xraybuilder.core.lint.fixes import FixError
    from xraybuilder.core.lint.fixes import apply_fix as apply_to_text

    fix = finding.finding.fix
    if fix is None:
        raise DraftError(f"{finding.finding.code} offers no automatic fix", key=finding.finding.path_str)
    if finding.document != "identity" and draft.origin != "file":
        raise DraftError(
            "this document is built from the parameters; change them to change it",
            key=finding.document,
        )
    document = assess(draft).document(finding.document)
    if document is None:
        raise DraftError(f"the draft makes no {finding.document} document", key=finding.document)
    try:
        fixed = apply_to_text(document.text, fix)
    except FixError as err:
        raise DraftError(str(err), key=finding.finding.path_str) from None
    if draft.origin == "file" and draft.statements is None:
        return draft.with_text(fixed)
    try:
        policy = Policy.from_text(fixed)
    except PolicyShapeError as err:
        raise DraftError(f"the fixed policy cannot be held by the draft: {err}") from None
    return dataclasses.replace(draft, statements=statements_from_policy(policy))
