"""``xraybuilder profile add``: put new access keys into ``~/.aws`` as a named profile.

The keys come from the JSON ``aws iam create-access-key`` prints (``--from-json FILE``,
or ``-`` for standard input) or from hidden prompts; the secret is never a command-line
argument, so it never lands in shell history or a process list. The credentials file
gets ``[NAME]`` with the keys, the config file ``[profile NAME]`` with the Region;
everything else in both files stays byte for byte. ``--dry-run`` shows the change as a
diff with secrets masked. Exit status: 0 on success, 2 when nothing could be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xraybuilder.core.export.profiles import AccessKey

EXIT_OK = 0
EXIT_USAGE = 2
PROG = "xraybuilder profile add"
# The AWS CLI's output formats (kept here so --help needs no core import).
OUTPUT_FORMATS = ("json", "yaml", "yaml-stream", "text", "table")


class UsageError(Exception):
    """A problem with the command line or its input; the message is shown as is."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``profile add``."""
    sub = parser.add_subparsers(dest="profile_command", metavar="{add}")
    adder = sub.add_parser(
        "add",
        help="add or replace a profile in ~/.aws/credentials and ~/.aws/config",
        description=(
            "Add (or with --replace, update) one profile in the AWS credentials and config files, "
            "leaving every other line as it is. AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE "
            "are honoured. The secret is read from JSON or a hidden prompt, never from the command line."
        ),
    )
    adder.add_argument("name", metavar="NAME", help="profile name, e.g. xray-dev (default for [default])")
    adder.add_argument(
        "--region", required=True, metavar="REGION", help="the profile's Region, e.g. eu-west-1"
    )
    adder.add_argument(
        "--from-json",
        metavar="FILE",
        help="read the keys from what 'aws iam create-access-key' printed; - for standard input",
    )
    adder.add_argument(
        "--output",
        choices=OUTPUT_FORMATS,
        metavar="FORMAT",
        help=f"also set the AWS CLI output format of the profile ({', '.join(OUTPUT_FORMATS)})",
    )
    adder.add_argument(
        "--replace",
        action="store_true",
        help="replace the profile's keys and Region if it already exists (a backup is kept)",
    )
    adder.add_argument(
        "--dry-run", action="store_true", help="show the change as a diff (secrets masked); write nothing"
    )


def read_json_keys(source: str) -> AccessKey:
    """Keys from a file, or from standard input for ``-``."""
    from xraybuilder.core.export.profiles import access_key_from_json

    if source == "-":
        if sys.stdin.isatty():
            print("Paste the JSON, then press Ctrl-D on a line of its own.", file=sys.stderr)
        return access_key_from_json(sys.stdin.read(), "standard input")
    path = Path(source).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise UsageError(f"--from-json {source}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--from-json {source}: not UTF-8 text") from None
    return access_key_from_json(text, source)


def prompt_keys() -> AccessKey:
    """Ask for the keys without echoing them (a session token only for ASIA keys)."""
    import getpass

    from xraybuilder.core.export.profiles import AccessKey

    if not sys.stdin.isatty():
        raise UsageError("no terminal to ask for the keys; use --from-json FILE, or --from-json - for stdin")
    try:
        key_id = getpass.getpass("AWS access key id (hidden): ").strip()
        secret = getpass.getpass("AWS secret access key (hidden): ").strip()
        token = None
        if key_id.startswith("ASIA"):
            token = getpass.getpass("Session token (hidden; empty for none): ").strip() or None
    except EOFError:
        raise UsageError("no keys given") from None
    return AccessKey(key_id=key_id, secret=secret, session_token=token)


def _error(message: str, prog: str = PROG) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Read the keys, plan the change, then show it (--dry-run) or write it."""
    if args.profile_command != "add":
        return _error("say what to do: xraybuilder profile add NAME --region REGION", "xraybuilder profile")
    from xraybuilder.core.export.profiles import ProfileError, apply_profile, plan_profile

    try:
        keys = read_json_keys(args.from_json) if args.from_json else prompt_keys()
        if keys.status and keys.status != "Active":
            print(f"{PROG}: warning: access key {keys.key_id} is {keys.status}", file=sys.stderr)
        plan = plan_profile(
            args.name,
            keys.key_id,
            keys.secret,
            args.region,
            session_token=keys.session_token,
            output=args.output,
        )
    except (UsageError, ProfileError) as err:
        return _error(str(err))
    existing = [c for c in plan.changes if c.existing_line is not None and c.changed]
    if args.dry_run:
        diff = plan.diff(masked=True)
        sys.stdout.write(diff or f"profile {args.name} is already set as asked; nothing would change\n")
        for note in plan.notes:
            print(f"{PROG}: note: {note}", file=sys.stderr)
        if plan.replaces and not args.replace:
            print(f"{PROG}: note: the profile exists; writing needs --replace", file=sys.stderr)
        print(f"{PROG}: dry run: nothing was written", file=sys.stderr)
        return EXIT_OK
    if existing and not args.replace:
        where = ", ".join(f"{c.display} line {c.existing_line}" for c in existing)
        return _error(
            f"profile {args.name} already exists ({where}) with other settings; "
            "add --replace to replace them (a backup is kept), or --dry-run to see the change"
        )
    try:
        messages = apply_profile(plan)
    except ProfileError as err:
        return _error(str(err))
    for message in messages:
        print(message)
    print(f"Try it: aws sts get-caller-identity --profile {args.name}")
    return EXIT_OK
