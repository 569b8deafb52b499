"""``xraybuilder tui``: the full-screen builder.

``--preset ID -p KEY=VALUE …`` opens with a scenario filled in; a POLICY_FILE opens a
policy file to check and edit. Only this command imports Textual.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
    from xraybuilder.commands import wizard

    # Only `xraybuilder` alone falls back; `xraybuilder tui` was asked for by name.
    default = getattr(args, "command", None) is None
    reason = wizard.fallback_reason(plain=getattr(args, "plain", False)) if default else None
    if reason is not None:
        print(f"xraybuilder: {reason}", file=sys.stderr)
        return wizard.run(args)
    from xraybuilder.commands.new import UsageError, parse_params

    preset = getattr(args, "preset", None)
    policy_file = getattr(args, "policy_file", None)
    try:
        params = parse_params(getattr(args, "param", []) or [])
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
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    from xraybuilder.tui.app import XrayBuilderApp

    app = XrayBuilderApp(
        preset=preset,
        params=params,
        policy_file=policy_file,
        offer_resume=not getattr(args, "no_resume", False),
    )
    app.run()
    return 0
