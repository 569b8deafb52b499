#!/usr/bin/env python3
"""Regenerate the README's screenshots from the real app: each step of one scenario.

Usage: python scripts/screenshots.py [--out screenshots] [--png]

Each shot drives the app headless with Textual's pilot (group administrator, account
123456789012, group web-frontend), then saves an SVG (what the README shows). With
--png, ``rsvg-convert`` (Debian package librsvg2-bin) also writes a PNG beside each SVG.
The autosave and config folders are temporary, the clock reads 12:04 and cursors do not
blink, so the pictures only change when the app does.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from xraybuilder.tui.app import XrayBuilderApp

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)
PARAMS = {"account": "123456789012", "group_name": "web-frontend"}
# file name -> (step, keys pressed there)
SHOTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "1-scenario": ("scenario", ("down", "down", "down", "down", "down", "down", "down")),
    "2-parameters": ("parameters", ()),
    "3-actions": ("actions", ()),
    "4-resources": ("resources", ()),
    "5-conditions": ("conditions", ()),
    "6-review": ("review", ()),
    "7-export": ("export", ()),
}


class PictureApp(XrayBuilderApp):
    def clock(self) -> str:
        return "12:04"


async def _settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()


async def _quiet(pilot: Pilot[None]) -> None:
    """Wait until the last edit is shown and autosaved ("draft saved" in the title)."""
    app = pilot.app
    assert isinstance(app, XrayBuilderApp)
    for _ in range(1000):
        if app.settled:
            break
        await pilot.pause(0.02)
    else:
        raise SystemExit("the app did not settle within 20 s: no picture taken")
    await _settle(pilot)


async def _shoot(name: str, step: str, keys: tuple[str, ...], out: Path) -> Path:
    app = PictureApp() if step == "scenario" else PictureApp(preset="group-admin", params=PARAMS)
    async with app.run_test(size=SIZE) as pilot:
        while app.library is None:
            await pilot.pause(0.05)
        await _settle(pilot)
        if step != "scenario":
            app.go_step(step)
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
        for widget in app.query("*"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        await _quiet(pilot)
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--png", action="store_true", help="also write PNGs (needs rsvg-convert)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    converter = shutil.which("rsvg-convert") if args.png else None
    if args.png and converter is None:
        parser.error("--png needs rsvg-convert (Debian package librsvg2-bin)")
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XRAYBUILDER_STATE_DIR"] = str(Path(scratch) / "state")
        os.environ["XRAYBUILDER_CONFIG_DIR"] = str(Path(scratch) / "config")
        for name, (step, keys) in SHOTS.items():
            svg = asyncio.run(_shoot(name, step, keys, args.out))
            print(f"wrote {svg.relative_to(ROOT) if svg.is_relative_to(ROOT) else svg}")
            if converter:
                png = svg.with_suffix(".png")
                subprocess.run([converter, "-w", "1600", "-o", str(png), str(svg)], check=True)
                print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
