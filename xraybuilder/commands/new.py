"""``xraybuilder new``: build a scenario's policies from the command line, without the TUI.

``--print`` (the default) writes one JSON object to standard output; ``--out DIR`` writes
policy.json, trust-policy.json and the rest as files, never replacing an existing file
unless ``--force`` is given. Exit status: 0 on success, 2 when the scenario, a parameter,
the format or the output folder is wrong (nothing is written then).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment
    from xraybuilder.core.bundle import Bundle
    from xraybuilder.core.scenarios import Library

EXIT_OK = 0
EXIT_USAGE = 2
FORMATS = ("json",)
PLANNED_FORMATS = ("aws-cli", "terraform", "cloudformation")
PROG = "xraybuilder new"


class UsageError(Exception):
    """A problem with the command line; the message is shown as is."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare new's arguments on its sub-parser."""
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="preset id, e.g. ec2 (see 'xraybuilder presets list')"
    )
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a parameter; repeat for several (see 'xraybuilder presets show SCENARIO')",
    )
    parser.add_argument(
        "--format",
        default="json",
        metavar="FORMAT",
        help="output format; only json for now (AWS CLI, Terraform and CloudFormation are planned)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--print",
        action="store_true",
        dest="print_",
        help="print one JSON object to standard output (the default)",
    )
    where.add_argument(
        "--out", metavar="DIR", type=Path, help="write policy.json, trust-policy.json, … into DIR"
    )
    parser.add_argument("--force", action="store_true", help="with --out, replace files that already exist")


def parse_params(items: list[str]) -> dict[str, str]:
    """``["region=eu-west-1", …]`` -> dict; UsageError for a malformed or repeated item."""
    out: dict[str, str] = {}
    for item in items:
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise UsageError(f"--param {item!r}: write KEY=VALUE, e.g. --param region=eu-west-1")
        if key in out:
            raise UsageError(f"--param {key} is given twice ({out[key]!r} and {value!r}); give it once")
        out[key] = value
    return out


def check_format(name: str) -> None:
    """Only json exists yet; say so for the formats that are planned."""
    if name in FORMATS:
        return
    if name in PLANNED_FORMATS:
        raise UsageError(f"--format {name} is not available yet; only json is supported for now")
    raise UsageError(
        f"--format {name!r} is unknown; only json is supported for now "
        f"({', '.join(PLANNED_FORMATS)} are planned)"
    )


def clashes(folder: Path, names: list[str]) -> list[str]:
    """Files of ``names`` that already exist in ``folder``."""
    return [n for n in names if (folder / n).exists()]


def _write_atomic(path: Path, text: str) -> None:
    # Write beside the target and rename, so an interrupted run never leaves half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bundle(bundle: Bundle, folder: Path, *, force: bool) -> list[Path]:
    """Write the bundle's files (plus bundle.json); UsageError lists clashes unless ``force``."""
    files = bundle.files()
    files["bundle.json"] = json.dumps(bundle.to_json(), indent=2, ensure_ascii=False) + "\n"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: exists and is not a folder")
    if not force and folder.is_dir():
        taken = clashes(folder, list(files))
        if taken:
            raise UsageError(
                f"--out {folder}: would overwrite {', '.join(taken)}; "
                "use --force to replace them, or choose another folder"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files.items():
            path = folder / name
            _write_atomic(path, text)
            written.append(path)
    except OSError as err:
        raise UsageError(f"--out {folder}: {err.strerror or err}") from None
    return written


def _report_broken(library: Library) -> None:
    for err in library.errors:
        print(f"{PROG}: warning: preset not loaded: {err}", file=sys.stderr)


def _parameter_errors(preset_id: str, assessment: Assessment) -> list[str]:
    """Parameter problems worded as before: missing ones together, then one line each."""
    missing = [
        d.where.removeprefix("parameter ")
        for d in assessment.parameter_problems
        if d.code == "PARAMETER_MISSING"
    ]
    lines = []
    if missing:
        lines.append(
            f"{preset_id}: missing required parameter{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
        )
    for d in assessment.parameter_problems:
        if d.code != "PARAMETER_MISSING" and d.severity == "error":
            lines.append(f"{preset_id}: {d.where}: {d.message}" if d.where else f"{preset_id}: {d.message}")
    return lines


def _report_findings(assessment: Assessment) -> None:
    # What the linter says about the documents written, by each document's own rules.
    for f in assessment.findings:
        document = assessment.document(f.document)
        title = document.title if document is not None else f.document
        where = f" at {f.finding.path_str}" if f.finding.path else ""
        print(
            f"{PROG}: {f.finding.severity}: {title}{where}: {f.finding.code}: {f.finding.message}",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    """Build the scenario and print it or write its files."""
    from xraybuilder.core.assess import assess
    from xraybuilder.core.draft import Draft
    from xraybuilder.core.scenarios import PresetError, UnknownPreset, load_library

    try:
        check_format(args.format)
        params = parse_params(args.param)
        library = load_library()
        try:
            preset = library.get(args.scenario)
        except UnknownPreset as err:
            _report_broken(library)
            raise UsageError(str(err)) from None
        assessment = assess(Draft.from_preset(preset.id, params))
        broken = [d for d in assessment.parameter_problems if d.code == "PRESET_ERROR"]
        if broken:
            print(f"{PROG}: error: broken preset: {broken[0].where}: {broken[0].message}", file=sys.stderr)
            return EXIT_USAGE
        if assessment.bundle is None:
            problems = _parameter_errors(preset.id, assessment)
            if not problems:  # the preset itself could not be built
                problems = [n.message for n in assessment.notes if n.severity == "error"]
            for line in problems:
                print(f"{PROG}: error: {line}", file=sys.stderr)
            print(f"{PROG}: see 'xraybuilder presets show {preset.id}' for the parameters", file=sys.stderr)
            return EXIT_USAGE
        bundle = assessment.bundle
        _report_findings(assessment)
        if args.out is not None:
            written = write_bundle(bundle, args.out, force=args.force)
            for path in written:
                print(f"wrote {path}")
        else:
            sys.stdout.write(json.dumps(bundle.to_json(), indent=2, ensure_ascii=False) + "\n")
    except UsageError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except PresetError as err:
        print(f"{PROG}: error: broken preset: {err}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
