"""Adding one AWS profile to ``~/.aws/credentials`` and ``~/.aws/config`` without damage.

``plan_profile`` reads both files, refuses any file botocore itself would refuse (saying
which line), and computes the new bytes: the profile's section is added at the end, or
its keys are replaced in place; every other byte of each file stays as it was (comments,
order, spacing, line ends, other profiles). ``ProfilePlan.diff`` shows the change with
secrets masked. ``apply_profile`` then writes each file atomically with mode 0600,
keeping a backup of the previous version beside it.

The secret access key and session token live only in the plan's fields (left out of its
repr) and in the bytes written; no message, diff (unless asked) or exception holds them.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from xraybuilder.core.credentials import config_header, credentials_header
from xraybuilder.core.export.awsfiles import (
    DEFAULT_SECTION,
    OPTION,
    FileProblem,
    Line,
    config_profile_name,
    decode,
    dominant_line_end,
    line_end,
    parse,
    scan,
    split_lines,
)
from xraybuilder.core.export.save import FileExists, resolve_link, write_bytes_atomic

CREDENTIALS_FILE_ENV = "AWS_SHARED_CREDENTIALS_FILE"
CONFIG_FILE_ENV = "AWS_CONFIG_FILE"
DEFAULT_CREDENTIALS_FILE = "~/.aws/credentials"
DEFAULT_CONFIG_FILE = "~/.aws/config"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
MASK = "********"

# IAM's documented shapes: AKIA (long-term) or ASIA (temporary) + 16 base32 characters.
ACCESS_KEY_ID = re.compile(r"(AKIA|ASIA)[A-Z2-7]{16}")
SECRET_ACCESS_KEY_LENGTH = 40
SECRET_ACCESS_KEY = re.compile(r"[A-Za-z0-9/+]{40}")
# What a section header and shell quoting both keep intact.
PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]*")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")
OUTPUT_FORMATS = ("json", "yaml", "yaml-stream", "text", "table")
# Keys whose values are never shown in a masked diff.
SECRET_KEYS = frozenset({"aws_secret_access_key", "aws_session_token", "aws_security_token"})
# Config settings that make botocore ignore the credentials file for the profile.
OVERRIDING_SETTINGS = ("role_arn", "web_identity_token_file", "sso_session", "sso_start_url")


class ProfileError(Exception):
    """The profile cannot be added; the message says which file and line, never a secret."""

    def __init__(self, message: str, *, path: Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def display_path(path: Path) -> str:
    """``path`` with the home folder written as ``~``."""
    home = Path(os.path.expanduser("~"))
    if home == Path(home.anchor):  # a home at the root would turn every path into ~/…
        return str(path)
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class FileChange:
    """What happens to one of the two files."""

    kind: str  # "credentials" | "config"
    path: Path  # the file as named (``~`` expanded); may be a symbolic link
    target: Path  # the file actually written: ``path`` or the final target of its link
    section: str  # the section holding the profile, e.g. "dev" or "profile dev"
    before: bytes | None = field(repr=False)  # None: the file does not exist yet
    after: bytes = field(repr=False)
    mode: int | None  # permission bits of the existing file
    existing_line: int | None  # header line of the profile's section before the change

    @property
    def changed(self) -> bool:
        """True when the file's bytes change."""
        return self.before != self.after

    @property
    def display(self) -> str:
        """The file's name for messages."""
        return display_path(self.path)

    @property
    def is_link(self) -> bool:
        """True when the file is reached through a symbolic link."""
        return self.target != self.path

    @property
    def too_open(self) -> bool:
        """True when the existing file grants more than read/write to its owner."""
        return self.mode is not None and bool(self.mode & ~FILE_MODE)


@dataclass(frozen=True)
class ProfilePlan:
    """Both files' changes for one profile, ready to preview and to apply."""

    name: str
    key_id: str
    region: str
    output: str | None
    secret: str = field(repr=False)
    session_token: str | None = field(repr=False)
    credentials: FileChange
    config: FileChange
    notes: tuple[str, ...] = ()

    @property
    def changes(self) -> tuple[FileChange, FileChange]:
        """The credentials file's change, then the config file's."""
        return (self.credentials, self.config)

    @property
    def replaces(self) -> bool:
        """True when the profile already exists in a file and its settings change."""
        return any(c.existing_line is not None and c.changed for c in self.changes)

    def diff(self, masked: bool = True) -> str:
        """A unified diff of both files; secrets masked unless ``masked`` is False."""
        secrets = [s for s in (self.secret, self.session_token) if s]
        out: list[str] = []
        for change in self.changes:
            if not change.changed:
                continue
            before = _display_lines(change.before)
            after = _display_lines(change.after)
            old_name = change.display if change.before is not None else "/dev/null"
            for number, line in enumerate(
                difflib.unified_diff(before, after, old_name, change.display, lineterm="")
            ):
                out.append(_mask_diff_line(line, secrets) if masked and number >= 2 else line)
        return "".join(line + "\n" for line in out)


def _display_lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    return [line.rstrip("\r\n") for line in split_lines(data.decode("utf-8"))]


def _mask_diff_line(line: str, secrets: list[str]) -> str:
    if not line or line[0] not in " +-":
        return line
    prefix, body = line[0], line[1:]
    stripped = body.strip()
    found = OPTION.match(stripped)
    if found and found.group("option").rstrip().lower() in SECRET_KEYS and found.group("value"):
        start = len(body) - len(body.lstrip()) + found.start("value")
        body = body[:start] + MASK
    for secret in secrets:
        body = body.replace(secret, MASK)
    return prefix + body


@dataclass(frozen=True)
class AccessKey:
    """An access key as ``aws iam create-access-key`` (or ``aws sts …``) prints it."""

    key_id: str
    secret: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    status: str | None = None  # "Active" | "Inactive"
    user: str | None = None


def _key_block(data: object, where: str) -> dict[str, object]:
    if isinstance(data, dict):
        for name in ("AccessKey", "Credentials"):
            block = data.get(name)
            if isinstance(block, dict):
                return block
    raise ProfileError(
        f"{where}: expected the JSON 'aws iam create-access-key' prints, "
        '{"AccessKey": {"AccessKeyId": …, "SecretAccessKey": …}}'
    )


def _key_text(block: dict[str, object], name: str, where: str) -> str:
    value = block.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{where}: no {name} in the access key")
    return value.strip()


def access_key_from_json(text: str, where: str = "the pasted JSON") -> AccessKey:
    """The access key in the JSON output of ``aws iam create-access-key`` or ``aws sts``.

    ProfileError (saying where: line and column for broken JSON) when it is not there;
    the message never quotes the text, which holds the secret.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ProfileError(f"{where} line {err.lineno} column {err.colno}: not JSON ({err.msg})") from None
    block = _key_block(data, where)
    token = block.get("SessionToken")
    status = block.get("Status")
    user = block.get("UserName")
    return AccessKey(
        key_id=_key_text(block, "AccessKeyId", where),
        secret=_key_text(block, "SecretAccessKey", where),
        session_token=(token.strip() or None) if isinstance(token, str) else None,
        status=status if isinstance(status, str) else None,
        user=user if isinstance(user, str) else None,
    )


def check_profile_name(name: str) -> None:
    """ProfileError unless ``name`` can be a section in both files."""
    if name == DEFAULT_SECTION:
        raise ProfileError(f"profile name {DEFAULT_SECTION}: that section holds defaults for every other one")
    if not PROFILE_NAME.fullmatch(name):
        raise ProfileError(
            f"profile name {name!r}: use letters, digits and . _ - + @ (starting with a letter or digit)"
        )


def check_access_key_id(key_id: str) -> None:
    """ProfileError unless ``key_id`` has the shape of an IAM access key id."""
    if ACCESS_KEY_ID.fullmatch(key_id):
        return
    raise ProfileError(
        f"access key id {key_id!r}: expected AKIA or ASIA followed by 16 characters from A-Z and 2-7 "
        f"(20 in all; this one has {len(key_id)})"
    )


def check_secret_access_key(secret: str) -> None:
    """ProfileError unless ``secret`` looks like a secret access key; the message never shows it."""
    if len(secret) != SECRET_ACCESS_KEY_LENGTH:
        raise ProfileError(
            f"secret access key: expected {SECRET_ACCESS_KEY_LENGTH} characters, got {len(secret)}"
        )
    if not SECRET_ACCESS_KEY.fullmatch(secret):
        raise ProfileError("secret access key: only A-Z, a-z, 0-9, / and + can appear in it")


def check_session_token(key_id: str, token: str | None) -> None:
    """A session token goes only with a temporary (ASIA) key id."""
    if not token:
        return
    if not key_id.startswith("ASIA"):
        raise ProfileError("session token: only temporary keys (ASIA…) come with a session token")
    if any(ch.isspace() for ch in token):
        raise ProfileError("session token: it cannot contain spaces or line breaks")


def check_region(region: str) -> None:
    """ProfileError unless ``region`` has the shape of a Region code."""
    if not REGION.fullmatch(region):
        raise ProfileError(f"Region {region!r}: expected a Region code such as us-east-1 or eu-west-2")


def check_output(output: str | None) -> None:
    """ProfileError unless ``output`` is one of the AWS CLI's output formats."""
    if output is not None and output not in OUTPUT_FORMATS:
        raise ProfileError(f"output {output!r}: choose one of {', '.join(OUTPUT_FORMATS)}")


def _env_path(value: str | os.PathLike[str] | None, variable: str, fallback: str) -> Path:
    raw = os.fspath(value) if value is not None else os.environ.get(variable, fallback)
    if not raw:
        raise ProfileError(f"{variable} is set but empty; unset it or name a file")
    # botocore expands variables, then ~, in both file names.
    return Path(os.path.expanduser(os.path.expandvars(raw)))


def shared_file_paths(
    credentials_path: str | os.PathLike[str] | None = None,
    config_path: str | os.PathLike[str] | None = None,
) -> tuple[Path, Path]:
    """The credentials and config files botocore reads (its environment variables honoured)."""
    return (
        _env_path(credentials_path, CREDENTIALS_FILE_ENV, DEFAULT_CREDENTIALS_FILE),
        _env_path(config_path, CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE),
    )


def plan_profile(
    name: str,
    key_id: str,
    secret: str,
    region: str,
    *,
    session_token: str | None = None,
    output: str | None = None,
    credentials_path: str | os.PathLike[str] | None = None,
    config_path: str | os.PathLike[str] | None = None,
) -> ProfilePlan:
    """Compute the change adding profile ``name`` to both files; nothing is written.

    The credentials file gets ``[name]`` with the keys (a stale session token is
    removed); the config file gets ``[profile name]`` (``[default]`` for the default)
    with the Region and, if given, the output format. Raises ProfileError for a bad
    key, name or Region, and for a file botocore cannot read (with its line).
    """
    check_profile_name(name)
    check_access_key_id(key_id)
    check_secret_access_key(secret)
    check_session_token(key_id, session_token)
    check_region(region)
    check_output(output)
    creds_path, conf_path = shared_file_paths(credentials_path, config_path)
    if os.path.realpath(creds_path) == os.path.realpath(conf_path):
        raise ProfileError(
            f"{display_path(creds_path)} is both the credentials file and the config file; "
            f"point {CREDENTIALS_FILE_ENV} and {CONFIG_FILE_ENV} at two different files"
        )
    credentials = _plan_file(
        "credentials",
        creds_path,
        header=credentials_header(name),
        owns=lambda section: section == name,
        values={
            "aws_access_key_id": key_id,
            "aws_secret_access_key": secret,
            "aws_session_token": session_token or None,
            "aws_security_token": None,
        },
    )
    config_values: dict[str, str | None] = {"region": region}
    if output is not None:
        config_values["output"] = output
    config = _plan_file(
        "config",
        conf_path,
        header=config_header(name),
        owns=lambda section: config_profile_name(section) == name,
        values=config_values,
    )
    return ProfilePlan(
        name=name,
        key_id=key_id,
        region=region,
        output=output,
        secret=secret,
        session_token=session_token or None,
        credentials=credentials,
        config=config,
        notes=_misplaced(name, credentials, config) + _overriding(name, config),
    )


def _overriding(name: str, change: FileChange) -> tuple[str, ...]:
    if change.before is None or change.existing_line is None:
        return ()
    settings = parse(decode(change.before)).get(change.section, {})
    found = [key for key in OVERRIDING_SETTINGS if key in settings]
    if not found:
        return ()
    return (
        f"{change.display} line {change.existing_line}: profile {name} also sets "
        f"{', '.join(found)}, so botocore will not use these keys for it directly",
    )


def _misplaced(name: str, credentials: FileChange, config: FileChange) -> tuple[str, ...]:
    # Each file's header for the other file is a classic mistake botocore ignores silently.
    notes = []
    for change, wrong, right in (
        (credentials, config_header(name), credentials_header(name)),
        (config, credentials_header(name), config_header(name)),
    ):
        if change.before is None or wrong == right:
            continue
        for line in scan(decode(change.before)).headers():
            if f"[{line.section}]" == wrong:
                notes.append(
                    f"{change.display} line {line.number}: botocore ignores {wrong} in the "
                    f"{change.kind} file (it reads {right}); left as it is"
                )
    return tuple(notes)


def _read(path: Path, target: Path) -> tuple[bytes | None, int | None]:
    shown = display_path(path)
    if path.is_symlink() and not target.exists():
        if not target.parent.is_dir():
            raise ProfileError(f"{shown} is a link to {target}, whose folder does not exist", path=path)
        return None, None
    if not target.exists():
        return None, None
    if not target.is_file():
        raise ProfileError(f"{shown} is not a regular file", path=path)
    try:
        return target.read_bytes(), stat.S_IMODE(target.stat().st_mode)
    except OSError as err:
        raise ProfileError(f"cannot read {shown}: {err.strerror or err}", path=path) from None


def _plan_file(
    kind: str,
    path: Path,
    *,
    header: str,
    owns: Callable[[str], bool],
    values: Mapping[str, str | None],
) -> FileChange:
    shown = display_path(path)
    target = resolve_link(path)
    before, mode = _read(path, target)
    text = ""
    parsed: dict[str, dict[str, str]] = {}
    if before is not None:
        try:
            text = decode(before)
            parsed = parse(text)
        except FileProblem as problem:
            where = f" line {problem.line}" if problem.line else ""
            raise ProfileError(
                f"{shown}{where}: {problem.message}; fix it first (the file was left as it is)",
                path=path,
                line=problem.line,
            ) from None
    scanned = scan(text)
    owned = [line for line in scanned.headers() if line.section is not None and owns(line.section)]
    if len(owned) > 1:
        numbers = " and ".join(str(line.number) for line in owned)
        raise ProfileError(
            f"{shown}: the profile is defined more than once (lines {numbers}); "
            "botocore reads only the last one. Remove the others first (the file was left as it is)",
            path=path,
        )
    existing = owned[0] if owned else None
    section = existing.section if existing is not None and existing.section else header[1:-1]
    new_text = _edit(list(scanned.lines), existing, header, values, parsed.get(section, {}))
    expected = copy.deepcopy(parsed)
    settings = expected.setdefault(section, dict(parsed.get(DEFAULT_SECTION, {})))
    for key, value in values.items():
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    try:
        if parse(new_text) != expected:
            raise FileProblem("the edit would change other settings")
    except FileProblem:
        raise ProfileError(
            f"{shown}: cannot add the profile without disturbing other lines; "
            "the file was left as it is. Add it by hand or tidy the section first",
            path=path,
        ) from None
    return FileChange(
        kind=kind,
        path=path,
        target=target,
        section=section,
        before=before,
        after=new_text.encode("utf-8"),
        mode=mode,
        existing_line=existing.number if existing is not None else None,
    )


def _edit(
    lines: list[Line],
    header: Line | None,
    new_header: str,
    values: Mapping[str, str | None],
    current: Mapping[str, str],
) -> str:
    """The file's text with the section's keys set (None: removed); other lines as they were."""
    texts = [line.text for line in lines]
    newline = dominant_line_end(texts)
    if header is None:
        block = [new_header + newline]
        block += [f"{key} = {value}{newline}" for key, value in values.items() if value is not None]
        if texts:
            if not line_end(texts[-1]):
                texts[-1] += newline
            if texts[-1].strip():
                texts.append(newline)
        return "".join(texts + block)

    start = header.number - 1
    end = next((i for i in range(start + 1, len(lines)) if lines[i].kind == "header"), len(lines))
    spans: dict[str, list[int]] = {}
    for i in range(start + 1, end):
        line = lines[i]
        if line.kind == "option" and line.option is not None:
            spans[line.option] = [i, i]
        elif line.kind == "continuation" and line.option in spans:
            spans[line.option][1] = i
    last = max(spans.values(), key=lambda span: span[1], default=[start, start])
    indent = lines[last[0]].indent if spans else ""
    # A header indented deeper than the new keys would read as their continuation.
    following = next((line for line in lines[last[1] + 1 :] if line.kind == "header"), None)
    if following is not None and len(following.indent) > len(indent):
        indent = following.indent
    missing = [(k, v) for k, v in values.items() if v is not None and k not in spans]
    replaced: dict[int, str] = {}
    skipped: set[int] = set()
    for key, (first, final) in spans.items():
        if key not in values:
            continue
        value = values[key]
        if value is not None and first == final and current.get(key) == value:
            continue  # already right: keep the line exactly as written
        skipped.update(range(first, final + 1))
        if value is not None:
            replaced[first] = f"{lines[first].indent}{key} = {value}{line_end(texts[final])}"
    out: list[str] = []
    for i, text in enumerate(texts):
        if i in replaced:
            out.append(replaced[i])
        elif i not in skipped:
            out.append(text)
        if i == last[1] and missing:
            if out and not line_end(out[-1]):
                out[-1] += newline
            out += [f"{indent}{key} = {value}{newline}" for key, value in missing]
    return "".join(out)


def _backup_path(target: Path, stamp: str, attempt: int) -> Path:
    suffix = f"-{attempt}" if attempt > 1 else ""
    return target.with_name(f"{target.name}.{stamp}{suffix}.bak")


def _write_backup(change: FileChange) -> Path:
    assert change.before is not None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for attempt in range(1, 100):
        backup = _backup_path(change.target, stamp, attempt)
        try:
            write_bytes_atomic(backup, change.before, mode=FILE_MODE, replace=False, owner_of=change.target)
        except FileExists:
            continue
        return backup
    raise ProfileError(f"cannot find a free name for the backup of {change.display}", path=change.path)


def _current(change: FileChange) -> bytes | None:
    try:
        return change.target.read_bytes() if change.target.is_file() else None
    except OSError:
        return None


def _apply_one(change: FileChange, name: str) -> list[str]:
    messages: list[str] = []
    shown = change.display
    if not change.changed:
        messages.append(f"{shown}: profile {name} already set as asked; unchanged")
        if change.too_open and change.mode is not None:
            os.chmod(change.target, FILE_MODE)
            messages.append(f"tightened mode of {shown} from {change.mode:04o} to {FILE_MODE:04o}")
        return messages
    folder = change.target.parent
    if not folder.is_dir():
        folder.mkdir(parents=True, mode=FOLDER_MODE)
        os.chmod(folder, FOLDER_MODE)
        messages.append(f"created folder {display_path(folder)} (mode {FOLDER_MODE:04o})")
    backup = _write_backup(change) if change.before is not None else None
    write_bytes_atomic(change.target, change.after, mode=FILE_MODE)
    verb = "replaced" if change.existing_line is not None else "added"
    link = f" (through the link, in {change.target})" if change.is_link else ""
    messages.append(f"{verb} [{change.section}] in {shown}{link}")
    if backup is not None:
        messages.append(f"backup of the previous {shown} at {display_path(backup)}")
    else:
        messages.append(f"created {shown} (mode {FILE_MODE:04o})")
    if change.too_open and change.mode is not None:
        messages.append(f"tightened mode of {shown} from {change.mode:04o} to {FILE_MODE:04o}")
    return messages


def apply_profile(plan: ProfilePlan) -> list[str]:
    """Write both files of ``plan`` (atomically, mode 0600, backups kept); return what was done.

    Raises ProfileError, before writing anything, if a file changed since the plan was
    made; and if a write fails, saying which file is unchanged and which was written.
    """
    for change in plan.changes:
        if _current(change) != change.before:
            raise ProfileError(
                f"{change.display} changed since the preview was made; nothing was written. Run again",
                path=change.path,
            )
    messages: list[str] = []
    for change in plan.changes:
        try:
            messages += _apply_one(change, plan.name)
        except OSError as err:
            done = f" ({'; '.join(messages)})" if messages else ""
            raise ProfileError(
                f"cannot write {change.display}: {err.strerror or err}; it is unchanged{done}",
                path=change.path,
            ) from None
    messages += list(plan.notes)
    return messages
