"""``xraybuilder new``: build a scenario's policies from the command line, without the TUI.

``--format`` chooses the export (see ``core.export.FORMATS``). ``--print`` (the default)
writes one self-contained text to standard output; ``--out DIR`` writes one file per
document, never replacing an existing file unless ``--force`` is given. Exit status: 0 on
success, 2 when the scenario, a parameter, the format or the output folder is wrong
(nothing is written then).

Every ``--out`` folder gets a ``bundle.json`` that lists the files written. With
``--force``, files an earlier ``new`` listed there and this run does not write are
removed, so a folder never mixes two scenarios; files ``new`` did not write are left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment
    from xraybuilder.core.bundle import Bundle
    from xraybuilder.core.scenarios import Library

EXIT_OK = 0
EXIT_USAGE = 2
PROG = "xraybuilder new"
MANIFEST = "bundle.json"


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
    from xraybuilder.core.export import FORMATS

    parser.add_argument(
        "--format",
        default="json",
        metavar="FORMAT",
        help=f"what to write: {', '.join(FORMATS)} (default json)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--print",
        action="store_true",
        dest="print_",
        help="print one self-contained text to standard output (the default)",
    )
    where.add_argument("--out", metavar="DIR", help="write one file per document into DIR")
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --out, replace files that already exist (and remove those an earlier run wrote)",
    )
    _explain_unknown_options(parser)


def _explain_unknown_options(parser: argparse.ArgumentParser) -> None:
    """Make ``new ec2 --region eu-west-1`` say to write ``-p region=eu-west-1``.

    argparse hands options it does not know back to the top-level parser, which prints the
    top-level usage. Checking them here keeps the message next to new's own usage.
    """
    parse_known_args = parser.parse_known_args

    def checked(args: Any = None, namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        parsed, extra = parse_known_args(args, namespace)
        if extra:
            parser.error(unknown_options_message(extra))
        return parsed, extra

    setattr(parser, "parse_known_args", checked)  # noqa: B010 - an instance override, on purpose


def unknown_options_message(extra: list[str]) -> str:
    """``--region eu-west-1`` -> a message pointing to ``-p region=eu-west-1``."""
    first = extra[0]
    if first.startswith("--") and len(first) > 2:
        name, eq, value = first[2:].partition("=")
        if not eq and len(extra) > 1 and not extra[1].startswith("-"):
            value = extra[1]
        key = name.replace("-", "_")
        return (
            f"{first} is not an option of new; parameters are set with -p, "
            f"e.g. -p {key}={value or 'VALUE'} (see 'xraybuilder presets show SCENARIO')"
        )
    return f"unrecognized arguments: {' '.join(extra)}"


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
    """UsageError listing the formats when ``name`` is not one of them."""
    from xraybuilder.core.export import FORMATS

    if name not in FORMATS:
        raise UsageError(f"--format {name!r} is unknown; choose one of {', '.join(FORMATS)}")


def check_output_options(args: argparse.Namespace) -> Path | None:
    """The --out folder (None for --print); UsageError for an empty name or --force without --out."""
    if args.out is None:
        if args.force:
            raise UsageError("--force only applies with --out DIR (it allows replacing files there)")
        return None
    if not args.out.strip():
        raise UsageError("--out needs a folder name (use --out . for the current folder)")
    return Path(args.out)


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


def earlier_files(folder: Path) -> list[str]:
    """Files an earlier ``new --out`` wrote into ``folder``, as its bundle.json lists them."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    names = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(names, list):
        return []
    # Only plain names of files in the folder itself: a hand-edited list never reaches elsewhere.
    return [n for n in names if isinstance(n, str) and n and Path(n).name == n and n not in (".", "..")]


def write_bundle(bundle: Bundle, folder: Path, *, force: bool, fmt: str = "json") -> list[Path]:
    """Write the bundle's files in ``fmt`` plus bundle.json; UsageError lists clashes unless ``force``.

    With ``force``, files listed by an earlier bundle.json that this run does not write are
    removed, so no stale file of another scenario or format stays behind.
    """
    from xraybuilder.core.export import render_files

    files = render_files(bundle, fmt)
    manifest = {**bundle.to_json(), "format": fmt, "files": [*files, MANIFEST]}
    files[MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: exists and is not a folder")
    stale: list[str] = []
    if folder.is_dir():
        if not force:
            taken = clashes(folder, list(files))
            if taken:
                raise UsageError(
                    f"--out {folder}: would overwrite {', '.join(taken)}; "
                    "use --force to replace them, or choose another folder"
                )
        else:
            stale = [n for n in earlier_files(folder) if n not in files and (folder / n).is_file()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files.items():
            path = folder / name
            _write_atomic(path, text)
            written.append(path)
        for name in stale:
            (folder / name).unlink()
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
        out_folder = check_output_options(args)
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
        if out_folder is not None:
            written = write_bundle(bundle, out_folder, force=args.force, fmt=args.format)
            for path in written:
                print(f"wrote {path}")
        else:
            from xraybuilder.core.export import render

            sys.stdout.write(render(bundle, args.format))
    except UsageError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except PresetError as err:
        print(f"{PROG}: error: broken preset: {err}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
