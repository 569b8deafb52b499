"""``xraybuilder tui``: the full-screen builder."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    from xraybuilder.commands import wizard

    # Only `xraybuilder` alone falls back; `xraybuilder tui` was asked for by name.
    default = getattr(args, "command", None) is None
    reason = wizard.fallback_reason(plain=getattr(args, "plain", False)) if default else None
    if reason is not None:
        print(f"xraybuilder: {reason}", file=sys.stderr)
        return wizard.run(args)
    from xraybuilder.tui.app import XrayBuilderApp

    XrayBuilderApp().run()
    return 0
