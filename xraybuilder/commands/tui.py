"""``xraybuilder tui``: the full-screen builder."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    from xraybuilder.tui.app import XrayBuilderApp

    XrayBuilderApp().run()
    return 0
