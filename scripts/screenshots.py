#!/usr/bin/env python3
"""Regenerate the README's screenshots from the real app.

Usage: python scripts/screenshots.py [--out screenshots]

Each shot drives the app headless with Textual's pilot, then saves an SVG (what the
README shows). With --png, ``rsvg-convert`` (Debian package librsvg2-bin) also writes a
PNG beside each SVG, for looking at a shot where SVG is not rendered.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from xraybuilder.tui.app import XrayBuilderApp

ROOT = Path(__file__).resolve().parent.parent
SIZE = (100, 30)


async def _welcome(pilot: Pilot[None]) -> None:
    await pilot.pause()


SHOTS: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "welcome": _welcome,
}


async def _shoot(name: str, script: Callable[[Pilot[None]], Awaitable[None]], out: Path) -> Path:
    app = XrayBuilderApp()
    async with app.run_test(size=SIZE) as pilot:
        await script(pilot)
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--png", action="store_true", help="also write PNGs (needs rsvg-convert)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    converter = shutil.which("rsvg-convert") if args.png else None
    if args.png and converter is None:
        parser.error("--png needs rsvg-convert (Debian package librsvg2-bin)")
    for name, script in SHOTS.items():
        svg = asyncio.run(_shoot(name, script, args.out))
        print(f"wrote {svg.relative_to(ROOT) if svg.is_relative_to(ROOT) else svg}")
        if converter:
            png = svg.with_suffix(".png")
            subprocess.run([converter, "-w", "1600", "-o", str(png), str(svg)], check=True)
            print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
