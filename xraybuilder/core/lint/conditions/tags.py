"""X-Ray tags: tag keys and values in tag conditions that no X-Ray tag can have."""

from __future__ import annotations

from functools import lru_cache

from xraybuilder.core.lint.conditions.common import _VARIABLE, WARNING, _Entry, _Records, _shown, _value_rules


def _check_tags(doc: _Records, entry: _Entry) -> None:
    op = entry.op
    assert op is not None
    low = entry.key.lower()
    if low.startswith(("aws:requesttag/", "aws:resourcetag/")):
        tag_key = entry.key.split("/", 1)[1]
        request = low.startswith("aws:requesttag/")
        problem = _tag_text_problem(tag_key, "key", False, request)
        if problem:
            doc.report(
                "INVALID_TAG_KEY",
                WARNING,
                f'The tag key "{_shown(tag_key)}" in {_shown(entry.key)} {problem}, so the '
                "condition never matches an X-Ray tag.",
                entry.path,
                on_key=True,
            )
        if op.family == "String":
            for path, text in entry.values:
                problem = _tag_text_problem(text, "value", op.wildcards, False)
                if problem:
                    doc.report(
                        "INVALID_TAG_VALUE",
                        WARNING,
                        f'The tag value "{_shown(text)}" {problem}, so it never matches an X-Ray tag.',
                        path,
                    )
    elif low == "aws:tagkeys" and op.family == "String":
        for path, text in entry.values:
            problem = _tag_text_problem(text, "key", op.wildcards, True)
            if problem:
                doc.report(
                    "INVALID_TAG_KEY",
                    WARNING,
                    f'The tag key "{_shown(text)}" {problem}, so it never matches an X-Ray tag key.',
                    path,
                )


@lru_cache(maxsize=2048)
def _tag_text_problem(text: str, kind: str, wildcards: bool, request: bool) -> str | None:
    """Why a tag key or value can never be an X-Ray tag, or None."""
    rules = _value_rules()["xray_tags"]
    plain = _VARIABLE.sub("", text) if "${" in text else text
    if "${" in text and not plain:
        return None
    # A * or ? in a non-Like value gets its own finding (WILDCARD_WITHOUT_LIKE_OPERATOR).
    literal = plain.replace("*", "").replace("?", "")
    low_max, high_max = rules[f"{kind}_min"], rules[f"{kind}_max"]
    if "${" not in text and not (wildcards and literal != plain):
        if len(plain) < low_max:
            return f"is empty; X-Ray tag {kind}s have 1 to {high_max} characters"
    if len(literal) > high_max:
        return f"is {len(literal)} characters long; X-Ray allows at most {high_max}"
    allowed = rules["punctuation"]
    bad = sorted({c for c in literal if not (c.isalnum() or c in allowed)})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return f"holds {shown}; X-Ray tags allow letters, digits, spaces and {' '.join(allowed.strip())}"
    if kind == "key" and request and plain.lower().startswith(rules["reserved_prefix"]):
        return f'starts with "{rules["reserved_prefix"]}", which is reserved for tags AWS sets'
    return None
