"""Offline evaluation of identity-based policies: would IAM allow this request?

```python
from xraybuilder.core.evaluate import Request, evaluate
req = Request.build("xray:CreateGroup", "arn:aws:xray:eu-west-1:123456789012:group/web/*",
                    request_tags={"stage": "prod"})
decision = evaluate([policy, ("AWSXRayDaemonWriteAccess", managed)], req)
decision.outcome      # "allowed" | "explicit_deny" | "implicit_deny"
decision.deciding     # the statements that decided it
decision.statements   # every statement, matched or not, with the reason
```

The modules hold one idea each: ``request`` (the request context), ``variables``
(policy variables and wildcards in policy strings), ``match`` (action and ARN matching),
``values`` (condition value formats; operator names are parsed by
``xraybuilder.core.conditions``, shared with the linter),
``condition`` (a Condition block), ``statement`` (a statement, compiled and cached),
``evaluator`` (combining statements into a decision), ``decision`` and ``report`` (the
answer and its text form).
"""

from __future__ import annotations

# The operator parser is shared with the linter; re-exported for callers of this package.
from xraybuilder.core.conditions import Operator, parse_operator
from xraybuilder.core.evaluate.decision import OUTCOMES, Decision, Outcome, StatementResult
from xraybuilder.core.evaluate.evaluator import PolicyInput, evaluate, request_resource
from xraybuilder.core.evaluate.report import render_text
from xraybuilder.core.evaluate.request import Request
from xraybuilder.core.evaluate.statement import compile_policy

__all__ = [
    "OUTCOMES",
    "Decision",
    "Operator",
    "Outcome",
    "PolicyInput",
    "Request",
    "StatementResult",
    "compile_policy",
    "evaluate",
    "parse_operator",
    "render_text",
    "request_resource",
]
