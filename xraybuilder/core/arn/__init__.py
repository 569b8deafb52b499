"""ARNs: split one into its six parts, check each part, build X-Ray ARNs, match resource types.

``arn:partition:service:region:account:resource``. Any part may hold the ``*`` and
``?`` wildcards and ``${…}`` policy variables (a variable may hold colons, so parts are
split outside them). Every problem names the part it is about and its character offsets
in the ARN, so an editor can underline exactly the wrong part.

Partitions, regions, X-Ray endpoints and ARN formats all come from the catalog.

The modules hold one idea each: ``model`` (the ``Arn``/``ArnProblem``/``ArnCheck``
model and splitting), ``parts`` (checks of one part: partition, service, region,
account, X-Ray names), ``templates`` (the catalog's ARN formats and the resource types
an ARN can denote), ``check`` (the whole-ARN check), ``build`` (filling in X-Ray ARNs)
and ``fields`` (validating one field of a form).
"""

from __future__ import annotations

from xraybuilder.core.arn.build import fill_template, group_arn, sampling_rule_arn
from xraybuilder.core.arn.check import check_arn, is_star
from xraybuilder.core.arn.fields import field_problems, validate_field
from xraybuilder.core.arn.model import Arn, ArnCheck, ArnProblem, parse_arn
from xraybuilder.core.arn.parts import XRAY_NAME_MAX
from xraybuilder.core.arn.templates import can_denote, resource_types_for

__all__ = [
    "XRAY_NAME_MAX",
    "Arn",
    "ArnCheck",
    "ArnProblem",
    "can_denote",
    "check_arn",
    "field_problems",
    "fill_template",
    "group_arn",
    "is_star",
    "parse_arn",
    "resource_types_for",
    "sampling_rule_arn",
    "validate_field",
]
