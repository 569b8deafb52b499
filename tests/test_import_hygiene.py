"""The core and the non-TUI commands never import Textual or prompt_toolkit.

Each check runs in a fresh interpreter, so modules other tests imported cannot hide or
fake a leak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

UI_PACKAGES = ("textual", "prompt_toolkit")
POLICY = Path(__file__).parent / "corpus" / "valid_daemon_write.json"
ACCESS_KEY = Path(__file__).parent / "profiles" / "create_access_key.json"
COMMANDS = [
    ["lint", str(POLICY)],
    ["actions"],
    ["actions", "--format", "json"],
    ["simulate", str(POLICY), "--action", "xray:PutTraceSegments"],
    ["explain", str(POLICY), "--compare", "AWSXRayDaemonWriteAccess"],
    ["presets", "list"],
    ["presets", "show", "ec2"],
    ["new", "ec2", "--param", "region=eu-west-1"],
    ["profile", "add", "dev", "--region", "eu-west-1", "--from-json", str(ACCESS_KEY), "--dry-run"],
]

# Imports every module under xraybuilder.core, then runs every non-TUI subcommand the
# way the console script does, and reports which UI packages got loaded.
PROBE = textwrap.dedent(
    """
    import contextlib, importlib, io, json, pkgutil, sys
    import xraybuilder.core

    imported = []
    for info in pkgutil.walk_packages(xraybuilder.core.__path__, "xraybuilder.core."):
        importlib.import_module(info.name)
        imported.append(info.name)

    from xraybuilder.cli import main
    codes = dict()
    for argv in {argvs!r}:
        with contextlib.redirect_stdout(io.StringIO()):
            codes[" ".join(argv)] = main(argv)
    for extra in {extra!r}:
        importlib.import_module(extra)

    ui = sorted(m for m in sys.modules if m.split(".")[0] in {ui!r})
    print(json.dumps({{"imported": imported, "codes": codes, "ui": ui}}))
    """
)


def probe(extra: tuple[str, ...] = ()) -> dict[str, object]:
    """Run the probe in a clean interpreter and return what it saw."""
    code = PROBE.format(argvs=COMMANDS, extra=list(extra), ui=UI_PACKAGES)
    with tempfile.TemporaryDirectory() as aws:
        # profile add (a dry run) reads the AWS files: point it at an empty folder.
        env = {
            **os.environ,
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(aws, "credentials"),
            "AWS_CONFIG_FILE": os.path.join(aws, "config"),
        }
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False, env=env
        )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_core_and_cli_commands_do_not_import_ui_packages() -> None:
    seen = probe()
    imported = seen["imported"]
    assert isinstance(imported, list)
    # The walk really covered the core: catalog, policy model and every lint family.
    for module in (
        "xraybuilder.core.catalog",
        "xraybuilder.core.policy.source",
        "xraybuilder.core.lint.grammar",
        "xraybuilder.core.lint.output",
        "xraybuilder.core.lint.fixes",
        "xraybuilder.core.managed",
    ):
        assert module in imported
    codes = seen["codes"]
    assert isinstance(codes, dict)
    # Every command ran to completion (lint exits 0 or 1 depending on findings, never 2).
    assert len(codes) == len(COMMANDS)
    assert set(codes.values()) <= {0, 1}, codes
    assert codes["actions"] == 0 and codes["new ec2 --param region=eu-west-1"] == 0
    assert [code for argv, code in codes.items() if argv.startswith("profile add")] == [0]
    assert seen["ui"] == []


def test_probe_detects_a_ui_import() -> None:
    # The same probe must notice Textual when something does import it.
    seen = probe(extra=("xraybuilder.tui.app",))
    assert "textual" in seen["ui"]  # type: ignore[operator]


def test_the_plain_starts_skip_the_parser_and_get_what_it_would_give() -> None:
    import xraybuilder.commands.tui as tui
    from xraybuilder.cli import PLAIN_STARTS, build_parser, main

    for argv in PLAIN_STARTS:
        chosen = next((a for a in argv if not a.startswith("-")), None)
        parsed = vars(build_parser(chosen).parse_args(list(argv)))
        seen: list[dict[str, object]] = []
        real_run = tui.run
        try:
            tui.run = lambda args, seen=seen: seen.append(dict(vars(args))) or 0  # type: ignore[assignment]
            assert main(list(argv)) == 0
        finally:
            tui.run = real_run
        assert seen == [parsed], argv

    # And before the builder's own modules, starting it imports neither argparse nor
    # the other commands (a fresh interpreter: nothing imported them for it).
    code = textwrap.dedent(
        """
        import json, sys
        import xraybuilder.tui.app as app
        def opened(**kwargs):
            names = (m for m in sys.modules if m == "argparse" or m.startswith("xraybuilder.commands."))
            print(json.dumps(sorted(names)))
            raise SystemExit(0)
        app.XrayBuilderApp = opened
        from xraybuilder.cli import main
        main(["tui", "--no-resume"])
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["xraybuilder.commands.tui"]
