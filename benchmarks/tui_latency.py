#!/usr/bin/env python3
"""Keystroke latency: from the key event to the callback after the next screen refresh.

Usage: .venv/bin/python benchmarks/tui_latency.py [--keys N] [--statements 50 500] [--only NAME]
       [--gap 0.04 0] [--in Sid ARN] [--skip-widgets | --skip-builder]

1. Preview widgets. A headless Textual app (120x40) holds an Input and one preview
   widget showing an N-statement policy (json.dumps, 2-space indent). Every key typed
   into the Input changes the first statement's Sid, and the handler gives the widget
   the whole new text, as the builder does after each edit. The widgets compared:
   ``Static`` with the plain text, ``Static`` with Rich ``Syntax`` (pygments), a read-only
   ``TextArea.load_text`` (no language: highlighting would need tree-sitter), and our
   Line-API ``PolicyView``.
2. The builder itself (``XrayBuilderApp``) with a 50-statement policy file open: each key
   typed into the file's text goes through the whole path, a new Draft, ``assess()``,
   the preview, findings, size meter, marks and the autosave, until the policy preview
   has been repainted. Keys go into the first Sid (a short line), then into the first
   Resource ARN's group name: the policy's longest line grows with each key (the
   preview's width, its horizontal scrollbar) and the statement's grant changes, so the
   linter's checks across statements run again.

The clock is inside the app: it starts when the App receives the Key event (the first
handler that sees it) and stops in a ``call_after_refresh`` callback scheduled by the
handler that updates the screen, so it covers the handler, layout and the compositor's
render of the changed region. Keys are sent with the Pilot one at a time, waiting for the
callback before the next; the Pilot's own pauses are outside the clock. Each key is posted
to the App as a terminal driver posts it, and the Pilot's wait for every widget to go idle
runs only after the clock has stopped: run during the keystroke (as ``Pilot.press`` does),
it wakes every widget of the screen, hidden ones included, so it would charge a large app
for the test harness rather than for its own work. Headless: the frame is rendered into
strips but not encoded to ANSI for a terminal (same for every widget compared).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xraybuilder.tui.widgets.preview import PolicyView  # noqa: E402

SIZE = (120, 40)
HEADER = "{:<24} stmts  lines      p50      p95      max     n  stolen"  # as line() lays out a row
PLACEHOLDER = "@@SID@@"


def policy_template(statements: int) -> tuple[str, str]:
    """An N-statement policy as text, split where the first Sid goes."""
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": PLACEHOLDER if i == 0 else f"Statement{i}",
                "Effect": "Allow",
                "Action": ["xray:GetGroup", "xray:UpdateGroup"],
                "Resource": f"arn:aws:xray:eu-west-1:123456789012:group/team{i}/*",
            }
            for i in range(statements)
        ],
    }
    head, tail = json.dumps(doc, indent=2).split(PLACEHOLDER)
    return head, tail


class Probe:
    """Start and stop times of each keystroke, measured inside the app.

    ``call_after_refresh`` can run before a widget's repaint request has reached the
    screen (the widget posts it when its own queue is idle), so the stop callback also
    checks that the watched widget has been painted since the change, and waits for the
    next refresh when it has not.
    """

    def __init__(self) -> None:
        self.started: float | None = None
        self.painted = True
        self.samples: list[float] = []
        self.done = asyncio.Event()

    def watch(self, widget: Widget) -> None:
        """Note each time the compositor asks ``widget`` for lines."""
        render_lines = widget.render_lines

        def painted(crop: Any) -> Any:
            self.painted = True
            return render_lines(crop)

        widget.render_lines = painted  # type: ignore[method-assign]

    def start(self) -> None:
        self.started = time.perf_counter()

    def changed(self, node: Any) -> None:
        """Call after updating the watched widget: stop after the refresh that paints it."""
        self.painted = False

        def stop() -> None:
            if not self.painted:
                node.call_after_refresh(stop)
                return
            if self.started is not None:
                self.samples.append(time.perf_counter() - self.started)
                self.started = None
            self.done.set()

        node.call_after_refresh(stop)


Preview = tuple[Widget, Callable[[str], None], Widget | None]
"""What goes on screen, how to give it new text, and the widget whose painting ends the clock."""


def make_static(text: str) -> Preview:
    static = Static(text)
    return VerticalScroll(static), static.update, static


def make_syntax(text: str) -> Preview:
    from rich.syntax import Syntax

    def render(value: str) -> Syntax:
        return Syntax(value, "json", theme="monokai", background_color="default")

    static = Static(render(text))
    return VerticalScroll(static), lambda value: static.update(render(value)), static


def make_textarea(text: str) -> Preview:
    area = TextArea(text, read_only=True)
    return area, area.load_text, area


def make_policyview(text: str) -> Preview:
    view = PolicyView(text)
    return view, view.set_text, view


def make_nothing(text: str) -> Preview:
    # The floor: the Input's own repaint (and the layout its value change asks for).
    return Static("no preview"), lambda value: None, None


# Whole-text widgets: a second or more per key at 500 statements, so fewer keys there.
SLOW_AT_500 = frozenset({"Static, plain", "Static, Rich Syntax", "TextArea.load_text"})

WIDGETS: dict[str, Callable[[str], Preview]] = {
    "(no preview, floor)": make_nothing,
    "Static, plain": make_static,
    "Static, Rich Syntax": make_syntax,
    "TextArea.load_text": make_textarea,
    "PolicyView (Line API)": make_policyview,
}


class PreviewBench(App[None]):
    CSS = "Input { dock: top; } #preview { height: 1fr; }"

    def __init__(self, make: Callable[[str], Preview], statements: int) -> None:
        super().__init__()
        self.probe = Probe()
        self.head, self.tail = policy_template(statements)
        self.preview, self.update_preview, self.painted = make(self.head + "S" + self.tail)
        self.preview.id = "preview"

    def compose(self) -> ComposeResult:
        yield Input(value="S", id="sid")
        yield self.preview

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.probe.start()
        await super().on_event(event)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.update_preview(self.head + event.value + self.tail)
        self.probe.changed(self)

    def on_mount(self) -> None:
        self.probe.watch(self.painted or self.query_one("#sid", Input))


async def type_key(app: Any, pilot: Any, key: str, gap: float) -> None:
    """Wait ``gap`` seconds, type one letter, wait until the probe's clock stops, then let
    the app go idle.

    The gap (outside the clock) is the time between two keys: Textual paints at most one
    frame per 1/60 s, so a key that comes a few milliseconds after the last frame waits
    for the next frame's slot, up to 16.7 ms that no handler can save. Only a test
    harness types that fast; a held-down key repeats every 30-40 ms.

    The Key event goes into the App's queue as a terminal driver puts it there. The
    Pilot's wait for idleness (a callback queued on every widget of the screen) comes
    after the sample is taken, so it is not charged to the keystroke.
    """
    if gap:
        await asyncio.sleep(gap)
    probe: Probe = app.probe
    probe.done.clear()
    event = events.Key(key, key)
    event.set_sender(app)
    app.post_message(event)
    await asyncio.wait_for(probe.done.wait(), timeout=30)
    await pilot.pause()


def reset_sid(app: Any) -> None:
    app.query_one("#sid", Input).value = "S"


async def drive(
    app: Any,
    keys: int,
    warmup: int,
    gap: float,
    focus: Callable[[Any], None] | None = None,
    reset: Callable[[Any], None] = reset_sid,
) -> list[float]:
    """Type ``warmup + keys`` letters, one at a time; the samples after the warm-up."""
    probe: Probe = app.probe
    async with app.run_test(size=SIZE) as pilot:
        if focus is not None:
            focus(app)
        else:
            app.query_one("#sid", Input).focus()
        await pilot.pause()
        for i in range(warmup + keys):
            await type_key(app, pilot, "abcdefghijklmnopqrstuvwxyz"[i % 26], gap)
            if i % 40 == 39:
                # Keep the Sid short, outside the clock (no Key event, so no sample).
                reset(app)
                await pilot.pause()
    return probe.samples[warmup:]


def builder_bench(statements: int, folder: Path) -> Any:
    """The builder with an N-statement policy file open, timing each keystroke."""
    import os

    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        os.environ[name] = str(folder / name.lower())
    from xraybuilder.tui import app as app_module
    from xraybuilder.tui.app import XrayBuilderApp

    path = folder / f"policy-{statements}.json"
    head, tail = policy_template(statements)
    path.write_text(head + "S" + tail, "utf-8")

    class BuilderBench(XrayBuilderApp):
        # Relative CSS paths resolve next to the subclass's file: name the builder's own.
        CSS_PATH = str(Path(app_module.__file__).parent / str(XrayBuilderApp.CSS_PATH))

        def __init__(self) -> None:
            super().__init__(policy_file=path, offer_resume=False)
            self.probe = Probe()
            self.original = head + "S" + tail

        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key):
                self.probe.start()
            await super().on_event(event)

        def _show(self, assessment: Any, *, rebuilt: bool) -> None:
            super()._show(assessment, rebuilt=rebuilt)
            self.probe.changed(self)

    if not hasattr(XrayBuilderApp, "_show"):
        raise SystemExit("XrayBuilderApp has no _show(assessment) to time; update this benchmark")
    return BuilderBench()


def focus_in_line(app: Any, marker: str, before: str) -> None:
    """Put the file editor's cursor in the first line holding ``marker``, just before the
    last ``before`` on it."""
    area = app.query_one("#file-text", TextArea)
    lines = area.text.split("\n")
    row = next(i for i, line in enumerate(lines) if marker in line)
    area.focus()
    area.cursor_location = (row, lines[row].rindex(before))


PLACES: dict[str, Callable[[Any], None]] = {
    # Inside the first statement's Sid: a short line, no grant changes.
    "Sid": lambda app: focus_in_line(app, '"Sid":', '"'),
    # Inside the first statement's group name, in its Resource ARN: the policy's longest
    # line grows (the preview's width) and each key changes what the statement grants.
    "ARN": lambda app: focus_in_line(app, '"Resource":', "/*"),
}


def reset_file(app: Any, place: str) -> None:
    area = app.query_one("#file-text", TextArea)
    area.load_text(app.original)
    PLACES[place](app)


async def wait_loaded(app: Any, pilot: Any) -> None:
    for _ in range(400):
        if app.assessment is not None and app.query("#file-text"):
            return
        await pilot.pause(0.05)
    raise SystemExit("the builder did not open the policy file within 20 s")


async def builder_run(
    keys: int, warmup: int, statements: int, gap: float, place: str
) -> tuple[list[float], int]:
    """The samples of one run of the builder, and the number of lines of its file."""
    with tempfile.TemporaryDirectory(prefix="xraybuilder-latency-") as folder:
        app = builder_bench(statements, Path(folder))
        probe: Probe = app.probe
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(app, pilot)
            # The preview tabs are mounted after the first frame: watch the preview once loaded.
            probe.watch(app.query_one("#policy", PolicyView))
            PLACES[place](app)
            await pilot.pause()
            for i in range(warmup + keys):
                await type_key(app, pilot, "abcdefghijklmnopqrstuvwxyz"[i % 26], gap)
                if i % 40 == 39:
                    reset_file(app, place)
                    await pilot.pause(0.1)
        return probe.samples[warmup:], app.original.count("\n") + 1


async def builder_table(
    keys: int, warmup: int, statements: int, gaps: list[float], places: list[str]
) -> None:
    print("\nThe builder: key typed into a policy file -> new draft, assess, preview repainted (ms)")
    print(HEADER.format("typed into, keys apart"))
    for place in places:
        for gap in gaps:
            before = cpu_ticks()
            samples, lines = await builder_run(keys, warmup, statements, gap, place)
            stolen = stolen_share(before, cpu_ticks())
            name = f"builder: {place}, {gap * 1000:.0f} ms"
            print(line(name, statements, lines, samples, stolen), flush=True)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def cpu_ticks() -> tuple[int, int] | None:
    """(stolen, all) CPU ticks since boot, from /proc/stat; None where there is none.

    "Stolen" is time a virtual machine's CPUs were ready to run but the host ran
    something else: on a shared host it comes in bursts, and every figure of a run
    taken during one is slower by as much, whatever the app does.
    """
    try:
        fields = Path("/proc/stat").read_text("ascii").split("\n", 1)[0].split()[1:9]
    except OSError:
        return None
    ticks = [int(field) for field in fields]
    return (ticks[7] if len(ticks) > 7 else 0), sum(ticks)


def stolen_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> str:
    if before is None or after is None or after[1] == before[1]:
        return "n/a"
    return f"{(after[0] - before[0]) / (after[1] - before[1]):.0%}"


def line(name: str, statements: int, lines: int, samples: list[float], stolen: str) -> str:
    ms = [s * 1000 for s in samples]
    return (
        f"{name:<24} {statements:>5} {lines:>6}  {statistics.median(ms):7.1f}  "
        f"{percentile(ms, 0.95):7.1f}  {max(ms):7.1f}  {len(ms):>4}  {stolen:>6}"
    )


async def preview_table(keys: int, warmup: int, sizes: list[int], only: str | None, gap: float) -> None:
    print(f"Preview widgets: key event -> after the next refresh (ms), keys {gap * 1000:.0f} ms apart")
    print(HEADER.format("widget"))
    for statements in sizes:
        head, tail = policy_template(statements)
        lines = (head + "S" + tail).count("\n") + 1
        for name, make in WIDGETS.items():
            if only and only.lower() not in name.lower():
                continue
            # The slow baselines at 500 statements take minutes and prove nothing new.
            slow = statements > 100 and name in SLOW_AT_500
            n = max(10, keys // 10) if slow else keys
            before = cpu_ticks()
            samples = await drive(PreviewBench(make, statements), n, warmup, gap)
            print(line(name, statements, lines, samples, stolen_share(before, cpu_ticks())), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=120, help="timed keystrokes per widget (default 120)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--statements", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--only", help="run only the widgets whose name contains this")
    parser.add_argument(
        "--gap",
        type=float,
        nargs="+",
        default=[0.04, 0.0],
        help="seconds between keys, outside the clock (default 0.04, a held-down key's repeat, "
        "then 0: back to back); the widgets use the first",
    )
    parser.add_argument(
        "--in",
        dest="places",
        nargs="+",
        choices=sorted(PLACES),
        default=list(PLACES),
        help="where the builder's keys are typed: the first Sid, the first Resource ARN (default both)",
    )
    parser.add_argument("--skip-widgets", action="store_true", help="time only the builder")
    parser.add_argument("--skip-builder", action="store_true", help="time only the preview widgets")
    args = parser.parse_args()
    if not args.skip_widgets:
        asyncio.run(preview_table(args.keys, args.warmup, args.statements, args.only, args.gap[0]))
    if not args.skip_builder:
        asyncio.run(builder_table(args.keys, args.warmup, 50, args.gap, args.places))


if __name__ == "__main__":
    main()
