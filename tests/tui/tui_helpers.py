"""Helpers of the builder's tests: waiting for the core and for pending edits."""

from __future__ import annotations

import json

from textual.pilot import Pilot

from xraybuilder.tui.app import XrayBuilderApp


async def ready(pilot: Pilot[None]) -> XrayBuilderApp:
    """Wait until the core modules and presets have loaded (they load after the first frame)."""
    app = pilot.app
    assert isinstance(app, XrayBuilderApp)
    for _ in range(400):
        if app.library is not None:
            break
        await pilot.pause(0.02)
    assert app.library is not None, "the presets never loaded"
    await pilot.pause()
    return app


async def settle(pilot: Pilot[None]) -> None:
    """Let pending edits be assessed and the forms they rebuild be mounted."""
    for _ in range(3):
        await pilot.pause()


async def quiet(pilot: Pilot[None], timeout: float = 20.0) -> None:
    """Wait until the last edit is assessed, shown and autosaved, then for the repaints.

    A picture taken sooner depends on the host's speed: on a busy host the autosave
    (and the "draft saved" it puts in the title) may land after it.
    """
    app = pilot.app
    assert isinstance(app, XrayBuilderApp)
    for _ in range(int(timeout / 0.02)):
        if app.settled:
            break
        await pilot.pause(0.02)
    assert app.settled, "the app never settled"
    await settle(pilot)


def policy_text(statements: int, sid: str = "Statement") -> str:
    """A policy of ``statements`` alike X-Ray group statements (Sids ``{sid}0``, ``{sid}1``…)."""
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": f"{sid}{i}",
                "Effect": "Allow",
                "Action": ["xray:GetGroup", "xray:UpdateGroup"],
                "Resource": f"arn:aws:xray:eu-west-1:123456789012:group/team{i}/*",
            }
            for i in range(statements)
        ],
    }
    return json.dumps(doc, indent=2)
