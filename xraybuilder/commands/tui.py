"""``xraybuilder tui``: the full-screen builder.

``--preset ID -p KEY=VALUE …`` opens with a scenario filled in; a POLICY_FILE opens a
policy file to check and edit. Only this command imports Textual.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

PROG = "xraybuilder tui"
EXIT_USAGE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare tui's arguments on its sub-parser."""
    parser.add_argument("policy_file", nargs="?", type=Path, metavar="POLICY_FILE", help="open a policy file")
    parser.add_argument(
        "--preset", metavar="ID", help="open with this scenario (see 'xraybuilder presets list')"
    )
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="with --preset, set a parameter; repeat for several",
    )
    parser.add_argument("--no-resume", action="store_true", help="do not offer to resume the last draft")


def run(args: argparse.Namespace) -> int:
    """Start the builder with what the command line chose, or the wizard where it cannot run."""
    # Only `xraybuilder` alone falls back; `xraybuilder tui` was asked for by name.
    if getattr(args, "command", None) is None:
        from xraybuilder.commands import wizard

        reason = wizard.fallback_reason(plain=getattr(args, "plain", False))
        if reason is not None:
            print(f"xraybuilder: {reason}", file=sys.stderr)
            return wizard.run(args)
    preset = getattr(args, "preset", None)
    policy_file = getattr(args, "policy_file", None)
    items = getattr(args, "param", []) or []
    params: dict[str, str] = {}
    if items or preset is not None or policy_file is not None:
        problem = _usage_problem(preset, items, policy_file)
        if problem is not None:
            print(f"{PROG}: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        from xraybuilder.commands.new import parse_params

        params = parse_params(items)
    from xraybuilder.tui.app import XrayBuilderApp

    app = XrayBuilderApp(
        preset=preset,
        params=params,
        policy_file=policy_file,
        offer_resume=not getattr(args, "no_resume", False),
    )
    app.run()
    return 0


def _usage_problem(preset: str | None, items: list[str], policy_file: Path | None) -> str | None:
    """What is wrong with the options that choose what the builder opens, or None."""
    from xraybuilder.commands.new import UsageError, parse_params

    try:
        params = parse_params(items)
        if params and preset is None:
            raise UsageError("-p/--param needs --preset ID: parameters belong to a scenario")
        if preset is not None and policy_file is not None:
            raise UsageError("give either --preset or a POLICY_FILE, not both")
        if policy_file is not None and not policy_file.is_file():
            raise UsageError(f"{policy_file}: no such file")
        if preset is not None:
            from xraybuilder.core.scenarios import UnknownPreset, load_library

            try:
                load_library().get(preset)
            except UnknownPreset as err:
                raise UsageError(str(err)) from None
    except UsageError as err:
        return str(err)
    return None
