"""``xraybuilder presets``: list the scenario presets, or show one in full.

``presets list`` prints id, title and a one-line summary per preset (shipped first, then
the user's own); ``presets show ID`` prints the description, every parameter with its
default, and what the preset builds. Presets that fail to load are reported on standard
error with their file and line; the others are still listed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xraybuilder.core.scenarios import Library, Parameter, Preset

EXIT_OK = 0
EXIT_USAGE = 2
PROG = "xraybuilder presets"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the list and show sub-commands."""
    sub = parser.add_subparsers(dest="presets_command", metavar="{list,show}")
    lister = sub.add_parser("list", help="id, title and one line per preset")
    lister.add_argument("--format", choices=("text", "json"), default="text")
    shower = sub.add_parser("show", help="a preset's description, parameters and what it builds")
    shower.add_argument("id", metavar="ID", help="preset id, e.g. ec2")
    shower.add_argument("--format", choices=("text", "json"), default="text")


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))


def render_list(library: Library, width: int | None) -> str:
    """One row per preset: id, title, summary (cut to ``width`` columns when given)."""
    presets = library.ordered()
    if not presets:
        return "No presets found.\n"
    id_w = max(len(p.id) for p in presets)
    title_w = max(len(p.title) for p in presets)
    lines = []
    for p in presets:
        mark = " (user)" if not p.shipped else ""
        head = f"{p.id:<{id_w}}  {p.title + mark:<{title_w}}  "
        room = max((width or 0) - len(head), 20)
        summary = p.summary if width is None or len(p.summary) <= room else p.summary[: room - 1] + "…"
        lines.append(head + summary)
    lines.append("")
    lines.append("Show one in full: xraybuilder presets show ID")
    return "\n".join(lines) + "\n"


def _param_line(param: Parameter) -> str:
    from xraybuilder.core.scenarios import when_text

    kind = f"choice: {' | '.join(param.choices)}" if param.type == "choice" else param.type
    if param.required:
        state = "required"
    elif param.default_text is None:
        state = "optional"
    elif isinstance(param.default, bool):
        state = f"default {param.default_text}"
    else:
        state = f"default {param.default_text!r}" if param.default_text else "default empty"
    when = f" (when {when_text(param.when)})" if param.when else ""
    return f"{param.name}  [{kind}]  {state}{when}"


def render_show(preset: Preset, width: int) -> str:
    """The full description of a preset, for a terminal ``width`` columns wide."""
    from xraybuilder.core.scenarios import service_principals, when_text

    def para(text: str, indent: int = 0) -> list[str]:
        pad = " " * indent
        # Bullets hang: their continuation lines start under the text, not the dash.
        hang = pad + ("  " if text.startswith("- ") else "")
        return textwrap.wrap(
            text, width, initial_indent=pad, subsequent_indent=hang, break_on_hyphens=False
        ) or [pad]

    def cond(when: tuple[Any, ...]) -> str:
        return f"  (when {when_text(when)})" if when else ""

    lines = [f"{preset.id}: {preset.title}"]
    if not preset.shipped:
        lines.append(f"user preset from {preset.source}")
    lines.append("")
    lines.extend(preset.description.splitlines())
    lines += ["", "Makes"]
    for p in preset.principals:
        trust = ""
        if p.service is not None:
            table = service_principals().get(p.service, {"default": p.service})
            others = ", ".join(f"{k}: {v}" for k, v in table.items() if k != "default")
            trust = f"; trusted by {table['default']}" + (f" ({others})" if others else "")
            for c in p.conditions:
                trust += f" if {c.key} {c.operator} {', '.join(c.values)}"
        extras = [
            w for w, on in (("instance profile", p.instance_profile), ("access keys", p.access_keys)) if on
        ]
        extra = f" + {', '.join(extras)}" if extras else ""
        lines.extend(para(f"- {p.label} [{p.kind}]{extra}{trust}{cond(p.when)}", 2))

    lines += ["", "Parameters"]
    for param in preset.parameters.values():
        lines.append("  " + _param_line(param))
        lines.extend(para(param.description, 6))
        for choice, text in param.choice_help.items():
            lines.extend(para(f"{choice}: {text}", 8))

    lines += ["", "Identity policy statements"]
    if not preset.statements:
        lines.append("  (none)")
    for st in preset.statements:
        lines.append(f"  {st.sid} ({st.effect}){cond(st.when)}")
        for source in st.sources:
            if not source.startswith("listed"):
                lines.extend(para(f"from {source}", 6))
        lines.extend(para("actions: " + ", ".join(st.actions), 6))
        lines.extend(para("resources: " + ", ".join(st.resources), 6))
        for c in st.conditions:
            lines.extend(para(f"condition: {c.operator} {c.key} = {', '.join(c.values)}{cond(c.when)}", 6))
        if st.outside_baseline:
            lines.extend(para(f"beyond the baseline: {st.outside_baseline}", 6))
    if preset.managed:
        lines += ["", "Managed policies attached"]
        for m in preset.managed:
            what = m.name or m.arn or ""
            lines.extend(para(f"- {what}" + (f": {m.why}" if m.why else "") + cond(m.when), 2))
    if preset.key_policy:
        lines += ["", "KMS key-policy statements"]
        for k in preset.key_policy:
            lines.extend(
                para(f"- {k.sid}: {', '.join(k.actions)} for {', '.join(k.principals)}{cond(k.when)}", 2)
            )
            for c in k.conditions:
                lines.extend(
                    para(f"condition: {c.operator} {c.key} = {', '.join(c.values)}{cond(c.when)}", 6)
                )
    if preset.snippets:
        lines += ["", "Snippets"]
        for s in preset.snippets:
            lines.extend(para(f"- {s.title} -> {s.file}{cond(s.when)}", 2))
    allowed = sum(1 for e in preset.expectations if e.allowed)
    denied = len(preset.expectations) - allowed
    lines += ["", "Checks"]
    lines.extend(
        para(
            f"{allowed} requests must be allowed and {denied} denied "
            "(those whose conditions match the parameters).",
            2,
        )
    )
    if preset.baseline:
        lines.extend(para("Never grants more than " + " + ".join(preset.baseline) + ".", 2))
    lines += [
        "",
        f"Build it: xraybuilder new {preset.id}"
        + "".join(f" --param {p.name}=…" for p in preset.parameters.values() if p.required and not p.when),
    ]
    return "\n".join(lines) + "\n"


def preset_json(preset: Preset) -> dict[str, Any]:
    """A preset's description and parameters as JSON."""
    from xraybuilder.core.scenarios import when_text

    return {
        "id": preset.id,
        "title": preset.title,
        "summary": preset.summary,
        "description": preset.description,
        "source": preset.source,
        "shipped": preset.shipped,
        "principals": [
            {"kind": p.kind, "label": p.label, "when": when_text(p.when)} for p in preset.principals
        ],
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "description": p.description,
                "default": p.default_text,
                "required": p.required,
                "choices": list(p.choices),
                "when": when_text(p.when),
            }
            for p in preset.parameters.values()
        ],
        "statements": [
            {
                "sid": s.sid,
                "effect": s.effect,
                "actions": list(s.actions),
                "resources": list(s.resources),
                "from": list(s.sources),
                "when": when_text(s.when),
            }
            for s in preset.statements
        ],
        "baseline": list(preset.baseline),
    }


def run(args: argparse.Namespace) -> int:
    """List the presets or show one."""
    from xraybuilder.core.scenarios import UnknownPreset, load_library

    library = load_library()
    for err in library.errors:
        print(f"{PROG}: warning: preset not loaded: {err}", file=sys.stderr)
    for warning in library.warnings:
        print(f"{PROG}: note: {warning}", file=sys.stderr)
    command = getattr(args, "presets_command", None) or "list"
    fmt = getattr(args, "format", "text")
    if command == "list":
        if fmt == "json":
            doc = [
                {"id": p.id, "title": p.title, "summary": p.summary, "shipped": p.shipped}
                for p in library.ordered()
            ]
            sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        else:
            # Cut summaries to the screen only; a pipe gets them whole.
            sys.stdout.write(render_list(library, _width() if sys.stdout.isatty() else None))
        return EXIT_OK
    try:
        preset = library.get(args.id)
    except UnknownPreset as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    if fmt == "json":
        sys.stdout.write(json.dumps(preset_json(preset), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_show(preset, _width()))
    return EXIT_OK
